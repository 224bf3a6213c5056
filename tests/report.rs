//! Reports with no one in them: on the sample chapter, in both languages,
//! the HTML holds none of the people's names, aliases, phones or emails; the
//! small-number rule holds; the CLI's `aqui report`, with `--json` the same
//! figures every time. Also `--headcount` and the free-text guard.

use crate::util::{fast_kdf, pass, Cli, PASS};
use aqui::model::fields::Value;
use aqui::report::{self, Period, Small};
use aqui::{demo, Lang, Record, Vault};
use tempfile::TempDir;

fn this_year() -> Period {
    let today = aqui::model::today();
    Period::parse(&chrono::Datelike::year(&today).to_string()).unwrap()
}

#[test]
fn the_sample_chapter_report_names_no_one() {
    let dir = TempDir::new().unwrap();
    let mut v = Vault::create(&dir.path().join("v"), &pass(PASS), fast_kdf()).unwrap();
    demo::fill(&mut v, aqui::model::today()).unwrap();
    let people: Vec<aqui::model::Person> = v
        .list(aqui::Kind::Person)
        .into_iter()
        .filter_map(|(_, r)| match r {
            Record::Person(p) => Some(p.clone()),
            _ => None,
        })
        .collect();
    let notes: Vec<aqui::model::Note> = v
        .list(aqui::Kind::Note)
        .into_iter()
        .filter_map(|(_, r)| match r {
            Record::Note(n) => Some(n.clone()),
            _ => None,
        })
        .collect();
    assert!(people.len() >= 5);
    // Every text the field table marks as naming or reaching a person.
    let guarded: Vec<String> = v
        .list(aqui::Kind::Person)
        .into_iter()
        .flat_map(|(_, r)| {
            r.values()
                .filter(|(f, _)| f.identifying || f.contact)
                .filter_map(|(_, value)| match value {
                    Value::Text(s) if !s.is_empty() => Some(s.to_string()),
                    _ => None,
                })
                .collect::<Vec<_>>()
        })
        .collect();
    assert!(guarded.len() >= people.len());
    // a quarter around today, the year, and a range
    let today = aqui::model::today();
    let q = (chrono::Datelike::month(&today) - 1) / 3 + 1;
    let quarter = Period::parse(&format!("{}-Q{q}", chrono::Datelike::year(&today))).unwrap();
    let range = Period::dates(today - chrono::Duration::days(60), today).unwrap();
    for period in [quarter, this_year(), range] {
        let figures = report::figures(&v, period, report::THRESHOLD);
        // small numbers: every language breakdown is 0 or at least 5, else hidden
        for (l, c) in &figures.people.by_lang {
            if let Small::Count(n) = c {
                assert!(*n == 0 || *n >= 5, "{l}: {n}");
            }
        }
        // the sample chapter has fewer than 5 people with no language, and
        // some language with fewer than 5: hidden
        assert!(figures
            .people
            .by_lang
            .values()
            .any(|c| *c == Small::FewerThan(5)));
        // and no single hidden number is the total less the ones shown
        let hidden = figures
            .people
            .by_lang
            .values()
            .filter(|c| !matches!(c, Small::Count(_)))
            .count();
        assert_ne!(hidden, 1, "{:?}", figures.people.by_lang);
        let json = serde_json::to_string(&figures).unwrap();
        for lang in Lang::ALL {
            let html = report::html::render(&figures, lang);
            assert!(html.starts_with("<!DOCTYPE html>"));
            assert!(html.contains("<svg"), "charts drawn inline");
            for bad in ["<script", "src=", "href=", "@import", "url("] {
                assert!(!html.contains(bad), "{bad} in the report");
            }
            let fewer = aqui::i18n::text_args(lang, "report-fewer-than", &[("n", "5".into())]);
            assert!(
                html.contains(&fewer),
                "{lang:?}: small numbers shown as such"
            );
            for p in &people {
                for word in [&p.name, &p.alias, &p.phone, &p.email, &p.signal] {
                    if !word.is_empty() {
                        assert!(!html.contains(word.as_str()), "{word} in {lang:?} HTML");
                        assert!(!json.contains(word.as_str()), "{word} in the figures");
                        assert!(!html.contains(&aqui::html::esc(word)), "{word}");
                    }
                }
            }
            for word in &guarded {
                assert!(!html.contains(word.as_str()), "{word} in {lang:?} HTML");
                assert!(!json.contains(word.as_str()), "{word} in the figures");
            }
            for n in &notes {
                assert!(!html.contains(&aqui::html::esc(&n.title)), "{}", n.title);
                assert!(!html.contains(&aqui::html::esc(&n.body)));
            }
        }
        // deterministic
        assert_eq!(figures, report::figures(&v, period, report::THRESHOLD));
    }
    // The year's figures: the training's headcount (35) is counted, the win is there.
    let y = report::figures(&v, this_year(), report::THRESHOLD);
    let trainings = y
        .activity
        .iter()
        .find(|a| a.kind == aqui::model::NoteKind::Training)
        .unwrap();
    assert!(trainings.headcount >= 35);
    assert_eq!(y.people.total as usize, people.len());
}

