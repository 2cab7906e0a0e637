//! The reminder engine, driven through a simulated year: every episode fires once, on time,
//! never early, never twice, and never again after a restart.

use std::collections::{HashMap, HashSet};

use chrono::{DateTime, Duration, NaiveTime, TimeZone, Timelike, Utc};
use chrono_tz::Europe::London;
use rapport::{notice, parse_due, ClientInput, DateOrder, NoteInput, QuietHours, Reminder};

use crate::util::*;

/// A small deterministic generator, so the year is the same on every run.
struct Lcg(u64);
impl Lcg {
    fn next(&mut self, n: u64) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (self.0 >> 33) % n
    }
}

/// What the test knows of each client, to say independently when a reminder is due.
#[derive(Clone)]
struct Model {
    created: DateTime<Utc>,
    last_touch: Option<DateTime<Utc>>,
    cadence: i64,
    snoozed_until: Option<DateTime<Utc>>,
    archived: bool,
}

impl Model {
    fn episode(&self) -> DateTime<Utc> {
        let due = self.last_touch.unwrap_or(self.created) + Duration::days(self.cadence);
        self.snoozed_until.map_or(due, |s| s.max(due))
    }
}

/// Which item (0 relationship, 1 follow-up), its id, and the episode.
type Key = (i64, i64, DateTime<Utc>);
/// An episode and the hour it fired.
type Firing = (Key, DateTime<Utc>);

fn key(r: &Reminder) -> Key {
    match r {
        Reminder::Relationship {
            client_id, episode, ..
        } => (0, *client_id, *episode),
        Reminder::FollowUp {
            follow_up_id,
            episode,
            ..
        } => (1, *follow_up_id, *episode),
    }
}

#[test]
fn a_simulated_year_fires_every_episode_once_on_time() {
    let mut j = TestJournal::new();
    let mut rng = Lcg(7);
    let mut models: HashMap<i64, Model> = HashMap::new();
    for i in 0..12 {
        let cadence = [3, 7, 14, 30][i % 4];
        let c = j.add_with_cadence(&format!("Client {i}"), cadence as u32, t0());
        models.insert(
            c.id,
            Model {
                created: t0(),
                last_touch: None,
                cadence,
                snoozed_until: None,
                archived: false,
            },
        );
    }
    let ids: Vec<i64> = {
        let mut v: Vec<i64> = models.keys().copied().collect();
        v.sort();
        v
    };
    // Follow-ups: (id, episode) as the test expects them.
    let mut follow_ups: HashMap<i64, DateTime<Utc>> = HashMap::new();

    let mut fired: Vec<Firing> = Vec::new();
    let mut expected: Vec<Firing> = Vec::new();
    let mut expected_seen: HashSet<Key> = HashSet::new();
    let hours_in_year = 365 * 24;
    for h in 1..=hours_in_year {
        let now = t0() + Duration::hours(h);
        // The day's events, at whole hours, chosen by the generator.
        if rng.next(6) == 0 {
            let id = ids[rng.next(ids.len() as u64) as usize];
            match rng.next(10) {
                0..=4 => {
                    j.call(id, now, "touch");
                    models.get_mut(&id).unwrap().last_touch = Some(now);
                }
                5 => {
                    j.add_note(
                        &NoteInput {
                            client_id: id,
                            body: "a note is not a touch".into(),
                            ..Default::default()
                        },
                        now,
                    )
                    .unwrap();
                }
                6 => {
                    let until = now + Duration::hours(1 + rng.next(72) as i64);
                    j.snooze_client(id, Some(until), now).unwrap();
                    models.get_mut(&id).unwrap().snoozed_until = Some(until);
                }
                7 => {
                    let archived = !models[&id].archived;
                    if archived {
                        j.archive_client(id, now).unwrap();
                    } else {
                        j.unarchive_client(id).unwrap();
                    }
                    models.get_mut(&id).unwrap().archived = archived;
                }
                8 => {
                    let cadence = [2, 5, 10, 21][rng.next(4) as usize];
                    let c = j.client(id).unwrap();
                    let input = ClientInput {
                        name: c.name,
                        cadence_days: Some(cadence as u32),
                        ..Default::default()
                    };
                    j.update_client(id, &input, now).unwrap();
                    models.get_mut(&id).unwrap().cadence = cadence;
                }
                _ => {
                    if !models[&id].archived {
                        let due = now + Duration::hours(rng.next(24 * 20) as i64);
                        let f = j.promise(id, "promise", due, now);
                        follow_ups.insert(f.id, due);
                    }
                }
            }
        }

        // What the test expects to fire now.
        for (&id, m) in &models {
            let episode = m.episode();
            if !m.archived && episode <= now && expected_seen.insert((0, id, episode)) {
                expected.push(((0, id, episode), now));
            }
        }
        for (&id, &due) in &follow_ups {
            let client = j.follow_up(id).unwrap().client_id;
            if !models[&client].archived && due <= now && expected_seen.insert((1, id, due)) {
                expected.push(((1, id, due), now));
            }
        }

        // What the engine fires.
        let due = j.due_reminders(now).unwrap();
        for r in &due {
            assert!(r.episode() <= now, "fired early: {r:?} at {now}");
            fired.push((key(r), now));
        }
        j.mark_fired(&due, now).unwrap();
        // The loop may sleep until the next due moment: nothing may fall due before it.
        if let Some(next) = j.next_due_moment(now).unwrap() {
            assert!(next > now);
        }
        if h % (24 * 30) == 0 {
            j.reopen(); // a restart each month changes nothing
        }
    }
    fired.sort();
    expected.sort();
    let unique: HashSet<_> = fired.iter().map(|(k, _)| *k).collect();
    assert_eq!(unique.len(), fired.len(), "an episode fired twice");
    assert_eq!(
        fired.len(),
        expected.len(),
        "fired {} expected {}",
        fired.len(),
        expected.len()
    );
    assert_eq!(
        fired, expected,
        "every episode fires once, at the first hour it is due"
    );
    assert!(
        fired.len() > 200,
        "the year exercised the engine: {} fired",
        fired.len()
    );
}

