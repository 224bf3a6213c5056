//! Frozen formats: vaults and bundles written by an earlier build, committed
//! in `tests/data/frozen/`, that every later build must keep opening (like
//! atuin's `decrypts_frozen_record_blob` and Annimate's `migrate_from_v1`).
//!
//! `format2/` was made by the build of commit cd9ce0a (vault format 2, bundle
//! version 1), as `tests/data/frozen/format2/README.md` tells; `format3/` by
//! the build of commit df9faa5 (vault format 3, bundle version 2, a backup,
//! and a record packed against the record dictionary), with the generator
//! `tests/data/frozen/format3/make.sh`. Never
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
    assert!(found.iter().any(|id| **id == maria));

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
    let preview = handoff::preview(&v, &incoming).unwrap();
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
    let preview = handoff::preview(&v, &incoming).unwrap();
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
    assert_eq!(*found[0], elena);
    assert!(v.search("hernandez").iter().any(|id| **id == maria));

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

// ---- format 3 ---------------------------------------------------------------

/// `format3/` was made by the build of commit df9faa5 (vault format 3,
/// bundle version 2) with `format3/make.sh`, as `format3/README.md` tells.
/// The same passphrases as `format2/`, and one for the backup.
const BACKUP_PASS: &str = "frozen fixture backup";
/// María: edited on both vaults at once, vault A holds the conflict; she
/// collected the paper batch.
const MARIA_F3: &str = "per_8e04c26324f8dc050b6d";
/// Rosa: her consent answered again, on paper.
const ROSA_F3: &str = "per_e907a1878b12e9b8d492";
/// A sensitive person added by hand (tag `frozen`).
const ELENA_F3: &str = "per_663aef03afc72e5d7b60";
/// A note deleted: a tombstone.
const DELETED_F3: &str = "not_305f789e47a252da4bab";
/// The pledge drive with a paper batch of 12 added.
const DRIVE_F3: &str = "pld_805fa83b0d3d8a0395ef";
const CAMPAIGN_F3: &str = "cam_f2a66ba4977374714cbd";
const ANA_F3: &str = "5046 6443 3566 8175 3716 7172";
const BETO_F3: &str = "2624 9870 7096 0811 4411 5685";

fn format3(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data/frozen/format3")
        .join(name)
}

/// A copy of a format-3 vault (never the committed one).
fn copy_vault3(name: &str) -> (TempDir, PathBuf) {
    let tmp = TempDir::new().unwrap();
    let to = tmp.path().join(name);
    crate::util::copy_dir(&format3(name), &to);
    (tmp, to)
}

fn id(s: &str) -> Id {
    Id::parse(s).unwrap()
}

/// A record as JSON, to check fields without naming their Rust types.
fn json_of(v: &Vault, id: &Id) -> serde_json::Value {
    serde_json::to_value(v.get(id).unwrap()).unwrap()
}

fn quiet(v: &Vault) {
    assert!(v.damaged().is_empty(), "damaged: {:?}", v.damaged());
    assert!(v.findings().is_empty(), "manifest: {:?}", v.findings());
}

fn format_3_counts(v: &Vault, people: usize) {
    let got = v.counts();
    for (kind, n) in [
        (Kind::Org, 9),
        (Kind::Person, people),
        (Kind::Demand, 4),
        (Kind::Campaign, 1),
        (Kind::Pledge, 2),
        (Kind::Note, 2),
    ] {
        assert_eq!(got.get(&kind).copied().unwrap_or(0), n, "{kind:?}");
    }
}

