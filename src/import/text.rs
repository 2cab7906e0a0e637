//! Reading an imported file's bytes as text, in whatever encoding its exporter wrote: a byte-order
//! mark when there is one (UTF-8, UTF-16), UTF-16 without one told by its zero bytes, UTF-8 when
//! the bytes are valid UTF-8, and otherwise the legacy encoding Mozilla's detector (`chardetng`)
//! finds most likely (Windows-125x, ISO-8859-x, Shift_JIS, GBK, Big5, KOI8-R, ...), decoded by
//! `encoding_rs`. The user can name another encoding; the preview says which one was used.

use encoding_rs::{Encoding, UTF_16BE, UTF_16LE, UTF_8};

use crate::error::{Error, Result};

use super::IMPORT_MAX_BYTES;

/// A file's text and how it was read.
pub(super) struct Text {
    pub(super) text: String,
    /// The encoding's name as the WHATWG standard gives it: `UTF-8`, `windows-1252`, ...
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

/// The encoding named by `label` (a WHATWG label: `utf-8`, `latin1`, `shift_jis`, `cp1251`,
/// ...), or a clear error.
pub(crate) fn encoding_named(label: &str) -> Result<&'static Encoding> {
    Encoding::for_label(label.trim().as_bytes()).ok_or_else(|| {
        Error::invalid(
            "encoding",
            format!("{:?} is not an encoding Rapport knows", label.trim()),
        )
    })
}

/// UTF-16 without a byte-order mark, told by its zero bytes: text that is mostly Latin letters
/// has a zero in every other byte, at odd offsets when little-endian, at even ones when big.
fn utf16_without_bom(bytes: &[u8]) -> Option<&'static Encoding> {
    let sample = &bytes[..bytes.len().min(4096) & !1];
    if sample.len() < 8 {
        return None;
    }
    let zeros = |parity: usize| {
        sample
            .iter()
            .skip(parity)
            .step_by(2)
            .filter(|&&b| b == 0)
            .count()
    };
    let (even, odd) = (zeros(0), zeros(1));
    let half = sample.len() / 2;
    if odd * 10 >= half * 6 && even * 10 < half {
        Some(UTF_16LE)
    } else if even * 10 >= half * 6 && odd * 10 < half {
        Some(UTF_16BE)
    } else {
        None
    }
}

/// The encoding bytes without a byte-order mark are most likely in: UTF-8 if they are valid
/// UTF-8, else what the detector guesses.
pub(super) fn guess(bytes: &[u8]) -> &'static Encoding {
    if let Some(utf16) = utf16_without_bom(bytes) {
        return utf16;
    }
    if std::str::from_utf8(bytes).is_ok() {
        return UTF_8;
    }
    // ISO-2022-JP is allowed: an address book runs no scripts, and old Japanese phones wrote it.
    let mut detector = chardetng::EncodingDetector::new(chardetng::Iso2022JpDetection::Allow);
    detector.feed(bytes, true);
    detector.guess(None, chardetng::Utf8Detection::Allow)
}

/// Reads `bytes` as text: in `forced` if given, else in the encoding their byte-order mark names
/// or [`guess`] finds. Text with NUL characters is not text (a spreadsheet, an image).
pub(super) fn decode(bytes: &[u8], forced: Option<&'static Encoding>) -> Result<Text> {
    check_size(bytes)?;
    let (encoding, body) = match (forced, Encoding::for_bom(bytes)) {
        (Some(forced), Some((bom, len))) if forced == bom => (forced, &bytes[len..]),
        (Some(forced), _) => (forced, bytes),
        (None, Some((bom, len))) => (bom, &bytes[len..]),
        (None, None) => (guess(bytes), bytes),
    };
    let (text, had_errors) = encoding.decode_without_bom_handling(body);
    if text.contains('\0') {
        let at = text.find('\0').unwrap_or(0);
        let line = text[..at].matches('\n').count() + 1;
        return Err(file_error(format!(
            "the file is not text: line {line} has a NUL character (is it a spreadsheet or an \
             image rather than a CSV or vCard file?)"
        )));
    }
    if had_errors && forced.is_none() && encoding == UTF_8 {
        // Valid UTF-8 was checked for before; only a BOM'd file reaches here with bad bytes.
        return Err(file_error(
            "the file says it is UTF-8 but is not: choose its encoding",
        ));
    }
    Ok(Text {
        text: text.into_owned(),
        encoding: encoding.name(),
    })
}

/// Decodes `bytes` (a value taken out of quoted-printable, say) in the encoding `charset` names,
/// or, with none or an unknown one, in the one they most likely are in.
pub(super) fn decode_value(bytes: &[u8], charset: Option<&str>) -> String {
    let encoding = charset
        .and_then(|c| Encoding::for_label(c.trim().as_bytes()))
        .unwrap_or_else(|| guess(bytes));
    encoding.decode_without_bom_handling(bytes).0.into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utf16_without_a_byte_order_mark_is_told_by_its_zero_bytes() {
        let text = "Name,Email\r\nZoë,zoe@example.com\r\n";
        let le: Vec<u8> = text.encode_utf16().flat_map(u16::to_le_bytes).collect();
        let be: Vec<u8> = text.encode_utf16().flat_map(u16::to_be_bytes).collect();
        assert_eq!(decode(&le, None).unwrap().text, text);
        assert_eq!(decode(&le, None).unwrap().encoding, "UTF-16LE");
        assert_eq!(decode(&be, None).unwrap().encoding, "UTF-16BE");
        assert_eq!(guess(b"plain ascii, no zeros"), UTF_8);
    }

    #[test]
    fn a_forced_encoding_is_used_and_an_unknown_one_is_named() {
        let bytes = b"Name\n\xc9mile\n";
        assert_eq!(
            decode(bytes, Some(encoding_named("latin1").unwrap()))
                .unwrap()
                .text,
            "Name\nÉmile\n"
        );
        let err = encoding_named("klingon").unwrap_err();
        assert!(err.to_string().contains("klingon"), "{err}");
    }
}
