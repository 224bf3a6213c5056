//! Crash durability: a write that returned Ok survives SIGKILL, a large
//! batch (written in parts) killed at any moment is there whole or not at
//! all, and a re-key killed at any moment leaves a vault that opens with the
//! old or the new passphrase, whole.
//!
//! The child is this same test binary, run with `--exact crash::crash_child`
//! and AQUI_CRASH_CHILD set: it adds records in a loop and prints each id only
//! after `add` returned. The parent kills it at a random moment, reopens the
//! vault and checks every printed id is there. (Power loss is covered by the
//! fdatasync after every write, see `vault/store.rs`; a VM cannot pull its own
//! plug in a test.)

use crate::util::{fast_kdf, pass, PASS};
use aqui::{Kind, Record, Vault};
use rand::Rng;
use std::io::{BufRead, BufReader, Write};
use std::process::{Command, Stdio};
use std::time::Duration;

const CHILD_ENV: &str = "AQUI_CRASH_CHILD";

#[test]
fn crash_child() {
    let Some(dir) = std::env::var_os(CHILD_ENV) else {
        return;
    };
    let mut vault = Vault::unlock(std::path::Path::new(&dir), &pass(PASS)).expect("child unlocks");
    let stdout = std::io::stdout();
    for i in 0.. {
        let mut r = Record::empty(Kind::Person);
        r.set("name", &format!("Crash test {i}"), aqui::model::today())
            .unwrap();
        r.set("tag", "durable", aqui::model::today()).unwrap();
        let id = vault.add(r).expect("add");
        let mut out = stdout.lock();
        writeln!(out, "ID {id}").unwrap();
        out.flush().unwrap();
    }
}

#[test]
fn every_confirmed_write_survives_sigkill() {
    let tmp = tempfile::TempDir::new().unwrap();
    let dir = tmp.path().join("vault");
    drop(Vault::create(&dir, &pass(PASS), fast_kdf()).unwrap());
    let mut rng = rand::thread_rng();
    let mut confirmed = Vec::new();
    let rounds = 25;
    for _ in 0..rounds {
        let mut child = Command::new(std::env::current_exe().unwrap())
            .args([
                "--exact",
                "crash::crash_child",
                "--nocapture",
                "--test-threads=1",
            ])
            .env(CHILD_ENV, &dir)
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let stdout = child.stdout.take().unwrap();
        let reader = std::thread::spawn(move || {
            BufReader::new(stdout)
                .lines()
                .map_while(Result::ok)
                .filter_map(|l| l.strip_prefix("ID ").map(str::to_string))
                .collect::<Vec<_>>()
        });
        std::thread::sleep(Duration::from_millis(rng.gen_range(30..400)));
        child.kill().unwrap(); // SIGKILL on Unix
        child.wait().unwrap();
        confirmed.extend(reader.join().unwrap());
    }
    assert!(
        confirmed.len() > rounds,
        "the child wrote records ({})",
        confirmed.len()
    );
    let vault = Vault::unlock(&dir, &pass(PASS)).unwrap();
    assert!(
        vault.damaged().is_empty(),
        "damaged after crashes: {:?}",
        vault.damaged()
    );
    for id in &confirmed {
        let id = aqui::Id::parse(id).unwrap();
        assert!(vault.get(&id).is_ok(), "confirmed write {id} lost");
    }
    eprintln!(
        "{} confirmed writes over {rounds} kills all survived",
        confirmed.len()
    );
}

const BATCH_ENV: &str = "AQUI_BATCH_CHILD";
/// Records per batch in `batch_child`: a large batch, written in parts.
const BATCH: usize = 1_500;

#[test]
fn batch_child() {
    let Some(dir) = std::env::var_os(BATCH_ENV) else {
        return;
    };
    let mut vault = Vault::unlock(std::path::Path::new(&dir), &pass(PASS)).expect("child unlocks");
    let stdout = std::io::stdout();
    for i in 0.. {
        let records = (0..BATCH)
            .map(|j| {
                let mut r = Record::empty(Kind::Person);
                r.set(
                    "name",
                    &format!("Batch {i} person {j}"),
                    aqui::model::today(),
                )
                .unwrap();
                (aqui::Id::new(Kind::Person), r)
            })
            .collect();
        vault.add_all(records).expect("add_all");
        let mut out = stdout.lock();
        writeln!(out, "BATCH {i}").unwrap();
        out.flush().unwrap();
    }
}

