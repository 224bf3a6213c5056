//! Large batches (an import, a restore, a spreadsheet of 100,000 people)
//! written in parts, all or nothing all the same.
//!
//! sled applies one batch while holding one epoch guard, so every node it
//! copies on the way stays in memory until the batch ends: 112,000 records in
//! one batch took 780 MB in sled alone (1,000 at a time: about 100 MB, and
//! faster). So a large batch is written `PART` records at a time, each part
//! after what its keys held before is saved in the undo tree (one value per
//! part, tagged with the epoch of the manifest that will commit the batch).
//! The batch counts only once that manifest is written and durable, in one
//! last small batch; the undo tree is then emptied.
//!
//! sled recovers a prefix of its log, so after a crash each part written is
//! preceded by its undo. At unlock (`recover`), a non-empty undo tree whose
//! epoch is newer than the manifest on disk is a batch that never counted:
//! what it replaced is put back and what it added is removed. One whose
//! manifest was written only needs the undo tree emptied.

use super::Error;

/// The undo tree's name in the store.
pub const TREE: &str = "undo";
/// Records per part (and per sled batch).
pub const PART: usize = 1_000;
/// Packs per part: a change to a vault that already holds many records
/// rewrites a whole pack (about 24 records) for each, so a part of 1,000
/// such changes would carry 1,000 packs, old and new, and their undo.
pub const PACKS: usize = 128;
/// The undo tree's key for the epoch of the manifest that commits the batch
/// (no part number sorts after it).
const EPOCH: &[u8] = b"~epoch";

/// One value to write: its key, the value, and what the key holds now.
pub type Write = (Vec<u8>, sled::IVec, Option<sled::IVec>);

/// A large batch being written: each `write` puts its values in, `PART`
/// at a time, each part's undo first. Nothing is flushed here. On an error
/// the caller puts back what was written (`undo`).
pub struct Parts<'a> {
    records: &'a sled::Tree,
    undo: sled::Tree,
    part: u32,
}

impl<'a> Parts<'a> {
    /// Starts a batch that the manifest of `epoch` will commit.
    pub fn begin(db: &sled::Db, records: &'a sled::Tree, epoch: u64) -> Result<Parts<'a>, Error> {
        let undo = db.open_tree(TREE)?;
        // A leftover of a batch that failed and could not be put back would
        // be read as this one's: refuse rather than mix them.
        if !undo.is_empty() {
            return Err(Error::Damaged(super::Damage::Store));
        }
        undo.insert(EPOCH, &epoch.to_be_bytes())?;
        Ok(Parts {
            records,
            undo,
            part: 0,
        })
    }

    /// Writes `writes`, `PART` at a time, each part after its undo.
    pub fn write(&mut self, writes: Vec<Write>) -> Result<(), Error> {
        let mut writes = writes.into_iter().peekable();
        while writes.peek().is_some() {
            let mut old = Vec::new();
            let mut batch = sled::Batch::default();
            for (key, value, before) in writes.by_ref().take(PART) {
                encode(&mut old, &key, before.as_deref());
                batch.insert(key, value);
            }
            self.undo.insert(self.part.to_be_bytes(), old)?;
            self.records.apply_batch(batch)?;
            self.part += 1;
        }
        Ok(())
    }
}

/// Writes `writes` into `records` as one batch in parts (`Parts`). On an
/// error what was written is put back.
#[cfg(test)]
fn write(db: &sled::Db, records: &sled::Tree, epoch: u64, writes: Vec<Write>) -> Result<(), Error> {
    let result = Parts::begin(db, records, epoch).and_then(|mut p| p.write(writes));
    if result.is_err() {
        let _ = undo(db, records);
    }
    result
}

/// One key and what it held before (`None`: nothing): key length (u16),
/// key, 0 or 1, then value length (u32) and value.
fn encode(out: &mut Vec<u8>, key: &[u8], before: Option<&[u8]>) {
    out.extend_from_slice(&(key.len() as u16).to_be_bytes());
    out.extend_from_slice(key);
    match before {
        None => out.push(0),
        Some(v) => {
            out.push(1);
            out.extend_from_slice(&(v.len() as u32).to_be_bytes());
            out.extend_from_slice(v);
        }
    }
}

/// A key and what it held before a batch.
type Before<'a> = (&'a [u8], Option<&'a [u8]>);

/// Reads back what `encode` wrote; `None` if it is not well formed.
fn decode(mut bytes: &[u8]) -> Option<Vec<Before<'_>>> {
    fn take<'a>(b: &mut &'a [u8], n: usize) -> Option<&'a [u8]> {
        let (head, rest) = (b.get(..n)?, b.get(n..)?);
        *b = rest;
        Some(head)
    }
    let mut out = Vec::new();
    while !bytes.is_empty() {
        let n = u16::from_be_bytes(take(&mut bytes, 2)?.try_into().ok()?) as usize;
        let key = take(&mut bytes, n)?;
        let before = match take(&mut bytes, 1)?[0] {
            0 => None,
            1 => {
                let n = u32::from_be_bytes(take(&mut bytes, 4)?.try_into().ok()?) as usize;
                Some(take(&mut bytes, n)?)
            }
            _ => return None,
        };
        out.push((key, before));
    }
    Some(out)
}

