//! Sealing: records serialized and sealed for sled (in parallel when there
//! are many), and the sealed manifest, the keyed hashes over every stored
//! value that tell a rolled-back, removed or added value at unlock. Also
//! the one parallel map (`par_map`: batches, unlock) and the one pipeline
//! (`pipeline`: a large batch's parts, a handoff's lines).

use super::*;

/// The sealed manifest (format 3): how many values each tree holds and the
/// XOR of their keyed hashes (over key and sealed value), and a counter of
/// writes. Kept under `MANIFEST` in the records tree and rewritten in the
/// same batch as every change, so a value rolled back to an older sealed
/// copy, removed or added behind the vault's back no longer matches it.
/// Only the vault can compute a keyed hash or seal a manifest.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub(super) struct Manifest {
    pub(super) epoch: u64,
    pub(super) records: u64,
    #[serde(with = "hex")]
    pub(super) records_hash: Digest,
    pub(super) aux: u64,
    #[serde(with = "hex")]
    pub(super) aux_hash: Digest,
}

pub(super) const MANIFEST_AAD: &[u8] = b"aqui/manifest";

pub(super) fn xor(acc: &mut Digest, d: &Digest) {
    for (a, b) in acc.iter_mut().zip(d) {
        *a ^= b;
    }
}

pub(super) fn record_digest(seal: &HashKey, key: &[u8], value: &[u8]) -> Digest {
    seal.hash(&[RECORDS.as_bytes(), key, value])
}

pub(super) fn aux_digest(seal: &HashKey, key: &[u8], value: &[u8]) -> Digest {
    seal.hash(&[aux::TREE.as_bytes(), key, value])
}

/// The keyed hash of a record's stored JSON (given in `pieces` that follow
/// each other), kept beside its sealed value: a line of a file is told to be
/// that JSON, byte for byte, without opening the record
/// (`Vault::holds_json`). Keyed, so no one without the data key can make
/// other bytes that pass for it.
pub(super) fn plain_digest(seal: &HashKey, pieces: &[&[u8]]) -> Digest {
    seal.hash_joined(b"aqui/plain", pieces)
}

/// The records of one pack sealed in a part: the pack's key, then each
/// record's place in the changes given, its sealed value, the value's keyed
/// hash and its JSON's (`plain_digest`).
pub(super) type SealedPack = (Vec<u8>, Vec<(usize, Vec<u8>, Digest, Digest)>);

