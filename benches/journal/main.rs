//! The journal benchmark: `make bench` (or `cargo bench -p rapport --bench journal`).
//!
//! Generates the benchmark journal (10,000 clients, 1,000,000 touches over ten years; see
//! `rapport_testkit::generate`), or reuses the copy cached under the target folder for this generator
//! version and seed, then times each operation the app makes while you work, next to a *floor*:
//! the same answer fetched by the best hand-written SQL over the same file, in the same run.
//! Writes `BENCHMARKS.md` at the repository root and prints it.
//!
//! Options (after `--`): `--regenerate` ignores the cache; `--quick` runs on a small journal
//! (1,000 clients, 100,000 touches) and fewer iterations, for a smoke test, printing without
//! writing `BENCHMARKS.md`; `--seed N` picks another journal; `--only TEXT` times only
//! the operations whose name contains TEXT (or one of several, comma-separated), for profiling,
//! printing without writing.

mod cache;
mod cases;
mod floor;
mod report;
mod timing;

use std::path::PathBuf;
use std::time::Instant;

use rapport::Journal;
use rapport_testkit::GenerateOptions;

use cache::generated_journal;
use cases::{Ctx, Env, CASES};
use floor::bare;
use report::{journal_counts, ms, render, why_floor};

pub(crate) type Res<T> = std::result::Result<T, Box<dyn std::error::Error>>;

pub(crate) struct Args {
    pub(crate) regenerate: bool,
    pub(crate) quick: bool,
    pub(crate) seed: u64,
    /// Times only the operations whose name contains this, for profiling; nothing is written.
    pub(crate) only: Option<String>,
}

impl Args {
    pub(crate) fn wants(&self, operation: &str) -> bool {
        // Not Option::is_none_or: it is newer than the crate's minimum Rust (1.80).
        self.only
            .as_ref()
            .map_or(true, |o| o.split(',').any(|o| operation.contains(o)))
    }
}

pub(crate) fn args() -> Args {
    let mut args = Args {
        regenerate: false,
        quick: false,
        seed: 1,
        only: None,
    };
    let mut it = std::env::args().skip(1);
    while let Some(a) = it.next() {
        match a.as_str() {
            "--regenerate" => args.regenerate = true,
            "--quick" => args.quick = true,
            "--seed" => args.seed = it.next().and_then(|s| s.parse().ok()).unwrap_or(1),
            "--only" => args.only = it.next(),
            _ => {} // `cargo bench` passes `--bench`
        }
    }
    args
}

pub(crate) fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

pub(crate) fn target_dir() -> PathBuf {
    std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .map(|p| if p.is_absolute() { p } else { root().join(p) })
        .unwrap_or_else(|| root().join("target"))
}

