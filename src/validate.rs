//! What the journal accepts: the documented limits, and checks that name the field at fault.
//!
//! Every write validates its whole input before it opens a transaction, so a rejected input
//! leaves the journal exactly as it was.

use chrono::{DateTime, Duration, Utc};

use crate::error::{Error, Result};
use crate::model::{ClientInput, Fact};

/// Longest name, organisation, role, email, phone, fact label or summary line, in characters.
pub const LINE_MAX: usize = 200;
/// Longest tag, in characters.
pub const TAG_MAX: usize = 50;
/// Most tags on one client.
pub const TAGS_MAX: usize = 50;
/// Most facts on one client.
pub const FACTS_MAX: usize = 100;
/// Longest free text (a profile, a fact's value, a touch's or a note's body), in characters.
pub const TEXT_MAX: usize = 100_000;
/// Cadences accepted, in days: a day to ten years.
pub const CADENCE_DAYS: std::ops::RangeInclusive<u32> = 1..=3650;
/// Pillar ratings accepted.
pub const PILLAR_RATING: std::ops::RangeInclusive<u8> = 1..=5;
/// How far ahead of now a touch or note may be dated (clocks and time zones disagree a little).
pub const FUTURE_SLACK: Duration = Duration::days(1);
/// How far from now a follow-up may be due, either way.
pub const DUE_RANGE: Duration = Duration::days(100 * 366);

/// A single line of text: trimmed, at most `max` characters, in Unicode's composed form (NFC),
/// with no line breaks, control characters or invisible characters, and something to see.
pub fn line(field: &'static str, value: &str, max: usize) -> Result<String> {
    let value = value.trim();
    if let Some(c) = value.chars().find(|c| c.is_control()) {
        let what = if c == '\n' || c == '\r' {
            "must be a single line".to_string()
        } else {
            format!("contains a control character (U+{:04X})", c as u32)
        };
        return Err(Error::invalid(field, what));
    }
    let chars: Vec<char> = value.chars().collect();
    for (i, &c) in chars.iter().enumerate() {
        if matches!(c, '\u{2028}' | '\u{2029}') {
            return Err(Error::invalid(field, "must be a single line"));
        }
        if invisible(c) && !joins(&chars, i) {
            return Err(Error::invalid(
                field,
                format!(
                    "contains an invisible character (U+{:04X}) that could hide or reorder what is shown",
                    c as u32
                ),
            ));
        }
    }
    if !value.is_empty() && !chars.iter().any(|&c| visible(c)) {
        return Err(Error::invalid(field, "has nothing visible in it"));
    }
    check_length(field, value, max)?;
    Ok(composed(value))
}

/// `value` in Unicode's composed form, so that "é" typed as one character or as "e" and an
/// accent is stored, compared and grouped as one text.
fn composed(value: &str) -> String {
    use unicode_normalization::{is_nfc_quick, IsNormalized, UnicodeNormalization};
    match is_nfc_quick(value.chars()) {
        IsNormalized::Yes => value.to_string(),
        _ => value.nfc().collect(),
    }
}

/// `text` as tags and organisations are compared: composed (NFC) and in lower case, in every
/// script ("Été", "été" and "e\u{301}te\u{301}" are one).
pub fn fold(text: &str) -> String {
    composed(text).to_lowercase()
}

/// A character that shows nothing and moves nothing a reader can see: format characters (the
/// bidirectional overrides and isolates, zero-width spaces, the soft hyphen, the byte-order mark)
/// and the Hangul and braille fillers that render as blank letters.
fn invisible(c: char) -> bool {
    use unicode_properties::{GeneralCategory, UnicodeGeneralCategory};
    c.general_category() == GeneralCategory::Format
        || matches!(
            c,
            '\u{115F}' | '\u{1160}' | '\u{3164}' | '\u{FFA0}' | '\u{2800}' | '\u{034F}'
        )
}

/// Whether the zero-width joiner or non-joiner at `i` joins two visible characters, as it does
/// in emoji sequences and in Persian and Indic words; anywhere else it only hides.
fn joins(chars: &[char], i: usize) -> bool {
    matches!(chars[i], '\u{200C}' | '\u{200D}')
        && i > 0
        && chars.get(i + 1).is_some_and(|&next| visible(next))
        && (visible(chars[i - 1]) || unicode_normalization::char::is_combining_mark(chars[i - 1]))
}

/// A character that puts ink on the page by itself: not blank, not a mark that only decorates
/// the character before it, not invisible.
fn visible(c: char) -> bool {
    !c.is_whitespace() && !unicode_normalization::char::is_combining_mark(c) && !invisible(c)
}

/// A required single line: as [`line`], and not empty once trimmed.
pub fn required_line(field: &'static str, value: &str, max: usize) -> Result<String> {
    let value = line(field, value, max)?;
    if value.is_empty() {
        return Err(Error::invalid(field, "must not be empty"));
    }
    Ok(value)
}

/// Free text: surrounding blank space trimmed, line breaks and tabs kept, other control
/// characters refused (they are invisible, and the search snippets use two of them as markers).
pub fn text(field: &'static str, value: &str, max: usize) -> Result<String> {
    let value = value.trim();
    if let Some(c) = value
        .chars()
        .find(|&c| c.is_control() && c != '\n' && c != '\t' && c != '\r')
    {
        return Err(Error::invalid(
            field,
            format!("contains a control character (U+{:04X})", c as u32),
        ));
    }
    check_length(field, value, max)?;
    Ok(composed(value))
}

