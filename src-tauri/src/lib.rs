//! Rapport's desktop shell: opens the journal in the app-data folder, and exposes thin commands
//! over the core to the web UI in `ui/`.

mod commands;
mod error;
pub mod painting;
mod reminders;
mod screen_lock;
mod tray;
mod upkeep;

use std::path::{Path, PathBuf};
use std::sync::{Condvar, Mutex, OnceLock};

use rapport::Journal;
use tauri::Manager;

pub use error::{Error, Result};

/// Points Rapport at another data folder: for tests, and for a portable journal.
pub const DATA_DIR_VARIABLE: &str = "RAPPORT_DATA_DIR";

/// The journal as the shell holds it: being opened, open, or the reason it could not be opened.
///
/// It is opened on a thread of its own, so the window comes up at once and can say "Updating
/// your journal" while an upgrade rebuilds an index (a minute for a million touches).
pub struct JournalState {
    path: PathBuf,
    /// Set once, when opening has finished: the journal, or why it is not open.
    journal: OnceLock<Mutex<Held>>,
    /// Wakes whoever waits for the journal when it is set.
    opened: (Mutex<()>, Condvar),
    /// An upgrade of the schema runs as it opens.
    upgrading: bool,
    /// Written to since the search index was last tidied.
    pub(crate) untidy: std::sync::atomic::AtomicBool,
    /// Wakes the reminder loop after an operation changed the journal.
    on_change: OnceLock<Mutex<std::sync::mpsc::Sender<()>>>,
    /// Why the last daily backup failed, until one succeeds: the Settings view says it.
    pub(crate) backup_problem: Mutex<Option<String>>,
    /// The key the journal is encrypted with, once it is open (`None`: a journal in plain text).
    /// Every other connection to the journal and to its backups opens with it.
    key: Mutex<Option<rapport::Key>>,
    /// Where the key is kept.
    keyring: rapport_keyring::Keyring,
    /// The journal was made by this run: the window offers to set a passphrase.
    created: std::sync::atomic::AtomicBool,
    /// Opened by its passphrase (or recovery key), its key in no keyring: the window can lock
    /// it, and asks for the passphrase again to unlock.
    pub(crate) by_passphrase: std::sync::atomic::AtomicBool,
    /// While the window is locked: what the reminders may still say, naming nobody.
    pub(crate) locked: Mutex<Option<Locked>>,
}

/// What the reminder loop knows while the journal is locked, worked out as it was locked: how
/// many need the user at each moment something falls due in the next 30 days (nothing can
/// change meanwhile), the quiet hours, and how many the user has been told of.
pub(crate) struct Locked {
    pub(crate) ahead: Vec<(chrono::DateTime<chrono::Utc>, u64)>,
    pub(crate) quiet: rapport::QuietHours,
    pub(crate) told: u64,
}

/// The journal the window works on, or why it is not open: it could not be opened at start,
/// a restore could not open it again (tried again at each use), or it was found damaged. Never
/// a stand-in: what the user writes goes to the file on disk or is refused.
pub(crate) type Held = std::result::Result<Journal, OpenFailure>;

/// Why the journal could not be opened, as the window shows it.
#[derive(Debug, Clone, serde::Serialize)]
pub struct OpenFailure {
    /// The core's error kind: `locked`, `corrupt`, `not_a_journal`, `newer_version`, ...
    pub kind: &'static str,
    /// The sentence to show, naming the file.
    pub message: String,
    /// Whether opening is tried again at the next use: after a restore whose reopening failed
    /// (a lock held for a while), not for a file that is damaged, foreign or newer.
    #[serde(skip)]
    pub retry: bool,
    /// Whether a passphrase can open it: a key file is beside it.
    pub passphrase: bool,
}

impl OpenFailure {
    fn of(e: &rapport::Error, retry: bool) -> OpenFailure {
        OpenFailure {
            kind: e.kind(),
            message: e.to_string(),
            retry,
            passphrase: false,
        }
    }

