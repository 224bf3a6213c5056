//! End to end in the real app: Xvfb + tauri-driver (in front of Debian's
//! WebKitWebDriver) + the real `aqui-desktop` binary in a real WebKit webview,
//! driven with fantoccini. The app runs with a private HOME, TMPDIR and vault,
//! so the test can scan every file it wrote for planted names afterwards.
//!
//! This test never skips: when the app, the driver or Xvfb cannot start it
//! fails (`scripts/setup --e2e` installs them). Screenshots of the main screens
//! in both languages go to `target/screenshots/`.

use aqui::i18n::{text, Lang};
use fantoccini::{Client, ClientBuilder, Locator};
use serde_json::{json, Value};
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

const PASS: &str = "la lucha sigue en el condado";
const ORG: &str = "Centro Obrero Canario";
const PERSON: &str = "Zyxcanary Quetzalli";
const PHONE: &str = "+1 555 0147 9931";
const XSS_NAME: &str = "<img src=x onerror=alert(1)>";
const DEMAND: &str = "End the Canaryville 287(g) agreement";
const PLEDGE: &str = "Canaryville pledge drive";
const NOTE: &str = "Canary coalition meeting";
const NOTE_BODY: &str = "<script>window.__pwned = 2</script> Plaintext canary note body";
/// With a `|`, which the task keeps (the core reads the form's parts from the right).
const FOLLOW_UP: &str = "Call the canary pastor | bring flyers";
/// Planted strings that must never reach disk in plain bytes.
const PLANTED: &[&str] = &[
    ORG,
    PERSON,
    PHONE,
    DEMAND,
    PLEDGE,
    NOTE,
    "Plaintext canary note body",
    FOLLOW_UP,
];

const WAIT: Duration = Duration::from_secs(30);

