//! The command layer: the only code that changes a competition file. It takes `(who,
//! command)` and does the whole job — permission check, validation (including the rules of
//! `scoring::eligibility`), the write in one transaction, the audit entry. The window
//! (`app`), the command line (`cli`) and — later — the packet merge and the venue server all
//! call [`execute`]; nothing else writes through `Store`.
//!
//! Commands a double click could repeat (a penalty, an absence) and changes that would alter
//! results already given (a scored event's rules) answer [`CommandError::NeedsConfirmation`];
//! the caller asks the user and sends the command again with its flag set.
//!
//! Creating a file (from a template or the demo) has no file to act on yet: [`create`] builds
//! it atomically.

pub mod create;
mod decisions;
mod error;
pub mod kits;
pub mod packets;
pub mod paper;
pub mod phone;
pub mod pins;
pub mod restore;
pub mod roster;
pub mod rules;
mod sheets;
pub mod who;

use std::path::{Path, PathBuf};

use crate::model::{Absence, Awards, Contestant, Event, Fixed, Penalty};
use crate::scoring::{self, Results};
use crate::store::Store;

pub use create::{build_demo, create_with_setup, new_competition};
pub use error::{CommandError, CommandResult, Confirm};
pub use pins::{PinSlip, seal, seal_key};
pub use rules::Drawn;
pub use who::{Role, Session};

/// The actor name recorded in the audit log for command-line and organiser work.
pub const ORGANISER: &str = "organiser";
/// Meta key of the organiser's PIN hash.
pub const ORGANISER_PIN: &str = "organiser_pin_hash";
/// Meta key marking the built-in demo (its PINs are documented).
pub const DEMO_FLAG: &str = "demo";
/// The demo's organiser PIN (six digits, like every organiser PIN).
pub const DEMO_ORGANISER_PIN: &str = "888888";
/// The demo's judge PIN (every demo judge).
pub const DEMO_JUDGE_PIN: &str = "1234";

