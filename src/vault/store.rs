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
//! file and the blob directory. Only then does a write return Ok: it then
//! survives SIGKILL (already true after `flush`) and power loss.

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
pub fn write_atomic(dir: &Path, name: &str, bytes: &[u8]) -> Result<(), Error> {
    let tmp = dir.join(format!("{name}.tmp"));
    let mut f = File::create(&tmp).map_err(Error::io)?;
    f.write_all(bytes).map_err(Error::io)?;
    f.sync_all().map_err(Error::io)?;
    drop(f);
    fs::rename(&tmp, dir.join(name)).map_err(Error::io)?;
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
}

impl Durability {
    pub fn new(store: &Path) -> Result<Durability, Error> {
        let log = File::open(store.join("db")).map_err(Error::io)?;
        let blobs = store.join("blobs");
        let synced_blobs = list(&blobs)?;
        sync_dir(store)?;
        Ok(Durability {
            log,
            blobs,
            synced_blobs,
        })
    }

    pub fn sync(&mut self) -> Result<(), Error> {
        self.log.sync_data().map_err(Error::io)?;
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

fn list(dir: &Path) -> Result<HashSet<OsString>, Error> {
    match fs::read_dir(dir) {
        Ok(rd) => Ok(rd.filter_map(|e| e.ok().map(|e| e.file_name())).collect()),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(HashSet::new()),
        Err(e) => Err(Error::io(e)),
    }
}
