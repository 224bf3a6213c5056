//! A whole handoff file opened by a vault (`handoff::needs_passphrase`, then
//! `handoff::open` with no passphrase): the age header and, for a file to
//! this vault, decryption and the bundle reader. One vault per process, made
//! with the cheapest Argon2id; every input is written to one file in a
//! private temp folder.

use aqui::handoff;
use aqui::vault::KdfParams;
use aqui::{Passphrase, Vault};

fn main() {
    let tmp = tempfile::TempDir::new().expect("a temp folder");
    let kdf = KdfParams {
        m_kib: 8 * 1024,
        t: 1,
        p: 1,
    };
    let pass = Passphrase::new("fuzz vault passphrase".to_string());
    let vault = Vault::create(&tmp.path().join("vault"), &pass, kdf).expect("a vault");
    // A panic ends the run (AFL records it as a crash): the vault is never
    // seen half-changed, and `open` does not change it anyway.
    let vault = std::panic::AssertUnwindSafe(vault);
    let path = tmp.path().join("input.age");
    afl::fuzz!(|data: &[u8]| {
        std::fs::write(&path, data).expect("the input is written");
        let _ = handoff::needs_passphrase(&path);
        // No passphrase: a file to one stops at "needs a passphrase" (an
        // attacker's scrypt work factor is capped, but even the cap is
        // seconds per try, which a fuzzer would report as hangs).
        let _ = handoff::open(&vault, &path, None);
    });
}
