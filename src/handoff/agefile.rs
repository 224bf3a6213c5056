//! age v1 files, written here rather than by `age::Encryptor`, so that the
//! payload is sealed by `ring`'s ChaCha20-Poly1305 (about 2.4 times faster
//! than the `chacha20poly1305` that `age`'s `StreamWriter` uses, measured on
//! 64 KiB chunks; see README, *Export and import*). Everything else is
//! `age`'s own: the file key wrapped by each `age::Recipient`, the stanzas
//! written by `age_core`, the HKDF by `age_core::primitives::hkdf`, and the
//! rules mirrored line for line from age 0.11.5 (`protocol.rs`,
//! `format.rs`, `keys.rs`, `primitives/stream.rs`). The files are read by
//! `age::Decryptor` as any other (tests below).
//!
//! And read here too (`decrypt`), for the same reason: `age::Decryptor`
//! parses the header, unwraps the file key and checks the header's MAC
//! under it, as for any file; only the payload is then opened by `ring`,
//! under `age`'s rules for its chunks (`primitives/stream.rs`
//! `StreamReader`), with the file key `age` found.

use crate::vault::RingKey;
use age::{DecryptError, EncryptError};
use age_core::format::{grease_the_joint, is_arbitrary_string, write::age_stanza, FileKey, Stanza};
use age_core::primitives::hkdf;
use age_core::secrecy::ExposeSecret;
use base64::{prelude::BASE64_STANDARD_NO_PAD, Engine};
use hmac::{Hmac, Mac};
use rand::{rngs::OsRng, RngCore};
use ring::aead::{Aad, Nonce};
use sha2::Sha256;
use std::cell::Cell;
use std::io::{self, BufRead, Read, Write};
use zeroize::Zeroizing;

/// age's `scrypt::SCRYPT_RECIPIENT_TAG` (not public there).
const SCRYPT_TAG: &str = "scrypt";
/// age's `format.rs`: `AGE_MAGIC`, `V1_MAGIC` and the newline after them.
const V1_LINE: &[u8] = b"age-encryption.org/v1\n";
/// age's `format.rs` `MAC_TAG`.
const MAC_TAG: &[u8] = b"---";
/// age's `keys.rs` `HEADER_KEY_LABEL` and `PAYLOAD_KEY_LABEL`.
const HEADER_KEY_LABEL: &[u8] = b"header";
const PAYLOAD_KEY_LABEL: &[u8] = b"payload";
/// age's `primitives/stream.rs` `CHUNK_SIZE` and `TAG_SIZE`.
const CHUNK_SIZE: usize = 64 * 1024;
const TAG_SIZE: usize = 16;
/// age's `ENCRYPTED_CHUNK_SIZE`: a whole chunk as it lies in the file.
const SEALED_SIZE: usize = CHUNK_SIZE + TAG_SIZE;
/// age's `protocol.rs` `Nonce`: the payload's, after the header.
const NONCE_SIZE: usize = 16;

/// age's STREAM nonce for chunk `counter` (`primitives/stream.rs`
/// `Nonce`): an 11-byte big-endian counter, then the last-chunk flag.
fn chunk_nonce(counter: u64, last: bool) -> Nonce {
    let mut nonce = [0u8; 12];
    nonce[3..11].copy_from_slice(&counter.to_be_bytes());
    nonce[11] = u8::from(last);
    Nonce::assume_unique_for_key(nonce)
}

/// The header of one age file and its payload's key, ready to write: what
/// `age::Encryptor` holds.
pub struct Encryptor {
    header: Vec<u8>,
    nonce: [u8; NONCE_SIZE],
    payload_key: Zeroizing<[u8; 32]>,
}

impl Encryptor {
    /// age's `Encryptor::with_recipients` (`protocol.rs`), with the same
    /// errors: no recipient, recipients whose labels differ (an `scrypt`
    /// one among others: `MixedRecipientAndPassphrase`), or labels that are
    /// not age strings. Then `HeaderV1::new` (`format.rs`): a grease stanza
    /// unless there is an `scrypt` one, which must be alone, and the MAC.
    pub fn with_recipients<'a>(
        recipients: impl Iterator<Item = &'a dyn age::Recipient>,
    ) -> Result<Encryptor, EncryptError> {
        // `keys.rs` `new_file_key`, but a failing OS generator is an error,
        // not a panic.
        let file_key = FileKey::try_init_with_mut(|k| OsRng.try_fill_bytes(k))
            .map_err(|e| EncryptError::Io(io::Error::other(e)))?;

        let mut control = None;
        let mut stanzas: Vec<Stanza> = Vec::new();
        for recipient in recipients {
            let (mut r_stanzas, r_labels) = recipient.wrap_file_key(&file_key)?;
            if let Some(l_labels) = control.take() {
                if l_labels != r_labels {
                    let scrypt = stanzas
                        .iter()
                        .chain(&r_stanzas)
                        .any(|s| s.tag == SCRYPT_TAG);
                    return Err(match scrypt {
                        true => EncryptError::MixedRecipientAndPassphrase,
                        false => EncryptError::IncompatibleRecipients { l_labels, r_labels },
                    });
                }
                control = Some(l_labels);
            } else if r_labels.iter().all(is_arbitrary_string) {
                control = Some(r_labels);
            } else {
                return Err(EncryptError::InvalidRecipientLabels(r_labels));
            }
            stanzas.append(&mut r_stanzas);
        }
        if control.is_none() {
            return Err(EncryptError::MissingRecipients);
        }

        // `HeaderV1::new`, `no_scrypt` and `is_valid`.
        let scrypt = stanzas.iter().any(|s| s.tag == SCRYPT_TAG);
        if !scrypt {
            stanzas.push(grease_the_joint());
        }
        if scrypt && stanzas.len() != 1 {
            return Err(EncryptError::MixedRecipientAndPassphrase);
        }

        // `write::header_v1_minus_mac`, then its MAC: HMAC-SHA256 keyed by
        // `keys.rs` `mac_key` over everything up to and including "---",
        // then `write::header_v1`: " ", the MAC in base64, "\n".
        let mut header = V1_LINE.to_vec();
        for s in &stanzas {
            cookie_factory::gen_simple(age_stanza(&s.tag, &s.args, &s.body), &mut header)
                .map_err(|e| EncryptError::Io(io::Error::other(e)))?;
        }
        header.extend_from_slice(MAC_TAG);
        let mac_key = Zeroizing::new(hkdf(&[], HEADER_KEY_LABEL, file_key.expose_secret()));
        let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(&mac_key[..])
            .map_err(|e| EncryptError::Io(io::Error::other(e)))?;
        mac.update(&header);
        header.push(b' ');
        header.extend_from_slice(
            BASE64_STANDARD_NO_PAD
                .encode(mac.finalize().into_bytes())
                .as_bytes(),
        );
        header.push(b'\n');

        // `protocol.rs` `Nonce::random` and `keys.rs` `v1_payload_key`.
        let mut nonce = [0; NONCE_SIZE];
        OsRng
            .try_fill_bytes(&mut nonce)
            .map_err(|e| EncryptError::Io(io::Error::other(e)))?;
        let payload_key = Zeroizing::new(hkdf(&nonce, PAYLOAD_KEY_LABEL, file_key.expose_secret()));
        Ok(Encryptor {
            header,
            nonce,
            payload_key,
        })
    }

    /// age's `Encryptor::wrap_output`: the header and the nonce written,
    /// then the payload through the `Writer`, which must be `finish`ed.
    pub fn wrap_output<W: Write>(self, mut out: W) -> io::Result<Writer<W>> {
        out.write_all(&self.header)?;
        out.write_all(&self.nonce)?;
        let mut chunk = Zeroizing::new(Vec::new());
        chunk.reserve_exact(SEALED_SIZE);
        Ok(Writer {
            out,
            key: ring_key(&self.payload_key)?,
            counter: 0,
            chunk,
            failed: false,
        })
    }
}

