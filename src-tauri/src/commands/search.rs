//! Search across the journal, and within one client's history.

use rapport::{EntryHit, SearchResults};

use crate::Result;

use super::State;

#[tauri::command(async)]
pub fn search(state: State<'_>, query: String, limit: u32) -> Result<SearchResults> {
    state.with(|j| j.search(&query, limit))
}

#[tauri::command(async)]
pub fn search_client(
    state: State<'_>,
    client_id: i64,
    query: String,
    limit: u32,
) -> Result<Vec<EntryHit>> {
    state.with(|j| j.search_client(client_id, &query, limit))
}
