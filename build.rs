//! Hashes every file under `src/` for the index snapshot's binding
//! (`vault::snapshot::CODE`): a snapshot made by a build whose sources
//! differ in any way is not used, so no rule (how records are folded,
//! titled, ordered, or who is held back from exports) can be forgotten
//! from a hand-kept list of files. Only tells builds apart; the seal is
//! what makes a snapshot authentic.
use std::path::{Path, PathBuf};

fn main() {
    println!("cargo:rerun-if-changed=src");
    let mut files = Vec::new();
    walk(Path::new("src"), &mut files);
    files.sort();
    // FNV-1a over each file's path and bytes.
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for file in &files {
        let bytes = std::fs::read(file).expect("a source file reads");
        let path = file.to_string_lossy();
        for b in path.bytes().chain([0]).chain(bytes) {
            h = (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3);
        }
    }
    println!("cargo:rustc-env=AQUI_SOURCE_HASH={h:016x}");
    println!("cargo:rustc-env=AQUI_SOURCE_FILES={}", files.len());
}

fn walk(dir: &Path, files: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).expect("src/ reads").flatten() {
        let path = entry.path();
        if path.is_dir() {
            walk(&path, files);
        } else {
            files.push(path);
        }
    }
}
