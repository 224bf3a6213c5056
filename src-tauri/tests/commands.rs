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

/// A value sent as spans, as a person reads it.
fn spans_text(spans: &Value) -> String {
    spans
        .as_array()
        .map(|a| a.iter().filter_map(|s| s["text"].as_str()).collect())
        .unwrap_or_default()
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
    app.ok(
        "save",
        json!({"id": null, "kind": "person", "pairs": pairs(&[("name", "Not Sensitive")])}),
    );
    let people = app.ok("list", json!({"kind": "person"}));
    let masked: Vec<&str> = people
        .as_array()
        .unwrap()
        .iter()
        .filter(|i| i["sensitive"] == json!(true))
        .map(|i| i["id"].as_str().unwrap())
        .collect();
    assert_eq!(masked, [pid.as_str()], "only the sensitive person");

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
            .any(|p| p[0] == "consent-contact" && p[1] == "not_asked"),
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
    // Meeting mode masks by the core's flags, not a list of its own.
    let flagged = |flag: &str| -> Vec<&str> {
        person_spec["fields"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|f| f[flag] == true)
            .map(|f| f["name"].as_str().unwrap())
            .collect()
    };
    assert_eq!(flagged("contact"), ["phone", "signal", "email"]);
    assert_eq!(flagged("identifying"), ["name", "alias"]);
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
        2,
        "both people are still there"
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

    // Retention: rules set after the passphrase; a due purge is offered at
    // unlock (postpone, then proceed); a hold stops it.
    const PW: &str = "una frase larga de prueba";
    app.ok("save", json!({"id": null, "kind": "note", "pairs": pairs(&[("title", "Old canary"), ("date", "2020-01-02"), ("body", "old canary text")])}));
    let form = json!({"rules": [["note-body", "90d"]], "hold": false, "reason": ""});
    let e = app.err(
        "set_retention",
        json!({"form": form, "passphrase": "wrong one"}),
    );
    assert_eq!(e["kind"], "err-wrong-passphrase");
    let r = app.ok("set_retention", json!({"form": form, "passphrase": PW}));
    assert_eq!(r["rules"][0]["age"], "90d");
    let relock = || {
        app.ok("lock", json!({}));
        app.ok("unlock", json!({"passphrase": PW, "demo": false}));
    };
    relock();
    assert_eq!(app.ok("purge_due", json!({}))["counts"]["note_bodies"], 1);
    app.ok("purge_later", json!({}));
    assert!(app.ok("purge_due", json!({})).is_null());
    let held = json!({"rules": [], "hold": true, "reason": "records request"});
    assert_eq!(
        app.ok("set_retention", json!({"form": held, "passphrase": PW}))["hold"],
        true
    );
    relock();
    assert!(
        app.ok("purge_due", json!({})).is_null(),
        "a hold: nothing offered"
    );
    let off = json!({"rules": [], "hold": false, "reason": ""});
    app.ok("set_retention", json!({"form": off, "passphrase": PW}));
    relock();
    assert_eq!(app.ok("purge_now", json!({}))["note_bodies"], 1);
    assert!(app
        .ok("search", json!({"query": "canary text"}))
        .as_array()
        .unwrap()
        .is_empty());

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
    app.ok("set_lang", json!({"lang": "en"}));
    // No passphrase to invent: the sample vault has a fixed one, shown on screen.
    let s = app.ok("open_demo", json!({}));
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
    let names = |app: &App| -> Vec<String> {
        app.ok("list", json!({"kind": "campaign"}))
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c["title"].as_str().unwrap_or_default().to_string())
            .collect()
    };
    assert_eq!(names(&app), ["End 287(g) in Riverbend County"]);
    app.ok("lock", json!({}));
    // Opened again, it is the same vault (the passphrase shown works too).
    let s = app.ok("open_demo", json!({}));
    assert_eq!(s["demo"], true);
    app.ok("lock", json!({}));
    let s = app.ok(
        "unlock",
        json!({"passphrase": aqui::demo::passphrase(aqui::Lang::En), "demo": true}),
    );
    assert_eq!(s["demo"], true);
    assert!(
        app.ok("list", json!({"kind": "org"}))
            .as_array()
            .unwrap()
            .len()
            >= 9
    );
    app.ok("lock", json!({}));

    // In Spanish the sample chapter is in Spanish, in a vault of its own.
    app.ok("set_lang", json!({"lang": "es"}));
    assert_eq!(app.ok("app_status", json!({}))["demo_exists"], false);
    app.ok("open_demo", json!({}));
    assert_eq!(names(&app), ["Fin del 287(g) en el Condado de Riverbend"]);
    app.ok("lock", json!({}));
    let s = app.ok("app_status", json!({}));
    assert_eq!(
        (s["vault_exists"].as_bool(), s["demo_exists"].as_bool()),
        (Some(false), Some(true))
    );
}

