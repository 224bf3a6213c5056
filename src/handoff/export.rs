//! Writing a handoff: recipients resolved from the address book, the bundle
//! encrypted to a temporary file, the audit log line written, and only then
//! the file put in place.

use super::agefile::Encryptor;
use super::*;
use std::sync::Arc;

/// Who an export is encrypted to.
pub enum To<'a> {
    /// Stewards by name, or bare `age1…` keys.
    Stewards(&'a [String]),
    Passphrase(&'a Passphrase, u8),
}

/// Resolves `--to` values to recipients: a name in the address book, or an
/// `age1…` key (listed as itself).
pub fn recipients(vault: &Vault, to: &[String]) -> Result<Vec<(Peer, PublicKeys)>, Error> {
    if to.is_empty() {
        return Err(Error::NoRecipients);
    }
    let mut out: Vec<(Peer, PublicKeys)> = Vec::new();
    for t in to {
        let (name, keys) = match vault.steward(t) {
            Some(s) if s.revoked.is_some() => return Err(Error::Revoked(s.name.clone())),
            Some(s) => (s.name.clone(), s.keys.clone()),
            None if t.trim().starts_with("age1") => {
                keys::parse_age_key(t)?;
                let keys = PublicKeys {
                    age: t.trim().to_string(),
                    sign: None,
                };
                let name = vault
                    .stewards()
                    .find(|s| s.keys.age == keys.age)
                    .map_or_else(String::new, |s| s.name.clone());
                (name, keys)
            }
            None => return Err(Error::NoSteward(t.clone())),
        };
        if let Some(s) = revoked_by_keys(vault, &keys) {
            return Err(Error::Revoked(s.name.clone()));
        }
        if out.iter().all(|(_, k)| k.age != keys.age) {
            let peer = Peer {
                name,
                fingerprint: keys.fingerprint(),
                trust: None,
            };
            out.push((peer, keys));
        }
    }
    Ok(out)
}

/// What was written.
#[derive(Clone, Debug, Serialize)]
pub struct Written {
    pub file: PathBuf,
    pub plan: ExportPlan,
    pub recipients: Vec<Peer>,
    pub passphrase: bool,
}

/// Writes the export file and records it in the audit log.
pub fn export(vault: &mut Vault, plan: ExportPlan, to: &To, out: &Path) -> Result<Written, Error> {
    export_with(vault, plan, to, out, &NEVER)
}

/// `export`, stopped cleanly (no file, no log line: nothing changed) as soon
/// as `stop` is raised (the vault is locking).
pub fn export_with(
    vault: &mut Vault,
    plan: ExportPlan,
    to: &To,
    out: &Path,
    stop: &AtomicBool,
) -> Result<Written, Error> {
    refuse_early(vault, out)?;
    let (peers, passphrase, tmp) = write_file(vault, out, to, Purpose::Handoff, &plan, None, stop)?;
    log_written(
        vault,
        Action::Export,
        plan,
        peers,
        passphrase,
        tmp,
        out,
        stop,
    )
}

/// What would fail only after the audit log line is written is refused
/// before anything is written (not even a temporary file): a read-only
/// vault cannot write that line, and a folder at `out` cannot be replaced
/// by the file.
pub(super) fn refuse_early(vault: &Vault, out: &Path) -> Result<(), Error> {
    if vault.read_only() {
        return Err(vault::Error::ReadOnly.into());
    }
    if out.is_dir() {
        let e = std::io::Error::new(std::io::ErrorKind::IsADirectory, "a folder is in the way");
        return Err(Error::Write(out.to_path_buf(), e));
    }
    Ok(())
}

/// Encrypts a bundle of `plan`'s records (and, for a backup, the vault's own
/// state) to a temporary file beside `out`, complete and synced. It is put
/// in place by `log_written` only once the audit log line is written: a
/// half-written export never appears under its name, and a file already at
/// `out` (last week's backup) is never replaced by one that is then removed.
pub(super) fn write_file(
    vault: &Vault,
    out: &Path,
    to: &To,
    purpose: Purpose,
    plan: &ExportPlan,
    state: Option<&VaultState>,
    stop: &AtomicBool,
) -> Result<(Vec<Peer>, bool, tempfile::NamedTempFile), Error> {
    let (peers, recipient_keys, passphrase) = match to {
        To::Stewards(names) => {
            let r = recipients(vault, names)?;
            let keys = r
                .iter()
                .map(|(_, k)| k.recipient())
                .collect::<Result<Vec<_>, _>>()?;
            (r.into_iter().map(|(p, _)| p).collect(), keys, None)
        }
        To::Passphrase(p, work) => (Vec::new(), Vec::new(), Some((*p, *work))),
    };
    let encryptor = match passphrase {
        Some((p, work)) => {
            let mut r = age::scrypt::Recipient::new(SecretString::from(p.expose().to_string()));
            r.set_work_factor(work);
            Encryptor::with_recipients(std::iter::once(&r as &dyn age::Recipient))
        }
        None => Encryptor::with_recipients(recipient_keys.iter().map(|r| r as &dyn age::Recipient)),
    }
    .map_err(|e| match e {
        // The system's random generator or the header's writing failed.
        age::EncryptError::Io(e) => Error::Write(out.to_path_buf(), e),
        _ => Error::NoRecipients,
    })?;

    let header = Header {
        aqui_bundle: bundle::VERSION,
        purpose,
        created: Utc::now(),
        sender: Sender {
            name: vault.keys().name.clone(),
            keys: vault.keys().public(),
        },
        device: vault.device().to_string(),
        recipients: peers.iter().map(|p| p.fingerprint.clone()).collect(),
        records: plan.ids.len() as u64,
        counts: plan.counts.clone(),
        sensitive_included: plan.sensitive_included,
        excluded: plan.excluded,
    };
    let dir = match out.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let failed = |e: std::io::Error| Error::Write(out.to_path_buf(), e);
    let tmp = tempfile::Builder::new()
        .prefix(".aqui-export-")
        .tempfile_in(&dir)
        .map_err(failed)?;
    let write = || -> std::io::Result<()> {
        let file = tmp.as_file().try_clone()?;
        let age_out = encryptor.wrap_output(BufWriter::new(Writeback::new(file)))?;
        let mut w = bundle::Writer::start(age_out, &header)?;
        if let Some(state) = state {
            w.vault_state(state)?;
        }
        // Records are opened on every core while this thread hashes and
        // encrypts them, in order. One that names none of the hidden people
        // travels as stored, not parsed, opened straight into its line (see
        // `stored_line`).
        let hidden = Hidden::new(&plan.hidden);
        let line = |id: &Id, out: &mut Vec<u8>| -> std::io::Result<()> {
            // Opened for the moment, not kept (see `Vault::entry_once`); the
            // long way parses what was opened. One that no longer opens
            // stops the file: its header promised it.
            let entry = match NEXT_SLOT.with(|next| stored_line(vault, out, id, &hidden, next)) {
                Stored::Written => return Ok(()),
                Stored::Other(mut json) => {
                    let entry = Vault::parse_json(id, &json).map(Cow::Owned);
                    crate::harden::wipe(&mut json);
                    entry
                }
                Stored::NotOpened => vault.entry_once(id),
            };
            let Some(entry) = entry else {
                return Err(std::io::Error::other(UnreadableMark(id.clone())));
            };
            let stripped = entry
                .record
                .as_ref()
                .and_then(|r| strip_refs(r, &plan.hidden));
            match stripped {
                Some(record) => {
                    let entry = Entry {
                        meta: entry.meta.clone(),
                        record: Some(record),
                    };
                    bundle::entry_line(out, id, &entry)
                }
                None => bundle::entry_line(out, id, &entry),
            }
        };
        let stopped = || match stop.load(Ordering::Relaxed) {
            true => Err(stopped_io()),
            false => Ok(()),
        };
        w.entries(&plan.ids, line, stopped)?;
        let buffered = w.finish(vault.keys())?.finish()?;
        buffered.into_inner().map_err(|e| e.into_error())?.finish()
    };
    // On an error `tmp` is dropped, and the half-written file with it.
    write().map_err(|e| {
        let unreadable = e.get_ref().and_then(|i| i.downcast_ref::<UnreadableMark>());
        if is_stop(&e) {
            Error::Stopped
        } else if let Some(UnreadableMark(id)) = unreadable {
            Error::Unreadable(id.clone())
        } else {
            failed_io(out, e)
        }
    })?;
    Ok((peers, passphrase.is_some(), tmp))
}

/// The file being written, its writeback to the disk started every few
/// megabytes as the bytes arrive (`sync_file_range`, Linux), and, on a
/// local disk (`on_local_disk`, Linux), what is written made durable every
/// `SYNC_EVERY` bytes by an `fdatasync` on a thread of its own, so the
/// closing sync (`finish`) has the last few megabytes to write, not the
/// whole file's blocks to commit (on ext4 it took 50–90 ms after a 90 MB
/// export, whatever had been written back before: 12 ms with these). What
/// they write is encrypted bytes already in the file; nothing is promised
/// until `finish`'s `sync_all`, and an error any of them meets is the
/// export's. The thread shares this very open file (`Arc`): no copy of it
/// is closed before `finish` has synced (a close can run a sync of its own
/// and use up a write-back error the closing sync would have reported, as
/// older NFS clients did).
struct Writeback {
    file: Arc<File>,
    written: u64,
    started: u64,
    synced: u64,
    /// Whether `fdatasync`s run behind the writer.
    behind: bool,
    syncing: Option<std::thread::JoinHandle<std::io::Result<()>>>,
}

impl Writeback {
    /// Bytes written between two starts of writeback.
    const EVERY: u64 = 4 << 20;
    /// Bytes written between two `fdatasync`s on the thread.
    const SYNC_EVERY: u64 = 16 << 20;

    fn new(file: File) -> Writeback {
        #[cfg(target_os = "linux")]
        let behind = on_local_disk(&file);
        #[cfg(not(target_os = "linux"))]
        let behind = false;
        Writeback::with(file, behind)
    }

    fn with(file: File, behind: bool) -> Writeback {
        Writeback {
            file: Arc::new(file),
            written: 0,
            started: 0,
            synced: 0,
            behind,
            syncing: None,
        }
    }

    /// Waits for the `fdatasync` in flight, if any: its error, if it met one.
    fn settle(&mut self) -> std::io::Result<()> {
        match self.syncing.take().map(|t| t.join()) {
            None | Some(Ok(Ok(()))) => Ok(()),
            Some(Ok(Err(e))) => Err(e),
            Some(Err(_)) => Err(std::io::Error::other("the syncing thread stopped")),
        }
    }

    /// Starts an `fdatasync` on a thread once `SYNC_EVERY` more bytes are
    /// written and the one before has finished (its error is returned).
    /// If no thread can be started, `finish` alone syncs, as it always may.
    fn sync_behind(&mut self) -> std::io::Result<()> {
        if !self.behind
            || self.written - self.synced < Self::SYNC_EVERY
            || self.syncing.as_ref().is_some_and(|t| !t.is_finished())
        {
            return Ok(());
        }
        self.settle()?;
        let file = Arc::clone(&self.file);
        self.syncing = std::thread::Builder::new()
            .name("aqui-exp-sync".into())
            .spawn(move || file.sync_data())
            .ok();
        self.synced = self.written;
        Ok(())
    }

    /// Every byte written, the `fdatasync` behind the writer done (its
    /// error is the export's), then the file synced: the promise.
    fn finish(mut self) -> std::io::Result<()> {
        self.flush()?;
        self.settle()?;
        self.file.sync_all()
    }
}

impl Drop for Writeback {
    /// A failed or stopped export does not wait for the thread's
    /// `fdatasync` (on a USB stick or a far server it can take seconds,
    /// and locking waits for the export): the thread is let go, holding
    /// only encrypted bytes of a file already being removed, and closes it
    /// when its sync returns.
    fn drop(&mut self) {
        drop(self.syncing.take());
    }
}

impl Write for Writeback {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        // The thread's error before these bytes are written: a write that
        // fails has written nothing.
        self.sync_behind()?;
        let n = (&*self.file).write(bytes)?;
        self.written += n as u64;
        if self.written - self.started >= Self::EVERY {
            #[cfg(target_os = "linux")]
            // SAFETY: a call on a file descriptor this struct owns, with no
            // memory passed; a failure only leaves the work to `sync_all`.
            unsafe {
                use std::os::fd::AsRawFd;
                libc::sync_file_range(
                    self.file.as_raw_fd(),
                    self.started as libc::off64_t,
                    (self.written - self.started) as libc::off64_t,
                    libc::SYNC_FILE_RANGE_WRITE,
                );
            }
            self.started = self.written;
        }
        Ok(n)
    }

    fn flush(&mut self) -> std::io::Result<()> {
        (&*self.file).flush()
    }
}

