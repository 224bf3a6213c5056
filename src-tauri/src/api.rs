//! The commands the UI calls: adapters of a few lines that take the state,
//! call the core, and turn its errors into `{kind, message, field?}` in the
//! user's language. No rule lives here; they are in `aqui::app` and the core.
//! Commands that stretch a passphrase (Argon2id) are `async`, so they run off
//! the main thread and the window stays responsive meanwhile.

use aqui::app::{AppError, Session, Status, Strength};
use aqui::model::today;
use aqui::view::{self, FormSpec, Home, Item, RecordView};
use aqui::{Id, Kind, Lang, Localize, Passphrase, UserError};
use serde::Serialize;
use std::sync::{Mutex, MutexGuard};
use tauri::State;

/// The app's state: one session behind a lock.
pub struct AppState(pub Mutex<Session>);

impl AppState {
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
    f(&mut s).map_err(|e| e.to_user(lang))
}

#[derive(Serialize)]
pub struct LangChange {
    lang: Lang,
    messages: serde_json::Map<String, serde_json::Value>,
}

#[tauri::command]
pub fn app_status(state: State<'_, AppState>) -> Status {
    state.session().status()
}

#[tauri::command(async)]
pub fn change_passphrase(state: State<'_, AppState>, current: String, new: String) -> Res<()> {
    with(&state, |s| {
        s.change_passphrase(&Passphrase::new(current), &Passphrase::new(new))
    })
}

#[tauri::command(async)]
pub fn create_vault(state: State<'_, AppState>, passphrase: String) -> Res<Status> {
    with(&state, |s| s.create(&Passphrase::new(passphrase)))
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

#[tauri::command]
pub fn form_spec(state: State<'_, AppState>, kind: Kind) -> FormSpec {
    view::form_spec(state.session().lang(), kind)
}

#[tauri::command]
pub fn home(state: State<'_, AppState>) -> Res<Home> {
    with(&state, |s| {
        let lang = s.lang();
        Ok(view::home(s.vault()?, lang, today()))
    })
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
    state.session().lock()
}

#[tauri::command]
pub fn messages(state: State<'_, AppState>) -> serde_json::Map<String, serde_json::Value> {
    view::messages(state.session().lang())
}

#[tauri::command(async)]
pub fn open_demo(state: State<'_, AppState>, passphrase: String) -> Res<Status> {
    with(&state, |s| s.open_demo(&Passphrase::new(passphrase)))
}

#[tauri::command]
pub fn panic_wipe(state: State<'_, AppState>, confirmation: String) -> Res<Status> {
    with(&state, |s| s.panic_wipe(&confirmation))
}

#[tauri::command]
pub fn passphrase_strength(state: State<'_, AppState>, passphrase: String) -> Strength {
    aqui::app::strength(state.session().lang(), &passphrase)
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
pub fn search(state: State<'_, AppState>, query: String) -> Res<Vec<Item>> {
    with(&state, |s| {
        let lang = s.lang();
        let v = s.vault()?;
        Ok(view::items(v, lang, v.search(&query)))
    })
}

#[tauri::command(async)]
pub fn set_auto_lock(state: State<'_, AppState>, minutes: u32, passphrase: String) -> Res<Status> {
    with(&state, |s| {
        s.set_auto_lock(minutes, &Passphrase::new(passphrase))
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
pub fn touch(state: State<'_, AppState>) {
    state.session().touch();
}

#[tauri::command(async)]
pub fn unlock(state: State<'_, AppState>, passphrase: String, demo: bool) -> Res<Status> {
    with(&state, |s| s.unlock(&Passphrase::new(passphrase), demo))
}
