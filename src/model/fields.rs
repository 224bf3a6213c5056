//! The field table: one row per field of each kind of record, and everything
//! the rest of the core needs to know about it.
//!
//! **Adding a field to a kind touches three places only: a row in that kind's
//! table below (and its name in the kind's `form` and `csv` lists if it is
//! typed in the form or read from a spreadsheet), the model struct
//! (`src/model/mod.rs`), and its `field-*` label in both locales.**
//!
//! Every other place reads the rows: parsing (`Record::set`, with
//! `remove-FIELD` for list fields), per-field validation, the forms
//! (`form::form`, `form::values`, `Record::apply_form`), the detail screens
//! (`view::details_of`, which formats each row's [`Value`]), conflict
//! resolution (a stored key's field, `resolve --take FIELD`), the masking
//! flags the screens get (`contact`, `identifying`), the CSV mapping
//! (`csv::fields_of`, `csv::guess_field`) and the locale test.
//!
//! Not responsible for: how a value reads in a language (the view's), nor
//! rules across records (the vault's).

use super::edit::{
    check_email, check_no_comma, check_phone, check_signal, check_text, choice, consent_state,
    date, follow_up, id, number, opt_date, opt_id, parse_bool, text,
};
use super::*;
use limits::{BODY, LIST, NAME, SHORT, SIGNERS};

