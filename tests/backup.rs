//! Backups: taken while another connection writes, verified before they count, pruned to the
//! setting, refused when damaged, and restored with the old journal kept aside; and the privacy
//! of every file the core writes.

use std::os::unix::fs::PermissionsExt;
use std::path::Path;

use rapport::{
    list_backups, restore_backup, verify_backup, Error, Journal, TouchInput, TouchKind, BACKUPS_DIR,
};

use crate::util::{day, hours, t0, TestJournal};

fn mode(path: &Path) -> u32 {
    std::fs::metadata(path).unwrap().permissions().mode() & 0o777
}

#[test]
fn a_new_journal_and_its_wal_and_shm_are_readable_by_the_owner_only() {
    let mut j = TestJournal::new();
    j.add("Ada", t0());
    for suffix in ["", "-wal", "-shm"] {
        let file = rapport_path(&j.path, suffix);
        assert!(file.exists(), "{} exists", file.display());
        assert_eq!(mode(&file), 0o600, "{}", file.display());
    }
}

#[test]
fn an_existing_world_readable_journal_is_narrowed_when_opened() {
    let mut j = TestJournal::new();
    j.add("Ada", t0());
    std::fs::set_permissions(&j.path, std::fs::Permissions::from_mode(0o644)).unwrap();
    j.reopen();
    assert_eq!(mode(&j.path), 0o600);
}

#[test]
fn a_foreign_database_keeps_its_permissions() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("other.db");
    rusqlite::Connection::open(&path)
        .unwrap()
        .execute_batch("CREATE TABLE t (x)")
        .unwrap();
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o644)).unwrap();
    assert!(matches!(
        Journal::open(&path),
        Err(Error::NotAJournal { .. })
    ));
    assert_eq!(mode(&path), 0o644);
}

fn rapport_path(path: &Path, suffix: &str) -> std::path::PathBuf {
    let mut s = path.as_os_str().to_owned();
    s.push(suffix);
    s.into()
}

fn seeded() -> TestJournal {
    let mut j = TestJournal::new();
    for i in 0..20 {
        let c = j.add(&format!("Client {i}"), t0());
        j.call(c.id, day(1), "first call");
    }
    j
}

#[test]
fn a_backup_is_private_self_contained_verified_and_holds_everything() {
    let j = seeded();
    let dir = j.path.parent().unwrap().join(BACKUPS_DIR);
    let info = j.backup_into(&dir, day(2)).unwrap();
    assert_eq!(mode(&dir), 0o700);
    assert_eq!(mode(&info.path), 0o600);
    assert_eq!(
        info.path.file_name().unwrap().to_str().unwrap(),
        "rapport-20260304-090000-s1.sqlite3",
        "named when it was taken, and numbered: the first"
    );
    assert_eq!(info.taken_at, day(2));
    assert_eq!(info.counts, j.journal.counts().unwrap());
    assert_eq!(info.counts.clients, 20);
    assert_eq!(info.counts.touches, 20);
    assert!(!rapport_path(&info.path, "-wal").exists());
    // Rollback journal mode in the header (bytes 18 and 19 are 2 in WAL mode).
    let header = std::fs::read(&info.path).unwrap();
    assert_eq!((header[18], header[19]), (1, 1));
    // Only the backup itself is in the folder: no temporary file left behind.
    assert_eq!(std::fs::read_dir(&dir).unwrap().count(), 1);
    // A second backup in the same second gets a name of its own.
    let again = j.backup_into(&dir, day(2)).unwrap();
    assert_ne!(again.path, info.path);
    let listed = list_backups(&dir, None).unwrap();
    assert_eq!(listed.len(), 2);
    assert!(listed.iter().all(|b| b.problem.is_none()));
    // The backup opens as a journal with the same clients.
    let copy = Journal::open(&info.path).unwrap();
    assert_eq!(copy.counts().unwrap(), j.journal.counts().unwrap());
}

