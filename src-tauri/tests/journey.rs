//! A new user's first days: the welcome, logging a call, finding it, editing the profile, a
//! restart; and the sample journal, marked everywhere and removed in one action.

use chrono::Duration;

use crate::util::{data_dir, App, ENTER, TEST_TIMEOUT};

e2e_test! {
    /// A new user's first session, from an empty data folder: the welcome, a first call logged,
    /// found again, the profile edited, and all of it there after a restart.
    async fn a_new_user_logs_a_call_finds_it_edits_the_profile_and_it_survives_a_restart() within TEST_TIMEOUT * 2; {
        let dir = data_dir();
        let app = App::start(dir.path()).await;

        // A first run greets the user.
        app.wait_for_text("#welcome", "Welcome to Rapport").await;
        app.screenshot("welcome").await;

        // The shortcut opens the dialog from anywhere; Esc cancels it.
        app.open_log().await;
        app.close_log().await;

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
        app.open_client("Marie Curie").await;
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
    }
}

e2e_test! {
    async fn the_sample_journal_loads_marked_and_goes_in_one_action() {
        let dir = data_dir();
        let app = App::start(dir.path()).await;
        app.click("#welcome-sample").await;
        app.wait_for_text("#sample-banner", "sample journal").await;
        let needs = app
            .wait_for_text("#needs", "Send Lars the usage summary")
            .await;
        assert!(!needs.is_empty());
        app.screenshot("today-sample").await;
        app.open_client("Amara Okafor").await;
        app.wait_for_text("#timeline", "Quarterly review").await;
        // Record that Amara introduced the user to Tomás.
        app.type_into("#intro-who", "Tomás Oliveira").await;
        app.wait_for("#intro-matches option[value='Tomás Oliveira']")
            .await;
        app.click("#introductions button[type=submit]").await;
        app.wait_for_text("#introductions", "Introduced you to Tomás Oliveira")
            .await;
        // Recorded by mistake, deleted, and brought back by its Undo.
        app.click("#introductions .mini-list button[aria-label^='Delete']").await;
        app.wait_for_text("#toasts", "Introduction deleted").await;
        app.wait_for_text("#introductions", "0 made").await;
        app.click("#toasts .toast-undo").await;
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
    }
}

/// Opens the shortcuts overlay with `?`, as a user would, and returns what it lists.
async fn shortcuts_overlay(app: &App) -> String {
    app.keys("?").await;
    app.wait_for("#shortcuts-dialog[open]").await;
    app.text("#shortcuts-list").await
}

e2e_test! {
    /// The overlay is drawn from the one table of keys, so it names the keys that work in each
    /// place, the row keys of Today and a timeline's Home and End among them; `?` opens it and Esc
    /// closes it, in light and dark, at the smallest window size too.
    async fn the_shortcuts_overlay_lists_the_keys_of_every_place() {
        let dir = data_dir();
        crate::util::seed(dir.path());
        for theme in ["light", "dark"] {
            let env: &[(&str, &str)] = if theme == "dark" {
                &[("GTK_THEME", "Adwaita:dark")]
            } else {
                &[]
            };
            let app = App::start_with(dir.path(), env).await;
            let listed = shortcuts_overlay(&app).await;
            for wanted in [
                "Anywhere",
                "Ctrl L",
                "Log a touch",
                "Ctrl K",
                "In a list",
                "On a row of Today",
                "Snooze",
                "Mark a follow-up done",
                "In a client's timeline",
                "Home",
                "End",
                "Ctrl Enter",
                "Esc",
            ] {
                assert!(
                    listed.contains(wanted),
                    "{wanted:?} not in the overlay: {listed}"
                );
            }
            app.screenshot(&format!("shortcuts-{theme}-1280x800")).await;
            app.client.set_window_size(800, 600).await.unwrap();
            app.frames().await;
            app.screenshot(&format!("shortcuts-{theme}-800x600")).await;
            app.keys("\u{E00C}").await;
            app.wait_for("#shortcuts-dialog:not([open])").await;
            app.stop().await;
        }
    }
}

e2e_test! {
    /// Every global key of the table goes where the overlay says, by keyboard alone: the four
    /// views by number, search by `/` and Ctrl K, the log dialog by L and Ctrl L, closed by Esc.
    async fn the_global_keys_go_where_the_overlay_says() {
        let (_dir, app) = crate::util::seeded_app().await;
        let view = || async { app.js("return document.body.dataset.view").await };
        for (keys, wanted) in [
            ("2", "clients"),
            ("3", "search"),
            ("4", "settings"),
            ("1", "today"),
            ("/", "search"),
            ("1", "today"),
            ("\u{E009}k\u{E000}", "search"),
        ] {
            // Keys go to the page, not to a field the last view focused.
            app.js("document.activeElement?.blur()").await;
            app.keys(keys).await;
            let limit = std::time::Duration::from_secs(15);
            crate::util::eventually(format!("{keys:?} to open {wanted}"), limit, || async {
                (view().await == wanted).then_some(())
            })
            .await;
        }
        for keys in ["l", "\u{E009}l\u{E000}"] {
            app.js("document.activeElement?.blur()").await;
            app.keys(keys).await;
            app.wait_for("#log-dialog[open]").await;
            app.close_log().await;
        }
        app.stop().await;
    }
}
