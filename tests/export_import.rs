//! Exports (JSON, CSV, iCalendar) and imports (CSV from LinkedIn, Google and Outlook, vCard,
//! Rapport's JSON): real files, whole-file refusal, duplicates, and bad input of every kind.

use chrono::NaiveTime;
use rapport::{
    ClientInput, Error, ExportKind, Fact, Field, FollowUpDraft, FollowUpInput, ImportFormat,
    Journal, NoteInput, Pillars, QuietHours, Stage, TouchInput, TouchKind,
};

use crate::util::{day, hours, named, no_options, t0, TestJournal};

fn fixture(name: &str) -> Vec<u8> {
    std::fs::read(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures")
            .join(name),
    )
    .unwrap()
}

/// A journal with one of everything: facts, tags, pillars, own cadence, archived, snoozed,
/// stage moves, touches and notes, follow-ups open, snoozed and done, an introduction, settings,
/// a changed stage cadence and a fired reminder.
pub fn rich_journal() -> TestJournal {
    let mut j = TestJournal::new();
    let ada = j
        .create_client(
            &ClientInput {
                name: "Ada Lovelace".into(),
                organisation: "Analytical Engines, Ltd".into(),
                role: "Chief \"Poet\"; Scientist".into(),
                email: "ada@example.com".into(),
                phone: "+44 20 0000 0001".into(),
                profile: "Likes\nmathematics, and \\ backslashes".into(),
                facts: vec![
                    Fact {
                        label: "family".into(),
                        value: "one daughter".into(),
                    },
                    Fact {
                        label: "sails".into(),
                        value: "a Contessa 32".into(),
                    },
                ],
                tags: vec!["board".into(), "Fintech".into()],
                cadence_days: Some(10),
                pillars: Pillars {
                    compatibility: Some(4),
                    knowledge: Some(2),
                    trust: None,
                },
            },
            Stage::MeToo,
            t0(),
        )
        .unwrap();
    let bob = j.add("Bob Émile", t0() + hours(1));
    let cy = j.add("Cy", t0() + hours(2));
    j.set_stage(ada.id, Stage::Foothold, day(3), "first order", day(3))
        .unwrap();
    let logged = j
        .log_touch(
            &TouchInput {
                client_id: ada.id,
                kind: TouchKind::Meeting,
                at: Some(day(4)),
                summary: "Lunch, at last".into(),
                body: "Promised the report; she asked for a discount".into(),
                gave_value: false,
                asked: true,
                follow_up: Some(FollowUpDraft {
                    what: "Send the report, with figures; and the deck".into(),
                    due_at: day(7),
                }),
            },
            day(4),
        )
        .unwrap();
    j.log_touch(
        &TouchInput {
            client_id: bob.id,
            kind: TouchKind::ValueAdd,
            at: Some(day(5)),
            summary: "Sent an article".into(),
            ..Default::default()
        },
        day(5),
    )
    .unwrap();
    j.add_note(
        &NoteInput {
            client_id: ada.id,
            at: Some(day(2)),
            summary: "".into(),
            body: "Read her paper".into(),
        },
        day(2),
    )
    .unwrap();
    let done = j
        .add_follow_up(
            &FollowUpInput {
                client_id: bob.id,
                touch_id: None,
                what: "Call back".into(),
                due_at: Some(day(6)),
            },
            day(5),
        )
        .unwrap();
    j.complete_follow_up(done.id, true, day(6)).unwrap();
    let snoozed = j
        .add_follow_up(
            &FollowUpInput {
                client_id: cy.id,
                touch_id: None,
                what: "Intro to the CFO".into(),
                due_at: Some(day(8)),
            },
            day(5),
        )
        .unwrap();
    j.snooze_follow_up(snoozed.id, Some(day(9)), day(8))
        .unwrap();
    j.add_introduction(ada.id, cy.id, day(2), "at the conference", day(2))
        .unwrap();
    j.archive_client(cy.id, day(10)).unwrap();
    j.snooze_client(bob.id, Some(day(40)), day(10)).unwrap();
    j.set_quiet_hours(QuietHours {
        start: NaiveTime::from_hms_opt(21, 30, 0).unwrap(),
        end: NaiveTime::from_hms_opt(7, 0, 0).unwrap(),
    })
    .unwrap();
    j.set_backup_keep(12).unwrap();
    j.set_stage_cadence(Stage::OnlyMe, 45).unwrap();
    let due = j.due_reminders(day(30)).unwrap();
    assert!(!due.is_empty());
    j.mark_fired(&due, day(30)).unwrap();
    assert_eq!(logged.follow_up.unwrap().touch_id, Some(logged.touch.id));
    j
}

