//! Judge kits (评分包): a fresh ScoreDesk file per judge, exported from the master, holding
//! only what that judge needs — the setup and rubrics of the judge's panels, the contestants
//! the judge may score (by `scoring::eligibility`) in draw order, the judge's PIN hash and
//! secret packet key. For blind events no name and no school is written anywhere in the file.
//! An event not yet drawn is drawn (seeded, recorded, audited) when its first kit is exported.

use std::collections::{BTreeSet, HashMap};
use std::path::{Path, PathBuf};

use super::create::build_new;
use super::error::{CommandError, CommandResult};
use super::{ORGANISER_PIN, Session, rules};
use crate::model::{CompetitionSetup, Contestant, Event};
use crate::scoring::eligibility;
use crate::store::{KitData, Store};
use crate::sync;

/// Meta keys of a kit (and `COMPETITION_ID` of the master too).
pub const KIT_JUDGE: &str = "kit_judge";
pub const KIT_VERSION: &str = "kit_version";
pub const COMPETITION_ID: &str = "competition_id";
pub const PACKET_KEY: &str = "packet_key";
/// The master's address on the venue network, if the organiser set one before exporting.
pub const MASTER_ADDRESS: &str = "master_address";
/// The extension of kit files (double-click opens ScoreDesk on Windows).
pub const KIT_EXTENSION: &str = "sdkit";

/// Choices for an export.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct KitOptions {
    /// Replace the judge's packet key (an old kit's packets are then refused).
    pub revoke: bool,
    /// The master's address for stations on the venue network.
    pub master_address: Option<String>,
}

/// The competition's id (made once, with the OS generator, and kept in the master's meta).
pub fn competition_id(store: &mut Store, actor: &str) -> CommandResult<String> {
    if let Some(id) = store.meta(COMPETITION_ID)? {
        return Ok(id);
    }
    let id = sync::random_hex(16).map_err(CommandError::Invalid)?;
    store.set_meta(COMPETITION_ID, &id, actor)?;
    Ok(id)
}

/// A file name a person can hand out: characters no file system takes are replaced.
fn safe(text: &str) -> String {
    text.chars()
        .map(|c| match c {
            '/' | '\\' | ':' | '*' | '?' | '"' | '<' | '>' | '|' => '_',
            c if c.is_control() => '_',
            c => c,
        })
        .collect()
}

/// `E05-课堂教学-PW029-魏婉寒.sdkit` (one panel) or `E05+E06-PW029-魏婉寒.sdkit`.
pub fn kit_file_name(events: &[&Event], judge: &str, name: &str) -> String {
    let what = match events {
        [one] => format!("{}-{}", one.code, one.name),
        many => many
            .iter()
            .map(|e| e.code.as_str())
            .collect::<Vec<_>>()
            .join("+"),
    };
    safe(&format!("{what}-{judge}-{name}.{KIT_EXTENSION}"))
}

