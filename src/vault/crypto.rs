//! Keys and sealing: the only code that touches key material.
//!
//! A passphrase is stretched with Argon2id into a key-encryption key that
//! unwraps a random 256-bit data key; records are sealed under the data key
//! with XChaCha20-Poly1305, bound to their tree and id as associated data, so a
//! sealed value moved to another id (or altered) fails to open.

use super::{Damage, Error};
use argon2::{Algorithm, Argon2, Params, Version};
use chacha20poly1305::aead::{Aead, KeyInit, Payload};
use chacha20poly1305::{XChaCha20Poly1305, XNonce};
use hmac::{Hmac, Mac};
use rand::RngCore;
use serde::{Deserialize, Serialize};
use sha2::Sha256;
use zeroize::{Zeroize, Zeroizing};

const NONCE_LEN: usize = 24;
const KEY_LEN: usize = 32;
/// The version byte in front of every sealed value. 1 = nonce ‖ AEAD(plain):
/// the wrapped data key, and records written before version 2.
pub const SEALED_V1: u8 = 1;
/// 2 = nonce ‖ AEAD(length ‖ LZ4(JSON)), for records: the JSON compressed
/// against `RECORD_DICT`, its length as 4 bytes little-endian in front, the
/// version byte added to the associated data.
pub const SEALED_V2: u8 = 2;
/// What LZ4 compresses records against: the keys and common values of every
/// kind of record, which a single record of a few hundred bytes cannot find
/// in itself. Part of format 2 — changing it makes those records unreadable.
const RECORD_DICT: &[u8] = include_bytes!("record_dict.txt");
/// No record's JSON comes near this (the largest, a pledge drive with
/// 100,000 signers, is about 3 MB); a longer length is damage.
const MAX_RECORD: usize = 64 << 20;

/// A passphrase as typed. Zeroized on drop; never printed.
pub struct Passphrase(Zeroizing<String>);

impl Passphrase {
    pub fn new(s: String) -> Passphrase {
        Passphrase(Zeroizing::new(s))
    }
    pub fn expose(&self) -> &str {
        &self.0
    }
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The rule for a passphrase about to protect something (a new vault, a
    /// changed or restored one, a handoff or backup file), the same in the
    /// app and the CLI: at least [`Passphrase::MIN`] characters, or
    /// `Error::PassShort`. Existing passphrases are never checked by it.
    pub fn check_new(&self) -> Result<(), Error> {
        if self.0.chars().count() < Self::MIN {
            return Err(Error::PassShort);
        }
        Ok(())
    }

    /// Whether a passphrase that passes `check_new` is still short enough to
    /// deserve a hint to make it longer (under [`Passphrase::GOOD`] characters).
    pub fn wants_hint(&self) -> bool {
        self.0.chars().count() < Self::GOOD
    }

    /// The fewest characters a new passphrase may have.
    pub const MIN: usize = 8;
    /// From this many characters a new passphrase gets no hint.
    pub const GOOD: usize = 12;
}

impl std::fmt::Debug for Passphrase {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Passphrase(…)")
    }
}

/// Argon2id cost, stored in the vault header so it can be raised later.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct KdfParams {
    pub m_kib: u32,
    pub t: u32,
    pub p: u32,
}

impl Default for KdfParams {
    /// 64 MiB, 3 passes, 1 lane: about a quarter second on a modest laptop.
    fn default() -> KdfParams {
        KdfParams {
            m_kib: 64 * 1024,
            t: 3,
            p: 1,
        }
    }
}

impl KdfParams {
    /// Bounds a header's parameters, so a tampered header can neither make
    /// the KDF trivial nor make unlock eat all memory.
    fn check(&self) -> Result<Params, Error> {
        let sane = (8 * 1024..=4 * 1024 * 1024).contains(&self.m_kib)
            && (1..=64).contains(&self.t)
            && (1..=16).contains(&self.p);
        if !sane {
            return Err(Error::Damaged(Damage::KeyParams));
        }
        Params::new(self.m_kib, self.t, self.p, Some(KEY_LEN))
            .map_err(|_| Error::Damaged(Damage::KeyParams))
    }
}

/// The data key every record is sealed under.
///
/// Neither `Clone` nor `Serialize`: there is exactly one copy, inside the
/// unlocked vault, and it is zeroized when the vault is locked or dropped. It
/// leaves memory only wrapped under the passphrase (`WrappedKey`).
pub struct DataKey(Zeroizing<[u8; KEY_LEN]>);

impl DataKey {
    pub fn generate() -> DataKey {
        let mut k = Zeroizing::new([0u8; KEY_LEN]);
        rand::rngs::OsRng.fill_bytes(k.as_mut());
        DataKey(k)
    }

    fn cipher(&self) -> XChaCha20Poly1305 {
        XChaCha20Poly1305::new(self.0.as_ref().into())
    }

