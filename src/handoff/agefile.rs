//! age v1 files, written here rather than by `age::Encryptor`, so that the
//! payload is sealed by `ring`'s ChaCha20-Poly1305 (about 2.4 times faster
//! than the `chacha20poly1305` that `age`'s `StreamWriter` uses, measured on
//! 64 KiB chunks; see README, *Export and import*). Everything else is
//! `age`'s own: the file key wrapped by each `age::Recipient`, the stanzas
//! written by `age_core`, the HKDF by `age_core::primitives::hkdf`, and the
//! rules mirrored line for line from age 0.11.5 (`protocol.rs`,
//! `format.rs`, `keys.rs`, `primitives/stream.rs`). The files are read by
//! `age::Decryptor` as any other (tests below).

use age::EncryptError;
use age_core::format::{grease_the_joint, is_arbitrary_string, write::age_stanza, FileKey, Stanza};
use age_core::primitives::hkdf;
use age_core::secrecy::ExposeSecret;
use base64::{prelude::BASE64_STANDARD_NO_PAD, Engine};
use hmac::{Hmac, Mac};
use rand::{rngs::OsRng, RngCore};
use ring::aead::{Aad, LessSafeKey, Nonce, UnboundKey, CHACHA20_POLY1305};
use sha2::Sha256;
use std::io::{self, Write};
use zeroize::{Zeroize, Zeroizing};

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

/// The header of one age file and its payload's key, ready to write: what
/// `age::Encryptor` holds.
pub struct Encryptor {
    header: Vec<u8>,
    nonce: [u8; 16],
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
        let mut nonce = [0; 16];
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
        let key = UnboundKey::new(&CHACHA20_POLY1305, &self.payload_key[..])
            .map_err(|_| io::Error::other("no payload key"))?;
        let mut chunk = Zeroizing::new(Vec::new());
        chunk.reserve_exact(CHUNK_SIZE + TAG_SIZE);
        Ok(Writer {
            out,
            key: PayloadKey(std::mem::MaybeUninit::new(LessSafeKey::new(key))),
            counter: 0,
            chunk,
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
    key: PayloadKey,
    /// The next chunk's number.
    counter: u64,
    /// The chunk being filled (room for its tag too).
    chunk: Zeroizing<Vec<u8>>,
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
        let mut nonce = [0u8; 12];
        nonce[3..11].copy_from_slice(&self.counter.to_be_bytes());
        nonce[11] = u8::from(last);
        // age's `increment_counter` (it panics past 11 bytes; this stops
        // past 8, as far out of reach: 2^64 chunks of 64 KiB).
        self.counter = self
            .counter
            .checked_add(1)
            .ok_or_else(|| io::Error::other("age payload counter overflow"))?;
        let tag = self
            .key
            .seal_in_place_separate_tag(
                Nonce::assume_unique_for_key(nonce),
                Aad::empty(),
                &mut self.chunk[..],
            )
            .map_err(|_| io::Error::other("age chunk not sealed"))?;
        self.chunk.extend_from_slice(tag.as_ref());
        self.out.write_all(&self.chunk)?;
        self.chunk.clear();
        Ok(())
    }
}

impl<W: Write> Write for Writer<W> {
    /// age's `StreamWriter::write`.
    fn write(&mut self, mut buf: &[u8]) -> io::Result<usize> {
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

/// `ring`'s key for the payload, wiped when dropped: `ring`'s has no `Drop`
/// and owns no heap memory, so its bytes are overwritten where they lie (as
/// `vault::crypto`'s `RecordKey` does for a record's).
struct PayloadKey(std::mem::MaybeUninit<LessSafeKey>);

const _: () = assert!(!std::mem::needs_drop::<LessSafeKey>());

impl std::ops::Deref for PayloadKey {
    type Target = LessSafeKey;
    fn deref(&self) -> &LessSafeKey {
        // SAFETY: made from a key in `wrap_output`; wiped only when dropped.
        unsafe { self.0.assume_init_ref() }
    }
}

impl Drop for PayloadKey {
    fn drop(&mut self) {
        // SAFETY: these bytes are this value's own; what they hold needs no
        // drop, and nothing reads them after.
        let bytes = unsafe {
            std::slice::from_raw_parts_mut(
                self.0.as_mut_ptr().cast::<std::mem::MaybeUninit<u8>>(),
                std::mem::size_of::<LessSafeKey>(),
            )
        };
        bytes.zeroize();
    }
}