#[test]
fn the_next_due_moment_is_never_after_what_fires() {
    let mut j = TestJournal::new();
    let a = j.add("A", t0()); // due day 30
    let b = j.add("B", t0());
    j.call(b.id, day(5), "b"); // due day 35
    j.snooze_client(a.id, Some(day(32)), day(31)).unwrap();
    j.promise(b.id, "x", day(20), day(1));
    assert_eq!(j.next_due_moment(day(1)).unwrap(), Some(day(20)));
    assert_eq!(j.next_due_moment(day(20)).unwrap(), Some(day(30)));
    assert_eq!(
        j.next_due_moment(day(31)).unwrap(),
        Some(day(32)),
        "the snooze's end"
    );
    assert_eq!(j.next_due_moment(day(33)).unwrap(), Some(day(35)));
    j.archive_client(b.id, day(33)).unwrap();
    assert_eq!(j.next_due_moment(day(36)).unwrap(), None);
}

#[test]
fn a_restart_does_not_repeat_and_a_touch_or_expired_snooze_starts_a_new_episode() {
    let mut j = TestJournal::new();
    let c = j.add("Drifting", t0());
    let first = j.due_reminders(day(31)).unwrap();
    assert_eq!(first.len(), 1);
    j.mark_fired(&first, day(31)).unwrap();
    j.reopen();
    assert!(
        j.due_reminders(day(32)).unwrap().is_empty(),
        "not again after a restart"
    );
    j.snooze_client(c.id, Some(day(35)), day(32)).unwrap();
    assert!(j.due_reminders(day(34)).unwrap().is_empty(), "snoozed");
    let again = j.due_reminders(day(35)).unwrap();
    assert_eq!(again.len(), 1, "an expired snooze re-arms");
    j.mark_fired(&again, day(35)).unwrap();
    j.call(c.id, day(36), "back in touch");
    assert!(
        j.due_reminders(day(60)).unwrap().is_empty(),
        "the touch ended the episode"
    );
    assert_eq!(
        j.due_reminders(day(66)).unwrap().len(),
        1,
        "a new episode, a cadence later"
    );
}

