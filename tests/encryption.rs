//! The journal encrypted with SQLCipher: built with the codec and FTS5, no readable text in the
//! journal or its log, the wrong key or none refused with the file left as it was.

use chrono::Utc;
use rapport::{ClientInput, Error, Journal, Key, Stage, TouchInput};

/// A word that appears nowhere but where the test writes it.
const MARKER: &str = "Quetzalcoatl7319Marker";

fn contains(haystack: &[u8], text: &str) -> bool {
    let utf16le: Vec<u8> = text.encode_utf16().flat_map(u16::to_le_bytes).collect();
    let utf16be: Vec<u8> = text.encode_utf16().flat_map(u16::to_be_bytes).collect();
    [text.as_bytes().to_vec(), utf16le, utf16be]
        .iter()
        .any(|needle| {
            haystack
                .windows(needle.len())
                .any(|w| w == needle.as_slice())
        })
}

/// The journal's files as they are now: the file, its log and the log's index.
fn files(path: &std::path::Path) -> Vec<(String, Vec<u8>)> {
    ["", "-wal", "-shm"]
        .iter()
        .filter_map(|suffix| {
            let mut name = path.as_os_str().to_owned();
            name.push(suffix);
            Some((suffix.to_string(), std::fs::read(name).ok()?))
        })
        .collect()
}

/// Writes a client named after the marker and touches whose notes carry it.
/// A new encrypted journal in `dir` with [`write_marked`]'s entries, closed; its path and key.
fn marked_journal(dir: &std::path::Path) -> (std::path::PathBuf, Key) {
    let path = dir.join(rapport::FILE_NAME);
    let key = Key::generate().unwrap();
    let mut journal = Journal::open_encrypted(&path, &key).unwrap();
    write_marked(&mut journal);
    (path, key)
}

fn write_marked(journal: &mut Journal) -> i64 {
    let client = journal
        .create_client(
            &ClientInput {
                name: format!("Ada {MARKER}"),
                profile: format!("Cares about {MARKER} above all"),
                ..ClientInput::default()
            },
            Stage::default(),
            Utc::now(),
        )
        .unwrap()
        .id;
    for n in 0..20 {
        journal
            .log_touch(
                &TouchInput {
                    client_id: client,
                    summary: format!("Call {n} about {MARKER}"),
                    body: format!("She said {MARKER} twice. ").repeat(10),
                    ..TouchInput::default()
                },
                Utc::now(),
            )
            .unwrap();
    }
    client
}

#[test]
fn the_journal_is_built_on_sqlcipher_with_full_text_search() {
    let conn = rusqlite::Connection::open_in_memory().unwrap();
    let options: Vec<String> = conn
        .prepare("PRAGMA compile_options")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    for wanted in ["HAS_CODEC", "ENABLE_FTS5"] {
        assert!(
            options.iter().any(|o| o == wanted),
            "{wanted} in {options:?}"
        );
    }
    let version: String = conn
        .query_row("PRAGMA cipher_version", [], |r| r.get(0))
        .unwrap();
    assert!(!version.is_empty());
}

/// The README tells someone reading their journal with another SQLCipher program which
/// statements key it; those, typed by hand, open it, and SQLCipher's defaults alone do not.
#[test]
fn a_journal_opens_in_another_sqlcipher_program_with_the_settings_the_readme_gives() {
    let dir = tempfile::tempdir().unwrap();
    let (path, key) = marked_journal(dir.path());
    let hex: String = key.as_bytes().iter().map(|b| format!("{b:02x}")).collect();
    let readme = include_str!("../README.md");
    let settings = format!(
        "PRAGMA cipher_hmac_algorithm = {};",
        rapport::HMAC_ALGORITHM
    );
    assert!(readme.contains(&settings), "the README gives {settings:?}");
    let clients = |statements: &str| {
        let conn = rusqlite::Connection::open(&path).unwrap();
        conn.execute_batch(statements)?;
        conn.query_row("SELECT count(*) FROM client", [], |r| r.get::<_, i64>(0))
    };
    let by_hand = format!("PRAGMA key = \"x'{hex}'\"; {settings}");
    assert_eq!(clients(&by_hand).unwrap(), 1);
    assert!(
        clients(&format!("PRAGMA key = \"x'{hex}'\";")).is_err(),
        "SQLCipher's default HMAC-SHA512 reads the pages as damaged"
    );
}

