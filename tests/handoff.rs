//! Steward handoff through the library: vaults handing records around,
//! conflicts, deletions, what stays out of an export, every kind of bad file,
//! and interop with the age crate's own API.

use crate::util::{fast_kdf, pass, rec, PASS};
use aqui::handoff::bundle::{self, Excluded, Header, Purpose, Sender};
use aqui::handoff::{self, Error, Selection, Side, StewardKey, Take, To, Trust};
use aqui::identity::Keys;
use aqui::vault::{Entry, Meta};
use aqui::{Id, Kind, Localize, Record, Vault};
use std::collections::BTreeMap;
use std::io::Read;
use std::path::{Path, PathBuf};
use tempfile::TempDir;

struct Place {
    dir: TempDir,
}

impl Place {
    fn new() -> Place {
        Place {
            dir: TempDir::new().unwrap(),
        }
    }
    fn vault(&self, name: &str) -> Vault {
        Vault::create(&self.dir.path().join(name), &pass(PASS), fast_kdf()).unwrap()
    }
    fn file(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }
}

/// `a` learns `b`'s card (and so can export to it and verify its files).
fn introduce(a: &mut Vault, b: &Vault, name: &str) {
    handoff::add_steward(a, name, StewardKey::Card(&b.keys().card())).unwrap();
    handoff::verify_steward(a, name, Some(&b.keys().public().fingerprint())).unwrap();
}

fn export_to(from: &mut Vault, to: &str, sel: Selection, sensitive: bool, out: &Path) {
    let plan = handoff::select(from, &sel, sensitive).unwrap();
    handoff::export(from, plan, &To::Stewards(&[to.to_string()]), out).unwrap();
}

fn import(into: &mut Vault, file: &Path) -> handoff::Preview {
    let incoming = handoff::open(into, file, None).unwrap();
    handoff::apply(into, incoming).unwrap()
}

fn live(v: &Vault) -> BTreeMap<Id, Record> {
    v.entries()
        .filter_map(|(i, e)| Some((i.clone(), e.record.clone()?)))
        .collect()
}

fn all(v: &Vault) -> BTreeMap<Id, Entry> {
    v.entries().map(|(i, e)| (i.clone(), e.clone())).collect()
}

/// A small chapter: an org, a campaign with a demand, a pledge drive signed
/// by one person and a note attended by another, plus an unrelated person.
struct Chapter {
    org: Id,
    campaign: Id,
    demand: Id,
    pledge: Id,
    note: Id,
    signer: Id,
    attendee: Id,
    other: Id,
    sensitive: Id,
    no_share: Id,
}

fn chapter(v: &mut Vault) -> Chapter {
    let org = v
        .add(rec(
            Kind::Org,
            &[("name", "Centro Obrero"), ("kind", "worker_center")],
        ))
        .unwrap();
    let campaign = v
        .add(rec(
            Kind::Campaign,
            &[("name", "End 287(g)"), ("partner", org.as_str())],
        ))
        .unwrap();
    let signer = v
        .add(rec(
            Kind::Person,
            &[
                ("name", "Marisol Peña"),
                ("org", org.as_str()),
                ("share", "yes"),
            ],
        ))
        .unwrap();
    // People who agreed to be shared (new people are not asked yet, and stay out).
    let attendee = v
        .add(rec(
            Kind::Person,
            &[("name", "Tomás Ruiz"), ("share", "yes")],
        ))
        .unwrap();
    let other = v
        .add(rec(
            Kind::Person,
            &[("name", "Unrelated Person"), ("share", "yes")],
        ))
        .unwrap();
    let sensitive = v
        .add(rec(
            Kind::Person,
            &[("name", "Quiet Witness"), ("sensitive", "yes")],
        ))
        .unwrap();
    let no_share = v
        .add(rec(
            Kind::Person,
            &[("name", "Private Neighbor"), ("no-share", "")],
        ))
        .unwrap();
    let demand = v
        .add(rec(
            Kind::Demand,
            &[
                ("title", "End the 287(g) agreement"),
                ("target", "Sheriff"),
                ("campaign", campaign.as_str()),
                ("lead", org.as_str()),
            ],
        ))
        .unwrap();
    let pledge = v
        .add(rec(
            Kind::Pledge,
            &[
                ("title", "Pledge to end 287(g)"),
                ("goal", "500"),
                ("deadline", "2027-03-01"),
                ("signer", signer.as_str()),
                ("signer", sensitive.as_str()),
                ("campaign", campaign.as_str()),
            ],
        ))
        .unwrap();
    let note = v
        .add(rec(
            Kind::Note,
            &[
                ("title", "Planning meeting"),
                ("attendee", attendee.as_str()),
                ("campaign", campaign.as_str()),
            ],
        ))
        .unwrap();
    Chapter {
        org,
        campaign,
        demand,
        pledge,
        note,
        signer,
        attendee,
        other,
        sensitive,
        no_share,
    }
}

#[test]
fn three_vaults_hand_records_around() {
    let p = Place::new();
    let (mut a, mut b, mut c) = (p.vault("a"), p.vault("b"), p.vault("c"));
    let ch = chapter(&mut a);
    introduce(&mut a, &b, "Beto");
    introduce(&mut b, &a, "Ana");
    introduce(&mut b, &c, "Caro");
    introduce(&mut c, &b, "Beto");

    // A campaign export carries the campaign, its items and what they link to.
    export_to(
        &mut a,
        "Beto",
        Selection::Campaign(ch.campaign.clone()),
        false,
        &p.file("c.age"),
    );
    let preview = import(&mut b, &p.file("c.age"));
    assert_eq!(preview.sender.trust, Some(Trust::Verified));
    assert_eq!(preview.sender.name, "Ana");
    let got = live(&b);
    for id in [
        &ch.org,
        &ch.campaign,
        &ch.demand,
        &ch.note,
        &ch.signer,
        &ch.attendee,
    ] {
        assert_eq!(got.get(id), a.get(id).ok(), "{id} travelled intact");
    }
    // The pledge travels without the sensitive signer's id: counted, not named.
    let (Some(Record::Pledge(sent)), Ok(Record::Pledge(home))) =
        (got.get(&ch.pledge), a.get(&ch.pledge))
    else {
        panic!("the pledge travelled");
    };
    assert!(!sent.signers.contains(&ch.sensitive));
    assert_eq!(sent.signers.len() + 1, home.signers.len());
    assert_eq!((sent.others, sent.progress()), (1, home.progress()));
    assert!(!got.contains_key(&ch.other), "unlinked person stays home");
    assert!(
        !got.contains_key(&ch.sensitive),
        "sensitive signer stays home"
    );
    assert_eq!(preview.total.new, 7);

    // B passes everything on to C; C's copy equals A's campaign records.
    export_to(&mut b, "Caro", Selection::All, false, &p.file("b-all.age"));
    let preview = import(&mut c, &p.file("b-all.age"));
    assert_eq!(preview.total.new, 7);
    assert_eq!(live(&c), live(&b));

    // An edit made on C travels back to A through B, and wins (it is newer).
    c.edit(&ch.org, &[("region".into(), "Riverbend County".into())])
        .unwrap();
    export_to(
        &mut c,
        "Beto",
        Selection::Ids(vec![ch.org.clone()]),
        false,
        &p.file("c1.age"),
    );
    assert_eq!(import(&mut b, &p.file("c1.age")).total.updated, 1);
    handoff::add_steward(&mut b, "Ana", StewardKey::Card(&a.keys().card())).unwrap();
    export_to(
        &mut b,
        "Ana",
        Selection::Ids(vec![ch.org.clone()]),
        false,
        &p.file("b1.age"),
    );
    assert_eq!(import(&mut a, &p.file("b1.age")).total.updated, 1);
    let Record::Org(o) = a.get(&ch.org).unwrap() else {
        panic!()
    };
    assert_eq!(o.region, "Riverbend County");
    // Searching works on what arrived.
    assert_eq!(c.search("pena")[0], &ch.signer);
}

#[test]
fn concurrent_edits_conflict_deletions_travel_reimport_is_a_no_op() {
    let p = Place::new();
    let (mut a, mut b) = (p.vault("a"), p.vault("b"));
    let ch = chapter(&mut a);
    introduce(&mut a, &b, "Beto");
    introduce(&mut b, &a, "Ana");
    export_to(&mut a, "Beto", Selection::All, false, &p.file("1.age"));
    import(&mut b, &p.file("1.age"));

    // Same record edited on both sides: a conflict, ours stays, theirs is kept.
    a.edit(&ch.signer, &[("phone".into(), "555-111-2222".into())])
        .unwrap();
    b.edit(
        &ch.signer,
        &[
            ("phone".into(), "555-999-0000".into()),
            ("alias".into(), "Mari".into()),
        ],
    )
    .unwrap();
    // And a deletion on A of something B has not touched.
    a.delete(&ch.note).unwrap();
    export_to(&mut a, "Beto", Selection::All, false, &p.file("2.age"));
    let before = all(&b);
    let dry = handoff::preview(&b, &handoff::open(&b, &p.file("2.age"), None).unwrap()).unwrap();
    assert_eq!((dry.total.conflict, dry.total.deleted), (1, 1));
    assert_eq!(all(&b), before, "a preview writes nothing");
    let applied = import(&mut b, &p.file("2.age"));
    assert_eq!((applied.total.conflict, applied.total.deleted), (1, 1));
    assert!(b.get(&ch.note).is_err(), "the deletion travelled");
    let Record::Person(mine) = b.get(&ch.signer).unwrap() else {
        panic!()
    };
    assert_eq!(mine.phone, "555-999-0000", "ours stays until resolved");
    let c = &b.conflicts()[&ch.signer];
    let Some(Record::Person(theirs)) = &c.theirs.record else {
        panic!()
    };
    assert_eq!(theirs.phone, "555-111-2222");
    let view = aqui::view::conflicts(&b, aqui::Lang::Es, aqui::model::today());
    let fields: Vec<&str> = view[0].fields.iter().map(|f| f.name.as_str()).collect();
    assert_eq!(fields, ["alias", "phone"]);
    assert_eq!(view[0].fields[1].label, "Teléfono");

    // Importing the same file again changes nothing at all.
    let snapshot = all(&b);
    let again = import(&mut b, &p.file("2.age"));
    assert_eq!(
        again.total.new + again.total.updated + again.total.deleted,
        0
    );
    assert_eq!(all(&b), snapshot);
    assert_eq!(b.conflicts().len(), 1);

    // Resolve field by field: their phone, our alias.
    let take = Take::Fields(vec![("phone".into(), Side::Theirs)]);
    handoff::resolve(&mut b, &ch.signer, &take).unwrap();
    let Record::Person(now) = b.get(&ch.signer).unwrap() else {
        panic!()
    };
    assert_eq!(
        (now.phone.as_str(), now.alias.as_str()),
        ("555-111-2222", "Mari")
    );
    assert!(b.conflicts().is_empty());
    assert!(matches!(
        handoff::resolve(&mut b, &ch.signer, &take),
        Err(Error::NoConflict(_))
    ));

    // The resolution is newer than both: sent back to A, it simply wins.
    export_to(&mut b, "Ana", Selection::All, false, &p.file("3.age"));
    let back = import(&mut a, &p.file("3.age"));
    assert_eq!((back.total.conflict, back.total.updated), (0, 1));
    assert_eq!(a.get(&ch.signer).unwrap(), b.get(&ch.signer).unwrap());
    assert!(a.get(&ch.note).is_err());
}

