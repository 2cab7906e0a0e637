//! Exports: the whole journal as versioned JSON (which [`Journal::import_json`] reads back into an
//! empty journal, identical), clients and touches as CSV for spreadsheets, and open follow-ups as
//! an iCalendar file for a calendar.
//!
//! Each export is returned as bytes; [`crate::write_private`] saves them readable by the owner
//! only. Every export reads one consistent snapshot of the journal.

use std::collections::BTreeMap;

use chrono::{DateTime, Duration, Utc};
use rusqlite::{params, Connection};
use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::journal::{moment, moment_opt, secs, Journal};
use crate::model::{Fact, Pillars, Stage};

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

impl Journal {
    /// Runs `f` inside one read transaction, so everything it reads is one snapshot.
    fn snapshot<T>(&self, f: impl FnOnce(&Connection) -> Result<T>) -> Result<T> {
        self.conn
            .execute_batch("BEGIN DEFERRED")
            .map_err(Error::context("Starting an export"))?;
        let value = f(&self.conn);
        let _ = self.conn.execute_batch("COMMIT");
        value
    }

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

    /// Every client as CSV, one row each by name, with a header row: `id, name, organisation,
    /// role, email, phone, stage, cadence_days, tags (separated by "; "), profile, created_at,
    /// last_touch_at, archived_at`. Times are RFC 3339 in UTC.
    ///
    /// A cell that a spreadsheet would run as a formula (it starts with `=`, `@`, or `+`/`-`
    /// not followed by a digit) is written with a leading `'`.
    pub fn export_clients_csv(&self) -> Result<Vec<u8>> {
        let rows = self.snapshot(|conn| {
            conn.prepare(
                "SELECT c.id, c.name, c.organisation, c.role, c.email, c.phone, c.stage,
                        c.cadence_days, c.profile, c.created_at, c.last_touch_at, c.archived_at,
                        coalesce((SELECT group_concat(tag, '; ') FROM
                                   (SELECT tag FROM client_tag WHERE client_id = c.id
                                    ORDER BY lower(tag))), '')
                 FROM client c ORDER BY c.sort_name, c.id",
            )
            .and_then(|mut s| {
                s.query_map([], |r| {
                    Ok(vec![
                        r.get::<_, i64>(0)?.to_string(),
                        r.get(1)?,
                        r.get(2)?,
                        r.get(3)?,
                        r.get(4)?,
                        r.get(5)?,
                        r.get(6)?,
                        r.get::<_, Option<u32>>(7)?
                            .map(|d| d.to_string())
                            .unwrap_or_default(),
                        r.get(12)?,
                        r.get(8)?,
                        rfc3339(Some(r.get(9)?)),
                        rfc3339(r.get(10)?),
                        rfc3339(r.get(11)?),
                    ])
                })?
                .collect::<rusqlite::Result<Vec<_>>>()
            })
            .map_err(Error::context("Exporting clients"))
        })?;
        write_csv(
            &[
                "id",
                "name",
                "organisation",
                "role",
                "email",
                "phone",
                "stage",
                "cadence_days",
                "tags",
                "profile",
                "created_at",
                "last_touch_at",
                "archived_at",
            ],
            rows,
        )
    }

    /// Every touch (notes left out) as CSV, oldest first, with a header row: `id, client_id,
    /// client, organisation, kind, at, summary, body, gave_value, asked`.
    pub fn export_touches_csv(&self) -> Result<Vec<u8>> {
        let rows = self.snapshot(|conn| {
            conn.prepare(
                "SELECT e.id, e.client_id, c.name, c.organisation, e.kind, e.at, e.summary,
                        e.body, e.gave_value, e.asked
                 FROM entry e JOIN client c ON c.id = e.client_id
                 WHERE e.kind <> 'note' ORDER BY e.at, e.id",
            )
            .and_then(|mut s| {
                s.query_map([], |r| {
                    Ok(vec![
                        r.get::<_, i64>(0)?.to_string(),
                        r.get::<_, i64>(1)?.to_string(),
                        r.get(2)?,
                        r.get(3)?,
                        r.get(4)?,
                        rfc3339(Some(r.get(5)?)),
                        r.get(6)?,
                        r.get(7)?,
                        yes_no(r.get(8)?),
                        yes_no(r.get(9)?),
                    ])
                })?
                .collect::<rusqlite::Result<Vec<_>>>()
            })
            .map_err(Error::context("Exporting touches"))
        })?;
        write_csv(
            &[
                "id",
                "client_id",
                "client",
                "organisation",
                "kind",
                "at",
                "summary",
                "body",
                "gave_value",
                "asked",
            ],
            rows,
        )
    }

