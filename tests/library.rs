use crate::util::{fast_kdf, new_vault, pass, rec, PASS};
use aqui::model::{FieldError, Problem};
use aqui::vault::Error;
use aqui::{demo, Id, Kind, Record, Vault};

#[test]
fn every_kind_round_trips_through_the_library_and_a_reopen() {
    let (tmp, mut v) = new_vault();
    let n = demo::fill(&mut v, aqui::model::today()).unwrap();
    let counts = v.counts();
    assert_eq!(counts.values().sum::<usize>(), n);
    assert!(
        Kind::ALL.iter().all(|k| counts[k] > 0),
        "the demo has every kind: {counts:?}"
    );
    let before: Vec<(Id, aqui::vault::Entry)> =
        v.entries().map(|(i, e)| (i.clone(), e.clone())).collect();
    drop(v);
    let v = Vault::unlock(&tmp.path().join("vault"), &pass(PASS)).unwrap();
    assert_eq!(v.entries().count(), before.len());
    for (id, e) in before {
        assert_eq!(v.entry(&id), Some(&e), "{id} came back the same");
    }
}

#[test]
fn updates_deletes_and_tombstones() {
    let (tmp, mut v) = new_vault();
    let org = v.add(rec(Kind::Org, &[("name", "Centro")])).unwrap();
    let p = v
        .add(rec(Kind::Person, &[("name", "Ana"), ("org", org.as_str())]))
        .unwrap();
    let clock1 = v.entry(&p).unwrap().meta.clock.clone();
    v.edit(&p, &[("alias".into(), "Anita".into())]).unwrap();
    let e = v.entry(&p).unwrap();
    assert!(
        e.meta.clock.values().sum::<u64>() > clock1.values().sum::<u64>(),
        "each edit advances the version clock"
    );
    assert!(e.meta.updated >= e.meta.created);

    // deleting the org leaves a tombstone; the person keeps the (dangling) link and stays editable
    v.delete(&org).unwrap();
    assert!(v.get(&org).is_err());
    assert!(
        v.entry(&org).unwrap().record.is_none(),
        "tombstone kept for merging"
    );
    assert!(v.list(Kind::Org).is_empty());
    v.edit(&p, &[("tag".into(), "youth".into())]).unwrap();
    assert!(matches!(v.delete(&org), Err(Error::NotFound(_))));
    drop(v);
    let v = Vault::unlock(&tmp.path().join("vault"), &pass(PASS)).unwrap();
    assert!(
        v.entry(&org).unwrap().record.is_none(),
        "tombstone survives reopen"
    );
    assert_eq!(v.list(Kind::Person).len(), 1);
}

#[test]
fn references_must_point_at_live_records_of_the_right_kind() {
    let (_tmp, mut v) = new_vault();
    let org = v.add(rec(Kind::Org, &[("name", "Centro")])).unwrap();
    let missing = rec(
        Kind::Person,
        &[("name", "Ana"), ("org", Id::new(Kind::Org).as_str())],
    );
    let err = v.add(missing).unwrap_err();
    assert!(
        matches!(err, Error::Invalid(FieldError { ref field, problem: Problem::Missing }) if field == "org"),
        "{err:?}"
    );
    let wrong = rec(Kind::Note, &[("title", "T"), ("attendee", org.as_str())]);
    let err = v.add(wrong).unwrap_err();
    assert!(matches!(
        err,
        Error::Invalid(FieldError {
            problem: Problem::WrongKind {
                expected: Kind::Person
            },
            ..
        })
    ));
    // the wrong kind of record under an id is refused
    let err = v
        .update(&org, rec(Kind::Campaign, &[("name", "C")]))
        .unwrap_err();
    assert!(matches!(err, Error::Invalid(_)));
    assert_eq!(v.counts().values().sum::<usize>(), 1);
}

#[test]
fn a_batch_is_all_or_nothing() {
    let (_tmp, mut v) = new_vault();
    let mut batch = demo::sample_chapter(aqui::model::today());
    let bad = Record::empty(Kind::Org); // no name
    batch.push((Id::new(Kind::Org), bad));
    assert!(v.add_all(batch).is_err());
    assert_eq!(
        v.counts().values().sum::<usize>(),
        0,
        "nothing from a failed batch"
    );
}

