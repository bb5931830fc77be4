//! The organiser's operations, shared by the command line and the GUI: create a competition,
//! import rosters and scores, build the demo, run the draw, compute results.
//!
//! Each operation validates everything first and then writes in one store transaction.

use std::collections::HashSet;
use std::path::Path;

use crate::draw;
use crate::import::{self, ImportError, ScoreContext};
use crate::model::{CompetitionSetup, Sheet, SheetStatus};
use crate::scoring::{self, Results};
use crate::store::{Store, StoreError};
use crate::template::{self, TemplateError};
use crate::{clock, demo, pin};

/// The actor name recorded in the audit log for command-line and organiser work.
pub const ORGANISER: &str = "organiser";
/// Meta key of the organiser's PIN hash.
pub const ORGANISER_PIN: &str = "organiser_pin_hash";
/// Meta key marking the built-in demo (its PINs are documented).
pub const DEMO_FLAG: &str = "demo";
/// The demo's organiser PIN.
pub const DEMO_ORGANISER_PIN: &str = "8888";
/// The demo's judge PIN (every demo judge).
pub const DEMO_JUDGE_PIN: &str = "1234";

/// Any failure of an operation, with a message for the user.
#[derive(Debug, thiserror::Error)]
pub enum OpError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(transparent)]
    Template(#[from] TemplateError),
    #[error("{0}")]
    Import(#[from] ImportError),
    #[error("无法读取 {path} (cannot read the file): {reason}")]
    Read { path: String, reason: String },
    #[error("{0}")]
    Usage(String),
    /// The reader of our output went away (e.g. `| head`): not an error for the user.
    #[error("output closed")]
    OutputClosed,
}

impl OpError {
    /// An output error, quiet when the reader has gone away.
    pub fn output(e: std::io::Error) -> Self {
        if e.kind() == std::io::ErrorKind::BrokenPipe {
            OpError::OutputClosed
        } else {
            OpError::Usage(format!("无法输出 (cannot write output): {e}"))
        }
    }
}

pub type OpResult<T> = Result<T, OpError>;

fn read(path: &Path) -> OpResult<Vec<u8>> {
    std::fs::read(path).map_err(|e| OpError::Read {
        path: path.display().to_string(),
        reason: e.to_string(),
    })
}

fn file_name(path: &Path) -> String {
    path.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default()
}

/// Creates a competition file from a template (`second`, `first` or a TOML path).
pub fn new_competition(path: &Path, template_name: &str, title: Option<&str>) -> OpResult<Store> {
    let mut setup = template::load(template_name)?;
    if let Some(t) = title.map(str::trim).filter(|t| !t.is_empty()) {
        setup.competition.title = t.to_string();
    }
    create_with_setup(path, &setup)
}

/// Creates a competition file holding `setup`.
pub fn create_with_setup(path: &Path, setup: &CompetitionSetup) -> OpResult<Store> {
    let mut store = Store::create(path)?;
    if let Err(e) = store.init_setup(setup, ORGANISER) {
        drop(store);
        let _ = std::fs::remove_file(path);
        return Err(e.into());
    }
    Ok(store)
}

/// What an import did.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ImportSummary {
    pub imported: usize,
    /// Rows accepted with a note (e.g. a value that was normalised).
    pub warnings: Vec<String>,
}

/// Imports contestants from CSV/XLSX; all or nothing.
pub fn import_contestants(store: &mut Store, path: &Path) -> OpResult<ImportSummary> {
    let bytes = read(path)?;
    let existing: HashSet<String> = store.contestants()?.into_iter().map(|c| c.id).collect();
    let (list, warnings) = import::parse_contestants(&bytes, &file_name(path), &existing)?;
    let imported = store.add_contestants(&list, ORGANISER)?;
    Ok(ImportSummary {
        imported,
        warnings: warnings.iter().map(ToString::to_string).collect(),
    })
}

/// Imports judges (with their panels) from CSV/XLSX; all or nothing.
pub fn import_judges(store: &mut Store, path: &Path) -> OpResult<ImportSummary> {
    let bytes = read(path)?;
    let events = store.events()?;
    let existing: HashSet<String> = store.judges()?.into_iter().map(|j| j.id).collect();
    let (list, warnings) = import::parse_judges(&bytes, &file_name(path), &events, &existing)?;
    let imported = store.add_judges(&list, ORGANISER)?;
    Ok(ImportSummary {
        imported,
        warnings: warnings.iter().map(ToString::to_string).collect(),
    })
}

/// A PIN to hand out: (judge id, name, PIN).
pub type PinSlip = (String, String, String);

/// Imports judges and gives each a new PIN; returns the PINs to hand out.
pub fn import_judges_with_pins(
    store: &mut Store,
    path: &Path,
) -> OpResult<(ImportSummary, Vec<PinSlip>)> {
    let before: HashSet<String> = store.judges()?.into_iter().map(|j| j.id).collect();
    let summary = import_judges(store, path)?;
    let new: Vec<String> = store
        .judges()?
        .into_iter()
        .map(|j| j.id)
        .filter(|id| !before.contains(id))
        .collect();
    let pins = reset_pins(store, &new)?;
    Ok((summary, pins))
}

