//! One event's table: every entrant's panel result, grouped by 组别 (学段 + 学科).
//!
//! Which sheets count for an entry: submitted or confirmed sheets, from any judge (a sheet
//! typed in by the organiser from paper counts even if its judge is not on the panel) — except
//! a judge who must recuse (回避), whose sheet is ignored. Who is still expected: the panel
//! minus recused and absent judges. A judge whose counted sheets for one entry disagree is
//! listed as missing until the conflict is resolved. An objective event (a written test) has no
//! panel and no recusal: its one score is the counted sheets' total if they all agree (double
//! entry), and it stays provisional while they disagree or there is none.

use crate::model::{Contestant, Event, EventKind, Fixed};

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
    /// Counted sheets as (judge, total), sorted.
    counted: Vec<(usize, Fixed)>,
    /// One score per judge, by judge.
    scores: Vec<(usize, Fixed)>,
    recused: Vec<usize>,
    missing: Vec<usize>,
    absent: Vec<usize>,
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
    let conflict = if event.kind == EventKind::Objective {
        objective_attendance(index, slot, scratch)
    } else {
        panel_attendance(index, e, slot, c, contestant, scratch);
        false
    };
    let name = |o: usize| index.judge_id(o);
    let Panel {
        scores,
        result,
        trim,
    } = if event.kind == EventKind::Objective {
        panel::objective(&scratch.scores, name, conflict)
    } else {
        panel::aggregate(event, &scratch.scores, name, &mut scratch.panel)
    };
    let penalty = index.penalty(slot);
    let unrounded = result.map(|value| panel::after_penalty(value, penalty));
    let final_score = unrounded.map(|value| value.round_to(event.decimals));
    let provisional = !scratch.missing.is_empty() || conflict || result.is_none();
    let ids = |list: &[usize]| list.iter().map(|&o| name(o).to_string()).collect();
    EventEntry {
        contestant: contestant.id.clone(),
        name: contestant.name.clone(),
        school: contestant.school.clone(),
        group: index.group(c).to_string(),
        scores,
        missing: ids(&scratch.missing),
        recused: ids(&scratch.recused),
        absent: ids(&scratch.absent),
        panel: result,
        penalty,
        unrounded,
        final_score,
        rank: None,
        award: None,
        provisional,
        tie_flag: false,
        decided_by: Decider::Unranked,
        trim_applied: trim,
    }
}

/// Walks the panel and the counted sheets together, in judge order, sorting every judge
/// into scored, missing (no sheet, or sheets that disagree), recused or absent.
fn panel_attendance(
    index: &Index<'_>,
    e: usize,
    slot: usize,
    c: usize,
    contestant: &Contestant,
    scratch: &mut Scratch,
) {
    let Scratch {
        counted,
        scores,
        recused,
        missing,
        absent,
        ..
    } = scratch;
    counted.clear();
    counted.extend_from_slice(index.sheets(slot));
    counted.sort_unstable();
    scores.clear();
    recused.clear();
    missing.clear();
    absent.clear();

    let mut panel = index.panel(e).iter().copied().peekable();
    let mut sheets = counted.chunk_by(|a, b| a.0 == b.0).peekable();
    loop {
        let next_panel = panel.peek().copied();
        let next_sheet = sheets.peek().and_then(|run| run.first()).map(|s| s.0);
        let judge = match (next_panel, next_sheet) {
            (Some(p), Some(s)) => p.min(s),
            (Some(p), None) => p,
            (None, Some(s)) => s,
            (None, None) => break,
        };
        let on_panel = next_panel == Some(judge);
        if on_panel {
            panel.next();
        }
        let run = if next_sheet == Some(judge) {
            sheets.next().unwrap_or(&[])
        } else {
            &[]
        };
        if index
            .judge(judge)
            .is_some_and(|j| j.must_recuse(contestant))
        {
            recused.push(judge);
            continue;
        }
        match (run.first(), run.last()) {
            (Some(first), Some(last)) if first.1 == last.1 => scores.push(*first),
            (Some(_), _) => missing.push(judge),
            (None, _) if index.is_absent(e, judge, c) => absent.push(judge),
            (None, _) => missing.push(judge),
        }
    }
}

/// An objective event's counted sheets, all shown; whether they disagree.
fn objective_attendance(index: &Index<'_>, slot: usize, scratch: &mut Scratch) -> bool {
    scratch.recused.clear();
    scratch.missing.clear();
    scratch.absent.clear();
    scratch.scores.clear();
    scratch.scores.extend_from_slice(index.sheets(slot));
    scratch.scores.sort_unstable();
    match scratch.scores.split_first() {
        Some((first, rest)) => rest.iter().any(|s| s.1 != first.1),
        None => false,
    }
}
