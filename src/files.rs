//! Files the core writes: readable by their owner only, whatever the process's umask, and
//! written whole or not at all (a temporary name in the same folder, synced, then renamed).

use std::fs::{self, File, OpenOptions};
use std::io::Write;
use std::path::{Path, PathBuf};

use crate::error::{Error, Result};

/// Mode of every file the core creates: read and write for the owner only.
pub const FILE_MODE: u32 = 0o600;
/// Mode of every folder the core creates: the owner only.
pub const DIR_MODE: u32 = 0o700;

/// Sets `path`'s permission bits to `mode` (on Unix; elsewhere the platform's defaults stand).
pub(crate) fn set_mode(path: &Path, mode: u32) -> std::io::Result<()> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        fs::set_permissions(path, fs::Permissions::from_mode(mode))
    }
    #[cfg(not(unix))]
    {
        let _ = (path, mode);
        Ok(())
    }
}

/// Narrows an existing `path`'s permission bits to `mode` when they differ: one `stat`, and a
/// `chmod` only when needed (a missing file is left missing).
pub(crate) fn narrow_mode(path: &Path, mode: u32) -> std::io::Result<()> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        if fs::metadata(path)?.permissions().mode() & 0o7777 != mode {
            set_mode(path, mode)?;
        }
        Ok(())
    }
    #[cfg(not(unix))]
    {
        let _ = (path, mode);
        Ok(())
    }
}

/// Opens options that create a file readable by its owner only (the umask can only take bits
/// away, and 0600 is then fixed again by [`set_mode`] where it matters).
pub(crate) fn private_options() -> OpenOptions {
    let mut options = OpenOptions::new();
    options.write(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(FILE_MODE);
    }
    options
}

/// Makes `path` a folder only its owner may enter: created (with any missing parents, each
/// 0700) if it is missing, narrowed to 0700 if it exists with wider permissions. A folder made
/// by another program first keeps that program's mode otherwise: the webview makes the app-data
/// folder 0755 before Rapport starts. Parents that exist keep theirs, and a shared folder (sticky,
/// as `/tmp` is) is never narrowed; nor is one that is not ours to change (its files are private
/// all the same).
pub fn create_private_dir(path: &Path) -> Result<()> {
    create_dirs(path)?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = fs::metadata(path)
            .map_err(Error::io("Looking at the folder", path))?
            .permissions()
            .mode();
        if mode & 0o1000 == 0 && mode & 0o077 != 0 {
            match set_mode(path, DIR_MODE) {
                Err(e) if e.kind() != std::io::ErrorKind::PermissionDenied => {
                    return Err(Error::io("Protecting the folder", path)(e));
                }
                _ => {}
            }
        }
    }
    Ok(())
}

/// Creates `path` and its missing parents, each 0700, each made durable in its parent (a new
/// folder's entry is lost at a power cut until its parent is synced).
fn create_dirs(path: &Path) -> Result<()> {
    if path.is_dir() {
        return Ok(());
    }
    if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
        create_dirs(parent)?;
    }
    match fs::create_dir(path) {
        Ok(()) => {
            set_mode(path, DIR_MODE).map_err(Error::io("Protecting the folder", path))?;
            sync_dir(path);
            Ok(())
        }
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists && path.is_dir() => Ok(()),
        Err(e) => Err(Error::io("Creating the folder", path)(e)),
    }
}

/// A temporary name beside `path`, hidden, unique to this process and moment.
pub(crate) fn temp_beside(path: &Path, purpose: &str) -> PathBuf {
    use std::sync::atomic::{AtomicU64, Ordering};
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "rapport".into());
    let unique = format!(
        ".{name}.{purpose}-{}-{}",
        std::process::id(),
        COUNTER.fetch_add(1, Ordering::Relaxed)
    );
    path.with_file_name(unique)
}

/// Whether the file named `name`, a temporary one made by [`temp_beside`] for `purpose`
/// (`.NAME.PURPOSE-PID-N`, with any suffix SQLite adds), was left by a process that no longer
/// runs: another Rapport still writing it (a second window, the `rapport` command) is not.
pub(crate) fn abandoned(name: &str, purpose: &str) -> bool {
    let Some((_, rest)) = name.rsplit_once(&format!(".{purpose}-")) else {
        return false;
    };
    let Some(pid) = rest.split('-').next().and_then(|p| p.parse::<u32>().ok()) else {
        return false;
    };
    pid != std::process::id() && !running(pid)
}

/// Whether a process `pid` runs on this machine (where `/proc` says; elsewhere it is taken to,
/// so nothing another process may be writing is removed).
fn running(pid: u32) -> bool {
    let proc = Path::new("/proc");
    !proc.is_dir() || proc.join(pid.to_string()).exists()
}

/// Creates an empty file at `path`, readable by its owner only; fails if it exists.
pub(crate) fn create_private_file(path: &Path) -> Result<File> {
    let file = private_options()
        .create_new(true)
        .open(path)
        .map_err(Error::io("Creating", path))?;
    set_mode(path, FILE_MODE).map_err(Error::io("Protecting", path))?;
    Ok(file)
}

/// Writes `bytes` to `path` whole or not at all, readable by its owner only: a temporary file
/// beside it is written and synced, then renamed over `path`, and the folder synced.
pub fn write_private(path: &Path, bytes: &[u8]) -> Result<()> {
    if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
        create_private_dir(parent)?;
    }
    let temp = temp_beside(path, "writing");
    let written = (|| -> Result<()> {
        let mut file = create_private_file(&temp)?;
        file.write_all(bytes)
            .and_then(|()| file.sync_all())
            .map_err(Error::io("Writing", &temp))?;
        drop(file);
        fs::rename(&temp, path).map_err(Error::io("Saving", path))?;
        sync_dir(path);
        Ok(())
    })();
    if written.is_err() {
        let _ = fs::remove_file(&temp);
    }
    written
}

/// Asks the disk holding `folder` whether it takes a write: a small file made, written, synced
/// and removed. Returns what it refused with, if that is about the disk.
pub(crate) fn probe(folder: &Path) -> Option<crate::error::DiskTrouble> {
    let probe = temp_beside(&folder.join("disk"), "probe");
    let result = private_options()
        .create_new(true)
        .open(&probe)
        .and_then(|mut file| {
            file.write_all(&[0; 4096])?;
            file.sync_all()
        });
    let _ = fs::remove_file(&probe);
    crate::error::DiskTrouble::of(&result.err()?)
}

/// Syncs the folder holding `path`, so a rename in it survives a power cut (best effort: not
/// every platform can open a folder).
pub(crate) fn sync_dir(path: &Path) {
    if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
        if let Ok(dir) = File::open(parent) {
            let _ = dir.sync_all();
        }
    }
}

/// The folder holding `path` (`.` for a bare file name).
pub(crate) fn folder_of(path: &Path) -> &Path {
    path.parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."))
}

/// `path` with `suffix` added to its file name: `journal.sqlite3` → `journal.sqlite3-wal`.
pub(crate) fn with_suffix(path: &Path, suffix: &str) -> PathBuf {
    let mut name = path.as_os_str().to_owned();
    name.push(suffix);
    PathBuf::from(name)
}