#[test]
fn a_backup_taken_while_another_connection_writes_is_consistent() {
    let j = seeded();
    let path = j.path.clone();
    let dir = path.parent().unwrap().join(BACKUPS_DIR);
    let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let writer = {
        let stop = stop.clone();
        std::thread::spawn(move || {
            let mut other = Journal::open(&path).unwrap();
            let client = other
                .create_client(&crate::util::named("Writer"), rapport::Stage::MeToo, t0())
                .unwrap();
            let mut n = 0;
            while !stop.load(std::sync::atomic::Ordering::Relaxed) && n < 2000 {
                other
                    .log_touch(
                        &TouchInput {
                            client_id: client.id,
                            kind: TouchKind::Email,
                            at: Some(day(1)),
                            summary: format!("mail {n}"),
                            ..Default::default()
                        },
                        day(1),
                    )
                    .unwrap();
                n += 1;
            }
            n
        })
    };
    let mut taken = Vec::new();
    for i in 0..5 {
        taken.push(j.backup_into(&dir, day(2) + hours(i)).unwrap());
    }
    stop.store(true, std::sync::atomic::Ordering::Relaxed);
    let written = writer.join().unwrap();
    assert!(written > 0);
    for info in taken {
        let again = verify_backup(&info.path, None).unwrap();
        assert_eq!(again.counts, info.counts);
        crate::util::assert_search_index_consistent(&info.path);
    }
}

#[test]
fn pruning_keeps_the_setting_and_the_daily_backup_waits_a_day() {
    let mut j = seeded();
    let dir = j.path.parent().unwrap().join(BACKUPS_DIR);
    assert_eq!(j.backup_keep().unwrap(), 7);
    j.set_backup_keep(3).unwrap();
    assert!(matches!(
        j.set_backup_keep(0),
        Err(Error::Invalid {
            field: "backup_keep",
            ..
        })
    ));
    assert!(j.set_backup_keep(366).is_err());
    assert_eq!(j.backup_keep().unwrap(), 3);

    let first = j.daily_backup_if_due(&dir, day(2)).unwrap();
    assert!(first.made.is_some());
    // Not yet a day later: nothing.
    let none = j.daily_backup_if_due(&dir, day(2) + hours(23)).unwrap();
    assert!(none.made.is_none() && none.pruned.is_empty());
    for d in 3..8 {
        let made = j.daily_backup_if_due(&dir, day(d)).unwrap();
        assert!(made.made.is_some(), "day {d}");
    }
    let listed = list_backups(&dir, None).unwrap();
    assert_eq!(listed.len(), 3);
    assert_eq!(listed[0].taken_at, day(7));
    assert_eq!(listed[2].taken_at, day(5));
}

#[test]
fn back_up_now_keeps_no_more_than_the_setting_beside_the_journal() {
    let mut j = seeded();
    let dir = rapport::backups_dir(&j.path);
    assert_eq!(dir, j.path.parent().unwrap().join(BACKUPS_DIR));
    j.set_backup_keep(2).unwrap();
    for i in 0..4 {
        let taken = j.back_up_now(&dir, day(2) + hours(i)).unwrap();
        assert!(taken.path.exists());
    }
    let listed = list_backups(&dir, None).unwrap();
    assert_eq!(listed.len(), 2, "{listed:?}");
    assert_eq!(listed[0].taken_at, day(2) + hours(3));
    assert_eq!(listed[1].taken_at, day(2) + hours(2));
}