/// The ids of the people left out of a file, as `stored_line` looks for
/// them in every string of every record: most strings are not as long as
/// any of them, and are not hashed.
struct Hidden<'a> {
    ids: hashbrown::HashSet<&'a [u8]>,
    lengths: std::ops::RangeInclusive<usize>,
}

impl Hidden<'_> {
    /// Whether `json` holds any of the ids between quotes, anywhere (a
    /// reference, or text that happens to be one): an id in JSON is a
    /// string of its own, never escaped.
    fn named_in(&self, json: &[u8]) -> bool {
        if self.ids.is_empty() {
            return false;
        }
        let mut quotes = memchr::memchr_iter(b'"', json);
        let mut last = quotes.next();
        for q in quotes {
            if last
                .and_then(|p| json.get(p + 1..q))
                .is_some_and(|s| self.lengths.contains(&s.len()) && self.ids.contains(s))
            {
                return true;
            }
            last = Some(q);
        }
        false
    }

    fn new(hidden: &BTreeSet<Id>) -> Hidden<'_> {
        let ids: hashbrown::HashSet<&[u8]> = hidden.iter().map(|i| i.as_str().as_bytes()).collect();
        let min = ids.iter().map(|i| i.len()).min().unwrap_or(1);
        let max = ids.iter().map(|i| i.len()).max().unwrap_or(0);
        Hidden {
            ids,
            lengths: min..=max,
        }
    }
}