    /// A key for keyed hashes, derived from the data key for one `purpose`
    /// (HMAC-SHA256 of the purpose under the data key). It changes whenever
    /// the data key does.
    pub fn derive(&self, purpose: &str) -> HashKey {
        let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(self.0.as_ref())
            .expect("HMAC takes a key of any length");
        mac.update(b"aqui/derive/");
        mac.update(purpose.as_bytes());
        let mut k = Zeroizing::new([0u8; KEY_LEN]);
        k.copy_from_slice(&mac.finalize().into_bytes());
        HashKey(k)
    }

    /// A record's JSON, compressed and sealed (version 2).
    pub fn seal(&self, aad: &[u8], json: &[u8]) -> Vec<u8> {
        let bound = lz4_flex::block::get_maximum_output_size(json.len());
        let mut packed = Zeroizing::new(vec![0u8; 4 + bound]);
        packed[..4].copy_from_slice(&(json.len() as u32).to_le_bytes());
        let n = lz4_flex::block::compress_into_with_dict(json, &mut packed[4..], RECORD_DICT)
            .expect("the output has room for the worst case");
        seal_versioned(
            &self.cipher(),
            SEALED_V2,
            &[aad, &[SEALED_V2]].concat(),
            &packed[..4 + n],
        )
    }

    /// A record's JSON, from version 1 or 2; `None` if the value was altered,
    /// moved, or sealed under another key.
    pub fn open(&self, aad: &[u8], sealed: &[u8]) -> Option<Zeroizing<Vec<u8>>> {
        if sealed.first() != Some(&SEALED_V2) {
            return open_with(&self.cipher(), aad, sealed);
        }
        let rest = sealed.get(1 + NONCE_LEN..)?;
        let nonce = XNonce::from_slice(&sealed[1..1 + NONCE_LEN]);
        let aad = [aad, &[SEALED_V2]].concat();
        let packed = self
            .cipher()
            .decrypt(
                nonce,
                Payload {
                    msg: rest,
                    aad: &aad,
                },
            )
            .ok()
            .map(Zeroizing::new)?;
        let (len, lz) = packed.split_first_chunk::<4>()?;
        let len = u32::from_le_bytes(*len) as usize;
        if len > MAX_RECORD {
            return None;
        }
        let mut json = Zeroizing::new(vec![0u8; len]);
        let n = lz4_flex::block::decompress_into_with_dict(lz, &mut json, RECORD_DICT).ok()?;
        (n == len).then_some(json)
    }
}

/// A key for keyed hashes (see `DataKey::derive`): without the data key,
/// nobody can tell what a keyed hash stands for, or forge one.
pub struct HashKey(Zeroizing<[u8; KEY_LEN]>);

/// A keyed hash, cut to 128 bits.
pub type Digest = [u8; 16];

impl HashKey {
    /// The keyed hash of `parts`, each prefixed by its length, so that no two
    /// different lists of parts hash alike.
    pub fn hash(&self, parts: &[&[u8]]) -> Digest {
        let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(self.0.as_ref())
            .expect("HMAC takes a key of any length");
        for part in parts {
            mac.update(&(part.len() as u64).to_le_bytes());
            mac.update(part);
        }
        let mut out = [0u8; 16];
        out.copy_from_slice(&mac.finalize().into_bytes()[..16]);
        out
    }
}

fn seal_with(cipher: &XChaCha20Poly1305, aad: &[u8], plaintext: &[u8]) -> Vec<u8> {
    seal_versioned(cipher, SEALED_V1, aad, plaintext)
}

fn seal_versioned(
    cipher: &XChaCha20Poly1305,
    version: u8,
    aad: &[u8],
    plaintext: &[u8],
) -> Vec<u8> {
    let mut nonce = [0u8; NONCE_LEN];
    rand::rngs::OsRng.fill_bytes(&mut nonce);
    let ct = cipher
        .encrypt(
            XNonce::from_slice(&nonce),
            Payload {
                msg: plaintext,
                aad,
            },
        )
        // Only fails for plaintexts beyond 256 GiB; records are capped far below.
        .expect("record within AEAD limits");
    let mut out = Vec::with_capacity(1 + NONCE_LEN + ct.len());
    out.push(version);
    out.extend_from_slice(&nonce);
    out.extend_from_slice(&ct);
    out
}

fn open_with(cipher: &XChaCha20Poly1305, aad: &[u8], sealed: &[u8]) -> Option<Zeroizing<Vec<u8>>> {
    match sealed.split_first() {
        Some((&SEALED_V1, rest)) if rest.len() >= NONCE_LEN => {
            let (nonce, ct) = rest.split_at(NONCE_LEN);
            cipher
                .decrypt(XNonce::from_slice(nonce), Payload { msg: ct, aad })
                .ok()
                .map(Zeroizing::new)
        }
        _ => None,
    }
}

/// A key-encryption key derived from the passphrase; zeroized on drop.
struct Kek(Zeroizing<[u8; KEY_LEN]>);

impl Kek {
    fn derive(pass: &Passphrase, salt: &[u8], params: KdfParams) -> Result<Kek, Error> {
        let argon = Argon2::new(Algorithm::Argon2id, Version::V0x13, params.check()?);
        let mut k = Zeroizing::new([0u8; KEY_LEN]);
        argon
            .hash_password_into(pass.expose().as_bytes(), salt, k.as_mut())
            .map_err(|_| Error::Damaged(Damage::KeyParams))?;
        Ok(Kek(k))
    }
}

