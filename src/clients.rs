//! Clients: adding, editing, archiving and deleting them, their stage history, and the list.

use chrono::{DateTime, Utc};
use rusqlite::types::Value;
use rusqlite::{params, Connection, OptionalExtension, Row};
use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::journal::{exists, moment, moment_opt, secs, Journal};
use crate::model::{Client, ClientInput, Fact, Pillars, Stage, StageChange};
use crate::validate;

pub(crate) const CLIENT_COLUMNS: &str = "c.id, c.name, c.organisation, c.role, c.email, c.phone, c.profile,
    c.cadence_days, coalesce(c.cadence_days, sc.days), c.stage, c.compatibility, c.knowledge, c.trust, c.sample,
    c.created_at, c.updated_at, c.archived_at, c.snoozed_until, c.last_touch_at, c.due_at
    FROM client c JOIN stage_cadence sc ON sc.stage = c.stage";

/// The columns the client list shows: no profile, facts or contact details, which can be long
/// and are not shown there.
pub(crate) const LISTED_COLUMNS: &str = "c.id, c.name, c.organisation, c.role,
    coalesce(c.cadence_days, sc.days), c.stage, c.compatibility, c.knowledge, c.trust, c.sample,
    c.archived_at, c.last_touch_at, c.due_at
    FROM client c JOIN stage_cadence sc ON sc.stage = c.stage";

/// A client as a list shows them, read from [`LISTED_COLUMNS`].
pub(crate) struct Listed {
    pub id: i64,
    pub name: String,
    pub organisation: String,
    pub role: String,
    pub cadence: u32,
    pub stage: Stage,
    pub pillars: Pillars,
    pub sample: bool,
    pub archived_at: Option<DateTime<Utc>>,
    pub last_touch_at: Option<DateTime<Utc>>,
    pub due_at: DateTime<Utc>,
}

pub(crate) fn listed_from_row(r: &Row<'_>) -> rusqlite::Result<Listed> {
    // Read in place: the stage is matched against its names, never kept as text.
    let stage = Stage::parse(r.get_ref(5)?.as_str()?).unwrap_or_default();
    Ok(Listed {
        id: r.get(0)?,
        name: r.get(1)?,
        organisation: r.get(2)?,
        role: r.get(3)?,
        cadence: r.get(4)?,
        stage,
        pillars: Pillars {
            compatibility: r.get(6)?,
            knowledge: r.get(7)?,
            trust: r.get(8)?,
        },
        sample: r.get(9)?,
        archived_at: moment_opt(r.get(10)?),
        last_touch_at: moment_opt(r.get(11)?),
        due_at: moment(r.get(12)?),
    })
}

/// Which clients a list shows, as to archiving.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Archived {
    /// Only clients not archived.
    #[default]
    Active,
    /// Only archived clients.
    Archived,
    /// Both.
    All,
}

/// How the client list is ordered.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ClientSort {
    /// By name, A to Z, ignoring case and accents.
    #[default]
    Name,
    /// Most recently touched first; never touched last.
    LastTouch,
    /// Most overdue first, then those due soonest.
    MostOverdue,
}

/// What the client list shows and in which order; every filter is optional.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ClientFilter {
    /// Only clients at this stage.
    pub stage: Option<Stage>,
    /// Only clients with this tag (case-blind).
    pub tag: Option<String>,
    /// Only clients of this organisation (case-blind).
    pub organisation: Option<String>,
    /// Only clients whose name, organisation, profile, facts or tags match these words (each a
    /// prefix, as in search).
    pub query: Option<String>,
    /// Archived, active or both.
    pub archived: Archived,
    /// The order.
    pub sort: ClientSort,
    /// At most this many rows (default 200).
    pub limit: Option<u32>,
    /// Skip this many rows first.
    pub offset: u32,
}

/// One line of the client list.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ClientRow {
    /// The client's id.
    pub id: i64,
    /// Their name.
    pub name: String,
    /// Their organisation.
    pub organisation: String,
    /// Their role.
    pub role: String,
    /// Their stage.
    pub stage: Stage,
    /// The cadence in force, in days.
    pub cadence: u32,
    /// The newest touch.
    pub last_touch_at: Option<DateTime<Utc>>,
    /// Whole days since the newest touch.
    pub days_since_touch: Option<i64>,
    /// When the relationship is (or was) due a touch.
    pub due_at: DateTime<Utc>,
    /// True when the due moment has passed (snoozes aside).
    pub overdue: bool,
    /// Whole days past due (negative: days left).
    pub days_overdue: i64,
    /// Archived.
    pub archived: bool,
    /// From the sample journal.
    pub sample: bool,
    /// Resting on compatibility alone.
    pub vulnerable: bool,
}

