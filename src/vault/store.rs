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

/// Every blob file `Durability::sync` fsynced, for tests (rev7) that look
/// for theirs.
#[cfg(test)]
pub(crate) static SYNCED: std::sync::Mutex<Vec<PathBuf>> = std::sync::Mutex::new(Vec::new());

/// Makes what sled has flushed durable (see the module docs).
pub struct Durability {
    log: File,
    blobs: PathBuf,
    synced_blobs: HashSet<OsString>,
    #[cfg(target_os = "linux")]
    watch: Option<BlobWatch>,
    /// The watch saw something that no complete listing and fsync has
    /// taken in yet (a sync that failed after reading the watch).
    #[cfg(target_os = "linux")]
    unsure: bool,
}

impl Durability {
    pub fn new(store: &Path) -> Result<Durability, Error> {
        let log = File::open(store.join("db")).map_err(Error::io)?;
        let blobs = store.join("blobs");
        // Watched before it is listed, so no file is missed in between.
        #[cfg(target_os = "linux")]
        let watch = BlobWatch::new(&blobs);
        // What is there already is fsynced once: a blob a process killed
        // between sled's `flush()` and `sync` left (sled recovers its value,
        // and later writes build on it), or those a re-key wrote before it
        // made this.
        let mut d = Durability {
            log,
            blobs,
            synced_blobs: HashSet::new(),
            #[cfg(target_os = "linux")]
            watch,
            #[cfg(target_os = "linux")]
            unsure: true,
        };
        d.sync_blobs()?;
        sync_dir(store)?;
        Ok(d)
    }

    pub fn sync(&mut self) -> Result<(), Error> {
        self.log.sync_data().map_err(Error::io)?;
        self.sync_blobs()
    }

    /// Fsyncs every blob file not fsynced yet, and the folder after a new
    /// one, unless the watch says none was made since the last time this
    /// finished.
    fn sync_blobs(&mut self) -> Result<(), Error> {
        #[cfg(target_os = "linux")]
        match self.watch.as_ref().map(BlobWatch::seen) {
            Some(Seen::Nothing) if !self.unsure => return Ok(()),
            // Gone (its folder removed, or events lost): listed every time.
            Some(Seen::Lost) => self.watch = None,
            // A file written after a listing fsynced it (sled's flusher
            // makes one, then writes it): fsynced again.
            Some(Seen::Made(written)) => {
                for name in written {
                    self.synced_blobs.remove(&name);
                }
                self.unsure = true;
            }
            _ => self.unsure = true,
        }
        let now = list(&self.blobs)?;
        let fresh: Vec<_> = now.difference(&self.synced_blobs).cloned().collect();
        if !fresh.is_empty() {
            for name in &fresh {
                // A blob sled already replaced may be gone: nothing to sync
                // then. Any other error fails the write, and the next sync
                // tries again (rev8).
                let f = match File::open(self.blobs.join(name)) {
                    Err(e) if e.kind() == std::io::ErrorKind::NotFound => continue,
                    f => f.map_err(Error::io)?,
                };
                f.sync_all().map_err(Error::io)?;
                #[cfg(test)]
                SYNCED
                    .lock()
                    .unwrap_or_else(|e| e.into_inner())
                    .push(self.blobs.join(name));
            }
            sync_dir(&self.blobs)?;
        }
        self.synced_blobs = now;
        #[cfg(target_os = "linux")]
        {
            self.unsure = false;
        }
        Ok(())
    }
}

/// What a `BlobWatch` saw since the last look.
#[cfg(target_os = "linux")]
#[derive(Debug, PartialEq)]
enum Seen {
    Nothing,
    /// A file made, moved in or written (those written and closed named),
    /// or an error reading: list the folder.
    Made(Vec<OsString>),
    /// The watch ended (its folder removed or moved) or events were lost:
    /// it cannot be trusted again.
    Lost,
}

