//! Printing and export: certificates (荣誉证书), result sheets (成绩表), the overall table, the
//! award list for public notice (公示名单), judges' score sheets, blank sheets and draw-order
//! lists as PDF; the result tables as XLSX or CSV.
//!
//! - `layout` — pages as positioned text/lines/images in mm (pure; the GUI's preview draws it);
//! - `pdf` — pages → a PDF file, written page by page (subset CJK fonts with ToUnicode, images
//!   embedded once);
//! - `font` — the bundled fonts (sans, 楷体, 宋体), system fallbacks, glyph checks and widths;
//! - `certificate`, `sheets`, `tables` — what is printed; `data` — what it is made from;
//! - `write` — temp file + rename, so a failure never leaves a half-written file.
//!
//! The GUI calls [`export`] from a background thread (it opens the file read-only itself and
//! reports progress) and [`preview_first_page`] for the preview.

pub mod certificate;
pub mod data;
pub mod font;
pub mod join_cards;
pub mod layout;
pub mod pdf;
pub mod result_table;
pub mod sheets;
pub mod slips;
pub mod tables;
pub mod text;
pub mod write;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use crate::store::{Access, Store, StoreError};

pub use certificate::{BatchBy, CertificateOptions, Template};
pub use data::{ReportData, TEMPLATE_META_KEY};
pub use font::{CJK_FONT, Family, FontSearch, Fonts};
pub use layout::{Document, Item, Orientation, Page, Text};

/// What went wrong while exporting, in words a user can act on (Chinese, English in brackets).
#[derive(Debug, thiserror::Error)]
pub enum ReportError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("{0}")]
    Usage(String),
    #[error("没有可打印的内容：{0} (nothing to print)")]
    Empty(String),
    #[error("证书模板有误 (certificate template error): {0}")]
    Template(String),
    #[error("找不到图片 {path} (image not found)")]
    ImageMissing { path: PathBuf },
    #[error(
        "无法读取图片 {path}：{reason}。请使用 PNG 或 JPEG (cannot read the image; use PNG or JPEG)"
    )]
    ImageBad { path: PathBuf, reason: String },
    #[error(
        "无法写入 {path}：文件夹只读或没有权限，请换一个位置，例如桌面 (cannot write: the folder is read-only or not permitted)"
    )]
    ReadOnly { path: PathBuf },
    #[error("磁盘空间不足，未写入 {path} (the disk is full; nothing was written)")]
    DiskFull { path: PathBuf },
    #[error("文件夹不存在：{path} (the folder does not exist)")]
    NoFolder { path: PathBuf },
    #[error("无法写入 {path}：{reason} (cannot write the file)")]
    Write { path: PathBuf, reason: String },
    #[error("字体无法加载 (the font cannot be loaded): {0}")]
    Font(String),
    #[error("无法生成 XLSX (cannot build the workbook): {0}")]
    Xlsx(String),
    /// Certificates with a character no font has: a wrong name on a 荣誉证书 is the worst
    /// outcome, so nothing is written unless the user allows a □ to be filled in by hand.
    #[error(
        "证书上有字体无法显示的字符，未导出 (characters no font has; nothing exported):\n{}\n可改用 □ 代替后手写补上 (--allow-missing-glyphs)",
        .0.join("\n")
    )]
    MissingGlyphs(Vec<String>),
}

/// What to export.
#[derive(Clone, Debug, Default, PartialEq)]
pub enum ExportKind {
    /// One certificate page per award.
    Certificates(CertificateOptions),
    /// Result sheets per event and group, then the overall table per group.
    #[default]
    Sheets,
    /// The award list for public notice (公示名单).
    Awards,
    /// Per-judge score sheets; `blank`: blank sheets and draw-order lists instead.
    JudgeSheets { blank: bool },
    /// One XLSX workbook.
    Xlsx,
    /// CSV files (UTF-8 with BOM) in a folder.
    Csv,
    /// The calibration page for pre-printed stock (orientation, offset and template from the
    /// options).
    Calibration(CertificateOptions),
}

/// An export request.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ExportJob {
    pub kind: ExportKind,
    /// Event code or name (ZH/综合 for the overall table or awards).
    pub event: Option<String>,
    /// Group (组别), e.g. 小学语文.
    pub group: Option<String>,
    /// "Now" (unix seconds) for the printed time and the default certificate date; `None`: now.
    pub now_unix: Option<i64>,
    /// Where to look for fonts for characters the bundled font lacks.
    pub font_search: FontSearch,
    /// Certificates with a character no font has are printed with □ in its place (to write
    /// by hand) instead of stopping the export.
    pub allow_missing_glyphs: bool,
}

