//! The steward handoff commands: identity, steward, export, import,
//! conflicts, resolve, backup, restore, log. Each unlocks the vault, calls
//! `aqui::handoff`, and prints what the core's `view` says.

use crate::args::{Handoff, StewardKeyArg};
use crate::{secret, show, unlock, unlock_at, vault_dir, CliError, Out};
use aqui::handoff::{self, Opener, StewardKey, To};
use aqui::vault::{KdfParams, Vault};
use aqui::view::{self, counts_text, peer_name};
use aqui::{model, t, Lang, Passphrase};
use serde_json::json;

pub fn run(g: &crate::Globals, cmd: Handoff, out: &mut Out) -> Result<(), CliError> {
    let lang = out.lang;
    match cmd {
        Handoff::Identity { card, name } => {
            let mut vault = unlock(g, lang)?;
            if let Some(name) = name {
                handoff::set_own_name(&mut vault, &name)?;
                if !out.json && !card {
                    out.line(t!(lang, "identity-named", name = name));
                }
            }
            identity(out, &vault, card);
        }
        Handoff::StewardAdd { name, key, replace } => {
            let mut vault = unlock(g, lang)?;
            let key = match &key {
                StewardKeyArg::Card(c) => StewardKey::Card(c),
                StewardKeyArg::Key(k) => StewardKey::Key(k),
            };
            let old = vault.steward(&name).map(|s| s.fingerprint());
            let s = handoff::add_steward_as(&mut vault, &name, key, replace)?;
            if out.json {
                out.json(&steward_json(&s));
            } else {
                if let Some(old) = old.filter(|o| *o != s.fingerprint()) {
                    out.line(t!(
                        lang,
                        "steward-replaced",
                        name = s.name.clone(),
                        old = old,
                        new = s.fingerprint()
                    ));
                }
                let fingerprint = s.fingerprint();
                out.line(t!(
                    lang,
                    "steward-added",
                    name = s.name.clone(),
                    fingerprint = fingerprint
                ));
                out.line(t!(lang, "steward-added-hint", name = s.name.clone()));
            }
        }
        Handoff::StewardList => {
            let vault = unlock(g, lang)?;
            let all: Vec<_> = vault.stewards().collect();
            if out.json {
                out.json(&json!(all
                    .iter()
                    .map(|s| steward_json(s))
                    .collect::<Vec<_>>()));
            } else if all.is_empty() {
                out.line(t!(lang, "stewards-empty"));
            }
            let json = out.json;
            for s in all.iter().filter(|_| !json) {
                let state = view::steward_state(lang, s);
                out.line(format!("{}  [{state}]  {}", s.name, s.fingerprint()));
                out.line(format!("    {}", s.keys.age));
            }
        }
        Handoff::StewardVerify { name, fingerprint } => {
            let mut vault = unlock(g, lang)?;
            let s = handoff::verify_steward(&mut vault, &name, fingerprint.as_deref())?;
            show::done(out, t!(lang, "steward-verified", name = s.name));
        }
        Handoff::StewardRevoke { name, reason } => {
            let mut vault = unlock(g, lang)?;
            let s = handoff::revoke_steward(&mut vault, &name, &reason)?;
            show::done(out, t!(lang, "steward-revoked", name = s.name));
        }
        Handoff::StewardRemove { name } => {
            let mut vault = unlock(g, lang)?;
            handoff::remove_steward(&mut vault, &name)?;
            show::done(out, t!(lang, "steward-removed", name = name));
        }
        Handoff::Export {
            to,
            passphrase,
            work_factor,
            selection,
            include_sensitive,
            out: file,
        } => {
            let mut vault = unlock(g, lang)?;
            let plan = handoff::select(&vault, &selection, include_sensitive)?;
            // Recipients are checked before a passphrase is asked for.
            if !passphrase {
                handoff::recipients(&vault, &to)?;
            }
            let pass = passphrase.then(|| secret::for_export(lang)).transpose()?;
            let target = target(pass.as_ref(), work_factor, &to);
            let written = handoff::export(&mut vault, plan, &target, &file)?;
            // For the app's panic wipe list; written and logged either way.
            let _ = vault.note_written(&written.file);
            written_text(out, &written, "export-written");
        }
        Handoff::Import {
            file,
            dry_run,
            accept_warnings,
        } => {
            let mut vault = unlock(g, lang)?;
            let pass = if handoff::needs_passphrase(&file)? {
                Some(secret::for_file(lang)?)
            } else {
                None
            };
            let incoming = if dry_run {
                handoff::open(&vault, &file, pass.as_ref())?
            } else {
                handoff::open_to_apply(&vault, &file, pass.as_ref(), accept_warnings)?
            };
            let preview = if dry_run {
                handoff::preview(&vault, &incoming)?
            } else {
                handoff::apply_checked(&mut vault, incoming, accept_warnings)?
            };
            preview_text(out, &vault, &preview, dry_run);
        }
        Handoff::Conflicts => {
            let vault = unlock(g, lang)?;
            let all = view::conflicts(&vault, lang, model::today());
            if out.json {
                out.json(&json!(all));
            } else if all.is_empty() {
                out.line(t!(lang, "conflicts-empty"));
            } else {
                for c in &all {
                    conflict_text(out, c);
                }
                out.line(t!(lang, "conflict-hint"));
            }
        }
        Handoff::Resolve { id, take } => {
            let mut vault = unlock(g, lang)?;
            handoff::resolve(&mut vault, &id, &take)?;
            show::done(out, t!(lang, "resolved", id = id.to_string()));
        }
        Handoff::Backup {
            out: file,
            passphrase,
            work_factor,
            to,
        } => {
            let mut vault = unlock(g, lang)?;
            let pass = passphrase.then(|| secret::for_export(lang)).transpose()?;
            let target = target(pass.as_ref(), work_factor, &to);
            let written = handoff::backup(&mut vault, &target, &file)?;
            // For the app's panic wipe list; written and logged either way.
            let _ = vault.note_written(&written.file);
            written_text(out, &written, "backup-written");
        }
        Handoff::Restore { file, from } => {
            let dir = vault_dir(g)?;
            if Vault::exists(&dir) {
                return Err(aqui::vault::Error::AlreadyExists(dir).into());
            }
            let vault = if handoff::needs_passphrase(&file)? {
                let pass = secret::for_file(lang)?;
                let new = secret::for_new_vault(lang)?;
                handoff::restore(
                    &file,
                    Opener::Passphrase(&pass),
                    &dir,
                    &new,
                    KdfParams::default(),
                )?
            } else {
                // Encrypted to a vault's own key: open that vault for its key.
                let source = match from {
                    Some(f) => f,
                    None => {
                        let usual = aqui::vault::default_dir().ok_or(CliError::NoDefaultDir)?;
                        // Say which vault it needs, not just that one is missing.
                        if !Vault::exists(&usual) {
                            return Err(CliError::RestoreNeedsFrom(usual));
                        }
                        usual
                    }
                };
                let old = unlock_at(source, lang)?;
                let new = secret::for_new_vault(lang)?;
                handoff::restore(
                    &file,
                    Opener::Keys(old.keys()),
                    &dir,
                    &new,
                    KdfParams::default(),
                )?
            };
            let count = vault.ids().count();
            show::done(
                out,
                t!(
                    lang,
                    "restored",
                    count = count,
                    dir = dir.display().to_string()
                ),
            );
        }
        Handoff::Log { steward } => {
            let vault = unlock(g, lang)?;
            let mut lines = view::log(&vault, lang);
            if let Some(name) = &steward {
                let s = vault
                    .steward(name)
                    .ok_or_else(|| handoff::Error::NoSteward(name.clone()))?;
                let fingerprint = s.fingerprint();
                // By their keys, or by name (what went to them before --replace).
                let name = s.name.clone();
                lines.retain(|l| {
                    l.entry
                        .peers
                        .iter()
                        .any(|p| p.fingerprint == fingerprint || p.name == name)
                });
                if lines.is_empty() && !out.json {
                    out.line(t!(lang, "log-steward-none", name = s.name.clone()));
                }
            }
            if out.json {
                out.json(&json!(lines));
            } else if lines.is_empty() && steward.is_none() {
                out.line(t!(lang, "log-empty"));
            }
            let json = out.json;
            for l in lines.iter().filter(|_| !json) {
                out.line(&l.text);
            }
        }
    }
    Ok(())
}

