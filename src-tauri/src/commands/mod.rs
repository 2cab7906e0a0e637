//! The commands the UI calls, a file per area: each parses its arguments, calls one core
//! function with the current time, and returns its result or a `{kind, message}` error.
//!
//! They run off the main thread (`async`), so a slow query never freezes the window. The list of
//! them is kept once, in `list.rs`.

pub mod clients;
pub mod data;
pub mod entries;
pub mod follow_ups;
pub mod journal;
pub mod privacy;
pub mod search;
pub mod settings;

/// The journal as a command receives it from Tauri.
pub type State<'a> = tauri::State<'a, crate::JournalState>;
