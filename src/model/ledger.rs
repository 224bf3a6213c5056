//! The ledger: what the vault keeps beside each record and about the
//! vault's exchanges with others.
//!
//! A record's bookkeeping (`Meta`, its version `Clock`, the stored `Entry`
//! with tombstones), the audit log (`LogEntry`: counts and who, never what),
//! and the conflicts waiting for a person (`Conflict`, and why a change was
//! `Held`). Plain data: the vault stores it, handoff and retention write it.

use super::{FieldError, Id, Kind, Problem, Record};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Bookkeeping kept with every record.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Meta {
    #[serde(serialize_with = "utc", deserialize_with = "read_utc")]
    pub created: DateTime<Utc>,
    #[serde(serialize_with = "utc", deserialize_with = "read_utc")]
    pub updated: DateTime<Utc>,
    /// Version vector: how many edits each device has made to this record, so
    /// a merge can tell a newer edit from a concurrent one.
    pub clock: Clock,
}

/// A version vector: device id → how many edits it made. Kept as one sorted
/// vector (a record usually has one or two devices): a `BTreeMap` would take
/// a ~400-byte node per record.
pub type Clock = litemap::LiteMap<String, u64>;

/// A record as stored: `record` is `None` once deleted (a tombstone, kept so a
/// deletion can travel to other vaults).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Entry {
    pub meta: Meta,
    pub record: Option<Record>,
}

impl Record {
    /// The part of the write rule a record meets on its own: its kind is
    /// the id's, it validates, and each reference names a record of the
    /// right kind. Whether those records exist here is the vault's to check
    /// (`vault::Changes`); a bundle's records meet this much as they are read.
    pub fn check(&self, id: &Id) -> Result<(), FieldError> {
        if self.kind() != id.kind() {
            let expected = id.kind();
            return Err(FieldError::new("kind", Problem::WrongKind { expected }));
        }
        self.validate()?;
        for (field, target, kind) in self.refs() {
            if target.kind() != kind {
                return Err(FieldError::new(
                    field,
                    Problem::WrongKind { expected: kind },
                ));
            }
        }
        Ok(())
    }
}

/// An entry whose record met `Record::check` under `id` (a tombstone has
/// nothing to check). Only `Checked::new` makes one, and neither its id nor
/// its record can change afterwards (its `meta` can: the check does not read
/// it), so holding one is proof that the check passed: a commit of records
/// that arrived from elsewhere, which asks that much of them, takes it
/// without checking it again (`vault::Changes::put_checked`).
#[derive(Clone, Debug, PartialEq)]
pub struct Checked {
    id: Id,
    entry: Entry,
}

impl Checked {
    /// `entry` under `id`, once its record meets `Record::check`.
    pub fn new(id: Id, entry: Entry) -> Result<Checked, FieldError> {
        if let Some(record) = &entry.record {
            record.check(&id)?;
        }
        Ok(Checked { id, entry })
    }

    pub fn id(&self) -> &Id {
        &self.id
    }

    /// The bookkeeping, which the check does not read (a merge caps the
    /// clock).
    pub fn meta_mut(&mut self) -> &mut Meta {
        &mut self.entry.meta
    }

    pub fn into_parts(self) -> (Id, Entry) {
        (self.id, self.entry)
    }
}

impl std::ops::Deref for Checked {
    type Target = Entry;

    fn deref(&self) -> &Entry {
        &self.entry
    }
}

/// What an incoming record does to this vault.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    New,
    Updated,
    Deleted,
    Unchanged,
    Conflict,
    /// Held for a person to decide: "needs your decision".
    Held,
}

/// Counts per outcome, for one kind.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Tally {
    pub new: usize,
    pub updated: usize,
    pub deleted: usize,
    pub unchanged: usize,
    pub conflict: usize,
    #[serde(default)]
    pub held: usize,
}

impl Tally {
    /// Counts one more `o`.
    pub fn add(&mut self, o: Outcome) {
        match o {
            Outcome::New => self.new += 1,
            Outcome::Updated => self.updated += 1,
            Outcome::Deleted => self.deleted += 1,
            Outcome::Unchanged => self.unchanged += 1,
            Outcome::Conflict => self.conflict += 1,
            Outcome::Held => self.held += 1,
        }
    }
}

/// People left out of an export, and why.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Excluded {
    pub sensitive: usize,
    pub no_consent: usize,
}

/// What an audit log entry records.
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

