//! `rapport`: the journal from the command line, with no window. It shares every line of import
//! and export with the window; this file only reads the arguments and prints.
//!
//! ```text
//! rapport import FILE --journal DIR [--dry-run] [--json] [--encoding LABEL] [--delimiter C]
//!                     [--duplicates import|skip|merge]
//! rapport export --journal DIR --format json|csv|touches-csv|ics [--out FILE]
//! rapport backup --journal DIR
//! rapport restore BACKUP --journal DIR
//! ```

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use chrono::Utc;
use rapport::{DuplicateChoice, DuplicateChoices, ExportKind, ImportOptions, Journal, Report};

const HELP: &str = "\
rapport: Rapport's journal from the command line

Usage:
  rapport import FILE --journal DIR [options]
      Reads a contacts file (CSV, vCard) or a Rapport journal (JSON) as the window's import
      does, prints what it holds (each client's line, name, organisation, emails, phones and
      dates; each row left out with its reason; each value dropped or changed), and imports
      the clients it accepts into the journal in DIR.
        --dry-run           print only; write nothing
        --json              print the report as JSON (its shape is in the README)
        --encoding LABEL    read the text in this encoding (utf-8, windows-1252, shift_jis, ...)
        --delimiter C       a CSV's delimiter: , ; tab |
        --duplicates WHAT   rows that look like someone already known: import (as new
                            clients, the default), skip, or merge (into that client)

  rapport export --journal DIR --format FORMAT [--out FILE]
      Writes an export of the journal in DIR: json (the whole journal), csv (clients),
      touches-csv, or ics (open follow-ups). To standard output unless --out is given.

  rapport backup --journal DIR
      Takes a backup of the journal in DIR now, as the window's \"Back up now\" does: into
      DIR/backups, checked whole, the oldest beyond the kept number removed. Prints its path.

  rapport restore BACKUP --journal DIR
      Puts the backup file BACKUP in place of the journal in DIR, as the window's Restore
      does: the backup checked first, the journal it replaces kept beside it. Refused while
      the journal is open (quit Rapport first).

