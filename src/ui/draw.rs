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
            });
        }
        if ui.button(s.draw_all).clicked() {
            command = Some(Command::Draw { event: None, seed });
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
    if let Some(c) = command {
        let _ = ui_state.send(c);
    }
}
