//! The handoff part of the CLI contract, through the real binary: identity,
//! stewards, export, import with preview, conflicts, resolve, backup,
//! restore, log — in English and Spanish, with exit codes 0 and 1.

use crate::util::{records, Cli};
use serde_json::Value;

fn line_with<'a>(text: &'a str, needle: &str) -> &'a str {
    text.lines()
        .find(|l| l.contains(needle))
        .unwrap_or_else(|| panic!("no line with {needle:?} in {text}"))
}

/// Two people's laptops, each with a vault; B knows A's card and A knows B's.
fn pair() -> (Cli, Cli) {
    let (a, b) = (Cli::new(), Cli::new());
    a.ok(&["init"]);
    b.ok(&["init"]);
    b.ok(&["identity", "--name", "Beto"]);
    let card_a = a.ok(&["identity", "--card"]);
    let card_b = b.ok(&["identity", "--card"]);
    assert!(card_b.trim().ends_with(":Beto"), "{card_b}");
    a.ok(&["steward", "add", "--name", "Beto", "--card", card_b.trim()]);
    b.ok(&["steward", "add", "--name", "Ana", "--card", card_a.trim()]);
    (a, b)
}

fn file(cli: &Cli, name: &str) -> String {
    cli.root.path().join(name).display().to_string()
}

