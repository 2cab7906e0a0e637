//! Keeping the journal safe and moving it in and out: backups (listed, taken now, restored),
//! exports into the Downloads folder, and imports with a preview (and the rows they leave out
//! saved there too).

use chrono::{Local, Utc};
use rapport::{
    BackupInfo, DuplicateChoices, ExportKind, ImportOptions, Imported, ListedBackup, Preview,
};
use serde::Serialize;
use tauri::{AppHandle, Manager};
use zeroize::Zeroizing;

use crate::{Error, Result};

use super::State;

/// The backups as the Settings view lists them.
#[derive(Debug, Serialize)]
pub struct Backups {
    /// Where they are.
    dir: String,
    /// How many daily backups are kept.
    keep: u32,
    /// Newest first; a damaged one says what is wrong with it.
    backups: Vec<ListedBackup>,
    /// Why the last daily backup failed, until one succeeds.
    problem: Option<String>,
}

#[tauri::command(async)]
pub fn backups(state: State<'_>) -> Result<Backups> {
    // Listed also while the journal is not open (damaged): the window offers the newest good
    // one then.
    let keep = state
        .with(|j| j.backup_keep())
        .unwrap_or(rapport::BACKUP_KEEP_DEFAULT);
    let dir = state.backups_dir();
    Ok(Backups {
        backups: rapport::list_backups(&dir, state.key().as_ref())?,
        dir: dir.display().to_string(),
        keep,
        problem: state
            .backup_problem
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .clone(),
    })
}

#[tauri::command(async)]
pub fn back_up_now(state: State<'_>) -> Result<BackupInfo> {
    Ok(state
        .side_connection()?
        .back_up_now(state.backups_dir(), Utc::now())?)
}

#[tauri::command(async)]
pub fn set_backup_keep(state: State<'_>, keep: u32) -> Result<()> {
    state.with(|j| j.set_backup_keep(keep))?;
    rapport::prune_backups(state.backups_dir(), keep, state.key().as_ref())?;
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
pub fn restore_backup(state: State<'_>, path: String) -> Result<RestoreDone> {
    // Only a file listed in the backups folder is restored: the window names one, it does not
    // get to point the journal at any file on the disk.
    let dir = state.backups_dir();
    let chosen = rapport::list_backups(&dir, state.key().as_ref())?
        .into_iter()
        .find(|b| b.path.to_str() == Some(path.as_str()))
        .ok_or_else(|| rapport::Error::NotFound {
            kind: "backup",
            id: 0,
        })?;
    let restored = state.restore(&chosen.path)?;
    Ok(RestoreDone {
        backup: restored.backup,
        set_aside: restored.set_aside.map(|p| p.display().to_string()),
    })
}

/// Restores a backup of another journal (listed as encrypted with another key: from another
/// computer, or a journal started anew) with that journal's recovery key, or with its passphrase
/// and its key file, copied into the backups folder beside the backup as `<backup name>.key` or
/// as `journal.key`. The journal keeps its own key.
#[tauri::command(async)]
pub fn restore_other_backup(state: State<'_>, path: String, secret: String) -> Result<RestoreDone> {
    let secret = Zeroizing::new(secret);
    let dir = state.backups_dir();
    let chosen = rapport::list_backups(&dir, state.key().as_ref())?
        .into_iter()
        .find(|b| b.other_journal && b.path.to_str() == Some(path.as_str()))
        .ok_or_else(|| rapport::Error::NotFound {
            kind: "backup",
            id: 0,
        })?;
    let backup_key = key_of_other_backup(&chosen.path, &dir, &secret)?;
    let restored = state.restore_another(&chosen.path, &backup_key)?;
    Ok(RestoreDone {
        backup: restored.backup,
        set_aside: restored.set_aside.map(|p| p.display().to_string()),
    })
}

/// The key of the journal a backup came from, from `secret`: its recovery key, or a passphrase
/// that opens a key file beside the backup whose key opens the backup.
fn key_of_other_backup(
    backup: &std::path::Path,
    dir: &std::path::Path,
    secret: &str,
) -> Result<rapport::Key> {
    let invalid = |why: String| Error::Core(rapport::Error::invalid("secret", why));
    if let Ok(key) = rapport::Key::from_recovery_text(secret) {
        return match rapport::verify_backup(backup, Some(&key)) {
            Err(rapport::Error::WrongKey { .. }) => Err(invalid(
                "That recovery key is of another journal: it does not open this backup.".into(),
            )),
            other => other.map(|_| key).map_err(Error::from),
        };
    }
    let own = backup.with_extension("key");
    let candidates: Vec<_> = [own.clone(), dir.join(rapport::KEY_FILE_NAME)]
        .into_iter()
        .filter(|p| p.is_file())
        .collect();
    if candidates.is_empty() {
        return Err(invalid(format!(
            "Its passphrase needs the key file of the journal it came from, and none is beside              it. Type that journal's recovery key, or copy its {} into {} as {}.",
            rapport::KEY_FILE_NAME,
            dir.display(),
            own.file_name().unwrap_or_default().to_string_lossy(),
        )));
    }
    let mut damaged = None;
    for file in &candidates {
        match rapport::read_key_file(file, secret) {
            Ok(key) if rapport::verify_backup(backup, Some(&key)).is_ok() => return Ok(key),
            Ok(_) | Err(rapport::Error::WrongPassphrase { .. }) => {}
            Err(e) => damaged = Some(e),
        }
    }
    Err(damaged.map(Error::from).unwrap_or_else(|| {
        invalid(
            "That passphrase opens no key file of the journal this backup came from. Check it,              or type that journal's recovery key."
                .into(),
        )
    }))
}

/// The folder exports are saved into: Downloads, or the home folder without one.
pub(crate) fn downloads(app: &AppHandle) -> Result<std::path::PathBuf> {
    app.path()
        .download_dir()
        .or_else(|_| app.path().home_dir())
        .map_err(|e| Error::System(format!("no folder to export into: {e}")))
}

#[tauri::command(async)]
pub fn export(app: AppHandle, state: State<'_>, kind: ExportKind) -> Result<String> {
    let dir = downloads(&app)?;
    let path = state.with(|j| j.export_into(kind, &dir, Utc::now(), Local::now().date_naive()))?;
    Ok(path.display().to_string())
}

#[tauri::command(async)]
pub fn preview_import(state: State<'_>, bytes: Vec<u8>, options: ImportOptions) -> Result<Preview> {
    state.with(|j| j.preview_import(&bytes, &options))
}

#[tauri::command(async)]
pub fn import_file(
    state: State<'_>,
    bytes: Vec<u8>,
    options: ImportOptions,
    duplicates: DuplicateChoices,
) -> Result<Imported> {
    state.with(|j| j.import(&bytes, &options, &duplicates, Utc::now()))
}

/// Saves the rows an import leaves out into the Downloads folder; returns the file's path, or
/// nothing when no row is left out. Needs no journal.
#[tauri::command(async)]
pub fn save_skipped_rows(
    app: AppHandle,
    bytes: Vec<u8>,
    options: ImportOptions,
) -> Result<Option<String>> {
    let dir = downloads(&app)?;
    let path = rapport::save_skipped(&bytes, &options, &dir, Local::now().date_naive())?;
    Ok(path.map(|p| p.display().to_string()))
}
