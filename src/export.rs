//! Exports for other programs: clients and touches as CSV for spreadsheets, and open follow-ups
//! as an iCalendar file for a calendar. (The whole journal as JSON, which Rapport reads back, is
//! in [`crate::archive`].)
//!
//! Each export is returned as bytes; [`crate::write_private`] saves them readable by the owner
//! only. Every export reads one consistent snapshot of the journal.

use std::path::{Path, PathBuf};

use chrono::{DateTime, Duration, NaiveDate, Utc};
use rusqlite::Connection;
use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::files::write_private;
use crate::journal::{moment, Journal};

/// What can be exported.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ExportKind {
    /// The whole journal, as the JSON that Rapport imports again ([`crate::archive`]).
    Journal,
    /// Clients, one row each.
    ClientsCsv,
    /// Touches, one row each.
    TouchesCsv,
    /// Open follow-ups, as calendar events.
    FollowUpsIcs,
}

impl ExportKind {
    /// What the file holds and its extension, for its name.
    fn file_name(self) -> (&'static str, &'static str) {
        match self {
            ExportKind::Journal => ("journal", "json"),
            ExportKind::ClientsCsv => ("clients", "csv"),
            ExportKind::TouchesCsv => ("touches", "csv"),
            ExportKind::FollowUpsIcs => ("follow-ups", "ics"),
        }
    }
}

impl Journal {
    /// The export of `kind`, as the bytes of its file.
    pub fn export_bytes(&self, kind: ExportKind, now: DateTime<Utc>) -> Result<Vec<u8>> {
        match kind {
            ExportKind::Journal => self.export_json(now),
            ExportKind::ClientsCsv => self.export_clients_csv(),
            ExportKind::TouchesCsv => self.export_touches_csv(),
            ExportKind::FollowUpsIcs => Ok(self.export_follow_ups_ics(now)?.into_bytes()),
        }
    }

    /// Saves the export of `kind` into `dir` as `rapport-<what>-<today>.<ext>` (`today` is the
    /// user's local date), readable by the owner only, and returns its path. An earlier export
    /// of the same day is never replaced: the new one is named `-2`, `-3`, ...
    pub fn export_into(
        &self,
        kind: ExportKind,
        dir: impl AsRef<Path>,
        now: DateTime<Utc>,
        today: NaiveDate,
    ) -> Result<PathBuf> {
        let bytes = self.export_bytes(kind, now)?;
        let (what, ext) = kind.file_name();
        save_dated(dir.as_ref(), what, ext, today, &bytes)
    }

    /// Runs `f` inside one read transaction, so everything it reads is one snapshot.
    pub(crate) fn snapshot<T>(&self, f: impl FnOnce(&Connection) -> Result<T>) -> Result<T> {
        self.conn
            .execute_batch("BEGIN DEFERRED")
            .map_err(Error::context("Starting an export"))?;
        let value = f(&self.conn);
        let _ = self.conn.execute_batch("COMMIT");
        value
    }

