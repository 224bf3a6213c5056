//! The audit log as a person reads it: every export, import, backup,
//! restore and spreadsheet, newest first, in a sentence each.

use super::{counts_text, peer_name};
use crate::i18n::{date, text, Lang};
use crate::t;
use crate::vault::Vault;
use serde::Serialize;

/// An audit log entry as a person reads it.
#[derive(Clone, Debug, Serialize)]
pub struct LogLine {
    pub time: String,
    pub action: String,
    pub text: String,
    pub entry: crate::handoff::LogEntry,
}

pub fn log(vault: &Vault, lang: Lang) -> Vec<LogLine> {
    use crate::handoff::Action;
    vault
        .log()
        .iter()
        .rev()
        .map(|e| {
            let local = e.time.with_timezone(&chrono::Local);
            let time = format!(
                "{} {}",
                date(lang, local.date_naive()),
                crate::i18n::time(lang, local.time())
            );
            let action = text(
                lang,
                &format!(
                    "log-action-{}",
                    match e.action {
                        Action::Export => "export",
                        Action::Import => "import",
                        Action::Backup => "backup",
                        Action::Restore => "restore",
                        Action::CsvExport => "csv-export",
                        Action::CsvImport => "csv-import",
                    }
                ),
            );
            let mut parts = vec![counts_text(lang, &e.counts)];
            if e.deletions > 0 {
                parts.push(t!(lang, "count-deletions", count = e.deletions));
            }
            let who: Vec<String> = e.peers.iter().map(peer_name).collect();
            if !who.is_empty() {
                let who = who.join(", ");
                parts.push(match e.action {
                    Action::Export | Action::Backup => t!(lang, "log-to", who = who),
                    _ => t!(lang, "log-from", who = who),
                });
            }
            if e.passphrase {
                parts.push(t!(lang, "log-passphrase"));
            }
            if e.sensitive_included {
                parts.push(t!(lang, "log-sensitive-included"));
            }
            let left = e.excluded.sensitive + e.excluded.no_consent;
            if left > 0 {
                parts.push(t!(lang, "log-excluded", count = left));
            }
            let text = t!(
                lang,
                "log-line",
                time = time.clone(),
                action = action.clone(),
                counts = parts.join("; ")
            );
            LogLine {
                time,
                action,
                text,
                entry: e.clone(),
            }
        })
        .collect()
}
