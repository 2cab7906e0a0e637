//! A deterministic generator of large, realistic journals, for benchmarks and tests.
//!
//! The same [`GenerateOptions`] (seed included) always give the same journal, byte for byte in
//! its rows: every random choice comes from one small seeded generator ([`crate::SplitMix64`]), drawn in
//! a fixed order. Everything is written through the journal's public API (`create_client`,
//! `log_touch`, `add_note`, `add_follow_up`, `set_stage`, ...), grouped in [`Journal::bulk`]
//! batches, so a generated journal has passed the same validation as one typed by hand, and its
//! generation time measures the core's own bulk writing.
//!
//! What it makes, for the default benchmark options: 10,000 clients in 1,500 organisations, a
//! Zipf-like skew of activity (a few clients with tens of thousands of entries, most with a few
//! dozen), 1,000,000 touches and 100,000 notes over ten years ending at a fixed `now`, texts from a
//! few words to a few paragraphs whose words follow a Zipf law over a 20,000-word vocabulary (so
//! search meets both very common and very rare words), follow-ups born in touches (mostly done,
//! some open, some overdue, a few snoozed), stage histories, introductions, tags and facts.

use std::collections::HashSet;

use chrono::{DateTime, Duration, TimeZone, Utc};

use rapport::{
    ClientInput, Fact, FollowUpDraft, FollowUpInput, Journal, NoteInput, Pillars, Result, Stage,
    TouchInput, TouchKind,
};

use crate::random::{SplitMix64, Zipf};
use crate::words::{
    COMMON_WORDS, FACT_LABELS, FIRST_NAMES, LAST_NAMES, ORG_KINDS, ORG_WORDS, PROMISES, ROLES,
    SYLLABLES, TAGS,
};

/// Bumped whenever the generator would make a different journal from the same options, so that
/// a cached generated journal is never reused across versions.
pub const GENERATOR_VERSION: u32 = 1;

/// What to generate.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct GenerateOptions {
    /// How many clients.
    pub clients: u32,
    /// How many organisations they belong to (a few clients have none).
    pub organisations: u32,
    /// How many touches in all (notes come on top: one for every ten touches).
    pub touches: u32,
    /// Over how many years, ending at `now`.
    pub years: u32,
    /// The seed: the same seed gives the same journal.
    pub seed: u64,
    /// The end of the generated history; nothing is dated after it.
    pub now: DateTime<Utc>,
}

impl GenerateOptions {
    /// The benchmark's journal: 10,000 clients, 1,500 organisations, 1,000,000 touches over ten
    /// years ending on Monday 23 November 2026, 09:00 UTC.
    pub fn benchmark(seed: u64) -> GenerateOptions {
        GenerateOptions {
            clients: 10_000,
            organisations: 1_500,
            touches: 1_000_000,
            years: 10,
            seed,
            now: Utc
                .with_ymd_and_hms(2026, 11, 23, 9, 0, 0)
                .single()
                .unwrap_or_default(),
        }
    }
}

/// What the generator wrote.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Generated {
    /// Clients added.
    pub clients: u64,
    /// Of them, archived.
    pub archived: u64,
    /// Touches logged.
    pub touches: u64,
    /// Notes added.
    pub notes: u64,
    /// Follow-ups made (born in touches or standalone).
    pub follow_ups: u64,
    /// Of them, still open at `now`.
    pub open_follow_ups: u64,
    /// Stage moves recorded (besides each client's first stage).
    pub stage_changes: u64,
    /// Introductions recorded.
    pub introductions: u64,
    /// The client with the longest timeline.
    pub busiest_client: i64,
    /// How many touches and notes that client has.
    pub busiest_entries: u64,
}
const KINDS: &[(TouchKind, u32)] = &[
    (TouchKind::Email, 35),
    (TouchKind::Call, 25),
    (TouchKind::Meeting, 15),
    (TouchKind::Message, 15),
    (TouchKind::ValueAdd, 5),
    (TouchKind::Event, 4),
    (TouchKind::Introduction, 1),
];

