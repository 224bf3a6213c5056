//! Records as a person reads them, in their language: the one place that
//! decides what a list line, a detail screen and the home screen say.
//!
//! The CLI prints these; the desktop app receives them as JSON and renders
//! them as text. Neither formats a date, a count or a label itself.

use crate::error::{field_label, kind_label};
use crate::i18n::{date, number, text, Lang};
use crate::model::fields::{self, Value as FieldValue};
use crate::model::{Id, Kind, Record};
use crate::t;
use crate::vault::Vault;
use chrono::NaiveDate;
use serde::Serialize;
use serde_json::{json, Value};

/// A record in a list: enough to show a line and open it.
#[derive(Clone, Debug, Serialize)]
pub struct Item {
    pub id: Id,
    pub kind: Kind,
    pub kind_label: String,
    pub title: String,
    pub summary: String,
    /// A person marked sensitive (masked in meeting mode).
    pub sensitive: bool,
}

/// One labelled line of a record's details.
#[derive(Clone, Debug, Serialize)]
pub struct Row {
    pub field: &'static str,
    pub label: String,
    pub value: String,
    /// Contact details, hidden in meeting mode.
    pub contact: bool,
    /// A yes/no field, for the app to show as a word, not as `value`'s text.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub flag: Option<bool>,
    /// A note's follow-ups one by one (the app shows them as checkboxes).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub items: Vec<FollowUpItem>,
}

/// One follow-up of a note, for its details.
#[derive(Clone, Debug, Serialize)]
pub struct FollowUpItem {
    pub task: String,
    pub done: bool,
    /// "Name (id)" of who does it.
    pub who: Option<String>,
    /// "due Nov 30, 2026".
    pub due_text: Option<String>,
}

/// A record as JSON: `id`, `kind`, its fields, `created`, `updated`, and what
/// is derived (a pledge drive's progress, a campaign's items).
pub fn record_json(vault: &Vault, id: &Id) -> Value {
    let Some(entry) = vault.entry(id) else {
        return Value::Null;
    };
    let Some(record) = &entry.record else {
        return Value::Null;
    };
    let mut v = serde_json::to_value(record).unwrap_or(Value::Null);
    if let Value::Object(map) = &mut v {
        map.insert("id".into(), json!(id));
        map.insert("created".into(), json!(entry.meta.created));
        map.insert("updated".into(), json!(entry.meta.updated));
        match record {
            Record::Pledge(p) => {
                map.insert("progress".into(), json!(p.progress()));
                map.insert("named".into(), json!(p.signers.len()));
                map.insert("paper".into(), json!(p.paper()));
            }
            Record::Campaign(_) => {
                for kind in [Kind::Demand, Kind::Pledge, Kind::Note] {
                    map.insert(
                        format!("{}s", kind.as_str()),
                        json!(campaign_ids(vault, id, kind)),
                    );
                }
            }
            _ => {}
        }
    }
    v
}

fn campaign_ids(vault: &Vault, campaign: &Id, kind: Kind) -> Vec<Id> {
    vault
        .campaign_items(campaign)
        .into_iter()
        .filter(|(i, _)| i.kind() == kind)
        .map(|(i, _)| i.clone())
        .collect()
}

pub fn yes_no(lang: Lang, b: bool) -> String {
    if b {
        t!(lang, "yes")
    } else {
        t!(lang, "no")
    }
}

/// "Title (id)", or the id marked as deleted.
pub fn name_of(vault: &Vault, lang: Lang, id: &Id) -> String {
    match vault.get(id) {
        Ok(r) => format!("{} ({id})", r.title()),
        Err(_) => t!(lang, "deleted-ref", id = id.to_string()),
    }
}

fn names(vault: &Vault, lang: Lang, ids: &[Id]) -> String {
    ids.iter()
        .map(|i| name_of(vault, lang, i))
        .collect::<Vec<_>>()
        .join("; ")
}