#[test]
fn hostile_values_are_refused_before_storage() {
    let (_tmp, mut v) = new_vault();
    let huge = "x".repeat(aqui::model::limits::BODY + 1);
    let mut note = Record::empty(Kind::Note);
    assert!(note.set("body", &huge, aqui::model::today()).is_err());
    // a record built directly (as from JSON) is still validated by the vault
    let json = serde_json::json!({"kind": "person", "name": "Ana", "email": "not an email"});
    let direct: Record = serde_json::from_value(json).unwrap();
    assert!(matches!(v.add(direct), Err(Error::Invalid(_))));
    let json = serde_json::json!({"kind": "note", "title": "t", "body": huge});
    let direct: Record = serde_json::from_value(json).unwrap();
    assert!(matches!(v.add(direct), Err(Error::Invalid(_))));
    // markup is just text: stored and returned as typed
    let id = v
        .add(rec(
            Kind::Person,
            &[("name", "<img src=x onerror=alert(1)>")],
        ))
        .unwrap();
    assert_eq!(v.get(&id).unwrap().title(), "<img src=x onerror=alert(1)>");
}

#[test]
fn change_passphrase_and_wipe() {
    let (tmp, mut v) = new_vault();
    let dir = tmp.path().join("vault");
    let id = v
        .add(rec(Kind::Campaign, &[("name", "Sanctuary campus")]))
        .unwrap();
    v.change_passphrase(&pass("the new one"), fast_kdf())
        .unwrap();
    drop(v);
    assert!(matches!(
        Vault::unlock(&dir, &pass(PASS)),
        Err(Error::WrongPassphrase)
    ));
    let v = Vault::unlock(&dir, &pass("the new one")).unwrap();
    assert!(v.get(&id).is_ok());
    v.destroy().unwrap();
    assert!(!dir.exists());
    assert!(matches!(
        Vault::unlock(&dir, &pass("the new one")),
        Err(Error::NoVault(_))
    ));
}

#[test]
fn an_interrupted_wipe_leaves_nothing_decryptable() {
    let (tmp, mut v) = new_vault();
    let dir = tmp.path().join("vault");
    v.add(rec(Kind::Campaign, &[("name", "Sanctuary campus")]))
        .unwrap();
    drop(v);
    // Simulate a wipe stopped right after the key was destroyed: the store is
    // still there, but without the header no passphrase opens it.
    std::fs::remove_file(dir.join("key.json")).unwrap();
    assert!(dir.join("store").exists());
    assert!(matches!(
        Vault::unlock(&dir, &pass(PASS)),
        Err(Error::NoVault(_))
    ));
    // and a new vault can be created in its place
    let fresh = Vault::create(&dir, &pass(PASS), fast_kdf()).unwrap();
    assert_eq!(fresh.counts().values().sum::<usize>(), 0);
}

#[test]
fn the_home_screen_shows_due_follow_ups_and_running_drives() {
    let (_tmp, mut v) = new_vault();
    let today = chrono::NaiveDate::from_ymd_opt(2026, 11, 21).unwrap();
    demo::fill(&mut v, today).unwrap();
    let home = aqui::view::home(&v, aqui::Lang::Es, today);
    let first = &home.follow_ups[0];
    assert_eq!(first.task, "Translate the flyer into Spanish");
    assert!(first.overdue);
    // Overdue says since when, not "due" (the UI's tag already says overdue).
    assert_eq!(first.due_text, "desde el 20 nov 2026");
    assert!(home.follow_ups.windows(2).all(|w| w[0].due <= w[1].due));
    assert!(home
        .follow_ups
        .iter()
        .all(|f| f.due <= today + chrono::Duration::days(14)));
    let drive = &home.drives[0];
    assert_eq!(drive.title, "100 signatures before the Board vote");
    assert_eq!((drive.progress, drive.goal, drive.percent), (45, 100, 45));
    assert_eq!(drive.days_left_text, "quedan 24 días");
    assert_eq!(home.drives.len(), 2);
    // details are labelled in the chosen language, contacts flagged for meeting mode
    let maria = v.search("maria").into_iter().next().unwrap();
    let rows = aqui::view::details(&v, aqui::Lang::Es, maria, today);
    let phone = rows.iter().find(|r| r.field == "phone").unwrap();
    assert_eq!((phone.label.as_str(), phone.contact), ("Teléfono", true));
}

