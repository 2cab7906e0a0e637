//! Touches and notes, the two kinds of timeline entry, and a new client added with their
//! first one. (Follow-ups and introductions have rooms of their own.)

use chrono::{DateTime, Utc};
use rusqlite::{params, Connection, OptionalExtension, Row, ToSql};

use crate::clients::{insert_client_tx, refresh_clock};
use crate::error::{Error, Result};
use crate::follow_ups::{follow_up_draft, insert_follow_up};
use crate::journal::{exists, moment, secs, Journal};
use crate::model::{
    ClientInput, LoggedTouch, Note, NoteInput, Stage, Touch, TouchInput, TouchKind,
};
use crate::undo::Deleted;
use crate::validate::{self, LINE_MAX, TEXT_MAX};

pub(crate) const ENTRY_COLUMNS: &str =
    "id, client_id, kind, at, summary, body, gave_value, asked, created_at, updated_at";

/// A touch or note's fields once validated.
struct EntryFields {
    client_id: i64,
    kind: &'static str,
    at: DateTime<Utc>,
    summary: String,
    body: String,
    gave_value: bool,
    asked: bool,
}

impl EntryFields {
    fn touch(input: &TouchInput, now: DateTime<Utc>) -> Result<EntryFields> {
        let at = input.at.unwrap_or(now);
        validate::not_future("at", at, now)?;
        Ok(EntryFields {
            client_id: input.client_id,
            kind: input.kind.as_str(),
            at,
            summary: validate::line("summary", &input.summary, LINE_MAX)?,
            body: validate::text("body", &input.body, TEXT_MAX)?,
            // A value-add is giving by definition.
            gave_value: input.gave_value || input.kind == TouchKind::ValueAdd,
            asked: input.asked,
        })
    }

    fn note(input: &NoteInput, now: DateTime<Utc>) -> Result<EntryFields> {
        let at = input.at.unwrap_or(now);
        validate::not_future("at", at, now)?;
        let fields = EntryFields {
            client_id: input.client_id,
            kind: "note",
            at,
            summary: validate::line("summary", &input.summary, LINE_MAX)?,
            body: validate::text("body", &input.body, TEXT_MAX)?,
            gave_value: false,
            asked: false,
        };
        if fields.summary.is_empty() && fields.body.is_empty() {
            return Err(Error::invalid("body", "a note must say something"));
        }
        Ok(fields)
    }

    /// Runs `sql`, a statement that numbers the fields ?1 to ?7, the moment ?8 and any row ?9.
    fn write(
        &self,
        conn: &Connection,
        sql: &str,
        now: DateTime<Utc>,
        id: Option<i64>,
    ) -> rusqlite::Result<usize> {
        let (at, now) = (secs(self.at), secs(now));
        let mut values: Vec<&dyn ToSql> = vec![
            &self.client_id,
            &self.kind,
            &at,
            &self.summary,
            &self.body,
            &self.gave_value,
            &self.asked,
            &now,
        ];
        if let Some(id) = &id {
            values.push(id);
        }
        conn.prepare_cached(sql)
            .and_then(|mut s| s.execute(values.as_slice()))
    }

