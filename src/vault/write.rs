//! Writing: the vault's own write methods (add, update, edit, delete, a
//! purge), each a `Changes` committed (see `changes`), and `write`, which
//! puts checked changes on disk: one atomic, durable batch with the
//! manifest that covers it, and only then memory.

use super::*;

impl Vault {
    /// Remembers a handoff or backup file this vault wrote, so the panic
    /// wipe can offer to remove it (see `written_files`). The path is kept
    /// sealed like everything else.
    pub fn note_written(&mut self, path: &Path) -> Result<(), Error> {
        let path = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
        let path = path.to_string_lossy().into_owned();
        let file = aux::WrittenFile {
            path: path.clone(),
            written: Utc::now(),
        };
        let mut changes = Changes::new();
        changes.file(path, Some(file));
        self.commit(changes)
    }

    /// Stores new retention rules or a hold.
    pub fn set_retention(&mut self, policy: Policy) -> Result<(), Error> {
        let mut changes = Changes::new();
        changes.retention(policy);
        self.commit(changes)
    }

    /// Commits a purge (`crate::retention`): records rewritten without the
    /// identities and text they held, and audit log entries rewritten without
    /// who they named; then re-keys under `pass`, so that what was purged is
    /// shredded (the old store, where sled may still hold the old values, is
    /// removed and the old data key destroyed), not only unlinked.
    ///
    /// The records are committed first, in one durable batch. The log's
    /// entries are hash-chained (see `aux`), so rewriting one means writing
    /// the whole chain anew: that happens in the re-key, which writes every
    /// value into a fresh store. If the re-key fails, the log is put back as
    /// it was in memory (on disk it never changed) and the error returned;
    /// the records stay purged, marked `shred_pending`, and the next purge
    /// finishes the rest.
    pub fn commit_purge(
        &mut self,
        records: Vec<(Id, Record)>,
        logs: Vec<(usize, LogEntry)>,
        pass: &Passphrase,
    ) -> Result<(), Error> {
        let mut changes = Changes::new();
        for (id, record) in records {
            changes.replace(id, record);
        }
        // The purged records, and a mark that their shredding is still to
        // come, in one batch: if the re-key below does not finish, the next
        // purge (or unlock in the app) sees the mark and re-keys then.
        let mut pending = self.aux.retention.clone();
        pending.shred_pending = true;
        changes.retention(pending);
        self.commit(changes)?;
        let before = self.aux.log.clone();
        for (i, e) in logs {
            if let Some(old) = self.aux.log.get_mut(i) {
                *old = e;
            }
        }
        // The fresh store is written from memory, without the mark.
        self.aux.retention.shred_pending = false;
        if let Err(e) = self.rekey(pass) {
            self.aux.log = before;
            self.aux.retention.shred_pending = true;
            return Err(e);
        }
        Ok(())
    }

    /// Adds a new record and returns its id once it is durable.
    pub fn add(&mut self, record: Record) -> Result<Id, Error> {
        let id = Id::new(record.kind());
        let mut changes = Changes::new();
        changes.add(id.clone(), record);
        self.commit(changes)?;
        Ok(id)
    }

    /// Adds several records at once: all of them are stored, or none.
    /// Later records may refer to earlier ones (pass ids made with `Id::new`).
    pub fn add_all(&mut self, records: Vec<(Id, Record)>) -> Result<(), Error> {
        let mut changes = Changes::new();
        for (id, record) in records {
            changes.add(id, record);
        }
        self.commit(changes)
    }

    pub(super) fn new_entry(&self, record: Record) -> Entry {
        let now = Utc::now();
        // One device: a store of exactly one (`from_iter` leaves room for four).
        let clock = Clock::from_sorted_store_unchecked(vec![(self.header.device.clone(), 1)]);
        Entry {
            meta: Meta {
                created: now,
                updated: now,
                clock,
            },
            record: Some(record),
        }
    }

    /// Replaces a live record with `record` (same kind).
    pub fn update(&mut self, id: &Id, record: Record) -> Result<(), Error> {
        let mut changes = Changes::new();
        changes.replace(id.clone(), record);
        self.commit(changes)
    }

    /// Applies `field = value` edits (as `Record::set` reads them) to a record.
    pub fn edit(&mut self, id: &Id, edits: &[(String, String)]) -> Result<(), Error> {
        let mut record = self.get(id)?.clone();
        let today = today();
        for (field, value) in edits {
            record.set(field, value, today)?;
        }
        self.update(id, record)
    }

