//! A realistic synthetic chapter, the same every run (fixed seed): people of
//! about 500 bytes of JSON with English and Spanish names, organizations,
//! campaigns, demands, pledge drives and notes of about 2 KB.
//!
//! For `people` people there are `people / 10` notes, `people / 50`
//! organizations, `people / 200` demands, `people / 500` pledge drives and
//! `max(5, people / 2000)` campaigns. Records are ordered so each one refers
//! only to records before it (as `Vault::add_all` needs).

use aqui::model::{
    Campaign, Demand, DemandStatus, FollowUp, Membership, Note, NoteKind, OrgKind, Organization,
    Person, PledgeDrive, Relationship, StatusChange,
};
use aqui::vault::{Entry, Meta};
use aqui::{Id, Lang, Record};
use chrono::{DateTime, Duration, NaiveDate, Utc};
use rand::rngs::StdRng;
use rand::seq::SliceRandom;
use rand::{Rng, RngCore, SeedableRng};

pub const SEED: u64 = 0x00A9_0E57_A305;

const FIRST_ES: &[&str] = &[
    "María",
    "José",
    "Juan",
    "Guadalupe",
    "Luis",
    "Rosa",
    "Jesús",
    "Ana",
    "Miguel",
    "Lucía",
    "Andrés",
    "Inés",
    "Raúl",
    "Sofía",
    "Ramón",
    "Mónica",
    "Martín",
    "Julián",
    "Verónica",
    "Óscar",
    "Beatriz",
    "Héctor",
    "Araceli",
    "Iván",
    "Marisol",
    "Joaquín",
    "Yesenia",
    "Rubén",
    "Dolores",
    "Efraín",
    "Itzel",
    "Néstor",
    "Noemí",
    "Tomás",
    "Xóchitl",
    "Adrián",
    "Belén",
    "Catalina",
    "Darío",
    "Elena",
];
const FIRST_EN: &[&str] = &[
    "James", "Mary", "Michael", "Jennifer", "David", "Linda", "Chris", "Sarah", "Daniel", "Emily",
    "Kevin", "Ashley", "Brian", "Jessica", "Thomas", "Amanda", "Ryan", "Nicole", "Grace", "Samuel",
    "Hannah", "Ethan", "Olivia", "Noah", "Abigail", "Joseph", "Megan", "Aaron", "Rachel",
    "Patrick",
];
const LAST: &[&str] = &[
    "García",
    "Hernández",
    "Martínez",
    "López",
    "González",
    "Pérez",
    "Rodríguez",
    "Sánchez",
    "Ramírez",
    "Cruz",
    "Gómez",
    "Flores",
    "Morales",
    "Vázquez",
    "Jiménez",
    "Reyes",
    "Díaz",
    "Torres",
    "Gutiérrez",
    "Ruiz",
    "Mendoza",
    "Aguilar",
    "Ortiz",
    "Castillo",
    "Peña",
    "Núñez",
    "Muñoz",
    "Ibáñez",
    "Chávez",
    "Ríos",
    "Smith",
    "Johnson",
    "Williams",
    "Brown",
    "Jones",
    "Miller",
    "Davis",
    "Wilson",
    "Anderson",
    "Taylor",
    "Moore",
    "Jackson",
    "Martin",
    "Lee",
    "Thompson",
    "White",
    "Harris",
    "Clark",
    "Nguyen",
    "Kim",
    "Okafor",
    "Mensah",
    "Haddad",
    "Baptiste",
    "Joseph",
    "Pierre",
    "Tran",
    "Ali",
    "Khan",
    "Cohen",
];
const ALIAS: &[&str] = &[
    "Lupe", "Pepe", "Chuy", "Majo", "Nacho", "Paco", "Lalo", "Memo", "Toño", "Chela", "Beto",
    "Nico", "Kike", "Tere", "Gaby", "Sam", "Jim", "Becky", "Liz", "Danny",
];
const PLACES: &[&str] = &[
    "Aurora",
    "Riverside",
    "Lakewood",
    "Fairview",
    "Greenville",
    "Springfield",
    "Salem",
    "Franklin",
    "Clinton",
    "Madison",
    "Georgetown",
    "Arlington",
    "Ashland",
    "Burlington",
    "Manchester",
    "Milton",
    "Oxford",
    "Newport",
    "Dover",
    "Marion",
    "Jackson",
    "Hudson",
    "Kingston",
    "Chester",
    "Florence",
    "Lexington",
    "Monroe",
    "Windsor",
    "Dayton",
    "Bristol",
    "San Marcos",
    "Santa Ana",
    "Los Álamos",
    "El Paso",
    "San Bernardino",
    "Las Cruces",
    "Río Grande",
    "Pueblo",
    "Española",
    "Cañon City",
];
const ORG_FORMS: &[(&str, OrgKind)] = &[
    ("Centro de Trabajadores de {}", OrgKind::WorkerCenter),
    ("{} Immigrant Rights Coalition", OrgKind::Community),
    ("Iglesia San José de {}", OrgKind::Faith),
    ("{} Workers United Local {n}", OrgKind::Union),
    ("Dreamers of {} University", OrgKind::Student),
    ("{} Legal Aid Society", OrgKind::LegalAid),
    ("Comité de Defensa del Barrio {}", OrgKind::Community),
    ("{} County Board of Supervisors", OrgKind::ElectedOffice),
    ("Unidos por {}", OrgKind::Community),
    ("{} Rapid Response Network", OrgKind::Community),
    ("Parroquia Nuestra Señora de {}", OrgKind::Faith),
    ("{} Sheriff's Office", OrgKind::Agency),
];
const ROLES: &[&str] = &[
    "",
    "",
    "member",
    "volunteer",
    "coordinator",
    "organizer",
    "board member",
    "promotora",
    "lead organizer",
    "volunteer coordinator",
    "paralegal",
    "pastor",
    "shop steward",
];
pub const TAGS: &[&str] = &[
    "respuesta-rápida",
    "rapid-response",
    "legal-observer",
    "know-your-rights",
    "interpreter",
    "driver",
    "phone-bank",
    "vigil",
    "accompaniment",
    "youth",
    "promotora",
    "media",
    "fundraising",
    "childcare",
    "food-pantry",
    "bond-fund",
    "court-watch",
    "hotline",
    "canvass",
    "trainer",
    "voluntaria",
    "comité-de-padres",
    "juventud",
    "asamblea",
    "mesa-directiva",
];
const SENTENCES: &[&str] = &[
    "Acordamos la conferencia de prensa del miércoles frente al ayuntamiento de {place}.",
    "{name} reported three calls to the rapid response hotline this week, two of them false alarms.",
    "La asamblea votó por pedir al condado que termine el acuerdo 287(g) antes de junio.",
    "We reviewed the know your rights training and agreed to translate the handout into Mam and K'iche'.",
    "Hay que confirmar el transporte para la audiencia del jueves; {name} puede manejar la camioneta.",
    "The sheriff's office has not answered our public records request about detainers.",
    "Se necesitan más voluntarias para acompañar a las familias a la corte de inmigración.",
    "{name} will follow up with the pastor about hosting the vigil at the church hall.",
    "Revisamos el presupuesto del fondo de fianzas: quedan fondos para dos casos más.",
    "The city council agenda lists the detention contract renewal for the next session.",
    "Pedimos a la universidad que declare el campus santuario y proteja los datos de los estudiantes.",
    "Childcare and food will be provided at the next meeting; bring sign-in sheets in both languages.",
    "La comisión de seguridad pública escuchará testimonios el martes por la tarde en {place}.",
    "We need a legal observer at every action and a designated spokesperson for the press.",
    "{name} ofreció hacer llamadas al banco de teléfonos para la campaña de compromisos.",
    "Deportation defense cases are up this quarter; the legal aid clinic asked for more interpreters.",
    "Discutimos cómo responder si aparecen agentes en el lugar de trabajo y quién llama a la línea.",
    "The pledge drive passed its halfway mark; paper signatures from the market still need counting.",
    "Mañana repartimos volantes en la parada del autobús y en la lavandería de la calle {place}.",
    "The county commissioners postponed the vote again, so we will pack the room next month.",
    "Se formó un comité de padres para hablar con el distrito escolar sobre la presencia de ICE.",
    "Union members offered the hall for trainings and will print the flyers at no cost.",
    "Recordatorio: nada de estatus migratorio en las notas, solo lo que hace falta para el seguimiento.",
    "{name} shared a tip about a tech company bidding on the state's surveillance contract.",
];
const NOTE_TITLES: &[&str] = &[
    "Asamblea mensual",
    "Coalition meeting",
    "Know your rights training",
    "Llamada con el abogado",
    "Rapid response debrief",
    "Reunión con la iglesia",
    "City council prep",
    "Vigilia frente al centro de detención",
    "Phone bank night",
    "Planning call",
];
const DEMANDS: &[(&str, &str)] = &[
    ("End the 287(g) agreement in {} County", "Sheriff"),
    ("Terminar el contrato de detención de {}", "City Council"),
    ("Sanctuary campus at {} University", "University President"),
    ("No ICE contractors in {} procurement", "County Board"),
    (
        "Fondos para defensa legal en {}",
        "County Board of Supervisors",
    ),
];
const CAMPAIGNS: &[&str] = &[
    "ICE out of {}",
    "Campaña Santuario {}",
    "Defend {} families",
    "Fondo de fianzas {}",
    "Welcoming {}",
];

