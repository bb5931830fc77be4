//! Scoring screen (评分): my queue in draw order, the rubric as one field per criterion with
//! the live total, submit with confirmation; corrections by the head judge or organiser.
//!
//! Keyboard first: Tab or Enter moves to the next field, Ctrl+Enter submits, Esc cancels.

use std::collections::HashMap;

use egui::{Color32, RichText};

use super::ScoreDeskUi;
use super::strings::Strings;
use crate::app::{Command, Role};
use crate::model::{Event, Fixed, SheetStatus};
use crate::scoring;

pub use crate::scoring::queue::QueueItem;

#[derive(Default)]
pub struct ScoringView {
    pub event: Option<String>,
    pub judge: Option<String>,
    pub contestant: Option<String>,
    /// The text in each criterion field.
    pub fields: Vec<String>,
    /// What the fields were loaded for: (event, contestant, judge, sheet status, rubric).
    loaded: Option<LoadedKey>,
    /// The sheet could not be read: shown instead of the fields (which would otherwise look
    /// blank and let the next keystroke save a draft over the stored sheet).
    pub read_error: Option<String>,
    queue: Vec<QueueItem>,
    queue_key: Option<(String, String, u64)>,
    pub confirming: bool,
    pub correcting: bool,
    pub reason: String,
    focus: Option<usize>,
    /// The field to focus again when the confirmation is cancelled.
    focus_after_confirm: Option<usize>,
    pub penalty_points: String,
    pub penalty_reason: String,
    pub absence_reason: String,
    /// Why a recorded penalty or absence is being removed (撤销原因).
    pub remove_reason: String,
    /// The recorded penalties and absences, read once per change of the file (its
    /// generation), not every frame; a failed read is kept to be shown.
    recorded: Option<(u64, Result<Recorded, String>)>,
    /// The frame whose keys were applied to the rubric (a frame's UI may run twice).
    typed_in_frame: Option<u64>,
    /// A penalty or absence the command layer asked to confirm (the same one is already
    /// recorded): the question and the command to send when confirmed.
    pub again: Option<(String, Command)>,
}

/// Recorded penalties and absences with their row ids.
type Recorded = (
    Vec<(i64, crate::model::Penalty)>,
    Vec<(i64, crate::model::Absence)>,
);

/// A field's value: blank (`None`), a valid score, or why it is invalid.
pub fn check_field(
    event: &Event,
    index: usize,
    text: &str,
    s: &Strings,
) -> Result<Option<Fixed>, String> {
    let t = text.trim();
    if t.is_empty() {
        return Ok(None);
    }
    let v = Fixed::parse(t).map_err(|_| s.not_a_number.to_string())?;
    scoring::validate_score(event, Some(index), v).map_err(|e| one_language(&e.to_string(), s))?;
    Ok(Some(v))
}

/// Every field checked: blank, a valid score, or why not.
fn field_values(
    event: &Event,
    fields: &[String],
    s: &Strings,
) -> Vec<Result<Option<Fixed>, String>> {
    fields
        .iter()
        .enumerate()
        .map(|(i, t)| check_field(event, i, t, s))
        .collect()
}

impl ScoringView {
    /// The queue currently shown (for tests).
    pub fn queue(&self) -> &[QueueItem] {
        &self.queue
    }
}

fn refresh_queue(ui_state: &mut ScoreDeskUi) {
    let Some(ws) = ui_state.app.workspace.as_ref() else {
        return;
    };
    let v = &mut ui_state.scoring;
    let (Some(event), Some(judge)) = (v.event.clone(), v.judge.clone()) else {
        v.queue.clear();
        return;
    };
    let key = (event.clone(), judge.clone(), ws.generation);
    if v.queue_key.as_ref() == Some(&key) {
        return;
    }
    // A failed read is told, not shown as an empty queue.
    let statuses: HashMap<String, SheetStatus> = match ws.store.sheet_statuses(&event, &judge) {
        Ok(s) => s,
        Err(e) => {
            v.queue.clear();
            v.read_error = Some(e.to_string());
            return;
        }
    };
    let entries: Vec<(&str, Option<&str>)> = ws
        .entries
        .iter()
        .filter(|e| e.event == event)
        .map(|e| (e.contestant.as_str(), e.anon_code.as_deref()))
        .collect();
    let people: HashMap<&str, &crate::model::Contestant> =
        ws.contestants.iter().map(|c| (c.id.as_str(), c)).collect();
    v.queue = crate::scoring::queue::build(
        ws.event(&event),
        ws.judge(&judge),
        &entries,
        &people,
        &statuses,
    );
    v.read_error = None;
    v.queue_key = Some(key);
}

