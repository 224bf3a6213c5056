//! The Aquí Estamos desktop shell: a Tauri 2 window over the `aqui` core.
//!
//! Responsible for: the window, the command adapters (`api`), the app state,
//! running the idle auto-lock timer, and locking when the screen locks or the
//! system is about to sleep (`screen_lock`, over D-Bus on Linux). Not
//! responsible for any rule: those live in the core (`aqui::app`,
//! `aqui::vault`, `aqui::view`).
//!
//! The webview keeps nothing on disk: the window is incognito (an ephemeral
//! WebKit context) and its data directory is a per-process private folder
//! (mode 0700, a random name, in `$XDG_RUNTIME_DIR` when there is one, else
//! the temp folder) that is removed when the app exits (also when stopped
//! by a signal, and at the next start if it was killed), so WebKit never
//! writes under `~/.local/share/<identifier>` either.

pub mod api;
#[cfg(target_os = "linux")]
pub mod screen_lock;

use api::AppState;
use aqui::app::{Dirs, Session};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant, SystemTime};
use tauri::{AppHandle, Emitter, Manager, Runtime};

/// How often the idle timer looks at the clock.
const IDLE_CHECK: Duration = Duration::from_secs(5);

/// The webview's temporary data folder, removed on exit.
struct WebviewDataDir(PathBuf);

const WEBVIEW_DIR_PREFIX: &str = "aqui-webview-";

/// A new private folder for the webview's data: see `aqui::harden::private_dir`.
pub fn webview_dir(parent: &Path) -> std::io::Result<PathBuf> {
    aqui::harden::private_dir(parent, WEBVIEW_DIR_PREFIX)
}

/// Removes the webview folders in `tmp` left by copies of the app that did
/// not exit normally (killed, crashed, power lost): those whose process is
/// gone. Another user's folders, or a running copy's, are left alone.
pub fn remove_stale_webview_dirs(tmp: &Path) {
    let Ok(entries) = std::fs::read_dir(tmp) else {
        return;
    };
    for entry in entries.flatten() {
        let name = entry.file_name();
        // `PREFIX<pid>-<random>` (and `PREFIX<pid>` from older builds).
        let pid = name
            .to_str()
            .and_then(|n| n.strip_prefix(WEBVIEW_DIR_PREFIX))
            .and_then(|p| p.split('-').next())
            .and_then(|p| p.parse::<u32>().ok());
        // Our own pid's folder can only be a killed copy's whose pid we got.
        if pid.is_some_and(|pid| pid == std::process::id() || !process_alive(pid)) {
            let _ = std::fs::remove_dir_all(entry.path());
        }
    }
}

#[cfg(target_os = "linux")]
fn process_alive(pid: u32) -> bool {
    Path::new("/proc").join(pid.to_string()).exists()
}

#[cfg(not(target_os = "linux"))]
fn process_alive(_pid: u32) -> bool {
    true
}

/// The variable that turns off WebKitGTK's DMA-BUF renderer.
pub const NO_DMABUF: &str = "WEBKIT_DISABLE_DMABUF_RENDERER";

/// Turns WebKitGTK's DMA-BUF renderer off where the machine has no GPU
/// render node (`/dev/dri/renderD*`): WebKit would set it up only to draw
/// in software anyway, and that set-up is about a third of a start there
/// (see the README's *Package and start-up*). A variable the person set
/// themselves, either way, is kept. Called first thing in `main`, before
/// any thread starts (the environment is not shared safely once one has).
pub fn choose_renderer() {
    #[cfg(target_os = "linux")]
    if std::env::var_os(NO_DMABUF).is_none() && !has_render_node(Path::new("/dev/dri")) {
        std::env::set_var(NO_DMABUF, "1");
    }
}

/// Whether `dri` holds a render node (`renderD128`, ...).
pub fn has_render_node(dri: &Path) -> bool {
    std::fs::read_dir(dri).is_ok_and(|entries| {
        entries.flatten().any(|e| {
            e.file_name()
                .to_str()
                .is_some_and(|n| n.starts_with("renderD"))
        })
    })
}

/// tauri-driver sets this for WebDriver sessions; WebKit cannot be automated
/// in an ephemeral (incognito) context, so tests run with a normal one (still
/// in the temporary folder, and the UI stores nothing in it).
fn automation_enabled() -> bool {
    std::env::var("TAURI_WEBVIEW_AUTOMATION").as_deref() == Ok("true")
}

fn create_main_window<R: Runtime>(app: &AppHandle<R>) -> tauri::Result<()> {
    let Some(cfg) = app
        .config()
        .app
        .windows
        .iter()
        .find(|w| w.label == "main")
        .cloned()
    else {
        return Err(tauri::Error::WindowNotFound);
    };
    let tmp = std::env::temp_dir();
    remove_stale_webview_dirs(&tmp);
    let parent = aqui::harden::runtime_parent();
    if parent != tmp {
        remove_stale_webview_dirs(&parent);
    }
    let dir = webview_dir(&parent).map_err(tauri::Error::Io)?;
    app.manage(WebviewDataDir(dir.clone()));
    tauri::WebviewWindowBuilder::from_config(app, &cfg)?
        .incognito(cfg.incognito && !automation_enabled())
        .data_directory(dir)
        .build()?;
    Ok(())
}

/// Tells the UI the vault was locked without it asking (idle, screen lock).
fn tell_locked<R: Runtime>(app: &AppHandle<R>, locked: bool) {
    if locked {
        let _ = app.emit("vault-locked", ());
    }
}

