//! Reminders that reach the desktop: the real app on its own D-Bus session bus, with a stand-in
//! daemon recording every notification.

mod util;

use std::time::Duration as StdDuration;

use chrono::{Duration, Local, Utc};
use rapport::{ClientInput, Journal, QuietHours, Stage, TouchInput};

use util::notifications::Notifications;
use util::{add_touched, data_dir, App, TEST_TIMEOUT};

/// One test at a time owns the notification daemon's name on the shared session bus.
static DAEMON: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());

fn overdue_client(j: &mut Journal, name: &str) -> i64 {
    let client = ClientInput {
        name: name.into(),
        cadence_days: Some(14),
        ..Default::default()
    };
    let call = TouchInput {
        summary: "Last call".into(),
        ..Default::default()
    };
    add_touched(j, client, Stage::Foothold, 90, call, 40)
}

/// A client whose 14-day rhythm runs out `seconds` from now.
fn due_soon(j: &mut Journal, name: &str, seconds: i64) -> i64 {
    j.create_client(
        &ClientInput {
            name: name.into(),
            cadence_days: Some(14),
            ..Default::default()
        },
        Stage::MeToo,
        Utc::now() - Duration::days(14) + Duration::seconds(seconds),
    )
    .unwrap()
    .id
}

fn no_quiet_hours(j: &mut Journal) {
    let t = chrono::NaiveTime::from_hms_opt(0, 0, 0).unwrap();
    j.set_quiet_hours(QuietHours { start: t, end: t }).unwrap();
}

#[tokio::test(flavor = "multi_thread")]
async fn an_overdue_client_is_notified_once_and_not_again_after_a_restart() {
    tokio::time::timeout(TEST_TIMEOUT, async {
        let dir = data_dir();
        {
            let mut j = Journal::open(dir.path().join(rapport::FILE_NAME)).unwrap();
            no_quiet_hours(&mut j);
            overdue_client(&mut j, "Ada Lovelace");
        }
        let _turn = DAEMON.lock().await;
        let daemon = Notifications::start().await;
        let app = App::start(dir.path()).await;
        let shown = daemon.wait_for(1, 15).await;
        assert_eq!(shown.len(), 1, "{shown:?}");
        assert_eq!(shown[0].summary, "Time to get in touch with Ada Lovelace");
        assert_eq!(
            shown[0].body,
            "40 days since your last touch; you usually speak every 14 days."
        );
        app.stop().await;

        // A restart: the episode was recorded as fired, so nothing is shown again.
        let app = App::start(dir.path()).await;
        tokio::time::sleep(StdDuration::from_secs(3)).await;
        assert_eq!(
            daemon.shown().len(),
            1,
            "repeated after a restart: {:?}",
            daemon.shown()
        );
        app.stop().await;
    })
    .await
    .expect("the test finished in time");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_touch_logged_before_the_due_moment_stops_the_reminder() {
    tokio::time::timeout(TEST_TIMEOUT, async {
        let dir = data_dir();
        {
            let mut j = Journal::open(dir.path().join(rapport::FILE_NAME)).unwrap();
            no_quiet_hours(&mut j);
            due_soon(&mut j, "Touched In Time", 15);
            due_soon(&mut j, "Left Alone", 15);
        }
        let _turn = DAEMON.lock().await;
        let daemon = Notifications::start().await;
        let app = App::start(dir.path()).await;
        assert!(daemon.shown().is_empty(), "nothing is due yet");
        // Log a touch with one of them through the window, before their rhythm runs out.
        app.keys("\u{E009}l\u{E000}").await;
        app.type_into("#log-client", "Touched In Time").await;
        app.wait_for("#log-client-options li[data-id]").await;
        app.keys("\u{E007}").await;
        app.type_into("#log-summary", "Caught up just in time")
            .await;
        app.click("#log-save").await;
        app.wait_for("#log-dialog:not([open])").await;
        // The other one's reminder arrives when due; the touched one's never does.
        let shown = daemon.wait_for(1, 30).await;
        tokio::time::sleep(StdDuration::from_secs(2)).await;
        let shown_all = daemon.shown();
        assert_eq!(shown_all.len(), 1, "{shown_all:?}");
        assert_eq!(shown[0].summary, "Time to get in touch with Left Alone");
        app.stop().await;
    })
    .await
    .expect("the test finished in time");
}

#[tokio::test(flavor = "multi_thread")]
async fn quiet_hours_hold_a_reminder_back() {
    tokio::time::timeout(TEST_TIMEOUT, async {
        let dir = data_dir();
        {
            let mut j = Journal::open(dir.path().join(rapport::FILE_NAME)).unwrap();
            let now = Local::now().time();
            j.set_quiet_hours(QuietHours {
                start: now - Duration::hours(1),
                end: now + Duration::hours(1),
            })
            .unwrap();
            overdue_client(&mut j, "Night Owl");
        }
        let _turn = DAEMON.lock().await;
        let daemon = Notifications::start().await;
        let app = App::start(dir.path()).await;
        // The window shows the client as overdue, but the desktop stays quiet.
        app.wait_for_text("#needs", "Night Owl").await;
        tokio::time::sleep(StdDuration::from_secs(3)).await;
        assert!(daemon.shown().is_empty(), "{:?}", daemon.shown());
        app.stop().await;
    })
    .await
    .expect("the test finished in time");
}