#[test]
fn a_conflict_with_a_deletion_keeps_either_side_whole() {
    let p = Place::new();
    let (mut a, mut b) = (p.vault("a"), p.vault("b"));
    let ch = chapter(&mut a);
    introduce(&mut a, &b, "Beto");
    export_to(&mut a, "Beto", Selection::All, false, &p.file("1.age"));
    import(&mut b, &p.file("1.age"));
    a.delete(&ch.other).unwrap();
    b.edit(&ch.other, &[("alias".into(), "Uni".into())])
        .unwrap();
    export_to(&mut a, "Beto", Selection::All, false, &p.file("2.age"));
    assert_eq!(import(&mut b, &p.file("2.age")).total.conflict, 1);
    let fields = Take::Fields(vec![("alias".into(), Side::Theirs)]);
    assert!(matches!(
        handoff::resolve(&mut b, &ch.other, &fields),
        Err(Error::BadTake(_))
    ));
    handoff::resolve(&mut b, &ch.other, &Take::Whole(Side::Mine)).unwrap();
    assert!(b.get(&ch.other).is_ok(), "kept, as chosen");
}

#[test]
fn sensitive_and_no_consent_people_stay_out_unless_asked() {
    let p = Place::new();
    let (mut a, mut b) = (p.vault("a"), p.vault("b"));
    let ch = chapter(&mut a);
    introduce(&mut a, &b, "Beto");

    let plan = handoff::select(&a, &Selection::All, false).unwrap();
    assert_eq!(
        plan.excluded,
        Excluded {
            sensitive: 1,
            no_consent: 1
        }
    );
    assert!(!plan.sensitive_included);
    assert_eq!(plan.counts[&Kind::Person], 3);
    let w = handoff::export(
        &mut a,
        plan,
        &To::Stewards(&["Beto".into()]),
        &p.file("1.age"),
    )
    .unwrap();
    assert_eq!(w.plan.excluded.sensitive + w.plan.excluded.no_consent, 2);
    let log = a.log().last().unwrap().clone();
    assert_eq!((log.excluded.sensitive, log.excluded.no_consent), (1, 1));
    assert!(!log.sensitive_included);
    assert_eq!(log.peers[0].name, "Beto");
    assert_eq!(log.peers[0].fingerprint, b.keys().public().fingerprint());
    import(&mut b, &p.file("1.age"));
    assert!(b.get(&ch.sensitive).is_err() && b.get(&ch.no_share).is_err());
    // Chosen by id is not enough: it still takes the explicit switch.
    let plan = handoff::select(&a, &Selection::Ids(vec![ch.sensitive.clone()]), false).unwrap();
    assert!(plan.ids.is_empty());
    assert_eq!(plan.excluded.sensitive, 1);

    // Included when asked, and said so in the summary and the log.
    let plan = handoff::select(&a, &Selection::All, true).unwrap();
    assert!(plan.sensitive_included);
    assert_eq!(plan.excluded, Excluded::default());
    handoff::export(
        &mut a,
        plan,
        &To::Stewards(&["Beto".into()]),
        &p.file("2.age"),
    )
    .unwrap();
    assert!(a.log().last().unwrap().sensitive_included);
    let preview = import(&mut b, &p.file("2.age"));
    assert!(preview.sensitive_included);
    assert!(b.get(&ch.sensitive).is_ok() && b.get(&ch.no_share).is_ok());
    let text = aqui::view::log(&b, aqui::Lang::En)[0].text.clone();
    assert!(
        text.contains("Import") && text.contains("sensitive people included"),
        "{text}"
    );
}

#[test]
fn exports_open_with_the_age_crate_itself() {
    let p = Place::new();
    let (mut a, b) = (p.vault("a"), p.vault("b"));
    let ch = chapter(&mut a);
    introduce(&mut a, &b, "Beto");
    export_to(&mut a, "Beto", Selection::All, false, &p.file("1.age"));
    let file = std::fs::File::open(p.file("1.age")).unwrap();
    let d = age::Decryptor::new(file).unwrap();
    let mut r = d
        .decrypt(std::iter::once(
            b.keys().age_identity() as &dyn age::Identity
        ))
        .unwrap();
    let mut text = String::new();
    r.read_to_string(&mut text).unwrap();
    let first: serde_json::Value = serde_json::from_str(text.lines().next().unwrap()).unwrap();
    assert_eq!(first["aqui_bundle"], 2);
    // Version 2: the sender's device and the recipients' fingerprints, signed.
    assert_eq!(first["device"], a.device());
    assert_eq!(
        first["recipients"][0],
        b.keys().public().fingerprint().as_str()
    );
    assert!(text.contains(ch.signer.as_str()) && text.contains("Marisol Peña"));
    assert!(text.lines().last().unwrap().starts_with("{\"end\""));

    // A passphrase export, with the work factor we chose.
    let plan = handoff::select(&a, &Selection::All, false).unwrap();
    let secret = pass("a long file passphrase");
    handoff::export(&mut a, plan, &To::Passphrase(&secret, 12), &p.file("2.age")).unwrap();
    let d = age::Decryptor::new(std::fs::File::open(p.file("2.age")).unwrap()).unwrap();
    assert!(d.is_scrypt());
    let id = age::scrypt::Identity::new(age::secrecy::SecretString::from(
        "a long file passphrase".to_string(),
    ));
    let mut r = d
        .decrypt(std::iter::once(&id as &dyn age::Identity))
        .unwrap();
    let mut text = String::new();
    r.read_to_string(&mut text).unwrap();
    assert!(text.contains("Marisol Peña"));
    // And back in through the app's own import, to a vault that knows no one.
    let mut c = p.vault("c");
    assert!(handoff::needs_passphrase(&p.file("2.age")).unwrap());
    assert!(matches!(
        handoff::open(&c, &p.file("2.age"), None),
        Err(Error::NeedsPassphrase)
    ));
    let incoming = handoff::open(&c, &p.file("2.age"), Some(&secret)).unwrap();
    assert_eq!(incoming.sender.trust, Some(Trust::Unknown));
    handoff::apply(&mut c, incoming).unwrap();
    assert_eq!(live(&c).len(), live(&a).len() - 2);
}

/// Writes a bundle by hand (to forge bad ones), encrypted to `to`.
fn forge(
    path: &Path,
    to: &Vault,
    signer: &Keys,
    claimed: &Keys,
    version: u32,
    records: u64,
    entries: &[(Id, Entry)],
) {
    let header = Header {
        aqui_bundle: version,
        purpose: Purpose::Handoff,
        created: chrono::Utc::now(),
        sender: Sender {
            name: "Forger".into(),
            keys: claimed.public(),
        },
        device: "forger-device".into(),
        recipients: vec![to.keys().public().fingerprint()],
        records,
        counts: BTreeMap::new(),
        sensitive_included: false,
        excluded: Excluded::default(),
    };
    forge_header(path, to, signer, &header, entries);
}

/// Writes a bundle with `header`, signed by `signer`, encrypted to `to`.
fn forge_header(path: &Path, to: &Vault, signer: &Keys, header: &Header, entries: &[(Id, Entry)]) {
    let recipient = to.keys().public().recipient().unwrap();
    let enc = age::Encryptor::with_recipients(std::iter::once(&recipient as &dyn age::Recipient))
        .unwrap();
    let out = enc
        .wrap_output(std::fs::File::create(path).unwrap())
        .unwrap();
    let mut w = bundle::Writer::start(out, header).unwrap();
    for (id, e) in entries {
        w.entry(id, e).unwrap();
    }
    w.finish(signer).unwrap().finish().unwrap();
}

fn entry(record: Record) -> Entry {
    let now = chrono::Utc::now();
    Entry {
        meta: Meta {
            created: now,
            updated: now,
            clock: aqui::vault::Clock::from_iter([("forger".to_string(), 1)]),
        },
        record: Some(record),
    }
}

