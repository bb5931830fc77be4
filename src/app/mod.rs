//! Application state: the open file, the session, caches the screens read, the status line.
//! The window's actions that change no file (open, close, log in, language) are [`Action`]s
//! handled here; every change to the file is a [`Command`] handed to the command layer
//! ([`commands::execute`]) with the logged-in [`Session`] — this module never writes itself.

pub mod task;

use std::collections::HashSet;
use std::path::{Path, PathBuf};

use crate::commands::{self, CommandError};
use crate::i18n::Lang;
use crate::model::{CompetitionSetup, Contestant, Event, Judge};
use crate::pin;
use crate::scoring::{self, Results};
use crate::store::{Entry, Store, StoreError};

pub use crate::commands::{
    Command, Confirm, DEMO_FLAG, DEMO_JUDGE_PIN, DEMO_ORGANISER_PIN, ORGANISER_PIN, Outcome, Role,
    Session,
};

/// Something the user did in the window that changes no competition file by itself.
#[derive(Clone, Debug, PartialEq)]
pub enum Action {
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
    DismissMessage(usize),
    /// Station mode: write the judge's packet now, into this folder (remembered) or the
    /// current one.
    WritePacket(Option<PathBuf>),
}

/// What the window asks of the app: an [`Action`] or a [`Command`] for the file.
#[derive(Clone, Debug, PartialEq)]
pub enum Request {
    Act(Action),
    Change(Command),
}

impl From<Action> for Request {
    fn from(a: Action) -> Self {
        Request::Act(a)
    }
}

impl From<Command> for Request {
    fn from(c: Command) -> Self {
        Request::Change(c)
    }
}

