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
    csv::fields_of(kind)
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

/// At most this many records offered by a picker at once.
pub const PICK_LIMIT: usize = 20;

/// What a search-as-you-type picker offers for `query`: records of `kind`
/// the core's search finds (the first of the kind when `query` is empty),
/// at most `PICK_LIMIT`. The webview never receives a list of everyone.
pub fn pick(
    vault: &crate::vault::Vault,
    lang: Lang,
    kind: Kind,
    query: &str,
) -> Vec<crate::view::Item> {
    let found: Vec<(&crate::model::Id, &crate::model::Record)> = if query.trim().is_empty() {
        // Lazily: a list of the whole kind first would cost 100,000 items.
        vault
            .ids()
            .filter(|(id, live)| *live && id.kind() == kind)
            .filter_map(|(id, _)| Some((id, vault.get(id).ok()?)))
            .take(PICK_LIMIT)
            .collect()
    } else {
        // Only the hits shown are opened.
        vault
            .search(query)
            .into_iter()
            .filter(|id| id.kind() == kind)
            .take(PICK_LIMIT)
            .filter_map(|id| Some((id, vault.get(id).ok()?)))
            .collect()
    };
    crate::view::items(vault, lang, found)
}

/// The records `ids` name, to label what a form already links to. Ids of
/// records deleted since are left out (the form marks them).
pub fn items_of(
    vault: &crate::vault::Vault,
    lang: Lang,
    ids: &[crate::model::Id],
) -> Vec<crate::view::Item> {
    let mut seen = std::collections::HashSet::new();
    let found: Vec<(&crate::model::Id, &crate::model::Record)> = ids
        .iter()
        .filter(|id| seen.insert((*id).clone()))
        .filter_map(|id| vault.get(id).ok().map(|r| (id, r)))
        .collect();
    crate::view::items(vault, lang, found)
}

// ---- sign-in at the door ----------------------------------------------------

/// What one person typed at the door.
#[derive(Clone, Debug, serde::Deserialize)]
pub struct SignIn {
    /// A first name or alias is enough.
    pub name: String,
    #[serde(default)]
    pub phone: String,
    #[serde(default)]
    pub lang: Option<Lang>,
    #[serde(default)]
    pub consent_contact: bool,
    #[serde(default)]
    pub consent_share: bool,
}

/// What the door screen may show after an entry: nobody's data, only how
/// many have signed in, and a thank-you in the attendee's language.
#[derive(Clone, Debug, Serialize)]
pub struct SignedIn {
    pub headcount: usize,
    pub thanks: String,
}

/// The door screen's texts in both languages, `"English / Español"`, so each
/// attendee reads it in theirs whatever the app is set to.
pub fn door_texts() -> serde_json::Map<String, serde_json::Value> {
    [
        "door-heading",
        "door-explain",
        "door-name",
        "door-phone",
        "door-lang",
        "door-consent-contact",
        "door-consent-share",
        "door-submit",
        "door-leave",
        "door-leave-pass",
        "door-leave-go",
        "door-count",
    ]
    .iter()
    .map(|id| {
        let both = format!(
            "{} / {}",
            crate::i18n::text(Lang::En, id),
            crate::i18n::text(Lang::Es, id)
        );
        (id.to_string(), serde_json::Value::String(both))
    })
    .collect()
}

