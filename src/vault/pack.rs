//! Packs (format 4): many records in one sled value, each still sealed on
//! its own inside it.
//!
//! Responsible for: which pack a record belongs in, and a pack's bytes.
//! Not responsible for: sealing (`crypto`), the manifest, or what a record
//! says.
//!
//! Why: sled 0.34 pays about 700 bytes on disk per key, and time per key at
//! unlock and in every batch; 112,000 keys of a few hundred bytes made the
//! store 1.6 times the raw JSON. Records are packed by the first three hex
//! digits of their random ids, so a kind has at most 4,096 packs (at 100,000
//! people, about 24 people and 8 KB in each), and a pack is known from the
//! id alone: no table to keep.
//!
//! ```text
//! key    p/<kind prefix>_<first 3 hex digits of the id>      (p/per_3fa)
//! value  1 (the pack version), then for each record, in id order:
//!        id length (1 byte) ‖ id ‖ sealed length (4 bytes LE) ‖ sealed value
//! ```
//!
//! Each record is sealed on its own and bound to its id, as before packs, so
//! damaged bytes inside a sealed value lose that record only, and the damage
//! report names it; the manifest's keyed hashes are still one per record.
//! Damage to an id or a length is stepped over by looking for the next place
//! that reads as a record of this pack (an id has 80 random bits: it does
//! not appear by chance): the stretch in between is lost, and reported under
//! the pack's key and its offset.

use crate::model::Id;

/// What every pack's key starts with; no record id does (format 3 and
/// before kept one record per key, under its id).
pub const PREFIX: &[u8] = b"p/";
const VERSION: u8 = 1;
/// How many hex digits of an id name its pack.
const DIGITS: usize = 3;

/// The key of the pack `id` belongs in.
pub fn key(id: &Id) -> Vec<u8> {
    [PREFIX, tag(id.as_str())].concat()
}

/// What names the pack of the id `id`: its kind prefix, `_` and the first
/// `DIGITS` hex digits. Packs' keys are `PREFIX` and this, so they sort as
/// their tags do.
pub(super) fn tag(id: &str) -> &[u8] {
    let end = id
        .find('_')
        .map_or(id.len(), |i| (i + 1 + DIGITS).min(id.len()));
    &id.as_bytes()[..end]
}

pub fn is_pack(key: &[u8]) -> bool {
    key.starts_with(PREFIX)
}

/// What a pack holds, in order.
#[derive(Debug, PartialEq)]
pub enum Part<'a> {
    /// A record's id and its sealed value (still to be opened).
    Record(Id, &'a [u8]),
    /// Bytes that do not read as records of this pack, and where they begin.
    Damaged(usize, &'a [u8]),
}

/// Reads a pack stored under `key`; never fails: what does not read is a
/// `Part::Damaged`.
pub fn parse<'a>(key: &[u8], value: &'a [u8]) -> Vec<Part<'a>> {
    if value.first() != Some(&VERSION) {
        return vec![Part::Damaged(0, value)];
    }
    // What each record's id starts with (the pack's key without `PREFIX`),
    // to find one by: one finder for the whole pack.
    let finder = memchr::memmem::Finder::new(key.get(PREFIX.len()..).unwrap_or_default());
    // Records are a few hundred bytes: room for most packs' at once.
    let mut parts = Vec::with_capacity(value.len() / 256 + 1);
    let mut at = 1;
    while at < value.len() {
        let Some((id, start, len)) = head_at(key, value, at) else {
            // Not a record's start: damaged up to the next one.
            let next = next_head(&finder, key, value, at + 1, value.len()).unwrap_or(value.len());
            parts.push(Part::Damaged(at, &value[at..next]));
            at = next;
            continue;
        };
        // A damaged length may claim more than there is, or the records
        // after it: a record's start inside is where this one really ends.
        let claimed = start.saturating_add(len).min(value.len());
        let end = next_head(&finder, key, value, start, claimed).unwrap_or(claimed);
        parts.push(Part::Record(id, &value[start..end]));
        at = end;
    }
    parts
}

