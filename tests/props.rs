//! Property tests (proptest): laws that must hold for every input, not only
//! the examples the other modules pick.
//!
//! - version clocks: `join` is commutative, associative and idempotent, and
//!   `compare` agrees with it;
//! - handoff merge: importing the same file twice changes nothing the second
//!   time, two vaults that exchange files end up agreeing, and the order of
//!   the exchange does not matter;
//! - search: the vault's index finds exactly what a plain scan finds, in list
//!   order, under random adds (organizations, people, notes), edits (names,
//!   titles, tags) and deletions, and again after reopening;
//! - forms: a record's form values, saved back, change nothing, and saved
//!   into a new record show the same values.
//!
//! Real vaults (real sled, real age files) with the cheapest Argon2id; case
//! counts are small so the module stays within seconds in a debug build.

use crate::util::{fast_kdf, pass, rec, PASS};
use aqui::handoff::merge::{compare, join, Clock, Order};
use aqui::handoff::{self, Selection, StewardKey, To};
use aqui::model::form::{form, values, Input};
use aqui::model::{DemandStatus, NoteKind, OrgKind, Relationship};
use aqui::vault::fold;
use aqui::{Id, Kind, Record, Vault};
use proptest::prelude::*;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use tempfile::TempDir;

/// `cases` random cases; a failure prints its smallest input (no
/// regression file is written into the source tree).
fn config(cases: u32) -> ProptestConfig {
    ProptestConfig {
        cases,
        failure_persistence: None,
        ..ProptestConfig::default()
    }
}

// ---- clocks -----------------------------------------------------------------

/// Clocks over a few devices, so that they share devices often.
fn clock() -> impl Strategy<Value = Clock> {
    prop::collection::btree_map(
        prop::sample::select(vec!["a", "b", "c", "d", "e"]),
        0u64..5,
        0..5,
    )
    .prop_map(|m| m.into_iter().map(|(d, n)| (d.to_string(), n)).collect())
}

/// A clock with devices at 0 dropped: "no edits" and "absent" are the same.
fn norm(c: &Clock) -> BTreeMap<String, u64> {
    c.iter()
        .filter(|(_, n)| **n > 0)
        .map(|(d, n)| (d.clone(), *n))
        .collect()
}

proptest! {
    #![proptest_config(config(512))]

    #[test]
    fn join_is_commutative_associative_and_idempotent(a in clock(), b in clock(), c in clock()) {
        prop_assert_eq!(join(&a, &b), join(&b, &a));
        prop_assert_eq!(join(&join(&a, &b), &c), join(&a, &join(&b, &c)));
        prop_assert_eq!(join(&a, &a), a.clone());
        prop_assert_eq!(join(&a, &Clock::new()), a.clone());
        // Sorted, each device once, each device's highest count.
        let j = join(&a, &b);
        prop_assert!(j.iter().zip(j.iter().skip(1)).all(|(x, y)| x.0 < y.0));
        for (dev, n) in j.iter() {
            let most = a.get(dev).copied().unwrap_or(0).max(b.get(dev).copied().unwrap_or(0));
            prop_assert_eq!(*n, most);
        }
    }

    #[test]
    fn compare_agrees_with_join(a in clock(), b in clock()) {
        let j = join(&a, &b);
        // The join has seen both.
        prop_assert!(matches!(compare(&a, &j), Order::Older | Order::Same));
        prop_assert!(matches!(compare(&b, &j), Order::Older | Order::Same));
        prop_assert!(matches!(compare(&j, &a), Order::Newer | Order::Same));
        // Antisymmetric.
        let flipped = match compare(&a, &b) {
            Order::Older => Order::Newer,
            Order::Newer => Order::Older,
            o => o,
        };
        prop_assert_eq!(compare(&b, &a), flipped);
        // `compare` is the order of the join: a ≤ b exactly when a ∨ b = b.
        let a_le_b = norm(&j) == norm(&b);
        let b_le_a = norm(&j) == norm(&a);
        let expected = match (a_le_b, b_le_a) {
            (true, true) => Order::Same,
            (true, false) => Order::Older,
            (false, true) => Order::Newer,
            (false, false) => Order::Concurrent,
        };
        prop_assert_eq!(compare(&a, &b), expected);
        prop_assert_eq!(compare(&a, &a), Order::Same);
    }
}

