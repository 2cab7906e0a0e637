//! A client's timeline: touches, notes, follow-ups and stage changes interleaved, newest first,
//! paged by cursor.
//!
//! Each source is read backwards through its `(client_id, at, id)` index from the cursor, at most
//! one page from each, and the pages are merged: a page costs the same at any depth, unlike
//! OFFSET, which walks every skipped row.

use chrono::{DateTime, Utc};
use rusqlite::params;
use serde::{Deserialize, Serialize};

use crate::clients::stage_change_from_row;
use crate::entries::{note_from_row, touch_from_row, ENTRY_COLUMNS};
use crate::error::{Error, Result};
use crate::follow_ups::{follow_up_from_row, FOLLOW_UP_COLUMNS};
use crate::journal::{exists, secs, Journal};
use crate::model::{FollowUp, Note, StageChange, Touch};

/// One entry of a timeline.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum TimelineEntry {
    /// A logged contact.
    Touch(Touch),
    /// Research or a thought.
    Note(Note),
    /// A promise, placed when it was made.
    FollowUp(FollowUp),
    /// A move to another stage.
    StageChange(StageChange),
}

/// A page of a timeline.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TimelinePage {
    /// The entries, newest first.
    pub entries: Vec<TimelineEntry>,
    /// How many entries the whole timeline holds.
    pub total: u64,
    /// Pass this back for the next (older) page; `None` at the end.
    pub next: Option<String>,
}

/// The most entries one page returns.
pub const PAGE_MAX: u32 = 500;

/// Where an entry sits in the timeline's order: newest first, then by source, then by id.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
struct Position {
    at: i64,
    rank: u8,
    id: i64,
}

impl Position {
    fn encode(self) -> String {
        format!("{}.{}.{}", self.at, self.rank, self.id)
    }

    fn decode(cursor: &str) -> Result<Position> {
        let bad = || Error::invalid("cursor", format!("{cursor:?} is not a timeline cursor"));
        let mut parts = cursor.split('.');
        let mut next = || parts.next().ok_or_else(bad);
        let position = Position {
            at: next()?.parse().map_err(|_| bad())?,
            rank: next()?.parse().map_err(|_| bad())?,
            id: next()?.parse().map_err(|_| bad())?,
        };
        if parts.next().is_some() || position.rank > 2 {
            return Err(bad());
        }
        Ok(position)
    }
}

impl TimelineEntry {
    fn position(&self) -> Position {
        let (at, rank, id) = match self {
            TimelineEntry::StageChange(s) => (s.at, 0, s.id),
            TimelineEntry::FollowUp(f) => (f.created_at, 1, f.id),
            TimelineEntry::Touch(t) => (t.at, 2, t.id),
            TimelineEntry::Note(n) => (n.at, 2, n.id),
        };
        Position {
            at: secs(at),
            rank,
            id,
        }
    }

    /// When the entry sits in the timeline.
    pub fn at(&self) -> DateTime<Utc> {
        match self {
            TimelineEntry::StageChange(s) => s.at,
            TimelineEntry::FollowUp(f) => f.created_at,
            TimelineEntry::Touch(t) => t.at,
            TimelineEntry::Note(n) => n.at,
        }
    }
}

