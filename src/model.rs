//! The journal's records, with the words the essays, the SQL, the UI and the README share.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// Where a relationship stands, from one of many bidders to long-term ally.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, Default,
)]
#[serde(rename_all = "snake_case")]
pub enum Stage {
    /// One of many bidders: nothing proven yet.
    #[default]
    MeToo,
    /// First business won: a foothold, never more.
    Foothold,
    /// Preferred supplier: they call us first.
    MeFirst,
    /// Trusted advisor and long-term ally.
    OnlyMe,
}

impl Stage {
    /// Every stage, in the order a relationship grows through them.
    pub const ALL: [Stage; 4] = [Stage::MeToo, Stage::Foothold, Stage::MeFirst, Stage::OnlyMe];

    /// The name stored in the journal and sent to the UI.
    pub fn as_str(self) -> &'static str {
        match self {
            Stage::MeToo => "me_too",
            Stage::Foothold => "foothold",
            Stage::MeFirst => "me_first",
            Stage::OnlyMe => "only_me",
        }
    }

    /// The stage stored under `name`.
    pub fn parse(name: &str) -> Option<Stage> {
        Stage::ALL.into_iter().find(|s| s.as_str() == name)
    }
}

/// How a touch was made.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum TouchKind {
    /// A phone or video call.
    #[default]
    Call,
    /// A meeting in person.
    Meeting,
    /// An email.
    Email,
    /// A chat or text message.
    Message,
    /// Met at an event.
    Event,
    /// Gave something useful without asking for anything.
    ValueAdd,
    /// Introduced them to someone, or was introduced by them.
    Introduction,
}

impl TouchKind {
    /// Every kind of touch.
    pub const ALL: [TouchKind; 7] = [
        TouchKind::Call,
        TouchKind::Meeting,
        TouchKind::Email,
        TouchKind::Message,
        TouchKind::Event,
        TouchKind::ValueAdd,
        TouchKind::Introduction,
    ];

    /// The name stored in the journal and sent to the UI.
    pub fn as_str(self) -> &'static str {
        match self {
            TouchKind::Call => "call",
            TouchKind::Meeting => "meeting",
            TouchKind::Email => "email",
            TouchKind::Message => "message",
            TouchKind::Event => "event",
            TouchKind::ValueAdd => "value_add",
            TouchKind::Introduction => "introduction",
        }
    }

    /// The kind stored under `name`.
    pub fn parse(name: &str) -> Option<TouchKind> {
        TouchKind::ALL.into_iter().find(|k| k.as_str() == name)
    }
}

/// The three pillars of a relationship, each rated 1 (weak) to 5 (strong), or not yet rated.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct Pillars {
    /// Do they like working with you.
    pub compatibility: Option<u8>,
    /// Do you bring them expertise that matters to their business.
    pub knowledge: Option<u8>,
    /// Do they rely on you.
    pub trust: Option<u8>,
}

impl Pillars {
    /// The rating from which a pillar counts as standing.
    pub const STRONG: u8 = 3;

    /// A relationship resting on compatibility alone: liked, but easily replaced by a competitor
    /// who also brings knowledge.
    pub fn vulnerable(&self) -> bool {
        let strong = |p: Option<u8>| p.is_some_and(|r| r >= Self::STRONG);
        strong(self.compatibility) && !strong(self.knowledge) && !strong(self.trust)
    }
}

/// One thing known about a client: `family: two daughters`, `sails: a Contessa 32`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Fact {
    /// What the fact is about.
    pub label: String,
    /// The fact itself.
    pub value: String,
}

/// What the user writes about a client; used to create one and to edit one (all fields replace).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct ClientInput {
    /// Their name, as the user writes it. Required.
    pub name: String,
    /// The organisation they belong to, if any.
    pub organisation: String,
    /// Their role there.
    pub role: String,
    /// Email address.
    pub email: String,
    /// Phone number, free form.
    pub phone: String,
    /// Free text: who they are and what they care about.
    pub profile: String,
    /// Labelled facts: family, interests, history.
    pub facts: Vec<Fact>,
    /// Tags for filtering, e.g. `fintech`, `board`.
    pub tags: Vec<String>,
    /// The longest gap wanted between touches, in days; `None` takes the stage's default.
    pub cadence_days: Option<u32>,
    /// The three pillars, as rated by the user.
    pub pillars: Pillars,
}

/// A client as stored, with the relationship clock the store keeps for it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Client {
    /// The client's id.
    pub id: i64,
    /// Their name.
    pub name: String,
    /// Their organisation, or empty.
    pub organisation: String,
    /// Their role, or empty.
    pub role: String,
    /// Their email, or empty.
    pub email: String,
    /// Their phone, or empty.
    pub phone: String,
    /// Free-text profile.
    pub profile: String,
    /// Labelled facts, in the user's order.
    pub facts: Vec<Fact>,
    /// Tags, alphabetical.
    pub tags: Vec<String>,
    /// The per-client cadence override, if any.
    pub cadence_days: Option<u32>,
    /// The cadence in force: the override, or the stage's default.
    pub cadence: u32,
    /// The current stage.
    pub stage: Stage,
    /// The three pillars.
    pub pillars: Pillars,
    /// True when the relationship rests on compatibility alone.
    pub vulnerable: bool,
    /// True for clients of the sample journal, removable in one action.
    pub sample: bool,
    /// When the client was added.
    pub created_at: DateTime<Utc>,
    /// When the client's profile was last edited.
    pub updated_at: DateTime<Utc>,
    /// When the client was archived; archived clients never remind.
    pub archived_at: Option<DateTime<Utc>>,
    /// Reminders for this relationship wait until then.
    pub snoozed_until: Option<DateTime<Utc>>,
    /// The newest touch (notes do not count).
    pub last_touch_at: Option<DateTime<Utc>>,
    /// When the relationship becomes overdue: last touch (or creation) plus the cadence.
    pub due_at: DateTime<Utc>,
}

