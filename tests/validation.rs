//! Bad input: each a clear error naming the field, and nothing written.

use rapport::{
    validate, ClientInput, Error, FollowUpDraft, FollowUpInput, NoteInput, Pillars, Stage,
    TouchInput,
};

use crate::util::*;

/// Asserts `result` is an `Invalid` error for `field`, and that nothing was written.
fn assert_invalid<T: std::fmt::Debug>(
    j: &TestJournal,
    before: &[(String, i64)],
    field: &str,
    result: rapport::Result<T>,
) -> String {
    match result {
        Err(Error::Invalid { field: f, message }) => {
            assert_eq!(f, field, "wrong field named: {message}");
            assert_eq!(j.counts(), before, "{field}: something was written");
            message
        }
        other => panic!("{field}: expected an invalid-input error, got {other:?}"),
    }
}

#[test]
fn client_fields_are_checked_and_named() {
    let mut j = TestJournal::new();
    let existing = j.add("Existing", t0());
    let before = j.counts();
    let cases: Vec<(&str, ClientInput, &str)> = vec![
        ("name", named(""), "must not be empty"),
        ("name", named("   \t "), "must not be empty"),
        ("name", named("two\nlines"), "must be a single line"),
        (
            "name",
            named(&"x".repeat(validate::LINE_MAX + 1)),
            "longer than 200",
        ),
        (
            "cadence_days",
            ClientInput {
                cadence_days: Some(0),
                ..named("C")
            },
            "between 1 and 3650",
        ),
        (
            "cadence_days",
            ClientInput {
                cadence_days: Some(3651),
                ..named("C")
            },
            "not 3651",
        ),
        (
            "email",
            ClientInput {
                email: "not an address".into(),
                ..named("C")
            },
            "not an email",
        ),
        (
            "profile",
            ClientInput {
                profile: "p".repeat(validate::TEXT_MAX + 1),
                ..named("C")
            },
            "longer than 100000",
        ),
        (
            "compatibility",
            ClientInput {
                pillars: Pillars {
                    compatibility: Some(6),
                    ..Default::default()
                },
                ..named("C")
            },
            "rated 1 to 5",
        ),
        (
            "tags",
            ClientInput {
                tags: vec!["  ".into()],
                ..named("C")
            },
            "must not be empty",
        ),
        (
            "tags",
            ClientInput {
                tags: (0..51).map(|i| format!("t{i}")).collect(),
                ..named("C")
            },
            "at most 50",
        ),
        (
            "facts.label",
            ClientInput {
                facts: vec![rapport::Fact {
                    label: "".into(),
                    value: "v".into(),
                }],
                ..named("C")
            },
            "must not be empty",
        ),
        (
            "organisation",
            ClientInput {
                organisation: "bell\u{7}".into(),
                ..named("C")
            },
            "control character",
        ),
    ];
    for (field, input, says) in cases {
        let result = j.create_client(&input, Stage::MeToo, t0());
        let message = assert_invalid(&j, &before, field, result);
        assert!(
            message.contains(says),
            "{field}: {message:?} should say {says:?}"
        );
        let result = j.update_client(existing.id, &input, t0());
        let message = assert_invalid(&j, &before, field, result);
        assert!(message.contains(says), "{field} (edit): {message:?}");
    }
    // The error reads as a sentence naming the field.
    let err = j
        .create_client(&named(" "), Stage::MeToo, t0())
        .unwrap_err();
    assert_eq!(err.to_string(), "name: must not be empty");
    assert_eq!(err.kind(), "invalid");
}

#[test]
fn a_touch_more_than_a_day_ahead_is_refused() {
    let mut j = TestJournal::new();
    let c = j.add("Future", t0());
    let before = j.counts();
    let now = day(10);
    let touch = |at| TouchInput {
        client_id: c.id,
        at: Some(at),
        ..Default::default()
    };
    let result = j.log_touch(&touch(now + hours(25)), now);
    let message = assert_invalid(&j, &before, "at", result);
    assert!(
        message.contains("more than a day in the future"),
        "{message}"
    );
    // Within a day is fine: time zones and clocks disagree.
    j.log_touch(&touch(now + hours(23)), now).unwrap();
    let before = j.counts();
    let note = NoteInput {
        client_id: c.id,
        at: Some(now + hours(30)),
        body: "x".into(),
        ..Default::default()
    };
    let result = j.add_note(&note, now);
    assert_invalid(&j, &before, "at", result);
}

#[test]
fn entry_text_over_its_limit_is_refused() {
    let mut j = TestJournal::new();
    let c = j.add("Long", t0());
    let before = j.counts();
    let long_body = TouchInput {
        client_id: c.id,
        body: "b".repeat(validate::TEXT_MAX + 1),
        ..Default::default()
    };
    let result = j.log_touch(&long_body, day(1));
    assert_invalid(&j, &before, "body", result);
    let long_summary = TouchInput {
        client_id: c.id,
        summary: "s".repeat(validate::LINE_MAX + 1),
        ..Default::default()
    };
    let result = j.log_touch(&long_summary, day(1));
    assert_invalid(&j, &before, "summary", result);
    // A 10 MB paste is refused as quickly as a short one, and names the field.
    let huge = NoteInput {
        client_id: c.id,
        body: "h".repeat(10 * 1024 * 1024),
        ..Default::default()
    };
    let result = j.add_note(&huge, day(1));
    assert_invalid(&j, &before, "body", result);
    let empty = NoteInput {
        client_id: c.id,
        ..Default::default()
    };
    let result = j.add_note(&empty, day(1));
    assert_invalid(&j, &before, "body", result);
    let bad_due = TouchInput {
        client_id: c.id,
        follow_up: Some(FollowUpDraft {
            what: "far".into(),
            due_at: day(365 * 200),
        }),
        ..Default::default()
    };
    let result = j.log_touch(&bad_due, day(1));
    assert_invalid(&j, &before, "follow_up.due_at", result);
    let no_due = FollowUpInput {
        client_id: c.id,
        what: "x".into(),
        ..Default::default()
    };
    let result = j.add_follow_up(&no_due, day(1));
    assert_invalid(&j, &before, "due_at", result);
}

