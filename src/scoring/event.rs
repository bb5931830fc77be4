//! One event's table: every entrant's panel result, grouped by 组别 (学段 + 学科).
//!
//! Which sheets count, who is still expected and whether an entry is final are decided by
//! [`eligibility::assess`] (the rules' one home); this file turns its answer into a row: the
//! panel's arithmetic, the penalty, rounding, and why the row is still provisional.

use crate::model::{Contestant, Event, EventKind, Fixed};

use super::eligibility::{self, Attendance};
use super::index::Index;
use super::panel::{self, Panel};
use super::results::{Decider, EventEntry, GroupTable};

/// What other tables need to know about an entry.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct EntryStatus {
    pub final_score: Option<Fixed>,
    pub provisional: bool,
}

impl EntryStatus {
    /// A slot with no entry.
    pub(crate) const NONE: EntryStatus = EntryStatus {
        final_score: None,
        provisional: true,
    };

    pub(crate) fn of(entry: &EventEntry) -> Self {
        EntryStatus {
            final_score: entry.final_score,
            provisional: entry.provisional,
        }
    }

    /// The final score if it counts (present and not provisional).
    pub(crate) fn settled(self) -> Option<Fixed> {
        if self.provisional {
            None
        } else {
            self.final_score
        }
    }
}

/// A group being built, then ranked: its rows stay where they were built and `order` says
/// where each one goes, so that a (large) entry is moved only into its final table.
pub(crate) struct Rows<E> {
    pub group: String,
    /// Contestant positions, one per entry.
    pub who: Vec<usize>,
    /// The entries, taken out (`None`) only when the table is made.
    pub entries: Vec<Option<E>>,
    /// Row numbers, best first once ranked.
    pub order: Vec<usize>,
}

impl<E> Rows<E> {
    /// One empty group per group of the competition, with room for these contestants' rows.
    pub(crate) fn for_groups(index: &Index<'_>, contestants: &[usize]) -> Vec<Rows<E>> {
        let mut sizes = vec![0_usize; index.groups()];
        for &c in contestants {
            if let Some(size) = sizes.get_mut(index.group_of(c)) {
                *size += 1;
            }
        }
        sizes
            .into_iter()
            .enumerate()
            .map(|(g, size)| Rows {
                group: index.group_name(g).to_string(),
                who: Vec::with_capacity(size),
                entries: Vec::with_capacity(size),
                order: Vec::with_capacity(size),
            })
            .collect()
    }

    /// Puts a row in its contestant's group.
    pub(crate) fn push(groups: &mut [Rows<E>], index: &Index<'_>, c: usize, entry: E) {
        if let Some(group) = groups.get_mut(index.group_of(c)) {
            group.order.push(group.entries.len());
            group.who.push(c);
            group.entries.push(Some(entry));
        }
    }

    pub(crate) fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// The rows as (contestant position, entry), in build order.
    pub(crate) fn rows(&self) -> impl Iterator<Item = (usize, &E)> {
        self.who
            .iter()
            .zip(&self.entries)
            .filter_map(|(&c, entry)| entry.as_ref().map(|e| (c, e)))
    }

    /// The entry in row `i`.
    pub(crate) fn entry(&self, i: usize) -> Option<&E> {
        self.entries.get(i).and_then(Option::as_ref)
    }

    pub(crate) fn entry_mut(&mut self, i: usize) -> Option<&mut E> {
        self.entries.get_mut(i).and_then(Option::as_mut)
    }

    /// The finished table, entries in `order`.
    pub(crate) fn into_table(mut self) -> GroupTable<E> {
        let entries = self
            .order
            .iter()
            .filter_map(|&i| self.entries.get_mut(i).and_then(Option::take))
            .collect();
        GroupTable {
            group: self.group,
            entries,
        }
    }
}

/// An event's entries with panel results, per group; ranks and awards are filled in later.
pub(crate) fn build(index: &Index<'_>, e: usize, event: &Event) -> Vec<Rows<EventEntry>> {
    let entrants = index.entrants(e);
    let mut groups = Rows::for_groups(index, entrants);
    let mut scratch = Scratch::default();
    for &c in entrants {
        let Some(contestant) = index.contestant(c) else {
            continue;
        };
        let entry = build_entry(index, e, event, c, contestant, &mut scratch);
        Rows::push(&mut groups, index, c, entry);
    }
    groups.retain(|group| !group.is_empty());
    groups
}

/// Buffers reused from one entry to the next; judges are ordinals (see `Index`).
#[derive(Default)]
struct Scratch {
    /// The entry's sheets as (judge, total), sorted.
    sheets: Vec<(usize, Fixed)>,
    attendance: Attendance<usize>,
    panel: panel::Scratch,
}

fn build_entry(
    index: &Index<'_>,
    e: usize,
    event: &Event,
    c: usize,
    contestant: &Contestant,
    scratch: &mut Scratch,
) -> EventEntry {
    let slot = index.slot(e, c);
    scratch.sheets.clear();
    scratch.sheets.extend_from_slice(index.sheets(slot));
    scratch.sheets.sort_unstable();
    let a = &mut scratch.attendance;
    eligibility::assess(
        event,
        index.panel(e),
        &scratch.sheets,
        |j| {
            index
                .judge(j)
                .is_some_and(|judge| eligibility::recuses(event, judge, contestant))
        },
        |j| index.is_absent(e, j, c),
        a,
    );
    let name = |o: usize| index.judge_id(o);
    let Panel {
        scores,
        result,
        trim,
    } = if event.kind == EventKind::Objective {
        panel::objective(&a.counted, name, a.entries_disagree())
    } else {
        panel::aggregate(event, &a.counted, name, &mut scratch.panel)
    };
    let penalty = index.penalty(slot);
    let unrounded = result.map(|value| panel::after_penalty(value, penalty));
    let final_score = unrounded.map(|value| value.round_to(event.decimals));
    let pending = if a.is_final() && result.is_some() {
        Vec::new()
    } else {
        a.pending(|o| name(o).to_string())
    };
    let ids = |list: &[usize]| list.iter().map(|&o| name(o).to_string()).collect();
    let mut missing: Vec<String> = ids(&a.missing);
    missing.extend(a.disagreeing.iter().map(|&o| name(o).to_string()));
    missing.sort_unstable();
    EventEntry {
        contestant: contestant.id.clone(),
        name: contestant.name.clone(),
        school: contestant.school.clone(),
        group: index.group(c).to_string(),
        scores,
        missing,
        recused: ids(&a.recused),
        absent: ids(&a.absent),
        panel: result,
        penalty,
        unrounded,
        final_score,
        rank: None,
        award: None,
        provisional: !pending.is_empty(),
        pending,
        tie_flag: false,
        award_decision: None,
        decided_by: Decider::Unranked,
        trim_applied: trim,
    }
}