#[test]
fn private_partners_are_counted_not_named() {
    let dir = TempDir::new().unwrap();
    let mut v = Vault::create(&dir.path().join("v"), &pass(PASS), fast_kdf()).unwrap();
    let add = |v: &mut Vault, name: &str, private: &str| {
        v.add(crate::util::rec(
            aqui::Kind::Org,
            &[
                ("name", name),
                ("relationship", "partner"),
                ("private", private),
                ("immigrant-led", "yes"),
            ],
        ))
        .unwrap()
    };
    let open = add(&mut v, "Open Church", "no");
    let quiet = add(&mut v, "Quiet Collective", "yes");
    // A demand they both back: the same rule there.
    v.add(crate::util::rec(
        aqui::Kind::Demand,
        &[
            ("title", "End the jail contract"),
            ("target", "County board"),
            ("partner", open.as_str()),
            ("partner", quiet.as_str()),
        ],
    ))
    .unwrap();
    let f = report::figures(&v, this_year(), 5);
    assert_eq!(f.demands[0].partners, vec!["Open Church".to_string()]);
    assert_eq!(f.demands[0].private_partners, 1);
    let json = serde_json::to_string(&f).unwrap();
    assert!(json.contains("Open Church") && !json.contains("Quiet Collective"));
    assert_eq!((f.orgs.partners, f.orgs.private), (2, 1));
    assert_eq!(f.orgs.named, vec!["Open Church".to_string()]);
    assert_eq!(f.orgs.immigrant_led_percent, 100);
    for lang in Lang::ALL {
        let html = report::html::render(&f, lang);
        assert!(html.contains("Open Church") && !html.contains("Quiet Collective"));
        let unnamed = aqui::i18n::text_count(lang, "report-demand-private-partners", 1, &[]);
        assert!(html.contains(&aqui::html::esc(&unnamed)), "{lang:?}");
    }
}

