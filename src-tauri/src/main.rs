// No console window on Windows release builds.
#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

fn main() {
    // Before any thread starts: it may set an environment variable.
    aqui_desktop::choose_renderer();
    // Before any passphrase or key exists: no core dumps.
    aqui::harden::process();
    aqui_desktop::run();
}
