//! The panic wipe, and shredding: files overwritten with random bytes,
//! synced, then removed.

use super::*;

impl Vault {
    /// Panic wipe of a vault that is not open: see `destroy_dir`.
    pub fn wipe(dir: &Path) -> Result<(), Error> {
        // Only a folder that is (or was, before an interrupted wipe) a vault.
        if !Vault::exists(dir) && !STORES.iter().any(|s| dir.join(s).join("db").exists()) {
            return Err(Error::NoVault(dir.into()));
        }
        destroy_dir(dir)
    }

    /// Panic wipe of this open vault.
    pub fn destroy(mut self) -> Result<(), Error> {
        let dir = self.dir.clone();
        self.snapshot_due = false;
        destroy_key(&dir)?;
        drop(self);
        destroy_dir(&dir)
    }
}

/// Overwrites a file with random bytes, syncs it, and removes it (see the
/// README for what overwriting cannot reach on SSDs and copy-on-write file
/// systems).
pub fn shred(path: &Path) -> Result<(), Error> {
    // Not followed: the wipe's list names files in folders others may write
    // to (a USB stick, a shared folder), and a listed file replaced by a
    // link, a pipe or a device must not make the wipe overwrite what it
    // points at, or hang on it. Anything but a plain file is only unlinked.
    let Ok(meta) = std::fs::symlink_metadata(path) else {
        return Ok(());
    };
    if !meta.is_file() {
        return match std::fs::remove_file(path) {
            Err(e) if e.kind() != std::io::ErrorKind::NotFound && !meta.is_dir() => {
                Err(Error::io(e))
            }
            _ => Ok(()),
        };
    }
    let mut options = std::fs::OpenOptions::new();
    options.write(true);
    // Swapped for a link or a pipe between the check and the open: refused.
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::custom_flags(
        &mut options,
        libc::O_NOFOLLOW | libc::O_NONBLOCK,
    );
    let mut f = options.open(path).map_err(Error::io)?;
    // In pieces: a listed file may have grown to any size since.
    let mut noise = vec![0u8; 64 * 1024];
    let mut left = meta.len().max(1024);
    while left > 0 {
        let n = left.min(noise.len() as u64) as usize;
        rand::rngs::OsRng.fill_bytes(&mut noise[..n]);
        std::io::Write::write_all(&mut f, &noise[..n]).map_err(Error::io)?;
        left -= n as u64;
    }
    f.sync_all().map_err(Error::io)?;
    drop(f);
    std::fs::remove_file(path).map_err(Error::io)
}

/// Overwrites every plain file under `dir` (see `shred`); links are not
/// followed.
pub(super) fn shred_tree(dir: &Path) -> Result<(), Error> {
    for entry in std::fs::read_dir(dir).map_err(Error::io)? {
        let entry = entry.map_err(Error::io)?;
        let path = entry.path();
        if entry.file_type().map_err(Error::io)?.is_dir() {
            shred_tree(&path)?;
        } else {
            shred(&path)?;
        }
    }
    Ok(())
}

/// Destroys the key material: the header (and a header left half-written by
/// an interrupted passphrase change) is overwritten with random bytes,
/// synced, then removed. After this nothing in the vault can be decrypted,
/// even if deleting the rest is interrupted.
fn destroy_key(dir: &Path) -> Result<(), Error> {
    for name in [
        HEADER.to_string(),
        format!("{HEADER}.tmp"),
        OLD_HEADER.to_string(),
    ] {
        shred(&dir.join(name))?;
    }
    store::sync_dir(dir)
}

/// Panic wipe: key first, then the vault's own files — only those, so a
/// mistyped `--vault` can never delete someone's other files — and the
/// folder itself once it is empty.
fn destroy_dir(dir: &Path) -> Result<(), Error> {
    destroy_key(dir)?;
    for name in STORES {
        // The one file there not written by sled (see `snapshot`).
        shred(&dir.join(name).join(snapshot::FILE))?;
        remove_dir_if_there(&dir.join(name))?;
    }
    let _ = std::fs::remove_file(dir.join(store::LOCK));
    let _ = std::fs::remove_file(dir.join(REKEY));
    let _ = std::fs::remove_file(dir.join(format!("{REKEY}.tmp")));
    // Left in place if something else lives there.
    let _ = std::fs::remove_dir(dir);
    Ok(())
}
