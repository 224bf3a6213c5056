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
    // every field a record accepts has a label
    let fields = [
        "name",
        "kind",
        "org-kind",
        "note-kind",
        "immigrant-led",
        "region",
        "relationship",
        "language",
        "contact",
        "alias",
        "phone",
        "email",
        "signal",
        "lang",
        "org",
        "role",
        "tag",
        "sensitive",
        "share",
        "consent-share",
        "no-share",
        "consent-contact",
        "last-contact",
        "next-follow-up",
        "title",
        "target",
        "jurisdiction",
        "status",
        "history",
        "partner",
        "lead",
        "campaign",
        "description",
        "goal",
        "deadline",
        "signer",
        "paper-count",
        "body",
        "date",
        "attendee",
        "follow-up",
        "done",
        "due",
        "who",
        "remove-language",
        "remove-org",
        "remove-tag",
        "remove-partner",
        "remove-signer",
        "remove-attendee",
    ];
    ids.extend(fields.iter().map(|f| format!("field-{f}")));
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
    assert_eq!(i18n::number(Lang::Es, 12500), "12\u{a0}500");
    assert_eq!(i18n::number(Lang::Es, 999), "999");
    assert_eq!(Lang::parse("es_MX.UTF-8"), Some(Lang::Es));
    assert_eq!(Lang::parse("fr"), None);
    let all_es = i18n::all_messages(Lang::Es);
    assert!(all_es
        .iter()
        .any(|(id, t)| id == "status-won" && t == "ganada"));
}
