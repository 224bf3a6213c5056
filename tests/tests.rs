//! The integration tests of the core and the `aqui` CLI: one binary, so the
//! crate is linked once. Helpers live in `util`.

mod util;

// The CLI contract, end to end through the real binary, in English and Spanish.
mod cli;
// The handoff commands of the CLI contract, between several vaults.
mod cli_handoff;
// A child process adding records is SIGKILLed at random; every id it printed survives.
mod crash;
// Steward handoff: vaults handing records around, conflicts, bad files, age interop.
mod handoff;
// Altered bytes in sled's files: a clear error or the damaged records reported, never a panic.
mod damage;
// The library API: round trips, references, all-or-nothing batches, tombstones.
mod library;
// Every message id in both locales, with the same variables; run-time ids exist.
mod locales;
// Planted names, phones and note text never reach disk as plain bytes.
mod plaintext;
// Case- and accent-insensitive search, by organization and by tag.
mod search;
// Spreadsheets in and out, paper signature batches, the wait on a held lock.
mod organizer;
