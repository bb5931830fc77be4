//! The eframe window: a frame (top bar, navigation, status line) around one screen at a time.
//!
//! Screens draw state and send [`Command`]s to [`App`]; they never touch the store directly.
//! One file per screen; `strings.rs` holds every user-visible string in both languages.

pub mod fonts;
pub mod strings;

mod audit;
mod contestants;
mod draw;
mod events;
mod judges;
mod login;
pub mod packets;
mod printing;
pub mod progress;
pub mod projector;
mod results;
mod scoring;
mod start;
mod station;
mod widgets;

use std::path::PathBuf;

use egui::{Color32, RichText};

use crate::app::{Action, App, Role};
use crate::i18n::Lang;
use strings::Strings;

/// The screens after login.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Screen {
    Scoring,
    Progress,
    Results,
    Setup,
    Contestants,
    Judges,
    Draw,
    Printing,
    Projector,
    Audit,
}

impl Screen {
    /// Screens a role may open, in navigation order.
    pub fn for_role(role: Role) -> &'static [Screen] {
        match role {
            Role::Organiser => &[
                Screen::Setup,
                Screen::Contestants,
                Screen::Judges,
                Screen::Draw,
                Screen::Scoring,
                Screen::Progress,
                Screen::Results,
                Screen::Printing,
                Screen::Projector,
                Screen::Audit,
            ],
            Role::HeadJudge => &[
                Screen::Scoring,
                Screen::Progress,
                Screen::Results,
                Screen::Projector,
            ],
            Role::Judge | Role::Recorder => &[Screen::Scoring],
        }
    }

    fn label(self, s: &Strings) -> &'static str {
        match self {
            Screen::Scoring => s.nav_scoring,
            Screen::Progress => s.nav_progress,
            Screen::Results => s.nav_results,
            Screen::Setup => s.nav_setup,
            Screen::Contestants => s.nav_contestants,
            Screen::Judges => s.nav_judges,
            Screen::Draw => s.nav_draw,
            Screen::Printing => s.nav_printing,
            Screen::Projector => s.nav_projector,
            Screen::Audit => s.nav_audit,
        }
    }
}

/// The GUI: application state plus each screen's own view state.
pub struct ScoreDeskUi {
    pub app: App,
    pub screen: Screen,
    pub start: start::StartView,
    pub login: login::LoginView,
    pub scoring: scoring::ScoringView,
    pub results: results::ResultsView,
    pub setup: events::EventsView,
    pub contestants: contestants::ContestantsView,
    pub judges: judges::JudgesView,
    pub draw: draw::DrawView,
    pub audit: audit::AuditView,
    pub printing: printing::PrintingView,
    pub progress: progress::ProgressView,
    pub station: station::StationView,
    pub packets: packets::PacketsView,
    pub projector: projector::ProjectorView,
    /// Larger text for a laptop at arm's length.
    pub large_text: bool,
    /// The text size last applied to the context.
    applied_large_text: Option<bool>,
    /// 关闭文件 was clicked: the window asks before closing.
    pub confirm_close: bool,
}

impl ScoreDeskUi {
    pub fn new(app: App) -> Self {
        ScoreDeskUi {
            app,
            screen: Screen::Scoring,
            start: start::StartView::default(),
            login: login::LoginView::default(),
            scoring: scoring::ScoringView::default(),
            results: results::ResultsView::default(),
            setup: events::EventsView::default(),
            contestants: contestants::ContestantsView::default(),
            judges: judges::JudgesView::default(),
            draw: draw::DrawView::default(),
            audit: audit::AuditView::default(),
            printing: printing::PrintingView::default(),
            progress: progress::ProgressView::default(),
            station: station::StationView::default(),
            packets: packets::PacketsView::default(),
            projector: projector::ProjectorView::default(),
            large_text: false,
            applied_large_text: None,
            confirm_close: false,
        }
    }

    /// Sends a command; failures go to the status line.
    pub fn send(
        &mut self,
        request: impl Into<crate::app::Request>,
    ) -> Result<crate::app::Outcome, crate::app::AppError> {
        let was_logged_in = self.logged_in_role();
        let before = self.identity();
        let r = self.app.run(request);
        // Another file, or another person: nothing derived from the last one stays on screen.
        if self.identity() != before {
            self.reset_views();
        }
        let role = self.logged_in_role();
        if role != was_logged_in
            && let Some(role) = role
        {
            self.screen = Screen::for_role(role)[0];
        }
        r
    }

    /// Which file is open and who is logged in.
    fn identity(&self) -> (Option<PathBuf>, Option<crate::app::Session>) {
        match &self.app.workspace {
            Some(w) => (Some(w.store.path().to_path_buf()), w.session.clone()),
            None => (None, None),
        }
    }

    /// Drops every screen's cached data and selections (the language and text size stay).
    pub fn reset_views(&mut self) {
        self.login = login::LoginView::default();
        self.scoring = scoring::ScoringView::default();
        self.results = results::ResultsView::default();
        self.setup = events::EventsView::default();
        self.contestants = contestants::ContestantsView::default();
        self.judges = judges::JudgesView::default();
        self.draw = draw::DrawView::default();
        self.audit = audit::AuditView::default();
        self.printing = printing::PrintingView::default();
        self.progress = progress::ProgressView::default();
        self.station = station::StationView::default();
        self.packets = packets::PacketsView::default();
        self.projector = projector::ProjectorView::default();
    }

