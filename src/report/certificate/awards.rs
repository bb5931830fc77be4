//! The awards to print: who gets which certificate, stable serial numbers from the
//! competition's year, selection by event and group, ordering into batches.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::model::Contestant;

use super::super::ReportError;
use super::super::data::{ReportData, pick_groups};
use super::super::layout::Orientation;
use super::*;

/// One award to print a certificate for.
#[derive(Clone, Debug, PartialEq)]
pub struct Award {
    /// e.g. 2025-E05-0001.
    pub serial: String,
    /// `None` for the overall (综合) award.
    pub event_code: Option<String>,
    /// The event's name, or 综合.
    pub event_name: String,
    pub event_order: usize,
    pub group: String,
    pub group_order: usize,
    pub rank: u32,
    /// 等次, e.g. 一等奖.
    pub award: String,
    pub contestant: Contestant,
    /// The rank is shared across an award boundary (a human decision is needed).
    pub tie_flag: bool,
}

/// The year used in serial numbers: the certificate date's year ([`certificate_date`]), so the
/// serial and the printed date always agree.
///
/// [`certificate_date`]: super::certificate_date
pub fn serial_year(data: &ReportData, now_unix: i64) -> i32 {
    super::certificate_date(data, now_unix).year
}

/// Every final award (single events in event order, then the overall), numbered
/// `{year}-{code}-{0001}` within each event code, sorted by (event order, group, rank,
/// contestant id) — the same data always gives the same numbers. Provisional awards get no
/// certificate; the second value says how many were left out.
pub fn awards(data: &ReportData, year: i32) -> (Vec<Award>, Vec<String>) {
    let groups = data.group_order();
    let group_order = |g: &str| groups.iter().position(|x| x == g).unwrap_or(usize::MAX);
    let mut out = Vec::new();
    let mut warnings = Vec::new();
    // (table name, number of provisional entries) — those get no certificate yet.
    let mut provisional: Vec<(String, usize)> = Vec::new();
    let mut ties = 0usize;
    let events = &data.results.events;
    for (order, er) in events.iter().enumerate() {
        let pending = er
            .groups
            .iter()
            .flat_map(|g| &g.entries)
            .filter(|e| e.provisional)
            .count();
        if pending > 0 {
            provisional.push((er.name.clone(), pending));
        }
        for g in &er.groups {
            for e in &g.entries {
                let (Some(award), Some(rank)) = (&e.award, e.rank) else {
                    continue;
                };
                if e.provisional {
                    continue;
                }
                let Some(c) = data.contestant(&e.contestant) else {
                    continue;
                };
                ties += usize::from(e.tie_flag);
                out.push(Award {
                    serial: String::new(),
                    event_code: Some(er.code.clone()),
                    event_name: er.name.clone(),
                    event_order: order,
                    group: g.group.clone(),
                    group_order: group_order(&g.group),
                    rank,
                    award: award.clone(),
                    contestant: c.clone(),
                    tie_flag: e.tie_flag,
                });
            }
        }
    }
    let pending = data.results.overall.provisional_count();
    if pending > 0 {
        provisional.push((OVERALL_NAME.to_string(), pending));
    }
    for g in &data.results.overall.groups {
        for e in &g.entries {
            let (Some(award), Some(rank)) = (&e.award, e.rank) else {
                continue;
            };
            if e.provisional {
                continue;
            }
            let Some(c) = data.contestant(&e.contestant) else {
                continue;
            };
            ties += usize::from(e.tie_flag);
            out.push(Award {
                serial: String::new(),
                event_code: None,
                event_name: OVERALL_NAME.into(),
                event_order: events.len(),
                group: g.group.clone(),
                group_order: group_order(&g.group),
                rank,
                award: award.clone(),
                contestant: c.clone(),
                tie_flag: e.tie_flag,
            });
        }
    }
    out.sort_by(|a, b| {
        (
            a.event_order,
            a.group_order,
            &a.group,
            a.rank,
            &a.contestant.id,
        )
            .cmp(&(
                b.event_order,
                b.group_order,
                &b.group,
                b.rank,
                &b.contestant.id,
            ))
    });
    let mut counters: BTreeMap<String, usize> = BTreeMap::new();
    for a in &mut out {
        let code = a.event_code.clone().unwrap_or_else(|| OVERALL_CODE.into());
        let n = counters.entry(code.clone()).or_default();
        *n += 1;
        a.serial = format!("{year}-{code}-{n:04}");
    }
    if !provisional.is_empty() {
        let list: Vec<String> = provisional
            .iter()
            .map(|(name, n)| format!("{name}（{n} 人）"))
            .collect();
        warnings.push(format!(
            "成绩仍是待定，其奖项暂不打印证书：{} (provisional results get no certificate yet)",
            list.join("、")
        ));
    }
    if ties > 0 {
        warnings.push(format!(
            "{ties} 个奖项是跨档并列，请人工确认 (ties across an award boundary need a decision)"
        ));
    }
    (out, warnings)
}

