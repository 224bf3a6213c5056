//! Records as text in the user's language, or as JSON.

use crate::Out;
use aqui::error::{field_label, kind_label};
use aqui::i18n::{date, number, text};
use aqui::model::{Kind, Record};
use aqui::{t, Id, Lang, Vault};
use serde_json::{json, Value};

/// A confirmation: the sentence, or `{"message": …}` with `--json`.
pub fn done(out: &mut Out, message: String) {
    if out.json {
        out.json(&json!({ "message": message }));
    } else {
        out.line(message);
    }
}

/// A record as JSON: `id`, `kind`, its fields, `created`, `updated`, and
/// what is derived (a pledge drive's progress, a campaign's items).
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
            }
            Record::Campaign(_) => {
                for kind in [Kind::Demand, Kind::Pledge, Kind::Note] {
                    let ids: Vec<&Id> = vault
                        .campaign_items(id)
                        .into_iter()
                        .filter(|(i, _)| i.kind() == kind)
                        .map(|(i, _)| i)
                        .collect();
                    map.insert(format!("{}s", kind.as_str()), json!(ids));
                }
            }
            _ => {}
        }
    }
    v
}

fn yes_no(lang: Lang, b: bool) -> String {
    if b {
        t!(lang, "yes")
    } else {
        t!(lang, "no")
    }
}