    fn logged_in_role(&self) -> Option<Role> {
        self.app
            .workspace
            .as_ref()
            .and_then(|w| w.session.as_ref())
            .map(|s| s.role)
    }

    /// Draws the whole window into `ui` (called by eframe, and by tests and benches directly).
    pub fn show(&mut self, ui: &mut egui::Ui) {
        let s = strings::get(self.app.lang);
        self.app.tick();
        if self
            .app
            .workspace
            .as_ref()
            .is_some_and(|w| w.backups.busy())
        {
            ui.ctx()
                .request_repaint_after(std::time::Duration::from_millis(200));
        }
        // The tamper check of the open file runs on another thread; its answer lands here.
        if let Some(ws) = self.app.workspace.as_mut() {
            if let Some(Err(e)) = ws.poll_tamper_check() {
                self.app.error(e);
            } else if ws.tamper_check_running() {
                ui.ctx()
                    .request_repaint_after(std::time::Duration::from_millis(100));
            }
        }
        if self.applied_large_text != Some(self.large_text) {
            apply_text_size(ui.ctx(), self.large_text);
            self.applied_large_text = Some(self.large_text);
        }
        let role = self.logged_in_role();
        // The projector in full screen shows nothing but itself.
        let bare = self.screen == Screen::Projector && self.projector.fullscreen && role.is_some();
        if !bare {
            self.top_bar(ui, s);
            self.status_line(ui, s);
        }
        if self.confirm_close {
            let mut answer = None;
            egui::Window::new(s.close_file)
                .collapsible(false)
                .resizable(false)
                .show(ui.ctx(), |ui| {
                    ui.label(s.close_confirm);
                    ui.horizontal(|ui| {
                        if ui.button(s.close_file).clicked() {
                            answer = Some(true);
                        }
                        if ui.button(s.cancel).clicked() {
                            answer = Some(false);
                        }
                    });
                });
            match answer {
                Some(true) => {
                    self.confirm_close = false;
                    let _ = self.send(Action::Close);
                }
                Some(false) => self.confirm_close = false,
                None => {}
            }
        }
        if let Some(role) = role.filter(|_| !bare) {
            egui::Panel::left("nav")
                .resizable(false)
                .exact_size(150.0)
                .show(ui, |ui| {
                    ui.add_space(8.0);
                    for &screen in Screen::for_role(role) {
                        let selected = self.screen == screen;
                        let button = egui::Button::selectable(
                            selected,
                            RichText::new(screen.label(s)).size(17.0),
                        );
                        if ui.add_sized([136.0, 34.0], button).clicked() {
                            self.screen = screen;
                        }
                    }
                });
        }
        egui::CentralPanel::default().show(ui, |ui| {
            if self.app.workspace.is_none() {
                start::show(self, ui, s);
            } else if role.is_none() {
                login::show(self, ui, s);
            } else {
                if !Screen::for_role(role.unwrap_or(Role::Judge)).contains(&self.screen) {
                    self.screen = Screen::for_role(role.unwrap_or(Role::Judge))[0];
                }
                match self.screen {
                    Screen::Scoring => {
                        station::show(self, ui, s);
                        scoring::show(self, ui, s)
                    }
                    Screen::Progress => {
                        packets::show(self, ui, s);
                        progress::show(self, ui, s)
                    }
                    Screen::Results => results::show(self, ui, s),
                    Screen::Setup => events::show(self, ui, s),
                    Screen::Contestants => contestants::show(self, ui, s),
                    Screen::Judges => judges::show(self, ui, s),
                    Screen::Draw => draw::show(self, ui, s),
                    Screen::Printing => printing::show(self, ui, s),
                    Screen::Projector => projector::show(self, ui, s),
                    Screen::Audit => audit::show(self, ui, s),
                }
            }
        });
    }

