//! Imports: clients from CSV (LinkedIn, Google Contacts, Outlook, or any CSV with a header row)
//! and from vCard files (2.1, 3.0, 4.0), and a whole journal from Rapport's own JSON export.
//!
//! Every import is previewed first: what the file is, how its columns map to a client's fields,
//! a few rows as they will be imported, each line that cannot be, and the likely duplicates
//! (same email, or same name and organisation, in the journal or earlier in the file). An import
//! then checks every row before it writes any, and refuses the whole file, naming each bad line
//! and why, if any row is bad; otherwise it writes all of it in one transaction.
//!
//! Text: UTF-8 (with or without a byte-order mark), UTF-16 with a byte-order mark, or else
//! Windows-1252, which is what Outlook on Windows writes by default; the preview says which.
//! Bytes that are none of these (NUL, or the five bytes Windows-1252 leaves undefined) refuse
//! the file, naming the line.

use std::collections::HashMap;

use chrono::{DateTime, Datelike, Utc};
use serde::{Deserialize, Serialize};

use crate::error::{Error, Problem, Result};
use crate::export::{JournalExport, JSON_FORMAT, JSON_VERSION};
use crate::journal::Journal;
use crate::model::{ClientInput, Fact, Stage, TouchKind};
use crate::validate::{self, LINE_MAX, TEXT_MAX};

/// The largest file an import reads.
pub const IMPORT_MAX_BYTES: usize = 10 * 1024 * 1024;
/// How many rows a preview shows.
pub const PREVIEW_ROWS: usize = 5;

/// What a CSV column holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum Field {
    /// Not imported.
    #[default]
    Ignore,
    /// The whole name.
    Name,
    /// First (given) name: joined with the middle and last names when there is no whole name.
    FirstName,
    /// Middle name.
    MiddleName,
    /// Last (family) name.
    LastName,
    /// Organisation or company.
    Organisation,
    /// Role, position or job title.
    Role,
    /// Email address (of several email columns, the first one filled in is taken).
    Email,
    /// Phone (of several, the first one filled in).
    Phone,
    /// Notes: go into the profile (several are joined).
    Notes,
    /// Tags, separated by `,`, `;` or `:::` (Google's groups; its system groups are left out).
    Tags,
    /// Kept as a fact labelled with the column's header (a profile URL, a birthday, ...).
    Fact,
}

/// The kind of file imported.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ImportFormat {
    /// Comma-separated values with a header row.
    Csv,
    /// vCard (`.vcf`).
    Vcard,
    /// Rapport's own JSON export.
    Json,
}

/// A row that looks like someone already in the journal, or earlier in the file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Duplicate {
    /// The line where the row (or card) starts (`None` for a JSON file).
    pub line: Option<u64>,
    /// The name in the row.
    pub name: String,
    /// Why it looks like a duplicate, in words fit to show.
    pub reason: String,
    /// The client in the journal it looks like, if any.
    pub existing_client_id: Option<i64>,
    /// The earlier line of the file it looks like, if any.
    pub other_line: Option<u64>,
}

/// What an import would do, shown before it is done.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Preview {
    /// The kind of file.
    pub format: ImportFormat,
    /// Where the file seems to come from: `LinkedIn connections`, `Google Contacts`, `Outlook
    /// contacts`, `CSV`, `vCard 3.0`, `Rapport journal`.
    pub source: String,
    /// How its text was read: `UTF-8`, `UTF-16` or `Windows-1252`.
    pub encoding: String,
    /// The CSV header row's cells (empty for other formats).
    pub headers: Vec<String>,
    /// What each header's column holds: guessed, or as given.
    pub mapping: Vec<Field>,
    /// The line of the header row (after any preamble, such as LinkedIn's notes).
    pub header_line: Option<u64>,
    /// The first rows as they are in the file (CSV only).
    pub sample_rows: Vec<Vec<String>>,
    /// The first clients as they would be imported.
    pub sample: Vec<ClientInput>,
    /// How many clients the file holds.
    pub rows: usize,
    /// Each line that cannot be imported; any one refuses the whole file.
    pub problems: Vec<Problem>,
    /// Rows that look like someone already known.
    pub duplicates: Vec<Duplicate>,
}

/// What an import wrote.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Imported {
    /// The new clients' ids, in file order.
    pub client_ids: Vec<i64>,
    /// Rows left out as duplicates, when asked to.
    pub skipped_duplicates: usize,
}

