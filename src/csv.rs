//! Spreadsheets in and out: people and organizations as CSV.
//!
//! Responsible for: reading a CSV file as organizers have them (UTF-8 with or
//! without a BOM, Windows-1252 or UTF-16 from Excel, comma, semicolon or tab,
//! quoted commas and line breaks, CRLF), recognizing its columns (English,
//! Spanish, Action Network's export), a preview of what an import would do,
//! merging duplicates instead of doubling them, and writing the import as
//! one batch. And the reverse: a kind's records as a CSV, with the handoff's
//! exclusions, cells that a spreadsheet cannot run as a formula, and a line
//! in the audit log. Not responsible for: choosing the file (CLI, app).
//!
//! Columns we do not keep (zip codes, subscription status) are listed as
//! ignored and never stored.

use crate::handoff::{self, Selection};
use crate::i18n::{self, Lang};
use crate::model::ledger::{Action, Excluded, LogEntry};
use crate::model::{fields, today, FieldError, Id, Kind, Record};
use crate::t;
use crate::vault::{self, fold, Changes, Vault};
use chrono::Utc;
use serde::Serialize;
use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

/// The largest CSV file read (a chapter's list is far smaller).
pub const MAX_BYTES: u64 = 64 * 1024 * 1024;

/// What can go wrong with a CSV import or export.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error(transparent)]
    Vault(#[from] vault::Error),
    #[error("cannot read {0}")]
    Read(PathBuf, #[source] std::io::Error),
    #[error("{0} is a folder")]
    IsFolder(PathBuf),
    #[error("too large")]
    TooLarge,
    #[error("no header row")]
    Empty,
    #[error("not CSV at row {0}")]
    Syntax(usize),
    #[error("only people and organizations")]
    WrongKind(Kind),
    #[error("no column {0}")]
    NoColumn(String),
    #[error("no field {0}")]
    NoField(String),
    #[error("no name column")]
    NoName,
    #[error("bad rows")]
    BadRows(Vec<RowProblem>),
    #[error("cannot write {0}")]
    Write(PathBuf, #[source] std::io::Error),
}

/// One bad cell: the spreadsheet row (the header is row 1), the column as
/// the file names it, and what is wrong.
#[derive(Clone, Debug, Serialize)]
pub struct RowProblem {
    pub row: usize,
    pub column: String,
    #[serde(skip)]
    pub error: FieldError,
    /// What is wrong, in the language asked for (filled by `localize`).
    pub message: String,
}

/// A header folded for matching: lower case, no accents, `_` `-` `.` as
/// spaces, spaces collapsed.
fn fold_header(h: &str) -> String {
    let f = fold(h.trim().trim_start_matches('\u{feff}'));
    f.split(|c: char| c.is_whitespace() || matches!(c, '_' | '-' | '.' | ':'))
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

/// The fields a column of a `kind` file can fill (the app's mapping table
/// offers these), as the field table lists them. `first-name` and
/// `last-name` make the name when no column is the whole name.
pub fn fields_of(kind: Kind) -> Vec<&'static str> {
    fields::table(kind)
        .csv_rows()
        .filter_map(|f| f.csv.map(|c| c.column))
        .collect()
}

/// The field a header is taken for, if any: the first row of the field
/// table that lists the header (folded: lower case, no accents, `_`/`-` as
/// spaces).
pub fn guess_field(kind: Kind, header: &str) -> Option<&'static str> {
    let h = fold_header(header);
    fields::table(kind)
        .csv_rows()
        .filter_map(|f| f.csv)
        .find(|c| c.headers.contains(&h.as_str()))
        .map(|c| c.column)
}

/// One column of the file and what it fills (`None`: ignored, not stored).
#[derive(Clone, Debug, Serialize)]
pub struct Column {
    pub header: String,
    pub field: Option<String>,
}

/// What an import would do, shown before anything is written.
#[derive(Clone, Debug, Serialize, Default)]
pub struct Preview {
    /// The encoding the file was read as (`UTF-8`, `windows-1252`, …).
    pub encoding: String,
    /// The separator between cells: `,`, `;` or a tab.
    pub delimiter: String,
    pub columns: Vec<Column>,
    /// Headers of the columns that are not kept.
    pub ignored: Vec<String>,
    /// Data rows in the file (blank rows not counted).
    pub rows: usize,
    /// New records the import adds (of the kind imported).
    pub new: usize,
    /// New organizations made from a person's organization column.
    pub new_orgs: usize,
    /// Rows that repeat an earlier row of the file, merged into it.
    pub merged_in_file: usize,
    /// Records already in the vault that the file adds something to.
    pub updated: usize,
    /// Rows that match a record already in the vault and add nothing.
    pub unchanged: usize,
    /// Rows left out because they are invalid.
    pub invalid: Vec<RowProblem>,
    /// The first few records as they would be stored, for a look.
    pub sample: Vec<serde_json::Value>,
}

/// How to read a file: its kind and column choices.
#[derive(Clone, Debug)]
pub struct Options {
    pub kind: Kind,
    /// `COLUMN=FIELD` overrides; field `ignore` (or `-`) leaves a column out.
    pub map: Vec<(String, String)>,
    pub skip_invalid: bool,
}

/// The decoded text of a CSV file and how it was read.
struct Decoded {
    text: String,
    encoding: &'static str,
    delimiter: u8,
}

/// Reads a file from disk with the messages a person needs (a folder, a file
/// that is not there or cannot be read), never a bare system error number.
pub fn read_file(path: &Path) -> Result<Vec<u8>, Error> {
    let meta = std::fs::metadata(path).map_err(|e| Error::Read(path.to_path_buf(), e))?;
    if meta.is_dir() {
        return Err(Error::IsFolder(path.to_path_buf()));
    }
    if meta.len() > MAX_BYTES {
        return Err(Error::TooLarge);
    }
    std::fs::read(path).map_err(|e| Error::Read(path.to_path_buf(), e))
}

/// Bytes → text: a BOM if there is one, else UTF-8 if it is valid, else the
/// detector's guess (Windows-1252 for what Excel writes in the Americas).
fn decode(bytes: &[u8]) -> Decoded {
    let (text, encoding) = if let Some((enc, bom)) = encoding_rs::Encoding::for_bom(bytes) {
        let (t, _) = enc.decode_without_bom_handling(&bytes[bom..]);
        (t.into_owned(), enc.name())
    } else if let Ok(s) = std::str::from_utf8(bytes) {
        (s.to_string(), encoding_rs::UTF_8.name())
    } else {
        let mut det = chardetng::EncodingDetector::new();
        det.feed(bytes, true);
        let enc = det.guess(None, false);
        let (t, _, _) = enc.decode(bytes);
        (t.into_owned(), enc.name())
    };
    let delimiter = sniff_delimiter(&text);
    Decoded {
        text,
        encoding,
        delimiter,
    }
}

/// The separator the header row uses most, outside quotes: `,` unless `;`
/// (Excel in Spanish-speaking locales) or a tab is more common.
fn sniff_delimiter(text: &str) -> u8 {
    let mut counts = [0usize; 3];
    let mut quoted = false;
    for c in text.chars() {
        match c {
            '"' => quoted = !quoted,
            '\n' if !quoted => break,
            ',' if !quoted => counts[0] += 1,
            ';' if !quoted => counts[1] += 1,
            '\t' if !quoted => counts[2] += 1,
            _ => {}
        }
    }
    let best = (0..3).max_by_key(|i| (counts[*i], 3 - i)).unwrap_or(0);
    [b',', b';', b'\t'][best]
}

/// A cell as a spreadsheet wrote it, without the `'` that stops a formula
/// (which our own export adds), trimmed.
fn cell(s: &str) -> &str {
    let s = s.trim();
    match s.strip_prefix('\'') {
        Some(rest) if rest.starts_with(['=', '+', '-', '@', '\t', '\r']) => rest,
        _ => s,
    }
}

/// The digits of a phone number, to compare two ways of writing it.
fn phone_digits(p: &str) -> String {
    p.chars().filter(char::is_ascii_digit).collect()
}

/// A language as spreadsheets write it: a code, or its name in either language.
fn lang_value(v: &str) -> String {
    match fold(v.trim()).as_str() {
        "spanish" | "espanol" | "castellano" | "esp" | "spa" => "es".into(),
        "english" | "ingles" | "eng" => "en".into(),
        _ => v.trim().to_string(),
    }
}

/// Where a merged row's data goes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Slot {
    /// A record already in the vault (index into `existing`).
    Old(usize),
    /// A record the import adds (index into `fresh`).
    New(usize),
}

