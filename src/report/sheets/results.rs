//! Result sheets (成绩表) per event and group, and the overall table (综合成绩).

use crate::model::Event;
use crate::scoring::{EventEntry, EventResults, OverallEntry};

use super::super::ReportError;
use super::super::data::{ReportData, pick_groups};
use super::super::layout::{Align, Cell, Column, Orientation, ReportBuilder, Section, Table};
use super::super::result_table::{self, Kind, Mark};
use super::*;
use crate::i18n::Lang;

/// One event and group's result sheet.
pub fn event_section(
    data: &ReportData,
    event: &Event,
    er: &EventResults,
    group: &str,
    entries: &[EventEntry],
) -> Section {
    // An objective event (业务能力测试) is one score per contestant: no judge columns.
    let objective = event.kind == crate::model::EventKind::Objective;
    let judges = if objective {
        Vec::new()
    } else {
        judge_columns(data, er)
    };
    let refs: Vec<&EventEntry> = entries.iter().collect();
    let mut kinds = vec![Kind::Seq, Kind::Id, Kind::Name, Kind::School];
    if !objective {
        kinds.push(Kind::Judge(String::new()));
    }
    kinds.extend([
        Kind::Panel,
        Kind::Penalty,
        Kind::Final,
        Kind::Rank,
        Kind::Award,
        Kind::Note,
    ]);
    let model = result_table::event_table(event, er, &judges, &refs, Lang::Zh).select(&kinds);
    let mut judge_no = 0;
    let columns = model
        .columns
        .iter()
        .map(|c| match &c.kind {
            Kind::Seq => Column::new("序号", Align::Center).min(9.0),
            Kind::Id => Column::new("编号", Align::Center),
            Kind::Name => Column::new("姓名", Align::Center).flex().min(16.0),
            Kind::School => Column::new("单位", Align::Left).flex().min(24.0),
            Kind::Judge(_) => {
                judge_no += 1;
                Column::new(format!("评委{judge_no}"), Align::Right).min(11.0)
            }
            Kind::Panel if objective => Column::new("成绩", Align::Right).min(12.0),
            Kind::Panel => {
                Column::new(c.title.replace("最低后", "最低\n后"), Align::Right).min(12.0)
            }
            Kind::Penalty => Column::new("扣分", Align::Right),
            Kind::Final => Column::new("最后得分", Align::Right).min(13.0),
            Kind::Rank => Column::new("名次", Align::Center).min(9.0),
            Kind::Award => Column::new("等次", Align::Center).min(12.0),
            _ => Column::new(c.title.clone(), Align::Center).min(10.0),
        })
        .collect();
    let note_col = model.columns.iter().position(|c| c.kind == Kind::Note);
    let rows = model
        .rows
        .iter()
        .map(|r| {
            let mut cells: Vec<Cell> = r
                .cells
                .iter()
                .map(|c| Cell {
                    text: c.plain(),
                    muted: matches!(c.mark, Mark::Dropped | Mark::Muted),
                    strong: c.mark == Mark::Strong,
                    draft: r.provisional,
                })
                .collect();
            // The penalty's reason (超时 …) beside the deduction.
            let reasons = data.penalty_reasons(&er.code, &r.contestant);
            if let (Some(i), false) = (note_col, reasons.is_empty())
                && let Some(cell) = cells.get_mut(i)
            {
                let text = format!("扣分：{}", reasons.join("；"));
                cell.text = if cell.text.is_empty() {
                    text
                } else {
                    format!("{}；{text}", cell.text)
                };
            }
            cells
        })
        .collect();
    let judge_names: Vec<String> = judges
        .iter()
        .enumerate()
        .map(|(i, id)| {
            let name = data
                .judges
                .iter()
                .find(|j| j.id == *id)
                .map(|j| j.name.as_str())
                .unwrap_or("");
            format!("评委{} {id} {name}", i + 1)
        })
        .collect();
    Section {
        title: format!("{}（{}）成绩表 — {group}", er.name, er.code),
        info: if objective {
            vec![format!(
                "{}。待定 = 成绩尚未最终确定；并列跨档 = 同分选手跨越获奖等次分界，由组织者人工决定等次",
                rule_text(event, 0)
            )]
        } else {
            vec![
                format!("{}。{DROPPED_LEGEND}", rule_text(event, judges.len())),
                judge_names.join("，"),
            ]
        },
        table: Table {
            columns,
            rows,
            size: BODY,
            row_height: ROW,
        },
        after: crate::model::papers::sign_off_lines(&data.papers),
        bookmark: Some(format!("{} {}", er.name, group)),
    }
}

