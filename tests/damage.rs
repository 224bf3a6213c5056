//! Damaged vaults: altered bytes give a clear error or a report of the
//! damaged records, never a panic, and the rest stays readable.

use crate::util::{new_vault, pass, Cli, PASS};
use aqui::vault::{raw, Error};
use aqui::{Kind, Record, Vault};
use rand::Rng;

fn person(name: &str) -> Record {
    let mut r = Record::empty(Kind::Person);
    r.set("name", name, aqui::model::today()).unwrap();
    r
}

#[test]
fn an_altered_record_is_reported_and_the_rest_still_load() {
    let (tmp, mut v) = new_vault();
    let ids: Vec<_> = (0..20)
        .map(|i| v.add(person(&format!("Person {i}"))).unwrap())
        .collect();
    drop(v);
    let dir = tmp.path().join("vault");
    {
        // Alter one sealed value, and swap two others (valid ciphertexts at the wrong ids).
        let db = sled::open(dir.join("store")).unwrap();
        let t = db.open_tree("records").unwrap();
        let mut bent = raw::get(&t, ids[3].as_str()).unwrap();
        let mid = bent.len() / 2;
        bent[mid] ^= 0x40;
        raw::insert(&t, ids[3].as_str(), &bent).unwrap();
        let a = raw::get(&t, ids[7].as_str()).unwrap();
        let b = raw::get(&t, ids[8].as_str()).unwrap();
        raw::insert(&t, ids[7].as_str(), &b).unwrap();
        raw::insert(&t, ids[8].as_str(), &a).unwrap();
        db.flush().unwrap();
    }
    let v = Vault::unlock(&dir, &pass(PASS)).unwrap();
    let mut want: Vec<String> = [3, 7, 8].iter().map(|&i| ids[i].to_string()).collect();
    want.sort();
    assert_eq!(v.damaged(), want.as_slice());
    assert_eq!(v.list(Kind::Person).len(), 17);
    assert!(v.get(&ids[0]).is_ok() && v.get(&ids[19]).is_ok());
}

#[test]
fn a_damaged_header_is_a_clear_error() {
    let (tmp, v) = new_vault();
    drop(v);
    let dir = tmp.path().join("vault");
    std::fs::write(dir.join("key.json"), b"{ not json").unwrap();
    assert!(matches!(
        Vault::unlock(&dir, &pass(PASS)),
        Err(Error::Damaged(_))
    ));
    let json = r#"{"format":7,"vault_id":"x","device":"y","created":"2026-01-01T00:00:00Z","key":{"kdf":{"m_kib":8192,"t":1,"p":1},"salt":"00","sealed":"00"}}"#;
    std::fs::write(dir.join("key.json"), json).unwrap();
    assert!(matches!(
        Vault::unlock(&dir, &pass(PASS)),
        Err(Error::TooNew(7))
    ));
}

/// Random byte damage anywhere in sled's files, through the real CLI: every
/// outcome is exit 0 (with damaged records reported or none hit) or exit 1
/// with the localized "damaged" message; never a panic or a hang.
#[test]
fn random_byte_damage_never_panics() {
    let cli = Cli::new();
    cli.ok(&["demo"]);
    let pristine = cli.root.path().join("pristine");
    crate::util::copy_dir(&cli.vault(), &pristine);
    let files: Vec<_> = crate::util::walk(&pristine.join("store"))
        .into_iter()
        .filter(|p| std::fs::metadata(p).map(|m| m.len() > 0).unwrap_or(false))
        .collect();
    let mut rng = rand::thread_rng();
    let mut outcomes = std::collections::BTreeMap::<&str, usize>::new();
    for round in 0..24 {
        std::fs::remove_dir_all(cli.vault()).unwrap();
        crate::util::copy_dir(&pristine, &cli.vault());
        let rel = files[round % files.len()].strip_prefix(&pristine).unwrap();
        let target = cli.vault().join(rel);
        let mut bytes = std::fs::read(&target).unwrap();
        for _ in 0..rng.gen_range(1..16) {
            let i = rng.gen_range(0..bytes.len());
            bytes[i] ^= rng.gen_range(1..=255u8);
        }
        std::fs::write(&target, bytes).unwrap();
        let out = cli.cmd(&["--json", "list", "person"]).output().unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(
            !err.contains("panicked") && !err.contains("RUST_BACKTRACE"),
            "{err}"
        );
        match out.status.code() {
            Some(0) => {
                let people: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
                *outcomes
                    .entry(if err.contains("damaged") {
                        "reported"
                    } else {
                        "readable"
                    })
                    .or_default() += 1;
                assert!(people.is_array());
            }
            Some(1) => {
                assert!(
                    err.contains("damaged") || err.contains("could not be read"),
                    "{err}"
                );
                *outcomes.entry("clear error").or_default() += 1;
            }
            other => panic!("exit {other:?}: {err}"),
        }
    }
    eprintln!("damage outcomes: {outcomes:?}");
}