#[test]
fn an_encrypted_journal_and_its_log_hold_no_readable_text() {
    let dir = tempfile::tempdir().unwrap();
    // The test would prove nothing if the marker could not be found where it is in plain text.
    let plain_path = dir.path().join("plain.sqlite3");
    let mut plain = Journal::open(&plain_path).unwrap();
    write_marked(&mut plain);
    assert!(
        files(&plain_path).iter().any(|(_, b)| contains(b, MARKER)),
        "the marker is found in a journal in plain text"
    );

    let path = dir.path().join(rapport::FILE_NAME);
    let key = Key::generate().unwrap();
    let mut journal = Journal::open_encrypted(&path, &key).unwrap();
    let client = write_marked(&mut journal);
    // While it is open, the last writes are in the log: it is scanned too.
    let open_files = files(&path);
    assert!(
        open_files.iter().any(|(s, b)| s == "-wal" && !b.is_empty()),
        "the log holds writes"
    );
    for (suffix, bytes) in &open_files {
        assert!(!contains(bytes, MARKER), "journal{suffix} shows the marker");
    }
    // And the search index works on it.
    let found = journal.search(MARKER, 10).unwrap();
    assert!(!found.entries.is_empty(), "search finds the touches");
    drop(journal);
    for (suffix, bytes) in files(&path) {
        assert!(
            !contains(&bytes, MARKER),
            "journal{suffix} shows the marker after closing"
        );
    }

    let again = Journal::open_encrypted(&path, &key).unwrap();
    assert_eq!(again.client(client).unwrap().name, format!("Ada {MARKER}"));
}

#[test]
fn an_encrypted_journal_refuses_another_key_and_no_key_and_is_left_as_it_was() {
    let dir = tempfile::tempdir().unwrap();
    let (path, key) = marked_journal(dir.path());
    let before = files(&path);

    let other = Key::generate().unwrap();
    let refused = Journal::open_encrypted(&path, &other).unwrap_err();
    assert!(matches!(refused, Error::WrongKey { .. }), "{refused:?}");
    assert!(
        refused.to_string().contains("does not open with this key"),
        "{refused}"
    );
    assert!(Journal::open(&path).is_err(), "no key, no journal");
    assert_eq!(files(&path), before, "the files as they were");
    Journal::open_encrypted(&path, &key).expect("the right key still opens it");
}

#[test]
fn a_key_given_for_a_journal_in_plain_text_is_refused_and_the_file_left_alone() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(rapport::FILE_NAME);
    let mut plain = Journal::open(&path).unwrap();
    write_marked(&mut plain);
    drop(plain);
    let before = files(&path);
    let refused = Journal::open_encrypted(&path, &Key::generate().unwrap()).unwrap_err();
    assert!(matches!(refused, Error::NotEncrypted { .. }), "{refused:?}");
    assert_eq!(files(&path), before);
}

#[test]
fn an_encrypted_journal_overwritten_while_open_refuses_the_next_write() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(rapport::FILE_NAME);
    let key = Key::generate().unwrap();
    let mut journal = Journal::open_encrypted(&path, &key).unwrap();
    write_marked(&mut journal);
    // Another journal with the same key, copied over this one in place.
    let other_path = dir.path().join("other.sqlite3");
    let mut other = Journal::open_encrypted(&other_path, &key).unwrap();
    write_marked(&mut other);
    drop(other);
    std::fs::copy(&other_path, &path).unwrap();
    let refused = journal
        .create_client(
            &ClientInput {
                name: "Typed after".into(),
                ..ClientInput::default()
            },
            Stage::default(),
            Utc::now(),
        )
        .unwrap_err();
    assert_eq!(refused.kind(), "replaced", "{refused:?}");
}