/// New PINs for these judges, stored as Argon2 hashes; returns (id, name, PIN) to hand out.
pub fn reset_pins(store: &mut Store, ids: &[String]) -> OpResult<Vec<PinSlip>> {
    let judges = store.judges()?;
    let mut out = Vec::new();
    for id in ids {
        let Some(j) = judges.iter().find(|j| &j.id == id) else {
            return Err(OpError::Usage(format!("没有评委 {id} (no such judge)")));
        };
        out.push((id.clone(), j.name.clone(), pin::generate()));
    }
    // Argon2 is slow on purpose (~25 ms a PIN): hash on every core.
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
    let chunk = out.len().div_ceil(threads).max(1);
    let hashed: Vec<Result<(String, String), String>> = std::thread::scope(|scope| {
        let handles: Vec<_> = out
            .chunks(chunk)
            .map(|part| {
                scope.spawn(move || {
                    part.iter()
                        .map(|(id, _, p)| pin::hash(p).map(|h| (id.clone(), h)))
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        handles
            .into_iter()
            .flat_map(|h| {
                h.join()
                    .unwrap_or_else(|_| vec![Err("PIN hashing failed".to_string())])
            })
            .collect()
    });
    let hashes = hashed
        .into_iter()
        .collect::<Result<Vec<_>, _>>()
        .map_err(OpError::Usage)?;
    store.set_pin_hashes(&hashes, ORGANISER)?;
    Ok(out)
}

/// Sets the organiser's PIN.
pub fn set_organiser_pin(store: &mut Store, new_pin: &str) -> OpResult<()> {
    if new_pin.trim().len() < 4 || !new_pin.trim().chars().all(|c| c.is_ascii_digit()) {
        return Err(OpError::Usage(
            "管理员 PIN 需要至少 4 位数字 (the organiser PIN needs at least 4 digits)".into(),
        ));
    }
    let hash = pin::hash(new_pin.trim()).map_err(OpError::Usage)?;
    store.set_meta(ORGANISER_PIN, &hash, ORGANISER)?;
    Ok(())
}

/// Imports submitted score sheets from CSV/XLSX; all or nothing.
pub fn import_scores(store: &mut Store, path: &Path) -> OpResult<ImportSummary> {
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
            entered_by: ORGANISER.to_string(),
            entered_at: at.clone(),
        })
        .collect();
    let imported = store.insert_sheets(&sheets, ORGANISER, "import-scores")?;
    Ok(ImportSummary {
        imported,
        warnings: Vec::new(),
    })
}

/// Builds the demo competition in a new file.
pub fn build_demo(path: &Path, contestants: usize, seed: u64) -> OpResult<Store> {
    if contestants == 0 {
        return Err(OpError::Usage(
            "演示比赛至少需要 1 名选手 (--contestants must be at least 1)".into(),
        ));
    }
    let mut setup = template::load("second")?;
    setup.competition.dates = "2025年11月15日—16日".into();
    setup.competition.venue = "吕梁市教育局教研室".into();
    let data = demo::generate(&setup, contestants, seed);
    let mut store = create_with_setup(path, &setup)?;
    let fill = |store: &mut Store| -> OpResult<()> {
        store.add_contestants(&data.contestants, ORGANISER)?;
        store.add_judges(&data.judges, ORGANISER)?;
        for (event, seed, places) in &data.draws {
            let order: Vec<(String, u32, String)> = places
                .iter()
                .map(|p| (p.contestant.clone(), p.order, p.code.clone()))
                .collect();
            store.record_draw(event, *seed, &order, ORGANISER)?;
        }
        store.insert_sheets(&data.sheets, ORGANISER, "demo-scores")?;
        for p in &data.penalties {
            store.add_penalty(p, ORGANISER)?;
        }
        set_organiser_pin(store, DEMO_ORGANISER_PIN)?;
        // One hash shared by every demo judge: the demo PIN is public anyway.
        let judge_hash = pin::hash(DEMO_JUDGE_PIN).map_err(OpError::Usage)?;
        let hashes: Vec<(String, String)> = data
            .judges
            .iter()
            .map(|j| (j.id.clone(), judge_hash.clone()))
            .collect();
        store.set_pin_hashes(&hashes, ORGANISER)?;
        // The first judge of 课堂教学 is the demo's head judge.
        if let Some(head) = data
            .judges
            .iter()
            .find(|j| j.events.iter().any(|e| e == "E05"))
        {
            store.set_head_judge(&head.id, true, ORGANISER)?;
        }
        store.set_meta(DEMO_FLAG, "1", ORGANISER)?;
        Ok(())
    };
    if let Err(e) = fill(&mut store) {
        drop(store);
        let _ = std::fs::remove_file(path);
        return Err(e);
    }
    Ok(store)
}

/// Runs the draw for one event (or all), returning `(event code, seed, places)` per event.
pub fn run_draw(
    store: &mut Store,
    event: Option<&str>,
    seed: Option<u64>,
) -> OpResult<Vec<(String, u64, Vec<draw::DrawnPlace>)>> {
    let events = match event {
        Some(e) => vec![store.find_event(e)?],
        None => store.events()?,
    };
    let entries = store.entries()?;
    let seed = seed.unwrap_or_else(draw::fresh_seed);
    let mut out = Vec::new();
    for e in events {
        let ids: Vec<String> = entries
            .iter()
            .filter(|en| en.event == e.code)
            .map(|en| en.contestant.clone())
            .collect();
        let places = draw::draw(&e.code, &ids, seed);
        let order: Vec<(String, u32, String)> = places
            .iter()
            .map(|p| (p.contestant.clone(), p.order, p.code.clone()))
            .collect();
        store.record_draw(&e.code, seed, &order, ORGANISER)?;
        out.push((e.code, seed, places));
    }
    Ok(out)
}

/// Loads everything and computes all results.
pub fn results(store: &Store) -> OpResult<Results> {
    let input = store.scoring_input()?;
    Ok(scoring::compute(&input))
}

/// PIN slips ready to print: each judge's panels by event name.
pub fn pin_slips(store: &Store, pins: &[PinSlip]) -> OpResult<Vec<crate::report::slips::Slip>> {
    let events = store.events()?;
    let judges = store.judges()?;
    Ok(pins
        .iter()
        .map(|(id, name, pin)| {
            let panels = judges
                .iter()
                .find(|j| &j.id == id)
                .map(|j| {
                    j.events
                        .iter()
                        .map(|c| {
                            events
                                .iter()
                                .find(|e| &e.code == c)
                                .map_or(c.clone(), |e| e.name.clone())
                        })
                        .collect::<Vec<_>>()
                        .join("、")
                })
                .unwrap_or_default();
            crate::report::slips::Slip {
                judge: id.clone(),
                name: name.clone(),
                panels,
                pin: pin.clone(),
            }
        })
        .collect())
}

/// Writes PIN slips as a PDF.
pub fn write_pin_slips(store: &Store, pins: &[PinSlip], out: &Path) -> OpResult<usize> {
    let slips = pin_slips(store, pins)?;
    let title = store.setup()?.competition.title;
    crate::report::slips::write_slips(&title, &store.audit_head()?, &slips, out)
        .map_err(|e| OpError::Usage(e.to_string()))
}

/// A checked penalty (扣分): known event and entrant, positive points, a reason.
pub fn penalty(
    store: &Store,
    event: &str,
    contestant: &str,
    points: &str,
    reason: &str,
) -> OpResult<crate::model::Penalty> {
    let ev = store.find_event(event)?;
    let c = store
        .contestant(contestant.trim())?
        .ok_or_else(|| OpError::Usage(format!("没有选手 {contestant} (no such contestant)")))?;
    let enters = store
        .entries()?
        .iter()
        .any(|e| e.event == ev.code && e.contestant == c.id);
    if !enters {
        return Err(OpError::Usage(format!(
            "选手 {} 没有参加 {} (the contestant does not enter this event)",
            c.id, ev.code
        )));
    }
    let points = crate::model::Fixed::parse(points).map_err(|e| OpError::Usage(e.to_string()))?;
    if points <= crate::model::Fixed::ZERO || points > ev.full_marks() {
        return Err(OpError::Usage(format!(
            "扣分必须大于 0 且不超过满分 {} (penalty must be positive and at most full marks)",
            ev.full_marks()
        )));
    }
    if reason.trim().is_empty() {
        return Err(OpError::Usage(
            "扣分必须填写原因 (a penalty needs a reason)".into(),
        ));
    }
    Ok(crate::model::Penalty {
        event: ev.code,
        contestant: c.id,
        points,
        reason: reason.trim().to_string(),
    })
}

/// A checked absence: the judge sits on the event's panel; a reason is given.
pub fn absence(
    store: &Store,
    event: &str,
    judge: &str,
    contestant: Option<&str>,
    reason: &str,
) -> OpResult<crate::model::Absence> {
    let ev = store.find_event(event)?;
    let on_panel = store
        .judges()?
        .iter()
        .any(|j| j.id == judge.trim() && j.events.contains(&ev.code));
    if !on_panel {
        return Err(OpError::Usage(format!(
            "评委 {judge} 不在 {} 评审组 (the judge is not on this panel)",
            ev.code
        )));
    }
    if let Some(c) = contestant
        && store.contestant(c.trim())?.is_none()
    {
        return Err(OpError::Usage(format!("没有选手 {c} (no such contestant)")));
    }
    if reason.trim().is_empty() {
        return Err(OpError::Usage(
            "缺席必须填写原因 (an absence needs a reason)".into(),
        ));
    }
    Ok(crate::model::Absence {
        event: ev.code,
        judge: judge.trim().to_string(),
        contestant: contestant.map(|c| c.trim().to_string()),
        reason: reason.trim().to_string(),
    })
}