    /// Every client as CSV, one row each by name, with a header row: `id, name, organisation,
    /// role, email, phone, stage, cadence_days, tags (separated by "; "), profile, created_at,
    /// last_touch_at, archived_at`. Times are RFC 3339 in UTC.
    ///
    /// A cell that a spreadsheet would run as a formula (it starts with `=`, `@`, a tab, or a
    /// `+`/`-` that does not start a plain number or phone number) is written with a leading `'`.
    pub fn export_clients_csv(&self) -> Result<Vec<u8>> {
        let rows = self.snapshot(|conn| {
            conn.prepare(
                "SELECT c.id, c.name, c.organisation, c.role, c.email, c.phone, c.stage,
                        c.cadence_days, c.profile, c.created_at, c.last_touch_at, c.archived_at,
                        coalesce((SELECT group_concat(tag, '; ') FROM
                                   (SELECT tag FROM client_tag WHERE client_id = c.id
                                    ORDER BY lower(tag))), '')
                 FROM client c ORDER BY c.sort_name, c.id",
            )
            .and_then(|mut s| {
                s.query_map([], |r| {
                    Ok(vec![
                        r.get::<_, i64>(0)?.to_string(),
                        r.get(1)?,
                        r.get(2)?,
                        r.get(3)?,
                        r.get(4)?,
                        r.get(5)?,
                        r.get(6)?,
                        r.get::<_, Option<u32>>(7)?
                            .map(|d| d.to_string())
                            .unwrap_or_default(),
                        r.get(12)?,
                        r.get(8)?,
                        rfc3339(Some(r.get(9)?)),
                        rfc3339(r.get(10)?),
                        rfc3339(r.get(11)?),
                    ])
                })?
                .collect::<rusqlite::Result<Vec<_>>>()
            })
            .map_err(Error::context("Exporting clients"))
        })?;
        write_csv(
            &[
                "id",
                "name",
                "organisation",
                "role",
                "email",
                "phone",
                "stage",
                "cadence_days",
                "tags",
                "profile",
                "created_at",
                "last_touch_at",
                "archived_at",
            ],
            rows,
        )
    }

    /// Every touch (notes left out) as CSV, oldest first, with a header row: `id, client_id,
    /// client, organisation, kind, at, summary, body, gave_value, asked`.
    pub fn export_touches_csv(&self) -> Result<Vec<u8>> {
        let rows = self.snapshot(|conn| {
            conn.prepare(
                "SELECT e.id, e.client_id, c.name, c.organisation, e.kind, e.at, e.summary,
                        e.body, e.gave_value, e.asked
                 FROM entry e JOIN client c ON c.id = e.client_id
                 WHERE e.kind <> 'note' ORDER BY e.at, e.id",
            )
            .and_then(|mut s| {
                s.query_map([], |r| {
                    Ok(vec![
                        r.get::<_, i64>(0)?.to_string(),
                        r.get::<_, i64>(1)?.to_string(),
                        r.get(2)?,
                        r.get(3)?,
                        r.get(4)?,
                        rfc3339(Some(r.get(5)?)),
                        r.get(6)?,
                        r.get(7)?,
                        yes_no(r.get(8)?),
                        yes_no(r.get(9)?),
                    ])
                })?
                .collect::<rusqlite::Result<Vec<_>>>()
            })
            .map_err(Error::context("Exporting touches"))
        })?;
        write_csv(
            &[
                "id",
                "client_id",
                "client",
                "organisation",
                "kind",
                "at",
                "summary",
                "body",
                "gave_value",
                "asked",
            ],
            rows,
        )
    }

    /// Follow-ups not yet done, as an iCalendar file (RFC 5545): one `VEVENT` each, starting
    /// at its due moment and lasting a quarter of an hour, in UTC, with a `UID` that stays the
    /// same for the same follow-up across exports (so a calendar updates rather than
    /// duplicates it). Events rather than to-dos, because the calendars people use at work
    /// import events and silently drop to-dos.
    pub fn export_follow_ups_ics(&self, now: DateTime<Utc>) -> Result<String> {
        use icalendar::{Calendar, Component, Event, EventLike};
        let rows = self.snapshot(|conn| {
            conn.prepare(
                "SELECT f.id, f.created_at, f.what, f.due_at, c.name, c.organisation
                 FROM follow_up f JOIN client c ON c.id = f.client_id
                 WHERE f.done_at IS NULL ORDER BY f.due_at, f.id",
            )
            .and_then(|mut s| {
                s.query_map([], |r| {
                    Ok((
                        r.get::<_, i64>(0)?,
                        r.get::<_, i64>(1)?,
                        r.get::<_, String>(2)?,
                        r.get::<_, i64>(3)?,
                        r.get::<_, String>(4)?,
                        r.get::<_, String>(5)?,
                    ))
                })?
                .collect::<rusqlite::Result<Vec<_>>>()
            })
            .map_err(Error::context("Exporting follow-ups"))
        })?;
        let mut calendar = Calendar::empty();
        calendar.append_property(("VERSION", "2.0"));
        calendar.append_property(("PRODID", "-//Rapport//Rapport journal//EN"));
        calendar.append_property(("CALSCALE", "GREGORIAN"));
        calendar.append_property(("METHOD", "PUBLISH"));
        calendar.name("Rapport follow-ups");
        for (id, created, what, due, name, organisation) in rows {
            let due = moment(due);
            let who = if organisation.is_empty() {
                name.clone()
            } else {
                format!("{name} ({organisation})")
            };
            calendar.push(
                Event::new()
                    .uid(&format!("follow-up-{id}-{created}@rapport.journal"))
                    .timestamp(now)
                    .summary(&one_line(&format!("Follow up with {name}: {what}")))
                    .description(&text(&format!("{what}\nWith: {who}")))
                    .starts(due)
                    .ends(due + Duration::minutes(15))
                    .done(),
            );
        }
        Ok(calendar.done().to_string())
    }
}