/// A change to the competition file.
#[derive(Clone, Debug, PartialEq)]
pub enum Command {
    /// Save a sheet as draft (`submit` false) or submit it (locks it).
    SaveSheet {
        event: String,
        contestant: String,
        judge: String,
        criteria: Vec<Option<Fixed>>,
        submit: bool,
    },
    /// Correct a submitted sheet (head judge or organiser), with a reason.
    CorrectSheet {
        event: String,
        contestant: String,
        judge: String,
        criteria: Vec<Option<Fixed>>,
        reason: String,
    },
    /// 扣分; the same penalty again needs `again`.
    AddPenalty {
        penalty: Penalty,
        again: bool,
    },
    /// 缺席; the same absence again needs `again`.
    RecordAbsence {
        absence: Absence,
        again: bool,
    },
    /// 人工决定等次: the organiser decides one entry's award (event code or
    /// [`crate::model::OVERALL`]); it replaces the computed tier while the entry is ranked.
    DecideAward(crate::model::AwardDecision),
    /// Withdraw an award decision: the computed tier applies again.
    WithdrawAwardDecision {
        event: String,
        contestant: String,
    },
    /// Remove a penalty (by its id), with a reason.
    RemovePenalty {
        id: i64,
        reason: String,
    },
    /// Remove an absence (by its id), with a reason.
    RemoveAbsence {
        id: i64,
        reason: String,
    },
    ImportContestants(PathBuf),
    /// Import judges with the PIN hashes made for exactly the judges the file adds
    /// ([`roster::judges_to_import`], [`pins::make_pins`]); empty hashes: no PINs yet.
    ImportJudges {
        path: PathBuf,
        pin_hashes: Vec<(String, String)>,
    },
    /// Import submitted score sheets (the organiser's bulk entry).
    ImportScores(PathBuf),
    UpdateContestant(Contestant),
    /// Add one contestant (typed in the window) entering these events.
    AddContestant {
        contestant: Contestant,
        events: Vec<String>,
    },
    /// Delete a contestant who has no score, with a reason.
    DeleteContestant {
        id: String,
        reason: String,
    },
    /// The events a contestant enters (报名项目).
    SetEntries {
        contestant: String,
        events: Vec<String>,
    },
    /// Change an event's rules; `force` after the user confirmed the warning.
    UpdateEvent {
        event: Event,
        force: bool,
    },
    SetPanel {
        event: String,
        judges: Vec<String>,
    },
    /// Store a certificate template (TOML), after checking it.
    SetCertificateTemplate(String),
    /// The organiser's settings for papers (sign-off names, the public notice, group order).
    SetPapers(crate::model::Papers),
    /// Change the award rules.
    UpdateAwards(Awards),
    /// Change the competition's details and tie-break chain.
    UpdateCompetition {
        competition: crate::model::Competition,
        ranking: crate::model::Ranking,
    },
    SetHeadJudge {
        judge: String,
        head: bool,
    },
    /// Draw one event (or all) with a seed (or a fresh one). An event that already has score
    /// sheets is re-drawn only with `redraw` (the reason, audited).
    Draw {
        event: Option<String>,
        seed: Option<u64>,
        redraw: Option<String>,
    },
    /// Store judges' PIN hashes (made off the UI thread with [`pins::make_pins`]).
    StorePinHashes(Vec<(String, String)>),
    /// Set the organiser's PIN (at least six digits).
    SetOrganiserPin(String),
    /// Add a recorder (记分员) with a PIN hash (from [`pins::make_pins`]).
    AddRecorder {
        recorder: crate::model::Recorder,
        pin_hash: String,
    },
    /// A recorder's entry of a judge's paper sheet (double entry).
    EnterPaper {
        event: String,
        contestant: String,
        judge: String,
        criteria: Vec<Option<Fixed>>,
    },
    /// A double-entry disagreement decided: this entry's values count, with a reason.
    ResolvePaper {
        entry: i64,
        reason: String,
    },
    /// Export judge kits into a folder: one judge's, or every judge's of an event's panel.
    ExportKits {
        judge: Option<String>,
        event: Option<String>,
        dir: PathBuf,
        options: kits::KitOptions,
    },
    /// Join tokens (扫码打分) for these judges (all when empty); `revoke` replaces them.
    IssueTokens {
        judges: Vec<String>,
        revoke: bool,
    },
    /// Verify and merge one score packet (its exact bytes).
    MergePacket(Vec<u8>),
    /// Resolve a merge conflict: take the packet's value or keep the master's, with a reason.
    ResolveConflict {
        id: i64,
        take: bool,
        reason: String,
    },
}

/// What a command did besides the change itself.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Outcome {
    Done,
    /// Rows imported, with notes on rows accepted as normalised.
    Imported {
        count: usize,
        warnings: Vec<String>,
    },
    /// Judges imported: their ids (to give them PINs if none came with the import).
    JudgesImported {
        count: usize,
        new: Vec<String>,
        warnings: Vec<String>,
    },
    /// Events drawn.
    Drawn(Vec<Drawn>),
    /// The penalty or absence as recorded (trimmed, codes resolved).
    Penalty(Penalty),
    Absence(Absence),
    /// What a packet merge did.
    Merged(packets::MergeReport),
    /// The kit files written.
    Kits(Vec<PathBuf>),
    /// What a paper entry did.
    Paper(paper::PaperOutcome),
    /// Join tokens: (judge id, name, token).
    Tokens(Vec<PinSlip>),
}

/// What an import did.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ImportSummary {
    pub imported: usize,
    /// Rows accepted with a note (e.g. a value that was normalised).
    pub warnings: Vec<String>,
}

/// Does `command` as `who`: checks the role, validates, writes in one transaction with its
/// audit entry.
pub fn execute(store: &mut Store, who: &Session, command: Command) -> CommandResult<Outcome> {
    execute_here(store, who, command).map_err(|e| match e {
        CommandError::Store(e) => CommandError::Store(e.at(store.path())),
        other => other,
    })
}

