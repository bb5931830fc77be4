//! The overall (综合/全能) table: each event score normalised to 100, then the weighted mean
//! Σ wᵢ × (finalᵢ × 100 / full marksᵢ) / Σ wᵢ, exact until rounded half-up to the
//! competition's decimals. Only contestants with a settled score in every event they must
//! enter are ranked; the others are listed with the reason.

use std::collections::BTreeMap;

use crate::model::{Contestant, Rational};

use super::ScoringInput;
use super::event::{EntryStatus, GroupKey, group_key};
use super::index::{Index, PairMap};
use super::results::{Decider, EventResults, GroupTable, OverallEntry, OverallResults};
use super::{awards, rank};

pub(crate) fn build(
    input: &ScoringInput,
    index: &Index<'_>,
    events: &[EventResults],
    status: &PairMap<'_, EntryStatus>,
) -> OverallResults {
    let decimals = input.setup.competition.decimals;
    let scales = Scales::new(events);
    let mut groups: BTreeMap<GroupKey<'_>, GroupTable<OverallEntry>> = BTreeMap::new();
    for contestant in &input.contestants {
        if index
            .contestant(&contestant.id)
            .is_none_or(|kept| !std::ptr::eq(kept, contestant))
        {
            continue; // a repeated id: the index keeps one of them
        }
        let entry = build_entry(input, index, &scales, status, contestant, decimals);
        groups
            .entry(group_key(contestant))
            .or_insert_with(|| GroupTable {
                group: index.group(&contestant.id).to_string(),
                entries: Vec::new(),
            })
            .entries
            .push(entry);
    }

    let mut groups: Vec<GroupTable<OverallEntry>> = groups.into_values().collect();
    let chain = &input.setup.ranking.tiebreak;
    for group in &mut groups {
        rank::rank_table(&mut group.entries, chain, |step, entry: &OverallEntry| {
            rank::tie_key(step, entry.unrounded, status, &entry.contestant)
        });
        awards::allocate(&mut group.entries, &input.setup.awards);
    }
    OverallResults { decimals, groups }
}

/// The events' full marks, each distinct value once, so that a total is summed in integers
/// per full-marks value and needs only a few exact fraction operations.
///
/// With wᵢ, sᵢ, Fᵢ the raw (ten-thousandths) weight, final score and full marks,
/// Σ wᵢ × (sᵢ × 100 / Fᵢ) / Σ wᵢ = Σ_F (100 × Σ_{Fᵢ = F} wᵢ sᵢ) / F / Σ wᵢ.
struct Scales {
    /// Distinct positive full marks (raw).
    full_marks: Vec<i128>,
    /// Per event (setup order): its index in `full_marks`, `None` if its full marks are not
    /// positive (the score cannot be normalised).
    slot: Vec<Option<usize>>,
}

impl Scales {
    fn new(events: &[EventResults]) -> Self {
        let mut full_marks: Vec<i128> = Vec::new();
        let slot = events
            .iter()
            .map(|table| {
                let full = i128::from(table.full_marks.raw());
                (full > 0).then(|| {
                    full_marks.iter().position(|&f| f == full).unwrap_or_else(|| {
                        full_marks.push(full);
                        full_marks.len() - 1
                    })
                })
            })
            .collect();
        Scales { full_marks, slot }
    }
}

fn build_entry(
    input: &ScoringInput,
    index: &Index<'_>,
    scales: &Scales,
    status: &PairMap<'_, EntryStatus>,
    contestant: &Contestant,
    decimals: u32,
) -> OverallEntry {
    let id = contestant.id.as_str();
    let mut scores = BTreeMap::new();
    let mut no_score = Vec::new();
    let mut pending = Vec::new();
    let mut no_full_marks = Vec::new();
    let mut sums = vec![0_i128; scales.full_marks.len()];
    let mut weights = 0_i128;
    let mut provisional = false;

    for (event, slot) in input.setup.events.iter().zip(&scales.slot) {
        if !index.has_entered(id, &event.code) {
            continue;
        }
        let label = || format!("{} {}", event.code, event.name);
        let entry = status.get(&event.code, id).copied().unwrap_or(EntryStatus {
            final_score: None,
            provisional: true,
        });
        scores.insert(event.code.clone(), entry.final_score);
        provisional |= entry.provisional;
        let sum = slot.and_then(|slot| sums.get_mut(slot));
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
        reasons.push("未报名任何项目 (no events entered)".to_string());
    }
    if !no_score.is_empty() {
        reasons.push(format!("缺少项目成绩 (no score): {}", no_score.join("、")));
    }
    if !pending.is_empty() {
        reasons.push(format!("成绩待定 (provisional): {}", pending.join("、")));
    }
    if !no_full_marks.is_empty() {
        reasons.push(format!(
            "项目满分为 0，无法折算 (full marks is 0): {}",
            no_full_marks.join("、")
        ));
    }
    if reasons.is_empty() && weights <= 0 {
        reasons.push("项目权重之和不大于 0 (the weights add up to 0)".to_string());
    }

    let unrounded = reasons.is_empty().then(|| {
        sums.iter()
            .zip(&scales.full_marks)
            .filter(|(sum, _)| **sum != 0)
            .fold(Rational::from_int(0), |total, (sum, full)| {
                total.add(Rational::new(sum * 100, *full))
            })
            .div(Rational::new(weights, 1))
    });
    OverallEntry {
        contestant: contestant.id.clone(),
        name: contestant.name.clone(),
        school: contestant.school.clone(),
        group: index.group(id).to_string(),
        events: scores,
        unrounded,
        total: unrounded.map(|value| value.round_to(decimals)),
        rank: None,
        award: None,
        provisional,
        tie_flag: false,
        decided_by: Decider::Unranked,
        unranked_reason: (!reasons.is_empty()).then(|| reasons.join("; ")),
    }
}
