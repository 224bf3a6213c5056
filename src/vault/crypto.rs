//! Keys and sealing: the only code that touches key material.
//!
//! A passphrase is stretched with Argon2id into a key-encryption key that
//! unwraps a random 256-bit data key; records are sealed under the data key
//! with XChaCha20-Poly1305, bound to their tree and id as associated data, so a
//! sealed value moved to another id (or altered) fails to open.

use super::{Damage, Error};
use argon2::{Algorithm, Argon2, Params, Version};
use chacha20poly1305::aead::{Aead, AeadInPlace, KeyInit, Payload};
use chacha20poly1305::{XChaCha20Poly1305, XNonce};
use hmac::{Hmac, Mac};
use rand::RngCore;
use serde::{Deserialize, Serialize};
use sha2::Sha256;
use std::cell::RefCell;
use std::sync::LazyLock;
use zeroize::{Zeroize, Zeroizing};
use zstd::bulk::{Compressor, Decompressor};
use zstd::dict::{DecoderDictionary, EncoderDictionary};

const NONCE_LEN: usize = 24;
/// The bytes before the plaintext of a value sealed in place: the version
/// and the nonce (see `DataKey::seal_in_place`).
pub const SEALED_HEAD: usize = 1 + NONCE_LEN;
/// Poly1305's tag, after the ciphertext.
const TAG_LEN: usize = 16;
const KEY_LEN: usize = 32;
/// The version byte in front of every sealed value. 1 = nonce ‖ AEAD(plain):
/// the wrapped data key, and records written before version 2.
pub const SEALED_V1: u8 = 1;
/// 2 = nonce ‖ AEAD(length ‖ LZ4(JSON)), for records: the JSON compressed
/// against `RECORD_DICT`, its length as 4 bytes little-endian in front, the
/// version byte added to the associated data.
pub const SEALED_V2: u8 = 2;
/// 3 = nonce ‖ AEAD(length ‖ zstd(JSON)), for records (format 5): as version
/// 2, but one zstd frame (level 3 then, no checksum or content size:
/// the AEAD and the length cover them) against the same `RECORD_DICT`, read
/// by zstd as raw content. About a fifth smaller than version 2: zstd's
/// entropy coding shrinks the names, numbers and ids LZ4 can only copy.
pub const SEALED_V3: u8 = 3;
/// 4 = as version 3, against `RECORD_DICT_V4` instead (format 6): a zstd
/// dictionary with entropy tables, so a record's frame reuses them instead
/// of carrying and building its own. About a fifth smaller than version 3,
/// and about half the time to compress and to decompress (README, "Disk").
pub const SEALED_V4: u8 = 4;
/// The level records are compressed at when sealed: zstd's fastest. On
/// the benchmark's records, against `RECORD_DICT_V4`, 0.344 of the JSON in
/// about two thirds of level 3's time (0.334), and level 2 0.358; levels 6
/// to 19 saved 1 to 2% more and cost 1.5 to 14 times the time (README,
/// "Disk", "Export and import"). Neither the format nor decompression
/// depends on it.
const ZSTD_LEVEL: i32 = 1;
/// What records are compressed against: the keys and common values of every
/// kind of record, which a single record of a few hundred bytes cannot find
/// in itself. Part of formats 2 to 5 (LZ4 in sealed version 2, zstd in 3) —
/// changing it makes those records unreadable.
const RECORD_DICT: &[u8] = include_bytes!("record_dict.txt");
/// Sealed version 4's dictionary (zstd's format: entropy tables, then
/// content), derived from files in this folder by `derive_record_dict_v4`
/// (a test checks it still is): its content is `RECORD_DICT` followed by
/// `record_dict_v4.txt` (the fields records have gained since), its tables
/// measured on `record_dict_samples.jsonl` (the sample chapter's records).
/// Part of format 6: changing it makes those records unreadable.
const RECORD_DICT_V4: &[u8] = include_bytes!("record_dict_v4.zstd");
/// No record's JSON comes near this (the largest, a pledge drive with
/// 100,000 signers, is about 3 MB); a longer length is damage.
const MAX_RECORD: usize = 64 << 20;

/// A passphrase as typed. Zeroized on drop; never printed.
pub struct Passphrase(Zeroizing<String>);

impl Passphrase {
    pub fn new(s: String) -> Passphrase {
        Passphrase(Zeroizing::new(s))
    }
    pub fn expose(&self) -> &str {
        &self.0
    }
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The rule for a passphrase about to protect something (a new vault, a
    /// changed or restored one, a handoff or backup file), the same in the
    /// app and the CLI: at least [`Passphrase::MIN`] characters, or
    /// `Error::PassShort`. Existing passphrases are never checked by it.
    pub fn check_new(&self) -> Result<(), Error> {
        if self.0.chars().count() < Self::MIN {
            return Err(Error::PassShort);
        }
        Ok(())
    }

    /// Whether a passphrase that passes `check_new` is still short enough to
    /// deserve a hint to make it longer (under [`Passphrase::GOOD`] characters).
    pub fn wants_hint(&self) -> bool {
        self.0.chars().count() < Self::GOOD
    }

    /// The fewest characters a new passphrase may have.
    pub const MIN: usize = 8;
    /// From this many characters a new passphrase gets no hint.
    pub const GOOD: usize = 12;
}

impl std::fmt::Debug for Passphrase {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Passphrase(…)")
    }
}

/// Argon2id cost, stored in the vault header so it can be raised later.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct KdfParams {
    pub m_kib: u32,
    pub t: u32,
    pub p: u32,
}

impl Default for KdfParams {
    /// 64 MiB, 3 passes, 1 lane: about a quarter second on a modest laptop.
    fn default() -> KdfParams {
        KdfParams {
            m_kib: 64 * 1024,
            t: 3,
            p: 1,
        }
    }
}

impl KdfParams {
    /// Bounds a header's parameters, so a tampered header can neither make
    /// the KDF trivial nor make unlock eat all memory.
    fn check(&self) -> Result<Params, Error> {
        let sane = (8 * 1024..=4 * 1024 * 1024).contains(&self.m_kib)
            && (1..=64).contains(&self.t)
            && (1..=16).contains(&self.p);
        if !sane {
            return Err(Error::Damaged(Damage::KeyParams));
        }
        Params::new(self.m_kib, self.t, self.p, Some(KEY_LEN))
            .map_err(|_| Error::Damaged(Damage::KeyParams))
    }
}