#[test]
fn a_key_never_shows_its_bytes() {
    let key = Key::from_bytes([0xAB; rapport::KEY_LEN]);
    let shown = format!("{key:?}");
    assert!(!shown.contains("AB") && !shown.contains("171"), "{shown}");
}

/// Every file under `dir`, its subfolders included, with its bytes.
fn all_files(dir: &std::path::Path) -> Vec<(std::path::PathBuf, Vec<u8>)> {
    let mut found = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap().flatten() {
        let path = entry.path();
        if path.is_dir() {
            found.extend(all_files(&path));
        } else if let Ok(bytes) = std::fs::read(&path) {
            found.push((path, bytes));
        }
    }
    found
}

#[test]
fn backups_of_an_encrypted_journal_are_encrypted_and_restore_only_with_its_key() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(rapport::FILE_NAME);
    let backups = rapport::backups_dir(&path);
    let key = Key::generate().unwrap();
    let mut journal = Journal::open_encrypted(&path, &key).unwrap();
    let client = write_marked(&mut journal);
    let made = journal.back_up_now(&backups, Utc::now()).unwrap();
    assert_eq!(made.counts.touches, 20);
    // More, after the backup; then the backup is restored, as the window does it.
    write_marked(&mut journal);
    drop(journal);

    let checked = rapport::verify_backup(&made.path, Some(&key)).unwrap();
    assert_eq!(checked.counts, made.counts);
    let other = Key::generate().unwrap();
    let refused = rapport::verify_backup(&made.path, Some(&other)).unwrap_err();
    assert!(matches!(refused, Error::WrongKey { .. }), "{refused:?}");
    assert!(
        rapport::verify_backup(&made.path, None).is_err(),
        "no key, no backup"
    );
    let listed = rapport::list_backups(&backups, Some(&key)).unwrap();
    assert_eq!(listed.len(), 1);
    assert!(listed[0].problem.is_none(), "{listed:?}");

    // A backup of another journal, with its own key, is refused and changes nothing.
    let elsewhere = tempfile::tempdir().unwrap();
    let other_path = elsewhere.path().join(rapport::FILE_NAME);
    let mut other_journal = Journal::open_encrypted(&other_path, &other).unwrap();
    write_marked(&mut other_journal);
    let foreign = other_journal
        .back_up_now(rapport::backups_dir(&other_path), Utc::now())
        .unwrap();
    drop(other_journal);
    let before = files(&path);
    let refused =
        rapport::restore_backup(&path, &foreign.path, Some(&key), Utc::now()).unwrap_err();
    assert!(matches!(refused, Error::WrongKey { .. }), "{refused:?}");
    assert_eq!(files(&path), before, "the journal as it was");

    let restored = rapport::restore_backup(&path, &made.path, Some(&key), Utc::now()).unwrap();
    assert!(restored.set_aside.is_some());
    let journal = Journal::open_encrypted(&path, &key).unwrap();
    assert_eq!(journal.counts().unwrap(), made.counts, "exactly the backup");
    assert_eq!(
        journal.client(client).unwrap().name,
        format!("Ada {MARKER}")
    );
    drop(journal);

    // Nothing in the data folder (journal, log, backups, the journal set aside) is readable.
    let everything = all_files(dir.path());
    assert!(
        everything.len() >= 3,
        "{:?}",
        everything.iter().map(|f| &f.0).collect::<Vec<_>>()
    );
    for (file, bytes) in &everything {
        assert!(
            !contains(bytes, MARKER),
            "{} shows the marker",
            file.display()
        );
    }
}

