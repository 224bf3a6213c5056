//! `aqui consent`, `aqui report`, and the retention commands (`aqui
//! retention`, `aqui purge`, `aqui hold`).

use crate::args::{Command, ConsentArgs, PeriodArg};
use crate::{show, unlock, CliError, Out};
use aqui::model::{ConsentChange, ConsentHow, ConsentState};
use aqui::report::{self, Period};
use aqui::retention::{self, Age, Rule};
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

/// `aqui consent-form [--out FILE.html]`: the paper consent form as one
/// self-contained page, bilingual, or only in the language `--lang` chose
/// (`chosen`). It names no one, so no vault is opened.
pub fn consent_form(chosen: bool, file: Option<PathBuf>, out: &mut Out) -> Result<(), CliError> {
    let lang = out.lang;
    let html = if chosen {
        aqui::consent::paper_form_in(&[lang])
    } else {
        aqui::consent::paper_form()
    };
    match file {
        Some(path) => {
            write(&path, &html)?;
            show::done(
                out,
                t!(
                    lang,
                    "consent-form-written",
                    path = path.display().to_string()
                ),
            );
        }
        None => out.line(html),
    }
    Ok(())
}

fn write(path: &std::path::Path, html: &str) -> Result<(), CliError> {
    std::fs::write(path, html).map_err(|_| CliError::Write(path.display().to_string()))
}

fn age_text(lang: Lang, a: Option<Age>) -> String {
    match a {
        Some(a) => a.as_text(),
        None => t!(lang, "retention-off"),
    }
}

fn counts_line(lang: Lang, c: &retention::Counts) -> String {
    t!(
        lang,
        "purge-counts",
        bodies = c.note_bodies,
        attendees = c.note_attendees,
        people = c.people,
        log = c.log_entries
    )
}

/// The retention commands: `retention [set RULE AGE|off]`, `purge
/// [--dry-run]`, `hold on|off [--reason TEXT]`.
pub fn retention(g: &crate::Globals, cmd: Command, out: &mut Out) -> Result<(), CliError> {
    let lang = out.lang;
    let today = aqui::model::today();
    match cmd {
        Command::Retention { set } => {
            let mut vault = unlock(g, lang)?;
            if let Some((rule, age)) = set {
                let r = Rule::parse(&rule).ok_or(CliError::BadValue(rule.clone()))?;
                let a = match age.trim() {
                    "off" => None,
                    a => Some(Age::parse(a).ok_or(CliError::BadValue(age.clone()))?),
                };
                retention::set_rule(&mut vault, r, a)?;
            }
            let p = vault.retention().clone();
            if out.json {
                out.json(&serde_json::to_value(&p).unwrap_or_default());
                return Ok(());
            }
            for r in Rule::ALL {
                out.line(format!(
                    "{}: {}",
                    aqui::i18n::text(lang, &format!("retention-rule-{}", r.as_str())),
                    age_text(lang, p.get(r))
                ));
            }
            out.line(hold_line(lang, &p));
        }
        Command::Hold { on, reason } => {
            let mut vault = unlock(g, lang)?;
            retention::set_hold(&mut vault, on, reason.as_deref().unwrap_or_default(), today)?;
            show::done(out, hold_line(lang, vault.retention()));
        }
        Command::Purge { dry_run } => {
            let dir = crate::vault_dir(g)?;
            if !Vault::exists(&dir) {
                return Err(aqui::vault::Error::NoVault(dir).into());
            }
            let pass = crate::secret::current(lang)?;
            let mut vault = Vault::unlock(&dir, &pass)?;
            let plan = retention::plan(&vault, today);
            if !out.json {
                out.line(counts_line(lang, &plan.counts));
            }
            if plan.held {
                if dry_run {
                    if out.json {
                        out.json(&serde_json::json!({"counts": plan.counts, "held": true, "purged": false}));
                    } else {
                        out.line(hold_line(lang, vault.retention()));
                    }
                    return Ok(());
                }
                return Err(CliError::Held);
            }
            if dry_run {
                if out.json {
                    out.json(
                        &serde_json::json!({"counts": plan.counts, "held": false, "purged": false}),
                    );
                } else {
                    out.line(t!(lang, "purge-dry-run"));
                }
                return Ok(());
            }
            let counts = retention::purge(&mut vault, &pass, today).map_err(|e| match e {
                retention::PurgeError::Held => CliError::Held,
                retention::PurgeError::Vault(v) => CliError::Vault(v),
            })?;
            if out.json {
                out.json(&serde_json::json!({"counts": counts, "held": false, "purged": true}));
            } else {
                out.line(t!(lang, "purge-done"));
            }
        }
        _ => {}
    }
    Ok(())
}

fn hold_line(lang: Lang, p: &retention::Policy) -> String {
    match &p.hold {
        Some(h) => t!(
            lang,
            "retention-hold-on",
            since = aqui::i18n::date(lang, h.since),
            reason = h.reason.clone()
        ),
        None => t!(lang, "retention-hold-off"),
    }
}
