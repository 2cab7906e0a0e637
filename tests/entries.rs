//! Touches, notes, follow-ups and introductions, and how they move the relationship clock.

use rapport::{FollowUpDraft, FollowUpInput, FollowUpStatus, NoteInput, TouchInput, TouchKind};

use crate::util::*;

#[test]
fn a_touch_resets_the_overdue_clock() {
    let mut j = TestJournal::new();
    let c = j.add("Katherine Johnson", t0());
    assert_eq!(j.client(c.id).unwrap().due_at, day(30));
    j.call(c.id, day(25), "orbit numbers");
    let c = j.client(c.id).unwrap();
    assert_eq!(c.last_touch_at, Some(day(25)));
    assert_eq!(c.due_at, day(55));
}

#[test]
fn a_note_does_not_reset_the_clock() {
    let mut j = TestJournal::new();
    let c = j.add("Dorothy Vaughan", t0());
    j.call(c.id, day(1), "hello");
    let note = j.jot(c.id, day(20), "read her FORTRAN paper");
    assert_eq!(note.at, day(20));
    let c = j.client(c.id).unwrap();
    assert_eq!(c.last_touch_at, Some(day(1)));
    assert_eq!(c.due_at, day(31));
}

#[test]
fn editing_or_deleting_touches_moves_the_clock_with_them() {
    let mut j = TestJournal::new();
    let a = j.add("Ada", t0());
    let b = j.add("Bea", t0());
    let early = j.call(a.id, day(2), "early");
    let late = j.call(a.id, day(9), "late");
    assert_eq!(j.client(a.id).unwrap().last_touch_at, Some(day(9)));
    // Re-dated earlier: the clock falls back to the other touch.
    let mut edit = TouchInput {
        client_id: a.id,
        kind: TouchKind::Meeting,
        at: Some(day(1)),
        summary: "late, re-dated".into(),
        ..Default::default()
    };
    let edited = j.update_touch(late.id, &edit, day(10)).unwrap();
    assert_eq!(edited.kind, TouchKind::Meeting);
    assert_eq!(edited.updated_at, day(10));
    assert_eq!(j.client(a.id).unwrap().last_touch_at, Some(day(2)));
    // Moved to another client: both clocks follow.
    edit.client_id = b.id;
    edit.at = Some(day(8));
    j.update_touch(late.id, &edit, day(10)).unwrap();
    assert_eq!(j.client(b.id).unwrap().last_touch_at, Some(day(8)));
    assert_eq!(j.client(a.id).unwrap().last_touch_at, Some(day(2)));
    // Deleted: back to never touched, due a cadence after being added.
    j.delete_touch(early.id).unwrap();
    let a = j.client(a.id).unwrap();
    assert_eq!(a.last_touch_at, None);
    assert_eq!(a.due_at, day(30));
    assert_eq!(j.touch(early.id).unwrap_err().kind(), "not_found");
}

#[test]
fn a_touch_records_giving_and_asking() {
    let mut j = TestJournal::new();
    let c = j.add("Giver", t0());
    let logged = j
        .log_touch(
            &TouchInput {
                client_id: c.id,
                kind: TouchKind::ValueAdd,
                summary: "sent the market report".into(),
                body: "No strings attached.".into(),
                ..Default::default()
            },
            day(3),
        )
        .unwrap();
    assert_eq!(logged.touch.at, day(3), "now when no time is given");
    assert!(logged.touch.gave_value, "a value-add gives by definition");
    assert!(!logged.touch.asked);
    assert_eq!(logged.follow_up, None);
}

#[test]
fn a_follow_up_born_in_a_touch_is_saved_with_it() {
    let mut j = TestJournal::new();
    let c = j.add("Promised", t0());
    let logged = j
        .log_touch(
            &TouchInput {
                client_id: c.id,
                at: Some(day(1)),
                summary: "pricing call".into(),
                asked: true,
                follow_up: Some(FollowUpDraft {
                    what: "send the revised quote".into(),
                    due_at: day(15),
                }),
                ..Default::default()
            },
            day(1),
        )
        .unwrap();
    let f = logged.follow_up.expect("follow-up made");
    assert_eq!(f.touch_id, Some(logged.touch.id));
    assert_eq!(f.what, "send the revised quote");
    assert_eq!(f.due_at, day(15));
    assert_eq!(f.status(day(2)), FollowUpStatus::Open);
    assert_eq!(j.open_follow_ups(c.id).unwrap(), vec![f]);
}

