//! Reports with no one in them: a quarterly bulletin or an annual report for a
//! period, as figures (`Report`, the `--json` output) and as one
//! self-contained HTML page (`html`).
//!
//! What a report may say: demand titles and their status changes, pledge drive
//! titles and their counts, how many meetings/trainings/actions and how many
//! came, partner organizations (names only of those not marked private),
//! people as counts, follow-ups as counts, growth by month. Never a person's
//! name, alias, phone, email, Signal handle, or a note's title or body: the
//! figures below hold no field of a person or of a note's text at all.
//!
//! Any count that breaks people down (by language) below the threshold
//! (5 by default) is `Small::FewerThan`, shown as "fewer than 5".

pub mod html;

use crate::model::{Id, Kind, NoteKind, PledgeDrive, Record, Relationship};
use crate::vault::{Entry, Vault};
use chrono::{Datelike, Months, NaiveDate};
use serde::Serialize;
use std::collections::BTreeMap;

/// The default small-number threshold.
pub const THRESHOLD: u64 = 5;

/// A report's period, both ends included.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct Period {
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub span: Span,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Span {
    Quarter { year: i32, quarter: u32 },
    Year { year: i32 },
    Dates,
}

impl Period {
    /// `2026-Q4` or `2026`.
    pub fn parse(s: &str) -> Option<Period> {
        let s = s.trim();
        if let Some((y, q)) = s.split_once(['-', ' ']) {
            let year: i32 = y.parse().ok()?;
            let quarter: u32 = q.trim_start_matches(['Q', 'q', 'T', 't']).parse().ok()?;
            if !(1..=4).contains(&quarter) || q.len() != 2 {
                return None;
            }
            let from = NaiveDate::from_ymd_opt(year, (quarter - 1) * 3 + 1, 1)?;
            let to = from.checked_add_months(Months::new(3))?.pred_opt()?;
            return Some(Period {
                from,
                to,
                span: Span::Quarter { year, quarter },
            });
        }
        if s.len() != 4 {
            return None;
        }
        let year: i32 = s.parse().ok()?;
        Some(Period {
            from: NaiveDate::from_ymd_opt(year, 1, 1)?,
            to: NaiveDate::from_ymd_opt(year, 12, 31)?,
            span: Span::Year { year },
        })
    }

    /// From one date to another, both included.
    pub fn dates(from: NaiveDate, to: NaiveDate) -> Option<Period> {
        (from <= to).then_some(Period {
            from,
            to,
            span: Span::Dates,
        })
    }

    pub fn contains(&self, d: NaiveDate) -> bool {
        self.from <= d && d <= self.to
    }

    /// An annual report for a year or more, a bulletin otherwise.
    pub fn is_annual(&self) -> bool {
        matches!(self.span, Span::Year { .. }) || (self.to - self.from).num_days() >= 364
    }

    /// The first day of every month the period touches.
    pub fn months(&self) -> Vec<NaiveDate> {
        let mut out = Vec::new();
        let mut m = self.from.with_day(1).unwrap_or(self.from);
        while m <= self.to && out.len() < 1200 {
            out.push(m);
            match m.checked_add_months(Months::new(1)) {
                Some(next) => m = next,
                None => break,
            }
        }
        out
    }
}

/// A count that breaks people down: shown only at or above the threshold.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Small {
    Count(u64),
    /// Between 1 and the threshold, less one.
    FewerThan(u64),
    /// Not shown, so that a hidden small number cannot be worked out from
    /// the total and the others (when only one number of a breakdown was
    /// hidden, the smallest other is withheld too).
    Withheld,
}

/// A breakdown of people, with the small-number rule applied: each count
/// under the threshold hidden, and, when that hides only one, the smallest
/// other withheld as well (the breakdown's total is shown elsewhere, so a
/// single hidden number would be the total less the others). Ties go to the
/// first key, so the same counts always give the same result.
pub fn breakdown(counts: BTreeMap<String, u64>, threshold: u64) -> BTreeMap<String, Small> {
    let mut out: BTreeMap<String, Small> = counts
        .iter()
        .map(|(k, n)| (k.clone(), Small::of(*n, threshold)))
        .collect();
    let hidden = out
        .values()
        .filter(|s| matches!(s, Small::FewerThan(_)))
        .count();
    if hidden == 1 {
        let smallest = counts
            .iter()
            .filter(|(k, _)| matches!(out.get(*k), Some(Small::Count(_))))
            .min_by_key(|(_, n)| **n)
            .map(|(k, _)| k.clone());
        if let Some(k) = smallest {
            out.insert(k, Small::Withheld);
        }
    }
    out
}

