//! The reminder engine: what is due now and not yet fired, when the next thing falls due, and
//! the words of the notification. Pure over the journal and `now`; the desktop shell's loop
//! does the waiting and the showing.
//!
//! Each item fires once per *episode*: the moment it last became due (its due time, or the end
//! of a snooze if later). A new touch moves a relationship's due time, so it ends the episode; an
//! expired snooze starts a new one. Fired episodes are recorded in the journal, so a restart
//! never repeats them, and whatever fell due while Rapport was closed is still unfired at start.

use chrono::{DateTime, NaiveTime, TimeZone, Utc};
use rusqlite::params;
use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::journal::{moment, moment_opt, secs, Journal};

/// Something that has become due and should be told to the user.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Reminder {
    /// A relationship gone past its cadence.
    Relationship {
        /// The client.
        client_id: i64,
        /// Their name.
        name: String,
        /// The cadence in force, in days.
        cadence: u32,
        /// The newest touch, if any.
        last_touch_at: Option<DateTime<Utc>>,
        /// When the client was added (the clock's start if never touched).
        created_at: DateTime<Utc>,
        /// The moment this episode began.
        episode: DateTime<Utc>,
    },
    /// A promised follow-up come due.
    FollowUp {
        /// The follow-up.
        follow_up_id: i64,
        /// Whom it was promised to.
        client_id: i64,
        /// Their name.
        name: String,
        /// What was promised.
        what: String,
        /// When it was due.
        due_at: DateTime<Utc>,
        /// The moment this episode began.
        episode: DateTime<Utc>,
    },
}

impl Reminder {
    fn key(&self) -> (&'static str, i64, i64) {
        match self {
            Reminder::Relationship {
                client_id, episode, ..
            } => ("relationship", *client_id, secs(*episode)),
            Reminder::FollowUp {
                follow_up_id,
                episode,
                ..
            } => ("follow_up", *follow_up_id, secs(*episode)),
        }
    }

    /// The moment this episode began.
    pub fn episode(&self) -> DateTime<Utc> {
        match self {
            Reminder::Relationship { episode, .. } | Reminder::FollowUp { episode, .. } => *episode,
        }
    }

    /// The client it is about.
    pub fn name(&self) -> &str {
        match self {
            Reminder::Relationship { name, .. } | Reminder::FollowUp { name, .. } => name,
        }
    }
}

/// A notification's words.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Notice {
    /// The title: names the client, or counts several.
    pub title: String,
    /// The body: how long since the last touch against the usual rhythm, or what was promised.
    pub body: String,
}

/// The words for `reminders` at `now`: one notification, a summary when several are due at once.
/// `None` when there is nothing to say.
pub fn notice(reminders: &[Reminder], now: DateTime<Utc>) -> Option<Notice> {
    let plural = |n: i64, word: &str| format!("{n} {word}{}", if n == 1 { "" } else { "s" });
    match reminders {
        [] => None,
        [Reminder::Relationship {
            name,
            cadence,
            last_touch_at,
            created_at,
            ..
        }] => Some(Notice {
            title: format!("Time to get in touch with {name}"),
            body: match last_touch_at {
                Some(t) => format!(
                    "{} since your last touch; you usually speak every {}.",
                    plural((now - *t).num_days(), "day"),
                    plural(i64::from(*cadence), "day")
                ),
                None => format!(
                    "Added {} ago and not touched yet; the usual rhythm is every {}.",
                    plural((now - *created_at).num_days(), "day"),
                    plural(i64::from(*cadence), "day")
                ),
            },
        }),
        [Reminder::FollowUp {
            name, what, due_at, ..
        }] => Some(Notice {
            title: format!("Follow-up due for {name}"),
            body: format!("{what}: promised for {}.", due_at.format("%-d %b %Y")),
        }),
        several => {
            let relationships = several
                .iter()
                .filter(|r| matches!(r, Reminder::Relationship { .. }))
                .count() as i64;
            let follow_ups = several.len() as i64 - relationships;
            let title = match (relationships, follow_ups) {
                (0, f) => format!("{} due", plural(f, "follow-up")),
                (1, 0) => "1 relationship needs a touch".to_string(),
                (r, 0) => format!("{} need a touch", plural(r, "relationship")),
                (r, f) => format!(
                    "{} {} a touch, {} due",
                    plural(r, "relationship"),
                    if r == 1 { "needs" } else { "need" },
                    plural(f, "follow-up")
                ),
            };
            let mut names: Vec<&str> = Vec::new();
            for r in several {
                if !names.contains(&r.name()) {
                    names.push(r.name());
                }
            }
            let shown = names.iter().take(4).copied().collect::<Vec<_>>().join(", ");
            let body = if names.len() > 4 {
                format!("{shown} and {} more.", names.len() - 4)
            } else {
                format!("{shown}.")
            };
            Some(Notice { title, body })
        }
    }
}

