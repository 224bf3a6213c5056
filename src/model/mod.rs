//! The domain: what a chapter keeps, as validated types.
//!
//! Responsible for: the shape of every record, the rules a value must meet
//! (`validate`), turning text typed by a person into typed values (`Record::set`,
//! one parser per field shared by `add`, `edit` and the app), and the text a
//! record is searched by. Not responsible for: storage, encryption or whether a
//! referenced record exists (that is the vault's, see `vault::Changes`).
//!
//! There is deliberately no field for immigration status or home address: the
//! app must never prompt anyone to record them.

mod consent;
mod edit;
pub mod fields;
pub mod form;
pub mod guard;
mod id;
pub mod ledger;
pub mod policy;

pub use consent::{held_back, Consent, ConsentChange, ConsentEvent, ConsentMark, ConsentTopic};

pub use edit::today;
pub use id::{Id, Kind};

use crate::i18n::Lang;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// What is wrong with one field. The field is named by its CLI/JSON name, so a
/// message can point at it and the app can show it beside the input.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{field}: {problem:?}")]
pub struct FieldError {
    pub field: String,
    pub problem: Problem,
}

/// The kinds of problem a field can have; each has a Fluent message `problem-*`.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Problem {
    Required,
    TooLong {
        max: usize,
    },
    ControlChars,
    BadDate,
    BadNumber {
        min: u64,
        max: u64,
    },
    BadPhone,
    BadEmail,
    BadSignal,
    BadChoice {
        allowed: String,
    },
    BadBool,
    BadId,
    /// The id is well formed but no such record is in the vault.
    Missing,
    /// The id points at a record of another kind (an org where a person is needed).
    WrongKind {
        expected: Kind,
    },
    UnknownField,
    TooMany {
        max: usize,
    },
    /// A character that cannot be in this field (a comma in a tag).
    BadChar {
        ch: char,
    },
    /// A new record was given an id already used here (by a record, live or
    /// deleted, or earlier in the same changes).
    InUse,
}

impl FieldError {
    pub fn new(field: &str, problem: Problem) -> FieldError {
        FieldError {
            field: field.to_string(),
            problem,
        }
    }
}

/// Defines a closed set of choices with its wire name, parser and Fluent ids.
macro_rules! choice {
    ($(#[$m:meta])* $name:ident, $msg:literal, { $($var:ident = $s:literal),+ $(,)? }) => {
        $(#[$m])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
        #[serde(rename_all = "snake_case")]
        pub enum $name { #[default] $($var),+ }
        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$var),+];
            pub fn as_str(self) -> &'static str { match self { $($name::$var => $s),+ } }
            /// Accepts the wire name with `-` or `_`, in any case.
            pub fn parse(s: &str) -> Option<$name> {
                let s = s.trim().to_lowercase().replace('-', "_");
                Self::ALL.iter().copied().find(|v| v.as_str() == s)
            }
            /// The Fluent id of this choice's label.
            pub fn message_id(self) -> String { format!("{}-{}", $msg, self.as_str().replace('_', "-")) }
            pub fn allowed() -> String { Self::ALL.iter().map(|v| v.as_str()).collect::<Vec<_>>().join(", ") }
        }
    };
}

