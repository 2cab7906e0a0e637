//! Follow-ups: promises and next steps with a due date, standalone or born in a touch; done,
//! reopened, snoozed, deleted.

use chrono::{DateTime, Utc};
use rusqlite::{params, Connection, OptionalExtension, Row};

use crate::error::{Error, Result};
use crate::journal::{exists, moment, moment_opt, secs, Journal};
use crate::model::{FollowUp, FollowUpDraft, FollowUpInput};
use crate::undo::Deleted;
use crate::validate::{self, LINE_MAX};

pub(crate) const FOLLOW_UP_COLUMNS: &str =
    "f.id, f.client_id, f.touch_id, f.what, f.due_at, f.created_at, f.done_at, f.snoozed_until";

pub(crate) fn follow_up_draft(draft: &FollowUpDraft, now: DateTime<Utc>) -> Result<FollowUpDraft> {
    validate::due("follow_up.due_at", draft.due_at, now)?;
    Ok(FollowUpDraft {
        what: validate::required_line("follow_up.what", &draft.what, LINE_MAX)?,
        due_at: draft.due_at,
    })
}

pub(crate) fn insert_follow_up(
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

impl Journal {
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

    /// Puts a follow-up's done and snooze moments back to `before`'s, as they were before it was
    /// marked done, reopened or snoozed: the undo of those. Nothing else of it is touched, so
    /// undoing leaves the follow-up exactly as it was.
    pub fn restore_follow_up(&mut self, before: &FollowUp) -> Result<FollowUp> {
        self.write(|tx| {
            exists(tx, "follow-up", before.id)?;
            tx.execute(
                "UPDATE follow_up SET done_at = ?2, snoozed_until = ?3 WHERE id = ?1",
                params![
                    before.id,
                    before.done_at.map(secs),
                    before.snoozed_until.map(secs)
                ],
            )
            .map_err(Error::context("Undoing a change to a follow-up"))?;
            Ok(())
        })?;
        self.follow_up(before.id)
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
    /// Returns what it deleted, for [`Journal::restore`] to put back.
    pub fn delete_follow_up(&mut self, id: i64) -> Result<Deleted> {
        self.write(|tx| {
            let deleted = crate::undo::follow_up(tx, id)?;
            tx.execute("DELETE FROM follow_up WHERE id = ?1", [id])
                .map_err(Error::context("Deleting a follow-up"))?;
            Ok(deleted)
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
