//! Handoff summaries as a person reads them: counts, who sent a file and how
//! far to trust it, what an export will hold, what an import would change
//! and what it holds back for a decision, and what was written. Not the
//! conflicts (see `conflicts`) nor the stewards (see `stewards`).

use crate::error::kind_label;
use crate::i18n::{date, text, Lang};
use crate::model::{Id, Kind, Record};
use crate::t;
use crate::vault::Vault;
use serde::Serialize;

use super::conflicts::stored_field;

/// The counts of an export or import, as words: "3 people, one note".
pub fn counts_text(lang: Lang, counts: &std::collections::BTreeMap<Kind, usize>) -> String {
    let parts: Vec<String> = counts
        .iter()
        .filter(|(_, n)| **n > 0)
        .map(|(k, n)| count_kind(lang, *k, *n))
        .collect();
    if parts.is_empty() {
        t!(lang, "export-empty")
    } else {
        parts.join(", ")
    }
}

pub fn count_kind(lang: Lang, kind: Kind, n: usize) -> String {
    t!(lang, "count-kind", kind = kind.as_str(), count = n)
}

/// Who sent a file, and how far to trust it, in a phrase.
pub fn trust_text(lang: Lang, peer: &crate::handoff::Peer) -> String {
    use crate::handoff::Trust;
    let (name, fingerprint) = (peer.name.clone(), peer.fingerprint.clone());
    match peer.trust {
        Some(Trust::Own) => t!(lang, "trust-own"),
        Some(Trust::Verified) => t!(lang, "trust-verified", name = name),
        Some(Trust::Known) => t!(lang, "trust-known", name = name),
        _ if name.is_empty() => t!(lang, "trust-unknown", fingerprint = fingerprint),
        _ => t!(
            lang,
            "trust-unknown-named",
            name = name,
            fingerprint = fingerprint
        ),
    }
}

/// Why a change was held, in a phrase.
pub fn held_text(lang: Lang, h: crate::handoff::Held) -> String {
    use crate::handoff::Held as H;
    text(
        lang,
        match h {
            H::Unmarks => "held-unmarks",
            H::WidensConsent => "held-widens-consent",
            H::Restores => "held-restores",
            H::Unverified => "held-unverified",
            H::ForgedClock => "held-forged-clock",
        },
    )
}

/// A change held for a person to decide, as one line of a preview.
#[derive(Clone, Debug, Serialize)]
pub struct HeldView {
    pub id: Id,
    pub text: String,
    /// The line names a person marked sensitive (masked in meeting mode).
    pub sensitive: bool,
}

pub fn held_views(vault: &Vault, lang: Lang, p: &crate::handoff::Preview) -> Vec<HeldView> {
    p.held
        .iter()
        .map(|h| {
            let record = vault.entry(&h.id).and_then(|e| e.record.as_ref());
            let title = record.map(|r| r.title().to_string()).unwrap_or_default();
            let reasons: Vec<String> = h.reasons.iter().map(|r| held_text(lang, *r)).collect();
            let fields = if h.fields.is_empty() {
                String::new()
            } else {
                let names: Vec<String> = h
                    .fields
                    .iter()
                    .map(|f| stored_field(h.id.kind(), lang, f).1)
                    .collect();
                t!(lang, "held-fields", fields = names.join(", "))
            };
            HeldView {
                id: h.id.clone(),
                sensitive: matches!(record, Some(Record::Person(p)) if p.sensitive),
                text: t!(
                    lang,
                    "held-line",
                    kind = kind_label(lang, h.id.kind()),
                    title = title,
                    reasons = reasons.join(", "),
                    fields = fields
                ),
            }
        })
        .collect()
}

/// A steward's name, or their fingerprint when they have none (a bare key).
pub fn peer_name(peer: &crate::handoff::Peer) -> String {
    if peer.name.is_empty() {
        peer.fingerprint.clone()
    } else {
        format!("{} ({})", peer.name, peer.fingerprint)
    }
}

/// What an export will hold and who can open it, shown before it is written.
#[derive(Clone, Debug, Serialize)]
pub struct ExportView {
    /// Identifies this preview: the export writes exactly it, or refuses.
    pub token: u64,
    /// "3 people", "one note"…, one per kind present.
    pub counts: Vec<String>,
    /// Nothing at all would be written.
    pub empty: bool,
    pub deletions: Option<String>,
    /// How many people stay out, and why.
    pub left_out: Option<String>,
    pub sensitive_included: bool,
    pub recipients: String,
    /// Titles of notes that travel and mention a left-out person by name.
    pub mentions: Vec<String>,
}