/// The line that tells a record apart in a list.
pub fn summary(vault: &Vault, lang: Lang, record: &Record) -> String {
    match record {
        Record::Org(o) => {
            let mut s = text(lang, &o.kind.message_id());
            if o.immigrant_led {
                s = format!("{s}, {}", t!(lang, "immigrant-led"));
            }
            s
        }
        Record::Person(p) => {
            let mut parts = vec![];
            if !p.alias.is_empty() {
                parts.push(format!("“{}”", p.alias));
            }
            parts.extend(
                p.orgs
                    .iter()
                    .filter_map(|m| vault.get(&m.org).ok().map(|r| r.title().to_string())),
            );
            parts.extend(p.tags.iter().map(|t| format!("#{t}")));
            if p.sensitive {
                parts.push(t!(lang, "sensitive-mark"));
            }
            parts.join(" · ")
        }
        Record::Demand(d) => format!("{} · {}", text(lang, &d.status.message_id()), d.target),
        Record::Campaign(c) => t!(lang, "partners-count", count = c.partners.len()),
        Record::Pledge(p) => t!(
            lang,
            "pledge-progress",
            progress = number(lang, p.progress()),
            goal = number(lang, u64::from(p.goal)),
            deadline = date(lang, p.deadline)
        ),
        Record::Note(n) => format!(
            "{} · {}",
            date(lang, n.date),
            text(lang, &n.kind.message_id())
        ),
    }
}

pub fn item(vault: &Vault, lang: Lang, id: &Id, record: &Record) -> Item {
    Item {
        id: id.clone(),
        kind: id.kind(),
        kind_label: kind_label(lang, id.kind()),
        title: match record {
            Record::Person(p) if p.purged => text(lang, "retention-purged-person"),
            _ => record.title().to_string(),
        },
        summary: summary(vault, lang, record),
        sensitive: matches!(record, Record::Person(p) if p.sensitive),
    }
}

/// The people marked sensitive, for masking their names wherever they appear
/// in meeting mode (without sending every person to the screen for it).
pub fn sensitive_people(vault: &Vault, lang: Lang) -> Vec<Item> {
    let people = vault.list(Kind::Person).into_iter();
    let sensitive = people.filter(|(_, r)| matches!(r, Record::Person(p) if p.sensitive));
    items(vault, lang, sensitive.collect())
}

pub fn items(vault: &Vault, lang: Lang, list: Vec<(&Id, &Record)>) -> Vec<Item> {
    list.into_iter()
        .map(|(id, r)| item(vault, lang, id, r))
        .collect()
}

/// Every field of a record, labelled, in display order; empty ones left out.
pub fn details(vault: &Vault, lang: Lang, id: &Id, today: NaiveDate) -> Vec<Row> {
    match vault.get(id) {
        Ok(rec) => details_of(vault, lang, id, rec, today),
        Err(_) => Vec::new(),
    }
}

/// `details` of a record that need not be in the vault (the other side of a
/// conflict): every field of the table that has a value, formatted in `lang`.
pub fn details_of(vault: &Vault, lang: Lang, id: &Id, rec: &Record, today: NaiveDate) -> Vec<Row> {
    rec.values()
        .filter_map(|(field, value)| {
            let shown = shown_value(vault, lang, id, &value, today);
            (!shown.is_empty()).then(|| Row {
                field: field.shown,
                label: text(lang, field.shown_label),
                value: shown,
                contact: field.contact,
                flag: match value {
                    FieldValue::Flag(b) => Some(b),
                    _ => None,
                },
                items: match value {
                    FieldValue::FollowUps(list) => list
                        .iter()
                        .map(|f| FollowUpItem {
                            task: f.task.clone(),
                            done: f.done,
                            who: f.who.as_ref().map(|w| name_of(vault, lang, w)),
                            due_text: f.due.map(|due| t!(lang, "due-on", date = date(lang, due))),
                        })
                        .collect(),
                    _ => Vec::new(),
                },
            })
        })
        .collect()
}

