//! A vault folder's header (`key.json`) as `Vault::unlock` reads it: the
//! JSON, the format and its migration, the store folder it names, the KDF
//! bounds, and the key's authentication over the whole header. One vault per
//! process (the one `seeds` wrote beside the seed headers, found through
//! `AQUI_FUZZ_VAULT`, so its seeds unlock it; else a new one), copied into a
//! private temp folder; every input becomes its `key.json`.
//!
//! A header asking for more Argon2id work than the seed vault's (8 MiB, one
//! pass) is skipped: the bounds on that work are by design (up to 4 GiB and
//! 64 passes, see `KdfParams::check`) and take seconds, which AFL reports as
//! hangs; the parsing and the bound checks before it are what is fuzzed.

use aqui::vault::KdfParams;
use aqui::{Passphrase, Vault};
use std::path::Path;

/// The passphrase of the vault `seeds` writes for this target.
pub const PASS: &str = "seed vault passphrase";

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("a folder");
    for e in std::fs::read_dir(from).expect("the seed vault") {
        let e = e.expect("an entry");
        let target = to.join(e.file_name());
        if e.file_type().expect("a type").is_dir() {
            copy_dir(&e.path(), &target);
        } else {
            std::fs::copy(e.path(), target).expect("a copy");
        }
    }
}

/// Whether the header asks for at most the seed vault's Argon2id work.
fn cheap(data: &[u8]) -> bool {
    let Ok(v) = serde_json::from_slice::<serde_json::Value>(data) else {
        return true;
    };
    let kdf = &v["key"]["kdf"];
    let at_most = |k: &str, n: u64| kdf[k].as_u64().is_none_or(|x| x <= n);
    at_most("m_kib", 8 * 1024) && at_most("t", 1)
}

fn main() {
    let tmp = tempfile::TempDir::new().expect("a temp folder");
    let dir = tmp.path().join("vault");
    let pass = Passphrase::new(PASS.to_string());
    match std::env::var_os("AQUI_FUZZ_VAULT") {
        Some(seed) => copy_dir(Path::new(&seed), &dir),
        None => {
            let kdf = KdfParams {
                m_kib: 8 * 1024,
                t: 1,
                p: 1,
            };
            drop(Vault::create(&dir, &pass, kdf).expect("a vault"));
        }
    }
    let header = dir.join("key.json");
    afl::fuzz!(|data: &[u8]| {
        if !cheap(data) {
            return;
        }
        std::fs::write(&header, data).expect("the input is written");
        if let Ok(v) = Vault::unlock(&dir, &pass) {
            // Only the vault's own header (perhaps spaced or ordered
            // differently) opens it, and then every record reads.
            assert!(v.damaged().is_empty());
            assert!(v.findings().is_empty());
        }
    });
}