#[test]
fn a_sample_chapter_with_a_passphrase_of_its_own_is_never_replaced() {
    let app = app();
    app.ok("set_lang", json!({"lang": "en"}));
    // Made earlier (an older version, or `aqui demo`) with its own passphrase.
    let dir = aqui::app::Dirs::beside(&app._tmp.path().join("vault")).demo_in(aqui::Lang::En);
    let own = aqui::vault::Passphrase::new("una frase propia del ejemplo".into());
    let fast = aqui::vault::KdfParams {
        m_kib: 8 * 1024,
        t: 1,
        p: 1,
    };
    aqui::vault::Vault::create(&dir, &own, fast).unwrap();
    let e = app.err("open_demo", json!({}));
    assert_eq!(e["kind"], "err-demo-own-pass");
    assert!(aqui::vault::Vault::exists(&dir), "it is still there");
    // The unlock screen then opens it with that passphrase.
    let s = app.ok(
        "unlock",
        json!({"passphrase": "una frase propia del ejemplo", "demo": true}),
    );
    assert_eq!(s["demo"], true);
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

/// A second vault, made with the library, as another steward's laptop.
struct Other {
    vault: aqui::Vault,
}

impl Other {
    fn new(dir: &std::path::Path, name: &str) -> Other {
        let mut vault = aqui::Vault::create(
            &dir.join("other-vault"),
            &aqui::Passphrase::new("la otra bóveda de prueba".into()),
            aqui::vault::KdfParams {
                m_kib: 8 * 1024,
                t: 1,
                p: 1,
            },
        )
        .unwrap();
        aqui::handoff::set_own_name(&mut vault, name).unwrap();
        Other { vault }
    }

    fn import(&mut self, file: &std::path::Path) -> aqui::handoff::Preview {
        let incoming = aqui::handoff::open(&self.vault, file, None).unwrap();
        aqui::handoff::apply(&mut self.vault, incoming).unwrap()
    }
}

fn strings(v: &Value) -> Vec<String> {
    v.as_array()
        .unwrap()
        .iter()
        .map(|s| s.as_str().unwrap().to_string())
        .collect()
}

#[test]
fn steward_handoff_through_ipc() {
    let app = app();
    let files = tempfile::TempDir::new().unwrap();
    let file = |name: &str| files.path().join(name).display().to_string();
    app.ok(
        "create_vault",
        json!({"passphrase": "una frase larga de prueba"}),
    );

    // My card: the fingerprint in six groups of four digits, and a QR code.
    let me = app.ok("set_own_name", json!({"name": "Ana (Riverbend)"}));
    assert_eq!(me["name"], "Ana (Riverbend)");
    let fp = me["fingerprint"].as_str().unwrap();
    assert_eq!(
        fp.split(' ').map(str::len).collect::<Vec<_>>(),
        [4, 4, 4, 4, 4, 4]
    );
    let width = me["qr"]["width"].as_u64().unwrap() as usize;
    assert_eq!(me["qr"]["modules"].as_array().unwrap().len(), width * width);
    assert!(me["card"].as_str().unwrap().ends_with(":Ana (Riverbend)"));
    let defaults = app.ok("handoff_defaults", json!({}));
    assert!(defaults["export"]
        .as_str()
        .unwrap()
        .contains("aqui-handoff-"));

    // Another steward, by their card; the name on the card when none is typed.
    let mut bea = Other::new(files.path(), "Beatriz");
    let e = app.err(
        "add_steward",
        json!({"name": "", "key": "aqui-card-1:nope"}),
    );
    assert_eq!(e["kind"], "err-bad-card");
    let s = app.ok(
        "add_steward",
        json!({"name": "", "key": bea.vault.keys().card()}),
    );
    assert_eq!(
        (
            s["name"].as_str(),
            s["verified"].as_bool(),
            s["state"].as_str()
        ),
        (Some("Beatriz"), Some(false), Some("not verified"))
    );
    assert_eq!(s["fingerprint"], bea.vault.keys().public().fingerprint());
    let s = app.ok("verify_steward", json!({"name": "Beatriz"}));
    assert_eq!(s["verified"], true);
    assert_eq!(app.ok("stewards", json!({})).as_array().unwrap().len(), 1);

    // Records: one person to hand over, one sensitive who stays out.
    let person = app.ok("save", json!({"id": null, "kind": "person", "pairs": pairs(&[("name", "Rosa Canaria"), ("alias", "Rosi")])}));
    let pid = person["id"].as_str().unwrap().to_string();
    // New people are not asked yet: held back until their consent is recorded.
    let c = app.ok("consent", json!({"id": pid}));
    assert_eq!(c["share"], "not_asked");
    let c = app.ok(
        "record_consent",
        json!({"id": pid, "form": {"contact": "yes", "share": "yes", "how": "paper", "lang": "es"}}),
    );
    assert_eq!(
        (c["share"].as_str(), c["history"].as_array().map(Vec::len)),
        (Some("yes"), Some(2))
    );
    let e = app.err(
        "record_consent",
        json!({"id": pid, "form": {"share": "maybe"}}),
    );
    assert_eq!(e["field"], "share");
    app.ok("save", json!({"id": null, "kind": "person", "pairs": pairs(&[("name", "Alguien Confidencial"), ("sensitive", "yes")])}));
    // A report names no one; a period it cannot read is refused.
    let r = app.ok(
        "report_view",
        json!({"period": app.ok("report_period", json!({}))}),
    );
    let html = r["html"].as_str().unwrap();
    assert!(html.contains("<svg") && !html.contains("Rosa Canaria") && !html.contains("Rosi"));
    assert_eq!(
        app.err("report_view", json!({"period": "someday"}))["kind"],
        "err-bad-period"
    );
    assert_eq!(
        app.ok(
            "mentions_status",
            json!({"pairs": [["body", "sin papeles"]]})
        ),
        true
    );
    assert_eq!(
        app.ok("mentions_status", json!({"pairs": [["body", "papers"]]})),
        false
    );

    let all = json!({"by": "all"});
    let to_bea = json!({"by": "stewards", "names": ["Beatriz"]});
    let preview = |to: &Value| {
        app.ok(
            "export_preview",
            json!({"choose": all, "includeSensitive": false, "to": to}),
        )
    };
    let p = preview(&to_bea);
    assert_eq!(strings(&p["counts"]), ["one person"]);
    assert!(
        p["left_out"]
            .as_str()
            .unwrap()
            .starts_with("One person stays out"),
        "{p}"
    );
    assert!(p["recipients"].as_str().unwrap().contains("Beatriz"), "{p}");

    // The export writes exactly what was previewed, or nothing.
    let e = app.err(
        "export",
        json!({"token": 999, "path": file("x.age"), "passphrase": null}),
    );
    assert_eq!(e["kind"], "err-preview-stale");
    app.ok("save", json!({"id": null, "kind": "org", "pairs": pairs(&[("name", "Centro Obrero"), ("kind", "worker_center")])}));
    let e = app.err(
        "export",
        json!({"token": p["token"], "path": file("x.age"), "passphrase": null}),
    );
    assert_eq!(e["kind"], "err-preview-stale");
    assert!(!files.path().join("x.age").exists());
    let p = preview(&to_bea);
    assert_eq!(strings(&p["counts"]), ["one organization", "one person"]);
    // Other selections: a search, chosen records, a campaign (which must be one).
    let org_id = app.ok("search", json!({"query": "centro obrero"}))[0]["id"].clone();
    let by = |choose: Value| {
        app.call(
            "export_preview",
            json!({"choose": choose, "includeSensitive": true, "to": to_bea}),
        )
    };
    let found = by(json!({"by": "search", "query": "rosi"})).unwrap();
    assert_eq!(strings(&found["counts"]), ["one person"]);
    let chosen = by(json!({"by": "ids", "ids": [org_id]})).unwrap();
    assert_eq!(strings(&chosen["counts"]), ["one organization"]);
    let e = by(json!({"by": "campaign", "id": org_id})).unwrap_err();
    assert_eq!(e["kind"], "err-not-found");
    let everyone = by(json!({"by": "all"})).unwrap();
    assert_eq!(
        (
            everyone["left_out"].clone(),
            everyone["sensitive_included"].clone()
        ),
        (Value::Null, json!(true))
    );
    let p = preview(&to_bea);
    let w = app.ok(
        "export",
        json!({"token": p["token"], "path": file("to-bea.age"), "passphrase": null}),
    );
    assert!(w["message"].as_str().unwrap().contains("to-bea.age"), "{w}");
    let e = app.err(
        "export",
        json!({"token": p["token"], "path": file("again.age"), "passphrase": null}),
    );
    assert_eq!(e["kind"], "err-preview-stale", "one preview, one file");
    let log = app.ok("audit_log", json!({}));
    assert!(
        log[0]["text"].as_str().unwrap().contains("to Beatriz"),
        "{log}"
    );

    // A passphrase export: too short a passphrase is refused; the file then
    // needs its passphrase to be previewed.
    let p = preview(&json!({"by": "passphrase"}));
    assert_eq!(
        p["recipients"],
        "Who can open it: anyone with the passphrase."
    );
    let e = app.err(
        "export",
        json!({"token": p["token"], "path": file("pass.age"), "passphrase": "corta"}),
    );
    assert_eq!(e["kind"], "err-file-pass-short");
    app.ok(
        "export",
        json!({"token": p["token"], "path": file("pass.age"), "passphrase": "para la memoria usb"}),
    );
    let e = app.err(
        "import_preview",
        json!({"path": file("pass.age"), "passphrase": null}),
    );
    assert_eq!(e["kind"], "err-needs-passphrase");
    let e = app.err(
        "import_preview",
        json!({"path": file("pass.age"), "passphrase": "otra frase cualquiera"}),
    );
    assert_eq!(e["kind"], "err-export-wrong-passphrase");
    let own = app.ok(
        "import_preview",
        json!({"path": file("pass.age"), "passphrase": "para la memoria usb"}),
    );
    assert_eq!(own["trust"], "own");
    assert_eq!(own["conflicts"], 0);

    // Beatriz imports, edits the person and sends it back; meanwhile Ana
    // edits the same person: one conflict.
    bea.import(&files.path().join("to-bea.age"));
    let me_card = app.ok("identity", json!({}))["card"]
        .as_str()
        .unwrap()
        .to_string();
    aqui::handoff::add_steward(
        &mut bea.vault,
        "Ana",
        aqui::handoff::StewardKey::Card(&me_card),
    )
    .unwrap();
    let id = aqui::Id::parse(&pid).unwrap();
    bea.vault
        .edit(&id, &[("alias".into(), "Rosita".into())])
        .unwrap();
    let plan = aqui::handoff::select(&bea.vault, &aqui::handoff::Selection::All, false).unwrap();
    let back = files.path().join("to-ana.age");
    aqui::handoff::export(
        &mut bea.vault,
        plan,
        &aqui::handoff::To::Stewards(&["Ana".to_string()]),
        &back,
    )
    .unwrap();
    app.ok(
        "save",
        json!({"id": pid, "kind": "person", "pairs": pairs(&[("name", "Rosa Canaria"), ("alias", "Rosa C.")])}),
    );

    let p = app.ok(
        "import_preview",
        json!({"path": back.display().to_string(), "passphrase": null}),
    );
    assert_eq!(p["trust"], "verified");
    assert!(
        p["from"]
            .as_str()
            .unwrap()
            .contains("Beatriz, a verified steward"),
        "{p}"
    );
    let people = p["kinds"]
        .as_array()
        .unwrap()
        .iter()
        .find(|k| k["kind"] == "person")
        .unwrap()
        .clone();
    assert_eq!(
        (people["label"].as_str(), people["conflict"].as_u64()),
        (Some("People"), Some(1))
    );
    let e = app.err("import_apply", json!({"token": 12345}));
    assert_eq!(e["kind"], "err-preview-stale");
    // Locking drops the previewed file.
    app.ok("lock", json!({}));
    app.ok(
        "unlock",
        json!({"passphrase": "una frase larga de prueba", "demo": false}),
    );
    let e = app.err("import_apply", json!({"token": p["token"]}));
    assert_eq!(e["kind"], "err-preview-stale");
    let p = app.ok(
        "import_preview",
        json!({"path": back.display().to_string(), "passphrase": null}),
    );
    let done = app.ok("import_apply", json!({"token": p["token"]}));
    assert_eq!(done["applied"], true);
    assert!(
        done["done"]
            .as_str()
            .unwrap()
            .contains("choose what to keep"),
        "{done}"
    );
    assert_eq!(app.ok("home", json!({}))["conflicts"], 1);

    // The conflict, field by field; take theirs for the alias.
    let c = app.ok("conflicts", json!({}));
    let fields = &c[0]["fields"];
    assert_eq!(c[0]["id"], pid.as_str());
    assert_eq!(
        (
            fields[0]["name"].as_str(),
            spans_text(&fields[0]["mine"]),
            spans_text(&fields[0]["theirs"])
        ),
        (Some("alias"), "Rosa C.".into(), "Rosita".into())
    );
    let e = app.err(
        "resolve",
        json!({"id": pid, "choice": {"by": "fields", "fields": [["nope", "theirs"]]}}),
    );
    assert_eq!(e["kind"], "err-bad-take");
    let left = app.ok(
        "resolve",
        json!({"id": pid, "choice": {"by": "fields", "fields": [["alias", "theirs"]]}}),
    );
    assert_eq!(left, json!([]));
    assert_eq!(app.ok("home", json!({}))["conflicts"], 0);
    let d = app.ok("details", json!({"id": pid}));
    assert!(d["rows"]
        .as_array()
        .unwrap()
        .iter()
        .any(|r| r["field"] == "alias" && spans_text(&r["value"]) == "Rosita"));
    let log = app.ok("audit_log", json!({}));
    assert!(
        log[0]["text"].as_str().unwrap().contains("from Beatriz"),
        "{log}"
    );

    // A backup to the vault's own key.
    let b = app.ok(
        "backup",
        json!({"path": file("backup.age"), "passphrase": null}),
    );
    assert!(
        b["message"].as_str().unwrap().starts_with("Backed up"),
        "{b}"
    );
    let e = app.err(
        "backup",
        json!({"path": file("backup2.age"), "passphrase": "corta"}),
    );
    assert_eq!(e["kind"], "err-file-pass-short");
    let e = app.err("backup", json!({"path": "  ", "passphrase": null}));
    assert_eq!(e["kind"], "err-no-path");

    // Errors arrive in Spanish: a file that is not age at all.
    app.ok("set_lang", json!({"lang": "es"}));
    std::fs::write(files.path().join("notas.txt"), "solo texto").unwrap();
    let e = app.err(
        "import_preview",
        json!({"path": file("notas.txt"), "passphrase": null}),
    );
    assert_eq!(e["kind"], "err-not-age");
    assert!(
        e["message"]
            .as_str()
            .unwrap()
            .contains("no es una entrega de Aquí Estamos"),
        "{e}"
    );
    let e = app.err("verify_steward", json!({"name": "Nadie"}));
    assert_eq!(e["kind"], "err-no-steward");
    assert!(e["message"].as_str().unwrap().contains("“Nadie”"), "{e}");
    let s = app.ok("stewards", json!({}));
    assert_eq!(s[0]["state"], "verificado/a");
    app.ok("remove_steward", json!({"name": "Beatriz"}));
    assert_eq!(app.ok("stewards", json!({})), json!([]));
}

/// The panic wipe lists the backup and handoff files the vault wrote, and
/// removes them only when asked; a passphrase change re-keys (the old
/// passphrase no longer opens the vault).
#[test]
fn the_wipe_offers_the_files_this_vault_wrote() {
    let app = app();
    let files = tempfile::TempDir::new().unwrap();
    let pass = "una frase larga de prueba";
    app.ok("create_vault", json!({ "passphrase": pass }));
    let s = app.ok("app_status", json!({}));
    assert_eq!(s["wipe_files"], json!([]));
    let kept = files.path().join("kept.age");
    let gone = files.path().join("gone.age");
    for f in [&kept, &gone] {
        app.ok("backup", json!({ "path": f.display().to_string() }));
    }
    std::fs::remove_file(&kept).unwrap();
    // A file moved or deleted since is not listed.
    let s = app.ok("app_status", json!({}));
    assert_eq!(s["wipe_files"], json!([gone.display().to_string()]));

    let new = "otra frase larga distinta";
    app.ok("change_passphrase", json!({ "current": pass, "new": new }));
    app.ok("lock", json!({}));
    let e = app.err("unlock", json!({ "passphrase": pass, "demo": false }));
    assert_eq!(e["kind"], "err-wrong-passphrase");
    let s = app.ok("unlock", json!({ "passphrase": new, "demo": false }));
    assert!(s.get("read_only").is_none(), "{s}");
    assert_eq!(s["wipe_files"], json!([gone.display().to_string()]));

    let word = s["wipe_word"].as_str().unwrap().to_string();
    let other = files.path().join("other.age");
    std::fs::write(&other, "not written by this vault").unwrap();
    app.ok(
        "panic_wipe",
        json!({ "confirmation": word, "removeFiles": true }),
    );
    assert!(!gone.exists(), "the listed file was removed");
    assert!(other.exists(), "a file the vault did not write stays");
}

#[test]
fn the_dialog_plugin_may_only_open_and_save() {
    // What the capability grants, read from the file the app is built with.
    let cap: Value = serde_json::from_str(include_str!("../capabilities/main.json")).unwrap();
    let perms = strings(&cap["permissions"]);
    let plugin_perms: Vec<&String> = perms
        .iter()
        .filter(|p| p.contains(':') && !p.starts_with("core:event:"))
        .collect();
    assert_eq!(plugin_perms, ["dialog:allow-open", "dialog:allow-save"]);
    assert_eq!(strings(&cap["windows"]), ["main"]);
    for p in &perms {
        assert!(
            !p.starts_with("fs:") && !p.starts_with("http:") && !p.starts_with("shell:"),
            "{p}"
        );
    }
    // …and the running app refuses the dialog commands it does not grant.
    let app = app();
    for cmd in [
        "plugin:dialog|message",
        "plugin:dialog|ask",
        "plugin:dialog|confirm",
    ] {
        let e = app
            .call(cmd, json!({"message": "x"}))
            .expect_err("not allowed");
        assert!(e.to_string().contains("not allowed"), "{cmd}: {e}");
    }
    // No filesystem plugin is there at all.
    let e = app
        .call("plugin:fs|read_file", json!({"path": "/etc/passwd"}))
        .expect_err("no fs plugin");
    assert!(
        e.to_string().contains("not allowed") || e.to_string().contains("not found"),
        "{e}"
    );
}

#[test]
fn a_spreadsheet_through_ipc_with_its_mapping() {
    let app = app();
    app.ok(
        "create_vault",
        json!({"passphrase": "una frase larga de prueba"}),
    );
    let dir = tempfile::TempDir::new().unwrap();
    let file = dir.path().join("gente.csv");
    std::fs::write(
        &file,
        "Nombre;Cel;Correo;Código postal\r\nAna;555 0100;ana@example.org;60601\r\nBeto;555 0200;;60602\r\n",
    )
    .unwrap();
    let path = file.to_str().unwrap();
    let p = app.ok(
        "csv_preview",
        json!({"path": path, "kind": "person", "map": []}),
    );
    let cols: Vec<(String, Value)> = p["preview"]["columns"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            (
                c["header"].as_str().unwrap().to_string(),
                c["field"].clone(),
            )
        })
        .collect();
    assert_eq!(cols[0], ("Nombre".into(), json!("name")));
    assert_eq!(
        cols[1],
        ("Cel".into(), Value::Null),
        "not recognized: chosen in the table"
    );
    assert!(
        p["ignored"].as_str().unwrap().contains("Código postal"),
        "{p}"
    );
    assert_eq!(p["preview"]["new"], 2);
    assert!(app
        .ok("list", json!({"kind": "person"}))
        .as_array()
        .unwrap()
        .is_empty());
    let done = app.ok(
        "csv_import",
        json!({"path": path, "kind": "person", "map": [["Cel", "phone"]], "skipInvalid": false}),
    );
    assert_eq!(done["preview"]["new"], 2);
    assert!(done["done"].as_str().unwrap().contains("2 new"), "{done}");
    let found = app.ok("search", json!({"query": "Ana"}));
    assert_eq!(found.as_array().unwrap().len(), 1);

    // a folder: what to do, no system error number
    let e = app.err(
        "csv_preview",
        json!({"path": dir.path().to_str().unwrap(), "kind": "person", "map": []}),
    );
    assert_eq!(e["kind"], "err-csv-folder");
    assert!(!e["message"].as_str().unwrap().contains("21"), "{e}");

    // People from a spreadsheet have not been asked: none goes in a CSV
    // until they agree to be shared.
    let out = dir.path().join("llamadas.csv");
    let export = || {
        app.ok(
            "csv_export",
            json!({"kind": "person", "path": out.to_str().unwrap(), "includeSensitive": false}),
        )
    };
    let w = export();
    assert_eq!(w["rows"], 0);
    assert!(w["left_out"].as_str().unwrap().contains('2'), "{w}");
    let ana = found[0]["id"].as_str().unwrap().to_string();
    app.ok(
        "record_consent",
        json!({"id": ana, "form": {"contact": "yes", "share": "yes", "how": "paper"}}),
    );
    let w = export();
    assert_eq!(w["rows"], 1);
    assert!(
        w["warning"].as_str().unwrap().contains("NOT encrypted"),
        "{w}"
    );
    assert!(std::fs::read_to_string(&out)
        .unwrap()
        .contains("ana@example.org"));
}

