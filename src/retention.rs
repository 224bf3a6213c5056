//! Retention that keeps the totals: rules (each off by default) that, once
//! records pass an age, remove the identities and text while keeping what
//! reports count; a hold that pauses every purge; the purge itself.
//!
//! - `note-body`: a note older than the age loses its title, body and
//!   follow-up tasks (kept: date, kind, headcount, follow-ups as done/open).
//! - `note-attendees`: a note older than the age loses its attendee list,
//!   which becomes its headcount (if it had none).
//! - `inactive-person`: a person with no activity (no note attended, no
//!   follow-up, no signature, no edit, no contact) for the age loses name,
//!   alias, contact details, tags, organizations and follow-up dates; the
//!   record stays (`purged`), so every total of the past still counts them
//!   (new people per period, by language, signers per drive).
//! - `log`: an audit log entry older than the age loses who it named.
//!
//! Purged data is shredded, not only unlinked: the last step of a purge,
//! [`shred`], re-seals the vault under a new data key.

pub use crate::model::policy::{Age, Hold, Policy, Rule, Unit};
use crate::model::{Id, Kind, Record};
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
        // The last day each person did something.
        let mut last: std::collections::HashMap<&Id, NaiveDate> = Default::default();
        for (id, e) in vault.entries() {
            let Some(r) = &e.record else { continue };
            let updated = e.meta.updated.date_naive();
            match r {
                Record::Person(p) => {
                    let mut d = updated;
                    if let Some(c) = p.last_contact {
                        d = d.max(c);
                    }
                    let x = last.entry(id).or_insert(d);
                    *x = (*x).max(d);
                }
                Record::Note(n) => {
                    let who = n.follow_ups.iter().filter_map(|f| f.who.as_ref());
                    for p in n.attendees.iter().chain(who) {
                        let x = last.entry(p).or_insert(n.date);
                        *x = (*x).max(n.date);
                    }
                }
                Record::Pledge(pl) => {
                    for s in &pl.signers {
                        let x = last.entry(s).or_insert(updated);
                        *x = (*x).max(updated);
                    }
                }
                _ => {}
            }
        }
        for (id, r) in vault.list(Kind::Person) {
            let Record::Person(p) = r else { continue };
            if p.purged || last.get(id).is_some_and(|d| *d >= cut) {
                continue;
            }
            let mut p2 = p.clone();
            p2.name.clear();
            p2.alias.clear();
            p2.phone.clear();
            p2.signal.clear();
            p2.email.clear();
            p2.orgs.clear();
            p2.tags.clear();
            p2.last_contact = None;
            p2.next_follow_up = None;
            // The sensitive mark stays: it is what keeps this person's id
            // out of every handoff (in attendee lists, signers, collectors)
            // to stewards who may still know the name.
            p2.consent.contact = p2.consent.contact.map(|mut m| {
                m.recorder = None;
                m
            });
            p2.consent.share = p2.consent.share.map(|mut m| {
                m.recorder = None;
                m
            });
            for e in &mut p2.consent.history {
                e.recorder = None;
            }
            p2.purged = true;
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
}
