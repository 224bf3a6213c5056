use crate::util::{snapshot, Cli, PASS};
use serde_json::Value;

fn id_of(v: &Value) -> String {
    v["id"].as_str().expect("an id").to_string()
}

/// Adds one record of every kind through the CLI; returns their ids.
fn add_everything(cli: &Cli) -> [String; 6] {
    let org = cli.ok(&[
        "add",
        "org",
        "--name",
        "Centro Obrero",
        "--kind",
        "worker_center",
        "--immigrant-led",
        "--region",
        "Riverbend",
    ]);
    let org = org.trim().to_string();
    let person = id_of(&cli.json(&[
        "add",
        "person",
        "--name",
        "María Pérez",
        "--phone",
        "+1 555 0100",
        "--email",
        "maria@example.org",
        "--signal",
        "maria.01",
        "--org",
        &org,
        "--lang",
        "es",
        "--tag",
        "youth",
        "--tag",
        "rapid-response",
        "--sensitive",
        "--no-share",
    ]));
    let campaign = cli
        .ok(&["add", "campaign", "--name", "End 287(g)"])
        .trim()
        .to_string();
    let demand = cli
        .ok(&[
            "add",
            "demand",
            "--title",
            "End the 287(g) agreement",
            "--target",
            "County Board",
            "--status",
            "active",
            "--campaign",
            &campaign,
        ])
        .trim()
        .to_string();
    let pledge = cli
        .ok(&[
            "add",
            "pledge",
            "--title",
            "100 signatures",
            "--goal",
            "100",
            "--deadline",
            "2027-04-15",
            "--campaign",
            &campaign,
        ])
        .trim()
        .to_string();
    let note = cli
        .ok(&[
            "add",
            "note",
            "--title",
            "Coalition meeting",
            "--body",
            "Line one\nLínea dos",
            "--date",
            "2026-11-20",
            "--attendee",
            &person,
            "--campaign",
            &campaign,
        ])
        .trim()
        .to_string();
    [org, person, campaign, demand, pledge, note]
}

