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
//!
//! Each takes `--passphrase-stdin`: the journal's passphrase on standard input, for a desktop
//! with no keyring (never as an argument, where other users of the machine can read it).

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use chrono::Utc;
use rapport::{DuplicateChoice, DuplicateChoices, ExportKind, ImportOptions, Journal, Key, Report};
use zeroize::Zeroizing;

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

The journal is encrypted; its key is taken from the desktop's keyring, as the window takes it.
  --passphrase-stdin  read the journal's passphrase from standard input instead (one line):
                      for a desktop with no keyring, or a keyring without this journal's key.
                      A journal made this way is encrypted, its key wrapped by that passphrase.
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

fn parse_args() -> Result<(Command, bool), lexopt::Error> {
    use lexopt::prelude::*;
    let mut parser = lexopt::Parser::from_env();
    let (mut verb, mut file, mut journal, mut out, mut format) = (None, None, None, None, None);
    let (mut dry_run, mut json, mut passphrase_stdin) = (false, false, false);
    let mut duplicates = DuplicateChoice::Import;
    let mut options = ImportOptions::default();
    while let Some(arg) = parser.next()? {
        match arg {
            Short('h') | Long("help") => return Ok((Command::Help, false)),
            Long("passphrase-stdin") => passphrase_stdin = true,
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
    let command = match verb.as_deref() {
        Some("import") => Command::Import {
            file: file.ok_or("import needs the FILE to read")?,
            journal: journal()?,
            dry_run,
            json,
            options,
            duplicates,
        },
        Some("export") => Command::Export {
            journal: journal()?,
            kind: export_kind(&format.ok_or("export needs --format json|csv|touches-csv|ics")?)?,
            out,
        },
        Some("backup") => Command::Backup {
            journal: journal()?,
        },
        Some("restore") => Command::Restore {
            backup: file.ok_or("restore needs the BACKUP file to put in place")?,
            journal: journal()?,
        },
        Some(other) => {
            return Err(format!("no command {other:?}: import, export, backup or restore").into())
        }
        None => Command::Help,
    };
    Ok((command, passphrase_stdin))
}

/// Where the journal's key comes from: the desktop's keyring, or a passphrase read from
/// standard input.
enum KeySource {
    Keyring,
    Passphrase(Zeroizing<String>),
}

impl KeySource {
    fn from_stdin() -> Result<KeySource, String> {
        let mut line = Zeroizing::new(String::new());
        std::io::stdin()
            .read_line(&mut line)
            .map_err(|e| format!("reading the passphrase from standard input: {e}"))?;
        let passphrase = Zeroizing::new(line.trim_end_matches(['\n', '\r']).to_string());
        if passphrase.is_empty() {
            return Err("--passphrase-stdin: standard input gave no passphrase".into());
        }
        Ok(KeySource::Passphrase(passphrase))
    }

    /// The key of the journal in the data folder `dir` (`None`: a journal in plain text from an
    /// earlier Rapport). With `create`, a journal not there yet gets a new key, kept where this
    /// source keeps it.
    fn key(&self, dir: &Path, create: bool) -> Result<Option<Key>, String> {
        let path = dir.join(rapport::FILE_NAME);
        let exists = std::fs::metadata(&path).is_ok_and(|m| m.len() > 0);
        if exists && (Journal::in_plain_text(&path) || !Journal::may_be_encrypted(&path)) {
            return Ok(None);
        }
        if !exists && !create {
            return Err(format!("no journal at {}", path.display()));
        }
        let key_file = dir.join(rapport::KEY_FILE_NAME);
        let keyring = rapport_keyring::Keyring::session();
        let name = rapport_keyring::journal_name(dir);
        let key = match self {
            KeySource::Passphrase(passphrase) if exists => {
                rapport::read_key_file(&key_file, passphrase).map_err(|e| e.to_string())?
            }
            KeySource::Passphrase(passphrase) => {
                rapport::check_passphrase(passphrase).map_err(|e| e.to_string())?;
                let key = Key::generate().map_err(|e| e.to_string())?;
                rapport::write_key_file(&key_file, &key, passphrase).map_err(|e| e.to_string())?;
                // Kept in the keyring too, where there is one: the window then opens it without
                // asking.
                if keyring.check().is_ok() {
                    let _ = keyring.store(&name, key.as_bytes());
                }
                key
            }
            KeySource::Keyring => match keyring.load(&name) {
                Ok(Some(bytes)) => {
                    let bytes: [u8; rapport::KEY_LEN] = bytes.as_slice().try_into().map_err(|_| {
                        "the key the desktop's keyring holds for this journal is not a Rapport key"
                            .to_string()
                    })?;
                    Key::from_bytes(bytes)
                }
                Ok(None) if !exists => {
                    let key = Key::generate().map_err(|e| e.to_string())?;
                    keyring
                        .store(&name, key.as_bytes())
                        .map_err(|t| format!("keeping the new journal's key: {t}"))?;
                    key
                }
                Ok(None) => {
                    return Err(format!(
                        "the desktop's keyring holds no key for {}: give its passphrase with \
                         --passphrase-stdin",
                        path.display()
                    ))
                }
                Err(rapport_keyring::Trouble::Locked) => {
                    return Err(
                        "the desktop's keyring is locked: unlock it (log in to the \
                                desktop), or give the journal's passphrase with --passphrase-stdin"
                            .into(),
                    )
                }
                Err(trouble) => {
                    return Err(format!(
                        "the journal's key could not be taken from the keyring: {trouble}; give \
                         its passphrase with --passphrase-stdin"
                    ))
                }
            },
        };
        Ok(Some(key))
    }

    /// Opens (or, with `create`, makes) the journal in the data folder `dir`.
    fn open(&self, dir: &Path, create: bool) -> Result<Journal, String> {
        if create {
            rapport::create_private_dir(dir).map_err(|e| e.to_string())?;
        }
        let path = dir.join(rapport::FILE_NAME);
        match self.key(dir, create)? {
            Some(key) => Journal::open_encrypted(&path, &key),
            None => Journal::open(&path),
        }
        .map_err(|e| e.to_string())
    }
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

fn run(command: Command, source: &KeySource) -> Result<(), String> {
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
                let mut j = source.open(&journal, true)?;
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
            let j = source.open(&journal, false)?;
            let taken = j
                .back_up_now(rapport::backups_dir(&path), Utc::now())
                .map_err(|e| e.to_string())?;
            writeln!(stdout, "{}", taken.path.display()).map_err(io)
        }
        Command::Restore { backup, journal } => {
            let key = source.key(&journal, false)?;
            let restored = rapport::restore_backup(
                journal.join(rapport::FILE_NAME),
                &backup,
                key.as_ref(),
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
            let j = source.open(&journal, false)?;
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
    let (command, passphrase_stdin) = match parse_args() {
        Ok(c) => c,
        Err(e) => {
            eprintln!("rapport: {e}\n\n{HELP}");
            return ExitCode::from(2);
        }
    };
    let source = if passphrase_stdin {
        match KeySource::from_stdin() {
            Ok(source) => source,
            Err(e) => {
                eprintln!("rapport: {e}");
                return ExitCode::FAILURE;
            }
        }
    } else {
        KeySource::Keyring
    };
    match run(command, &source) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("rapport: {e}");
            ExitCode::FAILURE
        }
    }
}
