//! vCard files (2.1, 3.0, 4.0) as address books write them: several cards, folded lines,
//! quoted-printable values, grouped properties.

use crate::error::{Problem, Result};
use crate::model::{ClientInput, Fact};

use super::rows::{check_client, join_words, push_tags};
use super::text::{cp1252, decode, file_error};
use super::{Parsed, ParsedRow};

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
