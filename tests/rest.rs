//! What rests on disk (issue 10): re-keying changes the key for real, the
//! manifest notices records and log entries rolled back, removed or added,
//! vaults of format 2 migrate to format 3 (no steward name in any file), the
//! header is authenticated whole, and the binaries allow no core dumps.

use crate::util::{fast_kdf, new_vault, pass, rec, Cli, PASS};
use aqui::vault::{Error, Finding};
use aqui::{handoff, Kind, Vault};
use std::path::{Path, PathBuf};

fn store_of(dir: &Path) -> PathBuf {
    let h: serde_json::Value =
        serde_json::from_slice(&std::fs::read(dir.join("key.json")).unwrap()).unwrap();
    dir.join(h["store"].as_str().unwrap())
}

/// sled's own handle on a closed vault's store: its lock can outlive the
/// vault by a moment (sled's flusher thread lets go of it last).
fn sled_open(path: &Path) -> sled::Db {
    let start = std::time::Instant::now();
    loop {
        match sled::open(path) {
            Ok(db) => return db,
            Err(_) if start.elapsed() < std::time::Duration::from_secs(20) => {
                std::thread::sleep(std::time::Duration::from_millis(50));
            }
            Err(e) => panic!("{e}"),
        }
    }
}

fn people(v: &mut Vault, n: usize) -> Vec<aqui::Id> {
    (0..n)
        .map(|i| {
            v.add(rec(Kind::Person, &[("name", &format!("Persona {i}"))]))
                .unwrap()
        })
        .collect()
}

#[test]
fn after_a_rekey_the_old_header_and_old_passphrase_open_nothing() {
    let (tmp, mut v) = new_vault();
    let ids = people(&mut v, 30);
    let dir = tmp.path().join("vault");
    let old_header = std::fs::read(dir.join("key.json")).unwrap();
    let old_store = store_of(&dir);
    v.change_passphrase(&pass("a new passphrase"), fast_kdf())
        .unwrap();
    drop(v);
    let new_store = store_of(&dir);
    assert_ne!(old_store, new_store, "a re-key writes a new store");
    assert!(!old_store.exists(), "the old store is removed");
    assert!(!dir.join("key.json.old").exists());

    // The new passphrase opens everything; the old one does not.
    let v = Vault::unlock(&dir, &pass("a new passphrase")).unwrap();
    assert!(v.findings().is_empty(), "{:?}", v.findings());
    assert!(ids.iter().all(|id| v.get(id).is_ok()));
    drop(v);
    assert!(matches!(
        Vault::unlock(&dir, &pass(PASS)),
        Err(Error::WrongPassphrase)
    ));

    // The old header put back, with the old passphrase: its store is gone.
    let new_header = std::fs::read(dir.join("key.json")).unwrap();
    std::fs::write(dir.join("key.json"), &old_header).unwrap();
    assert!(Vault::unlock(&dir, &pass(PASS)).is_err());
    // Even with the new store moved to where the old header looks: the old
    // data key opens none of it.
    std::fs::rename(&new_store, &old_store).unwrap();
    match Vault::unlock(&dir, &pass(PASS)) {
        Err(_) => {}
        Ok(v) => {
            assert_eq!(v.counts().values().sum::<usize>(), 0);
            assert!(ids.iter().all(|id| v.get(id).is_err()));
            assert!(v.read_only());
        }
    }
    drop(new_header);
}

#[test]
fn rekey_with_the_same_passphrase_keeps_everything_and_changes_the_key() {
    let (tmp, mut v) = new_vault();
    let ids = people(&mut v, 5);
    let dir = tmp.path().join("vault");
    let before = std::fs::read(dir.join("key.json")).unwrap();
    v.rekey(&pass(PASS)).unwrap();
    // Still writable afterwards, into the new store.
    let more = v.add(rec(Kind::Org, &[("name", "Centro")])).unwrap();
    drop(v);
    assert_ne!(before, std::fs::read(dir.join("key.json")).unwrap());
    let v = Vault::unlock(&dir, &pass(PASS)).unwrap();
    assert!(v.findings().is_empty());
    assert!(ids.iter().chain([&more]).all(|id| v.get(id).is_ok()));
}

