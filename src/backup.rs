//! Backups of the journal: taken with SQLite's online backup API while the journal stays open,
//! written under a temporary name, verified, and only then given their real name; a daily one
//! kept in the data folder's `backups/`, pruned to the last few; and restoring one, which keeps
//! the journal it replaces beside it.
//!
//! A backup is one self-contained SQLite file (rollback journal mode, no `-wal`), readable by its
//! owner only, named `rapport-YYYYMMDD-HHMMSS.sqlite3` after the moment it was taken, in UTC.

use std::fs;
use std::path::{Path, PathBuf};

use chrono::{DateTime, Duration, NaiveDateTime, Utc};
use rusqlite::{Connection, OpenFlags};
use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::files::{
    abandoned, create_private_dir, create_private_file, folder_of, sync_dir, temp_beside,
    with_suffix,
};
use crate::journal::{Journal, APPLICATION_ID, SCHEMA_VERSION};
use crate::key::Key;

/// The name of the backups folder inside the data folder.
pub const BACKUPS_DIR: &str = "backups";

/// The folder the backups of the journal at `journal` are kept in: [`BACKUPS_DIR`] beside it.
pub fn backups_dir(journal: impl AsRef<Path>) -> PathBuf {
    journal
        .as_ref()
        .parent()
        .unwrap_or(Path::new("."))
        .join(BACKUPS_DIR)
}
/// How many daily backups are kept unless the user says otherwise.
pub const BACKUP_KEEP_DEFAULT: u32 = 7;
/// How many daily backups the user may ask to keep: at least two, since with one each new
/// backup replaces the only other copy, and damage copied into today's leaves nothing good.
pub const BACKUP_KEEP: std::ops::RangeInclusive<u32> = 2..=365;
/// How old the newest backup may be before [`Journal::daily_backup_if_due`] takes another.
pub const BACKUP_INTERVAL: Duration = Duration::hours(24);

pub(crate) const KEEP_KEY: &str = "backup_keep";
const PREFIX: &str = "rapport-";
const SUFFIX: &str = ".sqlite3";
const STAMP: &str = "%Y%m%d-%H%M%S";

/// How many records of each kind a journal holds: shown beside a backup, and compared after one
/// is written to prove it holds what the journal held.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct JournalCounts {
    /// Clients, archived ones included.
    pub clients: u64,
    /// Touches.
    pub touches: u64,
    /// Notes.
    pub notes: u64,
    /// Follow-ups, done or not.
    pub follow_ups: u64,
    /// Stage moves.
    pub stage_changes: u64,
    /// Introductions.
    pub introductions: u64,
}

/// A verified backup file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BackupInfo {
    /// Where it is.
    pub path: PathBuf,
    /// When it was taken (from its name for a listed backup; to the second).
    pub taken_at: DateTime<Utc>,
    /// Its size in bytes.
    pub size: u64,
    /// What it holds.
    pub counts: JournalCounts,
    /// The schema version it was written with.
    pub schema_version: usize,
}

/// A file in the backups folder, as [`list_backups`] finds it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ListedBackup {
    /// Where it is.
    pub path: PathBuf,
    /// When it was taken, from its name: by the clock of that moment, which may have been wrong.
    pub taken_at: DateTime<Utc>,
    /// Its place in the order the backups were taken, from its name (`0` for backups named
    /// before Rapport numbered them): what "newest" means, whatever the clock said.
    pub sequence: u64,
    /// Its size in bytes.
    pub size: u64,
    /// What it holds; `None` when it failed its check.
    pub counts: Option<JournalCounts>,
    /// Why it cannot be used, when it failed its check: it does not count as a backup, is never
    /// restored, and is never pruned (it is left for the user to look at).
    pub problem: Option<String>,
    /// Whether it failed its check only because it is encrypted with another key: a backup of
    /// another journal, restored with [`restore_backup_of_another_journal`] once that journal's
    /// key is given.
    pub other_journal: bool,
}

/// What [`Journal::daily_backup_if_due`] did.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct DailyBackup {
    /// The backup taken, if one was due.
    pub made: Option<BackupInfo>,
    /// Old backups removed to keep the setting's number.
    pub pruned: Vec<PathBuf>,
}

