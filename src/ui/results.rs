//! Results screen (成绩): per event and group, or overall; select a row to explain it. The
//! organiser decides a selected ranked entry's award there (人工决定等次).

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
    /// The tier chosen for an award decision (`None`: no award).
    pub decide_tier: Option<String>,
    /// The reason for an award decision (必填).
    pub decide_reason: String,
    /// The entry (event, contestant) the tier choice was set up for: a newly selected entry
    /// starts from its current award, never from the last entry's choice.
    decide_for: Option<(String, String)>,
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
    let mut command = None;
    let organiser = session.role == crate::app::Role::Organiser;
    egui::Panel::right("explain")
        .resizable(true)
        .default_size(320.0)
        .show(ui, |ui| {
            ui.label(RichText::new(s.explain_rank).strong());
            // (ranked, decided, current award) of the selected entry, for the award decision.
            let mut decidable = None;
            if let Some(sel) = &v.selected {
                let (entries, overall) = explain::find(results, sel);
                match &v.event {
                    Some(code) => {
                        if let Some((c, e)) = entries.iter().find(|(c, _)| c == code) {
                            explain_lines = explain::event_lines(e, c, &setup, lang);
                            decidable = Some((
                                e.rank.is_some(),
                                e.award_decision.is_some(),
                                e.award.clone(),
                            ));
                        }
                    }
                    None => {
                        if let Some(o) = overall {
                            explain_lines =
                                explain::overall_lines(o, &setup, results.overall.decimals, lang);
                            decidable = Some((
                                o.rank.is_some(),
                                o.award_decision.is_some(),
                                o.award.clone(),
                            ));
                        }
                    }
                }
            }
            if organiser
                && let (Some(sel), Some((true, decided, award))) = (v.selected.clone(), decidable)
            {
                let event = v
                    .event
                    .clone()
                    .unwrap_or_else(|| crate::model::OVERALL.to_string());
                let key = Some((event.clone(), sel.clone()));
                if v.decide_for != key {
                    v.decide_for = key;
                    v.decide_tier = award;
                    v.decide_reason.clear();
                }
                command = decide_ui(ui, s, v, &setup, event, sel, decided);
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
            let lang = if s.english {
                crate::i18n::Lang::En
            } else {
                crate::i18n::Lang::Zh
            };
            use crate::report::result_table::{Kind, Mark};
            let entries: Vec<&crate::scoring::OverallEntry> = table.entries.iter().collect();
            let model =
                crate::report::result_table::overall_table(&setup.events, d, &entries, lang)
                    .select(
                        &[
                            vec![
                                Kind::Rank,
                                Kind::Id,
                                Kind::Name,
                                Kind::Total,
                                Kind::Award,
                                Kind::Note,
                            ],
                            setup
                                .events
                                .iter()
                                .map(|e| Kind::EventScore(e.code.clone()))
                                .collect(),
                        ]
                        .concat(),
                    );
            egui::ScrollArea::horizontal().show(ui, |ui| {
                let mut builder = TableBuilder::new(ui)
                    .striped(true)
                    .sense(egui::Sense::click());
                for c in &model.columns {
                    builder = builder.column(Column::exact(match c.kind {
                        Kind::Rank => 44.0,
                        Kind::Id => 96.0,
                        Kind::Name => 120.0,
                        Kind::Total => 72.0,
                        Kind::Award => 64.0,
                        Kind::Note => 160.0,
                        _ => 54.0,
                    }));
                }
                builder
                    .header(26.0, |mut h| {
                        for c in &model.columns {
                            let (title, hover) = match &c.kind {
                                Kind::Rank => (s.rank.to_string(), None),
                                Kind::Id => (s.code.to_string(), None),
                                Kind::Name => (s.name.to_string(), None),
                                Kind::Total => (s.total.to_string(), None),
                                Kind::Award => (s.award.to_string(), None),
                                Kind::Note => (s.flags.to_string(), None),
                                Kind::EventScore(code) => (code.clone(), Some(c.title.clone())),
                                _ => (c.title.clone(), None),
                            };
                            h.col(|ui| {
                                let r = ui.strong(title);
                                if let Some(hv) = hover {
                                    r.on_hover_text(hv);
                                }
                            });
                        }
                    })
                    .body(|body| {
                        body.rows(26.0, model.rows.len(), |mut row| {
                            let Some(r) = model.rows.get(row.index()) else {
                                return;
                            };
                            row.set_selected(v.selected.as_deref() == Some(r.contestant.as_str()));
                            for (cell, col) in r.cells.iter().zip(&model.columns) {
                                row.col(|ui| {
                                    let t = RichText::new(&cell.text);
                                    let t = match (cell.mark, &col.kind) {
                                        (_, Kind::Note) => t.color(Color32::from_rgb(200, 110, 0)),
                                        (Mark::Strong, _) => t.strong(),
                                        (Mark::Muted | Mark::Dropped, _) => t.weak(),
                                        _ => t,
                                    };
                                    ui.label(t).on_hover_text(&cell.text);
                                });
                            }
                            if row.response().clicked() {
                                v.selected = Some(r.contestant.clone());
                            }
                        });
                    });
            });
        }
    });
    if let Some(c) = command
        && ui_state.send(c).is_ok()
    {
        ui_state.app.info(s.saved_ok);
    }
}

/// The organiser's award decision for the selected ranked entry: a tier (or none), a reason,
/// 决定; 撤回 when one is already recorded. Returns the command to send.
fn decide_ui(
    ui: &mut egui::Ui,
    s: &Strings,
    v: &mut ResultsView,
    setup: &crate::model::CompetitionSetup,
    event: String,
    contestant: String,
    decided: bool,
) -> Option<crate::commands::Command> {
    use crate::commands::Command;
    let mut command = None;
    ui.separator();
    ui.label(RichText::new(s.decide_award_title).strong());
    egui::ComboBox::new("decide-tier", s.decide_tier)
        .selected_text(
            v.decide_tier
                .clone()
                .unwrap_or_else(|| s.no_award.to_string()),
        )
        .show_ui(ui, |ui| {
            for t in &setup.awards.tiers {
                ui.selectable_value(&mut v.decide_tier, Some(t.name.clone()), &t.name);
            }
            ui.selectable_value(&mut v.decide_tier, None, s.no_award);
        });
    ui.horizontal(|ui| {
        let l = ui.label(s.reason);
        ui.add(egui::TextEdit::singleline(&mut v.decide_reason).desired_width(160.0))
            .labelled_by(l.id);
    });
    ui.horizontal(|ui| {
        if ui
            .add_enabled(
                !v.decide_reason.trim().is_empty(),
                egui::Button::new(s.decide_award),
            )
            .clicked()
        {
            command = Some(Command::DecideAward(crate::model::AwardDecision {
                event: event.clone(),
                contestant: contestant.clone(),
                tier: v.decide_tier.clone(),
                reason: v.decide_reason.trim().to_string(),
            }));
            v.decide_reason.clear();
        }
        if decided && ui.button(s.withdraw_decision).clicked() {
            command = Some(Command::WithdrawAwardDecision { event, contestant });
        }
    });
    command
}