#[test]
fn a_damaged_backup_is_not_counted_not_pruned_and_never_restored() {
    let j = seeded();
    let dir = j.path.parent().unwrap().join(BACKUPS_DIR);
    let good = j.backup_into(&dir, day(2)).unwrap();
    // A newer file with a backup's name, but damaged: garbage over its pages.
    let bad = dir.join("rapport-20260310-090000-s2.sqlite3");
    let mut bytes = std::fs::read(&good.path).unwrap();
    let len = bytes.len();
    for b in &mut bytes[len / 3..] {
        *b = 0x5a;
    }
    std::fs::write(&bad, &bytes).unwrap();
    let not_a_db = dir.join("rapport-20260311-090000-s3.sqlite3");
    std::fs::write(&not_a_db, b"hello").unwrap();

    let listed = list_backups(&dir, None).unwrap();
    assert_eq!(listed.len(), 3);
    assert!(listed[0].problem.is_some() && listed[0].counts.is_none());
    assert!(listed[1].problem.is_some());
    assert!(listed[2].problem.is_none());
    assert!(matches!(
        verify_backup(&bad, None),
        Err(Error::Corrupt { .. })
    ));

    // The damaged ones are newer, yet the daily backup is due (the good one is 8 days old)...
    let daily = j.daily_backup_if_due(&dir, day(10)).unwrap();
    assert!(daily.made.is_some());
    // ...and they are never restored: the journal is untouched.
    let before = std::fs::read(&j.path).unwrap();
    for path in [&bad, &not_a_db] {
        let refused = restore_backup(&j.path, path, None, day(11)).unwrap_err();
        assert!(
            matches!(refused, Error::Corrupt { .. } | Error::NotAJournal { .. }),
            "{refused:?}"
        );
    }
    assert_eq!(std::fs::read(&j.path).unwrap(), before);
    let folder: Vec<_> = std::fs::read_dir(j.path.parent().unwrap())
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    assert!(
        !folder
            .iter()
            .any(|n| n.contains("before-restore") || n.starts_with('.')),
        "{folder:?}"
    );
}

#[test]
fn a_foreign_database_is_not_a_backup() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("rapport-20260301-000000.sqlite3");
    rusqlite::Connection::open(&path)
        .unwrap()
        .execute_batch("CREATE TABLE t (x)")
        .unwrap();
    assert!(matches!(
        verify_backup(&path, None),
        Err(Error::NotAJournal { .. })
    ));
}

#[test]
fn restore_keeps_the_old_journal_aside_and_the_reopened_journal_has_the_backups_data() {
    let mut j = seeded();
    let dir = j.path.parent().unwrap().join(BACKUPS_DIR);
    let backup = j.backup_into(&dir, day(2)).unwrap();
    // After the backup: more clients, some of them only in the write-ahead log.
    j.add("After the backup", day(3));
    j.add("Also after", day(3));
    let after = j.journal.counts().unwrap();
    assert_eq!(after.clients, 22);

    // Restoring while the journal is open is refused, and changes nothing.
    let refused = restore_backup(&j.path, &backup.path, None, day(4)).unwrap_err();
    assert!(matches!(refused, Error::Locked { .. }), "{refused:?}");
    assert_eq!(j.journal.counts().unwrap(), after);

    // The shell closes its journal first.
    let path = j.path.clone();
    let placeholder = Journal::open_in_memory().unwrap();
    drop(std::mem::replace(&mut j.journal, placeholder));
    let restored = restore_backup(&path, &backup.path, None, day(4)).unwrap();
    let aside = restored.set_aside.clone().unwrap();
    assert_eq!(
        aside.file_name().unwrap().to_str().unwrap(),
        "journal-before-restore-20260306-090000.sqlite3"
    );
    assert_eq!(mode(&path), 0o600);
    assert_eq!(mode(&aside), 0o600);
    assert!(!rapport_path(&path, "-wal").exists());

    j.reopen();
    assert_eq!(j.journal.counts().unwrap(), backup.counts);
    assert_eq!(j.journal.counts().unwrap().clients, 20);
    j.assert_search_index_consistent();
    // The journal set aside holds everything it held, the log's last writes included.
    let old = Journal::open(&aside).unwrap();
    assert_eq!(old.counts().unwrap(), after);
    // The restored journal takes writes, and a second restore keeps a second copy aside.
    j.add("New life", day(5));
    let placeholder = Journal::open_in_memory().unwrap();
    drop(std::mem::replace(&mut j.journal, placeholder));
    let second = restore_backup(&path, &backup.path, None, day(4)).unwrap();
    assert_ne!(second.set_aside.unwrap(), aside);
    j.reopen();
    assert_eq!(j.journal.counts().unwrap().clients, 20);
}

