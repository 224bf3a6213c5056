//! The in-memory search index.
//!
//! Folding lowercases and strips accents (`María` → `maria`, `Peña` → `pena`),
//! so people find records however they type them. A query matches a record
//! when every word of it appears in the record's folded text; people also
//! match on the names of their organizations, looked up at query time so a
//! renamed organization is found under its new name at once.
//!
//! How it is fast: a query word never contains whitespace, so it appears in a
//! record's text exactly when it appears inside one of the text's
//! whitespace-separated tokens. The index keeps every distinct token once, in
//! one string (the vocabulary), with the records holding each token (its
//! postings). A query word is searched for in the vocabulary — a few MB
//! instead of the whole text — and the postings of every token containing it
//! are the records that match that word. A word of 3 bytes or more is not
//! scanned for in the whole vocabulary: an index of its 3-byte sequences
//! (`Grams`) gives the few tokens that may hold it, each checked. The answer
//! is the same as scanning every record's text, which `tests` checks against
//! a plain scan. Only the first (longest) word of a query is always looked
//! for in the vocabulary: the candidates it leaves that do not hold the other
//! words as whole tokens are, if few, checked in their own tokens (the
//! postings turned around, built by the first search that needs them).
//!
//! Results come back in list order (kind, folded title, id) without sorting
//! them: every record has a place in that order, kept up to date as records
//! change.

use super::snapshot::{In, Out};
use crate::model::{Id, Kind, Record};
use hashbrown::{DefaultHashBuilder, HashMap, HashTable};
use std::cmp::Ordering;
use std::hash::BuildHasher;
use std::sync::{Arc, OnceLock};
use unicode_normalization::char::{decompose_canonical, is_combining_mark};

/// Lowercase, accent-free form of `s` used for matching.
///
/// The same as `s.nfd()` without combining marks, lowercased, but a character
/// at a time with a fast path for ASCII: canonical reordering only moves
/// combining marks, which are all dropped, so the result does not depend on it
/// (`tests` checks every character against the NFD definition).
pub fn fold(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    fold_into(s, &mut out);
    out
}

fn fold_into(s: &str, out: &mut String) {
    let mut rest = s;
    loop {
        // A run of ASCII copied and lowercased in one piece (most text).
        let ascii = rest
            .bytes()
            .position(|b| !b.is_ascii())
            .unwrap_or(rest.len());
        let (run, tail) = rest.split_at(ascii);
        let start = out.len();
        out.push_str(run);
        out[start..].make_ascii_lowercase();
        let mut chars = tail.chars();
        let Some(c) = chars.next() else {
            return;
        };
        decompose_canonical(c, |d| {
            if !is_combining_mark(d) {
                out.extend(d.to_lowercase());
            }
        });
        rest = chars.as_str();
    }
}

/// A record's folded title and distinct tokens with their hashes, computed
/// apart from the index so that unlocking and big batches can prepare
/// records on every core.
pub struct Prepared {
    title: Box<str>,
    tokens: Tokens,
}

/// A record's folded text and its distinct tokens, to be filed.
pub struct Tokens {
    text: String,
    /// (hash, start, end) of each distinct token of `text`.
    tokens: Vec<(u64, u32, u32)>,
}

impl Tokens {
    /// Whether `token` is one of these.
    fn holds(&self, hasher: &Hasher, token: &str) -> bool {
        let hash = hasher.hash_one(token);
        let from = self.tokens.partition_point(|t| t.0 < hash);
        self.tokens[from..]
            .iter()
            .take_while(|t| t.0 == hash)
            .any(|&(_, start, end)| &self.text[start as usize..end as usize] == token)
    }
}

/// How the index hashes tokens and ids; the same for every thread.
pub type Hasher = DefaultHashBuilder;

impl Prepared {
    pub fn new(record: &Record, hasher: &Hasher) -> Prepared {
        // The search text is its parts joined by `\n`, the title first:
        // each part folded straight into the text (folding goes a character
        // at a time, so that is the joined text folded, with no joined copy
        // made first), and the folded title is the start of it.
        let mut len = 0;
        record.search_parts(|part| len += part.len() + 1);
        let mut text = String::with_capacity(len);
        let mut title_end = None;
        record.search_parts(|part| {
            if title_end.is_none() {
                fold_into(part, &mut text);
                title_end = Some(text.len());
            } else {
                text.push('\n');
                fold_into(part, &mut text);
            }
        });
        let folded_title: Box<str> = text[..title_end.unwrap_or(0)].into();
        let base = text.as_ptr() as usize;
        // Gathered, sorted and deduplicated in this thread's scratch list,
        // then copied once at their size: growing a list token by token was
        // a fifth of the preparing (reallocations), at unlock and imports.
        thread_local! {
            static SCRATCH: std::cell::RefCell<Vec<(u64, u32, u32)>> =
                const { std::cell::RefCell::new(Vec::new()) };
        }
        let tokens = SCRATCH.with_borrow_mut(|tokens| {
            tokens.clear();
            tokens.extend(text.split_whitespace().map(|t| {
                let start = (t.as_ptr() as usize - base) as u32;
                (hasher.hash_one(t), start, start + t.len() as u32)
            }));
            // By hash alone, a cheaper comparison than the whole triple:
            // equal tokens have equal hashes, so they meet as before (within
            // one hash the order was by place, which kept no equal tokens
            // together either).
            tokens.sort_unstable_by_key(|t| t.0);
            tokens.dedup_by(|a, b| {
                a.0 == b.0 && text[a.1 as usize..a.2 as usize] == text[b.1 as usize..b.2 as usize]
            });
            let out = tokens.to_vec();
            // A record of many words leaves no large list behind.
            if tokens.capacity() > 4096 {
                *tokens = Vec::new();
            }
            out
        });
        Prepared {
            title: folded_title,
            tokens: Tokens { text, tokens },
        }
    }
}

/// No record / no posting.
const NONE: u32 = u32::MAX;
/// A posting with this bit set is an index into `lists`; otherwise it is the
/// one record holding the token.
const LIST: u32 = 1 << 31;
/// Room between neighbouring ranks, so a record inserted between two others
/// gets a rank without renumbering the rest.
const GAP: u64 = 1 << 24;
/// Bytes of the vocabulary per entry of `Terms::term_from`.
const SPAN: usize = 32;

struct Doc {
    id: Id,
    title: Box<str>,
}

/// The tokens of the index and their postings: the whole index's, or one
/// shard's while unlocking (`Filing`).
#[derive(Default)]
pub struct Terms {
    /// Every distinct token, each followed by `\n`.
    vocab: String,
    /// Token → offset of its `\n` in `vocab`.
    term_end: Vec<u32>,
    /// The token holding each `SPAN`th byte of `vocab`, so the token at an
    /// offset is found a few steps from there instead of by a binary search
    /// (whose mispredicted branches were most of the cost of a token found).
    term_from: Vec<u32>,
    /// Token text → token (hashed by text; the text lives in `vocab`).
    terms: HashTable<u32>,
    /// Token → its records: `NONE`, one slot, or `LIST | i` for `lists[i]`.
    postings: Vec<u32>,
    /// Sorted slots of tokens held by more than one record.
    lists: Vec<Vec<u32>>,
    /// The tokens holding each 3-byte sequence, so a word is looked for in
    /// a few of them instead of the whole vocabulary (see `Grams`).
    grams: Grams,
}

/// Bytes of classes numbered below 64 (`CLASS`): letters and digits each a
/// class of their own, other bytes sharing the rest.
const CLASS: [u8; 256] = {
    let mut c = [0u8; 256];
    let mut b = 0;
    while b < 256 {
        c[b] = match b as u8 {
            x @ b'a'..=b'z' => x - b'a',
            x @ b'0'..=b'9' => 26 + x - b'0',
            x => 36 + x % 28,
        };
        b += 1;
    }
    c
};

/// Three classes of bytes in one number below `KEYS`.
const KEYS: usize = 1 << 18;

fn gram(w: &[u8]) -> usize {
    (CLASS[w[0] as usize] as usize) << 12
        | (CLASS[w[1] as usize] as usize) << 6
        | CLASS[w[2] as usize] as usize
}

/// An index of the vocabulary: for every 3 bytes in a row (by class, so a
/// few sequences share a list), the tokens holding them, each once, in
/// token order. A word of 3 bytes or more is held only by tokens in the
/// list of each of its sequences, so only those of the shortest list are
/// looked at. It covers the tokens there were when it was built; the
/// vocabulary after them (tokens added since) is scanned.
#[derive(Default)]
struct Grams {
    /// Where the first token it does not cover starts in the vocabulary.
    from: usize,
    /// Key → where its tokens start in `tokens` (`KEYS + 1` of them).
    start: Vec<u32>,
    tokens: Vec<u32>,
}