/// Whether sled may have made a file in `store/blobs/` since the last look:
/// on Linux an inotify watch on the folder (a file made there is queued as
/// it is made, before sled's `flush()` returns), read without waiting, one
/// system call when nothing happened, instead of listing the folder on
/// every write. Anything read (or an error) counts as a change, so the
/// folder is listed as before; a watch that ended (its folder removed or
/// moved, the filesystem unmounted) or lost events is dropped, and without
/// a watch the folder is listed on every write (rev7).
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
                libc::IN_CREATE
                    | libc::IN_MOVED_TO
                    | libc::IN_CLOSE_WRITE
                    | libc::IN_DELETE_SELF
                    | libc::IN_MOVE_SELF,
            )
        };
        (watch >= 0).then_some(BlobWatch(fd))
    }

    fn seen(&self) -> Seen {
        use std::os::fd::AsRawFd;
        use std::os::unix::ffi::OsStrExt;
        const HEAD: usize = std::mem::size_of::<libc::inotify_event>();
        let lost = libc::IN_IGNORED
            | libc::IN_Q_OVERFLOW
            | libc::IN_DELETE_SELF
            | libc::IN_MOVE_SELF
            | libc::IN_UNMOUNT;
        let mut events = [0u8; 4096];
        let (mut any, mut written) = (false, Vec::new());
        loop {
            // SAFETY: reads at most `events.len()` bytes into `events`.
            let n =
                unsafe { libc::read(self.0.as_raw_fd(), events.as_mut_ptr().cast(), events.len()) };
            let n = match usize::try_from(n) {
                Ok(n) if n > 0 => n.min(events.len()),
                // Nothing where an event or "none" was due (rev8).
                Ok(_) => return Seen::Made(written),
                Err(_)
                    if std::io::Error::last_os_error().kind() == std::io::ErrorKind::WouldBlock =>
                {
                    return if any {
                        Seen::Made(written)
                    } else {
                        Seen::Nothing
                    };
                }
                Err(_) => return Seen::Made(written),
            };
            // Any bytes read are a change, parsed or not (rev8).
            any = true;
            // Each event: its head (`inotify_event`: wd, mask, cookie, len),
            // then `len` bytes of name, padded with NULs.
            let mut at = 0;
            while at + HEAD <= n {
                let word = |i: usize| {
                    let mut w = [0u8; 4];
                    w.copy_from_slice(&events[at + i..at + i + 4]);
                    u32::from_ne_bytes(w)
                };
                let (mask, len) = (word(4), word(12) as usize);
                let end = at.saturating_add(HEAD).saturating_add(len);
                // An event cut short (the kernel does not split them) is
                // not to be trusted either.
                let Some(name) = events.get(at + HEAD..end).filter(|_| end <= n) else {
                    return Seen::Lost;
                };
                if mask & lost != 0 {
                    return Seen::Lost;
                }
                if mask & libc::IN_CLOSE_WRITE != 0 {
                    let name = name.split(|&b| b == 0).next().unwrap_or_default();
                    written.push(std::ffi::OsStr::from_bytes(name).to_os_string());
                }
                at = end;
            }
        }
    }
}