#[test]
fn sign_in_at_the_door_and_pickers_through_ipc() {
    let app = app();
    app.ok(
        "create_vault",
        json!({"passphrase": "una frase larga de prueba"}),
    );
    let rosa = app.ok(
        "save",
        json!({"id": null, "kind": "person", "pairs": pairs(&[("name", "Rosa"), ("phone", "555 0101")])}),
    );
    let note = app.ok(
        "save",
        json!({"id": null, "kind": "note", "pairs": pairs(&[("title", "Asamblea"), ("date", "2026-11-20")])}),
    );
    let note_id = note["id"].as_str().unwrap();
    // a new person, then someone already known by their phone: matched, not doubled
    let first = app.ok(
        "sign_in",
        json!({"note": note_id, "entry": {"name": "Chuy", "phone": "", "lang": "es",
               "consent_contact": true, "consent_share": false}}),
    );
    assert_eq!(first["headcount"], 1);
    assert!(
        first["thanks"].as_str().unwrap().contains("Gracias"),
        "{first}"
    );
    assert!(
        !first.to_string().contains("Rosa"),
        "shows nobody else: {first}"
    );
    let second = app.ok(
        "sign_in",
        json!({"note": note_id, "entry": {"name": "Rosa M.", "phone": "(555) 0101", "lang": "en",
               "consent_contact": true, "consent_share": true}}),
    );
    assert_eq!(second["headcount"], 2);
    assert!(!second.to_string().contains("555"), "{second}");
    let people = app.ok("list", json!({"kind": "person"}));
    assert_eq!(people.as_array().unwrap().len(), 2, "Rosa matched by phone");
    // the same person twice: still two
    let again = app.ok(
        "sign_in",
        json!({"note": note_id, "entry": {"name": "chuy", "phone": "", "lang": "es",
               "consent_contact": false, "consent_share": false}}),
    );
    assert_eq!(again["headcount"], 2);
    let shown = app.ok("details", json!({"id": note_id}));
    let attendees: Vec<&str> = shown["form"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|p| p[0] == "attendee")
        .map(|p| p[1].as_str().unwrap())
        .collect();
    assert!(attendees.contains(&rosa["id"].as_str().unwrap()), "{shown}");
    // a bad phone is refused, and nothing is written
    let e = app.err(
        "sign_in",
        json!({"note": note_id, "entry": {"name": "Lalo", "phone": "call me", "lang": "es",
               "consent_contact": false, "consent_share": false}}),
    );
    assert_eq!(e["field"], "phone");
    assert_eq!(
        app.ok("list", json!({"kind": "person"}))
            .as_array()
            .unwrap()
            .len(),
        2
    );
    // leaving needs the passphrase
    let e = app.err("leave_door", json!({"passphrase": "no es esta"}));
    assert_eq!(e["kind"], "err-wrong-passphrase");
    app.ok(
        "leave_door",
        json!({"passphrase": "una frase larga de prueba"}),
    );

    // the picker offers a few of a kind, found by the core's search
    let found = app.ok("pick", json!({"kind": "person", "query": "ros"}));
    let titles: Vec<&str> = found
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["title"].as_str().unwrap())
        .collect();
    assert_eq!(titles, ["Rosa"]);
    let none = app.ok("pick", json!({"kind": "org", "query": "ros"}));
    assert!(none.as_array().unwrap().is_empty());
    let named = app.ok("items_of", json!({"ids": [rosa["id"], rosa["id"]]}));
    assert_eq!(named.as_array().unwrap().len(), 1);
}