/// Locks the vault after the configured idle time and tells the UI.
fn spawn_idle_timer<R: Runtime>(app: AppHandle<R>) {
    std::thread::spawn(move || loop {
        std::thread::sleep(IDLE_CHECK);
        let (now, wall) = (Instant::now(), SystemTime::now());
        let locked = app.state::<AppState>().lock_if_idle(now, wall);
        tell_locked(&app, locked);
    });
}

/// Locks the vault now, if it is open, and tells the UI: the screen locked
/// or the system is about to sleep.
pub fn lock_now<R: Runtime>(app: &AppHandle<R>) {
    let locked = app.state::<AppState>().interrupted().lock_if_open();
    tell_locked(app, locked);
}

/// Listens on each of `buses` (a bus and its D-Bus address) for the screen
/// locking or the system going to sleep, and locks then (see `screen_lock`).
#[cfg(target_os = "linux")]
pub fn watch_screen_lock<R: Runtime>(app: &AppHandle<R>, buses: Vec<(screen_lock::Bus, String)>) {
    for (bus, address) in buses {
        let app = app.clone();
        tauri::async_runtime::spawn(async move {
            screen_lock::listen(&address, bus, || lock_now(&app)).await;
        });
    }
}

/// Everything but the context and the runtime: shared by `run` and the tests.
pub fn builder<R: Runtime>(builder: tauri::Builder<R>, session: Session) -> tauri::Builder<R> {
    builder
        // Native open/save dialogs only; the capability grants just those two.
        .plugin(tauri_plugin_dialog::init())
        .manage(AppState::new(session))
        .invoke_handler(tauri::generate_handler![
            api::add_batch,
            api::add_steward,
            api::app_status,
            api::audit_log,
            api::backup,
            api::change_passphrase,
            api::conflicts,
            api::consent,
            api::consent_form,
            api::consent_to_confirm,
            api::create_vault,
            api::csv_export,
            api::csv_import,
            api::csv_preview,
            api::delete_record,
            api::details,
            api::door_texts,
            api::drive,
            api::export,
            api::export_preview,
            api::form_spec,
            api::handoff_defaults,
            api::home,
            api::identity,
            api::import_apply,
            api::import_preview,
            api::items_of,
            api::leave_door,
            api::list,
            api::lock,
            api::mentions_status,
            api::messages,
            api::open_demo,
            api::panic_wipe,
            api::passphrase_strength,
            api::purge_due,
            api::purge_later,
            api::purge_now,
            api::record_consent,
            api::pick,
            api::remove_steward,
            api::report_period,
            api::report_view,
            api::revoke_steward,
            api::resolve,
            api::retention,
            api::restore,
            api::restore_preview,
            api::save,
            api::save_report,
            api::save_consent_form,
            api::search,
            api::set_auto_lock,
            api::set_lang,
            api::set_retention,
            api::set_own_name,
            api::sign_in,
            api::signature_sheet,
            api::stewards,
            api::touch,
            api::unlock,
            api::verify_steward,
        ])
        .setup(|app| {
            create_main_window(app.handle())?;
            spawn_idle_timer(app.handle().clone());
            Ok(())
        })
}

pub fn context<R: Runtime>() -> tauri::Context<R> {
    tauri::generate_context!()
}

/// The folders the app uses: `AQUI_VAULT`, else the platform's data folder.
pub fn dirs() -> Dirs {
    Dirs::from_env().unwrap_or_else(|| Dirs::beside(&PathBuf::from("aqui-estamos").join("vault")))
}

/// Ends the app the normal way (locking the vault and removing the webview's
/// folder) when the session ends or someone stops it: SIGTERM, SIGINT, SIGHUP.
/// A second signal, while that exit is held up, ends the process at once.
#[cfg(unix)]
fn exit_on_signals<R: Runtime>(app: &AppHandle<R>) {
    use std::sync::atomic::{AtomicBool, Ordering};
    use std::sync::Arc;
    use tokio::signal::unix::{signal, SignalKind};
    let asked = Arc::new(AtomicBool::new(false));
    for kind in [
        SignalKind::terminate(),
        SignalKind::interrupt(),
        SignalKind::hangup(),
    ] {
        let (app, asked) = (app.clone(), asked.clone());
        tauri::async_runtime::spawn(async move {
            let Ok(mut stream) = signal(kind) else { return };
            while stream.recv().await.is_some() {
                if asked.swap(true, Ordering::SeqCst) {
                    std::process::exit(1);
                }
                app.exit(0);
            }
        });
    }
}

pub fn run() {
    let app = builder(tauri::Builder::default(), Session::new(dirs()))
        .build(context())
        .unwrap_or_else(|e| {
            let lang = aqui::Lang::choose(None);
            let detail = [("detail", e.to_string())];
            eprintln!("{}", aqui::i18n::text(lang, "err-app-start"));
            eprintln!("{}", aqui::i18n::text_args(lang, "err-detail", &detail));
            std::process::exit(1);
        });
    #[cfg(target_os = "linux")]
    {
        use screen_lock::Bus;
        let buses = [Bus::Session, Bus::System]
            .into_iter()
            .filter_map(|bus| Some((bus, bus.address()?)))
            .collect();
        watch_screen_lock(app.handle(), buses);
    }
    #[cfg(unix)]
    exit_on_signals(app.handle());
    app.run(|app, event| {
        if let tauri::RunEvent::Exit = event {
            // Lock (zeroize the key) and remove the webview's temporary folder.
            app.state::<AppState>().interrupted().lock();
            if let Some(dir) = app.try_state::<WebviewDataDir>() {
                let _ = std::fs::remove_dir_all(&dir.0);
            }
        }
    });
}