/// Seals the records `ids` (`plain` appends the JSON of the `i`th to the
/// empty list it is given, which is wiped after it, and says `false` to
/// leave it out; it must only append, and not seal records itself: the
/// list is its thread's, see `with_json`) about `bulk::PART` records (at most
/// `bulk::PACKS` packs) at a time, whole packs at a time, each part by
/// one worker of `pipeline` (a batch of one part on every core), and hands
/// each part's packs to `part` on this thread while the next parts are
/// sealed (so both cores stay busy while `part` writes): a large batch
/// never holds more than a few parts' sealed values per core, nor all
/// their JSON, at once. Packs come in key order; within a pack, records in
/// the order given (a later change of the same id comes later). Errors come
/// in part order: a part's sealing error is met only once every part
/// before it went to `part`, and `part` is never given a later part after
/// it failed.
pub(super) fn seal_by_pack(
    (key, seal): (&DataKey, &HashKey),
    ids: &[&Id],
    plain: impl Fn(usize, &mut Vec<u8>) -> Result<bool, Error> + Sync,
    mut part: impl FnMut(Vec<SealedPack>) -> Result<(), Error>,
) -> Result<(), Error> {
    // The changes in pack order (a stable sort: within a pack, in the order
    // given), each pack a run of them: no key made, nor map node, per record.
    let tags: Vec<&[u8]> = ids.iter().map(|id| pack::tag(id.as_str())).collect();
    let order = pack_order(&tags);
    let mut packs = order
        .chunk_by(|&a, &b| tags[a] == tags[b])
        .map(|places| (pack::key(ids[places[0]]), places));
    let one = |&i: &usize| -> Result<_, Error> {
        with_json(|json| {
            if !plain(i, json)? {
                return Ok(None);
            }
            let id = ids[i];
            let value = with_aad(id, |aad| key.seal(aad, json));
            let digest = record_digest(seal, id.as_str().as_bytes(), &value);
            Ok(Some((i, value, digest, plain_digest(seal, &[json]))))
        })
    };
    // The next part's packs (key and how many records) and records.
    let mut packs = packs.by_ref().peekable();
    let mut next_chunk = || {
        packs.peek()?;
        let mut chunk = Vec::new();
        let mut records = Vec::new();
        while records.len() < bulk::PART && chunk.len() < bulk::PACKS {
            let Some((k, places)) = packs.next() else {
                break;
            };
            records.extend_from_slice(places);
            chunk.push((k, places.len()));
        }
        Some((chunk, records))
    };
    // A part's records sealed on one thread (`one_thread`), or, for a
    // batch of one part, on every core.
    let seal_chunk = |(chunk, records): (Vec<(Vec<u8>, usize)>, Vec<usize>), one_thread: bool| {
        let sealed = if one_thread {
            records.iter().map(one).collect()
        } else {
            par_map(&records, one)
        };
        let mut sealed = sealed.into_iter();
        let mut out = Vec::with_capacity(chunk.len());
        for (k, n) in chunk {
            let values = sealed.by_ref().take(n).collect::<Result<Vec<_>, _>>()?;
            let values: Vec<_> = values.into_iter().flatten().collect();
            if !values.is_empty() {
                out.push((k, values));
            }
        }
        Ok::<_, Error>(out)
    };
    let Some(first) = next_chunk() else {
        return Ok(());
    };
    let Some(second) = next_chunk() else {
        // One part only (every small write): sealed on this thread (and
        // `par_map`'s, for 256 records or more).
        return part(seal_chunk(first, false)?);
    };
    // Many: each part sealed whole by one of the workers, up to two parts
    // each ahead of this thread, which hands them to `part` in order.
    // Neither waits for the other part by part (sealing one part ahead of
    // the writing kept the cores busy three quarters of the time). A batch
    // of fewer parts than cores leaves some idle; a large one does not.
    let mut chunks = [first, second].into_iter();
    pipeline(
        2,
        || Ok(chunks.next().or_else(&mut next_chunk)),
        |chunk| seal_chunk(chunk, true),
        |sealed| part(sealed?),
    )
}

/// Most bytes of JSON a thread keeps room for between two records
/// (`with_json`); a larger record's room is wiped and freed after it.
const KEEP_JSON: usize = 64 << 10;

/// Room a thread's list for JSON is made with (`with_json`): more than
/// most records (a person about 500 bytes, a note about 2 KB).
const JSON_ROOM: usize = 4 << 10;

/// `f` given this thread's list for a record's JSON, empty, and wiped
/// (its length) after it: one list a thread, not one a record (each
/// record's own list, allocated and freed, kept the threads of a large
/// batch waiting on each other's `malloc`). Made with room for a note
/// (`JSON_ROOM`), so that most records leave no copy behind, unwiped, by a
/// list grown as their JSON is written; a larger one grows it (each
/// growth frees a copy unwiped, as a list of its own did).
fn with_json<R>(f: impl FnOnce(&mut Vec<u8>) -> R) -> R {
    thread_local! {
        static JSON: std::cell::RefCell<Vec<u8>> = const { std::cell::RefCell::new(Vec::new()) };
    }
    /// Wipes the list when dropped: also when `f` panics.
    struct Scrub<'a>(&'a mut Vec<u8>);
    impl Drop for Scrub<'_> {
        fn drop(&mut self) {
            crate::harden::wipe_kept(self.0, KEEP_JSON);
        }
    }
    JSON.with_borrow_mut(|json| {
        json.clear();
        json.reserve(JSON_ROOM);
        let scrub = Scrub(json);
        f(&mut *scrub.0)
    })
}

/// How many threads work on many records at once (at most 8): the core
/// count, asked once (it reads cgroup files, about 15 µs: a large batch
/// asked it twice a part). The one place for it: batches, unlock, handoffs.
pub(crate) fn cores() -> usize {
    static CORES: std::sync::OnceLock<usize> = std::sync::OnceLock::new();
    *CORES.get_or_init(|| std::thread::available_parallelism().map_or(2, |n| n.get().min(8)))
}