thread_local! {
    /// Where this thread looks for the next record it writes as stored
    /// (see `Vault::append_json`): the slot after the last one. An export
    /// of everything takes the records in slot order, a few hundred at a
    /// time on each thread; a wrong guess costs one comparison of ids.
    static NEXT_SLOT: std::cell::Cell<u32> = const { std::cell::Cell::new(0) };
}

/// What `stored_line` did with a record.
enum Stored {
    /// Its line is written.
    Written,
    /// Its stored JSON names one of the hidden ids (or is not what
    /// `serde_json` writes for an entry): parse it, the long way.
    Other(Vec<u8>),
    /// No stored JSON (see `Vault::append_json`): open it the long way.
    NotOpened,
}

/// Appends the line of record `id`, its entry as stored (see
/// `Vault::entry_json`), opened straight after the line's start, unless
/// that names one of the `hidden` ids (which `strip_refs` takes out). The
/// line is the very bytes `bundle::entry_line` writes for the entry parsed:
/// the stored JSON is what `serde_json` wrote for it, `{"meta":…,"record":…}`,
/// and the line that same object with the id first, so the JSON's opening
/// `{` becomes the comma after the id. Otherwise `out` is left as it was.
fn stored_line(
    vault: &Vault,
    out: &mut Vec<u8>,
    id: &Id,
    hidden: &Hidden,
    next: &std::cell::Cell<u32>,
) -> Stored {
    let start = out.len();
    out.extend_from_slice(b"{\"id\":\"");
    out.extend_from_slice(id.as_str().as_bytes());
    out.push(b'"');
    let at = out.len();
    let mut slot = next.get();
    let opened = vault.append_json(id, &mut slot, out);
    next.set(slot);
    if !opened {
        out.truncate(start);
        return Stored::NotOpened;
    }
    let json = &out[at..];
    if json.starts_with(b"{\"meta\":") && !hidden.named_in(json) {
        out[at] = b',';
        out.push(b'\n');
        return Stored::Written;
    }
    let json = json.to_vec();
    out.truncate(start);
    Stored::Other(json)
}

