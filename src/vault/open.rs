//! Creating and unlocking a vault: the store opened, every record and
//! auxiliary value read (records in parallel, and kept sealed, see
//! `entries`; opened only to build the index when there is no snapshot
//! made from them, see `snapshot`), and what was read checked against the
//! sealed manifest.

use super::*;
use entries::{parse_entry, Slot};
use snapshot::Raw;

impl Vault {
    /// Whether `dir` holds a vault.
    pub fn exists(dir: &Path) -> bool {
        dir.join(HEADER).exists()
    }

    /// Creates a new, empty vault in `dir`.
    pub fn create(dir: &Path, pass: &Passphrase, kdf: KdfParams) -> Result<Vault, Error> {
        store::create_private_dir(dir)?;
        let lock = DirLock::acquire(dir)?;
        if Vault::exists(dir) {
            return Err(Error::AlreadyExists(dir.into()));
        }
        // A store without a header is what an interrupted `create` leaves: its
        // key never reached disk, so nothing in it can be read. Start afresh.
        for name in STORES {
            remove_dir_if_there(&dir.join(name))?;
        }
        let key = DataKey::generate();
        let mut header = Header {
            format: FORMAT,
            vault_id: random_hex(16),
            device: random_hex(8),
            created: Utc::now(),
            store: STORE.to_string(),
            key: WrappedKey::fresh(kdf),
        };
        let aad = header.key_aad();
        header.key.seal_key(&key, pass, &aad)?;
        let mut vault = Vault::assemble(dir, header, key, lock, true)?;
        vault.keys = Keys::generate();
        let keys = vault.keys.to_stored();
        let mut changes = Changes::new();
        changes.keys(keys);
        vault.commit(changes)?;
        // The header is written last: a vault exists once its key is on disk.
        vault.header.write(dir)?;
        Ok(vault)
    }

    /// The vault around an open store (`create` makes it, else it must be there).
    fn assemble(
        dir: &Path,
        header: Header,
        key: DataKey,
        lock: DirLock,
        create: bool,
    ) -> Result<Vault, Error> {
        crate::harden::few_heaps();
        let store = header.store_dir(dir)?;
        if !create && !store.join("db").exists() {
            // Never let sled make an empty store where one should be.
            return Err(Error::Damaged(Damage::Store));
        }
        let db = open_sled(&store)?;
        let tree = db.open_tree(RECORDS)?;
        let aux_tree = db.open_tree(aux::TREE)?;
        let durable = Durability::new(&store)?;
        let (names, seal) = (key.derive(aux::NAMES), key.derive(SEAL));
        Ok(Vault {
            dir: dir.into(),
            header,
            key,
            db,
            tree,
            aux_tree,
            durable,
            entries: Default::default(),
            index: search::Index::default(),
            // Replaced by the stored keys in `load_aux`; kept (and stored) only
            // by a vault that has none yet: one made before steward keys existed.
            keys: Keys::generate(),
            aux: aux::Aux::new(),
            damaged: Vec::new(),
            names,
            seal,
            manifest: Manifest::default(),
            manifest_sealed: None,
            digests: Vec::new(),
            damaged_digests: HashMap::new(),
            aux_digests: BTreeMap::new(),
            findings: Vec::new(),
            snapshot_due: false,
            memory_torn: false,
            _lock: lock,
        })
    }

