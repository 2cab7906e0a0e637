//! Reminders that reach the desktop: the real app on its own D-Bus session bus, with a stand-in
//! daemon recording every notification.

use std::time::Duration as StdDuration;

use chrono::{Duration, Local, Utc};
use rapport::{ClientInput, Journal, QuietHours, Stage, TouchInput};

use crate::util::notifications::{Notifications, Shown};
use crate::util::tray::{app_processes, Tray};
use crate::util::{add_touched, data_dir, eventually, App, REMINDER_TICK};

/// Starts the app with the short reminder tick, so that a test waits for the loop's looks.
async fn start(dir: &std::path::Path) -> App {
    App::start_with(dir, &[REMINDER_TICK]).await
}

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

/// Waits up to `seconds` for a notification, which must be the only one, titled `title`.
async fn told_once(daemon: &Notifications, title: &str, seconds: u64) -> Shown {
    let shown = daemon.wait_for(1, seconds).await;
    assert_eq!(shown.len(), 1, "{shown:?}");
    assert_eq!(shown[0].summary, title);
    shown[0].clone()
}

/// Writes into the journal in `dir` with `write`, quiet hours off (so a reminder is told at once).
fn with_no_quiet_hours(dir: &std::path::Path, write: impl FnOnce(&mut Journal)) {
    let mut j = Journal::open(dir.join(rapport::FILE_NAME)).unwrap();
    no_quiet_hours(&mut j);
    write(&mut j);
}

fn no_quiet_hours(j: &mut Journal) {
    let t = chrono::NaiveTime::from_hms_opt(0, 0, 0).unwrap();
    j.set_quiet_hours(QuietHours { start: t, end: t }).unwrap();
}

e2e_test! {
    async fn an_overdue_client_is_notified_once_and_not_again_after_a_restart() {
        let dir = data_dir();
        with_no_quiet_hours(dir.path(), |j| {
            overdue_client(j, "Ada Lovelace");
        });
        let daemon = Notifications::start().await;
        let app = start(dir.path()).await;
        let told = told_once(&daemon, "Time to get in touch with Ada Lovelace", 15).await;
        assert_eq!(
            told.body,
            "40 days since your last touch; you usually speak every 14 days."
        );
        app.stop().await;

        // A restart: the episode was recorded as fired, so nothing is shown again.
        let app = start(dir.path()).await;
        app.wait_for_a_reminder_look().await;
        assert_eq!(
            daemon.shown().len(),
            1,
            "repeated after a restart: {:?}",
            daemon.shown()
        );
        app.stop().await;
    }
}

e2e_test! {
    async fn a_touch_logged_before_the_due_moment_stops_the_reminder() {
        let dir = data_dir();
        with_no_quiet_hours(dir.path(), |j| {
            due_soon(j, "Touched In Time", 15);
            due_soon(j, "Left Alone", 15);
        });
        let daemon = Notifications::start().await;
        let app = start(dir.path()).await;
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
        app.wait_for_a_reminder_look().await;
        let shown_all = daemon.shown();
        assert_eq!(shown_all.len(), 1, "{shown_all:?}");
        assert_eq!(shown[0].summary, "Time to get in touch with Left Alone");
        app.stop().await;
    }
}

e2e_test! {
    async fn quiet_hours_hold_a_reminder_back() {
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
        let daemon = Notifications::start().await;
        let app = start(dir.path()).await;
        // The window shows the client as overdue, but the desktop stays quiet.
        app.wait_for_text("#needs", "Night Owl").await;
        app.wait_for_a_reminder_look().await;
        assert!(daemon.shown().is_empty(), "{:?}", daemon.shown());
        app.stop().await;
    }
}

/// Whether the page is on screen, as WebKit tells it (hidden while the window is).
async fn page_visible(app: &App) -> bool {
    app.js("return document.visibilityState").await == "visible"
}

async fn wait_until_visible(app: &App, wanted: bool) {
    let what = if wanted {
        "the window shown"
    } else {
        "the window hidden"
    };
    eventually(what, StdDuration::from_secs(15), || async {
        (page_visible(app).await == wanted).then_some(())
    })
    .await
}

