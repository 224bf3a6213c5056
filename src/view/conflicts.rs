//! Conflicts as a person reads them: a record edited here and by another
//! steward, or a change held for a decision, field by field with both
//! sides' values as spans.

use super::{details_of, held_text, Row, Span};
use crate::error::{field_label, kind_label};
use crate::i18n::{date, text, Lang};
use crate::model::fields;
use crate::model::{Id, Kind, Record};
use crate::vault::Vault;
use chrono::NaiveDate;
use serde::Serialize;

/// One field where the two sides of a conflict differ.
#[derive(Clone, Debug, Serialize)]
pub struct FieldDiff {
    /// As typed in `aqui resolve --take FIELD=…` and sent back by the app.
    pub name: String,
    pub label: String,
    pub mine: Vec<Span>,
    pub theirs: Vec<Span>,
    /// Contact details, hidden in meeting mode.
    pub contact: bool,
}

/// A conflict as a person reads it.
#[derive(Clone, Debug, Serialize)]
pub struct ConflictView {
    pub id: Id,
    pub kind: Kind,
    pub kind_label: String,
    pub title: String,
    pub from: String,
    pub received: String,
    pub mine_deleted: bool,
    pub theirs_deleted: bool,
    /// Either side is a person marked sensitive (masked in meeting mode).
    pub sensitive: bool,
    pub fields: Vec<FieldDiff>,
    /// Why theirs was held rather than applied ("would remove the sensitive
    /// mark"…), empty for two edits made at once.
    pub held: Vec<String>,
}

/// The field stored under `key` in a record of `kind`: its name as shown and
/// typed in `resolve --take` (`follow-up` for `follow_ups`), its label, and
/// whether it is contact data. A key the table does not name (`others`) is
/// shown as it is stored.
pub(super) fn stored_field(kind: Kind, lang: Lang, key: &str) -> (String, String, bool) {
    match fields::table(kind).by_key(key) {
        Some(f) => (f.shown.to_string(), text(lang, f.shown_label), f.contact),
        None => {
            let name = key.replace('_', "-");
            (name.clone(), field_label(lang, &name), false)
        }
    }
}

pub fn conflicts(vault: &Vault, lang: Lang, today: NaiveDate) -> Vec<ConflictView> {
    let mut out = Vec::new();
    for (id, c) in vault.conflicts() {
        let Some(mine) = vault.entry(id) else {
            continue;
        };
        let title = mine
            .record
            .as_ref()
            .or(c.theirs.record.as_ref())
            .map(|r| r.title().to_string())
            .unwrap_or_default();
        let mut fields = Vec::new();
        if let (Some(m), Some(t)) = (&mine.record, &c.theirs.record) {
            let rows_m = details_of(vault, lang, id, m, today);
            let rows_t = details_of(vault, lang, id, t, today);
            let value = |rows: &[Row], name: &str| {
                rows.iter()
                    .find(|r| r.field == name)
                    .map(|r| r.value.clone())
                    .unwrap_or_default()
            };
            for key in crate::handoff::differing_fields(m, t) {
                let (name, label, contact) = stored_field(id.kind(), lang, &key);
                fields.push(FieldDiff {
                    label,
                    mine: value(&rows_m, &name),
                    theirs: value(&rows_t, &name),
                    contact,
                    name,
                });
            }
        }
        out.push(ConflictView {
            id: id.clone(),
            kind: id.kind(),
            kind_label: kind_label(lang, id.kind()),
            title,
            from: c.from.clone(),
            received: date(lang, c.received.date_naive()),
            mine_deleted: mine.record.is_none(),
            theirs_deleted: c.theirs.record.is_none(),
            sensitive: [&mine.record, &c.theirs.record]
                .into_iter()
                .flatten()
                .any(|r| matches!(r, Record::Person(p) if p.sensitive)),
            fields,
            held: c.held.iter().map(|h| held_text(lang, *h)).collect(),
        });
    }
    out
}