/// Logs a file just written to `tmp`, then renames it to `out`. If the log
/// cannot be written (a read-only vault, a full disk) or the vault is
/// locking, the temporary file is dropped and whatever was at `out` stays
/// as it was: no handoff leaves without its line in the audit log. If the
/// rename fails after the line is written, that is an error (the file is
/// not in place; the log says more left than did, never less).
#[allow(clippy::too_many_arguments)]
pub(super) fn log_written(
    vault: &mut Vault,
    action: Action,
    plan: ExportPlan,
    peers: Vec<Peer>,
    passphrase: bool,
    tmp: tempfile::NamedTempFile,
    out: &Path,
    stop: &AtomicBool,
) -> Result<Written, Error> {
    if stop.load(Ordering::Relaxed) {
        return Err(Error::Stopped);
    }
    let entry = LogEntry {
        time: Utc::now(),
        action,
        counts: plan.counts.clone(),
        deletions: plan.deletions,
        peers: peers.clone(),
        passphrase,
        sensitive_included: plan.sensitive_included,
        excluded: plan.excluded,
        merged: None,
        warnings: Vec::new(),
    };
    let mut changes = Changes::new();
    changes.log(entry);
    vault.commit(changes)?;
    let replaced = Replaced::hold(out);
    tmp.persist(out).map_err(|e| failed_io(out, e.error))?;
    if let Some(dir) = out.parent().filter(|p| !p.as_os_str().is_empty()) {
        // The rename itself made durable (best effort: not every system
        // lets a folder be opened to sync it).
        let _ = File::open(dir).and_then(|d| d.sync_all());
    }
    replaced.close_elsewhere();
    Ok(Written {
        file: out.to_path_buf(),
        plan,
        recipients: peers,
        passphrase,
    })
}