fn main() -> Res<()> {
    let args = args();
    let mut options = GenerateOptions::benchmark(args.seed);
    if args.quick {
        options.clients = 1_000;
        options.organisations = 150;
        options.touches = 100_000;
    }
    let (cached, generation) = generated_journal(&options, args.regenerate)?;

    // The benchmark writes; it works on a copy so the cache stays as generated.
    let path = cached.with_extension("work.sqlite3");
    for suffix in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{suffix}", path.display()));
    }
    std::fs::copy(&cached, &path)?;
    let file_mb = std::fs::metadata(&path)?.len() as f64 / 1e6;

    let mut notes: Vec<String> = Vec::new();
    // A journal cached by an older build is upgraded here, once, outside the timings; how long
    // that took is what a user with this journal waits once after updating Rapport.
    let cached_version: usize = bare(&path)?.query_row("PRAGMA user_version", [], |r| r.get(0))?;
    if cached_version < rapport::SCHEMA_VERSION {
        eprintln!("upgrading the journal from schema {cached_version}");
        let started = Instant::now();
        drop(Journal::open(&path)?);
        notes.push(format!(
            "The cached journal was made at schema version {cached_version}; opening it upgraded \
             it to version {} in {:.1} s (once, before the timings).",
            rapport::SCHEMA_VERSION,
            started.elapsed().as_secs_f64()
        ));
    }

    // The encrypted copy is made from the journal as generated, before the plain-text run
    // writes to its own copy: both runs start from the same journal.
    let encrypted = cached.with_extension("encrypted.sqlite3");
    for suffix in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{suffix}", encrypted.display()));
    }
    std::fs::copy(&path, &encrypted)?;
    let key = rapport::Key::generate()?;
    eprintln!("encrypting a copy of the journal");
    let started = Instant::now();
    rapport::encrypt_journal(&encrypted, &key)?;
    let encrypting = started.elapsed();

    let clients: i64 = bare(&path)?.query_row("SELECT max(id) FROM client", [], |r| r.get(0))?;
    let mut cx = Ctx {
        env: Env {
            path: path.clone(),
            now: options.now,
            scale: if args.quick { 5 } else { 1 },
            clients,
            key: None,
        },
        rows: Vec::new(),
        notes,
    };
    // Each operation on the plain copy, then at once on the encrypted copy (its floor keyed
    // too): on a shared machine the two runs of a row meet the same moment's contention, where
    // all the plain rows first and all the encrypted ones minutes later would not.
    let (mut plain, mut sealed) = (Vec::new(), Vec::new());
    for (name, case) in CASES {
        if !args.wants(name) {
            continue;
        }
        cx.env.path = path.clone();
        cx.env.key = None;
        case(&mut cx)?;
        plain.append(&mut cx.rows);
        eprintln!("(encrypted)");
        cx.env.path = encrypted.clone();
        cx.env.key = Some(key.clone());
        case(&mut cx)?;
        sealed.append(&mut cx.rows);
    }
    let Ctx { mut notes, .. } = cx;
    notes.push(format!(
        "Encrypting the journal in plain text (what an earlier Rapport's user waits once, \
         with their agreement): {:.1} s for the {:.0} MB journal (copied, checked, swapped in, \
         the plain text overwritten).",
        encrypting.as_secs_f64(),
        file_mb
    ));
    let mut rows = Vec::new();
    for (p, mut e) in plain.into_iter().zip(sealed) {
        let ratio = e.ours.p50 / p.ours.p50;
        // Opening is what start-up waits for: asked within 1.1×, the rest within 1.2×.
        let allowed = if p.name.starts_with("open") { 1.1 } else { 1.2 };
        notes.push(format!(
            "Encrypted against plain text, \"{}\": p50 {} against {}, {ratio:.2}× ({}: \
             asked within {allowed}×).",
            p.name,
            ms(e.ours.p50),
            ms(p.ours.p50),
            if ratio <= allowed { "passes" } else { "FAILS" }
        ));
        e.name = format!("{}, encrypted", e.name);
        rows.push(p);
        rows.push(e);
    }

    for r in &rows {
        if let (Some((t50, t99)), Some(f)) = (r.target, r.floor) {
            if f.p50 > t50 || f.p99 > t99 {
                notes.push(format!(
                    "The floor of \"{}\" is itself above its target ({} / {} against < {t50} / \
                     {t99} ms): {}",
                    r.name,
                    ms(f.p50),
                    ms(f.p99),
                    why_floor(&r.name)
                ));
            }
        }
    }
    let counts = journal_counts(&bare(&path)?)?;

    let report = render(
        &args,
        &options,
        &generation,
        file_mb,
        &counts,
        &rows,
        &notes,
    );
    println!("{report}");
    if args.quick || args.only.is_some() {
        eprintln!("--quick or --only: BENCHMARKS.md left as it was");
    } else {
        std::fs::write(root().join("BENCHMARKS.md"), &report)?;
        eprintln!("Wrote {}", root().join("BENCHMARKS.md").display());
    }
    Ok(())
}
