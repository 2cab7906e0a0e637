//! Due dates typed as phrases, read in the user's time zone.

use chrono::{DateTime, TimeZone, Utc};
use chrono_tz::Europe::London;
use rapport::{parse_due, DateOrder};

fn utc(y: i32, m: u32, d: u32, h: u32, min: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(y, m, d, h, min, 0).unwrap()
}

/// Monday 23 November 2026, 10:30 in London (GMT, so UTC too).
fn monday() -> DateTime<chrono_tz::Tz> {
    London.with_ymd_and_hms(2026, 11, 23, 10, 30, 0).unwrap()
}

#[test]
fn common_phrases_name_the_day_at_nine_in_the_morning() {
    let due = |p: &str| parse_due(p, monday(), DateOrder::DayMonth).unwrap();
    assert_eq!(due("tomorrow"), utc(2026, 11, 24, 9, 0));
    assert_eq!(due("in 2 weeks"), utc(2026, 12, 7, 9, 0));
    assert_eq!(due("In two weeks"), utc(2026, 12, 7, 9, 0));
    assert_eq!(due("in 3 days"), utc(2026, 11, 26, 9, 0));
    assert_eq!(due("in a month"), utc(2026, 12, 23, 9, 0));
    assert_eq!(due("friday"), utc(2026, 11, 27, 9, 0));
    assert_eq!(due("2026-12-24"), utc(2026, 12, 24, 9, 0));
    assert_eq!(due("24 Dec"), utc(2026, 12, 24, 9, 0));
}

#[test]
fn a_time_of_day_is_kept_when_given() {
    let due = |p: &str| parse_due(p, monday(), DateOrder::DayMonth).unwrap();
    assert_eq!(due("friday 3pm"), utc(2026, 11, 27, 15, 0));
    assert_eq!(due("tomorrow 14:30"), utc(2026, 11, 24, 14, 30));
}

#[test]
fn numeric_dates_follow_the_users_order_and_look_ahead() {
    assert_eq!(
        parse_due("3/12", monday(), DateOrder::DayMonth).unwrap(),
        utc(2026, 12, 3, 9, 0)
    );
    // The 12th of March has passed this year, so a follow-up means next year's.
    assert_eq!(
        parse_due("3/12", monday(), DateOrder::MonthDay).unwrap(),
        utc(2027, 3, 12, 9, 0)
    );
    assert_eq!(
        parse_due("next friday", monday(), DateOrder::MonthDay).unwrap(),
        utc(2026, 11, 27, 9, 0)
    );
}

#[test]
fn local_time_is_converted_to_utc_across_daylight_saving() {
    // In June London is on BST (UTC+1): nine in the morning there is eight in UTC.
    let june = London.with_ymd_and_hms(2026, 6, 1, 12, 0, 0).unwrap();
    assert_eq!(
        parse_due("tomorrow", june, DateOrder::DayMonth).unwrap(),
        utc(2026, 6, 2, 8, 0)
    );
    // Across the change at the end of October: the day after, nine is GMT again.
    let before = London.with_ymd_and_hms(2026, 10, 24, 12, 0, 0).unwrap();
    assert_eq!(
        parse_due("in 2 days", before, DateOrder::DayMonth).unwrap(),
        utc(2026, 10, 26, 9, 0)
    );
}

#[test]
fn an_unreadable_phrase_says_what_would_work() {
    for phrase in ["", "blah", "someday soon", &"x".repeat(500)] {
        let err = parse_due(phrase, monday(), DateOrder::DayMonth).unwrap_err();
        assert_eq!(err.kind(), "invalid", "{phrase:?}");
        assert!(err.to_string().starts_with("due:"), "{err}");
        assert!(err.to_string().contains("tomorrow"), "{err}");
    }
}

/// Found by fuzzing: a word of 16 letters or more made the date library panic.
#[test]
fn a_very_long_word_is_not_a_date_and_does_not_panic() {
    for phrase in [
        " s9emoyooejunyoydan9",
        "abcdefghijklmnop",
        "next abcdefghijklmnopq",
    ] {
        for order in [DateOrder::DayMonth, DateOrder::MonthDay] {
            let err = parse_due(phrase, monday(), order).unwrap_err();
            assert_eq!(err.kind(), "invalid", "{phrase:?}");
        }
    }
    // Fifteen letters still reach the parser (and are refused as unreadable, not a panic).
    assert!(parse_due("abcdefghijklmno", monday(), DateOrder::DayMonth).is_err());
}

#[test]
fn a_phrase_said_in_the_night_before_a_clock_change_is_still_read() {
    // At 01:30 on 28 March 2026, "tomorrow" is a day on which 01:30 does not exist (the clocks
    // go from 01:00 to 02:00). Found by the simulated London year.
    let night = London.with_ymd_and_hms(2026, 3, 28, 1, 30, 0).unwrap();
    let tomorrow = parse_due("tomorrow", night, DateOrder::DayMonth).unwrap();
    assert_eq!(tomorrow, utc(2026, 3, 29, 8, 0), "09:00 BST");
    let one_day = parse_due("in 1 day", night, DateOrder::DayMonth).unwrap();
    assert_eq!(one_day, utc(2026, 3, 29, 8, 0));
}
