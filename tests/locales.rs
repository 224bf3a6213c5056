//! Both locales carry the same message ids with the same variables, and every
//! id chosen at run time exists.

use aqui::i18n::{self, Lang};
use aqui::model::{DemandStatus, NoteKind, OrgKind, Relationship};
use aqui::Kind;
use fluent_syntax::ast;
use std::collections::{BTreeMap, BTreeSet};

fn vars_in_pattern(p: &ast::Pattern<&str>, out: &mut BTreeSet<String>) {
    for el in &p.elements {
        if let ast::PatternElement::Placeable { expression } = el {
            vars_in_expr(expression, out);
        }
    }
}

fn vars_in_expr(e: &ast::Expression<&str>, out: &mut BTreeSet<String>) {
    match e {
        ast::Expression::Select { selector, variants } => {
            vars_in_inline(selector, out);
            for v in variants {
                vars_in_pattern(&v.value, out);
            }
        }
        ast::Expression::Inline(i) => vars_in_inline(i, out),
    }
}

fn vars_in_inline(i: &ast::InlineExpression<&str>, out: &mut BTreeSet<String>) {
    match i {
        ast::InlineExpression::VariableReference { id } => {
            out.insert(id.name.to_string());
        }
        ast::InlineExpression::Placeable { expression } => vars_in_expr(expression, out),
        _ => {}
    }
}

fn messages(path: &str) -> BTreeMap<String, BTreeSet<String>> {
    let src = std::fs::read_to_string(path).unwrap();
    let res = fluent_syntax::parser::parse(src.as_str())
        .unwrap_or_else(|(_, errs)| panic!("{path}: {errs:?}"));
    let mut out = BTreeMap::new();
    for entry in res.body {
        let (id, value) = match &entry {
            ast::Entry::Message(m) => (m.id.name.to_string(), m.value.as_ref()),
            ast::Entry::Term(t) => (format!("-{}", t.id.name), Some(&t.value)),
            _ => continue,
        };
        let mut vars = BTreeSet::new();
        if let Some(p) = value {
            vars_in_pattern(p, &mut vars);
        }
        assert!(
            out.insert(id.clone(), vars).is_none(),
            "{path}: {id} defined twice"
        );
    }
    out
}

#[test]
fn both_locales_have_the_same_ids_and_variables() {
    let en = messages(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/locales/en-US/aqui.ftl"
    ));
    let es = messages(concat!(env!("CARGO_MANIFEST_DIR"), "/locales/es/aqui.ftl"));
    let en_ids: BTreeSet<_> = en.keys().collect();
    let es_ids: BTreeSet<_> = es.keys().collect();
    assert_eq!(
        en_ids.difference(&es_ids).collect::<Vec<_>>(),
        Vec::<&&String>::new(),
        "only in en-US"
    );
    assert_eq!(
        es_ids.difference(&en_ids).collect::<Vec<_>>(),
        Vec::<&&String>::new(),
        "only in es"
    );
    for (id, vars) in &en {
        assert_eq!(vars, &es[id], "variables of {id}");
    }
    assert!(en.len() > 150);
}

/// The variables a message selects a variant on (`{ $count -> … }`).
fn selectors(path: &str) -> BTreeMap<String, BTreeSet<String>> {
    fn in_pattern(p: &ast::Pattern<&str>, out: &mut BTreeSet<String>) {
        for el in &p.elements {
            if let ast::PatternElement::Placeable {
                expression: ast::Expression::Select { selector, variants },
            } = el
            {
                if let ast::InlineExpression::VariableReference { id } = selector {
                    out.insert(id.name.to_string());
                }
                for v in variants {
                    in_pattern(&v.value, out);
                }
            }
        }
    }
    let src = std::fs::read_to_string(path).unwrap();
    let res = fluent_syntax::parser::parse(src.as_str()).unwrap_or_else(|(_, e)| panic!("{e:?}"));
    let mut out = BTreeMap::new();
    for entry in res.body {
        if let ast::Entry::Message(m) = &entry {
            let mut set = BTreeSet::new();
            if let Some(p) = &m.value {
                in_pattern(p, &mut set);
            }
            out.insert(m.id.name.to_string(), set);
        }
    }
    out
}

