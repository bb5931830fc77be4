//! Judges and panels (评委与评审组): import (PINs generated), panel seats per event,
//! head judges, recusal shown per judge, PIN reset and slips.

use std::collections::HashMap;

use egui::RichText;

use super::ScoreDeskUi;
use super::strings::Strings;
use super::widgets;
use crate::app::{Command, Outcome};

#[derive(Default)]
pub struct JudgesView {
    pub import_path: String,
    pub report: Vec<String>,
    /// PINs to hand out, shown once.
    pub pins: Vec<(String, String, String)>,
    /// Where the PIN slips are saved (typed, or filled in by the native dialog when there is
    /// one).
    pub slips_path: String,
    /// A PIN reset waiting for "are you sure?" (the judge's current PIN stops working).
    pub confirm_reset: Option<String>,
    pub event: Option<String>,
    /// New PINs being hashed in the background.
    hashing: Option<crate::app::task::Task<crate::app::task::NewPins>>,
    /// The judge file whose new judges the PINs being hashed are for: imported, judges and
    /// PINs in one transaction, once the hashes are ready.
    importing: Option<std::path::PathBuf>,
    /// The folder judge kits are exported to (typed, or chosen with the native dialog).
    pub kit_folder: String,
    /// The kits written by the last export.
    pub kits: Vec<std::path::PathBuf>,
}

impl JudgesView {
    /// Whether PINs are still being made (for tests).
    pub fn making_pins(&self) -> bool {
        self.hashing.is_some()
    }
}

/// Starts making PINs for these judges in the background.
fn make_pins(ui_state: &mut ScoreDeskUi, ids: &[String]) {
    let Some(ws) = ui_state.app.workspace.as_ref() else {
        return;
    };
    let judges: Vec<(String, String)> = ws
        .judges
        .iter()
        .filter(|j| ids.contains(&j.id))
        .map(|j| (j.id.clone(), j.name.clone()))
        .collect();
    if !judges.is_empty() {
        ui_state.judges.hashing = Some(crate::app::task::start_pin_hashing(judges));
    }
}

