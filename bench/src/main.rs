//! `aqui-bench`: our vault against SQLCipher, plain sled and age, on the same
//! synthetic chapter at several sizes. Run it with `bash scripts/bench`.
//!
//! Every phase of every system runs in its own child process (this binary,
//! re-run with `--phase SYSTEM:PHASE`), so the peak resident memory each one
//! reports (`VmHWM`) is that phase's alone. The parent collects the figures,
//! prints a Markdown table (ours, each peer, and ours ÷ peer) and writes
//! `target/bench/latest.json`.

mod age_stream;
mod fsync_floor;
mod gen;
mod ours;
mod sled_plain;
mod sqlcipher;
mod util;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;
use util::Values;

const PEERS: [&str; 4] = ["sqlcipher", "sled_plain", "age_stream", "fsync_floor"];

/// The metrics, in table order, with their units.
const METRICS: &[(&str, &str)] = &[
    ("unlock_ready_s", "s"),
    ("kdf_s", "s"),
    ("write_p50_ms", "ms"),
    ("write_p99_ms", "ms"),
    ("bulk_insert_s", "s"),
    ("search_p50_ms", "ms"),
    ("search_p99_ms", "ms"),
    ("export_s", "s"),
    ("export_excluded_s", "s"),
    ("import_empty_s", "s"),
    ("import_merge_s", "s"),
    ("peak_rss_mb", "MiB"),
    ("export_extra_mb", "MiB"),
    ("disk_ratio", "× raw JSON"),
];

struct Opts {
    people: Vec<usize>,
    systems: Vec<String>,
    reps: usize,
    rounds: usize,
    writes: usize,
    work: PathBuf,
    out: PathBuf,
}

fn usage() -> ! {
    eprintln!(
        "usage: aqui-bench [--people 10000,100000] [--systems ours,sqlcipher,sled_plain,age_stream,fsync_floor]\n\
         \x20                 [--reps 3] [--rounds 50] [--writes 400] [--work DIR] [--out FILE]"
    );
    std::process::exit(2)
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.first().map(String::as_str) == Some("--phase") {
        return child(&args[1..]);
    }
    let mut o = Opts {
        people: vec![10_000, 100_000],
        systems: [
            "ours",
            "sqlcipher",
            "sled_plain",
            "age_stream",
            "fsync_floor",
        ]
        .map(String::from)
        .to_vec(),
        reps: 3,
        rounds: 50,
        writes: 400,
        work: PathBuf::from("target/bench/work"),
        out: PathBuf::from("target/bench/latest.json"),
    };
    let mut it = args.iter();
    while let Some(a) = it.next() {
        let mut val = || it.next().cloned().unwrap_or_else(|| usage());
        match a.as_str() {
            "--people" => {
                o.people = val()
                    .split(',')
                    .map(|s| s.parse().unwrap_or_else(|_| usage()))
                    .collect()
            }
            "--systems" => o.systems = val().split(',').map(String::from).collect(),
            "--reps" => o.reps = val().parse().unwrap_or_else(|_| usage()),
            "--rounds" => o.rounds = val().parse().unwrap_or_else(|_| usage()),
            "--writes" => o.writes = val().parse().unwrap_or_else(|_| usage()),
            "--work" => o.work = val().into(),
            "--out" => o.out = val().into(),
            _ => usage(),
        }
    }
    run(&o);
}

