//! The desktop app's Handoff screen: the flow around `crate::handoff`.
//!
//! Responsible for: what the app sends (a selection, recipients, a path typed
//! into a text field) turned into the core's types; the rule that an export
//! writes, and an import applies, exactly what was previewed or nothing (a
//! preview is held in the session under a token, and dropped on lock); and
//! the default file names. Not responsible for what an export may contain,
//! how a file is read or merged (`crate::handoff`), or how any of it is
//! worded (`crate::view`).

use super::{AppError, Session};
use crate::handoff::{self, ExportPlan, Incoming, Peer, Preview, Selection, Side, StewardKey};
use crate::handoff::{Take, To};
use crate::identity::CARD_PREFIX;
use crate::model::{today, Id};
use crate::vault::Passphrase;
use crate::view::{self, ExportView, ImportView, WrittenView};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use std::path::PathBuf;

/// What the app asks to export.
#[derive(Clone, Debug, Deserialize)]
#[serde(tag = "by", rename_all = "snake_case")]
pub enum Choose {
    All,
    Campaign { id: Id },
    Search { query: String },
    Ids { ids: Vec<Id> },
}

impl From<Choose> for Selection {
    fn from(c: Choose) -> Selection {
        match c {
            Choose::All => Selection::All,
            Choose::Campaign { id } => Selection::Campaign(id),
            Choose::Search { query } => Selection::Search(query),
            Choose::Ids { ids } => Selection::Ids(ids),
        }
    }
}

/// Who an export is for: stewards by name, or a passphrase (typed when the
/// file is written, never kept).
#[derive(Clone, Debug, PartialEq, Deserialize)]
#[serde(tag = "by", rename_all = "snake_case")]
pub enum Recipients {
    Stewards { names: Vec<String> },
    Passphrase,
}

/// How to settle a conflict, as the app sends it: one side whole, or a side
/// per differing field.
#[derive(Clone, Debug, Deserialize)]
#[serde(tag = "by", rename_all = "snake_case")]
pub enum Choice {
    Whole { side: Side },
    Fields { fields: Vec<(String, Side)> },
}

impl From<Choice> for Take {
    fn from(c: Choice) -> Take {
        match c {
            Choice::Whole { side } => Take::Whole(side),
            Choice::Fields { fields } => Take::Fields(fields),
        }
    }
}

struct PendingExport {
    token: u64,
    selection: Selection,
    include_sensitive: bool,
    to: Recipients,
    plan: ExportPlan,
    peers: Vec<Peer>,
}

struct PendingImport {
    token: u64,
    incoming: Incoming,
    preview: Preview,
}

/// The export and the import previewed and not yet done. Dropping it drops
/// the decrypted file.
#[derive(Default)]
pub struct Pending {
    last: u64,
    export: Option<PendingExport>,
    import: Option<PendingImport>,
}

impl Pending {
    fn next(&mut self) -> u64 {
        self.last += 1;
        self.last
    }
}

/// Where a file goes when the person has not said: `aqui-NAME-DATE.age` in
/// their Documents folder (else their home folder), not yet taken.
pub fn default_file(name: &str, day: NaiveDate) -> PathBuf {
    let dir = base_dir();
    let stem = format!("aqui-{name}-{}", day.format("%Y-%m-%d"));
    (1..1000)
        .map(|n| match n {
            1 => dir.join(format!("{stem}.age")),
            n => dir.join(format!("{stem}-{n}.age")),
        })
        .find(|p| !p.exists())
        .unwrap_or_else(|| dir.join(format!("{stem}.age")))
}

fn base_dir() -> PathBuf {
    directories::UserDirs::new()
        .map(|u| {
            u.document_dir()
                .filter(|d| d.is_dir())
                .unwrap_or(u.home_dir())
                .to_path_buf()
        })
        .unwrap_or_default()
}

/// A path as typed: `~` is the home folder, and a bare name goes in the
/// default folder (not wherever the app happened to start).
pub fn user_path(typed: &str) -> Result<PathBuf, AppError> {
    let t = typed.trim();
    if t.is_empty() {
        return Err(AppError::NoPath);
    }
    let home = || directories::UserDirs::new().map(|u| u.home_dir().to_path_buf());
    let path = match t.strip_prefix('~') {
        Some(rest) if rest.is_empty() || rest.starts_with('/') => home()
            .unwrap_or_default()
            .join(rest.trim_start_matches('/')),
        _ => PathBuf::from(t),
    };
    Ok(if path.is_absolute() {
        path
    } else {
        base_dir().join(path)
    })
}