#[test]
fn a_record_rolled_back_or_removed_is_found_and_the_vault_is_read_only() {
    let (tmp, mut v) = new_vault();
    let ids = people(&mut v, 10);
    let dir = tmp.path().join("vault");
    let store = store_of(&dir);
    drop(v);
    // An older sealed copy of a record, kept from before it was marked
    // sensitive.
    let old_copy = {
        let db = sled_open(&store);
        let t = db.open_tree("records").unwrap();
        t.get(ids[2].as_str()).unwrap().unwrap().to_vec()
    };
    let mut v = Vault::unlock(&dir, &pass(PASS)).unwrap();
    v.edit(&ids[2], &[("sensitive".into(), "yes".into())])
        .unwrap();
    drop(v);
    {
        let db = sled_open(&store);
        let t = db.open_tree("records").unwrap();
        t.insert(ids[2].as_str(), old_copy).unwrap();
        db.flush().unwrap();
    }
    let mut v = Vault::unlock(&dir, &pass(PASS)).unwrap();
    assert_eq!(v.findings(), [Finding::RecordsReplaced]);
    assert!(v.read_only());
    // Everything can be read; nothing can be written.
    assert!(v.get(&ids[2]).is_ok());
    assert!(matches!(
        v.add(rec(Kind::Org, &[("name", "X")])),
        Err(Error::ReadOnly)
    ));
    assert!(matches!(v.rekey(&pass(PASS)), Err(Error::ReadOnly)));
    let msg = aqui::error::findings_message(v.findings(), aqui::Lang::Es);
    assert!(msg.contains("solo para lectura"), "{msg}");
    assert!(msg.contains("copia anterior"), "{msg}");
    drop(v);

    // A record removed.
    let (tmp, mut v) = new_vault();
    let ids = people(&mut v, 10);
    let dir = tmp.path().join("vault");
    drop(v);
    {
        let db = sled_open(&store_of(&dir));
        db.open_tree("records")
            .unwrap()
            .remove(ids[4].as_str())
            .unwrap();
        db.flush().unwrap();
    }
    let v = Vault::unlock(&dir, &pass(PASS)).unwrap();
    assert_eq!(v.findings(), [Finding::RecordsRemoved(1)]);
    let msg = aqui::error::findings_message(v.findings(), aqui::Lang::En);
    assert!(msg.contains("one record was removed"), "{msg}");

    // A record added: a sealed copy of another record under a new id
    // cannot open, and is counted too.
    drop(v);
    {
        let db = sled_open(&store_of(&dir));
        let t = db.open_tree("records").unwrap();
        let copy = t.get(ids[5].as_str()).unwrap().unwrap();
        t.insert(aqui::Id::new(Kind::Person).as_str(), copy)
            .unwrap();
        db.flush().unwrap();
    }
    let v = Vault::unlock(&dir, &pass(PASS)).unwrap();
    assert!(v.read_only());
}

#[test]
fn an_audit_log_entry_removed_or_rolled_back_is_found() {
    let tmp = tempfile::TempDir::new().unwrap();
    let mut a = Vault::create(&tmp.path().join("a"), &pass(PASS), fast_kdf()).unwrap();
    let b = Vault::create(&tmp.path().join("b"), &pass(PASS), fast_kdf()).unwrap();
    handoff::add_steward(&mut a, "Beto", handoff::StewardKey::Card(&b.keys().card())).unwrap();
    a.add(rec(Kind::Org, &[("name", "Centro")])).unwrap();
    for i in 0..3 {
        let plan = handoff::select(&a, &handoff::Selection::All, false).unwrap();
        let to = ["Beto".to_string()];
        handoff::export(
            &mut a,
            plan,
            &handoff::To::Stewards(&to),
            &tmp.path().join(format!("{i}.age")),
        )
        .unwrap();
    }
    assert_eq!(a.log().len(), 3);
    let dir = tmp.path().join("a");
    drop(a);
    let store = store_of(&dir);
    {
        let db = sled_open(&store);
        db.open_tree("aux")
            .unwrap()
            .remove("log/000000000001")
            .unwrap();
        db.flush().unwrap();
    }
    let v = Vault::unlock(&dir, &pass(PASS)).unwrap();
    assert!(v.findings().contains(&Finding::AuxChanged));
    assert!(v.findings().contains(&Finding::LogBroken));
    assert_eq!(v.log().len(), 2);
}