/// The query reading one source (0: stage changes, 1: follow-ups, 2: touches and notes) of a
/// timeline backwards from `after`, with the cursor's `at` and `id` to bind as ?2 and ?3.
fn source_query(rank: u8, after: Option<Position>) -> (String, i64, i64) {
    let at_column = if rank == 1 { "created_at" } else { "at" };
    // Rows of a source ranked below the cursor's may share its second; above, they may not.
    let (condition, at, id) = match after {
        None => ("1".to_string(), i64::MAX, i64::MAX),
        Some(c) if rank < c.rank => (format!("{at_column} <= ?2"), c.at, c.id),
        Some(c) if rank == c.rank => (format!("({at_column}, id) < (?2, ?3)"), c.at, c.id),
        Some(c) => (format!("{at_column} < ?2"), c.at, c.id),
    };
    let sql = match rank {
        0 => format!(
            "SELECT id, client_id, stage, at, note FROM stage_change
             WHERE client_id = ?1 AND {condition} ORDER BY at DESC, id DESC LIMIT ?4"
        ),
        1 => format!(
            "SELECT {FOLLOW_UP_COLUMNS} FROM follow_up f
             WHERE client_id = ?1 AND {condition} ORDER BY created_at DESC, id DESC LIMIT ?4"
        ),
        _ => format!(
            "SELECT {ENTRY_COLUMNS} FROM entry
             WHERE client_id = ?1 AND {condition} ORDER BY at DESC, id DESC LIMIT ?4"
        ),
    };
    (sql, at, id)
}

impl Journal {
    /// One page of a client's timeline, newest first: `cursor` is `None` for the first page, or
    /// the `next` of the page before.
    pub fn timeline(
        &self,
        client_id: i64,
        cursor: Option<&str>,
        limit: u32,
    ) -> Result<TimelinePage> {
        exists(&self.conn, "client", client_id)?;
        let limit = limit.clamp(1, PAGE_MAX);
        let after = cursor.map(Position::decode).transpose()?;
        let mut entries = Vec::with_capacity(limit as usize * 2);
        for rank in 0..=2u8 {
            let (sql, at, id) = source_query(rank, after);
            // One more than a page from each source tells whether anything is left after it.
            let args = params![client_id, at, id, limit + 1];
            let mut stmt = self
                .conn
                .prepare_cached(&sql)
                .map_err(Error::context("Reading a timeline"))?;
            let rows = stmt.query_map(args, |r| {
                Ok(match rank {
                    0 => TimelineEntry::StageChange(stage_change_from_row(r)?),
                    1 => TimelineEntry::FollowUp(follow_up_from_row(r)?),
                    _ => {
                        let kind: String = r.get(2)?;
                        if kind == "note" {
                            TimelineEntry::Note(note_from_row(r)?)
                        } else {
                            TimelineEntry::Touch(touch_from_row(r)?)
                        }
                    }
                })
            });
            for row in rows.map_err(Error::context("Reading a timeline"))? {
                entries.push(row.map_err(Error::context("Reading a timeline"))?);
            }
        }
        entries.sort_by_key(|e| std::cmp::Reverse(e.position()));
        let more = entries.len() > limit as usize;
        entries.truncate(limit as usize);
        let next = if more {
            entries.last().map(|e| e.position().encode())
        } else {
            None
        };
        let total = self
            .conn
            .prepare_cached(
                "SELECT (SELECT count(*) FROM entry WHERE client_id = ?1)
                      + (SELECT count(*) FROM follow_up WHERE client_id = ?1)
                      + (SELECT count(*) FROM stage_change WHERE client_id = ?1)",
            )
            .and_then(|mut s| s.query_row([client_id], |r| r.get(0)))
            .map_err(Error::context("Counting a timeline"))?;
        Ok(TimelinePage {
            entries,
            total,
            next,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::journal::tests::assert_plan;

    #[test]
    fn every_timeline_page_reads_through_an_index_at_any_depth() {
        let journal = Journal::open_in_memory().unwrap();
        let cursors = [None, Some(0u8), Some(1), Some(2)].map(|rank| {
            rank.map(|rank| Position {
                at: 1_700_000_000,
                rank,
                id: 42,
            })
        });
        let indexes = [
            "stage_change_timeline",
            "follow_up_timeline",
            "entry_timeline",
        ];
        for (rank, index) in indexes.iter().enumerate() {
            for after in cursors {
                let (sql, ..) = source_query(rank as u8, after);
                assert_plan(&journal, &sql, &[index], &["SCAN", "TEMP B-TREE"]);
            }
        }
    }
}
