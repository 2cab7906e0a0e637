//! The core's integration tests: every query and every validation error, on journal files on
//! disk in a temporary folder of their own.

mod util;

mod clients;
mod dates;
mod entries;
mod generate;
mod migrations;
mod needs;
mod reminders;
mod sample;
mod search;
mod store;
mod timeline;
mod validation;
