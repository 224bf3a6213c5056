//! Helpers shared by the core's unit tests (compiled only for tests): a
//! throwaway vault with the cheapest key stretching, and records built
//! from field pairs. The integration tests have their own in `tests/util.rs`;
//! a bundle header for tests is `Header::for_test`, in the handoff layer.

use crate::model::{today, Kind, Record};
use crate::vault::{KdfParams, Passphrase, Vault};
use std::path::Path;
use tempfile::TempDir;

/// The passphrase of every vault made here.
pub(crate) const PASS: &str = "correct horse battery staple";

/// The cheapest Argon2id the vault accepts (8 MiB, t=1, p=1): tests make and
/// open vaults many times, and what they check does not depend on the cost.
pub(crate) fn fast_kdf() -> KdfParams {
    KdfParams {
        m_kib: 8 * 1024,
        t: 1,
        p: 1,
    }
}

pub(crate) fn pass() -> Passphrase {
    Passphrase::new(PASS.to_string())
}

/// A record of `kind` with each `(field, value)` set today.
pub(crate) fn rec(kind: Kind, fields: &[(&str, &str)]) -> Record {
    let mut r = Record::empty(kind);
    for (f, v) in fields {
        r.set(f, v, today()).unwrap();
    }
    r
}

/// A person with a name and nothing else.
pub(crate) fn person(name: &str) -> Record {
    rec(Kind::Person, &[("name", name)])
}

/// A new vault at `dir`, with `PASS` and `fast_kdf`.
pub(crate) fn vault_at(dir: &Path) -> Vault {
    Vault::create(dir, &pass(), fast_kdf()).unwrap()
}

/// A new vault at `TEMP/vault`; dropping the temp dir removes it.
pub(crate) fn new_vault() -> (TempDir, Vault) {
    let tmp = TempDir::new().unwrap();
    let v = vault_at(&tmp.path().join("vault"));
    (tmp, v)
}