// ---- vaults -------------------------------------------------------------------

const WORDS: &[&str] = &[
    "Ana", "María", "maria", "Peña", "Centro", "Unidos", "José", "ÑANDÚ", "río",
];

fn name(i: usize, j: usize) -> String {
    format!("{} {}", WORDS[i % WORDS.len()], WORDS[j % WORDS.len()])
}

/// One change to a vault; indexes pick among the live records.
#[derive(Clone, Debug)]
enum Op {
    AddOrg(usize, usize),
    /// A person, a member of a live organization when `Some`, with a tag.
    AddPerson(usize, usize, Option<usize>),
    Rename(usize, usize, usize),
    /// A live person gains a tag and loses their first one.
    Retag(usize, usize),
    /// A note with words in its body, attended by a live person when `Some`.
    AddNote(usize, usize, Option<usize>),
    Delete(usize),
}

fn op() -> impl Strategy<Value = Op> {
    let w = 0..WORDS.len();
    prop_oneof![
        2 => (w.clone(), w.clone()).prop_map(|(i, j)| Op::AddOrg(i, j)),
        3 => (w.clone(), w.clone(), prop::option::of(0usize..8))
            .prop_map(|(i, j, o)| Op::AddPerson(i, j, o)),
        3 => (0usize..16, w.clone(), w.clone()).prop_map(|(r, i, j)| Op::Rename(r, i, j)),
        1 => (0usize..16, w.clone()).prop_map(|(r, i)| Op::Retag(r, i)),
        1 => (w.clone(), w, prop::option::of(0usize..8))
            .prop_map(|(i, j, p)| Op::AddNote(i, j, p)),
        1 => (0usize..16).prop_map(Op::Delete),
    ]
}

fn live_ids(v: &Vault, kind: Option<Kind>) -> Vec<Id> {
    v.entries()
        .filter(|(id, e)| e.record.is_some() && kind.is_none_or(|k| id.kind() == k))
        .map(|(id, _)| id.clone())
        .collect()
}

fn apply_op(v: &mut Vault, op: &Op) {
    match op {
        Op::AddOrg(i, j) => {
            v.add(rec(Kind::Org, &[("name", &name(*i, *j))])).unwrap();
        }
        Op::AddPerson(i, j, org) => {
            let orgs = live_ids(v, Some(Kind::Org));
            let mut r = rec(
                Kind::Person,
                &[
                    ("name", &name(*i, *j)),
                    ("tag", WORDS[(i + j) % WORDS.len()]),
                ],
            );
            if let (Some(o), false) = (org, orgs.is_empty()) {
                let org = orgs[o % orgs.len()].to_string();
                r.set("org", &format!("{org}:Vocera"), aqui::model::today())
                    .unwrap();
            }
            v.add(r).unwrap();
        }
        Op::Rename(r, i, j) => {
            let ids = live_ids(v, None);
            if let Some(id) = ids.get(r % ids.len().max(1)) {
                let field = if id.kind() == Kind::Note {
                    "title"
                } else {
                    "name"
                };
                v.edit(id, &[(field.to_string(), name(*i, *j))]).unwrap();
            }
        }
        Op::Retag(r, i) => {
            let people = live_ids(v, Some(Kind::Person));
            if let Some(id) = people.get(r % people.len().max(1)) {
                let Ok(Record::Person(p)) = v.get(id) else {
                    unreachable!("a live person")
                };
                let mut edits = vec![("tag".to_string(), WORDS[*i].to_string())];
                if let Some(first) = p.tags.first() {
                    edits.push(("remove-tag".to_string(), first.clone()));
                }
                v.edit(id, &edits).unwrap();
            }
        }
        Op::AddNote(i, j, attendee) => {
            let people = live_ids(v, Some(Kind::Person));
            let body = format!("Notas: {} y {}.", WORDS[*j], WORDS[(i + 1) % WORDS.len()]);
            let mut r = rec(
                Kind::Note,
                &[
                    ("title", &name(*i, *j)),
                    ("date", "2026-11-20"),
                    ("body", &body),
                ],
            );
            if let (Some(a), false) = (attendee, people.is_empty()) {
                let who = people[a % people.len()].to_string();
                r.set("attendee", &who, aqui::model::today()).unwrap();
            }
            v.add(r).unwrap();
        }
        Op::Delete(r) => {
            let ids = live_ids(v, None);
            if let Some(id) = ids.get(r % ids.len().max(1)) {
                v.delete(id).unwrap();
            }
        }
    }
}

