//! Score packets on both sides: the station writes the judge's cumulative, signed packet
//! after each submit (and on demand); the master verifies and merges packets by the rules of
//! `sync::merge` — one transaction and one audit entry per packet — and the head judge or
//! organiser resolves the conflicts a merge lists.

use std::path::{Path, PathBuf};

use super::Session;
use super::error::{CommandError, CommandResult};
use super::kits::{COMPETITION_ID, KIT_JUDGE, KIT_VERSION, PACKET_KEY};
use crate::model::{Sheet, SheetStatus};
use crate::scoring::{self, eligibility};
use crate::store::{MergeWrite, PacketRecord, Store};
use crate::sync::merge::{self, Effect};
use crate::sync::packet::{self, Body, PacketSheet};
use crate::{clock, sync};

/// Station meta: its device id, the last packet's sequence number, where packets go.
pub const DEVICE_ID: &str = "device_id";
pub const PACKET_SEQ: &str = "packet_seq";
pub const PACKET_DIR: &str = "packet_dir";
/// The extension of packet files.
pub const PACKET_EXTENSION: &str = "sdpkt";

/// A packet as written by a station.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Written {
    pub file_name: String,
    pub bytes: Vec<u8>,
    /// SHA-256 of the bytes: what the master's receipt must name.
    pub hash: String,
    pub seq: u64,
    /// Submitted sheets in it.
    pub submitted: usize,
}

fn required(store: &Store, key: &str) -> CommandResult<String> {
    store.meta(key)?.ok_or_else(|| {
        CommandError::Invalid(format!(
            "这不是评分包文件（缺少 {key}），不能生成成绩包 (not a judge kit)"
        ))
    })
}

/// Builds the station's next packet: every sheet of the kit's judge, signed with the judge's
/// key; the sequence number (and, the first time, the device id) is stored in the kit first,
/// so a number is never reused for other contents.
pub fn build_packet(kit: &mut Store) -> CommandResult<Written> {
    let judge = required(kit, KIT_JUDGE)?;
    let competition = required(kit, COMPETITION_ID)?;
    let key = sync::unhex(&required(kit, PACKET_KEY)?).ok_or_else(|| {
        CommandError::Invalid("评分包的密钥已损坏 (the kit's key is damaged)".into())
    })?;
    let kit_version: u32 = required(kit, KIT_VERSION)?.parse().unwrap_or(0);
    let device = match kit.meta(DEVICE_ID)? {
        Some(d) => d,
        None => {
            let d = sync::random_hex(8).map_err(CommandError::Invalid)?;
            kit.set_meta(DEVICE_ID, &d, &judge)?;
            d
        }
    };
    let seq = kit
        .meta(PACKET_SEQ)?
        .and_then(|s| s.parse::<u64>().ok())
        .unwrap_or(0)
        + 1;
    kit.set_meta(PACKET_SEQ, &seq.to_string(), &judge)?;
    let sheets: Vec<PacketSheet> = kit
        .sheets_of_judge(&judge)?
        .into_iter()
        .filter(|s| s.status != SheetStatus::Voided)
        .map(|s| PacketSheet {
            event: s.event,
            contestant: s.contestant,
            status: if s.status.counts() {
                "submitted"
            } else {
                "draft"
            }
            .to_string(),
            revision: 1,
            criteria: s
                .criteria
                .iter()
                .map(|c| c.map(|v| v.to_string()))
                .collect(),
            total: s.total.to_string(),
            entered_at: s.entered_at,
        })
        .collect();
    let submitted = sheets.iter().filter(|s| s.status == "submitted").count();
    let body = Body {
        format: packet::FORMAT.to_string(),
        competition,
        kit_version,
        judge: judge.clone(),
        device,
        seq,
        time: clock::now_rfc3339(),
        sheets,
    };
    let bytes = packet::encode(body, &key).map_err(|e| CommandError::Invalid(e.to_string()))?;
    Ok(Written {
        file_name: format!("{judge}-{seq:06}.{PACKET_EXTENSION}"),
        hash: sync::sha256_hex(&bytes),
        bytes,
        seq,
        submitted,
    })
}

/// Remembers in the kit where the station's packets go (when it changed).
pub fn remember_packet_dir(kit: &mut Store, dir: &Path) -> CommandResult<()> {
    let text = dir.display().to_string();
    if kit.meta(PACKET_DIR)?.as_deref() != Some(text.as_str()) {
        let judge = required(kit, KIT_JUDGE)?;
        kit.set_meta(PACKET_DIR, &text, &judge)?;
    }
    Ok(())
}

