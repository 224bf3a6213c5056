//! `aqui`: the command line over the Aquí Estamos core.
//!
//! Parses the command line (`args`), finds the passphrase (`secret`), calls the
//! core, and prints the result as text in the user's language or as JSON
//! (`show`). Exit code 0 on success, 1 on any error, whose message (what went
//! wrong, what to do) goes to stderr in the user's language. It never panics
//! at a person: a bug is caught and reported as one.

mod args;
mod handoff;
mod organize;
mod report;
mod secret;
mod show;

use aqui::error::Localize;
use aqui::vault::{Error as VaultError, KdfParams};
use aqui::{demo, model, t, Lang, Vault};
use args::{ArgError, Command, Globals};
use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

/// Errors of the command line itself, beside the core's.
#[derive(Debug)]
pub enum CliError {
    Vault(VaultError),
    Handoff(aqui::handoff::Error),
    Csv(aqui::csv::Error),
    Args(ArgError),
    PassFile(String),
    NoPassphrase,
    PassEmpty,
    PassMismatch,
    /// A passphrase for a handoff or backup file shorter than the rule.
    FilePassShort,
    NeedYes,
    DemoNotEmpty,
    NoDefaultDir,
    /// A backup locked with a vault's own key, restored without `--from`
    /// while there is no vault in the usual place to open it with.
    RestoreNeedsFrom(PathBuf),
    /// A value of `aqui consent` / `aqui report` that cannot be read.
    BadValue(String),
    Write(String),
    /// A purge was asked for under a hold.
    Held,
}

impl From<VaultError> for CliError {
    fn from(e: VaultError) -> CliError {
        CliError::Vault(e)
    }
}

impl From<aqui::handoff::Error> for CliError {
    fn from(e: aqui::handoff::Error) -> CliError {
        CliError::Handoff(e)
    }
}

impl From<aqui::csv::Error> for CliError {
    fn from(e: aqui::csv::Error) -> CliError {
        CliError::Csv(e)
    }
}

impl Localize for ArgError {
    fn kind(&self) -> &'static str {
        match self {
            ArgError::NoCommand => "err-no-command",
            ArgError::UnknownCommand(_) => "err-unknown-command",
            ArgError::Missing(_) => "err-missing-arg",
            ArgError::UnknownKind(_) => "err-unknown-kind",
            ArgError::BadId(_) => "err-bad-id",
            ArgError::Unexpected(_) => "err-unexpected-arg",
            ArgError::BadLang(_) => "err-bad-lang",
            ArgError::MissingValue(_) => "err-missing-value",
            ArgError::Twice(_) => "err-option-twice",
        }
    }

    /// A command line that cannot be read: see `aqui help`.
    fn recovery(&self) -> String {
        match self {
            ArgError::Twice(_) => "rec-option-twice",
            _ => "rec-usage",
        }
        .into()
    }

    fn what(&self, lang: Lang) -> String {
        match self {
            ArgError::NoCommand => t!(lang, "err-no-command"),
            ArgError::UnknownCommand(c) => t!(lang, "err-unknown-command", command = c.clone()),
            ArgError::Missing(what) => t!(
                lang,
                "err-missing-arg",
                what = aqui::i18n::text(lang, &format!("arg-{what}"))
            ),
            ArgError::UnknownKind(k) => t!(lang, "err-unknown-kind", kind = k.clone()),
            ArgError::BadId(id) => t!(lang, "err-bad-id", id = id.clone()),
            ArgError::Unexpected(a) => t!(lang, "err-unexpected-arg", arg = a.clone()),
            ArgError::BadLang(l) => t!(lang, "err-bad-lang", lang = l.clone()),
            ArgError::MissingValue(o) => t!(lang, "err-missing-value", option = o.clone()),
            ArgError::Twice(o) => t!(lang, "err-option-twice", option = o.clone()),
        }
    }

    fn todo(&self, lang: Lang) -> String {
        match self {
            ArgError::Twice(o) => t!(lang, "rec-option-twice", option = o.clone()),
            _ => t!(lang, "rec-usage"),
        }
    }
}

