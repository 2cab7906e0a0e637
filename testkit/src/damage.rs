//! Damage as a failing disk or another program does it, written into a journal file for the
//! tests that check Rapport notices.

use std::io::{Seek, SeekFrom, Write};
use std::path::Path;

/// Zeroes the root page of `table` in the journal at `path`, as a failing disk does to a
/// sector: the file still opens (its header is intact), and reading the table fails. The
/// journal's log is copied into the file first, so the damage is what SQLite reads.
pub fn zero_table_page(path: &Path, table: &str) {
    let conn = rusqlite::Connection::open(path).expect("the journal opens");
    conn.execute_batch("PRAGMA wal_checkpoint(TRUNCATE)")
        .expect("the log copied into the file");
    let page_size: u64 = conn
        .query_row("PRAGMA page_size", [], |r| r.get(0))
        .expect("page size");
    let root: u64 = conn
        .query_row(
            "SELECT rootpage FROM sqlite_schema WHERE type = 'table' AND name = ?1",
            [table],
            |r| r.get(0),
        )
        .expect("the table is in the journal");
    drop(conn);
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .open(path)
        .expect("the journal file");
    file.seek(SeekFrom::Start((root - 1) * page_size))
        .expect("seek to the page");
    file.write_all(&vec![0u8; page_size as usize])
        .expect("zero the page");
    file.sync_all().expect("sync");
}
