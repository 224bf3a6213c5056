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
use rand::RngCore;
use serde::{Deserialize, Serialize};
use zeroize::{Zeroize, Zeroizing};

const NONCE_LEN: usize = 24;
const KEY_LEN: usize = 32;
/// The version byte in front of every sealed record: 1 = nonce ‖ AEAD(JSON).
pub const SEALED_V1: u8 = 1;

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

    /// version ‖ random nonce ‖ ciphertext+tag
    pub fn seal(&self, aad: &[u8], plaintext: &[u8]) -> Vec<u8> {
        seal_with(&self.cipher(), aad, plaintext)
    }

    /// `None` if the value was altered, moved, or sealed under another key.
    pub fn open(&self, aad: &[u8], sealed: &[u8]) -> Option<Zeroizing<Vec<u8>>> {
        open_with(&self.cipher(), aad, sealed)
    }
}

fn seal_with(cipher: &XChaCha20Poly1305, aad: &[u8], plaintext: &[u8]) -> Vec<u8> {
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
    out.push(SEALED_V1);
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
    pub fn wrap(
        key: &DataKey,
        pass: &Passphrase,
        kdf: KdfParams,
        aad: &[u8],
    ) -> Result<WrappedKey, Error> {
        let mut salt = vec![0u8; 16];
        rand::rngs::OsRng.fill_bytes(&mut salt);
        let kek = Kek::derive(pass, &salt, kdf)?;
        let sealed = seal_with(
            &XChaCha20Poly1305::new(kek.0.as_ref().into()),
            aad,
            key.0.as_ref(),
        );
        Ok(WrappedKey { kdf, salt, sealed })
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