    /// Whether the journal is whole and waits only for its key, from the user.
    pub fn waits(&self) -> bool {
        matches!(
            self.kind,
            "choose_passphrase"
                | "passphrase"
                | "keyring_locked"
                | "keyring_failed"
                | "key_missing"
        )
    }
}

impl JournalState {
    /// The journal in `dir`, not opened yet: [`JournalState::open`] does that.
    pub fn new(dir: &Path) -> JournalState {
        let path = dir.join(rapport::FILE_NAME);
        JournalState {
            upgrading: Journal::needs_upgrade(&path),
            path,
            journal: OnceLock::new(),
            opened: (Mutex::new(()), Condvar::new()),
            // Whatever an earlier run left undone is looked at once after opening.
            untidy: std::sync::atomic::AtomicBool::new(true),
            on_change: OnceLock::new(),
            backup_problem: Mutex::new(None),
            key: Mutex::new(None),
            keyring: rapport_keyring::Keyring::session(),
            created: std::sync::atomic::AtomicBool::new(false),
            by_passphrase: std::sync::atomic::AtomicBool::new(false),
            locked: Mutex::new(None),
        }
    }

    /// Opens the journal, creating its folder (private to its owner) if needed, and wakes those
    /// waiting for it. A journal that cannot be opened is kept as the reason, for the window.
    pub fn open(&self) {
        let dir = self.path.parent().unwrap_or(Path::new("."));
        let journal = rapport::create_private_dir(dir)
            .map_err(|e| OpenFailure::of(&e, false))
            .and_then(|()| self.open_with_key());
        let _ = self.journal.set(Mutex::new(journal));
        let _guard = self.opened.0.lock().unwrap_or_else(|p| p.into_inner());
        self.opened.1.notify_all();
    }

    /// The data folder as the keyring knows it: its full path.
    fn keyring_name(&self) -> String {
        rapport_keyring::journal_name(self.path.parent().unwrap_or(Path::new(".")))
    }

