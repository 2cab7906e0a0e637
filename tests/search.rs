//! Full-text search: ranked, highlighted, case- and accent-blind, prefix as you type, and kept in
//! step with every edit and delete.

use rapport::{ClientInput, Fact, Segment, TouchInput};

use crate::util::*;

fn hit_words(snippet: &[Segment]) -> Vec<String> {
    snippet
        .iter()
        .filter(|s| s.hit)
        .map(|s| s.text.to_lowercase())
        .collect()
}

/// The lunch with Max Weber, as first logged and as edited.
fn lunch(client_id: i64, body: &str) -> TouchInput {
    TouchInput {
        client_id,
        at: Some(day(1)),
        summary: "Protestant ethic lunch".into(),
        body: body.into(),
        ..Default::default()
    }
}

fn setup() -> (TestJournal, i64, i64) {
    let mut j = TestJournal::new();
    let emile = j
        .create_client(
            &ClientInput {
                name: "Émile Durkheim".into(),
                organisation: "Sorbonne Sociology".into(),
                profile: "Cares about social cohesion and anomie.".into(),
                facts: vec![Fact {
                    label: "hobby".into(),
                    value: "fencing".into(),
                }],
                tags: vec!["academia".into()],
                ..Default::default()
            },
            rapport::Stage::MeToo,
            t0(),
        )
        .unwrap();
    let other = j
        .create_client(
            &ClientInput {
                name: "Max Weber".into(),
                profile: "Talked about Durkheim's rivalry at length.".into(),
                ..Default::default()
            },
            rapport::Stage::MeToo,
            t0(),
        )
        .unwrap();
    j.log_touch(
        &lunch(
            other.id,
            "He wants a proposal on bureaucracy consulting before the summer.",
        ),
        day(1),
    )
    .unwrap();
    j.jot(
        emile.id,
        day(2),
        "Read his study of suicide rates; ask about the Café Procope seminar.",
    );
    (j, emile.id, other.id)
}

#[test]
fn finds_clients_by_every_profile_field_accent_and_case_blind() {
    let (j, emile, _) = setup();
    for typed in [
        "emile", "ÉMILE", "durk", "sorbonne", "cohesion", "fencing", "academia", "Emi Dur",
    ] {
        let hits = j.search(typed, 10).unwrap();
        assert!(
            hits.clients.iter().any(|h| h.client_id == emile),
            "{typed:?} should find Émile: {hits:?}"
        );
    }
    assert!(j
        .search("nothing-like-this", 10)
        .unwrap()
        .clients
        .is_empty());
}

#[test]
fn a_name_match_ranks_above_a_mention_in_someone_elses_profile() {
    let (j, emile, other) = setup();
    let hits = j.search("durkheim", 10).unwrap();
    let order: Vec<_> = hits.clients.iter().map(|h| h.client_id).collect();
    assert_eq!(order, vec![emile, other]);
}

#[test]
fn finds_touch_and_note_text_with_highlighted_snippets() {
    let (j, emile, other) = setup();
    let hits = j.search("bureaucra", 10).unwrap();
    assert_eq!(hits.entries.len(), 1);
    let hit = &hits.entries[0];
    assert_eq!(hit.client_id, other);
    assert_eq!(hit.client_name, "Max Weber");
    assert_eq!(hit.kind, Some(rapport::TouchKind::Call));
    assert_eq!(hit.summary, "Protestant ethic lunch");
    assert_eq!(hit.at, day(1));
    assert_eq!(hit_words(&hit.snippet), vec!["bureaucracy"]);
    let text: String = hit.snippet.iter().map(|s| s.text.as_str()).collect();
    assert!(
        text.contains("proposal on bureaucracy consulting"),
        "{text}"
    );

    let notes = j.search("cafe procope", 10).unwrap();
    assert_eq!(notes.entries.len(), 1);
    assert_eq!(notes.entries[0].kind, None, "a note");
    assert_eq!(notes.entries[0].client_id, emile);
    assert_eq!(
        hit_words(&notes.entries[0].snippet),
        vec!["café", "procope"]
    );
}

#[test]
fn typed_punctuation_and_operators_are_never_a_syntax_error() {
    let (j, _, _) = setup();
    for typed in [
        "", "   ", "\"", "AND", "OR NOT", "(*)", "NEAR(", "col:val", "-x", "^", "💼",
    ] {
        j.search(typed, 10)
            .unwrap_or_else(|e| panic!("{typed:?} failed: {e}"));
    }
    assert_eq!(rapport::fts_query("  "), None);
    assert_eq!(
        rapport::fts_query("O'Brien AND co"),
        Some("\"O\"* \"Brien\"* \"AND\"* \"co\"*".to_string())
    );
}

