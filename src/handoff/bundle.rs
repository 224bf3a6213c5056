//! The bundle: what is inside an export or backup file, before age encrypts
//! it. Documented for other tools in `docs/bundle-format.md`.
//!
//! JSON Lines, UTF-8, one object per line:
//!
//! 1. the header: `{"aqui_bundle": 2, "purpose", "created", "sender",
//!    "device", "recipients", "records", "counts", "sensitive_included",
//!    "excluded"}` (version 1 had no `device` nor `recipients`);
//! 2. for a backup only, `{"vault": {...}}`: keys, stewards, log, conflicts;
//! 3. `records` lines `{"id", "meta", "record"}` (`record` is null for a
//!    deletion);
//! 4. the end: `{"end": {"records", "sha256", "signature"}}`, where `sha256` is
//!    the hash of every byte before this line and `signature` is the sender's
//!    Ed25519 signature of `"aqui-bundle-N\n"` (N the version) followed by
//!    that hash.
//!
//! Writing streams line by line (no second copy of the records in memory).
//! Reading is two passes: `verify` streams the whole file once, holding one
//! line at a time, to check the size, the hash and the signature; only then
//! does `read` parse and check every record, the counts and the clocks (a
//! line that is byte for byte a record as the receiving vault stores it is
//! that record, counted without being parsed: `as_stored`).
//! Both directions serialize or parse records on every core (`pipeline`)
//! while one thread hashes and encrypts or decrypts, in file order.

use super::{BundleProblem, Error};
use crate::identity::{Keys, PublicKeys};
pub use crate::model::ledger::Excluded;
use crate::model::ledger::{Checked, Entry, Meta};
use crate::model::{FieldError, Id, Kind, Problem};
use crate::vault::pipeline;
use chrono::{DateTime, Utc};
use ed25519_dalek::Signature;
use hashbrown::HashSet;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::collections::BTreeMap;
use std::io::{BufRead, Write};

/// Groups of lines a worker of `pipeline` may have ahead of this thread.
const AHEAD: usize = 3;

/// The bundle format this build writes and the newest it reads.
pub const VERSION: u32 = 2;
/// Most records one bundle may hold (a statewide network is ~100,000 people).
pub const MAX_RECORDS: u64 = 5_000_000;
/// Longest line read: a pledge drive with 100,000 named signers fits.
pub const MAX_LINE: usize = 8 * 1024 * 1024;
/// Most bytes of bundle (decrypted) read from one file: far above a
/// statewide network's export, far below what would exhaust a laptop.
pub const MAX_BYTES: u64 = 2 * 1024 * 1024 * 1024;
/// Most version-clock entries in one bundle, all records together.
pub const MAX_CLOCK_ENTRIES: usize = 2_000_000;

