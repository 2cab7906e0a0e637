//! The sample journal: loaded on a first run, clearly marked, removed in one action without
//! touching the user's own clients.

use rapport::{Archived, ClientFilter};

use crate::util::*;

#[test]
fn the_sample_loads_marked_and_removes_without_touching_real_clients() {
    let mut j = TestJournal::new();
    assert!(j.is_empty().unwrap());
    let mine = j.add("My Own Client", t0());
    j.call(mine.id, day(1), "a real call about sailing");
    assert!(!j.is_empty().unwrap());
    assert!(!j.has_sample().unwrap());

    j.load_sample(day(2)).unwrap();
    assert!(j.has_sample().unwrap());
    let all = j
        .list_clients(
            &ClientFilter {
                archived: Archived::All,
                ..Default::default()
            },
            day(2),
        )
        .unwrap();
    let sample: Vec<_> = all.rows.iter().filter(|r| r.sample).collect();
    assert_eq!(sample.len(), 6);
    assert_eq!(all.total, 7);
    // It shows Rapport at work: someone overdue, a follow-up due, an introduction, history.
    let needs = j.who_needs_me(day(2), 50).unwrap();
    assert!(
        needs.overdue_total >= 1 && needs.follow_ups_total >= 1,
        "{needs:?}"
    );
    assert!(!j.search("benchmark", 10).unwrap().entries.is_empty());
    assert_eq!(
        j.load_sample(day(2)).unwrap_err().to_string(),
        "sample: the sample journal is already loaded"
    );

    assert_eq!(j.remove_sample().unwrap(), 6);
    assert!(!j.has_sample().unwrap());
    let left = j.list_clients(&ClientFilter::default(), day(2)).unwrap();
    assert_eq!(
        left.rows.iter().map(|r| r.id).collect::<Vec<_>>(),
        vec![mine.id]
    );
    assert!(j.search("benchmark", 10).unwrap().entries.is_empty());
    assert_eq!(
        j.search("sailing", 10).unwrap().entries.len(),
        1,
        "the user's own touch stays"
    );
    let counts = j.counts();
    let count = |t: &str| counts.iter().find(|(n, _)| n == t).unwrap().1;
    assert_eq!(count("follow_up") + count("introduction"), 0);
    assert_eq!(count("entry"), 1);
    j.assert_search_index_consistent();
}

#[test]
fn the_overview_gathers_what_the_client_page_shows() {
    let mut j = TestJournal::new();
    j.load_sample(t0()).unwrap();
    let sofia = j.search("Sofia", 5).unwrap().clients[0].client_id;
    let o = j.client_overview(sofia, t0()).unwrap();
    assert_eq!(o.client.name, "Sofia Marín");
    assert_eq!(o.client.stage, rapport::Stage::MeFirst);
    assert_eq!(o.stage_history.len(), 2);
    assert_eq!(o.introductions.made.len(), 1);
    assert_eq!(o.introductions.made[0].introduced_name, "Daniel Cho");
    assert_eq!(o.touches, 2);
    assert_eq!(o.days_since_touch, Some(26));
    let daniel = o.introductions.made[0].introduced_id;
    let d = j.client_overview(daniel, t0()).unwrap();
    assert_eq!((d.touches, d.notes, d.gave, d.asked), (1, 1, 1, 0));
    assert_eq!(d.introductions.received[0].introducer_name, "Sofia Marín");
    let lars = j.search("Lars", 5).unwrap().clients[0].client_id;
    let l = j.client_overview(lars, t0()).unwrap();
    assert_eq!(l.open_follow_ups.len(), 1);
    assert!(
        l.open_follow_ups[0].touch_id.is_some(),
        "born in the touch that promised it"
    );
    assert_eq!(
        j.client_overview(999, t0()).unwrap_err().kind(),
        "not_found"
    );
}
