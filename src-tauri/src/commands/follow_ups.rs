//! Follow-ups, what Today lists as needing the user, and moments typed as phrases.

use chrono::{DateTime, Local, Utc};
use rapport::{DateOrder, Deleted, FollowUp, FollowUpInput, Needs};

use crate::Result;

use super::State;

#[tauri::command(async)]
pub fn add_follow_up(state: State<'_>, input: FollowUpInput) -> Result<FollowUp> {
    state.with(|j| j.add_follow_up(&input, Utc::now()))
}

#[tauri::command(async)]
pub fn complete_follow_up(state: State<'_>, id: i64, done: bool) -> Result<FollowUp> {
    state.with(|j| j.complete_follow_up(id, done, Utc::now()))
}

#[tauri::command(async)]
pub fn snooze_follow_up(
    state: State<'_>,
    id: i64,
    until: Option<DateTime<Utc>>,
) -> Result<FollowUp> {
    state.with(|j| j.snooze_follow_up(id, until, Utc::now()))
}

#[tauri::command(async)]
pub fn update_follow_up(
    state: State<'_>,
    id: i64,
    what: String,
    due_at: DateTime<Utc>,
) -> Result<FollowUp> {
    state.with(|j| j.update_follow_up(id, &what, due_at, Utc::now()))
}

#[tauri::command(async)]
pub fn restore_follow_up(state: State<'_>, before: FollowUp) -> Result<FollowUp> {
    state.with(|j| j.restore_follow_up(&before))
}

#[tauri::command(async)]
pub fn delete_follow_up(state: State<'_>, id: i64) -> Result<Deleted> {
    state.with(|j| j.delete_follow_up(id))
}

#[tauri::command(async)]
pub fn who_needs_me(state: State<'_>, limit: u32) -> Result<Needs> {
    state.with(|j| j.who_needs_me(Utc::now(), limit))
}

/// Reads a due-date phrase in the user's local time zone; needs no journal.
#[tauri::command(async)]
pub fn parse_due(phrase: String, order: DateOrder) -> Result<DateTime<Utc>> {
    Ok(rapport::parse_due(&phrase, Local::now(), order)?)
}

/// Reads when a touch happened, typed as a phrase, in the user's local time zone; needs no
/// journal.
#[tauri::command(async)]
pub fn parse_when(phrase: String, order: DateOrder) -> Result<DateTime<Utc>> {
    Ok(rapport::parse_when(&phrase, Local::now(), order)?)
}
