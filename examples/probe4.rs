use rusqlite::Connection;
fn main() {
    let path = std::env::args().nth(1).unwrap();
    let conn = Connection::open(&path).unwrap();
    for t in [
        "entry_fts_data",
        "entry_fts4_data",
        "entry",
        "client_fts_data",
    ] {
        let n: f64 = conn
            .query_row(&format!("SELECT sum(length(block)) FROM {t}"), [], |r| {
                r.get(0)
            })
            .unwrap_or(0.0);
        println!("{t}: {:.1} MB", n / 1e6);
    }
    let n: f64 = conn
        .query_row(
            "SELECT sum(length(summary)+length(body)) FROM entry",
            [],
            |r| r.get(0),
        )
        .unwrap();
    println!("entry text {:.1} MB", n / 1e6);
}