/// How a field is edited in a form.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case", tag = "type", content = "of")]
pub enum Input {
    Text,
    LongText,
    Phone,
    Email,
    Date,
    Number,
    YesNo,
    /// One of a closed set (`view::choices` has the options).
    Choice(&'static str),
    /// A link to one record of a kind.
    Link(Kind),
    /// Links to several records of a kind.
    Links(Kind),
    /// Several short texts (tags, languages).
    Texts,
    /// A note's follow-ups: `TASK|DUE|PERSON_ID|done` (`FollowUp::to_text`;
    /// the last three parts are fixed, so the task may contain `|`).
    FollowUps,
}

/// What a field holds in one record, typed, for the form (as text) and the
/// detail screen (formatted in a language by the view).
#[derive(Clone, Debug, PartialEq)]
pub enum Value<'a> {
    /// Nothing to show (a field that is only set, such as `no-share`).
    None,
    Text(&'a str),
    /// Yes or no, always shown.
    Flag(bool),
    /// Yes or no, shown only when yes.
    Mark(bool),
    /// One of a closed set: its wire value and the Fluent id of its label
    /// (both empty when unset).
    Choice(&'static str, String),
    Date(Option<NaiveDate>),
    /// A deadline: its date and how many days are left.
    Deadline(NaiveDate),
    Number(Option<u64>),
    /// Paper signatures: all batches (shown) and the undated count (edited).
    Paper {
        all: u64,
        undated: u32,
    },
    Link(Option<&'a Id>),
    /// Linked records, and how many more a handoff left out unnamed.
    Links(&'a [Id], u32),
    Texts(&'a [String]),
    /// A person's organizations, with their role.
    Orgs(&'a [Membership]),
    /// A consent's state and when and how it was last given.
    Consent(ConsentState, Option<&'a ConsentMark>),
    History(&'a [StatusChange]),
    FollowUps(&'a [FollowUp]),
    /// Derived: the records of this kind that point at this campaign (the
    /// vault knows them).
    CampaignItems(Kind),
    /// A fixed remark (a Fluent id), or none.
    Remark(Option<&'static str>),
}

impl Value<'_> {
    /// The value as form text: one string per item for a list, none for a
    /// value that is not typed.
    pub fn form_texts(&self) -> Vec<String> {
        let yn = |b: bool| if b { "yes" } else { "no" }.to_string();
        let ids = |ids: &[Id]| ids.iter().map(Id::to_string).collect();
        match self {
            Value::Text(s) => vec![s.to_string()],
            Value::Flag(b) | Value::Mark(b) => vec![yn(*b)],
            Value::Choice(v, _) => vec![v.to_string()],
            Value::Date(d) => vec![d.map(|d| d.to_string()).unwrap_or_default()],
            Value::Deadline(d) => vec![d.to_string()],
            Value::Number(n) => vec![n.map(|n| n.to_string()).unwrap_or_default()],
            Value::Paper { undated, .. } => vec![undated.to_string()],
            Value::Link(i) => vec![i.map(Id::to_string).unwrap_or_default()],
            Value::Links(list, _) => ids(list),
            Value::Texts(list) => list.to_vec(),
            Value::Orgs(list) => list.iter().map(|m| m.org.to_string()).collect(),
            Value::Consent(s, _) => vec![s.as_str().to_string()],
            Value::FollowUps(list) => list.iter().map(FollowUp::to_text).collect(),
            Value::None | Value::History(_) | Value::CampaignItems(_) | Value::Remark(_) => {
                Vec::new()
            }
        }
    }
}

/// Reads a field's value from a record (`Value::None` for another kind).
pub type Get = for<'a> fn(&'a Record) -> Value<'a>;
/// Sets (or, for a list, adds to) a field from text: the record, the field
/// name as typed (errors point at it), the text, today's date.
pub type Set = fn(&mut Record, &str, &str, NaiveDate) -> Result<(), FieldError>;
/// Checks the shape of a text (a phone number).
pub type Check = fn(&str) -> Result<(), FieldError>;
/// Removes one item of a list field (`remove-FIELD`).
pub type Remove = fn(&mut Record, &str, &str) -> Result<(), FieldError>;

/// Where a spreadsheet column can go.
#[derive(Clone, Copy, Debug)]
pub struct Csv {
    /// The field as the CSV mapping names it (`tags`: a cell holds several).
    pub column: &'static str,
    /// Headers taken for it, folded (lower case, no accents, `_`/`-` as spaces).
    pub headers: &'static [&'static str],
}

/// One field of one kind of record.
#[derive(Clone, Copy)]
pub struct Field {
    /// As typed: the CLI option (`--phone`), the form field, `resolve --take`.
    pub name: &'static str,
    /// Other names `set` accepts for it.
    pub aliases: &'static [&'static str],
    /// The Fluent id of its label in forms.
    pub label: &'static str,
    /// Its name on the detail screen and in conflicts, and that label's id
    /// (the form's `kind` is the detail screen's `org-kind`).
    pub shown: &'static str,
    pub shown_label: &'static str,
    /// Its key in the stored record (`languages`), empty if it has none
    /// (derived, or only set).
    pub key: &'static str,
    /// How a form edits it; `None`: not in a form.
    pub input: Option<Input>,
    pub required: bool,
    /// A way to reach a person (masked in meeting mode, never in reports).
    pub contact: bool,
    /// Names a person (masked in meeting mode when that person is sensitive,
    /// never in reports).
    pub identifying: bool,
    /// The longest text, or the most items of a list, it may hold (0: no
    /// check by length).
    pub max: usize,
    /// The shape a text must have (a phone number), checked instead of its
    /// length.
    pub check: Option<Check>,
    /// Names of the parts of its value an error may point at (a membership's
    /// `role`, a follow-up's `due` and `who`).
    pub parts: &'static [&'static str],
    pub get: Get,
    pub set: Option<Set>,
    pub remove: Option<Remove>,
    /// Empties a list field (a form replaces the whole list).
    pub clear: Option<fn(&mut Record)>,
    pub csv: Option<Csv>,
}

impl Field {
    /// The names this field is set by: its name and aliases.
    pub fn answers_to(&self, name: &str) -> bool {
        self.name == name || self.aliases.contains(&name)
    }

    /// Every name it may be typed or shown as, and every name an error may
    /// point at, each with a label `field-NAME`: its name, the name shown,
    /// its aliases, its parts, `remove-NAME` for a list and its spreadsheet
    /// column.
    pub fn names(&self) -> Vec<String> {
        let mut out: Vec<String> = [self.name, self.shown]
            .into_iter()
            .chain(self.aliases.iter().copied())
            .chain(self.parts.iter().copied())
            .chain(self.csv.map(|c| c.column))
            .map(String::from)
            .collect();
        if self.remove.is_some() {
            out.push(format!("remove-{}", self.name));
        }
        out
    }

    const fn aka(mut self, aliases: &'static [&'static str]) -> Field {
        self.aliases = aliases;
        self
    }
    const fn shown_as(mut self, shown: &'static str, label: &'static str) -> Field {
        self.shown = shown;
        self.shown_label = label;
        self
    }
    const fn key(mut self, key: &'static str) -> Field {
        self.key = key;
        self
    }
    const fn input(mut self, input: Input) -> Field {
        self.input = Some(input);
        self
    }
    const fn required(mut self) -> Field {
        self.required = true;
        self
    }
    const fn contact(mut self) -> Field {
        self.contact = true;
        self
    }
    const fn identifying(mut self) -> Field {
        self.identifying = true;
        self
    }
    const fn max(mut self, max: usize) -> Field {
        self.max = max;
        self
    }
    const fn check(mut self, check: Check) -> Field {
        self.check = Some(check);
        self
    }
    const fn parts(mut self, parts: &'static [&'static str]) -> Field {
        self.parts = parts;
        self
    }
    const fn set(mut self, set: Set) -> Field {
        self.set = Some(set);
        self
    }
    const fn list(mut self, remove: Option<Remove>, clear: fn(&mut Record)) -> Field {
        self.remove = remove;
        self.clear = Some(clear);
        self
    }
    const fn csv(mut self, column: &'static str, headers: &'static [&'static str]) -> Field {
        self.csv = Some(Csv { column, headers });
        self
    }
}

/// A row: its name (also its stored key), its label and how it is read.
const fn f(name: &'static str, label: &'static str, get: Get) -> Field {
    Field {
        name,
        aliases: &[],
        label,
        shown: name,
        shown_label: label,
        key: name,
        input: None,
        required: false,
        contact: false,
        identifying: false,
        max: 0,
        check: None,
        parts: &[],
        get,
        set: None,
        remove: None,
        clear: None,
        csv: None,
    }
}

fn none(_: &Record) -> Value<'_> {
    Value::None
}

/// A getter for one kind: `get!(Person, p => Value::Text(&p.phone))`.
macro_rules! get {
    ($kind:ident, $r:ident => $e:expr) => {
        |rec| match rec {
            Record::$kind($r) => $e,
            _ => Value::None,
        }
    };
}

/// A setter for one kind: `set!(Person, |p, f, v, today| p.alias = …)`.
macro_rules! set {
    ($kind:ident, |$r:ident, $f:ident, $v:ident, $t:ident| $body:expr) => {
        |rec, $f, $v, $t| match rec {
            Record::$kind($r) => {
                $body;
                Ok(())
            }
            _ => Err(FieldError::new($f, Problem::UnknownField)),
        }
    };
}

/// A remover for one kind: `remove!(Person, |p, f, v| p.tags.retain(…))`.
macro_rules! remove {
    ($kind:ident, |$r:ident, $f:ident, $v:ident| $body:expr) => {
        Some(|rec, $f, $v| match rec {
            Record::$kind($r) => {
                $body;
                Ok(())
            }
            _ => Err(FieldError::new($f, Problem::UnknownField)),
        })
    };
}

/// Empties a list of one kind: `clear!(Person, p => p.tags)`.
macro_rules! clear {
    ($kind:ident, $r:ident => $list:expr) => {
        |rec| {
            if let Record::$kind($r) = rec {
                $list.clear();
            }
        }
    };
}

fn add_unique<T: PartialEq>(list: &mut Vec<T>, item: T) {
    if !list.contains(&item) {
        list.push(item);
    }
}

fn remove_id(list: &mut Vec<Id>, f: &str, v: &str) -> Result<(), FieldError> {
    let gone = id(f, v)?;
    list.retain(|x| *x != gone);
    Ok(())
}

/// The fields of one kind: the rows in the order the detail screen shows
/// them, and the names in the order its form and its spreadsheet mapping
/// offer them.
pub struct Table {
    pub rows: &'static [Field],
    pub form: &'static [&'static str],
    pub csv: &'static [&'static str],
}

impl Table {
    /// The row set by `name` (its name or an alias).
    pub fn find(&self, name: &str) -> Option<&'static Field> {
        self.rows.iter().find(|f| f.answers_to(name))
    }

