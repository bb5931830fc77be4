//! 现场亮分: the projector view of one event — large, high contrast, Chinese — drawn from
//! `scoring::projector` (which decides what may be shown). It follows the panels as sheets
//! arrive (from stations, the venue network or the desk); 全屏 fills the screen (a second
//! monitor), Esc leaves full screen.

use egui::{Color32, RichText};

use super::ScoreDeskUi;
use super::strings::Strings;
use super::widgets;
use crate::scoring::projector::{self, Current, View};

#[derive(Default)]
pub struct ProjectorView {
    pub event: Option<String>,
    pub fullscreen: bool,
    view: View,
    key: Option<(String, u64)>,
    error: Option<String>,
}

impl ProjectorView {
    /// What is on the screen (for tests).
    pub fn view(&self) -> &View {
        &self.view
    }
}

fn refresh(ui_state: &mut ScoreDeskUi) {
    let Some(code) = ui_state.projector.event.clone() else {
        return;
    };
    let Some(ws) = ui_state.app.workspace.as_mut() else {
        return;
    };
    let key = (code.clone(), ws.generation);
    if ui_state.projector.key.as_ref() == Some(&key) {
        return;
    }
    let blind = ws.event(&code).is_some_and(|e| e.blind);
    let codes = ws
        .entries
        .iter()
        .filter(|e| e.event == code)
        .filter_map(|e| e.anon_code.clone().map(|c| (e.contestant.clone(), c)))
        .collect();
    let recent = ws.store.recent_contestants(&code, 9);
    let results = ws
        .results()
        .map(|r| r.events.iter().find(|e| e.code == code).cloned());
    match (recent, results) {
        (Ok(recent), Ok(Some(er))) => {
            ui_state.projector.view = projector::build(&er, &recent, &codes, blind, 8);
            ui_state.projector.error = None;
        }
        (Err(e), _) => ui_state.projector.error = Some(e.to_string()),
        (_, Err(e)) => ui_state.projector.error = Some(e.to_string()),
        (_, Ok(None)) => ui_state.projector.view = View::default(),
    }
    ui_state.projector.key = Some(key);
}

pub fn show(ui_state: &mut ScoreDeskUi, ui: &mut egui::Ui, s: &Strings) {
    let Some(ws) = ui_state.app.workspace.as_ref() else {
        return;
    };
    let Some(session) = ws.session.clone() else {
        return;
    };
    let events: Vec<crate::model::Event> = ws
        .setup
        .events
        .iter()
        .filter(|e| session.sees_event(&e.code))
        .cloned()
        .collect();
    let v = &mut ui_state.projector;
    if v.event
        .as_ref()
        .is_none_or(|e| !events.iter().any(|x| &x.code == e))
    {
        v.event = events.first().map(|e| e.code.clone());
    }
    if !v.fullscreen {
        ui.horizontal(|ui| {
            widgets::event_combo(ui, "projector-event", s.event, &events, &mut v.event);
            if ui.button(s.fullscreen).clicked() {
                v.fullscreen = true;
                ui.ctx()
                    .send_viewport_cmd(egui::ViewportCommand::Fullscreen(true));
            }
        });
    } else if ui.input(|i| i.key_pressed(egui::Key::Escape)) {
        v.fullscreen = false;
        ui.ctx()
            .send_viewport_cmd(egui::ViewportCommand::Fullscreen(false));
    }
    refresh(ui_state);
    ui.ctx()
        .request_repaint_after(std::time::Duration::from_secs(1));
    let p = &ui_state.projector;
    if let Some(e) = &p.error {
        ui.colored_label(ui.visuals().error_fg_color, e);
        return;
    }
    let bg = Color32::from_rgb(12, 16, 28);
    let white = Color32::WHITE;
    let gold = Color32::from_rgb(255, 200, 60);
    let dim = Color32::from_rgb(150, 160, 180);
    egui::Frame::new()
        .fill(bg)
        .inner_margin(24.0)
        .show(ui, |ui| {
            ui.set_min_size(ui.available_size());
            ui.label(RichText::new(&p.view.event).size(30.0).color(dim));
            ui.add_space(12.0);
            let d = p.view.decimals;
            match &p.view.current {
                None => {
                    ui.label(RichText::new(s.waiting_first).size(40.0).color(dim));
                }
                Some(Current::Scoring {
                    code,
                    name,
                    received,
                    expected,
                }) => {
                    ui.label(
                        RichText::new(who(code, name.as_deref()))
                            .size(64.0)
                            .color(white)
                            .strong(),
                    );
                    ui.add_space(20.0);
                    ui.label(
                        RichText::new(format!("{} {received}/{expected}", s.received_of))
                            .size(56.0)
                            .color(gold),
                    );
                }
                Some(Current::Final {
                    code,
                    name,
                    scores,
                    final_score,
                    rank,
                    group,
                }) => {
                    ui.label(
                        RichText::new(who(code, name.as_deref()))
                            .size(64.0)
                            .color(white)
                            .strong(),
                    );
                    ui.label(RichText::new(group).size(28.0).color(dim));
                    ui.add_space(16.0);
                    ui.horizontal_wrapped(|ui| {
                        for (judge, score, dropped) in scores {
                            let text = RichText::new(format!("{score}")).size(48.0);
                            let text = if *dropped {
                                text.strikethrough().color(dim)
                            } else {
                                text.color(white)
                            };
                            ui.vertical(|ui| {
                                ui.label(RichText::new(judge).size(18.0).color(dim));
                                ui.label(text);
                            });
                            ui.add_space(18.0);
                        }
                    });
                    ui.add_space(16.0);
                    if let Some(f) = final_score {
                        ui.label(
                            RichText::new(format!("{} {}", s.final_score, f.format(d)))
                                .size(96.0)
                                .color(gold)
                                .strong(),
                        );
                    }
                    if let Some(r) = rank {
                        ui.label(
                            RichText::new(format!("{} {r}", s.rank_so_far))
                                .size(40.0)
                                .color(white),
                        );
                    }
                }
            }
            if !p.view.latest.is_empty() {
                ui.add_space(24.0);
                ui.label(RichText::new(s.latest_results).size(30.0).color(dim));
                for l in &p.view.latest {
                    ui.label(
                        RichText::new(format!(
                            "{}    {}    {}",
                            who(&l.code, l.name.as_deref()),
                            l.final_score.format(d),
                            l.rank.map(|r| format!("#{r}")).unwrap_or_default()
                        ))
                        .size(28.0)
                        .color(white),
                    );
                }
            }
        });
}

fn who(code: &str, name: Option<&str>) -> String {
    match name {
        Some(n) if !n.is_empty() => format!("{code}  {n}"),
        _ => code.to_string(),
    }
}
