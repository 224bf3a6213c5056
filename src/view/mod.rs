//! Records as a person reads them, in their language: the one place that
//! decides what a list line, a detail screen and the home screen say.
//!
//! The CLI prints these; the desktop app receives them as JSON and renders
//! them as text. Neither formats a date, a count or a label itself.
//!
//! A value that names other records is a list of [`Span`]s, not a sentence:
//! each span says which record it names and whether it is sensitive or
//! contact data, so the app can link it and mask it in meeting mode by that
//! flag. Ids never appear in a span's text; only the CLI writes them.
//!
//! One file per screen or part of one: `records` (list lines, details,
//! a record as JSON), `home`, `forms`, `handoff` (export and import
//! summaries), `conflicts`, `log` (the audit log) and `stewards`. Everything
//! is re-exported here, so callers write `view::details`. This layer sits
//! above the vault and handoff and below the shells; it does not change
//! anything.

mod conflicts;
mod forms;
mod handoff;
mod home;
mod log;
mod records;
mod stewards;

pub use conflicts::*;
pub use forms::*;
pub use handoff::*;
pub use home::*;
pub use log::*;
pub use records::*;
pub use stewards::*;

use crate::i18n::Lang;
use crate::model::{Id, Record};
use crate::t;
use crate::vault::Vault;
use serde::Serialize;

/// A piece of a value: text, and the record it names, if it names one.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Span {
    pub text: String,
    /// The record this text names (its title, or "deleted record").
    pub id: Option<Id>,
    /// Names a person marked sensitive: masked in meeting mode.
    pub sensitive: bool,
    /// Contact details (phone, Signal, email): masked in meeting mode.
    pub contact: bool,
    /// `id` names a record that is no longer in the vault.
    pub deleted: bool,
}

impl Span {
    /// Text that names no record.
    pub fn plain(text: impl Into<String>) -> Span {
        Span {
            text: text.into(),
            id: None,
            sensitive: false,
            contact: false,
            deleted: false,
        }
    }

    /// The record `id`, by its title (or as deleted).
    pub fn of(vault: &Vault, lang: Lang, id: &Id) -> Span {
        match vault.get(id) {
            Ok(r) => Span {
                text: r.title().to_string(),
                id: Some(id.clone()),
                sensitive: matches!(r, Record::Person(p) if p.sensitive),
                contact: false,
                deleted: false,
            },
            Err(_) => Span {
                text: t!(lang, "ui-deleted-record"),
                id: Some(id.clone()),
                sensitive: false,
                contact: false,
                deleted: true,
            },
        }
    }
}

/// The text of `spans`, as a person reads it (no ids).
pub fn plain_text(spans: &[Span]) -> String {
    spans.iter().map(|s| s.text.as_str()).collect()
}

/// `text` as one span, or none when it is empty.
fn just(text: String) -> Vec<Span> {
    if text.is_empty() {
        Vec::new()
    } else {
        vec![Span::plain(text)]
    }
}

pub fn yes_no(lang: Lang, b: bool) -> String {
    if b {
        t!(lang, "yes")
    } else {
        t!(lang, "no")
    }
}
