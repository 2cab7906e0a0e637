//! CSV files of contacts: LinkedIn's `Connections.csv`, Google Contacts, Outlook, or any CSV with
//! a header row, whose columns are mapped to a client's fields by a guess the user can change.

use crate::error::{Error, Problem, Result};

use super::rows::{check_client, map_row};
use super::text::{decode, file_error};
use super::{Field, Parsed, ParsedRow, PREVIEW_ROWS};

fn normal_header(h: &str) -> String {
    h.trim()
        .trim_matches('"')
        .to_lowercase()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// The field a header most likely names; `has_job_title` tells Outlook's `Title` (Mr, Dr)
/// from a role.
pub fn guess_field(header: &str, has_job_title: bool) -> Field {
    let h = normal_header(header);
    let h = h.as_str();
    let excluded = [
        "type",
        "label",
        "display",
        "fax",
        "assistant",
        "tty",
        "radio",
        "callback",
    ];
    match h {
        "name" | "full name" | "display name" | "contact name" | "contact" | "fn" | "person" => {
            Field::Name
        }
        "first name" | "firstname" | "first" | "given name" | "givenname" | "forename" => {
            Field::FirstName
        }
        "middle name" | "middle" | "additional name" | "middlename" => Field::MiddleName,
        "last name" | "lastname" | "last" | "family name" | "surname" | "familyname" => {
            Field::LastName
        }
        "company"
        | "organisation"
        | "organization"
        | "organization name"
        | "org"
        | "employer"
        | "organization 1 - name"
        | "company name"
        | "account name" => Field::Organisation,
        "title" if has_job_title => Field::Ignore,
        "position"
        | "job title"
        | "title"
        | "role"
        | "organization title"
        | "jobtitle"
        | "organization 1 - title"
        | "job" => Field::Role,
        "notes" | "note" | "comments" | "comment" | "description" | "about" | "profile" => {
            Field::Notes
        }
        "tags" | "tag" | "labels" | "groups" | "group membership" | "categories" | "category" => {
            Field::Tags
        }
        "url" | "website" | "web page" | "web site" | "linkedin" | "linkedin url"
        | "profile url" | "connected on" | "birthday" | "website 1 - value" => Field::Fact,
        _ if excluded.iter().any(|x| h.contains(x)) => Field::Ignore,
        _ if h.contains("mail") => Field::Email,
        _ if h.contains("phone") || h == "mobile" || h == "tel" || h == "telephone" => Field::Phone,
        _ => Field::Ignore,
    }
}

/// The guessed mapping of a header row.
pub fn guess_mapping(headers: &[String]) -> Vec<Field> {
    let has_job_title = headers.iter().any(|h| normal_header(h) == "job title");
    headers
        .iter()
        .map(|h| guess_field(h, has_job_title))
        .collect()
}

fn csv_source(headers: &[String]) -> &'static str {
    let has = |name: &str| headers.iter().any(|h| normal_header(h) == name);
    if has("connected on") {
        "LinkedIn connections"
    } else if has("e-mail 1 - value") || has("organization 1 - name") || has("organization name") {
        "Google Contacts"
    } else if has("e-mail address") && (has("job title") || has("business phone")) {
        "Outlook contacts"
    } else {
        "CSV"
    }
}

/// Where a record really starts: the reader reports the offset before the line break (and
/// blank lines) that precede it.
fn record_start(raw: &[u8], offset: u64) -> u64 {
    let mut i = usize::try_from(offset).unwrap_or(usize::MAX).min(raw.len());
    while i < raw.len() && (raw[i] == b'\r' || raw[i] == b'\n') {
        i += 1;
    }
    i as u64
}

/// The line (from 1) holding byte `offset`, given the offsets of every line break.
fn line_at(newlines: &[u64], offset: u64) -> u64 {
    newlines.partition_point(|&n| n < offset) as u64 + 1
}

fn is_name_field(f: &Field) -> bool {
    matches!(
        f,
        Field::Name | Field::FirstName | Field::MiddleName | Field::LastName
    )
}