/// One field's value as the detail screen says it (empty: not shown).
fn shown_value(vault: &Vault, lang: Lang, id: &Id, value: &FieldValue, today: NaiveDate) -> String {
    let d = |x: Option<NaiveDate>| x.map(|x| date(lang, x)).unwrap_or_default();
    match value {
        FieldValue::None => String::new(),
        FieldValue::Text(s) => s.to_string(),
        FieldValue::Flag(b) => yes_no(lang, *b),
        FieldValue::Mark(b) if *b => yes_no(lang, true),
        FieldValue::Mark(_) => String::new(),
        FieldValue::Choice("", _) => String::new(),
        FieldValue::Choice(_, msg) => text(lang, msg),
        FieldValue::Date(x) => d(*x),
        FieldValue::Deadline(x) => {
            let days = (*x - today).num_days();
            let left = if days < 0 {
                t!(lang, "deadline-passed")
            } else {
                t!(lang, "days-left", days = days)
            };
            format!("{} ({left})", date(lang, *x))
        }
        FieldValue::Number(n) => n.map(|n| number(lang, n)).unwrap_or_default(),
        FieldValue::Paper { all, .. } => number(lang, *all),
        FieldValue::Link(x) => x.map(|i| name_of(vault, lang, i)).unwrap_or_default(),
        FieldValue::Links(ids, others) => with_others(lang, names(vault, lang, ids), *others),
        FieldValue::Texts(list) => list.join(", "),
        FieldValue::Orgs(list) => list
            .iter()
            .map(|m| match m.role.as_str() {
                "" => name_of(vault, lang, &m.org),
                role => format!("{} — {role}", name_of(vault, lang, &m.org)),
            })
            .collect::<Vec<_>>()
            .join("; "),
        FieldValue::Consent(state, mark) => crate::consent::state_line(lang, *state, *mark),
        FieldValue::History(list) => list
            .iter()
            .map(|h| {
                format!(
                    "{} {}",
                    date(lang, h.date),
                    text(lang, &h.status.message_id())
                )
            })
            .collect::<Vec<_>>()
            .join(" → "),
        FieldValue::FollowUps(list) => list
            .iter()
            .enumerate()
            .map(|(i, f)| {
                let mark = if f.done { "[x]" } else { "[ ]" };
                let mut s = format!("\n  {}. {mark} {}", i + 1, f.task);
                if let Some(w) = &f.who {
                    s.push_str(&format!(" — {}", name_of(vault, lang, w)));
                }
                if let Some(due) = f.due {
                    s.push_str(&format!(
                        " — {}",
                        t!(lang, "due-on", date = date(lang, due))
                    ));
                }
                s
            })
            .collect(),
        FieldValue::CampaignItems(kind) => names(vault, lang, &campaign_ids(vault, id, *kind)),
        FieldValue::Remark(Some(msg)) => text(lang, msg),
        FieldValue::Remark(None) => String::new(),
    }
}

/// A follow-up that is due, for the home screen.
#[derive(Clone, Debug, Serialize)]
pub struct Due {
    pub note: Id,
    pub note_title: String,
    pub task: String,
    pub who: Option<String>,
    pub due: NaiveDate,
    pub due_text: String,
    pub overdue: bool,
}

/// A pledge drive still running, for the home screen.
#[derive(Clone, Debug, Serialize)]
pub struct Drive {
    pub id: Id,
    pub title: String,
    pub progress: u64,
    pub goal: u32,
    /// 0–100, for the progress bar.
    pub percent: u8,
    pub progress_text: String,
    pub days_left_text: String,
}

#[derive(Clone, Debug, Serialize)]
pub struct Home {
    pub follow_ups: Vec<Due>,
    pub drives: Vec<Drive>,
    /// Records edited here and by another steward at once, waiting to be resolved.
    pub conflicts: usize,
}

/// How far ahead the home screen looks for follow-ups.
pub const DUE_WITHIN_DAYS: i64 = 14;

/// Follow-ups not done and due within two weeks (overdue ones first), and
/// pledge drives whose deadline has not passed, soonest first.
pub fn home(vault: &Vault, lang: Lang, today: NaiveDate) -> Home {
    let horizon = today + chrono::Duration::days(DUE_WITHIN_DAYS);
    let mut follow_ups = Vec::new();
    for (id, rec) in vault.list(Kind::Note) {
        let Record::Note(n) = rec else { continue };
        for f in n.follow_ups.iter().filter(|f| !f.done) {
            let Some(due) = f.due.filter(|d| *d <= horizon) else {
                continue;
            };
            follow_ups.push(Due {
                note: id.clone(),
                note_title: n.title.clone(),
                task: f.task.clone(),
                who: f
                    .who
                    .as_ref()
                    .and_then(|w| vault.get(w).ok())
                    .map(|r| r.title().to_string()),
                due,
                due_text: if due < today {
                    t!(lang, "overdue-since", date = date(lang, due))
                } else {
                    t!(lang, "due-on", date = date(lang, due))
                },
                overdue: due < today,
            });
        }
    }
    follow_ups.sort_by_key(|f| f.due);
    let mut pledges = vault.list(Kind::Pledge);
    pledges.sort_by_key(|(_, r)| match r {
        Record::Pledge(p) => p.deadline,
        _ => today,
    });
    let drives: Vec<Drive> = pledges
        .into_iter()
        .filter_map(|(id, r)| match r {
            Record::Pledge(p) if p.deadline >= today => Some(Drive {
                id: id.clone(),
                title: p.title.clone(),
                progress: p.progress(),
                goal: p.goal,
                percent: (p.progress() * 100 / u64::from(p.goal.max(1))).min(100) as u8,
                progress_text: summary(vault, lang, r),
                days_left_text: t!(lang, "days-left", days = p.days_left(today)),
            }),
            _ => None,
        })
        .collect();
    Home {
        follow_ups,
        drives,
        conflicts: vault.conflicts().len(),
    }
}

