//! Consent with a record: for each person, consent to be contacted and to be
//! shared with other stewards, each not asked / yes / no, with when, how, in
//! which language and (optionally) who recorded it; every change a dated event.
//!
//! People stored before consent records existed keep what they had (`true` /
//! `false` read as yes / no) and are marked `before_records`, so the app can
//! list them under "consent to confirm".

use super::{ConsentHow, ConsentState, Id, Person};
use crate::i18n::Lang;
use chrono::NaiveDate;
use serde::{Deserialize, Deserializer, Serialize};

/// Which consent.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ConsentTopic {
    Contact,
    Share,
}

/// The last recorded answer to one consent.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConsentMark {
    pub date: NaiveDate,
    #[serde(default)]
    pub how: Option<ConsentHow>,
    #[serde(default)]
    pub lang: Option<Lang>,
    /// The person (a steward, an organizer) who recorded it.
    #[serde(default)]
    pub recorder: Option<Id>,
}

/// One change, kept for good: no free text, only the facts.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConsentEvent {
    pub date: NaiveDate,
    pub topic: ConsentTopic,
    pub state: ConsentState,
    #[serde(default)]
    pub how: Option<ConsentHow>,
    #[serde(default)]
    pub lang: Option<Lang>,
    #[serde(default)]
    pub recorder: Option<Id>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(default)]
pub struct Consent {
    pub contact: Option<ConsentMark>,
    pub share: Option<ConsentMark>,
    /// Stored before consent records existed: the states are what the person
    /// had then, with no date or manner; to be confirmed.
    pub before_records: bool,
    /// Every change, oldest first.
    pub history: Vec<ConsentEvent>,
}

impl Consent {
    /// What a record stored before consent records existed reads as.
    pub fn before_records() -> Consent {
        Consent {
            before_records: true,
            ..Consent::default()
        }
    }

    /// `before_records`, as the person record holds it.
    pub fn before_records_boxed() -> Box<Consent> {
        Box::new(Consent::before_records())
    }
}

/// A consent answer as recorded in one go (the consent dialog, `aqui consent`).
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct ConsentChange {
    pub contact: Option<ConsentState>,
    pub share: Option<ConsentState>,
    pub how: Option<ConsentHow>,
    pub date: Option<NaiveDate>,
    pub lang: Option<Lang>,
    pub recorder: Option<Id>,
}

impl ConsentChange {
    /// Withdrawal: no to both, in one action.
    pub fn withdraw(date: NaiveDate) -> ConsentChange {
        ConsentChange {
            contact: Some(ConsentState::No),
            share: Some(ConsentState::No),
            date: Some(date),
            ..ConsentChange::default()
        }
    }
}

impl ConsentState {
    /// A consent typed as text: the state's name (`not-asked`, `yes`, `no`) or
    /// any yes/no word `parse_bool` knows (an empty value, a bare flag, is yes).
    pub fn from_text(v: &str) -> Option<ConsentState> {
        ConsentState::parse(v).or_else(|| {
            super::edit::parse_bool("consent", v)
                .ok()
                .map(ConsentState::from)
        })
    }

    pub fn is_yes(self) -> bool {
        self == ConsentState::Yes
    }
}

impl From<bool> for ConsentState {
    fn from(b: bool) -> ConsentState {
        if b {
            ConsentState::Yes
        } else {
            ConsentState::No
        }
    }
}

impl Person {
    /// Records a consent answer: each consent given is set, dated and kept in
    /// the history (a repeated answer is kept too: it is a confirmation).
    pub fn record_consent(&mut self, change: &ConsentChange, today: NaiveDate) {
        let date = change.date.unwrap_or(today);
        for (topic, state) in [
            (ConsentTopic::Contact, change.contact),
            (ConsentTopic::Share, change.share),
        ] {
            let Some(state) = state else { continue };
            let mark = ConsentMark {
                date,
                how: change.how,
                lang: change.lang,
                recorder: change.recorder.clone(),
            };
            match topic {
                ConsentTopic::Contact => {
                    self.consent_contact = state;
                    self.consent.contact = Some(mark);
                }
                ConsentTopic::Share => {
                    self.consent_share = state;
                    self.consent.share = Some(mark);
                }
            }
            self.consent.history.push(ConsentEvent {
                date,
                topic,
                state,
                how: change.how,
                lang: change.lang,
                recorder: change.recorder.clone(),
            });
            self.consent.before_records = false;
        }
    }

