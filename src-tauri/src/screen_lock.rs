//! Locks a journal opened by its passphrase when the desktop locks its screen: the screen
//! savers of freedesktop desktops (KDE, Xfce, ...) and GNOME say so with an `ActiveChanged(true)`
//! signal on the session bus. Without a session bus or a screen saver on it, nothing is heard
//! and the idle lock (chosen in Settings) is what remains.

use tauri::{AppHandle, Emitter, Manager};

use crate::JournalState;

/// The screen savers' interfaces, each on its own well-known name.
const SCREEN_SAVERS: [&str; 2] = ["org.freedesktop.ScreenSaver", "org.gnome.ScreenSaver"];

/// Listens for the screen lock on a thread per interface.
pub fn start(app: &AppHandle) {
    for interface in SCREEN_SAVERS {
        let app = app.clone();
        let _ = std::thread::Builder::new()
            .name("screen lock".into())
            .spawn(move || listen(&app, interface));
    }
}

fn listen(app: &AppHandle, interface: &'static str) -> Option<()> {
    let bus = zbus::blocking::Connection::session().ok()?;
    let rule = zbus::MatchRule::builder()
        .msg_type(zbus::message::Type::Signal)
        .interface(interface)
        .ok()?
        .member("ActiveChanged")
        .ok()?
        .build();
    let signals = zbus::blocking::MessageIterator::for_match_rule(rule, &bus, None).ok()?;
    for message in signals.flatten() {
        let active: bool = message.body().deserialize().unwrap_or(false);
        let state = app.state::<JournalState>();
        if active
            && state
                .by_passphrase
                .load(std::sync::atomic::Ordering::Relaxed)
            && state.lock().is_ok()
        {
            let _ = app.emit("journal-locked", ());
        }
    }
    Some(())
}