    /// The row stored under `key`.
    pub fn by_key(&self, key: &str) -> Option<&'static Field> {
        self.rows.iter().find(|f| !f.key.is_empty() && f.key == key)
    }

    /// The rows of the form, in its order.
    pub fn form_rows(&self) -> impl Iterator<Item = &'static Field> + '_ {
        self.form.iter().filter_map(|n| self.find(n))
    }

    /// The rows a spreadsheet column can fill, in the mapping's order.
    pub fn csv_rows(&self) -> impl Iterator<Item = &'static Field> + '_ {
        self.csv.iter().filter_map(|n| self.find(n))
    }
}

/// The table of `kind`.
pub fn table(kind: Kind) -> &'static Table {
    match kind {
        Kind::Org => &ORG,
        Kind::Person => &PERSON,
        Kind::Demand => &DEMAND,
        Kind::Campaign => &CAMPAIGN,
        Kind::Pledge => &PLEDGE,
        Kind::Note => &NOTE,
    }
}

use Input as I;

static ORG: Table = Table {
    rows: &[
        f("name", "field-name", get!(Org, o => Value::Text(&o.name)))
            .input(I::Text)
            .required()
            .max(NAME)
            .set(set!(Org, |o, f, v, _t| o.name = text(f, v, NAME, true)?))
            .csv(
                "name",
                &[
                    "name",
                    "nombre",
                    "organization",
                    "organisation",
                    "organizacion",
                    "org name",
                ],
            ),
        f(
            "kind",
            "field-org-kind",
            get!(Org, o => Value::Choice(o.kind.as_str(), o.kind.message_id())),
        )
        .aka(&["org-kind"])
        .shown_as("org-kind", "field-org-kind")
        .key("org_kind")
        .input(I::Choice("org_kind"))
        .set(set!(Org, |o, f, v, _t| o.kind =
            choice(f, v, OrgKind::parse, OrgKind::allowed())?))
        .csv("kind", &["type", "kind", "tipo"]),
        f(
            "immigrant-led",
            "field-immigrant-led",
            get!(Org, o => Value::Flag(o.immigrant_led)),
        )
        .key("immigrant_led")
        .input(I::YesNo)
        .set(set!(Org, |o, f, v, _t| o.immigrant_led = parse_bool(f, v)?))
        .csv(
            "immigrant-led",
            &["immigrant led", "liderada por inmigrantes"],
        ),
        f(
            "language",
            "field-language",
            get!(Org, o => Value::Texts(&o.languages)),
        )
        .key("languages")
        .input(I::Texts)
        .max(50)
        .set(set!(Org, |o, f, v, _t| {
            check_no_comma(f, v)?;
            add_unique(&mut o.languages, text(f, v, NAME, true)?)
        }))
        .list(
            remove!(Org, |o, _f, v| o.languages.retain(|l| l != v.trim())),
            clear!(Org, o => o.languages),
        )
        .csv("language", &["languages", "language", "idiomas", "idioma"]),
        f(
            "region",
            "field-region",
            get!(Org, o => Value::Text(&o.region)),
        )
        .input(I::Text)
        .max(NAME)
        .set(set!(Org, |o, f, v, _t| o.region = text(f, v, NAME, false)?))
        .csv("region", &["region", "city", "ciudad", "county", "condado"]),
        f(
            "relationship",
            "field-relationship",
            get!(Org, o => Value::Choice(o.relationship.as_str(), o.relationship.message_id())),
        )
        .input(I::Choice("relationship"))
        .set(set!(Org, |o, f, v, _t| o.relationship =
            choice(f, v, Relationship::parse, Relationship::allowed())?))
        .csv("relationship", &["relationship", "relacion"]),
        f(
            "contact",
            "field-contact",
            get!(Org, o => Value::Link(o.contact.as_ref())),
        )
        .input(I::Link(Kind::Person))
        .set(set!(Org, |o, f, v, _t| o.contact = opt_id(f, v)?)),
        f(
            "private",
            "field-private",
            get!(Org, o => Value::Mark(o.private)),
        )
        .input(I::YesNo)
        .set(set!(Org, |o, f, v, _t| o.private = parse_bool(f, v)?)),
    ],
    form: &[
        "name",
        "kind",
        "immigrant-led",
        "region",
        "relationship",
        "language",
        "contact",
        "private",
    ],
    csv: &[
        "name",
        "kind",
        "region",
        "language",
        "relationship",
        "immigrant-led",
    ],
};