#[test]
fn format_3_vault_a_opens_with_its_records_consent_batches_rules_keys_log_and_conflict() {
    let (_tmp, dir) = copy_vault3("vault-a");
    assert_eq!(header_format(&dir), 3, "the fixture is format 3");
    let header = std::fs::read(dir.join("key.json")).unwrap();
    let mut v = Vault::unlock(&dir, &pass(PASS_A)).unwrap();
    quiet(&v);
    format_3_counts(&v, 11);
    // 29 live records and one tombstone; every live one valid and of its id's kind.
    assert_eq!(v.entries().count(), 30);
    for (id, entry) in v.entries() {
        assert!(!entry.meta.clock.is_empty(), "{id} has a clock");
        if let Some(r) = &entry.record {
            assert_eq!(r.kind(), id.kind(), "{id}");
            r.validate().unwrap_or_else(|e| panic!("{id}: {e:?}"));
        }
    }
    let deleted = id(DELETED_F3);
    assert!(v.get(&deleted).is_err());
    assert!(v.entry(&deleted).expect("a tombstone").record.is_none());

    let maria = id(MARIA_F3);
    let m = json_of(&v, &maria);
    assert_eq!(m["name"], "María Hernández");
    assert_eq!(m["phone"], "+1 555 0100 3333");
    let conflict = v.conflicts().get(&maria).expect("María's conflict");
    let Some(aqui::Record::Person(theirs)) = &conflict.theirs.record else {
        panic!("their side is a person");
    };
    assert_eq!(theirs.phone, "+1 555 0100 2222");
    assert_eq!(v.conflicts().len(), 1);

    let elena = id(ELENA_F3);
    let e = json_of(&v, &elena);
    assert_eq!(e["sensitive"], true);
    assert_eq!(e["tags"], serde_json::json!(["frozen"]));
    let found = v.search("vidal");
    assert_eq!(found.len(), 1);
    assert_eq!(*found[0], elena);
    assert!(v.search("hernandez").iter().any(|id| **id == maria));
    // The two people of the CSV import.
    let from_csv: Vec<&str> = v
        .list(Kind::Person)
        .into_iter()
        .filter(|(_, r)| r.title().ends_with("Frozen"))
        .map(|(_, r)| r.title())
        .collect();
    assert_eq!(from_csv, ["Inés Frozen", "Omar Frozen"]);

    let rosa = json_of(&v, &id(ROSA_F3));
    assert_eq!(rosa["consent_contact"], "yes");
    assert_eq!(rosa["consent_share"], "yes");
    assert_eq!(rosa["consent"]["contact"]["how"], "paper");
    assert_eq!(rosa["consent"]["contact"]["date"], "2026-11-30");
    assert_eq!(rosa["consent"]["history"].as_array().unwrap().len(), 4);

    let aqui::Record::Pledge(drive) = v.get(&id(DRIVE_F3)).unwrap() else {
        panic!("{DRIVE_F3} is a pledge drive");
    };
    assert_eq!(drive.paper(), 53);
    let batch = drive.batches.last().unwrap();
    assert_eq!(batch.count, 12);
    assert_eq!(batch.by.as_ref(), Some(&maria));
    assert_eq!(
        batch.date.map(|d| d.to_string()).as_deref(),
        Some("2026-11-30")
    );
    assert!(v.get(&id(CAMPAIGN_F3)).is_ok());

    assert_eq!(
        v.retention().note_body,
        aqui::retention::Age::parse("2y"),
        "the retention rule"
    );
    assert!(v.retention().hold.is_none());

    assert_eq!(v.keys().name, "Ana");
    assert_eq!(v.keys().public().fingerprint(), ANA_F3);
    let beto = steward(&v, "Beto");
    assert!(beto.verified);
    assert_eq!(beto.fingerprint(), BETO_F3);
    let actions: Vec<handoff::Action> = v.log().iter().map(|e| e.action).collect();
    use handoff::Action::*;
    assert_eq!(actions, [CsvImport, Export, Import, Export, Backup]);

    // A format-3 vault is re-keyed into the current format (packs since
    // format 4) on unlock, as formats 1 and 2 are: a new header.
    assert_ne!(std::fs::read(dir.join("key.json")).unwrap(), header);
    assert_eq!(header_format(&dir), u64::from(aqui::vault::FORMAT));
    // A record written now sits beside the frozen ones, and the manifest
    // still agrees with every stored value.
    let added = v
        .add(crate::util::rec(Kind::Org, &[("name", "Frozen Test Org")]))
        .unwrap();
    drop(v);
    let v = Vault::unlock(&dir, &pass(PASS_A)).unwrap();
    quiet(&v);
    assert_eq!(v.counts()[&Kind::Org], 10);
    assert!(v.get(&added).is_ok());
    assert_eq!(v.get(&maria).unwrap().title(), "María Hernández");
}

