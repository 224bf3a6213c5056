//! What the app's Reports screen and consent dialog need from a session: a
//! report for a period typed as text (shown in the app, saved as one
//! self-contained file), the bilingual paper consent form, recording consent,
//! the people whose consent is to confirm, and the free-text guard.

use super::{AppError, Session};
use crate::consent::{self, ConsentView};
use crate::model::{ConsentChange, ConsentHow, ConsentState, Id};
use crate::report::{self, html, Period};
use crate::view::Item;
use crate::Lang;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// A report as the app shows it.
#[derive(Clone, Debug, Serialize)]
pub struct ReportView {
    pub title: String,
    pub period: String,
    /// The page, for the app's frame: its stylesheet is the app's own
    /// `report.css` (the app's content policy allows no inline style).
    pub html: String,
    /// The figures, as `aqui report --json` gives them.
    pub figures: report::Report,
}

/// Reads a period as typed: `2026-Q4`, `2026`, or two dates
/// (`2026-01-01 2026-03-31`).
pub fn period(typed: &str) -> Result<Period, AppError> {
    let t = typed.trim();
    if let Some(p) = Period::parse(t) {
        return Ok(p);
    }
    let dates: Vec<&str> = t
        .split(|c: char| c.is_whitespace() || c == '/' || c == '–' || c == ',')
        .filter(|s| !s.is_empty() && *s != "-")
        .collect();
    match dates.as_slice() {
        [a, b] => {
            let d = |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d").ok();
            d(a).zip(d(b))
                .and_then(|(a, b)| Period::dates(a, b))
                .ok_or(AppError::BadPeriod)
        }
        _ => Err(AppError::BadPeriod),
    }
}

/// The quarter `today` is in, as the Reports screen first offers it.
pub fn this_quarter(today: NaiveDate) -> String {
    use chrono::Datelike;
    format!("{}-Q{}", today.year(), (today.month() - 1) / 3 + 1)
}

/// A consent answer as the dialog sends it.
#[derive(Clone, Debug, Deserialize)]
pub struct ConsentForm {
    /// `yes`, `no`, or empty to leave as it is.
    #[serde(default)]
    pub contact: String,
    #[serde(default)]
    pub share: String,
    #[serde(default)]
    pub how: String,
    #[serde(default)]
    pub date: String,
    #[serde(default)]
    pub lang: String,
    /// The person who recorded it (an id), or empty.
    #[serde(default)]
    pub recorder: String,
    /// Withdraw both, in one action (the other fields are ignored but date).
    #[serde(default)]
    pub withdraw: bool,
}

impl ConsentForm {
    fn change(&self) -> Result<ConsentChange, AppError> {
        use crate::model::{FieldError, Problem};
        let bad = |f: &str, allowed: String| FieldError::new(f, Problem::BadChoice { allowed });
        let state = |f: &str, v: &str| -> Result<Option<ConsentState>, AppError> {
            match v.trim() {
                "" => Ok(None),
                "yes" => Ok(Some(ConsentState::Yes)),
                "no" => Ok(Some(ConsentState::No)),
                _ => Err(bad(f, "yes, no".into()).into()),
            }
        };
        let date = match self.date.trim() {
            "" => None,
            d => Some(
                NaiveDate::parse_from_str(d, "%Y-%m-%d")
                    .map_err(|_| FieldError::new("date", Problem::BadDate))?,
            ),
        };
        if self.withdraw {
            return Ok(ConsentChange::withdraw(
                date.unwrap_or_else(crate::model::today),
            ));
        }
        let how = match self.how.trim() {
            "" => None,
            h => Some(ConsentHow::parse(h).ok_or(bad("how", ConsentHow::allowed()))?),
        };
        let lang = match self.lang.trim() {
            "" => None,
            l => Some(Lang::parse(l).ok_or(bad("lang", "en, es".into()))?),
        };
        let recorder = match self.recorder.trim() {
            "" => None,
            r => Some(Id::parse(r).ok_or(FieldError::new("recorder", Problem::BadId))?),
        };
        Ok(ConsentChange {
            contact: state("contact", &self.contact)?,
            share: state("share", &self.share)?,
            how,
            date,
            lang,
            recorder,
        })
    }
}