#[test]
fn every_kind_round_trips_through_the_cli() {
    let cli = Cli::new();
    let init = cli.ok(&["init"]);
    assert!(init.contains("Vault created"), "{init}");
    let [org, person, campaign, demand, pledge, note] = add_everything(&cli);

    let o = cli.json(&["show", &org]);
    assert_eq!(o["kind"], "org");
    assert_eq!(o["name"], "Centro Obrero");
    assert_eq!(o["org_kind"], "worker_center");
    assert_eq!(o["immigrant_led"], true);
    assert_eq!(o["region"], "Riverbend");

    let p = cli.json(&["show", &person]);
    assert_eq!(p["kind"], "person");
    assert_eq!(p["name"], "María Pérez");
    assert_eq!(p["phone"], "+1 555 0100");
    assert_eq!(p["email"], "maria@example.org");
    assert_eq!(p["signal"], "maria.01");
    assert_eq!(p["lang"], "es");
    assert_eq!(p["orgs"][0]["org"], org.as_str());
    assert_eq!(p["tags"], serde_json::json!(["youth", "rapid-response"]));
    assert_eq!(p["sensitive"], true);
    assert_eq!(p["consent_share"], "no");
    assert!(p.get("immigration_status").is_none() && p.get("address").is_none());

    let d = cli.json(&["show", &demand]);
    assert_eq!(
        (
            d["title"].as_str(),
            d["target"].as_str(),
            d["status"].as_str()
        ),
        (
            Some("End the 287(g) agreement"),
            Some("County Board"),
            Some("active")
        )
    );
    assert_eq!(d["history"].as_array().unwrap().len(), 1);
    assert_eq!(d["campaign"], campaign.as_str());

    let pl = cli.json(&["show", &pledge]);
    assert_eq!(
        (
            pl["goal"].as_u64(),
            pl["deadline"].as_str(),
            pl["progress"].as_u64()
        ),
        (Some(100), Some("2027-04-15"), Some(0))
    );

    let n = cli.json(&["show", &note]);
    assert_eq!(
        (n["title"].as_str(), n["body"].as_str(), n["date"].as_str()),
        (
            Some("Coalition meeting"),
            Some("Line one\nLínea dos"),
            Some("2026-11-20")
        )
    );
    assert_eq!(n["attendees"][0], person.as_str());

    let c = cli.json(&["show", &campaign]);
    assert_eq!(c["demands"][0], demand.as_str());
    assert_eq!(c["pledges"][0], pledge.as_str());
    assert_eq!(c["notes"][0], note.as_str());

    // list: arrays of objects with id and kind
    for (kind, id) in [
        ("org", &org),
        ("person", &person),
        ("campaign", &campaign),
        ("demand", &demand),
        ("pledge", &pledge),
        ("note", &note),
    ] {
        let list = cli.json(&["list", kind]);
        let arr = list.as_array().unwrap();
        assert_eq!(arr.len(), 1, "{kind}");
        assert_eq!(arr[0]["id"], id.as_str());
        assert_eq!(arr[0]["kind"], kind);
    }

    // edit, including list fields, status history, and a person's language
    cli.ok(&[
        "edit",
        &person,
        "--phone",
        "",
        "--remove-tag",
        "youth",
        "--lang",
        "en",
        "--sensitive",
        "no",
    ]);
    let p = cli.json(&["show", &person]);
    assert_eq!(
        (
            p["phone"].as_str(),
            p["lang"].as_str(),
            p["sensitive"].as_bool()
        ),
        (Some(""), Some("en"), Some(false))
    );
    assert_eq!(p["tags"], serde_json::json!(["rapid-response"]));
    cli.ok(&["edit", &demand, "--status", "won"]);
    let d = cli.json(&["show", &demand]);
    let hist: Vec<&str> = d["history"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h["status"].as_str().unwrap())
        .collect();
    assert_eq!(hist, ["active", "won"]);
    cli.ok(&["edit", &pledge, "--signer", &person, "--paper-count", "41"]);
    assert_eq!(cli.json(&["show", &pledge])["progress"], 42);
    let edited = cli.json(&[
        "edit",
        &note,
        "--follow-up",
        &format!("Call the pastor|2026-12-01|{person}"),
    ]);
    assert_eq!(edited["follow_ups"][0]["who"], person.as_str());
    assert_eq!(edited["follow_ups"][0]["task"], "Call the pastor");
    // a task containing `|`, given with all four parts, is kept whole
    let edited = cli.json(&[
        "edit",
        &note,
        "--follow-up",
        &format!("Flyers | EN|ES|2026-12-02|{person}|"),
    ]);
    let fu = &edited["follow_ups"][1];
    assert_eq!(
        (&fu["task"], &fu["due"], &fu["who"], &fu["done"]),
        (
            &serde_json::json!("Flyers | EN|ES"),
            &serde_json::json!("2026-12-02"),
            &serde_json::json!(person),
            &serde_json::json!(false)
        )
    );
    // the short form with a bar in the task is refused, not silently split
    let err = cli.fails(&["edit", &note, "--follow-up", "Call Ana|Luis"]);
    assert!(err.contains("date"), "{err}");

    // text output in English and Spanish
    let en = cli.ok(&["show", &person]);
    assert!(
        en.contains("Name: María Pérez") && en.contains("Tags: rapid-response"),
        "{en}"
    );
    // Only the command line writes a record's id after its name.
    assert!(en.contains(&format!("Centro Obrero ({org})")), "{en}");
    let es = cli.ok(&["--lang", "es", "show", &person]);
    assert!(
        es.contains("Nombre: María Pérez") && es.contains("Etiquetas: rapid-response"),
        "{es}"
    );
    let es = cli.ok(&["show", &demand, "--lang", "es"]);
    assert!(
        es.contains("Estado: ganada") && es.contains("Quién decide: County Board"),
        "{es}"
    );
    let es_pledge = cli.ok(&["--lang", "es", "list", "pledge"]);
    assert!(
        es_pledge.contains("42 de 100 · fecha límite 15 abr 2027"),
        "{es_pledge}"
    );
    let en_pledge = cli.ok(&["list", "pledge"]);
    assert!(
        en_pledge.contains("42 of 100 · deadline Apr 15, 2027"),
        "{en_pledge}"
    );
    let mut env_es = cli.cmd(&["list", "demand"]);
    let out = env_es.env("AQUI_LANG", "es").output().unwrap();
    assert!(String::from_utf8_lossy(&out.stdout).contains("ganada"));
    let mut sys_es = cli.cmd(&["list", "demand"]);
    let out = sys_es.env("LANG", "es_MX.UTF-8").output().unwrap();
    assert!(
        String::from_utf8_lossy(&out.stdout).contains("ganada"),
        "system locale picks Spanish"
    );

    // delete leaves the others
    let msg = cli.ok(&["delete", &note]);
    assert!(msg.contains("Deleted"));
    assert_eq!(cli.json(&["list", "note"]).as_array().unwrap().len(), 0);
    let gone = cli.fails(&["show", &note]);
    assert!(gone.contains("There is no record"), "{gone}");
    let gone_es = cli.fails(&["--lang", "es", "show", &note]);
    assert!(gone_es.contains("No hay ningún registro"), "{gone_es}");
    assert_eq!(cli.json(&["list", "person"]).as_array().unwrap().len(), 1);
}

