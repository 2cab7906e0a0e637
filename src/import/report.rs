//! What an import finds in a file, as the `rapport` command prints it (and, with `--json`, as
//! scripts read it): the same reading the window previews, row by row.
//!
//! The JSON shape is an interface and stays stable; fields may be added, none renamed or removed:
//!
//! ```text
//! { "format": "csv" | "vcard" | "json",
//!   "source": "LinkedIn connections", "encoding": "UTF-8", "delimiter": "," | null,
//!   "accepted": [ { "line", "name", "organisation", "emails": [..], "phones": [..],
//!                   "dates": [ { "label", "value" } ], "named_from": null | "organisation" | .. } ],
//!   "skipped":  [ { "line", "reason" } ],
//!   "warnings": [ { "line", "field", "message" } ],
//!   "problems": [ { "line", "reason" } ],
//!   "imported": null | 42 }
//! ```

use serde::{Deserialize, Serialize};

use crate::archive::parse_journal_json;
use crate::error::{Problem, Result};
use crate::model::{ClientInput, Fact};

use super::{
    parse_csv, parse_vcard, ImportFormat, ImportOptions, NamedFrom, ParsedRow, Skipped, Warning,
};

/// One client a file gives, as the report lists it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AcceptedRow {
    /// The line it starts on (0 for a record of a JSON journal).
    pub line: u64,
    /// The client's name.
    pub name: String,
    /// Their organisation, or empty.
    pub organisation: String,
    /// Every email kept, the client's own first.
    pub emails: Vec<String>,
    /// Every phone kept, the client's own first.
    pub phones: Vec<String>,
    /// Birthdays and anniversaries, as dated facts.
    pub dates: Vec<Fact>,
    /// Where the name came from, when the row had no personal name.
    pub named_from: Option<NamedFrom>,
}

/// What a file holds for an import, whole.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Report {
    /// The kind of file.
    pub format: ImportFormat,
    /// Where it seems to come from.
    pub source: String,
    /// How its text was read.
    pub encoding: String,
    /// A CSV's delimiter.
    pub delimiter: Option<char>,
    /// The clients it gives.
    pub accepted: Vec<AcceptedRow>,
    /// The rows left out, and why.
    pub skipped: Vec<Skipped>,
    /// The values dropped or changed, and why.
    pub warnings: Vec<Warning>,
    /// What refuses a JSON journal whole (empty for contacts).
    pub problems: Vec<Problem>,
    /// How many clients were written, once imported; `None` before (or in a dry run).
    pub imported: Option<usize>,
}

fn accepted(line: u64, client: &ClientInput, named_from: Option<NamedFrom>) -> AcceptedRow {
    let kind = |prefix: &'static str| {
        client
            .facts
            .iter()
            .filter(move |f| f.label == prefix || f.label.starts_with(&format!("{prefix} (")))
            .map(|f| f.value.clone())
    };
    let own = |value: &str| (!value.is_empty()).then(|| value.to_string());
    AcceptedRow {
        line,
        name: client.name.clone(),
        organisation: client.organisation.clone(),
        emails: own(&client.email)
            .into_iter()
            .chain(kind("Email"))
            .collect(),
        phones: own(&client.phone)
            .into_iter()
            .chain(kind("Phone"))
            .collect(),
        dates: client
            .facts
            .iter()
            .filter(|f| f.label == "Birthday" || f.label == "Anniversary")
            .cloned()
            .collect(),
        named_from,
    }
}

/// Reads `bytes` as `options` say and reports what an import would take; nothing is written.
pub fn report(bytes: &[u8], options: &ImportOptions) -> Result<Report> {
    let format = ImportFormat::of(bytes);
    let parsed = match format {
        ImportFormat::Json => {
            let export = parse_journal_json(bytes);
            let (clients, problems) = match export {
                Ok(e) => (
                    e.clients.iter().map(ClientInput::from).collect(),
                    Vec::new(),
                ),
                Err(crate::Error::Rejected { problems }) => (Vec::new(), problems),
                Err(e) => return Err(e),
            };
            return Ok(Report {
                format,
                source: "Rapport journal".into(),
                encoding: "UTF-8".into(),
                delimiter: None,
                accepted: clients
                    .iter()
                    .map(|c: &ClientInput| accepted(0, c, None))
                    .collect(),
                skipped: Vec::new(),
                warnings: Vec::new(),
                problems,
                imported: None,
            });
        }
        ImportFormat::Vcard => parse_vcard(bytes, options)?,
        ImportFormat::Csv => parse_csv(bytes, options)?,
    };
    Ok(Report {
        format,
        source: parsed.source,
        encoding: parsed.encoding,
        delimiter: parsed.delimiter,
        accepted: parsed
            .rows
            .iter()
            .map(|r: &ParsedRow| accepted(r.line, &r.client, r.named_from))
            .collect(),
        skipped: parsed.skipped,
        warnings: parsed.warnings,
        problems: Vec::new(),
        imported: None,
    })
}
