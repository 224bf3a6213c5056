//! Forms: which fields the app shows for each kind, and saving a whole form.
//!
//! A form is a list of `(field, value)` pairs read by `Record::set`, the same
//! parser the CLI uses, so the app and the CLI accept exactly the same values.
//! List fields appear once per item and replace the whole list.

use super::*;
use serde::Serialize;

pub use super::fields::Input;

/// A field of a form, as the table describes it.
#[derive(Clone, Copy, Debug, Serialize)]
pub struct FormField {
    pub name: &'static str,
    pub input: Input,
    pub required: bool,
    /// The Fluent id of its label.
    #[serde(skip)]
    pub label: &'static str,
    /// A way to reach a person: masked in meeting mode.
    pub contact: bool,
    /// Names a person: masked in meeting mode when that person is sensitive.
    pub identifying: bool,
}

/// The fields of `kind`'s form, in order (the field table's `form` list).
pub fn form(kind: Kind) -> Vec<FormField> {
    fields::table(kind)
        .form_rows()
        .filter_map(|f| {
            Some(FormField {
                name: f.name,
                input: f.input?,
                required: f.required,
                label: f.label,
                contact: f.contact,
                identifying: f.identifying,
            })
        })
        .collect()
}

/// A record's current values as form pairs (what the form starts with).
pub fn values(record: &Record) -> Vec<(&'static str, String)> {
    let table = fields::table(record.kind());
    table
        .form_rows()
        .flat_map(|f| {
            let texts = (f.get)(record).form_texts();
            texts.into_iter().map(move |v| (f.name, v))
        })
        .collect()
}

impl Record {
    /// Applies a whole form: every list field named in `kind`'s form is
    /// replaced by the items given (none given = emptied); other fields are
    /// set in order. A person keeps the role of an organization still listed.
    pub fn apply_form(
        &mut self,
        pairs: &[(String, String)],
        today: NaiveDate,
    ) -> Result<(), FieldError> {
        let roles: Vec<Membership> = match self {
            Record::Person(p) => std::mem::take(&mut p.orgs),
            _ => Vec::new(),
        };
        let form = form(self.kind());
        let table = fields::table(self.kind());
        for f in form.iter().filter_map(|f| table.find(f.name)) {
            if let Some(clear) = f.clear {
                clear(self);
            }
        }
        for (field, value) in pairs {
            let Some(f) = form.iter().find(|f| f.name == field) else {
                return Err(FieldError::new(field, Problem::UnknownField));
            };
            let is_list = matches!(f.input, Input::Links(_) | Input::Texts | Input::FollowUps);
            if is_list && value.trim().is_empty() {
                continue;
            }
            let value = match (&*self, field.as_str()) {
                (Record::Person(_), "org") if !value.contains(':') => {
                    let role = roles
                        .iter()
                        .find(|m| m.org.as_str() == value.trim())
                        .map(|m| m.role.as_str());
                    match role {
                        Some(r) if !r.is_empty() => format!("{}:{r}", value.trim()),
                        _ => value.clone(),
                    }
                }
                _ => value.clone(),
            };
            self.set(field, &value, today)?;
        }
        Ok(())
    }
}