fn list(dir: &Path) -> Result<HashSet<OsString>, Error> {
    match fs::read_dir(dir) {
        // An entry that cannot be read fails the sync (rev8): it may be a
        // blob not yet fsynced.
        Ok(rd) => rd
            .map(|e| e.map(|e| e.file_name()))
            .collect::<Result<_, _>>()
            .map_err(Error::io),
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
        assert_eq!(watch.seen(), Seen::Nothing);
        fs::write(tmp.path().join("1"), b"blob").unwrap();
        assert!(matches!(watch.seen(), Seen::Made(_)));
        assert_eq!(watch.seen(), Seen::Nothing);
        fs::write(tmp.path().join("1"), b"again").unwrap();
        // A file written over is named, to be fsynced again (rev8).
        let written = vec![OsString::from("1")];
        assert_eq!(watch.seen(), Seen::Made(written));
        let elsewhere = tempfile::TempDir::new_in(tmp.path()).unwrap();
        assert!(matches!(watch.seen(), Seen::Made(_)));
        fs::write(elsewhere.path().join("2"), b"blob").unwrap();
        fs::rename(elsewhere.path().join("2"), tmp.path().join("2")).unwrap();
        assert!(matches!(watch.seen(), Seen::Made(_)));
        // A folder that is not there: no watch, so it is listed every time.
        assert!(BlobWatch::new(&tmp.path().join("none")).is_none());
    }

    /// A store folder with an empty log and a `blobs` folder, holding the
    /// blob files named.
    fn store_with(blobs: &[&str]) -> tempfile::TempDir {
        let tmp = tempfile::TempDir::new().unwrap();
        fs::write(tmp.path().join("db"), b"").unwrap();
        fs::create_dir(tmp.path().join("blobs")).unwrap();
        for name in blobs {
            fs::write(tmp.path().join("blobs").join(name), b"blob").unwrap();
        }
        tmp
    }

    /// An empty store (`store_with`) and its `Durability`.
    fn opened() -> (tempfile::TempDir, Durability) {
        let tmp = store_with(&[]);
        let d = Durability::new(tmp.path()).unwrap();
        (tmp, d)
    }

    fn assert_fsynced(store: &Path, name: &str) {
        let blob = store.join("blobs").join(name);
        let synced = SYNCED.lock().unwrap_or_else(|e| e.into_inner());
        assert!(synced.contains(&blob), "{blob:?} was never fsynced");
    }

    /// rev7: a sync that read the watch's news and then failed (the folder
    /// could not be listed for a moment: here something else is in its
    /// place; in life EMFILE, ENOMEM, EIO) stays unsure: the next sync
    /// lists the folder and fsyncs the blob file made before.
    #[cfg(target_os = "linux")]
    #[test]
    fn a_blob_a_failed_sync_saw_is_fsynced_by_the_next() {
        let (tmp, mut d) = opened();
        let store = tmp.path();
        fs::write(store.join("blobs").join("7"), b"blob").unwrap();
        fs::rename(store.join("blobs"), store.join("away")).unwrap();
        fs::write(store.join("blobs"), b"").unwrap();
        assert!(d.sync().is_err(), "the folder cannot be listed");
        fs::remove_file(store.join("blobs")).unwrap();
        fs::rename(store.join("away"), store.join("blobs")).unwrap();
        d.sync().unwrap();
        assert_fsynced(store, "7");
    }

    /// rev8: a blob file that cannot be opened for a moment (EMFILE,
    /// ENFILE, ENOMEM, EIO; here a link to itself, ELOOP) fails the sync,
    /// and a later sync fsyncs it: only NotFound means "gone".
    #[cfg(unix)]
    #[test]
    fn a_blob_that_could_not_be_opened_is_fsynced_by_a_later_sync() {
        let (tmp, mut d) = opened();
        let store = tmp.path();
        let blob = store.join("blobs").join("3");
        std::os::unix::fs::symlink(&blob, &blob).unwrap();
        assert!(d.sync().is_err(), "the blob cannot be opened");
        fs::remove_file(&blob).unwrap();
        fs::write(&blob, b"blob").unwrap();
        d.sync().unwrap();
        assert_fsynced(store, "3");
    }

    /// rev8: sled's flusher thread (its segment cleaner rewrites a page,
    /// which may go to a new blob file: `create_new`, then `write_all`)
    /// can make a blob file while a write's sync lists the folder: the
    /// file, fsynced empty, is fsynced again once written.
    #[cfg(target_os = "linux")]
    #[test]
    fn a_blob_written_after_it_was_listed_is_fsynced_after() {
        use std::io::Write;
        let (tmp, mut d) = opened();
        let store = tmp.path();
        let blob = store.join("blobs").join("4");
        let times = || {
            let synced = SYNCED.lock().unwrap_or_else(|e| e.into_inner());
            synced.iter().filter(|p| **p == blob).count()
        };
        let mut f = File::create_new(&blob).unwrap();
        d.sync().unwrap();
        let before = times();
        f.write_all(b"blob").unwrap();
        drop(f);
        d.sync().unwrap();
        assert!(times() > before, "{blob:?}'s bytes were never fsynced");
    }

    /// rev8: any bytes the watch reads are a change, even fewer than one
    /// event's head (the kernel does not split events), and so is a read
    /// that returns 0 (judged by no stale error code). Here the watch's
    /// descriptor is a pipe, to give it such reads.
    #[cfg(target_os = "linux")]
    #[test]
    fn the_blob_watch_counts_any_bytes_read_as_a_change() {
        use std::os::fd::{FromRawFd, OwnedFd};
        let pipe = || {
            let mut fds = [0; 2];
            // SAFETY: `fds` has room for the two descriptors.
            assert_eq!(
                unsafe { libc::pipe2(fds.as_mut_ptr(), libc::O_NONBLOCK) },
                0
            );
            // SAFETY: both are new and owned from here on.
            unsafe { (OwnedFd::from_raw_fd(fds[0]), OwnedFd::from_raw_fd(fds[1])) }
        };
        let (read, write) = pipe();
        let mut w = File::from(write);
        w.write_all(&[1; 8]).unwrap();
        assert_ne!(BlobWatch(read).seen(), Seen::Nothing, "8 bytes read");
        let (read, write) = pipe();
        drop(write);
        let (empty, _keep) = pipe();
        // Leaves errno at EAGAIN.
        assert!(std::io::Read::read(&mut File::from(empty), &mut [0; 1]).is_err());
        assert_ne!(BlobWatch(read).seen(), Seen::Nothing, "a read of 0");
    }

    /// rev7: a blobs folder removed and made again (by anything) ends the
    /// watch; it is then dropped, and every sync lists the new folder.
    #[cfg(target_os = "linux")]
    #[test]
    fn a_blob_in_a_blobs_folder_made_again_is_fsynced() {
        let (tmp, mut d) = opened();
        let store = tmp.path();
        fs::remove_dir(store.join("blobs")).unwrap();
        fs::create_dir(store.join("blobs")).unwrap();
        d.sync().unwrap();
        fs::write(store.join("blobs").join("9"), b"blob").unwrap();
        d.sync().unwrap();
        assert_fsynced(store, "9");
    }

    /// rev7 (before wr4 too): a blob file already there when a store is
    /// opened is fsynced once: one a process killed between sled's
    /// `flush()` and `sync` left (its log was written, so sled recovers
    /// the value, and later writes build on it), or all those a re-key
    /// wrote before it made its `Durability` (see `rekey`'s test).
    #[test]
    fn a_blob_there_before_is_fsynced_once() {
        let tmp = store_with(&["5"]);
        Durability::new(tmp.path()).unwrap().sync().unwrap();
        assert_fsynced(tmp.path(), "5");
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
