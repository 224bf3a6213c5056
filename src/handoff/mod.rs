//! Steward handoff: the only way data leaves a laptop.
//!
//! Responsible for: the steward identity and address book (`keys`), what an
//! export may contain (sensitive and no-consent people stay out unless asked
//! for), writing it as a signed bundle (`bundle`) encrypted with age to
//! stewards or a passphrase, reading one back (decrypt, verify, validate all
//! of it), the preview and the all-or-nothing merge (`merge`), conflict
//! resolution, the audit log, and whole-vault backup and restore. Not
//! responsible for: where files or passphrases come from (the CLI and the app
//! ask), or how a preview is worded (`view`, the CLI).

pub mod bundle;
pub mod keys;
pub mod merge;

use crate::model::{ConsentState, ConsentTopic, Id, Kind, Record};
use crate::vault::{self, AuxChange, Entry, KdfParams, Passphrase, Vault};
use age::secrecy::SecretString;
use bundle::{Excluded, Header, Purpose, Sender};
use chrono::{DateTime, Utc};
use keys::{Keys, PublicKeys, Revoked, Steward};
use merge::{Clock, Tally};
use serde::{Deserialize, Serialize};
use std::borrow::Cow;
use std::collections::{BTreeMap, BTreeSet, HashSet};
use std::fs::File;
use std::io::{BufRead, BufReader, BufWriter, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};

/// A flag that is never raised: for callers with nothing to stop them.
static NEVER: AtomicBool = AtomicBool::new(false);

/// What a stopped read or write reports, to be told apart from damage.
#[derive(Debug)]
struct StopMark;

impl std::fmt::Display for StopMark {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("stopped")
    }
}

impl std::error::Error for StopMark {}

fn stopped_io() -> std::io::Error {
    std::io::Error::other(StopMark)
}

fn is_stop(e: &std::io::Error) -> bool {
    e.get_ref().is_some_and(|i| i.is::<StopMark>())
}

/// A reader that fails (with `StopMark`) once `stop` is raised: a lock
/// stops a long read at once.
struct Stoppable<'s, R> {
    inner: R,
    stop: &'s AtomicBool,
}

impl<R: std::io::Read> std::io::Read for Stoppable<'_, R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        if self.stop.load(Ordering::Relaxed) {
            return Err(stopped_io());
        }
        self.inner.read(buf)
    }
}

/// scrypt work factor (log2 N) for passphrase exports: 2^18 × 1 KiB = 256 MiB
/// of memory and about a second here. The age crate would otherwise calibrate
/// it to the machine, which can mean gigabytes on a fast one.
pub const WORK_FACTOR: u8 = 18;
/// The most work a passphrase file may ask of us when opening it (1 GiB).
pub const MAX_WORK_FACTOR: u8 = 20;

/// What can go wrong in a handoff. Each has a pair of Fluent messages.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    #[error(transparent)]
    Vault(#[from] vault::Error),
    #[error("not an age key")]
    BadKey,
    #[error("not a steward card")]
    BadCard,
    #[error("bad steward name")]
    BadStewardName,
    #[error("no steward {0}")]
    NoSteward(String),
    #[error("the fingerprint does not match")]
    FingerprintMismatch,
    #[error("no recipients")]
    NoRecipients,
    #[error("cannot read {0}")]
    NoFile(PathBuf),
    #[error("not an age file")]
    NotAge,
    #[error("not encrypted to this vault")]
    NotForYou,
    #[error("needs a passphrase")]
    NeedsPassphrase,
    #[error("wrong passphrase for the file")]
    WrongPassphrase,
    #[error("the passphrase file asks for too much work")]
    TooMuchWork,
    #[error("the file is cut short")]
    Truncated,
    #[error("the file was altered")]
    Altered,
    #[error("bundle format {0} is newer than this app")]
    TooNew(u64),
    #[error("bad bundle at line {line}: {problem:?}")]
    BadBundle { line: u64, problem: BundleProblem },
    #[error("duplicate id {0}")]
    DuplicateId(Id),
    #[error("the file is too large")]
    TooLarge,
    #[error("bad signature")]
    BadSignature,
    #[error("not a backup")]
    NotBackup,
    #[error("a backup, not a handoff")]
    IsBackup,
    #[error("no conflict for {0}")]
    NoConflict(Id),
    #[error("no such field {0}")]
    BadTake(String),
    #[error("could not write {0}: {1}")]
    Write(PathBuf, std::io::Error),
    #[error("steward {0} is revoked")]
    Revoked(String),
    #[error("steward {name} exists with another key")]
    StewardExists {
        name: String,
        old: String,
        new: String,
    },
    #[error("the file carries warnings")]
    Warnings(Vec<Warning>),
    #[error("stopped")]
    Stopped,
}

/// What is wrong with a line of a bundle.
#[derive(Debug, Clone, PartialEq)]
pub enum BundleProblem {
    Syntax,
    NoHeader,
    LineTooLong,
    CountMismatch,
    AfterEnd,
    BadClock,
    WrongKind,
    Invalid(crate::model::FieldError),
}

impl Error {
    /// An error while reading decrypted bytes: age reports a cut-off stream
    /// as an unexpected end, and any altered chunk as invalid data.
    fn reading(e: std::io::Error) -> Error {
        if is_stop(&e) {
            Error::Stopped
        } else if e.kind() == std::io::ErrorKind::UnexpectedEof {
            Error::Truncated
        } else {
            Error::Altered
        }
    }
}

// ---- stewards --------------------------------------------------------------

