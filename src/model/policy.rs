//! Retention rules and the hold, as the vault stores them (the purge
//! itself is `crate::retention`).

use chrono::{Months, NaiveDate};
use serde::{Deserialize, Serialize};

/// An age: `90d`, `6m`, `2y`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Age {
    pub n: u32,
    pub unit: Unit,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Unit {
    Days,
    Months,
    Years,
}

impl Age {
    pub fn parse(s: &str) -> Option<Age> {
        let s = s.trim().to_lowercase();
        let (num, unit) = s.split_at(s.len().checked_sub(1)?);
        let n: u32 = num.parse().ok().filter(|n| (1..=1200).contains(n))?;
        let unit = match unit {
            "d" => Unit::Days,
            "m" => Unit::Months,
            "y" => Unit::Years,
            _ => return None,
        };
        Some(Age { n, unit })
    }

    pub fn as_text(&self) -> String {
        let u = match self.unit {
            Unit::Days => 'd',
            Unit::Months => 'm',
            Unit::Years => 'y',
        };
        format!("{}{u}", self.n)
    }

    /// The day before which something is older than this age.
    pub fn cutoff(&self, today: NaiveDate) -> NaiveDate {
        let back = match self.unit {
            Unit::Days => today.checked_sub_signed(chrono::Duration::days(i64::from(self.n))),
            Unit::Months => today.checked_sub_months(Months::new(self.n)),
            Unit::Years => today.checked_sub_months(Months::new(self.n.saturating_mul(12))),
        };
        back.unwrap_or(NaiveDate::MIN)
    }
}

/// Which rule.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Rule {
    NoteBody,
    NoteAttendees,
    InactivePerson,
    Log,
}

impl Rule {
    pub const ALL: [Rule; 4] = [
        Rule::NoteBody,
        Rule::NoteAttendees,
        Rule::InactivePerson,
        Rule::Log,
    ];

    pub fn parse(s: &str) -> Option<Rule> {
        Rule::ALL.into_iter().find(|r| r.as_str() == s.trim())
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Rule::NoteBody => "note-body",
            Rule::NoteAttendees => "note-attendees",
            Rule::InactivePerson => "inactive-person",
            Rule::Log => "log",
        }
    }
}

/// A hold: every purge waits (a legal demand arrived).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Hold {
    pub since: NaiveDate,
    #[serde(default)]
    pub reason: String,
}

/// The rules and the hold, kept sealed in the vault.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(default)]
pub struct Policy {
    pub note_body: Option<Age>,
    pub note_attendees: Option<Age>,
    pub inactive_person: Option<Age>,
    pub log: Option<Age>,
    pub hold: Option<Hold>,
    /// A purge whose records were rewritten but whose shredding (the re-key)
    /// did not finish: the next purge, or the next unlock in the app,
    /// finishes it. Written with the purged records, in one batch.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub shred_pending: bool,
}

impl Policy {
    pub fn get(&self, rule: Rule) -> Option<Age> {
        match rule {
            Rule::NoteBody => self.note_body,
            Rule::NoteAttendees => self.note_attendees,
            Rule::InactivePerson => self.inactive_person,
            Rule::Log => self.log,
        }
    }

    pub fn set(&mut self, rule: Rule, age: Option<Age>) {
        match rule {
            Rule::NoteBody => self.note_body = age,
            Rule::NoteAttendees => self.note_attendees = age,
            Rule::InactivePerson => self.inactive_person = age,
            Rule::Log => self.log = age,
        }
    }

    pub fn any_rule(&self) -> bool {
        Rule::ALL.iter().any(|r| self.get(*r).is_some())
    }
}