#[test]
fn a_touch_with_a_bad_follow_up_writes_neither() {
    let mut j = TestJournal::new();
    let c = j.add("Careful", t0());
    let before = j.counts();
    let err = j
        .log_touch(
            &TouchInput {
                client_id: c.id,
                summary: "good touch".into(),
                follow_up: Some(FollowUpDraft {
                    what: "   ".into(),
                    due_at: day(4),
                }),
                ..Default::default()
            },
            day(1),
        )
        .unwrap_err();
    assert!(err.to_string().starts_with("follow_up.what:"), "{err}");
    assert_eq!(j.counts(), before);
}

#[test]
fn follow_ups_are_done_reopened_snoozed_edited_and_deleted() {
    let mut j = TestJournal::new();
    let c = j.add("Tasks", t0());
    let touch = j.call(c.id, day(1), "kickoff");
    let f = j
        .add_follow_up(
            &FollowUpInput {
                client_id: c.id,
                touch_id: Some(touch.id),
                what: "book the workshop".into(),
                due_at: Some(day(7)),
            },
            day(1),
        )
        .unwrap();
    let snoozed = j.snooze_follow_up(f.id, Some(day(9)), day(7)).unwrap();
    assert_eq!(snoozed.status(day(8)), FollowUpStatus::Snoozed);
    assert_eq!(
        snoozed.status(day(9)),
        FollowUpStatus::Open,
        "a snooze ends"
    );
    assert_eq!(snoozed.attention_at(), day(9));
    let done = j.complete_follow_up(f.id, true, day(9)).unwrap();
    assert_eq!(done.done_at, Some(day(9)));
    assert_eq!(done.status(day(9)), FollowUpStatus::Done);
    assert!(j.open_follow_ups(c.id).unwrap().is_empty());
    let reopened = j.complete_follow_up(f.id, false, day(10)).unwrap();
    assert_eq!(reopened.status(day(10)), FollowUpStatus::Open);
    let edited = j
        .update_follow_up(f.id, "book the bigger room", day(12), day(10))
        .unwrap();
    assert_eq!(
        (edited.what.as_str(), edited.due_at),
        ("book the bigger room", day(12))
    );
    // Deleting the touch keeps the promise, unlinked.
    j.delete_touch(touch.id).unwrap();
    assert_eq!(j.follow_up(f.id).unwrap().touch_id, None);
    j.delete_follow_up(f.id).unwrap();
    assert_eq!(j.follow_up(f.id).unwrap_err().kind(), "not_found");
}

#[test]
fn a_follow_up_cannot_hang_on_another_clients_touch() {
    let mut j = TestJournal::new();
    let a = j.add("A", t0());
    let b = j.add("B", t0());
    let touch = j.call(a.id, day(1), "a's call");
    let err = j
        .add_follow_up(
            &FollowUpInput {
                client_id: b.id,
                touch_id: Some(touch.id),
                what: "x".into(),
                due_at: Some(day(3)),
            },
            day(1),
        )
        .unwrap_err();
    assert!(err.to_string().starts_with("touch_id:"), "{err}");
}

#[test]
fn notes_are_edited_and_deleted() {
    let mut j = TestJournal::new();
    let c = j.add("Noted", t0());
    let n = j
        .add_note(
            &NoteInput {
                client_id: c.id,
                summary: "homework".into(),
                body: "Annual report: growth in Asia".into(),
                ..Default::default()
            },
            day(1),
        )
        .unwrap();
    let edited = j
        .update_note(
            n.id,
            &NoteInput {
                client_id: c.id,
                at: Some(day(1)),
                summary: "homework".into(),
                body: "Annual report: growth in Latin America".into(),
            },
            day(2),
        )
        .unwrap();
    assert!(edited.body.ends_with("Latin America"));
    assert_eq!(j.note(n.id).unwrap(), edited);
    // A note is not a touch, and a touch id is not a note.
    assert_eq!(j.touch(n.id).unwrap_err().kind(), "not_found");
    j.delete_note(n.id).unwrap();
    assert_eq!(j.note(n.id).unwrap_err().kind(), "not_found");
}

#[test]
fn introductions_are_kept_as_links_both_ways() {
    let mut j = TestJournal::new();
    let hub = j.add("Connector", t0());
    let x = j.add("Xavier", t0());
    let y = j.add("Yasmin", t0());
    j.add_introduction(hub.id, x.id, day(1), "met at the summit", day(1))
        .unwrap();
    let i2 = j
        .add_introduction(hub.id, y.id, day(2), "", day(2))
        .unwrap();
    j.add_introduction(y.id, hub.id, day(3), "", day(3))
        .unwrap();
    let hub_intros = j.introductions(hub.id).unwrap();
    let made: Vec<_> = hub_intros
        .made
        .iter()
        .map(|i| i.introduced_name.as_str())
        .collect();
    assert_eq!(made, vec!["Yasmin", "Xavier"], "newest first");
    assert_eq!(hub_intros.received.len(), 1);
    assert_eq!(hub_intros.received[0].introducer_name, "Yasmin");
    assert_eq!(
        j.introductions(x.id).unwrap().received[0].note,
        "met at the summit"
    );
    j.delete_introduction(i2.id).unwrap();
    assert_eq!(j.introductions(hub.id).unwrap().made.len(), 1);
    let err = j
        .add_introduction(x.id, x.id, day(4), "", day(4))
        .unwrap_err();
    assert_eq!(err.kind(), "invalid");
}