/// Adds a steward from what was pasted: their card or a bare `age1…` key.
/// With no name typed, the name on their card.
pub fn add_steward(
    vault: &mut crate::vault::Vault,
    typed_name: &str,
    pasted: &str,
) -> Result<crate::identity::Steward, handoff::Error> {
    if pasted.trim_start().starts_with(CARD_PREFIX) {
        let name = if typed_name.trim().is_empty() {
            crate::identity::parse_card(pasted)?.1
        } else {
            typed_name.to_string()
        };
        handoff::add_steward(vault, &name, StewardKey::Card(pasted))
    } else {
        crate::identity::parse_age_key(pasted)?;
        handoff::add_steward(vault, typed_name, StewardKey::Key(pasted))
    }
}

/// Where files go by default.
#[derive(Clone, Debug, Serialize)]
pub struct Defaults {
    pub export: String,
    pub backup: String,
}

pub fn defaults() -> Defaults {
    let day = today();
    Defaults {
        export: default_file("handoff", day).display().to_string(),
        backup: default_file("backup", day).display().to_string(),
    }
}

fn file_passphrase(pass: Option<Passphrase>) -> Result<Passphrase, AppError> {
    match pass {
        Some(p) if p.check_new().is_ok() => Ok(p),
        _ => Err(AppError::FilePassShort),
    }
}

impl Session {
    /// Works out what an export would hold and who could open it; nothing is
    /// written. The preview is kept until `export` (or the next preview).
    pub fn export_preview(
        &mut self,
        choose: Choose,
        include_sensitive: bool,
        to: Recipients,
    ) -> Result<ExportView, AppError> {
        let lang = self.lang();
        let vault = self.vault()?;
        let selection = Selection::from(choose);
        let plan = handoff::select(vault, &selection, include_sensitive)?;
        let peers = match &to {
            Recipients::Stewards { names } => handoff::recipients(vault, names)?
                .into_iter()
                .map(|(p, _)| p)
                .collect(),
            Recipients::Passphrase => Vec::new(),
        };
        let token = self.handoff.next();
        let shown = matches!(to, Recipients::Stewards { .. }).then_some(peers.as_slice());
        let view = view::export_view(lang, token, &plan, shown);
        self.handoff.export = Some(PendingExport {
            token,
            selection,
            include_sensitive,
            to,
            plan,
            peers,
        });
        Ok(view)
    }

    /// Writes the export previewed as `token` to `path`, if the vault still
    /// gives exactly that preview; a passphrase export needs `pass`.
    pub fn export(
        &mut self,
        token: u64,
        path: &str,
        pass: Option<Passphrase>,
    ) -> Result<WrittenView, AppError> {
        let lang = self.lang();
        let path = user_path(path)?;
        let p = match &self.handoff.export {
            Some(p) if p.token == token => p,
            _ => return Err(AppError::Stale),
        };
        let pass = match p.to {
            Recipients::Passphrase => Some(file_passphrase(pass)?),
            Recipients::Stewards { .. } => None,
        };
        let vault = self.vault.as_mut().ok_or(AppError::Locked)?;
        self.idle.touch();
        let plan = handoff::select(vault, &p.selection, p.include_sensitive)?;
        let same = plan.ids == p.plan.ids
            && plan.counts == p.plan.counts
            && plan.deletions == p.plan.deletions
            && plan.excluded == p.plan.excluded;
        let written = match (&p.to, &pass) {
            (Recipients::Stewards { names }, _) => {
                let peers: Vec<Peer> = handoff::recipients(vault, names)?
                    .into_iter()
                    .map(|(p, _)| p)
                    .collect();
                if !same || peers != p.peers {
                    return Err(AppError::Stale);
                }
                handoff::export_with(vault, plan, &To::Stewards(names), &path, &self.stop)?
            }
            (Recipients::Passphrase, Some(pass)) if same => handoff::export_with(
                vault,
                plan,
                &To::Passphrase(pass, handoff::WORK_FACTOR),
                &path,
                &self.stop,
            )?,
            _ => return Err(AppError::Stale),
        };
        // For the panic wipe's list; the file is written and logged either way.
        let _ = vault.note_written(&written.file);
        self.handoff.export = None;
        Ok(view::written_view(lang, &written, false))
    }

    /// Opens a handoff file (decrypts it, checks its signature and every
    /// record) and says what importing it would do; nothing is written. The
    /// checked file is kept, in memory, until `import_apply` or lock.
    pub fn import_preview(
        &mut self,
        path: &str,
        pass: Option<Passphrase>,
    ) -> Result<ImportView, AppError> {
        let lang = self.lang();
        let path = user_path(path)?;
        self.handoff.import = None;
        let stop = self.stop.clone();
        let vault = self.vault()?;
        let incoming = handoff::open_with(vault, &path, pass.as_ref(), &stop)?;
        let preview = handoff::preview(vault, &incoming)?;
        let held = view::held_views(vault, lang, &preview);
        let token = self.handoff.next();
        let mut view = view::import_view(lang, token, &preview, false);
        view.held = held;
        self.handoff.import = Some(PendingImport {
            token,
            incoming,
            preview,
        });
        Ok(view)
    }

