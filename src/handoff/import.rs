//! Reading a handoff: decrypted and checked in two passes (signature, then
//! every record), the sender found in the address book, the preview of what
//! it would do, and the all-or-nothing merge.

use super::*;

/// Whether the file is encrypted to a passphrase (so one must be asked for).
pub fn needs_passphrase(path: &Path) -> Result<bool, Error> {
    let file = File::open(path).map_err(|_| Error::NoFile(path.to_path_buf()))?;
    let d = age::Decryptor::new_buffered(BufReader::new(file)).map_err(|_| Error::NotAge)?;
    Ok(d.is_scrypt())
}

/// The decrypted bytes of an age file, opened with this vault's identity or
/// with `pass` if it was encrypted to a passphrase.
pub(super) fn decrypt<'s>(
    path: &Path,
    keys: &Keys,
    pass: Option<&Passphrase>,
    stop: &'s AtomicBool,
) -> Result<impl BufRead + 's, Error> {
    let file = File::open(path).map_err(|_| Error::NoFile(path.to_path_buf()))?;
    let scrypt = pass.map(|pass| {
        let mut id = age::scrypt::Identity::new(SecretString::from(pass.expose().to_string()));
        id.set_max_work_factor(MAX_WORK_FACTOR);
        id
    });
    let reader = agefile::decrypt(BufReader::new(file), |is_scrypt| match is_scrypt {
        true => (scrypt.as_ref().map(|id| id as &dyn age::Identity)).ok_or(Error::NeedsPassphrase),
        false => Ok(keys.age_identity() as &dyn age::Identity),
    })
    .map_err(|e| match e {
        agefile::Refused::Header(e) => {
            // An age file whose header is cut short or damaged, or not one at all.
            let mut start = [0u8; 19];
            let is_age = File::open(path)
                .and_then(|mut f| std::io::Read::read_exact(&mut f, &mut start))
                .is_ok_and(|()| &start == b"age-encryption.org/");
            match e {
                _ if !is_age => Error::NotAge,
                age::DecryptError::Io(e) if e.kind() == std::io::ErrorKind::UnexpectedEof => {
                    Error::Truncated
                }
                _ => Error::Altered,
            }
        }
        agefile::Refused::Identity(e) => e,
        agefile::Refused::Key(e) => match e {
            age::DecryptError::NoMatchingKeys => Error::NotForYou,
            age::DecryptError::ExcessiveWork { .. } => Error::TooMuchWork,
            age::DecryptError::DecryptionFailed | age::DecryptError::KeyDecryptionFailed => {
                if pass.is_some() {
                    Error::WrongPassphrase
                } else {
                    Error::NotForYou
                }
            }
            age::DecryptError::Io(e) => Error::reading(e),
            _ => Error::Altered,
        },
    })?;
    Ok(BufReader::new(Stoppable {
        inner: reader,
        stop,
    }))
}

/// Decrypts and checks a whole file in two passes: the first streams it to
/// check its size, hash and signature (and `check` the signed header: a
/// revoked sender is refused here); only then is it decrypted again and
/// every record parsed and checked (and kept if `keep` says so, unparsed if
/// `stored` says it is here as it is: see `bundle::read`).
pub(super) fn read_file(
    path: &Path,
    keys: &Keys,
    pass: Option<&Passphrase>,
    check: impl FnOnce(&Header) -> Result<(), Error>,
    keep: impl Fn(&Id, &Entry) -> bool + Sync,
    stored: impl bundle::Stored,
    stop: &AtomicBool,
) -> Result<bundle::Bundle, Error> {
    let size = std::fs::metadata(path)
        .map_err(|_| Error::NoFile(path.to_path_buf()))?
        .len();
    // age adds 16 bytes per 64 KiB chunk and a short header.
    if size > bundle::MAX_BYTES + bundle::MAX_BYTES / 4096 + 64 * 1024 {
        return Err(Error::TooLarge);
    }
    let verified = bundle::verify(decrypt(path, keys, pass, stop)?)?;
    check(&verified.header)?;
    bundle::read(decrypt(path, keys, pass, stop)?, &verified, keep, stored)
}

/// A file decrypted and checked, not yet applied.
pub struct Incoming {
    bundle: bundle::Bundle,
    pub sender: Peer,
    /// The device the sender's clocks count its edits under.
    device: String,
    pub warnings: Vec<Warning>,
}

/// Opens a handoff file: decrypts it, checks the signature and every record.
pub fn open(vault: &Vault, path: &Path, pass: Option<&Passphrase>) -> Result<Incoming, Error> {
    open_with(vault, path, pass, &NEVER)
}

/// `open`, stopped at once (`Error::Stopped`) when `stop` is raised.
pub fn open_with(
    vault: &Vault,
    path: &Path,
    pass: Option<&Passphrase>,
    stop: &AtomicBool,
) -> Result<Incoming, Error> {
    open_inner(vault, path, pass, stop, true)
}