/// `--phase SYSTEM:PHASE PEOPLE DIR REPS ROUNDS WRITES` → one JSON object of
/// values (and `rss_mb`) on stdout; no output when the phase does not exist
/// for this system.
fn child(args: &[String]) {
    let [what, people, dir, reps, rounds, writes] = args else {
        usage()
    };
    let people: usize = people.parse().unwrap_or_else(|_| usage());
    let (reps, rounds, writes): (usize, usize, usize) = (
        reps.parse().unwrap_or_else(|_| usage()),
        rounds.parse().unwrap_or_else(|_| usage()),
        writes.parse().unwrap_or_else(|_| usage()),
    );
    let dir = Path::new(dir);
    let values: Option<Values> = match what.as_str() {
        "ours:bulk_insert" => Some(ours::bulk(people, dir, reps)),
        "ours:unlock" => Some(ours::unlock(dir, reps + 2)),
        "ours:search" => Some(ours::search(dir, rounds)),
        "ours:write" => Some(ours::write(dir, writes)),
        "ours:export" => ours::export(dir, reps),
        "ours:import_empty" => ours::import_empty(dir, reps),
        "ours:import_merge" => ours::import_merge(dir, reps),
        "sqlcipher:bulk_insert" => Some(sqlcipher::bulk(people, dir, reps)),
        "sqlcipher:unlock" => Some(sqlcipher::unlock(dir, reps)),
        "sqlcipher:search" => Some(sqlcipher::search(dir, rounds)),
        "sqlcipher:write" => Some(sqlcipher::write(dir, writes)),
        "sled_plain:bulk_insert" => Some(sled_plain::bulk(people, dir, reps)),
        "sled_plain:unlock" => Some(sled_plain::unlock(dir, reps + 2)),
        "sled_plain:search" => Some(sled_plain::search(dir, rounds)),
        "sled_plain:write" => Some(sled_plain::write(dir, writes)),
        "age_stream:export" => Some(age_stream::export(people, dir, reps)),
        "age_stream:import_empty" => Some(age_stream::import(dir, reps)),
        "fsync_floor:write" => Some(fsync_floor::write(dir, writes)),
        "fsync_floor:export" => Some(fsync_floor::export(people, dir, reps)),
        _ => None,
    };
    if let Some(mut v) = values {
        // The floor's memory is nothing to compare ours with.
        if !what.starts_with("fsync_floor:") {
            v.insert("rss_mb".into(), util::peak_rss_mb());
        }
        println!("{}", serde_json::to_string(&v).expect("json"));
    }
}

/// The phases of each system, in the order they run.
fn phases(system: &str) -> &'static [&'static str] {
    match system {
        "age_stream" => &["export", "import_empty"],
        "fsync_floor" => &["write", "export"],
        _ => &[
            "bulk_insert",
            "unlock",
            "search",
            "write",
            "export",
            "import_empty",
            "import_merge",
        ],
    }
}

/// Results of one size: system → phase → values.
type Results = BTreeMap<String, BTreeMap<String, Values>>;

fn run_phase(o: &Opts, system: &str, phase: &str, people: usize, dir: &Path) -> Option<Values> {
    eprint!("  {system:<10} {phase:<13}");
    let exe = std::env::current_exe().expect("exe");
    let out = Command::new(exe)
        .arg("--phase")
        .arg(format!("{system}:{phase}"))
        .arg(people.to_string())
        .arg(dir)
        .args([o.reps, o.rounds, o.writes].map(|n| n.to_string()))
        .output()
        .expect("run phase");
    if !out.status.success() {
        eprintln!(
            "failed:\n{}",
            String::from_utf8_lossy(&out.stderr).trim_end()
        );
        std::process::exit(1);
    }
    let text = String::from_utf8_lossy(&out.stdout);
    let Some(line) = text.lines().last() else {
        eprintln!("not measured");
        return None;
    };
    let v: Values = serde_json::from_str(line).expect("phase output");
    let shown: Vec<String> = v
        .iter()
        .filter(|(k, _)| !k.contains(':'))
        .map(|(k, x)| format!("{k}={x:.3}"))
        .collect();
    eprintln!("{}", shown.join(" "));
    Some(v)
}

