//! The real app, end to end: UI → command → core → the SQLite file in the test's data folder.

mod util;

use chrono::{Duration, Utc};
use rapport::{ClientInput, FollowUpDraft, Journal, Stage, TouchInput, TouchKind};

use util::{add_touched, data_dir, App, TEST_TIMEOUT};

/// A journal written through the core, as a user's would be after some weeks of work.
fn seed(dir: &std::path::Path) {
    let now = Utc::now();
    let mut j = Journal::open(dir.join(rapport::FILE_NAME)).unwrap();
    let ada = ClientInput {
        name: "Ada Lovelace".into(),
        organisation: "Analytical Engines".into(),
        cadence_days: Some(14),
        ..Default::default()
    };
    let meeting = TouchInput {
        kind: TouchKind::Meeting,
        summary: "Reviewed the engine plans".into(),
        follow_up: Some(FollowUpDraft {
            what: "Send the Bernoulli notes".into(),
            due_at: now - Duration::days(3),
        }),
        ..Default::default()
    };
    add_touched(&mut j, ada, Stage::Foothold, 90, meeting, 40);
    let grace = ClientInput {
        name: "Grace Hopper".into(),
        organisation: "Navy Computing".into(),
        ..Default::default()
    };
    let call = TouchInput {
        summary: "COBOL standards call".into(),
        ..Default::default()
    };
    add_touched(&mut j, grace, Stage::OnlyMe, 300, call, 2);
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
    })
    .await
    .expect("the test finished in time");
}

const ENTER: &str = "\u{E007}";

/// The journey of issue 3, as a new user would take it, from an empty data folder.
#[tokio::test(flavor = "multi_thread")]
async fn a_new_user_logs_a_call_finds_it_edits_the_profile_and_it_survives_a_restart() {
    tokio::time::timeout(TEST_TIMEOUT * 2, async {
        let dir = data_dir();
        let app = App::start(dir.path()).await;

        // A first run greets the user.
        app.wait_for_text("#welcome", "Welcome to Rapport").await;
        app.screenshot("welcome").await;

        // The shortcut opens the dialog from anywhere; Esc cancels it.
        app.keys("\u{E009}l\u{E000}").await;
        app.wait_for("#log-dialog[open]").await;
        app.keys("\u{E00C}").await;
        app.wait_for("#log-dialog:not([open])").await;

        // Log a call with a new client, and a follow-up "in 2 weeks" read back as a date.
        app.click("#welcome-log").await;
        app.type_into("#log-client", "Marie Curie").await;
        app.wait_for_text("#log-client-options", "Add “Marie Curie” as a new client")
            .await;
        app.keys(ENTER).await;
        app.type_into("#log-summary", "Radium funding call").await;
        app.type_into(
            "#log-body",
            "She needs the grant draft before the board meets.",
        )
        .await;
        app.type_into("#log-follow-what", "Send the grant draft")
            .await;
        app.type_into("#log-follow-when", "in 2 weeks").await;
        let due = (chrono::Local::now() + Duration::days(14))
            .format("%-d")
            .to_string();
        let read_back = app.wait_for_text("#log-follow-date", "→").await;
        assert!(
            read_back.contains(&due),
            "{read_back} should name day {due}"
        );
        app.screenshot("log-touch").await;
        app.click("#log-save").await;
        app.wait_for("#log-dialog:not([open])").await;

        // Find it on the client's page, in the timeline and the open follow-ups.
        app.click("a[data-nav=clients]").await;
        app.wait_for_text("#clients tbody", "Marie Curie").await;
        app.click("#clients tbody a").await;
        app.wait_for_text("#client-name", "Marie Curie").await;
        app.wait_for_text("#timeline", "Radium funding call").await;
        app.wait_for_text("#timeline", "Send the grant draft").await;
        app.wait_for_text("#follow-ups", "Send the grant draft")
            .await;
        app.wait_for_text("#days-since", "today").await;

        // Find it in search; Enter opens the client at the entry.
        app.click("a[data-nav=search]").await;
        app.type_into("#search-input", "radium").await;
        let results = app.wait_for_text("#search-results", "Marie Curie").await;
        assert!(results.contains("Radium"), "{results}");
        app.screenshot("search").await;
        app.keys(ENTER).await;
        app.wait_for_text("#timeline .entry.highlight", "Radium funding call")
            .await;

        // Edit the profile in place.
        app.click("#edit-profile").await;
        app.type_into("#edit-organisation", "Radium Institute")
            .await;
        app.type_into("#edit-profile-text", "Cares about lab safety.")
            .await;
        app.click("#save-profile").await;
        app.wait_for_text("#profile-text", "Cares about lab safety.")
            .await;
        app.wait_for_text("#client-org", "Radium Institute").await;

        // An empty name is refused with a clear error, and nothing changes.
        app.click("#edit-profile").await;
        app.type_into("#edit-name", "   ").await;
        app.click("#save-profile").await;
        app.wait_for_text("#profile", "name: must not be empty")
            .await;
        app.screenshot("profile-error").await;
        app.keys("\u{E00C}").await; // Escape cancels the edit
        app.wait_for_text("#client-name", "Marie Curie").await;

        // A note with markup in it is shown as text, never run as HTML.
        let markup = "<img src=x onerror=alert(1)>";
        app.click("#client-note").await;
        app.type_into("#log-body", markup).await;
        app.click("#log-save").await;
        app.wait_for_text("#timeline", markup).await;
        let images = app
            .client
            .find_all(fantoccini::Locator::Css("#timeline img"))
            .await
            .unwrap();
        assert!(images.is_empty(), "the note became an image element");
        app.screenshot("client").await;
        app.stop().await;

        // Restart: everything is still there.
        let app = App::start(dir.path()).await;
        app.click("a[data-nav=clients]").await;
        app.click("#clients tbody a").await;
        app.wait_for_text("#timeline", "Radium funding call").await;
        app.wait_for_text("#timeline", markup).await;
        app.wait_for_text("#profile-text", "Cares about lab safety.")
            .await;
        app.wait_for_text("#follow-ups", "Send the grant draft")
            .await;
        app.stop().await;
    })
    .await
    .expect("the test finished in time");
}

