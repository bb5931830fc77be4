//! Application state and commands. The UI sends [`Command`]s; [`App::apply`] is the one place
//! that changes anything, and it checks the logged-in role first — a judge cannot write another
//! judge's sheet even if a button were shown by mistake.

pub mod session;
pub mod task;

use std::collections::HashSet;
use std::path::{Path, PathBuf};

use crate::clock;
use crate::i18n::Lang;
use crate::model::{
    Absence, CompetitionSetup, Contestant, Event, Fixed, Judge, Penalty, Sheet, SheetStatus,
};
use crate::ops::{self, OpError};
use crate::pin;
use crate::scoring::{self, Results};
use crate::store::{Entry, Store, StoreError};

pub use session::{Role, Session};

pub use crate::ops::{DEMO_FLAG, DEMO_JUDGE_PIN, DEMO_ORGANISER_PIN, ORGANISER_PIN};

/// Something the user asked for.
#[derive(Clone, Debug, PartialEq)]
pub enum Command {
    /// Create a competition file from a template, with the organiser's PIN.
    NewCompetition {
        path: PathBuf,
        template: String,
        title: Option<String>,
        organiser_pin: String,
    },
    /// Open a competition file.
    Open(PathBuf),
    Close,
    LoginOrganiser {
        pin: String,
    },
    LoginJudge {
        judge: String,
        pin: String,
    },
    Logout,
    SetLang(Lang),
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
    AddPenalty(Penalty),
    RecordAbsence(Absence),
    ImportContestants(PathBuf),
    ImportJudges(PathBuf),
    UpdateContestant(Contestant),
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
    /// Change the award rules.
    UpdateAwards(crate::model::Awards),
    SetHeadJudge {
        judge: String,
        head: bool,
    },
    /// Draw one event (or all) with a seed (or a fresh one).
    Draw {
        event: Option<String>,
        seed: Option<u64>,
    },
    /// Store judges' PIN hashes (made off the UI thread by `task::start_pin_hashing`).
    StorePinHashes(Vec<(String, String)>),
    DismissMessage(usize),
}

/// What a command produced besides the change itself.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Outcome {
    Done,
    /// Rows imported.
    Imported {
        count: usize,
    },
    /// Judges imported: their ids, to give them PINs.
    JudgesImported {
        count: usize,
        new: Vec<String>,
    },
}

/// Why a command was refused or failed.
#[derive(Debug, thiserror::Error)]
pub enum AppError {
    #[error("{0}")]
    Forbidden(String),
    #[error("{0}")]
    Invalid(String),
    #[error("请先打开比赛文件 (open a competition file first)")]
    NoFile,
    #[error("请先登录 (log in first)")]
    NotLoggedIn,
    #[error("PIN 不正确 (wrong PIN)")]
    WrongPin,
    #[error(transparent)]
    Op(#[from] OpError),
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// A status-line message; errors stay until dismissed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Message {
    pub text: String,
    pub error: bool,
}

/// An open competition file and what the screens read from it.
pub struct Workspace {
    pub store: Store,
    pub setup: CompetitionSetup,
    pub contestants: Vec<Contestant>,
    pub judges: Vec<Judge>,
    pub entries: Vec<Entry>,
    pub head_judges: HashSet<String>,
    pub session: Option<Session>,
    /// Computed on demand and dropped after every change.
    results: Option<Results>,
    /// Bumped after every change, so screens know to re-read.
    pub generation: u64,
}

impl Workspace {
    fn load(store: Store) -> Result<Workspace, AppError> {
        let mut ws = Workspace {
            setup: store.setup()?,
            contestants: Vec::new(),
            judges: Vec::new(),
            entries: Vec::new(),
            head_judges: HashSet::new(),
            store,
            session: None,
            results: None,
            generation: 0,
        };
        ws.reload()?;
        Ok(ws)
    }

    /// Re-reads the tables after a change (and checkpoints the file).
    pub fn reload(&mut self) -> Result<(), AppError> {
        self.store.checkpoint()?;
        self.setup = self.store.setup()?;
        self.contestants = self.store.contestants()?;
        self.judges = self.store.judges()?;
        self.entries = self.store.entries()?;
        self.head_judges = self.store.head_judges()?;
        self.results = None;
        self.generation += 1;
        Ok(())
    }

    /// All results, computed once per change.
    pub fn results(&mut self) -> Result<&Results, AppError> {
        if self.results.is_none() {
            let input = self.store.scoring_input()?;
            self.results = Some(scoring::compute(&input));
        }
        self.results
            .as_ref()
            .ok_or_else(|| AppError::Invalid("results unavailable".into()))
    }

