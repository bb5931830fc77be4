//! Property tests: rankings are competition rankings of the settled entries, input order
//! does not matter, a common shift keeps the order, scores stay in bounds, award counts
//! follow the cumulative rounding rule.

use proptest::prelude::*;

use super::*;
use crate::model::{AwardRounding, AwardTier, Rational};
use crate::scoring::Decider;

const JUDGES: usize = 5;

/// One contestant's marks in half-points (0..=20 → 0..=10), `None` for a missing sheet, and a
/// penalty in half-points.
#[derive(Clone, Debug)]
struct Row {
    marks: Vec<Option<u8>>,
    penalty: u8,
    junior: bool,
}

fn half(points: u32) -> String {
    Fixed::from_raw(i64::from(points) * 5_000).to_string()
}

fn rows(max_rows: usize, missing: bool, penalties: bool) -> impl Strategy<Value = Vec<Row>> {
    let mark = if missing {
        prop::option::weighted(0.97, 8_u8..=20).boxed()
    } else {
        (8_u8..=20).prop_map(Some).boxed()
    };
    let penalty = if penalties {
        (0_u8..=4).boxed()
    } else {
        Just(0_u8).boxed()
    };
    let row = (prop::collection::vec(mark, JUDGES), penalty, any::<bool>()).prop_map(
        |(marks, penalty, junior)| Row {
            marks,
            penalty,
            junior,
        },
    );
    prop::collection::vec(row, 1..=max_rows)
}

/// One event E1 (5 judges, trim 1, mean, 10 points), contestants in two groups.
fn build(rows: &[Row], shift: u32) -> Fixture {
    let mut e1 = event("E1", JUDGES as u32, 1, Aggregate::Mean, "10");
    e1.step = f("0.5");
    let mut fx = Fixture::new(vec![e1]);
    fx.judges(JUDGES, &["E1"]);
    for (i, row) in rows.iter().enumerate() {
        let id = format!("C{i:03}");
        let stage = if row.junior {
            Stage::Junior
        } else {
            Stage::Primary
        };
        fx.add(contestant(&id, stage, "语文", "校"), &["E1"]);
        let marks: Vec<String> = row
            .marks
            .iter()
            .map(|m| m.map_or("-".to_string(), |m| half(u32::from(m) + shift)))
            .collect();
        let marks: Vec<&str> = marks.iter().map(String::as_str).collect();
        fx.scores("E1", &id, &marks);
        if row.penalty > 0 {
            fx.penalty("E1", &id, &half(u32::from(row.penalty)));
        }
    }
    fx
}

/// A small deterministic shuffle (xorshift), so no random source is needed.
fn shuffle<T>(items: &mut [T], seed: u64) {
    let mut state = seed | 1;
    for i in (1..items.len()).rev() {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        let j = usize::try_from(state % (i as u64 + 1)).unwrap_or(0);
        items.swap(i, j);
    }
}

fn event_entries(results: &Results) -> impl Iterator<Item = &GroupTableOfEntries> {
    results.events.iter().flat_map(|e| &e.groups)
}

type GroupTableOfEntries = crate::scoring::GroupTable<EventEntry>;

