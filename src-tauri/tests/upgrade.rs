//! A journal from an older version of Rapport, upgraded as the app opens it: the window says
//! what is happening instead of staying blank, and then everything is there.

use std::time::Instant;

use chrono::Utc;
use rapport::Journal;
use rapport_testkit::{generate, GenerateOptions};

use crate::util::{data_dir, e2e, App};

/// Enough touches that rebuilding the search index takes seconds, not milliseconds, so the
/// window is seen while the upgrade runs.
const TOUCHES: u32 = 60_000;

/// Turns a current journal back into one of schema version 4, as Rapport before the 4-letter
/// prefix index left it. Version 5 only replaced the touch and note index (and rebuilds it from
/// the entries, never reading the old one), so the old index is made again empty.
fn make_version_4(path: &std::path::Path) {
    let conn = rusqlite::Connection::open(path).unwrap();
    conn.execute_batch(
        "DROP TABLE entry_fts;
         CREATE VIRTUAL TABLE entry_fts USING fts5 (
             summary, body,
             content = 'entry', content_rowid = 'id',
             tokenize = 'unicode61 remove_diacritics 2', prefix = '1 2 3'
         );
         PRAGMA user_version = 4;",
    )
    .unwrap();
}

#[tokio::test(flavor = "multi_thread")]
async fn an_older_journal_is_upgraded_while_the_window_says_so() {
    // Generating the older journal is part of the turn: it would slow another test's app.
    e2e(std::time::Duration::from_secs(420), async {
        let dir = data_dir();
        let path = dir.path().join(rapport::FILE_NAME);
        let options = GenerateOptions {
            clients: 300,
            organisations: 40,
            touches: TOUCHES,
            years: 3,
            seed: 7,
            now: Utc::now(),
        };
        let mut journal = Journal::open(&path).unwrap();
        generate(&mut journal, &options).unwrap();
        let newest = journal
            .search("meet", 1)
            .unwrap()
            .entries
            .first()
            .map(|e| e.entry_id)
            .expect("the generated journal mentions meetings");
        drop(journal);
        let meetings = || -> i64 {
            rusqlite::Connection::open(&path)
                .unwrap()
                .query_row(
                    "SELECT count(*) FROM entry_fts WHERE entry_fts MATCH '\"meet\"*'",
                    [],
                    |r| r.get(0),
                )
                .unwrap()
        };
        let found_before = meetings();
        make_version_4(&path);
        assert!(Journal::needs_upgrade(&path));

        {
            let started = Instant::now();
            let app = App::start(dir.path()).await;
            let shown = app
                .wait_for_text("#journal-opening", "Updating your journal")
                .await;
            assert!(shown.contains("Nothing you wrote is changed"), "{shown}");
            app.screenshot("upgrading").await;

            // Then Today, drawn from the upgraded journal, and search through the new index.
            app.wait_for_text_within("#needs-title", "Who needs you", 240)
                .await;
            eprintln!(
                "upgraded and shown in {:.1} s",
                started.elapsed().as_secs_f64()
            );
            let opening = app.wait_for("#journal-opening").await;
            assert!(!opening.is_displayed().await.unwrap(), "the notice is gone");
            app.js("location.hash = '#/search'").await;
            app.type_into("#search-input", "meet").await;
            app.wait_for(&format!("#search-results [data-entry-id=\"{newest}\"]"))
                .await;
            app.stop().await;
        }

        let journal = Journal::open(&path).unwrap();
        assert_eq!(journal.schema_version().unwrap(), rapport::SCHEMA_VERSION);
        drop(journal);
        assert_eq!(
            meetings(),
            found_before,
            "every entry is in the rebuilt index"
        );
        rusqlite::Connection::open(&path)
            .unwrap()
            .execute(
                "INSERT INTO entry_fts (entry_fts) VALUES ('integrity-check')",
                [],
            )
            .expect("the rebuilt index agrees with the entries");
    })
    .await;
}