#[test]
fn paper_batches_and_the_signature_sheet_through_ipc() {
    let app = app();
    app.ok(
        "create_vault",
        json!({"passphrase": "una frase larga de prueba"}),
    );
    let ana = app.ok(
        "save",
        json!({"id": null, "kind": "person", "pairs": pairs(&[("name", "Ana")])}),
    );
    let drive = app.ok(
        "save",
        json!({"id": null, "kind": "pledge", "pairs": pairs(&[
            ("title", "Campus santuario"), ("goal", "100"), ("deadline", "2027-05-01"),
            ("signer", ana["id"].as_str().unwrap()), ("paper-count", "4")])}),
    );
    let id = drive["id"].as_str().unwrap();
    let d = app.ok(
        "add_batch",
        json!({"id": id, "count": "30", "date": "2026-11-02", "by": ana["id"]}),
    );
    assert_eq!(
        (
            d["named"].as_u64(),
            d["paper"].as_u64(),
            d["progress"].as_u64()
        ),
        (Some(1), Some(34), Some(35))
    );
    assert_eq!(d["points"], json!([["2026-11-02", 35]]));
    assert_eq!(d["start"], 5);
    assert_eq!(d["batches"][1]["by"], "Ana");
    assert_eq!(d["batches"][0]["date"], "");
    let e = app.err(
        "add_batch",
        json!({"id": id, "count": "0", "date": null, "by": null}),
    );
    assert_eq!(e["field"], "count");
    let dir = tempfile::TempDir::new().unwrap();
    let out = dir.path().join("hoja.html");
    let said = app.ok(
        "signature_sheet",
        json!({"id": id, "path": out.to_str().unwrap()}),
    );
    assert!(said.as_str().unwrap().contains("hoja.html"));
    let html = std::fs::read_to_string(&out).unwrap();
    assert!(html.contains("Campus santuario") && html.contains("Firma"));
    let e = app.err(
        "signature_sheet",
        json!({"id": id, "path": dir.path().to_str().unwrap()}),
    );
    assert_eq!(e["kind"], "err-csv-folder");
}

