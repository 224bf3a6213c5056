//! The snapshot: what unlock would otherwise open every record to learn
//! (the search index and list order, which slots hold live records and
//! people held back from exports, the keyed hash of each record's JSON,
//! which records do not open), kept in one sealed file in the store folder
//! so that an unlock after a clean lock opens no record at all.
//!
//! It is written when the vault is locked, if the records changed since it
//! was read or written (or the unlock had to open every record); compressed
//! with zstd and sealed under the data key (its own associated data, naming
//! the vault), written atomically. It names the manifest's records hash and
//! count it was made from: unlock still reads every stored value and computes
//! its keyed hash (the manifest check is unchanged), and uses the snapshot
//! only when it was made from exactly those values. Otherwise (missing,
//! damaged, from before a crash, put back from earlier, under another key)
//! it is ignored and every record opened, as if there were none: what the
//! vault shows never depends on it. A re-key writes a fresh store without
//! one (the next lock writes it); the panic wipe shreds it.

use super::*;
use crypto::{Digest, SEALED_HEAD};
use std::collections::HashSet;
use zeroize::Zeroize;

/// Its name in the store folder.
pub(super) const FILE: &str = "snapshot";
/// The first bytes of the plaintext: the layout's version.
const MAGIC: &[u8] = b"aqui/snapshot/4\n";
/// zstd level: the snapshot is written at every lock after a change, so
/// speed over the last few percent.
const LEVEL: i32 = 1;
/// More than any snapshot holds (about 30 MB at 100,000 people): a longer
/// length is damage.
const MAX_PLAIN: u64 = 1 << 31;
/// The same for the sealed file (about 6 MB at 100,000 people).
const MAX_SEALED: u64 = 1 << 30;
/// About what the sealed file takes per slot (56 bytes at 100,000 people,
/// 16 of them the keyed hash of the record's JSON), to size its buffer.
const PER_SLOT: usize = 64;

/// The code that decides what a snapshot holds: how records are folded and
/// tokenized, titled and ordered, who is held back from exports, and how
/// the snapshot is laid out. A snapshot made by a build whose sources
/// differed in anything is not used (the first unlock after an update opens
/// every record), so a fix there never meets an index or a flag made
/// without it. A hash of every file under `src/`, taken by `build.rs`: a
/// list of files kept by hand here once missed the held-back rule.
const CODE: &str = env!("AQUI_SOURCE_HASH");

/// Binds a snapshot to its vault, to what it is, and to the code that made
/// it (see `CODE`).
fn aad(header: &Header) -> Vec<u8> {
    format!(
        "aqui/snapshot/{}/{}/{FORMAT}/{CODE}",
        header.vault_id,
        env!("CARGO_PKG_VERSION")
    )
    .into_bytes()
}

/// Bytes being laid out: unsigned LEB128 numbers, strings with their
/// length. For a snapshot they go through zstd as they come, a piece at a
/// time (`compressing`), so the whole plaintext is never in memory;
/// `Out::default()` keeps them all, in `kept` (for tests).
#[derive(Default)]
pub(super) struct Out {
    pub(super) kept: Zeroizing<Vec<u8>>,
    zstd: Option<zstd::stream::write::Encoder<'static, Vec<u8>>>,
    /// How many bytes went into `zstd`.
    len: u64,
}

/// How much `Out` holds before handing it to zstd.
const PIECE: usize = 256 * 1024;

impl Out {
    /// Compressing into `sealed`, after what it holds (the room the seal
    /// and the length go in, see `save_snapshot`).
    fn compressing(sealed: Vec<u8>) -> Result<Out, Error> {
        let zstd = zstd::stream::write::Encoder::new(sealed, LEVEL)
            .map_err(|_| Error::Damaged(Damage::Encode))?;
        Ok(Out {
            kept: Zeroizing::new(Vec::with_capacity(PIECE + 4096)),
            zstd: Some(zstd),
            len: 0,
        })
    }