impl ExportJob {
    pub fn new(kind: ExportKind) -> ExportJob {
        ExportJob {
            kind,
            ..ExportJob::default()
        }
    }

    fn now(&self) -> i64 {
        self.now_unix.unwrap_or_else(crate::clock::now_unix)
    }
}

/// What an export did.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ExportSummary {
    /// The files written.
    pub files: Vec<PathBuf>,
    /// PDF pages (0 for XLSX/CSV).
    pub pages: usize,
    /// Certificates printed.
    pub certificates: usize,
    /// Bytes written in all.
    pub bytes: u64,
    /// Things the user should know: characters no font has (naming the contestant),
    /// provisional awards left out, text shrunk below the template's minimum …
    pub warnings: Vec<String>,
}

/// A laid-out PDF export: the document, the fonts it was measured with, and warnings.
#[derive(Clone, Debug)]
pub struct Prepared {
    pub document: Document,
    pub fonts: Fonts,
    pub warnings: Vec<String>,
    pub certificates: usize,
}

/// Exports `job` from the competition file at `store_path` (opened read-only here) to `out`
/// (a file; a folder for CSV). `progress(done, total)` is called as work proceeds. Safe to call
/// from a background thread.
pub fn export(
    job: &ExportJob,
    store_path: &Path,
    out: &Path,
    progress: &dyn Fn(usize, usize),
) -> Result<ExportSummary, ReportError> {
    let store = Store::open_with(store_path, Access::ReadOnly)?;
    export_from(job, &store, out, progress)
}

/// [`export`] with a store that is already open.
pub fn export_from(
    job: &ExportJob,
    store: &Store,
    out: &Path,
    progress: &dyn Fn(usize, usize),
) -> Result<ExportSummary, ReportError> {
    // The digest comparison reads the whole scoring state (a few tenths of a second on a
    // venue-size file): it runs on another core, with its own read-only connection, while the
    // export is laid out and written.
    let path = store.path().to_path_buf();
    let check = std::thread::Builder::new()
        .name("tamper-check".into())
        .spawn(move || -> Result<Option<String>, ReportError> {
            let reader = Store::open_with(&path, Access::ReadOnly)?;
            tamper_warning(&reader)
        })
        .map_err(|e| {
            ReportError::Usage(format!(
                "无法启动数据核对线程 (cannot start the check): {e}"
            ))
        })?;
    let result = export_unchecked(job, store, out, progress);
    let tampered = check
        .join()
        .unwrap_or_else(|_| Err(ReportError::Usage("数据核对线程意外退出".into())))?;
    let mut summary = result?;
    summary.warnings.splice(0..0, tampered);
    Ok(summary)
}

/// The warning every export and result listing gives on a file whose tables no longer match
/// what its audit log recorded (the fast digest comparison; `scoredesk check` names the rows).
pub fn tamper_warning(store: &Store) -> Result<Option<String>, ReportError> {
    Ok(store.fast_digest_check()?.map(|_| {
        "文件中的成绩数据与审计日志记录的不一致（被本程序以外的工具改动过），请运行 scoredesk check 查明是哪些数据".to_string()
    }))
}

