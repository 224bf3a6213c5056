//! The vault's header file (`key.json`): its fields, the associated data
//! the data key is sealed with, and the formats it may name.

use super::*;

/// The vault's header file (`key.json`): not secret, but authenticated, since
/// the data key is sealed with the whole header (all but the sealed key
/// itself) as associated data: a changed field makes the key not open.
#[derive(Clone, Serialize, Deserialize)]
pub(super) struct Header {
    pub(super) format: u32,
    pub(super) vault_id: String,
    /// This copy's id in version clocks, so merges can tell whose edit is whose.
    pub(super) device: String,
    pub(super) created: DateTime<Utc>,
    /// The folder under the vault holding sled (format 3; before, `store`).
    #[serde(default = "default_store")]
    pub(super) store: String,
    pub(super) key: WrappedKey,
}

fn default_store() -> String {
    STORE.to_string()
}

impl Header {
    pub(super) fn read(dir: &Path) -> Result<Header, Error> {
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

    pub(super) fn write(&self, dir: &Path) -> Result<(), Error> {
        let json = serde_json::to_vec_pretty(self).map_err(|_| Error::Damaged(Damage::Encode))?;
        store::write_atomic(dir, HEADER, &json)
    }

    /// The associated data the data key is sealed with. Format 3: every
    /// field but the sealed key (format, ids, dates, store folder, KDF
    /// parameters, salt), as JSON in a fixed order. Before: the vault id.
    pub(super) fn key_aad(&self) -> Vec<u8> {
        if self.format < 3 {
            return format!("aqui/key/{}", self.vault_id).into_bytes();
        }
        let mut bare = self.clone();
        bare.key.sealed = Vec::new();
        let json = serde_json::to_vec(&bare).unwrap_or_default();
        [b"aqui/key/3/".as_slice(), &json].concat()
    }

    pub(super) fn store_dir(&self, dir: &Path) -> Result<PathBuf, Error> {
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