/// The places of `tags` in the order of their bytes, equal tags in the
/// order given (a stable sort). A tag (a few ASCII letters, `_`, hex
/// digits: no zero byte) padded with zeros to 16 bytes, read big-endian,
/// sorts as its bytes do; the place breaks ties, so an unstable sort of
/// those numbers gives the stable order without comparing bytes.
fn pack_order(tags: &[&[u8]]) -> Vec<usize> {
    let mut order: Vec<usize> = (0..tags.len()).collect();
    let padded = |t: &[u8]| -> Option<u128> {
        let mut b = [0u8; 16];
        b.get_mut(..t.len())?.copy_from_slice(t);
        (!t.contains(&0)).then(|| u128::from_be_bytes(b))
    };
    match tags
        .iter()
        .map(|t| padded(t))
        .collect::<Option<Vec<u128>>>()
    {
        Some(keys) => order.sort_unstable_by_key(|&i| (keys[i], i)),
        None => order.sort_by(|&a, &b| tags[a].cmp(tags[b])),
    }
    order
}

/// `f` of each item, in order: on every core when there are many.
pub(super) fn par_map<T: Sync, U: Send>(items: &[T], f: impl Fn(&T) -> U + Sync) -> Vec<U> {
    // Only a large batch needs threads (nor the core count).
    if items.len() < 256 {
        return items.iter().map(f).collect();
    }
    par_map_on(cores(), PAR_BLOCK, items, f)
}

/// `f` of each item, in order, on `threads` threads (this one among them),
/// each taking the next `block` items as it goes: so that no core waits
/// for another given a slower share (records differ in size: a note is
/// 2 KB, a person 500 bytes). The one scheduler for work on many items:
/// batches here, and unlock's ranges of ids (`open::par_jobs`).
pub(super) fn par_map_on<T: Sync, U: Send>(
    threads: usize,
    block: usize,
    items: &[T],
    f: impl Fn(&T) -> U + Sync,
) -> Vec<U> {
    if threads <= 1 {
        return items.iter().map(f).collect();
    }
    let block_len = block.max(1);
    let count = items.len().div_ceil(block_len);
    let next = std::sync::atomic::AtomicUsize::new(0);
    let work = || {
        let mut done = Vec::new();
        loop {
            let b = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            let Some(block) = items.get(b * block_len..) else {
                return done;
            };
            let block = &block[..block.len().min(block_len)];
            if block.is_empty() {
                return done;
            }
            done.push((b, block.iter().map(&f).collect::<Vec<_>>()));
        }
    };
    let mut done: Vec<Option<Vec<U>>> = (0..count).map(|_| None).collect();
    std::thread::scope(|scope| {
        let others: Vec<_> = (1..threads).map(|_| scope.spawn(work)).collect();
        let mine = work();
        let theirs = others
            .into_iter()
            .flat_map(|t| t.join().unwrap_or_else(|e| std::panic::resume_unwind(e)));
        for (b, results) in mine.into_iter().chain(theirs) {
            done[b] = Some(results);
        }
    });
    let mut out = Vec::with_capacity(items.len());
    for block in done {
        out.extend(block.expect("every block is mapped: workers stop only when none is left"));
    }
    out
}

/// Items a `par_map` worker takes at a time.
const PAR_BLOCK: usize = 64;

