//! Moments typed as people say them: a follow-up's due date ("tomorrow", "in 2 weeks", "next
//! friday", "3/12", "24 Dec 3pm"), read ahead, and when a touch happened ("yesterday 3pm",
//! "friday", "2 hours ago"), read back. The phrase is read in the user's own time zone and
//! returned in UTC.
//!
//! The parsing is `interim`'s (GNU `date -d` style English); this module adds the forms it lacks
//! ("in ...", number words) and the rule for a date without a time.

use chrono::{DateTime, NaiveDateTime, NaiveTime, TimeZone, Utc};
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
    if normal.is_empty() {
        return Err(unreadable());
    }
    let tz = now.timezone();
    let mut parsed = read(&normal, now.clone(), order).ok_or_else(unreadable)?;
    // "3/12" or "24 Dec" already gone this year means next year's: a follow-up looks ahead.
    if parsed.date_naive() < now.date_naive() && !looks_back(&normal) {
        if let Some(next) = parsed.clone().checked_add_months(chrono::Months::new(12)) {
            parsed = next;
        }
    }
    let moment = if names_a_time(&normal) {
        parsed
    } else {
        at_local(&tz, parsed.date_naive().and_time(DEFAULT_DUE_TIME)).ok_or_else(unreadable)?
    };
    Ok(moment.with_timezone(&Utc))
}

/// The moment a touch happened, typed as people say it: "now", "yesterday 3pm", "friday" (the
/// last one), "2 hours ago", "3/12" (this year's, or last year's if it is still to come). A
/// day named without a time takes the time of day it is now, so "yesterday" and "friday" are
/// a whole number of days back. An empty phrase is now.
pub fn parse_when<Tz: TimeZone>(
    phrase: &str,
    now: DateTime<Tz>,
    order: DateOrder,
) -> Result<DateTime<Utc>>
where
    DateTime<Tz>: interim::datetime::DateTime,
{
    let normal = normalise(phrase);
    if normal.is_empty() || normal == "now" || normal == "just now" {
        return Ok(now.with_timezone(&Utc));
    }
    let unreadable = || {
        Error::invalid(
            "at",
            format!(
                "{:?} is not a moment Rapport can read; try \"yesterday 3pm\", \"friday\", \"2 hours ago\" or \"3 Dec 10:00\"",
                phrase.trim()
            ),
        )
    };
    let mut parsed = read(&normal, now.clone(), order).ok_or_else(unreadable)?;
    let tz = now.timezone();
    // A touch looks back: a weekday or a date without its year still to come means the last one.
    if parsed > now && !normal.contains("next") && !looks_back(&normal) {
        let back = if names_a_weekday(&normal) {
            parsed.clone().checked_sub_days(chrono::Days::new(7))
        } else if names_a_date(&normal) {
            parsed.clone().checked_sub_months(chrono::Months::new(12))
        } else {
            Some(parsed)
        };
        parsed = back.ok_or_else(unreadable)?;
    }
    if !names_a_time(&normal) && !counts_time(&normal) {
        parsed = at_local(&tz, parsed.date_naive().and_time(now.time())).ok_or_else(unreadable)?;
    }
    let parsed = parsed.with_timezone(&Utc);
    crate::validate::not_future("at", parsed, now.with_timezone(&Utc))?;
    Ok(parsed)
}

/// The moment `local` names in `tz`; one that a daylight-saving change skips falls to the
/// first moment after it.
fn at_local<Tz: TimeZone>(tz: &Tz, local: NaiveDateTime) -> Option<DateTime<Tz>> {
    tz.from_local_datetime(&local).earliest().or_else(|| {
        tz.from_local_datetime(&(local + chrono::Duration::hours(1)))
            .earliest()
    })
}

/// `normal` read by interim in `now`'s zone (against the current fixed offset if the local
/// arithmetic lands in an hour a clock change skips), or `None`.
fn read<Tz: TimeZone>(normal: &str, now: DateTime<Tz>, order: DateOrder) -> Option<DateTime<Tz>>
where
    DateTime<Tz>: interim::datetime::DateTime,
{
    if normal.chars().count() > PHRASE_MAX || longest_word(normal) >= 16 {
        return None;
    }
    let dialect = match order {
        DateOrder::DayMonth => interim::Dialect::Uk,
        DateOrder::MonthDay => interim::Dialect::Us,
    };
    let tz = now.timezone();
    interim::parse_date_string(normal, now.clone(), dialect)
        .or_else(|_| {
            interim::parse_date_string(normal, now.fixed_offset(), dialect)
                .map(|fixed| fixed.with_timezone(&tz))
        })
        .ok()
}

/// The longest run of letters: interim panics on one of 16 or more (its keyword buffer is 16
/// bytes; found by fuzzing), and no English date word is that long.
fn longest_word(normal: &str) -> usize {
    normal
        .split(|c: char| !c.is_ascii_alphabetic())
        .map(str::len)
        .max()
        .unwrap_or(0)
}

/// Whether the phrase names a day of the week.
fn names_a_weekday(normal: &str) -> bool {
    const DAYS: [&str; 7] = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];
    normal
        .split_whitespace()
        .any(|w| DAYS.iter().any(|d| w.starts_with(d)))
}

/// Whether the phrase names a calendar date ("3/12", "24 dec"), which may be last year's.
fn names_a_date(normal: &str) -> bool {
    const MONTHS: [&str; 12] = [
        "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
    ];
    normal.contains('/')
        || normal
            .split_whitespace()
            .any(|w| MONTHS.iter().any(|m| w.starts_with(m)))
}

/// Whether the phrase counts hours or minutes ("2 hours ago"), which set the time themselves.
fn counts_time(normal: &str) -> bool {
    normal.contains("hour") || normal.contains("min")
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
