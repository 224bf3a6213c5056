//! Timing, percentiles, memory and disk measurements shared by every system.

use std::collections::BTreeMap;
use std::path::Path;
use std::time::{Duration, Instant};

/// What a phase measured: metric name → value (seconds, milliseconds, ratio…).
pub type Values = BTreeMap<String, f64>;

pub const PASS: &str = "correct horse battery staple";

/// Peak resident memory of this process so far, in MiB (`VmHWM`).
pub fn peak_rss_mb() -> f64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<f64>().ok())
        .map(|kb| kb / 1024.0)
        .unwrap_or(f64::NAN)
}

/// CPU time this process has used so far, every thread, user and system,
/// in seconds (`/proc/self/stat`, in ticks of 10 ms): what a phase costs
/// when other work on the machine stretches its wall time.
pub fn cpu_s() -> f64 {
    let stat = std::fs::read_to_string("/proc/self/stat").unwrap_or_default();
    // The fields after the command name, which is in parentheses.
    let rest = stat.rsplit_once(')').map_or("", |(_, r)| r);
    let ticks: Vec<f64> = rest
        .split_whitespace()
        .skip(11)
        .take(2)
        .filter_map(|t| t.parse().ok())
        .collect();
    match ticks[..] {
        [user, system] => (user + system) / 100.0,
        _ => f64::NAN,
    }
}

/// The `p`-th percentile (0–100) of `xs`, nearest rank.
pub fn percentile(xs: &[f64], p: f64) -> f64 {
    if xs.is_empty() {
        return f64::NAN;
    }
    let mut v = xs.to_vec();
    v.sort_by(|a, b| a.total_cmp(b));
    let rank = ((p / 100.0) * v.len() as f64).ceil() as usize;
    v[rank.clamp(1, v.len()) - 1]
}

pub fn median(xs: &[f64]) -> f64 {
    percentile(xs, 50.0)
}

pub fn secs(d: Duration) -> f64 {
    d.as_secs_f64()
}

pub fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

/// Runs `f` and returns its result with the time it took.
pub fn timed<T>(f: impl FnOnce() -> T) -> (T, Duration) {
    let t = Instant::now();
    let out = f();
    (out, t.elapsed())
}

/// Bytes the files under `dir` take on disk (allocated blocks, like `du`).
pub fn disk_bytes(dir: &Path) -> u64 {
    use std::os::unix::fs::MetadataExt;
    let mut total = 0;
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        let Ok(rd) = std::fs::read_dir(&d) else {
            if let Ok(m) = std::fs::metadata(&d) {
                total += m.blocks() * 512;
            }
            continue;
        };
        for e in rd.flatten() {
            let Ok(m) = e.metadata() else { continue };
            if m.is_dir() {
                stack.push(e.path());
            } else {
                total += m.blocks() * 512;
            }
        }
    }
    total
}

/// Removes `dir` if it exists and creates it empty.
pub fn fresh_dir(dir: &Path) {
    let _ = std::fs::remove_dir_all(dir);
    std::fs::create_dir_all(dir).expect("create work dir");
}

/// Calls `f` once per query of `queries`, round after round, until `rounds`
/// rounds are done or `budget` has passed (at least `min_rounds`); returns
/// every latency in milliseconds.
pub fn query_rounds(
    queries: &[&str],
    rounds: usize,
    min_rounds: usize,
    budget: Duration,
    mut f: impl FnMut(&str) -> usize,
) -> Vec<f64> {
    let start = Instant::now();
    let mut out = Vec::new();
    for round in 0..rounds {
        if round >= min_rounds && start.elapsed() > budget {
            break;
        }
        for q in queries {
            let (n, d) = timed(|| f(q));
            std::hint::black_box(n);
            out.push(ms(d));
        }
    }
    out
}