/// The data key every record is sealed under.
///
/// Neither `Clone` nor `Serialize`: there is exactly one copy, inside the
/// unlocked vault, and it is zeroized when the vault is locked or dropped. It
/// leaves memory only wrapped under the passphrase (`WrappedKey`).
pub struct DataKey(Zeroizing<[u8; KEY_LEN]>);

impl DataKey {
    pub fn generate() -> DataKey {
        let mut k = Zeroizing::new([0u8; KEY_LEN]);
        rand::rngs::OsRng.fill_bytes(k.as_mut());
        DataKey(k)
    }

    fn cipher(&self) -> XChaCha20Poly1305 {
        XChaCha20Poly1305::new(self.0.as_ref().into())
    }

    /// A key for keyed hashes, derived from the data key for one `purpose`
    /// (HMAC-SHA256 of the purpose under the data key). It changes whenever
    /// the data key does.
    pub fn derive(&self, purpose: &str) -> HashKey {
        let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(self.0.as_ref())
            .expect("HMAC takes a key of any length");
        mac.update(b"aqui/derive/");
        mac.update(purpose.as_bytes());
        let k = Zeroizing::new(<[u8; KEY_LEN]>::from(mac.finalize().into_bytes()));
        HashKey(
            <Hmac<Sha256> as Mac>::new_from_slice(k.as_ref())
                .expect("HMAC takes a key of any length"),
        )
    }

    /// A record's JSON, compressed and sealed (version 4).
    pub fn seal(&self, aad: &[u8], json: &[u8]) -> Vec<u8> {
        let nonce = nonce();
        // Compressed straight into the value, after its head, and sealed
        // there: one list a record (a list of its own for the compressed
        // bytes, copied and wiped, was a third of sealing's allocations,
        // which its threads wait on each other for). Room for the tag, so
        // it is never moved while it holds the compressed JSON.
        let mut out =
            Vec::with_capacity(SEALED_HEAD + PACKED_HEAD + compress_bound(json) + TAG_LEN);
        out.push(SEALED_V4);
        out.extend_from_slice(&nonce);
        compress_into(json, &mut out);
        // The associated data and the version: on the stack for a record's.
        let mut room = [0u8; 64];
        let long;
        let aad = match room.get_mut(..=aad.len()) {
            Some(with) => {
                with[..aad.len()].copy_from_slice(aad);
                with[aad.len()] = SEALED_V4;
                &*with
            }
            None => {
                long = [aad, &[SEALED_V4]].concat();
                &long
            }
        };
        seal_short(&self.0, &nonce, aad, &mut out, SEALED_HEAD);
        out
    }

    /// Seals `buf` in place as version 1 (no compression: for bytes that
    /// are compressed already, as the snapshot's), so that a large value is
    /// never in memory twice: `buf` starts with `SEALED_HEAD` bytes of room
    /// (the version and nonce go there), the plaintext follows, and the tag
    /// is appended. `open` opens it too.
    pub fn seal_in_place(&self, aad: &[u8], buf: &mut Vec<u8>) {
        let mut nonce = [0u8; NONCE_LEN];
        rand::rngs::OsRng.fill_bytes(&mut nonce);
        buf[0] = SEALED_V1;
        buf[1..SEALED_HEAD].copy_from_slice(&nonce);
        let tag = self
            .cipher()
            .encrypt_in_place_detached(XNonce::from_slice(&nonce), aad, &mut buf[SEALED_HEAD..])
            // Only fails beyond 256 GiB; a snapshot is capped far below.
            .expect("value within AEAD limits");
        buf.extend_from_slice(&tag);
    }

    /// Opens a value of version 1 in place (see `seal_in_place`): `true`
    /// and the plaintext in `buf[SEALED_HEAD..]`, or `false` (altered,
    /// moved, sealed under another key, or not version 1).
    pub fn open_in_place(&self, aad: &[u8], buf: &mut Vec<u8>) -> bool {
        let Some(n) = buf.len().checked_sub(TAG_LEN).filter(|&n| n >= SEALED_HEAD) else {
            return false;
        };
        if buf[0] != SEALED_V1 {
            return false;
        }
        let nonce = *XNonce::from_slice(&buf[1..SEALED_HEAD]);
        let tag = chacha20poly1305::Tag::clone_from_slice(&buf[n..]);
        let opened = self
            .cipher()
            .decrypt_in_place_detached(&nonce, aad, &mut buf[SEALED_HEAD..n], &tag)
            .is_ok();
        buf.truncate(n);
        opened
    }

    /// A record's JSON, from version 1, 2, 3 or 4; `None` if the value was
    /// altered, moved, or sealed under another key, or if what it holds
    /// does not decompress.
    pub fn open(&self, aad: &[u8], sealed: &[u8]) -> Option<Zeroizing<Vec<u8>>> {
        let version = *sealed.first()?;
        if !matches!(version, SEALED_V2..=SEALED_V4) {
            return open_with(&self.cipher(), aad, sealed);
        }
        let mut json = Zeroizing::new(Vec::new());
        self.open_packed(version, aad, sealed, &mut json)
            .then_some(json)
    }

    /// `open`, the JSON appended to `out` (`false`, and `out` as it was, if
    /// it does not open): for passes that copy many records out, with no
    /// allocation per record (see `open_packed`).
    pub fn open_into(&self, aad: &[u8], sealed: &[u8], out: &mut Vec<u8>) -> bool {
        match sealed.first() {
            Some(&version @ SEALED_V2..=SEALED_V4) => self.open_packed(version, aad, sealed, out),
            _ => self.open(aad, sealed).is_some_and(|mut json| {
                out.extend_from_slice(&json);
                crate::harden::wipe(&mut json);
                true
            }),
        }
    }

    /// Opens a value of sealed version 2 to 4, appending its JSON to `out`:
    /// decrypted in this thread's `PACKED` (wiped after each use, so no
    /// allocation per value) and decompressed straight into `out`.
    fn open_packed(&self, version: u8, aad: &[u8], sealed: &[u8], out: &mut Vec<u8>) -> bool {
        let (Some(nonce), Some(rest)) = (sealed.get(1..1 + NONCE_LEN), sealed.get(1 + NONCE_LEN..))
        else {
            return false;
        };
        PACKED.with_borrow_mut(|(aad_v, packed)| {
            aad_v.clear();
            aad_v.extend_from_slice(aad);
            aad_v.push(version);
            packed.extend_from_slice(rest);
            let done = open_short(&self.0, nonce, aad_v, packed)
                .is_some_and(|plain| decompress_into(version, plain, out));
            // Kept for the next value: wiped, not freed (unless large).
            crate::harden::wipe_kept(packed, KEEP_PACKED);
            done
        })
    }
}