fn check_length(field: &'static str, value: &str, max: usize) -> Result<()> {
    // Counting stops at max + 1, so a 10 MB paste costs no more than a short one.
    if value.chars().take(max + 1).count() > max {
        return Err(Error::invalid(
            field,
            format!("is longer than {max} characters"),
        ));
    }
    Ok(())
}

/// A cadence override, if given, within [`CADENCE_DAYS`].
pub fn cadence(value: Option<u32>) -> Result<Option<u32>> {
    match value {
        Some(days) if !CADENCE_DAYS.contains(&days) => Err(Error::invalid(
            "cadence_days",
            format!(
                "must be between {} and {} days, not {days}",
                CADENCE_DAYS.start(),
                CADENCE_DAYS.end()
            ),
        )),
        other => Ok(other),
    }
}

fn pillar(field: &'static str, value: Option<u8>) -> Result<Option<u8>> {
    match value {
        Some(r) if !PILLAR_RATING.contains(&r) => Err(Error::invalid(
            field,
            format!(
                "must be rated {} to {}, not {r}",
                PILLAR_RATING.start(),
                PILLAR_RATING.end()
            ),
        )),
        other => Ok(other),
    }
}

/// The earliest year a touch, a note, a stage move or an introduction may be dated: a mistyped
/// year ("0202") is refused when it is typed, not found later by an import of the export.
pub const EARLIEST_YEAR: i32 = 1900;

/// A moment for a touch, a note, a stage move or an introduction: not more than
/// [`FUTURE_SLACK`] after `now`, and not before [`EARLIEST_YEAR`].
pub fn not_future(field: &'static str, at: DateTime<Utc>, now: DateTime<Utc>) -> Result<()> {
    use chrono::Datelike;
    if at.year() < EARLIEST_YEAR {
        return Err(Error::invalid(
            field,
            format!(
                "{} is before {EARLIEST_YEAR}: is the year mistyped?",
                at.format("%Y-%m-%d")
            ),
        ));
    }
    if at > now + FUTURE_SLACK {
        return Err(Error::invalid(
            field,
            format!(
                "{} is more than a day in the future",
                at.format("%Y-%m-%d %H:%M UTC")
            ),
        ));
    }
    Ok(())
}

/// A due date within [`DUE_RANGE`] of `now`.
pub fn due(field: &'static str, at: DateTime<Utc>, now: DateTime<Utc>) -> Result<()> {
    if at > now + DUE_RANGE || at < now - DUE_RANGE {
        return Err(Error::invalid(
            field,
            format!(
                "{} is more than a hundred years away",
                at.format("%Y-%m-%d")
            ),
        ));
    }
    Ok(())
}

/// A client's input, trimmed and checked as a whole.
pub fn client(input: &ClientInput) -> Result<ClientInput> {
    let email = line("email", &input.email, LINE_MAX)?;
    if !email.is_empty() {
        let valid = email.split_once('@').is_some_and(|(user, host)| {
            !user.is_empty() && !host.is_empty() && !host.contains('@')
        }) && !email.contains(char::is_whitespace);
        if !valid {
            return Err(Error::invalid(
                "email",
                format!("{email:?} is not an email address"),
            ));
        }
    }
    if input.facts.len() > FACTS_MAX {
        return Err(Error::invalid(
            "facts",
            format!("at most {FACTS_MAX} facts per client"),
        ));
    }
    if input.tags.len() > TAGS_MAX {
        return Err(Error::invalid(
            "tags",
            format!("at most {TAGS_MAX} tags per client"),
        ));
    }
    let facts = input
        .facts
        .iter()
        .map(|f| {
            Ok(Fact {
                label: required_line("facts.label", &f.label, LINE_MAX)?,
                value: text("facts.value", &f.value, TEXT_MAX)?,
            })
        })
        .collect::<Result<Vec<_>>>()?;
    let mut tags = Vec::with_capacity(input.tags.len());
    for tag in &input.tags {
        let tag = required_line("tags", tag.trim_start_matches('#'), TAG_MAX)?;
        // Tags compare without regard to case, as the journal stores them.
        if !tags.iter().any(|t: &String| fold(t) == fold(&tag)) {
            tags.push(tag);
        }
    }
    tags.sort_by_key(|t| fold(t));
    Ok(ClientInput {
        name: required_line("name", &input.name, LINE_MAX)?,
        organisation: line("organisation", &input.organisation, LINE_MAX)?,
        role: line("role", &input.role, LINE_MAX)?,
        email,
        phone: line("phone", &input.phone, LINE_MAX)?,
        profile: text("profile", &input.profile, TEXT_MAX)?,
        facts,
        tags,
        cadence_days: cadence(input.cadence_days)?,
        pillars: crate::model::Pillars {
            compatibility: pillar("compatibility", input.pillars.compatibility)?,
            knowledge: pillar("knowledge", input.pillars.knowledge)?,
            trust: pillar("trust", input.pillars.trust)?,
        },
    })
}

/// The key a name sorts by: lower case, accents removed, so "Émile" files under E.
pub fn sort_key(name: &str) -> String {
    use unicode_normalization::{char::is_combining_mark, UnicodeNormalization};
    name.nfd()
        .filter(|c| !is_combining_mark(*c))
        .flat_map(char::to_lowercase)
        .collect()
}
