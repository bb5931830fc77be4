//! The desk's packets (on the progress screen): 导入成绩包 from files or a folder (USB
//! sticks), what each merge did, each judge's last packet, and the conflicts a merge listed —
//! resolved by the head judge or organiser with a reason (keep the master's value or take the
//! packet's).

use std::path::{Path, PathBuf};

use egui::{Color32, RichText};

use super::ScoreDeskUi;
use super::strings::Strings;
use crate::app::{Command, Outcome, Role};
use crate::commands::packets::{MergeStatus, PACKET_EXTENSION};
use crate::store::{Conflict, PacketRecord};

#[derive(Default)]
pub struct PacketsView {
    pub path: String,
    /// One line per packet of the last import: what it did, or why it was refused.
    pub report: Vec<(bool, String)>,
    /// Reason typed per conflict id.
    pub reasons: std::collections::HashMap<i64, String>,
    conflicts: Vec<Conflict>,
    packets: Vec<PacketRecord>,
    key: Option<u64>,
    error: Option<String>,
    /// The join QR window: (judge id, name, token) per judge, and the address they use.
    qr: Option<(Vec<crate::commands::PinSlip>, String)>,
    /// Where the join cards PDF goes.
    cards_path: String,
}

impl PacketsView {
    /// The open and resolved conflicts shown (for tests).
    pub fn conflicts(&self) -> &[Conflict] {
        &self.conflicts
    }
}

/// The packet files of `path`: the file itself, or a folder's `.sdpkt` files in name order.
fn packet_files(path: &Path) -> Result<Vec<PathBuf>, String> {
    if !path.is_dir() {
        return Ok(vec![path.to_path_buf()]);
    }
    let mut files: Vec<PathBuf> = std::fs::read_dir(path)
        .map_err(|e| format!("{}: {e}", path.display()))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == PACKET_EXTENSION))
        .collect();
    files.sort();
    Ok(files)
}

/// Merges every packet of `path`, each on its own; returns a line per packet.
pub fn merge_all(ui_state: &mut ScoreDeskUi, path: &Path, s: &Strings) -> Vec<(bool, String)> {
    let files = match packet_files(path) {
        Ok(f) if f.is_empty() => return vec![(false, s.no_packets.to_string())],
        Ok(f) => f,
        Err(e) => return vec![(false, e)],
    };
    let mut lines = Vec::new();
    for f in files {
        let name = f
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let bytes = match std::fs::read(&f) {
            Ok(b) => b,
            Err(e) => {
                lines.push((false, format!("{name}: {e}")));
                continue;
            }
        };
        match ui_state.app.apply(Command::MergePacket(bytes)) {
            Ok(Outcome::Merged(r)) => {
                let what = match r.status {
                    MergeStatus::Merged => s.packet_merged,
                    MergeStatus::AlreadyMerged => s.packet_already,
                    MergeStatus::Superseded => s.packet_superseded,
                };
                lines.push((
                    true,
                    format!(
                        "{name}: {what} {} #{} — {} {}，{} {}，{} {}",
                        r.judge,
                        r.seq,
                        s.added_n,
                        r.added,
                        s.confirmed_n,
                        r.confirmed,
                        s.conflicts_n,
                        r.conflicts
                    ),
                ));
            }
            Ok(_) => {}
            Err(e) => lines.push((false, format!("{name}: {e}"))),
        }
    }
    lines
}