impl Localize for CliError {
    fn kind(&self) -> &'static str {
        match self {
            CliError::Vault(e) => e.kind(),
            CliError::Handoff(e) => e.kind(),
            CliError::Csv(e) => e.kind(),
            CliError::Args(e) => e.kind(),
            CliError::PassFile(_) => "err-pass-file",
            CliError::NoPassphrase => "err-no-passphrase",
            CliError::PassEmpty => "err-pass-empty",
            CliError::PassMismatch => "err-pass-mismatch",
            CliError::FilePassShort => "err-file-pass-short",
            CliError::NeedYes => "err-wipe-needs-yes",
            CliError::DemoNotEmpty => "err-demo-not-empty",
            CliError::NoDefaultDir => "err-no-default-dir",
            CliError::RestoreNeedsFrom(_) => "err-restore-needs-from",
            CliError::BadValue(_) => "err-bad-value",
            CliError::Write(_) => "err-report-write",
            CliError::Held => "err-held",
        }
    }

    fn wrapped(&self) -> Option<&dyn Localize> {
        match self {
            CliError::Vault(e) => Some(e),
            CliError::Handoff(e) => Some(e),
            CliError::Csv(e) => Some(e),
            CliError::Args(e) => Some(e),
            _ => None,
        }
    }

    fn recovery(&self) -> String {
        match (self, self.wrapped()) {
            (_, Some(w)) => w.recovery(),
            // A value that cannot be read: see `aqui help`.
            (CliError::BadValue(_), None) => "rec-usage".into(),
            (_, None) => aqui::error::recovery_of(self.kind()),
        }
    }

    fn what(&self, lang: Lang) -> String {
        match self {
            CliError::PassFile(path) => t!(lang, "err-pass-file", path = path.clone()),
            CliError::BadValue(v) => t!(lang, "err-bad-value", value = v.clone()),
            CliError::Write(path) => t!(lang, "err-report-write", path = path.clone()),
            _ => match self.wrapped() {
                Some(w) => w.what(lang),
                None => aqui::i18n::text(lang, self.kind()),
            },
        }
    }

    fn todo(&self, lang: Lang) -> String {
        match self {
            CliError::RestoreNeedsFrom(dir) => t!(
                lang,
                "rec-restore-needs-from",
                dir = dir.display().to_string()
            ),
            _ => match self.wrapped() {
                Some(w) => w.todo(lang),
                None => aqui::i18n::text(lang, &self.recovery()),
            },
        }
    }
}

/// What a command prints on success.
pub struct Out {
    lang: Lang,
    json: bool,
    buf: String,
}

impl Out {
    fn line(&mut self, s: impl AsRef<str>) {
        self.buf.push_str(s.as_ref());
        self.buf.push('\n');
    }
    fn json(&mut self, v: &serde_json::Value) {
        let text = serde_json::to_string_pretty(v).unwrap_or_default();
        self.line(text);
    }
}

fn vault_dir(g: &Globals) -> Result<PathBuf, CliError> {
    if let Some(v) = &g.vault {
        return Ok(v.clone());
    }
    if let Some(v) = std::env::var_os("AQUI_VAULT").filter(|v| !v.is_empty()) {
        return Ok(PathBuf::from(v));
    }
    aqui::vault::default_dir().ok_or(CliError::NoDefaultDir)
}

/// Where `aqui demo` puts the sample chapter: the folder given, else the
/// sample chapter's own folder in `lang` (the one the app opens as the
/// sample), never the chapter's real vault. The flag says it is the latter.
fn demo_dir(g: &Globals, lang: Lang) -> Result<(PathBuf, bool), CliError> {
    let given = g.vault.is_some() || std::env::var_os("AQUI_VAULT").is_some_and(|v| !v.is_empty());
    let dir = vault_dir(g)?;
    Ok(if given {
        (dir, false)
    } else {
        (aqui::app::Dirs::beside(&dir).demo_in(lang), true)
    })
}

fn unlock_at(dir: PathBuf, lang: Lang) -> Result<Vault, CliError> {
    if !Vault::exists(&dir) {
        return Err(VaultError::NoVault(dir).into());
    }
    let vault = Vault::unlock(&dir, &secret::current(lang)?)?;
    if !vault.damaged().is_empty() {
        let ids = vault.damaged().join(", ");
        eprintln!(
            "{}",
            t!(
                lang,
                "warn-damaged",
                count = vault.damaged().len(),
                ids = ids
            )
        );
    }
    if vault.read_only() {
        eprintln!("{}", aqui::error::findings_message(vault.findings(), lang));
    }
    Ok(vault)
}

fn unlock(g: &Globals, lang: Lang) -> Result<Vault, CliError> {
    unlock_at(vault_dir(g)?, lang)
}