#[test]
fn wrong_passphrase_is_refused_and_changes_nothing() {
    let cli = Cli::new();
    cli.ok(&["demo"]);
    let before = snapshot(&cli.vault());
    for (lang, want) in [
        ("en", "That passphrase does not open this vault."),
        ("es", "Esa frase de contraseña no abre esta bóveda."),
    ] {
        let out = cli
            .cmd(&["--lang", lang, "list", "person"])
            .env("AQUI_PASSPHRASE_FILE", "/nonexistent")
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(1));
        let err = cli
            .cmd(&["--lang", lang, "add", "org", "--name", "X"])
            .env_remove("AQUI_PASSPHRASE_FILE")
            .env("AQUI_PASSPHRASE", "wrong horse")
            .output()
            .unwrap();
        assert_eq!(err.status.code(), Some(1));
        let msg = String::from_utf8(err.stderr).unwrap();
        assert!(msg.contains(want), "{msg}");
        assert!(!msg.contains("panicked"));
    }
    assert!(
        before == snapshot(&cli.vault()),
        "vault files byte-for-byte unchanged"
    );
    assert_eq!(cli.json(&["list", "org"]).as_array().unwrap().len(), 9);
}

#[test]
fn a_second_process_gets_a_clear_in_use_message() {
    let cli = Cli::new();
    cli.ok(&["init"]);
    let held = aqui::Vault::unlock(&cli.vault(), &crate::util::pass(PASS)).unwrap();
    let err = cli.fails(&["list", "person"]);
    assert!(
        err.contains("The vault is open in another window or program."),
        "{err}"
    );
    let err = cli.fails(&["--lang", "es", "add", "org", "--name", "X"]);
    assert!(
        err.contains("La bóveda está abierta en otra ventana o programa."),
        "{err}"
    );
    // and in-process too
    let again = aqui::Vault::unlock(&cli.vault(), &crate::util::pass(PASS));
    assert!(matches!(again, Err(aqui::vault::Error::InUse)));
    drop(held);
    cli.ok(&["list", "person"]);
}

