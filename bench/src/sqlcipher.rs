//! Peer: SQLCipher through rusqlite, as Signal Desktop uses it — keyed with a
//! passphrase (SQLCipher 4 defaults: PBKDF2-HMAC-SHA512, 256,000 iterations,
//! AES-256 pages with HMAC), WAL journal, `synchronous=FULL`, one table of
//! id + serialized record (the same JSON entries our vault seals).
//!
//! Search is what an engineer would write first: `data LIKE '%word%'` for
//! every word, a scan that decrypts every page. SQLite's LIKE folds ASCII
//! case only, so accented names match only as typed; the time is the point.

use crate::gen;
use crate::util::*;
use aqui::vault::Entry;
use aqui::Record;
use rand::rngs::StdRng;
use rand::seq::SliceRandom;
use rand::{Rng, SeedableRng};
use rusqlite::{params, Connection};
use std::path::{Path, PathBuf};
use std::time::Duration;

fn file(dir: &Path) -> PathBuf {
    dir.join("vault.db")
}

fn open(dir: &Path) -> Connection {
    let c = Connection::open(file(dir)).expect("open");
    c.execute_batch(&format!("PRAGMA key = '{PASS}';"))
        .expect("key");
    let mode: String = c
        .query_row("PRAGMA journal_mode = WAL", [], |r| r.get(0))
        .expect("wal");
    assert_eq!(mode, "wal");
    c.execute_batch("PRAGMA synchronous = FULL;").expect("sync");
    c
}

pub fn bulk(people: usize, dir: &Path, reps: usize) -> Values {
    let mut times = Vec::new();
    for _ in 0..reps {
        let data = gen::generate(people);
        fresh_dir(dir);
        let mut c = open(dir);
        c.execute_batch(
            "CREATE TABLE records (id TEXT PRIMARY KEY NOT NULL, data TEXT NOT NULL) WITHOUT ROWID;",
        )
        .expect("table");
        let ((), d) = timed(|| {
            let tx = c.transaction().expect("tx");
            {
                let mut ins = tx
                    .prepare("INSERT INTO records (id, data) VALUES (?1, ?2)")
                    .expect("prepare");
                for (id, r) in &data.records {
                    let json = String::from_utf8(gen::stored(r)).expect("utf8");
                    ins.execute(params![id.as_str(), json]).expect("insert");
                }
            }
            tx.commit().expect("commit");
        });
        times.push(secs(d));
        drop(c);
    }
    let jsonl = gen::generate(people).jsonl_len;
    Values::from([
        ("bulk_insert_s".into(), median(&times)),
        ("disk_ratio".into(), disk_bytes(dir) as f64 / jsonl as f64),
        ("disk_mb".into(), disk_bytes(dir) as f64 / 1048576.0),
    ])
}

/// Every record whose JSON contains every word of `query` (ASCII case folded).
fn search_in(c: &Connection, query: &str) -> Vec<(String, Entry)> {
    let words: Vec<String> = query
        .to_lowercase()
        .split_whitespace()
        .map(|w| format!("%{w}%"))
        .collect();
    if words.is_empty() {
        return Vec::new();
    }
    let sql = format!(
        "SELECT id, data FROM records WHERE {}",
        vec!["data LIKE ?"; words.len()].join(" AND ")
    );
    let mut stmt = c.prepare_cached(&sql).expect("prepare");
    let rows = stmt
        .query_map(rusqlite::params_from_iter(words.iter()), |r| {
            Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?))
        })
        .expect("query");
    rows.map(|r| {
        let (id, data) = r.expect("row");
        (id, serde_json::from_str(&data).expect("json"))
    })
    .collect()
}

pub fn unlock(dir: &Path, reps: usize) -> Values {
    let mut ready = Vec::new();
    let mut kdf = Vec::new();
    for _ in 0..reps {
        let (c, d) = timed(|| {
            let c = open(dir);
            std::hint::black_box(search_in(&c, gen::QUERIES[0]).len());
            c
        });
        ready.push(secs(d));
        drop(c);
        // The key is derived on the first read: open, key, read page 1.
        let (c, d) = timed(|| {
            let c = Connection::open(file(dir)).expect("open");
            c.execute_batch(&format!("PRAGMA key = '{PASS}';"))
                .expect("key");
            let n: i64 = c
                .query_row("SELECT count(*) FROM sqlite_master", [], |r| r.get(0))
                .expect("read");
            std::hint::black_box(n);
            c
        });
        kdf.push(secs(d));
        drop(c);
    }
    Values::from([
        ("unlock_ready_s".into(), median(&ready)),
        ("kdf_s".into(), median(&kdf)),
    ])
}

pub fn search(dir: &Path, rounds: usize) -> Values {
    let c = open(dir);
    let lat = query_rounds(gen::QUERIES, rounds, 2, Duration::from_secs(60), |q| {
        search_in(&c, q).len()
    });
    Values::from([
        ("search_p50_ms".into(), percentile(&lat, 50.0)),
        ("search_p99_ms".into(), percentile(&lat, 99.0)),
    ])
}

pub fn write(dir: &Path, n: usize) -> Values {
    let c = open(dir);
    let mut rng = StdRng::seed_from_u64(gen::SEED + 1);
    let ids = |prefix: &str| -> Vec<String> {
        let mut s = c
            .prepare("SELECT id FROM records WHERE id >= ?1 AND id < ?2")
            .expect("prepare");
        s.query_map(params![format!("{prefix}_"), format!("{prefix}`")], |r| {
            r.get(0)
        })
        .expect("ids")
        .map(|r| r.expect("id"))
        .collect()
    };
    let orgs: Vec<aqui::Id> = ids("org")
        .iter()
        .filter_map(|s| aqui::Id::parse(s))
        .collect();
    let people = ids("per");
    let mut lat = Vec::new();
    for i in 0..n + 10 {
        let d = if i % 2 == 0 {
            let p = Record::Person(gen::person(&mut rng, &orgs));
            let id = aqui::Id::new(aqui::Kind::Person);
            timed(|| {
                let json = String::from_utf8(gen::stored(&p)).expect("utf8");
                c.prepare_cached("INSERT INTO records (id, data) VALUES (?1, ?2)")
                    .expect("prepare")
                    .execute(params![id.as_str(), json])
                    .expect("insert");
            })
            .1
        } else {
            let id = people.choose(&mut rng).expect("people");
            let phone = format!("+1 (555) 019-{:04}", rng.gen_range(0..10_000));
            timed(|| {
                let data: String = c
                    .prepare_cached("SELECT data FROM records WHERE id = ?1")
                    .expect("prepare")
                    .query_row([id], |r| r.get(0))
                    .expect("get");
                let mut e: Entry = serde_json::from_str(&data).expect("json");
                if let Some(Record::Person(p)) = &mut e.record {
                    p.phone = phone;
                }
                let json = serde_json::to_string(&e).expect("json");
                c.prepare_cached("UPDATE records SET data = ?2 WHERE id = ?1")
                    .expect("prepare")
                    .execute(params![id, json])
                    .expect("update");
            })
            .1
        };
        if i >= 10 {
            lat.push(ms(d));
        }
    }
    Values::from([
        ("write_p50_ms".into(), percentile(&lat, 50.0)),
        ("write_p99_ms".into(), percentile(&lat, 99.0)),
    ])
}