fn export_unchecked(
    job: &ExportJob,
    store: &Store,
    out: &Path,
    progress: &dyn Fn(usize, usize),
) -> Result<ExportSummary, ReportError> {
    match &job.kind {
        ExportKind::Xlsx | ExportKind::Csv => {
            progress(0, 2);
            let data = ReportData::load(store, false)?;
            let year = certificate::serial_year(&data, job.now());
            let (awards, warnings) = certificate::awards(&data, year);
            let tables = tables::all_tables(&data, &awards);
            progress(1, 2);
            let mut summary = ExportSummary {
                warnings,
                ..ExportSummary::default()
            };
            if job.kind == ExportKind::Xlsx {
                let bytes = tables::xlsx(&tables)?;
                write::write_atomic(out, &bytes)?;
                summary.bytes = bytes.len() as u64;
                summary.files.push(out.to_path_buf());
            } else {
                if !out.is_dir() {
                    std::fs::create_dir_all(out).map_err(|e| write::classify(out, &e))?;
                }
                for (name, text) in tables::csv_files(&tables) {
                    let path = out.join(name);
                    write::write_atomic(&path, text.as_bytes())?;
                    summary.bytes += text.len() as u64;
                    summary.files.push(path);
                }
            }
            progress(2, 2);
            Ok(summary)
        }
        _ => {
            // Refuse early when the output cannot be written, before the slow part.
            check_writable(out)?;
            let half = |done: usize, total: usize| progress(done, total.max(1) * 2);
            let mut laps = Laps::start();
            let with_sheets = matches!(job.kind, ExportKind::JudgeSheets { blank: false });
            let data = ReportData::load(store, with_sheets)?;
            laps.lap("load");
            let prepared = prepare_data(job, &data, None, &half)?;
            drop(data);
            laps.lap("layout");
            let pages = prepared.document.pages.len();
            let total = pages.max(1);
            let bytes = pdf::write_file(prepared.document, &prepared.fonts, out, &|d, _| {
                progress(total + d, total * 2)
            })?;
            laps.lap("pdf");
            Ok(ExportSummary {
                files: vec![out.to_path_buf()],
                pages,
                certificates: prepared.certificates,
                bytes,
                warnings: prepared.warnings,
            })
        }
    }
}

/// Phase times of an export on stderr when `SCOREDESK_TIMING` is set (for
/// `benches/certificates.sh`; never shown otherwise).
struct Laps {
    at: Option<std::time::Instant>,
}

impl Laps {
    fn start() -> Laps {
        Laps {
            at: std::env::var_os("SCOREDESK_TIMING").map(|_| std::time::Instant::now()),
        }
    }

    fn lap(&mut self, phase: &str) {
        if let Some(at) = self.at.as_mut() {
            // Peak memory so far, where the system tells it (Linux).
            let peak = std::fs::read_to_string("/proc/self/status")
                .ok()
                .and_then(|s| {
                    s.lines()
                        .find_map(|l| l.strip_prefix("VmHWM:"))
                        .map(|v| format!(", peak {}", v.trim()))
                })
                .unwrap_or_default();
            eprintln!("timing {phase}: {:.3} s{peak}", at.elapsed().as_secs_f64());
            *at = std::time::Instant::now();
        }
    }
}

/// Fails with a clear message when `out`'s folder is missing or cannot take new files.
pub fn check_writable(out: &Path) -> Result<(), ReportError> {
    if out.is_dir() {
        return Err(ReportError::Write {
            path: out.to_path_buf(),
            reason: "这是一个文件夹，请给出文件名 (it is a folder; give a file name)".into(),
        });
    }
    let dir = match out.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
        _ => PathBuf::from("."),
    };
    if !dir.is_dir() {
        return Err(ReportError::NoFolder { path: dir });
    }
    let probe = dir.join(format!(".scoredesk-write-probe-{}", std::process::id()));
    match std::fs::File::create(&probe) {
        Ok(_) => {
            let _ = std::fs::remove_file(&probe);
            Ok(())
        }
        Err(e) => Err(write::classify(out, &e)),
    }
}

/// The first page of a PDF export, laid out (positioned text, lines and images in mm from the
/// top-left) for a preview: a [`Document`] with that one page and the image files it shows
/// (`Item::Image::image` indexes `images`); `None` when there are no pages. Opens the file
/// read-only. Nothing to print (no awards, an unknown group …) is an error with a message.
pub fn preview_first_page(
    job: &ExportJob,
    store_path: &Path,
) -> Result<Option<Document>, ReportError> {
    let store = Store::open_with(store_path, Access::ReadOnly)?;
    let mut document = prepare(job, &store, Some(1), &|_, _| {})?.document;
    if document.pages.is_empty() {
        return Ok(None);
    }
    document.pages.truncate(1);
    Ok(Some(document))
}

/// Lays out a PDF export (`limit`: at most this many certificates, for previews). XLSX and CSV
/// have no layout.
pub fn prepare(
    job: &ExportJob,
    store: &Store,
    limit: Option<usize>,
    progress: &dyn Fn(usize, usize),
) -> Result<Prepared, ReportError> {
    let with_sheets = matches!(job.kind, ExportKind::JudgeSheets { blank: false });
    let data = ReportData::load(store, with_sheets)?;
    prepare_data(job, &data, limit, progress)
}

