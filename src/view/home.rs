//! The home screen: follow-ups coming due, pledge drives still running, and
//! how many conflicts wait.

use super::{summary, Span};
use crate::i18n::{date, Lang};
use crate::model::{Id, Kind, Record};
use crate::t;
use crate::vault::Vault;
use chrono::NaiveDate;
use serde::Serialize;

/// A follow-up that is due, for the home screen.
#[derive(Clone, Debug, Serialize)]
pub struct Due {
    pub note: Id,
    pub note_title: String,
    pub task: String,
    pub who: Option<Span>,
    pub due: NaiveDate,
    pub due_text: String,
    pub overdue: bool,
}

/// A pledge drive still running, for the home screen.
#[derive(Clone, Debug, Serialize)]
pub struct Drive {
    pub id: Id,
    pub title: String,
    pub progress: u64,
    pub goal: u32,
    /// 0–100, for the progress bar.
    pub percent: u8,
    pub progress_text: String,
    pub days_left_text: String,
}

#[derive(Clone, Debug, Serialize)]
pub struct Home {
    pub follow_ups: Vec<Due>,
    pub drives: Vec<Drive>,
    /// Records edited here and by another steward at once, waiting to be resolved.
    pub conflicts: usize,
}

/// How far ahead the home screen looks for follow-ups.
pub const DUE_WITHIN_DAYS: i64 = 14;

/// Follow-ups not done and due within two weeks (overdue ones first), and
/// pledge drives whose deadline has not passed, soonest first.
pub fn home(vault: &Vault, lang: Lang, today: NaiveDate) -> Home {
    let horizon = today + chrono::Duration::days(DUE_WITHIN_DAYS);
    let mut follow_ups = Vec::new();
    for (id, rec) in vault.list(Kind::Note) {
        let Record::Note(n) = rec else { continue };
        for f in n.follow_ups.iter().filter(|f| !f.done) {
            let Some(due) = f.due.filter(|d| *d <= horizon) else {
                continue;
            };
            follow_ups.push(Due {
                note: id.clone(),
                note_title: n.title.clone(),
                task: f.task.clone(),
                who: f
                    .who
                    .as_ref()
                    .filter(|w| vault.get(w).is_ok())
                    .map(|w| Span::of(vault, lang, w)),
                due,
                due_text: if due < today {
                    t!(lang, "overdue-since", date = date(lang, due))
                } else {
                    t!(lang, "due-on", date = date(lang, due))
                },
                overdue: due < today,
            });
        }
    }
    follow_ups.sort_by_key(|f| f.due);
    let mut pledges = vault.list(Kind::Pledge);
    pledges.sort_by_key(|(_, r)| match r {
        Record::Pledge(p) => p.deadline,
        _ => today,
    });
    let drives: Vec<Drive> = pledges
        .into_iter()
        .filter_map(|(id, r)| match r {
            Record::Pledge(p) if p.deadline >= today => Some(Drive {
                id: id.clone(),
                title: p.title.clone(),
                progress: p.progress(),
                goal: p.goal,
                percent: (p.progress() * 100 / u64::from(p.goal.max(1))).min(100) as u8,
                progress_text: summary(vault, lang, r),
                days_left_text: t!(lang, "days-left", days = p.days_left(today)),
            }),
            _ => None,
        })
        .collect();
    Home {
        follow_ups,
        drives,
        conflicts: vault.conflicts().len(),
    }
}
