//! Helpers shared by the integration tests.

use std::path::PathBuf;

use chrono::{DateTime, Duration, TimeZone, Utc};
use rapport::{
    Client, ClientInput, FollowUpInput, Journal, NoteInput, Stage, TouchInput, TouchKind,
};
use tempfile::TempDir;

/// A journal in a temporary folder of its own, removed when dropped.
pub struct TestJournal {
    pub journal: Journal,
    pub path: PathBuf,
    _dir: TempDir,
}

impl std::ops::Deref for TestJournal {
    type Target = Journal;
    fn deref(&self) -> &Journal {
        &self.journal
    }
}

impl std::ops::DerefMut for TestJournal {
    fn deref_mut(&mut self) -> &mut Journal {
        &mut self.journal
    }
}

impl TestJournal {
    pub fn new() -> TestJournal {
        let dir = tempfile::tempdir().expect("temporary folder");
        let path = dir.path().join(rapport::FILE_NAME);
        let journal = Journal::open(&path).expect("open a new journal");
        TestJournal {
            journal,
            path,
            _dir: dir,
        }
    }

    /// Closes and opens the journal again, as a restart would.
    pub fn reopen(&mut self) {
        let placeholder = Journal::open_in_memory().unwrap();
        drop(std::mem::replace(&mut self.journal, placeholder));
        self.journal = Journal::open(&self.path).expect("reopen the journal");
    }

    /// A second, plain connection to the same file, to look at what was really written.
    pub fn raw(&self) -> rusqlite::Connection {
        rusqlite::Connection::open(&self.path).unwrap()
    }

    /// Row counts of every table, to prove a refused write left nothing behind.
    pub fn counts(&self) -> Vec<(String, i64)> {
        let conn = self.raw();
        rapport_testkit::JOURNAL_TABLES
            .iter()
            .map(|t| {
                let n: i64 = conn
                    .query_row(&format!("SELECT count(*) FROM {t}"), [], |r| r.get(0))
                    .unwrap();
                (t.to_string(), n)
            })
            .collect()
    }

    /// Every row of the journal's tables, as text, sorted: what "exactly as it was" compares.
    pub fn rows(&self) -> Vec<String> {
        rapport_testkit::journal_rows(&self.path)
    }

    /// Both full-text indexes agree with their tables.
    pub fn assert_search_index_consistent(&self) {
        assert_search_index_consistent(&self.path);
    }

    /// A client at stage *me too* with a rhythm of their own, `cadence` days.
    pub fn add_with_cadence(&mut self, name: &str, cadence: u32, now: DateTime<Utc>) -> Client {
        let input = ClientInput {
            cadence_days: Some(cadence),
            ..named(name)
        };
        self.journal
            .create_client(&input, Stage::MeToo, now)
            .expect("create client")
    }

    pub fn add(&mut self, name: &str, now: DateTime<Utc>) -> Client {
        self.journal
            .create_client(&named(name), Stage::MeToo, now)
            .expect("create client")
    }

    pub fn call(&mut self, client_id: i64, at: DateTime<Utc>, summary: &str) -> rapport::Touch {
        self.journal
            .log_touch(
                &TouchInput {
                    client_id,
                    kind: TouchKind::Call,
                    at: Some(at),
                    summary: summary.into(),
                    ..Default::default()
                },
                at,
            )
            .expect("log touch")
            .touch
    }

    /// A note about `client_id`, written at `at`.
    pub fn jot(&mut self, client_id: i64, at: DateTime<Utc>, body: &str) -> rapport::Note {
        let note = NoteInput {
            client_id,
            at: Some(at),
            body: body.into(),
            ..Default::default()
        };
        self.journal.add_note(&note, at).expect("add note")
    }

    /// A standalone follow-up for `client_id`, due at `due`, promised at `now`.
    pub fn promise(
        &mut self,
        client_id: i64,
        what: &str,
        due: DateTime<Utc>,
        now: DateTime<Utc>,
    ) -> rapport::FollowUp {
        let follow_up = FollowUpInput {
            client_id,
            what: what.into(),
            due_at: Some(due),
            ..Default::default()
        };
        self.journal
            .add_follow_up(&follow_up, now)
            .expect("add follow-up")
    }
}

pub fn named(name: &str) -> ClientInput {
    ClientInput {
        name: name.into(),
        ..Default::default()
    }
}

/// A fixed starting moment: Monday 2 March 2026, 09:00 UTC.
pub fn t0() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 3, 2, 9, 0, 0).unwrap()
}

/// `days` after [`t0`] (fractions allowed through hours).
pub fn day(days: i64) -> DateTime<Utc> {
    t0() + Duration::days(days)
}

pub fn hours(h: i64) -> Duration {
    Duration::hours(h)
}

/// Both full-text indexes of the journal at `path` agree with their tables.
pub fn assert_search_index_consistent(path: &std::path::Path) {
    rusqlite::Connection::open(path)
        .unwrap()
        .execute_batch(
            "INSERT INTO client_fts (client_fts, rank) VALUES ('integrity-check', 1);
             INSERT INTO entry_fts (entry_fts, rank) VALUES ('integrity-check', 1);",
        )
        .expect("full-text indexes match their tables");
    // The client index reads the profile's facts and tags from copies in the client row, which
    // the code writing them keeps in step: the copies must say what the fact and tag rows say.
    let conn = rusqlite::Connection::open(path).unwrap();
    let mut stmt = conn
        .prepare(
            "SELECT c.id, c.facts_text,
                    coalesce((SELECT group_concat(label || ': ' || value, char(10)) FROM
                        (SELECT label, value FROM client_fact WHERE client_id = c.id
                         ORDER BY position)), ''),
                    c.tags_text,
                    coalesce((SELECT group_concat(tag, ' ') FROM
                        (SELECT tag FROM client_tag WHERE client_id = c.id ORDER BY tag)), '')
             FROM client c",
        )
        .unwrap();
    let rows = stmt
        .query_map([], |r| {
            Ok((
                r.get::<_, i64>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, String>(2)?,
                r.get::<_, String>(3)?,
                r.get::<_, String>(4)?,
            ))
        })
        .unwrap();
    for row in rows {
        let (id, facts_text, facts, tags_text, tags) = row.unwrap();
        assert_eq!(facts_text, facts, "client {id}: indexed facts");
        let words = |text: &str| {
            let mut words: Vec<String> = text.split_whitespace().map(String::from).collect();
            words.sort_unstable();
            words
        };
        assert_eq!(words(&tags_text), words(&tags), "client {id}: indexed tags");
    }
}

/// Reading a file as Rapport guesses it: the encoding detected, the delimiter sniffed, the
/// columns mapped by their headers.
pub fn no_options() -> rapport::ImportOptions {
    rapport::ImportOptions::default()
}