static PERSON: Table = Table {
    rows: &[
        f("name", "field-name", get!(Person, p => Value::Text(&p.name)))
            .input(I::Text)
            .required()
            .identifying()
            .max(NAME)
            .set(set!(Person, |p, f, v, _t| p.name = text(f, v, NAME, true)?))
            .csv("name", &["name", "full name", "nombre", "nombre completo", "nombre y apellido", "nombre y apellidos"]),
        f("alias", "field-alias", get!(Person, p => Value::Text(&p.alias)))
            .input(I::Text)
            .identifying()
            .max(NAME)
            .set(set!(Person, |p, f, v, _t| p.alias = text(f, v, NAME, false)?))
            .csv("alias", &["alias", "nickname", "apodo"]),
        f("lang", "field-lang", get!(Person, p => match p.lang {
            Some(l) => Value::Choice(l.as_str(), format!("lang-{}", l.as_str())),
            None => Value::Choice("", String::new()),
        }))
            .input(I::Choice("lang"))
            .set(set!(Person, |p, f, v, _t| p.lang = match v.trim() {
                "" => None,
                l => Some(choice(f, l, Lang::parse, "en, es".into())?),
            }))
            .csv("lang", &["language", "lang", "idioma", "lengua"]),
        f("phone", "field-phone", get!(Person, p => Value::Text(&p.phone)))
            .input(I::Phone)
            .contact()
            .check(check_phone)
            .set(set!(Person, |p, _f, v, _t| {
                check_phone(v.trim())?;
                p.phone = v.trim().to_string()
            }))
            .csv("phone", &["phone", "phone number", "mobile", "cell", "cell phone", "telefono", "numero de telefono", "celular", "movil", "can2 phone"]),
        f("signal", "field-signal", get!(Person, p => Value::Text(&p.signal)))
            .input(I::Text)
            .contact()
            .check(check_signal)
            .set(set!(Person, |p, _f, v, _t| {
                check_signal(v.trim())?;
                p.signal = v.trim().to_string()
            }))
            .csv("signal", &["signal"]),
        f("email", "field-email", get!(Person, p => Value::Text(&p.email)))
            .input(I::Email)
            .contact()
            .check(check_email)
            .set(set!(Person, |p, _f, v, _t| {
                check_email(v.trim())?;
                p.email = v.trim().to_string()
            }))
            .csv("email", &["email", "e mail", "email address", "correo", "correo electronico"]),
        f("org", "field-org", get!(Person, p => Value::Orgs(&p.orgs)))
            .key("orgs")
            .input(I::Links(Kind::Org))
            .max(LIST)
            .parts(&["role"])
            .set(set!(Person, |p, f, v, _t| {
                // `ID` or `ID:role`
                let (org, role) = v.split_once(':').unwrap_or((v, ""));
                let org = id(f, org)?;
                let role = text("role", role, NAME, false)?;
                match p.orgs.iter_mut().find(|m| m.org == org) {
                    Some(m) if !role.is_empty() => m.role = role,
                    Some(_) => {}
                    None => p.orgs.push(Membership { org, role }),
                }
            }))
            .list(remove!(Person, |p, f, v| {
                let org = id(f, v)?;
                p.orgs.retain(|m| m.org != org)
            }), clear!(Person, p => p.orgs))
            .csv("org", &["organization", "organisation", "org", "organizacion", "organizaciones", "organizations"]),
        f("tag", "field-tag", get!(Person, p => Value::Texts(&p.tags)))
            .key("tags")
            .input(I::Texts)
            .max(LIST)
            .set(set!(Person, |p, f, v, _t| {
                check_no_comma(f, v)?;
                add_unique(&mut p.tags, text(f, v, NAME, true)?)
            }))
            .list(remove!(Person, |p, _f, v| p.tags.retain(|t| t != v.trim())), clear!(Person, p => p.tags))
            .csv("tags", &["tags", "tag", "etiquetas", "etiqueta", "can2 user tags"]),
        f("consent-contact", "field-consent-contact", get!(Person, p => Value::Consent(p.consent_contact, p.consent.contact.as_ref())))
            .key("consent_contact")
            .input(I::Choice("consent_state"))
            .set(set!(Person, |p, f, v, t| p.set_consent(ConsentTopic::Contact, consent_state(f, v)?, t))),
        f("share", "field-share", get!(Person, p => Value::Consent(p.consent_share, p.consent.share.as_ref())))
            .aka(&["consent-share"])
            .shown_as("consent-share", "field-consent-share")
            .key("consent_share")
            .input(I::Choice("consent_state"))
            .set(set!(Person, |p, f, v, t| p.set_consent(ConsentTopic::Share, consent_state(f, v)?, t))),
        f("consent-record", "field-consent-record", get!(Person, p => Value::Remark(p.consent.before_records.then_some("consent-before-records"))))
            .key(""),
        f("sensitive", "field-sensitive", get!(Person, p => Value::Flag(p.sensitive)))
            .input(I::YesNo)
            .set(set!(Person, |p, f, v, _t| p.sensitive = parse_bool(f, v)?)),
        f("last-contact", "field-last-contact", get!(Person, p => Value::Date(p.last_contact)))
            .key("last_contact")
            .input(I::Date)
            .set(set!(Person, |p, f, v, _t| p.last_contact = opt_date(f, v)?)),
        f("next-follow-up", "field-next-follow-up", get!(Person, p => Value::Date(p.next_follow_up)))
            .key("next_follow_up")
            .input(I::Date)
            .set(set!(Person, |p, f, v, _t| p.next_follow_up = opt_date(f, v)?)),
        // Only set (the CLI's `--no-share`): the opposite of consent to share.
        f("no-share", "field-no-share", none)
            .key("")
            .set(set!(Person, |p, f, v, t| {
                let state = ConsentState::from(!parse_bool(f, v)?);
                p.set_consent(ConsentTopic::Share, state, t)
            })),
        // Only in spreadsheets: the two halves of a name, joined when no
        // column holds the whole name.
        f("first-name", "field-first-name", none)
            .key("")
            .csv("first-name", &["first name", "given name", "primer nombre", "nombre de pila"]),
        f("last-name", "field-last-name", none)
            .key("")
            .csv("last-name", &["last name", "surname", "family name", "apellido", "apellidos"]),
    ],
    form: &[
        "name", "alias", "lang", "phone", "signal", "email", "org", "tag", "consent-contact", "share",
        "sensitive", "last-contact", "next-follow-up",
    ],
    csv: &["name", "first-name", "last-name", "alias", "phone", "email", "signal", "tag", "lang", "org"],
};