/// A page of the client list, with how many clients match in all.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ClientPage {
    /// The rows of this page.
    pub rows: Vec<ClientRow>,
    /// How many clients match the filter.
    pub total: u64,
}

/// A value with how many clients carry it: an organisation or a tag, for filter menus.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Counted {
    /// The organisation or tag.
    pub value: String,
    /// How many active clients carry it.
    pub clients: u64,
}

/// Everything the client's page shows above the timeline.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ClientOverview {
    /// The client, whole.
    pub client: Client,
    /// Whole days since the newest touch.
    pub days_since_touch: Option<i64>,
    /// Past due (snoozes aside).
    pub overdue: bool,
    /// Whole days past due (negative: days left).
    pub days_overdue: i64,
    /// Follow-ups not done, soonest first.
    pub open_follow_ups: Vec<crate::model::FollowUp>,
    /// Introductions made and received.
    pub introductions: crate::model::Introductions,
    /// Every stage move, oldest first.
    pub stage_history: Vec<StageChange>,
    /// Touches logged.
    pub touches: u64,
    /// Notes written.
    pub notes: u64,
    /// Touches that gave value without asking.
    pub gave: u64,
    /// Touches that asked.
    pub asked: u64,
}

/// The default list length: a screenful and more, small enough to send to the UI at once.
const DEFAULT_LIMIT: u32 = 200;

impl Journal {
    /// Adds a client at `stage`; the stage's history starts now.
    pub fn create_client(
        &mut self,
        input: &ClientInput,
        stage: Stage,
        now: DateTime<Utc>,
    ) -> Result<Client> {
        self.insert_client(input, stage, false, now)
    }

    pub(crate) fn insert_client(
        &mut self,
        input: &ClientInput,
        stage: Stage,
        sample: bool,
        now: DateTime<Utc>,
    ) -> Result<Client> {
        let input = validate::client(input)?;
        let id = self.write(|tx| insert_client_tx(tx, &input, stage, sample, now))?;
        self.client(id)
    }

    /// Replaces a client's profile with `input` (stage and history are changed by [`Journal::set_stage`]).
    pub fn update_client(
        &mut self,
        id: i64,
        input: &ClientInput,
        now: DateTime<Utc>,
    ) -> Result<Client> {
        let input = validate::client(input)?;
        self.write(|tx| update_client_tx(tx, id, &input, now))?;
        self.client(id)
    }

    /// One client, whole.
    pub fn client(&self, id: i64) -> Result<Client> {
        read_client(&self.conn, id)
    }