/// Hours when nothing fires, in the user's local time; what falls due waits for their end.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct QuietHours {
    /// When quiet begins, e.g. 20:00.
    pub start: NaiveTime,
    /// When quiet ends, e.g. 08:00 (the next morning when earlier than `start`).
    pub end: NaiveTime,
}

impl Default for QuietHours {
    fn default() -> Self {
        QuietHours {
            start: NaiveTime::from_hms_opt(20, 0, 0).unwrap_or_default(),
            end: NaiveTime::from_hms_opt(8, 0, 0).unwrap_or_default(),
        }
    }
}

impl QuietHours {
    /// Whether `now` (in its own time zone) falls in the quiet hours.
    pub fn contains<Tz: TimeZone>(&self, now: &DateTime<Tz>) -> bool {
        let t = now.time();
        if self.start == self.end {
            false
        } else if self.start < self.end {
            t >= self.start && t < self.end
        } else {
            t >= self.start || t < self.end
        }
    }

    /// When the quiet hours around `now` end (`now` itself when not quiet). Across a
    /// daylight-saving change, the first valid moment at or after the end's wall-clock time.
    pub fn ends_after<Tz: TimeZone>(&self, now: &DateTime<Tz>) -> DateTime<Utc> {
        if !self.contains(now) {
            return now.with_timezone(&Utc);
        }
        let tz = now.timezone();
        let mut day = now.date_naive();
        if now.time() >= self.end {
            day = day.succ_opt().unwrap_or(day);
        }
        let wall = day.and_time(self.end);
        (0..3)
            .find_map(|h| {
                tz.from_local_datetime(&(wall + chrono::Duration::hours(h)))
                    .earliest()
            })
            .map(|t| t.with_timezone(&Utc))
            .unwrap_or_else(|| now.with_timezone(&Utc))
    }
}

pub(crate) const QUIET_KEY: &str = "quiet_hours";
const LOCK_AFTER_KEY: &str = "lock_after_minutes";
/// The idle minutes after which the window may lock: 0 (never) to a day.
pub const LOCK_AFTER_MINUTES: std::ops::RangeInclusive<u32> = 0..=1440;

/// The earliest moment after ?1 at which something falls due: the first entry after it in each
/// of three indexes. Written as `ORDER BY ... LIMIT 1` rather than `min()`: SQLite's min()
/// shortcut does not see through the `archived_at IS NULL` / `done_at IS NULL` that lead the
/// indexes, and read every later entry instead (thousands of times slower on a large journal).
/// Without statistics SQLite would read the snoozed through `client_due`; their own index is
/// named.
const NEXT_DUE: &str = "SELECT min(t) FROM (
    SELECT * FROM (SELECT due_at AS t FROM client
                   WHERE archived_at IS NULL AND due_at > ?1 ORDER BY due_at LIMIT 1)
    UNION ALL
    SELECT * FROM (SELECT snoozed_until FROM client INDEXED BY client_snoozed
                   WHERE snoozed_until IS NOT NULL AND archived_at IS NULL AND snoozed_until > ?1
                   ORDER BY snoozed_until LIMIT 1)
    UNION ALL
    SELECT * FROM (SELECT max(due_at, coalesce(snoozed_until, 0)) FROM follow_up
                   WHERE done_at IS NULL AND max(due_at, coalesce(snoozed_until, 0)) > ?1
                   ORDER BY max(due_at, coalesce(snoozed_until, 0)) LIMIT 1))";

/// How far after now a recorded telling may be and still count: clocks are corrected by
/// seconds or minutes now and then, which must not repeat a notification.
const TOLD_SLACK: chrono::Duration = chrono::Duration::hours(1);