static DEMAND: Table = Table {
    rows: &[
        f(
            "title",
            "field-title",
            get!(Demand, d => Value::Text(&d.title)),
        )
        .input(I::Text)
        .required()
        .max(NAME)
        .set(set!(Demand, |d, f, v, _t| d.title = text(f, v, NAME, true)?)),
        f(
            "target",
            "field-target",
            get!(Demand, d => Value::Text(&d.target)),
        )
        .input(I::Text)
        .required()
        .max(NAME)
        .set(set!(Demand, |d, f, v, _t| d.target = text(f, v, NAME, true)?)),
        f(
            "jurisdiction",
            "field-jurisdiction",
            get!(Demand, d => Value::Text(&d.jurisdiction)),
        )
        .input(I::Text)
        .max(NAME)
        .set(set!(Demand, |d, f, v, _t| d.jurisdiction =
            text(f, v, NAME, false)?)),
        f(
            "status",
            "field-status",
            get!(Demand, d => Value::Choice(d.status.as_str(), d.status.message_id())),
        )
        .input(I::Choice("status"))
        .set(set!(Demand, |d, f, v, t| {
            let status = choice(f, v, DemandStatus::parse, DemandStatus::allowed())?;
            d.set_status(status, t)
        })),
        f(
            "history",
            "field-history",
            get!(Demand, d => Value::History(&d.history)),
        )
        .max(LIST),
        f(
            "partner",
            "field-partner",
            get!(Demand, d => Value::Links(&d.partners, 0)),
        )
        .key("partners")
        .input(I::Links(Kind::Org))
        .max(LIST)
        .set(set!(Demand, |d, f, v, _t| add_unique(
            &mut d.partners,
            id(f, v)?
        )))
        .list(
            remove!(Demand, |d, f, v| remove_id(&mut d.partners, f, v)?),
            clear!(Demand, d => d.partners),
        ),
        f(
            "lead",
            "field-lead",
            get!(Demand, d => Value::Link(d.lead.as_ref())),
        )
        .input(I::Link(Kind::Org))
        .set(set!(Demand, |d, f, v, _t| d.lead = opt_id(f, v)?)),
        f(
            "campaign",
            "field-campaign",
            get!(Demand, d => Value::Link(d.campaign.as_ref())),
        )
        .input(I::Link(Kind::Campaign))
        .set(set!(Demand, |d, f, v, _t| d.campaign = opt_id(f, v)?)),
    ],
    form: &[
        "title",
        "target",
        "jurisdiction",
        "status",
        "partner",
        "lead",
        "campaign",
    ],
    csv: &[],
};