#[test]
fn forms_round_trip_every_sample_record() {
    let today = chrono::NaiveDate::from_ymd_opt(2026, 11, 21).unwrap();
    for (id, mut record) in demo::sample_chapter(today) {
        record.prepare_new(today); // as the vault does when storing it
        let pairs: Vec<(String, String)> = aqui::model::form::values(&record)
            .into_iter()
            .map(|(f, v)| (f.to_string(), v))
            .collect();
        let mut again = record.clone();
        again.apply_form(&pairs, today).unwrap();
        assert_eq!(
            again, record,
            "{id}: a form of its own values changes nothing"
        );
        let mut fresh = Record::empty(record.kind());
        fresh.apply_form(&pairs, today).unwrap();
        assert_eq!(fresh.title(), record.title());
    }
    // a form replaces list fields and keeps a person's roles
    let (_tmp, mut v) = new_vault();
    let org = v.add(rec(Kind::Org, &[("name", "Centro")])).unwrap();
    let p = v
        .add(rec(
            Kind::Person,
            &[
                ("name", "Ana"),
                ("org", &format!("{org}:Coordinadora")),
                ("tag", "a"),
                ("tag", "b"),
            ],
        ))
        .unwrap();
    let form = |pairs: &[(&str, &str)]| {
        pairs
            .iter()
            .map(|(a, b)| (a.to_string(), b.to_string()))
            .collect::<Vec<_>>()
    };
    v.save_form(
        Some(&p),
        Kind::Person,
        &form(&[("name", "Ana"), ("org", org.as_str()), ("tag", "c")]),
    )
    .unwrap();
    let Record::Person(person) = v.get(&p).unwrap() else {
        panic!()
    };
    assert_eq!(person.tags, vec!["c"]);
    assert_eq!(person.orgs[0].role, "Coordinadora");
    let err = v
        .save_form(
            None,
            Kind::Pledge,
            &form(&[("title", "P"), ("goal", "0"), ("deadline", "2027-01-01")]),
        )
        .unwrap_err();
    let user = aqui::Localize::to_user(&err, aqui::Lang::Es);
    assert_eq!(
        (user.kind.as_str(), user.field.as_deref()),
        ("err-invalid-field", Some("goal"))
    );
    assert!(user.message.starts_with("Meta:"), "{}", user.message);
}

#[test]
fn wipe_never_deletes_what_is_not_the_vault() {
    let tmp = tempfile::TempDir::new().unwrap();
    let docs = tmp.path().join("Documents");
    std::fs::create_dir_all(&docs).unwrap();
    std::fs::write(docs.join("thesis.txt"), "years of work").unwrap();
    assert!(
        matches!(Vault::wipe(&docs), Err(Error::NoVault(_))),
        "a folder that is not a vault"
    );
    assert!(docs.join("thesis.txt").exists());

    // A vault someone keeps other files beside: only the vault's files go.
    let dir = tmp.path().join("shared");
    drop(Vault::create(&dir, &pass(PASS), fast_kdf()).unwrap());
    std::fs::write(dir.join("notes.txt"), "mine").unwrap();
    std::fs::write(dir.join("key.json.tmp"), "a half-written header").unwrap();
    Vault::wipe(&dir).unwrap();
    assert!(
        !dir.join("key.json").exists()
            && !dir.join("key.json.tmp").exists()
            && !dir.join("store").exists()
    );
    assert!(dir.join("notes.txt").exists(), "other files are left alone");
}

#[test]
fn a_follow_up_task_with_bars_survives_the_app_form_and_a_reopen() {
    let (tmp, mut v) = new_vault();
    let ana = v.add(rec(Kind::Person, &[("name", "Ana")])).unwrap();
    let task = "Flyers | EN|ES || print 50|";
    let pair = |f: &str, x: String| (f.to_string(), x);
    // what the app's note form sends: the full TASK|DUE|WHO|done form
    let pairs = vec![
        pair("title", "Meeting".into()),
        pair("date", "2026-11-20".into()),
        pair("follow-up", format!("{task}|2026-12-01|{ana}|done")),
        pair("follow-up", "Call | text the pastor|||".into()),
    ];
    let note = v.save_form(None, Kind::Note, &pairs).unwrap();
    let check = |v: &Vault| {
        let Ok(Record::Note(n)) = v.get(&note) else {
            panic!("a note")
        };
        let fu = &n.follow_ups;
        assert_eq!(fu.len(), 2);
        assert_eq!(fu[0].task, task.trim());
        assert_eq!(fu[0].who.as_ref(), Some(&ana));
        assert_eq!(
            fu[0].due.map(|d| d.to_string()).as_deref(),
            Some("2026-12-01")
        );
        assert!(fu[0].done);
        assert_eq!(
            (fu[1].task.as_str(), fu[1].done),
            ("Call | text the pastor", false)
        );
    };
    check(&v);
    // the edit form starts from the core's values, and saving them unchanged
    // changes nothing: the task is not split on any later save
    let form: Vec<(String, String)> = aqui::model::form::values(v.get(&note).unwrap())
        .into_iter()
        .map(|(f, x)| (f.to_string(), x))
        .collect();
    v.save_form(Some(&note), Kind::Note, &form).unwrap();
    v.save_form(Some(&note), Kind::Note, &form).unwrap();
    check(&v);
    drop(v);
    check(&Vault::unlock(&tmp.path().join("vault"), &pass(PASS)).unwrap());
}

