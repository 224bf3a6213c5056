//! Sealing: records serialized and sealed for sled (in parallel when there
//! are many), and the sealed manifest, the keyed hashes over every stored
//! value that tell a rolled-back, removed or added value at unlock.

use super::*;

/// The sealed manifest (format 3): how many values each tree holds and the
/// XOR of their keyed hashes (over key and sealed value), and a counter of
/// writes. Kept under `MANIFEST` in the records tree and rewritten in the
/// same batch as every change, so a value rolled back to an older sealed
/// copy, removed or added behind the vault's back no longer matches it.
/// Only the vault can compute a keyed hash or seal a manifest.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub(super) struct Manifest {
    pub(super) epoch: u64,
    pub(super) records: u64,
    #[serde(with = "hex")]
    pub(super) records_hash: Digest,
    pub(super) aux: u64,
    #[serde(with = "hex")]
    pub(super) aux_hash: Digest,
}

pub(super) const MANIFEST_AAD: &[u8] = b"aqui/manifest";

pub(super) fn xor(acc: &mut Digest, d: &Digest) {
    for (a, b) in acc.iter_mut().zip(d) {
        *a ^= b;
    }
}

pub(super) fn record_digest(seal: &HashKey, key: &[u8], value: &[u8]) -> Digest {
    seal.hash(&[RECORDS.as_bytes(), key, value])
}

pub(super) fn aux_digest(seal: &HashKey, key: &[u8], value: &[u8]) -> Digest {
    seal.hash(&[aux::TREE.as_bytes(), key, value])
}

/// A sealed value, and its record prepared for the index.
type Sealed = (Vec<u8>, Option<search::Prepared>, Digest);

/// Serializes and seals `changes` (on every core when there are many), with
/// each live record's folded text for the index and the keyed hash of its
/// sealed value for the manifest.
pub(super) fn seal_all(
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
    // Asking for the core count reads cgroup files (about 15 µs, as much as
    // sealing a record): only a large batch needs it.
    if changes.len() < 256 {
        return changes.iter().map(one).collect();
    }
    let threads = std::thread::available_parallelism().map_or(2, |n| n.get().min(8));
    if threads == 1 {
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

pub(super) fn seal_manifest(key: &DataKey, manifest: &Manifest) -> Result<Vec<u8>, Error> {
    let plain = serde_json::to_vec(manifest).map_err(|_| Error::Damaged(Damage::Encode))?;
    Ok(key.seal(MANIFEST_AAD, &plain))
}

pub(super) fn set_digest(digests: &mut Vec<Digest>, slot: u32, d: Digest) {
    let slot = slot as usize;
    if slot == digests.len() {
        digests.push(d);
    } else if let Some(place) = digests.get_mut(slot) {
        *place = d;
    }
}
