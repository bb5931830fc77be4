//! The scoring engine: panel results, rankings with tie-breaks, overall totals and awards.
//!
//! Pure code: no I/O, no egui, no floating point for scores.
//!
//! [`compute`] turns a [`ScoringInput`] (setup, people, entries, sheets, penalties, absences)
//! into [`Results`]: one table per event and group (单项) and one overall table per group
//! (综合/全能). The steps live in their own files:
//!
//! - `double_entry` — when two recorders' entries of a paper sheet make it count;
//! - `eligibility` — who may score whom, which sheets count, and whether an entry is final
//!   (the one home of those rules, used by the import, the commands and the screens too);
//! - `queue` — a judge's queue in draw order with statuses and recusal;
//! - `projector` — what the projector shows (现场亮分);
//! - `progress` — the progress matrix (contestants × judges) the desk watches;
//! - `validate` — checking one entered score against the rubric, and a sheet's total;
//! - `panel` — a panel's arithmetic: trimming, mean or sum, penalty, half-up rounding;
//! - `event` — an event's table: which sheets count for each entrant, grouped by 组别;
//! - `rank` — ordering a group with the tie-break chain and competition ranking (1, 2, 2, 4);
//! - `awards` — cumulative award boundaries and tiers, ties across a boundary flagged;
//! - `overall` — the weighted total normalised to 100 and the 全能 table;
//! - `index`, `ids` and `parallel` — lookup tables built once, and event tables built on
//!   several cores, so that `compute` stays fast for 2,000 contestants × 13 events × 7 judges.

mod awards;
pub mod double_entry;
pub mod eligibility;
mod event;
mod ids;
mod index;
mod overall;
mod panel;
mod parallel;
pub mod progress;
pub mod projector;
pub mod queue;
mod rank;
mod results;
mod validate;

#[cfg(test)]
mod tests;

use std::collections::HashMap;

use crate::model::{
    Absence, AwardDecision, CompetitionSetup, Contestant, Event, Fixed, Judge, OVERALL, Penalty,
    Sheet,
};

pub use awards::boundaries;
pub use panel::{event_full_marks, trim_count};
pub use results::{
    Decider, EventEntry, EventResults, GroupTable, JudgeScore, OverallEntry, OverallResults,
    Pending, Results, Unranked,
};
pub use validate::{ScoreError, sheet_total, validate_score};

/// Everything the engine needs, as plain data.
#[derive(Clone, Debug, PartialEq)]
pub struct ScoringInput {
    /// Events (rubric, trim, aggregate, decimals, weight), awards, ranking, overall decimals.
    pub setup: CompetitionSetup,
    pub contestants: Vec<Contestant>,
    /// `judge.events` holds the codes of the panels each judge sits on.
    pub judges: Vec<Judge>,
    /// `(event code, contestant id)`: who must enter which event.
    pub entries: Vec<(String, String)>,
    /// All sheets; only those whose status counts are used.
    pub sheets: Vec<Sheet>,
    pub penalties: Vec<Penalty>,
    pub absences: Vec<Absence>,
    /// The organiser's award decisions (人工决定等次), applied after the computed tiers.
    pub award_decisions: Vec<AwardDecision>,
    /// The order of the groups (组别) in every table; groups not listed come after, by 学段
    /// and 学科. Empty: 学段, then 学科.
    pub group_order: Vec<String>,
}

/// Computes every event table and the overall table. The result does not depend on the order
/// of anything in `input` (only on `setup.events` order, which is the order of the tables).
pub fn compute(input: &ScoringInput) -> Results {
    compute_with(input, input.entries.len() >= PARALLEL_FROM)
}

/// From this many entries on, event tables are built on several threads (when the machine
/// has several cores); the results are the same either way.
const PARALLEL_FROM: usize = 5_000;

/// [`compute`], saying whether event tables may be built on several threads.
fn compute_with(input: &ScoringInput, parallel: bool) -> Results {
    let index = index::Index::new(input);
    let setup = &input.setup;
    // An event whose code repeats an earlier one is scored like that one (same entries and
    // sheets), with its own rules.
    let positions: Vec<usize> = setup
        .events
        .iter()
        .enumerate()
        .map(|(i, event)| index.event(&event.code).unwrap_or(i))
        .collect();
    let jobs: Vec<(&Event, usize)> = setup.events.iter().zip(positions.iter().copied()).collect();
    let mut tables: Vec<Vec<event::Rows<EventEntry>>> =
        parallel::map(&jobs, parallel, |&(event, e)| {
            event::build(&index, e, event)
        });

    // Each entry's final score and whether it is provisional, per slot, for tie-breaks on a
    // key event and for the overall table.
    let mut status = vec![event::EntryStatus::NONE; index.slots()];
    for (groups, &e) in tables.iter().zip(&positions) {
        for (c, entry) in groups.iter().flat_map(event::Rows::rows) {
            if let Some(s) = status.get_mut(index.slot(e, c)) {
                *s = event::EntryStatus::of(entry);
            }
        }
    }

    let keys = rank::TieKeys::new(&index, &setup.ranking.tiebreak, &status);
    let decided = |code: &str| -> HashMap<&str, &AwardDecision> {
        input
            .award_decisions
            .iter()
            .filter(|d| d.event == code)
            .map(|d| (d.contestant.as_str(), d))
            .collect()
    };
    for (groups, event) in tables.iter_mut().zip(&setup.events) {
        let decisions = decided(&event.code);
        for group in groups {
            rank::rank_table(group, &keys);
            awards::allocate(group, &setup.awards);
            awards::apply_decisions(group, &decisions);
        }
    }

    let full_marks: Vec<Fixed> = setup.events.iter().map(event_full_marks).collect();
    let overall = overall::build(&index, &full_marks, &status, &keys, &decided(OVERALL));
    let events = setup
        .events
        .iter()
        .zip(tables)
        .zip(&full_marks)
        .map(|((event, groups), &full_marks)| EventResults {
            code: event.code.clone(),
            name: event.name.clone(),
            decimals: event.decimals,
            full_marks,
            groups: groups.into_iter().map(event::Rows::into_table).collect(),
        })
        .collect();
    Results { events, overall }
}