pub fn show(ui_state: &mut ScoreDeskUi, ui: &mut egui::Ui, s: &Strings) {
    let Some(ws) = ui_state.app.workspace.as_ref() else {
        return;
    };
    let role = ws.session.as_ref().map(|x| x.role);
    let generation = ws.generation;
    let v = &mut ui_state.packets;
    if v.key != Some(generation) {
        match (ws.store.conflicts(false), ws.store.packets()) {
            (Ok(c), Ok(p)) => {
                v.conflicts = c;
                v.packets = p;
                v.error = None;
            }
            (Err(e), _) | (_, Err(e)) => v.error = Some(e.to_string()),
        }
        v.key = Some(generation);
    }
    egui::CollapsingHeader::new(RichText::new(s.merge_packets).strong())
        .default_open(true)
        .show(ui, |ui| {
            if let Some(e) = &ui_state.packets.error {
                ui.colored_label(ui.visuals().error_fg_color, e);
                return;
            }
            if role == Some(Role::Organiser) {
                serve_ui(ui_state, ui, s);
                let mut go = None;
                ui.horizontal(|ui| {
                    let l = ui.label(s.packet_or_folder);
                    ui.add(
                        egui::TextEdit::singleline(&mut ui_state.packets.path)
                            .desired_width(320.0)
                            .hint_text(s.path_hint),
                    )
                    .labelled_by(l.id);
                    if ui.button(s.choose_folder).clicked() {
                        match rfd::FileDialog::new().pick_folder() {
                            Some(p) => ui_state.packets.path = p.display().to_string(),
                            None => ui_state.app.info(s.no_file_chosen),
                        }
                    }
                    if ui.button(s.merge_packets).clicked()
                        && !ui_state.packets.path.trim().is_empty()
                    {
                        go = Some(PathBuf::from(ui_state.packets.path.trim()));
                    }
                });
                if let Some(path) = go {
                    // A backup of the master before a batch of USB packets goes in.
                    let _ = ui_state.send(crate::app::Action::BackupNow("before-merge".into()));
                    ui_state.packets.report = merge_all(ui_state, &path, s);
                }
                for (good, line) in &ui_state.packets.report {
                    let color = if *good {
                        Color32::from_rgb(30, 120, 60)
                    } else {
                        Color32::from_rgb(200, 40, 40)
                    };
                    ui.label(RichText::new(line).color(color));
                }
            }
            conflicts_ui(ui_state, ui, s);
            paper_ui(ui_state, ui, s);
            packets_ui(ui_state, ui, s);
        });
}

fn conflicts_ui(ui_state: &mut ScoreDeskUi, ui: &mut egui::Ui, s: &Strings) {
    ui.add_space(6.0);
    ui.label(RichText::new(s.conflicts_title).strong());
    let open: Vec<Conflict> = ui_state
        .packets
        .conflicts
        .iter()
        .filter(|c| c.status == "open")
        .cloned()
        .collect();
    if open.is_empty() {
        ui.label(RichText::new(s.no_conflicts).weak());
        return;
    }
    let mut decision: Option<(i64, bool)> = None;
    egui::Grid::new("conflicts")
        .striped(true)
        .num_columns(6)
        .show(ui, |ui| {
            for t in ["#", s.event, s.master_value, s.packet_value, s.reason, ""] {
                ui.strong(t);
            }
            ui.end_row();
            for c in &open {
                let master = ui_state
                    .app
                    .workspace
                    .as_ref()
                    .and_then(|w| {
                        w.store
                            .sheet(&c.event, &c.contestant, &c.judge)
                            .ok()
                            .flatten()
                    })
                    .map(|sh| sh.total.to_string())
                    .unwrap_or_else(|| "—".into());
                ui.label(c.id.to_string());
                ui.label(format!("{} / {} / {}", c.event, c.contestant, c.judge));
                ui.label(master);
                ui.label(c.total.to_string());
                let reason = ui_state.packets.reasons.entry(c.id).or_default();
                ui.add_sized(
                    [200.0, 24.0],
                    egui::TextEdit::singleline(reason).hint_text(s.reason),
                );
                let ready = !reason.trim().is_empty();
                ui.horizontal(|ui| {
                    if ui
                        .add_enabled(ready, egui::Button::new(s.keep_master))
                        .clicked()
                    {
                        decision = Some((c.id, false));
                    }
                    if ui
                        .add_enabled(ready, egui::Button::new(s.take_packet))
                        .clicked()
                    {
                        decision = Some((c.id, true));
                    }
                });
                ui.end_row();
            }
        });
    if let Some((id, take)) = decision {
        let reason = ui_state.packets.reasons.remove(&id).unwrap_or_default();
        let _ = ui_state.send(Command::ResolveConflict { id, take, reason });
    }
}

