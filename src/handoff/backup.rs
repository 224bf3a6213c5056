//! Whole-vault backup (records and the vault's own state in one age file)
//! and restore into a new vault.

use super::*;
use crate::model::policy::Policy;

/// A vault's own state, carried by a backup beside its records.
#[derive(Serialize, Deserialize)]
pub(super) struct VaultState {
    keys: keys::StoredKeys,
    stewards: Vec<Steward>,
    log: Vec<LogEntry>,
    conflicts: BTreeMap<Id, Conflict>,
    /// The retention rules and the hold; a backup made before they were
    /// carried has none recorded.
    #[serde(default)]
    retention: Policy,
}

/// Writes the whole vault (records, deletions, keys, address book, log,
/// conflicts, retention rules and hold) to one age file: to this vault's own
/// key (and any stewards named), or to a passphrase.
pub fn backup(vault: &mut Vault, to: &To, out: &Path) -> Result<Written, Error> {
    backup_with(vault, to, out, &NEVER)
}

/// `backup`, stopped cleanly when `stop` is raised.
pub fn backup_with(
    vault: &mut Vault,
    to: &To,
    out: &Path,
    stop: &AtomicBool,
) -> Result<Written, Error> {
    refuse_early(vault, out)?;
    let plan = select(vault, &Selection::All, true)?;
    let state = VaultState {
        keys: vault.keys().to_stored(),
        stewards: vault.stewards().cloned().collect(),
        log: vault.log().to_vec(),
        conflicts: vault.conflicts().clone(),
        retention: Policy {
            // A shredding left to finish belongs to this vault's store, not
            // to the new one a restore makes.
            shred_pending: false,
            ..vault.retention().clone()
        },
    };
    // To this vault's own key, plus whoever else was named.
    let own = vault.keys().public().age;
    let mut names: Vec<String> = vec![own];
    let to = match to {
        To::Stewards(more) => {
            names.extend(more.iter().cloned());
            To::Stewards(&names)
        }
        To::Passphrase(p, w) => To::Passphrase(p, *w),
    };
    let (mut peers, passphrase, tmp) =
        write_file(vault, out, &to, Purpose::Backup, &plan, Some(&state), stop)?;
    if let Some(me) = peers.first_mut().filter(|_| !passphrase) {
        me.name = vault.keys().name.clone();
        me.trust = Some(Trust::Own);
    }
    log_written(
        vault,
        Action::Backup,
        plan,
        peers,
        passphrase,
        tmp,
        out,
        stop,
    )
}

/// How to open a backup: with a vault's steward keys, or its passphrase.
pub enum Opener<'a> {
    Keys(&'a Keys),
    Passphrase(&'a Passphrase),
}

/// What a backup holds, before it is restored.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BackupContents {
    /// Live records per kind.
    pub counts: BTreeMap<Kind, usize>,
    /// The retention rules and the hold it brings back (none recorded in a
    /// backup made before backups carried them).
    pub retention: Policy,
}

/// What a backup holds, without restoring it (the app shows this before it
/// writes anything).
pub fn backup_contents(file: &Path, opener: Opener) -> Result<BackupContents, Error> {
    let bundle = read_backup(file, opener)?;
    Ok(BackupContents {
        counts: bundle.counts().0,
        retention: vault_state(&bundle)?.retention,
    })
}

/// The vault's own state a backup carries on its second line.
fn vault_state(bundle: &bundle::Bundle) -> Result<VaultState, Error> {
    bundle
        .vault
        .clone()
        .and_then(|v| serde_json::from_value(v).ok())
        .ok_or(Error::BadBundle {
            line: 2,
            problem: BundleProblem::NoHeader,
        })
}

/// Decrypts and checks a backup file with a vault's keys or its passphrase.
fn read_backup(file: &Path, opener: Opener) -> Result<bundle::Bundle, Error> {
    let throwaway;
    let (keys, p) = match opener {
        Opener::Keys(k) => (k, None),
        Opener::Passphrase(p) => {
            throwaway = Keys::generate();
            (&throwaway, Some(p))
        }
    };
    read_file(
        file,
        keys,
        p,
        |h| {
            if h.purpose != Purpose::Backup {
                return Err(Error::NotBackup);
            }
            Ok(())
        },
        |_, _| true,
        |_| None,
        &NEVER,
    )
}