/// The work of one import, before anything is written.
struct Plan<'v> {
    preview: Preview,
    /// Vault records the file matches: id, the record as it is, as merged.
    existing: Vec<(&'v Id, &'v Record, Record)>,
    fresh: Vec<Record>,
    /// New organizations named in a person file.
    orgs: Vec<(Id, Record)>,
}

/// Works out what importing `bytes` would do; writes nothing.
pub fn preview(vault: &Vault, bytes: &[u8], opts: &Options) -> Result<Preview, Error> {
    plan(vault, bytes, opts).map(|p| p.preview)
}

/// Imports `bytes`: every new record and every merge in one batch, or
/// nothing. With invalid rows nothing is written unless `skip_invalid`.
pub fn import(vault: &mut Vault, bytes: &[u8], opts: &Options) -> Result<Preview, Error> {
    let Plan {
        preview,
        existing,
        fresh,
        orgs,
    } = plan(vault, bytes, opts)?;
    if !preview.invalid.is_empty() && !opts.skip_invalid {
        return Err(Error::BadRows(preview.invalid));
    }
    let now = Utc::now();
    let mut changes = Changes::new();
    let mut counts: BTreeMap<Kind, usize> = BTreeMap::new();
    for (id, record) in orgs {
        *counts.entry(Kind::Org).or_default() += 1;
        changes.add(id, record);
    }
    for record in fresh {
        *counts.entry(opts.kind).or_default() += 1;
        changes.add(Id::new(opts.kind), record);
    }
    for (id, old, merged) in existing {
        if *old == merged || vault.entry(id).is_none() {
            continue;
        }
        *counts.entry(opts.kind).or_default() += 1;
        changes.replace(id.clone(), merged);
    }
    if changes.is_empty() {
        return Ok(preview);
    }
    let log = LogEntry {
        time: now,
        action: Action::CsvImport,
        counts,
        deletions: 0,
        peers: Vec::new(),
        passphrase: false,
        sensitive_included: false,
        excluded: Excluded::default(),
        merged: None,
        warnings: Vec::new(),
    };
    changes.log(log);
    vault.commit(changes)?;
    Ok(preview)
}