    pub fn event(&self, code: &str) -> Option<&Event> {
        self.setup.events.iter().find(|e| e.code == code)
    }

    pub fn contestant(&self, id: &str) -> Option<&Contestant> {
        self.contestants.iter().find(|c| c.id == id)
    }

    pub fn judge(&self, id: &str) -> Option<&Judge> {
        self.judges.iter().find(|j| j.id == id)
    }

    /// Whether this is the built-in demo (its PINs are shown on the login screen).
    pub fn is_demo(&self) -> bool {
        self.store.meta(DEMO_FLAG).ok().flatten().is_some()
    }

    /// The file's name for the title bar.
    pub fn file_name(&self) -> String {
        self.store
            .path()
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default()
    }
}

/// The whole application state (no egui in here).
#[derive(Default)]
pub struct App {
    pub lang: Lang,
    pub workspace: Option<Workspace>,
    pub messages: Vec<Message>,
    /// Recently opened files, newest first.
    pub recent: Vec<PathBuf>,
}

impl App {
    pub fn new(lang: Lang) -> Self {
        App {
            lang,
            ..App::default()
        }
    }

    /// Shows a message in the status line.
    pub fn info(&mut self, text: impl Into<String>) {
        self.messages.retain(|m| m.error);
        self.messages.push(Message {
            text: text.into(),
            error: false,
        });
    }

    /// Shows an error in the status line (stays until dismissed).
    pub fn error(&mut self, text: impl Into<String>) {
        self.messages.push(Message {
            text: text.into(),
            error: true,
        });
    }

    /// Applies a command, reporting failures to the status line too.
    pub fn run(&mut self, command: Command) -> Result<Outcome, String> {
        match self.apply(command) {
            Ok(o) => Ok(o),
            Err(e) => {
                let text = e.to_string();
                self.error(text.clone());
                Err(text)
            }
        }
    }

    fn session(&self) -> Result<&Session, AppError> {
        self.workspace
            .as_ref()
            .ok_or(AppError::NoFile)?
            .session
            .as_ref()
            .ok_or(AppError::NotLoggedIn)
    }

    fn organiser(&self) -> Result<(), AppError> {
        self.session()?
            .require_organiser()
            .map_err(AppError::Forbidden)
    }

    fn ws(&mut self) -> Result<&mut Workspace, AppError> {
        self.workspace.as_mut().ok_or(AppError::NoFile)
    }

    fn remember(&mut self, path: &Path) {
        let p = path.to_path_buf();
        self.recent.retain(|r| r != &p);
        self.recent.insert(0, p);
        self.recent.truncate(8);
    }