    /// Sets one consent from a form or a flag (`--consent-contact`,
    /// `--no-share`): recorded, dated today, only when it changes.
    pub fn set_consent(&mut self, topic: ConsentTopic, state: ConsentState, today: NaiveDate) {
        let now = match topic {
            ConsentTopic::Contact => self.consent_contact,
            ConsentTopic::Share => self.consent_share,
        };
        if now == state {
            return;
        }
        let mut change = ConsentChange::default();
        match topic {
            ConsentTopic::Contact => change.contact = Some(state),
            ConsentTopic::Share => change.share = Some(state),
        }
        self.record_consent(&change, today);
    }

    /// Whether this person may go into an export without being asked for:
    /// only a recorded yes to sharing.
    pub fn may_share(&self) -> bool {
        self.consent_share.is_yes()
    }

    /// Whether this person stays out of exports unless explicitly included,
    /// and why: see `held_back`.
    pub fn held_back(&self) -> Option<bool> {
        held_back(self.sensitive, self.may_share())
    }
}

/// Whether a person stays out of exports unless explicitly included, and
/// why (`true`: sensitive; `false`: no recorded yes to sharing — "not
/// asked" and "no" both hold a person back). The one place this rule
/// lives: exports, reference stripping and merges all ask here
/// (`handoff::held_back`), and the vault keeps the answer beside each
/// record, known without opening it (`Vault::held_back`).
pub fn held_back(sensitive: bool, may_share: bool) -> Option<bool> {
    match (sensitive, may_share) {
        (true, _) => Some(true),
        (false, false) => Some(false),
        (false, true) => None,
    }
}

/// Reads a consent state, or the `true`/`false` of records stored before
/// consent records existed.
pub(super) fn state_or_bool<'de, D: Deserializer<'de>>(d: D) -> Result<ConsentState, D::Error> {
    // No value is both, so the order does not change what is read; a state,
    // the usual case, is tried first (a failed try builds an error message:
    // twice per person record, when `Old` came first).
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum Wire {
        New(ConsentState),
        Old(bool),
    }
    Ok(match Wire::deserialize(d)? {
        Wire::Old(b) => ConsentState::from(b),
        Wire::New(s) => s,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Record;

    fn day(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn old_records_keep_their_consent_and_are_marked() {
        let old =
            r#"{"kind":"person","name":"María","consent_contact":true,"consent_share":false}"#;
        let Record::Person(p) = serde_json::from_str::<Record>(old).unwrap() else {
            panic!()
        };
        assert_eq!(p.consent_contact, ConsentState::Yes);
        assert_eq!(p.consent_share, ConsentState::No);
        assert!(p.consent.before_records);
        // one that never stored consent at all had the old default, yes
        let older = r#"{"kind":"person","name":"Ana"}"#;
        let Record::Person(p) = serde_json::from_str::<Record>(older).unwrap() else {
            panic!()
        };
        assert!(p.consent.before_records);
        // a new person round-trips, not asked and not marked
        let fresh = Person {
            name: "Luz".into(),
            ..Person::default()
        };
        let json = serde_json::to_string(&Record::Person(fresh.clone())).unwrap();
        let Record::Person(back) = serde_json::from_str::<Record>(&json).unwrap() else {
            panic!()
        };
        assert_eq!(back, fresh);
        assert_eq!(back.consent_share, ConsentState::NotAsked);
        assert!(!back.consent.before_records);
    }

    #[test]
    fn every_change_is_a_dated_event() {
        let mut p = Person::default();
        let change = ConsentChange {
            contact: Some(ConsentState::Yes),
            share: Some(ConsentState::Yes),
            how: Some(ConsentHow::Paper),
            date: Some(day("2026-10-02")),
            lang: Some(Lang::Es),
            recorder: None,
        };
        p.record_consent(&change, day("2026-11-01"));
        assert!(p.may_share());
        assert_eq!(p.consent.share.as_ref().unwrap().date, day("2026-10-02"));
        p.set_consent(ConsentTopic::Share, ConsentState::Yes, day("2026-11-02"));
        assert_eq!(p.consent.history.len(), 2, "no change, no event");
        p.record_consent(
            &ConsentChange::withdraw(day("2026-11-03")),
            day("2026-11-03"),
        );
        assert!(!p.may_share());
        assert_eq!(p.consent_contact, ConsentState::No);
        let last: Vec<_> = p.consent.history[2..]
            .iter()
            .map(|e| (e.topic, e.state, e.date))
            .collect();
        assert_eq!(
            last,
            vec![
                (ConsentTopic::Contact, ConsentState::No, day("2026-11-03")),
                (ConsentTopic::Share, ConsentState::No, day("2026-11-03")),
            ]
        );
    }
}
