//! The open vault's records, tombstones included, each in a fixed slot.
//!
//! A record keeps its slot for as long as the vault is open (a deletion
//! leaves a tombstone in it), and the search index files records under the
//! same slots, so a search's thousands of hits are read straight from their
//! slots instead of being looked up by id one by one.
//!
//! A slot keeps its record as stored: sealed, the same bytes as in its pack
//! (compressed, about a third of the record parsed, and unreadable without
//! the data key, should the page be swapped out). These are the very bytes
//! sled holds, shared with its cache (`sled::IVec`), not a copy of them:
//! the packs it read at unlock, or the ones a write gave it (and a pack
//! rewritten for some of its records is then shared by the others too, so
//! memory keeps one version of each pack). It is opened and parsed
//! the first time something asks for it, and that copy kept in the slot
//! until the record changes or the vault is locked (`get`, `at`, `iter`);
//! `get_once` opens one without keeping it, for passes over many records
//! (an export, a search's hits). Whether a slot holds a live record, its
//! kind, and whether it is a person held back from exports (and why, see
//! `model::held_back`) are known without opening it.

use super::crypto::{DataKey, Digest};
use super::{with_aad, Entry};
use crate::model::{Id, Record};
use hashbrown::{DefaultHashBuilder, HashTable};
use std::borrow::Cow;
use std::hash::BuildHasher;
use std::sync::OnceLock;

#[derive(Default)]
pub struct Entries {
    hasher: DefaultHashBuilder,
    slots: Vec<Slot>,
    /// Id → slot (hashed by id; the ids themselves live in `slots`).
    by_id: HashTable<u32>,
}

/// One record as stored, and opened once something asked for it.
pub struct Slot {
    id: Id,
    /// A live record (else a tombstone).
    live: bool,
    /// A person held back from exports, and why (`Record::held_back`).
    held: Option<bool>,
    /// The record's sealed value (see `crypto`), bound to its id.
    sealed: sled::IVec,
    /// The keyed hash of the JSON sealed in it (`seal::plain_digest`).
    plain: Digest,
    /// The record opened and parsed; `None` inside if it no longer opens
    /// (it did at unlock: only a fault in memory could do that).
    open: OnceLock<Option<Box<Entry>>>,
}

/// Opens and parses a record's sealed value; `None` if it does not open or
/// parse, or is not of its id's kind (damage).
pub fn open_entry(key: &DataKey, id: &Id, sealed: &[u8]) -> Option<Entry> {
    with_aad(id, |aad| key.open(aad, sealed)).and_then(|mut plain| {
        let entry = parse_entry(id, &plain);
        crate::harden::wipe(&mut plain);
        entry
    })
}

/// Parses a record's opened value; `None` if it does not parse, or is not
/// of its id's kind (damage).
pub fn parse_entry(id: &Id, plain: &[u8]) -> Option<Entry> {
    serde_json::from_slice::<Entry>(plain)
        .ok()
        .filter(|e| e.record.as_ref().is_none_or(|r| r.kind() == id.kind()))
}

impl Slot {
    /// A record's slot: its sealed value, the keyed hash of its JSON, and
    /// the entry sealed in it (which is not kept: it says whether the record
    /// is live).
    pub fn new(id: Id, entry: &Entry, sealed: sled::IVec, plain: Digest) -> Slot {
        let held = entry.record.as_ref().and_then(Record::held_back);
        Slot::stored(id, (entry.record.is_some(), held), sealed, plain)
    }

    /// A record's slot, when whether it is live and held back is known
    /// without opening it (from a snapshot, see `snapshot`).
    pub fn stored(
        id: Id,
        (live, held): (bool, Option<bool>),
        sealed: sled::IVec,
        plain: Digest,
    ) -> Slot {
        Slot {
            id,
            live,
            held,
            sealed,
            plain,
            open: OnceLock::new(),
        }
    }

    fn get(&self, key: &DataKey) -> Option<&Entry> {
        self.open
            .get_or_init(|| open_entry(key, &self.id, &self.sealed).map(Box::new))
            .as_deref()
    }

    fn get_once(&self, key: &DataKey) -> Option<Cow<'_, Entry>> {
        match self.open.get() {
            Some(open) => open.as_deref().map(Cow::Borrowed),
            None => open_entry(key, &self.id, &self.sealed).map(Cow::Owned),
        }
    }

    /// The entry this slot held, opened if it was not.
    pub fn into_entry(self, key: &DataKey) -> Option<Entry> {
        match self.open.into_inner() {
            Some(open) => open.map(|e| *e),
            None => open_entry(key, &self.id, &self.sealed),
        }
    }
}

impl Entries {
    /// Room for `n` records, so that filling it never grows it.
    pub fn with_capacity(n: usize) -> Entries {
        Entries {
            hasher: Default::default(),
            slots: Vec::with_capacity(n),
            by_id: HashTable::with_capacity(n),
        }
    }

    pub fn slot(&self, id: &Id) -> Option<u32> {
        let hash = self.hasher.hash_one(id);
        self.by_id
            .find(hash, |&s| self.slots[s as usize].id == *id)
            .copied()
    }

