//! The command line, parsed at the edge into a `Command`.
//!
//! Parsed by hand rather than with clap: the grammar is ten verbs and
//! `--FIELD VALUE` pairs, and every word of help and every error must come
//! from Fluent in the user's language, which clap's generated text cannot do.
//! `--lang` is both the interface language (anywhere) and a person's language
//! (after `add person`), which is resolved here too.

use aqui::handoff::{Selection, Side, Take};
use aqui::{Id, Kind};
use std::path::PathBuf;

/// Options valid before or after the command.
#[derive(Default, Debug)]
pub struct Globals {
    pub vault: Option<PathBuf>,
    pub lang: Option<String>,
    pub json: bool,
    pub help: bool,
}

#[derive(Debug)]
pub enum Command {
    Init,
    Demo,
    Add {
        kind: Kind,
        fields: Vec<(String, String)>,
    },
    List {
        kind: Kind,
    },
    Show {
        id: Id,
    },
    Edit {
        id: Id,
        fields: Vec<(String, String)>,
    },
    Delete {
        id: Id,
    },
    Search {
        query: String,
    },
    Passwd,
    Wipe {
        yes: bool,
    },
    /// The general help, or one command's (`aqui export --help`, `aqui help export`).
    Help(Option<String>),
    /// `aqui consent ID …`: records a consent answer.
    Consent {
        id: Id,
        change: ConsentArgs,
    },
    /// `aqui report …`: a bulletin or annual report.
    Report {
        period: PeriodArg,
        out: Option<PathBuf>,
    },
    /// `aqui consent-form [--out FILE.html]`: the printable paper consent
    /// form, in both languages, or only in the one `--lang` names.
    ConsentForm {
        out: Option<PathBuf>,
    },
    /// `aqui retention [set RULE AGE|off]`.
    Retention {
        set: Option<(String, String)>,
    },
    /// `aqui purge [--dry-run]`.
    Purge {
        dry_run: bool,
    },
    /// `aqui hold on|off [--reason TEXT]`.
    Hold {
        on: bool,
        reason: Option<String>,
    },
    /// The steward handoff commands, run by `handoff.rs`.
    Handoff(Handoff),
    /// Spreadsheets and paper signatures, run by `organize.rs`.
    Organize(Organize),
}

#[derive(Debug)]
pub enum Organize {
    CsvImport {
        file: PathBuf,
        kind: Kind,
        map: Vec<(String, String)>,
        dry_run: bool,
        skip_invalid: bool,
    },
    CsvExport {
        kind: Kind,
        out: PathBuf,
        include_sensitive: bool,
    },
    AddBatch {
        id: Id,
        count: String,
        date: Option<String>,
        by: Option<String>,
    },
    Sheet {
        id: Id,
        out: PathBuf,
        lines: usize,
    },
}

#[derive(Debug)]
pub enum Handoff {
    Identity {
        card: bool,
        name: Option<String>,
    },
    StewardAdd {
        name: String,
        key: StewardKeyArg,
        replace: bool,
    },
    StewardRevoke {
        name: String,
        reason: String,
    },
    StewardList,
    StewardVerify {
        name: String,
        fingerprint: Option<String>,
    },
    StewardRemove {
        name: String,
    },
    Export {
        to: Vec<String>,
        passphrase: bool,
        work_factor: Option<u8>,
        selection: Selection,
        include_sensitive: bool,
        out: PathBuf,
    },
    Import {
        file: PathBuf,
        dry_run: bool,
        accept_warnings: bool,
    },
    Conflicts,
    Resolve {
        id: Id,
        take: Take,
    },
    Backup {
        out: PathBuf,
        passphrase: bool,
        work_factor: Option<u8>,
        to: Vec<String>,
    },
    Restore {
        file: PathBuf,
        from: Option<PathBuf>,
    },
    Log {
        steward: Option<String>,
    },
}

/// `aqui consent` options, as typed (checked by the core's parsers).
#[derive(Debug, Default)]
pub struct ConsentArgs {
    pub contact: Option<String>,
    pub share: Option<String>,
    pub how: Option<String>,
    pub date: Option<String>,
    pub lang: Option<String>,
    pub recorder: Option<String>,
}

#[derive(Debug)]
pub enum PeriodArg {
    /// `--period 2026-Q4` or `--period 2026`.
    Named(String),
    /// `--from DATE --to DATE`.
    Dates(String, String),
}

#[derive(Debug)]
pub enum StewardKeyArg {
    Card(String),
    Key(String),
}

