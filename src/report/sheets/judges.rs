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
    group: Option<&str>,
) -> Result<(), ReportError> {
    let group = group.map(str::trim).filter(|g| !g.is_empty());
    if let Some(g) = group
        && !data.contestants.iter().any(|c| c.group() == g)
    {
        return Err(ReportError::Usage(format!(
            "没有组别「{g}」(no such group)"
        )));
    }
    builder.set_orientation(Orientation::Portrait);
    let events: Vec<&Event> = match event.map(str::trim).filter(|e| !e.is_empty()) {
        None => data.setup.events.iter().collect(),
        Some(e) => vec![
            data.find_event(e)
                .ok_or_else(|| ReportError::Usage(format!("没有项目「{e}」(no such event)")))?,
        ],
    };
    let mut any = false;
    let sign = Some(SIGNATURE.to_string());
    if blank {
        for ev in &events {
            // The draw list per group (one room's list to hand out).
            builder.begin_set(None);
            builder.set_page_note(None);
            for g in groups_of(data, &ev.code, group) {
                builder.section(&draw_list_section(data, ev, Some(&g)));
            }
            let panel = data.panel(&ev.code);
            builder.set_page_note(sign.clone());
            if panel.is_empty() {
                builder.begin_set(Some(&ev.code));
                builder.section(&judge_section(data, ev, None, true, group));
            }
            for j in panel {
                builder.begin_set(Some(&format!("{} {}", ev.code, j.id)));
                builder.section(&judge_section(data, ev, Some(j), true, group));
            }
            any = true;
        }
    } else {
        let mut judges: Vec<&crate::model::Judge> = data.judges.iter().collect();
        judges.sort_by(|a, b| a.id.cmp(&b.id));
        builder.set_page_note(sign.clone());
        for j in judges {
            let mut started = false;
            for ev in &events {
                if j.events.contains(&ev.code) {
                    // A judge's set: every page signed, numbered within the set.
                    if !started {
                        builder.begin_set(Some(&j.id));
                        started = true;
                    }
                    builder.section(&judge_section(data, ev, Some(j), false, group));
                    any = true;
                }
            }
        }
    }
    builder.set_page_note(None);
    if !any {
        return Err(ReportError::Empty(
            "没有评委或项目可打印 (no judges or events to print)".into(),
        ));
    }
    Ok(())
}

/// The signature line on every page of a judge's set.
pub const SIGNATURE: &str = "评委签名：____________________        日期：______年____月____日";

/// The groups of an event's entrants in table order (only `only` when given).
fn groups_of(data: &ReportData, event: &str, only: Option<&str>) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut seen = std::collections::HashSet::new();
    let order: Vec<&str> = data
        .results
        .events
        .iter()
        .find(|e| e.code == event)
        .map(|e| e.groups.iter().map(|g| g.group.as_str()).collect())
        .unwrap_or_default();
    for g in order {
        if only.is_none_or(|o| o == g) && seen.insert(g.to_string()) {
            out.push(g.to_string());
        }
    }
    for (_, _, c) in drawn(data, event) {
        let g = c.group();
        if only.is_none_or(|o| o == g) && seen.insert(g.clone()) {
            out.push(g);
        }
    }
    out
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

/// The draw-order list (抽签顺序表) of an event (of one group when given).
pub fn draw_list_section(data: &ReportData, ev: &Event, group: Option<&str>) -> Section {
    let rows = drawn(data, &ev.code)
        .into_iter()
        .filter(|(_, _, c)| group.is_none_or(|g| c.group() == g))
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
        title: match group {
            Some(g) => format!("{}（{}）抽签顺序表 — {g}", ev.name, ev.code),
            None => format!("{}（{}）抽签顺序表", ev.name, ev.code),
        },
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
    group: Option<&str>,
) -> Section {
    let d = (0..=4).find(|d| ev.step.round(*d) == ev.step).unwrap_or(2);
    let mut columns = vec![Column::new("顺序", Align::Center).min(10.0)];
    if ev.blind {
        columns.push(Column::new("抽签号", Align::Center));
    } else {
        columns.push(Column::new("编号", Align::Center));
        columns.push(Column::new("姓名", Align::Center).flex().min(16.0));
    }
    columns.push(Column::new("组别", Align::Center));
    for c in &ev.criteria {
        columns
            .push(Column::new(format!("{}({})", c.name, c.max.format(0)), Align::Right).min(15.0));
    }
    columns
        .push(Column::new(format!("总分({})", ev.full_marks().format(0)), Align::Right).min(14.0));
    let rows = drawn(data, &ev.code)
        .into_iter()
        .filter(|(_, _, c)| group.is_none_or(|g| c.group() == g))
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
            row.push(c.group().into());
            let recused = judge.is_some_and(|j| j.must_recuse(c));
            let sheet = if blank || recused {
                None
            } else {
                judge.and_then(|j| data.counted_sheet(&ev.code, &c.id, &j.id))
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
                    draft: false,
                }
            } else {
                Cell {
                    text: sheet.map(|s| s.total.format(d)).unwrap_or_default(),
                    muted: false,
                    strong: true,
                    draft: false,
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
            "{}（{}）{}评分表 — {who}{}",
            ev.name,
            ev.code,
            if blank { "空白" } else { "" },
            group.map(|g| format!(" — {g}")).unwrap_or_default()
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
        // The signature line is on every page (the builder's page note).
        after: Vec::new(),
        bookmark: Some(format!("{} {}", ev.name, who)),
    }
}
