//! Two clients who are one person, merged: one client keeps their id, and the other's touches,
//! notes, follow-ups, stage moves and introductions become theirs; the other's profile fills
//! what the kept one lacks, and what both have but differs is kept as facts, so nothing either
//! held is lost. One transaction; and [`Journal::unmerge`] puts both back exactly as they were
//! (the window offers it until it closes).

use std::collections::HashSet;

use chrono::{DateTime, Utc};
use rusqlite::types::{Value, ValueRef};
use rusqlite::{params_from_iter, Connection};
use serde::{Deserialize, Serialize};

use crate::clients::{current_stage, refresh_clock, update_client_tx};
use crate::error::{Error, Result};
use crate::journal::{exists, Journal};
use crate::model::{Client, ClientInput, Fact, Pillars};
use crate::validate::fold;
use crate::validate::{self, FACTS_MAX, TAGS_MAX};

/// One value of a row, as a snapshot keeps it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum Cell {
    /// NULL.
    Null,
    /// An INTEGER.
    Integer(i64),
    /// A REAL.
    Real(f64),
    /// TEXT.
    Text(String),
}

impl From<ValueRef<'_>> for Cell {
    fn from(v: ValueRef<'_>) -> Cell {
        match v {
            ValueRef::Null | ValueRef::Blob(_) => Cell::Null,
            ValueRef::Integer(i) => Cell::Integer(i),
            ValueRef::Real(f) => Cell::Real(f),
            ValueRef::Text(t) => Cell::Text(String::from_utf8_lossy(t).into_owned()),
        }
    }
}

impl From<&Cell> for Value {
    fn from(c: &Cell) -> Value {
        match c {
            Cell::Null => Value::Null,
            Cell::Integer(i) => Value::Integer(*i),
            Cell::Real(f) => Value::Real(*f),
            Cell::Text(t) => Value::Text(t.clone()),
        }
    }
}

/// Rows of one table, whole, as they were before a merge.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Rows {
    /// The table.
    pub table: String,
    /// Its columns, in the order of each row's cells.
    pub columns: Vec<String>,
    /// The rows.
    pub rows: Vec<Vec<Cell>>,
}

/// What a merge did, with all it needs to be undone.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Merged {
    /// The client kept, as they are now.
    pub client: Client,
    /// The name of the client merged into them, now gone.
    pub merged_name: String,
    /// How many touches and notes, follow-ups, stage moves and introductions moved over.
    pub entries: usize,
    /// Follow-ups moved over.
    pub follow_ups: usize,
    /// Stage moves moved over.
    pub stage_changes: usize,
    /// Introductions moved over (one between the two is dropped: nobody introduces themselves).
    pub introductions: usize,
    /// The merged client's id.
    pub merged_id: i64,
    /// Ids of the entries, follow-ups and stage moves that moved.
    pub moved: Vec<(String, Vec<i64>)>,
    /// Both clients' rows, facts, tags, introductions and told reminders, as they were.
    pub before: Vec<Rows>,
}

const MOVED_TABLES: [&str; 3] = ["entry", "follow_up", "stage_change"];

fn snapshot(conn: &Connection, table: &str, condition: &str, ids: [i64; 2]) -> Result<Rows> {
    let ctx = Error::context("Reading what a merge changes");
    let mut stmt = conn
        .prepare(&format!("SELECT * FROM {table} WHERE {condition}"))
        .map_err(&ctx)?;
    let columns: Vec<String> = stmt.column_names().iter().map(|c| c.to_string()).collect();
    let width = columns.len();
    let rows = stmt
        .query_map(ids, |r| {
            (0..width)
                .map(|i| r.get_ref(i).map(Cell::from))
                .collect::<rusqlite::Result<Vec<Cell>>>()
        })
        .and_then(|rows| rows.collect::<rusqlite::Result<Vec<_>>>())
        .map_err(&ctx)?;
    Ok(Rows {
        table: table.to_string(),
        columns,
        rows,
    })
}

fn insert_rows(conn: &Connection, rows: &Rows) -> Result<()> {
    let marks = vec!["?"; rows.columns.len()].join(", ");
    let sql = format!(
        "INSERT INTO {} ({}) VALUES ({marks})",
        rows.table,
        rows.columns.join(", ")
    );
    for row in &rows.rows {
        conn.execute(&sql, params_from_iter(row.iter().map(Value::from)))
            .map_err(Error::context("Putting back what a merge changed"))?;
    }
    Ok(())
}

