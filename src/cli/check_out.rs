//! `scoredesk check`: the report in words (what holds, what differs — table, row, field).

use std::io::Write;

use crate::store::check::{DifferenceKind, Report};

/// The most differences listed one by one (the count is always given).
const LISTED: usize = 40;

/// Prints the whole report.
pub fn print(r: &Report, out: &mut dyn Write) -> std::io::Result<()> {
    writeln!(out, "integrity_check: {}", r.integrity)?;
    match r.chain_break {
        None => writeln!(out, "审计链完整：{} 条，链头 {}", r.entries, r.head)?,
        Some(seq) => writeln!(out, "审计链断裂：第 {seq} 条被改动、删除或重算过")?,
    }
    if let Some((seq, why)) = &r.replay_break {
        writeln!(out, "成绩变更记录在第 {seq} 条处不连贯：{why}")?;
    }
    if r.differences.is_empty() {
        writeln!(out, "成绩数据与审计日志记录一致")?;
    } else {
        writeln!(
            out,
            "成绩数据与审计日志记录不一致（{} 处，未经本程序改动）：",
            r.differences.len()
        )?;
        for d in r.differences.iter().take(LISTED) {
            let what = if d.what.is_empty() {
                String::new()
            } else {
                format!("（{}）", d.what)
            };
            match &d.kind {
                DifferenceKind::Added => writeln!(
                    out,
                    "  表 {} 行 {}{}：多出（日志中没有这一行）",
                    d.table, d.key, what
                )?,
                DifferenceKind::Removed => {
                    writeln!(out, "  表 {} 行 {}{}：被删除", d.table, d.key, what)?
                }
                DifferenceKind::Changed(fields) => {
                    for (field, old, new) in fields {
                        writeln!(
                            out,
                            "  表 {} 行 {}{}：字段 {field} 记录为 {old}，现为 {new}",
                            d.table, d.key, what
                        )?;
                    }
                }
            }
        }
        if r.differences.len() > LISTED {
            writeln!(out, "  ……另有 {} 处", r.differences.len() - LISTED)?;
        }
    }
    if r.record_differences > 0 {
        writeln!(
            out,
            "程序的状态记录（state_row）有 {} 行与审计日志不符",
            r.record_differences
        )?;
    }
    for fk in &r.foreign_keys {
        writeln!(out, "外键：{fk}")?;
    }
    for s in &r.schema {
        writeln!(out, "表结构：{s}")?;
    }
    let s = &r.seals;
    if s.beyond_end {
        writeln!(
            out,
            "封记指向日志中已不存在的第 {} 条：审计日志的末尾被删除过",
            s.last_sealed.unwrap_or_default()
        )?;
    }
    match (s.last_sealed, s.verified, s.mismatch) {
        (None, _, _) => writeln!(
            out,
            "封记：无（组织者登录窗口或运行 scoredesk seal 时封记；未封记的记录只受无密钥的哈希链保护）"
        )?,
        (Some(last), false, _) => writeln!(
            out,
            "封记：{} 个，最新封记第 {last} 条，其后 {} 条未封记；加 --pin 可核对封记",
            s.count, s.unsealed_after
        )?,
        (Some(last), true, None) => writeln!(
            out,
            "封记：{} 个全部核对无误，最新封记第 {last} 条，其后 {} 条未封记",
            s.count, s.unsealed_after
        )?,
        (Some(_), true, Some(seq)) => writeln!(
            out,
            "封记不符：第 {seq} 条的封记与组织者 PIN 算出的不同（审计链被重算过，或 PIN 不对）"
        )?,
    }
    Ok(())
}

/// One line for the error exit.
pub fn summary(r: &Report) -> String {
    let mut parts = Vec::new();
    if r.integrity != "ok" {
        parts.push("SQLite 完整性检查失败".to_string());
    }
    if let Some(seq) = r.chain_break {
        parts.push(format!("审计链在第 {seq} 条断裂"));
    }
    if r.replay_break.is_some() {
        parts.push("成绩变更记录不连贯".into());
    }
    if !r.differences.is_empty() {
        parts.push(format!(
            "{} 处成绩数据与审计日志不一致",
            r.differences.len()
        ));
    }
    if r.record_differences > 0 {
        parts.push("状态记录被改动".into());
    }
    if !r.foreign_keys.is_empty() {
        parts.push(format!("{} 处外键错误", r.foreign_keys.len()));
    }
    if !r.schema.is_empty() {
        parts.push("表结构与 schema.sql 不同".into());
    }
    if r.seals.beyond_end {
        parts.push("审计日志末尾被删除".into());
    }
    if r.seals.mismatch.is_some() {
        parts.push("封记不符".into());
    }
    format!("检查未通过：{}", parts.join("；"))
}
