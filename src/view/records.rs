//! Records in lists and on their detail screen: a list line (`Item`), the
//! labelled rows of a record (`Row`, its values as spans), and a record as
//! JSON for the CLI's `--json`. Not the forms (see `forms`) nor what other
//! stewards sent (see `conflicts`).

use super::{just, plain_text, yes_no, Span};
use crate::error::{field_label, kind_label};
use crate::i18n::{date, number, text, Lang};
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

/// The people marked sensitive. (Meeting mode no longer needs this list: every
/// span that names a person carries its own `sensitive` flag.)
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
/// conflict).
pub fn details_of(vault: &Vault, lang: Lang, id: &Id, rec: &Record, today: NaiveDate) -> Vec<Row> {
    let mut rows: Vec<(&'static str, Vec<Span>)> = Vec::new();
    let d = |x: Option<NaiveDate>| just(x.map(|x| date(lang, x)).unwrap_or_default());
    let opt = |x: &Option<Id>| {
        x.as_ref()
            .map(|i| vec![Span::of(vault, lang, i)])
            .unwrap_or_default()
    };
    match rec {
        Record::Org(o) => {
            rows.push(("name", just(o.name.clone())));
            rows.push(("org-kind", just(text(lang, &o.kind.message_id()))));
            rows.push(("immigrant-led", just(yes_no(lang, o.immigrant_led))));
            rows.push(("language", just(o.languages.join(", "))));
            rows.push(("region", just(o.region.clone())));
            rows.push((
                "relationship",
                just(text(lang, &o.relationship.message_id())),
            ));
            rows.push(("contact", opt(&o.contact)));
            if o.private {
                rows.push(("private", just(yes_no(lang, true))));
            }
        }
        Record::Person(p) => {
            rows.push(("name", just(p.name.clone())));
            rows.push(("alias", just(p.alias.clone())));
            let l = p
                .lang
                .map(|l| text(lang, &format!("lang-{}", l.as_str())))
                .unwrap_or_default();
            rows.push(("lang", just(l)));
            rows.push(("phone", just(p.phone.clone())));
            rows.push(("signal", just(p.signal.clone())));
            rows.push(("email", just(p.email.clone())));
            let mut orgs = Vec::new();
            for (i, m) in p.orgs.iter().enumerate() {
                if i > 0 {
                    orgs.push(Span::plain("; "));
                }
                orgs.push(Span::of(vault, lang, &m.org));
                if !m.role.is_empty() {
                    orgs.push(Span::plain(format!(" — {}", m.role)));
                }
            }
            rows.push(("org", orgs));
            rows.push(("tag", just(p.tags.join(", "))));
            rows.push((
                "consent-contact",
                just(crate::consent::state_line(
                    lang,
                    p.consent_contact,
                    p.consent.contact.as_ref(),
                )),
            ));
            rows.push((
                "consent-share",
                just(crate::consent::state_line(
                    lang,
                    p.consent_share,
                    p.consent.share.as_ref(),
                )),
            ));
            if p.consent.before_records {
                rows.push(("consent-record", just(text(lang, "consent-before-records"))));
            }
            rows.push(("sensitive", just(yes_no(lang, p.sensitive))));
            rows.push(("last-contact", d(p.last_contact)));
            rows.push(("next-follow-up", d(p.next_follow_up)));
        }
        Record::Demand(dm) => {
            rows.push(("title", just(dm.title.clone())));
            rows.push(("target", just(dm.target.clone())));
            rows.push(("jurisdiction", just(dm.jurisdiction.clone())));
            rows.push(("status", just(text(lang, &dm.status.message_id()))));
            let hist: Vec<String> = dm
                .history
                .iter()
                .map(|h| {
                    format!(
                        "{} {}",
                        date(lang, h.date),
                        text(lang, &h.status.message_id())
                    )
                })
                .collect();
            rows.push(("history", just(hist.join(" → "))));
            rows.push(("partner", names(vault, lang, &dm.partners)));
            rows.push(("lead", opt(&dm.lead)));
            rows.push(("campaign", opt(&dm.campaign)));
        }
        Record::Campaign(c) => {
            rows.push(("name", just(c.name.clone())));
            rows.push(("description", just(c.description.clone())));
            rows.push(("partner", names(vault, lang, &c.partners)));
            for (kind, field) in [
                (Kind::Demand, "demands"),
                (Kind::Pledge, "pledges"),
                (Kind::Note, "notes"),
            ] {
                rows.push((field, names(vault, lang, &campaign_ids(vault, id, kind))));
            }
        }
        Record::Pledge(p) => {
            rows.push(("title", just(p.title.clone())));
            rows.push(("goal", just(number(lang, u64::from(p.goal)))));
            rows.push(("progress", just(number(lang, p.progress()))));
            let days = p.days_left(today);
            let left = if days < 0 {
                t!(lang, "deadline-passed")
            } else {
                t!(lang, "days-left", days = days)
            };
            rows.push((
                "deadline",
                just(format!("{} ({left})", date(lang, p.deadline))),
            ));
            rows.push(("paper-count", just(number(lang, p.paper()))));
            rows.push((
                "signer",
                with_others(lang, names(vault, lang, &p.signers), p.others),
            ));
            rows.push(("campaign", opt(&p.campaign)));
        }
        Record::Note(n) => {
            rows.push(("title", just(n.title.clone())));
            rows.push(("note-kind", just(text(lang, &n.kind.message_id()))));
            rows.push(("date", just(date(lang, n.date))));
            let hc = n.headcount.map(|h| number(lang, u64::from(h)));
            rows.push(("headcount", just(hc.unwrap_or_default())));
            rows.push((
                "attendee",
                with_others(lang, names(vault, lang, &n.attendees), n.others),
            ));
            rows.push(("org", names(vault, lang, &n.orgs)));
            rows.push(("campaign", opt(&n.campaign)));
            rows.push(("body", just(n.body.clone())));
            let mut fus = Vec::new();
            for (i, f) in n.follow_ups.iter().enumerate() {
                let mark = if f.done { "[x]" } else { "[ ]" };
                fus.push(Span::plain(format!("\n  {}. {mark} {}", i + 1, f.task)));
                if let Some(w) = &f.who {
                    fus.push(Span::plain(" — "));
                    fus.push(Span::of(vault, lang, w));
                }
                if let Some(due) = f.due {
                    let due = t!(lang, "due-on", date = date(lang, due));
                    fus.push(Span::plain(format!(" — {due}")));
                }
            }
            rows.push(("follow-up", fus));
        }
    }
    rows.into_iter()
        .filter(|(_, v)| v.iter().any(|s| !s.text.is_empty()))
        .map(|(field, mut value)| {
            let contact = matches!(field, "phone" | "signal" | "email");
            for s in &mut value {
                s.contact = contact;
            }
            (field, value, contact)
        })
        .map(|(field, value, contact)| Row {
            field,
            label: field_label(lang, field),
            value,
            contact,
            flag: match (rec, field) {
                (Record::Org(o), "immigrant-led") => Some(o.immigrant_led),
                // Consent has three states (not asked, yes, no): its value
                // says which, in words.
                (Record::Person(p), "sensitive") => Some(p.sensitive),
                _ => None,
            },
            items: match (rec, field) {
                (Record::Note(n), "follow-up") => n
                    .follow_ups
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
        .collect()
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