#[test]
fn bad_input_gets_a_localized_message_and_stores_nothing() {
    let cli = Cli::new();
    cli.ok(&["init"]);
    let org = cli
        .ok(&["add", "org", "--name", "Centro"])
        .trim()
        .to_string();
    let cases: &[(&[&str], &str, &str)] = &[
        (
            &["add", "person", "--name", "Ana", "--phone", "call me"],
            "Phone: this value cannot be saved.",
            "Teléfono: este valor no se puede guardar.",
        ),
        (
            &["add", "person", "--phone", "555 0100"],
            "This is required.",
            "Este dato es obligatorio.",
        ),
        (
            &[
                "add",
                "pledge",
                "--title",
                "P",
                "--goal",
                "100",
                "--deadline",
                "15/04/2027",
            ],
            "YEAR-MONTH-DAY",
            "AÑO-MES-DÍA",
        ),
        (
            &[
                "add",
                "pledge",
                "--title",
                "P",
                "--goal",
                "-3",
                "--deadline",
                "2027-01-01",
            ],
            "whole number",
            "número entero",
        ),
        (
            &[
                "add",
                "person",
                "--name",
                "Ana",
                "--org",
                "org_00000000000000000000",
            ],
            "There is no such record",
            "Ese registro no existe",
        ),
        (
            &["add", "note", "--title", "T", "--attendee", &org],
            "This must be person",
            "Aquí tiene que ir un registro de tipo persona",
        ),
        (
            &["add", "org", "--name", "X", "--color", "red"],
            "There is no such field",
            "Ese campo no existe",
        ),
        (
            &["add", "spaceship", "--name", "X"],
            "is not a kind of record",
            "no es un tipo de registro",
        ),
        (
            &["show", "not-an-id"],
            "is not a record id",
            "no es un id de registro",
        ),
        (
            &["frobnicate"],
            "is not a command of aqui",
            "no es un comando de aqui",
        ),
        (&["wipe"], "needs --yes", "necesita --yes"),
        (
            &["add", "org", "--name", "Evil\u{202e}txt"],
            "hidden characters, often from pasting",
            "caracteres ocultos",
        ),
    ];
    let before = crate::util::records(&cli.vault());
    for (args, en, es) in cases {
        let err = cli.fails(args);
        assert!(err.contains(en), "{args:?}: {err}");
        let mut a = vec!["--lang", "es"];
        a.extend_from_slice(args);
        let err = cli.fails(&a);
        assert!(err.contains(es), "{args:?}: {err}");
    }
    assert!(
        before == crate::util::records(&cli.vault()),
        "no failed command changed a record"
    );
    assert_eq!(cli.json(&["list", "org"]).as_array().unwrap().len(), 1);
}

#[test]
fn no_vault_demo_twice_passwd_and_wipe() {
    let cli = Cli::new();
    let err = cli.fails(&["list", "org"]);
    assert!(
        err.contains("There is no vault") && err.contains("aqui init"),
        "{err}"
    );
    cli.ok(&["demo"]);
    let again = cli.fails(&["demo"]);
    assert!(again.contains("already has records"), "{again}");
    assert!(cli.fails(&["init"]).contains("already a vault"));

    let new_pass = cli.root.path().join("new-pass");
    std::fs::write(&new_pass, "a brand new passphrase for the chapter\n").unwrap();
    let out = cli
        .cmd(&["passwd"])
        .env("AQUI_NEW_PASSPHRASE_FILE", &new_pass)
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
    assert!(cli.fails(&["list", "org"]).contains("does not open"));
    let out = cli
        .cmd(&["--json", "list", "org"])
        .env("AQUI_PASSPHRASE_FILE", &new_pass)
        .output()
        .unwrap();
    let orgs: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(
        orgs.as_array().unwrap().len(),
        9,
        "records survive a passphrase change"
    );

    let wiped = cli.ok(&["wipe", "--yes"]);
    assert!(wiped.contains("destroyed"), "{wiped}");
    assert!(!cli.vault().exists());
    assert!(cli.fails(&["list", "org"]).contains("There is no vault"));
}