/// age's `StreamWriter` (`primitives/stream.rs`): the payload in 64 KiB
/// chunks, each sealed under the nonce of an 11-byte big-endian counter
/// and a last-chunk flag. A chunk is sealed only once a byte after it
/// arrives, so the last one may be full, and is empty only when the whole
/// payload is. The plaintext is sealed where it lies; what is left of it
/// when the writer is dropped unfinished is wiped.
pub struct Writer<W: Write> {
    out: W,
    key: RingKey,
    /// The next chunk's number.
    counter: u64,
    /// The chunk being filled (room for its tag too).
    chunk: Zeroizing<Vec<u8>>,
    /// A chunk was begun and not written: the file is broken, so every
    /// later `write` and `finish` fails (a `finish` that succeeded would
    /// hand back a file that looks whole and does not decrypt).
    failed: bool,
}

impl<W: Write> Writer<W> {
    /// Seals and writes the last chunk; the writer beneath is handed back.
    /// Without it the file is cut short and does not decrypt.
    pub fn finish(mut self) -> io::Result<W> {
        self.seal(true)?;
        Ok(self.out)
    }

    /// age's `Stream::encrypt_chunk`, sealed in place by `ring`, then the
    /// chunk written and emptied.
    fn seal(&mut self, last: bool) -> io::Result<()> {
        self.usable()?;
        self.failed = true;
        let nonce = chunk_nonce(self.counter, last);
        // age's `increment_counter` (it panics past 11 bytes; this stops
        // past 8, as far out of reach: 2^64 chunks of 64 KiB).
        self.counter = self
            .counter
            .checked_add(1)
            .ok_or_else(|| io::Error::other("age payload counter overflow"))?;
        let tag = self
            .key
            .seal_in_place_separate_tag(nonce, Aad::empty(), &mut self.chunk[..])
            .map_err(|_| io::Error::other("age chunk not sealed"))?;
        self.chunk.extend_from_slice(tag.as_ref());
        self.out.write_all(&self.chunk)?;
        self.chunk.clear();
        self.failed = false;
        Ok(())
    }

    /// An error once a chunk failed to be sealed or written.
    fn usable(&self) -> io::Result<()> {
        match self.failed {
            true => Err(io::Error::other("age file left broken by an earlier error")),
            false => Ok(()),
        }
    }
}

impl<W: Write> Write for Writer<W> {
    /// age's `StreamWriter::write`.
    fn write(&mut self, mut buf: &[u8]) -> io::Result<usize> {
        self.usable()?;
        let written = buf.len();
        while !buf.is_empty() {
            if self.chunk.len() == CHUNK_SIZE {
                self.seal(false)?;
            }
            let n = (CHUNK_SIZE - self.chunk.len()).min(buf.len());
            let (now, rest) = buf.split_at(n);
            self.chunk.extend_from_slice(now);
            buf = rest;
        }
        Ok(written)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.out.flush()
    }
}

/// The payload's key, wiped when dropped (see `RingKey`).
fn ring_key(key: &[u8; 32]) -> io::Result<RingKey> {
    RingKey::new(key).ok_or_else(|| io::Error::other("no payload key"))
}

/// Why an age file was not opened by `decrypt`: its header (`age`'s
/// `Decryptor::new_buffered`), the caller's `identity`, or its key
/// (`age`'s `Decryptor::decrypt`: no stanza ours, a wrong passphrase, a
/// bent MAC).
#[derive(Debug)]
pub enum Refused<E> {
    Header(DecryptError),
    Identity(E),
    Key(DecryptError),
}

/// Opens an age file: `age::Decryptor` reads its header and the payload's
/// nonce, and unwraps the file key with the identity `identity` gives (told
/// whether the file is a passphrase's) and checks the header's MAC under
/// it, as for any file. Only then is the key it found used, by `Reader`,
/// on the payload, which starts right after what `age` read: the header
/// line by line (`format.rs` `Header::read_buffered`, `read_until` each
/// newline), then the nonce (`protocol.rs` `Nonce::read`, `read_exact` of
/// 16 bytes); `Decryptor::decrypt` reads nothing more (its `StreamReader`
/// reads only when read, and is dropped unread).
pub fn decrypt<'i, R: BufRead, E>(
    input: R,
    identity: impl FnOnce(bool) -> Result<&'i dyn age::Identity, E>,
) -> Result<Reader<R>, Refused<E>> {
    let mut seen = Seen {
        inner: input,
        last: [0; NONCE_SIZE],
    };
    let file_key = {
        let d = age::Decryptor::new_buffered(&mut seen).map_err(Refused::Header)?;
        let id = Keep {
            inner: identity(d.is_scrypt()).map_err(Refused::Identity)?,
            key: Cell::new(None),
        };
        drop(
            d.decrypt(std::iter::once(&id as &dyn age::Identity))
                .map_err(Refused::Key)?,
        );
        // `age` decrypted with the key our identity handed it, so kept.
        id.key
            .take()
            .ok_or(Refused::Key(DecryptError::NoMatchingKeys))?
    };
    // `keys.rs` `v1_payload_key`, once `age` has checked the MAC.
    let payload_key = Zeroizing::new(hkdf(
        &seen.last,
        PAYLOAD_KEY_LABEL,
        file_key.expose_secret(),
    ));
    let key = ring_key(&payload_key).map_err(|e| Refused::Key(DecryptError::Io(e)))?;
    Ok(Reader::new(seen.inner, key))
}