/// What the signature covers, before the hash: `aqui-bundle-N\n`.
fn signed_context(version: u32) -> Vec<u8> {
    format!("aqui-bundle-{}\n", version.max(1)).into_bytes()
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Purpose {
    Handoff,
    Backup,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Sender {
    #[serde(default)]
    pub name: String,
    pub keys: PublicKeys,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Header {
    pub aqui_bundle: u32,
    pub purpose: Purpose,
    pub created: DateTime<Utc>,
    pub sender: Sender,
    /// The sender's own device id (the one its clocks count edits under).
    /// Version 2; empty in a version 1 file.
    #[serde(default)]
    pub device: String,
    /// Fingerprints of the stewards the file was made for (empty for a
    /// passphrase or a version 1 file). Signed with the rest of the header,
    /// so a file decrypted and encrypted again to someone else shows it.
    #[serde(default)]
    pub recipients: Vec<String>,
    pub records: u64,
    pub counts: BTreeMap<Kind, usize>,
    pub sensitive_included: bool,
    pub excluded: Excluded,
}

#[derive(Serialize)]
struct LineOut<'a> {
    id: &'a Id,
    meta: &'a Meta,
    record: &'a Option<crate::model::Record>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct LineIn {
    id: Id,
    meta: Meta,
    record: Option<crate::model::Record>,
}

#[derive(Serialize, Deserialize)]
struct End {
    records: u64,
    sha256: String,
    signature: String,
}

#[derive(Serialize, Deserialize)]
struct EndLine {
    end: End,
}

/// Writes a bundle line by line into `out`, hashing as it goes.
pub struct Writer<W: Write> {
    out: W,
    hash: Sha256,
    written: u64,
    version: u32,
}

impl<W: Write> Writer<W> {
    pub fn start(out: W, header: &Header) -> std::io::Result<Writer<W>> {
        let mut w = Writer {
            out,
            hash: Sha256::new(),
            written: 0,
            version: header.aqui_bundle,
        };
        w.line(header)?;
        Ok(w)
    }

    fn line<T: Serialize>(&mut self, value: &T) -> std::io::Result<()> {
        let mut bytes = serde_json::to_vec(value)?;
        bytes.push(b'\n');
        self.hash.update(&bytes);
        let r = self.out.write_all(&bytes);
        zeroize::Zeroize::zeroize(&mut bytes);
        r
    }

    /// The backup-only line with the vault's own state.
    pub fn vault_state<T: Serialize>(&mut self, state: &T) -> std::io::Result<()> {
        #[derive(Serialize)]
        struct VaultLine<'a, T> {
            vault: &'a T,
        }
        self.line(&VaultLine { vault: state })
    }

    pub fn entry(&mut self, id: &Id, entry: &Entry) -> std::io::Result<()> {
        let mut bytes = Vec::new();
        entry_line(&mut bytes, id, entry)?;
        let r = self.lines(&bytes, 1);
        zeroize::Zeroize::zeroize(&mut bytes);
        r
    }

    /// Writes `count` record lines made by `entry_line` (on other threads:
    /// see `handoff::write_file`).
    pub fn lines(&mut self, bytes: &[u8], count: u64) -> std::io::Result<()> {
        self.written += count;
        self.hash.update(bytes);
        self.out.write_all(bytes)
    }

    /// Writes the lines of the records `ids`, made by `line` on every core
    /// (it appends a record's line with `entry_line`, or fails: the header
    /// counted every one of them) while this thread writes them in order and
    /// another hashes them. `stopped` is asked before each group of records.
    pub fn entries(
        &mut self,
        ids: &[Id],
        line: impl Fn(&Id, &mut Vec<u8>) -> std::io::Result<()> + Sync,
        stopped: impl Fn() -> std::io::Result<()>,
    ) -> std::io::Result<()> {
        let mut groups = ids.chunks(LINES_PER_JOB);
        let spare = Spare::default();
        let make = |ids: &[Id]| -> std::io::Result<Made> {
            let mut made = Made(spare.take(), 0, &spare);
            for id in ids {
                let before = made.0.len();
                line(id, &mut made.0)?;
                made.1 += u64::from(made.0.len() > before);
            }
            Ok(made)
        };
        // The hash on a thread of its own, so that this one's part (age's
        // encryption and the writing) is not followed by it for each group.
        let hash = std::mem::take(&mut self.hash);
        let (to_hash, hashing) = std::sync::mpsc::sync_channel::<std::sync::Arc<Made>>(2);
        std::thread::scope(|scope| {
            let hasher = scope.spawn(move || {
                let mut hash = hash;
                for made in hashing {
                    hash.update(&made.0);
                }
                hash
            });
            let written = pipeline(
                AHEAD,
                || stopped().map(|()| groups.next()),
                make,
                |made| {
                    let made = std::sync::Arc::new(made?);
                    self.written += made.1;
                    to_hash
                        .send(made.clone())
                        .map_err(|_| std::io::Error::other("the hashing thread stopped"))?;
                    self.out.write_all(&made.0)
                },
            );
            drop(to_hash);
            match hasher.join() {
                Ok(hash) => self.hash = hash,
                Err(panic) => std::panic::resume_unwind(panic),
            }
            written
        })
    }

    /// Signs and writes the end line; returns the inner writer.
    pub fn finish(mut self, keys: &Keys) -> std::io::Result<W> {
        let digest = self.hash.clone().finalize();
        let mut message = signed_context(self.version);
        message.extend_from_slice(&digest);
        let end = EndLine {
            end: End {
                records: self.written,
                sha256: hex::encode(digest),
                signature: hex::encode(keys.sign(&message)),
            },
        };
        let mut bytes = serde_json::to_vec(&end)?;
        bytes.push(b'\n');
        self.out.write_all(&bytes)?;
        Ok(self.out)
    }
}

/// Record lines made on a worker, and how many; its buffer goes back to
/// `Spare` once written and hashed.
struct Made<'a>(Vec<u8>, u64, &'a Spare);

impl Drop for Made<'_> {
    fn drop(&mut self) {
        self.2.put(std::mem::take(&mut self.0));
    }
}

/// Buffers of record lines written (or, reading, parsed) already, to fill
/// again (no allocation, page faults or wiping per group); every one is
/// wiped when the records are all written or read, or that stopped.
#[derive(Default)]
struct Spare(std::sync::Mutex<Vec<Vec<u8>>>);

impl Spare {
    fn take(&self) -> Vec<u8> {
        self.0
            .lock()
            .ok()
            .and_then(|mut v| v.pop())
            .unwrap_or_default()
    }

    fn put(&self, mut bytes: Vec<u8>) {
        bytes.clear();
        match self.0.lock() {
            Ok(mut spare) => spare.push(bytes),
            Err(_) => crate::harden::wipe(&mut bytes),
        }
    }
}

impl Drop for Spare {
    fn drop(&mut self) {
        let spare = self.0.get_mut().unwrap_or_else(|e| e.into_inner());
        for bytes in spare.iter_mut() {
            crate::harden::wipe(bytes);
        }
    }
}

/// Appends the line of one record to `out`.
pub fn entry_line(out: &mut Vec<u8>, id: &Id, entry: &Entry) -> std::io::Result<()> {
    let line = LineOut {
        id,
        meta: &entry.meta,
        record: &entry.record,
    };
    serde_json::to_writer(&mut *out, &line)?;
    out.push(b'\n');
    Ok(())
}