pub fn export_view(
    lang: Lang,
    token: u64,
    plan: &crate::handoff::ExportPlan,
    recipients: Option<&[crate::handoff::Peer]>,
) -> ExportView {
    let counts: Vec<String> = plan
        .counts
        .iter()
        .filter(|(_, n)| **n > 0)
        .map(|(k, n)| count_kind(lang, *k, *n))
        .collect();
    let ex = plan.excluded;
    let recipients = match recipients {
        Some(peers) => {
            let who: Vec<String> = peers.iter().map(peer_name).collect();
            t!(lang, "export-to", who = who.join(", "))
        }
        None => t!(lang, "export-to-passphrase"),
    };
    ExportView {
        token,
        empty: counts.is_empty() && plan.deletions == 0,
        counts,
        deletions: (plan.deletions > 0)
            .then(|| t!(lang, "count-deletions", count = plan.deletions)),
        left_out: (ex.sensitive + ex.no_consent > 0).then(|| {
            let count: usize = ex.sensitive + ex.no_consent;
            t!(
                lang,
                "ui-export-left-out",
                count = count,
                sensitive = ex.sensitive,
                noconsent = ex.no_consent
            )
        }),
        sensitive_included: plan.sensitive_included,
        recipients,
        mentions: plan.mentions.clone(),
    }
}

/// One kind's line of an import preview.
#[derive(Clone, Debug, Serialize)]
pub struct KindTally {
    pub kind: Kind,
    /// The kind in the plural, as in the navigation.
    pub label: String,
    #[serde(flatten)]
    pub tally: crate::handoff::merge::Tally,
}

/// What importing a file does (or did), per kind, and who sent it.
#[derive(Clone, Debug, Serialize)]
pub struct ImportView {
    /// Identifies this preview: applying it applies exactly it, or refuses.
    pub token: u64,
    pub applied: bool,
    /// "File from Ana, a verified steward, made 3 May 2026."
    pub from: String,
    pub trust: Option<crate::handoff::Trust>,
    /// Kinds the file touches, in order.
    pub kinds: Vec<KindTally>,
    pub total: String,
    pub conflicts: usize,
    /// The sender included sensitive people, or left some out.
    pub sensitive_included: bool,
    pub left_out: Option<String>,
    /// After applying: what happened, and where the conflicts are.
    pub done: Option<String>,
    /// What should give the person pause before importing, in sentences.
    pub warnings: Vec<String>,
    /// Changes not applied, held for a person to decide (filled by
    /// `held_views`, which needs the vault).
    pub held: Vec<HeldView>,
    /// "Needs your decision: 2 changes were not applied…"
    pub held_heading: Option<String>,
}

pub fn import_view(
    lang: Lang,
    token: u64,
    p: &crate::handoff::Preview,
    applied: bool,
) -> ImportView {
    let n = p.total;
    let left = p.excluded.sensitive + p.excluded.no_consent;
    ImportView {
        token,
        applied,
        from: t!(
            lang,
            "import-from",
            trust = trust_text(lang, &p.sender),
            date = date(lang, p.created.date_naive())
        ),
        trust: p.sender.trust,
        kinds: p
            .kinds
            .iter()
            .filter(|(_, t)| t.new + t.updated + t.deleted + t.unchanged + t.conflict + t.held > 0)
            .map(|(k, t)| KindTally {
                kind: *k,
                label: text(lang, &format!("ui-nav-{}", k.as_str())),
                tally: *t,
            })
            .collect(),
        total: t!(
            lang,
            "import-total",
            new = n.new,
            updated = n.updated,
            deleted = n.deleted,
            unchanged = n.unchanged,
            conflict = n.conflict
        ),
        conflicts: n.conflict,
        sensitive_included: p.sensitive_included,
        left_out: (left > 0).then(|| t!(lang, "ui-import-left-out", count = left)),
        done: applied.then(|| t!(lang, "ui-import-applied", conflict = n.conflict)),
        warnings: p.warnings.iter().map(|w| w.message(lang)).collect(),
        held: Vec::new(),
        held_heading: (n.held > 0).then(|| t!(lang, "held-heading", count = n.held)),
    }
}

/// What was written (an export or a backup), in a sentence.
#[derive(Clone, Debug, Serialize)]
pub struct WrittenView {
    pub message: String,
    pub file: String,
}

pub fn written_view(lang: Lang, w: &crate::handoff::Written, backup: bool) -> WrittenView {
    let file = w.file.display().to_string();
    let id = if backup {
        "backup-written"
    } else {
        "export-written"
    };
    let to = if w.passphrase {
        "passphrase"
    } else {
        "stewards"
    };
    WrittenView {
        message: crate::i18n::text_args(lang, id, &[("file", file.clone()), ("to", to.into())]),
        file,
    }
}
