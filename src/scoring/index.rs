//! Dense lookup tables over a [`ScoringInput`], built once, so that every entry is scored
//! without string hashing and whatever the order of the input lists.
//!
//! Events and contestants are numbered by their position in the input (the first of repeated
//! ids wins), judges by the order of their ids (*ordinals*, which also cover ids seen only on
//! sheets); an entry (event, contestant) is a *slot* `event × contestants + contestant` into
//! flat arrays of sheets, penalties and entry flags.

use std::collections::{HashMap, HashSet};
use std::hash::{BuildHasherDefault, Hasher};

use crate::model::{Contestant, Fixed, Judge};

use super::ScoringInput;

/// A fast, non-cryptographic hasher (FxHash-style with a final mix) for maps keyed by the
/// input's own ids: the data is the organiser's, so hash flooding is not a concern.
#[derive(Clone, Copy, Default)]
pub(crate) struct FastHasher(u64);

impl FastHasher {
    fn add(&mut self, word: u64) {
        self.0 = (self.0.rotate_left(5) ^ word).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
    }
}

impl Hasher for FastHasher {
    fn write(&mut self, bytes: &[u8]) {
        let word = |chunk: &[u8]| {
            chunk
                .iter()
                .rev()
                .fold(0_u64, |acc, &b| (acc << 8) | u64::from(b))
        };
        let mut chunks = bytes.chunks_exact(8);
        for chunk in &mut chunks {
            self.add(word(chunk));
        }
        self.add(word(chunks.remainder()) ^ ((bytes.len() as u64) << 56));
    }

    fn write_u8(&mut self, i: u8) {
        self.add(u64::from(i));
    }

    fn write_u32(&mut self, i: u32) {
        self.add(u64::from(i));
    }

    fn write_u64(&mut self, i: u64) {
        self.add(i);
    }

    fn write_usize(&mut self, i: usize) {
        self.add(i as u64);
    }

    /// A final avalanche (MurmurHash3's fmix64): without it the low bits, which pick the
    /// bucket, would depend on the first bytes of a key only.
    fn finish(&self) -> u64 {
        let mut x = self.0;
        x ^= x >> 33;
        x = x.wrapping_mul(0xff51_afd7_ed55_8ccd);
        x ^= x >> 33;
        x = x.wrapping_mul(0xc4ce_b9fe_1a85_ec53);
        x ^ (x >> 33)
    }
}

type FastMap<K, V> = HashMap<K, V, BuildHasherDefault<FastHasher>>;
type FastSet<K> = HashSet<K, BuildHasherDefault<FastHasher>>;

/// Numbers the distinct strings of one kind by first appearance.
fn number<'a>(ids: impl Iterator<Item = &'a str>) -> FastMap<&'a str, usize> {
    let mut map = FastMap::default();
    for (i, id) in ids.enumerate() {
        map.entry(id).or_insert(i);
    }
    map
}

/// Looks ids up, remembering the last one: sheets usually come in runs of one event and one
/// contestant, and comparing with the previous id is cheaper than hashing.
struct Memo<'m, 'a> {
    map: &'m FastMap<&'a str, usize>,
    last: Option<(&'a str, Option<usize>)>,
}

impl<'m, 'a> Memo<'m, 'a> {
    fn new(map: &'m FastMap<&'a str, usize>) -> Self {
        Memo { map, last: None }
    }

    fn get(&mut self, id: &'a str) -> Option<usize> {
        match self.last {
            Some((last, found)) if last == id => found,
            _ => {
                let found = self.map.get(id).copied();
                self.last = Some((id, found));
                found
            }
        }
    }
}

/// Lookups into one input, by position.
pub(crate) struct Index<'a> {
    pub input: &'a ScoringInput,
    events: FastMap<&'a str, usize>,
    /// Every judge id seen (judge list and sheets), sorted: a judge's *ordinal* is its place
    /// here, so ordinal order is judge-id order.
    judge_ids: Vec<&'a str>,
    /// Per ordinal: the judge with that id, if it is in the judge list (the first of repeats).
    judge_of: Vec<Option<&'a Judge>>,
    /// Positions of the contestants (first of each id), sorted by id.
    by_id: Vec<usize>,
    /// Per contestant position: 学段 + 学科, computed once.
    groups: Vec<String>,
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
        let events = number(input.setup.events.iter().map(|e| e.code.as_str()));
        let contestants = number(input.contestants.iter().map(|c| c.id.as_str()));
        let (n_events, n_contestants) = (input.setup.events.len(), input.contestants.len());
        let slots = n_events * n_contestants;