/// How a steward's keys are given: their card, or a bare `age1…` key.
pub enum StewardKey<'a> {
    Card(&'a str),
    Key(&'a str),
}

/// Adds a steward, or updates one of the same name with the same age key
/// (their card after their key). A steward stays verified only if the keys
/// did not change.
pub fn add_steward(vault: &mut Vault, name: &str, key: StewardKey) -> Result<Steward, Error> {
    add_steward_as(vault, name, key, false)
}

/// `add_steward`; a name that exists with another key is refused (showing
/// both fingerprints) unless `replace`, which also lifts a revocation.
pub fn add_steward_as(
    vault: &mut Vault,
    name: &str,
    key: StewardKey,
    replace: bool,
) -> Result<Steward, Error> {
    let name = keys::check_name(name)?;
    let keys = match key {
        StewardKey::Card(card) => keys::parse_card(card)?.0,
        StewardKey::Key(k) => {
            keys::parse_age_key(k)?;
            PublicKeys {
                age: k.trim().to_string(),
                sign: None,
            }
        }
    };
    let old = vault.steward(&name);
    // The same steward's card after their bare key is the same steward.
    let same = |o: &Steward| o.keys.age == keys.age && (o.keys.sign.is_none() || o.keys == keys);
    if let Some(o) = old.filter(|o| !same(o) || o.revoked.is_some()) {
        if !replace {
            return Err(Error::StewardExists {
                name: o.name.clone(),
                old: o.fingerprint(),
                new: keys.fingerprint(),
            });
        }
    }
    let steward = Steward {
        verified: old.is_some_and(|o| o.verified && o.keys == keys),
        added: old.map_or_else(Utc::now, |o| o.added),
        name,
        keys,
        revoked: None,
    };
    save_steward(vault, &steward)?;
    Ok(steward)
}

fn save_steward(vault: &mut Vault, s: &Steward) -> Result<(), Error> {
    let change = AuxChange::Steward(s.name.clone(), Some(s.clone()));
    Ok(vault.commit_all(Vec::new(), vec![change])?)
}

/// Marks a steward verified, after their fingerprint was compared in person.
/// With `fingerprint`, only if it matches.
pub fn verify_steward(
    vault: &mut Vault,
    name: &str,
    fingerprint: Option<&str>,
) -> Result<Steward, Error> {
    let mut s = vault
        .steward(name)
        .cloned()
        .ok_or_else(|| Error::NoSteward(name.to_string()))?;
    if let Some(fp) = fingerprint {
        if !keys::same_fingerprint(fp, &s.fingerprint()) {
            return Err(Error::FingerprintMismatch);
        }
    }
    s.verified = true;
    save_steward(vault, &s)?;
    Ok(s)
}

/// Revokes a steward (a seized laptop, a person who left): nothing is
/// exported to them again, their files are refused, and the address book
/// keeps them, marked, so the log still says who they were.
pub fn revoke_steward(vault: &mut Vault, name: &str, reason: &str) -> Result<Steward, Error> {
    let mut s = vault
        .steward(name)
        .cloned()
        .ok_or_else(|| Error::NoSteward(name.to_string()))?;
    let reason: String = reason
        .trim()
        .chars()
        .filter(|c| !keys::hidden_char(*c))
        .take(keys::NAME_MAX * 5)
        .collect();
    s.revoked = Some(Revoked {
        at: Utc::now(),
        reason,
    });
    s.verified = false;
    save_steward(vault, &s)?;
    Ok(s)
}

/// The revoked steward whose keys these are (either key matching), if any.
fn revoked_by_keys<'a>(vault: &'a Vault, keys: &PublicKeys) -> Option<&'a Steward> {
    vault.stewards().find(|s| {
        s.revoked.is_some()
            && (s.keys.age == keys.age || (s.keys.sign.is_some() && s.keys.sign == keys.sign))
    })
}

pub fn remove_steward(vault: &mut Vault, name: &str) -> Result<(), Error> {
    let s = vault
        .steward(name)
        .ok_or_else(|| Error::NoSteward(name.to_string()))?;
    let change = AuxChange::Steward(s.name.clone(), None);
    Ok(vault.commit_all(Vec::new(), vec![change])?)
}

/// The name on this vault's card.
pub fn set_own_name(vault: &mut Vault, name: &str) -> Result<(), Error> {
    let name = if name.trim().is_empty() {
        String::new()
    } else {
        keys::check_name(name)?
    };
    let mut stored = vault.keys().to_stored();
    stored.set_name(name);
    Ok(vault.commit_all(Vec::new(), vec![AuxChange::Keys(stored)])?)
}

// ---- the audit log and conflicts (kept in the vault) ------------------------

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Action {
    Export,
    Import,
    Backup,
    Restore,
    /// A spreadsheet written (`aqui csv export`): not encrypted.
    CsvExport,
    /// A spreadsheet read into the vault (`aqui csv import`).
    CsvImport,
}

/// Whether the sender of a bundle is someone we know.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Trust {
    /// This vault itself (a file it wrote).
    Own,
    /// In the address book, fingerprint compared in person.
    Verified,
    /// In the address book, not verified (or known by age key only).
    Known,
    Unknown,
}

/// The other side of a handoff: a recipient, or the sender.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Peer {
    pub name: String,
    pub fingerprint: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub trust: Option<Trust>,
}

/// One line of the audit log: counts and who, never what.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct LogEntry {
    pub time: DateTime<Utc>,
    pub action: Action,
    /// Records in the file, per kind (deletions counted apart).
    pub counts: BTreeMap<Kind, usize>,
    #[serde(default)]
    pub deletions: usize,
    /// Recipients (export, backup) or the sender (import, restore).
    pub peers: Vec<Peer>,
    /// Encrypted to (or opened with) a passphrase.
    #[serde(default)]
    pub passphrase: bool,
    pub sensitive_included: bool,
    #[serde(default)]
    pub excluded: Excluded,
    /// Import only: what the merge did.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub merged: Option<Tally>,
    /// Import only: the warnings the file carried (accepted to import it).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub warnings: Vec<Warning>,
}

/// Why a file should not be imported without a second look.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Warning {
    /// Signed with a key this vault does not know.
    UnknownSender,
    /// Encrypted to a key of a steward known only by age key: the signature
    /// cannot tie the file to them.
    KeyOnly,
    /// Made for other recipients (or a passphrase), then encrypted to us:
    /// forwarded.
    NotForUs,
    /// A version 1 file: it does not say who it was made for.
    OldFormat,
    /// The sender's name had characters a name may not have; not shown.
    BadSenderName,
}

/// Why an incoming change is held for a person to decide.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Held {
    /// It would remove a person's sensitive mark (or an organization's
    /// private mark, which keeps its name out of reports).
    Unmarks,
    /// It would widen a person's consent, or rewrite its record (answers
    /// taken out of the history or changed, an answer from before consent
    /// records passed off as a recorded one).
    WidensConsent,
    /// It would bring back a record deleted here.
    Restores,
    /// It changes a record, and the sender is not a verified steward.
    Unverified,
    /// Its version clock claims edits this device never made.
    ForgedClock,
}

/// The other side of a record edited here and elsewhere at the same time.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Conflict {
    pub theirs: Entry,
    /// Who sent it (a steward's name or fingerprint).
    pub from: String,
    pub received: DateTime<Utc>,
    /// Further versions concurrent with both (rare: three copies edited at
    /// once); kept so nothing is lost, settled together when resolved.
    #[serde(default)]
    pub also: Vec<Entry>,
    /// Why it was held rather than applied (empty for an ordinary conflict:
    /// two copies edited at once).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub held: Vec<Held>,
}

// ---- export ----------------------------------------------------------------

/// Which records to export.
#[derive(Clone, Debug)]
pub enum Selection {
    /// Every record, deletions included.
    All,
    /// A campaign, its demands, pledge drives and notes, and what they link to.
    Campaign(Id),
    Ids(Vec<Id>),
    /// The records a search finds.
    Search(String),
}

/// What an export will hold: shown before the file is written.
#[derive(Clone, Debug, Serialize)]
pub struct ExportPlan {
    #[serde(skip)]
    pub ids: Vec<Id>,
    /// People held back from this export: their ids are taken out of every
    /// reference in the records that travel.
    #[serde(skip)]
    pub hidden: BTreeSet<Id>,
    /// Notes that travel whose title or text mentions a left-out person by
    /// name or alias (their titles), so the steward can decide.
    pub mentions: Vec<String>,
    pub counts: BTreeMap<Kind, usize>,
    pub deletions: usize,
    pub excluded: Excluded,
    pub sensitive_included: bool,
}

/// Whether a person stays out of exports unless explicitly included, and why
/// (`true`: sensitive; `false`: no recorded yes to sharing — "not asked" and
/// "no" both hold a person back). The one place this rule lives: exports,
/// reference stripping and merges all ask here.
pub fn held_back(record: &Record) -> Option<bool> {
    match record {
        Record::Person(p) if p.sensitive => Some(true),
        Record::Person(p) if !p.may_share() => Some(false),
        _ => None,
    }
}