fn rfc3339(secs: Option<i64>) -> String {
    secs.map(|s| moment(s).to_rfc3339_opts(chrono::SecondsFormat::Secs, true))
        .unwrap_or_default()
}

fn yes_no(b: bool) -> String {
    if b { "yes" } else { "no" }.into()
}

/// A cell a spreadsheet would not run as a formula.
fn defuse(cell: String) -> String {
    let mut chars = cell.chars();
    let risky = match chars.next() {
        Some('=' | '@' | '\t' | '\r') => true,
        // A sign starts a formula too (`-1+HYPERLINK(…)`, `+1+cmd|…`): only a number or a
        // phone number as people write them ("+44 20 0000 0001", "-12.5", "+1 (555) 010-0100")
        // is left as it is.
        Some('+' | '-') => {
            let rest = chars.as_str();
            !(rest.chars().any(|c| c.is_ascii_digit())
                && rest
                    .chars()
                    .all(|c| c.is_ascii_digit() || matches!(c, ' ' | '(' | ')' | '.' | '-' | '/')))
        }
        _ => false,
    };
    if risky {
        format!("'{cell}")
    } else {
        cell
    }
}

fn write_csv(header: &[&str], rows: Vec<Vec<String>>) -> Result<Vec<u8>> {
    let mut writer = csv::WriterBuilder::new()
        .terminator(csv::Terminator::CRLF)
        .from_writer(Vec::new());
    let fail = |e: csv::Error| Error::invalid("file", format!("cannot write CSV: {e}"));
    writer.write_record(header).map_err(fail)?;
    for row in rows {
        writer
            .write_record(row.into_iter().map(defuse))
            .map_err(fail)?;
    }
    writer
        .into_inner()
        .map_err(|e| Error::invalid("file", format!("cannot write CSV: {e}")))
}

/// Text for an iCalendar value: line breaks as `\n` (the crate escapes them), no bare CR.
fn text(s: &str) -> String {
    s.replace("\r\n", "\n").replace('\r', "\n")
}

fn one_line(s: &str) -> String {
    text(s).replace('\n', " ")
}

/// Saves `bytes` into `dir` as `rapport-<what>-<today>.<ext>`, readable by the owner only, and
/// returns its path; a file of that name already there is never replaced: the new one is named
/// `-2`, `-3`, ...
pub(crate) fn save_dated(
    dir: &Path,
    what: &str,
    ext: &str,
    today: NaiveDate,
    bytes: &[u8],
) -> Result<PathBuf> {
    let stem = format!("rapport-{what}-{}", today.format("%Y-%m-%d"));
    let mut path = dir.join(format!("{stem}.{ext}"));
    let mut n = 1;
    while path.exists() {
        n += 1;
        path = dir.join(format!("{stem}-{n}.{ext}"));
    }
    write_private(&path, bytes)?;
    Ok(path)
}