/// The id, the sealed value's start and its length, if a record of this
/// pack starts at `at`.
fn head_at(key: &[u8], value: &[u8], at: usize) -> Option<(Id, usize, usize)> {
    let n = *value.get(at)? as usize;
    let text = std::str::from_utf8(value.get(at + 1..at + 1 + n)?).ok()?;
    // Of this pack, checked before the id is made.
    if key.strip_prefix(PREFIX) != Some(tag(text)) {
        return None;
    }
    let id = Id::parse(text).filter(|id| id.as_str() == text)?;
    let len_at = at + 1 + n;
    let len = u32::from_le_bytes(value.get(len_at..len_at + 4)?.try_into().ok()?) as usize;
    Some((id, len_at + 4, len))
}

/// Where the first record of this pack starting in `from..to` starts: found
/// by the start of its id (`finder`: the pack's key without `PREFIX`), then
/// read.
fn next_head(
    finder: &memchr::memmem::Finder,
    key: &[u8],
    value: &[u8],
    from: usize,
    to: usize,
) -> Option<usize> {
    // A record's id starts one byte after the record (its length byte).
    let hay = value.get(from + 1..to.saturating_add(1).min(value.len()))?;
    let mut off = 0;
    while let Some(i) = finder.find(&hay[off..]) {
        let head = from + off + i;
        if head_at(key, value, head).is_some() {
            return Some(head);
        }
        off += i + 1;
    }
    None
}

/// A pack's records in id order: (id, sealed value).
type Records<'a> = Vec<(&'a Id, &'a [u8])>;

/// A pack's bytes from its records, and where each sealed value starts in
/// them.
fn build(records: &Records) -> (Vec<u8>, Vec<usize>) {
    let size = records
        .iter()
        .map(|(id, v)| 5 + id.as_str().len() + v.len())
        .sum::<usize>();
    let mut out = Vec::with_capacity(1 + size);
    let mut starts = Vec::with_capacity(records.len());
    out.push(VERSION);
    for (id, sealed) in records {
        let id = id.as_str();
        // Ids are a kind prefix and 20 hex digits (`Id::parse`).
        out.push(u8::try_from(id.len()).unwrap_or(u8::MAX));
        out.extend_from_slice(id.as_bytes());
        out.extend_from_slice(&(sealed.len() as u32).to_le_bytes());
        starts.push(out.len());
        out.extend_from_slice(sealed);
    }
    (out, starts)
}

/// The pack `old` (if there is one) with the records in `new` put in or
/// replaced. Damaged stretches of `old` are not carried over (a vault with
/// damage is read-only, so this never meets one).
pub fn update(key: &[u8], old: Option<&[u8]>, new: &[(&Id, &[u8])]) -> Vec<u8> {
    let parts = old.map(|v| parse(key, v)).unwrap_or_default();
    build(&merged(&parts, new)).0
}

/// `update`, as the value to store, and each record's sealed value as a
/// part of it: the same bytes, not a copy (see `vault::entries`).
pub fn update_shared(
    key: &[u8],
    old: Option<&[u8]>,
    new: &[(&Id, &[u8])],
) -> (sled::IVec, Vec<(Id, sled::IVec)>) {
    let parts = old.map(|v| parse(key, v)).unwrap_or_default();
    let records = merged(&parts, new);
    let (value, starts) = build(&records);
    let value = sled::IVec::from(value);
    let shared = records
        .iter()
        .zip(starts)
        .map(|((id, sealed), at)| ((*id).clone(), value.subslice(at, sealed.len())))
        .collect();
    (value, shared)
}