/// Reads the header and the column choices.
fn columns(headers: &[String], opts: &Options) -> Result<Vec<Column>, Error> {
    let allowed = fields_of(opts.kind);
    let mut cols: Vec<Column> = headers
        .iter()
        .map(|h| Column {
            header: h.trim().to_string(),
            field: guess_field(opts.kind, h).map(str::to_string),
        })
        .collect();
    for (column, field) in &opts.map {
        let want = fold_header(column);
        let Some(col) = cols.iter_mut().find(|c| fold_header(&c.header) == want) else {
            return Err(Error::NoColumn(column.clone()));
        };
        let f = field.trim().to_lowercase().replace('_', "-");
        col.field = match f.as_str() {
            "ignore" | "-" | "" | "ignorar" => None,
            f => match allowed.iter().find(|a| **a == f) {
                Some(a) => Some(a.to_string()),
                None => return Err(Error::NoField(field.clone())),
            },
        };
    }
    // A field filled by two columns keeps the first; the later one is ignored.
    let mut seen: Vec<String> = Vec::new();
    for c in &mut cols {
        if let Some(f) = &c.field {
            if seen.contains(f) {
                c.field = None;
            } else {
                seen.push(f.clone());
            }
        }
    }
    let has = |f: &str| seen.iter().any(|s| s == f);
    if !has("name") && !(opts.kind == Kind::Person && (has("first-name") || has("last-name"))) {
        return Err(Error::NoName);
    }
    Ok(cols)
}