/// Most bytes of a decrypted value's buffer kept by a thread between two
/// values (`PACKED`); a larger one is wiped and freed after use.
const KEEP_PACKED: usize = 64 << 10;

thread_local! {
    /// This thread's zstd contexts, made on first use and kept: a context a
    /// record cost more time than compressing it (README, "Disk"). They
    /// hold pieces of the last record they compressed or decompressed, so
    /// they go with the thread, or when the vault locks (`drop_contexts`).
    /// The decompressor is kept with the sealed version whose dictionary it
    /// refers to (a vault's records are all of one, but for a re-key).
    static COMPRESSOR: RefCell<Option<Compressor<'static>>> = const { RefCell::new(None) };
    static DECOMPRESSOR: RefCell<Option<(u8, Decompressor<'static>)>> = const { RefCell::new(None) };
    /// The associated data and the decrypted (still compressed) bytes of
    /// the last value this thread opened: reused, and wiped after each
    /// use (see `open_packed`).
    static PACKED: RefCell<(Vec<u8>, Vec<u8>)> = const { RefCell::new((Vec::new(), Vec::new())) };
}

static ENCODER_DICT: LazyLock<EncoderDictionary<'static>> =
    LazyLock::new(|| EncoderDictionary::copy(RECORD_DICT_V4, ZSTD_LEVEL));
static DECODER_DICT_V3: LazyLock<DecoderDictionary<'static>> =
    LazyLock::new(|| DecoderDictionary::copy(RECORD_DICT));
static DECODER_DICT_V4: LazyLock<DecoderDictionary<'static>> =
    LazyLock::new(|| DecoderDictionary::copy(RECORD_DICT_V4));

/// Nonces a thread draws from the system at once (`nonce`).
const NONCES: usize = 32;

thread_local! {
    /// Random bytes for this thread's next nonces, and how many are used.
    static NONCE_BYTES: RefCell<([u8; NONCE_LEN * NONCES], usize)> =
        const { RefCell::new(([0; NONCE_LEN * NONCES], NONCE_LEN * NONCES)) };
}

/// A fresh random nonce for a record: from the system's generator as
/// before, `NONCES` at a time (one system call each was about 3% of
/// sealing). Each is handed out once, by one thread, and zeroed in the
/// batch as it goes; nonces are written beside the ciphertext anyway. The
/// app never forks a process that seals, which would repeat a batch.
fn nonce() -> [u8; NONCE_LEN] {
    NONCE_BYTES.with_borrow_mut(|(bytes, used)| {
        if *used >= bytes.len() {
            rand::rngs::OsRng.fill_bytes(bytes);
            *used = 0;
        }
        let next = &mut bytes[*used..*used + NONCE_LEN];
        let mut nonce = [0u8; NONCE_LEN];
        nonce.copy_from_slice(next);
        next.fill(0);
        *used += NONCE_LEN;
        nonce
    })
}

/// Frees this thread's zstd contexts (see `COMPRESSOR`).
pub fn drop_contexts() {
    COMPRESSOR.with_borrow_mut(|c| *c = None);
    DECOMPRESSOR.with_borrow_mut(|d| *d = None);
}

/// The length in front of a sealed record's compressed JSON.
const PACKED_HEAD: usize = 4;

/// The most bytes zstd may write for `json` (`compress_into`).
fn compress_bound(json: &[u8]) -> usize {
    zstd::zstd_safe::compress_bound(json.len())
}

/// Appends `json` as sealed version 4 holds it to `out`: its length (4
/// bytes little-endian), then one zstd frame against `RECORD_DICT_V4`,
/// without the dictionary's id (the version says which). Whatever zstd
/// wrote past its frame is zeroed before `out` is cut to it.
fn compress_into(json: &[u8], out: &mut Vec<u8>) {
    let start = out.len();
    out.extend_from_slice(&(json.len() as u32).to_le_bytes());
    out.resize(start + PACKED_HEAD + compress_bound(json), 0);
    let n = COMPRESSOR.with_borrow_mut(|slot| {
        let zstd = slot.get_or_insert_with(|| {
            let mut zstd = Compressor::with_prepared_dictionary(&ENCODER_DICT)
                .expect("zstd allocates a context");
            zstd.include_checksum(false).expect("a frame parameter");
            zstd.include_contentsize(false).expect("a frame parameter");
            zstd.include_dictid(false).expect("a frame parameter");
            zstd
        });
        zstd.compress_to_buffer(json, &mut out[start + PACKED_HEAD..])
            .expect("the output has room for the worst case")
    });
    let end = start + PACKED_HEAD + n;
    let past = &mut out[end..];
    // SAFETY: `past` is `out`'s own bytes after the frame.
    unsafe { crate::harden::wipe_raw(past.as_mut_ptr(), past.len()) };
    out.truncate(end);
}

/// `json` as sealed version 4 holds it (`compress_into`), in a list of
/// its own.
#[cfg(test)]
fn compress(json: &[u8]) -> Vec<u8> {
    let mut packed = Vec::new();
    compress_into(json, &mut packed);
    packed
}

/// Appends the JSON inside an opened version-2, -3 or -4 value to `out`;
/// `false`, and `out` as it was (bytes past its length aside), when the
/// length or the compressed bytes do not hold together.
fn decompress_into(version: u8, packed: &[u8], out: &mut Vec<u8>) -> bool {
    let Some((len, compressed)) = packed.split_first_chunk::<4>() else {
        return false;
    };
    let len = u32::from_le_bytes(*len) as usize;
    if len > MAX_RECORD {
        return false;
    }
    let start = out.len();
    let n = if version == SEALED_V2 {
        out.resize(start + len, 0);
        lz4_flex::block::decompress_into_with_dict(compressed, &mut out[start..], RECORD_DICT).ok()
    } else {
        let dict = if version == SEALED_V3 {
            &DECODER_DICT_V3
        } else {
            &DECODER_DICT_V4
        };
        out.reserve(len);
        // Written after `start`, in the room just reserved (not zeroed
        // first); a frame longer than `len` is refused below.
        let mut tail = std::io::Cursor::new(&mut *out);
        tail.set_position(start as u64);
        DECOMPRESSOR.with_borrow_mut(|slot| {
            match slot {
                Some((v, zstd)) if *v != version => {
                    zstd.set_prepared_dictionary(dict).ok()?;
                    *v = version;
                }
                Some(_) => {}
                None => *slot = Some((version, Decompressor::with_prepared_dictionary(dict).ok()?)),
            }
            slot.as_mut()?
                .1
                .decompress_to_buffer(compressed, &mut tail)
                .ok()
        })
    };
    let whole = n == Some(len) && out.len() == start + len;
    if !whole {
        out.truncate(start);
    }
    whole
}

/// A key for keyed hashes (see `DataKey::derive`): without the data key,
/// nobody can tell what a keyed hash stands for, or forge one.
/// Held keyed (HMAC's inner and outer states after the key), cloned for
/// each hash: setting the key up again for each of 112,000 values at unlock
/// cost two of their SHA-256 blocks each.
pub struct HashKey(Hmac<Sha256>);

impl Drop for HashKey {
    /// The keyed states overwritten by those of a zero key (they hash like
    /// the key itself); `black_box` keeps the stores from being left out.
    fn drop(&mut self) {
        self.0 = <Hmac<Sha256> as Mac>::new_from_slice(&[0; KEY_LEN])
            .expect("HMAC takes a key of any length");
        std::hint::black_box(&mut self.0);
    }
}

/// A keyed hash, cut to 128 bits.
pub type Digest = [u8; 16];

impl HashKey {
    /// The keyed hash of `parts`, each prefixed by its length, so that no two
    /// different lists of parts hash alike.
    pub fn hash(&self, parts: &[&[u8]]) -> Digest {
        let mut mac = self.0.clone();
        for part in parts {
            mac.update(&(part.len() as u64).to_le_bytes());
            mac.update(part);
        }
        let mut out = [0u8; 16];
        out.copy_from_slice(&mac.finalize().into_bytes()[..16]);
        out
    }

    /// `hash(&[domain, whole])`, where `whole` is given in `pieces` that
    /// follow each other (so it need not be copied together first).
    pub fn hash_joined(&self, domain: &[u8], pieces: &[&[u8]]) -> Digest {
        let mut mac = self.0.clone();
        mac.update(&(domain.len() as u64).to_le_bytes());
        mac.update(domain);
        let len: usize = pieces.iter().map(|p| p.len()).sum();
        mac.update(&(len as u64).to_le_bytes());
        for piece in pieces {
            mac.update(piece);
        }
        let mut out = [0u8; 16];
        out.copy_from_slice(&mac.finalize().into_bytes()[..16]);
        out
    }
}

fn seal_with(cipher: &XChaCha20Poly1305, aad: &[u8], plaintext: &[u8]) -> Vec<u8> {
    seal_versioned(cipher, SEALED_V1, aad, plaintext)
}

fn seal_versioned(
    cipher: &XChaCha20Poly1305,
    version: u8,
    aad: &[u8],
    plaintext: &[u8],
) -> Vec<u8> {
    let mut nonce = [0u8; NONCE_LEN];
    rand::rngs::OsRng.fill_bytes(&mut nonce);
    let ct = cipher
        .encrypt(
            XNonce::from_slice(&nonce),
            Payload {
                msg: plaintext,
                aad,
            },
        )
        // Only fails for plaintexts beyond 256 GiB; records are capped far below.
        .expect("record within AEAD limits");
    let mut out = Vec::with_capacity(1 + NONCE_LEN + ct.len());
    out.push(version);
    out.extend_from_slice(&nonce);
    out.extend_from_slice(&ct);
    out
}

/// XChaCha20-Poly1305 under `key` and `nonce` as `ring` does it: the same
/// construction as `XChaCha20Poly1305` (HChaCha20 of the key and the
/// nonce's first 16 bytes gives the subkey, then RFC 8439's
/// ChaCha20-Poly1305 with the nonce's last 8 bytes after four zeros). For
/// records, a few hundred bytes each, where `poly1305`'s AVX2 set-up for
/// each message cost more than the ChaCha20: opening one takes about a
/// fourth of `chacha20poly1305`'s time (README, "Export and import"). A
/// test checks each against `chacha20poly1305`, both ways. `None` for a
/// nonce that is not 24 bytes.
fn xchacha(key: &[u8; KEY_LEN], nonce: &[u8]) -> Option<(RingKey, ring::aead::Nonce)> {
    use chacha20::cipher::consts::U10;
    use ring::aead::Nonce;
    let (Some(head), Some(tail), NONCE_LEN) = (nonce.get(..16), nonce.get(16..), nonce.len())
    else {
        return None;
    };
    let mut subkey = chacha20::hchacha::<U10>(key.into(), head.into());
    let sealing = RingKey::new(&subkey);
    subkey.as_mut_slice().zeroize();
    let mut ietf = [0u8; 12];
    ietf[4..].copy_from_slice(tail);
    let key = sealing?;
    Some((key, Nonce::assume_unique_for_key(ietf)))
}

/// A `ring` ChaCha20-Poly1305 key, wiped when dropped: a record's (its
/// HChaCha20 subkey, as `chacha20poly1305`'s was, rev7) and a handoff
/// file's payload key (`handoff::agefile`). `ring`'s key has no `Drop`
/// and owns no heap memory (it needs no drop, checked as this compiles),
/// so its bytes are overwritten where it lies. Copies that moving it may
/// leave on the stack are not reached.
pub struct RingKey(std::mem::MaybeUninit<ring::aead::LessSafeKey>);

const _: () = assert!(!std::mem::needs_drop::<ring::aead::LessSafeKey>());

impl RingKey {
    /// `None` if `key` is not 32 bytes.
    pub fn new(key: &[u8]) -> Option<RingKey> {
        use ring::aead::{LessSafeKey, UnboundKey, CHACHA20_POLY1305};
        let key = UnboundKey::new(&CHACHA20_POLY1305, key).ok()?;
        Some(RingKey(std::mem::MaybeUninit::new(LessSafeKey::new(key))))
    }
}

impl std::ops::Deref for RingKey {
    type Target = ring::aead::LessSafeKey;
    fn deref(&self) -> &ring::aead::LessSafeKey {
        // SAFETY: made from a key in `new`; wiped only when dropped.
        unsafe { self.0.assume_init_ref() }
    }
}

impl Drop for RingKey {
    /// One `memset` (`harden::wipe_raw`): `zeroize`'s volatile write per
    /// byte, over the 544 bytes of `ring`'s key, was about a tenth of
    /// opening a record for an export (README, "Export and import").
    fn drop(&mut self) {
        // SAFETY: these bytes are this value's own; what they hold needs
        // no drop, and nothing reads them after.
        unsafe {
            crate::harden::wipe_raw(
                self.0.as_mut_ptr().cast::<u8>(),
                std::mem::size_of::<ring::aead::LessSafeKey>(),
            )
        };
    }
}

/// Opens `buf` (ciphertext ‖ tag) in place (see `xchacha`): the
/// plaintext, at the start of `buf`, or `None` if it was altered (then
/// `buf` holds zeros where it was).
fn open_short<'a>(
    key: &[u8; KEY_LEN],
    nonce: &[u8],
    aad: &[u8],
    buf: &'a mut [u8],
) -> Option<&'a mut [u8]> {
    let (key, nonce) = xchacha(key, nonce)?;
    key.open_in_place(nonce, ring::aead::Aad::from(aad), buf)
        .ok()
}