#[test]
fn every_bad_file_is_refused_clearly_and_changes_nothing() {
    let p = Place::new();
    let (mut a, mut b, c) = (p.vault("a"), p.vault("b"), p.vault("c"));
    chapter(&mut a);
    chapter(&mut b);
    introduce(&mut a, &b, "Beto");
    introduce(&mut a, &c, "Caro");
    export_to(&mut a, "Beto", Selection::All, false, &p.file("good.age"));
    let good = std::fs::read(p.file("good.age")).unwrap();
    let before = all(&b);
    let forger = Keys::generate();
    let person = |name: &str| rec(Kind::Person, &[("name", name), ("share", "yes")]);
    let pid = Id::new(Kind::Person);

    let mut cases: Vec<(&str, PathBuf, Option<&str>)> = Vec::new();
    let write = |name: &'static str, bytes: &[u8]| {
        std::fs::write(p.file(name), bytes).unwrap();
        p.file(name)
    };
    cases.push((
        "err-truncated",
        write("cut.age", &good[..good.len() * 2 / 3]),
        None,
    ));
    cases.push((
        "err-truncated",
        write("cut-end.age", &good[..good.len() - 20]),
        None,
    ));
    let mut bent = good.clone();
    let mid = bent.len() / 2;
    bent[mid] ^= 0x40;
    cases.push(("err-altered", write("bent.age", &bent), None));
    cases.push((
        "err-not-age",
        write("notes.txt", b"Meeting notes, not an age file\n"),
        None,
    ));
    cases.push(("err-not-age", write("empty.age", b""), None));
    cases.push(("err-no-file", p.file("missing.age"), None));
    export_to(
        &mut a,
        "Caro",
        Selection::All,
        false,
        &p.file("for-caro.age"),
    );
    cases.push(("err-not-for-you", p.file("for-caro.age"), None));
    let plan = handoff::select(&a, &Selection::All, false).unwrap();
    let secret = pass("the right words");
    handoff::export(
        &mut a,
        plan,
        &To::Passphrase(&secret, 10),
        &p.file("pw.age"),
    )
    .unwrap();
    cases.push((
        "err-export-wrong-passphrase",
        p.file("pw.age"),
        Some("the wrong words"),
    ));
    cases.push(("err-needs-passphrase", p.file("pw.age"), None));

    let f = p.file("newer.age");
    forge(
        &f,
        &b,
        &forger,
        &forger,
        3,
        1,
        &[(pid.clone(), entry(person("X")))],
    );
    cases.push(("err-bundle-too-new", f, None));
    let f = p.file("dup.age");
    let e = entry(person("Twice"));
    forge(
        &f,
        &b,
        &forger,
        &forger,
        1,
        2,
        &[(pid.clone(), e.clone()), (pid.clone(), e)],
    );
    cases.push(("err-duplicate-id", f, None));
    let f = p.file("huge-count.age");
    forge(&f, &b, &forger, &forger, 1, 1_000_000_000_000, &[]);
    cases.push(("err-too-large", f, None));
    let f = p.file("huge-field.age");
    forge(
        &f,
        &b,
        &forger,
        &forger,
        1,
        1,
        &[(
            pid.clone(),
            entry(Record::Person(aqui::model::Person {
                name: "N".repeat(100_000),
                ..Default::default()
            })),
        )],
    );
    cases.push(("err-bad-bundle", f, None));
    let f = p.file("wrong-kind.age");
    forge(
        &f,
        &b,
        &forger,
        &forger,
        1,
        1,
        &[(Id::new(Kind::Org), entry(person("Not an org")))],
    );
    cases.push(("err-bad-bundle", f, None));
    let f = p.file("count.age");
    forge(
        &f,
        &b,
        &forger,
        &forger,
        1,
        2,
        &[(pid.clone(), entry(person("One")))],
    );
    cases.push(("err-bad-bundle", f, None));
    // Signed by someone other than the steward the header names.
    let f = p.file("bad-sig.age");
    forge(
        &f,
        &b,
        &forger,
        a.keys(),
        1,
        1,
        &[(pid.clone(), entry(person("Spoof")))],
    );
    cases.push(("err-bad-signature", f, None));
    let mut backup_to = p.vault("d");
    handoff::backup(
        &mut backup_to,
        &To::Stewards(&[b.keys().public().age]),
        &p.file("bk.age"),
    )
    .unwrap();
    cases.push(("err-is-backup", p.file("bk.age"), None));

    for (kind, file, pw) in &cases {
        let pw = pw.map(pass);
        let err = match handoff::open(&b, file, pw.as_ref()) {
            Ok(incoming) => handoff::apply(&mut b, incoming).err(),
            Err(e) => Some(e),
        };
        let err = err.unwrap_or_else(|| panic!("{file:?} was accepted"));
        // A file cut inside a chunk fails that chunk's authentication, just
        // like an altered one: age cannot tell them apart, nor can we.
        let cut = *kind == "err-truncated" && err.kind() == "err-altered";
        assert!(err.kind() == *kind || cut, "{file:?}: {err:?}");
        let es = err.to_user(aqui::Lang::Es).message;
        assert!(es.contains("No se cambió nada"), "{file:?}: {es}");
        assert_eq!(all(&b), before, "{file:?} changed the vault");
    }
    // Nothing about a refused file reaches the log either.
    assert!(b.log().is_empty());
}

#[test]
fn backup_restores_the_whole_vault_elsewhere() {
    let p = Place::new();
    let (mut a, b) = (p.vault("a"), p.vault("b"));
    let ch = chapter(&mut a);
    introduce(&mut a, &b, "Beto");
    a.delete(&ch.other).unwrap();
    handoff::backup(&mut a, &To::Stewards(&[]), &p.file("own.age")).unwrap();
    let secret = pass("backup words here");
    handoff::backup(&mut a, &To::Passphrase(&secret, 10), &p.file("pw.age")).unwrap();

    let r1 = handoff::restore(
        &p.file("own.age"),
        handoff::Opener::Keys(a.keys()),
        &p.file("r1"),
        &pass("new vault pass"),
        fast_kdf(),
    )
    .unwrap();
    assert_eq!(all(&r1).len(), all(&a).len(), "tombstones included");
    assert_eq!(live(&r1), live(&a), "sensitive people included");
    assert_eq!(
        r1.keys().public(),
        a.keys().public(),
        "same steward identity"
    );
    assert_ne!(r1.device(), a.device(), "a device id of its own");
    assert!(r1.steward("beto").unwrap().verified);
    let actions: Vec<_> = r1.log().iter().map(|e| e.action).collect();
    assert_eq!(actions, [handoff::Action::Restore]);
    drop(r1);
    // It opens with its new passphrase, like any vault.
    Vault::unlock(&p.file("r1"), &pass("new vault pass")).unwrap();

    let r2 = handoff::restore(
        &p.file("pw.age"),
        handoff::Opener::Passphrase(&secret),
        &p.file("r2"),
        &pass("new vault pass"),
        fast_kdf(),
    )
    .unwrap();
    assert_eq!(live(&r2), live(&a));
    // Refused: a wrong passphrase, a target that is already a vault.
    let wrong = handoff::restore(
        &p.file("pw.age"),
        handoff::Opener::Passphrase(&pass("nope")),
        &p.file("r3"),
        &pass("x"),
        fast_kdf(),
    );
    assert!(matches!(wrong, Err(Error::WrongPassphrase)));
    assert!(!p.file("r3").exists());
    let taken = handoff::restore(
        &p.file("pw.age"),
        handoff::Opener::Passphrase(&secret),
        &p.file("r2"),
        &pass("x"),
        fast_kdf(),
    );
    assert!(taken.is_err());
}

#[test]
fn a_vault_whose_steward_keys_were_removed_opens_read_only() {
    // Vaults from before steward keys existed are format 1 or 2, and get
    // them in the re-key that migrates them. In format 3 a removed keys
    // entry is something changed behind the vault's back: the manifest
    // check finds it, and the vault opens read-only rather than quietly
    // making new keys.
    let p = Place::new();
    let dir = p.file("old");
    let v = p.vault("old");
    drop(v);
    {
        let db = sled::open(dir.join("store")).unwrap();
        db.open_tree("aux").unwrap().remove("keys").unwrap();
        db.flush().unwrap();
    }
    let v = Vault::unlock(&dir, &pass(PASS)).unwrap();
    assert_eq!(v.findings(), [aqui::vault::Finding::AuxChanged]);
    assert!(v.read_only());
}

#[test]
fn the_audit_log_keeps_every_entry_after_an_import_with_conflicts() {
    // An import writes its conflicts and its log entry in one batch; the
    // next entry must not take the import's place on disk.
    let p = Place::new();
    let (mut a, mut b) = (p.vault("a"), p.vault("b"));
    let ch = chapter(&mut a);
    introduce(&mut a, &b, "Beto");
    introduce(&mut b, &a, "Ana");
    export_to(&mut a, "Beto", Selection::All, false, &p.file("1.age"));
    import(&mut b, &p.file("1.age"));
    a.edit(&ch.signer, &[("alias".into(), "Mari".into())])
        .unwrap();
    b.edit(&ch.signer, &[("alias".into(), "Marisol".into())])
        .unwrap();
    export_to(&mut a, "Beto", Selection::All, false, &p.file("2.age"));
    assert_eq!(import(&mut b, &p.file("2.age")).total.conflict, 1);
    export_to(&mut b, "Ana", Selection::All, false, &p.file("3.age"));
    let in_memory: Vec<handoff::Action> = b.log().iter().map(|e| e.action).collect();
    drop(b);
    let b = Vault::unlock(&p.dir.path().join("b"), &pass(PASS)).unwrap();
    let on_disk: Vec<handoff::Action> = b.log().iter().map(|e| e.action).collect();
    use handoff::Action::{Export, Import};
    assert_eq!(in_memory, [Import, Import, Export]);
    assert_eq!(on_disk, in_memory, "the log reads back as it was written");
}

// ---- hostile files (issue 9): each leaves records unchanged or holds the
// change as a conflict, and says so clearly in English and Spanish --------

/// The entry `v` has for `id`, with `record` in its place and every clock
/// counter (ours, the sender's, everyone's) inflated far beyond real use.
fn inflated(v: &Vault, id: &Id, record: Record) -> Entry {
    let mut e = v.entry(id).unwrap().clone();
    for (_, n) in e.meta.clock.iter_mut() {
        *n = (1 << 40) - 1;
    }
    e.meta.clock.insert(v.device().to_string(), (1 << 40) - 1);
    e.record = Some(record);
    e
}

fn person_of(v: &Vault, id: &Id) -> aqui::model::Person {
    match v.get(id).unwrap() {
        Record::Person(p) => p.clone(),
        other => panic!("not a person: {other:?}"),
    }
}

fn held_text(v: &Vault, p: &handoff::Preview, lang: aqui::Lang) -> String {
    let lines: Vec<String> = aqui::view::held_views(v, lang, p)
        .into_iter()
        .map(|h| h.text)
        .collect();
    lines.join("\n")
}