/// (event, contestant, judge, sheet status, the rubric's criterion names): fields are
/// reloaded when any of these changes — a rubric edited by the organiser included.
type LoadedKey = (String, String, String, Option<SheetStatus>, Vec<String>);

fn load_fields(ui_state: &mut ScoreDeskUi) {
    let Some(ws) = ui_state.app.workspace.as_ref() else {
        return;
    };
    let v = &mut ui_state.scoring;
    let (Some(event), Some(contestant), Some(judge)) =
        (v.event.clone(), v.contestant.clone(), v.judge.clone())
    else {
        return;
    };
    let status = v
        .queue
        .iter()
        .find(|q| q.contestant == contestant)
        .and_then(|q| q.status);
    let rubric: Vec<String> = ws
        .event(&event)
        .map(|e| e.criteria.iter().map(|c| c.name.clone()).collect())
        .unwrap_or_default();
    let key = (
        event.clone(),
        contestant.clone(),
        judge.clone(),
        status,
        rubric.clone(),
    );
    if v.loaded.as_ref() == Some(&key) {
        return;
    }
    // The judge's own draft being saved while typing changes the status to draft: keep what is
    // in the fields (and the focus) rather than reloading under the judge's fingers.
    let same_sheet = v
        .loaded
        .as_ref()
        .is_some_and(|(e, c, j, _, r)| (e, c, j, r) == (&event, &contestant, &judge, &rubric));
    if same_sheet && !status.is_some_and(|st| st.counts()) && !v.correcting {
        v.loaded = Some(key);
        return;
    }
    let n = rubric.len();
    let sheet = match ws.store.sheet(&event, &contestant, &judge) {
        Ok(sheet) => sheet,
        Err(e) => {
            v.fields.clear();
            v.read_error = Some(e.to_string());
            v.loaded = Some(key);
            return;
        }
    };
    v.read_error = None;
    v.fields = (0..n)
        .map(|i| {
            sheet
                .as_ref()
                .and_then(|s| s.criteria.get(i).copied().flatten())
                .map(|f| f.to_string())
                .unwrap_or_default()
        })
        .collect();
    v.loaded = Some(key);
    v.correcting = false;
    v.confirming = false;
    v.reason.clear();
    v.focus = Some(0);
}

pub fn show(ui_state: &mut ScoreDeskUi, ui: &mut egui::Ui, s: &Strings) {
    let Some(ws) = ui_state.app.workspace.as_ref() else {
        return;
    };
    let Some(session) = ws.session.clone() else {
        return;
    };
    // Events this person may score; the first by default.
    let events: Vec<Event> = ws
        .setup
        .events
        .iter()
        .filter(|e| session.sees_event(&e.code))
        .cloned()
        .collect();
    if events.is_empty() {
        ui.label(s.no_panel);
        return;
    }
    let v = &mut ui_state.scoring;
    if v.event
        .as_ref()
        .is_none_or(|e| !events.iter().any(|x| &x.code == e))
    {
        v.event = Some(events[0].code.clone());
        v.contestant = None;
    }
    match session.role {
        Role::Judge => v.judge = session.judge.clone(),
        Role::HeadJudge | Role::Organiser | Role::Recorder => {
            let code = v.event.clone().unwrap_or_default();
            let panel: Vec<String> = ws
                .judges
                .iter()
                .filter(|j| j.events.contains(&code))
                .map(|j| j.id.clone())
                .collect();
            if v.judge.as_ref().is_none_or(|j| !panel.contains(j)) {
                v.judge = session
                    .judge
                    .clone()
                    .filter(|j| panel.contains(j))
                    .or_else(|| panel.first().cloned());
                v.contestant = None;
            }
        }
    }
    refresh_queue(ui_state);
    let v = &mut ui_state.scoring;
    if v.contestant.is_none() {
        v.contestant = v
            .queue
            .iter()
            .find(|q| !q.recused && !q.status.is_some_and(|st| st.counts()))
            .or(v.queue.first())
            .map(|q| q.contestant.clone());
    }
    load_fields(ui_state);

    let event = ui_state
        .scoring
        .event
        .as_ref()
        .and_then(|c| events.iter().find(|e| &e.code == c))
        .cloned();
    let Some(event) = event else {
        return;
    };

    // With 大字号 the side panels grow with the text (提交 and ◀ ▶ are never cut), and the
    // queue gives way first on a small screen.
    let scale: f32 = if ui_state.large_text { 1.25 } else { 1.0 };
    let width = ui.available_width();
    egui::Panel::left("queue")
        .resizable(true)
        .default_size((290.0 * scale).min(width * 0.3))
        .show(ui, |ui| {
            queue_ui(ui_state, ui, s, &events, &session.role);
        });
    egui::Panel::right("actions")
        .resizable(false)
        .exact_size(220.0 * scale)
        .show(ui, |ui| {
            egui::ScrollArea::vertical()
                .id_salt("actions-scroll")
                .show(ui, |ui| {
                    actions_ui(ui_state, ui, s, &event);
                });
        });
    egui::CentralPanel::default().show(ui, |ui| {
        sheet_ui(ui_state, ui, s, &event);
    });
    if ui_state.scoring.confirming {
        confirm_ui(ui_state, ui, s, &event);
    }
}

