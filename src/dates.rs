//! Due dates typed as people say them: "tomorrow", "in 2 weeks", "next friday", "3/12",
//! "24 Dec 3pm". The phrase is read in the user's own time zone and returned in UTC.
//!
//! The parsing is `interim`'s (GNU `date -d` style English); this module adds the forms it lacks
//! ("in ...", number words) and the rule for a date without a time.

use chrono::{DateTime, NaiveTime, TimeZone, Utc};
use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};

/// How to read a numeric date like 3/12.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DateOrder {
    /// Day first: 3/12 is the 3rd of December.
    #[default]
    DayMonth,
    /// Month first: 3/12 is the 12th of March.
    MonthDay,
}

/// The hour a follow-up falls due when its phrase names a day but no time: the start of a
/// working day, so it is waiting in the morning rather than due at midnight.
pub const DEFAULT_DUE_TIME: NaiveTime = match NaiveTime::from_hms_opt(9, 0, 0) {
    Some(t) => t,
    None => panic!("valid time"),
};

/// Longest phrase read; anything longer is not a date.
const PHRASE_MAX: usize = 64;

/// The moment `phrase` names, read in `now`'s time zone. A phrase without a time of day falls
/// due at [`DEFAULT_DUE_TIME`] on its day.
pub fn parse_due<Tz: TimeZone>(
    phrase: &str,
    now: DateTime<Tz>,
    order: DateOrder,
) -> Result<DateTime<Utc>>
where
    DateTime<Tz>: interim::datetime::DateTime,
{
    let unreadable = || {
        Error::invalid(
            "due",
            format!(
                "{:?} is not a date Rapport can read; try \"tomorrow\", \"in 2 weeks\", \"next friday\" or \"24 Dec\"",
                phrase.trim()
            ),
        )
    };
    let normal = normalise(phrase);
    if normal.is_empty() || normal.chars().count() > PHRASE_MAX {
        return Err(unreadable());
    }
    // interim panics on a run of 16 or more letters (its keyword buffer is 16 bytes; found by
    // fuzzing); no English date word is that long, so such a phrase is simply not a date.
    let longest_word = normal
        .split(|c: char| !c.is_ascii_alphabetic())
        .map(str::len)
        .max()
        .unwrap_or(0);
    if longest_word >= 16 {
        return Err(unreadable());
    }
    let dialect = match order {
        DateOrder::DayMonth => interim::Dialect::Uk,
        DateOrder::MonthDay => interim::Dialect::Us,
    };
    let tz = now.timezone();
    // interim refuses a phrase whose arithmetic lands in an hour a clock change skips ("tomorrow"
    // said at 01:30 on the eve of the spring change); the same phrase is then read against the
    // current offset, which has no gaps, and the answer brought back to the local zone.
    let mut parsed = interim::parse_date_string(&normal, now.clone(), dialect)
        .or_else(|_| {
            interim::parse_date_string(&normal, now.fixed_offset(), dialect)
                .map(|fixed| fixed.with_timezone(&tz))
        })
        .map_err(|_| unreadable())?;
    // "3/12" or "24 Dec" already gone this year means next year's: a follow-up looks ahead.
    if parsed.date_naive() < now.date_naive() && !looks_back(&normal) {
        if let Some(next) = parsed.clone().checked_add_months(chrono::Months::new(12)) {
            parsed = next;
        }
    }
    let moment = if names_a_time(&normal) {
        parsed
    } else {
        let day = parsed.date_naive().and_time(DEFAULT_DUE_TIME);
        // A 09:00 skipped by a daylight-saving change falls to the first moment after it.
        tz.from_local_datetime(&day)
            .earliest()
            .or_else(|| {
                tz.from_local_datetime(&(day + chrono::Duration::hours(1)))
                    .earliest()
            })
            .ok_or_else(unreadable)?
    };
    Ok(moment.with_timezone(&Utc))
}

/// Lower case, single spaces, "in " dropped, and number words as digits: "In two Weeks" reads
/// as "2 weeks", which interim understands.
fn normalise(phrase: &str) -> String {
    const WORDS: [(&str, &str); 13] = [
        ("a", "1"),
        ("an", "1"),
        ("one", "1"),
        ("two", "2"),
        ("three", "3"),
        ("four", "4"),
        ("five", "5"),
        ("six", "6"),
        ("seven", "7"),
        ("eight", "8"),
        ("nine", "9"),
        ("ten", "10"),
        ("twelve", "12"),
    ];
    let lower = phrase.trim().to_lowercase();
    let mut words: Vec<&str> = lower.split_whitespace().collect();
    if words.first() == Some(&"in") && words.len() > 1 {
        words.remove(0);
    }
    let starts_with_count = words.len() > 1;
    words
        .iter()
        .enumerate()
        .map(|(i, w)| match WORDS.iter().find(|(word, _)| word == w) {
            Some((_, digits)) if i == 0 && starts_with_count => *digits,
            _ => w,
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// Whether the phrase means the past on purpose, or names its year.
fn looks_back(normal: &str) -> bool {
    normal.contains("ago")
        || normal.contains("last")
        || normal.contains("yesterday")
        || normal
            .split(|c: char| !c.is_ascii_digit())
            .any(|n| n.len() == 4)
        || normal.split('/').count() == 3
}

/// Whether the phrase says a time of day ("3pm", "15:30", "noon") rather than only a day.
fn names_a_time(normal: &str) -> bool {
    normal.contains(':')
        || normal.contains("noon")
        || normal.contains("midnight")
        || normal.split_whitespace().any(|w| {
            (w.ends_with("am") || w.ends_with("pm"))
                && w.trim_end_matches(['a', 'p', 'm'])
                    .chars()
                    .all(|c| c.is_ascii_digit())
                && w.len() > 2
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalising_drops_in_and_turns_counts_into_digits() {
        assert_eq!(normalise("In two Weeks"), "2 weeks");
        assert_eq!(normalise("in a month"), "1 month");
        assert_eq!(normalise("  next   Friday "), "next friday");
        assert_eq!(normalise("a"), "a", "a lone word is left alone");
    }

    #[test]
    fn a_time_is_recognised_only_when_said() {
        assert!(names_a_time("friday 3pm"));
        assert!(names_a_time("24 dec 15:30"));
        assert!(!names_a_time("2 weeks"));
        assert!(!names_a_time("next friday"));
        assert!(!names_a_time("spam"));
    }
}
