//! Faults real machines have, as the shell meets them: here, a restore after which the journal
//! cannot be opened again because another program holds its file.

use std::sync::Mutex;

use chrono::Utc;
use rapport::{ClientInput, Journal, Stage};
use rapport_desktop::JournalState;

use crate::util::data_dir;

fn client(name: &str) -> ClientInput {
    ClientInput {
        name: name.into(),
        ..Default::default()
    }
}

/// The clients in the journal file at `path`, read by a connection of the test's own.
fn names_on_disk(path: &std::path::Path) -> Vec<String> {
    let mut names: Vec<String> = Journal::open(path)
        .unwrap()
        .list_clients(&rapport::ClientFilter::default(), Utc::now())
        .unwrap()
        .rows
        .into_iter()
        .map(|c| c.name)
        .collect();
    names.sort();
    names
}

#[test]
fn a_restore_that_cannot_open_the_journal_again_says_so_and_never_writes_to_memory() {
    let dir = data_dir();
    let path = dir.path().join(rapport::FILE_NAME);
    let state = JournalState::new(dir.path());
    state.open();
    state
        .with(|j| j.create_client(&client("Before the backup"), Stage::MeToo, Utc::now()))
        .unwrap();
    let backup = state
        .with(|j| j.back_up_now(state.backups_dir(), Utc::now()))
        .unwrap();
    state
        .with(|j| j.create_client(&client("After the backup"), Stage::MeToo, Utc::now()))
        .unwrap();

    // Another program takes the file the moment the backup is put in place, and keeps it
    // longer than Rapport waits for a lock.
    let holder: Mutex<Option<rusqlite::Connection>> = Mutex::new(None);
    let restored = state.restore_with(&backup.path, |path| {
        let conn = rusqlite::Connection::open(path).unwrap();
        conn.execute_batch("PRAGMA locking_mode = EXCLUSIVE; BEGIN EXCLUSIVE;")
            .unwrap();
        *holder.lock().unwrap() = Some(conn);
        Journal::open(path)
    });
    assert!(restored.is_ok(), "the backup itself was put in place");

    // While the file is held, every action is refused, saying why: nothing typed now is taken
    // into a journal that would vanish at quit.
    let refused = state
        .with(|j| j.create_client(&client("Typed while lost"), Stage::MeToo, Utc::now()))
        .unwrap_err()
        .to_string();
    assert!(
        refused.contains("The backup was put in place. Your journal could not be opened again"),
        "{refused}"
    );

    // Once the other program lets go, the next action opens the journal on disk and is saved.
    holder.lock().unwrap().take();
    state
        .with(|j| j.create_client(&client("Typed after"), Stage::MeToo, Utc::now()))
        .unwrap();
    assert_eq!(
        names_on_disk(&path),
        ["Before the backup", "Typed after"],
        "the backup's client and the new one, in the file"
    );
}
