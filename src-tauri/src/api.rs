//! The commands the UI calls: adapters of a few lines that take the state,
//! call the core, and turn its errors into `{kind, message, field?}` in the
//! user's language. No rule lives here; they are in `aqui::app` and the core.
//! Commands that stretch a passphrase (Argon2id, scrypt) or encrypt a whole
//! file (export, import, backup) are `async`, so they run off the main thread
//! and the window stays responsive meanwhile.

use aqui::app::handoff::{self as flow, Choice, Choose, Defaults, Recipients};
use aqui::app::report::{self, ConsentForm, ReportView};
use aqui::app::retention::{PurgeDue, RetentionForm, RetentionView};
use aqui::app::{AppError, Session, Status, Strength};
use aqui::consent::ConsentView;
use aqui::model::today;
use aqui::retention::Counts;
use aqui::view::{self, ConflictView, ExportView, FormSpec, Home, IdentityView, ImportView};
use aqui::view::{Item, LogLine, RecordView, StewardView, WrittenView};
use aqui::{handoff, identity};
use aqui::{Id, Kind, Lang, Localize, Passphrase, UserError};
use serde::Serialize;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, TryLockError};
use std::time::{Duration, Instant};
use tauri::State;

/// The app's state: one session behind a lock; the flag that stops a running
/// handoff; and when the command now running started, with the auto-lock
/// limit it started under (so the idle timer need not wait for it).
pub struct AppState(
    pub Mutex<Session>,
    Arc<AtomicBool>,
    Mutex<Option<(Instant, u32)>>,
);

impl AppState {
    pub fn new(session: Session) -> AppState {
        let stop = session.stop_handle();
        AppState(Mutex::new(session), stop, Mutex::new(None))
    }

    fn busy(&self) -> MutexGuard<'_, Option<(Instant, u32)>> {
        self.2
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// Locks if idle for the configured time. A command still running counts
    /// as activity from when it started; one running longer than the limit is
    /// stopped (it changes nothing) and the vault locks, without waiting.
    pub fn lock_if_idle(&self, now: Instant, wall: std::time::SystemTime) -> bool {
        match self.0.try_lock() {
            Ok(mut s) => s.lock_if_idle(now, wall),
            Err(TryLockError::Poisoned(p)) => p.into_inner().lock_if_idle(now, wall),
            Err(TryLockError::WouldBlock) => {
                let overdue = self.busy().is_some_and(|(since, minutes)| {
                    now.duration_since(since) >= Duration::from_secs(u64::from(minutes) * 60)
                });
                overdue && self.interrupted().lock_if_open()
            }
        }
    }

    /// Stops a running import, export or backup at once (it changes
    /// nothing), then takes the session: locking never waits for one.
    pub fn interrupted(&self) -> MutexGuard<'_, Session> {
        self.1.store(true, Ordering::Relaxed);
        self.session()
    }

    pub fn session(&self) -> MutexGuard<'_, Session> {
        // A panic elsewhere must not lock people out of their vault.
        self.0
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

type Res<T> = Result<T, UserError>;

/// Runs `f` on the session and localizes its error.
fn with<T>(state: &AppState, f: impl FnOnce(&mut Session) -> Result<T, AppError>) -> Res<T> {
    let mut s = state.session();
    let lang = s.lang();
    *state.busy() = Some((Instant::now(), s.auto_lock_minutes()));
    let r = f(&mut s).map_err(|e| e.to_user(lang));
    *state.busy() = None;
    r
}

#[derive(Serialize)]
pub struct LangChange {
    lang: Lang,
    messages: serde_json::Map<String, serde_json::Value>,
}

/// A passphrase the UI may leave out (`null` or empty).
fn maybe(pass: Option<String>) -> Option<Passphrase> {
    pass.filter(|p| !p.is_empty()).map(Passphrase::new)
}

#[tauri::command]
pub fn add_steward(
    state: State<'_, AppState>,
    name: String,
    key: String,
    replace: Option<bool>,
) -> Res<StewardView> {
    with(&state, |s| {
        let lang = s.lang();
        let added = if replace == Some(true) {
            // Asked after both fingerprints were shown: the CLI's --replace.
            let (name, key) = match key.trim_start().starts_with(identity::CARD_PREFIX) {
                true if name.trim().is_empty() => (
                    identity::parse_card(&key).map_err(handoff::Error::from)?.1,
                    handoff::StewardKey::Card(&key),
                ),
                true => (name, handoff::StewardKey::Card(&key)),
                false => (name, handoff::StewardKey::Key(&key)),
            };
            handoff::add_steward_as(s.vault()?, &name, key, true)?
        } else {
            flow::add_steward(s.vault()?, &name, &key)?
        };
        Ok(view::steward_view(lang, &added))
    })
}