/// Place `b` strictly ahead of `a`?
fn better(a: &EventEntry, b: &EventEntry) -> bool {
    (b.final_score, b.unrounded) > (a.final_score, a.unrounded)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn ranks_are_a_competition_ranking_of_the_settled_entries(rows in rows(30, true, true)) {
        let results = build(&rows, 0).compute();
        for group in event_entries(&results) {
            let ranked: Vec<&EventEntry> = group
                .entries
                .iter()
                .filter(|e| !e.provisional && e.final_score.is_some())
                .collect();
            let n = ranked.len();
            // Ranked entries come first, then the others.
            for (i, e) in group.entries.iter().enumerate() {
                prop_assert_eq!(e.rank.is_some(), i < n);
                if e.rank.is_none() {
                    prop_assert_eq!(&e.decided_by, &Decider::Unranked);
                    prop_assert!(e.award.is_none());
                }
            }
            for e in &ranked {
                let ahead = ranked.iter().filter(|o| better(e, o)).count();
                prop_assert_eq!(e.rank, Some(u32::try_from(ahead + 1).unwrap_or(0)));
                let equal = ranked
                    .iter()
                    .filter(|o| o.contestant != e.contestant)
                    .any(|o| (o.final_score, o.unrounded) == (e.final_score, e.unrounded));
                prop_assert_eq!(equal, e.decided_by == Decider::Shared);
            }
            let ranks: Vec<u32> = ranked.iter().filter_map(|e| e.rank).collect();
            prop_assert!(ranks.windows(2).all(|w| w[0] <= w[1]));
            prop_assert!(ranks.iter().all(|&r| r >= 1 && r as usize <= n));
        }
    }

    #[test]
    fn input_order_does_not_matter(rows in rows(20, true, true), seed in any::<u64>()) {
        let fx = build(&rows, 0);
        let expected = fx.compute();
        let mut input = fx.input.clone();
        shuffle(&mut input.contestants, seed);
        shuffle(&mut input.judges, seed.rotate_left(7));
        shuffle(&mut input.entries, seed.rotate_left(13));
        shuffle(&mut input.sheets, seed.rotate_left(29));
        shuffle(&mut input.penalties, seed.rotate_left(41));
        prop_assert_eq!(compute(&input), expected);
    }

    #[test]
    fn adding_the_same_points_to_every_sheet_keeps_the_order(
        rows in rows(20, true, false),
        shift in 1_u32..=10,
    ) {
        let before = build(&rows, 0).compute();
        let after = build(&rows, shift).compute();
        let shift = Rational::from(Fixed::parse(&half(shift)).unwrap_or(Fixed::ZERO));
        let (a, b): (Vec<_>, Vec<_>) = (
            event_entries(&before).flat_map(|g| &g.entries).collect(),
            event_entries(&after).flat_map(|g| &g.entries).collect(),
        );
        prop_assert_eq!(a.len(), b.len());
        for (x, y) in a.iter().zip(&b) {
            prop_assert_eq!(&x.contestant, &y.contestant);
            prop_assert_eq!(x.rank, y.rank);
            prop_assert_eq!(&x.decided_by, &y.decided_by);
            prop_assert_eq!(&x.award, &y.award);
            prop_assert_eq!(x.unrounded.map(|u| u + shift), y.unrounded);
        }
    }

    #[test]
    fn final_scores_stay_within_zero_and_full_marks(rows in rows(30, true, true)) {
        let results = build(&rows, 0).compute();
        let full = results.events[0].full_marks;
        for e in event_entries(&results).flat_map(|g| &g.entries) {
            if let Some(score) = e.final_score {
                prop_assert!(score >= Fixed::ZERO && score <= full, "{} out of bounds", score);
            }
            prop_assert!(e.scores.iter().filter(|s| s.dropped).count() == 2 * e.trim_applied as usize);
        }
    }

    #[test]
    fn award_counts_follow_the_cumulative_rounding_rule(
        rows in rows(40, false, true),
        percents in prop::collection::vec(0_u32..=40, 1..=4),
        rounding in prop_oneof![
            Just(AwardRounding::Floor),
            Just(AwardRounding::Round),
            Just(AwardRounding::Ceil)
        ],
    ) {
        let mut fx = build(&rows, 0);
        fx.input.setup.awards.rounding = rounding;
        fx.input.setup.awards.tiers = percents
            .iter()
            .enumerate()
            .map(|(i, p)| AwardTier {
                name: format!("T{i}"),
                ratio: Some(Fixed::from_raw(i64::from(*p) * 100)),
                count: None,
            })
            .collect();
        let results = fx.compute();
        for group in event_entries(&results) {
            let ranked: Vec<&EventEntry> =
                group.entries.iter().filter(|e| e.rank.is_some()).collect();
            let n = ranked.len() as u64;
            let distinct = ranked
                .windows(2)
                .all(|w| w[0].rank != w[1].rank);
            let mut cumulative = 0_u64;
            for (i, p) in percents.iter().enumerate() {
                cumulative += u64::from(*p);
                // Independent integer arithmetic: n × cumulative % / 100.
                let exact = n * cumulative;
                let bound = match rounding {
                    AwardRounding::Floor => exact / 100,
                    AwardRounding::Round => (exact + 50) / 100,
                    AwardRounding::Ceil => exact.div_ceil(100),
                }
                .min(n) as usize;
                let tier_of = |e: &EventEntry| {
                    e.award
                        .as_deref()
                        .and_then(|a| a.strip_prefix('T'))
                        .and_then(|t| t.parse::<usize>().ok())
                };
                let awarded = ranked.iter().filter(|e| tier_of(e).is_some_and(|t| t <= i)).count();
                let reaching = ranked
                    .iter()
                    .filter(|e| e.rank.is_some_and(|r| r as usize <= bound))
                    .count();
                prop_assert_eq!(awarded, reaching);
                prop_assert!(awarded >= bound);
                if distinct {
                    prop_assert_eq!(awarded, bound);
                }
            }
            // A flagged entry shares its rank with someone placed past its tier's boundary.
            for e in &ranked {
                if e.tie_flag {
                    prop_assert!(e.award.is_some());
                    prop_assert!(ranked.iter().any(|o| o.contestant != e.contestant && o.rank == e.rank));
                }
            }
        }
    }
}