#[test]
fn json_export_imports_into_an_empty_journal_identically() {
    let j = rich_journal();
    let json = j.export_json(day(31)).unwrap();
    let text = std::str::from_utf8(&json).unwrap();
    assert!(text.starts_with("{\n  \"format\": \"rapport-journal\",\n  \"version\": 1,"));

    let mut copy = TestJournal::new();
    let imported = copy.import_json(&json, day(40)).unwrap();
    assert_eq!(imported.client_ids.len(), 3);
    let again = copy.export_json(day(31)).unwrap();
    assert_eq!(String::from_utf8(again).unwrap(), text);

    // Every entity, read through the ordinary API, is the same.
    for id in &imported.client_ids {
        assert_eq!(copy.client(*id).unwrap(), j.client(*id).unwrap());
        assert_eq!(
            copy.client_overview(*id, day(31)).unwrap(),
            j.client_overview(*id, day(31)).unwrap()
        );
        assert_eq!(
            copy.timeline(*id, None, 100).unwrap(),
            j.timeline(*id, None, 100).unwrap()
        );
    }
    assert_eq!(copy.counts(), j.counts());
    assert_eq!(copy.stage_cadences().unwrap(), j.stage_cadences().unwrap());
    assert_eq!(copy.quiet_hours().unwrap(), j.quiet_hours().unwrap());
    assert_eq!(copy.backup_keep().unwrap(), 12);
    assert_eq!(
        copy.due_reminders(day(30)).unwrap(),
        j.due_reminders(day(30)).unwrap()
    );
    assert_eq!(
        copy.who_needs_me(day(31), 100).unwrap(),
        j.who_needs_me(day(31), 100).unwrap()
    );
    assert_eq!(
        copy.search("report", 10).unwrap(),
        j.search("report", 10).unwrap()
    );
    copy.assert_search_index_consistent();
}

#[test]
fn json_import_into_a_journal_with_clients_is_refused() {
    let j = rich_journal();
    let json = j.export_json(day(31)).unwrap();
    let mut other = TestJournal::new();
    other.add("Already here", t0());
    let before = other.counts();
    let preview = other.preview_import(&json, &no_options()).unwrap();
    assert_eq!(preview.format, ImportFormat::Json);
    assert_eq!(preview.rows, 3);
    assert!(
        preview.problems[0].reason.contains("empty journal"),
        "{preview:?}"
    );
    let err = other.import_json(&json, day(40)).unwrap_err();
    assert!(matches!(err, Error::Invalid { field: "file", .. }), "{err}");
    assert!(err.to_string().contains("only into an empty journal"));
    assert_eq!(other.counts(), before);
}

fn edited(json: &[u8], f: impl FnOnce(&mut serde_json::Value)) -> Vec<u8> {
    let mut value: serde_json::Value = serde_json::from_slice(json).unwrap();
    f(&mut value);
    serde_json::to_vec(&value).unwrap()
}

#[test]
fn a_json_file_with_bad_records_is_refused_whole() {
    let j = rich_journal();
    let json = j.export_json(day(31)).unwrap();
    let cases: Vec<(Vec<u8>, &str)> = vec![
        (
            edited(&json, |v| v["clients"][0]["email"] = "not an email".into()),
            "is not an email address",
        ),
        (
            edited(&json, |v| v["clients"][0]["cadence_days"] = 9999.into()),
            "cadence_days",
        ),
        (
            edited(&json, |v| {
                v["clients"][1]["name"] = "<script>alert(1)</script>".into()
            }),
            "<script>",
        ),
        (
            edited(&json, |v| {
                v["clients"][0]["created_at"] = "2999-01-01T00:00:00Z".into()
            }),
            "after 2299",
        ),
        (
            edited(&json, |v| {
                v["clients"][2]["id"] = v["clients"][0]["id"].clone()
            }),
            "not unique",
        ),
        (
            edited(&json, |v| {
                v["introductions"][0]["introduced_id"] = 999.into()
            }),
            "not in the file",
        ),
        (
            edited(&json, |v| {
                v["clients"][0]["entries"][0]["kind"] = "telepathy".into()
            }),
            "not a touch kind",
        ),
        (
            edited(&json, |v| v["clients"][0]["pillars"]["trust"] = 9.into()),
            "trust",
        ),
        (edited(&json, |v| v["version"] = 2.into()), "newer Rapport"),
        (
            edited(&json, |v| v["format"] = "something-else".into()),
            "not a Rapport journal export",
        ),
        (
            edited(&json, |v| v["unexpected"] = true.into()),
            "unknown field",
        ),
        // The rules every write in the window applies, at the moment of the import.
        (
            edited(&json, |v| {
                v["clients"][0]["entries"][0]["at"] = "2299-06-01T09:00:00Z".into()
            }),
            "more than a day in the future",
        ),
        (
            edited(&json, |v| {
                v["clients"][0]["follow_ups"][0]["due_at"] = "2299-06-01T09:00:00Z".into()
            }),
            "more than a hundred years away",
        ),
        (
            edited(&json, |v| v["settings"]["backup_keep"] = "1".into()),
            "must be between 2 and 365 backups, not 1",
        ),
        (
            edited(&json, |v| v["settings"]["quiet_hours"] = "late".into()),
            "not hours as HH:MM-HH:MM",
        ),
        (
            edited(&json, |v| v["settings"]["theme"] = "dark".into()),
            "not a setting Rapport writes",
        ),
        (b"{ not json".to_vec(), "line 1, column 3"),
        (vec![b'{', 0xff, 0xfe, b'}'], "not UTF-8"),
    ];
    for (bytes, expected) in cases {
        let mut empty = TestJournal::new();
        let before = empty.counts();
        let err = empty.import_json(&bytes, day(40)).unwrap_err();
        assert!(
            err.to_string().contains(expected),
            "expected {expected:?} in {err}"
        );
        assert_eq!(empty.counts(), before);
    }
}

