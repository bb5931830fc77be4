//! The scoring engine: panel results, rankings with tie-breaks, overall totals and awards.
//!
//! Pure code: no I/O, no egui, no floating point for scores.
//!
//! [`compute`] turns a [`ScoringInput`] (setup, people, entries, sheets, penalties, absences)
//! into [`Results`]: one table per event and group (单项) and one overall table per group
//! (综合/全能). The steps live in their own files:
//!
//! - `validate` — checking one entered score against the rubric, and a sheet's total;
//! - `panel` — which sheets count for one entry, trimming, mean or sum, penalty, rounding;
//! - `event` — an event's table: every entrant's panel result, grouped by 组别;
//! - `rank` — ordering a group with the tie-break chain and competition ranking (1, 2, 2, 4);
//! - `awards` — cumulative award boundaries and tiers, ties across a boundary flagged;
//! - `overall` — the weighted total normalised to 100 and the 全能 table.

mod awards;
mod event;
mod index;
mod overall;
mod panel;
mod rank;
mod results;
mod validate;

#[cfg(test)]
mod tests;

use crate::model::{Absence, CompetitionSetup, Contestant, Judge, Penalty, Sheet};

pub use awards::boundaries;
pub use panel::{event_full_marks, trim_count};
pub use results::{
    Decider, EventEntry, EventResults, GroupTable, JudgeScore, OverallEntry, OverallResults,
    Results,
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
}

/// Computes every event table and the overall table. The result does not depend on the order
/// of anything in `input` (only on `setup.events` order, which is the order of the tables).
pub fn compute(input: &ScoringInput) -> Results {
    let index = index::Index::new(input);
    let mut events: Vec<EventResults> = input
        .setup
        .events
        .iter()
        .map(|event| event::build(&index, event))
        .collect();

    // Each entry's final score and whether it is provisional, keyed by input-borrowed ids, so
    // tie-breaks on a key event and the overall table can look them up.
    let mut status: index::PairMap<event::EntryStatus> = index::PairMap::new();
    for (event, table) in input.setup.events.iter().zip(&events) {
        for entry in table.groups.iter().flat_map(|group| &group.entries) {
            if let Some(id) = index.contestant_key(&entry.contestant) {
                status.insert(&event.code, id, event::EntryStatus::of(entry));
            }
        }
    }

    let chain = &input.setup.ranking.tiebreak;
    for table in &mut events {
        for group in &mut table.groups {
            rank::rank_table(&mut group.entries, chain, |step, entry: &EventEntry| {
                rank::tie_key(step, entry.unrounded, &status, &entry.contestant)
            });
            awards::allocate(&mut group.entries, &input.setup.awards);
        }
    }

    let overall = overall::build(input, &index, &events, &status);
    Results { events, overall }
}
