//! Crash durability: a write that returned Ok survives SIGKILL.
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