    /// Opens the vault in `dir` with `pass` and loads every record into memory.
    ///
    /// The passphrase is checked before the store is opened, so a wrong one
    /// leaves every file exactly as it was. A vault of an older format is
    /// re-keyed into the current one (same passphrase, new data key, a fresh
    /// store). A vault whose values do not match its manifest opens
    /// read-only: see `findings`.
    pub fn unlock(dir: &Path, pass: &Passphrase) -> Result<Vault, Error> {
        if !Vault::exists(dir) {
            return Err(Error::NoVault(dir.into()));
        }
        let lock = DirLock::acquire(dir)?;
        let header = Header::read(dir)?;
        let key = header.key.unwrap_key(pass, &header.key_aad())?;
        let mut vault = Vault::assemble(dir, header, key, lock, false)?;
        vault.settle_batch()?;
        let manifest = vault.load()?;
        let keys_missing = vault.load_aux()?;
        // An interrupted re-key's leftovers are removed only once the store
        // the header names has been read and found whole: an old `key.json`
        // put back (whose passphrase still opens it) beside a `rekey` mark
        // must not make this unlock remove the current store.
        if vault.header.format < 3 {
            // No manifest before format 3. Values that do not open under
            // this key say the header is not this store's (an older
            // header put back): re-keying would carry none of them over
            // and remove the store they are in. Read-only instead.
            vault.unreadable_findings();
        } else {
            vault.verify(manifest);
        }
        if vault.findings.is_empty() {
            remove_leftovers(dir, &vault.header)?;
            if vault.header.format < FORMAT {
                // Formats 1 to 5: re-keyed into packs and sealed version 4
                // (and, before 3, out of stewards filed under their names).
                let kdf = vault.header.key.kdf;
                vault.rekey_with(pass, kdf)?;
            } else if keys_missing {
                let keys = vault.keys.to_stored();
                let mut changes = Changes::new();
                changes.keys(keys);
                vault.commit(changes)?;
            }
        }
        Ok(vault)
    }

    /// Decrypts the auxiliary data (keys, stewards, log, conflicts); says
    /// whether the steward keys were missing.
    fn load_aux(&mut self) -> Result<bool, Error> {
        let iter = catch_unwind(AssertUnwindSafe(|| {
            self.aux_tree.iter().collect::<Vec<_>>()
        }))
        .map_err(|_| Error::Damaged(Damage::Store))?;
        for item in iter {
            let (k, v) = item?;
            let name = String::from_utf8_lossy(&k).into_owned();
            self.aux_digests
                .insert(name.clone(), aux_digest(&self.seal, &k, &v));
            let ok = self
                .key
                .open(&aux::aad(&name), &v)
                .is_some_and(|plain| self.aux.load(&name, &plain));
            if !ok {
                self.damaged.push(format!("{}/{name}", aux::TREE));
            }
            self.aux.note_key(&name);
        }
        match self.aux.keys.take() {
            Some(keys) => {
                self.keys = keys;
                Ok(false)
            }
            None => Ok(true),
        }
    }

    /// Compares what was read with the sealed manifest; what does not match
    /// goes in `findings`, and the vault is then read-only.
    fn verify(&mut self, stored: Option<Vec<u8>>) {
        let mut found = Manifest::default();
        for d in self.digests.iter().chain(self.damaged_digests.values()) {
            xor(&mut found.records_hash, d);
        }
        found.records = (self.digests.len() + self.damaged_digests.len()) as u64;
        for d in self.aux_digests.values() {
            xor(&mut found.aux_hash, d);
        }
        found.aux = self.aux_digests.len() as u64;
        let sealed = stored
            .as_ref()
            .and_then(|v| self.key.open(MANIFEST_AAD, v))
            .and_then(|plain| serde_json::from_slice::<Manifest>(&plain).ok());
        match sealed {
            None => self.findings.push(Finding::SealMissing),
            Some(m) => {
                found.epoch = m.epoch;
                if m.records > found.records {
                    self.findings
                        .push(Finding::RecordsRemoved(m.records - found.records));
                } else if m.records < found.records {
                    self.findings
                        .push(Finding::RecordsAdded(found.records - m.records));
                } else if m.records_hash != found.records_hash {
                    self.findings.push(Finding::RecordsReplaced);
                }
                if m.aux != found.aux || m.aux_hash != found.aux_hash {
                    self.findings.push(Finding::AuxChanged);
                }
            }
        }
        if self.aux.chain_broken {
            self.findings.push(Finding::LogBroken);
        }
        self.manifest = found;
        self.manifest_sealed = stored;
    }