fn queue_ui(
    ui_state: &mut ScoreDeskUi,
    ui: &mut egui::Ui,
    s: &Strings,
    events: &[Event],
    role: &Role,
) {
    let v = &mut ui_state.scoring;
    let current = v.event.clone().unwrap_or_default();
    let label = events
        .iter()
        .find(|e| e.code == current)
        .map(|e| format!("{} {}", e.code, e.name))
        .unwrap_or_default();
    egui::ComboBox::new("event", s.event)
        .selected_text(label)
        .width(200.0)
        .show_ui(ui, |ui| {
            for e in events {
                if ui
                    .selectable_label(
                        v.event.as_deref() == Some(e.code.as_str()),
                        format!("{} {}", e.code, e.name),
                    )
                    .clicked()
                {
                    v.event = Some(e.code.clone());
                    v.contestant = None;
                    v.judge = None;
                }
            }
        });
    if *role != Role::Judge
        && let Some(ws) = ui_state.app.workspace.as_ref()
    {
        let panel: Vec<(String, String)> = ws
            .judges
            .iter()
            .filter(|j| j.events.contains(&current))
            .map(|j| (j.id.clone(), j.name.clone()))
            .collect();
        let v = &mut ui_state.scoring;
        let shown = v.judge.clone().unwrap_or_default();
        ui.horizontal(|ui| {
            egui::ComboBox::new("judge", s.judge)
                .selected_text(shown)
                .show_ui(ui, |ui| {
                    for (id, name) in &panel {
                        if ui
                            .selectable_label(
                                v.judge.as_deref() == Some(id),
                                format!("{id} {name}"),
                            )
                            .clicked()
                        {
                            v.judge = Some(id.clone());
                            v.contestant = None;
                        }
                    }
                });
        });
    }
    let v = &mut ui_state.scoring;
    let done = v
        .queue
        .iter()
        .filter(|q| q.status.is_some_and(|st| st.counts()))
        .count();
    let open = v.queue.iter().filter(|q| !q.recused).count();
    ui.label(RichText::new(format!("{} {done}/{open}", s.my_queue)).strong());
    let blind = events
        .iter()
        .find(|e| e.code == current)
        .is_some_and(|e| e.blind);
    let mut clicked = None;
    egui::ScrollArea::vertical().auto_shrink(false).show_rows(
        ui,
        24.0,
        v.queue.len(),
        |ui, range| {
            for q in &v.queue[range] {
                let icon = if q.recused {
                    "◇"
                } else {
                    match q.status {
                        Some(SheetStatus::Submitted) | Some(SheetStatus::Confirmed) => "●",
                        Some(SheetStatus::Draft) => "◐",
                        Some(SheetStatus::Voided) => "×",
                        None => "○",
                    }
                };
                let text = if blind {
                    format!("{icon} {}", q.code)
                } else {
                    format!("{icon} {}  {}", q.code, q.name)
                };
                let selected = v.contestant.as_deref() == Some(q.contestant.as_str());
                if ui.selectable_label(selected, text).clicked() {
                    clicked = Some(q.contestant.clone());
                }
            }
        },
    );
    if let Some(c) = clicked {
        v.contestant = Some(c);
    }
}

/// Messages from the core read "中文 (English)"; beside a field, show only the UI's language.
fn one_language(message: &str, s: &Strings) -> String {
    let lang = if s.english {
        crate::i18n::Lang::En
    } else {
        crate::i18n::Lang::Zh
    };
    crate::i18n::one_language(message, lang)
}

/// One key of typing in the rubric.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Typing {
    Text(String),
    Next,
    Previous,
    Backspace,
}

/// Takes the frame's typing events (text, Enter, Tab, Backspace without Ctrl) out of `events`,
/// in order; everything else (Ctrl+Enter to submit, arrows, Esc) stays for egui.
fn take_typing(events: &mut Vec<egui::Event>) -> Vec<Typing> {
    let mut taken = Vec::new();
    events.retain(|e| match e {
        egui::Event::Text(t) => {
            taken.push(Typing::Text(t.clone()));
            false
        }
        egui::Event::Key {
            key,
            pressed,
            modifiers,
            ..
        } if !modifiers.ctrl && !modifiers.command && !modifiers.alt => match key {
            egui::Key::Enter | egui::Key::Tab => {
                if *pressed {
                    taken.push(if *key == egui::Key::Tab && modifiers.shift {
                        Typing::Previous
                    } else {
                        Typing::Next
                    });
                }
                false
            }
            egui::Key::Backspace => {
                if *pressed {
                    taken.push(Typing::Backspace);
                }
                false
            }
            _ => true,
        },
        _ => true,
    });
    taken
}

