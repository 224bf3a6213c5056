//! The encrypted vault: a directory holding a chapter's records.
//!
//! Responsible for: creating, unlocking, re-keying and destroying a vault;
//! sealing every record before it reaches sled and opening it after; making a
//! confirmed write durable; keeping the decrypted records in memory for lists
//! and search; the rules that involve more than one record (references must
//! point at live records of the right kind). Not responsible for: where the
//! passphrase comes from (the CLI or the app asks for it) or how records are
//! shown.
//!
//! Every write goes to sled first and is made durable (`store::Durability`);
//! only then does the in-memory copy change, so a failed write changes
//! nothing, on disk or on screen.

mod aux;
mod crypto;
mod entries;
mod error;
mod search;
mod store;

pub(crate) use aux::Change as AuxChange;
pub use crypto::{KdfParams, Passphrase};
pub use error::{Damage, Error};
pub use search::fold;
pub use store::write_atomic;

use crate::handoff::keys::{Keys, Steward};
use crate::handoff::{Conflict, LogEntry};
use crate::model::{today, FieldError, Id, Kind, Problem, Record};
use chrono::{DateTime, Utc};
use crypto::{DataKey, WrappedKey};
use rand::RngCore;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::{Path, PathBuf};
use store::{DirLock, Durability, HEADER, STORE};
use zeroize::Zeroizing;

/// The vault format this build writes. `migrate` brings older ones up to it.
/// 2: records compressed before sealing (sealed version 2, see `crypto`).
pub const FORMAT: u32 = 2;
const RECORDS: &str = "records";

/// Where the vault lives unless `--vault` or `AQUI_VAULT` say otherwise:
/// the platform's data directory (`~/.local/share/aqui-estamos/vault` on Linux).
pub fn default_dir() -> Option<PathBuf> {
    directories::ProjectDirs::from("org", "Aqui Estamos", "aqui-estamos")
        .map(|d| d.data_dir().join("vault"))
}

/// The vault's header file (`key.json`): not secret, but authenticated, since
/// the data key is sealed with the vault id as associated data.
#[derive(Serialize, Deserialize)]
struct Header {
    format: u32,
    vault_id: String,
    /// This copy's id in version clocks, so merges can tell whose edit is whose.
    device: String,
    created: DateTime<Utc>,
    key: WrappedKey,
}

impl Header {
    fn read(dir: &Path) -> Result<Header, Error> {
        let bytes = match std::fs::read(dir.join(HEADER)) {
            Ok(b) => b,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                return Err(Error::NoVault(dir.into()))
            }
            Err(e) => return Err(Error::io(e)),
        };
        let header: Header =
            serde_json::from_slice(&bytes).map_err(|_| Error::Damaged(Damage::Header))?;
        migrate(header)
    }

    fn write(&self, dir: &Path) -> Result<(), Error> {
        let json = serde_json::to_vec_pretty(self).map_err(|_| Error::Damaged(Damage::Encode))?;
        store::write_atomic(dir, HEADER, &json)
    }

    fn key_aad(&self) -> Vec<u8> {
        format!("aqui/key/{}", self.vault_id).into_bytes()
    }
}

/// Upgrades a header (and, when one is needed, the store) from an older
/// format.
fn migrate(header: Header) -> Result<Header, Error> {
    match header.format {
        // Format 1 records (sealed version 1, uncompressed) still open as
        // they are; `load` raises the header to the current format once the
        // passphrase is known good, so an older build reports "too new"
        // rather than misreading records written since.
        1 | FORMAT => Ok(header),
        n if n > FORMAT => Err(Error::TooNew(n)),
        n => Err(Error::Damaged(Damage::UnknownFormat(n))),
    }
}

/// Bookkeeping kept with every record.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Meta {
    pub created: DateTime<Utc>,
    pub updated: DateTime<Utc>,
    /// Version vector: how many edits each device has made to this record, so
    /// a merge can tell a newer edit from a concurrent one.
    pub clock: Clock,
}

/// A version vector: device id → how many edits it made. Kept as one sorted
/// vector (a record usually has one or two devices): a `BTreeMap` would take
/// a ~400-byte node per record.
pub type Clock = litemap::LiteMap<String, u64>;