/// What [`restore_backup`] did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Restored {
    /// The backup now in place, as verified.
    pub backup: BackupInfo,
    /// Where the journal it replaced was kept (`None` when there was no journal).
    pub set_aside: Option<PathBuf>,
}

impl Journal {
    /// How many records of each kind the journal holds.
    pub fn counts(&self) -> Result<JournalCounts> {
        counts(&self.conn).map_err(Error::context("Counting the journal's records"))
    }

    /// Writes a verified backup of the journal to `path` (replacing a file there), while the
    /// journal stays open and other connections may write.
    ///
    /// The copy is one consistent snapshot, written under a temporary name beside `path`, then
    /// opened and checked (`PRAGMA integrity_check`, the application id, a known schema version,
    /// and the same record counts as the journal at the snapshot) before it is renamed to
    /// `path`. A copy that fails its check is deleted and the error returned.
    pub fn backup_to(&self, path: impl AsRef<Path>) -> Result<BackupInfo> {
        let path = path.as_ref();
        let temp = temp_beside(path, "backup");
        let made = self.backup_unchecked(&temp).and_then(|expected| {
            let mut info = verify(&temp, true, self.key())?;
            if info.counts != expected {
                return Err(Error::Corrupt {
                    path: temp.clone(),
                    detail: format!(
                        "the copy holds {:?}, the journal held {expected:?}",
                        info.counts
                    ),
                });
            }
            fs::rename(&temp, path).map_err(Error::io("Saving the backup", path))?;
            sync_dir(path);
            info.path = path.to_path_buf();
            Ok(info)
        });
        if made.is_err() {
            let _ = fs::remove_file(&temp);
            let _ = fs::remove_file(with_suffix(&temp, "-journal"));
        }
        made.map_err(|e| e.on_disk(folder_of(path), "Taking the backup"))
    }

    /// Copies the journal to `dest` (a new file), returning the counts of the snapshot copied.
    fn backup_unchecked(&self, dest: &Path) -> Result<JournalCounts> {
        drop(create_private_file(dest)?);
        // Encrypted with the journal's key: SQLCipher copies pages only between databases
        // keyed alike, and a backup must be no more readable than the journal.
        let mut target = open_keyed(
            dest,
            OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_CREATE,
            self.key(),
        )
        .map_err(Error::context("Opening the backup"))?;
        // One read transaction around the count and the copy: both see the same snapshot, and
        // in WAL mode other connections write on meanwhile.
        self.conn
            .execute_batch("BEGIN DEFERRED")
            .map_err(Error::context("Starting the backup"))?;
        let copied = (|| -> Result<JournalCounts> {
            let expected = counts(&self.conn).map_err(Error::context("Counting for the backup"))?;
            {
                let backup = rusqlite::backup::Backup::new(&self.conn, &mut target)
                    .map_err(Error::context("Starting the backup"))?;
                // All pages in one step: the snapshot is held throughout, so a write by another
                // connection can never restart the copy.
                let mut waits = 0;
                loop {
                    match backup
                        .step(-1)
                        .map_err(Error::context("Copying the journal"))?
                    {
                        rusqlite::backup::StepResult::Done => break,
                        rusqlite::backup::StepResult::More => {}
                        // Busy or locked: another connection holds the target or a lock for a
                        // moment; the busy timeout has already waited, so wait a little more.
                        _ if waits < 250 => {
                            waits += 1;
                            std::thread::sleep(std::time::Duration::from_millis(20));
                        }
                        _ => {
                            return Err(Error::Locked {
                                path: dest.to_path_buf(),
                            })
                        }
                    }
                }
            }
            Ok(expected)
        })();
        let _ = self.conn.execute_batch("COMMIT");
        let expected = copied?;
        // A backup is one file: no -wal beside it to lose when it is copied or moved.
        target
            .pragma_update_and_check(None, "journal_mode", "DELETE", |r| r.get::<_, String>(0))
            .map_err(Error::context("Finishing the backup"))?;
        target
            .close()
            .map_err(|(_, e)| Error::context("Closing the backup")(e))?;
        fs::File::open(dest)
            .and_then(|f| f.sync_all())
            .map_err(Error::io("Syncing the backup", dest))?;
        Ok(expected)
    }