/// How `theirs` would loosen the protection `ours` gives: removing a
/// sensitive mark, widening consent, bringing a deleted or purged record
/// back.
pub fn loosens(ours: Option<&Record>, theirs: Option<&Record>) -> Vec<Held> {
    let mut out = Vec::new();
    match (ours, theirs) {
        (None, Some(_)) => out.push(Held::Restores),
        (Some(Record::Person(a)), Some(Record::Person(b))) => {
            if a.sensitive && !b.sensitive {
                out.push(Held::Unmarks);
            }
            let widens =
                |ours: ConsentState, theirs: ConsentState| !ours.is_yes() && theirs.is_yes();
            if widens(a.consent_share, b.consent_share)
                || widens(a.consent_contact, b.consent_contact)
            {
                out.push(Held::WidensConsent);
            }
            // A person purged here (retention) brought back with their name
            // and contact details: what was removed on purpose returns,
            // whether or not the copy still says "purged".
            if a.purged && (!b.purged || carries_details(b)) {
                out.push(Held::Restores);
            }
            // The consent record is the evidence behind the states: a
            // withdrawal taken out of the history, an answer's date or manner
            // changed, or an answer from before consent records existed
            // passed off as a recorded one, all loosen it even while the
            // current states stay.
            if !out.contains(&Held::WidensConsent) && rewrites_consent(&a.consent, &b.consent) {
                out.push(Held::WidensConsent);
            }
        }
        // An organization's private mark keeps its name out of reports.
        (Some(Record::Org(a)), Some(Record::Org(b))) if a.private && !b.private => {
            out.push(Held::Unmarks);
        }
        _ => {}
    }
    out
}

/// Whether a person record holds anything a purge removes.
fn carries_details(p: &crate::model::Person) -> bool {
    !(p.name.is_empty()
        && p.alias.is_empty()
        && p.phone.is_empty()
        && p.signal.is_empty()
        && p.email.is_empty()
        && p.orgs.is_empty()
        && p.tags.is_empty()
        && p.last_contact.is_none()
        && p.next_follow_up.is_none())
}

/// Whether `theirs` changes the consent record `ours` other than by adding
/// answers after it. Taking out who recorded an answer (as a purge, or an
/// export that leaves that person out, does) is not a change.
fn rewrites_consent(ours: &crate::model::Consent, theirs: &crate::model::Consent) -> bool {
    use crate::model::{ConsentEvent, ConsentMark};
    let same_recorder = |a: &Option<Id>, b: &Option<Id>| b.is_none() || a == b;
    let same_event = |a: &ConsentEvent, b: &ConsentEvent| {
        a.date == b.date
            && a.topic == b.topic
            && a.state == b.state
            && a.how == b.how
            && a.lang == b.lang
            && same_recorder(&a.recorder, &b.recorder)
    };
    let same_mark = |a: &Option<ConsentMark>, b: &Option<ConsentMark>| match (a, b) {
        (None, None) => true,
        (Some(a), Some(b)) => {
            a.date == b.date
                && a.how == b.how
                && a.lang == b.lang
                && same_recorder(&a.recorder, &b.recorder)
        }
        _ => false,
    };
    if theirs.history.len() < ours.history.len()
        || !ours
            .history
            .iter()
            .zip(&theirs.history)
            .all(|(a, b)| same_event(a, b))
    {
        return true;
    }
    // An answer stands as it is here unless a new one was added for it.
    let added = &theirs.history[ours.history.len()..];
    let answered = |t: ConsentTopic| added.iter().any(|e| e.topic == t);
    (ours.before_records && !theirs.before_records && added.is_empty())
        || (!answered(ConsentTopic::Contact) && !same_mark(&ours.contact, &theirs.contact))
        || (!answered(ConsentTopic::Share) && !same_mark(&ours.share, &theirs.share))
}

/// Whether `id` is a person held back here (whose id must not travel).
fn is_held_back(vault: &Vault, id: &Id) -> bool {
    id.kind() == Kind::Person && vault.get(id).ok().and_then(held_back).is_some()
}

/// A record as it travels: the ids of `hidden` people taken out of every
/// reference, counted where a count matters.
fn strip_refs(record: &Record, hidden: &BTreeSet<Id>) -> Option<Record> {
    if hidden.is_empty() || !record.refs().iter().any(|(_, id, _)| hidden.contains(*id)) {
        return None;
    }
    let mut r = record.clone();
    let count = |ids: &mut Vec<Id>| {
        let before = ids.len();
        ids.retain(|i| !hidden.contains(i));
        u32::try_from(before - ids.len()).unwrap_or(u32::MAX)
    };
    match &mut r {
        Record::Note(n) => {
            let gone = count(&mut n.attendees);
            n.others = n.others.saturating_add(gone);
            for f in &mut n.follow_ups {
                if f.who.as_ref().is_some_and(|w| hidden.contains(w)) {
                    f.who = None;
                }
            }
        }
        Record::Pledge(p) => {
            let gone = count(&mut p.signers);
            p.others = p.others.saturating_add(gone);
            for b in &mut p.batches {
                if b.by.as_ref().is_some_and(|w| hidden.contains(w)) {
                    b.by = None;
                }
            }
        }
        Record::Org(o) if o.contact.as_ref().is_some_and(|c| hidden.contains(c)) => {
            o.contact = None;
        }
        Record::Person(p) => {
            // Who recorded a consent answer, in the answer and its history.
            let c = &mut *p.consent;
            let recorders = c
                .contact
                .iter_mut()
                .chain(c.share.iter_mut())
                .map(|m| &mut m.recorder)
                .chain(c.history.iter_mut().map(|e| &mut e.recorder));
            for r in recorders {
                if r.as_ref().is_some_and(|w| hidden.contains(w)) {
                    *r = None;
                }
            }
        }
        _ => {}
    }
    Some(r)
}

/// The references to people held back here that `ours` has and `theirs`
/// lost (because they were stripped when the record travelled) are put back:
/// a version coming home never drops them.
pub(crate) fn keep_held_back_refs(vault: &Vault, ours: &Record, theirs: &mut Record) {
    let held = |id: &&Id| is_held_back(vault, id);
    let back = |mine: &[Id], theirs: &mut Vec<Id>| -> u32 {
        let mut n = 0;
        for id in mine.iter().filter(held) {
            if !theirs.contains(id) {
                theirs.push(id.clone());
                n += 1;
            }
        }
        n
    };
    match (ours, theirs) {
        (Record::Note(a), Record::Note(b)) => {
            let n = back(&a.attendees, &mut b.attendees);
            b.others = b.others.saturating_sub(n);
            for f in &mut b.follow_ups {
                if f.who.is_none() {
                    if let Some(m) = a.follow_ups.iter().find(|m| m.task == f.task) {
                        f.who = m.who.clone().filter(|w| held(&w));
                    }
                }
            }
        }
        (Record::Pledge(a), Record::Pledge(b)) => {
            let n = back(&a.signers, &mut b.signers);
            b.others = b.others.saturating_sub(n);
            // A batch's collector, held back here, stripped on the way.
            for bb in b.batches.iter_mut().filter(|bb| bb.by.is_none()) {
                let same = a
                    .batches
                    .iter()
                    .find(|ab| ab.date == bb.date && ab.count == bb.count);
                if let Some(ab) = same {
                    bb.by = ab.by.clone().filter(|w| held(&w));
                }
            }
        }
        (Record::Person(a), Record::Person(b)) => {
            // Who recorded an answer, held back here, stripped on the way.
            let (ac, bc) = (&*a.consent, &mut *b.consent);
            let pairs = [(&ac.contact, &mut bc.contact), (&ac.share, &mut bc.share)];
            for (am, bm) in pairs {
                if let (Some(am), Some(bm)) = (am, bm) {
                    if bm.recorder.is_none() && am.date == bm.date {
                        bm.recorder = am.recorder.clone().filter(|w| held(&w));
                    }
                }
            }
            for (ae, be) in ac.history.iter().zip(bc.history.iter_mut()) {
                if be.recorder.is_none() && ae.date == be.date && ae.topic == be.topic {
                    be.recorder = ae.recorder.clone().filter(|w| held(&w));
                }
            }
        }
        (Record::Org(a), Record::Org(b)) if b.contact.is_none() => {
            b.contact = a.contact.clone().filter(|c| held(&c));
        }
        _ => {}
    }
}