#[test]
fn a_stranger_cannot_unmark_overwrite_or_win_the_clocks() {
    let p = Place::new();
    let (mut a, mut b) = (p.vault("a"), p.vault("b"));
    let ch = chapter(&mut a);
    introduce(&mut a, &b, "Beto");
    introduce(&mut b, &a, "Ana");
    export_to(&mut a, "Beto", Selection::All, false, &p.file("1.age"));
    import(&mut b, &p.file("1.age"));
    // B marks Marisol sensitive.
    b.edit(&ch.signer, &[("sensitive".into(), "yes".into())])
        .unwrap();
    let before = all(&b);

    // A stranger, with a fresh key, sends her unmarked with a new phone, and
    // clocks that name B's and A's devices with huge counts.
    let mut changed = person_of(&b, &ch.signer);
    changed.sensitive = false;
    changed.phone = "555-666-7777".into();
    let hostile = inflated(&b, &ch.signer, Record::Person(changed));
    let forger = Keys::generate();
    let f = p.file("hostile.age");
    forge(
        &f,
        &b,
        &forger,
        &forger,
        2,
        1,
        &[(ch.signer.clone(), hostile)],
    );

    let incoming = handoff::open(&b, &f, None).unwrap();
    assert_eq!(incoming.sender.trust, Some(Trust::Unknown));
    assert_eq!(incoming.warnings, vec![handoff::Warning::UnknownSender]);
    let preview = handoff::preview(&b, &incoming).unwrap();
    assert_eq!((preview.total.updated, preview.total.held), (0, 1));
    let en = held_text(&b, &preview, aqui::Lang::En);
    let es = held_text(&b, &preview, aqui::Lang::Es);
    assert!(
        en.contains("Marisol Peña") && en.contains("sensitive mark"),
        "{en}"
    );
    assert!(en.contains("never made") && en.contains("Phone"), "{en}");
    assert!(es.contains("confidencial"), "{es}");
    // The trust gate: refused, nothing changed, until accepted.
    let err = handoff::apply_checked(&mut b, incoming, false).unwrap_err();
    assert_eq!(err.kind(), "err-import-warnings");
    assert!(err
        .to_user(aqui::Lang::Es)
        .message
        .contains("No se cambió nada"));
    assert_eq!(all(&b), before);

    let incoming = handoff::open(&b, &f, None).unwrap();
    let done = handoff::apply_checked(&mut b, incoming, true).unwrap();
    assert_eq!(done.total.held, 1);
    // The record is as it was: still sensitive, same phone, same clock.
    assert_eq!(
        all(&b).get(&ch.signer),
        before.get(&ch.signer),
        "records unchanged"
    );
    let c = b.conflicts().get(&ch.signer).expect("held as a conflict");
    assert!(c.held.contains(&handoff::Held::Unmarks));
    assert!(c.held.contains(&handoff::Held::ForgedClock));
    let shown = aqui::view::conflicts(&b, aqui::Lang::Es, aqui::model::today());
    assert!(
        shown[0].held.iter().any(|h| h.contains("confidencial")),
        "{:?}",
        shown[0].held
    );
    // The held version's clock claims nothing beyond what B has seen.
    let mine = &b.entry(&ch.signer).unwrap().meta.clock;
    for (dev, n) in c.theirs.meta.clock.iter() {
        assert!(*n <= mine.get(dev).copied().unwrap_or(1), "{dev}: {n}");
    }
    // The next export still leaves her out.
    let plan = handoff::select(&b, &Selection::All, false).unwrap();
    assert!(!plan.ids.contains(&ch.signer));

    // Deciding: keep ours; the result carries no inflated counter, so A's
    // next real edit still wins over it.
    handoff::resolve(&mut b, &ch.signer, &Take::Whole(Side::Mine)).unwrap();
    let clock = &b.entry(&ch.signer).unwrap().meta.clock;
    assert!(clock.iter().all(|(_, n)| *n < 1000), "{clock:?}");
    assert!(person_of(&b, &ch.signer).sensitive);
    a.edit(&ch.signer, &[("alias".into(), "Mari".into())])
        .unwrap();
    export_to(
        &mut a,
        "Beto",
        Selection::Ids(vec![ch.signer.clone()]),
        true,
        &p.file("2.age"),
    );
    let back = import(&mut b, &p.file("2.age"));
    // A's edit is concurrent with B's resolution: a conflict, not lost.
    assert_eq!(
        back.total.conflict + back.total.updated + back.total.held,
        1
    );

    // A brand-new record from the stranger is taken, with its clock cut to
    // the sender's own device: it cannot pre-empt anyone's later edits.
    let new_id = Id::new(Kind::Person);
    let mut e = entry(rec(Kind::Person, &[("name", "Planted")]));
    e.meta.clock.insert(b.device().to_string(), 99);
    e.meta.clock.insert("someone-else".into(), (1 << 40) - 1);
    let f = p.file("planted.age");
    forge(&f, &b, &forger, &forger, 2, 1, &[(new_id.clone(), e)]);
    let incoming = handoff::open(&b, &f, None).unwrap();
    assert_eq!(handoff::apply(&mut b, incoming).unwrap().total.new, 1);
    let clock = &b.entry(&new_id).unwrap().meta.clock;
    assert_eq!(clock.len(), 1, "{clock:?}");
    assert_eq!(clock.get("forger-device"), Some(&1));
}

#[test]
fn a_verified_steward_cannot_loosen_protection_silently() {
    let p = Place::new();
    let (mut a, mut b) = (p.vault("a"), p.vault("b"));
    let ch = chapter(&mut a);
    introduce(&mut a, &b, "Beto");
    introduce(&mut b, &a, "Ana");
    export_to(&mut a, "Beto", Selection::All, true, &p.file("1.age"));
    import(&mut b, &p.file("1.age"));
    // A unmarks the witness and gives the neighbor consent to share.
    a.edit(&ch.sensitive, &[("sensitive".into(), "no".into())])
        .unwrap();
    a.edit(&ch.no_share, &[("share".into(), "yes".into())])
        .unwrap();
    // And an ordinary edit, which applies.
    a.edit(&ch.attendee, &[("alias".into(), "Tomi".into())])
        .unwrap();
    export_to(&mut a, "Beto", Selection::All, true, &p.file("2.age"));
    let incoming = handoff::open(&b, &p.file("2.age"), None).unwrap();
    assert!(incoming.warnings.is_empty(), "{:?}", incoming.warnings);
    let done = handoff::apply_checked(&mut b, incoming, false).unwrap();
    assert!(person_of(&b, &ch.sensitive).sensitive, "still sensitive");
    assert_eq!(person_of(&b, &ch.attendee).alias, "Tomi");
    let held: Vec<&Id> = done.held.iter().map(|h| &h.id).collect();
    assert!(held.contains(&&ch.sensitive), "{held:?}");
    let c = b.conflicts().get(&ch.sensitive).unwrap();
    assert_eq!(c.held, vec![handoff::Held::Unmarks]);
    assert!(!person_of(&b, &ch.no_share).consent_share.is_yes());
    assert_eq!(
        b.conflicts().get(&ch.no_share).unwrap().held,
        vec![handoff::Held::WidensConsent]
    );
    // Resolving field by field: the person decides to take the unmark.
    handoff::resolve(
        &mut b,
        &ch.sensitive,
        &Take::Fields(vec![("sensitive".into(), Side::Theirs)]),
    )
    .unwrap();
    assert!(!person_of(&b, &ch.sensitive).sensitive);

    // Undeleting: B deletes a person; A's live copy, edited again, comes
    // back: held, the deletion stays in force.
    b.delete(&ch.other).unwrap();
    a.edit(&ch.other, &[("alias".into(), "Back".into())])
        .unwrap();
    export_to(
        &mut a,
        "Beto",
        Selection::Ids(vec![ch.other.clone()]),
        true,
        &p.file("3.age"),
    );
    let done = import(&mut b, &p.file("3.age"));
    assert_eq!(done.total.held + done.total.conflict, 1);
    assert!(b.get(&ch.other).is_err(), "the deletion stays in force");
}

#[test]
fn forwarded_and_old_files_carry_warnings() {
    let p = Place::new();
    let (mut a, b, c) = (p.vault("a"), p.vault("b"), p.vault("c"));
    chapter(&mut a);
    introduce(&mut a, &c, "Caro");
    let mut b = b;
    introduce(&mut b, &a, "Ana");
    // A file made for Caro, decrypted by her and encrypted again to B.
    export_to(
        &mut a,
        "Caro",
        Selection::All,
        false,
        &p.file("for-caro.age"),
    );
    let d = age::Decryptor::new(std::fs::File::open(p.file("for-caro.age")).unwrap()).unwrap();
    let mut plain = Vec::new();
    d.decrypt(std::iter::once(
        c.keys().age_identity() as &dyn age::Identity
    ))
    .unwrap()
    .read_to_end(&mut plain)
    .unwrap();
    let to_b = b.keys().public().recipient().unwrap();
    let enc =
        age::Encryptor::with_recipients(std::iter::once(&to_b as &dyn age::Recipient)).unwrap();
    let mut w = enc
        .wrap_output(std::fs::File::create(p.file("fwd.age")).unwrap())
        .unwrap();
    std::io::Write::write_all(&mut w, &plain).unwrap();
    w.finish().unwrap();
    let before = all(&b);
    let incoming = handoff::open(&b, &p.file("fwd.age"), None).unwrap();
    assert_eq!(incoming.sender.trust, Some(Trust::Verified));
    assert_eq!(incoming.warnings, vec![handoff::Warning::NotForUs]);
    let err = handoff::apply_checked(&mut b, incoming, false).unwrap_err();
    assert_eq!(err.kind(), "err-import-warnings");
    let en = err.to_user(aqui::Lang::En).message;
    let es = err.to_user(aqui::Lang::Es).message;
    assert!(
        en.contains("forwarded") && es.contains("reenviado"),
        "{en}\n{es}"
    );
    assert_eq!(all(&b), before);

    // A version 1 file (today's app before this change) still imports, with
    // its warning.
    let pid = Id::new(Kind::Person);
    let header = Header {
        aqui_bundle: 1,
        purpose: Purpose::Handoff,
        created: chrono::Utc::now(),
        sender: Sender {
            name: String::new(),
            keys: a.keys().public(),
        },
        device: String::new(),
        recipients: Vec::new(),
        records: 1,
        counts: BTreeMap::new(),
        sensitive_included: false,
        excluded: Excluded::default(),
    };
    let f = p.file("v1.age");
    forge_header(
        &f,
        &b,
        a.keys(),
        &header,
        &[(
            pid.clone(),
            entry(rec(Kind::Person, &[("name", "Old File")])),
        )],
    );
    let text = String::from_utf8_lossy(&{
        let d = age::Decryptor::new(std::fs::File::open(&f).unwrap()).unwrap();
        let mut v = Vec::new();
        d.decrypt(std::iter::once(
            b.keys().age_identity() as &dyn age::Identity
        ))
        .unwrap()
        .read_to_end(&mut v)
        .unwrap();
        v
    })
    .into_owned();
    assert!(text.starts_with("{\"aqui_bundle\":1"));
    let incoming = handoff::open(&b, &f, None).unwrap();
    assert_eq!(incoming.warnings, vec![handoff::Warning::OldFormat]);
    assert_eq!(
        handoff::apply_checked(&mut b, incoming, true)
            .unwrap()
            .total
            .new,
        1
    );
    assert!(b.get(&pid).is_ok());
}