/// `kept`'s profile with `other`'s merged in (another client, or a row of an import): empty
/// fields filled, differing values kept as facts (another name as *Also known as*), facts and
/// tags joined, pillars and rhythm filled where `kept` has none.
pub(crate) fn combine(kept: &Client, other: &ClientInput) -> ClientInput {
    let mut facts = kept.facts.clone();
    let mut add_fact = |label: &str, value: &str| {
        let fact = Fact {
            label: label.to_string(),
            value: value.to_string(),
        };
        if !value.trim().is_empty() && !facts.contains(&fact) {
            facts.push(fact);
        }
    };
    let mut field = |mine: &str, theirs: &str, label: &str| -> String {
        if mine.trim().is_empty() {
            theirs.to_string()
        } else {
            if !theirs.trim().is_empty() && fold(mine) != fold(theirs) {
                add_fact(label, theirs);
            }
            mine.to_string()
        }
    };
    let organisation = field(&kept.organisation, &other.organisation, "Organisation");
    let role = field(&kept.role, &other.role, "Role");
    let email = field(&kept.email, &other.email, "Email");
    let phone = field(&kept.phone, &other.phone, "Phone");
    if fold(&kept.name) != fold(&other.name) {
        add_fact("Also known as", &other.name);
    }
    for f in &other.facts {
        add_fact(&f.label, &f.value);
    }
    facts.truncate(FACTS_MAX);
    let profile = match (kept.profile.trim(), other.profile.trim()) {
        ("", theirs) => theirs.to_string(),
        (mine, "") => mine.to_string(),
        (mine, theirs) if mine.contains(theirs) => mine.to_string(),
        (mine, theirs) => format!("{mine}\n\n{theirs}"),
    };
    let mut tags = kept.tags.clone();
    for t in &other.tags {
        if !tags.iter().any(|x| fold(x) == fold(t)) {
            tags.push(t.clone());
        }
    }
    tags.truncate(TAGS_MAX);
    let pillars = Pillars {
        compatibility: kept.pillars.compatibility.or(other.pillars.compatibility),
        knowledge: kept.pillars.knowledge.or(other.pillars.knowledge),
        trust: kept.pillars.trust.or(other.pillars.trust),
    };
    ClientInput {
        name: kept.name.clone(),
        organisation,
        role,
        email,
        phone,
        profile: profile.chars().take(validate::TEXT_MAX).collect(),
        facts,
        tags,
        cadence_days: kept.cadence_days.or(other.cadence_days),
        pillars,
    }
}