static CAMPAIGN: Table = Table {
    rows: &[
        f(
            "name",
            "field-name",
            get!(Campaign, c => Value::Text(&c.name)),
        )
        .input(I::Text)
        .required()
        .max(NAME)
        .set(set!(Campaign, |c, f, v, _t| c.name = text(f, v, NAME, true)?)),
        f(
            "description",
            "field-description",
            get!(Campaign, c => Value::Text(&c.description)),
        )
        .input(I::LongText)
        .max(BODY)
        .set(set!(Campaign, |c, f, v, _t| c.description =
            text(f, v, BODY, false)?)),
        f(
            "partner",
            "field-partner",
            get!(Campaign, c => Value::Links(&c.partners, 0)),
        )
        .key("partners")
        .input(I::Links(Kind::Org))
        .max(LIST)
        .set(set!(Campaign, |c, f, v, _t| add_unique(
            &mut c.partners,
            id(f, v)?
        )))
        .list(
            remove!(Campaign, |c, f, v| remove_id(&mut c.partners, f, v)?),
            clear!(Campaign, c => c.partners),
        ),
        f("demands", "field-demands", |_| {
            Value::CampaignItems(Kind::Demand)
        })
        .key(""),
        f("pledges", "field-pledges", |_| {
            Value::CampaignItems(Kind::Pledge)
        })
        .key(""),
        f("notes", "field-notes", |_| Value::CampaignItems(Kind::Note)).key(""),
    ],
    form: &["name", "description", "partner"],
    csv: &[],
};

static PLEDGE: Table = Table {
    rows: &[
        f(
            "title",
            "field-title",
            get!(Pledge, p => Value::Text(&p.title)),
        )
        .input(I::Text)
        .required()
        .max(NAME)
        .set(set!(Pledge, |p, f, v, _t| p.title = text(f, v, NAME, true)?)),
        f(
            "goal",
            "field-goal",
            get!(Pledge, p => Value::Number(Some(u64::from(p.goal)))),
        )
        .input(I::Number)
        .required()
        .set(set!(Pledge, |p, f, v, _t| p.goal = number(f, v, 1)?)),
        f(
            "progress",
            "field-progress",
            get!(Pledge, p => Value::Number(Some(p.progress()))),
        )
        .key(""),
        f(
            "deadline",
            "field-deadline",
            get!(Pledge, p => Value::Deadline(p.deadline)),
        )
        .input(I::Date)
        .required()
        .set(set!(Pledge, |p, f, v, _t| p.deadline = date(f, v)?)),
        f(
            "paper-count",
            "field-paper-count",
            get!(Pledge, p => Value::Paper { all: p.paper(), undated: p.undated() }),
        )
        .key("batches")
        .input(I::Number)
        .set(set!(Pledge, |p, f, v, _t| p.set_undated(number(f, v, 0)?))),
        f(
            "signer",
            "field-signer",
            get!(Pledge, p => Value::Links(&p.signers, p.others)),
        )
        .key("signers")
        .input(I::Links(Kind::Person))
        .max(SIGNERS)
        .set(set!(Pledge, |p, f, v, _t| add_unique(
            &mut p.signers,
            id(f, v)?
        )))
        .list(
            remove!(Pledge, |p, f, v| remove_id(&mut p.signers, f, v)?),
            clear!(Pledge, p => p.signers),
        ),
        f(
            "campaign",
            "field-campaign",
            get!(Pledge, p => Value::Link(p.campaign.as_ref())),
        )
        .input(I::Link(Kind::Campaign))
        .set(set!(Pledge, |p, f, v, _t| p.campaign = opt_id(f, v)?)),
    ],
    form: &[
        "title",
        "goal",
        "deadline",
        "paper-count",
        "signer",
        "campaign",
    ],
    csv: &[],
};