/// The records of `parts` with those of `new` put in or replaced.
/// A later one of the same id replaces an earlier one.
fn merged<'a>(parts: &'a [Part<'a>], new: &[(&'a Id, &'a [u8])]) -> Records<'a> {
    let mut records = Records::with_capacity(parts.len() + new.len());
    let old = parts.iter().filter_map(|p| match p {
        Part::Record(id, sealed) => Some((id, *sealed)),
        Part::Damaged(..) => None,
    });
    for (id, sealed) in old.chain(new.iter().copied()) {
        // A pack's records come in id order: most go at the end.
        if records
            .last()
            .is_none_or(|(last, _)| last.as_str() < id.as_str())
        {
            records.push((id, sealed));
            continue;
        }
        match records.binary_search_by(|(at, _)| at.as_str().cmp(id.as_str())) {
            Ok(i) => records[i].1 = sealed,
            Err(i) => records.insert(i, (id, sealed)),
        }
    }
    records
}

/// A closed vault's records tree as a record at a time, for tests that
/// alter a store the way damage, a rollback or an intruder would.
#[doc(hidden)]
pub mod raw {
    use super::*;

    /// The sealed value of record `id`.
    pub fn get(tree: &sled::Tree, id: &str) -> Option<Vec<u8>> {
        let id = Id::parse(id)?;
        let k = key(&id);
        let pack = tree.get(&k).ok()??;
        parse(&k, &pack).into_iter().find_map(|p| match p {
            Part::Record(i, sealed) if i == id => Some(sealed.to_vec()),
            _ => None,
        })
    }

    /// Puts `sealed` in as record `id`'s value.
    pub fn insert(tree: &sled::Tree, id: &str, sealed: &[u8]) -> sled::Result<()> {
        let Some(id) = Id::parse(id) else {
            return Ok(());
        };
        let k = key(&id);
        let old = tree.get(&k)?;
        tree.insert(&k, update(&k, old.as_deref(), &[(&id, sealed)]))?;
        Ok(())
    }

    /// Takes record `id` out of its pack.
    pub fn remove(tree: &sled::Tree, id: &str) -> sled::Result<()> {
        let Some(id) = Id::parse(id) else {
            return Ok(());
        };
        let k = key(&id);
        let Some(old) = tree.get(&k)? else {
            return Ok(());
        };
        let parts = parse(&k, &old);
        let mut kept = merged(&parts, &[]);
        kept.retain(|(i, _)| **i != id);
        tree.insert(&k, build(&kept).0)?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Kind;

    fn id_in(pack_of: &Id) -> Id {
        loop {
            let id = Id::new(pack_of.kind());
            if key(&id) == key(pack_of) && id != *pack_of {
                return id;
            }
        }
    }

    #[test]
    fn records_are_packed_by_kind_and_first_digits() {
        let id = Id::parse("per_0123456789abcdef0123").unwrap();
        assert_eq!(key(&id), b"p/per_012");
        assert!(is_pack(&key(&id)));
        assert!(!is_pack(id.as_str().as_bytes()));
    }

    #[test]
    fn a_pack_reads_back_and_damage_loses_only_what_it_touches() {
        let a = Id::new(Kind::Person);
        let b = id_in(&a);
        let c = id_in(&a);
        let k = key(&a);
        let (va, vb, vc) = (vec![1u8; 40], vec![2u8; 50], vec![3u8; 60]);
        let pack = update(&k, None, &[(&a, &va), (&b, &vb)]);
        let pack = update(&k, Some(&pack), &[(&c, &vc), (&a, &[9u8; 10])]);
        let parts = parse(&k, &pack);
        assert_eq!(parts.len(), 3);
        assert!(parts.contains(&Part::Record(a.clone(), &[9u8; 10])));
        assert!(parts.contains(&Part::Record(b.clone(), &vb)));
        assert!(parts.contains(&Part::Record(c.clone(), &vc)));
        // Every single byte of framing or value damaged: the other records
        // still read, whole.
        for i in 1..pack.len() {
            let mut bent = pack.clone();
            bent[i] ^= 0x55;
            let parts = parse(&k, &bent);
            let whole = parts
                .iter()
                .filter(|p| {
                    matches!(p, Part::Record(id, v) if
                    (*id == b && *v == &vb[..]) || (*id == c && *v == &vc[..])
                    || (*id == a && *v == &[9u8; 10][..]))
                })
                .count();
            assert!(whole >= 2, "byte {i}: {parts:?}");
        }
        // A pack read under another pack's key holds none of its records.
        let other = key(&Id::new(Kind::Org));
        assert!(parse(&other, &pack)
            .iter()
            .all(|p| matches!(p, Part::Damaged(..))));
        assert_eq!(parse(&k, &[]), vec![Part::Damaged(0, &[][..])]);
    }
}
