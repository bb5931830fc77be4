//! Printing (打印与导出): choose what and for which event/group, preview the first page, save
//! with the native dialog; long exports run in the background with a progress bar.

use std::path::{Path, PathBuf};

use egui::{Color32, RichText, Stroke};

use super::ScoreDeskUi;
use super::strings::Strings;
use crate::app::task::{self, Task};
use crate::report::{
    BatchBy, CertificateOptions, Document, ExportJob, ExportKind, ExportSummary, Item, Orientation,
};

/// What to print.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum What {
    #[default]
    Certificates,
    Sheets,
    Awards,
    JudgeSheets,
    BlankSheets,
    Calibration,
    Workbook,
}

#[derive(Default)]
pub struct PrintingView {
    pub what: What,
    /// `None` = all; `Some("ZH")` = overall.
    pub event: Option<String>,
    pub group: Option<String>,
    pub portrait: bool,
    pub stock: bool,
    /// Print □ for a character no font has instead of stopping (缺字用 □ 代替).
    pub allow_missing_glyphs: bool,
    pub offset_x: String,
    pub offset_y: String,
    pub by: BatchBy,
    pub out_path: String,
    /// What `out_path` was proposed or chosen for: when the choice of what to export changes,
    /// the proposed name follows (成绩表 never goes into the certificates' file).
    path_for: Option<What>,
    /// The export waits for "overwrite?" — the file it would replace.
    pub confirm_overwrite: Option<PathBuf>,
    /// The 公示 export waits for "results are still pending — export anyway?".
    pub confirm_provisional: Option<PathBuf>,
    preview: Option<Document>,
    preview_task: Option<Task<Option<Document>>>,
    /// The job the preview shows, to refresh it when the choice changes.
    preview_for: Option<ExportJob>,
    export: Option<Task<ExportSummary>>,
    /// The certificate template being edited (TOML), loaded from the file on first view.
    pub template: Option<String>,
    pub editing_template: bool,
    /// The same template as a form (the TOML follows every change made in the form).
    pub template_form: Option<crate::report::Template>,
    /// Why the TOML under 高级 does not parse (the form shows the last good one).
    template_error: Option<String>,
    /// A background or seal image typed by path (where no native dialog can open).
    pub image_path: String,
    /// 纸质文件设置 being edited (loaded from the file when the window opens).
    pub papers: Option<crate::model::Papers>,
    pub editing_papers: bool,
}

impl PrintingView {
    /// The job the preview lays out: while the template is being edited, with the draft
    /// (a live preview; exporting uses the saved template).
    fn preview_job(&self) -> ExportJob {
        let mut job = self.job();
        if self.editing_template
            && let ExportKind::Certificates(opts) | ExportKind::Calibration(opts) = &mut job.kind
        {
            opts.template = self.template.clone();
        }
        job
    }

    fn job(&self) -> ExportJob {
        let offset = match (
            self.offset_x.trim().parse::<f32>(),
            self.offset_y.trim().parse::<f32>(),
        ) {
            (Ok(x), Ok(y)) => Some((x, y)),
            (Ok(x), Err(_)) => Some((x, 0.0)),
            (Err(_), Ok(y)) => Some((0.0, y)),
            _ => None,
        };
        let cert = CertificateOptions {
            by: self.by,
            orientation: Some(if self.portrait {
                Orientation::Portrait
            } else {
                Orientation::Landscape
            }),
            stock: self.stock,
            offset,
            template: None,
        };
        let kind = match self.what {
            What::Certificates => ExportKind::Certificates(cert),
            What::Sheets => ExportKind::Sheets,
            What::Awards => ExportKind::Awards,
            What::JudgeSheets => ExportKind::JudgeSheets { blank: false },
            What::BlankSheets => ExportKind::JudgeSheets { blank: true },
            What::Calibration => ExportKind::Calibration(cert),
            What::Workbook => ExportKind::Xlsx,
        };
        let mut job = ExportJob::new(kind);
        job.allow_missing_glyphs = self.allow_missing_glyphs;
        job.event = self.event.clone();
        job.group = self.group.clone();
        job
    }

