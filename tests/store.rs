//! Opening journals: settings, persistence, and refusing files that are not ours to touch.

use rapport::{Error, Journal, SCHEMA_VERSION};

use crate::util::*;

#[test]
fn new_journal_uses_wal_foreign_keys_and_our_application_id() {
    let j = TestJournal::new();
    assert!(j.path.exists());
    let raw = j.raw();
    let mode: String = raw
        .query_row("PRAGMA journal_mode", [], |r| r.get(0))
        .unwrap();
    assert_eq!(mode, "wal");
    let app: i32 = raw
        .query_row("PRAGMA application_id", [], |r| r.get(0))
        .unwrap();
    assert_eq!(app, rapport::APPLICATION_ID);
    assert_eq!(j.schema_version().unwrap(), SCHEMA_VERSION);
    assert_eq!(j.path(), Some(j.path.as_path()));
}

#[test]
fn foreign_keys_are_enforced_on_the_journals_connection() {
    // Deleting a client must take its touches with it; that only happens with foreign keys on.
    let mut j = TestJournal::new();
    let c = j.add("Ada Lovelace", t0());
    j.call(c.id, day(1), "intro call");
    j.delete_client(c.id).unwrap();
    let orphans: i64 = j
        .raw()
        .query_row("SELECT count(*) FROM entry", [], |r| r.get(0))
        .unwrap();
    assert_eq!(orphans, 0);
}

#[test]
fn data_survives_reopening() {
    let mut j = TestJournal::new();
    let c = j.add("Grace Hopper", t0());
    let touch = j.call(c.id, day(2), "compiler chat");
    j.reopen();
    assert_eq!(j.client(c.id).unwrap().name, "Grace Hopper");
    assert_eq!(j.touch(touch.id).unwrap().summary, "compiler chat");
    assert_eq!(j.client(c.id).unwrap().last_touch_at, Some(day(2)));
}

#[test]
fn a_foreign_sqlite_file_is_refused_and_left_untouched() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("other.sqlite3");
    rusqlite::Connection::open(&path)
        .unwrap()
        .execute_batch("CREATE TABLE recipes (name TEXT); INSERT INTO recipes VALUES ('soup');")
        .unwrap();
    let before = std::fs::read(&path).unwrap();
    let err = Journal::open(&path).unwrap_err();
    assert!(matches!(err, Error::NotAJournal { .. }), "{err:?}");
    assert_eq!(err.kind(), "not_a_journal");
    assert!(err.to_string().contains("other.sqlite3"), "{err}");
    assert_eq!(std::fs::read(&path).unwrap(), before);
    assert!(!dir.path().join("other.sqlite3-wal").exists());
}

#[test]
fn a_damaged_file_is_refused_and_left_untouched() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(rapport::FILE_NAME);
    let garbage: Vec<u8> = (0..8192u32).map(|i| (i * 7 % 251) as u8).collect();
    std::fs::write(&path, &garbage).unwrap();
    let err = Journal::open(&path).unwrap_err();
    assert_eq!(err.kind(), "corrupt", "{err:?}");
    assert!(err.to_string().contains(rapport::FILE_NAME), "{err}");
    assert_eq!(std::fs::read(&path).unwrap(), garbage);
}

#[test]
fn a_journal_from_a_newer_version_is_refused_and_left_untouched() {
    let mut j = TestJournal::new();
    j.add("Someone", t0());
    let path = j.path.clone();
    drop(j.raw().pragma_update(None, "user_version", 99));
    drop(std::mem::replace(
        &mut j.journal,
        Journal::open_in_memory().unwrap(),
    ));
    // Fold the log into the file so the bytes compared below are the whole journal.
    j.raw()
        .execute_batch("PRAGMA wal_checkpoint(TRUNCATE)")
        .unwrap();
    let before = std::fs::read(&path).unwrap();
    let err = Journal::open(&path).unwrap_err();
    match &err {
        Error::NewerVersion { found, known, .. } => {
            assert_eq!((*found, *known), (99, SCHEMA_VERSION));
        }
        other => panic!("expected NewerVersion, got {other:?}"),
    }
    assert_eq!(std::fs::read(&path).unwrap(), before);
}

#[test]
fn a_journal_locked_by_another_program_is_reported_as_locked() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(rapport::FILE_NAME);
    drop(Journal::open(&path).unwrap());
    let holder = rusqlite::Connection::open(&path).unwrap();
    // Exclusive locking mode keeps even readers out, as another program holding the file would.
    holder
        .execute_batch("PRAGMA locking_mode = EXCLUSIVE; BEGIN EXCLUSIVE; SELECT * FROM client;")
        .unwrap();
    let err = Journal::open(&path).unwrap_err();
    assert_eq!(err.kind(), "locked", "{err:?}");
    holder.execute_batch("COMMIT").unwrap();
}

