//! Re-keying: a new data key and a fresh store written beside the current
//! one, then the header replaced in one rename; a passphrase change is one.
//! What an interrupted re-key leaves is cleared at the next unlock.

use super::*;

impl Vault {
    /// Whether `pass` is this vault's passphrase (re-authentication).
    pub fn check_passphrase(&self, pass: &Passphrase) -> Result<(), Error> {
        self.header
            .key
            .unwrap_key(pass, &self.header.key_aad())
            .map(drop)
    }

    /// Changes the passphrase by re-keying the vault (see `rekey_with`): a
    /// new data key, so an old `key.json` with the old passphrase opens
    /// nothing afterwards.
    pub fn change_passphrase(&mut self, new: &Passphrase, kdf: KdfParams) -> Result<(), Error> {
        self.rekey_with(new, kdf)
    }

    /// Re-keys the vault under `new` (which may be the same passphrase) with
    /// the current key-stretching cost: see `rekey_with`. A purge can call
    /// this so that what it removed is shredded, not only unlinked.
    pub fn rekey(&mut self, new: &Passphrase) -> Result<(), Error> {
        let kdf = self.header.key.kdf;
        self.rekey_with(new, kdf)
    }

    /// Makes a new data key and writes every record and auxiliary value,
    /// sealed under it, into a fresh store folder beside the current one;
    /// makes that durable; then replaces the header (one atomic rename: the
    /// moment the change happens). Only then are the old store and the old
    /// header's bytes destroyed. A crash at any moment leaves a vault that
    /// opens with the old passphrase (the old header, the old store) or with
    /// the new one (the new header, the new store); the next unlock, once the
    /// store the header names checks out, removes
    /// whichever store the header does not name. Records that could not be
    /// read are not carried over (nothing could ever read them).
    pub fn rekey_with(&mut self, pass: &Passphrase, kdf: KdfParams) -> Result<(), Error> {
        if self.read_only() {
            return Err(Error::ReadOnly);
        }
        let new_name = match self.header.store.as_str() {
            STORE => STORES[1],
            _ => STORES[0],
        };
        let new_dir = self.dir.join(new_name);
        remove_dir_if_there(&new_dir)?;
        // Says a re-key to `new_name` is under way, so that the next unlock
        // after a crash knows which store is a leftover (see
        // `remove_leftovers`); without it, no store is ever removed there.
        store::write_atomic(&self.dir, REKEY, new_name.as_bytes())?;
        let old_link = self.dir.join(OLD_HEADER);
        let built = self.build_store(&new_dir, new_name, pass, kdf);
        let (header, parts) = match built {
            Ok(b) => b,
            Err(e) => {
                let _ = remove_dir_if_there(&new_dir);
                let _ = std::fs::remove_file(self.dir.join(REKEY));
                return Err(e);
            }
        };
        // Keep the old header's bytes reachable, to overwrite them once the
        // new header is in place (a rename alone leaves them on the disk).
        let _ = std::fs::remove_file(&old_link);
        let _ = std::fs::hard_link(self.dir.join(HEADER), &old_link);
        if let Err(e) = header.write(&self.dir) {
            // The rename may have happened before a later step failed.
            let on_disk = Header::read(&self.dir).map(|h| h.store == new_name);
            if on_disk.is_err() {
                // Cannot tell which header is on disk: remove nothing (the
                // new store may be the one it names, and the old header's
                // bytes the only copy of the old key). The mark stays; the
                // next unlock checks the store the header names and clears
                // the other.
                return Err(e);
            }
            if !matches!(on_disk, Ok(true)) {
                drop(parts);
                let _ = std::fs::remove_file(&old_link);
                let _ = remove_dir_if_there(&new_dir);
                let _ = std::fs::remove_file(self.dir.join(REKEY));
                return Err(e);
            }
        }
        let old_header = std::mem::replace(&mut self.header, header);
        let StoreParts {
            key,
            db,
            tree,
            aux_tree,
            durable,
            manifest,
            manifest_sealed,
            digests,
            plains,
            aux_digests,
            cursor,
            resealed,
        } = parts;
        self.memory_torn = true;
        for (id, value) in resealed {
            self.entries.reseal(&id, value);
        }
        self.entries.set_plains(plains);
        self.key = key;
        self.names = self.key.derive(aux::NAMES);
        self.seal = self.key.derive(SEAL);
        self.tree = tree;
        self.aux_tree = aux_tree;
        self.durable = durable;
        // The old store closes here.
        self.db = db;
        self.manifest = manifest;
        self.manifest_sealed = Some(manifest_sealed);
        self.digests = digests;
        self.damaged_digests.clear();
        self.damaged.clear();
        self.aux_digests = aux_digests;
        self.aux.cursor = cursor;
        // The new store has no snapshot (the old one goes with the old
        // store): the lock writes one.
        self.snapshot_due = true;
        self.memory_torn = false;
        // Done: what follows only removes what nothing can open any more.
        // A store older than format 3 filed stewards under their names, in
        // sled's keys and its log: deleting it would leave them in the
        // freed blocks, so its files are overwritten first (on SSDs and
        // copy-on-write file systems that may not reach the old blocks:
        // see the README). Later stores hold only sealed values and keyed
        // hashes, which the destroyed old key no longer opens.
        if old_header.format < 3 {
            if let Ok(old_store) = old_header.store_dir(&self.dir) {
                let _ = shred_tree(&old_store);
            }
        }
        let _ = remove_leftovers(&self.dir, &self.header);
        drop(old_header);
        Ok(())
    }

