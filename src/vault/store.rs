//! The files of a vault on disk, and making writes durable.
//!
//! ```text
//! DIR/key.json   header: format version, vault and device ids, which store
//!                folder is current, Argon2id parameters, salt, and the data
//!                key sealed under the passphrase (the rest of the header is
//!                its associated data)
//! DIR/lock       held with an exclusive OS lock while the vault is open
//! DIR/store/     sled: tree "records" (packs of sealed entries, see `pack`;
//!                before format 4, id → sealed entry; and the sealed
//!                manifest), tree "aux" (see `aux`); a re-key writes the
//!                other folder, DIR/store2/, and back
//! DIR/rekey      only while a re-key is under way: the new store's name
//! ```
//!
//! Why the extra fsync: sled 0.34's `flush()` writes its log with
//! `sync_file_range` on Linux, which does not flush the drive's cache or the
//! file's metadata, and it writes large values to `store/blobs/` without any
//! sync. So after every `flush()` we `fdatasync` sled's log file through our
//! own handle (same inode, so it covers sled's writes) and `fsync` any new blob
//! file and the blob directory (listed only when a file may have been made
//! there: on Linux, an inotify watch on it says so, see `BlobWatch`). Only
//! then does a write return Ok: it then survives SIGKILL (already true after
//! `flush`) and power loss.

use super::Error;
use std::collections::HashSet;
use std::ffi::OsString;
use std::fs::{self, File, OpenOptions};
use std::io::Write;
use std::path::{Path, PathBuf};

pub const HEADER: &str = "key.json";
pub const LOCK: &str = "lock";
pub const STORE: &str = "store";

/// How long opening a vault waits for a lock another process holds.
pub const LOCK_WAIT: std::time::Duration = std::time::Duration::from_secs(2);

/// The exclusive lock on a vault directory, released when dropped (and by the
/// OS if the process dies, so a crash never leaves a vault locked).
pub struct DirLock(#[allow(dead_code)] File);

impl DirLock {
    pub fn acquire(dir: &Path) -> Result<DirLock, Error> {
        let file = OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(dir.join(LOCK))
            .map_err(Error::io)?;
        // A process that was just killed may hold the lock for a moment
        // while it dies: wait up to LOCK_WAIT before saying "in use".
        let start = std::time::Instant::now();
        loop {
            match file.try_lock() {
                Ok(()) => return Ok(DirLock(file)),
                Err(fs::TryLockError::WouldBlock) if start.elapsed() < LOCK_WAIT => {
                    std::thread::sleep(std::time::Duration::from_millis(50));
                }
                Err(fs::TryLockError::WouldBlock) => return Err(Error::InUse),
                Err(fs::TryLockError::Error(e)) => return Err(Error::io(e)),
            }
        }
    }
}

/// Creates the vault directory readable by its owner only.
pub fn create_private_dir(dir: &Path) -> Result<(), Error> {
    fs::create_dir_all(dir).map_err(Error::io)?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        fs::set_permissions(dir, fs::Permissions::from_mode(0o700)).map_err(Error::io)?;
    }
    Ok(())
}

/// Writes `bytes` to `dir/name` so that after a crash the file holds either
/// the old or the new content, whole: temp file, fsync, rename, fsync dir.
///
/// The temp file is made anew, never opened where it is: whatever has that
/// name (a crash's leftover, or a link planted to make us write elsewhere)
/// is removed first, and the file is created only if nothing is there. A
/// write that fails removes it.
pub fn write_atomic(dir: &Path, name: &str, bytes: &[u8]) -> Result<(), Error> {
    let tmp = dir.join(format!("{name}.tmp"));
    match fs::remove_file(&tmp) {
        Err(e) if e.kind() != std::io::ErrorKind::NotFound => return Err(Error::io(e)),
        _ => {}
    }
    let mut open = fs::OpenOptions::new();
    open.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut open, 0o600);
    let mut f = open.open(&tmp).map_err(Error::io)?;
    let written = f
        .write_all(bytes)
        .and_then(|()| f.sync_all())
        .and_then(|()| {
            drop(f);
            fs::rename(&tmp, dir.join(name))
        });
    if let Err(e) = written {
        let _ = fs::remove_file(&tmp);
        return Err(Error::io(e));
    }
    sync_dir(dir)
}

pub fn sync_dir(dir: &Path) -> Result<(), Error> {
    // Directories cannot be opened for sync on Windows; there NTFS journals
    // the rename itself.
    #[cfg(unix)]
    File::open(dir)
        .and_then(|d| d.sync_all())
        .map_err(Error::io)?;
    #[cfg(not(unix))]
    let _ = dir;
    Ok(())
}

/// Makes what sled has flushed durable (see the module docs).
pub struct Durability {
    log: File,
    blobs: PathBuf,
    synced_blobs: HashSet<OsString>,
    #[cfg(target_os = "linux")]
    watch: Option<BlobWatch>,
}

impl Durability {
    pub fn new(store: &Path) -> Result<Durability, Error> {
        let log = File::open(store.join("db")).map_err(Error::io)?;
        let blobs = store.join("blobs");
        // Watched before it is listed, so no file is missed in between.
        #[cfg(target_os = "linux")]
        let watch = BlobWatch::new(&blobs);
        let synced_blobs = list(&blobs)?;
        sync_dir(store)?;
        Ok(Durability {
            log,
            blobs,
            synced_blobs,
            #[cfg(target_os = "linux")]
            watch,
        })
    }

