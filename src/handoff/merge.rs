//! Merging records that arrive in a bundle with the ones already here.
//!
//! Every record carries a version vector (`Meta::clock`): how many edits each
//! copy of the vault has made to it. Comparing the two vectors tells whether
//! the incoming record is older than ours (nothing to do), newer (take it), or
//! was edited concurrently (a conflict: ours stays, theirs is kept beside it
//! for a person to resolve field by field). Deletions are tombstones with a
//! clock of their own, so they travel and merge like edits. Applying the same
//! bundle twice changes nothing the second time.
//!
//! Two rules keep a hostile file from hurting anyone (see
//! `docs/bundle-format.md`): protective fields never loosen silently (a
//! change that unmarks a sensitive person, widens consent or undeletes, or
//! any change to an existing record from a sender who is not a verified
//! steward, is held as a conflict for a person to decide); and a clock from
//! a file cannot claim edits it could not know of (`cap`).

use super::HeldChange;
use crate::model::ledger::{Checked, Conflict, Entry, Meta};
pub use crate::model::ledger::{Outcome, Tally};
use crate::model::{FieldError, Id, Kind};
use crate::vault::{Changes, Vault};
use chrono::Utc;
use std::borrow::Cow;
use std::collections::BTreeMap;

pub use crate::model::ledger::Clock;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Order {
    Same,
    /// Ours is older: theirs has every edit ours has, and more.
    Older,
    /// Ours is newer.
    Newer,
    Concurrent,
}

/// How `ours` relates to `theirs`.
pub fn compare(ours: &Clock, theirs: &Clock) -> Order {
    let (mut less, mut more) = (false, false);
    for dev in ours.keys().chain(theirs.keys()) {
        let a = ours.get(dev).copied().unwrap_or(0);
        let b = theirs.get(dev).copied().unwrap_or(0);
        less |= a < b;
        more |= a > b;
    }
    match (less, more) {
        (false, false) => Order::Same,
        (true, false) => Order::Older,
        (false, true) => Order::Newer,
        (true, true) => Order::Concurrent,
    }
}

/// The smallest clock that has seen both: one pass over the two sorted
/// clocks (inserting one into the other would be quadratic in their size).
pub fn join(a: &Clock, b: &Clock) -> Clock {
    let (mut a, mut b) = (a.iter().peekable(), b.iter().peekable());
    let mut out: Vec<(String, u64)> = Vec::new();
    loop {
        let (dev, n) = match (a.peek(), b.peek()) {
            (None, None) => break,
            (Some(&(x, m)), Some(&(y, n))) if x == y => {
                a.next();
                b.next();
                (x, *m.max(n))
            }
            (Some(&(x, m)), Some(&(y, _))) if x < y => {
                a.next();
                (x, *m)
            }
            (Some(&(x, m)), None) => {
                a.next();
                (x, *m)
            }
            (_, Some(&(y, n))) => {
                b.next();
                (y, *n)
            }
        };
        out.push((dev.clone(), n));
    }
    // Already sorted: collecting appends.
    out.into_iter().collect()
}

/// What applying a bundle would write: records as they arrived, kept with
/// the references their sender gave them (`Changes::arrived`).
pub(crate) struct Plan {
    pub tally: BTreeMap<Kind, Tally>,
    pub changes: Changes,
    pub held: Vec<HeldChange>,
    /// A preview's finding that a record the merge built (not one as the
    /// file holds it: the reader checked those) fails `Record::check`, as
    /// the commit of an import would find.
    pub problem: Option<FieldError>,
}

/// Who a file comes from, as the merge needs it.
pub(crate) struct Source {
    /// How conflicts name them.
    pub label: String,
    /// This vault itself, or a verified steward.
    pub trusted: bool,
    /// The device their own edits are counted under (from the signed header).
    pub device: String,
}

/// The clock rule. An incoming clock may not claim more edits by this
/// vault's own device than this vault made to the record; and, unless the
/// sender is trusted, no more edits by any device but the sender's own than
/// this vault has seen on the record. Counters beyond that are cut back to
/// what this vault has seen, so a hostile file cannot make its version win
/// every later merge. Returns whether anything was cut.
pub(crate) fn cap(theirs: &mut Clock, ours: Option<&Clock>, own: &str, src: &Source) -> bool {
    let mut cut = false;
    let kept: Clock = theirs
        .iter()
        .filter_map(|(dev, n)| {
            let limit = limit(dev, *n, ours, own, src);
            cut |= *n > limit;
            let n = (*n).min(limit);
            (n > 0).then(|| (dev.clone(), n))
        })
        .collect();
    *theirs = kept;
    if theirs.is_empty() {
        theirs.insert(src.device.clone(), 1);
    }
    cut
}

/// Whether `cap` would cut anything from `theirs` (asked first, so a clock
/// within the rule is neither copied nor rebuilt).
fn cuts(theirs: &Clock, ours: Option<&Clock>, own: &str, src: &Source) -> bool {
    theirs
        .iter()
        .any(|(dev, n)| *n > limit(dev, *n, ours, own, src))
}

