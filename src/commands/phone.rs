//! Judges on phones (扫码打分): the join tokens in the QR codes, sessions opened with a token
//! and the judge's PIN, the judge's queue, and a phone's sheet turned into a packet signed with
//! the judge's key and merged through the same merge as every other packet. A phone page on
//! plain `http://` cannot sign (no WebCrypto outside a secure context), so the master signs for
//! it, after the token + PIN session has identified the judge.

use serde::Serialize;

use super::error::{CommandError, CommandResult};
use super::kits::{self, COMPETITION_ID};
use super::packets::{self, MergeReport};
use super::{Session, pins::PinSlip};
use crate::model::SheetStatus;
use crate::scoring::eligibility;
use crate::store::Store;
use crate::sync::packet::{self, Body, PacketSheet};
use crate::{scoring, sync};

/// Join tokens for these judges (all when empty): (judge id, name, token).
pub fn issue_tokens(
    store: &mut Store,
    who: &Session,
    judges: &[String],
    revoke: bool,
) -> CommandResult<Vec<PinSlip>> {
    who.require_organiser().map_err(CommandError::Forbidden)?;
    let all = store.judges()?;
    let ids: Vec<String> = if judges.is_empty() {
        all.iter().map(|j| j.id.clone()).collect()
    } else {
        judges.to_vec()
    };
    if let Some(bad) = ids.iter().find(|id| !all.iter().any(|j| &j.id == *id)) {
        return Err(CommandError::Invalid(format!(
            "没有评委 {bad} (no such judge)"
        )));
    }
    let pairs = store.issue_tokens(&ids, revoke, &mut || sync::random_hex(16), &who.actor())?;
    Ok(pairs
        .into_iter()
        .map(|(id, token)| {
            let name = all
                .iter()
                .find(|j| j.id == id)
                .map(|j| j.name.clone())
                .unwrap_or_default();
            (id, name, token)
        })
        .collect())
}

/// The join URL of a token on a master reachable at `base` (`http://192.168.1.10:8808/`).
pub fn join_url(base: &str, token: &str) -> String {
    format!("{}/?t={token}", base.trim_end_matches('/'))
}

/// The judge and PIN hash a token names (for the caller to check the PIN, off the writer).
pub fn token_judge(store: &Store, token: &str) -> CommandResult<Option<(String, String, String)>> {
    let Some(judge) = store.judge_of_token(token.trim())? else {
        return Ok(None);
    };
    let name = store
        .judges()?
        .into_iter()
        .find(|j| j.id == judge)
        .map(|j| j.name)
        .unwrap_or_default();
    let hash = store.judge_pin_hash(&judge)?.unwrap_or_default();
    Ok(Some((judge, name, hash)))
}

/// Opens a session for a judge whose PIN was checked; returns its id.
pub fn open_session(store: &mut Store, judge: &str) -> CommandResult<String> {
    let id = sync::random_hex(16).map_err(CommandError::Invalid)?;
    store.open_phone_session(&id, judge)?;
    Ok(id)
}

/// One criterion as the page shows it.
#[derive(Clone, Debug, Serialize)]
pub struct PageCriterion {
    pub name: String,
    pub max: String,
}

/// One contestant in the page's queue.
#[derive(Clone, Debug, Serialize)]
pub struct PageItem {
    pub contestant: String,
    pub code: String,
    /// Empty for blind events.
    pub name: String,
    /// `submitted` once the judge's sheet counts on the master.
    pub status: String,
}

/// One of the judge's events.
#[derive(Clone, Debug, Serialize)]
pub struct PageEvent {
    pub code: String,
    pub name: String,
    pub blind: bool,
    pub step: String,
    pub criteria: Vec<PageCriterion>,
    pub queue: Vec<PageItem>,
}

/// What the page shows.
#[derive(Clone, Debug, Serialize)]
pub struct PageQueue {
    pub judge: String,
    pub events: Vec<PageEvent>,
}

/// The session's judge, or `Forbidden`.
pub fn session_judge(store: &Store, session: &str) -> CommandResult<String> {
    store
        .judge_of_session(session)?
        .ok_or_else(|| CommandError::Forbidden("请重新登录 (log in again)".into()))
}