/// A time as chrono writes it (RFC 3339, `Z`, the fraction as 3, 6 or 9
/// digits or none), byte for byte, laid out by hand: chrono's own went
/// through `fmt` and its offset arithmetic, a third of serializing a
/// record's bookkeeping (every record sealed writes two). Years chrono
/// writes with a sign go to chrono.
fn utc<S: serde::Serializer>(t: &DateTime<Utc>, s: S) -> Result<S::Ok, S::Error> {
    use chrono::{Datelike, Timelike};
    // UTC's own fields, read once (each of `DateTime`'s adds the offset).
    let (date, time) = (t.naive_utc().date(), t.naive_utc().time());
    let year = date.year();
    if !(0..=9999).contains(&year) {
        return t.serialize(s);
    }
    let (mut sec, mut nano) = (time.second(), time.nanosecond());
    // A leap second, as chrono writes it.
    if nano >= 1_000_000_000 {
        sec += 1;
        nano -= 1_000_000_000;
    }
    fn put(digits: &mut [u8], mut v: u32) {
        for d in digits.iter_mut().rev() {
            *d = b'0' + (v % 10) as u8;
            v /= 10;
        }
    }
    let mut text = *b"0000-00-00T00:00:00.000000000Z";
    put(&mut text[0..4], year as u32);
    put(&mut text[5..7], date.month());
    put(&mut text[8..10], date.day());
    put(&mut text[11..13], time.hour());
    put(&mut text[14..16], time.minute());
    put(&mut text[17..19], sec);
    let (fraction, width) = match nano {
        0 => (0, 0),
        _ if nano % 1_000_000 == 0 => (nano / 1_000_000, 3),
        _ if nano % 1_000 == 0 => (nano / 1_000, 6),
        _ => (nano, 9),
    };
    let end = if width == 0 {
        19
    } else {
        put(&mut text[20..20 + width], fraction);
        20 + width
    };
    text[end] = b'Z';
    // Only ASCII digits and separators were written.
    s.serialize_str(std::str::from_utf8(&text[..=end]).unwrap_or_default())
}

/// A time read as chrono's `Deserialize` reads it (the same value, the
/// same errors), with the form `utc` writes (`YYYY-MM-DDTHH:MM:SS`, a
/// fraction of 1 to 9 digits or none, `Z`) read by hand: chrono's parser
/// was most of reading a record's bookkeeping (every record read has two).
/// Anything else (another offset, a leap second, a lowercase `t`, more
/// digits) goes to chrono.
fn read_utc<'de, D: serde::Deserializer<'de>>(d: D) -> Result<DateTime<Utc>, D::Error> {
    struct Visitor;
    impl serde::de::Visitor<'_> for Visitor {
        type Value = DateTime<Utc>;

        fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
            // chrono's words, so a wrong type reads as it did.
            f.write_str("an RFC 3339 formatted date and time string")
        }

        fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<DateTime<Utc>, E> {
            match plain_utc(v.as_bytes()) {
                Some(t) => Ok(t),
                None => v
                    .parse::<DateTime<chrono::FixedOffset>>()
                    .map(|t| t.with_timezone(&Utc))
                    .map_err(E::custom),
            }
        }
    }
    d.deserialize_str(Visitor)
}