#[test]
fn restore_with_no_journal_puts_the_backup_in_place() {
    let j = seeded();
    let dir = tempfile::tempdir().unwrap();
    let backup = j.backup_to(dir.path().join("copy.sqlite3")).unwrap();
    let target = dir.path().join("data").join(rapport::FILE_NAME);
    let restored = restore_backup(&target, &backup.path, None, day(3)).unwrap();
    assert!(restored.set_aside.is_none());
    assert_eq!(mode(target.parent().unwrap()), 0o700);
    assert_eq!(
        Journal::open(&target).unwrap().counts().unwrap(),
        backup.counts
    );
}

#[test]
fn a_half_written_backup_left_by_a_killed_app_is_cleared_at_the_next_daily_look() {
    let j = TestJournal::new();
    let dir = tempfile::tempdir().unwrap();
    let abandoned = dir
        .path()
        .join(".rapport-20261122-090000.sqlite3.backup-999999-0");
    std::fs::write(&abandoned, b"half a backup").unwrap();
    let made = j.daily_backup_if_due(dir.path(), day(0)).unwrap();
    assert!(made.made.is_some());
    assert!(!abandoned.exists(), "the abandoned copy is still there");
    // A backup a day old by its name is enough to wait: names alone decide, nothing is reopened.
    assert!(j
        .daily_backup_if_due(dir.path(), day(0) + chrono::Duration::hours(23))
        .unwrap()
        .made
        .is_none());
}

#[test]
fn a_backup_from_an_older_version_is_upgraded_before_it_replaces_the_journal() {
    let dir = tempfile::tempdir().unwrap();
    // A backup as the first version of Rapport wrote it: schema 1, one client.
    let old = dir.path().join("rapport-20250101-090000.sqlite3");
    {
        let mut conn = rusqlite::Connection::open(&old).unwrap();
        rapport::migrations().to_version(&mut conn, 1).unwrap();
        let t = t0().timestamp();
        conn.execute_batch(&format!(
            "PRAGMA application_id = {};
             INSERT INTO client (id, name, sort_name, organisation, profile, created_at,
                                 updated_at, due_at)
             VALUES (1, 'Zoë Quist', 'zoe quist', '', '', {t}, {t}, {t} + 30 * 86400);
             INSERT INTO stage_change (client_id, stage, at) VALUES (1, 'me_too', {t});",
            rapport::APPLICATION_ID
        ))
        .unwrap();
    }
    verify_backup(&old, None).unwrap();
    let mut j = seeded();
    let path = j.path.clone();
    let placeholder = Journal::open_in_memory().unwrap();
    drop(std::mem::replace(&mut j.journal, placeholder));
    restore_backup(&path, &old, None, day(4)).unwrap();

    // What is in place is already of this version, whole in its file: opening it has nothing
    // to write, so nothing that fails on a full disk stands between the restore and the window.
    let version: usize =
        rusqlite::Connection::open_with_flags(&path, rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY)
            .unwrap()
            .query_row("PRAGMA user_version", [], |r| r.get(0))
            .unwrap();
    assert_eq!(version, rapport::SCHEMA_VERSION);
    assert!(!rapport_path(&path, "-wal").exists());
    // The backup itself is left as it was, and no working copy is left behind.
    assert_eq!(
        rusqlite::Connection::open(&old)
            .unwrap()
            .query_row("PRAGMA user_version", [], |r| r.get::<_, usize>(0))
            .unwrap(),
        1
    );
    let leftovers: Vec<_> = std::fs::read_dir(path.parent().unwrap())
        .unwrap()
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with('.'))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
    j.reopen();
    assert_eq!(j.journal.client(1).unwrap().name, "Zoë Quist");
    j.assert_search_index_consistent();
}

/// The backups in `dir` as the Settings view lists them: when each says it was taken.
fn listed_times(dir: &Path) -> Vec<chrono::DateTime<chrono::Utc>> {
    list_backups(dir, None)
        .unwrap()
        .into_iter()
        .map(|b| b.taken_at)
        .collect()
}