fn run(g: &Globals, cmd: Command, out: &mut Out) -> Result<(), CliError> {
    let lang = out.lang;
    match cmd {
        Command::Help(None) => {
            out.line(t!(lang, "help-main"));
            out.line(t!(lang, "help-csv"));
        }
        Command::Help(Some(topic)) => {
            out.line(aqui::i18n::text(lang, &format!("help-{topic}")));
            out.line(t!(lang, "help-more"));
        }
        Command::Handoff(h) => handoff::run(g, h, out)?,
        Command::Consent { id, change } => {
            let mut vault = unlock(g, lang)?;
            let change = report::consent_change(&change)?;
            aqui::consent::record(&mut vault, &id, &change)?;
            if out.json {
                out.json(&aqui::view::record_json(&vault, &id));
            } else {
                out.line(t!(lang, "saved", id = id.to_string()));
            }
        }
        Command::Report { period, out: file } => {
            let vault = unlock(g, lang)?;
            report::run(&vault, &period, file, out)?;
        }
        Command::ConsentForm { out: file } => {
            report::consent_form(g.lang.is_some(), file, out)?;
        }
        c @ (Command::Retention { .. } | Command::Purge { .. } | Command::Hold { .. }) => {
            report::retention(g, c, out)?;
        }
        Command::Organize(c) => organize::run(g, c, out)?,
        Command::Init => {
            let dir = vault_dir(g)?;
            if Vault::exists(&dir) {
                return Err(VaultError::AlreadyExists(dir).into());
            }
            Vault::create(&dir, &secret::for_new_vault(lang)?, KdfParams::default())?;
            show::done(
                out,
                t!(lang, "vault-created", dir = dir.display().to_string()),
            );
        }
        Command::Demo => {
            let (dir, shared) = demo_dir(g, lang)?;
            let mut vault = if Vault::exists(&dir) {
                unlock_at(dir.clone(), lang)?
            } else if shared {
                // The app's own sample vault: its fixed passphrase, as the app
                // makes it, so the app opens it without asking.
                let pass = aqui::vault::Passphrase::new(demo::passphrase(lang).to_string());
                Vault::create(&dir, &pass, KdfParams::default())?
            } else {
                Vault::create(&dir, &secret::for_new_vault(lang)?, KdfParams::default())?
            };
            if vault.counts().values().sum::<usize>() > 0 {
                return Err(CliError::DemoNotEmpty);
            }
            let n = demo::fill_in(&mut vault, lang, model::today())?;
            let mut said = t!(
                lang,
                "demo-filled",
                count = n,
                dir = dir.display().to_string()
            );
            if shared {
                said.push('\n');
                said.push_str(&t!(
                    lang,
                    "demo-passphrase",
                    passphrase = demo::passphrase(lang)
                ));
            }
            show::done(out, said);
        }
        Command::Add { kind, fields } => {
            let mut vault = unlock(g, lang)?;
            let mut record = aqui::Record::empty(kind);
            let today = model::today();
            for (f, v) in &fields {
                record.set(f, v, today).map_err(VaultError::from)?;
            }
            let id = vault.add(record)?;
            warn_status(lang, &vault, &id);
            if out.json {
                out.json(&aqui::view::record_json(&vault, &id));
            } else {
                out.line(id.as_str());
            }
        }
        Command::List { kind } => {
            let vault = unlock(g, lang)?;
            show::list(out, &vault, vault.list(kind), Some(kind));
        }
        Command::Search { query } => {
            let vault = unlock(g, lang)?;
            let found = vault.search(&query).into_iter();
            let found = found.filter_map(|id| Some((id, vault.get(id).ok()?)));
            show::list(out, &vault, found.collect(), None);
        }
        Command::Show { id } => {
            let vault = unlock(g, lang)?;
            vault.get(&id)?;
            show::record(out, &vault, &id);
        }
        Command::Edit { id, fields } => {
            let mut vault = unlock(g, lang)?;
            vault.edit(&id, &fields)?;
            warn_status(lang, &vault, &id);
            if out.json {
                out.json(&aqui::view::record_json(&vault, &id));
            } else {
                out.line(t!(lang, "saved", id = id.to_string()));
            }
        }
        Command::Delete { id } => {
            let mut vault = unlock(g, lang)?;
            vault.delete(&id)?;
            show::done(out, t!(lang, "deleted", id = id.to_string()));
        }
        Command::Passwd => {
            let mut vault = unlock(g, lang)?;
            vault.change_passphrase(&secret::replacement(lang)?, KdfParams::default())?;
            show::done(out, t!(lang, "passphrase-changed"));
        }
        Command::Wipe { yes } => {
            if !yes {
                return Err(CliError::NeedYes);
            }
            let dir = vault_dir(g)?;
            Vault::wipe(&dir)?;
            show::done(out, t!(lang, "wiped", dir = dir.display().to_string()));
        }
    }
    Ok(())
}

/// The gentle guard: text that seems to record immigration status is saved,
/// with a warning on stderr.
fn warn_status(lang: Lang, vault: &Vault, id: &aqui::Id) {
    if vault.get(id).is_ok_and(|r| r.mentions_status()) {
        eprintln!("{}", t!(lang, "guard-status-cli"));
    }
}