/// How certificates are ordered and batched.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum BatchBy {
    /// In serial-number order (event, group, rank).
    #[default]
    Serial,
    /// By group (组别), then event and rank.
    Group,
    /// By school (工作单位), then group, event and rank.
    School,
}

/// Certificate options.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct CertificateOptions {
    pub by: BatchBy,
    /// `None`: the template's orientation.
    pub orientation: Option<Orientation>,
    /// Pre-printed stock: only the stock layout's texts, moved by the offset.
    pub stock: bool,
    /// Overrides the template's stock offset (mm, right and down positive).
    pub offset: Option<(f32, f32)>,
    /// A template to use instead of the one in the file (TOML text).
    pub template: Option<String>,
}

/// The template to use: the one given, else the file's, else the built-in one.
pub fn effective_template(
    data: &ReportData,
    opts: &CertificateOptions,
) -> Result<Template, ReportError> {
    match opts.template.as_deref().or(data.template.as_deref()) {
        Some(t) => Template::parse(t),
        None => Ok(Template::builtin()),
    }
}

/// Resolves an image path against the competition file's folder and checks it exists.
pub(super) fn resolve_image(base: &Path, p: &str) -> Result<PathBuf, ReportError> {
    let path = Path::new(p.trim());
    let full = if path.is_absolute() {
        path.to_path_buf()
    } else {
        base.join(path)
    };
    if !full.is_file() {
        return Err(ReportError::ImageMissing { path: full });
    }
    Ok(full)
}

/// Awards selected by event (code, name, or ZH/综合 for the overall) and group.
pub fn select_awards(
    data: &ReportData,
    all: Vec<Award>,
    event: Option<&str>,
    group: Option<&str>,
) -> Result<Vec<Award>, ReportError> {
    let groups = data.group_order();
    if let Some(g) = group.map(str::trim).filter(|g| !g.is_empty()) {
        // Reuse the friendly unknown-group message.
        pick_groups(&data.results.overall.groups, Some(g), &groups)?;
    }
    let event_filter: Option<Option<String>> = match event.map(str::trim).filter(|e| !e.is_empty())
    {
        None => None,
        Some(e) if is_overall(e) => Some(None),
        Some(e) => match data.find_event(e) {
            Some(ev) => Some(Some(ev.code.clone())),
            None => {
                return Err(ReportError::Usage(format!(
                    "没有项目「{e}」；综合奖请用 ZH (no such event; ZH is the overall)"
                )));
            }
        },
    };
    Ok(all
        .into_iter()
        .filter(|a| event_filter.as_ref().is_none_or(|f| *f == a.event_code))
        .filter(|a| {
            group
                .map(str::trim)
                .is_none_or(|g| g.is_empty() || a.group == g)
        })
        .collect())
}

/// Whether an `--event` value means the overall table.
pub fn is_overall(e: &str) -> bool {
    matches!(
        e.trim(),
        "ZH" | "zh" | "综合" | "全能" | "overall" | "OVERALL"
    )
}

/// Orders awards for printing, returning batch titles with the index of their first award.
pub fn order_awards(awards: &mut [Award], by: BatchBy) -> Vec<(String, usize)> {
    match by {
        BatchBy::Serial => {}
        BatchBy::Group => awards.sort_by(|a, b| {
            (
                a.group_order,
                &a.group,
                a.event_order,
                a.rank,
                &a.contestant.id,
            )
                .cmp(&(
                    b.group_order,
                    &b.group,
                    b.event_order,
                    b.rank,
                    &b.contestant.id,
                ))
        }),
        BatchBy::School => awards.sort_by(|a, b| {
            (
                &a.contestant.school,
                a.group_order,
                a.event_order,
                a.rank,
                &a.contestant.id,
            )
                .cmp(&(
                    &b.contestant.school,
                    b.group_order,
                    b.event_order,
                    b.rank,
                    &b.contestant.id,
                ))
        }),
    }
    let key = |a: &Award| match by {
        BatchBy::Serial => a.event_name.clone(),
        BatchBy::Group => a.group.clone(),
        BatchBy::School => a.contestant.school.clone(),
    };
    let mut batches: Vec<(String, usize)> = Vec::new();
    let mut counts: Vec<usize> = Vec::new();
    for (i, a) in awards.iter().enumerate() {
        let k = key(a);
        if batches.last().is_none_or(|(last, _)| *last != k) {
            batches.push((k, i));
            counts.push(0);
        }
        if let Some(c) = counts.last_mut() {
            *c += 1;
        }
    }
    batches
        .into_iter()
        .zip(counts)
        .map(|((k, i), n)| (format!("{k}（{n} 张）"), i))
        .collect()
}