#[test]
fn every_count_has_its_plural_in_both_languages() {
    // `$count` is what a message counts: it must choose a variant on it, so
    // no reader sees "1 records" or "1 registros".
    for path in [
        concat!(env!("CARGO_MANIFEST_DIR"), "/locales/en-US/aqui.ftl"),
        concat!(env!("CARGO_MANIFEST_DIR"), "/locales/es/aqui.ftl"),
    ] {
        let vars = messages(path);
        let sel = selectors(path);
        for (id, v) in &vars {
            if v.contains("count") {
                assert!(
                    sel[id].contains("count"),
                    "{path}: {id} shows $count with no plural"
                );
            }
        }
    }
    // The counted messages the UI fills in itself come in both forms.
    for lang in Lang::ALL {
        let counted = i18n::counted_messages(lang);
        for id in i18n::COUNTED {
            let other = &counted.iter().find(|(i, _)| i == id).unwrap().1;
            let one = &counted
                .iter()
                .find(|(i, _)| *i == format!("{id}.one"))
                .unwrap()
                .1;
            assert!(other.contains("{n}"), "{lang:?} {id}: {other}");
            assert!(
                !one.contains("{n}") && !one.contains('1'),
                "{lang:?} {id}: {one}"
            );
        }
    }
    assert_eq!(
        aqui::t!(Lang::Es, "restored", count = 1, dir = "x"),
        "Se restauró un registro en una bóveda nueva en x."
    );
}

#[test]
fn ids_chosen_at_run_time_exist_in_both_languages() {
    let mut ids: Vec<String> = Vec::new();
    ids.extend(OrgKind::ALL.iter().map(|v| v.message_id()));
    ids.extend(Relationship::ALL.iter().map(|v| v.message_id()));
    ids.extend(DemandStatus::ALL.iter().map(|v| v.message_id()));
    ids.extend(NoteKind::ALL.iter().map(|v| v.message_id()));
    ids.extend(Kind::ALL.iter().map(|k| format!("kind-{}", k.as_str())));
    ids.extend((1..=12).map(|m| format!("month-{m}")));
    ids.extend(
        [
            "lang-en",
            "lang-es",
            "arg-kind",
            "arg-id",
            "arg-query",
            "err-app-start",
        ]
        .map(String::from),
    );
    // every field of the field table has its labels, under every name it
    // is typed, shown or pointed at by
    for kind in Kind::ALL {
        for f in aqui::model::fields::table(kind).rows {
            ids.extend([f.label, f.shown_label].map(String::from));
            ids.extend(f.names().iter().map(|n| format!("field-{n}")));
        }
    }
    for lang in Lang::ALL {
        for id in &ids {
            assert!(i18n::has_message(lang, id), "{id} missing in {lang:?}");
        }
    }
}

#[test]
fn dates_and_numbers_follow_the_locale() {
    let d = chrono::NaiveDate::from_ymd_opt(2027, 4, 15).unwrap();
    assert_eq!(i18n::date(Lang::En, d), "Apr 15, 2027");
    assert_eq!(i18n::date(Lang::Es, d), "15 abr 2027");
    assert_eq!(i18n::number(Lang::En, 1234567), "1,234,567");
    // US and Mexican Spanish group thousands with a comma, as English does.
    assert_eq!(i18n::number(Lang::Es, 12500), "12,500");
    assert_eq!(i18n::number(Lang::Es, 1500), "1,500");
    assert_eq!(i18n::number(Lang::Es, 999), "999");
    // Counts given to Fluent as numbers are grouped the same way, and still
    // choose their plural.
    let many = aqui::t!(Lang::Es, "count-deletions", count = 12500);
    assert_eq!(many, "12,500 borrados");
    assert_eq!(
        aqui::t!(Lang::En, "count-deletions", count = 1),
        "one deletion"
    );
    // Times follow the language: 12-hour, as the US and Mexico write them.
    let t = chrono::NaiveTime::from_hms_opt(15, 5, 0).unwrap();
    assert_eq!(i18n::time(Lang::En, t), "3:05 PM");
    assert_eq!(i18n::time(Lang::Es, t), "3:05 p.m.");
    let midnight = chrono::NaiveTime::from_hms_opt(0, 30, 0).unwrap();
    assert_eq!(i18n::time(Lang::En, midnight), "12:30 AM");
    assert_eq!(Lang::parse("es_MX.UTF-8"), Some(Lang::Es));
    assert_eq!(Lang::parse("fr"), None);
    let all_es = i18n::all_messages(Lang::Es);
    assert!(all_es
        .iter()
        .any(|(id, t)| id == "status-won" && t == "ganada"));
}