/// How many writes go into one [`Journal::bulk`] batch.
const BATCH: usize = 20_000;

/// The vocabulary's size: its common words, then invented ones.
const VOCABULARY: usize = 20_000;

struct Words {
    vocabulary: Vec<String>,
    zipf: Zipf,
}

impl Words {
    fn new() -> Words {
        let mut vocabulary: Vec<String> = Vec::with_capacity(VOCABULARY);
        let mut seen: HashSet<String> = HashSet::new();
        for w in COMMON_WORDS {
            if seen.insert((*w).to_string()) {
                vocabulary.push((*w).to_string());
            }
        }
        // Invented words, from two to four syllables, in a fixed order.
        let n = SYLLABLES.len();
        let mut i = 0usize;
        while vocabulary.len() < VOCABULARY {
            let syllables = 2 + i % 3;
            let mut k = i / 3;
            let mut w = String::new();
            for _ in 0..syllables {
                w.push_str(SYLLABLES[k % n]);
                k = k / n + 7;
            }
            i += 1;
            if seen.insert(w.clone()) {
                vocabulary.push(w);
            }
        }
        Words {
            zipf: Zipf::new(vocabulary.len(), 1.07),
            vocabulary,
        }
    }

    fn word(&self, rng: &mut SplitMix64) -> &str {
        &self.vocabulary[self.zipf.sample(rng)]
    }

    /// `count` words separated by spaces, the first capitalised.
    fn phrase(&self, rng: &mut SplitMix64, count: usize, out: &mut String) {
        for i in 0..count {
            let w = self.word(rng);
            if i == 0 {
                let mut chars = w.chars();
                if let Some(c) = chars.next() {
                    out.extend(c.to_uppercase());
                    out.push_str(chars.as_str());
                }
            } else {
                out.push(' ');
                out.push_str(w);
            }
        }
    }

    fn sentence(&self, rng: &mut SplitMix64, out: &mut String) {
        let n = rng.between(4, 18) as usize;
        self.phrase(rng, n, out);
        out.push('.');
    }

    /// A touch's or note's body: empty, a sentence or two, a paragraph, or a few paragraphs.
    fn body(&self, rng: &mut SplitMix64) -> String {
        let mut out = String::new();
        let roll = rng.unit();
        let (paragraphs, sentences) = if roll < 0.15 {
            return out;
        } else if roll < 0.60 {
            (1, 1..=2)
        } else if roll < 0.90 {
            (1, 3..=8)
        } else {
            (rng.between(2, 5), 3..=7)
        };
        for p in 0..paragraphs {
            if p > 0 {
                out.push_str("\n\n");
            }
            let n = rng.between(*sentences.start(), *sentences.end());
            for s in 0..n {
                if s > 0 {
                    out.push(' ');
                }
                self.sentence(rng, &mut out);
            }
        }
        out
    }

    fn summary(&self, rng: &mut SplitMix64) -> String {
        let mut out = String::new();
        let n = rng.between(2, 8) as usize;
        self.phrase(rng, n, &mut out);
        out
    }
}

/// A client to be: when they are added, how active they are, and until when.
struct Plan {
    created: i64,
    active_until: i64,
    /// 0 for the busiest client.
    popularity: usize,
}

/// The generator's state: one random sequence, and the words it draws from.
struct Gen {
    rng: SplitMix64,
    words: Words,
    organisations: Vec<String>,
    org_zipf: Zipf,
}