#[test]
fn identity_stewards_export_import_conflicts_and_log() {
    let (a, b) = pair();
    // identity: the age key and a fingerprint; --json adds the signing key.
    let text = a.ok(&["identity"]);
    let key = line_with(&text, "age1").split_whitespace().last().unwrap();
    assert!(key.starts_with("age1") && key.len() == 62, "{text}");
    let id: Value = a.json(&["identity"]);
    assert_eq!(id["age"], key);
    assert_eq!(id["signing_key"].as_str().unwrap().len(), 64);
    let fingerprint = id["fingerprint"].as_str().unwrap().to_string();
    assert!(text.contains(&fingerprint));

    // steward list / verify, and a bare age key for someone using plain age.
    let list = b.ok(&["steward", "list"]);
    assert!(line_with(&list, "Ana").contains("not verified"), "{list}");
    let wrong = b.fails(&["steward", "verify", "Ana", "--fingerprint", "0000 1111"]);
    assert!(wrong.contains("does not match"), "{wrong}");
    b.ok(&["steward", "verify", "Ana", "--fingerprint", &fingerprint]);
    let list = b.json(&["steward", "list"]);
    assert_eq!(list[0]["verified"], true);
    let plain = age::x25519::Identity::generate();
    let plain_key = plain.to_public().to_string();
    a.ok(&["steward", "add", "--name", "Rage user", "--key", &plain_key]);
    assert!(a.ok(&["steward", "list"]).contains("key only"));
    let bad = a.fails(&["steward", "add", "--name", "X", "--key", "age1nope"]);
    assert!(bad.contains("isn’t a steward key"), "{bad}");

    // Records on A, one of them sensitive.
    let org = a
        .ok(&["add", "org", "--name", "Centro Obrero"])
        .trim()
        .to_string();
    let camp = a.ok(&["add", "campaign", "--name", "End 287(g)", "--partner", &org]);
    let camp = camp.trim().to_string();
    let maria = a.ok(&[
        "add",
        "person",
        "--name",
        "María Pérez",
        "--org",
        &org,
        "--share",
        "yes",
    ]);
    let maria = maria.trim().to_string();
    let quiet = a.ok(&["add", "person", "--name", "Quiet One", "--sensitive"]);
    let quiet = quiet.trim().to_string();
    a.ok(&[
        "add",
        "pledge",
        "--title",
        "Pledge",
        "--goal",
        "10",
        "--deadline",
        "2027-01-01",
        "--signer",
        &maria,
        "--campaign",
        &camp,
    ]);

    // export to two recipients at once: a steward by name and a bare key.
    let out = file(&a, "all.age");
    let said = a.ok(&[
        "export", "--to", "Beto", "--to", &plain_key, "--all", "--out", &out,
    ]);
    assert!(said.contains("Left out: 1 sensitive"), "{said}");
    assert!(said.contains("Beto") && said.contains(&out), "{said}");
    // The bare-key recipient opens it with the age crate alone.
    let d = age::Decryptor::new(std::fs::File::open(&out).unwrap()).unwrap();
    let mut r = d
        .decrypt(std::iter::once(&plain as &dyn age::Identity))
        .unwrap();
    let mut text = String::new();
    std::io::Read::read_to_string(&mut r, &mut text).unwrap();
    assert!(text.contains("María Pérez") && !text.contains("Quiet One"));

    // import --dry-run: the preview, nothing changes; --json for machines.
    let before = records(&b.vault());
    let preview = b.ok(&["import", &out, "--dry-run"]);
    assert!(preview.contains("Ana, a verified steward"), "{preview}");
    assert!(preview.contains("4 new"), "{preview}");
    assert_eq!(records(&b.vault()), before);
    let j = b.json(&["import", &out, "--dry-run"]);
    assert_eq!(j["applied"], false);
    assert_eq!(j["preview"]["total"]["new"], 4);
    assert_eq!(j["preview"]["excluded"]["sensitive"], 1);
    assert_eq!(j["preview"]["sender"]["trust"], "verified");
    let es = b.ok(&["--lang", "es", "import", &out, "--dry-run"]);
    assert!(
        es.contains("persona custodia verificada") && es.contains("No se cambió nada"),
        "{es}"
    );
    b.ok(&["import", &out]);
    assert_eq!(b.json(&["show", &maria])["name"], "María Pérez");
    assert!(b.fails(&["show", &quiet]).contains("no record"));
    // Again: nothing new.
    assert!(b
        .ok(&["import", &out])
        .contains("0 new, 0 updated, 0 deleted, 4 unchanged"));

    // Concurrent edits → a conflict, resolved field by field.
    a.ok(&["edit", &maria, "--phone", "555-111-2222", "--alias", "Mari"]);
    b.ok(&["edit", &maria, "--phone", "555-999-0000", "--alias", "Meri"]);
    let out2 = file(&a, "maria.age");
    a.ok(&[
        "export", "--to", "Beto", "--id", &maria, &org, "--out", &out2,
    ]);
    assert!(b.ok(&["import", &out2]).contains("1 in conflict"));
    let c = b.ok(&["conflicts"]);
    assert!(line_with(&c, "Phone").contains("555-111-2222"), "{c}");
    let cj = b.json(&["conflicts"]);
    assert_eq!(cj[0]["id"], maria.as_str());
    let bad = b.fails(&["resolve", &maria, "--take", "nonsense=theirs"]);
    assert!(bad.contains("cannot be chosen"), "{bad}");
    b.ok(&["resolve", &maria, "--take", "phone=theirs", "alias=mine"]);
    let m = b.json(&["show", &maria]);
    assert_eq!(
        (m["phone"].as_str(), m["alias"].as_str()),
        (Some("555-111-2222"), Some("Meri"))
    );
    assert!(b.ok(&["conflicts"]).contains("No conflicts"));
    assert!(b
        .fails(&["resolve", &maria, "--take", "mine"])
        .contains("no conflict"));

    // The campaign export carries what it links to; --include-sensitive adds Quiet One.
    let c3 = Cli::new();
    c3.ok(&["init"]);
    let k3 = c3.json(&["identity"])["age"].as_str().unwrap().to_string();
    let out3 = file(&a, "camp.age");
    a.ok(&["export", "--to", &k3, "--campaign", &camp, "--out", &out3]);
    // C3 does not know Ana: refused (exit 1, nothing changed) until the
    // warnings are accepted.
    let refused = c3.fails(&["import", &out3]);
    assert!(refused.contains("not in your stewards"), "{refused}");
    assert!(c3.json(&["list", "person"]).as_array().unwrap().is_empty());
    c3.ok(&["import", &out3, "--accept-warnings"]);
    let names: Vec<String> = c3
        .json(&["list", "person"])
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["name"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(names, ["María Pérez"]);
    assert_eq!(c3.json(&["list", "org"])[0]["name"], "Centro Obrero");
    let out4 = file(&a, "everyone.age");
    let said = a.ok(&[
        "export",
        "--to",
        &k3,
        "--all",
        "--include-sensitive",
        "--out",
        &out4,
    ]);
    assert!(said.contains("Sensitive people"), "{said}");
    let pj = c3.json(&["import", &out4, "--accept-warnings"]);
    assert_eq!(pj["preview"]["sensitive_included"], true);
    assert_eq!(c3.json(&["show", &quiet])["name"], "Quiet One");

    // The audit log, newest first, in both languages.
    let log = a.ok(&["log"]);
    assert!(
        line_with(&log, "sensitive people included").contains("Export"),
        "{log}"
    );
    assert!(log.contains("1 person left out"), "{log}");
    let log_es = a.ok(&["--lang", "es", "log"]);
    assert!(
        log_es.contains("Exportación")
            && log_es.contains("con personas marcadas como confidenciales")
    );
    let lb = b.json(&["log"]);
    assert_eq!(lb[0]["entry"]["action"], "import");
    assert_eq!(lb[0]["entry"]["peers"][0]["name"], "Ana");
}

#[test]
fn passphrase_exports_backups_and_bad_files() {
    let (a, b) = pair();
    let person = a
        .ok(&["add", "person", "--name", "Rosa Díaz", "--share", "yes"])
        .trim()
        .to_string();
    let pw = a.root.path().join("file-pass");
    std::fs::write(&pw, "words for the file\n").unwrap();
    let out = file(&a, "pw.age");
    let said = a
        .cmd(&["export", "--passphrase", "--all", "--out", &out])
        .env("AQUI_EXPORT_PASSPHRASE_FILE", &pw)
        .output()
        .unwrap();
    assert!(said.status.success(), "{said:?}");
    // Without the file's passphrase (and no terminal to ask): a clear refusal.
    let before = records(&b.vault());
    let no = b.fails(&["import", &out]);
    assert!(no.contains("No passphrase"), "{no}");
    let wrong = b.root.path().join("wrong");
    std::fs::write(&wrong, "not the words\n").unwrap();
    let r = b
        .cmd(&["--lang", "es", "import", &out])
        .env("AQUI_EXPORT_PASSPHRASE_FILE", &wrong)
        .output()
        .unwrap();
    assert_eq!(r.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&r.stderr).contains("no abre este archivo"));
    assert_eq!(
        records(&b.vault()),
        before,
        "refused files change no record"
    );
    let r = b
        .cmd(&["import", &out])
        .env("AQUI_EXPORT_PASSPHRASE_FILE", &pw)
        .output()
        .unwrap();
    assert!(r.status.success(), "{r:?}");
    assert_eq!(b.json(&["show", &person])["name"], "Rosa Díaz");

    // Not an age file; a file for someone else; a missing file.
    let junk = file(&b, "junk.age");
    std::fs::write(&junk, "hello").unwrap();
    let before = records(&b.vault());
    assert!(b.fails(&["import", &junk]).contains("isn’t a handoff from"));
    let other = Cli::new();
    other.ok(&["init"]);
    let k = other.json(&["identity"])["age"]
        .as_str()
        .unwrap()
        .to_string();
    let theirs = file(&a, "theirs.age");
    a.ok(&["export", "--to", &k, "--all", "--out", &theirs]);
    assert!(b
        .fails(&["--lang", "es", "import", &theirs])
        .contains("no fue cifrado para esta bóveda"));
    assert!(b
        .fails(&["import", &file(&b, "nope.age")])
        .contains("cannot be opened"));
    assert_eq!(records(&b.vault()), before);
    // Usage mistakes are named.
    assert!(a
        .fails(&["export", "--all", "--out", "x.age"])
        .contains("who receives"));
    assert!(a
        .fails(&["export", "--to", "Beto", "--out", "x.age"])
        .contains("what to export"));
    assert!(a
        .fails(&["export", "--to", "Nobody", "--all", "--out", "x.age"])
        .contains("no steward"));

    // Backup to the vault's own key, restore into a new folder.
    let bk = file(&a, "backup.age");
    a.ok(&["backup", "--out", &bk]);
    // (Into another Cli's folder: --vault is given once, and twice is refused.)
    let into = Cli::new();
    let from = a.vault().display().to_string();
    let r = into
        .cmd(&["restore", &bk, "--from", &from])
        .output()
        .unwrap();
    assert!(r.status.success(), "{r:?}");
    assert!(String::from_utf8_lossy(&r.stdout).contains("Restored"));
    assert_eq!(records(&into.vault()), records(&a.vault()));
    // Without --from, and no vault in the usual place: it says which it needs.
    let lost = Cli::new();
    let r = lost
        .cmd(&["restore", &bk])
        .env("HOME", lost.tmp())
        .env("XDG_DATA_HOME", lost.tmp())
        .output()
        .unwrap();
    assert_eq!(r.status.code(), Some(1), "{r:?}");
    let said = String::from_utf8_lossy(&r.stderr);
    assert!(
        said.contains("the vault it was made from") && said.contains("--from FOLDER"),
        "{said}"
    );
    assert!(!lost.vault().exists(), "nothing was made");
    // A backup to a passphrase restores with nothing but the passphrase.
    let bk2 = file(&a, "backup-pw.age");
    let r = a
        .cmd(&["backup", "--passphrase", "--out", &bk2])
        .env("AQUI_EXPORT_PASSPHRASE_FILE", &pw)
        .output()
        .unwrap();
    assert!(r.status.success(), "{r:?}");
    let elsewhere = Cli::new();
    let r = elsewhere
        .cmd(&["restore", &bk2])
        .env("AQUI_EXPORT_PASSPHRASE_FILE", &pw)
        .output()
        .unwrap();
    assert!(r.status.success(), "{r:?}");
    assert_eq!(elsewhere.json(&["show", &person])["name"], "Rosa Díaz");
    assert_eq!(
        elsewhere.json(&["identity"])["age"],
        a.json(&["identity"])["age"],
        "the steward identity comes along"
    );
    // A handoff is not a backup, and a backup is not a handoff.
    assert!(elsewhere.fails(&["import", &bk]).contains("backup"));
    let log = a.ok(&["log"]);
    assert!(
        log.contains("Backup") && log.contains("with a passphrase"),
        "{log}"
    );
}