    /// Applies the file previewed as `token`, all or nothing, if it would
    /// still do exactly what the preview said; else nothing, and `Stale`.
    /// A file with warnings is applied only once the person said
    /// `accept_warnings` (the Handoff screen shows them and asks).
    pub fn import_apply(
        &mut self,
        token: u64,
        accept_warnings: bool,
    ) -> Result<ImportView, AppError> {
        let lang = self.lang();
        if !matches!(&self.handoff.import, Some(p) if p.token == token) {
            return Err(AppError::Stale);
        }
        let vault = self.vault.as_mut().ok_or(AppError::Locked)?;
        self.idle.touch();
        if !accept_warnings {
            if let Some(p) = &self.handoff.import {
                if !p.incoming.warnings.is_empty() {
                    return Err(handoff::Error::Warnings(p.incoming.warnings.clone()).into());
                }
            }
        }
        let Some(p) = self.handoff.import.take() else {
            return Err(AppError::Stale);
        };
        if handoff::preview(vault, &p.incoming)?.kinds != p.preview.kinds {
            return Err(AppError::Stale);
        }
        if self.stop.load(std::sync::atomic::Ordering::Relaxed) {
            return Err(handoff::Error::Stopped.into());
        }
        let done = handoff::apply_checked(vault, p.incoming, accept_warnings)?;
        let mut view = view::import_view(lang, token, &done, true);
        view.held = view::held_views(vault, lang, &done);
        Ok(view)
    }

    /// Backs the whole vault up to `path`: to its own key, or to `pass`.
    pub fn backup(
        &mut self,
        path: &str,
        pass: Option<Passphrase>,
    ) -> Result<WrittenView, AppError> {
        let lang = self.lang();
        let path = user_path(path)?;
        let pass = pass.map(|p| file_passphrase(Some(p))).transpose()?;
        let stop = self.stop.clone();
        let vault = self.vault()?;
        let to = match &pass {
            Some(p) => To::Passphrase(p, handoff::WORK_FACTOR),
            None => To::Stewards(&[]),
        };
        let written = handoff::backup_with(vault, &to, &path, &stop)?;
        // For the panic wipe's list; the file is written and logged either way.
        let _ = vault.note_written(&written.file);
        Ok(view::written_view(lang, &written, true))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    #[test]
    fn paths_as_typed() {
        assert!(matches!(user_path("  "), Err(AppError::NoPath)));
        assert_eq!(
            user_path("/tmp/x.age").unwrap(),
            Path::new("/tmp/x.age").to_path_buf()
        );
        assert!(user_path("x.age").unwrap().is_absolute());
        assert!(user_path("~/x.age").unwrap().ends_with("x.age"));
        let f = default_file("handoff", NaiveDate::from_ymd_opt(2026, 5, 1).unwrap());
        assert!(f
            .file_name()
            .unwrap()
            .to_string_lossy()
            .starts_with("aqui-handoff-2026-05-01"));
    }

    #[test]
    fn locking_stops_a_handoff_and_lowers_the_flag() {
        use std::sync::atomic::Ordering;
        let dir = tempfile::TempDir::new().unwrap();
        let dirs = crate::app::Dirs {
            vault: dir.path().join("v"),
            demo: dir.path().join("demo"),
            settings: dir.path().join("settings.json"),
        };
        let mut s = Session::new(dirs).with_kdf(crate::testkit::fast_kdf());
        s.create(&Passphrase::new("una frase de prueba larga".into()))
            .unwrap();
        let stop = s.stop_handle();
        stop.store(true, Ordering::Relaxed);
        let file = dir.path().join("b.age");
        let err = s.backup(&file.display().to_string(), None).unwrap_err();
        assert_eq!(crate::Localize::kind(&err), "err-stopped");
        assert!(!file.exists());
        s.lock();
        assert!(!stop.load(Ordering::Relaxed));
    }

    #[test]
    fn a_steward_by_card_or_key() {
        let (_tmp, mut v) = crate::testkit::new_vault();
        let mut k = crate::identity::Keys::generate();
        k.name = "Beatriz".into();
        assert_eq!(add_steward(&mut v, "", &k.card()).unwrap().name, "Beatriz");
        assert_eq!(add_steward(&mut v, "Bea", &k.card()).unwrap().name, "Bea");
        assert!(matches!(
            add_steward(&mut v, "", "aqui-card-1:nope"),
            Err(handoff::Error::Identity(crate::identity::Error::BadCard))
        ));
        assert!(matches!(
            add_steward(&mut v, "Bea", "nope"),
            Err(handoff::Error::Identity(crate::identity::Error::BadKey))
        ));
        let key = k.public().age;
        assert!(matches!(
            add_steward(&mut v, " ", &key),
            Err(handoff::Error::Identity(
                crate::identity::Error::BadStewardName
            ))
        ));
        assert!(!add_steward(&mut v, "Carla", &key).unwrap().verified);
    }
}
