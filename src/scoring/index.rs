//! Dense lookup tables over a [`ScoringInput`], built once, so that every entry is scored
//! without string hashing and whatever the order of the input lists.
//!
//! Events and contestants are numbered by their position in the input (the first of repeated
//! ids wins), judges by the order of their ids (*ordinals*, which also cover ids seen only on
//! sheets); an entry (event, contestant) is a *slot* `event × contestants + contestant` into
//! flat arrays of sheets, penalties and entry flags.

use std::collections::BTreeMap;

use crate::model::{Contestant, Fixed, Judge, Stage};

use super::ScoringInput;
use super::ids::{Cache, FastSet, IdMap, Memo};

/// Lookups into one input, by position.
pub(crate) struct Index<'a> {
    pub input: &'a ScoringInput,
    events: IdMap<'a>,
    /// Every judge id seen (judge list and sheets), sorted: a judge's *ordinal* is its place
    /// here, so ordinal order is judge-id order.
    judge_ids: Vec<&'a str>,
    /// Per ordinal: the judge with that id, if it is in the judge list (the first of repeats).
    judge_of: Vec<Option<&'a Judge>>,
    /// Positions of the contestants (first of each id), sorted by id.
    by_id: Vec<usize>,
    /// Group names (学段 + 学科), sorted by stage, then subject.
    group_names: Vec<String>,
    /// Per contestant position: its group's place in `group_names`.
    group_of: Vec<usize>,
    /// Per event: the ordinals of its panel, sorted.
    panels: Vec<Vec<usize>>,
    /// Per event: contestant positions of its entrants, sorted by id.
    entrants: Vec<Vec<usize>>,
    /// Per slot: whether the contestant must enter the event.
    entered: Vec<bool>,
    /// Per slot: `sheet_scores[sheet_start[slot]..sheet_start[slot + 1]]` are its counted
    /// sheets as (judge ordinal, total).
    sheet_start: Vec<usize>,
    sheet_scores: Vec<(usize, Fixed)>,
    /// Per slot: total deduction.
    penalties: Vec<Fixed>,
    /// Per (event × ordinals + judge ordinal): absent for the whole event.
    absent_event: Vec<bool>,
    /// (event, judge ordinal, contestant) absences for one contestant.
    absent_one: FastSet<(usize, usize, usize)>,
}

impl<'a> Index<'a> {
    pub(crate) fn new(input: &'a ScoringInput) -> Self {
        let events = IdMap::numbering(input.setup.events.iter().map(|e| e.code.as_str()));
        let contestants = IdMap::numbering(input.contestants.iter().map(|c| c.id.as_str()));
        let n_contestants = input.contestants.len();
        let slots = input.setup.events.len() * n_contestants;

        let mut judges = Judges::new(input);
        let sheets = judges.counted_sheets(input, &events, &contestants);
        let judges = judges.in_id_order().with_judges(input);
        let (sheet_start, sheet_scores) = group_by_slot(slots, sheets, &judges.renumber);

        let mut by_id: Vec<usize> = contestants.values().collect();
        by_id.sort_unstable_by(|&a, &b| contestant_id(input, a).cmp(contestant_id(input, b)));
        let (group_names, group_of) = groups(input);
        let panels = panels(input.setup.events.len(), &events, &judges.of);
        let (entered, entrants) = entries(input, &events, &contestants, &by_id);

        let mut penalties = vec![Fixed::ZERO; slots];
        for p in &input.penalties {
            if let (Some(e), Some(c)) = (events.get(&p.event), contestants.get(&p.contestant))
                && let Some(total) = penalties.get_mut(e * n_contestants + c)
            {
                *total = *total + p.points;
            }
        }
        let (absent_event, absent_one) = absences(input, &events, &contestants, &judges);

        Index {
            input,
            events,
            judge_ids: judges.ids,
            judge_of: judges.of,
            by_id,
            group_names,
            group_of,
            panels,
            entrants,
            entered,
            sheet_start,
            sheet_scores,
            penalties,
            absent_event,
            absent_one,
        }
    }