/// Variables that hold a number of things, whatever their name.
const NUMBERS: &[&str] = &[
    "count",
    "rows",
    "total",
    "new",
    "updated",
    "merged",
    "unchanged",
    "deleted",
    "conflict",
    "done",
    "open",
    "bodies",
    "attendees",
    "people",
    "log",
    "named",
    "paper",
    "progress",
    "goal",
    "sensitive",
    "noconsent",
];

/// Each place a number variable is shown outside a choice on that same
/// variable, with the word written right after it (lowercased).
fn bare_numbers(path: &str) -> Vec<(String, String, String)> {
    fn walk(
        id: &str,
        p: &ast::Pattern<&str>,
        chosen: &BTreeSet<String>,
        out: &mut Vec<(String, String, String)>,
    ) {
        let els = &p.elements;
        for (i, el) in els.iter().enumerate() {
            let ast::PatternElement::Placeable { expression } = el else {
                continue;
            };
            match expression {
                ast::Expression::Select { selector, variants } => {
                    let mut inner = chosen.clone();
                    if let ast::InlineExpression::VariableReference { id: v } = selector {
                        inner.insert(v.name.to_string());
                    }
                    for v in variants {
                        walk(id, &v.value, &inner, out);
                    }
                }
                ast::Expression::Inline(ast::InlineExpression::VariableReference { id: v }) => {
                    let name = v.name.to_string();
                    if !NUMBERS.contains(&name.as_str()) || chosen.contains(&name) {
                        continue;
                    }
                    let next = match els.get(i + 1) {
                        Some(ast::PatternElement::TextElement { value }) => value
                            .strip_prefix(' ')
                            .and_then(|t| t.split(|c: char| !c.is_alphabetic()).next())
                            .unwrap_or("")
                            .to_lowercase(),
                        _ => String::new(),
                    };
                    out.push((id.to_string(), name, next));
                }
                ast::Expression::Inline(_) => {}
            }
        }
    }
    let src = std::fs::read_to_string(path).unwrap();
    let res = fluent_syntax::parser::parse(src.as_str()).unwrap_or_else(|(_, e)| panic!("{e:?}"));
    let mut out = Vec::new();
    for entry in res.body {
        if let ast::Entry::Message(m) = &entry {
            if let Some(p) = &m.value {
                walk(m.id.name, p, &BTreeSet::new(), &mut out);
            }
        }
    }
    out
}

