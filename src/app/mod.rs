//! Application state: the open file, the session, caches the screens read, the status line.
//! The window's actions that change no file (open, close, log in, language) are [`Action`]s
//! handled here; every change to the file is a [`Command`] handed to the command layer
//! ([`commands::execute`]) with the logged-in [`Session`] — this module never writes itself.

pub mod task;
mod workspace;

pub use workspace::{BACKUP_EVERY, Backups, Station, Workspace};

use std::path::{Path, PathBuf};

use crate::commands::{self, CommandError};
use crate::i18n::Lang;

use crate::pin;

use crate::store::{Store, StoreError};

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
    /// 记分员 login (double entry of paper sheets).
    LoginRecorder {
        recorder: String,
        pin: String,
    },
    Logout,
    SetLang(Lang),
    DismissMessage(usize),
    /// Station mode: write the judge's packet now, into this folder (remembered) or the
    /// current one.
    WritePacket(Option<PathBuf>),
    /// An automatic backup now (before merging a batch of USB packets).
    BackupNow(String),
    /// 开启现场网络: the master serves the venue network on this port (0: any free port).
    StartServer {
        bind: String,
        port: u16,
    },
    StopServer,
    /// Station mode: the master's address on the venue network (sending starts).
    SetMaster(String),
    /// Restore the open file from a backup: it is closed, restored (the current state kept
    /// as a backup first) and opened again; the user must log in again.
    Restore(PathBuf),
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

/// A recently opened competition file, with what the start screen shows of it.
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct RecentFile {
    pub path: PathBuf,
    /// The competition's title and dates when it was last opened.
    pub title: String,
    pub dates: String,
}

/// How many errors the status line keeps (the newest).
const MESSAGES_KEPT: usize = 3;

/// How many recent files are kept.
const RECENT_KEPT: usize = 8;

/// The whole application state (no egui in here).
#[derive(Default)]
pub struct App {
    pub lang: Lang,
    pub workspace: Option<Workspace>,
    pub messages: Vec<Message>,
    /// Recently opened files, newest first (kept across runs by the window).
    pub recent: Vec<RecentFile>,
    /// Wrong PINs in a row, and until when logging in is refused because of them.
    login_failures: u32,
    login_blocked_until: Option<std::time::Instant>,
}

