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
//!
//! One module per concern: [`text`] reads the bytes as text, [`rows`] turns a row's values into a
//! checked client, [`csv`] and [`vcard`] read their formats, and [`preview`] finds the likely
//! duplicates, previews and imports. Rapport's own JSON journal has its home in
//! [`crate::archive`]; it is previewed and imported through the same two calls,
//! [`crate::Journal::preview_import`] and [`crate::Journal::import`].

mod csv;
mod preview;
mod rows;
mod text;
mod vcard;

use serde::{Deserialize, Serialize};

use crate::error::Problem;
use crate::model::ClientInput;

pub use self::csv::{guess_field, guess_mapping, parse_csv};
pub(crate) use self::rows::{check_client, no_script};
pub(crate) use self::text::{check_size, file_error, line_of};
pub use self::vcard::parse_vcard;

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

impl ImportFormat {
    /// The format of a file by how it starts: JSON at a `{`, vCard at `BEGIN:VCARD`, else CSV.
    pub fn of(bytes: &[u8]) -> ImportFormat {
        let start: Vec<u8> = bytes
            .iter()
            .skip_while(|b| b.is_ascii_whitespace() || [0xEF, 0xBB, 0xBF].contains(*b))
            .take(11)
            .copied()
            .collect();
        if start.first() == Some(&b'{') {
            ImportFormat::Json
        } else if start.eq_ignore_ascii_case(b"BEGIN:VCARD") {
            ImportFormat::Vcard
        } else {
            ImportFormat::Csv
        }
    }
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
