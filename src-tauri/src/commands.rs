//! The commands the UI calls: each parses its arguments, calls one core function with the
//! current time, and returns its result or a `{kind, message}` error.
//!
//! They run off the main thread (`async`), so a slow query never freezes the window.

use chrono::Utc;
use rapport::{ClientFilter, ClientPage, Needs};
use serde::Serialize;
use tauri::State;

use crate::{JournalState, OpenFailure, Result};

/// Where the journal is, and whether it is open.
#[derive(Debug, Serialize)]
pub struct JournalStatus {
    /// The journal file.
    path: String,
    /// Open and usable.
    open: bool,
    /// Why it could not be opened.
    error: Option<OpenFailure>,
}

#[tauri::command(async)]
pub fn journal_status(state: State<'_, JournalState>) -> JournalStatus {
    JournalStatus {
        path: state.path.display().to_string(),
        open: state.journal.is_ok(),
        error: state.journal.as_ref().err().cloned(),
    }
}

#[tauri::command(async)]
pub fn list_clients(state: State<'_, JournalState>, filter: ClientFilter) -> Result<ClientPage> {
    state.with(|j| j.list_clients(&filter, Utc::now()))
}

#[tauri::command(async)]
pub fn who_needs_me(state: State<'_, JournalState>, limit: u32) -> Result<Needs> {
    state.with(|j| j.who_needs_me(Utc::now(), limit))
}
