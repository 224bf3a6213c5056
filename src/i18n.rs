//! Interface text: the one place that loads Fluent messages and picks a language.
//!
//! The `.ftl` files under `locales/` are embedded in the binary, so the app
//! needs nothing on disk to speak. There is one loader per language (Spanish
//! falls back to English for any missing message) and no global "current
//! language": every caller passes a `Lang`, so the app can switch languages at
//! run time and tests can check both in one process.
//!
//! `t!(lang, "id", arg = value)` wraps i18n-embed-fl's `fl!`, which checks at
//! compile time that the id exists in `locales/en-US/aqui.ftl` with those
//! arguments. Ids built at run time (choice labels, error kinds) go through
//! `text`/`text_args`, and a test checks every one of them exists.

use i18n_embed::fluent::{fluent_language_loader, FluentLanguageLoader};
use i18n_embed::LanguageLoader;
use rust_embed::RustEmbed;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::sync::OnceLock;
use unic_langid::LanguageIdentifier;

#[derive(RustEmbed)]
#[folder = "locales/"]
struct Locales;

/// A language the interface speaks.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
pub enum Lang {
    #[default]
    #[serde(rename = "en")]
    En,
    #[serde(rename = "es")]
    Es,
}

impl Lang {
    pub const ALL: [Lang; 2] = [Lang::En, Lang::Es];

    pub fn as_str(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::Es => "es",
        }
    }

    /// `en`, `es`, or any locale tag of those languages (`es-MX`, `en_US.UTF-8`).
    pub fn parse(s: &str) -> Option<Lang> {
        let tag = s
            .trim()
            .split(['.', '@'])
            .next()
            .unwrap_or_default()
            .replace('_', "-");
        let id: LanguageIdentifier = tag.parse().ok()?;
        match id.language.as_str() {
            "en" => Some(Lang::En),
            "es" => Some(Lang::Es),
            _ => None,
        }
    }

    /// The language to speak: the explicit choice (`--lang`, or the app's
    /// setting), else `AQUI_LANG`, else the system locale, else English.
    pub fn choose(explicit: Option<&str>) -> Lang {
        explicit
            .and_then(Lang::parse)
            .or_else(|| {
                std::env::var("AQUI_LANG")
                    .ok()
                    .as_deref()
                    .and_then(Lang::parse)
            })
            .or_else(system_lang)
            .unwrap_or(Lang::En)
    }
}

fn system_lang() -> Option<Lang> {
    // LC_ALL / LC_MESSAGES / LANG first, as POSIX programs do; then what the
    // platform reports (macOS and Windows settings).
    for var in ["LC_ALL", "LC_MESSAGES", "LANG"] {
        if let Ok(v) = std::env::var(var) {
            if !v.is_empty() {
                return Lang::parse(&v);
            }
        }
    }
    let requested = i18n_embed::DesktopLanguageRequester::requested_languages();
    requested.iter().find_map(|l| Lang::parse(&l.to_string()))
}

/// The loader for `lang`, created on first use.
pub fn loader(lang: Lang) -> &'static FluentLanguageLoader {
    static EN: OnceLock<FluentLanguageLoader> = OnceLock::new();
    static ES: OnceLock<FluentLanguageLoader> = OnceLock::new();
    match lang {
        Lang::En => EN.get_or_init(|| load(&["en-US"])),
        Lang::Es => ES.get_or_init(|| load(&["es", "en-US"])),
    }
}

fn load(tags: &[&str]) -> FluentLanguageLoader {
    let loader = fluent_language_loader!();
    let ids: Vec<LanguageIdentifier> = tags.iter().filter_map(|t| t.parse().ok()).collect();
    // The files are compiled into the binary and checked by the test suite, so
    // failing here is a build defect, never something a user or file can cause.
    loader
        .load_languages(&Locales, &ids)
        .expect("embedded locale files load");
    // No Unicode isolation marks around arguments: they show as garbage in
    // terminals, and the app renders every value as text anyway.
    loader.set_use_isolating(false);
    // Counts given to a message as numbers are grouped as the reader writes
    // them ("12,500 records"), by the same rule as [`number`].
    loader.with_bundles_mut(|bundle| bundle.set_formatter(Some(format_value)));
    loader
}

/// Fluent's formatter hook: whole numbers grouped by thousands; anything else
/// as Fluent formats it.
fn format_value<M>(value: &fluent_bundle::FluentValue, _: &M) -> Option<String> {
    match value {
        fluent_bundle::FluentValue::Number(n)
            if n.value.fract() == 0.0
                && n.value.abs() < 1e15
                && n.options.minimum_fraction_digits.is_none() =>
        {
            let digits = number(Lang::En, n.value.abs() as u64);
            Some(if n.value < 0.0 {
                format!("-{digits}")
            } else {
                digits
            })
        }
        _ => None,
    }
}