/// The file as `age` reads it, keeping the last 16 bytes it consumed: once
/// `age` has read its header, the payload's nonce.
struct Seen<R> {
    inner: R,
    last: [u8; NONCE_SIZE],
}

/// `bytes` consumed after those in `last`: its last 16 bytes now.
fn saw(last: &mut [u8; NONCE_SIZE], bytes: &[u8]) {
    let n = bytes.len().min(NONCE_SIZE);
    last.copy_within(n.., 0);
    last[NONCE_SIZE - n..].copy_from_slice(&bytes[bytes.len() - n..]);
}

impl<R: BufRead> Read for Seen<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        saw(&mut self.last, &buf[..n]);
        Ok(n)
    }
}

impl<R: BufRead> BufRead for Seen<R> {
    fn fill_buf(&mut self) -> io::Result<&[u8]> {
        self.inner.fill_buf()
    }

    /// `amt` of the bytes `fill_buf` just returned, which it returns again
    /// without reading (a `BufReader`'s buffer holds them).
    fn consume(&mut self, amt: usize) {
        let Seen { inner, last } = self;
        if amt > 0 {
            if let Ok(buf) = inner.fill_buf() {
                saw(last, &buf[..amt.min(buf.len())]);
            }
        }
        inner.consume(amt);
    }
}

/// An identity that hands `age` the file key its `inner` unwraps, keeping
/// a copy (`FileKey` is not `Clone`). Both stay in `FileKey`'s own box,
/// wiped when dropped: no copy of the key's bytes lies on the stack.
struct Keep<'i> {
    inner: &'i dyn age::Identity,
    key: Cell<Option<FileKey>>,
}

impl Keep<'_> {
    fn keep(
        &self,
        found: Option<Result<FileKey, DecryptError>>,
    ) -> Option<Result<FileKey, DecryptError>> {
        match found {
            Some(Ok(key)) => {
                let again = FileKey::init_with_mut(|k| k.copy_from_slice(key.expose_secret()));
                self.key.set(Some(key));
                Some(Ok(again))
            }
            other => other,
        }
    }
}

impl age::Identity for Keep<'_> {
    fn unwrap_stanza(&self, stanza: &Stanza) -> Option<Result<FileKey, DecryptError>> {
        self.keep(self.inner.unwrap_stanza(stanza))
    }

    fn unwrap_stanzas(&self, stanzas: &[Stanza]) -> Option<Result<FileKey, DecryptError>> {
        self.keep(self.inner.unwrap_stanzas(stanzas))
    }
}

#[derive(Clone, Copy, PartialEq)]
enum State {
    Reading,
    /// The last chunk opened: the end once its bytes are read.
    Done,
    /// Refused: every read after fails the same way.
    Failed(io::ErrorKind),
}

/// age's `StreamReader` (`primitives/stream.rs`), chunks opened in place by
/// `ring`, with its rules: the chunk the file ends with is the last and
/// must carry the flag (a file cut right after a chunk is cut short:
/// `UnexpectedEof`), only the last may be short, and empty only when it is
/// the first; nothing may follow it. A bent chunk is `InvalidData`, as in
/// `age`. One byte is read ahead of each whole chunk to know whether it
/// ends the file. The plaintext is wiped as the buffer is dropped.
pub struct Reader<R> {
    input: R,
    key: RingKey,
    /// The chunk being read (opened in place), and one byte after it.
    chunk: Zeroizing<Vec<u8>>,
    /// The plaintext not yet read: `chunk[at..end]`.
    at: usize,
    end: usize,
    /// The next chunk's number.
    counter: u64,
    /// Whether `chunk[SEALED_SIZE]` holds the next chunk's first byte.
    ahead: bool,
    state: State,
}

impl<R: Read> Reader<R> {
    /// The payload in `input`, from its first chunk, opened with `key`.
    fn new(input: R, key: RingKey) -> Reader<R> {
        Reader {
            input,
            key,
            chunk: Zeroizing::new(vec![0; SEALED_SIZE + 1]),
            at: 0,
            end: 0,
            counter: 0,
            ahead: false,
            state: State::Reading,
        }
    }

    /// Reads and opens the next chunk.
    fn next_chunk(&mut self) -> io::Result<()> {
        let mut got = 0;
        if self.ahead {
            self.chunk[0] = self.chunk[SEALED_SIZE];
            got = 1;
        }
        while got <= SEALED_SIZE {
            match self.input.read(&mut self.chunk[got..]) {
                Ok(0) => break,
                Ok(n) => got += n,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                Err(e) => return Err(e),
            }
        }
        let last = got <= SEALED_SIZE;
        self.ahead = !last;
        let sealed = got.min(SEALED_SIZE);
        let bent = || io::Error::new(io::ErrorKind::InvalidData, "decryption error");
        let cut_short = || io::Error::new(io::ErrorKind::UnexpectedEof, "age file is truncated");
        if sealed == 0 {
            // age: "Stream has ended before seeing the last chunk."
            return Err(cut_short());
        }
        // A whole chunk ending the file: age tries it as one more first
        // (`decrypt_chunk`), and if it opens so, the file was cut after it;
        // only then as the last. Tried on a copy: a failed open wipes what
        // it was given.
        if last && sealed == SEALED_SIZE {
            let mut more = Zeroizing::new(self.chunk[..sealed].to_vec());
            let nonce = chunk_nonce(self.counter, false);
            if self
                .key
                .open_in_place(nonce, Aad::empty(), &mut more[..])
                .is_ok()
            {
                return Err(cut_short());
            }
        }
        let nonce = chunk_nonce(self.counter, last);
        let len = self
            .key
            .open_in_place(nonce, Aad::empty(), &mut self.chunk[..sealed])
            .map_err(|_| bent())?
            .len();
        // age's `err-stream-last-chunk-empty`.
        if len == 0 && self.counter > 0 {
            return Err(bent());
        }
        self.counter = self
            .counter
            .checked_add(1)
            .ok_or_else(|| io::Error::other("age payload counter overflow"))?;
        (self.at, self.end) = (0, len);
        if last {
            self.state = State::Done;
        }
        Ok(())
    }
}

