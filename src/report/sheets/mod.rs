//! Result sheets (成绩表) per event and group, the overall table (综合成绩), the award list for
//! public notice (公示名单), per-judge score sheets with a signature line, blank score sheets and
//! draw-order lists (抽签顺序表) — as report sections; one file per kind of paper, the shared
//! helpers here.

mod awards;
mod judges;
mod results;

pub use awards::*;
pub use judges::*;
pub use results::*;

use crate::model::{Aggregate, Event, EventKind};
use crate::scoring::{EventResults, event_full_marks};

use super::ReportError;
use super::certificate::{self};
use super::data::ReportData;
use super::font::Owned;
use super::result_table::{self};

/// Body text size of tables (pt) and their row height (mm).
pub(super) const BODY: f32 = 9.0;
pub(super) const ROW: f32 = 6.6;

/// The legend printed under result-sheet titles.
pub const DROPPED_LEGEND: &str = "括号内为去掉的最高分、最低分；待定 = 成绩尚未最终确定；并列跨档 = 同分选手跨越获奖等次分界，由组织者人工决定等次";

pub(super) fn rule_text(event: &Event, panel: usize) -> String {
    if event.kind == EventKind::Objective {
        return format!(
            "客观题测试，每位选手一个成绩；满分 {}；保留 {} 位小数，四舍五入",
            event_full_marks(event).format(0),
            event.decimals
        );
    }
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
pub(super) fn selected_events<'a>(
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
