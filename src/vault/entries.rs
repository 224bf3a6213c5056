//! The open vault's records, tombstones included, each in a fixed slot.
//!
//! A record keeps its slot for as long as the vault is open (a deletion
//! leaves a tombstone in it), and the search index files records under the
//! same slots, so a search's thousands of hits are read straight from their
//! slots instead of being looked up by id one by one.

use super::Entry;
use crate::model::Id;
use hashbrown::{DefaultHashBuilder, HashTable};
use std::hash::BuildHasher;

#[derive(Default)]
pub struct Entries {
    hasher: DefaultHashBuilder,
    slots: Vec<(Id, Entry)>,
    /// Id → slot (hashed by id; the ids themselves live in `slots`).
    by_id: HashTable<u32>,
}

impl Entries {
    pub fn slot(&self, id: &Id) -> Option<u32> {
        let hash = self.hasher.hash_one(id);
        self.by_id
            .find(hash, |&s| self.slots[s as usize].0 == *id)
            .copied()
    }

    pub fn get(&self, id: &Id) -> Option<&Entry> {
        self.slot(id).map(|s| &self.slots[s as usize].1)
    }

    /// The record in `slot` (one `insert` returned).
    pub fn at(&self, slot: u32) -> (&Id, &Entry) {
        let (id, entry) = &self.slots[slot as usize];
        (id, entry)
    }

    /// Stores `entry` under `id`: in its slot if it has one, else in a new
    /// one. Returns the slot and the entry it replaced.
    pub fn insert(&mut self, id: Id, entry: Entry) -> (u32, Option<Entry>) {
        if let Some(s) = self.slot(&id) {
            let old = std::mem::replace(&mut self.slots[s as usize].1, entry);
            return (s, Some(old));
        }
        let s = self.slots.len() as u32;
        let hash = self.hasher.hash_one(&id);
        self.slots.push((id, entry));
        let (hasher, slots) = (&self.hasher, &self.slots);
        self.by_id
            .insert_unique(hash, s, |&t| hasher.hash_one(&slots[t as usize].0));
        (s, None)
    }

    pub fn iter(&self) -> impl Iterator<Item = (&Id, &Entry)> {
        self.slots.iter().map(|(id, e)| (id, e))
    }
}
