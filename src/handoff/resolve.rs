//! Settling a conflict: one side whole, or field by field; the result is
//! newer than both sides.

use super::*;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Side {
    Mine,
    Theirs,
}

impl Side {
    pub fn parse(s: &str) -> Option<Side> {
        match s.trim().to_lowercase().as_str() {
            "mine" | "mío" | "mio" => Some(Side::Mine),
            "theirs" | "suyo" => Some(Side::Theirs),
            _ => None,
        }
    }
}

/// How to settle a conflict: one side whole, or field by field (fields not
/// named keep this vault's value).
#[derive(Clone, Debug)]
pub enum Take {
    Whole(Side),
    Fields(Vec<(String, Side)>),
}

/// A field's key in a stored `kind` record (`follow_ups`) from the name a
/// person types or sees (`follow-up`), as the field table says; a key the
/// table does not name (`others`) is taken as typed. `None` if the record
/// has no such field.
fn stored_field(
    kind: Kind,
    obj: &serde_json::Map<String, serde_json::Value>,
    name: &str,
) -> Option<String> {
    let name = name.trim().to_lowercase();
    let key = match crate::model::fields::table(kind).find(&name) {
        Some(f) if !f.key.is_empty() => f.key.to_string(),
        _ => name.replace('-', "_"),
    };
    (key != "kind" && obj.contains_key(&key)).then_some(key)
}

/// The fields where the two sides differ, by stored name.
pub fn differing_fields(mine: &Record, theirs: &Record) -> Vec<String> {
    let (Ok(serde_json::Value::Object(a)), Ok(serde_json::Value::Object(b))) =
        (serde_json::to_value(mine), serde_json::to_value(theirs))
    else {
        return Vec::new();
    };
    a.keys()
        .filter(|k| *k != "kind" && a.get(*k) != b.get(*k))
        .cloned()
        .collect()
}

/// Settles a conflict. The result is newer than both sides, so it wins
/// wherever either side travels next.
pub fn resolve(vault: &mut Vault, id: &Id, take: &Take) -> Result<(), Error> {
    let conflict = vault
        .conflicts()
        .get(id)
        .cloned()
        .ok_or_else(|| Error::NoConflict(id.clone()))?;
    let mine = vault
        .entry(id)
        .cloned()
        .ok_or_else(|| vault::Error::NotFound(id.clone()))?;
    let theirs = &conflict.theirs;
    let record = match take {
        Take::Whole(Side::Mine) => mine.record.clone(),
        Take::Whole(Side::Theirs) => theirs.record.clone(),
        Take::Fields(fields) => Some(merge_fields(&mine, theirs, fields)?),
    };
    let mut record = record;
    if let (Some(m), Some(r)) = (&mine.record, &mut record) {
        keep_held_back_refs(vault, m, r);
    }
    let mut clock: Clock = merge::join(&mine.meta.clock, &theirs.meta.clock);
    for other in &conflict.also {
        clock = merge::join(&clock, &other.meta.clock);
    }
    *clock.entry(vault.device().to_string()).or_default() += 1;
    let mut meta = mine.meta.clone();
    meta.clock = clock;
    meta.updated = Utc::now();
    let entry = Entry { meta, record };
    // Either side came from elsewhere: the references it carries are kept
    // (checked for their kind, as `Changes::arrived` says).
    let mut changes = Changes::arrived();
    changes.put(id.clone(), entry).conflict(id.clone(), None);
    vault.commit(changes)?;
    Ok(())
}

fn merge_fields(mine: &Entry, theirs: &Entry, fields: &[(String, Side)]) -> Result<Record, Error> {
    let (Some(m), Some(t)) = (&mine.record, &theirs.record) else {
        // One side is a deletion: there are no fields to pick from.
        let name = fields.first().map(|f| f.0.clone()).unwrap_or_default();
        return Err(Error::BadTake(name));
    };
    let to_obj = |r: &Record| match serde_json::to_value(r) {
        Ok(serde_json::Value::Object(o)) => Some(o),
        _ => None,
    };
    let (Some(mut out), Some(theirs)) = (to_obj(m), to_obj(t)) else {
        return Err(Error::BadTake(String::new()));
    };
    for (name, side) in fields {
        let key = stored_field(m.kind(), &out, name).ok_or_else(|| Error::BadTake(name.clone()))?;
        if *side == Side::Theirs {
            let v = theirs.get(&key).cloned().unwrap_or(serde_json::Value::Null);
            out.insert(key, v);
        }
    }
    serde_json::from_value(serde_json::Value::Object(out))
        .map_err(|_| Error::BadTake(String::new()))
}