/// [`prepare`] from data already loaded.
pub fn prepare_data(
    job: &ExportJob,
    data: &ReportData,
    limit: Option<usize>,
    progress: &dyn Fn(usize, usize),
) -> Result<Prepared, ReportError> {
    let now = job.now();
    let mut warnings = Vec::new();
    let mut certificates = 0;
    // What the glyph check names: who each printed text belongs to.
    let mut owned_awards = Vec::new();

    let build = |fonts: &Fonts,
                 warnings: &mut Vec<String>,
                 owned_awards: &mut Vec<certificate::Award>,
                 certificates: &mut usize|
     -> Result<Document, ReportError> {
        match &job.kind {
            ExportKind::Certificates(opts) => {
                let template = certificate::effective_template(data, opts)?;
                let year = certificate::serial_year(data, now);
                let (all, notes) = certificate::awards(data, year);
                let mut selected = certificate::select_awards(
                    data,
                    all,
                    job.event.as_deref(),
                    job.group.as_deref(),
                )?;
                if selected.is_empty() {
                    return Err(ReportError::Empty(
                        "没有已确定的获奖，无法打印证书 (no final awards to print)".into(),
                    ));
                }
                let batches = certificate::order_awards(&mut selected, opts.by);
                if let Some(n) = limit {
                    selected.truncate(n);
                }
                let (doc, w) = certificate::document(
                    data, fonts, &selected, &batches, opts, &template, now, progress,
                )?;
                warnings.extend(notes);
                warnings.extend(w);
                *certificates = selected.len();
                *owned_awards = selected;
                Ok(doc)
            }
            ExportKind::Calibration(opts) => {
                let template = certificate::effective_template(data, opts)?;
                let page = certificate::calibration_page(
                    fonts,
                    &template,
                    opts.orientation,
                    opts.offset,
                    &data.furniture(now),
                );
                Ok(Document {
                    title: format!("{} 证书套打校准页", data.setup.competition.title),
                    pages: vec![page],
                    ..Document::default()
                })
            }
            ExportKind::Sheets | ExportKind::Awards | ExportKind::JudgeSheets { .. } => {
                let mut builder =
                    layout::ReportBuilder::new(fonts, data.furniture(now), Orientation::Landscape);
                let title = match &job.kind {
                    ExportKind::Sheets => {
                        sheets::results_document(
                            data,
                            &mut builder,
                            job.event.as_deref(),
                            job.group.as_deref(),
                        )?;
                        "成绩表"
                    }
                    ExportKind::Awards => {
                        let year = certificate::serial_year(data, now);
                        let (all, notes) = certificate::awards(data, year);
                        let selected = certificate::select_awards(
                            data,
                            all,
                            job.event.as_deref(),
                            job.group.as_deref(),
                        )?;
                        warnings.extend(notes);
                        let pending = sheets::pending_results(data);
                        if pending > 0 {
                            builder.set_draft_all(true);
                            warnings.push(format!(
                                "还有 {pending} 个成绩待定，公示名单不完整，每页已标“未定稿”"
                            ));
                        }
                        sheets::awards_document(data, &mut builder, &selected)?;
                        "获奖名单"
                    }
                    ExportKind::JudgeSheets { blank } => {
                        sheets::judge_sheets_document(
                            data,
                            &mut builder,
                            *blank,
                            job.event.as_deref(),
                            job.group.as_deref(),
                        )?;
                        if *blank {
                            "空白评分表"
                        } else {
                            "评委评分表"
                        }
                    }
                    _ => "",
                };
                let (pages, outline) = builder.finish();
                progress(pages.len(), pages.len());
                Ok(Document {
                    title: format!("{} {title}", data.setup.competition.title),
                    pages,
                    images: Vec::new(),
                    outline,
                })
            }
            ExportKind::Xlsx | ExportKind::Csv => Err(ReportError::Usage(
                "XLSX/CSV 没有版面 (XLSX and CSV have no page layout)".into(),
            )),
        }
    };

    // Certificates are set in 楷体 and 宋体 (the template says which block uses which).
    let faces = |f: Fonts| match job.kind {
        ExportKind::Certificates(_) | ExportKind::Calibration(_) => f.with_certificate_faces(),
        _ => Ok(f),
    };
    let mut fonts = faces(Fonts::bundled()?)?;
    let mut document = build(&fonts, &mut warnings, &mut owned_awards, &mut certificates)?;
    let missing = uncovered(&fonts, &document);
    if !missing.is_empty() && job.font_search != FontSearch::None {
        let text: String = missing.iter().collect();
        let with_fallbacks = faces(Fonts::for_texts([text.as_str()], &job.font_search)?)?;
        if missing.iter().any(|c| with_fallbacks.covers(*c)) {
            fonts = with_fallbacks;
            warnings.clear();
            document = build(&fonts, &mut warnings, &mut owned_awards, &mut certificates)?;
        }
    }
    let glyphs = glyph_warnings(&fonts, &document, data, &owned_awards);
    if !glyphs.is_empty() && matches!(job.kind, ExportKind::Certificates(_)) {
        // On certificates the character is not left out: the export stops, or prints a box.
        let named = glyphs.iter().map(|w| {
            w.replace("，打印时已省略", "")
                .replace("; it is left out", "")
        });
        if !job.allow_missing_glyphs {
            return Err(ReportError::MissingGlyphs(named.collect()));
        }
        mark_missing_glyphs(&fonts, &mut document);
        warnings.extend(named.map(|w| {
            w.replacen(" (", "，印为 □，请手写补上 (", 1).replacen(
                ')',
                "; printed as □ to fill in by hand)",
                1,
            )
        }));
    } else {
        warnings.extend(glyphs);
    }
    Ok(Prepared {
        document,
        fonts,
        warnings,
        certificates,
    })
}