#[test]
fn control_characters_in_a_sender_name_are_never_shown() {
    let p = Place::new();
    let b = p.vault("b");
    let forger = Keys::generate();
    for name in [
        "\u{1b}[2J\u{1b}[31mAna",
        "Ana\u{202E}lanigiro",
        "Zero\u{200B}Width",
    ] {
        let header = Header {
            aqui_bundle: 2,
            purpose: Purpose::Handoff,
            created: chrono::Utc::now(),
            sender: Sender {
                name: name.into(),
                keys: forger.public(),
            },
            device: "\u{1b}[2J".into(),
            recipients: vec![b.keys().public().fingerprint()],
            records: 0,
            counts: BTreeMap::new(),
            sensitive_included: false,
            excluded: Excluded::default(),
        };
        let f = p.file("ctl.age");
        forge_header(&f, &b, &forger, &header, &[]);
        let incoming = handoff::open(&b, &f, None).unwrap();
        assert_eq!(incoming.sender.name, "");
        assert!(incoming.warnings.contains(&handoff::Warning::BadSenderName));
        let preview = handoff::preview(&b, &incoming).unwrap();
        for lang in [aqui::Lang::En, aqui::Lang::Es] {
            let v = aqui::view::import_view(lang, 1, &preview, false);
            assert!(!v.from.contains('\u{1b}') && !v.from.contains('\u{202E}'));
            assert!(!v.warnings.is_empty());
        }
    }
    // Typed names follow the same rule.
    assert!(aqui::identity::check_name("Ana\u{202E}").is_err());
    assert!(aqui::identity::check_name("Ana\u{1b}[2J").is_err());
    assert!(aqui::identity::check_name("Ana María").is_ok());
}

#[test]
fn left_out_people_leave_no_trace_and_come_home_intact() {
    let p = Place::new();
    let (mut a, mut b) = (p.vault("a"), p.vault("b"));
    let ch = chapter(&mut a);
    introduce(&mut a, &b, "Beto");
    introduce(&mut b, &a, "Ana");
    // A meeting the witness and the neighbor attended, with a follow-up for
    // the witness, mentioning her by name; the org's contact is the neighbor.
    let meeting = a
        .add(rec(
            Kind::Note,
            &[
                ("title", "Know your rights"),
                ("body", "Quiet Witness told us about the raid."),
                ("attendee", ch.attendee.as_str()),
                ("attendee", ch.sensitive.as_str()),
                ("attendee", ch.no_share.as_str()),
                (
                    "follow-up",
                    &format!("Call back|2027-01-10|{}", ch.sensitive.as_str()),
                ),
            ],
        ))
        .unwrap();
    a.edit(&ch.org, &[("contact".into(), ch.no_share.as_str().into())])
        .unwrap();
    let plan = handoff::select(&a, &Selection::All, false).unwrap();
    assert_eq!(plan.mentions, vec!["Know your rights".to_string()]);
    // A selection that does not name them hides them all the same, and
    // still points at the note that mentions one of them.
    let only = handoff::select(&a, &Selection::Ids(vec![meeting.clone()]), false).unwrap();
    assert_eq!(only.ids, vec![meeting.clone()]);
    assert_eq!(only.mentions, vec!["Know your rights".to_string()]);
    assert!(only.hidden.contains(&ch.sensitive) && only.hidden.contains(&ch.no_share));
    assert!(!only.hidden.contains(&ch.attendee));
    let en = aqui::view::export_view(aqui::Lang::En, 1, &plan, None);
    assert_eq!(en.mentions, vec!["Know your rights".to_string()]);
    export_to(&mut a, "Beto", Selection::All, false, &p.file("1.age"));

    // Not a trace of either id in the file.
    let d = age::Decryptor::new(std::fs::File::open(p.file("1.age")).unwrap()).unwrap();
    let mut text = String::new();
    d.decrypt(std::iter::once(
        b.keys().age_identity() as &dyn age::Identity
    ))
    .unwrap()
    .read_to_string(&mut text)
    .unwrap();
    for gone in [&ch.sensitive, &ch.no_share] {
        assert!(!text.contains(gone.as_str()), "{gone} travelled");
    }
    import(&mut b, &p.file("1.age"));
    let Ok(Record::Note(n)) = b.get(&meeting) else {
        panic!("the note travelled")
    };
    assert_eq!((n.attendees.len(), n.others), (1, 2));
    assert_eq!(n.follow_ups[0].who, None);
    let shown = aqui::view::details(&b, aqui::Lang::En, &meeting, aqui::model::today());
    assert!(
        shown.iter().any(|r| r.text().contains("2 more people")),
        "{shown:?}"
    );
    let shown = aqui::view::details(&b, aqui::Lang::Es, &meeting, aqui::model::today());
    assert!(
        shown.iter().any(|r| r.text().contains("2 personas más")),
        "{shown:?}"
    );

    // B edits the note and sends it home: A keeps the people who never left.
    b.edit(
        &meeting,
        &[("title".into(), "Know your rights (notes)".into())],
    )
    .unwrap();
    export_to(
        &mut b,
        "Ana",
        Selection::Ids(vec![meeting.clone()]),
        false,
        &p.file("2.age"),
    );
    assert_eq!(import(&mut a, &p.file("2.age")).total.updated, 1);
    let Ok(Record::Note(home)) = a.get(&meeting) else {
        panic!()
    };
    assert_eq!(home.title, "Know your rights (notes)");
    assert_eq!((home.attendees.len(), home.others), (3, 0));
    assert_eq!(home.follow_ups[0].who.as_ref(), Some(&ch.sensitive));
}

/// An export's lines are the records as the vault holds them, written as
/// they would be parsed and written again, whether they travel as stored or
/// the long way: a record naming a left-out person (a reference, or text
/// that happens to be their id) goes the long way, and only references lose
/// them.
#[test]
fn records_travel_as_stored_unless_they_name_a_left_out_person() {
    let p = Place::new();
    let (mut a, b) = (p.vault("a"), p.vault("b"));
    let ch = chapter(&mut a);
    introduce(&mut a, &b, "Beto");
    let gone = a
        .add(rec(
            Kind::Person,
            &[("name", "Gone Soon"), ("share", "yes")],
        ))
        .unwrap();
    a.delete(&gone).unwrap();
    let quoting = a
        .add(rec(
            Kind::Note,
            &[
                ("title", ch.sensitive.as_str()),
                ("body", &format!("Ask about {} — «ñ» \\ \t", ch.sensitive)),
                ("attendee", ch.attendee.as_str()),
            ],
        ))
        .unwrap();
    let referring = a
        .add(rec(
            Kind::Note,
            &[("title", "Met"), ("attendee", ch.sensitive.as_str())],
        ))
        .unwrap();
    a.edit(&ch.org, &[("contact".into(), ch.no_share.as_str().into())])
        .unwrap();
    // Some records opened and kept, the rest sealed: both travel the same.
    a.get(&ch.signer).unwrap();
    a.get(&quoting).unwrap();
    let read = |name: &str| {
        let d = age::Decryptor::new(std::fs::File::open(p.file(name)).unwrap()).unwrap();
        let mut text = String::new();
        d.decrypt(std::iter::once(
            b.keys().age_identity() as &dyn age::Identity
        ))
        .unwrap()
        .read_to_string(&mut text)
        .unwrap();
        text
    };
    let as_written = |id: &Id, e: &Entry| {
        let mut line = Vec::new();
        bundle::entry_line(&mut line, id, e).unwrap();
        String::from_utf8(line).unwrap()
    };
    for sensitive in [false, true] {
        export_to(&mut a, "Beto", Selection::All, sensitive, &p.file("1.age"));
        let text = read("1.age");
        let lines: Vec<&str> = text
            .lines()
            .skip(1)
            .filter(|l| l.starts_with("{\"id\""))
            .collect();
        let mut seen = Vec::new();
        for line in &lines {
            let v: serde_json::Value = serde_json::from_str(line).unwrap();
            let id = Id::parse(v["id"].as_str().unwrap()).unwrap();
            let entry = a.entry(&id).unwrap();
            let refs = entry.record.as_ref().map(|r| r.refs()).unwrap_or_default();
            let hidden = [&ch.sensitive, &ch.no_share];
            let stripped = !sensitive && refs.iter().any(|(_, r, _)| hidden.contains(r));
            if !sensitive && [&ch.org, &referring].contains(&&id) {
                assert!(stripped, "{id}");
            }
            let expected = as_written(&id, entry);
            if stripped {
                assert_ne!(format!("{line}\n"), expected, "{id} kept a left-out person");
            } else {
                assert_eq!(format!("{line}\n"), expected, "{id}");
            }
            seen.push(id);
        }
        assert!(seen.contains(&gone) && seen.contains(&quoting) && seen.contains(&referring));
        assert_eq!(seen.contains(&ch.sensitive), sensitive);
        if !sensitive {
            for hidden in [&ch.sensitive, &ch.no_share] {
                for line in text.lines().filter(|l| !l.contains("\"title\":\"per_")) {
                    assert!(!line.contains(hidden.as_str()), "{hidden} travelled");
                }
            }
            // Text that names one is no reference: it travels as it is.
            assert!(text.contains(&format!("\"title\":\"{}\"", ch.sensitive)));
            assert!(text.contains(&format!("Ask about {}", ch.sensitive)));
        }
    }
}