    fn insert(&self, conn: &Connection, now: DateTime<Utc>) -> Result<i64> {
        exists(conn, "client", self.client_id)?;
        self.write(
            conn,
            "INSERT INTO entry (client_id, kind, at, summary, body, gave_value, asked,
                                created_at, updated_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?8)",
            now,
            None,
        )
        .map_err(Error::context("Saving an entry"))?;
        let id = conn.last_insert_rowid();
        refresh_clock(conn, self.client_id)?;
        Ok(id)
    }

    /// Rewrites entry `id`; returns the client it belonged to before, whose clock may move too.
    fn update(&self, conn: &Connection, id: i64, now: DateTime<Utc>) -> Result<i64> {
        exists(conn, "client", self.client_id)?;
        let before: i64 = conn
            .query_row("SELECT client_id FROM entry WHERE id = ?1", [id], |r| {
                r.get(0)
            })
            .map_err(Error::context("Editing an entry"))?;
        self.write(
            conn,
            "UPDATE entry SET client_id = ?1, kind = ?2, at = ?3, summary = ?4, body = ?5,
                              gave_value = ?6, asked = ?7, updated_at = ?8
             WHERE id = ?9",
            now,
            Some(id),
        )
        .map_err(Error::context("Editing an entry"))?;
        refresh_clock(conn, self.client_id)?;
        if before != self.client_id {
            refresh_clock(conn, before)?;
            // Follow-ups born in the touch go where it goes.
            conn.execute(
                "UPDATE follow_up SET client_id = ?2 WHERE touch_id = ?1",
                params![id, self.client_id],
            )
            .map_err(Error::context("Moving follow-ups"))?;
        }
        Ok(before)
    }
}

fn delete_entry(conn: &Connection, kind: &'static str, id: i64) -> Result<()> {
    exists(conn, kind, id)?;
    let client_id: i64 = conn
        .query_row(
            "DELETE FROM entry WHERE id = ?1 RETURNING client_id",
            [id],
            |r| r.get(0),
        )
        .map_err(Error::context("Deleting an entry"))?;
    refresh_clock(conn, client_id)
}

/// A first entry for a client who is added at the same time.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum FirstEntry {
    /// A touch (its `client_id` is ignored).
    Touch(TouchInput),
    /// A note (its `client_id` is ignored).
    Note(NoteInput),
}

impl Journal {
    /// Adds a client and logs their first touch or note in one transaction: both are written, or,
    /// if either is refused, neither. Returns the new client's id.
    pub fn add_client_with_entry(
        &mut self,
        client: &ClientInput,
        entry: &FirstEntry,
        now: DateTime<Utc>,
    ) -> Result<i64> {
        let client = validate::client(client)?;
        let (mut fields, draft) = match entry {
            FirstEntry::Touch(input) => (
                EntryFields::touch(input, now)?,
                input
                    .follow_up
                    .as_ref()
                    .map(|d| follow_up_draft(d, now))
                    .transpose()?,
            ),
            FirstEntry::Note(input) => (EntryFields::note(input, now)?, None),
        };
        self.write(|tx| {
            let id = insert_client_tx(tx, &client, Stage::default(), false, now)?;
            fields.client_id = id;
            let entry_id = fields.insert(tx, now)?;
            if let Some(d) = &draft {
                insert_follow_up(tx, id, Some(entry_id), d, now)?;
            }
            Ok(id)
        })
    }

    /// Logs a touch, and the follow-up born in it if any, in one transaction; the relationship
    /// clock restarts from the touch.
    pub fn log_touch(&mut self, input: &TouchInput, now: DateTime<Utc>) -> Result<LoggedTouch> {
        let fields = EntryFields::touch(input, now)?;
        let draft = input
            .follow_up
            .as_ref()
            .map(|d| follow_up_draft(d, now))
            .transpose()?;
        let (id, follow_up_id) = self.write(|tx| {
            let id = fields.insert(tx, now)?;
            let follow_up_id = draft
                .as_ref()
                .map(|d| insert_follow_up(tx, fields.client_id, Some(id), d, now))
                .transpose()?;
            Ok((id, follow_up_id))
        })?;
        Ok(LoggedTouch {
            touch: self.touch(id)?,
            follow_up: follow_up_id.map(|f| self.follow_up(f)).transpose()?,
        })
    }

    /// Rewrites a touch (its `follow_up` field is ignored: follow-ups are edited on their own).
    pub fn update_touch(
        &mut self,
        id: i64,
        input: &TouchInput,
        now: DateTime<Utc>,
    ) -> Result<Touch> {
        let fields = EntryFields::touch(input, now)?;
        self.rewrite_entry("touch", id, &fields, now)?;
        self.touch(id)
    }

