//! One contact as an exporter wrote it (a CSV row, a vCard), and how Rapport makes a client of it:
//! every valid email and phone kept (the preferred one first, the others as facts), a name taken
//! from what the contact has when it has no personal name, values too long or malformed dropped or
//! cut with a warning rather than the row refused. Only a contact with nothing that identifies
//! anyone is skipped, with the reason.

use crate::model::{ClientInput, Fact};
use crate::validate::{self, FACTS_MAX, LINE_MAX, TAGS_MAX, TAG_MAX};

use super::rows::{no_script, push_tags};
use super::{NamedFrom, ParsedRow, Skipped, Warning};

/// An email address or a phone number as written, with what the exporter said of it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(super) struct Value {
    pub(super) text: String,
    /// Its kind as the exporter labels it (`work`, `Mobile`), if any.
    pub(super) label: String,
    /// Marked as the one to use (vCard `PREF`, `TYPE=pref`).
    pub(super) preferred: bool,
}

impl Value {
    pub(super) fn new(text: &str) -> Value {
        Value {
            text: text.trim().to_string(),
            ..Value::default()
        }
    }
}

/// A date the contact keeps (a birthday, an anniversary), as written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct KeyDate {
    pub(super) label: &'static str,
    pub(super) text: String,
}

/// What one card or row holds, read but not yet checked.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(super) struct Contact {
    pub(super) line: u64,
    pub(super) name: String,
    pub(super) organisation: String,
    pub(super) role: String,
    pub(super) emails: Vec<Value>,
    pub(super) phones: Vec<Value>,
    pub(super) notes: Vec<String>,
    pub(super) tags: Vec<String>,
    pub(super) facts: Vec<Fact>,
    pub(super) dates: Vec<KeyDate>,
}

/// What became of one contact: a client to import, with what was changed on the way, or the
/// reason it is skipped.
pub(super) enum Shaped {
    Accepted(Box<ParsedRow>, Vec<Warning>),
    Skipped(Skipped),
}

/// Google writes several values in one cell, separated by ` ::: `.
pub(super) fn split_multi(cell: &str) -> impl Iterator<Item = &str> {
    cell.split(":::").map(str::trim).filter(|v| !v.is_empty())
}

/// An email address as Rapport keeps it (`mailto:` and angle brackets dropped), or why it is not
/// one.
fn email(raw: &str) -> Result<String, &'static str> {
    let text = raw
        .trim()
        .trim_start_matches("mailto:")
        .trim_start_matches("MAILTO:");
    let text = text.trim_matches(|c| c == '<' || c == '>').trim();
    if text.starts_with("urn:li:") {
        return Err("LinkedIn's member id, not an email address");
    }
    let valid = text.split_once('@').is_some_and(|(user, host)| {
        !user.is_empty() && host.contains('.') && !host.contains('@') && !host.ends_with('.')
    }) && !text.contains(|c: char| c.is_whitespace() || c.is_control() || c == ',');
    if valid && text.chars().count() <= LINE_MAX {
        Ok(text.to_string())
    } else {
        Err("not an email address")
    }
}

/// A phone number as Rapport keeps it (`tel:` dropped), or why it is not one.
fn phone(raw: &str) -> Result<String, &'static str> {
    let text = raw.trim().trim_start_matches("tel:").trim();
    let digits = text.chars().filter(char::is_ascii_digit).count();
    let allowed = text
        .chars()
        .all(|c| c.is_ascii_digit() || c.is_alphabetic() || " +-().,;#*/xX".contains(c));
    if digits >= 3 && allowed && text.chars().count() <= LINE_MAX {
        Ok(text.to_string())
    } else {
        Err("not a phone number")
    }
}

/// One line of text as the journal takes it: a line break or another control character becomes
/// a space, and more than `max` characters are cut, with a warning naming `field`.
fn one_line(
    field: &str,
    value: &str,
    max: usize,
    line: u64,
    warnings: &mut Vec<Warning>,
) -> String {
    let flat: String = value
        .replace("\r\n", " ")
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    let flat = flat.trim().to_string();
    if flat.chars().count() <= max {
        return flat;
    }
    warnings.push(Warning {
        line,
        field: field.to_string(),
        message: format!("cut to its first {max} characters"),
    });
    flat.chars().take(max).collect()
}

