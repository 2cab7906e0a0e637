//! The operations timed, one function each, in the order of the report: each times ours next to
//! its floor with [`pair`] and adds its row (and any notes) to the report.

use std::path::PathBuf;

use chrono::{DateTime, Utc};
use rapport::{fts_query, ClientFilter, ClientSort, Journal, TouchInput, TouchKind};
use rusqlite::{params, Connection};

use crate::floor::{bare_keyed, decode_cursor, drain, floor_timeline, PAGE};
use crate::timing::{pair, pair_idle, Row};
use crate::Res;

/// An operation timed: the name `--only` matches against, and the function that times it.
pub(crate) type Case = (&'static str, fn(&mut Ctx) -> Res<()>);

/// Every operation timed, in the order of the report.
pub(crate) const CASES: &[Case] = &[
    ("open the journal", open),
    ("log a touch", log_a_touch),
    ("timeline, first page", timeline_first_page),
    ("timeline, a page deep", timeline_deep_page),
    ("who needs me", who_needs_me),
    ("client list", client_list),
    ("search", search),
    ("reminders", reminders),
    ("import", import),
];

/// What every case works on: the journal's copy, the generated history's end, and how much
/// fewer iterations a quick run makes.
pub(crate) struct Env {
    pub(crate) path: PathBuf,
    pub(crate) now: DateTime<Utc>,
    pub(crate) scale: usize,
    pub(crate) clients: i64,
    /// The key of the journal's encrypted copy; `None`: the copy in plain text.
    pub(crate) key: Option<rapport::Key>,
}

impl Env {
    /// The journal as the app opens it, and a bare connection for the floor. Each case opens
    /// its own, so a case times the same whether it runs alone (`--only`) or after the others.
    pub(crate) fn open(&self) -> Res<(Journal, Connection)> {
        Ok((self.journal(&self.path)?, self.bare(&self.path)?))
    }

    /// The journal at `path` opened as the app opens it, with this run's key if any.
    pub(crate) fn journal(&self, path: &std::path::Path) -> Res<Journal> {
        Ok(match &self.key {
            Some(key) => Journal::open_encrypted(path, key)?,
            None => Journal::open(path)?,
        })
    }

    /// A bare connection to the journal at `path`, for a floor.
    pub(crate) fn bare(&self, path: &std::path::Path) -> Res<Connection> {
        bare_keyed(path, self.key.as_ref())
    }

    /// The `i`th client of a fixed walk through all of them.
    pub(crate) fn client_at(&self, i: usize) -> i64 {
        (i as i64 * 7919) % self.clients + 1
    }
}

/// A case's view of the run: its setting, and the report's rows and notes to add to.
pub(crate) struct Ctx {
    pub(crate) env: Env,
    pub(crate) rows: Vec<Row>,
    pub(crate) notes: Vec<String>,
}

/// Opening, with the migration check, against a bare open reading the schema version.
fn open(cx: &mut Ctx) -> Res<()> {
    let Ctx { env, rows, .. } = cx;
    eprintln!("open");
    let (ours, floor) = pair(
        200 / env.scale,
        |_| {
            let j = env.journal(&env.path)?;
            drop(j);
            Ok(())
        },
        // The floor opens as every floor here does, with the journal's durability setting (which
        // makes SQLite read the schema, as any first statement does), and reads the schema version.
        |_| {
            let c = env.bare(&env.path)?;
            let _: i64 = c.query_row("PRAGMA user_version", [], |r| r.get(0))?;
            Ok(())
        },
    )?;
    rows.push(Row {
        name: "open the journal (with its migration check)".into(),
        ours,
        floor: Some(floor),
        target: None,
        ratio_max: None,
    });
    Ok(())
}

/// Logging a touch, durably, against a bare insert in its own transaction. Between two
/// saves the search index is tidied on a side connection, as the app does in the
/// background (a save leaves the merging to that).
fn log_a_touch(cx: &mut Ctx) -> Res<()> {
    let Ctx { env, rows, .. } = cx;
    let (mut journal, conn) = env.open()?;
    let now = env.now;
    let client_at = |i: usize| env.client_at(i);
    eprintln!("log a touch");
    let body = "Talked through the renewal and the pilot budget; she wants the numbers by Friday.";
    let mut tidier = env.journal(&env.path)?;
    let (ours, floor) = pair_idle(
        300 / env.scale,
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
        ratio_max: None,
    });
    Ok(())
}

/// A timeline's first page, across many clients.
fn timeline_first_page(cx: &mut Ctx) -> Res<()> {
    let Ctx { env, rows, .. } = cx;
    let (journal, conn) = env.open()?;
    let client_at = |i: usize| env.client_at(i);
    eprintln!("timeline");
    let (ours, floor) = pair(
        2000 / env.scale,
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
        ratio_max: None,
    });
    Ok(())
}

/// A page 5,000 entries deep, in the timelines of every client that has one; the cursor is
/// found by paging through the API.
fn timeline_deep_page(cx: &mut Ctx) -> Res<()> {
    let Ctx { env, rows, notes } = cx;
    let (journal, conn) = env.open()?;
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
            2000 / env.scale,
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
            ratio_max: None,
        });
    }
    Ok(())
}

