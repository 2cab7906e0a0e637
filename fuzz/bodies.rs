//! What each fuzz target checks, shared by the libFuzzer targets (`fuzz_targets/`) and by the
//! replay test in `tests/fuzz_replay.rs`, which runs every file of `fuzz/corpus/<target>/` and
//! `tests/fuzz_regressions/<target>/` through the same function.

use chrono::{TimeZone, Utc};
use rapport::{
    parse_csv, parse_due, parse_journal_json, parse_vcard, validate, DateOrder, ImportOptions,
    Journal,
};

/// Every client an importer accepts is already as the journal stores it.
fn assert_settled(rows: &[rapport::ParsedRow]) {
    for row in rows {
        let again = validate::client(&row.client).expect("an accepted row validates again");
        assert_eq!(again, row.client, "line {}", row.line);
    }
}

/// CSV: never panics; a file read with its guessed mapping, encoding and delimiter reads the
/// same with them given.
pub fn csv(data: &[u8]) {
    if let Ok(parsed) = parse_csv(data, &ImportOptions::default()) {
        assert_settled(&parsed.rows);
        let given = ImportOptions {
            mapping: Some(parsed.mapping.clone()),
            encoding: Some(parsed.encoding.clone()),
            delimiter: parsed.delimiter,
        };
        let again = parse_csv(data, &given).expect("the same reading reads again");
        assert_eq!(again.rows, parsed.rows);
        assert_eq!(again.skipped, parsed.skipped);
        assert_eq!(again.warnings, parsed.warnings);
    }
}

/// vCard: never panics, and what it accepts validates.
pub fn vcard(data: &[u8]) {
    if let Ok(parsed) = parse_vcard(data, &ImportOptions::default()) {
        assert_settled(&parsed.rows);
    }
}

/// JSON: never panics; a file that passes the checks imports into an empty journal at the
/// moment it says it was exported, unless one of its dates breaks a rule of that moment (a
/// touch after it, a follow-up due a century away), and exports again to the same records.
pub fn json(data: &[u8]) {
    if let Ok(export) = parse_journal_json(data) {
        let mut journal = Journal::open_in_memory().expect("a journal in memory");
        match journal.import_json(data, export.exported_at) {
            Ok(_) => {}
            Err(rapport::Error::Rejected { problems }) => {
                assert!(
                    problems
                        .iter()
                        .all(|p| ["in the future", "before 1900", "hundred years"]
                            .iter()
                            .any(|rule| p.reason.contains(rule))),
                    "refused after the checks for something else than a date: {problems:?}"
                );
                return;
            }
            Err(e) => panic!("a checked export imports: {e}"),
        }
        let mut again = journal.export(export.exported_at).expect("exports");
        // Cadences and settings absent from the file keep the new journal's defaults.
        again
            .stage_cadences
            .retain(|k, _| export.stage_cadences.contains_key(k));
        again
            .settings
            .retain(|k, _| export.settings.contains_key(k));
        assert_eq!(again, export);
    }
}

/// Due-date phrases: never panics, in either date order.
pub fn parse_due_phrase(data: &[u8]) {
    if let Ok(phrase) = std::str::from_utf8(data) {
        let now = Utc.with_ymd_and_hms(2026, 3, 2, 9, 0, 0).unwrap();
        for order in [DateOrder::DayMonth, DateOrder::MonthDay] {
            let _ = parse_due(phrase, now, order);
        }
    }
}
