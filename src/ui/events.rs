//! Competition setup (比赛设置): each event's rubric and rules, and the award tiers.
//! Changing rules after scoring has started needs an explicit confirmation.

use egui::{Color32, RichText};

use super::ScoreDeskUi;
use super::strings::Strings;
use crate::app::Command;
use crate::model::{
    Aggregate, AwardBasis, AwardRounding, Awards, Criterion, Event, EventKind, Fixed,
};

#[derive(Default)]
pub struct EventsView {
    pub selected: Option<String>,
    /// The event being edited, with numbers as text until saved.
    pub draft: Option<EventDraft>,
    pub awards: Option<AwardsDraft>,
    /// Set when the store refused because sheets exist: ask before forcing.
    pub confirm_force: bool,
    /// The competition's details (比赛信息) are shown instead of an event or the tiers.
    pub details: Option<DetailsDraft>,
}

/// The competition's details and tie-break chain as editable text.
#[derive(Clone, Debug, Default)]
pub struct DetailsDraft {
    pub title: String,
    pub edition: String,
    pub organiser: String,
    pub dates: String,
    pub venue: String,
    /// The tie-break chain: "unrounded" or an event code.
    pub tiebreak: Vec<String>,
    base: Option<crate::model::Competition>,
}

impl DetailsDraft {
    fn from(setup: &crate::model::CompetitionSetup) -> Self {
        let c = &setup.competition;
        DetailsDraft {
            title: c.title.clone(),
            edition: c.edition.clone(),
            organiser: c.organiser.clone(),
            dates: c.dates.clone(),
            venue: c.venue.clone(),
            tiebreak: setup
                .ranking
                .tiebreak
                .iter()
                .map(|t| match t {
                    crate::model::TieBreak::Unrounded => "unrounded".to_string(),
                    crate::model::TieBreak::Event(code) => code.clone(),
                })
                .collect(),
            base: Some(c.clone()),
        }
    }

    fn to_parts(&self) -> (crate::model::Competition, crate::model::Ranking) {
        let base = self
            .base
            .clone()
            .unwrap_or_else(|| crate::model::Competition {
                title: String::new(),
                edition: String::new(),
                organiser: String::new(),
                dates: String::new(),
                venue: String::new(),
                decimals: 2,
            });
        (
            crate::model::Competition {
                title: self.title.trim().to_string(),
                edition: self.edition.trim().to_string(),
                organiser: self.organiser.trim().to_string(),
                dates: self.dates.trim().to_string(),
                venue: self.venue.trim().to_string(),
                ..base
            },
            crate::model::Ranking {
                tiebreak: self
                    .tiebreak
                    .iter()
                    .map(|t| {
                        if t == "unrounded" {
                            crate::model::TieBreak::Unrounded
                        } else {
                            crate::model::TieBreak::Event(t.clone())
                        }
                    })
                    .collect(),
            },
        )
    }
}

/// An event as editable text.
#[derive(Clone, Debug, Default)]
pub struct EventDraft {
    pub code: String,
    pub name: String,
    pub kind: Option<EventKind>,
    pub judges: String,
    pub trim: String,
    pub aggregate: Option<Aggregate>,
    pub decimals: String,
    pub step: String,
    pub weight: String,
    pub blind: bool,
    pub criteria: Vec<(String, String)>,
    /// 时间限制 in minutes; empty for none.
    pub minutes: String,
    /// 扣分项目: (name, points).
    pub penalties: Vec<(String, String)>,
    base: Option<Event>,
}

impl EventDraft {
    fn from(e: &Event) -> Self {
        EventDraft {
            code: e.code.clone(),
            name: e.name.clone(),
            kind: Some(e.kind),
            judges: e.judges.to_string(),
            trim: e.trim.to_string(),
            aggregate: Some(e.aggregate),
            decimals: e.decimals.to_string(),
            step: e.step.to_string(),
            weight: e.weight.to_string(),
            blind: e.blind,
            criteria: e
                .criteria
                .iter()
                .map(|c| (c.name.clone(), c.max.to_string()))
                .collect(),
            minutes: e.minutes.map(|m| m.to_string()).unwrap_or_default(),
            penalties: e
                .penalties
                .iter()
                .map(|p| (p.name.clone(), p.points.to_string()))
                .collect(),
            base: Some(e.clone()),
        }
    }

