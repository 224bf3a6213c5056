//! Retention that keeps the totals: a purge removes exactly what the rules
//! say, a hold stops it, and a report for a past period gives the same
//! figures before and after the purge. The CLI's retention, purge and hold.

use crate::util::{fast_kdf, pass, rec, Cli, PASS};
use aqui::handoff::{self, Selection, StewardKey, To};
use aqui::retention::{self, Age, Rule};
use aqui::{Kind, Record, Vault};
use chrono::Duration;
use tempfile::TempDir;

#[test]
fn a_purge_removes_what_the_rules_say_and_keeps_the_totals() {
    let dir = TempDir::new().unwrap();
    let mut v = Vault::create(&dir.path().join("v"), &pass(PASS), fast_kdf()).unwrap();
    let today = aqui::model::today();
    // "Now" for the purge: two years and more from today.
    let later = today + Duration::days(800);
    let recent = (today + Duration::days(600)).to_string();
    let old_day = today.to_string();
    let gone = v
        .add(rec(
            Kind::Person,
            &[
                ("name", "Olvido Canario"),
                ("phone", "555 0101"),
                ("lang", "es"),
                ("share", "yes"),
            ],
        ))
        .unwrap();
    let kept = v
        .add(rec(
            Kind::Person,
            &[("name", "Activa Canaria"), ("lang", "en")],
        ))
        .unwrap();
    let old_note = v
        .add(rec(
            Kind::Note,
            &[
                ("title", "Old canary meeting"),
                ("kind", "meeting"),
                ("date", &old_day),
                ("body", "Old canary body"),
                ("attendee", gone.as_str()),
                ("attendee", kept.as_str()),
                (
                    "follow-up",
                    &format!("Call the canary|{old_day}|{gone}|done"),
                ),
            ],
        ))
        .unwrap();
    let new_note = v
        .add(rec(
            Kind::Note,
            &[
                ("title", "Recent meeting"),
                ("date", &recent),
                ("body", "Recent body"),
                ("attendee", kept.as_str()),
            ],
        ))
        .unwrap();
    let pledge = v
        .add(rec(
            Kind::Pledge,
            &[
                ("title", "Pledge"),
                ("goal", "10"),
                ("deadline", &old_day),
                ("signer", gone.as_str()),
            ],
        ))
        .unwrap();
    // An audit log entry naming a steward.
    let other = Vault::create(&dir.path().join("o"), &pass(PASS), fast_kdf()).unwrap();
    handoff::add_steward(&mut v, "Beto", StewardKey::Card(&other.keys().card())).unwrap();
    handoff::verify_steward(&mut v, "Beto", Some(&other.keys().public().fingerprint())).unwrap();
    let plan = handoff::select(&v, &Selection::All, false).unwrap();
    handoff::export(
        &mut v,
        plan,
        &To::Stewards(&["Beto".into()]),
        &dir.path().join("x.age"),
    )
    .unwrap();
    assert_eq!(v.log().len(), 1);

    // Rules off (the default): nothing is due.
    assert!(retention::plan(&v, later).counts.is_empty());
    for (rule, age) in [
        (Rule::NoteBody, "1y"),
        (Rule::NoteAttendees, "12m"),
        (Rule::InactivePerson, "365d"),
        (Rule::Log, "1y"),
    ] {
        retention::set_rule(&mut v, rule, Age::parse(age)).unwrap();
    }
    let period = aqui::report::Period::dates(today - Duration::days(30), later).unwrap();
    let before = aqui::report::figures(&v, period, 5);

    // A hold stops every purge; nothing changes.
    retention::set_hold(&mut v, true, "subpoena", today).unwrap();
    let snapshot: Vec<_> = v.entries().map(|(i, e)| (i.clone(), e.clone())).collect();
    let p = retention::plan(&v, later);
    assert!(p.held);
    assert!(matches!(
        retention::purge(&mut v, &pass(PASS), later),
        Err(retention::PurgeError::Held)
    ));
    let after_hold: Vec<_> = v.entries().map(|(i, e)| (i.clone(), e.clone())).collect();
    assert_eq!(snapshot, after_hold);
    retention::set_hold(&mut v, false, "", today).unwrap();

    // The counts shown first, then exactly that is removed.
    let p = retention::plan(&v, later);
    assert_eq!(
        p.counts,
        retention::Counts {
            note_bodies: 1,
            note_attendees: 1,
            people: 1,
            log_entries: 1
        }
    );
    assert!(retention::purge(&mut v, &pass("wrong passphrase"), later).is_err());
    let done = retention::purge(&mut v, &pass(PASS), later).unwrap();
    assert_eq!(done, p.counts);

    let Record::Note(n) = v.get(&old_note).unwrap().clone() else {
        panic!()
    };
    assert_eq!(
        (n.title.as_str(), n.body.as_str()),
        (retention::PURGED_TITLE, "")
    );
    assert!(n.attendees.is_empty());
    assert_eq!(
        (n.headcount, n.date.to_string()),
        (Some(2), old_day.clone())
    );
    assert!(n.follow_ups[0].done && n.follow_ups[0].who.is_none());
    let Record::Note(n) = v.get(&new_note).unwrap().clone() else {
        panic!()
    };
    assert_eq!((n.body.as_str(), n.attendees.len()), ("Recent body", 1));
    let Record::Person(p) = v.get(&gone).unwrap().clone() else {
        panic!()
    };
    assert!(p.purged && p.name.is_empty() && p.phone.is_empty());
    assert_eq!(p.lang, Some(aqui::Lang::Es), "still counted by language");
    let Record::Person(p) = v.get(&kept).unwrap().clone() else {
        panic!()
    };
    assert_eq!(p.name, "Activa Canaria");
    let Record::Pledge(pl) = v.get(&pledge).unwrap().clone() else {
        panic!()
    };
    assert_eq!(
        pl.signers,
        vec![gone.clone()],
        "signers per drive still count"
    );
    assert!(v.log()[0].peers.is_empty());

    // The same figures for the past, after the purge.
    assert_eq!(aqui::report::figures(&v, period, 5), before);
    // Nothing is left to purge; and the purged text is gone from the store.
    assert!(retention::plan(&v, later).counts.is_empty());
    let vdir = dir.path().join("v");
    drop(v);
    let v = Vault::unlock(&vdir, &pass(PASS)).unwrap();
    assert!(v.search("Olvido").is_empty() && v.search("canary").is_empty());
    assert!(
        v.retention().note_body.is_some(),
        "the rules are kept, sealed"
    );
}

