//! Screen lock → auto-lock, on a real D-Bus daemon of its own (`dbus-daemon
//! --session`, Debian package `dbus`): the listeners the app starts
//! (`watch_screen_lock`) hear the screensaver's `ActiveChanged(true)` and
//! logind's `Lock` and `PrepareForSleep(true)`, lock the session and emit
//! `vault-locked`, as the idle timer does. The app runs on the mock runtime.
#![cfg(target_os = "linux")]

use aqui::app::{Dirs, Session};
use aqui::Passphrase;
use aqui_desktop::api::AppState;
use aqui_desktop::screen_lock::{is_lock_signal, listen, Bus};
use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc::{channel, Receiver};
use std::time::{Duration, Instant};
use tauri::async_runtime::block_on;
use tauri::test::{mock_builder, MockRuntime};
use tauri::{Listener, Manager};

const PASS: &str = "la marcha sale a las diez";
const WAIT: Duration = Duration::from_secs(15);

/// A private session bus, stopped when dropped.
struct Daemon {
    child: Child,
    address: String,
    _dir: tempfile::TempDir,
}

impl Daemon {
    fn start() -> Daemon {
        let dir = tempfile::TempDir::new().unwrap();
        let mut child = Command::new("dbus-daemon")
            .args(["--session", "--nofork", "--print-address"])
            .arg(format!("--address=unix:dir={}", dir.path().display()))
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap_or_else(|e| {
                panic!("dbus-daemon did not start ({e}); `bash scripts/setup --e2e` installs it")
            });
        let mut address = String::new();
        BufReader::new(child.stdout.take().unwrap())
            .read_line(&mut address)
            .unwrap();
        assert!(address.starts_with("unix:"), "{address:?}");
        Daemon {
            child,
            address: address.trim().to_string(),
            _dir: dir,
        }
    }
}

impl Drop for Daemon {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Something on the bus that says the screen locked: a screensaver, logind.
struct Emitter(zbus::Connection);

impl Emitter {
    fn new(address: &str) -> Emitter {
        let conn = block_on(zbus::connection::Builder::address(address).build()).unwrap();
        Emitter(conn)
    }

    fn screensaver(&self, interface: &str, active: bool) {
        let path = format!("/{}", interface.replace('.', "/"));
        self.emit(&path, interface, "ActiveChanged", &active);
    }

    fn logind_lock(&self) {
        let iface = "org.freedesktop.login1.Session";
        self.emit("/org/freedesktop/login1/session/_32", iface, "Lock", &());
    }

    fn prepare_for_sleep(&self, start: bool) {
        let (path, iface) = ("/org/freedesktop/login1", "org.freedesktop.login1.Manager");
        self.emit(path, iface, "PrepareForSleep", &start);
    }

    fn emit<B>(&self, path: &str, iface: &str, member: &str, body: &B)
    where
        B: serde::Serialize + zbus::DynamicType,
    {
        block_on(self.0.emit_signal(None::<&str>, path, iface, member, body)).unwrap();
    }
}

struct App {
    _tmp: tempfile::TempDir,
    app: tauri::App<MockRuntime>,
    locked_events: Receiver<()>,
}

impl App {
    fn new() -> App {
        let tmp = tempfile::TempDir::new().unwrap();
        let session = Session::new(Dirs::beside(&tmp.path().join("vault"))).with_kdf(
            aqui::vault::KdfParams {
                m_kib: 8 * 1024,
                t: 1,
                p: 1,
            },
        );
        let app = aqui_desktop::builder(mock_builder(), session)
            .build(aqui_desktop::context())
            .unwrap();
        let (tx, locked_events) = channel();
        app.listen_any("vault-locked", move |_| {
            let _ = tx.send(());
        });
        let app = App {
            _tmp: tmp,
            app,
            locked_events,
        };
        app.session().create(&Passphrase::new(PASS.into())).unwrap();
        assert!(app.unlocked());
        app
    }

    fn session(&self) -> std::sync::MutexGuard<'_, Session> {
        self.app.state::<AppState>().inner().session()
    }

    fn unlocked(&self) -> bool {
        self.session().status().unlocked
    }

    fn unlock(&self) {
        let pass = Passphrase::new(PASS.into());
        self.session().unlock(&pass, false).unwrap();
        assert!(self.unlocked());
    }

    /// Sends the signal until the app says it locked (the listener may not
    /// have subscribed yet the first time), then checks the session is locked.
    fn locks_on(&self, what: &str, send: impl Fn()) {
        let start = Instant::now();
        loop {
            send();
            if self
                .locked_events
                .recv_timeout(Duration::from_millis(200))
                .is_ok()
            {
                break;
            }
            assert!(start.elapsed() < WAIT, "{what} did not lock the vault");
        }
        assert!(
            !self.unlocked(),
            "{what}: vault-locked was emitted, so it is locked"
        );
    }
}