/// What is printed, with every control character but newline and tab (a
/// terminal escape such as ESC [2J) and every bidi control (which can make
/// text read backwards) written as `\uXXXX`: no file's content, nor a
/// record's, can drive the terminal. (Valid inside JSON strings too.)
fn terminal_safe(s: &str) -> std::borrow::Cow<'_, str> {
    let bad = |c: char| {
        (c.is_control() && c != '\n' && c != '\t')
            || matches!(c, '\u{061C}' | '\u{200E}' | '\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
    };
    if !s.chars().any(bad) {
        return std::borrow::Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 16);
    for c in s.chars() {
        if bad(c) {
            let mut units = [0u16; 2];
            for u in c.encode_utf16(&mut units) {
                out.push_str(&format!("\\u{:04x}", u));
            }
        } else {
            out.push(c);
        }
    }
    std::borrow::Cow::Owned(out)
}

fn main() -> ExitCode {
    // Before any passphrase or key exists: no core dumps.
    aqui::harden::process();
    // Arguments that are not valid Unicode are read lossily rather than panicking.
    let raw: Vec<String> = std::env::args_os()
        .skip(1)
        .map(|a| a.to_string_lossy().into_owned())
        .collect();
    let (globals, cmd) = args::parse(raw);
    let lang = Lang::choose(globals.lang.as_deref());
    // A bug must not greet an organizer with a Rust backtrace: report it plainly.
    std::panic::set_hook(Box::new(|_| {}));
    let mut out = Out {
        lang,
        json: globals.json,
        buf: String::new(),
    };
    let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        let cmd = cmd.map_err(CliError::Args)?;
        run(&globals, cmd, &mut out)
    }));
    match result {
        Ok(Ok(())) => {
            // A closed pipe (`aqui list person | head`) is not an error worth a message.
            let _ = std::io::stdout().write_all(terminal_safe(&out.buf).as_bytes());
            ExitCode::SUCCESS
        }
        Ok(Err(e)) => {
            eprintln!("{}", terminal_safe(&e.message(lang)));
            ExitCode::FAILURE
        }
        Err(panic) => {
            let detail = panic
                .downcast_ref::<&str>()
                .map(|s| s.to_string())
                .or_else(|| panic.downcast_ref::<String>().cloned())
                .unwrap_or_default();
            eprintln!("{}\n{}", t!(lang, "err-internal"), t!(lang, "rec-internal"));
            if !detail.is_empty() {
                eprintln!("{}", t!(lang, "err-detail", detail = detail));
            }
            ExitCode::FAILURE
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every variant of the command line's errors has what went wrong and
    /// what to do in both languages.
    #[test]
    fn every_cli_error_speaks_both_languages() {
        use ArgError as A;
        use CliError as E;
        let args = aqui::every_variant!(ArgError {
            A::NoCommand => A::NoCommand,
            A::UnknownCommand(_) => A::UnknownCommand("x".into()),
            A::Missing(_) => A::Missing("id"),
            A::UnknownKind(_) => A::UnknownKind("x".into()),
            A::BadId(_) => A::BadId("x".into()),
            A::Unexpected(_) => A::Unexpected("x".into()),
            A::BadLang(_) => A::BadLang("x".into()),
            A::MissingValue(_) => A::MissingValue("vault".into()),
            A::Twice(_) => A::Twice("vault".into()),
        });
        let cli = aqui::every_variant!(CliError {
            E::Vault(_) => E::Vault(VaultError::InUse),
            E::Handoff(_) => E::Handoff(aqui::handoff::Error::NotAge),
            E::Csv(_) => E::Csv(aqui::csv::Error::Empty),
            E::Args(_) => E::Args(A::NoCommand),
            E::PassFile(_) => E::PassFile("p".into()),
            E::NoPassphrase => E::NoPassphrase,
            E::PassEmpty => E::PassEmpty,
            E::PassMismatch => E::PassMismatch,
            E::FilePassShort => E::FilePassShort,
            E::NeedYes => E::NeedYes,
            E::DemoNotEmpty => E::DemoNotEmpty,
            E::NoDefaultDir => E::NoDefaultDir,
            E::RestoreNeedsFrom(_) => E::RestoreNeedsFrom(PathBuf::from("v")),
            E::BadValue(_) => E::BadValue("x".into()),
            E::Write(_) => E::Write("r.html".into()),
            E::Held => E::Held,
        });
        let mut all: Vec<&dyn Localize> = args.iter().map(|e| e as &dyn Localize).collect();
        all.extend(cli.iter().map(|e| e as &dyn Localize));
        assert_eq!(aqui::error::missing_ids(&all), Vec::<String>::new());
        for e in &all {
            for lang in Lang::ALL {
                assert!(e.message(lang).lines().count() >= 2, "{}", e.kind());
            }
        }
    }
}