fn packets_ui(ui_state: &mut ScoreDeskUi, ui: &mut egui::Ui, s: &Strings) {
    let packets = &ui_state.packets.packets;
    if packets.is_empty() {
        return;
    }
    ui.add_space(6.0);
    ui.label(RichText::new(s.packets_title).strong());
    // The newest packet per judge.
    let mut latest: Vec<&PacketRecord> = Vec::new();
    for p in packets {
        if !latest.iter().any(|q| q.judge == p.judge) {
            latest.push(p);
        }
    }
    latest.sort_by(|a, b| a.judge.cmp(&b.judge));
    egui::Grid::new("packets").striped(true).show(ui, |ui| {
        for t in [s.judge_id, "#", s.time, s.packet_sheets] {
            ui.strong(t);
        }
        ui.end_row();
        for p in latest {
            ui.label(&p.judge);
            ui.label(p.seq.to_string());
            ui.label(
                crate::clock::parse_rfc3339(&p.received_at)
                    .map(crate::clock::beijing_minutes)
                    .unwrap_or_else(|| p.received_at.clone()),
            );
            ui.label(p.sheets.to_string());
            ui.end_row();
        }
    });
}

/// 开启现场网络 / 关闭现场网络, and the addresses stations and phones connect to.
fn serve_ui(ui_state: &mut ScoreDeskUi, ui: &mut egui::Ui, s: &Strings) {
    let running = ui_state
        .app
        .workspace
        .as_ref()
        .and_then(|w| w.server.as_ref().map(crate::net::server::Server::addr));
    let mut action = None;
    ui.horizontal(|ui| match running {
        Some(addr) => {
            ui.label(RichText::new(s.serve_on).color(Color32::from_rgb(30, 120, 60)));
            for a in crate::net::server::lan_addresses(addr.port()) {
                ui.monospace(a);
            }
            if ui.button(s.join_qr).clicked() {
                let base = crate::net::server::lan_addresses(addr.port())
                    .into_iter()
                    .next()
                    .unwrap_or_default();
                // The judges of the event chosen below (all judges when none is chosen).
                let event = ui_state.progress.event.clone();
                let judges: Vec<String> = ui_state
                    .app
                    .workspace
                    .as_ref()
                    .map(|ws| {
                        ws.judges
                            .iter()
                            .filter(|j| event.as_ref().is_none_or(|e| j.events.contains(e)))
                            .map(|j| j.id.clone())
                            .collect()
                    })
                    .unwrap_or_default();
                if let Ok(crate::app::Outcome::Tokens(list)) = ui_state.send(Command::IssueTokens {
                    judges,
                    revoke: false,
                }) {
                    ui_state.packets.qr = Some((list, base));
                }
            }
            if ui.button(s.serve_stop).clicked() {
                action = Some(crate::app::Action::StopServer);
            }
        }
        None => {
            if ui.button(s.serve_start).clicked() {
                action = Some(crate::app::Action::StartServer {
                    bind: "0.0.0.0".into(),
                    port: 8808,
                });
            }
        }
    });
    if let Some(a) = action {
        let _ = ui_state.send(a);
    }
    qr_window(ui_state, ui, s);
}