impl Gen {
    fn client_input(&mut self, index: usize) -> ClientInput {
        let rng = &mut self.rng;
        let first = *rng.pick(FIRST_NAMES);
        let last = *rng.pick(LAST_NAMES);
        let organisation = if rng.chance(0.05) {
            String::new()
        } else {
            self.organisations[self.org_zipf.sample(rng)].clone()
        };
        let domain: String = if organisation.is_empty() {
            "example.org".to_string()
        } else {
            format!(
                "{}.example",
                organisation
                    .chars()
                    .filter(|c| c.is_ascii_alphanumeric())
                    .collect::<String>()
                    .to_lowercase()
            )
        };
        let local: String = format!("{first}.{last}.{index}")
            .chars()
            .filter(|c| c.is_ascii_alphanumeric() || *c == '.')
            .collect::<String>()
            .to_lowercase();
        let mut profile = String::new();
        for s in 0..rng.between(0, 3) {
            if s > 0 {
                profile.push(' ');
            }
            self.words.sentence(rng, &mut profile);
        }
        let facts = (0..rng.between(0, 3))
            .map(|_| {
                let mut value = String::new();
                let n = rng.between(2, 6) as usize;
                self.words.phrase(rng, n, &mut value);
                Fact {
                    label: (*rng.pick(FACT_LABELS)).to_string(),
                    value,
                }
            })
            .collect();
        let tags = (0..rng.between(0, 4))
            .map(|_| (*rng.pick(TAGS)).to_string())
            .collect();
        let rating = |rng: &mut SplitMix64| Some(rng.between(1, 5) as u8);
        let pillars = if rng.chance(0.6) {
            Pillars {
                compatibility: rating(rng),
                knowledge: rating(rng),
                trust: rating(rng),
            }
        } else {
            Pillars::default()
        };
        ClientInput {
            name: format!("{first} {last}"),
            organisation,
            role: (*rng.pick(ROLES)).to_string(),
            email: format!("{local}@{domain}"),
            phone: format!("+44 20 7946 {:04}", rng.below(10_000)),
            profile,
            facts,
            tags,
            cadence_days: rng.chance(0.1).then(|| rng.between(7, 90) as u32),
            pillars,
        }
    }

    fn kind(&mut self) -> TouchKind {
        let total: u32 = KINDS.iter().map(|(_, w)| w).sum();
        let mut roll = self.rng.below(u64::from(total)) as u32;
        for (kind, weight) in KINDS {
            if roll < *weight {
                return *kind;
            }
            roll -= weight;
        }
        TouchKind::Call
    }
}

fn at(secs: i64) -> DateTime<Utc> {
    Utc.timestamp_opt(secs, 0).single().unwrap_or_default()
}