    /// A client with everything their page shows above the timeline.
    pub fn client_overview(&self, id: i64, now: DateTime<Utc>) -> Result<ClientOverview> {
        let client = self.client(id)?;
        let (touches, notes, gave, asked) = self
            .conn
            .prepare_cached(
                "SELECT count(*) FILTER (WHERE kind <> 'note'), count(*) FILTER (WHERE kind = 'note'),
                        coalesce(sum(gave_value), 0), coalesce(sum(asked), 0)
                 FROM entry WHERE client_id = ?1",
            )
            .and_then(|mut s| {
                s.query_row([id], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))
            })
            .map_err(Error::context("Counting a client's touches"))?;
        Ok(ClientOverview {
            days_since_touch: client.last_touch_at.map(|t| (now - t).num_days()),
            overdue: client.due_at < now,
            days_overdue: (now - client.due_at).num_days(),
            open_follow_ups: self.open_follow_ups(id)?,
            introductions: self.introductions(id)?,
            stage_history: self.stage_history(id)?,
            touches,
            notes,
            gave,
            asked,
            client,
        })
    }

    /// Archives a client: kept, searchable, never reminding. Archiving twice keeps the first date.
    pub fn archive_client(&mut self, id: i64, now: DateTime<Utc>) -> Result<Client> {
        self.write(|tx| {
            exists(tx, "client", id)?;
            tx.execute(
                "UPDATE client SET archived_at = coalesce(archived_at, ?2) WHERE id = ?1",
                params![id, secs(now)],
            )
            .map_err(Error::context("Archiving a client"))?;
            Ok(())
        })?;
        self.client(id)
    }

    /// Brings an archived client back.
    pub fn unarchive_client(&mut self, id: i64) -> Result<Client> {
        self.write(|tx| {
            exists(tx, "client", id)?;
            tx.execute("UPDATE client SET archived_at = NULL WHERE id = ?1", [id])
                .map_err(Error::context("Unarchiving a client"))?;
            Ok(())
        })?;
        self.client(id)
    }

    /// Deletes a client with their touches, notes, follow-ups, stage history and introductions,
    /// all in one transaction.
    pub fn delete_client(&mut self, id: i64) -> Result<()> {
        self.write(|tx| {
            exists(tx, "client", id)?;
            tx.execute("DELETE FROM client WHERE id = ?1", [id])
                .map_err(Error::context("Deleting a client"))?;
            Ok(())
        })
    }

    /// Moves a relationship to `stage` as of `at`, keeping the move in its history.
    pub fn set_stage(
        &mut self,
        id: i64,
        stage: Stage,
        at: DateTime<Utc>,
        note: &str,
        now: DateTime<Utc>,
    ) -> Result<StageChange> {
        validate::not_future("at", at, now)?;
        let note = validate::text("note", note, validate::LINE_MAX)?;
        let change_id = self.write(|tx| {
            exists(tx, "client", id)?;
            tx.prepare_cached(
                "INSERT INTO stage_change (client_id, stage, at, note) VALUES (?1, ?2, ?3, ?4)",
            )
            .and_then(|mut s| s.execute(params![id, stage.as_str(), secs(at), note]))
            .map_err(Error::context("Recording a stage change"))?;
            let change_id = tx.last_insert_rowid();
            current_stage(tx, id)?;
            refresh_clock(tx, id)?;
            Ok(change_id)
        })?;
        Ok(StageChange {
            id: change_id,
            client_id: id,
            stage,
            at,
            note,
        })
    }

    /// Rewrites a stage move entered wrong: its stage, its date or its note. The client's stage
    /// is again their latest move by date, and the relationship clock follows.
    pub fn update_stage_change(
        &mut self,
        id: i64,
        stage: Stage,
        at: DateTime<Utc>,
        note: &str,
        now: DateTime<Utc>,
    ) -> Result<StageChange> {
        validate::not_future("at", at, now)?;
        let note = validate::text("note", note, validate::LINE_MAX)?;
        let client_id = self.write(|tx| {
            exists(tx, "stage change", id)?;
            let client_id: i64 = tx
                .query_row(
                    "SELECT client_id FROM stage_change WHERE id = ?1",
                    [id],
                    |r| r.get(0),
                )
                .map_err(Error::context("Editing a stage move"))?;
            tx.execute(
                "UPDATE stage_change SET stage = ?2, at = ?3, note = ?4 WHERE id = ?1",
                params![id, stage.as_str(), secs(at), note],
            )
            .map_err(Error::context("Editing a stage move"))?;
            current_stage(tx, client_id)?;
            refresh_clock(tx, client_id)?;
            Ok(client_id)
        })?;
        Ok(StageChange {
            id,
            client_id,
            stage,
            at,
            note,
        })
    }

    /// Deletes a stage move (one entered by mistake, or the undo of one just made): the client's
    /// stage is again the latest move left. A client's only move, their first stage, stays.
    pub fn delete_stage_change(&mut self, id: i64) -> Result<crate::undo::Deleted> {
        self.write(|tx| {
            exists(tx, "stage change", id)?;
            let stage_change = tx
                .query_row(
                    "SELECT id, client_id, stage, at, note FROM stage_change WHERE id = ?1",
                    [id],
                    stage_change_from_row,
                )
                .map_err(Error::context("Deleting a stage change"))?;
            let (client_id, moves): (i64, i64) = tx
                .query_row(
                    "SELECT client_id, (SELECT count(*) FROM stage_change s
                                        WHERE s.client_id = c.client_id)
                     FROM stage_change c WHERE id = ?1",
                    [id],
                    |r| Ok((r.get(0)?, r.get(1)?)),
                )
                .map_err(Error::context("Deleting a stage change"))?;
            if moves < 2 {
                return Err(Error::invalid(
                    "stage change",
                    "a client's first stage is kept: move them to another stage instead",
                ));
            }
            tx.execute("DELETE FROM stage_change WHERE id = ?1", [id])
                .map_err(Error::context("Deleting a stage change"))?;
            current_stage(tx, client_id)?;
            refresh_clock(tx, client_id)?;
            Ok(crate::undo::Deleted::StageChange { stage_change })
        })
    }

    /// A client's stage history, oldest first.
    pub fn stage_history(&self, id: i64) -> Result<Vec<StageChange>> {
        exists(&self.conn, "client", id)?;
        self.conn
            .prepare_cached(
                "SELECT id, client_id, stage, at, note FROM stage_change
                 WHERE client_id = ?1 ORDER BY at, id",
            )
            .and_then(|mut s| s.query_map([id], stage_change_from_row)?.collect())
            .map_err(Error::context("Reading a stage history"))
    }

    /// Holds back a relationship's reminder until `until` (`None` lifts the snooze).
    pub fn snooze_client(
        &mut self,
        id: i64,
        until: Option<DateTime<Utc>>,
        now: DateTime<Utc>,
    ) -> Result<Client> {
        if let Some(until) = until {
            validate::due("until", until, now)?;
        }
        self.write(|tx| {
            exists(tx, "client", id)?;
            tx.execute(
                "UPDATE client SET snoozed_until = ?2 WHERE id = ?1",
                params![id, until.map(secs)],
            )
            .map_err(Error::context("Snoozing a client"))?;
            Ok(())
        })?;
        self.client(id)
    }

    /// The default cadence of each stage, in days.
    pub fn stage_cadences(&self) -> Result<Vec<(Stage, u32)>> {
        let rows: Vec<(String, u32)> = self
            .conn
            .prepare_cached("SELECT stage, days FROM stage_cadence")
            .and_then(|mut s| s.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?.collect())
            .map_err(Error::context("Reading stage cadences"))?;
        let mut out: Vec<(Stage, u32)> = rows
            .into_iter()
            .filter_map(|(s, d)| Stage::parse(&s).map(|s| (s, d)))
            .collect();
        out.sort_by_key(|(s, _)| Stage::ALL.iter().position(|x| x == s));
        Ok(out)
    }

    /// Changes a stage's default cadence; every client at that stage without an override moves.
    pub fn set_stage_cadence(&mut self, stage: Stage, days: u32) -> Result<()> {
        validate::cadence(Some(days))?;
        self.write(|tx| {
            tx.execute(
                "UPDATE stage_cadence SET days = ?2 WHERE stage = ?1",
                params![stage.as_str(), days],
            )
            .and_then(|_| {
                tx.execute(
                    "UPDATE client SET due_at = coalesce(last_touch_at, created_at) + 86400 * ?2
                     WHERE stage = ?1 AND cadence_days IS NULL",
                    params![stage.as_str(), days],
                )
            })
            .map_err(Error::context("Changing a stage's cadence"))?;
            Ok(())
        })
    }

    /// The client list: filtered, sorted, one page of it, and the number matching in all.
    pub fn list_clients(&self, filter: &ClientFilter, now: DateTime<Utc>) -> Result<ClientPage> {
        let mut clauses: Vec<&str> = Vec::new();
        let mut args: Vec<Value> = Vec::new();
        match filter.archived {
            Archived::Active => clauses.push("c.archived_at IS NULL"),
            Archived::Archived => clauses.push("c.archived_at IS NOT NULL"),
            Archived::All => {}
        }
        if let Some(stage) = filter.stage {
            clauses.push("c.stage = ?");
            args.push(Value::Text(stage.as_str().into()));
        }
        if let Some(org) = filter.organisation.as_deref() {
            clauses.push("rapport_fold(c.organisation) = ?");
            args.push(Value::Text(crate::validate::fold(org.trim())));
        }
        if let Some(tag) = filter.tag.as_deref() {
            clauses.push(
                "EXISTS (SELECT 1 FROM client_tag t
                         WHERE t.client_id = c.id AND rapport_fold(t.tag) = ?)",
            );
            args.push(Value::Text(crate::validate::fold(
                tag.trim().trim_start_matches('#'),
            )));
        }
        let mut joins: Vec<&str> = Vec::new();
        let mut join_args: Vec<Value> = Vec::new();
        if let Some(query) = filter.query.as_deref().and_then(crate::search::fts_query) {
            joins.push("JOIN client_fts ON client_fts.rowid = c.id AND client_fts MATCH ?");
            join_args.push(Value::Text(query));
        }
        let join = joins.join(" ");
        join_args.append(&mut args);
        let mut args = join_args;
        let filter_sql = if clauses.is_empty() {
            String::new()
        } else {
            format!("WHERE {}", clauses.join(" AND "))
        };
        let order = match filter.sort {
            ClientSort::Name => "c.sort_name, c.id",
            // NULL sorts lowest in SQLite, so the never-touched come last when descending.
            ClientSort::LastTouch => "c.last_touch_at DESC, c.id DESC",
            ClientSort::MostOverdue => "c.due_at, c.id",
        };
        let total: u64 = self
            .conn
            .prepare_cached(&format!(
                "SELECT count(*) FROM client c {join} {filter_sql}"
            ))
            .and_then(|mut s| s.query_row(rusqlite::params_from_iter(&args), |r| r.get(0)))
            .map_err(Error::context("Counting clients"))?;
        let limit = filter.limit.unwrap_or(DEFAULT_LIMIT);
        args.push(Value::Integer(limit.into()));
        args.push(Value::Integer(filter.offset.into()));
        let rows = self
            .conn
            .prepare_cached(&format!(
                "SELECT {LISTED_COLUMNS} {join} {filter_sql} ORDER BY {order} LIMIT ? OFFSET ?"
            ))
            .and_then(|mut s| {
                s.query_map(rusqlite::params_from_iter(&args), listed_from_row)?
                    .map(|c| c.map(|c| ClientRow::new(c, now)))
                    .collect()
            })
            .map_err(Error::context("Listing clients"))?;
        Ok(ClientPage { rows, total })
    }

    /// Organisations of active clients, with how many clients each has, by name.
    pub fn organisations(&self) -> Result<Vec<Counted>> {
        self.counted(
            "SELECT min(organisation), count(*) FROM client
             WHERE archived_at IS NULL AND organisation <> ''
             GROUP BY rapport_fold(organisation) ORDER BY rapport_fold(organisation)",
        )
    }

    /// Tags of active clients, with how many clients carry each, by name.
    pub fn tags(&self) -> Result<Vec<Counted>> {
        self.counted(
            "SELECT min(t.tag), count(DISTINCT c.id) FROM client_tag t
             JOIN client c ON c.id = t.client_id
             WHERE c.archived_at IS NULL
             GROUP BY rapport_fold(t.tag) ORDER BY rapport_fold(t.tag)",
        )
    }

    fn counted(&self, sql: &str) -> Result<Vec<Counted>> {
        self.conn
            .prepare_cached(sql)
            .and_then(|mut s| {
                s.query_map([], |r| {
                    Ok(Counted {
                        value: r.get(0)?,
                        clients: r.get(1)?,
                    })
                })?
                .collect()
            })
            .map_err(Error::context("Counting clients"))
    }
}

