//! The address book: adding, verifying, revoking and removing stewards,
//! and the name on this vault's own card.

use super::*;

/// How a steward's keys are given: their card, or a bare `age1…` key.
pub enum StewardKey<'a> {
    Card(&'a str),
    Key(&'a str),
}

/// Adds a steward, or updates one of the same name with the same age key
/// (their card after their key). A steward stays verified only if the keys
/// did not change.
pub fn add_steward(vault: &mut Vault, name: &str, key: StewardKey) -> Result<Steward, Error> {
    add_steward_as(vault, name, key, false)
}

/// `add_steward`; a name that exists with another key is refused (showing
/// both fingerprints) unless `replace`, which also lifts a revocation.
pub fn add_steward_as(
    vault: &mut Vault,
    name: &str,
    key: StewardKey,
    replace: bool,
) -> Result<Steward, Error> {
    let name = keys::check_name(name)?;
    let keys = match key {
        StewardKey::Card(card) => keys::parse_card(card)?.0,
        StewardKey::Key(k) => {
            keys::parse_age_key(k)?;
            PublicKeys {
                age: k.trim().to_string(),
                sign: None,
            }
        }
    };
    let old = vault.steward(&name);
    // The same steward's card after their bare key is the same steward.
    let same = |o: &Steward| o.keys.age == keys.age && (o.keys.sign.is_none() || o.keys == keys);
    if let Some(o) = old.filter(|o| !same(o) || o.revoked.is_some()) {
        if !replace {
            return Err(Error::StewardExists {
                name: o.name.clone(),
                old: o.fingerprint(),
                new: keys.fingerprint(),
            });
        }
    }
    let steward = Steward {
        verified: old.is_some_and(|o| o.verified && o.keys == keys),
        added: old.map_or_else(Utc::now, |o| o.added),
        name,
        keys,
        revoked: None,
    };
    save_steward(vault, &steward)?;
    Ok(steward)
}

fn save_steward(vault: &mut Vault, s: &Steward) -> Result<(), Error> {
    let mut changes = Changes::new();
    changes.steward(s.name.clone(), Some(s.clone()));
    Ok(vault.commit(changes)?)
}

/// Marks a steward verified, after their fingerprint was compared in person.
/// With `fingerprint`, only if it matches.
pub fn verify_steward(
    vault: &mut Vault,
    name: &str,
    fingerprint: Option<&str>,
) -> Result<Steward, Error> {
    let mut s = vault
        .steward(name)
        .cloned()
        .ok_or_else(|| Error::NoSteward(name.to_string()))?;
    if let Some(fp) = fingerprint {
        if !keys::same_fingerprint(fp, &s.fingerprint()) {
            return Err(Error::FingerprintMismatch);
        }
    }
    s.verified = true;
    save_steward(vault, &s)?;
    Ok(s)
}

/// Revokes a steward (a seized laptop, a person who left): nothing is
/// exported to them again, their files are refused, and the address book
/// keeps them, marked, so the log still says who they were.
pub fn revoke_steward(vault: &mut Vault, name: &str, reason: &str) -> Result<Steward, Error> {
    let mut s = vault
        .steward(name)
        .cloned()
        .ok_or_else(|| Error::NoSteward(name.to_string()))?;
    let reason: String = reason
        .trim()
        .chars()
        .filter(|c| !keys::hidden_char(*c))
        .take(keys::NAME_MAX * 5)
        .collect();
    s.revoked = Some(Revoked {
        at: Utc::now(),
        reason,
    });
    s.verified = false;
    save_steward(vault, &s)?;
    Ok(s)
}

/// The revoked steward whose keys these are (either key matching), if any.
pub(super) fn revoked_by_keys<'a>(vault: &'a Vault, keys: &PublicKeys) -> Option<&'a Steward> {
    vault.stewards().find(|s| {
        s.revoked.is_some()
            && (s.keys.age == keys.age || (s.keys.sign.is_some() && s.keys.sign == keys.sign))
    })
}

pub fn remove_steward(vault: &mut Vault, name: &str) -> Result<(), Error> {
    let s = vault
        .steward(name)
        .ok_or_else(|| Error::NoSteward(name.to_string()))?;
    let mut changes = Changes::new();
    changes.steward(s.name.clone(), None);
    Ok(vault.commit(changes)?)
}

/// The name on this vault's card.
pub fn set_own_name(vault: &mut Vault, name: &str) -> Result<(), Error> {
    let name = if name.trim().is_empty() {
        String::new()
    } else {
        keys::check_name(name)?
    };
    let mut stored = vault.keys().to_stored();
    stored.set_name(name);
    let mut changes = Changes::new();
    changes.keys(stored);
    Ok(vault.commit(changes)?)
}
