//! Introductions: who introduced the user to whom, kept as a link between two clients.

use chrono::{DateTime, Utc};
use rusqlite::params;

use crate::error::{Error, Result};
use crate::journal::{exists, moment, secs, Journal};
use crate::model::{Introduction, Introductions};
use crate::undo::Deleted;
use crate::validate::{self, TEXT_MAX};

impl Journal {
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

    /// Rewrites an introduction's date and note; who introduced whom stays as recorded (a
    /// wrong pair is deleted and recorded again).
    pub fn update_introduction(
        &mut self,
        id: i64,
        at: DateTime<Utc>,
        note: &str,
        now: DateTime<Utc>,
    ) -> Result<Introduction> {
        validate::not_future("at", at, now)?;
        let note = validate::text("note", note, TEXT_MAX)?;
        self.write(|tx| {
            exists(tx, "introduction", id)?;
            tx.execute(
                "UPDATE introduction SET at = ?2, note = ?3 WHERE id = ?1",
                params![id, secs(at), note],
            )
            .map_err(Error::context("Editing an introduction"))?;
            Ok(())
        })?;
        self.introductions_where("i.id = ?1", id)?
            .pop()
            .ok_or(Error::NotFound {
                kind: "introduction",
                id,
            })
    }

    /// Deletes an introduction.
    /// Returns what it deleted, for [`Journal::restore`] to put back.
    pub fn delete_introduction(&mut self, id: i64) -> Result<Deleted> {
        let introduction =
            self.introductions_where("i.id = ?1", id)?
                .pop()
                .ok_or(Error::NotFound {
                    kind: "introduction",
                    id,
                })?;
        self.write(|tx| {
            tx.execute("DELETE FROM introduction WHERE id = ?1", [id])
                .map_err(Error::context("Deleting an introduction"))?;
            Ok(())
        })?;
        Ok(Deleted::Introduction { introduction })
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
