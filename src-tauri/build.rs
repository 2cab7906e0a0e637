fn main() {
    // Declaring the app's commands makes capabilities govern them too: a window may call only
    // what capabilities/default.json grants.
    tauri_build::try_build(tauri_build::Attributes::new().app_manifest(
        tauri_build::AppManifest::new().commands(&[
            "journal_status",
            "list_clients",
            "who_needs_me",
        ]),
    ))
    .expect("tauri build script");
}
