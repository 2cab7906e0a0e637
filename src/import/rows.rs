//! Rules a client read from a file keeps, whatever the file: no HTML script in contact data, the
//! journal's own checks, and tags compared without regard to case.

use crate::error::Error;
use crate::model::ClientInput;
use crate::validate;

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
        if !tags
            .iter()
            .any(|x| crate::validate::fold(x) == crate::validate::fold(&t))
        {
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