#[test]
fn a_data_folder_that_cannot_be_made_is_an_io_error_naming_it_not_a_damaged_journal() {
    let dir = tempfile::tempdir().unwrap();
    // A file where the data folder's parent should be: no folder can be made below it.
    let blocker = dir.path().join("not-a-folder");
    std::fs::write(&blocker, "a file").unwrap();
    let wanted = blocker.join("rapport");
    let e = rapport::create_private_dir(&wanted).unwrap_err();
    assert_eq!(e.kind(), "io", "{e}");
    assert!(e.to_string().contains("not-a-folder"), "{e}");
    assert_eq!(std::fs::read(&blocker).unwrap(), b"a file");
    // A folder that can be made is made private to its owner.
    let made = dir.path().join("a/b");
    rapport::create_private_dir(&made).unwrap();
    let mode =
        std::os::unix::fs::PermissionsExt::mode(&std::fs::metadata(&made).unwrap().permissions());
    assert_eq!(mode & 0o777, 0o700);
}

#[test]
fn a_data_folder_made_open_by_another_program_is_narrowed_to_its_owner() {
    use std::os::unix::fs::PermissionsExt;
    let mode = |p: &std::path::Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o7777;
    let dir = tempfile::tempdir().unwrap();
    // The webview makes the app-data folder 0755 before Rapport's first start.
    let parent = dir.path().join("share");
    let data = parent.join("app.rapport");
    std::fs::create_dir_all(&data).unwrap();
    for folder in [&parent, &data] {
        std::fs::set_permissions(folder, std::fs::Permissions::from_mode(0o755)).unwrap();
    }
    rapport::create_private_dir(&data).unwrap();
    assert_eq!(mode(&data), 0o700, "the journal's folder");
    assert_eq!(
        mode(&parent),
        0o755,
        "a folder above it is not Rapport's to change"
    );
    // A shared folder, sticky as /tmp is, is left as it is.
    let shared = dir.path().join("shared");
    std::fs::create_dir(&shared).unwrap();
    std::fs::set_permissions(&shared, std::fs::Permissions::from_mode(0o1777)).unwrap();
    rapport::create_private_dir(&shared).unwrap();
    assert_eq!(mode(&shared), 0o1777);
}

/// The bytes of `path` and of each companion file SQLite keeps beside it (missing ones empty).
fn files_of(path: &std::path::Path) -> Vec<(String, Vec<u8>)> {
    ["", "-wal", "-shm", "-journal"]
        .iter()
        .map(|suffix| {
            let mut name = path.as_os_str().to_owned();
            name.push(suffix);
            (
                suffix.to_string(),
                std::fs::read(std::path::PathBuf::from(name)).unwrap_or_default(),
            )
        })
        .collect()
}

/// Copies `path` and its companions into `dir`, as they are at this moment.
fn copy_with_companions(path: &std::path::Path, dir: &std::path::Path) -> std::path::PathBuf {
    let copy = dir.join(path.file_name().unwrap());
    for (suffix, bytes) in files_of(path) {
        if !bytes.is_empty() {
            let mut name = copy.as_os_str().to_owned();
            name.push(&suffix);
            std::fs::write(std::path::PathBuf::from(name), bytes).unwrap();
        }
    }
    copy
}

#[test]
fn a_newer_journal_whose_log_is_not_yet_copied_in_is_refused_unchanged() {
    let mut j = TestJournal::new();
    j.add("Someone", t0());
    // A newer Rapport has written to the log, not yet to the file, when the computer stops.
    j.raw()
        .execute_batch("PRAGMA wal_autocheckpoint = 0; PRAGMA user_version = 99;")
        .unwrap();
    let there = tempfile::tempdir().unwrap();
    let path = copy_with_companions(&j.path, there.path());
    let before = files_of(&path);
    assert!(!before[1].1.is_empty(), "the copy has its log");
    let err = Journal::open(&path).unwrap_err();
    assert_eq!(err.kind(), "newer_version", "{err:?}");
    let after = files_of(&path);
    for ((suffix, was), (_, is)) in before.iter().zip(&after) {
        if suffix != "-shm" {
            assert!(was == is, "the journal{suffix} was changed by refusing it");
        }
    }
}

