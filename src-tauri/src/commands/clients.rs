//! Clients: the list, one client's overview, adding, editing, archiving, stages and snoozes.

use chrono::{DateTime, Utc};
use rapport::{
    Client, ClientFilter, ClientInput, ClientOverview, ClientPage, Counted, Deleted, FirstEntry,
    Merged, Stage, StageChange,
};

use crate::Result;

use super::State;

#[tauri::command(async)]
pub fn list_clients(state: State<'_>, filter: ClientFilter) -> Result<ClientPage> {
    state.with(|j| j.list_clients(&filter, Utc::now()))
}

#[tauri::command(async)]
pub fn client_overview(state: State<'_>, id: i64) -> Result<ClientOverview> {
    state.with(|j| j.client_overview(id, Utc::now()))
}

#[tauri::command(async)]
pub fn create_client(state: State<'_>, input: ClientInput, stage: Option<Stage>) -> Result<Client> {
    state.with(|j| j.create_client(&input, stage.unwrap_or_default(), Utc::now()))
}

#[tauri::command(async)]
pub fn update_client(state: State<'_>, id: i64, input: ClientInput) -> Result<Client> {
    state.with(|j| j.update_client(id, &input, Utc::now()))
}

#[tauri::command(async)]
pub fn archive_client(state: State<'_>, id: i64) -> Result<Client> {
    state.with(|j| j.archive_client(id, Utc::now()))
}

#[tauri::command(async)]
pub fn unarchive_client(state: State<'_>, id: i64) -> Result<Client> {
    state.with(|j| j.unarchive_client(id))
}

#[tauri::command(async)]
pub fn delete_client(state: State<'_>, id: i64) -> Result<()> {
    state.with(|j| j.delete_client(id))
}

#[tauri::command(async)]
pub fn set_stage(state: State<'_>, id: i64, stage: Stage, note: String) -> Result<StageChange> {
    state.with(|j| j.set_stage(id, stage, Utc::now(), &note, Utc::now()))
}

#[tauri::command(async)]
pub fn update_stage_change(
    state: State<'_>,
    id: i64,
    stage: Stage,
    at: DateTime<Utc>,
    note: String,
) -> Result<StageChange> {
    state.with(|j| j.update_stage_change(id, stage, at, &note, Utc::now()))
}

#[tauri::command(async)]
pub fn delete_stage_change(state: State<'_>, id: i64) -> Result<Deleted> {
    state.with(|j| j.delete_stage_change(id))
}

#[tauri::command(async)]
pub fn merge_clients(state: State<'_>, keep_id: i64, other_id: i64) -> Result<Merged> {
    state.with(|j| j.merge_clients(keep_id, other_id, Utc::now()))
}

#[tauri::command(async)]
pub fn unmerge_clients(state: State<'_>, merged: Merged) -> Result<Client> {
    state.with(|j| j.unmerge(&merged))
}

#[tauri::command(async)]
pub fn snooze_client(state: State<'_>, id: i64, until: Option<DateTime<Utc>>) -> Result<Client> {
    state.with(|j| j.snooze_client(id, until, Utc::now()))
}

#[tauri::command(async)]
pub fn add_client_with_entry(
    state: State<'_>,
    client: ClientInput,
    entry: FirstEntry,
) -> Result<i64> {
    state.with(|j| j.add_client_with_entry(&client, &entry, Utc::now()))
}

#[tauri::command(async)]
pub fn organisations(state: State<'_>) -> Result<Vec<Counted>> {
    state.with(|j| j.organisations())
}

#[tauri::command(async)]
pub fn tags(state: State<'_>) -> Result<Vec<Counted>> {
    state.with(|j| j.tags())
}
