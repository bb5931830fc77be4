//! Ranking within a group: by the rounded score, then the tie-break chain; whatever is still
//! equal shares a rank, competition style (1, 2, 2, 4).
//!
//! Only entries with a settled (non-provisional) score are ranked. Entries are sorted best
//! first; unranked entries follow by contestant id, as do equal entries among themselves.

use std::cmp::Ordering;

use crate::model::{Fixed, Rational, TieBreak};

use super::event::EntryStatus;
use super::event::Rows;
use super::index::Index;
use super::results::{Decider, EventEntry, OverallEntry};

/// A table row that can be ranked and given an award.
pub(crate) trait Rankable {
    fn contestant(&self) -> &str;
    /// The rounded score if the entry may be ranked (settled), else `None`.
    fn rank_score(&self) -> Option<Fixed>;
    /// The value compared by [`TieBreak::Unrounded`].
    fn unrounded(&self) -> Option<Rational>;
    fn rank(&self) -> Option<u32>;
    fn set_place(&mut self, rank: Option<u32>, decided_by: Decider);
    fn set_award(&mut self, award: Option<String>, tie_flag: bool);
    /// Marks the award as the organiser's decision, with its reason.
    fn set_decision(&mut self, reason: String);
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
    fn unrounded(&self) -> Option<Rational> {
        self.unrounded
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
    fn set_decision(&mut self, reason: String) {
        self.award_decision = Some(reason);
    }
}

impl Rankable for OverallEntry {
    fn contestant(&self) -> &str {
        &self.contestant
    }
    fn rank_score(&self) -> Option<Fixed> {
        if self.provisional { None } else { self.total }
    }
    fn unrounded(&self) -> Option<Rational> {
        self.unrounded
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
    fn set_decision(&mut self, reason: String) {
        self.award_decision = Some(reason);
    }
}

/// The tie-break chain, resolved against one input.
pub(crate) struct TieKeys<'s> {
    chain: &'s [TieBreak],
    /// Per step: `None` for the unrounded value, `Some(event position)` for a key event
    /// (`Some(None)` if no event has that code: every value is missing).
    events: Vec<Option<Option<usize>>>,
    /// Per slot: each entry's final score and whether it is provisional.
    status: &'s [EntryStatus],
    contestants: usize,
}

impl<'s> TieKeys<'s> {
    pub(crate) fn new(index: &Index<'_>, chain: &'s [TieBreak], status: &'s [EntryStatus]) -> Self {
        let events = chain
            .iter()
            .map(|step| match step {
                TieBreak::Unrounded => None,
                TieBreak::Event(code) => Some(index.event(code)),
            })
            .collect();
        TieKeys {
            chain,
            events,
            status,
            contestants: index.input.contestants.len(),
        }
    }

    /// Step `k`'s value for contestant position `c`: larger is better, `None` lowest. A key
    /// event counts only with a settled (non-provisional) score.
    fn value<E: Rankable>(&self, k: usize, entry: &E, c: usize) -> Option<Rational> {
        match self.events.get(k).copied().flatten() {
            None => entry.unrounded(),
            Some(event) => event
                .and_then(|e| self.status.get(e * self.contestants + c))
                .and_then(|s| s.settled())
                .map(Rational::from),
        }
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

/// Orders a group best first (`rows.order`) and sets each entry's rank and decider.
pub(crate) fn rank_table<E: Rankable>(rows: &mut Rows<E>, keys: &TieKeys<'_>) {
    let n = rows.entries.len();
    let m = keys.chain.len();
    let scores: Vec<Option<Fixed>> = (0..n)
        .map(|i| rows.entry(i).and_then(Rankable::rank_score))
        .collect();
    // Flat n × m table of tie-break values (only for rankable rows).
    let mut values: Vec<Option<Rational>> = Vec::with_capacity(n * m);
    for ((c, entry), score) in rows.who.iter().zip(&rows.entries).zip(&scores) {
        for k in 0..m {
            let value = match (score, entry) {
                (Some(_), Some(entry)) => keys.value(k, entry, *c),
                _ => None,
            };
            values.push(value);
        }
    }
    let row_values = |i: usize| values.get(i * m..(i + 1) * m).unwrap_or(&[]);
    let score = |i: usize| scores.get(i).copied().flatten();

    // Sorted on a plain integer first (best score first, unranked last); only equal scores
    // compare the tie-break values and then the contestant ids.
    let order = {
        let id = |i: usize| rows.entry(i).map_or("", Rankable::contestant);
        let mut order: Vec<(i64, usize)> = scores
            .iter()
            .enumerate()
            .map(|(i, s)| (s.map_or(i64::MAX, |s| s.raw().saturating_neg()), i))
            .collect();
        order.sort_unstable_by(|&(ka, a), &(kb, b)| {
            ka.cmp(&kb).then_with(|| {
                let by_values = match (score(a), score(b)) {
                    (Some(_), Some(_)) => row_values(b).cmp(row_values(a)),
                    _ => Ordering::Equal,
                };
                by_values.then_with(|| id(a).cmp(id(b))).then(a.cmp(&b))
            })
        });
        order.into_iter().map(|(_, i)| i).collect::<Vec<usize>>()
    };

    let ranked = order.iter().take_while(|&&i| score(i).is_some()).count();
    let separation = |a: usize, b: usize| {
        if score(a) != score(b) {
            return Separation::Score;
        }
        row_values(a)
            .iter()
            .zip(row_values(b))
            .position(|(x, y)| x != y)
            .map_or(Separation::Tied, Separation::Step)
    };
    // gaps[p] separates the rows at places p and p + 1.
    let gaps: Vec<Separation> = order
        .windows(2)
        .take(ranked.saturating_sub(1))
        .map(|pair| match *pair {
            [a, b] => separation(a, b),
            _ => Separation::Score,
        })
        .collect();

    let mut rank = 0_u32;
    for (p, &i) in order.iter().enumerate() {
        let place = if p < ranked {
            let above = p.checked_sub(1).and_then(|q| gaps.get(q)).copied();
            let below = gaps.get(p).copied();
            if above != Some(Separation::Tied) {
                rank = u32::try_from(p + 1).unwrap_or(u32::MAX);
            }
            let decided_by = match above.into_iter().chain(below).max() {
                Some(Separation::Tied) => Decider::Shared,
                Some(Separation::Step(k)) => keys
                    .chain
                    .get(k)
                    .map_or(Decider::Shared, |step| Decider::TieBreak(step.clone())),
                Some(Separation::Score) | None => Decider::Score,
            };
            (Some(rank), decided_by)
        } else {
            (None, Decider::Unranked)
        };
        if let Some(entry) = rows.entry_mut(i) {
            entry.set_place(place.0, place.1);
        }
    }
    rows.order = order;
}