/// The vocabulary left to scan after `Grams` was built, past which
/// `Index::finish` builds it anew: an eighth of what it covers, and at least
/// this many bytes (scanned in a few µs).
const GRAMS_TAIL: usize = 64 << 10;

#[derive(Default)]
pub struct Index {
    hasher: DefaultHashBuilder,
    /// Record slot → record; `None` for a slot without a live record.
    docs: Vec<Option<Doc>>,
    /// Id → slot (hashed by id; the ids themselves live in `docs`).
    slots: HashTable<u32>,
    /// Every distinct token and the records holding it.
    terms: Terms,
    /// Organization id → sorted slots of the people who name it.
    members: HashMap<Id, Vec<u32>>,
    /// The folded names of the organizations in `members`, each followed by
    /// `\n`, so a query word is looked for in all of them at once.
    org_names: String,
    /// Offset of each name's `\n` in `org_names`, and its organization.
    org_name_end: Vec<u32>,
    named_orgs: Vec<Id>,
    /// An organization or `members`' keys changed since `org_names` was made.
    orgs_changed: bool,
    /// Slot → rank in list order (kind, folded title, id).
    rank: Vec<u64>,
    /// Live slots in list order.
    order: Vec<u32>,
    /// Slots put since `order` was last brought up to date.
    pending: Vec<u32>,
    /// Slot → its place in `order` (`NONE` if none), built by the first
    /// search after `order` changed.
    place: OnceLock<Vec<u32>>,
    /// Each slot's tokens, built by the first search that checks
    /// candidates (see `check`), then kept up to date.
    forward: OnceLock<Forward>,
}

/// Record slot → the tokens it holds: the postings turned around, so the
/// candidates a query's first word found are checked for the other words in
/// their tokens instead of in the whole vocabulary or their records' text.
#[derive(Default)]
struct Forward {
    /// Each slot's tokens, one slot's after another's.
    tokens: Vec<u32>,
    /// Slot → where its tokens start and end in `tokens`.
    span: Vec<(u32, u32)>,
    /// How many of `tokens` no slot points at any more.
    unused: usize,
}

impl Index {
    /// The hasher to prepare records with (`Prepared::new`).
    pub fn hasher(&self) -> &Hasher {
        &self.hasher
    }

    /// Indexes a record that is not indexed yet (`remove` the old version of
    /// a changed record first). Call `finish` before the next search.
    /// `slot` is the record's slot in the vault (`Entries`), which search
    /// results are given in.
    pub fn put(&mut self, slot: u32, id: &Id, record: &Record, prepared: Prepared) {
        if let Some(tokens) = self.put_later(slot, id, record, prepared) {
            self.file(slot, &tokens);
        }
    }

    /// Adds `slot` to the postings of its `tokens`, and gives it those
    /// tokens in `forward`.
    fn file(&mut self, slot: u32, tokens: &Tokens) {
        self.terms.file(&self.hasher, slot, tokens, |_| true);
        if let Some(forward) = self.forward.get_mut() {
            let (terms, hasher) = (&self.terms, &self.hasher);
            forward.set(
                slot,
                tokens.tokens.iter().filter_map(|&(_, start, end)| {
                    terms.find(hasher, &tokens.text[start as usize..end as usize])
                }),
            );
        }
    }

    /// `put`, but the record's tokens are returned to be filed elsewhere
    /// (`Filing`) instead of filed here; `None` if it was indexed already.
    pub fn put_later(
        &mut self,
        slot: u32,
        id: &Id,
        record: &Record,
        prepared: Prepared,
    ) -> Option<Tokens> {
        if self.slot(id).is_some() {
            return None;
        }
        if self.docs.len() <= slot as usize {
            self.docs.resize_with(slot as usize + 1, || None);
            self.rank.resize(slot as usize + 1, 0);
        }
        let Prepared { title, tokens } = prepared;
        self.docs[slot as usize] = Some(Doc {
            id: id.clone(),
            title,
        });
        let hasher = &self.hasher;
        let docs = &self.docs;
        self.slots
            .insert_unique(hasher.hash_one(id.as_str()), slot, |&s| {
                hasher.hash_one(doc(docs, s).id.as_str())
            });
        self.link_orgs(slot, record);
        self.pending.push(slot);
        self.orgs_changed |= id.kind() == Kind::Org;
        Some(tokens)
    }

    /// Replaces the record `id`, indexed from `old`, with `record`. A record
    /// whose title is unchanged keeps its place in the list order.
    pub fn replace(
        &mut self,
        slot: u32,
        id: &Id,
        old: &Record,
        record: &Record,
        prepared: Prepared,
    ) {
        if self.slot(id).is_none() {
            return self.put(slot, id, record, prepared);
        }
        self.unlink_terms(slot, old, Some((record, &prepared.tokens)));
        let d = self.docs[slot as usize].as_mut().expect("a live slot");
        if d.title != prepared.title {
            d.title = prepared.title;
            self.unlink_order(slot);
            self.pending.push(slot);
            self.orgs_changed |= id.kind() == Kind::Org;
        }
        self.file(slot, &prepared.tokens);
        self.link_orgs(slot, record);
    }

    fn link_orgs(&mut self, slot: u32, record: &Record) {
        if let Record::Person(p) = record {
            for m in &p.orgs {
                // The organization's id copied only when it is new here.
                let people = self.members.entry_ref(&m.org).or_default();
                self.orgs_changed |= people.is_empty();
                insert_sorted(people, slot);
            }
        }
    }

    /// Takes `slot` out of the postings of `old`'s tokens and its
    /// organizations' members, but for those the `new` version keeps:
    /// filing it again leaves those as they are, where taking it out and
    /// putting it back would move a long list's tail twice ("555" is in
    /// most people's phone).
    fn unlink_terms(&mut self, slot: u32, old: &Record, new: Option<(&Record, &Tokens)>) {
        for token in fold(&old.search_text()).split_whitespace() {
            if new.is_some_and(|(_, tokens)| tokens.holds(&self.hasher, token)) {
                continue;
            }
            if let Some(t) = self.terms.find(&self.hasher, token) {
                let terms = &mut self.terms;
                remove_posting(&mut terms.postings[t as usize], &mut terms.lists, slot);
            }
        }
        let kept_orgs = match new {
            Some((Record::Person(p), _)) => &p.orgs[..],
            _ => &[],
        };
        if let Record::Person(p) = old {
            for m in &p.orgs {
                if kept_orgs.iter().any(|k| k.org == m.org) {
                    continue;
                }
                if let Some(list) = self.members.get_mut(&m.org) {
                    remove_sorted(list, slot);
                    if list.is_empty() {
                        self.members.remove(&m.org);
                        self.orgs_changed = true;
                    }
                }
            }
        }
    }

    fn unlink_order(&mut self, slot: u32) {
        self.place.take();
        if let Some(i) = self.pending.iter().position(|&s| s == slot) {
            self.pending.swap_remove(i);
        } else if let Ok(i) = self
            .order
            .binary_search_by_key(&self.rank[slot as usize], |&s| self.rank[s as usize])
        {
            self.order.remove(i);
        }
    }

    /// Removes the record `id`, indexed from `old`.
    pub fn remove(&mut self, id: &Id, old: &Record) {
        let Some(slot) = self.slot(id) else { return };
        self.unlink_terms(slot, old, None);
        self.unlink_order(slot);
        let hash = self.hasher.hash_one(id.as_str());
        if let Ok(e) = self.slots.find_entry(hash, |&s| s == slot) {
            e.remove();
        }
        self.docs[slot as usize] = None;
        if let Some(forward) = self.forward.get_mut() {
            forward.set(slot, std::iter::empty());
        }
        self.orgs_changed |= id.kind() == Kind::Org;
    }

    /// Lays the index out for a snapshot (see `snapshot`): each slot's
    /// folded title (if it holds a live record), the list order, the
    /// organizations' members, and every token that some record holds with
    /// its postings, as slots numbered from the previous one. Call `finish`
    /// first.
    pub fn save(&self, out: &mut Out) {
        out.num(self.docs.len() as u64);
        for d in &self.docs {
            match d {
                Some(d) => {
                    out.num(d.title.len() as u64 + 1);
                    out.bytes(d.title.as_bytes());
                }
                None => out.num(0),
            }
        }
        out.num(self.order.len() as u64);
        for &s in &self.order {
            out.num(s.into());
        }
        out.num(self.members.len() as u64);
        for (org, people) in &self.members {
            out.str(org.as_str());
            save_slots(out, people);
        }
        let terms = &self.terms;
        let n = terms.postings.len() as u32;
        let held = (0..n).filter(|&t| !terms.slots(t).is_empty());
        out.num(held.count() as u64);
        for t in 0..n {
            if !terms.slots(t).is_empty() {
                out.str(Terms::text(&terms.vocab, &terms.term_end, t));
                save_slots(out, terms.slots(t));
            }
        }
    }