    fn to_event(&self) -> Result<Event, String> {
        let base = self.base.clone().ok_or("no event")?;
        let int = |t: &str, what: &str| t.trim().parse::<u32>().map_err(|_| format!("{what}: {t}"));
        let dec = |t: &str, what: &str| Fixed::parse(t).map_err(|e| format!("{what}: {e}"));
        let mut criteria = Vec::new();
        for (name, max) in &self.criteria {
            if name.trim().is_empty() {
                continue;
            }
            criteria.push(Criterion {
                name: name.trim().to_string(),
                max: dec(max, name)?,
            });
        }
        let minutes = if self.minutes.trim().is_empty() {
            None
        } else {
            Some(int(&self.minutes, "minutes")?)
        };
        let mut penalties = Vec::new();
        for (name, points) in &self.penalties {
            if name.trim().is_empty() {
                continue;
            }
            penalties.push(crate::model::PenaltyItem {
                name: name.trim().to_string(),
                points: dec(points, name)?,
            });
        }
        Ok(Event {
            name: self.name.trim().to_string(),
            minutes,
            penalties,
            kind: self.kind.unwrap_or(base.kind),
            judges: int(&self.judges, "judges")?,
            trim: int(&self.trim, "trim")?,
            aggregate: self.aggregate.unwrap_or(base.aggregate),
            decimals: int(&self.decimals, "decimals")?,
            step: dec(&self.step, "step")?,
            weight: dec(&self.weight, "weight")?,
            blind: self.blind,
            criteria,
            ..base
        })
    }
}

/// Award tiers as editable text.
#[derive(Clone, Debug, Default)]
pub struct AwardsDraft {
    pub basis: AwardBasis,
    pub rounding: AwardRounding,
    pub tiers: Vec<(String, String)>,
    pub min_score: String,
    /// Why the last save was refused (shown until the next try).
    pub error: Option<String>,
}