#[test]
fn version_2_bundle_previews_and_imports_into_format_3_vault() {
    let (_tmp, dir) = copy_vault3("vault-b");
    assert_eq!(header_format(&dir), 3);
    let mut v = Vault::unlock(&dir, &pass(PASS_B)).unwrap();
    quiet(&v);
    assert_eq!(v.counts().values().sum::<usize>(), 0);
    assert_eq!(v.keys().public().fingerprint(), BETO_F3);
    assert!(steward(&v, "Ana").verified);

    let incoming = handoff::open(&v, &format3("a-to-b.age"), None).unwrap();
    assert_eq!(incoming.sender.name, "Ana");
    assert_eq!(incoming.sender.trust, Some(Trust::Verified));
    assert!(incoming.warnings.is_empty());
    let preview = handoff::preview(&v, &incoming).unwrap();
    assert_eq!(preview.total.new, 23);
    // Three sensitive people, and three not asked about sharing.
    assert_eq!(preview.excluded.sensitive, 3);
    assert_eq!(preview.excluded.no_consent, 3);
    handoff::apply(&mut v, incoming).unwrap();
    format_3_counts(&v, 5);
    assert!(v.get(&id(MARIA_F3)).is_ok());
    assert!(
        v.get(&id(ELENA_F3)).is_err(),
        "a sensitive person stays out"
    );
    drop(v);
    // And the result opens again.
    let v = Vault::unlock(&dir, &pass(PASS_B)).unwrap();
    quiet(&v);
    assert_eq!(v.counts().values().sum::<usize>(), 23);
}

#[test]
fn version_2_passphrase_bundle_previews_in_a_new_vault() {
    let (_tmp, v) = crate::util::new_vault();
    let file = format3("a-campaign-pass.age");
    assert!(handoff::needs_passphrase(&file).unwrap());
    let incoming =
        handoff::open(&v, &file, Some(&pass(FILE_PASS))).expect("opens with the file's passphrase");
    assert_eq!(incoming.sender.trust, Some(Trust::Unknown));
    assert_eq!(incoming.sender.name, "Ana");
    let preview = handoff::preview(&v, &incoming).unwrap();
    // 7 organizations, 4 people, 2 demands, a campaign, a pledge drive, a note.
    assert_eq!(preview.total.new, 16);
    assert_eq!(preview.excluded.sensitive, 1);
    assert_eq!(preview.excluded.no_consent, 1);
}

#[test]
fn format_3_backup_restores_the_whole_vault() {
    let file = format3("a-backup.age");
    let backup_pass = pass(BACKUP_PASS);
    let contents = handoff::backup_contents(&file, handoff::Opener::Passphrase(&backup_pass))
        .expect("the backup opens with its passphrase");
    assert_eq!(contents.counts.values().sum::<usize>(), 29);
    // Made before backups carried the retention rules: none recorded.
    assert_eq!(contents.retention, aqui::retention::Policy::default());

    let tmp = TempDir::new().unwrap();
    let dir = tmp.path().join("restored");
    let v = handoff::restore(
        &file,
        handoff::Opener::Passphrase(&backup_pass),
        &dir,
        &pass(crate::util::PASS),
        crate::util::fast_kdf(),
    )
    .unwrap();
    quiet(&v);
    format_3_counts(&v, 11);
    assert!(v
        .entry(&id(DELETED_F3))
        .expect("the tombstone")
        .record
        .is_none());
    assert_eq!(v.keys().public().fingerprint(), ANA_F3);
    assert!(steward(&v, "Beto").verified);
    assert!(v.conflicts().contains_key(&id(MARIA_F3)));
    assert_eq!(v.retention(), &aqui::retention::Policy::default());
    let actions: Vec<handoff::Action> = v.log().iter().map(|e| e.action).collect();
    use handoff::Action::*;
    assert_eq!(actions, [CsvImport, Export, Import, Export, Restore]);
    drop(v);
    let v = Vault::unlock(&dir, &pass(crate::util::PASS)).unwrap();
    quiet(&v);
    assert_eq!(json_of(&v, &id(MARIA_F3))["phone"], "+1 555 0100 3333");
}

// ---- format 4 ---------------------------------------------------------------

const PASS_F4: &str = "frozen fixture vault A";
/// "Frozen Four", added by hand to the sample chapter.
const FOUR_F4: &str = "per_48b0641a5a8c2cdb39b8";

