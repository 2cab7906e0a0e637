//! A journal kept in plain text by an earlier Rapport, encrypted in place of itself; and its
//! backups in plain text, encrypted or removed.
//!
//! The encrypted copy is written beside the file under a temporary name (`sqlcipher_export`),
//! checked whole with the key (integrity, Rapport's schema, the same counts), synced, and only
//! then renamed over the file in plain text. The plain text's blocks are then overwritten with
//! zeros through a handle kept open on it, and synced: on a disk that writes in place that
//! erases them; a solid-state disk or a copy-on-write file system may keep the old blocks until
//! it reuses them, which no program can force (the README says so).

use std::fs;
use std::io::{Seek, SeekFrom, Write};
use std::path::Path;

use rusqlite::{Connection, OpenFlags};

use crate::backup::{settle, verify, JournalCounts};
use crate::error::{Error, Result};
use crate::files::{abandoned, create_private_file, sync_dir, temp_beside, with_suffix};
use crate::journal::plain_header;
use crate::key::Key;

/// Encrypts the journal at `path`, kept in plain text, with `key`: the journal is encrypted
/// when this returns, holding exactly what it held, and its plain text is gone from the file.
/// Refused with [`Error::Locked`] while another connection has it open, and with
/// [`Error::Invalid`] (`journal`) when it is not a journal in plain text; a failure leaves the
/// journal as it was.
pub fn encrypt_journal(path: impl AsRef<Path>, key: &Key) -> Result<JournalCounts> {
    let path = path.as_ref();
    if !plain_header(path) {
        return Err(Error::invalid(
            "journal",
            "is not a journal in plain text (it is encrypted already, or not a journal)",
        ));
    }
    // Its log folded in and the file left in rollback mode: one self-contained file to copy.
    settle(path, None)?;
    encrypt_file(path, key)
}

/// Encrypts, with `key`, each backup in `dir` kept in plain text; returns how many. A backup
/// that fails its check is left as it is (it is not a backup Rapport would restore).
pub fn encrypt_backups(dir: impl AsRef<Path>, key: &Key) -> Result<usize> {
    let mut done = 0;
    for listed in crate::backup::list_backups(dir, None)? {
        if listed.problem.is_none() && plain_header(&listed.path) {
            encrypt_file(&listed.path, key)?;
            done += 1;
        }
    }
    Ok(done)
}

/// The backups in `dir` still in plain text, whole or not: what a user is offered to encrypt or
/// remove once the journal is encrypted.
pub fn plaintext_backups(dir: impl AsRef<Path>) -> Result<Vec<std::path::PathBuf>> {
    Ok(crate::backup::list_backups(dir, None)?
        .into_iter()
        .map(|b| b.path)
        .filter(|p| plain_header(p))
        .collect())
}

/// Removes a file in plain text for good, as far as a program can: its bytes overwritten with
/// zeros and synced, then the file removed and its folder synced.
pub fn remove_plaintext(path: impl AsRef<Path>) -> Result<()> {
    let path = path.as_ref();
    let mut file = fs::OpenOptions::new()
        .write(true)
        .open(path)
        .map_err(Error::io("Opening the file to erase", path))?;
    overwrite(&mut file).map_err(Error::io("Erasing", path))?;
    drop(file);
    fs::remove_file(path).map_err(Error::io("Removing", path))?;
    sync_dir(path);
    Ok(())
}

fn overwrite(file: &mut fs::File) -> std::io::Result<()> {
    let len = file.metadata()?.len();
    file.seek(SeekFrom::Start(0))?;
    let zeros = vec![0u8; 64 * 1024];
    let mut left = len;
    while left > 0 {
        let n = left.min(zeros.len() as u64) as usize;
        file.write_all(&zeros[..n])?;
        left -= n as u64;
    }
    file.sync_all()
}

/// Encrypts the self-contained database file at `path` (no `-wal` beside it) in place.
fn encrypt_file(path: &Path, key: &Key) -> Result<JournalCounts> {
    remove_abandoned_copies(path);
    let before = verify(path, true, None)?;
    let temp = temp_beside(path, "encrypting");
    let result = (|| -> Result<JournalCounts> {
        drop(create_private_file(&temp)?);
        {
            let conn = Connection::open_with_flags(
                path,
                OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX,
            )
            .map_err(Error::context("Opening the journal to encrypt it"))?;
            let temp_name = temp.to_string_lossy().into_owned();
            conn.execute(
                "ATTACH DATABASE ?1 AS encrypted KEY ?2",
                rusqlite::params![temp_name, &*key.pragma_value()],
            )
            .map_err(Error::context("Starting the encrypted copy"))?;
            crate::key::apply_to(&conn, "encrypted")
                .map_err(Error::context("Starting the encrypted copy"))?;
            conn.query_row("SELECT sqlcipher_export('encrypted')", [], |_| Ok(()))
                .map_err(Error::context("Writing the encrypted copy"))?;
            // The header's fields are not part of the export: Rapport's mark and its schema
            // version go across by hand.
            let (app_id, version): (i32, i64) = conn
                .query_row(
                    "SELECT (SELECT application_id FROM main.pragma_application_id),
                            (SELECT user_version FROM main.pragma_user_version)",
                    [],
                    |r| Ok((r.get(0)?, r.get(1)?)),
                )
                .map_err(Error::context("Reading the journal's header"))?;
            conn.execute_batch(&format!(
                "PRAGMA encrypted.application_id = {app_id};
                 PRAGMA encrypted.user_version = {version};
                 DETACH DATABASE encrypted;"
            ))
            .map_err(Error::context("Finishing the encrypted copy"))?;
        }
        fs::File::open(&temp)
            .and_then(|f| f.sync_all())
            .map_err(Error::io("Syncing the encrypted copy", &temp))?;
        let after = verify(&temp, true, Some(key))?;
        if after.counts != before.counts {
            return Err(Error::Corrupt {
                path: temp.clone(),
                detail: format!(
                    "the encrypted copy holds {:?}, the journal {:?}",
                    after.counts, before.counts
                ),
            });
        }
        // A handle on the plain text, kept across the rename, to erase its blocks after.
        let mut plain = fs::OpenOptions::new()
            .write(true)
            .open(path)
            .map_err(Error::io("Opening the journal in plain text", path))?;
        fs::rename(&temp, path)
            .map_err(Error::io("Putting the encrypted journal in place", path))?;
        sync_dir(path);
        overwrite(&mut plain).map_err(Error::io("Erasing the journal in plain text", path))?;
        Ok(after.counts)
    })();
    if result.is_err() {
        for suffix in ["", "-journal", "-wal", "-shm"] {
            let _ = fs::remove_file(with_suffix(&temp, suffix));
        }
    }
    result
}

/// Removes encrypted copies left beside `path` by an encryption that was killed.
fn remove_abandoned_copies(path: &Path) {
    let Some(name) = path.file_name().map(|n| n.to_string_lossy().into_owned()) else {
        return;
    };
    let folder = crate::files::folder_of(path);
    for entry in fs::read_dir(folder).into_iter().flatten().flatten() {
        let file = entry.file_name().to_string_lossy().into_owned();
        if file.starts_with(&format!(".{name}.")) && abandoned(&file, "encrypting") {
            let _ = fs::remove_file(entry.path());
        }
    }
}