pub struct Data {
    pub records: Vec<(Id, Record)>,
    /// The JSON-lines bytes of every record as the vault holds it:
    /// `{"id":…,"meta":{…},"record":{…}}` — the "raw JSON" the disk size is
    /// compared to, the bundle an export encrypts, and what the peers store.
    pub jsonl_len: u64,
}

fn id(rng: &mut StdRng, prefix: &str) -> Id {
    let mut b = [0u8; 10];
    rng.fill_bytes(&mut b);
    let s: String = b.iter().map(|x| format!("{x:02x}")).collect();
    Id::parse(&format!("{prefix}_{s}")).expect("well-formed id")
}

fn pick<'a>(rng: &mut StdRng, xs: &[&'a str]) -> &'a str {
    xs.choose(rng).copied().unwrap_or_default()
}

fn date(rng: &mut StdRng, base: NaiveDate, spread: i64) -> NaiveDate {
    base + Duration::days(rng.gen_range(-spread..=spread))
}

fn ascii(s: &str) -> String {
    aqui::vault::fold(s)
        .chars()
        .filter(|c| c.is_ascii_alphanumeric())
        .collect()
}

pub fn base_date() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 3, 1).expect("date")
}

/// A person of about 500 bytes of JSON, as generated for the vault.
pub fn person(rng: &mut StdRng, orgs: &[Id]) -> Person {
    let spanish = rng.gen_bool(0.6);
    let first = pick(rng, if spanish { FIRST_ES } else { FIRST_EN });
    let last = pick(rng, LAST);
    let name = if rng.gen_bool(0.3) {
        format!("{first} {} {last}", pick(rng, FIRST_ES))
    } else if rng.gen_bool(0.1) {
        first.to_string()
    } else {
        format!("{first} {last}")
    };
    let n: u32 = rng.gen_range(1..1000);
    let base = base_date();
    let mut memberships = Vec::new();
    for _ in 0..rng.gen_range(1..=2) {
        let org = orgs.choose(rng).expect("orgs").clone();
        if memberships.iter().all(|m: &Membership| m.org != org) {
            memberships.push(Membership {
                org,
                role: pick(rng, ROLES).to_string(),
            });
        }
    }
    let mut tags: Vec<String> = Vec::new();
    for _ in 0..rng.gen_range(1..=3) {
        let t = pick(rng, TAGS).to_string();
        if !tags.contains(&t) {
            tags.push(t);
        }
    }
    Person {
        alias: if rng.gen_bool(0.3) {
            pick(rng, ALIAS).to_string()
        } else {
            String::new()
        },
        lang: Some(if spanish { Lang::Es } else { Lang::En }),
        phone: format!(
            "+1 (555) 01{:01}-{:04}",
            rng.gen_range(0..10),
            rng.gen_range(0..10_000)
        ),
        signal: if rng.gen_bool(0.5) {
            format!("{}.{n:02}", ascii(first))
        } else {
            String::new()
        },
        email: if rng.gen_bool(0.7) {
            format!("{}.{}{n}@example.org", ascii(first), ascii(last))
        } else {
            String::new()
        },
        orgs: memberships,
        tags,
        consent_contact: rng.gen_bool(0.9).into(),
        consent_share: rng.gen_bool(0.7).into(),
        sensitive: rng.gen_bool(0.15),
        last_contact: Some(date(rng, base, 200)),
        next_follow_up: rng.gen_bool(0.4).then(|| date(rng, base, 60)),
        name,
        ..Default::default()
    }
}