/// The index of what is already there, to find a row's duplicate.
#[derive(Default)]
struct Index {
    email: HashMap<String, Slot>,
    phone: HashMap<String, Slot>,
    /// Folded names of records with no email and no phone.
    name: HashMap<String, Slot>,
}

impl Index {
    fn add(&mut self, r: &Record, slot: Slot) {
        match r {
            Record::Person(p) => {
                let email = p.email.trim().to_lowercase();
                let phone = phone_digits(&p.phone);
                if !email.is_empty() {
                    self.email.entry(email).or_insert(slot);
                }
                if !phone.is_empty() {
                    self.phone.entry(phone).or_insert(slot);
                }
                if p.email.is_empty() && p.phone.is_empty() {
                    self.name.entry(fold(p.name.trim())).or_insert(slot);
                }
            }
            Record::Org(o) => {
                self.name.entry(fold(o.name.trim())).or_insert(slot);
            }
            _ => {}
        }
    }

    fn find(&self, r: &Record) -> Option<Slot> {
        match r {
            Record::Person(p) => {
                let email = p.email.trim().to_lowercase();
                let phone = phone_digits(&p.phone);
                (!email.is_empty())
                    .then(|| self.email.get(&email))
                    .flatten()
                    .or_else(|| {
                        (!phone.is_empty())
                            .then(|| self.phone.get(&phone))
                            .flatten()
                    })
                    .or_else(|| {
                        (p.email.is_empty() && p.phone.is_empty())
                            .then(|| self.name.get(&fold(p.name.trim())))
                            .flatten()
                    })
                    .copied()
            }
            Record::Org(o) => self.name.get(&fold(o.name.trim())).copied(),
            _ => None,
        }
    }
}

/// Fills what `into` lacks from `from`: empty fields, and tags, languages
/// and organizations it does not have. Never overwrites what is there.
fn merge_into(into: &mut Record, from: &Record) {
    fn fill(a: &mut String, b: &str) {
        if a.trim().is_empty() && !b.trim().is_empty() {
            *a = b.to_string();
        }
    }
    fn union<T: PartialEq + Clone>(a: &mut Vec<T>, b: &[T]) {
        for x in b {
            if !a.contains(x) {
                a.push(x.clone());
            }
        }
    }
    match (into, from) {
        (Record::Person(a), Record::Person(b)) => {
            fill(&mut a.alias, &b.alias);
            fill(&mut a.phone, &b.phone);
            fill(&mut a.email, &b.email);
            fill(&mut a.signal, &b.signal);
            if a.lang.is_none() {
                a.lang = b.lang;
            }
            union(&mut a.tags, &b.tags);
            for m in &b.orgs {
                if !a.orgs.iter().any(|x| x.org == m.org) {
                    a.orgs.push(m.clone());
                }
            }
        }
        (Record::Org(a), Record::Org(b)) => {
            fill(&mut a.region, &b.region);
            union(&mut a.languages, &b.languages);
        }
        _ => {}
    }
}