fn run(o: &Opts) {
    let mut all: Vec<(usize, Results)> = Vec::new();
    for &people in &o.people {
        eprintln!("== {people} people");
        let mut results = Results::new();
        for system in &o.systems {
            let dir = o.work.join(people.to_string()).join(system);
            let _ = std::fs::remove_dir_all(&dir);
            std::fs::create_dir_all(dir.parent().expect("parent")).expect("work dir");
            for phase in phases(system) {
                if let Some(v) = run_phase(o, system, phase, people, &dir) {
                    results
                        .entry(system.clone())
                        .or_default()
                        .insert(phase.to_string(), v);
                }
            }
            let _ = std::fs::remove_dir_all(&dir);
            for ext in ["receiver", "receiver-empty", "most.age", "all.age"] {
                let p = dir.with_extension(ext);
                let _ = std::fs::remove_dir_all(&p);
                let _ = std::fs::remove_file(&p);
            }
        }
        if let Some(s) = results.get("ours").and_then(|r| r.get("search")) {
            for (what, prefix) in [
                ("hits", "hits:"),
                ("slowest ms", "max_ms:"),
                ("median ms", "med_ms:"),
                ("picker ms", "picker_ms:"),
            ] {
                let per: Vec<String> = s
                    .iter()
                    .filter_map(|(k, v)| Some(format!("{}={v:.3}", k.strip_prefix(prefix)?)))
                    .collect();
                eprintln!("  ours, {what} per query: {}", per.join(", "));
            }
        }
        all.push((people, results));
    }
    let rows = rows(&all);
    print_table(&rows, &all);
    write_json(&o.out, &rows);
}

