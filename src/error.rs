//! Errors as a person sees them.
//!
//! Each area of the core has its own error enum (`vault::Error`,
//! `handoff::Error`, `csv::Error`, `model::FieldError`…), and the app and
//! the CLI have theirs. Every one of them implements [`Localize`]: it names
//! the Fluent id of what went wrong (`err-…`, stable, for the app to branch
//! on), and the trait derives the rest — the id of what to do (`rec-…`), the
//! message in the person's language (what went wrong, then what to do), and
//! the `UserError` the app receives over IPC. An error only says more where
//! its messages take arguments or its advice is shared with others.
//!
//! This module sits below the app and the view: it imports neither.

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

/// The id of what to do for the error `kind`: `err-x` → `rec-x`.
pub fn recovery_of(kind: &str) -> String {
    match kind.strip_prefix("err-") {
        Some(rest) => format!("rec-{rest}"),
        None => kind.to_string(),
    }
}

/// An error that explains itself in the user's language.
///
/// Implementers name `kind` (an exhaustive match, so a new variant cannot
/// go without an id) and, for a variant that wraps another error,
/// `wrapped`; everything else has a default: the recovery id is derived
/// from `kind`, and both messages are read without arguments. Override
/// `what` or `todo` for a message that takes arguments, and `recovery`
/// only for advice shared by several errors.
pub trait Localize {
    /// The Fluent id of what went wrong (`err-…`).
    fn kind(&self) -> &'static str;

    /// The error this one only carries (`AppError::Vault(e)` → `e`), which
    /// then speaks for it.
    fn wrapped(&self) -> Option<&dyn Localize> {
        None
    }

    /// The Fluent id of what to do: `rec-…` for `err-…`.
    fn recovery(&self) -> String {
        match self.wrapped() {
            Some(w) => w.recovery(),
            None => recovery_of(self.kind()),
        }
    }

    /// What went wrong, in `lang`.
    fn what(&self, lang: Lang) -> String {
        match self.wrapped() {
            Some(w) => w.what(lang),
            None => i18n::text(lang, self.kind()),
        }
    }

    /// What to do, in `lang`.
    fn todo(&self, lang: Lang) -> String {
        match self.wrapped() {
            Some(w) => w.todo(lang),
            None => i18n::text(lang, &self.recovery()),
        }
    }

    /// What went wrong and what to do, in `lang`, one per line.
    fn message(&self, lang: Lang) -> String {
        format!("{}\n{}", self.what(lang), self.todo(lang))
    }

    /// The field this error is about, if it is about one.
    fn field(&self) -> Option<&str> {
        self.wrapped().and_then(|w| w.field())
    }

    fn to_user(&self, lang: Lang) -> UserError {
        UserError {
            kind: self.kind().to_string(),
            message: self.message(lang),
            field: self.field().map(str::to_string),
        }
    }
}

/// One example of every variant of an error enum, as a `Vec`, for tests
/// that walk them all: `every_variant!(Error { Error::A => Error::A, Error::B(_) => Error::B(1) })`.
/// The patterns are matched exhaustively against the enum, so a new variant
/// fails to build until it has an example here; each example must match its
/// own pattern.
#[doc(hidden)]
#[macro_export]
macro_rules! every_variant {
    ($ty:ty { $($pat:pat => $example:expr),+ $(,)? }) => {{
        #[allow(dead_code)]
        fn covers(e: &$ty) {
            match e {
                $($pat => {}),+
            }
        }
        let all: Vec<$ty> = vec![$($example),+];
        let mut each = all.iter();
        $(assert!(
            matches!(each.next(), Some($pat)),
            "an example of {} does not match {}",
            stringify!($ty),
            stringify!($pat)
        );)+
        all
    }};
}

