//! Writes the seed corpora into `DIR/<target>/` (`seeds DIR`): small valid
//! inputs made by the library itself from a fictional chapter, so the fuzzer
//! starts from the real formats. No real names. Also `DIR/header-vault/`,
//! the closed vault the seed headers belong to (the `header` target unlocks
//! a copy of it).

use aqui::handoff::bundle::{self, Excluded, Header, Purpose, Sender};
use aqui::handoff::{self, Selection, To};
use aqui::identity::Keys;
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
    bundle::read(&out[..], &verified, |_, _| true).expect("the seed bundle reads back");
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
    csv_seeds(out);

    // Last, the vault itself, closed, for the header target to unlock.
    let dir = tmp.path().join("vault");
    drop(v);
    let header = std::fs::read(dir.join("key.json")).expect("key.json");
    header_seeds(out, &header);
    copy_dir(&dir, &out.join("header-vault"));
    println!("seeds written to {}", out.display());
}

/// The vault's own header, as written and as compact JSON (both unlock
/// it), and with a field changed (each fails its authentication).
fn header_seeds(out: &Path, header: &[u8]) {
    put(out, "header", "key.json", header);
    let mut v: serde_json::Value = serde_json::from_slice(header).expect("JSON");
    put(
        out,
        "header",
        "compact.json",
        &serde_json::to_vec(&v).expect("JSON"),
    );
    v["format"] = serde_json::json!(2);
    put(out, "header", "format2.json", v.to_string().as_bytes());
    v["format"] = serde_json::json!(3);
    v["store"] = serde_json::json!("store2");
    put(out, "header", "store2.json", v.to_string().as_bytes());
    v["key"]["kdf"]["p"] = serde_json::json!(2);
    put(out, "header", "lanes.json", v.to_string().as_bytes());
}

/// Spreadsheets as organizers have them; the first byte is the target's
/// options (bit 0: organizations, bit 1: skip invalid rows, bit 2: Spanish).
fn csv_seeds(out: &Path) {
    let with = |opts: u8, body: &[u8]| [&[opts][..], body].concat();
    put(
        out,
        "csv",
        "people.csv",
        &with(
            0,
            "name,phone,email,tags,organization,language\r\n\
             Persona Ejemplo,+1 555 0100 0001,persona@example.org,\"vecinos, comité\",Centro Ejemplo,es\r\n\
             Otra Ejemplo,555-0102,,rapid-response,Nueva Org,English\r\n\
             \"Tercera, Ejemplo\",,tercera@example.net,,,\r\n"
                .as_bytes(),
        ),
    );
    let mut cp1252 = b"Nombre de pila;Apellido;Celular;C\xf3digo postal\r\n".to_vec();
    cp1252.extend_from_slice(b"Jos\xe9;N\xfa\xf1ez;555-0101;90210\r\n;;;\r\n");
    put(out, "csv", "spanish-1252.csv", &with(4, &cp1252));
    put(
        out,
        "csv",
        "action-network.csv",
        &with(
            2,
            b"first_name,last_name,email,zip_code,can2_phone,can2_user_tags,can2_subscription_status\n\
              Ines,Ejemplo,ines@example.org,60601,555-0103,\"a,b\",subscribed\n\
              Bad,Email,not-an-email,60602,,,unsubscribed\n",
        ),
    );
    put(
        out,
        "csv",
        "orgs.csv",
        &with(
            1,
            "Nombre\tTipo\tRegión\tIdioma\tRelación\tDirigida por inmigrantes\n\
             Centro Ejemplo\tworker_center\tRiverbend\tSpanish/English\tpartner\tsí\n\
             Iglesia Ejemplo\tfaith\t\t\tally\tno\n"
                .as_bytes(),
        ),
    );
    let utf16: Vec<u8> = [0xFF, 0xFE]
        .into_iter()
        .chain(
            "Name,Phone\r\nAna Ejemplo,555 0100 0004\r\n"
                .encode_utf16()
                .flat_map(u16::to_le_bytes),
        )
        .collect();
    put(out, "csv", "utf16.csv", &with(0, &utf16));
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("a folder");
    for e in std::fs::read_dir(from).expect("the vault") {
        let e = e.expect("an entry");
        let target = to.join(e.file_name());
        if e.file_type().expect("a type").is_dir() {
            copy_dir(&e.path(), &target);
        } else {
            std::fs::copy(e.path(), target).expect("a copy");
        }
    }
}
