//! vCard files (2.1, 3.0, 4.0) as address books write them: several cards, folded lines,
//! quoted-printable values with or without a charset, grouped properties (`item1.EMAIL`),
//! several emails and phones with or without a preference, company cards.
//!
//! Lines are unfolded before their bytes are decoded, as RFC 6350 §3.2 asks of readers, because
//! some exporters fold in the middle of a multi-byte UTF-8 character. The file's text encoding is
//! detected over the whole file; quoted-printable values that name no charset are decoded in the
//! encoding detected over all of them together (they are ASCII in the file, so the file's own
//! encoding says nothing of them).

use encoding_rs::Encoding;

use crate::error::Result;
use crate::model::Fact;

use super::contact::{Contact, KeyDate, Value};
use super::rows::{join_words, push_tags};
use super::text::{check_size, decode, decode_value, encoding_named, file_error, guess};
use super::{ImportOptions, Parsed, Skipped};

/// One logical line of a vCard: its group (`item1`), name, parameters and raw value bytes.
struct Property {
    group: Option<String>,
    name: String,
    params: Vec<(String, String)>,
    value: Vec<u8>,
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

    /// Whether the card marks it as the one to use: `PREF` (2.1), `TYPE=pref` (3.0), `PREF=1`.
    fn preferred(&self) -> bool {
        self.params.iter().any(|(k, v)| {
            k.eq_ignore_ascii_case("PREF")
                || (k.eq_ignore_ascii_case("TYPE")
                    && v.split(',').any(|t| t.trim().eq_ignore_ascii_case("pref")))
        })
    }

    /// What kind it is (`work`, `cell`), its `TYPE` words other than the generic ones.
    fn kind(&self) -> String {
        const GENERIC: [&str; 6] = ["pref", "internet", "voice", "x400", "text", "uri"];
        self.params
            .iter()
            .flat_map(|(k, v)| {
                let words: Vec<&str> = if k.eq_ignore_ascii_case("TYPE") {
                    v.split(',').collect()
                } else if v.is_empty() {
                    vec![k.as_str()] // vCard 2.1's bare types: TEL;WORK;VOICE
                } else {
                    Vec::new()
                };
                words
            })
            .map(|w| w.trim().to_lowercase())
            .filter(|w| {
                !w.is_empty()
                    && !GENERIC.contains(&w.as_str())
                    && !["quoted-printable", "base64", "b"].contains(&w.as_str())
                    && !w.starts_with("charset")
            })
            .collect::<Vec<_>>()
            .join(", ")
    }
}

/// How a card's values are turned into text: the file's encoding, and the one quoted-printable
/// values without a charset are in.
struct Charsets {
    file: &'static Encoding,
    quoted_printable: &'static Encoding,
}

impl Charsets {
    fn text(&self, p: &Property) -> String {
        let charset = p.param("CHARSET");
        let text = if p.quoted_printable() {
            let bytes = qp_decode(&p.value);
            match charset {
                Some(c) => decode_value(&bytes, Some(c)),
                None => self
                    .quoted_printable
                    .decode_without_bom_handling(&bytes)
                    .0
                    .into_owned(),
            }
        } else {
            match charset.and_then(|c| Encoding::for_label(c.as_bytes())) {
                Some(e) => e.decode_without_bom_handling(&p.value).0.into_owned(),
                None => self
                    .file
                    .decode_without_bom_handling(&p.value)
                    .0
                    .into_owned(),
            }
        };
        text.replace("\r\n", "\n").replace('\r', "\n")
    }
}