#[test]
fn one_start_with_the_clock_years_ahead_costs_one_extra_backup_not_the_history() {
    let j = seeded();
    let dir = rapport::backups_dir(&j.path);
    for d in 2..5 {
        j.daily_backup_if_due(&dir, day(d)).unwrap();
    }
    // One start with the clock in 2099 (a dead battery, a bad NTP answer).
    let ahead = day(5) + chrono::Duration::days(365 * 73);
    assert!(j.daily_backup_if_due(&dir, ahead).unwrap().made.is_some());
    // The clock right again: looked at every hour for ten days, one backup a day, and the
    // days before the bad start are kept until seven newer ones have been taken.
    let mut made = 0;
    for h in 0..(10 * 24) {
        made += usize::from(
            j.daily_backup_if_due(&dir, day(5) + hours(h))
                .unwrap()
                .made
                .is_some(),
        );
    }
    assert_eq!(made, 10, "one a day, and one when the clock came back");
    let listed = listed_times(&dir);
    assert_eq!(listed.len(), 7, "{listed:?}");
    assert_eq!(
        listed[0],
        day(14),
        "the newest is the last taken: {listed:?}"
    );
    assert!(
        !listed.contains(&ahead),
        "the 2099 backup was pruned in its turn"
    );
    let mut days: Vec<_> = listed.iter().map(|t| t.date_naive()).collect();
    days.dedup();
    assert_eq!(
        days.len(),
        7,
        "seven days of history, not seven hours: {listed:?}"
    );
}

#[test]
fn with_the_clock_behind_a_new_backup_is_the_newest_and_is_kept() {
    let mut j = seeded();
    let dir = rapport::backups_dir(&j.path);
    j.set_backup_keep(3).unwrap();
    for d in 2..6 {
        j.daily_backup_if_due(&dir, day(d)).unwrap();
    }
    // The clock a year behind (a VM restored from a snapshot): "Back up now" reports a backup,
    // and it is there, kept as the newest, not pruned as the oldest in the same call.
    let behind = day(6) - chrono::Duration::days(365);
    let taken = j.back_up_now(&dir, behind).unwrap();
    assert!(taken.path.exists());
    let listed = list_backups(&dir, None).unwrap();
    assert_eq!(listed.len(), 3);
    assert_eq!(
        listed[0].path, taken.path,
        "the newest, whatever its date says"
    );
    // The daily look while the clock stays behind: not a backup every hour, one a day, each
    // kept.
    let mut made = Vec::new();
    for h in 1..(3 * 24) {
        if let Some(b) = j.daily_backup_if_due(&dir, behind + hours(h)).unwrap().made {
            made.push(b.path);
        }
    }
    assert_eq!(made.len(), 2, "{made:?}");
    for path in &made {
        assert!(path.exists(), "{}", path.display());
    }
}

#[test]
fn a_keep_of_one_is_refused() {
    // With one, each backup replaces the only other copy. (An imported journal is held to the
    // same rule: export_import::a_json_file_with_bad_records_is_refused_whole.)
    let mut j = seeded();
    let refused = j.set_backup_keep(1).unwrap_err();
    assert!(
        refused.to_string().contains("between 2 and 365"),
        "{refused}"
    );
    assert_eq!(j.backup_keep().unwrap(), 7);
}

