//! The roster: importing contestants and judges (judges with their PINs in the same
//! transaction), editing a contestant, panels and head judges, and new PINs.

use std::collections::HashSet;
use std::path::Path;

use super::error::{CommandError, CommandResult};
use super::pins::{self, PinSlip};
use super::{ImportSummary, file_name, read};
use crate::model::{Contestant, Judge};
use crate::store::Store;
use crate::{import, model};

/// A file with a header and no rows writes nothing (not even an audit entry) and says so.
pub(super) fn nothing_to_import(rows: usize) -> CommandResult<()> {
    if rows == 0 {
        return Err(CommandError::Invalid(
            "文件中没有可导入的行，未做任何更改 (nothing to import)".into(),
        ));
    }
    Ok(())
}

/// Imports contestants from CSV/XLSX; all or nothing.
pub(super) fn import_contestants(
    store: &mut Store,
    path: &Path,
    actor: &str,
) -> CommandResult<ImportSummary> {
    let bytes = read(path)?;
    let existing: HashSet<String> = store.contestants()?.into_iter().map(|c| c.id).collect();
    let (list, warnings) = import::parse_contestants(&bytes, &file_name(path), &existing)?;
    nothing_to_import(list.len())?;
    let imported = store.add_contestants(&list, actor)?;
    Ok(ImportSummary {
        imported,
        warnings: warnings.iter().map(ToString::to_string).collect(),
    })
}

/// The judges a file would add, checked against the file (nothing is written): for making
/// their PINs before the import itself commits judges and PINs together.
pub fn judges_to_import(store: &Store, path: &Path) -> CommandResult<(Vec<Judge>, Vec<String>)> {
    let bytes = read(path)?;
    let events = store.events()?;
    let existing: HashSet<String> = store.judges()?.into_iter().map(|j| j.id).collect();
    let (list, warnings) = import::parse_judges(&bytes, &file_name(path), &events, &existing)?;
    Ok((list, warnings.iter().map(ToString::to_string).collect()))
}

/// Imports judges and their PIN hashes (made beforehand by [`pins::make_pins`] for exactly
/// the judges [`judges_to_import`] named) in one transaction; all or nothing.
pub(super) fn import_judges(
    store: &mut Store,
    path: &Path,
    pin_hashes: &[(String, String)],
    actor: &str,
) -> CommandResult<ImportSummary> {
    let (list, warnings) = judges_to_import(store, path)?;
    nothing_to_import(list.len())?;
    let ids: HashSet<&str> = list.iter().map(|j| j.id.as_str()).collect();
    let hashed: HashSet<&str> = pin_hashes.iter().map(|(id, _)| id.as_str()).collect();
    if !pin_hashes.is_empty() && ids != hashed {
        return Err(CommandError::Invalid(
            "导入文件在生成 PIN 之后被改动过，请重新导入 (the file changed while PINs were made; import again)"
                .into(),
        ));
    }
    let imported = store.add_judges(&list, pin_hashes, actor)?;
    Ok(ImportSummary { imported, warnings })
}

/// Imports judges from a file, making and hashing a PIN for each new judge first; returns
/// the PINs to hand out (shown once).
pub fn import_judges_with_pins(
    store: &mut Store,
    who: &super::Session,
    path: &Path,
) -> CommandResult<(ImportSummary, Vec<PinSlip>)> {
    who.require_organiser().map_err(CommandError::Forbidden)?;
    let (list, _) = judges_to_import(store, path)?;
    let names: Vec<(String, String)> = list
        .iter()
        .map(|j| (j.id.clone(), j.name.clone()))
        .collect();
    let (slips, hashes) = pins::make_pins(&names, &|_, _| {})?;
    let summary = import_judges(store, path, &hashes, &who.actor())?;
    Ok((summary, slips))
}

