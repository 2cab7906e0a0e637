//! Rapport's journal core: clients, touches, notes, follow-ups, stages and introductions kept in
//! one SQLite file, with the queries the desktop app and the reminder engine are built on.
//!
//! The core knows nothing of windows or notifications, and never reads the clock: every
//! operation that depends on the time takes `now` as an argument, so tests can drive a journal
//! through months in milliseconds.

mod clients;
mod dates;
mod entries;
mod error;
pub mod generate;
mod journal;
mod model;
mod needs;
mod reminders;
mod sample;
mod search;
mod timeline;
pub mod validate;

pub use clients::{
    Archived, ClientFilter, ClientOverview, ClientPage, ClientRow, ClientSort, Counted,
};
pub use dates::{parse_due, DateOrder, DEFAULT_DUE_TIME};
pub use entries::FirstEntry;
pub use error::{Error, Result};
pub use journal::{migrations, Journal, APPLICATION_ID, FILE_NAME, SCHEMA_VERSION};
pub use model::*;
pub use needs::{DueFollowUp, Need, Needs, OverdueRelationship};
pub use reminders::{notice, Notice, QuietHours, Reminder};
pub use search::{fts_query, ClientHit, EntryHit, SearchResults, Segment, SEARCH_MAX};
pub use timeline::{TimelineEntry, TimelinePage, PAGE_MAX};
