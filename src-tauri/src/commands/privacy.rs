//! The journal's encryption: opening it with the passphrase or the recovery key when the
//! keyring cannot give its key, choosing and changing the passphrase, the recovery key, and
//! encrypting a journal (and its backups) kept in plain text by an earlier Rapport.
//!
//! A passphrase arrives as a string over the window's bridge; it is wiped from this process's
//! memory once used (the webview's own copy goes with the field it was typed in).

use chrono::Local;
use serde::Serialize;
use tauri::AppHandle;
use zeroize::Zeroizing;

use crate::{Error, Result};

use super::State;

/// How the journal is kept, as the Settings view says it.
#[derive(Debug, Serialize)]
pub struct Privacy {
    /// Encrypted (else in plain text, from an earlier Rapport).
    encrypted: bool,
    /// The desktop's keyring is there and open.
    keyring: bool,
    /// A passphrase opens it (a key file is beside it).
    passphrase: bool,
    /// Backups still in plain text in the backups folder.
    plaintext_backups: usize,
    /// The journal was made by this run (the window offers a passphrase once).
    created: bool,
    /// Opened by its passphrase, its key in no keyring: it can be locked.
    can_lock: bool,
    /// After how many idle minutes the window locks it (0: never).
    lock_after: u32,
}

#[tauri::command(async)]
pub fn privacy(state: State<'_>) -> Result<Privacy> {
    Ok(Privacy {
        encrypted: state.key().is_some(),
        keyring: state.keyring.check().is_ok(),
        passphrase: state.key_file().exists(),
        plaintext_backups: rapport::plaintext_backups(state.backups_dir())?.len(),
        created: state.created.load(std::sync::atomic::Ordering::Relaxed),
        can_lock: state
            .by_passphrase
            .load(std::sync::atomic::Ordering::Relaxed),
        lock_after: state.with(|j| j.lock_after_minutes()).unwrap_or(0),
    })
}

/// Locks the journal now: the window asks for the passphrase again.
#[tauri::command(async)]
pub fn lock_now(state: State<'_>) -> Result<()> {
    state.lock()
}

/// Sets after how many idle minutes the window locks the journal (0: never).
#[tauri::command(async)]
pub fn set_lock_after(state: State<'_>, minutes: u32) -> Result<()> {
    state.with(|j| j.set_lock_after_minutes(minutes))
}

/// Creates the new journal with a passphrase of the user's choosing (no keyring on this
/// desktop); returns its recovery key.
#[tauri::command(async)]
pub fn choose_passphrase(state: State<'_>, passphrase: String) -> Result<String> {
    let passphrase = Zeroizing::new(passphrase);
    let key = state.create_with_passphrase(&passphrase)?;
    Ok(key.recovery_text().to_string())
}

/// Opens the waiting journal with its passphrase.
#[tauri::command(async)]
pub fn unlock(state: State<'_>, passphrase: String) -> Result<()> {
    let passphrase = Zeroizing::new(passphrase);
    let key = rapport::read_key_file(&state.key_file(), &passphrase)?;
    state.unlock_with(key)
}

/// Opens the waiting journal with its recovery key, typed as printed.
#[tauri::command(async)]
pub fn unlock_with_recovery_key(state: State<'_>, recovery_key: String) -> Result<()> {
    let text = Zeroizing::new(recovery_key);
    state.unlock_with(rapport::Key::from_recovery_text(&text)?)
}

/// Asks the desktop to unlock its keyring, then opens the journal with the key there.
#[tauri::command(async)]
pub fn unlock_keyring(state: State<'_>) -> Result<()> {
    state.unlock_keyring()
}

/// Sets or changes the passphrase of the open, encrypted journal: only the key file is written
/// again; the journal keeps its key.
#[tauri::command(async)]
pub fn set_passphrase(state: State<'_>, passphrase: String) -> Result<()> {
    let passphrase = Zeroizing::new(passphrase);
    let key = state.key().ok_or_else(not_encrypted)?;
    rapport::check_passphrase(&passphrase)?;
    Ok(rapport::write_key_file(
        &state.key_file(),
        &key,
        &passphrase,
    )?)
}

fn not_encrypted() -> Error {
    Error::System("Your journal is not encrypted yet.".into())
}

/// The open journal's recovery key, to print or keep.
#[tauri::command(async)]
pub fn recovery_key(state: State<'_>) -> Result<String> {
    let key = state.key().ok_or_else(not_encrypted)?;
    Ok(key.recovery_text().to_string())
}

/// Saves the recovery key as a text file in the Downloads folder, to print and then remove;
/// returns its path.
#[tauri::command(async)]
pub fn save_recovery_key(app: AppHandle, state: State<'_>) -> Result<String> {
    let key = state.key().ok_or_else(not_encrypted)?;
    let dir = super::data::downloads(&app)?;
    let path = dir.join(format!(
        "Rapport recovery key {}.txt",
        Local::now().format("%Y-%m-%d")
    ));
    let text = Zeroizing::new(format!(
        "Rapport recovery key\n\
         \n\
         Journal: {}\n\
         \n\
         {}\n\
         \n\
         This key opens your journal if you forget your passphrase and the desktop's keyring\n\
         is lost. Print it, keep the paper somewhere safe, and delete this file: anyone who\n\
         has it and a copy of your journal can read the journal.\n",
        state.path.display(),
        &*key.recovery_text()
    ));
    rapport::write_private(&path, text.as_bytes())?;
    Ok(path.display().to_string())
}

/// Encrypts the journal kept in plain text (the user agreed); returns its recovery key.
#[tauri::command(async)]
pub fn encrypt_journal(state: State<'_>, passphrase: Option<String>) -> Result<String> {
    let passphrase = passphrase.filter(|p| !p.is_empty()).map(Zeroizing::new);
    let key = state.encrypt(passphrase.as_deref().map(String::as_str))?;
    Ok(key.recovery_text().to_string())
}

/// Encrypts the backups left in plain text with the journal's key; returns how many.
#[tauri::command(async)]
pub fn encrypt_old_backups(state: State<'_>) -> Result<usize> {
    let key = state.key().ok_or_else(not_encrypted)?;
    Ok(rapport::encrypt_backups(state.backups_dir(), &key)?)
}

/// Erases the backups left in plain text; returns how many.
#[tauri::command(async)]
pub fn delete_old_backups(state: State<'_>) -> Result<usize> {
    if state.key().is_none() {
        // They are the only backups of a journal in plain text.
        return Err(not_encrypted());
    }
    let old = rapport::plaintext_backups(state.backups_dir())?;
    for path in &old {
        rapport::remove_plaintext(path)?;
    }
    Ok(old.len())
}
