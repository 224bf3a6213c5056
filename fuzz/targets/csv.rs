//! The CSV reader (`aqui::csv::preview`): a spreadsheet from anyone, in any
//! encoding, read, its columns recognized, its rows mapped to records and
//! matched against a vault's (a person and an organization already there).
//! The first byte chooses the options (people or organizations, whether
//! invalid rows are skipped) and the language of the problems. Writes
//! nothing.

use aqui::csv::{self, Options};
use aqui::vault::KdfParams;
use aqui::{Kind, Lang, Passphrase, Record, Vault};

fn rec(kind: Kind, fields: &[(&str, &str)]) -> Record {
    let mut r = Record::empty(kind);
    for (f, v) in fields {
        r.set(f, v, aqui::model::today()).expect("a valid field");
    }
    r
}

fn main() {
    let tmp = tempfile::TempDir::new().expect("a temp folder");
    let kdf = KdfParams {
        m_kib: 8 * 1024,
        t: 1,
        p: 1,
    };
    let pass = Passphrase::new("fuzz vault passphrase".to_string());
    let mut vault = Vault::create(&tmp.path().join("vault"), &pass, kdf).expect("a vault");
    let org = vault
        .add(rec(Kind::Org, &[("name", "Centro Ejemplo")]))
        .expect("an org");
    vault
        .add(rec(
            Kind::Person,
            &[
                ("name", "Persona Ejemplo"),
                ("phone", "+1 555 0100 0001"),
                ("email", "persona@example.org"),
                ("org", org.as_str()),
            ],
        ))
        .expect("a person");
    let vault = std::panic::AssertUnwindSafe(vault);
    afl::fuzz!(|data: &[u8]| {
        let Some((first, bytes)) = data.split_first() else {
            return;
        };
        let opts = Options {
            kind: if first & 1 == 0 {
                Kind::Person
            } else {
                Kind::Org
            },
            map: Vec::new(),
            skip_invalid: first & 2 != 0,
        };
        if let Ok(mut p) = csv::preview(&vault, bytes, &opts) {
            // Each data row is new, merged into another, or matches a record
            // already there (several rows may match the same one).
            assert!(p.new + p.merged_in_file + p.updated + p.unchanged <= p.rows);
            p.localize(if first & 4 == 0 { Lang::En } else { Lang::Es });
            for r in &p.invalid {
                assert!(r.row >= 2, "row {} is not a data row", r.row);
                assert!(!r.message.is_empty());
            }
        }
    });
}