#[test]
fn cli_retention_purge_and_hold() {
    let cli = Cli::new();
    cli.ok(&["init"]);
    let shown = cli.ok(&["retention"]);
    assert_eq!(shown.matches(": off").count(), 4, "{shown}");
    cli.ok(&["retention", "set", "note-body", "90d"]);
    cli.ok(&["retention", "set", "log", "2y"]);
    cli.ok(&["retention", "set", "log", "off"]);
    let p = cli.json(&["retention"]);
    assert_eq!(p["note_body"]["n"], 90);
    assert!(p["log"].is_null());
    cli.fails(&["retention", "set", "note-body", "soon"]);
    cli.fails(&["retention", "set", "everything", "1y"]);

    cli.ok(&[
        "add",
        "note",
        "--title",
        "Old",
        "--date",
        "2020-01-01",
        "--body",
        "old text",
    ]);
    let dry = cli.json(&["purge", "--dry-run"]);
    assert_eq!(
        (dry["counts"]["note_bodies"].clone(), dry["purged"].clone()),
        (1.into(), false.into())
    );
    cli.ok(&["hold", "on", "--reason", "records request"]);
    let err = cli.fails(&["purge"]);
    assert!(err.contains("hold"), "{err}");
    let es = cli.run(&["--lang", "es", "purge"]);
    assert!(String::from_utf8_lossy(&es.stderr).contains("retención legal"));
    assert!(cli.ok(&["retention"]).contains("records request"));
    cli.ok(&["hold", "off"]);
    let done = cli.json(&["purge"]);
    assert_eq!(done["purged"], true);
    let notes = cli.json(&["list", "note"]);
    assert_eq!(notes[0]["body"], "");
    assert_eq!(notes[0]["date"], "2020-01-01");
}

