//! The journal file: opening it safely, bringing its schema up to date, and the helpers every
//! query shares.

use std::path::{Path, PathBuf};
use std::sync::LazyLock;
use std::time::Duration;

use chrono::{DateTime, TimeZone, Utc};
use rusqlite::{
    config::DbConfig, functions::FunctionFlags, Connection, ErrorCode, OpenFlags,
    OptionalExtension, TransactionBehavior,
};
use rusqlite_migration::{Migrations, M};

use crate::error::{Error, Result};
use crate::key::Key;

/// `PRAGMA application_id` of a Rapport journal: "RAPT".
pub const APPLICATION_ID: i32 = 0x5241_5054;

/// The name of the journal file inside the data folder.
pub const FILE_NAME: &str = "journal.sqlite3";

/// The log size (in 4 KiB pages, about 40 MB) past which a save copies the log into the
/// journal file itself. SQLite's default, 1,000, made one save in sixty wait for that copy.
const WAL_BACKSTOP_PAGES: u32 = 10_000;

/// How long a write waits for another connection's lock before giving up.
const BUSY_TIMEOUT: Duration = Duration::from_secs(5);

/// The schema's history, oldest first. Append only: a released step is never edited, because
/// journals out there already ran it. Each file opens with a comment saying why it exists.
static MIGRATIONS: LazyLock<Migrations<'static>> = LazyLock::new(|| {
    Migrations::new(vec![
        M::up(include_str!("../migrations/2026-11-23-01_journal.sql")),
        M::up(include_str!("../migrations/2026-11-23-02_search.sql")),
        M::up(include_str!("../migrations/2026-11-23-03_reminders.sql")),
        M::up(include_str!("../migrations/2026-11-23-04_counts.sql")),
        M::up(include_str!(
            "../migrations/2026-11-23-05_search_prefix.sql"
        )),
        M::up(include_str!("../migrations/2026-12-05-06_profile_text.sql")),
    ])
});

/// The page cache of a check, in KiB (negative: SQLite's way of saying KiB, not pages).
const CHECK_CACHE_KIB: i64 = -256;

/// A file's identity on its file system: its device and inode (elsewhere than Unix, none).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct FileId(u64, u64);

impl FileId {
    fn of(path: &Path) -> Option<FileId> {
        std::fs::metadata(path).ok().map(|m| FileId::from(&m))
    }
}

impl From<&std::fs::Metadata> for FileId {
    fn from(m: &std::fs::Metadata) -> FileId {
        #[cfg(unix)]
        {
            use std::os::unix::fs::MetadataExt;
            FileId(m.dev(), m.ino())
        }
        #[cfg(not(unix))]
        {
            let _ = m;
            FileId(0, 0)
        }
    }
}

/// Refuses, without opening it, a file at `path` that SQLite would change as it opened it:
/// another program's database (its header names another application), or one with no name
/// that was left mid-write (a rollback journal beside it, which the first read would play back
/// into it; a Rapport journal keeps a write-ahead log, never a rollback journal).
fn refuse_unopened(path: &Path) -> Result<()> {
    use std::io::Read;
    let mut header = [0u8; 100];
    let read = std::fs::File::open(path).and_then(|mut f| f.read_exact(&mut header));
    if read.is_err() || !header.starts_with(b"SQLite format 3\0") {
        // Empty (a new journal), short or not SQLite: opening it says what it is, and reading
        // a file that is not a database changes nothing.
        return Ok(());
    }
    let app_id = i32::from_be_bytes([header[68], header[69], header[70], header[71]]);
    set_aside_stale_log(path, &header)?;
    let rollback = crate::files::with_suffix(path, "-journal");
    let mid_write = std::fs::metadata(&rollback).is_ok_and(|m| m.len() > 0);
    if app_id != APPLICATION_ID && (app_id != 0 || mid_write) {
        return Err(Error::NotAJournal {
            path: path.to_path_buf(),
        });
    }
    Ok(())
}

/// Whether the file at `path` begins as a database in plain text does (SQLite's own header,
/// readable): a journal not encrypted.
pub(crate) fn plain_header(path: &Path) -> bool {
    head_of(path).as_ref() == Some(PLAIN_MAGIC)
}