/// One row of the table and of the JSON.
struct Row {
    name: &'static str,
    unit: &'static str,
    people: usize,
    ours: f64,
    peers: BTreeMap<&'static str, f64>,
    /// For `peak_rss_mb`: each phase's peak, ours and the peers'.
    phases: Vec<(String, f64, BTreeMap<&'static str, f64>)>,
}

/// A metric of one system: from whichever phase measured it; for
/// `peak_rss_mb`, the highest of its phases.
fn metric(r: &BTreeMap<String, Values>, name: &str) -> Option<f64> {
    if name == "peak_rss_mb" {
        return r
            .values()
            .filter_map(|v| v.get("rss_mb").copied())
            .reduce(f64::max);
    }
    r.values().find_map(|v| v.get(name).copied())
}

fn rows(all: &[(usize, Results)]) -> Vec<Row> {
    let mut rows = Vec::new();
    for (people, results) in all {
        let empty = BTreeMap::new();
        let ours = results.get("ours").unwrap_or(&empty);
        for &(name, unit) in METRICS {
            // A row needs our own figure: a peer alone is not a comparison.
            let Some(value) = metric(ours, name) else {
                continue;
            };
            let mut peers = BTreeMap::new();
            for p in PEERS {
                if let Some(x) = results.get(p).and_then(|r| metric(r, name)) {
                    peers.insert(p, x);
                }
            }
            let mut phases = Vec::new();
            if name == "peak_rss_mb" {
                for (phase, v) in ours {
                    let Some(x) = v.get("rss_mb") else { continue };
                    let mut pp = BTreeMap::new();
                    for p in PEERS {
                        if let Some(y) = results
                            .get(p)
                            .and_then(|r| r.get(phase))
                            .and_then(|v| v.get("rss_mb"))
                        {
                            pp.insert(p, *y);
                        }
                    }
                    phases.push((phase.clone(), *x, pp));
                }
            }
            rows.push(Row {
                name,
                unit,
                people: *people,
                ours: value,
                peers,
                phases,
            });
        }
    }
    rows
}

fn fmt(x: f64) -> String {
    if x.is_nan() {
        "—".into()
    } else if x >= 100.0 {
        format!("{x:.0}")
    } else if x >= 10.0 {
        format!("{x:.1}")
    } else if x >= 0.1 {
        format!("{x:.2}")
    } else {
        format!("{x:.3}")
    }
}

fn cells(ours: f64, peers: &BTreeMap<&str, f64>) -> String {
    let mut s = format!(" {} |", fmt(ours));
    for p in PEERS {
        match peers.get(p) {
            Some(x) => s += &format!(" {} | {:.2}× |", fmt(*x), ours / x),
            None => s += " | |",
        }
    }
    s
}

fn print_table(rows: &[Row], all: &[(usize, Results)]) {
    println!(
        "| metric | people | ours | sqlcipher | ours ÷ sqlcipher | sled_plain | ours ÷ sled_plain | age_stream | ours ÷ age_stream | fsync_floor | ours ÷ fsync_floor |"
    );
    println!("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
    for r in rows {
        println!(
            "| {} ({}) | {} |{}",
            r.name,
            r.unit,
            r.people,
            cells(r.ours, &r.peers)
        );
        for (phase, x, pp) in &r.phases {
            println!("| … {phase} | {} |{}", r.people, cells(*x, pp));
        }
    }
    for (people, results) in all {
        let over = results.get("fsync_floor").and_then(|r| r.get("write"));
        if let Some((p50, p99)) =
            over.and_then(|v| Some((*v.get("overwrite_p50_ms")?, *v.get("overwrite_p99_ms")?)))
        {
            println!(
                "\n{people} people: fsync_floor's write rows are a 1 KB append + fdatasync; \
                 a 4 KB overwrite + fdatasync: p50 {} ms, p99 {} ms.",
                fmt(p50),
                fmt(p99)
            );
        }
        let size = |system: &str| metric(results.get(system)?, "export_mb");
        if let (Some(ours), Some(floor)) = (size("ours"), size("fsync_floor")) {
            println!(
                "\n{people} people: the export row's fsync_floor is the lines age_stream encrypts \
                 ({} MiB) written to a file and fdatasync'd, nothing encrypted; ours's file is {} MiB.",
                fmt(floor),
                fmt(ours)
            );
        }
        let cpu = |name: &str| results.get("ours").and_then(|r| metric(r, name));
        if let (Some(export), Some(import)) = (cpu("cpu:export_s"), cpu("cpu:import_empty_s")) {
            println!(
                "\n{people} people: CPU time of ours, every thread: export {} s, import into an empty vault {} s.",
                fmt(export),
                fmt(import)
            );
        }
        let floors: Vec<String> = ["export_s", "import_empty_s"]
            .iter()
            .filter(|name| results.get("ours").and_then(|r| metric(r, name)).is_none())
            .filter_map(|name| {
                let x = results.get("age_stream").and_then(|r| metric(r, name))?;
                Some(format!("{name} {}", fmt(x)))
            })
            .collect();
        if !floors.is_empty() {
            println!(
                "\n{people} people: no steward export/import in the core yet, so those rows are left out; \
                 the age_stream floor alone: {}.",
                floors.join(", ")
            );
        }
    }
}

fn write_json(path: &Path, rows: &[Row]) {
    use serde_json::{json, Map, Value};
    let out: Vec<Value> = rows
        .iter()
        .map(|r| {
            let peers: Map<String, Value> = r
                .peers
                .iter()
                .map(|(k, v)| (k.to_string(), json!(v)))
                .collect();
            let mut o = json!({
                "name": r.name,
                "people": r.people,
                "value": r.ours,
                "unit": r.unit,
                "peers": peers,
            });
            if !r.phases.is_empty() {
                let phases: Map<String, Value> = r
                    .phases
                    .iter()
                    .map(|(phase, x, pp)| {
                        let pp: Map<String, Value> =
                            pp.iter().map(|(k, v)| (k.to_string(), json!(v))).collect();
                        (phase.clone(), json!({ "value": x, "peers": pp }))
                    })
                    .collect();
                o["phases"] = Value::Object(phases);
            }
            o
        })
        .collect();
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).expect("out dir");
    }
    std::fs::write(
        path,
        serde_json::to_string_pretty(&out).expect("json") + "\n",
    )
    .expect("write json");
    eprintln!("wrote {}", path.display());
}