#[test]
fn another_programs_database_left_mid_write_is_refused_and_not_rolled_back() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("other.sqlite3");
    let conn = rusqlite::Connection::open(&path).unwrap();
    conn.execute_batch(
        "PRAGMA journal_mode = DELETE; CREATE TABLE t (x);
         WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 50)
         INSERT INTO t SELECT zeroblob(4000) FROM n;",
    )
    .unwrap();
    // Mid-write: the rollback journal written, the file partly changed, then the program stops.
    conn.execute_batch("PRAGMA cache_size = 1; BEGIN; UPDATE t SET x = zeroblob(4001);")
        .unwrap();
    let there = tempfile::tempdir().unwrap();
    let copy = copy_with_companions(&path, there.path());
    drop(conn);
    let before = files_of(&copy);
    assert!(!before[3].1.is_empty(), "a hot rollback journal beside it");
    let err = Journal::open(&copy).unwrap_err();
    assert_eq!(err.kind(), "not_a_journal", "{err:?}");
    assert!(
        files_of(&copy) == before,
        "the other program's files were changed"
    );
}

#[test]
fn a_zeroed_table_page_opens_but_the_check_names_the_damage() {
    let mut j = TestJournal::new();
    for i in 0..200 {
        let c = j.add(&format!("Client {i}"), t0());
        j.call(
            c.id,
            day(1),
            "a call long enough to fill some pages of the table",
        );
    }
    let path = j.path.clone();
    j.journal.check().unwrap();
    drop(std::mem::replace(
        &mut j.journal,
        Journal::open_in_memory().unwrap(),
    ));
    rapport_testkit::damage::zero_table_page(&path, "entry");
    let damaged = Journal::open(&path).expect("the header is intact: it opens");
    let err = damaged.check().unwrap_err();
    assert_eq!(err.kind(), "corrupt", "{err:?}");
    assert!(err.to_string().contains(rapport::FILE_NAME), "{err}");
}

#[test]
fn a_log_left_beside_a_journal_replaced_by_hand_is_set_aside_not_played_into_it() {
    let mut j = TestJournal::new();
    for i in 0..50 {
        let c = j.add(&format!("Before {i}"), t0());
        j.call(c.id, day(1), "a call");
    }
    let backups = tempfile::tempdir().unwrap();
    let backup = j.backup_into(backups.path(), day(2)).unwrap();
    // More writes, in the log only, then the computer stops.
    j.raw()
        .execute_batch("PRAGMA wal_autocheckpoint = 0")
        .unwrap();
    for i in 0..50 {
        let c = j.add(&format!("After {i}"), day(3));
        j.call(c.id, day(3), "a later call with other words in it");
    }
    let there = tempfile::tempdir().unwrap();
    let path = copy_with_companions(&j.path, there.path());
    assert!(
        !files_of(&path)[1].1.is_empty(),
        "the log has the later writes"
    );
    // The user puts the backup in place by hand, over the journal, and leaves the log.
    std::fs::copy(&backup.path, &path).unwrap();

    let opened = Journal::open(&path).unwrap();
    opened.check().expect("the journal is whole");
    assert_eq!(
        opened.counts().unwrap(),
        backup.counts,
        "exactly the backup"
    );
    let aside: Vec<String> = std::fs::read_dir(there.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .filter(|n| n.contains("-wal.stale-"))
        .collect();
    assert_eq!(aside.len(), 1, "the log kept aside: {aside:?}");
}

#[test]
fn a_journal_replaced_or_cut_short_while_open_refuses_the_next_write() {
    for how in [
        "replaced",
        "cut short",
        "a backup copied over it",
        "other bytes over it",
    ] {
        let mut j = TestJournal::new();
        j.add("Before", t0());
        let path = j.path.clone();
        let other = path.with_file_name("other.sqlite3");
        match how {
            "replaced" => {
                // Another program (a sync tool, a hand copy) renames its file over the journal.
                std::fs::write(&other, b"another file").unwrap();
                std::fs::rename(&other, &path).unwrap();
            }
            "a backup copied over it" => {
                // `cp backup.sqlite3 journal.sqlite3` while Rapport runs: the same file (inode),
                // another database in it, in rollback mode as every backup is.
                let backups = tempfile::tempdir().unwrap();
                let backup = j.backup_into(backups.path(), day(1)).unwrap();
                std::fs::copy(&backup.path, &path).unwrap();
            }
            "other bytes over it" => {
                std::fs::write(&path, vec![b'x'; 8192]).unwrap();
            }
            _ => {
                std::fs::OpenOptions::new()
                    .write(true)
                    .open(&path)
                    .unwrap()
                    .set_len(0)
                    .unwrap();
            }
        }
        let before = std::fs::read(&path).unwrap();
        let err = j
            .create_client(
                &rapport::ClientInput {
                    name: "Typed after".into(),
                    ..Default::default()
                },
                rapport::Stage::MeToo,
                day(1),
            )
            .unwrap_err();
        assert_eq!(err.kind(), "replaced", "{how}: {err:?}");
        assert!(err.to_string().contains(rapport::FILE_NAME), "{err}");
        assert_eq!(
            std::fs::read(&path).unwrap(),
            before,
            "{how}: the file as it was"
        );
    }
}