#[test]
fn details_send_yes_no_and_follow_ups_as_data() {
    let (_tmp, mut v) = new_vault();
    let today = chrono::NaiveDate::from_ymd_opt(2026, 11, 21).unwrap();
    demo::fill_in(&mut v, aqui::Lang::Es, today).unwrap();
    let find = |kind: Kind, title: &str| -> Id {
        v.list(kind)
            .into_iter()
            .find(|(_, r)| r.title() == title)
            .map(|(id, _)| id.clone())
            .unwrap_or_else(|| panic!("{title}"))
    };
    // A note's follow-ups come one by one, for the app's checkboxes.
    let note = find(
        Kind::Note,
        "Reunión de la coalición en el sótano de Santa Ana",
    );
    let rows = aqui::view::details(&v, aqui::Lang::Es, &note, today);
    let fu = rows.iter().find(|r| r.field == "follow-up").unwrap();
    assert_eq!(fu.items.len(), 3);
    assert!(fu.items.iter().all(|i| !i.done));
    assert_eq!(
        fu.items[0].task,
        "Inscribir a 10 personas para los comentarios públicos"
    );
    assert_eq!(
        fu.items[0].due_text.as_deref(),
        Some("vence el 22 nov 2026")
    );
    let who = fu.items[0].who.as_ref().expect("who does it");
    assert!(who.text.starts_with("María Hernández"));
    assert!(rows
        .iter()
        .all(|r| r.field == "follow-up" || r.items.is_empty()));
    // Yes/no fields say so as data, beside their text.
    let pepe = find(Kind::Person, "José Ruiz");
    let rows = aqui::view::details(&v, aqui::Lang::Es, &pepe, today);
    let flag = |f: &str| rows.iter().find(|r| r.field == f).and_then(|r| r.flag);
    assert_eq!(flag("sensitive"), Some(true));
    // Consent has three states: its row says which in words, not as a flag.
    assert_eq!(flag("consent-share"), None);
    let share = rows.iter().find(|r| r.field == "consent-share").unwrap();
    assert!(
        share
            .text()
            .starts_with(&aqui::i18n::text(aqui::Lang::Es, "consent-state-no")),
        "{}",
        share.text()
    );
    assert_eq!(flag("name"), None);
}

/// A value that names records comes as spans: each names its record by
/// title with its id as data and says whether it is sensitive, so the app
/// masks by flag; no id is written into the text (only the CLI does that).
#[test]
fn details_name_records_as_spans_with_their_flags() {
    let (_dir, mut v) = new_vault();
    let ana = v.add(rec(Kind::Person, &[("name", "Ana")])).unwrap();
    let hidden = v
        .add(rec(Kind::Person, &[("name", "Beto"), ("sensitive", "yes")]))
        .unwrap();
    let note = v
        .add(rec(
            Kind::Note,
            &[
                ("title", "Asamblea"),
                ("date", "2026-11-20"),
                ("attendee", ana.as_str()),
                ("attendee", hidden.as_str()),
                ("follow-up", &format!("Llamar|2026-11-25|{hidden}")),
            ],
        ))
        .unwrap();
    let today = aqui::model::today();
    let rows = aqui::view::details(&v, aqui::Lang::En, &note, today);
    let attendees = rows.iter().find(|r| r.field == "attendee").unwrap();
    let named: Vec<(&str, Option<&Id>, bool)> = attendees
        .value
        .iter()
        .filter(|s| s.id.is_some())
        .map(|s| (s.text.as_str(), s.id.as_ref(), s.sensitive))
        .collect();
    assert_eq!(
        named,
        [("Ana", Some(&ana), false), ("Beto", Some(&hidden), true)]
    );
    assert_eq!(attendees.text(), "Ana; Beto");
    for row in &rows {
        assert!(!row.text().contains("per_"), "no id as text: {row:?}");
    }
    let fu = rows.iter().find(|r| r.field == "follow-up").unwrap();
    let who = fu.items[0].who.as_ref().unwrap();
    assert_eq!((who.text.as_str(), who.sensitive), ("Beto", true));
    let home = aqui::view::home(&v, aqui::Lang::En, today);
    let due = &home.follow_ups[0];
    assert!(due
        .who
        .as_ref()
        .is_some_and(|w| w.sensitive && w.id == Some(hidden.clone())));
    // A deleted record stays named, as deleted, by its id.
    v.delete(&ana).unwrap();
    let rows = aqui::view::details(&v, aqui::Lang::Es, &note, today);
    let attendees = rows.iter().find(|r| r.field == "attendee").unwrap();
    assert!(attendees.value[0].deleted && attendees.value[0].id == Some(ana));
    assert_eq!(attendees.text(), "registro borrado; Beto");
}