/// One client read from a file, with the line it starts on.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ParsedRow {
    /// Where it starts.
    pub line: u64,
    /// The client, validated.
    pub client: ClientInput,
}

/// A contacts file read and checked, not yet written.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Parsed {
    /// Where the file seems to come from.
    pub source: String,
    /// How its text was read.
    pub encoding: String,
    /// CSV: the header row.
    pub headers: Vec<String>,
    /// CSV: the mapping used.
    pub mapping: Vec<Field>,
    /// CSV: the header row's line.
    pub header_line: Option<u64>,
    /// CSV: the first rows as in the file.
    pub sample_rows: Vec<Vec<String>>,
    /// The rows that can be imported.
    pub rows: Vec<ParsedRow>,
    /// The rows that cannot.
    pub problems: Vec<Problem>,
}

// ---------------------------------------------------------------------------------------------
// Text

/// A file's text and how it was read.
struct Text {
    text: String,
    encoding: &'static str,
}

fn file_error(message: impl Into<String>) -> Error {
    Error::invalid("file", message)
}

fn check_size(bytes: &[u8]) -> Result<()> {
    if bytes.len() > IMPORT_MAX_BYTES {
        return Err(file_error(format!(
            "the file is {:.1} MB; Rapport imports files of at most {} MB",
            bytes.len() as f64 / 1_048_576.0,
            IMPORT_MAX_BYTES / 1_048_576
        )));
    }
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Err(file_error("the file is empty"));
    }
    Ok(())
}

fn line_of(bytes: &[u8], offset: usize) -> usize {
    bytes[..offset.min(bytes.len())]
        .iter()
        .filter(|&&b| b == b'\n')
        .count()
        + 1
}

/// Windows-1252's characters for 0x80..=0x9F (`None`: undefined).
const CP1252_HIGH: [Option<char>; 32] = [
    Some('\u{20AC}'),
    None,
    Some('\u{201A}'),
    Some('\u{0192}'),
    Some('\u{201E}'),
    Some('\u{2026}'),
    Some('\u{2020}'),
    Some('\u{2021}'),
    Some('\u{02C6}'),
    Some('\u{2030}'),
    Some('\u{0160}'),
    Some('\u{2039}'),
    Some('\u{0152}'),
    None,
    Some('\u{017D}'),
    None,
    None,
    Some('\u{2018}'),
    Some('\u{2019}'),
    Some('\u{201C}'),
    Some('\u{201D}'),
    Some('\u{2022}'),
    Some('\u{2013}'),
    Some('\u{2014}'),
    Some('\u{02DC}'),
    Some('\u{2122}'),
    Some('\u{0161}'),
    Some('\u{203A}'),
    Some('\u{0153}'),
    None,
    Some('\u{017E}'),
    Some('\u{0178}'),
];

fn cp1252(bytes: &[u8]) -> std::result::Result<String, usize> {
    bytes
        .iter()
        .enumerate()
        .map(|(i, &b)| match b {
            0 => Err(i),
            0x80..=0x9F => CP1252_HIGH[usize::from(b - 0x80)].ok_or(i),
            _ => Ok(char::from(b)),
        })
        .collect()
}

fn decode(bytes: &[u8]) -> Result<Text> {
    check_size(bytes)?;
    let not_text = |offset: usize, what: &str| {
        file_error(format!(
            "the file is not text: line {} {what}",
            line_of(bytes, offset)
        ))
    };
    if let Some(rest) = bytes
        .strip_prefix(&[0xFF, 0xFE])
        .or_else(|| bytes.strip_prefix(&[0xFE, 0xFF]))
    {
        let little = bytes[0] == 0xFF;
        if rest.len() % 2 != 0 {
            return Err(file_error("the file is not valid UTF-16 text"));
        }
        let units = rest.chunks_exact(2).map(|c| {
            if little {
                u16::from_le_bytes([c[0], c[1]])
            } else {
                u16::from_be_bytes([c[0], c[1]])
            }
        });
        let text: String = char::decode_utf16(units)
            .collect::<std::result::Result<_, _>>()
            .map_err(|_| file_error("the file is not valid UTF-16 text"))?;
        if text.contains('\0') {
            return Err(file_error(
                "the file is not text: it contains NUL characters",
            ));
        }
        return Ok(Text {
            text,
            encoding: "UTF-16",
        });
    }
    let body = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let skipped = bytes.len() - body.len();
    match std::str::from_utf8(body) {
        Ok(text) => {
            if let Some(i) = text.find('\0') {
                return Err(not_text(i + skipped, "contains a NUL byte"));
            }
            Ok(Text {
                text: text.to_string(),
                encoding: "UTF-8",
            })
        }
        Err(_) => cp1252(body)
            .map(|text| Text {
                text,
                encoding: "Windows-1252",
            })
            .map_err(|i| {
                not_text(
                    i + skipped,
                    &format!(
                        "has a byte (0x{:02X}) that is neither UTF-8 nor Windows-1252",
                        body[i]
                    ),
                )
            }),
    }
}

