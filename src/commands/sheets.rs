//! Score sheets: a judge's draft and submit, a correction by the head judge or organiser, and
//! the organiser's bulk import of sheets — each checked against the rubric and the rules of
//! `scoring::eligibility` before one transaction writes it.

use std::collections::HashSet;
use std::path::Path;

use super::error::{CommandError, CommandResult};
use super::{ImportSummary, Session, file_name, read};
use crate::import::{self, ScoreContext};
use crate::model::{Contestant, Event, Fixed, Judge, Sheet, SheetStatus};
use crate::store::Store;
use crate::{clock, scoring};

/// The event, judge and contestant a sheet names, or which one is unknown.
fn lookup(
    store: &Store,
    event: &str,
    judge: &str,
    contestant: &str,
) -> CommandResult<(Event, Judge, Contestant)> {
    let ev = store
        .events()?
        .into_iter()
        .find(|e| e.code == event)
        .ok_or_else(|| CommandError::Invalid(format!("没有项目 {event} (no such event)")))?;
    let j = store
        .judges()?
        .into_iter()
        .find(|j| j.id == judge)
        .ok_or_else(|| CommandError::Invalid(format!("没有评委 {judge} (no such judge)")))?;
    let c = store.contestant(contestant)?.ok_or_else(|| {
        CommandError::Invalid(format!("没有选手 {contestant} (no such contestant)"))
    })?;
    Ok((ev, j, c))
}

/// Every entered criterion score within its maximum and on the step.
fn check_scores(ev: &Event, criteria: &[Option<Fixed>]) -> CommandResult<()> {
    if criteria.len() != ev.criteria.len() {
        return Err(CommandError::Invalid(
            "评分项数量不符 (wrong number of criteria)".into(),
        ));
    }
    for (i, (v, c)) in criteria.iter().zip(&ev.criteria).enumerate() {
        if let Some(v) = v {
            scoring::validate_score(ev, Some(i), *v)
                .map_err(|e| CommandError::Invalid(format!("{}: {e}", c.name)))?;
        }
    }
    Ok(())
}

/// A judge's sheet saved as a draft (blanks allowed) or submitted (complete; locks it).
pub(super) fn save(
    store: &mut Store,
    who: &Session,
    event: &str,
    contestant: &str,
    judge: &str,
    criteria: Vec<Option<Fixed>>,
    submit: bool,
) -> CommandResult<()> {
    let (ev, j, c) = lookup(store, event, judge, contestant)?;
    who.may_write_sheet(&ev, &j, &c)
        .map_err(CommandError::Forbidden)?;
    check_scores(&ev, &criteria)?;
    let total = if submit {
        scoring::sheet_total(&ev, &criteria).map_err(|e| CommandError::Invalid(e.to_string()))?
    } else {
        criteria.iter().flatten().copied().sum()
    };
    let sheet = Sheet {
        event: ev.code,
        contestant: c.id,
        judge: j.id,
        criteria,
        total,
        status: if submit {
            SheetStatus::Submitted
        } else {
            SheetStatus::Draft
        },
        entered_by: who.actor(),
        entered_at: clock::now_rfc3339(),
    };
    store.save_sheet(&sheet, &who.actor())?;
    if submit {
        store.checkpoint()?;
    }
    Ok(())
}

/// A correction of a submitted sheet, with a reason (the old value stays in the audit log).
pub(super) fn correct(
    store: &mut Store,
    who: &Session,
    event: &str,
    contestant: &str,
    judge: &str,
    criteria: Vec<Option<Fixed>>,
    reason: &str,
) -> CommandResult<()> {
    who.may_correct(event).map_err(CommandError::Forbidden)?;
    if reason.trim().is_empty() {
        return Err(CommandError::Invalid(
            "更正必须填写原因 (a correction needs a reason)".into(),
        ));
    }
    let (ev, j, c) = lookup(store, event, judge, contestant)?;
    check_scores(&ev, &criteria)?;
    let total =
        scoring::sheet_total(&ev, &criteria).map_err(|e| CommandError::Invalid(e.to_string()))?;
    let sheet = Sheet {
        event: ev.code,
        contestant: c.id,
        judge: j.id,
        criteria,
        total,
        status: SheetStatus::Submitted,
        entered_by: who.actor(),
        entered_at: clock::now_rfc3339(),
    };
    store.correct_sheet(&sheet, reason.trim(), &who.actor())?;
    store.checkpoint()?;
    Ok(())
}

/// Imports submitted score sheets from CSV/XLSX; all or nothing.
pub(super) fn import(store: &mut Store, path: &Path, actor: &str) -> CommandResult<ImportSummary> {
    let bytes = read(path)?;
    let events = store.events()?;
    let contestants = store.contestants()?;
    let judges = store.judges()?;
    let entries: HashSet<(String, String)> = store
        .entries()?
        .into_iter()
        .map(|e| (e.event, e.contestant))
        .collect();
    let existing: HashSet<(String, String, String)> = store
        .sheets(false)?
        .into_iter()
        .map(|s| (s.event, s.contestant, s.judge))
        .collect();
    let ctx = ScoreContext {
        events: &events,
        contestants: &contestants,
        judges: &judges,
        entries: &entries,
        existing_sheets: &existing,
    };
    let rows = import::parse_scores(&bytes, &file_name(path), &ctx)?;
    super::roster::nothing_to_import(rows.len())?;
    let at = clock::now_rfc3339();
    let sheets: Vec<Sheet> = rows
        .into_iter()
        .map(|r| Sheet {
            event: r.event,
            contestant: r.contestant,
            judge: r.judge,
            criteria: r.criteria,
            total: r.total,
            status: SheetStatus::Submitted,
            entered_by: actor.to_string(),
            entered_at: at.clone(),
        })
        .collect();
    let imported = store.insert_sheets(&sheets, actor, "import-scores")?;
    Ok(ImportSummary {
        imported,
        warnings: Vec::new(),
    })
}
