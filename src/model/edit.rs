//! Text typed by a person → typed field values: the parsers and checks the
//! field table (`fields.rs`) puts together in `Record::set`, the single parser
//! for every field, used by `aqui add` (an empty record plus one `set` per
//! option), `aqui edit` and the app's forms. Field names are the CLI option
//! names. List fields add with `FIELD` and remove with `remove-FIELD`; an
//! empty value clears an optional one.

use super::*;
use chrono::Local;

/// Today's date on this laptop's clock.
pub fn today() -> NaiveDate {
    Local::now().date_naive()
}

pub(super) fn check_text(
    field: &str,
    value: &str,
    max: usize,
    required: bool,
) -> Result<(), FieldError> {
    if required && value.trim().is_empty() {
        return Err(FieldError::new(field, Problem::Required));
    }
    // No more characters than bytes: most values are counted by their length.
    if value.len() > max && value.chars().count() > max {
        return Err(FieldError::new(field, Problem::TooLong { max }));
    }
    // Newlines and tabs are fine in long text; other control characters (and
    // bidi overrides that can disguise text) have no business in a record.
    let bad = |c: char| {
        (c.is_control() && c != '\n' && c != '\t' && c != '\r')
            || matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
    };
    // Each of those begins with a byte below 0x20, 0x7F, 0xC2 (U+0080 to
    // U+009F) or 0xE2 (the overrides): text with none of them is looked at
    // no closer (every import checks every field of every record).
    let may_hold = |b: u8| b < 0x20 || b == 0x7F || b == 0xC2 || b == 0xE2;
    if value.bytes().any(may_hold) && value.chars().any(bad) {
        return Err(FieldError::new(field, Problem::ControlChars));
    }
    Ok(())
}

/// Tags and languages are typed as a comma-separated list in the app, so a
/// comma inside one would split it in two on the next save.
pub(super) fn check_no_comma(field: &str, value: &str) -> Result<(), FieldError> {
    if value.contains(',') {
        return Err(FieldError::new(field, Problem::BadChar { ch: ',' }));
    }
    Ok(())
}

pub(super) fn text(
    field: &str,
    value: &str,
    max: usize,
    required: bool,
) -> Result<String, FieldError> {
    let v = value.trim();
    check_text(field, v, max, required)?;
    Ok(v.to_string())
}

pub(super) fn check_phone(v: &str) -> Result<(), FieldError> {
    let digits = v.chars().filter(char::is_ascii_digit).count();
    let ok = v.is_empty()
        || (v.len() <= 32
            && digits >= 3
            && v.chars()
                .all(|c| c.is_ascii_digit() || " +-().".contains(c)));
    ok.then_some(())
        .ok_or(FieldError::new("phone", Problem::BadPhone))
}

pub(super) fn check_email(v: &str) -> Result<(), FieldError> {
    let ok = v.is_empty()
        || (v.len() <= 254
            && !v.chars().any(|c| c.is_whitespace() || c.is_control())
            && matches!(v.split_once('@'), Some((local, domain))
                if !local.is_empty() && !domain.contains('@')
                    && domain.contains('.') && !domain.starts_with('.') && !domain.ends_with('.')));
    ok.then_some(())
        .ok_or(FieldError::new("email", Problem::BadEmail))
}

/// A Signal phone number or a username (`name.42`).
pub(super) fn check_signal(v: &str) -> Result<(), FieldError> {
    let ok = v.is_empty()
        || check_phone(v).is_ok()
        || (v.len() <= 64 && v.chars().all(|c| c.is_alphanumeric() || "._@".contains(c)));
    ok.then_some(())
        .ok_or(FieldError::new("signal", Problem::BadSignal))
}

pub(super) fn date(field: &str, v: &str) -> Result<NaiveDate, FieldError> {
    NaiveDate::parse_from_str(v.trim(), "%Y-%m-%d")
        .map_err(|_| FieldError::new(field, Problem::BadDate))
}

pub(super) fn opt_date(field: &str, v: &str) -> Result<Option<NaiveDate>, FieldError> {
    if v.trim().is_empty() {
        Ok(None)
    } else {
        date(field, v).map(Some)
    }
}

pub(super) fn number(field: &str, v: &str, min: u64) -> Result<u32, FieldError> {
    let max = limits::COUNT;
    v.trim()
        .parse::<u64>()
        .ok()
        .filter(|n| (min..=max).contains(n))
        .and_then(|n| u32::try_from(n).ok())
        .ok_or(FieldError::new(field, Problem::BadNumber { min, max }))
}