    pub(super) fn bytes(&mut self, b: &[u8]) {
        self.kept.extend_from_slice(b);
        if self.kept.len() >= PIECE {
            self.hand_on();
        }
    }

    pub(super) fn num(&mut self, mut n: u64) {
        let mut b = [0u8; 10];
        let mut i = 0;
        while n >= 0x80 {
            b[i] = n as u8 | 0x80;
            n >>= 7;
            i += 1;
        }
        b[i] = n as u8;
        self.bytes(&b[..=i]);
    }

    pub(super) fn str(&mut self, s: &str) {
        self.num(s.len() as u64);
        self.bytes(s.as_bytes());
    }

    /// Hands what is kept to zstd, if compressing.
    fn hand_on(&mut self) {
        if let Some(zstd) = self.zstd.as_mut() {
            // Writing to a `Vec` fails only if memory runs out, which aborts.
            let _ = std::io::Write::write_all(zstd, &self.kept);
            self.len += self.kept.len() as u64;
            self.kept.zeroize();
            self.kept.clear();
        }
    }

    /// The plaintext's length, and the buffer given to `compressing` with
    /// the zstd frame after what it held.
    fn finish(mut self) -> Result<(u64, Vec<u8>), Error> {
        self.hand_on();
        let zstd = self.zstd.take().ok_or(Error::Damaged(Damage::Encode))?;
        let frame = zstd.finish().map_err(|_| Error::Damaged(Damage::Encode))?;
        Ok((self.len, frame))
    }
}

/// Bytes being read back (see `Out`); `None` once they do not hold together.
pub(super) struct In<'a>(pub(super) &'a [u8]);

impl<'a> In<'a> {
    pub(super) fn num(&mut self) -> Option<u64> {
        let mut n = 0u64;
        for shift in (0..64).step_by(7) {
            let (&b, rest) = self.0.split_first()?;
            self.0 = rest;
            n |= u64::from(b & 0x7f) << shift;
            if b < 0x80 {
                return Some(n);
            }
        }
        None
    }

    pub(super) fn u32(&mut self) -> Option<u32> {
        self.num().and_then(|n| u32::try_from(n).ok())
    }

    /// A count of items each at least one byte long: never more than the
    /// bytes left, so a damaged count cannot make a huge allocation.
    pub(super) fn count(&mut self) -> Option<usize> {
        let n = usize::try_from(self.num()?).ok()?;
        (n <= self.0.len()).then_some(n)
    }

    pub(super) fn bytes(&mut self, n: usize) -> Option<&'a [u8]> {
        let (b, rest) = (self.0.get(..n)?, self.0.get(n..)?);
        self.0 = rest;
        Some(b)
    }

    pub(super) fn str(&mut self) -> Option<&'a str> {
        let n = self.count()?;
        std::str::from_utf8(self.bytes(n)?).ok()
    }
}

/// The records hash and count a snapshot was made from, as the manifest
/// counts them.
pub(super) type Made = (Digest, u64);

/// A snapshot read, opened and laid out in memory, not yet checked against
/// the records read (`Vault::restore` does).
pub(super) struct Snapshot {
    pub(super) made: Made,
    /// Every slot, with its record's id, flags and the keyed hash of its
    /// JSON, but no sealed value yet (`Vault::restore` gives each its own).
    entries: entries::Entries,
    /// The ids of the records that did not open.
    unopened: HashSet<String>,
    index: search::Index,
}

/// The snapshot in `store`, opened and laid out in memory (`decode`);
/// `None` if there is none, it does not open (damaged, or sealed under
/// another key), or its bytes do not hold together. It needs none of the
/// records, so unlock reads it on a thread of its own while they are read.
pub(super) fn read(key: &DataKey, header: &Header, store: &Path) -> Option<Snapshot> {
    // Opened in place: the file's bytes are never in memory twice.
    let mut sealed = Zeroizing::new(read_file(&store.join(FILE))?);
    if !key.open_in_place(&aad(header), &mut sealed) {
        return None;
    }
    let (len, compressed) = sealed.get(SEALED_HEAD..)?.split_first_chunk::<8>()?;
    let len = u64::from_le_bytes(*len);
    if len > MAX_PLAIN {
        return None;
    }
    let plain = Zeroizing::new(zstd::bulk::decompress(compressed, len as usize).ok()?);
    drop(sealed);
    decode(plain)
}

