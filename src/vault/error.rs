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
    /// Another program (a second copy of the app, the CLI) has it open.
    #[error("the vault is in use by another program")]
    InUse,
    /// Files that cannot be read as a vault.
    #[error("the vault is damaged: {0}")]
    Damaged(String),
    /// Written by a newer version of the app.
    #[error("the vault has format {0}, newer than this app understands")]
    TooNew(u32),
    #[error("no record {0}")]
    NotFound(Id),
    #[error("invalid value: {0}")]
    Invalid(#[from] FieldError),
    #[error("the disk is full")]
    DiskFull,
    #[error("could not read or write the vault: {0}")]
    Io(std::io::Error),
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
            other => Error::Damaged(other.to_string()),
        }
    }
}
