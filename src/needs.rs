//! "Who needs me": relationships gone too long without a touch, and follow-ups come due, most
//! urgent first.
//!
//! Both are read through partial indexes on the moment they fall due (`client_due`,
//! `follow_up_open`), so the cost follows the number of items due, not the size of the journal.

use chrono::{DateTime, Utc};
use rusqlite::params;
use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::follow_ups::follow_up_from_row;
use crate::journal::{moment, moment_opt, secs, Journal};
use crate::model::{FollowUp, Stage};

/// A relationship past its cadence.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OverdueRelationship {
    /// The client's id.
    pub client_id: i64,
    /// Their name.
    pub name: String,
    /// Their organisation.
    pub organisation: String,
    /// Their stage.
    pub stage: Stage,
    /// The usual rhythm: the cadence in force, in days.
    pub cadence: u32,
    /// The newest touch; `None` if never touched.
    pub last_touch_at: Option<DateTime<Utc>>,
    /// Whole days since the newest touch, or since the client was added if never touched.
    pub days_since: i64,
    /// When the relationship fell due.
    pub due_at: DateTime<Utc>,
    /// Whole days past due.
    pub days_overdue: i64,
}

/// A follow-up whose moment has come.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DueFollowUp {
    /// The follow-up.
    pub follow_up: FollowUp,
    /// The client's name.
    pub name: String,
    /// The client's organisation.
    pub organisation: String,
    /// Whole days past its due date.
    pub days_overdue: i64,
}

/// Something that needs the user.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Need {
    /// A relationship gone too long without a touch.
    Relationship(OverdueRelationship),
    /// A promise come due.
    FollowUp(DueFollowUp),
}

impl Need {
    /// The moment it started needing the user (the earlier, the more urgent).
    pub fn since(&self) -> DateTime<Utc> {
        match self {
            Need::Relationship(r) => r.due_at,
            Need::FollowUp(f) => f.follow_up.attention_at(),
        }
    }

    /// The client it is about.
    pub fn client_id(&self) -> i64 {
        match self {
            Need::Relationship(r) => r.client_id,
            Need::FollowUp(f) => f.follow_up.client_id,
        }
    }
}

/// Who needs the user now.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Needs {
    /// The most urgent items, longest waiting first.
    pub items: Vec<Need>,
    /// How many relationships are overdue in all.
    pub overdue_total: u64,
    /// How many follow-ups are due in all.
    pub follow_ups_total: u64,
}

/// Only the columns an [`OverdueRelationship`] is made of: a fixed statement, found in the
/// statement cache without building its text on every call.
const OVERDUE: &str = "SELECT c.id, c.name, c.organisation, c.stage,
        coalesce(c.cadence_days, sc.days), c.last_touch_at, c.created_at, c.due_at
    FROM client c JOIN stage_cadence sc ON sc.stage = c.stage
    WHERE c.archived_at IS NULL AND c.due_at <= ?1
      AND (c.snoozed_until IS NULL OR c.snoozed_until <= ?1)
    ORDER BY c.due_at, c.id LIMIT ?2";

// The ORDER BY repeats the index's expression exactly, so SQLite reads `follow_up_open` in order.
// The follow-up's columns are those of `FOLLOW_UP_COLUMNS`, in its order, for
// `follow_up_from_row`.
const DUE_FOLLOW_UPS: &str = "SELECT f.id, f.client_id, f.touch_id, f.what, f.due_at,
        f.created_at, f.done_at, f.snoozed_until, c.name, c.organisation
    FROM follow_up f JOIN client c ON c.id = f.client_id
    WHERE f.done_at IS NULL AND max(f.due_at, coalesce(f.snoozed_until, 0)) <= ?1
      AND c.archived_at IS NULL
    ORDER BY max(f.due_at, coalesce(f.snoozed_until, 0)), f.id LIMIT ?2";

