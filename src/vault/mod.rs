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
mod pack;
mod search;
mod store;

pub(crate) use aux::Change as AuxChange;
pub use crypto::{KdfParams, Passphrase};
pub use error::{Damage, Error, Finding};
#[doc(hidden)]
pub use pack::raw;
pub use search::fold;
pub use store::write_atomic;

use crate::handoff::keys::{Keys, Steward};
use crate::handoff::{Conflict, LogEntry};
use crate::model::{today, FieldError, Id, Kind, Problem, Record};
use chrono::{DateTime, Utc};
use crypto::{DataKey, Digest, HashKey, WrappedKey};
use rand::RngCore;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashMap};
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::{Path, PathBuf};
use store::{DirLock, Durability, HEADER, STORE};
use zeroize::Zeroizing;

/// The vault format this build writes. `migrate` brings older ones up to it.
/// 2: records compressed before sealing (sealed version 2, see `crypto`).
/// 3: no typed text in any sled key (stewards filed under keyed hashes), the
/// whole header authenticated, a sealed manifest over every stored value, a
/// hash-chained audit log, and the store's folder named in the header (a
/// re-key writes a new one).
/// 4: records in packs, many to a sled value, each still sealed on its own
/// (see `pack`). Older vaults are re-keyed into it on unlock.
pub const FORMAT: u32 = 4;
const RECORDS: &str = "records";
/// The manifest's key in the records tree (no id sorts after `~`).
const MANIFEST: &[u8] = b"~manifest";
/// What `DataKey::derive` is given for the manifest's keyed hashes.
const SEAL: &str = "manifest";
/// The store folders a vault can have: the header names one; a re-key
/// writes the other, and removes the first once the new header is on disk.
const STORES: [&str; 2] = [STORE, "store2"];

/// Where the vault lives unless `--vault` or `AQUI_VAULT` say otherwise:
/// the platform's data directory (`~/.local/share/aqui-estamos/vault` on Linux).
pub fn default_dir() -> Option<PathBuf> {
    directories::ProjectDirs::from("org", "Aqui Estamos", "aqui-estamos")
        .map(|d| d.data_dir().join("vault"))
}

/// The vault's header file (`key.json`): not secret, but authenticated, since
/// the data key is sealed with the whole header (all but the sealed key
/// itself) as associated data: a changed field makes the key not open.
#[derive(Clone, Serialize, Deserialize)]
struct Header {
    format: u32,
    vault_id: String,
    /// This copy's id in version clocks, so merges can tell whose edit is whose.
    device: String,
    created: DateTime<Utc>,
    /// The folder under the vault holding sled (format 3; before, `store`).
    #[serde(default = "default_store")]
    store: String,
    key: WrappedKey,
}

fn default_store() -> String {
    STORE.to_string()
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

    /// The associated data the data key is sealed with. Format 3: every
    /// field but the sealed key (format, ids, dates, store folder, KDF
    /// parameters, salt), as JSON in a fixed order. Before: the vault id.
    fn key_aad(&self) -> Vec<u8> {
        if self.format < 3 {
            return format!("aqui/key/{}", self.vault_id).into_bytes();
        }
        let mut bare = self.clone();
        bare.key.sealed = Vec::new();
        let json = serde_json::to_vec(&bare).unwrap_or_default();
        [b"aqui/key/3/".as_slice(), &json].concat()
    }

    fn store_dir(&self, dir: &Path) -> Result<PathBuf, Error> {
        // Only a folder this build writes: a tampered header must not point
        // sled anywhere else.
        if !STORES.contains(&self.store.as_str()) {
            return Err(Error::Damaged(Damage::Header));
        }
        Ok(dir.join(&self.store))
    }
}