/// Who needs me: what the Today view asks for.
fn who_needs_me(cx: &mut Ctx) -> Res<()> {
    let Ctx { env, rows, .. } = cx;
    let (journal, conn) = env.open()?;
    let now = env.now;
    let minute = chrono::Duration::minutes(1);
    eprintln!("who needs me");
    let (ours, floor) = pair(
        500 / env.scale,
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
        ratio_max: None,
    });
    Ok(())
}

/// The client list sorted by most overdue: a page of 200, scrolling through five pages.
fn client_list(cx: &mut Ctx) -> Res<()> {
    let Ctx { env, rows, .. } = cx;
    let (journal, conn) = env.open()?;
    let now = env.now;
    eprintln!("client list");
    let (ours, floor) = pair(
        500 / env.scale,
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
        ratio_max: None,
    });
    Ok(())
}

/// Search: a common word, a rare word, and a prefix as typed.
fn search(cx: &mut Ctx) -> Res<()> {
    let Ctx { env, rows, notes } = cx;
    let (journal, conn) = env.open()?;
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
        } / env.scale;
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
                // The same page of entries: the newest by date among the matches written last,
                // then their snippets, client and row.
                let mut stmt = conn.prepare_cached(
                    "SELECT e.id FROM entry e WHERE e.id IN
                       (SELECT rowid FROM entry_fts WHERE entry_fts MATCH ?1
                        ORDER BY rowid DESC LIMIT ?3)
                     ORDER BY e.at DESC, e.id DESC LIMIT ?2",
                )?;
                let page: Vec<i64> = stmt
                    .query_map(params![q, PAGE, rapport::SEARCH_WINDOW], |r| r.get(0))?
                    .collect::<rusqlite::Result<_>>()?;
                let (low, high) = (page.iter().min(), page.iter().max());
                let mut stmt = conn.prepare_cached(
                    "SELECT e.id, e.client_id, c.name, e.kind, e.at, e.summary,
                    snippet(entry_fts, -1, char(2), char(3), '…', 16)
             FROM entry_fts JOIN entry e ON e.id = entry_fts.rowid
             JOIN client c ON c.id = e.client_id
             WHERE entry_fts MATCH ?1 AND entry_fts.rowid BETWEEN ?2 AND ?3
               AND +entry_fts.rowid IN (SELECT value FROM json_each(?4))",
                )?;
                let ids = serde_json::to_string(&page)?;
                let mut r = stmt.query(params![q, low, high, ids])?;
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
            ratio_max: None,
        });
    }
    Ok(())
}

/// The reminder engine.
fn reminders(cx: &mut Ctx) -> Res<()> {
    let Ctx { env, rows, .. } = cx;
    let (journal, conn) = env.open()?;
    let now = env.now;
    let minute = chrono::Duration::minutes(1);
    eprintln!("reminders");
    let (ours, floor) = pair(
        2000 / env.scale,
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
        ratio_max: None,
    });
    let due_now = journal.due_reminders(now)?.len();
    let (ours, floor) = pair(
        200 / env.scale,
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
                           AND f.episode = max(c.due_at, coalesce(c.snoozed_until, 0))
                           AND f.fired_at <= ?2)
         ORDER BY c.due_at, c.id",
            )?;
            let mut r = stmt.query([t, t + 3600])?;
            drain(&mut r)?;
            let mut stmt = conn.prepare_cached(
                "SELECT f.id, f.client_id, c.name, f.what, f.due_at,
                max(f.due_at, coalesce(f.snoozed_until, 0))
         FROM follow_up f JOIN client c ON c.id = f.client_id
         WHERE f.done_at IS NULL AND max(f.due_at, coalesce(f.snoozed_until, 0)) <= ?1
           AND c.archived_at IS NULL
           AND NOT EXISTS (SELECT 1 FROM fired x WHERE x.kind = 'follow_up'
                           AND x.ref_id = f.id
                           AND x.episode = max(f.due_at, coalesce(f.snoozed_until, 0))
                           AND x.fired_at <= ?2)
         ORDER BY max(f.due_at, coalesce(f.snoozed_until, 0)), f.id",
            )?;
            let mut r = stmt.query([t, t + 3600])?;
            drain(&mut r)?;
            Ok(())
        },
    )?;
    rows.push(Row {
        name: format!("reminders: due reminders ({due_now} due, none fired yet)"),
        ours,
        floor: Some(floor),
        target: None,
        ratio_max: None,
    });
    Ok(())
}

/// Contacts in an address book of a user with a long career.
const ADDRESS_BOOK: usize = 30_000;