    /// Writes the new store for `rekey_with` and makes it durable; returns the
    /// header to write and the new store's parts.
    fn build_store(
        &self,
        new_dir: &Path,
        new_name: &str,
        pass: &Passphrase,
        kdf: KdfParams,
    ) -> Result<(Header, StoreParts), Error> {
        let key = DataKey::generate();
        // The new key wrapped first: the key stretching's memory (64 MiB by
        // default) is given back before the new store grows beside the old.
        let mut header = Header {
            format: FORMAT,
            store: new_name.to_string(),
            key: WrappedKey::fresh(kdf),
            ..self.header.clone()
        };
        let aad = header.key_aad();
        header.key.seal_key(&key, pass, &aad)?;
        let (names, seal) = (key.derive(aux::NAMES), key.derive(SEAL));
        let db = open_sled(new_dir)?;
        let tree = db.open_tree(RECORDS)?;
        let aux_tree = db.open_tree(aux::TREE)?;
        // Each record opened for the moment, and sealed again under the new
        // key, a part at a time: never all of them opened at once.
        let ids: Vec<&Id> = self.entries.ids().map(|(id, _)| id).collect();
        let plain = |i: usize, json: &mut Vec<u8>| match self.entry_once(ids[i]) {
            Some(entry) => match serde_json::to_writer(json, &*entry) {
                Ok(()) => Ok(true),
                Err(_) => Err(Error::Damaged(Damage::Encode)),
            },
            // Unlock opened every record it kept, so this one is whole on
            // disk, in the old store, and only memory fails it: stop, and
            // keep the old store, rather than leave it behind and remove
            // the only copy.
            None => Err(Error::Damaged(Damage::Record)),
        };
        let mut manifest = Manifest {
            epoch: self.manifest.epoch + 1,
            ..Manifest::default()
        };
        // Sealed and written a part at a time: sled holds one batch's nodes
        // until it ends, and the sealed values need not wait for the rest.
        // The new store counts only once the header names it.
        let mut digests = vec![Digest::default(); ids.len()];
        let mut plains = vec![Digest::default(); ids.len()];
        // And kept, for memory (see `entries`): parts of the packs sled is
        // given, not copies.
        let mut resealed = Vec::with_capacity(ids.len());
        seal_by_pack((&key, &seal), &ids, plain, |packs| {
            let mut batch = sled::Batch::default();
            for (k, records) in packs {
                let mut new = Vec::with_capacity(records.len());
                for (i, value, d, p) in &records {
                    xor(&mut manifest.records_hash, d);
                    digests[*i] = *d;
                    plains[*i] = *p;
                    new.push((ids[*i], value.as_slice()));
                }
                let (value, shared) = pack::update_shared(&k, None, &new);
                resealed.extend(shared);
                batch.insert(k.as_slice(), value);
            }
            Ok(tree.apply_batch(batch)?)
        })?;
        manifest.records = resealed.len() as u64;
        let mut aux_batch = sled::Batch::default();
        let mut aux_digests = BTreeMap::new();
        let (values, cursor) = self.aux.encode_all(self.keys.to_stored(), &names);
        for (k, plain) in values {
            let plain = Zeroizing::new(plain);
            let value = key.seal(&aux::aad(&k), &plain);
            let d = aux_digest(&seal, k.as_bytes(), &value);
            xor(&mut manifest.aux_hash, &d);
            aux_batch.insert(k.as_bytes(), value);
            aux_digests.insert(k, d);
        }
        manifest.aux = aux_digests.len() as u64;
        let manifest_sealed = seal_manifest(&key, &manifest)?;
        tree.insert(MANIFEST, manifest_sealed.clone())?;
        aux_tree.apply_batch(aux_batch)?;
        db.flush()?;
        let mut durable = Durability::new(new_dir)?;
        durable.sync()?;
        store::sync_dir(&self.dir)?;
        Ok((
            header,
            StoreParts {
                key,
                db,
                tree,
                aux_tree,
                durable,
                manifest,
                manifest_sealed,
                digests,
                plains,
                aux_digests,
                cursor,
                resealed,
            },
        ))
    }
}