fn open(dir: &Path) -> Vault {
    Vault::unlock(dir, &pass(PASS)).unwrap()
}

/// `from` exports everything (deletions included) to the steward `to`, and
/// `into` imports the file. Returns the file.
fn hand(from: &mut Vault, to: &str, into: &mut Vault, file: PathBuf) -> PathBuf {
    let plan = handoff::select(from, &Selection::All, true).unwrap();
    handoff::export(from, plan, &To::Stewards(&[to.to_string()]), &file).unwrap();
    let incoming = handoff::open(into, &file, None).unwrap();
    handoff::apply(into, incoming).unwrap();
    file
}

/// Every entry's record and clock (when it was saved is not compared: a
/// concurrent identical edit keeps whichever side merged it first).
fn state(v: &Vault) -> BTreeMap<Id, (Option<Record>, Clock)> {
    v.entries()
        .map(|(i, e)| (i.clone(), (e.record.clone(), e.meta.clock.clone())))
        .collect()
}

/// Every conflict: their record and clock, and any further versions.
type ConflictState = BTreeMap<Id, (Option<Record>, Clock, usize)>;
fn conflicts(v: &Vault) -> ConflictState {
    v.conflicts()
        .iter()
        .map(|(i, c)| {
            let t = &c.theirs;
            (
                i.clone(),
                (t.record.clone(), t.meta.clock.clone(), c.also.len()),
            )
        })
        .collect()
}

/// `x` learns `y`'s card and verifies it.
fn introduce(x: &mut Vault, y: &Vault, name: &str) {
    handoff::add_steward(x, name, StewardKey::Card(&y.keys().card())).unwrap();
    handoff::verify_steward(x, name, Some(&y.keys().public().fingerprint())).unwrap();
}

/// Two vaults that know each other, sharing `seed`'s records, each then
/// changed on its own; closed, in `root/a` and `root/b`.
fn diverged(root: &Path, seed: &[Op], ops_a: &[Op], ops_b: &[Op]) {
    let mut a = Vault::create(&root.join("a"), &pass(PASS), fast_kdf()).unwrap();
    let mut b = Vault::create(&root.join("b"), &pass(PASS), fast_kdf()).unwrap();
    introduce(&mut a, &b, "B");
    introduce(&mut b, &a, "A");
    for op in seed {
        apply_op(&mut a, op);
    }
    hand(&mut a, "B", &mut b, root.join("seed.age"));
    assert_eq!(state(&a), state(&b));
    for op in ops_a {
        apply_op(&mut a, op);
    }
    for op in ops_b {
        apply_op(&mut b, op);
    }
}

