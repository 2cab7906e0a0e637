//! Keeping the journal safe and moving it in and out: backups (daily, on demand, restore),
//! exports into the Downloads folder, and imports with a preview.
//!
//! Backups read through a connection of their own: SQLite's online backup copies a consistent
//! snapshot while the window keeps reading and writing through the shared one.

use std::path::{Path, PathBuf};
use std::time::Duration;

use chrono::{Local, Utc};
use rapport::{BackupInfo, Field, Imported, Journal, ListedBackup, Preview};
use serde::{Deserialize, Serialize};
use tauri::{AppHandle, Manager, State};

use crate::{Error, JournalState, Result};

/// How often the daily-backup thread looks whether a day has passed since the newest backup.
const BACKUP_LOOK: Duration = Duration::from_secs(60 * 60);
/// The first look waits until the window is up: copying and checking a large journal would
/// otherwise compete with starting.
const BACKUP_FIRST_LOOK: Duration = Duration::from_secs(5);

impl JournalState {
    /// The folder the backups are kept in, beside the journal.
    pub fn backups_dir(&self) -> PathBuf {
        self.path
            .parent()
            .unwrap_or(Path::new("."))
            .join(rapport::BACKUPS_DIR)
    }

    /// A second connection to the journal, for work that must not hold the window's.
    fn side_connection(&self) -> Result<Journal> {
        if let Err(e) = self.opened() {
            return Err(Error::Unavailable(e.message.clone()));
        }
        Ok(Journal::open(&self.path)?)
    }
}

/// Takes the daily backup at start and whenever a day has passed, on its own thread.
pub fn start_daily_backups(app: &AppHandle) {
    let app = app.clone();
    let _ = std::thread::Builder::new()
        .name("backups".into())
        .spawn(move || loop {
            std::thread::sleep(BACKUP_FIRST_LOOK);
            let state = app.state::<JournalState>();
            if state.opened().is_err() {
                return;
            }
            let dir = state.backups_dir();
            // A failure (disk full, a restore holding the journal) is tried again at the next
            // look; the Settings view lists what backups there are.
            let _ = state
                .side_connection()
                .and_then(|j| Ok(j.daily_backup_if_due(&dir, Utc::now())?));
            std::thread::sleep(BACKUP_LOOK - BACKUP_FIRST_LOOK);
        });
}

/// How often the search index is looked at for merging left by saves.
const TIDY_LOOK: Duration = Duration::from_secs(60);
/// Pages of merging per step: a few milliseconds, so a save arriving meanwhile hardly waits.
const TIDY_STEP_PAGES: u32 = 64;
/// The pause between steps, in which saves go first.
const TIDY_PAUSE: Duration = Duration::from_millis(50);

/// The upkeep saves leave undone (see `Journal::tidy`): merging the search index and copying
/// the log into the journal file, on a thread and connection of its own, a small step at a
/// time, within a minute of the journal changing.
pub fn start_tidying(app: &AppHandle) {
    let app = app.clone();
    let _ = std::thread::Builder::new()
        .name("tidy search".into())
        .spawn(move || loop {
            std::thread::sleep(TIDY_LOOK);
            let state = app.state::<JournalState>();
            if !state
                .untidy
                .swap(false, std::sync::atomic::Ordering::Relaxed)
            {
                continue;
            }
            let Ok(mut journal) = state.side_connection() else {
                continue;
            };
            // A failed step (the journal busy, the disk full) is left for the next look.
            while journal.tidy(TIDY_STEP_PAGES).unwrap_or(false) {
                std::thread::sleep(TIDY_PAUSE);
            }
        });
}

/// The backups as the Settings view lists them.
#[derive(Debug, Serialize)]
pub struct Backups {
    /// Where they are.
    dir: String,
    /// How many daily backups are kept.
    keep: u32,
    /// Newest first; a damaged one says what is wrong with it.
    backups: Vec<ListedBackup>,
}

#[tauri::command(async)]
pub fn backups(state: State<'_, JournalState>) -> Result<Backups> {
    let keep = state.with(|j| j.backup_keep())?;
    let dir = state.backups_dir();
    Ok(Backups {
        backups: rapport::list_backups(&dir)?,
        dir: dir.display().to_string(),
        keep,
    })
}