/// Free text as the journal takes it: control characters other than line breaks and tabs become
/// spaces, and more than `max` characters are cut, with a warning.
fn free_text(field: &str, value: &str, line: u64, warnings: &mut Vec<Warning>) -> String {
    let clean: String = value
        .replace("\r\n", "\n")
        .chars()
        .map(|c| {
            if c.is_control() && c != '\n' && c != '\t' {
                ' '
            } else {
                c
            }
        })
        .collect();
    let clean = clean.trim();
    if clean.chars().count() <= validate::TEXT_MAX {
        return clean.to_string();
    }
    warnings.push(Warning {
        line,
        field: field.to_string(),
        message: format!("cut to its first {} characters", validate::TEXT_MAX),
    });
    clean.chars().take(validate::TEXT_MAX).collect()
}

/// The label of a second email or phone kept as a fact: `Email`, `Email (work)`.
fn fact_label(kind: &str, label: &str) -> String {
    let label = label.trim();
    if label.is_empty() || label.eq_ignore_ascii_case(kind) {
        kind.to_string()
    } else {
        format!("{kind} ({})", label.to_lowercase())
    }
}

/// The valid values among `values`, the preferred first, each read by `read`; the invalid ones
/// dropped with a warning naming `field`.
fn valid_values(
    field: &str,
    values: &[Value],
    read: fn(&str) -> Result<String, &'static str>,
    line: u64,
    warnings: &mut Vec<Warning>,
) -> Vec<(String, String)> {
    let mut kept: Vec<(bool, String, String)> = Vec::new();
    for v in values {
        if v.text.is_empty() {
            continue;
        }
        match read(&v.text) {
            Ok(text) => {
                if !kept.iter().any(|(_, t, _)| t.eq_ignore_ascii_case(&text)) {
                    kept.push((v.preferred, text, v.label.clone()));
                }
            }
            Err(why) => warnings.push(Warning {
                line,
                field: field.to_string(),
                message: format!("{:?} left out: {why}", v.text),
            }),
        }
    }
    // A stable sort: the preferred first, the rest in the order written.
    kept.sort_by_key(|(preferred, _, _)| !preferred);
    kept.into_iter()
        .map(|(_, text, label)| (text, label))
        .collect()
}

/// A date as `YYYY-MM-DD` (or `--MM-DD` when the year is not known), from the forms exporters
/// write: ISO 8601 with or without dashes, vCard 4's `--MMDD`, a time after it.
fn iso_date(text: &str) -> Option<String> {
    let t = text.trim();
    let date = t.split(['T', ' ']).next().unwrap_or(t);
    let valid = |y: Option<i32>, m: u32, d: u32| {
        let year = y.unwrap_or(2000); // a leap year, so 29 February stands without one
        chrono::NaiveDate::from_ymd_opt(year, m, d).is_some()
    };
    let digits = |s: &str| s.chars().all(|c| c.is_ascii_digit());
    let (y, m, d) = if let Some(rest) = date.strip_prefix("--") {
        let rest = rest.replace('-', "");
        if rest.len() != 4 || !digits(&rest) {
            return None;
        }
        (None, rest[..2].parse().ok()?, rest[2..].parse().ok()?)
    } else {
        let plain = date.replace('-', "");
        if plain.len() != 8 || !digits(&plain) {
            return None;
        }
        (
            Some(plain[..4].parse().ok()?),
            plain[4..6].parse().ok()?,
            plain[6..].parse().ok()?,
        )
    };
    if !valid(y, m, d) {
        return None;
    }
    Some(match y {
        Some(y) => format!("{y:04}-{m:02}-{d:02}"),
        None => format!("--{m:02}-{d:02}"),
    })
}

/// A date as written by people and spreadsheets (`2 April 1979`, `4/2/1979`), read with the same
/// reader as due dates, or `None`.
fn written_date(text: &str) -> Option<String> {
    let t = text.trim();
    if t.is_empty() || !t.chars().any(|c| c.is_ascii_digit()) {
        return None;
    }
    // A fixed moment to read against, so the same text always gives the same date; a year must
    // be in the text (a date without one is not a birthday Rapport can date).
    if !t.split(|c: char| !c.is_ascii_digit()).any(|n| n.len() == 4) {
        return None;
    }
    // Day first with dots, as German, Russian and most of Europe write it: 12.3.1971.
    let dotted: Vec<&str> = t.split('.').map(str::trim).collect();
    if let [d, m, y] = dotted[..] {
        let (d, m, y) = (d.parse().ok()?, m.parse().ok()?, y.parse().ok()?);
        return chrono::NaiveDate::from_ymd_opt(y, m, d)
            .map(|date| date.format("%Y-%m-%d").to_string());
    }
    let base = chrono::DateTime::<chrono::Utc>::from_timestamp(0, 0)?;
    crate::dates::parse_due(t, base, crate::dates::DateOrder::MonthDay)
        .ok()
        .map(|at| at.format("%Y-%m-%d").to_string())
}