impl Journal {
    /// What is due at `now` and has not been fired in its current episode, longest waiting
    /// first. Archived clients never remind; notes never count as touches.
    pub fn due_reminders(&self, now: DateTime<Utc>) -> Result<Vec<Reminder>> {
        let now_s = secs(now);
        // An episode recorded as told after now was told while the clock ran ahead (a wrong
        // clock at one start, a VM restored from a snapshot): told before it was due. It is
        // told again when it really falls due, and recorded anew then.
        let told_by = secs(now + TOLD_SLACK);
        let mut out: Vec<Reminder> = self
            .conn
            .prepare_cached(
                "SELECT c.id, c.name, coalesce(c.cadence_days, sc.days), c.last_touch_at,
                        c.created_at, max(c.due_at, coalesce(c.snoozed_until, 0)) AS episode
                 FROM client c JOIN stage_cadence sc ON sc.stage = c.stage
                 WHERE c.archived_at IS NULL AND c.due_at <= ?1
                   AND (c.snoozed_until IS NULL OR c.snoozed_until <= ?1)
                   AND NOT EXISTS (SELECT 1 FROM fired f WHERE f.kind = 'relationship'
                                   AND f.ref_id = c.id
                                   AND f.episode = max(c.due_at, coalesce(c.snoozed_until, 0))
                                   AND f.fired_at <= ?2)
                 ORDER BY c.due_at, c.id",
            )
            .and_then(|mut s| {
                s.query_map([now_s, told_by], |r| {
                    Ok(Reminder::Relationship {
                        client_id: r.get(0)?,
                        name: r.get(1)?,
                        cadence: r.get(2)?,
                        last_touch_at: moment_opt(r.get(3)?),
                        created_at: moment(r.get(4)?),
                        episode: moment(r.get(5)?),
                    })
                })?
                .collect()
            })
            .map_err(Error::context("Finding due reminders"))?;
        let follow_ups: Vec<Reminder> = self
            .conn
            .prepare_cached(
                "SELECT f.id, f.client_id, c.name, f.what, f.due_at,
                        max(f.due_at, coalesce(f.snoozed_until, 0)) AS episode
                 FROM follow_up f JOIN client c ON c.id = f.client_id
                 WHERE f.done_at IS NULL AND max(f.due_at, coalesce(f.snoozed_until, 0)) <= ?1
                   AND c.archived_at IS NULL
                   AND NOT EXISTS (SELECT 1 FROM fired x WHERE x.kind = 'follow_up'
                                   AND x.ref_id = f.id
                                   AND x.episode = max(f.due_at, coalesce(f.snoozed_until, 0))
                                   AND x.fired_at <= ?2)
                 ORDER BY max(f.due_at, coalesce(f.snoozed_until, 0)), f.id",
            )
            .and_then(|mut s| {
                s.query_map([now_s, told_by], |r| {
                    Ok(Reminder::FollowUp {
                        follow_up_id: r.get(0)?,
                        client_id: r.get(1)?,
                        name: r.get(2)?,
                        what: r.get(3)?,
                        due_at: moment(r.get(4)?),
                        episode: moment(r.get(5)?),
                    })
                })?
                .collect()
            })
            .map_err(Error::context("Finding due reminders"))?;
        out.extend(follow_ups);
        out.sort_by_key(|r| r.episode());
        Ok(out)
    }

