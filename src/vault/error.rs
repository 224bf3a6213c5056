use crate::model::{FieldError, Id};
use std::path::PathBuf;

/// What can go wrong with the vault. Each variant has a pair of Fluent
/// messages, what went wrong and what to do (see `crate::error`).
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// There is no vault in this directory yet.
    #[error("no vault at {0}")]
    NoVault(PathBuf),
    /// `create` found a vault already there.
    #[error("a vault already exists at {0}")]
    AlreadyExists(PathBuf),
    #[error("wrong passphrase")]
    WrongPassphrase,
    /// A new passphrase shorter than `Passphrase::MIN` characters.
    #[error("the passphrase is too short")]
    PassShort,
    /// Another program (a second copy of the app, the CLI) has it open.
    #[error("the vault is in use by another program")]
    InUse,
    /// Files that cannot be read as a vault, and which part.
    #[error("the vault is damaged: {0}")]
    Damaged(Damage),
    /// Written by a newer version of the app.
    #[error("the vault has format {0}, newer than this app understands")]
    TooNew(u32),
    #[error("no record {0}")]
    NotFound(Id),
    #[error("invalid value: {0}")]
    Invalid(#[from] FieldError),
    #[error("the disk is full")]
    DiskFull,
    /// The vault opened read-only (its manifest check found something,
    /// see `Vault::findings`), and this would change it.
    #[error("the vault is open read-only")]
    ReadOnly,
    #[error("could not read or write the vault: {0}")]
    Io(std::io::Error),
}

/// Why the vault's files cannot be read. A reason, not a text: each has a
/// Fluent message `damage-*` (see `crate::error`), so a message in Spanish
/// carries no English detail from a library. The `Display` text is for
/// developers only.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum Damage {
    /// `key.json` is not a vault header (not JSON, or fields missing).
    #[error("key.json is not a vault header")]
    Header,
    /// `key.json` names a format this app never wrote (older than any it knows).
    #[error("unknown vault format {0}")]
    UnknownFormat(u32),
    /// The Argon2id parameters in `key.json` are out of bounds or refused.
    #[error("key parameters out of range")]
    KeyParams,
    /// The sealed data key opened, but is not a key.
    #[error("data key has the wrong length")]
    DataKey,
    /// sled's files cannot be read (corrupt log, unsupported format, a panic in sled).
    #[error("the store could not be read")]
    Store,
    /// Something could not be turned into bytes to write. A bug, not the disk.
    #[error("could not encode data to write")]
    Encode,
    /// A record the vault holds no longer opens in memory (after unlock
    /// opened it): a re-key stops rather than leave it behind.
    #[error("a record could not be read")]
    Record,
}

/// What the check of the sealed manifest found at unlock: values changed
/// behind the vault's back. Each has a Fluent message `finding-*`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum Finding {
    /// The manifest itself is missing or cannot be opened.
    #[error("the manifest is missing or altered")]
    SealMissing,
    /// Fewer records than the manifest counts.
    #[error("{0} records removed")]
    RecordsRemoved(u64),
    /// More records than the manifest counts.
    #[error("{0} records added")]
    RecordsAdded(u64),
    /// As many records, but one or more is not the copy last written (an
    /// older sealed copy put back, or altered bytes).
    #[error("records replaced")]
    RecordsReplaced,
    /// Steward keys, address book, audit log or conflicts changed.
    #[error("auxiliary values changed")]
    AuxChanged,
    /// The audit log's chain is broken (an entry removed, replaced or moved).
    #[error("audit log chain broken")]
    LogBroken,
}

impl Error {
    pub(crate) fn io(e: std::io::Error) -> Error {
        if e.kind() == std::io::ErrorKind::StorageFull || e.raw_os_error() == Some(28) {
            Error::DiskFull
        } else {
            Error::Io(e)
        }
    }
}

impl From<sled::Error> for Error {
    fn from(e: sled::Error) -> Error {
        match e {
            sled::Error::Io(io) => Error::io(io),
            _ => Error::Damaged(Damage::Store),
        }
    }
}
