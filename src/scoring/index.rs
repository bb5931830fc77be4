//! Lookup tables over a [`ScoringInput`], built once so that every entry is scored in
//! constant time whatever the order of the input lists.

use std::collections::{HashMap, HashSet};

use crate::model::{Contestant, Fixed, Judge, Sheet};

use super::ScoringInput;

/// Borrowed lookups into one input.
pub(crate) struct Index<'a> {
    contestants: HashMap<&'a str, &'a Contestant>,
    judges: HashMap<&'a str, &'a Judge>,
    /// Event code → its panel, sorted by judge id.
    panels: HashMap<&'a str, Vec<&'a Judge>>,
    /// Event code → ids of the contestants who must enter it, sorted, no repeats.
    entrants: HashMap<&'a str, Vec<&'a str>>,
    /// Contestant id → codes of the events they must enter, no repeats.
    entered: HashMap<&'a str, HashSet<&'a str>>,
    /// (event, contestant) → counted sheets.
    sheets: PairMap<'a, Vec<&'a Sheet>>,
    /// (event, contestant) → total deduction.
    penalties: PairMap<'a, Fixed>,
    /// (event, judge) → absent for the whole event, or for these contestants.
    absences: PairMap<'a, Absent<'a>>,
}

/// A map keyed by two borrowed strings that can be queried with strings of any lifetime.
pub(crate) struct PairMap<'a, V>(HashMap<&'a str, HashMap<&'a str, V>>);

impl<'a, V> PairMap<'a, V> {
    pub(crate) fn new() -> Self {
        PairMap(HashMap::new())
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
    contestants: HashSet<&'a str>,
}

impl<'a> Index<'a> {
    pub(crate) fn new(input: &'a ScoringInput) -> Self {
        let contestants = input
            .contestants
            .iter()
            .map(|c| (c.id.as_str(), c))
            .collect();
        let judges = input.judges.iter().map(|j| (j.id.as_str(), j)).collect();

        let mut panels: HashMap<&str, Vec<&Judge>> = HashMap::new();
        for judge in &input.judges {
            let codes: HashSet<&str> = judge.events.iter().map(String::as_str).collect();
            for code in codes {
                panels.entry(code).or_default().push(judge);
            }
        }
        for panel in panels.values_mut() {
            panel.sort_by(|a, b| a.id.cmp(&b.id));
            panel.dedup_by(|a, b| a.id == b.id);
        }

        let mut entrants: HashMap<&str, Vec<&str>> = HashMap::new();
        let mut entered: HashMap<&str, HashSet<&str>> = HashMap::new();
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
        self.contestants.get(id).copied()
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