    /// The index `save` laid out, for records in the slots of `ids`; `None`
    /// if the bytes do not hold together.
    #[cfg(test)]
    pub fn restore(input: &mut In, ids: &[&Id]) -> Option<Index> {
        let mut index = Index::restore_unfinished(input, ids)?;
        index.finish();
        Some(index)
    }

    /// `restore` without `finish` (the vocabulary's index, the
    /// organizations' names), for it to be done on a thread of its own.
    pub fn restore_unfinished(input: &mut In, ids: &[&Id]) -> Option<Index> {
        let mut index = Index::default();
        let n = input.count()?;
        if n > ids.len() {
            return None;
        }
        index.docs.reserve_exact(n);
        index.slots = HashTable::with_capacity(n);
        for (slot, id) in ids[..n].iter().enumerate() {
            let len = usize::try_from(input.num()?).ok()?;
            if len == 0 {
                index.docs.push(None);
                continue;
            }
            let title = std::str::from_utf8(input.bytes(len - 1)?).ok()?;
            index.docs.push(Some(Doc {
                id: (*id).clone(),
                title: title.into(),
            }));
            let (hasher, docs) = (&index.hasher, &index.docs);
            index
                .slots
                .insert_unique(hasher.hash_one(id.as_str()), slot as u32, |&s| {
                    hasher.hash_one(doc(docs, s).id.as_str())
                });
        }
        let live = |s: u32| index.docs.get(s as usize).is_some_and(Option::is_some);
        let listed = input.count()?;
        index.order = (0..listed)
            .map(|_| input.u32().filter(|&s| live(s)))
            .collect::<Option<_>>()?;
        index.rank = vec![0; n];
        index.renumber();
        let orgs = input.count()?;
        index.members.reserve(orgs);
        for _ in 0..orgs {
            let org = Id::parse(input.str()?)?;
            index.members.insert(org, restore_slots(input, n)?);
        }
        let tokens = input.count()?;
        let terms = &mut index.terms;
        terms.postings.reserve_exact(tokens);
        terms.term_end.reserve_exact(tokens);
        terms.terms = HashTable::with_capacity(tokens);
        for _ in 0..tokens {
            let token = input.str()?;
            let list = restore_slots(input, n)?;
            let t = terms.term(&index.hasher, index.hasher.hash_one(token), token) as usize;
            terms.postings[t] = match list[..] {
                [] => NONE,
                [s] => s,
                _ => {
                    terms.lists.push(list);
                    LIST | (terms.lists.len() - 1) as u32
                }
            };
        }
        index.orgs_changed = true;
        Some(index)
    }

    /// Takes in the shards a `Filing` built.
    pub fn merge(&mut self, shards: Vec<Terms>) {
        // Built again from the postings when a search needs it.
        self.forward = OnceLock::new();
        for shard in shards {
            self.terms.merge(&self.hasher, shard);
        }
    }

    /// Brings the list order and the organizations' names up to date with
    /// what changed since.
    pub fn finish(&mut self) {
        let terms = &mut self.terms;
        let covered = terms.grams.from;
        if terms.vocab.len() - covered > GRAMS_TAIL.max(covered / 8) {
            terms.grams = Grams::build(&terms.vocab, &terms.term_end);
        }
        if std::mem::take(&mut self.orgs_changed) {
            self.collect_org_names();
        }
        if self.pending.is_empty() {
            return;
        }
        self.place.take();
        let mut pending = std::mem::take(&mut self.pending);
        if pending.len() <= 64 && !self.order.is_empty() {
            for slot in pending {
                self.insert_in_order(slot);
            }
            return;
        }
        // Many at once (unlocking, a big batch): sort them, merge, renumber.
        let docs = &self.docs;
        let keyed: Vec<(u64, u32)> = pending.drain(..).map(|s| (key(docs, s), s)).collect();
        let new: Vec<u32> = sorted(docs, keyed).into_iter().map(|k| k.1).collect();
        let old = std::mem::take(&mut self.order);
        self.order = merged(&old, &new, |a, b| cmp(docs, *a, *b) == Ordering::Less);
        self.renumber();
    }

    fn collect_org_names(&mut self) {
        self.org_names.clear();
        self.org_name_end.clear();
        self.named_orgs.clear();
        for org in self.members.keys() {
            let Some(s) = self.slot(org) else { continue };
            self.org_names.push_str(&doc(&self.docs, s).title);
            self.org_name_end.push(self.org_names.len() as u32);
            self.org_names.push('\n');
            self.named_orgs.push(org.clone());
        }
    }

    fn insert_in_order(&mut self, slot: u32) {
        let docs = &self.docs;
        let i = self
            .order
            .partition_point(|&s| cmp(docs, s, slot) == Ordering::Less);
        let lo = if i == 0 {
            0
        } else {
            self.rank[self.order[i - 1] as usize]
        };
        let hi = match self.order.get(i) {
            Some(&s) => self.rank[s as usize],
            None => lo.saturating_add(2 * GAP),
        };
        self.order.insert(i, slot);
        if hi - lo < 2 {
            self.renumber();
        } else {
            self.rank[slot as usize] = lo + (hi - lo) / 2;
        }
    }

    fn renumber(&mut self) {
        for (i, &s) in self.order.iter().enumerate() {
            self.rank[s as usize] = (i as u64 + 1) * GAP;
        }
    }

    fn slot(&self, id: &Id) -> Option<u32> {
        let hash = self.hasher.hash_one(id.as_str());
        self.slots
            .find(hash, |&s| doc(&self.docs, s).id == *id)
            .copied()
    }

    /// The folded title, for sorting lists.
    pub fn sort_key(&self, id: &Id) -> &str {
        self.slot(id)
            .map(|s| &*doc(&self.docs, s).title)
            .unwrap_or_default()
    }