/// Waits up to 15 s until no process of the app's is left.
async fn wait_until_gone(dir: &std::path::Path, what: &str) {
    eventually(what, StdDuration::from_secs(15), || async {
        app_processes(dir).is_empty().then_some(())
    })
    .await
}

e2e_test! {
    async fn the_tray_keeps_rapport_running_and_its_menu_works() {
        let dir = data_dir();
        with_no_quiet_hours(dir.path(), |j| {
            overdue_client(j, "Already Waiting");
            due_soon(j, "Due While Paused", 15);
        });
        // A panel with a tray, and no notification server yet: what is due cannot be shown.
        let tray = Tray::start().await;
        let app = start(dir.path()).await;
        // The tray shows the same count as Today.
        app.wait_for_text("#needs", "Already Waiting").await;
        tray.wait_for_label("1").await;
        let labels: Vec<String> = tray.menu().await.into_iter().map(|e| e.label).collect();
        assert_eq!(
            labels,
            [
                "Open Rapport",
                "Log a touch…",
                "Pause reminders for an hour",
                "Quit Rapport"
            ]
        );

        // Paused from the tray, nothing is told, even once a notification server is there and
        // the second client's rhythm runs out.
        tray.click("Pause reminders").await;
        let daemon = Notifications::start().await;
        // Today follows the clock by itself: the client appears when their rhythm runs out.
        app.wait_for_text_within("#needs", "Due While Paused", 30)
            .await;
        tray.wait_for_label("2").await;
        app.wait_for_a_reminder_look().await;
        assert!(
            daemon.shown().is_empty(),
            "told while paused: {:?}",
            daemon.shown()
        );

        // "Log a touch…" brings the window up with the log dialog open.
        tray.click("Log a touch").await;
        app.wait_for("#log-dialog[open]").await;
        app.close_log().await;

        // Closing the window keeps Rapport running in the tray; "Open Rapport" brings it back.
        app.js("window.__TAURI__.window.getCurrentWindow().close()").await;
        wait_until_visible(&app, false).await;
        assert_eq!(app_processes(dir.path()).len(), 1, "Rapport quit on close");
        tray.click("Open Rapport").await;
        wait_until_visible(&app, true).await;

        // "Quit Rapport" ends it.
        tray.click("Quit Rapport").await;
        wait_until_gone(dir.path(), "Rapport gone after Quit").await;
        drop(app);
    }
}

e2e_test! {
    async fn a_reminder_nobody_could_see_is_told_once_a_notification_server_appears() {
        let dir = data_dir();
        with_no_quiet_hours(dir.path(), |j| {
            overdue_client(j, "Patient Client");
        });
        let app = start(dir.path()).await;
        app.wait_for_text("#needs", "Patient Client").await;
        // It looked with nobody to tell.
        app.wait_for_a_reminder_look().await;
        // The server appears (the desktop session finished starting): the loop's next look
        // tells what is waiting.
        let daemon = Notifications::start().await;
        told_once(&daemon, "Time to get in touch with Patient Client", 15).await;
        app.stop().await;
    }
}

e2e_test! {
    async fn without_a_tray_closing_the_window_quits() {
        let dir = data_dir();
        // No panel owns a status-notifier watcher on this bus: nowhere to keep Rapport.
        let app = start(dir.path()).await;
        assert_eq!(app_processes(dir.path()).len(), 1);
        // The script's answer may never come: the app is gone before it can reply.
        let _ = app
            .client
            .execute("window.__TAURI__.window.getCurrentWindow().close()", vec![])
            .await;
        // Not running on, hidden, with no tray to bring it back.
        wait_until_gone(dir.path(), "Rapport gone once its window closed").await;
        drop(app);
    }
}

