//! What a vault keeps besides records, in the sled tree `aux`, each value
//! sealed like a record (bound to its key): the steward keys, the address
//! book, the audit log and the conflicts waiting to be resolved.
//!
//! ```text
//! keys               this vault's age identity and signing key (secret)
//! steward/NAME       a steward in the address book (NAME folded to lowercase)
//! log/000000000042   an audit log entry, in order
//! conflict/ID        the other side of a record edited concurrently elsewhere
//! retention          the retention rules and the hold (see `crate::retention`)
//! ```

use crate::handoff::keys::{Keys, Steward, StoredKeys};
use crate::handoff::{Conflict, LogEntry};
use crate::model::Id;
use std::collections::BTreeMap;

pub const TREE: &str = "aux";

/// A change to the auxiliary data, committed with records in one batch.
pub enum Change {
    Keys(StoredKeys),
    Steward(String, Option<Steward>),
    Log(LogEntry),
    Conflict(Id, Option<Conflict>),
    /// The retention rules and hold (`retention`).
    Retention(Box<crate::retention::Policy>),
    /// An audit log entry rewritten in place (a purge drops who it named).
    LogAt(usize, Box<LogEntry>),
}

/// The auxiliary data, decrypted, as the unlocked vault holds it.
pub struct Aux {
    pub keys: Option<Keys>,
    pub stewards: BTreeMap<String, Steward>,
    pub log: Vec<LogEntry>,
    pub conflicts: BTreeMap<Id, Conflict>,
    pub retention: crate::retention::Policy,
}

pub fn steward_key(name: &str) -> String {
    name.trim().to_lowercase()
}

impl Aux {
    pub fn new() -> Aux {
        Aux {
            keys: None,
            stewards: BTreeMap::new(),
            log: Vec::new(),
            conflicts: BTreeMap::new(),
            retention: Default::default(),
        }
    }

    /// The sled key and the plaintext of a change (`None` removes it).
    /// `nth`: how many log entries come before this one in its batch (several
    /// may be written at once).
    pub fn encode(&self, change: &Change, nth: usize) -> (String, Option<Vec<u8>>) {
        match change {
            Change::Keys(k) => ("keys".into(), Some(json(k))),
            Change::Steward(name, s) => (
                format!("steward/{}", steward_key(name)),
                s.as_ref().map(json),
            ),
            Change::Log(e) => (format!("log/{:012}", self.log.len() + nth), Some(json(e))),
            Change::Conflict(id, c) => (format!("conflict/{id}"), c.as_ref().map(json)),
            Change::Retention(p) => ("retention".into(), Some(json(p))),
            Change::LogAt(i, e) => (format!("log/{i:012}"), Some(json(e))),
        }
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
            Change::Retention(p) => self.retention = *p,
            Change::LogAt(i, e) => {
                if let Some(old) = self.log.get_mut(i) {
                    *old = *e;
                }
            }
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
        if let Some(name) = key.strip_prefix("steward/") {
            return serde_json::from_slice::<Steward>(plain)
                .map(|s| self.stewards.insert(name.to_string(), s))
                .is_ok();
        }
        if key.starts_with("log/") {
            // Keys sort in order, and sled iterates in key order.
            return serde_json::from_slice::<LogEntry>(plain)
                .map(|e| self.log.push(e))
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

/// Serializing these plain structs (string-keyed maps only) cannot fail.
fn json<T: serde::Serialize>(value: &T) -> Vec<u8> {
    serde_json::to_vec(value).unwrap_or_default()
}

pub fn aad(key: &str) -> Vec<u8> {
    format!("aqui/{TREE}/{key}").into_bytes()
}