proptest! {
    #![proptest_config(config(16))]

    #[test]
    fn handoffs_converge_in_either_order_and_a_second_import_changes_nothing(
        seed in prop::collection::vec(op(), 1..6),
        ops_a in prop::collection::vec(op(), 0..6),
        ops_b in prop::collection::vec(op(), 0..6),
    ) {
        let tmp = TempDir::new().unwrap();
        let root = tmp.path();
        diverged(root, &seed, &ops_a, &ops_b);
        crate::util::copy_dir(&root.join("a"), &root.join("a2"));
        crate::util::copy_dir(&root.join("b"), &root.join("b2"));

        // Order 1: A hands to B, then B to A.
        let (mut a, mut b) = (open(&root.join("a")), open(&root.join("b")));
        hand(&mut a, "B", &mut b, root.join("ab.age"));
        let ba = hand(&mut b, "A", &mut a, root.join("ba.age"));

        // Both hold the same ids; where neither waits on a conflict, the
        // same entry; where one does, so does the other, each holding the
        // other's version beside its own.
        let (sa, sb) = (state(&a), state(&b));
        prop_assert_eq!(sa.keys().collect::<Vec<_>>(), sb.keys().collect::<Vec<_>>());
        let (ca, cb) = (conflicts(&a), conflicts(&b));
        prop_assert_eq!(ca.keys().collect::<Vec<_>>(), cb.keys().collect::<Vec<_>>());
        for (id, ours) in &sa {
            match (ca.get(id), cb.get(id)) {
                (None, None) => prop_assert_eq!(ours, &sb[id], "{}", id),
                (Some(theirs_a), Some(theirs_b)) => {
                    prop_assert_eq!(&theirs_a.0, &sb[id].0, "{}", id);
                    prop_assert_eq!(&theirs_b.0, &ours.0, "{}", id);
                }
                _ => prop_assert!(false, "{id}: a conflict on one side only"),
            }
        }

        // The same file again: nothing changes.
        let incoming = handoff::open(&a, &ba, None).unwrap();
        let again = handoff::apply(&mut a, incoming).unwrap();
        prop_assert_eq!(again.total.new + again.total.updated + again.total.deleted, 0);
        prop_assert_eq!(&state(&a), &sa);
        prop_assert_eq!(&conflicts(&a), &ca);

        // Order 2, from the same two vaults: B hands to A first.
        let (mut a2, mut b2) = (open(&root.join("a2")), open(&root.join("b2")));
        hand(&mut b2, "A", &mut a2, root.join("ba2.age"));
        hand(&mut a2, "B", &mut b2, root.join("ab2.age"));
        prop_assert_eq!(&state(&a2), &sa);
        prop_assert_eq!(&state(&b2), &sb);
        prop_assert_eq!(&conflicts(&a2), &ca);
        prop_assert_eq!(&conflicts(&b2), &cb);

        // And what was merged opens again as it was.
        drop(a);
        prop_assert_eq!(&state(&open(&root.join("a"))), &sa);
    }
}

// ---- search ----------------------------------------------------------------------

/// What a search must find: live records every query word of which appears in
/// the folded text, or (for people) in a live organization's name; in list
/// order (kind, folded title, id).
fn scan(v: &Vault, query: &str) -> Vec<Id> {
    let words: Vec<String> = fold(query).split_whitespace().map(str::to_string).collect();
    if words.is_empty() {
        return Vec::new();
    }
    let live: BTreeMap<Id, &Record> = v
        .entries()
        .filter_map(|(i, e)| Some((i.clone(), e.record.as_ref()?)))
        .collect();
    let title = |id: &Id| live.get(id).map(|r| fold(r.title()));
    let mut out: Vec<Id> = live
        .iter()
        .filter(|(_, r)| {
            let text = fold(&r.search_text());
            words.iter().all(|w| {
                text.contains(w.as_str())
                    || matches!(r, Record::Person(p) if p.orgs.iter()
                        .any(|m| title(&m.org).is_some_and(|t| t.contains(w.as_str()))))
            })
        })
        .map(|(id, _)| id.clone())
        .collect();
    out.sort_by_key(|id| (id.kind(), title(id), id.clone()));
    out
}

/// Queries: whole words, pieces of words, two words, other cases and accents.
fn query() -> impl Strategy<Value = String> {
    let word = prop::sample::select(WORDS.to_vec());
    prop_oneof![
        word.clone().prop_map(str::to_string),
        word.clone().prop_map(|w| w.to_uppercase()),
        (word.clone(), 0usize..3).prop_map(|(w, n)| w.chars().skip(n).take(3).collect()),
        (word.clone(), word.clone()).prop_map(|(a, b)| format!("{a}  {b}")),
        // A word and a short piece of another (as "de" in "Centro de ..."),
        // which the vault may check in the few candidates' own text.
        (word.clone(), word, 0usize..3)
            .prop_map(|(a, b, n)| format!("{a} {}", b.chars().skip(n).take(2).collect::<String>())),
        Just("ria pen".to_string()),
        Just("voc".to_string()),
        Just("   ".to_string()),
    ]
}