impl Session {
    /// The report for a period typed as text, in the app's language.
    pub fn report(&mut self, typed: &str) -> Result<ReportView, AppError> {
        let lang = self.lang();
        let p = period(typed)?;
        let figures = report::figures(self.vault()?, p, report::THRESHOLD);
        Ok(ReportView {
            title: html::title(lang, &figures),
            period: html::period_text(lang, &figures),
            html: html::render_linked(&figures, lang, "report.css"),
            figures,
        })
    }

    /// Writes the report as one self-contained HTML file; returns the path.
    pub fn save_report(&mut self, typed: &str, path: &str) -> Result<String, AppError> {
        let lang = self.lang();
        let p = period(typed)?;
        let path = super::handoff::user_path(path)?;
        let figures = report::figures(self.vault()?, p, report::THRESHOLD);
        let page = html::render(&figures, lang);
        std::fs::write(&path, page)
            .map_err(|_| AppError::ReportWrite(path.display().to_string()))?;
        Ok(path.display().to_string())
    }

    /// A person's consent as the consent dialog shows it.
    pub fn consent(&mut self, id: &Id) -> Result<ConsentView, AppError> {
        let lang = self.lang();
        Ok(consent::view(self.vault()?, lang, id)?)
    }

    /// Records what the person answered (or their withdrawal).
    pub fn record_consent(&mut self, id: &Id, form: &ConsentForm) -> Result<ConsentView, AppError> {
        let change = form.change()?;
        consent::record(self.vault()?, id, &change)?;
        self.consent(id)
    }

    /// People recorded before consent records existed.
    pub fn consent_to_confirm(&mut self) -> Result<Vec<Item>, AppError> {
        let lang = self.lang();
        Ok(consent::to_confirm(self.vault()?, lang))
    }
}

/// The printable bilingual paper consent form, for the app's frame.
pub fn paper_form() -> String {
    consent::paper_form_linked("consent-form.css")
}

/// Writes the printable bilingual paper consent form as one self-contained
/// HTML file (it names no one); returns the path.
pub fn save_consent_form(path: &str) -> Result<String, AppError> {
    let path = super::handoff::user_path(path)?;
    std::fs::write(&path, consent::paper_form())
        .map_err(|_| AppError::ReportWrite(path.display().to_string()))?;
    Ok(path.display().to_string())
}

/// Whether any of the values typed into a form mentions immigration status.
pub fn mentions_status(pairs: &[(String, String)]) -> bool {
    pairs
        .iter()
        .any(|(_, v)| crate::model::guard::mentions_status(v))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_paper_form_saves_whole() {
        let dir = tempfile::TempDir::new().unwrap();
        let file = dir.path().join("form.html");
        let saved = save_consent_form(&file.display().to_string()).unwrap();
        assert_eq!(saved, file.display().to_string());
        let html = std::fs::read_to_string(&file).unwrap();
        assert_eq!(html, consent::paper_form());
        assert!(html.contains("<style>") && !html.contains("href="));
        assert!(matches!(save_consent_form("  "), Err(AppError::NoPath)));
        let nowhere = dir.path().join("no/such/folder/form.html");
        assert!(matches!(
            save_consent_form(&nowhere.display().to_string()),
            Err(AppError::ReportWrite(_))
        ));
    }

    #[test]
    fn periods_as_typed() {
        assert!(period("2026-Q4").is_ok());
        assert!(period(" 2026 ").is_ok());
        let p = period("2026-01-01 2026-03-31").unwrap();
        assert_eq!(p.to.to_string(), "2026-03-31");
        assert!(period("2026-01-01 – 2026-03-31").is_ok());
        assert!(matches!(period("last spring"), Err(AppError::BadPeriod)));
        assert!(matches!(
            period("2026-03-31 2026-01-01"),
            Err(AppError::BadPeriod)
        ));
        let d = NaiveDate::from_ymd_opt(2026, 11, 30).unwrap();
        assert_eq!(this_quarter(d), "2026-Q4");
    }
}
