//! Moments typed as phrases (due dates ahead, touches back), read in the user's time zone.

use chrono::{DateTime, TimeZone, Utc};
use chrono_tz::Europe::London;
use rapport::{parse_due, parse_when, DateOrder};

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

/// Saturday 5 December 2026, 15:20 in London.
fn saturday() -> DateTime<chrono_tz::Tz> {
    London.with_ymd_and_hms(2026, 12, 5, 15, 20, 0).unwrap()
}

#[test]
fn when_a_touch_happened_is_read_looking_back() {
    let when = |p: &str| parse_when(p, saturday(), DateOrder::DayMonth).unwrap();
    assert_eq!(when(""), utc(2026, 12, 5, 15, 20), "left empty, it is now");
    assert_eq!(when("now"), utc(2026, 12, 5, 15, 20));
    assert_eq!(when("yesterday 3pm"), utc(2026, 12, 4, 15, 0));
    assert_eq!(when("10am"), utc(2026, 12, 5, 10, 0));
    assert_eq!(when("2 hours ago"), utc(2026, 12, 5, 13, 20));
    // A weekday is the last one (today's, if today is that day), at the time it is now.
    assert_eq!(when("friday"), utc(2026, 12, 4, 15, 20));
    assert_eq!(when("saturday"), utc(2026, 12, 5, 15, 20));
    assert_eq!(when("monday 9:30"), utc(2026, 11, 30, 9, 30));
    assert_eq!(when("yesterday"), utc(2026, 12, 4, 15, 20));
    // A date without its year is this year's, or last year's while this year's is to come.
    assert_eq!(when("3/12 10:00"), utc(2026, 12, 3, 10, 0));
    assert_eq!(when("24 Dec"), utc(2025, 12, 24, 15, 20));
    assert_eq!(
        parse_when("12/24", saturday(), DateOrder::MonthDay).unwrap(),
        utc(2025, 12, 24, 15, 20)
    );
}

#[test]
fn when_a_touch_happened_is_never_far_ahead_and_an_unreadable_phrase_says_so() {
    let refused = |p: &str| parse_when(p, saturday(), DateOrder::DayMonth).unwrap_err();
    let ahead = refused("in 2 weeks");
    assert_eq!(ahead.kind(), "invalid");
    assert!(ahead.to_string().starts_with("at:"), "{ahead}");
    assert!(ahead.to_string().contains("future"), "{ahead}");
    let nonsense = refused("when pigs fly");
    assert!(nonsense.to_string().starts_with("at:"), "{nonsense}");
    assert!(nonsense.to_string().contains("yesterday 3pm"), "{nonsense}");
    assert!(parse_when(&"x".repeat(40), saturday(), DateOrder::DayMonth).is_err());
}

#[test]
fn when_read_in_summer_time_is_converted_to_utc() {
    // 3pm in London in July is 14:00 UTC.
    let july = London.with_ymd_and_hms(2026, 7, 10, 18, 0, 0).unwrap();
    assert_eq!(
        parse_when("yesterday 3pm", july, DateOrder::DayMonth).unwrap(),
        utc(2026, 7, 9, 14, 0)
    );
}