#[tokio::test(flavor = "multi_thread")]
async fn the_sample_journal_loads_marked_and_goes_in_one_action() {
    tokio::time::timeout(TEST_TIMEOUT, async {
        let dir = data_dir();
        let app = App::start(dir.path()).await;
        app.click("#welcome-sample").await;
        app.wait_for_text("#sample-banner", "sample journal").await;
        let needs = app
            .wait_for_text("#needs", "Send Lars the usage summary")
            .await;
        assert!(!needs.is_empty());
        app.screenshot("today-sample").await;
        app.click("a[data-nav=clients]").await;
        app.wait_for_text("#clients tbody", "Amara Okafor").await;
        app.click("#clients tbody a").await;
        app.wait_for_text("#timeline", "Quarterly review").await;
        // Record that Amara introduced the user to Tomás.
        app.type_into("#intro-who", "Tomás Oliveira").await;
        app.wait_for("#intro-matches option[value='Tomás Oliveira']")
            .await;
        app.click("#introductions button[type=submit]").await;
        app.wait_for_text("#introductions", "Introduced you to Tomás Oliveira")
            .await;
        app.screenshot("client-sample").await;
        // Still readable in a small window.
        app.client.set_window_size(800, 600).await.unwrap();
        app.screenshot("client-800x600").await;
        app.client.set_window_size(1280, 800).await.unwrap();
        app.click("a[data-nav=today]").await;
        app.click("#remove-sample").await;
        app.click("#confirm-yes").await;
        app.wait_for_text("#welcome", "Welcome to Rapport").await;
        app.stop().await;
    })
    .await
    .expect("the test finished in time");
}

#[tokio::test(flavor = "multi_thread")]
async fn the_theme_follows_the_systems_dark_preference() {
    tokio::time::timeout(TEST_TIMEOUT, async {
        let background = |app: App| async move {
            let colour = app
                .wait_for("body")
                .await
                .css_value("background-color")
                .await
                .unwrap();
            app.stop().await;
            colour
        };
        let dir = data_dir();
        seed(dir.path());
        let light = background(App::start(dir.path()).await).await;
        let app = App::start_with(dir.path(), &[("GTK_THEME", "Adwaita:dark")]).await;
        app.screenshot("today-dark").await;
        let dark = background(app).await;
        assert_eq!(light, "rgb(245, 243, 238)", "warm paper in the light theme");
        assert_eq!(dark, "rgb(15, 24, 27)", "deep teal-black in the dark theme");
    })
    .await
    .expect("the test finished in time");
}