/// A batch of paper signatures collected by a left-out person, and a consent
/// answer a left-out person recorded: their id travels in neither, and both
/// come home with it.
#[test]
fn collectors_and_consent_recorders_left_out_leave_no_trace() {
    let p = Place::new();
    let (mut a, mut b) = (p.vault("a"), p.vault("b"));
    let ch = chapter(&mut a);
    introduce(&mut a, &b, "Beto");
    introduce(&mut b, &a, "Ana");
    let hidden = ch.sensitive.as_str();
    aqui::pledge::add_batch(&mut a, &ch.pledge, "12", Some("2026-11-02"), Some(hidden)).unwrap();
    let change = aqui::model::ConsentChange {
        contact: Some(aqui::model::ConsentState::Yes),
        share: Some(aqui::model::ConsentState::Yes),
        recorder: Some(ch.sensitive.clone()),
        ..Default::default()
    };
    aqui::consent::record(&mut a, &ch.attendee, &change).unwrap();
    export_to(&mut a, "Beto", Selection::All, false, &p.file("1.age"));
    let d = age::Decryptor::new(std::fs::File::open(p.file("1.age")).unwrap()).unwrap();
    let mut text = String::new();
    d.decrypt(std::iter::once(
        b.keys().age_identity() as &dyn age::Identity
    ))
    .unwrap()
    .read_to_string(&mut text)
    .unwrap();
    assert!(!text.contains(hidden), "{hidden} travelled");
    import(&mut b, &p.file("1.age"));
    let Ok(Record::Pledge(pl)) = b.get(&ch.pledge) else {
        panic!("the drive travelled")
    };
    assert!(pl.batches.iter().any(|x| x.count == 12 && x.by.is_none()));

    // B edits both and sends them home: A keeps who collected and recorded.
    b.edit(&ch.pledge, &[("title".into(), "Drive (edited)".into())])
        .unwrap();
    b.edit(&ch.attendee, &[("alias".into(), "Edited".into())])
        .unwrap();
    export_to(
        &mut b,
        "Ana",
        Selection::Ids(vec![ch.pledge.clone(), ch.attendee.clone()]),
        false,
        &p.file("2.age"),
    );
    assert_eq!(import(&mut a, &p.file("2.age")).total.updated, 2);
    let Ok(Record::Pledge(home)) = a.get(&ch.pledge) else {
        panic!()
    };
    assert_eq!(home.title, "Drive (edited)");
    let batch = home.batches.iter().find(|x| x.count == 12).unwrap();
    assert_eq!(batch.by.as_ref(), Some(&ch.sensitive));
    let Ok(Record::Person(person)) = a.get(&ch.attendee) else {
        panic!()
    };
    let mark = person.consent.share.as_ref().unwrap();
    assert_eq!(mark.recorder.as_ref(), Some(&ch.sensitive));
    // The answer's two events (contact and share) name who recorded them.
    assert!(person
        .consent
        .history
        .iter()
        .rev()
        .take(2)
        .all(|e| e.recorder.as_ref() == Some(&ch.sensitive)));
}

#[test]
fn a_revoked_steward_gets_nothing_and_is_refused() {
    let p = Place::new();
    let (mut a, mut b) = (p.vault("a"), p.vault("b"));
    chapter(&mut a);
    introduce(&mut a, &b, "Beto");
    introduce(&mut b, &a, "Ana");
    export_to(&mut a, "Beto", Selection::All, false, &p.file("1.age"));
    // Beto's laptop is seized; a file he made before is refused too.
    let s = handoff::revoke_steward(&mut b, "Ana", "laptop seized").unwrap();
    assert!(s.revoked.is_some() && !s.verified);
    let err = handoff::open(&b, &p.file("1.age"), None).err().unwrap();
    assert_eq!(err.kind(), "err-revoked");
    assert!(err
        .to_user(aqui::Lang::Es)
        .message
        .contains("No se cambió nada"));
    assert_eq!(b.entries().count(), 0);
    let plan = handoff::select(&b, &Selection::All, false).unwrap();
    let err = handoff::export(
        &mut b,
        plan,
        &To::Stewards(&["Ana".into()]),
        &p.file("x.age"),
    )
    .unwrap_err();
    assert_eq!(err.kind(), "err-revoked");
    assert!(!p.file("x.age").exists());
    // By bare key too.
    let plan = handoff::select(&b, &Selection::All, false).unwrap();
    let key = a.keys().public().age;
    assert!(handoff::export(&mut b, plan, &To::Stewards(&[key]), &p.file("x.age")).is_err());
    let v = aqui::view::stewards(&b, aqui::Lang::En);
    assert!(v[0].revoked && v[0].state.contains("revoked") && v[0].state.contains("seized"));

    // A name that exists with other keys: refused unless replacing.
    let new = Keys::generate();
    let err = handoff::add_steward(&mut b, "Ana", StewardKey::Card(&new.card())).unwrap_err();
    assert_eq!(err.kind(), "err-steward-exists");
    let msg = err.to_user(aqui::Lang::En).message;
    assert!(
        msg.contains(&a.keys().public().fingerprint()) && msg.contains(&new.public().fingerprint())
    );
    let s = handoff::add_steward_as(&mut b, "Ana", StewardKey::Card(&new.card()), true).unwrap();
    assert!(s.revoked.is_none() && s.keys == new.public());
}

#[test]
fn huge_and_cut_files_with_bad_signatures_are_refused_before_parsing() {
    let p = Place::new();
    let (a, b) = (p.vault("a"), p.vault("b"));
    let forger = Keys::generate();
    // 20,000 records claiming to be from A, signed by the forger.
    let entries: Vec<(Id, Entry)> = (0..20_000)
        .map(|i| {
            (
                Id::new(Kind::Person),
                entry(rec(Kind::Person, &[("name", &format!("Person {i}"))])),
            )
        })
        .collect();
    let f = p.file("big.age");
    forge(&f, &b, &forger, a.keys(), 2, entries.len() as u64, &entries);
    let err = handoff::open(&b, &f, None).err().unwrap();
    assert_eq!(err.kind(), "err-bad-signature");
    // Cut short: refused as cut (or altered), nothing changed.
    let bytes = std::fs::read(&f).unwrap();
    std::fs::write(p.file("cut.age"), &bytes[..bytes.len() / 2]).unwrap();
    let err = handoff::open(&b, &p.file("cut.age"), None).err().unwrap();
    assert!(
        matches!(err.kind(), "err-truncated" | "err-altered"),
        "{err:?}"
    );
    assert_eq!(b.entries().count(), 0);
}

#[test]
fn a_lock_stops_a_running_handoff_and_nothing_changes() {
    use std::sync::atomic::{AtomicBool, Ordering};
    let p = Place::new();
    let (mut a, mut b) = (p.vault("a"), p.vault("b"));
    chapter(&mut a);
    introduce(&mut a, &b, "Beto");
    introduce(&mut b, &a, "Ana");
    let stop = AtomicBool::new(true);
    // An export stopped: no file, no line in the log.
    let plan = handoff::select(&a, &Selection::All, false).unwrap();
    let log = a.log().len();
    let err = handoff::export_with(
        &mut a,
        plan,
        &To::Stewards(&["Beto".into()]),
        &p.file("1.age"),
        &stop,
    )
    .unwrap_err();
    assert_eq!(err.kind(), "err-stopped");
    assert!(err
        .to_user(aqui::Lang::Es)
        .message
        .contains("No se cambió nada"));
    assert!(!p.file("1.age").exists());
    assert_eq!(a.log().len(), log);
    let err =
        handoff::backup_with(&mut a, &To::Stewards(&[]), &p.file("bk.age"), &stop).unwrap_err();
    assert_eq!(err.kind(), "err-stopped");
    assert!(!p.file("bk.age").exists());
    // An import stopped while reading.
    stop.store(false, Ordering::Relaxed);
    export_to(&mut a, "Beto", Selection::All, false, &p.file("1.age"));
    stop.store(true, Ordering::Relaxed);
    let err = handoff::open_with(&b, &p.file("1.age"), None, &stop)
        .err()
        .unwrap();
    assert_eq!(err.kind(), "err-stopped");
    assert_eq!(b.entries().count(), 0);
}

