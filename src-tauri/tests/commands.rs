//! The app's commands through Tauri's IPC, with the real config and
//! capabilities on the mock runtime (`tauri::test::mock_builder`): results and
//! errors arrive as the UI receives them, `{kind, message, field?}` in the
//! chosen language.

use aqui::app::{Dirs, Session};
use serde_json::{json, Value};
use tauri::ipc::{CallbackFn, InvokeBody};
use tauri::test::{get_ipc_response, mock_builder, MockRuntime, INVOKE_KEY};
use tauri::webview::InvokeRequest;
use tauri::{Manager, WebviewWindow};

struct App {
    _tmp: tempfile::TempDir,
    _app: tauri::App<MockRuntime>,
    window: WebviewWindow<MockRuntime>,
}

fn app() -> App {
    let tmp = tempfile::TempDir::new().unwrap();
    let dirs = Dirs::beside(&tmp.path().join("vault"));
    let session = Session::new(dirs).with_kdf(aqui::vault::KdfParams {
        m_kib: 8 * 1024,
        t: 1,
        p: 1,
    });
    let app = aqui_desktop::builder(mock_builder(), session)
        .build(aqui_desktop::context())
        .unwrap();
    // `setup` has not created the window on the mock runtime yet: make the
    // `main` window the capability is for.
    let window = match app.get_webview_window("main") {
        Some(w) => w,
        None => tauri::WebviewWindowBuilder::new(&app, "main", Default::default())
            .build()
            .unwrap(),
    };
    App {
        _tmp: tmp,
        _app: app,
        window,
    }
}

impl App {
    fn call(&self, cmd: &str, args: Value) -> Result<Value, Value> {
        get_ipc_response(
            &self.window,
            InvokeRequest {
                cmd: cmd.into(),
                callback: CallbackFn(0),
                error: CallbackFn(1),
                url: "tauri://localhost".parse().unwrap(),
                body: InvokeBody::Json(args),
                headers: Default::default(),
                invoke_key: INVOKE_KEY.to_string(),
            },
        )
        .map(|b| b.deserialize::<Value>().unwrap())
    }

    fn ok(&self, cmd: &str, args: Value) -> Value {
        self.call(cmd, args)
            .unwrap_or_else(|e| panic!("{cmd}: {e}"))
    }

    fn err(&self, cmd: &str, args: Value) -> Value {
        self.call(cmd, args).expect_err(cmd)
    }
}

fn pairs(p: &[(&str, &str)]) -> Value {
    json!(p.iter().map(|(a, b)| [a, b]).collect::<Vec<_>>())
}