    /// Opens the journal with the key the desktop's keyring keeps for it. A new journal is
    /// encrypted from its first write with a new key, kept in the keyring. A journal in plain
    /// text from an earlier Rapport opens as it is (the window offers to encrypt it).
    ///
    /// When the key is not at hand, the journal waits for the user ([`OpenFailure::waits`]):
    /// to choose a passphrase (a new journal on a desktop with no keyring), to type it (no
    /// keyring, or a keyring that lost the key), to unlock the keyring, or for the recovery key.
    /// Never a silent fallback: a locked keyring is said as such.
    fn open_with_key(&self) -> std::result::Result<Journal, OpenFailure> {
        let exists = std::fs::metadata(&self.path).is_ok_and(|m| m.len() > 0);
        // A file that cannot be an encrypted journal either is opened as it is, to be
        // reported as what it is (not a journal, damaged), never asked a key for.
        if exists && (Journal::in_plain_text(&self.path) || !Journal::may_be_encrypted(&self.path))
        {
            return Journal::open(&self.path).map_err(|e| OpenFailure::of(&e, false));
        }
        let key_file = self.key_file().exists();
        let wait = |kind: &'static str, message: &str| OpenFailure {
            kind,
            message: message.to_string(),
            retry: false,
            passphrase: key_file,
        };
        let name = self.keyring_name();
        let key =
            match self.keyring.load(&name) {
                Ok(Some(bytes)) => {
                    let bytes: [u8; rapport::KEY_LEN] =
                        bytes.as_slice().try_into().map_err(|_| OpenFailure {
                            kind: "keyring",
                            message:
                                "The key the desktop's keyring holds for this journal is not a \
                                  Rapport key."
                                    .into(),
                            retry: false,
                            passphrase: key_file,
                        })?;
                    rapport::Key::from_bytes(bytes)
                }
                Ok(None) if !exists => {
                    let key = rapport::Key::generate().map_err(|e| OpenFailure::of(&e, false))?;
                    self.keyring.store(&name, key.as_bytes()).map_err(|t| {
                        wait(
                            "choose_passphrase",
                            &format!(
                            "Rapport could not keep your journal's key in the desktop's keyring \
                             ({t}), so a passphrase of your choosing will open it."
                        ),
                        )
                    })?;
                    self.created
                        .store(true, std::sync::atomic::Ordering::Relaxed);
                    key
                }
                Err(rapport_keyring::Trouble::NoKeyring(_)) if !exists => return Err(wait(
                    "choose_passphrase",
                    "This desktop has no keyring to keep your journal's key in, so a passphrase \
                     of your choosing will open it.",
                )),
                Ok(None) if key_file => return Err(wait(
                    "passphrase",
                    "The desktop's keyring holds no key for your journal. Your passphrase opens \
                     it, and Rapport puts the key back in the keyring.",
                )),
                Err(rapport_keyring::Trouble::NoKeyring(_)) if key_file => {
                    return Err(wait(
                        "passphrase",
                        "Type your passphrase to open your journal.",
                    ))
                }
                Err(rapport_keyring::Trouble::Locked) => return Err(wait(
                    "keyring_locked",
                    "Your journal's key is in the desktop's keyring, and the keyring is locked.",
                )),
                Err(rapport_keyring::Trouble::Failed(why)) => {
                    return Err(wait(
                        "keyring_failed",
                        &format!("The desktop's keyring could not give your journal's key: {why}."),
                    ))
                }
                Ok(None) | Err(rapport_keyring::Trouble::NoKeyring(_)) => return Err(wait(
                    "key_missing",
                    "Your journal is encrypted, and its key is neither in the desktop's keyring \
                     nor kept by a passphrase. Only its recovery key can open it now.",
                )),
            };
        let journal =
            Journal::open_encrypted(&self.path, &key).map_err(|e| OpenFailure::of(&e, false))?;
        *self.key.lock().unwrap_or_else(|p| p.into_inner()) = Some(key);
        Ok(journal)
    }

    /// The key file beside the journal: its key wrapped by the passphrase.
    pub(crate) fn key_file(&self) -> PathBuf {
        self.path.with_file_name(rapport::KEY_FILE_NAME)
    }

    /// Whether the journal waits for its key (see [`JournalState::open_with_key`]).
    pub(crate) fn waits_for_key(&self) -> bool {
        self.lost().is_some_and(|lost| lost.waits())
    }

    /// Opens the journal with `key`, which the user gave while the window waited for it (their
    /// passphrase unwrapped it, or they typed the recovery key), and keeps the key in the
    /// keyring if the desktop has one. Refused, with nothing changed, if it is not this
    /// journal's key.
    pub(crate) fn unlock_with(&self, key: rapport::Key) -> Result<()> {
        let mut held = self.opened().lock().unwrap_or_else(|p| p.into_inner());
        match &*held {
            Ok(_) => return Ok(()),
            Err(lost) if !lost.waits() => return Err(Error::Unavailable(lost.message.clone())),
            Err(_) => {}
        }
        let journal = Journal::open_encrypted(&self.path, &key)?;
        let in_keyring = self.keep_in_keyring(&key);
        self.by_passphrase
            .store(!in_keyring, std::sync::atomic::Ordering::Relaxed);
        *self.key.lock().unwrap_or_else(|p| p.into_inner()) = Some(key);
        *held = Ok(journal);
        *self.locked.lock().unwrap_or_else(|p| p.into_inner()) = None;
        drop(held);
        self.changed();
        Ok(())
    }

    /// Locks the journal opened by its passphrase (after the idle time chosen, or at the
    /// desktop's screen lock): the window lets go of it and of its key, and asks for the
    /// passphrase again. The reminders still come meanwhile, naming nobody ([`Locked`]).
    pub(crate) fn lock(&self) -> Result<()> {
        if !self
            .by_passphrase
            .load(std::sync::atomic::Ordering::Relaxed)
        {
            return Err(Error::System(
                "Only a journal opened by its passphrase is locked: this one's key is in the \
                 desktop's keyring."
                    .into(),
            ));
        }
        let mut held = self.opened().lock().unwrap_or_else(|p| p.into_inner());
        let Ok(journal) = &*held else {
            return Ok(());
        };
        let now = chrono::Utc::now();
        let locked = Locked {
            ahead: journal
                .needs_ahead(now, now + chrono::Duration::days(30), 500)
                .unwrap_or_default(),
            quiet: journal.quiet_hours().unwrap_or_default(),
            told: journal
                .who_needs_me(now, 1)
                .map(|n| n.overdue_total + n.follow_ups_total)
                .unwrap_or(0),
        };
        *held = Err(OpenFailure {
            kind: "passphrase",
            message: "Rapport is locked. Type your passphrase to open your journal.".into(),
            retry: false,
            passphrase: true,
        });
        *self.key.lock().unwrap_or_else(|p| p.into_inner()) = None;
        *self.locked.lock().unwrap_or_else(|p| p.into_inner()) = Some(locked);
        drop(held);
        self.changed();
        Ok(())
    }

    /// Keeps `key` in the desktop's keyring, if it has one that is open: the next start then
    /// needs no passphrase. Without one, the passphrase stays the way in.
    pub(crate) fn keep_in_keyring(&self, key: &rapport::Key) -> bool {
        // A store is refused as a check would refuse it (no keyring, a locked one), in one
        // call on the bus instead of two.
        self.keyring
            .store(&self.keyring_name(), key.as_bytes())
            .is_ok()
    }

    /// Makes the new journal the window waits to create (a desktop with no keyring), encrypted
    /// with a new key that `passphrase` wraps in the key file. Returns the key, for the recovery
    /// key the window shows next.
    pub(crate) fn create_with_passphrase(&self, passphrase: &str) -> Result<rapport::Key> {
        rapport::check_passphrase(passphrase)?;
        let mut held = self.opened().lock().unwrap_or_else(|p| p.into_inner());
        if !matches!(&*held, Err(lost) if lost.kind == "choose_passphrase") {
            return Err(Error::System("Your journal exists already.".into()));
        }
        let key = rapport::Key::generate()?;
        // The key is kept before anything is encrypted with it.
        rapport::write_key_file(&self.key_file(), &key, passphrase)?;
        let journal = Journal::open_encrypted(&self.path, &key)?;
        *self.key.lock().unwrap_or_else(|p| p.into_inner()) = Some(key.clone());
        *held = Ok(journal);
        drop(held);
        self.created
            .store(true, std::sync::atomic::Ordering::Relaxed);
        self.by_passphrase
            .store(true, std::sync::atomic::Ordering::Relaxed);
        self.changed();
        Ok(key)
    }

    /// Asks the desktop to unlock its keyring (it shows its own prompt), then opens the journal
    /// as at start: with the key found there, or a new one for a new journal.
    pub(crate) fn unlock_keyring(&self) -> Result<()> {
        self.keyring
            .unlock()
            .map_err(|t| Error::System(format!("The keyring stays locked: {t}.")))?;
        let mut held = self.opened().lock().unwrap_or_else(|p| p.into_inner());
        if !matches!(&*held, Err(lost) if lost.waits()) {
            return Ok(());
        }
        *held = self.open_with_key();
        let result = match &*held {
            Ok(_) => Ok(()),
            Err(lost) => Err(Error::Unavailable(lost.message.clone())),
        };
        drop(held);
        self.changed();
        result
    }

    /// Encrypts the open journal, kept in plain text, with a new key: kept in the keyring if the
    /// desktop has one, and wrapped by `passphrase` if one is given (it must be, without a
    /// keyring). The window's connection lets go of the file meanwhile, and opens it again
    /// encrypted; if anything fails, the journal is as it was, in plain text.
    pub(crate) fn encrypt(&self, passphrase: Option<&str>) -> Result<rapport::Key> {
        if let Some(passphrase) = passphrase {
            rapport::check_passphrase(passphrase)?;
        }
        let mut held = self.opened().lock().unwrap_or_else(|p| p.into_inner());
        if held.is_err() || self.key().is_some() {
            return Err(Error::System(
                "Only a journal open in plain text can be encrypted.".into(),
            ));
        }
        let key = rapport::Key::generate()?;
        let in_keyring = self.keep_in_keyring(&key);
        match passphrase {
            Some(passphrase) => rapport::write_key_file(&self.key_file(), &key, passphrase)?,
            None if !in_keyring => {
                return Err(rapport::Error::invalid(
                    "passphrase",
                    "is needed: this desktop has no keyring to keep the key in",
                )
                .into())
            }
            None => {}
        }
        *held = Err(OpenFailure {
            kind: "encrypting",
            message: "Your journal is being encrypted.".into(),
            retry: true,
            passphrase: false,
        });
        // The upkeep threads (backup, tidy) hold connections of their own for moments at a
        // time, and SQLite has no way to say when another connection lets go: the copy is
        // tried again every 100 ms, for at most 10 s, before the lock is reported.
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
        let encrypted = loop {
            match rapport::encrypt_journal(&self.path, &key) {
                Err(rapport::Error::Locked { .. }) if std::time::Instant::now() < deadline => {
                    std::thread::sleep(std::time::Duration::from_millis(100));
                }
                other => break other,
            }
        };
        let reopened = match &encrypted {
            Ok(_) => Journal::open_encrypted(&self.path, &key),
            Err(_) => Journal::open(&self.path),
        };
        if encrypted.is_ok() {
            *self.key.lock().unwrap_or_else(|p| p.into_inner()) = Some(key.clone());
            self.by_passphrase
                .store(!in_keyring, std::sync::atomic::Ordering::Relaxed);
        }
        *held = reopened.map_err(|e| OpenFailure::of(&e, true));
        drop(held);
        self.changed();
        encrypted?;
        Ok(key)
    }

    /// The key the journal is encrypted with, if it is.
    pub(crate) fn key(&self) -> Option<rapport::Key> {
        self.key.lock().unwrap_or_else(|p| p.into_inner()).clone()
    }

    /// Opens the journal at `path` as the window's journal is opened: with its key, if any.
    pub(crate) fn open_file(&self, path: &Path) -> rapport::Result<Journal> {
        match self.key() {
            Some(key) => Journal::open_encrypted(path, &key),
            None => Journal::open(path),
        }
    }

    /// The folder the journal's backups are kept in.
    pub fn backups_dir(&self) -> PathBuf {
        rapport::backups_dir(&self.path)
    }

    /// The journal once opening has finished, waiting for it if need be.
    pub(crate) fn opened(&self) -> &Mutex<Held> {
        loop {
            if let Some(journal) = self.opened_within(std::time::Duration::from_secs(60)) {
                return journal;
            }
        }
    }

    /// The journal if opening finishes within `wait`: a window asking at start-up gets its
    /// answer as soon as the journal is open, not at its next look.
    pub(crate) fn opened_within(&self, wait: std::time::Duration) -> Option<&Mutex<Held>> {
        // Looked at under the lock `open` notifies under, so the wake-up is not missed.
        let guard = self.opened.0.lock().unwrap_or_else(|p| p.into_inner());
        if self.journal.get().is_none() {
            drop(self.opened.1.wait_timeout(guard, wait));
        }
        self.journal.get()
    }

    /// Runs `f` on the open journal.
    pub fn with<T>(&self, f: impl FnOnce(&mut Journal) -> rapport::Result<T>) -> Result<T> {
        // A panic while holding the lock cannot leave a half-written journal (every write is
        // one transaction), so a poisoned lock is safe to take back.
        let mut held = self.opened().lock().unwrap_or_else(|p| p.into_inner());
        if let Err(lost) = &*held {
            // What kept it closed after a restore (a lock held by another program, a disk that
            // was full) may have passed.
            let reopened = lost
                .retry
                .then(|| self.open_file(&self.path).ok())
                .flatten();
            match reopened {
                Some(journal) => *held = Ok(journal),
                None => return Err(Error::Unavailable(lost.message.clone())),
            }
        }
        let Ok(journal) = &mut *held else {
            return Err(Error::Unavailable("the journal is not open".into()));
        };
        let before = journal.total_changes();
        let result = f(journal);
        if journal.total_changes() != before {
            self.changed();
        }
        if let Err(e @ rapport::Error::Replaced { .. }) = &result {
            // Another program put another file in the journal's place, or cut it short: the
            // window stops writing to it, says so, and offers the newest good backup.
            *held = Err(OpenFailure::of(e, false));
        }
        Ok(result?)
    }

    /// Why the journal the window works on is not open, if it is not (or not opened yet).
    pub(crate) fn lost(&self) -> Option<OpenFailure> {
        self.opened_within(std::time::Duration::ZERO)?
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .as_ref()
            .err()
            .cloned()
    }

    /// Takes the journal from the window because it was found damaged: every command refuses
    /// from now on, saying why, and the window offers the newest good backup.
    pub(crate) fn damaged(&self, e: &rapport::Error) {
        *self.opened().lock().unwrap_or_else(|p| p.into_inner()) = Err(OpenFailure::of(e, false));
        self.changed();
    }

    /// Puts the backup at `backup` in place of the journal ([`rapport::restore_backup`]). The
    /// window's connection lets go of the file while it is replaced, then opens what is there:
    /// the backup, or the journal as it was if the restore failed.
    pub fn restore(&self, backup: &Path) -> Result<rapport::Restored> {
        self.restore_with(backup, None, |path| self.open_file(path))
    }

    /// [`JournalState::restore`] for a backup of another journal, which opens with
    /// `backup_key` ([`rapport::restore_backup_of_another_journal`]): the journal keeps its key.
    pub fn restore_another(
        &self,
        backup: &Path,
        backup_key: &rapport::Key,
    ) -> Result<rapport::Restored> {
        self.restore_with(backup, Some(backup_key), |path| self.open_file(path))
    }

    /// [`JournalState::restore`], opening the journal again with `reopen`: a test makes that
    /// fail as a held lock or an I/O error would. If it fails, the window is told so plainly
    /// (its views show why, and each command refuses), and opening is tried again at each use.
    #[doc(hidden)]
    pub fn restore_with(
        &self,
        backup: &Path,
        backup_key: Option<&rapport::Key>,
        reopen: impl Fn(&Path) -> rapport::Result<Journal>,
    ) -> Result<rapport::Restored> {
        let mut held = self.opened().lock().unwrap_or_else(|p| p.into_inner());
        // The connection closes here; nobody else sees the journal until the lock is let go.
        *held = Err(OpenFailure {
            kind: "restoring",
            message: "A backup is being restored.".into(),
            retry: true,
            passphrase: false,
        });
        let key = self.key();
        let now = chrono::Utc::now();
        let restored = match (backup_key, &key) {
            (Some(from), Some(key)) => {
                rapport::restore_backup_of_another_journal(&self.path, backup, from, key, now)
            }
            _ => rapport::restore_backup(&self.path, backup, key.as_ref(), now),
        };
        *held = reopen(&self.path).map_err(|e| OpenFailure {
            kind: e.kind(),
            retry: true,
            passphrase: false,
            message: format!(
                "{} Your journal could not be opened again: {e}. Rapport tries again at your next \
                 action; if this stays, quit Rapport and start it again.",
                match &restored {
                    Ok(_) => "The backup was put in place.",
                    Err(_) => "The backup could not be put in place; your journal is as it was.",
                }
            ),
        });
        drop(held);
        self.changed();
        Ok(restored?)
    }
}