/// A bundle read in full and checked: well formed, counts right, no
/// duplicate ids, every record valid, signature good.
pub struct Bundle {
    pub header: Header,
    /// The backup-only vault state, as JSON (read by `restore`).
    pub vault: Option<serde_json::Value>,
    /// The records kept, each as checked when it was read.
    pub entries: Vec<Checked>,
    /// Records `read` was told not to keep (per kind: live, deleted): read
    /// and checked like the rest, then dropped at once.
    pub left_out: BTreeMap<Kind, (usize, usize)>,
}

impl Bundle {
    /// Live records per kind, and deletions, in the whole file (records
    /// left out included).
    pub fn counts(&self) -> (BTreeMap<Kind, usize>, usize) {
        let mut live: BTreeMap<Kind, usize> = Kind::ALL.iter().map(|k| (*k, 0)).collect();
        let mut deletions = 0;
        for e in &self.entries {
            match e.record {
                Some(_) => *live.entry(e.id().kind()).or_default() += 1,
                None => deletions += 1,
            }
        }
        for (kind, (l, d)) in &self.left_out {
            *live.entry(*kind).or_default() += l;
            deletions += d;
        }
        (live, deletions)
    }
}

fn bad(line: u64, problem: BundleProblem) -> Error {
    Error::BadBundle { line, problem }
}

/// Reads one line of at most `MAX_LINE` bytes; `None` at the end of input.
fn read_line(input: &mut impl BufRead, buf: &mut Vec<u8>, n: u64) -> Result<Option<()>, Error> {
    buf.clear();
    read_line_after(input, buf, n)
}

/// `read_line` appending the line to `buf` (after what it holds); what it
/// appended is wiped and cut off again when no whole line could be read.
fn read_line_after(
    input: &mut impl BufRead,
    buf: &mut Vec<u8>,
    n: u64,
) -> Result<Option<()>, Error> {
    let start = buf.len();
    let problem = match append_line(input, buf, start) {
        Err(e) => Error::reading(e),
        Ok(()) if buf.len() == start => return Ok(None),
        Ok(()) if buf.len() - start > MAX_LINE => bad(n, BundleProblem::LineTooLong),
        Ok(()) if buf.last() != Some(&b'\n') => Error::Truncated,
        Ok(()) => return Ok(Some(())),
    };
    wipe_after(buf, start);
    Err(problem)
}

/// Appends to `buf` the next line of `input`, its newline included, or its
/// first `MAX_LINE + 1` bytes if it is longer, as `read_until` on
/// `take(MAX_LINE + 1)` would; but when `buf` needs more room, it is moved
/// by hand and the block it leaves wiped, not freed holding plaintext.
fn append_line(input: &mut impl BufRead, buf: &mut Vec<u8>, start: usize) -> std::io::Result<()> {
    loop {
        let available = match input.fill_buf() {
            Ok(available) => available,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        };
        let room = (MAX_LINE + 1).saturating_sub(buf.len() - start);
        let line_end = memchr::memchr(b'\n', available).map(|i| i + 1);
        let take = line_end.unwrap_or(available.len()).min(room);
        if take == 0 {
            // The end of the input, or as much as a line may hold.
            return Ok(());
        }
        if buf.capacity() - buf.len() < take {
            let mut bigger = Vec::with_capacity((buf.len() + take).max(2 * buf.capacity()));
            bigger.extend_from_slice(buf);
            crate::harden::wipe(buf);
            *buf = bigger;
        }
        buf.extend_from_slice(&available[..take]);
        input.consume(take);
        if line_end == Some(take) {
            return Ok(());
        }
    }
}

/// Wipes what `buf` holds after `start`, and cuts it back to `start`.
fn wipe_after(buf: &mut Vec<u8>, start: usize) {
    zeroize::Zeroize::zeroize(&mut buf[start..]);
    buf.truncate(start);
}

/// Reads the first line: the header, not newer than this build.
fn read_header(input: &mut impl BufRead, buf: &mut Vec<u8>) -> Result<Header, Error> {
    if read_line(input, buf, 1)?.is_none() {
        return Err(Error::Truncated);
    }
    let value: serde_json::Value =
        serde_json::from_slice(buf).map_err(|_| bad(1, BundleProblem::Syntax))?;
    let version = value.get("aqui_bundle").and_then(|v| v.as_u64());
    match version {
        None => return Err(bad(1, BundleProblem::NoHeader)),
        Some(v) if v > u64::from(VERSION) => return Err(Error::TooNew(v)),
        Some(_) => {}
    }
    let header: Header =
        serde_json::from_value(value).map_err(|_| bad(1, BundleProblem::NoHeader))?;
    if header.records > MAX_RECORDS {
        return Err(Error::TooLarge);
    }
    Ok(header)
}

/// Checks the end line's hash and signature against the header's key.
fn check_signature(header: &Header, end: &End, digest: &[u8]) -> Result<(), Error> {
    if hex::encode(digest) != end.sha256 {
        return Err(Error::BadSignature);
    }
    let key = header
        .sender
        .keys
        .verifying_key()
        .ok_or(Error::BadSignature)?;
    let signature: [u8; 64] = hex::decode(&end.signature)
        .ok()
        .and_then(|b| b.try_into().ok())
        .ok_or(Error::BadSignature)?;
    let mut message = signed_context(header.aqui_bundle);
    message.extend_from_slice(digest);
    key.verify_strict(&message, &Signature::from_bytes(&signature))
        .map_err(|_| Error::BadSignature)
}

