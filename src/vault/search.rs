//! The in-memory search index: folded text of every live record.
//!
//! Folding lowercases and strips accents (`María` → `maria`, `Peña` → `pena`),
//! so people find records however they type them. A query matches a record
//! when every word of it appears in the record's text; people also match on
//! the names of their organizations, looked up at query time so a renamed
//! organization is found under its new name at once.

use crate::model::{Id, Record};
use std::collections::HashMap;
use unicode_normalization::char::is_combining_mark;
use unicode_normalization::UnicodeNormalization;

/// Lowercase, accent-free form of `s` used for matching.
pub fn fold(s: &str) -> String {
    s.nfd()
        .filter(|c| !is_combining_mark(*c))
        .flat_map(char::to_lowercase)
        .collect()
}

#[derive(Default)]
pub struct Index {
    text: HashMap<Id, String>,
    title: HashMap<Id, String>,
}

impl Index {
    pub fn put(&mut self, id: &Id, record: &Record) {
        self.text.insert(id.clone(), fold(&record.search_text()));
        self.title.insert(id.clone(), fold(record.title()));
    }

    pub fn remove(&mut self, id: &Id) {
        self.text.remove(id);
        self.title.remove(id);
    }

    /// The folded title, for sorting lists.
    pub fn sort_key(&self, id: &Id) -> &str {
        self.title.get(id).map(String::as_str).unwrap_or_default()
    }

    /// Ids of live records matching every word of `query`.
    pub fn search<'a>(
        &'a self,
        query: &str,
        records: &'a HashMap<Id, super::Entry>,
    ) -> Vec<&'a Id> {
        let words: Vec<String> = fold(query).split_whitespace().map(str::to_string).collect();
        if words.is_empty() {
            return Vec::new();
        }
        let org_matches = |rec: &Record, word: &str| match rec {
            Record::Person(p) => p
                .orgs
                .iter()
                .any(|m| self.title.get(&m.org).is_some_and(|t| t.contains(word))),
            _ => false,
        };
        self.text
            .iter()
            .filter(|(id, text)| {
                let rec = records.get(*id).and_then(|e| e.record.as_ref());
                words
                    .iter()
                    .all(|w| text.contains(w.as_str()) || rec.is_some_and(|r| org_matches(r, w)))
            })
            .map(|(id, _)| id)
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::fold;

    #[test]
    fn folding_ignores_case_and_accents() {
        assert_eq!(fold("María José PEÑA"), "maria jose pena");
        assert_eq!(fold("Ñandú"), "nandu");
        assert_eq!(fold("Straße"), "straße");
    }
}
