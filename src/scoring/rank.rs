//! Ranking within a group: by the rounded score, then the tie-break chain; whatever is still
//! equal shares a rank, competition style (1, 2, 2, 4).
//!
//! Only entries with a settled (non-provisional) score are ranked. Entries are sorted best
//! first; unranked entries follow by contestant id, as do equal entries among themselves.

use std::cmp::Ordering;

use crate::model::{Fixed, Rational, TieBreak};

use super::event::EntryStatus;
use super::index::PairMap;
use super::results::{Decider, EventEntry, OverallEntry};

/// A table row that can be ranked and given an award.
pub(crate) trait Rankable {
    fn contestant(&self) -> &str;
    /// The rounded score if the entry may be ranked (settled), else `None`.
    fn rank_score(&self) -> Option<Fixed>;
    fn rank(&self) -> Option<u32>;
    fn set_place(&mut self, rank: Option<u32>, decided_by: Decider);
    fn set_award(&mut self, award: Option<String>, tie_flag: bool);
}

impl Rankable for EventEntry {
    fn contestant(&self) -> &str {
        &self.contestant
    }
    fn rank_score(&self) -> Option<Fixed> {
        if self.provisional {
            None
        } else {
            self.final_score
        }
    }
    fn rank(&self) -> Option<u32> {
        self.rank
    }
    fn set_place(&mut self, rank: Option<u32>, decided_by: Decider) {
        self.rank = rank;
        self.decided_by = decided_by;
    }
    fn set_award(&mut self, award: Option<String>, tie_flag: bool) {
        self.award = award;
        self.tie_flag = tie_flag;
    }
}

impl Rankable for OverallEntry {
    fn contestant(&self) -> &str {
        &self.contestant
    }
    fn rank_score(&self) -> Option<Fixed> {
        if self.provisional { None } else { self.total }
    }
    fn rank(&self) -> Option<u32> {
        self.rank
    }
    fn set_place(&mut self, rank: Option<u32>, decided_by: Decider) {
        self.rank = rank;
        self.decided_by = decided_by;
    }
    fn set_award(&mut self, award: Option<String>, tie_flag: bool) {
        self.award = award;
        self.tie_flag = tie_flag;
    }
}

/// A tie-break value: `Unrounded` is the entry's own unrounded value; `Event(code)` is the
/// contestant's settled final in that event. A missing value ranks lowest.
pub(crate) fn tie_key(
    step: &TieBreak,
    unrounded: Option<Rational>,
    status: &PairMap<'_, EntryStatus>,
    contestant: &str,
) -> Option<Rational> {
    match step {
        TieBreak::Unrounded => unrounded,
        TieBreak::Event(code) => status
            .get(code, contestant)
            .and_then(|s| s.settled())
            .map(Rational::from),
    }
}

/// How two neighbouring ranked entries differ.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Separation {
    /// By the rounded score.
    Score,
    /// By this step of the chain (index).
    Step(usize),
    /// Not at all.
    Tied,
}

struct Row<E> {
    entry: E,
    score: Option<Fixed>,
    keys: Vec<Option<Rational>>,
}

fn separation<E>(a: &Row<E>, b: &Row<E>) -> Separation {
    if a.score != b.score {
        return Separation::Score;
    }
    a.keys
        .iter()
        .zip(&b.keys)
        .position(|(x, y)| x != y)
        .map_or(Separation::Tied, Separation::Step)
}

/// Sorts `entries` best first and sets each one's rank and decider. `key` gives an entry's
/// value for one tie-break step (larger is better, `None` lowest).
pub(crate) fn rank_table<E: Rankable>(
    entries: &mut Vec<E>,
    chain: &[TieBreak],
    key: impl Fn(&TieBreak, &E) -> Option<Rational>,
) {
    let mut rows: Vec<Row<E>> = entries
        .drain(..)
        .map(|entry| {
            let score = entry.rank_score();
            let keys = match score {
                Some(_) => chain.iter().map(|step| key(step, &entry)).collect(),
                None => Vec::new(),
            };
            Row { entry, score, keys }
        })
        .collect();
    rows.sort_by(|a, b| {
        let by_value = match (a.score, b.score) {
            (Some(x), Some(y)) => y.cmp(&x).then_with(|| b.keys.cmp(&a.keys)),
            (Some(_), None) => Ordering::Less,
            (None, Some(_)) => Ordering::Greater,
            (None, None) => Ordering::Equal,
        };
        by_value.then_with(|| a.entry.contestant().cmp(b.entry.contestant()))
    });

    let ranked = rows.iter().take_while(|r| r.score.is_some()).count();
    // gaps[i] separates row i from row i + 1.
    let gaps: Vec<Separation> = rows
        .windows(2)
        .take(ranked.saturating_sub(1))
        .map(|pair| match pair {
            [a, b] => separation(a, b),
            _ => Separation::Score,
        })
        .collect();

    let mut rank = 0_u32;
    for (i, row) in rows.iter_mut().enumerate() {
        if i >= ranked {
            row.entry.set_place(None, Decider::Unranked);
            continue;
        }
        let above = i.checked_sub(1).and_then(|j| gaps.get(j)).copied();
        let below = gaps.get(i).copied();
        if above != Some(Separation::Tied) {
            rank = u32::try_from(i + 1).unwrap_or(u32::MAX);
        }
        let decided_by = match above.into_iter().chain(below).max() {
            Some(Separation::Tied) => Decider::Shared,
            Some(Separation::Step(k)) => chain
                .get(k)
                .map_or(Decider::Shared, |step| Decider::TieBreak(step.clone())),
            Some(Separation::Score) | None => Decider::Score,
        };
        row.entry.set_place(Some(rank), decided_by);
    }
    entries.extend(rows.into_iter().map(|row| row.entry));
}