fn plan<'v>(vault: &'v Vault, bytes: &[u8], opts: &Options) -> Result<Plan<'v>, Error> {
    if !matches!(opts.kind, Kind::Person | Kind::Org) {
        return Err(Error::WrongKind(opts.kind));
    }
    let decoded = decode(bytes);
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(decoded.delimiter)
        .flexible(true)
        .has_headers(true)
        .from_reader(decoded.text.as_bytes());
    let headers: Vec<String> = reader
        .headers()
        .map_err(|_| Error::Syntax(1))?
        .iter()
        .map(str::to_string)
        .collect();
    if headers.iter().all(|h| h.trim().is_empty()) {
        return Err(Error::Empty);
    }
    let cols = columns(&headers, opts)?;
    let mut preview = Preview {
        encoding: decoded.encoding.to_string(),
        delimiter: match decoded.delimiter {
            b'\t' => "\t".into(),
            d => (d as char).to_string(),
        },
        ignored: cols
            .iter()
            .filter(|c| c.field.is_none() && !c.header.is_empty())
            .map(|c| c.header.clone())
            .collect(),
        columns: cols.clone(),
        ..Preview::default()
    };

    // What is already in the vault, to match rows against; a record is
    // copied only once a row merges into it (a statewide vault holds
    // 100,000 people, and a file usually matches few of them).
    let mut index = Index::default();
    let existing = vault.list(opts.kind);
    for (k, (_, r)) in existing.iter().enumerate() {
        index.add(r, Slot::Old(k));
    }
    let mut merged: HashMap<usize, Record> = HashMap::new();
    // Organizations by folded name, for a person's organization column.
    let mut org_ids: HashMap<String, Id> = HashMap::new();
    let mut new_orgs: Vec<(Id, Record)> = Vec::new();
    if opts.kind == Kind::Person {
        for (id, r) in vault.list(Kind::Org) {
            org_ids.entry(fold(r.title().trim())).or_insert(id.clone());
        }
    }

    let mut fresh: Vec<Record> = Vec::new();
    let today = today();
    for (i, row) in reader.records().enumerate() {
        let row_no = i + 2;
        let row = row.map_err(|_| Error::Syntax(row_no))?;
        if row.iter().all(|c| c.trim().is_empty()) {
            continue;
        }
        preview.rows += 1;
        let mut record = Record::empty(opts.kind);
        let mut first = String::new();
        let mut last = String::new();
        let mut full = String::new();
        let mut bad: Option<RowProblem> = None;
        let mut orgs_named: Vec<String> = Vec::new();
        for (c, col) in cols.iter().enumerate() {
            let Some(field) = &col.field else { continue };
            let v = cell(row.get(c).unwrap_or_default());
            if v.is_empty() {
                continue;
            }
            let mut set = |f: &str, v: &str| record.set(f, v, today);
            let result = match field.as_str() {
                "first-name" => {
                    first = v.to_string();
                    Ok(())
                }
                "last-name" => {
                    last = v.to_string();
                    Ok(())
                }
                "name" => {
                    full = v.to_string();
                    Ok(())
                }
                "tags" => v
                    .split([',', ';'])
                    .map(str::trim)
                    .filter(|t| !t.is_empty())
                    .try_for_each(|t| set("tag", t)),
                "language" => v
                    .split([',', ';', '/'])
                    .map(str::trim)
                    .filter(|t| !t.is_empty())
                    .try_for_each(|t| set("language", t)),
                "lang" => set("lang", &lang_value(v)),
                "org" => {
                    orgs_named.extend(
                        v.split(';')
                            .map(|s| s.trim().to_string())
                            .filter(|s| !s.is_empty()),
                    );
                    Ok(())
                }
                f => set(f, v),
            };
            if let Err(e) = result {
                bad = Some(RowProblem {
                    row: row_no,
                    column: col.header.clone(),
                    error: e,
                    message: String::new(),
                });
                break;
            }
        }
        if bad.is_none() {
            let name = if full.is_empty() {
                format!("{first} {last}").trim().to_string()
            } else {
                full
            };
            if let Err(e) = record.set("name", &name, today) {
                let column = cols
                    .iter()
                    .find(|c| matches!(c.field.as_deref(), Some("name") | Some("first-name")))
                    .map(|c| c.header.clone())
                    .unwrap_or_default();
                bad = Some(RowProblem {
                    row: row_no,
                    column,
                    error: e,
                    message: String::new(),
                });
            }
        }
        if bad.is_none() {
            if let Err(e) = record.validate() {
                bad = Some(RowProblem {
                    row: row_no,
                    column: e.field.clone(),
                    error: e,
                    message: String::new(),
                });
            }
        }
        if let Some(b) = bad {
            preview.invalid.push(b);
            continue;
        }
        // Organizations named in a person row: found by name, or made.
        if let Record::Person(p) = &mut record {
            for org in orgs_named {
                let key = fold(&org);
                let id = match org_ids.get(&key) {
                    Some(id) => id.clone(),
                    None => {
                        let mut o = Record::empty(Kind::Org);
                        if let Err(e) = o.set("name", &org, today) {
                            preview.invalid.push(RowProblem {
                                row: row_no,
                                column: "org".into(),
                                error: e,
                                message: String::new(),
                            });
                            continue;
                        }
                        let id = Id::new(Kind::Org);
                        org_ids.insert(key, id.clone());
                        new_orgs.push((id.clone(), o));
                        id
                    }
                };
                if !p.orgs.iter().any(|m| m.org == id) {
                    p.orgs.push(crate::model::Membership {
                        org: id,
                        role: String::new(),
                    });
                }
            }
        }
        match index.find(&record) {
            Some(Slot::Old(k)) => {
                let into = merged.entry(k).or_insert_with(|| existing[k].1.clone());
                merge_into(into, &record);
                index.add(into, Slot::Old(k));
            }
            Some(Slot::New(k)) => {
                merge_into(&mut fresh[k], &record);
                preview.merged_in_file += 1;
                index.add(&fresh[k], Slot::New(k));
            }
            None => {
                index.add(&record, Slot::New(fresh.len()));
                fresh.push(record);
            }
        }
    }
    // In the vault's order, as before.
    let mut merged: Vec<(usize, Record)> = merged.into_iter().collect();
    merged.sort_unstable_by_key(|(k, _)| *k);
    for (k, m) in &merged {
        if *existing[*k].1 == *m {
            preview.unchanged += 1;
        } else {
            preview.updated += 1;
        }
    }
    preview.new = fresh.len();
    preview.new_orgs = new_orgs.len();
    preview.sample = fresh
        .iter()
        .take(5)
        .filter_map(|r| serde_json::to_value(r).ok())
        .collect();
    let existing = merged
        .into_iter()
        .map(|(k, m)| (existing[k].0, existing[k].1, m))
        .collect();
    Ok(Plan {
        preview,
        existing,
        fresh,
        orgs: new_orgs,
    })
}