#[tauri::command]
pub fn app_status(state: State<'_, AppState>) -> Status {
    state.session().status()
}

#[tauri::command]
pub fn audit_log(state: State<'_, AppState>) -> Res<Vec<LogLine>> {
    with(&state, |s| {
        let lang = s.lang();
        Ok(view::log(s.vault()?, lang))
    })
}

#[tauri::command(async)]
pub fn backup(
    state: State<'_, AppState>,
    path: String,
    passphrase: Option<String>,
) -> Res<WrittenView> {
    with(&state, |s| s.backup(&path, maybe(passphrase)))
}

#[tauri::command(async)]
pub fn change_passphrase(state: State<'_, AppState>, current: String, new: String) -> Res<()> {
    with(&state, |s| {
        s.change_passphrase(&Passphrase::new(current), &Passphrase::new(new))
    })
}

#[tauri::command]
pub fn conflicts(state: State<'_, AppState>) -> Res<Vec<ConflictView>> {
    with(&state, |s| {
        let lang = s.lang();
        Ok(view::conflicts(s.vault()?, lang, today()))
    })
}

#[tauri::command(async)]
pub fn create_vault(state: State<'_, AppState>, passphrase: String) -> Res<Status> {
    with(&state, |s| s.create(&Passphrase::new(passphrase)))
}

#[tauri::command]
pub fn consent(state: State<'_, AppState>, id: Id) -> Res<ConsentView> {
    with(&state, |s| s.consent(&id))
}

#[tauri::command]
pub fn consent_form() -> String {
    report::paper_form()
}

#[tauri::command]
pub fn consent_to_confirm(state: State<'_, AppState>) -> Res<Vec<Item>> {
    with(&state, |s| s.consent_to_confirm())
}

#[tauri::command]
pub fn delete_record(state: State<'_, AppState>, id: Id) -> Res<()> {
    with(&state, |s| Ok(s.vault()?.delete(&id)?))
}

#[tauri::command]
pub fn details(state: State<'_, AppState>, id: Id) -> Res<RecordView> {
    with(&state, |s| {
        let lang = s.lang();
        Ok(view::record_view(s.vault()?, lang, &id, today())?)
    })
}

#[tauri::command(async)]
pub fn export(
    state: State<'_, AppState>,
    token: u64,
    path: String,
    passphrase: Option<String>,
) -> Res<WrittenView> {
    with(&state, |s| s.export(token, &path, maybe(passphrase)))
}

#[tauri::command]
pub fn export_preview(
    state: State<'_, AppState>,
    choose: Choose,
    include_sensitive: bool,
    to: Recipients,
) -> Res<ExportView> {
    with(&state, |s| s.export_preview(choose, include_sensitive, to))
}

#[tauri::command]
pub fn form_spec(state: State<'_, AppState>, kind: Kind) -> FormSpec {
    view::form_spec(state.session().lang(), kind)
}

#[tauri::command]
pub fn handoff_defaults() -> Defaults {
    flow::defaults()
}

#[tauri::command]
pub fn home(state: State<'_, AppState>) -> Res<Home> {
    with(&state, |s| {
        let lang = s.lang();
        Ok(view::home(s.vault()?, lang, today()))
    })
}

#[tauri::command]
pub fn identity(state: State<'_, AppState>) -> Res<IdentityView> {
    with(&state, |s| Ok(view::identity(s.vault()?)))
}

#[tauri::command(async)]
pub fn import_apply(
    state: State<'_, AppState>,
    token: u64,
    accept_warnings: Option<bool>,
) -> Res<ImportView> {
    with(&state, |s| {
        s.import_apply(token, accept_warnings.unwrap_or(false))
    })
}

#[tauri::command(async)]
pub fn import_preview(
    state: State<'_, AppState>,
    path: String,
    passphrase: Option<String>,
) -> Res<ImportView> {
    with(&state, |s| s.import_preview(&path, maybe(passphrase)))
}