/// Whether `text` mentions `name` as a word (case-insensitive).
fn mentions(text: &str, name: &str) -> bool {
    let name = name.trim().to_lowercase();
    if name.chars().count() < 3 {
        return false;
    }
    let text = text.to_lowercase();
    text.match_indices(&name).any(|(i, m)| {
        let before = text[..i].chars().next_back();
        let after = text[i + m.len()..].chars().next();
        !before.is_some_and(char::is_alphanumeric) && !after.is_some_and(char::is_alphanumeric)
    })
}

/// Works out what `selection` puts in an export.
pub fn select(
    vault: &Vault,
    selection: &Selection,
    include_sensitive: bool,
) -> Result<ExportPlan, Error> {
    let mut chosen: BTreeSet<Id> = BTreeSet::new();
    match selection {
        Selection::All => chosen.extend(vault.entries().map(|(id, _)| id.clone())),
        Selection::Ids(ids) => {
            for id in ids {
                vault.get(id)?;
                chosen.insert(id.clone());
            }
        }
        Selection::Search(q) => {
            chosen.extend(vault.search(q).into_iter().map(|(id, _)| id.clone()))
        }
        Selection::Campaign(c) => {
            if vault.get(c)?.kind() != Kind::Campaign {
                return Err(vault::Error::NotFound(c.clone()).into());
            }
            // The campaign, its items, and everything they link to, following
            // links until nothing new turns up.
            let mut todo: Vec<Id> = vec![c.clone()];
            todo.extend(
                vault
                    .campaign_items(c)
                    .into_iter()
                    .map(|(id, _)| id.clone()),
            );
            while let Some(id) = todo.pop() {
                let Ok(record) = vault.get(&id) else { continue };
                if !chosen.insert(id.clone()) {
                    continue;
                }
                if held_back(record).is_some() && !include_sensitive {
                    continue; // their links are not followed either
                }
                todo.extend(record.refs().into_iter().map(|(_, r, _)| r.clone()));
            }
        }
    }
    let mut plan = ExportPlan {
        ids: Vec::with_capacity(chosen.len()),
        hidden: BTreeSet::new(),
        mentions: Vec::new(),
        counts: Kind::ALL.iter().map(|k| (*k, 0)).collect(),
        deletions: 0,
        excluded: Excluded::default(),
        sensitive_included: false,
    };
    for id in chosen {
        let Some(entry) = vault.entry(&id) else {
            continue;
        };
        match &entry.record {
            None => plan.deletions += 1,
            Some(r) => {
                if let Some(sensitive) = held_back(r) {
                    if !include_sensitive {
                        if sensitive {
                            plan.excluded.sensitive += 1;
                        } else {
                            plan.excluded.no_consent += 1;
                        }
                        continue;
                    }
                    plan.sensitive_included = true;
                }
                *plan.counts.entry(id.kind()).or_default() += 1;
            }
        }
        plan.ids.push(id);
    }
    if !include_sensitive {
        // Everyone held back, chosen or not: their ids travel nowhere.
        let people: Vec<(&Id, &crate::model::Person)> = vault
            .entries()
            .filter_map(|(id, e)| match &e.record {
                Some(r @ Record::Person(p)) if held_back(r).is_some() => Some((id, p)),
                _ => None,
            })
            .collect();
        plan.hidden = people.iter().map(|(id, _)| (*id).clone()).collect();
        for id in plan.ids.iter().filter(|i| i.kind() == Kind::Note) {
            if let Ok(Record::Note(n)) = vault.get(id) {
                let text = format!("{}\n{}", n.title, n.body);
                let named = people
                    .iter()
                    .any(|(_, p)| mentions(&text, &p.name) || mentions(&text, &p.alias));
                if named {
                    plan.mentions.push(n.title.clone());
                }
            }
        }
    }
    Ok(plan)
}

