//! The encrypted vault: a directory holding a chapter's records.
//!
//! Responsible for: creating, unlocking, re-keying and destroying a vault;
//! sealing every record before it reaches sled and opening it after; making a
//! confirmed write durable; keeping the records in memory (sealed, opened
//! when asked for: see `entries`) and their search index; the rules that
//! involve more than one record (references must point at live records of
//! the right kind). Not responsible for: where the
//! passphrase comes from (the CLI or the app asks for it) or how records are
//! shown.
//!
//! Every write is a `Changes` (records and the values kept beside them),
//! checked by one rule and committed in one batch (see `changes`). It goes
//! to sled first and is made durable (`store::Durability`); only then does
//! the in-memory copy change, so a failed write changes nothing, on disk or
//! on screen.
//!
//! The files: `header` (key.json), `open` (create, unlock, the manifest
//! check), `read`, `changes` and `write`, `seal` (sealing and the manifest),
//! `rekey`, `wipe`; `aux` (what is kept beside records), `entries` and
//! `search` (the records in memory), `snapshot` (what unlock derives from
//! the records, kept sealed), `pack` (records many to a sled value),
//! `crypto` and `store`.

mod aux;
mod bulk;
mod changes;
mod crypto;
mod entries;
mod error;
mod header;
mod open;
mod pack;
mod read;
mod rekey;
mod seal;
mod search;
mod snapshot;
mod store;
mod wipe;
mod write;

pub use changes::Changes;
pub use crypto::{KdfParams, Passphrase, RingKey};
pub use error::{Damage, Error, Finding};
#[doc(hidden)]
pub use pack::raw;
pub(crate) use seal::{cores, pipeline};
pub use search::fold;
pub use store::write_atomic;
pub use wipe::shred;

use crate::identity::{Keys, Steward};
pub use crate::model::ledger::{Clock, Entry, Meta};
use crate::model::ledger::{Conflict, LogEntry};
use crate::model::policy::Policy;
use crate::model::{today, FieldError, Id, Kind, Problem, Record};
use chrono::{DateTime, Utc};
use crypto::{DataKey, Digest, HashKey, WrappedKey};
use rand::RngCore;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashMap};
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::{Path, PathBuf};
use store::{DirLock, Durability, HEADER, STORE};
use zeroize::Zeroizing;

use header::Header;
use open::open_sled;
use rekey::{remove_dir_if_there, remove_leftovers, OLD_HEADER, REKEY};
use seal::{
    aux_digest, par_map, plain_digest, record_digest, seal_by_pack, seal_manifest, set_digest, xor,
    Manifest, MANIFEST_AAD,
};
use wipe::shred_tree;

/// The vault format this build writes. `migrate` brings older ones up to it.
/// 2: records compressed before sealing (sealed version 2, see `crypto`).
/// 3: no typed text in any sled key (stewards filed under keyed hashes), the
/// whole header authenticated, a sealed manifest over every stored value, a
/// hash-chained audit log, and the store's folder named in the header (a
/// re-key writes a new one).
/// 4: records in packs, many to a sled value, each still sealed on its own
/// (see `pack`).
/// 5: records compressed with zstd instead of LZ4 (sealed version 3, see
/// `crypto`).
/// 6: zstd against a dictionary with entropy tables (sealed version 4):
/// smaller and quicker to open. Records of versions 1 to 3 still open, and
/// an older build, which cannot open version 4, says the vault is too new.
/// Older vaults are re-keyed into it on unlock, which seals every record
/// anew.
pub const FORMAT: u32 = 6;
const RECORDS: &str = "records";
/// The manifest's key in the records tree (no id sorts after `~`).
const MANIFEST: &[u8] = b"~manifest";
/// What `DataKey::derive` is given for the manifest's keyed hashes.
const SEAL: &str = "manifest";
/// The store folders a vault can have: the header names one; a re-key
/// writes the other, and removes the first once the new header is on disk.
const STORES: [&str; 2] = [STORE, "store2"];

/// Where the vault lives unless `--vault` or `AQUI_VAULT` say otherwise:
/// the platform's data directory (`~/.local/share/aqui-estamos/vault` on Linux).
pub fn default_dir() -> Option<PathBuf> {
    directories::ProjectDirs::from("org", "Aqui Estamos", "aqui-estamos")
        .map(|d| d.data_dir().join("vault"))
}

