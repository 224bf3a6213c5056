//! Reading an unlocked vault: records, lists and search, and the values
//! kept beside them (keys, address book, log, conflicts, retention).

use super::*;

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
            .search(query, |slot| self.entries.at(slot).1.record.as_ref())
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
