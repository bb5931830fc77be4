//! `events`, `contestants` and `judges` listings as table, JSON or CSV.

use std::io::{self, Write};

use serde_json::json;

use super::Format;
use crate::model::{Contestant, Event, Judge};
use crate::report::text::{csv, render};

fn number(f: crate::model::Fixed) -> serde_json::Value {
    // Fixed → exact decimal text → JSON number (serde_json keeps the shortest form).
    serde_json::from_str(&f.to_string()).unwrap_or(serde_json::Value::Null)
}

pub fn events(events: &[Event], format: Format, out: &mut dyn Write) -> io::Result<()> {
    match format {
        Format::Json => {
            let list: Vec<_> = events
                .iter()
                .map(|e| {
                    json!({
                        "code": e.code,
                        "name": e.name,
                        "kind": e.kind.as_str(),
                        "judges": e.judges,
                        "trim": e.trim,
                        "aggregate": e.aggregate.as_str(),
                        "decimals": e.decimals,
                        "step": number(e.step),
                        "weight": number(e.weight),
                        "criteria": e.criteria.iter().map(|c| json!({"name": c.name, "max": number(c.max)})).collect::<Vec<_>>(),
                    })
                })
                .collect();
            writeln!(
                out,
                "{}",
                serde_json::to_string_pretty(&json!({ "events": list }))?
            )
        }
        Format::Table | Format::Csv => {
            let header = [
                "代码",
                "项目",
                "类型",
                "评委",
                "去分",
                "计分",
                "小数",
                "步长",
                "权重",
                "满分",
                "评分项",
            ];
            let rows: Vec<Vec<String>> = events
                .iter()
                .map(|e| {
                    vec![
                        e.code.clone(),
                        e.name.clone(),
                        e.kind.as_str().to_string(),
                        e.judges.to_string(),
                        e.trim.to_string(),
                        e.aggregate.as_str().to_string(),
                        e.decimals.to_string(),
                        e.step.to_string(),
                        e.weight.to_string(),
                        e.full_marks().to_string(),
                        e.criteria
                            .iter()
                            .map(|c| format!("{} {}", c.name, c.max))
                            .collect::<Vec<_>>()
                            .join("、"),
                    ]
                })
                .collect();
            let text = if format == Format::Csv {
                csv(&header, &rows)
            } else {
                render(&header, &rows)
            };
            write!(out, "{text}")
        }
    }
}

pub fn contestants(list: &[Contestant], format: Format, out: &mut dyn Write) -> io::Result<()> {
    let header = [
        "编号",
        "姓名",
        "性别",
        "学段",
        "学科",
        "工作单位",
        "县（市、区）",
        "联系电话",
    ];
    let rows: Vec<Vec<String>> = list
        .iter()
        .map(|c| {
            vec![
                c.id.clone(),
                c.name.clone(),
                c.gender.as_str().to_string(),
                c.stage.as_str().to_string(),
                c.subject.clone(),
                c.school.clone(),
                c.county.clone(),
                c.phone.clone(),
            ]
        })
        .collect();
    match format {
        Format::Json => {
            let list: Vec<_> = list
                .iter()
                .map(|c| {
                    json!({
                        "id": c.id, "name": c.name, "gender": c.gender.as_str(), "stage": c.stage.as_str(),
                        "subject": c.subject, "school": c.school, "county": c.county, "phone": c.phone,
                    })
                })
                .collect();
            writeln!(
                out,
                "{}",
                serde_json::to_string_pretty(&json!({ "contestants": list }))?
            )
        }
        Format::Csv => write!(out, "{}", csv(&header, &rows)),
        Format::Table => write!(out, "{}", render(&header, &rows)),
    }
}

pub fn judges(list: &[Judge], format: Format, out: &mut dyn Write) -> io::Result<()> {
    let header = ["评委编号", "姓名", "工作单位", "县（市、区）", "评审项目"];
    let rows: Vec<Vec<String>> = list
        .iter()
        .map(|j| {
            vec![
                j.id.clone(),
                j.name.clone(),
                j.school.clone(),
                j.county.clone(),
                j.events.join("、"),
            ]
        })
        .collect();
    match format {
        Format::Json => {
            let list: Vec<_> = list
                .iter()
                .map(|j| {
                    json!({
                        "id": j.id, "name": j.name, "school": j.school, "county": j.county, "events": j.events,
                    })
                })
                .collect();
            writeln!(
                out,
                "{}",
                serde_json::to_string_pretty(&json!({ "judges": list }))?
            )
        }
        Format::Csv => write!(out, "{}", csv(&header, &rows)),
        Format::Table => write!(out, "{}", render(&header, &rows)),
    }
}
