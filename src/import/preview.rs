//! Likely duplicates (against the journal and earlier rows of the file), previews, and the
//! imports themselves, each written in one transaction.

use std::collections::{HashMap, HashSet};

use chrono::{DateTime, Utc};

use crate::archive::parse_journal_json;
use crate::error::{Error, Problem, Result};
use crate::journal::Journal;
use crate::model::{ClientInput, Stage};
use crate::validate;

use super::text::file_error;
use super::{
    parse_csv, parse_vcard, Duplicate, Field, ImportFormat, Imported, Parsed, Preview, PREVIEW_ROWS,
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
            headers: parsed.headers,
            mapping: parsed.mapping,
            header_line: parsed.header_line,
            sample_rows: parsed.sample_rows,
            sample: parsed
                .rows
                .iter()
                .take(PREVIEW_ROWS)
                .map(|r| r.client.clone())
                .collect(),
            rows: parsed.rows.len() + parsed.problems.len(),
            problems: parsed.problems,
            duplicates,
        })
    }

    /// Previews any importable file, of the format [`ImportFormat::of`] tells: a CSV with
    /// `mapping` (one field per header cell) or a guessed one; `mapping` means nothing to the
    /// other formats.
    pub fn preview_import(&self, bytes: &[u8], mapping: Option<&[Field]>) -> Result<Preview> {
        match ImportFormat::of(bytes) {
            ImportFormat::Json => self.preview_json(bytes),
            ImportFormat::Vcard => self.preview_vcard(bytes),
            ImportFormat::Csv => self.preview_csv(bytes, mapping),
        }
    }

    /// Imports any importable file as [`Journal::preview_import`] previewed it: a CSV with
    /// `mapping` (else the guessed one) and a vCard as new clients, each at stage *me too*,
    /// leaving out the likely duplicates when `skip_duplicates`; a Rapport journal into an empty
    /// journal. All of it is written in one transaction, or, if any row is bad, none of it.
    pub fn import(
        &mut self,
        bytes: &[u8],
        mapping: Option<&[Field]>,
        skip_duplicates: bool,
        now: DateTime<Utc>,
    ) -> Result<Imported> {
        match ImportFormat::of(bytes) {
            ImportFormat::Json => self.import_json(bytes),
            ImportFormat::Vcard => self.import_vcard(bytes, skip_duplicates, now),
            ImportFormat::Csv => {
                let parsed = parse_csv(bytes, mapping)?;
                self.import_parsed(parsed, skip_duplicates, now)
            }
        }
    }

    /// Previews a CSV file of clients with `mapping` (one field per header cell), or with a
    /// guessed one.
    pub fn preview_csv(&self, bytes: &[u8], mapping: Option<&[Field]>) -> Result<Preview> {
        let parsed = parse_csv(bytes, mapping)?;
        self.preview_parsed(ImportFormat::Csv, parsed)
    }

    /// Previews a vCard file.
    pub fn preview_vcard(&self, bytes: &[u8]) -> Result<Preview> {
        let parsed = parse_vcard(bytes)?;
        self.preview_parsed(ImportFormat::Vcard, parsed)
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
            headers: Vec::new(),
            mapping: Vec::new(),
            header_line: None,
            sample_rows: Vec::new(),
            sample: clients.iter().take(PREVIEW_ROWS).cloned().collect(),
            rows: clients.len(),
            problems,
            duplicates,
        })
    }

    fn import_parsed(
        &mut self,
        parsed: Parsed,
        skip_duplicates: bool,
        now: DateTime<Utc>,
    ) -> Result<Imported> {
        if !parsed.problems.is_empty() {
            return Err(Error::Rejected {
                problems: parsed.problems,
            });
        }
        if parsed.rows.is_empty() {
            return Err(file_error("the file holds no clients"));
        }
        let skip: HashSet<Option<u64>> = if skip_duplicates {
            let rows: Vec<(Option<u64>, &ClientInput)> = parsed
                .rows
                .iter()
                .map(|r| (Some(r.line), &r.client))
                .collect();
            self.duplicates(&rows)?
                .into_iter()
                .map(|d| d.line)
                .collect()
        } else {
            Default::default()
        };
        let skipped_duplicates = skip.len();
        let client_ids = self.write(|tx| {
            parsed
                .rows
                .iter()
                .filter(|r| !skip.contains(&Some(r.line)))
                .map(|r| {
                    crate::clients::insert_client_tx(tx, &r.client, Stage::default(), false, now)
                })
                .collect::<Result<Vec<i64>>>()
        })?;
        Ok(Imported {
            client_ids,
            skipped_duplicates,
        })
    }

    /// Imports the clients of a CSV file with `mapping` (one field per header cell, as the
    /// preview gave or the user changed it), all in one transaction, each at stage *me too*.
    /// Any bad row refuses the whole file with [`Error::Rejected`], naming each bad line.
    /// With `skip_duplicates`, rows that look like someone already known are left out.
    pub fn import_clients_csv(
        &mut self,
        bytes: &[u8],
        mapping: &[Field],
        skip_duplicates: bool,
        now: DateTime<Utc>,
    ) -> Result<Imported> {
        let parsed = parse_csv(bytes, Some(mapping))?;
        self.import_parsed(parsed, skip_duplicates, now)
    }

    /// Imports the cards of a vCard file as clients, as [`Journal::import_clients_csv`] does.
    pub fn import_vcard(
        &mut self,
        bytes: &[u8],
        skip_duplicates: bool,
        now: DateTime<Utc>,
    ) -> Result<Imported> {
        let parsed = parse_vcard(bytes)?;
        self.import_parsed(parsed, skip_duplicates, now)
    }
}
