//! `results` and `explain`: tables, JSON and CSV from the scoring engine's results.

use std::io::Write;

use serde_json::{Value, json};

use super::{Format, LangArg, ResultsArgs};
use crate::commands::{self, CommandError as OpError};
use crate::explain;
use crate::i18n::Lang;
use crate::model::Fixed;
use crate::report::text::{csv, render};
use crate::scoring::{EventEntry, GroupTable, OverallEntry};
use crate::store::Store;

/// A JSON number written with exactly `decimals` places (e.g. 85.50).
fn num(f: Fixed, decimals: u32) -> Value {
    serde_json::from_str(&f.format(decimals)).unwrap_or(Value::Null)
}

fn io(e: std::io::Error) -> OpError {
    OpError::output(e)
}

fn pick_groups<'a, E>(
    groups: &'a [GroupTable<E>],
    wanted: Option<&str>,
) -> Result<Vec<&'a GroupTable<E>>, OpError> {
    match wanted {
        None => Ok(groups.iter().collect()),
        Some(w) => {
            let found: Vec<_> = groups.iter().filter(|g| g.group == w.trim()).collect();
            if found.is_empty() {
                let names: Vec<&str> = groups.iter().map(|g| g.group.as_str()).collect();
                Err(OpError::Usage(format!(
                    "没有组别「{w}」；现有组别：{} (no such group)",
                    names.join("、")
                )))
            } else {
                Ok(found)
            }
        }
    }
}

pub fn results(store: &Store, args: &ResultsArgs, out: &mut dyn Write) -> Result<(), OpError> {
    if let Some(w) = crate::report::tamper_warning(store).map_err(super::export::report_err)? {
        eprintln!("警告：{w}");
    }
    let results = commands::results(store)?;
    if args.overall {
        let setup = store.setup()?;
        let d = results.overall.decimals;
        let groups = pick_groups(&results.overall.groups, args.group.as_deref())?;
        let codes: Vec<(String, u32)> = setup
            .events
            .iter()
            .map(|e| (e.code.clone(), e.decimals))
            .collect();
        match args.format {
            Format::Json => {
                let groups: Vec<Value> = groups
                    .iter()
                    .map(|g| {
                        let entries: Vec<Value> = g
                            .entries
                            .iter()
                            .map(|e| overall_json(e, &codes, d))
                            .collect();
                        json!({"group": g.group, "entries": entries})
                    })
                    .collect();
                writeln!(
                    out,
                    "{}",
                    serde_json::to_string_pretty(&json!({"groups": groups})).unwrap_or_default()
                )
                .map_err(io)?;
            }
            Format::Table | Format::Csv => {
                use crate::report::result_table::{Kind, overall_table};
                let entries: Vec<&OverallEntry> =
                    groups.iter().flat_map(|g| g.entries.iter()).collect();
                let table = overall_table(&setup.events, d, &entries, Lang::Zh).select(
                    &[
                        vec![Kind::Group, Kind::Rank, Kind::Id, Kind::Name, Kind::School],
                        setup
                            .events
                            .iter()
                            .map(|e| Kind::EventScore(e.code.clone()))
                            .collect(),
                        vec![Kind::Total, Kind::Award, Kind::Note],
                    ]
                    .concat(),
                );
                let header: Vec<String> = table.columns.iter().map(|c| c.title.clone()).collect();
                let rows: Vec<Vec<String>> = table
                    .rows
                    .iter()
                    .map(|r| r.cells.iter().map(|c| c.plain()).collect())
                    .collect();
                let h: Vec<&str> = header.iter().map(String::as_str).collect();
                let text = if args.format == Format::Csv {
                    csv(&h, &rows)
                } else {
                    render(&h, &rows)
                };
                write!(out, "{text}").map_err(io)?;
            }
        }
        return Ok(());
    }
    let wanted = args.event.as_deref().unwrap_or_default();
    let event = store.find_event(wanted)?;
    let Some(er) = results.events.iter().find(|e| e.code == event.code) else {
        return Err(OpError::Usage(format!(
            "没有项目 {wanted} 的成绩 (no results)"
        )));
    };
    let d = er.decimals;
    let groups = pick_groups(&er.groups, args.group.as_deref())?;
    match args.format {
        Format::Json => {
            let groups: Vec<Value> = groups
                .iter()
                .map(|g| {
                    let entries: Vec<Value> = g.entries.iter().map(|e| event_json(e, d)).collect();
                    json!({"group": g.group, "entries": entries})
                })
                .collect();
            let doc = json!({"event": {"code": er.code, "name": er.name}, "groups": groups});
            writeln!(
                out,
                "{}",
                serde_json::to_string_pretty(&doc).unwrap_or_default()
            )
            .map_err(io)?;
        }
        Format::Table | Format::Csv => {
            // One column per panel judge, so a judge's scores line up down the table.
            let panel: Vec<String> = store
                .judges()?
                .into_iter()
                .filter(|j| j.events.contains(&er.code))
                .map(|j| j.id)
                .collect();
            let judges = crate::report::result_table::judge_ids(&panel, er);
            let entries: Vec<&EventEntry> = groups.iter().flat_map(|g| g.entries.iter()).collect();
            use crate::report::result_table::{Kind, event_table};
            let table = event_table(&event, er, &judges, &entries, Lang::Zh).select(&[
                Kind::Group,
                Kind::Rank,
                Kind::Id,
                Kind::Name,
                Kind::School,
                Kind::Judge(String::new()),
                Kind::Panel,
                Kind::Penalty,
                Kind::Final,
                Kind::Award,
                Kind::Note,
            ]);
            let mut header: Vec<String> = table.columns.iter().map(|c| c.title.clone()).collect();
            let text = if args.format == Format::Csv {
                // Plain numbers (a bracketed "(93.50)" reads as −93.5 in a spreadsheet); the
                // dropped scores are named in a column of their own.
                use crate::report::result_table::Mark;
                let mut rows: Vec<Vec<String>> = Vec::new();
                for r in &table.rows {
                    let mut row: Vec<String> = r.cells.iter().map(|c| c.text.clone()).collect();
                    row.push(crate::report::tables::dropped_titles(
                        &header,
                        r.cells.iter().map(|c| c.mark == Mark::Dropped),
                    ));
                    rows.push(row);
                }
                header.push(crate::report::tables::DROPPED_COLUMN.to_string());
                let h: Vec<&str> = header.iter().map(String::as_str).collect();
                csv(&h, &rows)
            } else {
                let rows: Vec<Vec<String>> = table
                    .rows
                    .iter()
                    .map(|r| r.cells.iter().map(|c| c.plain()).collect())
                    .collect();
                let h: Vec<&str> = header.iter().map(String::as_str).collect();
                render(&h, &rows)
            };
            write!(out, "{text}").map_err(io)?;
            if args.format == Format::Table {
                writeln!(
                    out,
                    "（括号内为去掉的最高分/最低分 — scores in brackets were dropped）"
                )
                .map_err(io)?;
            }
        }
    }
    Ok(())
}