/// Not a check: writes a vault and a ~300 MB hostile file (a valid-looking
/// bundle whose signature is not the claimed sender's) under
/// `AQUI_MEASURE_DIR`, to measure `aqui import` on it (see the report).
#[test]
#[ignore]
fn write_a_300_mb_hostile_file_for_measuring() {
    let Some(dir) = std::env::var_os("AQUI_MEASURE_DIR") else {
        return;
    };
    let dir = PathBuf::from(dir);
    let b = Vault::create(&dir.join("vault"), &pass(PASS), fast_kdf()).unwrap();
    let forger = Keys::generate();
    let claimed = Keys::generate();
    let n: u64 = 600_000;
    // AQUI_MEASURE_VERSION=1: a version 1 file, which builds before this
    // change can read too (to compare).
    let version = std::env::var("AQUI_MEASURE_VERSION")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(bundle::VERSION);
    let header = Header {
        aqui_bundle: version,
        purpose: Purpose::Handoff,
        created: chrono::Utc::now(),
        sender: Sender {
            name: "Big".into(),
            keys: claimed.public(),
        },
        device: "big".into(),
        recipients: vec![b.keys().public().fingerprint()],
        records: n,
        counts: BTreeMap::new(),
        sensitive_included: false,
        excluded: Excluded::default(),
    };
    let recipient = b.keys().public().recipient().unwrap();
    let enc = age::Encryptor::with_recipients(std::iter::once(&recipient as &dyn age::Recipient))
        .unwrap();
    let out = enc
        .wrap_output(std::io::BufWriter::new(
            std::fs::File::create(dir.join("big.age")).unwrap(),
        ))
        .unwrap();
    let mut w = bundle::Writer::start(out, &header).unwrap();
    let body = "x".repeat(200);
    for i in 0..n {
        let e = entry(rec(
            Kind::Note,
            &[("title", &format!("Note {i}")), ("body", &body)],
        ));
        w.entry(&Id::new(Kind::Note), &e).unwrap();
    }
    // AQUI_MEASURE_SIGNED=1: well signed, by a fresh key nobody knows.
    let signer = if std::env::var_os("AQUI_MEASURE_SIGNED").is_some() {
        &claimed
    } else {
        &forger
    };
    w.finish(signer).unwrap().finish().unwrap();
}

/// The frozen version 1 file from before this change (tests/data/frozen):
/// it still imports, after its warning (it cannot say who it was made for).
#[test]
fn the_frozen_version_1_file_imports_with_its_warning() {
    let frozen = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/frozen/format2");
    let tmp = TempDir::new().unwrap();
    let dir = tmp.path().join("vault-b");
    crate::util::copy_dir(&frozen.join("vault-b"), &dir);
    let mut v = Vault::unlock(&dir, &pass("frozen fixture vault B")).unwrap();
    let file = frozen.join("a-to-b.age");
    let incoming = handoff::open(&v, &file, None).unwrap();
    assert_eq!(incoming.sender.trust, Some(Trust::Verified));
    assert_eq!(incoming.warnings, vec![handoff::Warning::OldFormat]);
    let err = handoff::apply_checked(&mut v, incoming, false).unwrap_err();
    assert_eq!(err.kind(), "err-import-warnings");
    assert!(err
        .to_user(aqui::Lang::En)
        .message
        .contains("older version"));
    assert_eq!(v.entries().count(), 0);
    let incoming = handoff::open(&v, &file, None).unwrap();
    let done = handoff::apply_checked(&mut v, incoming, true).unwrap();
    assert_eq!((done.total.new, done.total.held), (25, 0));
    assert_eq!(
        v.log().last().unwrap().warnings,
        vec![handoff::Warning::OldFormat]
    );
}

/// Makes `name`'s vault read-only the way the manifest check finds it: one
/// record's older sealed copy put back behind the vault's back.
fn read_only_vault(p: &Place, name: &str) -> Vault {
    let dir = p.file(name);
    let mut v = p.vault(name);
    let beto = p.vault(&format!("{name}-beto"));
    handoff::add_steward(&mut v, "Beto", StewardKey::Card(&beto.keys().card())).unwrap();
    let id = v
        .add(rec(
            Kind::Person,
            &[("name", "Ana Solís"), ("share", "yes")],
        ))
        .unwrap();
    drop(v);
    let old = {
        let db = sled::open(dir.join("store")).unwrap();
        let t = db.open_tree("records").unwrap();
        aqui::vault::raw::get(&t, id.as_str()).unwrap()
    };
    let mut v = Vault::unlock(&dir, &pass(PASS)).unwrap();
    v.edit(&id, &[("sensitive".into(), "yes".into())]).unwrap();
    drop(v);
    {
        let db = sled::open(dir.join("store")).unwrap();
        aqui::vault::raw::insert(&db.open_tree("records").unwrap(), id.as_str(), &old).unwrap();
        db.flush().unwrap();
    }
    let v = Vault::unlock(&dir, &pass(PASS)).unwrap();
    assert!(v.read_only());
    v
}

fn leftovers(dir: &Path) -> Vec<String> {
    std::fs::read_dir(dir)
        .unwrap()
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with(".aqui-export-"))
        .collect()
}

#[test]
fn a_read_only_vault_refuses_a_backup_or_export_and_last_weeks_file_stays() {
    // F4: the new file was renamed over the one at the output path, then
    // removed when the log line could not be written: last week's backup
    // was destroyed. Now a read-only vault refuses before writing anything.
    let p = Place::new();
    let out_dir = p.file("usb");
    std::fs::create_dir(&out_dir).unwrap();
    let weekly = out_dir.join("weekly.age");
    let handoff_file = out_dir.join("beto.age");
    std::fs::write(&weekly, b"last week's backup").unwrap();
    std::fs::write(&handoff_file, b"last week's handoff").unwrap();
    let mut v = read_only_vault(&p, "ro");
    let log = v.log().len();
    let secret = pass("a long backup passphrase");
    let err = handoff::backup(&mut v, &To::Passphrase(&secret, 10), &weekly).unwrap_err();
    assert!(
        matches!(err, Error::Vault(aqui::vault::Error::ReadOnly)),
        "{err:?}"
    );
    assert_eq!(err.kind(), "err-vault-read-only");
    let plan = handoff::select(&v, &Selection::All, false).unwrap();
    let err =
        handoff::export(&mut v, plan, &To::Stewards(&["Beto".into()]), &handoff_file).unwrap_err();
    assert!(
        matches!(err, Error::Vault(aqui::vault::Error::ReadOnly)),
        "{err:?}"
    );
    for lang in [aqui::Lang::En, aqui::Lang::Es] {
        assert!(!err.to_user(lang).message.is_empty());
    }
    assert_eq!(std::fs::read(&weekly).unwrap(), b"last week's backup");
    assert_eq!(
        std::fs::read(&handoff_file).unwrap(),
        b"last week's handoff"
    );
    assert_eq!(leftovers(&out_dir), Vec::<String>::new());
    assert_eq!(v.log().len(), log);
}

#[test]
fn a_backup_stopped_before_its_log_line_leaves_the_old_file_in_place() {
    // The file is complete in a temporary file; the lock comes before the
    // log line: the old file at the path stays, and no temporary is left.
    let p = Place::new();
    let mut v = p.vault("a");
    let out = p.file("weekly.age");
    handoff::backup(&mut v, &To::Stewards(&[]), &out).unwrap();
    let before = std::fs::read(&out).unwrap();
    let log = v.log().len();
    let stop = std::sync::atomic::AtomicBool::new(true);
    let err = handoff::backup_with(&mut v, &To::Stewards(&[]), &out, &stop).unwrap_err();
    assert_eq!(err.kind(), "err-stopped");
    assert_eq!(std::fs::read(&out).unwrap(), before);
    assert_eq!(v.log().len(), log);
    // A later backup still replaces it, with its own log line.
    handoff::backup(&mut v, &To::Stewards(&[]), &out).unwrap();
    assert_ne!(std::fs::read(&out).unwrap(), before);
    assert_eq!(v.log().len(), log + 1);
    assert_eq!(leftovers(&p.file("")), Vec::<String>::new());
}

// ---- review: loosening through consent records, purges and private orgs ----

/// A file signed by `from` (a verified steward of `to`) as its own, holding
/// `records` each as the next version after what `to` has (or new).
fn from_steward(path: &Path, from: &Vault, to: &Vault, records: &[(Id, Record)]) {
    let entries: Vec<(Id, Entry)> = records
        .iter()
        .map(|(id, r)| {
            let mut e = to.entry(id).cloned().unwrap_or_else(|| entry(r.clone()));
            e.meta.clock.remove("forger");
            *e.meta.clock.entry(from.device().to_string()).or_insert(0) += 1;
            e.record = Some(r.clone());
            (id.clone(), e)
        })
        .collect();
    let header = Header {
        aqui_bundle: bundle::VERSION,
        purpose: Purpose::Handoff,
        created: chrono::Utc::now(),
        sender: Sender {
            name: from.keys().name.clone(),
            keys: from.keys().public(),
        },
        device: from.device().to_string(),
        recipients: vec![to.keys().public().fingerprint()],
        records: entries.len() as u64,
        counts: BTreeMap::new(),
        sensitive_included: false,
        excluded: Excluded::default(),
    };
    forge_header(path, to, from.keys(), &header, &entries);
}

fn day(d: u32) -> chrono::NaiveDate {
    chrono::NaiveDate::from_ymd_opt(2026, 3, d).unwrap()
}

fn share_event(d: u32, state: aqui::model::ConsentState) -> aqui::model::ConsentEvent {
    aqui::model::ConsentEvent {
        date: day(d),
        topic: aqui::model::ConsentTopic::Share,
        state,
        how: Some(aqui::model::ConsentHow::InPerson),
        lang: None,
        recorder: None,
    }
}

fn share_mark(d: u32) -> Option<aqui::model::ConsentMark> {
    Some(aqui::model::ConsentMark {
        date: day(d),
        how: Some(aqui::model::ConsentHow::InPerson),
        lang: None,
        recorder: None,
    })
}

