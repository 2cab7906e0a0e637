//! A client's timeline: every kind interleaved newest first, paged by cursor without gaps or
//! repeats.

use std::collections::HashSet;

use rapport::{Stage, TimelineEntry};

use crate::util::*;

fn kinds(entries: &[TimelineEntry]) -> Vec<&'static str> {
    entries
        .iter()
        .map(|e| match e {
            TimelineEntry::Touch(_) => "touch",
            TimelineEntry::Note(_) => "note",
            TimelineEntry::FollowUp(_) => "follow_up",
            TimelineEntry::StageChange(_) => "stage",
        })
        .collect()
}

#[test]
fn the_timeline_interleaves_every_kind_newest_first() {
    let mut j = TestJournal::new();
    let c = j.add("Timeline", t0());
    j.call(c.id, day(1), "first call");
    j.jot(c.id, day(2), "research");
    j.promise(c.id, "send deck", day(10), day(3));
    j.set_stage(c.id, Stage::Foothold, day(4), "won the pilot", day(4))
        .unwrap();
    j.call(c.id, day(5), "pilot review");
    // Someone else's history never shows here.
    let other = j.add("Other", t0());
    j.call(other.id, day(3), "not mine");

    let page = j.timeline(c.id, None, 50).unwrap();
    assert_eq!(
        kinds(&page.entries),
        vec!["touch", "stage", "follow_up", "note", "touch", "stage"]
    );
    assert_eq!(page.total, 6);
    assert_eq!(page.next, None);
    let dates: Vec<_> = page.entries.iter().map(|e| e.at()).collect();
    assert_eq!(dates, vec![day(5), day(4), day(3), day(2), day(1), t0()]);
}

#[test]
fn paging_by_cursor_visits_every_entry_once_in_order() {
    let mut j = TestJournal::new();
    let c = j.add("Busy", t0());
    // Many entries sharing the same second across sources, to test the tie-breaking.
    for i in 0..120 {
        let at = day(1) + hours(i / 4);
        j.call(c.id, at, &format!("touch {i}"));
        if i % 3 == 0 {
            j.jot(c.id, at, &format!("note {i}"));
            j.promise(c.id, &format!("follow-up {i}"), day(60), at);
        }
        if i % 10 == 0 {
            j.set_stage(c.id, Stage::ALL[(i / 10) as usize % 4], at, "", at)
                .unwrap();
        }
    }
    let whole = j.timeline(c.id, None, 500).unwrap();
    let expected_total: u64 = 1 + 120 + 40 + 40 + 12;
    assert_eq!(whole.total, expected_total);
    assert_eq!(whole.entries.len() as u64, expected_total);

    for page_size in [1, 7, 50] {
        let mut seen = Vec::new();
        let mut cursor = None;
        let mut pages = 0;
        loop {
            let page = j.timeline(c.id, cursor.as_deref(), page_size).unwrap();
            assert_eq!(page.total, expected_total);
            assert!(page.entries.len() <= page_size as usize);
            seen.extend(page.entries);
            pages += 1;
            match page.next {
                Some(next) => cursor = Some(next),
                None => break,
            }
        }
        assert_eq!(seen, whole.entries, "page size {page_size}");
        assert_eq!(pages, expected_total.div_ceil(page_size as u64));
        let unique: HashSet<String> = seen.iter().map(|e| format!("{e:?}")).collect();
        assert_eq!(unique.len(), seen.len());
    }
    // Newest first, throughout.
    let dates: Vec<_> = whole.entries.iter().map(|e| e.at()).collect();
    assert!(dates.windows(2).all(|w| w[0] >= w[1]));
}

#[test]
fn a_bad_cursor_or_unknown_client_is_a_clear_error() {
    let mut j = TestJournal::new();
    let c = j.add("C", t0());
    for cursor in ["", "abc", "1.2", "1.9.3", "1.2.3.4"] {
        let err = j.timeline(c.id, Some(cursor), 10).unwrap_err();
        assert!(err.to_string().starts_with("cursor:"), "{cursor:?}: {err}");
    }
    let err = j.timeline(9999, None, 10).unwrap_err();
    assert_eq!(err.to_string(), "no client with id 9999");
}