/// Builds the next packet and writes it into `dir` (a USB stick); returns the file.
pub fn write_packet(kit: &mut Store, dir: &Path) -> CommandResult<(PathBuf, Written)> {
    if !dir.is_dir() {
        return Err(CommandError::Invalid(format!(
            "文件夹不存在：{}，请插好 U 盘或另选文件夹 (no such folder)",
            dir.display()
        )));
    }
    let written = build_packet(kit)?;
    let path = save_packet(dir, &written)?;
    Ok((path, written))
}

/// Writes a built packet into `dir` (atomically); returns the file.
pub fn save_packet(dir: &Path, written: &Written) -> CommandResult<PathBuf> {
    if !dir.is_dir() {
        return Err(CommandError::Invalid(format!(
            "文件夹不存在：{}，请插好 U 盘或另选文件夹 (no such folder)",
            dir.display()
        )));
    }
    let path = dir.join(&written.file_name);
    crate::report::write::write_atomic(&path, &written.bytes)
        .map_err(|e| CommandError::Invalid(e.to_string()))?;
    Ok(path)
}

/// Remembers in the kit the master's address on the venue network.
pub fn remember_master(kit: &mut Store, address: &str) -> CommandResult<()> {
    let judge = required(kit, KIT_JUDGE)?;
    kit.set_meta(super::kits::MASTER_ADDRESS, address.trim(), &judge)?;
    Ok(())
}

/// What merging one packet did.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MergeReport {
    /// SHA-256 of the packet's bytes (the receipt).
    pub hash: String,
    pub judge: String,
    pub device: String,
    pub seq: u64,
    pub status: MergeStatus,
    pub sheets: usize,
    pub added: usize,
    pub confirmed: usize,
    pub conflicts: usize,
}

/// Whether a packet changed the master.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MergeStatus {
    /// Merged now (in one transaction with its audit entry).
    Merged,
    /// The same packet was merged before: nothing changed.
    AlreadyMerged,
    /// A newer packet from the same station was merged before: nothing changed.
    Superseded,
}

fn rejected(reason: impl Into<String>) -> CommandError {
    CommandError::Rejected(reason.into())
}