impl App {
    pub fn new(lang: Lang) -> Self {
        crate::i18n::set_message_lang(lang);
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
        let text = text.into();
        // The same error again moves to the end instead of piling up; at most the last few.
        self.messages.retain(|m| m.text != text);
        self.messages.push(Message { text, error: true });
        let errors = self.messages.iter().filter(|m| m.error).count();
        if errors > MESSAGES_KEPT {
            let mut drop = errors - MESSAGES_KEPT;
            self.messages.retain(|m| {
                let gone = m.error && drop > 0;
                drop -= usize::from(gone);
                !gone
            });
        }
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

    /// Puts the file just opened first in the recent files, with its title and dates.
    fn remember(&mut self, path: &Path) {
        let (title, dates) = self
            .workspace
            .as_ref()
            .map(|ws| {
                let c = &ws.setup.competition;
                (c.title.clone(), c.dates.clone())
            })
            .unwrap_or_default();
        let entry = RecentFile {
            path: path.to_path_buf(),
            title,
            dates,
        };
        self.recent.retain(|r| r.path != entry.path);
        self.recent.insert(0, entry);
        self.recent.truncate(RECENT_KEPT);
    }

    /// Adds recent files kept from an earlier run after the ones of this run (no duplicates).
    pub fn restore_recent(&mut self, kept: Vec<RecentFile>) {
        for r in kept {
            if !self.recent.iter().any(|x| x.path == r.path) {
                self.recent.push(r);
            }
        }
        self.recent.truncate(RECENT_KEPT);
    }

    /// Does a request: an action here, a command through the command layer.
    pub fn apply(&mut self, request: impl Into<Request>) -> Result<Outcome, AppError> {
        match request.into() {
            Request::Act(action) => self.act(action),
            Request::Change(command) => {
                let submitted = matches!(command, Command::SaveSheet { submit: true, .. });
                // A backup before an operation that is hard to undo (its snapshot is taken
                // before the change; the copy is written by another thread).
                let risky = match &command {
                    Command::Draw { .. } => Some("before-draw"),
                    Command::UpdateEvent { .. } | Command::UpdateAwards(_) => Some("before-rules"),
                    _ => None,
                };
                if let Some(reason) = risky {
                    self.backup_now(reason);
                }
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

    /// Starts an automatic backup of the open file now (returns once its snapshot is taken, so
    /// what follows is not in it); `reason` goes into the file name.
    pub fn backup_now(&mut self, reason: &str) {
        let Some(ws) = self.workspace.as_mut() else {
            return;
        };
        match crate::store::start_rolling_backup(ws.store.path(), reason) {
            Ok(handle) => {
                ws.backups.running.push(handle);
                ws.backups.started = Some(std::time::Instant::now());
            }
            Err(e) => {
                let text = format!("自动备份失败 (automatic backup failed): {e}");
                ws.backups.last = Some(Err(text.clone()));
                self.error(text);
            }
        }
    }

    /// Called every frame: refreshes what the screens show when the venue server merged
    /// packets, starts the 10-minute backup when due and collects finished ones.
    pub fn tick(&mut self) {
        let Some(ws) = self.workspace.as_mut() else {
            return;
        };
        if let Some(n) = ws.server.as_ref().map(crate::net::server::Server::merged)
            && n != ws.seen_merges
        {
            ws.seen_merges = n;
            if let Err(e) = ws.reload() {
                let text = e.to_string();
                self.error(text);
                return;
            }
        }
        let Some(ws) = self.workspace.as_mut() else {
            return;
        };
        let now = std::time::Instant::now();
        let due = match ws.backups.started {
            None => {
                ws.backups.started = Some(now);
                false
            }
            Some(t) => now.duration_since(t) >= BACKUP_EVERY && !ws.backups.busy(),
        };
        let mut failed = None;
        let running = std::mem::take(&mut ws.backups.running);
        for h in running {
            if h.is_finished() {
                let r = h
                    .join()
                    .map_err(|_| "备份线程出错 (the backup thread failed)".to_string())
                    .and_then(|r| r.map_err(|e| e.to_string()));
                if let Err(e) = &r {
                    failed = Some(format!("自动备份失败 (automatic backup failed): {e}"));
                }
                ws.backups.last = Some(r);
            } else {
                ws.backups.running.push(h);
            }
        }
        if let Some(e) = failed {
            self.error(e);
        }
        if due {
            self.backup_now("auto");
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
        let built = commands::packets::remember_packet_dir(&mut ws.store, &dir)
            .and_then(|()| commands::packets::build_packet(&mut ws.store));
        // The network (when on) gets it whether or not the USB folder is there.
        if let (Ok(w), Some(sender)) = (&built, &ws.sender) {
            sender.queue(w.seq, w.submitted, w.bytes.clone(), w.hash.clone());
        }
        let result =
            built.and_then(|w| commands::packets::save_packet(&dir, &w).map(|path| (path, w)));
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
        let login = matches!(
            action,
            Action::LoginOrganiser { .. }
                | Action::LoginJudge { .. }
                | Action::LoginRecorder { .. }
        );
        if login
            && let Some(until) = self.login_blocked_until
            && let Some(left) = until.checked_duration_since(std::time::Instant::now())
        {
            return Err(AppError::Invalid(format!(
                "PIN 错误次数过多，请 {} 秒后再试 (too many wrong PINs; wait)",
                left.as_secs() + 1
            )));
        }
        let result = self.act_now(action);
        if login {
            match &result {
                Err(AppError::WrongPin) => {
                    // Wrong PINs are slowed down: from the third one on, 2, 4, 8 … 30 seconds.
                    self.login_failures += 1;
                    if self.login_failures >= 3 {
                        let wait = 2_u64.saturating_pow(self.login_failures - 2).min(30);
                        self.login_blocked_until =
                            Some(std::time::Instant::now() + std::time::Duration::from_secs(wait));
                    }
                }
                Ok(_) => {
                    self.login_failures = 0;
                    self.login_blocked_until = None;
                }
                Err(_) => {}
            }
        }
        result
    }

    fn act_now(&mut self, action: Action) -> Result<Outcome, AppError> {
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
                let sealed = self.workspace.as_mut().map(Workspace::seal_now);
                self.workspace = None;
                if let Some(Err(e)) = sealed {
                    self.error(e.to_string());
                }
            }
            Action::LoginOrganiser { pin: entered } => {
                let ws = self.ws()?;
                match ws.store.meta(ORGANISER_PIN)? {
                    Some(h) if pin::verify(entered.trim(), &h) => {
                        ws.session = Some(Session::organiser());
                        ws.seal_key = Some(commands::seal_key(&mut ws.store, &entered)?);
                        ws.seal_now()?;
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
            Action::LoginRecorder {
                recorder,
                pin: entered,
            } => {
                let ws = self.ws()?;
                let id = recorder.trim().to_string();
                let Some(r) = ws.store.recorders()?.into_iter().find(|r| r.id == id) else {
                    return Err(AppError::Invalid(format!(
                        "没有记分员 {id} (no such recorder)"
                    )));
                };
                match ws.store.recorder_pin_hash(&id)? {
                    Some(h) if pin::verify(entered.trim(), &h) => {
                        ws.session = Some(Session::for_recorder(&r));
                    }
                    _ => return Err(AppError::WrongPin),
                }
            }
            Action::Logout => {
                let ws = self.ws()?;
                let sealed = ws.seal_now();
                ws.seal_key = None;
                ws.session = None;
                sealed?;
            }
            Action::SetLang(lang) => {
                self.lang = lang;
                crate::i18n::set_message_lang(lang);
            }
            Action::DismissMessage(i) => {
                if i < self.messages.len() {
                    self.messages.remove(i);
                }
            }
            Action::StartServer { bind, port } => {
                let ws = self.ws()?;
                if ws.station.is_some() {
                    return Err(AppError::Invalid(
                        "评分包不能开启现场网络 (a judge kit cannot serve)".into(),
                    ));
                }
                if ws.server.is_none() {
                    let writer = Store::second_writer(&ws.store)?;
                    let server = crate::net::server::start(writer, &bind, port)
                        .map_err(|e| AppError::Invalid(e.to_string()))?;
                    ws.seen_merges = server.merged();
                    ws.server = Some(server);
                }
            }
            Action::StopServer => {
                if let Some(server) = self.ws()?.server.take() {
                    server.stop();
                }
            }
            Action::SetMaster(address) => {
                let ws = self.ws()?;
                if ws.station.is_none() {
                    return Err(AppError::Invalid(
                        "只有评分包（评委电脑）才发送成绩包 (only a judge kit sends packets)"
                            .into(),
                    ));
                }
                commands::packets::remember_master(&mut ws.store, &address)?;
                ws.sender = Some(crate::net::client::Sender::start(
                    address.trim().to_string(),
                ));
                // Send what is there now.
                self.write_packet(None);
            }
            Action::BackupNow(reason) => {
                self.ws()?;
                self.backup_now(&reason);
            }
            Action::Restore(backup) => {
                let path = self.ws()?.store.path().to_path_buf();
                self.workspace = None;
                let result = commands::restore::restore(&path, &backup, commands::ORGANISER);
                // Whatever happened, open the file again.
                let reopened = Store::open(&path)
                    .map_err(AppError::from)
                    .and_then(Workspace::load);
                match reopened {
                    Ok(ws) => self.workspace = Some(ws),
                    Err(e) => self.error(e.to_string()),
                }
                let plan = result?;
                self.info(format!("已恢复：{}", plan.summary()));
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_status_line_neither_piles_up_nor_repeats() {
        let mut app = App::new(Lang::Zh);
        app.error("无法写入 (cannot write)");
        app.error("无法写入 (cannot write)");
        assert_eq!(app.messages.len(), 1, "the same error is shown once");
        for e in ["a", "b", "c", "d"] {
            app.error(e);
        }
        let texts: Vec<&str> = app.messages.iter().map(|m| m.text.as_str()).collect();
        assert_eq!(texts, ["b", "c", "d"], "the newest few are kept");
        app.info("已保存");
        app.info("已保存");
        assert_eq!(app.messages.iter().filter(|m| !m.error).count(), 1);
    }
}