#[test]
fn a_backup_of_another_journal_restores_with_its_key_and_takes_this_journals_key() {
    let dir = tempfile::tempdir().unwrap();
    let (path, key) = marked_journal(dir.path());
    let backups = rapport::backups_dir(&path);
    let own = Journal::open_encrypted(&path, &key)
        .unwrap()
        .back_up_now(&backups, Utc::now())
        .unwrap();

    // The other journal (another computer's) has more in it, and its own key.
    let elsewhere = tempfile::tempdir().unwrap();
    let (other_path, other_key) = marked_journal(elsewhere.path());
    let mut other = Journal::open_encrypted(&other_path, &other_key).unwrap();
    write_marked(&mut other);
    // Taken a month ago, on the old computer.
    let then = Utc::now() - chrono::Duration::days(30);
    let theirs = other
        .back_up_now(rapport::backups_dir(&other_path), then)
        .unwrap();
    drop(other);
    // Copied into this journal's backups folder, as a user brings it over.
    let copied = backups.join(theirs.path.file_name().unwrap());
    std::fs::copy(&theirs.path, &copied).unwrap();
    let listed = rapport::list_backups(&backups, Some(&key)).unwrap();
    let found = listed.iter().find(|b| b.path == copied).unwrap();
    assert!(found.other_journal && found.counts.is_none(), "{found:?}");
    assert!(
        !listed
            .iter()
            .find(|b| b.path == own.path)
            .unwrap()
            .other_journal
    );

    // The wrong key for it (this journal's own, or a third) changes nothing.
    let before = files(&path);
    let third = Key::generate().unwrap();
    let refused =
        rapport::restore_backup_of_another_journal(&path, &copied, &third, &key, Utc::now())
            .unwrap_err();
    assert!(matches!(refused, Error::WrongKey { .. }), "{refused:?}");
    assert_eq!(files(&path), before, "the journal as it was");

    let restored =
        rapport::restore_backup_of_another_journal(&path, &copied, &other_key, &key, Utc::now())
            .unwrap();
    assert_eq!(restored.backup.counts, theirs.counts);
    assert!(restored.set_aside.is_some());
    // The journal is the other one's content, under this journal's key: its other key no
    // longer opens it, and this journal's own backups still restore.
    let journal = Journal::open_encrypted(&path, &key).unwrap();
    assert_eq!(journal.counts().unwrap(), theirs.counts);
    assert_eq!(journal.counts().unwrap().touches, 40);
    drop(journal);
    assert!(matches!(
        Journal::open_encrypted(&path, &other_key).unwrap_err(),
        Error::WrongKey { .. }
    ));
    rapport::verify_backup(&own.path, Some(&key)).unwrap();
    // The backup brought over is left as it came.
    assert_eq!(
        rapport::verify_backup(&copied, Some(&other_key))
            .unwrap()
            .counts,
        theirs.counts
    );
    for (file, bytes) in all_files(dir.path()) {
        assert!(
            !contains(&bytes, MARKER),
            "{} shows the marker",
            file.display()
        );
    }
}

#[test]
fn the_key_file_gives_the_key_back_with_the_passphrase_only() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(rapport::KEY_FILE_NAME);
    let key = Key::generate().unwrap();
    rapport::write_key_file(&path, &key, "correct horse battery").unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&path).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600, "the key file is its owner's only");
    }
    let written = std::fs::read_to_string(&path).unwrap();
    assert!(
        !written.contains(
            &key.as_bytes()
                .iter()
                .map(|b| format!("{b:02x}"))
                .collect::<String>()
        ),
        "the key is not in the file as it is"
    );
    assert!(written.contains("\"argon2id\""), "{written}");

    let back = rapport::read_key_file(&path, "correct horse battery").unwrap();
    assert_eq!(back.as_bytes(), key.as_bytes());
    let wrong = rapport::read_key_file(&path, "correct horse battery!").unwrap_err();
    assert_eq!(wrong.kind(), "wrong_passphrase", "{wrong:?}");
    assert!(
        wrong.to_string().contains("that passphrase does not open"),
        "{wrong}"
    );

    // Too short a passphrase is refused before anything is written.
    let short = rapport::write_key_file(&path, &key, "short").unwrap_err();
    assert!(
        short.to_string().contains("at least 8 characters"),
        "{short}"
    );
    assert_eq!(
        std::fs::read_to_string(&path).unwrap(),
        written,
        "the file as it was"
    );

    // A new passphrase rewrites the file only; the key is the same.
    rapport::write_key_file(&path, &key, "a new passphrase now").unwrap();
    assert!(rapport::read_key_file(&path, "correct horse battery").is_err());
    let again = rapport::read_key_file(&path, "a new passphrase now").unwrap();
    assert_eq!(again.as_bytes(), key.as_bytes());
}

