//! The core's one error type: what went wrong, in words the UI can show and branch on.

use std::path::PathBuf;

/// Everything a journal operation can fail with.
///
/// `Invalid` and `NotFound` are the user's to fix and name the field or record; the rest are the
/// machine's. Whenever an operation returns an error, nothing it meant to write was written.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// A field's value is not acceptable; `field` is the name the UI and the API use for it.
    #[error("{field}: {message}")]
    Invalid {
        /// The field at fault, e.g. `name` or `cadence_days`.
        field: &'static str,
        /// What is wrong with it, in a sentence fit to show.
        message: String,
    },
    /// No record of this kind has this id (or it was deleted).
    #[error("no {kind} with id {id}")]
    NotFound {
        /// `client`, `touch`, `note`, `follow-up` or `introduction`.
        kind: &'static str,
        /// The id that was asked for.
        id: i64,
    },
    /// The file is an SQLite database, but not a Rapport journal; it was left untouched.
    #[error("{path} is not a Rapport journal")]
    NotAJournal {
        /// The file that was opened.
        path: PathBuf,
    },
    /// The journal was written by a newer Rapport; it was left untouched.
    #[error("{path} was written by a newer version of Rapport (schema {found}, this version knows {known})")]
    NewerVersion {
        /// The file that was opened.
        path: PathBuf,
        /// The schema version in the file.
        found: usize,
        /// The newest schema version this build knows.
        known: usize,
    },
    /// The journal's file was replaced or cut short by another program while Rapport had it
    /// open: nothing more is written through the connection to the old file.
    #[error(
        "{path} was replaced or cut short by another program while Rapport had it open; \
         nothing more is written to it"
    )]
    Replaced {
        /// The journal's file.
        path: PathBuf,
    },
    /// The encrypted journal does not open with the key given: another journal's key, or its
    /// first page damaged. It was left untouched.
    #[error(
        "{path} does not open with this key: it is another journal's key, or the file is damaged"
    )]
    WrongKey {
        /// The file that was opened.
        path: PathBuf,
    },
    /// The passphrase does not open the key file (the file itself is sound).
    #[error("that passphrase does not open {path}")]
    WrongPassphrase {
        /// The key file.
        path: PathBuf,
    },
    /// The key file is not one, or was changed since it was written.
    #[error("the key file {path} is damaged: {detail}; the recovery key still opens the journal")]
    KeyFileDamaged {
        /// The key file.
        path: PathBuf,
        /// What is wrong with it.
        detail: String,
    },
    /// A key was given for a journal kept in plain text; it was left untouched.
    #[error("{path} is not encrypted")]
    NotEncrypted {
        /// The file that was opened.
        path: PathBuf,
    },
    /// Another program holds the journal locked.
    #[error("{path} is in use by another program")]
    Locked {
        /// The file that was opened.
        path: PathBuf,
    },
    /// The file is damaged or not a database at all; it was left untouched.
    #[error("{path} is damaged or not a database: {detail}")]
    Corrupt {
        /// The file that was opened.
        path: PathBuf,
        /// What SQLite said.
        detail: String,
    },
    /// Any other database failure, with what the store was doing when it happened.
    #[error("{context}: {source}")]
    Database {
        /// What the store was doing, e.g. `Listing clients`.
        context: &'static str,
        /// The underlying SQLite error.
        source: rusqlite::Error,
    },
    /// Bringing the schema up to date failed; the transaction was rolled back.
    #[error("updating the journal's schema failed: {0}")]
    Migration(#[from] rusqlite_migration::Error),
    /// An imported file has lines the journal cannot take; nothing of it was written.
    #[error("{}", rejected_message(problems))]
    Rejected {
        /// Each bad line (or card) with what is wrong with it, in file order.
        problems: Vec<Problem>,
    },
    /// The disk refused a write: full, read-only, not ours to write, or failing. Nothing of the
    /// operation was written; the same operation succeeds once the disk is put right.
    #[error("{context}: {}; nothing was changed", trouble.describe(folder))]
    Disk {
        /// What was being done, e.g. `Saving`.
        context: &'static str,
        /// The folder on that disk Rapport writes in.
        folder: PathBuf,
        /// What is wrong with the disk.
        trouble: DiskTrouble,
    },
    /// A file or folder could not be read or written.
    #[error("{context} {path}: {source}")]
    Io {
        /// What was being done, e.g. `Writing the backup`.
        context: &'static str,
        /// The file or folder.
        path: PathBuf,
        /// What the system said.
        source: std::io::Error,
    },
}

/// Why a disk refused a write, as the system said it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DiskTrouble {
    /// No space left on it (or the user's quota used up).
    Full,
    /// Mounted read-only, or turned read-only by the system after an error.
    ReadOnly,
    /// The folder is not the user's to write in.
    Denied,
    /// It failed to write or to sync: the system's words.
    Failing(String),
}