    /// Whether `id` is a live record here.
    pub fn is_live(&self, id: &Id) -> bool {
        self.slot(id).is_some_and(|s| self.slots[s as usize].live)
    }

    /// The entry `id`, opened (and kept opened).
    pub fn get(&self, id: &Id, key: &DataKey) -> Option<&Entry> {
        self.slot(id).and_then(|s| self.slots[s as usize].get(key))
    }

    /// The entry `id`, opened for the moment: the kept copy if there is one,
    /// else one that is dropped after use.
    pub fn get_once(&self, id: &Id, key: &DataKey) -> Option<Cow<'_, Entry>> {
        self.slot(id)
            .and_then(|s| self.slots[s as usize].get_once(key))
    }

    /// The sealed value of `id`, as stored.
    pub fn sealed(&self, id: &Id) -> Option<&[u8]> {
        self.slot(id).map(|s| &self.slots[s as usize].sealed[..])
    }

    /// `sealed`, and the slot it is in, looked for first in slot `near`:
    /// for a pass in slot order, which asks there for the slot after the
    /// one it read last, and finds it without hashing the id or reading
    /// the table of ids (about a tenth of opening a record for an export).
    pub fn sealed_near(&self, id: &Id, near: u32) -> Option<(u32, &[u8])> {
        let s = match self.slots.get(near as usize) {
            Some(slot) if slot.id == *id => near,
            _ => self.slot(id)?,
        };
        Some((s, &self.slots[s as usize].sealed[..]))
    }

    /// The id in `slot` (one `insert` returned).
    pub fn id_at(&self, slot: u32) -> &Id {
        &self.slots[slot as usize].id
    }

    /// The record in `slot`, opened (and kept opened).
    pub fn at(&self, slot: u32, key: &DataKey) -> (&Id, Option<&Entry>) {
        let s = &self.slots[slot as usize];
        (&s.id, s.get(key))
    }

    /// How many slots there are (a new record takes the next).
    pub fn len(&self) -> usize {
        self.slots.len()
    }

    /// Stores `slot`: in the slot of its id if it has one, else in a new one.
    /// Returns the slot and what it replaced.
    pub fn insert(&mut self, slot: Slot) -> (u32, Option<Slot>) {
        // The id hashed and looked for once (a snapshot's 100,000 slots).
        let hash = self.hasher.hash_one(&slot.id);
        let (hasher, slots) = (&self.hasher, &self.slots);
        let found = self.by_id.entry(
            hash,
            |&s| slots[s as usize].id == slot.id,
            |&t| hasher.hash_one(&slots[t as usize].id),
        );
        match found {
            hashbrown::hash_table::Entry::Occupied(e) => {
                let s = *e.get();
                let old = std::mem::replace(&mut self.slots[s as usize], slot);
                (s, Some(old))
            }
            hashbrown::hash_table::Entry::Vacant(e) => {
                let s = slots.len() as u32;
                e.insert(s);
                self.slots.push(slot);
                (s, None)
            }
        }
    }

    /// Every id, tombstones included, and whether it is live.
    pub fn ids(&self) -> impl Iterator<Item = (&Id, bool)> {
        self.slots.iter().map(|s| (&s.id, s.live))
    }

    /// Every id, whether it is live, and whether it is a person held back
    /// (and why).
    pub fn flags(&self) -> impl Iterator<Item = (&Id, bool, Option<bool>)> {
        self.slots.iter().map(|s| (&s.id, s.live, s.held))
    }

    /// The keyed hash of each slot's JSON (`seal::plain_digest`), in slot
    /// order.
    pub fn plains(&self) -> impl Iterator<Item = &Digest> {
        self.slots.iter().map(|s| &s.plain)
    }

    /// The keyed hash of the JSON of `id`'s record (`seal::plain_digest`).
    pub fn plain(&self, id: &Id) -> Option<&Digest> {
        self.slot(id).map(|s| &self.slots[s as usize].plain)
    }

    /// Every entry, opened (and kept opened).
    pub fn iter<'a>(&'a self, key: &'a DataKey) -> impl Iterator<Item = (&'a Id, &'a Entry)> {
        self.slots
            .iter()
            .filter_map(move |s| Some((&s.id, s.get(key)?)))
    }

    /// Every entry, each opened for the moment (see `get_once`).
    pub fn iter_once<'a>(
        &'a self,
        key: &'a DataKey,
    ) -> impl Iterator<Item = (&'a Id, Cow<'a, Entry>)> {
        self.slots
            .iter()
            .filter_map(move |s| Some((&s.id, s.get_once(key)?)))
    }

    /// Makes the slot of `id` keep `sealed` (a part of a pack just written)
    /// instead of its own bytes, if they are the same: so a pack rewritten
    /// for some of its records is not kept twice in memory, the old bytes
    /// by the others.
    pub fn share(&mut self, id: &Id, sealed: &sled::IVec) {
        if let Some(s) = self.slot(id) {
            let slot = &mut self.slots[s as usize];
            if slot.sealed == *sealed {
                slot.sealed = sealed.clone();
            }
        }
    }

    /// Puts `sealed` in the slot of `id` as its stored form (a re-key sealed
    /// it again under a new key); what was opened stays opened.
    pub fn reseal(&mut self, id: &Id, sealed: sled::IVec) {
        if let Some(s) = self.slot(id) {
            self.slots[s as usize].sealed = sealed;
        }
    }

    /// Gives `slot` its sealed value (a slot laid out from a snapshot has
    /// none until the records are read, see `snapshot`).
    pub fn give_sealed(&mut self, slot: u32, sealed: sled::IVec) {
        self.slots[slot as usize].sealed = sealed;
    }

    /// Gives each slot, in slot order, the keyed hash of its JSON (a re-key
    /// hashed them again under its new key).
    pub fn set_plains(&mut self, plains: Vec<Digest>) {
        for (slot, plain) in self.slots.iter_mut().zip(plains) {
            slot.plain = plain;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Kind;
    use crate::testkit::{fast_kdf, new_vault, pass, person};
    use crate::vault::{Passphrase, Vault};

    impl Entries {
        pub(in crate::vault) fn opened(&self) -> usize {
            self.slots.iter().filter(|s| s.open.get().is_some()).count()
        }

        /// A fault in memory: one byte of the sealed value of `id` flipped
        /// (and what was opened of it dropped).
        pub(in crate::vault) fn damage(&mut self, id: &Id) {
            let at = self.slot(id).unwrap() as usize;
            let s = &mut self.slots[at];
            let mut bent = s.sealed.to_vec();
            let mid = bent.len() / 2;
            bent[mid] ^= 0x40;
            s.sealed = bent.into();
            s.open = OnceLock::new();
        }
    }

    impl Vault {
        /// See `Entries::damage`: for tests of what meets such a record late.
        pub(crate) fn damage_in_memory(&mut self, id: &Id) {
            self.entries.damage(id);
        }
    }

    #[test]
    fn records_stay_sealed_until_something_asks_for_one() {
        let (_tmp, mut v) = new_vault();
        let dir = v.dir().to_path_buf();
        let ana = v.add(person("Ana Vidal")).unwrap();
        let bea = v.add(person("Bea Vidal")).unwrap();
        let gone = v.add(person("Carla Ruiz")).unwrap();
        v.delete(&gone).unwrap();
        drop(v);

        let mut v = Vault::unlock(&dir, &pass()).unwrap();
        assert_eq!(v.entries.opened(), 0, "unlock keeps every record sealed");
        assert_eq!(v.search("vidal").len(), 2);
        assert_eq!(v.counts()[&Kind::Person], 2);
        assert!(v.entry_once(&ana).is_some() && v.entries_once().count() == 3);
        assert_eq!(
            v.entries.opened(),
            0,
            "search, counts and passes open nothing"
        );
        assert_eq!(v.get(&ana).unwrap().title(), "Ana Vidal");
        assert_eq!(v.entries.opened(), 1);
        assert!(v.get(&gone).is_err() && v.entry(&gone).unwrap().record.is_none());

        // A write keeps the new version sealed, and the index follows it.
        v.edit(&ana, &[("name".into(), "Ana Ruiz".into())]).unwrap();
        assert_eq!(v.search("vidal"), [&bea]);
        assert_eq!(v.get(&ana).unwrap().title(), "Ana Ruiz");

        // A re-key seals every record again under the new key: one never
        // opened before opens under it.
        let new = Passphrase::new("another horse battery staple".to_string());
        v.change_passphrase(&new, fast_kdf()).unwrap();
        assert_eq!(v.get(&bea).unwrap().title(), "Bea Vidal");
        assert_eq!(v.entries().count(), 3);
    }

    /// `sealed_near` finds what `sealed` finds, wherever it is asked to
    /// look first (the right slot, another, one past the end), and nothing
    /// for an id not here; `append_json` moves its guess past what it read.
    #[test]
    fn a_record_is_found_near_a_slot_or_by_its_id() {
        let (_tmp, mut v) = new_vault();
        let ids: Vec<Id> = ["Ana Vidal", "Bea Vidal", "Carla Ruiz"]
            .iter()
            .map(|n| v.add(person(n)).unwrap())
            .collect();
        let e = &v.entries;
        for id in &ids {
            let at = e.slot(id).unwrap();
            for near in [at, at + 1, 0, 2, 3, u32::MAX] {
                assert_eq!(e.sealed_near(id, near), Some((at, e.sealed(id).unwrap())));
            }
        }
        // A person of another vault.
        let (_other_tmp, mut other) = new_vault();
        let stranger = other.add(person("Dora Soto")).unwrap();
        for near in [0, 2, 3] {
            assert_eq!(e.sealed_near(&stranger, near), None);
        }
        let (mut next, mut out) = (0, Vec::new());
        for (i, id) in ids.iter().enumerate() {
            assert!(v.append_json(id, &mut next, &mut out));
            assert_eq!(next, v.entries.slot(id).unwrap() + 1, "record {i}");
        }
        assert!(!v.append_json(&stranger, &mut next, &mut out));
    }
}
