//! The floors' hand-written SQL that several cases share.

use std::path::Path;

use rusqlite::{params, Connection};

use crate::Res;

/// The page size the app asks for.
pub(crate) const PAGE: u32 = 50;

/// A plain connection as the floor uses it: the journal's own durability settings, nothing else.
pub(crate) fn bare(path: &Path) -> Res<Connection> {
    bare_keyed(path, None)
}

/// [`bare`], on a journal encrypted with `key`: the key given first, as SQLCipher wants it.
pub(crate) fn bare_keyed(path: &Path, key: Option<&rapport::Key>) -> Res<Connection> {
    let conn = Connection::open(path)?;
    if let Some(key) = key {
        rapport::key_connection(&conn, key)?;
        // The same page cache as the journal's own connections to an encrypted journal.
        conn.pragma_update(None, "cache_size", rapport::ENCRYPTED_CACHE_KIB)?;
    }
    conn.pragma_update(None, "synchronous", "FULL")?;
    Ok(conn)
}

/// The hand-written timeline page: the three sources read backwards from the cursor, merged in
/// SQL, and the count of the whole timeline.
const FLOOR_TIMELINE: &str = "
    SELECT * FROM (SELECT at, 0 AS rank, id, stage, note, NULL, NULL, NULL FROM stage_change
                   WHERE client_id = ?1 AND at <= ?2 AND (at, 0, id) < (?2, ?3, ?4)
                   ORDER BY at DESC, id DESC LIMIT ?5)
    UNION ALL
    SELECT * FROM (SELECT created_at, 1, id, what, due_at, done_at, snoozed_until, touch_id
                   FROM follow_up
                   WHERE client_id = ?1 AND created_at <= ?2 AND (created_at, 1, id) < (?2, ?3, ?4)
                   ORDER BY created_at DESC, id DESC LIMIT ?5)
    UNION ALL
    SELECT * FROM (SELECT at, 2, id, kind, summary, body, gave_value, asked FROM entry
                   WHERE client_id = ?1 AND at <= ?2 AND (at, 2, id) < (?2, ?3, ?4)
                   ORDER BY at DESC, id DESC LIMIT ?5)
    ORDER BY 1 DESC, 2 DESC, 3 DESC LIMIT ?5";
const FLOOR_TIMELINE_TOTAL: &str = "SELECT (SELECT count(*) FROM entry WHERE client_id = ?1)
    + (SELECT count(*) FROM follow_up WHERE client_id = ?1)
    + (SELECT count(*) FROM stage_change WHERE client_id = ?1)";

pub(crate) fn floor_timeline(
    conn: &Connection,
    client: i64,
    cursor: (i64, i64, i64),
) -> Res<usize> {
    let mut stmt = conn.prepare_cached(FLOOR_TIMELINE)?;
    let mut n = 0;
    let mut rows = stmt.query(params![client, cursor.0, cursor.1, cursor.2, PAGE])?;
    n += drain(&mut rows)?;
    let _: i64 = conn
        .prepare_cached(FLOOR_TIMELINE_TOTAL)?
        .query_row([client], |r| r.get(0))?;
    Ok(n)
}

/// Reads every value of every row, as an answer is read, without copying it anywhere.
pub(crate) fn drain(rows: &mut rusqlite::Rows<'_>) -> Res<usize> {
    let mut n = 0;
    while let Some(r) = rows.next()? {
        let columns = r.as_ref().column_count();
        for i in 0..columns {
            std::hint::black_box(r.get_ref(i)?);
        }
        n += 1;
    }
    Ok(n)
}

pub(crate) fn decode_cursor(cursor: &str) -> (i64, i64, i64) {
    let mut p = cursor.split('.').map(|v| v.parse::<i64>().unwrap_or(0));
    (
        p.next().unwrap_or(0),
        p.next().unwrap_or(0),
        p.next().unwrap_or(0),
    )
}