/// What is wrong with the command line; each has a Fluent message.
#[derive(Debug)]
pub enum ArgError {
    NoCommand,
    UnknownCommand(String),
    Missing(&'static str),
    UnknownKind(String),
    BadId(String),
    Unexpected(String),
    BadLang(String),
    MissingValue(String),
    /// An option that takes one value was given twice (`--vault A --vault B`).
    Twice(String),
}

/// Splits the global options out of `args`, then parses the command.
pub fn parse(args: Vec<String>) -> (Globals, Result<Command, ArgError>) {
    let mut g = Globals::default();
    let mut rest = Vec::new();
    let mut it = args.into_iter().peekable();
    let mut person_context = false;
    let mut err = None;
    while let Some(a) = it.next() {
        let (name, inline) = match a.split_once('=') {
            Some((n, v)) if n.starts_with("--") => (n.to_string(), Some(v.to_string())),
            _ => (a.clone(), None),
        };
        let mut value = |name: &str| {
            inline
                .clone()
                .or_else(|| it.next())
                .ok_or(ArgError::MissingValue(name.into()))
        };
        match name.as_str() {
            "--json" => g.json = true,
            "-h" | "--help" => g.help = true,
            // Given twice, which vault is meant is a guess: refused.
            "--vault" => match value("vault") {
                Ok(_) if g.vault.is_some() => err = err.or(Some(ArgError::Twice("vault".into()))),
                Ok(v) => g.vault = Some(PathBuf::from(v)),
                Err(e) => err = err.or(Some(e)),
            },
            "--lang" if !person_context => match value("lang") {
                Ok(_) if g.lang.is_some() => err = err.or(Some(ArgError::Twice("lang".into()))),
                Ok(v) => g.lang = Some(v),
                Err(e) => err = err.or(Some(e)),
            },
            _ => {
                rest.push(a);
                // After `add person` or `edit per_…`, --lang is the person's language.
                person_context = rest.len() >= 2
                    && match rest[0].as_str() {
                        "add" => Kind::parse(&rest[1]) == Some(Kind::Person),
                        "edit" | "consent" => {
                            Id::parse(&rest[1]).is_some_and(|id| id.kind() == Kind::Person)
                        }
                        _ => false,
                    };
            }
        }
    }
    if let Some(l) = &g.lang {
        if aqui::Lang::parse(l).is_none() {
            err = err.or(Some(ArgError::BadLang(l.clone())));
        }
    }
    let cmd = match err {
        Some(e) => Err(e),
        None if g.help => Ok(Command::Help(help_topic(rest.first()))),
        None => command(rest),
    };
    (g, cmd)
}

/// The commands with a help text of their own, and the suffix of its message id
/// (`help-<suffix>`: `help-csv` is already the general help's spreadsheet section).
pub const HELP_TOPICS: &[(&str, &str)] = &[
    ("init", "init"),
    ("demo", "demo"),
    ("add", "add"),
    ("list", "list"),
    ("show", "show"),
    ("edit", "edit"),
    ("delete", "delete"),
    ("search", "search"),
    ("passwd", "passwd"),
    ("wipe", "wipe"),
    ("consent", "consent"),
    ("report", "report"),
    ("retention", "retention"),
    ("purge", "purge"),
    ("hold", "hold"),
    ("csv", "csv-topic"),
    ("pledge", "pledge"),
    ("identity", "identity"),
    ("steward", "steward"),
    ("export", "export"),
    ("import", "import"),
    ("conflicts", "conflicts"),
    ("resolve", "resolve"),
    ("backup", "backup"),
    ("restore", "restore"),
    ("log", "log"),
    ("help", "help"),
    ("consent-form", "consent-form"),
];

/// The help message (its id without `help-`) of the command a help request is
/// about, if it names one that has its own help.
fn help_topic(word: Option<&String>) -> Option<String> {
    let w = word?.trim().to_lowercase();
    HELP_TOPICS
        .iter()
        .find(|(command, _)| *command == w)
        .map(|(_, message)| message.to_string())
}

fn command(rest: Vec<String>) -> Result<Command, ArgError> {
    let mut it = rest.into_iter();
    let verb = it.next().ok_or(ArgError::NoCommand)?;
    let mut next = |what: &'static str| it.next().ok_or(ArgError::Missing(what));
    let cmd = match verb.as_str() {
        "init" => Command::Init,
        "demo" => Command::Demo,
        "passwd" => Command::Passwd,
        "help" => Command::Help(help_topic(it.next().as_ref())),
        "add" => {
            let kind = kind(next("kind")?)?;
            Command::Add {
                kind,
                fields: fields(it.by_ref())?,
            }
        }
        "list" => Command::List {
            kind: kind(next("kind")?)?,
        },
        "show" => Command::Show {
            id: id(next("id")?)?,
        },
        "delete" => Command::Delete {
            id: id(next("id")?)?,
        },
        "edit" => {
            let id = id(next("id")?)?;
            Command::Edit {
                id,
                fields: fields(it.by_ref())?,
            }
        }
        "search" => {
            let words: Vec<String> = it.by_ref().collect();
            if words.is_empty() {
                return Err(ArgError::Missing("query"));
            }
            Command::Search {
                query: words.join(" "),
            }
        }
        "wipe" => {
            let mut yes = false;
            for a in it.by_ref() {
                match a.as_str() {
                    "--yes" => yes = true,
                    _ => return Err(ArgError::Unexpected(a)),
                }
            }
            Command::Wipe { yes }
        }
        "consent" => {
            let o = options(it.by_ref().collect());
            only(
                &o,
                1,
                &["contact", "share", "how", "date", "lang", "recorder"],
            )?;
            let id = id(o.0.first().cloned().ok_or(ArgError::Missing("id"))?)?;
            let get = |n: &str| one(&o.1, n, "id").ok();
            Command::Consent {
                id,
                change: ConsentArgs {
                    contact: get("contact"),
                    share: get("share"),
                    how: get("how"),
                    date: get("date"),
                    lang: get("lang"),
                    recorder: get("recorder"),
                },
            }
        }
        "report" => {
            let o = options(it.by_ref().collect());
            only(&o, 0, &["period", "from", "to", "out"])?;
            let period = match (one(&o.1, "period", "period"), one(&o.1, "from", "period")) {
                (Ok(p), Err(_)) if !flag(&o.1, "to") => PeriodArg::Named(p),
                (Err(_), Ok(from)) => PeriodArg::Dates(from, one(&o.1, "to", "period")?),
                (Ok(_), Ok(_)) => return Err(ArgError::Unexpected("--from".into())),
                _ => return Err(ArgError::Missing("period")),
            };
            Command::Report {
                period,
                out: one(&o.1, "out", "out").ok().map(PathBuf::from),
            }
        }
        "consent-form" => {
            let o = options(it.by_ref().collect());
            only(&o, 0, &["out"])?;
            Command::ConsentForm {
                out: one(&o.1, "out", "out").ok().map(PathBuf::from),
            }
        }
        "retention" => {
            let o = options(it.by_ref().collect());
            only(&o, 3, &[])?;
            let set = match o.0.first().map(String::as_str) {
                None => None,
                Some("set") => Some((
                    o.0.get(1).cloned().ok_or(ArgError::Missing("rule"))?,
                    o.0.get(2).cloned().ok_or(ArgError::Missing("age"))?,
                )),
                Some(other) => return Err(ArgError::Unexpected(other.to_string())),
            };
            Command::Retention { set }
        }
        "purge" => {
            let o = options(it.by_ref().collect());
            only(&o, 0, &["dry-run"])?;
            Command::Purge {
                dry_run: flag(&o.1, "dry-run"),
            }
        }
        "hold" => {
            let o = options(it.by_ref().collect());
            only(&o, 1, &["reason"])?;
            let on = match o.0.first().map(String::as_str) {
                Some("on") => true,
                Some("off") => false,
                Some(other) => return Err(ArgError::Unexpected(other.to_string())),
                None => return Err(ArgError::Missing("on-off")),
            };
            Command::Hold {
                on,
                reason: one(&o.1, "reason", "reason").ok(),
            }
        }
        "identity" | "steward" | "export" | "import" | "conflicts" | "resolve" | "backup"
        | "restore" | "log" => return handoff(&verb, it.collect()).map(Command::Handoff),
        "csv" | "pledge" => return organize(&verb, it.collect()).map(Command::Organize),
        _ => return Err(ArgError::UnknownCommand(verb)),
    };
    match it.next() {
        Some(extra) => Err(ArgError::Unexpected(extra)),
        None => Ok(cmd),
    }
}

/// Words before the first option, and each `--option` with the words after
/// it (`--id A B`, `--take phone=theirs name=mine`, `--out=FILE`).
type Opts = (Vec<String>, Vec<(String, Vec<String>)>);

fn options(args: Vec<String>) -> Opts {
    /// Options that take no value: a word after one is a positional.
    const FLAGS: &[&str] = &[
        "all",
        "passphrase",
        "include-sensitive",
        "dry-run",
        "accept-warnings",
        "replace",
        "skip-invalid",
    ];
    let mut words = Vec::new();
    let mut opts: Vec<(String, Vec<String>)> = Vec::new();
    for a in args {
        if let Some(name) = a.strip_prefix("--") {
            match name.split_once('=') {
                Some((n, v)) => opts.push((n.to_string(), vec![v.to_string()])),
                None => opts.push((name.to_string(), Vec::new())),
            }
        } else {
            match opts.last_mut() {
                Some((n, values)) if !FLAGS.contains(&n.as_str()) => values.push(a),
                _ => words.push(a),
            }
        }
    }
    (words, opts)
}

/// The words given to `--name`, joined; `Missing` if there were none.
fn one(opts: &[(String, Vec<String>)], name: &str, what: &'static str) -> Result<String, ArgError> {
    opts.iter()
        .rev()
        .find(|(n, v)| n == name && !v.is_empty())
        .map(|(_, v)| v.join(" "))
        .ok_or(ArgError::Missing(what))
}

fn flag(opts: &[(String, Vec<String>)], name: &str) -> bool {
    opts.iter().any(|(n, _)| n == name)
}

fn all(opts: &[(String, Vec<String>)], name: &str) -> Vec<String> {
    opts.iter()
        .filter(|(n, _)| n == name)
        .flat_map(|(_, v)| v.iter().cloned())
        .collect()
}

/// Refuses options a command does not know, and words where none belong.
fn only(o: &Opts, words: usize, allowed: &[&str]) -> Result<(), ArgError> {
    if let Some(w) = o.0.get(words) {
        return Err(ArgError::Unexpected(w.clone()));
    }
    match o.1.iter().find(|(n, _)| !allowed.contains(&n.as_str())) {
        Some((n, _)) => Err(ArgError::Unexpected(format!("--{n}"))),
        None => Ok(()),
    }
}

fn work_factor(o: &[(String, Vec<String>)]) -> Result<Option<u8>, ArgError> {
    match one(o, "work-factor", "out") {
        Err(_) => Ok(None),
        Ok(v) => match v.parse::<u8>() {
            Ok(n) if (10..=aqui::handoff::MAX_WORK_FACTOR).contains(&n) => Ok(Some(n)),
            _ => Err(ArgError::Unexpected(v)),
        },
    }
}

fn handoff(verb: &str, args: Vec<String>) -> Result<Handoff, ArgError> {
    let o = options(args);
    let word = |i: usize, what: &'static str| o.0.get(i).cloned().ok_or(ArgError::Missing(what));
    let cmd = match verb {
        "identity" => {
            only(&o, 0, &["card", "name"])?;
            Handoff::Identity {
                card: flag(&o.1, "card"),
                name: one(&o.1, "name", "name").ok(),
            }
        }
        "steward" => match word(0, "steward-command")?.as_str() {
            "add" => {
                only(&o, 1, &["name", "card", "key", "replace"])?;
                let key = match (
                    one(&o.1, "card", "steward-key"),
                    one(&o.1, "key", "steward-key"),
                ) {
                    (Ok(c), _) => StewardKeyArg::Card(c),
                    (_, Ok(k)) => StewardKeyArg::Key(k),
                    (Err(e), _) => return Err(e),
                };
                Handoff::StewardAdd {
                    name: one(&o.1, "name", "name")?,
                    key,
                    replace: flag(&o.1, "replace"),
                }
            }
            "revoke" => {
                only(&o, 2, &["reason"])?;
                Handoff::StewardRevoke {
                    name: word(1, "name")?,
                    reason: one(&o.1, "reason", "name").unwrap_or_default(),
                }
            }
            "list" => {
                only(&o, 1, &[])?;
                Handoff::StewardList
            }
            "verify" => {
                only(&o, 2, &["fingerprint"])?;
                Handoff::StewardVerify {
                    name: word(1, "name")?,
                    fingerprint: one(&o.1, "fingerprint", "name").ok(),
                }
            }
            "remove" => {
                only(&o, 2, &[])?;
                Handoff::StewardRemove {
                    name: word(1, "name")?,
                }
            }
            other => return Err(ArgError::UnknownCommand(format!("steward {other}"))),
        },
        "export" => {
            only(
                &o,
                0,
                &[
                    "to",
                    "passphrase",
                    "work-factor",
                    "all",
                    "campaign",
                    "id",
                    "search",
                    "include-sensitive",
                    "out",
                ],
            )?;
            let selection = if flag(&o.1, "all") {
                Selection::All
            } else if let Ok(c) = one(&o.1, "campaign", "selection") {
                Selection::Campaign(id(c)?)
            } else if flag(&o.1, "id") {
                let ids = all(&o.1, "id")
                    .into_iter()
                    .map(id)
                    .collect::<Result<Vec<_>, _>>()?;
                if ids.is_empty() {
                    return Err(ArgError::Missing("selection"));
                }
                Selection::Ids(ids)
            } else if let Ok(q) = one(&o.1, "search", "selection") {
                Selection::Search(q)
            } else {
                return Err(ArgError::Missing("selection"));
            };
            let to = all(&o.1, "to");
            let passphrase = flag(&o.1, "passphrase");
            if to.is_empty() && !passphrase {
                return Err(ArgError::Missing("recipient"));
            }
            if !to.is_empty() && passphrase {
                return Err(ArgError::Unexpected("--passphrase".into()));
            }
            Handoff::Export {
                to,
                passphrase,
                work_factor: work_factor(&o.1)?,
                selection,
                include_sensitive: flag(&o.1, "include-sensitive"),
                out: PathBuf::from(one(&o.1, "out", "out")?),
            }
        }
        "import" => {
            only(&o, 1, &["dry-run", "accept-warnings"])?;
            Handoff::Import {
                file: PathBuf::from(word(0, "file")?),
                dry_run: flag(&o.1, "dry-run"),
                accept_warnings: flag(&o.1, "accept-warnings"),
            }
        }
        "conflicts" => {
            only(&o, 0, &[])?;
            Handoff::Conflicts
        }
        "resolve" => {
            only(&o, 1, &["take"])?;
            let id = id(word(0, "id")?)?;
            let takes = all(&o.1, "take");
            let take = match takes.as_slice() {
                [] => return Err(ArgError::Missing("take")),
                [one] if Side::parse(one).is_some() => {
                    Take::Whole(Side::parse(one).ok_or(ArgError::Missing("take"))?)
                }
                many => Take::Fields(
                    many.iter()
                        .map(|t| {
                            t.split_once('=')
                                .and_then(|(f, s)| Some((f.to_string(), Side::parse(s)?)))
                                .ok_or_else(|| ArgError::Unexpected(t.clone()))
                        })
                        .collect::<Result<_, _>>()?,
                ),
            };
            Handoff::Resolve { id, take }
        }
        "backup" => {
            only(&o, 0, &["out", "passphrase", "work-factor", "to"])?;
            Handoff::Backup {
                out: PathBuf::from(one(&o.1, "out", "out")?),
                passphrase: flag(&o.1, "passphrase"),
                work_factor: work_factor(&o.1)?,
                to: all(&o.1, "to"),
            }
        }
        "restore" => {
            only(&o, 1, &["from"])?;
            Handoff::Restore {
                file: PathBuf::from(word(0, "file")?),
                from: one(&o.1, "from", "file").ok().map(PathBuf::from),
            }
        }
        _ => {
            only(&o, 0, &["steward"])?;
            Handoff::Log {
                steward: one(&o.1, "steward", "name").ok(),
            }
        }
    };
    Ok(cmd)
}

fn organize(verb: &str, args: Vec<String>) -> Result<Organize, ArgError> {
    let o = options(args);
    let word = |i: usize, what: &'static str| o.0.get(i).cloned().ok_or(ArgError::Missing(what));
    let sub = if verb == "csv" {
        "csv-command"
    } else {
        "pledge-command"
    };
    let cmd = match (verb, word(0, sub)?.as_str()) {
        ("csv", "import") => {
            only(&o, 2, &["kind", "map", "dry-run", "skip-invalid"])?;
            let file = PathBuf::from(word(1, "file")?);
            let kind = kind(one(&o.1, "kind", "csv-kind")?)?;
            let map = all(&o.1, "map")
                .into_iter()
                .map(|m| match m.rsplit_once('=') {
                    Some((c, f)) => Ok((c.to_string(), f.to_string())),
                    None => Err(ArgError::Unexpected(m)),
                })
                .collect::<Result<Vec<_>, _>>()?;
            Organize::CsvImport {
                file,
                kind,
                map,
                dry_run: flag(&o.1, "dry-run"),
                skip_invalid: flag(&o.1, "skip-invalid"),
            }
        }
        ("csv", "export") => {
            only(&o, 2, &["out", "include-sensitive"])?;
            Organize::CsvExport {
                kind: kind(word(1, "kind")?)?,
                out: PathBuf::from(one(&o.1, "out", "out")?),
                include_sensitive: flag(&o.1, "include-sensitive"),
            }
        }
        ("pledge", "add-batch") => {
            only(&o, 2, &["count", "date", "by"])?;
            Organize::AddBatch {
                id: id(word(1, "id")?)?,
                count: one(&o.1, "count", "count")?,
                date: one(&o.1, "date", "count").ok(),
                by: one(&o.1, "by", "count").ok(),
            }
        }
        ("pledge", "sheet") => {
            only(&o, 2, &["out", "lines"])?;
            let lines = match one(&o.1, "lines", "count") {
                Err(_) => 25,
                Ok(n) => n.parse().map_err(|_| ArgError::Unexpected(n))?,
            };
            Organize::Sheet {
                id: id(word(1, "id")?)?,
                out: PathBuf::from(one(&o.1, "out", "out")?),
                lines,
            }
        }
        (_, other) => return Err(ArgError::UnknownCommand(format!("{verb} {other}"))),
    };
    Ok(cmd)
}

fn kind(s: String) -> Result<Kind, ArgError> {
    Kind::parse(&s).ok_or(ArgError::UnknownKind(s))
}

fn id(s: String) -> Result<Id, ArgError> {
    Id::parse(&s).ok_or(ArgError::BadId(s))
}

/// `--field value`, `--field=value`, or a bare `--flag` (value "", which a
/// yes/no field reads as yes).
fn fields(it: &mut impl Iterator<Item = String>) -> Result<Vec<(String, String)>, ArgError> {
    let mut it = it.peekable();
    let mut out = Vec::new();
    while let Some(a) = it.next() {
        let Some(name) = a.strip_prefix("--") else {
            return Err(ArgError::Unexpected(a));
        };
        if let Some((n, v)) = name.split_once('=') {
            out.push((n.to_string(), v.to_string()));
            continue;
        }
        let value = match it.peek() {
            Some(v) if !v.starts_with("--") => it.next().unwrap_or_default(),
            _ => String::new(),
        };
        out.push((name.to_string(), value));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(s: &[&str]) -> (Globals, Result<Command, ArgError>) {
        parse(s.iter().map(|s| s.to_string()).collect())
    }

    #[test]
    fn lang_after_add_person_is_the_persons() {
        let (g, c) = p(&[
            "--lang",
            "es",
            "add",
            "person",
            "--name",
            "Ana",
            "--lang",
            "en",
            "--sensitive",
            "--json",
        ]);
        assert_eq!(g.lang.as_deref(), Some("es"));
        assert!(g.json);
        let Ok(Command::Add {
            kind: Kind::Person,
            fields,
        }) = c
        else {
            panic!("{c:?}")
        };
        let want = [("name", "Ana"), ("lang", "en"), ("sensitive", "")];
        assert_eq!(fields, want.map(|(a, b)| (a.to_string(), b.to_string())));
        let (g, c) = p(&["edit", "per_0123456789abcdef0123", "--lang", "en"]);
        assert_eq!(g.lang, None);
        assert!(
            matches!(c, Ok(Command::Edit { fields, .. }) if fields == [("lang".to_string(), "en".to_string())])
        );
        let (g, c) = p(&["list", "org", "--lang", "es"]);
        assert_eq!(g.lang.as_deref(), Some("es"));
        assert!(matches!(c, Ok(Command::List { kind: Kind::Org })));
    }

    #[test]
    fn mistakes_are_named() {
        assert!(matches!(
            p(&["frobnicate"]).1,
            Err(ArgError::UnknownCommand(_))
        ));
        assert!(matches!(p(&["show", "nope"]).1, Err(ArgError::BadId(_))));
        assert!(matches!(p(&["list"]).1, Err(ArgError::Missing("kind"))));
        assert!(matches!(
            p(&["--lang", "fr", "list", "org"]).1,
            Err(ArgError::BadLang(_))
        ));
        assert!(matches!(
            p(&["add", "org", "stray"]).1,
            Err(ArgError::Unexpected(_))
        ));
        assert!(matches!(p(&[]).1, Err(ArgError::NoCommand)));
    }
}