#[test]
fn the_notice_names_the_client_or_sums_up_several() {
    let now = day(40);
    let one = Reminder::Relationship {
        client_id: 1,
        name: "Ada Lovelace".into(),
        cadence: 14,
        last_touch_at: Some(day(0)),
        created_at: t0(),
        episode: day(14),
    };
    let n = notice(std::slice::from_ref(&one), now).unwrap();
    assert_eq!(n.title, "Time to get in touch with Ada Lovelace");
    assert_eq!(
        n.body,
        "40 days since your last touch; you usually speak every 14 days."
    );
    let promise = Reminder::FollowUp {
        follow_up_id: 9,
        client_id: 2,
        name: "Grace Hopper".into(),
        what: "Send the COBOL notes".into(),
        due_at: Utc.with_ymd_and_hms(2026, 4, 3, 9, 0, 0).unwrap(),
        episode: day(30),
    };
    let n = notice(std::slice::from_ref(&promise), now).unwrap();
    assert_eq!(n.title, "Follow-up due for Grace Hopper");
    assert_eq!(n.body, "Send the COBOL notes: promised for 3 Apr 2026.");
    let mut many = vec![one.clone(), promise];
    for (i, name) in ["Alan", "Barbara", "Claude", "Dennis"].iter().enumerate() {
        many.push(Reminder::Relationship {
            client_id: 10 + i as i64,
            name: (*name).into(),
            cadence: 14,
            last_touch_at: None,
            created_at: t0(),
            episode: day(14),
        });
    }
    let n = notice(&many, now).unwrap();
    assert_eq!(n.title, "5 relationships need a touch, 1 follow-up due");
    assert_eq!(
        n.body,
        "Ada Lovelace, Grace Hopper, Alan, Barbara and 2 more."
    );
    assert_eq!(notice(&[], now), None);
}

#[test]
fn quiet_hours_hold_back_until_morning_across_daylight_saving() {
    let quiet = QuietHours::default();
    let at = |y, m, d, h, min| London.with_ymd_and_hms(y, m, d, h, min, 0).unwrap();
    assert!(!quiet.contains(&at(2026, 3, 2, 19, 59)));
    assert!(quiet.contains(&at(2026, 3, 2, 20, 0)));
    assert!(quiet.contains(&at(2026, 3, 3, 7, 59)));
    assert!(!quiet.contains(&at(2026, 3, 3, 8, 0)));
    // Evening before the clocks go forward (29 March 2026): morning is 08:00 BST = 07:00 UTC.
    assert_eq!(
        quiet.ends_after(&at(2026, 3, 28, 22, 0)),
        Utc.with_ymd_and_hms(2026, 3, 29, 7, 0, 0).unwrap()
    );
    // Evening before they go back (25 October 2026): 08:00 GMT = 08:00 UTC.
    assert_eq!(
        quiet.ends_after(&at(2026, 10, 24, 23, 30)),
        Utc.with_ymd_and_hms(2026, 10, 25, 8, 0, 0).unwrap()
    );
    // After midnight, the same morning.
    assert_eq!(
        quiet.ends_after(&at(2026, 6, 1, 3, 0)),
        Utc.with_ymd_and_hms(2026, 6, 1, 7, 0, 0).unwrap()
    );
    let daytime = at(2026, 6, 1, 12, 0);
    assert_eq!(quiet.ends_after(&daytime), daytime.with_timezone(&Utc));
    // Quiet hours within one day, and none at all.
    let lunch = QuietHours {
        start: NaiveTime::from_hms_opt(12, 0, 0).unwrap(),
        end: NaiveTime::from_hms_opt(13, 0, 0).unwrap(),
    };
    assert!(lunch.contains(&at(2026, 6, 1, 12, 30)));
    assert!(!lunch.contains(&at(2026, 6, 1, 13, 0)));
    let never = QuietHours {
        start: lunch.start,
        end: lunch.start,
    };
    assert!(!never.contains(&at(2026, 6, 1, 12, 0)));
}