/// Applies typing to the fields from field `start`: text goes to the current field, Enter/Tab
/// move to the next (Shift+Tab back), Backspace deletes. Returns whether a field changed and the
/// field the typing ended in.
pub fn apply_typing(fields: &mut [String], start: usize, keys: &[Typing]) -> (bool, usize) {
    let mut cur = start.min(fields.len().saturating_sub(1));
    let mut changed = false;
    for k in keys {
        match k {
            Typing::Text(t) => {
                if let Some(f) = fields.get_mut(cur) {
                    f.push_str(t);
                    changed = true;
                }
            }
            Typing::Next => cur = (cur + 1).min(fields.len().saturating_sub(1)),
            Typing::Previous => cur = cur.saturating_sub(1),
            Typing::Backspace => {
                if let Some(f) = fields.get_mut(cur) {
                    changed |= f.pop().is_some();
                }
            }
        }
    }
    (changed, cur)
}

/// The stable id of criterion field `i` (for moving the focus with Enter).
fn criterion_id(i: usize) -> egui::Id {
    egui::Id::unique(("scoredesk-criterion-field", i))
}

fn current_item(v: &ScoringView) -> Option<&QueueItem> {
    let c = v.contestant.as_deref()?;
    v.queue.iter().find(|q| q.contestant == c)
}