/// The ids of `errors` that are missing from either locale's own file
/// (empty when every one is there): what went wrong and what to do.
pub fn missing_ids(errors: &[&dyn Localize]) -> Vec<String> {
    let mut missing = Vec::new();
    for e in errors {
        for id in [e.kind().to_string(), e.recovery()] {
            for lang in Lang::ALL {
                if !i18n::has_message(lang, &id) {
                    missing.push(format!("{id} ({})", lang.as_str()));
                }
            }
        }
    }
    missing
}

impl Localize for Error {
    fn kind(&self) -> &'static str {
        match self {
            Error::NoVault(_) => "err-no-vault",
            Error::AlreadyExists(_) => "err-vault-exists",
            Error::WrongPassphrase => "err-wrong-passphrase",
            Error::PassShort => "err-pass-short",
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

    fn wrapped(&self) -> Option<&dyn Localize> {
        match self {
            Error::Invalid(e) => Some(e),
            _ => None,
        }
    }

    fn what(&self, lang: Lang) -> String {
        match self {
            Error::NoVault(dir) => t!(lang, "err-no-vault", dir = dir.display().to_string()),
            Error::AlreadyExists(dir) => {
                t!(lang, "err-vault-exists", dir = dir.display().to_string())
            }
            Error::Damaged(damage) => t!(lang, "err-vault-damaged", reason = damage.message(lang)),
            Error::TooNew(n) => t!(lang, "err-vault-too-new", format = n.to_string()),
            Error::NotFound(id) => t!(lang, "err-not-found", id = id.to_string()),
            Error::Invalid(e) => e.what(lang),
            Error::Io(e) => t!(lang, "err-io", reason = io_reason(lang, e)),
            _ => i18n::text(lang, self.kind()),
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
            Damage::Record => t!(lang, "damage-record"),
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
pub fn io_reason(lang: Lang, e: &std::io::Error) -> String {
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

impl Problem {
    /// The Fluent id of this problem (`problem-…`).
    pub fn id(&self) -> &'static str {
        match self {
            Problem::Required => "problem-required",
            Problem::TooLong { .. } => "problem-too-long",
            Problem::ControlChars => "problem-control-chars",
            Problem::BadDate => "problem-bad-date",
            Problem::BadNumber { .. } => "problem-bad-number",
            Problem::BadPhone => "problem-bad-phone",
            Problem::BadEmail => "problem-bad-email",
            Problem::BadSignal => "problem-bad-signal",
            Problem::BadChoice { .. } => "problem-bad-choice",
            Problem::BadBool => "problem-bad-bool",
            Problem::BadId => "problem-bad-id",
            Problem::Missing => "problem-missing",
            Problem::WrongKind { .. } => "problem-wrong-kind",
            Problem::UnknownField => "problem-unknown-field",
            Problem::TooMany { .. } => "problem-too-many",
            Problem::BadChar { .. } => "problem-bad-char",
            Problem::InUse => "problem-in-use",
        }
    }

    /// What is wrong with the value, in `lang`.
    pub fn message(&self, lang: Lang) -> String {
        match self {
            Problem::TooLong { max } => t!(lang, "problem-too-long", max = max.to_string()),
            Problem::BadNumber { min, max } => t!(
                lang,
                "problem-bad-number",
                min = min.to_string(),
                max = max.to_string()
            ),
            Problem::BadChoice { allowed } => {
                t!(lang, "problem-bad-choice", allowed = allowed.clone())
            }
            Problem::WrongKind { expected } => t!(
                lang,
                "problem-wrong-kind",
                expected = kind_label(lang, *expected)
            ),
            Problem::TooMany { max } => t!(lang, "problem-too-many", max = max.to_string()),
            Problem::BadChar { ch } => t!(lang, "problem-bad-char", char = ch.to_string()),
            _ => i18n::text(lang, self.id()),
        }
    }
}

/// A field's error: "The value of Phone is not valid", then the problem,
/// which says what to do.
impl Localize for FieldError {
    fn kind(&self) -> &'static str {
        "err-invalid-field"
    }

    fn recovery(&self) -> String {
        self.problem.id().to_string()
    }

    fn what(&self, lang: Lang) -> String {
        t!(
            lang,
            "err-invalid-field",
            field = field_label(lang, &self.field)
        )
    }

    fn todo(&self, lang: Lang) -> String {
        self.problem.message(lang)
    }

    fn field(&self) -> Option<&str> {
        Some(&self.field)
    }
}

impl crate::handoff::Warning {
    /// The warning, in a sentence.
    pub fn message(self, lang: Lang) -> String {
        use crate::handoff::Warning as W;
        i18n::text(
            lang,
            match self {
                W::UnknownSender => "warning-unknown-sender",
                W::KeyOnly => "warning-key-only",
                W::NotForUs => "warning-not-for-us",
                W::OldFormat => "warning-old-format",
                W::BadSenderName => "warning-bad-sender-name",
            },
        )
    }
}

/// What is wrong with a line of a bundle: the problem inside
/// `err-bad-bundle`, whose advice it shares.
impl Localize for crate::handoff::BundleProblem {
    fn kind(&self) -> &'static str {
        use crate::handoff::BundleProblem as P;
        match self {
            P::Syntax => "problem-bundle-syntax",
            P::NoHeader => "problem-bundle-no-header",
            P::LineTooLong => "problem-bundle-line-too-long",
            P::CountMismatch => "problem-bundle-count-mismatch",
            P::AfterEnd => "problem-bundle-after-end",
            P::BadClock => "problem-bundle-bad-clock",
            P::WrongKind => "problem-bundle-wrong-kind",
            P::Invalid(_) => "problem-bundle-invalid",
        }
    }

    fn recovery(&self) -> String {
        "rec-bad-bundle".into()
    }

    fn what(&self, lang: Lang) -> String {
        match self {
            crate::handoff::BundleProblem::Invalid(e) => t!(
                lang,
                "problem-bundle-invalid",
                detail = e.message(lang).replace('\n', " ")
            ),
            _ => i18n::text(lang, self.kind()),
        }
    }
}

impl Localize for crate::handoff::Error {
    fn kind(&self) -> &'static str {
        use crate::handoff::Error as E;
        match self {
            E::Vault(e) => e.kind(),
            E::Identity(e) => e.kind(),
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
            E::Unreadable(_) => "err-export-unreadable",
        }
    }

    fn wrapped(&self) -> Option<&dyn Localize> {
        match self {
            crate::handoff::Error::Vault(e) => Some(e),
            crate::handoff::Error::Identity(e) => Some(e),
            _ => None,
        }
    }

    fn what(&self, lang: Lang) -> String {
        use crate::handoff::Error as E;
        match self {
            E::Vault(e) => e.what(lang),
            E::Identity(e) => e.what(lang),
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
                    text.push_str(&one.message(lang));
                }
                text
            }
            E::Write(path, e) => t!(
                lang,
                "err-write",
                path = path.display().to_string(),
                detail = io_reason(lang, e)
            ),
            E::BadBundle { line, problem } => t!(
                lang,
                "err-bad-bundle",
                line = line.to_string(),
                problem = problem.what(lang)
            ),
            _ => i18n::text(lang, self.kind()),
        }
    }
}

