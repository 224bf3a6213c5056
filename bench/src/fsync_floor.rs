//! Peer: the smallest durable write the filesystem allows, the floor under
//! every durable write of ours or SQLCipher's. In the same work folder (so
//! the same filesystem and disk): one `pwrite` appending about 1 KB (a
//! record's size) to a file, then `fdatasync`, as many times as ours writes.
//! For reference, a 4 KB overwrite of a block already on disk, then
//! `fdatasync` (no size or block allocation to commit: the disk's own
//! floor), reported as `overwrite_p50_ms` and `overwrite_p99_ms`.

use crate::util::*;
use std::fs::{File, OpenOptions};
use std::os::unix::fs::FileExt;
use std::path::Path;

/// `n` durable writes of `buf` at the offsets `at` gives; their latencies in
/// milliseconds, after ten to warm up like ours.
fn lat(f: &File, n: usize, buf: &[u8], at: impl Fn(usize) -> u64) -> Vec<f64> {
    let mut out = Vec::new();
    for i in 0..n + 10 {
        let ((), d) = timed(|| {
            f.write_all_at(buf, at(i)).expect("pwrite");
            f.sync_data().expect("fdatasync");
        });
        if i >= 10 {
            out.push(ms(d));
        }
    }
    out
}

fn file(path: &Path) -> File {
    OpenOptions::new()
        .read(true)
        .write(true)
        .create(true)
        .truncate(true)
        .open(path)
        .expect("floor file")
}

pub fn write(dir: &Path, n: usize) -> Values {
    fresh_dir(dir);
    let append = file(&dir.join("append"));
    let record = [b'x'; 1024];
    let appended = lat(&append, n, &record, |i| (i * record.len()) as u64);
    // Sixteen blocks written and synced first, then overwritten in turn.
    let over = file(&dir.join("overwrite"));
    let block = [b'y'; 4096];
    for i in 0..16 {
        over.write_all_at(&block, i * 4096).expect("pwrite");
    }
    over.sync_all().expect("fsync");
    let overwrote = lat(&over, n, &block, |i| (i % 16 * 4096) as u64);
    drop((append, over));
    let _ = std::fs::remove_dir_all(dir);
    Values::from([
        ("write_p50_ms".into(), percentile(&appended, 50.0)),
        ("write_p99_ms".into(), percentile(&appended, 99.0)),
        ("overwrite_p50_ms".into(), percentile(&overwrote, 50.0)),
        ("overwrite_p99_ms".into(), percentile(&overwrote, 99.0)),
    ])
}