#[test]
fn an_export_is_saved_private_and_named_by_its_day_never_over_another() {
    let mut j = TestJournal::new();
    let c = j.add("Ada Lovelace", t0());
    j.call(c.id, day(1), "first call");
    let dir = tempfile::tempdir().unwrap();
    let today = chrono::NaiveDate::from_ymd_opt(2026, 3, 4).unwrap();
    let names: Vec<String> = [
        ExportKind::Journal,
        ExportKind::ClientsCsv,
        ExportKind::TouchesCsv,
        ExportKind::FollowUpsIcs,
        ExportKind::ClientsCsv,
    ]
    .into_iter()
    .map(|kind| {
        let path = j.export_into(kind, dir.path(), day(2), today).unwrap();
        assert_eq!(path.parent(), Some(dir.path()));
        let mode = std::os::unix::fs::PermissionsExt::mode(
            &std::fs::metadata(&path).unwrap().permissions(),
        );
        assert_eq!(mode & 0o777, 0o600);
        assert_eq!(
            std::fs::read(&path).unwrap(),
            j.export_bytes(kind, day(2)).unwrap()
        );
        path.file_name().unwrap().to_string_lossy().into_owned()
    })
    .collect();
    assert_eq!(
        names,
        [
            "rapport-journal-2026-03-04.json",
            "rapport-clients-2026-03-04.csv",
            "rapport-touches-2026-03-04.csv",
            "rapport-follow-ups-2026-03-04.ics",
            "rapport-clients-2026-03-04-2.csv",
        ]
    );
}

#[test]
fn clients_and_touches_export_as_csv() {
    let mut j = rich_journal();
    j.add("=HYPERLINK(\"http://evil\")", day(11));
    // A sign, then a formula: spreadsheets run these as well.
    j.add("-1+HYPERLINK(\"http://evil\")", day(11));
    j.add("+1+cmd|' /C calc'!A0", day(11));
    j.add("-12.5", day(11));
    let clients = j.export_clients_csv().unwrap();
    let mut reader = csv::Reader::from_reader(clients.as_slice());
    let header: Vec<String> = reader.headers().unwrap().iter().map(String::from).collect();
    assert_eq!(header[..4], ["id", "name", "organisation", "role"]);
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    assert_eq!(rows.len(), 7);
    let ada = rows.iter().find(|r| &r[1] == "Ada Lovelace").unwrap();
    assert_eq!(&ada[2], "Analytical Engines, Ltd");
    assert_eq!(&ada[3], "Chief \"Poet\"; Scientist");
    assert_eq!(&ada[5], "+44 20 0000 0001", "a phone number is not defused");
    assert_eq!(&ada[6], "foothold");
    assert_eq!(&ada[8], "board; Fintech");
    assert_eq!(&ada[9], "Likes\nmathematics, and \\ backslashes");
    assert_eq!(&ada[10], "2026-03-02T09:00:00Z");
    for defused in [
        "'=HYPERLINK(\"http://evil\")",
        "'-1+HYPERLINK(\"http://evil\")",
        "'+1+cmd|' /C calc'!A0",
    ] {
        assert!(rows.iter().any(|r| &r[1] == defused), "{defused}");
    }
    assert!(
        rows.iter().any(|r| &r[1] == "-12.5"),
        "a number is not defused"
    );

    let touches = j.export_touches_csv().unwrap();
    let mut reader = csv::Reader::from_reader(touches.as_slice());
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    assert_eq!(rows.len(), 2, "notes are not touches");
    assert_eq!(&rows[0][2], "Ada Lovelace");
    assert_eq!(&rows[0][4], "meeting");
    assert_eq!(&rows[0][6], "Lunch, at last");
    assert_eq!(&rows[1][8], "yes", "a value-add gives");
}

#[test]
fn open_follow_ups_export_as_icalendar_that_parses_back() {
    let mut j = rich_journal();
    let ada = j.client(1).unwrap();
    let long = "Prepare a long proposal with pricing, ".repeat(5) + "ünïcödé 日本語 at the end";
    j.add_follow_up(
        &FollowUpInput {
            client_id: ada.id,
            touch_id: None,
            what: long.clone(),
            due_at: Some(day(12) + hours(5)),
        },
        day(10),
    )
    .unwrap_err(); // longer than a line: refused
    let long: String = long.chars().take(190).collect();
    let fu = j
        .add_follow_up(
            &FollowUpInput {
                client_id: ada.id,
                touch_id: None,
                what: long.clone(),
                due_at: Some(day(12) + hours(5)),
            },
            day(10),
        )
        .unwrap();
    let ics = j.export_follow_ups_ics(day(11)).unwrap();
    // CRLF line ends only, and no line longer than 75 octets.
    assert!(ics.ends_with("\r\n"));
    for line in ics.split("\r\n") {
        assert!(!line.contains('\n') && !line.contains('\r'), "{line:?}");
        assert!(line.len() <= 75, "{} octets: {line:?}", line.len());
    }
    // Same follow-up, same UID, whenever exported.
    let again = j.export_follow_ups_ics(day(20)).unwrap();
    let uid = |s: &str| -> Vec<String> {
        s.split("\r\n")
            .filter(|l| l.starts_with("UID:"))
            .map(String::from)
            .collect()
    };
    assert_eq!(uid(&ics), uid(&again));
    assert_eq!(uid(&ics).len(), 3, "open and snoozed, not done: {ics}");
    assert!(ics.contains(&format!("UID:follow-up-{}-", fu.id)));
    // The escaping of , ; \ and line breaks, on an unfolded copy.
    let unfolded = ics.replace("\r\n ", "");
    assert!(
        unfolded.contains(
            "SUMMARY:Follow up with Ada Lovelace: Send the report\\, with figures\\; and the deck"
        ),
        "{unfolded}"
    );
    assert!(unfolded.contains("DESCRIPTION:Send the report\\, with figures\\; and the deck\\nWith: Ada Lovelace (Analytical Engines\\, Ltd)"));
    assert!(unfolded.contains("DTSTART:20260309T090000Z"));
    assert!(unfolded.contains("DTEND:20260309T091500Z"));
    assert!(unfolded.contains("DTSTAMP:20260313T090000Z"));

    // An independent parser reads it back.
    let parser = ical::IcalParser::new(std::io::BufReader::new(ics.as_bytes()));
    let calendars: Vec<_> = parser.map(Result::unwrap).collect();
    assert_eq!(calendars.len(), 1);
    let events = &calendars[0].events;
    assert_eq!(events.len(), 3);
    let summary = |e: &ical::parser::ical::component::IcalEvent| {
        e.properties
            .iter()
            .find(|p| p.name == "SUMMARY")
            .and_then(|p| p.value.clone())
            .unwrap()
    };
    let summaries: Vec<String> = events.iter().map(summary).collect();
    assert!(summaries.contains(&"Follow up with Cy: Intro to the CFO".to_string()));
    // (That parser trims the end of each folded line, so a long value is checked by hand:
    // unfolded as RFC 5545 says, then unescaped, it is the follow-up's text exactly.)
    let unescape = |v: &str| {
        v.replace("\\n", "\n")
            .replace("\\,", ",")
            .replace("\\;", ";")
            .replace("\\\\", "\\")
    };
    let long_summary = unfolded
        .split("\r\n")
        .find(|l| l.starts_with("SUMMARY:") && l.contains("proposal"))
        .unwrap();
    assert_eq!(
        unescape(&long_summary["SUMMARY:".len()..]),
        format!("Follow up with Ada Lovelace: {}", fu.what)
    );
}