pub fn show(ui_state: &mut ScoreDeskUi, ui: &mut egui::Ui, s: &Strings) {
    let Some(ws) = ui_state.app.workspace.as_ref() else {
        return;
    };
    let setup = ws.setup.clone();
    let v = &mut ui_state.setup;
    egui::Panel::left("event-list")
        .exact_size(220.0)
        .show(ui, |ui| {
            if ui
                .selectable_label(v.details.is_some(), s.competition_details)
                .clicked()
            {
                v.details = Some(DetailsDraft::from(&setup));
                v.selected = None;
                v.draft = None;
            }
            ui.separator();
            ui.label(RichText::new(s.events).strong());
            egui::ScrollArea::vertical().show(ui, |ui| {
                for e in &setup.events {
                    let selected = v.selected.as_deref() == Some(e.code.as_str());
                    if ui
                        .selectable_label(selected, format!("{} {}", e.code, e.name))
                        .clicked()
                    {
                        v.selected = Some(e.code.clone());
                        v.draft = Some(EventDraft::from(e));
                        v.confirm_force = false;
                        v.details = None;
                    }
                }
                ui.separator();
                if ui
                    .selectable_label(v.selected.is_none() && v.details.is_none(), s.award_tiers)
                    .clicked()
                {
                    v.selected = None;
                    v.draft = None;
                    v.details = None;
                }
            });
        });
    let mut save: Option<(Event, bool)> = None;
    let mut save_awards: Option<Awards> = None;
    let mut save_details = None;
    egui::CentralPanel::default().show(ui, |ui| {
        ui.label(RichText::new(&setup.competition.title).size(20.0).strong());
        if let Some(d) = v.details.as_mut() {
            egui::Grid::new("details-form")
                .num_columns(2)
                .spacing([12.0, 6.0])
                .show(ui, |ui| {
                    for (label, field) in [
                        (s.competition_title, &mut d.title),
                        (s.competition_edition, &mut d.edition),
                        (s.competition_organiser, &mut d.organiser),
                        (s.competition_dates, &mut d.dates),
                        (s.competition_venue, &mut d.venue),
                    ] {
                        let l = ui.label(label);
                        ui.add(egui::TextEdit::singleline(field).desired_width(360.0))
                            .labelled_by(l.id);
                        ui.end_row();
                    }
                });
            ui.add_space(8.0);
            ui.label(RichText::new(s.tiebreak_chain).strong());
            ui.label(RichText::new(s.tiebreak_hint).weak());
            let mut remove = None;
            let options: Vec<(String, String)> =
                std::iter::once(("unrounded".to_string(), s.tiebreak_unrounded.to_string()))
                    .chain(setup.events.iter().map(|e| {
                        (
                            e.code.clone(),
                            format!("{} {} {}", s.tiebreak_event, e.code, e.name),
                        )
                    }))
                    .collect();
            for (i, t) in d.tiebreak.iter_mut().enumerate() {
                ui.horizontal(|ui| {
                    let l = ui.label(format!("{}.", i + 1));
                    let shown = options
                        .iter()
                        .find(|(k, _)| k == t)
                        .map(|(_, l)| l.clone())
                        .unwrap_or_else(|| t.clone());
                    egui::ComboBox::from_id_salt(("tiebreak", i))
                        .selected_text(shown)
                        .width(260.0)
                        .show_ui(ui, |ui| {
                            for (k, l) in &options {
                                ui.selectable_value(t, k.clone(), l);
                            }
                        })
                        .response
                        .labelled_by(l.id);
                    if ui.small_button("×").clicked() {
                        remove = Some(i);
                    }
                });
            }
            if let Some(i) = remove {
                d.tiebreak.remove(i);
            }
            if ui.button(s.add_tiebreak).clicked() {
                d.tiebreak.push("unrounded".into());
            }
            ui.add_space(8.0);
            if ui.button(RichText::new(s.save).size(18.0)).clicked() {
                save_details = Some(d.to_parts());
            }
        } else if let Some(d) = v.draft.as_mut() {
            egui::Grid::new("event-form")
                .num_columns(2)
                .spacing([12.0, 6.0])
                .show(ui, |ui| {
                    ui.label(s.code);
                    ui.label(&d.code);
                    ui.end_row();
                    let l = ui.label(s.event_name);
                    ui.text_edit_singleline(&mut d.name).labelled_by(l.id);
                    ui.end_row();
                    ui.label(s.kind);
                    ui.horizontal(|ui| {
                        ui.radio_value(&mut d.kind, Some(EventKind::Live), s.kind_live);
                        ui.radio_value(&mut d.kind, Some(EventKind::Artifact), s.kind_artifact);
                        ui.radio_value(&mut d.kind, Some(EventKind::Objective), s.kind_objective);
                    });
                    ui.end_row();
                    for (label, field) in [
                        (s.panel_size, &mut d.judges),
                        (s.trim, &mut d.trim),
                        (s.decimals, &mut d.decimals),
                        (s.step, &mut d.step),
                        (s.weight, &mut d.weight),
                    ] {
                        let l = ui.label(label);
                        ui.add(egui::TextEdit::singleline(field).desired_width(80.0))
                            .labelled_by(l.id);
                        ui.end_row();
                    }
                    ui.label(s.aggregate);
                    ui.horizontal(|ui| {
                        ui.radio_value(&mut d.aggregate, Some(Aggregate::Mean), s.mean);
                        ui.radio_value(&mut d.aggregate, Some(Aggregate::Sum), s.sum);
                    });
                    ui.end_row();
                    ui.label("");
                    ui.checkbox(&mut d.blind, s.blind);
                    ui.end_row();
                    let l = ui.label(s.time_limit);
                    ui.add(
                        egui::TextEdit::singleline(&mut d.minutes)
                            .desired_width(80.0)
                            .hint_text(s.no_limit),
                    )
                    .labelled_by(l.id);
                    ui.end_row();
                });
            ui.add_space(8.0);
            ui.label(RichText::new(s.penalty_items).strong());
            let mut remove_penalty = None;
            egui::Grid::new("penalty-items")
                .num_columns(3)
                .show(ui, |ui| {
                    let name_label = ui.strong(s.penalty_item_name).id;
                    let points_label = ui.strong(s.penalty_item_points).id;
                    ui.end_row();
                    for (i, (name, points)) in d.penalties.iter_mut().enumerate() {
                        ui.add(egui::TextEdit::singleline(name).desired_width(200.0))
                            .labelled_by(name_label);
                        ui.add(egui::TextEdit::singleline(points).desired_width(60.0))
                            .labelled_by(points_label);
                        if ui.small_button("×").clicked() {
                            remove_penalty = Some(i);
                        }
                        ui.end_row();
                    }
                });
            if let Some(i) = remove_penalty {
                d.penalties.remove(i);
            }
            if ui.button(s.add_penalty_item).clicked() {
                d.penalties.push((String::new(), "1".into()));
            }
            ui.add_space(8.0);
            ui.label(RichText::new(s.criteria).strong());
            let mut remove = None;
            egui::Grid::new("criteria").num_columns(3).show(ui, |ui| {
                let name_label = ui.strong(s.criterion_name).id;
                let max_label = ui.strong(s.full_marks).id;
                ui.end_row();
                for (i, (name, max)) in d.criteria.iter_mut().enumerate() {
                    ui.add(egui::TextEdit::singleline(name).desired_width(200.0))
                        .labelled_by(name_label);
                    ui.add(egui::TextEdit::singleline(max).desired_width(60.0))
                        .labelled_by(max_label);
                    if ui.small_button("×").clicked() {
                        remove = Some(i);
                    }
                    ui.end_row();
                }
            });
            if let Some(i) = remove {
                d.criteria.remove(i);
            }
            if ui.button(s.add_criterion).clicked() {
                d.criteria.push((String::new(), "10".into()));
            }
            let full: Fixed = d
                .criteria
                .iter()
                .filter_map(|(_, m)| Fixed::parse(m).ok())
                .sum();
            ui.label(format!("{} {full}", s.full_marks));
            ui.add_space(8.0);
            match d.to_event() {
                Ok(ev) => {
                    if ui.button(RichText::new(s.save).size(18.0)).clicked() {
                        save = Some((ev, false));
                    }
                }
                Err(e) => {
                    ui.label(RichText::new(e).color(Color32::from_rgb(200, 40, 40)));
                }
            }
            if v.confirm_force {
                ui.label(
                    RichText::new(s.force_warning)
                        .color(Color32::from_rgb(200, 40, 40))
                        .strong(),
                );
                if ui.button(s.force_save).clicked()
                    && let Ok(ev) = d.to_event()
                {
                    save = Some((ev, true));
                }
            }
        } else {
            let a = v.awards.get_or_insert_with(|| AwardsDraft {
                basis: setup.awards.basis,
                rounding: setup.awards.rounding,
                tiers: setup
                    .awards
                    .tiers
                    .iter()
                    .map(|t| {
                        (
                            t.name.clone(),
                            t.ratio
                                .map(|r| r.to_string())
                                .or(t.count.map(|c| c.to_string()))
                                .unwrap_or_default(),
                        )
                    })
                    .collect(),
                min_score: setup
                    .awards
                    .min_score
                    .map(|m| m.to_string())
                    .unwrap_or_default(),
                error: None,
            });
            ui.label(RichText::new(s.award_tiers).strong());
            ui.horizontal(|ui| {
                ui.radio_value(&mut a.basis, AwardBasis::Ratio, s.by_ratio);
                ui.radio_value(&mut a.basis, AwardBasis::Count, s.by_count);
            });
            ui.horizontal(|ui| {
                ui.radio_value(&mut a.rounding, AwardRounding::Floor, s.floor);
                ui.radio_value(&mut a.rounding, AwardRounding::Round, s.round);
                ui.radio_value(&mut a.rounding, AwardRounding::Ceil, s.ceil);
            });
            egui::Grid::new("tiers").show(ui, |ui| {
                let name_label = ui.strong(s.tier_name).id;
                let value_label = ui.strong(s.tier_value).id;
                ui.end_row();
                for (name, value) in a.tiers.iter_mut() {
                    ui.add(egui::TextEdit::singleline(name).desired_width(120.0))
                        .labelled_by(name_label);
                    ui.add(egui::TextEdit::singleline(value).desired_width(80.0))
                        .labelled_by(value_label);
                    ui.end_row();
                }
            });
            ui.horizontal(|ui| {
                if ui.button(s.add_tier).clicked() {
                    a.tiers.push(("优秀奖".into(), String::new()));
                }
                if ui.button(s.remove_tier).clicked() {
                    a.tiers.pop();
                }
            });
            ui.horizontal(|ui| {
                let l = ui.label(s.min_score);
                ui.add(egui::TextEdit::singleline(&mut a.min_score).desired_width(80.0))
                    .labelled_by(l.id);
            });
            if ui.button(RichText::new(s.save).size(18.0)).clicked() {
                let mut tiers = Vec::new();
                let mut ok = true;
                for (name, value) in &a.tiers {
                    let tier = match a.basis {
                        AwardBasis::Ratio => {
                            Fixed::parse(value).ok().map(|r| crate::model::AwardTier {
                                name: name.clone(),
                                ratio: Some(r),
                                count: None,
                            })
                        }
                        AwardBasis::Count => {
                            value
                                .trim()
                                .parse::<u32>()
                                .ok()
                                .map(|c| crate::model::AwardTier {
                                    name: name.clone(),
                                    ratio: None,
                                    count: Some(c),
                                })
                        }
                    };
                    match tier {
                        Some(t) => tiers.push(t),
                        None => ok = false,
                    }
                }
                // An invalid minimum ("x60") is an error, never "no minimum".
                let min_score = if a.min_score.trim().is_empty() {
                    Ok(None)
                } else {
                    Fixed::parse(&a.min_score).map(Some)
                };
                match (ok, min_score) {
                    (true, Ok(min_score)) => {
                        a.error = None;
                        save_awards = Some(Awards {
                            basis: a.basis,
                            rounding: a.rounding,
                            tiers,
                            min_score,
                        });
                    }
                    (false, _) => a.error = Some(s.invalid_tiers.to_string()),
                    (true, Err(_)) => {
                        a.error = Some(format!("{}：{}", s.min_score, a.min_score.trim()))
                    }
                }
            }
            if let Some(e) = &a.error {
                ui_state_error(ui, e);
            }
        }
    });
    if let Some((event, force)) = save {
        match ui_state.send(Command::UpdateEvent { event, force }) {
            Ok(_) => {
                ui_state.setup.confirm_force = false;
                ui_state.app.info(s.saved_ok);
            }
            Err(e) if e.needs_confirmation().is_some() => {
                ui_state.setup.confirm_force = true;
            }
            Err(_) => {}
        }
    }
    if let Some(awards) = save_awards {
        match ui_state.send(Command::UpdateAwards(awards)) {
            Ok(_) => {
                ui_state.setup.awards = None;
                ui_state.app.info(s.saved_ok);
            }
            // Told at the form too, until the next try (not one frame).
            Err(e) => {
                if let Some(a) = ui_state.setup.awards.as_mut() {
                    a.error = Some(crate::i18n::one_language(&e.to_string(), ui_state.app.lang));
                }
            }
        }
    }
    if let Some((competition, ranking)) = save_details
        && ui_state
            .send(Command::UpdateCompetition {
                competition,
                ranking,
            })
            .is_ok()
    {
        ui_state.setup.details = None;
        ui_state.app.info(s.saved_ok);
    }
}

fn ui_state_error(ui: &mut egui::Ui, text: &str) {
    ui.label(RichText::new(text).color(Color32::from_rgb(200, 40, 40)));
}