/// A value and its label, for a choice in a form.
#[derive(Clone, Debug, Serialize)]
pub struct Choice {
    pub value: &'static str,
    pub label: String,
}

/// The closed sets of choices the forms offer, labelled in `lang`.
pub fn choices(lang: Lang) -> serde_json::Map<String, Value> {
    use crate::model::{ConsentHow, ConsentState, DemandStatus, NoteKind, OrgKind, Relationship};
    fn list<T: Copy>(
        lang: Lang,
        all: &[T],
        v: fn(T) -> &'static str,
        id: fn(T) -> String,
    ) -> Value {
        json!(all
            .iter()
            .map(|x| Choice {
                value: v(*x),
                label: text(lang, &id(*x))
            })
            .collect::<Vec<_>>())
    }
    let mut m = serde_json::Map::new();
    m.insert(
        "org_kind".into(),
        list(lang, OrgKind::ALL, OrgKind::as_str, OrgKind::message_id),
    );
    m.insert(
        "relationship".into(),
        list(
            lang,
            Relationship::ALL,
            Relationship::as_str,
            Relationship::message_id,
        ),
    );
    m.insert(
        "status".into(),
        list(
            lang,
            DemandStatus::ALL,
            DemandStatus::as_str,
            DemandStatus::message_id,
        ),
    );
    m.insert(
        "note_kind".into(),
        list(lang, NoteKind::ALL, NoteKind::as_str, NoteKind::message_id),
    );
    m.insert(
        "consent_state".into(),
        list(
            lang,
            ConsentState::ALL,
            ConsentState::as_str,
            ConsentState::message_id,
        ),
    );
    m.insert(
        "consent_how".into(),
        list(
            lang,
            ConsentHow::ALL,
            ConsentHow::as_str,
            ConsentHow::message_id,
        ),
    );
    let langs: Vec<Choice> = Lang::ALL
        .iter()
        .map(|l| Choice {
            value: l.as_str(),
            label: text(lang, &format!("lang-{}", l.as_str())),
        })
        .collect();
    m.insert("lang".into(), json!(langs));
    m
}

