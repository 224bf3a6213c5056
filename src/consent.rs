//! Consent as a person reads it: a state with its date and manner, the
//! history, the people whose consent was recorded before consent records
//! existed ("consent to confirm"), the words an organizer reads to a person
//! in both languages, and a printable bilingual paper consent form.

use crate::html::esc;
use crate::i18n::{date, text, Lang};
use crate::model::{ConsentChange, ConsentMark, ConsentState, ConsentTopic, Id, Kind, Record};
use crate::vault::{Error, Vault};
use crate::view::{items, Item};
use serde::Serialize;

/// "yes — Oct 2, 2026, paper form, Spanish".
pub fn state_line(lang: Lang, state: ConsentState, mark: Option<&ConsentMark>) -> String {
    let mut parts = vec![text(lang, &state.message_id())];
    if let Some(m) = mark {
        let mut how = vec![date(lang, m.date)];
        if let Some(h) = m.how {
            how.push(text(lang, &h.message_id()));
        }
        if let Some(l) = m.lang {
            how.push(text(lang, &format!("lang-{}", l.as_str())));
        }
        parts.push(how.join(", "));
    }
    parts.join(" — ")
}

/// One line of a person's consent history, as shown.
#[derive(Clone, Debug, Serialize)]
pub struct EventView {
    pub date: String,
    pub topic: String,
    pub state: String,
    pub how: String,
    pub lang: String,
    /// Who recorded it, if anyone was named.
    pub recorder: Option<crate::view::Span>,
}

/// A person's consent as the consent dialog shows it.
#[derive(Clone, Debug, Serialize)]
pub struct ConsentView {
    pub id: Id,
    pub contact: ConsentState,
    pub share: ConsentState,
    pub contact_line: String,
    pub share_line: String,
    pub before_records: bool,
    pub history: Vec<EventView>,
    /// The words to read to the person, in English and in Spanish.
    pub script_en: String,
    pub script_es: String,
}

pub fn view(vault: &Vault, lang: Lang, id: &Id) -> Result<ConsentView, Error> {
    let Record::Person(p) = vault.get(id)? else {
        return Err(Error::NotFound(id.clone()));
    };
    let history = p
        .consent
        .history
        .iter()
        .rev()
        .map(|e| EventView {
            date: date(lang, e.date),
            topic: text(lang, topic_id(e.topic)),
            state: text(lang, &e.state.message_id()),
            how: e
                .how
                .map(|h| text(lang, &h.message_id()))
                .unwrap_or_default(),
            lang: e
                .lang
                .map(|l| text(lang, &format!("lang-{}", l.as_str())))
                .unwrap_or_default(),
            recorder: e
                .recorder
                .as_ref()
                .map(|r| crate::view::Span::of(vault, lang, r)),
        })
        .collect();
    Ok(ConsentView {
        id: id.clone(),
        contact: p.consent_contact,
        share: p.consent_share,
        contact_line: state_line(lang, p.consent_contact, p.consent.contact.as_ref()),
        share_line: state_line(lang, p.consent_share, p.consent.share.as_ref()),
        before_records: p.consent.before_records,
        history,
        script_en: text(Lang::En, "consent-script"),
        script_es: text(Lang::Es, "consent-script"),
    })
}

fn topic_id(t: ConsentTopic) -> &'static str {
    match t {
        ConsentTopic::Contact => "consent-topic-contact",
        ConsentTopic::Share => "consent-topic-share",
    }
}

/// Records a consent answer for the person `id` (the dialog, `aqui consent`).
pub fn record(vault: &mut Vault, id: &Id, change: &ConsentChange) -> Result<(), Error> {
    let mut record = vault.get(id)?.clone();
    let Record::Person(p) = &mut record else {
        return Err(Error::NotFound(id.clone()));
    };
    p.record_consent(change, crate::model::today());
    vault.update(id, record)
}

/// People whose consent was recorded before consent records existed.
pub fn to_confirm(vault: &Vault, lang: Lang) -> Vec<Item> {
    let people = vault.list(Kind::Person).into_iter();
    let old = people.filter(|(_, r)| matches!(r, Record::Person(p) if p.consent.before_records));
    items(vault, lang, old.collect())
}

/// A printable paper consent form in both languages: one self-contained HTML
/// page (no script, nothing remote), with blanks to fill by hand. It names no
/// one: the person writes their own name on paper.
pub fn paper_form() -> String {
    paper_form_in(&[Lang::En, Lang::Es])
}

/// The paper form as one self-contained HTML page in the languages given,
/// in that order (`aqui consent-form --lang es`: Spanish only).
pub fn paper_form_in(langs: &[Lang]) -> String {
    paper_form_with(
        &format!(
            "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\"><style>{FORM_CSS}</style>"
        ),
        langs,
    )
}

/// The paper form with its stylesheet linked (`css`, the app's copy of
/// `FORM_CSS`), for the app's frame, whose content policy forbids inline style.
pub fn paper_form_linked(css: &str) -> String {
    paper_form_with(
        &format!("<link rel=\"stylesheet\" href=\"{}\">", esc(css)),
        &[Lang::En, Lang::Es],
    )
}

fn paper_form_with(head: &str, langs: &[Lang]) -> String {
    let mut body = String::new();
    for &lang in langs {
        let t = |id: &str| esc(&text(lang, id));
        body.push_str(&format!(
            "<section lang=\"{code}\"><h1>{title}</h1><p>{script}</p>\
             <table><tr><th></th><th>{yes}</th><th>{no}</th></tr>\
             <tr><td>{contact}</td><td class=box>☐</td><td class=box>☐</td></tr>\
             <tr><td>{share}</td><td class=box>☐</td><td class=box>☐</td></tr></table>\
             <p class=line>{name}</p><p class=line>{contactway}</p><p class=line>{signature}</p>\
             <p class=line>{date_l}</p><p class=small>{withdraw}</p></section>",
            code = lang.as_str(),
            title = t("consent-form-title"),
            script = t("consent-script"),
            yes = t("consent-state-yes"),
            no = t("consent-state-no"),
            contact = t("consent-form-contact"),
            share = t("consent-form-share"),
            name = t("consent-form-name"),
            contactway = t("consent-form-how-to-reach"),
            signature = t("consent-form-signature"),
            date_l = t("consent-form-date"),
            withdraw = t("consent-form-withdraw"),
        ));
    }
    let title: Vec<String> = langs
        .iter()
        .map(|l| text(*l, "consent-form-title"))
        .collect();
    // One language: the page is in it; both: each section says its own.
    let html_lang = match langs {
        [one] => format!(" lang=\"{}\"", one.as_str()),
        _ => String::new(),
    };
    format!(
        "<!DOCTYPE html><html{html_lang}><head><meta charset=\"utf-8\">{head}<title>{}</title></head><body>{body}</body></html>",
        esc(&title.join(" / ")),
    )
}

/// The paper form's stylesheet (the app's copy: `ui/consent-form.css`).
pub const FORM_CSS: &str = "@page{size:letter;margin:0.75in}\
body{font:12pt/1.45 Georgia,serif;color:#000;margin:0}\
section{page-break-after:always;max-width:7in}section:last-child{page-break-after:auto}\
h1{font-size:18pt;margin:0 0 .6em}table{border-collapse:collapse;margin:1em 0}\
td,th{padding:.35em .8em;text-align:left}td.box{font-size:18pt;text-align:center}\
p.line{border-bottom:1px solid #000;padding-top:1.6em;margin:0 0 .4em}\
p.small{font-size:10pt;margin-top:1.5em}";
