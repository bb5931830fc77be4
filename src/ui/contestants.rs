//! Contestants screen (选手): import with a row-by-row report, a searchable, sortable table
//! (virtualised, smooth with thousands of rows), and editing one contestant.

use egui::{Color32, RichText};
use egui_extras::{Column, TableBuilder};

use super::ScoreDeskUi;
use super::strings::Strings;
use super::widgets;
use crate::app::{Command, Outcome};
use crate::model::{Contestant, Gender, Stage};

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum SortBy {
    #[default]
    Id,
    Name,
    Group,
    School,
}

#[derive(Default)]
pub struct ContestantsView {
    pub search: String,
    pub sort: SortBy,
    pub import_path: String,
    /// The last import's problems, one line per bad row.
    pub report: Vec<String>,
    pub editing: Option<Contestant>,
    /// The contestant being edited is a new one (添加选手): its 编号 can be typed.
    pub adding: bool,
    /// The events the edited contestant enters (codes), and whose they are.
    pub events: Vec<String>,
    events_before: Vec<String>,
    events_for: Option<String>,
    /// Deleting the edited contestant: asked, with a reason.
    pub confirm_delete: bool,
    pub delete_reason: String,
    /// Rows shown: indexes into the workspace's contestants, for (search, sort, generation).
    rows: Vec<usize>,
    rows_key: Option<(String, SortBy, u64)>,
}

impl ContestantsView {
    /// Number of rows after filtering (for tests).
    pub fn shown(&self) -> usize {
        self.rows.len()
    }
}