/// Restores a backup into a new vault at `dir`, under `pass`. The new vault
/// keeps the steward identity, address book, log, conflicts, retention rules
/// and hold, with a device id of its own (so its edits and the old laptop's
/// never get confused).
pub fn restore(
    file: &Path,
    opener: Opener,
    dir: &Path,
    pass: &Passphrase,
    kdf: KdfParams,
) -> Result<Vault, Error> {
    let with_passphrase = matches!(opener, Opener::Passphrase(_));
    let bundle = read_backup(file, opener)?;
    let state = vault_state(&bundle)?;
    let own = Keys::from_stored(&state.keys)
        .ok_or(Error::Altered)?
        .public();
    let mut seen = HashSet::new();
    // The records as the backup holds them, with the references they had.
    let mut changes = Changes::arrived();
    changes.keys(state.keys);
    for s in state.stewards {
        if seen.insert(s.name.to_lowercase()) {
            changes.steward(s.name.clone(), Some(s));
        }
    }
    for entry in state.log {
        changes.log(entry);
    }
    for (id, c) in state.conflicts {
        // Checked as the reader checks the records (the vault line is line 2).
        if let Some(r) = &c.theirs.record {
            bundle::check_record(&id, r)
                .map_err(|problem| Error::BadBundle { line: 2, problem })?;
        }
        changes.conflict(id, Some(c));
    }
    // A hold comes back with the records it protects.
    changes.retention(state.retention);
    let (counts, deletions) = bundle.counts();
    let sender = bundle.header.sender.clone();
    let mut vault = Vault::create(dir, pass, kdf)?;
    let mut peer = Peer {
        name: sender.name,
        fingerprint: sender.keys.fingerprint(),
        trust: None,
    };
    peer.trust = Some(if sender.keys == own {
        Trust::Own
    } else {
        Trust::Unknown
    });
    changes.log(LogEntry {
        time: Utc::now(),
        action: Action::Restore,
        counts,
        deletions,
        peers: vec![peer],
        passphrase: with_passphrase,
        sensitive_included: true,
        excluded: Excluded::default(),
        merged: None,
        warnings: Vec::new(),
    });
    for (id, entry) in bundle.entries {
        changes.put(id, entry);
    }
    if let Err(e) = vault.commit(changes) {
        // Leave no half-restored vault behind.
        let _ = vault.destroy();
        return Err(e.into());
    }
    Ok(vault)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_backup_with_a_bad_conflict_restores_nothing() {
        let tmp = tempfile::TempDir::new().unwrap();
        let keys = Keys::generate();
        // A conflict on an organization whose other side is a person.
        let org = Id::new(Kind::Org);
        let mut person = Record::empty(Kind::Person);
        person.set("name", "Ana", crate::model::today()).unwrap();
        let now = Utc::now();
        let theirs = Entry {
            meta: crate::vault::Meta {
                created: now,
                updated: now,
                clock: Clock::from_iter([("elsewhere".to_string(), 1)]),
            },
            record: Some(person),
        };
        let conflict = Conflict {
            theirs,
            from: "Beto".into(),
            received: now,
            also: Vec::new(),
            held: Vec::new(),
        };
        let state = VaultState {
            keys: keys.to_stored(),
            stewards: Vec::new(),
            log: Vec::new(),
            conflicts: BTreeMap::from([(org, conflict)]),
            retention: Policy::default(),
        };
        let header = Header {
            aqui_bundle: 2,
            purpose: Purpose::Backup,
            created: now,
            sender: Sender {
                name: "Yo".into(),
                keys: keys.public(),
            },
            device: "old-laptop".into(),
            recipients: vec![keys.public().fingerprint()],
            records: 0,
            counts: BTreeMap::new(),
            sensitive_included: true,
            excluded: Excluded::default(),
        };
        let file = tmp.path().join("backup.age");
        let recipient = keys.public().recipient().unwrap();
        let enc =
            age::Encryptor::with_recipients(std::iter::once(&recipient as &dyn age::Recipient))
                .unwrap();
        let out = enc.wrap_output(File::create(&file).unwrap()).unwrap();
        let mut w = bundle::Writer::start(out, &header).unwrap();
        w.vault_state(&state).unwrap();
        w.finish(&keys).unwrap().finish().unwrap();

        let dir = tmp.path().join("restored");
        let pass = Passphrase::new("new vault pass".to_string());
        let kdf = crate::testkit::fast_kdf();
        let e = restore(&file, Opener::Keys(&keys), &dir, &pass, kdf).err();
        assert!(
            matches!(
                e,
                Some(Error::BadBundle {
                    line: 2,
                    problem: BundleProblem::WrongKind
                })
            ),
            "{e:?}"
        );
        assert!(!dir.exists());
    }
}