/// Who an export is encrypted to.
pub enum To<'a> {
    /// Stewards by name, or bare `age1…` keys.
    Stewards(&'a [String]),
    Passphrase(&'a Passphrase, u8),
}

/// Resolves `--to` values to recipients: a name in the address book, or an
/// `age1…` key (listed as itself).
pub fn recipients(vault: &Vault, to: &[String]) -> Result<Vec<(Peer, PublicKeys)>, Error> {
    if to.is_empty() {
        return Err(Error::NoRecipients);
    }
    let mut out: Vec<(Peer, PublicKeys)> = Vec::new();
    for t in to {
        let (name, keys) = match vault.steward(t) {
            Some(s) if s.revoked.is_some() => return Err(Error::Revoked(s.name.clone())),
            Some(s) => (s.name.clone(), s.keys.clone()),
            None if t.trim().starts_with("age1") => {
                keys::parse_age_key(t)?;
                let keys = PublicKeys {
                    age: t.trim().to_string(),
                    sign: None,
                };
                let name = vault
                    .stewards()
                    .find(|s| s.keys.age == keys.age)
                    .map_or_else(String::new, |s| s.name.clone());
                (name, keys)
            }
            None => return Err(Error::NoSteward(t.clone())),
        };
        if let Some(s) = revoked_by_keys(vault, &keys) {
            return Err(Error::Revoked(s.name.clone()));
        }
        if out.iter().all(|(_, k)| k.age != keys.age) {
            let peer = Peer {
                name,
                fingerprint: keys.fingerprint(),
                trust: None,
            };
            out.push((peer, keys));
        }
    }
    Ok(out)
}

/// What was written.
#[derive(Clone, Debug, Serialize)]
pub struct Written {
    pub file: PathBuf,
    pub plan: ExportPlan,
    pub recipients: Vec<Peer>,
    pub passphrase: bool,
}

/// Writes the export file and records it in the audit log.
pub fn export(vault: &mut Vault, plan: ExportPlan, to: &To, out: &Path) -> Result<Written, Error> {
    export_with(vault, plan, to, out, &NEVER)
}

/// `export`, stopped cleanly (no file, no log line: nothing changed) as soon
/// as `stop` is raised (the vault is locking).
pub fn export_with(
    vault: &mut Vault,
    plan: ExportPlan,
    to: &To,
    out: &Path,
    stop: &AtomicBool,
) -> Result<Written, Error> {
    refuse_early(vault, out)?;
    let (peers, passphrase, tmp) = write_file(vault, out, to, Purpose::Handoff, &plan, None, stop)?;
    log_written(
        vault,
        Action::Export,
        plan,
        peers,
        passphrase,
        tmp,
        out,
        stop,
    )
}

/// What would fail only after the audit log line is written is refused
/// before anything is written (not even a temporary file): a read-only
/// vault cannot write that line, and a folder at `out` cannot be replaced
/// by the file.
fn refuse_early(vault: &Vault, out: &Path) -> Result<(), Error> {
    if vault.read_only() {
        return Err(vault::Error::ReadOnly.into());
    }
    if out.is_dir() {
        let e = std::io::Error::new(std::io::ErrorKind::IsADirectory, "a folder is in the way");
        return Err(Error::Write(out.to_path_buf(), e));
    }
    Ok(())
}

/// Encrypts a bundle of `plan`'s records (and, for a backup, the vault's own
/// state) to a temporary file beside `out`, complete and synced. It is put
/// in place by `log_written` only once the audit log line is written: a
/// half-written export never appears under its name, and a file already at
/// `out` (last week's backup) is never replaced by one that is then removed.
fn write_file(
    vault: &Vault,
    out: &Path,
    to: &To,
    purpose: Purpose,
    plan: &ExportPlan,
    state: Option<&VaultState>,
    stop: &AtomicBool,
) -> Result<(Vec<Peer>, bool, tempfile::NamedTempFile), Error> {
    let (peers, recipient_keys, passphrase) = match to {
        To::Stewards(names) => {
            let r = recipients(vault, names)?;
            let keys = r
                .iter()
                .map(|(_, k)| k.recipient())
                .collect::<Result<Vec<_>, _>>()?;
            (r.into_iter().map(|(p, _)| p).collect(), keys, None)
        }
        To::Passphrase(p, work) => (Vec::new(), Vec::new(), Some((*p, *work))),
    };
    let encryptor = match passphrase {
        Some((p, work)) => {
            let mut r = age::scrypt::Recipient::new(SecretString::from(p.expose().to_string()));
            r.set_work_factor(work);
            age::Encryptor::with_recipients(std::iter::once(&r as &dyn age::Recipient))
        }
        None => {
            age::Encryptor::with_recipients(recipient_keys.iter().map(|r| r as &dyn age::Recipient))
        }
    }
    .map_err(|_| Error::NoRecipients)?;

    let header = Header {
        aqui_bundle: bundle::VERSION,
        purpose,
        created: Utc::now(),
        sender: Sender {
            name: vault.keys().name.clone(),
            keys: vault.keys().public(),
        },
        device: vault.device().to_string(),
        recipients: peers.iter().map(|p| p.fingerprint.clone()).collect(),
        records: plan.ids.len() as u64,
        counts: plan.counts.clone(),
        sensitive_included: plan.sensitive_included,
        excluded: plan.excluded,
    };
    let dir = match out.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let failed = |e: std::io::Error| Error::Write(out.to_path_buf(), e);
    let tmp = tempfile::Builder::new()
        .prefix(".aqui-export-")
        .tempfile_in(&dir)
        .map_err(failed)?;
    let write = || -> std::io::Result<()> {
        let file = tmp.as_file().try_clone()?;
        let age_out = encryptor.wrap_output(BufWriter::new(file))?;
        let mut w = bundle::Writer::start(age_out, &header)?;
        if let Some(state) = state {
            w.vault_state(state)?;
        }
        for id in &plan.ids {
            if stop.load(Ordering::Relaxed) {
                return Err(stopped_io());
            }
            if let Some(entry) = vault.entry(id) {
                let stripped = entry
                    .record
                    .as_ref()
                    .and_then(|r| strip_refs(r, &plan.hidden));
                match stripped {
                    Some(record) => w.entry(
                        id,
                        &Entry {
                            meta: entry.meta.clone(),
                            record: Some(record),
                        },
                    )?,
                    None => w.entry(id, entry)?,
                }
            }
        }
        let mut buffered = w.finish(vault.keys())?.finish()?;
        buffered.flush()?;
        tmp.as_file().sync_all()
    };
    write().map_err(|e| {
        if is_stop(&e) {
            Error::Stopped
        } else {
            failed_io(out, e)
        }
    })?;
    Ok((peers, passphrase.is_some(), tmp))
}

/// Logs a file just written to `tmp`, then renames it to `out`. If the log
/// cannot be written (a read-only vault, a full disk) or the vault is
/// locking, the temporary file is dropped and whatever was at `out` stays
/// as it was: no handoff leaves without its line in the audit log. If the
/// rename fails after the line is written, that is an error (the file is
/// not in place; the log says more left than did, never less).
#[allow(clippy::too_many_arguments)]
fn log_written(
    vault: &mut Vault,
    action: Action,
    plan: ExportPlan,
    peers: Vec<Peer>,
    passphrase: bool,
    tmp: tempfile::NamedTempFile,
    out: &Path,
    stop: &AtomicBool,
) -> Result<Written, Error> {
    if stop.load(Ordering::Relaxed) {
        return Err(Error::Stopped);
    }
    let entry = LogEntry {
        time: Utc::now(),
        action,
        counts: plan.counts.clone(),
        deletions: plan.deletions,
        peers: peers.clone(),
        passphrase,
        sensitive_included: plan.sensitive_included,
        excluded: plan.excluded,
        merged: None,
        warnings: Vec::new(),
    };
    vault.commit_all(Vec::new(), vec![AuxChange::Log(entry)])?;
    tmp.persist(out).map_err(|e| failed_io(out, e.error))?;
    if let Some(dir) = out.parent().filter(|p| !p.as_os_str().is_empty()) {
        // The rename itself made durable (best effort: not every system
        // lets a folder be opened to sync it).
        let _ = File::open(dir).and_then(|d| d.sync_all());
    }
    Ok(Written {
        file: out.to_path_buf(),
        plan,
        recipients: peers,
        passphrase,
    })
}

fn failed_io(out: &Path, e: std::io::Error) -> Error {
    match vault::Error::io(e) {
        vault::Error::DiskFull => vault::Error::DiskFull.into(),
        vault::Error::Io(e) => Error::Write(out.to_path_buf(), e),
        other => other.into(),
    }
}

// ---- import ----------------------------------------------------------------

/// Whether the file is encrypted to a passphrase (so one must be asked for).
pub fn needs_passphrase(path: &Path) -> Result<bool, Error> {
    let file = File::open(path).map_err(|_| Error::NoFile(path.to_path_buf()))?;
    let d = age::Decryptor::new_buffered(BufReader::new(file)).map_err(|_| Error::NotAge)?;
    Ok(d.is_scrypt())
}

/// The decrypted bytes of an age file, opened with this vault's identity or
/// with `pass` if it was encrypted to a passphrase.
fn decrypt<'s>(
    path: &Path,
    keys: &Keys,
    pass: Option<&Passphrase>,
    stop: &'s AtomicBool,
) -> Result<impl BufRead + 's, Error> {
    let file = File::open(path).map_err(|_| Error::NoFile(path.to_path_buf()))?;
    let d = age::Decryptor::new_buffered(BufReader::new(file)).map_err(|e| {
        // An age file whose header is cut short or damaged, or not one at all.
        let mut start = [0u8; 19];
        let is_age = File::open(path)
            .and_then(|mut f| std::io::Read::read_exact(&mut f, &mut start))
            .is_ok_and(|()| &start == b"age-encryption.org/");
        match e {
            _ if !is_age => Error::NotAge,
            age::DecryptError::Io(e) if e.kind() == std::io::ErrorKind::UnexpectedEof => {
                Error::Truncated
            }
            _ => Error::Altered,
        }
    })?;
    let reader = if d.is_scrypt() {
        let pass = pass.ok_or(Error::NeedsPassphrase)?;
        let mut id = age::scrypt::Identity::new(SecretString::from(pass.expose().to_string()));
        id.set_max_work_factor(MAX_WORK_FACTOR);
        d.decrypt(std::iter::once(&id as &dyn age::Identity))
    } else {
        d.decrypt(std::iter::once(keys.age_identity() as &dyn age::Identity))
    }
    .map_err(|e| match e {
        age::DecryptError::NoMatchingKeys => Error::NotForYou,
        age::DecryptError::ExcessiveWork { .. } => Error::TooMuchWork,
        age::DecryptError::DecryptionFailed | age::DecryptError::KeyDecryptionFailed => {
            if pass.is_some() {
                Error::WrongPassphrase
            } else {
                Error::NotForYou
            }
        }
        age::DecryptError::Io(e) => Error::reading(e),
        _ => Error::Altered,
    })?;
    Ok(BufReader::new(Stoppable {
        inner: reader,
        stop,
    }))
}

