//! What rests on disk (issue 10): re-keying changes the key for real, the
//! manifest notices records and log entries rolled back, removed or added,
//! vaults of format 2 migrate to format 3 (no steward name in any file), the
//! header is authenticated whole, and the binaries allow no core dumps.

use crate::util::{fast_kdf, new_vault, pass, rec, Cli, PASS};
use aqui::vault::{raw, Error, Finding};
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
        raw::get(&t, ids[2].as_str()).unwrap()
    };
    let mut v = Vault::unlock(&dir, &pass(PASS)).unwrap();
    v.edit(&ids[2], &[("sensitive".into(), "yes".into())])
        .unwrap();
    drop(v);
    {
        let db = sled_open(&store);
        let t = db.open_tree("records").unwrap();
        raw::insert(&t, ids[2].as_str(), &old_copy).unwrap();
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
        raw::remove(&db.open_tree("records").unwrap(), ids[4].as_str()).unwrap();
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
        let copy = raw::get(&t, ids[5].as_str()).unwrap();
        raw::insert(&t, aqui::Id::new(Kind::Person).as_str(), &copy).unwrap();
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

#[test]
fn a_format_2_vault_migrates_to_format_3_and_its_old_header_opens_nothing() {
    let frozen = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/frozen/format2/vault-a");
    let tmp = tempfile::TempDir::new().unwrap();
    let dir = tmp.path().join("vault");
    crate::util::copy_dir(&frozen, &dir);
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
    assert_eq!(header["format"], aqui::vault::FORMAT);
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

/// Review of issue 10: an old header put back must never make an unlock
/// destroy the store the current header names. A format 2 header (taken
/// before the migration; the passphrase did not change) names `store`;
/// after one more re-key the current store is `store` again, under another
/// key. Unlocking with the old header must not "migrate" (re-key into an
/// empty store2 and remove `store`).
#[test]
fn an_old_format_2_header_put_back_destroys_nothing() {
    let frozen = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/frozen/format2/vault-a");
    let tmp = tempfile::TempDir::new().unwrap();
    let dir = tmp.path().join("vault");
    crate::util::copy_dir(&frozen, &dir);
    let old_header = std::fs::read(dir.join("key.json")).unwrap();
    let pass_a = pass("frozen fixture vault A");
    let mut v = Vault::unlock(&dir, &pass_a).unwrap();
    assert_eq!(v.counts().values().sum::<usize>(), 27);
    // A purge, say: a re-key with the same passphrase, back into `store`.
    v.rekey(&pass_a).unwrap();
    drop(v);
    assert_eq!(store_of(&dir), dir.join("store"));
    let good_header = std::fs::read(dir.join("key.json")).unwrap();

    std::fs::write(dir.join("key.json"), &old_header).unwrap();
    if let Ok(v) = Vault::unlock(&dir, &pass_a) {
        // It may open (its store is there), but shows nothing and writes
        // nothing.
        assert!(v.read_only(), "{:?}", v.findings());
        assert_eq!(v.counts().values().sum::<usize>(), 0);
    }
    // The current header put back: everything is still there.
    std::fs::write(dir.join("key.json"), &good_header).unwrap();
    let v = Vault::unlock(&dir, &pass_a).unwrap();
    assert!(v.findings().is_empty(), "{:?}", v.findings());
    assert_eq!(v.counts().values().sum::<usize>(), 27);
    assert!(v.steward("Beto").is_some());
}

/// Review of issue 10: a `rekey` mark written beside an old header put
/// back (brief write access to the folder) must not make the unlock remove
/// the store the current header names: leftovers are removed only once
/// the store the header names has been read and checked.
#[test]
fn a_rekey_mark_beside_an_old_header_destroys_nothing() {
    for mark in ["store", "store2"] {
        let (tmp, mut v) = new_vault();
        let ids = people(&mut v, 8);
        let dir = tmp.path().join("vault");
        let old_header = std::fs::read(dir.join("key.json")).unwrap();
        // Same passphrase: a purge's re-key.
        v.rekey(&pass(PASS)).unwrap();
        drop(v);
        assert_eq!(store_of(&dir), dir.join("store2"));
        let good_header = std::fs::read(dir.join("key.json")).unwrap();

        std::fs::write(dir.join("key.json"), &old_header).unwrap();
        std::fs::write(dir.join("rekey"), mark).unwrap();
        if let Ok(v) = Vault::unlock(&dir, &pass(PASS)) {
            assert!(v.read_only(), "{:?}", v.findings());
        }
        std::fs::write(dir.join("key.json"), &good_header).unwrap();
        let v = Vault::unlock(&dir, &pass(PASS)).unwrap();
        assert!(v.findings().is_empty(), "mark {mark}: {:?}", v.findings());
        assert!(ids.iter().all(|id| v.get(id).is_ok()), "mark {mark}");
        drop(v);
        assert!(!dir.join("rekey").exists(), "the mark is cleared");
    }
}

/// Review of issue 10: the panic wipe's list holds paths in folders others
/// may write to (a USB stick, a shared folder). A listed file replaced by a
/// link must not make the wipe overwrite what the link points at: only the
/// link goes.
#[cfg(unix)]
#[test]
fn shredding_a_link_leaves_what_it_points_at() {
    let tmp = tempfile::TempDir::new().unwrap();
    let victim = tmp.path().join("tesis.txt");
    std::fs::write(&victim, b"years of work").unwrap();
    let link = tmp.path().join("handoff.age");
    std::os::unix::fs::symlink(&victim, &link).unwrap();
    aqui::vault::shred(&link).unwrap();
    assert!(
        std::fs::symlink_metadata(&link).is_err(),
        "the link is removed"
    );
    assert_eq!(std::fs::read(&victim).unwrap(), b"years of work");
}

/// Review of issue 10: the format 2 store filed stewards under their names,
/// in sled's keys and its log. Deleting it leaves those bytes in the freed
/// blocks; the migration overwrites its files first. (A second hard link
/// stands in for the freed blocks: it keeps the old file's bytes reachable.)
#[test]
fn a_migration_overwrites_the_format_2_store_before_removing_it() {
    let frozen = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/frozen/format2/vault-a");
    let tmp = tempfile::TempDir::new().unwrap();
    let dir = tmp.path().join("vault");
    crate::util::copy_dir(&frozen, &dir);
    let blocks = tmp.path().join("freed-blocks");
    std::fs::hard_link(dir.join("store/db"), &blocks).unwrap();
    assert!(crate::util::contains(
        &std::fs::read(&blocks).unwrap(),
        b"steward/beto"
    ));
    let v = Vault::unlock(&dir, &pass("frozen fixture vault A")).unwrap();
    assert!(v.steward("Beto").is_some());
    drop(v);
    assert!(!dir.join("store").exists());
    let left = std::fs::read(&blocks).unwrap();
    assert!(
        !crate::util::contains(&left, b"beto"),
        "old store not overwritten"
    );
}

/// The limit of the design, as the README states it: the manifest put back
/// together with the records it covers, from an older copy of the store
/// (taken earlier, or old versions still in sled's own log), is a
/// consistent older state, and nothing inside the vault can tell. This test
/// pins that boundary down, so the README's claim stays exact: if the
/// vault ever anchors its write counter outside the store, it fails and the
/// README changes with it.
#[test]
fn the_manifest_rolled_back_with_its_records_is_the_documented_limit() {
    let (tmp, mut v) = new_vault();
    let ids = people(&mut v, 6);
    let dir = tmp.path().join("vault");
    let store = store_of(&dir);
    drop(v);
    let (old_record, old_manifest) = {
        let db = sled_open(&store);
        let t = db.open_tree("records").unwrap();
        (
            raw::get(&t, ids[2].as_str()).unwrap(),
            t.get("~manifest").unwrap().unwrap().to_vec(),
        )
    };
    let mut v = Vault::unlock(&dir, &pass(PASS)).unwrap();
    v.edit(&ids[2], &[("sensitive".into(), "yes".into())])
        .unwrap();
    drop(v);
    {
        let db = sled_open(&store);
        let t = db.open_tree("records").unwrap();
        raw::insert(&t, ids[2].as_str(), &old_record).unwrap();
        t.insert("~manifest", old_manifest).unwrap();
        db.flush().unwrap();
    }
    let v = Vault::unlock(&dir, &pass(PASS)).unwrap();
    assert!(v.findings().is_empty(), "{:?}", v.findings());
    let aqui::Record::Person(p) = v.get(&ids[2]).unwrap() else {
        panic!("a person")
    };
    assert!(!p.sensitive, "the older copy is what opened");
}

/// Review of issue 10: a read-only vault refuses a backup or an export
/// (no handoff leaves without its line in the audit log, and the log cannot
/// be written), so the message a refused write shows must not tell the
/// person to back up or export.
#[test]
fn a_read_only_vault_does_not_recommend_what_it_refuses() {
    use aqui::error::Localize;
    let (tmp, mut v) = new_vault();
    let ids = people(&mut v, 4);
    let dir = tmp.path().join("vault");
    drop(v);
    {
        let db = sled_open(&store_of(&dir));
        raw::remove(&db.open_tree("records").unwrap(), ids[1].as_str()).unwrap();
        db.flush().unwrap();
    }
    let mut v = Vault::unlock(&dir, &pass(PASS)).unwrap();
    assert!(v.read_only());
    let secret = pass("a backup passphrase for the test");
    let out = tmp.path().join("backup.age");
    let refused = handoff::backup(&mut v, &handoff::To::Passphrase(&secret, 10), &out);
    assert!(refused.is_err());
    assert!(!out.exists(), "nothing leaves unlogged");
    for (lang, words) in [
        (aqui::Lang::En, ["back up", "export"]),
        (aqui::Lang::Es, ["respalda", "exporta"]),
    ] {
        let msg = Error::ReadOnly.message(lang).to_lowercase();
        for w in words {
            assert!(!msg.contains(w), "{lang:?}: {msg}");
        }
    }
}

/// Review of issue 10: a re-key killed while writing its mark leaves
/// `rekey.tmp`; the panic wipe removes it too, so no trace keeps the
/// folder (and the fact that a vault was there) in place.
#[test]
fn the_wipe_leaves_no_half_written_mark() {
    let (tmp, v) = new_vault();
    let dir = tmp.path().join("vault");
    drop(v);
    std::fs::write(dir.join("rekey.tmp"), "store2").unwrap();
    Vault::wipe(&dir).unwrap();
    assert!(
        !dir.exists(),
        "{:?}",
        std::fs::read_dir(&dir).map(|d| d.count())
    );
}
