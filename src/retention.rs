//! Retention that keeps the totals: rules (each off by default) that, once
//! records pass an age, remove the identities and text while keeping what
//! reports count; a hold that pauses every purge; the purge itself.
//!
//! - `note-body`: a note older than the age loses its title, body and
//!   follow-up tasks (kept: date, kind, headcount, follow-ups as done/open).
//! - `note-attendees`: a note older than the age loses its attendee list,
//!   which becomes its headcount (if it had none).
//! - `inactive-person`: a person with no activity (no note attended, no
//!   follow-up, no signature, no edit, no contact, and no organization,
//!   demand or pledge drive naming them as its contact, lead or collector
//!   touched) for the age loses every
//!   field but language, consent answers (not who recorded them) and the
//!   sensitive mark: name, alias, contact details, tags, organizations and
//!   follow-up dates among them; the record stays (`purged`), so every total
//!   of the past still counts them (new people per period, by language,
//!   signers per drive).
//! - `log`: an audit log entry older than the age loses who it named.
//!
//! Purged data is shredded, not only unlinked: the last step of a purge,
//! [`shred`], re-seals the vault under a new data key.

pub use crate::model::policy::{Age, Hold, Policy, Rule, Unit};
use crate::model::{Id, Kind, Person, Record};
use crate::vault::{Error as VaultError, Passphrase, Vault};
use chrono::NaiveDate;
use serde::Serialize;

/// What a purge would remove, by kind (what is shown before it runs).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Default)]
pub struct Counts {
    pub note_bodies: usize,
    pub note_attendees: usize,
    pub people: usize,
    pub log_entries: usize,
}

impl Counts {
    pub fn is_empty(&self) -> bool {
        self.note_bodies + self.note_attendees + self.people + self.log_entries == 0
    }
}

/// A purge worked out: the counts, and the rewritten records and log entries.
pub struct Plan {
    pub counts: Counts,
    pub held: bool,
    records: Vec<(Id, Record)>,
    logs: Vec<(usize, crate::model::ledger::LogEntry)>,
}

/// What marks a note whose text was purged.
pub const PURGED_TITLE: &str = "—";

/// Works out what the rules remove today (nothing under a hold is removed,
/// but the counts are still shown).
pub fn plan(vault: &Vault, today: NaiveDate) -> Plan {
    let policy = vault.retention();
    let mut counts = Counts::default();
    let mut records: Vec<(Id, Record)> = Vec::new();
    if !policy.any_rule() {
        // Nothing to work out (this runs at every unlock in the app).
        return Plan {
            counts,
            held: policy.hold.is_some(),
            records,
            logs: Vec::new(),
        };
    }

    // Notes.
    let body = policy.note_body.map(|a| a.cutoff(today));
    let attendees = policy.note_attendees.map(|a| a.cutoff(today));
    for (id, r) in vault.list(Kind::Note) {
        let Record::Note(n) = r else { continue };
        let old_enough = |c: Option<NaiveDate>| c.is_some_and(|c| n.date < c);
        if !old_enough(body) && !old_enough(attendees) {
            continue;
        }
        let mut n2 = n.clone();
        if body.is_some_and(|c| n.date < c)
            && !(n.title == PURGED_TITLE
                && n.body.is_empty()
                && n.follow_ups
                    .iter()
                    .all(|f| f.task == PURGED_TITLE && f.who.is_none()))
        {
            n2.title = PURGED_TITLE.into();
            n2.body.clear();
            for f in &mut n2.follow_ups {
                f.task = PURGED_TITLE.into();
                f.who = None;
            }
            counts.note_bodies += 1;
        }
        if attendees.is_some_and(|c| n.date < c) && !n.attendees.is_empty() {
            n2.headcount = Some(u32::try_from(n.attendance()).unwrap_or(u32::MAX));
            n2.attendees.clear();
            counts.note_attendees += 1;
        }
        if &n2 != n {
            records.push((id.clone(), Record::Note(n2)));
        }
    }

    // People with no activity since the cutoff.
    if let Some(cut) = policy.inactive_person.map(|a| a.cutoff(today)) {
        // The last day each person did something, or a record naming them
        // in a role (an organization's contact, a demand's lead, a paper
        // batch's collector, a signer) was touched.
        let mut last: std::collections::HashMap<&Id, NaiveDate> = Default::default();
        let mut seen = |id, d: NaiveDate| {
            let x = last.entry(id).or_insert(d);
            *x = (*x).max(d);
        };
        for (id, e) in vault.entries() {
            let Some(r) = &e.record else { continue };
            let updated = e.meta.updated.date_naive();
            match r {
                Record::Person(p) => seen(id, p.last_contact.map_or(updated, |c| updated.max(c))),
                Record::Note(n) => {
                    let who = n.follow_ups.iter().filter_map(|f| f.who.as_ref());
                    for p in n.attendees.iter().chain(who) {
                        seen(p, n.date);
                    }
                }
                Record::Pledge(pl) => {
                    for p in &pl.signers {
                        seen(p, updated);
                    }
                    for b in &pl.batches {
                        if let Some(p) = &b.by {
                            seen(p, b.date.map_or(updated, |d| d.max(updated)));
                        }
                    }
                }
                Record::Org(o) => o.contact.iter().for_each(|p| seen(p, updated)),
                Record::Demand(d) => d.lead.iter().for_each(|p| seen(p, updated)),
                Record::Campaign(_) => {}
            }
        }
        for (id, r) in vault.list(Kind::Person) {
            let Record::Person(p) = r else { continue };
            if p.purged || last.get(id).is_some_and(|d| *d >= cut) {
                continue;
            }
            let p2 = purged(p);
            counts.people += 1;
            records.push((id.clone(), Record::Person(p2)));
        }
    }

    // Audit log entries.
    let mut logs = Vec::new();
    if let Some(cut) = policy.log.map(|a| a.cutoff(today)) {
        for (i, e) in vault.log().iter().enumerate() {
            if e.time.date_naive() < cut && !e.peers.is_empty() {
                let mut e2 = e.clone();
                e2.peers.clear();
                logs.push((i, e2));
                counts.log_entries += 1;
            }
        }
    }

    Plan {
        counts,
        held: policy.hold.is_some(),
        records,
        logs,
    }
}

