//! The command line, parsed at the edge into a `Command`.
//!
//! Parsed by hand rather than with clap: the grammar is ten verbs and
//! `--FIELD VALUE` pairs, and every word of help and every error must come
//! from Fluent in the user's language, which clap's generated text cannot do.
//! `--lang` is both the interface language (anywhere) and a person's language
//! (after `add person`), which is resolved here too.

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
    Help,
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
            "--vault" => match value("vault") {
                Ok(v) => g.vault = Some(PathBuf::from(v)),
                Err(e) => err = err.or(Some(e)),
            },
            "--lang" if !person_context => match value("lang") {
                Ok(v) => g.lang = Some(v),
                Err(e) => err = err.or(Some(e)),
            },
            _ => {
                rest.push(a);
                // After `add person` or `edit per_…`, --lang is the person's language.
                person_context = rest.len() >= 2
                    && match rest[0].as_str() {
                        "add" => Kind::parse(&rest[1]) == Some(Kind::Person),
                        "edit" => Id::parse(&rest[1]).is_some_and(|id| id.kind() == Kind::Person),
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
        None if g.help => Ok(Command::Help),
        None => command(rest),
    };
    (g, cmd)
}

fn command(rest: Vec<String>) -> Result<Command, ArgError> {
    let mut it = rest.into_iter();
    let verb = it.next().ok_or(ArgError::NoCommand)?;
    let mut next = |what: &'static str| it.next().ok_or(ArgError::Missing(what));
    let cmd = match verb.as_str() {
        "init" => Command::Init,
        "demo" => Command::Demo,
        "passwd" => Command::Passwd,
        "help" => Command::Help,
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
        _ => return Err(ArgError::UnknownCommand(verb)),
    };
    match it.next() {
        Some(extra) => Err(ArgError::Unexpected(extra)),
        None => Ok(cmd),
    }
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