#[test]
fn no_word_agrees_with_a_number_it_cannot_see() {
    // A count under another name than `$count` ("{ $total } people",
    // "{ $done } hechos") reads "1 people" / "1 hechos" unless the message
    // chooses a variant on it. Either it chooses, or the number stands after
    // a label ("Nuevas: { $new }"), or what follows does not change with it
    // ("{ $progress } of { $goal }", "{ $new } new").
    let plural = |w: &str| {
        w.len() > 2 && w.ends_with('s') && !["más", "as", "is"].contains(&w)
            || ["people", "personas"].contains(&w)
    };
    let mut bad = Vec::new();
    for path in [
        concat!(env!("CARGO_MANIFEST_DIR"), "/locales/en-US/aqui.ftl"),
        concat!(env!("CARGO_MANIFEST_DIR"), "/locales/es/aqui.ftl"),
    ] {
        for (id, var, word) in bare_numbers(path) {
            if plural(&word) {
                bad.push(format!("{path}: {id}: {{ ${var} }} {word}"));
            }
        }
    }
    assert!(bad.is_empty(), "{bad:#?}");
    // The heuristic sees what it is meant to see.
    let src =
        "m = { $total } personas y { $count ->\n    [one] una\n   *[other] { $count } notas\n  }\n";
    let dir = tempfile::tempdir().unwrap();
    let f = dir.path().join("x.ftl");
    std::fs::write(&f, src).unwrap();
    let found = bare_numbers(f.to_str().unwrap());
    assert_eq!(
        found,
        vec![("m".to_string(), "total".to_string(), "personas".to_string())]
    );
}

#[test]
fn rows_and_other_counts_choose_their_plural() {
    // `$rows` is a count too: it chooses, in both languages, on a number.
    for lang in Lang::ALL {
        let one = aqui::t!(
            lang,
            "csv-preview-file",
            encoding = "UTF-8",
            delimiter = ",",
            rows = 1usize
        );
        let many = aqui::t!(
            lang,
            "csv-preview-file",
            encoding = "UTF-8",
            delimiter = ",",
            rows = 1500usize
        );
        assert!(!one.contains(" 1 "), "{lang:?}: {one}");
        assert!(many.contains("1,500"), "{lang:?}: {many}");
    }
    for path in [
        concat!(env!("CARGO_MANIFEST_DIR"), "/locales/en-US/aqui.ftl"),
        concat!(env!("CARGO_MANIFEST_DIR"), "/locales/es/aqui.ftl"),
    ] {
        let vars = messages(path);
        let sel = selectors(path);
        for (id, v) in &vars {
            if v.contains("rows") {
                assert!(
                    sel[id].contains("rows"),
                    "{path}: {id} shows $rows with no plural"
                );
            }
        }
    }
}

#[test]
fn spanish_keeps_to_the_glossary() {
    // ustedes, never vosotros; never "ilegal" for a person; "exigencia", not
    // "demanda" (a lawsuit); "sección local", not "capítulo"; a file is
    // created or saved, not "escrito"; "usa" a command, not "corre".
    let src = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/locales/es/aqui.ftl"))
        .unwrap();
    let words: Vec<String> = src
        .lines()
        .filter(|l| !l.trim_start().starts_with('#'))
        // the text only: not the id before " = "
        .map(|l| match l.split_once(" = ") {
            Some((id, text)) if !id.starts_with(' ') => text,
            _ => l,
        })
        .flat_map(|l| {
            l.split(|c: char| !c.is_alphabetic())
                .map(str::to_lowercase)
                .collect::<Vec<_>>()
        })
        .collect();
    for banned in [
        "vosotros",
        "vosotras",
        "vuestro",
        "vuestra",
        "os",
        "ilegal",
        "ilegales",
        "demanda",
        "demandas",
        "capítulo",
        "laptop",
    ] {
        assert!(
            !words.iter().any(|w| w == banned),
            "the Spanish text says “{banned}”"
        );
    }
    let lower = src.to_lowercase();
    for calque in [
        "corre “aqui",
        "corre \"aqui",
        "corre aqui",
        "corre el mismo comando",
        "escribir el archivo",
        "se escribió",
        "se escribieron",
    ] {
        assert!(!lower.contains(calque), "the Spanish text says “{calque}”");
    }
    // a passphrase is always a "frase de contraseña"
    for (i, l) in src.lines().enumerate() {
        let lower = l.to_lowercase();
        let alone = lower.matches("contraseña").count();
        let whole = lower.matches("frase de contraseña").count()
            + lower.matches("frases de contraseña").count();
        assert_eq!(alone, whole, "line {}: {l}", i + 1);
    }
}