    /// Counts the rhythm of clients whose last touch is dated after `now` from `now`, not
    /// from that date: a touch logged while the clock ran ahead ("in 2031") would otherwise
    /// keep them from needing you for years. Their due date becomes a rhythm after `now` once
    /// (until a later write dates it from that touch again); the touch itself stays as it was
    /// written, for the user to correct. Returns how many clients it moved. The reminder loop
    /// calls it at each look; a journal with no such touch costs one index lookup.
    pub fn settle_future_touches(&mut self, now: DateTime<Utc>) -> Result<usize> {
        let ctx = Error::context("Counting rhythms from now");
        let after = secs(now + crate::validate::FUTURE_SLACK);
        let any: bool = self
            .conn
            .prepare_cached("SELECT EXISTS (SELECT 1 FROM client WHERE last_touch_at > ?1)")
            .and_then(|mut s| s.query_row([after], |r| r.get(0)))
            .map_err(&ctx)?;
        if !any {
            return Ok(0);
        }
        self.write(|tx| {
            tx.execute(
                "UPDATE client SET due_at = ?1 + 86400 * coalesce(cadence_days,
                        (SELECT days FROM stage_cadence WHERE stage = client.stage))
                 WHERE last_touch_at > ?2
                   AND due_at > ?1 + 86400 * coalesce(cadence_days,
                        (SELECT days FROM stage_cadence WHERE stage = client.stage))",
                params![secs(now), after],
            )
            .map_err(&ctx)
        })
    }

    /// What to tell the user at `now` in their time zone: what is due and not yet told, or
    /// nothing during quiet hours (it is told when they end, as one summary).
    pub fn reminders_to_tell<Tz: TimeZone>(&self, now: &DateTime<Tz>) -> Result<Vec<Reminder>> {
        if self.quiet_hours()?.contains(now) {
            return Ok(Vec::new());
        }
        self.due_reminders(now.with_timezone(&Utc))
    }

    /// Records `reminders` as fired at `now`, so they never fire again in this episode.
    pub fn mark_fired(&mut self, reminders: &[Reminder], now: DateTime<Utc>) -> Result<()> {
        self.write(|tx| {
            let mut insert = tx
                .prepare_cached(
                    "INSERT INTO fired (kind, ref_id, episode, fired_at) VALUES (?1, ?2, ?3, ?4)
                     ON CONFLICT (kind, ref_id, episode) DO UPDATE SET fired_at = excluded.fired_at",
                )
                .map_err(Error::context("Recording fired reminders"))?;
            for r in reminders {
                let (kind, id, episode) = r.key();
                insert
                    .execute(params![kind, id, episode, secs(now)])
                    .map_err(Error::context("Recording fired reminders"))?;
            }
            Ok(())
        })
    }

    /// The next moment after `now` at which something may fall due, for the reminder loop to
    /// sleep until (it may be early, never late: waking early only means looking again).
    pub fn next_due_moment(&self, now: DateTime<Utc>) -> Result<Option<DateTime<Utc>>> {
        let next: Option<i64> = self
            .conn
            .prepare_cached(NEXT_DUE)
            .and_then(|mut s| s.query_row([secs(now)], |r| r.get(0)))
            .map_err(Error::context("Finding the next due moment"))?;
        Ok(next.map(moment))
    }

    /// How many need the user (as Today counts them) at each moment something falls due after
    /// `now` and no later than `until`, at most `max` of them: what the reminders can say while
    /// the journal is locked, naming nobody. Exact as long as the journal is not changed meanwhile,
    /// which a locked journal is not.
    pub fn needs_ahead(
        &self,
        now: DateTime<Utc>,
        until: DateTime<Utc>,
        max: usize,
    ) -> Result<Vec<(DateTime<Utc>, u64)>> {
        let mut ahead = Vec::new();
        let mut at = now;
        while ahead.len() < max {
            match self.next_due_moment(at)? {
                Some(next) if next <= until => {
                    let needs = self.who_needs_me(next, 1)?;
                    ahead.push((next, needs.overdue_total + needs.follow_ups_total));
                    at = next;
                }
                _ => break,
            }
        }
        Ok(ahead)
    }

    /// After how many idle minutes the window locks the journal (0: never, the default).
    pub fn lock_after_minutes(&self) -> Result<u32> {
        let stored = self.setting(LOCK_AFTER_KEY, "Reading the lock setting")?;
        Ok(stored
            .and_then(|s| s.parse().ok())
            .filter(|m| LOCK_AFTER_MINUTES.contains(m))
            .unwrap_or(0))
    }

    /// Sets after how many idle minutes the window locks the journal, within
    /// [`LOCK_AFTER_MINUTES`] (0: never).
    pub fn set_lock_after_minutes(&mut self, minutes: u32) -> Result<()> {
        if !LOCK_AFTER_MINUTES.contains(&minutes) {
            return Err(Error::invalid(
                "lock_after",
                "must be from 0 (never) to 1440 minutes (a day)",
            ));
        }
        self.set_setting(
            LOCK_AFTER_KEY,
            &minutes.to_string(),
            "Saving the lock setting",
        )
    }

    /// The quiet hours (default 20:00 to 08:00).
    pub fn quiet_hours(&self) -> Result<QuietHours> {
        let stored = self.setting(QUIET_KEY, "Reading quiet hours")?;
        Ok(stored.as_deref().and_then(parse_quiet).unwrap_or_default())
    }

    /// Changes the quiet hours; equal start and end turn them off.
    pub fn set_quiet_hours(&mut self, quiet: QuietHours) -> Result<()> {
        let value = format!(
            "{}-{}",
            quiet.start.format("%H:%M"),
            quiet.end.format("%H:%M")
        );
        self.set_setting(QUIET_KEY, &value, "Saving quiet hours")
    }
}

/// Quiet hours as they are stored: `HH:MM-HH:MM`.
pub(crate) fn parse_quiet(stored: &str) -> Option<QuietHours> {
    let (a, b) = stored.split_once('-')?;
    Some(QuietHours {
        start: NaiveTime::parse_from_str(a, "%H:%M").ok()?,
        end: NaiveTime::parse_from_str(b, "%H:%M").ok()?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::journal::tests::assert_plan;

    #[test]
    fn the_next_due_moment_is_the_first_entry_of_each_index() {
        let journal = Journal::open_in_memory().unwrap();
        // In index order with nothing to sort: each part stops at its first row.
        assert_plan(
            &journal,
            NEXT_DUE,
            &["client_due", "client_snoozed", "follow_up_open"],
            &["SCAN client", "SCAN follow_up", "TEMP B-TREE"],
        );
    }
}
