//! Where a passphrase comes from: `AQUI_PASSPHRASE_FILE` (its first line),
//! else `AQUI_PASSPHRASE`, else a prompt on the terminal that does not echo.
//! A handoff file's own passphrase comes from `AQUI_EXPORT_PASSPHRASE_FILE`,
//! else a prompt.

use crate::CliError;
use aqui::{t, Lang, Passphrase};

fn first_line(var: &str) -> Result<Option<Passphrase>, CliError> {
    let Some(path) = std::env::var_os(var) else {
        return Ok(None);
    };
    let bytes = std::fs::read(&path)
        .map_err(|_| CliError::PassFile(path.to_string_lossy().into_owned()))?;
    let text = String::from_utf8(bytes)
        .map_err(|_| CliError::PassFile(path.to_string_lossy().into_owned()))?;
    let line = text.lines().next().unwrap_or_default().to_string();
    Ok(Some(Passphrase::new(line)))
}

fn prompt(text: &str) -> Result<Passphrase, CliError> {
    rpassword::prompt_password(format!("{text} "))
        .map(Passphrase::new)
        .map_err(|_| CliError::NoPassphrase)
}

fn non_empty(p: Passphrase) -> Result<Passphrase, CliError> {
    if p.is_empty() {
        Err(CliError::PassEmpty)
    } else {
        Ok(p)
    }
}

fn twice(lang: Lang) -> Result<Passphrase, CliError> {
    twice_with(
        &t!(lang, "prompt-new-passphrase"),
        &t!(lang, "prompt-repeat-passphrase"),
    )
}

fn twice_with(first: &str, again: &str) -> Result<Passphrase, CliError> {
    let first = non_empty(prompt(first)?)?;
    let second = prompt(again)?;
    if first.expose() != second.expose() {
        return Err(CliError::PassMismatch);
    }
    Ok(first)
}

/// A new passphrase for a vault: refused when too short (the core's rule,
/// the same as the app's), with a hint when it is not long yet.
fn new_for_vault(lang: Lang, p: Passphrase) -> Result<Passphrase, CliError> {
    p.check_new()?;
    hint(lang, &p);
    Ok(p)
}

/// A new passphrase should be long; say so, but do not refuse it.
fn hint(lang: Lang, p: &Passphrase) {
    if p.wants_hint() {
        eprintln!("{}", t!(lang, "warn-short-passphrase"));
    }
}

/// The passphrase of an existing vault.
pub fn current(lang: Lang) -> Result<Passphrase, CliError> {
    if let Some(p) = first_line("AQUI_PASSPHRASE_FILE")? {
        return non_empty(p);
    }
    if let Ok(p) = std::env::var("AQUI_PASSPHRASE") {
        return non_empty(Passphrase::new(p));
    }
    non_empty(prompt(&t!(lang, "prompt-passphrase"))?)
}

/// The passphrase for a new vault (asked twice when prompted).
pub fn for_new_vault(lang: Lang) -> Result<Passphrase, CliError> {
    let p = match first_line("AQUI_PASSPHRASE_FILE")? {
        Some(p) => non_empty(p)?,
        None => match std::env::var("AQUI_PASSPHRASE") {
            Ok(p) => non_empty(Passphrase::new(p))?,
            Err(_) => twice(lang)?,
        },
    };
    new_for_vault(lang, p)
}

/// The new passphrase for `aqui passwd`.
pub fn replacement(lang: Lang) -> Result<Passphrase, CliError> {
    let p = match first_line("AQUI_NEW_PASSPHRASE_FILE")? {
        Some(p) => non_empty(p)?,
        None => twice(lang)?,
    };
    new_for_vault(lang, p)
}

/// The passphrase to encrypt an export or backup with (asked twice).
pub fn for_export(lang: Lang) -> Result<Passphrase, CliError> {
    let p = match first_line("AQUI_EXPORT_PASSPHRASE_FILE")? {
        Some(p) => non_empty(p)?,
        None => twice_with(
            &t!(lang, "prompt-export-passphrase"),
            &t!(lang, "prompt-export-repeat"),
        )?,
    };
    // The same rule as a vault's, with the advice of a file's.
    p.check_new().map_err(|_| CliError::FilePassShort)?;
    hint(lang, &p);
    Ok(p)
}

/// The passphrase of a file being imported or restored.
pub fn for_file(lang: Lang) -> Result<Passphrase, CliError> {
    match first_line("AQUI_EXPORT_PASSPHRASE_FILE")? {
        Some(p) => non_empty(p),
        None => non_empty(prompt(&t!(lang, "prompt-file-passphrase"))?),
    }
}