/// A child process stopped with SIGTERM (then SIGKILL) when dropped.
struct Proc(Child, &'static str);

impl Proc {
    fn sigterm(&mut self) {
        // SIGTERM, not SIGKILL: tauri-driver then stops WebKitWebDriver too.
        unsafe { libc::kill(self.0.id() as libc::pid_t, libc::SIGTERM) };
    }

    fn wait_exit(&mut self, timeout: Duration) -> bool {
        let t = Instant::now();
        while t.elapsed() < timeout {
            if let Ok(Some(_)) = self.0.try_wait() {
                return true;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        false
    }
}

impl Drop for Proc {
    fn drop(&mut self) {
        if let Ok(None) = self.0.try_wait() {
            self.sigterm();
            if !self.wait_exit(Duration::from_secs(5)) {
                eprintln!("{} ignored SIGTERM", self.1);
                let _ = self.0.kill();
                let _ = self.0.wait();
            }
        }
    }
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

fn wait_for_port(port: u16) {
    let t = Instant::now();
    while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(t.elapsed() < WAIT, "tauri-driver did not listen on {port}");
        std::thread::sleep(Duration::from_millis(50));
    }
}

fn tauri_driver() -> PathBuf {
    let home = std::env::var("CARGO_HOME")
        .map(PathBuf::from)
        .unwrap_or_else(|_| {
            PathBuf::from(std::env::var("HOME").unwrap_or_default()).join(".cargo")
        });
    let p = home.join("bin/tauri-driver");
    if p.exists() {
        p
    } else {
        "tauri-driver".into()
    }
}

fn start_xvfb() -> (Proc, String) {
    let n = (90..400)
        .find(|n| {
            !Path::new(&format!("/tmp/.X11-unix/X{n}")).exists()
                && !Path::new(&format!("/tmp/.X{n}-lock")).exists()
        })
        .expect("a free X display");
    let child = Command::new("Xvfb")
        .args([
            &format!(":{n}"),
            "-screen",
            "0",
            "1280x900x24",
            "-nolisten",
            "tcp",
        ])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("Xvfb starts (bash scripts/setup --e2e installs it)");
    let t = Instant::now();
    while !Path::new(&format!("/tmp/.X11-unix/X{n}")).exists() {
        assert!(t.elapsed() < WAIT, "Xvfb did not start");
        std::thread::sleep(Duration::from_millis(50));
    }
    (Proc(child, "Xvfb"), format!(":{n}"))
}

/// Every regular file under `dir`.
fn files(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        let Ok(rd) = std::fs::read_dir(&d) else {
            continue;
        };
        for e in rd.flatten() {
            match e.file_type() {
                Ok(t) if t.is_dir() => stack.push(e.path()),
                Ok(t) if t.is_file() => out.push(e.path()),
                _ => {}
            }
        }
    }
    out
}

/// Files under `dir` holding any planted string in plain bytes.
fn plaintext_leaks(dir: &Path) -> Vec<String> {
    let mut leaks = Vec::new();
    for f in files(dir) {
        let Ok(bytes) = std::fs::read(&f) else {
            continue;
        };
        for p in PLANTED {
            for needle in [p.to_string(), p.to_lowercase(), aqui::vault::fold(p)] {
                if bytes.windows(needle.len()).any(|w| w == needle.as_bytes()) {
                    leaks.push(format!("{needle:?} in {}", f.display()));
                }
            }
        }
    }
    leaks
}

type R<T> = Result<T, fantoccini::error::CmdError>;

/// The WebDriver client with the few moves the journey needs.
struct Ui {
    c: Client,
    shots: PathBuf,
}

impl Ui {
    async fn js(&self, script: &str, args: Vec<Value>) -> R<Value> {
        self.c.execute(script, args).await
    }

    /// Waits until `css` is displayed.
    async fn visible(&self, css: &str) -> R<()> {
        let t = Instant::now();
        loop {
            if let Ok(e) = self.c.find(Locator::Css(css)).await {
                if e.is_displayed().await.unwrap_or(false) {
                    return Ok(());
                }
            }
            assert!(t.elapsed() < WAIT, "{css} never became visible");
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    /// Waits until the text of `css` contains `want`; returns the text.
    async fn text_contains(&self, css: &str, want: &str) -> R<String> {
        let t = Instant::now();
        loop {
            let got = match self.c.find(Locator::Css(css)).await {
                Ok(e) => e.text().await.unwrap_or_default(),
                Err(_) => String::new(),
            };
            if got.contains(want) {
                return Ok(got);
            }
            assert!(
                t.elapsed() < WAIT,
                "{css} never showed {want:?}; it shows {got:?}"
            );
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    async fn click(&self, css: &str) -> R<()> {
        self.visible(css).await?;
        self.c.find(Locator::Css(css)).await?.click().await
    }

    /// Types into a text input as a person would.
    async fn type_into(&self, css: &str, text: &str) -> R<()> {
        self.visible(css).await?;
        let e = self.c.find(Locator::Css(css)).await?;
        e.clear().await?;
        e.send_keys(text).await
    }

    /// Sets a date input or a select (no portable way to type into them).
    async fn set(&self, css: &str, value: &str) -> R<()> {
        let done = self
            .js(
                "const e = document.querySelector(arguments[0]); if (!e) return false;
                 e.value = arguments[1];
                 e.dispatchEvent(new Event('input', {bubbles: true}));
                 e.dispatchEvent(new Event('change', {bubbles: true}));
                 return true;",
                vec![json!(css), json!(value)],
            )
            .await?;
        assert_eq!(done, json!(true), "no element {css}");
        Ok(())
    }

    async fn shot(&self, name: &str) -> R<()> {
        // Let WebKit paint the last DOM change first.
        self.c
            .execute_async(
                "const done = arguments[arguments.length - 1];
                 requestAnimationFrame(() => requestAnimationFrame(() => done(null)));",
                vec![],
            )
            .await?;
        let png = self.c.screenshot().await?;
        assert!(png.starts_with(b"\x89PNG"));
        std::fs::write(self.shots.join(format!("{name}.png")), png).unwrap();
        Ok(())
    }

    async fn nav(&self, to: &str) -> R<()> {
        self.click(&format!("[data-nav={to}]")).await
    }

    /// Opens the add form of `kind` and waits for it.
    async fn add(&self, kind: &str) -> R<()> {
        self.nav(kind).await?;
        self.visible("#list").await?;
        self.click("#add").await?;
        self.visible("#record-form [name=name], #record-form [name=title]")
            .await
    }

    async fn save(&self, title: &str) -> R<()> {
        self.click("#save").await?;
        self.visible("#detail").await?;
        self.text_contains("#detail-title", title).await?;
        Ok(())
    }

    async fn check_link(&self, field: &str, title: &str) -> R<()> {
        let ok = self
            .js(
                "const boxes = [...document.querySelectorAll('#record-form input[type=checkbox][name=\"' + arguments[0] + '\"]')];
                 const box = boxes.find(b => document.querySelector('label[for=\"' + b.id + '\"]').textContent.includes(arguments[1]));
                 if (!box) return false; box.click(); return box.checked;",
                vec![json!(field), json!(title)],
            )
            .await?;
        assert_eq!(ok, json!(true), "no {field} choice {title:?}");
        Ok(())
    }

    async fn search(&self, query: &str) -> R<String> {
        self.type_into("#search", query).await?;
        self.click("#search-go").await?;
        self.visible("#results").await?;
        self.text_contains("#results-query", query).await?;
        self.c
            .find(Locator::Css("#results-items"))
            .await?
            .text()
            .await
    }

    /// Nothing injected ran: no alert, no flag set by a script, no <img> made from data.
    async fn assert_no_script_ran(&self) -> R<()> {
        assert!(self.c.get_alert_text().await.is_err(), "an alert is open");
        let pwned = self.js("return window.__pwned === undefined && document.querySelectorAll('main img, #main img').length === 0;", vec![]).await?;
        assert_eq!(
            pwned,
            json!(true),
            "markup from data was executed or rendered"
        );
        Ok(())
    }

    /// The text of the element carrying message `id`, and what the core says it is in `lang`.
    async fn message_shown(&self, css: &str, lang: Lang) -> R<(String, String)> {
        let e = self.c.find(Locator::Css(css)).await?;
        let id = e.attr("data-msg").await?.unwrap_or_default();
        Ok((e.text().await?, text(lang, &id)))
    }
}

async fn journey(ui: &Ui) -> R<()> {
    // First run: create a vault.
    ui.visible("#start").await?;
    ui.visible("#lang-es").await?;
    ui.shot("en-start").await?;
    ui.type_into("#new-vault-pass", PASS).await?;
    ui.type_into("#new-vault-repeat", PASS).await?;
    ui.click("#create").await?;
    ui.visible("#home").await?;

    // One of every kind the journey needs.
    ui.add("org").await?;
    ui.type_into("#record-form [name=name]", ORG).await?;
    ui.set("#record-form [name=kind]", "worker_center").await?;
    ui.set("#record-form [name=immigrant-led]", "yes").await?;
    ui.save(ORG).await?;

    ui.add("person").await?;
    ui.type_into("#record-form [name=name]", PERSON).await?;
    ui.type_into("#record-form [name=phone]", PHONE).await?;
    ui.type_into("#record-form [name=tag]", "rapid-response, youth")
        .await?;
    ui.check_link("org", ORG).await?;
    ui.shot("en-form").await?;
    ui.save(PERSON).await?;
    // A new person starts with the core's defaults: consent to contact and to share.
    ui.text_contains("#detail-rows .row[data-field=consent-contact] dd", "yes")
        .await?;
    ui.text_contains("#detail-rows .row[data-field=consent-share] dd", "yes")
        .await?;

    ui.add("person").await?;
    ui.type_into("#record-form [name=name]", XSS_NAME).await?;
    ui.set("#record-form [name=sensitive]", "yes").await?;
    ui.save(XSS_NAME).await?;
    ui.assert_no_script_ran().await?;

    ui.add("demand").await?;
    ui.type_into("#record-form [name=title]", DEMAND).await?;
    ui.type_into("#record-form [name=target]", "Riverbend County Board")
        .await?;
    ui.set("#record-form [name=status]", "active").await?;
    ui.save(DEMAND).await?;

    ui.add("pledge").await?;
    ui.type_into("#record-form [name=title]", PLEDGE).await?;
    ui.type_into("#record-form [name=goal]", "100").await?;
    ui.set("#record-form [name=deadline]", "2027-04-15").await?;
    ui.type_into("#record-form [name=paper-count]", "41")
        .await?;
    ui.check_link("signer", PERSON).await?;
    ui.save(PLEDGE).await?;

    ui.add("note").await?;
    ui.type_into("#record-form [name=title]", NOTE).await?;
    ui.set("#record-form [name=date]", "2026-11-20").await?;
    ui.type_into("#record-form [name=body]", NOTE_BODY).await?;
    ui.check_link("attendee", PERSON).await?;
    ui.click("#record-form .follow-ups > button").await?;
    ui.type_into("#record-form [name=follow-up-task]", FOLLOW_UP)
        .await?;
    ui.set("#record-form [name=follow-up-due]", "2026-11-25")
        .await?;
    let person_id = ui
        .js(
            "const s = document.querySelector('#record-form [name=follow-up-who]');
             const o = [...s.options].find(o => o.textContent.includes(arguments[0])); return o ? o.value : null;",
            vec![json!(PERSON)],
        )
        .await?;
    ui.set(
        "#record-form [name=follow-up-who]",
        person_id.as_str().expect("the person is offered"),
    )
    .await?;
    ui.save(NOTE).await?;
    let shown = ui.text_contains("#detail-rows", FOLLOW_UP).await?;
    assert!(
        shown.contains(NOTE_BODY),
        "the note body shows as text: {shown}"
    );
    ui.assert_no_script_ran().await?;
    ui.shot("en-note").await?;

    // Search finds each.
    for q in [ORG, PERSON, DEMAND, PLEDGE, NOTE] {
        let found = ui.search(q).await?;
        assert!(found.contains(q), "search {q:?} found {found:?}");
    }
    let by_org = ui.search("obrero canario").await?;
    assert!(
        by_org.contains(PERSON),
        "people are found by their organization: {by_org}"
    );
    let accents = ui.search("QUETZALLÍ").await?;
    assert!(accents.contains(PERSON));
    ui.shot("en-search").await?;

    ui.nav("home").await?;
    ui.text_contains("#home-follow-ups", FOLLOW_UP).await?;
    ui.text_contains("#home-drives", PLEDGE).await?;
    ui.shot("en-home").await?;
    ui.nav("person").await?;
    let people = ui.text_contains("#list-items", XSS_NAME).await?;
    assert!(people.contains(PERSON));
    ui.assert_no_script_ran().await?;
    ui.shot("en-people").await?;
    ui.nav("settings").await?;
    ui.visible("#wipe-word").await?;
    ui.shot("en-settings").await?;

    // Switch to Español in the middle of typing: the text stays, the labels change.
    ui.add("person").await?;
    ui.type_into("#record-form [name=name]", "Half typed")
        .await?;
    ui.click("#lang-es").await?;
    let (shown, want) = ui.message_shown("[data-nav=person]", Lang::Es).await?;
    assert_eq!(shown.trim(), want.trim(), "nav in Spanish");
    let typed = ui
        .js(
            "return document.querySelector('#record-form [name=name]').value;",
            vec![],
        )
        .await?;
    assert_eq!(
        typed,
        json!("Half typed"),
        "typing survives the language switch"
    );
    let label = ui.js("return document.querySelector('label[for=\"' + document.querySelector('#record-form [name=name]').id + '\"]').textContent;", vec![]).await?;
    assert!(
        label.as_str().unwrap_or_default().contains("Nombre"),
        "{label}"
    );
    ui.shot("es-form").await?;

    // The data is intact in Spanish.
    ui.nav("home").await?;
    ui.text_contains("#home-drives", PLEDGE).await?;
    ui.shot("es-home").await?;
    ui.nav("person").await?;
    ui.text_contains("#list-items", PERSON).await?;
    ui.shot("es-people").await?;
    ui.nav("demand").await?;
    ui.text_contains("#list-items", &text(Lang::Es, "status-active"))
        .await?;
    let found = ui.search("canary").await?;
    assert!(found.contains(NOTE) && found.contains(PLEDGE), "{found}");
    ui.shot("es-search").await?;
    ui.nav("settings").await?;
    ui.visible("#wipe-word").await?;
    ui.shot("es-settings").await?;

    // Lock; a wrong passphrase is refused (in Spanish); the right one opens it again.
    ui.click("#lock").await?;
    ui.visible("#unlock").await?;
    ui.shot("es-unlock").await?;
    ui.type_into("#unlock-pass", "no es la frase").await?;
    ui.click("#unlock-go").await?;
    ui.text_contains("#unlock-error", "no abre esta bóveda")
        .await?;
    ui.type_into("#unlock-pass", PASS).await?;
    ui.click("#unlock-go").await?;
    ui.visible("#home").await?;
    for (kind, title) in [
        ("org", ORG),
        ("person", PERSON),
        ("demand", DEMAND),
        ("pledge", PLEDGE),
        ("note", NOTE),
    ] {
        ui.nav(kind).await?;
        ui.text_contains("#list-items", title).await?;
    }
    ui.assert_no_script_ran().await?;

    // Meeting mode masks sensitive people and every phone number, on lists and details.
    ui.click("#meeting-mode").await?;
    ui.nav("person").await?;
    let masked = ui.text_contains("#list-items", PERSON).await?;
    assert!(
        !masked.contains(XSS_NAME),
        "a sensitive person is masked: {masked}"
    );
    ui.search(PERSON).await?;
    ui.click("#results-items .item").await?;
    ui.visible("#detail").await?;
    let rows =
        ui.c.find(Locator::Css("#detail-rows"))
            .await?
            .text()
            .await?;
    assert!(
        !rows.contains(PHONE) && !rows.contains("555"),
        "phone masked: {rows}"
    );
    ui.shot("es-meeting-mode").await?;
    ui.click("#meeting-mode").await?;
    ui.text_contains("#detail-rows", PHONE).await?;

    // Deleting an organization, then editing its member in the app, keeps the
    // (now dangling) membership instead of silently dropping it.
    ui.search(ORG).await?;
    ui.click("#results-items .item[data-kind=org]").await?;
    ui.visible("#detail").await?;
    ui.click("#delete").await?;
    ui.click("#delete-confirm").await?;
    ui.visible("#list").await?;
    ui.search(PERSON).await?;
    ui.click("#results-items .item").await?;
    ui.visible("#detail").await?;
    ui.click("#edit").await?;
    ui.visible("#record-form [name=name]").await?;
    ui.save(PERSON).await?;
    ui.visible("#detail-rows .row[data-field=org]").await?;

    // Panic wipe: the typed word, a countdown, then back to the first screen.
    ui.nav("settings").await?;
    let word =
        ui.c.find(Locator::Css("#wipe-word-shown"))
            .await?
            .text()
            .await?;
    ui.type_into("#wipe-word", word.trim()).await?;
    ui.click("#wipe-start").await?;
    ui.visible("#wipe-countdown").await?;
    ui.shot("es-wipe-countdown").await?;
    ui.visible("#start").await?;
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_whole_journey_in_the_real_app() {
    let started = Instant::now();
    let app = PathBuf::from(env!("CARGO_BIN_EXE_aqui-desktop"));
    let root = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("e2e");
    let _ = std::fs::remove_dir_all(&root);
    let home = root.join("home");
    let tmp = home.join("tmp");
    std::fs::create_dir_all(&tmp).unwrap();
    let shots = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../target/screenshots");
    std::fs::create_dir_all(&shots).unwrap();

    // Reap what tauri-driver leaves orphaned (the app, WebKitWebDriver).
    unsafe { libc::prctl(libc::PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) };
    let (_xvfb, display) = start_xvfb();
    let port = free_port();
    let native_port = free_port();
    let mut driver = Proc(
        Command::new(tauri_driver())
            .args([
                "--port",
                &port.to_string(),
                "--native-port",
                &native_port.to_string(),
            ])
            .args(["--native-driver", "/usr/bin/WebKitWebDriver"])
            .env("DISPLAY", &display)
            .env("HOME", &home)
            .env("TMPDIR", &tmp)
            .env("AQUI_VAULT", home.join("data/vault"))
            .env("LANG", "C.UTF-8")
            .env_remove("AQUI_LANG")
            .env_remove("LC_ALL")
            .env_remove("LC_MESSAGES")
            .env_remove("XDG_DATA_HOME")
            .env_remove("XDG_CACHE_HOME")
            .env_remove("XDG_CONFIG_HOME")
            .env_remove("XDG_RUNTIME_DIR")
            // Not WEBKIT_DISABLE_COMPOSITING_MODE / _DMABUF_RENDERER: with either,
            // WebKitGTK 2.50's full-window screenshot hangs. Keep Mesa and GSettings
            // from writing caches under HOME.
            .env("MESA_SHADER_CACHE_DISABLE", "true")
            .env("GSETTINGS_BACKEND", "memory")
            .stdout(Stdio::null())
            .spawn()
            .expect("tauri-driver starts (bash scripts/setup --e2e installs it)"),
        "tauri-driver",
    );
    // tauri-driver listens at once, but forwards to WebKitWebDriver, which
    // starts a moment later on the native port: wait for both.
    wait_for_port(port);
    wait_for_port(native_port);
    let mut caps = serde_json::Map::new();
    caps.insert("tauri:options".into(), json!({ "application": app }));
    let client = ClientBuilder::native()
        .capabilities(caps)
        .connect(&format!("http://127.0.0.1:{port}"))
        .await
        .expect("a WebDriver session with the app");
    let ui = Ui {
        c: client,
        shots: shots.clone(),
    };
    ui.c.set_window_size(1100, 800).await.ok();

    let outcome = tokio::time::timeout(Duration::from_secs(600), journey(&ui)).await;
    // While the app still runs (its webview data folder exists): nothing readable on disk.
    let leaks_running = plaintext_leaks(&home);
    let _ = tokio::time::timeout(Duration::from_secs(20), ui.c.close()).await;
    outcome
        .expect("the journey finished in time")
        .expect("the journey");
    assert!(
        leaks_running.is_empty(),
        "plaintext on disk while running: {leaks_running:#?}"
    );

    driver.sigterm();
    assert!(
        driver.wait_exit(Duration::from_secs(10)),
        "tauri-driver stopped on SIGTERM"
    );
    std::thread::sleep(Duration::from_millis(500));
    loop {
        let mut st = 0;
        if unsafe { libc::waitpid(-1, &mut st, libc::WNOHANG) } <= 0 {
            break;
        }
    }
    let leaks_after = plaintext_leaks(&home);
    assert!(
        leaks_after.is_empty(),
        "plaintext on disk after exit: {leaks_after:#?}"
    );
    // The panic wipe destroyed the vault: its key and its store are gone.
    assert!(
        !home.join("data/vault/key.json").exists(),
        "the key is destroyed"
    );
    assert!(
        !home.join("data/vault/store").exists(),
        "the store is deleted"
    );
    eprintln!(
        "e2e journey: {:?}; screenshots in {}",
        started.elapsed(),
        shots.display()
    );
    let _ = std::fs::remove_dir_all(&root);
}