// ---------------------------------------------------------------------------------------------
// Rows to clients

/// Refuses text that is plainly not contact data: an HTML script.
fn no_script(values: &[(&str, &str)]) -> std::result::Result<(), String> {
    for (field, value) in values {
        let lower = value.to_lowercase();
        if lower.contains("<script") || lower.contains("</script") {
            return Err(format!(
                "{field}: contains an HTML <script> tag, which is not contact data"
            ));
        }
    }
    Ok(())
}

fn describe(e: &Error) -> String {
    e.to_string()
}

fn check_client(client: &ClientInput) -> std::result::Result<ClientInput, String> {
    let mut values: Vec<(&str, &str)> = vec![
        ("name", &client.name),
        ("organisation", &client.organisation),
        ("role", &client.role),
        ("email", &client.email),
        ("phone", &client.phone),
        ("profile", &client.profile),
    ];
    values.extend(client.tags.iter().map(|t| ("tags", t.as_str())));
    for f in &client.facts {
        values.push(("facts.label", &f.label));
        values.push(("facts.value", &f.value));
    }
    no_script(&values)?;
    validate::client(client).map_err(|e| describe(&e))
}

fn split_tags(value: &str) -> Vec<String> {
    value
        .split(":::")
        .flat_map(|part| part.split([',', ';']))
        .map(str::trim)
        .filter(|t| !t.is_empty() && !t.starts_with("* "))
        .map(str::to_string)
        .collect()
}

fn push_tags(tags: &mut Vec<String>, new: Vec<String>) {
    for t in new {
        if !tags.iter().any(|x| x.to_lowercase() == t.to_lowercase()) {
            tags.push(t);
        }
    }
}

fn join_words(parts: &[&str]) -> String {
    parts
        .iter()
        .map(|p| p.trim())
        .filter(|p| !p.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

/// A CSV row, mapped to a client (not yet validated).
fn map_row(headers: &[String], mapping: &[Field], cells: &[String]) -> ClientInput {
    let mut client = ClientInput::default();
    let (mut first, mut middle, mut last) = (Vec::new(), Vec::new(), Vec::new());
    let mut notes: Vec<&str> = Vec::new();
    for ((field, header), cell) in mapping.iter().zip(headers).zip(cells) {
        let value = cell.trim();
        if value.is_empty() {
            continue;
        }
        let fill = |slot: &mut String| {
            if slot.is_empty() {
                *slot = value.to_string();
            }
        };
        match field {
            Field::Ignore => {}
            Field::Name => fill(&mut client.name),
            Field::FirstName => first.push(value),
            Field::MiddleName => middle.push(value),
            Field::LastName => last.push(value),
            Field::Organisation => fill(&mut client.organisation),
            Field::Role => fill(&mut client.role),
            Field::Email => fill(&mut client.email),
            Field::Phone => fill(&mut client.phone),
            Field::Notes => notes.push(value),
            Field::Tags => push_tags(&mut client.tags, split_tags(value)),
            Field::Fact => client.facts.push(Fact {
                label: header.trim().to_string(),
                value: value.to_string(),
            }),
        }
    }
    if client.name.is_empty() {
        let mut parts = first;
        parts.extend(middle);
        parts.extend(last);
        client.name = join_words(&parts);
    }
    client.profile = notes.join("\n\n");
    client
}

// ---------------------------------------------------------------------------------------------
// CSV

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

/// Reads a CSV file of clients: finds its header row (skipping a preamble such as LinkedIn's
/// notes), maps its columns (`mapping`, or a guess), and checks every row.
pub fn parse_csv(bytes: &[u8], mapping: Option<&[Field]>) -> Result<Parsed> {
    let text = decode(bytes)?;
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(text.text.as_bytes());
    // Lines are counted from byte offsets: a record's own line count would not see the
    // line breaks inside quoted fields of earlier records the same way an editor does.
    let raw = text.text.as_bytes();
    let newlines: Vec<u64> = raw
        .iter()
        .enumerate()
        .filter(|(_, b)| **b == b'\n')
        .map(|(i, _)| i as u64)
        .collect();
    let mut records: Vec<(u64, Vec<String>)> = Vec::new();
    let mut problems = Vec::new();
    let mut record = csv::StringRecord::new();
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
                // The reader cannot go on past a broken record reliably.
                break;
            }
        }
    }
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
    let mapping = match mapping {
        Some(m) => {
            if m.len() != headers.len() {
                return Err(Error::invalid(
                    "mapping",
                    format!(
                        "has {} columns but the file's header has {}",
                        m.len(),
                        headers.len()
                    ),
                ));
            }
            m.to_vec()
        }
        None => guess_mapping(&headers),
    };
    if !mapping.iter().any(is_name_field) {
        return Err(Error::invalid(
            "mapping",
            "no column is mapped to a name (name, or first and last name)",
        ));
    }
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