/// The file a new one is renamed over (last week's backup, the export
/// before), held open across the rename and closed on a thread of its own.
/// Whoever drops the last hold on a file frees its pages and blocks: done
/// by the rename, that was 30-55 ms of a 90 MB export's end on this
/// thread (`strace -T`; README, "Export and import"). Nothing of it is
/// read; it is gone from its folder as before, and freed a moment later.
struct Replaced(Option<File>);

impl Replaced {
    /// A hold on what is at `out`, if anything (Linux: `O_PATH`, which
    /// neither reads it nor waits, whatever it is, a pipe too) on a local
    /// disk (`on_local_disk`); `None` elsewhere, or if it cannot be had:
    /// then the rename frees it, as before.
    fn hold(out: &Path) -> Replaced {
        #[cfg(target_os = "linux")]
        {
            use std::os::unix::fs::OpenOptionsExt;
            let held = std::fs::OpenOptions::new()
                .read(true)
                .custom_flags(libc::O_PATH | libc::O_NOFOLLOW)
                .open(out);
            Replaced(held.ok().filter(on_local_disk))
        }
        #[cfg(not(target_os = "linux"))]
        {
            let _ = out;
            Replaced(None)
        }
    }

    /// Lets go of the file on another thread (or on this one, if no thread
    /// can be started).
    fn close_elsewhere(self) {
        if let Some(file) = self.0 {
            let _ = std::thread::Builder::new()
                .name("aqui-replaced".into())
                .spawn(move || drop(file));
        }
    }
}

/// Whether `file` is on a filesystem where a file renamed over while held
/// is simply freed when the hold goes: ext2–4, XFS, Btrfs, F2FS, tmpfs and
/// overlays. Not NFS, where a held file is first renamed aside (`.nfs…`),
/// so that the replacing takes two steps and a crash between them can
/// leave last week's file behind; not FAT on a USB stick, whose freed
/// space the folder's sync would no longer cover (README, "Export and
/// import").
#[cfg(target_os = "linux")]
fn on_local_disk(file: &File) -> bool {
    use std::os::fd::AsRawFd;
    const LOCAL: [u32; 6] = [
        0xEF53,      // ext2, ext3, ext4
        0x5846_5342, // XFS
        0x9123_683E, // Btrfs
        0xF2F5_2010, // F2FS
        0x0102_1994, // tmpfs
        0x794C_7630, // overlayfs
    ];
    let mut st = std::mem::MaybeUninit::<libc::statfs>::uninit();
    // SAFETY: an open descriptor, and room for one `statfs`.
    if unsafe { libc::fstatfs(file.as_raw_fd(), st.as_mut_ptr()) } != 0 {
        return false;
    }
    // SAFETY: filled by the call that succeeded. The magic numbers are 32
    // bits; `f_type` is as wide as a `long` here.
    let kind = unsafe { st.assume_init() }.f_type as u32;
    LOCAL.contains(&kind)
}

