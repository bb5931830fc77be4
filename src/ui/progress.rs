//! Progress (进度): draws the matrix of `scoring::progress` (contestants × judges for one event
//! and group, outliers and each judge's mean deviation) and lets the desk choose event and group.

use egui::{Color32, RichText};
use egui_extras::{Column, TableBuilder};

use super::ScoreDeskUi;
use super::strings::Strings;
use super::widgets;
use crate::app::task::{self, Task};

pub use crate::scoring::progress::{Cell, Matrix};

#[derive(Default)]
pub struct ProgressView {
    pub event: Option<String>,
    pub group: Option<String>,
    /// 全部组别: what is missing per event, over all groups, instead of one group's matrix.
    pub overview: bool,
    /// (event code and name, submitted, expected) per event, for the overview; read in the
    /// background (`totals_task`) for the generation in `totals_key`.
    totals: Vec<(String, usize, usize)>,
    totals_key: Option<u64>,
    totals_task: Option<Task<Vec<(String, usize, usize)>>>,
    matrix: Matrix,
    key: Option<(String, String, u64)>,
    /// A failed read, shown instead of an empty matrix.
    error: Option<String>,
}

impl ProgressView {
    /// The matrix shown (for tests).
    pub fn matrix(&self) -> &Matrix {
        &self.matrix
    }

    /// Whether the overview is still being read (for tests).
    pub fn overview_pending(&self) -> bool {
        self.totals_task.is_some()
    }
}

/// The matrix of `event` for the contestants of `group`, in draw order.
fn build(ui_state: &ScoreDeskUi, event: &str, group: &str) -> Result<Matrix, String> {
    let Some(ws) = ui_state.app.workspace.as_ref() else {
        return Ok(Matrix::default());
    };
    let Some(ev) = ws.event(event) else {
        return Ok(Matrix::default());
    };
    let sheets = ws.store.event_sheets(event).map_err(|e| e.to_string())?;
    let absences = ws.store.absences().map_err(|e| e.to_string())?;
    let rows: Vec<(&crate::model::Contestant, String)> = ws
        .entries
        .iter()
        .filter(|e| e.event == event)
        .filter_map(|entry| {
            let c = ws.contestant(&entry.contestant)?;
            (c.group() == group).then(|| {
                let code = entry.anon_code.clone().unwrap_or_else(|| c.id.clone());
                (c, code)
            })
        })
        .collect();
    // A head judge who also scores sees the matrix as a judge may (no score before their own).
    let viewer = ws.session.as_ref().and_then(|x| x.judge.clone());
    Ok(crate::scoring::progress::build_for(
        ev,
        &ws.judges,
        &rows,
        &sheets,
        &absences,
        viewer.as_deref(),
    ))
}

