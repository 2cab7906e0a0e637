//! Rapport's own JSON journal, the one file format that holds a whole journal: its types, the
//! export that writes it, and the import that checks it whole and reads it back into an empty
//! journal, identical (exporting that again gives the same bytes but for `exported_at`).
//!
//! Every record keeps its id, so references (a follow-up's touch, an introduction's clients)
//! survive the round trip. A file is checked whole before anything is written: format and
//! version, every record by the journal's rules, unique ids, every reference inside the file,
//! dates from 1900 to 2299.

use std::collections::{BTreeMap, HashMap, HashSet};

use chrono::{DateTime, Datelike, Utc};
use rusqlite::{params, Connection};
use serde::{Deserialize, Serialize};

use crate::error::{Error, Problem, Result};
use crate::import::{check_client, check_size, file_error, line_of, no_script, Imported};
use crate::journal::{moment, moment_opt, secs, Journal};
use crate::model::{ClientInput, Fact, Pillars, Stage, TouchKind};
use crate::validate::{self, LINE_MAX, TEXT_MAX};

/// The `format` field of a Rapport journal export.
pub const JSON_FORMAT: &str = "rapport-journal";
/// The `version` of the JSON export this build writes and reads.
pub const JSON_VERSION: u32 = 1;

/// A whole journal, as exported to JSON. Every record keeps its id, so references (a follow-up's
/// touch, an introduction's clients) survive the round trip.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct JournalExport {
    /// Always [`JSON_FORMAT`].
    pub format: String,
    /// [`JSON_VERSION`].
    pub version: u32,
    /// When the export was made.
    pub exported_at: DateTime<Utc>,
    /// The default cadence of each stage, in days.
    pub stage_cadences: BTreeMap<Stage, u32>,
    /// The user's settings (quiet hours, backups kept, ...), by key.
    pub settings: BTreeMap<String, String>,
    /// Every client, with their facts, tags, stage history, touches, notes and follow-ups.
    pub clients: Vec<ExportClient>,
    /// Every introduction.
    pub introductions: Vec<ExportIntroduction>,
    /// Reminder episodes already told, so an imported journal does not tell them again.
    pub fired: Vec<ExportFired>,
}

/// A client in the JSON export.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ExportClient {
    /// The client's id.
    pub id: i64,
    /// Name.
    pub name: String,
    /// Organisation.
    pub organisation: String,
    /// Role.
    pub role: String,
    /// Email.
    pub email: String,
    /// Phone.
    pub phone: String,
    /// Free-text profile.
    pub profile: String,
    /// Facts, in order.
    pub facts: Vec<Fact>,
    /// Tags.
    pub tags: Vec<String>,
    /// The client's own cadence, if any.
    pub cadence_days: Option<u32>,
    /// The current stage.
    pub stage: Stage,
    /// The three pillars.
    pub pillars: Pillars,
    /// From the sample journal.
    pub sample: bool,
    /// Added.
    pub created_at: DateTime<Utc>,
    /// Last edited.
    pub updated_at: DateTime<Utc>,
    /// Archived.
    pub archived_at: Option<DateTime<Utc>>,
    /// Snoozed until.
    pub snoozed_until: Option<DateTime<Utc>>,
    /// Every stage move, oldest first.
    pub stage_history: Vec<ExportStageChange>,
    /// Touches and notes, by id.
    pub entries: Vec<ExportEntry>,
    /// Follow-ups, by id.
    pub follow_ups: Vec<ExportFollowUp>,
}

/// A stage move in the JSON export.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ExportStageChange {
    /// Its id.
    pub id: i64,
    /// The stage reached.
    pub stage: Stage,
    /// When.
    pub at: DateTime<Utc>,
    /// Why.
    pub note: String,
}

/// A touch or a note in the JSON export.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ExportEntry {
    /// Its id.
    pub id: i64,
    /// A touch kind (`call`, `meeting`, ...) or `note`.
    pub kind: String,
    /// When it happened.
    pub at: DateTime<Utc>,
    /// One line.
    pub summary: String,
    /// The text.
    pub body: String,
    /// Gave value without asking.
    pub gave_value: bool,
    /// Asked for something.
    pub asked: bool,
    /// Logged.
    pub created_at: DateTime<Utc>,
    /// Last edited.
    pub updated_at: DateTime<Utc>,
}