    /// Whether a first-page preview is ready (for tests).
    pub fn previewed(&self) -> bool {
        self.preview.is_some() && self.preview_task.is_none()
    }

    /// Whether an export is running (for tests).
    pub fn exporting(&self) -> bool {
        self.export.is_some()
    }
}

/// The extension an export of `what` writes.
fn extension(what: What) -> &'static str {
    if what == What::Workbook {
        "xlsx"
    } else {
        "pdf"
    }
}

/// The file an export of `what` goes to: the typed path with the extension `what` writes
/// (a workbook is never written into `certs.pdf`; a PDF never into `成绩.xlsx`).
pub fn export_target(what: What, typed: &str) -> PathBuf {
    let mut path = PathBuf::from(typed.trim());
    let fits = path
        .extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| e.eq_ignore_ascii_case(extension(what)));
    if !fits && path.file_name().is_some() {
        let mut name = path.file_name().unwrap_or_default().to_os_string();
        name.push(".");
        name.push(extension(what));
        // "certs.pdf" → "certs.xlsx"; "certs" → "certs.xlsx".
        if path.extension().is_some() {
            path.set_extension(extension(what));
        } else {
            path.set_file_name(name);
        }
    }
    path
}

/// The name proposed when the choice of what to export changes: the same folder, the new
/// export's own name.
pub fn proposed_path(what: What, current: &str) -> String {
    let current = current.trim();
    if current.is_empty() {
        return String::new();
    }
    let name = default_name(what);
    match Path::new(current).parent() {
        Some(dir) if !dir.as_os_str().is_empty() => dir.join(name).display().to_string(),
        _ => name.to_string(),
    }
}

fn default_name(what: What) -> &'static str {
    match what {
        What::Certificates => "荣誉证书.pdf",
        What::Sheets => "成绩表.pdf",
        What::Awards => "公示名单.pdf",
        What::JudgeSheets => "评委评分表.pdf",
        What::BlankSheets => "空白评分表.pdf",
        What::Calibration => "套打校准页.pdf",
        What::Workbook => "成绩.xlsx",
    }
}