/// A file signed with a fresh key whose sender name carries a terminal
/// escape and a bidi override, with one new person, encrypted to `to`.
fn hostile_file(to: &Cli, path: &str) {
    use aqui::handoff::bundle::{self, Excluded, Header, Purpose, Sender};
    let recipient = {
        let v = aqui::Vault::unlock(&to.vault(), &crate::util::pass(crate::util::PASS)).unwrap();
        v.keys().public()
    };
    let forger = aqui::identity::Keys::generate();
    let header = Header {
        aqui_bundle: bundle::VERSION,
        purpose: Purpose::Handoff,
        created: chrono::Utc::now(),
        sender: Sender {
            name: "\u{1b}[2J\u{1b}[31mAna\u{202E}".into(),
            keys: forger.public(),
        },
        device: "forger".into(),
        recipients: vec![recipient.fingerprint()],
        records: 1,
        counts: Default::default(),
        sensitive_included: false,
        excluded: Excluded::default(),
    };
    let r = recipient.recipient().unwrap();
    let enc = age::Encryptor::with_recipients(std::iter::once(&r as &dyn age::Recipient)).unwrap();
    let out = enc
        .wrap_output(std::fs::File::create(path).unwrap())
        .unwrap();
    let mut w = bundle::Writer::start(out, &header).unwrap();
    let now = chrono::Utc::now();
    let entry = aqui::vault::Entry {
        meta: aqui::vault::Meta {
            created: now,
            updated: now,
            clock: aqui::vault::Clock::from_iter([("forger".to_string(), 1)]),
        },
        record: Some(crate::util::rec(aqui::Kind::Person, &[("name", "Planted")])),
    };
    w.entry(&aqui::Id::new(aqui::Kind::Person), &entry).unwrap();
    w.finish(&forger).unwrap().finish().unwrap();
}