impl Small {
    pub fn of(n: u64, threshold: u64) -> Small {
        if n > 0 && n < threshold {
            Small::FewerThan(threshold)
        } else {
            Small::Count(n)
        }
    }
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Report {
    pub period: Period,
    pub annual: bool,
    pub threshold: u64,
    pub demands: Vec<DemandFig>,
    pub demands_won: u64,
    pub pledges: Vec<PledgeFig>,
    pub activity: Vec<ActivityFig>,
    pub orgs: OrgFigs,
    pub people: PeopleFigs,
    pub follow_ups: FollowUpFigs,
    pub growth: Vec<MonthFig>,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct DemandFig {
    pub title: String,
    pub target: String,
    /// The status at the end of the period.
    pub status: crate::model::DemandStatus,
    /// Status changes dated in the period, oldest first.
    pub changes: Vec<(NaiveDate, crate::model::DemandStatus)>,
    pub won_in_period: bool,
    /// Its partner organizations not marked private, by name (the same rule
    /// as the partners section: a private organization is never named).
    pub partners: Vec<String>,
    /// Its partner organizations marked private (counted, not named).
    pub private_partners: u64,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct PledgeFig {
    pub title: String,
    pub goal: u64,
    pub named: u64,
    pub paper: u64,
    pub progress: u64,
    pub deadline: NaiveDate,
    /// Met by the deadline (`None`: the deadline is after the period, or
    /// has not come yet).
    pub met: Option<bool>,
    /// Progress in whole percent of the goal (may pass 100).
    pub percent: u64,
    /// Progress over the period: the running total at the period's first
    /// day, then after each day paper came in, up to the period's last day.
    pub series: Vec<Point>,
}

/// A drive's running total on a day.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct Point {
    pub date: NaiveDate,
    pub total: u64,
}

/// A drive's progress at the end of a period, as reports count it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Progress {
    /// Named signers (and those a handoff left out): they carry no date, so
    /// they count from the start.
    pub named: u64,
    /// Paper signatures in by the period's last day (undated ones included).
    pub paper: u64,
    /// The total on the deadline (paper dated after it does not count).
    pub by_deadline: u64,
    /// The running total over the period (see `PledgeFig::series`).
    pub series: Vec<Point>,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ActivityFig {
    pub kind: NoteKind,
    pub held: u64,
    pub headcount: u64,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct OrgFigs {
    pub partners: u64,
    pub new: u64,
    pub immigrant_led: u64,
    pub immigrant_led_percent: u64,
    pub by_kind: BTreeMap<String, u64>,
    /// Partners not marked private, by name.
    pub named: Vec<String>,
    /// Partners marked private (counted, not named).
    pub private: u64,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct PeopleFigs {
    pub total: u64,
    pub new: u64,
    /// By preferred language: `en`, `es`, `unknown`.
    pub by_lang: BTreeMap<String, Small>,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct FollowUpFigs {
    pub done: u64,
    pub open: u64,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct MonthFig {
    /// `YYYY-MM`.
    pub month: String,
    pub new_people: u64,
    pub people: u64,
    pub activities: u64,
}

/// A pledge drive's progress as reports count it, as of `period`'s last day,
/// with its course over the period. The one place reports read a drive's
/// counts.
pub fn pledge_progress(p: &PledgeDrive, period: &Period) -> Progress {
    // Signers a handoff left out (`others`) are named where they came from.
    let named = p.signers.len() as u64 + u64::from(p.others);
    let timeline = p.timeline();
    let at = |day: NaiveDate| {
        timeline
            .iter()
            .rfind(|(d, _)| *d <= day)
            .map(|(_, t)| *t)
            .unwrap_or(named + u64::from(p.undated()))
    };
    let end = at(period.to);
    let mut series = vec![Point {
        date: period.from,
        total: at(period.from),
    }];
    for (date, total) in timeline.iter().filter(|(d, _)| period.contains(*d)) {
        match series.last_mut() {
            Some(last) if last.date == *date => last.total = *total,
            _ => series.push(Point {
                date: *date,
                total: *total,
            }),
        }
    }
    if series.last().map(|l| l.date) != Some(period.to) {
        series.push(Point {
            date: period.to,
            total: end,
        });
    }
    Progress {
        named,
        paper: end.saturating_sub(named),
        by_deadline: at(p.deadline),
        series,
    }
}

/// The day a record came into the vault (the report counts it from then on).
fn created(e: &Entry) -> NaiveDate {
    e.meta.created.date_naive()
}

/// Works out a report's figures. Deterministic for the same vault and period.
pub fn figures(vault: &Vault, period: Period, threshold: u64) -> Report {
    let mut records: Vec<(&Id, &Entry, &Record)> = vault
        .entries()
        .filter_map(|(id, e)| e.record.as_ref().map(|r| (id, e, r)))
        .collect();
    records.sort_by(|a, b| a.0.cmp(b.0));
    let existed = |e: &Entry| created(e) <= period.to;

    // Demands.
    let mut demands = Vec::new();
    for (_, e, r) in &records {
        let Record::Demand(d) = r else { continue };
        let mut changes: Vec<_> = d
            .history
            .iter()
            .filter(|h| period.contains(h.date))
            .map(|h| (h.date, h.status))
            .collect();
        // Oldest first, even if a change was written down late (stable: the
        // order kept for changes on the same day).
        changes.sort_by_key(|c| c.0);
        let status = d
            .history
            .iter()
            .rfind(|h| h.date <= period.to)
            .map(|h| h.status);
        let Some(status) = status.or((existed(e) && d.history.is_empty()).then_some(d.status))
        else {
            continue;
        };
        let won_in_period = changes
            .iter()
            .any(|(_, s)| *s == crate::model::DemandStatus::Won);
        let mut partners = Vec::new();
        let mut private_partners = 0;
        for org in &d.partners {
            if let Ok(Record::Org(o)) = vault.get(org) {
                if o.private {
                    private_partners += 1;
                } else {
                    partners.push(o.name.clone());
                }
            }
        }
        partners.sort();
        partners.dedup();
        demands.push(DemandFig {
            title: d.title.clone(),
            target: d.target.clone(),
            status,
            changes,
            won_in_period,
            partners,
            private_partners,
        });
    }
    demands.sort_by(|a, b| a.title.cmp(&b.title));
    let demands_won = demands.iter().filter(|d| d.won_in_period).count() as u64;

    // Pledge drives that were running in the period.
    let mut pledges = Vec::new();
    for (_, e, r) in &records {
        let Record::Pledge(p) = r else { continue };
        if !existed(e) || p.deadline < period.from {
            continue;
        }
        let Progress {
            named,
            paper,
            by_deadline,
            series,
        } = pledge_progress(p, &period);
        let progress = named + paper;
        let goal = u64::from(p.goal.max(1));
        pledges.push(PledgeFig {
            title: p.title.clone(),
            goal,
            named,
            paper,
            progress,
            deadline: p.deadline,
            // Decided once the deadline has passed (and is in the period).
            met: (p.deadline <= period.to && p.deadline < crate::model::today())
                .then_some(by_deadline >= goal),
            percent: progress * 100 / goal,
            series,
        });
    }
    pledges.sort_by(|a, b| (a.deadline, &a.title).cmp(&(b.deadline, &b.title)));

    // Meetings, trainings, actions held; follow-ups of the period's notes.
    let mut by_kind: std::collections::HashMap<NoteKind, (u64, u64)> = Default::default();
    let mut follow_ups = FollowUpFigs { done: 0, open: 0 };
    for (_, _, r) in &records {
        let Record::Note(n) = r else { continue };
        if !period.contains(n.date) {
            continue;
        }
        let k = by_kind.entry(n.kind).or_default();
        k.0 += 1;
        k.1 += n.attendance();
        for f in &n.follow_ups {
            if f.done {
                follow_ups.done += 1;
            } else {
                follow_ups.open += 1;
            }
        }
    }
    let activity = NoteKind::ALL
        .iter()
        .map(|k| {
            let (held, headcount) = by_kind.get(k).copied().unwrap_or_default();
            ActivityFig {
                kind: *k,
                held,
                headcount,
            }
        })
        .collect();

    // Partner organizations.
    let mut orgs = OrgFigs {
        partners: 0,
        new: 0,
        immigrant_led: 0,
        immigrant_led_percent: 0,
        by_kind: BTreeMap::new(),
        named: Vec::new(),
        private: 0,
    };
    for (_, e, r) in &records {
        let Record::Org(o) = r else { continue };
        if o.relationship != Relationship::Partner || !existed(e) {
            continue;
        }
        orgs.partners += 1;
        if period.contains(created(e)) {
            orgs.new += 1;
        }
        if o.immigrant_led {
            orgs.immigrant_led += 1;
        }
        *orgs.by_kind.entry(o.kind.as_str().to_string()).or_default() += 1;
        if o.private {
            orgs.private += 1;
        } else {
            orgs.named.push(o.name.clone());
        }
    }
    orgs.named.sort();
    orgs.immigrant_led_percent = (orgs.immigrant_led * 100)
        .checked_div(orgs.partners)
        .unwrap_or(0);

    // People, as counts only.
    let mut people = PeopleFigs {
        total: 0,
        new: 0,
        by_lang: BTreeMap::new(),
    };
    let mut langs: BTreeMap<String, u64> = ["en", "es", "unknown"]
        .iter()
        .map(|l| (l.to_string(), 0))
        .collect();
    let mut person_days: Vec<NaiveDate> = Vec::new();
    for (id, e, r) in &records {
        if id.kind() != Kind::Person || !existed(e) {
            continue;
        }
        let Record::Person(p) = r else { continue };
        people.total += 1;
        if period.contains(created(e)) {
            people.new += 1;
        }
        let l = p.lang.map(|l| l.as_str()).unwrap_or("unknown");
        *langs.entry(l.to_string()).or_default() += 1;
        person_days.push(created(e));
    }
    people.by_lang = breakdown(langs, threshold);

    // Growth, month by month.
    let note_days: Vec<NaiveDate> = records
        .iter()
        .filter_map(|(_, _, r)| match r {
            Record::Note(n) => Some(n.date),
            _ => None,
        })
        .collect();
    let growth = period
        .months()
        .into_iter()
        .map(|m| {
            let end = m
                .checked_add_months(Months::new(1))
                .and_then(|d| d.pred_opt())
                .unwrap_or(m)
                .min(period.to);
            let start = m.max(period.from);
            let within = |d: &&NaiveDate| start <= **d && **d <= end;
            MonthFig {
                month: format!("{:04}-{:02}", m.year(), m.month()),
                new_people: person_days.iter().filter(within).count() as u64,
                people: person_days.iter().filter(|d| **d <= end).count() as u64,
                activities: note_days.iter().filter(within).count() as u64,
            }
        })
        .collect();

    Report {
        period,
        annual: period.is_annual(),
        threshold,
        demands,
        demands_won,
        pledges,
        activity,
        orgs,
        people,
        follow_ups,
        growth,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn periods_parse() {
        let q = Period::parse("2026-Q4").unwrap();
        assert_eq!((q.from, q.to), (day("2026-10-01"), day("2026-12-31")));
        assert!(!q.is_annual());
        let y = Period::parse("2026").unwrap();
        assert_eq!((y.from, y.to), (day("2026-01-01"), day("2026-12-31")));
        assert!(y.is_annual());
        assert_eq!(y.months().len(), 12);
        assert_eq!(Period::parse("2026-Q1").unwrap().to, day("2026-03-31"));
        for bad in ["2026-Q5", "2026-Q0", "26", "2026-13", "Q4", ""] {
            assert!(Period::parse(bad).is_none(), "{bad}");
        }
        assert!(Period::dates(day("2026-02-01"), day("2026-01-01")).is_none());
    }

    #[test]
    fn small_numbers_are_hidden() {
        assert_eq!(Small::of(0, 5), Small::Count(0));
        assert_eq!(Small::of(4, 5), Small::FewerThan(5));
        assert_eq!(Small::of(5, 5), Small::Count(5));
    }

    #[test]
    fn one_hidden_number_cannot_be_worked_out_from_the_total() {
        let of = |pairs: &[(&str, u64)]| {
            breakdown(pairs.iter().map(|(k, n)| (k.to_string(), *n)).collect(), 5)
        };
        // 12 people: en 9, es 3, unknown 0. Showing 9 and 0 would give es = 3.
        let b = of(&[("en", 9), ("es", 3), ("unknown", 0)]);
        assert_eq!(b["es"], Small::FewerThan(5));
        assert_eq!(b["unknown"], Small::Withheld, "the smallest other");
        assert_eq!(b["en"], Small::Count(9));
        // The smallest other that is not zero is not needed: any one will do,
        // but ties go to the first key.
        let b = of(&[("en", 7), ("es", 2), ("unknown", 7)]);
        assert_eq!(b["en"], Small::Withheld);
        assert_eq!(b["unknown"], Small::Count(7));
        // Two hidden: neither can be worked out alone; nothing more withheld.
        let b = of(&[("en", 8), ("es", 2), ("unknown", 1)]);
        assert_eq!(
            (b["en"], b["es"], b["unknown"]),
            (Small::Count(8), Small::FewerThan(5), Small::FewerThan(5))
        );
        // Nothing hidden: everything shown.
        let b = of(&[("en", 8), ("es", 5), ("unknown", 0)]);
        assert!(b.values().all(|s| matches!(s, Small::Count(_))));
    }
}