/// A passphrase (asked for by the caller) with its work factor, else the stewards named.
fn target<'a>(pass: Option<&'a Passphrase>, work_factor: Option<u8>, to: &'a [String]) -> To<'a> {
    match pass {
        Some(p) => To::Passphrase(p, work_factor.unwrap_or(handoff::WORK_FACTOR)),
        None => To::Stewards(to),
    }
}

fn identity(out: &mut Out, vault: &Vault, card_only: bool) {
    let lang = out.lang;
    let keys = vault.keys();
    let public = keys.public();
    if out.json {
        out.json(&json!({
            "age": public.age,
            "fingerprint": public.fingerprint(),
            "signing_key": public.sign,
            "name": keys.name,
            "card": keys.card(),
        }));
    } else if card_only {
        out.line(keys.card());
    } else {
        out.line(t!(lang, "identity-key", key = public.age.clone()));
        out.line(t!(
            lang,
            "identity-fingerprint",
            fingerprint = public.fingerprint()
        ));
        if !keys.name.is_empty() {
            out.line(t!(lang, "identity-name", name = keys.name.clone()));
        }
        out.line(t!(lang, "identity-hint"));
    }
}

fn steward_json(s: &aqui::identity::Steward) -> serde_json::Value {
    json!({
        "name": s.name,
        "age": s.keys.age,
        "signing_key": s.keys.sign,
        "fingerprint": s.fingerprint(),
        "verified": s.verified,
        "added": s.added,
        "revoked": s.revoked,
    })
}