/// One passphrase rule with the app (`Passphrase::check_new`): a new
/// passphrase under 8 characters is refused, in both languages, by `init`,
/// `passwd` and an export's `--passphrase`; under 12 it is taken with a tip.
#[test]
fn a_short_new_passphrase_is_refused_in_both_languages() {
    let cli = Cli::new();
    let short = cli.root.path().join("short");
    std::fs::write(&short, "corta7!\n").unwrap();
    for (lang, vault) in [
        (
            "en",
            "That passphrase is too short to protect this vault.\nUse at least 8 characters",
        ),
        (
            "es",
            "Esa frase de contraseña es demasiado corta para proteger esta bóveda.\nUsa al menos 8 caracteres",
        ),
    ] {
        let out = cli
            .cmd(&["--lang", lang, "init"])
            .env("AQUI_PASSPHRASE_FILE", &short)
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(1));
        let msg = String::from_utf8(out.stderr).unwrap();
        assert!(msg.contains(vault), "{msg}");
        assert!(!cli.vault().exists(), "no vault is made");
    }
    // Eight characters are enough, with a tip to make it longer.
    let eight = cli.root.path().join("eight");
    std::fs::write(&eight, "ocho car\n").unwrap();
    let out = cli
        .cmd(&["init"])
        .env("AQUI_PASSPHRASE_FILE", &eight)
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
    assert!(String::from_utf8_lossy(&out.stderr).contains("Tip: a longer passphrase"));
    std::fs::remove_dir_all(cli.vault()).unwrap();

    cli.ok(&["init"]);
    for (lang, vault, file) in [
        (
            "en",
            "too short to protect this vault",
            "too short to protect the file",
        ),
        (
            "es",
            "demasiado corta para proteger esta bóveda",
            "demasiado corta para proteger el archivo",
        ),
    ] {
        let out = cli
            .cmd(&["--lang", lang, "passwd"])
            .env("AQUI_NEW_PASSPHRASE_FILE", &short)
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(1));
        let msg = String::from_utf8(out.stderr).unwrap();
        assert!(msg.contains(vault), "{msg}");
        let out = cli
            .cmd(&["--lang", lang, "backup", "--out"])
            .arg(cli.root.path().join("b.age"))
            .arg("--passphrase")
            .env("AQUI_EXPORT_PASSPHRASE_FILE", &short)
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(1));
        let msg = String::from_utf8(out.stderr).unwrap();
        assert!(msg.contains(file), "{msg}");
        assert!(!cli.root.path().join("b.age").exists());
    }
    cli.ok(&["list", "org"]);
}

#[test]
fn search_and_help_from_the_cli() {
    let cli = Cli::new();
    cli.ok(&["demo"]);
    let found = cli.json(&["search", "maria"]);
    assert!(found
        .as_array()
        .unwrap()
        .iter()
        .any(|r| r["name"] == "María Hernández"));
    assert!(found
        .as_array()
        .unwrap()
        .iter()
        .all(|r| r["id"].is_string() && r["kind"].is_string()));
    let text = cli.ok(&["--lang", "es", "search", "no", "existe", "zzzz"]);
    assert_eq!(text.trim(), "No se encontró nada.");
    let help = cli.ok(&["--help"]);
    assert!(help.contains("add KIND --FIELD VALUE"));
    let ayuda = cli.ok(&["help", "--lang", "es"]);
    assert!(ayuda.contains("borrado de emergencia"));
    // Each command has its own help, asked for either way.
    let export = cli.ok(&["export", "--help"]);
    assert!(
        export.contains("--include-sensitive") && !export.contains("passwd"),
        "{export}"
    );
    let restaurar = cli.ok(&["help", "restore", "--lang", "es"]);
    assert!(restaurar.contains("--from BÓVEDA"), "{restaurar}");
    // An option given twice is refused, not guessed (the helper gives one --vault).
    let twice = cli.fails(&["--vault", "/tmp/other", "list", "org"]);
    assert!(twice.contains("--vault was given twice"), "{twice}");
    let twice = cli.fails(&["--lang", "es", "--lang", "en", "list", "org"]);
    assert!(twice.contains("--lang"), "{twice}");
}