/// The floor of an import: the rows the import accepts, already read, written into a fresh
/// journal by bare prepared INSERTs in one transaction (the client, their first stage, their
/// facts and tags, as the import writes them).
fn insert_rows(
    env: &Env,
    path: &std::path::Path,
    rows: &[rapport::ParsedRow],
    now: i64,
) -> Res<()> {
    drop(env.journal(path)?);
    let mut c = env.bare(path)?;
    let tx = c.transaction()?;
    {
        let mut client = tx.prepare(
            "INSERT INTO client (name, sort_name, organisation, role, email, phone, profile,
                                 facts_text, tags_text, stage, created_at, updated_at, due_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, 'me_too', ?10, ?10, ?10 + 2592000)",
        )?;
        let mut stage = tx.prepare(
            "INSERT INTO stage_change (client_id, stage, at, note) VALUES (?1, 'me_too', ?2, '')",
        )?;
        let mut fact = tx.prepare(
            "INSERT INTO client_fact (client_id, position, label, value) VALUES (?1, ?2, ?3, ?4)",
        )?;
        let mut tag = tx.prepare("INSERT INTO client_tag (client_id, tag) VALUES (?1, ?2)")?;
        for row in rows {
            let c = &row.client;
            let facts: Vec<String> = c
                .facts
                .iter()
                .map(|f| format!("{}: {}", f.label, f.value))
                .collect();
            client.execute(params![
                c.name,
                rapport::validate::sort_key(&c.name),
                c.organisation,
                c.role,
                c.email,
                c.phone,
                c.profile,
                facts.join("\n"),
                c.tags.join(" "),
                now
            ])?;
            let id = tx.last_insert_rowid();
            stage.execute(params![id, now])?;
            for (i, f) in c.facts.iter().enumerate() {
                fact.execute(params![id, i, f.label, f.value])?;
            }
            for t in &c.tags {
                tag.execute(params![id, t])?;
            }
        }
    }
    tx.commit()?;
    Ok(())
}

/// The floor of a preview: the file's text read and split into its records, with nothing made
/// of them.
fn split_records(bytes: &[u8]) -> Res<usize> {
    let text = std::str::from_utf8(bytes)?;
    if text.starts_with("BEGIN:VCARD") {
        return Ok(text.lines().filter(|l| *l == "BEGIN:VCARD").count());
    }
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes());
    Ok(reader.records().count())
}

/// Previewing and importing an address book of 30,000 contacts (a LinkedIn CSV and a vCard
/// file, generated in those formats), each into an empty journal.
fn import(cx: &mut Ctx) -> Res<()> {
    let Ctx { env, rows, notes } = cx;
    let dir = tempfile::tempdir()?;
    let contacts = ADDRESS_BOOK / env.scale;
    let files = [
        (
            "a LinkedIn CSV",
            rapport_testkit::address_book::linkedin_csv(contacts, 1),
        ),
        (
            "a vCard file",
            rapport_testkit::address_book::vcard(contacts, 1),
        ),
    ];
    let options = rapport::ImportOptions::default();
    let iterations = (10 / env.scale).max(2);
    let n = std::cell::Cell::new(0);
    let fresh = || {
        n.set(n.get() + 1);
        dir.path().join(format!("journal-{}.sqlite3", n.get()))
    };
    for (label, bytes) in &files {
        eprintln!("import, {label}");
        let (ours, floor) = pair(
            iterations,
            |_| {
                let j = env.journal(&fresh())?;
                j.preview_import(bytes, &options)?;
                Ok(())
            },
            |_| {
                split_records(bytes)?;
                Ok(())
            },
        )?;
        rows.push(Row {
            name: format!("preview {label} of {contacts} contacts"),
            ours,
            floor: Some(floor),
            target: Some((1000.0, 1000.0)),
            // The floor only splits the text into records; the preview detects the encoding
            // and the delimiter, makes a client of every record by the journal's rules and
            // looks for duplicates: its ratio is reported, the target is what is asked.
            ratio_max: Some(f64::INFINITY),
        });
        let parsed = match rapport::ImportFormat::of(bytes) {
            rapport::ImportFormat::Vcard => rapport::parse_vcard(bytes, &options)?,
            _ => rapport::parse_csv(bytes, &options)?,
        };
        let accepted = parsed.rows.len();
        let now = env.now;
        let (ours, floor) = pair(
            iterations,
            |_| {
                let mut j = env.journal(&fresh())?;
                j.import(bytes, &options, &rapport::DuplicateChoices::default(), now)?;
                Ok(())
            },
            |_| insert_rows(env, &fresh(), &parsed.rows, now.timestamp()),
        )?;
        rows.push(Row {
            name: format!("import {label} of {contacts} contacts"),
            ours,
            floor: Some(floor),
            target: Some((3000.0, 3000.0)),
            ratio_max: Some(2.0),
        });
        let others = if accepted < contacts {
            " (the others are members who hide their data, as LinkedIn writes them)"
        } else {
            ""
        };
        notes.push(format!(
            "Import, {label}: {contacts} contacts generated in that format \
             (rapport_testkit::address_book), {accepted} accepted{others}; each preview and \
             import into a fresh, empty journal; the import's floor writes the accepted rows, \
             already read, by bare prepared INSERTs in one transaction."
        ));
    }
    Ok(())
}