#[test]
fn linkedin_connections_with_their_preamble() {
    let mut j = TestJournal::new();
    let bytes = fixture("linkedin_connections.csv");
    let preview = j.preview_import(&bytes, &no_options()).unwrap();
    assert_eq!(preview.format, ImportFormat::Csv);
    assert_eq!(preview.source, "LinkedIn connections");
    assert_eq!(preview.header_line, Some(4));
    assert_eq!(
        preview.mapping,
        [
            Field::FirstName,
            Field::LastName,
            Field::Fact,
            Field::Email,
            Field::Organisation,
            Field::Role,
            Field::Fact
        ]
    );
    assert_eq!(preview.rows, 4);
    assert!(preview.skipped.is_empty(), "{:?}", preview.skipped);
    assert_eq!(preview.sample[1].client.name, "Bertrand Lefèvre");
    assert_eq!(
        preview.sample[1].client.organisation,
        "Lefèvre & Fils, SARL"
    );
    assert_eq!(preview.sample[2].client.role, "VP, Partnerships");
    let imported = j
        .import(
            &bytes,
            &no_options(),
            &rapport::DuplicateChoices::default(),
            t0(),
        )
        .unwrap();
    assert_eq!(imported.client_ids.len(), 4);
    let amelia = j.client(imported.client_ids[0]).unwrap();
    assert_eq!(amelia.name, "Amelia Okafor");
    assert_eq!(amelia.email, "amelia.okafor@example.com");
    assert_eq!(amelia.facts[0].label, "URL");
    assert_eq!(amelia.facts[1].label, "Connected On");
    assert_eq!(amelia.facts[1].value, "12 Mar 2024");
    assert_eq!(amelia.stage, Stage::MeToo);
}

#[test]
fn google_contacts_new_and_old_formats() {
    let mut j = TestJournal::new();
    let bytes = fixture("google_contacts.csv");
    let preview = j.preview_import(&bytes, &no_options()).unwrap();
    assert_eq!(preview.source, "Google Contacts");
    assert_eq!(preview.encoding, "UTF-8");
    assert_eq!(preview.header_line, Some(1), "after the byte-order mark");
    assert_eq!(preview.rows, 3);
    assert!(preview.skipped.is_empty(), "{:?}", preview.skipped);
    let imported = j
        .import(
            &bytes,
            &no_options(),
            &rapport::DuplicateChoices::default(),
            t0(),
        )
        .unwrap();
    let elena = j.client(imported.client_ids[0]).unwrap();
    assert_eq!(elena.name, "Elena María Ruiz");
    assert_eq!(elena.organisation, "Iberia Health");
    assert_eq!(elena.role, "Chief Medical Officer");
    assert_eq!(elena.email, "elena.ruiz@example.com", "the first email");
    assert_eq!(elena.phone, "+34 600 000 001");
    assert_eq!(
        elena.profile, "Met at the Lisbon summit.\nPrefers calls before 10.",
        "line breaks as the journal keeps them"
    );
    assert_eq!(
        elena.tags,
        ["Board", "Healthcare"],
        "system groups left out"
    );
    assert!(elena
        .facts
        .iter()
        .any(|f| f.label == "Birthday" && f.value == "1979-04-02"));
    let farid = j.client(imported.client_ids[1]).unwrap();
    assert!(farid
        .facts
        .iter()
        .any(|f| f.value == "https://cedar.example.com/farid"));
    let grace = j.client(imported.client_ids[2]).unwrap();
    assert_eq!(grace.tags, ["Friends"]);

    let old = fixture("google_contacts_old.csv");
    let preview = j.preview_import(&old, &no_options()).unwrap();
    assert_eq!(preview.source, "Google Contacts");
    assert!(preview.skipped.is_empty(), "{:?}", preview.skipped);
    let imported = j
        .import(
            &old,
            &no_options(),
            &rapport::DuplicateChoices::default(),
            t0(),
        )
        .unwrap();
    let hiro = j.client(imported.client_ids[0]).unwrap();
    assert_eq!(hiro.name, "Hiro Tanaka");
    assert_eq!(hiro.organisation, "Sakura Robotics");
    assert_eq!(hiro.role, "Head of Sales");
    assert_eq!(hiro.email, "hiro.tanaka@example.jp");
    assert_eq!(hiro.tags, ["Japan"]);
    assert_eq!(hiro.profile, "Introduced by Farid.");
}

