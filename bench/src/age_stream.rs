//! Peer: the age crate's streaming encryption of the bundle bytes (one JSON
//! line per record) to one X25519 recipient — the floor for an export — and
//! its decryption and parsing, the floor for an import.

use crate::gen;
use crate::util::*;
use age::secrecy::ExposeSecret;
use age::x25519;
use std::io::{BufRead, BufReader, BufWriter, Write};
use std::path::Path;

/// A throwaway identity, kept beside the bundle so `import` can open it.
fn identity(dir: &Path) -> x25519::Identity {
    let path = dir.join("identity.txt");
    if let Ok(s) = std::fs::read_to_string(&path) {
        return s.trim().parse().expect("identity");
    }
    let id = x25519::Identity::generate();
    std::fs::write(&path, id.to_string().expose_secret()).expect("identity");
    id
}

pub fn export(people: usize, dir: &Path, reps: usize) -> Values {
    let data = gen::generate(people);
    fresh_dir(dir);
    let recipient = identity(dir).to_public();
    // The lines are made before the clock starts: what is timed is age's
    // encryption of the bytes and their writing, nothing of the JSON.
    let mut bytes = Vec::new();
    gen::jsonl(&data.records, |line| bytes.extend_from_slice(line));
    drop(data);
    let mut times = Vec::new();
    for _ in 0..reps {
        let ((), d) = timed(|| {
            let enc = age::Encryptor::with_recipients(std::iter::once(&recipient as _))
                .expect("encryptor");
            let file = std::fs::File::create(dir.join("bundle.age")).expect("file");
            let mut w = enc.wrap_output(BufWriter::new(file)).expect("header");
            w.write_all(&bytes).expect("write");
            w.finish().expect("finish").flush().expect("flush");
        });
        times.push(secs(d));
    }
    Values::from([("export_s".into(), median(&times))])
}

/// Decrypts the bundle `export` wrote and parses every line.
pub fn import(dir: &Path, reps: usize) -> Values {
    let id = identity(dir);
    let mut times = Vec::new();
    for _ in 0..reps {
        let (n, d) = timed(|| {
            let file = std::fs::File::open(dir.join("bundle.age")).expect("file");
            let dec = age::Decryptor::new(BufReader::new(file)).expect("decryptor");
            let r = dec
                .decrypt(std::iter::once(&id as &dyn age::Identity))
                .expect("decrypt");
            let mut n = 0usize;
            for line in BufReader::new(r).lines() {
                let v: serde_json::Value =
                    serde_json::from_str(&line.expect("line")).expect("json");
                std::hint::black_box(&v);
                n += 1;
            }
            n
        });
        assert!(n > 0);
        times.push(secs(d));
    }
    Values::from([("import_empty_s".into(), median(&times))])
}
