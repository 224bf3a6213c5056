//! What an export holds: the records a selection names (a campaign with
//! everything it links to, ids, a search, all), the people held back from
//! it, and the records as they travel without them.

use super::*;
use hashbrown::HashMap;

/// Which records to export.
#[derive(Clone, Debug)]
pub enum Selection {
    /// Every record, deletions included.
    All,
    /// A campaign, its demands, pledge drives and notes, and what they link to.
    Campaign(Id),
    Ids(Vec<Id>),
    /// The records a search finds.
    Search(String),
}

/// What an export will hold: shown before the file is written.
#[derive(Clone, Debug, Serialize)]
pub struct ExportPlan {
    #[serde(skip)]
    pub ids: Vec<Id>,
    /// People held back from this export: their ids are taken out of every
    /// reference in the records that travel.
    #[serde(skip)]
    pub hidden: BTreeSet<Id>,
    /// Notes that travel whose title or text mentions a left-out person by
    /// name or alias (their titles), so the steward can decide.
    pub mentions: Vec<String>,
    pub counts: BTreeMap<Kind, usize>,
    pub deletions: usize,
    pub excluded: Excluded,
    pub sensitive_included: bool,
}

/// A record as it travels: the ids of `hidden` people taken out of every
/// reference, counted where a count matters.
pub(super) fn strip_refs(record: &Record, hidden: &BTreeSet<Id>) -> Option<Record> {
    if hidden.is_empty() || !record.refs().iter().any(|(_, id, _)| hidden.contains(*id)) {
        return None;
    }
    let mut r = record.clone();
    let count = |ids: &mut Vec<Id>| {
        let before = ids.len();
        ids.retain(|i| !hidden.contains(i));
        u32::try_from(before - ids.len()).unwrap_or(u32::MAX)
    };
    match &mut r {
        Record::Note(n) => {
            let gone = count(&mut n.attendees);
            n.others = n.others.saturating_add(gone);
            for f in &mut n.follow_ups {
                if f.who.as_ref().is_some_and(|w| hidden.contains(w)) {
                    f.who = None;
                }
            }
        }
        Record::Pledge(p) => {
            let gone = count(&mut p.signers);
            p.others = p.others.saturating_add(gone);
            for b in &mut p.batches {
                if b.by.as_ref().is_some_and(|w| hidden.contains(w)) {
                    b.by = None;
                }
            }
        }
        Record::Org(o) if o.contact.as_ref().is_some_and(|c| hidden.contains(c)) => {
            o.contact = None;
        }
        Record::Person(p) => {
            // Who recorded a consent answer, in the answer and its history.
            let c = &mut *p.consent;
            let recorders = c
                .contact
                .iter_mut()
                .chain(c.share.iter_mut())
                .map(|m| &mut m.recorder)
                .chain(c.history.iter_mut().map(|e| &mut e.recorder));
            for r in recorders {
                if r.as_ref().is_some_and(|w| hidden.contains(w)) {
                    *r = None;
                }
            }
        }
        _ => {}
    }
    Some(r)
}

/// Whether `text` mentions `name` as a word (case-insensitive).
fn mentions(text: &str, name: &str) -> bool {
    let name = name.trim().to_lowercase();
    if name.chars().count() < 3 {
        return false;
    }
    let text = text.to_lowercase();
    text.match_indices(&name).any(|(i, m)| {
        let before = text[..i].chars().next_back();
        let after = text[i + m.len()..].chars().next();
        !before.is_some_and(char::is_alphanumeric) && !after.is_some_and(char::is_alphanumeric)
    })
}

/// The names and aliases `mentions` looks for in notes, by their first
/// word: a note's text is checked only for the names whose first word is
/// one of its words (a name it mentions always is), not for every name.
struct Names {
    by_first_word: HashMap<String, Vec<String>>,
    /// Names that do not start with a letter or digit: checked in every text.
    others: Vec<String>,
}