    pub fn sync(&mut self) -> Result<(), Error> {
        self.log.sync_data().map_err(Error::io)?;
        #[cfg(target_os = "linux")]
        if self.watch.as_ref().is_some_and(|w| !w.changed()) {
            return Ok(());
        }
        let now = list(&self.blobs)?;
        let fresh: Vec<_> = now.difference(&self.synced_blobs).cloned().collect();
        if !fresh.is_empty() {
            for name in &fresh {
                // A blob sled already replaced may be gone: nothing to sync then.
                if let Ok(f) = File::open(self.blobs.join(name)) {
                    f.sync_all().map_err(Error::io)?;
                }
            }
            sync_dir(&self.blobs)?;
        }
        self.synced_blobs = now;
        Ok(())
    }
}

/// Whether sled may have made a file in `store/blobs/` since the last look:
/// on Linux an inotify watch on the folder (a file made there is queued as
/// it is made, before sled's `flush()` returns), read without waiting, one
/// system call when nothing happened, instead of listing the folder on
/// every write. Anything read (or an error) counts as a change, so the
/// folder is listed as before; without a watch it always is.
#[cfg(target_os = "linux")]
struct BlobWatch(std::os::fd::OwnedFd);

#[cfg(target_os = "linux")]
impl BlobWatch {
    fn new(dir: &Path) -> Option<BlobWatch> {
        use std::os::fd::{AsRawFd, FromRawFd, OwnedFd};
        use std::os::unix::ffi::OsStrExt;
        let path = std::ffi::CString::new(dir.as_os_str().as_bytes()).ok()?;
        // SAFETY: a new descriptor, owned from here on.
        let fd = unsafe { libc::inotify_init1(libc::IN_NONBLOCK | libc::IN_CLOEXEC) };
        if fd < 0 {
            return None;
        }
        // SAFETY: `fd` is open and ours alone.
        let fd = unsafe { OwnedFd::from_raw_fd(fd) };
        // SAFETY: `path` is a NUL-terminated string that outlives the call.
        let watch = unsafe {
            libc::inotify_add_watch(
                fd.as_raw_fd(),
                path.as_ptr(),
                libc::IN_CREATE | libc::IN_MOVED_TO,
            )
        };
        (watch >= 0).then_some(BlobWatch(fd))
    }

    fn changed(&self) -> bool {
        use std::os::fd::AsRawFd;
        let mut events = [0u8; 4096];
        let mut any = false;
        loop {
            // SAFETY: reads at most `events.len()` bytes into `events`.
            let n =
                unsafe { libc::read(self.0.as_raw_fd(), events.as_mut_ptr().cast(), events.len()) };
            if n > 0 {
                any = true;
                continue;
            }
            let drained =
                n < 0 && std::io::Error::last_os_error().kind() == std::io::ErrorKind::WouldBlock;
            return any || !drained;
        }
    }
}

fn list(dir: &Path) -> Result<HashSet<OsString>, Error> {
    match fs::read_dir(dir) {
        Ok(rd) => Ok(rd.filter_map(|e| e.ok().map(|e| e.file_name())).collect()),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(HashSet::new()),
        Err(e) => Err(Error::io(e)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[cfg(target_os = "linux")]
    #[test]
    fn the_blob_watch_sees_a_file_made_or_moved_in() {
        let tmp = tempfile::TempDir::new().unwrap();
        let watch = BlobWatch::new(tmp.path()).unwrap();
        assert!(!watch.changed());
        fs::write(tmp.path().join("1"), b"blob").unwrap();
        assert!(watch.changed());
        assert!(!watch.changed());
        fs::write(tmp.path().join("1"), b"again").unwrap();
        assert!(!watch.changed(), "a file written over is not a new one");
        let elsewhere = tempfile::TempDir::new_in(tmp.path()).unwrap();
        assert!(watch.changed());
        fs::write(elsewhere.path().join("2"), b"blob").unwrap();
        fs::rename(elsewhere.path().join("2"), tmp.path().join("2")).unwrap();
        assert!(watch.changed());
        // A folder that is not there: no watch, so it is listed every time.
        assert!(BlobWatch::new(&tmp.path().join("none")).is_none());
    }

    #[cfg(unix)]
    #[test]
    fn a_link_where_the_temp_file_goes_is_not_written_through() {
        let tmp = tempfile::TempDir::new().unwrap();
        let (dir, outside) = (tmp.path().join("vault"), tmp.path().join("theirs.txt"));
        fs::create_dir(&dir).unwrap();
        fs::write(&outside, b"someone else's file").unwrap();
        std::os::unix::fs::symlink(&outside, dir.join("key.json.tmp")).unwrap();
        write_atomic(&dir, "key.json", b"new").unwrap();
        assert_eq!(fs::read(&outside).unwrap(), b"someone else's file");
        assert_eq!(fs::read(dir.join("key.json")).unwrap(), b"new");
        assert!(!dir.join("key.json.tmp").exists());
        // A crash's leftover temp file is replaced, not appended to.
        fs::write(dir.join("key.json.tmp"), b"half written and longer").unwrap();
        write_atomic(&dir, "key.json", b"newer").unwrap();
        assert_eq!(fs::read(dir.join("key.json")).unwrap(), b"newer");
    }
}
