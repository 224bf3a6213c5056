//! The app's spreadsheet and paper-signature flows: a CSV preview with its
//! column-to-field table, the import of exactly what the table says, an
//! export with its warning, and paper batches. The shell only adapts these.

use super::handoff::user_path;
use super::{AppError, Session};
use crate::csv::{self, Options, Preview};
use crate::error::field_label;
use crate::i18n::Lang;
use crate::model::Kind;
use crate::t;
use serde::Serialize;

/// A field a column can fill, with its label, for the mapping table.
#[derive(Clone, Debug, Serialize)]
pub struct FieldChoice {
    pub field: String,
    pub label: String,
}

/// A CSV preview as the app shows it: the table, the counts in words, the
/// bad rows, and the fields a column may be set to.
#[derive(Clone, Debug, Serialize)]
pub struct CsvView {
    pub preview: Preview,
    pub fields: Vec<FieldChoice>,
    /// "Read as UTF-8, cells separated by …".
    pub read_as: String,
    pub counts: String,
    pub ignored: Option<String>,
    /// After an import: what was done.
    pub done: Option<String>,
}

/// What a CSV export wrote, with the plain warning that it is not encrypted.
#[derive(Clone, Debug, Serialize)]
pub struct CsvWritten {
    pub file: String,
    pub rows: usize,
    pub text: String,
    pub left_out: Option<String>,
    pub warning: String,
}

fn csv_kind(kind: Kind) -> Result<Kind, AppError> {
    match kind {
        Kind::Person | Kind::Org => Ok(kind),
        k => Err(csv::Error::WrongKind(k).into()),
    }
}

fn fields(lang: Lang, kind: Kind) -> Vec<FieldChoice> {
    let names: &[&str] = if kind == Kind::Org {
        &["name", "kind", "region", "language", "relationship", "immigrant-led"]
    } else {
        &[
            "name",
            "first-name",
            "last-name",
            "alias",
            "phone",
            "email",
            "signal",
            "tags",
            "lang",
            "org",
        ]
    };
    names
        .iter()
        .map(|f| FieldChoice {
            field: f.to_string(),
            label: field_label(lang, f),
        })
        .collect()
}

fn view(lang: Lang, kind: Kind, mut preview: Preview, done: Option<String>) -> CsvView {
    preview.localize(lang);
    let delimiter = if preview.delimiter == "\t" {
        "TAB".to_string()
    } else {
        preview.delimiter.clone()
    };
    CsvView {
        read_as: t!(
            lang,
            "csv-preview-file",
            encoding = preview.encoding.clone(),
            delimiter = delimiter,
            rows = preview.rows
        ),
        counts: t!(
            lang,
            "csv-preview-counts",
            new = preview.new,
            merged = preview.merged_in_file,
            updated = preview.updated,
            unchanged = preview.unchanged
        ),
        ignored: (!preview.ignored.is_empty()).then(|| {
            t!(
                lang,
                "csv-preview-ignored",
                columns = preview.ignored.join(", ")
            )
        }),
        fields: fields(lang, kind),
        preview,
        done,
    }
}

impl Session {
    /// What importing the file at `path` would do with this mapping.
    pub fn csv_preview(
        &mut self,
        path: &str,
        kind: Kind,
        map: Vec<(String, String)>,
    ) -> Result<CsvView, AppError> {
        let lang = self.lang();
        let kind = csv_kind(kind)?;
        let bytes = csv::read_file(&user_path(path)?)?;
        let opts = Options {
            kind,
            map,
            skip_invalid: false,
        };
        let preview = csv::preview(self.vault()?, &bytes, &opts)?;
        Ok(view(lang, kind, preview, None))
    }

    /// Imports the file with the mapping the table shows: all or nothing.
    pub fn csv_import(
        &mut self,
        path: &str,
        kind: Kind,
        map: Vec<(String, String)>,
        skip_invalid: bool,
    ) -> Result<CsvView, AppError> {
        let lang = self.lang();
        let kind = csv_kind(kind)?;
        let bytes = csv::read_file(&user_path(path)?)?;
        let opts = Options {
            kind,
            map,
            skip_invalid,
        };
        let preview = csv::import(self.vault()?, &bytes, &opts)?;
        let done = t!(
            lang,
            "csv-imported",
            new = preview.new,
            updated = preview.updated
        );
        Ok(view(lang, kind, preview, Some(done)))
    }

    /// Writes a kind as CSV, with the handoff's exclusions.
    pub fn csv_export(
        &mut self,
        kind: Kind,
        path: &str,
        include_sensitive: bool,
    ) -> Result<CsvWritten, AppError> {
        let lang = self.lang();
        let kind = csv_kind(kind)?;
        let path = user_path(path)?;
        let w = csv::export(self.vault()?, lang, kind, &path, include_sensitive)?;
        let left = w.excluded.sensitive + w.excluded.no_consent;
        Ok(CsvWritten {
            file: path.display().to_string(),
            rows: w.rows,
            text: t!(
                lang,
                "csv-exported",
                count = w.rows,
                path = path.display().to_string()
            ),
            left_out: (left > 0).then(|| t!(lang, "csv-excluded", count = left)),
            warning: t!(lang, "csv-not-encrypted"),
        })
    }
}
