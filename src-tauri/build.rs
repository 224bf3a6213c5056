// Generates the permissions for the app's own commands (allow-<command>), so
// the capability in capabilities/main.json can grant exactly these.
const COMMANDS: &[&str] = &[
    "add_steward",
    "app_status",
    "audit_log",
    "backup",
    "change_passphrase",
    "conflicts",
    "create_vault",
    "csv_export",
    "csv_import",
    "csv_preview",
    "delete_record",
    "details",
    "door_texts",
    "export",
    "export_preview",
    "form_spec",
    "handoff_defaults",
    "home",
    "identity",
    "import_apply",
    "import_preview",
    "items_of",
    "leave_door",
    "list",
    "lock",
    "messages",
    "open_demo",
    "panic_wipe",
    "passphrase_strength",
    "pick",
    "remove_steward",
    "resolve",
    "save",
    "search",
    "sensitive_people",
    "set_auto_lock",
    "set_lang",
    "set_own_name",
    "sign_in",
    "stewards",
    "touch",
    "unlock",
    "verify_steward",
];

fn main() {
    tauri_build::try_build(
        tauri_build::Attributes::new()
            .app_manifest(tauri_build::AppManifest::new().commands(COMMANDS)),
    )
    .expect("tauri-build");
}