impl DiskTrouble {
    /// What the system's error `e` says about the disk, if it is about the disk.
    pub(crate) fn of(e: &std::io::Error) -> Option<DiskTrouble> {
        // errno values, the same on Linux and macOS: ENOSPC, EDQUOT (Linux, macOS), EROFS,
        // EACCES, EPERM, EIO.
        Some(match e.raw_os_error()? {
            28 | 122 | 69 => DiskTrouble::Full,
            30 => DiskTrouble::ReadOnly,
            13 | 1 => DiskTrouble::Denied,
            5 => DiskTrouble::Failing(e.to_string()),
            _ => return None,
        })
    }

    fn describe(&self, folder: &std::path::Path) -> String {
        let folder = folder.display();
        match self {
            DiskTrouble::Full => format!("the disk holding {folder} is full"),
            DiskTrouble::ReadOnly => format!("the disk holding {folder} is read-only"),
            DiskTrouble::Denied => format!("Rapport is not allowed to write in {folder}"),
            DiskTrouble::Failing(said) => {
                format!("the disk holding {folder} failed to write ({said})")
            }
        }
    }
}

/// One line of an imported file that cannot be imported, and why.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Problem {
    /// The line of the file where the row (or card) starts, counting from 1; `None` when the
    /// problem is with the file as a whole or with a record of a JSON file (the reason names it).
    pub line: Option<u64>,
    /// What is wrong, in a sentence fit to show, e.g. `email: "bob@" is not an email address`.
    pub reason: String,
}

fn rejected_message(problems: &[Problem]) -> String {
    let shown: Vec<String> = problems
        .iter()
        .take(5)
        .map(|p| match p.line {
            Some(line) => format!("line {line}: {}", p.reason),
            None => p.reason.clone(),
        })
        .collect();
    let more = problems.len().saturating_sub(shown.len());
    let mut message = format!(
        "nothing was imported: {} problem{} ({})",
        problems.len(),
        if problems.len() == 1 { "" } else { "s" },
        shown.join("; ")
    );
    if more > 0 {
        message.push_str(&format!(" and {more} more"));
    }
    message
}

impl Error {
    /// A short, stable name for the kind of error, for the UI to branch on.
    pub fn kind(&self) -> &'static str {
        match self {
            Error::Invalid { .. } => "invalid",
            Error::NotFound { .. } => "not_found",
            Error::NotAJournal { .. } => "not_a_journal",
            Error::NewerVersion { .. } => "newer_version",
            Error::Locked { .. } => "locked",
            Error::WrongKey { .. } => "wrong_key",
            Error::NotEncrypted { .. } => "not_encrypted",
            Error::WrongPassphrase { .. } => "wrong_passphrase",
            Error::KeyFileDamaged { .. } => "key_file_damaged",
            Error::Replaced { .. } => "replaced",
            Error::Corrupt { .. } => "corrupt",
            Error::Database { .. } => "database",
            Error::Migration(_) => "migration",
            Error::Rejected { .. } => "rejected",
            Error::Disk { .. } => "disk",
            Error::Io { .. } => "io",
        }
    }

    /// This error as [`Error::Disk`], said as `doing` failing (what the user asked for, e.g.
    /// `Saving`), when it came from the disk holding `folder` refusing a write. SQLite reports only "disk I/O error", so then the folder is asked directly (a
    /// small file written, synced and removed): its answer names the trouble. Any other error,
    /// or one the folder does not explain, is returned as it was.
    pub(crate) fn on_disk(self, folder: &std::path::Path, doing: &'static str) -> Error {
        // The folder's answer decides, even when the error carries the system's own: a file
        // that could not be read (another folder's backup, say) says nothing of this disk.
        let about_the_disk = match &self {
            Error::Io { source, .. } => DiskTrouble::of(source).is_some(),
            Error::Database { source, .. } => matches!(
                source.sqlite_error_code(),
                Some(
                    rusqlite::ErrorCode::SystemIoFailure
                        | rusqlite::ErrorCode::DiskFull
                        | rusqlite::ErrorCode::ReadOnly
                        | rusqlite::ErrorCode::CannotOpen
                )
            ),
            _ => false,
        };
        let trouble = about_the_disk
            .then(|| crate::files::probe(folder))
            .flatten();
        match (trouble, self) {
            (Some(trouble), _) => Error::Disk {
                context: doing,
                folder: folder.to_path_buf(),
                trouble,
            },
            (_, e) => e,
        }
    }

    /// Builds an [`Error::Invalid`].
    pub fn invalid(field: &'static str, message: impl Into<String>) -> Self {
        Error::Invalid {
            field,
            message: message.into(),
        }
    }

    /// A closure for `map_err` that wraps an I/O error with what was being done to which file.
    pub fn io(context: &'static str, path: &std::path::Path) -> impl Fn(std::io::Error) -> Error {
        let path = path.to_path_buf();
        move |source| Error::Io {
            context,
            path: path.clone(),
            source,
        }
    }

    /// A closure for `map_err` that wraps an SQLite error with what the store was doing.
    pub fn context(context: &'static str) -> impl Fn(rusqlite::Error) -> Error {
        move |source| Error::Database { context, source }
    }
}

/// The core's result type.
pub type Result<T, E = Error> = std::result::Result<T, E>;