pub fn show(ui_state: &mut ScoreDeskUi, ui: &mut egui::Ui, s: &Strings) {
    let mut path = std::mem::take(&mut ui_state.judges.import_path);
    if let Some(p) = widgets::import_row(ui_state, ui, s, &mut path, s.import_judges) {
        // Check the file first (nothing is written), make the new judges' PINs in the
        // background, then import judges and PINs together.
        let checked = ui_state
            .app
            .workspace
            .as_ref()
            .map(|ws| crate::commands::roster::judges_to_import(&ws.store, &p));
        match checked {
            Some(Ok((list, _))) => {
                ui_state.judges.report.clear();
                let judges = list.into_iter().map(|j| (j.id, j.name)).collect();
                ui_state.judges.hashing = Some(crate::app::task::start_pin_hashing(judges));
                ui_state.judges.importing = Some(p);
            }
            Some(Err(e)) => {
                let lang = ui_state.app.lang;
                ui_state.judges.report = e
                    .to_string()
                    .lines()
                    .map(|l| crate::i18n::one_language_line(l, lang))
                    .collect();
            }
            None => {}
        }
    }
    ui_state.judges.import_path = path;
    for line in &ui_state.judges.report {
        ui.colored_label(egui::Color32::from_rgb(200, 40, 40), line);
    }
    let Some(ws) = ui_state.app.workspace.as_ref() else {
        return;
    };
    let events = ws.setup.events.clone();
    let v = &mut ui_state.judges;
    if v.event.is_none() {
        v.event = events.first().map(|e| e.code.clone());
    }
    let code = v.event.clone().unwrap_or_default();
    ui.horizontal(|ui| {
        widgets::event_combo(ui, "panel-event", s.event, &events, &mut v.event);
        if let Some(e) = events.iter().find(|e| e.code == code) {
            let seated = ws
                .judges
                .iter()
                .filter(|j| j.events.contains(&code))
                .count();
            ui.label(format!("{} {seated}/{}", s.seated, e.judges));
            // More than the seats: a warning, not a refusal (an objective event is legitimately
            // staffed by more recorders than seats).
            if seated > e.judges as usize {
                ui.colored_label(
                    egui::Color32::from_rgb(200, 110, 0),
                    format!("{} {}", s.panel_overfull, e.judges),
                );
            }
        }
    });
    // 导出评分包: one kit per judge of this panel, into a folder (a USB stick).
    let mut export = None;
    ui.horizontal(|ui| {
        let l = ui.label(s.kit_folder);
        ui.add(
            egui::TextEdit::singleline(&mut v.kit_folder)
                .desired_width(300.0)
                .hint_text(s.path_hint),
        )
        .labelled_by(l.id);
        if ui.button(s.choose_folder).clicked() {
            match rfd::FileDialog::new().pick_folder() {
                Some(p) => v.kit_folder = p.display().to_string(),
                None => ui_state.app.info(s.no_file_chosen),
            }
        }
        if ui.button(s.export_kits).clicked() && !v.kit_folder.trim().is_empty() {
            export = Some(std::path::PathBuf::from(v.kit_folder.trim()));
        }
    });
    if let Some(dir) = export {
        if let Ok(Outcome::Kits(paths)) = ui_state.send(Command::ExportKits {
            judge: None,
            event: Some(code.clone()),
            dir,
            options: crate::commands::kits::KitOptions::default(),
        }) {
            ui_state
                .app
                .info(format!("{} {}", s.kits_written, paths.len()));
            ui_state.judges.kits = paths;
        }
        return;
    }
    if !ui_state.judges.kits.is_empty() {
        for p in &ui_state.judges.kits {
            ui.label(RichText::new(p.display().to_string()).weak());
        }
    }
    let Some(ws) = ui_state.app.workspace.as_ref() else {
        return;
    };
    // Recusal: how many of this event's contestants each judge must not score.
    let entrants: Vec<&crate::model::Contestant> = ws
        .entries
        .iter()
        .filter(|e| e.event == code)
        .filter_map(|e| ws.contestant(&e.contestant))
        .collect();
    let recusals: HashMap<&str, usize> = ws
        .judges
        .iter()
        .map(|j| {
            (
                j.id.as_str(),
                entrants.iter().filter(|c| j.must_recuse(c)).count(),
            )
        })
        .collect();
    let mut toggles: Vec<(String, bool)> = Vec::new();
    let mut heads: Vec<(String, bool)> = Vec::new();
    let mut reset: Vec<String> = Vec::new();
    // A table whose header stays in place while the judges scroll under it.
    egui_extras::TableBuilder::new(ui)
        .striped(true)
        .column(egui_extras::Column::exact(70.0))
        .column(egui_extras::Column::exact(80.0))
        .column(egui_extras::Column::exact(110.0))
        .column(
            egui_extras::Column::initial(220.0)
                .at_least(120.0)
                .clip(true),
        )
        .column(egui_extras::Column::exact(90.0))
        .column(egui_extras::Column::exact(70.0))
        .column(egui_extras::Column::remainder())
        .header(26.0, |mut h| {
            for t in [
                s.on_panel,
                s.judge_id,
                s.name,
                s.school,
                s.recusal,
                s.head_judge,
                "",
            ] {
                h.col(|ui| {
                    ui.strong(t);
                });
            }
        })
        .body(|body| {
            body.rows(26.0, ws.judges.len(), |mut row| {
                let j = &ws.judges[row.index()];
                let on_panel = j.events.contains(&code);
                row.col(|ui| {
                    let mut on = on_panel;
                    let r = ui.checkbox(&mut on, "");
                    // The box has no text beside it: its accessible name says what it is.
                    let name = format!("{} {}", s.on_panel, j.id);
                    r.widget_info(|| {
                        egui::WidgetInfo::selected(egui::Role::CheckBox, true, on, &name)
                    });
                    if r.changed() {
                        toggles.push((j.id.clone(), on));
                    }
                });
                row.col(|ui| {
                    ui.label(&j.id);
                });
                row.col(|ui| {
                    ui.label(&j.name);
                });
                row.col(|ui| {
                    ui.label(&j.school);
                });
                row.col(|ui| {
                    let n = recusals.get(j.id.as_str()).copied().unwrap_or(0);
                    ui.label(if n > 0 && on_panel {
                        RichText::new(format!("{} {n}", s.recuses))
                            .color(egui::Color32::from_rgb(200, 110, 0))
                    } else {
                        RichText::new("")
                    });
                });
                row.col(|ui| {
                    let mut head = ws.head_judges.contains(&j.id);
                    let r = ui.checkbox(&mut head, "");
                    let name = format!("{} {}", s.head_judge, j.id);
                    r.widget_info(|| {
                        egui::WidgetInfo::selected(egui::Role::CheckBox, true, head, &name)
                    });
                    if r.changed() {
                        heads.push((j.id.clone(), head));
                    }
                });
                row.col(|ui| {
                    if ui.small_button(s.reset_pin).clicked() {
                        reset.push(j.id.clone());
                    }
                });
            });
        });
    if let Some((judge, on)) = toggles.pop() {
        let mut panel: Vec<String> = ws
            .judges
            .iter()
            .filter(|j| j.events.contains(&code))
            .map(|j| j.id.clone())
            .collect();
        if on {
            panel.push(judge);
        } else {
            panel.retain(|j| j != &judge);
        }
        let _ = ui_state.send(Command::SetPanel {
            event: code.clone(),
            judges: panel,
        });
    }
    if let Some((judge, head)) = heads.pop() {
        let _ = ui_state.send(Command::SetHeadJudge { judge, head });
    }
    if let Some(judge) = reset.pop() {
        ui_state.judges.confirm_reset = Some(judge);
    }
    if let Some(judge) = ui_state.judges.confirm_reset.clone() {
        let mut answer = None;
        egui::Modal::new(egui::Id::unique("confirm-reset-pin")).show(ui.ctx(), |ui| {
            ui.label(RichText::new(format!("{} {judge}", s.reset_pin_question)).strong());
            ui.label(s.reset_pin_warning);
            ui.horizontal(|ui| {
                if ui.button(s.reset_pin).clicked() {
                    answer = Some(true);
                }
                if ui.button(s.cancel).clicked() {
                    answer = Some(false);
                }
            });
        });
        match answer {
            Some(true) if ui_state.judges.hashing.is_none() => {
                ui_state.judges.confirm_reset = None;
                make_pins(ui_state, &[judge]);
            }
            Some(false) => ui_state.judges.confirm_reset = None,
            _ => {}
        }
    }
    if let Some(task) = ui_state.judges.hashing.as_mut() {
        ui.ctx()
            .request_repaint_after(std::time::Duration::from_millis(100));
        let progress = task.progress();
        let done = task.poll();
        egui::Window::new(s.making_pins)
            .collapsible(false)
            .show(ui.ctx(), |ui| {
                ui.add(egui::ProgressBar::new(progress).show_percentage());
            });
        if let Some(result) = done {
            ui_state.judges.hashing = None;
            let importing = ui_state.judges.importing.take();
            match (result, importing) {
                (Ok((slips, hashes)), Some(path)) => {
                    match ui_state.send(Command::ImportJudges {
                        path,
                        pin_hashes: hashes,
                    }) {
                        Ok(Outcome::JudgesImported { count, .. }) => {
                            ui_state.app.info(format!("{} {count}", s.imported));
                            ui_state.judges.pins = slips;
                        }
                        Ok(_) => {}
                        Err(e) => {
                            ui_state.judges.report =
                                e.to_string().lines().map(str::to_string).collect();
                        }
                    }
                }
                (Ok((slips, hashes)), None) => {
                    if ui_state.send(Command::StorePinHashes(hashes)).is_ok() {
                        ui_state.judges.pins = slips;
                    }
                }
                (Err(e), _) => ui_state.app.error(e),
            }
        }
    }
    let ctx = ui.ctx().clone();
    widgets::pins_window(ui_state, &ctx, s);
}
