//! Forms: which fields the app shows for each kind, and saving a whole form.
//!
//! A form is a list of `(field, value)` pairs read by `Record::set`, the same
//! parser the CLI uses, so the app and the CLI accept exactly the same values.
//! List fields appear once per item and replace the whole list.

use super::*;
use serde::Serialize;

/// How a field is edited.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case", tag = "type", content = "of")]
pub enum Input {
    Text,
    LongText,
    Phone,
    Email,
    Date,
    Number,
    YesNo,
    /// One of a closed set (`view::choices` has the options).
    Choice(&'static str),
    /// A link to one record of a kind.
    Link(Kind),
    /// Links to several records of a kind.
    Links(Kind),
    /// Several short texts (tags, languages).
    Texts,
    /// A note's follow-ups: `TASK|DUE|PERSON_ID|done` (`FollowUp::to_text`;
    /// the last three parts are fixed, so the task may contain `|`).
    FollowUps,
}

#[derive(Clone, Copy, Debug, Serialize)]
pub struct FormField {
    pub name: &'static str,
    pub input: Input,
    pub required: bool,
}

const fn f(name: &'static str, input: Input, required: bool) -> FormField {
    FormField {
        name,
        input,
        required,
    }
}

use Input::*;

const ORG: &[FormField] = &[
    f("name", Text, true),
    f("kind", Choice("org_kind"), false),
    f("immigrant-led", YesNo, false),
    f("region", Text, false),
    f("relationship", Choice("relationship"), false),
    f("language", Texts, false),
    f("contact", Link(Kind::Person), false),
    f("private", YesNo, false),
];
const PERSON: &[FormField] = &[
    f("name", Text, true),
    f("alias", Text, false),
    f("lang", Choice("lang"), false),
    f("phone", Phone, false),
    f("signal", Text, false),
    f("email", Email, false),
    f("org", Links(Kind::Org), false),
    f("tag", Texts, false),
    f("consent-contact", Choice("consent_state"), false),
    f("share", Choice("consent_state"), false),
    f("sensitive", YesNo, false),
    f("last-contact", Date, false),
    f("next-follow-up", Date, false),
];
const DEMAND: &[FormField] = &[
    f("title", Text, true),
    f("target", Text, true),
    f("jurisdiction", Text, false),
    f("status", Choice("status"), false),
    f("partner", Links(Kind::Org), false),
    f("lead", Link(Kind::Org), false),
    f("campaign", Link(Kind::Campaign), false),
];
const CAMPAIGN: &[FormField] = &[
    f("name", Text, true),
    f("description", LongText, false),
    f("partner", Links(Kind::Org), false),
];
const PLEDGE: &[FormField] = &[
    f("title", Text, true),
    f("goal", Number, true),
    f("deadline", Date, true),
    f("paper-count", Number, false),
    f("signer", Links(Kind::Person), false),
    f("campaign", Link(Kind::Campaign), false),
];
const NOTE: &[FormField] = &[
    f("title", Text, true),
    f("kind", Choice("note_kind"), false),
    f("date", Date, true),
    f("body", LongText, false),
    f("headcount", Number, false),
    f("attendee", Links(Kind::Person), false),
    f("org", Links(Kind::Org), false),
    f("follow-up", FollowUps, false),
    f("campaign", Link(Kind::Campaign), false),
];

/// The fields of `kind`'s form, in order.
pub fn form(kind: Kind) -> &'static [FormField] {
    match kind {
        Kind::Org => ORG,
        Kind::Person => PERSON,
        Kind::Demand => DEMAND,
        Kind::Campaign => CAMPAIGN,
        Kind::Pledge => PLEDGE,
        Kind::Note => NOTE,
    }
}