#[test]
fn outlook_contacts_in_windows_1252() {
    let mut j = TestJournal::new();
    let bytes = fixture("outlook_contacts.csv");
    assert!(std::str::from_utf8(&bytes).is_err());
    let preview = j.preview_import(&bytes, &no_options()).unwrap();
    assert_eq!(preview.source, "Outlook contacts");
    assert_eq!(preview.encoding, "windows-1252");
    assert_eq!(
        preview.mapping[0],
        Field::Ignore,
        "Outlook's Title is Mr or Ms"
    );
    assert!(preview.skipped.is_empty(), "{:?}", preview.skipped);
    let imported = j
        .import(
            &bytes,
            &no_options(),
            &rapport::DuplicateChoices::default(),
            t0(),
        )
        .unwrap();
    let jose = j.client(imported.client_ids[0]).unwrap();
    assert_eq!(jose.name, "José Martínez");
    assert_eq!(jose.organisation, "Ibérica Energía");
    assert_eq!(jose.role, "Director de compras");
    assert_eq!(
        jose.phone, "+34 91 000 0001",
        "the business phone, not the assistant's"
    );
    assert_eq!(jose.email, "jose.martinez@example.es");
    assert_eq!(jose.tags, ["Clients", "Energy"]);
    assert_eq!(
        jose.profile,
        "Prefers Spanish. Café after meetings – always."
    );
    let kasia = j.client(imported.client_ids[1]).unwrap();
    assert_eq!(kasia.phone, "+48 600 000 002");
}

#[test]
fn vcards_3_and_4() {
    let mut j = TestJournal::new();
    let v3 = fixture("contacts_v3.vcf");
    let preview = j.preview_import(&v3, &no_options()).unwrap();
    assert_eq!(preview.format, ImportFormat::Vcard);
    assert_eq!(preview.source, "vCard 3.0");
    assert_eq!(preview.rows, 2);
    assert!(preview.skipped.is_empty(), "{:?}", preview.skipped);
    let imported = j
        .import(
            &v3,
            &no_options(),
            &rapport::DuplicateChoices::default(),
            t0(),
        )
        .unwrap();
    let liam = j.client(imported.client_ids[0]).unwrap();
    assert_eq!(liam.name, "Liam Quinn");
    assert_eq!(liam.organisation, "Harbour Capital");
    assert_eq!(liam.role, "Managing Director");
    assert_eq!(liam.email, "liam@example.com", "the preferred one");
    assert_eq!(liam.phone, "+353 87 000 0001");
    assert_eq!(
        liam.profile,
        "Met at the Dublin fintech breakfast, 2024.\nAsk about the sailing trip; he owns a Contessa 32."
    );
    assert_eq!(liam.tags, ["board", "fintech"]);
    let fact = |label: &str| {
        liam.facts
            .iter()
            .find(|f| f.label == label)
            .map(|f| f.value.as_str())
    };
    assert_eq!(fact("URL"), Some("https://harbour.example.ie/liam"));
    assert_eq!(
        fact("Email (work)"),
        Some("liam.quinn@example.ie"),
        "the other email kept"
    );
    let chloe = j.client(imported.client_ids[1]).unwrap();
    assert_eq!(chloe.name, "Chloé Moreau");
    assert_eq!(chloe.email, "chloe@example.fr", "grouped properties");

    let v4 = fixture("contacts_v4.vcf");
    let imported = j
        .import(
            &v4,
            &no_options(),
            &rapport::DuplicateChoices::default(),
            t0(),
        )
        .unwrap();
    let nadia = j.client(imported.client_ids[0]).unwrap();
    assert_eq!(nadia.phone, "+7-900-000-0005");
    assert_eq!(nadia.email, "nadia.petrova@example.com");
    assert_eq!(nadia.profile, "Two daughters; likes chess.");
    assert_eq!(nadia.tags, ["logistics", "russia"]);
}

#[test]
fn vcard_2_1_with_quoted_printable_and_an_unindented_photo() {
    let mut j = TestJournal::new();
    let bytes = fixture("contacts_v21_qp.vcf");
    let preview = j.preview_import(&bytes, &no_options()).unwrap();
    assert!(preview.skipped.is_empty(), "{:?}", preview.skipped);
    let imported = j
        .import(
            &bytes,
            &no_options(),
            &rapport::DuplicateChoices::default(),
            t0(),
        )
        .unwrap();
    let soren = j.client(imported.client_ids[0]).unwrap();
    assert_eq!(soren.name, "Søren Østergaard");
    assert_eq!(soren.organisation, "Kjøbenhavn Havn A/S");
    assert_eq!(
        soren.profile,
        "Første møde i Aarhus.\nSpørg om båden og havnen."
    );
    assert_eq!(soren.phone, "+45 20 00 00 06");
    let anna = j.client(imported.client_ids[1]).unwrap();
    assert_eq!(anna.name, "Anna Müller", "from N, in ISO-8859-1");
    assert_eq!(anna.role, "Einkauf");
}

