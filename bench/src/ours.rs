//! Our vault, through its public API only, with the real default Argon2id.

use crate::gen;
use crate::util::*;
use aqui::vault::KdfParams;
use aqui::{Kind, Passphrase, Record, Vault};
use rand::rngs::StdRng;
use rand::seq::SliceRandom;
use rand::{Rng, SeedableRng};
use std::path::{Path, PathBuf};
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
    // Each query's slowest and median time, to see which queries make the
    // p99 and how long each takes when nothing else runs in between.
    for (i, q) in gen::QUERIES.iter().enumerate() {
        let mine: Vec<f64> = lat
            .iter()
            .skip(i)
            .step_by(gen::QUERIES.len())
            .copied()
            .collect();
        hits.insert(format!("max_ms:{q}"), percentile(&mine, 100.0));
        hits.insert(format!("med_ms:{q}"), percentile(&mine, 50.0));
    }
    // What a form needs to open: the person picker's first offers, and the
    // picker after one typed word (the median of five of each).
    let lang = aqui::Lang::En;
    let _ = aqui::i18n::text(lang, "kind-person");
    for (what, typed) in [("open", ""), ("one_word", "maria")] {
        let mut t: Vec<f64> = (0..5)
            .map(|_| {
                let (_, d) = timed(|| aqui::app::organize::pick(&v, lang, Kind::Person, typed));
                d.as_secs_f64() * 1000.0
            })
            .collect();
        t.sort_by(f64::total_cmp);
        hits.insert(format!("picker_ms:{what}"), t[2]);
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
    // Their ids only: a list of everyone would open every record.
    let people: Vec<_> = v
        .ids()
        .filter(|(id, live)| *live && id.kind() == Kind::Person)
        .map(|(id, _)| id.clone())
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

/// The receiving steward's vault (empty, kept as a template to copy), the
/// full export to it, and an export of 90% of the records (for the merge).
fn receiver(dir: &Path) -> PathBuf {
    dir.with_extension("receiver")
}
fn template(dir: &Path) -> PathBuf {
    dir.with_extension("receiver-empty")
}
fn bundle(dir: &Path, name: &str) -> PathBuf {
    dir.with_extension(name)
}

fn copy_dir(from: &Path, to: &Path) {
    let _ = std::fs::remove_dir_all(to);
    std::fs::create_dir_all(to).expect("dir");
    for e in std::fs::read_dir(from).expect("read dir").flatten() {
        let dest = to.join(e.file_name());
        if e.file_type().expect("type").is_dir() {
            copy_dir(&e.path(), &dest);
        } else {
            std::fs::copy(e.path(), dest).expect("copy");
        }
    }
}

/// Resets the peak resident memory (`VmHWM`) to the current, so a phase's
/// peak can be told from what was loaded before it.
fn reset_peak() -> bool {
    std::fs::write("/proc/self/clear_refs", "5").is_ok()
}

fn current_rss_mb() -> f64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<f64>().ok())
        .map_or(f64::NAN, |kb| kb / 1024.0)
}

/// Export of everything (deletions and sensitive records included) to one
/// steward: a fresh vault's age key. Also how much memory the export took
/// beyond the loaded vault.
pub fn export(dir: &Path, reps: usize) -> Option<Values> {
    use aqui::handoff::{self, Selection, To};
    let _ = std::fs::remove_dir_all(template(dir));
    let r = Vault::create(&template(dir), &pass(), KdfParams::default()).expect("receiver");
    let to = vec![r.keys().public().age];
    drop(r);
    let mut v = Vault::unlock(dir, &pass()).expect("unlock");
    // Most of it, for the merge: every tenth record left out.
    let ids: Vec<_> = v.ids().map(|(id, _)| id.clone()).collect();
    let most: Vec<_> = ids
        .into_iter()
        .enumerate()
        .filter(|(i, _)| i % 10 != 0)
        .map(|(_, id)| id)
        .collect();
    let plan = handoff::select(&v, &Selection::Ids(most), true).expect("select");
    handoff::export(&mut v, plan, &To::Stewards(&to), &bundle(dir, "most.age")).expect("export");
    // Exports of everything `reps` times (held-back people in or left
    // out): the median seconds, wall and CPU.
    let mut export_all = |held: bool, file: &str| {
        let (mut times, mut cpu) = (Vec::new(), Vec::new());
        for _ in 0..reps {
            let before = crate::util::cpu_s();
            let (_, d) = timed(|| {
                let plan = handoff::select(&v, &Selection::All, held).expect("select");
                handoff::export(&mut v, plan, &To::Stewards(&to), &bundle(dir, file))
                    .expect("export")
            });
            times.push(secs(d));
            cpu.push(crate::util::cpu_s() - before);
        }
        (median(&times), median(&cpu))
    };
    let before = current_rss_mb();
    let tracked = reset_peak();
    let (wall, cpu) = export_all(true, "all.age");
    let mut out = Values::from([("export_s".into(), wall), ("cpu:export_s".into(), cpu)]);
    if tracked {
        out.insert(
            "export_extra_mb".into(),
            crate::util::peak_rss_mb() - before,
        );
    }
    // The same with held-back people left out (taken out of every record
    // that names them, notes checked for their names): after the memory
    // figure, which is the export above's.
    let (wall, cpu) = export_all(false, "shared.age");
    out.insert("export_excluded_s".into(), wall);
    out.insert("cpu:export_excluded_s".into(), cpu);
    // The size of the file everything went into (beside fsync_floor's).
    if let Ok(m) = std::fs::metadata(bundle(dir, "all.age")) {
        out.insert("export_mb".into(), m.len() as f64 / (1 << 20) as f64);
    }
    Some(out)
}

/// Import of the full export into an empty vault: open, check, merge, apply.
pub fn import_empty(dir: &Path, reps: usize) -> Option<Values> {
    use aqui::handoff;
    let (mut times, mut cpu) = (Vec::new(), Vec::new());
    for _ in 0..reps {
        copy_dir(&template(dir), &receiver(dir));
        let mut r = Vault::unlock(&receiver(dir), &pass()).expect("unlock");
        let before = crate::util::cpu_s();
        let ((), d) = timed(|| {
            let incoming = handoff::open(&r, &bundle(dir, "all.age"), None).expect("open");
            handoff::apply(&mut r, incoming).expect("apply");
        });
        times.push(secs(d));
        cpu.push(crate::util::cpu_s() - before);
    }
    // The CPU time of every thread (the wall time's floor on N cores is
    // it ÷ N): what an import costs when other work stretches its wall.
    Some(Values::from([
        ("import_empty_s".into(), median(&times)),
        ("cpu:import_empty_s".into(), median(&cpu)),
    ]))
}

/// Import of the full export into a vault that already holds 90% of it.
pub fn import_merge(dir: &Path, reps: usize) -> Option<Values> {
    use aqui::handoff;
    let mut times = Vec::new();
    for _ in 0..reps {
        copy_dir(&template(dir), &receiver(dir));
        let mut r = Vault::unlock(&receiver(dir), &pass()).expect("unlock");
        let incoming = handoff::open(&r, &bundle(dir, "most.age"), None).expect("open");
        handoff::apply(&mut r, incoming).expect("apply");
        let ((), d) = timed(|| {
            let incoming = handoff::open(&r, &bundle(dir, "all.age"), None).expect("open");
            handoff::apply(&mut r, incoming).expect("apply");
        });
        times.push(secs(d));
    }
    for p in [receiver(dir), template(dir)] {
        let _ = std::fs::remove_dir_all(p);
    }
    Some(Values::from([("import_merge_s".into(), median(&times))]))
}