#[tauri::command]
pub fn list(state: State<'_, AppState>, kind: Kind) -> Res<Vec<Item>> {
    with(&state, |s| {
        let lang = s.lang();
        let v = s.vault()?;
        Ok(view::items(v, lang, v.list(kind)))
    })
}

#[tauri::command]
pub fn lock(state: State<'_, AppState>) -> Status {
    state.interrupted().lock()
}

#[tauri::command]
pub fn mentions_status(pairs: Vec<(String, String)>) -> bool {
    report::mentions_status(&pairs)
}

#[tauri::command]
pub fn messages(state: State<'_, AppState>) -> serde_json::Map<String, serde_json::Value> {
    view::messages(state.session().lang())
}

#[tauri::command(async)]
pub fn open_demo(state: State<'_, AppState>) -> Res<Status> {
    with(&state, |s| s.open_demo())
}

#[tauri::command]
pub fn panic_wipe(
    state: State<'_, AppState>,
    confirmation: String,
    remove_files: Option<bool>,
) -> Res<Status> {
    with(&state, |s| {
        s.panic_wipe(&confirmation, remove_files.unwrap_or(false))
    })
}

#[tauri::command]
pub fn passphrase_strength(state: State<'_, AppState>, passphrase: String) -> Strength {
    aqui::app::strength(state.session().lang(), &passphrase)
}

#[tauri::command]
pub fn purge_due(state: State<'_, AppState>) -> Res<Option<PurgeDue>> {
    with(&state, |s| s.purge_due())
}

#[tauri::command]
pub fn purge_later(state: State<'_, AppState>) {
    state.session().purge_later()
}

#[tauri::command(async)]
pub fn purge_now(state: State<'_, AppState>) -> Res<Counts> {
    with(&state, |s| s.purge_now())
}

#[tauri::command]
pub fn record_consent(state: State<'_, AppState>, id: Id, form: ConsentForm) -> Res<ConsentView> {
    with(&state, |s| s.record_consent(&id, &form))
}

#[tauri::command]
pub fn remove_steward(state: State<'_, AppState>, name: String) -> Res<()> {
    with(&state, |s| Ok(handoff::remove_steward(s.vault()?, &name)?))
}

/// Revokes a steward: nothing goes to them again, their files are refused.
#[tauri::command]
pub fn revoke_steward(
    state: State<'_, AppState>,
    name: String,
    reason: Option<String>,
) -> Res<StewardView> {
    with(&state, |s| {
        let lang = s.lang();
        let revoked = handoff::revoke_steward(s.vault()?, &name, reason.as_deref().unwrap_or(""))?;
        Ok(view::steward_view(lang, &revoked))
    })
}

/// Settles a conflict; returns the conflicts left.
#[tauri::command]
pub fn report_period() -> String {
    report::this_quarter(today())
}

#[tauri::command]
pub fn report_view(state: State<'_, AppState>, period: String) -> Res<ReportView> {
    with(&state, |s| s.report(&period))
}

#[tauri::command]
pub fn retention(state: State<'_, AppState>) -> Res<RetentionView> {
    with(&state, |s| s.retention())
}

#[tauri::command]
pub fn resolve(state: State<'_, AppState>, id: Id, choice: Choice) -> Res<Vec<ConflictView>> {
    with(&state, |s| {
        let lang = s.lang();
        let v = s.vault()?;
        handoff::resolve(v, &id, &choice.into())?;
        Ok(view::conflicts(v, lang, today()))
    })
}

#[tauri::command]
pub fn save(
    state: State<'_, AppState>,
    id: Option<Id>,
    kind: Kind,
    pairs: Vec<(String, String)>,
) -> Res<Item> {
    with(&state, |s| {
        let lang = s.lang();
        let v = s.vault()?;
        let id = v.save_form(id.as_ref(), kind, &pairs)?;
        Ok(view::item(v, lang, &id, v.get(&id)?))
    })
}

#[tauri::command]
pub fn save_consent_form(state: State<'_, AppState>, path: String) -> Res<String> {
    with(&state, |_| report::save_consent_form(&path))
}

#[tauri::command]
pub fn save_report(state: State<'_, AppState>, period: String, path: String) -> Res<String> {
    with(&state, |s| s.save_report(&period, &path))
}

