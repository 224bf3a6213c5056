//! Changes: every write to a vault, records and the values kept beside them
//! (log entries, conflicts, stewards, keys, retention, written files),
//! gathered first and then committed together by `Vault::commit`: checked,
//! sealed and written in one atomic, durable batch with the manifest that
//! covers it, and only then applied to memory. All of them, or none.
//!
//! Every record written meets one rule, `Vault::check`: the kind matches
//! the id, the record validates, and its references are of the right kind
//! (`Record::check`, in the model) and point at records live once the
//! changes before it are applied (live here or added earlier in the same
//! changes, and not deleted earlier in them). References the record already
//! had are kept even if their target was deleted since: deleting an
//! organization must not make its members uneditable. Records that arrived
//! from elsewhere are the one named exception (`Changes::arrived`). A new
//! record never takes an id already used here, even a deleted record's.

use super::*;
use crate::identity::StoredKeys;
use crate::model::ledger::Checked;

/// How the references of the records written are checked.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
enum Refs {
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
    /// `Put`, of an entry whose record met `Record::check` already.
    PutChecked(Checked),
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
    pub(crate) fn arrived() -> Changes {
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
    pub(crate) fn put(&mut self, id: Id, entry: Entry) -> &mut Changes {
        self.records.push((id, Write::Put(entry)));
        self
    }

    /// `put`, of an entry whose record met `Record::check` already (the
    /// reader of a file checked it): changes that arrived from elsewhere
    /// (`arrived`), which ask no more of a record, do not check it again.
    pub(crate) fn put_checked(&mut self, checked: Checked) -> &mut Changes {
        let id = checked.id().clone();
        self.records.push((id, Write::PutChecked(checked)));
        self
    }

    /// Appends an entry to the audit log.
    pub(crate) fn log(&mut self, entry: LogEntry) -> &mut Changes {
        self.aux.push(aux::Change::Log(entry));
        self
    }

    /// Keeps the other side of a conflict on `id` (`Some`), or settles it.
    pub(crate) fn conflict(&mut self, id: Id, conflict: Option<Conflict>) -> &mut Changes {
        self.aux.push(aux::Change::Conflict(id, conflict));
        self
    }

    /// Saves a steward in the address book (`Some`), or removes them.
    pub(crate) fn steward(&mut self, name: String, steward: Option<Steward>) -> &mut Changes {
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
        // Ids written so far in these changes, and whether each is live
        // after them (`false`: deleted, or put as a tombstone): references
        // among the new records see the vault as these changes leave it. A
        // map, not a scan of `entries` (that made a 100,000-record batch
        // quadratic: minutes).
        let mut staged = hashbrown::HashMap::new();
        // Only a check of references (not of records that arrived) and a
        // new id read it: an import's changes skip it (100,000 ids copied,
        // hashed and freed on this thread while the cores wait).
        let staging =
            refs != Refs::AsSent || records.iter().any(|(_, w)| matches!(w, Write::Add(_)));
        // Records that arrived from elsewhere meet the rule on their own (no
        // reference is followed), so a large batch of them (an import) is
        // checked on every core first, one flag a record (what a record
        // failed is found again, in its turn, below). A `Checked` one met
        // exactly that rule when it was made.
        let mut apart = if refs == Refs::AsSent {
            par_map(&records, |(id, write)| match write {
                Write::Put(Entry {
                    record: Some(record),
                    ..
                }) => record.check(id).is_ok(),
                _ => true,
            })
        } else {
            Vec::new()
        }
        .into_iter();
        // Taken from the end of the reversed list, which gives its room back
        // as `entries` grows (a large batch would hold both lists whole).
        let mut records = records;
        records.reverse();
        while let Some((id, write)) = records.pop() {
            if records.capacity() > 2 * records.len() + bulk::PART {
                records.shrink_to_fit();
            }
            let checked = apart.next().unwrap_or(false);
            let entry = match write {
                Write::Add(mut record) => {
                    // A used id (even a tombstone's) would restart its clock.
                    let used = self.entries.slot(&id).is_some()
                        || self.damaged_digests.contains_key(id.as_str())
                        || staged.contains_key(&id);
                    if used {
                        return Err(FieldError::new("id", Problem::InUse).into());
                    }
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
                    if let (Some(record), false) = (&entry.record, checked) {
                        let old = self.entry(&id).and_then(|e| e.record.as_ref());
                        self.check(&id, record, old, refs, &staged)?;
                    }
                    entry
                }
                Write::PutChecked(checked) => {
                    let (_, entry) = checked.into_parts();
                    if let (Some(record), Refs::Live) = (&entry.record, refs) {
                        let old = self.entry(&id).and_then(|e| e.record.as_ref());
                        self.check(&id, record, old, refs, &staged)?;
                    }
                    entry
                }
            };
            if staging {
                staged.insert(id.clone(), entry.record.is_some());
            }
            entries.push((id, entry));
        }
        drop((records, staged));
        self.write(entries, aux)
    }

    /// The rule every record written meets: the kind matches the id, the
    /// record validates, and its references are of the right kind
    /// (`Record::check`) and, unless `refs` is `AsSent`, point at records
    /// live once the changes so far are applied (`staged`: the ids written
    /// earlier in them, and whether each is live), or at records `old` (the
    /// version it replaces) already named.
    fn check(
        &self,
        id: &Id,
        record: &Record,
        old: Option<&Record>,
        refs: Refs,
        staged: &hashbrown::HashMap<Id, bool>,
    ) -> Result<(), Error> {
        record.check(id)?;
        if refs == Refs::AsSent {
            return Ok(());
        }
        let old_refs: hashbrown::HashSet<&Id> = old
            .map(|o| o.refs().into_iter().map(|r| r.1).collect())
            .unwrap_or_default();
        for (field, target, _) in record.refs() {
            let live = match staged.get(target) {
                Some(live) => *live,
                None => self.is_live(target),
            };
            if !live && !old_refs.contains(target) {
                return Err(FieldError::new(field, Problem::Missing).into());
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::ledger::Action;
    use crate::testkit::{new_vault, rec};

    fn is(e: &Error, want: fn(&Problem) -> bool) -> bool {
        matches!(e, Error::Invalid(FieldError { problem, .. }) if want(problem))
    }

    #[test]
    fn changes_meet_one_rule_and_are_written_all_or_none() {
        let (_tmp, mut v) = new_vault();
        let org = v.add(rec(Kind::Org, &[("name", "Centro")])).unwrap();
        let log = LogEntry {
            time: Utc::now(),
            action: Action::CsvImport,
            counts: Default::default(),
            deletions: 0,
            peers: Vec::new(),
            passphrase: false,
            sensitive_included: false,
            excluded: Default::default(),
            merged: None,
            warnings: Vec::new(),
        };
        let logged = v.log().len();

        // A reference to a record that is not here: refused, and the log entry
        // and the good record beside it are not written either.
        let nowhere = Id::new(Kind::Org);
        let ana = Id::new(Kind::Person);
        let mut c = Changes::new();
        c.add(Id::new(Kind::Person), rec(Kind::Person, &[("name", "Bea")]))
            .add(
                ana.clone(),
                rec(Kind::Person, &[("name", "Ana"), ("org", nowhere.as_str())]),
            )
            .log(log.clone());
        let e = v.commit(c).unwrap_err();
        assert!(is(&e, |p| matches!(p, Problem::Missing)), "{e:?}");
        assert_eq!(v.list(Kind::Person).len(), 0);
        assert_eq!(v.log().len(), logged);

        // The kind must match the id, whatever the path.
        let mut c = Changes::new();
        c.replace(org.clone(), rec(Kind::Person, &[("name", "Ana")]));
        let e = v.commit(c).unwrap_err();
        assert!(is(&e, |p| matches!(p, Problem::WrongKind { .. })), "{e:?}");

        // Records that arrived from elsewhere keep references this vault cannot
        // follow, but still of the right kind.
        let mut c = Changes::arrived();
        let entry = |r: Record| Entry {
            meta: Meta {
                created: Utc::now(),
                updated: Utc::now(),
                clock: Clock::from_iter([("elsewhere".to_string(), 1)]),
            },
            record: Some(r),
        };
        let p = rec(Kind::Person, &[("name", "Ana"), ("org", nowhere.as_str())]);
        c.put(ana.clone(), entry(p)).log(log);
        v.commit(c).unwrap();
        assert_eq!(v.log().len(), logged + 1);
        assert!(v.get(&ana).unwrap().refs().iter().any(|r| *r.1 == nowhere));
        let mut c = Changes::arrived();
        c.put(
            Id::new(Kind::Org),
            entry(rec(Kind::Person, &[("name", "Eva")])),
        );
        assert!(v.commit(c).is_err());

        // A later record may name one added earlier in the same changes.
        let club = Id::new(Kind::Org);
        let mut c = Changes::new();
        c.add(club.clone(), rec(Kind::Org, &[("name", "Club")]))
            .add(
                Id::new(Kind::Person),
                rec(Kind::Person, &[("name", "Eva"), ("org", club.as_str())]),
            );
        v.commit(c).unwrap();
        assert_eq!(v.list(Kind::Person).len(), 2);
    }

    /// An entry as it arrives from another device: version `n` there.
    fn elsewhere(r: Option<Record>, n: u64) -> Entry {
        Entry {
            meta: Meta {
                created: Utc::now(),
                updated: Utc::now(),
                clock: Clock::from_iter([("elsewhere".to_string(), n)]),
            },
            record: r,
        }
    }

    /// A batch large enough to be written in parts files its new records'
    /// postings in shards (`Vault::write`): a record put twice in it, or
    /// put and then deleted, leaves no posting of its earlier version, and
    /// every search answers as the index rebuilt at unlock does.
    #[test]
    fn a_large_batch_is_indexed_as_a_rebuild_would_be() {
        let (tmp, mut v) = new_vault();
        let org = v.add(rec(Kind::Org, &[("name", "Centro Obrero")])).unwrap();
        let old = v
            .add(rec(Kind::Person, &[("name", "Viejo Nombre")]))
            .unwrap();
        let (twice, gone) = (Id::new(Kind::Person), Id::new(Kind::Person));
        let person = |name: &str| rec(Kind::Person, &[("name", name), ("org", org.as_str())]);
        let mut c = Changes::arrived();
        for i in 0..bulk::PART + 700 {
            let name = format!("Persona{i} palabra{} común", i % 7);
            c.put(Id::new(Kind::Person), elsewhere(Some(person(&name)), 1));
            match i {
                1_100 => c.put(twice.clone(), elsewhere(Some(person("Primera Versión")), 1)),
                1_300 => c.put(twice.clone(), elsewhere(Some(person("Segunda Versión")), 2)),
                1_400 => c.put(gone.clone(), elsewhere(Some(person("Borrada Pronto")), 1)),
                1_500 => c.put(gone.clone(), elsewhere(None, 2)),
                1_600 => c.put(old.clone(), elsewhere(Some(person("Nuevo Nombre")), 9)),
                _ => &mut c,
            };
        }
        v.commit(c).unwrap();
        let queries = [
            "primera",
            "segunda",
            "version",
            "borrada",
            "viejo",
            "nuevo",
            "palabra3",
            "persona17",
            "comun",
            "obrero",
            "centro persona5",
            "a",
        ];
        let found = |v: &Vault| -> Vec<Vec<Id>> {
            let answers = queries
                .iter()
                .map(|q| v.search(q).into_iter().cloned().collect());
            answers.collect()
        };
        let after = found(&v);
        assert!(after[0].is_empty() && after[3].is_empty() && after[4].is_empty());
        assert_eq!((&after[1], &after[5]), (&vec![twice], &vec![old]));
        let threes = (0..bulk::PART + 700).filter(|i| i % 7 == 3).count();
        assert_eq!(after[6].len(), threes);
        drop(v);
        let dir = tmp.path().join("vault");
        let store = Header::read(&dir).unwrap().store_dir(&dir).unwrap();
        std::fs::remove_file(store.join(snapshot::FILE)).expect("the lock wrote a snapshot");
        let rebuilt = Vault::unlock(&dir, &crate::testkit::pass()).unwrap();
        assert_eq!(after, found(&rebuilt));
    }

    /// A slot there before the batch that held no live record (a person
    /// deleted here) gets its first version in the batch filed in a shard;
    /// a second version later in the same batch takes the shards in first,
    /// so the record is not found by a word only its first version had
    /// (nor after a snapshot, nor after a full rebuild).
    #[test]
    fn a_deleted_slot_put_twice_in_a_large_batch_keeps_no_stale_posting() {
        let (tmp, mut v) = new_vault();
        let back = v
            .add(rec(Kind::Person, &[("name", "Borrado Antes")]))
            .unwrap();
        v.delete(&back).unwrap();
        let person = |name: &str| rec(Kind::Person, &[("name", name)]);
        let mut c = Changes::arrived();
        for i in 0..bulk::PART + 700 {
            c.put(
                Id::new(Kind::Person),
                elsewhere(Some(person(&format!("Persona{i}"))), 1),
            );
            match i {
                1_100 => c.put(
                    back.clone(),
                    elsewhere(Some(person("Primerisima Version")), 5),
                ),
                1_300 => c.put(back.clone(), elsewhere(Some(person("Segunda Version")), 6)),
                _ => &mut c,
            };
        }
        v.commit(c).unwrap();
        let found = |v: &Vault, q: &str| -> Vec<Id> { v.search(q).into_iter().cloned().collect() };
        assert_eq!(found(&v, "segunda"), vec![back.clone()]);
        assert!(
            found(&v, "primerisima").is_empty(),
            "found by a word only its replaced version had"
        );
        drop(v);
        let dir = tmp.path().join("vault");
        let store = Header::read(&dir).unwrap().store_dir(&dir).unwrap();
        std::fs::remove_file(store.join(snapshot::FILE)).expect("the lock wrote a snapshot");
        let rebuilt = Vault::unlock(&dir, &crate::testkit::pass()).unwrap();
        assert!(found(&rebuilt, "primerisima").is_empty());
    }

    #[test]
    fn a_new_record_never_takes_an_id_in_use() {
        let (_tmp, mut v) = new_vault();
        let org = v.add(rec(Kind::Org, &[("name", "Centro")])).unwrap();
        let gone = v.add(rec(Kind::Org, &[("name", "Viejo")])).unwrap();
        v.delete(&gone).unwrap();
        let clock = v.entry(&gone).unwrap().meta.clock.clone();
        let in_use = |e: &Error| is(e, |p| matches!(p, Problem::InUse));
        // A live record's id, a tombstone's (it would come back with a
        // fresh clock), and one added earlier in the same changes.
        for id in [&org, &gone] {
            let mut c = Changes::new();
            c.add(id.clone(), rec(Kind::Org, &[("name", "Otro")]));
            let e = v.commit(c).unwrap_err();
            assert!(in_use(&e), "{e:?}");
        }
        assert_eq!(v.get(&org).unwrap().title(), "Centro");
        assert!(v.get(&gone).is_err());
        assert_eq!(v.entry(&gone).unwrap().meta.clock, clock);
        let twice = Id::new(Kind::Org);
        let mut c = Changes::new();
        c.add(twice.clone(), rec(Kind::Org, &[("name", "Uno")]))
            .add(twice.clone(), rec(Kind::Org, &[("name", "Dos")]));
        let e = v.commit(c).unwrap_err();
        assert!(in_use(&e), "{e:?}");
        assert!(v.get(&twice).is_err());
    }

    #[test]
    fn references_see_records_removed_earlier_in_the_same_changes() {
        let (_tmp, mut v) = new_vault();
        let org = v.add(rec(Kind::Org, &[("name", "Centro")])).unwrap();
        let person = |name: &str| rec(Kind::Person, &[("name", name), ("org", org.as_str())]);
        // Deleted, then named by a new record: refused, nothing written.
        let mut c = Changes::new();
        c.delete(org.clone())
            .add(Id::new(Kind::Person), person("Ana"));
        let e = v.commit(c).unwrap_err();
        assert!(is(&e, |p| matches!(p, Problem::Missing)), "{e:?}");
        assert!(v.get(&org).is_ok());
        assert_eq!(v.list(Kind::Person).len(), 0);
        // Put as a tombstone, the same.
        let mut tomb = v.entry(&org).unwrap().clone();
        tomb.record = None;
        *tomb.meta.clock.entry("elsewhere".into()).or_default() += 1;
        let mut c = Changes::new();
        c.put(org.clone(), tomb)
            .add(Id::new(Kind::Person), person("Bea"));
        let e = v.commit(c).unwrap_err();
        assert!(is(&e, |p| matches!(p, Problem::Missing)), "{e:?}");
        assert!(v.get(&org).is_ok());
        // A member added before the delete keeps the reference it had.
        let ana = v.add(person("Ana")).unwrap();
        let mut c = Changes::new();
        c.delete(org.clone())
            .replace(ana.clone(), person("Ana María"));
        v.commit(c).unwrap();
        assert!(v.get(&org).is_err());
        assert_eq!(v.get(&ana).unwrap().title(), "Ana María");
    }
}