/// Opens a file to apply it at once: one with warnings is refused (unless
/// `accept_warnings`) right after the first pass, before any record is
/// parsed, so a stranger's file costs bounded memory even when well signed.
pub fn open_to_apply(
    vault: &Vault,
    path: &Path,
    pass: Option<&Passphrase>,
    accept_warnings: bool,
) -> Result<Incoming, Error> {
    open_inner(vault, path, pass, &NEVER, accept_warnings)
}

fn open_inner(
    vault: &Vault,
    path: &Path,
    pass: Option<&Passphrase>,
    stop: &AtomicBool,
    accept_warnings: bool,
) -> Result<Incoming, Error> {
    let mut found = None;
    let bundle = read_file(
        path,
        vault.keys(),
        pass,
        |h| {
            if h.purpose != Purpose::Handoff {
                return Err(Error::IsBackup);
            }
            let (sender, warnings) = who_sent(vault, h, pass.is_some())?;
            if !accept_warnings && !warnings.is_empty() {
                return Err(Error::Warnings(warnings));
            }
            found = Some((sender, warnings));
            Ok(())
        },
        // A record whose clock is ours exactly is this very version: the
        // merge leaves it unchanged whatever the file says (see
        // `merge::plan`), and a clock here only grows before the import is
        // applied. Counted, not kept: an import into a vault that holds
        // most of it does not hold every record twice. Asked on every core
        // as the lines are parsed; ours is opened for the moment, not kept
        // (see `Vault::entry_once`).
        |id, theirs| {
            vault
                .entry_once(id)
                .is_none_or(|ours| ours.meta.clock != theirs.meta.clock)
        },
        // The same, without parsing either, for a line that is our record
        // byte for byte (as an export of it writes it): most of an import
        // into a vault that holds most of the file. Told by the keyed hash
        // of our record's JSON, without opening it.
        |id, json: &[&[u8]]| vault.holds_json(id, json),
        stop,
    )?;
    let (sender, warnings) = found.ok_or(Error::Altered)?;
    let device = sender_device(vault, &bundle.header);
    Ok(Incoming {
        bundle,
        sender,
        device,
        warnings,
    })
}

/// The device id the sender's clocks are trusted for: the one in the signed
/// header, unless missing (version 1), malformed, or this vault's own (a
/// file cannot speak for this laptop); then one made from the sender's key.
fn sender_device(vault: &Vault, h: &Header) -> String {
    let d = &h.device;
    let sane = !d.is_empty()
        && d.len() <= 64
        && d.chars().all(|c| c.is_ascii_graphic())
        && d != vault.device();
    if sane {
        d.clone()
    } else {
        let digits: String = h.sender.keys.fingerprint().replace(' ', "");
        format!("sender-{digits}")
    }
}

/// Finds the sender (whose signature was checked) in the address book, and
/// what should give the person pause before importing. A revoked sender is
/// refused.
fn who_sent(vault: &Vault, h: &Header, by_passphrase: bool) -> Result<(Peer, Vec<Warning>), Error> {
    let sender = &h.sender;
    let keys = &sender.keys;
    let mut warnings = Vec::new();
    let peer = |name: &str, trust| Peer {
        name: name.to_string(),
        fingerprint: keys.fingerprint(),
        trust: Some(trust),
    };
    if *keys == vault.keys().public() {
        return Ok((peer(&vault.keys().name, Trust::Own), warnings));
    }
    if let Some(s) = revoked_by_keys(vault, keys) {
        return Err(Error::Revoked(s.name.clone()));
    }
    // Made for whom: the signed list of recipients must include us (a
    // passphrase file lists none, and is opened with a passphrase).
    // Exported to our card, or to our bare age key.
    let me = vault.keys().public();
    let bare = PublicKeys {
        age: me.age.clone(),
        sign: None,
    };
    let ours = [me.fingerprint(), bare.fingerprint()];
    if h.aqui_bundle < 2 {
        warnings.push(Warning::OldFormat);
    } else {
        let for_us = h
            .recipients
            .iter()
            .any(|r| ours.iter().any(|o| keys::same_fingerprint(r, o)));
        // A passphrase file lists no recipients and was opened by passphrase.
        let for_passphrase = by_passphrase && h.recipients.is_empty();
        if !for_us && !for_passphrase {
            warnings.push(Warning::NotForUs);
        }
    }
    let found = if let Some(s) = vault.stewards().find(|s| s.keys == *keys) {
        let trust = if s.verified {
            Trust::Verified
        } else {
            Trust::Known
        };
        peer(&s.name, trust)
    } else {
        // Unknown. A steward known only by age key whose key this claims is
        // not shown by name: the signature cannot tie the file to them.
        if vault
            .stewards()
            .any(|s| s.keys.sign.is_none() && s.keys.age == keys.age)
        {
            warnings.push(Warning::KeyOnly);
        }
        warnings.push(Warning::UnknownSender);
        let name = match keys::check_name(&sender.name) {
            Ok(n) => n,
            Err(_) if sender.name.trim().is_empty() => String::new(),
            Err(_) => {
                warnings.push(Warning::BadSenderName);
                String::new()
            }
        };
        peer(&name, Trust::Unknown)
    };
    warnings.sort();
    Ok((found, warnings))
}