#[test]
fn restore_from_a_backup_on_the_first_screen() {
    let dir = tempfile::TempDir::new().unwrap();
    let file = dir.path().join("copia.age");
    {
        let old = app();
        old.ok(
            "create_vault",
            json!({"passphrase": "una frase larga de prueba"}),
        );
        old.ok(
            "save",
            json!({"id": null, "kind": "person", "pairs": pairs(&[("name", "Ana Restaurada")])}),
        );
        old.ok(
            "backup",
            json!({"path": file.to_str().unwrap(), "passphrase": "la frase de la copia"}),
        );
    }
    let new = app();
    let key = json!({"by": "passphrase", "passphrase": "la frase de la copia"});
    // a wrong passphrase, or a folder: said plainly, nothing written
    let e = new.err(
        "restore_preview",
        json!({"path": file.to_str().unwrap(), "key": {"by": "passphrase", "passphrase": "otra frase"}, "place": null}),
    );
    assert_eq!(e["kind"], "err-export-wrong-passphrase", "{e}");
    let e = new.err(
        "restore_preview",
        json!({"path": dir.path().to_str().unwrap(), "key": key, "place": null}),
    );
    assert_eq!(e["kind"], "err-csv-folder");
    let p = new.ok(
        "restore_preview",
        json!({"path": file.to_str().unwrap(), "key": key, "place": null}),
    );
    assert!(p["counts"].as_str().unwrap().contains("one person"), "{p}");
    assert_eq!(new.ok("app_status", json!({}))["vault_exists"], false);
    let st = new.ok(
        "restore",
        json!({"path": file.to_str().unwrap(), "key": key, "place": null,
               "passphrase": "mi nueva frase larga"}),
    );
    assert_eq!(st["unlocked"], true);
    let found = new.ok("search", json!({"query": "Restaurada"}));
    assert_eq!(found.as_array().unwrap().len(), 1);
    // beside an existing vault, only into a new folder
    let e = new.err(
        "restore_preview",
        json!({"path": file.to_str().unwrap(), "key": key, "place": null}),
    );
    assert_eq!(e["kind"], "err-vault-exists");
}

