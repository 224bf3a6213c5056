//! Record ids and kinds.
//!
//! An id is random (never derived from content) and carries its kind as a short
//! prefix, so `aqui show ID` needs no kind and a mistyped id is caught early:
//! `per_3f9a0c1e7b2d4a8e9f10`.

use rand::RngCore;
use serde::{Deserialize, Serialize};
use std::fmt;

/// The kinds of record the vault holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    Org,
    Person,
    Demand,
    Campaign,
    Pledge,
    Note,
}

// `ALL` lists the kinds in the order they are declared, so `kind as usize`
// is a kind's place in it (an export counts kinds in an array by it).
const _: () = {
    let mut i = 0;
    while i < Kind::ALL.len() {
        assert!(Kind::ALL[i] as usize == i);
        i += 1;
    }
};

impl Kind {
    pub const ALL: [Kind; 6] = [
        Kind::Org,
        Kind::Person,
        Kind::Demand,
        Kind::Campaign,
        Kind::Pledge,
        Kind::Note,
    ];

    /// The name used on the command line, in JSON and as the sled tree name.
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Org => "org",
            Kind::Person => "person",
            Kind::Demand => "demand",
            Kind::Campaign => "campaign",
            Kind::Pledge => "pledge",
            Kind::Note => "note",
        }
    }

    fn prefix(self) -> &'static str {
        match self {
            Kind::Org => "org",
            Kind::Person => "per",
            Kind::Demand => "dem",
            Kind::Campaign => "cam",
            Kind::Pledge => "pld",
            Kind::Note => "not",
        }
    }

    /// Accepts the CLI names and a few obvious plurals / synonyms in both languages.
    pub fn parse(s: &str) -> Option<Kind> {
        let k = match s.trim().to_lowercase().as_str() {
            "org" | "orgs" | "organization" | "organizations" | "organizacion" | "organización"
            | "organizaciones" => Kind::Org,
            "person" | "people" | "persons" | "persona" | "personas" | "contact" | "contacts"
            | "contacto" | "contactos" => Kind::Person,
            "demand" | "demands" | "exigencia" | "exigencias" => Kind::Demand,
            "campaign" | "campaigns" | "campaña" | "campana" | "campañas" | "campanas" => {
                Kind::Campaign
            }
            "pledge" | "pledges" | "pledge-drive" | "petition" | "petitions" | "peticion"
            | "petición" | "peticiones" => Kind::Pledge,
            "note" | "notes" | "nota" | "notas" => Kind::Note,
            _ => return None,
        };
        Some(k)
    }
}

impl fmt::Display for Kind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

const RANDOM_BYTES: usize = 10;

/// A record id: `<kind prefix>_<20 hex digits>` (80 random bits).
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Id(String);

impl Id {
    pub fn new(kind: Kind) -> Id {
        let mut bytes = [0u8; RANDOM_BYTES];
        rand::rngs::OsRng.fill_bytes(&mut bytes);
        Id(format!("{}_{}", kind.prefix(), hex::encode(bytes)))
    }

    /// Parses an id typed by a person or read from a file.
    pub fn parse(s: &str) -> Option<Id> {
        let s = s.trim();
        let (prefix, rest) = s.split_once('_')?;
        Kind::ALL.iter().find(|k| k.prefix() == prefix)?;
        let ok = rest.len() == RANDOM_BYTES * 2
            && rest
                .bytes()
                .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b));
        ok.then(|| Id(s.to_string()))
    }

    pub fn kind(&self) -> Kind {
        // The prefix is a few bytes: a plain loop, not `split`'s searcher
        // (it was most of sorting a large batch's list order by kind).
        let end = self
            .0
            .bytes()
            .position(|b| b == b'_')
            .unwrap_or(self.0.len());
        let prefix = &self.0[..end];
        // Every Id is built by `new` or checked by `parse`, so the prefix is known.
        Kind::ALL
            .into_iter()
            .find(|k| k.prefix() == prefix)
            .unwrap_or(Kind::Note)
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Id {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl TryFrom<String> for Id {
    type Error = String;
    fn try_from(s: String) -> Result<Id, String> {
        Id::parse(&s).ok_or(s)
    }
}

impl From<Id> for String {
    fn from(id: Id) -> String {
        id.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_round_trip_and_carry_their_kind() {
        for kind in Kind::ALL {
            let id = Id::new(kind);
            assert_eq!(Id::parse(id.as_str()), Some(id.clone()));
            assert_eq!(id.kind(), kind);
        }
        assert_ne!(Id::new(Kind::Person), Id::new(Kind::Person));
        assert_eq!(Id::parse("per_xyz"), None);
        assert_eq!(Id::parse("zzz_0123456789abcdef0123"), None);
        assert_eq!(Id::parse("per_0123456789ABCDEF0123"), None);
    }
}