/// Seals `buf[from..]` in place (see `xchacha`) and appends the tag.
fn seal_short(
    key: &[u8; KEY_LEN],
    nonce: &[u8; NONCE_LEN],
    aad: &[u8],
    buf: &mut Vec<u8>,
    from: usize,
) {
    let (key, nonce) = xchacha(key, nonce).expect("a nonce of 24 bytes");
    let tag = key
        .seal_in_place_separate_tag(nonce, ring::aead::Aad::from(aad), &mut buf[from..])
        // Only fails beyond 256 GiB; records are capped far below.
        .expect("record within AEAD limits");
    buf.extend_from_slice(tag.as_ref());
}

fn open_with(cipher: &XChaCha20Poly1305, aad: &[u8], sealed: &[u8]) -> Option<Zeroizing<Vec<u8>>> {
    match sealed.split_first() {
        Some((&SEALED_V1, rest)) if rest.len() >= NONCE_LEN => {
            let (nonce, ct) = rest.split_at(NONCE_LEN);
            cipher
                .decrypt(XNonce::from_slice(nonce), Payload { msg: ct, aad })
                .ok()
                .map(Zeroizing::new)
        }
        _ => None,
    }
}

/// A key-encryption key derived from the passphrase; zeroized on drop.
struct Kek(Zeroizing<[u8; KEY_LEN]>);