/// The judges' join QR codes on the master's screen, and their printable cards.
fn qr_window(ui_state: &mut ScoreDeskUi, ui: &mut egui::Ui, s: &Strings) {
    let Some((list, base)) = ui_state.packets.qr.clone() else {
        return;
    };
    let mut open = true;
    let mut print = None;
    egui::Window::new(s.join_qr)
        .open(&mut open)
        .default_size([720.0, 560.0])
        .show(ui.ctx(), |ui| {
            ui.label(s.join_qr_hint);
            ui.horizontal(|ui| {
                ui.add(
                    egui::TextEdit::singleline(&mut ui_state.packets.cards_path)
                        .desired_width(300.0)
                        .hint_text(s.path_hint),
                );
                if ui.button(s.print_cards).clicked()
                    && !ui_state.packets.cards_path.trim().is_empty()
                {
                    print = Some(PathBuf::from(ui_state.packets.cards_path.trim()));
                }
            });
            egui::ScrollArea::vertical().show(ui, |ui| {
                egui::Grid::new("join-qr")
                    .spacing([24.0, 16.0])
                    .show(ui, |ui| {
                        for (i, (id, name, token)) in list.iter().enumerate() {
                            let url = crate::commands::phone::join_url(&base, token);
                            ui.vertical(|ui| {
                                draw_qr(ui, &url, 150.0);
                                ui.label(RichText::new(format!("{id} {name}")).strong());
                            });
                            if i % 4 == 3 {
                                ui.end_row();
                            }
                        }
                    });
            });
        });
    if let Some(path) = print {
        let result = ui_state.app.workspace.as_ref().map(|ws| {
            crate::commands::phone::join_cards(&ws.store, &list, &base)
                .map_err(|e| e.to_string())
                .and_then(|cards| {
                    crate::report::join_cards::write_cards(
                        &ws.setup.competition.title,
                        &ws.store.audit_head().map_err(|e| e.to_string())?,
                        &cards,
                        &path,
                    )
                    .map_err(|e| e.to_string())
                })
        });
        match result {
            Some(Ok(pages)) => {
                ui_state
                    .app
                    .info(format!("{} {} ({pages})", s.print_cards, path.display()))
            }
            Some(Err(e)) => ui_state.app.error(e),
            None => {}
        }
    }
    if !open {
        ui_state.packets.qr = None;
    }
}

/// Paints the QR code of `text` in a square of `side` points (white quiet zone included).
fn draw_qr(ui: &mut egui::Ui, text: &str, side: f32) {
    let (rect, _) = ui.allocate_exact_size(egui::vec2(side, side), egui::Sense::hover());
    let painter = ui.painter_at(rect);
    painter.rect_filled(rect, 0.0, Color32::WHITE);
    let Some(modules) = crate::report::join_cards::qr_modules(text) else {
        return;
    };
    let n = modules.len() as f32 + 8.0;
    let m = side / n;
    for (r, row) in modules.iter().enumerate() {
        for (c, dark) in row.iter().enumerate() {
            if *dark {
                let min = rect.min + egui::vec2((c as f32 + 4.0) * m, (r as f32 + 4.0) * m);
                painter.rect_filled(
                    egui::Rect::from_min_size(min, egui::vec2(m, m)),
                    0.0,
                    Color32::BLACK,
                );
            }
        }
    }
}

/// Double-entry disagreements: the head judge or organiser picks one entry, with a reason.
fn paper_ui(ui_state: &mut ScoreDeskUi, ui: &mut egui::Ui, s: &Strings) {
    let Some(ws) = ui_state.app.workspace.as_ref() else {
        return;
    };
    let groups = match crate::commands::paper::disagreements(&ws.store) {
        Ok(g) => g,
        Err(e) => {
            ui.colored_label(ui.visuals().error_fg_color, e.to_string());
            return;
        }
    };
    if groups.is_empty() {
        return;
    }
    ui.add_space(6.0);
    ui.label(RichText::new(s.paper_disagreements).strong());
    let mut take = None;
    for group in &groups {
        let Some(first) = group.first() else { continue };
        let key = -first.id;
        ui.horizontal(|ui| {
            ui.label(format!(
                "{} / {} / {}",
                first.event, first.contestant, first.judge
            ));
            let reason = ui_state.packets.reasons.entry(key).or_default();
            ui.add_sized(
                [180.0, 24.0],
                egui::TextEdit::singleline(reason).hint_text(s.reason),
            );
            let ready = !reason.trim().is_empty();
            for e in group {
                if ui
                    .add_enabled(
                        ready,
                        egui::Button::new(format!("{} {}：{}", s.paper_take, e.recorder, e.total)),
                    )
                    .clicked()
                {
                    take = Some((key, e.id));
                }
            }
        });
    }
    if let Some((key, entry)) = take {
        let reason = ui_state.packets.reasons.remove(&key).unwrap_or_default();
        let _ = ui_state.send(Command::ResolvePaper { entry, reason });
    }
}
