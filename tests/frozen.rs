//! Frozen formats: vaults and bundles written by an earlier build, committed
//! in `tests/data/frozen/`, that every later build must keep opening (like
//! atuin's `decrypts_frozen_record_blob` and Annimate's `migrate_from_v1`).
//!
//! `format2/` was made by the build of commit cd9ce0a (vault format 2, bundle
//! version 1), as `tests/data/frozen/format2/README.md` tells. Never
//! regenerate these files: a test that fails here means a format changed
//! without a migration. The records of `vault-a` are sealed (LZ4 against the
//! record dictionary, then XChaCha20-Poly1305): if the dictionary or the
//! sealing changes, they no longer open and `vault_a_opens` fails.

use crate::util::pass;
use aqui::handoff::{self, Trust};
use aqui::identity::Steward;
use aqui::{Id, Kind, Vault};
use std::path::{Path, PathBuf};
use tempfile::TempDir;

const PASS_A: &str = "frozen fixture vault A";
const PASS_B: &str = "frozen fixture vault B";
const FILE_PASS: &str = "frozen fixture file";
/// María, edited on both vaults at once: vault A holds the conflict.
const MARIA: &str = "per_a1cde073a0ee272d30c8";

fn frozen(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data/frozen/format2")
        .join(name)
}

/// A copy of a frozen vault (opening may migrate it: never the committed one).
fn copy_vault(name: &str) -> (TempDir, PathBuf) {
    let tmp = TempDir::new().unwrap();
    let to = tmp.path().join(name);
    crate::util::copy_dir(&frozen(name), &to);
    (tmp, to)
}

fn steward<'a>(v: &'a Vault, name: &str) -> &'a Steward {
    v.steward(name).expect("steward in the frozen address book")
}

#[test]
fn vault_a_opens_with_its_records_keys_stewards_log_and_conflict() {
    let (_tmp, dir) = copy_vault("vault-a");
    let v = Vault::unlock(&dir, &pass(PASS_A)).unwrap();
    assert!(v.damaged().is_empty(), "damaged: {:?}", v.damaged());
    let got = v.counts();
    for (kind, n) in [
        (Kind::Org, 9),
        (Kind::Person, 8),
        (Kind::Demand, 4),
        (Kind::Campaign, 1),
        (Kind::Pledge, 2),
        (Kind::Note, 3),
    ] {
        assert_eq!(got[&kind], n, "{kind:?}");
    }

    let maria = Id::parse(MARIA).unwrap();
    let aqui::Record::Person(p) = v.get(&maria).unwrap() else {
        panic!("{MARIA} is a person");
    };
    assert_eq!(p.name, "María Hernández");
    assert_eq!(p.phone, "+1 555 0100 3333");
    assert!(!p.sensitive);

    let found = v.search("hernandez");
    assert!(found.iter().any(|(id, _)| **id == maria));

    assert_eq!(v.keys().name, "Ana");
    assert_eq!(
        v.keys().public().fingerprint(),
        "7761 4971 1903 7201 2360 5244"
    );
    let beto = steward(&v, "Beto");
    assert!(beto.verified);
    assert_eq!(beto.fingerprint(), "3144 7721 2082 6097 6987 1035");

    let actions: Vec<handoff::Action> = v.log().iter().map(|e| e.action).collect();
    assert_eq!(
        actions,
        [
            handoff::Action::Export,
            handoff::Action::Import,
            handoff::Action::Export
        ]
    );
    let conflict = v.conflicts().get(&maria).expect("María's conflict");
    let Some(aqui::Record::Person(theirs)) = &conflict.theirs.record else {
        panic!("their side is a person");
    };
    assert_eq!(theirs.phone, "+1 555 0100 2222");
}

#[test]
fn version_1_bundle_imports_into_format_2_vault() {
    let (_tmp, dir) = copy_vault("vault-b");
    let mut v = Vault::unlock(&dir, &pass(PASS_B)).unwrap();
    assert_eq!(v.counts().values().sum::<usize>(), 0);
    assert!(steward(&v, "Ana").verified);

    let incoming = handoff::open(&v, &frozen("a-to-b.age"), None).unwrap();
    assert_eq!(incoming.sender.name, "Ana");
    let preview = handoff::preview(&v, &incoming);
    assert_eq!(preview.total.new, 25);
    assert_eq!(preview.excluded.sensitive, 2);
    handoff::apply(&mut v, incoming).unwrap();
    assert_eq!(v.counts().values().sum::<usize>(), 25);
    // The two sensitive people stayed out of the file.
    assert_eq!(v.counts()[&Kind::Person], 6);
    let maria = Id::parse(MARIA).unwrap();
    assert!(v.get(&maria).is_ok());
    drop(v);
    // And the result opens again.
    let v = Vault::unlock(&dir, &pass(PASS_B)).unwrap();
    assert_eq!(v.counts().values().sum::<usize>(), 25);
}