/// yes/no in both languages, and the usual spellings.
pub fn parse_bool(field: &str, v: &str) -> Result<bool, FieldError> {
    match v.trim().to_lowercase().as_str() {
        "" | "yes" | "y" | "true" | "1" | "si" | "sí" | "s" => Ok(true),
        "no" | "n" | "false" | "0" => Ok(false),
        _ => Err(FieldError::new(field, Problem::BadBool)),
    }
}

pub(super) fn consent_state(field: &str, v: &str) -> Result<ConsentState, FieldError> {
    ConsentState::from_text(v).ok_or(FieldError::new(
        field,
        Problem::BadChoice {
            allowed: ConsentState::allowed(),
        },
    ))
}

pub(super) fn id(field: &str, v: &str) -> Result<Id, FieldError> {
    Id::parse(v).ok_or(FieldError::new(field, Problem::BadId))
}

pub(super) fn opt_id(field: &str, v: &str) -> Result<Option<Id>, FieldError> {
    if v.trim().is_empty() {
        Ok(None)
    } else {
        id(field, v).map(Some)
    }
}

pub(super) fn choice<T>(
    field: &str,
    v: &str,
    parse: fn(&str) -> Option<T>,
    allowed: String,
) -> Result<T, FieldError> {
    parse(v).ok_or(FieldError::new(field, Problem::BadChoice { allowed }))
}

/// A follow-up typed as text: `TASK|YYYY-MM-DD|PERSON_ID|done`, the one
/// parser the CLI (`--follow-up`) and the app's note form share.
///
/// With four or more `|`-separated parts the last three are always the due
/// date, the person and `done` (each may be empty), and everything before them
/// is the task, `|` included: that is the form [`FollowUp::to_text`] writes,
/// so any task round-trips. The short forms `TASK`, `TASK|DATE` and
/// `TASK|DATE|PERSON_ID` are read from the left; a task containing `|` needs
/// the full form there (`A|B|2026-12-01||`), or its pieces are taken for a
/// date and refused.
pub(super) fn follow_up(v: &str) -> Result<FollowUp, FieldError> {
    let parts: Vec<&str> = v.split('|').collect();
    let (task, tail) = if parts.len() >= 4 {
        let (task, tail) = parts.split_at(parts.len() - 3);
        (task.join("|"), tail)
    } else {
        let (task, tail) = parts.split_at(1);
        (task.concat(), tail)
    };
    let part = |i: usize| tail.get(i).copied().unwrap_or_default();
    let task = text("follow-up", &task, limits::SHORT, true)?;
    let due = opt_date("due", part(0))?;
    let who = opt_id("who", part(1))?;
    let done = match part(2).trim() {
        "" => false,
        d => d == "done" || parse_bool("done", d)?,
    };
    Ok(FollowUp {
        task,
        who,
        due,
        done,
    })
}

impl FollowUp {
    /// The full text form `TASK|DUE|PERSON_ID|done` (empty parts left empty),
    /// which `Record::set("follow-up", …)` reads back to the same follow-up.
    pub fn to_text(&self) -> String {
        let due = self.due.map(|d| d.to_string()).unwrap_or_default();
        let who = self.who.as_ref().map(Id::to_string).unwrap_or_default();
        let done = if self.done { "done" } else { "" };
        format!("{}|{due}|{who}|{done}", self.task)
    }
}

impl Record {
    /// Fills what a new record gets from the moment it is created: a demand's
    /// first entry in its status history.
    pub fn prepare_new(&mut self, today: NaiveDate) {
        if let Record::Demand(d) = self {
            if d.history.is_empty() {
                d.history.push(StatusChange {
                    status: d.status,
                    date: today,
                });
            }
        }
    }
}