/// `format4/vault-a`: records in packs, sealed version 2 (LZ4). It opens,
/// is re-keyed into the current format (every record sealed anew), and
/// opens again with the same records.
#[test]
fn format_4_vault_opens_and_is_resealed() {
    let tmp = TempDir::new().unwrap();
    let dir = tmp.path().join("vault-a");
    crate::util::copy_dir(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/frozen/format4/vault-a"),
        &dir,
    );
    assert_eq!(header_format(&dir), 4, "the fixture is format 4");
    let header = std::fs::read(dir.join("key.json")).unwrap();
    let v = Vault::unlock(&dir, &pass(PASS_F4)).unwrap();
    quiet(&v);
    let before: std::collections::BTreeMap<String, serde_json::Value> = v
        .entries()
        .map(|(id, e)| (id.to_string(), serde_json::to_value(e).unwrap()))
        .collect();
    assert_eq!(v.counts()[&Kind::Person], 9);
    let four = json_of(&v, &id(FOUR_F4));
    assert_eq!(four["name"], "Frozen Four");
    assert_eq!(four["phone"], "+1 555 0100 4444");
    assert_ne!(std::fs::read(dir.join("key.json")).unwrap(), header);
    assert_eq!(header_format(&dir), u64::from(aqui::vault::FORMAT));
    drop(v);
    let v = Vault::unlock(&dir, &pass(PASS_F4)).unwrap();
    quiet(&v);
    let after: std::collections::BTreeMap<String, serde_json::Value> = v
        .entries()
        .map(|(id, e)| (id.to_string(), serde_json::to_value(e).unwrap()))
        .collect();
    assert_eq!(after, before);
}

// ---- format 5 ---------------------------------------------------------------

/// "Frozen Five", added by hand to the sample chapter.
const FIVE_F5: &str = "per_d6346af1ed6dabdc9ea1";

/// `format5/vault-a`: records in packs, sealed version 3 (zstd against the
/// record dictionary as raw content). It opens, is re-keyed into the
/// current format (every record sealed anew, version 4), and opens again
/// with the same records.
#[test]
fn format_5_vault_opens_and_is_resealed() {
    let tmp = TempDir::new().unwrap();
    let dir = tmp.path().join("vault-a");
    crate::util::copy_dir(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/frozen/format5/vault-a"),
        &dir,
    );
    assert_eq!(header_format(&dir), 5, "the fixture is format 5");
    let header = std::fs::read(dir.join("key.json")).unwrap();
    let v = Vault::unlock(&dir, &pass(PASS_F4)).unwrap();
    quiet(&v);
    let before: std::collections::BTreeMap<String, serde_json::Value> = v
        .entries()
        .map(|(id, e)| (id.to_string(), serde_json::to_value(e).unwrap()))
        .collect();
    assert_eq!(before.len(), 28);
    assert_eq!(v.counts()[&Kind::Person], 9);
    let five = json_of(&v, &id(FIVE_F5));
    assert_eq!(five["name"], "Frozen Five");
    assert_eq!(five["phone"], "+1 555 0100 5555");
    assert_eq!(five["tags"], serde_json::json!(["frozen"]));
    assert_ne!(std::fs::read(dir.join("key.json")).unwrap(), header);
    assert_eq!(header_format(&dir), u64::from(aqui::vault::FORMAT));
    drop(v);
    let mut v = Vault::unlock(&dir, &pass(PASS_F4)).unwrap();
    quiet(&v);
    let after: std::collections::BTreeMap<String, serde_json::Value> = v
        .entries()
        .map(|(id, e)| (id.to_string(), serde_json::to_value(e).unwrap()))
        .collect();
    assert_eq!(after, before);
    assert!(v.search("frozen five").iter().any(|f| **f == id(FIVE_F5)));
    // A record written now sits beside the re-sealed ones.
    let added = v
        .add(crate::util::rec(Kind::Org, &[("name", "Frozen Test Org")]))
        .unwrap();
    drop(v);
    let v = Vault::unlock(&dir, &pass(PASS_F4)).unwrap();
    quiet(&v);
    assert!(v.get(&added).is_ok());
    assert_eq!(v.entries().count(), 29);
}

// ---- the record dictionary ----------------------------------------------------