#[test]
fn a_new_client_and_their_first_touch_are_written_together_or_not_at_all() {
    let mut j = TestJournal::new();
    let id = j
        .add_client_with_entry(
            &rapport::ClientInput {
                name: "Fresh Face".into(),
                ..Default::default()
            },
            &rapport::FirstEntry::Touch(TouchInput {
                summary: "first call".into(),
                follow_up: Some(FollowUpDraft {
                    what: "send intro deck".into(),
                    due_at: day(14),
                }),
                ..Default::default()
            }),
            day(1),
        )
        .unwrap();
    let c = j.client(id).unwrap();
    assert_eq!(c.name, "Fresh Face");
    assert_eq!(c.last_touch_at, Some(day(1)));
    assert_eq!(j.open_follow_ups(id).unwrap()[0].what, "send intro deck");

    let before = j.counts();
    let err = j
        .add_client_with_entry(
            &rapport::ClientInput {
                name: "Never Saved".into(),
                ..Default::default()
            },
            &rapport::FirstEntry::Note(NoteInput::default()),
            day(1),
        )
        .unwrap_err();
    assert_eq!(err.to_string(), "body: a note must say something");
    assert_eq!(j.counts(), before, "the client was not written either");
}

#[test]
fn a_follow_up_marked_done_is_put_back_exactly_as_it_was_by_its_undo() {
    let mut j = TestJournal::new();
    let c = j.add("Mary Somerville", t0());
    let open = j.promise(c.id, "send the proofs", day(10), day(1));
    let snoozed = j.snooze_follow_up(open.id, Some(day(12)), day(2)).unwrap();
    let rows = |j: &TestJournal| j.counts();
    let before = rows(&j);
    let done = j.complete_follow_up(open.id, true, day(3)).unwrap();
    assert!(done.done_at.is_some() && done.snoozed_until.is_none());
    let back = j.restore_follow_up(&snoozed).unwrap();
    assert_eq!(back, snoozed, "done and snooze moments both put back");
    assert_eq!(rows(&j), before);
    assert!(j
        .restore_follow_up(&rapport::FollowUp { id: 999, ..back })
        .is_err_and(|e| e.kind() == "not_found"));
}

#[test]
fn every_delete_is_undone_exactly_by_putting_back_what_it_returned() {
    let mut j = TestJournal::new();
    let c = j.add("Grace Chisholm Young", t0());
    let other = j.add("William Young", t0());
    let logged = j
        .log_touch(
            &TouchInput {
                client_id: c.id,
                kind: TouchKind::Meeting,
                at: Some(day(2)),
                summary: "Göttingen seminar".into(),
                body: "Set theory; she wants the Cambridge notes.".into(),
                gave_value: true,
                follow_up: Some(rapport::FollowUpDraft {
                    what: "send the notes".into(),
                    due_at: day(9),
                }),
                ..Default::default()
            },
            day(2),
        )
        .unwrap();
    let note = j.jot(c.id, day(3), "reads German fluently");
    let promise = j.promise(c.id, "call back", day(20), day(3));
    let moved = j
        .set_stage(
            c.id,
            rapport::Stage::Foothold,
            day(4),
            "first paper together",
            day(4),
        )
        .unwrap();
    let intro = j
        .add_introduction(c.id, other.id, day(5), "at the congress", day(5))
        .unwrap();
    let before = j.rows();
    let deletes = [
        ("touch", logged.touch.id),
        ("note", note.id),
        ("follow-up", promise.id),
        ("stage change", moved.id),
        ("introduction", intro.id),
    ];
    for (kind, id) in deletes {
        let deleted = match kind {
            "touch" => j.delete_touch(id),
            "note" => j.delete_note(id),
            "follow-up" => j.delete_follow_up(id),
            "stage change" => j.delete_stage_change(id),
            _ => j.delete_introduction(id),
        }
        .unwrap();
        assert_ne!(j.rows(), before, "{deleted:?} was deleted");
        j.restore(&deleted).unwrap();
        assert_eq!(j.rows(), before, "{deleted:?} put back exactly");
        j.assert_search_index_consistent();
        // Put back twice is refused, and changes nothing.
        assert!(j.restore(&deleted).is_err_and(|e| e.kind() == "invalid"));
        assert_eq!(j.rows(), before);
    }
}
