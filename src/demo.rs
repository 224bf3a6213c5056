//! The sample chapter behind `aqui demo` and the app's "try it" button.
//!
//! Everything here is fictional: invented people with invented numbers (the
//! 555-01xx range reserved for fiction), a made-up county, and, as partners,
//! public organizations of the movement under their public names. Dates are
//! relative to today so follow-ups are due and the pledge drive is running
//! whenever someone tries it.

use crate::model::{DemandStatus, Id, Kind, Record};
use crate::vault::{Error, Vault};
use chrono::{Duration, NaiveDate};

fn day(today: NaiveDate, offset: i64) -> String {
    (today + Duration::days(offset))
        .format("%Y-%m-%d")
        .to_string()
}

fn build(kind: Kind, fields: &[(&str, String)], today: NaiveDate) -> Record {
    let mut r = Record::empty(kind);
    for (f, v) in fields {
        // Fixed data, checked by the test suite: a failure here is a bug.
        r.set(f, v, today).expect("sample field is valid");
    }
    r
}

/// Gives a sample demand a dated status history.
fn set_history(out: &mut [(Id, Record)], id: &Id, steps: &[(DemandStatus, i64)], today: NaiveDate) {
    if let Some((_, Record::Demand(d))) = out.iter_mut().find(|(i, _)| i == id) {
        d.history.clear();
        for (status, offset) in steps {
            d.set_status(*status, today + Duration::days(*offset));
        }
    }
}