#[test]
fn a_whole_session_through_ipc() {
    let app = app();
    let status = app.ok("app_status", json!({}));
    assert_eq!(
        (
            status["vault_exists"].as_bool(),
            status["unlocked"].as_bool()
        ),
        (Some(false), Some(false))
    );

    let e = app.err("create_vault", json!({"passphrase": "short"}));
    assert_eq!(e["kind"], "err-pass-short");
    assert!(e["message"].as_str().unwrap().contains("too short"), "{e}");

    let es = app.ok("set_lang", json!({"lang": "es"}));
    assert_eq!(es["messages"]["status-won"], "ganada");
    let e = app.err("create_vault", json!({"passphrase": "short"}));
    assert!(
        e["message"].as_str().unwrap().contains("demasiado corta"),
        "{e}"
    );

    let status = app.ok(
        "create_vault",
        json!({"passphrase": "una frase larga de prueba"}),
    );
    assert_eq!(
        (status["unlocked"].as_bool(), status["lang"].as_str()),
        (Some(true), Some("es"))
    );

    // field-level validation error, localized, naming the field
    let e = app.err("save", json!({"id": null, "kind": "person", "pairs": pairs(&[("name", "Ana"), ("email", "nope")])}));
    assert_eq!(
        (e["kind"].as_str(), e["field"].as_str()),
        (Some("err-invalid-field"), Some("email"))
    );
    assert!(e["message"].as_str().unwrap().starts_with("Correo:"), "{e}");

    let org = app.ok("save", json!({"id": null, "kind": "org", "pairs": pairs(&[("name", "Centro Obrero"), ("kind", "worker_center")])}));
    let org_id = org["id"].as_str().unwrap().to_string();
    let person = app.ok(
        "save",
        json!({"id": null, "kind": "person", "pairs": pairs(&[("name", "<img src=x onerror=alert(1)>"), ("org", &org_id), ("phone", "+1 555 0100"), ("sensitive", "yes")])}),
    );
    assert_eq!(person["title"], "<img src=x onerror=alert(1)>");
    assert_eq!(person["sensitive"], true);
    let pid = person["id"].as_str().unwrap().to_string();

    let found = app.ok("search", json!({"query": "centro obrero"}));
    let ids: Vec<&str> = found
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["id"].as_str().unwrap())
        .collect();
    assert_eq!(
        ids,
        [org_id.as_str(), pid.as_str()],
        "the org and, by its name, its member"
    );

    let d = app.ok("details", json!({"id": pid}));
    let phone = d["rows"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["field"] == "phone")
        .unwrap();
    assert_eq!(
        (phone["label"].as_str(), phone["contact"].as_bool()),
        (Some("Teléfono"), Some(true))
    );
    assert!(d["form"]
        .as_array()
        .unwrap()
        .iter()
        .any(|p| p[0] == "org" && p[1] == org_id.as_str()));

    let spec = app.ok("form_spec", json!({"kind": "note"}));
    assert_eq!(spec["fields"][0]["label"], "Título");
    let person_spec = app.ok("form_spec", json!({"kind": "person"}));
    let defaults = person_spec["defaults"].as_array().unwrap();
    assert!(
        defaults
            .iter()
            .any(|p| p[0] == "consent-contact" && p[1] == "yes"),
        "{defaults:?}"
    );
    let blank: Vec<&str> = person_spec["fields"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["blank"] == true && f["input"]["type"] == "choice")
        .map(|f| f["name"].as_str().unwrap())
        .collect();
    assert_eq!(
        blank,
        ["lang"],
        "only a person's language may be left unchosen"
    );
    assert!(spec["choices"]["note_kind"]
        .as_array()
        .unwrap()
        .iter()
        .any(|c| c["label"] == "reunión"));

    // lock: nothing readable without the passphrase
    app.ok("lock", json!({}));
    let e = app.err("list", json!({"kind": "person"}));
    assert_eq!(e["kind"], "err-locked");
    let e = app.err(
        "unlock",
        json!({"passphrase": "la equivocada", "demo": false}),
    );
    assert_eq!(e["kind"], "err-wrong-passphrase");
    assert!(
        e["message"]
            .as_str()
            .unwrap()
            .contains("no abre esta bóveda"),
        "{e}"
    );
    app.ok("set_lang", json!({"lang": "en"}));
    let e = app.err(
        "unlock",
        json!({"passphrase": "still wrong", "demo": false}),
    );
    assert!(
        e["message"]
            .as_str()
            .unwrap()
            .contains("does not open this vault"),
        "{e}"
    );
    app.ok(
        "unlock",
        json!({"passphrase": "una frase larga de prueba", "demo": false}),
    );
    assert_eq!(
        app.ok("list", json!({"kind": "person"}))
            .as_array()
            .unwrap()
            .len(),
        1
    );

    // re-authentication before security settings
    let e = app.err(
        "set_auto_lock",
        json!({"minutes": 10, "passphrase": "wrong one"}),
    );
    assert_eq!(e["kind"], "err-wrong-passphrase");
    let e = app.err(
        "set_auto_lock",
        json!({"minutes": 0, "passphrase": "una frase larga de prueba"}),
    );
    assert_eq!(e["kind"], "err-auto-lock-range");
    let s = app.ok(
        "set_auto_lock",
        json!({"minutes": 10, "passphrase": "una frase larga de prueba"}),
    );
    assert_eq!(s["auto_lock_minutes"], 10);

    // panic wipe needs the word
    let e = app.err("panic_wipe", json!({"confirmation": "yes"}));
    assert_eq!(e["kind"], "err-wipe-word");
    let word = app.ok("app_status", json!({}))["wipe_word"]
        .as_str()
        .unwrap()
        .to_string();
    let s = app.ok("panic_wipe", json!({"confirmation": word}));
    assert_eq!(
        (s["vault_exists"].as_bool(), s["unlocked"].as_bool()),
        (Some(false), Some(false))
    );
}

#[test]
fn the_sample_chapter_opens_in_its_own_vault() {
    let app = app();
    let s = app.ok("open_demo", json!({"passphrase": "probando la demo"}));
    assert_eq!(
        (
            s["demo"].as_bool(),
            s["vault_exists"].as_bool(),
            s["demo_exists"].as_bool()
        ),
        (Some(true), Some(false), Some(true))
    );
    let home = app.ok("home", json!({}));
    assert!(!home["follow_ups"].as_array().unwrap().is_empty());
    assert_eq!(home["drives"][0]["goal"], 100);
    app.ok("lock", json!({}));
    let s = app.ok(
        "unlock",
        json!({"passphrase": "probando la demo", "demo": true}),
    );
    assert_eq!(s["demo"], true);
    assert!(
        app.ok("list", json!({"kind": "org"}))
            .as_array()
            .unwrap()
            .len()
            >= 9
    );
}

#[test]
fn commands_outside_the_capability_are_refused() {
    let app = app();
    // A core plugin command the capability does not grant.
    let e = app
        .call("plugin:window|close", json!({}))
        .expect_err("not allowed");
    assert!(
        e.to_string().contains("not allowed") || e.to_string().contains("not found"),
        "{e}"
    );
}