/// A follow-up in the JSON export.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ExportFollowUp {
    /// Its id.
    pub id: i64,
    /// The touch it was born in (one of the same client's entries).
    pub touch_id: Option<i64>,
    /// What was promised.
    pub what: String,
    /// Due.
    pub due_at: DateTime<Utc>,
    /// Made.
    pub created_at: DateTime<Utc>,
    /// Done.
    pub done_at: Option<DateTime<Utc>>,
    /// Snoozed until.
    pub snoozed_until: Option<DateTime<Utc>>,
}

/// An introduction in the JSON export.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ExportIntroduction {
    /// Its id.
    pub id: i64,
    /// Who made the introduction.
    pub introducer_id: i64,
    /// Who was introduced.
    pub introduced_id: i64,
    /// When.
    pub at: DateTime<Utc>,
    /// Context.
    pub note: String,
}

/// A reminder episode already told, in the JSON export.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ExportFired {
    /// `relationship` or `follow_up`.
    pub kind: String,
    /// The client's or the follow-up's id.
    pub ref_id: i64,
    /// The episode's start.
    pub episode: DateTime<Utc>,
    /// When it was told.
    pub fired_at: DateTime<Utc>,
}

impl From<&ExportClient> for ClientInput {
    /// The client's own fields, as the journal's rules check them and an import preview shows
    /// them.
    fn from(c: &ExportClient) -> ClientInput {
        ClientInput {
            name: c.name.clone(),
            organisation: c.organisation.clone(),
            role: c.role.clone(),
            email: c.email.clone(),
            phone: c.phone.clone(),
            profile: c.profile.clone(),
            facts: c.facts.clone(),
            tags: c.tags.clone(),
            cadence_days: c.cadence_days,
            pillars: c.pillars,
        }
    }
}

impl Journal {
    /// The whole journal as a [`JournalExport`].
    pub fn export(&self, now: DateTime<Utc>) -> Result<JournalExport> {
        self.snapshot(|conn| read_export(conn, now))
            .map_err(|e| match e {
                Error::Database { source, .. } => Error::Database {
                    context: "Exporting the journal",
                    source,
                },
                other => other,
            })
    }

    /// The whole journal as pretty-printed JSON (UTF-8, ending in a newline): see
    /// [`JournalExport`].
    pub fn export_json(&self, now: DateTime<Utc>) -> Result<Vec<u8>> {
        let export = self.export(now)?;
        Ok(to_json(&export))
    }

    /// Imports a Rapport JSON export into this journal, which must have no clients: every
    /// record keeps its id, and exporting again gives the same JSON (but for `exported_at`).
    /// The file is checked whole first; any problem refuses it.
    pub fn import_json(&mut self, bytes: &[u8], now: DateTime<Utc>) -> Result<Imported> {
        let export = parse_journal_json(bytes)?;
        // The rules that depend on the moment, as every write in the window applies them: no
        // touch in 2299, no follow-up due three centuries away.
        let problems = check_moments(&export, now);
        if !problems.is_empty() {
            return Err(Error::Rejected { problems });
        }
        self.ensure_empty()?;
        let client_ids = export.clients.iter().map(|c| c.id).collect();
        self.write(|tx| write_export(tx, &export))?;
        Ok(Imported {
            client_ids,
            skipped_duplicates: 0,
            merged: Vec::new(),
            skipped_rows: 0,
        })
    }

    pub(crate) fn ensure_empty(&self) -> Result<()> {
        let clients: i64 = self
            .conn
            .query_row("SELECT count(*) FROM client", [], |r| r.get(0))
            .map_err(Error::context("Counting clients"))?;
        if clients > 0 {
            return Err(file_error(format!(
                "a Rapport journal export is imported only into an empty journal, and this one has {clients} client{}",
                if clients == 1 { "" } else { "s" }
            )));
        }
        Ok(())
    }
}

/// Pretty JSON with a final newline.
pub(crate) fn to_json(export: &JournalExport) -> Vec<u8> {
    let mut bytes = serde_json::to_vec_pretty(export).unwrap_or_default();
    bytes.push(b'\n');
    bytes
}

