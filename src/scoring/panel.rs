//! A panel's arithmetic (评委组成绩): trimming, mean or sum of the kept scores, penalty and
//! half-up rounding — on exact values only.

use crate::model::decimal::SCALE;
use crate::model::{Aggregate, Event, EventKind, Fixed, Rational};

use super::results::JudgeScore;

/// How many scores to drop at each end of a panel of `n` counted scores when the event says
/// `trim`: trim t while at least 3 scores remain kept — the largest t ≤ `trim` with
/// n − 2t ≥ 3, else 0. So with trim 1, five judges keep 3 and four judges are not trimmed;
/// with trim 2, seven judges keep 3 and six judges drop only 1 at each end.
pub fn trim_count(n: usize, trim: u32) -> u32 {
    let mut t = trim;
    while t > 0 && n < 2 * t as usize + 3 {
        t -= 1;
    }
    t
}

/// The most an event score can be: the rubric's full marks for a mean (and for an objective
/// event); for a sum, full marks × the number of scores a full panel (`event.judges`) keeps.
pub fn event_full_marks(event: &Event) -> Fixed {
    let sheet = event.full_marks();
    if event.kind == EventKind::Objective || event.aggregate == Aggregate::Mean {
        return sheet;
    }
    let kept = i64::try_from(full_panel_keeps(event)).unwrap_or(i64::MAX);
    Fixed::from_raw(sheet.raw().saturating_mul(kept))
}

/// How many scores a full panel (`event.judges`) keeps after trimming (at least 1).
pub fn full_panel_keeps(event: &Event) -> usize {
    let n = event.judges as usize;
    n.saturating_sub(2 * trim_count(n, event.trim) as usize)
        .max(1)
}

/// A panel's scores with the dropped ones marked, and the result of the kept ones.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Panel {
    /// In judge-id order.
    pub scores: Vec<JudgeScore>,
    /// Mean or sum of the kept scores; `None` if there are none.
    pub result: Option<Rational>,
    /// Dropped at each end.
    pub trim: u32,
}

/// Buffers for [`aggregate`], reused from one entry to the next.
#[derive(Default)]
pub(crate) struct Scratch {
    dropped: Vec<bool>,
}

/// Trims and aggregates one score per judge, given in judge-id order (`judge` gives a judge's
/// id). Equal scores are dropped deterministically: in (score, judge id) order the first `t`
/// and the last `t` are dropped.
pub(crate) fn aggregate<'j>(
    event: &Event,
    scores: &[(usize, Fixed)],
    judge: impl Fn(usize) -> &'j str,
    scratch: &mut Scratch,
) -> Panel {
    let n = scores.len();
    let trim = trim_count(n, event.trim);
    let dropped = &mut scratch.dropped;
    dropped.clear();
    dropped.resize(n, false);
    // t smallest and t largest in (score, position) order; positions are in judge-id order.
    // At least 3 scores stay, so the two ends never meet.
    for _ in 0..trim {
        let kept = || {
            scores
                .iter()
                .zip(dropped.iter())
                .enumerate()
                .filter(|(_, (_, d))| !**d)
        };
        let lowest = kept()
            .min_by_key(|(i, ((_, score), _))| (*score, *i))
            .map(|(i, _)| i);
        let highest = kept()
            .max_by_key(|(i, ((_, score), _))| (*score, *i))
            .map(|(i, _)| i);
        for i in lowest.into_iter().chain(highest) {
            if let Some(flag) = dropped.get_mut(i) {
                *flag = true;
            }
        }
    }
    let judged: Vec<JudgeScore> = scores
        .iter()
        .zip(dropped.iter())
        .map(|(&(o, score), &dropped)| JudgeScore {
            judge: judge(o).to_string(),
            score,
            dropped,
        })
        .collect();
    let result = combine(
        event.aggregate,
        full_panel_keeps(event),
        judged.iter().filter(|s| !s.dropped).map(|s| s.score),
    );
    Panel {
        scores: judged,
        result,
        trim,
    }
}

/// An objective event's one score: every counted sheet shown, the result only if they agree.
pub(crate) fn objective<'j>(
    scores: &[(usize, Fixed)],
    judge: impl Fn(usize) -> &'j str,
    conflict: bool,
) -> Panel {
    let judged = scores
        .iter()
        .map(|&(o, score)| JudgeScore {
            judge: judge(o).to_string(),
            score,
            dropped: false,
        })
        .collect();
    let result = match scores.first() {
        Some(&(_, score)) if !conflict => Some(Rational::from(score)),
        _ => None,
    };
    Panel {
        scores: judged,
        result,
        trim: 0,
    }
}

/// Mean or sum of the kept scores, exactly; `None` if there are none. A sum of `k` kept scores
/// is scaled to what a full panel keeps (`full_keeps`): sum × full_keeps ÷ k (SPEC §3), so a
/// short panel neither adds nor removes points and the result never exceeds full marks.
fn combine(
    aggregate: Aggregate,
    full_keeps: usize,
    kept: impl Iterator<Item = Fixed>,
) -> Option<Rational> {
    let (sum, count) = kept.fold((0_i128, 0_i128), |(sum, count), score| {
        (sum + i128::from(score.raw()), count + 1)
    });
    if count == 0 {
        return None;
    }
    let scale = i128::from(SCALE);
    Some(match aggregate {
        Aggregate::Mean => Rational::new(sum, scale * count),
        Aggregate::Sum => {
            let full = i128::try_from(full_keeps).unwrap_or(i128::MAX);
            Rational::new(sum * full, scale * count)
        }
    })
}

/// `panel − penalty`, never below 0.
pub(crate) fn after_penalty(panel: Rational, penalty: Fixed) -> Rational {
    if penalty.is_zero() {
        return panel;
    }
    let value = panel - Rational::from(penalty);
    let zero = Rational::from_int(0);
    if value < zero { zero } else { value }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn trim_keeps_at_least_three() {
        assert_eq!(trim_count(5, 1), 1);
        assert_eq!(trim_count(4, 1), 0);
        assert_eq!(trim_count(3, 1), 0);
        assert_eq!(trim_count(7, 1), 1);
        assert_eq!(trim_count(7, 2), 2);
        assert_eq!(trim_count(6, 2), 1);
        assert_eq!(trim_count(5, 2), 1);
        assert_eq!(trim_count(4, 2), 0);
        assert_eq!(trim_count(0, 2), 0);
        assert_eq!(trim_count(9, 0), 0);
    }

    #[test]
    fn penalty_never_goes_below_zero() {
        let panel = Rational::from_int(1);
        assert_eq!(
            after_penalty(panel, Fixed::from_int(2)),
            Rational::from_int(0)
        );
        assert_eq!(
            after_penalty(Rational::from_int(5), Fixed::from_int(2)),
            Rational::from_int(3)
        );
    }
}