#[test]
fn demo_without_a_folder_is_the_apps_sample_in_its_language() {
    let cli = Cli::new();
    let data = cli.tmp().join("data");
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_aqui"))
        .args(["--lang", "es", "demo"])
        .env_remove("AQUI_VAULT")
        .env_remove("AQUI_PASSPHRASE")
        .env_remove("AQUI_PASSPHRASE_FILE")
        .env("HOME", cli.tmp())
        .env("XDG_DATA_HOME", &data)
        .env("LANG", "C")
        .stdin(std::process::Stdio::null())
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
    let said = String::from_utf8_lossy(&out.stdout);
    assert!(said.contains("“sección de ejemplo”"), "{said}");
    // The app opens it as its Spanish sample chapter, asking nothing.
    let dirs = aqui::app::Dirs::beside(&data.join("aqui-estamos").join("vault"));
    let mut app = aqui::app::Session::new(dirs);
    app.set_lang(aqui::Lang::Es).unwrap();
    assert!(app.open_demo().unwrap().demo);
}

/// The commands the README's "The command line" section names: the first word
/// of each command in its synopsis block (commands there are separated by
/// ` · `), and every `aqui WORD` in its prose.
fn readme_commands() -> std::collections::BTreeSet<String> {
    let readme = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md"))
        .expect("README.md");
    let start = readme
        .find("\n## The command line\n")
        .expect("a section \"The command line\"");
    let section = &readme[start + 1..];
    let section = &section[..section[3..].find("\n## ").map_or(section.len(), |e| e + 3)];
    let mut commands = std::collections::BTreeSet::new();
    let mut in_block = false;
    for line in section.lines() {
        if line.starts_with("```") {
            in_block = !in_block;
            continue;
        }
        if in_block && !line.starts_with(' ') && !line.starts_with("aqui ") {
            for part in line.split(" · ") {
                // A placeholder (`COMMAND --help`) is not a command.
                if let Some(w) = part
                    .split_whitespace()
                    .next()
                    .filter(|w| w.starts_with(|c: char| c.is_ascii_lowercase()))
                {
                    commands.insert(w.to_string());
                }
            }
        }
    }
    for (i, _) in section.match_indices("aqui ") {
        let word: String = section[i + 5..]
            .chars()
            .take_while(|c| c.is_ascii_lowercase() || *c == '-')
            .collect();
        if !word.is_empty() {
            commands.insert(word);
        }
    }
    commands
}

#[test]
fn every_command_in_the_readme_has_help_in_both_languages() {
    let commands = readme_commands();
    // The section really was read: the contracts' commands are all there.
    for must in [
        "init",
        "add",
        "consent",
        "report",
        "retention",
        "purge",
        "hold",
        "csv",
        "pledge",
        "steward",
        "export",
        "import",
        "log",
        "backup",
        "restore",
        "help",
        "wipe",
    ] {
        assert!(commands.contains(must), "{must} not found in {commands:?}");
    }
    let cli = Cli::new();
    for lang in ["en", "es"] {
        let general = cli.ok(&["help", "--lang", lang]);
        for command in &commands {
            assert!(
                general.contains(&format!("  {command} "))
                    || general.contains(&format!("  {command}\n")),
                "the general help ({lang}) does not list {command}"
            );
            let topic = cli.ok(&["help", command, "--lang", lang]);
            assert_ne!(topic, general, "no help of its own for {command} ({lang})");
            assert!(
                topic.contains(&format!("aqui {command}")),
                "help for {command} ({lang}): {topic}"
            );
            let asked = cli.ok(&["--lang", lang, command, "--help"]);
            assert_eq!(asked, topic, "{command} --help ({lang})");
        }
    }
    // The help is in the language asked for.
    assert!(cli.ok(&["help", "purge", "--lang", "es"]).contains("Borra"));
    assert!(cli
        .ok(&["help", "purge", "--lang", "en"])
        .contains("Removes"));
}