/// A re-key's new store, before it replaces the current one.
struct StoreParts {
    key: DataKey,
    db: sled::Db,
    tree: sled::Tree,
    aux_tree: sled::Tree,
    durable: Durability,
    manifest: Manifest,
    manifest_sealed: Vec<u8>,
    digests: Vec<Digest>,
    /// Each record's `seal::plain_digest` under the new key, in slot order.
    plains: Vec<Digest>,
    aux_digests: BTreeMap<String, Digest>,
    cursor: aux::LogCursor,
    /// Each record's new sealed value, for memory (see `entries`).
    resealed: Vec<(Id, sled::IVec)>,
}

/// The old header kept during a re-key, to be overwritten once replaced.
pub(super) const OLD_HEADER: &str = "key.json.old";

pub(super) fn remove_dir_if_there(dir: &Path) -> Result<(), Error> {
    match std::fs::remove_dir_all(dir) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
        Err(e) => Err(Error::io(e)),
    }
}

/// The file that marks a re-key under way: the new store's folder name.
pub(super) const REKEY: &str = "rekey";

/// What an interrupted re-key leaves, removed once the header is read, the
/// passphrase known good and the store the header names checked (its
/// manifest matches; before format 3, every value opens). Only while the `rekey` mark is there: then
/// the header names either the old store (the crash came before the new
/// header was in place: the new store is removed) or the new one (after:
/// the old store is removed). The old header's bytes, kept as a second name
/// of the header's file until the new one was in place, are overwritten if
/// they differ from the header's, else just unlinked; a half-written header
/// is overwritten. Without the mark no store is removed: an old `key.json`
/// put back must never destroy the current store.
pub(super) fn remove_leftovers(dir: &Path, header: &Header) -> Result<(), Error> {
    let mark = dir.join(REKEY);
    let Ok(target) = std::fs::read_to_string(&mark) else {
        return Ok(());
    };
    for name in STORES {
        let leftover = if header.store == target {
            name != header.store
        } else {
            name == target
        };
        if leftover && name != header.store {
            remove_dir_if_there(&dir.join(name))?;
        }
    }
    let old = dir.join(OLD_HEADER);
    if old.exists() {
        let same = std::fs::read(&old).ok() == std::fs::read(dir.join(HEADER)).ok();
        if same {
            std::fs::remove_file(&old).map_err(Error::io)?;
        } else {
            shred(&old)?;
        }
    }
    shred(&dir.join(format!("{HEADER}.tmp")))?;
    store::sync_dir(dir)?;
    std::fs::remove_file(&mark).map_err(Error::io)?;
    store::sync_dir(dir)
}