    /// Takes a verified backup now into `dir` (created, owner only, if missing), named after
    /// `now`. Nothing is pruned: [`Journal::back_up_now`] is what the user's "Back up now" does.
    pub fn backup_into(&self, dir: impl AsRef<Path>, now: DateTime<Utc>) -> Result<BackupInfo> {
        let dir = dir.as_ref();
        create_private_dir(dir).map_err(|e| e.on_disk(folder_of(dir), "Taking the backup"))?;
        let stamp = now.format(STAMP).to_string();
        // Numbered after the last one taken: the order of backups is this number's, not the
        // clock's, which may have been ahead when one was taken or be behind now.
        let mut sequence = backup_names(dir)?
            .into_iter()
            .map(|(sequence, _)| sequence)
            .max()
            .unwrap_or(0)
            + 1;
        let mut path = dir.join(format!("{PREFIX}{stamp}-s{sequence}{SUFFIX}"));
        while path.exists() {
            sequence += 1;
            path = dir.join(format!("{PREFIX}{stamp}-s{sequence}{SUFFIX}"));
        }
        let mut info = self.backup_to(&path)?;
        info.taken_at = parse_name(&path).map_or(now, |(_, taken_at)| taken_at);
        Ok(info)
    }

    /// Takes a backup into `dir` when the newest one there (the last taken, by its number) is
    /// [`BACKUP_INTERVAL`] old or more, or there is none, or it claims a time after `now` (the
    /// clock was ahead when it was taken, or is behind now: the backup taken then is the newest
    /// from then on, and the days are counted from it); then removes the oldest good backups
    /// beyond [`Journal::backup_keep`]. Files that fail their check are neither counted nor
    /// removed.
    pub fn daily_backup_if_due(
        &self,
        dir: impl AsRef<Path>,
        now: DateTime<Utc>,
    ) -> Result<DailyBackup> {
        let dir = dir.as_ref();
        // Decided from the names alone: checking every backup (each as large as the journal) at
        // every start and every hour would cost more than the backup itself. Each was checked
        // when it was taken; the listing checks them again when someone looks.
        remove_abandoned_temps(dir);
        if let Some(journal) = self.path() {
            remove_abandoned_restores(journal);
        }
        let newest = backup_names(dir)?.into_iter().max();
        let due = newest.map_or(true, |(_, t)| now - t >= BACKUP_INTERVAL || t > now);
        if !due {
            return Ok(DailyBackup::default());
        }
        let (made, pruned) = self.backup_and_prune(dir, now)?;
        Ok(DailyBackup {
            made: Some(made),
            pruned,
        })
    }

    /// A backup now, as "Back up now" takes it: verified into `dir`, then the oldest good
    /// backups beyond [`Journal::backup_keep`] removed, as after a daily one, so the folder
    /// never holds more than the user chose.
    pub fn back_up_now(&self, dir: impl AsRef<Path>, now: DateTime<Utc>) -> Result<BackupInfo> {
        Ok(self.backup_and_prune(dir.as_ref(), now)?.0)
    }

    fn backup_and_prune(
        &self,
        dir: &Path,
        now: DateTime<Utc>,
    ) -> Result<(BackupInfo, Vec<PathBuf>)> {
        let made = self.backup_into(dir, now)?;
        let pruned = prune_backups(dir, self.backup_keep()?, self.key())?;
        Ok((made, pruned))
    }

    /// How many daily backups to keep ([`BACKUP_KEEP_DEFAULT`] unless set).
    pub fn backup_keep(&self) -> Result<u32> {
        let stored = self.setting(KEEP_KEY, "Reading the backup setting")?;
        Ok(stored
            .and_then(|s| s.parse().ok())
            .filter(|n| BACKUP_KEEP.contains(n))
            .unwrap_or(BACKUP_KEEP_DEFAULT))
    }

    /// Sets how many daily backups to keep, within [`BACKUP_KEEP`].
    pub fn set_backup_keep(&mut self, keep: u32) -> Result<()> {
        check_keep(keep)?;
        self.set_setting(KEEP_KEY, &keep.to_string(), "Saving the backup setting")
    }
}

/// A number of backups to keep, within [`BACKUP_KEEP`].
pub(crate) fn check_keep(keep: u32) -> Result<()> {
    if !BACKUP_KEEP.contains(&keep) {
        return Err(Error::invalid(
            "backup_keep",
            format!(
                "must be between {} and {} backups, not {keep}",
                BACKUP_KEEP.start(),
                BACKUP_KEEP.end()
            ),
        ));
    }
    Ok(())
}

