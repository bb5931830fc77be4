//! Tests of the whole engine through [`compute`], with a small builder for inputs.

mod awards;
mod diving;
mod oracle;
mod overall;
mod panels;
mod props;
mod ranking;
mod scale;

use crate::model::{
    Aggregate, Awards, Competition, CompetitionSetup, Contestant, Criterion, Event, EventKind,
    Fixed, Gender, Judge, Penalty, Ranking, Sheet, SheetStatus, Stage,
};

use super::{EventEntry, OverallEntry, Results, ScoringInput, compute};

pub(super) fn f(s: &str) -> Fixed {
    Fixed::parse(s).expect("valid decimal in a test")
}

/// A live event with one criterion of `full` points.
pub(super) fn event(code: &str, judges: u32, trim: u32, aggregate: Aggregate, full: &str) -> Event {
    Event {
        code: code.to_string(),
        name: format!("项目{code}"),
        kind: EventKind::Live,
        judges,
        trim,
        aggregate,
        decimals: 2,
        step: f("0.01"),
        weight: f("1"),
        criteria: vec![Criterion {
            name: "总体".to_string(),
            max: f(full),
        }],
        minutes: None,
        penalties: Vec::new(),
        blind: false,
    }
}

pub(super) fn contestant(id: &str, stage: Stage, subject: &str, school: &str) -> Contestant {
    Contestant {
        id: id.to_string(),
        name: format!("选手{id}"),
        gender: Gender::Female,
        stage,
        subject: subject.to_string(),
        school: school.to_string(),
        county: "离石区".to_string(),
        phone: String::new(),
    }
}

/// A judge from `school` on the panels of `events`.
pub(super) fn judge(id: &str, school: &str, events: &[&str]) -> Judge {
    Judge {
        id: id.to_string(),
        name: format!("评委{id}"),
        school: school.to_string(),
        county: String::new(),
        events: events.iter().map(|e| e.to_string()).collect(),
    }
}

pub(super) fn sheet(event: &str, contestant: &str, judge: &str, total: &str) -> Sheet {
    Sheet {
        event: event.to_string(),
        contestant: contestant.to_string(),
        judge: judge.to_string(),
        criteria: Vec::new(),
        total: f(total),
        status: SheetStatus::Submitted,
        entered_by: judge.to_string(),
        entered_at: "2025-05-01T09:00:00+08:00".to_string(),
    }
}

/// Builds a [`ScoringInput`] step by step.
pub(super) struct Fixture {
    pub input: ScoringInput,
}

impl Fixture {
    pub fn new(events: Vec<Event>) -> Self {
        Fixture {
            input: ScoringInput {
                setup: CompetitionSetup {
                    competition: Competition {
                        title: "测试比赛".to_string(),
                        decimals: 2,
                        ..Competition::default()
                    },
                    events,
                    awards: Awards::default(),
                    ranking: Ranking::default(),
                },
                contestants: Vec::new(),
                judges: Vec::new(),
                entries: Vec::new(),
                sheets: Vec::new(),
                penalties: Vec::new(),
                absences: Vec::new(),
                award_decisions: Vec::new(),
                group_order: Vec::new(),
            },
        }
    }

    /// Adds `n` judges `J1`…`Jn` (schools `评委单位1`…) on the panels of `events`.
    pub fn judges(&mut self, n: usize, events: &[&str]) -> &mut Self {
        for i in 1..=n {
            self.input.judges.push(Judge {
                id: format!("J{i}"),
                name: format!("评委{i}"),
                school: format!("评委单位{i}"),
                county: String::new(),
                events: events.iter().map(|e| e.to_string()).collect(),
            });
        }
        self
    }

    /// Adds a 小学语文 contestant from school `S-id` entered in `events`.
    pub fn contestant(&mut self, id: &str, events: &[&str]) -> &mut Self {
        let c = contestant(id, Stage::Primary, "语文", &format!("S-{id}"));
        self.add(c, events)
    }

    pub fn add(&mut self, c: Contestant, events: &[&str]) -> &mut Self {
        for e in events {
            self.input.entries.push((e.to_string(), c.id.clone()));
        }
        self.input.contestants.push(c);
        self
    }

    /// Submits one sheet per score, by `J1`, `J2`, … in order; `"-"` leaves that judge out.
    pub fn scores(&mut self, event: &str, contestant: &str, scores: &[&str]) -> &mut Self {
        for (i, score) in scores.iter().enumerate() {
            if *score != "-" {
                let judge = format!("J{}", i + 1);
                self.input
                    .sheets
                    .push(sheet(event, contestant, &judge, score));
            }
        }
        self
    }

    pub fn penalty(&mut self, event: &str, contestant: &str, points: &str) -> &mut Self {
        self.input.penalties.push(Penalty {
            event: event.to_string(),
            contestant: contestant.to_string(),
            points: f(points),
            reason: "超时".to_string(),
        });
        self
    }

    pub fn compute(&self) -> Results {
        compute(&self.input)
    }
}

pub(super) fn entry<'r>(results: &'r Results, event: &str, contestant: &str) -> &'r EventEntry {
    results
        .events
        .iter()
        .filter(|e| e.code == event)
        .flat_map(|e| &e.groups)
        .flat_map(|g| &g.entries)
        .find(|e| e.contestant == contestant)
        .unwrap_or_else(|| panic!("no entry for {contestant} in {event}"))
}

pub(super) fn overall<'r>(results: &'r Results, contestant: &str) -> &'r OverallEntry {
    results
        .overall
        .groups
        .iter()
        .flat_map(|g| &g.entries)
        .find(|e| e.contestant == contestant)
        .unwrap_or_else(|| panic!("no overall entry for {contestant}"))
}

/// The contestant ids of a group table's entries, in table order.
pub(super) fn order<E>(entries: &[E], id: impl Fn(&E) -> &str) -> Vec<String> {
    entries.iter().map(|e| id(e).to_string()).collect()
}