/// What one held change would do, for the preview to name.
#[derive(Clone, Debug, Serialize)]
pub struct HeldChange {
    pub id: Id,
    pub reasons: Vec<Held>,
    /// The fields it would change, by stored name.
    pub fields: Vec<String>,
}

/// What importing would do, per kind; nothing is written.
#[derive(Clone, Debug, Serialize)]
pub struct Preview {
    pub sender: Peer,
    pub created: DateTime<Utc>,
    pub records: u64,
    pub sensitive_included: bool,
    pub excluded: Excluded,
    pub kinds: BTreeMap<Kind, Tally>,
    pub total: Tally,
    pub warnings: Vec<Warning>,
    /// Changes not applied: held for a person to decide ("needs your
    /// decision").
    pub held: Vec<HeldChange>,
}

pub(super) fn total(kinds: &BTreeMap<Kind, Tally>) -> Tally {
    kinds.values().fold(Tally::default(), |a, t| Tally {
        new: a.new + t.new,
        updated: a.updated + t.updated,
        deleted: a.deleted + t.deleted,
        unchanged: a.unchanged + t.unchanged,
        conflict: a.conflict + t.conflict,
        held: a.held + t.held,
    })
}

fn sender_label(p: &Peer) -> String {
    if p.name.is_empty() {
        p.fingerprint.clone()
    } else {
        p.name.clone()
    }
}

fn preview_of(incoming: &Incoming, plan: &merge::Plan) -> Preview {
    let h = &incoming.bundle.header;
    Preview {
        sender: incoming.sender.clone(),
        created: h.created,
        records: h.records,
        sensitive_included: h.sensitive_included,
        excluded: h.excluded,
        total: total(&plan.tally),
        kinds: plan.tally.clone(),
        warnings: incoming.warnings.clone(),
        held: plan.held.clone(),
    }
}

fn source(incoming: &Incoming) -> merge::Source {
    merge::Source {
        label: sender_label(&incoming.sender),
        trusted: matches!(incoming.sender.trust, Some(Trust::Own | Trust::Verified)),
        device: incoming.device.clone(),
    }
}

/// What importing `incoming` would do; nothing is written. Refused as the
/// import would be if a record the merge builds fails its check.
pub fn preview(vault: &Vault, incoming: &Incoming) -> Result<Preview, Error> {
    let entries = incoming.bundle.entries.iter();
    let plan = plan(vault, entries.map(Cow::Borrowed), incoming);
    if let Some(e) = plan.problem {
        return Err(crate::vault::Error::from(e).into());
    }
    Ok(preview_of(incoming, &plan))
}

/// Applies a checked file: every change and the audit log entry in one
/// atomic write, or nothing. Refused (nothing changed) if the file carries
/// warnings and `accept_warnings` is not set.
pub fn apply_checked(
    vault: &mut Vault,
    incoming: Incoming,
    accept_warnings: bool,
) -> Result<Preview, Error> {
    if !accept_warnings && !incoming.warnings.is_empty() {
        return Err(Error::Warnings(incoming.warnings));
    }
    apply(vault, incoming)
}

/// Applies a checked file whatever its warnings (the caller asked): every
/// change and the audit log entry in one atomic write, or nothing.
pub fn apply(vault: &mut Vault, mut incoming: Incoming) -> Result<Preview, Error> {
    let (counts, deletions) = incoming.bundle.counts();
    let entries = std::mem::take(&mut incoming.bundle.entries);
    let entries = entries.into_iter().map(Cow::Owned);
    let plan = plan(vault, entries, &incoming);
    let preview = preview_of(&incoming, &plan);
    let mut changes = plan.changes;
    changes.log(LogEntry {
        time: Utc::now(),
        action: Action::Import,
        counts,
        deletions,
        peers: vec![incoming.sender.clone()],
        passphrase: false,
        sensitive_included: preview.sensitive_included,
        excluded: preview.excluded,
        merged: Some(preview.total),
        warnings: preview.warnings.clone(),
    });
    vault.commit(changes)?;
    Ok(preview)
}

/// The merge's plan for `entries` of `incoming`, the records the reader
/// left out (already here, this very version) counted as unchanged.
fn plan<'a>(
    vault: &Vault,
    entries: impl IntoIterator<Item = Cow<'a, Checked>>,
    incoming: &Incoming,
) -> merge::Plan {
    let mut plan = merge::plan(vault, entries, &source(incoming));
    for (kind, (live, deleted)) in &incoming.bundle.left_out {
        plan.tally.entry(*kind).or_default().unchanged += live + deleted;
    }
    plan
}
