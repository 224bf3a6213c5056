//! The one place the protective rules live: which people stay out of
//! exports unless asked for (`held_back`), which incoming changes loosen
//! protection and wait for a person (`loosens`), and references to people
//! held back here that a record coming home gets back.

use super::*;

/// Whether a person stays out of exports unless explicitly included, and why
/// (`true`: sensitive; `false`: no recorded yes to sharing — "not asked" and
/// "no" both hold a person back). The rule itself is the model's
/// (`consent::held_back`), so that the vault can keep its answer beside
/// each record (`Vault::held_back`).
pub fn held_back(record: &Record) -> Option<bool> {
    record.held_back()
}

/// An entry's stored JSON read only as far as `T` needs (the rest skipped,
/// not parsed): see `Vault::entry_json`.
#[derive(Deserialize)]
pub(super) struct Stored<T> {
    pub record: Option<T>,
}

/// What `held_back` needs of a person, and their name and alias.
#[derive(Default, Deserialize)]
#[serde(default)]
struct PersonPart<'a> {
    #[serde(borrow)]
    name: Cow<'a, str>,
    #[serde(borrow)]
    alias: Cow<'a, str>,
    sensitive: bool,
    consent_share: Option<Share>,
}

/// `Person::consent_share` as stored, old or new (see
/// `consent::state_or_bool`).
#[derive(Deserialize)]
#[serde(untagged)]
enum Share {
    Old(bool),
    New(ConsentState),
}

/// A person held back (see `held_back`): whether for being sensitive, and
/// their name and alias.
pub(super) type HeldPerson = (bool, [String; 2]);

/// Whether the person `id` is held back, read from `json`, their stored
/// JSON, if given (else, or if that does not read, from the record opened
/// for the moment). `None` if not here or deleted.
pub(super) fn held_person(
    vault: &Vault,
    id: &Id,
    json: Option<&[u8]>,
) -> Option<Option<HeldPerson>> {
    let names = |name: &str, alias: &str| [name.to_string(), alias.to_string()];
    if let Some(Ok(stored)) = json.map(serde_json::from_slice::<Stored<PersonPart>>) {
        let p = stored.record?;
        let share = match p.consent_share {
            Some(Share::Old(b)) => ConsentState::from(b),
            Some(Share::New(s)) => s,
            None => ConsentState::NotAsked,
        };
        let why = crate::model::held_back(p.sensitive, share.is_yes());
        return Some(why.map(|why| (why, names(&p.name, &p.alias))));
    }
    match vault.entry_once(id)?.record.as_ref()? {
        r @ Record::Person(p) => Some(held_back(r).map(|why| (why, names(&p.name, &p.alias)))),
        _ => Some(None),
    }
}

/// How `theirs` would loosen the protection `ours` gives: removing a
/// sensitive mark, widening consent, bringing a deleted or purged record
/// back.
pub fn loosens(ours: Option<&Record>, theirs: Option<&Record>) -> Vec<Held> {
    let mut out = Vec::new();
    match (ours, theirs) {
        (None, Some(_)) => out.push(Held::Restores),
        (Some(Record::Person(a)), Some(Record::Person(b))) => {
            if a.sensitive && !b.sensitive {
                out.push(Held::Unmarks);
            }
            let widens =
                |ours: ConsentState, theirs: ConsentState| !ours.is_yes() && theirs.is_yes();
            if widens(a.consent_share, b.consent_share)
                || widens(a.consent_contact, b.consent_contact)
            {
                out.push(Held::WidensConsent);
            }
            // A person purged here (retention) brought back with their name
            // and contact details: what was removed on purpose returns,
            // whether or not the copy still says "purged".
            if a.purged && (!b.purged || carries_details(b)) {
                out.push(Held::Restores);
            }
            // The consent record is the evidence behind the states: a
            // withdrawal taken out of the history, an answer's date or manner
            // changed, or an answer from before consent records existed
            // passed off as a recorded one, all loosen it even while the
            // current states stay.
            if !out.contains(&Held::WidensConsent) && rewrites_consent(&a.consent, &b.consent) {
                out.push(Held::WidensConsent);
            }
        }
        // An organization's private mark keeps its name out of reports.
        (Some(Record::Org(a)), Some(Record::Org(b))) if a.private && !b.private => {
            out.push(Held::Unmarks);
        }
        _ => {}
    }
    out
}

/// Whether a person record holds anything a purge removes.
fn carries_details(p: &crate::model::Person) -> bool {
    !(p.name.is_empty()
        && p.alias.is_empty()
        && p.phone.is_empty()
        && p.signal.is_empty()
        && p.email.is_empty()
        && p.orgs.is_empty()
        && p.tags.is_empty()
        && p.last_contact.is_none()
        && p.next_follow_up.is_none())
}