#[test]
fn version_1_passphrase_bundle_imports_into_a_new_vault() {
    let (_tmp, v) = crate::util::new_vault();
    let incoming = handoff::open(&v, &frozen("a-campaign-pass.age"), Some(&pass(FILE_PASS)))
        .expect("opens with the file's passphrase");
    assert_eq!(incoming.sender.trust, Some(Trust::Unknown));
    assert_eq!(incoming.sender.name, "Ana");
    let preview = handoff::preview(&v, &incoming);
    // 7 organizations, 6 people, 2 demands, a campaign, a pledge drive, 2 notes.
    assert_eq!(preview.total.new, 19);
    assert_eq!(preview.excluded.sensitive, 1);
}

// ---- format 1 ---------------------------------------------------------------

/// `format1/` was made by the build of commit a2758d2 (the parent of
/// a7e60f8, which introduced format 2), as `tests/data/frozen/format1/README.md`
/// tells: records sealed uncompressed, `"format": 1` in the header.
const PASS_F1: &str = "frozen fixture format 1";
/// María, her phone edited after the sample chapter was made.
const MARIA_F1: &str = "per_d75e2be5397f88d24f15";
/// A note deleted in the format-1 vault: a tombstone.
const DELETED_F1: &str = "not_fb69f6ef63f75cd1e464";
/// A sensitive person added by hand.
const ELENA_F1: &str = "per_1b63c41d5ea27eb7bacd";

fn header_format(dir: &Path) -> u64 {
    let bytes = std::fs::read(dir.join("key.json")).unwrap();
    let header: serde_json::Value = serde_json::from_slice(&bytes).unwrap();
    header["format"].as_u64().expect("a format number")
}

fn format_1_counts(v: &Vault) {
    let got = v.counts();
    for (kind, n) in [
        (Kind::Org, 9),
        (Kind::Person, 9),
        (Kind::Demand, 4),
        (Kind::Campaign, 1),
        (Kind::Pledge, 2),
        (Kind::Note, 2),
    ] {
        assert_eq!(got.get(&kind).copied().unwrap_or(0), n, "{kind:?}");
    }
}

#[test]
fn format_1_vault_opens_every_record_and_is_raised_to_the_current_format() {
    let tmp = TempDir::new().unwrap();
    let dir = tmp.path().join("vault");
    crate::util::copy_dir(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/frozen/format1/vault"),
        &dir,
    );
    assert_eq!(header_format(&dir), 1, "the fixture is format 1");

    let mut v = Vault::unlock(&dir, &pass(PASS_F1)).unwrap();
    assert!(v.damaged().is_empty(), "damaged: {:?}", v.damaged());
    format_1_counts(&v);
    // 27 live records and one tombstone; every live one valid and of its id's kind.
    assert_eq!(v.entries().count(), 28);
    for (id, entry) in v.entries() {
        assert!(!entry.meta.clock.is_empty(), "{id} has a clock");
        if let Some(r) = &entry.record {
            assert_eq!(r.kind(), id.kind(), "{id}");
            r.validate().unwrap_or_else(|e| panic!("{id}: {e:?}"));
        }
    }

    let maria = Id::parse(MARIA_F1).unwrap();
    let aqui::Record::Person(p) = v.get(&maria).unwrap() else {
        panic!("{MARIA_F1} is a person");
    };
    assert_eq!(p.name, "María Hernández");
    assert_eq!(p.phone, "+1 555 0100 4444");
    // Made once, edited once, on the same device.
    assert_eq!(v.entry(&maria).unwrap().meta.clock.values().sum::<u64>(), 2);

    let deleted = Id::parse(DELETED_F1).unwrap();
    assert!(v.get(&deleted).is_err());
    assert!(v.entry(&deleted).expect("a tombstone").record.is_none());

    let elena = Id::parse(ELENA_F1).unwrap();
    let aqui::Record::Person(e) = v.get(&elena).unwrap() else {
        panic!("{ELENA_F1} is a person");
    };
    assert!(e.sensitive);
    assert_eq!(e.tags, ["frozen"]);
    let found = v.search("vidal");
    assert_eq!(found.len(), 1);
    assert_eq!(*found[0].0, elena);
    assert!(v.search("hernandez").iter().any(|(id, _)| **id == maria));

    // Opening raised the header: an older build now says "too new" instead
    // of misreading the compressed records written from here on.
    assert_eq!(header_format(&dir), u64::from(aqui::vault::FORMAT));

    // A record written now (format 2) sits beside the format-1 ones.
    let added = v
        .add(crate::util::rec(Kind::Org, &[("name", "Frozen Test Org")]))
        .unwrap();
    drop(v);
    let v = Vault::unlock(&dir, &pass(PASS_F1)).unwrap();
    assert!(v.damaged().is_empty(), "damaged: {:?}", v.damaged());
    assert_eq!(v.counts()[&Kind::Org], 10);
    assert!(v.get(&added).is_ok());
    assert_eq!(v.get(&maria).unwrap().title(), "María Hernández");
    assert_eq!(header_format(&dir), u64::from(aqui::vault::FORMAT));
}