    /// For a vault of an older format (no manifest): records or auxiliary
    /// values that did not open, as findings.
    fn unreadable_findings(&mut self) {
        let aux_prefix = format!("{}/", aux::TREE);
        let (aux_bad, records_bad) = self
            .damaged
            .iter()
            .partition::<Vec<_>, _>(|name| name.starts_with(&aux_prefix));
        if !records_bad.is_empty() {
            self.findings.push(Finding::RecordsReplaced);
        }
        if !aux_bad.is_empty() {
            self.findings.push(Finding::AuxChanged);
        }
    }

    /// Reads every stored record and its keyed hash (on every core), and
    /// fills the records and their index: from the snapshot if it was made
    /// from exactly these records, opening none (see `snapshot`), else by
    /// opening each (`open_all`). A record that fails to open (altered
    /// bytes) is reported in `damaged()` and the rest still load.
    /// Returns the sealed manifest, if the store has one.
    pub(super) fn load(&mut self) -> Result<Option<Vec<u8>>, Error> {
        let store = self.header.store_dir(&self.dir)?;
        let ranges = id_ranges();
        let (tree, seal, key, header) = (&self.tree, &self.seal, &self.key, &self.header);
        // The snapshot needs none of the values: it is read, opened and laid
        // out in memory (its index with it) on a thread of its own while they
        // are read, and only then checked against them.
        let (read, snapshot) = std::thread::scope(|scope| {
            let snapshot = scope.spawn(|| snapshot::read(key, header, &store));
            let read = par_jobs(ranges.len(), |i| read_range(tree, seal, &ranges[i]));
            // A panic reading it (a bug: only a snapshot that opened under
            // our key gets that far) reads as no snapshot, and every record
            // is opened instead, as for any snapshot that does not fit.
            let snapshot = snapshot.join().unwrap_or(None);
            (read, snapshot)
        });
        // Sized at once: grown by doubling, it would hold twice the room.
        let records = read.iter().map(|b| b.as_ref().map_or(0, Vec::len)).sum();
        let (mut raw, mut manifest) = (Vec::with_capacity(records), None);
        let mut made = (Digest::default(), 0u64);
        for batch in read {
            for item in batch? {
                match item {
                    Read::Record(r) => {
                        xor(&mut made.0, &r.digest);
                        made.1 += 1;
                        raw.push(r);
                    }
                    Read::Damaged(name, digest) => {
                        xor(&mut made.0, &digest);
                        made.1 += 1;
                        self.damaged_digests.insert(name.clone(), digest);
                        self.damaged.push(name);
                    }
                    Read::Manifest(v) => manifest = Some(v),
                }
            }
        }
        let restored = snapshot.is_some_and(|s| s.made == made && self.restore(s, &mut raw));
        if !restored {
            self.open_all(raw);
            // The next lock writes one that fits.
            self.snapshot_due = true;
        }
        self.damaged.sort();
        Ok(manifest)
    }