    /// The position of the event with this code (the first, if codes repeat).
    pub(crate) fn event(&self, code: &str) -> Option<usize> {
        self.events.get(code)
    }

    /// The judge with this ordinal, if it is in the judge list.
    pub(crate) fn judge(&self, o: usize) -> Option<&'a Judge> {
        self.judge_of.get(o).copied().flatten()
    }

    /// The id of the judge with this ordinal.
    pub(crate) fn judge_id(&self, o: usize) -> &'a str {
        self.judge_ids.get(o).copied().unwrap_or("")
    }

    pub(crate) fn contestant(&self, c: usize) -> Option<&'a Contestant> {
        self.input.contestants.get(c)
    }

    /// Contestant positions (one per id), sorted by id.
    pub(crate) fn contestants_by_id(&self) -> &[usize] {
        &self.by_id
    }

    /// The number of groups (组别) among the contestants.
    pub(crate) fn groups(&self) -> usize {
        self.group_names.len()
    }

    /// The group of contestant position `c`: its place in stage-then-subject order.
    pub(crate) fn group_of(&self, c: usize) -> usize {
        self.group_of.get(c).copied().unwrap_or(0)
    }

    /// The name of group `g` (学段 + 学科, e.g. 初中数学).
    pub(crate) fn group_name(&self, g: usize) -> &str {
        self.group_names.get(g).map_or("", String::as_str)
    }

    /// The group name of contestant position `c`.
    pub(crate) fn group(&self, c: usize) -> &str {
        self.group_name(self.group_of(c))
    }

    /// The slot of (event, contestant) positions.
    pub(crate) fn slot(&self, e: usize, c: usize) -> usize {
        e * self.input.contestants.len() + c
    }

    pub(crate) fn slots(&self) -> usize {
        self.input.setup.events.len() * self.input.contestants.len()
    }

    /// The ordinals of the event's panel, sorted (so by judge id).
    pub(crate) fn panel(&self, e: usize) -> &[usize] {
        self.panels.get(e).map_or(&[], Vec::as_slice)
    }

    /// Positions of the event's entrants, sorted by contestant id.
    pub(crate) fn entrants(&self, e: usize) -> &[usize] {
        self.entrants.get(e).map_or(&[], Vec::as_slice)
    }

    pub(crate) fn has_entered(&self, slot: usize) -> bool {
        self.entered.get(slot).copied().unwrap_or(false)
    }

    /// Counted (submitted or confirmed) sheets of one slot, as (judge ordinal, total).
    pub(crate) fn sheets(&self, slot: usize) -> &[(usize, Fixed)] {
        let start = self.sheet_start.get(slot).copied().unwrap_or(0);
        let end = self.sheet_start.get(slot + 1).copied().unwrap_or(start);
        self.sheet_scores.get(start..end).unwrap_or(&[])
    }

    pub(crate) fn penalty(&self, slot: usize) -> Fixed {
        self.penalties.get(slot).copied().unwrap_or(Fixed::ZERO)
    }

    /// Whether judge ordinal `o` is recorded absent for event `e` as a whole or for
    /// contestant `c`.
    pub(crate) fn is_absent(&self, e: usize, o: usize, c: usize) -> bool {
        self.absent_event.get(e * self.judge_ids.len() + o) == Some(&true)
            || (!self.absent_one.is_empty() && self.absent_one.contains(&(e, o, c)))
    }
}

/// Judge ids numbered as met (the judge list, then ids seen only on counted sheets).
struct Judges<'a> {
    numbers: IdMap<'a>,
    met: Vec<&'a str>,
}

