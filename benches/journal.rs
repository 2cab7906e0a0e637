//! The journal benchmark: `make bench` (or `cargo bench -p rapport --bench journal`).
//!
//! Generates the benchmark journal (10,000 clients, 1,000,000 touches over ten years; see
//! `rapport::generate`), or reuses the copy cached under the target folder for this generator
//! version and seed, then times each operation the app makes while you work, next to a *floor*:
//! the same answer fetched by the best hand-written SQL over the same file, in the same run.
//! Writes `BENCHMARKS.md` at the repository root and prints it.
//!
//! Options (after `--`): `--regenerate` ignores the cache; `--quick` runs on a small journal
//! (1,000 clients, 100,000 touches) and fewer iterations, for a smoke test, printing without
//! writing `BENCHMARKS.md`; `--seed N` picks another journal; `--only TEXT` times only
//! the operations whose name contains TEXT (or one of several, comma-separated), for profiling,
//! printing without writing.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use chrono::{DateTime, Utc};
use rapport::generate::{generate, GenerateOptions, Generated, GENERATOR_VERSION};
use rapport::{fts_query, ClientFilter, ClientSort, Journal, TouchInput, TouchKind};
use rusqlite::{params, Connection};

type Res<T> = std::result::Result<T, Box<dyn std::error::Error>>;

/// One operation's timings, ours and the floor's.
struct Row {
    name: String,
    ours: Stats,
    floor: Option<Stats>,
    /// Target p50 and p99 in milliseconds, if the issue sets one.
    target: Option<(f64, f64)>,
}

#[derive(Clone, Copy)]
struct Stats {
    p50: f64,
    p99: f64,
}

impl Stats {
    fn of(mut samples: Vec<Duration>) -> Stats {
        samples.sort();
        let at = |q: f64| {
            let i = ((samples.len() as f64 - 1.0) * q).round() as usize;
            samples[i].as_secs_f64() * 1000.0
        };
        Stats {
            p50: at(0.50),
            p99: at(0.99),
        }
    }
}

/// The largest ratio of ours to the floor accepted.
const RATIO_MAX: f64 = 1.5;

impl Row {
    fn ratio(&self) -> Option<f64> {
        self.floor.map(|f| self.ours.p50 / f.p50.max(1e-6))
    }

    fn pass(&self) -> bool {
        let within_target = self.target.map_or(true, |(p50, p99)| {
            self.ours.p50 <= p50 && self.ours.p99 <= p99
        });
        within_target && self.ratio().map_or(true, |r| r <= RATIO_MAX)
    }
}

/// Times ours and the floor together: `iterations` pairs after a tenth as many to warm up, the
/// two taking turns to go first. Run one after the other, whichever ran second would meet
/// another moment's contention on a shared machine (and another state of the caches); taking
/// turns gives both the same conditions, so their ratio measures the code, not the moment.
fn pair(
    iterations: usize,
    ours: impl FnMut(usize) -> Res<()>,
    floor: impl FnMut(usize) -> Res<()>,
) -> Res<(Stats, Stats)> {
    pair_idle(iterations, ours, floor, || Ok(()))
}

/// As [`pair`], with `idle` run untimed after each pair: what the app does in the background
/// between two of the user's actions.
fn pair_idle(
    iterations: usize,
    mut ours: impl FnMut(usize) -> Res<()>,
    mut floor: impl FnMut(usize) -> Res<()>,
    mut idle: impl FnMut() -> Res<()>,
) -> Res<(Stats, Stats)> {
    for i in 0..iterations.div_ceil(10) {
        ours(i)?;
        floor(i)?;
    }
    let mut a = Vec::with_capacity(iterations);
    let mut b = Vec::with_capacity(iterations);
    let timed = |f: &mut dyn FnMut(usize) -> Res<()>, i: usize, into: &mut Vec<Duration>| {
        let start = Instant::now();
        let r = f(i);
        into.push(start.elapsed());
        r
    };
    for i in 0..iterations {
        if i % 2 == 0 {
            timed(&mut ours, i, &mut a)?;
            timed(&mut floor, i, &mut b)?;
        } else {
            timed(&mut floor, i, &mut b)?;
            timed(&mut ours, i, &mut a)?;
        }
        idle()?;
    }
    Ok((Stats::of(a), Stats::of(b)))
}

struct Args {
    regenerate: bool,
    quick: bool,
    seed: u64,
    /// Times only the operations whose name contains this, for profiling; nothing is written.
    only: Option<String>,
}