impl Preview {
    /// Fills each problem's message in `lang`.
    pub fn localize(&mut self, lang: Lang) {
        for p in &mut self.invalid {
            p.message = problem_text(lang, p);
        }
    }
}

/// "Row 5, Email: …" in `lang`.
pub fn problem_text(lang: Lang, p: &RowProblem) -> String {
    use crate::error::Localize;
    let what = p.error.message(lang).replace('\n', " ");
    t!(
        lang,
        "csv-row-problem",
        row = p.row.to_string(),
        column = p.column.clone(),
        problem = what
    )
}

// ---- export ----------------------------------------------------------------

/// What an export wrote.
#[derive(Clone, Debug, Serialize)]
pub struct Written {
    pub file: PathBuf,
    pub rows: usize,
    pub excluded: Excluded,
    pub sensitive_included: bool,
}

/// A cell a spreadsheet will show as text, never run: one starting with
/// `=`, `+`, `-`, `@`, a tab or a carriage return gets a leading `'`.
pub fn safe_cell(s: &str) -> String {
    if s.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{s}")
    } else {
        s.to_string()
    }
}

/// The header and rows of `kind` for the ids chosen, in `lang`.
fn table(vault: &Vault, lang: Lang, kind: Kind, ids: &[Id]) -> (Vec<String>, Vec<Vec<String>>) {
    let h = |id: &str| i18n::text(lang, &format!("csv-col-{id}"));
    let header: Vec<String> = if kind == Kind::Org {
        ["name", "kind", "region", "languages", "relationship"]
            .iter()
            .map(|c| h(c))
            .collect()
    } else {
        [
            "name",
            "alias",
            "phone",
            "email",
            "signal",
            "language",
            "tags",
            "organization",
        ]
        .iter()
        .map(|c| h(c))
        .collect()
    };
    let mut rows = Vec::new();
    for id in ids {
        let Ok(r) = vault.get(id) else { continue };
        let row = match r {
            Record::Person(p) => {
                let orgs: Vec<String> = p
                    .orgs
                    .iter()
                    .filter_map(|m| vault.get(&m.org).ok().map(|o| o.title().to_string()))
                    .collect();
                vec![
                    p.name.clone(),
                    p.alias.clone(),
                    p.phone.clone(),
                    p.email.clone(),
                    p.signal.clone(),
                    p.lang.map(|l| l.as_str().to_string()).unwrap_or_default(),
                    p.tags.join(", "),
                    orgs.join("; "),
                ]
            }
            Record::Org(o) => vec![
                o.name.clone(),
                o.kind.as_str().to_string(),
                o.region.clone(),
                o.languages.join(", "),
                o.relationship.as_str().to_string(),
            ],
            _ => continue,
        };
        rows.push(row.iter().map(|c| safe_cell(c)).collect());
    }
    (header, rows)
}

