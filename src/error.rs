//! Errors as a person sees them.
//!
//! Each area of the core has its own error enum (`vault::Error`,
//! `model::FieldError`); this module turns any of them into a `UserError`: a
//! `kind` (the Fluent id of "what went wrong", stable, for the app to branch
//! on) and a `message` in the person's language — what went wrong, then what
//! to do. The CLI prints the message; the app receives the pair over IPC.

use crate::i18n::{self, Lang};
use crate::model::{FieldError, Kind, Problem};
use crate::t;
use crate::vault::{Damage, Error, Finding};
use serde::Serialize;

/// An error ready to show: `{kind, message}`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct UserError {
    pub kind: String,
    pub message: String,
    /// The field a validation error is about, so the app can show the
    /// message beside it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
}

impl std::fmt::Display for UserError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for UserError {}

/// Something that can explain itself in the user's language.
pub trait Localize {
    /// The Fluent id of what went wrong.
    fn kind(&self) -> &'static str;
    /// What went wrong and what to do, in `lang`.
    fn message(&self, lang: Lang) -> String;

    /// The field this error is about, if it is about one.
    fn field(&self) -> Option<&str> {
        None
    }

    fn to_user(&self, lang: Lang) -> UserError {
        UserError {
            kind: self.kind().to_string(),
            message: self.message(lang),
            field: self.field().map(str::to_string),
        }
    }
}

fn pair(what: String, todo: String) -> String {
    format!("{what}\n{todo}")
}

impl Localize for Error {
    fn kind(&self) -> &'static str {
        match self {
            Error::NoVault(_) => "err-no-vault",
            Error::AlreadyExists(_) => "err-vault-exists",
            Error::WrongPassphrase => "err-wrong-passphrase",
            Error::InUse => "err-vault-in-use",
            Error::Damaged(_) => "err-vault-damaged",
            Error::TooNew(_) => "err-vault-too-new",
            Error::NotFound(_) => "err-not-found",
            Error::Invalid(e) => e.kind(),
            Error::DiskFull => "err-disk-full",
            Error::ReadOnly => "err-vault-read-only",
            Error::Io(_) => "err-io",
        }
    }

    fn field(&self) -> Option<&str> {
        match self {
            Error::Invalid(e) => Some(&e.field),
            _ => None,
        }
    }

    fn message(&self, lang: Lang) -> String {
        match self {
            Error::NoVault(dir) => pair(
                t!(lang, "err-no-vault", dir = dir.display().to_string()),
                t!(lang, "rec-no-vault"),
            ),
            Error::AlreadyExists(dir) => pair(
                t!(lang, "err-vault-exists", dir = dir.display().to_string()),
                t!(lang, "rec-vault-exists"),
            ),
            Error::WrongPassphrase => pair(
                t!(lang, "err-wrong-passphrase"),
                t!(lang, "rec-wrong-passphrase"),
            ),
            Error::InUse => pair(t!(lang, "err-vault-in-use"), t!(lang, "rec-vault-in-use")),
            Error::Damaged(damage) => pair(
                t!(lang, "err-vault-damaged", reason = damage.message(lang)),
                t!(lang, "rec-vault-damaged"),
            ),
            Error::TooNew(n) => pair(
                t!(lang, "err-vault-too-new", format = n.to_string()),
                t!(lang, "rec-vault-too-new"),
            ),
            Error::NotFound(id) => pair(
                t!(lang, "err-not-found", id = id.to_string()),
                t!(lang, "rec-not-found"),
            ),
            Error::Invalid(e) => e.message(lang),
            Error::DiskFull => pair(t!(lang, "err-disk-full"), t!(lang, "rec-disk-full")),
            Error::ReadOnly => pair(
                t!(lang, "err-vault-read-only"),
                t!(lang, "rec-vault-read-only"),
            ),
            Error::Io(e) => pair(
                t!(lang, "err-io", reason = io_reason(lang, e)),
                t!(lang, "rec-io"),
            ),
        }
    }
}

impl Damage {
    /// Which part of the vault is damaged, in `lang`: the reason inside
    /// `err-vault-damaged`.
    pub fn message(&self, lang: Lang) -> String {
        match self {
            Damage::Header => t!(lang, "damage-header"),
            Damage::UnknownFormat(n) => t!(lang, "damage-unknown-format", format = n.to_string()),
            Damage::KeyParams => t!(lang, "damage-key-params"),
            Damage::DataKey => t!(lang, "damage-data-key"),
            Damage::Store => t!(lang, "damage-store"),
            Damage::Encode => t!(lang, "damage-encode"),
        }
    }
}

