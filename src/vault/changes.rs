//! Changes: every write to a vault, records and the values kept beside them
//! (log entries, conflicts, stewards, keys, retention, written files),
//! gathered first and then committed together by `Vault::commit`: checked,
//! sealed and written in one atomic, durable batch with the manifest that
//! covers it, and only then applied to memory. All of them, or none.
//!
//! Every record written meets one rule, `Vault::check`: the kind matches
//! the id, the record validates, and its references are of the right kind
//! (`Record::check`, in the model) and point at records live here or added
//! earlier in the same changes. References the record already had are kept
//! even if their target was deleted since: deleting an organization must not
//! make its members uneditable. Records that arrived from elsewhere are the
//! one named exception (`Changes::arrived`).

use super::*;
use crate::identity::StoredKeys;

/// How the references of the records written are checked.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Refs {
    /// They point at live records (or ones added earlier in the same
    /// changes), as every edit made here must.
    #[default]
    Live,
    /// Only their kind is checked: records that arrived from elsewhere (a
    /// handoff, a backup, a resolved conflict) may name people the sender
    /// held back, records purged or deleted here, or records never seen
    /// here, and are kept as they came.
    AsSent,
}

/// One record written.
enum Write {
    /// A new record: prepared (`Record::prepare_new`), with a fresh clock.
    Add(Record),
    /// The next version of a live record.
    Replace(Record),
    /// A live record deleted: a tombstone.
    Delete,
    /// An entry as it is, clock and all (a merge, a restore, a resolved
    /// conflict); a tombstone stays one.
    Put(Entry),
}

/// Writes to commit together (see the module's docs).
#[derive(Default)]
pub struct Changes {
    records: Vec<(Id, Write)>,
    aux: Vec<aux::Change>,
    refs: Refs,
}

impl Changes {
    pub fn new() -> Changes {
        Changes::default()
    }

    /// Changes whose records arrived from elsewhere: their references are
    /// checked for their kind only (`Refs::AsSent`).
    pub fn arrived() -> Changes {
        Changes {
            refs: Refs::AsSent,
            ..Changes::default()
        }
    }

    /// A new record under `id` (made with `Id::new`). Later records in the
    /// same changes may refer to it.
    pub fn add(&mut self, id: Id, record: Record) -> &mut Changes {
        self.records.push((id, Write::Add(record)));
        self
    }

    /// Replaces the live record `id` with `record` (same kind).
    pub fn replace(&mut self, id: Id, record: Record) -> &mut Changes {
        self.records.push((id, Write::Replace(record)));
        self
    }

    /// Deletes the live record `id`, leaving a tombstone.
    pub fn delete(&mut self, id: Id) -> &mut Changes {
        self.records.push((id, Write::Delete));
        self
    }

    /// Stores `entry` as it is, clock and all (a merge, a restore, a
    /// resolved conflict).
    pub fn put(&mut self, id: Id, entry: Entry) -> &mut Changes {
        self.records.push((id, Write::Put(entry)));
        self
    }

    /// Appends an entry to the audit log.
    pub fn log(&mut self, entry: LogEntry) -> &mut Changes {
        self.aux.push(aux::Change::Log(entry));
        self
    }

    /// Keeps the other side of a conflict on `id` (`Some`), or settles it.
    pub fn conflict(&mut self, id: Id, conflict: Option<Conflict>) -> &mut Changes {
        self.aux.push(aux::Change::Conflict(id, conflict));
        self
    }

    /// Saves a steward in the address book (`Some`), or removes them.
    pub fn steward(&mut self, name: String, steward: Option<Steward>) -> &mut Changes {
        self.aux.push(aux::Change::Steward(name, steward));
        self
    }

    /// Replaces this vault's steward keys.
    pub(crate) fn keys(&mut self, keys: StoredKeys) -> &mut Changes {
        self.aux.push(aux::Change::Keys(keys));
        self
    }

    /// Stores retention rules and the hold.
    pub fn retention(&mut self, policy: Policy) -> &mut Changes {
        self.aux.push(aux::Change::Retention(Box::new(policy)));
        self
    }

    /// Remembers a file this vault wrote (`Some`), or forgets it.
    pub(super) fn file(&mut self, path: String, file: Option<aux::WrittenFile>) -> &mut Changes {
        self.aux.push(aux::Change::File(path, file));
        self
    }

    /// Whether nothing would be written.
    pub fn is_empty(&self) -> bool {
        self.records.is_empty() && self.aux.is_empty()
    }
}

impl Vault {
    /// Checks and commits `changes`: every record checked (`check`), then
    /// everything written in one atomic, durable batch with the manifest,
    /// and only then memory changed. Nothing is written if any record fails
    /// its check.
    pub fn commit(&mut self, changes: Changes) -> Result<(), Error> {
        let Changes { records, aux, refs } = changes;
        let today = today();
        let mut entries = Vec::with_capacity(records.len());
        // Ids written live so far, for references among the new records (a
        // scan of `entries` made a 100,000-record batch quadratic: minutes).
        let mut staged = hashbrown::HashSet::new();
        for (id, write) in records {
            let entry = match write {
                Write::Add(mut record) => {
                    self.check(&id, &record, None, refs, &staged)?;
                    record.prepare_new(today);
                    self.new_entry(record)
                }
                Write::Replace(record) => {
                    let old = self.get(&id)?;
                    self.check(&id, &record, Some(old), refs, &staged)?;
                    self.next_version(&id, Some(record))
                }
                Write::Delete => {
                    self.get(&id)?;
                    self.next_version(&id, None)
                }
                Write::Put(entry) => {
                    if let Some(record) = &entry.record {
                        let old = self.entries.get(&id).and_then(|e| e.record.as_ref());
                        self.check(&id, record, old, refs, &staged)?;
                    }
                    entry
                }
            };
            if entry.record.is_some() {
                staged.insert(id.clone());
            }
            entries.push((id, entry));
        }
        self.write(entries, aux)
    }

    /// The rule every record written meets: the kind matches the id, the
    /// record validates, and its references are of the right kind
    /// (`Record::check`) and, unless `refs` is `AsSent`, point at live
    /// records, at records added earlier in the same changes (`staged`), or
    /// at records `old` (the version it replaces) already named.
    fn check(
        &self,
        id: &Id,
        record: &Record,
        old: Option<&Record>,
        refs: Refs,
        staged: &hashbrown::HashSet<Id>,
    ) -> Result<(), Error> {
        record.check(id)?;
        if refs == Refs::AsSent {
            return Ok(());
        }
        let old_refs: Vec<&Id> = old
            .map(|o| o.refs().into_iter().map(|r| r.1).collect())
            .unwrap_or_default();
        for (field, target, _) in record.refs() {
            let known =
                old_refs.contains(&target) || self.is_live(target) || staged.contains(target);
            if !known {
                return Err(FieldError::new(field, Problem::Missing).into());
            }
        }
        Ok(())
    }
}