/// Writes every `kind` record to `out` as CSV (UTF-8 with a BOM, so Excel
/// reads accents right), leaving out who a handoff leaves out unless
/// `include_sensitive`, and logs it with its counts. If the log cannot be
/// written, the file is removed: no list leaves without its line.
pub fn export(
    vault: &mut Vault,
    lang: Lang,
    kind: Kind,
    out: &Path,
    include_sensitive: bool,
) -> Result<Written, Error> {
    if !matches!(kind, Kind::Person | Kind::Org) {
        return Err(Error::WrongKind(kind));
    }
    if out.is_dir() {
        return Err(Error::IsFolder(out.to_path_buf()));
    }
    let ids: Vec<Id> = vault
        .list(kind)
        .into_iter()
        .map(|(i, _)| i.clone())
        .collect();
    let plan =
        handoff::select(vault, &Selection::Ids(ids), include_sensitive).map_err(|e| match e {
            handoff::Error::Vault(v) => Error::Vault(v),
            _ => Error::Vault(vault::Error::NotFound(Id::new(kind))),
        })?;
    let (header, rows) = table(vault, lang, kind, &plan.ids);
    let write = || -> std::io::Result<()> {
        let dir = out
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
            .unwrap_or(Path::new("."));
        let mut tmp = tempfile::NamedTempFile::new_in(dir)?;
        {
            use std::io::Write;
            tmp.write_all("\u{feff}".as_bytes())?;
            let mut w = csv::WriterBuilder::new()
                .terminator(csv::Terminator::CRLF)
                .from_writer(&mut tmp);
            w.write_record(&header)?;
            for r in &rows {
                w.write_record(r)?;
            }
            w.flush()?;
        }
        tmp.as_file().sync_all()?;
        tmp.persist(out).map_err(|e| e.error)?;
        Ok(())
    };
    write().map_err(|e| Error::Write(out.to_path_buf(), e))?;
    let log = LogEntry {
        time: Utc::now(),
        action: Action::CsvExport,
        counts: BTreeMap::from([(kind, rows.len())]),
        deletions: 0,
        peers: Vec::new(),
        passphrase: false,
        sensitive_included: plan.sensitive_included,
        excluded: plan.excluded,
        merged: None,
        warnings: Vec::new(),
    };
    let mut changes = Changes::new();
    changes.log(log);
    if let Err(e) = vault.commit(changes) {
        let _ = std::fs::remove_file(out);
        return Err(e.into());
    }
    Ok(Written {
        file: out.to_path_buf(),
        rows: rows.len(),
        excluded: plan.excluded,
        sensitive_included: plan.sensitive_included,
    })
}

// ---- messages --------------------------------------------------------------

