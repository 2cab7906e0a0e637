fn main() {
    // Declaring the app's commands makes capabilities govern them too: the window may call only
    // what capabilities/default.json grants. The list matches `commands::ALL`.
    const COMMANDS: &[&str] = &[
        "journal_status",
        "backups",
        "back_up_now",
        "set_backup_keep",
        "restore_backup",
        "export",
        "preview_import",
        "import_file",
        "list_clients",
        "client_overview",
        "create_client",
        "update_client",
        "archive_client",
        "unarchive_client",
        "delete_client",
        "set_stage",
        "snooze_client",
        "add_client_with_entry",
        "log_touch",
        "update_touch",
        "delete_touch",
        "add_note",
        "update_note",
        "delete_note",
        "add_follow_up",
        "complete_follow_up",
        "snooze_follow_up",
        "delete_follow_up",
        "add_introduction",
        "timeline",
        "search",
        "search_client",
        "who_needs_me",
        "parse_due",
        "load_sample",
        "remove_sample",
        "organisations",
        "tags",
        "settings",
        "set_quiet_hours",
        "set_stage_cadence",
        "start_at_login",
        "set_start_at_login",
    ];
    tauri_build::try_build(
        tauri_build::Attributes::new()
            .app_manifest(tauri_build::AppManifest::new().commands(COMMANDS)),
    )
    .expect("tauri build script");
}
