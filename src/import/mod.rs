//! Imports: clients from CSV (LinkedIn, Google Contacts, Outlook, or any CSV with a header row)
//! and from vCard files (2.1, 3.0, 4.0), and a whole journal from Rapport's own JSON export.
//!
//! Every import is previewed first: what the file is, how its text was read (encoding, and a
//! CSV's delimiter, both of which the user can change), how its columns map to a client's fields,
//! and, for the whole file, the rows ready to import, the rows skipped (each with its line and
//! why), the values dropped or changed (each with its line, field and why), and the likely
//! duplicates. Real address books hold odd rows: a row is skipped only when nothing in it says who
//! it is, and an odd value (a second email, a malformed phone) is kept as a fact or dropped with a
//! warning, never a reason to refuse the file. The import then writes the accepted rows in one
//! transaction, all or none of them. A file that is not contacts at all (no name-like column,
//! not text, not one row anyone could import) is refused whole, with the reason.
//!
//! One module per concern: [`text`] reads the bytes as text, [`contact`] makes a client of what a
//! card or row holds, [`rows`] keeps the rules shared with the JSON journal, [`csv`] and [`vcard`]
//! read their formats, and [`preview`] finds the likely duplicates, previews and imports.
//! Rapport's own JSON journal has its home in [`crate::archive`]; it is previewed and imported
//! through the same two calls, [`crate::Journal::preview_import`] and [`crate::Journal::import`].

mod contact;
mod csv;
mod preview;
mod report;
mod rows;
mod skipped;
mod text;
mod vcard;

use serde::{Deserialize, Serialize};

use crate::error::Problem;
use crate::model::ClientInput;

pub use self::csv::sniff_delimiter;
pub use self::csv::{guess_field, guess_mapping, parse_csv};
pub use self::report::{report, AcceptedRow, Report};
pub(crate) use self::rows::{check_client, no_script};
pub use self::skipped::{save_skipped, WHY_COLUMN};
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
    /// Email address: of several (columns, or values in one cell), the first valid one is the
    /// client's email and the others are kept as facts.
    Email,
    /// Phone: as email.
    Phone,
    /// Notes: go into the profile (several are joined).
    Notes,
    /// Tags, separated by `,`, `;` or `:::` (Google's groups; its system groups are left out).
    Tags,
    /// Kept as a fact labelled with the column's header (a profile URL, ...).
    Fact,
    /// A birthday: kept as a dated fact (`YYYY-MM-DD`, or `--MM-DD` without a year).
    Birthday,
    /// An anniversary: kept as a dated fact.
    Anniversary,
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

/// How to read a file, when the user says otherwise than Rapport's guess.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImportOptions {
    /// What each CSV column goes into (one field per header cell), instead of the guess.
    #[serde(default)]
    pub mapping: Option<Vec<Field>>,
    /// The text's encoding, by any WHATWG label (`utf-8`, `windows-1251`, `shift_jis`, ...),
    /// instead of the one detected.
    #[serde(default)]
    pub encoding: Option<String>,
    /// A CSV's delimiter (`,`, `;`, tab, `|`), instead of the one sniffed.
    #[serde(default)]
    pub delimiter: Option<char>,
}

/// Where the name of a client with no personal name was taken from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum NamedFrom {
    /// A company's card: the organisation.
    Organisation,
    /// The email address.
    Email,
    /// The phone number.
    Phone,
}

/// A row (or card) left out, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Skipped {
    /// The line it starts on.
    pub line: u64,
    /// Why, in words fit to show.
    pub reason: String,
}

/// A value of an imported row dropped or changed on the way in, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Warning {
    /// The line the row starts on.
    pub line: u64,
    /// The field: `email`, `phone`, `name`, `birthday`, ...
    pub field: String,
    /// What was done, and why.
    pub message: String,
}

