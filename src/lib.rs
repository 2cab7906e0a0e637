//! Rapport's journal core: clients, touches, notes, follow-ups, stages and introductions kept in
//! one SQLite file, with the queries the desktop app and the reminder engine are built on.
//!
//! The core knows nothing of windows or notifications, and never reads the clock: every
//! operation that depends on the time takes `now` as an argument, so tests can drive a journal
//! through months in milliseconds.

#![forbid(unsafe_code)]

mod archive;
mod backup;
mod clients;
mod dates;
mod encrypt;
mod entries;
mod error;
mod export;
mod files;
mod follow_ups;
mod import;
mod introductions;
mod journal;
mod key;
mod keyfile;
mod merge;
mod model;
mod needs;
mod reminders;
mod sample;
mod search;
mod timeline;
mod undo;
pub mod validate;

pub use archive::{
    parse_journal_json, ExportClient, ExportEntry, ExportFired, ExportFollowUp, ExportIntroduction,
    ExportStageChange, JournalExport, JSON_FORMAT, JSON_VERSION,
};
pub use backup::{
    backups_dir, list_backups, prune_backups, restore_backup, restore_backup_of_another_journal,
    verify_backup, BackupInfo, DailyBackup, JournalCounts, ListedBackup, Restored, BACKUPS_DIR,
    BACKUP_INTERVAL, BACKUP_KEEP, BACKUP_KEEP_DEFAULT, SET_ASIDE_KEEP,
};
pub use clients::{
    Archived, ClientFilter, ClientOverview, ClientPage, ClientRow, ClientSort, Counted,
};
pub use dates::{parse_due, parse_when, DateOrder, DEFAULT_DUE_TIME};
pub use encrypt::{encrypt_backups, encrypt_journal, plaintext_backups, remove_plaintext};
pub use entries::FirstEntry;
pub use error::{DiskTrouble, Error, Problem, Result};
pub use export::ExportKind;
pub use files::{create_private_dir, write_private, DIR_MODE, FILE_MODE};
pub use import::{
    guess_field, guess_mapping, parse_csv, parse_vcard, report, save_skipped, sniff_delimiter,
    AcceptedRow, Duplicate, DuplicateChoice, DuplicateChoices, Field, ImportFormat, ImportOptions,
    Imported, NamedFrom, Parsed, ParsedRow, Preview, Report, Skipped, Warning, IMPORT_MAX_BYTES,
    WHY_COLUMN,
};
pub use journal::{migrations, Journal, APPLICATION_ID, FILE_NAME, SCHEMA_VERSION};
pub use key::{apply as key_connection, Key, ENCRYPTED_CACHE_KIB, HMAC_ALGORITHM, KEY_LEN};
pub use keyfile::{
    check_passphrase, read_key_file, write_key_file, ARGON2_LANES, ARGON2_MEMORY_KIB,
    ARGON2_PASSES, KEY_FILE_NAME, PASSPHRASE_MIN_CHARS,
};
pub use merge::{Cell, Merged, Rows};
pub use model::*;
pub use needs::{DueFollowUp, Need, Needs, OverdueRelationship};
pub use reminders::{notice, Notice, QuietHours, Reminder, LOCK_AFTER_MINUTES};
pub use search::{
    fts_query, ClientHit, EntryHit, SearchResults, Segment, SEARCH_MAX, SEARCH_WINDOW,
};
pub use timeline::{TimelineEntry, TimelinePage, PAGE_MAX};
pub use undo::Deleted;
