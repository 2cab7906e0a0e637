//! The tray: Rapport keeps running there when its window is closed, so reminders still fire.
//! Its menu opens the window, logs a touch, pauses reminders for an hour, or quits.

use std::sync::Mutex;

use chrono::{DateTime, Duration, Utc};
use tauri::menu::{Menu, MenuItem};
use tauri::tray::TrayIconBuilder;
use tauri::{AppHandle, Emitter, Manager};

/// Reminders wait until then (the tray's "pause for an hour").
#[derive(Default)]
pub struct Paused(pub Mutex<Option<DateTime<Utc>>>);

impl Paused {
    /// Whether reminders are paused at `now`.
    pub fn at(&self, now: DateTime<Utc>) -> bool {
        self.0
            .lock()
            .map(|p| p.is_some_and(|until| until > now))
            .unwrap_or(false)
    }
}

/// Shows and focuses the main window.
pub fn show_window(app: &AppHandle) {
    if let Some(window) = app.get_webview_window("main") {
        let _ = window.show();
        let _ = window.unminimize();
        let _ = window.set_focus();
    }
}

/// Builds the tray icon and its menu.
pub fn build(app: &AppHandle) -> tauri::Result<()> {
    let open = MenuItem::with_id(app, "open", "Open Rapport", true, None::<&str>)?;
    let log = MenuItem::with_id(app, "log", "Log a touch…", true, None::<&str>)?;
    let pause = MenuItem::with_id(
        app,
        "pause",
        "Pause reminders for an hour",
        true,
        None::<&str>,
    )?;
    let quit = MenuItem::with_id(app, "quit", "Quit Rapport", true, None::<&str>)?;
    let menu = Menu::with_items(app, &[&open, &log, &pause, &quit])?;
    let mut tray = TrayIconBuilder::with_id("main")
        .tooltip("Rapport")
        .menu(&menu)
        .on_menu_event(|app, event| match event.id().as_ref() {
            "open" => show_window(app),
            "log" => {
                show_window(app);
                let _ = app.emit("tray-log-touch", ());
            }
            "pause" => {
                if let Ok(mut until) = app.state::<Paused>().0.lock() {
                    *until = Some(Utc::now() + Duration::hours(1));
                }
            }
            "quit" => app.exit(0),
            _ => {}
        });
    if let Some(icon) = app.default_window_icon() {
        tray = tray.icon(icon.clone());
    }
    tray.build(app)?;
    Ok(())
}

/// Shows how many need the user, the same count as the Today view: in the tooltip, and beside
/// the icon as its label where the tray shows no tooltips (Linux's status-notifier trays).
pub fn show_count(app: &AppHandle, count: u64) {
    if let Some(tray) = app.tray_by_id("main") {
        let text = match count {
            0 => "Rapport: nobody is waiting on you".to_string(),
            1 => "Rapport: 1 needs you".to_string(),
            n => format!("Rapport: {n} need you"),
        };
        let _ = tray.set_tooltip(Some(text));
        let label = (count > 0).then(|| count.to_string());
        let _ = tray.set_title(label);
    }
}

/// Whether a tray is there to keep Rapport in: a status-notifier host on the session bus (what
/// KDE, Xfce, Cinnamon, MATE and GNOME's AppIndicator extension provide). Asked when the window
/// closes, because a panel may start after Rapport does.
#[cfg(target_os = "linux")]
pub fn host_present() -> bool {
    let Ok(bus) = zbus::blocking::Connection::session() else {
        return false;
    };
    zbus::blocking::fdo::DBusProxy::new(&bus)
        .and_then(|dbus| {
            Ok(dbus.name_has_owner(zbus::names::BusName::try_from(
                "org.kde.StatusNotifierWatcher",
            )?)?)
        })
        .unwrap_or(false)
}

/// Windows and macOS always have a tray (notification area, menu bar).
#[cfg(not(target_os = "linux"))]
pub fn host_present() -> bool {
    true
}