/// A file whose size, hash and signature were checked in the first pass.
pub struct Verified {
    pub header: Header,
    pub digest: [u8; 32],
}

/// The first pass: streams the whole bundle holding one line at a time (at
/// most `MAX_LINE`), checks its size against `MAX_BYTES`, and checks the hash
/// and the signature. No record is parsed: a file that is not what its
/// signature says costs bounded memory and one read, whatever its size.
/// `input` is read (decrypted) ahead on a thread of its own, a few blocks
/// at most, while this one splits and hashes the lines (`Ahead`).
pub fn verify(input: impl BufRead + Send) -> Result<Verified, Error> {
    Ahead::run(input, |ahead| verify_lines(ahead))
}

fn verify_lines(mut input: impl BufRead) -> Result<Verified, Error> {
    // The line read last, wiped however this returns.
    let mut buf = zeroize::Zeroizing::new(Vec::new());
    let mut hash = Sha256::new();
    let header = read_header(&mut input, &mut buf)?;
    hash.update(&buf);
    let mut total = buf.len() as u64;
    let mut n: u64 = 1;
    let end = loop {
        n += 1;
        if read_line(&mut input, &mut buf, n)?.is_none() {
            return Err(Error::Truncated);
        }
        total += buf.len() as u64;
        if total > MAX_BYTES {
            return Err(Error::TooLarge);
        }
        if buf.starts_with(b"{\"end\"") {
            let end: EndLine =
                serde_json::from_slice(&buf).map_err(|_| bad(n, BundleProblem::Syntax))?;
            break end.end;
        }
        hash.update(&buf);
    };
    zeroize::Zeroize::zeroize(&mut buf);
    if read_line(&mut input, &mut buf, n + 1)?.is_some() {
        return Err(bad(n + 1, BundleProblem::AfterEnd));
    }
    let digest: [u8; 32] = hash.finalize().into();
    check_signature(&header, &end, &digest)?;
    Ok(Verified { header, digest })
}

/// Bytes read ahead of their reader on a thread of its own, in blocks of
/// about `AHEAD_BLOCK` (at most `AHEAD_BLOCKS` waiting): the first pass's
/// decryption on one core, its splitting and hashing on the other. Each
/// block is wiped once read (and any left unread when the reading stops).
/// What the input gives before an error is read before the error, as from
/// the input itself.
struct Ahead {
    blocks: std::sync::mpsc::Receiver<std::io::Result<Vec<u8>>>,
    /// Blocks read and wiped, for the reading thread to fill again.
    spare: std::sync::mpsc::Sender<Vec<u8>>,
    block: Vec<u8>,
    at: usize,
    /// Set when the reader stops: the reading thread then wipes what it
    /// holds and ends.
    stop: std::sync::Arc<std::sync::atomic::AtomicBool>,
}

const AHEAD_BLOCK: usize = 256 * 1024;
const AHEAD_BLOCKS: usize = 4;

impl Ahead {
    /// `f` of `input` read ahead.
    fn run<T>(input: impl BufRead + Send, f: impl FnOnce(&mut Ahead) -> T) -> T {
        let (to, blocks) = std::sync::mpsc::sync_channel(AHEAD_BLOCKS);
        let (spare, spares) = std::sync::mpsc::channel::<Vec<u8>>();
        let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
        let stopped = stop.clone();
        std::thread::scope(|scope| {
            scope.spawn(move || {
                let mut input = input;
                loop {
                    // Made at its full size once, so it never moves (and
                    // leaves no copy behind) while it is filled.
                    let mut block = spares
                        .try_recv()
                        .unwrap_or_else(|_| Vec::with_capacity(AHEAD_BLOCK));
                    let got = fill_block(&mut input, &mut block);
                    let end = block.is_empty();
                    let sent = |item| {
                        let item = match item {
                            Ok(mut b) if stopped.load(std::sync::atomic::Ordering::Acquire) => {
                                crate::harden::wipe(&mut b);
                                return false;
                            }
                            item => item,
                        };
                        match to.send(item) {
                            Ok(()) => true,
                            Err(std::sync::mpsc::SendError(item)) => {
                                // The reader stopped: this block goes unread.
                                if let Ok(mut b) = item {
                                    crate::harden::wipe(&mut b);
                                }
                                false
                            }
                        }
                    };
                    match got {
                        Ok(()) if end => break,
                        Ok(()) => {
                            if !sent(Ok(block)) {
                                break;
                            }
                        }
                        Err(e) => {
                            if !end {
                                sent(Ok(block));
                            }
                            sent(Err(e));
                            break;
                        }
                    }
                }
            });
            let mut ahead = Ahead {
                blocks,
                spare,
                block: Vec::new(),
                at: 0,
                stop,
            };
            let out = f(&mut ahead);
            // Its thread stops at its next block, unread.
            drop(ahead);
            out
        })
    }
}

