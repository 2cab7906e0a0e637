//! The floor the app benchmark (`make bench`) compares Rapport with: a Tauri window built the
//! same way, showing one line of text, with no journal, plugins or tray. Built only with the
//! `bench` feature.

fn main() {
    tauri::Builder::default()
        .run(tauri::generate_context!("minimal-window.conf.json"))
        .expect("the minimal window runs");
}
