//! The overall (综合/全能) table: each event score normalised to 100, then the weighted mean
//! Σ wᵢ × (finalᵢ × 100 / full marksᵢ) / Σ wᵢ, exact until rounded half-up to the
//! competition's decimals. Only contestants with a settled score in every event they must
//! enter are ranked; the others are listed with the reason.

use std::collections::HashMap;

use crate::model::{AwardDecision, Contestant, Fixed, Rational};

use super::awards;
use super::event::{EntryStatus, Rows};
use super::index::Index;
use super::rank::{self, TieKeys};
use super::results::{Decider, OverallEntry, OverallResults, Unranked};

/// Every contestant's total (contestants with no entries too, with the reason), per group.
pub(crate) fn build(
    index: &Index<'_>,
    full_marks: &[Fixed],
    status: &[EntryStatus],
    keys: &TieKeys<'_>,
    decisions: &HashMap<&str, &AwardDecision>,
) -> OverallResults {
    let setup = &index.input.setup;
    let decimals = setup.competition.decimals;
    let scales = Scales::new(index, full_marks);
    let contestants = index.contestants_by_id();
    let mut groups = Rows::for_groups(index, contestants);
    for &c in contestants {
        let Some(contestant) = index.contestant(c) else {
            continue;
        };
        let entry = build_entry(index, &scales, status, c, contestant, decimals);
        Rows::push(&mut groups, index, c, entry);
    }

    let groups = groups
        .into_iter()
        .filter(|group| !group.is_empty())
        .map(|mut group| {
            rank::rank_table(&mut group, keys);
            awards::allocate(&mut group, &setup.awards);
            awards::apply_decisions(&mut group, decisions);
            group.into_table()
        })
        .collect();
    OverallResults { decimals, groups }
}

/// The events' full marks, each distinct value once, so that a total is summed in integers
/// per full-marks value and needs only a few exact fraction operations.
///
/// With wᵢ, sᵢ, Fᵢ the raw (ten-thousandths) weight, final score and full marks,
/// Σ wᵢ × (sᵢ × 100 / Fᵢ) / Σ wᵢ = Σ_F (100 × Σ_{Fᵢ = F} wᵢ sᵢ / F) / Σ wᵢ.
struct Scales {
    /// The events (setup order) sorted by code, the order of a contestant's event list.
    by_code: Vec<usize>,
    /// Per event (setup order): the position whose entries and scores it uses.
    position: Vec<Option<usize>>,
    /// Distinct positive full marks (raw).
    full_marks: Vec<i128>,
    /// Per event (setup order): its index in `full_marks`, `None` if its full marks are not
    /// positive (the score cannot be normalised).
    slot: Vec<Option<usize>>,
}

impl Scales {
    fn new(index: &Index<'_>, event_full_marks: &[Fixed]) -> Self {
        let events = &index.input.setup.events;
        let position = events
            .iter()
            .map(|event| index.event(&event.code))
            .collect();
        let mut by_code: Vec<usize> = (0..events.len()).collect();
        by_code.sort_by(|&a, &b| {
            let code = |i: usize| events.get(i).map(|e| e.code.as_str());
            code(a).cmp(&code(b))
        });
        let mut full_marks: Vec<i128> = Vec::new();
        let slot = event_full_marks
            .iter()
            .map(|full| {
                let full = i128::from(full.raw());
                (full > 0).then(|| {
                    full_marks
                        .iter()
                        .position(|&f| f == full)
                        .unwrap_or_else(|| {
                            full_marks.push(full);
                            full_marks.len() - 1
                        })
                })
            })
            .collect();
        Scales {
            by_code,
            position,
            full_marks,
            slot,
        }
    }
}

fn build_entry(
    index: &Index<'_>,
    scales: &Scales,
    status: &[EntryStatus],
    c: usize,
    contestant: &Contestant,
    decimals: u32,
) -> OverallEntry {
    let mut scores = Vec::new();
    let mut no_score = Vec::new();
    let mut pending = Vec::new();
    let mut no_full_marks = Vec::new();
    let mut sums = vec![0_i128; scales.full_marks.len()];
    let mut weights = 0_i128;
    let mut provisional = false;

    for &i in &scales.by_code {
        let (Some(event), Some(scale), Some(Some(e))) = (
            index.input.setup.events.get(i),
            scales.slot.get(i),
            scales.position.get(i),
        ) else {
            continue;
        };
        let slot = index.slot(*e, c);
        if !index.has_entered(slot) {
            continue;
        }
        let label = || format!("{} {}", event.code, event.name);
        let entry = status.get(slot).copied().unwrap_or(EntryStatus::NONE);
        scores.push((event.code.clone(), entry.final_score));
        provisional |= entry.provisional;
        let sum = scale.and_then(|k| sums.get_mut(k));
        match (entry.final_score, entry.provisional, sum) {
            (None, _, _) => no_score.push(label()),
            (Some(_), true, _) => pending.push(label()),
            (Some(_), false, None) => no_full_marks.push(label()),
            (Some(score), false, Some(sum)) => {
                let weight = i128::from(event.weight.raw());
                *sum += weight * i128::from(score.raw());
                weights += weight;
            }
        }
    }

    let mut reasons = Vec::new();
    if scores.is_empty() {
        reasons.push(Unranked::NoEvents);
    }
    if !no_score.is_empty() {
        reasons.push(Unranked::NoScore(no_score));
    }
    if !pending.is_empty() {
        reasons.push(Unranked::Pending(pending));
    }
    if !no_full_marks.is_empty() {
        reasons.push(Unranked::ZeroFullMarks(no_full_marks));
    }
    if reasons.is_empty() && weights <= 0 {
        reasons.push(Unranked::ZeroWeights);
    }

    let unrounded = reasons.is_empty().then(|| {
        sums.iter()
            .zip(&scales.full_marks)
            .filter(|(sum, _)| **sum != 0)
            .fold(Rational::from_int(0), |total, (sum, full)| {
                total + Rational::new(sum * 100, *full)
            })
            / Rational::new(weights, 1)
    });
    OverallEntry {
        contestant: contestant.id.clone(),
        name: contestant.name.clone(),
        school: contestant.school.clone(),
        group: index.group(c).to_string(),
        events: scores.into_iter().collect(),
        unrounded,
        total: unrounded.map(|value| value.round_to(decimals)),
        rank: None,
        award: None,
        provisional,
        tie_flag: false,
        award_decision: None,
        decided_by: Decider::Unranked,
        unranked: reasons,
    }
}
