//! Spreadsheets and paper signatures: `csv import|export`, `pledge
//! add-batch|sheet`. Each unlocks the vault, calls the core (`aqui::csv`,
//! `aqui::pledge`) and prints what it did.

use crate::args::Organize;
use crate::{show, unlock, CliError, Out};
use aqui::csv::{self, Options, Preview};
use aqui::error::field_label;
use aqui::{t, Lang, Record};
use serde_json::json;

pub fn run(g: &crate::Globals, cmd: Organize, out: &mut Out) -> Result<(), CliError> {
    let lang = out.lang;
    match cmd {
        Organize::CsvImport {
            file,
            kind,
            map,
            dry_run,
            skip_invalid,
        } => {
            let bytes = csv::read_file(&file)?;
            let mut vault = unlock(g, lang)?;
            let opts = Options {
                kind,
                map,
                skip_invalid,
            };
            let mut preview = if dry_run {
                csv::preview(&vault, &bytes, &opts)?
            } else {
                csv::import(&mut vault, &bytes, &opts)?
            };
            preview.localize(lang);
            if out.json {
                let mut v = serde_json::to_value(&preview).unwrap_or_default();
                v["written"] = json!(!dry_run);
                out.json(&v);
                return Ok(());
            }
            print_preview(out, lang, &preview);
            if dry_run {
                out.line(t!(lang, "csv-dry-run"));
            } else {
                if !preview.invalid.is_empty() {
                    out.line(t!(lang, "csv-skipped", count = preview.invalid.len()));
                }
                out.line(t!(
                    lang,
                    "csv-imported",
                    new = preview.new,
                    updated = preview.updated
                ));
            }
        }
        Organize::CsvExport {
            kind,
            out: path,
            include_sensitive,
        } => {
            let mut vault = unlock(g, lang)?;
            let w = csv::export(&mut vault, lang, kind, &path, include_sensitive)?;
            let left = w.excluded.sensitive + w.excluded.no_consent;
            if out.json {
                out.json(&json!({
                    "file": w.file,
                    "rows": w.rows,
                    "excluded": w.excluded,
                    "sensitive_included": w.sensitive_included,
                    "warning": t!(lang, "csv-not-encrypted"),
                }));
                return Ok(());
            }
            out.line(t!(
                lang,
                "csv-exported",
                count = w.rows,
                path = path.display().to_string()
            ));
            if left > 0 {
                out.line(t!(lang, "csv-excluded", count = left));
            }
            out.line(t!(lang, "csv-not-encrypted"));
        }
        Organize::AddBatch {
            id,
            count,
            date,
            by,
        } => {
            let mut vault = unlock(g, lang)?;
            aqui::pledge::add_batch(&mut vault, &id, &count, date.as_deref(), by.as_deref())?;
            if out.json {
                out.json(&aqui::view::record_json(&vault, &id));
            } else if let Ok(Record::Pledge(p)) = vault.get(&id) {
                let added = p.batches.last().map(|b| b.count).unwrap_or_default();
                out.line(t!(
                    lang,
                    "pledge-batch-added",
                    count = added,
                    progress = p.progress(),
                    goal = p.goal
                ));
            }
        }
        Organize::Sheet {
            id,
            out: path,
            lines,
        } => {
            let vault = unlock(g, lang)?;
            let Record::Pledge(p) = vault.get(&id)? else {
                let problem = aqui::model::Problem::WrongKind {
                    expected: aqui::Kind::Pledge,
                };
                let e = aqui::model::FieldError::new("id", problem);
                return Err(aqui::vault::Error::from(e).into());
            };
            let html = aqui::pledge::sheet_html(p, lines);
            std::fs::write(&path, html)
                .map_err(|e| CliError::Csv(csv::Error::Write(path.clone(), e)))?;
            show::done(
                out,
                t!(
                    lang,
                    "pledge-sheet-written",
                    path = path.display().to_string()
                ),
            );
        }
    }
    Ok(())
}

/// The preview as lines: how the file was read, which column fills which
/// field, what is ignored, the counts, and every bad row.
fn print_preview(out: &mut Out, lang: Lang, p: &Preview) {
    let delimiter = if p.delimiter == "\t" {
        "TAB".to_string()
    } else {
        p.delimiter.clone()
    };
    out.line(t!(
        lang,
        "csv-preview-file",
        encoding = p.encoding.clone(),
        delimiter = delimiter,
        rows = p.rows
    ));
    for c in p.columns.iter().filter(|c| c.field.is_some()) {
        let field = c.field.clone().unwrap_or_default();
        out.line(format!(
            "  {}",
            t!(
                lang,
                "csv-preview-column",
                column = c.header.clone(),
                field = field_label(lang, &field)
            )
        ));
    }
    if !p.ignored.is_empty() {
        out.line(t!(
            lang,
            "csv-preview-ignored",
            columns = p.ignored.join(", ")
        ));
    }
    out.line(t!(
        lang,
        "csv-preview-counts",
        new = p.new,
        merged = p.merged_in_file,
        updated = p.updated,
        unchanged = p.unchanged
    ));
    if p.new_orgs > 0 {
        out.line(t!(lang, "csv-preview-new-orgs", count = p.new_orgs));
    }
    if !p.invalid.is_empty() {
        out.line(t!(lang, "csv-preview-invalid", count = p.invalid.len()));
        for r in &p.invalid {
            out.line(format!("  {}", r.message));
        }
    }
}