/// Odd rows do not keep the good ones out: a row with nothing that says who it is, or that
/// cannot be split into its columns, is skipped with its line and reason; a malformed email is
/// left out with a warning and the row imported; a name over two lines is put on one. What is
/// imported is what the preview said, in one transaction.
#[test]
fn odd_rows_are_skipped_or_warned_and_the_good_ones_imported() {
    let mut j = TestJournal::new();
    let csv = "Name,Email,Company\r\n\
               Good One,good@example.com,Acme\r\n\
               Bad Mail,bob@,Acme\r\n\
               \"Quoted\r\nName\",x@example.com,Acme\r\n\
               ,,\r\n\
               Too,many@example.com,Acme,extra\r\n\
               ,nobody@example.com,\r\n\
               Fine Two,,\r\n";
    let preview = j.preview_import(csv.as_bytes(), &no_options()).unwrap();
    let skipped: Vec<u64> = preview.skipped.iter().map(|s| s.line).collect();
    assert_eq!(skipped, [7], "{:?}", preview.skipped);
    assert!(
        preview.skipped[0].reason.contains("4 fields"),
        "{:?}",
        preview.skipped
    );
    assert_eq!(preview.accepted, 5, "the blank row is no row at all");
    let warned: Vec<(u64, &str)> = preview
        .warnings
        .iter()
        .map(|w| (w.line, w.field.as_str()))
        .collect();
    assert_eq!(
        warned,
        [(3, "email"), (8, "name")],
        "{:?}",
        preview.warnings
    );
    assert!(
        preview.warnings[0].message.contains("\"bob@\""),
        "{:?}",
        preview.warnings
    );
    let imported = j
        .import(
            csv.as_bytes(),
            &no_options(),
            &rapport::DuplicateChoices::default(),
            t0(),
        )
        .unwrap();
    assert_eq!(imported.client_ids.len(), 5);
    assert_eq!(imported.skipped_rows, 1);
    let names: Vec<String> = imported
        .client_ids
        .iter()
        .map(|id| j.client(*id).unwrap().name)
        .collect();
    assert_eq!(
        names,
        [
            "Good One",
            "Bad Mail",
            "Quoted Name",
            "nobody@example.com",
            "Fine Two"
        ]
    );
    assert_eq!(
        j.client(imported.client_ids[1]).unwrap().email,
        "",
        "left out"
    );

    // Quoted fields may hold line breaks where the field allows them.
    let ok = "Name,Notes\nAda,\"line one\nline two, with a comma\"\nBob,\n";
    let imported = j
        .import(
            ok.as_bytes(),
            &no_options(),
            &rapport::DuplicateChoices::default(),
            t0(),
        )
        .unwrap();
    assert_eq!(
        j.client(imported.client_ids[0]).unwrap().profile,
        "line one\nline two, with a comma"
    );
}

/// A file with no row anyone could import is refused whole, saying why, and nothing is written.
#[test]
fn a_file_with_nothing_to_import_is_refused_whole() {
    let mut j = TestJournal::new();
    let before = j.counts();
    for (bytes, says) in [
        (&b"Name,Email\n,\n,\n"[..], "holds no contacts"),
        (
            b"Name,Email\n,urn:li:member:1\n",
            "no row could be imported",
        ),
        (b"Product,Price\nTea,3\n", "no column is mapped to a name"),
        (b"PK\x03\x04\x00\x00binary", "not text"),
    ] {
        let err = j
            .import(
                bytes,
                &no_options(),
                &rapport::DuplicateChoices::default(),
                t0(),
            )
            .unwrap_err();
        assert!(err.to_string().contains(says), "{err} for {bytes:?}");
        assert_eq!(j.counts(), before);
    }
}

#[test]
fn a_mapping_chosen_by_the_user() {
    let mut j = TestJournal::new();
    let csv = "Who,Where,Reach\nAda,Acme,ada@example.com\n";
    let preview = j.preview_import(csv.as_bytes(), &no_options());
    assert!(matches!(
        preview,
        Err(Error::Invalid {
            field: "mapping",
            ..
        })
    ));
    let mapping = [Field::Name, Field::Organisation, Field::Email];
    let chosen = |mapping: &[Field]| rapport::ImportOptions {
        mapping: Some(mapping.to_vec()),
        ..no_options()
    };
    let preview = j.preview_import(csv.as_bytes(), &chosen(&mapping)).unwrap();
    assert_eq!(preview.sample[0].client.organisation, "Acme");
    assert!(matches!(
        j.import(
            csv.as_bytes(),
            &chosen(&mapping[..2]),
            &rapport::DuplicateChoices::default(),
            t0()
        ),
        Err(Error::Invalid {
            field: "mapping",
            ..
        })
    ));
    j.import(
        csv.as_bytes(),
        &chosen(&mapping),
        &rapport::DuplicateChoices::default(),
        t0(),
    )
    .unwrap();
}

