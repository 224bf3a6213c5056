//! Pledge drives beyond their fields: paper batches, progress over time, and
//! the printable signature sheet.

use crate::html::esc;
use crate::i18n::{self, Lang};
use crate::model::{FieldError, Id, Kind, PaperBatch, PledgeDrive, Problem, Record};
use crate::t;
use crate::vault::{self, Vault};
use chrono::NaiveDate;

/// Records a batch of `count` paper signatures on the drive `id`, dated
/// `date` (today if `None`), collected by the person `by`.
pub fn add_batch(
    vault: &mut Vault,
    id: &Id,
    count: &str,
    date: Option<&str>,
    by: Option<&str>,
) -> Result<(), vault::Error> {
    let Record::Pledge(mut p) = vault.get(id)?.clone() else {
        let problem = Problem::WrongKind {
            expected: Kind::Pledge,
        };
        return Err(FieldError::new("id", problem).into());
    };
    let max = crate::model::limits::COUNT;
    let count = count
        .trim()
        .parse::<u64>()
        .ok()
        .filter(|n| (1..=max).contains(n))
        .and_then(|n| u32::try_from(n).ok())
        .ok_or(FieldError::new("count", Problem::BadNumber { min: 1, max }))?;
    let date = match date.map(str::trim).filter(|d| !d.is_empty()) {
        None => crate::model::today(),
        Some(d) => NaiveDate::parse_from_str(d, "%Y-%m-%d")
            .map_err(|_| FieldError::new("date", Problem::BadDate))?,
    };
    let by = match by.map(str::trim).filter(|b| !b.is_empty()) {
        None => None,
        Some(b) => Some(Id::parse(b).ok_or(FieldError::new("by", Problem::BadId))?),
    };
    p.batches.push(PaperBatch {
        date: Some(date),
        count,
        by,
    });
    vault.update(id, Record::Pledge(p))
}

/// A printable signature sheet, English and Spanish side by side: the
/// pledge, its deadline, and `lines` numbered lines to sign. One
/// self-contained HTML page (no scripts, no outside files).
pub fn sheet_html(p: &PledgeDrive, lines: usize) -> String {
    let both = |id: &str| {
        format!(
            "{} / {}",
            esc(&i18n::text(Lang::En, id)),
            esc(&i18n::text(Lang::Es, id))
        )
    };
    let deadline = p.deadline.format("%Y-%m-%d").to_string();
    let mut rows = String::new();
    for n in 1..=lines.clamp(1, 200) {
        rows.push_str(&format!(
            "<tr><td class=n>{n}</td><td></td><td></td><td></td><td></td></tr>\n"
        ));
    }
    format!(
        "<!doctype html>\n<html><head><meta charset=\"utf-8\"><title>{title}</title>\n\
<style>body{{font:14px sans-serif;margin:2em}}h1{{font-size:20px}}\
table{{border-collapse:collapse;width:100%}}td,th{{border:1px solid #000;height:2.2em;padding:2px 6px;text-align:left}}\
td.n{{width:2em;text-align:right}}@media print{{body{{margin:0}}}}</style></head><body>\n\
<h1>{title}</h1>\n<p>{until}</p>\n<p>{consent}</p>\n\
<table><tr><th>#</th><th>{name}</th><th>{phone}</th><th>{lang}</th><th>{sign}</th></tr>\n{rows}</table>\n\
</body></html>\n",
        title = esc(&p.title),
        until = esc(&format!(
            "{} · {}",
            t!(Lang::En, "sheet-deadline", date = deadline.clone()),
            t!(Lang::Es, "sheet-deadline", date = deadline.clone())
        )),
        consent = both("sheet-consent"),
        name = both("sheet-col-name"),
        phone = both("sheet-col-phone"),
        lang = both("sheet-col-lang"),
        sign = both("sheet-col-signature"),
    )
}
