//! Audit log (审计日志): every change, newest first, and whether the hash chain is intact.

use egui::{Color32, RichText};
use egui_extras::{Column, TableBuilder};

use super::ScoreDeskUi;
use super::strings::Strings;
use crate::store::audit::AuditEntry;

#[derive(Default)]
pub struct AuditView {
    /// The file's automatic backups, newest first.
    backups: Vec<std::path::PathBuf>,
    /// A restore being confirmed: the backup and what it would lose (or why it cannot).
    confirm: Option<(std::path::PathBuf, Result<String, String>)>,
    entries: Vec<AuditEntry>,
    /// `Ok(true)`: the chain is intact; `Ok(false)`: it was altered; `Err`: it could not be read
    /// (a read error is not tampering and is not shown as such).
    intact: Option<Result<bool, String>>,
    key: Option<u64>,
    /// The backups folder could not be read.
    backups_error: Option<String>,
}

pub fn show(ui_state: &mut ScoreDeskUi, ui: &mut egui::Ui, s: &Strings) {
    let Some(ws) = ui_state.app.workspace.as_ref() else {
        return;
    };
    let lang = ui_state.app.lang;
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
        v.backups = match crate::store::list_backups(ws.store.path()) {
            Ok(b) => {
                v.backups_error = None;
                b
            }
            Err(e) => {
                v.backups_error = Some(e.to_string());
                Vec::new()
            }
        };
        v.backups.reverse();
        v.key = Some(ws.generation);
    }
    backups_ui(ui_state, ui, s);
    let Some(ws) = ui_state.app.workspace.as_ref() else {
        return;
    };
    let v = &mut ui_state.audit;
    let _ = ws;
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
                    // Beijing time, as on every printed page (the log stores UTC).
                    ui.label(
                        crate::clock::parse_rfc3339(&e.at)
                            .map(crate::clock::beijing_minutes)
                            .unwrap_or_else(|| e.at.clone()),
                    );
                });
                row.col(|ui| {
                    ui.label(&e.actor);
                });
                row.col(|ui| {
                    ui.label(crate::i18n::audit_action(&e.action, lang));
                });
                row.col(|ui| {
                    ui.label(&e.detail);
                });
            });
        });
}

/// The automatic backups, with 恢复 (asks first, saying what would be lost).
fn backups_ui(ui_state: &mut ScoreDeskUi, ui: &mut egui::Ui, s: &Strings) {
    let organiser = ui_state
        .app
        .workspace
        .as_ref()
        .and_then(|w| w.session.as_ref())
        .is_some_and(|x| x.role == crate::app::Role::Organiser);
    let mut backup_now = false;
    let mut ask: Option<std::path::PathBuf> = None;
    egui::CollapsingHeader::new(RichText::new(s.backups_title).strong()).show(ui, |ui| {
        if organiser && ui.button(s.backup_now).clicked() {
            backup_now = true;
        }
        if let Some(e) = &ui_state.audit.backups_error {
            ui.colored_label(ui.visuals().error_fg_color, e);
        } else if ui_state.audit.backups.is_empty() {
            ui.label(RichText::new(s.no_backups).weak());
        }
        for b in ui_state.audit.backups.iter().take(30) {
            ui.horizontal(|ui| {
                ui.label(
                    b.file_name()
                        .map(|n| n.to_string_lossy().into_owned())
                        .unwrap_or_default(),
                );
                if organiser && ui.small_button(s.restore).clicked() {
                    ask = Some(b.clone());
                }
            });
        }
    });
    if backup_now {
        let _ = ui_state.send(crate::app::Action::BackupNow("manual".into()));
        ui_state.audit.key = None;
    }
    if let Some(b) = ask
        && let Some(ws) = ui_state.app.workspace.as_ref()
    {
        let plan = crate::commands::restore::plan(ws.store.path(), &b)
            .map(|p| p.summary())
            .map_err(|e| e.to_string());
        ui_state.audit.confirm = Some((b, plan));
    }
    let mut decision = None;
    if let Some((b, plan)) = &ui_state.audit.confirm {
        egui::Window::new(s.restore_title)
            .collapsible(false)
            .show(ui.ctx(), |ui| {
                ui.label(b.display().to_string());
                match plan {
                    Ok(text) => {
                        ui.label(text);
                        ui.horizontal(|ui| {
                            if ui.button(s.restore_confirm).clicked() {
                                decision = Some(true);
                            }
                            if ui.button(s.cancel).clicked() {
                                decision = Some(false);
                            }
                        });
                    }
                    Err(e) => {
                        ui.colored_label(ui.visuals().error_fg_color, e);
                        if ui.button(s.cancel).clicked() {
                            decision = Some(false);
                        }
                    }
                }
            });
    }
    match decision {
        Some(true) => {
            if let Some((b, _)) = ui_state.audit.confirm.take() {
                let _ = ui_state.send(crate::app::Action::Restore(b));
                ui_state.audit.key = None;
            }
        }
        Some(false) => ui_state.audit.confirm = None,
        None => {}
    }
}