impl<R: Read> Read for Reader<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if self.at == self.end {
            match self.state {
                State::Done => return Ok(0),
                State::Failed(kind) => return Err(io::Error::new(kind, "age file refused")),
                State::Reading => {
                    if let Err(e) = self.next_chunk() {
                        self.state = State::Failed(e.kind());
                        return Err(e);
                    }
                }
            }
        }
        let n = (self.end - self.at).min(buf.len());
        buf[..n].copy_from_slice(&self.chunk[self.at..self.at + n]);
        self.at += n;
        Ok(n)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use age::secrecy::SecretString;
    use std::io::Read;

    /// `bytes` written by our writer to `recipients`.
    fn write(recipients: &[&dyn age::Recipient], bytes: &[u8]) -> Vec<u8> {
        let enc = Encryptor::with_recipients(recipients.iter().copied()).unwrap();
        let mut w = enc.wrap_output(Vec::new()).unwrap();
        // In uneven pieces, as the bundle writer's lines arrive.
        for piece in bytes.chunks(7919) {
            w.write_all(piece).unwrap();
        }
        w.finish().unwrap()
    }

    /// The file read by age itself, all of it, or its error.
    fn read(file: &[u8], identity: &dyn age::Identity) -> Result<Vec<u8>, String> {
        let d = age::Decryptor::new(file).map_err(|e| e.to_string())?;
        let mut r = d
            .decrypt(std::iter::once(identity))
            .map_err(|e| e.to_string())?;
        let mut out = Vec::new();
        r.read_to_end(&mut out).map_err(|e| e.to_string())?;
        Ok(out)
    }

    fn bytes(n: usize) -> Vec<u8> {
        (0..n).map(|i| (i * 31 + i / 251) as u8).collect()
    }

    const SIZES: [usize; 7] = [0, 1, 65535, 65536, 65537, 2 * 65536, 2 * 65536 + 1];

    /// Where the payload starts: after the header's MAC line and the nonce.
    fn payload_start(file: &[u8]) -> usize {
        let mac_line = file.windows(4).position(|w| w == b"\n---").unwrap() + 1;
        let end = mac_line + file[mac_line..].iter().position(|&b| b == b'\n').unwrap() + 1;
        end + 16
    }

    #[test]
    fn age_reads_what_we_write_to_one_and_several_keys() {
        let ids: Vec<age::x25519::Identity> =
            (0..3).map(|_| age::x25519::Identity::generate()).collect();
        let keys: Vec<age::x25519::Recipient> = ids.iter().map(|i| i.to_public()).collect();
        for n in SIZES.into_iter().chain([3 << 20, (3 << 20) + 12345]) {
            let plain = bytes(n);
            let one = write(&[&keys[0]], &plain);
            assert_eq!(read(&one, &ids[0]).unwrap(), plain, "{n} bytes");
            assert!(read(&one, &ids[1]).is_err());
            let all: Vec<&dyn age::Recipient> = keys.iter().map(|k| k as _).collect();
            let three = write(&all, &plain);
            for id in &ids {
                assert_eq!(read(&three, id).unwrap(), plain, "{n} bytes");
            }
            // The payload is age's size exactly: 64 KiB chunks, each
            // with its tag, the last one full or short, empty only alone.
            let chunks = n.div_ceil(CHUNK_SIZE).max(1);
            assert_eq!(one.len() - payload_start(&one), n + chunks * TAG_SIZE);
        }
    }

    #[test]
    fn age_reads_what_we_write_to_a_passphrase() {
        let secret = || SecretString::from("a long handoff passphrase".to_string());
        let mut r = age::scrypt::Recipient::new(secret());
        r.set_work_factor(10);
        let id = age::scrypt::Identity::new(secret());
        for n in [0, 65536, 65537] {
            let plain = bytes(n);
            let file = write(&[&r], &plain);
            assert_eq!(read(&file, &id).unwrap(), plain);
            // No grease stanza beside the scrypt one: age requires it alone.
            assert_eq!(file.windows(3).filter(|w| w == b"-> ").count(), 1);
            let wrong = age::scrypt::Identity::new(SecretString::from("wrong".to_string()));
            assert!(read(&file, &wrong).is_err());
        }
    }

    #[test]
    fn two_files_of_the_same_bytes_share_nothing() {
        let id = age::x25519::Identity::generate();
        let plain = bytes(70000);
        let a = write(&[&id.to_public()], &plain);
        let b = write(&[&id.to_public()], &plain);
        let (pa, pb) = (payload_start(&a), payload_start(&b));
        // A fresh file key: another stanza and MAC; a fresh nonce.
        assert_ne!(a[..pa - 16], b[..pb - 16]);
        assert_ne!(a[pa - 16..pa], b[pb - 16..pb]);
        // And so another payload, chunk by chunk.
        assert_ne!(a[pa..pa + 32], b[pb..pb + 32]);
        assert_ne!(a[a.len() - 32..], b[b.len() - 32..]);
        assert_eq!(read(&a, &id).unwrap(), read(&b, &id).unwrap());
    }

    /// Any bit of the file bent, a chunk left out, or the file cut short:
    /// age does not read it (a part read before the damage is no reading:
    /// `read` takes it all or fails).
    #[test]
    fn age_reads_nothing_bent_dropped_or_cut() {
        let id = age::x25519::Identity::generate();
        let plain = bytes(2 * 65536 + 1);
        let file = write(&[&id.to_public()], &plain);
        assert_eq!(read(&file, &id).unwrap(), plain);
        let start = payload_start(&file);
        let mac_at = file.windows(4).position(|w| w == b"--- ").unwrap() + 4;
        let bent = |at: usize, bit: u8| {
            let mut f = file.clone();
            f[at] ^= 1 << bit;
            f
        };
        let chunk = CHUNK_SIZE + TAG_SIZE;
        let mut spoiled: Vec<(String, Vec<u8>)> = Vec::new();
        // The header: its first line, a stanza's line and body.
        for at in [0, 10, 20, 22, 25, 40, 70, 100, mac_at - 2] {
            spoiled.push((format!("header byte {at}"), bent(at, 1)));
        }
        // The MAC, bent in its value (a bent base64 letter could decode
        // to the same bytes), and as text.
        let mac = BASE64_STANDARD_NO_PAD
            .decode(&file[mac_at..mac_at + 43])
            .unwrap();
        for (i, bit) in [(0, 0), (17, 5), (31, 7)] {
            let mut m = mac.clone();
            m[i] ^= 1 << bit;
            let mut f = file.clone();
            f[mac_at..mac_at + 43].copy_from_slice(BASE64_STANDARD_NO_PAD.encode(&m).as_bytes());
            spoiled.push((format!("MAC byte {i}"), f));
        }
        spoiled.push(("MAC text".into(), bent(mac_at + 5, 0)));
        // The nonce; each chunk's text and tag; the last chunk's one byte.
        for at in [start - 16, start - 9, start - 1] {
            spoiled.push((format!("nonce byte {at}"), bent(at, 3)));
        }
        for c in 0..2 {
            let at = start + c * chunk;
            spoiled.push((format!("chunk {c} text"), bent(at + 1000, 0)));
            spoiled.push((format!("chunk {c} tag"), bent(at + chunk - 1, 7)));
        }
        spoiled.push(("last chunk text".into(), bent(start + 2 * chunk, 2)));
        spoiled.push(("last chunk tag".into(), bent(file.len() - 1, 0)));
        // A chunk left out: the first, the middle, or the last.
        for c in 0..3 {
            let mut f = file[..start + c * chunk].to_vec();
            f.extend_from_slice(&file[(start + (c + 1) * chunk).min(file.len())..]);
            spoiled.push((format!("chunk {c} dropped"), f));
        }
        // Cut short: anywhere, and right after a whole chunk (no last one).
        for end in [
            start - 1,
            start,
            start + chunk,
            start + 2 * chunk,
            file.len() - 1,
        ] {
            spoiled.push((format!("cut at {end}"), file[..end].to_vec()));
        }
        // Two chunks swapped.
        let mut f = file.clone();
        f[start..start + 2 * chunk].rotate_left(chunk);
        spoiled.push(("chunks swapped".into(), f));
        for (what, f) in spoiled {
            assert!(read(&f, &id).is_err(), "{what} read");
        }
    }

    /// Recipients `age::Encryptor` refuses are refused the same way: a
    /// Recipients that we refuse with the error `age::Encryptor` gives.
    fn refused_as_age_refuses(set: &[&dyn age::Recipient]) {
        let ours = Encryptor::with_recipients(set.iter().copied()).err();
        let ages = age::Encryptor::with_recipients(set.iter().copied()).err();
        let (ours, ages) = (
            ours.map(|e| format!("{e:?}")),
            ages.map(|e| format!("{e:?}")),
        );
        assert!(ours.is_some());
        assert_eq!(ours, ages);
    }

    /// passphrase beside a key (either order), two passphrases, none.
    #[test]
    fn what_age_refuses_is_refused() {
        let key = age::x25519::Identity::generate().to_public();
        let secret = || SecretString::from("a long handoff passphrase".to_string());
        let mut p = age::scrypt::Recipient::new(secret());
        p.set_work_factor(2);
        let mut q = age::scrypt::Recipient::new(secret());
        q.set_work_factor(2);
        let sets: [Vec<&dyn age::Recipient>; 4] =
            [vec![&key, &p], vec![&p, &key], vec![&p, &q], vec![]];
        for set in sets {
            refused_as_age_refuses(&set);
        }
        let ours = Encryptor::with_recipients([&key as &dyn age::Recipient, &p].into_iter());
        assert!(matches!(
            ours,
            Err(EncryptError::MixedRecipientAndPassphrase)
        ));
    }

    /// The header is age's own, byte for byte but for what is random: its
    /// version line, its stanzas (with age's grease one after the keys'),
    /// and the MAC line, as age writes them.
    #[test]
    fn the_header_is_laid_out_as_ages() {
        let id = age::x25519::Identity::generate();
        let ours = write(&[&id.to_public()], b"x");
        let ages = age::encrypt(&id.to_public(), b"x").unwrap();
        let lines = |f: &[u8]| -> Vec<(usize, String)> {
            let end = payload_start(f) - 16;
            f[..end]
                .split(|&b| b == b'\n')
                .map(|l| {
                    (
                        l.len(),
                        String::from_utf8_lossy(&l[..l.len().min(9)]).into(),
                    )
                })
                .collect()
        };
        let (o, a) = (lines(&ours), lines(&ages));
        assert_eq!(o[..2], a[..2]);
        assert_eq!(o[2].0, a[2].0, "the stanza's body");
        assert_eq!(o.last(), a.last());
        assert_eq!(o[o.len() - 2].0, 47, "--- and a 43-letter MAC");
        assert_eq!(ours.len(), payload_start(&ours) + 1 + TAG_SIZE);
    }

    /// The file key in `file`'s header, unwrapped by `identity` (age's own
    /// stanza reader and unwrapping).
    fn file_key(file: &[u8], identity: &dyn age::Identity) -> [u8; 16] {
        let mut rest = &file[V1_LINE.len()..];
        let mut stanzas = Vec::new();
        while let Ok((r, s)) = age_core::format::read::age_stanza(rest) {
            stanzas.push(Stanza::from(s));
            rest = r;
        }
        assert!(rest.starts_with(MAC_TAG));
        let key = identity.unwrap_stanzas(&stanzas).unwrap().unwrap();
        *key.expose_secret()
    }

    /// Every file is sealed under a file key of its own from the OS
    /// generator: to a steward's key and to a passphrase. (A fixed file key
    /// would still be read by age, and the stanzas, nonce and payload would
    /// still differ from file to file; only the key itself tells.)
    #[test]
    fn every_file_has_a_file_key_of_its_own() {
        let id = age::x25519::Identity::generate();
        let secret = || SecretString::from("a long handoff passphrase".to_string());
        let mut p = age::scrypt::Recipient::new(secret());
        p.set_work_factor(2);
        let pid = age::scrypt::Identity::new(secret());
        let mut keys: Vec<[u8; 16]> = Vec::new();
        for _ in 0..3 {
            keys.push(file_key(&write(&[&id.to_public()], b"x"), &id));
            keys.push(file_key(&write(&[&p], b"x"), &pid));
        }
        for (i, k) in keys.iter().enumerate() {
            // 16 bytes from a good generator have 8 values or more
            // (fewer: about one chance in 10^12).
            let values: std::collections::BTreeSet<u8> = k.iter().copied().collect();
            assert!(values.len() >= 8, "file key {i} is {k:?}");
            assert!(keys[..i].iter().all(|o| o != k), "file key {i} repeated");
        }
    }

    /// To stewards' keys, age's grease stanza follows theirs (as
    /// `age::Encryptor` writes it: files that look like any other age file).
    #[test]
    fn stewards_files_carry_ages_grease_stanza() {
        let ids: Vec<age::x25519::Identity> =
            (0..2).map(|_| age::x25519::Identity::generate()).collect();
        let keys: Vec<age::x25519::Recipient> = ids.iter().map(|i| i.to_public()).collect();
        let all: Vec<&dyn age::Recipient> = keys.iter().map(|k| k as _).collect();
        let file = write(&all, b"x");
        let mut rest = &file[V1_LINE.len()..];
        let mut tags = Vec::new();
        while let Ok((r, s)) = age_core::format::read::age_stanza(rest) {
            tags.push(s.tag.to_string());
            rest = r;
        }
        assert_eq!(tags.len(), 3, "{tags:?}");
        assert_eq!(tags[..2], ["X25519", "X25519"]);
        assert!(tags[2].ends_with("-grease"), "{tags:?}");
    }

    /// Beneath the writer: takes everything but fails once, on the write
    /// that would go past `fail_past` bytes (a disk full for a moment).
    struct FailsOnce {
        got: Vec<u8>,
        fail_past: usize,
        failed: bool,
    }

    impl Write for FailsOnce {
        fn write(&mut self, b: &[u8]) -> io::Result<usize> {
            if !self.failed && self.got.len() + b.len() > self.fail_past {
                self.failed = true;
                return Err(io::Error::other("disk full"));
            }
            self.got.extend_from_slice(b);
            Ok(b.len())
        }
        fn flush(&mut self) -> io::Result<()> {
            Ok(())
        }
    }

    /// Once sealing a chunk has failed, the writer only fails: a later
    /// write neither panics nor seals again, and `finish` does not hand
    /// back as complete a file that age cannot read.
    /// A writer to `id` whose first chunk failed to be written: it is
    /// sealed when its next byte arrives, and its writing fails.
    fn failed_writer(id: &age::x25519::Identity) -> Writer<FailsOnce> {
        let enc =
            Encryptor::with_recipients(std::iter::once(&id.to_public() as &dyn age::Recipient))
                .unwrap();
        let out = FailsOnce {
            got: Vec::new(),
            fail_past: 2000,
            failed: false,
        };
        let mut w = enc.wrap_output(out).unwrap();
        assert!(w.write_all(&bytes(CHUNK_SIZE + 1)).is_err());
        w
    }

    #[test]
    fn after_a_failed_write_the_writer_only_fails() {
        let id = age::x25519::Identity::generate();
        let mut w = failed_writer(&id);
        let again = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            let more = w.write(b"more").is_err();
            (more, w)
        }));
        let Ok((more, w)) = again else {
            panic!("a write after the failed one panicked");
        };
        assert!(more, "a write after the failed one was taken");
        match w.finish() {
            Err(_) => {}
            Ok(out) => panic!(
                "finish after a failed write gave a file; age reads it: {:?}",
                read(&out.got, &id).map(|p| p.len())
            ),
        }
    }

    /// The same failure followed at once by `finish`: an error, not a
    /// "complete" file that age refuses (a backup thought written).
    #[test]
    fn finish_after_a_failed_write_fails() {
        let id = age::x25519::Identity::generate();
        let w = failed_writer(&id);
        if let Ok(out) = w.finish() {
            panic!(
                "finish after a failed write gave a file; age reads it: {:?}",
                read(&out.got, &id).map(|p| p.len())
            );
        }
    }

    /// A recipient of another kind, with the labels given.
    struct Labelled(&'static [&'static str]);

    impl age::Recipient for Labelled {
        fn wrap_file_key(
            &self,
            _: &FileKey,
        ) -> Result<(Vec<Stanza>, std::collections::HashSet<String>), EncryptError> {
            let stanza = Stanza {
                tag: "labelled".into(),
                args: Vec::new(),
                body: Vec::new(),
            };
            let labels = self.0.iter().map(|l| l.to_string()).collect();
            Ok((vec![stanza], labels))
        }
    }

    /// Labels are checked as `age::Encryptor` checks them: a label that is
    /// not an age string is refused, and so are recipients whose labels
    /// differ (a key meant to be used only with others like it).
    #[test]
    fn labels_are_refused_as_age_refuses_them() {
        let key = age::x25519::Identity::generate().to_public();
        let (bad, pq, other) = (
            Labelled(&["two words"]),
            Labelled(&["pq"]),
            Labelled(&["x"]),
        );
        let sets: [Vec<&dyn age::Recipient>; 4] = [
            vec![&bad],
            vec![&key, &pq],
            vec![&pq, &other],
            vec![&pq, &key],
        ];
        for set in sets {
            refused_as_age_refuses(&set);
        }
        assert!(Encryptor::with_recipients([&pq as &dyn age::Recipient, &pq].into_iter()).is_ok());
    }

    /// The file read by our `decrypt` through a `BufReader` of `cap` bytes
    /// (so the nonce may straddle its refills), as `read` reports it.
    fn ours_with(file: &[u8], identity: &dyn age::Identity, cap: usize) -> Result<Vec<u8>, String> {
        let input = io::BufReader::with_capacity(cap, file);
        let mut r = decrypt(input, |_| Ok::<_, ()>(identity)).map_err(|e| match e {
            Refused::Header(e) => format!("header {e}"),
            Refused::Key(e) => format!("key {e}"),
            Refused::Identity(()) => "identity".into(),
        })?;
        let mut out = Vec::new();
        r.read_to_end(&mut out)
            .map_err(|e| format!("read {:?}", e.kind()))?;
        // Refused, it stays refused; read, it stays at its end.
        assert_eq!(r.read(&mut [0; 9]).map_err(|e| e.kind()).ok(), Some(0));
        Ok(out)
    }

    fn ours(file: &[u8], identity: &dyn age::Identity) -> Result<Vec<u8>, String> {
        ours_with(file, identity, 8192)
    }

    /// age's own reading, told apart as `ours` tells it: the header, the
    /// key, or the payload (by the kind of its error).
    fn ages(file: &[u8], identity: &dyn age::Identity) -> Result<Vec<u8>, String> {
        let d = age::Decryptor::new_buffered(file).map_err(|e| format!("header {e}"))?;
        let mut r = d
            .decrypt(std::iter::once(identity))
            .map_err(|e| format!("key {e}"))?;
        let mut out = Vec::new();
        r.read_to_end(&mut out)
            .map_err(|e| format!("read {:?}", e.kind()))?;
        Ok(out)
    }

    /// Ours and age's agree on `file`: the same bytes, or the same refusal.
    fn agree(file: &[u8], identity: &dyn age::Identity, what: &str) -> Result<Vec<u8>, String> {
        let a = ages(file, identity);
        assert_eq!(ours(file, identity), a, "{what}");
        a
    }

    /// A small seeded generator (xorshift), for samples that repeat.
    struct Seeded(u64);
    impl Seeded {
        fn below(&mut self, n: usize) -> usize {
            self.0 ^= self.0 << 13;
            self.0 ^= self.0 >> 7;
            self.0 ^= self.0 << 17;
            (self.0 % n as u64) as usize
        }
    }

    /// The file spoiled in many ways (each bit of a small one, a seeded
    /// sample of bytes of a large one, cut at and about each chunk's end,
    /// bytes added, chunks left out, swapped or repeated): age and we
    /// agree on each.
    fn spoil_and_agree(file: &[u8], id: &dyn age::Identity, seed: u64) {
        let start = payload_start(file);
        let mut spoiled: Vec<(String, Vec<u8>)> = Vec::new();
        if file.len() < 2000 {
            for at in 0..file.len() {
                for bit in 0..8 {
                    let mut f = file.to_vec();
                    f[at] ^= 1 << bit;
                    spoiled.push((format!("bit {bit} of byte {at}"), f));
                }
            }
        } else {
            let mut rng = Seeded(seed);
            for _ in 0..60 {
                // Half in the header and nonce, half in the payload.
                let at = match rng.below(2) {
                    0 => rng.below(start),
                    _ => start + rng.below(file.len() - start),
                };
                let mut f = file.to_vec();
                f[at] ^= 1 << rng.below(8);
                spoiled.push((format!("byte {at}"), f));
            }
            for at in [
                start - 16,
                start - 1,
                start,
                start + TAG_SIZE - 1,
                file.len() - 1,
            ] {
                let mut f = file.to_vec();
                f[at] ^= 0x80;
                spoiled.push((format!("byte {at}"), f));
            }
        }
        let chunks = (file.len() - start).div_ceil(SEALED_SIZE);
        let mut ends = vec![0, 1, start - 17, start - 16, start - 1, start, start + 1];
        for c in 0..=chunks {
            let at = start + c * SEALED_SIZE;
            ends.extend([
                at.saturating_sub(TAG_SIZE),
                at.saturating_sub(1),
                at,
                at + 1,
                at + TAG_SIZE,
            ]);
        }
        ends.retain(|&e| e < file.len());
        ends.dedup();
        for end in ends {
            spoiled.push((format!("cut at {end}"), file[..end].to_vec()));
        }
        for extra in [&[0u8][..], &[0; TAG_SIZE], &file[start..]] {
            let mut f = file.to_vec();
            f.extend_from_slice(extra);
            spoiled.push((format!("{} bytes added", extra.len()), f));
        }
        let chunk = |c: usize| {
            &file[(start + c * SEALED_SIZE).min(file.len())
                ..(start + (c + 1) * SEALED_SIZE).min(file.len())]
        };
        for c in 0..chunks {
            let mut f = file[..start].to_vec();
            for k in (0..chunks).filter(|&k| k != c) {
                f.extend_from_slice(chunk(k));
            }
            spoiled.push((format!("chunk {c} dropped"), f));
            let end = (start + (c + 1) * SEALED_SIZE).min(file.len());
            let mut f = file[..end].to_vec();
            f.extend_from_slice(chunk(c));
            f.extend_from_slice(&file[end..]);
            spoiled.push((format!("chunk {c} twice"), f));
            if c + 1 < chunks {
                let mut f = file[..start].to_vec();
                for k in 0..chunks {
                    let k = if k == c {
                        c + 1
                    } else if k == c + 1 {
                        c
                    } else {
                        k
                    };
                    f.extend_from_slice(chunk(k));
                }
                spoiled.push((format!("chunks {c} and {} swapped", c + 1), f));
            }
        }
        for (what, f) in spoiled {
            let _ = agree(&f, id, &what);
        }
    }

    /// Our reader gives age's bytes, for files age wrote and ours, to one
    /// key and three, through buffers of any size; and agrees with age on
    /// every spoiled file.
    #[test]
    fn we_read_as_age_reads() {
        let ids: Vec<age::x25519::Identity> =
            (0..3).map(|_| age::x25519::Identity::generate()).collect();
        let keys: Vec<age::x25519::Recipient> = ids.iter().map(|i| i.to_public()).collect();
        let all: Vec<&dyn age::Recipient> = keys.iter().map(|k| k as _).collect();
        let by_age = |recipients: &[&dyn age::Recipient], plain: &[u8]| {
            let e = age::Encryptor::with_recipients(recipients.iter().copied()).unwrap();
            let mut w = e.wrap_output(Vec::new()).unwrap();
            w.write_all(plain).unwrap();
            w.finish().unwrap()
        };
        for (i, n) in SIZES.into_iter().chain([3 << 20]).enumerate() {
            let plain = bytes(n);
            let files = [
                by_age(&all[..1], &plain),
                by_age(&all, &plain),
                write(&all[..1], &plain),
                write(&all, &plain),
            ];
            for (j, file) in files.iter().enumerate() {
                for id in &ids[..if j % 2 == 0 { 1 } else { 3 }] {
                    assert_eq!(agree(file, id, "whole").unwrap(), plain, "{n} bytes");
                    for cap in [1, 7, 16, 17, 300] {
                        assert_eq!(ours_with(file, id, cap).unwrap(), plain, "{n} bytes");
                    }
                }
                assert!(ours(&files[0], &ids[1]).is_err());
                // Spoiled: age's files and ours to one key (the 3 MiB one
                // is only read whole).
                if n < 3 << 20 && j % 2 == 0 {
                    spoil_and_agree(file, &ids[0], (i * 4 + j + 1) as u64);
                }
            }
        }
        // A small file, every bit of it.
        spoil_and_agree(&by_age(&all[..1], b"a small file"), &ids[0], 99);
        spoil_and_agree(&write(&all[..1], b"a small file"), &ids[0], 98);
    }

    #[test]
    fn we_read_a_passphrase_file_as_age_reads_it() {
        let secret = || SecretString::from("a long handoff passphrase".to_string());
        let mut r = age::scrypt::Recipient::new(secret());
        r.set_work_factor(4);
        let id = age::scrypt::Identity::new(secret());
        let wrong = age::scrypt::Identity::new(SecretString::from("wrong".to_string()));
        for n in [0, 65536, 65537] {
            let plain = bytes(n);
            let e = age::Encryptor::with_recipients(std::iter::once(&r as _)).unwrap();
            let mut w = e.wrap_output(Vec::new()).unwrap();
            w.write_all(&plain).unwrap();
            let theirs = w.finish().unwrap();
            for file in [theirs, write(&[&r], &plain)] {
                assert_eq!(agree(&file, &id, "whole").unwrap(), plain);
                assert!(agree(&file, &wrong, "wrong passphrase").is_err());
                spoil_and_agree(&file, &id, n as u64 + 5);
            }
        }
    }

    /// Files sealed chunk by chunk as no writer writes them: age's rules
    /// on the last chunk, its flag, its size and what follows it.
    #[test]
    fn age_rules_on_chunks_are_kept() {
        let id = age::x25519::Identity::generate();
        let enc = Encryptor::with_recipients(std::iter::once(&id.to_public() as _)).unwrap();
        let key = ring_key(&enc.payload_key).unwrap();
        let head = [&enc.header[..], &enc.nonce].concat();
        let seal = |chunks: &[(u64, bool, usize)]| {
            let mut f = head.clone();
            for &(counter, last, n) in chunks {
                let mut c = bytes(n);
                let tag = key
                    .seal_in_place_separate_tag(chunk_nonce(counter, last), Aad::empty(), &mut c)
                    .unwrap();
                f.extend_from_slice(&c);
                f.extend_from_slice(tag.as_ref());
            }
            f
        };
        let full = CHUNK_SIZE;
        // Each chunk: its number, its last flag, its plaintext's length.
        type Chunks<'a> = &'a [(u64, bool, usize)];
        let cases: [(&str, Chunks, Option<usize>); 12] = [
            ("empty", &[(0, true, 0)], Some(0)),
            ("one full last", &[(0, true, full)], Some(full)),
            (
                "full then short",
                &[(0, false, full), (1, true, 9)],
                Some(full + 9),
            ),
            (
                "full then full",
                &[(0, false, full), (1, true, full)],
                Some(2 * full),
            ),
            ("no last", &[(0, false, full)], None),
            ("no chunk", &[], None),
            (
                "empty last after one",
                &[(0, false, full), (1, true, 0)],
                None,
            ),
            ("short not last", &[(0, false, 9), (1, true, 9)], None),
            ("last then more", &[(0, true, full), (1, true, 9)], None),
            (
                "last then more, unflagged",
                &[(0, true, full), (1, false, full), (2, true, 1)],
                None,
            ),
            ("counter skipped", &[(0, false, full), (2, true, 9)], None),
            ("counter from one", &[(1, true, 9)], None),
        ];
        for (what, chunks, len) in cases {
            let got = agree(&seal(chunks), &id, what);
            assert_eq!(got.as_ref().ok().map(Vec::len), len, "{what}");
        }
        // Cut right after a whole chunk: cut short, as age says.
        let cut = seal(&[(0, false, full)]);
        assert_eq!(ours(&cut, &id), Err("read UnexpectedEof".into()));
    }

    /// rev10: a whole chunk that ends the file and opens both as the last
    /// and as one more. Its sender holds the key, so can make one: payload
    /// key [7; 32], counter 0, the ciphertext zero but its last two blocks
    /// (y, x); for a random y, x solves h1 + x r1^2 - h2 - x r2^2 = s2 - s1
    /// (mod 2^130 - 5, Poly1305's r and s from ChaCha20 block 0 under each
    /// nonce), kept once x < 2^128 and the two tags agree. age's
    /// `decrypt_chunk` tries a whole chunk as one more first, so it reads
    /// this as a file cut short; ours must too, not hand back the other
    /// plaintext.
    #[test]
    fn a_whole_last_chunk_is_tried_as_ages_is() {
        let hex = |h: &str| -> Vec<u8> {
            (0..h.len())
                .step_by(2)
                .map(|i| u8::from_str_radix(&h[i..i + 2], 16).unwrap())
                .collect()
        };
        let mut sealed = vec![0u8; CHUNK_SIZE];
        sealed[CHUNK_SIZE - 32..CHUNK_SIZE - 16]
            .copy_from_slice(&hex("f5b165224a58b791df6af1d8303e61cd"));
        sealed[CHUNK_SIZE - 16..].copy_from_slice(&hex("a7bc4bc4dd73f5ef2ee9c16cfee88bbf"));
        sealed.extend_from_slice(&hex("102b75f26b086ed7b11dbfb201f1ba29"));
        let key = ring_key(&[7; 32]).unwrap();
        // It does open both ways.
        for last in [false, true] {
            let mut c = sealed.clone();
            assert!(key
                .open_in_place(chunk_nonce(0, last), Aad::empty(), &mut c)
                .is_ok());
        }
        let mut r = Reader::new(&sealed[..], key);
        let mut out = Vec::new();
        let got = r.read_to_end(&mut out).map_err(|e| e.kind());
        assert_eq!(
            got,
            Err(io::ErrorKind::UnexpectedEof),
            "read {} bytes",
            out.len()
        );
    }
}