/// Writes a client "Long History" with `touches` touches, "Touch number 0" the oldest, every
/// fourth with a body long enough to wrap, so that entries differ in height, and differ again
/// at another width.
fn seed_long_history(dir: &std::path::Path, touches: i64) {
    let now = Utc::now();
    let mut j = Journal::open(dir.join(rapport::FILE_NAME)).unwrap();
    let c = j
        .create_client(
            &ClientInput {
                name: "Long History".into(),
                ..Default::default()
            },
            Stage::OnlyMe,
            now - Duration::days(2000),
        )
        .unwrap();
    for i in 0..touches {
        let at = now - Duration::days(1999) + Duration::hours(i * 30);
        j.log_touch(
            &TouchInput {
                client_id: c.id,
                at: Some(at),
                summary: format!("Touch number {i}"),
                body: if i % 4 == 0 {
                    format!(
                        "What was said in touch {i}: the plans, the budget, who else is asked, \
                         when they decide, and what they worry about most this quarter: the \
                         move to the new building, the audit in the spring, the two people \
                         leaving, and whether the board will back the plan at all.\n\
                         And what was promised."
                    )
                } else {
                    String::new()
                },
                ..Default::default()
            },
            now,
        )
        .unwrap();
    }
}

/// Starts the app on a journal of [`seed_long_history`] with `touches` touches and opens that
/// client's page from the client list; the data folder lives as long as what is returned.
async fn open_long_history(touches: i64) -> (tempfile::TempDir, App) {
    let dir = data_dir();
    seed_long_history(dir.path(), touches);
    let app = App::start(dir.path()).await;
    app.click("a[data-nav=clients]").await;
    app.click("#clients tbody a").await;
    app.wait_for_text("#timeline", &format!("Touch number {}", touches - 1))
        .await;
    (dir, app)
}

/// Scrolls the view to its end again and again, as a reader would, until the timeline says it
/// has every entry.
async fn scroll_to_the_first_entry(app: &App) {
    let started = std::time::Instant::now();
    loop {
        let end = app.text(".timeline-end").await;
        if end.contains("in all") {
            return;
        }
        if started.elapsed().as_secs() >= 60 {
            app.screenshot("timeline-stuck").await;
            panic!(
                "the timeline stopped loading after {} entries: {end}",
                loaded(app).await
            );
        }
        app.client
            .execute("document.getElementById('view').scrollTop = 1e9", vec![])
            .await
            .unwrap();
        tokio::time::sleep(std::time::Duration::from_millis(150)).await;
    }
}

/// How many entries the timeline says it has loaded (more than it holds as elements).
async fn loaded(app: &App) -> u64 {
    app.client
        .execute(
            "return Number(document.getElementById('timeline').dataset.loaded)",
            vec![],
        )
        .await
        .unwrap()
        .as_u64()
        .unwrap()
}

/// How many entries the timeline holds as elements. Counted in the page: elements fetched
/// through WebDriver are held by it, and would stay in memory after the page lets them go.
async fn entries_held(app: &App) -> u64 {
    app.client
        .execute(
            "return document.querySelectorAll('#timeline .entry').length",
            vec![],
        )
        .await
        .unwrap()
        .as_u64()
        .unwrap()
}

/// The touch numbers of the entries the timeline holds, in the order it shows them.
async fn touch_numbers_held(app: &App) -> Vec<i64> {
    let numbers = app
        .client
        .execute(
            "return [...document.querySelectorAll('#timeline .entry .entry-title')]
                 .map((t) => /^Touch number (\\d+)$/.exec(t.textContent))
                 .filter(Boolean).map((m) => Number(m[1]))",
            vec![],
        )
        .await
        .unwrap();
    serde_json::from_value(numbers).unwrap()
}