#[tauri::command(async)]
pub fn back_up_now(state: State<'_, JournalState>) -> Result<BackupInfo> {
    let journal = state.side_connection()?;
    let dir = state.backups_dir();
    let info = journal.backup_now(&dir, Utc::now())?;
    rapport::prune_backups(&dir, journal.backup_keep()?)?;
    Ok(info)
}

#[tauri::command(async)]
pub fn set_backup_keep(state: State<'_, JournalState>, keep: u32) -> Result<()> {
    state.with(|j| j.set_backup_keep(keep))?;
    rapport::prune_backups(state.backups_dir(), keep)?;
    Ok(())
}

/// What a restore did, for the window to say.
#[derive(Debug, Serialize)]
pub struct RestoreDone {
    /// The backup now in place.
    backup: BackupInfo,
    /// Where the journal it replaced was kept.
    set_aside: Option<String>,
}

#[tauri::command(async)]
pub fn restore_backup(state: State<'_, JournalState>, path: String) -> Result<RestoreDone> {
    // Only a file listed in the backups folder is restored: the window names one, it does not
    // get to point the journal at any file on the disk.
    let dir = state.backups_dir();
    let chosen = rapport::list_backups(&dir)?
        .into_iter()
        .find(|b| b.path.to_str() == Some(path.as_str()))
        .ok_or_else(|| rapport::Error::NotFound {
            kind: "backup",
            id: 0,
        })?;
    let Ok(mutex) = state.opened() else {
        return Err(Error::Unavailable("the journal is not open".into()));
    };
    let mut journal = mutex.lock().unwrap_or_else(|p| p.into_inner());
    // The shared connection lets go of the file while it is replaced, then opens the restored
    // one; if anything fails, the journal as it was is opened again.
    *journal = Journal::open_in_memory()?;
    let restored = rapport::restore_backup(&state.path, &chosen.path, Utc::now());
    *journal = Journal::open(&state.path)?;
    drop(journal);
    state.changed();
    let restored = restored?;
    Ok(RestoreDone {
        backup: restored.backup,
        set_aside: restored.set_aside.map(|p| p.display().to_string()),
    })
}

/// What can be exported.
#[derive(Debug, Clone, Copy, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ExportKind {
    /// The whole journal, as versioned JSON that Rapport imports again.
    Journal,
    /// Clients, one row each.
    ClientsCsv,
    /// Touches and notes, one row each.
    TouchesCsv,
    /// Open follow-ups, as calendar events.
    FollowUpsIcs,
}

#[tauri::command(async)]
pub fn export(app: AppHandle, state: State<'_, JournalState>, kind: ExportKind) -> Result<String> {
    let now = Utc::now();
    let (name, bytes) = state.with(|j| {
        Ok(match kind {
            ExportKind::Journal => ("journal", "json", j.export_json(now)?),
            ExportKind::ClientsCsv => ("clients", "csv", j.export_clients_csv()?),
            ExportKind::TouchesCsv => ("touches", "csv", j.export_touches_csv()?),
            ExportKind::FollowUpsIcs => (
                "follow-ups",
                "ics",
                j.export_follow_ups_ics(now)?.into_bytes(),
            ),
        })
        .map(|(what, ext, bytes)| ((what, ext), bytes))
    })?;
    let dir = app
        .path()
        .download_dir()
        .or_else(|_| app.path().home_dir())
        .map_err(|e| Error::System(format!("no folder to export into: {e}")))?;
    let stem = format!("rapport-{}-{}", name.0, Local::now().format("%Y-%m-%d"));
    let mut path = dir.join(format!("{stem}.{}", name.1));
    let mut n = 1;
    while path.exists() {
        n += 1;
        path = dir.join(format!("{stem}-{n}.{}", name.1));
    }
    rapport::write_private(&path, &bytes)?;
    Ok(path.display().to_string())
}

#[tauri::command(async)]
pub fn preview_import(
    state: State<'_, JournalState>,
    bytes: Vec<u8>,
    mapping: Option<Vec<Field>>,
) -> Result<Preview> {
    state.with(|j| j.preview_import(&bytes, mapping.as_deref()))
}

#[tauri::command(async)]
pub fn import_file(
    state: State<'_, JournalState>,
    bytes: Vec<u8>,
    mapping: Option<Vec<Field>>,
    skip_duplicates: bool,
) -> Result<Imported> {
    state.with(|j| j.import(&bytes, mapping.as_deref(), skip_duplicates, Utc::now()))
}