/// Appends to `block` what `input` gives, up to `AHEAD_BLOCK` bytes (its
/// capacity: it never grows).
fn fill_block(input: &mut impl BufRead, block: &mut Vec<u8>) -> std::io::Result<()> {
    while block.len() < AHEAD_BLOCK {
        let buf = match input.fill_buf() {
            Ok(buf) => buf,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        };
        if buf.is_empty() {
            break;
        }
        let n = buf.len().min(AHEAD_BLOCK - block.len());
        block.extend_from_slice(&buf[..n]);
        input.consume(n);
    }
    Ok(())
}

impl Ahead {
    /// Wipes the block read, and gives its room back to the reading thread.
    fn recycle(&mut self) {
        let mut block = std::mem::take(&mut self.block);
        self.at = 0;
        block.fill(0);
        std::hint::black_box(&mut block[..]);
        block.clear();
        if block.capacity() > 0 {
            let _ = self.spare.send(block);
        }
    }
}

impl std::io::Read for Ahead {
    fn read(&mut self, out: &mut [u8]) -> std::io::Result<usize> {
        let buf = self.fill_buf()?;
        let n = buf.len().min(out.len());
        out[..n].copy_from_slice(&buf[..n]);
        self.consume(n);
        Ok(n)
    }
}

impl BufRead for Ahead {
    fn fill_buf(&mut self) -> std::io::Result<&[u8]> {
        if self.at == self.block.len() {
            self.recycle();
            match self.blocks.recv() {
                Ok(Ok(block)) => self.block = block,
                Ok(Err(e)) => return Err(e),
                // The end: the reading thread is done.
                Err(_) => {}
            }
        }
        Ok(&self.block[self.at..])
    }

    fn consume(&mut self, n: usize) {
        self.at = (self.at + n).min(self.block.len());
    }
}

impl Drop for Ahead {
    /// Wipes every block read ahead: the one being read, those waiting,
    /// and any the reading thread sends before it sees `stop` (it then
    /// ends, and the channel with it).
    fn drop(&mut self) {
        crate::harden::wipe(&mut self.block);
        self.stop.store(true, std::sync::atomic::Ordering::Release);
        for mut block in self.blocks.iter().flatten() {
            crate::harden::wipe(&mut block);
        }
    }
}

/// Lines handed to a worker at a time in `read` (a few hundred KB).
const LINES_PER_JOB: usize = 256;

/// Raw lines read on the reading thread, for a worker to parse: their bytes
/// one after another, where each ends, and the first one's line number.
struct Lines<'a> {
    first: u64,
    bytes: Vec<u8>,
    ends: Vec<usize>,
    /// Where `bytes` goes back once wiped, for the reading thread to fill
    /// again (no allocation nor fresh pages per job).
    spare: &'a Spare,
}

impl Drop for Lines<'_> {
    fn drop(&mut self) {
        zeroize::Zeroize::zeroize(&mut self.bytes);
        self.spare.put(std::mem::take(&mut self.bytes));
    }
}

/// A record line parsed and checked (and the entry itself if `keep` said
/// so), or what was wrong with it.
type Parsed = Result<(u64, Read), (u64, BundleProblem)>;

/// What `read` needs of a record line once a worker parsed and checked it.
struct Read {
    id: Id,
    /// Live (else a deletion).
    live: bool,
    clock_entries: usize,
    /// `None` if `keep` refused it: dropped on the worker.
    entry: Option<Checked>,
}

/// Whether some bytes (given in pieces that follow each other) are a
/// record's JSON as the receiving vault stores it (see `Vault::entry_json`
/// and `Vault::holds_json`): asked by `read` on every core.
pub trait Stored: Fn(&Id, &[&[u8]]) -> bool + Sync {}
impl<F: Fn(&Id, &[&[u8]]) -> bool + Sync> Stored for F {}

/// A record line that is, byte for byte, a record the receiving vault holds
/// in this very version: its stored JSON (`{"meta":…,"record":…}`, what
/// `serde_json` writes for the entry) with the id put first, as an export
/// writes a record that travels as stored. Such a line is that record, which
/// met the vault's rule when it was written, and the merge leaves it
/// unchanged (as `keep` would say once it was parsed): so it is counted
/// without being parsed or checked again. Only its clock is read (from the
/// front of the line, the same bytes), for `MAX_CLOCK_ENTRIES`. `None` for
/// any other line, which goes the long way.
fn as_stored(line: &[u8], stored: &impl Stored) -> Option<Read> {
    let rest = line.strip_prefix(b"{\"id\":\"")?;
    let quote = memchr::memchr(b'"', rest)?;
    let text = std::str::from_utf8(&rest[..quote]).ok()?;
    // Exactly an id as written, nothing around it: `Id::parse` trims
    // whitespace, which a JSON string may not hold raw.
    let id = Id::parse(text).filter(|id| id.as_str() == text)?;
    // `"meta":…}` after the id.
    let body = rest[quote + 1..].strip_prefix(b",")?.strip_suffix(b"\n")?;
    if !stored(&id, &[b"{", body]) {
        return None;
    }
    let mut meta = serde_json::Deserializer::from_slice(body.strip_prefix(b"\"meta\":")?);
    let clock_entries = ClockLen::deserialize(&mut meta).ok()?.clock.0;
    Some(Read {
        id,
        // `record` is the last field: `null` for a deletion, else an object.
        live: !body.ends_with(b"null}"),
        clock_entries,
        entry: None,
    })
}