#[test]
fn the_audit_log_is_numbered_from_its_highest_entry() {
    // A log entry lost (say, to damage) must not let the next one overwrite
    // the newest: entries are numbered from the highest key, not counted.
    let tmp = tempfile::TempDir::new().unwrap();
    let mut a = Vault::create(&tmp.path().join("a"), &pass(PASS), fast_kdf()).unwrap();
    let b = Vault::create(&tmp.path().join("b"), &pass(PASS), fast_kdf()).unwrap();
    handoff::add_steward(&mut a, "Beto", handoff::StewardKey::Card(&b.keys().card())).unwrap();
    for i in 0..2 {
        let plan = handoff::select(&a, &handoff::Selection::All, false).unwrap();
        let to = ["Beto".to_string()];
        handoff::export(
            &mut a,
            plan,
            &handoff::To::Stewards(&to),
            &tmp.path().join(format!("{i}.age")),
        )
        .unwrap();
    }
    let dir = tmp.path().join("a");
    drop(a);
    let keys: Vec<String> = {
        let db = sled_open(&store_of(&dir));
        db.open_tree("aux")
            .unwrap()
            .iter()
            .keys()
            .map(|k| String::from_utf8(k.unwrap().to_vec()).unwrap())
            .filter(|k| k.starts_with("log/"))
            .collect()
    };
    assert_eq!(keys, ["log/000000000000", "log/000000000001"]);
}

#[test]
fn a_header_field_changed_makes_the_key_not_open() {
    let (tmp, v) = new_vault();
    drop(v);
    let dir = tmp.path().join("vault");
    let good = std::fs::read(dir.join("key.json")).unwrap();
    let header: serde_json::Value = serde_json::from_slice(&good).unwrap();
    for (field, value) in [
        ("device", serde_json::json!("0011223344556677")),
        (
            "vault_id",
            serde_json::json!("00112233445566778899aabbccddeeff"),
        ),
        ("created", serde_json::json!("2020-01-01T00:00:00Z")),
    ] {
        let mut h = header.clone();
        h[field] = value;
        std::fs::write(dir.join("key.json"), serde_json::to_vec(&h).unwrap()).unwrap();
        assert!(
            matches!(
                Vault::unlock(&dir, &pass(PASS)),
                Err(Error::WrongPassphrase)
            ),
            "{field} changed"
        );
    }
    let mut h = header.clone();
    h["key"]["kdf"]["t"] = serde_json::json!(2);
    std::fs::write(dir.join("key.json"), serde_json::to_vec(&h).unwrap()).unwrap();
    assert!(Vault::unlock(&dir, &pass(PASS)).is_err());
    // A store folder the app never writes is refused outright.
    let mut h = header.clone();
    h["store"] = serde_json::json!("../elsewhere");
    std::fs::write(dir.join("key.json"), serde_json::to_vec(&h).unwrap()).unwrap();
    assert!(Vault::unlock(&dir, &pass(PASS)).is_err());
    std::fs::write(dir.join("key.json"), &good).unwrap();
    assert!(Vault::unlock(&dir, &pass(PASS)).is_ok());
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap() {
        let e = e.unwrap();
        let target = to.join(e.file_name());
        if e.file_type().unwrap().is_dir() {
            copy_dir(&e.path(), &target);
        } else {
            std::fs::copy(e.path(), &target).unwrap();
        }
    }
}