// ---------------------------------------------------------------------------------------------
// vCard

/// One logical line of a vCard: its name, parameters and raw value.
struct Property {
    name: String,
    params: Vec<(String, String)>,
    value: String,
}

impl Property {
    fn param(&self, key: &str) -> Option<&str> {
        self.params
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(key))
            .map(|(_, v)| v.as_str())
    }

    fn has_bare(&self, word: &str) -> bool {
        self.params
            .iter()
            .any(|(k, v)| v.is_empty() && k.eq_ignore_ascii_case(word))
    }

    fn quoted_printable(&self) -> bool {
        self.param("ENCODING")
            .is_some_and(|v| v.eq_ignore_ascii_case("QUOTED-PRINTABLE"))
            || self.has_bare("QUOTED-PRINTABLE")
    }

    fn binary(&self) -> bool {
        self.param("ENCODING")
            .is_some_and(|v| v.eq_ignore_ascii_case("b") || v.eq_ignore_ascii_case("BASE64"))
            || self.has_bare("BASE64")
    }

    /// The value as text: quoted-printable decoded in its charset.
    fn text(&self) -> String {
        self.decoded().replace("\r\n", "\n").replace('\r', "\n")
    }

    fn decoded(&self) -> String {
        if !self.quoted_printable() {
            return self.value.clone();
        }
        let bytes = qp_decode(&self.value);
        let charset = self
            .param("CHARSET")
            .unwrap_or("UTF-8")
            .to_ascii_lowercase();
        let latin = [
            "iso-8859-1",
            "latin1",
            "windows-1252",
            "cp1252",
            "iso-8859-15",
        ];
        if latin.contains(&charset.as_str()) {
            cp1252(&bytes).unwrap_or_else(|_| String::from_utf8_lossy(&bytes).into_owned())
        } else {
            String::from_utf8(bytes.clone()).unwrap_or_else(|_| {
                cp1252(&bytes).unwrap_or_else(|_| String::from_utf8_lossy(&bytes).into_owned())
            })
        }
    }
}

fn qp_decode(value: &str) -> Vec<u8> {
    let bytes = value.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'=' {
            let hex = bytes
                .get(i + 1..i + 3)
                .and_then(|h| std::str::from_utf8(h).ok())
                .and_then(|h| u8::from_str_radix(h, 16).ok());
            if let Some(b) = hex {
                out.push(b);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    out
}

/// Splits a vCard value on unescaped `sep`, then unescapes each part.
fn split_value(value: &str, sep: char) -> Vec<String> {
    let mut parts = vec![String::new()];
    let mut chars = value.chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' => match chars.next() {
                Some('n' | 'N') => parts.last_mut().map_or((), |p| p.push('\n')),
                Some(other) => parts.last_mut().map_or((), |p| p.push(other)),
                None => {}
            },
            c if c == sep => parts.push(String::new()),
            c => parts.last_mut().map_or((), |p| p.push(c)),
        }
    }
    parts
}

fn unescape(value: &str) -> String {
    split_value(value, '\u{0}').concat()
}

fn parse_property(text: &str) -> Option<Property> {
    // The name and parameters end at the first colon outside double quotes.
    let mut quoted = false;
    let colon = text.char_indices().find_map(|(i, c)| match c {
        '"' => {
            quoted = !quoted;
            None
        }
        ':' if !quoted => Some(i),
        _ => None,
    })?;
    let (head, value) = (&text[..colon], &text[colon + 1..]);
    let mut parts = head.split(';');
    let name = parts.next()?.trim();
    let name = name.rsplit('.').next().unwrap_or(name).to_ascii_uppercase();
    let params = parts
        .map(|p| match p.split_once('=') {
            Some((k, v)) => (k.trim().to_string(), v.trim().trim_matches('"').to_string()),
            None => (p.trim().to_string(), String::new()),
        })
        .collect();
    Some(Property {
        name,
        params,
        value: value.to_string(),
    })
}