fn event_json(e: &EventEntry, d: u32) -> Value {
    json!({
        "contestant": e.contestant,
        "name": e.name,
        "school": e.school,
        "scores": e.scores.iter().map(|s| json!({"judge": s.judge, "score": num(s.score, d), "dropped": s.dropped})).collect::<Vec<_>>(),
        "panel": e.panel.map(|p| num(p.round_to(d), d)),
        "penalty": num(e.penalty, d),
        "final": e.final_score.map(|f| num(f, d)),
        "rank": e.rank,
        "award": e.award,
        "provisional": e.provisional,
        "reason": (!e.pending.is_empty()).then(|| explain::pending_text(&e.pending, Lang::Zh)),
        "tie_flag": e.tie_flag,
        "award_decision": e.award_decision,
    })
}

fn overall_json(e: &OverallEntry, codes: &[(String, u32)], d: u32) -> Value {
    let mut events = serde_json::Map::new();
    for (code, dec) in codes {
        if let Some(score) = e.events.get(code) {
            events.insert(
                code.clone(),
                score.map(|s| num(s, *dec)).unwrap_or(Value::Null),
            );
        }
    }
    json!({
        "contestant": e.contestant,
        "name": e.name,
        "school": e.school,
        "events": events,
        "total": e.total.map(|t| num(t, d)),
        "rank": e.rank,
        "award": e.award,
        "provisional": e.provisional,
        "reason": (!e.unranked.is_empty()).then(|| explain::unranked_text(&e.unranked, Lang::Zh)),
        "tie_flag": e.tie_flag,
        "award_decision": e.award_decision,
    })
}

pub fn explain(
    store: &Store,
    contestant: &str,
    event: Option<&str>,
    lang: LangArg,
    out: &mut dyn Write,
) -> Result<(), OpError> {
    let lang = match lang {
        LangArg::Zh => Lang::Zh,
        LangArg::En => Lang::En,
    };
    let Some(c) = store.contestant(contestant.trim())? else {
        return Err(OpError::Usage(format!(
            "没有选手 {contestant} (no such contestant)"
        )));
    };
    let setup = store.setup()?;
    let results = commands::results(store)?;
    let (entries, overall) = explain::find(&results, &c.id);
    let header = match lang {
        Lang::Zh => format!("{} {}（{}，{}）", c.id, c.name, c.school, c.group()),
        Lang::En => format!("{} {} ({}, {})", c.id, c.name, c.school, c.group()),
    };
    writeln!(out, "{header}").map_err(io)?;
    let filter = match event {
        Some(e) => Some(store.find_event(e)?.code),
        None => None,
    };
    let mut shown = 0;
    for (code, entry) in entries {
        if filter.as_deref().is_some_and(|f| f != code) {
            continue;
        }
        writeln!(out).map_err(io)?;
        for line in explain::event_lines(entry, code, &setup, lang) {
            writeln!(out, "{line}").map_err(io)?;
        }
        shown += 1;
    }
    if filter.is_some() && shown == 0 {
        return Err(OpError::Usage(
            "该选手没有参加这个项目 (the contestant does not enter this event)".into(),
        ));
    }
    if filter.is_none()
        && let Some(o) = overall
    {
        writeln!(out).map_err(io)?;
        for line in explain::overall_lines(o, &setup, results.overall.decimals, lang) {
            writeln!(out, "{line}").map_err(io)?;
        }
    }
    Ok(())
}
