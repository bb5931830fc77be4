//! The overall (综合/全能) table: each event score normalised to 100, then the weighted mean
//! Σ wᵢ × (finalᵢ × 100 / full marksᵢ) / Σ wᵢ, exact until rounded half-up to the
//! competition's decimals. Only contestants with a settled score in every event they must
//! enter are ranked; the others are listed with the reason.

use std::collections::BTreeMap;

use crate::model::{Contestant, Fixed, Rational};

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
    let mut groups: BTreeMap<GroupKey<'_>, GroupTable<OverallEntry>> = BTreeMap::new();
    for contestant in &input.contestants {
        if index
            .contestant(&contestant.id)
            .is_none_or(|first| !std::ptr::eq(first, contestant))
        {
            continue; // a repeated id: the index keeps one of them
        }
        let entry = build_entry(input, index, events, status, contestant, decimals);
        groups
            .entry(group_key(contestant))
            .or_insert_with(|| GroupTable {
                group: contestant.group(),
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

fn build_entry(
    input: &ScoringInput,
    index: &Index<'_>,
    events: &[EventResults],
    status: &PairMap<'_, EntryStatus>,
    contestant: &Contestant,
    decimals: u32,
) -> OverallEntry {
    let id = contestant.id.as_str();
    let mut scores = BTreeMap::new();
    let mut no_score = Vec::new();
    let mut pending = Vec::new();
    let mut no_full_marks = Vec::new();
    let mut weighted = Rational::from_int(0);
    let mut weights = Rational::from_int(0);
    let mut provisional = false;

    for (event, table) in input.setup.events.iter().zip(events) {
        if !index.has_entered(id, &event.code) {
            continue;
        }
        let label = format!("{} {}", event.code, event.name);
        let entry = status.get(&event.code, id).copied().unwrap_or(EntryStatus {
            final_score: None,
            provisional: true,
        });
        scores.insert(event.code.clone(), entry.final_score);
        provisional |= entry.provisional;
        match (entry.final_score, entry.provisional) {
            (None, _) => no_score.push(label),
            (Some(_), true) => pending.push(label),
            (Some(_), false) if table.full_marks <= Fixed::ZERO => no_full_marks.push(label),
            (Some(score), false) => {
                let weight = Rational::from(event.weight);
                let normalised = Rational::from(score)
                    .mul(Rational::from_int(100))
                    .div(Rational::from(table.full_marks));
                weighted = weighted.add(weight.mul(normalised));
                weights = weights.add(weight);
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
    if reasons.is_empty() && weights <= Rational::from_int(0) {
        reasons.push("项目权重之和不大于 0 (the weights add up to 0)".to_string());
    }

    let unrounded = reasons.is_empty().then(|| weighted.div(weights));
    OverallEntry {
        contestant: contestant.id.clone(),
        name: contestant.name.clone(),
        school: contestant.school.clone(),
        group: contestant.group(),
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