/// A card's logical lines, folded lines and quoted-printable soft breaks joined.
fn logical_lines(text: &str) -> Vec<(u64, String)> {
    let mut out: Vec<(u64, String)> = Vec::new();
    let mut qp_open = false;
    for (i, raw) in text.split('\n').enumerate() {
        let line_no = (i + 1) as u64;
        let raw = raw.strip_suffix('\r').unwrap_or(raw);
        if qp_open {
            if let Some((_, last)) = out.last_mut() {
                last.pop(); // the soft break's '='
                last.push_str(raw.trim_start());
                qp_open = last.ends_with('=');
                continue;
            }
        }
        if raw.trim().is_empty() {
            continue;
        }
        let continues = raw.starts_with([' ', '\t'])
            // Base64 lines of an old PHOTO, not indented: no colon, not a property.
            || (!raw.contains(':') && !out.is_empty());
        match out.last_mut() {
            Some((_, last)) if continues => {
                let rest = raw.strip_prefix([' ', '\t']).unwrap_or(raw);
                last.push_str(rest);
            }
            _ => out.push((line_no, raw.to_string())),
        }
        if let Some((_, last)) = out.last() {
            let head = last.split(':').next().unwrap_or("").to_ascii_uppercase();
            qp_open = head.contains("QUOTED-PRINTABLE") && last.ends_with('=');
        }
    }
    out
}

fn card_to_client(props: &[Property]) -> ClientInput {
    let mut client = ClientInput::default();
    let first = |name: &str| props.iter().find(|p| p.name == name && !p.binary());
    if let Some(fn_) = first("FN") {
        client.name = unescape(&fn_.text()).trim().to_string();
    }
    if client.name.is_empty() {
        if let Some(n) = first("N") {
            // family; given; additional; prefix; suffix
            let parts = split_value(&n.text(), ';');
            let get = |i: usize| parts.get(i).map(String::as_str).unwrap_or("");
            client.name = join_words(&[get(3), get(1), get(2), get(0), get(4)]);
        }
    }
    if let Some(org) = first("ORG") {
        client.organisation = split_value(&org.text(), ';')
            .into_iter()
            .next()
            .unwrap_or_default()
            .trim()
            .to_string();
    }
    if let Some(title) = first("TITLE").or_else(|| first("ROLE")) {
        client.role = unescape(&title.text()).trim().to_string();
    }
    let preferred = |name: &str| {
        let all: Vec<&Property> = props
            .iter()
            .filter(|p| p.name == name && !p.binary())
            .collect();
        all.iter()
            .find(|p| {
                p.params.iter().any(|(k, v)| {
                    (k.eq_ignore_ascii_case("TYPE") && v.to_ascii_lowercase().contains("pref"))
                        || k.eq_ignore_ascii_case("PREF")
                        || (k.eq_ignore_ascii_case("PREF") && !v.is_empty())
                })
            })
            .or(all.first())
            .map(|p| unescape(&p.text()).trim().to_string())
    };
    if let Some(email) = preferred("EMAIL") {
        client.email = email.trim_start_matches("mailto:").to_string();
    }
    if let Some(tel) = preferred("TEL") {
        client.phone = tel.trim_start_matches("tel:").to_string();
    }
    let notes: Vec<String> = props
        .iter()
        .filter(|p| p.name == "NOTE" && !p.binary())
        .map(|p| unescape(&p.text()).trim().to_string())
        .filter(|n| !n.is_empty())
        .collect();
    client.profile = notes.join("\n\n");
    for p in props.iter().filter(|p| p.name == "CATEGORIES") {
        let tags = split_value(&p.text(), ',')
            .into_iter()
            .map(|t| t.trim().to_string())
            .filter(|t| !t.is_empty())
            .collect();
        push_tags(&mut client.tags, tags);
    }
    for (name, label) in [("URL", "URL"), ("BDAY", "Birthday")] {
        if let Some(p) = first(name) {
            let value = unescape(&p.text()).trim().to_string();
            if !value.is_empty() {
                client.facts.push(Fact {
                    label: label.into(),
                    value,
                });
            }
        }
    }
    client
}