/// The store folder in a vault's folder (the only folder there).
fn store_of(vdir: &std::path::Path) -> String {
    let dirs: Vec<String> = std::fs::read_dir(vdir)
        .unwrap()
        .map(|e| e.unwrap())
        .filter(|e| e.file_type().unwrap().is_dir())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(dirs.len(), 1, "{dirs:?}");
    dirs[0].clone()
}

/// Puts a file where a re-key would write the other store folder, so the
/// re-key (a purge's shredding) fails after the purged records were
/// committed; returns the file, to take away later.
fn block_the_rekey(vdir: &std::path::Path) -> std::path::PathBuf {
    let other = match store_of(vdir).as_str() {
        "store" => vdir.join("store2"),
        _ => vdir.join("store"),
    };
    std::fs::write(&other, b"in the way").unwrap();
    other
}

#[test]
fn a_purge_shreds_an_old_copy_cannot_open_what_follows_and_the_log_still_verifies() {
    let dir = TempDir::new().unwrap();
    let vdir = dir.path().join("v");
    let mut v = Vault::create(&vdir, &pass(PASS), fast_kdf()).unwrap();
    let today = aqui::model::today();
    let later = today + Duration::days(800);
    let name = "Zeferina Quiebrahuesos";
    let gone = v
        .add(rec(
            Kind::Person,
            &[
                ("name", name),
                ("email", "zeferina@example.org"),
                ("lang", "es"),
            ],
        ))
        .unwrap();
    v.add(rec(
        Kind::Note,
        &[
            ("title", "Kitchen meeting"),
            ("date", &today.to_string()),
            ("body", "Zeferina brought tamales"),
            ("attendee", gone.as_str()),
        ],
    ))
    .unwrap();
    // Edit the person, so older versions of the record exist too.
    let Record::Person(mut p) = v.get(&gone).unwrap().clone() else {
        panic!()
    };
    p.phone = "555 0199".into();
    v.update(&gone, Record::Person(p)).unwrap();
    // Audit log entries naming a steward, which the log rule rewrites.
    let other = Vault::create(&dir.path().join("o"), &pass(PASS), fast_kdf()).unwrap();
    handoff::add_steward(&mut v, "Beto", StewardKey::Card(&other.keys().card())).unwrap();
    handoff::verify_steward(&mut v, "Beto", Some(&other.keys().public().fingerprint())).unwrap();
    for i in 0..2 {
        let plan = handoff::select(&v, &Selection::All, false).unwrap();
        let to = dir.path().join(format!("x{i}.age"));
        handoff::export(&mut v, plan, &To::Stewards(&["Beto".into()]), &to).unwrap();
    }
    assert_eq!(v.log().len(), 2);
    for rule in [
        Rule::NoteBody,
        Rule::NoteAttendees,
        Rule::InactivePerson,
        Rule::Log,
    ] {
        retention::set_rule(&mut v, rule, Age::parse("1y")).unwrap();
    }
    let store_before = store_of(&vdir);

    // What someone might have kept: the whole folder, before the purge.
    let copy = dir.path().join("copy");
    crate::util::copy_dir(&vdir, &copy);

    let done = retention::purge(&mut v, &pass(PASS), later).unwrap();
    assert_eq!((done.people, done.log_entries), (1, 2));
    drop(v);
    let store_after = store_of(&vdir);

    // The old store folder is gone; only the header, the lock and the new
    // store remain.
    assert_ne!(
        store_before, store_after,
        "a purge re-keys into a new store"
    );
    assert!(!vdir.join(&store_before).exists(), "the old store is gone");
    let mut left: Vec<String> = std::fs::read_dir(&vdir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    left.sort();
    left.retain(|f| f != "lock");
    assert_eq!(left, ["key.json".to_string(), store_after.clone()]);

    // The name appears nowhere in the vault folder, in any form.
    for file in crate::util::walk(&vdir) {
        let bytes = std::fs::read(&file).unwrap();
        for needle in [name, "Zeferina", "zeferina@example.org", "tamales"] {
            assert!(
                !crate::util::contains(&bytes, needle.as_bytes()),
                "{needle} in {}",
                file.display()
            );
        }
    }

    // The old copy still opens, with the old header: it is a copy.
    let old = Vault::unlock(&copy, &pass(PASS)).unwrap();
    assert!(!old.search("Zeferina").is_empty());
    drop(old);
    // The old header (and its data key) with the passphrase does not open
    // what the vault holds now, under either store name.
    for as_name in [store_before.as_str(), store_after.as_str()] {
        let mixed = dir.path().join(format!("mixed-{as_name}"));
        std::fs::create_dir_all(&mixed).unwrap();
        std::fs::copy(copy.join("key.json"), mixed.join("key.json")).unwrap();
        crate::util::copy_dir(&vdir.join(&store_after), &mixed.join(as_name));
        if let Ok(m) = Vault::unlock(&mixed, &pass(PASS)) {
            assert_eq!(
                m.entries().filter(|(_, e)| e.record.is_some()).count(),
                0,
                "the old key reads nothing of the new store"
            );
        }
    }

    // The vault reopens whole: the rewritten audit log's chain verifies.
    let v = Vault::unlock(&vdir, &pass(PASS)).unwrap();
    assert!(!v.read_only(), "the log's chain verifies after the purge");
    assert_eq!(v.log().len(), 2);
    assert!(v.log().iter().all(|e| e.peers.is_empty()));
    assert!(v.search("Zeferina").is_empty() && v.search("tamales").is_empty());
    let all = format!("{:?}", v.entries().collect::<Vec<_>>());
    assert!(!all.contains("Zeferina") && !all.contains("555 0199"));
    assert!(format!("{:?}", v.log()).find("Beto").is_none());
    assert!(format!("{:?}", v.conflicts()).find("Zeferina").is_none());
}

/// A purge whose shredding (the re-key) is cut short leaves the records
/// purged and says so in the vault; the next purge finishes the shredding.
/// A sensitive person purged stays marked sensitive, so their id keeps out
/// of every handoff.
#[test]
fn a_purge_cut_short_before_its_shredding_finishes_it_next_time() {
    let dir = TempDir::new().unwrap();
    let vdir = dir.path().join("v");
    let mut v = Vault::create(&vdir, &pass(PASS), fast_kdf()).unwrap();
    let today = aqui::model::today();
    let later = today + Duration::days(800);
    let hidden = v
        .add(rec(
            Kind::Person,
            &[
                ("name", "Shredcanary Oculta"),
                ("sensitive", "yes"),
                ("share", "yes"),
            ],
        ))
        .unwrap();
    retention::set_rule(&mut v, Rule::InactivePerson, Age::parse("1y")).unwrap();
    let other = block_the_rekey(&vdir);
    assert!(retention::purge(&mut v, &pass(PASS), later).is_err());
    let Ok(Record::Person(p)) = v.get(&hidden) else {
        panic!("the purged person stays as a count")
    };
    assert!(p.purged && p.name.is_empty() && p.sensitive, "{p:?}");
    assert!(v.retention().shred_pending);
    drop(v);
    let mut v = Vault::unlock(&vdir, &pass(PASS)).unwrap();
    assert!(v.retention().shred_pending, "the mark is on disk");
    std::fs::remove_file(&other).unwrap();
    // Nothing new is due; the purge only finishes the shredding.
    let done = retention::purge(&mut v, &pass(PASS), later).unwrap();
    assert!(done.is_empty());
    assert!(!v.retention().shred_pending);
    drop(v);
    let v = Vault::unlock(&vdir, &pass(PASS)).unwrap();
    assert!(!v.retention().shred_pending);
    assert!(!v.read_only());
}

#[test]
fn a_backup_brings_back_the_rules_and_the_hold_and_a_purge_still_waits() {
    let dir = TempDir::new().unwrap();
    let mut v = Vault::create(&dir.path().join("v"), &pass(PASS), fast_kdf()).unwrap();
    let today = aqui::model::today();
    let later = today + Duration::days(800);
    let note = v
        .add(rec(
            Kind::Note,
            &[
                ("title", "Held meeting"),
                ("date", &today.to_string()),
                ("body", "What the subpoena asks for"),
            ],
        ))
        .unwrap();
    retention::set_rule(&mut v, Rule::NoteBody, Age::parse("90d")).unwrap();
    retention::set_hold(&mut v, true, "subpoena", today).unwrap();
    let policy = v.retention().clone();
    assert!(policy.hold.is_some() && policy.note_body.is_some());
    let secret = pass("backup words here");
    let file = dir.path().join("pw.age");
    handoff::backup(&mut v, &To::Passphrase(&secret, 10), &file).unwrap();
    let own = dir.path().join("own.age");
    handoff::backup(&mut v, &To::Stewards(&[]), &own).unwrap();

    // What it holds, shown before anything is restored, says so.
    let contents = handoff::backup_contents(&file, handoff::Opener::Passphrase(&secret)).unwrap();
    assert_eq!(contents.retention, policy);
    assert_eq!(contents.counts.get(&Kind::Note), Some(&1));
    let place = dir.path().join("app");
    std::fs::create_dir(&place).unwrap();
    let mut app = aqui::app::Session::new(aqui::app::Dirs::beside(&place.join("vault")));
    let key = aqui::app::organize::BackupKey::Passphrase {
        passphrase: "backup words here".into(),
    };
    for (lang, rules, hold) in [
        (
            aqui::Lang::En,
            "Note text after 90d",
            "It brings back a hold",
        ),
        (
            aqui::Lang::Es,
            "Texto de las notas después de 90d",
            "retención legal",
        ),
    ] {
        app.set_lang(lang).unwrap();
        let seen = app
            .restore_preview(file.to_str().unwrap(), &key, None)
            .unwrap();
        for said in [rules, hold, "subpoena"] {
            assert!(seen.retention.contains(said), "{said}: {}", seen.retention);
        }
    }

    // Restored into a new place (by passphrase, and by the vault's own key),
    // the rule and the hold are there, and a purge still waits.
    let r2 = handoff::restore(
        &own,
        handoff::Opener::Keys(v.keys()),
        &dir.path().join("r2"),
        &pass(PASS),
        fast_kdf(),
    )
    .unwrap();
    assert_eq!(r2.retention(), &policy);
    drop(r2);
    let rdir = dir.path().join("r");
    let r = handoff::restore(
        &file,
        handoff::Opener::Passphrase(&secret),
        &rdir,
        &pass(PASS),
        fast_kdf(),
    )
    .unwrap();
    drop(r);
    let mut r = Vault::unlock(&rdir, &pass(PASS)).unwrap();
    assert_eq!(r.retention(), &policy, "kept, sealed, across an unlock");
    let p = retention::plan(&r, later);
    assert!(p.held && p.counts.note_bodies == 1);
    let before: Vec<_> = r.entries().map(|(i, e)| (i.clone(), e.clone())).collect();
    assert!(matches!(
        retention::purge(&mut r, &pass(PASS), later),
        Err(retention::PurgeError::Held)
    ));
    let after: Vec<_> = r.entries().map(|(i, e)| (i.clone(), e.clone())).collect();
    assert_eq!(before, after, "the hold protects what it held");
    let Record::Note(n) = r.get(&note).unwrap().clone() else {
        panic!()
    };
    assert_eq!(n.body, "What the subpoena asks for");
    // Once the hold is lifted, the rule that came back does its work.
    retention::set_hold(&mut r, false, "", today).unwrap();
    assert_eq!(
        retention::purge(&mut r, &pass(PASS), later)
            .unwrap()
            .note_bodies,
        1
    );
}

#[test]
fn cli_a_passphrase_backup_brings_back_the_hold() {
    let a = Cli::new();
    a.ok(&["init"]);
    a.ok(&["retention", "set", "note-body", "90d"]);
    a.ok(&[
        "add",
        "note",
        "--title",
        "Old",
        "--date",
        "2020-01-01",
        "--body",
        "held text",
    ]);
    a.ok(&["hold", "on", "--reason", "records request"]);
    let pw = a.root.path().join("backup-pass");
    std::fs::write(&pw, "a long backup passphrase\n").unwrap();
    let bk = a.root.path().join("backup.age").display().to_string();
    let r = a
        .cmd(&["backup", "--passphrase", "--out", &bk])
        .env("AQUI_EXPORT_PASSPHRASE_FILE", &pw)
        .output()
        .unwrap();
    assert!(r.status.success(), "{r:?}");

    let b = Cli::new();
    let r = b
        .cmd(&["restore", &bk])
        .env("AQUI_EXPORT_PASSPHRASE_FILE", &pw)
        .output()
        .unwrap();
    assert!(r.status.success(), "{r:?}");
    assert_eq!(b.json(&["retention"]), a.json(&["retention"]));
    assert!(b.ok(&["retention"]).contains("records request"));
    assert!(b.fails(&["purge"]).contains("hold"));
    assert_eq!(b.json(&["list", "note"])[0]["body"], "held text");
}

/// A purge whose shredding was cut short (the re-key failed), with nothing
/// new due, is finished by the next unlock in the app: the passphrase is
/// kept for it, or the purged text would stay readable under the old data
/// key until some other purge fell due.
#[test]
fn an_unlock_in_the_app_finishes_a_shredding_cut_short() {
    let dir = TempDir::new().unwrap();
    let place = dir.path().join("app");
    std::fs::create_dir(&place).unwrap();
    let vdir = place.join("vault");
    let mut v = Vault::create(&vdir, &pass(PASS), fast_kdf()).unwrap();
    let today = aqui::model::today();
    v.add(rec(Kind::Person, &[("name", "Shredcanary App")]))
        .unwrap();
    retention::set_rule(&mut v, Rule::InactivePerson, Age::parse("1y")).unwrap();
    let other = block_the_rekey(&vdir);
    let later = today + Duration::days(800);
    assert!(retention::purge(&mut v, &pass(PASS), later).is_err());
    assert!(v.retention().shred_pending);
    drop(v);
    std::fs::remove_file(&other).unwrap();
    // The app's unlock: nothing new is due today, only the shredding.
    let mut app = aqui::app::Session::new(aqui::app::Dirs::beside(&vdir));
    app.unlock(&pass(PASS), false).unwrap();
    assert!(app.purge_due().unwrap().is_none());
    assert!(
        !app.vault().unwrap().retention().shred_pending,
        "the unlock left the shredding undone"
    );
}

/// The collector of a recent paper batch counts as active, like a signer
/// or an attendee: two years on, with a one-year rule, they keep who they
/// are while someone with nothing since is purged. (An organization's
/// contact and a demand's lead count from their record's last change, which
/// a test cannot set in the past.)
#[test]
fn the_collector_of_a_recent_paper_batch_is_not_purged_as_inactive() {
    let dir = TempDir::new().unwrap();
    let mut v = Vault::create(&dir.path().join("v"), &pass(PASS), fast_kdf()).unwrap();
    let today = aqui::model::today();
    let person = |v: &mut Vault, name| v.add(rec(Kind::Person, &[("name", name)])).unwrap();
    let collector = person(&mut v, "Colectora Canaria");
    let nobody = person(&mut v, "Nadie Canario");
    let drive = v
        .add(rec(
            Kind::Pledge,
            &[
                ("title", "Drive"),
                ("goal", "10"),
                ("deadline", "2030-01-01"),
            ],
        ))
        .unwrap();
    let recent = (today + Duration::days(600)).to_string();
    aqui::pledge::add_batch(
        &mut v,
        &drive,
        "12",
        Some(&recent),
        Some(collector.as_str()),
    )
    .unwrap();
    retention::set_rule(&mut v, Rule::InactivePerson, Age::parse("1y")).unwrap();
    let later = today + Duration::days(800);
    assert_eq!(retention::plan(&v, later).counts.people, 1);
    retention::purge(&mut v, &pass(PASS), later).unwrap();
    let name = |v: &Vault, id| match v.get(id).unwrap() {
        Record::Person(p) => p.name.clone(),
        _ => unreachable!(),
    };
    assert_eq!(name(&v, &collector), "Colectora Canaria");
    assert_ne!(name(&v, &nobody), "Nadie Canario");
}
