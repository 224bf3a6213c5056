//! Printing what the core's `view` says, as text lines or JSON.

use crate::Out;
use aqui::error::kind_label;
use aqui::view::{self, record_json};
use aqui::{t, Id, Kind, Lang, Record, Vault};
use serde_json::{json, Value};

/// A confirmation: the sentence, or `{"message": …}` with `--json`.
pub fn done(out: &mut Out, message: String) {
    if out.json {
        out.json(&json!({ "message": message }));
    } else {
        out.line(message);
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
    for it in view::items(vault, lang, items) {
        let label = if kind.is_none() {
            format!("[{}] ", it.kind_label)
        } else {
            String::new()
        };
        out.line(format!("{}  {label}{}  — {}", it.id, it.title, it.summary));
    }
}

/// Every field of a record, labelled.
pub fn record(out: &mut Out, vault: &Vault, id: &Id) {
    if out.json {
        out.json(&record_json(vault, id));
        return;
    }
    let lang = out.lang;
    out.line(format!("{} · {id}", kind_label(lang, id.kind())));
    for row in view::details(vault, lang, id, aqui::model::today()) {
        out.line(format!("{}: {}", row.label, spans(lang, &row.value)));
    }
}

/// A value as the command line writes it: a record by its title and id,
/// "Title (id)", so it can be typed back (the app shows titles only).
pub fn spans(lang: Lang, spans: &[view::Span]) -> String {
    spans
        .iter()
        .map(|s| match &s.id {
            Some(id) if s.deleted => t!(lang, "deleted-ref", id = id.to_string()),
            Some(id) => format!("{} ({id})", s.text),
            None => s.text.clone(),
        })
        .collect()
}