/// Reads a vCard file (2.1, 3.0 or 4.0; several cards; folded lines; quoted-printable) into
/// clients, and checks every card. `PHOTO`, `LOGO`, `SOUND`, `KEY` and other binary values are
/// skipped.
pub fn parse_vcard(bytes: &[u8]) -> Result<Parsed> {
    let text = decode(bytes)?;
    let mut rows = Vec::new();
    let mut problems = Vec::new();
    let mut card: Option<(u64, Vec<Property>)> = None;
    let mut version = String::new();
    let mut cards = 0;
    for (line, logical) in logical_lines(&text.text) {
        let upper = logical.trim().to_ascii_uppercase();
        if upper == "BEGIN:VCARD" {
            if let Some((start, _)) = card.take() {
                problems.push(Problem {
                    line: Some(start),
                    reason: "card is not closed (no END:VCARD before the next card)".into(),
                });
            }
            card = Some((line, Vec::new()));
            cards += 1;
            continue;
        }
        if upper == "END:VCARD" {
            match card.take() {
                Some((start, props)) => match check_client(&card_to_client(&props)) {
                    Ok(client) => rows.push(ParsedRow {
                        line: start,
                        client,
                    }),
                    Err(reason) if reason.starts_with("name: must not be empty") => {
                        problems.push(Problem {
                            line: Some(start),
                            reason: "card has no name (FN or N)".into(),
                        })
                    }
                    Err(reason) => problems.push(Problem {
                        line: Some(start),
                        reason,
                    }),
                },
                None => problems.push(Problem {
                    line: Some(line),
                    reason: "END:VCARD without BEGIN:VCARD".into(),
                }),
            }
            continue;
        }
        match (&mut card, parse_property(&logical)) {
            (Some((_, props)), Some(p)) => {
                if p.name == "VERSION" && version.is_empty() {
                    version = p.value.trim().to_string();
                }
                props.push(p);
            }
            (Some(_), None) => problems.push(Problem {
                line: Some(line),
                reason: "is not a vCard property (NAME:value)".into(),
            }),
            (None, _) => problems.push(Problem {
                line: Some(line),
                reason: "is outside any card (BEGIN:VCARD ... END:VCARD)".into(),
            }),
        }
    }
    if let Some((start, _)) = card {
        problems.push(Problem {
            line: Some(start),
            reason: "card is not closed (no END:VCARD)".into(),
        });
    }
    if cards == 0 {
        return Err(file_error("the file holds no vCard (BEGIN:VCARD)"));
    }
    problems.sort_by_key(|p| p.line);
    Ok(Parsed {
        source: if version.is_empty() {
            "vCard".into()
        } else {
            format!("vCard {version}")
        },
        encoding: text.encoding.into(),
        headers: Vec::new(),
        mapping: Vec::new(),
        header_line: None,
        sample_rows: Vec::new(),
        rows,
        problems,
    })
}

// ---------------------------------------------------------------------------------------------
// Rapport's JSON

/// Earliest and latest moments a JSON import accepts.
fn plausible(at: DateTime<Utc>) -> bool {
    (1900..2300).contains(&at.year())
}

/// Reads and checks a Rapport JSON export whole: format and version, every record by the
/// journal's rules, ids unique, and every reference (a follow-up's touch, an introduction's
/// clients) pointing at a record of the file.
pub fn parse_journal_json(bytes: &[u8]) -> Result<JournalExport> {
    check_size(bytes)?;
    let body = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    if let Err(e) = std::str::from_utf8(body) {
        return Err(file_error(format!(
            "the file is not UTF-8 text: line {} has a byte that is not UTF-8",
            line_of(body, e.valid_up_to())
        )));
    }
    let value: serde_json::Value = serde_json::from_slice(body).map_err(|e| {
        file_error(format!(
            "the file is not JSON: line {}, column {}: {e}",
            e.line(),
            e.column()
        ))
    })?;
    let format = value.get("format").and_then(|f| f.as_str());
    if format != Some(JSON_FORMAT) {
        return Err(file_error(
            "the file is JSON but not a Rapport journal export (its \"format\" is not \"rapport-journal\")",
        ));
    }
    match value.get("version").and_then(serde_json::Value::as_u64) {
        Some(v) if v == u64::from(JSON_VERSION) => {}
        Some(v) if v > u64::from(JSON_VERSION) => {
            return Err(file_error(format!(
                "the file was exported by a newer Rapport (format version {v}; this one reads {JSON_VERSION})"
            )))
        }
        _ => return Err(file_error("the file's \"version\" is missing or unknown")),
    }
    let export: JournalExport = serde_json::from_value(value)
        .map_err(|e| file_error(format!("the file is not a valid Rapport export: {e}")))?;
    let problems = check_export(&export);
    if problems.is_empty() {
        Ok(export)
    } else {
        Err(Error::Rejected { problems })
    }
}