/// Signs one person in to the meeting note `note`: an existing person is
/// found (same phone digits, or the same name when neither has contact
/// details) without showing anyone; else a new person is made. The person
/// joins the note's attendees; both in one batch, or nothing.
pub fn sign_in(
    vault: &mut crate::vault::Vault,
    note: &crate::model::Id,
    entry: &SignIn,
) -> Result<SignedIn, AppError> {
    use crate::model::{Id, Record};
    use crate::vault::fold;
    let Record::Note(mut n) = vault.get(note)?.clone() else {
        let problem = crate::model::Problem::WrongKind {
            expected: Kind::Note,
        };
        return Err(crate::model::FieldError::new("id", problem).into());
    };
    let today = crate::model::today();
    // The person as typed, checked by the same rules as every form.
    let mut typed = Record::empty(Kind::Person);
    typed.set("name", &entry.name, today)?;
    typed.set("phone", &entry.phone, today)?;
    if let Some(l) = entry.lang {
        typed.set("lang", l.as_str(), today)?;
    }
    let yes_no = |b: bool| if b { "yes" } else { "no" };
    typed.set("consent-contact", yes_no(entry.consent_contact), today)?;
    typed.set("share", yes_no(entry.consent_share), today)?;
    typed.validate()?;
    let digits: String = entry.phone.chars().filter(char::is_ascii_digit).collect();
    let name = fold(entry.name.trim());
    let found = vault.list(Kind::Person).into_iter().find_map(|(id, r)| {
        let Record::Person(p) = r else { return None };
        let theirs: String = p.phone.chars().filter(char::is_ascii_digit).collect();
        let same_phone = !digits.is_empty() && theirs == digits;
        let same_name = digits.is_empty()
            && p.phone.is_empty()
            && p.email.is_empty()
            && (fold(p.name.trim()) == name || fold(p.alias.trim()) == name);
        (same_phone || same_name).then(|| id.clone())
    });
    let mut changes = crate::vault::Changes::new();
    let person = match found {
        Some(id) => id,
        None => {
            let id = Id::new(Kind::Person);
            changes.add(id.clone(), typed);
            id
        }
    };
    if !n.attendees.contains(&person) {
        n.attendees.push(person);
        changes.replace(note.clone(), Record::Note(n.clone()));
    }
    if !changes.is_empty() {
        vault.commit(changes)?;
    }
    let lang = entry.lang.unwrap_or(Lang::Es);
    Ok(SignedIn {
        headcount: n.attendees.len(),
        thanks: crate::i18n::text(lang, "door-thanks"),
    })
}

// ---- paper signatures -------------------------------------------------------

/// One paper batch as the app lists it.
#[derive(Clone, Debug, Serialize)]
pub struct BatchView {
    /// `YYYY-MM-DD`, or empty for a count kept before batches had dates.
    pub date: String,
    pub count: u32,
    /// Who collected it, by name (empty if nobody was named).
    pub by: String,
    pub by_sensitive: bool,
}

/// A pledge drive's progress: the bar, the line over time against the goal
/// and the deadline, and its batches.
#[derive(Clone, Debug, Serialize)]
pub struct DriveView {
    pub goal: u32,
    pub deadline: String,
    pub named: usize,
    pub paper: u64,
    pub progress: u64,
    /// "45 of 100: 5 by name, 40 on paper".
    pub text: String,
    /// Running totals after each dated batch: (`YYYY-MM-DD`, total).
    pub points: Vec<(String, u64)>,
    /// Where the line starts: named signers and undated paper.
    pub start: u64,
    pub batches: Vec<BatchView>,
}

pub fn drive_view(
    vault: &crate::vault::Vault,
    lang: Lang,
    id: &crate::model::Id,
) -> Result<DriveView, AppError> {
    use crate::model::Record;
    let Record::Pledge(p) = vault.get(id)? else {
        let problem = crate::model::Problem::WrongKind {
            expected: Kind::Pledge,
        };
        return Err(crate::model::FieldError::new("id", problem).into());
    };
    let batches = p
        .batches
        .iter()
        .map(|b| {
            let who = b.by.as_ref().and_then(|i| vault.get(i).ok());
            BatchView {
                date: b.date.map(|d| d.to_string()).unwrap_or_default(),
                count: b.count,
                by: who.map(|r| r.title().to_string()).unwrap_or_default(),
                by_sensitive: matches!(who, Some(Record::Person(x)) if x.sensitive),
            }
        })
        .collect();
    Ok(DriveView {
        goal: p.goal,
        deadline: p.deadline.to_string(),
        named: p.signers.len(),
        paper: p.paper(),
        progress: p.progress(),
        text: t!(
            lang,
            "drive-progress-parts",
            progress = p.progress(),
            goal = p.goal,
            named = p.signers.len(),
            paper = p.paper()
        ),
        points: p
            .timeline()
            .into_iter()
            .map(|(d, n)| (d.to_string(), n))
            .collect(),
        start: p.signers.len() as u64 + u64::from(p.undated()),
        batches,
    })
}