proptest! {
    #![proptest_config(config(24))]

    #[test]
    fn search_finds_what_a_plain_scan_finds(
        ops in prop::collection::vec(op(), 1..25),
        queries in prop::collection::vec(query(), 1..8),
    ) {
        let tmp = TempDir::new().unwrap();
        let dir = tmp.path().join("vault");
        let mut v = Vault::create(&dir, &pass(PASS), fast_kdf()).unwrap();
        for (n, op) in ops.iter().enumerate() {
            apply_op(&mut v, op);
            // Now and then in the middle, always at the end.
            if n % 5 == 4 {
                for q in &queries {
                    let found: Vec<Id> = v.search(q).into_iter().cloned().collect();
                    prop_assert_eq!(found, scan(&v, q), "{:?} after {:?}", q, &ops[..=n]);
                }
            }
        }
        for q in &queries {
            let found: Vec<Id> = v.search(q).into_iter().cloned().collect();
            prop_assert_eq!(found, scan(&v, q), "{:?}", q);
        }
        // The index read from the snapshot the lock wrote agrees too.
        drop(v);
        let v = open(&dir);
        for q in &queries {
            let found: Vec<Id> = v.search(q).into_iter().cloned().collect();
            prop_assert_eq!(found, scan(&v, q), "{:?} after reopening", q);
        }
        // And so does the index rebuilt at unlock, without one.
        drop(v);
        let _ = std::fs::remove_file(dir.join("store").join("snapshot"));
        let v = open(&dir);
        for q in &queries {
            let found: Vec<Id> = v.search(q).into_iter().cloned().collect();
            prop_assert_eq!(found, scan(&v, q), "{:?} after rebuilding", q);
        }
    }
}

// ---- forms -----------------------------------------------------------------------

fn any_kind() -> impl Strategy<Value = Kind> {
    prop::sample::select(Kind::ALL.to_vec())
}

fn choice_values(of: &str) -> Vec<&'static str> {
    match of {
        "org_kind" => OrgKind::ALL.iter().map(|x| x.as_str()).collect(),
        "relationship" => Relationship::ALL.iter().map(|x| x.as_str()).collect(),
        "status" => DemandStatus::ALL.iter().map(|x| x.as_str()).collect(),
        "note_kind" => NoteKind::ALL.iter().map(|x| x.as_str()).collect(),
        "lang" => vec!["en", "es", ""],
        // A choice added later: its values come from somewhere this test
        // does not know; the empty value is tried (and may be refused).
        _ => vec![""],
    }
}

/// A value for one form input, usually valid, sometimes not (`Record::set`
/// refuses those and the field keeps its value).
fn value_for(input: Input) -> BoxedStrategy<String> {
    let text = "[A-Za-zÁéíñÑü'. -]{0,12}";
    let ids = |kind: Kind| {
        prop::sample::select(
            (0..4)
                .map(|_| Id::new(kind).to_string())
                .collect::<Vec<_>>(),
        )
    };
    match input {
        Input::Text => text.boxed(),
        Input::LongText => "[A-Za-zñ .,\n|]{0,40}".boxed(),
        Input::Phone => "\\+1 555 0[0-9]{3} [0-9]{4}".boxed(),
        Input::Email => "[a-z]{1,6}@example\\.(org|net)".boxed(),
        Input::Date => (2020i32..2030, 1u32..13, 1u32..29)
            .prop_map(|(y, m, d)| format!("{y}-{m:02}-{d:02}"))
            .boxed(),
        Input::Number => (0u64..100_000).prop_map(|n| n.to_string()).boxed(),
        Input::YesNo => prop::sample::select(vec!["yes", "no"])
            .prop_map(str::to_string)
            .boxed(),
        Input::Choice(of) => prop::sample::select(choice_values(of))
            .prop_map(str::to_string)
            .boxed(),
        Input::Link(kind) => prop_oneof![ids(kind), Just(String::new())].boxed(),
        Input::Links(kind) => ids(kind).boxed(),
        Input::Texts => "[a-zñ][a-zñ -]{0,8}".boxed(),
        Input::FollowUps => (
            "[A-Za-z|][A-Za-z |]{0,12}",
            prop::option::of((2026i32..2028, 1u32..13, 1u32..29)),
            prop::option::of(ids(Kind::Person)),
            any::<bool>(),
        )
            .prop_map(|(task, due, who, done)| {
                let due = due.map(|(y, m, d)| format!("{y}-{m:02}-{d:02}"));
                format!(
                    "{task}|{}|{}|{}",
                    due.unwrap_or_default(),
                    who.unwrap_or_default(),
                    if done { "done" } else { "" }
                )
            })
            .boxed(),
        // An input added later: only the empty value.
        #[allow(unreachable_patterns)]
        _ => Just(String::new()).boxed(),
    }
}

