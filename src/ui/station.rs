//! The judge station's strip above the scoring screen: where packets go (a USB stick), the last
//! packet written, and 导出成绩包 on demand. Packets are also written after every submit.

use std::path::PathBuf;

use egui::{Color32, RichText};

use super::ScoreDeskUi;
use super::strings::Strings;
use crate::app::Action;

#[derive(Default)]
pub struct StationView {
    /// The folder typed or chosen for packets.
    pub folder: String,
    /// The master's address typed for the venue network.
    pub master: String,
}

pub fn show(ui_state: &mut ScoreDeskUi, ui: &mut egui::Ui, s: &Strings) {
    let Some(station) = ui_state
        .app
        .workspace
        .as_ref()
        .and_then(|w| w.station.clone())
    else {
        return;
    };
    if ui_state.station.folder.is_empty() {
        ui_state.station.folder = station.packet_dir.display().to_string();
    }
    let mut write = None;
    let mut connect = None;
    egui::Frame::group(ui.style()).show(ui, |ui| {
        ui.horizontal(|ui| {
            let l = ui.label(s.packet_dir);
            ui.add(egui::TextEdit::singleline(&mut ui_state.station.folder).desired_width(340.0))
                .labelled_by(l.id);
            if ui.button(s.choose_folder).clicked() {
                match rfd::FileDialog::new().pick_folder() {
                    Some(p) => ui_state.station.folder = p.display().to_string(),
                    None => ui_state.app.info(s.no_file_chosen),
                }
            }
            if ui.button(s.write_packet).clicked() {
                write = Some(PathBuf::from(ui_state.station.folder.trim()));
            }
        });
        if let Some((path, seq, submitted)) = &station.last {
            ui.label(
                RichText::new(format!(
                    "{}：{}（#{seq}，{submitted}）",
                    s.last_packet,
                    path.display()
                ))
                .color(Color32::from_rgb(30, 120, 60)),
            );
        }
        if let Some(e) = &station.error {
            ui.colored_label(ui.visuals().error_fg_color, e);
        }
        // The venue network: sent after each submit, 已送达 only with the master's receipt.
        ui.horizontal(|ui| {
            let l = ui.label(s.master_address);
            ui.add(
                egui::TextEdit::singleline(&mut ui_state.station.master)
                    .desired_width(200.0)
                    .hint_text("192.168.1.10:8808"),
            )
            .labelled_by(l.id);
            if ui.button(s.connect).clicked() && !ui_state.station.master.trim().is_empty() {
                connect = Some(ui_state.station.master.trim().to_string());
            }
        });
        if let Some(d) = ui_state
            .app
            .workspace
            .as_ref()
            .and_then(|w| w.sender.as_ref().map(crate::net::client::Sender::delivery))
        {
            ui.ctx()
                .request_repaint_after(std::time::Duration::from_millis(500));
            if let Some((seq, n)) = d.delivered {
                ui.label(
                    RichText::new(format!("{} #{seq}（{n}）", s.delivered))
                        .color(Color32::from_rgb(30, 120, 60)),
                );
            }
            let delivered = d.delivered.map_or(0, |(_, n)| n);
            if let Some((_, n)) = d.waiting {
                ui.label(
                    RichText::new(format!(
                        "{}：{}",
                        s.waiting_sheets,
                        n.saturating_sub(delivered)
                    ))
                    .color(Color32::from_rgb(200, 140, 0)),
                );
            }
            if let Some(e) = &d.error {
                ui.label(RichText::new(e).weak());
            }
        }
    });
    if let Some(dir) = write {
        let _ = ui_state.send(Action::WritePacket(Some(dir)));
    }
    if let Some(addr) = connect {
        let _ = ui_state.send(Action::SetMaster(addr));
    }
}
