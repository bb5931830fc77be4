//! Draw (抽签): a seeded, reproducible order and anonymous code per event; the seed is recorded.

use egui::RichText;

use super::ScoreDeskUi;
use super::strings::Strings;
use super::widgets;
use crate::app::Command;

#[derive(Default)]
pub struct DrawView {
    pub event: Option<String>,
    pub seed: String,
    /// A re-draw after scoring being confirmed: the command, what the user typed, the reason.
    pub redraw: Option<(Command, String, String, String)>,
}

pub fn show(ui_state: &mut ScoreDeskUi, ui: &mut egui::Ui, s: &Strings) {
    let Some(ws) = ui_state.app.workspace.as_ref() else {
        return;
    };
    let events = ws.setup.events.clone();
    let v = &mut ui_state.draw;
    if v.event.is_none() {
        v.event = events.first().map(|e| e.code.clone());
    }
    let code = v.event.clone().unwrap_or_default();
    let mut command = None;
    ui.horizontal(|ui| {
        widgets::event_combo(ui, "draw-event", s.event, &events, &mut v.event);
        let l = ui.label(s.seed);
        ui.add(
            egui::TextEdit::singleline(&mut v.seed)
                .desired_width(120.0)
                .hint_text(s.seed_hint),
        )
        .labelled_by(l.id);
        let seed = v.seed.trim().parse::<u64>().ok();
        if ui.button(s.draw_this).clicked() {
            command = Some(Command::Draw {
                event: Some(code.clone()),
                seed,
                redraw: None,
            });
        }
        if ui.button(s.draw_all).clicked() {
            command = Some(Command::Draw {
                event: None,
                seed,
                redraw: None,
            });
        }
    });
    match ws.store.draw_seed(&code) {
        Ok(Some(seed)) => {
            ui.label(RichText::new(format!("{} {seed}", s.recorded_seed)).strong());
        }
        Ok(None) => {
            ui.label(s.not_drawn);
        }
        // A failed read is an error on screen, not "not drawn".
        Err(e) => {
            ui.colored_label(ui.visuals().error_fg_color, e.to_string());
        }
    }
    egui::ScrollArea::vertical().show(ui, |ui| {
        egui::Grid::new("draw-order").striped(true).show(ui, |ui| {
            for t in [s.order, s.anon_code, s.code, s.name, s.group] {
                ui.strong(t);
            }
            ui.end_row();
            for e in ws.entries.iter().filter(|e| e.event == code) {
                let Some(c) = ws.contestant(&e.contestant) else {
                    continue;
                };
                ui.label(e.draw_order.map(|n| n.to_string()).unwrap_or_default());
                ui.label(e.anon_code.clone().unwrap_or_default());
                ui.label(&c.id);
                ui.label(&c.name);
                ui.label(c.group());
                ui.end_row();
            }
        });
    });
    redraw_ui(ui_state, ui, s, &mut command);
    if let Some(c) = command {
        match ui_state.send(c.clone()) {
            Err(e) => {
                if let Some(question) = e.needs_confirmation() {
                    ui_state.draw.redraw =
                        Some((c, question.to_string(), String::new(), String::new()));
                }
            }
            Ok(_) => ui_state.app.info(s.saved_ok),
        }
    }
}

/// The word to type to confirm a re-draw after scoring.
pub const REDRAW_WORD: &str = "重新抽签";

/// A re-draw after scoring: type 重新抽签 and a reason, or cancel.
fn redraw_ui(
    ui_state: &mut ScoreDeskUi,
    ui: &mut egui::Ui,
    s: &Strings,
    command: &mut Option<Command>,
) {
    let Some((cmd, question, typed, reason)) = ui_state.draw.redraw.as_mut() else {
        return;
    };
    let mut done = false;
    egui::Window::new(s.redraw_title)
        .collapsible(false)
        .resizable(false)
        .show(ui.ctx(), |ui| {
            ui.label(question.as_str());
            ui.horizontal(|ui| {
                let l = ui.label(s.redraw_type);
                ui.add(egui::TextEdit::singleline(typed).desired_width(120.0))
                    .labelled_by(l.id);
            });
            ui.horizontal(|ui| {
                let l = ui.label(s.reason);
                ui.add(egui::TextEdit::singleline(reason).desired_width(260.0))
                    .labelled_by(l.id);
            });
            let ready = typed.trim() == REDRAW_WORD && !reason.trim().is_empty();
            ui.horizontal(|ui| {
                if ui
                    .add_enabled(ready, egui::Button::new(s.redraw_confirm))
                    .clicked()
                {
                    if let Command::Draw { event, seed, .. } = cmd.clone() {
                        *command = Some(Command::Draw {
                            event,
                            seed,
                            redraw: Some(reason.trim().to_string()),
                        });
                    }
                    done = true;
                }
                if ui.button(s.cancel).clicked() {
                    done = true;
                }
            });
        });
    if done {
        ui_state.draw.redraw = None;
    }
}
