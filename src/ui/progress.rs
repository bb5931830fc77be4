//! Progress (进度): contestants × judges for one event and group — what is submitted, drafted,
//! missing, recused or absent — with scores far from the panel's median and each judge's mean
//! deviation (lenient / harsh) flagged.

use std::collections::HashMap;

use egui::{Color32, RichText};
use egui_extras::{Column, TableBuilder};

use super::ScoreDeskUi;
use super::strings::Strings;
use super::widgets;
use crate::model::{Fixed, Rational, SheetStatus};

/// One cell of the matrix.
#[derive(Clone, Debug, PartialEq)]
pub enum Cell {
    Submitted { score: Fixed, outlier: bool },
    Draft,
    Missing,
    Recused,
    Absent,
}

/// The matrix for one event and group.
#[derive(Clone, Debug, Default)]
pub struct Matrix {
    pub judges: Vec<String>,
    /// (code, name, cells per judge).
    pub rows: Vec<(String, String, Vec<Cell>)>,
    /// Per judge: mean (score − panel median) over their submitted sheets, if any.
    pub deviation: Vec<Option<Rational>>,
    pub submitted: usize,
    pub expected: usize,
}

#[derive(Default)]
pub struct ProgressView {
    pub event: Option<String>,
    pub group: Option<String>,
    matrix: Matrix,
    key: Option<(String, String, u64)>,
}

impl ProgressView {
    /// The matrix shown (for tests).
    pub fn matrix(&self) -> &Matrix {
        &self.matrix
    }
}

fn median(scores: &mut [Fixed]) -> Option<Rational> {
    scores.sort();
    let n = scores.len();
    match n {
        0 => None,
        _ if n % 2 == 1 => Some(Rational::from(scores[n / 2])),
        _ => Some(
            (Rational::from(scores[n / 2 - 1]) + Rational::from(scores[n / 2]))
                / Rational::from_int(2),
        ),
    }
}

fn build(ui_state: &ScoreDeskUi, event: &str, group: &str) -> Matrix {
    let Some(ws) = ui_state.app.workspace.as_ref() else {
        return Matrix::default();
    };
    let Some(ev) = ws.event(event) else {
        return Matrix::default();
    };
    let judges: Vec<&crate::model::Judge> = ws
        .judges
        .iter()
        .filter(|j| j.events.iter().any(|e| e == event))
        .collect();
    let sheets = ws.store.sheets(false).unwrap_or_default();
    let mut by_key: HashMap<(&str, &str), (SheetStatus, Fixed)> = HashMap::new();
    for sh in sheets.iter().filter(|sh| sh.event == event) {
        by_key.insert(
            (sh.contestant.as_str(), sh.judge.as_str()),
            (sh.status, sh.total),
        );
    }
    let absences = ws.store.absences().unwrap_or_default();
    let absent = |judge: &str, contestant: &str| {
        absences.iter().any(|a| {
            a.event == event
                && a.judge == judge
                && a.contestant.as_deref().is_none_or(|c| c == contestant)
        })
    };
    // An outlier is more than a tenth of the full marks away from the panel's median.
    let threshold = Rational::from(ev.full_marks()) / Rational::from_int(10);
    let mut matrix = Matrix {
        judges: judges.iter().map(|j| j.id.clone()).collect(),
        ..Matrix::default()
    };
    let mut deviations: Vec<Vec<Rational>> = vec![Vec::new(); judges.len()];
    for entry in ws.entries.iter().filter(|e| e.event == event) {
        let Some(c) = ws.contestant(&entry.contestant) else {
            continue;
        };
        if c.group() != group {
            continue;
        }
        let mut counted: Vec<Fixed> = judges
            .iter()
            .filter_map(|j| by_key.get(&(c.id.as_str(), j.id.as_str())))
            .filter(|(st, _)| st.counts())
            .map(|(_, t)| *t)
            .collect();
        let mid = median(&mut counted);
        let mut cells = Vec::with_capacity(judges.len());
        for (ji, j) in judges.iter().enumerate() {
            let cell = if j.must_recuse(c) {
                Cell::Recused
            } else {
                match by_key.get(&(c.id.as_str(), j.id.as_str())) {
                    Some((st, score)) if st.counts() => {
                        matrix.submitted += 1;
                        matrix.expected += 1;
                        let diff = mid.map(|m| Rational::from(*score) - m);
                        if let Some(d) = diff {
                            deviations[ji].push(d);
                        }
                        let outlier = diff.is_some_and(|d| {
                            d > threshold || d < Rational::from_int(0) - threshold
                        });
                        Cell::Submitted {
                            score: *score,
                            outlier,
                        }
                    }
                    _ if absent(&j.id, &c.id) => Cell::Absent,
                    Some((SheetStatus::Draft, _)) => {
                        matrix.expected += 1;
                        Cell::Draft
                    }
                    _ => {
                        matrix.expected += 1;
                        Cell::Missing
                    }
                }
            };
            cells.push(cell);
        }
        let code = entry.anon_code.clone().unwrap_or_else(|| c.id.clone());
        matrix.rows.push((code, c.name.clone(), cells));
    }
    matrix.deviation = deviations
        .into_iter()
        .map(|d| {
            (!d.is_empty()).then(|| {
                let n = d.len() as i64;
                d.into_iter().fold(Rational::from_int(0), |a, b| a + b) / Rational::from_int(n)
            })
        })
        .collect();
    matrix
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
    let mut groups: Vec<String> = ws.contestants.iter().map(|c| c.group()).collect();
    groups.sort();
    groups.dedup();
    let v = &mut ui_state.progress;
    if v.event
        .as_ref()
        .is_none_or(|e| !events.iter().any(|x| &x.code == e))
    {
        v.event = events.first().map(|e| e.code.clone());
    }
    if v.group.as_ref().is_none_or(|g| !groups.contains(g)) {
        v.group = groups.first().cloned();
    }
    ui.horizontal(|ui| {
        widgets::event_combo(ui, "progress-event", s.event, &events, &mut v.event);
        egui::ComboBox::new("progress-group", s.group)
            .selected_text(v.group.clone().unwrap_or_default())
            .show_ui(ui, |ui| {
                for g in &groups {
                    ui.selectable_value(&mut v.group, Some(g.clone()), g);
                }
            });
    });
    let (Some(event), Some(group)) = (v.event.clone(), v.group.clone()) else {
        return;
    };
    let key = (event.clone(), group.clone(), generation);
    if ui_state.progress.key.as_ref() != Some(&key) {
        let m = build(ui_state, &event, &group);
        ui_state.progress.matrix = m;
        ui_state.progress.key = Some(key);
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
                    let (code, name, cells) = &m.rows[row.index()];
                    row.col(|ui| {
                        ui.label(code);
                    });
                    row.col(|ui| {
                        ui.label(name);
                    });
                    for cell in cells {
                        row.col(|ui| {
                            match cell {
                                Cell::Submitted { score, outlier } => {
                                    let t = RichText::new(score.to_string()).color(if *outlier {
                                        red
                                    } else {
                                        green
                                    });
                                    ui.label(if *outlier { t.strong() } else { t });
                                }
                                Cell::Draft => {
                                    ui.label(RichText::new(s.draft).color(amber));
                                }
                                Cell::Missing => {
                                    ui.label(RichText::new("—").weak());
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