    /// Opens every record of `raw` and indexes it: worker threads (one per
    /// core) each decrypt, parse and fold a chunk of them; this thread gives
    /// the records their slots as they come, and as many threads again file
    /// their tokens in the index, each a shard of them. Each record is
    /// parsed only for the index, and dropped (see `entries`). The records
    /// are moved out of `raw` a chunk at a time, so their ids and values are
    /// never in memory twice.
    fn open_all(&mut self, mut raw: Vec<Raw>) {
        let mut chunks = Vec::with_capacity(raw.len().div_ceil(CHUNK));
        while !raw.is_empty() {
            let at = raw.len().saturating_sub(CHUNK);
            chunks.push(raw.split_off(at));
        }
        drop(raw);
        let chunks = std::sync::Mutex::new(chunks);
        let threads = super::cores();
        let hasher = self.index.hasher().clone();
        let (key, seal, hasher) = (&self.key, &self.seal, &hasher);
        let (entries, index, damaged) = (&mut self.entries, &mut self.index, &mut self.damaged);
        let (digests, damaged_digests) = (&mut self.digests, &mut self.damaged_digests);
        std::thread::scope(|scope| {
            // Bounded: workers wait while this thread files what they opened.
            let (tx, rx) = std::sync::mpsc::sync_channel::<Vec<Loaded>>(threads);
            for _ in 0..threads {
                let (tx, chunks) = (tx.clone(), &chunks);
                scope.spawn(move || loop {
                    // Only a panic elsewhere poisons it; the chunks are whole.
                    let chunk = chunks.lock().unwrap_or_else(|e| e.into_inner()).pop();
                    let Some(chunk) = chunk else { break };
                    let batch = chunk
                        .into_iter()
                        .map(|r| open_record((key, seal), hasher, r))
                        .collect();
                    if tx.send(batch).is_err() {
                        break;
                    }
                });
            }
            drop(tx);
            // The postings are filed on threads of their own, in shards.
            let filing = search::Filing::start(scope, index, threads);
            for batch in rx {
                let mut filed = Vec::new();
                for item in batch {
                    match item {
                        Loaded::Entry(id, entry, (sealed, plain), prepared, digest) => {
                            let (slot, _) = entries.insert(Slot::new(id, &entry, sealed, plain));
                            set_digest(digests, slot, digest);
                            let id = entries.id_at(slot);
                            if let (Some(r), Some(p)) = (&entry.record, prepared) {
                                if let Some(tokens) = index.put_later(slot, id, r, p) {
                                    filed.push((slot, tokens));
                                }
                            }
                        }
                        Loaded::Damaged(name, digest) => {
                            damaged_digests.insert(name.clone(), digest);
                            damaged.push(name);
                        }
                    }
                }
                filing.send(filed);
            }
            index.merge(filing.finish());
        });
        self.index.finish();
    }
}

pub(super) fn open_sled(store: &Path) -> Result<sled::Db, Error> {
    let config = sled::Config::new()
        .path(store)
        // sled's page cache defaults to 1 GiB; records live decrypted in our
        // own map anyway, so sled needs little.
        .cache_capacity(32 * 1024 * 1024);
    // sled locks its own file too. We hold the vault's lock already, so if
    // sled's is taken, it is by a copy that is closing (sled's threads let
    // go a moment after the vault is dropped, as when it is locked and
    // unlocked again at once) or by a process that is dying, or by a
    // process being started elsewhere that briefly shares our open files.
    // Wait for it, up to two seconds, like `DirLock`.
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(2);
    loop {
        // sled can panic on some kinds of corrupted files; a damaged vault
        // must give a message, not a crash.
        match catch_unwind(AssertUnwindSafe(|| config.open())) {
            Ok(Err(sled::Error::Io(e)))
                if e.to_string().contains("could not acquire lock")
                    && std::time::Instant::now() < deadline =>
            {
                std::thread::sleep(std::time::Duration::from_millis(25));
            }
            Ok(Err(sled::Error::Io(e))) if e.to_string().contains("could not acquire lock") => {
                return Err(Error::InUse)
            }
            Ok(r) => return r.map_err(Error::from),
            Err(_) => return Err(Error::Damaged(Damage::Store)),
        }
    }
}

/// A value as `load` reads it: a record (not opened yet), the key of one
/// that cannot be a record, or the manifest.
enum Read {
    Record(Raw),
    Damaged(String, Digest),
    Manifest(Vec<u8>),
}

/// A record as `open_all` opened it, or the key of one that could not be read.
// Nearly every item is an entry: boxing it would only add an allocation each.
#[allow(clippy::large_enum_variant)]
enum Loaded {
    /// The entry parsed (for the index, then dropped), its sealed value
    /// (kept) with the keyed hash of its JSON, its prepared text and its
    /// keyed hash.
    Entry(
        Id,
        Entry,
        (sled::IVec, Digest),
        Option<search::Prepared>,
        Digest,
    ),
    Damaged(String, Digest),
}

/// `job` of each of `0..n` on every core, each thread taking the next one
/// as it goes (`seal::par_map_on`); the results in order. A job that
/// panics gives `Damaged`: sled can panic on some kinds of corrupted files.
fn par_jobs<U: Send>(
    n: usize,
    job: impl Fn(usize) -> Result<U, Error> + Sync,
) -> Vec<Result<U, Error>> {
    let jobs: Vec<usize> = (0..n).collect();
    super::seal::par_map_on(super::cores(), 1, &jobs, |&i| {
        catch_unwind(AssertUnwindSafe(|| job(i))).unwrap_or(Err(Error::Damaged(Damage::Store)))
    })
}