/// The data key sealed under the passphrase, as kept in the header.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct WrappedKey {
    pub kdf: KdfParams,
    #[serde(with = "hex")]
    pub salt: Vec<u8>,
    #[serde(with = "hex")]
    pub sealed: Vec<u8>,
}

impl WrappedKey {
    #[cfg(test)]
    pub fn wrap(
        key: &DataKey,
        pass: &Passphrase,
        kdf: KdfParams,
        aad: &[u8],
    ) -> Result<WrappedKey, Error> {
        let mut w = WrappedKey::fresh(kdf);
        w.seal_key(key, pass, aad)?;
        Ok(w)
    }

    /// A wrapped key with a fresh salt and nothing sealed yet: the header's
    /// associated data covers the salt, so it is chosen before `seal_key`.
    pub fn fresh(kdf: KdfParams) -> WrappedKey {
        let mut salt = vec![0u8; 16];
        rand::rngs::OsRng.fill_bytes(&mut salt);
        WrappedKey {
            kdf,
            salt,
            sealed: Vec::new(),
        }
    }

    /// Seals `key` under `pass` with this salt and cost.
    pub fn seal_key(&mut self, key: &DataKey, pass: &Passphrase, aad: &[u8]) -> Result<(), Error> {
        let kek = Kek::derive(pass, &self.salt, self.kdf)?;
        self.sealed = seal_with(
            &XChaCha20Poly1305::new(kek.0.as_ref().into()),
            aad,
            key.0.as_ref(),
        );
        Ok(())
    }

    /// The data key, or `WrongPassphrase`.
    pub fn unwrap_key(&self, pass: &Passphrase, aad: &[u8]) -> Result<DataKey, Error> {
        let kek = Kek::derive(pass, &self.salt, self.kdf)?;
        let mut plain = open_with(
            &XChaCha20Poly1305::new(kek.0.as_ref().into()),
            aad,
            &self.sealed,
        )
        .ok_or(Error::WrongPassphrase)?;
        if plain.len() != KEY_LEN {
            plain.zeroize();
            return Err(Error::Damaged(Damage::DataKey));
        }
        let mut k = Zeroizing::new([0u8; KEY_LEN]);
        k.copy_from_slice(&plain);
        Ok(DataKey(k))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sealed_records_are_bound_to_their_place() {
        let key = DataKey::generate();
        let sealed = key.seal(b"records/per_1", b"hello");
        assert_eq!(
            key.open(b"records/per_1", &sealed).unwrap().as_slice(),
            b"hello"
        );
        assert!(key.open(b"records/per_2", &sealed).is_none());
        let mut bent = sealed.clone();
        let last = bent.len() - 1;
        bent[last] ^= 1;
        assert!(key.open(b"records/per_1", &bent).is_none());
        assert!(DataKey::generate()
            .open(b"records/per_1", &sealed)
            .is_none());
        // The version byte is bound too: relabelled, the value does not open.
        let mut relabelled = sealed.clone();
        relabelled[0] = SEALED_V1;
        assert!(key.open(b"records/per_1", &relabelled).is_none());
    }

    #[test]
    fn records_are_compressed_and_version_1_still_opens() {
        let key = DataKey::generate();
        let json = br#"{"meta":{"created":"2026-01-01T00:00:00Z"},"record":{"kind":"person","name":"Mar\u00eda","consent_contact":true,"consent_share":true}}"#;
        let sealed = key.seal(b"aqui/records/per_1", json);
        assert_eq!(sealed[0], SEALED_V2);
        assert!(sealed.len() < json.len(), "{} bytes", sealed.len());
        assert_eq!(
            key.open(b"aqui/records/per_1", &sealed).unwrap().as_slice(),
            json
        );
        let old = seal_with(&key.cipher(), b"aqui/records/per_1", json);
        assert_eq!(
            key.open(b"aqui/records/per_1", &old).unwrap().as_slice(),
            json
        );
        assert_eq!(key.open(b"x", &[SEALED_V2]), None);
        assert_eq!(key.open(b"x", &[]), None);
        let big = vec![b'a'; 200_000];
        let sealed = key.seal(b"x", &big);
        assert_eq!(key.open(b"x", &sealed).unwrap().as_slice(), &big[..]);
    }

    #[test]
    fn wrapped_key_needs_the_passphrase() {
        let kdf = KdfParams {
            m_kib: 8 * 1024,
            t: 1,
            p: 1,
        };
        let key = DataKey::generate();
        let w = WrappedKey::wrap(&key, &Passphrase::new("right horse".into()), kdf, b"v").unwrap();
        let back = w
            .unwrap_key(&Passphrase::new("right horse".into()), b"v")
            .unwrap();
        assert_eq!(back.0.as_ref(), key.0.as_ref());
        let wrong = w.unwrap_key(&Passphrase::new("wrong horse".into()), b"v");
        assert!(matches!(wrong, Err(Error::WrongPassphrase)));
    }
}