    /// Live records of `kind`, in list order (by folded title, then id).
    pub fn in_order(&self, kind: Kind) -> impl Iterator<Item = u32> + '_ {
        let from = self
            .order
            .partition_point(|&s| doc(&self.docs, s).id.kind() < kind);
        self.order[from..]
            .iter()
            .copied()
            .take_while(move |&s| doc(&self.docs, s).id.kind() == kind)
    }

    /// Slots of live records matching every word of `query`, in list order:
    /// kind, folded title, id. No record is read: candidates are checked in
    /// the tokens the index keeps (see `check`).
    pub fn search(&self, query: &str) -> Vec<u32> {
        self.search_checking(query, CHECK_PER_WORD)
    }

    /// `search`, checking the candidates' own tokens for the words left once
    /// at most `per_word` candidates per word left remain.
    fn search_checking(&self, query: &str, per_word: usize) -> Vec<u32> {
        let folded = fold(query);
        let words = needed_words(&folded);
        if words.is_empty() {
            return Vec::new();
        }
        // The records known to hold each word without looking for it in the
        // vocabulary: the members of the organizations named with it (one
        // short string of names to look in), and, for the words after the
        // first, the holders of the word as a whole token (one lookup: the
        // "de" and "prensa" of every note holding "conferencia").
        let len = self.docs.len().div_ceil(64);
        let sure: Vec<Vec<u64>> = words
            .iter()
            .enumerate()
            .map(|(i, w)| {
                let mut b = vec![0u64; len];
                self.by_org_name(&memchr::memmem::Finder::new(w.as_bytes()), &mut b);
                if let Some(t) = self.terms.find(&self.hasher, w).filter(|_| i > 0) {
                    self.terms.slots(t).iter().for_each(|&s| set_bit(&mut b, s));
                }
                b
            })
            .collect();
        let mut bits = self.in_vocabulary(words[0], &sure[0]);
        let mut count = count_ones(&bits);
        for i in 1..words.len() {
            if count == 0 {
                break;
            }
            // Candidates known to hold every word left pass at once; if few
            // others are left, they are checked in their own tokens instead
            // of finding the other words in the whole vocabulary and walking
            // every posting of every token holding them (for a short word
            // like "de", a hundred thousand).
            let (left, orgs) = (&words[i..], &sure[i..]);
            let unsure: usize = (0..len)
                .map(|j| (bits[j] & !orgs.iter().fold(!0, |a, o| a & o[j])).count_ones() as usize)
                .sum();
            if unsure <= per_word.saturating_mul(left.len()) {
                count = self.check(&mut bits, left, orgs);
                break;
            }
            let other = self.in_vocabulary(words[i], &sure[i]);
            bits.iter_mut().zip(&other).for_each(|(a, b)| *a &= b);
            count = count_ones(&bits);
        }
        self.in_list_order(&bits, count)
    }

    /// Clears the bits of the records in `bits` that lack one of `words`,
    /// given `sure`, the records known to hold each, by looking at the
    /// tokens of the others; returns how many are left.
    fn check(&self, bits: &mut [u64], words: &[&str], sure: &[Vec<u64>]) -> usize {
        let forward = self
            .forward
            .get_or_init(|| Forward::build(&self.terms, self.docs.len()));
        let terms = &self.terms;
        let finders: Vec<_> = words
            .iter()
            .map(|w| memchr::memmem::Finder::new(w.as_bytes()))
            .collect();
        // Whether a token holds a word, found out once per token and word:
        // the candidates share most of their tokens.
        let n = terms.term_end.len().div_ceil(64);
        let mut known = vec![Vec::new(); words.len()];
        let mut holds = vec![Vec::new(); words.len()];
        let mut holds_word = |k: usize, t: u32| {
            if known[k].is_empty() {
                known[k] = vec![0u64; n];
                holds[k] = vec![0u64; n];
            }
            if !is_set(&known[k], t) {
                set_bit(&mut known[k], t);
                let text = Terms::text(&terms.vocab, &terms.term_end, t);
                if finders[k].find(text.as_bytes()).is_some() {
                    set_bit(&mut holds[k], t);
                }
            }
            is_set(&holds[k], t)
        };
        let mut count = 0;
        for (i, w) in bits.iter_mut().enumerate() {
            let mut left = *w;
            while left != 0 {
                let b = left.trailing_zeros();
                left &= left - 1;
                let slot = (i * 64) as u32 + b;
                let tokens = forward.of(slot);
                let held = (0..words.len()).all(|k| {
                    sure[k][i] & (1 << b) != 0 || tokens.iter().any(|&t| holds_word(k, t))
                });
                if held {
                    count += 1;
                } else {
                    *w &= !(1 << b);
                }
            }
        }
        count
    }

    /// The slots set in `bits` (`count` of them) in list order: each
    /// slot's place in `order` set in a bit per place, read back in order
    /// (neither a walk of the whole order nor a sort).
    fn in_list_order(&self, bits: &[u64], count: usize) -> Vec<u32> {
        let place = self.place.get_or_init(|| {
            let mut place = vec![NONE; self.docs.len()];
            for (i, &s) in self.order.iter().enumerate() {
                place[s as usize] = i as u32;
            }
            place
        });
        let mut at = vec![0u64; self.order.len().div_ceil(64)];
        for (i, &w) in bits.iter().enumerate() {
            let mut left = w;
            while left != 0 {
                let s = (i * 64) + left.trailing_zeros() as usize;
                // Every live slot has a place once `finish` has run.
                if let Some(&p) = place.get(s).filter(|&&p| p != NONE) {
                    set_bit(&mut at, p);
                }
                left &= left - 1;
            }
        }
        let mut found = Vec::with_capacity(count);
        for (i, &w) in at.iter().enumerate() {
            let mut left = w;
            while left != 0 {
                found.push(self.order[i * 64 + left.trailing_zeros() as usize]);
                left &= left - 1;
            }
        }
        found
    }

    /// A bit per slot: the records whose text contains `word`, and those set
    /// in `sure` (records known to hold it).
    fn in_vocabulary(&self, word: &str, sure: &[u64]) -> Vec<u64> {
        let mut bits = sure.to_vec();
        let mut set = |s: u32| set_bit(&mut bits, s);
        let finder = memchr::memmem::Finder::new(word.as_bytes());
        let terms = &self.terms;
        let hay = terms.vocab.as_bytes();
        let mut from = 0;
        if let Some(tokens) = terms.grams.holding(word.as_bytes()) {
            for &t in tokens {
                let text = Terms::text(&terms.vocab, &terms.term_end, t);
                if finder.find(text.as_bytes()).is_some() {
                    terms.slots(t).iter().for_each(|&s| set(s));
                }
            }
            from = terms.grams.from;
        }
        while let Some(p) = finder.find(&hay[from..]) {
            let t = terms.term_at(from + p);
            terms.slots(t).iter().for_each(|&s| set(s));
            from = terms.term_end[t as usize] as usize + 1;
        }
        bits
    }

    /// Sets the bits of the people one of whose organizations' names holds
    /// what `finder` looks for.
    fn by_org_name(&self, finder: &memchr::memmem::Finder, bits: &mut [u64]) {
        let names = self.org_names.as_bytes();
        let mut from = 0;
        while let Some(p) = finder.find(&names[from..]) {
            let k = self
                .org_name_end
                .partition_point(|&e| (e as usize) <= from + p);
            if let Some(people) = self.members.get(&self.named_orgs[k]) {
                people.iter().for_each(|&s| set_bit(bits, s));
            }
            from = self.org_name_end[k] as usize + 1;
        }
    }
}

impl Forward {
    /// Turns the postings of `terms` around, for `slots` slots.
    fn build(terms: &Terms, slots: usize) -> Forward {
        let tokens = 0..terms.postings.len() as u32;
        let mut span = vec![(0u32, 0u32); slots];
        for t in tokens.clone() {
            terms.slots(t).iter().for_each(|&s| span[s as usize].1 += 1);
        }
        let mut end = 0;
        for s in &mut span {
            end += s.1;
            *s = (end - s.1, end - s.1);
        }
        let mut forward = Forward {
            tokens: vec![0; end as usize],
            span,
            unused: 0,
        };
        for t in tokens {
            for &s in terms.slots(t) {
                let s = &mut forward.span[s as usize];
                forward.tokens[s.1 as usize] = t;
                s.1 += 1;
            }
        }
        forward
    }

    /// The tokens of `slot`.
    fn of(&self, slot: u32) -> &[u32] {
        let (start, end) = self.span.get(slot as usize).copied().unwrap_or_default();
        &self.tokens[start as usize..end as usize]
    }

    /// Gives `slot` these `tokens` instead of its own: new ones go at the
    /// end, and once half of `tokens` is left behind, the rest is moved
    /// together.
    fn set(&mut self, slot: u32, tokens: impl Iterator<Item = u32>) {
        if self.span.len() <= slot as usize {
            self.span.resize(slot as usize + 1, (0, 0));
        }
        let (start, end) = self.span[slot as usize];
        self.unused += (end - start) as usize;
        let start = self.tokens.len() as u32;
        self.tokens.extend(tokens);
        self.span[slot as usize] = (start, self.tokens.len() as u32);
        if self.unused > self.tokens.len() / 2 {
            let mut tokens = Vec::with_capacity(self.tokens.len() - self.unused);
            for s in &mut self.span {
                let start = tokens.len() as u32;
                tokens.extend_from_slice(&self.tokens[s.0 as usize..s.1 as usize]);
                *s = (start, tokens.len() as u32);
            }
            self.tokens = tokens;
            self.unused = 0;
        }
    }
}

impl Terms {
    /// Adds `slot` to the postings of those of `tokens` whose hash `mine`
    /// picks.
    fn file(&mut self, hasher: &Hasher, slot: u32, tokens: &Tokens, mine: impl Fn(u64) -> bool) {
        for &(hash, start, end) in &tokens.tokens {
            if mine(hash) {
                let t = self.term(hasher, hash, &tokens.text[start as usize..end as usize]);
                add_posting(&mut self.postings[t as usize], &mut self.lists, slot);
            }
        }
    }

    /// Takes in the tokens and postings of `other`.
    fn merge(&mut self, hasher: &Hasher, mut other: Terms) {
        let n = other.term_end.len();
        let (vocab, term_end) = (&self.vocab, &self.term_end);
        self.terms
            .reserve(n, |&t| hasher.hash_one(Terms::text(vocab, term_end, t)));
        self.vocab.reserve(other.vocab.len());
        self.term_end.reserve(n);
        self.postings.reserve(n);
        for u in 0..n as u32 {
            let token = Terms::text(&other.vocab, &other.term_end, u);
            let t = self.term(hasher, hasher.hash_one(token), token) as usize;
            match other.postings[u as usize] {
                NONE => {}
                p if p & LIST != 0 => {
                    let list = std::mem::take(&mut other.lists[(p & !LIST) as usize]);
                    if self.postings[t] == NONE {
                        self.lists.push(list);
                        self.postings[t] = LIST | (self.lists.len() - 1) as u32;
                    } else {
                        for s in list {
                            add_posting(&mut self.postings[t], &mut self.lists, s);
                        }
                    }
                }
                s => add_posting(&mut self.postings[t], &mut self.lists, s),
            }
        }
    }

