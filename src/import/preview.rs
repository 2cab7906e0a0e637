//! Likely duplicates (against the journal and earlier rows of the file), previews, and the
//! imports themselves, each written in one transaction.

use std::collections::HashMap;

use chrono::{DateTime, Utc};

use crate::archive::parse_journal_json;
use crate::clients::{read_client, update_client_tx};
use crate::error::{Error, Problem, Result};
use crate::journal::Journal;
use crate::merge::combine;
use crate::model::{ClientInput, Stage};
use crate::validate;

use super::text::file_error;
use super::{
    parse_csv, parse_vcard, Duplicate, DuplicateChoice, DuplicateChoices, ImportFormat,
    ImportOptions, Imported, Parsed, Preview, PREVIEW_ROWS,
};

fn name_key(name: &str, organisation: &str) -> String {
    let fold = |s: &str| {
        validate::sort_key(s)
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
    };
    format!("{}\u{1}{}", fold(name), fold(organisation))
}

impl Journal {
    fn duplicates(&self, rows: &[(Option<u64>, &ClientInput)]) -> Result<Vec<Duplicate>> {
        let known: Vec<(i64, String, String, String)> = self
            .conn
            .prepare("SELECT id, name, organisation, email FROM client ORDER BY id")
            .and_then(|mut s| {
                s.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))?
                    .collect()
            })
            .map_err(Error::context("Looking for duplicates"))?;
        let mut by_email: HashMap<String, (i64, String)> = HashMap::new();
        let mut by_name: HashMap<String, (i64, String)> = HashMap::new();
        for (id, name, org, email) in known {
            if !email.is_empty() {
                by_email
                    .entry(email.to_lowercase())
                    .or_insert((id, name.clone()));
            }
            by_name.entry(name_key(&name, &org)).or_insert((id, name));
        }
        let mut seen_email: HashMap<String, Option<u64>> = HashMap::new();
        let mut seen_name: HashMap<String, Option<u64>> = HashMap::new();
        let mut found = Vec::new();
        for (line, c) in rows {
            let email = c.email.to_lowercase();
            let key = name_key(&c.name, &c.organisation);
            let dup = |reason: String, existing: Option<i64>, other: Option<u64>| Duplicate {
                line: *line,
                name: c.name.clone(),
                reason,
                existing_client_id: existing,
                other_line: other,
            };
            let at =
                |l: Option<u64>| l.map_or("earlier in the file".into(), |l| format!("on line {l}"));
            if let Some((id, name)) = by_email.get(&email).filter(|_| !email.is_empty()) {
                found.push(dup(
                    format!("same email as {name}, already in the journal"),
                    Some(*id),
                    None,
                ));
            } else if let Some((id, name)) = by_name.get(&key) {
                found.push(dup(
                    format!("same name and organisation as {name}, already in the journal"),
                    Some(*id),
                    None,
                ));
            } else if let Some(other) = seen_email.get(&email).filter(|_| !email.is_empty()) {
                found.push(dup(
                    format!("same email as the row {}", at(*other)),
                    None,
                    *other,
                ));
            } else if let Some(other) = seen_name.get(&key) {
                found.push(dup(
                    format!("same name and organisation as the row {}", at(*other)),
                    None,
                    *other,
                ));
            }
            if !email.is_empty() {
                seen_email.entry(email).or_insert(*line);
            }
            seen_name.entry(key).or_insert(*line);
        }
        Ok(found)
    }

    fn preview_parsed(&self, format: ImportFormat, parsed: Parsed) -> Result<Preview> {
        let rows: Vec<(Option<u64>, &ClientInput)> = parsed
            .rows
            .iter()
            .map(|r| (Some(r.line), &r.client))
            .collect();
        let duplicates = self.duplicates(&rows)?;
        Ok(Preview {
            format,
            source: parsed.source,
            encoding: parsed.encoding,
            delimiter: parsed.delimiter,
            headers: parsed.headers,
            mapping: parsed.mapping,
            header_line: parsed.header_line,
            sample_rows: parsed.sample_rows,
            sample: parsed.rows.iter().take(PREVIEW_ROWS).cloned().collect(),
            rows: parsed.rows.len() + parsed.skipped.len(),
            accepted: parsed.rows.len(),
            skipped: parsed.skipped,
            warnings: parsed.warnings,
            problems: Vec::new(),
            duplicates,
        })
    }

    /// Previews any importable file, of the format [`ImportFormat::of`] tells, read as
    /// `options` say (a CSV's mapping, delimiter, and any text's encoding, else the guesses).
    pub fn preview_import(&self, bytes: &[u8], options: &ImportOptions) -> Result<Preview> {
        match ImportFormat::of(bytes) {
            ImportFormat::Json => self.preview_json(bytes),
            ImportFormat::Vcard => {
                self.preview_parsed(ImportFormat::Vcard, parse_vcard(bytes, options)?)
            }
            ImportFormat::Csv => self.preview_parsed(ImportFormat::Csv, parse_csv(bytes, options)?),
        }
    }

    /// Imports any importable file as [`Journal::preview_import`] previewed it with the same
    /// `options`: the accepted rows of a CSV or vCard as new clients, each at stage *me too*,
    /// the likely duplicates imported, left out or merged as `duplicates` chooses; a Rapport
    /// journal into an empty journal. All of it is written in one transaction, or none of it.
    pub fn import(
        &mut self,
        bytes: &[u8],
        options: &ImportOptions,
        duplicates: &DuplicateChoices,
        now: DateTime<Utc>,
    ) -> Result<Imported> {
        match ImportFormat::of(bytes) {
            ImportFormat::Json => self.import_json(bytes, now),
            ImportFormat::Vcard => {
                self.import_parsed(parse_vcard(bytes, options)?, duplicates, now)
            }
            ImportFormat::Csv => self.import_parsed(parse_csv(bytes, options)?, duplicates, now),
        }
    }

    /// Previews a Rapport JSON export: a problem is listed when this journal is not empty, as
    /// such an import only goes into an empty journal.
    pub fn preview_json(&self, bytes: &[u8]) -> Result<Preview> {
        let (export, mut problems) = match parse_journal_json(bytes) {
            Ok(export) => (Some(export), Vec::new()),
            Err(Error::Rejected { problems }) => (None, problems),
            Err(e) => return Err(e),
        };
        if let Err(e) = self.ensure_empty() {
            problems.insert(
                0,
                Problem {
                    line: None,
                    reason: e.to_string(),
                },
            );
        }
        let clients: Vec<ClientInput> = export
            .as_ref()
            .map(|e| e.clients.iter().map(ClientInput::from).collect())
            .unwrap_or_default();
        let rows: Vec<(Option<u64>, &ClientInput)> = clients.iter().map(|c| (None, c)).collect();
        let duplicates = self.duplicates(&rows)?;
        Ok(Preview {
            format: ImportFormat::Json,
            source: "Rapport journal".into(),
            encoding: "UTF-8".into(),
            delimiter: None,
            headers: Vec::new(),
            mapping: Vec::new(),
            header_line: None,
            sample_rows: Vec::new(),
            sample: clients
                .iter()
                .take(PREVIEW_ROWS)
                .map(|c| super::ParsedRow {
                    line: 0,
                    client: c.clone(),
                    named_from: None,
                })
                .collect(),
            rows: clients.len(),
            accepted: if problems.is_empty() {
                clients.len()
            } else {
                0
            },
            skipped: Vec::new(),
            warnings: Vec::new(),
            problems,
            duplicates,
        })
    }

    fn import_parsed(
        &mut self,
        parsed: Parsed,
        choices: &DuplicateChoices,
        now: DateTime<Utc>,
    ) -> Result<Imported> {
        if parsed.rows.is_empty() {
            return Err(file_error("the file holds no clients"));
        }
        let rows: Vec<(Option<u64>, &ClientInput)> = parsed
            .rows
            .iter()
            .map(|r| (Some(r.line), &r.client))
            .collect();
        let duplicates: HashMap<u64, Duplicate> = self
            .duplicates(&rows)?
            .into_iter()
            .filter_map(|d| Some((d.line?, d)))
            .collect();
        let skipped_rows = parsed.skipped.len();
        let mut imported = Imported {
            skipped_rows,
            ..Imported::default()
        };
        self.write(|tx| {
            // The client each line became, so a row merged into an earlier row of the file
            // finds it.
            let mut made: HashMap<u64, i64> = HashMap::new();
            for row in &parsed.rows {
                let duplicate = duplicates.get(&row.line);
                let choice = duplicate.map_or(DuplicateChoice::Import, |_| choices.of(row.line));
                let target = duplicate.and_then(|d| {
                    d.existing_client_id
                        .or_else(|| d.other_line.and_then(|l| made.get(&l).copied()))
                });
                match (choice, target) {
                    (DuplicateChoice::Skip, _) => imported.skipped_duplicates += 1,
                    (DuplicateChoice::Merge, Some(id)) => {
                        let kept = read_client(tx, id)?;
                        let input = validate::client(&combine(&kept, &row.client))?;
                        update_client_tx(tx, id, &input, now)?;
                        made.insert(row.line, id);
                        imported.merged.push(id);
                    }
                    _ => {
                        let id = crate::clients::insert_client_tx(
                            tx,
                            &row.client,
                            Stage::default(),
                            false,
                            now,
                        )?;
                        made.insert(row.line, id);
                        imported.client_ids.push(id);
                    }
                }
            }
            Ok(())
        })?;
        Ok(imported)
    }
}