/// Verifies and merges one packet (its exact bytes) into the master.
pub(super) fn merge(store: &mut Store, who: &Session, bytes: &[u8]) -> CommandResult<MergeReport> {
    who.require_organiser().map_err(CommandError::Forbidden)?;
    let parsed = packet::parse(bytes).map_err(|e| rejected(e.to_string()))?;
    let body = &parsed.body;
    let report = |status, added, confirmed, conflicts| MergeReport {
        hash: parsed.hash.clone(),
        judge: body.judge.clone(),
        device: body.device.clone(),
        seq: body.seq,
        status,
        sheets: body.sheets.len(),
        added,
        confirmed,
        conflicts,
    };
    if let Some(seen) = store.packet_seen(&parsed.hash)? {
        return Ok(report(
            MergeStatus::AlreadyMerged,
            seen.added,
            seen.confirmed,
            seen.conflicts,
        ));
    }
    let ours = store.meta(COMPETITION_ID)?;
    if ours.as_deref() != Some(body.competition.as_str()) {
        return Err(rejected(format!(
            "成绩包来自另一场比赛（比赛编号 {}），不能导入本文件；请确认打开的是正确的比赛文件 (the packet belongs to another competition)",
            body.competition
        )));
    }
    let Some(judge) = store.judges()?.into_iter().find(|j| j.id == body.judge) else {
        return Err(rejected(format!(
            "成绩包中的评委 {} 不在本比赛中，已整包拒收 (unknown judge)",
            body.judge
        )));
    };
    let Some((key_hex, kit_version)) = store.judge_key(&judge.id)? else {
        return Err(rejected(format!(
            "没有为评委 {} 导出过评分包，无法验证签名 (no kit was exported for this judge)",
            judge.id
        )));
    };
    let key = sync::unhex(&key_hex).ok_or_else(|| rejected("评委密钥已损坏 (damaged key)"))?;
    parsed
        .verify(&key)
        .map_err(|e| rejected(format!("评委 {}：{e}", judge.id)))?;
    if body.kit_version > kit_version {
        return Err(rejected(format!(
            "成绩包的评分包版本 {} 比本文件导出的 {kit_version} 还新，已拒收 (unknown kit version)",
            body.kit_version
        )));
    }
    if store
        .last_packet_seq(&judge.id, &body.device)?
        .is_some_and(|last| last >= body.seq)
    {
        return Ok(report(MergeStatus::Superseded, 0, 0, 0));
    }

    // Every sheet must be one the judge's kit held, with valid scores; else the packet is
    // refused whole.
    let events = store.events()?;
    let mut entrants: std::collections::HashMap<String, std::collections::HashSet<String>> =
        std::collections::HashMap::new();
    for code in &judge.events {
        entrants.insert(code.clone(), store.entrants(code)?);
    }
    let contestants: std::collections::HashMap<String, crate::model::Contestant> = store
        .contestants()?
        .into_iter()
        .map(|c| (c.id.clone(), c))
        .collect();
    let mine: std::collections::HashMap<(String, String), Sheet> = store
        .sheets_of_judge(&judge.id)?
        .into_iter()
        .map(|s| ((s.event.clone(), s.contestant.clone()), s))
        .collect();
    let mut write = MergeWrite::default();
    let entered_by = format!("{}{}", merge::FROM_PACKET, body.device);
    for ps in &body.sheets {
        let foreign = || {
            rejected(format!(
                "成绩包含有评委 {} 的评分包里没有的评分 {}/{}，已整包拒收 (a sheet the kit did not hold)",
                judge.id, ps.event, ps.contestant
            ))
        };
        let ev = events
            .iter()
            .find(|e| e.code == ps.event)
            .ok_or_else(foreign)?;
        let c = contestants.get(&ps.contestant).ok_or_else(foreign)?;
        if !entrants
            .get(&ev.code)
            .is_some_and(|set| set.contains(&c.id))
            || eligibility::may_score(ev, &judge, c).is_err()
        {
            return Err(foreign());
        }
        let (criteria, total) = merge::values(ps).map_err(rejected)?;
        let submitted = match ps.status.as_str() {
            "submitted" => true,
            "draft" => false,
            other => {
                return Err(rejected(format!(
                    "未知的评分表状态 {other} (unknown status)"
                )));
            }
        };
        if criteria.len() != ev.criteria.len() {
            return Err(rejected(format!(
                "{}/{}：评分项数量与本文件的评分标准不符 (the rubric differs)",
                ps.event, ps.contestant
            )));
        }
        for (i, v) in criteria.iter().enumerate() {
            if let Some(v) = v {
                scoring::validate_score(ev, Some(i), *v)
                    .map_err(|e| rejected(format!("{}/{}: {e}", ps.event, ps.contestant)))?;
            }
        }
        if submitted {
            let sum = scoring::sheet_total(ev, &criteria)
                .map_err(|e| rejected(format!("{}/{}: {e}", ps.event, ps.contestant)))?;
            if sum != total {
                return Err(rejected(format!(
                    "{}/{}：总分 {total} 与各项之和 {sum} 不符 (the total differs from the sum)",
                    ps.event, ps.contestant
                )));
            }
        }
        let master = mine.get(&(ps.event.clone(), ps.contestant.clone()));
        let sheet = Sheet {
            event: ev.code.clone(),
            contestant: c.id.clone(),
            judge: judge.id.clone(),
            criteria,
            total,
            status: SheetStatus::Submitted,
            entered_by: entered_by.clone(),
            entered_at: ps.entered_at.clone(),
        };
        match merge::effect(submitted, &sheet.criteria, total, master) {
            Effect::Add => write.add.push(sheet),
            Effect::Confirm => write
                .confirm
                .push((sheet.event, sheet.contestant, sheet.judge)),
            Effect::Conflict => write.conflicts.push(sheet),
            Effect::Same | Effect::Skip => {}
        }
    }
    let record = PacketRecord {
        hash: parsed.hash.clone(),
        judge: judge.id.clone(),
        device: body.device.clone(),
        seq: body.seq,
        sent_at: body.time.clone(),
        received_at: clock::now_rfc3339(),
        sheets: body.sheets.len(),
        added: write.add.len(),
        confirmed: write.confirm.len(),
        conflicts: write.conflicts.len(),
    };
    store.merge_packet(&record, &write, &who.actor())?;
    Ok(report(
        MergeStatus::Merged,
        record.added,
        record.confirmed,
        record.conflicts,
    ))
}

/// Resolves a conflict: keep the master's value or take the packet's, with a reason.
pub(super) fn resolve(
    store: &mut Store,
    who: &Session,
    id: i64,
    take: bool,
    reason: &str,
) -> CommandResult<()> {
    let conflict = store
        .conflicts(true)?
        .into_iter()
        .find(|c| c.id == id)
        .ok_or_else(|| {
            CommandError::Invalid(format!("没有待处理的冲突 {id} (no such open conflict)"))
        })?;
    who.may_correct(&conflict.event)
        .map_err(CommandError::Forbidden)?;
    if reason.trim().is_empty() {
        return Err(CommandError::Invalid(
            "处理冲突必须填写原因 (resolving a conflict needs a reason)".into(),
        ));
    }
    store.resolve_conflict(id, take, reason.trim(), &who.actor())?;
    store.checkpoint()?;
    Ok(())
}
