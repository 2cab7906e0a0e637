//! The real app, end to end: UI → command → core → the SQLite file in the test's data folder.

mod util;

use chrono::{Duration, Utc};
use rapport::{ClientInput, FollowUpDraft, Journal, Stage, TouchInput, TouchKind};

use util::{data_dir, App, TEST_TIMEOUT};

/// A journal written through the core, as a user's would be after some weeks of work.
fn seed(dir: &std::path::Path) {
    let now = Utc::now();
    let mut j = Journal::open(dir.join(rapport::FILE_NAME)).unwrap();
    let ada = j
        .create_client(
            &ClientInput {
                name: "Ada Lovelace".into(),
                organisation: "Analytical Engines".into(),
                cadence_days: Some(14),
                ..Default::default()
            },
            Stage::Foothold,
            now - Duration::days(90),
        )
        .unwrap();
    j.log_touch(
        &TouchInput {
            client_id: ada.id,
            kind: TouchKind::Meeting,
            at: Some(now - Duration::days(40)),
            summary: "Reviewed the engine plans".into(),
            follow_up: Some(FollowUpDraft {
                what: "Send the Bernoulli notes".into(),
                due_at: now - Duration::days(3),
            }),
            ..Default::default()
        },
        now - Duration::days(40),
    )
    .unwrap();
    let grace = j
        .create_client(
            &ClientInput {
                name: "Grace Hopper".into(),
                organisation: "Navy Computing".into(),
                ..Default::default()
            },
            Stage::OnlyMe,
            now - Duration::days(300),
        )
        .unwrap();
    j.log_touch(
        &TouchInput {
            client_id: grace.id,
            at: Some(now - Duration::days(2)),
            summary: "COBOL standards call".into(),
            ..Default::default()
        },
        now,
    )
    .unwrap();
}

#[tokio::test(flavor = "multi_thread")]
async fn the_window_shows_the_journal_read_through_the_core() {
    tokio::time::timeout(TEST_TIMEOUT, async {
        let dir = data_dir();
        seed(dir.path());
        let app = App::start(dir.path()).await;
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
    })
    .await
    .expect("the test finished in time");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_file_that_is_not_a_journal_is_reported_with_its_path_and_left_alone() {
    tokio::time::timeout(TEST_TIMEOUT, async {
        let dir = data_dir();
        let path = dir.path().join(rapport::FILE_NAME);
        std::fs::write(&path, b"these are my tax notes, not a database").unwrap();
        let app = App::start(dir.path()).await;
        let error = app.text("#journal-error").await;
        assert!(error.contains("could not open your journal"), "{error}");
        assert!(error.contains(&path.display().to_string()), "{error}");
        assert!(error.contains("has not been changed"), "{error}");
        app.screenshot("journal-error").await;
        app.stop().await;
        assert_eq!(
            std::fs::read(&path).unwrap(),
            b"these are my tax notes, not a database"
        );
    })
    .await
    .expect("the test finished in time");
}