fn read_export(conn: &Connection, now: DateTime<Utc>) -> Result<JournalExport> {
    let ctx = Error::context("Exporting the journal");
    let stage_cadences = conn
        .prepare("SELECT stage, days FROM stage_cadence")
        .and_then(|mut s| {
            s.query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, u32>(1)?)))?
                .collect::<rusqlite::Result<Vec<_>>>()
        })
        .map_err(&ctx)?
        .into_iter()
        .filter_map(|(s, d)| Stage::parse(&s).map(|s| (s, d)))
        .collect();
    let settings = conn
        .prepare("SELECT key, value FROM setting ORDER BY key")
        .and_then(|mut s| s.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?.collect())
        .map_err(&ctx)?;

    let mut clients = read_clients(conn).map_err(&ctx)?;
    read_children(conn, &mut clients).map_err(&ctx)?;
    let introductions = conn
        .prepare("SELECT id, introducer_id, introduced_id, at, note FROM introduction ORDER BY id")
        .and_then(|mut s| {
            s.query_map([], |r| {
                Ok(ExportIntroduction {
                    id: r.get(0)?,
                    introducer_id: r.get(1)?,
                    introduced_id: r.get(2)?,
                    at: moment(r.get(3)?),
                    note: r.get(4)?,
                })
            })?
            .collect()
        })
        .map_err(&ctx)?;
    let fired = conn
        .prepare("SELECT kind, ref_id, episode, fired_at FROM fired ORDER BY kind, ref_id, episode")
        .and_then(|mut s| {
            s.query_map([], |r| {
                Ok(ExportFired {
                    kind: r.get(0)?,
                    ref_id: r.get(1)?,
                    episode: moment(r.get(2)?),
                    fired_at: moment(r.get(3)?),
                })
            })?
            .collect()
        })
        .map_err(&ctx)?;
    Ok(JournalExport {
        format: JSON_FORMAT.into(),
        version: JSON_VERSION,
        exported_at: now,
        stage_cadences,
        settings,
        clients,
        introductions,
        fired,
    })
}

/// Every client's own record, by id, with their lists still empty.
fn read_clients(conn: &Connection) -> rusqlite::Result<Vec<ExportClient>> {
    conn.prepare(
        "SELECT id, name, organisation, role, email, phone, profile, cadence_days, stage,
                    compatibility, knowledge, trust, sample, created_at, updated_at,
                    archived_at, snoozed_until
             FROM client ORDER BY id",
    )
    .and_then(|mut s| {
        s.query_map([], |r| {
            Ok(ExportClient {
                id: r.get(0)?,
                name: r.get(1)?,
                organisation: r.get(2)?,
                role: r.get(3)?,
                email: r.get(4)?,
                phone: r.get(5)?,
                profile: r.get(6)?,
                facts: Vec::new(),
                tags: Vec::new(),
                cadence_days: r.get(7)?,
                stage: Stage::parse(&r.get::<_, String>(8)?).unwrap_or_default(),
                pillars: Pillars {
                    compatibility: r.get(9)?,
                    knowledge: r.get(10)?,
                    trust: r.get(11)?,
                },
                sample: r.get(12)?,
                created_at: moment(r.get(13)?),
                updated_at: moment(r.get(14)?),
                archived_at: moment_opt(r.get(15)?),
                snoozed_until: moment_opt(r.get(16)?),
                stage_history: Vec::new(),
                entries: Vec::new(),
                follow_ups: Vec::new(),
            })
        })?
        .collect::<rusqlite::Result<Vec<_>>>()
    })
}