/// The most edits by `dev` an incoming clock (claiming `n`) may keep: see
/// `cap`.
fn limit(dev: &str, n: u64, ours: Option<&Clock>, own: &str, src: &Source) -> u64 {
    let seen = || ours.and_then(|c| c.get(dev)).copied().unwrap_or(0);
    if dev == own {
        seen()
    } else if src.trusted || dev == src.device {
        n
    } else {
        seen()
    }
}

/// An incoming entry as the merge works on it: as the reader checked it
/// (`Checked`, which the commit takes as it is), or with a record the merge
/// changed (our held-back people put back), which the commit checks again.
enum Theirs<'a> {
    Checked(Cow<'a, Checked>),
    Changed(Entry),
}

impl Theirs<'_> {
    fn meta_mut(&mut self) -> &mut Meta {
        match self {
            Theirs::Checked(c) => c.to_mut().meta_mut(),
            Theirs::Changed(e) => &mut e.meta,
        }
    }

    /// The entry with `record` in place of the one read.
    fn with_record(self, record: Option<crate::model::Record>) -> Theirs<'static> {
        let mut entry = self.into_entry();
        entry.record = record;
        Theirs::Changed(entry)
    }

    fn into_entry(self) -> Entry {
        match self {
            Theirs::Checked(c) => c.into_owned().into_parts().1,
            Theirs::Changed(e) => e,
        }
    }

    /// Writes it as it is, clock and all.
    fn put(self, id: &Id, changes: &mut Changes) {
        match self {
            Theirs::Checked(c) => changes.put_checked(c.into_owned()),
            Theirs::Changed(e) => changes.put(id.clone(), e),
        };
    }
}

impl std::ops::Deref for Theirs<'_> {
    type Target = Entry;

    fn deref(&self) -> &Entry {
        match self {
            Theirs::Checked(c) => c,
            Theirs::Changed(e) => e,
        }
    }
}

/// Works out, without writing anything, what each incoming entry does.
///
/// Entries are taken by value (`Cow::Owned`, moved into the writes) to apply,
/// or borrowed for a preview, which only counts: a dry run makes no copy of
/// the file's records.
pub(crate) fn plan<'a>(
    vault: &Vault,
    incoming: impl IntoIterator<Item = Cow<'a, Checked>>,
    src: &Source,
) -> Plan {
    let mut out = Plan {
        tally: crate::model::Kind::ALL
            .iter()
            .map(|k| (*k, Tally::default()))
            .collect(),
        changes: Changes::arrived(),
        held: Vec::new(),
        problem: None,
    };
    for theirs in incoming {
        let id = theirs.id().clone();
        let kind = id.kind();
        let outcome = one(vault, &id, Theirs::Checked(theirs), src, &mut out);
        out.tally.entry(kind).or_default().add(outcome);
    }
    out
}

fn one(vault: &Vault, id: &Id, mut theirs: Theirs, src: &Source, out: &mut Plan) -> Outcome {
    let dry = matches!(theirs, Theirs::Checked(Cow::Borrowed(_)));
    // Opened for the moment: a merge into a large vault does not leave
    // every record it compared parsed in memory.
    let ours = vault.entry_once(id);
    let ours = ours.as_deref();
    let own = vault.device();
    let forged = theirs.meta.clock.get(own).copied().unwrap_or(0)
        > ours
            .and_then(|o| o.meta.clock.get(own))
            .copied()
            .unwrap_or(0);
    let our_clock = ours.map(|o| &o.meta.clock);
    if cuts(&theirs.meta.clock, our_clock, own, src) {
        let mut clock = theirs.meta.clock.clone();
        cap(&mut clock, our_clock, own, src);
        theirs.meta_mut().clock = clock;
    }
    let from = src.label.as_str();
    let Some(ours) = ours else {
        // A deletion of something never seen here is kept, so it travels on.
        let outcome = if theirs.record.is_some() {
            Outcome::New
        } else {
            Outcome::Unchanged
        };
        if !dry {
            theirs.put(id, &mut out.changes);
        }
        return outcome;
    };
    if forged && ours.record != theirs.record {
        // It claims edits made here that were never made: never applied.
        let mut reasons = vec![super::Held::ForgedClock];
        reasons.extend(super::loosens(ours.record.as_ref(), theirs.record.as_ref()));
        return hold(vault, id, ours, theirs, from, reasons, out);
    }
    match compare(&ours.meta.clock, &theirs.meta.clock) {
        Order::Same | Order::Newer => Outcome::Unchanged,
        Order::Older => {
            // Records that travelled without the people held back here get
            // them back: a version coming home never drops them.
            if let (Some(m), Some(_)) = (&ours.record, &theirs.record) {
                let mut t = theirs.record.clone();
                if let Some(r) = t.as_mut() {
                    super::keep_held_back_refs(vault, m, r);
                }
                if t != theirs.record {
                    theirs = theirs.with_record(t);
                }
            }
            let mut reasons = super::loosens(ours.record.as_ref(), theirs.record.as_ref());
            if !src.trusted && ours.record != theirs.record {
                reasons.push(super::Held::Unverified);
            }
            if !reasons.is_empty() {
                return hold(vault, id, ours, theirs, from, reasons, out);
            }
            let outcome = match (&ours.record, &theirs.record) {
                (Some(_), None) => Outcome::Deleted,
                (a, b) if a == b => Outcome::Unchanged,
                _ => Outcome::Updated,
            };
            // A conflict this newer version has seen is settled by it.
            if let Some(c) = vault.conflicts().get(id) {
                if matches!(
                    compare(&c.theirs.meta.clock, &theirs.meta.clock),
                    Order::Older | Order::Same
                ) {
                    out.changes.conflict(id.clone(), None);
                }
            }
            if !dry {
                theirs.put(id, &mut out.changes);
            } else if let (Theirs::Changed(e), None) = (&theirs, &out.problem) {
                if let Some(Err(e)) = e.record.as_ref().map(|r| r.check(id)) {
                    out.problem = Some(e);
                }
            }
            outcome
        }
        Order::Concurrent if ours.record == theirs.record => {
            // The same change made on both sides: only the clocks differ.
            let mut merged = ours.clone();
            merged.meta.clock = join(&ours.meta.clock, &theirs.meta.clock);
            out.changes.put(id.clone(), merged);
            Outcome::Unchanged
        }
        Order::Concurrent => {
            if let Some(c) = vault.conflicts().get(id) {
                match compare(&c.theirs.meta.clock, &theirs.meta.clock) {
                    Order::Same | Order::Newer => return Outcome::Conflict,
                    Order::Older => {}
                    // Two other versions, each concurrent with ours and with
                    // each other: keep the one already waiting, and fold the
                    // newcomer's clock in so resolving settles both.
                    Order::Concurrent => {
                        let mut keep = c.clone();
                        keep.theirs.meta.clock = join(&c.theirs.meta.clock, &theirs.meta.clock);
                        keep.also.push(theirs.into_entry());
                        out.changes.conflict(id.clone(), Some(keep));
                        return Outcome::Conflict;
                    }
                }
            }
            let conflict = Conflict {
                held: super::loosens(ours.record.as_ref(), theirs.record.as_ref()),
                theirs: theirs.into_entry(),
                from: from.to_string(),
                received: Utc::now(),
                also: Vec::new(),
            };
            out.changes.conflict(id.clone(), Some(conflict));
            Outcome::Conflict
        }
    }
}