    /// Deletes a touch; follow-ups born in it stay, no longer linked.
    /// Returns what it deleted, for [`Journal::restore`] to put back.
    pub fn delete_touch(&mut self, id: i64) -> Result<Deleted> {
        self.take_entry("touch", id, crate::undo::touch_with_follow_ups)
    }

    /// One touch.
    pub fn touch(&self, id: i64) -> Result<Touch> {
        self.read_entry("touch", id, touch_from_row)
    }

    /// Adds a note; it does not reset the relationship clock.
    pub fn add_note(&mut self, input: &NoteInput, now: DateTime<Utc>) -> Result<Note> {
        let fields = EntryFields::note(input, now)?;
        let id = self.write(|tx| fields.insert(tx, now))?;
        self.note(id)
    }

    /// Rewrites a note.
    pub fn update_note(&mut self, id: i64, input: &NoteInput, now: DateTime<Utc>) -> Result<Note> {
        let fields = EntryFields::note(input, now)?;
        self.rewrite_entry("note", id, &fields, now)?;
        self.note(id)
    }

    /// Deletes a note.
    /// Returns what it deleted, for [`Journal::restore`] to put back.
    pub fn delete_note(&mut self, id: i64) -> Result<Deleted> {
        self.take_entry("note", id, crate::undo::note)
    }

    /// Deletes entry `id` of `kind`, returning it whole as `snapshot` reads it first.
    fn take_entry(
        &mut self,
        kind: &'static str,
        id: i64,
        snapshot: fn(&Connection, i64) -> Result<Deleted>,
    ) -> Result<Deleted> {
        self.write(|tx| {
            let deleted = snapshot(tx, id)?;
            delete_entry(tx, kind, id)?;
            Ok(deleted)
        })
    }

    /// One note.
    pub fn note(&self, id: i64) -> Result<Note> {
        self.read_entry("note", id, note_from_row)
    }

    /// Entry `id`, if it is of `kind` (`touch` or `note`), read by `from_row`.
    fn read_entry<T>(
        &self,
        kind: &'static str,
        id: i64,
        from_row: fn(&Row<'_>) -> rusqlite::Result<T>,
    ) -> Result<T> {
        let of_kind = if kind == "note" { "=" } else { "<>" };
        self.conn
            .prepare_cached(&format!(
                "SELECT {ENTRY_COLUMNS} FROM entry WHERE id = ?1 AND kind {of_kind} 'note'"
            ))
            .and_then(|mut s| s.query_row([id], from_row).optional())
            .map_err(Error::context("Reading an entry"))?
            .ok_or(Error::NotFound { kind, id })
    }

    /// Writes `fields` over entry `id`, which must be of `kind`; returns the client it was of.
    fn rewrite_entry(
        &mut self,
        kind: &'static str,
        id: i64,
        fields: &EntryFields,
        now: DateTime<Utc>,
    ) -> Result<i64> {
        self.write(|tx| {
            exists(tx, kind, id)?;
            fields.update(tx, id, now)
        })
    }
}

pub(crate) fn touch_from_row(r: &Row<'_>) -> rusqlite::Result<Touch> {
    let kind: String = r.get(2)?;
    Ok(Touch {
        id: r.get(0)?,
        client_id: r.get(1)?,
        kind: TouchKind::parse(&kind).unwrap_or_default(),
        at: moment(r.get(3)?),
        summary: r.get(4)?,
        body: r.get(5)?,
        gave_value: r.get(6)?,
        asked: r.get(7)?,
        created_at: moment(r.get(8)?),
        updated_at: moment(r.get(9)?),
    })
}

pub(crate) fn note_from_row(r: &Row<'_>) -> rusqlite::Result<Note> {
    Ok(Note {
        id: r.get(0)?,
        client_id: r.get(1)?,
        at: moment(r.get(3)?),
        summary: r.get(4)?,
        body: r.get(5)?,
        created_at: moment(r.get(8)?),
        updated_at: moment(r.get(9)?),
    })
}
