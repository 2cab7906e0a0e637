//! Touches and notes (both timeline entries), follow-ups and introductions.

use chrono::{DateTime, Utc};
use rusqlite::{params, Connection, OptionalExtension, Row};

use crate::clients::{insert_client_tx, refresh_clock};
use crate::error::{Error, Result};
use crate::journal::{exists, moment, moment_opt, secs, Journal};
use crate::model::{
    ClientInput, FollowUp, FollowUpDraft, FollowUpInput, Introduction, Introductions, LoggedTouch,
    Note, NoteInput, Stage, Touch, TouchInput, TouchKind,
};
use crate::validate::{self, LINE_MAX, TEXT_MAX};

pub(crate) const ENTRY_COLUMNS: &str =
    "id, client_id, kind, at, summary, body, gave_value, asked, created_at, updated_at";
pub(crate) const FOLLOW_UP_COLUMNS: &str =
    "f.id, f.client_id, f.touch_id, f.what, f.due_at, f.created_at, f.done_at, f.snoozed_until";

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

    fn insert(&self, conn: &Connection, now: DateTime<Utc>) -> Result<i64> {
        exists(conn, "client", self.client_id)?;
        conn.prepare_cached(
            "INSERT INTO entry (client_id, kind, at, summary, body, gave_value, asked,
                                created_at, updated_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?8)",
        )
        .and_then(|mut s| {
            s.execute(params![
                self.client_id,
                self.kind,
                secs(self.at),
                self.summary,
                self.body,
                self.gave_value,
                self.asked,
                secs(now)
            ])
        })
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
        conn.prepare_cached(
            "UPDATE entry SET client_id = ?2, kind = ?3, at = ?4, summary = ?5, body = ?6,
                              gave_value = ?7, asked = ?8, updated_at = ?9
             WHERE id = ?1",
        )
        .and_then(|mut s| {
            s.execute(params![
                id,
                self.client_id,
                self.kind,
                secs(self.at),
                self.summary,
                self.body,
                self.gave_value,
                self.asked,
                secs(now)
            ])
        })
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

fn follow_up_draft(draft: &FollowUpDraft, now: DateTime<Utc>) -> Result<FollowUpDraft> {
    validate::due("follow_up.due_at", draft.due_at, now)?;
    Ok(FollowUpDraft {
        what: validate::required_line("follow_up.what", &draft.what, LINE_MAX)?,
        due_at: draft.due_at,
    })
}