/// Runs `work` over the jobs `produce` makes, on every core, and hands the
/// results to `consume` in the order the jobs were made. `produce` and
/// `consume` run on this thread; at most `ahead` jobs per worker are in
/// flight, so memory stays bounded whatever the number of jobs. The first
/// error stops it, and a panic of `work` goes on here when its job's turn
/// comes: the jobs still queued are then dropped undone (a worker finishes
/// only the one it holds). An error `consume` meets in an earlier job wins
/// over one `produce` met reading ahead, so errors come in input order.
/// The one pipeline: a handoff's lines (`bundle`), a large batch's parts
/// (`seal_by_pack`).
pub(crate) fn pipeline<J: Send, R: Send, E>(
    ahead: usize,
    mut produce: impl FnMut() -> Result<Option<J>, E>,
    work: impl Fn(J) -> R + Sync,
    mut consume: impl FnMut(R) -> Result<(), E>,
) -> Result<(), E> {
    use std::panic::AssertUnwindSafe;
    use std::sync::atomic::{AtomicBool, Ordering};
    use std::sync::{mpsc, Mutex};
    let workers = cores();
    let in_flight = workers * ahead.max(1);
    let (job_tx, job_rx) = mpsc::channel::<(u64, J)>();
    let (done_tx, done_rx) = mpsc::channel::<(u64, std::thread::Result<R>)>();
    let job_rx = Mutex::new(job_rx);
    // Raised when this thread stops taking results, by an error or a
    // panic (`Stop`'s drop): the workers then take no other job.
    let stop = AtomicBool::new(false);
    struct Stop<'a>(&'a AtomicBool);
    impl Drop for Stop<'_> {
        fn drop(&mut self) {
            self.0.store(true, Ordering::Relaxed);
        }
    }
    let (job_rx, work, stop) = (&job_rx, &work, &stop);
    std::thread::scope(|scope| {
        for _ in 0..workers {
            let done_tx = done_tx.clone();
            scope.spawn(move || loop {
                let job = match job_rx.lock() {
                    Ok(rx) => rx.recv(),
                    Err(_) => return,
                };
                let Ok((seq, job)) = job else { return };
                if stop.load(Ordering::Relaxed) {
                    return;
                }
                let r = std::panic::catch_unwind(AssertUnwindSafe(|| work(job)));
                if done_tx.send((seq, r)).is_err() {
                    return;
                }
            });
        }
        drop(done_tx);
        // Set before the scope waits for the workers, however this ends.
        let _stop = Stop(stop);
        let mut waiting: BTreeMap<u64, std::thread::Result<R>> = BTreeMap::new();
        let (mut sent, mut taken) = (0u64, 0u64);
        let mut produced: Result<(), E> = Ok(());
        let mut more = true;
        let result = loop {
            while more && sent - taken < in_flight as u64 {
                match produce() {
                    Ok(Some(job)) => {
                        // Workers outlive the loop: a send cannot fail.
                        let _ = job_tx.send((sent, job));
                        sent += 1;
                    }
                    Ok(None) => more = false,
                    Err(e) => {
                        produced = Err(e);
                        more = false;
                    }
                }
            }
            if taken == sent {
                break produced;
            }
            let r = match waiting.remove(&taken) {
                Some(r) => r,
                None => match done_rx.recv() {
                    Ok((seq, r)) if seq == taken => r,
                    Ok((seq, r)) => {
                        waiting.insert(seq, r);
                        continue;
                    }
                    // Workers catch their panics: they outlive the loop.
                    Err(_) => unreachable!("the workers stopped"),
                },
            };
            taken += 1;
            // A panic in a worker goes on in this thread, as if it had
            // done the work itself.
            let r = r.unwrap_or_else(|panic| std::panic::resume_unwind(panic));
            if let Err(e) = consume(r) {
                break Err(e);
            }
        };
        drop(job_tx);
        result
    })
}

pub(super) fn seal_manifest(key: &DataKey, manifest: &Manifest) -> Result<Vec<u8>, Error> {
    let plain = serde_json::to_vec(manifest).map_err(|_| Error::Damaged(Damage::Encode))?;
    Ok(key.seal(MANIFEST_AAD, &plain))
}

