//! The sample journal a new user can load to see Rapport at work, and remove in one action.
//!
//! Every sample client is marked `sample`; removing the sample deletes those clients, and with
//! them everything logged about them, so nothing the user wrote about a real client is touched.

use chrono::{DateTime, Duration, Utc};

use crate::error::{Error, Result};
use crate::journal::Journal;
use crate::model::{
    ClientInput, Fact, FollowUpInput, NoteInput, Pillars, Stage, TouchInput, TouchKind,
};

struct SampleClient {
    name: &'static str,
    organisation: &'static str,
    role: &'static str,
    profile: &'static str,
    facts: &'static [(&'static str, &'static str)],
    tags: &'static [&'static str],
    stage: Stage,
    pillars: [u8; 3],
    added_days_ago: i64,
    /// (days ago, kind, summary, body, gave value, asked)
    touches: &'static [(i64, TouchKind, &'static str, &'static str, bool, bool)],
}

impl SampleClient {
    /// The client as the journal takes them.
    fn input(&self) -> ClientInput {
        ClientInput {
            name: self.name.into(),
            organisation: self.organisation.into(),
            role: self.role.into(),
            profile: self.profile.into(),
            facts: self
                .facts
                .iter()
                .map(|(label, value)| Fact {
                    label: (*label).into(),
                    value: (*value).into(),
                })
                .collect(),
            tags: self.tags.iter().map(|t| (*t).into()).collect(),
            pillars: Pillars {
                compatibility: Some(self.pillars[0]),
                knowledge: Some(self.pillars[1]),
                trust: Some(self.pillars[2]),
            },
            ..Default::default()
        }
    }
}

const CLIENTS: &[SampleClient] = &[
    SampleClient {
        name: "Amara Okafor",
        organisation: "Brightwater Logistics",
        role: "Chief Operating Officer",
        profile: "Runs operations for 40 depots. Cares about on-time delivery above cost; wary of vendors who overpromise.",
        facts: &[("family", "Two sons at university"), ("interests", "Marathon runner, chess")],
        tags: &["logistics", "key account"],
        stage: Stage::OnlyMe,
        pillars: [5, 4, 5],
        added_days_ago: 700,
        touches: &[
            (4, TouchKind::Meeting, "Quarterly review", "Went through depot throughput. She wants a pilot of route planning in the northern region.", false, false),
            (30, TouchKind::ValueAdd, "Sent the cold-chain benchmark", "Shared our benchmark of cold-chain carriers; no ask attached.", true, false),
            (62, TouchKind::Call, "Budget check-in", "Budget confirmed for next year; asked about a multi-year deal.", false, true),
        ],
    },
    SampleClient {
        name: "Lars Henriksen",
        organisation: "Nordlys Energy",
        role: "Head of Procurement",
        profile: "New to the role. Looking to consolidate suppliers; values hard numbers.",
        facts: &[("interests", "Sailing, a Folkboat called Ada")],
        tags: &["energy"],
        stage: Stage::Foothold,
        pillars: [3, 2, 2],
        added_days_ago: 120,
        touches: &[
            (19, TouchKind::Call, "First order delivered", "Delivery went smoothly; he noticed the reporting. Promised him a usage summary.", false, false),
            (48, TouchKind::Meeting, "Won the pilot order", "Signed the pilot for two sites.", false, true),
        ],
    },
    SampleClient {
        name: "Sofia Marín",
        organisation: "Marín & Partners",
        role: "Managing Partner",
        profile: "Advisory firm of twelve. Introduces us to her clients when it helps them.",
        facts: &[("family", "Daughter, Lucía, starts school in September"), ("cares about", "Her clients' trust above all")],
        tags: &["referrer", "advisory"],
        stage: Stage::MeFirst,
        pillars: [5, 3, 4],
        added_days_ago: 400,
        touches: &[
            (26, TouchKind::Introduction, "Introduced us to Daniel Cho", "Made a warm introduction to Daniel at Kestrel Health.", false, false),
            (55, TouchKind::Event, "Met at the advisory summit", "Spoke about regulation changes; she asked for our view in writing.", false, false),
        ],
    },
    SampleClient {
        name: "Daniel Cho",
        organisation: "Kestrel Health",
        role: "VP Finance",
        profile: "Introduced by Sofia Marín. Evaluating three providers; the incumbent is well liked.",
        facts: &[("interests", "Jazz piano")],
        tags: &["healthcare", "prospect"],
        stage: Stage::MeToo,
        pillars: [4, 1, 1],
        added_days_ago: 26,
        touches: &[(25, TouchKind::Email, "Thank-you note after the introduction", "Short note thanking him for his time; offered the benchmark.", true, false)],
    },
    SampleClient {
        name: "Priya Raman",
        organisation: "Brightwater Logistics",
        role: "Finance Director",
        profile: "Signs off every contract at Brightwater. Detail-oriented; prefers email.",
        facts: &[],
        tags: &["logistics"],
        stage: Stage::MeFirst,
        pillars: [3, 4, 3],
        added_days_ago: 500,
        touches: &[(45, TouchKind::Email, "Invoice query resolved", "Fixed the invoicing format she asked for.", false, false)],
    },
    SampleClient {
        name: "Tomás Oliveira",
        organisation: "Atlântico Foods",
        role: "Supply Chain Lead",
        profile: "Met at a trade fair. Interested, but the timing was wrong last year.",
        facts: &[("interests", "Football, supports Benfica")],
        tags: &["prospect", "food"],
        stage: Stage::MeToo,
        pillars: [3, 2, 1],
        added_days_ago: 210,
        touches: &[(95, TouchKind::Event, "Trade fair chat", "Timing wrong this year; said to call him after the summer.", false, false)],
    },
];