#[test]
fn quiet_hours_are_kept_in_the_journal() {
    let mut j = TestJournal::new();
    assert_eq!(j.quiet_hours().unwrap(), QuietHours::default());
    let late = QuietHours {
        start: NaiveTime::from_hms_opt(22, 30, 0).unwrap(),
        end: NaiveTime::from_hms_opt(7, 0, 0).unwrap(),
    };
    j.set_quiet_hours(late).unwrap();
    j.reopen();
    assert_eq!(j.quiet_hours().unwrap(), late);
}

/// A year in London, lived by a loop that wakes at `steps`, with the default quiet hours:
/// relationships on short rhythms, follow-ups typed as phrases ("tomorrow" is 09:00 local on
/// either side of a clock change), snoozes to tomorrow morning, and a restart each month.
/// Returns the number told.
fn live_a_london_year(steps: &[DateTime<Utc>]) -> usize {
    let mut j = TestJournal::new();
    let start = steps[0] - Duration::hours(1);
    let mut rng = Lcg(11);
    let mut models: HashMap<i64, Model> = HashMap::new();
    for i in 0..8 {
        let cadence = [1, 2, 3, 5][i % 4];
        let c = j.add_with_cadence(&format!("Londoner {i}"), cadence as u32, start);
        let model = Model {
            created: start,
            last_touch: None,
            cadence,
            snoozed_until: None,
            archived: false,
        };
        models.insert(c.id, model);
    }
    let mut ids: Vec<i64> = models.keys().copied().collect();
    ids.sort();
    let mut follow_ups: HashMap<i64, DateTime<Utc>> = HashMap::new();
    let mut told: Vec<Firing> = Vec::new();
    let mut expected: Vec<Firing> = Vec::new();
    let mut expected_seen: HashSet<Key> = HashSet::new();
    let phrases = [
        "tomorrow",
        "in 3 days",
        "next monday",
        "friday 3pm",
        "in 2 weeks",
    ];
    for (n, &now) in steps.iter().enumerate() {
        let local = now.with_timezone(&London);
        if rng.next(3) == 0 {
            let id = ids[rng.next(ids.len() as u64) as usize];
            match rng.next(4) {
                0 | 1 => {
                    j.call(id, now, "touch");
                    models.get_mut(&id).unwrap().last_touch = Some(now);
                }
                2 => {
                    let until = parse_due("tomorrow", local, DateOrder::DayMonth).unwrap();
                    assert_eq!(
                        until.with_timezone(&London).hour(),
                        9,
                        "tomorrow at {local}"
                    );
                    j.snooze_client(id, Some(until), now).unwrap();
                    models.get_mut(&id).unwrap().snoozed_until = Some(until);
                }
                _ => {
                    let phrase = phrases[rng.next(phrases.len() as u64) as usize];
                    let due = parse_due(phrase, local, DateOrder::DayMonth).unwrap();
                    let due_local = due.with_timezone(&London);
                    let wanted = if phrase.ends_with("3pm") { 15 } else { 9 };
                    assert_eq!(
                        due_local.hour(),
                        wanted,
                        "{phrase:?} at {local}: {due_local}"
                    );
                    let f = j.promise(id, phrase, due, now);
                    follow_ups.insert(f.id, due);
                }
            }
        }
        // What the test expects told now: what is due, on an hour outside quiet hours (08:00 to
        // 20:00 on the London wall clock), worked out from the hour alone.
        if (8..20).contains(&local.hour()) {
            for (&id, m) in &models {
                let episode = m.episode();
                if episode <= now && expected_seen.insert((0, id, episode)) {
                    expected.push(((0, id, episode), now));
                }
            }
            for (&id, &due) in &follow_ups {
                if due <= now && expected_seen.insert((1, id, due)) {
                    expected.push(((1, id, due), now));
                }
            }
        }
        let tell = j.reminders_to_tell(&local).unwrap();
        for r in &tell {
            assert!(r.episode() <= now, "told early: {r:?} at {local}");
            told.push((key(r), now));
        }
        j.mark_fired(&tell, now).unwrap();
        if n % (24 * 30) == 0 {
            j.reopen();
        }
    }
    expected.sort();
    told.sort();
    let unique: HashSet<_> = told.iter().map(|(k, _)| *k).collect();
    assert_eq!(unique.len(), told.len(), "an episode was told twice");
    assert_eq!(
        told, expected,
        "every episode told once, at its first waking hour"
    );
    told.len()
}

