//! The journal as a whole: whether it is open, and the sample journal.

use chrono::Utc;
use serde::Serialize;

use crate::{OpenFailure, Result};

use super::State;

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
    /// Encrypted (else in plain text, from an earlier Rapport: the window offers to encrypt it).
    encrypted: bool,
    /// Made by this run: the window offers a passphrase once, if it has none.
    created: bool,
    /// After how many idle minutes the window locks the journal (0: never, or it cannot be).
    lock_after: u32,
    /// How long a minute of that is, in milliseconds: a debug build lets the end-to-end tests
    /// shorten it (`RAPPORT_IDLE_MINUTE_MS`), so they wait for a lock in a second.
    minute_ms: u64,
}

#[tauri::command(async)]
pub fn journal_status(state: State<'_>) -> JournalStatus {
    // Asked again and again while an upgrade runs: each answer comes when the journal opens, or
    // after a quarter of a second at most.
    let opened = state.opened_within(std::time::Duration::from_millis(250));
    let counts = match opened {
        Some(_) => state.with(|j| Ok((j.is_empty()?, j.has_sample()?))).ok(),
        None => None,
    };
    let (empty, sample) = counts.unwrap_or((false, false));
    let can_lock = state
        .by_passphrase
        .load(std::sync::atomic::Ordering::Relaxed);
    let lock_after = match opened {
        Some(_) if can_lock => state.with(|j| j.lock_after_minutes()).unwrap_or(0),
        _ => 0,
    };
    // A journal that a restore could not open again is reported as not open, with why (asking
    // for the counts above tried to open it once more).
    let error = opened.and_then(|_| state.lost());
    JournalStatus {
        path: state.path.display().to_string(),
        opening: opened.is_none(),
        upgrading: opened.is_none() && state.upgrading,
        open: opened.is_some() && error.is_none(),
        error,
        empty,
        sample,
        encrypted: state.key().is_some(),
        created: state.created.load(std::sync::atomic::Ordering::Relaxed),
        lock_after,
        minute_ms: minute_ms(),
    }
}

fn minute_ms() -> u64 {
    #[cfg(debug_assertions)]
    if let Some(ms) = std::env::var("RAPPORT_IDLE_MINUTE_MS")
        .ok()
        .and_then(|ms| ms.parse().ok())
    {
        return ms;
    }
    60_000
}

#[tauri::command(async)]
pub fn load_sample(state: State<'_>) -> Result<()> {
    state.with(|j| j.load_sample(Utc::now()))
}

#[tauri::command(async)]
pub fn remove_sample(state: State<'_>) -> Result<u64> {
    state.with(|j| j.remove_sample())
}
