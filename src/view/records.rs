//! Records in lists and on their detail screen: a list line (`Item`), the
//! labelled rows of a record (`Row`, its values as spans), and a record as
//! JSON for the CLI's `--json`. Not the forms (see `forms`) nor what other
//! stewards sent (see `conflicts`).

use super::{just, plain_text, yes_no, Span};
use crate::error::kind_label;
use crate::i18n::{date, number, text, Lang};
use crate::model::fields::Value as FieldValue;
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
    /// The value, as spans (see [`Span`]).
    pub value: Vec<Span>,
    /// Contact details, hidden in meeting mode.
    pub contact: bool,
    /// A yes/no field, for the app to show as a word, not as `value`'s text.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub flag: Option<bool>,
    /// A note's follow-ups one by one (the app shows them as checkboxes).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub items: Vec<FollowUpItem>,
}

impl Row {
    /// The value as a person reads it (no ids).
    pub fn text(&self) -> String {
        plain_text(&self.value)
    }
}

/// One follow-up of a note, for its details.
#[derive(Clone, Debug, Serialize)]
pub struct FollowUpItem {
    pub task: String,
    pub done: bool,
    /// Who does it.
    pub who: Option<Span>,
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

/// The records `ids`, one span each, separated by "; ".
fn names(vault: &Vault, lang: Lang, ids: &[Id]) -> Vec<Span> {
    let mut out = Vec::new();
    for (i, id) in ids.iter().enumerate() {
        if i > 0 {
            out.push(Span::plain("; "));
        }
        out.push(Span::of(vault, lang, id));
    }
    out
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

pub fn items(vault: &Vault, lang: Lang, list: Vec<(&Id, &Record)>) -> Vec<Item> {
    list.into_iter()
        .map(|(id, r)| item(vault, lang, id, r))
        .collect()
}

/// `items` of a search's hits, each record opened only for the moment (a
/// search can hit tens of thousands; see `Vault::entry_once`).
pub fn found(vault: &Vault, lang: Lang, ids: Vec<&Id>) -> Vec<Item> {
    ids.into_iter()
        .filter_map(|id| {
            let entry = vault.entry_once(id)?;
            Some(item(vault, lang, id, entry.record.as_ref()?))
        })
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
            let mut shown = shown_value(vault, lang, id, &value, today);
            for s in &mut shown {
                s.contact = field.contact;
            }
            shown.iter().any(|s| !s.text.is_empty()).then(|| Row {
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
                            who: f.who.as_ref().map(|w| Span::of(vault, lang, w)),
                            due_text: f.due.map(|due| t!(lang, "due-on", date = date(lang, due))),
                        })
                        .collect(),
                    _ => Vec::new(),
                },
            })
        })
        .collect()
}

/// One field's value as the detail screen says it, as spans (empty: not shown).
fn shown_value(
    vault: &Vault,
    lang: Lang,
    id: &Id,
    value: &FieldValue,
    today: NaiveDate,
) -> Vec<Span> {
    let d = |x: Option<NaiveDate>| x.map(|x| date(lang, x)).unwrap_or_default();
    let of = |i: &Id| Span::of(vault, lang, i);
    match value {
        FieldValue::None => Vec::new(),
        FieldValue::Text(s) => just(s.to_string()),
        FieldValue::Flag(b) => just(yes_no(lang, *b)),
        FieldValue::Mark(b) if *b => just(yes_no(lang, true)),
        FieldValue::Mark(_) => Vec::new(),
        FieldValue::Choice("", _) => Vec::new(),
        FieldValue::Choice(_, msg) => just(text(lang, msg)),
        FieldValue::Date(x) => just(d(*x)),
        FieldValue::Deadline(x) => {
            let days = (*x - today).num_days();
            let left = if days < 0 {
                t!(lang, "deadline-passed")
            } else {
                t!(lang, "days-left", days = days)
            };
            just(format!("{} ({left})", date(lang, *x)))
        }
        FieldValue::Number(n) => just(n.map(|n| number(lang, n)).unwrap_or_default()),
        FieldValue::Paper { all, .. } => just(number(lang, *all)),
        FieldValue::Link(x) => x.map(|i| vec![of(i)]).unwrap_or_default(),
        FieldValue::Links(ids, others) => with_others(lang, names(vault, lang, ids), *others),
        FieldValue::Texts(list) => just(list.join(", ")),
        FieldValue::Orgs(list) => {
            let mut out = Vec::new();
            for (i, m) in list.iter().enumerate() {
                if i > 0 {
                    out.push(Span::plain("; "));
                }
                out.push(of(&m.org));
                if !m.role.is_empty() {
                    out.push(Span::plain(format!(" — {}", m.role)));
                }
            }
            out
        }
        FieldValue::Consent(state, mark) => just(crate::consent::state_line(lang, *state, *mark)),
        FieldValue::History(list) => just(
            list.iter()
                .map(|h| {
                    format!(
                        "{} {}",
                        date(lang, h.date),
                        text(lang, &h.status.message_id())
                    )
                })
                .collect::<Vec<_>>()
                .join(" → "),
        ),
        FieldValue::FollowUps(list) => {
            let mut out = Vec::new();
            for (i, f) in list.iter().enumerate() {
                let mark = if f.done { "[x]" } else { "[ ]" };
                out.push(Span::plain(format!("\n  {}. {mark} {}", i + 1, f.task)));
                if let Some(w) = &f.who {
                    out.push(Span::plain(" — "));
                    out.push(of(w));
                }
                if let Some(due) = f.due {
                    let due = t!(lang, "due-on", date = date(lang, due));
                    out.push(Span::plain(format!(" — {due}")));
                }
            }
            out
        }
        FieldValue::CampaignItems(kind) => names(vault, lang, &campaign_ids(vault, id, *kind)),
        FieldValue::Remark(Some(msg)) => just(text(lang, msg)),
        FieldValue::Remark(None) => Vec::new(),
    }
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

/// A list of names, and "and 2 more people" for those a handoff left out.
fn with_others(lang: Lang, mut names: Vec<Span>, others: u32) -> Vec<Span> {
    if others == 0 {
        return names;
    }
    let more = t!(lang, "handoff-others", count = others);
    if names.is_empty() {
        names.push(Span::plain(more));
    } else {
        names.push(Span::plain(format!(" {more}")));
    }
    names
}