#[test]
fn a_large_batch_killed_at_any_moment_is_all_there_or_not_at_all() {
    let tmp = tempfile::TempDir::new().unwrap();
    let dir = tmp.path().join("vault");
    drop(Vault::create(&dir, &pass(PASS), fast_kdf()).unwrap());
    let mut rng = rand::thread_rng();
    let mut confirmed = 0;
    for _ in 0..6 {
        let mut child = Command::new(std::env::current_exe().unwrap())
            .args([
                "--exact",
                "crash::batch_child",
                "--nocapture",
                "--test-threads=1",
            ])
            .env(BATCH_ENV, &dir)
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let stdout = child.stdout.take().unwrap();
        let reader = std::thread::spawn(move || {
            BufReader::new(stdout)
                .lines()
                .map_while(Result::ok)
                .filter(|l| l.starts_with("BATCH "))
                .count()
        });
        std::thread::sleep(Duration::from_millis(rng.gen_range(500..4_000)));
        child.kill().unwrap(); // SIGKILL on Unix
        child.wait().unwrap();
        confirmed += reader.join().unwrap();
        // After every kill: whole batches only, and nothing the manifest
        // does not cover (a vault with findings would be read-only).
        let vault = Vault::unlock(&dir, &pass(PASS)).unwrap();
        assert!(vault.findings().is_empty(), "{:?}", vault.findings());
        assert!(vault.damaged().is_empty(), "{:?}", vault.damaged());
        let n = vault.list(Kind::Person).len();
        assert_eq!(n % BATCH, 0, "{n} people: a batch is there in part");
        assert!(
            n >= confirmed * BATCH,
            "{n} people, {confirmed} batches confirmed"
        );
    }
    eprintln!("{confirmed} confirmed batches of {BATCH} over 6 kills, none in part");
}

const REKEY_ENV: &str = "AQUI_REKEY_CHILD";
const PASS_B: &str = "the other passphrase, for re-keys";

/// Opens the vault with whichever of the two passphrases it has now.
fn open_either(dir: &std::path::Path) -> (Vault, &'static str) {
    for p in [PASS, PASS_B] {
        match Vault::unlock(dir, &pass(p)) {
            Ok(v) => return (v, p),
            Err(aqui::vault::Error::WrongPassphrase) => continue,
            Err(e) => panic!("the vault does not open: {e}"),
        }
    }
    panic!("the vault opens with neither passphrase");
}

#[test]
fn rekey_child() {
    let Some(dir) = std::env::var_os(REKEY_ENV) else {
        return;
    };
    let dir = std::path::Path::new(&dir);
    let stdout = std::io::stdout();
    let say = |what: &str| {
        let mut out = stdout.lock();
        writeln!(out, "{what}").unwrap();
        out.flush().unwrap();
    };
    loop {
        let (mut vault, now) = open_either(dir);
        say("UNLOCKED");
        let next = if now == PASS { PASS_B } else { PASS };
        vault
            .change_passphrase(&pass(next), fast_kdf())
            .expect("re-key");
        drop(vault);
        say("REKEYED");
    }
}

/// A re-key (`aqui passwd`) SIGKILLed at random moments: the vault always
/// opens with one of the two passphrases, with every record and the
/// address book, and nothing reported damaged or changed.
#[test]
fn a_rekey_killed_at_any_moment_leaves_a_vault_that_opens() {
    let tmp = tempfile::TempDir::new().unwrap();
    let dir = tmp.path().join("vault");
    let mut v = Vault::create(&dir, &pass(PASS), fast_kdf()).unwrap();
    let other = Vault::create(&tmp.path().join("other"), &pass(PASS), fast_kdf()).unwrap();
    aqui::handoff::add_steward(
        &mut v,
        "Beto",
        aqui::handoff::StewardKey::Card(&other.keys().card()),
    )
    .unwrap();
    let records: Vec<_> = (0..300)
        .map(|i| {
            let mut r = Record::empty(Kind::Person);
            r.set("name", &format!("Rekey test {i}"), aqui::model::today())
                .unwrap();
            (aqui::Id::new(Kind::Person), r)
        })
        .collect();
    let ids: Vec<_> = records.iter().map(|(id, _)| id.clone()).collect();
    v.add_all(records).unwrap();
    drop(v);
    let mut rng = rand::thread_rng();
    let (mut rekeys, rounds) = (0, 20);
    let mut seen = std::collections::BTreeSet::new();
    for _ in 0..rounds {
        let mut child = Command::new(std::env::current_exe().unwrap())
            .args([
                "--exact",
                "crash::rekey_child",
                "--nocapture",
                "--test-threads=1",
            ])
            .env(REKEY_ENV, &dir)
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let stdout = child.stdout.take().unwrap();
        let (tx, rx) = std::sync::mpsc::channel();
        let reader = std::thread::spawn(move || {
            let mut n = 0;
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                if line == "UNLOCKED" {
                    let _ = tx.send(());
                }
                n += usize::from(line == "REKEYED");
            }
            n
        });
        // Once the child has the vault open (however slow the machine),
        // kill it at a random moment of the re-keys that follow.
        let _ = rx.recv_timeout(Duration::from_secs(120));
        std::thread::sleep(Duration::from_millis(rng.gen_range(0..900)));
        child.kill().unwrap(); // SIGKILL on Unix
        child.wait().unwrap();
        rekeys += reader.join().unwrap();
        let (v, which) = open_either(&dir);
        seen.insert(which);
        assert!(v.damaged().is_empty(), "damaged: {:?}", v.damaged());
        assert!(v.findings().is_empty(), "findings: {:?}", v.findings());
        for id in &ids {
            assert!(v.get(id).is_ok(), "{id} lost in a re-key");
        }
        assert!(v.steward("Beto").is_some(), "the address book kept");
        drop(v);
        let stores = ["store", "store2"]
            .iter()
            .filter(|s| dir.join(s).exists())
            .count();
        assert_eq!(stores, 1, "one store left after an unlock");
    }
    assert!(rekeys > 0, "the child re-keyed");
    eprintln!("{rekeys} re-keys over {rounds} kills; opened with {seen:?}");
}