/// The first 16 bytes of every SQLite database in plain text.
const PLAIN_MAGIC: &[u8; 16] = b"SQLite format 3\0";

/// The first 16 bytes of the file at `path`: an encrypted journal's salt, or [`PLAIN_MAGIC`]
/// for a database in plain text.
fn head_of(path: &Path) -> Option<[u8; 16]> {
    use std::io::Read;
    let mut salt = [0u8; 16];
    std::fs::File::open(path)
        .and_then(|mut f| f.read_exact(&mut salt))
        .ok()?;
    Some(salt)
}

/// Sets aside a write-ahead log that cannot be this file's: a Rapport journal is in WAL mode
/// (bytes 18 and 19 of its header are 2), so a `-wal` beside a file in rollback mode was left
/// by another file, as when a backup is copied over the journal by hand after a crash. SQLite
/// would play it into the file as it switched to WAL, writing another file's pages into this
/// one. It is renamed `…-wal.stale-YYYYMMDD-HHMMSS`, kept for whoever wants to look, and the
/// `-shm` that indexed it removed.
fn set_aside_stale_log(path: &Path, header: &[u8; 100]) -> Result<()> {
    let wal = crate::files::with_suffix(path, "-wal");
    let has_log = std::fs::metadata(&wal).is_ok_and(|m| m.len() > 0);
    if !has_log || header[18] != 1 || header[19] != 1 {
        return Ok(());
    }
    let stamp = chrono::Utc::now().format("%Y%m%d-%H%M%S");
    let mut aside = crate::files::with_suffix(&wal, &format!(".stale-{stamp}"));
    let mut n = 1;
    while aside.exists() {
        n += 1;
        aside = crate::files::with_suffix(&wal, &format!(".stale-{stamp}-{n}"));
    }
    std::fs::rename(&wal, &aside).map_err(Error::io("Setting aside a stale log", &wal))?;
    let _ = std::fs::remove_file(crate::files::with_suffix(path, "-shm"));
    crate::files::sync_dir(path);
    Ok(())
}

/// The newest schema version this build knows: the number of migrations.
pub const SCHEMA_VERSION: usize = 6;

/// An open journal.
///
/// One connection is enough: a single person writes, and every operation is a few indexed
/// statements. The desktop shell puts it behind one mutex; readers never wait on a slow writer
/// for long because each write is one short transaction.
#[derive(Debug)]
pub struct Journal {
    pub(crate) conn: Connection,
    path: Option<PathBuf>,
    /// The file as it was opened (device and inode), to notice before a write that another
    /// program has put another file in its place or cut it short.
    file: Option<FileId>,
    /// The key an encrypted journal was opened with, and the salt at the head of its file
    /// (SQLCipher's, fixed for the file's life: another file in its place has another).
    key: Option<(Key, [u8; 16])>,
    /// Inside [`Journal::bulk`]: writes join the batch's transaction.
    in_bulk: bool,
    /// A write inside the current batch failed: the batch will be rolled back.
    bulk_failed: bool,
}

impl Journal {
    /// Opens the journal at `path`, creating it if absent, and brings its schema up to date.
    ///
    /// A file that is not a Rapport journal, is damaged, is locked, or was written by a newer
    /// Rapport is refused with its own error and left exactly as it was.
    ///
    /// The file and its `-wal` and `-shm` companions are readable by their owner only (0600),
    /// whatever the umask: a new journal is created so before SQLite first opens it, and an
    /// existing journal's files are narrowed to that when it opens.
    pub fn open(path: impl AsRef<Path>) -> Result<Journal> {
        Self::open_with(path.as_ref(), None)
    }

    /// Opens the journal at `path` encrypted with `key` (SQLCipher: every page of the file and
    /// of its write-ahead log), creating it so if absent, as [`Journal::open`] does otherwise.
    ///
    /// Refused with [`Error::WrongKey`] when the file does not open with `key` (another key, or
    /// damage where the key is checked), and with [`Error::NotEncrypted`] when it is a journal
    /// in plain text; either is left exactly as it was.
    pub fn open_encrypted(path: impl AsRef<Path>, key: &Key) -> Result<Journal> {
        Self::open_with(path.as_ref(), Some(key))
    }

