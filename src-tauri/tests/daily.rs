//! The daily jobs as a hurried user does them, by mouse and by keyboard: every menu visible
//! where it opens, typing never ahead of the app.

use crate::util::{self, data_dir, App};

/// Whether the element at the centre of the first `css` is that element or inside it: what a
/// click there would reach.
async fn reachable(app: &App, css: &str) -> bool {
    let script = format!(
        "const m = document.querySelector({css:?});
         if (!m) return false;
         const r = m.getBoundingClientRect();
         const hit = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);
         return r.width > 150 && r.height > 60 && m.contains(hit);"
    );
    app.js(&script).await == true
}

e2e_test! {
    /// The Snooze menu of a Today row opens whole and on top, in light and dark, at the largest
    /// and the smallest window, and a click on one of its choices snoozes.
    async fn the_snooze_menu_opens_on_top_of_everything_and_snoozes() {
        let dir = data_dir();
        util::seed(dir.path());
        for (theme, env, size) in [
            ("light", &[][..], (1280, 800)),
            ("dark", &[("GTK_THEME", "Adwaita:dark")][..], (800, 600)),
        ] {
            let app = App::start_with(dir.path(), env).await;
            app.client.set_window_size(size.0, size.1).await.unwrap();
            app.frames().await;
            app.wait_for_text("#needs", "Ada Lovelace").await;
            app.click("#needs .need[data-kind=relationship] .menu > button").await;
            app.wait_for(".menu-list").await;
            app.frames().await;
            assert!(reachable(&app, ".menu-list").await, "the menu is hidden ({theme})");
            // Beside its button, just below it (or just above, where the window ends).
            let gap = app
                .js(
                    "const b = document.querySelector('.menu > button[aria-expanded=true]').getBoundingClientRect();
                     const m = document.querySelector('.menu-list').getBoundingClientRect();
                     return Math.min(Math.abs(m.top - b.bottom), Math.abs(b.top - m.bottom))",
                )
                .await;
            assert!(gap.as_f64().unwrap() < 12.0, "the menu is {gap} px from its button");
            app.screenshot(&format!("snooze-menu-{theme}-{}x{}", size.0, size.1)).await;
            if theme == "dark" {
                app.click(".menu-list button").await;
                app.wait_for_text("#toasts", "Snoozed until").await;
                app.wait_for_text("#today-summary", "0 relationships overdue").await;
            } else {
                app.keys("\u{E00C}").await;
                app.wait_gone(".menu-list").await;
            }
            app.stop().await;
        }
    }
}

/// The value of the input `css` and where the focus is, by id.
async fn box_and_focus(app: &App, css: &str) -> (String, String) {
    let value = app
        .js(&format!(
            "return document.querySelector({css:?})?.value ?? null"
        ))
        .await;
    let focus = app.js("return document.activeElement?.id ?? ''").await;
    (
        value.as_str().unwrap_or_default().to_string(),
        focus.as_str().unwrap_or_default().to_string(),
    )
}

e2e_test! {
    /// `/` or Ctrl K and a name typed straight after, faster than the search page is drawn:
    /// every letter lands in an empty search box, none opens the log dialog, and an earlier
    /// query is not appended to.
    async fn a_search_typed_at_once_after_the_shortcut_lands_whole_in_an_empty_box() {
        let (_dir, app) = crate::util::seeded_app().await;
        app.type_fast("/lars").await;
        let limit = std::time::Duration::from_secs(15);
        util::eventually("the search box to hold what was typed", limit, || async {
            (box_and_focus(&app, "#search-input").await == ("lars".into(), "search-input".into()))
                .then_some(())
        })
        .await;
        assert_eq!(app.js("return document.getElementById('log-dialog').open").await, false);
        // Back to Today, then a new search by Ctrl K: the old query is gone.
        app.js("document.activeElement.blur()").await;
        app.type_fast("1").await;
        app.wait_for("body[data-view=today]").await;
        app.type_fast("\u{E009}k\u{E000}grace").await;
        util::eventually("the box to hold the new query alone", limit, || async {
            (box_and_focus(&app, "#search-input").await.0 == "grace").then_some(())
        })
        .await;
        app.wait_for_text("#search-results", "Grace Hopper").await;
        app.stop().await;
    }
}

/// The clients of the journal at `dir`, by name, with how many touches each has.
fn clients_and_touches(dir: &std::path::Path) -> Vec<(String, i64)> {
    let conn = rusqlite::Connection::open(dir.join(rapport::FILE_NAME)).unwrap();
    let mut stmt = conn
        .prepare(
            "SELECT name, (SELECT count(*) FROM entry e WHERE e.client_id = c.id AND e.kind <> 'note')
             FROM client c ORDER BY name",
        )
        .unwrap();
    let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?))).unwrap();
    rows.map(Result::unwrap).collect()
}