static NOTE: Table = Table {
    rows: &[
        f(
            "title",
            "field-title",
            get!(Note, n => Value::Text(&n.title)),
        )
        .input(I::Text)
        .required()
        .max(NAME)
        .set(set!(Note, |n, f, v, _t| n.title = text(f, v, NAME, true)?)),
        f(
            "kind",
            "field-note-kind",
            get!(Note, n => Value::Choice(n.kind.as_str(), n.kind.message_id())),
        )
        .aka(&["note-kind"])
        .shown_as("note-kind", "field-note-kind")
        .key("note_kind")
        .input(I::Choice("note_kind"))
        .set(set!(Note, |n, f, v, _t| n.kind =
            choice(f, v, NoteKind::parse, NoteKind::allowed())?)),
        f(
            "date",
            "field-date",
            get!(Note, n => Value::Date(Some(n.date))),
        )
        .input(I::Date)
        .required()
        .set(set!(Note, |n, f, v, _t| n.date = date(f, v)?)),
        f(
            "headcount",
            "field-headcount",
            get!(Note, n => Value::Number(n.headcount.map(u64::from))),
        )
        .input(I::Number)
        .set(set!(Note, |n, f, v, _t| n.headcount = match v.trim() {
            "" => None,
            v => Some(number(f, v, 0)?),
        })),
        f(
            "attendee",
            "field-attendee",
            get!(Note, n => Value::Links(&n.attendees, n.others)),
        )
        .key("attendees")
        .input(I::Links(Kind::Person))
        .max(LIST)
        .set(set!(Note, |n, f, v, _t| add_unique(
            &mut n.attendees,
            id(f, v)?
        )))
        .list(
            remove!(Note, |n, f, v| remove_id(&mut n.attendees, f, v)?),
            clear!(Note, n => n.attendees),
        ),
        f(
            "org",
            "field-org",
            get!(Note, n => Value::Links(&n.orgs, 0)),
        )
        .key("orgs")
        .input(I::Links(Kind::Org))
        .max(LIST)
        .set(set!(Note, |n, f, v, _t| add_unique(&mut n.orgs, id(f, v)?)))
        .list(
            remove!(Note, |n, f, v| remove_id(&mut n.orgs, f, v)?),
            clear!(Note, n => n.orgs),
        ),
        f(
            "campaign",
            "field-campaign",
            get!(Note, n => Value::Link(n.campaign.as_ref())),
        )
        .input(I::Link(Kind::Campaign))
        .set(set!(Note, |n, f, v, _t| n.campaign = opt_id(f, v)?)),
        f("body", "field-body", get!(Note, n => Value::Text(&n.body)))
            .input(I::LongText)
            .max(BODY)
            .set(set!(Note, |n, f, v, _t| {
                // Keep the body's own line breaks and indentation.
                check_text(f, v, BODY, false)?;
                n.body = v.to_string()
            })),
        f(
            "follow-up",
            "field-follow-up",
            get!(Note, n => Value::FollowUps(&n.follow_ups)),
        )
        .key("follow_ups")
        .input(I::FollowUps)
        .max(LIST)
        .parts(&["due", "who"])
        .set(set!(Note, |n, _f, v, _t| n.follow_ups.push(follow_up(v)?)))
        .list(None, clear!(Note, n => n.follow_ups)),
        // Only set (the CLI's `--done N`): marks the Nth follow-up done, as
        // `aqui show` numbers them (from 1).
        f("done", "field-done", none)
            .key("")
            .set(set!(Note, |n, f, v, _t| {
                let max = n.follow_ups.len() as u64;
                let bad = FieldError::new(f, Problem::BadNumber { min: 1, max });
                let i = v.trim().parse::<usize>().map_err(|_| bad.clone())?;
                let fu = i
                    .checked_sub(1)
                    .and_then(|i| n.follow_ups.get_mut(i))
                    .ok_or(bad)?;
                fu.done = true
            })),
    ],
    form: &[
        "title",
        "kind",
        "date",
        "body",
        "headcount",
        "attendee",
        "org",
        "follow-up",
        "campaign",
    ],
    csv: &[],
};

