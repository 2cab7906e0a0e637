//! Search across the journal, and within one client's history.

use rapport::{EntryHit, SearchResults};
use tauri::State;

use crate::{JournalState, Result};

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
