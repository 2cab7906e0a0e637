//! Settings as the user changes them, and the user's data moved from there: backups taken,
//! listed and restored, exports saved, imports previewed and written.

use rapport::{Journal, Stage};

use crate::util::{self, data_dir, eventually, App, TEST_TIMEOUT};

/// Starts the app on a journal of some weeks' work, with a home folder of its own (so that login
/// items and exports are written there, not in the real one), and opens Settings. The folders
/// live as long as what is returned: the data folder, the home folder, the app.
async fn open_settings() -> (tempfile::TempDir, tempfile::TempDir, App) {
    let dir = data_dir();
    util::seed(dir.path());
    let home = data_dir();
    let app = App::start_with(dir.path(), &[("HOME", home.path().to_str().unwrap())]).await;
    app.click("a[data-nav=settings]").await;
    (dir, home, app)
}

e2e_test! {
    async fn settings_change_quiet_hours_and_stage_rhythms_and_keep_them() {
        let (dir, home, app) = open_settings().await;
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
        app.js("document.getElementById('quiet-start').value = '21:30';
                 document.getElementById('cadence-only_me').value = '45';").await;
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
        let app = App::start_with(dir.path(), &[("HOME", home.path().to_str().unwrap())]).await;
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
    }
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

e2e_test! {
    async fn backups_exports_and_imports_from_settings() within TEST_TIMEOUT * 2; {
        let (dir, home, app) = open_settings().await;

        // The daily backup was taken at start, checked, and is listed.
        let backups = dir.path().join(rapport::BACKUPS_DIR);
        let limit = std::time::Duration::from_secs(30);
        eventually("the daily backup soon after start", limit, || async {
            (!files_starting(&backups, "rapport-").is_empty()).then_some(())
        })
        .await;
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

        // A CSV with odd rows: the row with nothing that says who it is named with its line
        // and left out, saved as a file of its own; the malformed email left out with a
        // warning; the good rows imported.
        let odd = home.path().join("odd.csv");
        std::fs::write(
            &odd,
            "Name,Email,Notes\nKatherine Johnson,katherine@example.org,\n,,only a note\nDorothy Vaughan,not an email,\n",
        )
        .unwrap();
        app.choose_import(&odd).await;
        app.wait_for_text("#import-summary", "2 clients ready to import of 3 rows").await;
        let skipped = app.text("#import-skipped").await;
        assert!(skipped.contains("Line 3: no name, no organisation"), "{skipped}");
        let warnings = app.text("#import-warnings").await;
        assert!(warnings.contains("Line 4: email: \"not an email\" left out"), "{warnings}");
        app.screenshot("import-odd-rows").await;
        app.click("#import-save-skipped").await;
        let saved = app.wait_for_text("#toasts", "The skipped rows are saved in").await;
        let path = saved
            .split("saved in ")
            .nth(1)
            .and_then(|rest| rest.lines().next())
            .unwrap()
            .trim()
            .to_string();
        let rows = std::fs::read_to_string(&path).unwrap();
        assert!(rows.contains(rapport::WHY_COLUMN), "{rows}");
        assert!(rows.contains("only a note"), "{rows}");
        assert!(!rows.contains("Katherine"), "{rows}");
        assert_eq!(mode(std::path::Path::new(&path)), 0o600);
        app.click("#import-go").await;
        app.wait_for_text("#toasts", "Imported 2 clients; left out 1 row with nothing to go on")
            .await;
        app.wait_gone("#import-skipped").await;

        // LinkedIn's export, preamble and all: previewed with its columns mapped, then imported.
        let linkedin = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../tests/fixtures/linkedin_connections.csv")
            .canonicalize()
            .unwrap();
        app.choose_import(&linkedin).await;
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
        app.wait_for_text("#toasts", "Backed up and checked: 8 clients").await;
        app.wait_for_text("#backup-list", "8 clients").await;
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
        assert_eq!(before.counts().unwrap().clients, 8);
        let journal = dir.path().join(rapport::FILE_NAME);
        assert_eq!(mode(&journal), 0o600);
        assert_eq!(mode(&backups) & 0o077, 0, "backups folder private");
        for backup in files_starting(&backups, "rapport-") {
            assert_eq!(mode(&backup), 0o600, "{}", backup.display());
        }
    }
}

/// Chooses `value` in the select `css`, as a pick from its menu does.
async fn choose(app: &App, css: &str, value: &str) {
    app.wait_for(css).await;
    app.js(&format!(
        "const s = document.querySelector({css:?}); s.value = {value:?};
         s.dispatchEvent(new Event('change'));"
    ))
    .await;
}

e2e_test! {
    async fn an_address_book_in_another_encoding_or_delimiter_is_read_as_the_user_says() {
        let (_dir, _home, app) = open_settings().await;
        let corpus = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../tests/data/imports")
            .canonicalize()
            .unwrap();
        // Read in the page at once: the preview may be drawn anew between finding a menu and
        // asking it for its value.
        let selected = |css: &'static str| {
            let app = &app;
            async move {
                app.wait_for(css).await;
                let script = format!("return document.querySelector({css:?})?.value ?? ''");
                app.js(&script).await.as_str().unwrap_or_default().to_string()
            }
        };

        // A Russian Windows export: the code page detected and said, the names readable.
        app.choose_import(&corpus.join("russian_windows1251.csv")).await;
        app.wait_for_text("#import-mapping", "Иван").await;
        assert_eq!(selected("#import-encoding").await, "windows-1251");
        // Read as another Cyrillic code page on request: the same bytes, other letters.
        choose(&app, "#import-encoding", "KOI8-R").await;
        eventually("the file read again as KOI8-R", TEST_TIMEOUT, || async {
            (selected("#import-encoding").await == "KOI8-R").then_some(())
        })
        .await;
        let garbled = app.text("#import-preview").await;
        assert!(!garbled.contains("Иван"), "{garbled}");
        app.screenshot("import-encoding-wrong").await;
        choose(&app, "#import-encoding", "windows-1251").await;
        app.wait_for_text("#import-mapping", "Иван").await;
        app.screenshot("import-encoding").await;

        // A German Outlook export: semicolons sniffed; read with commas, it has no columns to
        // speak of; back with semicolons, it imports with its umlauts.
        app.choose_import(&corpus.join("outlook_de_semicolon.csv")).await;
        app.wait_for_text("#import-mapping", "Jürgen").await;
        assert_eq!(selected("#import-delimiter").await, ";");
        choose(&app, "#import-delimiter", ",").await;
        eventually("the file read again with commas", TEST_TIMEOUT, || async {
            (selected("#import-delimiter").await == ",").then_some(())
        })
        .await;
        let preview = app.text("#import-preview").await;
        assert!(!preview.contains("2 clients ready"), "{preview}");
        eprintln!("Outlook's German export read with commas:\n{preview}");
        choose(&app, "#import-delimiter", ";").await;
        app.wait_for_text("#import-summary", "2 clients ready to import").await;
        app.click("#import-go").await;
        app.wait_for_text("#toasts", "Imported 2 clients").await;
        app.keys("2").await;
        app.wait_for_text("main", "Jürgen Weiß").await;
        app.stop().await;
    }
}
