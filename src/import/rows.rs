//! A row's values (a CSV row through its mapping, a vCard's properties) as a client, checked by
//! the journal's rules before anything is written.

use crate::error::Error;
use crate::model::{ClientInput, Fact};
use crate::validate;

use super::Field;

/// Refuses text that is plainly not contact data: an HTML script.
pub(crate) fn no_script(values: &[(&str, &str)]) -> std::result::Result<(), String> {
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

pub(crate) fn check_client(client: &ClientInput) -> std::result::Result<ClientInput, String> {
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

pub(super) fn split_tags(value: &str) -> Vec<String> {
    value
        .split(":::")
        .flat_map(|part| part.split([',', ';']))
        .map(str::trim)
        .filter(|t| !t.is_empty() && !t.starts_with("* "))
        .map(str::to_string)
        .collect()
}

pub(super) fn push_tags(tags: &mut Vec<String>, new: Vec<String>) {
    for t in new {
        if !tags.iter().any(|x| x.to_lowercase() == t.to_lowercase()) {
            tags.push(t);
        }
    }
}

pub(super) fn join_words(parts: &[&str]) -> String {
    parts
        .iter()
        .map(|p| p.trim())
        .filter(|p| !p.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

/// A CSV row, mapped to a client (not yet validated).
pub(super) fn map_row(headers: &[String], mapping: &[Field], cells: &[String]) -> ClientInput {
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