impl Names {
    fn new<'a>(names: impl Iterator<Item = &'a String>) -> Names {
        let mut out = Names {
            by_first_word: HashMap::new(),
            others: Vec::new(),
        };
        for name in names {
            let lower = name.trim().to_lowercase();
            match lower.split(|c: char| !c.is_alphanumeric()).next() {
                Some(first) if !first.is_empty() => {
                    let first = first.to_string();
                    out.by_first_word.entry(first).or_default().push(lower);
                }
                _ => out.others.push(lower),
            }
        }
        out
    }

    /// Whether `text` mentions any of the names, as `mentions` says. A
    /// name is asked of `mentions` only once found as a word at the start
    /// of one of the text's words (where any mention it finds is).
    fn in_text(&self, text: &str) -> bool {
        let lower = text.to_lowercase();
        let starts = |at: usize, name: &str| {
            lower[at..].starts_with(name)
                && !lower[at + name.len()..]
                    .chars()
                    .next()
                    .is_some_and(char::is_alphanumeric)
        };
        let mut word: Option<usize> = None;
        let ends = lower.char_indices().chain([(lower.len(), ' ')]);
        for (i, c) in ends {
            match (c.is_alphanumeric(), word) {
                (true, None) => word = Some(i),
                (false, Some(at)) => {
                    word = None;
                    let names = self.by_first_word.get(&lower[at..i]).into_iter().flatten();
                    if names.filter(|n| starts(at, n)).any(|n| mentions(&lower, n)) {
                        return true;
                    }
                }
                _ => {}
            }
        }
        self.others.iter().any(|name| mentions(&lower, name))
    }
}

/// What a note's text is checked for mentions in.
#[derive(Default, Deserialize)]
#[serde(default)]
struct NotePart<'a> {
    #[serde(borrow)]
    title: Cow<'a, str>,
    #[serde(borrow)]
    body: Cow<'a, str>,
}

/// A live note's title and text, read from `json`, its stored JSON, if
/// given (else, or if that does not read, from the note opened for the
/// moment).
fn note_text(vault: &Vault, id: &Id, json: Option<&[u8]>) -> Option<(String, String)> {
    if let Some(Ok(stored)) = json.map(serde_json::from_slice::<Stored<NotePart>>) {
        let n = stored.record?;
        return Some((n.title.into_owned(), n.body.into_owned()));
    }
    match vault.entry_once(id)?.record.as_ref()? {
        Record::Note(n) => Some((n.title.clone(), n.body.clone())),
        _ => None,
    }
}

/// Works out what `selection` puts in an export.
pub fn select(
    vault: &Vault,
    selection: &Selection,
    include_sensitive: bool,
) -> Result<ExportPlan, Error> {
    // Who is held back, and why, is known without opening anyone (the
    // vault keeps it beside each record, see `Vault::held_back`): everyone
    // held back here, chosen or not. Not needed to choose everything.
    let held: HashMap<&Id, bool> = match (selection, include_sensitive) {
        (Selection::All, true) => HashMap::new(),
        _ => vault.held_back().collect(),
    };
    let live;
    // Each chosen record, with whether it is live and whether it is a
    // person held back (and why). Everything is taken in the order the
    // vault keeps its records (its slots; the same for as long as it is
    // open), so that the export reads each slot, id and sealed value where
    // the one before ended instead of at random (sorted by id, finding a
    // record's slot was a tenth of the export's workers' time); a file's
    // records are in no promised order. The other selections are in id
    // order.
    let chosen: Box<dyn Iterator<Item = (&Id, bool, Option<bool>)>> = match selection {
        Selection::All => Box::new(vault.flags()),
        // The others choose live records only.
        _ => {
            live = chosen_live(vault, selection, include_sensitive)?;
            Box::new(live.iter().map(|id| (id, true, held.get(id).copied())))
        }
    };
    let mut plan = ExportPlan {
        ids: Vec::with_capacity(chosen.size_hint().0),
        hidden: BTreeSet::new(),
        mentions: Vec::new(),
        counts: BTreeMap::new(),
        deletions: 0,
        excluded: Excluded::default(),
        sensitive_included: false,
    };
    // Live records by kind, counted in place (`Kind as usize`) and put in
    // the plan's map once, not looked up in it for each record.
    let mut counts = [0usize; Kind::ALL.len()];
    for (id, live, held) in chosen {
        if !live {
            plan.deletions += 1;
        } else if let Some(sensitive) = held {
            if !include_sensitive {
                if sensitive {
                    plan.excluded.sensitive += 1;
                } else {
                    plan.excluded.no_consent += 1;
                }
                continue;
            }
            plan.sensitive_included = true;
        }
        if live {
            counts[id.kind() as usize] += 1;
        }
        plan.ids.push(id.clone());
    }
    plan.counts = Kind::ALL
        .iter()
        .map(|k| (*k, counts[*k as usize]))
        .collect();
    if !include_sensitive && !held.is_empty() {
        let notes: Vec<&Id> = plan.ids.iter().filter(|i| i.kind() == Kind::Note).collect();
        // Everyone held back, chosen or not: their ids travel nowhere.
        plan.hidden = held.keys().map(|id| (*id).clone()).collect();
        // Their names, for the notes that mention them: only they are
        // opened, for the moment and on every core, their stored JSON read
        // no further than that, and only if a note travels.
        let people: Vec<&Id> = match notes.is_empty() {
            true => Vec::new(),
            false => held.keys().copied().collect(),
        };
        let read = vault.map_json(&people, |id, json| held_person(vault, id, json));
        let names = Names::new(read.iter().flatten().flatten().flat_map(|(_, n)| n));
        let named = vault.map_json(&notes, |id, json| {
            let (title, body) = note_text(vault, id, json)?;
            names.in_text(&format!("{title}\n{body}")).then_some(title)
        });
        plan.mentions = named.into_iter().flatten().collect();
    }
    Ok(plan)
}