impl ClientRow {
    fn new(c: Listed, now: DateTime<Utc>) -> ClientRow {
        ClientRow {
            id: c.id,
            days_since_touch: c.last_touch_at.map(|t| (now - t).num_days()),
            overdue: c.due_at < now,
            days_overdue: (now - c.due_at).num_days(),
            vulnerable: c.pillars.vulnerable(),
            archived: c.archived_at.is_some(),
            name: c.name,
            organisation: c.organisation,
            role: c.role,
            stage: c.stage,
            cadence: c.cadence,
            last_touch_at: c.last_touch_at,
            due_at: c.due_at,
            sample: c.sample,
        }
    }
}

/// Client `id`, whole, read through `conn` (inside a transaction, say).
pub(crate) fn read_client(conn: &Connection, id: i64) -> Result<Client> {
    let mut client = conn
        .prepare_cached(&format!("SELECT {CLIENT_COLUMNS} WHERE c.id = ?1"))
        .and_then(|mut s| s.query_row([id], client_from_row).optional())
        .map_err(Error::context("Reading a client"))?
        .ok_or(Error::NotFound { kind: "client", id })?;
    client.facts = conn
        .prepare_cached(
            "SELECT label, value FROM client_fact WHERE client_id = ?1 ORDER BY position",
        )
        .and_then(|mut s| {
            s.query_map([id], |r| {
                Ok(Fact {
                    label: r.get(0)?,
                    value: r.get(1)?,
                })
            })?
            .collect()
        })
        .map_err(Error::context("Reading a client's facts"))?;
    client.tags = conn
        .prepare_cached("SELECT tag FROM client_tag WHERE client_id = ?1")
        .and_then(|mut s| s.query_map([id], |r| r.get(0))?.collect())
        .map_err(Error::context("Reading a client's tags"))?;
    client.tags.sort_by_key(|t: &String| t.to_lowercase());
    Ok(client)
}

