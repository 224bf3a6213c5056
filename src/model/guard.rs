//! A gentle guard on free text: does it mention someone's immigration status?
//!
//! The app never asks for immigration status, but a note can say it. Saving
//! such text still works; the app asks "Keep it?" and the CLI warns on stderr.
//! The list is bilingual and matched on folded text (lower case, no accents),
//! whole words only, plus the shape of an alien registration number
//! ("A-number": A followed by 8 or 9 digits, with or without dashes/spaces).

use super::Record;
use unicode_normalization::UnicodeNormalization;

/// Words and phrases (folded) that speak of a person's immigration status.
const PHRASES: &[&str] = &[
    "undocumented",
    "indocumentado",
    "indocumentada",
    "indocumentados",
    "indocumentadas",
    "sin papeles",
    "no papers",
    "daca",
    "dacamented",
    "tps",
    "temporary protected status",
    "estatus de proteccion temporal",
    "asylum",
    "asylum seeker",
    "asylee",
    "asilo",
    "asilado",
    "asilada",
    "solicitante de asilo",
    "visa status",
    "estatus de visa",
    "visa vencida",
    "expired visa",
    "overstayed",
    "overstay",
    "immigration status",
    "estatus migratorio",
    "estado migratorio",
    "situacion migratoria",
    "green card",
    "tarjeta verde",
    "illegal alien",
    "illegal immigrant",
    "inmigrante ilegal",
    "deportation order",
    "orden de deportacion",
    "u visa",
    "visa u",
    "t visa",
    "visa t",
];

/// Lower case, accents removed, anything not a letter or digit a space.
fn fold(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push(' ');
    let mut space = true;
    for c in s.nfd().filter(|c| !('\u{300}'..='\u{36f}').contains(c)) {
        if c.is_alphanumeric() {
            out.extend(c.to_lowercase());
            space = false;
        } else if !space {
            out.push(' ');
            space = true;
        }
    }
    if !space {
        out.push(' ');
    }
    out
}

/// An A-number: `A` then 8–9 digits, optionally split by `-` or spaces
/// (A123456789, A-123-456-789, A 12345678).
fn has_a_number(s: &str) -> bool {
    let chars: Vec<char> = s.chars().collect();
    for (i, c) in chars.iter().enumerate() {
        if !matches!(c, 'A' | 'a') {
            continue;
        }
        if i > 0 && chars[i - 1].is_alphanumeric() {
            continue;
        }
        let mut digits = 0;
        let mut j = i + 1;
        while j < chars.len() {
            match chars[j] {
                d if d.is_ascii_digit() => digits += 1,
                '-' | ' ' | '#' if digits < 9 => {}
                _ => break,
            }
            j += 1;
        }
        let ends = j >= chars.len() || !chars[j].is_alphanumeric();
        if (8..=9).contains(&digits) && ends {
            return true;
        }
    }
    false
}

/// Whether `text` seems to record someone's immigration status.
pub fn mentions_status(text: &str) -> bool {
    if text.trim().is_empty() {
        return false;
    }
    if has_a_number(text) {
        return true;
    }
    let folded = fold(text);
    PHRASES.iter().any(|p| folded.contains(&format!(" {p} ")))
}

impl Record {
    /// Whether any free text of this record mentions immigration status.
    pub fn mentions_status(&self) -> bool {
        let mut texts: Vec<&str> = vec![self.title()];
        match self {
            Record::Org(_) | Record::Pledge(_) | Record::Demand(_) => {}
            Record::Person(p) => {
                texts.push(&p.alias);
                texts.extend(p.tags.iter().map(String::as_str));
                texts.extend(p.orgs.iter().map(|m| m.role.as_str()));
            }
            Record::Campaign(c) => texts.push(&c.description),
            Record::Note(n) => {
                texts.push(&n.body);
                texts.extend(n.follow_ups.iter().map(|f| f.task.as_str()));
            }
        }
        texts.into_iter().any(mentions_status)
    }
}

#[cfg(test)]
mod tests {
    use super::mentions_status;

    #[test]
    fn status_words_in_both_languages() {
        for yes in [
            "She is undocumented",
            "Es INDOCUMENTADA desde 2019",
            "vive sin papeles",
            "has DACA",
            "TPS holder",
            "applied for asylum",
            "pidió asilo",
            "what is his visa status?",
            "situación migratoria",
            "A-123-456-789",
            "his number is A12345678.",
        ] {
            assert!(mentions_status(yes), "{yes}");
        }
        for no in [
            "Meeting with the County Board about 287(g)",
            "Asilomar conference",
            "Tipsy",
            "Call Ana at 555-0101",
            "papeles para la reunión",
            "Area 12345678901",
            "A1",
        ] {
            assert!(!mentions_status(no), "{no}");
        }
    }
}