fn insert_follow_up(
    conn: &Connection,
    client_id: i64,
    touch_id: Option<i64>,
    draft: &FollowUpDraft,
    now: DateTime<Utc>,
) -> Result<i64> {
    conn.prepare_cached(
        "INSERT INTO follow_up (client_id, touch_id, what, due_at, created_at)
         VALUES (?1, ?2, ?3, ?4, ?5)",
    )
    .and_then(|mut s| {
        s.execute(params![
            client_id,
            touch_id,
            draft.what,
            secs(draft.due_at),
            secs(now)
        ])
    })
    .map_err(Error::context("Saving a follow-up"))?;
    Ok(conn.last_insert_rowid())
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
        self.write(|tx| {
            exists(tx, "touch", id)?;
            fields.update(tx, id, now)
        })?;
        self.touch(id)
    }

    /// Deletes a touch; follow-ups born in it stay, no longer linked.
    pub fn delete_touch(&mut self, id: i64) -> Result<()> {
        self.write(|tx| delete_entry(tx, "touch", id))
    }

    /// One touch.
    pub fn touch(&self, id: i64) -> Result<Touch> {
        self.conn
            .prepare_cached(&format!(
                "SELECT {ENTRY_COLUMNS} FROM entry WHERE id = ?1 AND kind <> 'note'"
            ))
            .and_then(|mut s| s.query_row([id], touch_from_row).optional())
            .map_err(Error::context("Reading a touch"))?
            .ok_or(Error::NotFound { kind: "touch", id })
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
        self.write(|tx| {
            exists(tx, "note", id)?;
            fields.update(tx, id, now)
        })?;
        self.note(id)
    }

    /// Deletes a note.
    pub fn delete_note(&mut self, id: i64) -> Result<()> {
        self.write(|tx| delete_entry(tx, "note", id))
    }

    /// One note.
    pub fn note(&self, id: i64) -> Result<Note> {
        self.conn
            .prepare_cached(&format!(
                "SELECT {ENTRY_COLUMNS} FROM entry WHERE id = ?1 AND kind = 'note'"
            ))
            .and_then(|mut s| s.query_row([id], note_from_row).optional())
            .map_err(Error::context("Reading a note"))?
            .ok_or(Error::NotFound { kind: "note", id })
    }

    /// Adds a follow-up, standalone or tied to one of the client's touches.
    pub fn add_follow_up(&mut self, input: &FollowUpInput, now: DateTime<Utc>) -> Result<FollowUp> {
        let due_at = input
            .due_at
            .ok_or_else(|| Error::invalid("due_at", "a follow-up needs a due date"))?;
        let draft = follow_up_draft(
            &FollowUpDraft {
                what: input.what.clone(),
                due_at,
            },
            now,
        )
        .map_err(strip_prefix)?;
        let id = self.write(|tx| {
            exists(tx, "client", input.client_id)?;
            if let Some(touch_id) = input.touch_id {
                let owner: Option<i64> = tx
                    .query_row(
                        "SELECT client_id FROM entry WHERE id = ?1 AND kind <> 'note'",
                        [touch_id],
                        |r| r.get(0),
                    )
                    .optional()
                    .map_err(Error::context("Reading a touch"))?;
                match owner {
                    None => {
                        return Err(Error::NotFound {
                            kind: "touch",
                            id: touch_id,
                        })
                    }
                    Some(c) if c != input.client_id => {
                        return Err(Error::invalid(
                            "touch_id",
                            format!("touch {touch_id} is with another client"),
                        ))
                    }
                    Some(_) => {}
                }
            }
            insert_follow_up(tx, input.client_id, input.touch_id, &draft, now)
        })?;
        self.follow_up(id)
    }

    /// Changes what a follow-up promises and when it is due.
    pub fn update_follow_up(
        &mut self,
        id: i64,
        what: &str,
        due_at: DateTime<Utc>,
        now: DateTime<Utc>,
    ) -> Result<FollowUp> {
        let draft = follow_up_draft(
            &FollowUpDraft {
                what: what.to_string(),
                due_at,
            },
            now,
        )
        .map_err(strip_prefix)?;
        self.write(|tx| {
            exists(tx, "follow-up", id)?;
            tx.execute(
                "UPDATE follow_up SET what = ?2, due_at = ?3 WHERE id = ?1",
                params![id, draft.what, secs(draft.due_at)],
            )
            .map_err(Error::context("Editing a follow-up"))?;
            Ok(())
        })?;
        self.follow_up(id)
    }

    /// Marks a follow-up done (or, with `done` false, open again).
    pub fn complete_follow_up(
        &mut self,
        id: i64,
        done: bool,
        now: DateTime<Utc>,
    ) -> Result<FollowUp> {
        self.write(|tx| {
            exists(tx, "follow-up", id)?;
            tx.execute(
                "UPDATE follow_up SET done_at = CASE WHEN ?2 THEN coalesce(done_at, ?3) END,
                                      snoozed_until = CASE WHEN ?2 THEN NULL ELSE snoozed_until END
                 WHERE id = ?1",
                params![id, done, secs(now)],
            )
            .map_err(Error::context("Completing a follow-up"))?;
            Ok(())
        })?;
        self.follow_up(id)
    }

    /// Holds back a follow-up's reminder until `until` (`None` lifts the snooze).
    pub fn snooze_follow_up(
        &mut self,
        id: i64,
        until: Option<DateTime<Utc>>,
        now: DateTime<Utc>,
    ) -> Result<FollowUp> {
        if let Some(until) = until {
            validate::due("until", until, now)?;
        }
        self.write(|tx| {
            exists(tx, "follow-up", id)?;
            tx.execute(
                "UPDATE follow_up SET snoozed_until = ?2 WHERE id = ?1",
                params![id, until.map(secs)],
            )
            .map_err(Error::context("Snoozing a follow-up"))?;
            Ok(())
        })?;
        self.follow_up(id)
    }

    /// Deletes a follow-up.
    pub fn delete_follow_up(&mut self, id: i64) -> Result<()> {
        self.write(|tx| {
            exists(tx, "follow-up", id)?;
            tx.execute("DELETE FROM follow_up WHERE id = ?1", [id])
                .map_err(Error::context("Deleting a follow-up"))?;
            Ok(())
        })
    }

    /// One follow-up.
    pub fn follow_up(&self, id: i64) -> Result<FollowUp> {
        self.conn
            .prepare_cached(&format!(
                "SELECT {FOLLOW_UP_COLUMNS} FROM follow_up f WHERE f.id = ?1"
            ))
            .and_then(|mut s| s.query_row([id], follow_up_from_row).optional())
            .map_err(Error::context("Reading a follow-up"))?
            .ok_or(Error::NotFound {
                kind: "follow-up",
                id,
            })
    }

    /// A client's follow-ups not yet done, soonest due first.
    pub fn open_follow_ups(&self, client_id: i64) -> Result<Vec<FollowUp>> {
        exists(&self.conn, "client", client_id)?;
        self.conn
            .prepare_cached(&format!(
                "SELECT {FOLLOW_UP_COLUMNS} FROM follow_up f
                 WHERE f.client_id = ?1 AND f.done_at IS NULL ORDER BY f.due_at, f.id"
            ))
            .and_then(|mut s| s.query_map([client_id], follow_up_from_row)?.collect())
            .map_err(Error::context("Reading follow-ups"))
    }

    /// Records that `introducer` introduced the user to `introduced`.
    pub fn add_introduction(
        &mut self,
        introducer_id: i64,
        introduced_id: i64,
        at: DateTime<Utc>,
        note: &str,
        now: DateTime<Utc>,
    ) -> Result<Introduction> {
        validate::not_future("at", at, now)?;
        let note = validate::text("note", note, TEXT_MAX)?;
        if introducer_id == introduced_id {
            return Err(Error::invalid(
                "introduced_id",
                "a client cannot introduce themselves",
            ));
        }
        let id = self.write(|tx| {
            exists(tx, "client", introducer_id)?;
            exists(tx, "client", introduced_id)?;
            tx.execute(
                "INSERT INTO introduction (introducer_id, introduced_id, at, note)
                 VALUES (?1, ?2, ?3, ?4)",
                params![introducer_id, introduced_id, secs(at), note],
            )
            .map_err(Error::context("Saving an introduction"))?;
            Ok(tx.last_insert_rowid())
        })?;
        self.introductions_where("i.id = ?1", id)?
            .pop()
            .ok_or(Error::NotFound {
                kind: "introduction",
                id,
            })
    }

    /// Deletes an introduction.
    pub fn delete_introduction(&mut self, id: i64) -> Result<()> {
        self.write(|tx| {
            exists(tx, "introduction", id)?;
            tx.execute("DELETE FROM introduction WHERE id = ?1", [id])
                .map_err(Error::context("Deleting an introduction"))?;
            Ok(())
        })
    }

    /// The introductions a client made and received, newest first.
    pub fn introductions(&self, client_id: i64) -> Result<Introductions> {
        exists(&self.conn, "client", client_id)?;
        Ok(Introductions {
            made: self.introductions_where("i.introducer_id = ?1", client_id)?,
            received: self.introductions_where("i.introduced_id = ?1", client_id)?,
        })
    }

    fn introductions_where(&self, condition: &str, id: i64) -> Result<Vec<Introduction>> {
        self.conn
            .prepare_cached(&format!(
                "SELECT i.id, i.introducer_id, a.name, i.introduced_id, b.name, i.at, i.note
                 FROM introduction i
                 JOIN client a ON a.id = i.introducer_id
                 JOIN client b ON b.id = i.introduced_id
                 WHERE {condition} ORDER BY i.at DESC, i.id DESC"
            ))
            .and_then(|mut s| {
                s.query_map([id], |r| {
                    Ok(Introduction {
                        id: r.get(0)?,
                        introducer_id: r.get(1)?,
                        introducer_name: r.get(2)?,
                        introduced_id: r.get(3)?,
                        introduced_name: r.get(4)?,
                        at: moment(r.get(5)?),
                        note: r.get(6)?,
                    })
                })?
                .collect()
            })
            .map_err(Error::context("Reading introductions"))
    }
}

/// A standalone follow-up's fields are `what` and `due_at`, not `follow_up.what`.
fn strip_prefix(e: Error) -> Error {
    match e {
        Error::Invalid { field, message } => Error::Invalid {
            field: field.strip_prefix("follow_up.").unwrap_or(field),
            message,
        },
        other => other,
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

pub(crate) fn follow_up_from_row(r: &Row<'_>) -> rusqlite::Result<FollowUp> {
    Ok(FollowUp {
        id: r.get(0)?,
        client_id: r.get(1)?,
        touch_id: r.get(2)?,
        what: r.get(3)?,
        due_at: moment(r.get(4)?),
        created_at: moment(r.get(5)?),
        done_at: moment_opt(r.get(6)?),
        snoozed_until: moment_opt(r.get(7)?),
    })
}
