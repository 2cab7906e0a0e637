//! The app's write path, run until the power goes: the program the power-cut test
//! (`testkit/tests/power_cut.rs`) runs on a [`rapport_testkit::lazy_disk::LazyDisk`].
//!
//! ```text
//! power-cut-writer DATA_DIR RUN
//! ```
//!
//! It does what the desktop shell does with the journal in `DATA_DIR`, through the same core
//! calls: opens it (making the folder as the shell does), takes the daily backup if one is due,
//! then forever saves touches, takes backups ("Back up now"), tidies on a second connection as
//! the background does, and restores the newest backup (closing the journal first and opening
//! it again after, as the shell's restore does). Each step is announced on standard output
//! before it starts (`begin …`) and acknowledged once the call returned (`touch NAME`,
//! `backup FILE`, `restore FILE`, …): what was acknowledged is what the user was told is saved.
//! Any error ends it with the error on standard error.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use chrono::Utc;
use rapport::{ClientFilter, ClientInput, Journal, TouchInput};

/// One round of the write path; the cut falls anywhere in it.
const ROUND: u64 = 40;

fn main() -> ExitCode {
    let mut args = std::env::args_os().skip(1);
    let (Some(dir), Some(run)) = (args.next(), args.next()) else {
        eprintln!("usage: power-cut-writer DATA_DIR RUN");
        return ExitCode::from(2);
    };
    let run = run.to_string_lossy().into_owned();
    match write(&PathBuf::from(dir), &run) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("power-cut-writer: {e}");
            ExitCode::FAILURE
        }
    }
}

fn say(line: &str) {
    // Standard output is line-buffered: each line reaches the test as it is said.
    println!("{line}");
}

fn file_name(path: &Path) -> String {
    path.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default()
}

fn write(dir: &Path, run: &str) -> rapport::Result<()> {
    let path = dir.join("journal.sqlite3");
    let backups = rapport::backups_dir(&path);
    say("begin start");
    rapport::create_private_dir(dir)?;
    let mut journal = Journal::open(&path)?;
    // Every backup taken stays, so the test can check each one it was told of.
    if journal.backup_keep()? != 365 {
        journal.set_backup_keep(365)?;
    }
    let client = client(&mut journal)?;
    if let Some(made) = journal.daily_backup_if_due(&backups, Utc::now())?.made {
        say(&format!("backup {}", file_name(&made.path)));
    }
    say("start");
    for n in 0.. {
        match n % ROUND {
            13 | 33 => {
                say("begin backup");
                let made = journal.back_up_now(&backups, Utc::now())?;
                say(&format!("backup {}", file_name(&made.path)));
            }
            19 | 39 => {
                say("begin tidy");
                let mut side = Journal::open(&path)?;
                while side.tidy(16)? {}
                say("tidy");
            }
            27 => {
                let newest = rapport::list_backups(&backups, None)?
                    .into_iter()
                    .find(|b| b.problem.is_none());
                if let Some(newest) = newest {
                    let name = file_name(&newest.path);
                    say(&format!("begin restore {name}"));
                    drop(journal);
                    rapport::restore_backup(&path, &newest.path, None, Utc::now())?;
                    journal = Journal::open(&path)?;
                    say(&format!("restore {name}"));
                }
            }
            _ => {
                let summary = format!("{run}-{n}");
                say(&format!("begin touch {summary}"));
                let input = TouchInput {
                    client_id: client,
                    summary: summary.clone(),
                    body: format!("What was said in {summary}, at some length. ").repeat(8),
                    ..TouchInput::default()
                };
                journal.log_touch(&input, Utc::now())?;
                say(&format!("touch {summary}"));
            }
        }
    }
    Ok(())
}

/// The one client every touch is with, made on the first run.
fn client(journal: &mut Journal) -> rapport::Result<i64> {
    let listed = journal.list_clients(&ClientFilter::default(), Utc::now())?;
    if let Some(first) = listed.rows.first() {
        return Ok(first.id);
    }
    let made = journal.create_client(
        &ClientInput {
            name: "Ada Power".into(),
            ..ClientInput::default()
        },
        rapport::Stage::default(),
        Utc::now(),
    )?;
    Ok(made.id)
}