#[cfg(test)]
mod tests {
    use crate::testkit::{fast_kdf, new_vault, pass, person};
    use crate::vault::{Damage, Error, Passphrase, Vault};

    /// A record whose bytes in memory no longer open (a fault in memory)
    /// is still whole on disk, in the old store: a re-key must not drop it
    /// and then destroy the only copy (the old store). It fails and leaves
    /// the old store.
    /// rev7: a re-key (every passphrase change) writes the new store, then
    /// makes its `Durability`, which takes every blob file already there as
    /// synced: the new store's blob files are never fsynced, and the old
    /// store is removed once the header names the new one. A power cut then
    /// loses the vault.
    #[test]
    fn a_rekey_fsyncs_the_blob_files_of_the_new_store() {
        use crate::model::{Id, Kind};
        use rand::Rng;
        let (_tmp, mut v) = new_vault();
        let dir = v.dir().to_path_buf();
        let mut rng = rand::thread_rng();
        // Three long notes in one pack: a value sled writes as a blob file.
        let notes = (0..3u32)
            .map(|i| {
                let body: String = (0..50_000)
                    .map(|_| char::from_u32(rng.gen_range(0x4E00..0x9FA5)).unwrap())
                    .collect();
                let id = Id::parse(&format!("not_abc{i:017x}")).unwrap();
                let note = crate::testkit::rec(Kind::Note, &[("title", "Nota"), ("body", &body)]);
                (id, note)
            })
            .collect();
        v.add_all(notes).unwrap();
        v.change_passphrase(&pass(), fast_kdf()).unwrap();
        let mut blobs = Vec::new();
        for store in std::fs::read_dir(&dir).unwrap() {
            let folder = store.unwrap().path().join("blobs");
            if let Ok(files) = std::fs::read_dir(&folder) {
                blobs.extend(files.map(|f| f.unwrap().path()));
            }
        }
        assert!(!blobs.is_empty(), "the test needs a blob file");
        let synced = crate::vault::store::SYNCED.lock().unwrap().clone();
        for blob in &blobs {
            assert!(synced.contains(blob), "{blob:?} was never fsynced");
        }
    }

    #[test]
    fn a_rekey_never_drops_a_record_the_old_store_still_holds() {
        let (_tmp, mut v) = new_vault();
        let dir = v.dir().to_path_buf();
        let old = pass();
        let new = Passphrase::new("another horse battery staple".to_string());
        let ana = v.add(person("Ana Vidal")).unwrap();
        let bea = v.add(person("Bea Vidal")).unwrap();
        drop(v);

        let mut v = Vault::unlock(&dir, &old).unwrap();
        v.damage_in_memory(&ana);
        let rekeyed = v.change_passphrase(&new, fast_kdf());
        assert!(v.ids().any(|(id, _)| *id == ana), "memory still lists Ana");
        drop(v);
        assert!(
            matches!(rekeyed, Err(Error::Damaged(Damage::Record))),
            "{rekeyed:?}"
        );
        let v = Vault::unlock(&dir, &old).unwrap();
        assert_eq!(v.get(&bea).unwrap().title(), "Bea Vidal");
        assert_eq!(v.get(&ana).unwrap().title(), "Ana Vidal", "Ana is whole");
        assert!(!v.read_only());
    }
}