/// What LZ4 (sealed version 2) and zstd (version 3) compress records
/// against (`vault::crypto`).
/// Part of the stored format: changing it makes every version-2 and -3 record
/// unreadable. A new dictionary needs a new sealed version, with this one
/// kept for the records already written.
const RECORD_DICT: &[u8] = include_bytes!("../src/vault/record_dict.txt");
const RECORD_DICT_SHA256: &str = "37e274732b5e5af7d79ca1d144787299248e7880e54933b96643289e742e2aae";
/// What sealed version 4 compresses against (`vault::crypto`,
/// `RECORD_DICT_V4`): a zstd dictionary, entropy tables then content. Part
/// of format 6, like `RECORD_DICT` of formats 2 to 5.
const RECORD_DICT_V4: &[u8] = include_bytes!("../src/vault/record_dict_v4.zstd");
const RECORD_DICT_V4_SHA256: &str =
    "4461e49093f194d9aef3cf3a7c2d2ea491f6188ddcdab372cc9026672aa27208";

/// A stored record's JSON (`record.json`) as sealed version 2 packs it
/// before encryption (`record.lz4`: its length as 4 bytes little-endian,
/// then LZ4 against the dictionary), made by `write_record_blob` with the
/// dictionary of commit df9faa5.
#[test]
fn record_blob_decodes_with_the_record_dictionary() {
    use sha2::Digest;
    assert_eq!(
        hex::encode(sha2::Sha256::digest(RECORD_DICT)),
        RECORD_DICT_SHA256,
        "the record dictionary changed: records sealed with the old one no longer open"
    );
    let json = std::fs::read(format3("record.json")).unwrap();
    let blob = std::fs::read(format3("record.lz4")).unwrap();
    let (len, lz) = blob.split_first_chunk::<4>().unwrap();
    let len = u32::from_le_bytes(*len) as usize;
    assert_eq!(len, json.len());
    let out = lz4_flex::block::decompress_with_dict(lz, len, RECORD_DICT).unwrap();
    assert_eq!(out, json);
    // The blob leans on the dictionary: without it, it does not decode.
    assert_ne!(
        lz4_flex::block::decompress(lz, len).ok(),
        Some(json.clone())
    );

    let entry: aqui::vault::Entry = serde_json::from_slice(&json).unwrap();
    let Some(aqui::Record::Person(p)) = &entry.record else {
        panic!("the frozen record is a person");
    };
    assert_eq!(p.name, "Frozen Blob Person");
    assert_eq!(p.phone, "+1 555 0100 6666");
    assert_eq!(entry.meta.clock.values().sum::<u64>(), 2);
}

/// The same record as sealed version 3 packs it (`sealed3/record.zst`: its
/// length as 4 bytes little-endian, then one zstd frame against the same
/// dictionary), made by `write_record_blob_v3` with the build of the commit
/// that introduced version 3.
#[test]
fn record_blob_v3_decodes_with_the_record_dictionary() {
    let json = std::fs::read(format3("record.json")).unwrap();
    let blob = std::fs::read(sealed3("record.zst")).unwrap();
    let (len, frame) = blob.split_first_chunk::<4>().unwrap();
    let len = u32::from_le_bytes(*len) as usize;
    assert_eq!(len, json.len());
    let out = zstd::bulk::Decompressor::with_dictionary(RECORD_DICT)
        .unwrap()
        .decompress(frame, len)
        .unwrap();
    assert_eq!(out, json);
    assert_ne!(zstd::bulk::decompress(frame, len).ok(), Some(json.clone()));
    let lz4 = std::fs::read(format3("record.lz4")).unwrap();
    assert!(blob.len() < lz4.len(), "{} vs {}", blob.len(), lz4.len());
}

/// The same record as sealed version 4 packs it (`sealed4/record.zst`: its
/// length as 4 bytes little-endian, then one zstd frame against
/// `RECORD_DICT_V4`, without the dictionary's id), made by
/// `write_record_blob_v4` with the build of the commit that introduced
/// version 4.
#[test]
fn record_blob_v4_decodes_with_the_finalized_dictionary() {
    use sha2::Digest;
    assert_eq!(
        hex::encode(sha2::Sha256::digest(RECORD_DICT_V4)),
        RECORD_DICT_V4_SHA256,
        "the version-4 dictionary changed: records sealed with it no longer open"
    );
    // zstd's dictionary format (magic number first), holding the first
    // dictionary's content whole.
    assert_eq!(RECORD_DICT_V4[..4], 0xEC30_A437u32.to_le_bytes());
    assert!(RECORD_DICT_V4
        .windows(RECORD_DICT.len())
        .any(|w| w == RECORD_DICT));
    let json = std::fs::read(format3("record.json")).unwrap();
    let blob = std::fs::read(sealed4("record.zst")).unwrap();
    let (len, frame) = blob.split_first_chunk::<4>().unwrap();
    let len = u32::from_le_bytes(*len) as usize;
    assert_eq!(len, json.len());
    let out = zstd::bulk::Decompressor::with_dictionary(RECORD_DICT_V4)
        .unwrap()
        .decompress(frame, len)
        .unwrap();
    assert_eq!(out, json);
    for other in [&b""[..], RECORD_DICT] {
        let mut zstd = zstd::bulk::Decompressor::with_dictionary(other).unwrap();
        assert_ne!(zstd.decompress(frame, len).ok(), Some(json.clone()));
    }
    let v3 = std::fs::read(sealed3("record.zst")).unwrap();
    assert!(blob.len() < v3.len(), "{} vs {}", blob.len(), v3.len());
}

