//! Aquí Estamos: the core of an offline-first, encrypted notebook for
//! immigrant-rights organizers.
//!
//! The core knows nothing of Tauri or of terminals: the `aqui` CLI
//! (`src/bin/aqui`) and the desktop shell (`src-tauri/`) are thin layers over it.
//!
//! - [`model`]: the records a chapter keeps, their rules and field parsers
//! - [`identity`]: the steward keys, cards and fingerprints
//! - [`vault`]: the encrypted sled store, in-memory records and search
//! - [`i18n`]: Fluent messages in English and Spanish, and picking a language
//! - [`error`]: errors as `{kind, message}` in the user's language
//! - [`handoff`]: the address book, age export/import with merge, audit log, backup
//! - [`view`]: records as a person reads them (lists, details, home screen)
//! - [`demo`]: the fictional sample chapter
//! - [`html`]: escaping text for the printable pages
//! - [`harden`]: no core dumps, not dumpable (called first in both `main`s)
//! - [`consent`]: consent as a person reads it, the words to read, the paper form
//! - [`report`]: quarterly bulletins and annual reports with no one in them
//! - [`retention`]: rules that purge identities and text but keep the totals
//! - [`app`]: what the desktop app adds: folders, settings, strength hint, idle rule

pub mod app;
pub mod consent;
pub mod csv;
pub mod demo;
pub mod error;
pub mod handoff;
pub mod harden;
pub mod html;
pub mod i18n;
pub mod identity;
pub mod model;
pub mod report;
pub mod retention;

pub mod pledge;
#[cfg(test)]
mod testkit;
pub mod vault;
pub mod view;

pub use error::{Localize, UserError};
pub use i18n::Lang;
pub use model::{Id, Kind, Record};
pub use vault::{Passphrase, Vault};