/// Every client's facts, tags, stage history, entries and follow-ups, each list in its order.
fn read_children(conn: &Connection, clients: &mut [ExportClient]) -> rusqlite::Result<()> {
    let index: BTreeMap<i64, usize> = clients.iter().enumerate().map(|(i, c)| (c.id, i)).collect();
    let mut children = |sql: &str, add: &mut AddChild| each_child(conn, sql, clients, &index, add);
    children(
        "SELECT client_id, label, value FROM client_fact ORDER BY client_id, position, id",
        &mut |c, r| {
            c.facts.push(Fact {
                label: r.get(1)?,
                value: r.get(2)?,
            });
            Ok(())
        },
    )?;
    children(
        "SELECT client_id, tag FROM client_tag ORDER BY client_id, lower(tag), tag",
        &mut |c, r| {
            c.tags.push(r.get(1)?);
            Ok(())
        },
    )?;
    children(
        "SELECT client_id, id, stage, at, note FROM stage_change ORDER BY id",
        &mut |c, r| {
            c.stage_history.push(ExportStageChange {
                id: r.get(1)?,
                stage: Stage::parse(&r.get::<_, String>(2)?).unwrap_or_default(),
                at: moment(r.get(3)?),
                note: r.get(4)?,
            });
            Ok(())
        },
    )?;
    children(
        "SELECT client_id, id, kind, at, summary, body, gave_value, asked, created_at,
                updated_at FROM entry ORDER BY id",
        &mut |c, r| {
            c.entries.push(ExportEntry {
                id: r.get(1)?,
                kind: r.get(2)?,
                at: moment(r.get(3)?),
                summary: r.get(4)?,
                body: r.get(5)?,
                gave_value: r.get(6)?,
                asked: r.get(7)?,
                created_at: moment(r.get(8)?),
                updated_at: moment(r.get(9)?),
            });
            Ok(())
        },
    )?;
    children(
        "SELECT client_id, id, touch_id, what, due_at, created_at, done_at, snoozed_until
         FROM follow_up ORDER BY id",
        &mut |c, r| {
            c.follow_ups.push(ExportFollowUp {
                id: r.get(1)?,
                touch_id: r.get(2)?,
                what: r.get(3)?,
                due_at: moment(r.get(4)?),
                created_at: moment(r.get(5)?),
                done_at: moment_opt(r.get(6)?),
                snoozed_until: moment_opt(r.get(7)?),
            });
            Ok(())
        },
    )?;
    Ok(())
}

/// Adds one row of a child table (a fact, a tag, an entry, ...) to its client.
type AddChild = dyn FnMut(&mut ExportClient, &rusqlite::Row<'_>) -> rusqlite::Result<()>;

/// Reads `sql`'s rows, whose first column is a client's id, and hands each row to `add` with
/// its client (one of `clients`, found through `index`).
fn each_child(
    conn: &Connection,
    sql: &str,
    clients: &mut [ExportClient],
    index: &BTreeMap<i64, usize>,
    add: &mut AddChild,
) -> rusqlite::Result<()> {
    let mut stmt = conn.prepare(sql)?;
    let mut rows = stmt.query([])?;
    while let Some(r) = rows.next()? {
        if let Some(&i) = index.get(&r.get(0)?) {
            add(&mut clients[i], r)?;
        }
    }
    Ok(())
}

/// Writes an export into a journal with no clients, in one transaction; the caller has
/// validated it whole.
pub(crate) fn write_export(conn: &Connection, export: &JournalExport) -> Result<()> {
    let ctx = Error::context("Importing the journal");
    for (stage, days) in &export.stage_cadences {
        conn.execute(
            "UPDATE stage_cadence SET days = ?2 WHERE stage = ?1",
            params![stage.as_str(), days],
        )
        .map_err(&ctx)?;
    }
    for (key, value) in &export.settings {
        crate::journal::put_setting(conn, key, value).map_err(&ctx)?;
    }
    for c in &export.clients {
        write_client(conn, c)?;
    }
    for i in &export.introductions {
        conn.execute(
            "INSERT INTO introduction (id, introducer_id, introduced_id, at, note)
             VALUES (?1, ?2, ?3, ?4, ?5)",
            params![i.id, i.introducer_id, i.introduced_id, secs(i.at), i.note],
        )
        .map_err(&ctx)?;
    }
    for f in &export.fired {
        conn.execute(
            "INSERT INTO fired (kind, ref_id, episode, fired_at) VALUES (?1, ?2, ?3, ?4)",
            params![f.kind, f.ref_id, secs(f.episode), secs(f.fired_at)],
        )
        .map_err(&ctx)?;
    }
    Ok(())
}

/// Writes one client of an export, with their facts, tags, stage history, entries and
/// follow-ups, and sets their relationship clock from them.
fn write_client(conn: &Connection, c: &ExportClient) -> Result<()> {
    let ctx = Error::context("Importing the journal");
    conn.prepare_cached(
        "INSERT INTO client (id, name, sort_name, organisation, role, email, phone, profile,
            cadence_days, stage, compatibility, knowledge, trust, sample, created_at,
            updated_at, archived_at, snoozed_until, due_at, facts_text, tags_text)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17,
                 ?18, ?15, ?19, ?20)",
    )
    .and_then(|mut s| {
        let (facts_text, tags_text) = crate::clients::profile_texts(&c.facts, &c.tags);
        s.execute(params![
            c.id,
            c.name,
            crate::validate::sort_key(&c.name),
            c.organisation,
            c.role,
            c.email,
            c.phone,
            c.profile,
            c.cadence_days,
            c.stage.as_str(),
            c.pillars.compatibility,
            c.pillars.knowledge,
            c.pillars.trust,
            c.sample,
            secs(c.created_at),
            secs(c.updated_at),
            c.archived_at.map(secs),
            c.snoozed_until.map(secs),
            facts_text,
            tags_text,
        ])
    })
    .map_err(&ctx)?;
    for (position, f) in c.facts.iter().enumerate() {
        conn.prepare_cached(
            "INSERT INTO client_fact (client_id, position, label, value)
             VALUES (?1, ?2, ?3, ?4)",
        )
        .and_then(|mut s| s.execute(params![c.id, position, f.label, f.value]))
        .map_err(&ctx)?;
    }
    for t in &c.tags {
        conn.prepare_cached("INSERT INTO client_tag (client_id, tag) VALUES (?1, ?2)")
            .and_then(|mut s| s.execute(params![c.id, t]))
            .map_err(&ctx)?;
    }
    for s in &c.stage_history {
        conn.prepare_cached(
            "INSERT INTO stage_change (id, client_id, stage, at, note)
             VALUES (?1, ?2, ?3, ?4, ?5)",
        )
        .and_then(|mut st| st.execute(params![s.id, c.id, s.stage.as_str(), secs(s.at), s.note]))
        .map_err(&ctx)?;
    }
    for e in &c.entries {
        conn.prepare_cached(
            "INSERT INTO entry (id, client_id, kind, at, summary, body, gave_value, asked,
                                created_at, updated_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
        )
        .and_then(|mut s| {
            s.execute(params![
                e.id,
                c.id,
                e.kind,
                secs(e.at),
                e.summary,
                e.body,
                e.gave_value,
                e.asked,
                secs(e.created_at),
                secs(e.updated_at)
            ])
        })
        .map_err(&ctx)?;
    }
    for f in &c.follow_ups {
        conn.prepare_cached(
            "INSERT INTO follow_up (id, client_id, touch_id, what, due_at, created_at,
                                    done_at, snoozed_until)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
        )
        .and_then(|mut s| {
            s.execute(params![
                f.id,
                c.id,
                f.touch_id,
                f.what,
                secs(f.due_at),
                secs(f.created_at),
                f.done_at.map(secs),
                f.snoozed_until.map(secs)
            ])
        })
        .map_err(&ctx)?;
    }
    crate::clients::refresh_clock(conn, c.id)
}

