//! Consent with a record: new people stay out of exports until consent is
//! recorded, withdrawal takes them out again, the history travels in a
//! handoff; the CLI's `aqui consent` and `show --json`.

use crate::util::{fast_kdf, pass, rec, Cli, PASS};
use aqui::handoff::{self, Selection, StewardKey, To};
use aqui::model::{ConsentChange, ConsentHow, ConsentState};
use aqui::{Id, Kind, Lang, Record, Vault};
use tempfile::TempDir;

fn day(s: &str) -> chrono::NaiveDate {
    chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

fn exported(v: &Vault) -> Vec<Id> {
    handoff::select(v, &Selection::All, false).unwrap().ids
}

fn person(v: &Vault, id: &Id) -> aqui::model::Person {
    match v.get(id).unwrap() {
        Record::Person(p) => p.clone(),
        _ => panic!("not a person"),
    }
}

#[test]
fn new_people_stay_out_until_asked_and_withdrawal_takes_them_out() {
    let dir = TempDir::new().unwrap();
    let mut a = Vault::create(&dir.path().join("a"), &pass(PASS), fast_kdf()).unwrap();
    let ana = a.add(rec(Kind::Person, &[("name", "Ana")])).unwrap();
    assert_eq!(person(&a, &ana).consent_share, ConsentState::NotAsked);
    assert!(!exported(&a).contains(&ana), "not asked: held back");
    let plan = handoff::select(&a, &Selection::All, false).unwrap();
    assert_eq!(plan.excluded.no_consent, 1);
    // explicitly included, they go
    assert!(handoff::select(&a, &Selection::All, true)
        .unwrap()
        .ids
        .contains(&ana));

    // a recorded no keeps them out too
    let no = ConsentChange {
        contact: Some(ConsentState::Yes),
        share: Some(ConsentState::No),
        how: Some(ConsentHow::Phone),
        ..ConsentChange::default()
    };
    aqui::consent::record(&mut a, &ana, &no).unwrap();
    assert!(!exported(&a).contains(&ana));

    let yes = ConsentChange {
        contact: Some(ConsentState::Yes),
        share: Some(ConsentState::Yes),
        how: Some(ConsentHow::Paper),
        date: Some(day("2026-10-02")),
        lang: Some(Lang::Es),
        recorder: None,
    };
    aqui::consent::record(&mut a, &ana, &yes).unwrap();
    assert!(exported(&a).contains(&ana), "a recorded yes: exported");

    aqui::consent::record(&mut a, &ana, &ConsentChange::withdraw(day("2026-11-20"))).unwrap();
    assert!(!exported(&a).contains(&ana), "withdrawn: held back again");
    let p = person(&a, &ana);
    assert_eq!(
        (p.consent_contact, p.consent_share),
        (ConsentState::No, ConsentState::No)
    );
    assert_eq!(p.consent.history.len(), 6);
    let states: Vec<ConsentState> = p.consent.history.iter().map(|e| e.state).collect();
    use ConsentState::{No, Yes};
    assert_eq!(states, vec![Yes, No, Yes, Yes, No, No]);
    assert_eq!(p.consent.history[4].date, day("2026-11-20"));

    // The history survives a handoff (included on purpose, then consent given again).
    aqui::consent::record(&mut a, &ana, &yes).unwrap();
    let b_dir = dir.path().join("b");
    let mut b = Vault::create(&b_dir, &pass(PASS), fast_kdf()).unwrap();
    handoff::add_steward(&mut a, "B", StewardKey::Card(&b.keys().card())).unwrap();
    handoff::verify_steward(&mut a, "B", Some(&b.keys().public().fingerprint())).unwrap();
    handoff::add_steward(&mut b, "A", StewardKey::Card(&a.keys().card())).unwrap();
    handoff::verify_steward(&mut b, "A", Some(&a.keys().public().fingerprint())).unwrap();
    let file = dir.path().join("x.age");
    let plan = handoff::select(&a, &Selection::All, false).unwrap();
    assert!(plan.ids.contains(&ana));
    handoff::export(&mut a, plan, &To::Stewards(&["B".into()]), &file).unwrap();
    let incoming = handoff::open(&b, &file, None).unwrap();
    handoff::apply(&mut b, incoming).unwrap();
    let there = person(&b, &ana);
    assert_eq!(there.consent, person(&a, &ana).consent);
    assert_eq!(there.consent.history.len(), 8);
    assert_eq!(
        there.consent.share.as_ref().unwrap().how,
        Some(ConsentHow::Paper)
    );
}

#[test]
fn old_flags_still_work_and_old_records_are_to_confirm() {
    let dir = TempDir::new().unwrap();
    let mut v = Vault::create(&dir.path().join("v"), &pass(PASS), fast_kdf()).unwrap();
    let a = v
        .add(rec(
            Kind::Person,
            &[("name", "Beto"), ("consent-contact", ""), ("no-share", "")],
        ))
        .unwrap();
    let p = person(&v, &a);
    assert_eq!(
        (p.consent_contact, p.consent_share),
        (ConsentState::Yes, ConsentState::No)
    );
    assert_eq!(p.consent.history.len(), 2);
    // A person as stored before consent records existed: a record with booleans.
    let old: Record = serde_json::from_str(
        r#"{"kind":"person","name":"Old Timer","consent_contact":true,"consent_share":true}"#,
    )
    .unwrap();
    let old = v.add(old).unwrap();
    assert!(exported(&v).contains(&old), "keeps its current behaviour");
    let confirm: Vec<Id> = aqui::consent::to_confirm(&v, Lang::En)
        .into_iter()
        .map(|i| i.id)
        .collect();
    assert_eq!(confirm, vec![old.clone()]);
    aqui::consent::record(
        &mut v,
        &old,
        &ConsentChange {
            share: Some(ConsentState::Yes),
            ..ConsentChange::default()
        },
    )
    .unwrap();
    assert!(aqui::consent::to_confirm(&v, Lang::En).is_empty());
    // Who recorded it: a person in this vault, or refused.
    let by = |r: Id| ConsentChange {
        contact: Some(ConsentState::Yes),
        recorder: Some(r),
        ..ConsentChange::default()
    };
    assert!(aqui::consent::record(&mut v, &old, &by(Id::new(Kind::Person))).is_err());
    aqui::consent::record(&mut v, &old, &by(a.clone())).unwrap();
    let p = person(&v, &old);
    assert_eq!(p.consent.contact.unwrap().recorder, Some(a));
}

#[test]
fn cli_consent_and_show_json() {
    let cli = Cli::new();
    cli.ok(&["init"]);
    let id = cli
        .ok(&["add", "person", "--name", "Luz"])
        .trim()
        .to_string();
    let p = cli.json(&["show", &id]);
    assert_eq!(p["consent_contact"], "not_asked");
    assert_eq!(p["consent_share"], "not_asked");
    cli.ok(&[
        "consent",
        &id,
        "--contact",
        "yes",
        "--share",
        "no",
        "--how",
        "in-person",
        "--date",
        "2026-11-02",
        "--lang",
        "es",
    ]);
    let p = cli.json(&["show", &id]);
    assert_eq!(p["consent_contact"], "yes");
    assert_eq!(p["consent_share"], "no");
    assert_eq!(p["consent"]["contact"]["date"], "2026-11-02");
    assert_eq!(p["consent"]["contact"]["how"], "in_person");
    assert_eq!(p["consent"]["contact"]["lang"], "es");
    assert_eq!(p["consent"]["history"].as_array().unwrap().len(), 2);
    // the person's language did not change: --lang after consent ID is the consent's
    assert!(p["lang"].is_null());
    // nothing to record, or a bad value: refused, nothing changes
    cli.fails(&["consent", &id]);
    let err = cli.fails(&["consent", &id, "--share", "maybe"]);
    assert!(err.contains("maybe"), "{err}");
    cli.fails(&["consent", &id, "--share", "yes", "--how", "carrier-pigeon"]);
    let again = cli.json(&["show", &id]);
    assert_eq!(again["consent"]["history"].as_array().unwrap().len(), 2);
}