#[test]
fn unknown_ids_are_named() {
    let mut j = TestJournal::new();
    let c = j.add("Known", t0());
    let before = j.counts();
    let not_found = |r: rapport::Result<()>, kind: &str, id: i64| match r {
        Err(Error::NotFound { kind: k, id: i }) => assert_eq!((k, i), (kind, id)),
        other => panic!("expected not found {kind} {id}, got {other:?}"),
    };
    let touch = TouchInput {
        client_id: 404,
        ..Default::default()
    };
    not_found(j.log_touch(&touch, day(1)).map(drop), "client", 404);
    let note = NoteInput {
        client_id: 404,
        body: "x".into(),
        ..Default::default()
    };
    not_found(j.add_note(&note, day(1)).map(drop), "client", 404);
    let follow_up = FollowUpInput {
        client_id: c.id,
        touch_id: Some(77),
        what: "x".into(),
        due_at: Some(day(2)),
    };
    not_found(j.add_follow_up(&follow_up, day(1)).map(drop), "touch", 77);
    not_found(
        j.update_client(404, &named("X"), day(1)).map(drop),
        "client",
        404,
    );
    not_found(j.archive_client(404, day(1)).map(drop), "client", 404);
    not_found(j.delete_client(404), "client", 404);
    not_found(j.delete_touch(5).map(drop), "touch", 5);
    not_found(j.delete_note(5).map(drop), "note", 5);
    not_found(
        j.complete_follow_up(5, true, day(1)).map(drop),
        "follow-up",
        5,
    );
    not_found(j.snooze_client(404, None, day(1)).map(drop), "client", 404);
    not_found(
        j.set_stage(404, Stage::Foothold, day(1), "", day(1))
            .map(drop),
        "client",
        404,
    );
    not_found(
        j.add_introduction(c.id, 404, day(1), "", day(1)).map(drop),
        "client",
        404,
    );
    not_found(j.delete_introduction(3).map(drop), "introduction", 3);
    not_found(j.stage_history(404).map(drop), "client", 404);
    not_found(j.introductions(404).map(drop), "client", 404);
    not_found(j.open_follow_ups(404).map(drop), "client", 404);
    assert_eq!(j.counts(), before);
}

#[test]
fn one_line_fields_refuse_what_hides_or_reorders_text_and_keep_what_scripts_need() {
    let mut j = TestJournal::new();
    j.add("Existing", t0());
    let before = j.counts();
    for (name, wanted) in [
        ("Ada\u{202E}ecalevoL", "invisible character (U+202E)"),
        (
            "Ada\u{2066}Lovelace\u{2069}",
            "invisible character (U+2066)",
        ),
        ("Ada\u{200B}Lovelace", "invisible character (U+200B)"),
        ("\u{200D}Ada", "invisible character (U+200D)"),
        ("Ada\u{FEFF}", "invisible character (U+FEFF)"),
        ("Ada\u{AD}Lovelace", "invisible character (U+00AD)"),
        ("\u{3164}", "invisible character (U+3164)"),
        ("Ada\u{2028}Lovelace", "must be a single line"),
        ("Ada\u{2029}Lovelace", "must be a single line"),
        ("\u{301}\u{302}\u{303}", "nothing visible"),
    ] {
        let result = j.create_client(&named(name), Stage::MeToo, t0());
        let message = assert_invalid(&j, &before, "name", result);
        assert!(message.contains(wanted), "{name:?}: {message}");
    }
    // A tag and an organisation are one-line fields as well.
    let result = j.create_client(
        &ClientInput {
            tags: vec!["vip\u{200B}".into()],
            ..named("Tagged")
        },
        Stage::MeToo,
        t0(),
    );
    let message = assert_invalid(&j, &before, "tags", result);
    assert!(message.contains("invisible"), "{message}");

    // What real names need is kept: joiners inside emoji and Persian words, accents, and a
    // name typed with a combining accent is stored composed, as one typed with "é" is.
    for (typed, stored) in [
        (
            "Family 👨\u{200D}👩\u{200D}👧",
            "Family 👨\u{200D}👩\u{200D}👧",
        ),
        ("می\u{200C}خواهم", "می\u{200C}خواهم"),
        ("Ngozi Adébáyọ̀", "Ngozi Adébáyọ̀"),
        ("Rene\u{301}e Dupont", "Renée Dupont"),
    ] {
        let client = j.create_client(&named(typed), Stage::MeToo, t0()).unwrap();
        assert_eq!(client.name, stored, "{typed:?}");
    }
}
