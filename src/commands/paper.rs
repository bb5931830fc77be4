//! Paper fallback (SPEC §5, §6): a recorder (记分员) types a judge's paper sheet on the master;
//! a second recorder enters the same sheet blind; the sheet counts only when two different
//! recorders agree (`scoring::double_entry`); a disagreement is listed for the head judge or
//! organiser, who decides with a reason. Nobody confirms their own entry.

use super::error::{CommandError, CommandResult};
use super::{Role, Session};
use crate::clock;
use crate::model::{Fixed, Recorder, Sheet, SheetStatus};
use crate::scoring::double_entry::{self, Decision, PaperValues};
use crate::scoring::{self, eligibility};
use crate::store::{PaperEntry, Store};

/// What an entry did.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PaperOutcome {
    /// Waiting for a second recorder.
    Waiting,
    /// Two recorders agree: the sheet counts now.
    Counted,
    /// The recorders disagree: listed for the head judge.
    Disagree,
}

/// Adds a recorder (organiser only); `pin_hash` from `pins::make_pins`.
pub(super) fn add_recorder(
    store: &mut Store,
    who: &Session,
    recorder: &Recorder,
    pin_hash: &str,
) -> CommandResult<()> {
    who.require_organiser().map_err(CommandError::Forbidden)?;
    let id = recorder.id.trim();
    if id.is_empty() || recorder.name.trim().is_empty() {
        return Err(CommandError::Invalid(
            "记分员需要编号和姓名 (a recorder needs an id and a name)".into(),
        ));
    }
    let events = store.events()?;
    if let Some(bad) = recorder
        .events
        .iter()
        .find(|e| !events.iter().any(|x| &x.code == *e))
    {
        return Err(CommandError::Invalid(format!(
            "没有项目 {bad} (no such event)"
        )));
    }
    if store.judges()?.iter().any(|j| j.id == id) {
        return Err(CommandError::Invalid(format!(
            "编号 {id} 已是评委编号，请换一个 (the id is a judge's)"
        )));
    }
    store.add_recorder(
        &Recorder {
            id: id.to_string(),
            name: recorder.name.trim().to_string(),
            events: recorder.events.clone(),
        },
        pin_hash,
        &who.actor(),
    )?;
    Ok(())
}

/// One recorder's entry of `judge`'s paper sheet for `contestant` in `event`.
pub(super) fn enter(
    store: &mut Store,
    who: &Session,
    event: &str,
    contestant: &str,
    judge: &str,
    criteria: Vec<Option<Fixed>>,
) -> CommandResult<PaperOutcome> {
    let recorder = match (who.role, &who.recorder) {
        (Role::Recorder, Some(r)) => r.clone(),
        _ => {
            return Err(CommandError::Forbidden(
                "只有记分员可以录入纸质评分表 (only recorders enter paper sheets)".into(),
            ));
        }
    };
    if !who.sees_event(event) {
        return Err(CommandError::Forbidden(format!(
            "记分员 {recorder} 不负责项目 {event} (not this recorder's event)"
        )));
    }
    let ev = store.find_event(event)?;
    let j = store
        .judges()?
        .into_iter()
        .find(|x| x.id == judge)
        .ok_or_else(|| CommandError::Invalid(format!("没有评委 {judge} (no such judge)")))?;
    let c = store.contestant(contestant)?.ok_or_else(|| {
        CommandError::Invalid(format!("没有选手 {contestant} (no such contestant)"))
    })?;
    if !store.entrants(&ev.code)?.contains(&c.id) {
        return Err(CommandError::Invalid(format!(
            "选手 {} 没有参加 {} (the contestant does not enter this event)",
            c.id, ev.code
        )));
    }
    eligibility::may_score(&ev, &j, &c).map_err(|r| {
        CommandError::Forbidden(match r {
            eligibility::Refusal::NotOnPanel => {
                format!("评委 {} 不在「{}」评审组 (not on the panel)", j.id, ev.name)
            }
            eligibility::Refusal::Recused => format!(
                "回避：评委 {} 与选手 {} 同属 {}，不能评分 (recusal)",
                j.id, c.id, c.school
            ),
        })
    })?;
    if criteria.len() != ev.criteria.len() {
        return Err(CommandError::Invalid(
            "评分项数量不符 (wrong number of criteria)".into(),
        ));
    }
    for (i, v) in criteria.iter().enumerate() {
        if let Some(v) = v {
            scoring::validate_score(&ev, Some(i), *v)
                .map_err(|e| CommandError::Invalid(e.to_string()))?;
        }
    }
    let total =
        scoring::sheet_total(&ev, &criteria).map_err(|e| CommandError::Invalid(e.to_string()))?;
    if store
        .sheet(&ev.code, &c.id, &j.id)?
        .is_some_and(|s| s.status.counts())
    {
        return Err(CommandError::Invalid(format!(
            "{}/{}/{} 已有计入的评分表，不再录入 (the sheet already counts)",
            ev.code, c.id, j.id
        )));
    }
    let entry = PaperEntry {
        id: 0,
        event: ev.code.clone(),
        contestant: c.id.clone(),
        judge: j.id.clone(),
        recorder: recorder.clone(),
        criteria,
        total,
        entered_at: clock::now_rfc3339(),
    };
    // The recorder's new entry replaces their own earlier one; then decide.
    let mut entries: Vec<PaperEntry> = store
        .paper_entries(Some((&ev.code, &c.id, &j.id)))?
        .into_iter()
        .filter(|e| e.recorder != recorder)
        .collect();
    entries.push(entry.clone());
    let values: Vec<PaperValues<'_>> = entries
        .iter()
        .map(|e| PaperValues {
            recorder: &e.recorder,
            criteria: &e.criteria,
            total: e.total,
        })
        .collect();
    let decision = double_entry::decide(&values);
    let agreed = match &decision {
        Decision::Agreed {
            criteria,
            total,
            recorders,
        } => Some(Sheet {
            event: ev.code.clone(),
            contestant: c.id.clone(),
            judge: j.id.clone(),
            criteria: criteria.clone(),
            total: *total,
            status: SheetStatus::Submitted,
            entered_by: format!("paper:{}", recorders.join("+")),
            entered_at: clock::now_rfc3339(),
        }),
        _ => None,
    };
    store.enter_paper(&entry, agreed.as_ref(), &who.actor())?;
    Ok(match decision {
        Decision::Waiting => PaperOutcome::Waiting,
        Decision::Agreed { .. } => PaperOutcome::Counted,
        Decision::Disagree => PaperOutcome::Disagree,
    })
}