impl JournalState {
    /// Tells the reminder loop the journal changed: a touch may end an episode, a snooze move one.
    /// And the search index has merging to do.
    pub fn changed(&self) {
        self.untidy
            .store(true, std::sync::atomic::Ordering::Relaxed);
        if let Some(wake) = self.on_change.get() {
            let _ = wake.lock().map(|w| w.send(()));
        }
    }
}

/// The data folder: `RAPPORT_DATA_DIR` if set, else the platform's app-data folder. Development
/// builds keep theirs in a `dev` folder inside it, so they never touch a real journal.
fn data_dir(app: &tauri::AppHandle) -> std::result::Result<PathBuf, tauri::Error> {
    if let Some(dir) = std::env::var_os(DATA_DIR_VARIABLE).filter(|d| !d.is_empty()) {
        return Ok(PathBuf::from(dir));
    }
    let dir = app.path().app_data_dir()?;
    Ok(if cfg!(debug_assertions) {
        dir.join("dev")
    } else {
        dir
    })
}

/// The name on the session bus that makes Rapport one instance per journal. A second start on
/// the same data folder (a second click in the launcher, a login item while Rapport runs)
/// brings the first one's window up and exits: two would tell every reminder twice, and take
/// backups into one folder. Rapport on another data folder (a portable journal) runs beside it.
fn instance_id() -> String {
    let folder = std::env::var_os(DATA_DIR_VARIABLE)
        .filter(|d| !d.is_empty())
        .map(|d| {
            std::fs::canonicalize(&d)
                .unwrap_or_else(|_| PathBuf::from(&d))
                .to_string_lossy()
                .into_owned()
        })
        .unwrap_or_else(|| {
            // Development builds keep their journal apart (see `data_dir`).
            let default = if cfg!(debug_assertions) {
                "default-dev"
            } else {
                "default"
            };
            default.to_string()
        });
    // FNV-1a: the same name from every build, unlike the standard library's seeded hasher.
    let hash = folder.bytes().fold(0xcbf2_9ce4_8422_2325_u64, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01b3)
    });
    format!("app.rapport.journal.J{hash:016x}")
}