fn check_export(export: &JournalExport) -> Vec<Problem> {
    let mut problems = Vec::new();
    let mut problem = |reason: String| problems.push(Problem { line: None, reason });
    for (stage, days) in &export.stage_cadences {
        if let Err(e) = validate::cadence(Some(*days)) {
            problem(format!("stage_cadences.{}: {e}", stage.as_str()));
        }
    }
    for (key, value) in &export.settings {
        if validate::required_line("key", key, LINE_MAX).is_err()
            || validate::text("value", value, 10_000).is_err()
        {
            problem(format!("settings.{key:?}: not a setting Rapport writes"));
        }
    }
    let mut ids: HashMap<&str, std::collections::HashSet<i64>> = HashMap::new();
    let mut fresh = |table: &'static str, id: i64| -> bool {
        id > 0 && ids.entry(table).or_default().insert(id)
    };
    let mut touches: HashMap<i64, i64> = HashMap::new();
    let client_ids: std::collections::HashSet<i64> = export.clients.iter().map(|c| c.id).collect();
    let mut follow_up_ids = std::collections::HashSet::new();
    for c in &export.clients {
        let who = format!("client {} ({:?})", c.id, c.name);
        if !fresh("client", c.id) {
            problem(format!("{who}: the id is not positive or not unique"));
        }
        let input = ClientInput {
            name: c.name.clone(),
            organisation: c.organisation.clone(),
            role: c.role.clone(),
            email: c.email.clone(),
            phone: c.phone.clone(),
            profile: c.profile.clone(),
            facts: c.facts.clone(),
            tags: c.tags.clone(),
            cadence_days: c.cadence_days,
            pillars: c.pillars,
        };
        match check_client(&input) {
            Ok(valid) if valid != input => {
                problem(format!(
                    "{who}: not as Rapport stores it (untrimmed text, or tags out of order or repeated)"
                ));
            }
            Ok(_) => {}
            Err(reason) => problem(format!("{who}: {reason}")),
        }
        let mut moments = vec![
            Some(c.created_at),
            Some(c.updated_at),
            c.archived_at,
            c.snoozed_until,
        ];
        for s in &c.stage_history {
            if !fresh("stage_change", s.id) {
                problem(format!(
                    "{who}: stage change {}: the id is not positive or not unique",
                    s.id
                ));
            }
            if let Err(e) = validate::text("note", &s.note, LINE_MAX) {
                problem(format!("{who}: stage change {}: {e}", s.id));
            }
            moments.push(Some(s.at));
        }
        for e in &c.entries {
            let what = format!("{who}: entry {}", e.id);
            if !fresh("entry", e.id) {
                problem(format!("{what}: the id is not positive or not unique"));
            }
            let note = e.kind == "note";
            if !note && TouchKind::parse(&e.kind).is_none() {
                problem(format!(
                    "{what}: kind {:?} is not a touch kind or \"note\"",
                    e.kind
                ));
            } else if !note {
                touches.insert(e.id, c.id);
            }
            let checked = validate::line("summary", &e.summary, LINE_MAX)
                .and_then(|_| validate::text("body", &e.body, TEXT_MAX));
            if let Err(err) = checked {
                problem(format!("{what}: {err}"));
            }
            if let Err(err) = no_script(&[("summary", &e.summary), ("body", &e.body)]) {
                problem(format!("{what}: {err}"));
            }
            if note && (e.gave_value || e.asked) {
                problem(format!("{what}: a note neither gives nor asks"));
            }
            if e.kind == "value_add" && !e.gave_value {
                problem(format!("{what}: a value-add always gives value"));
            }
            moments.extend([Some(e.at), Some(e.created_at), Some(e.updated_at)]);
        }
        for f in &c.follow_ups {
            if !fresh("follow_up", f.id) {
                problem(format!(
                    "{who}: follow-up {}: the id is not positive or not unique",
                    f.id
                ));
            }
            follow_up_ids.insert(f.id);
            if let Err(e) = validate::required_line("what", &f.what, LINE_MAX) {
                problem(format!("{who}: follow-up {}: {e}", f.id));
            }
            moments.extend([
                Some(f.due_at),
                Some(f.created_at),
                f.done_at,
                f.snoozed_until,
            ]);
        }
        if moments.into_iter().flatten().any(|m| !plausible(m)) {
            problem(format!("{who}: a date is before 1900 or after 2299"));
        }
    }
    // References, once every touch is known.
    for c in &export.clients {
        for f in &c.follow_ups {
            if let Some(t) = f.touch_id {
                if touches.get(&t) != Some(&c.id) {
                    problem(format!(
                        "client {}: follow-up {}: touch {t} is not one of this client's touches",
                        c.id, f.id
                    ));
                }
            }
        }
    }
    for i in &export.introductions {
        let what = format!("introduction {}", i.id);
        if !fresh("introduction", i.id) {
            problem(format!("{what}: the id is not positive or not unique"));
        }
        if !client_ids.contains(&i.introducer_id) || !client_ids.contains(&i.introduced_id) {
            problem(format!("{what}: refers to a client not in the file"));
        }
        if i.introducer_id == i.introduced_id {
            problem(format!("{what}: a client cannot introduce themselves"));
        }
        if let Err(e) = validate::text("note", &i.note, TEXT_MAX) {
            problem(format!("{what}: {e}"));
        }
        if !plausible(i.at) {
            problem(format!("{what}: the date is before 1900 or after 2299"));
        }
    }
    for f in &export.fired {
        let known = match f.kind.as_str() {
            "relationship" => client_ids.contains(&f.ref_id),
            "follow_up" => follow_up_ids.contains(&f.ref_id),
            _ => false,
        };
        if !known || !plausible(f.episode) || !plausible(f.fired_at) {
            problem(format!(
                "fired {} {}: refers to nothing in the file, or its date is out of range",
                f.kind, f.ref_id
            ));
        }
    }
    if !export.stage_cadences.is_empty() && export.stage_cadences.len() != Stage::ALL.len() {
        problem("stage_cadences: every stage needs its cadence".into());
    }
    problems
}