/// Everything the detail and edit screens need about one record.
#[derive(Clone, Debug, Serialize)]
pub struct RecordView {
    pub item: Item,
    pub rows: Vec<Row>,
    /// The current values as form pairs, to start the edit form with.
    pub form: Vec<(&'static str, String)>,
}

pub fn record_view(
    vault: &Vault,
    lang: Lang,
    id: &Id,
    today: NaiveDate,
) -> Result<RecordView, crate::vault::Error> {
    let record = vault.get(id)?;
    Ok(RecordView {
        item: item(vault, lang, id, record),
        rows: details(vault, lang, id, today),
        form: crate::model::form::values(record),
    })
}

/// A form field with its label in `lang`.
#[derive(Clone, Debug, Serialize)]
pub struct FieldView {
    pub name: &'static str,
    pub label: String,
    pub required: bool,
    /// May be left blank: a new record has no value for it (a person's
    /// language), so a select offers an empty choice.
    pub blank: bool,
    pub input: crate::model::form::Input,
    /// A way to reach a person: masked in meeting mode.
    pub contact: bool,
    /// Names a person: masked in meeting mode when that person is sensitive.
    pub identifying: bool,
}

#[derive(Clone, Debug, Serialize)]
pub struct FormSpec {
    pub fields: Vec<FieldView>,
    pub choices: serde_json::Map<String, Value>,
    /// The values a new record starts with (consent yes, today's date…).
    pub defaults: Vec<(&'static str, String)>,
}

/// The form of `kind`, labelled, with the choices its selects offer.
pub fn form_spec(lang: Lang, kind: Kind) -> FormSpec {
    let mut fresh = Record::empty(kind);
    fresh.prepare_new(crate::model::today());
    let fresh_values = crate::model::form::values(&fresh);
    let fields = crate::model::form::form(kind)
        .iter()
        .map(|f| FieldView {
            name: f.name,
            label: text(lang, f.label),
            required: f.required,
            blank: !f.required
                && fresh_values
                    .iter()
                    .any(|(n, v)| *n == f.name && v.is_empty()),
            input: f.input,
            contact: f.contact,
            identifying: f.identifying,
        })
        .collect();
    // A new pledge drive has no goal yet: show the field empty, not "0".
    let defaults = fresh_values
        .into_iter()
        .filter(|(f, v)| !(kind == Kind::Pledge && *f == "goal" && v == "0"))
        .collect();
    FormSpec {
        fields,
        choices: choices(lang),
        defaults,
    }
}

/// Every message of `lang` (without arguments), for the app's interface.
pub fn messages(lang: Lang) -> serde_json::Map<String, Value> {
    crate::i18n::all_messages(lang)
        .into_iter()
        .chain(crate::i18n::counted_messages(lang))
        .map(|(id, text)| (id, Value::String(text)))
        .collect()
}

// ---- steward handoff --------------------------------------------------------

/// A list of names, and "and 2 more people" for those a handoff left out.
fn with_others(lang: Lang, names: String, others: u32) -> String {
    if others == 0 {
        return names;
    }
    let more = t!(lang, "handoff-others", count = others);
    if names.is_empty() {
        more
    } else {
        format!("{names} {more}")
    }
}

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

/// A warning an incoming file carries, in a sentence.
pub fn warning_text(lang: Lang, w: crate::handoff::Warning) -> String {
    use crate::handoff::Warning as W;
    text(
        lang,
        match w {
            W::UnknownSender => "warning-unknown-sender",
            W::KeyOnly => "warning-key-only",
            W::NotForUs => "warning-not-for-us",
            W::OldFormat => "warning-old-format",
            W::BadSenderName => "warning-bad-sender-name",
        },
    )
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
}

pub fn held_views(vault: &Vault, lang: Lang, p: &crate::handoff::Preview) -> Vec<HeldView> {
    p.held
        .iter()
        .map(|h| {
            let title = vault
                .entry(&h.id)
                .and_then(|e| e.record.as_ref())
                .map(|r| r.title().to_string())
                .unwrap_or_default();
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

/// One field where the two sides of a conflict differ.
#[derive(Clone, Debug, Serialize)]
pub struct FieldDiff {
    /// As typed in `aqui resolve --take FIELD=…` and sent back by the app.
    pub name: String,
    pub label: String,
    pub mine: String,
    pub theirs: String,
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
fn stored_field(kind: Kind, lang: Lang, key: &str) -> (String, String, bool) {
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

/// An audit log entry as a person reads it.
#[derive(Clone, Debug, Serialize)]
pub struct LogLine {
    pub time: String,
    pub action: String,
    pub text: String,
    pub entry: crate::handoff::LogEntry,
}

pub fn log(vault: &Vault, lang: Lang) -> Vec<LogLine> {
    use crate::handoff::Action;
    vault
        .log()
        .iter()
        .rev()
        .map(|e| {
            let local = e.time.with_timezone(&chrono::Local);
            let time = format!(
                "{} {}",
                date(lang, local.date_naive()),
                crate::i18n::time(lang, local.time())
            );
            let action = text(
                lang,
                &format!(
                    "log-action-{}",
                    match e.action {
                        Action::Export => "export",
                        Action::Import => "import",
                        Action::Backup => "backup",
                        Action::Restore => "restore",
                        Action::CsvExport => "csv-export",
                        Action::CsvImport => "csv-import",
                    }
                ),
            );
            let mut parts = vec![counts_text(lang, &e.counts)];
            if e.deletions > 0 {
                parts.push(t!(lang, "count-deletions", count = e.deletions));
            }
            let who: Vec<String> = e.peers.iter().map(peer_name).collect();
            if !who.is_empty() {
                let who = who.join(", ");
                parts.push(match e.action {
                    Action::Export | Action::Backup => t!(lang, "log-to", who = who),
                    _ => t!(lang, "log-from", who = who),
                });
            }
            if e.passphrase {
                parts.push(t!(lang, "log-passphrase"));
            }
            if e.sensitive_included {
                parts.push(t!(lang, "log-sensitive-included"));
            }
            let left = e.excluded.sensitive + e.excluded.no_consent;
            if left > 0 {
                parts.push(t!(lang, "log-excluded", count = left));
            }
            let text = t!(
                lang,
                "log-line",
                time = time.clone(),
                action = action.clone(),
                counts = parts.join("; ")
            );
            LogLine {
                time,
                action,
                text,
                entry: e.clone(),
            }
        })
        .collect()
}

// ---- the desktop app's Handoff screen ---------------------------------------

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
        qr: crate::handoff::keys::qr(&card).map(|(width, modules)| Qr { width, modules }),
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

pub fn steward_view(lang: Lang, s: &crate::handoff::keys::Steward) -> StewardView {
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
pub fn steward_state(lang: Lang, s: &crate::handoff::keys::Steward) -> String {
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
        warnings: p.warnings.iter().map(|w| warning_text(lang, *w)).collect(),
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