/// Fills `journal` with a generated history. Deterministic: the same options give the same rows.
/// Meant for a new, empty journal; every write goes through the journal's API, in batches.
pub fn generate(journal: &mut Journal, options: &GenerateOptions) -> Result<Generated> {
    let mut rng = SplitMix64::new(options.seed);
    let now = options.now.timestamp();
    let span = i64::from(options.years.max(1)) * 365 * 86_400;
    let start = now - span;
    let n_clients = options.clients.max(1) as usize;

    // Organisations: every word with every kind, in a shuffled order.
    let mut organisations: Vec<String> = ORG_WORDS
        .iter()
        .flat_map(|w| ORG_KINDS.iter().map(move |k| format!("{w} {k}")))
        .collect();
    shuffle(&mut rng, &mut organisations);
    let wanted = options.organisations.max(1) as usize;
    let mut extra = 2;
    while organisations.len() < wanted {
        let base = organisations[organisations.len() % (ORG_WORDS.len() * ORG_KINDS.len())].clone();
        organisations.push(format!("{base} {extra}"));
        extra += 1;
    }
    organisations.truncate(wanted);

    // Clients: popularity ranks in a random order; the busiest were added early on.
    let mut ranks: Vec<usize> = (0..n_clients).collect();
    shuffle(&mut rng, &mut ranks);
    let mut plans: Vec<Plan> = ranks
        .into_iter()
        .map(|popularity| {
            let early = popularity < n_clients.div_ceil(100);
            let reach = if early { 0.1 } else { 0.95 };
            let created = start + (rng.unit().powf(1.3) * reach * span as f64) as i64;
            let active_until = if early || rng.chance(0.7) {
                now
            } else {
                created + ((now - created) as f64 * rng.unit()) as i64
            };
            Plan {
                created,
                active_until,
                popularity,
            }
        })
        .collect();
    plans.sort_by_key(|p| p.created);

    let mut gen = Gen {
        words: Words::new(),
        organisations,
        org_zipf: Zipf::new(wanted, 1.0),
        rng,
    };
    let mut out = Generated::default();

    let mut ids: Vec<i64> = Vec::with_capacity(n_clients);
    for (chunk_start, chunk) in plans.chunks(BATCH).enumerate() {
        journal.bulk(|j| {
            for (i, plan) in chunk.iter().enumerate() {
                let input = gen.client_input(chunk_start * BATCH + i);
                let client = j.create_client(&input, Stage::MeToo, at(plan.created))?;
                ids.push(client.id);
            }
            Ok(())
        })?;
    }
    out.clients = ids.len() as u64;
    // Which client (by creation order) has each popularity rank.
    let mut by_rank = vec![0usize; n_clients];
    for (i, plan) in plans.iter().enumerate() {
        by_rank[plan.popularity] = i;
    }

    // Touches and notes, each for a client drawn by popularity, dated within their active years,
    // then logged in the order they happened.
    let client_zipf = Zipf::new(n_clients, 0.7);
    let n_touches = options.touches as usize;
    let n_notes = n_touches / 10;
    let mut events: Vec<(i64, u32, bool)> = Vec::with_capacity(n_touches + n_notes);
    let mut entries_per_client = vec![0u64; n_clients];
    for i in 0..n_touches + n_notes {
        let c = by_rank[client_zipf.sample(&mut gen.rng)];
        let plan = &plans[c];
        let t = gen
            .rng
            .between(plan.created, plan.active_until.max(plan.created));
        entries_per_client[c] += 1;
        events.push((t, c as u32, i >= n_touches));
    }
    events.sort_by_key(|&(t, c, note)| (t, c, note));

    let mut follow_ups: Vec<(i64, i64)> = Vec::new();
    for chunk in events.chunks(BATCH) {
        journal.bulk(|j| {
            for &(t, c, note) in chunk {
                let client_id = ids[c as usize];
                let when = at(t);
                if note {
                    j.add_note(
                        &NoteInput {
                            client_id,
                            at: Some(when),
                            summary: if gen.rng.chance(0.5) {
                                gen.words.summary(&mut gen.rng)
                            } else {
                                String::new()
                            },
                            body: {
                                let mut body = gen.words.body(&mut gen.rng);
                                if body.is_empty() {
                                    gen.words.sentence(&mut gen.rng, &mut body);
                                }
                                body
                            },
                        },
                        when,
                    )?;
                    out.notes += 1;
                    continue;
                }
                let kind = gen.kind();
                let follow_up = gen.rng.chance(0.1).then(|| FollowUpDraft {
                    what: (*gen.rng.pick(PROMISES)).to_string(),
                    due_at: when + Duration::days(gen.rng.between(1, 21)),
                });
                let input = TouchInput {
                    client_id,
                    kind,
                    at: Some(when),
                    summary: gen.words.summary(&mut gen.rng),
                    body: gen.words.body(&mut gen.rng),
                    gave_value: gen.rng.chance(0.1),
                    asked: gen.rng.chance(0.12),
                    follow_up,
                };
                let logged = j.log_touch(&input, when)?;
                out.touches += 1;
                if let Some(f) = logged.follow_up {
                    follow_ups.push((f.id, f.due_at.timestamp()));
                }
                // Now and then a promise made outside any touch.
                if gen.rng.chance(0.005) {
                    let f = j.add_follow_up(
                        &FollowUpInput {
                            client_id,
                            touch_id: None,
                            what: (*gen.rng.pick(PROMISES)).to_string(),
                            due_at: Some(when + Duration::days(gen.rng.between(3, 60))),
                        },
                        when,
                    )?;
                    follow_ups.push((f.id, f.due_at.timestamp()));
                }
            }
            Ok(())
        })?;
    }
    out.follow_ups = follow_ups.len() as u64;

    // Follow-ups: most done a few days after they were due; some forgotten, some still ahead,
    // a few snoozed.
    for chunk in follow_ups.chunks(BATCH) {
        journal.bulk(|j| {
            for &(id, due) in chunk {
                let done = if due < now - 7 * 86_400 {
                    gen.rng.chance(0.97)
                } else if due <= now {
                    gen.rng.chance(0.5)
                } else {
                    false
                };
                if done {
                    let done_at = (due + gen.rng.between(-3 * 86_400, 5 * 86_400)).min(now);
                    j.complete_follow_up(id, true, at(done_at))?;
                } else {
                    out.open_follow_ups += 1;
                    if gen.rng.chance(0.05) {
                        let until = now + gen.rng.between(3_600, 7 * 86_400);
                        j.snooze_follow_up(id, Some(at(until)), options.now)?;
                    }
                }
            }
            Ok(())
        })?;
    }

    // Stage histories, introductions, archived and snoozed clients.
    let stage_plans: Vec<usize> = (0..n_clients).collect();
    for chunk in stage_plans.chunks(BATCH) {
        journal.bulk(|j| {
            for &c in chunk {
                let plan = &plans[c];
                let client_id = ids[c];
                // The busier the relationship, the further it has grown.
                let reach = 1.0 - plan.popularity as f64 / n_clients as f64;
                let moves = (reach * 3.0 + gen.rng.unit() * 1.2) as usize;
                let mut t = plan.created;
                for stage in Stage::ALL.iter().skip(1).take(moves.min(3)) {
                    t += ((plan.active_until - t).max(0) as f64 * gen.rng.unit() * 0.6) as i64;
                    let mut note = String::new();
                    if gen.rng.chance(0.5) {
                        let n = gen.rng.between(3, 9) as usize;
                        gen.words.phrase(&mut gen.rng, n, &mut note);
                    }
                    j.set_stage(client_id, *stage, at(t), &note, options.now)?;
                    out.stage_changes += 1;
                }
                // Popular clients introduce others, added after them.
                if gen.rng.chance(0.1) {
                    let introducer = by_rank[client_zipf.sample(&mut gen.rng)];
                    if introducer != c && plans[introducer].created <= plan.created {
                        let mut note = String::new();
                        gen.words.sentence(&mut gen.rng, &mut note);
                        j.add_introduction(
                            ids[introducer],
                            client_id,
                            at(plan.created),
                            &note,
                            options.now,
                        )?;
                        out.introductions += 1;
                    }
                }
                if plan.active_until < now && gen.rng.chance(0.1) {
                    j.archive_client(client_id, at(plan.active_until.max(plan.created)))?;
                    out.archived += 1;
                } else if gen.rng.chance(0.01) {
                    let until = now + gen.rng.between(3_600, 14 * 86_400);
                    j.snooze_client(client_id, Some(at(until)), options.now)?;
                }
            }
            Ok(())
        })?;
    }

    if let Some((c, n)) = entries_per_client
        .iter()
        .enumerate()
        .max_by_key(|&(i, n)| (*n, std::cmp::Reverse(i)))
    {
        out.busiest_client = ids[c];
        out.busiest_entries = *n;
    }
    // The search index as the app leaves it: merged in the background between saves.
    while journal.tidy(4_096)? {}
    Ok(out)
}

/// Fisher–Yates, from the generator's sequence.
fn shuffle<T>(rng: &mut SplitMix64, items: &mut [T]) {
    for i in (1..items.len()).rev() {
        let j = rng.below(i as u64 + 1) as usize;
        items.swap(i, j);
    }
}
