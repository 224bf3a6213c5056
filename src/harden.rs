//! Process hardening, done first thing in `main` by both binaries, before
//! any passphrase or key exists: no core dumps (the core-file size limit set
//! to zero, inherited by child processes such as WebKit's), and on Linux the
//! process marked non-dumpable, so that neither a crash report nor another
//! program of the same user (ptrace, /proc/PID/mem) can read decrypted
//! records or the data key out of its memory. Also glibc's allocator set
//! to few heaps (`few_heaps`), while no other thread runs.

/// Sets the allocator (`few_heaps`) and turns core dumps off for this
/// process and its children. Best effort: a
/// system that refuses leaves the process as it was (nothing to tell the
/// person that they could act on).
pub fn process() {
    few_heaps();
    #[cfg(unix)]
    {
        let zero = libc::rlimit {
            rlim_cur: 0,
            rlim_max: 0,
        };
        // SAFETY: setrlimit reads the struct we pass; no memory is shared.
        unsafe {
            libc::setrlimit(libc::RLIMIT_CORE, &zero);
        }
    }
    #[cfg(target_os = "linux")]
    // SAFETY: PR_SET_DUMPABLE takes a plain integer argument.
    unsafe {
        libc::prctl(libc::PR_SET_DUMPABLE, 0, 0, 0, 0);
    }
}

/// glibc's allocator, set once: first thing in `main` by `process` (no
/// other thread yet: glibc's `mallopt` is not safe beside running ones),
/// and before the first vault opens, for programs that use the library
/// without it (the benchmark): at most two
/// heaps ("arenas") for the whole process (glibc gives each new thread its
/// own, up to eight a core, and a batch's workers, `par_map` and
/// `pipeline`, each left
/// their share of parsed and sealed records in theirs, freed but kept), and
/// every block of 256 KiB or more mapped on its own, so that freeing it
/// gives it back at once (glibc otherwise raises that threshold each time
/// such a block is freed, up to 32 MiB, and a batch's large lists then
/// come from the heap and stay there). Together they took a
/// 100,000-record import's peak down by 10–30 MB (README, *Batches*).
#[cfg(all(target_os = "linux", target_env = "gnu"))]
pub fn few_heaps() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    // SAFETY: mallopt only changes how glibc's allocator places blocks;
    // see above for threads.
    ONCE.call_once(|| unsafe {
        libc::mallopt(libc::M_ARENA_MAX, 2);
        libc::mallopt(libc::M_MMAP_THRESHOLD, 256 * 1024);
    });
}

#[cfg(not(all(target_os = "linux", target_env = "gnu")))]
pub fn few_heaps() {}

/// The core-file size limit of this process (soft, hard), for tests.
#[cfg(unix)]
// `rlim_t` is not `u64` on every Unix.
#[allow(clippy::unnecessary_cast)]
pub fn core_limit() -> (u64, u64) {
    let mut lim = libc::rlimit {
        rlim_cur: 0,
        rlim_max: 0,
    };
    // SAFETY: getrlimit writes into the struct we own.
    unsafe {
        libc::getrlimit(libc::RLIMIT_CORE, &mut lim);
    }
    (lim.rlim_cur as u64, lim.rlim_max as u64)
}

/// Whether this process is marked dumpable (Linux), for tests.
#[cfg(target_os = "linux")]
pub fn dumpable() -> bool {
    // SAFETY: PR_GET_DUMPABLE takes no pointer.
    unsafe { libc::prctl(libc::PR_GET_DUMPABLE, 0, 0, 0, 0) != 0 }
}

/// Creates a new folder in `parent` named `PREFIX<pid>-<random>`, readable
/// by its owner only (0700 on Unix), that did not exist before: the name
/// cannot be guessed beforehand, so another user of a shared temp folder
/// cannot plant it (or a link) in advance. The pid in the name lets a later
/// start remove the folders of copies that were killed.
pub fn private_dir(parent: &std::path::Path, prefix: &str) -> std::io::Result<std::path::PathBuf> {
    use rand::RngCore;
    let mut last = None;
    for _ in 0..8 {
        let mut b = [0u8; 12];
        rand::rngs::OsRng.fill_bytes(&mut b);
        let path = parent.join(format!("{prefix}{}-{}", std::process::id(), hex::encode(b)));
        let mut builder = std::fs::DirBuilder::new();
        #[cfg(unix)]
        std::os::unix::fs::DirBuilderExt::mode(&mut builder, 0o700);
        match builder.create(&path) {
            Ok(()) => return Ok(path),
            Err(e) => last = Some(e),
        }
    }
    Err(last.unwrap_or_else(|| std::io::Error::other("no folder")))
}