pub fn show(ui_state: &mut ScoreDeskUi, ui: &mut egui::Ui, s: &Strings) {
    let mut path = std::mem::take(&mut ui_state.contestants.import_path);
    if let Some(p) = widgets::import_row(ui_state, ui, s, &mut path, s.import_contestants) {
        match ui_state.send(Command::ImportContestants(p)) {
            Ok(Outcome::Imported { count, .. }) => {
                ui_state.contestants.report.clear();
                ui_state.app.info(format!("{} {count}", s.imported));
            }
            Ok(_) => {}
            Err(e) => {
                let lang = ui_state.app.lang;
                ui_state.contestants.report = e
                    .to_string()
                    .lines()
                    .map(|l| crate::i18n::one_language_line(l, lang))
                    .collect();
            }
        }
    }
    ui_state.contestants.import_path = path;
    let v = &mut ui_state.contestants;
    if !v.report.is_empty() {
        egui::Frame::group(ui.style()).show(ui, |ui| {
            ui.label(
                RichText::new(s.import_refused)
                    .color(Color32::from_rgb(200, 40, 40))
                    .strong(),
            );
            egui::ScrollArea::vertical()
                .id_salt("report")
                .max_height(160.0)
                .show(ui, |ui| {
                    for line in &v.report {
                        ui.label(RichText::new(line).color(Color32::from_rgb(200, 40, 40)));
                    }
                });
            if ui.button(s.dismiss).clicked() {
                v.report.clear();
            }
        });
    }
    let Some(ws) = ui_state.app.workspace.as_ref() else {
        return;
    };
    ui.horizontal(|ui| {
        let l = ui.label(s.search);
        ui.add(
            egui::TextEdit::singleline(&mut v.search)
                .desired_width(240.0)
                .hint_text(s.search_hint),
        )
        .labelled_by(l.id);
        if ui.button(s.add_contestant).clicked() {
            v.editing = Some(Contestant {
                id: String::new(),
                name: String::new(),
                gender: Gender::Female,
                stage: Stage::Primary,
                subject: String::new(),
                school: String::new(),
                county: String::new(),
                phone: String::new(),
            });
            v.adding = true;
            v.events = ws.setup.events.iter().map(|e| e.code.clone()).collect();
            v.events_for = Some(String::new());
            v.confirm_delete = false;
        }
    });
    let key = (v.search.clone(), v.sort, ws.generation);
    if v.rows_key.as_ref() != Some(&key) {
        let q = v.search.trim();
        let mut rows: Vec<usize> = ws
            .contestants
            .iter()
            .enumerate()
            .filter(|(_, c)| {
                q.is_empty()
                    || c.id.contains(q)
                    || c.name.contains(q)
                    || c.school.contains(q)
                    || c.group().contains(q)
                    || c.county.contains(q)
            })
            .map(|(i, _)| i)
            .collect();
        let cs = &ws.contestants;
        match v.sort {
            SortBy::Id => rows.sort_by(|a, b| cs[*a].id.cmp(&cs[*b].id)),
            SortBy::Name => rows.sort_by(|a, b| cs[*a].name.cmp(&cs[*b].name)),
            SortBy::Group => rows.sort_by(|a, b| {
                cs[*a]
                    .group()
                    .cmp(&cs[*b].group())
                    .then(cs[*a].id.cmp(&cs[*b].id))
            }),
            SortBy::School => rows.sort_by(|a, b| {
                cs[*a]
                    .school
                    .cmp(&cs[*b].school)
                    .then(cs[*a].id.cmp(&cs[*b].id))
            }),
        }
        v.rows = rows;
        v.rows_key = Some(key);
    }
    // The count says what is listed: "5 / 240 人" under a search.
    let total = ws.contestants.len();
    ui.label(if v.rows.len() == total {
        format!("{total} {}", s.people)
    } else {
        format!("{} / {total} {}", v.rows.len(), s.people)
    });
    // The events the edited contestant enters, read when a contestant is chosen.
    if let Some(editing) = v.editing.as_ref()
        && !v.adding
        && v.events_for.as_deref() != Some(editing.id.as_str())
    {
        v.events = ws
            .entries
            .iter()
            .filter(|e| e.contestant == editing.id)
            .map(|e| e.event.clone())
            .collect();
        v.events_before = v.events.clone();
        v.events_for = Some(editing.id.clone());
        v.confirm_delete = false;
        v.delete_reason.clear();
    }
    let events: Vec<(String, String)> = ws
        .setup
        .events
        .iter()
        .map(|e| (e.code.clone(), e.name.clone()))
        .collect();
    if let Some(editing) = v.editing.as_mut() {
        let mut save = false;
        let mut cancel = false;
        let mut delete = false;
        egui::Panel::right("edit-contestant")
            .exact_size(320.0)
            .show(ui, |ui| {
                egui::ScrollArea::vertical().show(ui, |ui| {
                    if v.adding {
                        ui.label(RichText::new(s.add_contestant).strong());
                    } else {
                        ui.label(RichText::new(format!("{} {}", s.edit, editing.id)).strong());
                    }
                    egui::Grid::new("edit-grid").num_columns(2).show(ui, |ui| {
                        if v.adding {
                            let l = ui.label(s.code);
                            ui.text_edit_singleline(&mut editing.id).labelled_by(l.id);
                            ui.end_row();
                        }
                        let l = ui.label(s.name);
                        ui.text_edit_singleline(&mut editing.name).labelled_by(l.id);
                        ui.end_row();
                        ui.label(s.gender);
                        ui.horizontal(|ui| {
                            ui.radio_value(&mut editing.gender, Gender::Male, "男");
                            ui.radio_value(&mut editing.gender, Gender::Female, "女");
                        });
                        ui.end_row();
                        // One label beside the box, not two (the box's own label stays empty).
                        let l = ui.label(s.stage);
                        egui::ComboBox::from_id_salt("stage")
                            .selected_text(editing.stage.as_str())
                            .show_ui(ui, |ui| {
                                for st in Stage::ALL {
                                    ui.selectable_value(&mut editing.stage, st, st.as_str());
                                }
                            })
                            .response
                            .labelled_by(l.id);
                        ui.end_row();
                        let l = ui.label(s.subject);
                        ui.text_edit_singleline(&mut editing.subject)
                            .labelled_by(l.id);
                        ui.end_row();
                        let l = ui.label(s.school);
                        ui.text_edit_singleline(&mut editing.school)
                            .labelled_by(l.id);
                        ui.end_row();
                        let l = ui.label(s.county);
                        ui.text_edit_singleline(&mut editing.county)
                            .labelled_by(l.id);
                        ui.end_row();
                        let l = ui.label(s.phone);
                        ui.text_edit_singleline(&mut editing.phone)
                            .labelled_by(l.id);
                        ui.end_row();
                    });
                    ui.separator();
                    ui.label(RichText::new(s.events_entered).strong());
                    for (code, name) in &events {
                        let mut on = v.events.contains(code);
                        if ui.checkbox(&mut on, format!("{code} {name}")).changed() {
                            if on {
                                v.events.push(code.clone());
                            } else {
                                v.events.retain(|c| c != code);
                            }
                        }
                    }
                    ui.separator();
                    ui.horizontal(|ui| {
                        save = ui.button(s.save).clicked();
                        cancel = ui.button(s.cancel).clicked();
                    });
                    if !v.adding {
                        ui.separator();
                        if !v.confirm_delete {
                            if ui.button(s.delete_contestant).clicked() {
                                v.confirm_delete = true;
                            }
                        } else {
                            let l = ui.label(s.delete_reason);
                            ui.text_edit_singleline(&mut v.delete_reason)
                                .labelled_by(l.id);
                            ui.horizontal(|ui| {
                                delete = ui
                                    .add_enabled(
                                        !v.delete_reason.trim().is_empty(),
                                        egui::Button::new(s.confirm_delete),
                                    )
                                    .clicked();
                                if ui.button(s.cancel).clicked() {
                                    v.confirm_delete = false;
                                }
                            });
                        }
                    }
                });
            });
        if save {
            let c = editing.clone();
            // Events in the competition's order.
            let chosen: Vec<String> = events
                .iter()
                .filter(|(code, _)| v.events.contains(code))
                .map(|(code, _)| code.clone())
                .collect();
            let ok = if v.adding {
                ui_state
                    .send(Command::AddContestant {
                        contestant: c,
                        events: chosen,
                    })
                    .is_ok()
            } else {
                let id = c.id.clone();
                let mut before = v.events_before.clone();
                before.sort();
                let mut after = chosen.clone();
                after.sort();
                ui_state.send(Command::UpdateContestant(c)).is_ok()
                    && (before == after
                        || ui_state
                            .send(Command::SetEntries {
                                contestant: id,
                                events: chosen,
                            })
                            .is_ok())
            };
            if ok {
                let v = &mut ui_state.contestants;
                v.editing = None;
                v.adding = false;
                v.events_for = None;
            }
            return;
        }
        if delete {
            let id = editing.id.clone();
            let reason = v.delete_reason.trim().to_string();
            if ui_state
                .send(Command::DeleteContestant { id, reason })
                .is_ok()
            {
                let v = &mut ui_state.contestants;
                v.editing = None;
                v.events_for = None;
                v.confirm_delete = false;
                v.delete_reason.clear();
            }
            return;
        }
        if cancel {
            v.editing = None;
            v.adding = false;
            v.events_for = None;
        }
    }
    let v = &mut ui_state.contestants;
    let Some(ws) = ui_state.app.workspace.as_ref() else {
        return;
    };
    let mut edit = None;
    egui::CentralPanel::default().show(ui, |ui| {
        TableBuilder::new(ui)
            .striped(true)
            .sense(egui::Sense::click())
            .column(Column::exact(110.0))
            .column(Column::exact(140.0))
            .column(Column::exact(40.0))
            .column(Column::exact(130.0))
            .column(Column::exact(200.0))
            .column(Column::exact(110.0))
            .column(Column::remainder())
            .header(28.0, |mut h| {
                let mut sort_button =
                    |h: &mut egui_extras::TableRow, text: &str, by: Option<SortBy>| {
                        h.col(|ui| match by {
                            Some(by) => {
                                let label = if v.sort == by {
                                    format!("{text} ▼")
                                } else {
                                    text.to_string()
                                };
                                if ui.button(RichText::new(label).strong()).clicked() {
                                    v.sort = by;
                                }
                            }
                            None => {
                                ui.strong(text);
                            }
                        });
                    };
                sort_button(&mut h, s.code, Some(SortBy::Id));
                sort_button(&mut h, s.name, Some(SortBy::Name));
                sort_button(&mut h, s.gender, None);
                sort_button(&mut h, s.group, Some(SortBy::Group));
                sort_button(&mut h, s.school, Some(SortBy::School));
                sort_button(&mut h, s.county, None);
                sort_button(&mut h, s.phone, None);
            })
            .body(|body| {
                body.rows(24.0, v.rows.len(), |mut row| {
                    let c = &ws.contestants[v.rows[row.index()]];
                    row.col(|ui| {
                        ui.label(&c.id);
                    });
                    row.col(|ui| {
                        ui.label(&c.name);
                    });
                    row.col(|ui| {
                        ui.label(c.gender.as_str());
                    });
                    row.col(|ui| {
                        ui.label(c.group());
                    });
                    row.col(|ui| {
                        ui.label(&c.school);
                    });
                    row.col(|ui| {
                        ui.label(&c.county);
                    });
                    row.col(|ui| {
                        ui.label(&c.phone);
                    });
                    if row.response().double_clicked() || row.response().clicked() {
                        edit = Some(c.clone());
                    }
                });
            });
    });
    if edit.is_some() {
        v.editing = edit;
        v.adding = false;
    }
}