#[test]
fn duplicates_in_the_journal_and_in_the_file() {
    let mut j = TestJournal::new();
    j.create_client(
        &ClientInput {
            name: "Ada Lovelace".into(),
            email: "Ada@Example.com".into(),
            ..Default::default()
        },
        Stage::MeToo,
        t0(),
    )
    .unwrap();
    j.create_client(
        &ClientInput {
            name: "Émile Zola".into(),
            organisation: "L'Aurore".into(),
            ..Default::default()
        },
        Stage::MeToo,
        t0(),
    )
    .unwrap();
    let csv = "Name,Email,Company\n\
               A. Lovelace,ada@example.COM,\n\
               emile  zola,,l'aurore\n\
               New Person,new@example.com,\n\
               Newer Person,NEW@example.com,\n\
               New Person,,\n\
               Fresh,,\n";
    let preview = j.preview_import(csv.as_bytes(), &no_options()).unwrap();
    let found: Vec<(Option<u64>, Option<i64>, Option<u64>)> = preview
        .duplicates
        .iter()
        .map(|d| (d.line, d.existing_client_id, d.other_line))
        .collect();
    assert_eq!(
        found,
        [
            (Some(2), Some(1), None),
            (Some(3), Some(2), None),
            (Some(5), None, Some(4)),
            (Some(6), None, Some(4)),
        ],
        "{:?}",
        preview.duplicates
    );
    assert!(preview.duplicates[0]
        .reason
        .contains("same email as Ada Lovelace"));
    let imported = j
        .import(
            csv.as_bytes(),
            &no_options(),
            &rapport::DuplicateChoices::all(rapport::DuplicateChoice::Skip),
            t0(),
        )
        .unwrap();
    assert_eq!(imported.client_ids.len(), 2);
    assert_eq!(imported.skipped_duplicates, 4);
    let names: Vec<String> = imported
        .client_ids
        .iter()
        .map(|id| j.client(*id).unwrap().name)
        .collect();
    assert_eq!(names, ["New Person", "Fresh"]);
}

/// Likely duplicates merged, chosen for all or row by row: into the client already known (their
/// empty fields filled, the rest kept as facts), into the client an earlier row became, or
/// imported as new or left out where the row says so.
#[test]
fn duplicates_merged_into_who_they_look_like_row_by_row() {
    use rapport::{DuplicateChoice, DuplicateChoices};
    let mut j = TestJournal::new();
    let ada = j
        .create_client(
            &ClientInput {
                name: "Ada Lovelace".into(),
                email: "ada@example.com".into(),
                tags: vec!["vip".into()],
                ..Default::default()
            },
            Stage::Foothold,
            t0(),
        )
        .unwrap();
    let csv = "Name,Email,Phone,Company,Tags\n\
               Augusta Ada King,ADA@example.com,+44 20 0000 0001,Analytical Engines,london\n\
               Grace Hopper,grace@navy.example,,,\n\
               Grace B. Hopper,grace@navy.example,+1 202 000 0002,US Navy,\n\
               Ada L.,ada@example.com,,,\n";
    let choices = DuplicateChoices {
        all: DuplicateChoice::Merge,
        rows: [(5, DuplicateChoice::Skip)].into_iter().collect(),
    };
    let before = j.counts();
    let imported = j
        .import(csv.as_bytes(), &no_options(), &choices, t0())
        .unwrap();
    assert_eq!(imported.client_ids.len(), 1, "only Grace is new");
    assert_eq!(imported.merged, [ada.id, imported.client_ids[0]]);
    assert_eq!(imported.skipped_duplicates, 1);
    let merged = j.client(ada.id).unwrap();
    assert_eq!(
        merged.name, "Ada Lovelace",
        "the known client keeps their name"
    );
    assert_eq!(merged.stage, Stage::Foothold);
    assert_eq!(merged.phone, "+44 20 0000 0001", "an empty field filled");
    assert_eq!(merged.organisation, "Analytical Engines");
    assert_eq!(merged.tags, ["london", "vip"]);
    assert!(merged
        .facts
        .iter()
        .any(|f| f.label == "Also known as" && f.value == "Augusta Ada King"));
    let grace = j.client(imported.client_ids[0]).unwrap();
    assert_eq!(grace.name, "Grace Hopper");
    assert_eq!(
        grace.phone, "+1 202 000 0002",
        "the later row merged into the earlier one"
    );
    assert_eq!(grace.organisation, "US Navy");
    let counts: std::collections::HashMap<String, i64> = j.counts().into_iter().collect();
    let was: std::collections::HashMap<String, i64> = before.into_iter().collect();
    assert_eq!(counts["client"], was["client"] + 1);
}

#[test]
fn bad_input_into_every_importer_is_refused_and_writes_nothing() {
    let mut j = TestJournal::new();
    j.add("Existing", t0());
    let before = j.counts();
    let huge = {
        let mut v = b"Name\n".to_vec();
        while v.len() <= rapport::IMPORT_MAX_BYTES {
            v.extend_from_slice(b"Somebody Somewhere\n");
        }
        v
    };
    let script_csv = b"Name,Notes\nEve,<script>alert(1)</script>\n".to_vec();
    let script_vcard =
        b"BEGIN:VCARD\nVERSION:3.0\nFN:<SCRIPT src=x></SCRIPT>\nEND:VCARD\n".to_vec();
    let html = b"<html><body><script>alert(1)</script></body></html>".to_vec();
    let binary = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR".to_vec();
    let nul = b"Name\nAb\x00cd\n".to_vec();
    let inputs: Vec<(&str, Vec<u8>, &str)> = vec![
        ("empty", Vec::new(), "empty"),
        ("blank", b" \r\n\n ".to_vec(), "empty"),
        ("huge", huge, "at most 10 MB"),
        ("binary", binary, "not text"),
        ("nul", nul, "line 2 has a NUL"),
        ("script", script_csv, "<script>"),
        ("html", html, "no column is mapped"),
        ("script card", script_vcard, "<script>"),
    ];
    for (what, bytes, expected) in &inputs {
        let mut errors = Vec::new();
        errors.push(
            j.preview_import(bytes, &no_options())
                .and_then(|p| {
                    if p.problems.is_empty() {
                        Ok(p)
                    } else {
                        Err(Error::Rejected {
                            problems: p.problems,
                        })
                    }
                })
                .map(|_| ())
                .unwrap_err(),
        );
        errors.push(
            j.import(
                bytes,
                &no_options(),
                &rapport::DuplicateChoices::default(),
                t0(),
            )
            .map(|_| ())
            .unwrap_err(),
        );
        errors.push(j.import_json(bytes, t0()).map(|_| ()).unwrap_err());
        let first = errors[0].to_string();
        assert!(first.contains(expected), "{what}: {first}");
        for e in &errors {
            assert!(
                matches!(e, Error::Invalid { .. } | Error::Rejected { .. }),
                "{what}: {e:?}"
            );
        }
        assert_eq!(j.counts(), before, "{what}");
    }
}

