//! Steward cards (`aqui-card-1:AGE:SIGN:NAME`) and bare `age1…` keys on
//! arbitrary text: another steward hands them over, by QR code or message.
//! A card that parses must give keys that parse again.

use aqui::identity::{parse_age_key, parse_card};

fn main() {
    afl::fuzz!(|data: &[u8]| {
        let Ok(s) = std::str::from_utf8(data) else {
            return;
        };
        if let Ok((keys, name)) = parse_card(s) {
            assert!(parse_age_key(&keys.age).is_ok());
            assert!(keys.verifying_key().is_some());
            assert_eq!(keys.fingerprint().len(), 29);
            assert_eq!(name, name.trim());
        }
        if let Ok(r) = parse_age_key(s) {
            assert!(parse_age_key(&r.to_string()).is_ok());
        }
    });
}