/// An unlocked vault. Dropping it locks it: the snapshot is written if the
/// records changed (see `snapshot`), the data key is zeroized and the
/// directory lock released.
pub struct Vault {
    dir: PathBuf,
    header: Header,
    key: DataKey,
    db: sled::Db,
    tree: sled::Tree,
    aux_tree: sled::Tree,
    durable: Durability,
    /// Every record in a slot of its own, shared with the search index:
    /// sealed, and opened when something asks for it.
    entries: entries::Entries,
    index: search::Index,
    /// This vault's steward keys (see `crate::identity`).
    keys: Keys,
    aux: aux::Aux,
    damaged: Vec<String>,
    /// Keyed hashes of steward names (see `aux`).
    names: HashKey,
    /// Keyed hashes of stored values, for the manifest.
    seal: HashKey,
    /// The manifest as it stands on disk, and its sealed bytes.
    manifest: Manifest,
    manifest_sealed: Option<Vec<u8>>,
    /// Per record slot (see `entries`): the keyed hash of its stored value.
    digests: Vec<Digest>,
    /// The same for stored records that could not be read.
    damaged_digests: HashMap<String, Digest>,
    /// The same for each auxiliary value.
    aux_digests: BTreeMap<String, Digest>,
    /// What the manifest check found at unlock: when not empty, the vault
    /// is read-only.
    findings: Vec<Finding>,
    /// The records changed since the snapshot was read or written (or
    /// there was none that fit): the lock writes one (see `snapshot`).
    snapshot_due: bool,
    /// A change is being applied to the records in memory (set before, cleared
    /// after): if it stays set, a panic stopped it halfway, and memory no
    /// longer matches the store until the next unlock rebuilds it.
    memory_torn: bool,
    // Declared last so it is released after sled has closed.
    _lock: DirLock,
}

impl Drop for Vault {
    /// Frees the decrypted records first, then gives the freed pages back to
    /// the system, so a locked app does not keep people's data in its heap
    /// (where it could be swapped to disk) until something reuses it. Pages
    /// still partly in use keep their leftovers.
    fn drop(&mut self) {
        // Only what is known whole is saved: not while a panic unwinds, nor
        // after one stopped a change halfway through memory (`memory_torn`),
        // which the next unlock would otherwise take from the snapshot.
        let whole = !self.memory_torn && !std::thread::panicking();
        if self.snapshot_due && whole && !self.read_only() {
            // Only saves time at the next unlock: without it, that unlock
            // opens every record instead.
            let _ = self.save_snapshot();
        }
        drop(std::mem::take(&mut self.entries));
        drop(std::mem::take(&mut self.index));
        crypto::drop_contexts();
        release_freed_memory();
    }
}

#[cfg(all(target_os = "linux", target_env = "gnu"))]
fn release_freed_memory() {
    // SAFETY: malloc_trim only returns free heap pages to the kernel.
    unsafe {
        libc::malloc_trim(0);
    }
}

#[cfg(not(all(target_os = "linux", target_env = "gnu")))]
fn release_freed_memory() {}

fn random_hex(n: usize) -> String {
    let mut b = vec![0u8; n];
    rand::rngs::OsRng.fill_bytes(&mut b);
    hex::encode(b)
}

/// What a record is sealed with besides its key: the tree and its id, in
/// this order (the one place that says so; `aad` and `with_aad` join them).
fn aad_pieces(id: &Id) -> [&[u8]; 4] {
    [b"aqui/", RECORDS.as_bytes(), b"/", id.as_str().as_bytes()]
}

fn aad(id: &Id) -> Vec<u8> {
    aad_pieces(id).concat()
}

/// `f` of `aad(id)`, made on the stack (an id is a few dozen bytes): for
/// sealing or opening many records.
fn with_aad<R>(id: &Id, f: impl FnOnce(&[u8]) -> R) -> R {
    let pieces = aad_pieces(id);
    let mut room = [0u8; 96];
    let mut at = 0;
    for piece in pieces {
        match room.get_mut(at..at + piece.len()) {
            Some(to) => to.copy_from_slice(piece),
            None => return f(&aad(id)),
        }
        at += piece.len();
    }
    f(&room[..at])
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The bytes every record is sealed with (the frozen fixtures open with
    /// them too): the tree and the id, as they always were.
    #[test]
    fn a_records_associated_data_is_its_tree_and_id() {
        for kind in Kind::ALL {
            let id = Id::new(kind);
            let expected = format!("aqui/{RECORDS}/{}", id.as_str());
            assert_eq!(aad(&id), expected.as_bytes());
        }
    }
}