#[test]
fn a_london_year_woken_hourly_tells_each_episode_once_across_clock_changes() {
    // Hourly on the real clock from 1 January 2026: through 29 March (clocks forward) and
    // 25 October (clocks back).
    let start = London
        .with_ymd_and_hms(2026, 1, 1, 0, 0, 0)
        .unwrap()
        .with_timezone(&Utc);
    let steps: Vec<_> = (0..365 * 24).map(|h| start + Duration::hours(h)).collect();
    let told = live_a_london_year(&steps);
    assert!(told > 500, "the year exercised the engine: {told} told");
}

#[test]
fn a_london_year_woken_daily_tells_each_episode_once_across_clock_changes() {
    // Once a day at 07:30 local (before quiet hours end, so that day's look tells nothing) or
    // 12:00: a machine opened once a day, asleep in between.
    let steps: Vec<_> = (0..365)
        .map(|d| {
            let day = chrono::NaiveDate::from_ymd_opt(2026, 1, 1).unwrap() + Duration::days(d);
            let (h, m) = if d % 7 == 3 { (7, 30) } else { (12, 0) };
            London
                .from_local_datetime(&day.and_hms_opt(h, m, 0).unwrap())
                .single()
                .unwrap()
                .with_timezone(&Utc)
        })
        .collect();
    let told = live_a_london_year(&steps);
    assert!(told > 100, "the year exercised the engine: {told} told");
}

#[test]
fn an_episode_told_while_the_clock_ran_ahead_is_told_again_when_it_really_falls_due() {
    let mut j = TestJournal::new();
    j.add("Told early", t0());
    // One start with the clock forty days ahead: the relationship looks due, and is told.
    let told_early = j.due_reminders(day(45)).unwrap();
    assert_eq!(told_early.len(), 1);
    j.mark_fired(&told_early, day(45)).unwrap();
    // The clock right again: not before it is due, then on the day it really is.
    assert!(j.due_reminders(day(29)).unwrap().is_empty());
    let on_time = j.due_reminders(day(31)).unwrap();
    assert_eq!(on_time.len(), 1, "told again when it really falls due");
    j.mark_fired(&on_time, day(31)).unwrap();
    assert!(
        j.due_reminders(day(31) + hours(1)).unwrap().is_empty(),
        "and then once only"
    );
    // A clock set back by minutes (a time server's correction) repeats nothing.
    assert!(j
        .due_reminders(day(31) - Duration::minutes(20))
        .unwrap()
        .is_empty());
}

#[test]
fn a_touch_logged_with_the_clock_years_ahead_does_not_put_the_client_off_for_years() {
    let mut j = TestJournal::new();
    let c = j.add("Logged in 2031", t0());
    let in_2031 = Utc.with_ymd_and_hms(2031, 3, 2, 9, 0, 0).unwrap();
    j.call(c.id, in_2031, "lunch");
    assert!(j.due_reminders(day(40)).unwrap().is_empty(), "due in 2031");
    // With the clock right, the rhythm counts from now: due a rhythm later, not in 2031.
    assert_eq!(j.settle_future_touches(day(40)).unwrap(), 1);
    assert!(j.due_reminders(day(69)).unwrap().is_empty());
    assert_eq!(j.due_reminders(day(71)).unwrap().len(), 1);
    // Looked at again, nothing moves: the due date is not pushed on at every look.
    assert_eq!(j.settle_future_touches(day(41)).unwrap(), 0);
    assert_eq!(j.due_reminders(day(71)).unwrap().len(), 1);
    // The touch is kept as written, for the user to correct.
    assert_eq!(j.client(c.id).unwrap().last_touch_at, Some(in_2031));
}
