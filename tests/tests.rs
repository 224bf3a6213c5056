//! The integration tests of the core and the `aqui` CLI: one binary, so the
//! crate is linked once. Helpers live in `util`.

mod util;

// The CLI contract, end to end through the real binary, in English and Spanish.
mod cli;
// The handoff commands of the CLI contract, between several vaults.
mod cli_handoff;
// Consent with a record: out of exports until asked, withdrawal, history through a handoff.
mod consent;
// A child process adding records is SIGKILLed at random; every id it printed survives.
mod crash;
// Vaults and bundles of earlier formats, committed, keep opening.
mod frozen;
// Steward handoff: vaults handing records around, conflicts, bad files, age interop.
mod handoff;
// Altered bytes in sled's files: a clear error or the damaged records reported, never a panic.
mod damage;
// The library API: round trips, references, all-or-nothing batches, tombstones.
mod library;
// The core's modules only look down: the layer table, checked over every file in src/.
mod layers;
// Every message id in both locales, with the same variables; run-time ids exist.
mod locales;
// Property tests: clock laws, merge order and repeats, search against a scan, forms.
mod props;
// Planted names, phones and note text never reach disk as plain bytes.
mod plaintext;
// Re-key, manifest, migration to format 3, header authenticated, no core dumps.
mod rest;
// Reports with no one in them; the headcount; the free-text guard.
mod report;
// Retention: a purge removes what the rules say, a hold stops it, past totals stay.
mod retention;
// Case- and accent-insensitive search, by organization and by tag.
mod search;
// Spreadsheets in and out, paper signature batches, the wait on a held lock.
mod organizer;