/// The backups in `dir` (files named `rapport-YYYYMMDD-HHMMSS….sqlite3`), newest first, each
/// given a quick check (`PRAGMA quick_check`, application id, schema version, counts). A
/// missing folder has none.
pub fn list_backups(dir: impl AsRef<Path>, key: Option<&Key>) -> Result<Vec<ListedBackup>> {
    let dir = dir.as_ref();
    let entries = match fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(e) => return Err(Error::io("Reading the backups folder", dir)(e)),
    };
    let mut found = Vec::new();
    for entry in entries {
        let entry = entry.map_err(Error::io("Reading the backups folder", dir))?;
        let path = entry.path();
        let Some((sequence, taken_at)) = parse_name(&path) else {
            continue;
        };
        let size = entry.metadata().map(|m| m.len()).unwrap_or(0);
        let (counts, problem, other_journal) = match verify(&path, false, key) {
            Ok(info) => (Some(info.counts), None, false),
            Err(e) => (
                None,
                Some(e.to_string()),
                matches!(e, Error::WrongKey { .. }),
            ),
        };
        found.push(ListedBackup {
            path,
            taken_at,
            sequence,
            size,
            counts,
            problem,
            other_journal,
        });
    }
    found.sort_by(|a, b| (b.sequence, b.taken_at, &b.path).cmp(&(a.sequence, a.taken_at, &a.path)));
    Ok(found)
}

/// Removes half-written backups left by a Rapport that was killed while taking one (never one
/// a running process may still be writing).
fn remove_abandoned_temps(dir: &Path) {
    for entry in fs::read_dir(dir).into_iter().flatten().flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        if name.starts_with(&format!(".{PREFIX}")) && abandoned(&name, "backup") {
            let _ = fs::remove_file(entry.path());
        }
    }
}

/// Removes the copies of a backup, and their companions, left beside the journal at
/// `journal_path` by a restore that was killed before it put the copy in place.
fn remove_abandoned_restores(journal_path: &Path) {
    let Some(name) = journal_path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
    else {
        return;
    };
    let folder = journal_path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    for entry in fs::read_dir(folder).into_iter().flatten().flatten() {
        let file = entry.file_name().to_string_lossy().into_owned();
        if file.starts_with(&format!(".{name}.")) && abandoned(&file, "restoring") {
            let _ = fs::remove_file(entry.path());
        }
    }
}

/// How many journals set aside by restores are kept beside the journal, the one just set aside
/// included: enough to go back on a restore or two, not one for every restore ever made.
pub const SET_ASIDE_KEEP: usize = 3;

/// Removes the oldest journals set aside by restores beyond [`SET_ASIDE_KEEP`], never `kept`
/// (the one a restore has just set aside, whatever its date says), each with its companions.
fn prune_set_aside(journal_path: &Path, kept: &Path) {
    let stem = journal_path
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_else(|| "journal".into());
    let prefix = format!("{stem}-before-restore-");
    let folder = kept.parent().unwrap_or(Path::new("."));
    let mut others: Vec<PathBuf> = fs::read_dir(folder)
        .into_iter()
        .flatten()
        .flatten()
        .map(|e| e.path())
        .filter(|p| {
            p.file_name()
                .and_then(|n| n.to_str())
                .is_some_and(|n| n.starts_with(&prefix) && n.ends_with(SUFFIX))
                && p != kept
        })
        .collect();
    // Newest first by the moment in their names, then by their number within one second.
    others.sort_by_key(|p| {
        let name = p.file_name().map(|n| n.to_string_lossy().into_owned());
        let name = name.unwrap_or_default();
        let tail = &name[prefix.len()..name.len() - SUFFIX.len()];
        let (stamp, n) = match tail.get(15..) {
            Some(rest) => (
                tail[..15].to_string(),
                rest.trim_start_matches('-').parse::<u32>().unwrap_or(1),
            ),
            None => (tail.to_string(), 1),
        };
        std::cmp::Reverse((stamp, n))
    });
    for old in others.into_iter().skip(SET_ASIDE_KEEP.saturating_sub(1)) {
        for suffix in ["", "-wal", "-shm", "-journal"] {
            let _ = fs::remove_file(with_suffix(&old, suffix));
        }
    }
}

