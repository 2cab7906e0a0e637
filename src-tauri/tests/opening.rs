//! Opening the journal: the window shows what the core wrote, and a file it cannot open (not a
//! journal, locked by another program) is reported with its path and left exactly as it was.

use crate::util::{self, data_dir, App};

e2e_test! {
    async fn the_window_shows_the_journal_read_through_the_core() {
        let (dir, app) = crate::util::seeded_app().await;
        app.screenshot("today").await;

        let needs = app.text("#needs").await;
        assert!(
            needs.contains("Ada Lovelace"),
            "overdue client listed: {needs}"
        );
        assert!(
            needs.contains("Send the Bernoulli notes"),
            "due follow-up listed: {needs}"
        );
        assert!(
            !needs.contains("Grace Hopper"),
            "a client touched two days ago is fine: {needs}"
        );
        let summary = app.text("#today-summary").await;
        assert_eq!(summary, "1 relationship overdue · 1 follow-up due");

        app.click("a[data-nav=clients]").await;
        let clients = app.text("#clients tbody").await;
        let ada = clients.find("Ada Lovelace").expect("Ada in the list");
        let grace = clients.find("Grace Hopper").expect("Grace in the list");
        assert!(ada < grace, "by name: {clients}");
        assert!(clients.contains("40 days ago"), "{clients}");
        assert!(clients.contains("Only me"), "{clients}");
        app.screenshot("clients").await;

        let path = app
            .wait_for("#journal-path")
            .await
            .prop("textContent")
            .await
            .unwrap();
        assert_eq!(
            path.as_deref(),
            Some(
                dir.path()
                    .join(rapport::FILE_NAME)
                    .display()
                    .to_string()
                    .as_str()
            )
        );
        app.stop().await;
    }
}

e2e_test! {
    async fn a_file_that_is_not_a_journal_is_reported_with_its_path_and_left_alone() {
        let dir = data_dir();
        let path = dir.path().join(rapport::FILE_NAME);
        std::fs::write(&path, b"these are my tax notes, not a database").unwrap();
        let app = App::start(dir.path()).await;
        let error = app
            .wait_for_text("#journal-error", "could not open your journal")
            .await;
        assert!(error.contains(&path.display().to_string()), "{error}");
        assert!(error.contains("has not been changed"), "{error}");
        app.screenshot("journal-error").await;
        app.stop().await;
        assert_eq!(
            std::fs::read(&path).unwrap(),
            b"these are my tax notes, not a database"
        );
    }
}

e2e_test! {
    async fn a_journal_locked_by_another_program_is_reported_and_left_alone() {
        let dir = data_dir();
        util::seed(dir.path());
        let path = dir.path().join(rapport::FILE_NAME);
        let holder = rusqlite::Connection::open(&path).unwrap();
        holder
            .execute_batch("PRAGMA locking_mode = EXCLUSIVE; BEGIN EXCLUSIVE;")
            .unwrap();
        let app = App::start(dir.path()).await;
        // The window is up at once, saying it is opening the journal, until the busy timeout
        // gives up on the lock.
        let error = app
            .wait_for_text("#journal-error", "in use by another program")
            .await;
        assert!(error.contains(&path.display().to_string()), "{error}");
        app.screenshot("journal-locked").await;
        app.stop().await;
        holder.execute_batch("COMMIT").unwrap();
    }
}