impl Contact {
    /// Makes a client of the contact, or says why it is skipped.
    pub(super) fn shape(self) -> Shaped {
        let line = self.line;
        let skip = |reason: String| Shaped::Skipped(Skipped { line, reason });
        let mut warnings = Vec::new();
        let texts: Vec<(&str, &str)> = [("name", self.name.as_str())]
            .into_iter()
            .chain([("organisation", self.organisation.as_str())])
            .chain(self.notes.iter().map(|n| ("notes", n.as_str())))
            .collect();
        if let Err(reason) = no_script(&texts) {
            return skip(reason);
        }
        let emails = valid_values("email", &self.emails, email, line, &mut warnings);
        let phones = valid_values("phone", &self.phones, phone, line, &mut warnings);
        let organisation = one_line(
            "organisation",
            &self.organisation,
            LINE_MAX,
            line,
            &mut warnings,
        );
        let mut name = one_line("name", &self.name, LINE_MAX, line, &mut warnings);
        let mut named_from = None;
        if name.is_empty() {
            if !organisation.is_empty() {
                name = organisation.clone();
                named_from = Some(NamedFrom::Organisation);
            } else if let Some((email, _)) = emails.first() {
                name = email.clone();
                named_from = Some(NamedFrom::Email);
            } else if let Some((phone, _)) = phones.first() {
                name = phone.clone();
                named_from = Some(NamedFrom::Phone);
            } else {
                return skip(
                    "no name, no organisation, no email, no phone: nothing says who this is \
                     (LinkedIn writes such rows for members who hide their data)"
                        .into(),
                );
            }
            let from = match named_from {
                Some(NamedFrom::Organisation) => "its organisation",
                Some(NamedFrom::Email) => "its email address",
                _ => "its phone number",
            };
            warnings.push(Warning {
                line,
                field: "name".into(),
                message: format!("no personal name: named {name:?}, after {from}"),
            });
        }
        let mut client = ClientInput {
            name,
            organisation,
            role: one_line("role", &self.role, LINE_MAX, line, &mut warnings),
            email: emails.first().map(|(e, _)| e.clone()).unwrap_or_default(),
            phone: phones.first().map(|(p, _)| p.clone()).unwrap_or_default(),
            profile: free_text("profile", &self.notes.join("\n\n"), line, &mut warnings),
            ..ClientInput::default()
        };
        let mut facts: Vec<Fact> = Vec::new();
        for (kind, values) in [("Email", &emails), ("Phone", &phones)] {
            for (text, label) in values.iter().skip(1) {
                facts.push(Fact {
                    label: fact_label(kind, label),
                    value: text.clone(),
                });
            }
        }
        for d in &self.dates {
            let value = iso_date(&d.text).or_else(|| written_date(&d.text));
            match value {
                Some(value) => facts.push(Fact {
                    label: d.label.to_string(),
                    value,
                }),
                None if d.text.trim().is_empty() => {}
                None => {
                    warnings.push(Warning {
                        line,
                        field: d.label.to_lowercase(),
                        message: format!(
                            "{:?} is not a date Rapport can read: kept as written",
                            d.text
                        ),
                    });
                    facts.push(Fact {
                        label: d.label.to_string(),
                        value: one_line("facts.value", &d.text, LINE_MAX, line, &mut Vec::new()),
                    });
                }
            }
        }
        for f in self.facts {
            let label = one_line("facts.label", &f.label, LINE_MAX, line, &mut warnings);
            let value = free_text("facts.value", &f.value, line, &mut warnings);
            if !label.is_empty() && !value.is_empty() {
                facts.push(Fact { label, value });
            }
        }
        if facts.len() > FACTS_MAX {
            warnings.push(Warning {
                line,
                field: "facts".into(),
                message: format!("{} facts: the first {FACTS_MAX} kept", facts.len()),
            });
            facts.truncate(FACTS_MAX);
        }
        client.facts = facts;
        let mut tags = Vec::new();
        for tag in self.tags {
            let tag = one_line(
                "tags",
                tag.trim_start_matches('#'),
                usize::MAX,
                line,
                &mut warnings,
            );
            if tag.is_empty() {
                continue;
            }
            if tag.chars().count() > TAG_MAX {
                warnings.push(Warning {
                    line,
                    field: "tags".into(),
                    message: format!("{tag:?} left out: a tag is at most {TAG_MAX} characters"),
                });
                continue;
            }
            push_tags(&mut tags, vec![tag]);
        }
        if tags.len() > TAGS_MAX {
            warnings.push(Warning {
                line,
                field: "tags".into(),
                message: format!("{} tags: the first {TAGS_MAX} kept", tags.len()),
            });
            tags.truncate(TAGS_MAX);
        }
        client.tags = tags;
        // Everything above keeps to the journal's rules; should one still refuse, the row is
        // skipped with its words rather than the file.
        match validate::client(&client) {
            Ok(client) => Shaped::Accepted(
                Box::new(ParsedRow {
                    line,
                    client,
                    named_from,
                }),
                warnings,
            ),
            Err(e) => skip(e.to_string()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn emails_as_exporters_write_them() {
        assert_eq!(email("mailto:Ada@Example.com").unwrap(), "Ada@Example.com");
        assert_eq!(email(" <ada@example.com> ").unwrap(), "ada@example.com");
        assert!(email("urn:li:member:12345")
            .unwrap_err()
            .contains("LinkedIn"));
        assert!(email("ada @example.com").is_err());
        assert!(email("ada@localhost").is_err());
        assert!(email("ada@example.com, bob@example.com").is_err());
    }

    #[test]
    fn phones_need_digits() {
        assert_eq!(phone("tel:+44-20-7946-0958").unwrap(), "+44-20-7946-0958");
        assert_eq!(phone("(555) 010-0199 x12").unwrap(), "(555) 010-0199 x12");
        assert!(phone("n/a").is_err());
        assert!(phone("12").is_err());
    }

    #[test]
    fn dates_as_exporters_write_them() {
        assert_eq!(iso_date("1815-12-10").as_deref(), Some("1815-12-10"));
        assert_eq!(iso_date("18151210").as_deref(), Some("1815-12-10"));
        assert_eq!(iso_date("--1210").as_deref(), Some("--12-10"));
        assert_eq!(iso_date("--12-10").as_deref(), Some("--12-10"));
        assert_eq!(
            iso_date("1979-04-02T00:00:00Z").as_deref(),
            Some("1979-04-02")
        );
        assert_eq!(iso_date("--0229").as_deref(), Some("--02-29"));
        assert_eq!(iso_date("1979-02-30"), None);
        assert_eq!(written_date("2 April 1979").as_deref(), Some("1979-04-02"));
        assert_eq!(written_date("4/2/1979").as_deref(), Some("1979-04-02"));
        assert_eq!(written_date("sometime"), None);
        assert_eq!(written_date("12.3.1971").as_deref(), Some("1971-03-12"));
        assert_eq!(written_date("31.2.1971"), None);
    }

    fn contact() -> Contact {
        Contact {
            line: 7,
            ..Contact::default()
        }
    }

    #[test]
    fn a_name_comes_from_what_the_contact_has() {
        let company = Contact {
            organisation: "Acme Corp".into(),
            ..contact()
        };
        let Shaped::Accepted(row, _) = company.shape() else {
            panic!("accepted")
        };
        assert_eq!(
            (row.client.name.as_str(), row.named_from),
            ("Acme Corp", Some(NamedFrom::Organisation))
        );
        let mail = Contact {
            emails: vec![Value::new("bad"), Value::new("ada@example.com")],
            ..contact()
        };
        let Shaped::Accepted(row, warnings) = mail.shape() else {
            panic!("accepted")
        };
        assert_eq!(row.client.name, "ada@example.com");
        let fields: Vec<&str> = warnings.iter().map(|w| w.field.as_str()).collect();
        assert_eq!(
            fields,
            ["email", "name"],
            "the bad email, then where the name came from"
        );
        let Shaped::Skipped(skipped) = contact().shape() else {
            panic!("skipped")
        };
        assert_eq!(skipped.line, 7);
        assert!(
            skipped.reason.contains("hide their data"),
            "{}",
            skipped.reason
        );
    }

    #[test]
    fn the_preferred_email_leads_and_the_others_are_facts() {
        let c = Contact {
            name: "Ada".into(),
            emails: vec![
                Value {
                    text: "home@example.com".into(),
                    label: "home".into(),
                    preferred: false,
                },
                Value {
                    text: "work@example.com".into(),
                    label: "work".into(),
                    preferred: true,
                },
                Value::new("HOME@example.com"),
            ],
            ..contact()
        };
        let Shaped::Accepted(row, _) = c.shape() else {
            panic!("accepted")
        };
        assert_eq!(row.client.email, "work@example.com");
        assert_eq!(
            row.client.facts,
            [Fact {
                label: "Email (home)".into(),
                value: "home@example.com".into()
            }],
            "the same address twice is kept once"
        );
    }
}