/// The judge's queue: each panel event's contestants the judge may score, in draw order,
/// codes only for blind events.
pub fn queue(store: &Store, session: &str) -> CommandResult<PageQueue> {
    let judge_id = session_judge(store, session)?;
    let judge = store
        .judges()?
        .into_iter()
        .find(|j| j.id == judge_id)
        .ok_or_else(|| CommandError::Forbidden("请重新登录 (log in again)".into()))?;
    let contestants: std::collections::HashMap<String, crate::model::Contestant> = store
        .contestants()?
        .into_iter()
        .map(|c| (c.id.clone(), c))
        .collect();
    let mine: std::collections::HashMap<(String, String), SheetStatus> = store
        .sheets_of_judge(&judge.id)?
        .into_iter()
        .map(|s| ((s.event, s.contestant), s.status))
        .collect();
    let mut entries = store.entries()?;
    entries.sort_by_key(|e| e.draw_order.unwrap_or(u32::MAX));
    let mut events = Vec::new();
    for ev in store
        .events()?
        .into_iter()
        .filter(|e| judge.events.contains(&e.code))
    {
        let queue = entries
            .iter()
            .filter(|e| e.event == ev.code)
            .filter_map(|e| {
                let c = contestants.get(&e.contestant)?;
                eligibility::may_score(&ev, &judge, c).ok()?;
                let status = mine
                    .get(&(ev.code.clone(), c.id.clone()))
                    .filter(|s| s.counts())
                    .map_or("", |_| "submitted");
                Some(PageItem {
                    contestant: c.id.clone(),
                    code: e.anon_code.clone().unwrap_or_else(|| c.id.clone()),
                    name: if ev.blind {
                        String::new()
                    } else {
                        c.name.clone()
                    },
                    status: status.into(),
                })
            })
            .collect();
        events.push(PageEvent {
            code: ev.code.clone(),
            name: ev.name.clone(),
            blind: ev.blind,
            step: ev.step.to_string(),
            criteria: ev
                .criteria
                .iter()
                .map(|c| PageCriterion {
                    name: c.name.clone(),
                    max: c.max.to_string(),
                })
                .collect(),
            queue,
        });
    }
    Ok(PageQueue {
        judge: judge.id,
        events,
    })
}

/// A sheet sent by the page.
#[derive(Clone, Debug, serde::Deserialize)]
pub struct PageSheet {
    /// The page's own id for this submission (resent unchanged until receipted).
    pub id: String,
    pub event: String,
    pub contestant: String,
    pub criteria: Vec<Option<String>>,
    pub entered_at: String,
}

/// Turns a phone's sheet into the judge's packet (device `phone:ID`, so a resend is the same
/// packet byte for byte) signed with the judge's key, and merges it like any packet.
pub fn submit(store: &mut Store, session: &str, sheet: &PageSheet) -> CommandResult<MergeReport> {
    let judge = session_judge(store, session)?;
    let id: String = sheet
        .id
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || *c == '-')
        .take(64)
        .collect();
    if id.is_empty() {
        return Err(CommandError::Invalid(
            "缺少提交编号 (no submission id)".into(),
        ));
    }
    let ev = store.find_event(&sheet.event)?;
    let criteria = sheet
        .criteria
        .iter()
        .map(|c| c.as_deref().map(crate::model::Fixed::parse).transpose())
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| CommandError::Invalid(e.to_string()))?;
    let total =
        scoring::sheet_total(&ev, &criteria).map_err(|e| CommandError::Invalid(e.to_string()))?;
    let organiser = Session::organiser();
    let competition = match store.meta(COMPETITION_ID)? {
        Some(c) => c,
        None => kits::competition_id(store, &organiser.actor())?,
    };
    let (key, kit_version) = match store.judge_key(&judge)? {
        Some(k) => k,
        None => {
            let fresh = sync::random_hex(32).map_err(CommandError::Invalid)?;
            store.issue_kit(&judge, &fresh, false, &organiser.actor())?
        }
    };
    let key = sync::unhex(&key).ok_or_else(|| CommandError::Invalid("damaged key".into()))?;
    let body = Body {
        format: packet::FORMAT.into(),
        competition,
        kit_version,
        judge,
        device: format!("phone:{id}"),
        seq: 1,
        time: sheet.entered_at.clone(),
        sheets: vec![PacketSheet {
            event: ev.code.clone(),
            contestant: sheet.contestant.clone(),
            status: "submitted".into(),
            revision: 1,
            criteria: criteria.iter().map(|c| c.map(|v| v.to_string())).collect(),
            total: total.to_string(),
            entered_at: sheet.entered_at.clone(),
        }],
    };
    let bytes = packet::encode(body, &key).map_err(|e| CommandError::Invalid(e.to_string()))?;
    packets::merge(store, &organiser, &bytes)
}

/// Join cards to print: per judge the join URL on a master at `base`, and the panels by name.
pub fn join_cards(
    store: &Store,
    tokens: &[PinSlip],
    base: &str,
) -> CommandResult<Vec<crate::report::join_cards::JoinCard>> {
    let slips = super::pin_slips(store, tokens)?;
    Ok(slips
        .into_iter()
        .map(|s| crate::report::join_cards::JoinCard {
            url: join_url(base, &s.pin),
            judge: s.judge,
            name: s.name,
            panels: s.panels,
        })
        .collect())
}
