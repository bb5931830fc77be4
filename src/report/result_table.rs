//! One result-table model for every output of an event's results: the columns (with the panel
//! label "去掉最高最低后平均分" only when something was dropped), each judge's cell (score, dropped
//! mark, or why there is none: 回避 / 缺席 / 未交), the penalty with its sign, and the note (待定
//! with its reason, 并列跨档). Built once here; the command line, the PDF sheets, the XLSX/CSV
//! export and the window render it, each choosing the columns it shows.

use crate::explain;
use crate::i18n::Lang;
use crate::model::{Aggregate, Event, Fixed};
use crate::scoring::{EventEntry, EventResults, OverallEntry};

/// What a column holds.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Kind {
    /// 序号: the row's position.
    Seq,
    Group,
    Rank,
    Id,
    Name,
    School,
    /// One panel judge's score (the judge's id).
    Judge(String),
    /// The panel result (mean or sum of the kept scores).
    Panel,
    Penalty,
    Final,
    Award,
    Note,
    /// An event's score in the overall table (the event's code).
    EventScore(String),
    /// The overall total (综合成绩).
    Total,
}

/// A column: what it holds and its title.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Column {
    pub kind: Kind,
    pub title: String,
}

/// How a cell is shown.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mark {
    Plain,
    /// A score dropped by trimming (struck through, or bracketed in plain text).
    Dropped,
    /// No score, with the reason in the text (回避, 缺席, 未交).
    Muted,
    /// The final score.
    Strong,
}

/// One cell: its text, the exact number behind it (for spreadsheets), how it is shown.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Cell {
    pub text: String,
    pub number: Option<(Fixed, u32)>,
    pub mark: Mark,
}

impl Cell {
    fn text(text: impl Into<String>) -> Self {
        Cell {
            text: text.into(),
            number: None,
            mark: Mark::Plain,
        }
    }

    fn number(value: Fixed, decimals: u32) -> Self {
        Cell {
            text: value.format(decimals),
            number: Some((value, decimals)),
            mark: Mark::Plain,
        }
    }

    fn empty() -> Self {
        Cell::text("")
    }

    /// The text as plain text shows it: a dropped score in brackets.
    pub fn plain(&self) -> String {
        match self.mark {
            Mark::Dropped => format!("({})", self.text),
            _ => self.text.clone(),
        }
    }
}

/// One contestant's row.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Row {
    pub contestant: String,
    /// The entry's result is not final yet (待定): pages that hold it are marked 未定稿.
    pub provisional: bool,
    /// One per column, in the table's column order.
    pub cells: Vec<Cell>,
}

/// An event's table (one group, or several one after another).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EventTable {
    pub columns: Vec<Column>,
    pub rows: Vec<Row>,
}

impl EventTable {
    /// The columns of these kinds, in this order (judge columns: `Kind::Judge(String::new())`
    /// stands for all of them).
    pub fn select(&self, kinds: &[Kind]) -> EventTable {
        let mut picks: Vec<usize> = Vec::new();
        for k in kinds {
            match k {
                Kind::Judge(id) if id.is_empty() => picks.extend(
                    self.columns
                        .iter()
                        .enumerate()
                        .filter(|(_, c)| matches!(c.kind, Kind::Judge(_)))
                        .map(|(i, _)| i),
                ),
                k => picks.extend(self.columns.iter().position(|c| &c.kind == k)),
            }
        }
        EventTable {
            columns: picks
                .iter()
                .filter_map(|&i| self.columns.get(i).cloned())
                .collect(),
            rows: self
                .rows
                .iter()
                .map(|r| Row {
                    contestant: r.contestant.clone(),
                    provisional: r.provisional,
                    cells: picks
                        .iter()
                        .filter_map(|&i| r.cells.get(i).cloned())
                        .collect(),
                })
                .collect(),
        }
    }
}

/// The panel result's column title: "去掉最高最低后平均分" only when scores were dropped.
pub fn panel_label(event: &Event, dropped: bool) -> &'static str {
    match (event.aggregate, dropped) {
        (Aggregate::Sum, true) => "去掉最高最低后总分",
        (Aggregate::Sum, false) => "总分",
        (Aggregate::Mean, true) => "去掉最高最低后平均分",
        (Aggregate::Mean, false) => "平均分",
    }
}

