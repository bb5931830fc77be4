//! One event's table: every entrant's panel result, grouped by 组别 (学段 + 学科).
//!
//! Which sheets count for an entry: submitted or confirmed sheets, from any judge (a sheet
//! typed in by the organiser from paper counts even if its judge is not on the panel) — except
//! a judge who must recuse (回避), whose sheet is ignored. Who is still expected: the panel
//! minus recused and absent judges. A judge whose counted sheets for one entry disagree is
//! listed as missing until the conflict is resolved. An objective event has no panel: its one
//! score is the counted sheets' total if they all agree.

use std::collections::BTreeMap;

use crate::model::{Contestant, Event, EventKind, Fixed, Stage};

use super::index::Index;
use super::panel::{self, Panel};
use super::results::{Decider, EventEntry, EventResults, GroupTable};

/// What other tables need to know about an entry.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct EntryStatus {
    pub final_score: Option<Fixed>,
    pub provisional: bool,
}

impl EntryStatus {
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

/// Groups sorted by stage, then subject.
pub(crate) type GroupKey<'a> = (Stage, &'a str);

pub(crate) fn group_key(contestant: &Contestant) -> GroupKey<'_> {
    (contestant.stage, contestant.subject.as_str())
}

/// An event's table with panel results; ranks and awards are filled in later.
pub(crate) fn build(index: &Index<'_>, event: &Event) -> EventResults {
    let mut groups: BTreeMap<GroupKey<'_>, GroupTable<EventEntry>> = BTreeMap::new();
    for id in index.entrants(&event.code) {
        let Some(contestant) = index.contestant(id) else {
            continue;
        };
        let entry = build_entry(index, event, contestant);
        groups
            .entry(group_key(contestant))
            .or_insert_with(|| GroupTable {
                group: index.group(id).to_string(),
                entries: Vec::new(),
            })
            .entries
            .push(entry);
    }
    EventResults {
        code: event.code.clone(),
        name: event.name.clone(),
        decimals: event.decimals,
        full_marks: panel::event_full_marks(event),
        groups: groups.into_values().collect(),
    }
}

/// Who judged (or should have judged) one entry.
struct Attendance {
    scores: Vec<(String, Fixed)>,
    missing: Vec<String>,
    recused: Vec<String>,
    absent: Vec<String>,
    /// The counted scores cannot give a result yet (objective sheets disagree).
    conflict: bool,
}

fn build_entry(index: &Index<'_>, event: &Event, contestant: &Contestant) -> EventEntry {
    let attendance = if event.kind == EventKind::Objective {
        objective_attendance(index, event, contestant)
    } else {
        panel_attendance(index, event, contestant)
    };
    let Panel {
        scores,
        result,
        trim,
    } = if event.kind == EventKind::Objective {
        objective_panel(&attendance)
    } else {
        panel::aggregate(event, attendance.scores)
    };
    let penalty = index.penalty(&event.code, &contestant.id);
    let unrounded = result.map(|value| panel::after_penalty(value, penalty));
    let final_score = unrounded.map(|value| value.round_to(event.decimals));
    let provisional = !attendance.missing.is_empty() || attendance.conflict || result.is_none();
    EventEntry {
        contestant: contestant.id.clone(),
        name: contestant.name.clone(),
        school: contestant.school.clone(),
        group: index.group(&contestant.id).to_string(),
        scores,
        missing: attendance.missing,
        recused: attendance.recused,
        absent: attendance.absent,
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

fn panel_attendance(index: &Index<'_>, event: &Event, contestant: &Contestant) -> Attendance {
    let sheets = index.sheets(&event.code, &contestant.id);
    let mut recused: Vec<&str> = Vec::new();
    let mut counted: Vec<(&str, Fixed)> = Vec::with_capacity(sheets.len());
    for sheet in sheets {
        let judge = sheet.judge.as_str();
        if index.judge(judge).is_some_and(|j| j.must_recuse(contestant)) {
            recused.push(judge);
        } else {
            counted.push((judge, sheet.total));
        }
    }
    counted.sort_unstable();

    // One score per judge; a judge whose sheets disagree is missing until it is resolved.
    let mut scores = Vec::with_capacity(counted.len());
    let mut missing: Vec<&str> = Vec::new();
    for run in counted.chunk_by(|a, b| a.0 == b.0) {
        match (run.first(), run.last()) {
            (Some(first), Some(last)) if first.1 == last.1 => {
                scores.push((first.0.to_string(), first.1));
            }
            (Some(first), _) => missing.push(first.0),
            (None, _) => {}
        }
    }

    let mut absent = Vec::new();
    for judge in index.panel(&event.code) {
        let id = judge.id.as_str();
        if judge.must_recuse(contestant) {
            recused.push(id);
        } else if counted.binary_search_by(|c| c.0.cmp(id)).is_ok() {
            // Scored, or in conflict and already listed as missing.
        } else if index.is_absent(&event.code, id, &contestant.id) {
            absent.push(id.to_string());
        } else {
            missing.push(id);
        }
    }

    Attendance {
        scores,
        missing: sorted_strings(missing),
        recused: sorted_strings(recused),
        absent,
        conflict: false,
    }
}

fn sorted_strings(mut ids: Vec<&str>) -> Vec<String> {
    ids.sort_unstable();
    ids.dedup();
    ids.into_iter().map(str::to_string).collect()
}

fn objective_attendance(index: &Index<'_>, event: &Event, contestant: &Contestant) -> Attendance {
    let mut scores: Vec<(String, Fixed)> = index
        .sheets(&event.code, &contestant.id)
        .iter()
        .map(|sheet| (sheet.judge.clone(), sheet.total))
        .collect();
    scores.sort();
    let conflict = match scores.split_first() {
        Some((first, rest)) => rest.iter().any(|s| s.1 != first.1),
        None => false,
    };
    Attendance {
        scores,
        missing: Vec::new(),
        recused: Vec::new(),
        absent: Vec::new(),
        conflict,
    }
}

/// An objective event's one score: every counted sheet shown, the result only if they agree.
fn objective_panel(attendance: &Attendance) -> Panel {
    let scores: Vec<_> = attendance
        .scores
        .iter()
        .map(|(judge, score)| super::results::JudgeScore {
            judge: judge.clone(),
            score: *score,
            dropped: false,
        })
        .collect();
    let result = match attendance.scores.first() {
        Some((_, score)) if !attendance.conflict => Some((*score).into()),
        _ => None,
    };
    Panel {
        scores,
        result,
        trim: 0,
    }
}