/// A logged contact, as the user enters it.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct TouchInput {
    /// Who it was with.
    pub client_id: i64,
    /// How it was made.
    pub kind: TouchKind,
    /// When it happened; at most a day ahead of now.
    pub at: Option<DateTime<Utc>>,
    /// One line: what it was about.
    pub summary: String,
    /// What was said, promised, learnt.
    pub body: String,
    /// It gave them something of value without asking.
    pub gave_value: bool,
    /// It asked them for something.
    pub asked: bool,
    /// A follow-up born in this touch, made in the same transaction (ignored when editing).
    pub follow_up: Option<FollowUpDraft>,
}

/// A logged contact with a client; it resets the relationship clock.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Touch {
    /// The touch's id.
    pub id: i64,
    /// Who it was with.
    pub client_id: i64,
    /// How it was made.
    pub kind: TouchKind,
    /// When it happened.
    pub at: DateTime<Utc>,
    /// One line: what it was about.
    pub summary: String,
    /// What was said, promised, learnt.
    pub body: String,
    /// It gave value without asking.
    pub gave_value: bool,
    /// It asked for something.
    pub asked: bool,
    /// When it was logged.
    pub created_at: DateTime<Utc>,
    /// When it was last edited.
    pub updated_at: DateTime<Utc>,
}

/// Research or a thought about a client, as the user enters it.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct NoteInput {
    /// Who it is about.
    pub client_id: i64,
    /// When it was written; now when absent.
    pub at: Option<DateTime<Utc>>,
    /// One line, optional.
    pub summary: String,
    /// The note.
    pub body: String,
}

/// Research or a thought with no contact: it does not reset the relationship clock.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Note {
    /// The note's id.
    pub id: i64,
    /// Who it is about.
    pub client_id: i64,
    /// When it was written.
    pub at: DateTime<Utc>,
    /// One line, optional.
    pub summary: String,
    /// The note.
    pub body: String,
    /// When it was added.
    pub created_at: DateTime<Utc>,
    /// When it was last edited.
    pub updated_at: DateTime<Utc>,
}

/// A promise or next step, as the user enters it.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct FollowUpInput {
    /// Who it is for.
    pub client_id: i64,
    /// The touch it was born in, if any.
    pub touch_id: Option<i64>,
    /// What was promised.
    pub what: String,
    /// When it is due.
    pub due_at: Option<DateTime<Utc>>,
}

/// Where a follow-up stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FollowUpStatus {
    /// Not done, not snoozed.
    Open,
    /// Not done; its reminder waits until `snoozed_until`.
    Snoozed,
    /// Done.
    Done,
}

/// A promise or next step with a due date, usually born in a touch.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FollowUp {
    /// The follow-up's id.
    pub id: i64,
    /// Who it is for.
    pub client_id: i64,
    /// The touch it was born in, if any.
    pub touch_id: Option<i64>,
    /// What was promised.
    pub what: String,
    /// When it is due.
    pub due_at: DateTime<Utc>,
    /// When it was made.
    pub created_at: DateTime<Utc>,
    /// When it was done.
    pub done_at: Option<DateTime<Utc>>,
    /// Its reminder waits until then.
    pub snoozed_until: Option<DateTime<Utc>>,
}

impl FollowUp {
    /// Where it stands at `now`.
    pub fn status(&self, now: DateTime<Utc>) -> FollowUpStatus {
        match (self.done_at, self.snoozed_until) {
            (Some(_), _) => FollowUpStatus::Done,
            (None, Some(until)) if until > now => FollowUpStatus::Snoozed,
            _ => FollowUpStatus::Open,
        }
    }

    /// The moment it next needs attention: its due time, or the end of its snooze if later.
    pub fn attention_at(&self) -> DateTime<Utc> {
        self.snoozed_until
            .map_or(self.due_at, |s| s.max(self.due_at))
    }
}

/// A dated move of a relationship to a stage.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StageChange {
    /// The change's id.
    pub id: i64,
    /// Whose relationship.
    pub client_id: i64,
    /// The stage reached.
    pub stage: Stage,
    /// When.
    pub at: DateTime<Utc>,
    /// Why, optionally.
    pub note: String,
}

/// A referral: `introducer` introduced the user to `introduced`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Introduction {
    /// The introduction's id.
    pub id: i64,
    /// Who made the introduction.
    pub introducer_id: i64,
    /// The introducer's name.
    pub introducer_name: String,
    /// Who was introduced.
    pub introduced_id: i64,
    /// Their name.
    pub introduced_name: String,
    /// When.
    pub at: DateTime<Utc>,
    /// Context, optionally.
    pub note: String,
}

/// A follow-up to make together with a touch.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FollowUpDraft {
    /// What was promised.
    pub what: String,
    /// When it is due.
    pub due_at: DateTime<Utc>,
}

/// A touch just logged, with the follow-up born in it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LoggedTouch {
    /// The touch.
    pub touch: Touch,
    /// The follow-up, if one was asked for.
    pub follow_up: Option<FollowUp>,
}

/// A client's introductions, from their side.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Introductions {
    /// People this client introduced the user to.
    pub made: Vec<Introduction>,
    /// Who introduced the user to this client.
    pub received: Vec<Introduction>,
}
