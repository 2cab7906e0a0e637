//! Rapport's test tooling, kept out of the shipped library: [`generate`] fills a journal with a
//! large, realistic, deterministic history for the benchmarks and the tests, and [`SplitMix64`]
//! gives the seeded random numbers that it and the end-to-end tests draw from.
//!
//! ```ignore
//! let mut journal = rapport::Journal::open(path)?;
//! let made = rapport_testkit::generate(&mut journal, &GenerateOptions::benchmark(1))?;
//! ```

#![forbid(unsafe_code)]

pub mod address_book;
pub mod damage;
pub mod desktop;
mod generate;
#[cfg(target_os = "linux")]
pub mod lazy_disk;
mod random;
mod words;

pub use generate::{generate, GenerateOptions, Generated, GENERATOR_VERSION};
pub use random::{SplitMix64, Zipf};

/// The tables a journal's user data lives in.
pub const JOURNAL_TABLES: [&str; 10] = [
    "client",
    "client_fact",
    "client_tag",
    "entry",
    "follow_up",
    "stage_change",
    "stage_cadence",
    "introduction",
    "setting",
    "fired",
];

/// Every row of the journal file at `path`, table by table, as text, sorted: what "the journal
/// is exactly as it was" compares (an undo, a refused write).
pub fn journal_rows(path: &std::path::Path) -> Vec<String> {
    let conn = rusqlite::Connection::open(path).expect("the journal opens");
    let mut rows = Vec::new();
    for table in JOURNAL_TABLES {
        let mut stmt = conn
            .prepare(&format!("SELECT * FROM {table}"))
            .expect("a table of the journal");
        let columns = stmt.column_count();
        let mut found = stmt.query([]).expect("its rows");
        while let Some(r) = found.next().expect("a row") {
            let values: Vec<String> = (0..columns)
                .map(|i| format!("{:?}", r.get_ref(i).expect("a value")))
                .collect();
            rows.push(format!("{table}: {}", values.join(", ")));
        }
    }
    rows.sort();
    rows
}