#[test]
fn a_backup_with_a_trigger_of_another_program_is_never_restored() {
    let j = seeded();
    let dir = rapport::backups_dir(&j.path);
    let good = j.backup_into(&dir, day(2)).unwrap();
    // The same backup, with one more trigger: each touch logged would delete all but one.
    let tampered = dir.join("rapport-20260305-090000-s2.sqlite3");
    std::fs::copy(&good.path, &tampered).unwrap();
    rusqlite::Connection::open(&tampered)
        .unwrap()
        .execute_batch(
            "CREATE TRIGGER wipe AFTER INSERT ON entry BEGIN
                 DELETE FROM entry WHERE id <> new.id;
             END;",
        )
        .unwrap();
    let refused = verify_backup(&tampered, None).unwrap_err();
    assert!(
        refused
            .to_string()
            .contains("the trigger \"wipe\" is not one of Rapport's"),
        "{refused}"
    );
    let listed = list_backups(&dir, None).unwrap();
    assert!(
        listed[0].problem.is_some(),
        "listed as unusable: {listed:?}"
    );
    let before = std::fs::read(&j.path).unwrap();
    let refused = restore_backup(&j.path, &tampered, None, day(4)).unwrap_err();
    assert!(matches!(refused, Error::Corrupt { .. }), "{refused:?}");
    assert_eq!(
        std::fs::read(&j.path).unwrap(),
        before,
        "the journal untouched"
    );
    // A trigger of Rapport's taken away is found as well.
    let stripped = dir.join("rapport-20260306-090000-s3.sqlite3");
    std::fs::copy(&good.path, &stripped).unwrap();
    let trigger: String = rusqlite::Connection::open(&stripped)
        .unwrap()
        .query_row(
            "SELECT name FROM sqlite_schema WHERE type = 'trigger' ORDER BY name LIMIT 1",
            [],
            |r| r.get(0),
        )
        .unwrap();
    rusqlite::Connection::open(&stripped)
        .unwrap()
        .execute_batch(&format!("DROP TRIGGER {trigger}"))
        .unwrap();
    let refused = verify_backup(&stripped, None).unwrap_err();
    assert!(refused.to_string().contains("is missing"), "{refused}");
    // The backup Rapport took passes.
    verify_backup(&good.path, None).unwrap();
}

#[test]
fn journals_set_aside_by_restores_and_copies_of_killed_restores_do_not_pile_up() {
    let mut j = seeded();
    let dir = rapport::backups_dir(&j.path);
    let backup = j.backup_into(&dir, day(2)).unwrap();
    let path = j.path.clone();
    let folder = path.parent().unwrap().to_path_buf();
    let names = || {
        let mut names: Vec<String> = std::fs::read_dir(&folder)
            .unwrap()
            .map(|e| e.unwrap().file_name().into_string().unwrap())
            .filter(|n| n != BACKUPS_DIR)
            .collect();
        names.sort();
        names
    };
    drop(std::mem::replace(
        &mut j.journal,
        Journal::open_in_memory().unwrap(),
    ));
    // A restore killed after copying the backup beside the journal, by a process long gone.
    let killed = folder.join(format!(".{}.restoring-999999-0", rapport::FILE_NAME));
    std::fs::copy(&backup.path, &killed).unwrap();
    std::fs::write(
        folder.join(format!(".{}.restoring-999999-0-wal", rapport::FILE_NAME)),
        b"x",
    )
    .unwrap();
    let mut set_aside = Vec::new();
    for n in 0..5 {
        // The third restore runs with the clock a year behind: what it set aside is kept.
        let now = if n == 2 {
            day(4) - chrono::Duration::days(365)
        } else {
            day(4) + hours(n)
        };
        let restored = restore_backup(&path, &backup.path, None, now).unwrap();
        set_aside.push(restored.set_aside.unwrap());
        assert!(
            !names().iter().any(|n| n.contains("restoring")),
            "{:?}",
            names()
        );
        let kept = names()
            .into_iter()
            .filter(|n| n.contains("before-restore"))
            .count();
        assert!(kept <= rapport::SET_ASIDE_KEEP, "{:?}", names());
        assert!(set_aside.last().unwrap().exists(), "the one just set aside");
    }
    assert_eq!(
        names()
            .iter()
            .filter(|n| n.contains("before-restore"))
            .count(),
        rapport::SET_ASIDE_KEEP
    );
    // The daily look clears what a killed restore left too.
    j.reopen();
    std::fs::write(&killed, b"half a copy").unwrap();
    j.daily_backup_if_due(&dir, day(5)).unwrap();
    assert!(!killed.exists());
}
