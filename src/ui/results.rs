//! Results screen (成绩): per event and group, or overall; select a row to explain it.

use egui::{Color32, RichText};
use egui_extras::{Column, TableBuilder};

use super::ScoreDeskUi;
use super::strings::Strings;
use crate::explain;

#[derive(Default)]
pub struct ResultsView {
    /// `None` = overall (综合).
    pub event: Option<String>,
    pub group: Option<String>,
    pub selected: Option<String>,
    pub chosen_once: bool,
}

pub fn show(ui_state: &mut ScoreDeskUi, ui: &mut egui::Ui, s: &Strings) {
    let lang = ui_state.app.lang;
    let Some(ws) = ui_state.app.workspace.as_mut() else {
        return;
    };
    let Some(session) = ws.session.clone() else {
        return;
    };
    let setup = ws.setup.clone();
    let ws_judges = ws.judges.clone();
    let events: Vec<_> = setup
        .events
        .iter()
        .filter(|e| session.sees_event(&e.code))
        .cloned()
        .collect();
    let v = &mut ui_state.results;
    if !v.chosen_once {
        v.chosen_once = true;
        if session.role != crate::app::Role::Organiser {
            v.event = events.first().map(|e| e.code.clone());
        }
    }
    let results = match ws.results() {
        Ok(r) => r,
        Err(e) => {
            ui.label(RichText::new(e.to_string()).color(Color32::RED));
            return;
        }
    };
    ui.horizontal(|ui| {
        let label = match &v.event {
            None => s.overall.to_string(),
            Some(c) => events
                .iter()
                .find(|e| &e.code == c)
                .map(|e| format!("{} {}", e.code, e.name))
                .unwrap_or_default(),
        };
        egui::ComboBox::new("results-event", s.event)
            .selected_text(label)
            .width(220.0)
            .show_ui(ui, |ui| {
                if session.role == crate::app::Role::Organiser
                    && ui.selectable_label(v.event.is_none(), s.overall).clicked()
                {
                    v.event = None;
                }
                for e in &events {
                    if ui
                        .selectable_label(
                            v.event.as_deref() == Some(e.code.as_str()),
                            format!("{} {}", e.code, e.name),
                        )
                        .clicked()
                    {
                        v.event = Some(e.code.clone());
                    }
                }
            });
        let groups: Vec<String> = match &v.event {
            None => results
                .overall
                .groups
                .iter()
                .map(|g| g.group.clone())
                .collect(),
            Some(c) => results
                .events
                .iter()
                .find(|e| &e.code == c)
                .map(|e| e.groups.iter().map(|g| g.group.clone()).collect())
                .unwrap_or_default(),
        };
        if v.group.as_ref().is_none_or(|g| !groups.contains(g)) {
            v.group = groups.first().cloned();
        }
        egui::ComboBox::new("results-group", s.group)
            .selected_text(v.group.clone().unwrap_or_default())
            .show_ui(ui, |ui| {
                for g in &groups {
                    if ui
                        .selectable_label(v.group.as_ref() == Some(g), g)
                        .clicked()
                    {
                        v.group = Some(g.clone());
                    }
                }
            });
    });
    ui.separator();
    let group = v.group.clone().unwrap_or_default();
    let mut explain_lines = Vec::new();
    egui::Panel::right("explain")
        .resizable(true)
        .default_size(320.0)
        .show(ui, |ui| {
            ui.label(RichText::new(s.explain_rank).strong());
            if let Some(sel) = &v.selected {
                let (entries, overall) = explain::find(results, sel);
                match &v.event {
                    Some(code) => {
                        if let Some((c, e)) = entries.iter().find(|(c, _)| c == code) {
                            explain_lines = explain::event_lines(e, c, &setup, lang);
                        }
                    }
                    None => {
                        if let Some(o) = overall {
                            explain_lines =
                                explain::overall_lines(o, &setup, results.overall.decimals, lang);
                        }
                    }
                }
            }
            egui::ScrollArea::vertical().show(ui, |ui| {
                for line in &explain_lines {
                    ui.label(line);
                }
                if explain_lines.is_empty() {
                    ui.label(RichText::new(s.select_row).weak());
                }
            });
        });
    egui::CentralPanel::default().show(ui, |ui| match &v.event {
        Some(code) => {
            let Some(er) = results.events.iter().find(|e| &e.code == code) else {
                return;
            };
            let Some(table) = er.groups.iter().find(|g| g.group == group) else {
                ui.label(s.no_results);
                return;
            };
            // The shared result-table model: judges by id, the panel label, notes with reasons.
            let lang = if s.english {
                crate::i18n::Lang::En
            } else {
                crate::i18n::Lang::Zh
            };
            let Some(event) = setup.events.iter().find(|e| &e.code == code) else {
                return;
            };
            let panel_ids: Vec<String> = ws_judges
                .iter()
                .filter(|j| j.events.contains(code))
                .map(|j| j.id.clone())
                .collect();
            let judges = crate::report::result_table::judge_ids(&panel_ids, er);
            let entries: Vec<&crate::scoring::EventEntry> = table.entries.iter().collect();
            use crate::report::result_table::{Kind, Mark};
            let model =
                crate::report::result_table::event_table(event, er, &judges, &entries, lang)
                    .select(&[
                        Kind::Rank,
                        Kind::Id,
                        Kind::Name,
                        Kind::Final,
                        Kind::Award,
                        Kind::Note,
                        Kind::Judge(String::new()),
                        Kind::Panel,
                        Kind::Penalty,
                    ]);
            let widths: Vec<f32> = model
                .columns
                .iter()
                .map(|c| match c.kind {
                    Kind::Rank => 44.0,
                    Kind::Id => 96.0,
                    Kind::Name => 112.0,
                    Kind::Final | Kind::Award => 64.0,
                    Kind::Note => 150.0,
                    Kind::Judge(_) => 56.0,
                    _ => 96.0,
                })
                .collect();
            egui::ScrollArea::horizontal().show(ui, |ui| {
                let mut builder = TableBuilder::new(ui)
                    .striped(true)
                    .sense(egui::Sense::click());
                for w in &widths {
                    builder = builder.column(Column::exact(*w));
                }
                builder
                    .header(26.0, |mut h| {
                        for c in &model.columns {
                            let title = match (&c.kind, s.english) {
                                (Kind::Rank, _) => s.rank.to_string(),
                                (Kind::Id, _) => s.code.to_string(),
                                (Kind::Name, _) => s.name.to_string(),
                                (Kind::Final, _) => s.final_score.to_string(),
                                (Kind::Award, _) => s.award.to_string(),
                                (Kind::Note, _) => s.flags.to_string(),
                                (Kind::Penalty, _) => s.penalty.to_string(),
                                (Kind::Panel, true) => s.kept_mean.to_string(),
                                _ => c.title.clone(),
                            };
                            h.col(|ui| {
                                ui.strong(title);
                            });
                        }
                    })
                    .body(|body| {
                        body.rows(26.0, model.rows.len(), |mut row| {
                            let Some(r) = model.rows.get(row.index()) else {
                                return;
                            };
                            row.set_selected(v.selected.as_deref() == Some(r.contestant.as_str()));
                            for cell in &r.cells {
                                row.col(|ui| {
                                    let t = RichText::new(&cell.text);
                                    ui.label(match cell.mark {
                                        Mark::Dropped => t.strikethrough().weak(),
                                        Mark::Muted => t.weak(),
                                        Mark::Strong => t.strong(),
                                        Mark::Plain => t,
                                    });
                                });
                            }
                            if row.response().clicked() {
                                v.selected = Some(r.contestant.clone());
                            }
                        });
                    });
            });
        }
        None => {
            let Some(table) = results.overall.groups.iter().find(|g| g.group == group) else {
                ui.label(s.no_results);
                return;
            };
            let d = results.overall.decimals;
            egui::ScrollArea::horizontal().show(ui, |ui| {
                TableBuilder::new(ui)
                    .striped(true)
                    .sense(egui::Sense::click())
                    .column(Column::exact(44.0))
                    .column(Column::exact(96.0))
                    .column(Column::exact(120.0))
                    .column(Column::exact(72.0))
                    .column(Column::exact(64.0))
                    .column(Column::exact(80.0))
                    .columns(Column::exact(54.0), setup.events.len())
                    .header(26.0, |mut h| {
                        for t in [s.rank, s.code, s.name, s.total, s.award, s.flags] {
                            h.col(|ui| {
                                ui.strong(t);
                            });
                        }
                        for e in &setup.events {
                            h.col(|ui| {
                                ui.strong(&e.code).on_hover_text(&e.name);
                            });
                        }
                    })
                    .body(|body| {
                        body.rows(26.0, table.entries.len(), |mut row| {
                            let e = &table.entries[row.index()];
                            row.set_selected(v.selected.as_deref() == Some(e.contestant.as_str()));
                            identity_cells(&mut row, e.rank, &e.contestant, &e.name);
                            row.col(|ui| {
                                ui.label(
                                    RichText::new(e.total.map(|t| t.format(d)).unwrap_or_default())
                                        .strong(),
                                );
                            });
                            row.col(|ui| {
                                ui.label(e.award.clone().unwrap_or_default());
                            });
                            row.col(|ui| {
                                let mut f: Vec<String> = Vec::new();
                                if e.provisional {
                                    f.push(s.provisional.into());
                                }
                                if e.tie_flag {
                                    f.push(s.tie_flag.into());
                                }
                                let r = crate::explain::unranked_text(
                                    &e.unranked,
                                    if s.english {
                                        crate::i18n::Lang::En
                                    } else {
                                        crate::i18n::Lang::Zh
                                    },
                                );
                                if !r.is_empty() {
                                    f.push(r);
                                }
                                ui.label(
                                    RichText::new(f.join(" "))
                                        .color(Color32::from_rgb(200, 110, 0)),
                                )
                                .on_hover_text(f.join(" "));
                            });
                            for ev in &setup.events {
                                row.col(|ui| {
                                    if let Some(Some(sc)) = e.events.get(&ev.code) {
                                        ui.label(sc.format(ev.decimals));
                                    }
                                });
                            }
                            if row.response().clicked() {
                                v.selected = Some(e.contestant.clone());
                            }
                        });
                    });
            });
        }
    });
}

/// The first three cells of every results row: rank, 编号, 姓名.
fn identity_cells(
    row: &mut egui_extras::TableRow<'_, '_>,
    rank: Option<u32>,
    id: &str,
    name: &str,
) {
    row.col(|ui| {
        ui.label(rank.map(|r| r.to_string()).unwrap_or_default());
    });
    row.col(|ui| {
        ui.label(id);
    });
    row.col(|ui| {
        ui.label(name);
    });
}