pub fn show(ui_state: &mut ScoreDeskUi, ui: &mut egui::Ui, s: &Strings) {
    let Some(ws) = ui_state.app.workspace.as_ref() else {
        return;
    };
    let Some(session) = ws.session.clone() else {
        return;
    };
    let events: Vec<crate::model::Event> = ws
        .setup
        .events
        .iter()
        .filter(|e| session.sees_event(&e.code))
        .cloned()
        .collect();
    let generation = ws.generation;
    let v = &mut ui_state.progress;
    if v.event
        .as_ref()
        .is_none_or(|e| !events.iter().any(|x| &x.code == e))
    {
        v.event = events.first().map(|e| e.code.clone());
    }
    // Only the groups with entrants in the chosen event, in the roster's order.
    let mut groups: Vec<String> = Vec::new();
    for entry in ws
        .entries
        .iter()
        .filter(|e| Some(&e.event) == v.event.as_ref())
    {
        if let Some(c) = ws.contestant(&entry.contestant) {
            let g = c.group();
            if !groups.contains(&g) {
                groups.push(g);
            }
        }
    }
    let order: Vec<String> = {
        let mut seen = Vec::new();
        for c in &ws.contestants {
            let g = c.group();
            if !seen.contains(&g) {
                seen.push(g);
            }
        }
        seen
    };
    groups.sort_by_key(|g| order.iter().position(|o| o == g));
    if v.group.as_ref().is_none_or(|g| !groups.contains(g)) {
        v.group = groups.first().cloned();
    }
    ui.horizontal(|ui| {
        widgets::event_combo(ui, "progress-event", s.event, &events, &mut v.event);
        let shown = if v.overview {
            s.all_groups_overview.to_string()
        } else {
            v.group.clone().unwrap_or_default()
        };
        egui::ComboBox::new("progress-group", s.group)
            .selected_text(shown)
            .show_ui(ui, |ui| {
                ui.selectable_value(&mut v.overview, true, s.all_groups_overview);
                for g in &groups {
                    if ui
                        .selectable_label(!v.overview && v.group.as_ref() == Some(g), g)
                        .clicked()
                    {
                        v.group = Some(g.clone());
                        v.overview = false;
                    }
                }
            });
    });
    if v.overview {
        // Read again when the file changed (one reading at a time; the last figures stay
        // on screen meanwhile).
        if v.totals_key != Some(generation) && v.totals_task.is_none() {
            let viewer = session.judge.clone();
            v.totals_task = Some(task::start_progress_totals(
                ws.store.path().to_path_buf(),
                events.clone(),
                viewer,
            ));
            v.totals_key = Some(generation);
        }
        if let Some(t) = v.totals_task.as_mut() {
            match t.poll() {
                Some(Ok(totals)) => {
                    v.totals = totals;
                    v.error = None;
                    v.totals_task = None;
                }
                Some(Err(e)) => {
                    v.error = Some(e);
                    v.totals_task = None;
                }
                None => ui
                    .ctx()
                    .request_repaint_after(std::time::Duration::from_millis(50)),
            }
        }
        if let Some(e) = &ui_state.progress.error {
            ui.colored_label(ui.visuals().error_fg_color, e);
            return;
        }
        if ui_state.progress.totals.is_empty() && ui_state.progress.totals_task.is_some() {
            ui.spinner();
            return;
        }
        egui::Grid::new("progress-overview")
            .striped(true)
            .num_columns(4)
            .show(ui, |ui| {
                for h in [s.event, s.submitted, s.expected, s.missing] {
                    ui.strong(h);
                }
                ui.end_row();
                for (name, submitted, expected) in &ui_state.progress.totals {
                    ui.label(name);
                    ui.label(submitted.to_string());
                    ui.label(expected.to_string());
                    let missing = expected.saturating_sub(*submitted);
                    if missing > 0 {
                        ui.colored_label(Color32::from_rgb(210, 50, 50), missing.to_string());
                    } else {
                        ui.label("0");
                    }
                    ui.end_row();
                }
            });
        return;
    }
    let (Some(event), Some(group)) = (v.event.clone(), v.group.clone()) else {
        return;
    };
    let key = (event.clone(), group.clone(), generation);
    if ui_state.progress.key.as_ref() != Some(&key) {
        match build(ui_state, &event, &group) {
            Ok(m) => {
                ui_state.progress.matrix = m;
                ui_state.progress.error = None;
            }
            Err(e) => {
                ui_state.progress.matrix = Matrix::default();
                ui_state.progress.error = Some(e);
            }
        }
        ui_state.progress.key = Some(key);
    }
    if let Some(e) = &ui_state.progress.error {
        ui.colored_label(ui.visuals().error_fg_color, e);
        return;
    }
    let m = &ui_state.progress.matrix;
    ui.label(RichText::new(format!("{} {}/{}", s.submitted, m.submitted, m.expected)).strong());
    ui.label(RichText::new(s.progress_legend).weak());
    let green = Color32::from_rgb(40, 140, 70);
    let amber = Color32::from_rgb(200, 140, 0);
    let red = Color32::from_rgb(210, 50, 50);
    egui::ScrollArea::horizontal().show(ui, |ui| {
        TableBuilder::new(ui)
            .striped(true)
            .column(Column::exact(90.0))
            .column(Column::exact(110.0))
            .columns(Column::exact(64.0), m.judges.len())
            .header(44.0, |mut h| {
                h.col(|ui| {
                    ui.strong(s.anon_code);
                });
                h.col(|ui| {
                    ui.strong(s.name);
                });
                for (j, dev) in m.judges.iter().zip(&m.deviation) {
                    h.col(|ui| {
                        ui.vertical(|ui| {
                            ui.strong(j);
                            if let Some(d) = dev {
                                let text = format!("{:+.2}", d.to_f64());
                                let strong = d.to_f64().abs() >= 2.0;
                                ui.label(RichText::new(text).small().color(if strong {
                                    amber
                                } else {
                                    ui.visuals().weak_text_color()
                                }))
                                .on_hover_text(s.deviation_hint);
                            }
                        });
                    });
                }
            })
            .body(|body| {
                body.rows(24.0, m.rows.len(), |mut row| {
                    let Some(r) = m.rows.get(row.index()) else {
                        return;
                    };
                    let (code, name, cells) = (&r.code, &r.name, &r.cells);
                    row.col(|ui| {
                        ui.label(code);
                    });
                    row.col(|ui| {
                        ui.label(name);
                    });
                    for cell in cells {
                        row.col(|ui| {
                            match cell {
                                Cell::Submitted {
                                    score,
                                    outlier,
                                    from_packet,
                                } => {
                                    // A sheet from a station's packet carries a small mark.
                                    let text = if *from_packet {
                                        format!("{score}·")
                                    } else {
                                        score.to_string()
                                    };
                                    let t = RichText::new(text).color(if *outlier {
                                        red
                                    } else {
                                        green
                                    });
                                    let r = ui.label(if *outlier { t.strong() } else { t });
                                    if *from_packet {
                                        r.on_hover_text(s.from_packet_hint);
                                    }
                                }
                                Cell::Draft => {
                                    ui.label(RichText::new(s.draft).color(amber));
                                }
                                Cell::Missing => {
                                    ui.label(RichText::new("—").weak());
                                }
                                Cell::NotNeeded => {
                                    ui.label(RichText::new("·").weak());
                                }
                                Cell::Hidden => {
                                    ui.label(RichText::new(s.hidden_score).color(green));
                                }
                                Cell::Recused => {
                                    ui.label(RichText::new(s.recusal).weak());
                                }
                                Cell::Absent => {
                                    ui.label(RichText::new(s.absent).weak());
                                }
                            };
                        });
                    }
                });
            });
    });
}