impl Args {
    fn wants(&self, operation: &str) -> bool {
        // Not Option::is_none_or: it is newer than the crate's minimum Rust (1.80).
        self.only
            .as_ref()
            .map_or(true, |o| o.split(',').any(|o| operation.contains(o)))
    }
}

fn args() -> Args {
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

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn target_dir() -> PathBuf {
    std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .map(|p| if p.is_absolute() { p } else { root().join(p) })
        .unwrap_or_else(|| root().join("target"))
}

/// How the journal came to be: generated in this run, or reused with the timing of its making.
struct Generation {
    seconds: f64,
    touches: u64,
    fresh: bool,
    summary: Generated,
}

fn generated_journal(options: &GenerateOptions, regenerate: bool) -> Res<(PathBuf, Generation)> {
    let dir = target_dir().join("rapport-bench");
    std::fs::create_dir_all(&dir)?;
    let key = format!(
        "journal-g{GENERATOR_VERSION}-seed{}-{}c-{}t",
        options.seed, options.clients, options.touches
    );
    let cached = dir.join(format!("{key}.sqlite3"));
    let meta = dir.join(format!("{key}.meta"));
    if !regenerate && cached.exists() {
        if let Some(generation) = std::fs::read_to_string(&meta)
            .ok()
            .and_then(|m| read_meta(&m))
        {
            eprintln!(
                "Reusing {} (--regenerate to make it again)",
                cached.display()
            );
            return Ok((cached, generation));
        }
    }
    for suffix in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{suffix}", cached.display()));
    }
    eprintln!(
        "Generating {} clients, {} touches into {} ...",
        options.clients,
        options.touches,
        cached.display()
    );
    let start = Instant::now();
    let mut journal = Journal::open(&cached)?;
    let summary = generate(&mut journal, options)?;
    drop(journal);
    let seconds = start.elapsed().as_secs_f64();
    eprintln!("Generated in {seconds:.1} s");
    let s = &summary;
    std::fs::write(
        &meta,
        format!(
            "{seconds} {} {} {} {} {} {} {} {} {} {}",
            s.clients,
            s.archived,
            s.touches,
            s.notes,
            s.follow_ups,
            s.open_follow_ups,
            s.stage_changes,
            s.introductions,
            s.busiest_client,
            s.busiest_entries
        ),
    )?;
    Ok((
        cached,
        Generation {
            seconds,
            touches: summary.touches,
            fresh: true,
            summary,
        },
    ))
}

fn read_meta(text: &str) -> Option<Generation> {
    let mut it = text.split_whitespace();
    let seconds: f64 = it.next()?.parse().ok()?;
    let mut n = || it.next().and_then(|v| v.parse::<i64>().ok());
    let summary = Generated {
        clients: n()? as u64,
        archived: n()? as u64,
        touches: n()? as u64,
        notes: n()? as u64,
        follow_ups: n()? as u64,
        open_follow_ups: n()? as u64,
        stage_changes: n()? as u64,
        introductions: n()? as u64,
        busiest_client: n()?,
        busiest_entries: n()? as u64,
    };
    Some(Generation {
        seconds,
        touches: summary.touches,
        fresh: false,
        summary,
    })
}