fn failed_io(out: &Path, e: std::io::Error) -> Error {
    match vault::Error::io(e) {
        vault::Error::DiskFull => vault::Error::DiskFull.into(),
        vault::Error::Io(e) => Error::Write(out.to_path_buf(), e),
        other => other.into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testkit::{new_vault, pass, rec};

    fn leftovers(dir: &Path) -> Vec<String> {
        std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .filter(|n| n.starts_with(".aqui-export-"))
            .collect()
    }

    /// A large file is made durable behind the writer (an `fdatasync` on a
    /// thread every `SYNC_EVERY` bytes), on a local disk only, and arrives
    /// whole.
    #[cfg(target_os = "linux")]
    #[test]
    fn a_large_file_is_synced_behind_the_writer_and_arrives_whole() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("out");
        let mut w = Writeback::new(File::create(&path).unwrap());
        assert_eq!(w.behind, on_local_disk(&File::open(dir.path()).unwrap()));
        w.behind = true;
        let block: Vec<u8> = (0..=255u8).cycle().take(64 << 10).collect();
        let blocks = (Writeback::SYNC_EVERY * 2 / block.len() as u64 + 3) as usize;
        for _ in 0..blocks {
            w.write_all(&block).unwrap();
        }
        assert!(
            w.synced >= Writeback::SYNC_EVERY,
            "no fdatasync was started"
        );
        w.finish().unwrap();
        let back = std::fs::read(&path).unwrap();
        assert_eq!(back.len(), blocks * block.len());
        assert!(back.chunks(block.len()).all(|c| c == block.as_slice()));
        // Not on a pipe (nor anything but a local disk).
        let (_reader, writer) = std::io::pipe().unwrap();
        assert!(!Writeback::new(File::from(std::os::fd::OwnedFd::from(writer))).behind);
    }

    /// An error the thread's `fdatasync` meets is the writer's: written to
    /// a pipe (which takes the bytes but cannot be synced) as if it were a
    /// local disk, the write after it, or `settle`, fails with the sync's
    /// error, `EINVAL`, before `finish`'s own sync is reached.
    #[cfg(target_os = "linux")]
    #[test]
    fn an_error_of_the_sync_behind_is_the_writers() {
        let (reader, writer) = std::io::pipe().unwrap();
        let drain = std::thread::spawn(move || {
            let mut reader = reader;
            std::io::copy(&mut reader, &mut std::io::sink()).unwrap()
        });
        let mut w = Writeback::with(File::from(std::os::fd::OwnedFd::from(writer)), true);
        let block = vec![7u8; 64 << 10];
        let mut failed = None;
        for _ in 0..(Writeback::SYNC_EVERY * 2 / block.len() as u64) {
            if let Err(e) = w.write_all(&block) {
                failed = Some(e);
                break;
            }
        }
        let failed = failed
            .or_else(|| w.settle().err())
            .expect("the sync's error");
        assert_eq!(failed.raw_os_error(), Some(libc::EINVAL), "{failed:?}");
        drop(w);
        drain.join().unwrap();
    }

    /// The file an export replaces is held across the rename (so that it is
    /// freed on another thread), whatever it is: a file, a link (the link
    /// itself), a named pipe (not opened for reading: nothing waits), or
    /// nothing. The new file is in place either way.
    #[test]
    #[cfg(target_os = "linux")]
    fn what_a_file_replaces_is_held_without_reading_it() {
        let dir = tempfile::tempdir().unwrap();
        // Held only on a local disk: what a test's temporary folder is on
        // nearly every machine; not /proc (nor NFS, nor a USB stick's FAT).
        let local = on_local_disk(&File::open(dir.path()).unwrap());
        assert!(!on_local_disk(&File::open("/proc/self/status").unwrap()));
        let out = dir.path().join("backup.age");
        assert!(Replaced::hold(&out).0.is_none(), "nothing there");
        std::fs::write(dir.path().join("target"), b"kept").unwrap();
        let pipe = std::ffi::CString::new(
            dir.path()
                .join("pipe")
                .into_os_string()
                .into_encoded_bytes(),
        )
        .unwrap();
        // SAFETY: a path that lives across the call.
        assert_eq!(unsafe { libc::mkfifo(pipe.as_ptr(), 0o600) }, 0);
        std::os::unix::fs::symlink(dir.path().join("target"), dir.path().join("link")).unwrap();
        for (name, before) in [("file", &b"last week"[..]), ("link", b""), ("pipe", b"")] {
            let at = dir.path().join(name);
            if name == "file" {
                std::fs::write(&at, before).unwrap();
            }
            let held = Replaced::hold(&at);
            assert_eq!(held.0.is_some(), local, "{name}");
            std::fs::write(dir.path().join("new"), b"this week").unwrap();
            std::fs::rename(dir.path().join("new"), &at).unwrap();
            held.close_elsewhere();
            assert_eq!(std::fs::read(&at).unwrap(), b"this week", "{name}");
        }
        assert_eq!(std::fs::read(dir.path().join("target")).unwrap(), b"kept");
    }

    /// A record planned for a file that no longer opens when its line is
    /// written (damage met late, a fault in memory) stops the export: the
    /// header already counted it, and a file with fewer records than it
    /// says cannot be read. Nothing is left at the path or beside it, and
    /// nothing is logged. Before, the record was skipped and the file kept.
    #[test]
    fn a_record_that_no_longer_opens_stops_the_export_and_leaves_nothing() {
        let (tmp, mut v) = new_vault();
        let dir = v.dir().to_path_buf();
        let people: Vec<Id> = ["Ana Vidal", "Bea Ruiz", "Carla Soto"]
            .iter()
            .map(|n| v.add(rec(Kind::Person, &[("name", n), ("share", "yes")])))
            .collect::<Result<_, _>>()
            .unwrap();
        let note = v
            .add(rec(Kind::Note, &[("title", "Meeting"), ("body", "x")]))
            .unwrap();
        drop(v);
        let out_dir = tmp.path().join("usb");
        std::fs::create_dir(&out_dir).unwrap();
        let out = out_dir.join("beto.age");
        std::fs::write(&out, b"last week's handoff").unwrap();
        let secret = Passphrase::new("a long handoff passphrase".to_string());
        let to = To::Passphrase(&secret, 10);

        // A note found damaged only when written (the selection does not
        // open notes), and a person after the selection opened them.
        for (damaged, before_select) in [(&note, true), (&people[1], false)] {
            let mut v = Vault::unlock(&dir, &pass()).unwrap();
            let log = v.log().len();
            if before_select {
                v.damage_in_memory(damaged);
            }
            let plan = select(&v, &Selection::All, false).unwrap();
            assert!(plan.ids.contains(damaged));
            if !before_select {
                v.damage_in_memory(damaged);
            }
            let err = export(&mut v, plan, &to, &out).unwrap_err();
            assert!(
                matches!(&err, Error::Unreadable(id) if id == damaged),
                "{err:?}"
            );
            assert_eq!(std::fs::read(&out).unwrap(), b"last week's handoff");
            assert_eq!(leftovers(&out_dir), Vec::<String>::new());
            assert_eq!(v.log().len(), log, "nothing logged as exported");
            // A backup meets either the same way: its selection opens no
            // one, so a person that no longer opens is not left out
            // unsaid either.
            {
                let backup = out_dir.join("weekly.age");
                let err = super::super::backup(&mut v, &to, &backup).unwrap_err();
                assert!(
                    matches!(&err, Error::Unreadable(id) if id == damaged),
                    "{err:?}"
                );
                assert!(!backup.exists() && leftovers(&out_dir).is_empty());
                assert_eq!(v.log().len(), log);
            }
        }

        // Undamaged, the same export is written, logged, and reads whole.
        let mut v = Vault::unlock(&dir, &pass()).unwrap();
        let log = v.log().len();
        let plan = select(&v, &Selection::All, false).unwrap();
        assert_eq!(plan.ids.len(), 4);
        export(&mut v, plan, &to, &out).unwrap();
        assert_eq!(v.log().len(), log + 1);
        // Opening checks every record and their count against the header.
        open(&v, &out, Some(&secret)).unwrap();
    }
}
