//! What the add and edit forms need: each kind's fields with their labels,
//! the closed sets of choices, a new record's defaults, and every message
//! the interface shows. The form's rules themselves are in `model::form`.

use crate::i18n::{text, Lang};
use crate::model::{Kind, Record};
use serde::Serialize;
use serde_json::{json, Value};

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