/// Rewrites client `id`'s profile, facts and tags with `input` (already validated), inside a
/// transaction.
pub(crate) fn update_client_tx(
    tx: &Connection,
    id: i64,
    input: &ClientInput,
    now: DateTime<Utc>,
) -> Result<()> {
    exists(tx, "client", id)?;
    tx.prepare_cached(
        "UPDATE client SET name = :name, sort_name = :sort_name,
            organisation = :organisation, role = :role, email = :email, phone = :phone,
            profile = :profile, cadence_days = :cadence_days,
            compatibility = :compatibility, knowledge = :knowledge, trust = :trust,
            facts_text = :facts_text, tags_text = :tags_text, updated_at = :now
         WHERE id = :id",
    )
    .and_then(|mut s| write_profile(&mut s, input, &[(":id", &id), (":now", &secs(now))]))
    .map_err(Error::context("Saving a client"))?;
    tx.execute("DELETE FROM client_fact WHERE client_id = ?1", [id])
        .and_then(|_| tx.execute("DELETE FROM client_tag WHERE client_id = ?1", [id]))
        .map_err(Error::context("Replacing facts and tags"))?;
    write_facts_and_tags(tx, id, input)?;
    refresh_clock(tx, id)
}

/// Inserts a validated client with the first step of their stage history.
pub(crate) fn insert_client_tx(
    tx: &Connection,
    input: &ClientInput,
    stage: Stage,
    sample: bool,
    now: DateTime<Utc>,
) -> Result<i64> {
    tx.prepare_cached(
        "INSERT INTO client (name, sort_name, organisation, role, email, phone, profile,
            cadence_days, compatibility, knowledge, trust, facts_text, tags_text, stage, sample,
            created_at, updated_at, due_at)
         VALUES (:name, :sort_name, :organisation, :role, :email, :phone, :profile,
            :cadence_days, :compatibility, :knowledge, :trust, :facts_text, :tags_text, :stage,
            :sample, :now, :now, :now)",
    )
    .and_then(|mut s| {
        write_profile(
            &mut s,
            input,
            &[
                (":stage", &stage.as_str()),
                (":sample", &sample),
                (":now", &secs(now)),
            ],
        )
    })
    .map_err(Error::context("Adding a client"))?;
    let id = tx.last_insert_rowid();
    write_facts_and_tags(tx, id, input)?;
    tx.prepare_cached("INSERT INTO stage_change (client_id, stage, at) VALUES (?1, ?2, ?3)")
        .and_then(|mut s| s.execute(params![id, stage.as_str(), secs(now)]))
        .map_err(Error::context("Recording the first stage"))?;
    refresh_clock(tx, id)?;
    Ok(id)
}