/// New PINs for these judges (all when `ids` is empty), hashed first, then stored in one
/// transaction; returns the PINs to hand out.
pub fn reset_pins(
    store: &mut Store,
    who: &super::Session,
    ids: &[String],
) -> CommandResult<Vec<PinSlip>> {
    who.require_organiser().map_err(CommandError::Forbidden)?;
    let judges = store.judges()?;
    let chosen: Vec<(String, String)> = if ids.is_empty() {
        judges
            .iter()
            .map(|j| (j.id.clone(), j.name.clone()))
            .collect()
    } else {
        ids.iter()
            .map(|id| {
                judges
                    .iter()
                    .find(|j| &j.id == id)
                    .map(|j| (j.id.clone(), j.name.clone()))
                    .ok_or_else(|| CommandError::Invalid(format!("没有评委 {id} (no such judge)")))
            })
            .collect::<CommandResult<_>>()?
    };
    let (slips, hashes) = pins::make_pins(&chosen, &|_, _| {})?;
    store.set_pin_hashes(&hashes, &who.actor())?;
    Ok(slips)
}

/// Saves an edited contestant.
/// Checks a contestant typed in the window like a roster row: a 编号 (full-width folded to
/// ASCII), a name, and no text too long or holding invisible characters.
fn check_contestant(c: &mut Contestant) -> CommandResult<()> {
    c.id = crate::import::ascii_digits(c.id.trim());
    c.name = c.name.trim().to_string();
    if c.id.is_empty() {
        return Err(CommandError::Invalid("编号不能为空 (empty id)".into()));
    }
    if c.name.is_empty() {
        return Err(CommandError::Invalid("姓名不能为空 (empty name)".into()));
    }
    for (label, value, max) in [
        ("编号", c.id.as_str(), 32),
        ("姓名", c.name.as_str(), 64),
        ("学科", c.subject.as_str(), 32),
        ("工作单位", c.school.as_str(), 128),
        ("县（市、区）", c.county.as_str(), 64),
        ("联系电话", c.phone.as_str(), 32),
    ] {
        if let Some(problem) = crate::import::text_problem(label, value, max) {
            return Err(CommandError::Invalid(problem));
        }
    }
    if c.subject.trim().is_empty() {
        return Err(CommandError::Invalid("学科不能为空 (empty subject)".into()));
    }
    Ok(())
}

/// Adds one contestant entering `events` (codes).
pub(super) fn add_contestant(
    store: &mut Store,
    mut c: Contestant,
    events: &[String],
    actor: &str,
) -> CommandResult<()> {
    check_contestant(&mut c)?;
    if store.contestants()?.iter().any(|x| x.id == c.id) {
        return Err(CommandError::Invalid(format!(
            "编号 {} 已被使用 (the id is taken)",
            c.id
        )));
    }
    if events.is_empty() {
        return Err(CommandError::Invalid(
            "请至少选择一个参赛项目 (choose at least one event)".into(),
        ));
    }
    store.add_contestant(&c, events, actor)?;
    Ok(())
}

pub(super) fn update_contestant(
    store: &mut Store,
    c: &Contestant,
    actor: &str,
) -> CommandResult<()> {
    let mut c = c.clone();
    check_contestant(&mut c)?;
    store.update_contestant(&c, actor)?;
    Ok(())
}

/// Checks that `judges` exist before seating them on `event`'s panel.
pub(super) fn set_panel(
    store: &mut Store,
    event: &str,
    judges: &[String],
    actor: &str,
) -> CommandResult<()> {
    let ev = store.find_event(event)?;
    let known: HashSet<String> = store.judges()?.into_iter().map(|j| j.id).collect();
    if let Some(unknown) = judges.iter().find(|j| !known.contains(*j)) {
        return Err(CommandError::Invalid(format!(
            "没有评委 {unknown} (no such judge)"
        )));
    }
    store.set_panel(&ev.code, judges, actor)?;
    Ok(())
}

/// Marks or unmarks a head judge (裁判长).
pub(super) fn set_head_judge(
    store: &mut Store,
    judge: &str,
    head: bool,
    actor: &str,
) -> CommandResult<()> {
    if !store.judges()?.iter().any(|j: &model::Judge| j.id == judge) {
        return Err(CommandError::Invalid(format!(
            "没有评委 {judge} (no such judge)"
        )));
    }
    store.set_head_judge(judge, head, actor)?;
    Ok(())
}