impl Demand {
    /// Changes the status and records the change, dated, in the history.
    pub fn set_status(&mut self, status: DemandStatus, date: NaiveDate) {
        if self.status != status || self.history.is_empty() {
            self.status = status;
            self.history.push(StatusChange { status, date });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn fields_parse_and_reject() {
        let mut p = Record::empty(Kind::Person);
        let t = day("2026-11-21");
        p.set("name", "  María  ", t).unwrap();
        p.set("phone", "+1 (555) 010-2000", t).unwrap();
        p.set("tag", "rapid-response", t).unwrap();
        p.set("tag", "rapid-response", t).unwrap();
        p.set("no-share", "", t).unwrap();
        let Record::Person(ref person) = p else {
            panic!()
        };
        assert_eq!(person.name, "María");
        assert_eq!(person.tags, vec!["rapid-response"]);
        assert_eq!(person.consent_share, ConsentState::No);
        assert_eq!(
            p.set("phone", "call me", t).unwrap_err().problem,
            Problem::BadPhone
        );
        assert_eq!(
            p.set("email", "a@b", t).unwrap_err().problem,
            Problem::BadEmail
        );
        assert_eq!(
            p.set("name", "   ", t).unwrap_err().problem,
            Problem::Required
        );
        assert_eq!(
            p.set("name", "a\u{0}b", t).unwrap_err().problem,
            Problem::ControlChars
        );
        assert_eq!(
            p.set("status", "x", t).unwrap_err().problem,
            Problem::UnknownField
        );
        assert!(p.validate().is_ok());
    }

    #[test]
    fn text_checks_count_characters_and_find_every_control_character() {
        let check = |v: &str, max| check_text("name", v, max, true).map_err(|e| e.problem);
        assert_eq!(check("María José", 10), Ok(()));
        assert_eq!(check("¿Dónde?\n\tSí\r", 12), Ok(()));
        assert_eq!(check("María Josés", 10), Err(Problem::TooLong { max: 10 }));
        for bad in [
            "a\u{0}b",
            "a\u{1b}b",
            "a\u{7f}b",
            "Ángel\u{85}",
            "Ana\u{9f}",
        ] {
            assert_eq!(check(bad, 100), Err(Problem::ControlChars), "{bad:?}");
        }
        for bad in [
            "Ana\u{202A}",
            "Ana\u{202E}lanigiro",
            "é\u{2066}",
            "x\u{2069}",
        ] {
            assert_eq!(check(bad, 100), Err(Problem::ControlChars), "{bad:?}");
        }
        // Near neighbours of those are fine.
        assert_eq!(check("\u{a0}\u{2029}\u{2065}\u{206a}\u{202f}", 100), Ok(()));
    }

    #[test]
    fn status_changes_are_dated() {
        let mut d = Record::empty(Kind::Demand);
        d.set("title", "End 287(g)", day("2026-01-01")).unwrap();
        d.set("target", "County Board", day("2026-01-01")).unwrap();
        d.prepare_new(day("2026-01-01"));
        d.set("status", "active", day("2026-02-01")).unwrap();
        d.set("status", "active", day("2026-02-02")).unwrap();
        d.set("status", "won", day("2026-06-30")).unwrap();
        let Record::Demand(d) = d else { panic!() };
        let got: Vec<_> = d.history.iter().map(|h| (h.status, h.date)).collect();
        assert_eq!(
            got,
            vec![
                (DemandStatus::Drafting, day("2026-01-01")),
                (DemandStatus::Active, day("2026-02-01")),
                (DemandStatus::Won, day("2026-06-30")),
            ]
        );
    }

    #[test]
    fn follow_ups_parse() {
        let mut n = Record::empty(Kind::Note);
        let t = day("2026-11-21");
        let who = Id::new(Kind::Person);
        n.set("follow-up", &format!("Call the pastor|2026-12-01|{who}"), t)
            .unwrap();
        n.set("follow-up", "Book the hall", t).unwrap();
        n.set("done", "2", t).unwrap();
        n.set("follow-up", "Print flyers|2026-12-02||done", t)
            .unwrap();
        assert!(n.set("done", "4", t).is_err());
        let Record::Note(n) = n else { panic!() };
        assert_eq!(n.follow_ups[0].due, Some(day("2026-12-01")));
        assert_eq!(n.follow_ups[0].who, Some(who));
        assert!(n.follow_ups[1].done);
        assert!(n.follow_ups[2].done && !n.follow_ups[0].done);
    }

    #[test]
    fn a_task_with_bars_round_trips() {
        let t = day("2026-11-21");
        let who = Id::new(Kind::Person);
        for task in [
            "a|b",
            "|lead",
            "trail|",
            "x||y|z|w",
            "|",
            "Print | fold | hand out",
        ] {
            let fu = FollowUp {
                task: task.into(),
                who: Some(who.clone()),
                due: Some(day("2026-12-01")),
                done: true,
            };
            let mut n = Record::empty(Kind::Note);
            n.set("follow-up", &fu.to_text(), t).unwrap();
            let Record::Note(n) = n else { panic!() };
            assert_eq!(n.follow_ups, vec![fu], "{task}");
        }
        // short forms are read from the left: bars in them are refused, not split silently
        let mut n = Record::empty(Kind::Note);
        let err = n.set("follow-up", "Call Ana|Luis", t).unwrap_err();
        assert_eq!((err.field.as_str(), err.problem), ("due", Problem::BadDate));
    }
}