/// Each backup in `dir` as its name says: its number and when it was taken.
fn backup_names(dir: &Path) -> Result<Vec<(u64, DateTime<Utc>)>> {
    match fs::read_dir(dir) {
        Ok(entries) => Ok(entries
            .filter_map(|e| parse_name(&e.ok()?.path()))
            .collect()),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(Vec::new()),
        Err(e) => Err(Error::io("Reading the backups folder", dir)(e)),
    }
}

/// Removes the good backups in `dir` beyond the newest `keep` by their numbers, so the one just
/// taken is never among them whatever the clock says (at least one is always kept); returns the
/// files removed. Files that failed their check are left alone.
pub fn prune_backups(dir: impl AsRef<Path>, keep: u32, key: Option<&Key>) -> Result<Vec<PathBuf>> {
    let keep = usize::try_from(keep.max(1)).unwrap_or(usize::MAX);
    let mut pruned = Vec::new();
    for old in list_backups(dir, key)?
        .into_iter()
        .filter(|b| b.problem.is_none())
        .skip(keep)
    {
        fs::remove_file(&old.path).map_err(Error::io("Removing an old backup", &old.path))?;
        pruned.push(old.path);
    }
    Ok(pruned)
}

/// Opens the backup at `path` read-only and checks it whole (`PRAGMA integrity_check`), or, with
/// `full` false, quickly (`PRAGMA quick_check`): a Rapport journal, of a schema version this
/// build knows, undamaged. Returns what it holds.
///
/// `key` is the journal's key when it is encrypted: a backup is encrypted with the key of the
/// journal it was taken from, and one that does not open with it is refused with
/// [`Error::WrongKey`].
pub fn verify_backup(path: impl AsRef<Path>, key: Option<&Key>) -> Result<BackupInfo> {
    verify(path.as_ref(), true, key)
}

/// A connection to the database at `path`, keyed with `key` before anything is read.
fn open_keyed(path: &Path, flags: OpenFlags, key: Option<&Key>) -> rusqlite::Result<Connection> {
    let conn = Connection::open_with_flags(path, flags)?;
    if let Some(key) = key {
        crate::key::apply(&conn, key)?;
    }
    Ok(conn)
}