#[test]
fn cli_report_headcount_and_guard() {
    let cli = Cli::new();
    cli.ok(&["init"]);
    let today = aqui::model::today().to_string();
    let note = cli.run(&[
        "add",
        "note",
        "--title",
        "Vigil",
        "--kind",
        "action",
        "--date",
        &today,
        "--headcount",
        "40",
        "--body",
        "Marcos es indocumentado",
    ]);
    assert!(note.status.success());
    let err = String::from_utf8_lossy(&note.stderr);
    assert!(err.contains("immigration status"), "{err}");
    let id = String::from_utf8_lossy(&note.stdout).trim().to_string();
    assert_eq!(cli.json(&["show", &id])["headcount"], 40, "saved anyway");
    let quiet = cli.run(&["add", "note", "--title", "Plan", "--body", "Book the hall"]);
    assert!(quiet.stderr.is_empty());
    let es = cli.run(&["--lang", "es", "edit", &id, "--body", "pidió asilo"]);
    assert!(String::from_utf8_lossy(&es.stderr).contains("estatus migratorio"));

    let year = chrono::Datelike::year(&aqui::model::today()).to_string();
    let a = cli.json(&["report", "--period", &year]);
    let b = cli.json(&["report", "--period", &year]);
    let strip = |mut v: serde_json::Value| {
        v.as_object_mut().unwrap().remove("generated");
        v
    };
    assert_eq!(strip(a.clone()), strip(b), "same figures every time");
    let actions = a["activity"]
        .as_array()
        .unwrap()
        .iter()
        .find(|x| x["kind"] == "action")
        .unwrap()
        .clone();
    assert_eq!(
        (actions["held"].clone(), actions["headcount"].clone()),
        (1.into(), 40.into())
    );
    let out = cli.root.path().join("r.html");
    for lang in ["en", "es"] {
        cli.ok(&[
            "--lang",
            lang,
            "report",
            "--from",
            &format!("{year}-01-01"),
            "--to",
            &format!("{year}-12-31"),
            "--out",
            out.to_str().unwrap(),
        ]);
        let html = std::fs::read_to_string(&out).unwrap();
        assert!(html.contains(if lang == "en" {
            "Annual report"
        } else {
            "Informe anual"
        }));
        assert!(!html.contains("Marcos"));
    }
    cli.fails(&["report"]);
    cli.fails(&["report", "--period", "2026-Q7"]);
    cli.fails(&["report", "--from", "2026-02-01", "--to", "2026-01-01"]);
}

#[test]
fn the_apps_stylesheets_are_the_reports_own() {
    let ui = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("ui");
    let strip = |f: &str| {
        let t = std::fs::read_to_string(ui.join(f)).unwrap();
        t.split_once("*/\n").unwrap().1.trim_end().to_string()
    };
    assert_eq!(strip("report.css"), report::html::CSS);
    assert_eq!(strip("consent-form.css"), aqui::consent::FORM_CSS);
    // the saved files are self-contained; the paper form names no one and is bilingual
    let form = aqui::consent::paper_form();
    assert!(form.contains("<style>") && !form.contains("<script") && !form.contains("href="));
    for lang in Lang::ALL {
        assert!(form.contains(&aqui::html::esc(&aqui::i18n::text(lang, "consent-script"))));
    }
}