    pub(crate) fn open_with(path: &Path, key: Option<&Key>) -> Result<Journal> {
        let path = path.to_path_buf();
        // Created empty and private first; SQLite gives its -wal and -shm the same mode. A
        // failure here (a missing folder, say) is left for SQLite to report in its own words.
        // Its name is made durable at once: SQLite syncs the folder only when it first syncs
        // the -wal, and the journal's name must not depend on that.
        if !path.exists() && crate::files::create_private_file(&path).is_ok() {
            crate::files::sync_dir(&path);
        }
        // An encrypted journal's first 16 bytes are its salt, or SQLite's own header when it is
        // in plain text: read once, for both.
        let head = key.and_then(|_| head_of(&path));
        match key {
            None => refuse_unopened(&path)?,
            Some(_) if head.as_ref() == Some(PLAIN_MAGIC) => {
                return Err(Error::NotEncrypted { path })
            }
            Some(_) => {}
        }
        let journal = Connection::open_with_flags(
            &path,
            OpenFlags::SQLITE_OPEN_READ_WRITE
                | OpenFlags::SQLITE_OPEN_CREATE
                | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )
        .map_err(|e| open_error(&path, e))
        .and_then(|conn| {
            // The key goes first: SQLCipher reads nothing of the file before it has one.
            if let Some(key) = key {
                crate::key::apply(&conn, key).map_err(|e| open_error(&path, e))?;
            }
            Self::prepare(conn, Some(path.clone()))
        })
        .map_err(|e| match (e, key) {
            (Error::Corrupt { path, .. }, Some(_)) => Error::WrongKey { path },
            (e, _) => e.on_disk(crate::files::folder_of(&path), "Opening the journal"),
        });
        let mut journal = journal?;
        if let Some(key) = key {
            // A new journal has its salt once SQLCipher has written its first page.
            let salt = head
                .or_else(|| head_of(&path))
                .ok_or_else(|| Error::WrongKey { path: path.clone() })?;
            journal.key = Some((key.clone(), salt));
            // Set once the key is known to open the file: setting it reads the schema, which
            // with a wrong key would fail as a damaged file rather than as the wrong key.
            journal
                .conn
                .pragma_update(None, "cache_size", crate::key::ENCRYPTED_CACHE_KIB)
                .map_err(Error::context("Setting the page cache"))?;
        }
        // Only once the file is known to be a Rapport journal: another program's file is never
        // changed. Best effort: a journal on a file system without Unix modes still opens.
        for file in [
            path.clone(),
            crate::files::with_suffix(&path, "-wal"),
            crate::files::with_suffix(&path, "-shm"),
        ] {
            let _ = crate::files::narrow_mode(&file, crate::files::FILE_MODE);
        }
        Ok(journal)
    }

    /// Opens a journal that lives in memory only, for tests of code that needs no file.
    pub fn open_in_memory() -> Result<Journal> {
        let conn = Connection::open_in_memory().map_err(Error::context("Opening in memory"))?;
        Self::prepare(conn, None)
    }