impl Journal {
    /// Loads the sample journal, dated relative to `now`: a few clients at every stage with their
    /// touches, notes, follow-ups and an introduction, all in one transaction. Refused if a
    /// sample is already loaded.
    pub fn load_sample(&mut self, now: DateTime<Utc>) -> Result<()> {
        if self.has_sample()? {
            return Err(Error::invalid(
                "sample",
                "the sample journal is already loaded",
            ));
        }
        // One batch: the sample arrives whole, or (a full disk, a crash) not at all, with one
        // sync to disk instead of one per write.
        self.bulk(|j| {
            let days = Duration::days;
            let mut ids = Vec::new();
            for c in CLIENTS {
                let input = c.input();
                let added = now - days(c.added_days_ago);
                let client = j.insert_client(&input, Stage::MeToo, true, added)?;
                if c.stage != Stage::MeToo {
                    j.set_stage(
                        client.id,
                        c.stage,
                        added + days(c.added_days_ago / 2),
                        "",
                        now,
                    )?;
                }
                for &(ago, kind, summary, body, gave_value, asked) in c.touches.iter().rev() {
                    j.log_touch(
                        &TouchInput {
                            client_id: client.id,
                            kind,
                            at: Some(now - days(ago)),
                            summary: summary.into(),
                            body: body.into(),
                            gave_value,
                            asked,
                            follow_up: None,
                        },
                        now,
                    )?;
                }
                ids.push(client.id);
            }
            let (amara, lars, sofia, daniel) = (ids[0], ids[1], ids[2], ids[3]);
            j.add_introduction(
                sofia,
                daniel,
                now - days(26),
                "Warm introduction by email",
                now,
            )?;
            let promised = j.timeline(lars, None, 1)?;
            let touch_id = match promised.entries.first() {
                Some(crate::TimelineEntry::Touch(t)) => Some(t.id),
                _ => None,
            };
            j.add_follow_up(
                &FollowUpInput {
                    client_id: lars,
                    touch_id,
                    what: "Send Lars the usage summary".into(),
                    due_at: Some(now - days(5)),
                },
                now,
            )?;
            j.add_follow_up(
                &FollowUpInput {
                    client_id: amara,
                    touch_id: None,
                    what: "Draft the northern-region pilot proposal".into(),
                    due_at: Some(now + days(6)),
                },
                now,
            )?;
            j.add_note(
                &NoteInput {
                    client_id: daniel,
                    at: Some(now - days(20)),
                    summary: "Homework before the next call".into(),
                    body: "Kestrel's annual report: expanding into outpatient clinics; finance team doubled.".into(),
                },
                now,
            )?;
            Ok(())
        })
    }

    /// Whether the sample journal is loaded.
    pub fn has_sample(&self) -> Result<bool> {
        self.conn
            .query_row(
                "SELECT EXISTS (SELECT 1 FROM client WHERE sample = 1)",
                [],
                |r| r.get(0),
            )
            .map_err(Error::context("Looking for the sample journal"))
    }

    /// Removes the sample journal: its clients and everything logged about them.
    pub fn remove_sample(&mut self) -> Result<u64> {
        self.write(|tx| {
            let removed = tx
                .execute("DELETE FROM client WHERE sample = 1", [])
                .map_err(Error::context("Removing the sample journal"))?;
            Ok(removed as u64)
        })
    }

    /// Whether the journal has no clients at all: a first run.
    pub fn is_empty(&self) -> Result<bool> {
        self.conn
            .query_row("SELECT NOT EXISTS (SELECT 1 FROM client)", [], |r| r.get(0))
            .map_err(Error::context("Counting clients"))
    }
}
