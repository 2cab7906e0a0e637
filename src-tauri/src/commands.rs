//! The commands the UI calls: each parses its arguments, calls one core function with the
//! current time, and returns its result or a `{kind, message}` error.
//!
//! They run off the main thread (`async`), so a slow query never freezes the window.

use chrono::{DateTime, Local, Utc};
use rapport::{
    Client, ClientFilter, ClientInput, ClientOverview, ClientPage, Counted, DateOrder, EntryHit,
    FirstEntry, FollowUp, FollowUpInput, Introduction, LoggedTouch, Needs, Note, NoteInput,
    QuietHours, SearchResults, Stage, StageChange, TimelinePage, Touch, TouchInput,
};
use serde::Serialize;
use tauri::State;

use crate::{JournalState, OpenFailure, Result};

/// Where the journal is, whether it is open, and whether this is a first run.
#[derive(Debug, Serialize)]
pub struct JournalStatus {
    /// The journal file.
    path: String,
    /// Still being opened: ask again shortly.
    opening: bool,
    /// Being opened, and its schema upgraded as it opens (which may take a while).
    upgrading: bool,
    /// Open and usable.
    open: bool,
    /// Why it could not be opened.
    error: Option<OpenFailure>,
    /// No clients yet: greet a new user.
    empty: bool,
    /// The sample journal is loaded.
    sample: bool,
}

#[tauri::command(async)]
pub fn journal_status(state: State<'_, JournalState>) -> JournalStatus {
    // Asked again and again while an upgrade runs: each answer comes when the journal opens, or
    // after a quarter of a second at most.
    let opened = state.opened_within(std::time::Duration::from_millis(250));
    let counts = match opened {
        Some(Ok(_)) => state.with(|j| Ok((j.is_empty()?, j.has_sample()?))).ok(),
        _ => None,
    };
    let (empty, sample) = counts.unwrap_or((false, false));
    JournalStatus {
        path: state.path.display().to_string(),
        opening: opened.is_none(),
        upgrading: opened.is_none() && state.upgrading,
        open: matches!(opened, Some(Ok(_))),
        error: opened.and_then(|o| o.as_ref().err().cloned()),
        empty,
        sample,
    }
}

#[tauri::command(async)]
pub fn list_clients(state: State<'_, JournalState>, filter: ClientFilter) -> Result<ClientPage> {
    state.with(|j| j.list_clients(&filter, Utc::now()))
}

#[tauri::command(async)]
pub fn client_overview(state: State<'_, JournalState>, id: i64) -> Result<ClientOverview> {
    state.with(|j| j.client_overview(id, Utc::now()))
}

#[tauri::command(async)]
pub fn create_client(
    state: State<'_, JournalState>,
    input: ClientInput,
    stage: Option<Stage>,
) -> Result<Client> {
    state.with(|j| j.create_client(&input, stage.unwrap_or_default(), Utc::now()))
}

#[tauri::command(async)]
pub fn update_client(
    state: State<'_, JournalState>,
    id: i64,
    input: ClientInput,
) -> Result<Client> {
    state.with(|j| j.update_client(id, &input, Utc::now()))
}

#[tauri::command(async)]
pub fn archive_client(state: State<'_, JournalState>, id: i64) -> Result<Client> {
    state.with(|j| j.archive_client(id, Utc::now()))
}

#[tauri::command(async)]
pub fn unarchive_client(state: State<'_, JournalState>, id: i64) -> Result<Client> {
    state.with(|j| j.unarchive_client(id))
}

#[tauri::command(async)]
pub fn delete_client(state: State<'_, JournalState>, id: i64) -> Result<()> {
    state.with(|j| j.delete_client(id))
}

#[tauri::command(async)]
pub fn set_stage(
    state: State<'_, JournalState>,
    id: i64,
    stage: Stage,
    note: String,
) -> Result<StageChange> {
    state.with(|j| j.set_stage(id, stage, Utc::now(), &note, Utc::now()))
}

#[tauri::command(async)]
pub fn snooze_client(
    state: State<'_, JournalState>,
    id: i64,
    until: Option<DateTime<Utc>>,
) -> Result<Client> {
    state.with(|j| j.snooze_client(id, until, Utc::now()))
}

#[tauri::command(async)]
pub fn add_client_with_entry(
    state: State<'_, JournalState>,
    client: ClientInput,
    entry: FirstEntry,
) -> Result<i64> {
    state.with(|j| j.add_client_with_entry(&client, &entry, Utc::now()))
}

#[tauri::command(async)]
pub fn log_touch(state: State<'_, JournalState>, input: TouchInput) -> Result<LoggedTouch> {
    state.with(|j| j.log_touch(&input, Utc::now()))
}

#[tauri::command(async)]
pub fn update_touch(state: State<'_, JournalState>, id: i64, input: TouchInput) -> Result<Touch> {
    state.with(|j| j.update_touch(id, &input, Utc::now()))
}