/// The modules `path` imports (`from './x.js'`).
fn imports(ui: &std::path::Path, path: &str) -> Vec<String> {
    let text = std::fs::read_to_string(ui.join(path)).expect("a module of the page");
    text.split("from './")
        .skip(1)
        .filter_map(|rest| rest.split_once('\''))
        .map(|(name, _)| name.to_string())
        .collect()
}

#[test]
fn the_page_preloads_every_module_app_js_needs_and_no_other() {
    let ui = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../ui");
    let mut needed = std::collections::BTreeSet::new();
    let mut todo = imports(&ui, "app.js");
    while let Some(m) = todo.pop() {
        if needed.insert(m.clone()) {
            todo.extend(imports(&ui, &m));
        }
    }
    let page = std::fs::read_to_string(ui.join("index.html")).expect("index.html");
    let preloaded: std::collections::BTreeSet<String> = page
        .split("<link rel=\"modulepreload\" href=\"")
        .skip(1)
        .filter_map(|rest| rest.split_once('"'))
        .map(|(name, _)| name.to_string())
        .collect();
    assert!(needed.len() > 10, "{needed:?}");
    assert_eq!(preloaded, needed);
}

#[test]
fn a_render_node_is_found_by_its_name_only() {
    let dir = std::env::temp_dir().join(format!("aqui-dri-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    assert!(!aqui_desktop::has_render_node(&dir), "no folder, no node");
    std::fs::create_dir_all(&dir).unwrap();
    assert!(!aqui_desktop::has_render_node(&dir), "an empty folder");
    std::fs::write(dir.join("card0"), b"").unwrap();
    assert!(
        !aqui_desktop::has_render_node(&dir),
        "a card is no render node"
    );
    std::fs::write(dir.join("renderD128"), b"").unwrap();
    assert!(aqui_desktop::has_render_node(&dir));
    std::fs::remove_dir_all(&dir).unwrap();
}