e2e_test! {
    /// Ctrl L, "Ada", Enter and the summary typed at once, faster than the suggestions arrive:
    /// the touch is Ada Lovelace's, and no client "Ada" is made beside her. A new client is made
    /// only when chosen as one; a name merely typed is refused with a word, and so is a touch
    /// with nothing in it.
    async fn a_name_entered_before_its_suggestions_picks_the_client_it_names() {
        let dir = data_dir();
        util::seed(dir.path());
        let before = clients_and_touches(dir.path());
        let app = App::start(dir.path()).await;
        app.js("document.activeElement?.blur()").await;
        app.type_fast("\u{E009}l\u{E000}Ada\u{E007}").await;
        let limit = std::time::Duration::from_secs(15);
        util::eventually("Ada Lovelace picked", limit, || async {
            let value = app.js("return document.getElementById('log-client').value").await;
            (value == "Ada Lovelace").then_some(())
        })
        .await;
        // Nothing written yet: an empty touch is refused, and says why.
        app.click("#log-save").await;
        app.wait_for_text("#log-form [data-error-for=summary]", "What was it about?").await;
        app.type_into("#log-summary", "Quick catch-up").await;
        app.click("#log-save").await;
        app.wait_for_text("#toasts", "Touch logged with Ada Lovelace").await;
        let after = clients_and_touches(dir.path());
        assert_eq!(after.len(), before.len(), "no new client: {after:?}");
        let touches = |list: &[(String, i64)]| list.iter().find(|(n, _)| n == "Ada Lovelace").unwrap().1;
        assert_eq!(touches(&after), touches(&before) + 1);

        // A name no one has: typing it is not choosing it.
        app.type_fast("\u{E009}l\u{E000}").await;
        app.wait_for("#log-dialog[open]").await;
        app.type_into("#log-client", "Hedy Lamarr").await;
        app.wait_for_text("#log-client-options", "as a new client").await;
        // Away from the field and straight back (a script clearing it does the same): the
        // options on show stay, past the moment a blur closes them (100 ms) once the focus
        // has gone elsewhere. They were hidden under it once, with the focus in the field.
        let kept = app
            .js("const f = document.getElementById('log-client');
                 f.blur(); f.focus();
                 return new Promise((done) => setTimeout(() =>
                   done(!document.getElementById('log-client-options').hidden), 400));")
            .await;
        assert_eq!(kept, true, "the options stay while the field has the focus");
        app.type_into("#log-summary", "Met at the radio fair").await;
        app.click("#log-save").await;
        app.wait_for_text("#log-form [data-error-for~=client]", "Add Hedy Lamarr as a new client").await;
        assert_eq!(clients_and_touches(dir.path()).len(), before.len());
        // Chosen as a new client, it is made, and the toast leads to the new profile.
        app.click("#log-client").await;
        app.keys(crate::util::ENTER).await;
        app.click("#log-save").await;
        app.wait_for_text("#toasts", "a new client").await;
        app.click("#toasts a").await;
        app.wait_for_text("#client-name", "Hedy Lamarr").await;
        assert_eq!(clients_and_touches(dir.path()).len(), before.len() + 1);
        app.stop().await;
    }
}

/// A journal with three overdue clients, most overdue first: Alpha, Bravo, Charlie.
fn three_overdue(dir: &std::path::Path) {
    let mut j = rapport::Journal::open(dir.join(rapport::FILE_NAME)).unwrap();
    for (name, days) in [("Alpha", 60), ("Bravo", 50), ("Charlie", 40)] {
        let client = rapport::ClientInput {
            name: name.into(),
            cadence_days: Some(14),
            ..Default::default()
        };
        let touch = rapport::TouchInput {
            summary: "Last call".into(),
            ..Default::default()
        };
        util::add_touched(&mut j, client, rapport::Stage::Foothold, 90, touch, days);
    }
}

/// The name in the Today row that has the focus, and whether it is the highlighted one.
async fn focused_row(app: &App) -> (String, bool) {
    let row = app
        .js("const r = document.activeElement?.closest('.need');
             return r ? [r.querySelector('.need-title').textContent, r.classList.contains('active')]
                      : [document.activeElement?.tagName ?? '', false]")
        .await;
    (row[0].as_str().unwrap().to_string(), row[1] == true)
}

e2e_test! {
    /// On Today the highlighted row is the focused row: Down moves both, and L logs for the row
    /// it is on; after a snooze the focus is on the row that took the snoozed one's place, and
    /// after Esc closes the log dialog it is back on its row, never on the page body.
    async fn on_today_the_keys_act_on_the_highlighted_row_and_the_focus_stays_in_the_list() {
        let dir = data_dir();
        three_overdue(dir.path());
        let app = App::start(dir.path()).await;
        app.wait_for_text("#needs", "Charlie").await;
        app.js("document.querySelector('#needs .need').focus()").await;
        assert_eq!(focused_row(&app).await, ("Alpha".into(), true));
        app.keys("\u{E015}\u{E015}").await;
        assert_eq!(focused_row(&app).await, ("Charlie".into(), true));
        app.keys("l").await;
        app.wait_for("#log-dialog[open]").await;
        let client = app.js("return document.getElementById('log-client').value").await;
        assert_eq!(client, "Charlie", "L logs for the highlighted row");
        app.close_log().await;
        assert_eq!(focused_row(&app).await, ("Charlie".into(), true));
        // Up to Bravo, snoozed for a day by keyboard: Charlie takes its place, and the focus.
        app.keys("\u{E013}").await;
        assert_eq!(focused_row(&app).await, ("Bravo".into(), true));
        app.keys("s").await;
        app.wait_for(".menu-list").await;
        app.keys(crate::util::ENTER).await;
        app.wait_for_text("#toasts", "Snoozed until").await;
        let limit = std::time::Duration::from_secs(15);
        let last = std::cell::RefCell::new(None);
        let what = || format!("the focus on the row after the snoozed one (on {:?})", last.borrow());
        util::eventually(util::Lazy(&what), limit, || async {
            let now = focused_row(&app).await;
            let done = now == ("Charlie".into(), true);
            *last.borrow_mut() = Some(now);
            done.then_some(())
        })
        .await;
        app.stop().await;
    }
}

/// Every row of the journal in `dir`, as text: what "exactly as it was" compares.
fn journal_rows(dir: &std::path::Path) -> Vec<String> {
    rapport_testkit::journal_rows(&dir.join(rapport::FILE_NAME))
}

e2e_test! {
    /// Done (by D on Today, undone by Ctrl Z), archive (undone by the toast's button) and a
    /// reopened follow-up (undone likewise) each leave the journal exactly as it was.
    async fn done_archive_and_reopen_are_undone_exactly() {
        let (dir, app) = crate::util::seeded_app().await;
        app.wait_for_text("#needs", "Send the Bernoulli notes").await;
        let before = journal_rows(dir.path());
        let limit = std::time::Duration::from_secs(15);
        let unchanged = || async { (journal_rows(dir.path()) == before).then_some(()) };

        app.js("document.querySelector('#needs .need[data-kind=follow_up]').focus()").await;
        app.keys("d").await;
        app.wait_for_text("#toasts", "Follow-up done").await;
        assert_ne!(journal_rows(dir.path()), before, "done is written");
        app.js("document.activeElement?.blur()").await;
        app.keys("\u{E009}z\u{E000}").await;
        util::eventually("the journal as it was after Ctrl Z", limit, unchanged).await;
        app.wait_for_text("#needs", "Send the Bernoulli notes").await;

        app.open_client("Ada Lovelace").await;
        app.click("#client-archive").await;
        app.wait_for_text("#toasts", "archived").await;
        app.click("#toasts .toast-undo").await;
        util::eventually("the journal as it was after Undo", limit, unchanged).await;

        app.click("#follow-ups [data-action=done]").await;
        app.wait_for_text("#toasts", "Follow-up done").await;
        app.click("#timeline .entry-action").await;
        app.wait_for_text("#toasts", "Follow-up open again").await;
        util::eventually("the journal as it was after Reopen", limit, unchanged).await;
        app.stop().await;
    }
}

e2e_test! {
    /// Esc on a half-written touch asks before throwing it away; saying no keeps every word.
    async fn esc_on_a_half_written_touch_asks_before_throwing_it_away() {
        let (_dir, app) = crate::util::seeded_app().await;
        app.open_log().await;
        app.type_into("#log-summary", "Half of what she said").await;
        app.keys("\u{E00C}").await;
        app.wait_for_text("dialog[role=alertdialog]", "Throw away what you wrote?").await;
        app.keys("\u{E00C}").await;
        app.wait_gone("dialog[role=alertdialog]").await;
        app.wait_for("#log-dialog[open]").await;
        let kept = app.js("return document.getElementById('log-summary').value").await;
        assert_eq!(kept, "Half of what she said");
        app.keys("\u{E00C}").await;
        app.click("#confirm-yes").await;
        app.wait_for("#log-dialog:not([open])").await;
        // An empty dialog closes at once.
        app.open_log().await;
        app.close_log().await;
        app.stop().await;
    }
}

/// Chooses `stage` in the client page's stage menu, as a key or a click there does.
async fn choose_stage(app: &App, stage: &str) {
    app.js(&format!(
        "const s = document.getElementById('stage-select'); s.value = {stage:?};
         s.dispatchEvent(new Event('change'));"
    ))
    .await;
}

e2e_test! {
    /// A stage chosen in the menu is a dated move only once confirmed, with a note if given:
    /// cancelled, nothing is written and the menu shows the stage again; confirmed and then
    /// undone, the journal is exactly as before.
    async fn a_stage_move_is_confirmed_with_a_note_and_can_be_undone() {
        let (dir, app) = crate::util::seeded_app().await;
        app.open_client("Ada Lovelace").await;
        let before = journal_rows(dir.path());
        choose_stage(&app, "me_first").await;
        app.wait_for_text("dialog[role=alertdialog]", "Move Ada Lovelace to Me first").await;
        app.keys("\u{E00C}").await;
        app.wait_gone("dialog[role=alertdialog]").await;
        assert_eq!(app.js("return document.getElementById('stage-select').value").await, "foothold");
        assert_eq!(journal_rows(dir.path()), before, "a cancelled move writes nothing");

        choose_stage(&app, "me_first").await;
        app.wait_for("#confirm-note").await;
        app.screenshot("stage-move").await;
        app.keys("Won the second order\u{E007}").await;
        app.wait_for_text("#toasts", "Moved to Me first").await;
        app.wait_for_text("#stage-history", "Won the second order").await;
        app.js("document.activeElement?.blur()").await;
        app.keys("\u{E009}z\u{E000}").await;
        let limit = std::time::Duration::from_secs(15);
        util::eventually("the journal as before the move", limit, || async {
            (journal_rows(dir.path()) == before).then_some(())
        })
        .await;
        app.wait_for_text("#client-name", "Foothold").await;
        app.stop().await;
    }
}

/// The key of the timeline entry that has the focus (`touch-12`), or the focused tag's name.
async fn focused_entry(app: &App) -> String {
    let key = app
        .js("const e = document.activeElement; return e?.closest('.entry')?.dataset.key ?? e?.tagName")
        .await;
    key.as_str().unwrap_or_default().to_string()
}

/// Focuses the timeline entry whose title is `title`; returns its key.
async fn focus_entry(app: &App, title: &str) -> String {
    app.wait_for_text("#timeline", title).await;
    let key = app
        .js(&format!(
            "const e = [...document.querySelectorAll('#timeline .entry')]
                 .find((e) => e.querySelector('.entry-title').textContent === {title:?});
             e.focus(); return e.dataset.key"
        ))
        .await;
    key.as_str().unwrap().to_string()
}

e2e_test! {
    /// A touch logged wrong is fixed from the timeline by keyboard: E edits it in the log
    /// dialog, the focus comes back to it; Delete removes it, and Ctrl Z puts it back exactly.
    /// A follow-up is edited from the timeline too.
    async fn an_entry_logged_wrong_is_edited_or_deleted_from_the_timeline_and_undone() {
        let (dir, app) = crate::util::seeded_app().await;
        app.open_client("Ada Lovelace").await;
        let touch = focus_entry(&app, "Reviewed the engine plans").await;
        app.keys("e").await;
        app.wait_for_text("#log-title", "Edit the touch").await;
        let summary = app.js("return document.getElementById('log-summary').value").await;
        assert_eq!(summary, "Reviewed the engine plans");
        app.screenshot("edit-touch").await;
        app.type_into("#log-summary", "Reviewed the analytical engine plans").await;
        app.click("#log-save").await;
        app.wait_for_text("#toasts", "Touch saved").await;
        app.wait_for_text("#timeline", "Reviewed the analytical engine plans").await;
        let limit = std::time::Duration::from_secs(15);
        util::eventually("the focus back on the touch edited", limit, || async {
            (focused_entry(&app).await == touch).then_some(())
        })
        .await;

        let before = journal_rows(dir.path());
        app.keys("\u{E017}").await;
        app.wait_for_text("#toasts", "Touch deleted").await;
        app.wait_gone(&format!("#timeline [data-key={touch}]")).await;
        assert_ne!(journal_rows(dir.path()), before);
        util::eventually("the focus on the entry that took its place", limit, || async {
            focused_entry(&app).await.contains('-').then_some(())
        })
        .await;
        app.keys("\u{E009}z\u{E000}").await;
        util::eventually("the journal exactly as before the delete", limit, || async {
            (journal_rows(dir.path()) == before).then_some(())
        })
        .await;
        app.wait_for(&format!("#timeline [data-key={touch}]")).await;

        focus_entry(&app, "Send the Bernoulli notes").await;
        app.keys("e").await;
        app.type_into("#edit-follow-what", "Send the Bernoulli notes, annotated").await;
        // Esc asks before throwing the change away; saying no keeps it.
        app.keys("\u{E00C}").await;
        app.wait_for_text("dialog[role=alertdialog]", "Throw away what you changed?").await;
        app.click("dialog[role=alertdialog] .button:not(#confirm-yes)").await;
        app.wait_gone("dialog[role=alertdialog]").await;
        let kept = app.js("return document.getElementById('edit-follow-what').value").await;
        assert_eq!(kept, "Send the Bernoulli notes, annotated");
        // A date that cannot be read keeps the dialog open, saying why, with what was typed.
        app.type_into("#edit-follow-when", "someday").await;
        app.click("#form-save").await;
        app.wait_for_text(".form-dialog", "not a date Rapport can read").await;
        app.type_into("#edit-follow-when", "in 3 days").await;
        app.click("#form-save").await;
        app.wait_for_text("#toasts", "Follow-up saved").await;
        app.wait_for_text("#follow-ups", "Send the Bernoulli notes, annotated").await;
        let due = app.text("#follow-ups").await;
        let in_three = chrono::Local::now() + chrono::Duration::days(3);
        assert!(due.contains(&in_three.format("%-d").to_string()), "due in 3 days: {due}");
        app.stop().await;
    }
}

/// The id of the focused element.
async fn focus_id(app: &App) -> String {
    let id = app.js("return document.activeElement?.id ?? ''").await;
    id.as_str().unwrap_or_default().to_string()
}

/// Ada Lovelace's touches and follow-ups by text: (summaries, (promise, local due) pairs).
fn adas_log(dir: &std::path::Path) -> (Vec<String>, Vec<(String, String)>) {
    let j = rapport::Journal::open(dir.join(rapport::FILE_NAME)).unwrap();
    let ada = j.search("Ada Lovelace", 1).unwrap().clients[0].client_id;
    let page = j.timeline(ada, None, 50).unwrap();
    let mut touches = Vec::new();
    let mut promises = Vec::new();
    for entry in page.entries {
        match entry {
            rapport::TimelineEntry::Touch(t) => touches.push(t.summary),
            rapport::TimelineEntry::FollowUp(f) => promises.push((
                f.what,
                f.due_at
                    .with_timezone(&chrono::Local)
                    .format("%A %H:%M")
                    .to_string(),
            )),
            _ => {}
        }
    }
    (touches, promises)
}

e2e_test! {
    /// From Today, a call about an existing client with a one-line note and "next friday": Ctrl
    /// L, the first letters, Enter to pick, the note, Tab, the phrase, Enter. Four keys besides
    /// the text, the focus where the next key belongs after each, and typed in one burst it
    /// comes out the same.
    async fn a_call_with_a_follow_up_is_logged_in_four_keys_besides_the_text() {
        let (dir, app) = crate::util::seeded_app().await;
        app.wait_for("#needs").await;
        let limit = std::time::Duration::from_secs(15);
        let mut keys = 0;
        for (sent, is_key, focus) in [
            ("\u{E009}l\u{E000}", true, "log-client"),
            ("Ad", false, "log-client"),
            ("\u{E007}", true, "log-summary"),
            ("Quick catch-up on the engine", false, "log-summary"),
            ("\u{E004}", true, "log-follow-when"),
            ("next friday", false, "log-follow-when"),
        ] {
            app.type_fast(sent).await;
            keys += usize::from(is_key);
            util::eventually(format!("the focus in #{focus} after {sent:?}"), limit, || async {
                (focus_id(&app).await == focus).then_some(())
            })
            .await;
        }
        assert_eq!(app.js("return document.getElementById('log-client').value").await, "Ada Lovelace");
        app.wait_for_text("#log-follow-date", "→").await;
        app.screenshot("log-a-call").await;
        // In the smallest window the whole dialog is in view, Save included, with no scrolling.
        app.client.set_window_size(800, 600).await.unwrap();
        app.frames().await;
        app.screenshot("log-a-call-800x600").await;
        let fits = app
            .js(
                "const d = document.getElementById('log-dialog');
                 const save = document.getElementById('log-save').getBoundingClientRect();
                 return d.scrollHeight <= d.clientHeight + 1 && save.bottom <= innerHeight",
            )
            .await;
        assert_eq!(fits, true, "the log dialog does not fit 800x600");
        app.type_fast("\u{E007}").await;
        keys += 1;
        app.wait_for_text("#toasts", "Touch logged with Ada Lovelace").await;
        assert!(keys <= 4, "{keys} keys besides the text");
        let (touches, promises) = adas_log(dir.path());
        assert!(touches.contains(&"Quick catch-up on the engine".to_string()), "{touches:?}");
        let promised = ("Quick catch-up on the engine".to_string(), "Friday 09:00".to_string());
        assert!(promises.contains(&promised), "the summary is the promise: {promises:?}");

        // All of it at once, as fast as keys go: the same.
        app.js("document.activeElement?.blur()").await;
        app.type_fast("\u{E009}l\u{E000}Ad\u{E007}Second call\u{E004}next friday\u{E007}").await;
        app.wait_for_text("#toasts", "Touch logged with Ada Lovelace").await;
        util::eventually("the second call under Ada", limit, || async {
            adas_log(dir.path()).0.contains(&"Second call".to_string()).then_some(())
        })
        .await;

        // A touch that answers a promise closes it, ticked in the same dialog.
        app.js("document.activeElement?.blur()").await;
        app.type_fast("\u{E009}l\u{E000}Ad\u{E007}").await;
        app.click("#log-closing input[type=checkbox]").await;
        app.type_into("#log-summary", "Sent the Bernoulli notes").await;
        app.click("#log-save").await;
        app.wait_for_text("#toasts", "Touch logged with Ada Lovelace").await;
        util::eventually("the promise closed", limit, || async {
            let j = rapport::Journal::open(dir.path().join(rapport::FILE_NAME)).unwrap();
            let ada = j.search("Ada Lovelace", 1).unwrap().clients[0].client_id;
            let open = j.open_follow_ups(ada).unwrap();
            (!open.iter().any(|f| f.what == "Send the Bernoulli notes")).then_some(())
        })
        .await;
        app.stop().await;
    }
}

e2e_test! {
    /// A pillar is rated on the relationship card itself: a click on the third dot, then Right
    /// from the keyboard, the focus staying on the dots; Ctrl Z puts the last rating back.
    async fn pillars_are_rated_on_the_card_by_click_and_by_arrow_keys() {
        let (dir, app) = crate::util::seeded_app().await;
        app.open_client("Ada Lovelace").await;
        app.click("[data-pillar=trust] .dot:nth-child(3)").await;
        app.wait_for_text("#toasts", "Trust rated 3 of 5").await;
        app.wait_for_text("[data-pillar=trust]", "3 of 5").await;
        let limit = std::time::Duration::from_secs(15);
        let focus_on_trust = || async {
            let f = app.js("return document.activeElement?.closest('[data-pillar]')?.dataset.pillar ?? ''").await;
            (f == "trust").then_some(())
        };
        util::eventually("the focus on the trust dots", limit, focus_on_trust).await;
        app.keys("\u{E014}").await;
        app.wait_for_text("[data-pillar=trust]", "4 of 5").await;
        util::eventually("the focus still on the trust dots", limit, focus_on_trust).await;
        let j = rapport::Journal::open(dir.path().join(rapport::FILE_NAME)).unwrap();
        let ada = j.search("Ada Lovelace", 1).unwrap().clients[0].client_id;
        assert_eq!(j.client(ada).unwrap().pillars.trust, Some(4));
        drop(j);
        app.screenshot("pillars").await;
        app.js("document.activeElement?.blur()").await;
        app.keys("\u{E009}z\u{E000}").await;
        app.wait_for_text("[data-pillar=trust]", "3 of 5").await;
        app.stop().await;
    }
}

const DOWN: &str = "\u{E015}";
const UP: &str = "\u{E013}";
const TAB: &str = "\u{E004}";
const SHIFT_TAB: &str = "\u{E008}\u{E004}\u{E000}";
const DELETE: &str = "\u{E017}";
const CTRL_Z: &str = "\u{E009}z\u{E000}";

/// What has the focus, as a test names it: `#id`, or the kind of row (`need:relationship`,
/// `entry:touch`, `result`, `dot:compatibility`, `menuitem`) and its words; `BODY` if none.
async fn focus(app: &App) -> String {
    let script = "const a = document.activeElement;
        if (!a || a === document.body) return 'BODY';
        const words = (n) => (n.querySelector('.need-title, .entry-title, .result-title')
          ?? n).textContent.trim().replace(/\\s+/g, ' ').slice(0, 60);
        if (a.matches('.need')) return `need:${a.dataset.kind}:${words(a)}`;
        if (a.matches('.entry')) return `entry:${a.dataset.type}:${words(a)}`;
        if (a.matches('.result')) return `result:${words(a)}`;
        if (a.matches('.dot')) return `dot:${a.closest('[data-pillar]').dataset.pillar}`;
        if (a.getAttribute('role') === 'menuitem') return `menuitem:${words(a)}`;
        if (a.id) return `#${a.id}`;
        return `${a.tagName.toLowerCase()}:${words(a)}`;";
    app.js(script).await.as_str().unwrap().to_string()
}

/// Waits until the focus is where `wanted` says (a prefix of what [`focus`] names); returns it.
async fn focus_on(app: &App, wanted: &str) -> String {
    let last = std::cell::RefCell::new(String::new());
    let what = || format!("the focus on {wanted:?} (it is on {:?})", last.borrow());
    util::eventually(
        util::Lazy(&what),
        std::time::Duration::from_secs(15),
        || async {
            let now = focus(app).await;
            let found = now.starts_with(wanted).then(|| now.clone());
            *last.borrow_mut() = now;
            found
        },
    )
    .await
}

/// Presses `key` until the focus is on `wanted`, at most `most` times; every stop on the way
/// must be somewhere, never the page body.
async fn press_until(app: &App, key: &str, wanted: &str, most: usize) {
    for _ in 0..most {
        let now = focus(app).await;
        assert_ne!(
            now, "BODY",
            "on the way to {wanted:?} the focus fell to the page body"
        );
        if now.starts_with(wanted) {
            return;
        }
        app.type_fast(key).await;
    }
    panic!(
        "{wanted:?} not reached in {most} presses (the focus is on {:?})",
        focus(app).await
    );
}

e2e_test! {
    /// Every daily job by keyboard alone, the focus asserted after each key: on Today, move
    /// down, mark a follow-up done, undo it, snooze a relationship; search and open a client;
    /// log a call with a follow-up; move through the timeline, edit a touch, delete it and undo,
    /// mark its follow-up done and open it again; move the stage with a note and undo it; rate a
    /// pillar; archive and undo. The undos leave the journal exactly as it was.
    async fn a_keyboard_user_does_every_daily_job_without_the_mouse() within crate::util::TEST_TIMEOUT * 2; {
        let (dir, app) = crate::util::seeded_app().await;
        let rows = || journal_rows(dir.path());
        app.wait_for_text("#needs", "Send the Bernoulli notes").await;
        focus_on(&app, "#view").await;

        // Today: Down into the list, to the follow-up; D marks it done, Ctrl Z undoes it.
        app.type_fast(DOWN).await;
        focus_on(&app, "need:").await;
        press_until(&app, DOWN, "need:follow_up:Send the Bernoulli notes", 3).await;
        let before = rows();
        app.type_fast("d").await;
        app.wait_for_text("#toasts", "Follow-up done").await;
        focus_on(&app, "need:relationship:Ada Lovelace").await;
        app.type_fast(CTRL_Z).await;
        app.wait_for_text("#needs", "Send the Bernoulli notes").await;
        util::eventually("the journal as before the done", std::time::Duration::from_secs(15), || async {
            (rows() == before).then_some(())
        })
        .await;
        focus_on(&app, "need:").await;

        // S on the relationship: the menu takes the focus; Down to a week, Enter snoozes, and the
        // focus goes to the row that took its place.
        press_until(&app, UP, "need:relationship:Ada Lovelace", 3).await;
        app.type_fast("s").await;
        focus_on(&app, "menuitem:For a day").await;
        app.type_fast(DOWN).await;
        focus_on(&app, "menuitem:For a week").await;
        app.type_fast(crate::util::ENTER).await;
        app.wait_for_text("#toasts", "Snoozed until").await;
        focus_on(&app, "need:follow_up:Send the Bernoulli notes").await;

        // / and the name at once; Down into the results, Enter opens the client.
        app.type_fast("/grace").await;
        focus_on(&app, "#search-input").await;
        app.wait_for_text("#search-results", "Grace Hopper").await;
        app.type_fast(DOWN).await;
        focus_on(&app, "result:Grace Hopper").await;
        app.type_fast(crate::util::ENTER).await;
        app.wait_for_text("#client-name", "Grace Hopper").await;
        focus_on(&app, "#view").await;

        // L logs a call with her: the summary, Tab, the follow-up's date, Enter.
        app.type_fast("l").await;
        app.wait_for("#log-dialog[open]").await;
        focus_on(&app, "#log-summary").await;
        app.type_fast("Talked about compilers").await;
        app.type_fast(TAB).await;
        focus_on(&app, "#log-follow-when").await;
        app.type_fast("next friday").await;
        app.type_fast(crate::util::ENTER).await;
        app.wait_for_text("#toasts", "Touch logged with Grace Hopper").await;
        app.wait_for_text("#timeline", "Talked about compilers").await;

        // Down into the timeline, to the touch; E rewrites it, and the focus comes back to it.
        app.type_fast(DOWN).await;
        focus_on(&app, "entry:").await;
        press_until(&app, DOWN, "entry:touch:Talked about compilers", 4).await;
        app.type_fast("e").await;
        app.wait_for("#log-dialog[open]").await;
        focus_on(&app, "#log-summary").await;
        app.type_fast("\u{E009}a\u{E000}Talked about compilers and COBOL").await;
        app.type_fast(crate::util::ENTER).await;
        app.wait_for_text("#toasts", "Touch saved").await;
        focus_on(&app, "entry:touch:Talked about compilers and COBOL").await;

        // Delete, then Ctrl Z: the touch is back exactly; the focus is on an entry throughout.
        let before = rows();
        app.type_fast(DELETE).await;
        app.wait_for_text("#toasts", "Touch deleted").await;
        focus_on(&app, "entry:").await;
        app.type_fast(CTRL_Z).await;
        app.wait_for_text("#timeline", "Talked about compilers and COBOL").await;
        util::eventually("the journal as before the delete", std::time::Duration::from_secs(15), || async {
            (rows() == before).then_some(())
        })
        .await;
        focus_on(&app, "entry:").await;

        // D on the follow-up the call promised (what the summary first said): done, then open
        // again, the focus staying on it.
        let promise = "entry:follow_up:Talked about compilers";
        let above = app
            .js("const f = [...document.querySelectorAll('#timeline .entry[data-type=follow_up]')]
                   .find((e) => e.textContent.includes('Talked about compilers'));
                 return !!(f.compareDocumentPosition(document.activeElement)
                           & Node.DOCUMENT_POSITION_FOLLOWING)")
            .await;
        press_until(&app, if above == true { UP } else { DOWN }, promise, 6).await;
        app.type_fast("d").await;
        app.wait_for_text("#toasts", "Follow-up done").await;
        app.wait_for_text("#timeline", "Follow-up, done").await;
        focus_on(&app, promise).await;
        app.type_fast("d").await;
        app.wait_for_text("#toasts", "Follow-up open again").await;
        focus_on(&app, promise).await;

        // Back to the stage: Down moves it, a note says why, Enter confirms; Ctrl Z undoes it.
        let before = rows();
        press_until(&app, SHIFT_TAB, "#stage-select", 40).await;
        app.type_fast(UP).await;
        focus_on(&app, "#confirm-note").await;
        app.type_fast("a rival came in").await;
        app.type_fast(crate::util::ENTER).await;
        app.wait_for_text("#toasts", "Moved to Me first").await;
        focus_on(&app, "#stage-select").await;
        app.type_fast(CTRL_Z).await;
        util::eventually("the journal as before the stage move", std::time::Duration::from_secs(15), || async {
            (rows() == before).then_some(())
        })
        .await;
        // The page drawn anew says so: the stage she was at, the focus on its menu again.
        util::eventually("the stage menu back at Only me", std::time::Duration::from_secs(15), || async {
            let stage = app.js("return document.getElementById('stage-select')?.value").await;
            (stage == "only_me").then_some(())
        })
        .await;
        focus_on(&app, "#stage-select").await;

        // Tab to the pillars: Right rates compatibility, the focus staying on its dots.
        press_until(&app, TAB, "dot:compatibility", 3).await;
        app.type_fast("\u{E014}").await;
        app.wait_for_text("#toasts", "Compatibility rated 1 of 5").await;
        focus_on(&app, "dot:compatibility").await;

        // Archive, by Enter on its button; Ctrl Z brings her back; the focus stays on the button.
        press_until(&app, SHIFT_TAB, "#client-archive", 20).await;
        app.type_fast(crate::util::ENTER).await;
        app.wait_for_text("#toasts", "archived").await;
        app.wait_for_text("#client-archive", "Unarchive").await;
        focus_on(&app, "#client-archive").await;
        app.type_fast(CTRL_Z).await;
        util::eventually("the button to say Archive again", std::time::Duration::from_secs(15), || async {
            let words = app.js("return document.getElementById('client-archive')?.textContent").await;
            (words == "Archive").then_some(())
        })
        .await;
        focus_on(&app, "#client-archive").await;
        app.stop().await;
    }
}

e2e_test! {
    /// Two clients who are one person merge from the client page: the other's history comes
    /// over, the page says what moved, and its Undo (there until Rapport closes) leaves the
    /// journal exactly as it was.
    async fn two_clients_merge_from_the_client_page_and_the_merge_is_undone() {
        let (dir, app) = crate::util::seeded_app().await;
        let before = journal_rows(dir.path());
        app.open_client("Ada Lovelace").await;
        app.click("#client-merge").await;
        app.wait_for("#merge-who").await;
        app.type_into("#merge-who", "Grace Hopper").await;
        app.wait_for("#merge-matches option").await;
        app.click("#form-save").await;
        app.wait_for_text("#toasts", "Merged Grace Hopper into Ada Lovelace").await;
        app.wait_for_text("#timeline", "COBOL standards call").await;
        app.wait_for_text("#merges", "Grace Hopper").await;
        app.screenshot("merged").await;
        let journal = rapport::Journal::open(dir.path().join(rapport::FILE_NAME)).unwrap();
        assert_eq!(journal.counts().unwrap().clients, 1, "Grace is no client of her own");
        drop(journal);
        app.click("#merges [data-action=unmerge]").await;
        app.wait_for_text("#toasts", "a client of their own again").await;
        let limit = std::time::Duration::from_secs(15);
        util::eventually("the journal as before the merge", limit, || async {
            (journal_rows(dir.path()) == before).then_some(())
        })
        .await;
        app.wait_gone("#merges").await;
        app.stop().await;
    }
}