/// A plain connection as the floor uses it: the journal's own durability settings, nothing else.
fn bare(path: &Path) -> Res<Connection> {
    let conn = Connection::open(path)?;
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

fn floor_timeline(conn: &Connection, client: i64, cursor: (i64, i64, i64)) -> Res<usize> {
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
fn drain(rows: &mut rusqlite::Rows<'_>) -> Res<usize> {
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

fn decode_cursor(cursor: &str) -> (i64, i64, i64) {
    let mut p = cursor.split('.').map(|v| v.parse::<i64>().unwrap_or(0));
    (
        p.next().unwrap_or(0),
        p.next().unwrap_or(0),
        p.next().unwrap_or(0),
    )
}

/// The page size the app asks for.
const PAGE: u32 = 50;

fn main() -> Res<()> {
    let args = args();
    let mut options = GenerateOptions::benchmark(args.seed);
    if args.quick {
        options.clients = 1_000;
        options.organisations = 150;
        options.touches = 100_000;
    }
    let scale = if args.quick { 5 } else { 1 };
    let now: DateTime<Utc> = options.now;
    let (cached, generation) = generated_journal(&options, args.regenerate)?;

    // The benchmark writes; it works on a copy so the cache stays as generated.
    let path = cached.with_extension("work.sqlite3");
    for suffix in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{suffix}", path.display()));
    }
    std::fs::copy(&cached, &path)?;
    let file_mb = std::fs::metadata(&path)?.len() as f64 / 1e6;

    let mut rows: Vec<Row> = Vec::new();
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

    if args.wants("open the journal") {
        // Opening, with the migration check, against a bare open reading the schema version.
        eprintln!("open");
        let (ours, floor) = pair(
            200 / scale,
            |_| {
                let j = Journal::open(&path)?;
                drop(j);
                Ok(())
            },
            // The floor opens as every floor here does, with the journal's durability setting (which
            // makes SQLite read the schema, as any first statement does), and reads the schema version.
            |_| {
                let c = bare(&path)?;
                let _: i64 = c.query_row("PRAGMA user_version", [], |r| r.get(0))?;
                Ok(())
            },
        )?;
        rows.push(Row {
            name: "open the journal (with its migration check)".into(),
            ours,
            floor: Some(floor),
            target: None,
        });
    }

    let mut journal = Journal::open(&path)?;
    let conn = bare(&path)?;
    let n_clients: i64 = conn.query_row("SELECT max(id) FROM client", [], |r| r.get(0))?;
    let client_at = |i: usize| (i as i64 * 7919) % n_clients + 1;
    let minute = chrono::Duration::minutes(1);

    if args.wants("log a touch") {
        // Logging a touch, durably, against a bare insert in its own transaction. Between two
        // saves the search index is tidied on a side connection, as the app does in the
        // background (a save leaves the merging to that).
        eprintln!("log a touch");
        let body =
            "Talked through the renewal and the pilot budget; she wants the numbers by Friday.";
        let mut tidier = Journal::open(&path)?;
        let (ours, floor) = pair_idle(
            300 / scale,
            |i| {
                journal.log_touch(
                    &TouchInput {
                        client_id: client_at(i),
                        kind: TouchKind::Call,
                        at: Some(now),
                        summary: "Renewal call".into(),
                        body: body.into(),
                        ..Default::default()
                    },
                    now,
                )?;
                Ok(())
            },
            |i| {
                conn.execute_batch("BEGIN IMMEDIATE")?;
                conn.prepare_cached(
                    "INSERT INTO entry (client_id, kind, at, summary, body, created_at, updated_at)
             VALUES (?1, 'call', ?2, 'Renewal call', ?3, ?2, ?2)",
                )?
                .execute(params![client_at(i), now.timestamp(), body])?;
                conn.execute_batch("COMMIT")?;
                Ok(())
            },
            || {
                while tidier.tidy(64)? {}
                Ok(())
            },
        )?;
        rows.push(Row {
            name: "log a touch (durable)".into(),
            ours,
            floor: Some(floor),
            target: Some((2.0, 2.0)),
        });
    }

    if args.wants("timeline, first") {
        // A timeline's first page, across many clients.
        eprintln!("timeline");
        let (ours, floor) = pair(
            2000 / scale,
            |i| {
                journal.timeline(client_at(i), None, PAGE)?;
                Ok(())
            },
            |i| {
                floor_timeline(&conn, client_at(i), (i64::MAX, 2, i64::MAX))?;
                Ok(())
            },
        )?;
        rows.push(Row {
            name: format!("timeline, first page ({PAGE} entries)"),
            ours,
            floor: Some(floor),
            target: Some((1.0, 3.0)),
        });
    }

    if args.wants("timeline, a page") {
        // A page 5,000 entries deep, in the timelines of every client that has one; the cursor is
        // found by paging through the API.
        let deep_clients: Vec<i64> = conn
            .prepare(
                "SELECT client_id FROM entry GROUP BY client_id HAVING count(*) >= 5100
             ORDER BY client_id",
            )?
            .query_map([], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        let mut deep: Vec<(i64, String)> = Vec::new();
        for &c in &deep_clients {
            let mut cursor: Option<String> = None;
            for _ in 0..(5000 / PAGE) {
                cursor = journal.timeline(c, cursor.as_deref(), PAGE)?.next;
            }
            if let Some(cursor) = cursor {
                deep.push((c, cursor));
            }
        }
        if deep.is_empty() {
            notes.push("No client has a timeline 5,000 entries deep in this journal.".into());
        } else {
            eprintln!("timeline, deep");
            let (ours, floor) = pair(
                2000 / scale,
                |i| {
                    let (c, cursor) = &deep[i % deep.len()];
                    journal.timeline(*c, Some(cursor), PAGE)?;
                    Ok(())
                },
                |i| {
                    let (c, cursor) = &deep[i % deep.len()];
                    floor_timeline(&conn, *c, decode_cursor(cursor))?;
                    Ok(())
                },
            )?;
            rows.push(Row {
                name: format!(
                    "timeline, a page 5,000 entries deep ({} clients)",
                    deep.len()
                ),
                ours,
                floor: Some(floor),
                target: Some((1.0, 3.0)),
            });
        }
    }

    if args.wants("who needs me") {
        // Who needs me: what the Today view asks for.
        eprintln!("who needs me");
        let (ours, floor) = pair(
            500 / scale,
            |i| {
                journal.who_needs_me(now + minute * i as i32, 200)?;
                Ok(())
            },
            |i| {
                let t = (now + minute * i as i32).timestamp();
                let mut n = 0usize;
                let mut stmt = conn.prepare_cached(
                "SELECT c.id, c.name, c.organisation, c.stage, coalesce(c.cadence_days, sc.days),
                    c.last_touch_at, c.created_at, c.due_at
             FROM client c JOIN stage_cadence sc ON sc.stage = c.stage
             WHERE c.archived_at IS NULL AND c.due_at <= ?1
               AND (c.snoozed_until IS NULL OR c.snoozed_until <= ?1)
             ORDER BY c.due_at, c.id LIMIT 200",
            )?;
                let mut r = stmt.query([t])?;
                n += drain(&mut r)?;
                let mut stmt = conn.prepare_cached(
                "SELECT f.id, f.client_id, f.touch_id, f.what, f.due_at, f.created_at, f.done_at,
                    f.snoozed_until, c.name, c.organisation
             FROM follow_up f JOIN client c ON c.id = f.client_id
             WHERE f.done_at IS NULL AND max(f.due_at, coalesce(f.snoozed_until, 0)) <= ?1
               AND c.archived_at IS NULL
             ORDER BY max(f.due_at, coalesce(f.snoozed_until, 0)), f.id LIMIT 200",
            )?;
                let mut r = stmt.query([t])?;
                n += drain(&mut r)?;
                let _: (i64, i64) = conn
                .prepare_cached(
                    "SELECT (SELECT count(*) FROM client WHERE archived_at IS NULL AND due_at <= ?1)
                          - (SELECT count(*) FROM client INDEXED BY client_snoozed
                               WHERE snoozed_until > ?1 AND archived_at IS NULL AND due_at <= ?1),
                        (SELECT count(*) FROM follow_up WHERE done_at IS NULL
                           AND max(due_at, coalesce(snoozed_until, 0)) <= ?1)
                          - (SELECT count(*) FROM client c CROSS JOIN follow_up f
                               WHERE c.archived_at IS NOT NULL AND f.client_id = c.id
                                 AND f.done_at IS NULL
                                 AND max(f.due_at, coalesce(f.snoozed_until, 0)) <= ?1)",
                )?
                .query_row([t], |r| Ok((r.get(0)?, r.get(1)?)))?;
                std::hint::black_box(n);
                Ok(())
            },
        )?;
        rows.push(Row {
            name: "who needs me (200 items and the totals)".into(),
            ours,
            floor: Some(floor),
            target: Some((10.0, 20.0)),
        });
    }

    if args.wants("client list") {
        // The client list sorted by most overdue: a page of 200, scrolling through five pages.
        eprintln!("client list");
        let (ours, floor) = pair(
            500 / scale,
            |i| {
                journal.list_clients(
                    &ClientFilter {
                        sort: ClientSort::MostOverdue,
                        offset: (i % 5) as u32 * 200,
                        ..Default::default()
                    },
                    now,
                )?;
                Ok(())
            },
            |i| {
                let _: i64 = conn
                    .prepare_cached("SELECT count(*) FROM client WHERE archived_at IS NULL")?
                    .query_row([], |r| r.get(0))?;
                let mut stmt = conn.prepare_cached(
                    "SELECT c.id, c.name, c.organisation, c.role, c.stage,
                    coalesce(c.cadence_days, sc.days), c.last_touch_at, c.due_at, c.archived_at,
                    c.sample, c.compatibility, c.knowledge, c.trust
             FROM client c JOIN stage_cadence sc ON sc.stage = c.stage
             WHERE c.archived_at IS NULL ORDER BY c.due_at, c.id LIMIT 200 OFFSET ?1",
                )?;
                let mut r = stmt.query([(i % 5) as i64 * 200])?;
                drain(&mut r)?;
                Ok(())
            },
        )?;
        rows.push(Row {
            name: "client list, most overdue first (200 rows and the total)".into(),
            ours,
            floor: Some(floor),
            target: Some((15.0, 30.0)),
        });
    }

    if args.wants("search") {
        // Search: a common word, a rare word, and a prefix as typed.
        let vocabulary: Vec<(String, i64)> = {
            let mut stmt = conn.prepare(
                "SELECT term, doc FROM entry_fts_vocab WHERE length(term) > 3 ORDER BY doc DESC",
            );
            if stmt.is_err() {
                conn.execute_batch(
                "CREATE VIRTUAL TABLE temp.entry_fts_vocab USING fts5vocab(main, entry_fts, row)",
            )?;
                stmt = conn.prepare(
                    "SELECT term, doc FROM temp.entry_fts_vocab WHERE length(term) > 3
                 ORDER BY doc DESC",
                );
            }
            let mut stmt = stmt?;
            let words = stmt
                .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
                .collect::<rusqlite::Result<_>>()?;
            words
        };
        let entries: i64 = conn.query_row("SELECT count(*) FROM entry", [], |r| r.get(0))?;
        // Common: ten of the most frequent words of four letters or more; rare: twenty of the 400
        // least frequent words; prefixes: the first three letters of common words, as typed.
        let common: Vec<(String, i64)> = vocabulary.iter().take(10).cloned().collect();
        let rare: Vec<(String, i64)> = vocabulary
            .iter()
            .rev()
            .take(400)
            .step_by(20)
            .cloned()
            .collect();
        let mut prefixes: Vec<(String, i64)> = Vec::new();
        for (w, _) in vocabulary.iter().take(40) {
            let p: String = w.chars().take(3).collect();
            if !prefixes.iter().any(|(q, _)| *q == p) {
                let docs: i64 = conn.query_row(
                    "SELECT count(*) FROM entry_fts WHERE entry_fts MATCH ?1",
                    [format!("\"{p}\"*")],
                    |r| r.get(0),
                )?;
                prefixes.push((p, docs));
            }
            if prefixes.len() == 5 {
                break;
            }
        }
        for (label, words) in [
            ("a common word", &common),
            ("a rare word", &rare),
            ("a prefix (3 letters)", &prefixes),
        ] {
            if words.is_empty() {
                continue;
            }
            eprintln!("search {label}");
            let iterations = if label.starts_with("a rare") {
                1000
            } else {
                200
            } / scale;
            let (ours, floor) = pair(
                iterations,
                |i| {
                    journal.search(&words[i % words.len()].0, PAGE)?;
                    Ok(())
                },
                |i| {
                    let q = fts_query(&words[i % words.len()].0).unwrap_or_default();
                    let mut stmt = conn.prepare_cached(
                        "SELECT c.id, c.name, c.organisation, c.archived_at IS NOT NULL,
                        snippet(client_fts, -1, char(2), char(3), '…', 12)
                 FROM client_fts JOIN client c ON c.id = client_fts.rowid
                 WHERE client_fts MATCH ?1
                 ORDER BY bm25(client_fts, 10.0, 5.0, 2.0, 2.0, 1.0, 1.0, 3.0) LIMIT ?2",
                    )?;
                    let mut r = stmt.query(params![q, PAGE])?;
                    drain(&mut r)?;
                    // The same page of entries: the newest matches, with their snippet, client and row.
                    let mut stmt = conn.prepare_cached(
                        "SELECT e.id, e.client_id, c.name, e.kind, e.at, e.summary,
                        snippet(entry_fts, -1, char(2), char(3), '…', 16)
                 FROM entry_fts JOIN entry e ON e.id = entry_fts.rowid
                 JOIN client c ON c.id = e.client_id
                 WHERE entry_fts MATCH ?1 ORDER BY entry_fts.rowid DESC LIMIT ?2",
                    )?;
                    let mut r = stmt.query(params![q, PAGE])?;
                    drain(&mut r)?;
                    Ok(())
                },
            )?;
            let docs: Vec<String> = words
                .iter()
                .take(3)
                .map(|(w, d)| format!("\"{w}\" in {d}"))
                .collect();
            let share = words.iter().map(|(_, d)| *d).sum::<i64>() as f64
                / words.len() as f64
                / entries.max(1) as f64;
            notes.push(format!(
                "Search, {label}: {} words taken in turn, e.g. {} of {entries} entries \
             ({:.2}% of entries on average).",
                words.len(),
                docs.join(", "),
                share * 100.0
            ));
            rows.push(Row {
                name: format!("search, {label} ({PAGE} hits per group)"),
                ours,
                floor: Some(floor),
                target: Some((15.0, 40.0)),
            });
        }
    }

    if args.wants("reminders") {
        // The reminder engine.
        eprintln!("reminders");
        let (ours, floor) = pair(
            2000 / scale,
            |i| {
                journal.next_due_moment(now + minute * i as i32)?;
                Ok(())
            },
            |i| {
                let _: Option<i64> = conn
                    .prepare_cached(
                        "SELECT min(t) FROM (
                   SELECT * FROM (SELECT due_at AS t FROM client
                     WHERE archived_at IS NULL AND due_at > ?1 ORDER BY due_at LIMIT 1)
                   UNION ALL
                   SELECT * FROM (SELECT snoozed_until FROM client INDEXED BY client_snoozed
                     WHERE snoozed_until IS NOT NULL AND archived_at IS NULL
                       AND snoozed_until > ?1 ORDER BY snoozed_until LIMIT 1)
                   UNION ALL
                   SELECT * FROM (SELECT max(due_at, coalesce(snoozed_until, 0)) FROM follow_up
                     WHERE done_at IS NULL AND max(due_at, coalesce(snoozed_until, 0)) > ?1
                     ORDER BY max(due_at, coalesce(snoozed_until, 0)) LIMIT 1))",
                    )?
                    .query_row([(now + minute * i as i32).timestamp()], |r| r.get(0))?;
                Ok(())
            },
        )?;
        rows.push(Row {
            name: "reminders: next due moment".into(),
            ours,
            floor: Some(floor),
            target: None,
        });
        let due_now = journal.due_reminders(now)?.len();
        let (ours, floor) = pair(
            200 / scale,
            |i| {
                journal.due_reminders(now + minute * i as i32)?;
                Ok(())
            },
            |i| {
                let t = (now + minute * i as i32).timestamp();
                let mut stmt = conn.prepare_cached(
                    "SELECT c.id, c.name, coalesce(c.cadence_days, sc.days), c.last_touch_at,
                    c.created_at, max(c.due_at, coalesce(c.snoozed_until, 0))
             FROM client c JOIN stage_cadence sc ON sc.stage = c.stage
             WHERE c.archived_at IS NULL AND c.due_at <= ?1
               AND (c.snoozed_until IS NULL OR c.snoozed_until <= ?1)
               AND NOT EXISTS (SELECT 1 FROM fired f WHERE f.kind = 'relationship'
                               AND f.ref_id = c.id
                               AND f.episode = max(c.due_at, coalesce(c.snoozed_until, 0)))
             ORDER BY c.due_at, c.id",
                )?;
                let mut r = stmt.query([t])?;
                drain(&mut r)?;
                let mut stmt = conn.prepare_cached(
                    "SELECT f.id, f.client_id, c.name, f.what, f.due_at,
                    max(f.due_at, coalesce(f.snoozed_until, 0))
             FROM follow_up f JOIN client c ON c.id = f.client_id
             WHERE f.done_at IS NULL AND max(f.due_at, coalesce(f.snoozed_until, 0)) <= ?1
               AND c.archived_at IS NULL
               AND NOT EXISTS (SELECT 1 FROM fired x WHERE x.kind = 'follow_up'
                               AND x.ref_id = f.id
                               AND x.episode = max(f.due_at, coalesce(f.snoozed_until, 0)))
             ORDER BY max(f.due_at, coalesce(f.snoozed_until, 0)), f.id",
                )?;
                let mut r = stmt.query([t])?;
                drain(&mut r)?;
                Ok(())
            },
        )?;
        rows.push(Row {
            name: format!("reminders: due reminders ({due_now} due, none fired yet)"),
            ours,
            floor: Some(floor),
            target: None,
        });
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
    let counts = journal_counts(&conn)?;
    drop(journal);
    drop(conn);

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

/// Why an operation's floor cannot meet its target on this machine.
fn why_floor(name: &str) -> &'static str {
    if name.starts_with("search") {
        "every typed word matches as a prefix; prefixes of one to four letters have indexes of \
         their own, but a longer one merges the index entries of every word that starts with it \
         before the newest 50 are known."
    } else if name.starts_with("log a touch") {
        "a durable commit waits for the disk to confirm (fsync of the write-ahead log, with \
         synchronous = FULL), and this machine's disk takes that long; the work before the sync \
         is a small part of it."
    } else if name.starts_with("timeline") {
        "the page's total counts the client's whole timeline, which for the busiest clients is \
         tens of thousands of index entries."
    } else if name.starts_with("who needs me") {
        "the generated journal is a stress case: more than half of its 10,000 relationships are \
         overdue, and the totals count every one of them (one index entry and one row each)."
    } else {
        "see the figures above."
    }
}

fn journal_counts(conn: &Connection) -> Res<Vec<(&'static str, i64)>> {
    let mut out = Vec::new();
    for (label, sql) in [
        ("clients", "SELECT count(*) FROM client"),
        (
            "archived clients",
            "SELECT count(*) FROM client WHERE archived_at IS NOT NULL",
        ),
        (
            "organisations",
            "SELECT count(DISTINCT organisation) FROM client WHERE organisation <> ''",
        ),
        ("touches", "SELECT count(*) FROM entry WHERE kind <> 'note'"),
        ("notes", "SELECT count(*) FROM entry WHERE kind = 'note'"),
        ("follow-ups", "SELECT count(*) FROM follow_up"),
        (
            "open follow-ups",
            "SELECT count(*) FROM follow_up WHERE done_at IS NULL",
        ),
        ("stage changes", "SELECT count(*) FROM stage_change"),
        ("introductions", "SELECT count(*) FROM introduction"),
        ("tags", "SELECT count(*) FROM client_tag"),
        ("facts", "SELECT count(*) FROM client_fact"),
        (
            "largest timeline (entries)",
            "SELECT max(n) FROM (SELECT count(*) AS n FROM entry GROUP BY client_id)",
        ),
        (
            "smallest timeline (entries)",
            "SELECT min(n) FROM (SELECT count(*) AS n FROM entry GROUP BY client_id)",
        ),
    ] {
        out.push((label, conn.query_row(sql, [], |r| r.get(0))?));
    }
    Ok(out)
}

fn ms(v: f64) -> String {
    if v < 1.0 {
        format!("{v:.3} ms")
    } else {
        format!("{v:.2} ms")
    }
}

fn machine() -> Vec<(String, String)> {
    let read = |p: &str| std::fs::read_to_string(p).unwrap_or_default();
    let cpuinfo = read("/proc/cpuinfo");
    let cpu = cpuinfo
        .lines()
        .find(|l| l.starts_with("model name"))
        .and_then(|l| l.split_once(':'))
        .map(|(_, v)| v.trim().to_string())
        .unwrap_or_else(|| "unknown".into());
    let cores = std::thread::available_parallelism().map_or(0, |n| n.get());
    let ram = read("/proc/meminfo")
        .lines()
        .find(|l| l.starts_with("MemTotal"))
        .and_then(|l| l.split_whitespace().nth(1)?.parse::<f64>().ok())
        .map_or("unknown".into(), |kb| {
            format!("{:.1} GB", kb / 1024.0 / 1024.0)
        });
    let os = read("/etc/os-release")
        .lines()
        .find(|l| l.starts_with("PRETTY_NAME="))
        .map(|l| {
            l.trim_start_matches("PRETTY_NAME=")
                .trim_matches('"')
                .to_string()
        })
        .unwrap_or_else(|| std::env::consts::OS.into());
    let kernel = read("/proc/sys/kernel/osrelease").trim().to_string();
    let rustc = std::process::Command::new(std::env::var("RUSTC").unwrap_or("rustc".into()))
        .arg("--version")
        .output()
        .ok()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_string())
        .unwrap_or_else(|| "unknown".into());
    vec![
        ("CPU".into(), cpu),
        ("cores".into(), cores.to_string()),
        ("RAM".into(), ram),
        ("OS".into(), format!("{os}, Linux {kernel}")),
        ("rustc".into(), rustc),
        (
            "SQLite".into(),
            format!("{} (bundled)", rusqlite::version()),
        ),
    ]
}

fn render(
    args: &Args,
    options: &GenerateOptions,
    generation: &Generation,
    file_mb: f64,
    counts: &[(&str, i64)],
    rows: &[Row],
    notes: &[String],
) -> String {
    let mut s = String::new();
    let _ = writeln!(s, "# Benchmarks");
    let _ = writeln!(s);
    let _ = writeln!(
        s,
        "<!-- Written by `make bench` (benches/journal.rs). Do not edit by hand: run the command. -->"
    );
    let _ = writeln!(s);
    let _ = writeln!(
        s,
        "Written by `make bench`{}: never edit this file by hand. Each operation is timed over many \
         iterations after a warm-up, with the client, word or moment varied in a fixed order, \
         ours and the floor taking turns (so both meet the same load on the machine); \
         *ours* is the journal core's API, the *floor* the same answer fetched by the best \
         hand-written SQL over the same file, in the same run. Ratio = ours / floor at p50. \
         A row passes when it meets its target and its ratio is at most {RATIO_MAX}.",
        if args.quick { " --quick" } else { "" }
    );
    let _ = writeln!(s);
    let _ = writeln!(
        s,
        "| operation | ours p50 | ours p99 | floor p50 | floor p99 | ratio (p50) | target (p50 / p99) | pass/miss |"
    );
    let _ = writeln!(s, "| --- | ---: | ---: | ---: | ---: | ---: | --- | --- |");
    for r in rows {
        let (fp50, fp99) = r
            .floor
            .map_or(("—".into(), "—".into()), |f| (ms(f.p50), ms(f.p99)));
        let ratio = r.ratio().map_or("—".into(), |x| format!("{x:.2}"));
        let target = match r.target {
            Some((a, b)) if a == b => format!("p99 < {a} ms, ≤ {RATIO_MAX}× floor"),
            Some((a, b)) => format!("< {a} / {b} ms, ≤ {RATIO_MAX}× floor"),
            None => format!("≤ {RATIO_MAX}× floor"),
        };
        let _ = writeln!(
            s,
            "| {} | {} | {} | {fp50} | {fp99} | {ratio} | {target} | {} |",
            r.name,
            ms(r.ours.p50),
            ms(r.ours.p99),
            if r.pass() { "pass" } else { "**miss**" }
        );
    }
    let rate = generation.touches as f64 / generation.seconds.max(1e-9);
    let _ =
        writeln!(
        s,
        "| generate the whole journal (ours only) | {:.1} s | — | — | — | — | a few minutes | {} |",
        generation.seconds,
        if generation.seconds <= 300.0 { "pass" } else { "**miss**" }
    );
    let _ = writeln!(s);
    let _ = writeln!(
        s,
        "Generation: {:.1} s for {} touches, {:.0} touches/s (with the notes, follow-ups, stage \
         moves and introductions around them), all through the core's API in `Journal::bulk` \
         batches; {}.",
        generation.seconds,
        generation.touches,
        rate,
        if generation.fresh {
            "measured in this run"
        } else {
            "measured when the cached journal was generated (`make bench BENCH_ARGS=--regenerate` \
             measures it again)"
        }
    );
    let _ = writeln!(s);
    let _ = writeln!(s, "## The journal");
    let _ = writeln!(s);
    let _ = writeln!(
        s,
        "`rapport::generate` version {GENERATOR_VERSION}, seed {}: {} clients in {} \
         organisations, {} touches over {} years ending {}. File: {file_mb:.0} MB. Busiest client: \
         id {} with {} touches and notes.",
        options.seed,
        options.clients,
        options.organisations,
        options.touches,
        options.years,
        options.now.format("%Y-%m-%d %H:%M UTC"),
        generation.summary.busiest_client,
        generation.summary.busiest_entries
    );
    let _ = writeln!(s);
    let _ = writeln!(s, "| rows | count |");
    let _ = writeln!(s, "| --- | ---: |");
    for (label, n) in counts {
        let _ = writeln!(s, "| {label} | {n} |");
    }
    let _ = writeln!(s);
    let _ = writeln!(s, "## The machine");
    let _ = writeln!(s);
    for (k, v) in machine() {
        let _ = writeln!(s, "- {k}: {v}");
    }
    let _ = writeln!(
        s,
        "- command: `make bench` (`cargo bench -p rapport --bench journal`), release profile; \
         the journal file is a fresh copy of the cached one, read warm from the page cache"
    );
    let _ = writeln!(s);
    let _ = writeln!(s, "## Notes");
    let _ = writeln!(s);
    for n in notes {
        let _ = writeln!(s, "- {n}");
    }
    s
}