    fn text<'a>(vocab: &'a str, term_end: &[u32], t: u32) -> &'a str {
        let end = term_end[t as usize] as usize;
        let start = match t {
            0 => 0,
            _ => term_end[t as usize - 1] as usize + 1,
        };
        &vocab[start..end]
    }

    fn find(&self, hasher: &Hasher, token: &str) -> Option<u32> {
        let hash = hasher.hash_one(token);
        self.terms
            .find(hash, |&t| {
                Terms::text(&self.vocab, &self.term_end, t) == token
            })
            .copied()
    }

    /// The token `token`, added to the vocabulary if new.
    fn term(&mut self, hasher: &Hasher, hash: u64, token: &str) -> u32 {
        let (vocab, term_end) = (&self.vocab, &self.term_end);
        if let Some(&t) = self
            .terms
            .find(hash, |&t| Terms::text(vocab, term_end, t) == token)
        {
            return t;
        }
        let t = self.term_end.len() as u32;
        self.vocab.push_str(token);
        self.term_end.push(self.vocab.len() as u32);
        while self.term_from.len() * SPAN <= self.vocab.len() {
            self.term_from.push(t);
        }
        self.vocab.push('\n');
        self.postings.push(NONE);
        let (vocab, term_end) = (&self.vocab, &self.term_end);
        self.terms.insert_unique(hash, t, |&t| {
            hasher.hash_one(Terms::text(vocab, term_end, t))
        });
        t
    }

    /// The records holding the token `t`, sorted.
    fn slots(&self, t: u32) -> &[u32] {
        match &self.postings[t as usize] {
            &NONE => &[],
            &p if p & LIST != 0 => &self.lists[(p & !LIST) as usize],
            s => std::slice::from_ref(s),
        }
    }

    /// The token whose text holds the vocabulary offset `pos`: the first
    /// whose end is past it.
    fn term_at(&self, pos: usize) -> u32 {
        let mut t = self.term_from[pos / SPAN];
        while self.term_end[t as usize] as usize <= pos {
            t += 1;
        }
        t
    }
}

impl Grams {
    /// The index of every token of `vocab` (`Terms::vocab`, `term_end`).
    fn build(vocab: &str, term_end: &[u32]) -> Grams {
        let vocab = vocab.as_bytes();
        // Each key of each token once: `f(key, token)`.
        let each = |f: &mut dyn FnMut(usize, u32)| {
            let mut from = 0;
            for (t, &end) in term_end.iter().enumerate() {
                for w in vocab[from..end as usize].windows(3) {
                    f(gram(w), t as u32);
                }
                from = end as usize + 1;
            }
        };
        // How many tokens each key has, then where they go.
        let mut last = vec![u32::MAX; KEYS];
        let mut start = vec![0u32; KEYS + 1];
        each(&mut |k, t| {
            if last[k] != t {
                last[k] = t;
                start[k + 1] += 1;
            }
        });
        for k in 0..KEYS {
            start[k + 1] += start[k];
        }
        let mut tokens = vec![0u32; start[KEYS] as usize];
        let mut at = last;
        at.copy_from_slice(&start[..KEYS]);
        each(&mut |k, t| {
            let i = at[k] as usize;
            if i == start[k] as usize || tokens[i - 1] != t {
                tokens[i] = t;
                at[k] += 1;
            }
        });
        Grams {
            from: term_end.last().map_or(0, |&e| e as usize + 1),
            start,
            tokens,
        }
    }

    /// The covered tokens that may hold `word`, those of the shortest list
    /// of its keys; `None` (scan the whole vocabulary) for a word shorter
    /// than 3 bytes, or when checking them would cost more than a scan.
    fn holding(&self, word: &[u8]) -> Option<&[u32]> {
        if word.len() < 3 || self.start.is_empty() {
            return None;
        }
        let list = |k: usize| &self.tokens[self.start[k] as usize..self.start[k + 1] as usize];
        let shortest = word
            .windows(3)
            .map(|w| list(gram(w)))
            .min_by_key(|l| l.len())?;
        (shortest.len().saturating_mul(SCAN_PER_TOKEN) < self.from).then_some(shortest)
    }
}

/// Checking a token for a word costs about as much as scanning this many
/// bytes of the vocabulary (`memmem` skips most bytes).
const SCAN_PER_TOKEN: usize = 256;

/// Files records' tokens on several threads while unlocking: each thread
/// holds the tokens of one shard (picked by hash), and `Index::merge` takes
/// them in at the end. The postings, and so every search, are the same as
/// filing them one by one with `Index::put`.
pub struct Filing<'scope> {
    to: Vec<std::sync::mpsc::SyncSender<Batch>>,
    threads: Vec<std::thread::ScopedJoinHandle<'scope, Terms>>,
}

/// Records' slots and tokens, shared by every shard's thread.
type Batch = Arc<Vec<(u32, Tokens)>>;

impl<'scope> Filing<'scope> {
    /// Starts `shards` threads in `scope`.
    pub fn start(
        scope: &'scope std::thread::Scope<'scope, '_>,
        index: &Index,
        shards: usize,
    ) -> Self {
        let shards = shards.max(1);
        let (mut to, mut threads) = (Vec::new(), Vec::new());
        for shard in 0..shards {
            // Bounded: a slow shard holds back the reading, not memory.
            let (tx, rx) = std::sync::mpsc::sync_channel::<Batch>(2);
            let hasher = index.hasher.clone();
            to.push(tx);
            threads.push(scope.spawn(move || {
                // Not the low bits: those pick the hash table's buckets.
                let mine = |hash: u64| (hash >> 32) as usize % shards == shard;
                let mut terms = Terms::default();
                for batch in rx {
                    for (slot, tokens) in batch.iter() {
                        terms.file(&hasher, *slot, tokens, mine);
                    }
                }
                terms
            }));
        }
        Filing { to, threads }
    }

    /// Files `batch` (slots and tokens `Index::put_later` returned).
    pub fn send(&self, batch: Vec<(u32, Tokens)>) {
        let batch = Arc::new(batch);
        for tx in &self.to {
            // A shard's thread only stops early by panicking, which `finish`
            // passes on.
            let _ = tx.send(batch.clone());
        }
    }

    /// Waits for every shard and returns them.
    pub fn finish(self) -> Vec<Terms> {
        drop(self.to);
        self.threads
            .into_iter()
            .map(|t| t.join().unwrap_or_else(|e| std::panic::resume_unwind(e)))
            .collect()
    }
}

/// The words of a folded query that decide its answer, longest (usually the
/// rarest) first: a word inside another word of the query matches every
/// record the longer one does, so it is left out, and so are repeats
/// (`de` in "Centro de Trabajadores de Aurora").
fn needed_words(folded: &str) -> Vec<&str> {
    let mut words: Vec<&str> = folded.split_whitespace().collect();
    words.sort_unstable_by(|a, b| b.len().cmp(&a.len()).then(a.cmp(b)));
    words.dedup();
    let mut needed: Vec<&str> = Vec::with_capacity(words.len());
    for w in words {
        if !needed.iter().any(|n| n.contains(w)) {
            needed.push(w);
        }
    }
    needed
}

fn set_bit(bits: &mut [u64], i: u32) {
    bits[i as usize / 64] |= 1 << (i % 64);
}

fn is_set(bits: &[u64], i: u32) -> bool {
    bits[i as usize / 64] & (1 << (i % 64)) != 0
}

fn count_ones(bits: &[u64]) -> usize {
    bits.iter().map(|w| w.count_ones() as usize).sum()
}

/// Checking a note's tokens (about 140) costs about a 500th of finding one
/// word in the vocabulary of 100,000 people and walking its postings, a
/// person's (about 10, mostly unlike anyone else's) about a 1,500th
/// (measured with the benchmark's queries), so `search` checks the words
/// left in the candidates' tokens once at most this many per word are left.
const CHECK_PER_WORD: usize = 500;

fn doc(docs: &[Option<Doc>], slot: u32) -> &Doc {
    docs[slot as usize]
        .as_ref()
        .expect("a slot in the index holds a record")
}