/// A record as stored: `record` is `None` once deleted (a tombstone, kept so a
/// deletion can travel to other vaults).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Entry {
    pub meta: Meta,
    pub record: Option<Record>,
}

/// An unlocked vault. Dropping it locks it: the data key is zeroized and the
/// directory lock released.
pub struct Vault {
    dir: PathBuf,
    header: Header,
    key: DataKey,
    db: sled::Db,
    tree: sled::Tree,
    aux_tree: sled::Tree,
    durable: Durability,
    /// Every record in a slot of its own, shared with the search index.
    entries: entries::Entries,
    index: search::Index,
    /// This vault's steward keys (see `handoff::keys`).
    keys: Keys,
    aux: aux::Aux,
    damaged: Vec<String>,
    // Declared last so it is released after sled has closed.
    _lock: DirLock,
}

impl Drop for Vault {
    /// Frees the decrypted records first, then gives the freed pages back to
    /// the system, so a locked app does not keep people's data in its heap
    /// (where it could be swapped to disk) until something reuses it. Pages
    /// still partly in use keep their leftovers.
    fn drop(&mut self) {
        drop(std::mem::take(&mut self.entries));
        drop(std::mem::take(&mut self.index));
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

fn open_sled(dir: &Path) -> Result<sled::Db, Error> {
    let config = sled::Config::new()
        .path(dir.join(STORE))
        // sled's page cache defaults to 1 GiB; records live decrypted in our
        // own map anyway, so sled needs little.
        .cache_capacity(32 * 1024 * 1024);
    // sled can panic on some kinds of corrupted files; a damaged vault must
    // give a message, not a crash.
    match catch_unwind(AssertUnwindSafe(|| config.open())) {
        Ok(r) => r.map_err(Error::from),
        Err(_) => Err(Error::Damaged(Damage::Store)),
    }
}

fn aad(id: &Id) -> Vec<u8> {
    format!("aqui/{RECORDS}/{id}").into_bytes()
}

/// A record as `load` read it, or the key of one that could not be read.
// Nearly every item is an entry: boxing it would only add an allocation each.
#[allow(clippy::large_enum_variant)]
enum Loaded {
    Entry(Id, Entry, Option<search::Prepared>),
    Damaged(String),
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

/// Reads, decrypts, parses and folds the records in `range`.
fn read_range(
    tree: &sled::Tree,
    key: &DataKey,
    hasher: &search::Hasher,
    range: &KeyRange,
) -> Result<Vec<Loaded>, Error> {
    let mut out = Vec::new();
    for item in tree.range::<Vec<u8>, _>(range.clone()) {
        let (k, v) = item?;
        let name = String::from_utf8_lossy(&k).into_owned();
        let entry = Id::parse(&name).and_then(|id| {
            let plain = key.open(&aad(&id), &v)?;
            let entry: Entry = serde_json::from_slice(&plain).ok()?;
            let kind_ok = entry.record.as_ref().is_none_or(|r| r.kind() == id.kind());
            kind_ok.then_some((id, entry))
        });
        out.push(match entry {
            Some((id, entry)) => {
                let prepared = entry
                    .record
                    .as_ref()
                    .map(|r| search::Prepared::new(r, hasher));
                Loaded::Entry(id, entry, prepared)
            }
            None => Loaded::Damaged(name),
        });
    }
    Ok(out)
}

/// A sealed value, and its record prepared for the index.
type Sealed = (Vec<u8>, Option<search::Prepared>);

/// Serializes and seals `changes` (on every core when there are many), with
/// each live record's folded text for the index.
fn seal_all(
    key: &DataKey,
    hasher: &search::Hasher,
    changes: &[(Id, Entry)],
) -> Result<Vec<Sealed>, Error> {
    let one = |(id, entry): &(Id, Entry)| -> Result<_, Error> {
        let plain =
            Zeroizing::new(serde_json::to_vec(entry).map_err(|_| Error::Damaged(Damage::Encode))?);
        let prepared = entry
            .record
            .as_ref()
            .map(|r| search::Prepared::new(r, hasher));
        Ok((key.seal(&aad(id), &plain), prepared))
    };
    let threads = std::thread::available_parallelism().map_or(2, |n| n.get().min(8));
    if changes.len() < 256 || threads == 1 {
        return changes.iter().map(one).collect();
    }
    let chunk = changes.len().div_ceil(threads);
    std::thread::scope(|scope| {
        let parts: Vec<_> = changes
            .chunks(chunk)
            .map(|part| scope.spawn(move || part.iter().map(one).collect::<Result<Vec<_>, _>>()))
            .collect();
        let mut out = Vec::with_capacity(changes.len());
        for part in parts {
            out.extend(part.join().expect("sealing does not panic")?);
        }
        Ok(out)
    })
}

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
        let store = dir.join(STORE);
        if store.exists() {
            std::fs::remove_dir_all(&store).map_err(Error::io)?;
        }
        let key = DataKey::generate();
        let mut header = Header {
            format: FORMAT,
            vault_id: random_hex(16),
            device: random_hex(8),
            created: Utc::now(),
            key: WrappedKey {
                kdf,
                salt: Vec::new(),
                sealed: Vec::new(),
            },
        };
        header.key = WrappedKey::wrap(&key, pass, kdf, &header.key_aad())?;
        let db = open_sled(dir)?;
        let tree = db.open_tree(RECORDS)?;
        let aux_tree = db.open_tree(aux::TREE)?;
        let durable = Durability::new(&store)?;
        let mut vault = Vault {
            dir: dir.into(),
            header,
            key,
            db,
            tree,
            aux_tree,
            durable,
            entries: Default::default(),
            index: search::Index::default(),
            keys: Keys::generate(),
            aux: aux::Aux::new(),
            damaged: Vec::new(),
            _lock: lock,
        };
        let keys = vault.keys.to_stored();
        vault.commit_all(Vec::new(), vec![AuxChange::Keys(keys)])?;
        // The header is written last: a vault exists once its key is on disk.
        vault.header.write(dir)?;
        Ok(vault)
    }

    /// Opens the vault in `dir` with `pass` and loads every record into memory.
    ///
    /// The passphrase is checked before the store is opened, so a wrong one
    /// leaves every file exactly as it was.
    pub fn unlock(dir: &Path, pass: &Passphrase) -> Result<Vault, Error> {
        if !Vault::exists(dir) {
            return Err(Error::NoVault(dir.into()));
        }
        let lock = DirLock::acquire(dir)?;
        let header = Header::read(dir)?;
        let key = header.key.unwrap_key(pass, &header.key_aad())?;
        let db = open_sled(dir)?;
        let tree = db.open_tree(RECORDS)?;
        let aux_tree = db.open_tree(aux::TREE)?;
        let durable = Durability::new(&dir.join(STORE))?;
        let mut vault = Vault {
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
            _lock: lock,
        };
        vault.load()?;
        vault.load_aux()?;
        Ok(vault)
    }

    /// Decrypts the auxiliary data (keys, stewards, log, conflicts).
    fn load_aux(&mut self) -> Result<(), Error> {
        let iter = catch_unwind(AssertUnwindSafe(|| {
            self.aux_tree.iter().collect::<Vec<_>>()
        }))
        .map_err(|_| Error::Damaged(Damage::Store))?;
        for item in iter {
            let (k, v) = item?;
            let name = String::from_utf8_lossy(&k).into_owned();
            let ok = self
                .key
                .open(&aux::aad(&name), &v)
                .is_some_and(|plain| self.aux.load(&name, &plain));
            if !ok {
                self.damaged.push(format!("{}/{name}", aux::TREE));
            }
        }
        match self.aux.keys.take() {
            Some(keys) => self.keys = keys,
            None => {
                let keys = self.keys.to_stored();
                self.commit_all(Vec::new(), vec![AuxChange::Keys(keys)])?;
            }
        }
        Ok(())
    }

    /// Decrypts every record. A record that fails to open (altered bytes) is
    /// reported in `damaged()` and the rest still load.
    ///
    /// Worker threads (one per core) each read ranges of ids from sled and
    /// decrypt, parse and fold them; this thread files the results as they
    /// come. Only a range's ciphertext is in memory at a time, never the
    /// whole store's.
    fn load(&mut self) -> Result<(), Error> {
        let ranges = id_ranges();
        let next = std::sync::atomic::AtomicUsize::new(0);
        let threads = std::thread::available_parallelism().map_or(2, |n| n.get().min(8));
        let hasher = self.index.hasher().clone();
        let (key, tree, hasher) = (&self.key, &self.tree, &hasher);
        let (entries, index, damaged) = (&mut self.entries, &mut self.index, &mut self.damaged);
        let result: Result<(), Error> = std::thread::scope(|scope| {
            // Bounded: workers wait while this thread files what they read, so
            // no more than a few ranges' records wait in memory at a time.
            let (tx, rx) = std::sync::mpsc::sync_channel::<Result<Vec<Loaded>, Error>>(threads);
            for _ in 0..threads {
                let (tx, next, ranges) = (tx.clone(), &next, &ranges);
                scope.spawn(move || loop {
                    let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                    let Some(range) = ranges.get(i) else { break };
                    // sled can panic on some kinds of corrupted files.
                    let batch =
                        catch_unwind(AssertUnwindSafe(|| read_range(tree, key, hasher, range)))
                            .unwrap_or(Err(Error::Damaged(Damage::Store)));
                    let failed = batch.is_err();
                    if tx.send(batch).is_err() || failed {
                        break;
                    }
                });
            }
            drop(tx);
            for batch in rx {
                for item in batch? {
                    match item {
                        Loaded::Entry(id, entry, prepared) => {
                            let (slot, _) = entries.insert(id, entry);
                            let (id, entry) = entries.at(slot);
                            if let (Some(r), Some(p)) = (&entry.record, prepared) {
                                index.put(slot, id, r, p);
                            }
                        }
                        Loaded::Damaged(name) => damaged.push(name),
                    }
                }
            }
            Ok(())
        });
        result?;
        self.index.finish();
        self.damaged.sort();
        if self.header.format < FORMAT {
            self.header.format = FORMAT;
            self.header.write(&self.dir)?;
        }
        Ok(())
    }

    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// Keys of records that could not be decrypted or read.
    pub fn damaged(&self) -> &[String] {
        &self.damaged
    }

    /// Whether `pass` is this vault's passphrase (re-authentication).
    pub fn check_passphrase(&self, pass: &Passphrase) -> Result<(), Error> {
        self.header
            .key
            .unwrap_key(pass, &self.header.key_aad())
            .map(drop)
    }

    /// Re-wraps the data key under a new passphrase; records are untouched.
    pub fn change_passphrase(&mut self, new: &Passphrase, kdf: KdfParams) -> Result<(), Error> {
        let key = WrappedKey::wrap(&self.key, new, kdf, &self.header.key_aad())?;
        let old = std::mem::replace(&mut self.header.key, key);
        if let Err(e) = self.header.write(&self.dir) {
            self.header.key = old;
            return Err(e);
        }
        Ok(())
    }

    /// Panic wipe of a vault that is not open: see `destroy_dir`.
    pub fn wipe(dir: &Path) -> Result<(), Error> {
        // Only a folder that is (or was, before an interrupted wipe) a vault.
        if !Vault::exists(dir) && !dir.join(STORE).join("db").exists() {
            return Err(Error::NoVault(dir.into()));
        }
        destroy_dir(dir)
    }

    /// Panic wipe of this open vault.
    pub fn destroy(self) -> Result<(), Error> {
        let dir = self.dir.clone();
        destroy_key(&dir)?;
        drop(self);
        destroy_dir(&dir)
    }

    // ---- reading -----------------------------------------------------------

    /// A live record.
    pub fn get(&self, id: &Id) -> Result<&Record, Error> {
        self.entries
            .get(id)
            .and_then(|e| e.record.as_ref())
            .ok_or_else(|| Error::NotFound(id.clone()))
    }

    /// A record with its bookkeeping, tombstones included.
    pub fn entry(&self, id: &Id) -> Option<&Entry> {
        self.entries.get(id)
    }

    /// Every entry, tombstones included (for export and merge).
    pub fn entries(&self) -> impl Iterator<Item = (&Id, &Entry)> {
        self.entries.iter()
    }

    /// Live records of one kind, sorted by name or title.
    pub fn list(&self, kind: Kind) -> Vec<(&Id, &Record)> {
        // The index keeps every live record in list order already.
        self.index
            .in_order(kind)
            .filter_map(|slot| {
                let (id, e) = self.entries.at(slot);
                Some((id, e.record.as_ref()?))
            })
            .collect()
    }

    /// Records of every kind matching `query`, case- and accent-insensitively:
    /// names, aliases, organizations, tags, titles, note text.
    pub fn search(&self, query: &str) -> Vec<(&Id, &Record)> {
        // The index answers in this order already (kind, folded title, id).
        self.index
            .search(query)
            .into_iter()
            .filter_map(|slot| {
                let (id, e) = self.entries.at(slot);
                Some((id, e.record.as_ref()?))
            })
            .collect()
    }

    /// The demands, pledge drives and notes of a campaign.
    pub fn campaign_items(&self, campaign: &Id) -> Vec<(&Id, &Record)> {
        let mut out: Vec<_> = self
            .entries
            .iter()
            .filter_map(|(id, e)| Some((id, e.record.as_ref()?)))
            .filter(|(_, r)| r.campaign() == Some(campaign))
            .collect();
        out.sort_by(|a, b| {
            (a.0.kind(), self.index.sort_key(a.0)).cmp(&(b.0.kind(), self.index.sort_key(b.0)))
        });
        out
    }

    /// How many live records of each kind.
    pub fn counts(&self) -> BTreeMap<Kind, usize> {
        let mut counts: BTreeMap<Kind, usize> = Kind::ALL.iter().map(|k| (*k, 0)).collect();
        for (id, e) in self.entries.iter() {
            if e.record.is_some() {
                *counts.entry(id.kind()).or_default() += 1;
            }
        }
        counts
    }

    // ---- steward handoff (see `handoff`) ----------------------------------

    /// This vault's steward keys.
    pub fn keys(&self) -> &Keys {
        &self.keys
    }

    /// This copy's id in version clocks.
    pub fn device(&self) -> &str {
        &self.header.device
    }

    /// The address book, by name.
    pub fn stewards(&self) -> impl Iterator<Item = &Steward> {
        self.aux.stewards.values()
    }

    /// A steward by name, in any case.
    pub fn steward(&self, name: &str) -> Option<&Steward> {
        self.aux.stewards.get(&aux::steward_key(name))
    }

    /// The audit log, oldest first.
    pub fn log(&self) -> &[LogEntry] {
        &self.aux.log
    }

    /// The retention rules and the hold (see `crate::retention`).
    pub fn retention(&self) -> &crate::retention::Policy {
        &self.aux.retention
    }

    /// Stores new retention rules or a hold.
    pub fn set_retention(&mut self, policy: crate::retention::Policy) -> Result<(), Error> {
        self.commit_all(Vec::new(), vec![AuxChange::Retention(Box::new(policy))])
    }

    /// Commits a purge (`crate::retention`): records rewritten without the
    /// identities and text they held, and audit log entries rewritten without
    /// who they named, all at once or none.
    pub fn commit_purge(
        &mut self,
        records: Vec<(Id, Record)>,
        logs: Vec<(usize, LogEntry)>,
    ) -> Result<(), Error> {
        let mut changes = Vec::with_capacity(records.len());
        for (id, record) in records {
            self.get(&id)?;
            record.validate()?;
            let entry = self.next_version(&id, Some(record));
            changes.push((id, entry));
        }
        let aux = logs
            .into_iter()
            .filter(|(i, _)| *i < self.aux.log.len())
            .map(|(i, e)| AuxChange::LogAt(i, Box::new(e)))
            .collect();
        self.commit_all(changes, aux)
    }

    /// Records edited here and elsewhere at the same time, waiting for a person.
    pub fn conflicts(&self) -> &BTreeMap<Id, Conflict> {
        &self.aux.conflicts
    }

    // ---- writing -----------------------------------------------------------

    /// Adds a new record and returns its id once it is durable.
    pub fn add(&mut self, record: Record) -> Result<Id, Error> {
        let (id, entry) = self.prepare_add(record)?;
        self.commit(vec![(id.clone(), entry)])?;
        Ok(id)
    }

    /// Adds several records at once: all of them are stored, or none.
    /// Later records may refer to earlier ones (pass ids made with `Id::new`).
    pub fn add_all(&mut self, records: Vec<(Id, Record)>) -> Result<(), Error> {
        let mut staged = Vec::new();
        // Ids staged so far, for references among the new records (a scan of
        // `staged` made a 100,000-record batch quadratic: minutes).
        let mut staged_ids = hashbrown::HashSet::new();
        for (id, mut record) in records {
            record.validate()?;
            if id.kind() != record.kind() {
                return Err(FieldError::new(
                    "kind",
                    Problem::WrongKind {
                        expected: id.kind(),
                    },
                )
                .into());
            }
            for (field, r, kind) in record.refs() {
                let known = self.is_live(r) || staged_ids.contains(r);
                check_ref(field, r, kind, known)?;
            }
            record.prepare_new(today());
            staged_ids.insert(id.clone());
            staged.push((id, self.new_entry(record)));
        }
        self.commit(staged)
    }

    fn prepare_add(&self, mut record: Record) -> Result<(Id, Entry), Error> {
        record.validate()?;
        self.check_refs(None, &record)?;
        record.prepare_new(today());
        Ok((Id::new(record.kind()), self.new_entry(record)))
    }

    fn new_entry(&self, record: Record) -> Entry {
        let now = Utc::now();
        let clock = Clock::from_iter([(self.header.device.clone(), 1)]);
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
        let old = self.get(id)?;
        if record.kind() != id.kind() {
            return Err(FieldError::new(
                "kind",
                Problem::WrongKind {
                    expected: id.kind(),
                },
            )
            .into());
        }
        record.validate()?;
        self.check_refs(Some(old), &record)?;
        let entry = self.next_version(id, Some(record));
        self.commit(vec![(id.clone(), entry)])
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
        self.get(id)?;
        let entry = self.next_version(id, None);
        self.commit(vec![(id.clone(), entry)])
    }

    fn is_live(&self, id: &Id) -> bool {
        self.entries.get(id).is_some_and(|e| e.record.is_some())
    }

    /// New references must point at live records of the right kind. References
    /// the record already had are kept even if their target was deleted since:
    /// deleting an organization must not make its members uneditable.
    fn check_refs(&self, old: Option<&Record>, new: &Record) -> Result<(), Error> {
        let old_refs: Vec<&Id> = old
            .map(|o| o.refs().into_iter().map(|r| r.1).collect())
            .unwrap_or_default();
        for (field, id, kind) in new.refs() {
            let known = old_refs.contains(&id) || self.is_live(id);
            check_ref(field, id, kind, known)?;
        }
        Ok(())
    }

    fn next_version(&self, id: &Id, record: Option<Record>) -> Entry {
        let mut meta = self
            .entries
            .get(id)
            .map(|e| e.meta.clone())
            .expect("next_version is given a stored id");
        meta.updated = Utc::now();
        *meta.clock.entry(self.header.device.clone()).or_default() += 1;
        Entry { meta, record }
    }

    /// Seals and stores `changes` in one atomic batch, makes it durable, and
    /// only then updates memory.
    fn commit(&mut self, changes: Vec<(Id, Entry)>) -> Result<(), Error> {
        self.commit_all(changes, Vec::new())
    }

    /// Commits records and auxiliary changes together: all of them, or none.
    pub(crate) fn commit_all(
        &mut self,
        changes: Vec<(Id, Entry)>,
        aux_changes: Vec<AuxChange>,
    ) -> Result<(), Error> {
        let mut aux_batch = sled::Batch::default();
        let mut aux_undo = sled::Batch::default();
        // Log entries are numbered among themselves: an import's conflicts
        // come before its log entry in the batch, and must not shift its key
        // (the next entry would then overwrite it on disk).
        let mut logs = 0;
        for change in &aux_changes {
            let (key, plain) = self.aux.encode(change, logs);
            if matches!(change, AuxChange::Log(_)) {
                logs += 1;
            }
            match plain {
                Some(plain) => {
                    let plain = Zeroizing::new(plain);
                    aux_batch.insert(key.as_bytes(), self.key.seal(&aux::aad(&key), &plain));
                }
                None => aux_batch.remove(key.as_bytes()),
            }
            match self.aux_tree.get(key.as_bytes())? {
                Some(old) => aux_undo.insert(key.as_bytes(), old),
                None => aux_undo.remove(key.as_bytes()),
            }
        }
        let sealed = seal_all(&self.key, self.index.hasher(), &changes)?;
        let mut batch = sled::Batch::default();
        // What the batch overwrites, to put back if it cannot be made durable:
        // otherwise sled would keep it in memory and persist it later, and a
        // save the person was told failed would reappear. Every key in the
        // store was loaded (or reported damaged) or written since, so a key
        // in neither place is not there and needs no read.
        let mut undo = sled::Batch::default();
        let mut prepared = Vec::with_capacity(changes.len());
        // One record alone is written with a plain insert: atomic too, and
        // cheaper than a batch.
        let mut single = None;
        for ((id, _), (value, p)) in changes.iter().zip(sealed) {
            let key = id.as_str().as_bytes();
            if changes.len() == 1 {
                single = Some((key, value));
            } else {
                batch.insert(key, value);
            }
            prepared.push(p);
            let known =
                self.entries.contains_key(id) || self.damaged.iter().any(|d| d == id.as_str());
            match known.then(|| self.tree.get(key)).transpose()?.flatten() {
                Some(old) => undo.insert(key, old),
                None => undo.remove(key),
            }
        }
        match single {
            Some((key, value)) if aux_changes.is_empty() => drop(self.tree.insert(key, value)?),
            Some((key, value)) => {
                batch.insert(key, value);
                apply_both(&self.tree, batch, &self.aux_tree, aux_batch)?;
            }
            None if aux_changes.is_empty() => self.tree.apply_batch(batch)?,
            None => apply_both(&self.tree, batch, &self.aux_tree, aux_batch)?,
        }
        if let Err(e) = self
            .db
            .flush()
            .map_err(Error::from)
            .and_then(|_| self.durable.sync())
        {
            let _ = apply_both(&self.tree, undo, &self.aux_tree, aux_undo);
            return Err(e);
        }
        for change in aux_changes {
            match change {
                AuxChange::Keys(stored) => {
                    if let Some(keys) = Keys::from_stored(&stored) {
                        self.keys = keys;
                    }
                }
                other => self.aux.apply(other),
            }
        }
        for ((id, entry), p) in changes.into_iter().zip(prepared) {
            let (slot, old) = self.entries.insert(id, entry);
            let old = old.and_then(|e| e.record);
            let (id, entry) = self.entries.at(slot);
            match (old.as_ref(), &entry.record, p) {
                (Some(old), Some(r), Some(p)) => self.index.replace(slot, id, old, r, p),
                (Some(old), _, _) => self.index.remove(id, old),
                (None, Some(r), Some(p)) => self.index.put(slot, id, r, p),
                (None, _, _) => {}
            }
        }
        self.index.finish();
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

fn check_ref(field: &str, id: &Id, kind: Kind, known: bool) -> Result<(), Error> {
    if id.kind() != kind {
        return Err(FieldError::new(field, Problem::WrongKind { expected: kind }).into());
    }
    if !known {
        return Err(FieldError::new(field, Problem::Missing).into());
    }
    Ok(())
}

/// Destroys the key material: the header (and a header left half-written by
/// an interrupted passphrase change) is overwritten with random bytes,
/// synced, then removed. After this nothing in the vault can be decrypted,
/// even if deleting the rest is interrupted.
fn destroy_key(dir: &Path) -> Result<(), Error> {
    for name in [HEADER.to_string(), format!("{HEADER}.tmp")] {
        let path = dir.join(name);
        let Ok(meta) = std::fs::metadata(&path) else {
            continue;
        };
        let mut noise = vec![0u8; meta.len().max(1024) as usize];
        rand::rngs::OsRng.fill_bytes(&mut noise);
        let mut f = std::fs::OpenOptions::new()
            .write(true)
            .open(&path)
            .map_err(Error::io)?;
        std::io::Write::write_all(&mut f, &noise).map_err(Error::io)?;
        f.sync_all().map_err(Error::io)?;
        drop(f);
        std::fs::remove_file(&path).map_err(Error::io)?;
    }
    store::sync_dir(dir)
}

/// Panic wipe: key first, then the vault's own files — only those, so a
/// mistyped `--vault` can never delete someone's other files — and the
/// folder itself once it is empty.
fn destroy_dir(dir: &Path) -> Result<(), Error> {
    destroy_key(dir)?;
    match std::fs::remove_dir_all(dir.join(STORE)) {
        Ok(()) => {}
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
        Err(e) => return Err(Error::io(e)),
    }
    let _ = std::fs::remove_file(dir.join(store::LOCK));
    // Left in place if something else lives there.
    let _ = std::fs::remove_dir(dir);
    Ok(())
}
