//! Result sheets (成绩表) per event and group, the overall table (综合成绩), the award list for
//! public notice (公示名单), per-judge score sheets with a signature line, blank score sheets and
//! draw-order lists (抽签顺序表) — as report sections, and as plain rows for XLSX/CSV.

use crate::model::{Aggregate, Event, EventKind};
use crate::scoring::{EventEntry, EventResults, OverallEntry, event_full_marks};

use super::ReportError;
use super::certificate::{self, Award, OVERALL_NAME};
use super::data::{ReportData, pick_groups};
use super::font::Owned;
use super::layout::{Align, Cell, Column, Orientation, ReportBuilder, Section, Table};
use super::result_table::{self, Kind, Mark};
use crate::i18n::Lang;

/// Body text size of tables (pt) and their row height (mm).
const BODY: f32 = 9.0;
const ROW: f32 = 6.6;

/// The legend printed under result-sheet titles.
pub const DROPPED_LEGEND: &str = "括号内为去掉的最高分、最低分 (scores in brackets were dropped)；待定 = 成绩尚未最终确定 (provisional)";

fn rule_text(event: &Event, panel: usize) -> String {
    let trim = if event.trim == 0 || event.kind == EventKind::Objective {
        "不去分".to_string()
    } else if event.trim == 1 {
        "去掉一个最高分和一个最低分".to_string()
    } else {
        format!("去掉 {0} 个最高分和 {0} 个最低分", event.trim)
    };
    let agg = match event.aggregate {
        Aggregate::Mean => "取平均",
        Aggregate::Sum => "求和",
    };
    format!(
        "评委 {panel} 人；{trim}，{agg}；满分 {}；保留 {} 位小数，四舍五入",
        event_full_marks(event).format(0),
        event.decimals
    )
}

/// The judge columns of an event: the panel, plus anyone else who has a score in it.
pub fn judge_columns(data: &ReportData, er: &EventResults) -> Vec<String> {
    let panel: Vec<String> = data
        .panel(&er.code)
        .into_iter()
        .map(|j| j.id.clone())
        .collect();
    result_table::judge_ids(&panel, er)
}

/// The events selected by `--event` (all when `None`); `Ok(None)` means only the overall table.
fn selected_events<'a>(
    data: &'a ReportData,
    event: Option<&str>,
) -> Result<Option<Vec<&'a EventResults>>, ReportError> {
    match event.map(str::trim).filter(|e| !e.is_empty()) {
        None => Ok(Some(data.results.events.iter().collect())),
        Some(e) if certificate::is_overall(e) => Ok(None),
        Some(e) => {
            let ev = data.find_event(e).ok_or_else(|| {
                ReportError::Usage(format!(
                    "没有项目「{e}」；综合成绩请用 ZH (no such event; ZH is the overall)"
                ))
            })?;
            Ok(Some(
                data.results
                    .events
                    .iter()
                    .filter(|r| r.code == ev.code)
                    .collect(),
            ))
        }
    }
}

