//! A vault's steward identity and the stewards it knows.
//!
//! Each vault holds two key pairs: an age X25519 identity, which others
//! encrypt handoffs to, and an Ed25519 signing key, which signs every bundle
//! this vault writes (age encrypts but does not sign). The secrets live only
//! inside the vault, sealed like records. What is shared is the *card*: a
//! name, the `age1…` key and the signing key in one short line (or QR code),
//! with a *fingerprint* of both keys that two people read aloud to each other.
//!
//! Below the vault (which stores the keys and the address book, sealed) and
//! handoff (which encrypts to and signs with them); knows neither.

use age::secrecy::ExposeSecret;
use chrono::{DateTime, Utc};
use ed25519_dalek::{Signer, SigningKey, VerifyingKey};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::str::FromStr;
use zeroize::{Zeroize, ZeroizeOnDrop, Zeroizing};

/// What is wrong with a key, a card or a name. Its Fluent messages are
/// in `crate::error`; a handoff error carries it as `handoff::Error::Identity`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    #[error("not an age key")]
    BadKey,
    #[error("not a steward card")]
    BadCard,
    #[error("bad steward name")]
    BadStewardName,
}

/// What a card starts with; the rest is `AGE_KEY:SIGNING_KEY_HEX:NAME`.
pub const CARD_PREFIX: &str = "aqui-card-1:";
/// Longest steward name we keep.
pub const NAME_MAX: usize = 100;

/// This vault's secret keys. Neither `Clone` nor `Serialize` nor `Debug`.
pub struct Keys {
    age: age::x25519::Identity,
    sign: SigningKey,
    /// How this steward introduces themselves on their card (may be empty).
    pub name: String,
}

/// How `Keys` are stored, sealed, inside the vault.
#[derive(Serialize, Deserialize, Zeroize, ZeroizeOnDrop)]
pub(crate) struct StoredKeys {
    age: String,
    sign: String,
    #[serde(default)]
    name: String,
}

impl StoredKeys {
    pub(crate) fn set_name(&mut self, name: String) {
        self.name = name;
    }
}

impl Keys {
    pub fn generate() -> Keys {
        Keys {
            age: age::x25519::Identity::generate(),
            sign: SigningKey::generate(&mut rand::rngs::OsRng),
            name: String::new(),
        }
    }

    pub(crate) fn to_stored(&self) -> StoredKeys {
        StoredKeys {
            age: self.age.to_string().expose_secret().to_string(),
            sign: hex::encode(self.sign.to_bytes()),
            name: self.name.clone(),
        }
    }

    pub(crate) fn from_stored(s: &StoredKeys) -> Option<Keys> {
        let age = age::x25519::Identity::from_str(&s.age).ok()?;
        let bytes = Zeroizing::new(hex::decode(s.sign.as_str()).ok()?);
        let arr: Zeroizing<[u8; 32]> = Zeroizing::new(bytes.as_slice().try_into().ok()?);
        Some(Keys {
            age,
            sign: SigningKey::from_bytes(&arr),
            name: s.name.clone(),
        })
    }

    /// The identity that opens files encrypted to this vault.
    pub fn age_identity(&self) -> &age::x25519::Identity {
        &self.age
    }

    pub fn public(&self) -> PublicKeys {
        PublicKeys {
            age: self.age.to_public().to_string(),
            sign: Some(hex::encode(self.sign.verifying_key().to_bytes())),
        }
    }

    pub fn sign(&self, message: &[u8]) -> [u8; 64] {
        self.sign.sign(message).to_bytes()
    }

    /// The card to hand to other stewards.
    pub fn card(&self) -> String {
        let p = self.public();
        format!(
            "{CARD_PREFIX}{}:{}:{}",
            p.age,
            p.sign.unwrap_or_default(),
            self.name
        )
    }
}

/// A steward's public keys: the age key always, the signing key when we have
/// their card (a key alone, from someone using plain age, has none).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PublicKeys {
    pub age: String,
    #[serde(default)]
    pub sign: Option<String>,
}

impl PublicKeys {
    /// Twenty-four digits in six groups, from both keys, to read aloud.
    pub fn fingerprint(&self) -> String {
        let mut h = Sha256::new();
        h.update(b"aqui-fingerprint-1\n");
        h.update(self.age.as_bytes());
        h.update(b"\n");
        h.update(self.sign.as_deref().unwrap_or("").as_bytes());
        let d = h.finalize();
        let mut first = [0u8; 16];
        first.copy_from_slice(&d[..16]);
        let n = u128::from_be_bytes(first) % 10u128.pow(24);
        let digits = format!("{n:024}");
        digits
            .as_bytes()
            .chunks(4)
            .map(|c| String::from_utf8_lossy(c).into_owned())
            .collect::<Vec<_>>()
            .join(" ")
    }