impl Record {
    /// Sets one field from text, as the table says: `FIELD` sets (or adds to
    /// a list), `remove-FIELD` removes one item of a list. `today` dates a
    /// demand's status change and a consent.
    pub fn set(&mut self, field: &str, value: &str, today: NaiveDate) -> Result<(), FieldError> {
        let table = table(self.kind());
        let unknown = || FieldError::new(field, Problem::UnknownField);
        if let Some(list) = field.strip_prefix("remove-") {
            let remove = table
                .find(list)
                .and_then(|f| f.remove)
                .ok_or_else(unknown)?;
            return remove(self, field, value);
        }
        let set = table.find(field).and_then(|f| f.set).ok_or_else(unknown)?;
        set(self, field, value, today)
    }

    /// The value of every field of the table, in its order.
    pub fn values(&self) -> impl Iterator<Item = (&'static Field, Value<'_>)> {
        table(self.kind())
            .rows
            .iter()
            .map(move |f| (f, (f.get)(self)))
    }

    /// The per-field rules (lengths, required texts, list sizes, phone, email
    /// and Signal shapes), field by field in the table's order.
    pub(super) fn check_fields(&self) -> Result<(), FieldError> {
        // A person purged by a retention rule keeps no name.
        let purged = matches!(self, Record::Person(p) if p.purged);
        for (f, value) in self.values() {
            let name = f.name;
            let too_many = |n: usize| {
                if f.max > 0 && n > f.max {
                    Err(FieldError::new(name, Problem::TooMany { max: f.max }))
                } else {
                    Ok(())
                }
            };
            match value {
                Value::Text(s) => match f.check {
                    Some(check) => check(s)?,
                    None if f.max > 0 => check_text(name, s, f.max, f.required && !purged)?,
                    None => {}
                },
                Value::Texts(list) => {
                    too_many(list.len())?;
                    for item in list {
                        check_text(name, item, NAME, true)?;
                        check_no_comma(name, item)?;
                    }
                }
                Value::Links(list, _) => too_many(list.len())?,
                Value::Orgs(list) => {
                    too_many(list.len())?;
                    for m in list {
                        check_text("role", &m.role, NAME, false)?;
                    }
                }
                Value::History(list) => too_many(list.len())?,
                Value::FollowUps(list) => {
                    too_many(list.len())?;
                    for fu in list {
                        check_text(name, &fu.task, SHORT, true)?;
                    }
                }
                _ => {}
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_list_names_a_row_and_the_form_can_type_it() {
        for kind in Kind::ALL {
            let t = table(kind);
            for name in t.form {
                let f = t
                    .find(name)
                    .unwrap_or_else(|| panic!("{kind:?} form: {name}"));
                assert!(f.input.is_some() && f.set.is_some(), "{kind:?} {name}");
            }
            for name in t.csv {
                let f = t
                    .find(name)
                    .unwrap_or_else(|| panic!("{kind:?} csv: {name}"));
                assert!(f.csv.is_some(), "{kind:?} {name}");
            }
            for f in t.rows {
                let shown = (f.get)(&Record::empty(kind)) != Value::None;
                assert!(
                    shown || f.set.is_some() || f.csv.is_some(),
                    "{kind:?} {}: not shown, set or read",
                    f.name
                );
            }
        }
    }

    #[test]
    fn every_stored_key_has_its_row() {
        // Kept whole by conflicts and never typed: a person's consent record
        // and purge mark, and the people a handoff left out unnamed.
        let unnamed = ["kind", "consent", "purged", "others"];
        for kind in Kind::ALL {
            let Ok(serde_json::Value::Object(obj)) = serde_json::to_value(Record::empty(kind))
            else {
                panic!("{kind:?}")
            };
            for key in obj.keys() {
                let row = table(kind).by_key(key);
                assert!(
                    row.is_some() || unnamed.contains(&key.as_str()),
                    "{kind:?}: stored {key} has no row in the field table"
                );
            }
        }
    }

    #[test]
    fn names_and_headers_are_unique_per_kind() {
        for kind in Kind::ALL {
            let t = table(kind);
            let mut names: Vec<&str> = t
                .rows
                .iter()
                .flat_map(|f| std::iter::once(f.name).chain(f.aliases.iter().copied()))
                .collect();
            let mut headers: Vec<&str> = t
                .rows
                .iter()
                .flat_map(|f| f.csv.map(|c| c.headers).unwrap_or_default())
                .copied()
                .collect();
            let (n, h) = (names.len(), headers.len());
            names.sort_unstable();
            names.dedup();
            headers.sort_unstable();
            headers.dedup();
            assert_eq!((names.len(), headers.len()), (n, h), "{kind:?}");
        }
    }
}