/// What `save_snapshot` laid out, in memory; `None` if it does not hold
/// together (an id twice among the slots included). The slots are made
/// once `plain` is dropped, so the two are not in memory at once.
fn decode(plain: Zeroizing<Vec<u8>>) -> Option<Snapshot> {
    if !plain.starts_with(MAGIC) {
        return None;
    }
    let mut input = In(plain.get(MAGIC.len()..)?);
    let hash: Digest = input.bytes(16)?.try_into().ok()?;
    let count = input.num()?;
    let n = input.count()?;
    let mut slots = Vec::with_capacity(n);
    for _ in 0..n {
        let id = exact_id(input.str()?)?;
        let (live, held) = read_flags(input.bytes(1)?[0])?;
        let plain: Digest = input.bytes(16)?.try_into().ok()?;
        slots.push((id, (live, held), plain));
    }
    let mut unopened = HashSet::new();
    for _ in 0..input.count()? {
        if !unopened.insert(exact_id(input.str()?)?.as_str().to_string()) {
            return None;
        }
    }
    let ids: Vec<&Id> = slots.iter().map(|(id, ..)| id).collect();
    let mut index = search::Index::restore_unfinished(&mut input, &ids)?;
    drop(ids);
    if !input.0.is_empty() {
        return None;
    }
    drop(plain);
    // The index finished (its vocabulary's 3-byte index, about a third of
    // this thread's time) on a thread of its own while the slots are made,
    // for the core the values' reading leaves idle once it is done.
    let (index, entries) = std::thread::scope(|scope| {
        let finished = scope.spawn(move || {
            index.finish();
            index
        });
        let entries = slots_made(slots, &unopened);
        // A panic there (a bug) reads as no snapshot, as one here does.
        (finished.join().ok(), entries)
    });
    let (index, entries) = (index?, entries?);
    Some(Snapshot {
        made: (hash, count),
        entries,
        unopened,
        index,
    })
}

/// The slots of `decode`, each given its id, flags and keyed hash; `None`
/// if an id is there twice or is also among the records that did not open.
fn slots_made(
    slots: Vec<(Id, (bool, Option<bool>), Digest)>,
    unopened: &HashSet<String>,
) -> Option<entries::Entries> {
    let mut entries = entries::Entries::with_capacity(slots.len());
    for (id, flags, plain) in slots {
        if unopened.contains(id.as_str()) {
            return None;
        }
        let slot = entries::Slot::stored(id, flags, sled::IVec::default(), plain);
        if entries.insert(slot).1.is_some() {
            return None;
        }
    }
    Some(entries)
}

/// `name` as an id, if it is one exactly as written.
fn exact_id(name: &str) -> Option<Id> {
    Id::parse(name).filter(|id| id.as_str() == name)
}