#[test]
fn pledge_progress_over_the_period_against_goal_and_deadline() {
    use aqui::model::{PaperBatch, PledgeDrive};
    use chrono::{Duration, NaiveDate};
    let dir = TempDir::new().unwrap();
    let mut v = Vault::create(&dir.path().join("v"), &pass(PASS), fast_kdf()).unwrap();
    let today = aqui::model::today();
    let from = today - Duration::days(120);
    let deadline = from + Duration::days(40);
    let batch = |date: Option<NaiveDate>, count| PaperBatch {
        date,
        count,
        by: None,
    };
    v.add(Record::Pledge(PledgeDrive {
        title: "Sign for the clinic".into(),
        goal: 10,
        deadline,
        signers: Vec::new(),
        batches: vec![
            batch(None, 2),
            batch(Some(from + Duration::days(9)), 3),
            batch(Some(from + Duration::days(31)), 4),
            // after the deadline: counts in the period, not toward "met"
            batch(Some(from + Duration::days(79)), 5),
            // after the period: not counted at all
            batch(Some(today + Duration::days(1)), 7),
        ],
        campaign: None,
        others: 1,
    }))
    .unwrap();
    let period = Period::dates(from, today).unwrap();
    let figures = report::figures(&v, period, report::THRESHOLD);
    let p = &figures.pledges[0];
    let series: Vec<(i64, u64)> = p
        .series
        .iter()
        .map(|pt| ((pt.date - from).num_days(), pt.total))
        .collect();
    assert_eq!(
        series,
        [(0, 3), (9, 6), (31, 10), (79, 15), (120, 15)],
        "the running total over the period, ending on its last day"
    );
    assert_eq!((p.named, p.paper, p.progress), (1, 14, 15));
    assert_eq!(p.met, Some(true), "10 of 10 by the deadline");

    // A later period starting after the deadline: the total carried in,
    // and the goal judged on the deadline, not the period's end.
    let mut drive = match v.list(aqui::Kind::Pledge)[0].1.clone() {
        Record::Pledge(d) => d,
        _ => unreachable!(),
    };
    drive.batches.retain(|b| b.count != 4);
    let id = v.list(aqui::Kind::Pledge)[0].0.clone();
    v.update(&id, Record::Pledge(drive)).unwrap();
    let f = report::figures(&v, period, report::THRESHOLD);
    assert_eq!(f.pledges[0].progress, 11);
    assert_eq!(f.pledges[0].met, Some(false), "6 of 10 on the deadline");

    // the series is in --json and drawn: a line, the goal, the deadline
    let json = serde_json::to_value(&figures).unwrap();
    assert_eq!(json["pledges"][0]["series"][1]["total"], 6);
    for lang in Lang::ALL {
        let html = report::html::render(&figures, lang);
        assert!(html.contains("<path d=\"M44 "), "{lang:?}: the line");
        let goal = aqui::i18n::text_args(lang, "report-pledge-goal-mark", &[("goal", "10".into())]);
        assert!(html.contains(&aqui::html::esc(&goal)), "{lang:?}: the goal");
        let dl = aqui::i18n::text_args(
            lang,
            "report-pledge-deadline",
            &[("date", aqui::i18n::date(lang, deadline))],
        );
        assert!(
            html.contains(&aqui::html::esc(&dl)),
            "{lang:?}: the deadline"
        );
    }
}

#[test]
fn cli_consent_form_is_saved_whole_in_both_languages_or_one() {
    let cli = Cli::new();
    // No vault is needed: the form names no one.
    let both = cli.root.path().join("form.html");
    let said = cli.ok(&["consent-form", "--out", both.to_str().unwrap()]);
    assert!(said.contains("form.html"), "{said}");
    let html = std::fs::read_to_string(&both).unwrap();
    assert_eq!(html, aqui::consent::paper_form(), "the app's own form");
    for lang in Lang::ALL {
        let title = aqui::i18n::text(lang, "consent-form-title");
        assert!(html.contains(&aqui::html::esc(&title)), "{lang:?}");
    }
    for bad in ["<script", "src=", "href=", "@import", "url("] {
        assert!(!html.contains(bad), "{bad} in the form");
    }
    assert!(html.contains("<style>") && html.contains("default-src 'none'"));

    let es = cli.root.path().join("formulario.html");
    cli.ok(&[
        "consent-form",
        "--out",
        es.to_str().unwrap(),
        "--lang",
        "es",
    ]);
    let html = std::fs::read_to_string(&es).unwrap();
    assert!(html.starts_with("<!DOCTYPE html><html lang=\"es\">"));
    let es_title = aqui::i18n::text(Lang::Es, "consent-form-title");
    let en_script = aqui::i18n::text(Lang::En, "consent-script");
    assert!(html.contains(&aqui::html::esc(&es_title)));
    assert!(!html.contains(&aqui::html::esc(&en_script)), "Spanish only");
    assert!(html.contains("<style>"));

    // Without --out, the page on stdout; a bad place or a stray word fails.
    let shown = cli.ok(&["--lang", "en", "consent-form"]);
    assert!(
        shown.starts_with("<!DOCTYPE html><html lang=\"en\">"),
        "{shown}"
    );
    let nowhere = cli.root.path().join("no/such/folder/f.html");
    cli.fails(&["consent-form", "--out", nowhere.to_str().unwrap()]);
    cli.fails(&["consent-form", "stray"]);
    let help = cli.ok(&["help", "consent-form"]);
    assert!(help.contains("--out"), "{help}");
}