/// Every record of a CSV text with the line it starts on, and a problem for a record that
/// cannot be read (the reader cannot go on reliably past one).
fn records(text: &str) -> (Vec<(u64, Vec<String>)>, Vec<Problem>) {
    let mut reader = ::csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes());
    // Lines are counted from byte offsets: a record's own line count would not see the
    // line breaks inside quoted fields of earlier records the same way an editor does.
    let raw = text.as_bytes();
    let newlines: Vec<u64> = raw
        .iter()
        .enumerate()
        .filter(|(_, b)| **b == b'\n')
        .map(|(i, _)| i as u64)
        .collect();
    let mut records: Vec<(u64, Vec<String>)> = Vec::new();
    let mut problems = Vec::new();
    let mut record = ::csv::StringRecord::new();
    loop {
        match reader.read_record(&mut record) {
            Ok(false) => break,
            Ok(true) => records.push((
                record
                    .position()
                    .map_or(0, |p| line_at(&newlines, record_start(raw, p.byte()))),
                record.iter().map(str::to_string).collect(),
            )),
            Err(e) => {
                let line = e
                    .position()
                    .map(|p| line_at(&newlines, record_start(raw, p.byte())));
                problems.push(Problem {
                    line,
                    reason: format!("cannot be read as CSV: {e}"),
                });
                break;
            }
        }
    }
    (records, problems)
}

/// The mapping of a header row: `mapping` as given (one field per cell) or a guess; either
/// must map a column to a name.
fn mapping_of(headers: &[String], mapping: Option<&[Field]>) -> Result<Vec<Field>> {
    let mapping = match mapping {
        Some(m) if m.len() != headers.len() => {
            return Err(Error::invalid(
                "mapping",
                format!(
                    "has {} columns but the file's header has {}",
                    m.len(),
                    headers.len()
                ),
            ))
        }
        Some(m) => m.to_vec(),
        None => guess_mapping(headers),
    };
    if !mapping.iter().any(is_name_field) {
        return Err(Error::invalid(
            "mapping",
            "no column is mapped to a name (name, or first and last name)",
        ));
    }
    Ok(mapping)
}

/// Reads a CSV file of clients: finds its header row (skipping a preamble such as LinkedIn's
/// notes), maps its columns (`mapping`, or a guess), and checks every row.
pub fn parse_csv(bytes: &[u8], mapping: Option<&[Field]>) -> Result<Parsed> {
    let text = decode(bytes)?;
    let (records, mut problems) = records(&text.text);
    // The header: the first of the first rows that names at least two known fields, one of
    // them a name; else the first row.
    let header_at = records
        .iter()
        .take(30)
        .position(|(_, cells)| {
            let guessed = guess_mapping(cells);
            guessed.iter().filter(|f| **f != Field::Ignore).count() >= 2
                && guessed.iter().any(is_name_field)
        })
        .unwrap_or(0);
    let Some((header_line, headers)) = records.get(header_at).cloned() else {
        return Err(file_error("the file has no rows"));
    };
    let mapping = mapping_of(&headers, mapping)?;
    let mut rows = Vec::new();
    let mut sample_rows = Vec::new();
    for (line, mut cells) in records.into_iter().skip(header_at + 1) {
        if cells.iter().all(|c| c.trim().is_empty()) {
            continue;
        }
        if cells.len() > headers.len() {
            if cells[headers.len()..].iter().any(|c| !c.trim().is_empty()) {
                problems.push(Problem {
                    line: Some(line),
                    reason: format!(
                        "has {} fields but the header has {}",
                        cells.len(),
                        headers.len()
                    ),
                });
                continue;
            }
            cells.truncate(headers.len());
        }
        cells.resize(headers.len(), String::new());
        if sample_rows.len() < PREVIEW_ROWS {
            sample_rows.push(cells.clone());
        }
        match check_client(&map_row(&headers, &mapping, &cells)) {
            Ok(client) => rows.push(ParsedRow { line, client }),
            Err(reason) => problems.push(Problem {
                line: Some(line),
                reason,
            }),
        }
    }
    problems.sort_by_key(|p| p.line);
    Ok(Parsed {
        source: csv_source(&headers).into(),
        encoding: text.encoding.into(),
        headers,
        mapping,
        header_line: Some(header_line),
        sample_rows,
        rows,
        problems,
    })
}