    fn top_bar(&mut self, ui: &mut egui::Ui, s: &Strings) {
        egui::Panel::top("top").show(ui, |ui| {
            ui.horizontal(|ui| {
                let title = self
                    .app
                    .workspace
                    .as_ref()
                    .map(|w| w.setup.competition.title.clone())
                    .unwrap_or_else(|| s.app_name.to_string());
                ui.label(RichText::new(title).size(20.0).strong());
                if let Some(ws) = &self.app.workspace {
                    ui.label(RichText::new(format!("{} · {}", ws.file_name(), s.saved)).weak());
                }

                ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
                    if self.logged_in_role().is_some() && ui.button(s.logout).clicked() {
                        let _ = self.send(Action::Logout);
                    }
                    let other = match self.app.lang {
                        Lang::Zh => (Lang::En, "English"),
                        Lang::En => (Lang::Zh, "中文"),
                    };
                    if ui.button(other.1).clicked() {
                        let _ = self.send(Action::SetLang(other.0));
                    }
                    ui.checkbox(&mut self.large_text, s.large_text);
                    // 关闭文件 sits away from 退出登录 (never on the same spot) and asks first.
                    if self.app.workspace.is_some()
                        && self.logged_in_role().is_none()
                        && ui.button(s.close_file).clicked()
                    {
                        self.confirm_close = true;
                    }
                    if let Some(session) =
                        self.app.workspace.as_ref().and_then(|w| w.session.as_ref())
                    {
                        let role = match session.role {
                            Role::Organiser => s.role_organiser,
                            Role::HeadJudge => s.role_head_judge,
                            Role::Judge => s.role_judge,
                            Role::Recorder => s.role_recorder,
                        };
                        ui.label(format!("{role}：{}", session.name));
                    }
                });
            });
            if self.app.workspace.as_ref().is_some_and(|w| w.tampered) {
                ui.label(
                    RichText::new(s.tampered)
                        .color(ui.visuals().error_fg_color)
                        .strong(),
                );
            }
        });
    }

    fn status_line(&mut self, ui: &mut egui::Ui, s: &Strings) {
        egui::Panel::bottom("status").show(ui, |ui| {
            let mut dismiss = None;
            if self.app.messages.is_empty() {
                ui.label(RichText::new(s.ready).weak());
            }
            for (i, m) in self.app.messages.iter().enumerate() {
                ui.horizontal(|ui| {
                    let color = if m.error {
                        Color32::from_rgb(200, 40, 40)
                    } else {
                        ui.visuals().text_color()
                    };
                    // One language at a time: the window's choice.
                    let text = crate::i18n::one_language(&m.text, self.app.lang);
                    ui.label(RichText::new(text).color(color));
                    if ui.small_button(s.dismiss).clicked() {
                        dismiss = Some(i);
                    }
                });
            }
            if let Some(i) = dismiss {
                let _ = self.send(Action::DismissMessage(i));
            }
        });
    }
}

fn apply_text_size(ctx: &egui::Context, large: bool) {
    let scale = if large { 1.25 } else { 1.0 };
    ctx.global_style_mut(|style| {
        use egui::{FontId, TextStyle};
        style.text_styles = [
            (TextStyle::Small, FontId::proportional(12.0 * scale)),
            (TextStyle::Body, FontId::proportional(16.0 * scale)),
            (TextStyle::Button, FontId::proportional(16.0 * scale)),
            (TextStyle::Heading, FontId::proportional(22.0 * scale)),
            (TextStyle::Monospace, FontId::monospace(15.0 * scale)),
        ]
        .into();
        // Table rows are clicked to select them; labels must not swallow the click.
        style.interaction.selectable_labels = false;
    });
}

/// The key under which the recent files are kept in eframe's storage.
pub const RECENT_KEY: &str = "scoredesk-recent-files";

impl eframe::App for ScoreDeskUi {
    fn ui(&mut self, ui: &mut egui::Ui, _frame: &mut eframe::Frame) {
        self.show(ui);
        report_first_frame();
    }

    /// Keeps the recent files across runs.
    fn save(&mut self, storage: &mut dyn eframe::Storage) {
        eframe::set_value(storage, RECENT_KEY, &self.app.recent);
    }
}

static PROCESS_START: std::sync::OnceLock<std::time::Instant> = std::sync::OnceLock::new();

/// Records when the process started (for `SCOREDESK_STARTUP_TIMING=1`).
pub fn mark_process_start() {
    let _ = PROCESS_START.set(std::time::Instant::now());
}

/// Prints the time from process start to the first frame once, when asked to.
fn report_first_frame() {
    static DONE: std::sync::Once = std::sync::Once::new();
    DONE.call_once(|| {
        if std::env::var_os("SCOREDESK_STARTUP_TIMING").is_some()
            && let Some(start) = PROCESS_START.get()
        {
            eprintln!(
                "first frame after {:.0} ms",
                start.elapsed().as_secs_f64() * 1e3
            );
        }
    });
}

/// Opens the window: the start screen, or `file` directly (the demo is created if asked for).
pub fn run(file: Option<PathBuf>) -> Result<(), String> {
    let mut app = App::new(Lang::Zh);
    if let Some(path) = file
        && let Err(e) = app.apply(Action::Open(path))
    {
        app.error(e.to_string());
    }
    let options = eframe::NativeOptions {
        viewport: egui::ViewportBuilder::default()
            .with_title("ScoreDesk 教师教学技能大赛评分系统")
            .with_inner_size([1280.0, 800.0])
            .with_min_inner_size([900.0, 600.0]),
        ..Default::default()
    };
    eframe::run_native(
        "ScoreDesk",
        options,
        Box::new(|cc| {
            fonts::install(&cc.egui_ctx);
            let mut app = app;
            if let Some(kept) = cc
                .storage
                .and_then(|s| eframe::get_value::<Vec<crate::app::RecentFile>>(s, RECENT_KEY))
            {
                app.restore_recent(kept);
            }
            Ok(Box::new(ScoreDeskUi::new(app)))
        }),
    )
    .map_err(|e| e.to_string())
}
