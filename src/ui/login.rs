//! Login: the organiser with the organiser PIN; a judge (or head judge) with id and PIN.

use egui::RichText;

use super::ScoreDeskUi;
use super::strings::Strings;
use crate::app::Action;

#[derive(Default)]
pub struct LoginView {
    pub as_judge: bool,
    pub as_recorder: bool,
    /// Which form the focus was last placed in (the first field gets it on arrival).
    focused_for: Option<(bool, bool)>,
    pub judge: String,
    pub pin: String,
}

pub fn show(ui_state: &mut ScoreDeskUi, ui: &mut egui::Ui, s: &Strings) {
    let demo = ui_state.app.workspace.as_ref().is_some_and(|w| w.is_demo());
    // A judge kit: only its judge logs in, with the PIN.
    let station = ui_state
        .app
        .workspace
        .as_ref()
        .and_then(|w| w.station.as_ref().map(|st| st.judge.clone()));
    if let Some(judge) = &station {
        ui_state.login.as_judge = true;
        ui_state.login.judge = judge.clone();
    }
    ui.add_space(40.0);
    ui.vertical_centered(|ui| {
        ui.label(RichText::new(s.login).size(26.0).strong());
        ui.add_space(12.0);
        if let Some(judge) = &station {
            let name = ui_state
                .app
                .workspace
                .as_ref()
                .and_then(|w| w.judge(judge).map(|j| j.name.clone()))
                .unwrap_or_default();
            ui.label(RichText::new(format!("{}：{judge} {name}", s.station_of)).size(18.0));
        }
        if station.is_none() {
            ui.horizontal(|ui| {
                ui.add_space((ui.available_width() - 420.0).max(0.0) / 2.0);
                let v = &mut ui_state.login;
                if ui
                    .selectable_label(!v.as_judge, RichText::new(s.role_organiser).size(18.0))
                    .clicked()
                {
                    v.as_judge = false;
                    v.as_recorder = false;
                }
                if ui
                    .selectable_label(
                        v.as_judge && !v.as_recorder,
                        RichText::new(s.role_judge_or_head).size(18.0),
                    )
                    .clicked()
                {
                    v.as_judge = true;
                    v.as_recorder = false;
                }
                if ui
                    .selectable_label(v.as_recorder, RichText::new(s.role_recorder).size(18.0))
                    .clicked()
                {
                    v.as_judge = true;
                    v.as_recorder = true;
                }
            });
        }
        if demo {
            ui.add_space(8.0);
            ui.label(RichText::new(s.demo_pins_hint).weak());
        }
        ui.add_space(12.0);
        // Centre the form: the grid itself lays out from the left.
        let form_width = 300.0;
        let pad = ((ui.available_width() - form_width) / 2.0).max(0.0);
        let mut form = ui.new_child(egui::UiBuilder::new().max_rect(egui::Rect::from_min_size(
            ui.cursor().min + egui::vec2(pad, 0.0),
            egui::vec2(form_width, 200.0),
        )));
        let ui = &mut form;
        egui::Grid::new("login-grid")
            .num_columns(2)
            .spacing([12.0, 10.0])
            .show(ui, |ui| {
                if ui_state.login.as_judge && station.is_none() {
                    let label = ui.label(if ui_state.login.as_recorder {
                        s.recorder_id
                    } else {
                        s.judge_id
                    });
                    let id_field = ui
                        .add(
                            egui::TextEdit::singleline(&mut ui_state.login.judge)
                                .desired_width(200.0),
                        )
                        .labelled_by(label.id);
                    // The ID field has the focus on arrival (Tab: ID → PIN → 登录).
                    let form = (ui_state.login.as_judge, ui_state.login.as_recorder);
                    if ui_state.login.focused_for != Some(form) {
                        id_field.request_focus();
                        ui_state.login.focused_for = Some(form);
                    }
                    // Enter in the ID field moves to the PIN.
                    if id_field.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter)) {
                        ui.memory_mut(|m| m.request_focus(egui::Id::unique("scoredesk-login-pin")));
                    }
                    ui.end_row();
                }
                let label = ui.label(s.pin);
                let pin = ui
                    .add(
                        egui::TextEdit::singleline(&mut ui_state.login.pin)
                            .id(egui::Id::unique("scoredesk-login-pin"))
                            .password(true)
                            .desired_width(200.0),
                    )
                    .labelled_by(label.id);
                // The organiser's form (and a station's) is the PIN alone: it gets the focus.
                let form = (ui_state.login.as_judge, ui_state.login.as_recorder);
                if (!ui_state.login.as_judge || station.is_some())
                    && ui_state.login.focused_for != Some(form)
                {
                    pin.request_focus();
                    ui_state.login.focused_for = Some(form);
                }
                ui.end_row();
                let enter = pin.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter));
                ui.label("");
                if ui
                    .add(
                        egui::Button::new(RichText::new(s.login_button).size(18.0))
                            .min_size([200.0, 40.0].into()),
                    )
                    .clicked()
                    || enter
                {
                    let v = &ui_state.login;
                    let cmd = if v.as_recorder && station.is_none() {
                        Action::LoginRecorder {
                            recorder: v.judge.clone(),
                            pin: v.pin.clone(),
                        }
                    } else if v.as_judge {
                        Action::LoginJudge {
                            judge: v.judge.clone(),
                            pin: v.pin.clone(),
                        }
                    } else {
                        Action::LoginOrganiser { pin: v.pin.clone() }
                    };
                    if ui_state.send(cmd).is_ok() {
                        ui_state.login.pin.clear();
                        ui_state.app.messages.retain(|m| !m.error);
                    }
                }
                ui.end_row();
            });
    });
}
