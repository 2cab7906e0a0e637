//! Full-text search over clients and over touch and note text (SQLite FTS5).
//!
//! The index folds case and accents (`unicode61 remove_diacritics 2`) and keeps prefix indexes,
//! so every word typed matches as a prefix ("acm" finds "Acme") without scanning the vocabulary.
//! Snippets come back as segments, the matched words marked, so the UI puts them on screen as
//! text and never as HTML.

use chrono::{DateTime, Utc};
use rusqlite::params;
use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::journal::{moment, Journal};
use crate::model::TouchKind;

/// Marks the start and the end of a matched word inside a snippet; the journal refuses these
/// control characters in text, so they cannot come from the user.
const HIT_START: char = '\u{2}';
const HIT_END: char = '\u{3}';

/// A piece of a snippet: matched words are `hit`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Segment {
    /// The text.
    pub text: String,
    /// Whether it matched the query.
    pub hit: bool,
}

/// A client whose name, organisation, profile, facts or tags match.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ClientHit {
    /// The client's id.
    pub client_id: i64,
    /// Their name.
    pub name: String,
    /// Their organisation.
    pub organisation: String,
    /// Archived.
    pub archived: bool,
    /// The best matching passage.
    pub snippet: Vec<Segment>,
}

/// A touch or note whose text matches.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EntryHit {
    /// The touch's or note's id.
    pub entry_id: i64,
    /// Whom it is with or about.
    pub client_id: i64,
    /// Their name.
    pub client_name: String,
    /// The touch's kind, or `None` for a note.
    pub kind: Option<TouchKind>,
    /// When it happened.
    pub at: DateTime<Utc>,
    /// Its one-line summary.
    pub summary: String,
    /// The best matching passage.
    pub snippet: Vec<Segment>,
}

/// The answer to a search, best matches first in each group.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct SearchResults {
    /// Matching clients.
    pub clients: Vec<ClientHit>,
    /// Matching touches and notes.
    pub entries: Vec<EntryHit>,
}

/// The most hits of each group one search returns.
pub const SEARCH_MAX: u32 = 200;

/// Turns what the user typed into an FTS5 query: every word a quoted prefix, all required.
/// Operators and punctuation are dropped, so no input is a syntax error.
pub fn fts_query(typed: &str) -> Option<String> {
    let words: Vec<String> = typed
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .take(16)
        .map(|w| format!("\"{w}\"*"))
        .collect();
    (!words.is_empty()).then(|| words.join(" "))
}

/// Splits an FTS5 snippet into segments at the hit markers.
fn segments(snippet: &str) -> Vec<Segment> {
    let mut out = Vec::new();
    let mut hit = false;
    for piece in snippet.split([HIT_START, HIT_END]) {
        if !piece.is_empty() {
            out.push(Segment {
                text: piece.to_string(),
                hit,
            });
        }
        hit = !hit;
    }
    // The split alternates only if markers alternate; FTS5 always closes what it opens.
    out
}

/// How many of the most recently written matches are put in date order for a page of entry
/// results. A word in fewer entries than this is answered exactly, newest by date first. Ordering
/// every match of a word found in half the journal would cost its whole doclist and a row read
/// per match, far too slow to type against; for such a word the page is the newest by date among
/// the last this many written, which differs only where history was entered long after it
/// happened (an import of old touches, say).
pub const SEARCH_WINDOW: u32 = 1_000;

/// The newest entries by date matching a query (?1), at most ?2, among the ?4 most recently
/// written matches, with a snippet each. FTS5 walks its index in rowid order natively, so the walk
/// stops after ?4 matches. The snippets are made in one more walk over the rowids the page spans
/// (an FTS5 lookup per rowid would merge a prefix's index entries again for each), and only for
/// the page kept.
const SEARCH_ENTRIES: &str = "
    WITH written AS MATERIALIZED (SELECT rowid AS id FROM entry_fts WHERE entry_fts MATCH ?1
                     ORDER BY rowid DESC LIMIT ?4),
         page AS MATERIALIZED (SELECT e.id, e.at FROM written CROSS JOIN entry e ON e.id = written.id
                  WHERE ?3 IS NULL ORDER BY e.at DESC, e.id DESC LIMIT ?2),
         hit AS MATERIALIZED (SELECT rowid AS id, snippet(entry_fts, -1, char(2), char(3), '…', 16) AS snippet
                 FROM entry_fts
                 WHERE entry_fts MATCH ?1
                   AND rowid >= (SELECT min(id) FROM page) AND rowid <= (SELECT max(id) FROM page)
                   AND +rowid IN (SELECT id FROM page))
    SELECT e.id, e.client_id, c.name, e.kind, e.at, e.summary, hit.snippet
    FROM page CROSS JOIN hit CROSS JOIN entry e CROSS JOIN client c
    WHERE hit.id = page.id AND e.id = page.id AND c.id = e.client_id
    ORDER BY page.at DESC, page.id DESC";

