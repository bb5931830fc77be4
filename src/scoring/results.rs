//! The tables [`compute`](super::compute) returns: one per event and group (单项), and the
//! overall (综合/全能) table per group.

use std::collections::BTreeMap;

use crate::model::{Fixed, Rational, TieBreak};

/// Everything computed from one [`ScoringInput`](super::ScoringInput).
#[derive(Clone, Debug, PartialEq)]
pub struct Results {
    /// One per event, in the setup's event order.
    pub events: Vec<EventResults>,
    pub overall: OverallResults,
}

impl Results {
    /// How many entries (event entries and overall entries) are still provisional (待定).
    pub fn provisional_count(&self) -> usize {
        let events = self
            .events
            .iter()
            .flat_map(|e| &e.groups)
            .flat_map(|g| &g.entries)
            .filter(|e| e.provisional)
            .count();
        events + self.overall.provisional_count()
    }
}

impl OverallResults {
    /// How many overall entries are still provisional (待定).
    pub fn provisional_count(&self) -> usize {
        self.groups
            .iter()
            .flat_map(|g| &g.entries)
            .filter(|e| e.provisional)
            .count()
    }
}

/// One event's results, per group.
#[derive(Clone, Debug, PartialEq)]
pub struct EventResults {
    pub code: String,
    pub name: String,
    /// Decimal places of the event score.
    pub decimals: u32,
    /// The most an event score can be (see [`event_full_marks`](super::event_full_marks)).
    pub full_marks: Fixed,
    /// Groups in stage order, then by subject.
    pub groups: Vec<GroupTable<EventEntry>>,
}

/// One group's table (组别): entries sorted by rank; unranked entries last, by contestant id.
#[derive(Clone, Debug, PartialEq)]
pub struct GroupTable<E> {
    /// 学段 + 学科, e.g. 初中数学.
    pub group: String,
    pub entries: Vec<E>,
}

/// One counted sheet's total in an entry.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct JudgeScore {
    pub judge: String,
    pub score: Fixed,
    /// Dropped by trimming (去掉最高分/最低分).
    pub dropped: bool,
}

/// What placed an entry relative to its neighbours in the ranking.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Decider {
    /// The rounded score alone.
    Score,
    /// Tied on the rounded score with a neighbour and separated by this tie-break step.
    TieBreak(TieBreak),
    /// Still tied after the whole chain: the rank is shared (并列).
    Shared,
    /// No rank (provisional, or no score).
    Unranked,
}

/// Why an event entry is not final yet (待定). Words for it: `explain::pending_text`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Pending {
    /// An expected panel judge has not submitted (未提交).
    NotSubmitted(String),
    /// A panel judge's own counted sheets for this entry disagree.
    SheetsDisagree(String),
    /// An objective event has fewer entries than it has seats (double entry not done yet).
    SeatsUnfilled { entered: usize, seats: usize },
    /// An objective event's entries disagree (笔试录入不一致): the values, in judge order.
    EntriesDisagree(Vec<Fixed>),
    /// Nobody is left to score it (every panel judge recused or absent, or no panel).
    NoScore,
}

/// Why an overall entry has no total (暂不排名). Words for it: `explain::unranked_text`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Unranked {
    /// The contestant enters no event.
    NoEvents,
    /// These events ("E05 课堂教学") have no score yet.
    NoScore(Vec<String>),
    /// These events' results are still provisional.
    Pending(Vec<String>),
    /// These events have full marks 0, so their scores cannot be normalised.
    ZeroFullMarks(Vec<String>),
    /// The weights of the contestant's events add up to 0 or less.
    ZeroWeights,
}

/// One contestant in one event.
#[derive(Clone, Debug, PartialEq)]
pub struct EventEntry {
    pub contestant: String,
    pub name: String,
    pub school: String,
    pub group: String,
    /// Counted sheets, in judge-id order.
    pub scores: Vec<JudgeScore>,
    /// Expected judges (assigned, not recused, not absent) with no counted sheet, and judges
    /// whose counted sheets for this entry disagree with each other.
    pub missing: Vec<String>,
    /// Judges who must not score this contestant (回避); a sheet of theirs is ignored.
    pub recused: Vec<String>,
    /// Panel judges recorded absent (for the event or this contestant) with no counted sheet.
    pub absent: Vec<String>,
    /// Mean or sum of the kept scores, unrounded; `None` if no scores.
    pub panel: Option<Rational>,
    /// Total deduction (a positive number).
    pub penalty: Fixed,
    /// `panel − penalty`, unrounded, never below 0.
    pub unrounded: Option<Rational>,
    /// `unrounded` rounded half-up to the event's decimals.
    pub final_score: Option<Fixed>,
    pub rank: Option<u32>,
    pub award: Option<String>,
    /// Not final yet: a sheet is missing, disagrees, or there is no score.
    pub provisional: bool,
    /// Why it is provisional (empty when final).
    pub pending: Vec<Pending>,
    /// Shares a rank with others across an award boundary: needs a human decision.
    pub tie_flag: bool,
    /// The award was decided by the organiser (人工决定): the reason given.
    pub award_decision: Option<String>,
    pub decided_by: Decider,
    /// How many scores were dropped at each end.
    pub trim_applied: u32,
}

/// The overall (综合) results, per group.
#[derive(Clone, Debug, PartialEq)]
pub struct OverallResults {
    /// Decimal places of the total.
    pub decimals: u32,
    pub groups: Vec<GroupTable<OverallEntry>>,
}

/// One contestant's overall total.
#[derive(Clone, Debug, PartialEq)]
pub struct OverallEntry {
    pub contestant: String,
    pub name: String,
    pub school: String,
    pub group: String,
    /// Event code → that event's final score, for the events the contestant must enter
    /// (`None` while it has no score; a provisional score is shown as it stands).
    pub events: BTreeMap<String, Option<Fixed>>,
    /// Σ wᵢ × (finalᵢ × 100 / full marksᵢ) / Σ wᵢ, unrounded; `None` unless every event has a
    /// final, non-provisional score.
    pub unrounded: Option<Rational>,
    /// `unrounded` rounded half-up to the competition's decimals.
    pub total: Option<Fixed>,
    pub rank: Option<u32>,
    pub award: Option<String>,
    /// Some event result is still provisional (including events with no score yet).
    pub provisional: bool,
    pub tie_flag: bool,
    /// The award was decided by the organiser (人工决定): the reason given.
    pub award_decision: Option<String>,
    pub decided_by: Decider,
    /// Why the contestant has no total (empty when there is one).
    pub unranked: Vec<Unranked>,
}