pub(crate) fn verify(path: &Path, full: bool, key: Option<&Key>) -> Result<BackupInfo> {
    let corrupt = |detail: String| Error::Corrupt {
        path: path.to_path_buf(),
        detail,
    };
    let meta = fs::metadata(path).map_err(Error::io("Reading the backup", path))?;
    if !meta.is_file() {
        return Err(corrupt("not a file".into()));
    }
    // A backup is self-contained: a -wal beside it would mean it is not one of ours, and SQLite
    // would want to write to it.
    if with_suffix(path, "-wal").exists() {
        return Err(corrupt("it has a write-ahead log beside it".into()));
    }
    if key.is_some() && crate::journal::plain_header(path) {
        return Err(Error::NotEncrypted {
            path: path.to_path_buf(),
        });
    }
    let conn = open_keyed(
        path,
        OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        key,
    )
    .map_err(|e| corrupt(e.to_string()))?;
    let check = if full {
        "integrity_check"
    } else {
        "quick_check"
    };
    let verdict: Vec<String> = conn
        .prepare(&format!("PRAGMA {check}(10)"))
        .and_then(|mut s| s.query_map([], |r| r.get(0))?.collect())
        .map_err(|e| match (e.sqlite_error_code(), key) {
            // Encrypted, a file that does not decrypt is another journal's, or damaged.
            (Some(rusqlite::ErrorCode::NotADatabase), Some(_)) => Error::WrongKey {
                path: path.to_path_buf(),
            },
            _ => corrupt(e.to_string()),
        })?;
    if verdict != ["ok"] {
        return Err(corrupt(verdict.join("; ")));
    }
    let (app_id, version): (i32, usize) = conn
        .query_row(
            "SELECT (SELECT application_id FROM pragma_application_id),
                    (SELECT user_version FROM pragma_user_version)",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .map_err(|e| corrupt(e.to_string()))?;
    if app_id != APPLICATION_ID {
        return Err(Error::NotAJournal {
            path: path.to_path_buf(),
        });
    }
    if version > SCHEMA_VERSION {
        return Err(Error::NewerVersion {
            path: path.to_path_buf(),
            found: version,
            known: SCHEMA_VERSION,
        });
    }
    if version == 0 {
        return Err(corrupt("it has no schema".into()));
    }
    // Its tables, indexes and triggers must be exactly what Rapport's migrations make for its
    // version: a trigger added by another program would run on every later write (one that
    // deletes touches as others are logged, say) once the backup is the journal.
    let found = schema_of(&conn).map_err(|e| corrupt(e.to_string()))?;
    let expected = expected_schema(version)?;
    if let Some(odd) = found
        .iter()
        .find(|o| !expected.contains(o))
        .or_else(|| expected.iter().find(|o| !found.contains(o)))
    {
        let (kind, name, _) = odd;
        let how = if found.contains(odd) {
            "is not one of Rapport's, or differs from Rapport's"
        } else {
            "is missing"
        };
        return Err(corrupt(format!("the {kind} {name:?} {how}")));
    }
    let counts = counts(&conn).map_err(|e| corrupt(e.to_string()))?;
    Ok(BackupInfo {
        path: path.to_path_buf(),
        taken_at: parse_name(path)
            .map(|(_, taken_at)| taken_at)
            .or_else(|| meta.modified().ok().map(DateTime::<Utc>::from))
            .unwrap_or(DateTime::<Utc>::MIN_UTC),
        size: meta.len(),
        counts,
        schema_version: version,
    })
}

/// Every table, index, view and trigger of the database on `conn` but SQLite's own: its kind,
/// name and the SQL that made it.
type Schema = Vec<(String, String, String)>;

fn schema_of(conn: &Connection) -> rusqlite::Result<Schema> {
    conn.prepare(
        "SELECT type, name, coalesce(sql, '') FROM sqlite_schema
         WHERE name NOT LIKE 'sqlite\\_%' ESCAPE '\\' ORDER BY type, name",
    )?
    .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?
    .collect()
}

/// The schema Rapport's migrations make for `version`, made once per version in memory.
fn expected_schema(version: usize) -> Result<Schema> {
    use std::collections::HashMap;
    use std::sync::{Mutex, OnceLock};
    static MADE: OnceLock<Mutex<HashMap<usize, Schema>>> = OnceLock::new();
    let mut made = MADE
        .get_or_init(Default::default)
        .lock()
        .unwrap_or_else(|p| p.into_inner());
    if let Some(schema) = made.get(&version) {
        return Ok(schema.clone());
    }
    let ctx = Error::context("Making the schema a backup is checked against");
    let mut conn = Connection::open_in_memory().map_err(&ctx)?;
    crate::journal::migrations()
        .to_version(&mut conn, version)
        .map_err(Error::Migration)?;
    let schema = schema_of(&conn).map_err(&ctx)?;
    made.insert(version, schema.clone());
    Ok(schema)
}

fn counts(conn: &Connection) -> rusqlite::Result<JournalCounts> {
    conn.query_row(
        "SELECT (SELECT count(*) FROM client),
                (SELECT count(*) FROM entry WHERE kind <> 'note'),
                (SELECT count(*) FROM entry WHERE kind = 'note'),
                (SELECT count(*) FROM follow_up),
                (SELECT count(*) FROM stage_change),
                (SELECT count(*) FROM introduction)",
        [],
        |r| {
            Ok(JournalCounts {
                clients: r.get(0)?,
                touches: r.get(1)?,
                notes: r.get(2)?,
                follow_ups: r.get(3)?,
                stage_changes: r.get(4)?,
                introductions: r.get(5)?,
            })
        },
    )
}

/// The moment in a backup's name, `rapport-YYYYMMDD-HHMMSS[-n].sqlite3`, if it is one.
fn parse_name(path: &Path) -> Option<(u64, DateTime<Utc>)> {
    let name = path.file_name()?.to_str()?;
    let rest = name.strip_prefix(PREFIX)?.strip_suffix(SUFFIX)?;
    let stamp = rest.get(..15)?;
    let tail = &rest[15..];
    let digits = |n: &str| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit());
    // `-s42`: the 42nd backup; nothing or `-2` (a second in the same second): named before
    // backups were numbered, so older than every numbered one.
    let sequence = match tail.strip_prefix("-s") {
        Some(n) if digits(n) => n.parse().ok()?,
        Some(_) => return None,
        None if tail.is_empty() || tail.strip_prefix('-').is_some_and(digits) => 0,
        None => return None,
    };
    let taken_at = NaiveDateTime::parse_from_str(stamp, STAMP).ok()?.and_utc();
    Some((sequence, taken_at))
}