#[test]
fn a_damaged_key_file_says_so_and_not_that_the_passphrase_is_wrong() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(rapport::KEY_FILE_NAME);
    let key = Key::generate().unwrap();
    rapport::write_key_file(&path, &key, "correct horse battery").unwrap();
    let good = std::fs::read_to_string(&path).unwrap();
    let value: serde_json::Value = serde_json::from_str(&good).unwrap();
    let wrapped = value["wrapped"].as_str().unwrap().to_string();
    let flipped = format!(
        "{}{}",
        if wrapped.starts_with('0') { "1" } else { "0" },
        &wrapped[1..]
    );
    let weaker = good.replace("\"passes\": 3", "\"passes\": 1");
    assert_ne!(weaker, good);
    for (how, text) in [
        (
            "one character of the wrapped key changed",
            good.replace(&wrapped, &flipped),
        ),
        ("its settings weakened", weaker),
        ("cut short", good[..good.len() / 2].to_string()),
        ("not a key file", "{\"hello\": 1}".to_string()),
    ] {
        std::fs::write(&path, text).unwrap();
        let refused = rapport::read_key_file(&path, "correct horse battery").unwrap_err();
        assert_eq!(refused.kind(), "key_file_damaged", "{how}: {refused:?}");
        assert!(
            refused.to_string().contains("the recovery key still opens"),
            "{refused}"
        );
    }
    std::fs::remove_file(&path).unwrap();
    let missing = rapport::read_key_file(&path, "correct horse battery").unwrap_err();
    assert!(
        missing.to_string().contains(rapport::KEY_FILE_NAME),
        "{missing}"
    );
}

#[test]
fn the_recovery_key_is_typed_back_to_the_same_key_and_a_typo_is_caught() {
    let key = Key::generate().unwrap();
    let text = key.recovery_text();
    let groups: Vec<&str> = text.split('-').collect();
    assert_eq!(groups.len(), 11, "{}", &*text);
    assert!(groups[..10].iter().all(|g| g.len() == 5), "{}", &*text);
    let back = Key::from_recovery_text(&text).unwrap();
    assert_eq!(back.as_bytes(), key.as_bytes());
    // As a person types it: lower case, spaces for dashes, O as zero.
    let typed = text.to_lowercase().replace('-', " ").replace('o', "0");
    assert_eq!(
        Key::from_recovery_text(&typed).unwrap().as_bytes(),
        key.as_bytes()
    );
    // One character wrong is caught, not turned into another key.
    let mut chars: Vec<char> = text.chars().collect();
    chars[7] = if chars[7] == 'A' { 'B' } else { 'A' };
    let typo: String = chars.into_iter().collect();
    let refused = Key::from_recovery_text(&typo).unwrap_err();
    assert!(refused.to_string().contains("recovery_key"), "{refused}");
    assert!(Key::from_recovery_text("not a key at all!").is_err());
}

