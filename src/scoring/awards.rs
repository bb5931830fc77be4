//! Award tiers (等次) per group, on cumulative boundaries so rounding never drifts.
//!
//! With N ranked entries, tier i covers the places up to bᵢ = rounding(N × (r₁ + … + rᵢ))
//! (ratio basis, exact arithmetic) or bᵢ = c₁ + … + cᵢ (count basis), capped at N. An entry
//! gets the first tier whose boundary its rank reaches, so a tie gets the tier of its best
//! place; when the tie runs past that boundary every member is flagged for a human decision.

use crate::model::{AwardBasis, AwardDecision, AwardRounding, Awards, Rational};

use super::event::Rows;
use super::rank::Rankable;

/// Cumulative boundaries (number of places covered by tiers 1..=i) for `ranked` entries.
/// Example: 45 ranked, 10 %/20 %/30 %, half-up → 5, 14, 27.
pub fn boundaries(awards: &Awards, ranked: usize) -> Vec<usize> {
    let n = i64::try_from(ranked).unwrap_or(i64::MAX);
    let mut cumulative_ratio = Rational::from_int(0);
    let mut cumulative_count: u64 = 0;
    awards
        .tiers
        .iter()
        .map(|tier| {
            let places: i128 = match awards.basis {
                AwardBasis::Ratio => {
                    if let Some(ratio) = tier.ratio {
                        cumulative_ratio = cumulative_ratio + ratio.into();
                    }
                    let exact = Rational::from_int(n) * cumulative_ratio;
                    match awards.rounding {
                        AwardRounding::Floor => exact.floor(),
                        AwardRounding::Round => exact.round_half_up(),
                        AwardRounding::Ceil => exact.ceil(),
                    }
                }
                AwardBasis::Count => {
                    cumulative_count =
                        cumulative_count.saturating_add(u64::from(tier.count.unwrap_or(0)));
                    i128::from(cumulative_count)
                }
            };
            usize::try_from(places.clamp(0, i128::from(n))).unwrap_or(ranked)
        })
        .collect()
}

/// Sets award and tie flag on a group's entries, already ranked by [`rank_table`] (ranked
/// first in `order`, equal ranks together).
///
/// [`rank_table`]: super::rank::rank_table
pub(crate) fn allocate<E: Rankable>(rows: &mut Rows<E>, awards: &Awards) {
    let ranks: Vec<Option<u32>> = rows
        .order
        .iter()
        .map(|&i| rows.entry(i).and_then(Rankable::rank))
        .collect();
    let ranked = ranks.iter().take_while(|r| r.is_some()).count();
    let bounds = boundaries(awards, ranked);
    let order = std::mem::take(&mut rows.order);
    let mut start = 0;
    while start < order.len() {
        let rank = ranks.get(start).copied().flatten();
        let size = ranks
            .iter()
            .skip(start)
            .take_while(|&&r| r == rank)
            .count()
            .max(1);
        let (award, tie_flag) = match rank {
            Some(rank) => tier_for(awards, &bounds, rank as usize, size),
            None => (None, false),
        };
        for &i in order.iter().skip(start).take(size) {
            let Some(entry) = rows.entry_mut(i) else {
                continue;
            };
            let below_minimum = match (awards.min_score, entry.rank_score()) {
                (Some(min), Some(score)) => score < min,
                _ => false,
            };
            if below_minimum {
                entry.set_award(None, false);
            } else {
                entry.set_award(award.map(str::to_string), tie_flag);
            }
        }
        start += size;
    }
    rows.order = order;
}

/// Applies the organiser's award decisions (人工决定等次) to a ranked group: a ranked entry with
/// a decision gets the decided tier (or none), loses its tie flag and carries the reason. An
/// entry that is not ranked (any more) keeps no award: the decision waits until it is.
pub(crate) fn apply_decisions<E: Rankable>(
    rows: &mut Rows<E>,
    decisions: &std::collections::HashMap<&str, &AwardDecision>,
) {
    if decisions.is_empty() {
        return;
    }
    let order = std::mem::take(&mut rows.order);
    for &i in &order {
        let Some(entry) = rows.entry_mut(i) else {
            continue;
        };
        if entry.rank().is_none() {
            continue;
        }
        if let Some(d) = decisions.get(entry.contestant()) {
            entry.set_award(d.tier.clone(), false);
            entry.set_decision(d.reason.clone());
        }
    }
    rows.order = order;
}

/// The tier of a tie group of `size` entries sharing `rank`, and whether it straddles the
/// tier's boundary.
fn tier_for<'t>(
    awards: &'t Awards,
    bounds: &[usize],
    rank: usize,
    size: usize,
) -> (Option<&'t str>, bool) {
    let last_place = rank + size - 1;
    awards
        .tiers
        .iter()
        .zip(bounds)
        .find(|(_, bound)| rank <= **bound)
        .map_or((None, false), |(tier, bound)| {
            (Some(tier.name.as_str()), last_place > *bound)
        })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{AwardTier, Fixed};

    fn ratio_awards(rounding: AwardRounding, ratios: &[&str]) -> Awards {
        Awards {
            basis: AwardBasis::Ratio,
            rounding,
            tiers: ratios
                .iter()
                .enumerate()
                .map(|(i, r)| AwardTier {
                    name: format!("T{}", i + 1),
                    ratio: Some(Fixed::parse(r).expect("ratio")),
                    count: None,
                })
                .collect(),
            min_score: None,
        }
    }

    #[test]
    fn spec_example_45_rounds_to_5_14_27() {
        let awards = ratio_awards(AwardRounding::Round, &["0.10", "0.20", "0.30"]);
        assert_eq!(boundaries(&awards, 45), vec![5, 14, 27]);
    }

    #[test]
    fn floor_and_ceil() {
        let floor = ratio_awards(AwardRounding::Floor, &["0.10", "0.20", "0.30"]);
        let ceil = ratio_awards(AwardRounding::Ceil, &["0.10", "0.20", "0.30"]);
        // 45 × 0.1 = 4.5, 45 × 0.3 = 13.5, 45 × 0.6 = 27
        assert_eq!(boundaries(&floor, 45), vec![4, 13, 27]);
        assert_eq!(boundaries(&ceil, 45), vec![5, 14, 27]);
        // 7 × 0.1 = 0.7, 7 × 0.3 = 2.1, 7 × 0.6 = 4.2
        assert_eq!(boundaries(&floor, 7), vec![0, 2, 4]);
        assert_eq!(boundaries(&ceil, 7), vec![1, 3, 5]);
        let round = ratio_awards(AwardRounding::Round, &["0.10", "0.20", "0.30"]);
        assert_eq!(boundaries(&round, 7), vec![1, 2, 4]);
    }

    #[test]
    fn boundaries_are_capped_at_the_ranked_count() {
        let awards = ratio_awards(AwardRounding::Ceil, &["0.5", "0.4", "0.3"]);
        assert_eq!(boundaries(&awards, 10), vec![5, 9, 10]);
        assert_eq!(boundaries(&awards, 0), vec![0, 0, 0]);
        let count = Awards {
            basis: AwardBasis::Count,
            rounding: AwardRounding::Round,
            tiers: vec![
                AwardTier {
                    name: "一等奖".into(),
                    ratio: None,
                    count: Some(2),
                },
                AwardTier {
                    name: "二等奖".into(),
                    ratio: None,
                    count: Some(3),
                },
            ],
            min_score: None,
        };
        assert_eq!(boundaries(&count, 10), vec![2, 5]);
        assert_eq!(boundaries(&count, 4), vec![2, 4]);
    }
}