    fn prepare(mut conn: Connection, path: Option<PathBuf>) -> Result<Journal> {
        let shown = path.clone().unwrap_or_else(|| PathBuf::from(":memory:"));
        conn.busy_timeout(BUSY_TIMEOUT)
            .map_err(Error::context("Setting the busy timeout"))?;
        // Tags and organisations compare as people read them, in every script: SQLite's NOCASE
        // folds ASCII only ("Été" and "été" would be two tags). Used by queries only, never by
        // the schema, so any SQLite tool still reads and writes the journal.
        conn.create_scalar_function(
            "rapport_fold",
            1,
            FunctionFlags::SQLITE_UTF8 | FunctionFlags::SQLITE_DETERMINISTIC,
            |ctx| {
                Ok(ctx
                    .get_raw(0)
                    .as_str()
                    .map(crate::validate::fold)
                    .unwrap_or_default())
            },
        )
        .map_err(Error::context("Preparing the journal's connection"))?;

        // Read the header before changing anything, so a foreign or newer file is left untouched:
        // until it is known to be a journal this build may write, closing the connection must
        // not copy the file's write-ahead log into it either (a newer Rapport's last writes
        // may be there only).
        let _ = conn.set_db_config(DbConfig::SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE, true);
        let (app_id, version, objects, mode): (i32, usize, i64, String) = conn
            .query_row(
                "SELECT (SELECT application_id FROM pragma_application_id),
                        (SELECT user_version FROM pragma_user_version),
                        (SELECT count(*) FROM sqlite_schema),
                        (SELECT journal_mode FROM pragma_journal_mode)",
                [],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
            )
            .map_err(|e| open_error(&shown, e))?;
        if app_id != APPLICATION_ID && (app_id != 0 || objects > 0) {
            return Err(Error::NotAJournal { path: shown });
        }
        if version > SCHEMA_VERSION {
            return Err(Error::NewerVersion {
                path: shown,
                found: version,
                known: SCHEMA_VERSION,
            });
        }
        let _ = conn.set_db_config(DbConfig::SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE, false);

        // WAL: readers never block the writer, and a commit is one append to the log.
        // synchronous=FULL: a commit is on disk when the call returns, through a power cut too;
        // a journal entry is small, so the extra sync per commit is cheap next to losing one.
        // The mode is kept in the file: set once, when the journal is new.
        if !mode.eq_ignore_ascii_case("wal") {
            conn.pragma_update(None, "journal_mode", "WAL")
                .map_err(|e| open_error(&shown, e))?;
        }
        conn.pragma_update(None, "synchronous", "FULL")
            .map_err(|e| open_error(&shown, e))?;
        // Copying the log into the file is the background's work (`Journal::tidy`); a save does
        // it only if the log has grown far beyond what the background lets it reach.
        conn.pragma_update(None, "wal_autocheckpoint", WAL_BACKSTOP_PAGES)
            .map_err(|e| open_error(&shown, e))?;
        conn.pragma_update(None, "foreign_keys", "ON")
            .map_err(|e| open_error(&shown, e))?;

        // The version read above is the migration check: an up-to-date journal needs no more.
        if version < SCHEMA_VERSION {
            MIGRATIONS.to_latest(&mut conn).map_err(|e| match e {
                rusqlite_migration::Error::RusqliteError { err, .. } => open_error(&shown, err),
                other => Error::Migration(other),
            })?;
        }
        Ok(Journal {
            conn,
            file: path.as_deref().and_then(FileId::of),
            path,
            key: None,
            in_bulk: false,
            bulk_failed: false,
        })
    }

    /// Reads every page of the journal and checks its structure (`PRAGMA quick_check`): a
    /// damaged page (zeroed by a failing disk, overwritten by another program) is found here,
    /// not later as a view that is silently empty. Refused with [`Error::Corrupt`] naming what
    /// SQLite found. It reads the whole file: seconds for a large journal, so the app runs it
    /// on a connection of its own, in the background.
    pub fn check(&self) -> Result<()> {
        let shown = self
            .path
            .clone()
            .unwrap_or_else(|| PathBuf::from(":memory:"));
        // Each page is read once: a cache would only hold pages the check is done with, in the
        // memory of the app the user sees. Put back as it was afterwards.
        let cache: i64 = self
            .conn
            .query_row("PRAGMA cache_size", [], |r| r.get(0))
            .map_err(|e| open_error(&shown, e))?;
        let _ = self.conn.pragma_update(None, "cache_size", CHECK_CACHE_KIB);
        let verdict: rusqlite::Result<Vec<String>> = self
            .conn
            .prepare("PRAGMA quick_check(10)")
            .and_then(|mut s| s.query_map([], |r| r.get(0))?.collect());
        let _ = self.conn.pragma_update(None, "cache_size", cache);
        let verdict = verdict.map_err(|e| open_error(&shown, e))?;
        if verdict != ["ok"] {
            return Err(Error::Corrupt {
                path: shown,
                detail: verdict.join("; "),
            });
        }
        Ok(())
    }

    /// Whether the file at `path` is a database in plain text (its header readable): a journal
    /// of a Rapport that did not encrypt, to encrypt with the user's agreement.
    pub fn in_plain_text(path: &Path) -> bool {
        plain_header(path)
    }