fn sentence(rng: &mut StdRng, names: &[&str]) -> String {
    pick(rng, SENTENCES)
        .replace("{name}", pick(rng, names))
        .replace("{place}", pick(rng, PLACES))
}

/// Generates the chapter for `people` people.
pub fn generate(people: usize) -> Data {
    let mut rng = StdRng::seed_from_u64(SEED ^ people as u64);
    let base = base_date();
    let mut records: Vec<(Id, Record)> = Vec::new();

    let n_orgs = (people / 50).max(10);
    let mut orgs = Vec::with_capacity(n_orgs);
    for i in 0..n_orgs {
        let (form, kind) = ORG_FORMS[i % ORG_FORMS.len()];
        let place = PLACES[(i / ORG_FORMS.len()) % PLACES.len()];
        let round = i / (ORG_FORMS.len() * PLACES.len());
        let mut name = form
            .replace("{}", place)
            .replace("{n}", &(100 + i).to_string());
        if round > 0 {
            name = format!("{name} {}", round + 1);
        }
        let o = Organization {
            private: false,
            name,
            kind,
            immigrant_led: rng.gen_bool(0.6),
            languages: if rng.gen_bool(0.5) {
                vec!["English".into(), "Español".into()]
            } else {
                vec!["Español".into()]
            },
            region: format!("{} County", pick(&mut rng, PLACES)),
            relationship: *[
                Relationship::Partner,
                Relationship::Prospect,
                Relationship::Target,
            ]
            .choose(&mut rng)
            .expect("choice"),
            contact: None,
        };
        let oid = id(&mut rng, "org");
        orgs.push(oid.clone());
        records.push((oid, Record::Org(o)));
    }

    let n_campaigns = (people / 2000).max(5);
    let mut campaigns = Vec::new();
    for i in 0..n_campaigns {
        let c = Campaign {
            name: CAMPAIGNS[i % CAMPAIGNS.len()].replace("{}", PLACES[i % PLACES.len()]),
            description: (0..3)
                .map(|_| sentence(&mut rng, FIRST_ES))
                .collect::<Vec<_>>()
                .join(" "),
            partners: orgs.choose_multiple(&mut rng, 4).cloned().collect(),
        };
        let cid = id(&mut rng, "cam");
        campaigns.push(cid.clone());
        records.push((cid, Record::Campaign(c)));
    }

    let mut person_ids = Vec::with_capacity(people);
    let mut first_names = Vec::with_capacity(people);
    for _ in 0..people {
        let p = person(&mut rng, &orgs);
        first_names.push(p.name.split(' ').next().unwrap_or_default().to_string());
        let pid = id(&mut rng, "per");
        person_ids.push(pid.clone());
        records.push((pid, Record::Person(p)));
    }
    let names: Vec<&str> = FIRST_ES.iter().chain(FIRST_EN).copied().collect();

    for i in 0..(people / 200).max(3) {
        let (title, target) = DEMANDS[i % DEMANDS.len()];
        let status = *DemandStatus::ALL.choose(&mut rng).expect("status");
        let d = Demand {
            title: title.replace("{}", PLACES[i % PLACES.len()]),
            target: target.to_string(),
            jurisdiction: format!("{} County", PLACES[i % PLACES.len()]),
            status,
            history: vec![StatusChange {
                status,
                date: date(&mut rng, base, 300),
            }],
            partners: orgs.choose_multiple(&mut rng, 3).cloned().collect(),
            lead: orgs.choose(&mut rng).cloned(),
            campaign: campaigns.choose(&mut rng).cloned(),
        };
        records.push((id(&mut rng, "dem"), Record::Demand(d)));
    }

    for i in 0..(people / 500).max(2) {
        let signers = rng.gen_range(10..80);
        let p = PledgeDrive {
            title: format!("{} pledge {}", PLACES[i % PLACES.len()], i + 1),
            goal: rng.gen_range(50..1000),
            deadline: date(&mut rng, base, 120),
            signers: person_ids
                .choose_multiple(&mut rng, signers)
                .cloned()
                .collect(),
            batches: vec![aqui::model::PaperBatch {
                date: None,
                count: rng.gen_range(1..200),
                by: None,
            }],
            others: 0,
            campaign: campaigns.choose(&mut rng).cloned(),
        };
        records.push((id(&mut rng, "pld"), Record::Pledge(p)));
    }

    for _ in 0..people / 10 {
        let mut body = String::new();
        while body.len() < 1900 {
            if !body.is_empty() {
                body.push(if rng.gen_bool(0.2) { '\n' } else { ' ' });
            }
            body.push_str(&sentence(&mut rng, &names));
        }
        let follow_ups = (0..rng.gen_range(0..=2))
            .map(|_| FollowUp {
                task: sentence(&mut rng, &names).chars().take(120).collect(),
                who: person_ids.choose(&mut rng).cloned(),
                due: Some(date(&mut rng, base, 30)),
                done: rng.gen_bool(0.3),
            })
            .collect();
        let attendees = rng.gen_range(2..10);
        let n = Note {
            headcount: None,
            others: 0,
            date: date(&mut rng, base, 365),
            kind: *NoteKind::ALL.choose(&mut rng).expect("kind"),
            title: format!(
                "{} — {}",
                pick(&mut rng, NOTE_TITLES),
                first_names.choose(&mut rng).expect("people")
            ),
            body,
            attendees: person_ids
                .choose_multiple(&mut rng, attendees)
                .cloned()
                .collect(),
            orgs: orgs.choose_multiple(&mut rng, 2).cloned().collect(),
            follow_ups,
            campaign: rng.gen_bool(0.5).then(|| campaigns[0].clone()),
        };
        records.push((id(&mut rng, "not"), Record::Note(n)));
    }

    let mut data = Data {
        records,
        jsonl_len: 0,
    };
    data.jsonl_len = jsonl(&data.records, |line| line.len() as u64).iter().sum();
    data
}

