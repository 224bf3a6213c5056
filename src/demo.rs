//! The sample chapter behind `aqui demo` and the app's "try it" button.
//!
//! The records are data, not code: `demo/sample.en.txt` and
//! `demo/sample.es.txt` (embedded in the binary) hold the same fictional
//! chapter in each language, with dates as days from today so follow-ups are
//! due and the pledge drive is running whenever someone tries it. The format
//! is described at the top of the English file; [`sample_chapter_in`] reads it.
//!
//! The app's sample vault uses a fixed passphrase ([`passphrase`]), shown on
//! screen: it holds only fictional data, and a passphrase invented just to
//! try the app would become a second secret to keep.

use crate::i18n::Lang;
use crate::model::{DemandStatus, Id, Kind, Record};
use crate::vault::{Error, Vault};
use chrono::{Duration, NaiveDate};
use std::collections::HashMap;

/// The passphrase of the app's sample-chapter vault in `lang`, the same for
/// everyone and written in `ui-demo-explain` (a test checks they agree).
pub fn passphrase(lang: Lang) -> &'static str {
    match lang {
        Lang::En => "sample chapter",
        Lang::Es => "sección de ejemplo",
    }
}

const EN: &str = include_str!("demo/sample.en.txt");
const ES: &str = include_str!("demo/sample.es.txt");

/// The records of the sample chapter in English (see [`sample_chapter_in`]).
pub fn sample_chapter(today: NaiveDate) -> Vec<(Id, Record)> {
    sample_chapter_in(Lang::En, today)
}

/// The records of the sample chapter in `lang`, ids included, in an order
/// where each record only refers to records before it.
pub fn sample_chapter_in(lang: Lang, today: NaiveDate) -> Vec<(Id, Record)> {
    let source = match lang {
        Lang::En => EN,
        Lang::Es => ES,
    };
    // The files are compiled in and every line is checked by the test suite
    // in both languages, so a failure here is a build defect.
    read(source, today).expect("the embedded sample chapter is valid")
}

/// Reads a sample file: a record per block, `field = value` per line.
fn read(source: &str, today: NaiveDate) -> Result<Vec<(Id, Record)>, String> {
    let mut out: Vec<(Id, Record)> = Vec::new();
    let mut names: HashMap<&str, Id> = HashMap::new();
    for (n, line) in source.lines().enumerate() {
        let line = line.trim();
        let at = |e: String| format!("line {}: {e}", n + 1);
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let Some((field, value)) = line.split_once(" = ") else {
            let (kind, name) = line.split_once(' ').ok_or_else(|| at("no name".into()))?;
            let kind = Kind::parse(kind).ok_or_else(|| at(format!("kind {kind}")))?;
            let id = Id::new(kind);
            if names.insert(name, id.clone()).is_some() {
                return Err(at(format!("{name} twice")));
            }
            out.push((id, Record::empty(kind)));
            continue;
        };
        let (_, record) = out.last_mut().ok_or_else(|| at("no record".into()))?;
        if field == "history" {
            set_history(record, value, today).map_err(at)?;
            continue;
        }
        let value = value
            .split('|')
            .map(|part| resolve(part, &names, today))
            .collect::<Result<Vec<_>, _>>()
            .map_err(at)?
            .join("|")
            .replace("\\n", "\n");
        record
            .set(field, &value, today)
            .map_err(|e| at(format!("{field}: {e:?}")))?;
    }
    Ok(out)
}

/// `@name` (optionally `@name:role`) becomes the record's id, `today±N` a date.
fn resolve(part: &str, names: &HashMap<&str, Id>, today: NaiveDate) -> Result<String, String> {
    if let Some(rest) = part.strip_prefix('@') {
        let (name, role) = match rest.split_once(':') {
            Some((name, role)) => (name, Some(role)),
            None => (rest, None),
        };
        let id = names.get(name).ok_or_else(|| format!("@{name} unknown"))?;
        return Ok(match role {
            Some(role) => format!("{id}:{role}"),
            None => id.to_string(),
        });
    }
    if let Some(offset) = part.strip_prefix("today") {
        let days: i64 = offset
            .trim_start_matches('+')
            .parse()
            .map_err(|_| format!("{part} is not today±N"))?;
        return Ok(day(today, days));
    }
    Ok(part.to_string())
}

fn day(today: NaiveDate, offset: i64) -> String {
    (today + Duration::days(offset))
        .format("%Y-%m-%d")
        .to_string()
}

/// `drafting -120, active -60`: a demand's dated status changes.
fn set_history(record: &mut Record, steps: &str, today: NaiveDate) -> Result<(), String> {
    let Record::Demand(d) = record else {
        return Err("history on a record that is not a demand".into());
    };
    d.history.clear();
    for step in steps.split(',') {
        let (status, offset) = step
            .trim()
            .split_once(' ')
            .ok_or_else(|| format!("history step {step}"))?;
        let status = DemandStatus::parse(status).ok_or_else(|| format!("status {status}"))?;
        let offset: i64 = offset.parse().map_err(|_| format!("days {offset}"))?;
        d.set_status(status, today + Duration::days(offset));
    }
    Ok(())
}

/// Fills an empty vault with the English sample chapter, all or nothing.
pub fn fill(vault: &mut Vault, today: NaiveDate) -> Result<usize, Error> {
    fill_in(vault, Lang::En, today)
}

/// Fills an empty vault with the sample chapter in `lang`, all or nothing.
pub fn fill_in(vault: &mut Vault, lang: Lang, today: NaiveDate) -> Result<usize, Error> {
    let records = sample_chapter_in(lang, today);
    let n = records.len();
    vault.add_all(records)?;
    Ok(n)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_languages_read_and_hold_the_same_chapter() {
        let today = NaiveDate::from_ymd_opt(2026, 12, 1).unwrap();
        let en = read(EN, today).unwrap();
        let es = read(ES, today).unwrap();
        assert_eq!(en.len(), 27);
        let kinds = |v: &[(Id, Record)]| v.iter().map(|(_, r)| r.kind()).collect::<Vec<_>>();
        assert_eq!(kinds(&en), kinds(&es));
        // The same dates, goals and statuses: only the words differ.
        for ((_, a), (_, b)) in en.iter().zip(&es) {
            match (a, b) {
                (Record::Demand(a), Record::Demand(b)) => assert_eq!(a.history, b.history),
                (Record::Pledge(a), Record::Pledge(b)) => {
                    assert_eq!((a.goal, a.deadline), (b.goal, b.deadline))
                }
                (Record::Note(a), Record::Note(b)) => {
                    assert_eq!(a.date, b.date);
                    assert_eq!(a.follow_ups.len(), b.follow_ups.len());
                }
                _ => {}
            }
        }
    }

    #[test]
    fn the_screen_shows_the_sample_passphrase() {
        for lang in Lang::ALL {
            let shown = crate::i18n::text(lang, "ui-demo-explain");
            assert!(shown.contains(passphrase(lang)), "{lang:?}: {shown}");
        }
    }

    #[test]
    fn a_wrong_line_is_refused_with_its_number() {
        let today = NaiveDate::from_ymd_opt(2026, 12, 1).unwrap();
        let e = read("person p\nname = A\norg = @nobody", today).unwrap_err();
        assert!(e.starts_with("line 3"), "{e}");
        assert!(read("person p\nnext-follow-up = today+x", today).is_err());
        assert!(read("org o\nhistory = drafting -1", today).is_err());
    }
}
