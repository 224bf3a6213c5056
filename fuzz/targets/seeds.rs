//! Writes the seed corpora into `DIR/<target>/` (`seeds DIR`): small valid
//! inputs made by the library itself from a fictional chapter, so the fuzzer
//! starts from the real formats. No real names.

use aqui::handoff::bundle::{self, Excluded, Header, Purpose, Sender};
use aqui::identity::Keys;
use aqui::handoff::{self, Selection, To};
use aqui::vault::KdfParams;
use aqui::{Id, Kind, Passphrase, Record, Vault};
use std::collections::BTreeMap;
use std::path::Path;

fn rec(kind: Kind, fields: &[(&str, &str)]) -> Record {
    let mut r = Record::empty(kind);
    for (f, v) in fields {
        r.set(f, v, aqui::model::today())
            .expect("a valid seed field");
    }
    r
}

fn chapter(v: &mut Vault) {
    let org = v
        .add(rec(
            Kind::Org,
            &[("name", "Centro Ejemplo"), ("kind", "worker_center")],
        ))
        .expect("org");
    let person = v
        .add(rec(
            Kind::Person,
            &[
                ("name", "Persona Ejemplo"),
                ("phone", "+1 555 0100 0001"),
                ("org", &format!("{org}:Vocera")),
                ("tag", "rapid-response"),
            ],
        ))
        .expect("person");
    let campaign = v
        .add(rec(
            Kind::Campaign,
            &[("name", "Campaña Ejemplo"), ("partner", org.as_str())],
        ))
        .expect("campaign");
    v.add(rec(
        Kind::Demand,
        &[
            ("title", "Una demanda"),
            ("target", "Junta"),
            ("status", "active"),
            ("campaign", campaign.as_str()),
        ],
    ))
    .expect("demand");
    v.add(rec(
        Kind::Pledge,
        &[
            ("title", "Cien firmas"),
            ("goal", "100"),
            ("deadline", "2027-01-15"),
            ("signer", person.as_str()),
        ],
    ))
    .expect("pledge");
    v.add(rec(
        Kind::Note,
        &[
            ("title", "Reunión"),
            ("date", "2026-11-20"),
            ("body", "Notas de ejemplo.\nSegunda línea."),
            ("attendee", person.as_str()),
            ("follow-up", &format!("Llamar|2026-12-01|{person}|")),
        ],
    ))
    .expect("note");
    let gone = v
        .add(rec(Kind::Person, &[("name", "Borrada Ejemplo")]))
        .expect("person");
    v.delete(&gone).expect("a tombstone");
}

/// A plaintext bundle of `v`'s entries, as `bundle::Writer` writes it.
fn plain_bundle(v: &Vault, purpose: Purpose, n: usize) -> Vec<u8> {
    let entries: Vec<_> = v.entries().take(n).collect();
    let mut counts: BTreeMap<Kind, usize> = BTreeMap::new();
    for (id, e) in &entries {
        if e.record.is_some() {
            *counts.entry(id.kind()).or_default() += 1;
        }
    }
    let header = Header {
        aqui_bundle: bundle::VERSION,
        purpose,
        created: chrono::Utc::now(),
        sender: Sender {
            name: "Ejemplo".to_string(),
            keys: v.keys().public(),
        },
        records: entries.len() as u64,
        device: v.device().to_string(),
        recipients: vec![v.keys().public().fingerprint()],
        counts,
        sensitive_included: false,
        excluded: Excluded::default(),
    };
    let mut w = bundle::Writer::start(Vec::new(), &header).expect("header");
    if purpose == Purpose::Backup {
        w.vault_state(&serde_json::json!({"stewards": {}, "log": [], "conflicts": {}}))
            .expect("vault line");
    }
    for (id, e) in entries {
        w.entry(id, e).expect("entry");
    }
    let out = w.finish(v.keys()).expect("end");
    // What was written reads back.
    let verified = bundle::verify(&out[..]).expect("the seed bundle verifies");
    bundle::read(&out[..], &verified).expect("the seed bundle reads back");
    out
}

fn put(dir: &Path, target: &str, name: &str, bytes: &[u8]) {
    let d = dir.join(target);
    std::fs::create_dir_all(&d).expect("seed folder");
    std::fs::write(d.join(name), bytes).expect("seed file");
}

fn main() {
    let Some(out) = std::env::args_os().nth(1) else {
        eprintln!("usage: seeds DIR");
        std::process::exit(2);
    };
    let out = Path::new(&out);
    let tmp = tempfile::TempDir::new().expect("a temp folder");
    let kdf = KdfParams {
        m_kib: 8 * 1024,
        t: 1,
        p: 1,
    };
    let pass = Passphrase::new("seed vault passphrase".to_string());
    let mut v = Vault::create(&tmp.path().join("vault"), &pass, kdf).expect("a vault");
    chapter(&mut v);

    put(
        out,
        "bundle",
        "handoff.jsonl",
        &plain_bundle(&v, Purpose::Handoff, 100),
    );
    put(
        out,
        "bundle",
        "backup.jsonl",
        &plain_bundle(&v, Purpose::Backup, 3),
    );
    put(
        out,
        "bundle",
        "empty.jsonl",
        &plain_bundle(&v, Purpose::Handoff, 0),
    );

    let ids: Vec<Id> = v.entries().map(|(id, _)| id.clone()).collect();
    for (i, id) in ids.iter().take(6).enumerate() {
        put(out, "id", &format!("{i}.txt"), id.as_str().as_bytes());
    }
    put(out, "id", "json.txt", format!("\"{}\"", ids[0]).as_bytes());

    let other = Keys::generate();
    put(out, "card", "card.txt", v.keys().card().as_bytes());
    put(
        out,
        "card",
        "named.txt",
        format!("{}Ejemplo Dos\n", other.card()).as_bytes(),
    );
    put(out, "card", "age.txt", other.public().age.as_bytes());

    let to_key = [other.public().age];
    let plan = handoff::select(&v, &Selection::All, true).expect("plan");
    let file = tmp.path().join("to-key.age");
    handoff::export(&mut v, plan, &To::Stewards(&to_key), &file).expect("export");
    put(
        out,
        "file",
        "to-key.age",
        &std::fs::read(&file).expect("file"),
    );
    let secret = Passphrase::new("seed file passphrase".to_string());
    let plan = handoff::select(&v, &Selection::All, false).expect("plan");
    let file = tmp.path().join("passphrase.age");
    handoff::export(&mut v, plan, &To::Passphrase(&secret, 10), &file).expect("export");
    put(
        out,
        "file",
        "passphrase.age",
        &std::fs::read(&file).expect("file"),
    );
    println!("seeds written to {}", out.display());
}