/// Decrypts and checks a whole file in two passes: the first streams it to
/// check its size, hash and signature (and `check` the signed header: a
/// revoked sender is refused here); only then is it decrypted again and
/// every record parsed and checked.
fn read_file(
    path: &Path,
    keys: &Keys,
    pass: Option<&Passphrase>,
    check: impl FnOnce(&Header) -> Result<(), Error>,
    stop: &AtomicBool,
) -> Result<bundle::Bundle, Error> {
    let size = std::fs::metadata(path)
        .map_err(|_| Error::NoFile(path.to_path_buf()))?
        .len();
    // age adds 16 bytes per 64 KiB chunk and a short header.
    if size > bundle::MAX_BYTES + bundle::MAX_BYTES / 4096 + 64 * 1024 {
        return Err(Error::TooLarge);
    }
    let verified = bundle::verify(decrypt(path, keys, pass, stop)?)?;
    check(&verified.header)?;
    bundle::read(decrypt(path, keys, pass, stop)?, &verified)
}

/// A file decrypted and checked, not yet applied.
pub struct Incoming {
    bundle: bundle::Bundle,
    pub sender: Peer,
    /// The device the sender's clocks count its edits under.
    device: String,
    pub warnings: Vec<Warning>,
}

/// Opens a handoff file: decrypts it, checks the signature and every record.
pub fn open(vault: &Vault, path: &Path, pass: Option<&Passphrase>) -> Result<Incoming, Error> {
    open_with(vault, path, pass, &NEVER)
}

/// `open`, stopped at once (`Error::Stopped`) when `stop` is raised.
pub fn open_with(
    vault: &Vault,
    path: &Path,
    pass: Option<&Passphrase>,
    stop: &AtomicBool,
) -> Result<Incoming, Error> {
    open_inner(vault, path, pass, stop, true)
}

/// Opens a file to apply it at once: one with warnings is refused (unless
/// `accept_warnings`) right after the first pass, before any record is
/// parsed, so a stranger's file costs bounded memory even when well signed.
pub fn open_to_apply(
    vault: &Vault,
    path: &Path,
    pass: Option<&Passphrase>,
    accept_warnings: bool,
) -> Result<Incoming, Error> {
    open_inner(vault, path, pass, &NEVER, accept_warnings)
}

fn open_inner(
    vault: &Vault,
    path: &Path,
    pass: Option<&Passphrase>,
    stop: &AtomicBool,
    accept_warnings: bool,
) -> Result<Incoming, Error> {
    let mut found = None;
    let bundle = read_file(
        path,
        vault.keys(),
        pass,
        |h| {
            if h.purpose != Purpose::Handoff {
                return Err(Error::IsBackup);
            }
            let (sender, warnings) = who_sent(vault, h, pass.is_some())?;
            if !accept_warnings && !warnings.is_empty() {
                return Err(Error::Warnings(warnings));
            }
            found = Some((sender, warnings));
            Ok(())
        },
        stop,
    )?;
    let (sender, warnings) = found.ok_or(Error::Altered)?;
    let device = sender_device(vault, &bundle.header);
    Ok(Incoming {
        bundle,
        sender,
        device,
        warnings,
    })
}

/// The device id the sender's clocks are trusted for: the one in the signed
/// header, unless missing (version 1), malformed, or this vault's own (a
/// file cannot speak for this laptop); then one made from the sender's key.
fn sender_device(vault: &Vault, h: &Header) -> String {
    let d = &h.device;
    let sane = !d.is_empty()
        && d.len() <= 64
        && d.chars().all(|c| c.is_ascii_graphic())
        && d != vault.device();
    if sane {
        d.clone()
    } else {
        let digits: String = h.sender.keys.fingerprint().replace(' ', "");
        format!("sender-{digits}")
    }
}

/// Finds the sender (whose signature was checked) in the address book, and
/// what should give the person pause before importing. A revoked sender is
/// refused.
fn who_sent(vault: &Vault, h: &Header, by_passphrase: bool) -> Result<(Peer, Vec<Warning>), Error> {
    let sender = &h.sender;
    let keys = &sender.keys;
    let mut warnings = Vec::new();
    let peer = |name: &str, trust| Peer {
        name: name.to_string(),
        fingerprint: keys.fingerprint(),
        trust: Some(trust),
    };
    if *keys == vault.keys().public() {
        return Ok((peer(&vault.keys().name, Trust::Own), warnings));
    }
    if let Some(s) = revoked_by_keys(vault, keys) {
        return Err(Error::Revoked(s.name.clone()));
    }
    // Made for whom: the signed list of recipients must include us (a
    // passphrase file lists none, and is opened with a passphrase).
    // Exported to our card, or to our bare age key.
    let me = vault.keys().public();
    let bare = PublicKeys {
        age: me.age.clone(),
        sign: None,
    };
    let ours = [me.fingerprint(), bare.fingerprint()];
    if h.aqui_bundle < 2 {
        warnings.push(Warning::OldFormat);
    } else {
        let for_us = h
            .recipients
            .iter()
            .any(|r| ours.iter().any(|o| keys::same_fingerprint(r, o)));
        // A passphrase file lists no recipients and was opened by passphrase.
        let for_passphrase = by_passphrase && h.recipients.is_empty();
        if !for_us && !for_passphrase {
            warnings.push(Warning::NotForUs);
        }
    }
    let found = if let Some(s) = vault.stewards().find(|s| s.keys == *keys) {
        let trust = if s.verified {
            Trust::Verified
        } else {
            Trust::Known
        };
        peer(&s.name, trust)
    } else {
        // Unknown. A steward known only by age key whose key this claims is
        // not shown by name: the signature cannot tie the file to them.
        if vault
            .stewards()
            .any(|s| s.keys.sign.is_none() && s.keys.age == keys.age)
        {
            warnings.push(Warning::KeyOnly);
        }
        warnings.push(Warning::UnknownSender);
        let name = match keys::check_name(&sender.name) {
            Ok(n) => n,
            Err(_) if sender.name.trim().is_empty() => String::new(),
            Err(_) => {
                warnings.push(Warning::BadSenderName);
                String::new()
            }
        };
        peer(&name, Trust::Unknown)
    };
    warnings.sort();
    Ok((found, warnings))
}

