//! The upkeep Rapport does on threads of its own while it runs, each through a connection of its
//! own so the window never waits: the daily backup, and the tidying saves leave undone (merging
//! the search index, copying the log into the journal file).

use std::time::Duration;

use chrono::Utc;
use rapport::Journal;
use tauri::{AppHandle, Emitter, Manager};

use crate::{Error, JournalState, Result};

/// How often the daily-backup thread looks whether a day has passed since the newest backup.
const BACKUP_LOOK: Duration = Duration::from_secs(60 * 60);
/// The first look waits until the window is up: copying and checking a large journal would
/// otherwise compete with starting.
const BACKUP_FIRST_LOOK: Duration = Duration::from_secs(5);

impl JournalState {
    /// A second connection to the journal, for work that must not hold the window's.
    pub(crate) fn side_connection(&self) -> Result<Journal> {
        if let Some(lost) = self.lost() {
            return Err(Error::Unavailable(lost.message));
        }
        Ok(self.open_file(&self.path)?)
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
    let handle = app.clone();
    periodically(
        app,
        "backups",
        BACKUP_FIRST_LOOK,
        BACKUP_LOOK,
        move |state| {
            // Not while the journal is not open: a restore brings it back, and the next look
            // takes the backup then.
            if state.lost().is_some() {
                return Look::Again;
            }
            // A failure (disk full, a restore holding the journal) is tried again at the next
            // look, and said in the Settings view until a backup succeeds. A copy that fails its
            // check may mean the journal itself is damaged: it is checked then.
            let dir = state.backups_dir();
            let taken = state.side_connection().and_then(|j| {
                match j.daily_backup_if_due(&dir, Utc::now()) {
                    Err(e @ rapport::Error::Corrupt { .. }) => {
                        if let Err(damage) = j.check() {
                            found_damaged(&handle, state, &damage);
                        }
                        Err(e.into())
                    }
                    other => Ok(other?),
                }
            });
            *state
                .backup_problem
                .lock()
                .unwrap_or_else(|p| p.into_inner()) = taken.err().map(|e| e.to_string());
            Look::Again
        },
    );
}

/// The first look at the journal's pages waits until the window is up, as the backup does.
const CHECK_FIRST_LOOK: Duration = Duration::from_secs(5);

/// Reads every page of the journal once after start, on its own thread and connection
/// ([`Journal::check`]): a journal damaged since it was last used (a zeroed page) is shown as
/// damaged, with the newest good backup offered, instead of views that are quietly empty.
pub fn start_checking(app: &AppHandle) {
    let handle = app.clone();
    periodically(
        app,
        "check journal",
        CHECK_FIRST_LOOK,
        CHECK_FIRST_LOOK,
        move |state| {
            // A journal waiting for its key is checked once it is opened.
            if state.waits_for_key() {
                return Look::Again;
            }
            idle_priority();
            if let Ok(journal) = state.side_connection() {
                if let Err(damage @ rapport::Error::Corrupt { .. }) = journal.check() {
                    found_damaged(&handle, state, &damage);
                }
            }
            Look::Stop
        },
    );
}

/// Runs the calling thread only when the machine has nothing else to do (Linux's SCHED_IDLE):
/// reading a 2 GB journal takes a core for 14 s, which the window's scrolling and typing
/// must not share (on a 2-core machine they lost frames, and WebKit held 7 MB more while it
/// ran). Elsewhere, or refused, the thread runs as it is.
fn idle_priority() {
    #[cfg(target_os = "linux")]
    {
        use thread_priority::{
            set_thread_priority_and_policy, thread_native_id, NormalThreadSchedulePolicy,
            ThreadPriority, ThreadSchedulePolicy,
        };
        let _ = set_thread_priority_and_policy(
            thread_native_id(),
            ThreadPriority::Min,
            ThreadSchedulePolicy::Normal(NormalThreadSchedulePolicy::Idle),
        );
    }
}

/// Takes a damaged journal from the window and tells it, so it shows why and what to do.
fn found_damaged(app: &AppHandle, state: &JournalState, damage: &rapport::Error) {
    state.damaged(damage);
    let _ = app.emit("journal-damaged", ());
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