/// A disagreement decided by the head judge (of the event) or organiser: entry `entry_id`'s
/// values count, with a reason.
pub(super) fn resolve(
    store: &mut Store,
    who: &Session,
    entry_id: i64,
    reason: &str,
) -> CommandResult<()> {
    let entry = store
        .paper_entries(None)?
        .into_iter()
        .find(|e| e.id == entry_id)
        .ok_or_else(|| CommandError::Invalid(format!("没有录入记录 {entry_id} (no such entry)")))?;
    who.may_correct(&entry.event)
        .map_err(CommandError::Forbidden)?;
    if reason.trim().is_empty() {
        return Err(CommandError::Invalid(
            "处理不一致必须填写原因 (a reason is needed)".into(),
        ));
    }
    let sheet = Sheet {
        event: entry.event.clone(),
        contestant: entry.contestant.clone(),
        judge: entry.judge.clone(),
        criteria: entry.criteria.clone(),
        total: entry.total,
        status: SheetStatus::Submitted,
        entered_by: format!("paper:{}", entry.recorder),
        entered_at: clock::now_rfc3339(),
    };
    store.resolve_paper(&sheet, reason.trim(), &who.actor())?;
    Ok(())
}

/// Sheets whose entries disagree and that do not count yet: (event, contestant, judge) and
/// the entries.
pub fn disagreements(store: &Store) -> CommandResult<Vec<Vec<PaperEntry>>> {
    let mut out: Vec<Vec<PaperEntry>> = Vec::new();
    for e in store.paper_entries(None)? {
        match out.last_mut() {
            Some(group)
                if group.first().is_some_and(|g| {
                    (&g.event, &g.contestant, &g.judge) == (&e.event, &e.contestant, &e.judge)
                }) =>
            {
                group.push(e)
            }
            _ => out.push(vec![e]),
        }
    }
    let mut listed = Vec::new();
    for group in out {
        let Some(first) = group.first() else { continue };
        let counted = store
            .sheet(&first.event, &first.contestant, &first.judge)?
            .is_some_and(|s| s.status.counts());
        let values: Vec<PaperValues<'_>> = group
            .iter()
            .map(|e| PaperValues {
                recorder: &e.recorder,
                criteria: &e.criteria,
                total: e.total,
            })
            .collect();
        if !counted && double_entry::decide(&values) == Decision::Disagree {
            listed.push(group);
        }
    }
    Ok(listed)
}
