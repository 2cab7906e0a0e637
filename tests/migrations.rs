//! The schema's migrations: each valid, and an upgrade from the first schema keeping its rows.

use rapport::{migrations, Journal, SCHEMA_VERSION};

use crate::util::*;

#[test]
fn migrations_are_valid_and_counted() {
    migrations()
        .validate()
        .expect("every migration applies in order");
    let mut conn = rusqlite::Connection::open_in_memory().unwrap();
    migrations().to_latest(&mut conn).unwrap();
    let version: usize = conn
        .query_row("PRAGMA user_version", [], |r| r.get(0))
        .unwrap();
    assert_eq!(version, SCHEMA_VERSION);
}

#[test]
fn upgrading_from_the_first_schema_keeps_rows_and_indexes_them_for_search() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(rapport::FILE_NAME);
    {
        let mut conn = rusqlite::Connection::open(&path).unwrap();
        migrations().to_version(&mut conn, 1).unwrap();
        let t = t0().timestamp();
        conn.execute_batch(&format!(
            "INSERT INTO client (id, name, sort_name, organisation, profile, created_at,
                                 updated_at, due_at)
             VALUES (1, 'Zoë Quist', 'zoe quist', 'Ørsted Energy', 'Loves sailing', {t}, {t},
                     {t} + 30 * 86400);
             INSERT INTO client_fact (client_id, position, label, value)
             VALUES (1, 0, 'family', 'two daughters');
             INSERT INTO client_tag (client_id, tag) VALUES (1, 'offshore');
             INSERT INTO stage_change (client_id, stage, at) VALUES (1, 'me_too', {t});
             INSERT INTO entry (client_id, kind, at, summary, body, created_at, updated_at)
             VALUES (1, 'call', {t}, 'Turbine tender', 'She asked about the Hornsea bid', {t}, {t});"
        ))
        .unwrap();
    }
    let mut j = Journal::open(&path).expect("upgrade opens");
    assert_eq!(j.schema_version().unwrap(), SCHEMA_VERSION);
    let client = j.client(1).unwrap();
    assert_eq!(client.name, "Zoë Quist");
    assert_eq!(client.facts[0].value, "two daughters");
    assert_eq!(client.tags, vec!["offshore"]);
    for (typed, what) in [
        ("zoe", "name, accent-blind"),
        ("ØRST", "organisation, case-blind prefix"),
        ("daughters", "a fact from before the upgrade"),
        ("offshore", "a tag from before the upgrade"),
    ] {
        let hits = j.search(typed, 10).unwrap();
        assert_eq!(hits.clients.len(), 1, "{what}: {typed}");
    }
    let hits = j.search("hornsea", 10).unwrap();
    assert_eq!(hits.entries.len(), 1, "touch text from before the upgrade");
    // Every prefix length search-as-you-type asks for, through the rebuilt index.
    for typed in ["t", "tu", "tur", "turb", "turbi", "TENDER"] {
        assert_eq!(j.search(typed, 10).unwrap().entries.len(), 1, "{typed}");
    }
    // And the triggers created by the upgrade keep the index in step from now on.
    let touch_id = hits.entries[0].entry_id;
    j.delete_touch(touch_id).unwrap();
    assert!(j.search("hornsea", 10).unwrap().entries.is_empty());
    drop(j);
    assert_search_index_consistent(&path);
}

#[test]
fn an_upgrade_is_known_before_the_journal_opens() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(rapport::FILE_NAME);
    assert!(!Journal::needs_upgrade(&path), "no file yet: a new journal");
    {
        let mut conn = rusqlite::Connection::open(&path).unwrap();
        migrations().to_version(&mut conn, 1).unwrap();
    }
    assert!(
        Journal::needs_upgrade(&path),
        "a journal of the first schema"
    );
    drop(Journal::open(&path).unwrap());
    assert!(!Journal::needs_upgrade(&path), "upgraded once, not again");

    let other = dir.path().join("other.sqlite3");
    rusqlite::Connection::open(&other)
        .unwrap()
        .execute_batch("PRAGMA user_version = 1; CREATE TABLE t (x)")
        .unwrap();
    assert!(
        !Journal::needs_upgrade(&other),
        "not a journal: never upgraded"
    );
}