/// One group's overall (综合) table.
pub fn overall_section(data: &ReportData, group: &str, entries: &[OverallEntry]) -> Section {
    let d = data.results.overall.decimals;
    let refs: Vec<&OverallEntry> = entries.iter().collect();
    let model = result_table::overall_table(&data.setup.events, d, &refs, Lang::Zh).select(
        &[
            vec![Kind::Seq, Kind::Id, Kind::Name, Kind::School],
            data.setup
                .events
                .iter()
                .map(|e| Kind::EventScore(e.code.clone()))
                .collect(),
            vec![Kind::Total, Kind::Rank, Kind::Award, Kind::Note],
        ]
        .concat(),
    );
    let columns = model
        .columns
        .iter()
        .map(|c| match &c.kind {
            Kind::Seq => Column::new("序号", Align::Center).min(8.0),
            Kind::Id => Column::new("编号", Align::Center),
            Kind::Name => Column::new("姓名", Align::Center).flex().min(14.0),
            Kind::School => Column::new("单位", Align::Left).flex().min(20.0),
            Kind::EventScore(_) => Column::new(c.title.clone(), Align::Right).min(9.0),
            Kind::Total => Column::new("综合成绩", Align::Right).min(12.0),
            Kind::Rank => Column::new("名次", Align::Center).min(8.0),
            Kind::Award => Column::new("等次", Align::Center).min(11.0),
            _ => Column::new(c.title.clone(), Align::Left).flex().min(10.0),
        })
        .collect();
    let rows = model
        .rows
        .iter()
        .map(|r| {
            r.cells
                .iter()
                .map(|c| Cell {
                    text: c.plain(),
                    muted: false,
                    strong: c.mark == Mark::Strong,
                    draft: r.provisional,
                })
                .collect()
        })
        .collect();
    Section {
        title: format!("综合成绩表 — {group}"),
        info: vec![format!(
            "综合成绩 = 各项目成绩折算为百分制后按权重加权平均，保留 {d} 位小数；—  表示该项目暂无成绩；待定 = 成绩尚未最终确定；并列跨档 = 同分选手跨越获奖等次分界，由组织者人工决定等次"
        )],
        table: Table {
            columns,
            rows,
            size: 7.5,
            row_height: 6.0,
        },
        after: crate::model::papers::sign_off_lines(&data.papers),
        bookmark: Some(format!("综合 {group}")),
    }
}

/// Result sheets: each selected event per group, then (without `--event`, or with `--event ZH`)
/// the overall table per group.
pub fn results_document(
    data: &ReportData,
    builder: &mut ReportBuilder<'_>,
    event: Option<&str>,
    group: Option<&str>,
) -> Result<(), ReportError> {
    let groups = data.group_order();
    let selected = selected_events(data, event)?;
    builder.set_orientation(Orientation::Landscape);
    let mut any = false;
    if let Some(events) = &selected {
        for er in events {
            let Some(ev) = data.setup.events.iter().find(|e| e.code == er.code) else {
                continue;
            };
            for g in pick_groups(&er.groups, group, &groups)? {
                builder.section(&event_section(data, ev, er, &g.group, &g.entries));
                any = true;
            }
        }
    }
    let want_overall = selected.is_none() || event.map(str::trim).is_none_or(str::is_empty);
    if want_overall {
        for g in pick_groups(&data.results.overall.groups, group, &groups)? {
            builder.section(&overall_section(data, &g.group, &g.entries));
            any = true;
        }
    }
    if !any {
        return Err(ReportError::Empty("没有成绩 (no results)".into()));
    }
    Ok(())
}
