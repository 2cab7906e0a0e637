//! Property tests: arbitrary client input is either stored exactly as validated or refused with
//! nothing written; the importers never panic on arbitrary bytes; a generated CSV imports
//! exactly its rows; and any journal goes through JSON export and import unchanged.

use proptest::prelude::*;
use rapport::{ClientInput, Error, Fact, Field, Pillars, Stage, TouchInput, TouchKind};

use crate::util::{day, no_options, t0, TestJournal};

fn config(cases: u32) -> ProptestConfig {
    ProptestConfig {
        cases,
        failure_persistence: None,
        ..ProptestConfig::default()
    }
}

fn text() -> impl Strategy<Value = String> {
    prop_oneof![
        "[a-zA-Zéø ,;'\"-]{0,20}",
        "[ \t]{0,2}[A-Za-z]{1,8}[ ]{0,2}",
        ".{0,12}",
        "\\PC{0,3}[\u{0}-\u{1f}]\\PC{0,3}",
        "x{195,205}",
    ]
}

fn client_input() -> impl Strategy<Value = ClientInput> {
    (
        (text(), text(), text()),
        prop_oneof!["[a-z]{1,6}@[a-z]{1,6}\\.com", "", text()],
        (
            proptest::collection::vec(text(), 0..3),
            proptest::collection::vec((text(), text()), 0..2),
        ),
        (
            proptest::option::of(0u32..4000),
            proptest::option::of(0u8..7),
        ),
    )
        .prop_map(
            |((name, organisation, role), email, (tags, facts), (cadence, trust))| ClientInput {
                name,
                organisation,
                role,
                email,
                phone: String::new(),
                profile: String::new(),
                facts: facts
                    .into_iter()
                    .map(|(label, value)| Fact { label, value })
                    .collect(),
                tags,
                cadence_days: cadence,
                pillars: Pillars {
                    trust,
                    ..Pillars::default()
                },
            },
        )
}

proptest! {
    #![proptest_config(config(48))]

    #[test]
    fn client_input_is_stored_as_validated_or_refused_with_nothing_written(input in client_input()) {
        let mut j = TestJournal::new();
        let before = j.counts();
        match j.create_client(&input, Stage::MeToo, t0()) {
            Ok(client) => {
                let valid = rapport::validate::client(&input).unwrap();
                let read = j.client(client.id).unwrap();
                prop_assert_eq!(&read.name, &valid.name);
                prop_assert_eq!(&read.organisation, &valid.organisation);
                prop_assert_eq!(&read.role, &valid.role);
                prop_assert_eq!(&read.email, &valid.email);
                prop_assert_eq!(&read.facts, &valid.facts);
                prop_assert_eq!(&read.tags, &valid.tags);
                prop_assert_eq!(read.cadence_days, valid.cadence_days);
                prop_assert_eq!(read.pillars, valid.pillars);
            }
            Err(Error::Invalid { .. }) => prop_assert_eq!(j.counts(), before),
            Err(other) => prop_assert!(false, "unexpected {other:?}"),
        }
    }

    #[test]
    fn importers_never_panic_on_arbitrary_bytes(bytes in proptest::collection::vec(any::<u8>(), 0..400)) {
        let _ = rapport::parse_csv(&bytes, &Default::default());
        let _ = rapport::parse_vcard(&bytes, &Default::default());
        let _ = rapport::parse_journal_json(&bytes);
        let mut card = b"BEGIN:VCARD\r\nFN:".to_vec();
        card.extend_from_slice(&bytes);
        card.extend_from_slice(b"\r\nEND:VCARD\r\n");
        let _ = rapport::parse_vcard(&card, &Default::default());
        let mut csv = b"Name,Email,Notes\n".to_vec();
        csv.extend_from_slice(&bytes);
        let _ = rapport::parse_csv(&csv, &Default::default());
    }

    #[test]
    fn a_generated_csv_imports_exactly_its_rows(
        rows in proptest::collection::vec(
            ("[A-Z][a-z]{1,10}( [A-Z][a-z]{1,10})?", "[A-Za-z ,\"]{0,15}", "([a-z]{1,8}@[a-z]{1,8}\\.org)?", "[a-z\n ,]{0,30}"),
            1..20,
        )
    ) {
        let mut writer = csv::Writer::from_writer(Vec::new());
        writer.write_record(["Full Name", "Company", "E-mail", "Notes"]).unwrap();
        for (name, org, email, notes) in &rows {
            writer.write_record([name, org, email, notes]).unwrap();
        }
        let bytes = writer.into_inner().unwrap();
        let mut j = TestJournal::new();
        let preview = j.preview_import(&bytes, &no_options()).unwrap();
        prop_assert_eq!(&preview.mapping, &vec![Field::Name, Field::Organisation, Field::Email, Field::Notes]);
        prop_assert!(preview.skipped.is_empty(), "{:?}", preview.skipped);
        let imported = j.import(&bytes, &no_options(), &rapport::DuplicateChoices::default(), t0()).unwrap();
        prop_assert_eq!(imported.client_ids.len(), rows.len());
        for (id, (name, org, email, notes)) in imported.client_ids.iter().zip(&rows) {
            let c = j.client(*id).unwrap();
            prop_assert_eq!(&c.name, name);
            prop_assert_eq!(&c.organisation, org.trim());
            prop_assert_eq!(&c.email, email);
            prop_assert_eq!(&c.profile, notes.trim());
        }
    }
}

proptest! {
    #![proptest_config(config(12))]

    #[test]
    fn any_journal_survives_json_export_and_import(
        clients in proptest::collection::vec(
            (client_input(), proptest::collection::vec((0usize..7, "[a-z ]{0,20}", 0i64..30), 0..4), any::<bool>()),
            1..6,
        )
    ) {
        let mut j = TestJournal::new();
        for (input, touches, archive) in &clients {
            let Ok(client) = j.create_client(input, Stage::Foothold, t0()) else { continue };
            for (kind, summary, d) in touches {
                j.log_touch(
                    &TouchInput {
                        client_id: client.id,
                        kind: TouchKind::ALL[*kind],
                        at: Some(day(*d)),
                        summary: summary.clone(),
                        ..Default::default()
                    },
                    day(30),
                )
                .unwrap();
            }
            if *archive {
                j.archive_client(client.id, day(31)).unwrap();
            }
        }
        let json = j.export_json(day(40)).unwrap();
        let mut copy = TestJournal::new();
        copy.import_json(&json, day(40)).unwrap();
        prop_assert_eq!(copy.export_json(day(40)).unwrap(), json);
        prop_assert_eq!(copy.counts(), j.counts());
    }
}