DIR is the data folder holding journal.sqlite3 (the window's is shown in its side bar).
";

/// What the command line asks for.
enum Command {
    Import {
        file: PathBuf,
        journal: PathBuf,
        dry_run: bool,
        json: bool,
        options: ImportOptions,
        duplicates: DuplicateChoice,
    },
    Export {
        journal: PathBuf,
        kind: ExportKind,
        out: Option<PathBuf>,
    },
    Backup {
        journal: PathBuf,
    },
    Restore {
        backup: PathBuf,
        journal: PathBuf,
    },
    Help,
}

fn export_kind(format: &str) -> Result<ExportKind, String> {
    Ok(match format {
        "json" => ExportKind::Journal,
        "csv" => ExportKind::ClientsCsv,
        "touches-csv" => ExportKind::TouchesCsv,
        "ics" => ExportKind::FollowUpsIcs,
        other => {
            return Err(format!(
                "--format {other:?}: choose json, csv, touches-csv or ics"
            ))
        }
    })
}

fn parse_args() -> Result<Command, lexopt::Error> {
    use lexopt::prelude::*;
    let mut parser = lexopt::Parser::from_env();
    let (mut verb, mut file, mut journal, mut out, mut format) = (None, None, None, None, None);
    let (mut dry_run, mut json) = (false, false);
    let mut duplicates = DuplicateChoice::Import;
    let mut options = ImportOptions::default();
    while let Some(arg) = parser.next()? {
        match arg {
            Short('h') | Long("help") => return Ok(Command::Help),
            Long("journal") => journal = Some(PathBuf::from(parser.value()?)),
            Long("out") => out = Some(PathBuf::from(parser.value()?)),
            Long("format") => format = Some(parser.value()?.string()?),
            Long("encoding") => options.encoding = Some(parser.value()?.string()?),
            Long("delimiter") => {
                let d = parser.value()?.string()?;
                options.delimiter = Some(match d.as_str() {
                    "tab" | "\\t" => '\t',
                    one if one.chars().count() == 1 => one.chars().next().unwrap_or(','),
                    _ => return Err(format!("--delimiter {d:?}: one character, or tab").into()),
                });
            }
            Long("dry-run") => dry_run = true,
            Long("json") => json = true,
            Long("duplicates") => {
                duplicates = match parser.value()?.string()?.as_str() {
                    "import" => DuplicateChoice::Import,
                    "skip" => DuplicateChoice::Skip,
                    "merge" => DuplicateChoice::Merge,
                    other => {
                        return Err(format!("--duplicates {other:?}: import, skip or merge").into())
                    }
                }
            }
            Value(v) if verb.is_none() => verb = Some(v.string()?),
            Value(v) if file.is_none() => file = Some(PathBuf::from(v)),
            _ => return Err(arg.unexpected()),
        }
    }
    let journal = || {
        journal
            .clone()
            .ok_or("--journal DIR is needed: the data folder")
    };
    match verb.as_deref() {
        Some("import") => Ok(Command::Import {
            file: file.ok_or("import needs the FILE to read")?,
            journal: journal()?,
            dry_run,
            json,
            options,
            duplicates,
        }),
        Some("export") => Ok(Command::Export {
            journal: journal()?,
            kind: export_kind(&format.ok_or("export needs --format json|csv|touches-csv|ics")?)?,
            out,
        }),
        Some("backup") => Ok(Command::Backup {
            journal: journal()?,
        }),
        Some("restore") => Ok(Command::Restore {
            backup: file.ok_or("restore needs the BACKUP file to put in place")?,
            journal: journal()?,
        }),
        Some(other) => {
            Err(format!("no command {other:?}: import, export, backup or restore").into())
        }
        None => Ok(Command::Help),
    }
}

/// Opens (or makes) the journal in the data folder `dir`.
fn open(dir: &std::path::Path) -> Result<Journal, String> {
    rapport::create_private_dir(dir).map_err(|e| e.to_string())?;
    Journal::open(dir.join(rapport::FILE_NAME)).map_err(|e| e.to_string())
}

/// The report in words, a line per client, row left out and warning.
fn print_report(out: &mut impl Write, r: &Report) -> std::io::Result<()> {
    let delimiter = match r.delimiter {
        Some('\t') => ", tab-separated".to_string(),
        Some(d) => format!(", separated by {d:?}"),
        None => String::new(),
    };
    writeln!(out, "{} (read as {}{delimiter})", r.source, r.encoding)?;
    writeln!(
        out,
        "{} ready to import, {} left out, {} dropped or changed",
        r.accepted.len(),
        r.skipped.len(),
        r.warnings.len()
    )?;
    for a in &r.accepted {
        let mut parts = vec![a.name.clone()];
        parts.extend((!a.organisation.is_empty()).then(|| a.organisation.clone()));
        parts.extend(a.emails.iter().cloned());
        parts.extend(a.phones.iter().cloned());
        parts.extend(a.dates.iter().map(|d| format!("{} {}", d.label, d.value)));
        writeln!(out, "  line {:>5}  {}", a.line, parts.join(" · "))?;
    }
    if !r.skipped.is_empty() {
        writeln!(out, "Left out:")?;
        for s in &r.skipped {
            writeln!(out, "  line {:>5}  {}", s.line, s.reason)?;
        }
    }
    if !r.warnings.is_empty() {
        writeln!(out, "Dropped or changed:")?;
        for w in &r.warnings {
            writeln!(out, "  line {:>5}  {}: {}", w.line, w.field, w.message)?;
        }
    }
    for p in &r.problems {
        writeln!(out, "Cannot be imported: {}", p.reason)?;
    }
    Ok(())
}

fn run(command: Command) -> Result<(), String> {
    let mut stdout = std::io::stdout().lock();
    let io = |e: std::io::Error| e.to_string();
    match command {
        Command::Help => stdout.write_all(HELP.as_bytes()).map_err(io),
        Command::Import {
            file,
            journal,
            dry_run,
            json,
            options,
            duplicates,
        } => {
            let bytes =
                std::fs::read(&file).map_err(|e| format!("reading {}: {e}", file.display()))?;
            let mut report = rapport::report(&bytes, &options).map_err(|e| e.to_string())?;
            if !dry_run {
                let mut j = open(&journal)?;
                let done = j
                    .import(
                        &bytes,
                        &options,
                        &DuplicateChoices::all(duplicates),
                        Utc::now(),
                    )
                    .map_err(|e| e.to_string())?;
                report.imported = Some(done.client_ids.len());
                if !done.merged.is_empty() && !json {
                    writeln!(
                        stdout,
                        "Merged {} rows into clients already known",
                        done.merged.len()
                    )
                    .map_err(io)?;
                }
            }
            if json {
                serde_json::to_writer_pretty(&mut stdout, &report).map_err(|e| e.to_string())?;
                writeln!(stdout).map_err(io)?;
            } else {
                print_report(&mut stdout, &report).map_err(io)?;
                match report.imported {
                    Some(n) => writeln!(
                        stdout,
                        "Imported {n} clients into {}",
                        journal.join(rapport::FILE_NAME).display()
                    ),
                    None => writeln!(stdout, "Dry run: nothing was written."),
                }
                .map_err(io)?;
            }
            Ok(())
        }
        Command::Backup { journal } => {
            let path = journal.join(rapport::FILE_NAME);
            if !path.exists() {
                return Err(format!("no journal at {}", path.display()));
            }
            let j = Journal::open(&path).map_err(|e| e.to_string())?;
            let taken = j
                .back_up_now(rapport::backups_dir(&path), Utc::now())
                .map_err(|e| e.to_string())?;
            writeln!(stdout, "{}", taken.path.display()).map_err(io)
        }
        Command::Restore { backup, journal } => {
            let restored = rapport::restore_backup(
                journal.join(rapport::FILE_NAME),
                &backup,
                None,
                Utc::now(),
            )
            .map_err(|e| e.to_string())?;
            writeln!(stdout, "Restored {}", backup.display()).map_err(io)?;
            match restored.set_aside {
                Some(aside) => writeln!(stdout, "The journal it replaced: {}", aside.display()),
                None => Ok(()),
            }
            .map_err(io)
        }
        Command::Export { journal, kind, out } => {
            let path = journal.join(rapport::FILE_NAME);
            if !path.exists() {
                return Err(format!("no journal at {}", path.display()));
            }
            let j = Journal::open(&path).map_err(|e| e.to_string())?;
            let bytes = j
                .export_bytes(kind, Utc::now())
                .map_err(|e| e.to_string())?;
            match out {
                Some(file) => rapport::write_private(&file, &bytes).map_err(|e| e.to_string()),
                None => stdout.write_all(&bytes).map_err(io),
            }
        }
    }
}

fn main() -> ExitCode {
    let command = match parse_args() {
        Ok(c) => c,
        Err(e) => {
            eprintln!("rapport: {e}\n\n{HELP}");
            return ExitCode::from(2);
        }
    };
    match run(command) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("rapport: {e}");
            ExitCode::FAILURE
        }
    }
}