        // Judge ids are first numbered as met (the judge list, then ids seen only on
        // counted sheets), then renumbered in id order.
        let mut judges: FastMap<&str, usize> = FastMap::default();
        let mut met: Vec<&str> = Vec::new();
        for judge in &input.judges {
            judges.entry(judge.id.as_str()).or_insert_with(|| {
                met.push(judge.id.as_str());
                met.len() - 1
            });
        }
        // Counted sheets as (slot, (judge number as met, total)).
        let mut sheet_slots: Vec<(usize, (usize, Fixed))> = Vec::with_capacity(input.sheets.len());
        {
            let mut event_memo = Memo::new(&events);
            let mut contestant_memo = Memo::new(&contestants);
            let mut last_judge: Option<(&str, usize)> = None;
            for sheet in input.sheets.iter().filter(|s| s.status.counts()) {
                let (Some(e), Some(c)) = (
                    event_memo.get(&sheet.event),
                    contestant_memo.get(&sheet.contestant),
                ) else {
                    continue;
                };
                let id = sheet.judge.as_str();
                let o = match last_judge {
                    Some((last, o)) if last == id => o,
                    _ => *judges.entry(id).or_insert_with(|| {
                        met.push(id);
                        met.len() - 1
                    }),
                };
                last_judge = Some((id, o));
                sheet_slots.push((e * n_contestants + c, (o, sheet.total)));
            }
        }
        let mut judge_ids = met.clone();
        judge_ids.sort_unstable();
        // met number → ordinal
        let renumber: Vec<usize> = met
            .iter()
            .map(|id| judge_ids.binary_search(id).unwrap_or(0))
            .collect();
        for n in judges.values_mut() {
            *n = renumber.get(*n).copied().unwrap_or(0);
        }
        for (_, (o, _)) in &mut sheet_slots {
            *o = renumber.get(*o).copied().unwrap_or(0);
        }
        let n_judges = judge_ids.len();
        let mut judge_of: Vec<Option<&Judge>> = vec![None; n_judges];
        for judge in &input.judges {
            if let Some(slot) = judges.get(judge.id.as_str()).and_then(|&o| judge_of.get_mut(o))
                && slot.is_none()
            {
                *slot = Some(judge);
            }
        }

        let mut by_id: Vec<usize> = contestants.values().copied().collect();
        by_id.sort_unstable_by(|&a, &b| contestant_id(input, a).cmp(contestant_id(input, b)));
        let groups = input.contestants.iter().map(Contestant::group).collect();

        let mut panels: Vec<Vec<usize>> = vec![Vec::new(); n_events];
        for (o, judge) in judge_of.iter().enumerate() {
            for code in judge.iter().flat_map(|j| &j.events) {
                if let Some(panel) = events.get(code.as_str()).and_then(|&e| panels.get_mut(e)) {
                    panel.push(o);
                }
            }
        }
        for panel in &mut panels {
            panel.sort_unstable();
            panel.dedup();
        }

        let mut entered = vec![false; slots];
        {
            let (mut event_memo, mut contestant_memo) = (Memo::new(&events), Memo::new(&contestants));
            for (event, contestant) in &input.entries {
                if let (Some(e), Some(c)) = (event_memo.get(event), contestant_memo.get(contestant))
                    && let Some(flag) = entered.get_mut(e * n_contestants + c)
                {
                    *flag = true;
                }
            }
        }
        let entrants = (0..n_events)
            .map(|e| {
                by_id
                    .iter()
                    .copied()
                    .filter(|&c| entered.get(e * n_contestants + c) == Some(&true))
                    .collect()
            })
            .collect();

        // Counted sheets grouped by slot (a counting sort: no per-entry allocation).
        let mut sheet_start = vec![0_usize; slots + 1];
        for &(slot, _) in &sheet_slots {
            if let Some(next) = sheet_start.get_mut(slot + 1) {
                *next += 1;
            }
        }
        for i in 1..sheet_start.len() {
            let before = sheet_start.get(i - 1).copied().unwrap_or(0);
            if let Some(start) = sheet_start.get_mut(i) {
                *start += before;
            }
        }
        let mut fill = sheet_start.clone();
        let mut sheet_scores = vec![(0, Fixed::ZERO); sheet_slots.len()];
        for (slot, score) in sheet_slots {
            if let Some(at) = fill.get_mut(slot) {
                if let Some(place) = sheet_scores.get_mut(*at) {
                    *place = score;
                }
                *at += 1;
            }
        }

        let mut penalties = vec![Fixed::ZERO; slots];
        for p in &input.penalties {
            if let (Some(&e), Some(&c)) = (
                events.get(p.event.as_str()),
                contestants.get(p.contestant.as_str()),
            ) && let Some(total) = penalties.get_mut(e * n_contestants + c)
            {
                *total = *total + p.points;
            }
        }

        let mut absent_event = vec![false; n_events * n_judges];
        let mut absent_one = FastSet::default();
        for a in &input.absences {
            let (Some(&e), Some(&j)) = (events.get(a.event.as_str()), judges.get(a.judge.as_str()))
            else {
                continue;
            };
            match &a.contestant {
                None => {
                    if let Some(flag) = absent_event.get_mut(e * n_judges + j) {
                        *flag = true;
                    }
                }
                Some(id) => {
                    if let Some(&c) = contestants.get(id.as_str()) {
                        absent_one.insert((e, j, c));
                    }
                }
            }
        }

        Index {
            input,
            events,
            judge_ids,
            judge_of,
            by_id,
            groups,
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
        self.events.get(code).copied()
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

    pub(crate) fn group(&self, c: usize) -> &str {
        self.groups.get(c).map_or("", String::as_str)
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

fn contestant_id(input: &ScoringInput, c: usize) -> &str {
    input.contestants.get(c).map_or("", |x| x.id.as_str())
}
