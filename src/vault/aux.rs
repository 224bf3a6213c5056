//! What a vault keeps besides records, in the sled tree `aux`, each value
//! sealed like a record (bound to its key): the steward keys, the address
//! book, the audit log and the conflicts waiting to be resolved.
//!
//! ```text
//! keys               this vault's age identity and signing key (secret)
//! steward/HASH       a steward in the address book: HASH is a keyed hash of
//!                    the name folded to lowercase (format 3; before, the
//!                    name itself), so no name is on disk in the clear
//! log/000000000042   an audit log entry, numbered from the highest entry,
//!                    sealed inside a wrapper {seq, prev, entry} whose `prev`
//!                    is the SHA-256 of the previous wrapper (a hash chain)
//! conflict/ID        the other side of a record edited concurrently elsewhere
//! file/HASH          a handoff or backup file this vault wrote (its path),
//!                    for the panic wipe to offer to remove; HASH is a keyed
//!                    hash of the path
//! retention          the retention rules and the hold (see `crate::model::policy`)
//! ```

use super::crypto::HashKey;
use crate::identity::{Keys, Steward, StoredKeys};
use crate::model::ledger::{Conflict, LogEntry};
use crate::model::policy::Policy;
use crate::model::Id;
use serde::{Deserialize, Serialize};
use sha2::{Digest as _, Sha256};
use std::collections::BTreeMap;

pub const TREE: &str = "aux";
/// What `DataKey::derive` is given for the keyed hashes of steward names.
pub const NAMES: &str = "aux-names";

/// A change to the auxiliary data, committed with records in one batch.
pub enum Change {
    Keys(StoredKeys),
    Steward(String, Option<Steward>),
    Log(LogEntry),
    Conflict(Id, Option<Conflict>),
    /// The retention rules and hold (`retention`).
    Retention(Box<Policy>),
    /// A file this vault wrote (`Some`), or one to forget (`None`).
    File(String, Option<WrittenFile>),
}

/// A handoff or backup file this vault wrote, as the panic wipe lists it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct WrittenFile {
    pub path: String,
    pub written: chrono::DateTime<chrono::Utc>,
}

fn file_sled_key(names: &HashKey, path: &str) -> String {
    format!("file/{}", hex::encode(names.hash(&[path.as_bytes()])))
}

/// An audit log entry as sealed on disk (format 3): its number and the hash
/// of the entry before it, so a removed, reordered or replaced entry breaks
/// the chain. `LogEntry` itself is untouched.
#[derive(Serialize, Deserialize)]
struct Chained {
    seq: u64,
    #[serde(with = "hex")]
    prev: [u8; 32],
    entry: LogEntry,
}

/// Where the log's chain stands: the next number and the last entry's hash.
#[derive(Clone, Copy, Default, PartialEq, Eq, Debug)]
pub struct LogCursor {
    pub next: u64,
    pub prev: [u8; 32],
}

/// The auxiliary data, decrypted, as the unlocked vault holds it.
pub struct Aux {
    pub keys: Option<Keys>,
    pub stewards: BTreeMap<String, Steward>,
    pub log: Vec<LogEntry>,
    pub conflicts: BTreeMap<Id, Conflict>,
    /// Files this vault wrote, by path.
    pub files: BTreeMap<String, WrittenFile>,
    /// Where the next log entry goes in the chain.
    pub cursor: LogCursor,
    /// Whether the chain read at unlock was broken (an entry missing,
    /// replaced or out of order).
    pub chain_broken: bool,
    /// The retention rules and the hold.
    pub retention: Policy,
}

pub fn steward_key(name: &str) -> String {
    name.trim().to_lowercase()
}

/// The sled key of a steward: a keyed hash of the folded name.
pub fn steward_sled_key(names: &HashKey, name: &str) -> String {
    format!(
        "steward/{}",
        hex::encode(names.hash(&[steward_key(name).as_bytes()]))
    )
}

impl Aux {
    pub fn new() -> Aux {
        Aux {
            keys: None,
            stewards: BTreeMap::new(),
            log: Vec::new(),
            conflicts: BTreeMap::new(),
            files: BTreeMap::new(),
            cursor: LogCursor::default(),
            chain_broken: false,
            retention: Default::default(),
        }
    }

    /// The sled key and the plaintext of a change (`None` removes it).
    /// `cursor`: where the chain stands before this change (several log
    /// entries may be written in one batch); moved on past a log entry.
    pub fn encode(
        &self,
        change: &Change,
        names: &HashKey,
        cursor: &mut LogCursor,
    ) -> (String, Option<Vec<u8>>) {
        match change {
            Change::Keys(k) => ("keys".into(), Some(json(k))),
            Change::Steward(name, s) => (steward_sled_key(names, name), s.as_ref().map(json)),
            Change::Log(e) => {
                let chained = Chained {
                    seq: cursor.next,
                    prev: cursor.prev,
                    entry: e.clone(),
                };
                let plain = json(&chained);
                let key = log_key(cursor.next);
                cursor.next += 1;
                cursor.prev = Sha256::digest(&plain).into();
                (key, Some(plain))
            }
            Change::Conflict(id, c) => (format!("conflict/{id}"), c.as_ref().map(json)),
            Change::File(path, f) => (file_sled_key(names, path), f.as_ref().map(json)),
            Change::Retention(p) => ("retention".into(), Some(json(p))),
        }
    }