impl Finding {
    /// What was found, in `lang`: one line of `findings_message`.
    pub fn message(&self, lang: Lang) -> String {
        match self {
            Finding::SealMissing => t!(lang, "finding-seal-missing"),
            Finding::RecordsRemoved(n) => {
                t!(lang, "finding-records-removed", count = (*n as usize))
            }
            Finding::RecordsAdded(n) => t!(lang, "finding-records-added", count = (*n as usize)),
            Finding::RecordsReplaced => t!(lang, "finding-records-replaced"),
            Finding::AuxChanged => t!(lang, "finding-aux-changed"),
            Finding::LogBroken => t!(lang, "finding-log-broken"),
        }
    }
}

/// The warning shown when a vault opened read-only: what went wrong (one
/// line per finding), then what to do. Empty when nothing was found.
pub fn findings_message(findings: &[Finding], lang: Lang) -> String {
    if findings.is_empty() {
        return String::new();
    }
    let mut out = t!(lang, "err-vault-tampered");
    for f in findings {
        out.push_str("\n- ");
        out.push_str(&f.message(lang));
    }
    out.push('\n');
    out.push_str(&t!(lang, "rec-vault-tampered"));
    out
}

/// What went wrong with a file, in `lang`. The system's own text is English
/// (and may name a path), so only its kind, or its number, is shown.
fn io_reason(lang: Lang, e: &std::io::Error) -> String {
    use std::io::ErrorKind as K;
    match e.kind() {
        K::PermissionDenied => t!(lang, "io-permission"),
        K::NotFound => t!(lang, "io-not-found"),
        K::ReadOnlyFilesystem => t!(lang, "io-read-only"),
        _ => match e.raw_os_error() {
            Some(code) => t!(lang, "io-os", code = code.to_string()),
            None => t!(lang, "io-other"),
        },
    }
}

/// A field's label, or its raw name when it has none (an unknown option).
pub fn field_label(lang: Lang, field: &str) -> String {
    let id = format!("field-{field}");
    if i18n::has_message(Lang::En, &id) {
        i18n::text(lang, &id)
    } else {
        field.to_string()
    }
}

/// The label of a kind of record, singular.
pub fn kind_label(lang: Lang, kind: Kind) -> String {
    i18n::text(lang, &format!("kind-{}", kind.as_str()))
}

impl Localize for FieldError {
    fn kind(&self) -> &'static str {
        "err-invalid-field"
    }

    fn field(&self) -> Option<&str> {
        Some(&self.field)
    }

    fn message(&self, lang: Lang) -> String {
        let field = field_label(lang, &self.field);
        let problem = match &self.problem {
            Problem::Required => t!(lang, "problem-required"),
            Problem::TooLong { max } => t!(lang, "problem-too-long", max = max.to_string()),
            Problem::ControlChars => t!(lang, "problem-control-chars"),
            Problem::BadDate => t!(lang, "problem-bad-date"),
            Problem::BadNumber { min, max } => {
                t!(
                    lang,
                    "problem-bad-number",
                    min = min.to_string(),
                    max = max.to_string()
                )
            }
            Problem::BadPhone => t!(lang, "problem-bad-phone"),
            Problem::BadEmail => t!(lang, "problem-bad-email"),
            Problem::BadSignal => t!(lang, "problem-bad-signal"),
            Problem::BadChoice { allowed } => {
                t!(lang, "problem-bad-choice", allowed = allowed.clone())
            }
            Problem::BadBool => t!(lang, "problem-bad-bool"),
            Problem::BadId => t!(lang, "problem-bad-id"),
            Problem::Missing => t!(lang, "problem-missing"),
            Problem::WrongKind { expected } => {
                t!(
                    lang,
                    "problem-wrong-kind",
                    expected = kind_label(lang, *expected)
                )
            }
            Problem::UnknownField => t!(lang, "problem-unknown-field"),
            Problem::TooMany { max } => t!(lang, "problem-too-many", max = max.to_string()),
            Problem::BadChar { ch } => t!(lang, "problem-bad-char", char = ch.to_string()),
            Problem::InUse => t!(lang, "problem-in-use"),
        };
        pair(t!(lang, "err-invalid-field", field = field), problem)
    }
}

