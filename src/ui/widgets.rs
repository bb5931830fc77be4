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

/// A window listing PINs to hand out (shown once; only hashes are stored).
pub fn pins_window(ctx: &egui::Context, s: &Strings, pins: &mut Vec<(String, String, String)>) {
    if pins.is_empty() {
        return;
    }
    let mut open = true;
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
            if ui.button(s.copy_all).clicked() {
                let text: String = pins
                    .iter()
                    .map(|(i, n, p)| format!("{i}\t{n}\t{p}\n"))
                    .collect();
                ui.ctx().copy_text(text);
            }
        });
    if !open {
        pins.clear();
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