#[test]
fn edits_and_deletes_keep_the_index_in_step() {
    let (mut j, emile, other) = setup();
    let touch_id = j.search("bureaucracy", 10).unwrap().entries[0].entry_id;
    j.update_touch(
        touch_id,
        &lunch(other, "He wants a proposal on charisma."),
        day(3),
    )
    .unwrap();
    assert!(j.search("bureaucracy", 10).unwrap().entries.is_empty());
    assert_eq!(j.search("charisma", 10).unwrap().entries.len(), 1);

    let mut edit = j
        .client(emile)
        .map(|c| ClientInput {
            name: c.name,
            organisation: "Collège de France".into(),
            facts: vec![],
            tags: vec!["lecturer".into()],
            ..Default::default()
        })
        .unwrap();
    j.update_client(emile, &edit, day(3)).unwrap();
    assert!(j.search("sorbonne", 10).unwrap().clients.is_empty());
    assert!(
        j.search("fencing", 10).unwrap().clients.is_empty(),
        "old fact gone"
    );
    assert!(
        j.search("academia", 10).unwrap().clients.is_empty(),
        "old tag gone"
    );
    assert_eq!(j.search("college", 10).unwrap().clients.len(), 1);
    assert_eq!(j.search("lecturer", 10).unwrap().clients.len(), 1);
    edit.name = "E. Durkheim".into();
    j.update_client(emile, &edit, day(4)).unwrap();
    assert_eq!(j.search("emile", 10).unwrap().clients.len(), 0);

    j.delete_touch(touch_id).unwrap();
    assert!(j.search("charisma", 10).unwrap().entries.is_empty());
    j.delete_client(emile).unwrap();
    assert!(j.search("procope", 10).unwrap().entries.is_empty());
    assert!(j.search("college", 10).unwrap().clients.is_empty());
    j.assert_search_index_consistent();
}

#[test]
fn search_within_one_client_sees_only_their_entries() {
    let (mut j, emile, other) = setup();
    j.call(emile, day(3), "proposal for a seminar");
    let mine = j.search_client(emile, "proposal", 10).unwrap();
    assert_eq!(mine.len(), 1);
    assert_eq!(mine[0].client_id, emile);
    assert_eq!(j.search_client(other, "proposal", 10).unwrap().len(), 1);
    assert_eq!(j.search("proposal", 10).unwrap().entries.len(), 2);
    assert!(j.search_client(emile, "", 10).unwrap().is_empty());
    assert_eq!(
        j.search_client(999, "x", 10).unwrap_err().kind(),
        "not_found"
    );
}

#[test]
fn archived_clients_are_still_found_and_marked() {
    let (mut j, emile, _) = setup();
    j.archive_client(emile, day(5)).unwrap();
    let hits = j.search("emile", 10).unwrap();
    assert!(hits.clients[0].archived);
}

/// Saves leave the index's merging to `tidy`, which the app runs in the background: it
/// finds work after many saves, does it in bounded steps, leaves every answer as it was, and
/// the index smaller and sound.
#[test]
fn tidying_the_index_after_many_saves_changes_no_answer() {
    let mut j = TestJournal::new();
    let ada = j.add("Ada Lovelace", t0());
    let words = [
        "engine",
        "bernoulli",
        "numbers",
        "loom",
        "poetry",
        "analysis",
    ];
    let mut with_engine = 0;
    for i in 0..240 {
        let summary = format!("{} and {} #{i}", words[i % 6], words[(i / 6) % 6]);
        with_engine += usize::from(summary.contains("engine"));
        j.call(ada.id, t0() + chrono::Duration::minutes(i as i64), &summary);
    }
    let answers = |j: &TestJournal| -> Vec<Vec<i64>> {
        [
            "engine",
            "bern",
            "num",
            "loom poetry",
            "analysis engine",
            "an",
        ]
        .iter()
        .map(|q| {
            j.search(q, 500)
                .unwrap()
                .entries
                .iter()
                .map(|e| e.entry_id)
                .collect()
        })
        .collect()
    };
    let before = answers(&j);
    assert_eq!(
        before[0].len(),
        with_engine,
        "every save is found, merged or not"
    );
    let pages = |j: &TestJournal| -> i64 {
        j.raw()
            .query_row("SELECT count(*) FROM entry_fts_data", [], |r| r.get(0))
            .unwrap()
    };
    let pages_before = pages(&j);

    assert!(j.tidy(16).unwrap(), "240 saves left merging to do");
    let mut steps = 1;
    while j.tidy(16).unwrap() {
        steps += 1;
        assert!(steps < 1000, "tidying never finished");
    }
    assert!(!j.tidy(16).unwrap(), "nothing left once done");
    assert_eq!(answers(&j), before);
    assert!(
        pages(&j) < pages_before,
        "merged: {} index rows, from {pages_before}",
        pages(&j)
    );
    j.assert_search_index_consistent();
}