/// Upgrades a header (and, when one is needed, the store) from an older
/// format.
fn migrate(header: Header) -> Result<Header, Error> {
    match header.format {
        // Format 1 records (sealed version 1, uncompressed) still open as
        // they are; `load` raises the header to the current format once the
        // passphrase is known good, so an older build reports "too new"
        // rather than misreading records written since. Formats 1 and 2
        // are re-keyed into format 3 on unlock (`Vault::rekey_with`).
        1..=FORMAT => Ok(header),
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

/// The sealed manifest (format 3): how many values each tree holds and the
/// XOR of their keyed hashes (over key and sealed value), and a counter of
/// writes. Kept under `MANIFEST` in the records tree and rewritten in the
/// same batch as every change, so a value rolled back to an older sealed
/// copy, removed or added behind the vault's back no longer matches it.
/// Only the vault can compute a keyed hash or seal a manifest.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
struct Manifest {
    epoch: u64,
    records: u64,
    #[serde(with = "hex")]
    records_hash: Digest,
    aux: u64,
    #[serde(with = "hex")]
    aux_hash: Digest,
}

const MANIFEST_AAD: &[u8] = b"aqui/manifest";

fn xor(acc: &mut Digest, d: &Digest) {
    for (a, b) in acc.iter_mut().zip(d) {
        *a ^= b;
    }
}

fn record_digest(seal: &HashKey, key: &[u8], value: &[u8]) -> Digest {
    seal.hash(&[RECORDS.as_bytes(), key, value])
}

fn aux_digest(seal: &HashKey, key: &[u8], value: &[u8]) -> Digest {
    seal.hash(&[aux::TREE.as_bytes(), key, value])
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
    /// Keyed hashes of steward names (see `aux`).
    names: HashKey,
    /// Keyed hashes of stored values, for the manifest.
    seal: HashKey,
    /// The manifest as it stands on disk, and its sealed bytes.
    manifest: Manifest,
    manifest_sealed: Option<Vec<u8>>,
    /// Per record slot (see `entries`): the keyed hash of its stored value.
    digests: Vec<Digest>,
    /// The same for stored records that could not be read.
    damaged_digests: HashMap<String, Digest>,
    /// The same for each auxiliary value.
    aux_digests: BTreeMap<String, Digest>,
    /// What the manifest check found at unlock: when not empty, the vault
    /// is read-only.
    findings: Vec<Finding>,
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

fn open_sled(store: &Path) -> Result<sled::Db, Error> {
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

fn aad(id: &Id) -> Vec<u8> {
    format!("aqui/{RECORDS}/{id}").into_bytes()
}

/// A record as `load` read it, or the key of one that could not be read.
// Nearly every item is an entry: boxing it would only add an allocation each.
#[allow(clippy::large_enum_variant)]
enum Loaded {
    Entry(Id, Entry, Option<search::Prepared>, Digest),
    Damaged(String, Digest),
    Manifest(Vec<u8>),
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

/// Reads, decrypts, parses and folds the records in `range`.
fn read_range(
    tree: &sled::Tree,
    (key, seal): (&DataKey, &HashKey),
    hasher: &search::Hasher,
    range: &KeyRange,
) -> Result<Vec<Loaded>, Error> {
    let mut out = Vec::new();
    for item in tree.range::<Vec<u8>, _>(range.clone()) {
        let (k, v) = item?;
        if &*k == MANIFEST {
            out.push(Loaded::Manifest(v.to_vec()));
            continue;
        }
        if pack::is_pack(&k) {
            for part in pack::parse(&k, &v) {
                out.push(match part {
                    pack::Part::Record(id, sealed) => {
                        let digest = record_digest(seal, id.as_str().as_bytes(), sealed);
                        open_record(key, hasher, id, sealed, digest)
                    }
                    pack::Part::Damaged(at, bytes) => {
                        let name = format!("{}#{at}", String::from_utf8_lossy(&k));
                        let digest = record_digest(seal, name.as_bytes(), bytes);
                        Loaded::Damaged(name, digest)
                    }
                });
            }
            continue;
        }
        // Format 3 and before: one record per key, under its id.
        let digest = record_digest(seal, &k, &v);
        let name = String::from_utf8_lossy(&k).into_owned();
        out.push(match Id::parse(&name) {
            Some(id) => open_record(key, hasher, id, &v, digest),
            None => Loaded::Damaged(name, digest),
        });
    }
    Ok(out)
}

/// Opens, parses and folds one record; one that does not open or parse, or
/// is not of its id's kind, is damaged.
fn open_record(
    key: &DataKey,
    hasher: &search::Hasher,
    id: Id,
    sealed: &[u8],
    digest: Digest,
) -> Loaded {
    let entry = key
        .open(&aad(&id), sealed)
        .and_then(|plain| serde_json::from_slice::<Entry>(&plain).ok())
        .filter(|e| e.record.as_ref().is_none_or(|r| r.kind() == id.kind()));
    match entry {
        Some(entry) => {
            let prepared = entry
                .record
                .as_ref()
                .map(|r| search::Prepared::new(r, hasher));
            Loaded::Entry(id, entry, prepared, digest)
        }
        None => Loaded::Damaged(id.as_str().to_string(), digest),
    }
}

/// A sealed value, and its record prepared for the index.
type Sealed = (Vec<u8>, Option<search::Prepared>, Digest);

/// Serializes and seals `changes` (on every core when there are many), with
/// each live record's folded text for the index and the keyed hash of its
/// sealed value for the manifest.
fn seal_all(
    (key, seal): (&DataKey, &HashKey),
    hasher: Option<&search::Hasher>,
    changes: &[(&Id, &Entry)],
) -> Result<Vec<Sealed>, Error> {
    let one = |(id, entry): &(&Id, &Entry)| -> Result<_, Error> {
        let plain =
            Zeroizing::new(serde_json::to_vec(entry).map_err(|_| Error::Damaged(Damage::Encode))?);
        let prepared = hasher.and_then(|hasher| {
            entry
                .record
                .as_ref()
                .map(|r| search::Prepared::new(r, hasher))
        });
        let value = key.seal(&aad(id), &plain);
        let digest = record_digest(seal, id.as_str().as_bytes(), &value);
        Ok((value, prepared, digest))
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
        vault.commit_all(Vec::new(), vec![AuxChange::Keys(keys)])?;
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
                // Formats 1 to 3: re-keyed into packs (and, before 3, out
                // of stewards filed under their names).
                let kdf = vault.header.key.kdf;
                vault.rekey_with(pass, kdf)?;
            } else if keys_missing {
                let keys = vault.keys.to_stored();
                vault.commit_all(Vec::new(), vec![AuxChange::Keys(keys)])?;
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

    /// What the manifest check found at unlock: records or other values
    /// rolled back, removed or added behind the vault's back. When not
    /// empty the vault is read-only (every write fails with `ReadOnly`).
    pub fn findings(&self) -> &[Finding] {
        &self.findings
    }

    /// Whether writes are refused (see `findings`).
    pub fn read_only(&self) -> bool {
        !self.findings.is_empty()
    }

    /// Decrypts every record. A record that fails to open (altered bytes) is
    /// reported in `damaged()` and the rest still load.
    ///
    /// Worker threads (one per core) each read ranges of ids from sled and
    /// decrypt, parse and fold them; this thread files the results as they
    /// come. Only a range's ciphertext is in memory at a time, never the
    /// whole store's.
    /// Returns the sealed manifest, if the store has one.
    fn load(&mut self) -> Result<Option<Vec<u8>>, Error> {
        let ranges = id_ranges();
        let next = std::sync::atomic::AtomicUsize::new(0);
        let threads = std::thread::available_parallelism().map_or(2, |n| n.get().min(8));
        let hasher = self.index.hasher().clone();
        let (key, tree, hasher) = ((&self.key, &self.seal), &self.tree, &hasher);
        let (entries, index, damaged) = (&mut self.entries, &mut self.index, &mut self.damaged);
        let (digests, damaged_digests) = (&mut self.digests, &mut self.damaged_digests);
        let mut manifest = None;
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
                        Loaded::Entry(id, entry, prepared, digest) => {
                            let (slot, _) = entries.insert(id, entry);
                            set_digest(digests, slot, digest);
                            let (id, entry) = entries.at(slot);
                            if let (Some(r), Some(p)) = (&entry.record, prepared) {
                                index.put(slot, id, r, p);
                            }
                        }
                        Loaded::Damaged(name, digest) => {
                            damaged_digests.insert(name.clone(), digest);
                            damaged.push(name);
                        }
                        Loaded::Manifest(v) => manifest = Some(v),
                    }
                }
            }
            Ok(())
        });
        result?;
        self.index.finish();
        self.damaged.sort();
        Ok(manifest)
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
            aux_digests,
            cursor,
        } = parts;
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
        let (names, seal) = (key.derive(aux::NAMES), key.derive(SEAL));
        let db = open_sled(new_dir)?;
        let tree = db.open_tree(RECORDS)?;
        let aux_tree = db.open_tree(aux::TREE)?;
        let refs: Vec<(&Id, &Entry)> = self.entries.iter().collect();
        let sealed = seal_all((&key, &seal), None, &refs)?;
        let mut manifest = Manifest {
            epoch: self.manifest.epoch + 1,
            ..Manifest::default()
        };
        let mut digests = Vec::with_capacity(refs.len());
        let mut values = Vec::with_capacity(refs.len());
        for (value, _, d) in sealed {
            xor(&mut manifest.records_hash, &d);
            digests.push(d);
            values.push(value);
        }
        let mut batch = sled::Batch::default();
        let ids = refs.iter().map(|(id, _)| *id);
        for (key, records) in pack::group(ids.zip(values.iter().map(Vec::as_slice))) {
            batch.insert(key.as_slice(), pack::update(&key, None, &records));
        }
        drop(values);
        manifest.records = digests.len() as u64;
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
        batch.insert(MANIFEST, manifest_sealed.clone());
        tree.apply_batch(batch)?;
        aux_tree.apply_batch(aux_batch)?;
        db.flush()?;
        let mut durable = Durability::new(new_dir)?;
        durable.sync()?;
        store::sync_dir(&self.dir)?;
        let mut header = Header {
            format: FORMAT,
            store: new_name.to_string(),
            key: WrappedKey::fresh(kdf),
            ..self.header.clone()
        };
        let aad = header.key_aad();
        header.key.seal_key(&key, pass, &aad)?;
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
                aux_digests,
                cursor,
            },
        ))
    }

    /// Panic wipe of a vault that is not open: see `destroy_dir`.
    pub fn wipe(dir: &Path) -> Result<(), Error> {
        // Only a folder that is (or was, before an interrupted wipe) a vault.
        if !Vault::exists(dir) && !STORES.iter().any(|s| dir.join(s).join("db").exists()) {
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
        self.commit_all(Vec::new(), vec![AuxChange::File(path, Some(file))])
    }

    /// The handoff and backup files this vault wrote that are still where
    /// it wrote them, oldest first.
    pub fn written_files(&self) -> Vec<PathBuf> {
        let mut files: Vec<_> = self.aux.files.values().collect();
        files.sort_by_key(|f| f.written);
        files
            .into_iter()
            .map(|f| PathBuf::from(&f.path))
            .filter(|p| p.is_file())
            .collect()
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
        let mut changes = Vec::with_capacity(records.len());
        for (id, record) in records {
            self.get(&id)?;
            record.validate()?;
            let entry = self.next_version(&id, Some(record));
            changes.push((id, entry));
        }
        // The purged records, and a mark that their shredding is still to
        // come, in one batch: if the re-key below does not finish, the next
        // purge (or unlock in the app) sees the mark and re-keys then.
        let mut pending = self.aux.retention.clone();
        pending.shred_pending = true;
        self.commit_all(changes, vec![AuxChange::Retention(Box::new(pending))])?;
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

    /// Commits records and auxiliary changes together, with the manifest
    /// that covers them: all of them, or none.
    pub(crate) fn commit_all(
        &mut self,
        changes: Vec<(Id, Entry)>,
        aux_changes: Vec<AuxChange>,
    ) -> Result<(), Error> {
        if self.read_only() {
            return Err(Error::ReadOnly);
        }
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
        let refs: Vec<(&Id, &Entry)> = changes.iter().map(|(id, e)| (id, e)).collect();
        let sealed = seal_all((&self.key, &self.seal), Some(self.index.hasher()), &refs)?;
        let mut batch = sled::Batch::default();
        // What the batch overwrites, to put back if it cannot be made durable:
        // otherwise sled would keep it in memory and persist it later, and a
        // save the person was told failed would reappear. Every key in the
        // store was loaded (or reported damaged) or written since, so a key
        // in neither place is not there and needs no read.
        let mut undo = sled::Batch::default();
        let mut prepared = Vec::with_capacity(changes.len());
        let mut new_digests = Vec::with_capacity(changes.len());
        let mut values = Vec::with_capacity(changes.len());
        // Digests of ids already changed earlier in this batch.
        let mut pending: HashMap<&Id, Digest> = HashMap::new();
        for ((id, _), (value, p, d)) in changes.iter().zip(sealed) {
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
            xor(&mut manifest.records_hash, &d);
            pending.insert(id, d);
            new_digests.push(d);
            values.push(value);
            prepared.push(p);
        }
        let ids = changes.iter().map(|(id, _)| id);
        for (key, records) in pack::group(ids.zip(values.iter().map(Vec::as_slice))) {
            let old = self.tree.get(&key)?;
            batch.insert(key.as_slice(), pack::update(&key, old.as_deref(), &records));
            match old {
                Some(old) => undo.insert(key, old),
                None => undo.remove(key),
            }
        }
        drop(values);
        let manifest_sealed = seal_manifest(&self.key, &manifest)?;
        batch.insert(MANIFEST, manifest_sealed.clone());
        match &self.manifest_sealed {
            Some(old) => undo.insert(MANIFEST, old.clone()),
            None => undo.remove(MANIFEST),
        }
        if aux_changes.is_empty() {
            self.tree.apply_batch(batch)?;
        } else {
            apply_both(&self.tree, batch, &self.aux_tree, aux_batch)?;
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
        drop(pending);
        self.manifest = manifest;
        self.manifest_sealed = Some(manifest_sealed);
        self.aux_digests = aux_digests;
        self.aux.cursor = cursor;
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
        for (((id, entry), p), d) in changes.into_iter().zip(prepared).zip(new_digests) {
            self.damaged_digests.remove(id.as_str());
            let (slot, old) = self.entries.insert(id, entry);
            set_digest(&mut self.digests, slot, d);
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
    aux_digests: BTreeMap<String, Digest>,
    cursor: aux::LogCursor,
}

fn seal_manifest(key: &DataKey, manifest: &Manifest) -> Result<Vec<u8>, Error> {
    let plain = serde_json::to_vec(manifest).map_err(|_| Error::Damaged(Damage::Encode))?;
    Ok(key.seal(MANIFEST_AAD, &plain))
}

fn set_digest(digests: &mut Vec<Digest>, slot: u32, d: Digest) {
    let slot = slot as usize;
    if slot == digests.len() {
        digests.push(d);
    } else if let Some(place) = digests.get_mut(slot) {
        *place = d;
    }
}

/// The old header kept during a re-key, to be overwritten once replaced.
const OLD_HEADER: &str = "key.json.old";

fn remove_dir_if_there(dir: &Path) -> Result<(), Error> {
    match std::fs::remove_dir_all(dir) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
        Err(e) => Err(Error::io(e)),
    }
}

/// Overwrites a file with random bytes, syncs it, and removes it (see the
/// README for what overwriting cannot reach on SSDs and copy-on-write file
/// systems).
pub fn shred(path: &Path) -> Result<(), Error> {
    // Not followed: the wipe's list names files in folders others may write
    // to (a USB stick, a shared folder), and a listed file replaced by a
    // link, a pipe or a device must not make the wipe overwrite what it
    // points at, or hang on it. Anything but a plain file is only unlinked.
    let Ok(meta) = std::fs::symlink_metadata(path) else {
        return Ok(());
    };
    if !meta.is_file() {
        return match std::fs::remove_file(path) {
            Err(e) if e.kind() != std::io::ErrorKind::NotFound && !meta.is_dir() => {
                Err(Error::io(e))
            }
            _ => Ok(()),
        };
    }
    let mut options = std::fs::OpenOptions::new();
    options.write(true);
    // Swapped for a link or a pipe between the check and the open: refused.
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::custom_flags(
        &mut options,
        libc::O_NOFOLLOW | libc::O_NONBLOCK,
    );
    let mut f = options.open(path).map_err(Error::io)?;
    // In pieces: a listed file may have grown to any size since.
    let mut noise = vec![0u8; 64 * 1024];
    let mut left = meta.len().max(1024);
    while left > 0 {
        let n = left.min(noise.len() as u64) as usize;
        rand::rngs::OsRng.fill_bytes(&mut noise[..n]);
        std::io::Write::write_all(&mut f, &noise[..n]).map_err(Error::io)?;
        left -= n as u64;
    }
    f.sync_all().map_err(Error::io)?;
    drop(f);
    std::fs::remove_file(path).map_err(Error::io)
}

/// Overwrites every plain file under `dir` (see `shred`); links are not
/// followed.
fn shred_tree(dir: &Path) -> Result<(), Error> {
    for entry in std::fs::read_dir(dir).map_err(Error::io)? {
        let entry = entry.map_err(Error::io)?;
        let path = entry.path();
        if entry.file_type().map_err(Error::io)?.is_dir() {
            shred_tree(&path)?;
        } else {
            shred(&path)?;
        }
    }
    Ok(())
}

/// The file that marks a re-key under way: the new store's folder name.
const REKEY: &str = "rekey";

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
fn remove_leftovers(dir: &Path, header: &Header) -> Result<(), Error> {
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
    for name in [
        HEADER.to_string(),
        format!("{HEADER}.tmp"),
        OLD_HEADER.to_string(),
    ] {
        shred(&dir.join(name))?;
    }
    store::sync_dir(dir)
}

/// Panic wipe: key first, then the vault's own files — only those, so a
/// mistyped `--vault` can never delete someone's other files — and the
/// folder itself once it is empty.
fn destroy_dir(dir: &Path) -> Result<(), Error> {
    destroy_key(dir)?;
    for name in STORES {
        remove_dir_if_there(&dir.join(name))?;
    }
    let _ = std::fs::remove_file(dir.join(store::LOCK));
    let _ = std::fs::remove_file(dir.join(REKEY));
    let _ = std::fs::remove_file(dir.join(format!("{REKEY}.tmp")));
    // Left in place if something else lives there.
    let _ = std::fs::remove_dir(dir);
    Ok(())
}

#[cfg(test)]
mod aad_tests {
    use super::*;
    #[test]
    fn header_aad_round_trips() {
        for _ in 0..2000 {
            let h = Header {
                format: FORMAT,
                vault_id: random_hex(16),
                device: random_hex(8),
                created: Utc::now(),
                store: STORE.into(),
                key: WrappedKey::fresh(KdfParams::default()),
            };
            let json = serde_json::to_vec_pretty(&h).unwrap();
            let back: Header = serde_json::from_slice(&json).unwrap();
            assert_eq!(
                h.key_aad(),
                back.key_aad(),
                "{}",
                String::from_utf8_lossy(&json)
            );
        }
    }
}