fn sheet_ui(ui_state: &mut ScoreDeskUi, ui: &mut egui::Ui, s: &Strings, event: &Event) {
    let Some(item) = current_item(&ui_state.scoring).cloned() else {
        ui.label(s.queue_empty);
        return;
    };
    let locked = item.status.is_some_and(|st| st.counts());
    // A head judge looking at another judge's sheet may correct it once submitted, not type it.
    let own_sheet = ui_state
        .app
        .workspace
        .as_ref()
        .and_then(|w| w.session.as_ref())
        .is_some_and(|session| {
            matches!(session.role, Role::Organiser | Role::Recorder)
                || session.judge == ui_state.scoring.judge
        });
    let v = &mut ui_state.scoring;
    let heading = if event.blind {
        item.code.clone()
    } else {
        format!("{}  {}", item.code, item.name)
    };
    ui.label(RichText::new(heading).size(26.0).strong());
    ui.label(
        RichText::new(format!(
            "{} {} · {} {}",
            event.code,
            event.name,
            s.full_marks,
            event.full_marks()
        ))
        .size(16.0),
    );
    ui.add_space(8.0);
    if item.recused {
        ui.label(
            RichText::new(s.recused_notice)
                .color(Color32::from_rgb(200, 40, 40))
                .size(18.0),
        );
        return;
    }
    if let Some(e) = &v.read_error {
        ui.colored_label(ui.visuals().error_fg_color, e);
        return;
    }
    if v.fields.len() != event.criteria.len() {
        // The rubric changed under an open sheet: reloaded on the next frame.
        v.loaded = None;
        return;
    }
    if locked && !v.correcting {
        ui.label(
            RichText::new(s.sheet_locked)
                .color(Color32::from_rgb(30, 120, 60))
                .size(16.0),
        );
    }
    // While the confirmation is open the fields take no keys: what is confirmed is what was shown.
    let editable = ((!locked && own_sheet) || v.correcting) && !v.confirming;
    let mut changed = false;
    // Keys typed into the rubric are applied here, in order, before the fields are drawn: a
    // practised judge's digits after Enter/Tab land in the next field even when several keys
    // arrive in one frame (egui would otherwise hand them all to the field focused first).
    let n = event.criteria.len();
    let focused = (0..n).find(|&i| ui.memory(|m| m.has_focus(criterion_id(i))));
    if editable && let Some(start) = focused {
        let keys = ui.input_mut(|input| take_typing(&mut input.events));
        // egui may run a frame's UI twice (a discarded first pass): the keys of a frame are
        // applied once.
        let frame = ui.ctx().cumulative_frame_nr();
        let keys = if v.typed_in_frame == Some(frame) {
            Vec::new()
        } else {
            v.typed_in_frame = Some(frame);
            keys
        };
        let (edited, cur) = apply_typing(&mut v.fields, start, &keys);
        changed |= edited;
        if cur != start {
            ui.memory_mut(|m| m.request_focus(criterion_id(cur)));
            v.focus = Some(cur);
        }
    }
    let enter =
        ui.input(|i| i.key_pressed(egui::Key::Enter) && !i.modifiers.ctrl && !i.modifiers.command);
    egui::Grid::new("rubric")
        .num_columns(3)
        .spacing([16.0, 10.0])
        .show(ui, |ui| {
            for (i, c) in event.criteria.iter().enumerate() {
                let label = ui.label(RichText::new(&c.name).size(18.0));
                // Tab and Enter are ours (see `take_typing`): egui must not move the focus
                // by itself at the start of a frame.
                let edit = egui::TextEdit::singleline(&mut v.fields[i])
                    .id(criterion_id(i))
                    .lock_focus(true)
                    .font(egui::TextStyle::Heading)
                    .hint_text("—");
                let r = ui
                    .add_enabled_ui(editable, |ui| ui.add_sized([120.0, 34.0], edit))
                    .inner
                    .labelled_by(label.id);
                if v.focus == Some(i) && editable {
                    r.request_focus();
                    v.focus = None;
                }
                if r.changed() {
                    changed = true;
                }
                // Enter moves on at once, so the next keystroke already lands in the next field.
                if r.lost_focus() && enter && i + 1 < event.criteria.len() {
                    ui.memory_mut(|m| m.request_focus(criterion_id(i + 1)));
                    v.focus = Some(i + 1);
                }
                ui.horizontal(|ui| {
                    ui.label(RichText::new(format!("/ {}", c.max)).size(16.0).weak());
                    if let Err(e) = check_field(event, i, &v.fields[i], s) {
                        ui.label(RichText::new(e).color(Color32::from_rgb(200, 40, 40)));
                    }
                });
                ui.end_row();
            }
        });
    let values = field_values(event, &v.fields, s);
    let total: Fixed = values
        .iter()
        .filter_map(|r| r.as_ref().ok().copied().flatten())
        .sum();
    let complete = values.iter().all(|r| matches!(r, Ok(Some(_))));
    ui.add_space(12.0);
    ui.horizontal(|ui| {
        ui.label(RichText::new(s.total).size(22.0));
        ui.label(RichText::new(total.to_string()).size(44.0).strong());
        if !complete {
            ui.label(RichText::new(s.incomplete).weak());
        }
    });
    if v.correcting {
        ui.add_space(8.0);
        ui.horizontal(|ui| {
            let label = ui.label(s.correction_reason);
            ui.add(egui::TextEdit::singleline(&mut v.reason).desired_width(320.0))
                .labelled_by(label.id);
        });
    }
    // Drafts are saved as the judge types: every valid value, even while another field holds
    // something invalid (that one is saved blank and stays marked in red on the screen); a
    // recorder's double entry has no drafts.
    let recorder = ui_state
        .app
        .workspace
        .as_ref()
        .and_then(|w| w.session.as_ref())
        .is_some_and(|x| x.role == Role::Recorder);
    let v = &mut ui_state.scoring;
    if changed && !recorder && !locked && values.iter().any(|r| matches!(r, Ok(Some(_)))) {
        let criteria: Vec<Option<Fixed>> = values
            .iter()
            .map(|r| r.as_ref().ok().copied().flatten())
            .collect();
        let cmd = Command::SaveSheet {
            event: event.code.clone(),
            contestant: item.contestant.clone(),
            judge: v.judge.clone().unwrap_or_default(),
            criteria,
            submit: false,
        };
        let _ = ui_state.send(cmd);
    }
    let ctrl_enter =
        ui.input(|i| i.key_pressed(egui::Key::Enter) && (i.modifiers.ctrl || i.modifiers.command));
    if ctrl_enter && complete && !locked {
        ui_state.scoring.confirming = true;
        // After Esc the focus returns to the field the judge was in.
        ui_state.scoring.focus_after_confirm = focused;
    }
}