/// Earliest and latest moments a JSON import accepts.
fn plausible(at: DateTime<Utc>) -> bool {
    (1900..2300).contains(&at.year())
}

/// Reads and checks a Rapport JSON export whole: format and version, every record by the
/// journal's rules, ids unique, and every reference (a follow-up's touch, an introduction's
/// clients) pointing at a record of the file.
pub fn parse_journal_json(bytes: &[u8]) -> Result<JournalExport> {
    check_size(bytes)?;
    let body = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    if let Err(e) = std::str::from_utf8(body) {
        return Err(file_error(format!(
            "the file is not UTF-8 text: line {} has a byte that is not UTF-8",
            line_of(body, e.valid_up_to())
        )));
    }
    let value: serde_json::Value = serde_json::from_slice(body).map_err(|e| {
        file_error(format!(
            "the file is not JSON: line {}, column {}: {e}",
            e.line(),
            e.column()
        ))
    })?;
    let format = value.get("format").and_then(|f| f.as_str());
    if format != Some(JSON_FORMAT) {
        return Err(file_error(
            "the file is JSON but not a Rapport journal export (its \"format\" is not \"rapport-journal\")",
        ));
    }
    match value.get("version").and_then(serde_json::Value::as_u64) {
        Some(v) if v == u64::from(JSON_VERSION) => {}
        Some(v) if v > u64::from(JSON_VERSION) => {
            return Err(file_error(format!(
                "the file was exported by a newer Rapport (format version {v}; this one reads {JSON_VERSION})"
            )))
        }
        _ => return Err(file_error("the file's \"version\" is missing or unknown")),
    }
    let export: JournalExport = serde_json::from_value(value)
        .map_err(|e| file_error(format!("the file is not a valid Rapport export: {e}")))?;
    let problems = check_export(&export);
    if problems.is_empty() {
        Ok(export)
    } else {
        Err(Error::Rejected { problems })
    }
}