    /// The one place that changes state.
    pub fn apply(&mut self, command: Command) -> Result<Outcome, AppError> {
        match command {
            Command::NewCompetition {
                path,
                template,
                title,
                organiser_pin,
            } => {
                if organiser_pin.trim().len() < 4 {
                    return Err(AppError::Invalid(
                        "管理员 PIN 至少 4 位 (the organiser PIN needs at least 4 digits)".into(),
                    ));
                }
                let hash = pin::hash(organiser_pin.trim()).map_err(AppError::Invalid)?;
                let mut store = ops::new_competition(&path, &template, title.as_deref())?;
                store.set_meta(ORGANISER_PIN, &hash, "organiser")?;
                self.workspace = Some(Workspace::load(store)?);
                self.remember(&path);
                if let Some(ws) = self.workspace.as_mut() {
                    ws.session = Some(Session::organiser());
                }
                self.info(format!("已创建 {}", path.display()));
                Ok(Outcome::Done)
            }
            Command::Open(path) => {
                let store = Store::open(&path)?;
                self.workspace = Some(Workspace::load(store)?);
                self.remember(&path);
                self.info(format!("已打开 {}", path.display()));
                Ok(Outcome::Done)
            }
            Command::Close => {
                self.workspace = None;
                Ok(Outcome::Done)
            }
            Command::LoginOrganiser { pin: entered } => {
                let ws = self.ws()?;
                let stored = ws.store.meta(ORGANISER_PIN)?;
                match stored {
                    Some(h) if pin::verify(entered.trim(), &h) => {
                        ws.session = Some(Session::organiser());
                        Ok(Outcome::Done)
                    }
                    Some(_) => Err(AppError::WrongPin),
                    None => Err(AppError::Invalid(
                        "此文件没有设置管理员 PIN，请用命令行 `scoredesk pin` 设置 (no organiser PIN set)"
                            .into(),
                    )),
                }
            }
            Command::LoginJudge {
                judge,
                pin: entered,
            } => {
                let ws = self.ws()?;
                let id = judge.trim().to_string();
                let Some(j) = ws.judge(&id).cloned() else {
                    return Err(AppError::Invalid(format!("没有评委 {id} (no such judge)")));
                };
                match ws.store.judge_pin_hash(&id)? {
                    Some(h) if pin::verify(entered.trim(), &h) => {
                        let head = ws.head_judges.contains(&id);
                        ws.session = Some(Session::for_judge(&j, head));
                        Ok(Outcome::Done)
                    }
                    Some(_) => Err(AppError::WrongPin),
                    None => Err(AppError::Invalid(
                        "该评委还没有 PIN，请管理员生成 (this judge has no PIN yet)".into(),
                    )),
                }
            }
            Command::Logout => {
                self.ws()?.session = None;
                Ok(Outcome::Done)
            }
            Command::SetLang(lang) => {
                self.lang = lang;
                Ok(Outcome::Done)
            }
            Command::SaveSheet {
                event,
                contestant,
                judge,
                criteria,
                submit,
            } => {
                let session = self.session()?.clone();
                let ws = self.ws()?;
                let (ev, j, c) = lookup(ws, &event, &judge, &contestant)?;
                session
                    .may_write_sheet(&ev, &j, &c)
                    .map_err(AppError::Forbidden)?;
                if criteria.len() != ev.criteria.len() {
                    return Err(AppError::Invalid(
                        "评分项数量不符 (wrong number of criteria)".into(),
                    ));
                }
                for (i, v) in criteria.iter().enumerate() {
                    if let Some(v) = v {
                        scoring::validate_score(&ev, Some(i), *v).map_err(|e| {
                            AppError::Invalid(format!("{}: {e}", ev.criteria[i].name))
                        })?;
                    }
                }
                let total = if submit {
                    scoring::sheet_total(&ev, &criteria)
                        .map_err(|e| AppError::Invalid(e.to_string()))?
                } else {
                    criteria.iter().flatten().copied().sum()
                };
                let sheet = Sheet {
                    event,
                    contestant,
                    judge,
                    criteria,
                    total,
                    status: if submit {
                        SheetStatus::Submitted
                    } else {
                        SheetStatus::Draft
                    },
                    entered_by: session.actor(),
                    entered_at: clock::now_rfc3339(),
                };
                ws.store.save_sheet(&sheet, &session.actor())?;
                if submit {
                    ws.store.checkpoint()?;
                }
                ws.results = None;
                ws.generation += 1;
                Ok(Outcome::Done)
            }
            Command::CorrectSheet {
                event,
                contestant,
                judge,
                criteria,
                reason,
            } => {
                let session = self.session()?.clone();
                session.may_correct(&event).map_err(AppError::Forbidden)?;
                if reason.trim().is_empty() {
                    return Err(AppError::Invalid(
                        "更正必须填写原因 (a correction needs a reason)".into(),
                    ));
                }
                let ws = self.ws()?;
                let (ev, _, _) = lookup(ws, &event, &judge, &contestant)?;
                let total = scoring::sheet_total(&ev, &criteria)
                    .map_err(|e| AppError::Invalid(e.to_string()))?;
                for (i, v) in criteria.iter().enumerate() {
                    if let Some(v) = v {
                        scoring::validate_score(&ev, Some(i), *v).map_err(|e| {
                            AppError::Invalid(format!("{}: {e}", ev.criteria[i].name))
                        })?;
                    }
                }
                let sheet = Sheet {
                    event,
                    contestant,
                    judge,
                    criteria,
                    total,
                    status: SheetStatus::Submitted,
                    entered_by: session.actor(),
                    entered_at: clock::now_rfc3339(),
                };
                ws.store.correct_sheet(&sheet, &reason, &session.actor())?;
                ws.store.checkpoint()?;
                ws.results = None;
                ws.generation += 1;
                Ok(Outcome::Done)
            }
            Command::AddPenalty(p) => {
                let session = self.session()?.clone();
                session.may_correct(&p.event).map_err(AppError::Forbidden)?;
                let ws = self.ws()?;
                let p = ops::penalty(
                    &ws.store,
                    &p.event,
                    &p.contestant,
                    &p.points.to_string(),
                    &p.reason,
                )?;
                ws.store.add_penalty(&p, &session.actor())?;
                ws.reload()?;
                Ok(Outcome::Done)
            }
            Command::RecordAbsence(a) => {
                let session = self.session()?.clone();
                session.may_correct(&a.event).map_err(AppError::Forbidden)?;
                let ws = self.ws()?;
                let a = ops::absence(
                    &ws.store,
                    &a.event,
                    &a.judge,
                    a.contestant.as_deref(),
                    &a.reason,
                )?;
                ws.store.add_absence(&a, &session.actor())?;
                ws.reload()?;
                Ok(Outcome::Done)
            }
            Command::ImportContestants(path) => {
                self.organiser()?;
                let ws = self.ws()?;
                let summary = ops::import_contestants(&mut ws.store, &path)?;
                ws.reload()?;
                Ok(Outcome::Imported {
                    count: summary.imported,
                })
            }
            Command::ImportJudges(path) => {
                self.organiser()?;
                let ws = self.ws()?;
                let before: HashSet<String> = ws.judges.iter().map(|j| j.id.clone()).collect();
                let summary = ops::import_judges(&mut ws.store, &path)?;
                ws.reload()?;
                let new = ws
                    .judges
                    .iter()
                    .map(|j| j.id.clone())
                    .filter(|id| !before.contains(id))
                    .collect();
                Ok(Outcome::JudgesImported {
                    count: summary.imported,
                    new,
                })
            }
            Command::UpdateContestant(c) => {
                self.organiser()?;
                if c.name.trim().is_empty() {
                    return Err(AppError::Invalid("姓名不能为空 (empty name)".into()));
                }
                let ws = self.ws()?;
                ws.store.update_contestant(&c, "organiser")?;
                ws.reload()?;
                Ok(Outcome::Done)
            }
            Command::UpdateEvent { event, force } => {
                self.organiser()?;
                let ws = self.ws()?;
                let mut setup = ws.setup.clone();
                if let Some(slot) = setup.events.iter_mut().find(|e| e.code == event.code) {
                    *slot = event.clone();
                }
                crate::template::validate(&setup, "")
                    .map_err(|e| AppError::Invalid(e.to_string()))?;
                ws.store.update_event(&event, force, "organiser")?;
                ws.reload()?;
                Ok(Outcome::Done)
            }
            Command::SetCertificateTemplate(toml) => {
                self.organiser()?;
                let ws = self.ws()?;
                crate::report::set_certificate_template(&mut ws.store, &toml)
                    .map_err(|e| AppError::Invalid(e.to_string()))?;
                ws.generation += 1;
                Ok(Outcome::Done)
            }
            Command::UpdateAwards(awards) => {
                self.organiser()?;
                let ws = self.ws()?;
                let mut setup = ws.setup.clone();
                setup.awards = awards;
                crate::template::validate(&setup, "")
                    .map_err(|e| AppError::Invalid(e.to_string()))?;
                ws.store
                    .update_rules(&setup.awards, &setup.ranking, "organiser")?;
                ws.reload()?;
                Ok(Outcome::Done)
            }
            Command::SetPanel { event, judges } => {
                self.organiser()?;
                let ws = self.ws()?;
                ws.store.set_panel(&event, &judges, "organiser")?;
                ws.reload()?;
                Ok(Outcome::Done)
            }
            Command::SetHeadJudge { judge, head } => {
                self.organiser()?;
                let ws = self.ws()?;
                ws.store.set_head_judge(&judge, head, "organiser")?;
                ws.reload()?;
                Ok(Outcome::Done)
            }
            Command::Draw { event, seed } => {
                self.organiser()?;
                let ws = self.ws()?;
                ops::run_draw(&mut ws.store, event.as_deref(), seed)?;
                ws.reload()?;
                Ok(Outcome::Done)
            }
            Command::StorePinHashes(hashes) => {
                self.organiser()?;
                let ws = self.ws()?;
                ws.store.set_pin_hashes(&hashes, "organiser")?;
                Ok(Outcome::Done)
            }
            Command::DismissMessage(i) => {
                if i < self.messages.len() {
                    self.messages.remove(i);
                }
                Ok(Outcome::Done)
            }
        }
    }
}

fn lookup(
    ws: &Workspace,
    event: &str,
    judge: &str,
    contestant: &str,
) -> Result<(Event, Judge, Contestant), AppError> {
    let ev = ws
        .event(event)
        .cloned()
        .ok_or_else(|| AppError::Invalid(format!("没有项目 {event} (no such event)")))?;
    let j = ws
        .judge(judge)
        .cloned()
        .ok_or_else(|| AppError::Invalid(format!("没有评委 {judge} (no such judge)")))?;
    let c = ws
        .contestant(contestant)
        .cloned()
        .ok_or_else(|| AppError::Invalid(format!("没有选手 {contestant} (no such contestant)")))?;
    Ok((ev, j, c))
}
