//! Reading an unlocked vault: records, lists and search, and the values
//! kept beside them (keys, address book, log, conflicts, retention).

use super::*;
use std::borrow::{Borrow, Cow};

impl Vault {
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

    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// Keys of records that could not be decrypted or read.
    pub fn damaged(&self) -> &[String] {
        &self.damaged
    }

    // ---- reading -----------------------------------------------------------

    /// A live record (opened once, then kept opened: see `entries`).
    pub fn get(&self, id: &Id) -> Result<&Record, Error> {
        self.entry(id)
            .and_then(|e| e.record.as_ref())
            .ok_or_else(|| Error::NotFound(id.clone()))
    }

    /// Whether `id` is a live record here (nothing is opened).
    pub fn is_live(&self, id: &Id) -> bool {
        self.entries.is_live(id)
    }

    /// A record with its bookkeeping, tombstones included.
    pub fn entry(&self, id: &Id) -> Option<&Entry> {
        self.entries.get(id, &self.key)
    }

    /// `entry`, but opened only for the moment unless it is opened already:
    /// for passes over many records (an export, a search's hits), which
    /// would otherwise leave every record they touch parsed in memory.
    pub fn entry_once(&self, id: &Id) -> Option<Cow<'_, Entry>> {
        self.entries.get_once(id, &self.key)
    }

    /// Every entry, tombstones included, each opened and kept opened (for
    /// merges and screens that need every record; see `entries_once` and
    /// `ids` for the others).
    pub fn entries(&self) -> impl Iterator<Item = (&Id, &Entry)> {
        self.entries.iter(&self.key)
    }

    /// `f` of the entry of each of `ids` (`None` for an id not here), each
    /// opened only for the moment (see `entry_once`), on every core.
    pub fn map_entries<U: Send>(
        &self,
        ids: &[Id],
        f: impl Fn(&Entry) -> U + Sync,
    ) -> Vec<Option<U>> {
        par_map(ids, |id| self.entry_once(id).map(|e| f(&e)))
    }

    /// The JSON of the entry `id` as stored, opened for the moment and not
    /// parsed: what `serde_json` writes for its `Entry` in this build's
    /// format (a change to the model that reads stored records differently
    /// than it writes them raises `FORMAT`: the re-key on unlock writes every
    /// record anew). `None` for an id not here, a value that no longer
    /// opens, or a vault of an older format (opened read-only, not re-keyed):
    /// ask `entry_once` then. For passes that copy records out as they are.
    pub fn entry_json(&self, id: &Id) -> Option<Zeroizing<Vec<u8>>> {
        if self.header.format < FORMAT {
            return None;
        }
        let sealed = self.entries.sealed(id)?;
        with_aad(id, |aad| self.key.open(aad, sealed))
    }

    /// Whether `json` (given in `pieces` that follow each other) is, byte
    /// for byte, the stored JSON of the record `id` (what `entry_json` gives):
    /// told by the keyed hash of it kept beside the sealed value, without
    /// opening the record. `false` for an id not here or a vault of an older
    /// format (as `entry_json` gives `None`).
    pub fn holds_json(&self, id: &Id, pieces: &[&[u8]]) -> bool {
        self.header.format >= FORMAT
            && self
                .entries
                .plain(id)
                .is_some_and(|p| *p == plain_digest(&self.seal, pieces))
    }

    /// `entry_json` appended to `out` (the same bytes), with no allocation
    /// of its own: `false`, and `out` as it was, where that gives `None`.
    /// For an export, which writes many records out as they are, in the
    /// order of their slots: `next` is where the record is looked for
    /// first, and becomes the slot after it.
    pub fn append_json(&self, id: &Id, next: &mut u32, out: &mut Vec<u8>) -> bool {
        if self.header.format < FORMAT {
            return false;
        }
        let Some((slot, sealed)) = self.entries.sealed_near(id, *next) else {
            return false;
        };
        *next = slot.saturating_add(1);
        with_aad(id, |aad| self.key.open_into(aad, sealed, out))
    }

    /// The entry `id` parsed from `json`, its stored JSON (see
    /// `entry_json`), as `entry_once` gives it: for a pass that opened it
    /// already.
    pub fn parse_json(id: &Id, json: &[u8]) -> Option<Entry> {
        entries::parse_entry(id, json)
    }

    /// `f` of each of `ids` and its stored JSON (see `entry_json`), on
    /// every core.
    pub fn map_json<I: Borrow<Id> + Sync, U: Send>(
        &self,
        ids: &[I],
        f: impl Fn(&Id, Option<&[u8]>) -> U + Sync,
    ) -> Vec<U> {
        par_map(ids, |id| {
            let id = id.borrow();
            let mut json = self.entry_json(id);
            let out = f(id, json.as_ref().map(|j| &j[..]));
            if let Some(json) = json.as_mut() {
                crate::harden::wipe(json);
            }
            out
        })
    }

    /// Every entry, tombstones included, each opened only for the moment
    /// (see `entry_once`).
    pub fn entries_once(&self) -> impl Iterator<Item = (&Id, Cow<'_, Entry>)> {
        self.entries.iter_once(&self.key)
    }

    /// Every record's id, tombstones included, with whether it is live;
    /// nothing is opened.
    pub fn ids(&self) -> impl Iterator<Item = (&Id, bool)> {
        self.entries.ids()
    }

    /// Every record's id, whether it is live, and whether it is a person
    /// held back from exports (and why, as `held_back` says); nothing is
    /// opened.
    pub fn flags(&self) -> impl Iterator<Item = (&Id, bool, Option<bool>)> {
        self.entries
            .flags()
            .map(|(id, live, held)| (id, live, held.filter(|_| live)))
    }

    /// The live people held back from exports, and why (`true`: sensitive;
    /// see `model::held_back`): kept beside each record as it is written,
    /// so nothing is opened.
    pub fn held_back(&self) -> impl Iterator<Item = (&Id, bool)> {
        self.entries
            .flags()
            .filter_map(|(id, live, held)| Some((id, held.filter(|_| live)?)))
    }

    /// Live records of one kind, sorted by name or title (each kept opened).
    pub fn list(&self, kind: Kind) -> Vec<(&Id, &Record)> {
        // The index keeps every live record in list order already.
        self.index
            .in_order(kind)
            .filter_map(|slot| {
                let (id, e) = self.entries.at(slot, &self.key);
                Some((id, e?.record.as_ref()?))
            })
            .collect()
    }

    /// Records of every kind matching `query`, case- and accent-insensitively:
    /// names, aliases, organizations, tags, titles, note text. Only their
    /// ids, in list order (`get` the ones shown, or `entry_once` for many):
    /// no record is opened.
    pub fn search(&self, query: &str) -> Vec<&Id> {
        // The index answers in this order already (kind, folded title, id),
        // with live records only.
        self.index
            .search(query)
            .into_iter()
            .map(|slot| self.entries.id_at(slot))
            .collect()
    }

    /// The demands, pledge drives and notes of a campaign.
    pub fn campaign_items(&self, campaign: &Id) -> Vec<(&Id, &Record)> {
        // Only the kinds that can belong to a campaign are opened.
        let kinds = [Kind::Demand, Kind::Pledge, Kind::Note];
        let mut out: Vec<_> = self
            .entries
            .ids()
            .filter(|(id, live)| *live && kinds.contains(&id.kind()))
            .filter_map(|(id, _)| Some((id, self.get(id).ok()?)))
            .filter(|(_, r)| r.campaign() == Some(campaign))
            .collect();
        out.sort_by(|a, b| {
            (a.0.kind(), self.index.sort_key(a.0)).cmp(&(b.0.kind(), self.index.sort_key(b.0)))
        });
        out
    }

    /// How many live records of each kind (nothing is opened).
    pub fn counts(&self) -> BTreeMap<Kind, usize> {
        let mut counts: BTreeMap<Kind, usize> = Kind::ALL.iter().map(|k| (*k, 0)).collect();
        for (id, live) in self.entries.ids() {
            if live {
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
    pub fn retention(&self) -> &Policy {
        &self.aux.retention
    }

    /// Records edited here and elsewhere at the same time, waiting for a person.
    pub fn conflicts(&self) -> &BTreeMap<Id, Conflict> {
        &self.aux.conflicts
    }
}