#[tauri::command(async)]
pub fn delete_touch(state: State<'_, JournalState>, id: i64) -> Result<()> {
    state.with(|j| j.delete_touch(id))
}

#[tauri::command(async)]
pub fn add_note(state: State<'_, JournalState>, input: NoteInput) -> Result<Note> {
    state.with(|j| j.add_note(&input, Utc::now()))
}

#[tauri::command(async)]
pub fn update_note(state: State<'_, JournalState>, id: i64, input: NoteInput) -> Result<Note> {
    state.with(|j| j.update_note(id, &input, Utc::now()))
}

#[tauri::command(async)]
pub fn delete_note(state: State<'_, JournalState>, id: i64) -> Result<()> {
    state.with(|j| j.delete_note(id))
}

#[tauri::command(async)]
pub fn add_follow_up(state: State<'_, JournalState>, input: FollowUpInput) -> Result<FollowUp> {
    state.with(|j| j.add_follow_up(&input, Utc::now()))
}

#[tauri::command(async)]
pub fn complete_follow_up(state: State<'_, JournalState>, id: i64, done: bool) -> Result<FollowUp> {
    state.with(|j| j.complete_follow_up(id, done, Utc::now()))
}

#[tauri::command(async)]
pub fn snooze_follow_up(
    state: State<'_, JournalState>,
    id: i64,
    until: Option<DateTime<Utc>>,
) -> Result<FollowUp> {
    state.with(|j| j.snooze_follow_up(id, until, Utc::now()))
}

#[tauri::command(async)]
pub fn delete_follow_up(state: State<'_, JournalState>, id: i64) -> Result<()> {
    state.with(|j| j.delete_follow_up(id))
}

#[tauri::command(async)]
pub fn add_introduction(
    state: State<'_, JournalState>,
    introducer_id: i64,
    introduced_id: i64,
    note: String,
) -> Result<Introduction> {
    state.with(|j| j.add_introduction(introducer_id, introduced_id, Utc::now(), &note, Utc::now()))
}

#[tauri::command(async)]
pub fn timeline(
    state: State<'_, JournalState>,
    client_id: i64,
    cursor: Option<String>,
    limit: u32,
) -> Result<TimelinePage> {
    state.with(|j| j.timeline(client_id, cursor.as_deref(), limit))
}

#[tauri::command(async)]
pub fn search(state: State<'_, JournalState>, query: String, limit: u32) -> Result<SearchResults> {
    state.with(|j| j.search(&query, limit))
}

#[tauri::command(async)]
pub fn search_client(
    state: State<'_, JournalState>,
    client_id: i64,
    query: String,
    limit: u32,
) -> Result<Vec<EntryHit>> {
    state.with(|j| j.search_client(client_id, &query, limit))
}

#[tauri::command(async)]
pub fn who_needs_me(state: State<'_, JournalState>, limit: u32) -> Result<Needs> {
    state.with(|j| j.who_needs_me(Utc::now(), limit))
}

/// Reads a due-date phrase in the user's local time zone; needs no journal.
#[tauri::command(async)]
pub fn parse_due(phrase: String, order: DateOrder) -> Result<DateTime<Utc>> {
    Ok(rapport::parse_due(&phrase, Local::now(), order)?)
}

#[tauri::command(async)]
pub fn load_sample(state: State<'_, JournalState>) -> Result<()> {
    state.with(|j| j.load_sample(Utc::now()))
}

#[tauri::command(async)]
pub fn remove_sample(state: State<'_, JournalState>) -> Result<u64> {
    state.with(|j| j.remove_sample())
}

#[tauri::command(async)]
pub fn organisations(state: State<'_, JournalState>) -> Result<Vec<Counted>> {
    state.with(|j| j.organisations())
}

#[tauri::command(async)]
pub fn tags(state: State<'_, JournalState>) -> Result<Vec<Counted>> {
    state.with(|j| j.tags())
}

/// The reminder settings as the Settings view shows them.
#[derive(Debug, Serialize)]
pub struct Settings {
    quiet_hours: QuietHours,
    stage_cadences: Vec<(Stage, u32)>,
}

#[tauri::command(async)]
pub fn settings(state: State<'_, JournalState>) -> Result<Settings> {
    state.with(|j| {
        Ok(Settings {
            quiet_hours: j.quiet_hours()?,
            stage_cadences: j.stage_cadences()?,
        })
    })
}

#[tauri::command(async)]
pub fn set_quiet_hours(state: State<'_, JournalState>, quiet_hours: QuietHours) -> Result<()> {
    state.with(|j| j.set_quiet_hours(quiet_hours))
}

#[tauri::command(async)]
pub fn set_stage_cadence(state: State<'_, JournalState>, stage: Stage, days: u32) -> Result<()> {
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