impl Kek {
    fn derive(pass: &Passphrase, salt: &[u8], params: KdfParams) -> Result<Kek, Error> {
        let argon = Argon2::new(Algorithm::Argon2id, Version::V0x13, params.check()?);
        let mut k = Zeroizing::new([0u8; KEY_LEN]);
        argon
            .hash_password_into(pass.expose().as_bytes(), salt, k.as_mut())
            .map_err(|_| Error::Damaged(Damage::KeyParams))?;
        Ok(Kek(k))
    }
}

/// The data key sealed under the passphrase, as kept in the header.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct WrappedKey {
    pub kdf: KdfParams,
    #[serde(with = "hex")]
    pub salt: Vec<u8>,
    #[serde(with = "hex")]
    pub sealed: Vec<u8>,
}

impl WrappedKey {
    #[cfg(test)]
    pub fn wrap(
        key: &DataKey,
        pass: &Passphrase,
        kdf: KdfParams,
        aad: &[u8],
    ) -> Result<WrappedKey, Error> {
        let mut w = WrappedKey::fresh(kdf);
        w.seal_key(key, pass, aad)?;
        Ok(w)
    }

    /// A wrapped key with a fresh salt and nothing sealed yet: the header's
    /// associated data covers the salt, so it is chosen before `seal_key`.
    pub fn fresh(kdf: KdfParams) -> WrappedKey {
        let mut salt = vec![0u8; 16];
        rand::rngs::OsRng.fill_bytes(&mut salt);
        WrappedKey {
            kdf,
            salt,
            sealed: Vec::new(),
        }
    }

    /// Seals `key` under `pass` with this salt and cost.
    pub fn seal_key(&mut self, key: &DataKey, pass: &Passphrase, aad: &[u8]) -> Result<(), Error> {
        let kek = Kek::derive(pass, &self.salt, self.kdf)?;
        self.sealed = seal_with(
            &XChaCha20Poly1305::new(kek.0.as_ref().into()),
            aad,
            key.0.as_ref(),
        );
        Ok(())
    }