#[test]
fn the_screen_locking_or_the_system_sleeping_locks_the_vault() {
    let bus = Daemon::start();
    let app = App::new();
    // Both listeners on the one private bus: the "system" one hears logind's signals there.
    aqui_desktop::watch_screen_lock(
        app.app.handle(),
        vec![
            (Bus::Session, bus.address.clone()),
            (
                Bus::System,
                format!("tcp:host=127.0.0.1,port=9;{}", bus.address),
            ),
        ],
    );
    let emit = Emitter::new(&bus.address);

    app.locks_on("org.freedesktop.ScreenSaver ActiveChanged(true)", || {
        emit.screensaver("org.freedesktop.ScreenSaver", true)
    });

    // The screen saver going off, or waking from sleep, locks nothing.
    app.unlock();
    emit.screensaver("org.freedesktop.ScreenSaver", false);
    emit.screensaver("org.gnome.ScreenSaver", false);
    emit.prepare_for_sleep(false);
    std::thread::sleep(Duration::from_millis(500));
    assert!(
        app.unlocked(),
        "ActiveChanged(false) / PrepareForSleep(false) lock nothing"
    );
    assert!(app.locked_events.try_recv().is_err());

    app.locks_on("org.gnome.ScreenSaver ActiveChanged(true)", || {
        emit.screensaver("org.gnome.ScreenSaver", true)
    });
    app.unlock();
    app.locks_on("logind Session.Lock", || emit.logind_lock());
    app.unlock();
    app.locks_on("logind PrepareForSleep(true)", || {
        emit.prepare_for_sleep(true)
    });

    // Already locked: another signal keeps it locked and tells the UI nothing new.
    emit.screensaver("org.freedesktop.ScreenSaver", true);
    std::thread::sleep(Duration::from_millis(300));
    assert!(!app.unlocked());
    assert!(app.locked_events.try_recv().is_err());
}

#[test]
fn which_signals_lock() {
    let msg = |path: &str, iface: &str, member: &str, body: Option<bool>| {
        let b = zbus::Message::signal(path, iface, member);
        match body {
            Some(on) => b.build(&on).unwrap(),
            None => b.build(&()).unwrap(),
        }
    };
    let fd = "org.freedesktop.ScreenSaver";
    let gnome = "org.gnome.ScreenSaver";
    let manager = "org.freedesktop.login1.Manager";
    let session = "org.freedesktop.login1.Session";
    let p = "/x";
    assert!(is_lock_signal(&msg(p, fd, "ActiveChanged", Some(true))));
    assert!(is_lock_signal(&msg(p, gnome, "ActiveChanged", Some(true))));
    assert!(is_lock_signal(&msg(p, session, "Lock", None)));
    assert!(is_lock_signal(&msg(
        p,
        manager,
        "PrepareForSleep",
        Some(true)
    )));
    assert!(!is_lock_signal(&msg(p, fd, "ActiveChanged", Some(false))));
    assert!(!is_lock_signal(&msg(p, gnome, "ActiveChanged", None)));
    assert!(!is_lock_signal(&msg(
        p,
        manager,
        "PrepareForSleep",
        Some(false)
    )));
    assert!(!is_lock_signal(&msg(p, session, "Unlock", None)));
    assert!(!is_lock_signal(&msg(
        p,
        "org.example.Other",
        "ActiveChanged",
        Some(true)
    )));
}

#[test]
fn no_bus_or_a_non_unix_address_is_quietly_nothing_and_never_dials_tcp() {
    let tcp = std::net::TcpListener::bind(("127.0.0.1", 0)).unwrap();
    tcp.set_nonblocking(true).unwrap();
    let port = tcp.local_addr().unwrap().port();
    for address in [
        format!("tcp:host=127.0.0.1,port={port}"),
        format!("nonce-tcp:host=127.0.0.1,port={port}"),
        "unix:path=/nonexistent/aqui-no-bus".to_string(),
        "not an address".to_string(),
        String::new(),
    ] {
        // returns at once instead of listening (a listener would never end)
        let listened = block_on(async {
            tokio::time::timeout(WAIT, listen(&address, Bus::Session, || panic!("no lock"))).await
        });
        assert!(
            listened.is_ok(),
            "{address:?}: listen should return at once"
        );
    }
    assert!(
        tcp.accept()
            .is_err_and(|e| e.kind() == std::io::ErrorKind::WouldBlock),
        "nothing connected over TCP"
    );
}
