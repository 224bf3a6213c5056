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
//! does `read` parse and check every record, the counts and the clocks.

use super::{BundleProblem, Error};
use crate::identity::{Keys, PublicKeys};
pub use crate::model::ledger::Excluded;
use crate::model::ledger::{Entry, Meta};
use crate::model::{Id, Kind, Problem};
use chrono::{DateTime, Utc};
use ed25519_dalek::Signature;
use hashbrown::HashSet;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::collections::BTreeMap;
use std::io::{BufRead, Write};

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
        self.written += 1;
        self.line(&LineOut {
            id,
            meta: &entry.meta,
            record: &entry.record,
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

/// A bundle read in full and checked: well formed, counts right, no
/// duplicate ids, every record valid, signature good.
pub struct Bundle {
    pub header: Header,
    /// The backup-only vault state, as JSON (read by `restore`).
    pub vault: Option<serde_json::Value>,
    pub entries: Vec<(Id, Entry)>,
}

fn bad(line: u64, problem: BundleProblem) -> Error {
    Error::BadBundle { line, problem }
}

/// Reads one line of at most `MAX_LINE` bytes; `None` at the end of input.
fn read_line(input: &mut impl BufRead, buf: &mut Vec<u8>, n: u64) -> Result<Option<()>, Error> {
    buf.clear();
    let mut limited = std::io::Read::take(&mut *input, MAX_LINE as u64 + 1);
    let got = limited.read_until(b'\n', buf).map_err(Error::reading)?;
    if got == 0 {
        return Ok(None);
    }
    if buf.len() > MAX_LINE {
        return Err(bad(n, BundleProblem::LineTooLong));
    }
    if buf.last() != Some(&b'\n') {
        return Err(Error::Truncated);
    }
    Ok(Some(()))
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
pub fn verify(mut input: impl BufRead) -> Result<Verified, Error> {
    let mut buf = Vec::new();
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

/// The second pass: reads and checks a whole bundle from decrypted input,
/// which must be the very bytes `verified` (the first pass) vouched for.
pub fn read(mut input: impl BufRead, verified: &Verified) -> Result<Bundle, Error> {
    let mut buf = Vec::new();
    let mut hash = Sha256::new();
    let mut n: u64 = 1;

    let header = read_header(&mut input, &mut buf)?;
    if header != verified.header {
        return Err(Error::Altered);
    }
    hash.update(&buf);

    let mut vault = None;
    let mut entries = Vec::with_capacity(header.records.min(200_000) as usize);
    let mut seen = HashSet::new();
    let mut clock_entries: usize = 0;
    let end = loop {
        n += 1;
        if read_line(&mut input, &mut buf, n)?.is_none() {
            return Err(Error::Truncated);
        }
        if buf.starts_with(b"{\"end\"") {
            let end: EndLine =
                serde_json::from_slice(&buf).map_err(|_| bad(n, BundleProblem::Syntax))?;
            break end.end;
        }
        hash.update(&buf);
        if buf.starts_with(b"{\"vault\"") && entries.is_empty() && vault.is_none() {
            let mut v: serde_json::Value =
                serde_json::from_slice(&buf).map_err(|_| bad(n, BundleProblem::Syntax))?;
            vault = v.get_mut("vault").map(serde_json::Value::take);
            continue;
        }
        if entries.len() as u64 >= header.records {
            return Err(bad(n, BundleProblem::CountMismatch));
        }
        let line: LineIn =
            serde_json::from_slice(&buf).map_err(|_| bad(n, BundleProblem::Syntax))?;
        check_entry(&line).map_err(|p| bad(n, p))?;
        clock_entries += line.meta.clock.len();
        if clock_entries > MAX_CLOCK_ENTRIES {
            return Err(Error::TooLarge);
        }
        if !seen.insert(line.id.clone()) {
            return Err(Error::DuplicateId(line.id));
        }
        entries.push((
            line.id,
            Entry {
                meta: line.meta,
                record: line.record,
            },
        ));
    };
    zeroize::Zeroize::zeroize(&mut buf);
    // Nothing may follow the end line.
    if read_line(&mut input, &mut buf, n + 1)?.is_some() {
        return Err(bad(n + 1, BundleProblem::AfterEnd));
    }
    if end.records != header.records || entries.len() as u64 != header.records {
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
    })
}

/// The rules every incoming record must meet, the same as for a record typed
/// in: its kind matches its id, every field is valid, the clock is sane.
fn check_entry(line: &LineIn) -> Result<(), BundleProblem> {
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
    match &line.record {
        Some(r) => check_record(&line.id, r),
        None => Ok(()),
    }
}

/// `Record::check` as a bundle's problem (also for a backup's conflicts).
pub(super) fn check_record(id: &Id, record: &crate::model::Record) -> Result<(), BundleProblem> {
    record.check(id).map_err(|e| match e.problem {
        Problem::WrongKind { .. } => BundleProblem::WrongKind,
        _ => BundleProblem::Invalid(e),
    })
}