fn actions_ui(ui_state: &mut ScoreDeskUi, ui: &mut egui::Ui, s: &Strings, event: &Event) {
    let role = ui_state
        .app
        .workspace
        .as_ref()
        .and_then(|w| w.session.as_ref())
        .map(|x| x.role);
    let Some(item) = current_item(&ui_state.scoring).cloned() else {
        return;
    };
    let v = &mut ui_state.scoring;
    let locked = item.status.is_some_and(|st| st.counts());
    let values = field_values(event, &v.fields, s);
    let complete = values.iter().all(|r| matches!(r, Ok(Some(_))));
    ui.add_space(16.0);
    if !locked {
        let submit = egui::Button::new(RichText::new(s.submit).size(24.0).strong())
            .min_size([180.0, 64.0].into());
        if ui.add_enabled(complete && !item.recused, submit).clicked() {
            v.confirming = true;
        }
        // Why 提交 is disabled: 回避 says so (not "fill in every field").
        if item.recused {
            ui.label(RichText::new(s.recused_short).weak());
        } else if !complete {
            ui.label(RichText::new(s.submit_blocked).weak());
        }
    } else if matches!(role, Some(Role::Organiser) | Some(Role::HeadJudge)) {
        if !v.correcting {
            if ui
                .add(egui::Button::new(s.correct).min_size([180.0, 40.0].into()))
                .clicked()
            {
                v.correcting = true;
            }
        } else {
            let ok = complete && !v.reason.trim().is_empty();
            if ui
                .add_enabled(
                    ok,
                    egui::Button::new(s.save_correction).min_size([180.0, 40.0].into()),
                )
                .clicked()
            {
                let criteria: Vec<Option<Fixed>> = values
                    .iter()
                    .map(|r| r.as_ref().ok().copied().flatten())
                    .collect();
                let cmd = Command::CorrectSheet {
                    event: event.code.clone(),
                    contestant: item.contestant.clone(),
                    judge: v.judge.clone().unwrap_or_default(),
                    criteria,
                    reason: v.reason.clone(),
                };
                if ui_state.send(cmd).is_ok() {
                    ui_state.scoring.correcting = false;
                    ui_state.scoring.loaded = None;
                    ui_state.app.info(s.correction_saved);
                }
            }
            if ui.button(s.cancel).clicked() {
                ui_state.scoring.correcting = false;
                ui_state.scoring.loaded = None;
            }
        }
    }
    ui.add_space(24.0);
    let v = &mut ui_state.scoring;
    let pos = v.queue.iter().position(|q| q.contestant == item.contestant);
    ui.horizontal(|ui| {
        if ui
            .add_enabled(pos.is_some_and(|p| p > 0), egui::Button::new(s.previous))
            .clicked()
            && let Some(p) = pos
        {
            v.contestant = Some(v.queue[p - 1].contestant.clone());
        }
        if ui
            .add_enabled(
                pos.is_some_and(|p| p + 1 < v.queue.len()),
                egui::Button::new(s.next),
            )
            .clicked()
            && let Some(p) = pos
        {
            v.contestant = Some(v.queue[p + 1].contestant.clone());
        }
    });
    if matches!(role, Some(Role::Organiser) | Some(Role::HeadJudge)) {
        head_judge_ui(ui_state, ui, s, event, &item);
    }
}

/// The head judge's (or organiser's) tools: a penalty for this contestant, and recording the
/// shown judge absent for the event.
fn head_judge_ui(
    ui_state: &mut ScoreDeskUi,
    ui: &mut egui::Ui,
    s: &Strings,
    event: &Event,
    item: &QueueItem,
) {
    let mut command = None;
    let v = &mut ui_state.scoring;
    ui.add_space(24.0);
    ui.separator();
    ui.label(RichText::new(s.penalty_title).strong());
    if v.penalty_points.is_empty()
        && let Some(first) = event.penalties.first()
    {
        v.penalty_points = first.points.to_string();
        v.penalty_reason = first.name.clone();
    }
    ui.horizontal(|ui| {
        let l = ui.label(s.penalty_points);
        ui.add(egui::TextEdit::singleline(&mut v.penalty_points).desired_width(50.0))
            .labelled_by(l.id);
    });
    ui.horizontal(|ui| {
        let l = ui.label(s.reason);
        ui.add(egui::TextEdit::singleline(&mut v.penalty_reason).desired_width(110.0))
            .labelled_by(l.id);
    });
    let points = Fixed::parse(&v.penalty_points)
        .ok()
        .filter(|p| *p > Fixed::ZERO);
    if ui
        .add_enabled(
            points.is_some() && !v.penalty_reason.trim().is_empty(),
            egui::Button::new(s.add_penalty),
        )
        .clicked()
        && let Some(points) = points
    {
        command = Some(Command::AddPenalty {
            penalty: crate::model::Penalty {
                event: event.code.clone(),
                contestant: item.contestant.clone(),
                points,
                reason: v.penalty_reason.trim().to_string(),
            },
            again: false,
        });
    }
    ui.add_space(12.0);
    ui.label(RichText::new(s.absence_title).strong());
    ui.horizontal(|ui| {
        let l = ui.label(s.reason);
        ui.add(egui::TextEdit::singleline(&mut v.absence_reason).desired_width(110.0))
            .labelled_by(l.id);
    });
    if let Some(judge) = v.judge.clone()
        && ui
            .add_enabled(
                !v.absence_reason.trim().is_empty(),
                egui::Button::new(format!("{} {judge}", s.record_absent)),
            )
            .clicked()
    {
        command = Some(Command::RecordAbsence {
            absence: crate::model::Absence {
                event: event.code.clone(),
                judge,
                contestant: None,
                reason: v.absence_reason.trim().to_string(),
            },
            again: false,
        });
    }
    recorded_ui(ui_state, ui, s, event, item, &mut command);
    if let Some((question, again)) = ui_state.scoring.again.clone() {
        let mut answer = None;
        egui::Window::new(s.confirm_again_title)
            .collapsible(false)
            .resizable(false)
            .show(ui.ctx(), |ui| {
                ui.label(question);
                ui.horizontal(|ui| {
                    if ui.button(s.confirm_again_yes).clicked() {
                        answer = Some(true);
                    }
                    if ui.button(s.cancel).clicked() {
                        answer = Some(false);
                    }
                });
            });
        match answer {
            Some(true) => {
                ui_state.scoring.again = None;
                command = Some(again);
            }
            Some(false) => ui_state.scoring.again = None,
            None => {}
        }
    }
    if let Some(c) = command {
        match ui_state.send(c.clone()) {
            Ok(_) => {
                ui_state.app.info(s.saved_ok);
                ui_state.scoring.absence_reason.clear();
                ui_state.scoring.remove_reason.clear();
            }
            Err(e) => {
                if let Some(question) = e.needs_confirmation() {
                    let confirmed = match c {
                        Command::AddPenalty { penalty, .. } => Some(Command::AddPenalty {
                            penalty,
                            again: true,
                        }),
                        Command::RecordAbsence { absence, .. } => Some(Command::RecordAbsence {
                            absence,
                            again: true,
                        }),
                        _ => None,
                    };
                    ui_state.scoring.again = confirmed.map(|cmd| (question.to_string(), cmd));
                }
            }
        }
    }
}

