//! The desktop app's Handoff screen, its steward part: this vault's steward
//! card (with a QR code for the app to draw) and the stewards it knows.

use crate::i18n::{date, Lang};
use crate::t;
use crate::vault::Vault;
use serde::Serialize;

/// A QR code as rows of modules (`true` = dark), `width` by `width`, for the
/// app to draw itself.
#[derive(Clone, Debug, Serialize)]
pub struct Qr {
    pub width: usize,
    pub modules: Vec<bool>,
}

/// This vault's steward identity: what "My steward card" shows.
#[derive(Clone, Debug, Serialize)]
pub struct IdentityView {
    /// The name on the card (may be empty).
    pub name: String,
    pub age: String,
    /// Six groups of four digits, to read aloud.
    pub fingerprint: String,
    pub card: String,
    pub qr: Option<Qr>,
}

pub fn identity(vault: &Vault) -> IdentityView {
    let keys = vault.keys();
    let public = keys.public();
    let card = keys.card();
    IdentityView {
        name: keys.name.clone(),
        fingerprint: public.fingerprint(),
        age: public.age,
        qr: crate::identity::qr(&card).map(|(width, modules)| Qr { width, modules }),
        card,
    }
}

/// A steward in the address book, as the app lists them.
#[derive(Clone, Debug, Serialize)]
pub struct StewardView {
    pub name: String,
    pub fingerprint: String,
    pub age: String,
    pub verified: bool,
    /// Known by their card (so their files can be checked), not a bare key.
    pub can_sign: bool,
    /// "verified", "not verified" or "key only…", in `lang`.
    pub state: String,
    pub added: String,
    /// Revoked: nothing goes to them, their files are refused.
    pub revoked: bool,
}

pub fn steward_view(lang: Lang, s: &crate::identity::Steward) -> StewardView {
    let can_sign = s.keys.sign.is_some();
    let state = steward_state(lang, s);
    StewardView {
        revoked: s.revoked.is_some(),
        name: s.name.clone(),
        fingerprint: s.fingerprint(),
        age: s.keys.age.clone(),
        verified: s.verified,
        can_sign,
        state,
        added: date(lang, s.added.date_naive()),
    }
}

/// "verified", "not verified", "key only…" or "revoked on 3 May 2026: …".
pub fn steward_state(lang: Lang, s: &crate::identity::Steward) -> String {
    if let Some(r) = &s.revoked {
        let reason = if r.reason.is_empty() {
            String::new()
        } else {
            format!(": {}", r.reason)
        };
        return t!(
            lang,
            "steward-state-revoked",
            date = date(lang, r.at.date_naive()),
            reason = reason
        );
    }
    match (s.keys.sign.is_some(), s.verified) {
        (_, true) => t!(lang, "steward-state-verified"),
        (true, false) => t!(lang, "steward-state-unverified"),
        (false, false) => t!(lang, "steward-state-key-only"),
    }
}

pub fn stewards(vault: &Vault, lang: Lang) -> Vec<StewardView> {
    vault.stewards().map(|s| steward_view(lang, s)).collect()
}
