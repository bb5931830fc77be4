//! Lookup tables over a [`ScoringInput`], built once so that every entry is scored in
//! constant time whatever the order of the input lists.

use std::collections::{HashMap, HashSet};
use std::hash::{BuildHasherDefault, Hasher};

use crate::model::{Contestant, Fixed, Judge, Sheet};

use super::ScoringInput;

/// A fast, non-cryptographic hasher (FxHash-style) for maps keyed by the input's own ids:
/// the data is the organiser's, so hash flooding is not a concern, and SipHash would be most
/// of the time [`compute`](super::compute) takes on a full-size competition.
#[derive(Clone, Copy, Default)]
pub(crate) struct FastHasher(u64);

impl FastHasher {
    fn add(&mut self, word: u64) {
        self.0 = (self.0.rotate_left(5) ^ word).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
    }
}

impl Hasher for FastHasher {
    fn write(&mut self, bytes: &[u8]) {
        let mut chunks = bytes.chunks_exact(8);
        for chunk in &mut chunks {
            let mut word = [0_u8; 8];
            word.copy_from_slice(chunk);
            self.add(u64::from_le_bytes(word));
        }
        let mut tail = [0_u8; 8];
        for (slot, byte) in tail.iter_mut().zip(chunks.remainder()) {
            *slot = *byte;
        }
        self.add(u64::from_le_bytes(tail) ^ (bytes.len() as u64) << 56);
    }

    fn write_u8(&mut self, i: u8) {
        self.add(u64::from(i));
    }

    fn write_u64(&mut self, i: u64) {
        self.add(i);
    }

    fn write_usize(&mut self, i: usize) {
        self.add(i as u64);
    }

    fn finish(&self) -> u64 {
        self.0
    }
}

/// A `HashMap` with [`FastHasher`].
pub(crate) type FastMap<K, V> = HashMap<K, V, BuildHasherDefault<FastHasher>>;
/// A `HashSet` with [`FastHasher`].
pub(crate) type FastSet<K> = HashSet<K, BuildHasherDefault<FastHasher>>;

/// Borrowed lookups into one input.
pub(crate) struct Index<'a> {
    /// Contestant id → the contestant and their group name (学段 + 学科).
    contestants: FastMap<&'a str, (&'a Contestant, String)>,
    judges: FastMap<&'a str, &'a Judge>,
    /// Event code → its panel, sorted by judge id.
    panels: FastMap<&'a str, Vec<&'a Judge>>,
    /// Event code → ids of the contestants who must enter it, sorted, no repeats.
    entrants: FastMap<&'a str, Vec<&'a str>>,
    /// Contestant id → codes of the events they must enter, no repeats.
    entered: FastMap<&'a str, FastSet<&'a str>>,
    /// (event, contestant) → counted sheets.
    sheets: PairMap<'a, Vec<&'a Sheet>>,
    /// (event, contestant) → total deduction.
    penalties: PairMap<'a, Fixed>,
    /// (event, judge) → absent for the whole event, or for these contestants.
    absences: PairMap<'a, Absent<'a>>,
}

/// A map keyed by two borrowed strings that can be queried with strings of any lifetime.
pub(crate) struct PairMap<'a, V>(FastMap<&'a str, FastMap<&'a str, V>>);

impl<'a, V> PairMap<'a, V> {
    pub(crate) fn new() -> Self {
        PairMap(FastMap::default())
    }

    pub(crate) fn get(&self, a: &str, b: &str) -> Option<&V> {
        self.0.get(a)?.get(b)
    }

    pub(crate) fn get_or_insert_default(&mut self, a: &'a str, b: &'a str) -> &mut V
    where
        V: Default,
    {
        self.0.entry(a).or_default().entry(b).or_default()
    }

    pub(crate) fn insert(&mut self, a: &'a str, b: &'a str, value: V) {
        self.0.entry(a).or_default().insert(b, value);
    }
}

/// One judge's recorded absences in one event.
#[derive(Default)]
struct Absent<'a> {
    whole_event: bool,
    contestants: FastSet<&'a str>,
}

