//! The core's layers only look down: every `crate::` path in `src/` (the
//! `aqui` binary aside, which is a crate of its own) names a module of the
//! same layer or of one below. Comment lines are not read.
//!
//! ```text
//! 0  i18n, harden, html     messages and languages, process hardening, escaping
//! 1  model                  records, the ledger (entries, clocks, log, conflicts), policy
//! 2  identity               steward keys, cards, fingerprints
//! 3  vault                  the encrypted store; every write through `vault::Changes`
//!    testkit                unit-test helpers: throwaway vaults, records (tests only)
//! 4  handoff, retention, pledge
//! 5  error                  the errors of the layers below as messages
//! 6  csv, report
//! 7  view, consent, demo    what a person reads
//! 8  app                    what the desktop app adds
//! ```
//!
//! Above them, the `aqui` CLI and the desktop shell (`src-tauri`).

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

/// Each top-level module of the core, with its layer.
const LAYERS: &[(&str, u8)] = &[
    ("i18n", 0),
    ("harden", 0),
    ("html", 0),
    ("model", 1),
    ("identity", 2),
    ("vault", 3),
    ("testkit", 3),
    ("handoff", 4),
    ("retention", 4),
    ("pledge", 4),
    ("error", 5),
    ("csv", 6),
    ("report", 6),
    ("view", 7),
    ("consent", 7),
    ("demo", 7),
    ("app", 8),
];

/// What the crate root re-exports (`crate::Id`, the `t!` macro), by the
/// module that defines it.
const ROOT: &[(&str, &str)] = &[
    ("t", "i18n"),
    ("Lang", "i18n"),
    ("Id", "model"),
    ("Kind", "model"),
    ("Record", "model"),
    ("Vault", "vault"),
    ("Passphrase", "vault"),
    ("Localize", "error"),
    ("UserError", "error"),
    ("every_variant", "error"),
];

/// Known exceptions, each with who is removing it: (from, to, why).
const EXCEPTIONS: &[(&str, &str, &str)] = &[];

fn layer(module: &str) -> Option<u8> {
    LAYERS.iter().find(|(m, _)| *m == module).map(|(_, l)| *l)
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let mut entries: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    entries.sort();
    for path in entries {
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// The top-level modules a file's code names as `crate::NAME`.
fn crate_refs(text: &str) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    for line in text.lines() {
        if line.trim_start().starts_with("//") {
            continue;
        }
        for (i, _) in line.match_indices("crate::") {
            let before = line[..i].chars().next_back();
            if before.is_some_and(|c| c.is_alphanumeric() || c == '_') {
                continue;
            }
            let name: String = line[i + "crate::".len()..]
                .chars()
                .take_while(|c| c.is_alphanumeric() || *c == '_')
                .collect();
            let module = ROOT
                .iter()
                .find(|(n, _)| *n == name)
                .map_or(name, |(_, m)| m.to_string());
            out.insert(module);
        }
    }
    out
}

#[test]
fn every_module_looks_only_down() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    rust_files(&src, &mut files);
    let mut wrong = Vec::new();
    let mut seen = BTreeSet::new();
    for file in &files {
        let rel = file.strip_prefix(&src).unwrap();
        let first = rel
            .components()
            .next()
            .unwrap()
            .as_os_str()
            .to_string_lossy();
        if first == "bin" || rel == Path::new("lib.rs") {
            continue;
        }
        let module = first.trim_end_matches(".rs").to_string();
        let Some(own) = layer(&module) else {
            wrong.push(format!(
                "{}: module {module} has no layer in LAYERS",
                rel.display()
            ));
            continue;
        };
        seen.insert(module.clone());
        let text = std::fs::read_to_string(file).unwrap();
        for target in crate_refs(&text) {
            if target == module {
                continue;
            }
            let Some(theirs) = layer(&target) else {
                wrong.push(format!("{}: crate::{target} has no layer", rel.display()));
                continue;
            };
            let excepted = EXCEPTIONS
                .iter()
                .any(|(from, to, _)| *from == module && *to == target);
            if theirs > own && !excepted {
                wrong.push(format!(
                    "{}: {module} (layer {own}) uses crate::{target} (layer {theirs})",
                    rel.display()
                ));
            }
        }
    }
    assert!(
        wrong.is_empty(),
        "imports that look up:\n{}",
        wrong.join("\n")
    );
    // Every module in the table exists (a renamed one must be renamed here).
    for (m, _) in LAYERS {
        assert!(
            seen.contains(*m),
            "LAYERS names {m}, which src/ does not have"
        );
    }
}

#[test]
fn the_vault_knows_nothing_of_what_is_built_on_it() {
    let vault = Path::new(env!("CARGO_MANIFEST_DIR")).join("src/vault");
    let mut files = Vec::new();
    rust_files(&vault, &mut files);
    assert!(files.len() > 5);
    for file in &files {
        let refs = crate_refs(&std::fs::read_to_string(file).unwrap());
        for up in ["handoff", "retention", "csv", "error", "view", "app"] {
            assert!(!refs.contains(up), "{} uses crate::{up}", file.display());
        }
    }
    // Nothing below app uses app, and nothing below view's layer uses view
    // (both follow from the layers; said here in so many words).
    let (app, view) = (layer("app").unwrap(), layer("view").unwrap());
    assert!(LAYERS.iter().all(|(m, l)| *m == "app" || *l < app));
    assert!(LAYERS.iter().all(|(_, l)| *l <= view || *l == app));
}