fn sealed4(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data/frozen/sealed4")
        .join(name)
}

/// Writes `sealed4/record.zst` from `format3/record.json` as sealed version
/// 4 compresses (level 3, no checksum, content size or dictionary id),
/// once, by hand:
/// `cargo test -p aqui --test tests write_record_blob_v4 -- --ignored`.
#[test]
#[ignore]
fn write_record_blob_v4() {
    let json = std::fs::read(format3("record.json")).unwrap();
    let mut z = zstd::bulk::Compressor::with_dictionary(3, RECORD_DICT_V4).unwrap();
    z.include_checksum(false).unwrap();
    z.include_contentsize(false).unwrap();
    z.include_dictid(false).unwrap();
    let blob = [
        &(json.len() as u32).to_le_bytes()[..],
        &z.compress(&json).unwrap(),
    ]
    .concat();
    std::fs::create_dir_all(sealed4("")).unwrap();
    std::fs::write(sealed4("record.zst"), &blob).unwrap();
}

fn sealed3(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data/frozen/sealed3")
        .join(name)
}

/// Writes `sealed3/record.zst` from `format3/record.json` as sealed version
/// 3 compresses (level 3, no checksum, no content size), once, by hand:
/// `cargo test -p aqui --test tests write_record_blob_v3 -- --ignored`.
#[test]
#[ignore]
fn write_record_blob_v3() {
    let json = std::fs::read(format3("record.json")).unwrap();
    let mut z = zstd::bulk::Compressor::with_dictionary(3, RECORD_DICT).unwrap();
    z.include_checksum(false).unwrap();
    z.include_contentsize(false).unwrap();
    let blob = [
        &(json.len() as u32).to_le_bytes()[..],
        &z.compress(&json).unwrap(),
    ]
    .concat();
    std::fs::create_dir_all(sealed3("")).unwrap();
    std::fs::write(sealed3("record.zst"), &blob).unwrap();
}

/// Writes `format3/record.json` and `record.lz4` (run once, by hand, with
/// `cargo test -p aqui --test tests write_record_blob -- --ignored`; never
/// over the committed files).
#[test]
#[ignore]
fn write_record_blob() {
    let mut record = crate::util::rec(
        Kind::Person,
        &[
            ("name", "Frozen Blob Person"),
            ("alias", "Blob"),
            ("phone", "+1 555 0100 6666"),
            ("email", "blob@example.org"),
            ("lang", "es"),
            ("tag", "frozen"),
            ("consent-contact", "yes"),
        ],
    );
    record.prepare_new(aqui::model::today());
    let at = chrono::DateTime::parse_from_rfc3339("2026-12-01T09:00:00Z")
        .unwrap()
        .with_timezone(&chrono::Utc);
    let entry = aqui::vault::Entry {
        meta: aqui::vault::Meta {
            created: at,
            updated: at,
            clock: [("0ed345358e7cb337".to_string(), 2)].into_iter().collect(),
        },
        record: Some(record),
    };
    let json = serde_json::to_vec(&entry).unwrap();
    let mut blob = vec![0u8; 4 + lz4_flex::block::get_maximum_output_size(json.len())];
    blob[..4].copy_from_slice(&(json.len() as u32).to_le_bytes());
    let n = lz4_flex::block::compress_into_with_dict(&json, &mut blob[4..], RECORD_DICT).unwrap();
    blob.truncate(4 + n);
    std::fs::write(format3("record.json"), &json).unwrap();
    std::fs::write(format3("record.lz4"), &blob).unwrap();
}
