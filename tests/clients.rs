//! Clients: every field, edits, archiving, deleting, stages and the filtered, sorted list.

use rapport::{
    Archived, ClientFilter, ClientInput, ClientSort, Fact, FollowUpDraft, NoteInput, Pillars,
    Stage, TimelineEntry, TouchInput,
};

use crate::util::*;

fn full_profile() -> ClientInput {
    ClientInput {
        name: "  Marie Curie ".into(),
        organisation: "Radium Institute".into(),
        role: "Director".into(),
        email: "marie@radium.example".into(),
        phone: "+33 1 23 45 67 89".into(),
        profile: "Cares about lab funding.\nPrefers mornings.".into(),
        facts: vec![
            Fact {
                label: "family".into(),
                value: "two daughters, Irène and Ève".into(),
            },
            Fact {
                label: "interests".into(),
                value: "cycling".into(),
            },
        ],
        tags: vec!["science".into(), "#Board".into(), "SCIENCE".into()],
        cadence_days: Some(10),
        pillars: Pillars {
            compatibility: Some(4),
            knowledge: Some(2),
            trust: None,
        },
    }
}

#[test]
fn a_created_client_reads_back_with_every_field() {
    let mut j = TestJournal::new();
    let c = j
        .create_client(&full_profile(), Stage::Foothold, t0())
        .unwrap();
    let read = j.client(c.id).unwrap();
    assert_eq!(read, c);
    assert_eq!(c.name, "Marie Curie", "surrounding blanks trimmed");
    assert_eq!(c.organisation, "Radium Institute");
    assert_eq!(c.role, "Director");
    assert_eq!(c.email, "marie@radium.example");
    assert_eq!(c.phone, "+33 1 23 45 67 89");
    assert_eq!(c.profile, "Cares about lab funding.\nPrefers mornings.");
    assert_eq!(c.facts.len(), 2);
    assert_eq!(c.facts[0].label, "family");
    assert_eq!(
        c.tags,
        vec!["Board", "science"],
        "deduplicated, # dropped, sorted"
    );
    assert_eq!(c.cadence_days, Some(10));
    assert_eq!(c.cadence, 10);
    assert_eq!(c.stage, Stage::Foothold);
    assert!(c.vulnerable, "compatibility alone is vulnerable");
    assert_eq!(c.created_at, t0());
    assert_eq!(c.archived_at, None);
    assert_eq!(c.last_touch_at, None);
    assert_eq!(
        c.due_at,
        day(10),
        "never touched: due a cadence after being added"
    );
    assert!(!c.sample);
}

#[test]
fn editing_replaces_the_profile_facts_and_tags() {
    let mut j = TestJournal::new();
    let c = j
        .create_client(&full_profile(), Stage::MeToo, t0())
        .unwrap();
    let mut edit = full_profile();
    edit.name = "Marie Skłodowska-Curie".into();
    edit.facts = vec![Fact {
        label: "prize".into(),
        value: "Nobel, twice".into(),
    }];
    edit.tags = vec!["physics".into()];
    edit.cadence_days = None;
    edit.pillars.knowledge = Some(5);
    let edited = j.update_client(c.id, &edit, day(3)).unwrap();
    assert_eq!(edited.name, "Marie Skłodowska-Curie");
    assert_eq!(edited.facts, edit.facts);
    assert_eq!(edited.tags, vec!["physics"]);
    assert_eq!(edited.cadence_days, None);
    assert_eq!(edited.cadence, 30, "back to the me-too default");
    assert_eq!(edited.due_at, day(30));
    assert!(!edited.vulnerable, "knowledge now stands too");
    assert_eq!(edited.updated_at, day(3));
    assert_eq!(edited.created_at, t0());
    assert_eq!(j.client(c.id).unwrap(), edited);
}

#[test]
fn archiving_hides_from_the_active_list_and_unarchiving_brings_back() {
    let mut j = TestJournal::new();
    let a = j.add("Alan Turing", t0());
    let b = j.add("Barbara Liskov", t0());
    let archived = j.archive_client(a.id, day(1)).unwrap();
    assert_eq!(archived.archived_at, Some(day(1)));
    let active = j.list_clients(&ClientFilter::default(), day(2)).unwrap();
    assert_eq!(
        active.rows.iter().map(|r| r.id).collect::<Vec<_>>(),
        vec![b.id]
    );
    let only_archived = j
        .list_clients(
            &ClientFilter {
                archived: Archived::Archived,
                ..Default::default()
            },
            day(2),
        )
        .unwrap();
    assert_eq!(only_archived.rows.len(), 1);
    assert!(only_archived.rows[0].archived);
    let back = j.unarchive_client(a.id).unwrap();
    assert_eq!(back.archived_at, None);
    assert_eq!(
        j.list_clients(&ClientFilter::default(), day(2))
            .unwrap()
            .total,
        2
    );
}

