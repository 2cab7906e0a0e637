//! The floor the app benchmark (`make bench`) compares Rapport with: a Tauri window built the
//! same way, showing one line of text, with no journal, plugins or tray. Built only with the
//! `bench` feature.

use tauri::Manager;

fn main() {
    tauri::Builder::default()
        // The window is set up as Rapport's is (the WebKit features it switches off), so that
        // the two are compared like for like; its page has nothing those features would touch.
        .setup(|app| {
            if let Some(window) = app.get_webview_window("main") {
                rapport_desktop::painting::configure(&window);
            }
            Ok(())
        })
        .run(tauri::generate_context!("minimal-window.conf.json"))
        .expect("the minimal window runs");
}
