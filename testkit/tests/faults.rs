//! The faults a disk has besides a power cut, on the simulated disk ([`LazyDisk`]): every fsync
//! failing with EIO, the file system turned read-only (EROFS), and no space left (ENOSPC). At
//! each step of the write path (saving a touch, a setting, an import, a backup, a restore, and
//! opening the journal at start) Rapport refuses with an error that names the fault, leaves
//! nothing half-written that passes for a backup or a journal, and loses nothing it had said
//! was saved, through a power cut too; once the fault passes, the same open journal goes on
//! saving.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use chrono::Utc;
use rapport::{ClientInput, DuplicateChoices, ImportOptions, Journal, TouchInput};
use rapport_testkit::lazy_disk::{Fault, LazyDisk, Mounted};

/// A machine whose data folder is on a [`LazyDisk`].
struct Machine {
    _root: tempfile::TempDir,
    at: PathBuf,
    disk: LazyDisk,
    mounted: Option<Mounted>,
}

impl Machine {
    /// `None`, said on standard error, where no disk can be simulated.
    fn new() -> Option<Machine> {
        if !Path::new("/dev/fuse").exists() {
            eprintln!("skipped: this machine has no /dev/fuse, so no disk can be simulated");
            return None;
        }
        let root = tempfile::tempdir().unwrap();
        let at = root.path().join("disk");
        std::fs::create_dir(&at).unwrap();
        let disk = LazyDisk::new();
        let mounted = Some(disk.mount(&at).expect("the simulated disk mounts"));
        Some(Machine {
            _root: root,
            at,
            disk,
            mounted,
        })
    }

    fn journal_path(&self) -> PathBuf {
        self.at.join("data").join("journal.sqlite3")
    }

    fn backups(&self) -> PathBuf {
        rapport::backups_dir(self.journal_path())
    }

    /// The power goes and comes back: only what was synced is there.
    fn power_cut(&mut self) {
        drop(self.mounted.take());
        self.disk.power_cut();
        self.mounted = Some(
            self.disk
                .mount(&self.at)
                .expect("the simulated disk mounts"),
        );
    }
}

fn touch(client_id: i64, summary: &str) -> TouchInput {
    TouchInput {
        client_id,
        summary: summary.into(),
        body: "What was said, at some length. ".repeat(20),
        ..TouchInput::default()
    }
}

fn summaries(path: &Path) -> BTreeSet<String> {
    let conn =
        rusqlite::Connection::open_with_flags(path, rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY)
            .unwrap();
    let integrity: String = conn
        .query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .unwrap();
    assert_eq!(integrity, "ok", "{} is sound", path.display());
    let mut stmt = conn
        .prepare("SELECT summary FROM entry WHERE kind <> 'note'")
        .unwrap();
    let rows = stmt.query_map([], |r| r.get(0)).unwrap();
    rows.map(Result::unwrap).collect()
}

/// Files in `dir` whose names start with a dot: the temporary copies of a backup, a restore,
/// or a written file.
fn temporaries(dir: &Path) -> Vec<String> {
    std::fs::read_dir(dir)
        .map(|entries| {
            entries
                .filter_map(|e| e.ok()?.file_name().into_string().ok())
                .filter(|n| n.starts_with('.'))
                .collect()
        })
        .unwrap_or_default()
}

fn each_step_under(fault: Fault, says: &[&str]) {
    let Some(mut machine) = Machine::new() else {
        return;
    };
    let path = machine.journal_path();
    rapport::create_private_dir(path.parent().unwrap()).unwrap();
    let mut journal = Journal::open(&path).unwrap();
    let client = journal
        .create_client(
            &ClientInput {
                name: "Ada Fault".into(),
                ..ClientInput::default()
            },
            rapport::Stage::default(),
            Utc::now(),
        )
        .unwrap()
        .id;
    for n in 0..3 {
        journal
            .log_touch(&touch(client, &format!("saved {n}")), Utc::now())
            .unwrap();
    }
    let first_backup = journal.back_up_now(machine.backups(), Utc::now()).unwrap();
    let saved: BTreeSet<String> = (0..3).map(|n| format!("saved {n}")).collect();
    let contacts = machine.at.join("contacts.csv");
    std::fs::write(
        &contacts,
        "Name,E-mail Address\nBea Import,bea@example.com\n",
    )
    .unwrap();

    machine.disk.set_fault(Some(fault));
    let clear = |what: &str, e: rapport::Error| {
        let message = e.to_string();
        assert!(
            says.iter().any(|s| message.contains(s)),
            "under {fault:?}, {what} says {message:?}, which names none of {says:?}"
        );
        eprintln!("{fault:?}, {what}: {message}");
    };
    clear(
        "saving a touch",
        journal
            .log_touch(&touch(client, "refused"), Utc::now())
            .unwrap_err(),
    );
    clear("saving a setting", journal.set_backup_keep(30).unwrap_err());
    let bytes = std::fs::read(&contacts).unwrap();
    clear(
        "importing contacts",
        journal
            .import(
                &bytes,
                &ImportOptions::default(),
                &DuplicateChoices::default(),
                Utc::now(),
            )
            .unwrap_err(),
    );
    clear(
        "taking a backup",
        journal
            .back_up_now(machine.backups(), Utc::now())
            .unwrap_err(),
    );
    drop(journal);
    clear(
        "restoring a backup",
        rapport::restore_backup(&path, &first_backup.path, None, Utc::now()).unwrap_err(),
    );
    // Opening at start with the fault still there.
    match Journal::open(&path) {
        Ok(journal) => drop(journal),
        Err(e) => clear("opening the journal", e),
    }

    // Nothing half-made is left to pass for a backup.
    machine.disk.set_fault(None);
    let listed = rapport::list_backups(machine.backups(), None).unwrap();
    assert_eq!(
        listed.len(),
        1,
        "under {fault:?}, only the first backup is listed: {listed:?}"
    );
    assert!(listed[0].problem.is_none());

    // The fault passes: the same journal, opened again, goes on saving.
    let mut journal = Journal::open(&path).unwrap();
    journal
        .log_touch(&touch(client, "after"), Utc::now())
        .unwrap();
    journal.back_up_now(machine.backups(), Utc::now()).unwrap();
    drop(journal);

    machine.power_cut();
    let mut expected = saved.clone();
    expected.insert("after".into());
    assert_eq!(
        summaries(&path),
        expected,
        "under {fault:?}, every saved touch and none of the refused ones is there after a cut"
    );
    assert_eq!(summaries(&first_backup.path), saved);
    for dir in [path.parent().unwrap().to_path_buf(), machine.backups()] {
        assert_eq!(temporaries(&dir), Vec::<String>::new(), "{}", dir.display());
    }
}

#[test]
fn a_disk_whose_fsync_fails_refuses_each_step_and_loses_nothing_saved() {
    each_step_under(Fault::FsyncFails, &["failed to write (Input/output error"]);
}

#[test]
fn a_read_only_disk_refuses_each_step_and_loses_nothing_saved() {
    each_step_under(Fault::ReadOnly, &["is read-only; nothing was changed"]);
}

#[test]
fn a_full_disk_refuses_each_step_and_loses_nothing_saved() {
    each_step_under(Fault::Full, &["is full; nothing was changed"]);
}
