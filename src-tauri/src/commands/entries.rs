//! What is logged about a client: touches, notes and introductions, and the timeline that
//! shows them.

use chrono::{DateTime, Utc};
use rapport::{
    Deleted, Introduction, LoggedTouch, Note, NoteInput, TimelinePage, Touch, TouchInput,
};

use crate::Result;

use super::State;

#[tauri::command(async)]
pub fn log_touch(state: State<'_>, input: TouchInput) -> Result<LoggedTouch> {
    state.with(|j| j.log_touch(&input, Utc::now()))
}

#[tauri::command(async)]
pub fn update_touch(state: State<'_>, id: i64, input: TouchInput) -> Result<Touch> {
    state.with(|j| j.update_touch(id, &input, Utc::now()))
}

#[tauri::command(async)]
pub fn delete_touch(state: State<'_>, id: i64) -> Result<Deleted> {
    state.with(|j| j.delete_touch(id))
}

#[tauri::command(async)]
pub fn add_note(state: State<'_>, input: NoteInput) -> Result<Note> {
    state.with(|j| j.add_note(&input, Utc::now()))
}

#[tauri::command(async)]
pub fn update_note(state: State<'_>, id: i64, input: NoteInput) -> Result<Note> {
    state.with(|j| j.update_note(id, &input, Utc::now()))
}

#[tauri::command(async)]
pub fn delete_note(state: State<'_>, id: i64) -> Result<Deleted> {
    state.with(|j| j.delete_note(id))
}

#[tauri::command(async)]
pub fn add_introduction(
    state: State<'_>,
    introducer_id: i64,
    introduced_id: i64,
    note: String,
) -> Result<Introduction> {
    state.with(|j| j.add_introduction(introducer_id, introduced_id, Utc::now(), &note, Utc::now()))
}

#[tauri::command(async)]
pub fn timeline(
    state: State<'_>,
    client_id: i64,
    cursor: Option<String>,
    limit: u32,
) -> Result<TimelinePage> {
    state.with(|j| j.timeline(client_id, cursor.as_deref(), limit))
}

#[tauri::command(async)]
pub fn update_introduction(
    state: State<'_>,
    id: i64,
    at: DateTime<Utc>,
    note: String,
) -> Result<Introduction> {
    state.with(|j| j.update_introduction(id, at, &note, Utc::now()))
}

#[tauri::command(async)]
pub fn delete_introduction(state: State<'_>, id: i64) -> Result<Deleted> {
    state.with(|j| j.delete_introduction(id))
}

/// Puts back what a delete returned: the undo of a delete.
#[tauri::command(async)]
pub fn restore(state: State<'_>, deleted: Deleted) -> Result<()> {
    state.with(|j| j.restore(&deleted))
}