impl<'a> Index<'a> {
    pub(crate) fn new(input: &'a ScoringInput) -> Self {
        let contestants = input
            .contestants
            .iter()
            .map(|c| (c.id.as_str(), (c, c.group())))
            .collect();
        let judges = input.judges.iter().map(|j| (j.id.as_str(), j)).collect();

        let mut panels: FastMap<&str, Vec<&Judge>> = FastMap::default();
        for judge in &input.judges {
            let codes: FastSet<&str> = judge.events.iter().map(String::as_str).collect();
            for code in codes {
                panels.entry(code).or_default().push(judge);
            }
        }
        for panel in panels.values_mut() {
            panel.sort_by(|a, b| a.id.cmp(&b.id));
            panel.dedup_by(|a, b| a.id == b.id);
        }

        let mut entrants: FastMap<&str, Vec<&str>> = FastMap::default();
        let mut entered: FastMap<&str, FastSet<&str>> = FastMap::default();
        for (event, contestant) in &input.entries {
            entrants.entry(event).or_default().push(contestant);
            entered.entry(contestant).or_default().insert(event);
        }
        for ids in entrants.values_mut() {
            ids.sort_unstable();
            ids.dedup();
        }

        let mut sheets: PairMap<Vec<&Sheet>> = PairMap::new();
        for sheet in input.sheets.iter().filter(|s| s.status.counts()) {
            sheets
                .get_or_insert_default(&sheet.event, &sheet.contestant)
                .push(sheet);
        }

        let mut penalties: PairMap<Fixed> = PairMap::new();
        for p in &input.penalties {
            let total = penalties.get_or_insert_default(&p.event, &p.contestant);
            *total = *total + p.points;
        }

        let mut absences: PairMap<Absent> = PairMap::new();
        for a in &input.absences {
            let absent = absences.get_or_insert_default(&a.event, &a.judge);
            match &a.contestant {
                None => absent.whole_event = true,
                Some(id) => {
                    absent.contestants.insert(id);
                }
            }
        }

        Index {
            contestants,
            judges,
            panels,
            entrants,
            entered,
            sheets,
            penalties,
            absences,
        }
    }

    /// The input's own copy of a contestant id (so maps can borrow from the input).
    pub(crate) fn contestant_key(&self, id: &str) -> Option<&'a str> {
        self.contestants.get_key_value(id).map(|(key, _)| *key)
    }

    pub(crate) fn contestant(&self, id: &str) -> Option<&'a Contestant> {
        self.contestants.get(id).map(|(c, _)| *c)
    }

    /// A contestant's group name (学段 + 学科), computed once.
    pub(crate) fn group(&self, id: &str) -> &str {
        self.contestants.get(id).map_or("", |(_, group)| group)
    }

    pub(crate) fn judge(&self, id: &str) -> Option<&'a Judge> {
        self.judges.get(id).copied()
    }

    /// The judges assigned to an event, by id.
    pub(crate) fn panel(&self, event: &str) -> &[&'a Judge] {
        self.panels.get(event).map_or(&[], Vec::as_slice)
    }

    /// Ids of the contestants who must enter an event, sorted.
    pub(crate) fn entrants(&self, event: &str) -> &[&'a str] {
        self.entrants.get(event).map_or(&[], Vec::as_slice)
    }

    /// Whether a contestant must enter an event.
    pub(crate) fn has_entered(&self, contestant: &str, event: &str) -> bool {
        self.entered
            .get(contestant)
            .is_some_and(|events| events.contains(event))
    }

    /// Counted (submitted or confirmed) sheets for one entry, in input order.
    pub(crate) fn sheets(&self, event: &str, contestant: &str) -> &[&'a Sheet] {
        self.sheets
            .get(event, contestant)
            .map_or(&[], Vec::as_slice)
    }

    pub(crate) fn penalty(&self, event: &str, contestant: &str) -> Fixed {
        self.penalties
            .get(event, contestant)
            .copied()
            .unwrap_or(Fixed::ZERO)
    }

    /// Whether a judge is recorded absent for a whole event or for this contestant.
    pub(crate) fn is_absent(&self, event: &str, judge: &str, contestant: &str) -> bool {
        self.absences
            .get(event, judge)
            .is_some_and(|a| a.whole_event || a.contestants.contains(contestant))
    }
}
