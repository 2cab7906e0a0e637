//! A client's timeline of hundreds or thousands of entries: loaded as it scrolls, only the
//! entries near the view held as elements, the reader's place kept through redraws and resizes.

use chrono::{Duration, Utc};
use rapport::{ClientInput, Journal, Stage, TouchInput};

use crate::util::{data_dir, eventually, App};

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
        app.js("document.getElementById('view').scrollTop = 1e9")
            .await;
        app.frames().await;
    }
}

/// How many entries the timeline says it has loaded (more than it holds as elements).
async fn loaded(app: &App) -> u64 {
    app.js("return Number(document.getElementById('timeline').dataset.loaded)")
        .await
        .as_u64()
        .unwrap()
}

/// How many entries the timeline holds as elements. Counted in the page: elements fetched
/// through WebDriver are held by it, and would stay in memory after the page lets them go.
async fn entries_held(app: &App) -> u64 {
    app.js("return document.querySelectorAll('#timeline .entry').length")
        .await
        .as_u64()
        .unwrap()
}

/// The touch numbers of the entries the timeline holds, in the order it shows them.
async fn touch_numbers_held(app: &App) -> Vec<i64> {
    let numbers = app
        .js(
            "return [...document.querySelectorAll('#timeline .entry .entry-title')]
                 .map((t) => /^Touch number (\\d+)$/.exec(t.textContent))
                 .filter(Boolean).map((m) => Number(m[1]))",
        )
        .await;
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

e2e_test! {
    async fn a_long_timeline_loads_as_it_scrolls_to_its_first_entry() {
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
    }
}

/// Waits until the page is narrower than `width` (or, with `below` false, as wide or wider),
/// then until the frames after the resize are drawn: its handlers have run.
async fn page_width_below(app: &App, width: u64, below: bool) {
    let limit = std::time::Duration::from_secs(15);
    eventually(
        format!("the page's width across {width} px"),
        limit,
        || async {
            let inner = app.client.execute("return window.innerWidth", vec![]).await;
            let inner = inner.unwrap().as_u64().unwrap();
            ((inner < width) == below).then_some(())
        },
    )
    .await;
    app.frames().await;
}

/// The view's scroll position.
async fn scrolled_to(app: &App) -> f64 {
    app.js("return document.getElementById('view').scrollTop")
        .await
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
    let limit = std::time::Duration::from_secs(15);
    eventually("the page drawn anew", limit, || async {
        (app.client.title().await.unwrap() != "before the redraw").then_some(())
    })
    .await;
}

e2e_test! {
    async fn a_redraw_after_a_change_keeps_the_readers_place_unless_they_scroll_meanwhile() {
        let (_dir, app) = open_long_history(120).await;

        // Scrolled down the timeline, they add a follow-up: the page is drawn anew where it was.
        app.js("document.getElementById('view').scrollTop = 900").await;
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
        app.js("const view = document.getElementById('view');
                 const reader = new MutationObserver(() => {
                   reader.disconnect();
                   view.scrollTop = 40;
                   window.readerScrolledTo = view.scrollTop;
                 });
                 reader.observe(view, { childList: true });").await;
        add_follow_up_and_wait_for_the_redraw(&app, "Call about the budget").await;
        let reader = app.js("return window.readerScrolledTo ?? null").await;
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
    }
}

e2e_test! {
    async fn a_timeline_of_thousands_holds_only_the_entries_near_the_view() {
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
        app.js("const v = document.getElementById('view'); v.scrollTop = v.scrollHeight / 2").await;
        app.frames().await;
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
        page_width_below(&app, width * 4 / 5, true).await;
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
            app.frames().await;
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
        page_width_below(&app, width * 4 / 5, false).await;
        let now = app.client.execute(view_js, vec![]).await.unwrap();
        assert_eq!(now["gaps"], 0, "a gap in view at the first width again: {now}");

        // Home, from the keyboard, back to the newest entry.
        app.js("document.getElementById('view').focus()").await;
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
        app.js("location.hash = '#/search'").await;
        app.type_into("#search-input", "number 600").await;
        app.click("#search-results .result[data-entry-id]").await;
        app.wait_for_text("#timeline .entry.highlight", "Touch number 600")
            .await;
        app.frames().await;
        let in_view = app.js("const v = document.getElementById('view').getBoundingClientRect();
                 const r = document.querySelector('#timeline .entry.highlight').getBoundingClientRect();
                 return r.top >= v.top && r.bottom <= v.bottom").await;
        assert_eq!(in_view, true, "the entry searched for is in view");
        assert!(entries_held(&app).await <= 300);
        assert_consecutive(&touch_numbers_held(&app).await, "at the entry searched for");
        app.screenshot("timeline-search-result").await;
        app.stop().await;
    }
}
