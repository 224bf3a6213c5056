//! End to end in the real app: Xvfb + tauri-driver (in front of Debian's
//! WebKitWebDriver) + the real `aqui-desktop` binary in a real WebKit webview,
//! driven with fantoccini. The app runs with a private HOME, TMPDIR and vault,
//! so the test can scan every file it wrote for planted names afterwards.
//!
//! Two journeys: the whole app on one vault, and a steward handoff between
//! two vaults (export to a steward, then on the second vault import preview,
//! apply and resolve a conflict). They never run at the same time (one
//! tauri-driver at a time). These tests never skip: when the app, the driver
//! or Xvfb cannot start they fail (`scripts/setup --e2e` installs them).
//! Screenshots of the main screens in both languages go to
//! `target/screenshots/`.

use aqui::i18n::{text, Lang};
use fantoccini::{Client, ClientBuilder, Locator};
use serde_json::{json, Value};
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// Held by each journey: two tauri-drivers, Xvfbs and apps at once would
/// fight over ports, displays and the reaping of orphans.
static ONE_AT_A_TIME: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());

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

/// Files under `dir` holding any `planted` string in plain bytes.
fn plaintext_leaks(dir: &Path, planted: &[&str]) -> Vec<String> {
    let mut leaks = Vec::new();
    for f in files(dir) {
        let Ok(bytes) = std::fs::read(&f) else {
            continue;
        };
        for p in planted {
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
            if t.elapsed() >= WAIT {
                // What the screen says instead: the status bar, the errors
                // shown beside fields, and which screens are showing.
                let seen = self
                    .js(
                        "const t = (s) => [...document.querySelectorAll(s)]
                           .filter((e) => e.offsetParent !== null && e.textContent.trim())
                           .map((e) => e.textContent.trim());
                         return JSON.stringify({status: t('#status'), errors: t('.field-error'),
                           thrown: window.__errs || [],
                           guard: !!document.getElementById('guard-box') && !document.getElementById('guard-box').hidden,
                           focus: document.activeElement && (document.activeElement.id || document.activeElement.name || document.activeElement.tagName),
                           offers: [...document.querySelectorAll('[role=listbox]')].filter((e) => !e.hidden).length,
                           busy: [...document.querySelectorAll('button[disabled]')].map((e) => e.id).filter(Boolean),
                           shown: [...document.querySelectorAll('main > section, section[id]')]
                             .filter((e) => !e.hidden).map((e) => e.id)});",
                        vec![],
                    )
                    .await
                    .unwrap_or_default();
                panic!("{css} never became visible; on screen: {seen}");
            }
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
    /// (WebKitWebDriver now and then calls a visible input not interactable
    /// right after the page changed around it: it is tried again.)
    async fn type_into(&self, css: &str, text: &str) -> R<()> {
        eprintln!("type_into {css} <{}>", text.len());
        self.visible(css).await?;
        let mut tries = 0;
        loop {
            let e = self.c.find(Locator::Css(css)).await?;
            match e.clear().await {
                Ok(()) => return e.send_keys(text).await,
                Err(fantoccini::error::CmdError::Standard(w))
                    if w.error == fantoccini::error::ErrorStatus::ElementNotInteractable
                        && tries < 20 =>
                {
                    tries += 1;
                    tokio::time::sleep(Duration::from_millis(100)).await;
                }
                Err(e) => return Err(e),
            }
        }
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
        // Let WebKit paint the last DOM change first. Then make it draw one
        // more frame: without its DMA-BUF renderer (the app turns it off
        // where there is no GPU render node, as here), WebKitGTK answers a
        // screenshot after its next frame, and a page with nothing moving
        // (no blinking caret) draws none, so the screenshot would wait
        // forever. An outline that cannot be seen, set and taken away, is
        // a frame that shows nothing new.
        self.c
            .execute_async(
                "const done = arguments[arguments.length - 1];
                 const s = document.documentElement.style;
                 setTimeout(() => { s.outline = '1px solid transparent'; }, 100);
                 setTimeout(() => { s.outline = ''; }, 200);
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
        // Errors the page throws are kept, so a screen that never shows
        // can say why (see `visible`).
        self.js(
            "if (!window.__errs) { window.__errs = [];
               addEventListener('error', (e) => window.__errs.push(String(e.message)));
               addEventListener('unhandledrejection', (e) => window.__errs.push(String(e.reason && (e.reason.stack || e.reason.message) || e.reason))); }
             return true;",
            vec![],
        )
        .await?;
        self.click("#save").await?;
        self.visible("#detail").await?;
        self.text_contains("#detail-title", title).await?;
        Ok(())
    }

    /// Links a record with a field's search-as-you-type picker: types the
    /// title, then clicks what the core's search offers.
    async fn check_link(&self, field: &str, title: &str) -> R<()> {
        let picker = format!("#record-form .picker[data-name=\"{field}\"]");
        self.pick_in(&picker, title).await
    }

    async fn pick_in(&self, picker: &str, title: &str) -> R<()> {
        self.type_into(&format!("{picker} .picker-search"), title)
            .await?;
        let t = Instant::now();
        loop {
            let ok = self
                .js(
                    "const p = document.querySelector(arguments[0]); if (!p) return false;
                     const o = [...p.querySelectorAll('.picker-offer')].find(o => o.textContent.includes(arguments[1]));
                     if (o) o.click();
                     return [...p.querySelectorAll('.picker-chip')].some(c => c.textContent.includes(arguments[1]));",
                    vec![json!(picker), json!(title)],
                )
                .await?;
            if ok == json!(true) {
                return Ok(());
            }
            assert!(t.elapsed() < WAIT, "{picker} never offered {title:?}");
            tokio::time::sleep(Duration::from_millis(150)).await;
        }
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
    // A new person starts not asked; the consent dialog records the answer.
    let not_asked = text(Lang::En, "consent-state-not-asked");
    ui.text_contains("#detail-rows .row[data-field=consent-share] dd", &not_asked)
        .await?;
    ui.click("#consent-open").await?;
    ui.text_contains("#consent-script-es", "Puedes decir que no")
        .await?;
    ui.set("#consent-contact", "yes").await?;
    ui.set("#consent-share", "yes").await?;
    ui.set("#consent-how", "in_person").await?;
    ui.set("#consent-lang", "es").await?;
    ui.click("#consent-save").await?;
    ui.text_contains("#consent-history", &text(Lang::En, "consent-how-in-person"))
        .await?;
    let share = ui
        .text_contains(
            "#detail-rows .row[data-field=consent-share] dd",
            &text(Lang::En, "consent-state-yes"),
        )
        .await?;
    assert!(!share.contains(&not_asked), "{share}");
    ui.shot("en-consent").await?;

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
    ui.check_link("attendee", XSS_NAME).await?;
    ui.click("#record-form .follow-ups > button").await?;
    ui.type_into("#record-form [name=follow-up-task]", FOLLOW_UP)
        .await?;
    ui.set("#record-form [name=follow-up-due]", "2026-11-25")
        .await?;
    ui.pick_in("#record-form .fu-who .picker", PERSON).await?;
    ui.save(NOTE).await?;
    let shown = ui.text_contains("#detail-rows", FOLLOW_UP).await?;
    assert!(
        shown.contains(NOTE_BODY),
        "the note body shows as text: {shown}"
    );
    ui.assert_no_script_ran().await?;
    ui.shot("en-note").await?;

    // The gentle guard: text about immigration status is saved only once kept.
    ui.add("note").await?;
    ui.type_into("#record-form [name=title]", "Guard check")
        .await?;
    ui.type_into("#record-form [name=body]", "She is undocumented")
        .await?;
    ui.click("#save").await?;
    ui.visible("#guard-box").await?;
    let (shown, want) = ui.message_shown("#guard-question", Lang::En).await?;
    assert_eq!(shown.trim(), want.trim());
    ui.shot("en-guard").await?;
    ui.click("#guard-keep").await?;
    ui.visible("#detail").await?;
    ui.text_contains("#detail-title", "Guard check").await?;

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

    // Retention rules and a hold, after the passphrase again; home says a hold is on.
    ui.type_into("#retention-note-body", "2y").await?;
    ui.click("#retention-hold").await?;
    ui.type_into("#retention-reason", "records request").await?;
    ui.type_into("#retention-pass", PASS).await?;
    ui.click("#retention-save").await?;
    ui.text_contains("#retention-hold-text", "records request")
        .await?;
    ui.shot("en-retention").await?;
    ui.nav("home").await?;
    ui.text_contains("#home-hold-text", "records request")
        .await?;

    // The Reports screen: this quarter's bulletin, with no one in it.
    ui.nav("reports").await?;
    ui.visible("#report-period").await?;
    ui.click("#report-show").await?;
    ui.visible("#report-doc").await?;
    let page = report_text(ui).await?;
    assert!(page.contains(&text(Lang::En, "report-people")), "{page}");
    for who in [PERSON, PHONE, XSS_NAME, NOTE_BODY] {
        assert!(!page.contains(who), "{who} in the report");
    }
    ui.assert_no_script_ran().await?;
    ui.shot("en-reports").await?;

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
    ui.nav("reports").await?;
    ui.click("#report-show").await?;
    ui.visible("#report-doc").await?;
    let page = report_text(ui).await?;
    assert!(page.contains(&text(Lang::Es, "report-people")), "{page}");
    assert!(!page.contains(PERSON) && !page.contains(PHONE));
    ui.shot("es-reports").await?;

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
    ui.click("#meeting-mode").await?;
    // A sensitive person's name is masked inside other records too.
    ui.search(NOTE).await?;
    ui.click("#results-items .item[data-kind=note]").await?;
    ui.visible("#detail").await?;
    let attendees = ui.text_contains("#detail-rows", PERSON).await?;
    assert!(
        !attendees.contains(XSS_NAME),
        "a sensitive attendee is masked: {attendees}"
    );
    // Masked by the flag the core sends with each name, not by finding ids in
    // text: the attendee is a masked span, and no id shows as text anywhere.
    let flagged = ui
        .js(
            "const row = document.querySelector('#detail-rows .row[data-field=attendee] dd');
             return row ? [row.classList.contains('masked'), row.querySelectorAll('.mask').length,
                           row.querySelectorAll('.ref[data-id^=per_]').length] : null;",
            vec![],
        )
        .await?;
    // The sensitive attendee is masked; the other stays a name.
    assert_eq!(flagged, json!([true, 1, 1]), "masked by flag");
    ui.click("#meeting-mode").await?;
    ui.text_contains("#detail-rows", XSS_NAME).await?;
    let named = ui
        .js(
            "return [...document.querySelectorAll('#detail-rows .row[data-field=attendee] .ref')]
               .map((r) => [r.textContent, r.getAttribute('data-id').slice(0, 4)]);",
            vec![],
        )
        .await?;
    assert_eq!(
        named,
        json!([[PERSON, "per_"], [XSS_NAME, "per_"]]),
        "names, their ids as data"
    );
    let ids_as_text = ui
        .js(
            "return (document.querySelector('#app') || document.body).innerText
               .match(/(?:org|per|dem|cam|pld|not)_[0-9a-f]{8,}/g);",
            vec![],
        )
        .await?;
    assert_eq!(ids_as_text, Value::Null, "no id as text in the UI");

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

/// The text of the report shown in the Reports screen's frame, once it is there.
async fn report_text(ui: &Ui) -> R<String> {
    let t = Instant::now();
    loop {
        let v = ui
            .js(
                "const f = document.querySelector('#report-frame');
                 const d = f && f.contentDocument;
                 return d && d.body && d.querySelector('h1') ? d.body.textContent : '';",
                vec![],
            )
            .await?;
        let s = v.as_str().unwrap_or_default().to_string();
        if !s.is_empty() {
            return Ok(s);
        }
        assert!(t.elapsed() < WAIT, "the report never showed");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// A private HOME (with its TMPDIR and vault) for one run of the app.
struct Home {
    dir: PathBuf,
}

impl Home {
    fn new(dir: PathBuf) -> Home {
        std::fs::create_dir_all(dir.join("tmp")).unwrap();
        Home { dir }
    }

    fn vault(&self) -> PathBuf {
        self.dir.join("data/vault")
    }
}

/// Starts tauri-driver for the app in `home` on `display`, and a WebDriver
/// session with the app (which starts it).
async fn launch(display: &str, home: &Home, shots: &Path) -> (Proc, Ui) {
    let app = PathBuf::from(env!("CARGO_BIN_EXE_aqui-desktop"));
    let port = free_port();
    let native_port = free_port();
    let driver = Proc(
        Command::new(tauri_driver())
            .args([
                "--port",
                &port.to_string(),
                "--native-port",
                &native_port.to_string(),
            ])
            .args(["--native-driver", "/usr/bin/WebKitWebDriver"])
            .env("DISPLAY", display)
            .env("HOME", &home.dir)
            .env("TMPDIR", home.dir.join("tmp"))
            .env("AQUI_VAULT", home.vault())
            .env("LANG", "C.UTF-8")
            .env_remove("AQUI_LANG")
            .env_remove("LC_ALL")
            .env_remove("LC_MESSAGES")
            .env_remove("XDG_DATA_HOME")
            .env_remove("XDG_CACHE_HOME")
            .env_remove("XDG_CONFIG_HOME")
            .env_remove("XDG_RUNTIME_DIR")
            // Not WEBKIT_DISABLE_COMPOSITING_MODE: with it, WebKitGTK 2.50's
            // full-window screenshot hangs. WEBKIT_DISABLE_DMABUF_RENDERER is the
            // app's own choice (`choose_renderer`). Keep Mesa and GSettings from
            // writing caches under HOME.
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
        shots: shots.to_path_buf(),
    };
    ui.c.set_window_size(1100, 800).await.ok();
    (driver, ui)
}

/// Stops tauri-driver with SIGTERM (it then stops WebKitWebDriver and the
/// app) and reaps what it leaves orphaned. An app still running then (its
/// session did not close in time, on a busy machine) is one this test
/// started: it is stopped by its pid, so it lets go of its vault.
fn stop(mut driver: Proc) {
    driver.sigterm();
    assert!(
        driver.wait_exit(Duration::from_secs(10)),
        "tauri-driver stopped on SIGTERM"
    );
    let t = Instant::now();
    loop {
        std::thread::sleep(Duration::from_millis(250));
        loop {
            let mut st = 0;
            if unsafe { libc::waitpid(-1, &mut st, libc::WNOHANG) } <= 0 {
                break;
            }
        }
        let apps = our_apps();
        if apps.is_empty() {
            return;
        }
        eprintln!("the app is still running after its driver stopped: stopping {apps:?}");
        let signal = if t.elapsed() < Duration::from_secs(5) {
            libc::SIGTERM
        } else {
            libc::SIGKILL
        };
        for pid in apps {
            unsafe { libc::kill(pid, signal) };
        }
        assert!(t.elapsed() < WAIT, "the app would not stop");
    }
}

/// Our app's processes that were orphaned to this test (its subreaper).
fn our_apps() -> Vec<libc::pid_t> {
    let app = PathBuf::from(env!("CARGO_BIN_EXE_aqui-desktop"));
    children(std::process::id())
        .into_iter()
        .filter(|pid| std::fs::read_link(format!("/proc/{pid}/exe")).is_ok_and(|exe| exe == app))
        .filter_map(|pid| libc::pid_t::try_from(pid).ok())
        .collect()
}

/// The processes whose parent is `parent`.
fn children(parent: u32) -> Vec<u32> {
    let parent = parent.to_string();
    let Ok(dir) = std::fs::read_dir("/proc") else {
        return Vec::new();
    };
    dir.flatten()
        .filter_map(|e| {
            let pid: u32 = e.file_name().to_str()?.parse().ok()?;
            let stat = std::fs::read_to_string(e.path().join("stat")).ok()?;
            // pid (comm) state ppid …; comm may hold spaces, so split after ')'.
            let ppid = stat.rsplit_once(')')?.1.split_whitespace().nth(1)?;
            (ppid == parent).then_some(pid)
        })
        .collect()
}

fn screenshots() -> PathBuf {
    let shots = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../target/screenshots");
    std::fs::create_dir_all(&shots).unwrap();
    shots
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_whole_journey_in_the_real_app() {
    let _one = ONE_AT_A_TIME.lock().await;
    let started = Instant::now();
    let root = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("e2e");
    let _ = std::fs::remove_dir_all(&root);
    let home = Home::new(root.join("home"));
    let shots = screenshots();

    // Reap what tauri-driver leaves orphaned (the app, WebKitWebDriver).
    unsafe { libc::prctl(libc::PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) };
    let (_xvfb, display) = start_xvfb();
    let (driver, ui) = launch(&display, &home, &shots).await;

    let outcome = tokio::time::timeout(Duration::from_secs(600), journey(&ui)).await;
    // While the app still runs (its webview data folder exists): nothing readable on disk.
    let leaks_running = plaintext_leaks(&home.dir, PLANTED);
    let _ = tokio::time::timeout(Duration::from_secs(20), ui.c.close()).await;
    outcome
        .expect("the journey finished in time")
        .expect("the journey");
    assert!(
        leaks_running.is_empty(),
        "plaintext on disk while running: {leaks_running:#?}"
    );

    stop(driver);
    let leaks_after = plaintext_leaks(&home.dir, PLANTED);
    assert!(
        leaks_after.is_empty(),
        "plaintext on disk after exit: {leaks_after:#?}"
    );
    // The panic wipe destroyed the vault: its key and its store are gone.
    assert!(
        !home.vault().join("key.json").exists(),
        "the key is destroyed"
    );
    assert!(!home.vault().join("store").exists(), "the store is deleted");
    eprintln!(
        "e2e journey: {:?}; screenshots in {}",
        started.elapsed(),
        shots.display()
    );
    let _ = std::fs::remove_dir_all(&root);
}

// ---- steward handoff between two vaults --------------------------------------

const PASS_B: &str = "la otra bóveda del condado vecino";
const H_PERSON: &str = "Ximena Canaryhandoff";
const H_PHONE: &str = "+1 555 0188 4411";
const H_PHONE_B: &str = "+1 555 0199 2222";
const H_SECRET: &str = "Confidential Canarywitness";
const H_ALIAS_A: &str = "Quetzalcanary";
const H_ALIAS_B: &str = "Lalicanary";
const H_PLANTED: &[&str] = &[H_PERSON, H_PHONE, H_PHONE_B, H_SECRET, H_ALIAS_A, H_ALIAS_B];

impl Ui {
    /// The value of an input or textarea.
    async fn value(&self, css: &str) -> R<String> {
        self.visible(css).await?;
        let v = self
            .js(
                "return document.querySelector(arguments[0]).value;",
                vec![json!(css)],
            )
            .await?;
        Ok(v.as_str().unwrap_or_default().to_string())
    }

    /// How many elements match `css`.
    async fn count(&self, css: &str) -> R<u64> {
        let n = self
            .js(
                "return document.querySelectorAll(arguments[0]).length;",
                vec![json!(css)],
            )
            .await?;
        Ok(n.as_u64().unwrap_or(0))
    }

    /// Waits until `css` is not displayed (or gone).
    async fn gone(&self, css: &str) -> R<()> {
        let t = Instant::now();
        loop {
            let shown = match self.c.find(Locator::Css(css)).await {
                Ok(e) => e.is_displayed().await.unwrap_or(false),
                Err(_) => false,
            };
            if !shown {
                return Ok(());
            }
            assert!(t.elapsed() < WAIT, "{css} stayed visible");
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    /// Scrolls `css` to the top of the window (for a screenshot of it).
    async fn scroll_to(&self, css: &str) -> R<()> {
        self.js(
            "document.querySelector(arguments[0]).scrollIntoView({block: 'start'});",
            vec![json!(css)],
        )
        .await?;
        Ok(())
    }
}

/// Run 1, in English, on a new vault A: B becomes a verified steward from
/// their card; everything goes to B in one file; then the person is edited
/// and goes to B again, alone ("Export this"), in a second file. Returns A's card.
async fn handoff_sender(ui: &Ui, card_b: &str, fp_b: &str, one: &Path, two: &Path) -> R<String> {
    ui.visible("#start").await?;
    ui.type_into("#new-vault-pass", PASS).await?;
    ui.type_into("#new-vault-repeat", PASS).await?;
    ui.click("#create").await?;
    ui.visible("#home").await?;

    ui.add("person").await?;
    ui.type_into("#record-form [name=name]", H_PERSON).await?;
    ui.type_into("#record-form [name=alias]", "Xime").await?;
    ui.type_into("#record-form [name=phone]", H_PHONE).await?;
    // She agreed to be shared with other stewards (new people start not asked).
    ui.set("#record-form [name=share]", "yes").await?;
    ui.save(H_PERSON).await?;
    ui.add("person").await?;
    ui.type_into("#record-form [name=name]", H_SECRET).await?;
    ui.set("#record-form [name=sensitive]", "yes").await?;
    ui.save(H_SECRET).await?;

    // My card: the fingerprint in digit groups and a QR code on a canvas.
    ui.nav("handoff").await?;
    ui.visible("#handoff").await?;
    ui.type_into("#own-name", "Ana").await?;
    ui.click("#own-name-save").await?;
    ui.text_contains("#status", "saved").await?;
    let card_a = ui.value("#my-card").await?;
    assert!(
        card_a.starts_with("aqui-card-1:") && card_a.ends_with(":Ana"),
        "{card_a}"
    );
    let fp = ui.text_contains("#my-fingerprint", " ").await?;
    assert_eq!(
        fp.split_whitespace().filter(|g| g.len() == 4).count(),
        6,
        "{fp}"
    );
    let qr = ui
        .js(
            "const c = document.getElementById('my-qr');
             const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
             let dark = 0; for (let i = 0; i < d.length; i += 4) { if (d[i] < 128) dark++; }
             return [c.width, dark];",
            vec![],
        )
        .await?;
    assert!(
        qr[0].as_u64().unwrap_or(0) > 100 && qr[1].as_u64().unwrap_or(0) > 1000,
        "a QR code is drawn: {qr}"
    );
    ui.scroll_to("#handoff").await?;
    ui.shot("en-handoff-card").await?;

    // B, from their card: unverified until the fingerprints are compared.
    ui.type_into("#steward-card", card_b).await?;
    ui.click("#steward-add").await?;
    let listed = ui.text_contains("#steward-list", "Beatriz").await?;
    assert!(listed.contains("not verified"), "{listed}");
    let shown = ui
        .js(
            "return document.querySelector('#steward-list .fingerprint').getAttribute('data-fingerprint');",
            vec![],
        )
        .await?;
    assert_eq!(shown, json!(fp_b), "B's fingerprint, to compare aloud");
    ui.click("#steward-list .steward-verify").await?;
    ui.text_contains("#status", "Marked verified").await?;
    let listed = ui.text_contains("#steward-list", "Beatriz").await?;
    assert!(!listed.contains("not verified"), "{listed}");
    ui.scroll_to("#handoff-stewards").await?;
    ui.shot("en-handoff-stewards").await?;

    // Export everything to B: the summary first, then the file.
    ui.click("#export-preview").await?;
    ui.visible("#export-summary").await?;
    let counts = ui.text_contains("#export-counts", "one person").await?;
    assert!(!counts.contains("2 people"), "{counts}");
    ui.text_contains("#export-left-out", "One person stays out")
        .await?;
    ui.text_contains("#export-recipients", "Beatriz").await?;
    ui.type_into("#export-path", &one.display().to_string())
        .await?;
    ui.scroll_to("#handoff-export").await?;
    ui.shot("en-export-preview").await?;
    // Changing what goes in hides the summary: it must be seen again.
    ui.click("#export-sensitive").await?;
    ui.gone("#export-summary").await?;
    ui.click("#export-sensitive").await?;
    ui.click("#export-preview").await?;
    ui.visible("#export-go").await?;
    ui.type_into("#export-path", &one.display().to_string())
        .await?;
    ui.click("#export-go").await?;
    ui.text_contains("#status", "Saved").await?;
    assert!(one.exists(), "the file is written");

    // Edit the person, then "Export this" sends just them.
    ui.search(H_PERSON).await?;
    ui.click("#results-items .item").await?;
    ui.visible("#detail").await?;
    ui.click("#edit").await?;
    ui.type_into("#record-form [name=alias]", H_ALIAS_A).await?;
    ui.save(H_PERSON).await?;
    ui.click("#export-this").await?;
    ui.visible("#handoff").await?;
    let picked = ui
        .js(
            "return document.getElementById('export-record').checked;",
            vec![],
        )
        .await?;
    assert_eq!(picked, json!(true), "the record is chosen");
    ui.text_contains("#export-record-title", H_PERSON).await?;
    ui.click("#export-preview").await?;
    ui.text_contains("#export-counts", "one person").await?;
    assert_eq!(ui.count("#export-counts li").await?, 1, "just the person");
    ui.type_into("#export-path", &two.display().to_string())
        .await?;
    ui.click("#export-go").await?;
    ui.text_contains("#status", "Saved").await?;
    assert!(two.exists());
    ui.text_contains("#log-lines", "to Beatriz").await?;
    assert_eq!(ui.count("#log-lines li").await?, 2, "two exports logged");
    ui.scroll_to("#handoff-log").await?;
    ui.shot("en-handoff-log").await?;
    replace_keys(ui).await?;
    Ok(card_a)
}

/// The fingerprint the steward list shows for Carmen.
async fn shown(ui: &Ui) -> R<Value> {
    ui.js(
        "const f = document.querySelector('#steward-list [data-steward=\"Carmen\"] .fingerprint');
         return f ? f.getAttribute('data-fingerprint') : null;",
        vec![],
    )
    .await
}

/// A steward who changed keys: adding the new key under their name asks
/// first, showing the old and the new fingerprint; cancel changes nothing,
/// "replace their keys" does.
async fn replace_keys(ui: &Ui) -> R<()> {
    use aqui::identity::{Keys, PublicKeys};
    let bare = |k: &Keys| PublicKeys {
        age: k.public().age,
        sign: None,
    };
    let (old, new) = (Keys::generate(), Keys::generate());
    let (fp_old, fp_new) = (bare(&old).fingerprint(), bare(&new).fingerprint());
    ui.type_into("#steward-name", "Carmen").await?;
    ui.type_into("#steward-card", &bare(&old).age).await?;
    ui.click("#steward-add").await?;
    ui.text_contains("#steward-list", "Carmen").await?;
    assert_eq!(shown(ui).await?, json!(fp_old));

    for replace in [false, true] {
        ui.type_into("#steward-name", "Carmen").await?;
        ui.type_into("#steward-card", &bare(&new).age).await?;
        ui.click("#steward-add").await?;
        ui.visible("#steward-replace-box").await?;
        let what = ui.text_contains("#steward-replace-what", &fp_old).await?;
        assert!(what.contains(&fp_new) && what.contains("Carmen"), "{what}");
        let all =
            ui.c.find(Locator::Css("#steward-form"))
                .await?
                .text()
                .await?;
        assert!(
            !all.contains("--replace"),
            "no CLI advice in the app: {all}"
        );
        if replace {
            ui.scroll_to("#steward-replace-box").await?;
            ui.shot("en-steward-replace").await?;
            ui.click("#steward-replace-go").await?;
            ui.text_contains("#status", &text(Lang::En, "ui-steward-added"))
                .await?;
            ui.gone("#steward-replace-box").await?;
            assert_eq!(shown(ui).await?, json!(fp_new), "the new keys are kept");
        } else {
            ui.click("#steward-replace-cancel").await?;
            ui.gone("#steward-replace-box").await?;
            assert_eq!(shown(ui).await?, json!(fp_old), "cancel changes nothing");
        }
    }
    Ok(())
}

/// Run 2, in Spanish, on vault B (which already has the first file, and its
/// own edit of the person): import the second file, see one conflict, apply,
/// and resolve it field by field. Then a file in which A unmarked the
/// sensitive witness: the change is held ("needs your decision"), applied as
/// a conflict, and B keeps the mark.
async fn handoff_receiver(ui: &Ui, two: &Path, not_age: &Path, unmarked: &Path) -> R<()> {
    ui.visible("#unlock").await?;
    ui.click("#lang-es").await?;
    ui.text_contains("#unlock h1", "Desbloquea").await?;
    ui.type_into("#unlock-pass", PASS_B).await?;
    ui.click("#unlock-go").await?;
    ui.visible("#home").await?;
    ui.gone("#home-conflicts").await?;

    ui.nav("handoff").await?;
    ui.visible("#handoff").await?;
    ui.text_contains("#handoff h1", "Entrega").await?;
    ui.text_contains("#steward-list", "sin verificar").await?;
    ui.scroll_to("#handoff").await?;
    ui.shot("es-handoff-card").await?;

    // A file that is not a handoff at all: a clear message in Spanish.
    ui.type_into("#import-path", &not_age.display().to_string())
        .await?;
    ui.click("#import-preview").await?;
    ui.text_contains("#import-error", "no es una entrega")
        .await?;

    // The real file: who sent it, and what it would change.
    ui.type_into("#import-path", &two.display().to_string())
        .await?;
    ui.click("#import-preview").await?;
    ui.visible("#import-summary").await?;
    ui.text_contains("#import-from", "Ana").await?;
    ui.text_contains("#import-from", "sin verificar").await?;
    ui.text_contains(
        "#import-rows tr[data-kind=person] td[data-outcome=conflict]",
        "1",
    )
    .await?;
    ui.text_contains("#import-total", "en conflicto: 1").await?;
    ui.scroll_to("#handoff-import").await?;
    ui.shot("es-import-preview").await?;
    // Switching language redraws the summary; the path typed stays.
    ui.click("#lang-en").await?;
    ui.text_contains("#import-total", "1 in conflict").await?;
    ui.text_contains("#import-from", "a known steward").await?;
    ui.click("#lang-es").await?;
    ui.text_contains("#import-total", "en conflicto: 1").await?;
    assert_eq!(ui.value("#import-path").await?, two.display().to_string());
    ui.click("#import-apply").await?;
    ui.text_contains("#status", "Importado").await?;
    ui.gone("#import-summary").await?;
    ui.text_contains("#nav-conflicts", "1").await?;
    ui.text_contains("#conflicts-count", "1").await?;

    // The conflict, field by field: the alias and the phone differ.
    let alias = "#conflicts fieldset[data-field=alias]";
    let phone = "#conflicts fieldset[data-field=phone]";
    let a = ui.text_contains(alias, H_ALIAS_B).await?;
    assert!(a.contains(H_ALIAS_A), "{a}");
    ui.text_contains(phone, H_PHONE_B).await?;
    ui.scroll_to("#handoff-conflicts").await?;
    ui.shot("es-conflicts").await?;
    // Meeting mode masks the phone numbers here too.
    ui.click("#meeting-mode").await?;
    let masked = ui.text_contains(alias, H_ALIAS_A).await?;
    assert!(masked.contains(H_ALIAS_B), "{masked}");
    let p = ui.c.find(Locator::Css(phone)).await?.text().await?;
    assert!(!p.contains("555"), "phones masked: {p}");
    ui.click("#meeting-mode").await?;
    ui.text_contains(phone, H_PHONE).await?;

    // The home screen says so too.
    ui.nav("home").await?;
    ui.text_contains("#home-conflicts-count", "1").await?;
    ui.click("#home-conflicts-go").await?;
    ui.visible("#conflicts [data-conflict]").await?;

    // Theirs for the alias, mine for the phone.
    ui.click(&format!("{alias} input[value=theirs]")).await?;
    ui.click("#resolve-go").await?;
    ui.text_contains("#status", "resuelto").await?;
    ui.visible("#conflicts-empty").await?;
    ui.gone("#nav-conflicts").await?;
    ui.text_contains("#log-lines", "Importación").await?;

    // A protective change is never applied silently: held, named, decided.
    ui.type_into("#import-path", &unmarked.display().to_string())
        .await?;
    ui.click("#import-preview").await?;
    ui.visible("#import-held").await?;
    ui.text_contains("#import-held-heading", "Necesita tu decisión")
        .await?;
    let held = ui.text_contains("#import-held-list", H_SECRET).await?;
    assert!(held.contains("confidencial"), "{held}");
    ui.text_contains(
        "#import-rows tr[data-kind=person] td[data-outcome=held]",
        "1",
    )
    .await?;
    ui.scroll_to("#handoff-import").await?;
    ui.shot("es-import-held").await?;
    ui.click("#import-apply").await?;
    ui.gone("#import-summary").await?;
    ui.text_contains("#conflicts-count", "1").await?;
    ui.visible("#conflicts fieldset[data-field=sensitive]")
        .await?;
    ui.text_contains("#conflicts .conflict-held", "confidencial")
        .await?;
    // Keep mine: still marked sensitive.
    ui.click("#conflicts fieldset[data-field=sensitive] input[value=mine]")
        .await?;
    ui.click("#resolve-go").await?;
    ui.visible("#conflicts-empty").await?;

    // A backup, to this vault's own key, where the app suggests.
    let suggested = ui.value("#backup-path").await?;
    assert!(suggested.contains("aqui-backup-"), "{suggested}");
    ui.click("#backup-go").await?;
    ui.text_contains("#status", "copia de seguridad de toda la bóveda")
        .await?;
    assert!(Path::new(&suggested).exists(), "the backup is written");
    ui.text_contains("#log-lines", "Copia de seguridad").await?;
    ui.scroll_to("#handoff-log").await?;
    ui.shot("es-handoff-log").await?;

    ui.search(H_PERSON).await?;
    ui.click("#results-items .item").await?;
    ui.visible("#detail").await?;
    ui.text_contains("#detail-rows .row[data-field=alias] dd", H_ALIAS_A)
        .await?;
    ui.text_contains("#detail-rows .row[data-field=phone] dd", H_PHONE_B)
        .await?;
    ui.nav("home").await?;
    ui.gone("#home-conflicts").await?;
    ui.assert_no_script_ran().await?;
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_steward_handoff_between_two_vaults_in_the_real_app() {
    use aqui::handoff::{self, StewardKey};
    let _one = ONE_AT_A_TIME.lock().await;
    let started = Instant::now();
    let root = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("e2e-handoff");
    let _ = std::fs::remove_dir_all(&root);
    let home_a = Home::new(root.join("a"));
    let home_b = Home::new(root.join("b"));
    let shots = screenshots();
    let one = home_a.dir.join("to-beatriz-1.age");
    let two = home_a.dir.join("to-beatriz-2.age");
    let witness = home_a.dir.join("to-beatriz-witness.age");
    let unmarked = home_a.dir.join("to-beatriz-unmarked.age");
    let not_age = home_b.dir.join("notes.txt");
    std::fs::write(&not_age, "just some text, not a handoff").unwrap();

    // Vault B, made by the library (cheap key stretching: it is kept in the
    // vault's header, so the app opens it the same way).
    let pass_b = aqui::Passphrase::new(PASS_B.into());
    let kdf = aqui::vault::KdfParams {
        m_kib: 8 * 1024,
        t: 1,
        p: 1,
    };
    let (card_b, fp_b) = {
        let mut b = aqui::Vault::create(&home_b.vault(), &pass_b, kdf).unwrap();
        handoff::set_own_name(&mut b, "Beatriz").unwrap();
        (b.keys().card(), b.keys().public().fingerprint())
    };

    unsafe { libc::prctl(libc::PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) };
    let (_xvfb, display) = start_xvfb();

    // Run 1: vault A sends.
    let (driver, ui) = launch(&display, &home_a, &shots).await;
    let outcome = tokio::time::timeout(
        Duration::from_secs(300),
        handoff_sender(&ui, &card_b, &fp_b, &one, &two),
    )
    .await;
    let leaks_running = plaintext_leaks(&root, H_PLANTED);
    let _ = tokio::time::timeout(Duration::from_secs(20), ui.c.close()).await;
    let card_a = outcome
        .expect("the sender's run finished in time")
        .expect("the sender's run");
    assert!(
        leaks_running.is_empty(),
        "plaintext on disk while running: {leaks_running:#?}"
    );
    stop(driver);

    // Meanwhile, on A's laptop: the sensitive witness goes to B on purpose,
    // then A unmarks her and sends her again.
    {
        use aqui::handoff::{Selection, To};
        let mut a =
            aqui::Vault::unlock(&home_a.vault(), &aqui::Passphrase::new(PASS.into())).unwrap();
        let secret = a.search(H_SECRET)[0].clone();
        let to = ["Beatriz".to_string()];
        let plan = handoff::select(&a, &Selection::Ids(vec![secret.clone()]), true).unwrap();
        handoff::export(&mut a, plan, &To::Stewards(&to), &witness).unwrap();
        a.edit(&secret, &[("sensitive".into(), "no".into())])
            .unwrap();
        let plan = handoff::select(&a, &Selection::Ids(vec![secret]), true).unwrap();
        handoff::export(&mut a, plan, &To::Stewards(&to), &unmarked).unwrap();
    }

    // Meanwhile, on B's laptop: B knows A by card (not verified), takes the
    // first file and the witness, and edits the same person.
    {
        let mut b = aqui::Vault::unlock(&home_b.vault(), &pass_b).unwrap();
        handoff::add_steward(&mut b, "Ana", StewardKey::Card(&card_a)).unwrap();
        let incoming = handoff::open(&b, &one, None).unwrap();
        let done = handoff::apply(&mut b, incoming).unwrap();
        assert_eq!(
            (done.total.new, done.sender.trust),
            (1, Some(handoff::Trust::Known)),
            "one person, not the sensitive one"
        );
        let incoming = handoff::open(&b, &witness, None).unwrap();
        assert_eq!(handoff::apply(&mut b, incoming).unwrap().total.new, 1);
        let id = b.search(H_PERSON)[0].clone();
        b.edit(
            &id,
            &[
                ("alias".into(), H_ALIAS_B.into()),
                ("phone".into(), H_PHONE_B.into()),
            ],
        )
        .unwrap();
    }

    // Run 2: vault B receives the second file.
    let (driver, ui) = launch(&display, &home_b, &shots).await;
    let outcome = tokio::time::timeout(
        Duration::from_secs(300),
        handoff_receiver(&ui, &two, &not_age, &unmarked),
    )
    .await;
    let leaks_running = plaintext_leaks(&root, H_PLANTED);
    let _ = tokio::time::timeout(Duration::from_secs(20), ui.c.close()).await;
    outcome
        .expect("the receiver's run finished in time")
        .expect("the receiver's run");
    assert!(
        leaks_running.is_empty(),
        "plaintext on disk while running: {leaks_running:#?}"
    );
    stop(driver);
    let leaks_after = plaintext_leaks(&root, H_PLANTED);
    assert!(
        leaks_after.is_empty(),
        "plaintext on disk after exit: {leaks_after:#?}"
    );

    // What the app did is in vault B: no conflict left, the chosen values kept.
    // The app may still be closing (and holding the vault's lock) for a moment.
    let t = Instant::now();
    let b = loop {
        match aqui::Vault::unlock(&home_b.vault(), &pass_b) {
            Err(aqui::vault::Error::InUse) if t.elapsed() < WAIT => {
                std::thread::sleep(Duration::from_millis(200));
            }
            other => break other.expect("vault B opens after the app closed"),
        }
    };
    assert!(b.conflicts().is_empty());
    let person = b.get(b.search(H_PERSON)[0]).expect("found");
    let aqui::Record::Person(p) = person else {
        panic!("not a person: {person:?}")
    };
    assert_eq!((p.alias.as_str(), p.phone.as_str()), (H_ALIAS_A, H_PHONE_B));
    let witness = b.get(b.search(H_SECRET)[0]).expect("found");
    assert!(
        matches!(witness, aqui::Record::Person(w) if w.sensitive),
        "the held unmark was decided: still sensitive"
    );
    assert_eq!(
        b.log().len(),
        5,
        "four imports and a backup in B's audit log"
    );
    drop(b);
    eprintln!(
        "e2e handoff: {:?}; screenshots in {}",
        started.elapsed(),
        shots.display()
    );
    let _ = std::fs::remove_dir_all(&root);
}

// ---- stopped by a signal ------------------------------------------------------

/// Stopped with SIGTERM (a logout, `kill`), the app exits the normal way and
/// removes its webview folder; at start it removes the folders of copies
/// that were killed outright.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_stopped_app_leaves_no_webview_folder() {
    let _one = ONE_AT_A_TIME.lock().await;
    let root = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("e2e-signal");
    let _ = std::fs::remove_dir_all(&root);
    let home = Home::new(root.join("home"));
    let tmp = home.dir.join("tmp");
    // Left by a copy that was killed: no process has this pid (above pid_max).
    let stale = tmp.join("aqui-webview-4294967");
    std::fs::create_dir_all(stale.join("WebKitCache")).unwrap();
    std::fs::write(stale.join("WebKitCache/x"), "left behind").unwrap();

    let (_xvfb, display) = start_xvfb();
    let mut app = Proc(
        Command::new(env!("CARGO_BIN_EXE_aqui-desktop"))
            .env("DISPLAY", &display)
            .env("HOME", &home.dir)
            .env("TMPDIR", &tmp)
            .env("AQUI_VAULT", home.vault())
            .env("MESA_SHADER_CACHE_DISABLE", "true")
            .env("GSETTINGS_BACKEND", "memory")
            .env_remove("XDG_RUNTIME_DIR")
            .env_remove(aqui_desktop::NO_DMABUF)
            .stdout(Stdio::null())
            .spawn()
            .expect("the app starts"),
        "aqui-desktop",
    );
    // `aqui-webview-<pid>-<random>`: a name nobody can plant beforehand.
    let prefix = format!("aqui-webview-{}-", app.0.id());
    let find_own = || {
        std::fs::read_dir(&tmp).ok()?.flatten().find_map(|e| {
            let name = e.file_name().to_string_lossy().into_owned();
            let random = name.strip_prefix(&prefix)?;
            (random.len() >= 16).then(|| e.path())
        })
    };
    let t = Instant::now();
    let own = loop {
        if let Some(own) = find_own() {
            break own;
        }
        assert!(t.elapsed() < WAIT, "the app made its webview folder");
        std::thread::sleep(Duration::from_millis(50));
    };
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&own).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o700, "the webview folder is private");
    }
    // No core dumps: the running app's core-file limit is zero.
    let limits = std::fs::read_to_string(format!("/proc/{}/limits", app.0.id())).unwrap();
    let core = limits
        .lines()
        .find(|l| l.starts_with("Max core file size"))
        .unwrap();
    assert_eq!(
        core.split_whitespace().skip(4).take(2).collect::<Vec<_>>(),
        ["0", "0"],
        "{core}"
    );
    assert!(
        !stale.exists(),
        "a killed copy's folder is removed at start"
    );
    // Let the window come up before stopping it.
    std::thread::sleep(Duration::from_secs(2));
    // WebKit's web process runs with the renderer the app chose: the
    // DMA-BUF one off where this machine has no GPU render node.
    let web = children(app.0.id())
        .into_iter()
        .find(|pid| {
            std::fs::read_to_string(format!("/proc/{pid}/comm"))
                .is_ok_and(|c| c.starts_with("WebKitWebProces"))
        })
        .expect("the app started WebKit's web process");
    let environ = std::fs::read(format!("/proc/{web}/environ")).unwrap();
    let off = format!("{}=1", aqui_desktop::NO_DMABUF);
    assert_eq!(
        environ.split(|b| *b == 0).any(|v| v == off.as_bytes()),
        !aqui_desktop::has_render_node(Path::new("/dev/dri")),
        "the DMA-BUF renderer is off exactly where there is no render node"
    );
    app.sigterm();
    assert!(app.wait_exit(WAIT), "the app exits on SIGTERM");
    assert!(!own.exists(), "its webview folder is removed on SIGTERM");
    let _ = std::fs::remove_dir_all(&root);
}

// ---- first start, sample chapter, keyboard and accessibility ----------------

const TAB: &str = "\u{E004}";
const ENTER: &str = "\u{E007}";
const ARROW_DOWN: &str = "\u{E015}";
/// Shift down, Tab, then the null key (releases Shift).
const SHIFT_TAB: &str = "\u{E008}\u{E004}\u{E000}";
const PASS_K: &str = "teclado y nada más en el condado";
const PERSON_K: &str = "Keyboardcanary Itzel";
const NOTE_K: &str = "Keyboard canary meeting";
const TASK_K: &str = "Bring the keyboard canary flyers";

impl Ui {
    /// Keys sent to whatever has focus, as a person would press them.
    async fn press(&self, keys: &str) -> R<()> {
        self.c.active_element().await?.send_keys(keys).await
    }

    async fn focused_is(&self, css: &str) -> R<bool> {
        let v = self
            .js(
                "const a = document.activeElement; return Boolean(a && a.matches(arguments[0]));",
                vec![json!(css)],
            )
            .await?;
        Ok(v == json!(true))
    }

    async fn focused(&self) -> String {
        self.js(
            "const a = document.activeElement; return a ? a.outerHTML.slice(0, 160) : '';",
            vec![],
        )
        .await
        .ok()
        .and_then(|v| v.as_str().map(String::from))
        .unwrap_or_default()
    }

    /// Presses `key` (Tab or Shift+Tab) until `css` has focus; how many presses.
    async fn key_to(&self, key: &str, css: &str, max: usize) -> R<usize> {
        for n in 1..=max {
            self.press(key).await?;
            if self.focused_is(css).await? {
                return Ok(n);
            }
        }
        panic!(
            "{css} not reached in {max} presses; focus is on {}",
            self.focused().await
        );
    }

    /// axe-core (test-only, from target/test-js) on what is on screen now:
    /// fails on any serious or critical violation.
    async fn axe(&self, screen: &str) -> R<()> {
        let loaded = self
            .js("return typeof window.axe === 'object';", vec![])
            .await?;
        if loaded != json!(true) {
            let src = std::fs::read_to_string(
                PathBuf::from(env!("CARGO_MANIFEST_DIR"))
                    .join("../target/test-js/node_modules/axe-core/axe.min.js"),
            )
            .expect("axe-core in target/test-js (bash scripts/setup --e2e installs it)");
            self.js(&src, vec![]).await?;
        }
        let found = self
            .c
            .execute_async(
                "const done = arguments[arguments.length - 1];
                 axe.run(document, { resultTypes: ['violations'] })
                   .then((r) => done(r.violations.map((v) => ({
                     id: v.id, impact: v.impact, help: v.help,
                     nodes: v.nodes.slice(0, 5).map((n) => n.target.join(' ')) }))))
                   .catch((e) => done([{ id: 'axe-error', impact: 'critical', help: String(e), nodes: [] }]));",
                vec![],
            )
            .await?;
        let serious: Vec<&Value> = found
            .as_array()
            .expect("axe answers a list")
            .iter()
            .filter(|v| matches!(v["impact"].as_str(), Some("serious" | "critical")))
            .collect();
        assert!(
            serious.is_empty(),
            "axe-core on {screen}: {}",
            serde_json::to_string_pretty(&serious).unwrap_or_default()
        );
        Ok(())
    }

    /// A date field's parts in order, and its value.
    async fn date_parts(&self, css: &str) -> R<(Vec<String>, String)> {
        let v = self
            .js(
                "const f = document.querySelector(arguments[0]);
                 return [[...f.querySelectorAll('input')].map((i) => i.getAttribute('data-date-part')), f.value];",
                vec![json!(css)],
            )
            .await?;
        let parts = v[0]
            .as_array()
            .map(|a| {
                a.iter()
                    .filter_map(|p| p.as_str().map(String::from))
                    .collect()
            })
            .unwrap_or_default();
        Ok((parts, v[1].as_str().unwrap_or_default().to_string()))
    }

    /// axe on the main screens of an open vault, in the language shown.
    async fn axe_main_screens(&self, lang: &str) -> R<()> {
        self.nav("home").await?;
        self.visible("#home").await?;
        self.axe(&format!("{lang} home")).await?;
        for kind in ["person", "note"] {
            self.nav(kind).await?;
            self.visible("#list-items .item").await?;
            self.axe(&format!("{lang} {kind} list")).await?;
        }
        self.click("#list-items .item").await?;
        self.visible("#detail").await?;
        self.axe(&format!("{lang} note detail")).await?;
        self.click("#edit").await?;
        self.visible("#record-form [name=title]").await?;
        self.axe(&format!("{lang} note form")).await?;
        self.click("#cancel").await?;
        self.search("287").await?;
        self.axe(&format!("{lang} search results")).await?;
        self.nav("settings").await?;
        self.visible("#wipe-word").await?;
        self.axe(&format!("{lang} settings")).await?;
        self.nav("handoff").await?;
        self.visible("#handoff").await?;
        self.axe(&format!("{lang} handoff")).await?;
        Ok(())
    }
}

/// The first start in Spanish: the sample chapter with no passphrase asked,
/// in Spanish, axe-core on every main screen in both languages, leaving it
/// back to the first screen; then the sample in English.
async fn first_start(ui: &Ui) -> R<()> {
    ui.visible("#start").await?;
    ui.click("#lang-es").await?;
    ui.text_contains("#start h1", &text(Lang::Es, "ui-start-heading"))
        .await?;
    // The sample chapter is in view at 1024×768, with its passphrase shown.
    ui.c.set_window_size(1024, 768).await?;
    let in_view = ui
        .js(
            "const r = document.getElementById('start-demo').getBoundingClientRect();
             return r.top >= 0 && r.bottom <= window.innerHeight;",
            vec![],
        )
        .await?;
    assert_eq!(in_view, json!(true), "the sample chapter is in view");
    ui.text_contains("#start .demo-card", aqui::demo::passphrase(Lang::Es))
        .await?;
    ui.shot("es-first-start").await?;
    ui.axe("es start").await?;

    ui.click("#start-demo").await?;
    ui.visible("#home").await?;
    ui.visible("#demo-badge").await?;
    ui.text_contains("#lock", &text(Lang::Es, "ui-demo-leave"))
        .await?;
    ui.nav("campaign").await?;
    ui.text_contains("#list-items", "Fin del 287(g) en el Condado de Riverbend")
        .await?;
    // A note's follow-ups are checkboxes; its form's date is day / month / year.
    ui.search("Reunión de la coalición").await?;
    ui.click("#results-items .item[data-kind=note]").await?;
    ui.visible("#detail-rows .follow-up-list").await?;
    assert_eq!(
        ui.count("#detail-rows .follow-up-list input[type=checkbox]")
            .await?,
        3
    );
    ui.click("#edit").await?;
    ui.visible("#record-form [name=date]").await?;
    let (parts, value) = ui.date_parts("#record-form [name=date]").await?;
    assert_eq!(
        parts,
        ["day", "month", "year"],
        "Spanish dates are day first"
    );
    assert_eq!(value.len(), 10, "{value}");
    ui.shot("es-date-form").await?;
    // Back to the record (nothing saved), then every main screen in Spanish.
    ui.click("#cancel").await?;
    ui.visible("#detail").await?;
    ui.axe_main_screens("es").await?;

    ui.click("#lang-en").await?;
    ui.text_contains("[data-nav=person]", &text(Lang::En, "ui-nav-person"))
        .await?;
    ui.axe_main_screens("en").await?;

    // Leaving returns to the first screen (there is no vault of one's own yet).
    ui.click("#lock").await?;
    ui.visible("#start").await?;
    ui.text_contains("#status", &text(Lang::En, "ui-demo-left"))
        .await?;
    ui.axe("en start").await?;
    // In English the sample chapter is in English, in a vault of its own.
    ui.click("#start-demo").await?;
    ui.visible("#home").await?;
    ui.nav("campaign").await?;
    ui.text_contains("#list-items", "End 287(g) in Riverbend County")
        .await?;
    ui.click("#lock").await?;
    ui.visible("#start").await?;
    Ok(())
}

/// The keyboard journey: create a vault, add a person and a note with a
/// follow-up and dates, search, switch language, lock and unlock, by keys only.
async fn keyboard_journey(ui: &Ui) -> R<()> {
    ui.visible("#start").await?;
    ui.js("document.querySelector('#start h1').focus();", vec![])
        .await?;
    ui.key_to(TAB, "#new-vault-pass", 20).await?;
    ui.press(PASS_K).await?;
    ui.key_to(TAB, "#new-vault-repeat", 3).await?;
    ui.press(PASS_K).await?;
    // The strength hint is asked of the core as one types; Enter once it allows.
    let t = Instant::now();
    while ui
        .js("return document.getElementById('create').disabled;", vec![])
        .await?
        == json!(true)
    {
        assert!(t.elapsed() < WAIT, "create never enabled");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    ui.press(ENTER).await?;
    ui.visible("#home").await?;

    // From a screen's heading, the menu is one Shift+Tab away (it comes before
    // the main area); from the top of the page, the second skip link.
    assert_eq!(
        ui.key_to(SHIFT_TAB, "#nav button", 1).await?,
        1,
        "the menu is right before the heading"
    );
    ui.key_to(SHIFT_TAB, "[data-nav=person]", 12).await?;
    ui.press(ENTER).await?;
    ui.visible("#list").await?;
    ui.key_to(TAB, "#add", 10).await?;
    ui.press(ENTER).await?;
    ui.visible("#record-form [name=name]").await?;
    assert!(ui.focused_is("#record-form [name=name]").await?);
    ui.press(PERSON_K).await?;
    ui.key_to(TAB, "#save", 80).await?;
    ui.press(ENTER).await?;
    ui.text_contains("#detail-title", PERSON_K).await?;

    ui.key_to(SHIFT_TAB, "[data-nav=note]", 12).await?;
    ui.press(ENTER).await?;
    ui.visible("#list").await?;
    ui.key_to(TAB, "#add", 10).await?;
    ui.press(ENTER).await?;
    ui.visible("#record-form [name=title]").await?;
    ui.press(NOTE_K).await?;
    // English: month / day / year; typing moves on by itself ("5" cannot
    // start a two-digit day).
    ui.key_to(TAB, "#record-form [name=date] input", 10).await?;
    ui.press("12").await?;
    ui.press("5").await?;
    ui.press("2026").await?;
    let (parts, value) = ui.date_parts("#record-form [name=date]").await?;
    assert_eq!(parts, ["month", "day", "year"]);
    assert_eq!(value, "2026-12-05");
    // The date is one Tab stop: out of it either way with one key, and back
    // in at its first part.
    ui.press(SHIFT_TAB).await?;
    assert!(!ui.focused_is("#record-form [name=date] input").await?);
    ui.press(TAB).await?;
    assert!(
        ui.focused_is("#record-form [name=date] input[data-date-part=month]")
            .await?
    );
    ui.press(TAB).await?;
    assert!(!ui.focused_is("#record-form [name=date] input").await?);
    // An attendee, through the search-as-you-type picker: type part of the
    // name, Down to the offer, Enter takes it (the form is not sent).
    let attendee = "#record-form .picker[data-name=\"attendee\"]";
    ui.key_to(TAB, &format!("{attendee} .picker-search"), 10)
        .await?;
    ui.press("keyboardcan").await?;
    ui.text_contains(&format!("{attendee} .picker-offers"), PERSON_K)
        .await?;
    // (what was typed is asked of the core after a short pause: let it answer)
    tokio::time::sleep(Duration::from_millis(500)).await;
    ui.press(ARROW_DOWN).await?;
    ui.press(ENTER).await?;
    ui.text_contains(&format!("{attendee} .picker-chosen"), PERSON_K)
        .await?;
    assert!(
        ui.focused_is(&format!("{attendee} .picker-search")).await?,
        "focus stays in the picker; Enter did not send the form"
    );
    assert!(ui.focused_is("#record-form *").await?);
    ui.key_to(TAB, "#record-form .follow-ups > button", 200)
        .await?;
    ui.press(ENTER).await?;
    assert!(ui.focused_is("#record-form [name=follow-up-task]").await?);
    ui.press(TASK_K).await?;
    ui.key_to(TAB, "#record-form [name=follow-up-due] input", 3)
        .await?;
    // Due in five days, so the home screen lists it; typed in one go.
    let mut soon = aqui::model::today();
    for _ in 0..5 {
        soon = soon.succ_opt().expect("a next day");
    }
    ui.press(&soon.format("%m%d%Y").to_string()).await?;
    let (_, due) = ui.date_parts("#record-form [name=follow-up-due]").await?;
    assert_eq!(due, soon.format("%Y-%m-%d").to_string());
    ui.key_to(TAB, "#save", 20).await?;
    ui.press(ENTER).await?;
    ui.text_contains("#detail-title", NOTE_K).await?;
    ui.text_contains("#detail-rows .follow-up-list", TASK_K)
        .await?;
    ui.text_contains("#detail-rows .row[data-field=date] dd", "Dec 5, 2026")
        .await?;
    ui.text_contains("#detail-rows .row[data-field=attendee] dd", PERSON_K)
        .await?;

    // Search, from the header.
    ui.key_to(SHIFT_TAB, "#search", 20).await?;
    ui.press("keyboardcanary").await?;
    ui.press(ENTER).await?;
    ui.text_contains("#results-items", PERSON_K).await?;

    // Switch language, then lock and unlock.
    ui.key_to(SHIFT_TAB, "#lang-es", 20).await?;
    ui.press(ENTER).await?;
    ui.text_contains("[data-nav=person]", &text(Lang::Es, "ui-nav-person"))
        .await?;
    ui.key_to(TAB, "#lock", 6).await?;
    ui.press(ENTER).await?;
    ui.visible("#unlock").await?;
    assert!(ui.focused_is("#unlock-pass").await?);
    ui.axe("es unlock").await?;
    ui.press(PASS_K).await?;
    ui.press(ENTER).await?;
    ui.visible("#home").await?;
    ui.text_contains("#home-follow-ups", TASK_K).await?;
    Ok(())
}

// ---- organizer workflows: a spreadsheet in, sign-in at the door, a picker ----

const O_PASS: &str = "la asamblea del martes en la iglesia";
const O_NOTE: &str = "Canary door assembly";
const O_TARGET: &str = "Zuleyma Pickercanary";
const O_CSV_NAME: &str = "Dolores Csvcanary";
const O_DOOR_1: &str = "Chuy Doorcanary";
const O_DOOR_2: &str = "Marisol Doorcanary";
/// People in the vault before the app opens: the picker must not list them all.
const O_PEOPLE: usize = 4000;
const O_DRIVE: &str = "Canary pledge drive";
const O_RESTORED: &str = "Ofelia Restorecanary";
const O_BACKUP_PASS: &str = "el respaldo del sótano de la parroquia";
const O_RESTORED_PASS: &str = "la bóveda restaurada en la laptop nueva";

async fn organizer(ui: &Ui, csv: &Path, backup: &Path, place: &Path) -> R<()> {
    ui.visible("#unlock").await?;
    // Restore from a backup, beside this vault: the file's path typed, its
    // passphrase, a new place and a new passphrase; a preview first.
    ui.click("#unlock-restore").await?;
    ui.visible("#restore-card").await?;
    ui.type_into("#restore-path", backup.to_str().unwrap())
        .await?;
    ui.type_into("#restore-key-pass", O_BACKUP_PASS).await?;
    ui.type_into("#restore-place", place.to_str().unwrap())
        .await?;
    ui.type_into("#restore-new-pass", O_RESTORED_PASS).await?;
    ui.type_into("#restore-new-repeat", O_RESTORED_PASS).await?;
    let go_disabled = ui
        .js(
            "return document.getElementById('restore-go').disabled;",
            vec![],
        )
        .await?;
    assert_eq!(go_disabled, json!(true), "a preview comes first");
    ui.click("#restore-preview").await?;
    let summary = ui
        .text_contains("#restore-summary", place.to_str().unwrap())
        .await?;
    assert!(summary.contains("person"), "{summary}");
    assert!(!place.exists(), "the preview writes nothing");
    ui.shot("en-restore-preview").await?;
    ui.click("#restore-go").await?;
    ui.text_contains("#status", &text(Lang::En, "ui-restore-done-elsewhere"))
        .await?;
    ui.gone("#restore-card").await?;
    assert!(aqui::Vault::exists(place), "restored into the new place");
    ui.visible("#unlock").await?;
    ui.type_into("#unlock-pass", O_PASS).await?;
    ui.click("#unlock-go").await?;
    ui.visible("#home").await?;

    // A spreadsheet as Excel writes it in Spanish: the table shows what each
    // column becomes; the unknown one is chosen in the table.
    ui.nav("handoff").await?;
    ui.type_into("#csv-path", csv.to_str().unwrap()).await?;
    ui.click("#csv-preview").await?;
    ui.visible("#csv-summary").await?;
    ui.text_contains("#csv-map-rows", "Cel").await?;
    ui.text_contains("#csv-ignored", "Código postal").await?;
    ui.text_contains("#csv-counts", "New: 1").await?;
    let field = ui
        .js(
            "const s = document.querySelector('#csv-map-rows select[data-column=\"Nombre\"]'); return s ? s.value : null;",
            vec![],
        )
        .await?;
    assert_eq!(field, json!("name"), "the mapping is shown");
    ui.set("#csv-map-rows select[data-column=\"Cel\"]", "phone")
        .await?;
    ui.shot("en-csv-preview").await?;
    ui.click("#csv-apply").await?;
    ui.text_contains("#csv-done", "1 new").await?;
    let found = ui.search("Csvcanary").await?;
    assert!(found.contains(O_CSV_NAME), "{found}");

    // Sign-in at the door, from the meeting note.
    ui.search(O_NOTE).await?;
    ui.click("#results-items .item[data-kind=note]").await?;
    ui.visible("#door-open").await?;
    ui.click("#door-open").await?;
    ui.visible("#door").await?;
    // The door covers the whole window: nothing of the app behind it shows
    // or can be clicked (no menu, no search, no record).
    for behind in ["#nav", "#main", "#search", "#lock"] {
        let shown =
            ui.c.find(Locator::Css(behind))
                .await?
                .is_displayed()
                .await?;
        assert!(!shown, "{behind} shows behind the door");
    }
    let top = ui
        .js(
            "const w = window.innerWidth, h = window.innerHeight;
             return [[5, 5], [w / 2, 40], [w - 5, h - 5], [100, h / 2]]
               .every(([x, y]) => { const e = document.elementFromPoint(x, y); return e && e.closest('#door') !== null; });",
            vec![],
        )
        .await?;
    assert_eq!(top, json!(true), "the door is on top everywhere");
    for (n, who) in [O_DOOR_1, O_DOOR_2].iter().enumerate() {
        ui.type_into("#door-name", who).await?;
        ui.click("#door-consent-contact").await?;
        ui.click("#door-submit").await?;
        ui.text_contains("#door-count", &(n + 1).to_string())
            .await?;
        // cleared after each entry; shows nobody's name
        assert_eq!(ui.value("#door-name").await?, "");
        let door = ui.c.find(Locator::Css("#door")).await?.text().await?;
        assert!(!door.contains(who) && !door.contains(O_TARGET), "{door}");
    }
    ui.shot("en-door").await?;
    // leaving needs the passphrase
    ui.click("#door-leave-box summary").await?;
    ui.type_into("#door-leave-pass", "not the passphrase")
        .await?;
    ui.click("#door-leave-go").await?;
    ui.visible("#door-leave-error").await?;
    assert!(
        ui.c.find(Locator::Css("#door"))
            .await?
            .is_displayed()
            .await?
    );
    ui.type_into("#door-leave-pass", O_PASS).await?;
    ui.click("#door-leave-go").await?;
    ui.visible("#detail").await?;
    ui.text_contains("#detail-rows", O_DOOR_1).await?;
    ui.text_contains("#detail-rows", O_DOOR_2).await?;

    // Link an attendee with the picker, among thousands of people.
    let t = Instant::now();
    ui.click("#edit").await?;
    ui.visible("#record-form .picker[data-name=\"attendee\"] .picker-search")
        .await?;
    eprintln!(
        "e2e: the note form opened in {:?} with {O_PEOPLE} people",
        t.elapsed()
    );
    let options = ui
        .js("return document.querySelectorAll('#record-form .picker-offer, #record-form option').length;", vec![])
        .await?;
    assert!(
        options.as_u64().unwrap_or(0) < 100,
        "no list of everyone: {options}"
    );
    ui.check_link("attendee", O_TARGET).await?;
    ui.click("#save").await?;
    ui.visible("#detail").await?;
    ui.text_contains("#detail-rows", O_TARGET).await?;

    // A paper batch on the pledge drive: the progress names both parts.
    ui.search(O_DRIVE).await?;
    ui.click("#results-items .item[data-kind=pledge]").await?;
    ui.visible("#drive-box").await?;
    ui.text_contains("#drive-text", "1 of 100").await?;
    ui.type_into("#batch-count", "40").await?;
    ui.pick_in("#batch-by-box .picker", O_TARGET).await?;
    ui.click("#batch-add").await?;
    ui.text_contains("#drive-text", "41 of 100: 1 by name, 40 on paper")
        .await?;
    let rows = ui.text_contains("#drive-batches", "40").await?;
    assert!(rows.contains(O_TARGET), "{rows}");
    let bar = ui
        .js("return document.getElementById('drive-bar').value;", vec![])
        .await?;
    assert_eq!(bar.as_f64(), Some(41.0), "{bar}");
    ui.scroll_to("#drive-box").await?;
    ui.shot("en-drive-batch").await?;
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn first_start_sample_chapter_keyboard_and_accessibility() {
    let _one = ONE_AT_A_TIME.lock().await;
    let started = Instant::now();
    let root = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("e2e-first");
    let _ = std::fs::remove_dir_all(&root);
    let home = Home::new(root.join("home"));
    let shots = screenshots();
    unsafe { libc::prctl(libc::PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) };
    let (_xvfb, display) = start_xvfb();
    let (driver, ui) = launch(&display, &home, &shots).await;
    let outcome = tokio::time::timeout(Duration::from_secs(600), async {
        first_start(&ui).await?;
        keyboard_journey(&ui).await
    })
    .await;
    let _ = tokio::time::timeout(Duration::from_secs(20), ui.c.close()).await;
    stop(driver);
    outcome
        .expect("the first start finished in time")
        .expect("the first start");
    eprintln!("e2e first start: {:?}", started.elapsed());
    let _ = std::fs::remove_dir_all(&root);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn organizer_workflows_in_the_real_app() {
    let _one = ONE_AT_A_TIME.lock().await;
    let root = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("e2e-organizer");
    let _ = std::fs::remove_dir_all(&root);
    let home = Home::new(root.join("home"));
    let shots = screenshots();
    {
        let mut vault = aqui::Vault::create(
            &home.vault(),
            &aqui::Passphrase::new(O_PASS.into()),
            aqui::vault::KdfParams::default(),
        )
        .unwrap();
        let mut batch: Vec<(aqui::Id, aqui::Record)> = (0..O_PEOPLE)
            .map(|i| {
                let mut r = aqui::Record::empty(aqui::Kind::Person);
                r.set(
                    "name",
                    &format!("Persona {i} Manycanary"),
                    aqui::model::today(),
                )
                .unwrap();
                (aqui::Id::new(aqui::Kind::Person), r)
            })
            .collect();
        let mut target = aqui::Record::empty(aqui::Kind::Person);
        target.set("name", O_TARGET, aqui::model::today()).unwrap();
        let target_id = aqui::Id::new(aqui::Kind::Person);
        batch.push((target_id.clone(), target));
        let mut note = aqui::Record::empty(aqui::Kind::Note);
        note.set("title", O_NOTE, aqui::model::today()).unwrap();
        batch.push((aqui::Id::new(aqui::Kind::Note), note));
        let today = aqui::model::today();
        let mut drive = aqui::Record::empty(aqui::Kind::Pledge);
        drive.set("title", O_DRIVE, today).unwrap();
        drive.set("goal", "100", today).unwrap();
        let mut deadline = today;
        for _ in 0..30 {
            deadline = deadline.succ_opt().expect("a next day");
        }
        drive.set("deadline", &deadline.to_string(), today).unwrap();
        drive.set("signer", &target_id.to_string(), today).unwrap();
        batch.push((aqui::Id::new(aqui::Kind::Pledge), drive));
        vault.add_all(batch).unwrap();
    }
    // A backup of another vault, to a passphrase.
    let backup = home.dir.join("respaldo.age");
    let place = root.join("restored");
    {
        let mut old = aqui::Vault::create(
            &root.join("old"),
            &aqui::Passphrase::new("the old laptop's own passphrase".into()),
            aqui::vault::KdfParams {
                m_kib: 8 * 1024,
                t: 1,
                p: 1,
            },
        )
        .unwrap();
        let mut r = aqui::Record::empty(aqui::Kind::Person);
        r.set("name", O_RESTORED, aqui::model::today()).unwrap();
        old.add_all(vec![(aqui::Id::new(aqui::Kind::Person), r)])
            .unwrap();
        let p = aqui::Passphrase::new(O_BACKUP_PASS.into());
        aqui::handoff::backup(&mut old, &aqui::handoff::To::Passphrase(&p, 10), &backup).unwrap();
    }
    let csv = home.dir.join("gente.csv");
    std::fs::write(
        &csv,
        format!("Nombre;Cel;Código postal\r\n{O_CSV_NAME};555 0111;60601\r\n"),
    )
    .unwrap();
    unsafe { libc::prctl(libc::PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) };
    let (_xvfb, display) = start_xvfb();
    let (driver, ui) = launch(&display, &home, &shots).await;
    let outcome = tokio::time::timeout(
        Duration::from_secs(600),
        organizer(&ui, &csv, &backup, &place),
    )
    .await;
    let _ = tokio::time::timeout(Duration::from_secs(20), ui.c.close()).await;
    stop(driver);
    outcome
        .expect("the organizer journey finished in time")
        .expect("the organizer journey");
    // The restored vault opens with its new passphrase and holds the record.
    let restored =
        aqui::Vault::unlock(&place, &aqui::Passphrase::new(O_RESTORED_PASS.into())).unwrap();
    let names: Vec<&str> = restored
        .list(aqui::Kind::Person)
        .into_iter()
        .map(|(_, r)| r.title())
        .collect();
    assert_eq!(names, [O_RESTORED]);
    drop(restored);
    let _ = std::fs::remove_dir_all(&root);
}
