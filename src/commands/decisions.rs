//! Decisions on results: the head judge's penalties (扣分) and absences (缺席), and the
//! organiser's award decisions (人工决定等次). Each is checked; the same penalty or absence
//! twice (a double click) needs a confirmation before it is recorded again; removing one needs
//! a reason.

use super::Session;
use super::error::{CommandError, CommandResult, Confirm};
use crate::model::{Absence, AwardDecision, Fixed, OVERALL, Penalty};
use crate::store::Store;

/// Checks a penalty (known event and entrant, positive points within full marks, a reason)
/// and records it; the same one again needs `again`.
pub(super) fn add_penalty(
    store: &mut Store,
    p: &Penalty,
    again: bool,
    actor: &str,
) -> CommandResult<Penalty> {
    let ev = store.find_event(&p.event)?;
    let c = store.contestant(p.contestant.trim())?.ok_or_else(|| {
        CommandError::Invalid(format!("没有选手 {} (no such contestant)", p.contestant))
    })?;
    let enters = store
        .entries()?
        .iter()
        .any(|e| e.event == ev.code && e.contestant == c.id);
    if !enters {
        return Err(CommandError::Invalid(format!(
            "选手 {} 没有参加 {} (the contestant does not enter this event)",
            c.id, ev.code
        )));
    }
    if p.points <= Fixed::ZERO || p.points > ev.full_marks() {
        return Err(CommandError::Invalid(format!(
            "扣分必须大于 0 且不超过满分 {} (penalty must be positive and at most full marks)",
            ev.full_marks()
        )));
    }
    let reason = p.reason.trim();
    if reason.is_empty() {
        return Err(CommandError::Invalid(
            "扣分必须填写原因 (a penalty needs a reason)".into(),
        ));
    }
    let checked = Penalty {
        event: ev.code,
        contestant: c.id,
        points: p.points,
        reason: reason.to_string(),
    };
    let repeat = store.penalties()?.iter().any(|x| {
        x.event == checked.event && x.contestant == checked.contestant && x.reason == checked.reason
    });
    if repeat && !again {
        return Err(CommandError::NeedsConfirmation(Confirm::SamePenalty {
            event: checked.event,
            contestant: checked.contestant,
            reason: checked.reason,
            points: checked.points.to_string(),
        }));
    }
    store.add_penalty(&checked, actor)?;
    Ok(checked)
}

/// Checks an absence (the judge sits on the event's panel; a known contestant if one is
/// named; a reason) and records it; the same one again needs `again`.
pub(super) fn record_absence(
    store: &mut Store,
    a: &Absence,
    again: bool,
    actor: &str,
) -> CommandResult<Absence> {
    let ev = store.find_event(&a.event)?;
    let judge = a.judge.trim();
    let on_panel = store
        .judges()?
        .iter()
        .any(|j| j.id == judge && j.events.contains(&ev.code));
    if !on_panel {
        return Err(CommandError::Invalid(format!(
            "评委 {judge} 不在 {} 评审组 (the judge is not on this panel)",
            ev.code
        )));
    }
    let contestant = a.contestant.as_deref().map(str::trim);
    if let Some(c) = contestant
        && store.contestant(c)?.is_none()
    {
        return Err(CommandError::Invalid(format!(
            "没有选手 {c} (no such contestant)"
        )));
    }
    let reason = a.reason.trim();
    if reason.is_empty() {
        return Err(CommandError::Invalid(
            "缺席必须填写原因 (an absence needs a reason)".into(),
        ));
    }
    let checked = Absence {
        event: ev.code,
        judge: judge.to_string(),
        contestant: contestant.map(str::to_string),
        reason: reason.to_string(),
    };
    let repeat = store.absences()?.iter().any(|x| {
        x.event == checked.event && x.judge == checked.judge && x.contestant == checked.contestant
    });
    if repeat && !again {
        return Err(CommandError::NeedsConfirmation(Confirm::SameAbsence {
            event: checked.event,
            judge: checked.judge,
            contestant: checked.contestant,
        }));
    }
    store.add_absence(&checked, actor)?;
    Ok(checked)
}

fn need_reason(reason: &str) -> CommandResult<&str> {
    let r = reason.trim();
    if r.is_empty() {
        return Err(CommandError::Invalid(
            "撤销必须填写原因 (removing needs a reason)".into(),
        ));
    }
    Ok(r)
}

/// A recorded decision that can be removed (撤销).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Removable {
    Penalty,
    Absence,
}

/// Removes a recorded penalty or absence by its id, with a reason (head judge of its event,
/// or organiser); the audit log keeps what it was.
pub(super) fn remove(
    store: &mut Store,
    who: &Session,
    what: Removable,
    id: i64,
    reason: &str,
) -> CommandResult<()> {
    let event = match what {
        Removable::Penalty => store
            .penalties_with_ids()?
            .into_iter()
            .find(|(i, _)| *i == id)
            .map(|(_, p)| p.event),
        Removable::Absence => store
            .absences_with_ids()?
            .into_iter()
            .find(|(i, _)| *i == id)
            .map(|(_, a)| a.event),
    };
    let event = event.ok_or_else(|| {
        CommandError::Invalid(match what {
            Removable::Penalty => format!("没有扣分记录 {id} (no such penalty)"),
            Removable::Absence => format!("没有缺席记录 {id} (no such absence)"),
        })
    })?;
    who.may_correct(&event).map_err(CommandError::Forbidden)?;
    let reason = need_reason(reason)?;
    let actor = who.actor();
    match what {
        Removable::Penalty => drop(store.remove_penalty(id, reason, &actor)?),
        Removable::Absence => drop(store.remove_absence(id, reason, &actor)?),
    }
    Ok(())
}

/// Checks an award decision (known event or the overall table, an entrant of it, a tier of
/// the competition's awards or none, a reason) and records it, replacing an earlier one.
pub(super) fn decide_award(
    store: &mut Store,
    d: &AwardDecision,
    actor: &str,
) -> CommandResult<AwardDecision> {
    let event = match d.event.trim() {
        "综合" | "overall" | OVERALL => OVERALL.to_string(),
        code => store.find_event(code)?.code,
    };
    let c = store.contestant(d.contestant.trim())?.ok_or_else(|| {
        CommandError::Invalid(format!("没有选手 {} (no such contestant)", d.contestant))
    })?;
    if event != OVERALL
        && !store
            .entries()?
            .iter()
            .any(|e| e.event == event && e.contestant == c.id)
    {
        return Err(CommandError::Invalid(format!(
            "选手 {} 没有参加 {event} (the contestant does not enter this event)",
            c.id
        )));
    }
    let tiers: Vec<String> = store
        .setup()?
        .awards
        .tiers
        .iter()
        .map(|t| t.name.clone())
        .collect();
    let tier = d.tier.as_deref().map(str::trim).filter(|t| !t.is_empty());
    if let Some(t) = tier
        && !tiers.iter().any(|x| x == t)
    {
        return Err(CommandError::Invalid(format!(
            "没有这个等次：{t}（可选：{}）(no such award tier)",
            tiers.join("、")
        )));
    }
    let reason = d.reason.trim();
    if reason.is_empty() {
        return Err(CommandError::Invalid(
            "人工决定等次必须填写原因 (an award decision needs a reason)".into(),
        ));
    }
    let checked = AwardDecision {
        event,
        contestant: c.id,
        tier: tier.map(str::to_string),
        reason: reason.to_string(),
    };
    store.decide_award(&checked, actor)?;
    Ok(checked)
}