/// One event and group's result sheet.
pub fn event_section(
    data: &ReportData,
    event: &Event,
    er: &EventResults,
    group: &str,
    entries: &[EventEntry],
) -> Section {
    let judges = judge_columns(data, er);
    let refs: Vec<&EventEntry> = entries.iter().collect();
    let model = result_table::event_table(event, er, &judges, &refs, Lang::Zh).select(&[
        Kind::Seq,
        Kind::Id,
        Kind::Name,
        Kind::School,
        Kind::Judge(String::new()),
        Kind::Panel,
        Kind::Penalty,
        Kind::Final,
        Kind::Rank,
        Kind::Award,
        Kind::Note,
    ]);
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
    let rows = model
        .rows
        .iter()
        .map(|r| {
            r.cells
                .iter()
                .map(|c| Cell {
                    text: c.plain(),
                    muted: matches!(c.mark, Mark::Dropped | Mark::Muted),
                    strong: c.mark == Mark::Strong,
                })
                .collect()
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
        info: vec![
            format!("{}。{DROPPED_LEGEND}", rule_text(event, judges.len())),
            judge_names.join("，"),
        ],
        table: Table {
            columns,
            rows,
            size: BODY,
            row_height: ROW,
        },
        after: Vec::new(),
        bookmark: Some(format!("{} {}", er.name, group)),
    }
}

/// One group's overall (综合) table.
pub fn overall_section(data: &ReportData, group: &str, entries: &[OverallEntry]) -> Section {
    let d = data.results.overall.decimals;
    let events = &data.setup.events;
    let mut columns = vec![
        Column::new("序号", Align::Center).min(8.0),
        Column::new("编号", Align::Center),
        Column::new("姓名", Align::Center).flex().min(14.0),
        Column::new("单位", Align::Left).flex().min(20.0),
    ];
    for e in events {
        columns.push(Column::new(e.name.clone(), Align::Right).min(9.0));
    }
    columns.extend([
        Column::new("综合成绩", Align::Right).min(12.0),
        Column::new("名次", Align::Center).min(8.0),
        Column::new("等次", Align::Center).min(11.0),
        Column::new("备注", Align::Left).flex().min(10.0),
    ]);
    let rows = entries
        .iter()
        .enumerate()
        .map(|(i, e)| {
            let mut row: Vec<Cell> = vec![
                (i + 1).to_string().into(),
                e.contestant.clone().into(),
                e.name.clone().into(),
                e.school.clone().into(),
            ];
            for ev in events {
                row.push(match e.events.get(&ev.code) {
                    Some(Some(s)) => s.format(ev.decimals).into(),
                    Some(None) => "—".into(),
                    None => "".into(),
                });
            }
            row.push(Cell {
                text: e.total.map(|t| t.format(d)).unwrap_or_default(),
                muted: false,
                strong: true,
            });
            row.push(e.rank.map(|r| r.to_string()).unwrap_or_default().into());
            row.push(e.award.clone().unwrap_or_default().into());
            let mut note = Vec::new();
            if e.provisional {
                note.push("待定".to_string());
            }
            if e.tie_flag {
                note.push("并列跨档".to_string());
            }
            let r = crate::explain::unranked_text(&e.unranked, crate::i18n::Lang::Zh);
            if !r.is_empty() {
                note.push(r);
            }
            row.push(note.join(" ").into());
            row
        })
        .collect();
    Section {
        title: format!("综合成绩表 — {group}"),
        info: vec![format!(
            "综合成绩 = 各项目成绩折算为百分制后按权重加权平均，保留 {d} 位小数；—  表示该项目暂无成绩；待定 = 成绩尚未最终确定 (provisional)"
        )],
        table: Table {
            columns,
            rows,
            size: 7.5,
            row_height: 6.0,
        },
        after: Vec::new(),
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

/// The award list for public notice: one section per event (then the overall), rows by group
/// and rank.
pub fn awards_document(
    data: &ReportData,
    builder: &mut ReportBuilder<'_>,
    awards: &[Award],
) -> Result<(), ReportError> {
    builder.set_orientation(Orientation::Portrait);
    if awards.is_empty() {
        return Err(ReportError::Empty("没有获奖名单 (no awards yet)".into()));
    }
    let mut start = 0;
    while start < awards.len() {
        let order = awards[start].event_order;
        let end = awards[start..]
            .iter()
            .position(|a| a.event_order != order)
            .map_or(awards.len(), |p| start + p);
        let part = &awards[start..end];
        let name = &part[0].event_name;
        let title = if part[0].event_code.is_none() {
            format!("{OVERALL_NAME}奖获奖名单（公示）")
        } else {
            format!("{name} 单项奖获奖名单（公示）")
        };
        let columns = vec![
            Column::new("序号", Align::Center).min(9.0),
            Column::new("编号", Align::Center),
            Column::new("姓名", Align::Center).flex().min(16.0),
            Column::new("性别", Align::Center).min(9.0),
            Column::new("学段学科", Align::Center),
            Column::new("单位", Align::Left).flex().min(30.0),
            Column::new("获奖等次", Align::Center).min(14.0),
        ];
        let rows = part
            .iter()
            .enumerate()
            .map(|(i, a)| {
                vec![
                    (i + 1).to_string().into(),
                    a.contestant.id.clone().into(),
                    a.contestant.name.clone().into(),
                    a.contestant.gender.as_str().into(),
                    a.group.clone().into(),
                    a.contestant.school.clone().into(),
                    a.award.clone().into(),
                ]
            })
            .collect();
        builder.section(&Section {
            title,
            info: vec![format!(
                "共 {} 人。公示期内如有异议，请向{}反映。",
                part.len(),
                if data.setup.competition.organiser.is_empty() {
                    "主办单位".to_string()
                } else {
                    data.setup.competition.organiser.clone()
                }
            )],
            table: Table {
                columns,
                rows,
                size: BODY,
                row_height: ROW,
            },
            after: Vec::new(),
            bookmark: Some(name.clone()),
        });
        start = end;
    }
    Ok(())
}

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
fn drawn<'a>(
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
        |s| format!("抽签种子 (seed) {s}"),
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

/// Texts of the selected data with who they belong to (for the glyph check).
pub fn owned_texts(data: &ReportData) -> Vec<Owned<'_>> {
    let mut v = Vec::new();
    for c in &data.contestants {
        let who = format!("选手 {} {}", c.id, c.name);
        v.push(Owned {
            who: who.clone(),
            text: &c.name,
        });
        v.push(Owned {
            who: who.clone(),
            text: &c.school,
        });
        v.push(Owned {
            who,
            text: &c.subject,
        });
    }
    for j in &data.judges {
        let who = format!("评委 {} {}", j.id, j.name);
        v.push(Owned {
            who: who.clone(),
            text: &j.name,
        });
    }
    for e in &data.setup.events {
        v.push(Owned {
            who: format!("项目 {}", e.code),
            text: &e.name,
        });
        for c in &e.criteria {
            v.push(Owned {
                who: format!("项目 {}", e.code),
                text: &c.name,
            });
        }
    }
    v.push(Owned {
        who: "比赛名称".into(),
        text: &data.setup.competition.title,
    });
    v.push(Owned {
        who: "主办单位".into(),
        text: &data.setup.competition.organiser,
    });
    v
}