impl crate::error::Localize for Error {
    fn kind(&self) -> &'static str {
        match self {
            Error::Vault(e) => e.kind(),
            Error::Read(..) => "err-csv-read",
            Error::IsFolder(_) => "err-csv-folder",
            Error::TooLarge => "err-csv-too-large",
            Error::Empty => "err-csv-empty",
            Error::Syntax(_) => "err-csv-syntax",
            Error::WrongKind(_) => "err-csv-kind",
            Error::NoColumn(_) => "err-csv-no-column",
            Error::NoField(_) => "err-csv-no-field",
            Error::NoName => "err-csv-no-name",
            Error::BadRows(_) => "err-csv-bad-rows",
            Error::Write(..) => "err-csv-write",
        }
    }

    fn wrapped(&self) -> Option<&dyn crate::error::Localize> {
        match self {
            Error::Vault(e) => Some(e),
            _ => None,
        }
    }

    fn what(&self, lang: Lang) -> String {
        match self {
            Error::Vault(e) => e.what(lang),
            Error::Read(path, e) => {
                let reason = match e.kind() {
                    std::io::ErrorKind::NotFound => t!(lang, "io-not-found"),
                    std::io::ErrorKind::PermissionDenied => t!(lang, "io-permission"),
                    _ => t!(lang, "io-other"),
                };
                t!(
                    lang,
                    "err-csv-read",
                    path = path.display().to_string(),
                    reason = reason
                )
            }
            Error::IsFolder(path) => t!(lang, "err-csv-folder", path = path.display().to_string()),
            Error::Syntax(row) => t!(lang, "err-csv-syntax", row = row.to_string()),
            Error::NoColumn(c) => t!(lang, "err-csv-no-column", column = c.clone()),
            Error::NoField(f) => t!(lang, "err-csv-no-field", field = f.clone()),
            Error::BadRows(rows) => {
                let mut s = t!(lang, "err-csv-bad-rows", count = rows.len());
                for p in rows.iter().take(20) {
                    s.push('\n');
                    s.push_str(&problem_text(lang, p));
                }
                s
            }
            Error::Write(path, _) => t!(lang, "err-csv-write", path = path.display().to_string()),
            _ => i18n::text(lang, self.kind()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every variant of the spreadsheet errors has what went wrong and what
    /// to do in both languages.
    #[test]
    fn every_csv_error_speaks_both_languages() {
        use crate::error::{missing_ids, Localize};
        use crate::model::Problem;
        use Error as E;
        let io = || std::io::Error::other("x");
        let problem = RowProblem {
            row: 2,
            column: "Phone".into(),
            error: FieldError::new("phone", Problem::BadPhone),
            message: String::new(),
        };
        let all = crate::every_variant!(E {
            E::Vault(_) => E::Vault(vault::Error::ReadOnly),
            E::Read(..) => E::Read(PathBuf::from("a.csv"), io()),
            E::IsFolder(_) => E::IsFolder(PathBuf::from("d")),
            E::TooLarge => E::TooLarge,
            E::Empty => E::Empty,
            E::Syntax(_) => E::Syntax(3),
            E::WrongKind(_) => E::WrongKind(Kind::Note),
            E::NoColumn(_) => E::NoColumn("Phone".into()),
            E::NoField(_) => E::NoField("zip".into()),
            E::NoName => E::NoName,
            E::BadRows(_) => E::BadRows(vec![problem]),
            E::Write(..) => E::Write(PathBuf::from("a.csv"), io()),
        });
        let all: Vec<&dyn Localize> = all.iter().map(|e| e as &dyn Localize).collect();
        assert_eq!(missing_ids(&all), Vec::<String>::new());
    }

    #[test]
    fn headers_fold_across_languages_and_action_network() {
        assert_eq!(guess_field(Kind::Person, "Teléfono"), Some("phone"));
        assert_eq!(guess_field(Kind::Person, "can2_phone"), Some("phone"));
        assert_eq!(guess_field(Kind::Person, "first_name"), Some("first-name"));
        assert_eq!(
            guess_field(Kind::Person, "Correo electrónico"),
            Some("email")
        );
        assert_eq!(guess_field(Kind::Person, "zip_code"), None);
        assert_eq!(guess_field(Kind::Org, "Organización"), Some("name"));
    }

    #[test]
    fn formula_cells_are_defused() {
        for s in ["=1+1", "+1 555", "-2", "@SUM(A1)", "\tx", "\rx"] {
            assert!(safe_cell(s).starts_with('\''), "{s:?}");
        }
        for s in ["=1+1", "+1 555", "-2", "@SUM(A1)"] {
            assert_eq!(cell(&safe_cell(s)), s, "our own export reads back");
        }
        assert_eq!(safe_cell("Ana"), "Ana");
    }

    #[test]
    fn delimiter_is_read_from_the_header() {
        assert_eq!(sniff_delimiter("a;b;\"c,d\"\n1,2,3"), b';');
        assert_eq!(sniff_delimiter("a,b\n"), b',');
        assert_eq!(sniff_delimiter("a\tb\tc\n"), b'\t');
    }
}
