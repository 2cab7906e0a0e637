//! The pages RustCrypto writes are SQLCipher's own: a journal written in one process with the
//! provider changed is read, checked and written to by another process that runs SQLCipher with
//! OpenSSL alone, and back. Two processes, because the change applies to the whole process: the
//! other side is this test binary run again on the `#[ignore]`d `openssl_side`.

use std::path::{Path, PathBuf};
use std::process::Command;

use rusqlite::Connection;

/// A raw key, as Rapport gives it, and the HMAC Rapport's journals use.
const KEY: &str = "x'2DD29CA851E7B56E4697B0E1F5C4C8A0E5AF1D2B3C4D5E6F708192A3B4C5D6E7'";
const OTHER_KEY: &str = "x'00D29CA851E7B56E4697B0E1F5C4C8A0E5AF1D2B3C4D5E6F708192A3B4C5D6E7'";
const SIDE_ENV: &str = "RAPPORT_CIPHER_OPENSSL_SIDE";

fn open(path: &Path, key: &str) -> rusqlite::Result<Connection> {
    let conn = Connection::open(path)?;
    conn.pragma_update(None, "key", key)?;
    conn.pragma_update(None, "cipher_hmac_algorithm", "HMAC_SHA256")?;
    conn.pragma_update(None, "journal_mode", "WAL")?;
    Ok(conn)
}

fn provider(conn: &Connection) -> String {
    conn.query_row("PRAGMA cipher_provider", [], |r| r.get(0))
        .unwrap()
}

/// Rows of `side` (a text long enough to fill many pages), so that every page type is written.
fn write(conn: &Connection, side: &str, n: usize) {
    conn.execute_batch(
        "CREATE TABLE IF NOT EXISTS note (id INTEGER PRIMARY KEY, side TEXT, body TEXT);
         CREATE INDEX IF NOT EXISTS note_side ON note(side, body);",
    )
    .unwrap();
    let tx = conn.unchecked_transaction().unwrap();
    for i in 0..n {
        tx.execute(
            "INSERT INTO note (side, body) VALUES (?1, ?2)",
            (
                side,
                format!("{side} note {i} {}", "lorem ipsum ".repeat(i % 40)),
            ),
        )
        .unwrap();
    }
    tx.commit().unwrap();
}

fn count(conn: &Connection, side: &str) -> i64 {
    conn.query_row("SELECT count(*) FROM note WHERE side = ?1", [side], |r| {
        r.get(0)
    })
    .unwrap()
}

/// Every page's HMAC checked by SQLCipher: no row means none failed.
fn integrity(conn: &Connection) -> Vec<String> {
    let mut stmt = conn.prepare("PRAGMA cipher_integrity_check").unwrap();
    let rows = stmt.query_map([], |r| r.get::<_, String>(0)).unwrap();
    rows.collect::<rusqlite::Result<_>>().unwrap()
}

fn run_openssl_side(path: &Path) {
    let out = Command::new(std::env::current_exe().unwrap())
        .args(["--exact", "openssl_side", "--ignored", "--nocapture"])
        .env(SIDE_ENV, path)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "the OpenSSL side failed: {}\n{}{}",
        out.status,
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    // The side ran, and ran the one test: an `--exact` name that matched nothing passes too.
    assert!(
        String::from_utf8_lossy(&out.stdout).contains("1 passed"),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
}

#[test]
fn pages_written_by_rustcrypto_and_by_openssl_read_each_other() {
    rapport_cipher::install().expect("RustCrypto takes SQLCipher's page cipher");
    assert!(rapport_cipher::installed());
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("journal.sqlite3");

    let conn = open(&path, KEY).unwrap();
    assert_eq!(
        provider(&conn),
        rapport_cipher::PROVIDER_NAME.to_str().unwrap()
    );
    write(&conn, "rustcrypto", 3000);
    // Half of it checkpointed into the file, the rest left in the log: both are read across.
    conn.execute_batch("PRAGMA wal_checkpoint(TRUNCATE)")
        .unwrap();
    write(&conn, "rustcrypto", 500);
    drop(conn);

    run_openssl_side(&path);

    let conn = open(&path, KEY).unwrap();
    assert_eq!(count(&conn, "rustcrypto"), 3500);
    assert_eq!(
        count(&conn, "openssl"),
        700,
        "the OpenSSL side's rows are read"
    );
    assert_eq!(integrity(&conn), Vec::<String>::new());
    let body: String = conn
        .query_row(
            "SELECT body FROM note WHERE side = 'openssl' ORDER BY id DESC LIMIT 1",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert!(body.starts_with("openssl note 699 lorem ipsum"), "{body}");
}

/// The other process of the test above: SQLCipher as built, with OpenSSL, reads what
/// RustCrypto wrote, checks every page, and writes rows of its own.
#[test]
#[ignore = "run as a child process by pages_written_by_rustcrypto_and_by_openssl_read_each_other"]
fn openssl_side() {
    let path = PathBuf::from(std::env::var_os(SIDE_ENV).expect("run by the test above"));
    let conn = open(&path, KEY).unwrap();
    assert_eq!(provider(&conn), "openssl");
    assert!(!rapport_cipher::installed());
    assert_eq!(count(&conn, "rustcrypto"), 3500);
    assert_eq!(integrity(&conn), Vec::<String>::new());
    write(&conn, "openssl", 700);
}

#[test]
fn a_wrong_key_and_a_changed_page_are_refused() {
    rapport_cipher::install().unwrap();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("journal.sqlite3");
    let conn = open(&path, KEY).unwrap();
    write(&conn, "rustcrypto", 2000);
    conn.execute_batch("PRAGMA wal_checkpoint(TRUNCATE); PRAGMA journal_mode = DELETE")
        .unwrap();
    drop(conn);

    let wrong = Connection::open(&path).unwrap();
    // SQLCipher logs each page it cannot decrypt; the refusal is what is checked.
    wrong
        .pragma_update(None, "cipher_log_level", "NONE")
        .unwrap();
    wrong.pragma_update(None, "key", OTHER_KEY).unwrap();
    wrong
        .pragma_update(None, "cipher_hmac_algorithm", "HMAC_SHA256")
        .unwrap();
    let err = wrong
        .query_row("SELECT count(*) FROM note", [], |r| r.get::<_, i64>(0))
        .unwrap_err();
    assert_eq!(
        err.sqlite_error_code(),
        Some(rusqlite::ErrorCode::NotADatabase),
        "{err}"
    );
    drop(wrong);

    // One byte of the tenth page's ciphertext changed, as a failing disk or a meddler would.
    let mut bytes = std::fs::read(&path).unwrap();
    bytes[9 * 4096 + 100] ^= 0x01;
    std::fs::write(&path, &bytes).unwrap();
    let conn = open(&path, KEY).unwrap();
    let found = integrity(&conn);
    assert_eq!(found.len(), 1, "{found:?}");
    assert!(found[0].contains("page 10"), "{found:?}");
}