/// What is already recorded for this entrant in this event — its penalties and the event's
/// absences — each with a remove (撤销) button that needs a reason. A failed read is shown.
fn recorded_ui(
    ui_state: &mut ScoreDeskUi,
    ui: &mut egui::Ui,
    s: &Strings,
    event: &Event,
    item: &QueueItem,
    command: &mut Option<Command>,
) {
    let Some(ws) = ui_state.app.workspace.as_ref() else {
        return;
    };
    let v = &mut ui_state.scoring;
    if v.recorded.as_ref().is_none_or(|(g, _)| *g != ws.generation) {
        let read = ws
            .store
            .penalties_with_ids()
            .and_then(|p| Ok((p, ws.store.absences_with_ids()?)))
            .map_err(|e| e.to_string());
        v.recorded = Some((ws.generation, read));
    }
    let (penalties, absences) = match v.recorded.as_ref().map(|(_, r)| r) {
        Some(Ok((p, a))) => (p.clone(), a.clone()),
        Some(Err(e)) => {
            ui.colored_label(ui.visuals().error_fg_color, e);
            return;
        }
        None => return,
    };
    let penalties: Vec<_> = penalties
        .into_iter()
        .filter(|(_, p)| p.event == event.code && p.contestant == item.contestant)
        .collect();
    let absences: Vec<_> = absences
        .into_iter()
        .filter(|(_, a)| {
            a.event == event.code && a.contestant.as_deref().is_none_or(|c| c == item.contestant)
        })
        .collect();
    if penalties.is_empty() && absences.is_empty() {
        return;
    }
    ui.add_space(12.0);
    ui.label(RichText::new(s.recorded_title).strong());
    let v = &mut ui_state.scoring;
    ui.horizontal(|ui| {
        let l = ui.label(s.remove_reason);
        ui.add(egui::TextEdit::singleline(&mut v.remove_reason).desired_width(110.0))
            .labelled_by(l.id);
    });
    let can_remove = !v.remove_reason.trim().is_empty();
    let reason = v.remove_reason.trim().to_string();
    let rows = penalties
        .into_iter()
        .map(|(id, p)| {
            (
                format!("{} -{} {}", s.penalty_short, p.points, p.reason),
                Command::RemovePenalty {
                    id,
                    reason: reason.clone(),
                },
            )
        })
        .chain(absences.into_iter().map(|(id, a)| {
            (
                format!("{} {} {}", s.absent_short, a.judge, a.reason),
                Command::RemoveAbsence {
                    id,
                    reason: reason.clone(),
                },
            )
        }));
    for (label, remove) in rows {
        ui.horizontal(|ui| {
            ui.label(label);
            if ui
                .add_enabled(can_remove, egui::Button::new(s.remove_decision))
                .clicked()
            {
                *command = Some(remove);
            }
        });
    }
}

