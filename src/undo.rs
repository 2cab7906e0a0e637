//! Deleted records kept whole, so that a delete can be undone exactly: every delete of a touch,
//! note, follow-up, stage move or introduction returns what it deleted as a [`Deleted`], and
//! [`Journal::restore`] puts it back with the same id, the same moments and the same links.

use rusqlite::{params, Connection, OptionalExtension, ToSql};
use serde::{Deserialize, Serialize};

use crate::clients::{current_stage, refresh_clock};
use crate::entries::{note_from_row, touch_from_row, ENTRY_COLUMNS};
use crate::error::{Error, Result};
use crate::follow_ups::{follow_up_from_row, FOLLOW_UP_COLUMNS};
use crate::journal::{exists, secs, Journal};
use crate::model::{FollowUp, Introduction, Note, StageChange, Touch};
use crate::validate::{self, LINE_MAX, TEXT_MAX};

/// What a delete took out of the journal, whole.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Deleted {
    /// A touch, and the follow-ups born in it (which stayed, no longer linked to it).
    Touch {
        /// The touch.
        touch: Touch,
        /// The follow-ups that were linked to it.
        follow_ups: Vec<i64>,
    },
    /// A note.
    Note {
        /// The note.
        note: Note,
    },
    /// A follow-up.
    FollowUp {
        /// The follow-up.
        follow_up: FollowUp,
    },
    /// A stage move.
    StageChange {
        /// The move.
        stage_change: StageChange,
    },
    /// An introduction.
    Introduction {
        /// The introduction.
        introduction: Introduction,
    },
}

/// The record `id` of `kind` that `sql` (with `?1` for the id) reads with `from_row`.
fn one<T>(
    conn: &Connection,
    sql: &str,
    kind: &'static str,
    id: i64,
    from_row: fn(&rusqlite::Row<'_>) -> rusqlite::Result<T>,
) -> Result<T> {
    conn.prepare_cached(sql)
        .and_then(|mut s| s.query_row([id], from_row).optional())
        .map_err(Error::context("Reading what is deleted"))?
        .ok_or(Error::NotFound { kind, id })
}

/// Touch `id` and the follow-ups born in it, read inside the transaction that deletes it.
pub(crate) fn touch_with_follow_ups(conn: &Connection, id: i64) -> Result<Deleted> {
    let sql = format!("SELECT {ENTRY_COLUMNS} FROM entry WHERE id = ?1 AND kind <> 'note'");
    let touch = one(conn, &sql, "touch", id, touch_from_row)?;
    let follow_ups = conn
        .prepare_cached("SELECT id FROM follow_up WHERE touch_id = ?1 ORDER BY id")
        .and_then(|mut s| s.query_map([id], |r| r.get(0))?.collect())
        .map_err(Error::context("Reading what is deleted"))?;
    Ok(Deleted::Touch { touch, follow_ups })
}

/// Note `id`, read inside the transaction that deletes it.
pub(crate) fn note(conn: &Connection, id: i64) -> Result<Deleted> {
    let sql = format!("SELECT {ENTRY_COLUMNS} FROM entry WHERE id = ?1 AND kind = 'note'");
    let note = one(conn, &sql, "note", id, note_from_row)?;
    Ok(Deleted::Note { note })
}

/// Follow-up `id`, read inside the transaction that deletes it.
pub(crate) fn follow_up(conn: &Connection, id: i64) -> Result<Deleted> {
    let sql = format!("SELECT {FOLLOW_UP_COLUMNS} FROM follow_up f WHERE f.id = ?1");
    let follow_up = one(conn, &sql, "follow-up", id, follow_up_from_row)?;
    Ok(Deleted::FollowUp { follow_up })
}

/// Fails unless no `table` row has `id`: a restore never writes over a record.
fn vacant(conn: &Connection, table: &str, id: i64) -> Result<()> {
    let taken: bool = conn
        .query_row(
            &format!("SELECT EXISTS (SELECT 1 FROM {table} WHERE id = ?1)"),
            [id],
            |r| r.get(0),
        )
        .map_err(Error::context("Putting a record back"))?;
    if taken || id <= 0 {
        return Err(Error::invalid(
            "id",
            format!("{id} is not free: the record is already in the journal"),
        ));
    }
    Ok(())
}

/// Inserts `sql` with `values` once the row `(table, id)` names is found free.
fn put_back(
    tx: &Connection,
    (table, id): (&str, i64),
    sql: &str,
    values: &[&dyn ToSql],
    what: &'static str,
) -> Result<()> {
    vacant(tx, table, id)?;
    tx.execute(sql, values).map_err(Error::context(what))?;
    Ok(())
}

impl Journal {
    /// Puts back what a delete took out, as it was: the same id, moments and text, a touch's
    /// follow-ups linked to it again, the relationship clock as it was. Checked by the same rules
    /// as a write first; refused if the record is already there or its client is not.
    pub fn restore(&mut self, deleted: &Deleted) -> Result<()> {
        self.write(|tx| match deleted {
            Deleted::Touch { touch, follow_ups } => {
                let kind = touch.kind.as_str();
                restore_entry(
                    tx,
                    touch.id,
                    touch.client_id,
                    kind,
                    &EntryRow::of_touch(touch),
                )?;
                for f in follow_ups {
                    tx.execute(
                        "UPDATE follow_up SET touch_id = ?1 WHERE id = ?2 AND client_id = ?3",
                        params![touch.id, f, touch.client_id],
                    )
                    .map_err(Error::context("Linking a follow-up again"))?;
                }
                refresh_clock(tx, touch.client_id)
            }
            Deleted::Note { note } => {
                restore_entry(
                    tx,
                    note.id,
                    note.client_id,
                    "note",
                    &EntryRow::of_note(note),
                )?;
                refresh_clock(tx, note.client_id)
            }
            Deleted::FollowUp { follow_up: f } => {
                exists(tx, "client", f.client_id)?;
                let what = validate::required_line("what", &f.what, LINE_MAX)?;
                // A touch deleted since is not linked to.
                let touch = match f.touch_id {
                    Some(t) if exists(tx, "touch", t).is_ok() => Some(t),
                    _ => None,
                };
                put_back(
                    tx,
                    ("follow_up", f.id),
                    "INSERT INTO follow_up (id, client_id, touch_id, what, due_at, created_at,
                                            done_at, snoozed_until)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
                    params![
                        f.id,
                        f.client_id,
                        touch,
                        what,
                        secs(f.due_at),
                        secs(f.created_at),
                        f.done_at.map(secs),
                        f.snoozed_until.map(secs)
                    ],
                    "Putting a follow-up back",
                )
            }
            Deleted::StageChange { stage_change: s } => {
                exists(tx, "client", s.client_id)?;
                let note = validate::text("note", &s.note, LINE_MAX)?;
                put_back(
                    tx,
                    ("stage_change", s.id),
                    "INSERT INTO stage_change (id, client_id, stage, at, note)
                     VALUES (?1, ?2, ?3, ?4, ?5)",
                    params![s.id, s.client_id, s.stage.as_str(), secs(s.at), note],
                    "Putting a stage move back",
                )?;
                current_stage(tx, s.client_id)?;
                refresh_clock(tx, s.client_id)
            }
            Deleted::Introduction { introduction: i } => {
                exists(tx, "client", i.introducer_id)?;
                exists(tx, "client", i.introduced_id)?;
                let note = validate::text("note", &i.note, TEXT_MAX)?;
                put_back(
                    tx,
                    ("introduction", i.id),
                    "INSERT INTO introduction (id, introducer_id, introduced_id, at, note)
                     VALUES (?1, ?2, ?3, ?4, ?5)",
                    params![i.id, i.introducer_id, i.introduced_id, secs(i.at), note],
                    "Putting an introduction back",
                )
            }
        })
    }
}

