//! Peer: the smallest durable write the filesystem allows, the floor under
//! every durable write of ours or SQLCipher's. In the same work folder (so
//! the same filesystem and disk): one `pwrite` appending about 1 KB (a
//! record's size) to a file, then `fdatasync`, as many times as ours writes.
//! For reference, a 4 KB overwrite of a block already on disk, then
//! `fdatasync` (no size or block allocation to commit: the disk's own
//! floor), reported as `overwrite_p50_ms` and `overwrite_p99_ms`.
//!
//! For an export, the floor under any file that must be on the disk when
//! the person is told it is written: the same JSON lines age encrypts
//! (`age_stream`), written to a file in the same folder as they are, in
//! 64 KiB writes, then `fdatasync`, nothing encrypted: what the disk itself
//! takes to hold that many bytes.

use crate::gen;
use crate::util::*;
use std::fs::{File, OpenOptions};
use std::io::Write;
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

/// Writing the bytes of an export durably, with nothing else around it.
pub fn export(people: usize, dir: &Path, reps: usize) -> Values {
    let data = gen::generate(people);
    fresh_dir(dir);
    let mut bytes = Vec::new();
    gen::jsonl(&data.records, |line| bytes.extend_from_slice(line));
    drop(data);
    let mut times = Vec::new();
    for _ in 0..reps {
        let path = dir.join("export");
        let ((), d) = timed(|| {
            let mut f = file(&path);
            for chunk in bytes.chunks(64 << 10) {
                f.write_all(chunk).expect("write");
            }
            f.sync_data().expect("fdatasync");
        });
        times.push(secs(d));
        std::fs::remove_file(&path).expect("remove");
    }
    let _ = std::fs::remove_dir_all(dir);
    Values::from([
        ("export_s".into(), median(&times)),
        ("export_mb".into(), bytes.len() as f64 / (1 << 20) as f64),
    ])
}