/// Judge ids in id order: ordinals.
struct Ordinals<'a> {
    /// Id → ordinal.
    numbers: IdMap<'a>,
    /// Ordinal → id.
    ids: Vec<&'a str>,
    /// Ordinal → the judge with that id in the judge list (the first of repeats).
    of: Vec<Option<&'a Judge>>,
    /// Number as met → ordinal.
    renumber: Vec<usize>,
}

impl<'a> Judges<'a> {
    fn new(input: &'a ScoringInput) -> Self {
        let mut judges = Judges {
            numbers: IdMap::default(),
            met: Vec::new(),
        };
        for judge in &input.judges {
            judges.number(&judge.id);
        }
        judges
    }

    fn number(&mut self, id: &'a str) -> usize {
        if let Some(n) = self.numbers.get(id) {
            return n;
        }
        self.met.push(id);
        self.numbers.insert(id, self.met.len() - 1);
        self.met.len() - 1
    }

    /// Counted sheets as (slot, (judge number as met, total)); sheets of unknown events or
    /// contestants are left out.
    fn counted_sheets(
        &mut self,
        input: &'a ScoringInput,
        events: &IdMap<'a>,
        contestants: &IdMap<'a>,
    ) -> Vec<(usize, (usize, Fixed))> {
        let n_contestants = input.contestants.len();
        let mut sheets = Vec::with_capacity(input.sheets.len());
        let (mut event_memo, mut contestant_memo) = (Memo::new(events), Memo::new(contestants));
        let mut judge_cache = Cache::new();
        for sheet in input.sheets.iter().filter(|s| s.status.counts()) {
            let (Some(e), Some(c)) = (
                event_memo.get(&sheet.event),
                contestant_memo.get(&sheet.contestant),
            ) else {
                continue;
            };
            let id = sheet.judge.as_str();
            if let Some(n) = judge_cache.get(id, || Some(self.number(id))) {
                sheets.push((e * n_contestants + c, (n, sheet.total)));
            }
        }
        sheets
    }

    fn in_id_order(self) -> Ordinals<'a> {
        let mut ids = self.met.clone();
        ids.sort_unstable();
        let renumber: Vec<usize> = self
            .met
            .iter()
            .map(|id| ids.binary_search(id).unwrap_or(0))
            .collect();
        let mut numbers = self.numbers;
        for n in numbers.values_mut() {
            *n = renumber.get(*n).copied().unwrap_or(0);
        }
        Ordinals {
            numbers,
            of: vec![None; ids.len()],
            ids,
            renumber,
        }
    }
}

impl<'a> Ordinals<'a> {
    fn with_judges(mut self, input: &'a ScoringInput) -> Self {
        for judge in &input.judges {
            if let Some(slot) = self.numbers.get(&judge.id).and_then(|o| self.of.get_mut(o))
                && slot.is_none()
            {
                *slot = Some(judge);
            }
        }
        self
    }
}

/// A counting sort of the counted sheets by slot: `start[slot]..start[slot + 1]` indexes the
/// slot's (judge ordinal, total) pairs, with no allocation per entry.
fn group_by_slot(
    slots: usize,
    sheets: Vec<(usize, (usize, Fixed))>,
    renumber: &[usize],
) -> (Vec<usize>, Vec<(usize, Fixed)>) {
    let mut start = vec![0_usize; slots + 1];
    for &(slot, _) in &sheets {
        if let Some(next) = start.get_mut(slot + 1) {
            *next += 1;
        }
    }
    let mut running = 0;
    for count in &mut start {
        running += *count;
        *count = running;
    }
    let mut fill = start.clone();
    let mut scores = vec![(0, Fixed::ZERO); sheets.len()];
    for (slot, (n, total)) in sheets {
        if let Some(at) = fill.get_mut(slot) {
            if let Some(place) = scores.get_mut(*at) {
                *place = (renumber.get(n).copied().unwrap_or(0), total);
            }
            *at += 1;
        }
    }
    (start, scores)
}