/// Holds `theirs` as a conflict for a person to decide, instead of applying
/// it; ours (the safer value) stays in force until they choose.
fn hold(
    vault: &Vault,
    id: &Id,
    ours: &Entry,
    theirs: Theirs,
    from: &str,
    reasons: Vec<super::Held>,
    out: &mut Plan,
) -> Outcome {
    let fields = match (&ours.record, &theirs.record) {
        (Some(m), Some(t)) => super::differing_fields(m, t),
        _ => Vec::new(),
    };
    out.held.push(HeldChange {
        id: id.clone(),
        reasons: reasons.clone(),
        fields,
    });
    // One already waiting that is newer than this one stays.
    if let Some(c) = vault.conflicts().get(id) {
        if matches!(
            compare(&c.theirs.meta.clock, &theirs.meta.clock),
            Order::Newer | Order::Same
        ) {
            return Outcome::Held;
        }
    }
    let conflict = Conflict {
        theirs: theirs.into_entry(),
        from: from.to_string(),
        received: Utc::now(),
        also: Vec::new(),
        held: reasons,
    };
    out.changes.conflict(id.clone(), Some(conflict));
    Outcome::Held
}

#[cfg(test)]
mod tests {
    use super::*;

    fn clock(pairs: &[(&str, u64)]) -> Clock {
        pairs.iter().map(|(d, n)| (d.to_string(), *n)).collect()
    }

    #[test]
    fn version_vectors_order_edits() {
        let a = clock(&[("a", 2)]);
        let ab = clock(&[("a", 2), ("b", 1)]);
        let b = clock(&[("a", 1), ("b", 1)]);
        assert_eq!(compare(&a, &a), Order::Same);
        assert_eq!(compare(&a, &ab), Order::Older);
        assert_eq!(compare(&ab, &a), Order::Newer);
        assert_eq!(compare(&a, &b), Order::Concurrent);
        assert_eq!(join(&a, &b), ab);
        assert_eq!(join(&b, &a), ab);
        assert_eq!(join(&a, &Clock::new()), a);

        // Interleaved devices, as many as a bundle may carry: each device's
        // highest count, in one pass.
        let evens: Clock = (0..10_000u64)
            .map(|i| (format!("{:06}", 2 * i), i))
            .collect();
        let odds: Clock = (0..10_000u64)
            .map(|i| (format!("{:06}", 2 * i + 1), i))
            .chain([(format!("{:06}", 0), 7)])
            .collect();
        let both = join(&evens, &odds);
        assert_eq!(both.len(), 20_000);
        assert_eq!(both.get("000000"), Some(&7));
        assert_eq!(both.get("019999"), Some(&9_999));
        assert!(both.iter().zip(both.iter().skip(1)).all(|(x, y)| x.0 < y.0));
        assert_eq!(compare(&evens, &both), Order::Older);
    }
}
