// Generates the permissions for the app's own commands (allow-<command>), so
// the capability in capabilities/main.json can grant exactly these.
const COMMANDS: &[&str] = &[
    "app_status",
    "change_passphrase",
    "create_vault",
    "delete_record",
    "details",
    "form_spec",
    "home",
    "list",
    "lock",
    "messages",
    "open_demo",
    "panic_wipe",
    "passphrase_strength",
    "save",
    "search",
    "set_auto_lock",
    "set_lang",
    "touch",
    "unlock",
];

fn main() {
    tauri_build::try_build(
        tauri_build::Attributes::new()
            .app_manifest(tauri_build::AppManifest::new().commands(COMMANDS)),
    )
    .expect("tauri-build");
}