fn execute_here(store: &mut Store, who: &Session, command: Command) -> CommandResult<Outcome> {
    let actor = who.actor();
    let organiser = || who.require_organiser().map_err(CommandError::Forbidden);
    match command {
        Command::SaveSheet {
            event,
            contestant,
            judge,
            criteria,
            submit,
        } => {
            sheets::save(store, who, &event, &contestant, &judge, criteria, submit)?;
            Ok(Outcome::Done)
        }
        Command::CorrectSheet {
            event,
            contestant,
            judge,
            criteria,
            reason,
        } => {
            sheets::correct(store, who, &event, &contestant, &judge, criteria, &reason)?;
            Ok(Outcome::Done)
        }
        Command::AddPenalty { penalty, again } => {
            who.may_correct(&penalty.event)
                .map_err(CommandError::Forbidden)?;
            Ok(Outcome::Penalty(decisions::add_penalty(
                store, &penalty, again, &actor,
            )?))
        }
        Command::RecordAbsence { absence, again } => {
            who.may_correct(&absence.event)
                .map_err(CommandError::Forbidden)?;
            Ok(Outcome::Absence(decisions::record_absence(
                store, &absence, again, &actor,
            )?))
        }
        Command::DecideAward(decision) => {
            organiser()?;
            decisions::decide_award(store, &decision, &actor)?;
            Ok(Outcome::Done)
        }
        Command::WithdrawAwardDecision { event, contestant } => {
            organiser()?;
            if !store.undecide_award(&event, &contestant, &actor)? {
                return Err(CommandError::Invalid(format!(
                    "{event}/{contestant} 没有人工决定的等次 (no award decision to withdraw)"
                )));
            }
            Ok(Outcome::Done)
        }
        Command::RemovePenalty { id, reason } => {
            decisions::remove(store, who, decisions::Removable::Penalty, id, &reason)?;
            Ok(Outcome::Done)
        }
        Command::RemoveAbsence { id, reason } => {
            decisions::remove(store, who, decisions::Removable::Absence, id, &reason)?;
            Ok(Outcome::Done)
        }
        Command::ImportContestants(path) => {
            organiser()?;
            let s = roster::import_contestants(store, &path, &actor)?;
            Ok(Outcome::Imported {
                count: s.imported,
                warnings: s.warnings,
            })
        }
        Command::ImportJudges { path, pin_hashes } => {
            organiser()?;
            let before: std::collections::HashSet<String> =
                store.judges()?.into_iter().map(|j| j.id).collect();
            let s = roster::import_judges(store, &path, &pin_hashes, &actor)?;
            let new = store
                .judges()?
                .into_iter()
                .map(|j| j.id)
                .filter(|id| !before.contains(id))
                .collect();
            Ok(Outcome::JudgesImported {
                count: s.imported,
                new,
                warnings: s.warnings,
            })
        }
        Command::ImportScores(path) => {
            organiser()?;
            let s = sheets::import(store, &path, &actor)?;
            Ok(Outcome::Imported {
                count: s.imported,
                warnings: s.warnings,
            })
        }
        Command::UpdateContestant(c) => {
            organiser()?;
            roster::update_contestant(store, &c, &actor)?;
            Ok(Outcome::Done)
        }
        Command::AddContestant { contestant, events } => {
            organiser()?;
            roster::add_contestant(store, contestant, &events, &actor)?;
            Ok(Outcome::Done)
        }
        Command::DeleteContestant { id, reason } => {
            organiser()?;
            if reason.trim().is_empty() {
                return Err(CommandError::Invalid(
                    "删除选手需要填写原因 (a reason is needed)".into(),
                ));
            }
            store.delete_contestant(&id, reason.trim(), &actor)?;
            Ok(Outcome::Done)
        }
        Command::SetEntries { contestant, events } => {
            organiser()?;
            if events.is_empty() {
                return Err(CommandError::Invalid(
                    "请至少选择一个参赛项目 (choose at least one event)".into(),
                ));
            }
            store.set_entries(&contestant, &events, &actor)?;
            Ok(Outcome::Done)
        }
        Command::UpdateEvent { event, force } => {
            organiser()?;
            rules::update_event(store, &event, force, &actor)?;
            Ok(Outcome::Done)
        }
        Command::SetPanel { event, judges } => {
            organiser()?;
            roster::set_panel(store, &event, &judges, &actor)?;
            Ok(Outcome::Done)
        }
        Command::SetCertificateTemplate(toml) => {
            organiser()?;
            rules::set_certificate_template(store, &toml, &actor)?;
            Ok(Outcome::Done)
        }
        Command::SetPapers(papers) => {
            organiser()?;
            papers.validate().map_err(CommandError::Invalid)?;
            store.set_meta(crate::model::PAPERS_META_KEY, &papers.to_toml(), &actor)?;
            Ok(Outcome::Done)
        }
        Command::UpdateAwards(awards) => {
            organiser()?;
            rules::update_awards(store, &awards, &actor)?;
            Ok(Outcome::Done)
        }
        Command::UpdateCompetition {
            competition,
            ranking,
        } => {
            organiser()?;
            rules::update_competition(store, &competition, &ranking, &actor)?;
            Ok(Outcome::Done)
        }
        Command::SetHeadJudge { judge, head } => {
            organiser()?;
            roster::set_head_judge(store, &judge, head, &actor)?;
            Ok(Outcome::Done)
        }
        Command::Draw {
            event,
            seed,
            redraw,
        } => {
            organiser()?;
            Ok(Outcome::Drawn(rules::draw(
                store,
                event.as_deref(),
                seed,
                redraw.as_deref(),
                &actor,
            )?))
        }
        Command::StorePinHashes(hashes) => {
            organiser()?;
            store.set_pin_hashes(&hashes, &actor)?;
            Ok(Outcome::Done)
        }
        Command::SetOrganiserPin(new_pin) => {
            organiser()?;
            let hash = pins::organiser_pin_hash(&new_pin)?;
            store.set_meta(ORGANISER_PIN, &hash, &actor)?;
            Ok(Outcome::Done)
        }
        Command::AddRecorder { recorder, pin_hash } => {
            paper::add_recorder(store, who, &recorder, &pin_hash)?;
            Ok(Outcome::Done)
        }
        Command::EnterPaper {
            event,
            contestant,
            judge,
            criteria,
        } => Ok(Outcome::Paper(paper::enter(
            store,
            who,
            &event,
            &contestant,
            &judge,
            criteria,
        )?)),
        Command::ResolvePaper { entry, reason } => {
            paper::resolve(store, who, entry, &reason)?;
            Ok(Outcome::Done)
        }
        Command::ExportKits {
            judge,
            event,
            dir,
            options,
        } => {
            let paths = match (judge, event) {
                (Some(j), _) => vec![kits::export_kit(store, who, &j, &dir, &options)?],
                (None, Some(e)) => kits::export_event_kits(store, who, &e, &dir, &options)?,
                (None, None) => {
                    return Err(CommandError::Invalid(
                        "请选择评委或项目 (choose a judge or an event)".into(),
                    ));
                }
            };
            Ok(Outcome::Kits(paths))
        }
        Command::IssueTokens { judges, revoke } => Ok(Outcome::Tokens(phone::issue_tokens(
            store, who, &judges, revoke,
        )?)),
        Command::MergePacket(bytes) => Ok(Outcome::Merged(packets::merge(store, who, &bytes)?)),
        Command::ResolveConflict { id, take, reason } => {
            packets::resolve(store, who, id, take, &reason)?;
            Ok(Outcome::Done)
        }
    }
}

/// Loads everything and computes all results (a read: no command needed).
pub fn results(store: &Store) -> CommandResult<Results> {
    let input = store.scoring_input()?;
    Ok(scoring::compute(&input))
}

/// PIN slips ready to print: each judge's panels by event name (a read).
pub fn pin_slips(
    store: &Store,
    pins: &[PinSlip],
) -> CommandResult<Vec<crate::report::slips::Slip>> {
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

/// Writes PIN slips as a PDF (a read of the file, a write of the PDF only).
pub fn write_pin_slips(store: &Store, pins: &[PinSlip], out: &Path) -> CommandResult<usize> {
    let slips = pin_slips(store, pins)?;
    let title = store.setup()?.competition.title;
    crate::report::slips::write_slips(&title, &store.audit_head()?, &slips, out)
        .map_err(|e| CommandError::Usage(e.to_string()))
}

fn read(path: &Path) -> CommandResult<Vec<u8>> {
    std::fs::read(path).map_err(|e| CommandError::Read {
        path: path.display().to_string(),
        reason: e.to_string(),
    })
}

fn file_name(path: &Path) -> String {
    path.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default()
}