impl Session {
    /// Writes the printable signature sheet of the drive `id` at `path`.
    pub fn signature_sheet(
        &mut self,
        id: &crate::model::Id,
        path: &str,
    ) -> Result<String, AppError> {
        let lang = self.lang();
        let path = user_path(path)?;
        if path.is_dir() {
            return Err(csv::Error::IsFolder(path).into());
        }
        let crate::model::Record::Pledge(p) = self.vault()?.get(id)? else {
            let problem = crate::model::Problem::WrongKind {
                expected: Kind::Pledge,
            };
            return Err(crate::model::FieldError::new("id", problem).into());
        };
        let html = crate::pledge::sheet_html(p, 25);
        std::fs::write(&path, html).map_err(|e| csv::Error::Write(path.clone(), e))?;
        Ok(t!(
            lang,
            "pledge-sheet-written",
            path = path.display().to_string()
        ))
    }
}

// ---- restore from a backup ---------------------------------------------------

/// How a backup is opened: its own passphrase, or (a backup locked with a
/// vault's own key) the old vault's folder and passphrase.
#[derive(Clone, Debug, serde::Deserialize)]
#[serde(tag = "by", rename_all = "snake_case")]
pub enum BackupKey {
    Passphrase { passphrase: String },
    OldVault { folder: String, passphrase: String },
}

/// What a backup holds, before restoring it.
#[derive(Clone, Debug, Serialize)]
pub struct RestoreView {
    pub counts: String,
    /// The retention rules and hold it brings back (empty when none).
    pub retention: String,
    /// Where it would go.
    pub place: String,
}

fn with_opener<T>(
    key: &BackupKey,
    f: impl FnOnce(crate::handoff::Opener) -> Result<T, crate::handoff::Error>,
) -> Result<T, AppError> {
    use crate::handoff::Opener;
    use crate::vault::Passphrase;
    match key {
        BackupKey::Passphrase { passphrase } => {
            let p = Passphrase::new(passphrase.clone());
            Ok(f(Opener::Passphrase(&p))?)
        }
        BackupKey::OldVault { folder, passphrase } => {
            let old = crate::vault::Vault::unlock(
                &user_path(folder)?,
                &Passphrase::new(passphrase.clone()),
            )?;
            Ok(f(Opener::Keys(old.keys()))?)
        }
    }
}

impl Session {
    /// The new vault's place: this app's vault when there is none yet, else
    /// the folder typed (which must not hold a vault).
    fn restore_place(&self, place: Option<&str>) -> Result<std::path::PathBuf, AppError> {
        let dir = match place.map(str::trim).filter(|p| !p.is_empty()) {
            Some(p) => user_path(p)?,
            None => self.dirs.vault.clone(),
        };
        if crate::vault::Vault::exists(&dir) {
            return Err(crate::vault::Error::AlreadyExists(dir).into());
        }
        Ok(dir)
    }

    /// What restoring the backup at `path` would bring back, and where.
    pub fn restore_preview(
        &mut self,
        path: &str,
        key: &BackupKey,
        place: Option<&str>,
    ) -> Result<RestoreView, AppError> {
        let lang = self.lang();
        let file = user_path(path)?;
        if file.is_dir() {
            return Err(csv::Error::IsFolder(file).into());
        }
        let dir = self.restore_place(place)?;
        let contents = with_opener(key, |o| crate::handoff::backup_contents(&file, o))?;
        Ok(RestoreView {
            counts: crate::view::counts_text(lang, &contents.counts),
            retention: super::retention::carried_text(lang, &contents.retention),
            place: dir.display().to_string(),
        })
    }

    /// Restores the backup into a new vault under `new_pass`. Into this app's
    /// own place, it is then open.
    pub fn restore(
        &mut self,
        path: &str,
        key: &BackupKey,
        place: Option<&str>,
        new_pass: &crate::vault::Passphrase,
    ) -> Result<super::Status, AppError> {
        new_pass.check_new()?;
        let file = user_path(path)?;
        if file.is_dir() {
            return Err(csv::Error::IsFolder(file).into());
        }
        let dir = self.restore_place(place)?;
        let kdf = self.kdf;
        let vault = with_opener(key, |o| {
            crate::handoff::restore(&file, o, &dir, new_pass, kdf)
        })?;
        if dir == self.dirs.vault {
            self.lock();
            self.vault = Some(vault);
            self.demo = false;
            self.idle.touch();
        }
        Ok(self.status())
    }
}
