//! Reading an imported file's bytes as text: UTF-8 (with or without a byte-order mark), UTF-16
//! with a byte-order mark, or else Windows-1252, which Outlook on Windows writes.

use crate::error::{Error, Result};

use super::IMPORT_MAX_BYTES;

/// A file's text and how it was read.
pub(super) struct Text {
    pub(super) text: String,
    pub(super) encoding: &'static str,
}

pub(crate) fn file_error(message: impl Into<String>) -> Error {
    Error::invalid("file", message)
}

pub(crate) fn check_size(bytes: &[u8]) -> Result<()> {
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

pub(crate) fn line_of(bytes: &[u8], offset: usize) -> usize {
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

pub(super) fn cp1252(bytes: &[u8]) -> std::result::Result<String, usize> {
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

pub(super) fn decode(bytes: &[u8]) -> Result<Text> {
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
