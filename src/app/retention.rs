//! Retention in the app: the rules and the hold in Settings (after the
//! passphrase is typed again), the hold shown while it is on, and due purges
//! offered at unlock (what will go, then one click to proceed or postpone).
//!
//! At unlock, when a purge is due, the session keeps the passphrase just typed
//! (zeroized on drop) until the person proceeds, postpones or locks: the
//! purge's last step needs it to re-seal the vault under a new data key.

use super::{AppError, Session};
use crate::retention::{self, Age, Policy, Rule};
use crate::t;
use crate::vault::Passphrase;
use crate::Lang;
use serde::{Deserialize, Serialize};

/// One rule as Settings shows it.
#[derive(Clone, Debug, Serialize)]
pub struct RuleView {
    pub rule: &'static str,
    pub label: String,
    /// `90d`, `6m`, `2y`, or empty when off.
    pub age: String,
}

#[derive(Clone, Debug, Serialize)]
pub struct RetentionView {
    pub rules: Vec<RuleView>,
    pub hold: bool,
    pub hold_reason: String,
    /// "A hold is on (since …)" or "No hold…".
    pub hold_text: String,
}

/// A purge waiting for a click.
#[derive(Clone, Debug, Serialize)]
pub struct PurgeDue {
    pub counts: retention::Counts,
    pub text: String,
}

/// The rules and hold as Settings sends them.
#[derive(Clone, Debug, Deserialize)]
pub struct RetentionForm {
    /// `(rule, age)`; an empty age turns the rule off.
    pub rules: Vec<(String, String)>,
    #[serde(default)]
    pub hold: bool,
    #[serde(default)]
    pub reason: String,
}

fn hold_text(lang: Lang, p: &Policy) -> String {
    match &p.hold {
        Some(h) => t!(
            lang,
            "retention-hold-on",
            since = crate::i18n::date(lang, h.since),
            reason = h.reason.clone()
        ),
        None => t!(lang, "retention-hold-off"),
    }
}

/// The retention rules and hold a backup brings back, in a phrase or two
/// (empty when it records neither).
pub fn carried_text(lang: Lang, p: &Policy) -> String {
    let rules: Vec<String> = Rule::ALL
        .iter()
        .filter_map(|r| {
            let age = p.get(*r)?;
            let label = crate::i18n::text(lang, &format!("retention-rule-{}", r.as_str()));
            Some(format!("{label} {}", age.as_text()))
        })
        .collect();
    let mut parts = Vec::new();
    if !rules.is_empty() {
        parts.push(t!(lang, "backup-retention-rules", rules = rules.join("; ")));
    }
    if let Some(h) = &p.hold {
        parts.push(t!(
            lang,
            "backup-retention-hold",
            since = crate::i18n::date(lang, h.since),
            reason = h.reason.clone()
        ));
    }
    parts.join(" ")
}

impl Session {
    pub fn retention(&mut self) -> Result<RetentionView, AppError> {
        let lang = self.lang();
        let p = self.vault()?.retention().clone();
        Ok(RetentionView {
            rules: Rule::ALL
                .iter()
                .map(|r| RuleView {
                    rule: r.as_str(),
                    label: crate::i18n::text(lang, &format!("retention-rule-{}", r.as_str())),
                    age: p.get(*r).map(|a| a.as_text()).unwrap_or_default(),
                })
                .collect(),
            hold: p.hold.is_some(),
            hold_reason: p
                .hold
                .as_ref()
                .map(|h| h.reason.clone())
                .unwrap_or_default(),
            hold_text: hold_text(lang, &p),
        })
    }

    /// Sets the rules and the hold, once the passphrase is typed again.
    pub fn set_retention(
        &mut self,
        form: &RetentionForm,
        pass: &Passphrase,
    ) -> Result<RetentionView, AppError> {
        use crate::model::{FieldError, Problem};
        let vault = self.vault()?;
        vault.check_passphrase(pass)?;
        let mut p = vault.retention().clone();
        for (rule, age) in &form.rules {
            let bad = || {
                FieldError::new(
                    rule,
                    Problem::BadChoice {
                        allowed: "90d, 6m, 2y".into(),
                    },
                )
            };
            let r = Rule::parse(rule).ok_or_else(bad)?;
            let a = match age.trim() {
                "" | "off" => None,
                a => Some(Age::parse(a).ok_or_else(bad)?),
            };
            p.set(r, a);
        }
        let today = crate::model::today();
        p.hold = match (form.hold, p.hold.take()) {
            (false, _) => None,
            (true, Some(h)) if h.reason == form.reason.trim() => Some(h),
            (true, _) => Some(retention::Hold {
                since: today,
                reason: form
                    .reason
                    .trim()
                    .chars()
                    .take(crate::model::limits::SHORT)
                    .collect(),
            }),
        };
        vault.set_retention(p)?;
        self.retention()
    }

    /// Called right after an unlock with the passphrase typed: keeps it if a
    /// purge is due, or a purge's shredding was cut short (and no hold is
    /// on), for `purge_due` and `purge_now`.
    pub(super) fn note_purge_due(&mut self, pass: &Passphrase) {
        let due = self.vault.as_ref().is_some_and(|v| {
            let plan = retention::plan(v, crate::model::today());
            !plan.held && (!plan.counts.is_empty() || v.retention().shred_pending)
        });
        self.purge_pass = due.then(|| Passphrase::new(pass.expose().to_string()));
    }

    /// The purge offered at unlock, if one is due.
    pub fn purge_due(&mut self) -> Result<Option<PurgeDue>, AppError> {
        let lang = self.lang();
        if self.purge_pass.is_none() {
            return Ok(None);
        }
        let plan = retention::plan(self.vault()?, crate::model::today());
        if plan.held || plan.counts.is_empty() {
            let pass = self.purge_pass.take();
            if let Some(pass) = pass.filter(|_| !plan.held) {
                let vault = self.vault()?;
                if vault.retention().shred_pending {
                    // A purge whose shredding was cut short: finish it now
                    // (nothing new is removed). If it fails again, the next
                    // unlock tries again.
                    let _ = retention::purge(vault, &pass, crate::model::today());
                }
            }
            return Ok(None);
        }
        let c = &plan.counts;
        Ok(Some(PurgeDue {
            text: t!(
                lang,
                "purge-counts",
                bodies = c.note_bodies,
                attendees = c.note_attendees,
                people = c.people,
                log = c.log_entries
            ),
            counts: plan.counts,
        }))
    }

    /// Proceeds with the purge offered at unlock.
    pub fn purge_now(&mut self) -> Result<retention::Counts, AppError> {
        let pass = self.purge_pass.take().ok_or(AppError::Stale)?;
        let vault = self.vault()?;
        retention::purge(vault, &pass, crate::model::today()).map_err(|e| match e {
            retention::PurgeError::Held => AppError::Held,
            retention::PurgeError::Vault(v) => AppError::Vault(v),
        })
    }

    /// Postpones it: asked again at the next unlock.
    pub fn purge_later(&mut self) {
        self.purge_pass = None;
    }
}