/// List order: kind, then `within_kind`.
fn cmp(docs: &[Option<Doc>], a: u32, b: u32) -> Ordering {
    let (x, y) = (doc(docs, a), doc(docs, b));
    x.id.kind()
        .cmp(&y.id.kind())
        .then_with(|| within_kind(docs, a, b))
}

/// List order among records of one kind: folded title, id.
fn within_kind(docs: &[Option<Doc>], a: u32, b: u32) -> Ordering {
    let (a, b) = (doc(docs, a), doc(docs, b));
    (&a.title, &a.id).cmp(&(&b.title, &b.id))
}

/// `keyed` (`key` and slot) in list order; a long list in two halves on
/// two threads, then merged (the order is total: ids differ, so the same
/// as one sort).
fn sorted(docs: &[Option<Doc>], mut keyed: Vec<(u64, u32)>) -> Vec<(u64, u32)> {
    // Equal keys mean equal kinds: titles and ids decide.
    let by =
        |a: &(u64, u32), b: &(u64, u32)| a.0.cmp(&b.0).then_with(|| within_kind(docs, a.1, b.1));
    if keyed.len() < 16_384 {
        keyed.sort_unstable_by(by);
        return keyed;
    }
    let half = keyed.len() / 2;
    let (left, right) = keyed.split_at_mut(half);
    std::thread::scope(|scope| {
        let other = scope.spawn(|| left.sort_unstable_by(by));
        right.sort_unstable_by(by);
        other
            .join()
            .unwrap_or_else(|e| std::panic::resume_unwind(e));
    });
    let (left, right) = keyed.split_at(half);
    merged(left, right, |a, b| by(a, b) == Ordering::Less)
}

/// Two lists sorted by `less`, merged into one (on a tie, `b`'s first).
fn merged<T: Copy>(a: &[T], b: &[T], less: impl Fn(&T, &T) -> bool) -> Vec<T> {
    let mut out = Vec::with_capacity(a.len() + b.len());
    let (mut i, mut j) = (0, 0);
    while i < a.len() && j < b.len() {
        if less(&a[i], &b[j]) {
            out.push(a[i]);
            i += 1;
        } else {
            out.push(b[j]);
            j += 1;
        }
    }
    out.extend_from_slice(&a[i..]);
    out.extend_from_slice(&b[j..]);
    out
}

/// The kind and the first 7 bytes of the folded title, in one number that
/// sorts like them (titles hold no NUL: control characters are refused).
fn key(docs: &[Option<Doc>], slot: u32) -> u64 {
    let d = doc(docs, slot);
    let mut k = [0u8; 8];
    k[0] = d.id.kind() as u8;
    let t = d.title.as_bytes();
    let n = t.len().min(7);
    k[1..1 + n].copy_from_slice(&t[..n]);
    u64::from_be_bytes(k)
}

/// Sorted slots, each as its distance from the one before.
fn save_slots(out: &mut Out, list: &[u32]) {
    out.num(list.len() as u64);
    let mut last = 0u32;
    for &s in list {
        out.num(s.wrapping_sub(last).into());
        last = s;
    }
}

/// What `save_slots` wrote, each slot below `n`.
fn restore_slots(input: &mut In, n: usize) -> Option<Vec<u32>> {
    let len = input.count()?;
    let mut list = Vec::with_capacity(len);
    let mut last = 0u32;
    for _ in 0..len {
        last = last.wrapping_add(input.u32()?);
        if last as usize >= n {
            return None;
        }
        list.push(last);
    }
    Some(list)
}

fn insert_sorted(list: &mut Vec<u32>, slot: u32) {
    if list.last().is_none_or(|&l| l < slot) {
        list.push(slot);
    } else if let Err(i) = list.binary_search(&slot) {
        list.insert(i, slot);
    }
}

fn remove_sorted(list: &mut Vec<u32>, slot: u32) {
    if let Ok(i) = list.binary_search(&slot) {
        list.remove(i);
    }
}

fn add_posting(p: &mut u32, lists: &mut Vec<Vec<u32>>, slot: u32) {
    match *p {
        NONE => *p = slot,
        l if l & LIST != 0 => insert_sorted(&mut lists[(l & !LIST) as usize], slot),
        s if s == slot => {}
        s => {
            lists.push(if s < slot {
                vec![s, slot]
            } else {
                vec![slot, s]
            });
            *p = LIST | (lists.len() - 1) as u32;
        }
    }
}