/// The form `utc` writes, read; `None` for anything else.
fn plain_utc(b: &[u8]) -> Option<DateTime<Utc>> {
    let num = |r: std::ops::Range<usize>| -> Option<u32> {
        let digits = b.get(r)?;
        digits.iter().try_fold(0u32, |n, &c| {
            c.is_ascii_digit().then(|| n * 10 + u32::from(c - b'0'))
        })
    };
    let seps = [(4, b'-'), (7, b'-'), (10, b'T'), (13, b':'), (16, b':')];
    if seps.iter().any(|&(at, c)| b.get(at) != Some(&c)) || b.last() != Some(&b'Z') {
        return None;
    }
    let nano = match b.len() {
        20 => 0,
        22..=30 if b[19] == b'.' => {
            let width = b.len() - 21;
            num(20..b.len() - 1)? * 10u32.pow(9 - width as u32)
        }
        _ => return None,
    };
    let (sec, nano) = (num(17..19)?, nano);
    // A leap second is chrono's to read.
    if sec > 59 {
        return None;
    }
    let date = chrono::NaiveDate::from_ymd_opt(num(0..4)? as i32, num(5..7)?, num(8..10)?)?;
    let time = chrono::NaiveTime::from_hms_nano_opt(num(11..13)?, num(14..16)?, sec, nano)?;
    Some(date.and_time(time).and_utc())
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{NaiveDate, TimeZone};

    /// `utc` writes what chrono's own `Serialize` writes, for every
    /// fraction's length, a leap second, and years it writes with a sign.
    #[test]
    fn times_are_written_as_chrono_writes_them() {
        #[derive(Serialize)]
        struct Ours(#[serde(serialize_with = "utc")] DateTime<Utc>);
        let mut times = vec![Utc::now()];
        for (y, nano) in [
            (2026, 0),
            (2026, 5_000_000),
            (2026, 120_000),
            (2026, 7),
            (2026, 999_999_999),
            (0, 1_000),
            (9999, 0),
            (-1, 0),
            (10_000, 3),
            (1970, 1_500_000_000),
            (1970, 1_000_000_000),
        ] {
            let day = NaiveDate::from_ymd_opt(y, 12, 31).expect("date");
            let t = day.and_hms_nano_opt(23, 59, 59, nano).expect("time");
            times.push(Utc.from_utc_datetime(&t));
        }
        for i in 0..2_000u32 {
            let nano = [0, 1_000_000, 1_000, 1][i as usize % 4] * (i * 7919 % 999);
            let t = Utc.timestamp_opt(i64::from(i) * 86_413 * 37, nano).single();
            times.push(t.expect("time"));
        }
        for t in times {
            let chrono = serde_json::to_string(&t).expect("json");
            assert_eq!(
                serde_json::to_string(&Ours(t)).expect("json"),
                chrono,
                "{t:?}"
            );
        }
    }

    /// `read_utc` reads what chrono's `Deserialize` reads, the same value or
    /// the same error: every time `utc` writes, and strings near that form.
    #[test]
    fn times_are_read_as_chrono_reads_them() {
        #[derive(Debug, Deserialize)]
        struct Ours(#[serde(deserialize_with = "read_utc")] DateTime<Utc>);
        let read = |json: &str| {
            let ours = serde_json::from_str::<Ours>(json).map(|o| o.0);
            let chrono = serde_json::from_str::<DateTime<Utc>>(json);
            match (ours, chrono) {
                (Ok(a), Ok(b)) => assert_eq!(a, b, "{json}"),
                (Err(a), Err(b)) => assert_eq!(a.to_string(), b.to_string(), "{json}"),
                (a, b) => panic!("{json}: {a:?} against {b:?}"),
            }
        };
        let mut texts = Vec::new();
        for i in 0..3_000u32 {
            let nano = [0, 1_000_000, 1_000, 1][i as usize % 4] * (i * 7919 % 999);
            let t = Utc.timestamp_opt(i64::from(i) * 86_413 * 37 - 4_000_000_000, nano);
            #[derive(Serialize)]
            struct Written(#[serde(serialize_with = "utc")] DateTime<Utc>);
            texts.push(serde_json::to_string(&Written(t.single().expect("time"))).expect("json"));
        }
        for t in [
            "2026-12-02T06:11:11Z",
            "2026-12-02T06:11:11.5Z",
            "2026-12-02T06:11:11.123456789Z",
            "2026-12-02T06:11:11.1234567891Z",
            "2026-12-02T06:11:11.Z",
            "2026-12-02T06:11:60Z",
            "2016-12-31T23:59:60.5Z",
            "2026-12-02T06:11:11z",
            "2026-12-02t06:11:11Z",
            "2026-12-02 06:11:11Z",
            "2026-12-02T06:11:11+00:00",
            "2026-12-02T06:11:11-05:00",
            "2026-12-02T06:11Z",
            "2026-12-02T24:00:00Z",
            "2026-12-02T23:60:00Z",
            "2026-02-29T00:00:00Z",
            "2024-02-29T00:00:00Z",
            "2026-13-01T00:00:00Z",
            "2026-00-01T00:00:00Z",
            "2026-01-00T00:00:00Z",
            "2026-01-32T00:00:00Z",
            "0000-01-01T00:00:00Z",
            "9999-12-31T23:59:59.999999999Z",
            "+12026-01-01T00:00:00Z",
            "-0001-01-01T00:00:00Z",
            "2026-1-01T00:00:00Z",
            "2026-01-01T00:00:0aZ",
            "2026-01-01T00:00:00.12a4Z",
            "2026-01-01T00:00:00.-1Z",
            "2026-01-01T00:00:00.+1Z",
            "2026-01-01T00:00:00ZZ",
            "2026-01-01T00:00:00",
            "",
            "Z",
            "2026-01-01T00:00:00\\u005a",
        ] {
            texts.push(format!("\"{t}\""));
        }
        texts.extend(["1", "null", "true", "[]", "{}"].map(String::from));
        for json in &texts {
            read(json);
        }
    }
}
