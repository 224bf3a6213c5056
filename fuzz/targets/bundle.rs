//! `aqui::handoff::bundle::verify`, then `read`, on arbitrary bytes: what
//! comes out of a file after decryption, written by someone else's build
//! (or by an attacker holding a steward's key). The first pass (size, hash,
//! signature) must return an error or a verified header, never panic; a
//! file that passes it must read as a bundle whose parts agree.

use aqui::handoff::bundle;

fn main() {
    afl::fuzz!(|data: &[u8]| {
        let Ok(verified) = bundle::verify(data) else {
            return;
        };
        if let Ok(b) = bundle::read(data, &verified, |_, _| true) {
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