#[test]
fn a_verified_steward_cannot_rewrite_consent_bring_back_purged_details_or_unmark_a_private_org() {
    use aqui::model::{ConsentState as S, Organization, Person};
    let p = Place::new();
    let (mut a, mut b) = (p.vault("a"), p.vault("b"));
    introduce(&mut a, &b, "Beto");
    introduce(&mut b, &a, "Ana");
    let person = |name: &str| Person {
        name: name.into(),
        consent_share: S::Yes,
        ..Person::default()
    };
    // Said yes, then no, then yes again: the withdrawal is on record.
    let mut withdrew = person("Uno");
    withdrew.consent.share = share_mark(3);
    withdrew.consent.history = vec![
        share_event(1, S::Yes),
        share_event(2, S::No),
        share_event(3, S::Yes),
    ];
    // A yes from before consent records existed, to be confirmed.
    let mut legacy = person("Dos");
    legacy.consent.before_records = true;
    // Purged by retention: nothing left but the id and the consent record.
    let purged = Person {
        name: String::new(),
        purged: true,
        ..Person::default()
    };
    let mut dated = person("Cuatro");
    dated.consent.share = share_mark(1);
    dated.consent.history = vec![share_event(1, S::Yes)];
    let mut withdraws = dated.clone();
    withdraws.name = "Cinco".into();
    let private = Organization {
        name: "Comité Discreto".into(),
        private: true,
        ..Organization::default()
    };
    let ids: Vec<Id> = [
        Kind::Person,
        Kind::Person,
        Kind::Person,
        Kind::Person,
        Kind::Person,
        Kind::Org,
    ]
    .into_iter()
    .map(Id::new)
    .collect();
    let first = vec![
        (ids[0].clone(), Record::Person(withdrew.clone())),
        (ids[1].clone(), Record::Person(legacy.clone())),
        (ids[2].clone(), Record::Person(purged.clone())),
        (ids[3].clone(), Record::Person(dated.clone())),
        (ids[4].clone(), Record::Person(withdraws.clone())),
        (ids[5].clone(), Record::Org(private.clone())),
    ];
    from_steward(&p.file("1.age"), &a, &b, &first);
    let done = import(&mut b, &p.file("1.age"));
    assert_eq!(done.total.new, 6, "{:?}", done.total);
    let before = live(&b);

    // The second file loosens each, while every current state stays.
    let mut rewritten = withdrew.clone();
    rewritten.consent.history.remove(1);
    let mut confirmed = legacy.clone();
    confirmed.consent.before_records = false;
    let mut back = purged.clone();
    back.name = "Tres".into();
    back.phone = "+1 555 0100".into();
    let mut redated = dated.clone();
    redated.consent.share = share_mark(9);
    let mut unmarked = private.clone();
    unmarked.private = false;
    // And one honest change: a withdrawal added after what is here.
    let mut honest = withdraws.clone();
    honest.consent_share = S::No;
    honest.consent.share = share_mark(5);
    honest.consent.history.push(share_event(5, S::No));
    let second = vec![
        (ids[0].clone(), Record::Person(rewritten)),
        (ids[1].clone(), Record::Person(confirmed)),
        (ids[2].clone(), Record::Person(back)),
        (ids[3].clone(), Record::Person(redated)),
        (ids[4].clone(), Record::Person(honest)),
        (ids[5].clone(), Record::Org(unmarked)),
    ];
    from_steward(&p.file("2.age"), &a, &b, &second);
    let incoming = handoff::open(&b, &p.file("2.age"), None).unwrap();
    assert!(incoming.warnings.is_empty(), "{:?}", incoming.warnings);
    let done = handoff::apply_checked(&mut b, incoming, false).unwrap();
    assert_eq!(done.total.updated, 1, "{:?}", done.total);
    let reason = |i: usize| b.conflicts().get(&ids[i]).map(|c| c.held.clone());
    assert_eq!(reason(0), Some(vec![handoff::Held::WidensConsent]));
    assert_eq!(reason(1), Some(vec![handoff::Held::WidensConsent]));
    assert_eq!(reason(2), Some(vec![handoff::Held::Restores]));
    assert_eq!(reason(3), Some(vec![handoff::Held::WidensConsent]));
    assert_eq!(reason(4), None);
    assert_eq!(reason(5), Some(vec![handoff::Held::Unmarks]));
    // The safer values stay in force; the honest withdrawal applied.
    let after = live(&b);
    for i in [0, 1, 2, 3, 5] {
        assert_eq!(after[&ids[i]], before[&ids[i]], "record {i} changed");
    }
    assert_eq!(person_of(&b, &ids[4]).consent_share, S::No);
    for lang in [aqui::Lang::En, aqui::Lang::Es] {
        let text = held_text(&b, &done, lang);
        assert_eq!(text.lines().count(), 5, "{text}");
    }
}

#[test]
fn a_purge_on_the_senders_laptop_travels_as_an_ordinary_change() {
    // Taking out details and who recorded an answer loosens nothing.
    use aqui::model::{ConsentState as S, Person};
    let p = Place::new();
    let (mut a, mut b) = (p.vault("a"), p.vault("b"));
    introduce(&mut a, &b, "Beto");
    introduce(&mut b, &a, "Ana");
    let recorder = Id::new(Kind::Person);
    let mut full = Person {
        name: "Seis".into(),
        phone: "+1 555 0101".into(),
        consent_share: S::Yes,
        ..Person::default()
    };
    full.consent.share = share_mark(1).map(|mut m| {
        m.recorder = Some(recorder.clone());
        m
    });
    let mut ev = share_event(1, S::Yes);
    ev.recorder = Some(recorder.clone());
    full.consent.history = vec![ev];
    let id = Id::new(Kind::Person);
    from_steward(
        &p.file("1.age"),
        &a,
        &b,
        &[(id.clone(), Record::Person(full.clone()))],
    );
    assert_eq!(import(&mut b, &p.file("1.age")).total.new, 1);
    let mut purged = full.clone();
    purged.name.clear();
    purged.phone.clear();
    purged.purged = true;
    purged.consent.share.as_mut().unwrap().recorder = None;
    purged.consent.history[0].recorder = None;
    from_steward(
        &p.file("2.age"),
        &a,
        &b,
        &[(id.clone(), Record::Person(purged))],
    );
    let done = import(&mut b, &p.file("2.age"));
    assert_eq!(done.total.updated, 1, "{:?}", done.total);
    assert!(person_of(&b, &id).purged);
}

#[test]
fn a_folder_at_the_output_path_is_refused_before_any_log_line() {
    // The rename comes after the log line now; a folder in the way is found
    // first, so no line says a file left that never did.
    let p = Place::new();
    let mut v = p.vault("a");
    let out = p.file("weekly.age");
    std::fs::create_dir(&out).unwrap();
    std::fs::write(out.join("keep.txt"), b"mine").unwrap();
    let log = v.log().len();
    let err = handoff::backup(&mut v, &To::Stewards(&[]), &out).unwrap_err();
    assert_eq!(err.kind(), "err-write", "{err:?}");
    for lang in [aqui::Lang::En, aqui::Lang::Es] {
        let msg = err.to_user(lang).message;
        assert!(msg.contains("weekly.age"), "{msg}");
    }
    assert_eq!(v.log().len(), log);
    assert_eq!(std::fs::read(out.join("keep.txt")).unwrap(), b"mine");
    assert_eq!(leftovers(&p.file("")), Vec::<String>::new());
}

#[test]
fn a_preview_refuses_what_the_import_would_refuse() {
    // B's note names a person held back here; A's newer version (a verified
    // steward's) came without them and names as many people as a note may.
    // Putting the held-back person back makes one too many: the import is
    // refused, and the preview says so the same way.
    let p = Place::new();
    let (a, mut b) = (p.vault("a"), p.vault("b"));
    handoff::add_steward(&mut b, "Ana", StewardKey::Card(&a.keys().card())).unwrap();
    handoff::verify_steward(&mut b, "Ana", Some(&a.keys().public().fingerprint())).unwrap();
    let quiet = b
        .add(rec(
            Kind::Person,
            &[("name", "Quiet Witness"), ("sensitive", "yes")],
        ))
        .unwrap();
    let note = b
        .add(rec(
            Kind::Note,
            &[("title", "Asamblea"), ("attendee", quiet.as_str())],
        ))
        .unwrap();
    let mut theirs = b.get(&note).unwrap().clone();
    let Record::Note(n) = &mut theirs else {
        panic!()
    };
    n.attendees = (0..1_000).map(|_| Id::new(Kind::Person)).collect();
    let mut e = b.entry(&note).unwrap().clone();
    e.meta.clock.insert("forger-device".into(), 1);
    e.record = Some(theirs);
    let f = p.file("full.age");
    forge(&f, &b, a.keys(), a.keys(), 2, 1, &[(note.clone(), e)]);
    let before = all(&b);
    let incoming = handoff::open(&b, &f, None).unwrap();
    assert_eq!(incoming.sender.trust, Some(Trust::Verified));
    let too_many = |e: &Error| {
        matches!(
            e,
            Error::Vault(aqui::vault::Error::Invalid(aqui::model::FieldError {
                problem: aqui::model::Problem::TooMany { .. },
                ..
            }))
        )
    };
    let dry = handoff::preview(&b, &incoming).unwrap_err();
    assert!(too_many(&dry), "{dry:?}");
    let applied = handoff::apply(&mut b, incoming).unwrap_err();
    assert!(too_many(&applied), "{applied:?}");
    assert_eq!(format!("{dry:?}"), format!("{applied:?}"));
    assert_eq!(all(&b), before, "nothing written either way");
}

#[test]
fn a_conflict_is_shown_and_taken_by_the_field_tables_names() {
    let p = Place::new();
    let (mut a, mut b) = (p.vault("a"), p.vault("b"));
    let ch = chapter(&mut a);
    introduce(&mut a, &b, "Beto");
    export_to(&mut a, "Beto", Selection::All, false, &p.file("1.age"));
    import(&mut b, &p.file("1.age"));
    a.edit(&ch.pledge, &[("paper-count".into(), "12".into())])
        .unwrap();
    b.edit(&ch.pledge, &[("paper-count".into(), "30".into())])
        .unwrap();
    export_to(&mut a, "Beto", Selection::All, false, &p.file("2.age"));
    assert_eq!(import(&mut b, &p.file("2.age")).total.conflict, 1);
    // Paper batches are stored as `batches`, shown and taken as the form's
    // paper signatures, with both sides' counts.
    let view = aqui::view::conflicts(&b, aqui::Lang::En, aqui::model::today());
    let f = &view[0].fields[0];
    assert_eq!(
        (
            f.name.as_str(),
            f.label.as_str(),
            aqui::view::plain_text(&f.mine).as_str(),
            aqui::view::plain_text(&f.theirs).as_str()
        ),
        ("paper-count", "Paper signatures", "30", "12")
    );
    let take = Take::Fields(vec![("paper-count".into(), Side::Theirs)]);
    handoff::resolve(&mut b, &ch.pledge, &take).unwrap();
    let Record::Pledge(drive) = b.get(&ch.pledge).unwrap() else {
        panic!()
    };
    assert_eq!(drive.undated(), 12);
}
