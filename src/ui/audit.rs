//! Audit log (审计日志): every change, newest first, and whether the hash chain is intact.

use egui::{Color32, RichText};
use egui_extras::{Column, TableBuilder};

use super::ScoreDeskUi;
use super::strings::Strings;
use crate::store::audit::AuditEntry;

#[derive(Default)]
pub struct AuditView {
    entries: Vec<AuditEntry>,
    /// `Ok(true)`: the chain is intact; `Ok(false)`: it was altered; `Err`: it could not be read
    /// (a read error is not tampering and is not shown as such).
    intact: Option<Result<bool, String>>,
    key: Option<u64>,
}

pub fn show(ui_state: &mut ScoreDeskUi, ui: &mut egui::Ui, s: &Strings) {
    let Some(ws) = ui_state.app.workspace.as_ref() else {
        return;
    };
    let v = &mut ui_state.audit;
    if v.key != Some(ws.generation) || ui.button(s.refresh).clicked() {
        let read = ws.store.audit_entries();
        let verified = ws.store.audit_verify();
        v.intact = Some(match (&read, &verified) {
            (Err(e), _) | (Ok(_), Err(e)) => Err(e.to_string()),
            (Ok(_), Ok(first_bad)) => Ok(first_bad.is_none()),
        });
        v.entries = read.unwrap_or_default();
        v.entries.reverse();
        v.key = Some(ws.generation);
    }
    match &v.intact {
        Some(Ok(true)) => {
            ui.label(RichText::new(s.chain_intact).color(Color32::from_rgb(30, 120, 60)))
        }
        Some(Ok(false)) => {
            ui.label(RichText::new(s.chain_broken).color(Color32::from_rgb(200, 40, 40)))
        }
        Some(Err(e)) => ui.colored_label(ui.visuals().error_fg_color, e),
        None => ui.label(""),
    };
    TableBuilder::new(ui)
        .striped(true)
        .column(Column::exact(60.0))
        .column(Column::exact(170.0))
        .column(Column::exact(90.0))
        .column(Column::exact(140.0))
        .column(Column::remainder())
        .header(24.0, |mut h| {
            for t in ["#", s.time, s.actor, s.action, s.detail] {
                h.col(|ui| {
                    ui.strong(t);
                });
            }
        })
        .body(|body| {
            body.rows(22.0, v.entries.len(), |mut row| {
                let e = &v.entries[row.index()];
                row.col(|ui| {
                    ui.label(e.seq.to_string());
                });
                row.col(|ui| {
                    ui.label(&e.at);
                });
                row.col(|ui| {
                    ui.label(&e.actor);
                });
                row.col(|ui| {
                    ui.label(&e.action);
                });
                row.col(|ui| {
                    ui.label(&e.detail);
                });
            });
        });
}