/// A kind and `(field, value)` pairs for its form, required fields first.
fn form_input() -> impl Strategy<Value = (Kind, Vec<(String, String)>)> {
    any_kind().prop_flat_map(|kind| {
        let fields = form(kind);
        let mut strategies: Vec<BoxedStrategy<(String, String)>> = Vec::new();
        for f in fields.iter().filter(|f| f.required) {
            let name = f.name.to_string();
            let v = match f.input {
                Input::Text => "[A-Za-zÁé][A-Za-zÁéñ .-]{0,10}".boxed(),
                Input::Number => (1u64..10_000).prop_map(|n| n.to_string()).boxed(),
                i => value_for(i),
            };
            strategies.push(v.prop_map(move |v| (name.clone(), v)).boxed());
        }
        let optional: Vec<_> = fields.iter().map(|f| (f.name, f.input)).collect();
        let more = prop::collection::vec(
            prop::sample::select(optional).prop_flat_map(|(name, input)| {
                value_for(input).prop_map(move |v| (name.to_string(), v))
            }),
            0..12,
        );
        (strategies, more).prop_map(move |(mut first, more)| {
            first.extend(more);
            (kind, first)
        })
    })
}

proptest! {
    #![proptest_config(config(400))]

    #[test]
    fn form_values_saved_back_change_nothing((kind, pairs) in form_input()) {
        let today = aqui::model::today();
        let mut r = Record::empty(kind);
        for (field, value) in &pairs {
            // Invalid values are refused and leave the field as it was.
            let before = r.clone();
            if r.set(field, value, today).is_err() {
                prop_assert_eq!(&r, &before, "{} = {:?}", field, value);
            }
        }
        prop_assume!(r.validate().is_ok());
        // What the vault does to every new record (a demand's first status).
        r.prepare_new(today);
        let shown: Vec<(String, String)> = values(&r)
            .into_iter()
            .map(|(f, v)| (f.to_string(), v))
            .collect();
        // Every value shown is a field of the form.
        for (f, _) in &shown {
            prop_assert!(form(kind).iter().any(|x| x.name == f), "{} not in the form", f);
        }

        // Saving the form unchanged changes nothing.
        let mut same = r.clone();
        same.apply_form(&shown, today).unwrap();
        prop_assert_eq!(&same, &r);

        // Saved into a new record, the form shows the same values, and the
        // record is valid.
        let mut fresh = Record::empty(kind);
        fresh.apply_form(&shown, today).unwrap();
        let again: Vec<(String, String)> = values(&fresh)
            .into_iter()
            .map(|(f, v)| (f.to_string(), v))
            .collect();
        prop_assert_eq!(&again, &shown);
        prop_assert!(fresh.validate().is_ok());

        // One field at a time through `Record::set` (as the CLI does) gives
        // the same record as the whole form.
        let mut by_set = Record::empty(kind);
        for (f, v) in shown.iter().filter(|(_, v)| !v.is_empty()) {
            by_set.set(f, v, today).unwrap();
        }
        prop_assert_eq!(values(&by_set), values(&fresh));
    }
}