pub fn show(ui_state: &mut ScoreDeskUi, ui: &mut egui::Ui, s: &Strings) {
    let Some(ws) = ui_state.app.workspace.as_ref() else {
        return;
    };
    let store_path = ws.store.path().to_path_buf();
    let events: Vec<(String, String)> = ws
        .setup
        .events
        .iter()
        .map(|e| (e.code.clone(), e.name.clone()))
        .collect();
    let mut groups: Vec<String> = ws.contestants.iter().map(|c| c.group()).collect();
    groups.sort();
    groups.dedup();
    // The template editor reads through the open file (a failed read is told, never shown as an
    // empty editor).
    if ui_state.printing.editing_template && ui_state.printing.template.is_none() {
        match ui_state
            .app
            .workspace
            .as_ref()
            .map(|ws| crate::report::certificate_template(&ws.store))
        {
            Some(Ok(t)) => ui_state.printing.template = Some(t),
            Some(Err(e)) => {
                ui_state.app.error(e.to_string());
                ui_state.printing.editing_template = false;
            }
            None => {}
        }
    }
    if ui_state.printing.editing_papers && ui_state.printing.papers.is_none() {
        match ui_state.app.workspace.as_ref().map(|ws| ws.store.papers()) {
            Some(Ok(p)) => ui_state.printing.papers = Some(p),
            Some(Err(e)) => {
                ui_state.app.error(e.to_string());
                ui_state.printing.editing_papers = false;
            }
            None => {}
        }
    }
    // Results still pending (待定): exporting the 公示 then asks first.
    let pending = if ui_state.printing.what == What::Awards {
        match ui_state.app.workspace.as_mut().map(|ws| ws.results()) {
            Some(Ok(r)) => r.provisional_count(),
            Some(Err(e)) => {
                ui_state.app.error(e.to_string());
                0
            }
            None => 0,
        }
    } else {
        0
    };
    let v = &mut ui_state.printing;
    let mut messages: Vec<(String, bool)> = Vec::new();
    if v.path_for != Some(v.what) {
        if v.path_for.is_some() {
            v.out_path = proposed_path(v.what, &v.out_path);
        }
        v.path_for = Some(v.what);
    }

    egui::Panel::left("print-options")
        .exact_size(300.0)
        .show(ui, |ui| {
            ui.label(RichText::new(s.print_what).strong());
            for (what, label) in [
                (What::Certificates, s.print_certificates),
                (What::Sheets, s.print_sheets),
                (What::Awards, s.print_awards),
                (What::JudgeSheets, s.print_judge_sheets),
                (What::BlankSheets, s.print_blank_sheets),
                (What::Calibration, s.print_calibration),
                (What::Workbook, s.print_workbook),
            ] {
                ui.radio_value(&mut v.what, what, label);
            }
            ui.separator();
            let event_label = match v.event.as_deref() {
                None => s.all.to_string(),
                Some("ZH") => s.overall.to_string(),
                Some(c) => events
                    .iter()
                    .find(|(code, _)| code == c)
                    .map(|(code, n)| format!("{code} {n}"))
                    .unwrap_or_default(),
            };
            egui::ComboBox::new("print-event", s.event)
                .selected_text(event_label)
                .width(200.0)
                .show_ui(ui, |ui| {
                    ui.selectable_value(&mut v.event, None, s.all);
                    if matches!(v.what, What::Certificates | What::Sheets | What::Awards) {
                        ui.selectable_value(&mut v.event, Some("ZH".into()), s.overall);
                    }
                    for (code, name) in &events {
                        ui.selectable_value(
                            &mut v.event,
                            Some(code.clone()),
                            format!("{code} {name}"),
                        );
                    }
                });
            egui::ComboBox::new("print-group", s.group)
                .selected_text(v.group.clone().unwrap_or_else(|| s.all.to_string()))
                .width(200.0)
                .show_ui(ui, |ui| {
                    ui.selectable_value(&mut v.group, None, s.all);
                    for g in &groups {
                        ui.selectable_value(&mut v.group, Some(g.clone()), g);
                    }
                });
            if matches!(v.what, What::Certificates | What::Calibration) {
                ui.separator();
                ui.checkbox(&mut v.editing_template, s.edit_template);
                ui.checkbox(&mut v.portrait, s.portrait);
                if v.what == What::Certificates {
                    ui.horizontal(|ui| {
                        ui.radio_value(&mut v.by, BatchBy::Serial, s.by_serial);
                        ui.radio_value(&mut v.by, BatchBy::Group, s.by_group);
                        ui.radio_value(&mut v.by, BatchBy::School, s.by_school);
                    });
                    ui.checkbox(&mut v.stock, s.stock_mode);
                    ui.checkbox(&mut v.allow_missing_glyphs, s.allow_missing_glyphs);
                }
                ui.horizontal(|ui| {
                    let l = ui.label(s.offset_x);
                    ui.add(
                        egui::TextEdit::singleline(&mut v.offset_x)
                            .desired_width(50.0)
                            .hint_text("0"),
                    )
                    .labelled_by(l.id);
                    let l = ui.label(s.offset_y);
                    ui.add(
                        egui::TextEdit::singleline(&mut v.offset_y)
                            .desired_width(50.0)
                            .hint_text("0"),
                    )
                    .labelled_by(l.id);
                });
            }
            if matches!(v.what, What::Sheets | What::Awards) {
                ui.separator();
                ui.checkbox(&mut v.editing_papers, s.edit_papers);
            }
            ui.separator();
            ui.horizontal(|ui| {
                let l = ui.label(s.save_to);
                ui.add(
                    egui::TextEdit::singleline(&mut v.out_path)
                        .desired_width(170.0)
                        .hint_text(default_name(v.what)),
                )
                .labelled_by(l.id);
            });
            let running = v.export.is_some();
            ui.horizontal(|ui| {
                if ui
                    .add_enabled(
                        !running,
                        egui::Button::new(RichText::new(s.save_as).size(17.0)),
                    )
                    .clicked()
                {
                    let mut dialog = rfd::FileDialog::new().set_file_name(default_name(v.what));
                    dialog = if v.what == What::Workbook {
                        dialog.add_filter("Excel", &["xlsx"])
                    } else {
                        dialog.add_filter("PDF", &["pdf"])
                    };
                    match dialog.save_file() {
                        Some(p) => {
                            v.out_path = p.display().to_string();
                            v.path_for = Some(v.what);
                        }
                        None => messages.push((s.no_file_chosen.to_string(), false)),
                    }
                }
                if ui
                    .add_enabled(
                        !running && !v.out_path.trim().is_empty(),
                        egui::Button::new(RichText::new(s.export).size(17.0)),
                    )
                    .clicked()
                {
                    let out = export_target(v.what, &v.out_path);
                    v.out_path = out.display().to_string();
                    if v.what == What::Awards && pending > 0 {
                        v.confirm_provisional = Some(out);
                    } else if out.exists() {
                        v.confirm_overwrite = Some(out);
                    } else {
                        v.export = Some(task::start_export(v.job(), store_path.clone(), out));
                    }
                }
            });
            if let Some(out) = v.confirm_provisional.clone() {
                let mut answer = None;
                egui::Modal::new(egui::Id::unique("confirm-provisional")).show(ui.ctx(), |ui| {
                    ui.label(
                        RichText::new(
                            s.provisional_notice_question
                                .replace("{n}", &pending.to_string()),
                        )
                        .strong(),
                    );
                    ui.horizontal(|ui| {
                        if ui.button(s.export_anyway).clicked() {
                            answer = Some(true);
                        }
                        if ui.button(s.cancel).clicked() {
                            answer = Some(false);
                        }
                    });
                });
                match answer {
                    Some(true) => {
                        v.confirm_provisional = None;
                        if out.exists() {
                            v.confirm_overwrite = Some(out);
                        } else {
                            v.export = Some(task::start_export(v.job(), store_path.clone(), out));
                        }
                    }
                    Some(false) => v.confirm_provisional = None,
                    None => {}
                }
            }
            if let Some(out) = v.confirm_overwrite.clone() {
                let mut answer = None;
                egui::Modal::new(egui::Id::unique("confirm-overwrite")).show(ui.ctx(), |ui| {
                    ui.label(RichText::new(s.overwrite_question).strong());
                    ui.label(out.display().to_string());
                    ui.horizontal(|ui| {
                        if ui.button(s.overwrite_yes).clicked() {
                            answer = Some(true);
                        }
                        if ui.button(s.cancel).clicked() {
                            answer = Some(false);
                        }
                    });
                });
                match answer {
                    Some(true) => {
                        v.confirm_overwrite = None;
                        v.export = Some(task::start_export(v.job(), store_path.clone(), out));
                    }
                    Some(false) => v.confirm_overwrite = None,
                    None => {}
                }
            }
            if let Some(t) = v.export.as_mut() {
                ui.add(egui::ProgressBar::new(t.progress()).show_percentage());
                ui.ctx()
                    .request_repaint_after(std::time::Duration::from_millis(100));
                if let Some(result) = t.poll() {
                    match result {
                        Ok(summary) => {
                            let mut text = format!(
                                "{} {} · {} {} · {} KB",
                                s.exported,
                                summary
                                    .files
                                    .first()
                                    .map(|p| p.display().to_string())
                                    .unwrap_or_default(),
                                summary.pages,
                                s.pages,
                                summary.bytes / 1024
                            );
                            if summary.certificates > 0 {
                                text.push_str(&format!(
                                    " · {} {}",
                                    summary.certificates, s.certificates
                                ));
                            }
                            messages.push((text, false));
                            for w in summary.warnings {
                                messages.push((format!("{}: {w}", s.warning), true));
                            }
                        }
                        Err(e) => messages.push((e, true)),
                    }
                    v.export = None;
                }
            }
        });

    let mut save_template = None;
    if v.editing_template {
        let mut open = true;
        egui::Window::new(s.edit_template)
            .open(&mut open)
            .default_pos([4.0, 40.0])
            .default_size([430.0, 520.0])
            .show(ui.ctx(), |ui| {
                ui.label(RichText::new(s.template_hint).weak());
                let mut reparse = false;
                // The image: chosen with the native dialog, or typed where none can open.
                ui.horizontal(|ui| {
                    let l = ui.label(s.image_path);
                    ui.add(
                        egui::TextEdit::singleline(&mut v.image_path)
                            .desired_width(300.0)
                            .hint_text(s.path_hint),
                    )
                    .labelled_by(l.id);
                    if ui.button(s.browse).clicked() {
                        match rfd::FileDialog::new()
                            .add_filter("PNG / JPEG", &["png", "jpg", "jpeg"])
                            .pick_file()
                        {
                            Some(p) => v.image_path = p.display().to_string(),
                            None => messages.push((s.no_file_chosen.to_string(), false)),
                        }
                    }
                });
                ui.horizontal(|ui| {
                    for (label, key) in [(s.pick_background, "background"), (s.pick_seal, "seal")] {
                        let typed = v.image_path.trim().to_string();
                        if ui
                            .add_enabled(!typed.is_empty(), egui::Button::new(label))
                            .clicked()
                            && let Some(t) = v.template.as_mut()
                        {
                            let path = std::path::PathBuf::from(&typed);
                            if !path.is_file() {
                                messages.push((
                                    crate::report::ReportError::ImageMissing { path }.to_string(),
                                    true,
                                ));
                                continue;
                            }
                            match crate::report::certificate::set_image(
                                t,
                                key,
                                std::path::Path::new(&typed),
                                v.portrait,
                            ) {
                                Ok(new) => {
                                    *t = new;
                                    reparse = true;
                                }
                                Err(e) => messages.push((e, true)),
                            }
                        }
                    }
                });
                if reparse {
                    v.template_form = None;
                }
                // The form: the chosen orientation's blocks (wording with field buttons, size,
                // position in mm, alignment), kept in step with the TOML under 高级.
                if v.template_form.is_none()
                    && let Some(t) = v.template.as_deref()
                {
                    match crate::report::Template::parse(t) {
                        Ok(form) => v.template_form = Some(form),
                        Err(e) => v.template_error = Some(e.to_string()),
                    }
                }
                let mut form_changed = false;
                if let Some(form) = v.template_form.as_mut() {
                    let design = if v.portrait {
                        &mut form.portrait
                    } else {
                        &mut form.landscape
                    };
                    ui.label(
                        RichText::new(if v.portrait {
                            s.design_portrait
                        } else {
                            s.design_landscape
                        })
                        .strong(),
                    );
                    egui::ScrollArea::vertical()
                        .id_salt("template-form")
                        .max_height(330.0)
                        .show(ui, |ui| {
                            for (i, b) in design.blocks.iter_mut().enumerate() {
                                let title = format!(
                                    "{} {}：{}",
                                    s.text_block,
                                    i + 1,
                                    b.text.lines().next().unwrap_or("")
                                );
                                egui::CollapsingHeader::new(title)
                                    .id_salt(("block", i))
                                    .show(ui, |ui| {
                                        let l = ui.label(s.block_text);
                                        form_changed |= ui
                                            .add(
                                                egui::TextEdit::multiline(&mut b.text)
                                                    .desired_rows(2)
                                                    .desired_width(400.0),
                                            )
                                            .labelled_by(l.id)
                                            .changed();
                                        ui.horizontal_wrapped(|ui| {
                                            ui.label(s.insert_field);
                                            for f in crate::report::certificate::FIELDS {
                                                if ui.small_button(format!("{{{f}}}")).clicked() {
                                                    b.text.push_str(&format!("{{{f}}}"));
                                                    form_changed = true;
                                                }
                                            }
                                        });
                                        egui::Grid::new(("block-grid", i)).num_columns(4).show(
                                            ui,
                                            |ui| {
                                                for (k, (label, value, range)) in [
                                                    (s.font_size, &mut b.size, 4.0..=96.0),
                                                    (s.pos_x, &mut b.x, -50.0..=350.0),
                                                    (s.pos_y, &mut b.y, -50.0..=350.0),
                                                    (s.box_width, &mut b.width, 1.0..=300.0),
                                                    (s.box_height, &mut b.height, 1.0..=300.0),
                                                ]
                                                .into_iter()
                                                .enumerate()
                                                {
                                                    let l = ui.label(label);
                                                    form_changed |= ui
                                                        .add(
                                                            egui::DragValue::new(value)
                                                                .range(range)
                                                                .speed(0.5),
                                                        )
                                                        .labelled_by(l.id)
                                                        .changed();
                                                    // Two per row: the window stays narrow,
                                                    // beside the preview.
                                                    if k % 2 == 1 {
                                                        ui.end_row();
                                                    }
                                                }
                                                ui.end_row();
                                            },
                                        );
                                        ui.horizontal(|ui| {
                                            for (key, label) in [
                                                ("left", s.align_left),
                                                ("center", s.align_center),
                                                ("right", s.align_right),
                                            ] {
                                                if ui
                                                    .radio(
                                                        b.align == key
                                                            || (key == "left"
                                                                && b.align.is_empty()),
                                                        label,
                                                    )
                                                    .clicked()
                                                {
                                                    b.align = key.to_string();
                                                    form_changed = true;
                                                }
                                            }
                                            form_changed |=
                                                ui.checkbox(&mut b.bold, s.bold).changed();
                                            form_changed |=
                                                ui.checkbox(&mut b.wrap, s.wrap_text).changed();
                                        });
                                        ui.horizontal(|ui| {
                                            use crate::report::font::Family;
                                            ui.label(s.typeface);
                                            for (family, label) in [
                                                (Family::Kai, s.face_kai),
                                                (Family::Serif, s.face_serif),
                                                (Family::Sans, s.face_sans),
                                            ] {
                                                if ui.radio(b.family() == family, label).clicked() {
                                                    b.font = family.key().to_string();
                                                    form_changed = true;
                                                }
                                            }
                                        });
                                    });
                            }
                        });
                }
                if form_changed
                    && let Some(form) = v.template_form.as_ref()
                    && let Ok(text) = toml::to_string_pretty(form)
                {
                    v.template = Some(text);
                    v.template_error = None;
                }
                egui::CollapsingHeader::new(s.advanced_toml)
                    .id_salt("template-toml")
                    .show(ui, |ui| {
                        egui::ScrollArea::vertical()
                            .id_salt("template-toml-area")
                            .max_height(300.0)
                            .show(ui, |ui| {
                                if let Some(t) = v.template.as_mut()
                                    && ui
                                        .add(
                                            egui::TextEdit::multiline(t)
                                                .code_editor()
                                                .desired_width(f32::INFINITY),
                                        )
                                        .changed()
                                {
                                    match crate::report::Template::parse(t) {
                                        Ok(form) => {
                                            v.template_form = Some(form);
                                            v.template_error = None;
                                        }
                                        Err(e) => v.template_error = Some(e.to_string()),
                                    }
                                }
                            });
                    });
                if let Some(e) = &v.template_error {
                    ui.label(RichText::new(e).color(Color32::from_rgb(200, 40, 40)));
                }
                if ui.button(s.save_template).clicked() {
                    save_template = v.template.clone();
                }
            });
        if !open {
            v.editing_template = false;
            v.template_form = None;
            v.template_error = None;
        }
    }

    let mut save_papers = None;
    if v.editing_papers {
        let mut open = true;
        egui::Window::new(s.edit_papers)
            .open(&mut open)
            .default_size([460.0, 420.0])
            .show(ui.ctx(), |ui| {
                ui.label(RichText::new(s.papers_hint).weak());
                if let Some(p) = v.papers.as_mut() {
                    egui::Grid::new("papers-form")
                        .num_columns(2)
                        .show(ui, |ui| {
                            let labels: Vec<&'static str> =
                                p.fields().iter().map(|(label, _)| *label).collect();
                            for label in labels {
                                let l = ui.label(papers_label(s, label));
                                if let Some(field) = p.field_mut(label) {
                                    ui.add(
                                        egui::TextEdit::singleline(field)
                                            .desired_width(260.0)
                                            .hint_text(s.papers_blank),
                                    )
                                    .labelled_by(l.id);
                                }
                                ui.end_row();
                            }
                            ui.label(s.group_order);
                            ui.horizontal(|ui| {
                                ui.radio_value(
                                    &mut p.group_order,
                                    crate::model::GroupOrder::Roster,
                                    s.group_order_roster,
                                );
                                ui.radio_value(
                                    &mut p.group_order,
                                    crate::model::GroupOrder::Customary,
                                    s.group_order_customary,
                                );
                            });
                            ui.end_row();
                        });
                    if ui.button(s.save_papers).clicked() {
                        save_papers = Some(p.clone());
                    }
                }
            });
        if !open {
            v.editing_papers = false;
            v.papers = None;
        }
    }

    // Preview of the first page, laid out in the background whenever the choice changes.
    let job = v.preview_job();
    if v.what != What::Workbook && v.preview_for.as_ref() != Some(&job) && v.preview_task.is_none()
    {
        v.preview_task = Some(task::start_preview(job.clone(), store_path));
        v.preview_for = Some(job);
    }
    if let Some(t) = v.preview_task.as_mut() {
        ui.ctx()
            .request_repaint_after(std::time::Duration::from_millis(100));
        if let Some(result) = t.poll() {
            match result {
                Ok(doc) => v.preview = doc,
                Err(e) => {
                    v.preview = None;
                    messages.push((e, true));
                }
            }
            v.preview_task = None;
        }
    }
    egui::CentralPanel::default().show(ui, |ui| {
        ui.label(RichText::new(s.preview).strong());
        if v.what == What::Workbook {
            ui.label(s.no_preview_xlsx);
        } else if v.preview_task.is_some() {
            ui.spinner();
        } else if let Some(doc) = &v.preview {
            draw_page(ui, doc);
        } else {
            ui.label(s.nothing_to_print);
        }
    });
    if let Some(t) = save_template
        && ui_state
            .send(crate::app::Command::SetCertificateTemplate(t))
            .is_ok()
    {
        ui_state.app.info(s.saved_ok);
        // Refresh the preview with the new template.
        ui_state.printing.preview_for = None;
    }
    if let Some(p) = save_papers
        && ui_state.send(crate::app::Command::SetPapers(p)).is_ok()
    {
        ui_state.app.info(s.saved_ok);
        ui_state.printing.preview_for = None;
    }
    for (m, error) in messages {
        if error {
            ui_state.app.error(m);
        } else {
            ui_state.app.info(m);
        }
    }
}