/// As [`SEARCH_ENTRIES`], within one client's (?3) touches and notes, all of whose matches are
/// put in date order (one client's history is small enough; ?4 is not used).
const SEARCH_CLIENT_ENTRIES: &str = "
    WITH page AS MATERIALIZED (SELECT e.id, e.at FROM entry_fts CROSS JOIN entry e
                  WHERE entry_fts MATCH ?1 AND e.id = entry_fts.rowid AND e.client_id = ?3
                    AND ?4 IS NOT NULL
                  ORDER BY e.at DESC, e.id DESC LIMIT ?2),
         hit AS MATERIALIZED (SELECT rowid AS id, snippet(entry_fts, -1, char(2), char(3), '…', 16) AS snippet
                 FROM entry_fts
                 WHERE entry_fts MATCH ?1
                   AND rowid >= (SELECT min(id) FROM page) AND rowid <= (SELECT max(id) FROM page)
                   AND +rowid IN (SELECT id FROM page))
    SELECT e.id, e.client_id, c.name, e.kind, e.at, e.summary, hit.snippet
    FROM page CROSS JOIN hit CROSS JOIN entry e CROSS JOIN client c
    WHERE hit.id = page.id AND e.id = page.id AND c.id = e.client_id
    ORDER BY page.at DESC, page.id DESC";

impl Journal {
    /// Searches the whole journal: at most `limit` clients, best match first, and `limit`
    /// touches and notes, newest by date first (see [`SEARCH_WINDOW`]).
    pub fn search(&self, typed: &str, limit: u32) -> Result<SearchResults> {
        let Some(query) = fts_query(typed) else {
            return Ok(SearchResults::default());
        };
        let limit = limit.clamp(1, SEARCH_MAX);
        // Weights: a name match matters most, then the organisation and tags.
        let clients = self
            .conn
            .prepare_cached(
                "SELECT c.id, c.name, c.organisation, c.archived_at IS NOT NULL,
                        snippet(client_fts, -1, char(2), char(3), '…', 12)
                 FROM client_fts JOIN client c ON c.id = client_fts.rowid
                 WHERE client_fts MATCH ?1
                 ORDER BY bm25(client_fts, 10.0, 5.0, 2.0, 2.0, 1.0, 1.0, 3.0), c.id
                 LIMIT ?2",
            )
            .and_then(|mut s| {
                s.query_map(params![query, limit], |r| {
                    Ok(ClientHit {
                        client_id: r.get(0)?,
                        name: r.get(1)?,
                        organisation: r.get(2)?,
                        archived: r.get(3)?,
                        snippet: segments(&r.get::<_, String>(4)?),
                    })
                })?
                .collect()
            })
            .map_err(Error::context("Searching clients"))?;
        let entries = self.search_entries(&query, None, limit)?;
        Ok(SearchResults { clients, entries })
    }

    /// Searches one client's touches and notes, newest by date first.
    pub fn search_client(&self, client_id: i64, typed: &str, limit: u32) -> Result<Vec<EntryHit>> {
        crate::journal::exists(&self.conn, "client", client_id)?;
        match fts_query(typed) {
            Some(query) => self.search_entries(&query, Some(client_id), limit.clamp(1, SEARCH_MAX)),
            None => Ok(Vec::new()),
        }
    }

    fn search_entries(
        &self,
        query: &str,
        client_id: Option<i64>,
        limit: u32,
    ) -> Result<Vec<EntryHit>> {
        let sql = if client_id.is_some() {
            SEARCH_CLIENT_ENTRIES
        } else {
            SEARCH_ENTRIES
        };
        self.conn
            .prepare_cached(sql)
            .and_then(|mut s| {
                s.query_map(params![query, limit, client_id, SEARCH_WINDOW], |r| {
                    let kind: String = r.get(3)?;
                    Ok(EntryHit {
                        entry_id: r.get(0)?,
                        client_id: r.get(1)?,
                        client_name: r.get(2)?,
                        kind: TouchKind::parse(&kind),
                        at: moment(r.get(4)?),
                        summary: r.get(5)?,
                        snippet: segments(&r.get::<_, String>(6)?),
                    })
                })?
                .collect()
            })
            .map_err(Error::context("Searching touches and notes"))
    }
}