/// Whether `theirs` changes the consent record `ours` other than by adding
/// answers after it. Taking out who recorded an answer (as a purge, or an
/// export that leaves that person out, does) is not a change.
fn rewrites_consent(ours: &crate::model::Consent, theirs: &crate::model::Consent) -> bool {
    use crate::model::{ConsentEvent, ConsentMark};
    let same_recorder = |a: &Option<Id>, b: &Option<Id>| b.is_none() || a == b;
    let same_event = |a: &ConsentEvent, b: &ConsentEvent| {
        a.date == b.date
            && a.topic == b.topic
            && a.state == b.state
            && a.how == b.how
            && a.lang == b.lang
            && same_recorder(&a.recorder, &b.recorder)
    };
    let same_mark = |a: &Option<ConsentMark>, b: &Option<ConsentMark>| match (a, b) {
        (None, None) => true,
        (Some(a), Some(b)) => {
            a.date == b.date
                && a.how == b.how
                && a.lang == b.lang
                && same_recorder(&a.recorder, &b.recorder)
        }
        _ => false,
    };
    if theirs.history.len() < ours.history.len()
        || !ours
            .history
            .iter()
            .zip(&theirs.history)
            .all(|(a, b)| same_event(a, b))
    {
        return true;
    }
    // An answer stands as it is here unless a new one was added for it.
    let added = &theirs.history[ours.history.len()..];
    let answered = |t: ConsentTopic| added.iter().any(|e| e.topic == t);
    (ours.before_records && !theirs.before_records && added.is_empty())
        || (!answered(ConsentTopic::Contact) && !same_mark(&ours.contact, &theirs.contact))
        || (!answered(ConsentTopic::Share) && !same_mark(&ours.share, &theirs.share))
}

/// Whether `id` is a person held back here (whose id must not travel).
fn is_held_back(vault: &Vault, id: &Id) -> bool {
    id.kind() == Kind::Person && vault.get(id).ok().and_then(held_back).is_some()
}