/// "Title (id)", or the id marked as deleted.
fn name_of(vault: &Vault, lang: Lang, id: &Id) -> String {
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

/// One line of a list: id, name, and what tells it apart.
fn summary(vault: &Vault, lang: Lang, record: &Record) -> String {
    match record {
        Record::Org(o) => {
            let mut s = text(lang, &o.kind.message_id());
            if o.immigrant_led {
                s = format!("{s}, {}", t!(lang, "immigrant-led"));
            }
            s
        }
        Record::Person(p) => {
            let orgs: Vec<&str> = p
                .orgs
                .iter()
                .filter_map(|m| vault.get(&m.org).ok().map(Record::title))
                .collect();
            let mut parts = vec![];
            if !p.alias.is_empty() {
                parts.push(format!("“{}”", p.alias));
            }
            parts.extend(orgs.iter().map(|s| s.to_string()));
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

/// A list of records, or a note that there are none.
pub fn list(out: &mut Out, vault: &Vault, items: Vec<(&Id, &Record)>, kind: Option<Kind>) {
    let lang = out.lang;
    if out.json {
        let all: Vec<Value> = items.iter().map(|(id, _)| record_json(vault, id)).collect();
        out.json(&Value::Array(all));
        return;
    }
    if items.is_empty() {
        out.line(match kind {
            Some(k) => t!(lang, "list-empty", kind = kind_label(lang, k)),
            None => t!(lang, "search-empty"),
        });
        return;
    }
    for (id, r) in items {
        let label = if kind.is_none() {
            format!("[{}] ", kind_label(lang, id.kind()))
        } else {
            String::new()
        };
        out.line(format!(
            "{id}  {label}{}  — {}",
            r.title(),
            summary(vault, lang, r)
        ));
    }
}

/// Every field of a record, labelled.
pub fn record(out: &mut Out, vault: &Vault, id: &Id) {
    if out.json {
        out.json(&record_json(vault, id));
        return;
    }
    let lang = out.lang;
    let Ok(rec) = vault.get(id) else { return };
    out.line(format!("{} · {id}", kind_label(lang, id.kind())));
    let mut rows: Vec<(&str, String)> = Vec::new();
    let d = |x: Option<chrono::NaiveDate>| x.map(|x| date(lang, x)).unwrap_or_default();
    let opt = |x: &Option<Id>| {
        x.as_ref()
            .map(|i| name_of(vault, lang, i))
            .unwrap_or_default()
    };
    match rec {
        Record::Org(o) => {
            rows.push(("name", o.name.clone()));
            rows.push(("org-kind", text(lang, &o.kind.message_id())));
            rows.push(("immigrant-led", yes_no(lang, o.immigrant_led)));
            rows.push(("language", o.languages.join(", ")));
            rows.push(("region", o.region.clone()));
            rows.push(("relationship", text(lang, &o.relationship.message_id())));
            rows.push(("contact", opt(&o.contact)));
        }
        Record::Person(p) => {
            rows.push(("name", p.name.clone()));
            rows.push(("alias", p.alias.clone()));
            let l = p
                .lang
                .map(|l| text(lang, &format!("lang-{}", l.as_str())))
                .unwrap_or_default();
            rows.push(("lang", l));
            rows.push(("phone", p.phone.clone()));
            rows.push(("signal", p.signal.clone()));
            rows.push(("email", p.email.clone()));
            let orgs: Vec<String> = p
                .orgs
                .iter()
                .map(|m| match m.role.as_str() {
                    "" => name_of(vault, lang, &m.org),
                    role => format!("{} — {role}", name_of(vault, lang, &m.org)),
                })
                .collect();
            rows.push(("org", orgs.join("; ")));
            rows.push(("tag", p.tags.join(", ")));
            rows.push(("consent-contact", yes_no(lang, p.consent_contact)));
            rows.push(("consent-share", yes_no(lang, p.consent_share)));
            rows.push(("sensitive", yes_no(lang, p.sensitive)));
            rows.push(("last-contact", d(p.last_contact)));
            rows.push(("next-follow-up", d(p.next_follow_up)));
        }
        Record::Demand(dm) => {
            rows.push(("title", dm.title.clone()));
            rows.push(("target", dm.target.clone()));
            rows.push(("jurisdiction", dm.jurisdiction.clone()));
            rows.push(("status", text(lang, &dm.status.message_id())));
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
            rows.push(("history", hist.join(" → ")));
            rows.push(("partner", names(vault, lang, &dm.partners)));
            rows.push(("lead", opt(&dm.lead)));
            rows.push(("campaign", opt(&dm.campaign)));
        }
        Record::Campaign(c) => {
            rows.push(("name", c.name.clone()));
            rows.push(("description", c.description.clone()));
            rows.push(("partner", names(vault, lang, &c.partners)));
            for (kind, field) in [
                (Kind::Demand, "demands"),
                (Kind::Pledge, "pledges"),
                (Kind::Note, "notes"),
            ] {
                let ids: Vec<Id> = vault
                    .campaign_items(id)
                    .into_iter()
                    .filter(|(i, _)| i.kind() == kind)
                    .map(|(i, _)| i.clone())
                    .collect();
                rows.push((field, names(vault, lang, &ids)));
            }
        }
        Record::Pledge(p) => {
            rows.push(("title", p.title.clone()));
            rows.push(("goal", number(lang, u64::from(p.goal))));
            rows.push(("progress", number(lang, p.progress())));
            let left = t!(lang, "days-left", days = p.days_left(aqui::model::today()));
            rows.push(("deadline", format!("{} ({left})", date(lang, p.deadline))));
            rows.push(("paper-count", number(lang, u64::from(p.paper_count))));
            rows.push(("signer", names(vault, lang, &p.signers)));
            rows.push(("campaign", opt(&p.campaign)));
        }
        Record::Note(n) => {
            rows.push(("title", n.title.clone()));
            rows.push(("note-kind", text(lang, &n.kind.message_id())));
            rows.push(("date", date(lang, n.date)));
            rows.push(("attendee", names(vault, lang, &n.attendees)));
            rows.push(("org", names(vault, lang, &n.orgs)));
            rows.push(("campaign", opt(&n.campaign)));
            rows.push(("body", n.body.clone()));
            let fus: Vec<String> = n
                .follow_ups
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
                .collect();
            rows.push(("follow-up", fus.concat()));
        }
    }
    for (field, value) in rows {
        if !value.is_empty() {
            out.line(format!("{}: {value}", field_label(lang, field)));
        }
    }
}