fn qp_decode(value: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(value.len());
    let mut i = 0;
    while i < value.len() {
        if value[i] == b'=' {
            let hex = value
                .get(i + 1..i + 3)
                .and_then(|h| std::str::from_utf8(h).ok())
                .and_then(|h| u8::from_str_radix(h, 16).ok());
            if let Some(b) = hex {
                out.push(b);
                i += 3;
                continue;
            }
        }
        out.push(value[i]);
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

fn parse_property(line: &[u8]) -> Option<Property> {
    // The name and parameters end at the first colon outside double quotes.
    let mut quoted = false;
    let colon = line.iter().position(|&b| match b {
        b'"' => {
            quoted = !quoted;
            false
        }
        b':' => !quoted,
        _ => false,
    })?;
    let head = String::from_utf8_lossy(&line[..colon]);
    let mut parts = head.split(';');
    let full = parts.next()?.trim();
    // A group (`item1.EMAIL`) says which properties go together (Apple's and Google's labels
    // are in an `X-ABLabel` of the same group); the property is the same.
    let (group, name) = match full.rsplit_once('.') {
        Some((group, name)) => (Some(group.to_ascii_lowercase()), name),
        None => (None, full),
    };
    let name = name.to_ascii_uppercase();
    if name.is_empty() || !name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-') {
        return None;
    }
    let params = parts
        .map(|p| match p.split_once('=') {
            Some((k, v)) => (k.trim().to_string(), v.trim().trim_matches('"').to_string()),
            None => (p.trim().to_string(), String::new()),
        })
        .collect();
    Some(Property {
        group,
        name,
        params,
        value: line[colon + 1..].to_vec(),
    })
}

/// Whether a logical line so far is a quoted-printable value whose last line ends in a soft
/// break (`=`), so that the next physical line continues it.
fn soft_break(line: &[u8]) -> bool {
    let head_end = line.iter().position(|&b| b == b':').unwrap_or(line.len());
    let head = String::from_utf8_lossy(&line[..head_end]).to_ascii_uppercase();
    head.contains("QUOTED-PRINTABLE") && line.ends_with(b"=")
}

/// The file's logical lines, with the line each starts on: folded lines joined (a line that
/// starts with a space or a tab continues the one before, less that one character), soft breaks
/// of quoted-printable joined, and a 2.1 PHOTO's base64 lines that are not indented kept with it.
fn logical_lines(bytes: &[u8]) -> Vec<(u64, Vec<u8>)> {
    let mut out: Vec<(u64, Vec<u8>)> = Vec::new();
    let mut qp_open = false;
    for (i, raw) in bytes.split(|&b| b == b'\n').enumerate() {
        let line_no = (i + 1) as u64;
        let raw = raw.strip_suffix(b"\r").unwrap_or(raw);
        if qp_open {
            if let Some((_, last)) = out.last_mut() {
                last.pop(); // the soft break's '='
                last.extend_from_slice(raw.trim_ascii_start());
                qp_open = soft_break(last);
                continue;
            }
        }
        if raw.trim_ascii().is_empty() {
            continue;
        }
        let folded = raw.starts_with(b" ") || raw.starts_with(b"\t");
        let unindented_base64 = !raw.contains(&b':') && !out.is_empty();
        match out.last_mut() {
            Some((_, last)) if folded => last.extend_from_slice(&raw[1..]),
            Some((_, last)) if unindented_base64 => last.extend_from_slice(raw),
            _ => out.push((line_no, raw.to_vec())),
        }
        qp_open = out.last().is_some_and(|(_, last)| soft_break(last));
    }
    out
}

/// Apple writes a birthday without a year as `BDAY;X-APPLE-OMIT-YEAR=1604:1604-11-03`: the
/// year it names is no year, and the date is `--11-03`.
fn without_omitted_year(p: &Property, text: String) -> String {
    match p.param("X-APPLE-OMIT-YEAR") {
        Some(year) if !year.is_empty() && text.trim().starts_with(year) => {
            let rest = text.trim()[year.len()..].trim_start_matches('-');
            format!("--{rest}")
        }
        _ => text,
    }
}

fn card_to_contact(line: u64, props: &[Property], charsets: &Charsets) -> Contact {
    let mut c = Contact {
        line,
        ..Contact::default()
    };
    let text = |p: &Property| charsets.text(p);
    let first = |name: &str| props.iter().find(|p| p.name == name && !p.binary());
    if let Some(fn_) = first("FN") {
        c.name = unescape(&text(fn_)).trim().to_string();
    }
    if c.name.is_empty() {
        if let Some(n) = first("N") {
            // family; given; additional; prefix; suffix
            let parts = split_value(&text(n), ';');
            let get = |i: usize| parts.get(i).map(String::as_str).unwrap_or("");
            c.name = join_words(&[get(3), get(1), get(2), get(0), get(4)]);
        }
    }
    if let Some(org) = first("ORG") {
        // ORG is the organisation, then its units: the units are kept as a fact.
        let mut parts = split_value(&text(org), ';')
            .into_iter()
            .map(|p| p.trim().to_string())
            .filter(|p| !p.is_empty());
        c.organisation = parts.next().unwrap_or_default();
        let units: Vec<String> = parts.collect();
        if !units.is_empty() {
            c.facts.push(Fact {
                label: "Department".into(),
                value: units.join(", "),
            });
        }
    }
    if let Some(title) = first("TITLE").or_else(|| first("ROLE")) {
        c.role = unescape(&text(title)).trim().to_string();
    }
    // Apple's and Google's labels of a group: `_$!<Anniversary>!$_`, or the user's own words.
    let label_of = |p: &Property| {
        let group = p.group.as_deref()?;
        let label = props
            .iter()
            .find(|l| l.name == "X-ABLABEL" && l.group.as_deref() == Some(group))?;
        let words = unescape(&text(label));
        let words = words
            .trim()
            .trim_start_matches("_$!<")
            .trim_end_matches(">!$_");
        Some(words.to_string())
    };
    for p in props.iter().filter(|p| !p.binary()) {
        let value = |p: &Property| Value {
            text: unescape(&text(p)).trim().to_string(),
            label: label_of(p).unwrap_or_else(|| p.kind()),
            preferred: p.preferred(),
        };
        match p.name.as_str() {
            "EMAIL" => c.emails.push(value(p)),
            "TEL" => c.phones.push(value(p)),
            "NOTE" => {
                let note = unescape(&text(p)).trim().to_string();
                if !note.is_empty() {
                    c.notes.push(note);
                }
            }
            "CATEGORIES" => {
                let tags = split_value(&text(p), ',')
                    .into_iter()
                    .map(|t| t.trim().to_string())
                    .filter(|t| !t.is_empty())
                    .collect();
                push_tags(&mut c.tags, tags);
            }
            "BDAY" => c.dates.push(KeyDate {
                label: "Birthday",
                text: without_omitted_year(p, unescape(&text(p))),
            }),
            "X-ABDATE" if label_of(p).is_some_and(|l| l.to_lowercase().contains("anniversary")) => {
                c.dates.push(KeyDate {
                    label: "Anniversary",
                    text: unescape(&text(p)),
                })
            }
            "ANNIVERSARY" | "X-ANNIVERSARY" | "X-MS-ANNIVERSARY" | "X-EVOLUTION-ANNIVERSARY" => {
                c.dates.push(KeyDate {
                    label: "Anniversary",
                    text: unescape(&text(p)),
                })
            }
            "URL" => {
                let url = unescape(&text(p)).trim().to_string();
                if !url.is_empty() {
                    c.facts.push(Fact {
                        label: "URL".into(),
                        value: url,
                    });
                }
            }
            _ => {}
        }
    }
    c
}

/// The logical lines of a file in UTF-16 (which no byte-level unfolding can read) made UTF-8,
/// or the file's own bytes.
fn utf8_if_utf16(bytes: &[u8], forced: Option<&'static Encoding>) -> Result<Option<Vec<u8>>> {
    let wide = |e: &'static Encoding| e == encoding_rs::UTF_16LE || e == encoding_rs::UTF_16BE;
    let found = forced
        .or_else(|| Encoding::for_bom(bytes).map(|(e, _)| e))
        .unwrap_or_else(|| guess(bytes));
    if wide(found) {
        return Ok(Some(decode(bytes, Some(found))?.text.into_bytes()));
    }
    Ok(None)
}

/// Reads a vCard file (2.1, 3.0 or 4.0; several cards) into clients: makes a client of each card,
/// or says why not. `PHOTO`, `LOGO`, `SOUND`, `KEY` and other binary values are skipped.
pub fn parse_vcard(bytes: &[u8], options: &ImportOptions) -> Result<Parsed> {
    check_size(bytes)?;
    let forced = options
        .encoding
        .as_deref()
        .map(encoding_named)
        .transpose()?;
    let widened = utf8_if_utf16(bytes, forced)?;
    let body = match &widened {
        Some(utf8) => utf8.as_slice(),
        None => bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes),
    };
    if body.contains(&0) {
        return Err(file_error("the file is not text: it has NUL bytes"));
    }
    let lines = logical_lines(body);
    // The encoding is told from the lines unfolded: a fold inside a UTF-8 character makes the
    // file as written invalid UTF-8, and the detector would guess a legacy encoding.
    let file_encoding = match (&widened, forced) {
        (Some(_), _) => encoding_rs::UTF_8,
        (None, Some(forced)) => forced,
        (None, None) => guess(
            &lines
                .iter()
                .flat_map(|(_, l)| l.iter().chain(b"\n"))
                .copied()
                .collect::<Vec<u8>>(),
        ),
    };
    let props: Vec<(u64, Option<Property>)> = lines
        .iter()
        .map(|(line, bytes)| (*line, parse_property(bytes)))
        .collect();
    // Quoted-printable values with no charset, all together, say what encoding they are in.
    let unlabelled: Vec<u8> = props
        .iter()
        .filter_map(|(_, p)| p.as_ref())
        .filter(|p| p.quoted_printable() && p.param("CHARSET").is_none())
        .flat_map(|p| {
            let mut v = qp_decode(&p.value);
            v.push(b'\n');
            v
        })
        .collect();
    let charsets = Charsets {
        file: file_encoding,
        quoted_printable: forced.unwrap_or_else(|| guess(&unlabelled)),
    };
    let mut parsed = Parsed {
        source: String::new(),
        encoding: match &widened {
            Some(_) => forced.unwrap_or_else(|| {
                Encoding::for_bom(bytes).map_or_else(|| guess(bytes), |(e, _)| e)
            }),
            None => file_encoding,
        }
        .name()
        .into(),
        delimiter: None,
        headers: Vec::new(),
        mapping: Vec::new(),
        header_line: None,
        sample_rows: Vec::new(),
        rows: Vec::new(),
        skipped: Vec::new(),
        warnings: Vec::new(),
    };
    let mut card: Option<(u64, Vec<Property>)> = None;
    let mut version = String::new();
    let mut cards = 0;
    for ((line, logical), (_, property)) in lines.iter().zip(props) {
        let upper = String::from_utf8_lossy(logical.trim_ascii()).to_ascii_uppercase();
        if upper == "BEGIN:VCARD" {
            if let Some((start, props)) = card.take() {
                // A card not closed before the next begins: what it holds is read all the same.
                let shaped = card_to_contact(start, &props, &charsets).shape();
                parsed.take(shaped);
            }
            card = Some((*line, Vec::new()));
            cards += 1;
            continue;
        }
        if upper == "END:VCARD" {
            if let Some((start, props)) = card.take() {
                let shaped = card_to_contact(start, &props, &charsets).shape();
                parsed.take(shaped);
            }
            continue;
        }
        // A line that is no property, inside a card or between cards, holds nothing to import;
        // the card around it is read all the same.
        if let (Some((_, props)), Some(p)) = (&mut card, property) {
            if p.name == "VERSION" && version.is_empty() {
                version = String::from_utf8_lossy(&p.value).trim().to_string();
            }
            props.push(p);
        }
    }
    if let Some((start, props)) = card {
        let shaped = card_to_contact(start, &props, &charsets).shape();
        parsed.take(shaped);
    }
    if cards == 0 {
        return Err(file_error("the file holds no vCard (BEGIN:VCARD)"));
    }
    parsed.source = if version.is_empty() {
        "vCard".into()
    } else {
        format!("vCard {version}")
    };
    parsed.skipped.sort_by_key(|s: &Skipped| s.line);
    parsed.importable()
}