#[test]
fn deleting_a_client_removes_their_whole_history_and_leaves_others() {
    let mut j = TestJournal::new();
    let keep = j.add("Keeper", t0());
    let gone = j
        .create_client(&full_profile(), Stage::MeToo, t0())
        .unwrap();
    j.log_touch(
        &TouchInput {
            client_id: gone.id,
            at: Some(day(1)),
            summary: "zeppelin budget".into(),
            follow_up: Some(FollowUpDraft {
                what: "send the zeppelin deck".into(),
                due_at: day(5),
            }),
            ..Default::default()
        },
        day(1),
    )
    .unwrap();
    j.add_note(
        &NoteInput {
            client_id: gone.id,
            body: "researched zeppelin history".into(),
            ..Default::default()
        },
        day(1),
    )
    .unwrap();
    j.set_stage(gone.id, Stage::Foothold, day(2), "", day(2))
        .unwrap();
    j.add_introduction(gone.id, keep.id, day(2), "", day(2))
        .unwrap();
    j.call(keep.id, day(2), "keeper call");

    j.delete_client(gone.id).unwrap();

    assert_eq!(j.client(gone.id).unwrap_err().kind(), "not_found");
    let counts = j.counts();
    let count = |t: &str| counts.iter().find(|(n, _)| n == t).unwrap().1;
    assert_eq!(count("client"), 1);
    assert_eq!(count("entry"), 1, "only the keeper's touch is left");
    assert_eq!(count("follow_up"), 0);
    assert_eq!(count("stage_change"), 1, "the keeper's first stage");
    assert_eq!(count("introduction"), 0);
    assert_eq!(count("client_fact") + count("client_tag"), 0);
    assert!(j.search("zeppelin", 10).unwrap().entries.is_empty());
    assert!(j.search("curie", 10).unwrap().clients.is_empty());
    assert_eq!(j.introductions(keep.id).unwrap().received.len(), 0);
    j.assert_search_index_consistent();
}

#[test]
fn stage_changes_are_dated_history_and_the_latest_by_date_is_current() {
    let mut j = TestJournal::new();
    let c = j.add("Hedy Lamarr", t0());
    j.set_stage(c.id, Stage::Foothold, day(10), "first order", day(10))
        .unwrap();
    j.set_stage(c.id, Stage::MeFirst, day(40), "called us first", day(40))
        .unwrap();
    // Entered late, for an earlier date: goes into history, does not override the newer move.
    j.set_stage(c.id, Stage::MeToo, day(5), "lost the tender", day(41))
        .unwrap();
    let history = j.stage_history(c.id).unwrap();
    let stages: Vec<_> = history.iter().map(|s| (s.stage, s.at)).collect();
    assert_eq!(
        stages,
        vec![
            (Stage::MeToo, t0()),
            (Stage::MeToo, day(5)),
            (Stage::Foothold, day(10)),
            (Stage::MeFirst, day(40)),
        ]
    );
    assert_eq!(history[3].note, "called us first");
    let client = j.client(c.id).unwrap();
    assert_eq!(client.stage, Stage::MeFirst);
    assert_eq!(client.cadence, 21, "the me-first default");
    let in_timeline = j
        .timeline(c.id, None, 50)
        .unwrap()
        .entries
        .iter()
        .filter(|e| matches!(e, TimelineEntry::StageChange(_)))
        .count();
    assert_eq!(in_timeline, 4);
}

#[test]
fn stage_defaults_apply_unless_overridden_and_can_be_changed() {
    let mut j = TestJournal::new();
    let defaults = j.stage_cadences().unwrap();
    assert_eq!(
        defaults,
        vec![
            (Stage::MeToo, 30),
            (Stage::Foothold, 14),
            (Stage::MeFirst, 21),
            (Stage::OnlyMe, 30)
        ]
    );
    let plain = j
        .create_client(&named("Plain"), Stage::Foothold, t0())
        .unwrap();
    let mut own = named("Own rhythm");
    own.cadence_days = Some(7);
    let own = j.create_client(&own, Stage::Foothold, t0()).unwrap();
    assert_eq!(plain.due_at, day(14));
    assert_eq!(own.due_at, day(7));
    j.set_stage_cadence(Stage::Foothold, 20).unwrap();
    assert_eq!(j.client(plain.id).unwrap().due_at, day(20));
    assert_eq!(j.client(plain.id).unwrap().cadence, 20);
    assert_eq!(j.client(own.id).unwrap().due_at, day(7), "override kept");
    assert_eq!(
        j.set_stage_cadence(Stage::Foothold, 0).unwrap_err().kind(),
        "invalid"
    );
}