/// The records of the sample chapter, ids included, in an order where each
/// record only refers to records before it.
pub fn sample_chapter(today: NaiveDate) -> Vec<(Id, Record)> {
    let s = |v: &str| v.to_string();
    let mut out: Vec<(Id, Record)> = Vec::new();
    let mut add = |kind: Kind, fields: &[(&str, String)]| {
        let id = Id::new(kind);
        out.push((id.clone(), build(kind, fields, today)));
        id
    };

    // Partners and targets.
    let udw = add(
        Kind::Org,
        &[
            ("name", s("United We Dream")),
            ("kind", s("community")),
            ("immigrant-led", s("yes")),
            ("region", s("National")),
            ("relationship", s("partner")),
            ("language", s("English")),
            ("language", s("Español")),
        ],
    );
    let ndlon = add(
        Kind::Org,
        &[
            ("name", s("National Day Laborer Organizing Network (NDLON)")),
            ("kind", s("worker_center")),
            ("immigrant-led", s("yes")),
            ("region", s("National")),
            ("relationship", s("partner")),
            ("language", s("Español")),
        ],
    );
    let mijente = add(
        Kind::Org,
        &[
            ("name", s("Mijente")),
            ("kind", s("community")),
            ("immigrant-led", s("yes")),
            ("region", s("National")),
            ("relationship", s("partner")),
        ],
    );
    let aclu = add(
        Kind::Org,
        &[
            ("name", s("ACLU of the state")),
            ("kind", s("legal_aid")),
            ("region", s("Statewide")),
            ("relationship", s("partner")),
            ("language", s("English")),
        ],
    );
    let centro = add(
        Kind::Org,
        &[
            ("name", s("Centro de Trabajadores Unidos de Riverbend")),
            ("kind", s("worker_center")),
            ("immigrant-led", s("yes")),
            ("region", s("Riverbend County")),
            ("relationship", s("partner")),
            ("language", s("Español")),
            ("language", s("K'iche'")),
        ],
    );
    let church = add(
        Kind::Org,
        &[
            ("name", s("St. Anne's Parish")),
            ("kind", s("faith")),
            ("region", s("Riverbend")),
            ("relationship", s("partner")),
            ("language", s("English")),
            ("language", s("Español")),
        ],
    );
    let students = add(
        Kind::Org,
        &[
            ("name", s("Riverbend College Dreamers Club")),
            ("kind", s("student")),
            ("immigrant-led", s("yes")),
            ("region", s("Riverbend")),
            ("relationship", s("partner")),
        ],
    );
    let sheriff = add(
        Kind::Org,
        &[
            ("name", s("Riverbend County Sheriff's Office")),
            ("kind", s("agency")),
            ("region", s("Riverbend County")),
            ("relationship", s("target")),
        ],
    );
    let board = add(
        Kind::Org,
        &[
            ("name", s("Riverbend County Board of Supervisors")),
            ("kind", s("elected_office")),
            ("region", s("Riverbend County")),
            ("relationship", s("target")),
        ],
    );

    // People: invented, most by first name or alias only.
    let maria = add(
        Kind::Person,
        &[
            ("name", s("María Hernández")),
            ("alias", s("Mari")),
            ("lang", s("es")),
            ("phone", s("+1 555-0142")),
            ("signal", s("+1 555-0142")),
            ("org", format!("{centro}:Coordinadora")),
            ("tag", s("rapid-response")),
            ("tag", s("spokesperson")),
            ("last-contact", day(today, -3)),
            ("next-follow-up", day(today, 2)),
        ],
    );
    let pepe = add(
        Kind::Person,
        &[
            ("name", s("José Ruiz")),
            ("alias", s("Pepe")),
            ("lang", s("es")),
            ("phone", s("+1 555-0117")),
            ("org", format!("{centro}:Member")),
            ("tag", s("rapid-response")),
            ("tag", s("driver")),
            ("sensitive", s("yes")),
            ("share", s("no")),
        ],
    );
    let ana = add(
        Kind::Person,
        &[
            ("name", s("Ana López")),
            ("lang", s("en")),
            ("email", s("ana.lopez@example.org")),
            ("org", format!("{students}:President")),
            ("tag", s("youth")),
            ("tag", s("translator")),
            ("last-contact", day(today, -10)),
        ],
    );
    let daniel = add(
        Kind::Person,
        &[
            ("name", s("Pastor Daniel Kim")),
            ("lang", s("en")),
            ("phone", s("+1 555-0199")),
            ("email", s("pastor.daniel@example.org")),
            ("org", format!("{church}:Pastor")),
            ("tag", s("faith-leader")),
            ("next-follow-up", day(today, 5)),
        ],
    );
    let lupe = add(
        Kind::Person,
        &[
            ("name", s("Lupe")),
            ("lang", s("es")),
            ("signal", s("lupe.42")),
            ("org", format!("{centro}:Member")),
            ("tag", s("legal-observer")),
            ("sensitive", s("yes")),
            ("consent-contact", s("yes")),
            ("share", s("no")),
        ],
    );
    let tran = add(
        Kind::Person,
        &[
            ("name", s("Tran Nguyen")),
            ("lang", s("en")),
            ("email", s("tran@example.org")),
            ("org", format!("{aclu}:Staff attorney")),
            ("tag", s("legal")),
        ],
    );
    let fatima = add(
        Kind::Person,
        &[
            ("name", s("Fatima Diallo")),
            ("lang", s("en")),
            ("phone", s("+1 555-0163")),
            ("org", format!("{students}:Member")),
            ("tag", s("youth")),
            ("tag", s("canvasser")),
        ],
    );
    let rosa = add(
        Kind::Person,
        &[
            ("name", s("Rosa Martínez")),
            ("alias", s("Doña Rosa")),
            ("lang", s("es")),
            ("phone", s("+1 555-0128")),
            ("org", format!("{church}:Volunteer")),
            ("tag", s("cook")),
            ("tag", s("rapid-response")),
            ("consent-contact", s("no")),
        ],
    );

    // The 287(g) campaign.
    let campaign = add(Kind::Campaign, &[("name", s("End 287(g) in Riverbend County")),
        ("description", s("Riverbend's sheriff signed a 287(g) agreement that turns local deputies into immigration \
            agents. Together with our partners we demand that the County Board end it before it is renewed.")),
        ("partner", centro.to_string()), ("partner", church.to_string()), ("partner", aclu.to_string()),
        ("partner", students.to_string()), ("partner", ndlon.to_string())]);
    let d287 = add(
        Kind::Demand,
        &[
            ("title", s("End the county's 287(g) agreement")),
            ("target", s("Riverbend County Board of Supervisors")),
            ("jurisdiction", s("Riverbend County")),
            ("campaign", campaign.to_string()),
            ("lead", centro.to_string()),
            ("partner", aclu.to_string()),
            ("partner", church.to_string()),
            ("partner", board.to_string()),
        ],
    );
    let ice = add(
        Kind::Demand,
        &[
            ("title", s("No ICE holds at the county jail")),
            ("target", s("Riverbend County Sheriff")),
            ("jurisdiction", s("Riverbend County")),
            ("campaign", campaign.to_string()),
            ("lead", centro.to_string()),
            ("partner", sheriff.to_string()),
        ],
    );
    add(
        Kind::Demand,
        &[
            ("title", s("Sanctuary campus at Riverbend College")),
            ("target", s("College Board of Trustees")),
            ("jurisdiction", s("Riverbend College")),
            ("lead", students.to_string()),
            ("partner", udw.to_string()),
        ],
    );
    let transport = add(
        Kind::Demand,
        &[
            ("title", s("Cancel the city's detention transport contract")),
            ("target", s("Riverbend City Council")),
            ("jurisdiction", s("City of Riverbend")),
            ("partner", mijente.to_string()),
        ],
    );

    add(
        Kind::Pledge,
        &[
            ("title", s("100 signatures before the Board vote")),
            ("goal", s("100")),
            ("deadline", day(today, 24)),
            ("campaign", campaign.to_string()),
            ("paper-count", s("41")),
            ("signer", maria.to_string()),
            ("signer", ana.to_string()),
            ("signer", daniel.to_string()),
            ("signer", fatima.to_string()),
        ],
    );
    add(
        Kind::Pledge,
        &[
            ("title", s("Faith leaders' sanctuary pledge")),
            ("goal", s("25")),
            ("deadline", day(today, 60)),
            ("signer", daniel.to_string()),
            ("paper-count", s("6")),
        ],
    );

    add(Kind::Note, &[("title", s("Coalition meeting in St. Anne's basement")), ("kind", s("meeting")),
        ("date", day(today, -3)), ("campaign", campaign.to_string()),
        ("body", s("22 people came, interpretation in Spanish and K'iche'. The Board votes on renewing 287(g) next month. \
            Agreed: public comment at the next Board meeting, a press conference with faith leaders, and a push \
            to 100 signatures.\n\nLa próxima reunión es en el Centro.")),
        ("attendee", maria.to_string()), ("attendee", pepe.to_string()), ("attendee", daniel.to_string()),
        ("attendee", ana.to_string()), ("attendee", rosa.to_string()),
        ("org", centro.to_string()), ("org", church.to_string()), ("org", students.to_string()),
        ("follow-up", format!("Sign up 10 speakers for public comment|{}|{maria}", day(today, 1))),
        ("follow-up", format!("Ask the pastor to host the press conference|{}|{daniel}", day(today, 5))),
        ("follow-up", format!("Translate the flyer into Spanish|{}|{ana}", day(today, -1)))]);
    add(
        Kind::Note,
        &[
            ("title", s("Know-your-rights training at the Centro")),
            ("kind", s("training")),
            ("date", day(today, -12)),
            (
                "body",
                s(
                    "Taller de conozca sus derechos: 35 participantes. Role-play of a door knock. \
            Rapid-response hotline cards handed out.",
                ),
            ),
            ("headcount", s("35")),
            ("attendee", maria.to_string()),
            ("attendee", lupe.to_string()),
            ("attendee", tran.to_string()),
            ("org", centro.to_string()),
            ("org", aclu.to_string()),
            (
                "follow-up",
                format!("Order 200 more hotline cards|{}|{lupe}", day(today, 7)),
            ),
        ],
    );
    add(Kind::Note, &[("title", s("Call with the ACLU about the 287(g) records request")), ("kind", s("call")),
        ("date", day(today, -6)), ("campaign", campaign.to_string()),
        ("body", s("The records request for the sheriff's 287(g) statistics was filed; an answer is due within 30 days.")),
        ("attendee", tran.to_string()), ("org", aclu.to_string()),
        ("follow-up", format!("Share the request letter with the coalition|{}|{tran}", day(today, 3)))]);

    use DemandStatus::{Active, Drafting, Won};
    set_history(&mut out, &d287, &[(Drafting, -120), (Active, -60)], today);
    set_history(&mut out, &ice, &[(Drafting, -45), (Active, -30)], today);
    set_history(
        &mut out,
        &transport,
        &[(Drafting, -200), (Active, -150), (Won, -15)],
        today,
    );
    record_sample_consent(&mut out, today, &fatima);
    out
}

/// The sample people gave their consent in person, in their language, a month
/// ago (what they answered where the fields above say so); one of them
/// (`not_asked`) has not been asked yet, as happens.
fn record_sample_consent(out: &mut [(Id, Record)], today: NaiveDate, not_asked: &Id) {
    use crate::model::{ConsentChange, ConsentHow, ConsentState};
    for (id, r) in out.iter_mut() {
        let Record::Person(p) = r else { continue };
        if id == not_asked {
            continue;
        }
        let keep = |s: ConsentState| match s {
            ConsentState::NotAsked => ConsentState::Yes,
            other => other,
        };
        let change = ConsentChange {
            contact: Some(keep(p.consent_contact)),
            share: Some(keep(p.consent_share)),
            how: Some(ConsentHow::InPerson),
            date: Some(today - Duration::days(30)),
            lang: p.lang,
            recorder: None,
        };
        p.consent.history.clear();
        p.record_consent(&change, today);
    }
}

/// Fills an empty vault with the sample chapter, all or nothing.
pub fn fill(vault: &mut Vault, today: NaiveDate) -> Result<usize, Error> {
    let records = sample_chapter(today);
    let n = records.len();
    vault.add_all(records)?;
    Ok(n)
}