/// Where the app keeps its per-run private folders: `$XDG_RUNTIME_DIR`
/// (a per-user folder in memory, mode 0700, emptied at logout) when it is
/// set to an existing absolute folder, else the system's temp folder.
pub fn runtime_parent() -> std::path::PathBuf {
    std::env::var_os("XDG_RUNTIME_DIR")
        .map(std::path::PathBuf::from)
        .filter(|p| p.is_absolute() && p.is_dir())
        .unwrap_or_else(std::env::temp_dir)
}

/// Overwrites every byte `bytes` holds, its spare capacity too, with zeros
/// and frees it, leaving it empty: what `zeroize` does to a `Vec`, as one
/// `memset` instead of a volatile write per byte (about ten times faster,
/// for passes that wipe every record they copy: an export wiped 77 MB at
/// about 1 GB/s). The pointer is then handed to `black_box`, which the
/// compiler must assume reads the memory, so the zeros cannot be left out
/// as stores to memory about to be freed. Best effort, like `zeroize`:
/// copies made by earlier reallocations are not reached.
pub fn wipe(bytes: &mut Vec<u8>) {
    let mut v = std::mem::take(bytes);
    let (p, cap) = (v.as_mut_ptr(), v.capacity());
    // SAFETY: `p` is valid for writes of `cap` bytes (the whole allocation).
    unsafe { wipe_raw(p, cap) };
    drop(v);
}

/// Wipes a list a thread reuses (for the next record or value): its bytes
/// overwritten with zeros as `wipe_raw` does and its room kept, or, when
/// it grew past `keep` bytes, wiped whole and freed (`wipe`), so that no
/// thread holds a large list after one large value. Only its length is
/// overwritten: its users must only append to it between two wipes (never
/// truncate or shrink it), so that nothing they wrote stays past its
/// length. Like `wipe`, it cannot reach copies freed as the list grew.
pub fn wipe_kept(bytes: &mut Vec<u8>, keep: usize) {
    if bytes.capacity() > keep {
        wipe(bytes);
    } else {
        // SAFETY: the list's first `len` bytes are its own.
        unsafe { wipe_raw(bytes.as_mut_ptr(), bytes.len()) };
        bytes.clear();
    }
}

/// Overwrites the `len` bytes at `p` with zeros as `wipe` does: one
/// `memset`, then `black_box` and a fence so that the zeros cannot be left
/// out. For memory that is not a `Vec`'s (a key where it lies).
///
/// # Safety
/// `p` must be valid for writes of `len` bytes, and any value those bytes
/// belong to must be one that all zeros may overwrite (it is not read as
/// its type again, or all zeros is a valid one).
pub unsafe fn wipe_raw(p: *mut u8, len: usize) {
    // SAFETY: the caller's promise.
    unsafe { std::ptr::write_bytes(p, 0, len) };
    std::hint::black_box(p);
    std::sync::atomic::compiler_fence(std::sync::atomic::Ordering::SeqCst);
}

#[cfg(test)]
mod tests {
    #[test]
    fn wipe_leaves_nothing_and_an_empty_vec() {
        let mut v = Vec::with_capacity(64);
        v.extend_from_slice(b"Ana Vidal, 555-0100");
        super::wipe(&mut v);
        assert!(v.is_empty() && v.capacity() == 0);
        let mut empty = Vec::new();
        super::wipe(&mut empty);
        assert!(empty.is_empty());
    }

    #[test]
    fn wipe_raw_zeroes_exactly_the_bytes_given() {
        let mut key = [0xA5u8; 64];
        // SAFETY: the 32 bytes from index 16 are `key`'s own.
        unsafe { super::wipe_raw(key[16..].as_mut_ptr(), 32) };
        assert_eq!(key[..16], [0xA5; 16]);
        assert_eq!(key[16..48], [0; 32]);
        assert_eq!(key[48..], [0xA5; 16]);
    }
}