/// The live records `selection` names.
fn chosen_live(
    vault: &Vault,
    selection: &Selection,
    include_sensitive: bool,
) -> Result<BTreeSet<Id>, Error> {
    let mut chosen: BTreeSet<Id> = BTreeSet::new();
    match selection {
        Selection::All => chosen.extend(vault.ids().filter(|(_, l)| *l).map(|(id, _)| id.clone())),
        Selection::Ids(ids) => {
            for id in ids {
                if !vault.is_live(id) {
                    return Err(vault::Error::NotFound(id.clone()).into());
                }
                chosen.insert(id.clone());
            }
        }
        Selection::Search(q) => chosen.extend(vault.search(q).into_iter().cloned()),
        Selection::Campaign(c) => {
            if vault.get(c)?.kind() != Kind::Campaign {
                return Err(vault::Error::NotFound(c.clone()).into());
            }
            // The campaign, its items, and everything they link to, following
            // links until nothing new turns up.
            let mut todo: Vec<Id> = vec![c.clone()];
            todo.extend(
                vault
                    .campaign_items(c)
                    .into_iter()
                    .map(|(id, _)| id.clone()),
            );
            while let Some(id) = todo.pop() {
                let Ok(record) = vault.get(&id) else { continue };
                if !chosen.insert(id.clone()) {
                    continue;
                }
                if held_back(record).is_some() && !include_sensitive {
                    continue; // their links are not followed either
                }
                todo.extend(record.refs().into_iter().map(|(_, r, _)| r.clone()));
            }
        }
    }
    Ok(chosen)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Looking names up by their first word finds what asking `mentions`
    /// of every name finds.
    #[test]
    fn names_found_by_first_word_are_the_names_mentioned() {
        let names: Vec<String> = [
            "Quiet Witness",
            "María José",
            "Ana",
            "Bo",
            " Chela ",
            "(Tío) Beto",
            "O'Brien",
            "ana ana",
            "Íñigo Ruiz",
        ]
        .map(String::from)
        .to_vec();
        let texts = [
            "Quiet Witness told us",
            "quiet witnesses came",
            "MARÍA JOSÉ y Ana",
            "Anabel and Bo",
            "Chela.",
            "ask (tío) beto",
            "o'brien's shop",
            "xana ana ana",
            "ÍÑIGO RUIZ",
            "íñigo ruizes",
            "nothing here",
            "",
        ];
        for n in 0..names.len() {
            for k in 0..=names.len() - n {
                let some = &names[n..n + k];
                let found = Names::new(some.iter());
                for text in texts {
                    let expected = some.iter().any(|name| mentions(text, name));
                    assert_eq!(found.in_text(text), expected, "{text:?} {some:?}");
                }
            }
        }
    }
}