/// The bookkeeping a fresh record gets in the vault (for the peers, which
/// store the same entries as ours).
pub fn meta() -> Meta {
    let now: DateTime<Utc> = DateTime::from_timestamp(1_772_000_000, 0).expect("time");
    Meta {
        created: now,
        updated: now,
        clock: aqui::vault::Clock::from_iter([("3f9a0c1e7b2d4a8e".to_string(), 1)]),
    }
}

pub fn entry(record: &Record) -> Entry {
    Entry {
        meta: meta(),
        record: Some(record.clone()),
    }
}

/// One JSON line per record (`{"id":…,"meta":…,"record":…}`), mapped by `f`.
pub fn jsonl<T>(records: &[(Id, Record)], mut f: impl FnMut(&[u8]) -> T) -> Vec<T> {
    let meta = meta();
    records
        .iter()
        .map(|(id, r)| {
            let mut line = b"{\"id\":".to_vec();
            serde_json::to_writer(&mut line, id).expect("json");
            line.extend_from_slice(b",\"meta\":");
            serde_json::to_writer(&mut line, &meta).expect("json");
            line.extend_from_slice(b",\"record\":");
            serde_json::to_writer(&mut line, r).expect("json");
            line.extend_from_slice(b"}\n");
            f(&line)
        })
        .collect()
}

/// The serialized entry a peer stores for a record (the same JSON our vault
/// seals: `{"meta":…,"record":…}`).
pub fn stored(record: &Record) -> Vec<u8> {
    serde_json::to_vec(&entry(record)).expect("json")
}

/// The fixed query set: names with and without accents, organizations, tags
/// and words from notes.
pub const QUERIES: &[&str] = &[
    "María",
    "maria",
    "José Hernández",
    "jose hernandez",
    "Peña",
    "pena",
    "Núñez",
    "rami",
    "lupe",
    "Centro de Trabajadores de Aurora",
    "iglesia san jose salem",
    "legal aid society",
    "respuesta-rapida",
    "legal-observer",
    "know-your-rights",
    "conferencia de prensa",
    "miércoles",
    "hotline",
    "deportation defense",
    "zzyzx",
];