#[test]
fn a_format_2_vault_migrates_to_format_3_and_its_old_header_opens_nothing() {
    let frozen = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/frozen/format2/vault-a");
    let tmp = tempfile::TempDir::new().unwrap();
    let dir = tmp.path().join("vault");
    copy_dir(&frozen, &dir);
    let contains = |dir: &Path, needle: &[u8]| {
        crate::util::walk(dir)
            .iter()
            .any(|f| crate::util::contains(&std::fs::read(f).unwrap(), needle))
    };
    // Format 2 filed stewards under their names.
    assert!(contains(&dir, b"steward/beto"));
    let old_header = std::fs::read(dir.join("key.json")).unwrap();
    let pass_a = pass("frozen fixture vault A");
    let v = Vault::unlock(&dir, &pass_a).unwrap();
    assert!(v.findings().is_empty(), "{:?}", v.findings());
    assert_eq!(v.counts().values().sum::<usize>(), 27);
    assert!(v.steward("Beto").is_some());
    assert_eq!(v.log().len(), 3);
    drop(v);
    let header: serde_json::Value =
        serde_json::from_slice(&std::fs::read(dir.join("key.json")).unwrap()).unwrap();
    assert_eq!(header["format"], 3);
    assert!(!dir.join("store").exists(), "the format 2 store is gone");
    assert!(!contains(&dir, b"beto") && !contains(&dir, b"Beto"));
    // Opens again, unchanged, and takes writes.
    let mut v = Vault::unlock(&dir, &pass_a).unwrap();
    assert!(v.findings().is_empty());
    v.add(rec(Kind::Org, &[("name", "Nueva")])).unwrap();
    drop(v);
    // The format 2 header, with its passphrase, opens nothing any more.
    std::fs::write(dir.join("key.json"), &old_header).unwrap();
    assert!(Vault::unlock(&dir, &pass_a).is_err());
}

/// The CLI's core-file limit, read from /proc while it waits for its
/// passphrase on a FIFO.
#[cfg(target_os = "linux")]
#[test]
fn the_cli_runs_with_no_core_dumps() {
    let cli = Cli::new();
    cli.ok(&["init"]);
    let fifo = cli.root.path().join("fifo");
    let status = std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .unwrap();
    assert!(status.success());
    let mut child = cli
        .cmd(&["list", "person"])
        .env("AQUI_PASSPHRASE_FILE", &fifo)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    // Give it time to start and block on the FIFO.
    std::thread::sleep(std::time::Duration::from_millis(300));
    let limits = std::fs::read_to_string(format!("/proc/{}/limits", child.id())).unwrap();
    // Unblock it, and let it finish.
    std::fs::write(&fifo, format!("{PASS}\n")).unwrap();
    let _ = child.wait();
    let core = limits
        .lines()
        .find(|l| l.starts_with("Max core file size"))
        .unwrap();
    assert_eq!(
        core.split_whitespace().skip(4).take(2).collect::<Vec<_>>(),
        ["0", "0"],
        "{core}"
    );
}

const HARDEN_CHILD: &str = "AQUI_HARDEN_CHILD";

#[cfg(target_os = "linux")]
#[test]
fn harden_child() {
    if std::env::var_os(HARDEN_CHILD).is_none() {
        return;
    }
    let before = aqui::harden::dumpable();
    aqui::harden::process();
    let (soft, hard) = aqui::harden::core_limit();
    println!(
        "HARDENED before={before} soft={soft} hard={hard} dumpable={}",
        aqui::harden::dumpable()
    );
}

/// `harden::process` (what both binaries call first) in a process of its
/// own: dumpable before, then core limit zero and not dumpable.
#[cfg(target_os = "linux")]
#[test]
fn hardening_turns_core_dumps_off() {
    let out = std::process::Command::new(std::env::current_exe().unwrap())
        .args([
            "--exact",
            "rest::harden_child",
            "--nocapture",
            "--test-threads=1",
        ])
        .env(HARDEN_CHILD, "1")
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("HARDENED before=true soft=0 hard=0 dumpable=false"),
        "{text}"
    );
}