#[test]
fn the_list_filters_by_stage_tag_organisation_and_archive() {
    let mut j = TestJournal::new();
    let mk = |name: &str, org: &str, tags: &[&str]| ClientInput {
        name: name.into(),
        organisation: org.into(),
        tags: tags.iter().map(|t| t.to_string()).collect(),
        ..Default::default()
    };
    let a = j
        .create_client(&mk("Ann", "Acme", &["vip"]), Stage::MeToo, t0())
        .unwrap();
    let b = j
        .create_client(&mk("Bob", "acme", &["Retail"]), Stage::OnlyMe, t0())
        .unwrap();
    let c = j
        .create_client(&mk("Cid", "Globex", &["vip"]), Stage::OnlyMe, t0())
        .unwrap();
    assert_eq!(
        listed(
            &j,
            ClientFilter {
                stage: Some(Stage::OnlyMe),
                ..Default::default()
            }
        ),
        vec![b.id, c.id]
    );
    assert_eq!(
        listed(
            &j,
            ClientFilter {
                tag: Some("VIP".into()),
                ..Default::default()
            }
        ),
        vec![a.id, c.id]
    );
    assert_eq!(
        listed(
            &j,
            ClientFilter {
                organisation: Some("ACME".into()),
                ..Default::default()
            }
        ),
        vec![a.id, b.id]
    );
    assert_eq!(
        listed(
            &j,
            ClientFilter {
                organisation: Some("acme".into()),
                tag: Some("retail".into()),
                stage: Some(Stage::OnlyMe),
                ..Default::default()
            }
        ),
        vec![b.id]
    );
    j.archive_client(c.id, day(1)).unwrap();
    assert_eq!(
        listed(
            &j,
            ClientFilter {
                tag: Some("vip".into()),
                ..Default::default()
            }
        ),
        vec![a.id]
    );
    assert_eq!(
        listed(
            &j,
            ClientFilter {
                archived: Archived::All,
                ..Default::default()
            }
        ),
        vec![a.id, b.id, c.id]
    );
    let orgs = j.organisations().unwrap();
    assert_eq!(orgs.len(), 1, "Globex's only client is archived: {orgs:?}");
    assert_eq!(orgs[0].clients, 2);
    let tags: Vec<_> = j
        .tags()
        .unwrap()
        .into_iter()
        .map(|t| (t.value, t.clients))
        .collect();
    assert_eq!(
        tags,
        vec![("Retail".to_string(), 1), ("vip".to_string(), 1)]
    );
}

#[test]
fn the_list_sorts_by_name_last_touch_and_most_overdue_and_pages() {
    let mut j = TestJournal::new();
    let emile = j.add("Émile Borel", t0());
    let zed = j.add("zed Shaw", t0());
    let anna = j.add("Anna Karenina", t0());
    let never = j.add("Never Touched", t0());
    j.call(emile.id, day(20), "recent");
    j.call(zed.id, day(1), "long ago");
    j.call(anna.id, day(10), "middle");
    let now = day(45);
    let list = |sort| {
        j.list_clients(
            &ClientFilter {
                sort,
                ..Default::default()
            },
            now,
        )
        .unwrap()
        .rows
    };
    let names =
        |rows: Vec<rapport::ClientRow>| rows.into_iter().map(|r| r.name).collect::<Vec<_>>();
    assert_eq!(
        names(list(ClientSort::Name)),
        vec!["Anna Karenina", "Émile Borel", "Never Touched", "zed Shaw"],
        "case- and accent-blind"
    );
    assert_eq!(
        names(list(ClientSort::LastTouch)),
        vec!["Émile Borel", "Anna Karenina", "zed Shaw", "Never Touched"]
    );
    let overdue = list(ClientSort::MostOverdue);
    assert_eq!(
        names(overdue.clone()),
        vec!["Never Touched", "zed Shaw", "Anna Karenina", "Émile Borel"]
    );
    // Never touched: due a cadence after being added, day 30.
    assert_eq!(overdue[0].days_since_touch, None);
    assert_eq!(overdue[0].days_overdue, 15);
    // zed: touched on day 1, 30-day cadence, due day 31, now day 45.
    assert_eq!(overdue[1].days_since_touch, Some(44));
    assert_eq!(overdue[1].days_overdue, 14);
    assert!(overdue[1].overdue);
    assert_eq!(overdue[3].days_overdue, -5, "Émile is due in five days");
    assert!(!overdue[3].overdue);
    let page = j
        .list_clients(
            &ClientFilter {
                limit: Some(2),
                offset: 2,
                ..Default::default()
            },
            now,
        )
        .unwrap();
    assert_eq!(page.total, 4);
    assert_eq!(names(page.rows), vec!["Never Touched", "zed Shaw"]);
    assert_eq!(overdue[0].id, never.id);
}

