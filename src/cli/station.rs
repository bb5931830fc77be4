//! The command line's side of several devices: submitting as the judge into a kit (what the
//! station window does), and merging folders of packets into the master.

use std::io::Write;
use std::path::{Path, PathBuf};

use crate::commands::kits::KIT_JUDGE;
use crate::commands::packets::{MergeStatus, PACKET_EXTENSION};
use crate::commands::{self, CommandError, Outcome, Session};
use crate::import::{self, ScoreContext};
use crate::store::Store;

/// Submits the rows of `scores` as the kit's judge (PIN checked): the same validation and lock
/// as the station window. Returns the number of sheets submitted.
pub fn submit(kit: &Path, pin: &str, scores: &Path) -> Result<usize, CommandError> {
    let mut store = Store::open(kit)?;
    let judge_id = store.meta(KIT_JUDGE)?.ok_or_else(|| {
        CommandError::Usage(format!("{} 不是评分包 (not a judge kit)", kit.display()))
    })?;
    let judge = store
        .judges()?
        .into_iter()
        .find(|j| j.id == judge_id)
        .ok_or_else(|| CommandError::Usage("评分包中没有评委 (the kit has no judge)".into()))?;
    let hash = store.judge_pin_hash(&judge.id)?.unwrap_or_default();
    if !crate::pin::verify(pin.trim(), &hash) {
        return Err(CommandError::Forbidden("PIN 不正确 (wrong PIN)".into()));
    }
    let head = store.head_judges()?.contains(&judge.id);
    let who = Session::for_judge(&judge, head);
    let bytes = std::fs::read(scores).map_err(|e| CommandError::Read {
        path: scores.display().to_string(),
        reason: e.to_string(),
    })?;
    let events = store.events()?;
    let contestants = store.contestants()?;
    let judges = vec![judge.clone()];
    let entries = store
        .entries()?
        .into_iter()
        .map(|e| (e.event, e.contestant))
        .collect();
    let existing = store
        .sheets(false)?
        .into_iter()
        .filter(|s| s.status.counts())
        .map(|s| (s.event, s.contestant, s.judge))
        .collect();
    let ctx = ScoreContext {
        events: &events,
        contestants: &contestants,
        judges: &judges,
        entries: &entries,
        existing_sheets: &existing,
    };
    let name = scores
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let rows = import::parse_scores(&bytes, &name, &ctx)?;
    for r in &rows {
        let criteria = if r.criteria.is_empty() {
            // A total-only row: one value for a one-criterion rubric.
            vec![Some(r.total)]
        } else {
            r.criteria.clone()
        };
        commands::execute(
            &mut store,
            &who,
            commands::Command::SaveSheet {
                event: r.event.clone(),
                contestant: r.contestant.clone(),
                judge: judge.id.clone(),
                criteria,
                submit: true,
            },
        )?;
    }
    Ok(rows.len())
}

/// The packet files named: files as given, folders by their `.sdpkt` files (sorted, so a
/// station's packets merge oldest first).
fn packet_files(paths: &[PathBuf]) -> Result<Vec<PathBuf>, CommandError> {
    let mut out = Vec::new();
    for p in paths {
        if p.is_dir() {
            let mut found: Vec<PathBuf> = std::fs::read_dir(p)
                .map_err(|e| CommandError::Read {
                    path: p.display().to_string(),
                    reason: e.to_string(),
                })?
                .filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|f| f.extension().is_some_and(|x| x == PACKET_EXTENSION))
                .collect();
            found.sort();
            out.extend(found);
        } else {
            out.push(p.clone());
        }
    }
    Ok(out)
}

/// Merges every packet named, each on its own; reports each; fails (after merging the others)
/// when any was refused.
pub fn merge(file: &Path, paths: &[PathBuf], out: &mut dyn Write) -> Result<(), CommandError> {
    let io = CommandError::output;
    let files = packet_files(paths)?;
    if files.is_empty() {
        return Err(CommandError::Usage(
            "没有找到成绩包（*.sdpkt） (no packet files found)".into(),
        ));
    }
    let mut store = Store::open(file)?;
    let who = Session::organiser();
    let mut refused = Vec::new();
    for f in &files {
        let result = std::fs::read(f)
            .map_err(|e| CommandError::Read {
                path: f.display().to_string(),
                reason: e.to_string(),
            })
            .and_then(|bytes| {
                commands::execute(&mut store, &who, commands::Command::MergePacket(bytes))
            });
        match result {
            Ok(Outcome::Merged(r)) => {
                let what = match r.status {
                    MergeStatus::Merged => "已导入 (merged)",
                    MergeStatus::AlreadyMerged => "已导入过，未改动 (already merged)",
                    MergeStatus::Superseded => "已有更新的成绩包，未改动 (superseded)",
                };
                writeln!(
                    out,
                    "{}: {what} 评委 {} 序号 {}：{} 张，新增 {}，确认 {}，冲突 {}",
                    f.display(),
                    r.judge,
                    r.seq,
                    r.sheets,
                    r.added,
                    r.confirmed,
                    r.conflicts
                )
                .map_err(io)?;
            }
            Ok(_) => {}
            Err(e) => refused.push(format!("{}: {e}", f.display())),
        }
    }
    if refused.is_empty() {
        Ok(())
    } else {
        Err(CommandError::Rejected(format!(
            "{} 个成绩包被拒收 (packets refused):\n{}",
            refused.len(),
            refused.join("\n")
        )))
    }
}