impl Localize for crate::handoff::Error {
    fn kind(&self) -> &'static str {
        use crate::handoff::Error as E;
        match self {
            E::Vault(e) => e.kind(),
            E::BadKey => "err-bad-key",
            E::BadCard => "err-bad-card",
            E::BadStewardName => "err-bad-steward-name",
            E::NoSteward(_) => "err-no-steward",
            E::FingerprintMismatch => "err-fingerprint-mismatch",
            E::NoRecipients => "err-no-recipients",
            E::NoFile(_) => "err-no-file",
            E::NotAge => "err-not-age",
            E::NotForYou => "err-not-for-you",
            E::NeedsPassphrase => "err-needs-passphrase",
            E::WrongPassphrase => "err-export-wrong-passphrase",
            E::TooMuchWork => "err-too-much-work",
            E::Truncated => "err-truncated",
            E::Altered => "err-altered",
            E::TooNew(_) => "err-bundle-too-new",
            E::BadBundle { .. } => "err-bad-bundle",
            E::DuplicateId(_) => "err-duplicate-id",
            E::TooLarge => "err-too-large",
            E::BadSignature => "err-bad-signature",
            E::NotBackup => "err-not-backup",
            E::IsBackup => "err-is-backup",
            E::NoConflict(_) => "err-no-conflict",
            E::BadTake(_) => "err-bad-take",
            E::Write(..) => "err-write",
            E::Revoked(_) => "err-revoked",
            E::StewardExists { .. } => "err-steward-exists",
            E::Warnings(_) => "err-import-warnings",
            E::Stopped => "err-stopped",
        }
    }

    fn field(&self) -> Option<&str> {
        match self {
            crate::handoff::Error::Vault(e) => e.field(),
            _ => None,
        }
    }

    fn message(&self, lang: Lang) -> String {
        use crate::handoff::{BundleProblem as P, Error as E};
        let id = self.kind();
        let rec = id.replacen("err-", "rec-", 1);
        let what = match self {
            E::Vault(e) => return e.message(lang),
            E::NoSteward(name) => t!(lang, "err-no-steward", name = name.clone()),
            E::NoFile(path) => t!(lang, "err-no-file", path = path.display().to_string()),
            E::TooNew(v) => t!(lang, "err-bundle-too-new", version = v.to_string()),
            E::DuplicateId(i) => t!(lang, "err-duplicate-id", id = i.to_string()),
            E::NoConflict(i) => t!(lang, "err-no-conflict", id = i.to_string()),
            E::BadTake(f) => t!(lang, "err-bad-take", field = f.clone()),
            E::Revoked(name) => t!(lang, "err-revoked", name = name.clone()),
            E::StewardExists { name, old, new } => t!(
                lang,
                "err-steward-exists",
                name = name.clone(),
                old = old.clone(),
                new = new.clone()
            ),
            E::Warnings(w) => {
                let mut text = t!(lang, "err-import-warnings");
                for one in w {
                    text.push_str("\n  - ");
                    text.push_str(&crate::view::warning_text(lang, *one));
                }
                text
            }
            E::Write(path, e) => t!(
                lang,
                "err-write",
                path = path.display().to_string(),
                detail = io_reason(lang, e)
            ),
            E::BadBundle { line, problem } => {
                let problem = match problem {
                    P::Syntax => t!(lang, "problem-bundle-syntax"),
                    P::NoHeader => t!(lang, "problem-bundle-no-header"),
                    P::LineTooLong => t!(lang, "problem-bundle-line-too-long"),
                    P::CountMismatch => t!(lang, "problem-bundle-count-mismatch"),
                    P::AfterEnd => t!(lang, "problem-bundle-after-end"),
                    P::BadClock => t!(lang, "problem-bundle-bad-clock"),
                    P::WrongKind => t!(lang, "problem-bundle-wrong-kind"),
                    P::Invalid(e) => t!(
                        lang,
                        "problem-bundle-invalid",
                        detail = e.message(lang).replace('\n', " ")
                    ),
                };
                t!(
                    lang,
                    "err-bad-bundle",
                    line = line.to_string(),
                    problem = problem
                )
            }
            _ => i18n::text(lang, id),
        };
        pair(what, i18n::text(lang, &rec))
    }
}