/// Puts the backup at `backup_path` in place of the journal at `journal_path`, keeping the
/// journal it replaces beside it as `journal-before-restore-YYYYMMDD-HHMMSS.sqlite3`.
///
/// Call it with the journal closed (the desktop shell drops its [`Journal`] first), then open
/// the journal again. In order:
///
/// 1. the backup is verified whole, and copied beside the journal under a temporary name, and
///    the copy verified again; a backup that fails is refused and nothing changes;
/// 2. the current journal, if it opens, has its write-ahead log checkpointed into it and is
///    switched out of WAL, so it is one self-contained file; if another connection still has it
///    open this fails with [`Error::Locked`] and nothing changes (a damaged journal that does not
///    open is kept as it is, with its `-wal` and `-shm`);
/// 3. the journal is linked (or copied) to its set-aside name, any leftover `-wal`/`-shm` moved
///    beside that, and only then the copy renamed over the journal: at no moment is there no
///    journal at `journal_path`, and the old one's log can never be replayed into the restored
///    one.
pub fn restore_backup(
    journal_path: impl AsRef<Path>,
    backup_path: impl AsRef<Path>,
    key: Option<&Key>,
    now: DateTime<Utc>,
) -> Result<Restored> {
    restore(journal_path.as_ref(), backup_path.as_ref(), key, key, now)
}

/// [`restore_backup`] for a backup of another journal, one encrypted with another key (from
/// another computer, or a journal started anew): it opens with `backup_key`, that journal's, and
/// its copy is encrypted again with `key`, the journal's, before it takes the journal's place.
/// The journal keeps its key (in the keyring, in its key file, in the recovery key the user
/// saved), and its own backups still open with it.
pub fn restore_backup_of_another_journal(
    journal_path: impl AsRef<Path>,
    backup_path: impl AsRef<Path>,
    backup_key: &Key,
    key: &Key,
    now: DateTime<Utc>,
) -> Result<Restored> {
    let (journal_path, backup_path) = (journal_path.as_ref(), backup_path.as_ref());
    restore(journal_path, backup_path, Some(backup_key), Some(key), now)
}

fn restore(
    journal_path: &Path,
    backup_path: &Path,
    backup_key: Option<&Key>,
    key: Option<&Key>,
    now: DateTime<Utc>,
) -> Result<Restored> {
    verify(backup_path, true, backup_key)?;
    if let Some(parent) = journal_path.parent().filter(|p| !p.as_os_str().is_empty()) {
        create_private_dir(parent)?;
    }
    remove_abandoned_restores(journal_path);
    let temp = temp_beside(journal_path, "restoring");
    let result = (|| -> Result<Restored> {
        {
            let mut from = fs::File::open(backup_path)
                .map_err(Error::io("Reading the backup", backup_path))?;
            let mut to = create_private_file(&temp)?;
            std::io::copy(&mut from, &mut to)
                .and_then(|_| to.sync_all())
                .map_err(Error::io("Copying the backup", &temp))?;
        }
        if let (Some(from), Some(to)) = (backup_key, key) {
            if from.as_bytes() != to.as_bytes() {
                rekey(&temp, from, to)?;
            }
        }
        let mut backup = verify(&temp, true, key)?;
        backup.path = backup_path.to_path_buf();
        // A backup from an older version is upgraded here, on the copy, before it takes the
        // journal's place: an upgrade that fails (a disk nearly full) leaves the journal as it
        // was, and the file put in place opens without having to write.
        drop(Journal::open_with(&temp, key)?);
        settle(&temp, key)?;

        let set_aside = if journal_path.exists() {
            settle(journal_path, key)?;
            let aside = aside_name(journal_path, now);
            if fs::hard_link(journal_path, &aside).is_err() {
                let mut to = create_private_file(&aside)?;
                let mut from = fs::File::open(journal_path)
                    .map_err(Error::io("Reading the journal", journal_path))?;
                std::io::copy(&mut from, &mut to)
                    .and_then(|_| to.sync_all())
                    .map_err(Error::io("Keeping the journal aside", &aside))?;
            }
            for companion in ["-wal", "-shm", "-journal"] {
                let from = with_suffix(journal_path, companion);
                if from.exists() {
                    let to = with_suffix(&aside, companion);
                    fs::rename(&from, &to).map_err(Error::io("Keeping the journal aside", &to))?;
                }
            }
            Some(aside)
        } else {
            None
        };
        fs::rename(&temp, journal_path).map_err(Error::io("Restoring", journal_path))?;
        sync_dir(journal_path);
        if let Some(aside) = &set_aside {
            prune_set_aside(journal_path, aside);
        }
        Ok(Restored { backup, set_aside })
    })();
    if result.is_err() {
        for suffix in ["", "-wal", "-shm", "-journal"] {
            let _ = fs::remove_file(with_suffix(&temp, suffix));
        }
    }
    result.map_err(|e| e.on_disk(folder_of(journal_path), "Restoring the backup"))
}