/// What one held change would do, for the preview to name.
#[derive(Clone, Debug, Serialize)]
pub struct HeldChange {
    pub id: Id,
    pub reasons: Vec<Held>,
    /// The fields it would change, by stored name.
    pub fields: Vec<String>,
}

/// What importing would do, per kind; nothing is written.
#[derive(Clone, Debug, Serialize)]
pub struct Preview {
    pub sender: Peer,
    pub created: DateTime<Utc>,
    pub records: u64,
    pub sensitive_included: bool,
    pub excluded: Excluded,
    pub kinds: BTreeMap<Kind, Tally>,
    pub total: Tally,
    pub warnings: Vec<Warning>,
    /// Changes not applied: held for a person to decide ("needs your
    /// decision").
    pub held: Vec<HeldChange>,
}

fn total(kinds: &BTreeMap<Kind, Tally>) -> Tally {
    kinds.values().fold(Tally::default(), |a, t| Tally {
        new: a.new + t.new,
        updated: a.updated + t.updated,
        deleted: a.deleted + t.deleted,
        unchanged: a.unchanged + t.unchanged,
        conflict: a.conflict + t.conflict,
        held: a.held + t.held,
    })
}

fn sender_label(p: &Peer) -> String {
    if p.name.is_empty() {
        p.fingerprint.clone()
    } else {
        p.name.clone()
    }
}

fn preview_of(incoming: &Incoming, plan: &merge::Plan) -> Preview {
    let h = &incoming.bundle.header;
    Preview {
        sender: incoming.sender.clone(),
        created: h.created,
        records: h.records,
        sensitive_included: h.sensitive_included,
        excluded: h.excluded,
        total: total(&plan.tally),
        kinds: plan.tally.clone(),
        warnings: incoming.warnings.clone(),
        held: plan.held.clone(),
    }
}

fn source(incoming: &Incoming) -> merge::Source {
    merge::Source {
        label: sender_label(&incoming.sender),
        trusted: matches!(incoming.sender.trust, Some(Trust::Own | Trust::Verified)),
        device: incoming.device.clone(),
    }
}

pub fn preview(vault: &Vault, incoming: &Incoming) -> Preview {
    let entries = incoming.bundle.entries.iter();
    let plan = merge::plan(
        vault,
        entries.map(|(i, e)| (i.clone(), Cow::Borrowed(e))),
        &source(incoming),
    );
    preview_of(incoming, &plan)
}

/// Applies a checked file: every change and the audit log entry in one
/// atomic write, or nothing. Refused (nothing changed) if the file carries
/// warnings and `accept_warnings` is not set.
pub fn apply_checked(
    vault: &mut Vault,
    incoming: Incoming,
    accept_warnings: bool,
) -> Result<Preview, Error> {
    if !accept_warnings && !incoming.warnings.is_empty() {
        return Err(Error::Warnings(incoming.warnings));
    }
    apply(vault, incoming)
}

/// Applies a checked file whatever its warnings (the caller asked): every
/// change and the audit log entry in one atomic write, or nothing.
pub fn apply(vault: &mut Vault, mut incoming: Incoming) -> Result<Preview, Error> {
    let src = source(&incoming);
    let counts = count_kinds(&incoming.bundle.entries);
    let deletions = incoming
        .bundle
        .entries
        .iter()
        .filter(|(_, e)| e.record.is_none())
        .count();
    let entries = std::mem::take(&mut incoming.bundle.entries);
    let entries = entries.into_iter().map(|(i, e)| (i, Cow::Owned(e)));
    let plan = merge::plan(vault, entries, &src);
    let preview = preview_of(&incoming, &plan);
    let mut aux = plan.aux;
    aux.push(AuxChange::Log(LogEntry {
        time: Utc::now(),
        action: Action::Import,
        counts,
        deletions,
        peers: vec![incoming.sender.clone()],
        passphrase: false,
        sensitive_included: preview.sensitive_included,
        excluded: preview.excluded,
        merged: Some(preview.total),
        warnings: preview.warnings.clone(),
    }));
    vault.commit_all(plan.records, aux)?;
    Ok(preview)
}

fn count_kinds(entries: &[(Id, Entry)]) -> BTreeMap<Kind, usize> {
    let mut counts: BTreeMap<Kind, usize> = Kind::ALL.iter().map(|k| (*k, 0)).collect();
    for (id, e) in entries {
        if e.record.is_some() {
            *counts.entry(id.kind()).or_default() += 1;
        }
    }
    counts
}

// ---- conflicts -------------------------------------------------------------

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Side {
    Mine,
    Theirs,
}

impl Side {
    pub fn parse(s: &str) -> Option<Side> {
        match s.trim().to_lowercase().as_str() {
            "mine" | "mío" | "mio" => Some(Side::Mine),
            "theirs" | "suyo" => Some(Side::Theirs),
            _ => None,
        }
    }
}

/// How to settle a conflict: one side whole, or field by field (fields not
/// named keep this vault's value).
#[derive(Clone, Debug)]
pub enum Take {
    Whole(Side),
    Fields(Vec<(String, Side)>),
}

/// A field's name as stored (`paper_count`) from the name a person types
/// (`paper-count`), or `None` if the record has no such field.
fn stored_field(obj: &serde_json::Map<String, serde_json::Value>, name: &str) -> Option<String> {
    let key = name.trim().to_lowercase().replace('-', "_");
    [key.clone(), format!("{key}s")]
        .into_iter()
        .find(|k| k != "kind" && obj.contains_key(k))
}

/// The fields where the two sides differ, by stored name.
pub fn differing_fields(mine: &Record, theirs: &Record) -> Vec<String> {
    let (Ok(serde_json::Value::Object(a)), Ok(serde_json::Value::Object(b))) =
        (serde_json::to_value(mine), serde_json::to_value(theirs))
    else {
        return Vec::new();
    };
    a.keys()
        .filter(|k| *k != "kind" && a.get(*k) != b.get(*k))
        .cloned()
        .collect()
}

/// Settles a conflict. The result is newer than both sides, so it wins
/// wherever either side travels next.
pub fn resolve(vault: &mut Vault, id: &Id, take: &Take) -> Result<(), Error> {
    let conflict = vault
        .conflicts()
        .get(id)
        .cloned()
        .ok_or_else(|| Error::NoConflict(id.clone()))?;
    let mine = vault
        .entry(id)
        .cloned()
        .ok_or_else(|| vault::Error::NotFound(id.clone()))?;
    let theirs = &conflict.theirs;
    let record = match take {
        Take::Whole(Side::Mine) => mine.record.clone(),
        Take::Whole(Side::Theirs) => theirs.record.clone(),
        Take::Fields(fields) => Some(merge_fields(&mine, theirs, fields)?),
    };
    let mut record = record;
    if let (Some(m), Some(r)) = (&mine.record, &mut record) {
        keep_held_back_refs(vault, m, r);
    }
    if let Some(r) = &record {
        r.validate().map_err(vault::Error::from)?;
    }
    let mut clock: Clock = merge::join(&mine.meta.clock, &theirs.meta.clock);
    for other in &conflict.also {
        clock = merge::join(&clock, &other.meta.clock);
    }
    *clock.entry(vault.device().to_string()).or_default() += 1;
    let mut meta = mine.meta.clone();
    meta.clock = clock;
    meta.updated = Utc::now();
    let entry = Entry { meta, record };
    vault.commit_all(
        vec![(id.clone(), entry)],
        vec![AuxChange::Conflict(id.clone(), None)],
    )?;
    Ok(())
}