/// How many entries a stored `Meta`'s clock has, read without building it
/// (no dates parsed, no device names copied): the JSON is a record as the
/// vault stored it (`as_stored`), so it is a `Meta`.
#[derive(Deserialize)]
struct ClockLen {
    clock: Count,
}

/// The number of entries of a JSON object, each left unread.
struct Count(usize);

impl<'de> Deserialize<'de> for Count {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Count, D::Error> {
        struct Entries;
        impl<'de> serde::de::Visitor<'de> for Entries {
            type Value = Count;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a clock")
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(
                self,
                mut map: A,
            ) -> Result<Count, A::Error> {
                let mut n = 0;
                while map
                    .next_entry::<serde::de::IgnoredAny, serde::de::IgnoredAny>()?
                    .is_some()
                {
                    n += 1;
                }
                Ok(Count(n))
            }
        }
        d.deserialize_map(Entries)
    }
}

fn parse_lines(
    lines: Lines,
    keep: &(impl Fn(&Id, &Entry) -> bool + Sync),
    stored: &impl Stored,
) -> Vec<Parsed> {
    let mut out = Vec::with_capacity(lines.ends.len());
    let mut start = 0;
    for (i, &end) in lines.ends.iter().enumerate() {
        let n = lines.first + i as u64;
        let bytes = &lines.bytes[start..end];
        start = end;
        if let Some(read) = as_stored(bytes, stored) {
            out.push(Ok((n, read)));
            continue;
        }
        // The line's UTF-8 checked once, not string by string; a line that
        // is not UTF-8 is parsed from its bytes, refused or accepted
        // exactly as before.
        let line = match std::str::from_utf8(bytes) {
            Ok(text) => serde_json::from_str::<LineIn>(text),
            Err(_) => serde_json::from_slice::<LineIn>(bytes),
        };
        let line = line
            .map_err(|_| (n, BundleProblem::Syntax))
            .and_then(|l| check_entry(l).map_err(|p| (n, p)))
            .map(|entry| {
                let (id, live) = (entry.id().clone(), entry.record.is_some());
                let clock_entries = entry.meta.clock.len();
                let entry = keep(&id, &entry).then_some(entry);
                let read = Read {
                    id,
                    live,
                    clock_entries,
                    entry,
                };
                (n, read)
            });
        out.push(line);
    }
    out
}

/// The second pass: reads and checks a whole bundle from decrypted input,
/// which must be the very bytes `verified` (the first pass) vouched for.
/// This thread decrypts, splits and hashes lines; the records are parsed and
/// checked on every core, and taken in file order. Records `keep` refuses
/// (asked on the same cores) are checked like the others, then counted in
/// `left_out` and dropped, so a large file's records already here are never
/// all held at once; so are lines that are a record as `stored` says the
/// receiving vault holds it (see `as_stored`), unparsed.
pub fn read(
    mut input: impl BufRead,
    verified: &Verified,
    keep: impl Fn(&Id, &Entry) -> bool + Sync,
    stored: impl Stored,
) -> Result<Bundle, Error> {
    // The header and the last lines, wiped however this returns.
    let mut buf = zeroize::Zeroizing::new(Vec::new());
    let mut hash = Sha256::new();
    let mut n: u64 = 1;

    let header = read_header(&mut input, &mut buf)?;
    if header != verified.header {
        return Err(Error::Altered);
    }
    hash.update(&buf);

    let mut vault = None;
    let mut end = None;
    let mut entries = Vec::new();
    let mut left_out: BTreeMap<Kind, (usize, usize)> = BTreeMap::new();
    let mut records: u64 = 0;
    let mut seen = HashSet::new();
    let mut clock_entries: usize = 0;
    let spare = Spare::default();
    // Reads the next lines (the vault line and the end line are read here).
    let produce = || -> Result<Option<Lines>, Error> {
        // Room for a job of lines of about a record's usual size, so the
        // lines are read straight into it, seldom moved as it grows.
        let mut bytes = spare.take();
        bytes.reserve(LINES_PER_JOB * 1024);
        let mut job = Lines {
            first: n + 1,
            bytes,
            ends: Vec::with_capacity(LINES_PER_JOB),
            spare: &spare,
        };
        while end.is_none() && job.ends.len() < LINES_PER_JOB {
            n += 1;
            let start = job.bytes.len();
            if read_line_after(&mut input, &mut job.bytes, n)?.is_none() {
                return Err(Error::Truncated);
            }
            let line = &job.bytes[start..];
            if line.starts_with(b"{\"end\"") {
                let e: EndLine =
                    serde_json::from_slice(line).map_err(|_| bad(n, BundleProblem::Syntax))?;
                end = Some(e.end);
                wipe_after(&mut job.bytes, start);
                break;
            }
            hash.update(line);
            if line.starts_with(b"{\"vault\"") && n == 2 {
                let mut v: serde_json::Value =
                    serde_json::from_slice(line).map_err(|_| bad(n, BundleProblem::Syntax))?;
                vault = v.get_mut("vault").map(serde_json::Value::take);
                wipe_after(&mut job.bytes, start);
                job.first = n + 1;
                continue;
            }
            job.ends.push(job.bytes.len());
        }
        Ok((!job.ends.is_empty()).then_some(job))
    };
    let consume = |parsed: Vec<Parsed>| -> Result<(), Error> {
        for line in parsed {
            let (n, line) = line.map_err(|(n, p)| bad(n, p))?;
            if records >= header.records {
                return Err(bad(n, BundleProblem::CountMismatch));
            }
            records += 1;
            clock_entries += line.clock_entries;
            if clock_entries > MAX_CLOCK_ENTRIES {
                return Err(Error::TooLarge);
            }
            if !seen.insert(line.id.clone()) {
                return Err(Error::DuplicateId(line.id));
            }
            match line.entry {
                Some(entry) => entries.push(entry),
                None => {
                    let (live, deleted) = left_out.entry(line.id.kind()).or_default();
                    match line.live {
                        true => *live += 1,
                        false => *deleted += 1,
                    }
                }
            }
        }
        Ok(())
    };
    pipeline(
        AHEAD,
        produce,
        |lines| parse_lines(lines, &keep, &stored),
        consume,
    )?;
    drop(seen);
    let end = end.ok_or(Error::Truncated)?;
    zeroize::Zeroize::zeroize(&mut buf);
    // Nothing may follow the end line.
    if read_line(&mut input, &mut buf, n + 1)?.is_some() {
        return Err(bad(n + 1, BundleProblem::AfterEnd));
    }
    if end.records != header.records || records != header.records {
        return Err(bad(n, BundleProblem::CountMismatch));
    }
    let digest: [u8; 32] = hash.finalize().into();
    if digest != verified.digest {
        return Err(Error::Altered);
    }
    check_signature(&header, &end, &digest)?;
    Ok(Bundle {
        header,
        vault,
        entries,
        left_out,
    })
}