/// Builds the kit's newest packet and posts it to the master until a receipt for exactly its
/// bytes comes back (or `tries` run out).
pub fn send(
    kit: &Path,
    master: Option<String>,
    tries: u32,
    out: &mut dyn Write,
) -> Result<(), CommandError> {
    let io = CommandError::output;
    let mut store = Store::open(kit)?;
    let master = match master {
        Some(m) => m,
        None => store
            .meta(crate::commands::kits::MASTER_ADDRESS)?
            .ok_or_else(|| {
                CommandError::Usage(
                    "评分包里没有主机地址，请用 --master 给出 (no master address; use --master)"
                        .into(),
                )
            })?,
    };
    let written = crate::commands::packets::build_packet(&mut store)?;
    let mut last = String::new();
    for attempt in 0..tries.max(1) {
        match crate::net::client::send(&master, &written.bytes, &written.hash) {
            Ok(receipt) => {
                writeln!(
                    out,
                    "已送达 (delivered): 序号 {}，{} 张，新增 {}，确认 {}，冲突 {}\nhash {}",
                    receipt.seq,
                    receipt.sheets,
                    receipt.added,
                    receipt.confirmed,
                    receipt.conflicts,
                    receipt.hash
                )
                .map_err(io)?;
                return Ok(());
            }
            Err(e) if !e.retry() => return Err(CommandError::Rejected(e.to_string())),
            Err(e) => {
                last = e.to_string();
                let wait = std::time::Duration::from_millis(200 * u64::from(attempt.min(10) + 1));
                std::thread::sleep(wait);
            }
        }
    }
    Err(CommandError::Usage(format!(
        "{tries} 次都未送达，成绩已保存在评分包里，稍后再发 (not delivered; the scores are safe in the kit): {last}"
    )))
}

/// `scoredesk paper`: a recorder's entries from a file, a decision, or the disagreements.
pub fn paper(
    file: &Path,
    recorder: Option<String>,
    pin: Option<String>,
    scores: Option<PathBuf>,
    resolve: Option<i64>,
    reason: Option<String>,
    out: &mut dyn Write,
) -> Result<(), CommandError> {
    use crate::commands::paper::PaperOutcome;
    let io = CommandError::output;
    let mut store = Store::open(file)?;
    if let Some(entry) = resolve {
        commands::execute(
            &mut store,
            &Session::organiser(),
            commands::Command::ResolvePaper {
                entry,
                reason: reason.unwrap_or_default(),
            },
        )?;
        writeln!(out, "已采用录入 {entry} (decided)").map_err(io)?;
        return Ok(());
    }
    let (Some(id), Some(pin), Some(scores)) = (recorder, pin, scores) else {
        for group in crate::commands::paper::disagreements(&store)? {
            for e in group {
                writeln!(
                    out,
                    "{}\t{}/{}/{}\t{}\t{}",
                    e.id, e.event, e.contestant, e.judge, e.recorder, e.total
                )
                .map_err(io)?;
            }
        }
        return Ok(());
    };
    let rec = store
        .recorders()?
        .into_iter()
        .find(|r| r.id == id)
        .ok_or_else(|| CommandError::Usage(format!("没有记分员 {id} (no such recorder)")))?;
    let hash = store.recorder_pin_hash(&rec.id)?.unwrap_or_default();
    if !crate::pin::verify(pin.trim(), &hash) {
        return Err(CommandError::Forbidden("PIN 不正确 (wrong PIN)".into()));
    }
    let who = Session::for_recorder(&rec);
    let bytes = std::fs::read(&scores).map_err(|e| CommandError::Read {
        path: scores.display().to_string(),
        reason: e.to_string(),
    })?;
    let events = store.events()?;
    let contestants = store.contestants()?;
    let judges = store.judges()?;
    let entries = store
        .entries()?
        .into_iter()
        .map(|e| (e.event, e.contestant))
        .collect();
    let existing = std::collections::HashSet::new();
    let ctx = ScoreContext {
        events: &events,
        contestants: &contestants,
        judges: &judges,
        entries: &entries,
        existing_sheets: &existing,
    };
    let name = scores
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let rows = import::parse_scores(&bytes, &name, &ctx)?;
    for r in rows {
        let criteria = if r.criteria.is_empty() {
            vec![Some(r.total)]
        } else {
            r.criteria.clone()
        };
        let outcome = commands::execute(
            &mut store,
            &who,
            commands::Command::EnterPaper {
                event: r.event.clone(),
                contestant: r.contestant.clone(),
                judge: r.judge.clone(),
                criteria,
            },
        )?;
        let what = match outcome {
            Outcome::Paper(PaperOutcome::Waiting) => {
                "已录入，等待第二位记分员 (waiting for the second entry)"
            }
            Outcome::Paper(PaperOutcome::Counted) => "两次录入一致，已计入 (both agree: counted)",
            Outcome::Paper(PaperOutcome::Disagree) => {
                "两次录入不一致，待裁判长处理 (disagree: listed)"
            }
            _ => "",
        };
        writeln!(out, "{}/{}/{}: {what}", r.event, r.contestant, r.judge).map_err(io)?;
    }
    Ok(())
}