/// What the `inactive-person` rule leaves of a person: what reports count
/// (language, consent answers without who recorded them) and the sensitive
/// mark. Every other field goes back to its default, so a field added to
/// `Person` later is purged without being named here.
fn purged(p: &Person) -> Person {
    let mut consent = p.consent.clone();
    for mark in [&mut consent.contact, &mut consent.share]
        .into_iter()
        .flatten()
    {
        mark.recorder = None;
    }
    for e in &mut consent.history {
        e.recorder = None;
    }
    Person {
        lang: p.lang,
        consent_contact: p.consent_contact,
        consent_share: p.consent_share,
        consent,
        // The sensitive mark stays: it is what keeps this person's id out
        // of every handoff (in attendee lists, signers, collectors) to
        // stewards who may still know the name.
        sensitive: p.sensitive,
        purged: true,
        ..Person::default()
    }
}

/// Why a purge did not run.
#[derive(Debug, thiserror::Error)]
pub enum PurgeError {
    #[error("a hold is on")]
    Held,
    #[error(transparent)]
    Vault(#[from] VaultError),
}

/// Runs the purge: checks the passphrase, refuses under a hold, rewrites the
/// records and log entries, and shreds what they held (see
/// `Vault::commit_purge`).
pub fn purge(vault: &mut Vault, pass: &Passphrase, today: NaiveDate) -> Result<Counts, PurgeError> {
    vault.check_passphrase(pass)?;
    let p = plan(vault, today);
    if p.held {
        return Err(PurgeError::Held);
    }
    let counts = p.counts.clone();
    if counts.is_empty() {
        if vault.retention().shred_pending {
            // Nothing new to remove: only finish shredding what was.
            vault.commit_purge(Vec::new(), Vec::new(), pass)?;
        }
        return Ok(counts);
    }
    // Shredded, not only unlinked: `commit_purge` re-keys the vault, so the
    // purged text sled may still hold in its old files can no longer be read.
    vault.commit_purge(p.records, p.logs, pass)?;
    Ok(counts)
}

/// Turns the hold on (with a reason) or off.
pub fn set_hold(
    vault: &mut Vault,
    on: bool,
    reason: &str,
    today: NaiveDate,
) -> Result<(), VaultError> {
    let mut p = vault.retention().clone();
    p.hold = on.then(|| Hold {
        since: today,
        reason: reason
            .trim()
            .chars()
            .take(crate::model::limits::SHORT)
            .collect(),
    });
    vault.set_retention(p)
}

/// Sets one rule (`None`: off).
pub fn set_rule(vault: &mut Vault, rule: Rule, age: Option<Age>) -> Result<(), VaultError> {
    let mut p = vault.retention().clone();
    p.set(rule, age);
    vault.set_retention(p)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ages_parse() {
        let d = NaiveDate::from_ymd_opt(2026, 12, 1).unwrap();
        assert_eq!(
            Age::parse("90d").unwrap().cutoff(d).to_string(),
            "2026-09-02"
        );
        assert_eq!(
            Age::parse("6m").unwrap().cutoff(d).to_string(),
            "2026-06-01"
        );
        assert_eq!(
            Age::parse("2Y").unwrap().cutoff(d).to_string(),
            "2024-12-01"
        );
        for bad in ["", "d", "0d", "12", "3w", "-1m", "99999y"] {
            assert!(Age::parse(bad).is_none(), "{bad}");
        }
        assert_eq!(Age::parse("6m").unwrap().as_text(), "6m");
    }

    /// A purged person keeps only what reports count. The person below sets
    /// every field (no `..Default::default()`), so a field added to `Person`
    /// has to be given a value here, and this then fails unless the purge
    /// removes it or it is named in `KEPT` (which no field the field table
    /// marks as naming or reaching a person may be). Nothing kept says who
    /// recorded a consent.
    #[test]
    fn a_purged_person_keeps_no_field_that_names_or_reaches_them() {
        use crate::model::fields::table;
        use crate::model::{Consent, ConsentEvent, ConsentMark, ConsentTopic, Membership};
        use crate::model::{ConsentHow, ConsentState};
        // What is kept, by stored key.
        const KEPT: [&str; 6] = [
            "lang",
            "consent_contact",
            "consent_share",
            "consent",
            "sensitive",
            "purged",
        ];
        let day = NaiveDate::from_ymd_opt(2024, 3, 1).unwrap();
        let steward = Id::new(Kind::Person);
        let mark = ConsentMark {
            date: day,
            how: Some(ConsentHow::Paper),
            lang: Some(crate::Lang::Es),
            recorder: Some(steward.clone()),
        };
        let before = Person {
            name: "Ana Vidal".into(),
            alias: "Chela".into(),
            lang: Some(crate::Lang::Es),
            phone: "+1 555 0100".into(),
            signal: "ana.01".into(),
            email: "ana@example.org".into(),
            orgs: vec![Membership {
                org: Id::new(Kind::Org),
                role: "vocera".into(),
            }],
            tags: vec!["vecina".into()],
            consent_contact: ConsentState::Yes,
            consent_share: ConsentState::No,
            consent: Box::new(Consent {
                contact: Some(mark.clone()),
                share: Some(mark),
                before_records: true,
                history: vec![ConsentEvent {
                    date: day,
                    topic: ConsentTopic::Contact,
                    state: ConsentState::Yes,
                    how: Some(ConsentHow::Paper),
                    lang: Some(crate::Lang::Es),
                    recorder: Some(steward.clone()),
                }],
            }),
            sensitive: true,
            last_contact: Some(day),
            next_follow_up: Some(day),
            purged: false,
        };
        let after = purged(&before);
        assert!(after.purged);

        let (was, is) = (Record::Person(before), Record::Person(after.clone()));
        for row in table(Kind::Person).rows {
            let (was, is) = ((row.get)(&was), (row.get)(&is));
            if KEPT.contains(&row.key) {
                assert!(!row.identifying && !row.contact, "{} is kept", row.name);
                assert_eq!(was.form_texts(), is.form_texts(), "{}", row.name);
            } else {
                let left = is.form_texts();
                assert!(left.iter().all(String::is_empty), "{}: {left:?}", row.name);
            }
        }
        // Every stored field but the kept ones as in a new person, and no
        // one's id left in what is kept.
        let after = serde_json::to_value(&after).unwrap();
        let blank = serde_json::to_value(Person::default()).unwrap();
        for (key, value) in after.as_object().unwrap() {
            if !KEPT.contains(&key.as_str()) {
                assert_eq!(value, &blank[key], "{key} is left");
            }
        }
        assert!(!after.to_string().contains(steward.as_str()), "{after}");
    }
}