/// Fails unless `numbers` run newest first with none missing, e.g. 57, 56, 55.
fn assert_consecutive(numbers: &[i64], at: &str) {
    assert!(!numbers.is_empty(), "no entries held {at}");
    for pair in numbers.windows(2) {
        assert_eq!(
            pair[1],
            pair[0] - 1,
            "entries out of order or missing {at}: {numbers:?}"
        );
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn a_long_timeline_loads_as_it_scrolls_to_its_first_entry() {
    tokio::time::timeout(TEST_TIMEOUT, async {
        let (_dir, app) = open_long_history(230).await;
        scroll_to_the_first_entry(&app).await;
        assert_eq!(loaded(&app).await, 231, "230 touches and the first stage");
        assert_eq!(app.text(".timeline-end").await, "231 entries in all");
        app.wait_for_text("#timeline", "Touch number 0").await;
        assert_eq!(
            app.text("#timeline .entry:last-child .entry-title").await,
            "Stage: Only me",
            "the client's first stage is the oldest entry"
        );
        let held = touch_numbers_held(&app).await;
        assert_eq!(held.last(), Some(&0));
        assert_consecutive(&held, "at the end");
        app.stop().await;
    })
    .await
    .expect("the test finished in time");
}

/// The view's scroll position.
async fn scrolled_to(app: &App) -> f64 {
    app.client
        .execute("return document.getElementById('view').scrollTop", vec![])
        .await
        .unwrap()
        .as_f64()
        .unwrap()
}

/// Adds a follow-up from the client page, as if typed and sent, which draws the page anew; waits
/// until the redraw is over (it names the window last, after putting the reader's place back).
async fn add_follow_up_and_wait_for_the_redraw(app: &App, what: &str) {
    // Filled in by script: WebDriver would scroll the form into view first.
    app.client
        .execute(
            "document.title = 'before the redraw';
             document.getElementById('new-follow-what').value = arguments[0];
             document.getElementById('new-follow-when').value = 'in 2 weeks';
             document.querySelector('.add-follow-up').requestSubmit();",
            vec![what.into()],
        )
        .await
        .unwrap();
    app.wait_for_text("#toasts", "Follow-up added").await;
    let started = std::time::Instant::now();
    while app.client.title().await.unwrap() == "before the redraw" {
        assert!(
            started.elapsed().as_secs() < 15,
            "the page was never drawn anew"
        );
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn a_redraw_after_a_change_keeps_the_readers_place_unless_they_scroll_meanwhile() {
    tokio::time::timeout(TEST_TIMEOUT, async {
        let (_dir, app) = open_long_history(120).await;

        // Scrolled down the timeline, they add a follow-up: the page is drawn anew where it was.
        app.client
            .execute("document.getElementById('view').scrollTop = 900", vec![])
            .await
            .unwrap();
        assert_eq!(scrolled_to(&app).await, 900.0);
        add_follow_up_and_wait_for_the_redraw(&app, "Send the plan").await;
        app.wait_for_text("#follow-ups", "Send the plan").await;
        assert_eq!(
            scrolled_to(&app).await,
            900.0,
            "the place kept across the redraw"
        );

        // Again, but as the new page takes the old one's place they scroll back up: their
        // scroll stands, and the redraw does not pull them back down.
        app.client
            .execute(
                "const view = document.getElementById('view');
                 const reader = new MutationObserver(() => {
                   reader.disconnect();
                   view.scrollTop = 40;
                   window.readerScrolledTo = view.scrollTop;
                 });
                 reader.observe(view, { childList: true });",
                vec![],
            )
            .await
            .unwrap();
        add_follow_up_and_wait_for_the_redraw(&app, "Call about the budget").await;
        let reader = app
            .client
            .execute("return window.readerScrolledTo ?? null", vec![])
            .await
            .unwrap();
        assert!(
            reader.is_number(),
            "the new page never took the old one's place"
        );
        assert_ne!(reader.as_f64(), Some(900.0));
        assert_eq!(
            Some(scrolled_to(&app).await),
            reader.as_f64(),
            "the reader's own scroll during the redraw stands"
        );
        app.stop().await;
    })
    .await
    .expect("the test finished in time");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_timeline_of_thousands_holds_only_the_entries_near_the_view() {
    tokio::time::timeout(TEST_TIMEOUT, async {
        let (_dir, app) = open_long_history(1250).await;
        scroll_to_the_first_entry(&app).await;
        assert_eq!(loaded(&app).await, 1251);
        assert_eq!(app.text(".timeline-end").await, "1251 entries in all");
        let held = entries_held(&app).await;
        assert!(held <= 300, "{held} of 1251 entries held as elements");
        let numbers = touch_numbers_held(&app).await;
        assert_eq!(numbers.last(), Some(&0), "the first touch shown at the end");
        assert_consecutive(&numbers, "at the end");

        // Halfway up: what the view shows is drawn, whole and in order, and stays where it is
        // while the reader scrolls up past pages drawn again and back down.
        app.client
            .execute(
                "const v = document.getElementById('view'); v.scrollTop = v.scrollHeight / 2",
                vec![],
            )
            .await
            .unwrap();
        tokio::time::sleep(std::time::Duration::from_millis(300)).await;
        let view_js = "const v = document.getElementById('view').getBoundingClientRect();
             const seen = (r) => r.bottom > v.top && r.top < v.bottom;
             const gaps = [...document.querySelectorAll('#timeline .timeline-gap')]
                 .filter((g) => seen(g.getBoundingClientRect())).length;
             const shown = [...document.querySelectorAll('#timeline .entry')]
                 .filter((e) => seen(e.getBoundingClientRect()));
             return { gaps, id: shown[0]?.dataset.entryId,
                      first: shown[0]?.querySelector('.entry-title').textContent,
                      top: shown[0]?.getBoundingClientRect().top, count: shown.length }";
        let middle = app.client.execute(view_js, vec![]).await.unwrap();
        app.screenshot("timeline-middle").await;
        assert_eq!(middle["gaps"], 0, "a gap in view halfway: {middle}");
        assert!(middle["count"].as_u64().unwrap() >= 5, "{middle}");
        let numbers = touch_numbers_held(&app).await;
        assert_consecutive(&numbers, "halfway");
        assert!(
            numbers.len() <= 300 && !numbers.contains(&1249) && !numbers.contains(&0),
            "halfway, only the entries near the view are held: {numbers:?}"
        );
        // Narrower, entries wrap taller than the gaps measured before: pages drawn again above
        // the view must not move it.
        let (width, height) = app.client.get_window_size().await.unwrap();
        app.client
            .set_window_size((width * 3 / 4) as u32, height as u32)
            .await
            .unwrap();
        tokio::time::sleep(std::time::Duration::from_millis(500)).await;
        let narrower = app
            .client
            .execute("return window.innerWidth", vec![])
            .await
            .unwrap();
        assert!(
            narrower.as_u64().unwrap() < width * 4 / 5,
            "the window did not narrow: {narrower}"
        );
        // A screen's worth at a time, up past pages drawn again and down past pages let go: the
        // entry at the top of the view moves by exactly the distance scrolled.
        for step in [-600.0; 10].into_iter().chain([600.0; 10]) {
            let before = app.client.execute(view_js, vec![]).await.unwrap();
            app.client
                .execute(
                    &format!("document.getElementById('view').scrollBy(0, {step})"),
                    vec![],
                )
                .await
                .unwrap();
            tokio::time::sleep(std::time::Duration::from_millis(150)).await;
            let after = app
                .client
                .execute(
                    "return document.querySelector(`#timeline [data-entry-id=\"${arguments[0]}\"]`)
                         ?.getBoundingClientRect().top ?? null",
                    vec![before["id"].clone()],
                )
                .await
                .unwrap();
            let moved = after
                .as_f64()
                .map(|top| top - before["top"].as_f64().unwrap());
            assert!(
                moved.is_some_and(|m| (m + step).abs() < 1.0),
                "scrolling {step} moved {} by {moved:?}",
                before["first"]
            );
            let now = app.client.execute(view_js, vec![]).await.unwrap();
            assert_eq!(
                now["gaps"], 0,
                "a gap in view after scrolling {step}: {now}"
            );
        }

        app.client
            .set_window_size(width as u32, height as u32)
            .await
            .unwrap();
        tokio::time::sleep(std::time::Duration::from_millis(500)).await;
        let now = app.client.execute(view_js, vec![]).await.unwrap();
        assert_eq!(now["gaps"], 0, "a gap in view at the first width again: {now}");

        // Home, from the keyboard, back to the newest entry.
        app.client
            .execute("document.getElementById('view').focus()", vec![])
            .await
            .unwrap();
        app.keys("\u{E011}").await;
        app.wait_for_text("#timeline", "Touch number 1249").await;
        let numbers = touch_numbers_held(&app).await;
        assert_eq!(numbers.first(), Some(&1249), "the newest entry first");
        assert_consecutive(&numbers, "back at the top");
        assert!(entries_held(&app).await <= 300);

        // A search within the client hides the timeline; cleared, the timeline is back, drawn.
        app.type_into("#timeline-search", "number 700").await;
        app.wait_for_text("#client-page .results", "Touch number 700")
            .await;
        app.keys("\u{E009}a\u{E009}\u{E003}").await;
        app.wait_for("#timeline:not([hidden])").await;
        let shown = app.client.execute(view_js, vec![]).await.unwrap();
        assert_eq!(
            (&shown["gaps"], &shown["first"]),
            (&0.into(), &"Touch number 1249".into()),
            "the timeline after the search is cleared: {shown}"
        );

        // Opened from a search result deep in the timeline: paged on to it, marked, in view.
        app.client
            .execute("location.hash = '#/search'", vec![])
            .await
            .unwrap();
        app.type_into("#search-input", "number 600").await;
        app.click("#search-results .result[data-entry-id]").await;
        app.wait_for_text("#timeline .entry.highlight", "Touch number 600")
            .await;
        tokio::time::sleep(std::time::Duration::from_millis(300)).await;
        let in_view = app
            .client
            .execute(
                "const v = document.getElementById('view').getBoundingClientRect();
                 const r = document.querySelector('#timeline .entry.highlight').getBoundingClientRect();
                 return r.top >= v.top && r.bottom <= v.bottom",
                vec![],
            )
            .await
            .unwrap();
        assert_eq!(in_view, true, "the entry searched for is in view");
        assert!(entries_held(&app).await <= 300);
        assert_consecutive(&touch_numbers_held(&app).await, "at the entry searched for");
        app.screenshot("timeline-search-result").await;
        app.stop().await;
    })
    .await
    .expect("the test finished in time");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_journal_locked_by_another_program_is_reported_and_left_alone() {
    tokio::time::timeout(TEST_TIMEOUT, async {
        let dir = data_dir();
        seed(dir.path());
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
    })
    .await
    .expect("the test finished in time");
}

#[tokio::test(flavor = "multi_thread")]
async fn settings_change_quiet_hours_and_stage_rhythms_and_keep_them() {
    tokio::time::timeout(TEST_TIMEOUT, async {
        let dir = data_dir();
        seed(dir.path());
        // A home of its own, so the login item is written there and not in the real one.
        let home = data_dir();
        let home_env = [("HOME", home.path().to_str().unwrap())];
        let app = App::start_with(dir.path(), &home_env).await;
        app.click("a[data-nav=settings]").await;
        let start = app.wait_for("#quiet-start").await;
        assert_eq!(start.prop("value").await.unwrap().as_deref(), Some("20:00"));
        let login = app.wait_for("#start-at-login").await;
        assert_eq!(
            login.prop("checked").await.unwrap().as_deref(),
            Some("false"),
            "off by default"
        );
        login.click().await.unwrap();
        // Typing into a time field goes hour, minute (and AM/PM where the locale uses it).
        app.client
            .execute(
                "document.getElementById('quiet-start').value = '21:30';
                 document.getElementById('cadence-only_me').value = '45';",
                vec![],
            )
            .await
            .unwrap();
        app.click("#settings-save").await;
        app.wait_for_text("#toasts", "Settings saved").await;
        app.screenshot("settings").await;
        app.stop().await;
        let item = home.path().join(".config/autostart/Rapport.desktop");
        let entry = std::fs::read_to_string(&item).expect("a login item was written");
        assert!(entry.contains("rapport-desktop"), "{entry}");

        let j = Journal::open(dir.path().join(rapport::FILE_NAME)).unwrap();
        assert_eq!(
            j.quiet_hours().unwrap().start,
            chrono::NaiveTime::from_hms_opt(21, 30, 0).unwrap()
        );
        assert!(j.stage_cadences().unwrap().contains(&(Stage::OnlyMe, 45)));
        drop(j);
        let app = App::start_with(dir.path(), &home_env).await;
        app.click("a[data-nav=settings]").await;
        let start = app.wait_for("#quiet-start").await;
        assert_eq!(start.prop("value").await.unwrap().as_deref(), Some("21:30"));
        let login = app.wait_for("#start-at-login").await;
        assert_eq!(
            login.prop("checked").await.unwrap().as_deref(),
            Some("true")
        );
        login.click().await.unwrap();
        app.click("#settings-save").await;
        app.wait_for_text("#toasts", "Settings saved").await;
        assert!(!item.exists(), "turned off again, the login item is gone");
        app.stop().await;
    })
    .await
    .expect("the test finished in time");
}

/// The files in `dir` whose names start with `prefix`.
fn files_starting(dir: &std::path::Path, prefix: &str) -> Vec<std::path::PathBuf> {
    let mut found: Vec<_> = std::fs::read_dir(dir)
        .map(|d| {
            d.filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|p| {
                    p.file_name()
                        .and_then(|n| n.to_str())
                        .is_some_and(|n| n.starts_with(prefix))
                })
                .collect()
        })
        .unwrap_or_default();
    found.sort();
    found
}

fn mode(path: &std::path::Path) -> u32 {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(path).unwrap().permissions().mode() & 0o777
}

#[tokio::test(flavor = "multi_thread")]
async fn backups_exports_and_imports_from_settings() {
    tokio::time::timeout(TEST_TIMEOUT * 2, async {
        let dir = data_dir();
        seed(dir.path());
        let home = data_dir();
        let home_env = [("HOME", home.path().to_str().unwrap())];
        let app = App::start_with(dir.path(), &home_env).await;
        app.click("a[data-nav=settings]").await;

        // The daily backup was taken at start, checked, and is listed.
        let backups = dir.path().join(rapport::BACKUPS_DIR);
        let started = std::time::Instant::now();
        while files_starting(&backups, "rapport-").is_empty() {
            assert!(
                started.elapsed().as_secs() < 30,
                "no daily backup soon after start"
            );
            tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        }
        app.keys("4").await;
        app.wait_for_text("#backup-list", "2 clients, 2 touches").await;

        // Exports land in the home folder (no Downloads folder configured), private.
        app.click("[data-export=journal]").await;
        let shown = app.wait_for_text("#export-result", "rapport-journal-").await;
        let json_path = shown.trim_start_matches("Saved ").trim().to_string();
        assert!(json_path.starts_with(home.path().to_str().unwrap()), "{json_path}");
        let json = std::fs::read_to_string(&json_path).unwrap();
        let parsed: serde_json::Value = serde_json::from_str(&json).unwrap();
        assert_eq!(parsed["format"], "rapport-journal");
        assert!(json.contains("Ada Lovelace") && json.contains("Bernoulli"));
        assert_eq!(mode(std::path::Path::new(&json_path)), 0o600);
        app.click("[data-export=follow_ups_ics]").await;
        let shown = app.wait_for_text("#export-result", ".ics").await;
        let ics = std::fs::read_to_string(shown.trim_start_matches("Saved ").trim()).unwrap();
        assert!(ics.starts_with("BEGIN:VCALENDAR\r\n"), "{ics}");
        assert!(ics.contains("Send the Bernoulli notes"), "{ics}");

        // A CSV with a bad row: every bad line named, nothing imported.
        let bad = home.path().join("bad.csv");
        std::fs::write(
            &bad,
            "Name,Email\nKatherine Johnson,katherine@example.org\n,nobody@example.org\nDorothy Vaughan,not an email\n",
        )
        .unwrap();
        app.wait_for("#import-file")
            .await
            .send_keys(bad.to_str().unwrap())
            .await
            .unwrap();
        let problems = app.text("#import-problems").await;
        assert!(problems.contains("Line 3"), "{problems}");
        assert!(problems.contains("Line 4"), "{problems}");
        let go = app.wait_for("#import-go").await;
        assert!(
            go.attr("disabled").await.unwrap().is_some(),
            "Import is offered for a file that cannot be imported"
        );
        app.screenshot("import-refused").await;

        // LinkedIn's export, preamble and all: previewed with its columns mapped, then imported.
        let linkedin = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../tests/fixtures/linkedin_connections.csv")
            .canonicalize()
            .unwrap();
        app.wait_for("#import-file")
            .await
            .send_keys(linkedin.to_str().unwrap())
            .await
            .unwrap();
        app.wait_for_text("#import-summary", "LinkedIn").await;
        app.wait_for_text("#import-summary", "4 clients").await;
        app.wait_for_text("#import-mapping", "Company").await;
        app.screenshot("import-preview").await;
        app.click("#import-go").await;
        app.wait_for_text("#toasts", "Imported 4 clients").await;
        // The import draws the page anew: the button is looked for in the new page, not in the
        // old one it replaces (an element WebDriver found there would be gone by its click).
        app.wait_gone("#import-mapping").await;

        // A backup now, then the import undone by restoring the backup from before it.
        app.click("#backup-now").await;
        app.wait_for_text("#toasts", "Backed up and checked: 6 clients").await;
        app.wait_for_text("#backup-list", "6 clients").await;
        app.click("#backup-list tbody tr:last-child .row-actions button")
            .await;
        app.click("#confirm-yes").await;
        app.wait_for_text("#toasts", "Restored the backup").await;
        app.screenshot("backups").await;
        app.keys("2").await;
        app.wait_for_text("main", "Ada Lovelace").await;
        let clients = app.text("main").await;
        assert!(!clients.contains("Amelia Okafor"), "{clients}");
        app.stop().await;

        // The journal it replaced is kept aside, private, with the import in it.
        let aside = files_starting(dir.path(), "journal-before-restore-");
        assert_eq!(aside.len(), 1, "{aside:?}");
        assert_eq!(mode(&aside[0]), 0o600);
        let before = Journal::open(&aside[0]).unwrap();
        assert_eq!(before.counts().unwrap().clients, 6);
        let journal = dir.path().join(rapport::FILE_NAME);
        assert_eq!(mode(&journal), 0o600);
        assert_eq!(mode(&backups) & 0o077, 0, "backups folder private");
        for backup in files_starting(&backups, "rapport-") {
            assert_eq!(mode(&backup), 0o600, "{}", backup.display());
        }
    })
    .await
    .expect("the test finished in time");
}

#[test]
fn without_a_gpu_render_node_webkit_is_asked_to_rasterize_on_the_processor() {
    use rapport_desktop::painting::{choice_for, CPU_RENDERING};
    let dri = tempfile::tempdir().unwrap();
    assert_eq!(choice_for(dri.path(), false), vec![(CPU_RENDERING, "1")]);
    assert_eq!(
        choice_for(&dri.path().join("missing"), false),
        vec![(CPU_RENDERING, "1")]
    );
    // A display-only card without a render node is no GPU to rasterize on.
    std::fs::write(dri.path().join("card0"), "").unwrap();
    assert_eq!(choice_for(dri.path(), false), vec![(CPU_RENDERING, "1")]);
    // The user's own setting, either way, is left alone; so is a machine with a GPU.
    assert!(choice_for(dri.path(), true).is_empty());
    std::fs::write(dri.path().join("renderD128"), "").unwrap();
    assert!(choice_for(dri.path(), false).is_empty());
}

#[test]
fn this_webkit_has_each_feature_rapport_switches_off() {
    // A feature renamed or removed in a later WebKit would be left on without a word but a line
    // on the app's standard error, and its memory come back: this names it.
    use rapport_desktop::painting::{webkit_features, FEATURES_OFF};
    let known = webkit_features();
    assert!(known.len() > 50, "WebKit's feature list: {known:?}");
    for name in FEATURES_OFF {
        assert!(
            known.iter().any(|k| k == name),
            "{name} is not among {known:?}"
        );
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn the_web_process_paints_as_the_app_chose_for_this_machine() {
    tokio::time::timeout(TEST_TIMEOUT, async {
        let dir = data_dir();
        seed(dir.path());
        let app = App::start(dir.path()).await;
        // WebKit reads the choice in its web process, which must have been started with it.
        let web: Vec<Vec<u8>> = util::tray::processes_with_data_dir(dir.path())
            .into_iter()
            .filter(|pid| {
                std::fs::read_link(format!("/proc/{pid}/exe"))
                    .is_ok_and(|exe| exe.ends_with("WebKitWebProcess"))
            })
            .map(|pid| std::fs::read(format!("/proc/{pid}/environ")).unwrap_or_default())
            .collect();
        assert!(!web.is_empty(), "no web process of the app's found");
        // The user's own setting is passed on as it is; otherwise the app's choice is set.
        use rapport_desktop::painting::{choice, CPU_RENDERING};
        let expected = std::env::var(CPU_RENDERING)
            .ok()
            .or_else(|| choice().first().map(|(_, v)| v.to_string()));
        let prefix = format!("{CPU_RENDERING}=");
        for environ in &web {
            let value = environ
                .split(|b| *b == 0)
                .filter_map(|v| std::str::from_utf8(v).ok())
                .find_map(|v| v.strip_prefix(&prefix).map(str::to_string));
            assert_eq!(value, expected, "{CPU_RENDERING} in the web process");
        }
        app.stop().await;
    })
    .await
    .expect("the test finished in time");
}