/// A paper setting's label in the window's language.
fn papers_label(s: &Strings, label: &str) -> &'static str {
    match label {
        "记分员" => s.papers_recorder,
        "裁判长" => s.papers_head_judge,
        "监督员" => s.papers_supervisor,
        "公示期起" => s.papers_notice_from,
        "公示期止" => s.papers_notice_to,
        "联系人及电话" => s.papers_contact,
        "监督电话" => s.papers_supervision_phone,
        "落款单位" => s.papers_issuer,
        _ => s.papers_issued,
    }
}

fn color(c: crate::report::layout::Color) -> Color32 {
    Color32::from_rgb(c.r, c.g, c.b)
}

/// Draws the first page of `doc` scaled to the available space (paper white, mm → points).
fn draw_page(ui: &mut egui::Ui, doc: &Document) {
    let Some(page) = doc.pages.first() else {
        return;
    };
    let avail = ui.available_size();
    let scale = (avail.x / page.width).min(avail.y / page.height).max(0.5);
    let size = egui::vec2(page.width * scale, page.height * scale);
    let (rect, _) = ui.allocate_exact_size(size, egui::Sense::hover());
    let painter = ui.painter_at(rect);
    painter.rect_filled(rect, 0.0, Color32::WHITE);
    let at = |x: f32, y: f32| rect.min + egui::vec2(x * scale, y * scale);
    let pt = scale * 25.4 / 72.0;
    for item in &page.items {
        match item {
            Item::Text(t) => {
                let size = (t.size * pt).max(4.0);
                // Letter spacing as the PDF has it (the spaced-out 荣 誉 证 书).
                let job = egui::text::LayoutJob::single_section(
                    t.text.clone(),
                    egui::TextFormat {
                        font_id: egui::FontId::new(size, super::fonts::family(t.family)),
                        color: color(t.color),
                        extra_letter_spacing: t.spacing * size,
                        ..Default::default()
                    },
                );
                let galley = ui.fonts_mut(|f| f.layout_job(job));
                let pos = at(t.x, t.top());
                if t.bold {
                    // Emboldened as in the PDF: drawn again a hair to the right.
                    let nudge = egui::vec2((size * 0.03).max(0.5), 0.0);
                    painter.galley(pos + nudge, galley.clone(), color(t.color));
                }
                painter.galley(pos, galley, color(t.color));
            }
            Item::Line {
                x1,
                y1,
                x2,
                y2,
                width,
                color: c,
                ..
            } => {
                painter.line_segment(
                    [at(*x1, *y1), at(*x2, *y2)],
                    Stroke::new((width * pt).max(0.5), color(*c)),
                );
            }
            Item::Rect {
                x,
                y,
                w,
                h,
                stroke,
                fill,
            } => {
                let r = egui::Rect::from_min_size(at(*x, *y), egui::vec2(w * scale, h * scale));
                if let Some(f) = fill {
                    painter.rect_filled(r, 0.0, color(*f));
                }
                if let Some((width, c)) = stroke {
                    painter.rect_stroke(
                        r,
                        0.0,
                        Stroke::new((width * pt).max(0.5), color(*c)),
                        egui::StrokeKind::Inside,
                    );
                }
            }
            Item::Image { x, y, w, h, .. } => {
                let r = egui::Rect::from_min_size(at(*x, *y), egui::vec2(w * scale, h * scale));
                painter.rect_stroke(
                    r,
                    0.0,
                    Stroke::new(1.0, Color32::LIGHT_GRAY),
                    egui::StrokeKind::Inside,
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_extension_follows_what_is_exported() {
        assert_eq!(
            export_target(What::Workbook, "/x/certs.pdf"),
            PathBuf::from("/x/certs.xlsx")
        );
        assert_eq!(
            export_target(What::Sheets, "/x/成绩.XLSX"),
            PathBuf::from("/x/成绩.pdf")
        );
        assert_eq!(export_target(What::Sheets, "out"), PathBuf::from("out.pdf"));
        assert_eq!(
            export_target(What::Certificates, " /x/a.PDF "),
            PathBuf::from("/x/a.PDF")
        );
    }

    #[test]
    fn the_proposed_name_keeps_the_folder() {
        assert_eq!(
            PathBuf::from(proposed_path(What::Sheets, "/x/certs.pdf")),
            PathBuf::from("/x/成绩表.pdf")
        );
        assert_eq!(proposed_path(What::Workbook, "certs.pdf"), "成绩.xlsx");
        assert_eq!(proposed_path(What::Workbook, "  "), "");
    }
}