/// The handler of every command in `commands/list.rs`.
macro_rules! rapport_commands {
    ($($module:ident :: $command:ident),* $(,)?) => {
        tauri::generate_handler![$(commands::$module::$command),*]
    };
}

/// Whether the tray icon could be made.
struct HasTray(bool);

/// Starts the app.
pub fn run() {
    painting::choose();
    tauri::Builder::default()
        // First, so that a second start hands over before anything else of it runs.
        .plugin(
            tauri_plugin_single_instance::Builder::new()
                .dbus_id(instance_id())
                .callback(|app, _args, _cwd| tray::show_window(app))
                .build(),
        )
        .plugin(tauri_plugin_notification::init())
        .plugin(tauri_plugin_autostart::init(
            tauri_plugin_autostart::MacosLauncher::LaunchAgent,
            None,
        ))
        .setup(|app| {
            if let Some(window) = app.get_webview_window("main") {
                painting::configure(&window);
            }
            let dir = data_dir(app.handle())?;
            app.manage(JournalState::new(&dir));
            let handle = app.handle().clone();
            std::thread::Builder::new()
                .name("open journal".into())
                .spawn(move || handle.state::<JournalState>().open())?;
            app.manage(tray::Paused::default());
            // Without a tray (no status-notifier host on this desktop) Rapport still works; it
            // just quits when its window closes, rather than run on with no way back to it.
            let has_tray = tray::build(app.handle()).is_ok();
            app.manage(HasTray(has_tray));
            reminders::start(app.handle());
            screen_lock::start(app.handle());
            upkeep::start_checking(app.handle());
            upkeep::start_daily_backups(app.handle());
            upkeep::start_tidying(app.handle());
            Ok(())
        })
        .on_window_event(|window, event| {
            // Closing the window keeps Rapport in the tray, so reminders still fire.
            if let tauri::WindowEvent::CloseRequested { api, .. } = event {
                if window.state::<HasTray>().0 && tray::host_present() {
                    let _ = window.hide();
                    api.prevent_close();
                }
            }
        })
        .invoke_handler(include!("commands/list.rs"))
        .run(tauri::generate_context!())
        .expect("Rapport could not start its window");
}