/// Exports the kit of one judge into `out_dir`; returns its path.
pub fn export_kit(
    master: &mut Store,
    who: &Session,
    judge_id: &str,
    out_dir: &Path,
    options: &KitOptions,
) -> CommandResult<PathBuf> {
    who.require_organiser().map_err(CommandError::Forbidden)?;
    let actor = who.actor();
    if !out_dir.is_dir() {
        return Err(CommandError::Invalid(format!(
            "文件夹不存在：{} (no such folder)",
            out_dir.display()
        )));
    }
    let judge = master
        .judges()?
        .into_iter()
        .find(|j| j.id == judge_id.trim())
        .ok_or_else(|| CommandError::Invalid(format!("没有评委 {judge_id} (no such judge)")))?;
    if judge.events.is_empty() {
        return Err(CommandError::Invalid(format!(
            "评委 {} 不在任何评审组，无需评分包 (the judge sits on no panel)",
            judge.id
        )));
    }
    let pin_hash = master.judge_pin_hash(&judge.id)?.ok_or_else(|| {
        CommandError::Invalid(format!(
            "评委 {} 还没有 PIN，请先生成 PIN 再导出评分包 (make the judge's PIN first)",
            judge.id
        ))
    })?;
    let competition = competition_id(master, &actor)?;
    for code in &judge.events {
        if master.draw_seed(code)?.is_none() {
            rules::draw(master, Some(code), None, None, &actor)?;
        }
    }

    let setup = master.setup()?;
    let events: Vec<&Event> = setup
        .events
        .iter()
        .filter(|e| judge.events.contains(&e.code))
        .collect();
    let path = out_dir.join(kit_file_name(&events, &judge.id, &judge.name));
    if std::fs::symlink_metadata(&path).is_ok() {
        return Err(CommandError::Invalid(format!(
            "{} 已存在。旧的评分包里可能有评委的评分：请先把它导入或移走，再重新导出 (the kit exists; it may hold scores)",
            path.display()
        )));
    }
    let contestants: HashMap<String, Contestant> = master
        .contestants()?
        .into_iter()
        .map(|c| (c.id.clone(), c))
        .collect();
    let mut entries = Vec::new();
    let mut chosen: BTreeSet<String> = BTreeSet::new();
    let mut blind: BTreeSet<String> = BTreeSet::new();
    for entry in master.entries()? {
        let Some(ev) = events.iter().find(|e| e.code == entry.event) else {
            continue;
        };
        let Some(c) = contestants.get(&entry.contestant) else {
            continue;
        };
        if eligibility::may_score(ev, &judge, c).is_err() {
            continue;
        }
        if ev.blind {
            blind.insert(c.id.clone());
        }
        chosen.insert(c.id.clone());
        entries.push((
            entry.event,
            entry.contestant,
            entry.draw_order,
            entry.anon_code,
        ));
    }
    let kit_contestants: Vec<Contestant> = chosen
        .iter()
        .filter_map(|id| contestants.get(id))
        .map(|c| {
            if blind.contains(&c.id) {
                // Blind judging: the judge's file holds the code, never the person.
                Contestant {
                    name: String::new(),
                    school: String::new(),
                    county: String::new(),
                    phone: String::new(),
                    ..c.clone()
                }
            } else {
                Contestant {
                    phone: String::new(),
                    ..c.clone()
                }
            }
        })
        .collect();
    let draws = judge
        .events
        .iter()
        .filter_map(|e| master.draw_seed(e).ok().flatten().map(|s| (e.clone(), s)))
        .collect();
    let new_key = sync::random_hex(32).map_err(CommandError::Invalid)?;
    let head = master.head_judges()?.contains(&judge.id);
    let (key, version) = master.issue_kit(&judge.id, &new_key, options.revoke, &actor)?;

    let kit_setup = CompetitionSetup {
        events: events.iter().map(|e| (*e).clone()).collect(),
        ..setup.clone()
    };
    let mut meta = vec![
        (KIT_JUDGE.to_string(), judge.id.clone()),
        (KIT_VERSION.to_string(), version.to_string()),
        (COMPETITION_ID.to_string(), competition),
        (PACKET_KEY.to_string(), key),
    ];
    if let Some(addr) = options
        .master_address
        .as_ref()
        .filter(|a| !a.trim().is_empty())
    {
        meta.push((MASTER_ADDRESS.to_string(), addr.trim().to_string()));
    }
    // With a blind event even the judge's own school stays out (no school in the file).
    let any_blind = events.iter().any(|e| e.blind);
    let data = KitData {
        judge: Some(crate::model::Judge {
            events: events.iter().map(|e| e.code.clone()).collect(),
            school: if any_blind {
                String::new()
            } else {
                judge.school.clone()
            },
            county: if any_blind {
                String::new()
            } else {
                judge.county.clone()
            },
            ..judge.clone()
        }),
        pin_hash: Some(pin_hash),
        head,
        contestants: kit_contestants,
        entries,
        draws,
        meta,
    };
    build_new(&path, |kit| {
        kit.init_setup(&kit_setup, &actor)?;
        kit.fill_kit(&data, &actor)?;
        Ok(())
    })?;
    Ok(path)
}

/// Exports the kits of every judge on `event`'s panel; returns their paths.
pub fn export_event_kits(
    master: &mut Store,
    who: &Session,
    event: &str,
    out_dir: &Path,
    options: &KitOptions,
) -> CommandResult<Vec<PathBuf>> {
    let ev = master.find_event(event)?;
    let judges: Vec<String> = master
        .judges()?
        .into_iter()
        .filter(|j| j.events.contains(&ev.code))
        .map(|j| j.id)
        .collect();
    if judges.is_empty() {
        return Err(CommandError::Invalid(format!(
            "项目 {} 的评审组没有评委 (the panel is empty)",
            ev.code
        )));
    }
    judges
        .iter()
        .map(|j| export_kit(master, who, j, out_dir, options))
        .collect()
}

/// The judge a kit file belongs to, if `store` is a kit (station mode).
pub fn kit_judge(store: &Store) -> CommandResult<Option<String>> {
    Ok(store.meta(KIT_JUDGE)?)
}

/// Whether a file is a kit by its meta (a kit never holds the organiser's PIN).
pub fn is_kit(store: &Store) -> bool {
    matches!(store.meta(KIT_JUDGE), Ok(Some(_))) && matches!(store.meta(ORGANISER_PIN), Ok(None))
}
