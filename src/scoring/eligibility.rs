//! Who may score whom, which sheets count, who is still expected, and whether an entry is
//! final — and why not. The one home of these rules (SPEC §3, README "Scoring rules"): the
//! engine, the score import, the session's permission check, the scoring queue and the
//! progress matrix all ask here; none derives them again.
//!
//! - A **panel event** (`live`, `artifact`): the judges assigned to the event's panel score it,
//!   except a judge from the contestant's 工作单位, who must recuse (回避). Sheets from judges
//!   not on the panel, and a recused judge's sheet, do not count. The entry is final when every
//!   panel judge who neither recuses nor is recorded absent has a counted sheet, and a judge's
//!   own counted sheets agree.
//! - An **objective event** (a written test, 业务能力测试): the score comes from the paper, so
//!   there is **no recusal**. Its `judges` is the number of **seats** — how many entries the
//!   score needs; the judges on its panel are the recorders allowed to enter it (there may be
//!   more of them than seats). The entry is final when it has at least `seats` entries from
//!   panel judges and they all agree (with two or more seats this is double entry). Panel judges
//!   who entered nothing are not "missing" once the seats are filled.
//!
//! Judges are any ordered key (`J`): the engine passes dense ordinals, other callers ids.

use crate::model::{Contestant, Event, EventKind, Fixed, Judge};

use super::results::Pending;

/// Why a judge may not enter a sheet for a contestant in an event.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Refusal {
    /// The judge is not on the event's panel (不在评审组).
    NotOnPanel,
    /// The judge and the contestant share a 工作单位 (回避).
    Recused,
}

/// Whether `judge` must stay out of `contestant`'s entry in `event` (回避): same school, in a
/// panel event. An objective event has no recusal.
pub fn recuses(event: &Event, judge: &Judge, contestant: &Contestant) -> bool {
    event.kind != EventKind::Objective && judge.must_recuse(contestant)
}

/// Whether `judge` sits on `event`'s panel (for an objective event: may enter its scores).
pub fn on_panel(event: &Event, judge: &Judge) -> bool {
    judge.events.contains(&event.code)
}

/// Whether `judge` may enter a sheet for `contestant` in `event`, and why not.
pub fn may_score(event: &Event, judge: &Judge, contestant: &Contestant) -> Result<(), Refusal> {
    if !on_panel(event, judge) {
        return Err(Refusal::NotOnPanel);
    }
    if recuses(event, judge, contestant) {
        return Err(Refusal::Recused);
    }
    Ok(())
}

/// How many entries an objective event's score needs (its seats): the event's `judges`, at
/// least one.
pub fn seats(event: &Event) -> usize {
    (event.judges as usize).max(1)
}

/// One entry's judges sorted by what their sheets mean for it. Reused from one entry to the
/// next ([`assess`] clears it).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Attendance<J> {
    /// Sheets that count, in judge order: one per judge in a panel event, every entry in an
    /// objective event.
    pub counted: Vec<(J, Fixed)>,
    /// Panel judges who must not score this contestant (their sheets are ignored).
    pub recused: Vec<J>,
    /// Panel judges recorded absent with no sheet.
    pub absent: Vec<J>,
    /// Panel judges still expected to submit (panel events only).
    pub missing: Vec<J>,
    /// Panel judges whose own counted sheets for this entry disagree.
    pub disagreeing: Vec<J>,
    /// Judges not on the panel whose sheets are ignored.
    pub off_panel: Vec<J>,
    /// The event's kind and, for an objective event, its seats.
    kind: EventKind,
    seats: usize,
}

impl<J> Default for Attendance<J> {
    fn default() -> Self {
        Attendance {
            counted: Vec::new(),
            recused: Vec::new(),
            absent: Vec::new(),
            missing: Vec::new(),
            disagreeing: Vec::new(),
            off_panel: Vec::new(),
            kind: EventKind::Live,
            seats: 1,
        }
    }
}

impl<J: Copy + Ord> Attendance<J> {
    fn clear(&mut self) {
        self.counted.clear();
        self.recused.clear();
        self.absent.clear();
        self.missing.clear();
        self.disagreeing.clear();
        self.off_panel.clear();
    }

    /// An objective event's entries disagree with each other.
    pub fn entries_disagree(&self) -> bool {
        self.kind == EventKind::Objective
            && self
                .counted
                .split_first()
                .is_some_and(|(first, rest)| rest.iter().any(|s| s.1 != first.1))
    }