/// A key, card or name that cannot be read; a handoff error that carries
/// one (`handoff::Error::Identity`) says the same.
impl Localize for crate::identity::Error {
    fn kind(&self) -> &'static str {
        use crate::identity::Error as E;
        match self {
            E::BadKey => "err-bad-key",
            E::BadCard => "err-bad-card",
            E::BadStewardName => "err-bad-steward-name",
        }
    }
}

impl Localize for crate::retention::PurgeError {
    fn kind(&self) -> &'static str {
        match self {
            crate::retention::PurgeError::Held => "err-held",
            crate::retention::PurgeError::Vault(e) => e.kind(),
        }
    }

    fn wrapped(&self) -> Option<&dyn Localize> {
        match self {
            crate::retention::PurgeError::Vault(e) => Some(e),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::handoff::{BundleProblem, Error as HandoffError, Warning};
    use crate::model::Id;
    use std::path::PathBuf;

    fn io() -> std::io::Error {
        std::io::Error::other("x")
    }

    fn field(problem: Problem) -> FieldError {
        FieldError::new("phone", problem)
    }

    fn all_field_errors() -> Vec<FieldError> {
        every_variant!(Problem {
            Problem::Required => Problem::Required,
            Problem::TooLong { .. } => Problem::TooLong { max: 3 },
            Problem::ControlChars => Problem::ControlChars,
            Problem::BadDate => Problem::BadDate,
            Problem::BadNumber { .. } => Problem::BadNumber { min: 1, max: 9 },
            Problem::BadPhone => Problem::BadPhone,
            Problem::BadEmail => Problem::BadEmail,
            Problem::BadSignal => Problem::BadSignal,
            Problem::BadChoice { .. } => Problem::BadChoice { allowed: "a, b".into() },
            Problem::BadBool => Problem::BadBool,
            Problem::BadId => Problem::BadId,
            Problem::Missing => Problem::Missing,
            Problem::WrongKind { .. } => Problem::WrongKind { expected: Kind::Org },
            Problem::UnknownField => Problem::UnknownField,
            Problem::TooMany { .. } => Problem::TooMany { max: 2 },
            Problem::BadChar { .. } => Problem::BadChar { ch: ',' },
            Problem::InUse => Problem::InUse,
        })
        .into_iter()
        .map(field)
        .collect()
    }

    fn all_vault_errors() -> Vec<Error> {
        every_variant!(Error {
            Error::NoVault(_) => Error::NoVault(PathBuf::from("v")),
            Error::AlreadyExists(_) => Error::AlreadyExists(PathBuf::from("v")),
            Error::WrongPassphrase => Error::WrongPassphrase,
            Error::PassShort => Error::PassShort,
            Error::InUse => Error::InUse,
            Error::Damaged(_) => Error::Damaged(Damage::Store),
            Error::TooNew(_) => Error::TooNew(9),
            Error::NotFound(_) => Error::NotFound(Id::new(Kind::Person)),
            Error::Invalid(_) => Error::Invalid(field(Problem::BadPhone)),
            Error::DiskFull => Error::DiskFull,
            Error::ReadOnly => Error::ReadOnly,
            Error::Io(_) => Error::Io(io()),
        })
    }

    fn all_bundle_problems() -> Vec<BundleProblem> {
        use BundleProblem as P;
        every_variant!(BundleProblem {
            P::Syntax => P::Syntax,
            P::NoHeader => P::NoHeader,
            P::LineTooLong => P::LineTooLong,
            P::CountMismatch => P::CountMismatch,
            P::AfterEnd => P::AfterEnd,
            P::BadClock => P::BadClock,
            P::WrongKind => P::WrongKind,
            P::Invalid(_) => P::Invalid(field(Problem::Required)),
        })
    }

    fn all_handoff_errors() -> Vec<HandoffError> {
        use HandoffError as E;
        let id = || Id::new(Kind::Note);
        every_variant!(HandoffError {
            E::Vault(_) => E::Vault(Error::InUse),
            E::Identity(_) => E::Identity(crate::identity::Error::BadCard),
            E::NoSteward(_) => E::NoSteward("Ana".into()),
            E::FingerprintMismatch => E::FingerprintMismatch,
            E::NoRecipients => E::NoRecipients,
            E::NoFile(_) => E::NoFile(PathBuf::from("f")),
            E::NotAge => E::NotAge,
            E::NotForYou => E::NotForYou,
            E::NeedsPassphrase => E::NeedsPassphrase,
            E::WrongPassphrase => E::WrongPassphrase,
            E::TooMuchWork => E::TooMuchWork,
            E::Truncated => E::Truncated,
            E::Altered => E::Altered,
            E::TooNew(_) => E::TooNew(9),
            E::BadBundle { .. } => E::BadBundle { line: 2, problem: BundleProblem::Syntax },
            E::DuplicateId(_) => E::DuplicateId(id()),
            E::TooLarge => E::TooLarge,
            E::BadSignature => E::BadSignature,
            E::NotBackup => E::NotBackup,
            E::IsBackup => E::IsBackup,
            E::NoConflict(_) => E::NoConflict(id()),
            E::BadTake(_) => E::BadTake("x".into()),
            E::Write(..) => E::Write(PathBuf::from("f"), io()),
            E::Revoked(_) => E::Revoked("Ana".into()),
            E::StewardExists { .. } => E::StewardExists {
                name: "Ana".into(),
                old: "1".into(),
                new: "2".into()
            },
            E::Warnings(_) => E::Warnings(vec![Warning::UnknownSender, Warning::OldFormat]),
            E::Stopped => E::Stopped,
            E::Unreadable(_) => E::Unreadable(id()),
        })
    }

    fn all_identity_errors() -> Vec<crate::identity::Error> {
        use crate::identity::Error as E;
        every_variant!(E {
            E::BadKey => E::BadKey,
            E::BadCard => E::BadCard,
            E::BadStewardName => E::BadStewardName,
        })
    }

    fn all_purge_errors() -> Vec<crate::retention::PurgeError> {
        use crate::retention::PurgeError as E;
        every_variant!(E {
            E::Held => E::Held,
            E::Vault(_) => E::Vault(Error::DiskFull),
        })
    }

    /// Every variant of every error enum of the core has what went wrong
    /// and what to do in both languages, and reads as two lines or more.
    #[test]
    fn every_error_of_the_core_speaks_both_languages() {
        let (fields, vault, bundle) = (
            all_field_errors(),
            all_vault_errors(),
            all_bundle_problems(),
        );
        let (handoff, purge) = (all_handoff_errors(), all_purge_errors());
        let identity = all_identity_errors();
        let mut all: Vec<&dyn Localize> = Vec::new();
        all.extend(fields.iter().map(|e| e as &dyn Localize));
        all.extend(vault.iter().map(|e| e as &dyn Localize));
        all.extend(bundle.iter().map(|e| e as &dyn Localize));
        all.extend(handoff.iter().map(|e| e as &dyn Localize));
        all.extend(purge.iter().map(|e| e as &dyn Localize));
        all.extend(identity.iter().map(|e| e as &dyn Localize));
        // The identity's errors say what the handoff errors they become say.
        for e in &identity {
            let as_handoff = HandoffError::from(*e);
            assert_eq!(e.message(Lang::Es), as_handoff.message(Lang::Es));
        }
        assert_eq!(missing_ids(&all), Vec::<String>::new());
        for e in &all {
            for lang in Lang::ALL {
                let m = e.message(lang);
                assert!(m.lines().count() >= 2 && !m.contains("{"), "{m}");
            }
        }
    }

    #[test]
    fn the_recovery_id_follows_the_error_id() {
        assert_eq!(recovery_of("err-vault-in-use"), "rec-vault-in-use");
        assert_eq!(Error::InUse.recovery(), "rec-vault-in-use");
        let e = HandoffError::Vault(Error::Invalid(field(Problem::BadPhone)));
        assert_eq!(e.kind(), "err-invalid-field");
        assert_eq!(e.recovery(), "problem-bad-phone");
        assert_eq!(e.field(), Some("phone"));
        let bundle = HandoffError::BadBundle {
            line: 4,
            problem: BundleProblem::AfterEnd,
        };
        assert_eq!(bundle.recovery(), "rec-bad-bundle");
    }
}
