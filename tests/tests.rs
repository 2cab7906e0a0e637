//! The core's integration tests: every query and every validation error, on journal files on
//! disk in a temporary folder of their own.

mod util;

mod backup;
mod cli;
mod clients;
mod corpus;
mod dates;
mod encryption;
mod entries;
mod export_import;
mod fuzz_replay;
mod generate;
mod merge;
mod migrations;
mod needs;
mod properties;
mod reminders;
mod sample;
mod search;
mod store;
mod timeline;
mod validation;