pub(super) fn set_digest(digests: &mut Vec<Digest>, slot: u32, d: Digest) {
    let slot = slot as usize;
    if slot == digests.len() {
        digests.push(d);
    } else if let Some(place) = digests.get_mut(slot) {
        *place = d;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Packs come in key order, each whole in one part, its records in the
    /// order given (a later change of an id after the earlier), every change
    /// once, sealed under its own id; a part holds at most `bulk::PART`
    /// records unless one pack is larger, and at most `bulk::PACKS` packs.
    #[test]
    fn packs_come_in_key_order_with_their_records_in_the_order_given() {
        let key = DataKey::generate();
        let seal = key.derive("test");
        let kinds = [Kind::Person, Kind::Org, Kind::Note];
        let mut ids: Vec<Id> = (0..3_000).map(|i| Id::new(kinds[i % 3])).collect();
        // The same id again, later, and one left out.
        ids.push(ids[7].clone());
        ids.push(ids[2_500].clone());
        let refs: Vec<&Id> = ids.iter().collect();
        let plain = |i: usize, json: &mut Vec<u8>| {
            json.extend_from_slice(format!("{{\"n\":{i}}}").as_bytes());
            Ok(i != 11)
        };
        let mut parts = Vec::new();
        seal_by_pack((&key, &seal), &refs, plain, |packs| {
            parts.push(packs);
            Ok(())
        })
        .unwrap();
        assert!(parts.len() >= 3);
        let mut seen = vec![0; ids.len()];
        let mut last: Option<Vec<u8>> = None;
        for part in &parts {
            assert!(part.len() <= bulk::PACKS);
            let n: usize = part.iter().map(|(_, r)| r.len()).sum();
            assert!(n <= bulk::PART + 8, "{n}");
            for (k, records) in part {
                assert!(last.as_ref().is_none_or(|l| l < k));
                last = Some(k.clone());
                assert!(records.windows(2).all(|w| w[0].0 < w[1].0));
                for (i, value, digest, plain_d) in records {
                    seen[*i] += 1;
                    assert_eq!(*k, pack::key(&ids[*i]));
                    let json = key.open(&aad(&ids[*i]), value).unwrap();
                    assert_eq!(json.as_slice(), format!("{{\"n\":{i}}}").as_bytes());
                    assert_eq!(
                        *digest,
                        record_digest(&seal, ids[*i].as_str().as_bytes(), value)
                    );
                    assert_eq!(*plain_d, plain_digest(&seal, &[&json]));
                }
            }
        }
        for (i, n) in seen.iter().enumerate() {
            assert_eq!(*n, usize::from(i != 11), "{i}");
        }
    }

    #[test]
    fn the_associated_data_on_the_stack_is_the_same() {
        for kind in Kind::ALL {
            let id = Id::new(kind);
            assert_eq!(with_aad(&id, <[u8]>::to_vec), aad(&id));
        }
    }

    /// `par_map` gives `f` of each item once, in the items' order, however
    /// many there are and however unequal their work.
    #[test]
    fn par_map_keeps_the_order_and_maps_each_item_once() {
        let calls = std::sync::atomic::AtomicUsize::new(0);
        for (threads, n) in [0, 1, 255, 256, 257, PAR_BLOCK * 7 + 3, 10_001]
            .into_iter()
            .flat_map(|n| [(1, n), (2, n), (3, n)])
        {
            calls.store(0, std::sync::atomic::Ordering::Relaxed);
            let items: Vec<u64> = (0..n as u64).collect();
            let out = par_map_on(threads, PAR_BLOCK, &items, |&x| {
                calls.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                // Some items far slower than others.
                let spins = std::hint::black_box(if x % 97 == 0 { 20_000 } else { 10 });
                std::hint::black_box((0..spins).sum::<u64>());
                x * 3
            });
            let want: Vec<u64> = items.iter().map(|x| x * 3).collect();
            assert_eq!(out, want, "{threads} threads, {n} items");
            assert_eq!(calls.load(std::sync::atomic::Ordering::Relaxed), n);
        }
    }

    /// `pipeline` hands every result to `consume` in order; the first
    /// error (of `consume`, or carried by a result) stops it, `consume`
    /// is given nothing after it, and the workers take no job queued
    /// then; a panic of `work` goes on in this thread in its turn.
    #[test]
    fn the_pipeline_keeps_the_order_and_stops_at_the_first_error() {
        use std::sync::atomic::{AtomicUsize, Ordering};
        // Some jobs slower than others (a sleep: a loop's sum is one
        // formula once optimized).
        let spin = |i: u64| {
            if i.is_multiple_of(7) {
                std::thread::sleep(std::time::Duration::from_micros(50));
            }
        };
        // Whole: every result, in order.
        let mut jobs = 0..1_000u64;
        let mut got = Vec::new();
        let whole: Result<(), ()> = pipeline(
            2,
            || Ok(jobs.next()),
            |i| {
                spin(i);
                i * 2
            },
            |r| {
                got.push(r);
                Ok(())
            },
        );
        assert_eq!(whole, Ok(()));
        assert_eq!(got, (0..1_000).map(|i| i * 2).collect::<Vec<_>>());

        // An error carried by job 20's result: 0–19 consumed, nothing
        // after, and of the many jobs queued then (up to 50 a worker),
        // only the few the workers were at worked (each slow past job 20).
        let worked = AtomicUsize::new(0);
        let mut jobs = 0..100_000u64;
        let mut got = Vec::new();
        let failed: Result<(), u64> = pipeline(
            50,
            || Ok(jobs.next()),
            |i| {
                worked.fetch_add(1, Ordering::Relaxed);
                spin(i);
                if i > 20 {
                    std::thread::sleep(std::time::Duration::from_micros(200));
                }
                if i == 20 {
                    Err(i)
                } else {
                    Ok(i)
                }
            },
            |r| {
                got.push(r?);
                Ok(())
            },
        );
        assert_eq!(failed, Err(20u64));
        assert_eq!(got, (0..20).collect::<Vec<_>>());
        assert!(
            worked.load(Ordering::Relaxed) <= 21 + 10 * cores(),
            "{worked:?}"
        );

        // `consume` failing: the same.
        let mut jobs = 0..100_000u64;
        let mut given = 0;
        let failed = pipeline(
            2,
            || Ok(jobs.next()),
            |i| i,
            |i| {
                given += 1;
                if i == 5 {
                    Err("full")
                } else {
                    Ok(())
                }
            },
        );
        assert_eq!((failed, given), (Err("full"), 6));

        // A panic of `work`: after the results before it.
        let mut jobs = 0..1_000u64;
        let mut got = Vec::new();
        let panicked = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            pipeline::<_, _, ()>(
                2,
                || Ok(jobs.next()),
                |i| {
                    assert!(i != 9, "job 9");
                    i
                },
                |i| {
                    got.push(i);
                    Ok(())
                },
            )
        }));
        assert!(panicked.is_err());
        assert_eq!(got, (0..9).collect::<Vec<_>>());
    }

    /// A thread's list for JSON holds nothing of a record after it, on
    /// success and after a panic.
    #[test]
    fn the_json_list_is_wiped_after_each_record() {
        let secret = b"Guadalupe Reyes, 555-0100";
        with_json(|json| json.extend_from_slice(secret));
        // The list is reused: what it held was overwritten with zeros.
        let held = with_json(|json| {
            let p = json.as_ptr();
            // SAFETY: the previous record's bytes are within capacity
            // and were written.
            unsafe { std::slice::from_raw_parts(p, secret.len()) }.to_vec()
        });
        assert_eq!(held, vec![0u8; secret.len()]);
        let _ = std::panic::catch_unwind(|| {
            with_json(|json| {
                json.extend_from_slice(secret);
                panic!("while sealing");
            })
        });
        let held = with_json(|json| {
            // SAFETY: as above.
            unsafe { std::slice::from_raw_parts(json.as_ptr(), secret.len()) }.to_vec()
        });
        assert_eq!(held, vec![0u8; secret.len()]);
    }

    /// `pack_order` is a stable sort by bytes, whatever the tags.
    #[test]
    fn packs_are_ordered_by_their_tags_bytes_stably() {
        let sets: [&[&[u8]]; 4] = [
            &[
                b"per_a1f",
                b"org_000",
                b"per_a1f",
                b"per_a1",
                b"note_fff",
                b"per_a1f0",
                b"org_000",
            ],
            &[b"a", b"", b"ab", b"a", b"b", b""],
            &[b"x\0y", b"x", b"x\0", b"x\0y", b"w"],
            &[
                b"0123456789abcdef0",
                b"0123456789abcdef",
                b"0123456789abcdef0",
                b"01",
            ],
        ];
        for tags in sets {
            let mut want: Vec<usize> = (0..tags.len()).collect();
            want.sort_by(|&a, &b| tags[a].cmp(tags[b]));
            assert_eq!(pack_order(tags), want, "{tags:?}");
        }
    }
}