    /// Whether the file at `path` may be an encrypted journal: SQLCipher writes whole pages of
    /// 4 KiB, so a file of another size is not one (a text file put in its place, say), and is
    /// to be reported as not a journal rather than asked a key for.
    pub fn may_be_encrypted(path: &Path) -> bool {
        std::fs::metadata(path).is_ok_and(|m| m.len() >= 4096 && m.len() % 4096 == 0)
    }

    /// The key the journal was opened with, if it is encrypted.
    pub fn key(&self) -> Option<&Key> {
        self.key.as_ref().map(|(key, _)| key)
    }

    /// The journal's file, or `None` for one in memory.
    pub fn path(&self) -> Option<&Path> {
        self.path.as_deref()
    }

    /// How many rows this journal's connection has written since it opened: a caller compares
    /// two readings to learn whether an operation changed anything.
    pub fn total_changes(&self) -> u64 {
        self.conn.total_changes()
    }

    /// Refuses with [`Error::Replaced`] when the journal's file is no longer the one opened:
    /// another file renamed over it, it cut short below its header, or other bytes written
    /// over it in place (a backup copied over it by hand: a backup is in rollback mode, and
    /// an open journal always in WAL mode). A write would go to the old file, which nothing
    /// will read again, or mix its pages with another file's. An open, a `stat` and a read of
    /// the 100-byte header per write: microseconds next to the sync of the commit.
    fn still_ours(&self) -> Result<()> {
        use std::io::Read;
        let (Some(path), Some(opened)) = (&self.path, self.file) else {
            return Ok(());
        };
        let mut header = [0u8; 100];
        let replaced = match std::fs::File::open(path).and_then(|mut f| {
            let now = f.metadata()?;
            f.read_exact(&mut header)?;
            Ok(now)
        }) {
            Ok(now) => {
                FileId::from(&now) != opened
                    || match &self.key {
                        // Encrypted, the header is not readable: its salt must be the same.
                        Some((_, salt)) => header[..16] != salt[..],
                        None => {
                            !header.starts_with(b"SQLite format 3\0")
                                || header[18] != 2
                                || header[19] != 2
                        }
                    }
            }
            Err(_) => true,
        };
        if replaced {
            return Err(Error::Replaced { path: path.clone() });
        }
        Ok(())
    }

    /// One bounded step of the upkeep saves leave undone, so that none of them waits for it:
    /// first merging the touch and note index (up to `pages` pages; see migration
    /// `2026-11-23-05`), then, once that is done, copying the write-ahead log into the journal
    /// file without waiting on anyone. Returns whether there is more to do: the app calls it in
    /// the background, on a connection of its own, until it returns false.
    pub fn tidy(&mut self, pages: u32) -> Result<bool> {
        let before = self.conn.total_changes();
        self.write(|tx| {
            tx.execute(
                "INSERT INTO entry_fts (entry_fts, rank) VALUES ('merge', ?1)",
                [pages.max(1)],
            )
            .map_err(Error::context("Tidying the search index"))?;
            Ok(())
        })?;
        // FTS5's own measure: a merge that found nothing to do changes fewer than two rows.
        if self.conn.total_changes() - before >= 2 {
            return Ok(true);
        }
        self.conn
            .query_row("PRAGMA wal_checkpoint(PASSIVE)", [], |_| Ok(()))
            .map_err(Error::context("Copying the log into the journal"))?;
        Ok(false)
    }

    /// Whether opening the journal at `path` will upgrade its schema first: an upgrade may
    /// rebuild an index, which takes a while on a large journal, so the window can say so.
    /// Reads the header only, read-only; a missing or unreadable file needs no upgrade here
    /// (opening it says what is wrong).
    pub fn needs_upgrade(path: &Path) -> bool {
        Connection::open_with_flags(
            path,
            OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )
        .and_then(|c| {
            c.query_row(
                "SELECT (SELECT application_id FROM pragma_application_id),
                        (SELECT user_version FROM pragma_user_version)",
                [],
                |r| Ok((r.get::<_, i32>(0)?, r.get::<_, usize>(1)?)),
            )
        })
        .is_ok_and(|(app_id, version)| app_id == APPLICATION_ID && version < SCHEMA_VERSION)
    }