/// The rules every incoming record must meet, the same as for a record typed
/// in: its kind matches its id, every field is valid, the clock is sane.
fn check_entry(line: LineIn) -> Result<Checked, BundleProblem> {
    // Edit counts far beyond any real use would overflow when edited next.
    let sane = |(dev, n): (&String, &u64)| dev.len() <= 64 && *n <= 1 << 40;
    if line.meta.clock.is_empty()
        || line.meta.clock.len() > 10_000
        || !line.meta.clock.iter().all(sane)
    {
        return Err(BundleProblem::BadClock);
    }
    // The record on its own (whether what it names is here is not asked:
    // a handoff may name records the sender kept back).
    let entry = Entry {
        meta: line.meta,
        record: line.record,
    };
    Checked::new(line.id, entry).map_err(problem)
}

/// `Record::check` as a bundle's problem (also for a backup's conflicts).
pub(super) fn check_record(id: &Id, record: &crate::model::Record) -> Result<(), BundleProblem> {
    record.check(id).map_err(problem)
}

/// What a record failed, as a bundle's problem.
fn problem(e: FieldError) -> BundleProblem {
    match e.problem {
        Problem::WrongKind { .. } => BundleProblem::WrongKind,
        _ => BundleProblem::Invalid(e),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Lines come back whole through a reader that hands out a few bytes
    /// at a time, the buffer moved to larger blocks as they arrive; a line
    /// cut short, or longer than `MAX_LINE`, is refused and none of it kept.
    #[test]
    fn lines_are_read_whole_and_bounded() {
        let text = b"first\n\na second line, longer than a few reads\nlast\n";
        for cap in [1, 3, 7, 64, 8192] {
            let mut input = std::io::BufReader::with_capacity(cap, &text[..]);
            let (mut buf, mut ends) = (Vec::new(), Vec::new());
            while read_line_after(&mut input, &mut buf, 1).unwrap().is_some() {
                ends.push(buf.len());
            }
            assert_eq!(buf, text, "read {cap} bytes at a time");
            assert_eq!(ends, [6, 7, 46, 51]);
        }

        let mut input = &b"whole\npart"[..];
        let mut buf = Vec::new();
        assert!(read_line(&mut input, &mut buf, 1).unwrap().is_some());
        assert!(matches!(
            read_line_after(&mut input, &mut buf, 2),
            Err(Error::Truncated)
        ));
        assert_eq!(buf, b"whole\n");

        let mut longest = vec![b'a'; MAX_LINE - 1];
        longest.push(b'\n');
        assert!(read_line(&mut &longest[..], &mut buf, 1).unwrap().is_some());
        assert_eq!(buf, longest);
        longest.insert(0, b'a');
        longest.extend_from_slice(b"next\n");
        let mut input = &longest[..];
        buf = b"kept\n".to_vec();
        let too_long = read_line_after(&mut input, &mut buf, 3);
        assert!(matches!(
            too_long,
            Err(Error::BadBundle {
                line: 3,
                problem: BundleProblem::LineTooLong
            })
        ));
        assert_eq!(buf, b"kept\n");
    }

    fn person(name: &str, clock: u64) -> (Id, Entry) {
        let meta = Meta {
            created: Utc::now(),
            updated: Utc::now(),
            clock: [("dev".to_string(), clock)].into_iter().collect(),
        };
        let entry = Entry {
            meta,
            record: Some(crate::testkit::person(name)),
        };
        (Id::new(Kind::Person), entry)
    }

    /// A handoff header from Ana's device "dev" for `records` records.
    fn header(keys: &Keys, records: u64) -> Header {
        Header {
            aqui_bundle: VERSION,
            purpose: Purpose::Handoff,
            created: Utc::now(),
            sender: Sender {
                name: "Ana".into(),
                keys: keys.public(),
            },
            device: "dev".into(),
            recipients: Vec::new(),
            records,
            counts: BTreeMap::new(),
            sensitive_included: false,
            excluded: Excluded::default(),
        }
    }

    #[test]
    fn lines_that_are_a_record_as_stored_here_are_counted_unparsed() {
        let keys = Keys::generate();
        let (ana, bea, gone) = (person("Ana", 1), person("Bea", 2), person("Eva", 3));
        let gone = (
            gone.0,
            Entry {
                record: None,
                ..gone.1
            },
        );
        let header = header(&keys, 3);
        let mut w = Writer::start(Vec::new(), &header).unwrap();
        for (id, e) in [&ana, &bea, &gone] {
            w.entry(id, e).unwrap();
        }
        let file = w.finish(&keys).unwrap();
        let verified = verify(&file[..]).unwrap();
        // Here: Ana and the deletion exactly as in the file (what the vault
        // stores is `serde_json` of the entry), Bea one byte apart.
        let stored = |id: &Id, pieces: &[&[u8]]| {
            let Some((_, e)) = [&ana, &bea, &gone].into_iter().find(|(i, _)| i == id) else {
                return false;
            };
            let mut json = serde_json::to_vec(e).unwrap();
            if *id == bea.0 {
                json.insert(1, b' ');
            }
            pieces.concat() == json
        };
        let asked = std::sync::atomic::AtomicUsize::new(0);
        let keep = |_: &Id, _: &Entry| {
            asked.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            true
        };
        let b = read(&file[..], &verified, keep, stored).unwrap();
        assert_eq!(asked.into_inner(), 1, "only Bea's line was parsed");
        let kept = |b: Bundle| -> Vec<(Id, Entry)> {
            b.entries.into_iter().map(Checked::into_parts).collect()
        };
        assert_eq!(b.left_out[&Kind::Person], (1, 1));
        let (live, deletions) = b.counts();
        assert_eq!((live[&Kind::Person], deletions), (2, 1));
        assert_eq!(kept(b), vec![bea.clone()]);

        // Nothing stored here: every line parsed and kept, in file order.
        let b = read(
            &file[..],
            &verified,
            |_, _| true,
            |_: &Id, _: &[&[u8]]| false,
        )
        .unwrap();
        assert!(b.left_out.is_empty());
        assert_eq!(kept(b), vec![ana, bea, gone]);
    }

    /// A line that is not JSON (a raw control character, which
    /// JSON forbids inside a string, before the id) must be refused whether
    /// or not the rest of it is a record as stored here. `Id::parse` trims
    /// it, so `as_stored` took it as our record; the long way refuses it.
    #[test]
    fn a_line_that_is_not_json_is_refused_even_if_its_rest_is_stored_here() {
        let keys = Keys::generate();
        let ana = person("Ana", 1);
        let header = header(&keys, 1);
        let stored_json = serde_json::to_vec(&ana.1).unwrap();
        for ws in [b'\t', b'\r', 0x0b, 0x0c] {
            let mut line = b"{\"id\":\"".to_vec();
            line.push(ws);
            line.extend_from_slice(ana.0.as_str().as_bytes());
            line.extend_from_slice(b"\",");
            line.extend_from_slice(&stored_json[1..]);
            line.push(b'\n');
            assert!(serde_json::from_slice::<serde_json::Value>(&line).is_err());
            let mut w = Writer::start(Vec::new(), &header).unwrap();
            w.lines(&line, 1).unwrap();
            let file = w.finish(&keys).unwrap();
            let verified = verify(&file[..]).unwrap();
            let stored = |id: &Id, pieces: &[&[u8]]| *id == ana.0 && pieces.concat() == stored_json;
            let not_here = read(
                &file[..],
                &verified,
                |_, _| true,
                |_: &Id, _: &[&[u8]]| false,
            );
            assert!(matches!(
                not_here,
                Err(Error::BadBundle {
                    line: 2,
                    problem: BundleProblem::Syntax
                })
            ));
            let here = read(&file[..], &verified, |_, _| true, stored);
            assert!(
                matches!(
                    here,
                    Err(Error::BadBundle {
                        line: 2,
                        problem: BundleProblem::Syntax
                    })
                ),
                "byte {ws:#04x} before the id: accepted as a record stored here"
            );
        }
    }
}