/// A record's current values as form pairs (what the form starts with).
pub fn values(record: &Record) -> Vec<(&'static str, String)> {
    let s = |x: &str| x.to_string();
    let yn = |b: bool| if b { s("yes") } else { s("no") };
    let d = |x: Option<NaiveDate>| x.map(|d| d.to_string()).unwrap_or_default();
    let id = |x: &Option<Id>| x.as_ref().map(|i| i.to_string()).unwrap_or_default();
    let mut out: Vec<(&'static str, String)> = Vec::new();
    match record {
        Record::Org(o) => {
            out.extend([
                ("name", s(&o.name)),
                ("kind", s(o.kind.as_str())),
                ("immigrant-led", yn(o.immigrant_led)),
            ]);
            out.extend([
                ("region", s(&o.region)),
                ("relationship", s(o.relationship.as_str())),
            ]);
            out.extend(o.languages.iter().map(|l| ("language", s(l))));
            out.push(("contact", id(&o.contact)));
            out.push(("private", yn(o.private)));
        }
        Record::Person(p) => {
            out.extend([("name", s(&p.name)), ("alias", s(&p.alias))]);
            out.push(("lang", p.lang.map(|l| s(l.as_str())).unwrap_or_default()));
            out.extend([
                ("phone", s(&p.phone)),
                ("signal", s(&p.signal)),
                ("email", s(&p.email)),
            ]);
            out.extend(p.orgs.iter().map(|m| ("org", m.org.to_string())));
            out.extend(p.tags.iter().map(|t| ("tag", s(t))));
            out.extend([
                ("consent-contact", s(p.consent_contact.as_str())),
                ("share", s(p.consent_share.as_str())),
            ]);
            out.extend([
                ("sensitive", yn(p.sensitive)),
                ("last-contact", d(p.last_contact)),
            ]);
            out.push(("next-follow-up", d(p.next_follow_up)));
        }
        Record::Demand(x) => {
            out.extend([
                ("title", s(&x.title)),
                ("target", s(&x.target)),
                ("jurisdiction", s(&x.jurisdiction)),
            ]);
            out.push(("status", s(x.status.as_str())));
            out.extend(x.partners.iter().map(|p| ("partner", p.to_string())));
            out.extend([("lead", id(&x.lead)), ("campaign", id(&x.campaign))]);
        }
        Record::Campaign(c) => {
            out.extend([("name", s(&c.name)), ("description", s(&c.description))]);
            out.extend(c.partners.iter().map(|p| ("partner", p.to_string())));
        }
        Record::Pledge(p) => {
            out.extend([
                ("title", s(&p.title)),
                ("goal", p.goal.to_string()),
                ("deadline", p.deadline.to_string()),
            ]);
            out.push(("paper-count", p.undated().to_string()));
            out.extend(p.signers.iter().map(|x| ("signer", x.to_string())));
            out.push(("campaign", id(&p.campaign)));
        }
        Record::Note(n) => {
            out.extend([
                ("title", s(&n.title)),
                ("kind", s(n.kind.as_str())),
                ("date", n.date.to_string()),
            ]);
            out.push(("body", s(&n.body)));
            let hc = n.headcount.map(|h| h.to_string()).unwrap_or_default();
            out.push(("headcount", hc));
            out.extend(n.attendees.iter().map(|a| ("attendee", a.to_string())));
            out.extend(n.orgs.iter().map(|o| ("org", o.to_string())));
            out.extend(n.follow_ups.iter().map(|fu| ("follow-up", fu.to_text())));
            out.push(("campaign", id(&n.campaign)));
        }
    }
    out
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
        match self {
            Record::Org(o) => o.languages.clear(),
            Record::Person(p) => p.tags.clear(),
            Record::Demand(d) => d.partners.clear(),
            Record::Campaign(c) => c.partners.clear(),
            Record::Pledge(p) => p.signers.clear(),
            Record::Note(n) => {
                n.attendees.clear();
                n.orgs.clear();
                n.follow_ups.clear();
            }
        }
        let known: Vec<&str> = form(self.kind()).iter().map(|f| f.name).collect();
        for (field, value) in pairs {
            if !known.contains(&field.as_str()) {
                return Err(FieldError::new(field, Problem::UnknownField));
            }
            let is_list = matches!(
                form(self.kind())
                    .iter()
                    .find(|f| f.name == field)
                    .map(|f| f.input),
                Some(Input::Links(_) | Input::Texts | Input::FollowUps)
            );
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