    /// Whether the entry is final: nothing expected is missing and nothing disagrees.
    pub fn is_final(&self) -> bool {
        match self.kind {
            EventKind::Objective => self.counted.len() >= self.seats && !self.entries_disagree(),
            _ => !self.counted.is_empty() && self.missing.is_empty() && self.disagreeing.is_empty(),
        }
    }

    /// Why the entry is not final (empty when it is), naming judges with `name`.
    pub fn pending(&self, name: impl Fn(J) -> String) -> Vec<Pending> {
        let mut why = Vec::new();
        match self.kind {
            EventKind::Objective => {
                if self.entries_disagree() {
                    why.push(Pending::EntriesDisagree(
                        self.counted.iter().map(|s| s.1).collect(),
                    ));
                } else if self.counted.len() < self.seats {
                    why.push(Pending::SeatsUnfilled {
                        entered: self.counted.len(),
                        seats: self.seats,
                    });
                }
            }
            _ => {
                why.extend(self.missing.iter().map(|&j| Pending::NotSubmitted(name(j))));
                why.extend(
                    self.disagreeing
                        .iter()
                        .map(|&j| Pending::SheetsDisagree(name(j))),
                );
                if why.is_empty() && self.counted.is_empty() {
                    why.push(Pending::NoScore);
                }
            }
        }
        why
    }
}