/// Encrypts every page of the self-contained database at `path` (a backup's copy) again, from
/// the key `from` to the key `to`, in one transaction of SQLCipher's (`PRAGMA rekey`).
fn rekey(path: &Path, from: &Key, to: &Key) -> Result<()> {
    let failed = |e: rusqlite::Error| Error::Corrupt {
        path: path.to_path_buf(),
        detail: format!("it could not be encrypted with this journal's key: {e}"),
    };
    let conn = open_keyed(
        path,
        OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        Some(from),
    )
    .map_err(failed)?;
    // SQLCipher re-encrypts through the rollback journal, not a write-ahead log.
    conn.pragma_update(None, "journal_mode", "DELETE")
        .and_then(|()| conn.pragma_update(None, "synchronous", "FULL"))
        .and_then(|()| conn.pragma_update(None, "rekey", &*to.pragma_value()))
        .map_err(failed)
}

/// Folds the journal's write-ahead log into it and leaves it in rollback mode, so the main
/// file alone holds everything. Refuses with [`Error::Locked`] when another connection has it
/// open; a journal that does not open as a database is left as it is.
pub(crate) fn settle(journal_path: &Path, key: Option<&Key>) -> Result<()> {
    let locked = || Error::Locked {
        path: journal_path.to_path_buf(),
    };
    let Ok(conn) = open_keyed(
        journal_path,
        OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        key,
    ) else {
        return Ok(());
    };
    let _ = conn.busy_timeout(std::time::Duration::from_millis(200));
    let is_busy = |e: &rusqlite::Error| {
        matches!(
            e.sqlite_error_code(),
            Some(rusqlite::ErrorCode::DatabaseBusy | rusqlite::ErrorCode::DatabaseLocked)
        )
    };
    match conn.query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |r| {
        r.get::<_, i64>(0)
    }) {
        Ok(0) => {}
        Ok(_) => return Err(locked()),
        Err(e) if is_busy(&e) => return Err(locked()),
        // Damaged: kept aside as it is, companions and all.
        Err(_) => return Ok(()),
    }
    match conn.query_row("PRAGMA journal_mode = DELETE", [], |r| {
        r.get::<_, String>(0)
    }) {
        Ok(mode) if mode.eq_ignore_ascii_case("delete") => {}
        Ok(_) => return Err(locked()),
        Err(e) if is_busy(&e) => return Err(locked()),
        Err(_) => return Ok(()),
    }
    conn.close().map_err(|_| locked())?;
    Ok(())
}

fn aside_name(journal_path: &Path, now: DateTime<Utc>) -> PathBuf {
    let stem = journal_path
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_else(|| "journal".into());
    let stamp = now.format(STAMP);
    let mut path = journal_path.with_file_name(format!("{stem}-before-restore-{stamp}{SUFFIX}"));
    let mut n = 1;
    while path.exists() {
        n += 1;
        path = journal_path.with_file_name(format!("{stem}-before-restore-{stamp}-{n}{SUFFIX}"));
    }
    path
}