    /// Follow-ups not yet done, as an iCalendar file (RFC 5545): one `VEVENT` each, starting
    /// at its due moment and lasting a quarter of an hour, in UTC, with a `UID` that stays the
    /// same for the same follow-up across exports (so a calendar updates rather than
    /// duplicates it). Events rather than to-dos, because the calendars people use at work
    /// import events and silently drop to-dos.
    pub fn export_follow_ups_ics(&self, now: DateTime<Utc>) -> Result<String> {
        use icalendar::{Calendar, Component, Event, EventLike};
        let rows = self.snapshot(|conn| {
            conn.prepare(
                "SELECT f.id, f.created_at, f.what, f.due_at, c.name, c.organisation
                 FROM follow_up f JOIN client c ON c.id = f.client_id
                 WHERE f.done_at IS NULL ORDER BY f.due_at, f.id",
            )
            .and_then(|mut s| {
                s.query_map([], |r| {
                    Ok((
                        r.get::<_, i64>(0)?,
                        r.get::<_, i64>(1)?,
                        r.get::<_, String>(2)?,
                        r.get::<_, i64>(3)?,
                        r.get::<_, String>(4)?,
                        r.get::<_, String>(5)?,
                    ))
                })?
                .collect::<rusqlite::Result<Vec<_>>>()
            })
            .map_err(Error::context("Exporting follow-ups"))
        })?;
        let mut calendar = Calendar::empty();
        calendar.append_property(("VERSION", "2.0"));
        calendar.append_property(("PRODID", "-//Rapport//Rapport journal//EN"));
        calendar.append_property(("CALSCALE", "GREGORIAN"));
        calendar.append_property(("METHOD", "PUBLISH"));
        calendar.name("Rapport follow-ups");
        for (id, created, what, due, name, organisation) in rows {
            let due = moment(due);
            let who = if organisation.is_empty() {
                name.clone()
            } else {
                format!("{name} ({organisation})")
            };
            calendar.push(
                Event::new()
                    .uid(&format!("follow-up-{id}-{created}@rapport.journal"))
                    .timestamp(now)
                    .summary(&one_line(&format!("Follow up with {name}: {what}")))
                    .description(&text(&format!("{what}\nWith: {who}")))
                    .starts(due)
                    .ends(due + Duration::minutes(15))
                    .done(),
            );
        }
        Ok(calendar.done().to_string())
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

    let mut clients: Vec<ExportClient> = conn
        .prepare(
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
        .map_err(&ctx)?;
    let index: BTreeMap<i64, usize> = clients.iter().enumerate().map(|(i, c)| (c.id, i)).collect();
    let place = |client_id: i64| index.get(&client_id).copied();

    let mut stmt = conn
        .prepare("SELECT client_id, label, value FROM client_fact ORDER BY client_id, position, id")
        .map_err(&ctx)?;
    let mut rows = stmt.query([]).map_err(&ctx)?;
    while let Some(r) = rows.next().map_err(&ctx)? {
        if let Some(i) = place(r.get(0).map_err(&ctx)?) {
            clients[i].facts.push(Fact {
                label: r.get(1).map_err(&ctx)?,
                value: r.get(2).map_err(&ctx)?,
            });
        }
    }
    let mut stmt = conn
        .prepare("SELECT client_id, tag FROM client_tag ORDER BY client_id, lower(tag), tag")
        .map_err(&ctx)?;
    let mut rows = stmt.query([]).map_err(&ctx)?;
    while let Some(r) = rows.next().map_err(&ctx)? {
        if let Some(i) = place(r.get(0).map_err(&ctx)?) {
            clients[i].tags.push(r.get(1).map_err(&ctx)?);
        }
    }
    let mut stmt = conn
        .prepare("SELECT client_id, id, stage, at, note FROM stage_change ORDER BY id")
        .map_err(&ctx)?;
    let mut rows = stmt.query([]).map_err(&ctx)?;
    while let Some(r) = rows.next().map_err(&ctx)? {
        if let Some(i) = place(r.get(0).map_err(&ctx)?) {
            clients[i].stage_history.push(ExportStageChange {
                id: r.get(1).map_err(&ctx)?,
                stage: Stage::parse(&r.get::<_, String>(2).map_err(&ctx)?).unwrap_or_default(),
                at: moment(r.get(3).map_err(&ctx)?),
                note: r.get(4).map_err(&ctx)?,
            });
        }
    }
    let mut stmt = conn
        .prepare(
            "SELECT client_id, id, kind, at, summary, body, gave_value, asked, created_at,
                    updated_at FROM entry ORDER BY id",
        )
        .map_err(&ctx)?;
    let mut rows = stmt.query([]).map_err(&ctx)?;
    while let Some(r) = rows.next().map_err(&ctx)? {
        if let Some(i) = place(r.get(0).map_err(&ctx)?) {
            clients[i].entries.push(ExportEntry {
                id: r.get(1).map_err(&ctx)?,
                kind: r.get(2).map_err(&ctx)?,
                at: moment(r.get(3).map_err(&ctx)?),
                summary: r.get(4).map_err(&ctx)?,
                body: r.get(5).map_err(&ctx)?,
                gave_value: r.get(6).map_err(&ctx)?,
                asked: r.get(7).map_err(&ctx)?,
                created_at: moment(r.get(8).map_err(&ctx)?),
                updated_at: moment(r.get(9).map_err(&ctx)?),
            });
        }
    }
    let mut stmt = conn
        .prepare(
            "SELECT client_id, id, touch_id, what, due_at, created_at, done_at, snoozed_until
             FROM follow_up ORDER BY id",
        )
        .map_err(&ctx)?;
    let mut rows = stmt.query([]).map_err(&ctx)?;
    while let Some(r) = rows.next().map_err(&ctx)? {
        if let Some(i) = place(r.get(0).map_err(&ctx)?) {
            clients[i].follow_ups.push(ExportFollowUp {
                id: r.get(1).map_err(&ctx)?,
                touch_id: r.get(2).map_err(&ctx)?,
                what: r.get(3).map_err(&ctx)?,
                due_at: moment(r.get(4).map_err(&ctx)?),
                created_at: moment(r.get(5).map_err(&ctx)?),
                done_at: moment_opt(r.get(6).map_err(&ctx)?),
                snoozed_until: moment_opt(r.get(7).map_err(&ctx)?),
            });
        }
    }
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
        conn.execute(
            "INSERT INTO setting (key, value) VALUES (?1, ?2)
             ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            params![key, value],
        )
        .map_err(&ctx)?;
    }
    for c in &export.clients {
        conn.prepare_cached(
            "INSERT INTO client (id, name, sort_name, organisation, role, email, phone, profile,
                cadence_days, stage, compatibility, knowledge, trust, sample, created_at,
                updated_at, archived_at, snoozed_until, due_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17,
                     ?18, ?15)",
        )
        .and_then(|mut s| {
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
            .and_then(|mut st| {
                st.execute(params![s.id, c.id, s.stage.as_str(), secs(s.at), s.note])
            })
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
        crate::clients::refresh_clock(conn, c.id)?;
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

fn rfc3339(secs: Option<i64>) -> String {
    secs.map(|s| moment(s).to_rfc3339_opts(chrono::SecondsFormat::Secs, true))
        .unwrap_or_default()
}

fn yes_no(b: bool) -> String {
    if b { "yes" } else { "no" }.into()
}

/// A cell a spreadsheet would not run as a formula.
fn defuse(cell: String) -> String {
    let mut chars = cell.chars();
    let risky = match chars.next() {
        Some('=' | '@' | '\t' | '\r') => true,
        Some('+' | '-') => !chars
            .next()
            .is_some_and(|c| c.is_ascii_digit() || c == ' ' || c == '('),
        _ => false,
    };
    if risky {
        format!("'{cell}")
    } else {
        cell
    }
}

fn write_csv(header: &[&str], rows: Vec<Vec<String>>) -> Result<Vec<u8>> {
    let mut writer = csv::WriterBuilder::new()
        .terminator(csv::Terminator::CRLF)
        .from_writer(Vec::new());
    let fail = |e: csv::Error| Error::invalid("file", format!("cannot write CSV: {e}"));
    writer.write_record(header).map_err(fail)?;
    for row in rows {
        writer
            .write_record(row.into_iter().map(defuse))
            .map_err(fail)?;
    }
    writer
        .into_inner()
        .map_err(|e| Error::invalid("file", format!("cannot write CSV: {e}")))
}

/// Text for an iCalendar value: line breaks as `\n` (the crate escapes them), no bare CR.
fn text(s: &str) -> String {
    s.replace("\r\n", "\n").replace('\r', "\n")
}

fn one_line(s: &str) -> String {
    text(s).replace('\n', " ")
}