#[test]
fn trust_gates_revoke_replace_and_the_log_by_steward() {
    let (a, b) = pair();
    a.ok(&["add", "person", "--name", "Rosa Díaz"]);
    // A hostile file: the dry run shows its warnings, with no raw control
    // character; importing it is refused (exit 1, nothing changed) unless
    // the warnings are accepted.
    let evil = file(&b, "evil.age");
    hostile_file(&b, &evil);
    let raw = b.run(&["import", &evil, "--dry-run"]);
    assert!(raw.status.success(), "{raw:?}");
    assert!(
        !raw.stdout.contains(&0x1b),
        "no escape reaches the terminal"
    );
    let dry = String::from_utf8(raw.stdout).unwrap();
    assert!(!dry.contains('\u{202E}') && !dry.contains("Ana"), "{dry}");
    assert!(
        dry.contains("not in your stewards") && dry.contains("--accept-warnings"),
        "{dry}"
    );
    let before = records(&b.vault());
    let no = b.fails(&["import", &evil]);
    assert!(
        no.contains("Nothing was imported") && no.contains("hidden or control"),
        "{no}"
    );
    let es = b.fails(&["--lang", "es", "import", &evil]);
    assert!(
        es.contains("No se importó nada") && es.contains("--accept-warnings"),
        "{es}"
    );
    assert_eq!(records(&b.vault()), before);
    b.ok(&["import", &evil, "--accept-warnings"]);
    assert_eq!(records(&b.vault()).len(), before.len() + 1);

    // A sends to Beto (a note naming a left-out person is pointed out); then
    // Beto's laptop is seized.
    a.ok(&["add", "person", "--name", "Quiet Witness", "--sensitive"]);
    a.ok(&[
        "add",
        "note",
        "--title",
        "Raid",
        "--body",
        "Quiet Witness saw it.",
    ]);
    let out = file(&a, "1.age");
    let said = a.ok(&["export", "--to", "Beto", "--all", "--out", &out]);
    assert!(
        said.contains("mentions a left-out person") && said.contains("“Raid”"),
        "{said}"
    );
    a.ok(&["steward", "revoke", "Beto", "--reason", "laptop seized"]);
    let list = a.ok(&["steward", "list"]);
    assert!(
        line_with(&list, "Beto").contains("revoked") && list.contains("laptop seized"),
        "{list}"
    );
    let es = a.ok(&["--lang", "es", "steward", "list"]);
    assert!(es.contains("revocado/a"), "{es}");
    let no = a.fails(&[
        "export",
        "--to",
        "Beto",
        "--all",
        "--out",
        &file(&a, "2.age"),
    ]);
    assert!(no.contains("revoked"), "{no}");
    assert!(!a.root.path().join("2.age").exists());
    // Their files are refused.
    let from_b = file(&b, "back.age");
    b.ok(&["export", "--to", "Ana", "--all", "--out", &from_b]);
    let no = a.fails(&["import", &from_b, "--accept-warnings"]);
    assert!(no.contains("revoked"), "{no}");
    // What was ever sent to or received from them.
    let log = a.ok(&["log", "--steward", "Beto"]);
    assert_eq!(log.lines().count(), 1, "{log}");
    assert!(log.contains("Export"), "{log}");
    assert!(a.fails(&["log", "--steward", "Nobody"]).contains("Nobody"));

    // A new key for the same name: refused, showing both fingerprints,
    // unless --replace.
    let c = Cli::new();
    c.ok(&["init"]);
    let card_c = c.ok(&["identity", "--card"]);
    let no = a.fails(&["steward", "add", "--name", "Beto", "--card", card_c.trim()]);
    assert!(no.contains("--replace"), "{no}");
    let said = a.ok(&[
        "steward",
        "add",
        "--name",
        "Beto",
        "--card",
        card_c.trim(),
        "--replace",
    ]);
    assert!(said.contains("old fingerprint"), "{said}");
    assert!(!line_with(&a.ok(&["steward", "list"]), "Beto").contains("revoked"));
}

#[test]
fn a_backup_from_a_read_only_vault_is_refused_and_the_old_backup_stays() {
    let a = Cli::new();
    a.ok(&["init"]);
    a.ok(&["add", "person", "--name", "Ana Solís"]);
    let bk = file(&a, "weekly.age");
    a.ok(&["backup", "--out", &bk]);
    let before = std::fs::read(&bk).unwrap();
    {
        // Something changed behind the vault's back: it opens read-only.
        let db = sled::open(a.vault().join("store")).unwrap();
        db.open_tree("aux").unwrap().remove("keys").unwrap();
        db.flush().unwrap();
    }
    let err = a.fails(&["backup", "--out", &bk]);
    assert!(err.contains("read-only"), "{err}");
    let err = a.fails(&["--lang", "es", "backup", "--out", &bk]);
    assert!(err.contains("solo para lectura"), "{err}");
    assert_eq!(std::fs::read(&bk).unwrap(), before);
}