/// Why a request was refused or failed.
#[derive(Debug, thiserror::Error)]
pub enum AppError {
    #[error("请先打开比赛文件 (open a competition file first)")]
    NoFile,
    #[error("请先登录 (log in first)")]
    NotLoggedIn,
    #[error("PIN 不正确 (wrong PIN)")]
    WrongPin,
    #[error("{0}")]
    Invalid(String),
    #[error(transparent)]
    Command(#[from] CommandError),
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl AppError {
    /// The confirmation the command layer asks for, if that is what this is.
    pub fn needs_confirmation(&self) -> Option<&Confirm> {
        match self {
            AppError::Command(CommandError::NeedsConfirmation(c)) => Some(c),
            _ => None,
        }
    }
}

/// A status-line message; errors stay until dismissed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Message {
    pub text: String,
    pub error: bool,
}

/// A judge station: a judge kit is open (SPEC §6). Only that judge logs in, only the scoring
/// screen is shown, and every submit writes the judge's packet into `packet_dir`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Station {
    pub judge: String,
    /// Where packets go (a USB stick): set by the judge, else the kit's own folder.
    pub packet_dir: PathBuf,
    /// The last packet written: (file, sequence number, submitted sheets in it).
    pub last: Option<(PathBuf, u64, usize)>,
    /// Why the last packet could not be written (shown until one is written).
    pub error: Option<String>,
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
    /// Set when the file is a judge kit.
    pub station: Option<Station>,
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
            station: None,
            store,
            session: None,
            results: None,
            generation: 0,
        };
        if commands::kits::is_kit(&ws.store)
            && let Some(judge) = commands::kits::kit_judge(&ws.store)?
        {
            let kit_folder = ws
                .store
                .path()
                .parent()
                .map(Path::to_path_buf)
                .unwrap_or_default();
            let packet_dir = ws
                .store
                .meta(commands::packets::PACKET_DIR)?
                .map(PathBuf::from)
                .unwrap_or(kit_folder);
            ws.station = Some(Station {
                judge,
                packet_dir,
                last: None,
                error: None,
            });
        }
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

    /// Does a request, reporting failures to the status line too (except a question for the
    /// user, which the screen asks).
    pub fn run(&mut self, request: impl Into<Request>) -> Result<Outcome, AppError> {
        let result = self.apply(request);
        if let Err(e) = &result
            && e.needs_confirmation().is_none()
        {
            self.error(e.to_string());
        }
        result
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

    /// Does a request: an action here, a command through the command layer.
    pub fn apply(&mut self, request: impl Into<Request>) -> Result<Outcome, AppError> {
        match request.into() {
            Request::Act(action) => self.act(action),
            Request::Change(command) => {
                let submitted = matches!(command, Command::SaveSheet { submit: true, .. });
                let ws = self.ws()?;
                let session = ws.session.clone().ok_or(AppError::NotLoggedIn)?;
                let outcome = commands::execute(&mut ws.store, &session, command)?;
                ws.reload()?;
                if submitted && ws.station.is_some() {
                    self.write_packet(None);
                }
                Ok(outcome)
            }
        }
    }

    /// Station mode: writes the judge's packet into `dir` (remembered in the kit) or the
    /// station's folder; the result (or why not) is kept on the station and told once.
    /// Returns whether it was written.
    fn write_packet(&mut self, dir: Option<PathBuf>) -> bool {
        let Some(ws) = self.workspace.as_mut() else {
            return false;
        };
        let Some(station) = ws.station.as_mut() else {
            return false;
        };
        if let Some(d) = dir {
            station.packet_dir = d;
        }
        let dir = station.packet_dir.clone();
        let result = commands::packets::remember_packet_dir(&mut ws.store, &dir)
            .and_then(|()| commands::packets::write_packet(&mut ws.store, &dir));
        let Some(station) = ws.station.as_mut() else {
            return false;
        };
        match result {
            Ok((path, w)) => {
                station.last = Some((path.clone(), w.seq, w.submitted));
                station.error = None;
                self.info(format!("成绩包已写入 {} (packet written)", path.display()));
                true
            }
            Err(e) => {
                let text = format!("成绩已保存在本机，但成绩包未能写出：{e}");
                station.error = Some(text.clone());
                self.error(text);
                false
            }
        }
    }

    fn act(&mut self, action: Action) -> Result<Outcome, AppError> {
        match action {
            Action::NewCompetition {
                path,
                template,
                title,
                organiser_pin,
            } => {
                let store =
                    commands::new_competition(&path, &template, title.as_deref(), &organiser_pin)?;
                self.workspace = Some(Workspace::load(store)?);
                self.remember(&path);
                if let Some(ws) = self.workspace.as_mut() {
                    ws.session = Some(Session::organiser());
                }
                self.info(format!("已创建 {}", path.display()));
            }
            Action::Open(path) => {
                let store = Store::open(&path)?;
                self.workspace = Some(Workspace::load(store)?);
                self.remember(&path);
                self.info(format!("已打开 {}", path.display()));
            }
            Action::Close => {
                self.workspace = None;
            }
            Action::LoginOrganiser { pin: entered } => {
                let ws = self.ws()?;
                match ws.store.meta(ORGANISER_PIN)? {
                    Some(h) if pin::verify(entered.trim(), &h) => {
                        ws.session = Some(Session::organiser());
                    }
                    Some(_) => return Err(AppError::WrongPin),
                    None => {
                        return Err(AppError::Invalid(
                            "此文件没有设置管理员 PIN，无法以管理员登录 (no organiser PIN set)"
                                .into(),
                        ));
                    }
                }
            }
            Action::LoginJudge {
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
                    }
                    Some(_) => return Err(AppError::WrongPin),
                    None => {
                        return Err(AppError::Invalid(
                            "该评委还没有 PIN，请管理员生成 (this judge has no PIN yet)".into(),
                        ));
                    }
                }
            }
            Action::Logout => {
                self.ws()?.session = None;
            }
            Action::SetLang(lang) => {
                self.lang = lang;
            }
            Action::DismissMessage(i) => {
                if i < self.messages.len() {
                    self.messages.remove(i);
                }
            }
            Action::WritePacket(dir) => {
                if self.ws()?.station.is_none() {
                    return Err(AppError::Invalid(
                        "只有评分包（评委电脑）才能导出成绩包 (only a judge kit writes packets)"
                            .into(),
                    ));
                }
                if !self.write_packet(dir) {
                    let e = self
                        .workspace
                        .as_ref()
                        .and_then(|w| w.station.as_ref())
                        .and_then(|st| st.error.clone())
                        .unwrap_or_default();
                    return Err(AppError::Invalid(e));
                }
            }
        }
        Ok(Outcome::Done)
    }
}
