use rusqlite::Connection;
use std::time::Instant;
fn main() {
    let path = std::env::args().nth(1).unwrap();
    let conn = Connection::open(&path).unwrap();
    let s = Instant::now();
    let exists: i64 = conn
        .query_row(
            "SELECT count(*) FROM sqlite_schema WHERE name = 'entry_fts4'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    if exists == 0 {
        conn.execute_batch("CREATE VIRTUAL TABLE entry_fts4 USING fts5 (summary, body, content = 'entry', content_rowid = 'id', tokenize = 'unicode61 remove_diacritics 2', prefix = '1 2 3 4');
        INSERT INTO entry_fts4 (entry_fts4) VALUES ('rebuild');").unwrap();
        println!("rebuild {:.1} s", s.elapsed().as_secs_f64());
    }
    for table in ["entry_fts", "entry_fts4"] {
        for q in [
            "\"with\"*",
            "\"that\"*",
            "\"they\"*",
            "\"with\"",
            "\"meeting\"*",
            "\"budget\"*",
        ] {
            let sql = format!("SELECT e.id, e.client_id, c.name, e.kind, e.at, e.summary, snippet({table}, -1, char(2), char(3), '…', 16)
                 FROM {table} JOIN entry e ON e.id = {table}.rowid JOIN client c ON c.id = e.client_id
                 WHERE {table} MATCH ?1 ORDER BY {table}.rowid DESC LIMIT 50");
            let mut st = conn.prepare_cached(&sql).unwrap();
            let mut times = vec![];
            for _ in 0..30 {
                let s = Instant::now();
                let n = st.query_map([q], |_| Ok(())).unwrap().count();
                assert_eq!(n, 50);
                times.push(s.elapsed().as_secs_f64() * 1000.0);
            }
            times.sort_by(|a, b| a.partial_cmp(b).unwrap());
            println!("{table} {q}: p50 {:.2} ms", times[15]);
        }
    }
}