fn written_text(out: &mut Out, w: &handoff::Written, done: &str) {
    let lang = out.lang;
    if out.json {
        out.json(&json!(w));
        return;
    }
    out.line(t!(lang, "export-preview"));
    out.line(format!("  {}", counts_text(lang, &w.plan.counts)));
    if w.plan.deletions > 0 {
        out.line(format!(
            "  {}",
            t!(lang, "count-deletions", count = w.plan.deletions)
        ));
    }
    let ex = w.plan.excluded;
    if ex.sensitive + ex.no_consent > 0 {
        out.line(t!(
            lang,
            "export-excluded",
            sensitive = ex.sensitive,
            noconsent = ex.no_consent
        ));
    }
    if w.plan.sensitive_included {
        out.line(t!(lang, "export-sensitive-included"));
    }
    if !w.plan.mentions.is_empty() {
        let titles: Vec<String> = w.plan.mentions.iter().map(|t| format!("“{t}”")).collect();
        out.line(t!(
            lang,
            "export-mentions",
            count = w.plan.mentions.len(),
            titles = titles.join(", ")
        ));
    }
    if w.passphrase {
        out.line(t!(lang, "export-to-passphrase"));
    } else {
        let who: Vec<String> = w.recipients.iter().map(peer_name).collect();
        out.line(t!(lang, "export-to", who = who.join(", ")));
    }
    let file = w.file.display().to_string();
    let to = if w.passphrase {
        "passphrase"
    } else {
        "stewards"
    };
    out.line(aqui::i18n::text_args(
        lang,
        done,
        &[("file", file), ("to", to.into())],
    ));
}

fn preview_text(out: &mut Out, vault: &Vault, p: &handoff::Preview, dry_run: bool) {
    let lang = out.lang;
    if out.json {
        out.json(&json!({ "preview": p, "applied": !dry_run }));
        return;
    }
    // The same words the app shows: who sent it, and the totals.
    let v = view::import_view(lang, 0, p, !dry_run);
    out.line(&v.from);
    if p.sender.trust == Some(handoff::Trust::Unknown) {
        out.line(t!(lang, "import-unknown-warning"));
    }
    for w in &v.warnings {
        out.line(t!(lang, "import-warning-line", warning = w.clone()));
    }
    for k in &v.kinds {
        let n = k.tally;
        out.line(format!(
            "  {}",
            t!(
                lang,
                "import-kind-line",
                kind = aqui::error::kind_label(lang, k.kind),
                new = n.new,
                updated = n.updated,
                deleted = n.deleted,
                unchanged = n.unchanged,
                conflict = n.conflict
            )
        ));
    }
    out.line(&v.total);
    if let Some(h) = &v.held_heading {
        out.line(h);
        for held in view::held_views(vault, lang, p) {
            out.line(format!("  {}", held.text));
        }
    }
    let n = p.total;
    if dry_run {
        if !v.warnings.is_empty() {
            out.line(t!(lang, "import-accept-hint"));
        }
        out.line(t!(lang, "import-dry-run"));
    } else {
        out.line(t!(lang, "import-applied", conflict = n.conflict));
    }
}

fn conflict_text(out: &mut Out, c: &view::ConflictView) {
    let lang: Lang = out.lang;
    out.line(t!(
        lang,
        "conflict-head",
        id = c.id.to_string(),
        kind = c.kind_label.clone(),
        title = c.title.clone(),
        from = c.from.clone()
    ));
    if !c.held.is_empty() {
        out.line(format!(
            "  {}",
            t!(lang, "conflict-held", reasons = c.held.join(", "))
        ));
    }
    if c.mine_deleted {
        out.line(format!("  {}", t!(lang, "conflict-deleted-mine")));
    }
    if c.theirs_deleted {
        out.line(format!(
            "  {}",
            t!(lang, "conflict-deleted-theirs", from = c.from.clone())
        ));
    }
    for f in &c.fields {
        out.line(format!(
            "  {}",
            t!(
                lang,
                "conflict-field",
                field = format!("{} ({})", f.label, f.name),
                mine = crate::show::spans(lang, &f.mine),
                theirs = crate::show::spans(lang, &f.theirs)
            )
        ));
    }
}