/// Both totals from indexes alone: all that are due, less those snoozed past `now` (few), and all
/// due follow-ups, less those of archived clients (few). See `2026-11-23-04_counts.sql`. Without
/// statistics SQLite would count the snoozed through `client_due`, every due client again; the
/// snoozed are the few, so their index is named.
const COUNT_NEEDS: &str = "SELECT
    (SELECT count(*) FROM client WHERE archived_at IS NULL AND due_at <= ?1)
      - (SELECT count(*) FROM client INDEXED BY client_snoozed
           WHERE snoozed_until > ?1 AND archived_at IS NULL AND due_at <= ?1),
    (SELECT count(*) FROM follow_up
       WHERE done_at IS NULL AND max(due_at, coalesce(snoozed_until, 0)) <= ?1)
      - (SELECT count(*) FROM client c CROSS JOIN follow_up f
           WHERE c.archived_at IS NOT NULL AND f.client_id = c.id AND f.done_at IS NULL
             AND max(f.due_at, coalesce(f.snoozed_until, 0)) <= ?1)";

impl Journal {
    /// Relationships overdue and follow-ups due at `now`, most urgent first, at most `limit`.
    /// Archived clients and snoozed items are left out; notes never count as touches.
    pub fn who_needs_me(&self, now: DateTime<Utc>, limit: u32) -> Result<Needs> {
        let now_s = secs(now);
        let relationships: Vec<OverdueRelationship> = self
            .conn
            .prepare_cached(OVERDUE)
            .and_then(|mut s| {
                s.query_map(params![now_s, limit], |r| {
                    let created_at = moment(r.get(6)?);
                    let last_touch_at = moment_opt(r.get(5)?);
                    let due_at = moment(r.get(7)?);
                    Ok(OverdueRelationship {
                        client_id: r.get(0)?,
                        name: r.get(1)?,
                        organisation: r.get(2)?,
                        stage: Stage::parse(r.get_ref(3)?.as_str()?).unwrap_or_default(),
                        cadence: r.get(4)?,
                        days_since: (now - last_touch_at.unwrap_or(created_at)).num_days(),
                        days_overdue: (now - due_at).num_days(),
                        last_touch_at,
                        due_at,
                    })
                })?
                .collect()
            })
            .map_err(Error::context("Finding overdue relationships"))?;
        let follow_ups: Vec<DueFollowUp> = self
            .conn
            .prepare_cached(DUE_FOLLOW_UPS)
            .and_then(|mut s| {
                s.query_map(params![now_s, limit], |r| {
                    let follow_up = follow_up_from_row(r)?;
                    Ok(DueFollowUp {
                        days_overdue: (now - follow_up.due_at).num_days(),
                        follow_up,
                        name: r.get(8)?,
                        organisation: r.get(9)?,
                    })
                })?
                .collect()
            })
            .map_err(Error::context("Finding due follow-ups"))?;
        let (overdue_total, follow_ups_total) = self
            .conn
            .prepare_cached(COUNT_NEEDS)
            .and_then(|mut s| s.query_row([now_s], |r| Ok((r.get(0)?, r.get(1)?))))
            .map_err(Error::context("Counting who needs you"))?;
        let mut items: Vec<Need> = relationships
            .into_iter()
            .map(Need::Relationship)
            .chain(follow_ups.into_iter().map(Need::FollowUp))
            .collect();
        items.sort_by_key(|n| (n.since(), n.client_id()));
        items.truncate(limit as usize);
        Ok(Needs {
            items,
            overdue_total,
            follow_ups_total,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::journal::tests::assert_plan;

    #[test]
    fn who_needs_me_reads_only_what_is_due_through_its_indexes() {
        let journal = Journal::open_in_memory().unwrap();
        assert_plan(&journal, OVERDUE, &["client_due"], &["SCAN", "TEMP B-TREE"]);
        assert_plan(
            &journal,
            DUE_FOLLOW_UPS,
            &["follow_up_open"],
            &["SCAN f", "SCAN c"],
        );
        // The totals never read a table row: each count is an index's own.
        assert_plan(
            &journal,
            COUNT_NEEDS,
            &[
                "COVERING INDEX client_due",
                "INDEX client_snoozed",
                "COVERING INDEX follow_up_open ",
                "COVERING INDEX client_due (archived_at>?)",
                "COVERING INDEX follow_up_open_client",
            ],
            &["SCAN client", "SCAN f", "SCAN c", "PRIMARY KEY"],
        );
    }

    #[test]
    fn due_follow_ups_read_the_columns_follow_up_from_row_expects() {
        let words = |s: &str| s.split_whitespace().collect::<Vec<_>>().join(" ");
        assert!(words(DUE_FOLLOW_UPS).starts_with(&format!(
            "SELECT {}, c.name",
            words(crate::follow_ups::FOLLOW_UP_COLUMNS)
        )));
    }
}