/// What a client holds, as an input to write again.
fn input_of(c: &Client) -> ClientInput {
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

impl Journal {
    /// Merges client `other_id` into client `keep_id`, in one transaction: see the module.
    pub fn merge_clients(
        &mut self,
        keep_id: i64,
        other_id: i64,
        now: DateTime<Utc>,
    ) -> Result<Merged> {
        if keep_id == other_id {
            return Err(Error::invalid(
                "client",
                "a client cannot be merged with themselves",
            ));
        }
        let kept = self.client(keep_id)?;
        let other = self.client(other_id)?;
        let input = validate::client(&combine(&kept, &input_of(&other)))?;
        let ids = [keep_id, other_id];
        let (moved, before, introductions) = self.write(|tx| {
            let either = "id IN (?1, ?2)";
            let owners = "client_id IN (?1, ?2)";
            let before = vec![
                snapshot(tx, "client", either, ids)?,
                snapshot(tx, "client_fact", owners, ids)?,
                snapshot(tx, "client_tag", owners, ids)?,
                snapshot(
                    tx,
                    "introduction",
                    "introducer_id IN (?1, ?2) OR introduced_id IN (?1, ?2)",
                    ids,
                )?,
                snapshot(
                    tx,
                    "fired",
                    "kind = 'relationship' AND ref_id IN (?1, ?2)",
                    ids,
                )?,
            ];
            let mut moved = Vec::new();
            for table in MOVED_TABLES {
                let ids: Vec<i64> = tx
                    .prepare(&format!(
                        "SELECT id FROM {table} WHERE client_id = ?1 ORDER BY id"
                    ))
                    .and_then(|mut s| s.query_map([other_id], |r| r.get(0))?.collect())
                    .map_err(Error::context("Merging clients"))?;
                tx.execute(
                    &format!("UPDATE {table} SET client_id = ?1 WHERE client_id = ?2"),
                    [keep_id, other_id],
                )
                .map_err(Error::context("Merging clients"))?;
                moved.push((table.to_string(), ids));
            }
            // An introduction between the two would make them introduce themselves: it goes.
            let introductions = tx
                .execute(
                    "DELETE FROM introduction WHERE (introducer_id = ?1 AND introduced_id = ?2)
                                                 OR (introducer_id = ?2 AND introduced_id = ?1)",
                    [keep_id, other_id],
                )
                .and_then(|_| {
                    let made = tx.execute(
                        "UPDATE introduction SET introducer_id = ?1 WHERE introducer_id = ?2",
                        [keep_id, other_id],
                    )?;
                    let received = tx.execute(
                        "UPDATE introduction SET introduced_id = ?1 WHERE introduced_id = ?2",
                        [keep_id, other_id],
                    )?;
                    Ok(made + received)
                })
                .map_err(Error::context("Merging clients"))?;
            tx.execute("DELETE FROM client WHERE id = ?1", [other_id])
                .map_err(Error::context("Merging clients"))?;
            update_client_tx(tx, keep_id, &input, now)?;
            current_stage(tx, keep_id)?;
            refresh_clock(tx, keep_id)?;
            Ok((moved, before, introductions))
        })?;
        let count = |table: &str| {
            moved
                .iter()
                .find(|(t, _)| t == table)
                .map_or(0, |(_, ids)| ids.len())
        };
        Ok(Merged {
            client: self.client(keep_id)?,
            merged_name: other.name,
            entries: count("entry"),
            follow_ups: count("follow_up"),
            stage_changes: count("stage_change"),
            introductions,
            merged_id: other_id,
            moved: moved.clone(),
            before,
        })
    }

    /// Undoes `merged`: the merged client back with their id, their touches, notes, follow-ups,
    /// stage moves and introductions theirs again, and both clients' profiles, facts, tags and
    /// told reminders as they were. What was written since for the kept client stays theirs.
    pub fn unmerge(&mut self, merged: &Merged) -> Result<Client> {
        let keep_id = merged.client.id;
        let other_id = merged.merged_id;
        self.write(|tx| {
            exists(tx, "client", keep_id)?;
            if exists(tx, "client", other_id).is_ok() {
                return Err(Error::invalid("client", "this merge was undone already"));
            }
            let rows = |table: &str| merged.before.iter().find(|r| r.table == table);
            let ctx = Error::context("Undoing a merge");
            // Both clients' rows as they were: the kept one is replaced in place (a delete would
            // take everything of theirs with it).
            if let Some(clients) = rows("client") {
                let id_at = clients.columns.iter().position(|c| c == "id").unwrap_or(0);
                for row in &clients.rows {
                    let id = match row.get(id_at) {
                        Some(Cell::Integer(id)) => *id,
                        _ => continue,
                    };
                    let single = Rows {
                        table: clients.table.clone(),
                        columns: clients.columns.clone(),
                        rows: vec![row.clone()],
                    };
                    if id == keep_id {
                        let sets: Vec<String> =
                            clients.columns.iter().map(|c| format!("{c} = ?")).collect();
                        let sql = format!("UPDATE client SET {} WHERE id = ?", sets.join(", "));
                        let mut values: Vec<Value> = row.iter().map(Value::from).collect();
                        values.push(Value::Integer(keep_id));
                        tx.execute(&sql, params_from_iter(values)).map_err(&ctx)?;
                    } else {
                        insert_rows(tx, &single)?;
                    }
                }
            }
            for (table, ids) in &merged.moved {
                let mut stmt = tx
                    .prepare(&format!(
                        "UPDATE {table} SET client_id = ?1 WHERE id = ?2 AND client_id = ?3"
                    ))
                    .map_err(&ctx)?;
                for id in ids {
                    stmt.execute([other_id, *id, keep_id]).map_err(&ctx)?;
                }
            }
            tx.execute(
                "DELETE FROM client_fact WHERE client_id IN (?1, ?2)",
                [keep_id, other_id],
            )
            .and_then(|_| {
                tx.execute(
                    "DELETE FROM client_tag WHERE client_id IN (?1, ?2)",
                    [keep_id, other_id],
                )
            })
            .map_err(&ctx)?;
            if let Some(intros) = rows("introduction") {
                let id_at = intros.columns.iter().position(|c| c == "id").unwrap_or(0);
                let ids: HashSet<i64> = intros
                    .rows
                    .iter()
                    .filter_map(|r| match r.get(id_at) {
                        Some(Cell::Integer(id)) => Some(*id),
                        _ => None,
                    })
                    .collect();
                for id in ids {
                    tx.execute("DELETE FROM introduction WHERE id = ?1", [id])
                        .map_err(&ctx)?;
                }
            }
            for table in ["client_fact", "client_tag", "introduction"] {
                if let Some(r) = rows(table) {
                    insert_rows(tx, r)?;
                }
            }
            if let Some(fired) = rows("fired") {
                tx.execute(
                    "DELETE FROM fired WHERE kind = 'relationship' AND ref_id IN (?1, ?2)",
                    [keep_id, other_id],
                )
                .map_err(&ctx)?;
                insert_rows(tx, fired)?;
            }
            // The kept client's stage and clock follow what is theirs now (anything logged for
            // them since the merge stays theirs).
            for id in [keep_id, other_id] {
                current_stage(tx, id)?;
                refresh_clock(tx, id)?;
            }
            Ok(())
        })?;
        self.client(keep_id)
    }
}