/// The moments of `export` by the rules every write applies at `now`: touches, notes, stage
/// moves and introductions not after the day's slack nor before [`validate::EARLIEST_YEAR`],
/// follow-ups due and snoozes within a hundred years.
fn check_moments(export: &JournalExport, now: DateTime<Utc>) -> Vec<Problem> {
    let mut problems = Vec::new();
    let mut check = |what: String, checked: Result<()>| {
        if let Err(e) = checked {
            problems.push(Problem {
                line: None,
                reason: format!("{what}: {e}"),
            });
        }
    };
    for c in &export.clients {
        let who = format!("client {} ({:?})", c.id, c.name);
        for e in &c.entries {
            check(
                format!("{who}: entry {}", e.id),
                validate::not_future("at", e.at, now),
            );
        }
        for s in &c.stage_history {
            check(
                format!("{who}: stage change {}", s.id),
                validate::not_future("at", s.at, now),
            );
        }
        for f in &c.follow_ups {
            let what = format!("{who}: follow-up {}", f.id);
            check(what.clone(), validate::due("due_at", f.due_at, now));
            if let Some(until) = f.snoozed_until {
                check(what, validate::due("snoozed_until", until, now));
            }
        }
        if let Some(until) = c.snoozed_until {
            check(who, validate::due("snoozed_until", until, now));
        }
    }
    for i in &export.introductions {
        check(
            format!("introduction {}", i.id),
            validate::not_future("at", i.at, now),
        );
    }
    problems
}

fn check_export(export: &JournalExport) -> Vec<Problem> {
    let mut check = Checker {
        client_ids: export.clients.iter().map(|c| c.id).collect(),
        ..Checker::default()
    };
    check.settings(export);
    for c in &export.clients {
        check.client(c);
    }
    // References, once every touch is known.
    for c in &export.clients {
        for f in &c.follow_ups {
            if let Some(t) = f.touch_id {
                if check.touches.get(&t) != Some(&c.id) {
                    check.problem(format!(
                        "client {}: follow-up {}: touch {t} is not one of this client's touches",
                        c.id, f.id
                    ));
                }
            }
        }
    }
    for i in &export.introductions {
        check.introduction(i);
    }
    for f in &export.fired {
        check.fired(f);
    }
    check.problems
}

/// What checking an export whole has found so far: the problems, and what later records may
/// refer to.
#[derive(Default)]
struct Checker {
    problems: Vec<Problem>,
    /// The ids seen, by table: each must be positive and unique.
    ids: HashMap<&'static str, HashSet<i64>>,
    /// Each touch's client, for the follow-ups born in one.
    touches: HashMap<i64, i64>,
    client_ids: HashSet<i64>,
    follow_up_ids: HashSet<i64>,
}

impl Checker {
    fn problem(&mut self, reason: String) {
        self.problems.push(Problem { line: None, reason });
    }

    /// Whether `id` is positive and not yet seen in `table`; says so if not.
    fn fresh(&mut self, table: &'static str, id: i64, what: &str) {
        if !(id > 0 && self.ids.entry(table).or_default().insert(id)) {
            self.problem(format!("{what}: the id is not positive or not unique"));
        }
    }

    fn settings(&mut self, export: &JournalExport) {
        for (stage, days) in &export.stage_cadences {
            if let Err(e) = validate::cadence(Some(*days)) {
                self.problem(format!("stage_cadences.{}: {e}", stage.as_str()));
            }
        }
        if !export.stage_cadences.is_empty() && export.stage_cadences.len() != Stage::ALL.len() {
            self.problem("stage_cadences: every stage needs its cadence".into());
        }
        // Each setting by the rule its own setter applies.
        for (key, value) in &export.settings {
            let valid = match key.as_str() {
                crate::backup::KEEP_KEY => value
                    .parse()
                    .map_err(|_| format!("{value:?} is not a number"))
                    .and_then(|keep| crate::backup::check_keep(keep).map_err(|e| e.to_string())),
                crate::reminders::QUIET_KEY => crate::reminders::parse_quiet(value)
                    .map(|_| ())
                    .ok_or_else(|| format!("{value:?} is not hours as HH:MM-HH:MM")),
                _ => Err("not a setting Rapport writes".into()),
            };
            if let Err(why) = valid {
                self.problem(format!("settings.{key:?}: {why}"));
            }
        }
    }

