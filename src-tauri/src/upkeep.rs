//! The upkeep Rapport does on threads of its own while it runs, each through a connection of its
//! own so the window never waits: the daily backup, and the tidying saves leave undone (merging
//! the search index, copying the log into the journal file).

use std::time::Duration;

use chrono::Utc;
use rapport::Journal;
use tauri::{AppHandle, Manager};

use crate::{Error, JournalState, Result};

/// How often the daily-backup thread looks whether a day has passed since the newest backup.
const BACKUP_LOOK: Duration = Duration::from_secs(60 * 60);
/// The first look waits until the window is up: copying and checking a large journal would
/// otherwise compete with starting.
const BACKUP_FIRST_LOOK: Duration = Duration::from_secs(5);

impl JournalState {
    /// A second connection to the journal, for work that must not hold the window's.
    pub(crate) fn side_connection(&self) -> Result<Journal> {
        if let Err(e) = self.opened() {
            return Err(Error::Unavailable(e.message.clone()));
        }
        Ok(Journal::open(&self.path)?)
    }
}

/// Starts a thread named `name` that looks after `first`, then every `every`, calling `look`
/// with the journal's state until it says to stop.
fn periodically(
    app: &AppHandle,
    name: &str,
    first: Duration,
    every: Duration,
    look: impl Fn(&JournalState) -> Look + Send + 'static,
) {
    let app = app.clone();
    let _ = std::thread::Builder::new()
        .name(name.into())
        .spawn(move || {
            std::thread::sleep(first);
            while let Look::Again = look(&app.state::<JournalState>()) {
                std::thread::sleep(every);
            }
        });
}

/// Whether a periodic look goes on.
enum Look {
    Again,
    Stop,
}

/// Takes the daily backup at start and whenever a day has passed, on its own thread.
pub fn start_daily_backups(app: &AppHandle) {
    periodically(app, "backups", BACKUP_FIRST_LOOK, BACKUP_LOOK, |state| {
        if state.opened().is_err() {
            return Look::Stop;
        }
        // A failure (disk full, a restore holding the journal) is tried again at the next
        // look; the Settings view lists what backups there are.
        let dir = state.backups_dir();
        let _ = state
            .side_connection()
            .and_then(|j| Ok(j.daily_backup_if_due(&dir, Utc::now())?));
        Look::Again
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
    periodically(app, "tidy search", TIDY_LOOK, TIDY_LOOK, |state| {
        if !state
            .untidy
            .swap(false, std::sync::atomic::Ordering::Relaxed)
        {
            return Look::Again;
        }
        let Ok(mut journal) = state.side_connection() else {
            return Look::Again;
        };
        // A failed step (the journal busy, the disk full) is left for the next look.
        while journal.tidy(TIDY_STEP_PAGES).unwrap_or(false) {
            std::thread::sleep(TIDY_PAUSE);
        }
        Look::Again
    });
}
