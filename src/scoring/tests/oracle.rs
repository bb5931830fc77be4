//! The panel arithmetic against a naive exact oracle written independently here: trimming with
//! its shrink rule, mean or sum, the sum scaled to a full panel, the penalty, and half-up
//! rounding — all on integers, with no code shared with the engine.

use proptest::prelude::*;

use super::*;
use crate::model::Rational;

/// How many to drop at each end, written as a formula (the engine uses a loop): as many as the
/// event says, but never so many that fewer than 3 scores stay.
fn oracle_trim(n: usize, trim: usize) -> usize {
    if n < 3 { 0 } else { trim.min((n - 3) / 2) }
}

/// The expected final score in units of 10^-decimals, from scores and penalty in units of
/// 0.01 (the smallest step used here).
fn oracle_final(
    scores: &[i64],
    panel: usize,
    trim: usize,
    sum: bool,
    penalty: i64,
    decimals: u32,
) -> Option<i128> {
    if scores.is_empty() {
        return None;
    }
    let mut sorted = scores.to_vec();
    sorted.sort_unstable();
    let t = oracle_trim(sorted.len(), trim);
    let kept = &sorted[t..sorted.len() - t];
    let k = kept.len() as i128;
    let total: i128 = kept.iter().map(|&s| i128::from(s)).sum();
    // value = num / den, in points.
    let (mut num, den) = if sum {
        let full = (panel - 2 * oracle_trim(panel, trim)).max(1) as i128;
        (total * full, 100 * k)
    } else {
        (total, 100 * k)
    };
    // Subtract the penalty (in 0.01 points), never below zero.
    num -= i128::from(penalty) * den / 100;
    if num < 0 {
        num = 0;
    }
    // Half-up: floor(x × 10^d + 1/2) for x ≥ 0.
    let scale = 10_i128.pow(decimals);
    Some((2 * num * scale + den) / (2 * den))
}

#[derive(Clone, Debug)]
struct Case {
    panel: usize,
    trim: usize,
    sum: bool,
    decimals: u32,
    /// One mark per panel judge in 0.01 points (0..=1000); `None` is a missing sheet.
    marks: Vec<Option<i64>>,
    penalty: i64,
}

fn cases() -> impl Strategy<Value = Case> {
    (1_usize..=9, 0_usize..=3, any::<bool>(), 0_u32..=3).prop_flat_map(
        |(panel, trim, sum, decimals)| {
            (
                prop::collection::vec(prop::option::weighted(0.8, 0_i64..=1000), panel),
                prop_oneof![Just(0_i64), 1_i64..=300],
            )
                .prop_map(move |(marks, penalty)| Case {
                    panel,
                    trim,
                    sum,
                    decimals,
                    marks,
                    penalty,
                })
        },
    )
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(600))]

    #[test]
    fn the_engine_agrees_with_a_naive_oracle(case in cases()) {
        let aggregate = if case.sum { Aggregate::Sum } else { Aggregate::Mean };
        let mut e1 = event("E1", case.panel as u32, case.trim as u32, aggregate, "10");
        e1.decimals = case.decimals;
        let mut fx = Fixture::new(vec![e1]);
        fx.judges(case.panel, &["E1"]).contestant("A", &["E1"]);
        let marks: Vec<String> = case
            .marks
            .iter()
            .map(|m| m.map_or("-".to_string(), |m| Fixed::from_raw(m * 100).to_string()))
            .collect();
        let marks: Vec<&str> = marks.iter().map(String::as_str).collect();
        fx.scores("E1", "A", &marks);
        if case.penalty > 0 {
            fx.penalty("E1", "A", &Fixed::from_raw(case.penalty * 100).to_string());
        }
        let results = fx.compute();
        let a = entry(&results, "E1", "A");

        let given: Vec<i64> = case.marks.iter().flatten().copied().collect();
        let expected = oracle_final(&given, case.panel, case.trim, case.sum, case.penalty, case.decimals);
        let got = a.final_score.map(|f| {
            // Fixed keeps 4 decimals: bring it to `decimals`.
            i128::from(f.raw()) / 10_i128.pow(4 - case.decimals)
        });
        prop_assert_eq!(got, expected, "{:?} → {:?}", case, a);
        // Final exactly when every panel judge submitted.
        prop_assert_eq!(a.provisional, given.len() < case.panel);
        // A scaled sum never exceeds full marks (before the penalty).
        if let Some(panel) = a.panel {
            prop_assert!(panel <= Rational::from(crate::scoring::event_full_marks(&fx.input.setup.events[0])));
        }
        let dropped = a.scores.iter().filter(|s| s.dropped).count();
        prop_assert_eq!(dropped, 2 * oracle_trim(given.len(), case.trim));
    }
}