    /// Every value as it would be written afresh (a re-key): keys,
    /// stewards, the log (chained anew from 0) and conflicts; and where the
    /// log's chain then stands.
    pub fn encode_all(
        &self,
        keys: StoredKeys,
        names: &HashKey,
    ) -> (Vec<(String, Vec<u8>)>, LogCursor) {
        let mut cursor = LogCursor::default();
        let mut out = vec![("keys".to_string(), json(&keys))];
        for s in self.stewards.values() {
            out.push((steward_sled_key(names, &s.name), json(s)));
        }
        for e in &self.log {
            let (k, v) = self.encode(&Change::Log(e.clone()), names, &mut cursor);
            out.extend(v.map(|v| (k, v)));
        }
        for (id, c) in &self.conflicts {
            out.push((format!("conflict/{id}"), json(c)));
        }
        for (path, f) in &self.files {
            out.push((file_sled_key(names, path), json(f)));
        }
        if self.retention != Policy::default() {
            out.push(("retention".to_string(), json(&self.retention)));
        }
        (out, cursor)
    }

    /// Applies a committed change to memory.
    pub fn apply(&mut self, change: Change) {
        match change {
            Change::Keys(k) => self.keys = Keys::from_stored(&k),
            Change::Steward(name, Some(s)) => {
                self.stewards.insert(steward_key(&name), s);
            }
            Change::Steward(name, None) => {
                self.stewards.remove(&steward_key(&name));
            }
            Change::Log(e) => self.log.push(e),
            Change::Conflict(id, Some(c)) => {
                self.conflicts.insert(id, c);
            }
            Change::Conflict(id, None) => {
                self.conflicts.remove(&id);
            }
            Change::File(path, Some(f)) => {
                self.files.insert(path, f);
            }
            Change::File(path, None) => {
                self.files.remove(&path);
            }
            Change::Retention(p) => self.retention = *p,
        }
    }

    /// Notes a key read at unlock, opened or not: the next log entry is
    /// numbered after the highest one there, even a damaged one, so that it
    /// never overwrites an entry.
    pub fn note_key(&mut self, key: &str) {
        if let Some(n) = key.strip_prefix("log/").and_then(|n| n.parse::<u64>().ok()) {
            self.cursor.next = self.cursor.next.max(n + 1);
        }
    }

    /// Takes one decrypted value read at unlock; `false` if it makes no sense.
    pub fn load(&mut self, key: &str, plain: &[u8]) -> bool {
        if key == "keys" {
            let Ok(stored) = serde_json::from_slice::<StoredKeys>(plain) else {
                return false;
            };
            self.keys = Keys::from_stored(&stored);
            return self.keys.is_some();
        }
        if key.starts_with("steward/") {
            // Filed by the name inside (the key is a hash, or before format
            // 3 the folded name).
            return serde_json::from_slice::<Steward>(plain)
                .map(|s| self.stewards.insert(steward_key(&s.name), s))
                .is_ok();
        }
        if let Some(n) = key.strip_prefix("log/") {
            let Ok(n) = n.parse::<u64>() else {
                return false;
            };
            // Keys sort in order, and sled iterates in key order.
            if let Ok(c) = serde_json::from_slice::<Chained>(plain) {
                if c.seq != n || c.seq != self.cursor.next || c.prev != self.cursor.prev {
                    self.chain_broken = true;
                }
                self.cursor = LogCursor {
                    next: n + 1,
                    prev: Sha256::digest(plain).into(),
                };
                self.log.push(c.entry);
                return true;
            }
            // Written before format 3: not chained. A re-key chains it.
            return serde_json::from_slice::<LogEntry>(plain)
                .map(|e| {
                    self.cursor.next = n + 1;
                    self.log.push(e)
                })
                .is_ok();
        }
        if key.starts_with("file/") {
            return serde_json::from_slice::<WrittenFile>(plain)
                .map(|f| self.files.insert(f.path.clone(), f))
                .is_ok();
        }
        if key == "retention" {
            return serde_json::from_slice(plain)
                .map(|p| self.retention = p)
                .is_ok();
        }
        if let Some(id) = key.strip_prefix("conflict/").and_then(Id::parse) {
            return serde_json::from_slice::<Conflict>(plain)
                .map(|c| self.conflicts.insert(id, c))
                .is_ok();
        }
        false
    }
}

fn log_key(n: u64) -> String {
    format!("log/{n:012}")
}

/// Serializing these plain structs (string-keyed maps only) cannot fail.
fn json<T: serde::Serialize>(value: &T) -> Vec<u8> {
    serde_json::to_vec(value).unwrap_or_default()
}

pub fn aad(key: &str) -> Vec<u8> {
    format!("aqui/{TREE}/{key}").into_bytes()
}