/// What is too long or too many is cut with a warning, not a reason to refuse the row: a name
/// over 200 characters, 60 tags, a card never closed.
#[test]
fn values_too_long_or_too_many_are_cut_with_a_warning() {
    let mut j = TestJournal::new();
    let long_name = format!("Name\n{}\n", "x".repeat(201));
    let tags = (0..60)
        .map(|i| format!("t{i}"))
        .collect::<Vec<_>>()
        .join(";");
    let tag_flood = format!("Name,Tags\nAda,{tags}\n");
    let long_card = format!("BEGIN:VCARD\nFN:{}\nEND:VCARD\n", "y".repeat(201));
    let unclosed = "BEGIN:VCARD\nFN:Not Closed\n";
    for (what, text, field) in [
        ("long name", long_name.as_str(), "name"),
        ("tags", tag_flood.as_str(), "tags"),
        ("long card", long_card.as_str(), "name"),
    ] {
        let preview = j.preview_import(text.as_bytes(), &no_options()).unwrap();
        assert_eq!(preview.accepted, 1, "{what}");
        assert_eq!(preview.warnings.len(), 1, "{what}: {:?}", preview.warnings);
        assert_eq!(preview.warnings[0].field, field, "{what}");
        let imported = j
            .import(
                text.as_bytes(),
                &no_options(),
                &rapport::DuplicateChoices::default(),
                t0(),
            )
            .unwrap();
        let c = j.client(imported.client_ids[0]).unwrap();
        assert!(
            c.name.chars().count() <= 200 && c.tags.len() <= 50,
            "{what}"
        );
    }
    let imported = j
        .import(
            unclosed.as_bytes(),
            &no_options(),
            &rapport::DuplicateChoices::default(),
            t0(),
        )
        .unwrap();
    assert_eq!(j.client(imported.client_ids[0]).unwrap().name, "Not Closed");
}

#[test]
fn utf16_with_a_byte_order_mark_is_read() {
    let mut j = TestJournal::new();
    let text = "Name,Company\r\nZoë Ångström,Ørsted\r\n";
    let mut bytes = vec![0xFF, 0xFE];
    for unit in text.encode_utf16() {
        bytes.extend_from_slice(&unit.to_le_bytes());
    }
    let preview = j.preview_import(&bytes, &no_options()).unwrap();
    assert_eq!(preview.encoding, "UTF-16LE");
    let imported = j
        .import(
            &bytes,
            &no_options(),
            &rapport::DuplicateChoices::default(),
            t0(),
        )
        .unwrap();
    assert_eq!(
        j.client(imported.client_ids[0]).unwrap().name,
        "Zoë Ångström"
    );
}

#[test]
fn exports_written_to_disk_are_private() {
    use std::os::unix::fs::PermissionsExt;
    let j = rich_journal();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("exports").join("journal.json");
    rapport::write_private(&path, &j.export_json(day(31)).unwrap()).unwrap();
    let mode = |p: &std::path::Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode(&path), 0o600);
    assert_eq!(mode(path.parent().unwrap()), 0o700);
    // Overwriting keeps it private and whole.
    rapport::write_private(&path, b"{}").unwrap();
    assert_eq!(std::fs::read(&path).unwrap(), b"{}");
    assert_eq!(mode(&path), 0o600);
    assert_eq!(
        std::fs::read_dir(path.parent().unwrap()).unwrap().count(),
        1
    );
    let _ = Journal::open_in_memory().unwrap();
    let _ = named;
}

#[test]
fn what_the_window_accepts_its_own_export_imports_back() {
    // A mistyped year is refused when it is typed, not found by the import of the export.
    let mut j = rich_journal();
    let before = j.counts();
    let client = j.client(1).unwrap();
    for year in [202, 1850] {
        let at = chrono::TimeZone::with_ymd_and_hms(&chrono::Utc, year, 3, 4, 9, 0, 0).unwrap();
        let typed = TouchInput {
            client_id: client.id,
            at: Some(at),
            summary: "Lunch".into(),
            ..Default::default()
        };
        let err = j.log_touch(&typed, day(31)).unwrap_err();
        assert!(err.to_string().contains("before 1900"), "{year}: {err}");
        assert_eq!(j.counts(), before, "nothing written");
    }
    let json = j.export_json(day(31)).unwrap();
    let mut copy = TestJournal::new();
    copy.import_json(&json, day(31)).unwrap();
    assert_eq!(copy.counts(), j.counts());
}