/// A client's facts and tags as the plain text the client search index reads: a fact a line,
/// `label: value`, and the tags separated by spaces.
pub(crate) fn profile_texts(facts: &[Fact], tags: &[String]) -> (String, String) {
    let facts = facts
        .iter()
        .map(|f| format!("{}: {}", f.label, f.value))
        .collect::<Vec<_>>()
        .join("\n");
    (facts, tags.join(" "))
}

/// Runs an insert or update of a client with the profile columns both share bound by name,
/// and `extra` for the rest.
fn write_profile(
    stmt: &mut rusqlite::Statement<'_>,
    input: &ClientInput,
    extra: &[(&str, &dyn rusqlite::ToSql)],
) -> rusqlite::Result<usize> {
    let sort_name = validate::sort_key(&input.name);
    let (facts_text, tags_text) = profile_texts(&input.facts, &input.tags);
    let mut bound: Vec<(&str, &dyn rusqlite::ToSql)> = vec![
        (":facts_text", &facts_text),
        (":tags_text", &tags_text),
        (":name", &input.name),
        (":sort_name", &sort_name),
        (":organisation", &input.organisation),
        (":role", &input.role),
        (":email", &input.email),
        (":phone", &input.phone),
        (":profile", &input.profile),
        (":cadence_days", &input.cadence_days),
        (":compatibility", &input.pillars.compatibility),
        (":knowledge", &input.pillars.knowledge),
        (":trust", &input.pillars.trust),
    ];
    bound.extend_from_slice(extra);
    stmt.execute(bound.as_slice())
}

