//! Steward handoff: the only way data leaves a laptop.
//!
//! Responsible for: the address book (`stewards`; the keys themselves are
//! `crate::identity`), what an export may contain (`select`, with the rules
//! on who is held back in `held`: sensitive and no-consent people stay out
//! unless asked for), writing it as a signed bundle (`bundle`) encrypted with
//! age to stewards or a passphrase (`export`), reading one back (decrypt,
//! verify, validate all of it), the preview and the all-or-nothing merge
//! (`import`, `merge`), conflict resolution (`resolve`), the audit log, and
//! whole-vault backup and restore (`backup`). Not responsible for: where
//! files or passphrases come from (the CLI and the app ask), or how a preview
//! is worded (`view`, the CLI).
//!
//! This file keeps what every part shares: the error type, stopping a long
//! read or write, and the work factors of passphrase files.

mod agefile;
mod backup;
pub mod bundle;
mod export;
mod held;
mod import;
pub mod merge;
mod resolve;
mod select;
mod stewards;

pub use backup::*;
pub use export::*;
pub use held::*;
pub use import::*;
pub use resolve::*;
pub use select::*;
pub use stewards::*;

/// The steward keys, by their old path (see `crate::identity`).
pub use crate::identity as keys;
pub use crate::model::ledger::{Action, Conflict, Held, LogEntry, Peer, Trust, Warning};

use crate::model::ledger::Checked;
use crate::model::{ConsentState, ConsentTopic, Id, Kind, Record};
use crate::vault::{self, Changes, Entry, KdfParams, Passphrase, Vault};
use age::secrecy::SecretString;
use bundle::{Excluded, Header, Purpose, Sender};
use chrono::{DateTime, Utc};
use keys::{Keys, PublicKeys, Revoked, Steward};
use merge::{Clock, Tally};
use serde::{Deserialize, Serialize};
use std::borrow::Cow;
use std::collections::{BTreeMap, BTreeSet, HashSet};
use std::fs::File;
use std::io::{BufRead, BufReader, BufWriter, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};

/// A flag that is never raised: for callers with nothing to stop them.
static NEVER: AtomicBool = AtomicBool::new(false);

/// What a stopped read or write reports, to be told apart from damage.
#[derive(Debug)]
struct StopMark;

impl std::fmt::Display for StopMark {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("stopped")
    }
}

impl std::error::Error for StopMark {}

fn stopped_io() -> std::io::Error {
    std::io::Error::other(StopMark)
}

fn is_stop(e: &std::io::Error) -> bool {
    e.get_ref().is_some_and(|i| i.is::<StopMark>())
}

/// What writing reports for a planned record that does not open.
#[derive(Debug)]
struct UnreadableMark(Id);

impl std::fmt::Display for UnreadableMark {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "record {} could not be read", self.0)
    }
}

impl std::error::Error for UnreadableMark {}

/// A reader that fails (with `StopMark`) once `stop` is raised: a lock
/// stops a long read at once.
struct Stoppable<'s, R> {
    inner: R,
    stop: &'s AtomicBool,
}

impl<R: std::io::Read> std::io::Read for Stoppable<'_, R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        if self.stop.load(Ordering::Relaxed) {
            return Err(stopped_io());
        }
        self.inner.read(buf)
    }
}

/// scrypt work factor (log2 N) for passphrase exports: 2^18 × 1 KiB = 256 MiB
/// of memory and about a second here. The age crate would otherwise calibrate
/// it to the machine, which can mean gigabytes on a fast one.
pub const WORK_FACTOR: u8 = 18;
/// The most work a passphrase file may ask of us when opening it (1 GiB).
pub const MAX_WORK_FACTOR: u8 = 20;

/// What can go wrong in a handoff. Each has a pair of Fluent messages.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    #[error(transparent)]
    Vault(#[from] vault::Error),
    /// A key, card or steward name that cannot be read; it speaks for
    /// itself (see `crate::identity::Error`).
    #[error(transparent)]
    Identity(#[from] crate::identity::Error),
    #[error("no steward {0}")]
    NoSteward(String),
    #[error("the fingerprint does not match")]
    FingerprintMismatch,
    #[error("no recipients")]
    NoRecipients,
    #[error("cannot read {0}")]
    NoFile(PathBuf),
    #[error("not an age file")]
    NotAge,
    #[error("not encrypted to this vault")]
    NotForYou,
    #[error("needs a passphrase")]
    NeedsPassphrase,
    #[error("wrong passphrase for the file")]
    WrongPassphrase,
    #[error("the passphrase file asks for too much work")]
    TooMuchWork,
    #[error("the file is cut short")]
    Truncated,
    #[error("the file was altered")]
    Altered,
    #[error("bundle format {0} is newer than this app")]
    TooNew(u64),
    #[error("bad bundle at line {line}: {problem:?}")]
    BadBundle { line: u64, problem: BundleProblem },
    #[error("duplicate id {0}")]
    DuplicateId(Id),
    #[error("the file is too large")]
    TooLarge,
    #[error("bad signature")]
    BadSignature,
    #[error("not a backup")]
    NotBackup,
    #[error("a backup, not a handoff")]
    IsBackup,
    #[error("no conflict for {0}")]
    NoConflict(Id),
    #[error("no such field {0}")]
    BadTake(String),
    #[error("could not write {0}: {1}")]
    Write(PathBuf, std::io::Error),
    #[error("steward {0} is revoked")]
    Revoked(String),
    #[error("steward {name} exists with another key")]
    StewardExists {
        name: String,
        old: String,
        new: String,
    },
    #[error("the file carries warnings")]
    Warnings(Vec<Warning>),
    #[error("stopped")]
    Stopped,
    /// A record the export planned did not open while the file was being
    /// written (damage found late, a fault in memory): nothing was written.
    #[error("record {0} could not be read")]
    Unreadable(Id),
}

/// What is wrong with a line of a bundle.
#[derive(Debug, Clone, PartialEq)]
pub enum BundleProblem {
    Syntax,
    NoHeader,
    LineTooLong,
    CountMismatch,
    AfterEnd,
    BadClock,
    WrongKind,
    Invalid(crate::model::FieldError),
}

impl Error {
    /// An error while reading decrypted bytes: age reports a cut-off stream
    /// as an unexpected end, and any altered chunk as invalid data.
    fn reading(e: std::io::Error) -> Error {
        if is_stop(&e) {
            Error::Stopped
        } else if e.kind() == std::io::ErrorKind::UnexpectedEof {
            Error::Truncated
        } else {
            Error::Altered
        }
    }
}