    /// The schema version of the open journal.
    pub fn schema_version(&self) -> Result<usize> {
        self.conn
            .query_row("PRAGMA user_version", [], |r| r.get(0))
            .map_err(Error::context("Reading the schema version"))
    }

    /// The text stored for the setting `key`, if it was ever set; `reading` names the read in
    /// an error.
    pub(crate) fn setting(&self, key: &str, reading: &'static str) -> Result<Option<String>> {
        self.conn
            .query_row("SELECT value FROM setting WHERE key = ?1", [key], |r| {
                r.get(0)
            })
            .optional()
            .map_err(Error::context(reading))
    }

    /// Stores `value` for the setting `key`, in a write of its own; `saving` names the write in
    /// an error.
    pub(crate) fn set_setting(
        &mut self,
        key: &str,
        value: &str,
        saving: &'static str,
    ) -> Result<()> {
        self.write(|tx| {
            put_setting(tx, key, value).map_err(Error::context(saving))?;
            Ok(())
        })
    }

    /// Runs `f` in one immediate transaction: all of it is written, or none of it.
    ///
    /// Inside [`Journal::bulk`] the batch's transaction is already open, so `f` runs in it; if
    /// `f` fails, the batch is marked failed and will be rolled back whole.
    pub(crate) fn write<T>(&mut self, f: impl FnOnce(&Connection) -> Result<T>) -> Result<T> {
        self.still_ours()?;
        if self.in_bulk {
            let value = f(&self.conn);
            if value.is_err() {
                self.bulk_failed = true;
            }
            return value;
        }
        let saved = (|| {
            let tx = self
                .conn
                .transaction_with_behavior(TransactionBehavior::Immediate)
                .map_err(Error::context("Starting a write"))?;
            let value = f(&tx)?;
            tx.commit().map_err(Error::context("Saving"))?;
            Ok(value)
        })();
        saved.map_err(|e| self.on_disk(e))
    }

    /// `e` as [`Error::Disk`] when the disk holding the journal refused the write.
    fn on_disk(&self, e: Error) -> Error {
        match self.path.as_deref() {
            Some(path) => e.on_disk(crate::files::folder_of(path), "Saving"),
            None => e,
        }
    }

    /// Runs many writes as one durable transaction: for imports and generated journals, where a
    /// commit (and its sync to disk) per write would cost more than the writes themselves.
    ///
    /// Inside `f`, every method of the journal works as usual, with the same validation and the
    /// same statements, but nothing is committed until `f` returns. The batch is all or nothing:
    /// when `f` returns `Ok` and every write in it succeeded, the whole batch is committed at once
    /// and is on disk when `bulk` returns; when `f` returns an error, or any write inside it was
    /// refused (even if `f` went on), nothing of the batch is written and the first error is
    /// returned. Reads inside `f` see the batch's writes. Batches do not nest.
    pub fn bulk<T>(&mut self, f: impl FnOnce(&mut Journal) -> Result<T>) -> Result<T> {
        if self.in_bulk || !self.conn.is_autocommit() {
            return Err(Error::invalid("bulk", "a batch is already open"));
        }
        self.still_ours()?;
        self.conn
            .execute_batch("BEGIN IMMEDIATE")
            .map_err(Error::context("Starting a batch"))?;
        self.in_bulk = true;
        self.bulk_failed = false;
        // A panic inside `f` rolls the batch back before it goes on, so the connection is never
        // left inside a transaction.
        let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| f(self)));
        self.in_bulk = false;
        let outcome = match result {
            Ok(Ok(_)) if self.bulk_failed => Err(Error::invalid(
                "bulk",
                "a write in the batch was refused, so none of it was saved",
            )),
            Ok(Ok(value)) => match self.conn.execute_batch("COMMIT") {
                Ok(()) => return Ok(value),
                Err(e) => Err(Error::context("Saving a batch")(e)),
            },
            Ok(Err(e)) => Err(e),
            Err(panic) => {
                let _ = self.conn.execute_batch("ROLLBACK");
                std::panic::resume_unwind(panic)
            }
        };
        if !self.conn.is_autocommit() {
            let _ = self.conn.execute_batch("ROLLBACK");
        }
        outcome.map_err(|e| self.on_disk(e))
    }
}