/// A message by id chosen at run time (a choice label, an error kind).
pub fn text(lang: Lang, id: &str) -> String {
    loader(lang).get(id)
}

/// A message by id chosen at run time, with arguments.
pub fn text_args(lang: Lang, id: &str, args: &[(&str, String)]) -> String {
    let map: HashMap<String, String> = args
        .iter()
        .map(|(k, v)| (k.to_string(), v.clone()))
        .collect();
    loader(lang).get_args(id, map)
}

fn own_tag(lang: Lang) -> LanguageIdentifier {
    match lang {
        Lang::En => unic_langid::langid!("en-US"),
        Lang::Es => unic_langid::langid!("es"),
    }
}

/// Ids of the messages in `lang`'s own file (not those it falls back to).
pub fn message_ids(lang: Lang) -> Vec<String> {
    loader(lang).with_message_iter(&own_tag(lang), |iter| {
        iter.map(|m| m.id.name.to_string()).collect()
    })
}

/// Whether `id` exists in `lang`'s own file (not by fallback).
pub fn has_message(lang: Lang, id: &str) -> bool {
    loader(lang).with_message_iter(&own_tag(lang), |iter| {
        for m in iter {
            if m.id.name == id {
                return true;
            }
        }
        false
    })
}

/// Every message of the language, formatted without arguments: the app's
/// interface text comes from here, so it has no text of its own.
pub fn all_messages(lang: Lang) -> Vec<(String, String)> {
    message_ids(Lang::En)
        .into_iter()
        .map(|id| {
            let t = text(lang, &id);
            (id, t)
        })
        .collect()
}

/// A date as people write it in `lang`: "Nov 21, 2026" / "21 nov 2026".
pub fn date(lang: Lang, d: chrono::NaiveDate) -> String {
    use chrono::Datelike;
    let month = text(lang, &format!("month-{}", d.month()));
    text_args(
        lang,
        "date-format",
        &[
            ("day", d.day().to_string()),
            ("month", month),
            ("year", d.year().to_string()),
        ],
    )
}

/// A whole number as the reader writes it: 12,500 in both languages, since
/// US English and the Spanish of the US and Mexico (CLDR es-US, es-MX) group
/// thousands with a comma, from four digits on. Counts given to Fluent as
/// numbers go through this too (see `load`), and the UI's `formatNumber`
/// follows the same rule.
pub fn number(lang: Lang, n: u64) -> String {
    let sep = match lang {
        Lang::En | Lang::Es => ',',
    };
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(sep);
        }
        out.push(c);
    }
    out
}

/// A time of day as the reader writes it: 12-hour with "AM"/"PM" in English,
/// "a.m."/"p.m." in Spanish (as in the US and Mexico): "3:05 PM", "3:05 p.m.".
pub fn time(lang: Lang, t: chrono::NaiveTime) -> String {
    use chrono::Timelike;
    let (pm, hour) = t.hour12();
    let half = text(lang, if pm { "time-pm" } else { "time-am" });
    format!("{hour}:{:02} {half}", t.minute())
}

/// Messages that show a count, which the UI fills in itself (a countdown,
/// a badge): for each id, its text for one (`id` + `.one`) and for any other
/// count with `{n}` where the number goes. The UI's `count(id, n)` picks one.
pub const COUNTED: &[&str] = &["ui-wipe-countdown", "ui-conflicts-waiting"];

/// The texts behind [`COUNTED`] in `lang`.
pub fn counted_messages(lang: Lang) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for id in COUNTED {
        // A string is never "one", so Fluent takes the other variant and
        // writes the placeholder where the number goes.
        out.push((
            id.to_string(),
            text_args(lang, id, &[("count", "{n}".into())]),
        ));
        let mut map = fluent_bundle::FluentArgs::new();
        map.set("count", 1);
        out.push((
            format!("{id}.one"),
            loader(lang).get_args_fluent(id, Some(&map)),
        ));
    }
    out
}

/// `t!(lang, "message-id")` or `t!(lang, "message-id", name = value, …)`:
/// a message, checked at compile time against the English file.
#[macro_export]
macro_rules! t {
    ($lang:expr, $id:literal) => {
        i18n_embed_fl::fl!($crate::i18n::loader($lang), $id)
    };
    ($lang:expr, $id:literal, $($args:tt)*) => {
        i18n_embed_fl::fl!($crate::i18n::loader($lang), $id, $($args)*)
    };
}