#[tauri::command]
pub fn search(state: State<'_, AppState>, query: String) -> Res<Vec<Item>> {
    with(&state, |s| {
        let lang = s.lang();
        let v = s.vault()?;
        Ok(view::found(v, lang, v.search(&query)))
    })
}

#[tauri::command(async)]
pub fn set_auto_lock(state: State<'_, AppState>, minutes: u32, passphrase: String) -> Res<Status> {
    with(&state, |s| {
        s.set_auto_lock(minutes, &Passphrase::new(passphrase))
    })
}

#[tauri::command]
pub fn set_own_name(state: State<'_, AppState>, name: String) -> Res<IdentityView> {
    with(&state, |s| {
        let v = s.vault()?;
        handoff::set_own_name(v, &name)?;
        Ok(view::identity(v))
    })
}

#[tauri::command(async)]
pub fn set_retention(
    state: State<'_, AppState>,
    form: RetentionForm,
    passphrase: String,
) -> Res<RetentionView> {
    with(&state, |s| {
        s.set_retention(&form, &Passphrase::new(passphrase))
    })
}

#[tauri::command]
pub fn set_lang(state: State<'_, AppState>, lang: Lang) -> Res<LangChange> {
    with(&state, |s| s.set_lang(lang))?;
    Ok(LangChange {
        lang,
        messages: view::messages(lang),
    })
}

#[tauri::command]
pub fn stewards(state: State<'_, AppState>) -> Res<Vec<StewardView>> {
    with(&state, |s| {
        let lang = s.lang();
        Ok(view::stewards(s.vault()?, lang))
    })
}

#[tauri::command]
pub fn touch(state: State<'_, AppState>) {
    state.session().touch();
}

#[tauri::command(async)]
pub fn unlock(state: State<'_, AppState>, passphrase: String, demo: bool) -> Res<Status> {
    with(&state, |s| s.unlock(&Passphrase::new(passphrase), demo))
}

/// Marks a steward verified, once their fingerprint was compared.
#[tauri::command]
pub fn verify_steward(state: State<'_, AppState>, name: String) -> Res<StewardView> {
    with(&state, |s| {
        let lang = s.lang();
        let verified = handoff::verify_steward(s.vault()?, &name, None)?;
        Ok(view::steward_view(lang, &verified))
    })
}

// ---- spreadsheets and paper signatures (aqui::app::organize)

/// What importing a CSV file would do, with this column-to-field mapping.
#[tauri::command]
pub fn csv_preview(
    state: State<'_, AppState>,
    path: String,
    kind: Kind,
    map: Vec<(String, String)>,
) -> Res<aqui::app::organize::CsvView> {
    with(&state, |s| s.csv_preview(&path, kind, map))
}

#[tauri::command(async)]
pub fn csv_import(
    state: State<'_, AppState>,
    path: String,
    kind: Kind,
    map: Vec<(String, String)>,
    skip_invalid: bool,
) -> Res<aqui::app::organize::CsvView> {
    with(&state, |s| s.csv_import(&path, kind, map, skip_invalid))
}

#[tauri::command(async)]
pub fn csv_export(
    state: State<'_, AppState>,
    kind: Kind,
    path: String,
    include_sensitive: bool,
) -> Res<aqui::app::organize::CsvWritten> {
    with(&state, |s| s.csv_export(kind, &path, include_sensitive))
}

/// A picker's offers: records of `kind` matching `query`, a few at a time.
#[tauri::command]
pub fn pick(state: State<'_, AppState>, kind: Kind, query: String) -> Res<Vec<Item>> {
    with(&state, |s| {
        let lang = s.lang();
        Ok(aqui::app::organize::pick(s.vault()?, lang, kind, &query))
    })
}

/// The records a form already links to, with their names.
#[tauri::command]
pub fn items_of(state: State<'_, AppState>, ids: Vec<Id>) -> Res<Vec<Item>> {
    with(&state, |s| {
        let lang = s.lang();
        Ok(aqui::app::organize::items_of(s.vault()?, lang, &ids))
    })
}

/// The door screen's texts, in English and Spanish together.
#[tauri::command]
pub fn door_texts() -> serde_json::Map<String, serde_json::Value> {
    aqui::app::organize::door_texts()
}

