//! `aqui::handoff::bundle::read` on arbitrary bytes: what comes out of a
//! file after decryption, written by someone else's build (or by an
//! attacker holding a steward's key). It must return an error or a bundle
//! whose parts agree, never panic.

use aqui::handoff::bundle;

fn main() {
    afl::fuzz!(|data: &[u8]| {
        if let Ok(b) = bundle::read(data) {
            assert_eq!(b.entries.len() as u64, b.header.records);
            for (id, entry) in &b.entries {
                assert!(!entry.meta.clock.is_empty());
                if let Some(r) = &entry.record {
                    assert_eq!(r.kind(), id.kind());
                    assert!(r.validate().is_ok());
                }
            }
        }
    });
}