#[test]
fn a_journal_in_plain_text_is_encrypted_in_place_with_nothing_lost() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(rapport::FILE_NAME);
    let backups = rapport::backups_dir(&path);
    let mut plain = Journal::open(&path).unwrap();
    let client = write_marked(&mut plain);
    plain.back_up_now(&backups, Utc::now()).unwrap();
    write_marked(&mut plain);
    let counts = plain.counts().unwrap();
    let rows = rapport_testkit::journal_rows(&path);

    // Refused while the window has it open, and nothing changes.
    let key = Key::generate().unwrap();
    let refused = rapport::encrypt_journal(&path, &key).unwrap_err();
    assert_eq!(refused.kind(), "locked", "{refused:?}");
    drop(plain);
    assert!(files(&path).iter().any(|(_, b)| contains(b, MARKER)));

    assert_eq!(rapport::encrypt_journal(&path, &key).unwrap(), counts);
    for (suffix, bytes) in files(&path) {
        assert!(
            !contains(&bytes, MARKER),
            "journal{suffix} shows the marker"
        );
    }
    let journal = Journal::open_encrypted(&path, &key).unwrap();
    assert_eq!(journal.counts().unwrap(), counts, "everything there");
    journal.check().unwrap();
    assert_eq!(
        journal.client(client).unwrap().name,
        format!("Ada {MARKER}")
    );
    assert_eq!(journal.search(MARKER, 100).unwrap().entries.len(), 40);
    drop(journal);
    // Row for row the same journal: decrypted into a plain copy to compare.
    let copy = dir.path().join("compare.sqlite3");
    let conn = rusqlite::Connection::open(&path).unwrap();
    rapport::key_connection(&conn, &key).unwrap();
    conn.execute(
        "ATTACH DATABASE ?1 AS plain KEY ''",
        [copy.to_string_lossy().into_owned()],
    )
    .unwrap();
    conn.query_row("SELECT sqlcipher_export('plain')", [], |_| Ok(()))
        .unwrap();
    drop(conn);
    assert_eq!(rapport_testkit::journal_rows(&copy), rows);
    std::fs::remove_file(&copy).unwrap();
    assert!(
        Journal::open(&path).is_err(),
        "no longer opens without the key"
    );
    let again = rapport::encrypt_journal(&path, &key).unwrap_err();
    assert_eq!(again.kind(), "invalid", "{again:?}");

    // The backup taken before is still in plain text: offered, then encrypted.
    let plain_backups = rapport::plaintext_backups(&backups).unwrap();
    assert_eq!(plain_backups.len(), 1);
    assert!(contains(&std::fs::read(&plain_backups[0]).unwrap(), MARKER));
    assert_eq!(rapport::encrypt_backups(&backups, &key).unwrap(), 1);
    assert!(rapport::plaintext_backups(&backups).unwrap().is_empty());
    let listed = rapport::list_backups(&backups, Some(&key)).unwrap();
    assert!(listed[0].problem.is_none(), "{listed:?}");
    for (file, bytes) in all_files(dir.path()) {
        assert!(
            !contains(&bytes, MARKER),
            "{} shows the marker",
            file.display()
        );
    }
}

#[test]
fn a_backup_in_plain_text_the_user_removes_is_erased_first() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("old-backup.sqlite3");
    std::fs::write(&path, format!("some {MARKER} text").repeat(100)).unwrap();
    // A second name for the same bytes shows what removal leaves behind on the disk.
    let other_name = dir.path().join("same-file");
    std::fs::hard_link(&path, &other_name).unwrap();
    rapport::remove_plaintext(&path).unwrap();
    assert!(!path.exists());
    let left = std::fs::read(&other_name).unwrap();
    assert!(
        !contains(&left, MARKER) && left.iter().all(|&b| b == 0),
        "its bytes were erased"
    );
}

/// An encrypted journal is whole pages of 4 KiB, at any size it grows to; a text file put in
/// its place is not, so it is reported as not a journal, not asked a key for.
#[test]
fn only_a_file_of_whole_pages_is_taken_for_an_encrypted_journal() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(rapport::FILE_NAME);
    let key = Key::generate().unwrap();
    let mut journal = Journal::open_encrypted(&path, &key).unwrap();
    for _ in 0..50 {
        write_marked(&mut journal);
    }
    journal.tidy(u32::MAX).unwrap();
    drop(journal);
    assert!(Journal::may_be_encrypted(&path));
    assert!(!Journal::in_plain_text(&path));
    let text = dir.path().join("notes.txt");
    std::fs::write(&text, b"these are my tax notes, not a database").unwrap();
    assert!(!Journal::may_be_encrypted(&text));
    let refused = Journal::open(&text).map(drop).unwrap_err();
    assert!(
        matches!(refused, Error::NotAJournal { .. } | Error::Corrupt { .. }),
        "{refused:?}"
    );
}