fn remove_posting(p: &mut u32, lists: &mut [Vec<u32>], slot: u32) {
    match *p {
        l if l != NONE && l & LIST != 0 => remove_sorted(&mut lists[(l & !LIST) as usize], slot),
        s if s == slot => *p = NONE,
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Kind;
    use crate::testkit::rec;
    use unicode_normalization::char::canonical_combining_class;
    use unicode_normalization::UnicodeNormalization;

    /// The definition `fold` must agree with.
    fn fold_nfd(s: &str) -> String {
        s.nfd()
            .filter(|c| !is_combining_mark(*c))
            .flat_map(char::to_lowercase)
            .collect()
    }

    #[test]
    fn folding_ignores_case_and_accents() {
        assert_eq!(fold("María José PEÑA"), "maria jose pena");
        assert_eq!(fold("Ñandú"), "nandu");
        assert_eq!(fold("Straße"), "straße");
    }

    #[test]
    fn folding_a_character_at_a_time_is_the_nfd_definition() {
        // Canonical reordering only moves characters of non-zero combining
        // class; all of them are combining marks, which folding drops.
        for c in (0..=0x10FFFFu32).filter_map(char::from_u32) {
            if canonical_combining_class(c) != 0 {
                assert!(is_combining_mark(c), "{c:?} reorders but is kept");
            }
            let s = c.to_string();
            assert_eq!(fold(&s), fold_nfd(&s), "{c:?}");
        }
        for s in [
            "e\u{301}\u{327}x",
            "A\u{30A}\u{316}ngstro\u{308}m",
            "ḉ\u{323}",
            "한국어 İstanbul ǅ",
            "MaRÍA José\nPEÑA-Ñandú ÅSA",
            "ABC\u{301}DEF\u{327}ghİJK",
            "",
        ] {
            assert_eq!(fold(s), fold_nfd(s));
        }
    }

    #[test]
    fn a_prepared_record_holds_its_folded_title_and_text() {
        for (kind, fields) in [
            (
                Kind::Person,
                &[("name", "MaRÍA Peña"), ("alias", "Ñandú")][..],
            ),
            (
                Kind::Note,
                &[("title", "Nota ÚNICA"), ("body", "Ártico y ÉL")],
            ),
            (Kind::Org, &[("name", "Centro")]),
        ] {
            let r = rec(kind, fields);
            let p = Prepared::new(&r, &Hasher::default());
            assert_eq!(&*p.title, fold(r.title()));
            assert_eq!(p.tokens.text, fold(&r.search_text()));
        }
    }

    /// The search text is its parts joined by `\n`, the title first (as
    /// `Prepared::new` folds them one by one).
    #[test]
    fn the_search_text_is_its_parts_joined() {
        let r = rec(
            Kind::Person,
            &[("name", "Ana"), ("alias", "Anita"), ("email", "a@b.org")],
        );
        assert_eq!(r.search_text(), "Ana\nAnita\na@b.org\n");
        let r = rec(Kind::Note, &[("title", "Nota"), ("body", "Ártico")]);
        let mut parts = Vec::new();
        r.search_parts(|p| parts.push(p.to_string()));
        assert_eq!(parts[0], "Nota");
        assert_eq!(r.search_text(), parts.join("\n"));
        assert!(r.search_text().contains("Ártico"));
    }

    /// The straightforward scan the index must agree with.
    fn scan<'a>(records: &'a [(Id, Record)], query: &str) -> Vec<&'a Id> {
        let words: Vec<String> = fold(query).split_whitespace().map(str::to_string).collect();
        if words.is_empty() {
            return Vec::new();
        }
        let title = |id: &Id| {
            records
                .iter()
                .find(|(i, _)| i == id)
                .map(|(_, r)| fold(r.title()))
        };
        let mut out: Vec<&Id> = records
            .iter()
            .filter(|(_, r)| {
                let text = fold(&r.search_text());
                words.iter().all(|w| {
                    text.contains(w.as_str())
                        || matches!(r, Record::Person(p) if p.orgs.iter()
                            .any(|m| title(&m.org).is_some_and(|t| t.contains(w.as_str()))))
                })
            })
            .map(|(id, _)| id)
            .collect();
        out.sort_by_key(|id| (id.kind(), title(id), (*id).clone()));
        out
    }

    #[test]
    fn each_vocabulary_offset_finds_its_token() {
        let mut index = Index::default();
        for i in 0..200u32 {
            let body = format!("w{i}x {} ñandú{}", "a".repeat(i as usize % 70), i % 9);
            let r = rec(Kind::Note, &[("title", "Nota"), ("body", &body)]);
            index.put(
                i,
                &Id::new(Kind::Note),
                &r,
                Prepared::new(&r, index.hasher()),
            );
        }
        let terms = &index.terms;
        assert!(terms.vocab.len() > 20 * SPAN);
        for t in 0..terms.term_end.len() as u32 {
            let end = terms.term_end[t as usize] as usize;
            let start = end - Terms::text(&terms.vocab, &terms.term_end, t).len();
            for pos in start..end {
                assert_eq!(terms.term_at(pos), t, "{pos}");
            }
        }
    }

    /// The vocabulary's index (`Grams`) against a plain scan of every
    /// record's folded text, for many random words (shorter than 3 bytes,
    /// found nowhere, inside tokens, accented, sharing classes of bytes) and
    /// queries: after it is built, with tokens added since (scanned), built
    /// anew, and read back from a snapshot.
    #[test]
    fn the_vocabulary_index_finds_what_a_scan_finds() {
        use rand::rngs::StdRng;
        use rand::{Rng, SeedableRng};
        let mut rng = StdRng::seed_from_u64(15);
        let pieces = [
            "a", "e", "n", "r", "o", "de", "ñ", "É", "x", "1", "@", ".", "-", "ß", "z", "€", "q",
        ];
        let word = |rng: &mut StdRng, most: usize| -> String {
            (0..rng.gen_range(1..=most))
                .map(|_| pieces[rng.gen_range(0..pieces.len())])
                .collect()
        };
        let body = |rng: &mut StdRng| -> String {
            let words: Vec<String> = (0..rng.gen_range(1..8)).map(|_| word(rng, 6)).collect();
            words.join(" ")
        };
        let note = |body: &str| rec(Kind::Note, &[("title", "Nota"), ("body", body)]);
        let mut records: Vec<Option<(Id, Record)>> = (0..5000)
            .map(|_| Some((Id::new(Kind::Note), note(&body(&mut rng)))))
            .collect();
        let mut index = Index::default();
        for (slot, (id, r)) in records.iter().flatten().enumerate() {
            index.put(slot as u32, id, r, Prepared::new(r, index.hasher()));
        }
        index.finish();
        assert!(index.terms.grams.from > GRAMS_TAIL, "built by finish");
        let check = |index: &Index, records: &[Option<(Id, Record)>], rng: &mut StdRng| {
            let texts: Vec<Option<String>> = records
                .iter()
                .map(|r| r.as_ref().map(|(_, r)| fold(&r.search_text())))
                .collect();
            let scan = |words: &[&str]| -> Vec<u32> {
                let holds = |t: &str| words.iter().all(|w| t.contains(w));
                let found = texts.iter().enumerate();
                found
                    .filter(|(_, t)| t.as_deref().is_some_and(holds))
                    .map(|(s, _)| s as u32)
                    .collect()
            };
            let tokens: Vec<&str> = index.terms.vocab.lines().collect();
            let mut by_grams = 0;
            for _ in 0..400 {
                let w = match rng.gen_range(0..3) {
                    0 => word(rng, 5),
                    1 => {
                        let t = tokens[rng.gen_range(0..tokens.len())];
                        let from = rng.gen_range(0..t.len());
                        let to = rng.gen_range(from..=t.len());
                        match (t.get(from..to), t.get(from..)) {
                            (Some(w), _) if !w.is_empty() => w.to_string(),
                            (_, Some(w)) if !w.is_empty() => w.to_string(),
                            _ => t.to_string(),
                        }
                    }
                    _ => format!("{}{}", word(rng, 2), tokens[rng.gen_range(0..tokens.len())]),
                };
                let w = fold(&w);
                if index.terms.grams.holding(w.as_bytes()).is_some() {
                    by_grams += 1;
                }
                let none = vec![0u64; index.docs.len().div_ceil(64)];
                let bits = index.in_vocabulary(&w, &none);
                let found: Vec<u32> = (0..index.docs.len() as u32)
                    .filter(|&s| is_set(&bits, s))
                    .collect();
                assert_eq!(found, scan(&[&w]), "{w:?}");
            }
            assert!(by_grams > 150, "{by_grams} of 400 looked up in the grams");
            for _ in 0..100 {
                let q = fold(&format!("{} {}", word(rng, 4), word(rng, 3)));
                let words: Vec<&str> = q.split(' ').collect();
                let mut found = index.search(&q);
                found.sort_unstable();
                assert_eq!(found, scan(&words), "{q:?}");
            }
        };
        check(&index, &records, &mut rng);
        // Edits and deletions: new tokens after the ones it covers.
        let built = index.terms.grams.from;
        for (slot, record) in records.iter_mut().enumerate() {
            let Some((id, old)) = record.clone() else {
                continue;
            };
            match rng.gen_range(0..12) {
                0 => {
                    index.remove(&id, &old);
                    *record = None;
                }
                1 | 2 => {
                    let new = note(&format!("{} w{slot}", body(&mut rng)));
                    let p = Prepared::new(&new, index.hasher());
                    index.replace(slot as u32, &id, &old, &new, p);
                    *record = Some((id, new));
                }
                _ => {}
            }
        }
        index.finish();
        assert_eq!(index.terms.grams.from, built, "not built anew");
        assert!(index.terms.vocab.len() > built + 1000);
        check(&index, &records, &mut rng);
        let terms = &mut index.terms;
        terms.grams = Grams::build(&terms.vocab, &terms.term_end);
        check(&index, &records, &mut rng);
        // Read back from a snapshot (the slots of deleted records are kept).
        let slots: Vec<Id> = (0..records.len()).map(|_| Id::new(Kind::Note)).collect();
        let ids: Vec<&Id> = records
            .iter()
            .zip(&slots)
            .map(|(r, s)| r.as_ref().map_or(s, |(id, _)| id))
            .collect();
        let mut out = Out::default();
        index.save(&mut out);
        let back = Index::restore(&mut In(&out.kept), &ids).expect("it reads back");
        assert!(back.terms.grams.from > GRAMS_TAIL, "built by restore");
        check(&back, &records, &mut rng);
    }

    #[test]
    fn the_tokens_kept_per_record_follow_changes() {
        let note = |i: usize, n: usize| {
            let body = format!("w{i}x uno{} dos v{n}", i % 7);
            rec(
                Kind::Note,
                &[("title", &format!("Nota {i}")), ("body", &body)],
            )
        };
        let mut records: Vec<(Id, Record)> = (0..100)
            .map(|i| (Id::new(Kind::Note), note(i, 0)))
            .collect();
        let mut index = Index::default();
        for (slot, (id, r)) in records.iter().enumerate() {
            index.put(slot as u32, id, r, Prepared::new(r, index.hasher()));
        }
        index.finish();
        // The same as turning the postings around now, in every slot.
        let agrees = |index: &Index| {
            let kept = index.forward.get().expect("built by the search");
            let fresh = Forward::build(&index.terms, index.docs.len());
            for slot in 0..index.docs.len() as u32 {
                let mut tokens = kept.of(slot).to_vec();
                tokens.sort_unstable();
                assert_eq!(tokens, fresh.of(slot), "{slot}");
            }
            assert!(kept.unused <= kept.tokens.len() / 2);
        };
        assert!(index.forward.get().is_none(), "not built until needed");
        let found = index.search_checking("uno3 dos", usize::MAX);
        assert_eq!(found.len(), 14);
        agrees(&index);
        // Edited over and over (what they leave behind is moved away now
        // and then), some deleted, some added.
        for n in 1..6 {
            for (slot, (id, old)) in records.iter_mut().enumerate().step_by(n) {
                let new = note(slot, n);
                let p = Prepared::new(&new, index.hasher());
                index.replace(slot as u32, id, old, &new, p);
                *old = new;
            }
            agrees(&index);
        }
        for (id, old) in records.iter().step_by(3) {
            index.remove(id, old);
        }
        for i in 100..120 {
            let (id, r) = (Id::new(Kind::Note), note(i, 9));
            index.put(i as u32, &id, &r, Prepared::new(&r, index.hasher()));
        }
        index.finish();
        agrees(&index);
        let found = index.search_checking("v5 uno3", usize::MAX);
        assert_eq!(found, [10, 80], "edited last with 5, not deleted");
    }

    #[test]
    fn the_index_finds_what_a_scan_finds() {
        let mut records: Vec<(Id, Record)> = Vec::new();
        let orgs = [
            "Centro de Trabajadores Unidos",
            "Iglesia San José",
            "Unidos",
        ];
        for name in orgs {
            records.push((Id::new(Kind::Org), rec(Kind::Org, &[("name", name)])));
        }
        let names = [
            "María Peña",
            "José",
            "Ana María",
            "maria",
            "Mariana Núñez",
            "Zoë",
            "ANA",
        ];
        for (i, name) in names.iter().enumerate() {
            let org = records[i % 3].0.to_string();
            let tag = ["Respuesta-Rápida", "driver", "a b"][i % 3];
            let fields = [("name", *name), ("org", org.as_str()), ("tag", tag)];
            records.push((Id::new(Kind::Person), rec(Kind::Person, &fields)));
        }
        // Members found by a name with a short common word ("de"), words
        // inside other words ("de" in "Fernández") and accents, where the
        // candidates left after the first word must be checked one by one.
        let aurora = Id::new(Kind::Org);
        records.push((
            aurora.clone(),
            rec(Kind::Org, &[("name", "Centro de Trabajadores de Aurora")]),
        ));
        for (name, in_aurora, tag) in [
            ("Fernández Aurora", false, "centro"),
            ("Delia Centro", true, ""),
            ("Ana Núñez Peña", true, "trabajadores"),
            ("Trabajadores Aurora", false, ""),
            ("Aurora Díaz", false, "de-centro"),
        ] {
            let org = aurora.to_string();
            let mut fields = vec![("name", name)];
            if in_aurora {
                fields.push(("org", org.as_str()));
            }
            if !tag.is_empty() {
                fields.push(("tag", tag));
            }
            records.push((Id::new(Kind::Person), rec(Kind::Person, &fields)));
        }
        records.push((
            Id::new(Kind::Note),
            rec(
                Kind::Note,
                &[
                    ("title", "Asamblea"),
                    ("body", "la conferencia de prensa del miércoles\nunidos"),
                ],
            ),
        ));
        // Enough distinct tokens that the vocabulary spans several blocks.
        for i in 0..300 {
            let body = format!("w{i}x uno{} dos", i % 7);
            let r = rec(
                Kind::Note,
                &[("title", &format!("Nota {i}")), ("body", &body)],
            );
            records.push((Id::new(Kind::Note), r));
        }
        // Slot → id, as the vault's `Entries` hands them out (never reused).
        let mut slots: Vec<Id> = Vec::new();
        fn slot(slots: &mut Vec<Id>, id: &Id) -> u32 {
            match slots.iter().position(|s| s == id) {
                Some(s) => s as u32,
                None => {
                    slots.push(id.clone());
                    (slots.len() - 1) as u32
                }
            }
        }
        let mut index = Index::default();
        for (id, r) in &records {
            index.put(
                slot(&mut slots, id),
                id,
                r,
                Prepared::new(r, index.hasher()),
            );
        }
        index.finish();
        let queries = [
            "maria",
            "MARÍA",
            "mar",
            "a",
            "ana maria",
            "unidos",
            "san jose",
            "trabajadores",
            "respuesta-rapida",
            "miercoles prensa",
            "zoe",
            "nada",
            "nuevo maria",
            "w1",
            "w29x",
            "w299x",
            "9x uno3",
            "uno3 9x uno3 x",
            "mar maria ar",
            "de trabajadores de",
            "zoe maria",
            "nota 2",
            "   ",
            "n",
            "\n",
            "centro de trabajadores de aurora",
            "Centro de Trabajadores de Aurora",
            "centro de aurora",
            "aurora de",
            "aurora centro",
            "fernandez de",
            "fernandez centro aurora",
            "del de",
            "de del centro",
            "nunez de pena",
            "núñez peña aurora",
            "pena trabajadores",
            "ana aurora de",
            "delia de",
            "delia unidos",
            "trabajadores aurora centro",
            "diaz de-centro aurora",
            "conferencia de prensa",
            "de prensa unidos",
            "maria de",
            "jose san",
        ];
        let check = |index: &Index, records: &[(Id, Record)], slots: &[Id]| {
            for q in queries {
                // Every word found in the vocabulary, every word after the
                // first checked in the candidates' text, and the default.
                for per_word in [0, usize::MAX, CHECK_PER_WORD] {
                    let found: Vec<&Id> = index
                        .search_checking(q, per_word)
                        .into_iter()
                        .map(|s| &slots[s as usize])
                        .collect();
                    assert_eq!(found, scan(records, q), "{q:?} {per_word}");
                }
            }
            for kind in Kind::ALL {
                let listed: Vec<&Id> = index.in_order(kind).map(|s| &slots[s as usize]).collect();
                let mut expected: Vec<&Id> = records
                    .iter()
                    .filter(|(id, _)| id.kind() == kind)
                    .map(|(id, _)| id)
                    .collect();
                expected.sort_by_key(|id| (index.sort_key(id).to_string(), (*id).clone()));
                assert_eq!(listed, expected, "{kind:?}");
            }
        };
        check(&index, &records, &slots);
        // Laid out for a snapshot and read back, it finds the same, and the
        // changes below are made to the one read back (as after an unlock
        // from a snapshot).
        let restored = |index: &Index, slots: &[Id]| {
            let mut out = Out::default();
            index.save(&mut out);
            let mut input = In(&out.kept);
            let ids: Vec<&Id> = slots.iter().collect();
            let back = Index::restore(&mut input, &ids).expect("it reads back");
            assert!(input.0.is_empty(), "all of it read");
            back
        };
        let mut index = restored(&index, &slots);
        check(&index, &records, &slots);

        // The same records filed in shards on threads, as unlocking does
        // (several batches, three shards), find the same.
        let mut sharded = Index::default();
        std::thread::scope(|scope| {
            let filing = Filing::start(scope, &sharded, 3);
            for part in records.chunks(50) {
                let mut filed = Vec::new();
                for (id, r) in part {
                    let s = slot(&mut slots, id);
                    let p = Prepared::new(r, sharded.hasher());
                    filed.extend(sharded.put_later(s, id, r, p).map(|t| (s, t)));
                }
                filing.send(filed);
            }
            sharded.merge(filing.finish());
        });
        sharded.finish();
        check(&sharded, &records, &slots);
        check(&restored(&sharded, &slots), &records, &slots);

        // Changes: rename an organization, edit and delete people, add more.
        let renamed = rec(Kind::Org, &[("name", "Worker Center North")]);
        index.remove(&records[0].0, &records[0].1);
        let p = Prepared::new(&renamed, index.hasher());
        index.put(slot(&mut slots, &records[0].0), &records[0].0, &renamed, p);
        records[0].1 = renamed;
        let (gone_id, gone) = records.remove(4);
        index.remove(&gone_id, &gone);
        let edited = rec(Kind::Person, &[("name", "María del Mar")]);
        let p = Prepared::new(&edited, index.hasher());
        index.replace(
            slot(&mut slots, &records[5].0),
            &records[5].0,
            &records[5].1,
            &edited,
            p,
        );
        records[5].1 = edited;
        // Same title, other tag: keeps its place.
        let mut retagged = records[3].1.clone();
        retagged.set("tag", "nuevo", crate::model::today()).unwrap();
        let p = Prepared::new(&retagged, index.hasher());
        index.replace(
            slot(&mut slots, &records[3].0),
            &records[3].0,
            &records[3].1,
            &retagged,
            p,
        );
        records[3].1 = retagged;
        for name in ["Aaron", "Zacarías", "Mar"] {
            let r = rec(Kind::Person, &[("name", name)]);
            let id = Id::new(Kind::Person);
            let p = Prepared::new(&r, index.hasher());
            index.put(slot(&mut slots, &id), &id, &r, p);
            records.push((id, r));
        }
        index.finish();
        check(&index, &records, &slots);
        check(&restored(&index, &slots), &records, &slots);

        // An organization deleted: its members are no longer found by its
        // name, in the vocabulary or in their own text.
        let (org_id, org) = records.remove(1);
        assert_eq!(org.title(), "Iglesia San José");
        index.remove(&org_id, &org);
        index.finish();
        check(&index, &records, &slots);
        let index = restored(&index, &slots);
        check(&index, &records, &slots);
        assert_eq!(index.search("north").len(), 3, "the org and two members");
    }
}
