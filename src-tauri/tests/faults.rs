//! Faults real machines have, as the shell meets them: a restore after which the journal cannot
//! be opened again because another program holds its file, a journal damaged or replaced, and a
//! disk that fills while a touch is being written.

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
    // A journal in plain text, as an earlier Rapport left it: a new one would wait for a
    // passphrase, there being no keyring here.
    drop(Journal::open(&path).unwrap());
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
    let restored = state.restore_with(&backup.path, None, |path| {
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

e2e_test! {
    async fn a_journal_damaged_since_its_last_use_is_shown_damaged_and_the_newest_backup_put_back() {
        let dir = data_dir();
        crate::util::seed(dir.path());
        let path = dir.path().join(rapport::FILE_NAME);
        let backups = rapport::backups_dir(&path);
        {
            let journal = Journal::open(&path).unwrap();
            journal.back_up_now(&backups, Utc::now()).unwrap();
        }
        // A failing disk zeroes the page holding the clients: the file still opens.
        rapport_testkit::damage::zero_table_page(&path, "client");

        // In the dark theme: the screen must read there too (its screenshot is looked at).
        let app = crate::util::App::start_with(dir.path(), &[("GTK_THEME", "Adwaita:dark")]).await;
        let shown = app
            .wait_for_text_within("#journal-error", "could not open your journal: it is damaged", 60)
            .await;
        assert!(shown.contains(rapport::FILE_NAME), "{shown}");
        let offered = app.wait_for_text("#newest-good-backup", "2 clients").await;
        assert!(offered.contains("damaged journal aside"), "{offered}");
        app.screenshot("damaged-dark").await;
        // Every command refuses meanwhile: nothing is written into the damaged file.
        let refused = app
            .js(
                "return window.__TAURI__.core.invoke('who_needs_me', { limit: 5 })
                   .then(() => 'answered', (e) => e.message)",
            )
            .await;
        assert!(
            refused.as_str().is_some_and(|m| m.contains("damaged")),
            "{refused}"
        );

        // One button: the backup in place, the damaged journal kept aside, Today as it was.
        app.click("#restore-newest").await;
        app.wait_for_text("#needs", "Ada Lovelace").await;
        let aside: Vec<_> = std::fs::read_dir(dir.path())
            .unwrap()
            .filter_map(|e| e.ok())
            .filter(|e| e.file_name().to_string_lossy().contains("before-restore"))
            .collect();
        assert_eq!(aside.len(), 1, "the damaged journal kept aside");
        app.stop().await;
        Journal::open(&path).unwrap().check().expect("the journal in place is whole");
    }
}

e2e_test! {
    async fn a_journal_replaced_while_open_takes_no_more_writes_and_the_window_says_so() {
        let dir = data_dir();
        crate::util::seed(dir.path());
        let path = dir.path().join(rapport::FILE_NAME);
        {
            let journal = Journal::open(&path).unwrap();
            journal
                .back_up_now(rapport::backups_dir(&path), Utc::now())
                .unwrap();
        }
        let app = crate::util::App::start(dir.path()).await;
        app.wait_for_text("#needs", "Ada Lovelace").await;
        // A sync tool puts its own copy in the journal's place while Rapport runs.
        let theirs = dir.path().join("synced.sqlite3");
        std::fs::write(&theirs, b"a file from elsewhere").unwrap();
        std::fs::rename(&theirs, &path).unwrap();

        // The next save, as the window makes it: refused, and the window says why.
        app.js(
            "import('./js/api.js').then((api) =>
               api.createClient({ name: 'Typed after', organisation: '', role: '', email: '',
                                  phone: '', profile: '', facts: [], tags: [] }))
               .catch(() => {})",
        )
        .await;
        let shown = app
            .wait_for_text("#journal-error", "another program replaced it")
            .await;
        assert!(shown.contains(rapport::FILE_NAME), "{shown}");
        app.wait_for("#restore-newest").await;
        app.screenshot("replaced").await;
        app.stop().await;
        assert_eq!(std::fs::read(&path).unwrap(), b"a file from elsewhere");
    }
}

e2e_test! {
    /// The disk fills up while a touch is being written (the data folder is on the simulated
    /// disk of `rapport_testkit::lazy_disk`): Save says in the dialog that the disk is full, the
    /// dialog stays open with every word typed and the focus in it; once there is room, the same
    /// Save saves the touch, once.
    async fn a_save_on_a_full_disk_keeps_the_dialog_and_its_text_and_saves_once_there_is_room() {
        use rapport_testkit::lazy_disk::{Fault, LazyDisk};
        if !std::path::Path::new("/dev/fuse").exists() {
            eprintln!("skipped: this machine has no /dev/fuse, so no disk can be simulated");
            return;
        }
        let root = data_dir();
        let at = root.path().join("disk");
        std::fs::create_dir(&at).unwrap();
        let disk = LazyDisk::new();
        let mounted = disk.mount(&at).expect("the simulated disk mounts");
        let data = at.join("data");
        std::fs::create_dir(&data).unwrap();
        crate::util::seed(&data);
        let app = crate::util::App::start(&data).await;
        app.wait_for("#needs").await;
        app.type_fast("\u{E009}l\u{E000}Ad\u{E007}").await;
        let summary = "Promised the revised figures by Friday";
        app.wait_for("#log-summary:focus").await;
        app.type_fast(summary).await;

        disk.set_fault(Some(Fault::Full));
        app.click("#log-save").await;
        let said = app.wait_for_text("#log-error", "is full").await;
        assert!(said.contains("nothing was changed"), "{said}");
        let kept = app
            .js("return [document.getElementById('log-dialog').open,
                         document.getElementById('log-summary').value,
                         document.getElementById('log-dialog').contains(document.activeElement)]")
            .await;
        assert_eq!(kept, serde_json::json!([true, summary, true]), "the dialog, its text, the focus");
        app.screenshot("log-touch-disk-full").await;

        disk.set_fault(None);
        app.click("#log-save").await;
        app.wait_for_text("#toasts", "Touch logged with Ada Lovelace").await;
        app.stop().await;
        let j = Journal::open(data.join(rapport::FILE_NAME)).unwrap();
        let ada = j.search("Ada Lovelace", 1).unwrap().clients[0].client_id;
        let saved = j
            .timeline(ada, None, 50)
            .unwrap()
            .entries
            .into_iter()
            .filter(|e| matches!(e, rapport::TimelineEntry::Touch(t) if t.summary == summary))
            .count();
        assert_eq!(saved, 1, "the touch is saved once");
        drop(j);
        drop(mounted);
    }
}