    /// Saves a whole form (see `model::form`): a new record of `kind` when
    /// `id` is `None`, else the record `id`. Returns its id.
    pub fn save_form(
        &mut self,
        id: Option<&Id>,
        kind: Kind,
        pairs: &[(String, String)],
    ) -> Result<Id, Error> {
        let today = today();
        let mut record = match id {
            Some(id) => self.get(id)?.clone(),
            None => Record::empty(kind),
        };
        record.apply_form(pairs, today)?;
        match id {
            Some(id) => self.update(id, record).map(|()| id.clone()),
            None => self.add(record),
        }
    }

    /// Deletes a record, leaving a tombstone.
    pub fn delete(&mut self, id: &Id) -> Result<(), Error> {
        let mut changes = Changes::new();
        changes.delete(id.clone());
        self.commit(changes)
    }

    pub(super) fn next_version(&self, id: &Id, record: Option<Record>) -> Entry {
        let mut meta = self
            .entry(id)
            .map(|e| e.meta.clone())
            .expect("next_version is given a stored id");
        meta.updated = Utc::now();
        *meta.clock.entry(self.header.device.clone()).or_default() += 1;
        Entry { meta, record }
    }

    /// Seals and stores checked records and auxiliary changes in one atomic
    /// batch with the manifest that covers them, makes it durable, and only
    /// then updates memory: all of them, or none. Only `commit` calls this,
    /// once every record has met its check.
    pub(super) fn write(
        &mut self,
        changes: Vec<(Id, Entry)>,
        aux_changes: Vec<aux::Change>,
    ) -> Result<(), Error> {
        if self.read_only() {
            return Err(Error::ReadOnly);
        }
        self.settle_batch()?;
        let mut manifest = self.manifest;
        manifest.epoch += 1;
        let mut aux_batch = sled::Batch::default();
        let mut aux_undo = sled::Batch::default();
        // The aux values are few: a copy to change is cheap.
        let mut aux_digests = self.aux_digests.clone();
        // Log entries are numbered from the highest one, and chained: an
        // import's conflicts come before its log entry in the batch.
        let mut cursor = self.aux.cursor;
        for change in &aux_changes {
            let (key, plain) = self.aux.encode(change, &self.names, &mut cursor);
            if let Some(old) = aux_digests.remove(&key) {
                xor(&mut manifest.aux_hash, &old);
                manifest.aux = manifest.aux.saturating_sub(1);
            }
            match plain {
                Some(plain) => {
                    let plain = Zeroizing::new(plain);
                    let value = self.key.seal(&aux::aad(&key), &plain);
                    let d = aux_digest(&self.seal, key.as_bytes(), &value);
                    xor(&mut manifest.aux_hash, &d);
                    manifest.aux += 1;
                    aux_digests.insert(key.clone(), d);
                    aux_batch.insert(key.as_bytes(), value);
                }
                None => aux_batch.remove(key.as_bytes()),
            }
            match self.aux_tree.get(key.as_bytes())? {
                Some(old) => aux_undo.insert(key.as_bytes(), old),
                None => aux_undo.remove(key.as_bytes()),
            }
        }
        let mut batch = sled::Batch::default();
        // What the batch overwrites, to put back if it cannot be made durable:
        // otherwise sled would keep it in memory and persist it later, and a
        // save the person was told failed would reappear: each pack as it
        // was read below.
        let mut undo = sled::Batch::default();
        // A large batch is written in parts (see `bulk`), sealed a part at
        // a time; only the manifest goes in `batch`.
        let mut parts = if changes.len() > bulk::PART {
            Some(bulk::Parts::begin(&self.db, &self.tree, manifest.epoch)?)
        } else {
            None
        };
        let in_parts = parts.is_some();
        let mut new_digests = vec![Digest::default(); changes.len()];
        let mut new_plains = vec![Digest::default(); changes.len()];
        let mut new_values = vec![sled::IVec::default(); changes.len()];
        let refs: Vec<&Id> = changes.iter().map(|(id, _)| id).collect();
        let plain = |i: usize, json: &mut Vec<u8>| match serde_json::to_writer(json, &changes[i].1)
        {
            Ok(()) => Ok(true),
            Err(_) => Err(Error::Damaged(Damage::Encode)),
        };
        // Each pack a change falls in is read, and written back whole.
        let sealed = seal_by_pack((&self.key, &self.seal), &refs, plain, |packs| {
            let mut writes = Vec::with_capacity(packs.len());
            for (key, records) in packs {
                // Digests of ids already changed earlier in this batch (all
                // changes of an id are in its pack).
                let mut pending: HashMap<&Id, Digest> = HashMap::new();
                for (i, _, d, p) in &records {
                    let id = refs[*i];
                    let known_digest = self.entries.slot(id).map(|s| self.digests[s as usize]);
                    let old = pending
                        .get(id)
                        .copied()
                        .or(known_digest)
                        .or_else(|| self.damaged_digests.get(id.as_str()).copied());
                    match old {
                        Some(old) => xor(&mut manifest.records_hash, &old),
                        None => manifest.records += 1,
                    }
                    xor(&mut manifest.records_hash, d);
                    pending.insert(id, *d);
                    new_digests[*i] = *d;
                    new_plains[*i] = *p;
                }
                let new: Vec<(&Id, &[u8])> = records
                    .iter()
                    .map(|(i, v, ..)| (refs[*i], v.as_slice()))
                    .collect();
                let old = self.tree.get(&key)?;
                // Memory keeps each record as a part of the pack sled is
                // given: the same bytes, not a copy (see `entries`); the
                // records of the pack that did not change too, at once (the
                // same bytes as theirs), so the old pack can go.
                let (value, shared) = pack::update_shared(&key, old.as_deref(), &new);
                for (id, v) in &shared {
                    self.entries.share(id, v);
                }
                for (i, sealed, ..) in records {
                    let id = refs[i];
                    new_values[i] = shared
                        .iter()
                        .find(|(at, v)| at == id && **v == *sealed)
                        .map_or_else(|| sealed.into(), |(_, v)| v.clone());
                }
                writes.push((key, value, old));
            }
            match parts.as_mut() {
                Some(parts) => parts.write(writes),
                None => {
                    for (key, value, old) in writes {
                        batch.insert(key.as_slice(), value);
                        match old {
                            Some(old) => undo.insert(key, old),
                            None => undo.remove(key),
                        }
                    }
                    Ok(())
                }
            }
        });
        drop(refs);
        drop(parts);
        if let Err(e) = sealed {
            if in_parts {
                let _ = bulk::undo(&self.db, &self.tree);
            }
            return Err(e);
        }
        let manifest_sealed = seal_manifest(&self.key, &manifest)?;
        batch.insert(MANIFEST, manifest_sealed.clone());
        match &self.manifest_sealed {
            Some(old) => undo.insert(MANIFEST, old.clone()),
            None => undo.remove(MANIFEST),
        }
        let applied = if aux_changes.is_empty() {
            self.tree.apply_batch(batch).map_err(Error::from)
        } else {
            apply_both(&self.tree, batch, &self.aux_tree, aux_batch)
        };
        let durable = applied.and_then(|()| {
            self.db.flush()?;
            self.durable.sync()
        });
        if let Err(e) = durable {
            let _ = apply_both(&self.tree, undo, &self.aux_tree, aux_undo);
            if in_parts {
                let _ = bulk::undo(&self.db, &self.tree);
            }
            return Err(e);
        }
        if in_parts {
            // Settled at the next write or unlock if this fails.
            let _ = bulk::done(&self.db);
        }
        self.manifest = manifest;
        self.manifest_sealed = Some(manifest_sealed);
        self.aux_digests = aux_digests;
        self.aux.cursor = cursor;
        for change in aux_changes {
            match change {
                aux::Change::Keys(stored) => {
                    if let Some(keys) = Keys::from_stored(&stored) {
                        self.keys = keys;
                    }
                }
                other => self.aux.apply(other),
            }
        }
        // Now memory: each record folded for the index a part at a time (on
        // every core, the next part while this thread files the last), so a
        // large batch never holds all its folded text. Taken from the end of
        // a reversed list, which shrinks as it goes: the list's own room is
        // given back while the vault grows.
        // Memory keeps each record sealed, as stored (see `entries`).
        self.snapshot_due |= !changes.is_empty();
        self.memory_torn = true;
        let (mut changes, mut new_digests, mut new_values) = (changes, new_digests, new_values);
        changes.reverse();
        new_digests.reverse();
        new_values.reverse();
        new_plains.reverse();
        let mut next_part = || {
            if changes.is_empty() {
                return None;
            }
            let at = changes.len().saturating_sub(bulk::PART);
            let mut part: Vec<_> = changes
                .split_off(at)
                .into_iter()
                .zip(new_digests.split_off(at))
                .zip(new_values.split_off(at))
                .zip(new_plains.split_off(at))
                .collect();
            part.reverse();
            if changes.capacity() > 2 * changes.len() + bulk::PART {
                changes.shrink_to_fit();
            }
            Some(part)
        };
        let hasher = self.index.hasher().clone();
        type Part = Vec<((((Id, Entry), Digest), sled::IVec), Digest)>;
        let prepare = |part: Part| {
            let prepared = par_map(&part, |((((_, e), _), _), _)| {
                e.record.as_ref().map(|r| search::Prepared::new(r, &hasher))
            });
            (part, prepared)
        };
        let mut ready = next_part().map(prepare);
        // Only a large batch, which files in shards, asks the core count.
        let shards = seal::cores;
        std::thread::scope(|scope| {
            // In a large batch, the postings of new records are filed in
            // shards on threads of their own, as at unlock (`Filing`), while
            // this thread gives them their slots. Records replaced or
            // removed are filed here; one whose last version came earlier
            // in this batch (a slot past those there were before it, or one
            // there before that held no record, `reused`) may have its
            // postings in a shard: the shards are taken in first, and the
            // rest of the batch is filed here.
            let mut filing: Option<search::Filing> = None;
            let mut filed = Vec::new();
            let mut sharding = in_parts;
            let first_new = self.entries.len() as u32;
            let mut reused = std::collections::HashSet::new();
            while let Some((part, prepared)) = ready.take() {
                let next = next_part().map(|part| {
                    let prepare = &prepare;
                    scope.spawn(move || prepare(part))
                });
                for (((((id, entry), d), value), plain), p) in part.into_iter().zip(prepared) {
                    self.damaged_digests.remove(id.as_str());
                    let slot = entries::Slot::new(id, &entry, value, plain);
                    let (slot, old) = self.entries.insert(slot);
                    set_digest(&mut self.digests, slot, d);
                    let old = old.and_then(|old| old.into_entry(&self.key)?.record);
                    let id = self.entries.id_at(slot);
                    let in_shard = slot >= first_new || reused.contains(&slot);
                    if old.is_some() && in_shard && sharding {
                        sharding = false;
                        let f = filing.take();
                        let f = f.unwrap_or_else(|| search::Filing::start(scope, &self.index, 1));
                        f.send(std::mem::take(&mut filed));
                        self.index.merge(f.finish());
                    }
                    match (old.as_ref(), &entry.record, p) {
                        (Some(old), Some(r), Some(p)) => self.index.replace(slot, id, old, r, p),
                        (Some(old), _, _) => self.index.remove(id, old),
                        (None, Some(r), Some(p)) if sharding => {
                            if let Some(tokens) = self.index.put_later(slot, id, r, p) {
                                if slot < first_new {
                                    reused.insert(slot);
                                }
                                filed.push((slot, tokens));
                            }
                        }
                        (None, Some(r), Some(p)) => self.index.put(slot, id, r, p),
                        (None, _, _) => {}
                    }
                }
                if !filed.is_empty() {
                    filing
                        .get_or_insert_with(|| search::Filing::start(scope, &self.index, shards()))
                        .send(std::mem::take(&mut filed));
                }
                ready = next.map(|n| n.join().unwrap_or_else(|e| std::panic::resume_unwind(e)));
            }
            if let Some(f) = filing {
                self.index.merge(f.finish());
            }
        });
        self.index.finish();
        self.memory_torn = false;
        if in_parts {
            // A large batch leaves much freed (parsed lines, sealed values,
            // folded text, on several threads' heaps): give those pages back
            // before the next batch piles on top of them.
            release_freed_memory();
        }
        Ok(())
    }
}