#[test]
fn the_list_narrows_by_typed_words_with_the_other_filters() {
    let mut j = TestJournal::new();
    let mk = |name: &str, org: &str| ClientInput {
        name: name.into(),
        organisation: org.into(),
        ..Default::default()
    };
    let a = j
        .create_client(&mk("Émilie Roux", "Acme"), Stage::MeToo, t0())
        .unwrap();
    let b = j
        .create_client(&mk("Emil Zola", "Globex"), Stage::OnlyMe, t0())
        .unwrap();
    j.create_client(&mk("Someone Else", "Acme"), Stage::MeToo, t0())
        .unwrap();
    let ids = |f: ClientFilter| -> (Vec<i64>, u64) {
        let page = j.list_clients(&f, day(1)).unwrap();
        (page.rows.iter().map(|r| r.id).collect(), page.total)
    };
    assert_eq!(
        ids(ClientFilter {
            query: Some("emil".into()),
            ..Default::default()
        }),
        (vec![b.id, a.id], 2),
        "Emil Zola files before Émilie Roux"
    );
    assert_eq!(
        ids(ClientFilter {
            query: Some("emil".into()),
            organisation: Some("acme".into()),
            ..Default::default()
        }),
        (vec![a.id], 1)
    );
    assert_eq!(
        ids(ClientFilter {
            query: Some("(*".into()),
            ..Default::default()
        })
        .1,
        3,
        "nothing searchable typed: no narrowing"
    );
}

#[test]
fn a_stage_move_deleted_leaves_the_client_as_before_it_but_the_first_stage_stays() {
    let mut j = TestJournal::new();
    let c = j.add("Caroline Herschel", t0());
    let before = j.counts();
    let first = j.client(c.id).unwrap();
    let moved = j
        .set_stage(c.id, Stage::Foothold, day(3), "first order", day(3))
        .unwrap();
    assert_eq!(j.client(c.id).unwrap().stage, Stage::Foothold);
    j.delete_stage_change(moved.id).unwrap();
    assert_eq!(
        j.client(c.id).unwrap(),
        first,
        "stage and clock as before the move"
    );
    assert_eq!(j.counts(), before);
    let only = j.stage_history(c.id).unwrap()[0].id;
    assert!(j
        .delete_stage_change(only)
        .is_err_and(|e| e.kind() == "invalid"));
    assert!(j
        .delete_stage_change(9_999)
        .is_err_and(|e| e.kind() == "not_found"));
}

/// The ids of the clients `filter` lists, in its order.
fn listed(j: &TestJournal, filter: ClientFilter) -> Vec<i64> {
    j.list_clients(&filter, day(1))
        .unwrap()
        .rows
        .iter()
        .map(|r| r.id)
        .collect()
}

#[test]
fn a_stage_move_entered_wrong_is_rewritten_and_the_stage_follows_its_date() {
    let mut j = TestJournal::new();
    let c = j.add("Maria Mitchell", t0());
    let early = j
        .set_stage(c.id, Stage::Foothold, day(2), "", day(2))
        .unwrap();
    j.set_stage(c.id, Stage::MeFirst, day(5), "", day(5))
        .unwrap();
    let before = j.counts();
    // The older move, rewritten to a date after the newer one, becomes the current stage.
    let edited = j
        .update_stage_change(early.id, Stage::OnlyMe, day(6), "board seat", day(6))
        .unwrap();
    assert_eq!((edited.stage, edited.at), (Stage::OnlyMe, day(6)));
    assert_eq!(j.client(c.id).unwrap().stage, Stage::OnlyMe);
    let history = j.stage_history(c.id).unwrap();
    let last = history.last().unwrap();
    assert_eq!((last.id, last.note.as_str()), (early.id, "board seat"));
    assert_eq!(j.counts(), before, "rewritten, not added");
    // Back before the other, it gives way to it.
    j.update_stage_change(early.id, Stage::OnlyMe, day(3), "board seat", day(6))
        .unwrap();
    assert_eq!(j.client(c.id).unwrap().stage, Stage::MeFirst);
    // Refused: a date far ahead, an unknown move; and nothing changes.
    let rows = j.rows();
    assert!(j
        .update_stage_change(early.id, Stage::MeToo, day(60), "", day(6))
        .is_err_and(|e| e.kind() == "invalid"));
    assert!(j
        .update_stage_change(9_999, Stage::MeToo, day(1), "", day(6))
        .is_err_and(|e| e.kind() == "not_found"));
    assert_eq!(j.rows(), rows);
}

