//! `aqui::Id::parse` on arbitrary text: ids come from the command line, from
//! forms and from other people's files. A parsed id must print as itself
//! and parse again to the same id, through JSON too.

use aqui::Id;

fn main() {
    afl::fuzz!(|data: &[u8]| {
        let Ok(s) = std::str::from_utf8(data) else {
            return;
        };
        if let Some(id) = Id::parse(s) {
            assert_eq!(id.as_str(), s.trim());
            assert_eq!(Id::parse(id.as_str()).as_ref(), Some(&id));
            let padded = format!(" {id}\n");
            assert_eq!(Id::parse(&padded).map(|i| i.kind()), Some(id.kind()));
            let json = serde_json::to_string(&id).expect("an id serializes");
            let back: Id = serde_json::from_str(&json).expect("an id deserializes");
            assert_eq!(back, id);
        }
        // Through serde the same rule holds.
        if let Ok(id) = serde_json::from_slice::<Id>(data) {
            assert_eq!(Id::parse(id.as_str()).as_ref(), Some(&id));
        }
    });
}
