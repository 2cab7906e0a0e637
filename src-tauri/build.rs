fn main() {
    // Declaring the app's commands makes capabilities govern them too: the window may call only
    // what capabilities/default.json grants. The names come from the one list of commands.
    macro_rules! rapport_commands {
        ($($module:ident :: $command:ident),* $(,)?) => {
            &[$(stringify!($command)),*]
        };
    }
    const COMMANDS: &[&str] = include!("src/commands/list.rs");
    println!("cargo:rerun-if-changed=src/commands/list.rs");
    tauri_build::try_build(
        tauri_build::Attributes::new()
            .app_manifest(tauri_build::AppManifest::new().commands(COMMANDS)),
    )
    .expect("tauri build script");
}