/// Puts back what the parts in the undo tree replaced, last part first (a
/// key written twice gets what it held before the first), then empties it.
/// Done again from the start if interrupted: each step only restores.
fn put_back(records: &sled::Tree, undo: &sled::Tree) -> Result<(), Error> {
    for item in undo.iter().rev() {
        let (k, v) = item?;
        if &*k == EPOCH {
            continue;
        }
        let pairs = decode(&v).ok_or(Error::Damaged(super::Damage::Store))?;
        let mut batch = sled::Batch::default();
        for (key, before) in pairs {
            match before {
                Some(v) => batch.insert(key, v),
                None => batch.remove(key),
            }
        }
        records.apply_batch(batch)?;
    }
    undo.clear()?;
    Ok(())
}

/// Empties the undo tree once the batch's manifest is durable.
pub fn done(db: &sled::Db) -> Result<(), Error> {
    Ok(db.open_tree(TREE)?.clear()?)
}

/// After a failure before the batch's manifest was durable: puts back what
/// the batch replaced.
pub fn undo(db: &sled::Db, records: &sled::Tree) -> Result<(), Error> {
    put_back(records, &db.open_tree(TREE)?)
}

/// Settles a batch that did not finish: at unlock, before anything is read
/// (a crash), and before each write (a batch whose undo could not be put
/// back or emptied). A batch counts if `epoch`, the epoch of the manifest
/// on disk (`None` if it does not open), is at least its own; one that does
/// not is put back. Says whether anything was written (to be made durable).
pub fn settle(
    db: &sled::Db,
    records: &sled::Tree,
    epoch: impl FnOnce() -> Option<u64>,
) -> Result<bool, Error> {
    if !db.tree_names().iter().any(|n| &**n == TREE.as_bytes()) {
        return Ok(false);
    }
    let undo = db.open_tree(TREE)?;
    if undo.is_empty() {
        return Ok(false);
    }
    let batch_epoch = undo
        .get(EPOCH)?
        .and_then(|v| <[u8; 8]>::try_from(&*v).ok())
        .map(u64::from_be_bytes);
    let counted = matches!((batch_epoch, epoch()), (Some(b), Some(m)) if m >= b);
    if counted {
        undo.clear()?;
    } else {
        put_back(records, &undo)?;
    }
    Ok(true)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn undo_records_round_trip() {
        let mut out = Vec::new();
        encode(&mut out, b"p_1", None);
        encode(&mut out, b"p_22", Some(b"sealed"));
        encode(&mut out, b"", Some(b""));
        let back = decode(&out).expect("well formed");
        assert_eq!(
            back,
            vec![
                (&b"p_1"[..], None),
                (&b"p_22"[..], Some(&b"sealed"[..])),
                (&b""[..], Some(&b""[..]))
            ]
        );
        assert!(decode(&out[..out.len() - 1]).is_none());
    }

    fn before(records: &sled::Tree) -> Option<sled::IVec> {
        records.get(b"p_old").expect("get")
    }

    #[test]
    fn a_batch_is_put_back_unless_its_manifest_was_written() {
        let dir = tempfile::tempdir().expect("dir");
        let db = sled::Config::new().path(dir.path()).open().expect("sled");
        let records = db.open_tree("records").expect("tree");
        records
            .insert(b"p_old", b"before".to_vec())
            .expect("insert");
        let writes: Vec<_> = (0..2_500)
            .map(|i| (format!("p_{i:05}").into_bytes(), vec![1u8; 8].into(), None))
            .chain([(b"p_old".to_vec(), b"after".into(), before(&records))])
            .collect::<Vec<Write>>();

        // Interrupted before the manifest of epoch 7: put back.
        write(&db, &records, 7, writes.clone()).expect("write");
        assert_eq!(records.len(), 2_501);
        assert!(settle(&db, &records, || Some(6)).expect("recover"));
        assert_eq!(records.len(), 1);
        assert_eq!(
            records.get(b"p_old").unwrap().as_deref(),
            Some(&b"before"[..])
        );
        assert!(!settle(&db, &records, || Some(6)).expect("nothing left"));

        // Its manifest written: kept, the undo emptied.
        write(&db, &records, 8, writes).expect("write");
        assert!(settle(&db, &records, || Some(8)).expect("recover"));
        assert_eq!(records.len(), 2_501);
        assert_eq!(
            records.get(b"p_old").unwrap().as_deref(),
            Some(&b"after"[..])
        );

        // After a failure in the same process: `undo`.
        records
            .insert(b"p_old", b"before".to_vec())
            .expect("insert");
        // A key written twice, in two parts.
        let more: Vec<Write> = [(b"p_old".to_vec(), b"third".into(), before(&records))]
            .into_iter()
            .chain((0..PART).map(|i| (format!("q_{i}").into_bytes(), vec![2u8; 8].into(), None)))
            .chain([(b"p_old".to_vec(), b"fourth".into(), Some(b"third".into()))])
            .collect();
        write(&db, &records, 9, more).expect("write");
        undo(&db, &records).expect("undo");
        assert_eq!(records.len(), 2_501);
        assert_eq!(
            records.get(b"p_old").unwrap().as_deref(),
            Some(&b"before"[..])
        );
        assert!(!settle(&db, &records, || None).expect("nothing left"));
    }
}