fn merge_fields(mine: &Entry, theirs: &Entry, fields: &[(String, Side)]) -> Result<Record, Error> {
    let (Some(m), Some(t)) = (&mine.record, &theirs.record) else {
        // One side is a deletion: there are no fields to pick from.
        let name = fields.first().map(|f| f.0.clone()).unwrap_or_default();
        return Err(Error::BadTake(name));
    };
    let to_obj = |r: &Record| match serde_json::to_value(r) {
        Ok(serde_json::Value::Object(o)) => Some(o),
        _ => None,
    };
    let (Some(mut out), Some(theirs)) = (to_obj(m), to_obj(t)) else {
        return Err(Error::BadTake(String::new()));
    };
    for (name, side) in fields {
        let key = stored_field(&out, name).ok_or_else(|| Error::BadTake(name.clone()))?;
        if *side == Side::Theirs {
            let v = theirs.get(&key).cloned().unwrap_or(serde_json::Value::Null);
            out.insert(key, v);
        }
    }
    serde_json::from_value(serde_json::Value::Object(out))
        .map_err(|_| Error::BadTake(String::new()))
}

// ---- backup and restore ----------------------------------------------------

/// A vault's own state, carried by a backup beside its records.
#[derive(Serialize, Deserialize)]
struct VaultState {
    keys: keys::StoredKeys,
    stewards: Vec<Steward>,
    log: Vec<LogEntry>,
    conflicts: BTreeMap<Id, Conflict>,
}

/// Writes the whole vault (records, deletions, keys, address book, log,
/// conflicts) to one age file: to this vault's own key (and any stewards
/// named), or to a passphrase.
pub fn backup(vault: &mut Vault, to: &To, out: &Path) -> Result<Written, Error> {
    backup_with(vault, to, out, &NEVER)
}

/// `backup`, stopped cleanly when `stop` is raised.
pub fn backup_with(
    vault: &mut Vault,
    to: &To,
    out: &Path,
    stop: &AtomicBool,
) -> Result<Written, Error> {
    refuse_early(vault, out)?;
    let plan = select(vault, &Selection::All, true)?;
    let state = VaultState {
        keys: vault.keys().to_stored(),
        stewards: vault.stewards().cloned().collect(),
        log: vault.log().to_vec(),
        conflicts: vault.conflicts().clone(),
    };
    // To this vault's own key, plus whoever else was named.
    let own = vault.keys().public().age;
    let mut names: Vec<String> = vec![own];
    let to = match to {
        To::Stewards(more) => {
            names.extend(more.iter().cloned());
            To::Stewards(&names)
        }
        To::Passphrase(p, w) => To::Passphrase(p, *w),
    };
    let (mut peers, passphrase, tmp) =
        write_file(vault, out, &to, Purpose::Backup, &plan, Some(&state), stop)?;
    if let Some(me) = peers.first_mut().filter(|_| !passphrase) {
        me.name = vault.keys().name.clone();
        me.trust = Some(Trust::Own);
    }
    log_written(
        vault,
        Action::Backup,
        plan,
        peers,
        passphrase,
        tmp,
        out,
        stop,
    )
}

/// How to open a backup: with a vault's steward keys, or its passphrase.
pub enum Opener<'a> {
    Keys(&'a Keys),
    Passphrase(&'a Passphrase),
}

/// What a backup holds, per kind, without restoring it (the app shows this
/// before it writes anything).
pub fn backup_contents(file: &Path, opener: Opener) -> Result<BTreeMap<Kind, usize>, Error> {
    Ok(count_kinds(&read_backup(file, opener)?.entries))
}

/// Decrypts and checks a backup file with a vault's keys or its passphrase.
fn read_backup(file: &Path, opener: Opener) -> Result<bundle::Bundle, Error> {
    let throwaway;
    let (keys, p) = match opener {
        Opener::Keys(k) => (k, None),
        Opener::Passphrase(p) => {
            throwaway = Keys::generate();
            (&throwaway, Some(p))
        }
    };
    read_file(
        file,
        keys,
        p,
        |h| {
            if h.purpose != Purpose::Backup {
                return Err(Error::NotBackup);
            }
            Ok(())
        },
        &NEVER,
    )
}

/// Restores a backup into a new vault at `dir`, under `pass`. The new vault
/// keeps the steward identity, address book, log and conflicts, with a device
/// id of its own (so its edits and the old laptop's never get confused).
pub fn restore(
    file: &Path,
    opener: Opener,
    dir: &Path,
    pass: &Passphrase,
    kdf: KdfParams,
) -> Result<Vault, Error> {
    let with_passphrase = matches!(opener, Opener::Passphrase(_));
    let bundle = read_backup(file, opener)?;
    let state: VaultState = bundle
        .vault
        .clone()
        .and_then(|v| serde_json::from_value(v).ok())
        .ok_or(Error::BadBundle {
            line: 2,
            problem: BundleProblem::NoHeader,
        })?;
    let own = Keys::from_stored(&state.keys)
        .ok_or(Error::Altered)?
        .public();
    let mut seen = HashSet::new();
    let mut aux = vec![AuxChange::Keys(state.keys)];
    for s in state.stewards {
        if seen.insert(s.name.to_lowercase()) {
            aux.push(AuxChange::Steward(s.name.clone(), Some(s)));
        }
    }
    aux.extend(state.log.into_iter().map(AuxChange::Log));
    aux.extend(
        state
            .conflicts
            .into_iter()
            .map(|(id, c)| AuxChange::Conflict(id, Some(c))),
    );
    let counts = count_kinds(&bundle.entries);
    let deletions = bundle
        .entries
        .iter()
        .filter(|(_, e)| e.record.is_none())
        .count();
    let sender = bundle.header.sender.clone();
    let mut vault = Vault::create(dir, pass, kdf)?;
    let mut peer = Peer {
        name: sender.name,
        fingerprint: sender.keys.fingerprint(),
        trust: None,
    };
    peer.trust = Some(if sender.keys == own {
        Trust::Own
    } else {
        Trust::Unknown
    });
    aux.push(AuxChange::Log(LogEntry {
        time: Utc::now(),
        action: Action::Restore,
        counts,
        deletions,
        peers: vec![peer],
        passphrase: with_passphrase,
        sensitive_included: true,
        excluded: Excluded::default(),
        merged: None,
        warnings: Vec::new(),
    }));
    if let Err(e) = vault.commit_all(bundle.entries, aux) {
        // Leave no half-restored vault behind.
        let _ = vault.destroy();
        return Err(e.into());
    }
    Ok(vault)
}