#[test]
fn an_introduction_is_redated_and_its_note_rewritten() {
    let mut j = TestJournal::new();
    let a = j.add("Ada", t0());
    let b = j.add("Babbage", t0());
    let i = j.add_introduction(a.id, b.id, day(2), "", day(2)).unwrap();
    let edited = j
        .update_introduction(i.id, day(1), "at the Royal Society", day(3))
        .unwrap();
    assert_eq!(
        (edited.at, edited.note.as_str()),
        (day(1), "at the Royal Society")
    );
    assert_eq!(
        (edited.introducer_id, edited.introduced_id),
        (a.id, b.id),
        "who introduced whom stays"
    );
    assert_eq!(j.introductions(b.id).unwrap().received, vec![edited]);
    let rows = j.rows();
    assert!(j
        .update_introduction(i.id, day(90), "", day(3))
        .is_err_and(|e| e.kind() == "invalid"));
    assert!(j
        .update_introduction(9_999, day(1), "", day(3))
        .is_err_and(|e| e.kind() == "not_found"));
    assert_eq!(j.rows(), rows);
}

#[test]
fn tags_and_organisations_are_one_whatever_the_case_or_the_accent_form_in_every_script() {
    let mut j = TestJournal::new();
    let mk = |name: &str, org: &str, tags: &[&str]| ClientInput {
        name: name.into(),
        organisation: org.into(),
        tags: tags.iter().map(|t| t.to_string()).collect(),
        ..Default::default()
    };
    let a = j
        .create_client(
            &mk("Ann", "Électricité de France", &["Été"]),
            Stage::MeToo,
            t0(),
        )
        .unwrap();
    let b = j
        .create_client(
            &mk("Bea", "électricité de france", &["été"]),
            Stage::MeToo,
            t0(),
        )
        .unwrap();
    // Typed with combining accents, as some keyboards and exporters send them.
    let c = j
        .create_client(
            &mk(
                "Cem",
                "E\u{301}lectricite\u{301} de France",
                &["E\u{301}te\u{301}"],
            ),
            Stage::MeToo,
            t0(),
        )
        .unwrap();
    let d = j
        .create_client(&mk("Dmitri", "ГАЗПРОМ", &["Москва"]), Stage::MeToo, t0())
        .unwrap();
    let e = j
        .create_client(&mk("Eva", "газпром", &["МОСКВА"]), Stage::MeToo, t0())
        .unwrap();
    // A tag written by an older Rapport in the decomposed form, as it was typed.
    j.raw()
        .execute(
            "INSERT INTO client_tag (client_id, tag) VALUES (?1, 'e\u{301}te\u{301}')",
            [d.id],
        )
        .unwrap();
    let orgs: Vec<_> = j
        .organisations()
        .unwrap()
        .into_iter()
        .map(|o| o.clients)
        .collect();
    assert_eq!(orgs, [3, 2], "one Électricité de France, one Газпром");
    let tags: Vec<_> = j.tags().unwrap().into_iter().map(|t| t.clients).collect();
    assert_eq!(tags, [4, 2], "one été (four clients), one Москва");
    let by = |filter: ClientFilter| listed(&j, filter);
    assert_eq!(
        by(ClientFilter {
            tag: Some("ÉTÉ".into()),
            ..Default::default()
        }),
        vec![a.id, b.id, c.id, d.id]
    );
    assert_eq!(
        by(ClientFilter {
            organisation: Some("ÉLECTRICITÉ DE FRANCE".into()),
            ..Default::default()
        }),
        vec![a.id, b.id, c.id]
    );
    assert_eq!(
        by(ClientFilter {
            organisation: Some("Газпром".into()),
            tag: Some("москва".into()),
            ..Default::default()
        }),
        vec![d.id, e.id]
    );
    // One client's tags differing only in case are one tag.
    let both = j
        .create_client(
            &mk("Fay", "", &["Été", "ÉTÉ", "e\u{301}te\u{301}"]),
            Stage::MeToo,
            t0(),
        )
        .unwrap();
    assert_eq!(both.tags, vec!["Été"]);
}
