//! Start screen: new competition from a template, open a file, the demo, recent files.

use std::path::PathBuf;

use egui::RichText;

use super::ScoreDeskUi;
use super::strings::Strings;
use crate::app::Action;

/// State of the start screen's "new competition" form.
#[derive(Default)]
pub struct StartView {
    pub creating: bool,
    pub template: String,
    pub title: String,
    pub path: String,
    pub pin: String,
    pub open_path: String,
    /// The demo being built in the background.
    pub demo: Option<crate::app::task::Task<PathBuf>>,
}

/// A file chosen with the native dialog; `None` if cancelled or no dialog is available.
fn pick_file(save: bool, name: &str) -> Option<PathBuf> {
    let dialog = rfd::FileDialog::new().add_filter("ScoreDesk", &["sqlite", "scoredesk", "db"]);
    if save {
        dialog.set_file_name(name).save_file()
    } else {
        dialog.pick_file()
    }
}

pub fn show(ui_state: &mut ScoreDeskUi, ui: &mut egui::Ui, s: &Strings) {
    ui.add_space(24.0);
    ui.vertical_centered(|ui| {
        ui.label(RichText::new(s.app_name).size(30.0).strong());
        ui.label(RichText::new(s.tagline).size(16.0).weak());
        ui.add_space(24.0);
        let big = |text: &str| {
            egui::Button::new(RichText::new(text).size(20.0)).min_size([260.0, 54.0].into())
        };
        if ui.add(big(s.new_competition)).clicked() {
            ui_state.start.creating = true;
            if ui_state.start.template.is_empty() {
                ui_state.start.template = "second".into();
            }
        }
        ui.add_space(8.0);
        if ui.add(big(s.open_competition)).clicked() {
            match pick_file(false, "") {
                Some(p) => {
                    let _ = ui_state.send(Action::Open(p));
                }
                None => ui_state.app.info(s.no_file_chosen),
            }
        }
        ui.add_space(8.0);
        let building = ui_state.start.demo.is_some();
        if ui.add_enabled(!building, big(s.demo_competition)).clicked() {
            let path = demo_path();
            if path.exists() {
                let _ = ui_state.send(Action::Open(path));
            } else {
                // Building 300 contestants' scores takes a moment: off the UI thread.
                ui_state.start.demo = Some(crate::app::task::start_demo(path));
            }
        }
        if let Some(task) = ui_state.start.demo.as_mut() {
            ui.horizontal(|ui| {
                ui.spinner();
                ui.label(s.building_demo);
            });
            ui.ctx()
                .request_repaint_after(std::time::Duration::from_millis(100));
            if let Some(result) = task.poll() {
                ui_state.start.demo = None;
                match result {
                    Ok(path) => {
                        let _ = ui_state.send(Action::Open(path));
                    }
                    Err(e) => ui_state.app.error(e),
                }
            }
        }
        ui.add_space(12.0);
        ui.horizontal(|ui| {
            let l = ui.label(s.open_by_path);
            let field = ui
                .add(egui::TextEdit::singleline(&mut ui_state.start.open_path).desired_width(360.0))
                .labelled_by(l.id);
            // Enter in the field opens it, like the button.
            let entered = field.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter));
            if (ui.button(s.open).clicked() || entered)
                && !ui_state.start.open_path.trim().is_empty()
            {
                let p = PathBuf::from(ui_state.start.open_path.trim());
                let _ = ui_state.send(Action::Open(p));
            }
        });
        ui.add_space(16.0);
        if !ui_state.app.recent.is_empty() {
            ui.label(RichText::new(s.recent_files).strong());
            let recent = ui_state.app.recent.clone();
            for r in recent {
                ui.horizontal(|ui| {
                    let title = if r.title.is_empty() {
                        r.path.file_name().map_or_else(
                            || r.path.display().to_string(),
                            |n| n.to_string_lossy().into_owned(),
                        )
                    } else {
                        r.title.clone()
                    };
                    if ui.link(RichText::new(title).size(16.0)).clicked() {
                        let _ = ui_state.send(Action::Open(r.path.clone()));
                    }
                    if !r.dates.is_empty() {
                        ui.label(&r.dates);
                    }
                    ui.label(RichText::new(r.path.display().to_string()).weak());
                });
            }
        }
    });
    if ui_state.start.creating {
        new_dialog(ui_state, ui, s);
    }
}

/// Where the demo lives: beside the user's documents, or the working folder.
fn demo_path() -> PathBuf {
    std::env::var_os("HOME")
        .map(PathBuf::from)
        .filter(|p| p.is_dir())
        .unwrap_or_else(|| PathBuf::from("."))
        .join("scoredesk-demo.sqlite")
}

fn new_dialog(ui_state: &mut ScoreDeskUi, ui: &mut egui::Ui, s: &Strings) {
    let modal = egui::Modal::new(egui::Id::unique("new-competition")).show(ui.ctx(), |ui| {
        ui.heading(s.new_competition);
        egui::Grid::new("new-grid")
            .num_columns(2)
            .spacing([12.0, 8.0])
            .show(ui, |ui| {
                // One label beside the box (not a second one after it).
                let template_label = ui.label(s.template);
                egui::ComboBox::from_id_salt("template")
                    .selected_text(match ui_state.start.template.as_str() {
                        "first" => s.template_first,
                        _ => s.template_second,
                    })
                    .show_ui(ui, |ui| {
                        ui.selectable_value(
                            &mut ui_state.start.template,
                            "second".into(),
                            s.template_second,
                        );
                        ui.selectable_value(
                            &mut ui_state.start.template,
                            "first".into(),
                            s.template_first,
                        );
                    })
                    .response
                    .labelled_by(template_label.id);
                ui.end_row();
                ui.label(s.title);
                ui.text_edit_singleline(&mut ui_state.start.title);
                ui.end_row();
                ui.label(s.file);
                ui.horizontal(|ui| {
                    ui.text_edit_singleline(&mut ui_state.start.path);
                    if ui.button(s.browse).clicked() {
                        match pick_file(true, "比赛.sqlite") {
                            Some(p) => ui_state.start.path = p.display().to_string(),
                            None => ui_state.app.info(s.no_file_chosen),
                        }
                    }
                });
                ui.end_row();
                ui.label(s.organiser_pin);
                ui.add(egui::TextEdit::singleline(&mut ui_state.start.pin).password(true));
                ui.end_row();
            });
        ui.horizontal(|ui| {
            if ui.button(s.create).clicked() {
                let v = &ui_state.start;
                let cmd = Action::NewCompetition {
                    path: PathBuf::from(v.path.trim()),
                    template: v.template.clone(),
                    title: Some(v.title.clone()).filter(|t| !t.trim().is_empty()),
                    organiser_pin: v.pin.clone(),
                };
                if ui_state.send(cmd).is_ok() {
                    ui_state.start = StartView::default();
                }
            }
            if ui.button(s.cancel).clicked() {
                ui_state.start.creating = false;
            }
        });
    });
    if modal.should_close() {
        ui_state.start.creating = false;
    }
}