type KeyRange = (std::ops::Bound<Vec<u8>>, std::ops::Bound<Vec<u8>>);

/// The whole key space cut into ranges of about equal numbers of records,
/// for `load` to read in parallel: ids are a kind prefix and random hex
/// digits, so each kind is cut at each first hex digit. Keys that are not
/// ids (damage) fall in the ranges between.
fn id_ranges() -> Vec<KeyRange> {
    use std::ops::Bound::{Excluded, Included, Unbounded};
    let mut cuts: Vec<Vec<u8>> = Vec::new();
    for kind in crate::model::Kind::ALL {
        let id = Id::new(kind);
        let prefix = &id.as_str()[..id.as_str().find('_').map_or(0, |i| i + 1)];
        for digit in "0123456789abcdef".chars() {
            cuts.push(format!("{prefix}{digit}").into_bytes());
            cuts.push([pack::PREFIX, format!("{prefix}{digit}").as_bytes()].concat());
        }
    }
    cuts.sort();
    let mut ranges = Vec::with_capacity(cuts.len() + 1);
    let mut lo = Unbounded;
    for cut in cuts {
        ranges.push((lo, Excluded(cut.clone())));
        lo = Included(cut);
    }
    ranges.push((lo, Unbounded));
    ranges
}

/// Reads the records in `range`, with their keyed hashes; opens none.
fn read_range(tree: &sled::Tree, seal: &HashKey, range: &KeyRange) -> Result<Vec<Read>, Error> {
    let mut out = Vec::new();
    for item in tree.range::<Vec<u8>, _>(range.clone()) {
        let (k, v) = item?;
        if &*k == MANIFEST {
            out.push(Read::Manifest(v.to_vec()));
            continue;
        }
        if pack::is_pack(&k) {
            for part in pack::parse(&k, &v) {
                out.push(match part {
                    pack::Part::Record(id, sealed) => {
                        let digest = record_digest(seal, id.as_str().as_bytes(), sealed);
                        // The same bytes as sled's, not a copy (see `entries`).
                        let at = sealed.as_ptr() as usize - v.as_ptr() as usize;
                        let sealed = v.subslice(at, sealed.len());
                        Read::Record(Raw { id, sealed, digest })
                    }
                    pack::Part::Damaged(at, bytes) => {
                        let name = format!("{}#{at}", String::from_utf8_lossy(&k));
                        let digest = record_digest(seal, name.as_bytes(), bytes);
                        Read::Damaged(name, digest)
                    }
                });
            }
            continue;
        }
        // Format 3 and before: one record per key, under its id.
        let digest = record_digest(seal, &k, &v);
        let name = String::from_utf8_lossy(&k).into_owned();
        out.push(match Id::parse(&name) {
            Some(id) => Read::Record(Raw {
                id,
                sealed: v,
                digest,
            }),
            None => Read::Damaged(name, digest),
        });
    }
    Ok(out)
}

/// Opens, parses and folds one record; one that does not open or parse, or
/// is not of its id's kind, is damaged.
fn open_record((key, seal): (&DataKey, &HashKey), hasher: &search::Hasher, raw: Raw) -> Loaded {
    let Raw { id, sealed, digest } = raw;
    let opened = with_aad(&id, |aad| key.open(aad, &sealed)).and_then(|mut plain| {
        let entry = parse_entry(&id, &plain).map(|e| (e, plain_digest(seal, &[&plain])));
        crate::harden::wipe(&mut plain);
        entry
    });
    match opened {
        Some((entry, plain)) => {
            let prepared = entry
                .record
                .as_ref()
                .map(|r| search::Prepared::new(r, hasher));
            Loaded::Entry(id, entry, (sealed, plain), prepared, digest)
        }
        None => Loaded::Damaged(id.as_str().to_string(), digest),
    }
}

/// Records `open_all` gives a worker at a time.
const CHUNK: usize = 256;