/// Words of the English messages (and of the libraries' own error texts, such
/// as serde's "expected value at line 1 column 3") that must not show up
/// inside a Spanish message.
fn english_in(msg: &str) -> Vec<&'static str> {
    let words = [
        " the ",
        "cannot",
        "could",
        "not a",
        "expected",
        "column",
        "line ",
        "store",
        "damaged",
        "key file",
        "out of range",
        "wrong length",
        "unknown",
        "settings",
        "database",
    ];
    words.into_iter().filter(|w| msg.contains(w)).collect()
}

#[test]
fn a_damaged_vaults_message_in_spanish_has_no_english_detail() {
    use aqui::vault::Damage;
    use aqui::{Lang, Localize};
    let (tmp, v) = new_vault();
    drop(v);
    let dir = tmp.path().join("vault");
    let good: serde_json::Value =
        serde_json::from_slice(&std::fs::read(dir.join("key.json")).unwrap()).unwrap();
    let with = |path: &[&str], value: serde_json::Value| {
        let mut h = good.clone();
        let mut at = &mut h;
        for p in path {
            at = &mut at[*p];
        }
        *at = value;
        serde_json::to_vec(&h).unwrap()
    };
    let cases: [(&[u8], Damage); 4] = [
        (b"{ not json", Damage::Header),
        (br#"{"format":1}"#, Damage::Header),
        (&with(&["format"], 0.into()), Damage::UnknownFormat(0)),
        (&with(&["key", "kdf", "m_kib"], 1.into()), Damage::KeyParams),
    ];
    for (bytes, want) in cases {
        std::fs::write(dir.join("key.json"), bytes).unwrap();
        let Err(err) = Vault::unlock(&dir, &pass(PASS)) else {
            panic!("{want:?}: the vault opened")
        };
        assert!(matches!(err, Error::Damaged(d) if d == want), "{err:?}");
        let es = err.to_user(Lang::Es);
        assert_eq!(es.kind, "err-vault-damaged");
        assert!(
            es.message.contains(&want.message(Lang::Es)),
            "{}",
            es.message
        );
        assert!(es.message.contains("dañados"), "{}", es.message);
        assert_eq!(
            english_in(&es.message),
            Vec::<&str>::new(),
            "{}",
            es.message
        );
        let en = err.to_user(Lang::En).message;
        assert!(
            en.contains(&want.message(Lang::En)) && en.contains("damaged"),
            "{en}"
        );
    }
    // every reason, including those that are hard to cause from outside
    for d in [
        Damage::Header,
        Damage::UnknownFormat(0),
        Damage::KeyParams,
        Damage::DataKey,
        Damage::Store,
        Damage::Encode,
        Damage::Record,
    ] {
        let es = Error::Damaged(d).to_user(Lang::Es).message;
        assert_eq!(english_in(&es), Vec::<&str>::new(), "{es}");
        assert_ne!(d.message(Lang::Es), d.message(Lang::En));
    }

    // and through the CLI, in Spanish
    let cli = Cli::new();
    cli.ok(&["init"]);
    std::fs::write(cli.vault().join("key.json"), b"{ not json").unwrap();
    let err = cli.fails(&["--lang", "es", "list", "person"]);
    assert!(err.contains("dañados") && err.contains("key.json"), "{err}");
    assert_eq!(english_in(&err), Vec::<&str>::new(), "{err}");
}

#[test]
fn a_file_error_in_spanish_has_no_english_detail() {
    use aqui::{Lang, Localize};
    use std::io::{Error as IoError, ErrorKind};
    for (e, want) in [
        (IoError::from_raw_os_error(13), "no tienes permiso"),
        (IoError::from_raw_os_error(5), "error del sistema 5"),
        (
            IoError::new(ErrorKind::NotFound, "gone"),
            "falta un archivo",
        ),
        (
            IoError::other("failed to fill whole buffer"),
            "un error inesperado",
        ),
    ] {
        let en = e.to_string();
        let es = Error::Io(e).to_user(Lang::Es);
        assert_eq!(es.kind, "err-io");
        assert!(es.message.contains(want), "{}", es.message);
        assert!(!es.message.contains(&en), "{}", es.message);
        assert_eq!(
            english_in(&es.message),
            Vec::<&str>::new(),
            "{}",
            es.message
        );
    }
}
