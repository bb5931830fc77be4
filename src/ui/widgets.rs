//! Small pieces shared by several screens.

use std::path::PathBuf;

use super::ScoreDeskUi;
use super::strings::Strings;
use crate::model::Event;

/// "Choose file…" with the native dialog, plus a path field for when no dialog is available
/// (rfd returns nothing without a desktop portal — the user is told, not ignored).
/// Returns the path to import when the user asks for it.
pub fn import_row(
    ui_state: &mut ScoreDeskUi,
    ui: &mut egui::Ui,
    s: &Strings,
    path: &mut String,
    label: &str,
) -> Option<PathBuf> {
    let mut chosen = None;
    ui.horizontal(|ui| {
        let l = ui.label(label);
        ui.add(
            egui::TextEdit::singleline(path)
                .desired_width(320.0)
                .hint_text(s.path_hint),
        )
        .labelled_by(l.id);
        if ui.button(s.browse).clicked() {
            match rfd::FileDialog::new()
                .add_filter("CSV / Excel", &["csv", "xlsx", "xls", "txt"])
                .pick_file()
            {
                Some(p) => *path = p.display().to_string(),
                None => ui_state.app.info(s.no_file_chosen),
            }
        }
        if ui.button(s.import).clicked() && !path.trim().is_empty() {
            chosen = Some(PathBuf::from(path.trim()));
        }
    });
    chosen
}

/// A window listing PINs to hand out (shown once; only hashes are stored), with a button that
/// saves them as printable slips.
pub fn pins_window(ui_state: &mut ScoreDeskUi, ctx: &egui::Context, s: &Strings) {
    let pins = std::mem::take(&mut ui_state.judges.pins);
    if pins.is_empty() {
        return;
    }
    let mut print = false;
    let mut open = true;
    if ui_state.judges.slips_path.is_empty() {
        // Beside the competition file.
        let dir = ui_state
            .app
            .workspace
            .as_ref()
            .and_then(|ws| ws.store.path().parent().map(std::path::Path::to_path_buf))
            .unwrap_or_default();
        ui_state.judges.slips_path = dir.join("评委PIN条.pdf").display().to_string();
    }
    let path = &mut ui_state.judges.slips_path;
    egui::Window::new(s.pin_slips)
        .open(&mut open)
        .default_width(420.0)
        .show(ctx, |ui| {
            ui.label(s.pin_slips_hint);
            egui::ScrollArea::vertical()
                .max_height(400.0)
                .show(ui, |ui| {
                    egui::Grid::new("pins").striped(true).show(ui, |ui| {
                        for (id, name, pin) in pins.iter() {
                            ui.label(id);
                            ui.label(name);
                            ui.monospace(pin);
                            ui.end_row();
                        }
                    });
                });
            // A typed path works where no native dialog can open.
            ui.horizontal(|ui| {
                let l = ui.label(s.save_to);
                ui.add(egui::TextEdit::singleline(path).desired_width(240.0))
                    .labelled_by(l.id);
                if ui.button(s.browse).clicked()
                    && let Some(p) = rfd::FileDialog::new()
                        .add_filter("PDF", &["pdf"])
                        .set_file_name("评委PIN条.pdf")
                        .save_file()
                {
                    *path = p.display().to_string();
                }
            });
            ui.horizontal(|ui| {
                if ui
                    .add_enabled(!path.trim().is_empty(), egui::Button::new(s.print_slips))
                    .clicked()
                {
                    print = true;
                }
                if ui.button(s.copy_all).clicked() {
                    let text: String = pins
                        .iter()
                        .map(|(i, n, p)| format!("{i}\t{n}\t{p}\n"))
                        .collect();
                    ui.ctx().copy_text(text);
                }
            });
        });
    if print && let Some(ws) = ui_state.app.workspace.as_ref() {
        let out = PathBuf::from(ui_state.judges.slips_path.trim());
        match crate::commands::write_pin_slips(&ws.store, &pins, &out) {
            Ok(_) => ui_state
                .app
                .info(format!("{} {}", s.exported, out.display())),
            Err(e) => ui_state.app.error(e.to_string()),
        }
    }
    if open {
        ui_state.judges.pins = pins;
    }
}

/// A labelled combo box choosing one event (`code name`).
pub fn event_combo(
    ui: &mut egui::Ui,
    id: &str,
    label: &str,
    events: &[Event],
    selected: &mut Option<String>,
) {
    let shown = selected
        .as_ref()
        .and_then(|c| events.iter().find(|e| &e.code == c))
        .map(|e| format!("{} {}", e.code, e.name))
        .unwrap_or_default();
    egui::ComboBox::new(id, label)
        .selected_text(shown)
        .show_ui(ui, |ui| {
            for e in events {
                ui.selectable_value(
                    selected,
                    Some(e.code.clone()),
                    format!("{} {}", e.code, e.name),
                );
            }
        });
}