fn write_facts_and_tags(conn: &Connection, id: i64, input: &ClientInput) -> Result<()> {
    let mut fact = conn
        .prepare_cached(
            "INSERT INTO client_fact (client_id, position, label, value) VALUES (?1, ?2, ?3, ?4)",
        )
        .map_err(Error::context("Saving facts"))?;
    for (position, f) in input.facts.iter().enumerate() {
        fact.execute(params![id, position, f.label, f.value])
            .map_err(Error::context("Saving facts"))?;
    }
    let mut tag = conn
        .prepare_cached("INSERT INTO client_tag (client_id, tag) VALUES (?1, ?2)")
        .map_err(Error::context("Saving tags"))?;
    for t in &input.tags {
        tag.execute(params![id, t])
            .map_err(Error::context("Saving tags"))?;
    }
    Ok(())
}

/// Recomputes a client's relationship clock: the newest touch, and the moment it falls due.
/// Every write that adds, moves or removes a touch, or changes the cadence, calls this.
pub(crate) fn refresh_clock(conn: &Connection, id: i64) -> Result<()> {
    conn.prepare_cached(REFRESH_CLOCK)
        .and_then(|mut s| s.execute([id]))
        .map_err(Error::context("Updating the relationship clock"))?;
    Ok(())
}

pub(crate) const REFRESH_CLOCK: &str = "UPDATE client SET
    last_touch_at = (SELECT max(at) FROM entry WHERE client_id = ?1 AND kind <> 'note'),
    due_at = coalesce((SELECT max(at) FROM entry WHERE client_id = ?1 AND kind <> 'note'),
                      created_at)
             + 86400 * coalesce(cadence_days,
                                (SELECT days FROM stage_cadence WHERE stage = client.stage))
 WHERE id = ?1";

pub(crate) fn client_from_row(r: &Row<'_>) -> rusqlite::Result<Client> {
    let stage: String = r.get(9)?;
    let pillars = Pillars {
        compatibility: r.get(10)?,
        knowledge: r.get(11)?,
        trust: r.get(12)?,
    };
    Ok(Client {
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
        cadence: r.get(8)?,
        stage: Stage::parse(&stage).unwrap_or_default(),
        vulnerable: pillars.vulnerable(),
        pillars,
        sample: r.get(13)?,
        created_at: moment(r.get(14)?),
        updated_at: moment(r.get(15)?),
        archived_at: moment_opt(r.get(16)?),
        snoozed_until: moment_opt(r.get(17)?),
        last_touch_at: moment_opt(r.get(18)?),
        due_at: moment(r.get(19)?),
    })
}

/// Makes a client's stage their latest move by date: a move entered late for an earlier date
/// goes into the history without overriding a newer one, and a move deleted gives way to the one
/// before it.
pub(crate) fn current_stage(conn: &Connection, client_id: i64) -> Result<()> {
    conn.execute(
        "UPDATE client SET stage = (SELECT stage FROM stage_change WHERE client_id = ?1
                                    ORDER BY at DESC, id DESC LIMIT 1)
         WHERE id = ?1",
        [client_id],
    )
    .map_err(Error::context("Recording a stage change"))?;
    Ok(())
}

pub(crate) fn stage_change_from_row(r: &Row<'_>) -> rusqlite::Result<StageChange> {
    let stage: String = r.get(2)?;
    Ok(StageChange {
        id: r.get(0)?,
        client_id: r.get(1)?,
        stage: Stage::parse(&stage).unwrap_or_default(),
        at: moment(r.get(3)?),
        note: r.get(4)?,
    })
}