/// Schema versions this build knows: the migrations, for tests that start from an old one.
pub fn migrations() -> &'static Migrations<'static> {
    &MIGRATIONS
}

fn open_error(path: &Path, e: rusqlite::Error) -> Error {
    let path = path.to_path_buf();
    match e.sqlite_error_code() {
        Some(ErrorCode::DatabaseBusy | ErrorCode::DatabaseLocked) => Error::Locked { path },
        Some(ErrorCode::NotADatabase | ErrorCode::DatabaseCorrupt) => Error::Corrupt {
            path,
            detail: e.to_string(),
        },
        _ => Error::Database {
            context: "Opening the journal",
            source: e,
        },
    }
}

/// Seconds since the epoch, as the journal stores a moment.
pub(crate) fn secs(at: DateTime<Utc>) -> i64 {
    at.timestamp()
}

/// The moment stored as `secs`.
pub(crate) fn moment(secs: i64) -> DateTime<Utc> {
    Utc.timestamp_opt(secs, 0)
        .single()
        .unwrap_or(DateTime::<Utc>::MIN_UTC)
}

/// The moment stored as `secs`, if any.
pub(crate) fn moment_opt(secs: Option<i64>) -> Option<DateTime<Utc>> {
    secs.map(moment)
}

/// Checks that a record of `kind` exists, so a missing id is reported by name rather than as a
/// failed foreign key.
pub(crate) fn exists(conn: &Connection, kind: &'static str, id: i64) -> Result<()> {
    let sql = match kind {
        "client" => "SELECT 1 FROM client WHERE id = ?1",
        "touch" => "SELECT 1 FROM entry WHERE id = ?1 AND kind <> 'note'",
        "note" => "SELECT 1 FROM entry WHERE id = ?1 AND kind = 'note'",
        "follow-up" => "SELECT 1 FROM follow_up WHERE id = ?1",
        "introduction" => "SELECT 1 FROM introduction WHERE id = ?1",
        "stage change" => "SELECT 1 FROM stage_change WHERE id = ?1",
        _ => unreachable!("no table for {kind}"),
    };
    let found = conn
        .prepare_cached(sql)
        .and_then(|mut s| s.exists([id]))
        .map_err(Error::context("Looking up a record"))?;
    if found {
        Ok(())
    } else {
        Err(Error::NotFound { kind, id })
    }
}

/// Stores `value` for the setting `key` on `conn`, inside the caller's transaction.
pub(crate) fn put_setting(conn: &Connection, key: &str, value: &str) -> rusqlite::Result<usize> {
    conn.execute(
        "INSERT INTO setting (key, value) VALUES (?1, ?2)
         ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        [key, value],
    )
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// Asserts that SQLite's plan for `sql` names each of `wanted` and none of `refused`
    /// ("SCAN" is a walk over a whole table or index; "TEMP B-TREE" a sort of every row found).
    pub(crate) fn assert_plan(journal: &Journal, sql: &str, wanted: &[&str], refused: &[&str]) {
        let mut stmt = journal
            .conn
            .prepare(&format!("EXPLAIN QUERY PLAN {sql}"))
            .unwrap_or_else(|e| panic!("{e}: {sql}"));
        let count = stmt.parameter_count();
        let args: Vec<i64> = vec![1; count];
        let plan: Vec<String> = stmt
            .query_map(rusqlite::params_from_iter(args), |r| r.get::<_, String>(3))
            .unwrap()
            .collect::<rusqlite::Result<_>>()
            .unwrap();
        let plan = plan.join("\n");
        for w in wanted {
            assert!(plan.contains(w), "plan should use {w}:\n{plan}\nfor {sql}");
        }
        for r in refused {
            assert!(!plan.contains(r), "plan should not {r}:\n{plan}\nfor {sql}");
        }
    }

    #[test]
    fn the_relationship_clock_reads_one_index_entry() {
        let journal = Journal::open_in_memory().unwrap();
        assert_plan(
            &journal,
            crate::clients::REFRESH_CLOCK,
            &["entry_clock", "USING INTEGER PRIMARY KEY"],
            &["SCAN"],
        );
    }
}
