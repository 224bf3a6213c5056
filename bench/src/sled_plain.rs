//! Peer: plain sled, no encryption — what encryption costs us. The same
//! entries as JSON under the same ids, the same 32 MiB page cache, and the
//! same durability as our vault (sled's flush, then `fdatasync` of its log).
//! Unlock loads and parses every record into memory, like ours, and search
//! is the straightforward scan of folded text (what our core did before it
//! had an index), with organization names looked up at query time.

use crate::gen;
use crate::util::*;
use aqui::vault::{fold, Entry};
use aqui::{Id, Record};
use rand::rngs::StdRng;
use rand::seq::SliceRandom;
use rand::{Rng, SeedableRng};
use std::collections::HashMap;
use std::fs::File;
use std::path::Path;
use std::time::Duration;

struct Store {
    db: sled::Db,
    tree: sled::Tree,
    log: File,
}

impl Store {
    fn open(dir: &Path) -> Store {
        let db = sled::Config::new()
            .path(dir)
            .cache_capacity(32 * 1024 * 1024)
            .open()
            .expect("sled");
        let tree = db.open_tree("records").expect("tree");
        db.flush().expect("flush");
        let log = File::open(dir.join("db")).expect("log");
        Store { db, tree, log }
    }

    fn durable(&self) {
        self.db.flush().expect("flush");
        self.log.sync_data().expect("fdatasync");
    }
}

/// Records in memory with their folded text, as a naive app keeps them.
struct Loaded {
    entries: HashMap<Id, Entry>,
    text: HashMap<Id, String>,
    title: HashMap<Id, String>,
}

impl Loaded {
    fn load(s: &Store) -> Loaded {
        let mut l = Loaded {
            entries: HashMap::new(),
            text: HashMap::new(),
            title: HashMap::new(),
        };
        for item in s.tree.iter() {
            let (k, v) = item.expect("item");
            let id = Id::parse(std::str::from_utf8(&k).expect("utf8")).expect("id");
            let e: Entry = serde_json::from_slice(&v).expect("json");
            l.put(id, e);
        }
        l
    }

    fn put(&mut self, id: Id, e: Entry) {
        if let Some(r) = &e.record {
            self.text.insert(id.clone(), fold(&r.search_text()));
            self.title.insert(id.clone(), fold(r.title()));
        }
        self.entries.insert(id, e);
    }

    fn search(&self, query: &str) -> Vec<&Id> {
        let words: Vec<String> = fold(query).split_whitespace().map(str::to_string).collect();
        if words.is_empty() {
            return Vec::new();
        }
        let org_matches = |rec: &Record, word: &str| match rec {
            Record::Person(p) => p
                .orgs
                .iter()
                .any(|m| self.title.get(&m.org).is_some_and(|t| t.contains(word))),
            _ => false,
        };
        let mut out: Vec<&Id> = self
            .text
            .iter()
            .filter(|(id, text)| {
                let rec = self.entries.get(*id).and_then(|e| e.record.as_ref());
                words
                    .iter()
                    .all(|w| text.contains(w.as_str()) || rec.is_some_and(|r| org_matches(r, w)))
            })
            .map(|(id, _)| id)
            .collect();
        out.sort_by(|a, b| (a.kind(), &self.title[*a], a).cmp(&(b.kind(), &self.title[*b], b)));
        out
    }
}

pub fn bulk(people: usize, dir: &Path, reps: usize) -> Values {
    let mut times = Vec::new();
    for _ in 0..reps {
        let data = gen::generate(people);
        fresh_dir(dir);
        let s = Store::open(dir);
        let ((), d) = timed(|| {
            let mut batch = sled::Batch::default();
            for (id, r) in &data.records {
                batch.insert(id.as_str().as_bytes(), gen::stored(r));
            }
            s.tree.apply_batch(batch).expect("batch");
            s.durable();
        });
        times.push(secs(d));
        drop(s);
    }
    let jsonl = gen::generate(people).jsonl_len;
    Values::from([
        ("bulk_insert_s".into(), median(&times)),
        ("disk_ratio".into(), disk_bytes(dir) as f64 / jsonl as f64),
        ("disk_mb".into(), disk_bytes(dir) as f64 / 1048576.0),
    ])
}

pub fn unlock(dir: &Path, reps: usize) -> Values {
    let mut ready = Vec::new();
    for _ in 0..reps {
        let (l, d) = timed(|| {
            let s = Store::open(dir);
            let l = Loaded::load(&s);
            std::hint::black_box(l.search(gen::QUERIES[0]).len());
            (s, l)
        });
        ready.push(secs(d));
        drop(l);
    }
    Values::from([("unlock_ready_s".into(), median(&ready))])
}

pub fn search(dir: &Path, rounds: usize) -> Values {
    let s = Store::open(dir);
    let l = Loaded::load(&s);
    let lat = query_rounds(gen::QUERIES, rounds, 3, Duration::from_secs(30), |q| {
        l.search(q).len()
    });
    Values::from([
        ("search_p50_ms".into(), percentile(&lat, 50.0)),
        ("search_p99_ms".into(), percentile(&lat, 99.0)),
    ])
}

pub fn write(dir: &Path, n: usize) -> Values {
    let s = Store::open(dir);
    let mut l = Loaded::load(&s);
    let mut rng = StdRng::seed_from_u64(gen::SEED + 1);
    let mut orgs: Vec<Id> = Vec::new();
    let mut people: Vec<Id> = Vec::new();
    for id in l.entries.keys() {
        match id.kind() {
            aqui::Kind::Org => orgs.push(id.clone()),
            aqui::Kind::Person => people.push(id.clone()),
            _ => {}
        }
    }
    orgs.sort();
    people.sort();
    let mut lat = Vec::new();
    for i in 0..n + 10 {
        let (id, entry) = if i % 2 == 0 {
            let id = Id::new(aqui::Kind::Person);
            (
                id,
                gen::entry(&Record::Person(gen::person(&mut rng, &orgs))),
            )
        } else {
            let id = people.choose(&mut rng).expect("people").clone();
            let mut e = l.entries[&id].clone();
            if let Some(Record::Person(p)) = &mut e.record {
                p.phone = format!("+1 (555) 019-{:04}", rng.gen_range(0..10_000));
            }
            (id, e)
        };
        let d = timed(|| {
            let json = serde_json::to_vec(&entry).expect("json");
            s.tree.insert(id.as_str().as_bytes(), json).expect("insert");
            s.durable();
            l.put(id, entry);
        })
        .1;
        if i >= 10 {
            lat.push(ms(d));
        }
    }
    Values::from([
        ("write_p50_ms".into(), percentile(&lat, 50.0)),
        ("write_p99_ms".into(), percentile(&lat, 99.0)),
    ])
}