/// Puts a visible box (□) where a character no face has would be left out, so it can be
/// written in by hand.
fn mark_missing_glyphs(fonts: &Fonts, doc: &mut Document) {
    let mark = ['\u{2610}', '\u{25A1}', '?']
        .into_iter()
        .find(|c| fonts.covers(*c))
        .unwrap_or('?');
    for page in &mut doc.pages {
        for item in &mut page.items {
            if let Item::Text(t) = item
                && t.text.chars().any(|c| !c.is_control() && !fonts.covers(c))
            {
                t.text = t
                    .text
                    .chars()
                    .map(|c| {
                        if !c.is_control() && !fonts.covers(c) {
                            mark
                        } else {
                            c
                        }
                    })
                    .collect();
            }
        }
    }
}

/// Characters on the pages that no face has.
fn uncovered(fonts: &Fonts, doc: &Document) -> BTreeSet<char> {
    let mut missing = BTreeSet::new();
    for page in &doc.pages {
        for t in page.texts() {
            // No glyph in the text's family means no face at all has one.
            fonts.for_each_glyph(t.family, &t.text, |c, glyph| {
                if glyph.is_none() && !c.is_control() {
                    missing.insert(c);
                }
            });
        }
    }
    missing
}

/// Warnings for characters left out: naming the contestant (or judge, event …) they belong to,
/// and any other text they appear in.
fn glyph_warnings(
    fonts: &Fonts,
    doc: &Document,
    data: &ReportData,
    awards: &[certificate::Award],
) -> Vec<String> {
    let missing = uncovered(fonts, doc);
    if missing.is_empty() {
        return Vec::new();
    }
    let mut owned = sheets::owned_texts(data);
    owned.extend(certificate::owned_texts(awards));
    let owned: Vec<font::Owned<'_>> = owned
        .into_iter()
        .filter(|o| o.text.chars().any(|c| missing.contains(&c)))
        .collect();
    let mut out = font::missing_glyph_warnings(fonts, &owned);
    let named: BTreeSet<char> = owned.iter().flat_map(|o| o.text.chars()).collect();
    for c in missing.difference(&named) {
        out.push(format!(
            "字符 U+{:04X} 没有任何字体可以显示，打印时已省略 (no font has a glyph for U+{:04X}; it is left out)",
            *c as u32, *c as u32
        ));
    }
    out
}

/// Checks that a certificate template (TOML) parses; the command layer stores it.
pub fn check_certificate_template(toml: &str) -> Result<(), ReportError> {
    Template::parse(toml).map(|_| ())
}

/// The certificate template in effect for a file (its own, else the built-in one), as TOML.
pub fn certificate_template(store: &Store) -> Result<String, ReportError> {
    Ok(store
        .meta(TEMPLATE_META_KEY)?
        .unwrap_or_else(|| certificate::DEFAULT_TEMPLATE.to_string()))
}
