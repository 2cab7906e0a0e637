//! The rows an import leaves out, saved as a file of their own for the user to fix and import
//! again: a CSV's skipped rows under its own header, with a last column saying why each was left
//! out, in the file's own delimiter (so the spreadsheet that wrote it opens it the same way); a
//! vCard file's skipped cards as they were, for the address book that wrote them.

use std::collections::HashSet;
use std::path::{Path, PathBuf};

use chrono::NaiveDate;

use crate::error::Result;

use super::text::{decode, encoding_named, file_error};
use super::{parse_csv, parse_vcard, ImportFormat, ImportOptions};

/// The header of the column that says why a row was left out: a header Rapport's guess leaves
/// out, so the file imports again as it is once fixed.
pub const WHY_COLUMN: &str = "Why Rapport skipped it";

/// The skipped rows of a CSV, as a CSV.
fn csv_rows(bytes: &[u8], options: &ImportOptions) -> Result<Vec<u8>> {
    let parsed = parse_csv(bytes, options)?;
    let why: std::collections::HashMap<u64, &str> = parsed
        .skipped
        .iter()
        .map(|s| (s.line, s.reason.as_str()))
        .collect();
    let forced = options
        .encoding
        .as_deref()
        .map(encoding_named)
        .transpose()?;
    let text = decode(bytes, forced)?.text;
    let delimiter = parsed.delimiter.unwrap_or(',') as u8;
    let mut reader = ::csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(delimiter)
        .from_reader(text.as_bytes());
    let mut writer = ::csv::WriterBuilder::new()
        .delimiter(delimiter)
        .flexible(true)
        .from_writer(b"\xEF\xBB\xBF".to_vec());
    let newlines: Vec<usize> = text.match_indices('\n').map(|(i, _)| i).collect();
    let line_of = |offset: u64| {
        // The record's first line: past the line breaks that end the record before it.
        let mut at = offset as usize;
        while text
            .as_bytes()
            .get(at)
            .is_some_and(|b| *b == b'\r' || *b == b'\n')
        {
            at += 1;
        }
        newlines.partition_point(|&n| n < at) as u64 + 1
    };
    let mut header = parsed.headers.clone();
    header.push(WHY_COLUMN.into());
    // Writing into memory fails only if the CSV writer itself does.
    let csv_error = |e: ::csv::Error| file_error(format!("writing the skipped rows: {e}"));
    writer.write_record(&header).map_err(csv_error)?;
    let mut record = ::csv::StringRecord::new();
    while reader.read_record(&mut record).unwrap_or(false) {
        let line = record.position().map_or(0, |p| line_of(p.byte()));
        if let Some(reason) = why.get(&line) {
            let mut cells: Vec<&str> = record.iter().collect();
            cells.resize(parsed.headers.len().max(cells.len()), "");
            cells.push(reason);
            writer.write_record(&cells).map_err(csv_error)?;
        }
    }
    writer
        .into_inner()
        .map_err(|e| file_error(format!("writing the skipped rows: {e}")))
}

/// The skipped cards of a vCard file, each from its BEGIN:VCARD to its END:VCARD, as written.
fn vcard_cards(bytes: &[u8], options: &ImportOptions) -> Result<Vec<u8>> {
    let parsed = parse_vcard(bytes, options)?;
    let starts: HashSet<u64> = parsed.skipped.iter().map(|s| s.line).collect();
    let mut out = Vec::new();
    let mut copying = false;
    for (i, line) in bytes.split_inclusive(|&b| b == b'\n').enumerate() {
        copying |= starts.contains(&(i as u64 + 1));
        if copying {
            out.extend_from_slice(line);
            if line.trim_ascii().eq_ignore_ascii_case(b"END:VCARD") {
                copying = false;
                if !out.ends_with(b"\n") {
                    out.extend_from_slice(b"\r\n");
                }
            }
        }
    }
    Ok(out)
}

/// Saves the rows an import of `bytes` (read as `options` say) leaves out into `dir`, as
/// `rapport-skipped-rows-<today>.csv` (or `.vcf`), and returns its path; `None` when no row is
/// left out.
pub fn save_skipped(
    bytes: &[u8],
    options: &ImportOptions,
    dir: &Path,
    today: NaiveDate,
) -> Result<Option<PathBuf>> {
    let (ext, out) = match ImportFormat::of(bytes) {
        ImportFormat::Json => return Ok(None),
        ImportFormat::Csv => ("csv", csv_rows(bytes, options)?),
        ImportFormat::Vcard => ("vcf", vcard_cards(bytes, options)?),
    };
    let empty = match ext {
        "csv" => out.iter().filter(|&&b| b == b'\n').count() <= 1,
        _ => out.is_empty(),
    };
    if empty {
        return Ok(None);
    }
    crate::export::save_dated(dir, "skipped-rows", ext, today, &out).map(Some)
}