/// Signs one attendee in to a meeting note at the door.
#[tauri::command]
pub fn sign_in(
    state: State<'_, AppState>,
    note: Id,
    entry: aqui::app::organize::SignIn,
) -> Res<aqui::app::organize::SignedIn> {
    with(&state, |s| {
        aqui::app::organize::sign_in(s.vault()?, &note, &entry)
    })
}

/// Leaving sign-in mode needs the vault's passphrase.
#[tauri::command(async)]
pub fn leave_door(state: State<'_, AppState>, passphrase: String) -> Res<()> {
    with(&state, |s| {
        Ok(s.vault()?.check_passphrase(&Passphrase::new(passphrase))?)
    })
}

/// A pledge drive's progress: named and paper, over time, and its batches.
#[tauri::command]
pub fn drive(state: State<'_, AppState>, id: Id) -> Res<aqui::app::organize::DriveView> {
    with(&state, |s| {
        let lang = s.lang();
        aqui::app::organize::drive_view(s.vault()?, lang, &id)
    })
}

/// Records a batch of paper signatures; returns the drive's new progress.
#[tauri::command]
pub fn add_batch(
    state: State<'_, AppState>,
    id: Id,
    count: String,
    date: Option<String>,
    by: Option<String>,
) -> Res<aqui::app::organize::DriveView> {
    with(&state, |s| {
        let lang = s.lang();
        let v = s.vault()?;
        aqui::pledge::add_batch(v, &id, &count, date.as_deref(), by.as_deref())?;
        aqui::app::organize::drive_view(v, lang, &id)
    })
}

/// Writes the drive's printable signature sheet (English and Spanish).
#[tauri::command]
pub fn signature_sheet(state: State<'_, AppState>, id: Id, path: String) -> Res<String> {
    with(&state, |s| s.signature_sheet(&id, &path))
}

/// What a backup holds and where it would be restored, before writing.
#[tauri::command(async)]
pub fn restore_preview(
    state: State<'_, AppState>,
    path: String,
    key: aqui::app::organize::BackupKey,
    place: Option<String>,
) -> Res<aqui::app::organize::RestoreView> {
    with(&state, |s| s.restore_preview(&path, &key, place.as_deref()))
}

/// Restores a backup into a new vault (this app's own, when it has none).
#[tauri::command(async)]
pub fn restore(
    state: State<'_, AppState>,
    path: String,
    key: aqui::app::organize::BackupKey,
    place: Option<String>,
    passphrase: String,
) -> Res<Status> {
    with(&state, |s| {
        s.restore(&path, &key, place.as_deref(), &Passphrase::new(passphrase))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn state(dir: &std::path::Path) -> AppState {
        let mut s = Session::new(aqui::app::Dirs::beside(&dir.join("vault"))).with_kdf(
            aqui::vault::KdfParams {
                m_kib: 8 * 1024,
                t: 1,
                p: 1,
            },
        );
        s.create(&Passphrase::new("a long enough passphrase".into()))
            .unwrap();
        AppState::new(s)
    }

    #[test]
    fn locking_does_not_wait_for_a_running_command() {
        let tmp = tempfile::TempDir::new().unwrap();
        let st = std::sync::Arc::new(state(tmp.path()));
        // A command that runs until it is stopped (as a long import reads
        // until the stop flag is raised), started 10 minutes "ago".
        let (started_tx, started_rx) = std::sync::mpsc::channel();
        let runner = {
            let st = st.clone();
            std::thread::spawn(move || {
                with(&st, |s| {
                    let stop = s.stop_handle();
                    started_tx.send(()).unwrap();
                    while !stop.load(Ordering::Relaxed) {
                        std::thread::sleep(Duration::from_millis(5));
                    }
                    Err::<(), AppError>(aqui::handoff::Error::Stopped.into())
                })
            })
        };
        started_rx.recv().unwrap();
        let long_ago = Instant::now() - Duration::from_secs(600);
        if let Some((since, _)) = st.busy().as_mut() {
            *since = long_ago;
        }
        // The idle timer: the command is overdue, so it is stopped and the
        // vault locks, without waiting for it to finish on its own.
        let locked = st.lock_if_idle(Instant::now(), std::time::SystemTime::now());
        assert!(locked);
        let err = runner.join().unwrap().unwrap_err();
        assert_eq!(err.kind, "err-stopped");
        assert!(!st.session().status().unlocked);
    }
}