    /// The data key, or `WrongPassphrase`.
    pub fn unwrap_key(&self, pass: &Passphrase, aad: &[u8]) -> Result<DataKey, Error> {
        let kek = Kek::derive(pass, &self.salt, self.kdf)?;
        let mut plain = open_with(
            &XChaCha20Poly1305::new(kek.0.as_ref().into()),
            aad,
            &self.sealed,
        )
        .ok_or(Error::WrongPassphrase)?;
        if plain.len() != KEY_LEN {
            plain.zeroize();
            return Err(Error::Damaged(Damage::DataKey));
        }
        let mut k = Zeroizing::new([0u8; KEY_LEN]);
        k.copy_from_slice(&plain);
        Ok(DataKey(k))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sealed_records_are_bound_to_their_place() {
        let key = DataKey::generate();
        let sealed = key.seal(b"records/per_1", b"hello");
        assert_eq!(
            key.open(b"records/per_1", &sealed).unwrap().as_slice(),
            b"hello"
        );
        assert!(key.open(b"records/per_2", &sealed).is_none());
        let mut bent = sealed.clone();
        let last = bent.len() - 1;
        bent[last] ^= 1;
        assert!(key.open(b"records/per_1", &bent).is_none());
        assert!(DataKey::generate()
            .open(b"records/per_1", &sealed)
            .is_none());
        // Associated data of every length around the room `seal` keeps on
        // its stack, each bound; and no two nonces alike.
        let mut nonces = std::collections::HashSet::new();
        for n in [0, 62, 63, 64, 65, 200] {
            let aad = vec![b'a'; n];
            let sealed = key.seal(&aad, b"hello");
            assert!(nonces.insert(sealed[1..SEALED_HEAD].to_vec()));
            assert_eq!(key.open(&aad, &sealed).unwrap().as_slice(), b"hello");
            assert!(key.open(&[b'a'; 201][..n + 1], &sealed).is_none());
        }
        for _ in 0..3 * NONCES {
            let sealed = key.seal(b"records/per_1", b"hello");
            assert!(nonces.insert(sealed[1..SEALED_HEAD].to_vec()));
        }
        // The version byte is bound too: relabelled, the value does not open.
        let mut relabelled = sealed.clone();
        relabelled[0] = SEALED_V1;
        assert!(key.open(b"records/per_1", &relabelled).is_none());
    }

    const JSON: &[u8] = br#"{"meta":{"created":"2026-01-01T00:00:00Z"},"record":{"kind":"person","name":"Mar\u00eda","consent_contact":true,"consent_share":true}}"#;

    /// `packed` sealed as `version` would seal it, whatever it holds.
    fn seal_packed(key: &DataKey, version: u8, aad: &[u8], packed: &[u8]) -> Vec<u8> {
        seal_versioned(&key.cipher(), version, &[aad, &[version]].concat(), packed)
    }

    /// A record as sealed version 2 held it: LZ4 against the dictionary.
    fn seal_v2(key: &DataKey, aad: &[u8], json: &[u8]) -> Vec<u8> {
        let mut packed = (json.len() as u32).to_le_bytes().to_vec();
        packed.extend(lz4_flex::block::compress_with_dict(json, RECORD_DICT));
        seal_packed(key, SEALED_V2, aad, &packed)
    }

    /// `json` as sealed version 3 held it: its length, then one zstd frame
    /// (level 3, no checksum or content size) against `RECORD_DICT` as raw
    /// content.
    fn compress_v3(json: &[u8]) -> Vec<u8> {
        let mut z = Compressor::with_dictionary(3, RECORD_DICT).unwrap();
        z.include_checksum(false).unwrap();
        z.include_contentsize(false).unwrap();
        [
            &(json.len() as u32).to_le_bytes()[..],
            &z.compress(json).unwrap(),
        ]
        .concat()
    }

    /// A record as sealed version 3 held it.
    fn seal_v3(key: &DataKey, aad: &[u8], json: &[u8]) -> Vec<u8> {
        seal_packed(key, SEALED_V3, aad, &compress_v3(json))
    }

    /// `RECORD_DICT_V4` made again from what it is derived from: zstd's
    /// `ZDICT_finalizeDictionary` (the C library's dictionary builder, in
    /// tests only) over the content `RECORD_DICT` ‖ `record_dict_v4.txt`,
    /// its entropy tables measured by compressing each line of
    /// `record_dict_samples.jsonl` at level 3 (what records were sealed at
    /// then: part of how it is derived, whatever `ZSTD_LEVEL` is now), with
    /// a fixed id (zstd would pick a random one).
    fn derive_record_dict_v4() -> Vec<u8> {
        use zstd::zstd_safe::zstd_sys;
        let content = [RECORD_DICT, include_bytes!("record_dict_v4.txt")].concat();
        let samples: Vec<&[u8]> = include_bytes!("record_dict_samples.jsonl")
            .split(|&b| b == b'\n')
            .filter(|line| !line.is_empty())
            .collect();
        let flat = samples.concat();
        let sizes: Vec<usize> = samples.iter().map(|s| s.len()).collect();
        let params = zstd_sys::ZDICT_params_t {
            compressionLevel: 3,
            notificationLevel: 0,
            dictID: 0x6171_7634,
        };
        let mut dict = vec![0u8; content.len() + (64 << 10)];
        // SAFETY: every pointer comes with the length of what it points
        // at, and the sizes add up to `flat.len()`.
        let n = unsafe {
            zstd_sys::ZDICT_finalizeDictionary(
                dict.as_mut_ptr().cast(),
                dict.len(),
                content.as_ptr().cast(),
                content.len(),
                flat.as_ptr().cast(),
                sizes.as_ptr(),
                sizes.len() as u32,
                params,
            )
        };
        // SAFETY: a plain function of the returned code.
        assert_eq!(unsafe { zstd_sys::ZDICT_isError(n) }, 0, "zstd: {n}");
        dict.truncate(n);
        // The whole content is in it, after the header.
        assert!(dict.ends_with(&content));
        dict
    }

    #[test]
    fn record_dict_v4_is_derived_from_the_files_beside_it() {
        assert_eq!(
            derive_record_dict_v4(),
            RECORD_DICT_V4,
            "record_dict_v4.zstd is no longer what its sources give: it must not change \
             (records sealed with it would not open); put back the sources, or, with a \
             new zstd that derives it differently, say so here"
        );
    }

    /// Writes `record_dict_v4.zstd`, once, by hand:
    /// `cargo test -p aqui --lib write_record_dict_v4 -- --ignored`.
    #[test]
    #[ignore]
    fn write_record_dict_v4() {
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/src/vault/record_dict_v4.zstd");
        std::fs::write(path, derive_record_dict_v4()).unwrap();
    }

    #[test]
    fn records_are_compressed_and_version_1_still_opens() {
        let key = DataKey::generate();
        let sealed = key.seal(b"aqui/records/per_1", JSON);
        assert_eq!(sealed[0], SEALED_V4);
        assert!(sealed.len() < JSON.len(), "{} bytes", sealed.len());
        assert_eq!(
            key.open(b"aqui/records/per_1", &sealed).unwrap().as_slice(),
            JSON
        );
        let old = seal_with(&key.cipher(), b"aqui/records/per_1", JSON);
        assert_eq!(
            key.open(b"aqui/records/per_1", &old).unwrap().as_slice(),
            JSON
        );
        assert_eq!(key.open(b"x", &[SEALED_V2]), None);
        assert_eq!(key.open(b"x", &[SEALED_V3]), None);
        assert_eq!(key.open(b"x", &[SEALED_V4]), None);
        assert_eq!(key.open(b"x", &[]), None);
        let big = vec![b'a'; 200_000];
        let sealed = key.seal(b"x", &big);
        assert_eq!(key.open(b"x", &sealed).unwrap().as_slice(), &big[..]);
        assert_eq!(
            key.open(b"x", &key.seal(b"x", b"")).unwrap().as_slice(),
            b""
        );
    }

    #[test]
    fn version_3_is_zstd_against_the_dictionary_and_version_2_still_opens() {
        let key = DataKey::generate();
        let aad = b"aqui/records/per_1";
        let sealed = seal_v3(&key, aad, JSON);
        assert_eq!(key.open(aad, &sealed).unwrap().as_slice(), JSON);
        let packed = open_with(&key.cipher(), &[&aad[..], &[SEALED_V3]].concat(), &{
            let mut v1 = sealed.clone();
            v1[0] = SEALED_V1;
            v1
        })
        .unwrap();
        assert_eq!(packed[..4], (JSON.len() as u32).to_le_bytes());
        let frame = &packed[4..];
        let out = zstd::bulk::Decompressor::with_dictionary(RECORD_DICT)
            .unwrap()
            .decompress(frame, JSON.len())
            .unwrap();
        assert_eq!(out, JSON);
        // It leans on the dictionary: without it, it does not decode.
        assert_ne!(
            zstd::bulk::decompress(frame, JSON.len()).ok().as_deref(),
            Some(JSON)
        );
        // Smaller than version 2 held the same record.
        let v2 = seal_v2(&key, aad, JSON);
        assert!(sealed.len() < v2.len(), "{} vs {}", sealed.len(), v2.len());
        // Version 2 still opens, and is bound to its version too.
        assert_eq!(key.open(aad, &v2).unwrap().as_slice(), JSON);
        let mut relabelled = v2.clone();
        relabelled[0] = SEALED_V3;
        assert_eq!(key.open(aad, &relabelled), None);
    }

    #[test]
    fn version_4_is_zstd_against_the_finalized_dictionary_and_version_3_still_opens() {
        let key = DataKey::generate();
        let aad = b"aqui/records/per_1";
        let sealed = key.seal(aad, JSON);
        assert_eq!(sealed[0], SEALED_V4);
        let packed = open_with(&key.cipher(), &[&aad[..], &[SEALED_V4]].concat(), &{
            let mut v1 = sealed.clone();
            v1[0] = SEALED_V1;
            v1
        })
        .unwrap();
        assert_eq!(packed[..4], (JSON.len() as u32).to_le_bytes());
        let frame = &packed[4..];
        let out = Decompressor::with_dictionary(RECORD_DICT_V4)
            .unwrap()
            .decompress(frame, JSON.len())
            .unwrap();
        assert_eq!(out, JSON);
        // It leans on that dictionary: not without one, nor with version 3's.
        for dict in [&b""[..], RECORD_DICT] {
            let mut zstd = Decompressor::with_dictionary(dict).unwrap();
            assert_ne!(
                zstd.decompress(frame, JSON.len()).ok().as_deref(),
                Some(JSON)
            );
        }
        // Smaller than version 3 held the same record (one of today's
        // shape: the tiny one above packs the same in both).
        let person = include_bytes!("../../tests/data/frozen/format3/record.json");
        let (v3, v4) = (seal_v3(&key, aad, person), key.seal(aad, person));
        assert!(v4.len() < v3.len(), "{} vs {}", v4.len(), v3.len());
        let v3 = seal_v3(&key, aad, JSON);
        // Versions 3 and 4 open one after the other on one thread (its
        // decompressor changes dictionary), each bound to its version.
        for _ in 0..2 {
            assert_eq!(key.open(aad, &v3).unwrap().as_slice(), JSON);
            assert_eq!(key.open(aad, &sealed).unwrap().as_slice(), JSON);
        }
        let mut relabelled = v3.clone();
        relabelled[0] = SEALED_V4;
        assert_eq!(key.open(aad, &relabelled), None);
        let mut relabelled = sealed.clone();
        relabelled[0] = SEALED_V3;
        assert_eq!(key.open(aad, &relabelled), None);
    }

    /// Compressed bytes that do not decompress to what their length says,
    /// inside a seal that opens (written by a faulty build, or by someone
    /// holding the key): the record does not open, and nothing panics.
    #[test]
    fn damaged_compressed_bytes_in_a_good_seal_do_not_open() {
        let key = DataKey::generate();
        let aad = b"aqui/records/per_1";
        let good = compress_v3(JSON);
        let len = (JSON.len() as u32).to_le_bytes();
        let cases: Vec<(u8, Vec<u8>)> = vec![
            (SEALED_V3, vec![]),
            (SEALED_V3, len.to_vec()),
            (SEALED_V3, [&len[..], &[0xff; 64]].concat()),
            (SEALED_V3, good[..good.len() - 3].to_vec()),
            (SEALED_V3, [&good[..], b"x"].concat()),
            (
                SEALED_V3,
                [&(JSON.len() as u32 + 1).to_le_bytes()[..], &good[4..]].concat(),
            ),
            (
                SEALED_V3,
                [&(JSON.len() as u32 - 1).to_le_bytes()[..], &good[4..]].concat(),
            ),
            (
                SEALED_V3,
                [&u32::MAX.to_le_bytes()[..], &good[4..]].concat(),
            ),
            (SEALED_V2, [&len[..], &[0xff; 64]].concat()),
            (SEALED_V2, [&u32::MAX.to_le_bytes()[..], &[0; 8]].concat()),
        ];
        for (version, packed) in cases {
            let sealed = seal_packed(&key, version, aad, &packed);
            assert_eq!(key.open(aad, &sealed), None, "{version} {packed:?}");
        }
        // Every byte of the frame bent in turn: never a panic, nor more or
        // less than the length says. (Some bytes, like the window size,
        // do not change what it decodes to; a changed literal decodes to
        // other JSON, which parsing judges.)
        for i in 4..good.len() {
            let mut bent = good.to_vec();
            bent[i] ^= 0x5a;
            let sealed = seal_packed(&key, SEALED_V3, aad, &bent);
            if let Some(json) = key.open(aad, &sealed) {
                assert_eq!(json.len(), JSON.len(), "byte {i}");
            }
        }
    }

    /// The same for version 4: whatever a good seal holds, the record opens
    /// to exactly as many bytes as its length says, or not at all.
    #[test]
    fn damaged_version_4_bytes_in_a_good_seal_do_not_open() {
        let key = DataKey::generate();
        let aad = b"aqui/records/per_1";
        let good = compress(JSON);
        let len = (JSON.len() as u32).to_le_bytes();
        let cases: Vec<Vec<u8>> = vec![
            vec![],
            len.to_vec(),
            [&len[..], &[0xff; 64]].concat(),
            [&len[..], &[0; 64]].concat(),
            good[..good.len() - 3].to_vec(),
            [&good[..], b"x"].concat(),
            [&(JSON.len() as u32 + 1).to_le_bytes()[..], &good[4..]].concat(),
            [&(JSON.len() as u32 - 1).to_le_bytes()[..], &good[4..]].concat(),
            [&u32::MAX.to_le_bytes()[..], &good[4..]].concat(),
        ];
        for packed in cases {
            let sealed = seal_packed(&key, SEALED_V4, aad, &packed);
            assert_eq!(key.open(aad, &sealed), None, "{packed:?}");
        }
        assert_eq!(
            key.open(aad, &seal_packed(&key, SEALED_V4, aad, &good))
                .unwrap()
                .as_slice(),
            JSON
        );
        // Version 3's frame of the same record, read against the other
        // dictionary: not the record.
        let v3 = seal_packed(&key, SEALED_V4, aad, &compress_v3(JSON));
        assert_ne!(key.open(aad, &v3).as_deref().map(Vec::as_slice), Some(JSON));
        // Every byte of the frame bent in turn, and every bit of its first
        // bytes (the header, then the first block's, which refer to the
        // dictionary's tables): never a panic, nor more or less than the
        // length says.
        let mut bents: Vec<(usize, u8)> = (4..good.len()).map(|i| (i, 0x5a)).collect();
        bents.extend((4..12.min(good.len())).flat_map(|i| (0..8).map(move |b| (i, 1 << b))));
        for (i, mask) in bents {
            let mut bent = good.to_vec();
            bent[i] ^= mask;
            let sealed = seal_packed(&key, SEALED_V4, aad, &bent);
            if let Some(json) = key.open(aad, &sealed) {
                assert_eq!(json.len(), JSON.len(), "byte {i} ^ {mask:#x}");
            }
        }
    }

    /// `open_short` (ring) opens what `chacha20poly1305` seals, and
    /// `seal_short` seals the same bytes, of every
    /// length around its block sizes and a few larger, with any associated
    /// data; a value with any bit of its ciphertext, tag, nonce, associated
    /// data or key changed does not open, and leaves no plaintext behind.
    #[test]
    fn open_short_is_xchacha20_poly1305() {
        let mut rng = rand::thread_rng();
        let lengths = (0..=130).chain([255, 256, 257, 1000, 4096, 70_000]);
        for len in lengths {
            let (mut key, mut nonce) = ([0u8; KEY_LEN], [0u8; NONCE_LEN]);
            rng.fill_bytes(&mut key);
            rng.fill_bytes(&mut nonce);
            let mut plain = vec![0u8; len];
            rng.fill_bytes(&mut plain);
            let aad = &plain[..len % 40];
            let cipher = XChaCha20Poly1305::new(&key.into());
            let sealed = cipher
                .encrypt(XNonce::from_slice(&nonce), Payload { msg: &plain, aad })
                .unwrap();
            let mut buf = sealed.clone();
            let opened = open_short(&key, &nonce, aad, &mut buf).map(|p| p.to_vec());
            assert_eq!(opened.as_deref(), Some(&plain[..]), "length {len}");
            // And `seal_short` seals what `chacha20poly1305` does, byte for byte.
            let mut ours = b"head".to_vec();
            ours.extend_from_slice(&plain);
            seal_short(&key, &nonce, aad, &mut ours, 4);
            assert_eq!(ours[4..], sealed[..], "length {len}");
            let bit = |n: usize| 1u8 << (n % 8);
            // One bit changed, in each part in turn.
            let i = (len * 7 + 3) % sealed.len();
            let mut bent = sealed.clone();
            bent[i] ^= bit(len);
            assert!(open_short(&key, &nonce, aad, &mut bent).is_none());
            assert!(bent[..len].iter().all(|&b| b == 0), "length {len}");
            let mut bent_nonce = nonce;
            bent_nonce[len % NONCE_LEN] ^= bit(len);
            assert!(open_short(&key, &bent_nonce, aad, &mut sealed.clone()).is_none());
            let mut bent_key = key;
            bent_key[len % KEY_LEN] ^= bit(len);
            assert!(open_short(&bent_key, &nonce, aad, &mut sealed.clone()).is_none());
            let mut bent_aad = [aad, b"x"].concat();
            assert!(open_short(&key, &nonce, &bent_aad, &mut sealed.clone()).is_none());
            if let Some(b) = bent_aad.first_mut().filter(|_| !aad.is_empty()) {
                *b ^= 1;
                bent_aad.pop();
                assert!(open_short(&key, &nonce, &bent_aad, &mut sealed.clone()).is_none());
            }
            // Cut short, even below the tag's length.
            let cut = sealed.len().saturating_sub(1 + len % 20);
            assert!(open_short(&key, &nonce, aad, &mut sealed[..cut].to_vec()).is_none());
        }
        // A nonce that is not 24 bytes does not open anything.
        assert!(open_short(&[1; KEY_LEN], &[2; 16], b"", &mut [0u8; 32]).is_none());
    }

    /// rev7: the key `xchacha` makes for each record's seal and open
    /// (ring's `LessSafeKey`: the HChaCha20 subkey, which opens that record)
    /// is never wiped: ring's key has no `Drop`, where
    /// `XChaCha20Poly1305` (zeroize) wipes its key and its ChaCha20 state.
    /// It stays in the stack of every thread that opened or sealed a
    /// record, after a lock.
    #[test]
    fn the_key_of_a_record_is_wiped_after_use() {
        fn wiped_on_drop<T>(_: &T) -> bool {
            std::mem::needs_drop::<T>()
        }
        let cipher = XChaCha20Poly1305::new(&[1; KEY_LEN].into());
        assert!(wiped_on_drop(&cipher));
        let (key, _nonce) = xchacha(&[1; KEY_LEN], &[2; NONCE_LEN]).unwrap();
        assert!(wiped_on_drop(&key), "the record's subkey is left in memory");
    }

    #[test]
    fn wrapped_key_needs_the_passphrase() {
        let kdf = crate::testkit::fast_kdf();
        let key = DataKey::generate();
        let w = WrappedKey::wrap(&key, &Passphrase::new("right horse".into()), kdf, b"v").unwrap();
        let back = w
            .unwrap_key(&Passphrase::new("right horse".into()), b"v")
            .unwrap();
        assert_eq!(back.0.as_ref(), key.0.as_ref());
        let wrong = w.unwrap_key(&Passphrase::new("wrong horse".into()), b"v");
        assert!(matches!(wrong, Err(Error::WrongPassphrase)));
    }
}