choice!(
    /// What kind of organization a partner or target is.
    OrgKind, "org-kind", {
    Community = "community", WorkerCenter = "worker_center", Union = "union", Faith = "faith",
    Student = "student", LegalAid = "legal_aid", ElectedOffice = "elected_office",
    Agency = "agency", Other = "other",
});
choice!(
    /// Where we stand with an organization.
    Relationship, "relationship", {
    Partner = "partner", Prospect = "prospect", Target = "target", Other = "other",
});
choice!(
    /// drafting → active → won / lost / shelved
    DemandStatus, "status", {
    Drafting = "drafting", Active = "active", Won = "won", Lost = "lost", Shelved = "shelved",
});
choice!(
    /// What a note records.
    NoteKind, "note-kind", {
    Meeting = "meeting", Action = "action", Call = "call", Training = "training", Other = "other",
});
choice!(
    /// Whether a person agreed to something: not asked (the default), yes, no.
    ConsentState, "consent-state", {
    NotAsked = "not_asked", Yes = "yes", No = "no",
});
choice!(
    /// How a consent was given or refused.
    ConsentHow, "consent-how", {
    InPerson = "in_person", Paper = "paper", Phone = "phone", Signal = "signal", Form = "form",
    Other = "other",
});

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, Default)]
#[serde(default)]
pub struct Organization {
    pub name: String,
    #[serde(rename = "org_kind")]
    pub kind: OrgKind,
    pub immigrant_led: bool,
    pub languages: Vec<String>,
    pub region: String,
    pub relationship: Relationship,
    /// Our contact there: a person id.
    pub contact: Option<Id>,
    /// Its name stays out of reports (a partner that does not want to be named).
    pub private: bool,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Membership {
    pub org: Id,
    #[serde(default)]
    pub role: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Person {
    /// A name or just an alias: a first name or nickname is enough.
    pub name: String,
    pub alias: String,
    pub lang: Option<Lang>,
    pub phone: String,
    pub signal: String,
    pub email: String,
    pub orgs: Vec<Membership>,
    pub tags: Vec<String>,
    /// Consent to be contacted. Records from before consent records existed
    /// stored `true`/`false`: read as yes/no (see `consent::state_or_bool`).
    #[serde(deserialize_with = "consent::state_or_bool")]
    pub consent_contact: ConsentState,
    /// Consent to be shared with other stewards (exports).
    #[serde(deserialize_with = "consent::state_or_bool")]
    pub consent_share: ConsentState,
    /// When, how and in which language each consent was given, and every
    /// change. A record without it is from before consent records existed.
    /// Boxed: a record's size is every record's, and this is the bulky part.
    #[serde(default = "Consent::before_records_boxed")]
    pub consent: Box<Consent>,
    pub sensitive: bool,
    pub last_contact: Option<NaiveDate>,
    pub next_follow_up: Option<NaiveDate>,
    /// Purged by a retention rule: no name or contact is left, the record
    /// stays only so the totals of the past still count this person.
    pub purged: bool,
}

impl Default for Person {
    fn default() -> Person {
        Person {
            name: String::new(),
            alias: String::new(),
            lang: None,
            phone: String::new(),
            signal: String::new(),
            email: String::new(),
            orgs: Vec::new(),
            tags: Vec::new(),
            consent_contact: ConsentState::NotAsked,
            consent_share: ConsentState::NotAsked,
            consent: Box::default(),
            sensitive: false,
            last_contact: None,
            next_follow_up: None,
            purged: false,
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct StatusChange {
    pub status: DemandStatus,
    pub date: NaiveDate,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, Default)]
#[serde(default)]
pub struct Demand {
    pub title: String,
    /// The decision-maker: sheriff, county board, city council, university.
    pub target: String,
    pub jurisdiction: String,
    pub status: DemandStatus,
    /// Every status the demand has had, oldest first; the last one is `status`.
    pub history: Vec<StatusChange>,
    pub partners: Vec<Id>,
    pub lead: Option<Id>,
    pub campaign: Option<Id>,
}

/// A campaign's demands, pledge drives and notes point at it (their `campaign`
/// field), so the link is stored once and the campaign's lists are derived.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, Default)]
#[serde(default)]
pub struct Campaign {
    pub name: String,
    pub description: String,
    pub partners: Vec<Id>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(from = "StoredPledge")]
pub struct PledgeDrive {
    pub title: String,
    pub goal: u32,
    pub deadline: NaiveDate,
    /// People who signed by name.
    pub signers: Vec<Id>,
    /// Signatures gathered on paper, counted but not named, batch by batch.
    pub batches: Vec<PaperBatch>,
    pub campaign: Option<Id>,
    /// Named signers a handoff left out (people who do not travel): counted,
    /// not named.
    #[serde(skip_serializing_if = "is_zero")]
    pub others: u32,
}

fn is_zero(n: &u32) -> bool {
    *n == 0
}

/// A stack of paper signatures brought in at once.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PaperBatch {
    /// When it came in; `None` only for a count kept before batches existed
    /// (the old `paper_count`), whose date nobody wrote down.
    #[serde(default)]
    pub date: Option<NaiveDate>,
    pub count: u32,
    /// Who collected it: a person id.
    #[serde(default)]
    pub by: Option<Id>,
}

/// A pledge drive as stored, old or new: a drive written before batches
/// existed has a `paper_count`, which becomes one undated batch.
#[derive(Deserialize)]
#[serde(default)]
struct StoredPledge {
    title: String,
    goal: u32,
    deadline: NaiveDate,
    signers: Vec<Id>,
    batches: Vec<PaperBatch>,
    paper_count: u32,
    campaign: Option<Id>,
    others: u32,
}

impl Default for StoredPledge {
    fn default() -> StoredPledge {
        let d = PledgeDrive::default();
        StoredPledge {
            title: d.title,
            goal: d.goal,
            deadline: d.deadline,
            signers: d.signers,
            batches: d.batches,
            paper_count: 0,
            campaign: d.campaign,
            others: d.others,
        }
    }
}

impl From<StoredPledge> for PledgeDrive {
    fn from(s: StoredPledge) -> PledgeDrive {
        let mut p = PledgeDrive {
            title: s.title,
            goal: s.goal,
            deadline: s.deadline,
            signers: s.signers,
            batches: s.batches,
            campaign: s.campaign,
            others: s.others,
        };
        if s.paper_count > 0 && p.batches.iter().all(|b| b.date.is_some()) {
            p.set_undated(s.paper_count);
        }
        p
    }
}

impl Default for PledgeDrive {
    fn default() -> PledgeDrive {
        PledgeDrive {
            title: String::new(),
            goal: 0,
            deadline: today(),
            signers: Vec::new(),
            batches: Vec::new(),
            campaign: None,
            others: 0,
        }
    }
}

impl PledgeDrive {
    /// Named signers plus every paper batch.
    pub fn progress(&self) -> u64 {
        self.signers.len() as u64 + self.paper() + u64::from(self.others)
    }

    /// Every paper signature, all batches together.
    pub fn paper(&self) -> u64 {
        self.batches.iter().map(|b| u64::from(b.count)).sum()
    }

    /// The paper count kept without a date (the form's "paper signatures"
    /// field, and what drives had before batches).
    pub fn undated(&self) -> u32 {
        self.batches
            .iter()
            .filter(|b| b.date.is_none())
            .map(|b| b.count)
            .sum()
    }

    /// Sets the undated paper count: one undated batch first, or none for 0.
    pub fn set_undated(&mut self, count: u32) {
        self.batches.retain(|b| b.date.is_some());
        if count > 0 {
            let batch = PaperBatch {
                date: None,
                count,
                by: None,
            };
            self.batches.insert(0, batch);
        }
    }

    /// Progress over time: (date, running total) after each dated batch, in
    /// date order, starting from the named signers and undated paper.
    pub fn timeline(&self) -> Vec<(NaiveDate, u64)> {
        let mut dated: Vec<&PaperBatch> =
            self.batches.iter().filter(|b| b.date.is_some()).collect();
        dated.sort_by_key(|b| b.date);
        let mut total =
            self.signers.len() as u64 + u64::from(self.others) + u64::from(self.undated());
        let mut out: Vec<(NaiveDate, u64)> = Vec::new();
        for b in dated {
            let Some(date) = b.date else { continue };
            total += u64::from(b.count);
            match out.last_mut() {
                Some(last) if last.0 == date => last.1 = total,
                _ => out.push((date, total)),
            }
        }
        out
    }

    /// Days from `today` to the deadline; negative once it has passed.
    pub fn days_left(&self, today: NaiveDate) -> i64 {
        (self.deadline - today).num_days()
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FollowUp {
    pub task: String,
    #[serde(default)]
    pub who: Option<Id>,
    #[serde(default)]
    pub due: Option<NaiveDate>,
    #[serde(default)]
    pub done: bool,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Note {
    pub date: NaiveDate,
    #[serde(rename = "note_kind")]
    pub kind: NoteKind,
    pub title: String,
    pub body: String,
    pub attendees: Vec<Id>,
    pub orgs: Vec<Id>,
    pub follow_ups: Vec<FollowUp>,
    pub campaign: Option<Id>,
    /// How many came (named attendees or not); `None`: count the attendees.
    pub headcount: Option<u32>,
    /// Attendees a handoff left out (people who do not travel): "and 2 more
    /// people".
    #[serde(skip_serializing_if = "is_zero")]
    pub others: u32,
}

impl Note {
    /// The attendance reports count: the headcount if given, else the named
    /// attendees.
    pub fn attendance(&self) -> u64 {
        match self.headcount {
            Some(n) => u64::from(n),
            None => self.attendees.len() as u64 + u64::from(self.others),
        }
    }
}

impl Default for Note {
    fn default() -> Note {
        Note {
            date: today(),
            kind: NoteKind::Meeting,
            title: String::new(),
            body: String::new(),
            attendees: Vec::new(),
            orgs: Vec::new(),
            follow_ups: Vec::new(),
            campaign: None,
            headcount: None,
            others: 0,
        }
    }
}

/// Any record, tagged with its kind in JSON (`"kind": "person"`).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Record {
    Org(Organization),
    Person(Person),
    Demand(Demand),
    Campaign(Campaign),
    Pledge(PledgeDrive),
    Note(Note),
}

/// Limits on sizes, so hostile input cannot balloon the vault or the UI.
pub mod limits {
    pub const NAME: usize = 200;
    pub const SHORT: usize = 500;
    pub const BODY: usize = 50_000;
    pub const LIST: usize = 1_000;
    pub const SIGNERS: usize = 100_000;
    pub const COUNT: u64 = 10_000_000;
}

impl Record {
    /// An empty record of `kind`, to be filled with `set`.
    pub fn empty(kind: Kind) -> Record {
        match kind {
            Kind::Org => Record::Org(Organization::default()),
            Kind::Person => Record::Person(Person::default()),
            Kind::Demand => Record::Demand(Demand::default()),
            Kind::Campaign => Record::Campaign(Campaign::default()),
            Kind::Pledge => Record::Pledge(PledgeDrive::default()),
            Kind::Note => Record::Note(Note::default()),
        }
    }

    /// Whether this is a person held back from exports, and why (see
    /// `consent::held_back`).
    pub fn held_back(&self) -> Option<bool> {
        match self {
            Record::Person(p) => p.held_back(),
            _ => None,
        }
    }

    pub fn kind(&self) -> Kind {
        match self {
            Record::Org(_) => Kind::Org,
            Record::Person(_) => Kind::Person,
            Record::Demand(_) => Kind::Demand,
            Record::Campaign(_) => Kind::Campaign,
            Record::Pledge(_) => Kind::Pledge,
            Record::Note(_) => Kind::Note,
        }
    }

    /// The name or title a person knows the record by.
    pub fn title(&self) -> &str {
        match self {
            Record::Org(o) => &o.name,
            Record::Person(p) => &p.name,
            Record::Demand(d) => &d.title,
            Record::Campaign(c) => &c.name,
            Record::Pledge(p) => &p.title,
            Record::Note(n) => &n.title,
        }
    }

    /// The campaign this record belongs to, for those that belong to one.
    pub fn campaign(&self) -> Option<&Id> {
        match self {
            Record::Demand(d) => d.campaign.as_ref(),
            Record::Pledge(p) => p.campaign.as_ref(),
            Record::Note(n) => n.campaign.as_ref(),
            _ => None,
        }
    }

    /// Every id this record refers to, with the field and the kind it must be.
    pub fn refs(&self) -> Vec<(&'static str, &Id, Kind)> {
        let mut out: Vec<(&'static str, &Id, Kind)> = Vec::new();
        fn add<'a>(
            out: &mut Vec<(&'static str, &'a Id, Kind)>,
            field: &'static str,
            kind: Kind,
            ids: impl Iterator<Item = &'a Id>,
        ) {
            out.extend(ids.map(|id| (field, id, kind)));
        }
        match self {
            Record::Org(o) => add(&mut out, "contact", Kind::Person, o.contact.iter()),
            Record::Person(p) => {
                add(&mut out, "org", Kind::Org, p.orgs.iter().map(|m| &m.org));
                let marks = [&p.consent.contact, &p.consent.share];
                let by = marks
                    .into_iter()
                    .flatten()
                    .filter_map(|m| m.recorder.as_ref())
                    .chain(p.consent.history.iter().filter_map(|e| e.recorder.as_ref()));
                add(&mut out, "recorder", Kind::Person, by);
            }
            Record::Demand(d) => {
                add(&mut out, "partner", Kind::Org, d.partners.iter());
                add(&mut out, "lead", Kind::Org, d.lead.iter());
                add(&mut out, "campaign", Kind::Campaign, d.campaign.iter());
            }
            Record::Campaign(c) => add(&mut out, "partner", Kind::Org, c.partners.iter()),
            Record::Pledge(p) => {
                add(&mut out, "signer", Kind::Person, p.signers.iter());
                add(&mut out, "campaign", Kind::Campaign, p.campaign.iter());
                add(
                    &mut out,
                    "by",
                    Kind::Person,
                    p.batches.iter().filter_map(|b| b.by.as_ref()),
                );
            }
            Record::Note(n) => {
                add(&mut out, "attendee", Kind::Person, n.attendees.iter());
                add(&mut out, "org", Kind::Org, n.orgs.iter());
                add(&mut out, "campaign", Kind::Campaign, n.campaign.iter());
                add(
                    &mut out,
                    "follow-up",
                    Kind::Person,
                    n.follow_ups.iter().filter_map(|f| f.who.as_ref()),
                );
            }
        }
        out
    }

    /// Checks every rule a stored record must meet. The vault calls this on
    /// every write, whatever the source (CLI, app, import).
    pub fn validate(&self) -> Result<(), FieldError> {
        use limits::*;
        self.check_fields()?;
        // Rules beyond one field's text or list size.
        let bad_number = |field: &str, min: u64| {
            let problem = Problem::BadNumber { min, max: COUNT };
            Err(FieldError::new(field, problem))
        };
        match self {
            Record::Person(p) if p.consent.history.len() > LIST * 10 => {
                let problem = Problem::TooMany { max: LIST * 10 };
                Err(FieldError::new("consent", problem))
            }
            Record::Pledge(p) if p.goal == 0 || u64::from(p.goal) > COUNT => bad_number("goal", 1),
            Record::Pledge(p) if p.batches.len() > LIST => {
                Err(FieldError::new("batch", Problem::TooMany { max: LIST }))
            }
            Record::Pledge(p) if p.batches.iter().any(|b| b.count == 0) => bad_number("count", 1),
            Record::Pledge(p) if p.paper() > COUNT => bad_number("paper-count", 0),
            Record::Note(n) if n.headcount.is_some_and(|h| u64::from(h) > COUNT) => {
                bad_number("headcount", 0)
            }
            _ => Ok(()),
        }
    }

    /// The text this record is found by, before folding: names, aliases, tags,
    /// titles, note text. (People are also found by their organizations' names;
    /// the search index adds those, since they live in other records.)
    pub fn search_text(&self) -> String {
        let mut text = String::new();
        let mut first = true;
        self.search_parts(|part| {
            if !std::mem::take(&mut first) {
                text.push('\n');
            }
            text.push_str(part);
        });
        text
    }

    /// The pieces of `search_text`, in order, the title first: the text is
    /// them joined by `\n`. For the index, which folds each piece straight
    /// into its own text (no joined copy made first).
    pub fn search_parts(&self, mut part: impl FnMut(&str)) {
        part(self.title());
        match self {
            Record::Org(o) => {
                part(&o.region);
                o.languages.iter().for_each(|l| part(l));
            }
            Record::Person(p) => {
                [p.alias.as_str(), p.email.as_str(), p.signal.as_str()]
                    .into_iter()
                    .for_each(&mut part);
                p.tags.iter().for_each(|t| part(t));
                p.orgs.iter().for_each(|m| part(&m.role));
            }
            Record::Demand(d) => [d.target.as_str(), d.jurisdiction.as_str()]
                .into_iter()
                .for_each(&mut part),
            Record::Campaign(c) => part(&c.description),
            Record::Pledge(_) => {}
            Record::Note(n) => {
                part(&n.body);
                n.follow_ups.iter().for_each(|f| part(&f.task));
            }
        }
    }
}