    pub fn recipient(&self) -> Result<age::x25519::Recipient, Error> {
        parse_age_key(&self.age)
    }

    pub fn verifying_key(&self) -> Option<VerifyingKey> {
        let bytes: [u8; 32] = hex::decode(self.sign.as_deref()?).ok()?.try_into().ok()?;
        VerifyingKey::from_bytes(&bytes).ok()
    }
}

/// Checks an `age1…` key.
pub fn parse_age_key(s: &str) -> Result<age::x25519::Recipient, Error> {
    age::x25519::Recipient::from_str(s.trim()).map_err(|_| Error::BadKey)
}

/// Reads a card: its keys, and the name its owner gave (may be empty).
pub fn parse_card(card: &str) -> Result<(PublicKeys, String), Error> {
    let rest = card
        .trim()
        .strip_prefix(CARD_PREFIX)
        .ok_or(Error::BadCard)?;
    let mut parts = rest.splitn(3, ':');
    let (Some(age), Some(sign)) = (parts.next(), parts.next()) else {
        return Err(Error::BadCard);
    };
    let name = parts.next().unwrap_or("").trim().to_string();
    parse_age_key(age).map_err(|_| Error::BadCard)?;
    let keys = PublicKeys {
        age: age.to_string(),
        sign: Some(sign.to_ascii_lowercase()),
    };
    keys.verifying_key().ok_or(Error::BadCard)?;
    Ok((keys, name))
}

/// A steward in this vault's address book.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Steward {
    pub name: String,
    pub keys: PublicKeys,
    /// Set once the fingerprints were compared in person.
    pub verified: bool,
    pub added: DateTime<Utc>,
    /// Set when their keys must no longer be trusted (a seized laptop): no
    /// export goes to them and their files are refused.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub revoked: Option<Revoked>,
}

/// When and why a steward was revoked.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Revoked {
    pub at: DateTime<Utc>,
    #[serde(default)]
    pub reason: String,
}

impl Steward {
    pub fn fingerprint(&self) -> String {
        self.keys.fingerprint()
    }
}

/// Whether a steward name can be kept: not empty, short, printable, and not an
/// `age1…` key (so `--to` can tell a name from a key).
pub fn check_name(name: &str) -> Result<String, Error> {
    let name = name.trim();
    if name.is_empty()
        || name.chars().count() > NAME_MAX
        || name.chars().any(hidden_char)
        || name.starts_with("age1")
    {
        return Err(Error::BadStewardName);
    }
    Ok(name.to_string())
}

/// Characters that have no business in a name: control characters (terminal
/// escapes), and format characters that reorder or hide text (bidi controls,
/// zero-width characters, soft hyphens).
pub fn hidden_char(c: char) -> bool {
    c.is_control()
        || matches!(c,
            '\u{00AD}' | '\u{061C}' | '\u{180E}' | '\u{200B}'..='\u{200F}'
            | '\u{2028}'..='\u{202E}' | '\u{2060}'..='\u{206F}' | '\u{FEFF}'
            | '\u{FFF9}'..='\u{FFFB}' | '\u{E0000}'..='\u{E007F}')
}

/// Compares a fingerprint as typed (spaces and dashes ignored).
pub fn same_fingerprint(a: &str, b: &str) -> bool {
    let digits = |s: &str| s.chars().filter(char::is_ascii_digit).collect::<String>();
    let (a, b) = (digits(a), digits(b));
    !a.is_empty() && a == b
}

/// The QR code of `text` as rows of dark (`true`) and light modules, drawn by
/// the app itself: nothing leaves the machine to make it.
pub fn qr(text: &str) -> Option<(usize, Vec<bool>)> {
    let code = qrcode::QrCode::with_error_correction_level(text, qrcode::EcLevel::M).ok()?;
    let width = code.width();
    let modules = code
        .to_colors()
        .into_iter()
        .map(|c| c == qrcode::Color::Dark)
        .collect();
    Some((width, modules))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cards_round_trip_and_fingerprints_read_aloud() {
        let mut k = Keys::generate();
        k.name = "Ana: Riverbend".into();
        let (keys, name) = parse_card(&k.card()).unwrap();
        assert_eq!(keys, k.public());
        assert_eq!(name, "Ana: Riverbend");
        let fp = keys.fingerprint();
        assert_eq!(fp.len(), 24 + 5);
        assert!(same_fingerprint(&fp, &fp.replace(' ', "-")));
        let back = Keys::from_stored(&k.to_stored()).unwrap();
        assert_eq!(back.public(), k.public());
        assert!(parse_card("aqui-card-1:age1nope:00:x").is_err());
        assert!(qr(&k.card()).is_some());
    }
}