/// What to do with a row that looks like someone already known.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DuplicateChoice {
    /// Import it as a new client all the same.
    #[default]
    Import,
    /// Leave it out.
    Skip,
    /// Merge it into the client it looks like: their empty fields filled, the rest kept as
    /// facts, tags joined.
    Merge,
}

/// What to do with each likely duplicate: `all` of them, but the rows (by line) chosen apart.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct DuplicateChoices {
    /// For every likely duplicate not named in `rows`.
    pub all: DuplicateChoice,
    /// Row by row, by the line it starts on.
    pub rows: std::collections::BTreeMap<u64, DuplicateChoice>,
}

impl DuplicateChoices {
    /// The same choice for every likely duplicate.
    pub fn all(choice: DuplicateChoice) -> DuplicateChoices {
        DuplicateChoices {
            all: choice,
            rows: Default::default(),
        }
    }

    /// The choice for the row at `line`.
    pub fn of(&self, line: u64) -> DuplicateChoice {
        self.rows.get(&line).copied().unwrap_or(self.all)
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
    /// How its text was read, by the encoding's standard name: `UTF-8`, `UTF-16LE`,
    /// `windows-1252`, `Shift_JIS`, ...
    pub encoding: String,
    /// A CSV's delimiter (`None` for other formats).
    pub delimiter: Option<char>,
    /// The CSV header row's cells (empty for other formats).
    pub headers: Vec<String>,
    /// What each header's column holds: guessed, or as given.
    pub mapping: Vec<Field>,
    /// The line of the header row (after any preamble, such as LinkedIn's notes).
    pub header_line: Option<u64>,
    /// The first rows as they are in the file (CSV only).
    pub sample_rows: Vec<Vec<String>>,
    /// The first clients as they would be imported.
    pub sample: Vec<ParsedRow>,
    /// How many clients the file holds, skipped rows included.
    pub rows: usize,
    /// How many rows are ready to import.
    pub accepted: usize,
    /// The rows left out, each with its line and why.
    pub skipped: Vec<Skipped>,
    /// The values dropped or changed, each with its line, field and why.
    pub warnings: Vec<Warning>,
    /// What refuses the whole file (a Rapport journal into a journal that is not empty, a bad
    /// JSON record); empty for a contacts file.
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
    /// Rows merged into a client already in the journal (or one made from an earlier row).
    pub merged: Vec<i64>,
    /// Rows left out because nothing in them says who it is (or they could not be read).
    pub skipped_rows: usize,
}

/// One client read from a file, with the line it starts on.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ParsedRow {
    /// Where it starts.
    pub line: u64,
    /// The client, validated.
    pub client: ClientInput,
    /// Where its name came from, when the row had no personal name.
    pub named_from: Option<NamedFrom>,
}

/// A contacts file read and checked, not yet written.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Parsed {
    /// Where the file seems to come from.
    pub source: String,
    /// How its text was read.
    pub encoding: String,
    /// CSV: the delimiter.
    pub delimiter: Option<char>,
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
    /// The rows left out.
    pub skipped: Vec<Skipped>,
    /// The values dropped or changed.
    pub warnings: Vec<Warning>,
}

impl Parsed {
    /// Adds what became of one contact.
    fn take(&mut self, shaped: contact::Shaped) {
        match shaped {
            contact::Shaped::Accepted(row, warnings) => {
                self.rows.push(*row);
                self.warnings.extend(warnings);
            }
            contact::Shaped::Skipped(skipped) => self.skipped.push(skipped),
        }
    }

    /// Refuses a file with no row anyone could import: it is not an address book.
    fn importable(self) -> crate::error::Result<Parsed> {
        if self.rows.is_empty() {
            let why = match self.skipped.first() {
                Some(s) => format!(
                    "no row could be imported ({} skipped; line {}: {})",
                    self.skipped.len(),
                    s.line,
                    s.reason
                ),
                None => "the file holds no contacts".to_string(),
            };
            return Err(file_error(why));
        }
        Ok(self)
    }
}