/// The judge columns of an event: its panel, plus anyone else with a score in it, by id.
pub fn judge_ids(panel: &[String], er: &EventResults) -> Vec<String> {
    let mut ids: Vec<String> = panel.to_vec();
    for e in er.groups.iter().flat_map(|g| g.entries.iter()) {
        for s in &e.scores {
            if !ids.contains(&s.judge) {
                ids.push(s.judge.clone());
            }
        }
    }
    ids.sort();
    ids.dedup();
    ids
}

/// What one judge's cell shows for an entry.
pub fn judge_cell(e: &EventEntry, judge: &str, decimals: u32) -> Cell {
    if let Some(s) = e.scores.iter().find(|s| s.judge == judge) {
        let mut c = Cell::number(s.score, decimals);
        if s.dropped {
            c.mark = Mark::Dropped;
        }
        c
    } else {
        let why = if e.recused.iter().any(|r| r == judge) {
            "回避"
        } else if e.absent.iter().any(|r| r == judge) {
            "缺席"
        } else if e.missing.iter().any(|r| r == judge) {
            "未交"
        } else {
            ""
        };
        Cell {
            text: why.into(),
            number: None,
            mark: if why.is_empty() {
                Mark::Plain
            } else {
                Mark::Muted
            },
        }
    }
}

/// The mark of an award the organiser decided (人工决定等次).
fn decided_word(lang: Lang) -> &'static str {
    if lang == Lang::Zh {
        "等次人工决定"
    } else {
        "award decided by the organiser"
    }
}

/// The note of an entry: 待定 with its reason, 并列跨档, 等次人工决定.
pub fn note(e: &EventEntry, lang: Lang) -> String {
    let mut n = Vec::new();
    if e.provisional {
        let why = explain::pending_text(&e.pending, lang);
        let word = if lang == Lang::Zh {
            "待定"
        } else {
            "provisional"
        };
        n.push(if why.is_empty() {
            word.to_string()
        } else if lang == Lang::Zh {
            format!("{word}：{why}")
        } else {
            format!("{word}: {why}")
        });
    }
    if e.tie_flag {
        n.push(
            if lang == Lang::Zh {
                "并列跨档"
            } else {
                "tie across a tier"
            }
            .to_string(),
        );
    }
    if e.award_decision.is_some() {
        n.push(decided_word(lang).to_string());
    }
    n.join(" ")
}

/// The table of `entries` (in the order given) of event `event` with results `er`.
pub fn event_table(
    event: &Event,
    er: &EventResults,
    judges: &[String],
    entries: &[&EventEntry],
    lang: Lang,
) -> EventTable {
    let d = er.decimals;
    let dropped = entries.iter().any(|e| e.scores.iter().any(|s| s.dropped));
    let mut columns = vec![
        Column {
            kind: Kind::Seq,
            title: "序号".into(),
        },
        Column {
            kind: Kind::Group,
            title: "组别".into(),
        },
        Column {
            kind: Kind::Rank,
            title: "名次".into(),
        },
        Column {
            kind: Kind::Id,
            title: "编号".into(),
        },
        Column {
            kind: Kind::Name,
            title: "姓名".into(),
        },
        Column {
            kind: Kind::School,
            title: "单位".into(),
        },
    ];
    columns.extend(judges.iter().map(|j| Column {
        kind: Kind::Judge(j.clone()),
        title: j.clone(),
    }));
    columns.extend([
        Column {
            kind: Kind::Panel,
            title: panel_label(event, dropped).into(),
        },
        Column {
            kind: Kind::Penalty,
            title: "扣分".into(),
        },
        Column {
            kind: Kind::Final,
            title: "最后得分".into(),
        },
        Column {
            kind: Kind::Award,
            title: "等次".into(),
        },
        Column {
            kind: Kind::Note,
            title: "备注".into(),
        },
    ]);
    let rows = entries
        .iter()
        .enumerate()
        .map(|(i, e)| {
            let mut cells = vec![
                Cell::text((i + 1).to_string()),
                Cell::text(e.group.clone()),
                e.rank.map_or_else(Cell::empty, |r| {
                    Cell::number(Fixed::from_int(i64::from(r)), 0)
                }),
                Cell::text(e.contestant.clone()),
                Cell::text(e.name.clone()),
                Cell::text(e.school.clone()),
            ];
            cells.extend(judges.iter().map(|j| judge_cell(e, j, d)));
            cells.push(
                e.panel
                    .map_or_else(Cell::empty, |p| Cell::number(p.round_to(d), d)),
            );
            cells.push(if e.penalty.is_zero() {
                Cell::empty()
            } else {
                Cell::number(Fixed::ZERO - e.penalty, d)
            });
            cells.push(e.final_score.map_or_else(Cell::empty, |f| Cell {
                mark: Mark::Strong,
                ..Cell::number(f, d)
            }));
            cells.push(Cell::text(e.award.clone().unwrap_or_default()));
            cells.push(Cell::text(note(e, lang)));
            Row {
                contestant: e.contestant.clone(),
                provisional: e.provisional,
                cells,
            }
        })
        .collect();
    EventTable { columns, rows }
}

