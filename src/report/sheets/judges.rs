//! Per-judge score sheets with a signature line, blank score sheets and draw-order lists
//! (抽签顺序表).

use crate::model::Event;

use super::super::ReportError;
use super::super::data::ReportData;
use super::super::layout::{Align, Cell, Column, Orientation, ReportBuilder, Section, Table};
use super::*;

/// Per-judge score sheets (filled with the judge's submitted scores, or blank) with a signature
/// line; with `blank`, each event also gets its draw-order list first.
pub fn judge_sheets_document(
    data: &ReportData,
    builder: &mut ReportBuilder<'_>,
    blank: bool,
    event: Option<&str>,
) -> Result<(), ReportError> {
    builder.set_orientation(Orientation::Portrait);
    let events: Vec<&Event> = match event.map(str::trim).filter(|e| !e.is_empty()) {
        None => data.setup.events.iter().collect(),
        Some(e) => vec![
            data.find_event(e)
                .ok_or_else(|| ReportError::Usage(format!("没有项目「{e}」(no such event)")))?,
        ],
    };
    let mut any = false;
    if blank {
        for ev in &events {
            builder.section(&draw_list_section(data, ev));
            let panel = data.panel(&ev.code);
            if panel.is_empty() {
                builder.section(&judge_section(data, ev, None, true));
            }
            for j in panel {
                builder.section(&judge_section(data, ev, Some(j), true));
            }
            any = true;
        }
    } else {
        let mut judges: Vec<&crate::model::Judge> = data.judges.iter().collect();
        judges.sort_by(|a, b| a.id.cmp(&b.id));
        for j in judges {
            for ev in &events {
                if j.events.contains(&ev.code) {
                    builder.section(&judge_section(data, ev, Some(j), false));
                    any = true;
                }
            }
        }
    }
    if !any {
        return Err(ReportError::Empty(
            "没有评委或项目可打印 (no judges or events to print)".into(),
        ));
    }
    Ok(())
}

/// The entries of an event in draw order: (order, anonymous code, contestant).
pub(super) fn drawn<'a>(
    data: &'a ReportData,
    event: &str,
) -> Vec<(Option<u32>, Option<&'a str>, &'a crate::model::Contestant)> {
    data.entries
        .iter()
        .filter(|e| e.event == event)
        .filter_map(|e| {
            data.contestant(&e.contestant)
                .map(|c| (e.draw_order, e.anon_code.as_deref(), c))
        })
        .collect()
}

/// The draw-order list (抽签顺序表) of an event.
pub fn draw_list_section(data: &ReportData, ev: &Event) -> Section {
    let rows = drawn(data, &ev.code)
        .into_iter()
        .enumerate()
        .map(|(i, (order, code, c))| {
            vec![
                order
                    .map_or_else(|| (i + 1).to_string(), |o| o.to_string())
                    .into(),
                code.unwrap_or("").into(),
                c.id.clone().into(),
                c.name.clone().into(),
                c.gender.as_str().into(),
                c.group().into(),
                c.school.clone().into(),
                "".into(),
            ]
        })
        .collect();
    let seed = data.draw_seeds.get(&ev.code).map_or_else(
        || "尚未抽签 (not drawn yet)".to_string(),
        |s| format!("抽签种子 {s}"),
    );
    Section {
        title: format!("{}（{}）抽签顺序表", ev.name, ev.code),
        info: vec![format!(
            "{seed}；{}",
            if ev.blind {
                "盲评：评委只看到抽签号"
            } else {
                "按抽签顺序出场"
            }
        )],
        table: Table {
            columns: vec![
                Column::new("顺序", Align::Center).min(10.0),
                Column::new("抽签号", Align::Center),
                Column::new("编号", Align::Center),
                Column::new("姓名", Align::Center).flex().min(16.0),
                Column::new("性别", Align::Center).min(9.0),
                Column::new("组别", Align::Center),
                Column::new("单位", Align::Left).flex().min(26.0),
                Column::new("签到", Align::Center).min(14.0),
            ],
            rows,
            size: BODY,
            row_height: ROW,
        },
        after: Vec::new(),
        bookmark: Some(format!("{} 抽签顺序", ev.name)),
    }
}

/// One judge's score sheet for one event: contestants in draw order, a column per criterion,
/// the total, and a signature line. Blank sheets leave the scores empty.
pub fn judge_section(
    data: &ReportData,
    ev: &Event,
    judge: Option<&crate::model::Judge>,
    blank: bool,
) -> Section {
    let d = (0..=4).find(|d| ev.step.round(*d) == ev.step).unwrap_or(2);
    let mut columns = vec![Column::new("顺序", Align::Center).min(10.0)];
    if ev.blind {
        columns.push(Column::new("抽签号", Align::Center));
    } else {
        columns.push(Column::new("编号", Align::Center));
        columns.push(Column::new("姓名", Align::Center).flex().min(16.0));
    }
    for c in &ev.criteria {
        columns
            .push(Column::new(format!("{}({})", c.name, c.max.format(0)), Align::Right).min(15.0));
    }
    columns
        .push(Column::new(format!("总分({})", ev.full_marks().format(0)), Align::Right).min(14.0));
    let rows = drawn(data, &ev.code)
        .into_iter()
        .enumerate()
        .map(|(i, (order, code, c))| {
            let mut row: Vec<Cell> = vec![
                order
                    .map_or_else(|| (i + 1).to_string(), |o| o.to_string())
                    .into(),
            ];
            if ev.blind {
                row.push(code.unwrap_or("").into());
            } else {
                row.push(c.id.clone().into());
                row.push(c.name.clone().into());
            }
            let recused = judge.is_some_and(|j| j.must_recuse(c));
            let sheet = if blank || recused {
                None
            } else {
                judge.and_then(|j| {
                    data.sheets.iter().find(|s| {
                        s.event == ev.code
                            && s.contestant == c.id
                            && s.judge == j.id
                            && s.status.counts()
                    })
                })
            };
            for k in 0..ev.criteria.len() {
                let text = sheet
                    .and_then(|s| s.criteria.get(k).copied().flatten())
                    .map(|v| v.format(d))
                    .unwrap_or_default();
                row.push(text.into());
            }
            row.push(if recused {
                Cell {
                    text: "回避".into(),
                    muted: true,
                    strong: false,
                }
            } else {
                Cell {
                    text: sheet.map(|s| s.total.format(d)).unwrap_or_default(),
                    muted: false,
                    strong: true,
                }
            });
            row
        })
        .collect();
    let who = match judge {
        Some(j) => format!("评委 {} {}", j.id, j.name),
        None => "评委 ________".to_string(),
    };
    Section {
        title: format!(
            "{}（{}）{}评分表 — {who}",
            ev.name,
            ev.code,
            if blank { "空白" } else { "" }
        ),
        info: vec![format!(
            "满分 {}；评分步长 {}；{}空格不等于 0 分；“回避”为本单位选手，不评分。",
            ev.full_marks().format(0),
            ev.step.format(d),
            if ev.blind {
                "盲评：只显示抽签号；"
            } else {
                ""
            }
        )],
        table: Table {
            columns,
            rows,
            size: BODY,
            row_height: if blank { 8.0 } else { ROW },
        },
        after: vec!["评委签名：____________________        日期：______年____月____日".to_string()],
        bookmark: Some(format!("{} {}", ev.name, who)),
    }
}
