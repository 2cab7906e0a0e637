//! Reminder settings (quiet hours, each stage's cadence) and starting at login.

use rapport::{QuietHours, Stage};
use serde::Serialize;

use crate::Result;

use super::State;

/// The reminder settings as the Settings view shows them.
#[derive(Debug, Serialize)]
pub struct Settings {
    quiet_hours: QuietHours,
    stage_cadences: Vec<(Stage, u32)>,
}

#[tauri::command(async)]
pub fn settings(state: State<'_>) -> Result<Settings> {
    state.with(|j| {
        Ok(Settings {
            quiet_hours: j.quiet_hours()?,
            stage_cadences: j.stage_cadences()?,
        })
    })
}

#[tauri::command(async)]
pub fn set_quiet_hours(state: State<'_>, quiet_hours: QuietHours) -> Result<()> {
    state.with(|j| j.set_quiet_hours(quiet_hours))
}

#[tauri::command(async)]
pub fn set_stage_cadence(state: State<'_>, stage: Stage, days: u32) -> Result<()> {
    state.with(|j| j.set_stage_cadence(stage, days))
}

/// Whether Rapport starts when the user logs in.
#[tauri::command(async)]
pub fn start_at_login(app: tauri::AppHandle) -> Result<bool> {
    use tauri_plugin_autostart::ManagerExt;
    app.autolaunch()
        .is_enabled()
        .map_err(|e| crate::Error::System(format!("cannot read the login items: {e}")))
}

/// Turns starting at login on or off (off unless the user asks).
#[tauri::command(async)]
pub fn set_start_at_login(app: tauri::AppHandle, enabled: bool) -> Result<bool> {
    use tauri_plugin_autostart::ManagerExt;
    let launcher = app.autolaunch();
    let changed = if enabled {
        launcher.enable()
    } else {
        launcher.disable()
    };
    changed
        .and_then(|()| launcher.is_enabled())
        .map_err(|e| crate::Error::System(format!("cannot change the login items: {e}")))
}