/// The references to people held back here that `ours` has and `theirs`
/// lost (because they were stripped when the record travelled) are put back:
/// a version coming home never drops them.
pub(crate) fn keep_held_back_refs(vault: &Vault, ours: &Record, theirs: &mut Record) {
    let held = |id: &&Id| is_held_back(vault, id);
    let back = |mine: &[Id], theirs: &mut Vec<Id>| -> u32 {
        let mut n = 0;
        for id in mine.iter().filter(held) {
            if !theirs.contains(id) {
                theirs.push(id.clone());
                n += 1;
            }
        }
        n
    };
    match (ours, theirs) {
        (Record::Note(a), Record::Note(b)) => {
            let n = back(&a.attendees, &mut b.attendees);
            b.others = b.others.saturating_sub(n);
            for f in &mut b.follow_ups {
                if f.who.is_none() {
                    if let Some(m) = a.follow_ups.iter().find(|m| m.task == f.task) {
                        f.who = m.who.clone().filter(|w| held(&w));
                    }
                }
            }
        }
        (Record::Pledge(a), Record::Pledge(b)) => {
            let n = back(&a.signers, &mut b.signers);
            b.others = b.others.saturating_sub(n);
            // A batch's collector, held back here, stripped on the way.
            for bb in b.batches.iter_mut().filter(|bb| bb.by.is_none()) {
                let same = a
                    .batches
                    .iter()
                    .find(|ab| ab.date == bb.date && ab.count == bb.count);
                if let Some(ab) = same {
                    bb.by = ab.by.clone().filter(|w| held(&w));
                }
            }
        }
        (Record::Person(a), Record::Person(b)) => {
            // Who recorded an answer, held back here, stripped on the way.
            let (ac, bc) = (&*a.consent, &mut *b.consent);
            let pairs = [(&ac.contact, &mut bc.contact), (&ac.share, &mut bc.share)];
            for (am, bm) in pairs {
                if let (Some(am), Some(bm)) = (am, bm) {
                    if bm.recorder.is_none() && am.date == bm.date {
                        bm.recorder = am.recorder.clone().filter(|w| held(&w));
                    }
                }
            }
            for (ae, be) in ac.history.iter().zip(bc.history.iter_mut()) {
                if be.recorder.is_none() && ae.date == be.date && ae.topic == be.topic {
                    be.recorder = ae.recorder.clone().filter(|w| held(&w));
                }
            }
        }
        (Record::Org(a), Record::Org(b)) if b.contact.is_none() => {
            b.contact = a.contact.clone().filter(|c| held(&c));
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::today;
    use crate::testkit::{fast_kdf, new_vault};

    /// The stored JSON read no further than `held_person` needs says what
    /// `held_back` says of the person parsed, for every answer, and for
    /// the `true`/`false` of records from before consent records.
    #[test]
    fn a_person_read_in_part_is_held_back_as_when_parsed() {
        let (_tmp, mut v) = new_vault();
        let mut checked = 0;
        for sensitive in ["yes", "no"] {
            for share in ["yes", "no", "not_asked", ""] {
                let mut r = Record::empty(Kind::Person);
                r.set("name", "Ana \"Chela\" Vidal", today()).unwrap();
                r.set("alias", "Chela", today()).unwrap();
                r.set("sensitive", sensitive, today()).unwrap();
                if !share.is_empty() {
                    r.set("share", share, today()).unwrap();
                }
                let id = v.add(r).unwrap();
                let json = v.entry_json(&id).unwrap();
                let parsed = v.get(&id).unwrap();
                let names = ["Ana \"Chela\" Vidal".to_string(), "Chela".to_string()];
                let expected = held_back(parsed).map(|why| (why, names));
                assert_eq!(held_person(&v, &id, Some(&json)), Some(expected.clone()));
                assert_eq!(held_person(&v, &id, None), Some(expected.clone()));
                // As stored before consent records: `consent_share` a bool.
                let mut old: serde_json::Value = serde_json::from_slice(&json).unwrap();
                let yes = parsed_share_is_yes(parsed);
                old["record"]["consent_share"] = yes.into();
                let old = serde_json::to_vec(&old).unwrap();
                let entry: Entry = serde_json::from_slice(&old).unwrap();
                let names = ["Ana \"Chela\" Vidal".to_string(), "Chela".to_string()];
                let expected = held_back(entry.record.as_ref().unwrap()).map(|why| (why, names));
                assert_eq!(held_person(&v, &id, Some(&old)), Some(expected));
                checked += 1;
            }
        }
        assert_eq!(checked, 8);
        let mut r = Record::empty(Kind::Person);
        r.set("name", "Gone", today()).unwrap();
        let gone = v.add(r).unwrap();
        v.delete(&gone).unwrap();
        let json = v.entry_json(&gone).unwrap();
        assert_eq!(held_person(&v, &gone, Some(&json)), None);
    }

    /// The vault's own list of who is held back (kept beside each record,
    /// see `Vault::held_back`) says what `held_back` says of every record
    /// parsed: after adds, edits either way, a deletion, a re-key, and an
    /// unlock from the snapshot or from the records themselves.
    #[test]
    fn the_vault_knows_who_is_held_back_without_opening_anyone() {
        let (_tmp, mut v) = new_vault();
        let dir = v.dir().to_path_buf();
        let mut people = Vec::new();
        for (sensitive, share) in [("yes", "yes"), ("no", "yes"), ("no", "no"), ("no", "")] {
            let mut r = Record::empty(Kind::Person);
            r.set("name", "Ana Vidal", today()).unwrap();
            r.set("sensitive", sensitive, today()).unwrap();
            if !share.is_empty() {
                r.set("share", share, today()).unwrap();
            }
            people.push(v.add(r).unwrap());
        }
        let mut note = Record::empty(Kind::Note);
        note.set("title", "Asamblea", today()).unwrap();
        v.add(note).unwrap();
        let set = |v: &mut Vault, id: &Id, field: &str, value: &str| {
            v.edit(id, &[(field.into(), value.into())]).unwrap();
        };
        let check = |v: &Vault| {
            let mut kept: Vec<(Id, bool)> = v.held_back().map(|(i, s)| (i.clone(), s)).collect();
            let mut parsed: Vec<(Id, bool)> = v
                .entries_once()
                .filter_map(|(id, e)| Some((id.clone(), held_back(e.record.as_ref()?)?)))
                .collect();
            kept.sort();
            parsed.sort();
            assert_eq!(kept, parsed);
            kept.len()
        };
        assert_eq!(check(&v), 3);
        set(&mut v, &people[0], "sensitive", "no");
        set(&mut v, &people[1], "share", "no");
        set(&mut v, &people[2], "share", "yes");
        assert_eq!(check(&v), 2);
        set(&mut v, &people[2], "sensitive", "yes");
        v.delete(&people[3]).unwrap();
        assert_eq!(check(&v), 2);
        let new = Passphrase::new("another horse battery staple".to_string());
        v.change_passphrase(&new, fast_kdf()).unwrap();
        assert_eq!(check(&v), 2);
        drop(v);
        let v = Vault::unlock(&dir, &new).unwrap();
        assert_eq!(check(&v), 2, "from the snapshot");
        drop(v);
        let store = std::fs::read_dir(&dir).unwrap().filter_map(|e| e.ok());
        for snapshot in store.map(|e| e.path().join("snapshot")) {
            let _ = std::fs::remove_file(snapshot);
        }
        let v = Vault::unlock(&dir, &new).unwrap();
        assert_eq!(check(&v), 2, "from the records");
    }

    fn parsed_share_is_yes(r: &Record) -> bool {
        matches!(r, Record::Person(p) if p.may_share())
    }
}