// ---------------------------------------------------------------------------------------------
// Duplicates, previews and imports

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

    /// Previews any importable file: JSON if it starts with `{`, vCard if with `BEGIN:VCARD`,
    /// else CSV with a guessed mapping.
    pub fn preview_import(&self, bytes: &[u8]) -> Result<Preview> {
        let start: Vec<u8> = bytes
            .iter()
            .skip_while(|b| b.is_ascii_whitespace() || [0xEF, 0xBB, 0xBF].contains(*b))
            .take(11)
            .copied()
            .collect();
        if start.first() == Some(&b'{') {
            self.preview_json(bytes)
        } else if start.eq_ignore_ascii_case(b"BEGIN:VCARD") {
            self.preview_vcard(bytes)
        } else {
            self.preview_csv(bytes, None)
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
            .map(|e| {
                e.clients
                    .iter()
                    .map(|c| ClientInput {
                        name: c.name.clone(),
                        organisation: c.organisation.clone(),
                        role: c.role.clone(),
                        email: c.email.clone(),
                        phone: c.phone.clone(),
                        profile: c.profile.clone(),
                        facts: c.facts.clone(),
                        tags: c.tags.clone(),
                        cadence_days: c.cadence_days,
                        pillars: c.pillars,
                    })
                    .collect()
            })
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

    fn ensure_empty(&self) -> Result<()> {
        let clients: i64 = self
            .conn
            .query_row("SELECT count(*) FROM client", [], |r| r.get(0))
            .map_err(Error::context("Counting clients"))?;
        if clients > 0 {
            return Err(file_error(format!(
                "a Rapport journal export is imported only into an empty journal, and this one has {clients} client{}",
                if clients == 1 { "" } else { "s" }
            )));
        }
        Ok(())
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
        let skip: std::collections::HashSet<Option<u64>> = if skip_duplicates {
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

    /// Imports a Rapport JSON export into this journal, which must have no clients: every
    /// record keeps its id, and exporting again gives the same JSON (but for `exported_at`).
    /// The file is checked whole first; any problem refuses it.
    pub fn import_json(&mut self, bytes: &[u8]) -> Result<Imported> {
        let export = parse_journal_json(bytes)?;
        self.ensure_empty()?;
        let client_ids = export.clients.iter().map(|c| c.id).collect();
        self.write(|tx| crate::export::write_export(tx, &export))?;
        Ok(Imported {
            client_ids,
            skipped_duplicates: 0,
        })
    }
}