    /// A client and everything of theirs: fields as the journal stores them, ids, dates.
    fn client(&mut self, c: &ExportClient) {
        let who = format!("client {} ({:?})", c.id, c.name);
        self.fresh("client", c.id, &who);
        let input = ClientInput::from(c);
        match check_client(&input) {
            Ok(valid) if valid != input => self.problem(format!(
                "{who}: not as Rapport stores it (untrimmed text, or tags out of order or repeated)"
            )),
            Ok(_) => {}
            Err(reason) => self.problem(format!("{who}: {reason}")),
        }
        let mut moments = vec![
            Some(c.created_at),
            Some(c.updated_at),
            c.archived_at,
            c.snoozed_until,
        ];
        for s in &c.stage_history {
            let what = format!("{who}: stage change {}", s.id);
            self.fresh("stage_change", s.id, &what);
            if let Err(e) = validate::text("note", &s.note, LINE_MAX) {
                self.problem(format!("{what}: {e}"));
            }
            moments.push(Some(s.at));
        }
        for e in &c.entries {
            self.entry(&who, c.id, e);
            moments.extend([Some(e.at), Some(e.created_at), Some(e.updated_at)]);
        }
        for f in &c.follow_ups {
            let what = format!("{who}: follow-up {}", f.id);
            self.fresh("follow_up", f.id, &what);
            self.follow_up_ids.insert(f.id);
            if let Err(e) = validate::required_line("what", &f.what, LINE_MAX) {
                self.problem(format!("{what}: {e}"));
            }
            moments.extend([
                Some(f.due_at),
                Some(f.created_at),
                f.done_at,
                f.snoozed_until,
            ]);
        }
        if moments.into_iter().flatten().any(|m| !plausible(m)) {
            self.problem(format!("{who}: a date is before 1900 or after 2299"));
        }
    }

    /// A touch or a note of client `client_id`.
    fn entry(&mut self, who: &str, client_id: i64, e: &ExportEntry) {
        let what = format!("{who}: entry {}", e.id);
        self.fresh("entry", e.id, &what);
        let note = e.kind == "note";
        if !note && TouchKind::parse(&e.kind).is_none() {
            self.problem(format!(
                "{what}: kind {:?} is not a touch kind or \"note\"",
                e.kind
            ));
        } else if !note {
            self.touches.insert(e.id, client_id);
        }
        let checked = validate::line("summary", &e.summary, LINE_MAX)
            .and_then(|_| validate::text("body", &e.body, TEXT_MAX));
        if let Err(err) = checked {
            self.problem(format!("{what}: {err}"));
        }
        if let Err(err) = no_script(&[("summary", &e.summary), ("body", &e.body)]) {
            self.problem(format!("{what}: {err}"));
        }
        if note && (e.gave_value || e.asked) {
            self.problem(format!("{what}: a note neither gives nor asks"));
        }
        if e.kind == "value_add" && !e.gave_value {
            self.problem(format!("{what}: a value-add always gives value"));
        }
    }

    fn introduction(&mut self, i: &ExportIntroduction) {
        let what = format!("introduction {}", i.id);
        self.fresh("introduction", i.id, &what);
        let known = |id| self.client_ids.contains(id);
        if !known(&i.introducer_id) || !known(&i.introduced_id) {
            self.problem(format!("{what}: refers to a client not in the file"));
        }
        if i.introducer_id == i.introduced_id {
            self.problem(format!("{what}: a client cannot introduce themselves"));
        }
        if let Err(e) = validate::text("note", &i.note, TEXT_MAX) {
            self.problem(format!("{what}: {e}"));
        }
        if !plausible(i.at) {
            self.problem(format!("{what}: the date is before 1900 or after 2299"));
        }
    }

    fn fired(&mut self, f: &ExportFired) {
        let known = match f.kind.as_str() {
            "relationship" => self.client_ids.contains(&f.ref_id),
            "follow_up" => self.follow_up_ids.contains(&f.ref_id),
            _ => false,
        };
        if !known || !plausible(f.episode) || !plausible(f.fired_at) {
            self.problem(format!(
                "fired {} {}: refers to nothing in the file, or its date is out of range",
                f.kind, f.ref_id
            ));
        }
    }
}