/// The file's bytes, if it is a plain file of a size a snapshot can have:
/// not a link, a pipe (which would hang the unlock) or a device (which
/// would never end).
fn read_file(path: &Path) -> Option<Vec<u8>> {
    use std::io::Read;
    let mut open = std::fs::OpenOptions::new();
    open.read(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::custom_flags(&mut open, libc::O_NOFOLLOW | libc::O_NONBLOCK);
    let file = open.open(path).ok()?;
    let meta = file.metadata().ok()?;
    if !meta.is_file() || meta.len() > MAX_SEALED {
        return None;
    }
    let mut sealed = Vec::with_capacity(meta.len() as usize);
    file.take(MAX_SEALED).read_to_end(&mut sealed).ok()?;
    Some(sealed)
}

/// A record as unlock reads it, before it is opened.
pub(super) struct Raw {
    pub(super) id: Id,
    pub(super) sealed: sled::IVec,
    pub(super) digest: Digest,
}

impl Vault {
    /// The records hash and count of what is in memory, as the manifest
    /// counts them (records that did not open included).
    fn made(&self) -> Made {
        let mut hash = Digest::default();
        for d in self.digests.iter().chain(self.damaged_digests.values()) {
            xor(&mut hash, d);
        }
        (
            hash,
            (self.digests.len() + self.damaged_digests.len()) as u64,
        )
    }

    /// Writes the snapshot of what is in memory (see the module's text).
    pub(super) fn save_snapshot(&mut self) -> Result<(), Error> {
        self.index.finish();
        // One buffer from the compressed bytes to the sealed file: room for
        // the seal's head and the plaintext's length, then the zstd frame,
        // sealed in place. Sized for about what a snapshot takes per slot,
        // so that it seldom grows (which would copy it).
        let slots = self.entries.len();
        let mut sealed = Vec::with_capacity(slots.saturating_mul(PER_SLOT) + (64 << 10));
        sealed.resize(SEALED_HEAD + 8, 0);
        let mut out = Out::compressing(sealed)?;
        out.bytes(MAGIC);
        let (hash, count) = self.made();
        out.bytes(&hash);
        out.num(count);
        out.num(slots as u64);
        for ((id, live, held), plain) in self.entries.flags().zip(self.entries.plains()) {
            out.str(id.as_str());
            out.bytes(&[flags(live, held)]);
            out.bytes(plain);
        }
        // Records that did not open: the other damage is found again as the
        // values are read.
        let mut unopened: Vec<&String> = self
            .damaged_digests
            .keys()
            .filter(|name| Id::parse(name).is_some())
            .collect();
        unopened.sort();
        out.num(unopened.len() as u64);
        for name in unopened {
            out.str(name);
        }
        self.index.save(&mut out);
        let (len, mut sealed) = out.finish()?;
        sealed[SEALED_HEAD..SEALED_HEAD + 8].copy_from_slice(&len.to_le_bytes());
        self.key.seal_in_place(&aad(&self.header), &mut sealed);
        store::write_atomic(&self.header.store_dir(&self.dir)?, FILE, &sealed)?;
        self.snapshot_due = false;
        Ok(())
    }

    /// Fills the records and the index from `snapshot` instead of opening
    /// `raw`, the records read (non-record damage is already in `damaged`),
    /// and takes them out of `raw`. Only if the snapshot was made from
    /// exactly these records, each named by it once: `false` (and nothing
    /// changed) otherwise.
    pub(super) fn restore(&mut self, snapshot: Snapshot, raw: &mut Vec<Raw>) -> bool {
        let Snapshot {
            mut entries,
            mut unopened,
            index,
            ..
        } = snapshot;
        // Each record read, to the slot of its id (`NOT_OPENED` for one
        // that did not open): every slot and every record that did not open
        // taken exactly once, else nothing changes.
        const NOT_OPENED: u32 = u32::MAX;
        let mut place = Vec::with_capacity(raw.len());
        let mut used = vec![false; entries.len()];
        for r in raw.iter() {
            match entries.slot(&r.id) {
                Some(s) if !std::mem::replace(&mut used[s as usize], true) => place.push(s),
                None if unopened.remove(r.id.as_str()) => place.push(NOT_OPENED),
                _ => return false,
            }
        }
        if !unopened.is_empty() || used.iter().any(|u| !u) {
            return false;
        }
        // Moved, not copied: a hundred thousand values.
        self.digests = vec![Digest::default(); entries.len()];
        for (r, s) in std::mem::take(raw).into_iter().zip(place) {
            if s == NOT_OPENED {
                self.damaged_digests
                    .insert(r.id.as_str().to_string(), r.digest);
                self.damaged.push(r.id.as_str().to_string());
            } else {
                entries.give_sealed(s, r.sealed);
                self.digests[s as usize] = r.digest;
            }
        }
        self.entries = entries;
        self.index = index;
        true
    }
}

/// A slot's byte: whether it is live (1), a person held back (2), for
/// being sensitive (4).
fn flags(live: bool, held: Option<bool>) -> u8 {
    u8::from(live) | held.map_or(0, |sensitive| 2 | u8::from(sensitive) << 2)
}

/// What `flags` made into a byte; `None` for a byte it cannot make.
fn read_flags(b: u8) -> Option<(bool, Option<bool>)> {
    let (live, held) = (b & 1 == 1, (b & 2 == 2).then_some(b & 4 == 4));
    (flags(live, held) == b).then_some((live, held))
}

#[cfg(test)]
mod tests {
    /// The binding covers every file under `src/` (`build.rs`), the
    /// held-back rule in `model/consent.rs` among them.
    #[test]
    fn the_code_hash_covers_every_source_file() {
        fn count(dir: &std::path::Path) -> usize {
            std::fs::read_dir(dir)
                .unwrap()
                .map(|e| e.unwrap().path())
                .map(|p| if p.is_dir() { count(&p) } else { 1 })
                .sum()
        }
        let src = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
        assert!(src.join("model/consent.rs").is_file());
        assert_eq!(env!("AQUI_SOURCE_FILES"), count(&src).to_string());
        assert_eq!(CODE.len(), 16);
    }

    use super::*;
    use crate::model::Kind;
    use crate::testkit::{pass, rec, vault_at};

    const QUERIES: [&str; 9] = [
        "vidal",
        "maria",
        "centro",
        "de",
        "ana centro",
        "asamblea prensa",
        "zed",
        "ruiz",
        "nada",
    ];

    /// What the vault shows: every id with whether it is live, each kind's
    /// list, search answers, the damage, the counts, and the people held
    /// back from exports.
    type View = (
        Vec<(Id, bool)>,
        Vec<Vec<Id>>,
        Vec<Vec<Id>>,
        Vec<String>,
        BTreeMap<Kind, usize>,
        Vec<(Id, bool)>,
    );

    fn view(v: &Vault) -> View {
        let mut ids: Vec<(Id, bool)> = v.ids().map(|(id, live)| (id.clone(), live)).collect();
        ids.sort();
        let lists = Kind::ALL
            .iter()
            .map(|k| v.list(*k).into_iter().map(|(id, _)| id.clone()).collect())
            .collect();
        let found = QUERIES
            .iter()
            .map(|q| v.search(q).into_iter().cloned().collect())
            .collect();
        let mut held: Vec<(Id, bool)> = v.held_back().map(|(id, s)| (id.clone(), s)).collect();
        held.sort();
        (ids, lists, found, v.damaged().to_vec(), v.counts(), held)
    }

    fn file(dir: &Path) -> PathBuf {
        let header = Header::read(dir).unwrap();
        header.store_dir(dir).unwrap().join(FILE)
    }

    /// A vault of organizations, people (some deleted, some edited) and
    /// notes, locked: the lock writes its snapshot.
    fn vault(dir: &Path) {
        let mut v = vault_at(dir);
        let centro = v
            .add(rec(Kind::Org, &[("name", "Centro de Trabajadores")]))
            .unwrap();
        let mut people = Vec::new();
        for (i, name) in ["Ana Vidal", "María Peña", "Bea Vidal", "Carla Ruiz", "José"]
            .iter()
            .enumerate()
        {
            let mut fields = vec![("name", *name)];
            if i % 2 == 0 {
                fields.push(("org", centro.as_str()));
            }
            // Held back for being sensitive, for no yes to sharing, or not.
            match i {
                0 => fields.push(("sensitive", "yes")),
                4 => fields.push(("share", "yes")),
                _ => {}
            }
            people.push(v.add(rec(Kind::Person, &fields)).unwrap());
        }
        v.add(rec(
            Kind::Note,
            &[("title", "Asamblea"), ("body", "la conferencia de prensa")],
        ))
        .unwrap();
        v.delete(&people[3]).unwrap();
        v.edit(&people[1], &[("name".into(), "María del Centro".into())])
            .unwrap();
        v.edit(&people[4], &[("sensitive".into(), "yes".into())])
            .unwrap();
        assert!(v.snapshot_due);
    }

    /// Unlocks, and says whether the snapshot was used (nothing left to
    /// write) and what the vault shows; locks without writing one.
    fn unlock(dir: &Path) -> (bool, View) {
        let mut v = Vault::unlock(dir, &pass()).unwrap();
        let restored = !v.snapshot_due;
        let shown = view(&v);
        v.snapshot_due = false;
        (restored, shown)
    }

    /// What a full rebuild shows (every record opened).
    fn rebuilt(dir: &Path) -> View {
        let kept = std::fs::read(file(dir)).ok();
        let _ = std::fs::remove_file(file(dir));
        let (restored, shown) = unlock(dir);
        assert!(!restored);
        if let Some(kept) = kept {
            std::fs::write(file(dir), kept).unwrap();
        }
        shown
    }

    /// The keyed hash of each record's JSON kept beside it tells its stored
    /// JSON, and nothing else, whichever way the slot was filled: a write,
    /// an unlock from the snapshot, a full unlock, a re-key.
    #[test]
    fn every_slot_knows_its_json_by_its_keyed_hash() {
        let tmp = tempfile::TempDir::new().unwrap();
        let dir = tmp.path().join("vault");
        let holds = |v: &Vault| {
            let ids: Vec<Id> = v.ids().map(|(id, _)| id.clone()).collect();
            assert!(ids.len() > 5);
            for id in &ids {
                let json = v.entry_json(id).unwrap();
                let (head, tail) = json.split_at(json.len() / 2);
                assert!(v.holds_json(id, &[&json]) && v.holds_json(id, &[head, tail]));
                let mut other = json.to_vec();
                other.insert(1, b' ');
                assert!(!v.holds_json(id, &[&other]));
                assert!(!v.holds_json(&Id::new(id.kind()), &[&json]));
            }
        };
        vault(&dir);
        let mut v = Vault::unlock(&dir, &pass()).unwrap();
        assert!(!v.snapshot_due, "from the snapshot");
        holds(&v);
        v.add(rec(Kind::Org, &[("name", "Nueva")])).unwrap();
        holds(&v);
        v.change_passphrase(&pass(), crate::testkit::fast_kdf())
            .unwrap();
        holds(&v);
        drop(v);
        let _ = std::fs::remove_file(file(&dir));
        let v = Vault::unlock(&dir, &pass()).unwrap();
        assert!(v.snapshot_due, "every record opened");
        holds(&v);
    }

    #[test]
    fn an_unlock_after_a_clean_lock_opens_no_record_and_shows_the_same() {
        let tmp = tempfile::TempDir::new().unwrap();
        let dir = tmp.path().join("vault");
        vault(&dir);
        assert!(file(&dir).exists(), "the lock wrote a snapshot");
        let v = Vault::unlock(&dir, &pass()).unwrap();
        assert!(!v.snapshot_due, "made from these records: used");
        assert_eq!(v.entries.opened(), 0);
        let shown = view(&v);
        drop(v);
        assert_eq!(shown, rebuilt(&dir));
        let sensitive = shown.5.iter().filter(|(_, sensitive)| *sensitive).count();
        assert_eq!(
            (shown.5.len(), sensitive),
            (4, 2),
            "all but one deleted and one sharing"
        );
        assert_eq!(shown.2[0].len(), 2, "two Vidal");
        assert_eq!(
            shown.2[2].len(),
            5,
            "the org, three members, María del Centro"
        );

        // Writes after an unlock from the snapshot keep the index right,
        // and the next lock writes one that fits them.
        let mut v = Vault::unlock(&dir, &pass()).unwrap();
        v.add(rec(Kind::Person, &[("name", "Zed Vidal")])).unwrap();
        let shown = view(&v);
        drop(v);
        let (restored, again) = unlock(&dir);
        assert!(restored);
        assert_eq!(again, shown);
        assert_eq!(again, rebuilt(&dir));
    }

    #[test]
    fn a_stale_damaged_missing_rolled_back_or_foreign_snapshot_is_not_used() {
        let tmp = tempfile::TempDir::new().unwrap();
        let dir = tmp.path().join("vault");
        vault(&dir);
        let first = std::fs::read(file(&dir)).unwrap();

        // Stale: a write, then a crash before the lock wrote a new one.
        let mut v = Vault::unlock(&dir, &pass()).unwrap();
        let zed = v.add(rec(Kind::Person, &[("name", "Zed Ruiz")])).unwrap();
        v.snapshot_due = false;
        drop(v);
        assert_eq!(std::fs::read(file(&dir)).unwrap(), first);
        let (restored, shown) = unlock(&dir);
        assert!(!restored, "stale");
        assert_eq!(shown, rebuilt(&dir));
        assert_eq!(shown.2[6].len(), 1, "Zed found");

        // Rolled back: an older snapshot copied over the newer one.
        let mut v = Vault::unlock(&dir, &pass()).unwrap();
        v.delete(&zed).unwrap();
        drop(v);
        assert_ne!(std::fs::read(file(&dir)).unwrap(), first);
        std::fs::write(file(&dir), &first).unwrap();
        let (restored, shown) = unlock(&dir);
        assert!(!restored, "rolled back");
        assert_eq!(shown, rebuilt(&dir));
        assert!(shown.2[6].is_empty(), "Zed deleted");

        // Damaged: bytes flipped anywhere, or cut short.
        drop(Vault::unlock(&dir, &pass()).unwrap());
        let good = std::fs::read(file(&dir)).unwrap();
        for at in [0, 1, 30, good.len() / 2, good.len() - 1] {
            let mut bad = good.clone();
            bad[at] ^= 0x20;
            std::fs::write(file(&dir), &bad).unwrap();
            let (restored, shown) = unlock(&dir);
            assert!(!restored, "flipped at {at}");
            assert_eq!(shown, rebuilt(&dir));
        }
        std::fs::write(file(&dir), &good[..good.len() / 2]).unwrap();
        assert!(!unlock(&dir).0, "cut short");

        // Missing.
        std::fs::remove_file(file(&dir)).unwrap();
        let (restored, shown) = unlock(&dir);
        assert!(!restored, "missing");
        assert_eq!(shown, rebuilt(&dir));

        // Sealed under another key: a re-key writes a fresh store, and the
        // old store's snapshot put in it opens nothing.
        std::fs::write(file(&dir), &good).unwrap();
        let mut v = Vault::unlock(&dir, &pass()).unwrap();
        assert!(!v.snapshot_due);
        v.rekey(&pass()).unwrap();
        assert!(!file(&dir).exists(), "a fresh store has none");
        v.snapshot_due = false;
        drop(v);
        std::fs::write(file(&dir), &good).unwrap();
        let (restored, shown) = unlock(&dir);
        assert!(!restored, "another key");
        assert_eq!(shown, rebuilt(&dir));
        // And the lock after the re-key writes one that fits.
        drop(Vault::unlock(&dir, &pass()).unwrap());
        assert!(unlock(&dir).0);
    }

    #[test]
    fn the_panic_wipe_leaves_no_snapshot() {
        let tmp = tempfile::TempDir::new().unwrap();
        let dir = tmp.path().join("vault");
        vault(&dir);
        let v = Vault::unlock(&dir, &pass()).unwrap();
        v.destroy().unwrap();
        assert!(!dir.exists());
    }

    /// A change stopped halfway through memory (a panic, caught by the CLI
    /// or left behind in the app's poisoned lock): memory no longer matches
    /// the store, so no snapshot of it is written, whether the vault is
    /// dropped during the unwinding or later.
    #[test]
    fn memory_a_panic_left_halfway_is_never_saved() {
        let tmp = tempfile::TempDir::new().unwrap();
        let dir = tmp.path().join("vault");
        vault(&dir);
        let clean = std::fs::read(file(&dir)).unwrap();
        let tear = |v: &mut Vault| {
            let (id, record) = v
                .list(Kind::Person)
                .first()
                .map(|(id, r)| ((*id).clone(), (*r).clone()))
                .unwrap();
            v.index.remove(&id, &record);
            v.index.finish();
            v.snapshot_due = true;
        };
        // Dropped while the panic unwinds.
        let v = Vault::unlock(&dir, &pass()).unwrap();
        let caught = std::panic::catch_unwind(AssertUnwindSafe(move || {
            let mut v = v;
            tear(&mut v);
            panic!("a bug in the middle of a change");
        }));
        assert!(caught.is_err());
        assert_eq!(std::fs::read(file(&dir)).unwrap(), clean, "not rewritten");
        // Kept after the panic and locked later, as the app does.
        let mut v = Vault::unlock(&dir, &pass()).unwrap();
        tear(&mut v);
        v.memory_torn = true;
        drop(v);
        assert_eq!(std::fs::read(file(&dir)).unwrap(), clean, "not rewritten");
        let (restored, shown) = unlock(&dir);
        assert!(restored);
        assert_eq!(shown, rebuilt(&dir));
    }

    #[cfg(unix)]
    #[test]
    fn a_link_where_the_snapshot_is_written_is_not_followed() {
        let tmp = tempfile::TempDir::new().unwrap();
        let dir = tmp.path().join("vault");
        vault(&dir);
        let theirs = tmp.path().join("theirs.txt");
        std::fs::write(&theirs, b"someone else's file").unwrap();
        let mut v = Vault::unlock(&dir, &pass()).unwrap();
        v.add(rec(Kind::Person, &[("name", "Xavi")])).unwrap();
        let store = file(&dir).with_file_name(format!("{FILE}.tmp"));
        std::os::unix::fs::symlink(&theirs, store).unwrap();
        drop(v);
        assert_eq!(std::fs::read(&theirs).unwrap(), b"someone else's file");
        let (restored, shown) = unlock(&dir);
        assert!(restored, "written in its own place");
        assert_eq!(shown, rebuilt(&dir));
    }

    /// A pipe or a link under the snapshot's name is not read (a pipe
    /// would hang the unlock, `/dev/zero` would fill memory): every record
    /// is opened instead.
    #[cfg(unix)]
    #[test]
    fn a_pipe_or_a_link_named_snapshot_is_not_read() {
        use std::os::unix::ffi::OsStrExt;
        let tmp = tempfile::TempDir::new().unwrap();
        let dir = tmp.path().join("vault");
        vault(&dir);
        let expected = rebuilt(&dir);
        let f = file(&dir);
        std::fs::remove_file(&f).unwrap();
        let c = std::ffi::CString::new(f.as_os_str().as_bytes()).unwrap();
        // SAFETY: a valid C string; mkfifo only makes the pipe.
        assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o600) }, 0);
        let (tx, rx) = std::sync::mpsc::channel();
        let d = dir.clone();
        std::thread::spawn(move || {
            let _ = tx.send(unlock(&d));
        });
        let got = rx.recv_timeout(std::time::Duration::from_secs(60));
        if got.is_err() {
            // Let the stuck reader go before failing.
            let _ = std::fs::OpenOptions::new().write(true).open(&f);
        }
        let (restored, shown) = got.expect("the unlock did not wait on the pipe");
        assert!(!restored);
        assert_eq!(shown, expected);
        std::fs::remove_file(&f).unwrap();
        std::os::unix::fs::symlink("/dev/zero", &f).unwrap();
        let (restored, shown) = unlock(&dir);
        assert!(!restored);
        assert_eq!(shown, expected);
    }
}