/// The stored fields of a touch or note, as a restore writes them.
struct EntryRow<'a> {
    at: i64,
    summary: &'a str,
    body: &'a str,
    gave_value: bool,
    asked: bool,
    created_at: i64,
    updated_at: i64,
}

impl<'a> EntryRow<'a> {
    fn of_touch(t: &'a Touch) -> EntryRow<'a> {
        EntryRow {
            at: secs(t.at),
            summary: &t.summary,
            body: &t.body,
            gave_value: t.gave_value,
            asked: t.asked,
            created_at: secs(t.created_at),
            updated_at: secs(t.updated_at),
        }
    }

    fn of_note(n: &'a Note) -> EntryRow<'a> {
        EntryRow {
            at: secs(n.at),
            summary: &n.summary,
            body: &n.body,
            gave_value: false,
            asked: false,
            created_at: secs(n.created_at),
            updated_at: secs(n.updated_at),
        }
    }
}

fn restore_entry(
    conn: &Connection,
    id: i64,
    client_id: i64,
    kind: &str,
    e: &EntryRow<'_>,
) -> Result<()> {
    exists(conn, "client", client_id)?;
    validate::line("summary", e.summary, LINE_MAX)?;
    validate::text("body", e.body, TEXT_MAX)?;
    put_back(
        conn,
        ("entry", id),
        "INSERT INTO entry (id, client_id, kind, at, summary, body, gave_value, asked,
                            created_at, updated_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
        params![
            id,
            client_id,
            kind,
            e.at,
            e.summary,
            e.body,
            e.gave_value,
            e.asked,
            e.created_at,
            e.updated_at
        ],
        "Putting an entry back",
    )
}
