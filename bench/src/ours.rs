//! Our vault, through its public API only, with the real default Argon2id.

use crate::gen;
use crate::util::*;
use aqui::vault::KdfParams;
use aqui::{Kind, Passphrase, Record, Vault};
use rand::rngs::StdRng;
use rand::seq::SliceRandom;
use rand::{Rng, SeedableRng};
use std::path::Path;
use std::time::Duration;

fn pass() -> Passphrase {
    Passphrase::new(PASS.to_string())
}

/// Bulk insert of every record in one `add_all` (one atomic, durable batch),
/// into a fresh vault each repetition; the last one is kept for the phases
/// after. Also the vault's size on disk against the raw JSON.
pub fn bulk(people: usize, dir: &Path, reps: usize) -> Values {
    let mut times = Vec::new();
    let mut jsonl = 0;
    for _ in 0..reps {
        let data = gen::generate(people);
        jsonl = data.jsonl_len;
        let _ = std::fs::remove_dir_all(dir);
        let mut v = Vault::create(dir, &pass(), KdfParams::default()).expect("create");
        let ((), d) = timed(|| v.add_all(data.records).expect("add_all"));
        times.push(secs(d));
        drop(v);
    }
    Values::from([
        ("bulk_insert_s".into(), median(&times)),
        ("disk_ratio".into(), disk_bytes(dir) as f64 / jsonl as f64),
        ("disk_mb".into(), disk_bytes(dir) as f64 / 1048576.0),
        ("raw_json_mb".into(), jsonl as f64 / 1048576.0),
    ])
}

/// Passphrase in → the vault open, every record decrypted and the first
/// search answered. The KDF alone is timed apart (`check_passphrase` runs
/// the same Argon2id with the vault's parameters and unwraps the key).
pub fn unlock(dir: &Path, reps: usize) -> Values {
    let mut ready = Vec::new();
    let mut kdf = Vec::new();
    for _ in 0..reps {
        let (v, d) = timed(|| {
            let v = Vault::unlock(dir, &pass()).expect("unlock");
            std::hint::black_box(v.search(gen::QUERIES[0]).len());
            v
        });
        ready.push(secs(d));
        let (r, d) = timed(|| v.check_passphrase(&pass()));
        r.expect("passphrase");
        kdf.push(secs(d));
        drop(v);
    }
    Values::from([
        ("unlock_ready_s".into(), median(&ready)),
        ("kdf_s".into(), median(&kdf)),
    ])
}

/// Latency of `Vault::search` over the fixed query set.
pub fn search(dir: &Path, rounds: usize) -> Values {
    let v = Vault::unlock(dir, &pass()).expect("unlock");
    let mut hits = Values::new();
    for q in gen::QUERIES {
        hits.insert(format!("hits:{q}"), v.search(q).len() as f64);
    }
    let lat = query_rounds(gen::QUERIES, rounds, 5, Duration::from_secs(30), |q| {
        v.search(q).len()
    });
    // Each query's slowest time, to see which queries make the p99.
    for (i, q) in gen::QUERIES.iter().enumerate() {
        let mine: Vec<f64> = lat.iter().skip(i).step_by(gen::QUERIES.len()).copied().collect();
        hits.insert(format!("max_ms:{q}"), percentile(&mine, 100.0));
    }
    let mut out = Values::from([
        ("search_p50_ms".into(), percentile(&lat, 50.0)),
        ("search_p99_ms".into(), percentile(&lat, 99.0)),
    ]);
    out.append(&mut hits);
    out
}

/// One durable write at a time: half of them add a new person, half edit an
/// existing person's phone. Each returns only once durable.
pub fn write(dir: &Path, n: usize) -> Values {
    let mut v = Vault::unlock(dir, &pass()).expect("unlock");
    let mut rng = StdRng::seed_from_u64(gen::SEED + 1);
    let orgs: Vec<_> = v
        .list(Kind::Org)
        .iter()
        .map(|(id, _)| (*id).clone())
        .collect();
    let people: Vec<_> = v
        .list(Kind::Person)
        .iter()
        .map(|(id, _)| (*id).clone())
        .collect();
    let mut lat = Vec::new();
    for i in 0..n + 10 {
        let d = if i % 2 == 0 {
            let p = gen::person(&mut rng, &orgs);
            timed(|| v.add(Record::Person(p)).expect("add")).1
        } else {
            let id = people.choose(&mut rng).expect("people");
            let phone = format!("+1 (555) 019-{:04}", rng.gen_range(0..10_000));
            timed(|| v.edit(id, &[("phone".into(), phone)]).expect("edit")).1
        };
        // The first few warm the caches.
        if i >= 10 {
            lat.push(ms(d));
        }
    }
    Values::from([
        ("write_p50_ms".into(), percentile(&lat, 50.0)),
        ("write_p99_ms".into(), percentile(&lat, 99.0)),
    ])
}

/// Export of everything to one steward. Waits on the core's steward export
/// (issue 4): until it exists there is nothing of ours to measure, and the
/// row is left out rather than faked.
pub fn export(_dir: &Path) -> Option<Values> {
    None
}

/// Import of that export into an empty vault (see `export`).
pub fn import_empty(_dir: &Path) -> Option<Values> {
    None
}

/// Import of that export into a vault that already holds most of it (see
/// `export`).
pub fn import_merge(_dir: &Path) -> Option<Values> {
    None
}
