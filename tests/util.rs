//! Helpers shared by the integration tests.

use aqui::vault::KdfParams;
use aqui::{Passphrase, Vault};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use tempfile::TempDir;

pub const PASS: &str = "correct horse battery staple";

/// The cheapest Argon2id the vault accepts, for library tests that open
/// vaults many times. CLI tests use the real default (64 MiB, t=3).
pub fn fast_kdf() -> KdfParams {
    KdfParams {
        m_kib: 8 * 1024,
        t: 1,
        p: 1,
    }
}

pub fn pass(s: &str) -> Passphrase {
    Passphrase::new(s.to_string())
}

/// A record of `kind` built from `--FIELD VALUE` pairs, as `aqui add` builds one.
pub fn rec(kind: aqui::Kind, fields: &[(&str, &str)]) -> aqui::Record {
    let mut r = aqui::Record::empty(kind);
    for (f, v) in fields {
        r.set(f, v, aqui::model::today()).unwrap();
    }
    r
}

/// A fresh library vault in a temp dir.
pub fn new_vault() -> (TempDir, Vault) {
    let dir = TempDir::new().unwrap();
    let v = Vault::create(&dir.path().join("vault"), &pass(PASS), fast_kdf()).unwrap();
    (dir, v)
}

/// A temp folder for a CLI vault, with a passphrase file, and a private
/// TMPDIR for the child processes (so the plaintext test can scan it).
pub struct Cli {
    pub root: TempDir,
}

impl Cli {
    pub fn new() -> Cli {
        let root = TempDir::new().unwrap();
        std::fs::write(
            root.path().join("pass"),
            format!("{PASS}\nignored second line\n"),
        )
        .unwrap();
        std::fs::create_dir(root.path().join("tmp")).unwrap();
        Cli { root }
    }

    pub fn vault(&self) -> PathBuf {
        self.root.path().join("vault")
    }

    pub fn tmp(&self) -> PathBuf {
        self.root.path().join("tmp")
    }

    /// `aqui --vault DIR ARGS…` with the passphrase file, in a clean environment.
    pub fn cmd(&self, args: &[&str]) -> Command {
        let mut c = Command::new(env!("CARGO_BIN_EXE_aqui"));
        c.arg("--vault").arg(self.vault()).args(args);
        for var in [
            "AQUI_PASSPHRASE",
            "AQUI_LANG",
            "AQUI_VAULT",
            "AQUI_NEW_PASSPHRASE_FILE",
            "AQUI_EXPORT_PASSPHRASE_FILE",
            "LC_ALL",
            "LC_MESSAGES",
        ] {
            c.env_remove(var);
        }
        c.env("AQUI_PASSPHRASE_FILE", self.root.path().join("pass"))
            .env("LANG", "C")
            .env("TMPDIR", self.tmp())
            .stdin(std::process::Stdio::null());
        c
    }

    pub fn run(&self, args: &[&str]) -> Output {
        self.cmd(args).output().unwrap()
    }

    /// Runs and expects success; returns stdout.
    pub fn ok(&self, args: &[&str]) -> String {
        let out = self.run(args);
        assert!(
            out.status.success(),
            "aqui {args:?} failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).unwrap()
    }

    /// Runs and expects exit code 1; returns stderr.
    pub fn fails(&self, args: &[&str]) -> String {
        let out = self.run(args);
        assert_eq!(out.status.code(), Some(1), "aqui {args:?}: {out:?}");
        assert!(out.stdout.is_empty(), "nothing on stdout on error");
        String::from_utf8(out.stderr).unwrap()
    }

    pub fn json(&self, args: &[&str]) -> serde_json::Value {
        let mut a = vec!["--json"];
        a.extend_from_slice(args);
        serde_json::from_str(&self.ok(&a)).unwrap()
    }
}

/// Every file under `dir` with a digest of its bytes, to prove nothing changed.
pub fn snapshot(dir: &Path) -> BTreeMap<PathBuf, (usize, u64)> {
    use std::hash::{Hash, Hasher};
    let mut out = BTreeMap::new();
    for entry in walk(dir) {
        let bytes = std::fs::read(&entry).unwrap();
        let mut h = std::collections::hash_map::DefaultHasher::new();
        bytes.hash(&mut h);
        out.insert(entry.clone(), (bytes.len(), h.finish()));
    }
    out
}

/// Every record of the vault (tombstones and bookkeeping included), read
/// through the library: "nothing stored changed" at the level of records.
pub fn records(dir: &Path) -> BTreeMap<aqui::Id, aqui::vault::Entry> {
    let v = Vault::unlock(dir, &pass(PASS)).unwrap();
    v.entries().map(|(i, e)| (i.clone(), e.clone())).collect()
}

/// Every regular file under `dir`, recursively.
pub fn walk(dir: &Path) -> Vec<PathBuf> {
    let mut files = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        let Ok(rd) = std::fs::read_dir(&d) else {
            continue;
        };
        for e in rd.flatten() {
            let p = e.path();
            match e.file_type() {
                Ok(t) if t.is_dir() => stack.push(p),
                Ok(t) if t.is_file() => files.push(p),
                _ => {}
            }
        }
    }
    files
}

/// Whether `needle` occurs anywhere in `hay`.
pub fn contains(hay: &[u8], needle: &[u8]) -> bool {
    hay.windows(needle.len()).any(|w| w == needle)
}

/// Copies a folder and everything in it (a vault, to open a copy and leave
/// the original as it was).
pub fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap() {
        let e = e.unwrap();
        let target = to.join(e.file_name());
        if e.file_type().unwrap().is_dir() {
            copy_dir(&e.path(), &target);
        } else {
            std::fs::copy(e.path(), &target).unwrap();
        }
    }
}