/// The note of an overall entry: 待定, 并列跨档, and why it has no total.
pub fn overall_note(e: &OverallEntry, lang: Lang) -> String {
    let zh = lang == Lang::Zh;
    let mut n = Vec::new();
    if e.provisional {
        n.push(if zh { "待定" } else { "provisional" }.to_string());
    }
    if e.tie_flag {
        n.push(
            if zh {
                "并列跨档"
            } else {
                "tie across a tier"
            }
            .to_string(),
        );
    }
    if e.award_decision.is_some() {
        n.push(decided_word(lang).to_string());
    }
    let why = explain::unranked_text(&e.unranked, lang);
    if !why.is_empty() {
        n.push(why);
    }
    n.join(" ")
}

/// The overall (综合) table of `entries` (in the order given): a column per event of `events`.
pub fn overall_table(
    events: &[Event],
    decimals: u32,
    entries: &[&OverallEntry],
    lang: Lang,
) -> EventTable {
    let mut columns = vec![
        Column {
            kind: Kind::Seq,
            title: "序号".into(),
        },
        Column {
            kind: Kind::Group,
            title: "组别".into(),
        },
        Column {
            kind: Kind::Rank,
            title: "名次".into(),
        },
        Column {
            kind: Kind::Id,
            title: "编号".into(),
        },
        Column {
            kind: Kind::Name,
            title: "姓名".into(),
        },
        Column {
            kind: Kind::School,
            title: "单位".into(),
        },
    ];
    columns.extend(events.iter().map(|e| Column {
        kind: Kind::EventScore(e.code.clone()),
        title: e.name.clone(),
    }));
    columns.extend([
        Column {
            kind: Kind::Total,
            title: "综合成绩".into(),
        },
        Column {
            kind: Kind::Award,
            title: "等次".into(),
        },
        Column {
            kind: Kind::Note,
            title: "备注".into(),
        },
    ]);
    let rows = entries
        .iter()
        .enumerate()
        .map(|(i, e)| {
            let mut cells = vec![
                Cell::text((i + 1).to_string()),
                Cell::text(e.group.clone()),
                e.rank.map_or_else(Cell::empty, |r| {
                    Cell::number(Fixed::from_int(i64::from(r)), 0)
                }),
                Cell::text(e.contestant.clone()),
                Cell::text(e.name.clone()),
                Cell::text(e.school.clone()),
            ];
            cells.extend(events.iter().map(|ev| match e.events.get(&ev.code) {
                Some(Some(v)) => Cell::number(*v, ev.decimals),
                Some(None) => Cell {
                    text: "—".into(),
                    number: None,
                    mark: Mark::Muted,
                },
                None => Cell::empty(),
            }));
            cells.push(e.total.map_or_else(Cell::empty, |t| Cell {
                mark: Mark::Strong,
                ..Cell::number(t, decimals)
            }));
            cells.push(Cell::text(e.award.clone().unwrap_or_default()));
            cells.push(Cell::text(overall_note(e, lang)));
            Row {
                contestant: e.contestant.clone(),
                provisional: e.provisional,
                cells,
            }
        })
        .collect();
    EventTable { columns, rows }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_panel_label_says_trimmed_only_when_something_was_dropped() {
        let mut e: Event = crate::template::load("second")
            .expect("template")
            .events
            .into_iter()
            .find(|e| e.code == "E05")
            .expect("E05");
        assert_eq!(panel_label(&e, true), "去掉最高最低后平均分");
        assert_eq!(panel_label(&e, false), "平均分");
        e.aggregate = Aggregate::Sum;
        assert_eq!(panel_label(&e, false), "总分");
    }
}