e2e_test! {
    async fn names_reach_a_markup_reading_server_as_text_not_markup() {
        let names = ["Smith & Jones <M&A>", "<a href=\"https://evil.example\">Pay here</a>"];
        // A server that reads markup in bodies gets the names escaped, so it shows them as
        // typed; one that shows bodies as they are gets them as they are.
        let servers: [(&[&str], [&str; 2]); 2] = [
            (
                &["body", "body-markup"],
                [
                    "Smith &amp; Jones &lt;M&amp;A&gt;",
                    "&lt;a href=\"https://evil.example\"&gt;Pay here&lt;/a&gt;",
                ],
            ),
            (&["body"], names),
        ];
        for (capabilities, wanted) in servers {
            let dir = data_dir();
            with_no_quiet_hours(dir.path(), |j| {
                for name in names {
                    overdue_client(j, name);
                }
            });
            let daemon = Notifications::start_with(capabilities).await;
            let app = start(dir.path()).await;
            let told = told_once(&daemon, "2 relationships need a touch", 15).await;
            for name in wanted {
                assert!(told.body.contains(name), "{capabilities:?}: {}", told.body);
            }
            app.stop().await;
        }
    }
}

e2e_test! {
    async fn a_second_start_brings_the_first_window_up_and_nothing_is_told_twice() {
        let dir = data_dir();
        with_no_quiet_hours(dir.path(), |j| {
            overdue_client(j, "Ada Lovelace");
        });
        let tray = Tray::start().await;
        let daemon = Notifications::start().await;
        let app = start(dir.path()).await;
        told_once(&daemon, "Time to get in touch with Ada Lovelace", 15).await;
        app.js("window.__TAURI__.window.getCurrentWindow().close()").await;
        wait_until_visible(&app, false).await;

        // Started again on the same journal, as a second click in the launcher does: it hands
        // over to the running one and ends.
        let mut second = tokio::process::Command::new(env!("CARGO_BIN_EXE_rapport-desktop"))
            .env("RAPPORT_DATA_DIR", dir.path())
            .env(REMINDER_TICK.0, REMINDER_TICK.1)
            .kill_on_drop(true)
            .spawn()
            .unwrap();
        // Waits on the process ending (the signal); 30 s is only the deadline after which a
        // second instance that stays up, as one did before, fails the test.
        let ended = tokio::time::timeout(StdDuration::from_secs(30), second.wait()).await;
        let status = ended.expect("the second start ended by itself").unwrap();
        assert!(status.success(), "{status}");
        wait_until_visible(&app, true).await;
        assert_eq!(app_processes(dir.path()).len(), 1, "one Rapport on this journal");
        app.wait_for_a_reminder_look().await;
        assert_eq!(daemon.shown().len(), 1, "told once: {:?}", daemon.shown());
        app.stop().await;
        drop(tray);
    }
}

e2e_test! {
    /// Someone falling due while the snooze menu is open on Today leaves the menu open with the
    /// focus in it (only the count follows at once): a redraw would take the menu away from
    /// under the user's key. Once the menu is closed, Today shows them.
    async fn a_menu_open_on_today_stays_open_when_someone_falls_due() {
        let dir = data_dir();
        crate::util::seed(dir.path());
        let app = start(dir.path()).await;
        app.wait_for_text("#needs", "Send the Bernoulli notes").await;
        app.js("document.querySelector('#needs .need[data-kind=relationship]').focus()").await;
        app.type_fast("s").await;
        let in_menu = "[role=menu] [role=menuitem]:focus";
        app.wait_for(in_menu).await;
        // Written by another program: the loop finds it at its next look.
        overdue_client(&mut crate::util::open_journal(dir.path()), "Linus Torvalds");
        app.wait_for_text("#nav-today-count", "3").await;
        assert_eq!(
            app.js(&format!("return !!document.querySelector({in_menu:?})")).await,
            true,
            "the menu stayed open, the focus in it"
        );
        assert!(!app.text("#needs").await.contains("Linus Torvalds"));
        app.type_fast("\u{E00C}").await;
        app.wait_for_text("#needs", "Linus Torvalds").await;
        let focused = app
            .js("return document.activeElement?.closest('#needs .need')?.dataset.kind ?? null")
            .await;
        assert_eq!(focused, "relationship", "the focus stays on a row of Today");
        app.stop().await;
    }
}