impl Vault {
    /// Settles a large batch that did not finish (see `bulk`), against the
    /// manifest on disk, and makes what that wrote durable.
    pub(super) fn settle_batch(&mut self) -> Result<(), Error> {
        let epoch = || {
            let stored = self.tree.get(MANIFEST).ok()??;
            let plain = self.key.open(MANIFEST_AAD, &stored)?;
            serde_json::from_slice::<Manifest>(&plain)
                .ok()
                .map(|m| m.epoch)
        };
        if bulk::settle(&self.db, &self.tree, epoch)? {
            self.db.flush()?;
            self.durable.sync()?;
        }
        Ok(())
    }
}

/// Applies two batches to two trees atomically (one sled transaction).
fn apply_both(
    records: &sled::Tree,
    batch: sled::Batch,
    aux: &sled::Tree,
    aux_batch: sled::Batch,
) -> Result<(), Error> {
    use sled::Transactional;
    (records, aux)
        .transaction(|(r, a)| {
            r.apply_batch(&batch)?;
            a.apply_batch(&aux_batch)?;
            Ok::<(), sled::transaction::ConflictableTransactionError<()>>(())
        })
        .map_err(|e| match e {
            sled::transaction::TransactionError::Storage(e) => Error::from(e),
            sled::transaction::TransactionError::Abort(()) => Error::Damaged(Damage::Store),
        })
}
