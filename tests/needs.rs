//! "Who needs me": overdue relationships and due follow-ups, most urgent first.

use rapport::{ClientInput, Need, NoteInput, Stage};

use crate::util::*;

fn names(needs: &rapport::Needs) -> Vec<String> {
    needs
        .items
        .iter()
        .map(|n| match n {
            Need::Relationship(r) => format!("overdue {}", r.name),
            Need::FollowUp(f) => format!("follow-up {}: {}", f.name, f.follow_up.what),
        })
        .collect()
}

#[test]
fn overdue_relationships_and_due_follow_ups_most_urgent_first() {
    let mut j = TestJournal::new();
    let weekly = ClientInput {
        name: "Weekly".into(),
        cadence_days: Some(7),
        ..Default::default()
    };
    let weekly = j.create_client(&weekly, Stage::MeToo, t0()).unwrap();
    let monthly = j.add("Monthly", t0());
    let fine = j.add("Fine", t0());
    j.call(weekly.id, day(1), "w");
    j.call(monthly.id, day(2), "m");
    j.call(fine.id, day(39), "f");
    j.promise(fine.id, "send contract", day(20), day(1));
    j.promise(fine.id, "not yet", day(41), day(1));

    let now = day(40);
    let needs = j.who_needs_me(now, 50).unwrap();
    assert_eq!(
        names(&needs),
        vec![
            "overdue Weekly",                // due day 8
            "follow-up Fine: send contract", // due day 20
            "overdue Monthly",               // due day 32
        ]
    );
    assert_eq!((needs.overdue_total, needs.follow_ups_total), (2, 1));
    match &needs.items[0] {
        Need::Relationship(r) => {
            assert_eq!(r.cadence, 7, "the usual rhythm");
            assert_eq!(r.days_since, 39);
            assert_eq!(r.days_overdue, 32);
            assert_eq!(r.last_touch_at, Some(day(1)));
        }
        other => panic!("{other:?}"),
    }
    match &needs.items[1] {
        Need::FollowUp(f) => assert_eq!(f.days_overdue, 20),
        other => panic!("{other:?}"),
    }
    // The limit keeps the most urgent and still counts them all.
    let top = j.who_needs_me(now, 1).unwrap();
    assert_eq!(names(&top), vec!["overdue Weekly"]);
    assert_eq!((top.overdue_total, top.follow_ups_total), (2, 1));
}

#[test]
fn a_never_touched_client_is_overdue_a_cadence_after_being_added() {
    let mut j = TestJournal::new();
    let c = j.add("New", t0());
    assert!(j.who_needs_me(day(29), 10).unwrap().items.is_empty());
    let needs = j.who_needs_me(day(31), 10).unwrap();
    match &needs.items[..] {
        [Need::Relationship(r)] => {
            assert_eq!(r.client_id, c.id);
            assert_eq!(r.last_touch_at, None);
            assert_eq!(r.days_since, 31);
            assert_eq!(r.days_overdue, 1);
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn touches_end_notes_do_not_and_archive_and_snooze_hold_back() {
    let mut j = TestJournal::new();
    let c = j.add("Drifting", t0());
    let now = day(40);
    assert_eq!(j.who_needs_me(now, 10).unwrap().overdue_total, 1);
    j.add_note(
        &NoteInput {
            client_id: c.id,
            body: "thought about them".into(),
            ..Default::default()
        },
        now,
    )
    .unwrap();
    assert_eq!(
        j.who_needs_me(now, 10).unwrap().overdue_total,
        1,
        "a note is no touch"
    );
    j.snooze_client(c.id, Some(day(45)), now).unwrap();
    assert_eq!(j.who_needs_me(now, 10).unwrap().overdue_total, 0, "snoozed");
    assert_eq!(
        j.who_needs_me(day(46), 10).unwrap().overdue_total,
        1,
        "snooze over"
    );
    j.archive_client(c.id, day(46)).unwrap();
    assert_eq!(
        j.who_needs_me(day(46), 10).unwrap().items.len(),
        0,
        "archived"
    );
    j.unarchive_client(c.id).unwrap();
    j.call(c.id, day(46), "back in touch");
    assert_eq!(
        j.who_needs_me(day(46), 10).unwrap().items.len(),
        0,
        "touched"
    );
}

#[test]
fn done_and_snoozed_follow_ups_and_archived_clients_are_left_out() {
    let mut j = TestJournal::new();
    let c = j.add("Promises", t0());
    j.call(c.id, day(9), "recent");
    let mk = |j: &mut TestJournal, what: &str| j.promise(c.id, what, day(5), day(1));
    let done = mk(&mut j, "done");
    let snoozed = mk(&mut j, "snoozed");
    mk(&mut j, "open");
    j.complete_follow_up(done.id, true, day(6)).unwrap();
    j.snooze_follow_up(snoozed.id, Some(day(12)), day(6))
        .unwrap();
    assert_eq!(
        names(&j.who_needs_me(day(10), 10).unwrap()),
        vec!["follow-up Promises: open"]
    );
    assert_eq!(
        names(&j.who_needs_me(day(13), 10).unwrap()),
        vec!["follow-up Promises: open", "follow-up Promises: snoozed"],
        "an expired snooze comes back, after what waited longer"
    );
    j.archive_client(c.id, day(13)).unwrap();
    assert!(j.who_needs_me(day(13), 10).unwrap().items.is_empty());
}

/// The totals are counted from indexes alone, by taking the snoozed and the archived away; the
/// list reads the rows. On generated journals, with archived clients holding due follow-ups and
/// snoozes running, both must agree at every moment.
#[test]
fn the_totals_agree_with_the_whole_list_on_generated_journals() {
    use rapport_testkit::{generate, GenerateOptions};
    let mut archived_with_due = 0;
    let mut snoozed_due = 0;
    for seed in 1..=3 {
        let mut j = TestJournal::new();
        let options = GenerateOptions {
            clients: 300,
            organisations: 40,
            touches: 6_000,
            years: 2,
            seed,
            now: day(0),
        };
        generate(&mut j, &options).unwrap();
        let raw = j.raw();
        for offset in [-200, -30, -1, 0, 1, 7, 30, 400] {
            let now = day(offset);
            let needs = j.who_needs_me(now, u32::MAX).unwrap();
            let relationships = needs
                .items
                .iter()
                .filter(|n| matches!(n, Need::Relationship(_)))
                .count() as u64;
            let follow_ups = needs.items.len() as u64 - relationships;
            assert_eq!(
                (needs.overdue_total, needs.follow_ups_total),
                (relationships, follow_ups),
                "seed {seed}, day {offset}"
            );
            let count =
                |sql: &str| -> i64 { raw.query_row(sql, [now.timestamp()], |r| r.get(0)).unwrap() };
            archived_with_due += count(
                "SELECT count(*) FROM follow_up f JOIN client c ON c.id = f.client_id
                 WHERE c.archived_at IS NOT NULL AND f.done_at IS NULL
                   AND max(f.due_at, coalesce(f.snoozed_until, 0)) <= ?1",
            );
            snoozed_due += count(
                "SELECT count(*) FROM client
                 WHERE archived_at IS NULL AND due_at <= ?1 AND snoozed_until > ?1",
            );
        }
    }
    // Both parts of the count were exercised, or the test proves less than it says.
    assert!(
        archived_with_due > 0,
        "no archived client had a due follow-up"
    );
    assert!(snoozed_due > 0, "no due client was snoozed");
}
