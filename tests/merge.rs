//! Two clients who are one person, merged into one and, by the undo, apart again exactly.

use rapport::{ClientInput, Fact, Pillars, Stage};

use crate::util::{day, t0, TestJournal};

/// Ada twice: one from an import (email, phone, a fact, a tag) and one typed in (organisation,
/// a rating, a note, a touch, a follow-up, a stage move), with an introduction between them
/// and one to a third client.
fn two_adas() -> (TestJournal, i64, i64, i64) {
    let mut j = TestJournal::new();
    let typed = j
        .create_client(
            &ClientInput {
                name: "Ada Lovelace".into(),
                organisation: "Analytical Engines".into(),
                email: "ada@engines.example".into(),
                profile: "Likes poetry.".into(),
                tags: vec!["vip".into()],
                pillars: Pillars {
                    trust: Some(4),
                    ..Default::default()
                },
                ..Default::default()
            },
            Stage::MeToo,
            t0(),
        )
        .unwrap()
        .id;
    let imported = j
        .create_client(
            &ClientInput {
                name: "Augusta Ada King".into(),
                email: "ada@home.example".into(),
                phone: "+44 20 0000 0001".into(),
                facts: vec![Fact {
                    label: "Birthday".into(),
                    value: "1815-12-10".into(),
                }],
                tags: vec!["VIP".into(), "london".into()],
                pillars: Pillars {
                    knowledge: Some(3),
                    ..Default::default()
                },
                ..Default::default()
            },
            Stage::MeToo,
            t0(),
        )
        .unwrap()
        .id;
    let third = j.add("Charles Babbage", t0()).id;
    j.call(typed, day(2), "Engine review");
    j.call(imported, day(5), "Tea in London");
    j.jot(imported, day(6), "Her notes on Bernoulli numbers");
    j.promise(imported, "Send the translation", day(20), day(6));
    j.set_stage(imported, Stage::Foothold, day(7), "first order", day(7))
        .unwrap();
    j.add_introduction(third, imported, day(3), "at a soirée", day(3))
        .unwrap();
    j.add_introduction(typed, imported, day(4), "", day(4))
        .unwrap();
    (j, typed, imported, third)
}

#[test]
fn a_merge_gathers_both_histories_into_one_client_and_loses_nothing() {
    let (mut j, typed, imported, third) = two_adas();
    let merged = j.merge_clients(typed, imported, day(8)).unwrap();
    assert_eq!(merged.merged_name, "Augusta Ada King");
    assert_eq!(
        (
            merged.entries,
            merged.follow_ups,
            merged.stage_changes,
            merged.introductions
        ),
        (2, 1, 2, 1),
        "a touch and a note, the promise, her first stage and the move, Babbage's introduction"
    );
    assert!(j.client(imported).is_err_and(|e| e.kind() == "not_found"));
    let ada = j.client(typed).unwrap();
    assert_eq!(ada.name, "Ada Lovelace");
    assert_eq!(ada.organisation, "Analytical Engines");
    assert_eq!(ada.email, "ada@engines.example", "the kept client's own");
    assert_eq!(ada.phone, "+44 20 0000 0001", "filled from the other");
    assert_eq!(ada.pillars.trust, Some(4));
    assert_eq!(ada.pillars.knowledge, Some(3));
    assert_eq!(ada.tags, ["london", "vip"], "joined, case-blind");
    let has = |label: &str, value: &str| {
        ada.facts
            .iter()
            .any(|f| f.label == label && f.value == value)
    };
    assert!(has("Email", "ada@home.example"), "{:?}", ada.facts);
    assert!(has("Also known as", "Augusta Ada King"));
    assert!(has("Birthday", "1815-12-10"));
    assert_eq!(
        ada.stage,
        Stage::Foothold,
        "the latest move of both histories"
    );
    assert_eq!(ada.last_touch_at, Some(day(5)));
    let timeline = j.timeline(typed, None, 50).unwrap();
    assert_eq!(
        timeline.total, 7,
        "two touches, a note, a follow-up, each one's first stage and the move"
    );
    let intros = j.introductions(typed).unwrap();
    assert_eq!(intros.received.len(), 1);
    assert_eq!(intros.received[0].introducer_id, third);
    assert!(
        intros.made.is_empty(),
        "an introduction between the two is dropped"
    );
    j.assert_search_index_consistent();
    assert_eq!(
        j.search("Bernoulli", 10).unwrap().entries[0].client_id,
        typed
    );
}

#[test]
fn a_merge_undone_leaves_every_row_as_it_was() {
    let (mut j, typed, imported, _) = two_adas();
    let before = j.rows();
    let merged = j.merge_clients(typed, imported, day(8)).unwrap();
    assert_ne!(j.rows(), before);
    let ada = j.unmerge(&merged).unwrap();
    assert_eq!(ada.id, typed);
    assert_eq!(
        j.rows(),
        before,
        "every row of every table as before the merge"
    );
    j.assert_search_index_consistent();
    assert!(j
        .unmerge(&merged)
        .is_err_and(|e| e.to_string().contains("undone already")));
}

#[test]
fn a_client_is_not_merged_with_themselves_or_with_nobody() {
    let (mut j, typed, _, _) = two_adas();
    let before = j.rows();
    assert!(j
        .merge_clients(typed, typed, day(8))
        .is_err_and(|e| e.kind() == "invalid"));
    assert!(j
        .merge_clients(typed, 9_999, day(8))
        .is_err_and(|e| e.kind() == "not_found"));
    assert_eq!(j.rows(), before);
}