/// Sorts one entry's judges into `out`.
///
/// - `panel`: the event's panel, sorted, without repeats;
/// - `sheets`: the entry's counted-status sheets (submitted or confirmed) as (judge, total),
///   sorted by judge;
/// - `recuses(j)`: panel judge `j` shares the contestant's school (asked only in panel events);
/// - `absent(j)`: panel judge `j` is recorded absent for this contestant or the whole event.
pub fn assess<J: Copy + Ord>(
    event: &Event,
    panel: &[J],
    sheets: &[(J, Fixed)],
    recuses: impl Fn(J) -> bool,
    absent: impl Fn(J) -> bool,
    out: &mut Attendance<J>,
) {
    out.clear();
    out.kind = event.kind;
    out.seats = seats(event);
    let on_panel = |j: J| panel.binary_search(&j).is_ok();
    if event.kind == EventKind::Objective {
        for &(j, total) in sheets {
            if on_panel(j) {
                out.counted.push((j, total));
            } else if out.off_panel.last() != Some(&j) {
                out.off_panel.push(j);
            }
        }
        return;
    }

    let mut panel_iter = panel.iter().copied().peekable();
    let mut runs = sheets.chunk_by(|a, b| a.0 == b.0).peekable();
    loop {
        let next_panel = panel_iter.peek().copied();
        let next_sheet = runs.peek().and_then(|run| run.first()).map(|s| s.0);
        let judge = match (next_panel, next_sheet) {
            (Some(p), Some(s)) => p.min(s),
            (Some(p), None) => p,
            (None, Some(s)) => s,
            (None, None) => break,
        };
        let seated = next_panel == Some(judge);
        if seated {
            panel_iter.next();
        }
        let run: &[(J, Fixed)] = if next_sheet == Some(judge) {
            runs.next().unwrap_or(&[])
        } else {
            &[]
        };
        if !seated {
            out.off_panel.push(judge);
            continue;
        }
        if recuses(judge) {
            out.recused.push(judge);
            continue;
        }
        match run.first() {
            Some(first) if run.iter().all(|s| s.1 == first.1) => out.counted.push(*first),
            Some(_) => out.disagreeing.push(judge),
            None if absent(judge) => out.absent.push(judge),
            None => out.missing.push(judge),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Aggregate, Criterion};

    fn event(kind: EventKind, judges: u32) -> Event {
        Event {
            code: "E1".into(),
            name: "项目".into(),
            kind,
            judges,
            trim: 1,
            aggregate: Aggregate::Mean,
            decimals: 2,
            step: Fixed::from_int(1),
            weight: Fixed::from_int(1),
            criteria: vec![Criterion {
                name: "总分".into(),
                max: Fixed::from_int(100),
            }],
            minutes: None,
            penalties: Vec::new(),
            blind: false,
        }
    }

    fn f(n: i64) -> Fixed {
        Fixed::from_int(n)
    }

    fn run(
        e: &Event,
        panel: &[u32],
        sheets: &[(u32, Fixed)],
        recused: &[u32],
        absent: &[u32],
    ) -> Attendance<u32> {
        let mut out = Attendance::default();
        assess(
            e,
            panel,
            sheets,
            |j| recused.contains(&j),
            |j| absent.contains(&j),
            &mut out,
        );
        out
    }

    #[test]
    fn a_panel_event_waits_for_every_expected_judge() {
        let e = event(EventKind::Live, 5);
        let a = run(&e, &[1, 2, 3, 4, 5], &[(1, f(80)), (2, f(81))], &[3], &[4]);
        assert_eq!(a.counted, vec![(1, f(80)), (2, f(81))]);
        assert_eq!(a.recused, vec![3]);
        assert_eq!(a.absent, vec![4]);
        assert_eq!(a.missing, vec![5]);
        assert!(!a.is_final());
        assert_eq!(
            a.pending(|j| format!("PW{j}")),
            vec![Pending::NotSubmitted("PW5".into())]
        );
        let a = run(
            &e,
            &[1, 2, 3, 4, 5],
            &[(1, f(80)), (2, f(81)), (5, f(70))],
            &[3],
            &[4],
        );
        assert!(a.is_final());
        assert!(a.pending(|j| j.to_string()).is_empty());
    }

    #[test]
    fn off_panel_and_recused_sheets_do_not_count() {
        let e = event(EventKind::Artifact, 3);
        let a = run(
            &e,
            &[2, 4],
            &[(1, f(90)), (2, f(80)), (4, f(70))],
            &[4],
            &[],
        );
        assert_eq!(a.counted, vec![(2, f(80))]);
        assert_eq!(a.off_panel, vec![1]);
        assert_eq!(a.recused, vec![4]);
        assert!(a.is_final());
    }

    #[test]
    fn a_judges_own_sheets_that_disagree_keep_it_provisional() {
        let e = event(EventKind::Live, 3);
        let a = run(&e, &[1, 2], &[(1, f(80)), (1, f(81)), (2, f(70))], &[], &[]);
        assert_eq!(a.disagreeing, vec![1]);
        assert!(!a.is_final());
        assert_eq!(
            a.pending(|j| j.to_string()),
            vec![Pending::SheetsDisagree("1".into())]
        );
    }

    #[test]
    fn nobody_to_score_is_no_score() {
        let e = event(EventKind::Live, 3);
        let a = run(&e, &[1], &[], &[1], &[]);
        assert!(!a.is_final());
        assert_eq!(a.pending(|j| j.to_string()), vec![Pending::NoScore]);
    }

    #[test]
    fn objective_events_have_seats_and_no_recusal() {
        // One seat, seven recorders: the single entry counts; the others are not missing,
        // and a recorder from the contestant's school is not recused.
        let e = event(EventKind::Objective, 1);
        let panel = [1, 2, 3, 4, 5, 6, 7];
        let a = run(&e, &panel, &[(3, f(88))], &[3], &[]);
        assert_eq!(a.counted, vec![(3, f(88))]);
        assert!(a.recused.is_empty() && a.missing.is_empty());
        assert!(a.is_final());

        // Two seats: one entry keeps it provisional, two that agree make it final, two that
        // disagree are listed.
        let e = event(EventKind::Objective, 2);
        let a = run(&e, &panel, &[(3, f(88))], &[], &[]);
        assert!(!a.is_final());
        assert_eq!(
            a.pending(|j| j.to_string()),
            vec![Pending::SeatsUnfilled {
                entered: 1,
                seats: 2
            }]
        );
        let a = run(&e, &panel, &[(3, f(88)), (5, f(88))], &[], &[]);
        assert!(a.is_final());
        let a = run(&e, &panel, &[(3, f(88)), (5, f(86))], &[], &[]);
        assert!(!a.is_final());
        assert_eq!(
            a.pending(|j| j.to_string()),
            vec![Pending::EntriesDisagree(vec![f(88), f(86)])]
        );
    }

    #[test]
    fn an_objective_entry_from_off_the_panel_does_not_count() {
        let e = event(EventKind::Objective, 1);
        let a = run(&e, &[1, 2], &[(9, f(88))], &[], &[]);
        assert!(a.counted.is_empty());
        assert_eq!(a.off_panel, vec![9]);
        assert!(!a.is_final());
    }
}