fn confirm_ui(ui_state: &mut ScoreDeskUi, ui: &mut egui::Ui, s: &Strings, event: &Event) {
    let Some(item) = current_item(&ui_state.scoring).cloned() else {
        ui_state.scoring.confirming = false;
        return;
    };
    let values: Vec<Option<Fixed>> = field_values(event, &ui_state.scoring.fields, s)
        .into_iter()
        .map(|r| r.ok().flatten())
        .collect();
    let total: Fixed = values.iter().flatten().copied().sum();
    let mut cancel = ui.input(|i| i.key_pressed(egui::Key::Escape));
    // Enter confirms (Ctrl+Enter opened the dialog in an earlier frame).
    let mut submit =
        ui.input(|i| i.key_pressed(egui::Key::Enter) && !i.modifiers.ctrl && !i.modifiers.command);
    egui::Modal::new(egui::Id::unique("confirm-submit")).show(ui.ctx(), |ui| {
        ui.label(RichText::new(s.confirm_submit).size(20.0).strong());
        ui.add_space(8.0);
        let who = if event.blind {
            item.code.clone()
        } else {
            format!("{}  {}", item.code, item.name)
        };
        ui.label(RichText::new(who).size(28.0).strong());
        ui.label(format!(
            "{} {} · {} {}",
            event.code, event.name, s.total, total
        ));
        ui.label(RichText::new(s.confirm_hint).weak());
        ui.add_space(8.0);
        ui.horizontal(|ui| {
            if ui
                .add(
                    egui::Button::new(RichText::new(s.confirm).size(18.0))
                        .min_size([120.0, 40.0].into()),
                )
                .clicked()
            {
                submit = true;
            }
            if ui
                .add(
                    egui::Button::new(RichText::new(s.cancel).size(18.0))
                        .min_size([120.0, 40.0].into()),
                )
                .clicked()
            {
                cancel = true;
            }
        });
    });
    if submit {
        let recorder = ui_state
            .app
            .workspace
            .as_ref()
            .and_then(|w| w.session.as_ref())
            .is_some_and(|x| x.role == Role::Recorder);
        let judge = ui_state.scoring.judge.clone().unwrap_or_default();
        let cmd = if recorder {
            // Double entry: the entry is stored; the sheet counts when two recorders agree.
            Command::EnterPaper {
                event: event.code.clone(),
                contestant: item.contestant.clone(),
                judge,
                criteria: values,
            }
        } else {
            Command::SaveSheet {
                event: event.code.clone(),
                contestant: item.contestant.clone(),
                judge,
                criteria: values,
                submit: true,
            }
        };
        ui_state.scoring.confirming = false;
        let sent = ui_state.send(cmd);
        if let Ok(crate::app::Outcome::Paper(p)) = &sent {
            use crate::commands::paper::PaperOutcome;
            let text = match p {
                PaperOutcome::Waiting => s.paper_waiting,
                PaperOutcome::Counted => s.paper_counted,
                PaperOutcome::Disagree => s.paper_disagree,
            };
            ui_state.app.info(format!("{} {text}", item.code));
            ui_state.scoring.fields.iter_mut().for_each(String::clear);
        }
        if sent.is_ok() {
            if !recorder {
                ui_state.app.info(format!("{} {}", s.submitted, item.code));
            }
            // Move on to the next contestant still to score.
            let v = &mut ui_state.scoring;
            let pos = v
                .queue
                .iter()
                .position(|q| q.contestant == item.contestant)
                .unwrap_or(0);
            let next = v
                .queue
                .iter()
                .skip(pos + 1)
                .chain(v.queue.iter().take(pos))
                .find(|q| !q.recused && !q.status.is_some_and(|st| st.counts()))
                .map(|q| q.contestant.clone());
            if let Some(n) = next {
                v.contestant = Some(n);
            }
            v.loaded = None;
        }
    } else if cancel {
        let v = &mut ui_state.scoring;
        v.confirming = false;
        v.focus = Some(
            v.focus_after_confirm
                .take()
                .unwrap_or(event.criteria.len().saturating_sub(1)),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_burst_of_keys_lands_field_by_field() {
        let mut fields = vec![String::new(); 5];
        let t = |s: &str| Typing::Text(s.into());
        let keys = [
            t("1"),
            t("9"),
            Typing::Backspace,
            t(".5"),
            Typing::Next,
            t("13"),
            Typing::Next,
            t("22.5"),
            Typing::Previous,
            t("0"),
            Typing::Next,
            Typing::Next,
            t("27"),
            Typing::Next,
            t("18"),
            Typing::Next,
        ];
        let (changed, cur) = apply_typing(&mut fields, 0, &keys);
        assert!(changed);
        assert_eq!(fields, ["1.5", "130", "22.5", "27", "18"]);
        assert_eq!(cur, 4, "Enter on the last field stays there");
    }
}