/// The write-ahead log's frames, and how many of them are already copied into the journal file,
/// from the header of its shared-memory index (`-shm`), as SQLite lays it out.
fn log_frames(path: &std::path::Path) -> (u32, u32) {
    let shm = std::fs::read(format!("{}-shm", path.display())).unwrap();
    let word = |at: usize| u32::from_ne_bytes(shm[at..at + 4].try_into().unwrap());
    (word(16), word(96))
}

/// Saves do not stop to copy the log into the journal file; tidying does.
#[test]
fn tidying_copies_the_log_into_the_journal_file() {
    let mut j = TestJournal::new();
    let ada = j.add("Ada Lovelace", t0());
    for i in 0..120 {
        j.call(ada.id, t0() + chrono::Duration::minutes(i), "Engine review");
    }
    let (frames, copied) = log_frames(&j.path);
    assert!(frames > 1_000, "120 saves wrote {frames} frames to the log");
    assert!(
        copied < frames,
        "a save copied the log: {copied} of {frames}"
    );
    while j.tidy(64).unwrap() {}
    let (frames, copied) = log_frames(&j.path);
    assert_eq!(copied, frames, "all of the log is in the journal file");
    j.reopen();
    assert_eq!(j.search("engine", 500).unwrap().entries.len(), 120);
}

/// Touches entered after the fact (a call logged a week late, an old history typed in) are
/// found in the order they happened, newest first, not in the order they were written; in the
/// whole journal and within one client.
#[test]
fn entries_found_are_listed_newest_by_date_not_as_written() {
    let mut j = TestJournal::new();
    let ada = j.add("Ada Lovelace", t0()).id;
    let grace = j.add("Grace Hopper", t0()).id;
    for (who, at, summary) in [
        (ada, day(10), "engine review, tenth"),
        (grace, day(2), "engine tour, second"),
        (ada, day(30), "engine demo, thirtieth"),
        (ada, day(5), "engine notes, fifth"),
    ] {
        j.call(who, at, summary);
    }
    let order = |hits: Vec<rapport::EntryHit>| -> Vec<i64> {
        hits.iter().map(|h| h.at.timestamp()).collect()
    };
    let dates = |days: &[i64]| -> Vec<i64> { days.iter().map(|d| day(*d).timestamp()).collect() };
    assert_eq!(
        order(j.search("engine", 10).unwrap().entries),
        dates(&[30, 10, 5, 2])
    );
    assert_eq!(
        order(j.search("engine", 2).unwrap().entries),
        dates(&[30, 10]),
        "a page is the newest by date"
    );
    assert_eq!(
        order(j.search_client(ada, "engine", 10).unwrap()),
        dates(&[30, 10, 5])
    );
}

/// A word in more entries than the window is still answered quickly: the page is the newest by
/// date among the most recently written matches.
#[test]
fn a_word_in_more_entries_than_the_window_pages_the_newest_written_by_date() {
    let mut j = TestJournal::new();
    let ada = j.add("Ada Lovelace", t0()).id;
    // One old touch written first, then a window's worth written later but dated earlier.
    j.call(ada, day(900), "loom first written");
    for n in 0..rapport::SEARCH_WINDOW as i64 {
        j.call(ada, day(100) + chrono::Duration::minutes(n), "loom again");
    }
    let hits = j.search("loom", 3).unwrap().entries;
    assert_eq!(hits.len(), 3);
    assert!(
        hits.iter().all(|h| h.summary == "loom again"),
        "beyond the window, the written-first touch is not looked at"
    );
    assert!(
        hits.windows(2).all(|w| w[0].at >= w[1].at),
        "newest by date first"
    );
    // Within one client every match is ordered: the first written, newest by date, leads.
    assert_eq!(
        j.search_client(ada, "loom", 3).unwrap()[0].summary,
        "loom first written"
    );
}