/// Per event: the ordinals of its panel judges, sorted.
fn panels(n_events: usize, events: &IdMap<'_>, judges: &[Option<&Judge>]) -> Vec<Vec<usize>> {
    let mut panels: Vec<Vec<usize>> = vec![Vec::new(); n_events];
    for (o, judge) in judges.iter().enumerate() {
        for code in judge.iter().flat_map(|j| &j.events) {
            if let Some(panel) = events.get(code).and_then(|e| panels.get_mut(e)) {
                panel.push(o);
            }
        }
    }
    for panel in &mut panels {
        panel.sort_unstable();
        panel.dedup();
    }
    panels
}

/// Per slot whether the contestant must enter the event, and per event its entrants in id
/// order.
fn entries(
    input: &ScoringInput,
    events: &IdMap<'_>,
    contestants: &IdMap<'_>,
    by_id: &[usize],
) -> (Vec<bool>, Vec<Vec<usize>>) {
    let n_contestants = input.contestants.len();
    let mut entered = vec![false; input.setup.events.len() * n_contestants];
    let (mut event_memo, mut contestant_memo) = (Memo::new(events), Memo::new(contestants));
    for (event, contestant) in &input.entries {
        if let (Some(e), Some(c)) = (event_memo.get(event), contestant_memo.get(contestant))
            && let Some(flag) = entered.get_mut(e * n_contestants + c)
        {
            *flag = true;
        }
    }
    let entrants = (0..input.setup.events.len())
        .map(|e| {
            by_id
                .iter()
                .copied()
                .filter(|&c| entered.get(e * n_contestants + c) == Some(&true))
                .collect()
        })
        .collect();
    (entered, entrants)
}

/// Whole-event absences per (event × ordinals + ordinal), and single-contestant ones.
fn absences(
    input: &ScoringInput,
    events: &IdMap<'_>,
    contestants: &IdMap<'_>,
    judges: &Ordinals<'_>,
) -> (Vec<bool>, FastSet<(usize, usize, usize)>) {
    let n_judges = judges.ids.len();
    let mut whole = vec![false; input.setup.events.len() * n_judges];
    let mut one = FastSet::default();
    for a in &input.absences {
        let (Some(e), Some(o)) = (events.get(&a.event), judges.numbers.get(&a.judge)) else {
            continue;
        };
        match &a.contestant {
            None => {
                if let Some(flag) = whole.get_mut(e * n_judges + o) {
                    *flag = true;
                }
            }
            Some(id) => {
                if let Some(c) = contestants.get(id) {
                    one.insert((e, o, c));
                }
            }
        }
    }
    (whole, one)
}

/// The groups (组别 = 学段 × 学科) in the input's `group_order` (those not in it after, by
/// stage, then subject); and each contestant's group.
fn groups(input: &ScoringInput) -> (Vec<String>, Vec<usize>) {
    let place = |c: &Contestant| {
        let g = c.group();
        input
            .group_order
            .iter()
            .position(|o| *o == g)
            .unwrap_or(usize::MAX)
    };
    let mut keys: BTreeMap<(usize, Stage, &str), (usize, usize)> = BTreeMap::new();
    for (c, contestant) in input.contestants.iter().enumerate() {
        keys.entry((
            place(contestant),
            contestant.stage,
            contestant.subject.as_str(),
        ))
        .or_insert((c, 0));
    }
    let mut names = Vec::with_capacity(keys.len());
    for (g, (c, number)) in keys.values_mut().enumerate() {
        *number = g;
        names.push(
            input
                .contestants
                .get(*c)
                .map(Contestant::group)
                .unwrap_or_default(),
        );
    }
    let group_of = input
        .contestants
        .iter()
        .map(|c| {
            keys.get(&(place(c), c.stage, c.subject.as_str()))
                .map_or(0, |&(_, g)| g)
        })
        .collect();
    (names, group_of)
}

fn contestant_id(input: &ScoringInput, c: usize) -> &str {
    input.contestants.get(c).map_or("", |x| x.id.as_str())
}
