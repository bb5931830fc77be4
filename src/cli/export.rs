//! `scoredesk export …`: certificates, result sheets, award lists, judge sheets and the
//! calibration page as PDF; the result tables as XLSX or CSV; the certificate template.
//!
//! Warnings (characters no font has, provisional awards left out …) go to stderr.

use std::io::Write;
use std::path::{Path, PathBuf};

use clap::{Args, Subcommand, ValueEnum};

use crate::commands::CommandError as OpError;
use crate::report::{
    self, BatchBy, CertificateOptions, ExportJob, ExportKind, ExportSummary, FontSearch,
    Orientation, ReportError,
};
use crate::store::{Access, Store};

#[derive(Debug, Subcommand)]
pub enum ExportWhat {
    /// 荣誉证书: one page per final award (single events and 综合), A4 landscape by default.
    Certificates {
        file: PathBuf,
        #[arg(long)]
        out: PathBuf,
        /// Only this event (code or name); ZH for the overall (综合) awards.
        #[arg(long)]
        event: Option<String>,
        #[arg(long)]
        group: Option<String>,
        /// Order and bookmark the certificates by school or by group (default: serial order).
        #[arg(long, value_enum)]
        by: Option<ByArg>,
        #[arg(long)]
        portrait: bool,
        /// Pre-printed stock: print only the texts, moved by the template's offset.
        #[arg(long)]
        stock: bool,
        #[command(flatten)]
        offset: OffsetArgs,
        /// Use this template (TOML) instead of the one stored in the file.
        #[arg(long)]
        template: Option<PathBuf>,
        #[command(flatten)]
        fonts: FontArgs,
        /// A character no font has is printed as □ (to write in by hand) instead of stopping.
        #[arg(long)]
        allow_missing_glyphs: bool,
    },
    /// 成绩表: per event and group, then the overall (综合) table per group.
    Sheets {
        file: PathBuf,
        #[arg(long)]
        out: PathBuf,
        /// Only this event (code or name); ZH for only the overall table.
        #[arg(long)]
        event: Option<String>,
        #[arg(long)]
        group: Option<String>,
        #[command(flatten)]
        fonts: FontArgs,
    },
    /// 公示名单: the award list for public notice.
    Awards {
        file: PathBuf,
        #[arg(long)]
        out: PathBuf,
        #[arg(long)]
        event: Option<String>,
        #[arg(long)]
        group: Option<String>,
        #[command(flatten)]
        fonts: FontArgs,
    },
    /// 评委评分表 with a signature line; --blank: blank score sheets and draw-order lists.
    JudgeSheets {
        file: PathBuf,
        #[arg(long)]
        out: PathBuf,
        #[arg(long)]
        blank: bool,
        #[arg(long)]
        event: Option<String>,
        /// Only this group's contestants (组别, e.g. 小学语文): one room's sheets.
        #[arg(long)]
        group: Option<String>,
        #[command(flatten)]
        fonts: FontArgs,
    },
    /// The result tables as one XLSX workbook (or, with --format csv, CSV files in a folder).
    Xlsx {
        file: PathBuf,
        #[arg(long)]
        out: PathBuf,
        #[arg(long, value_enum, default_value_t = TableFormat::Xlsx)]
        format: TableFormat,
    },
    /// The result tables as CSV files (UTF-8 with BOM) in the folder --out.
    Csv {
        file: PathBuf,
        #[arg(long)]
        out: PathBuf,
    },
    /// The calibration page for pre-printed certificate stock (mm grid and marks).
    Calibration {
        file: PathBuf,
        #[arg(long)]
        out: PathBuf,
        #[arg(long)]
        portrait: bool,
        #[command(flatten)]
        offset: OffsetArgs,
        #[arg(long)]
        template: Option<PathBuf>,
    },
    /// The certificate template: write the one in effect to --out, or --load one into the file.
    Template {
        file: PathBuf,
        #[arg(long, required_unless_present = "load", conflicts_with = "load")]
        out: Option<PathBuf>,
        #[arg(long)]
        load: Option<PathBuf>,
    },
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum ByArg {
    School,
    Group,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum TableFormat {
    Xlsx,
    Csv,
}

#[derive(Debug, Args)]
pub struct OffsetArgs {
    /// Stock offset to the right, mm (overrides the template's offset_x).
    #[arg(long, allow_negative_numbers = true)]
    offset_x: Option<f32>,
    /// Stock offset downwards, mm (overrides the template's offset_y).
    #[arg(long, allow_negative_numbers = true)]
    offset_y: Option<f32>,
}

impl OffsetArgs {
    fn get(&self) -> Option<(f32, f32)> {
        match (self.offset_x, self.offset_y) {
            (None, None) => None,
            (x, y) => Some((x.unwrap_or(0.0), y.unwrap_or(0.0))),
        }
    }
}

#[derive(Debug, Args)]
pub struct FontArgs {
    /// Look for fallback fonts only in this folder (repeatable) instead of the system's.
    #[arg(long = "font-dir")]
    font_dirs: Vec<PathBuf>,
    /// Use the bundled font only (characters it lacks are left out, with a warning).
    #[arg(long, conflicts_with = "font_dirs")]
    no_system_fonts: bool,
}

impl FontArgs {
    fn search(&self) -> FontSearch {
        if self.no_system_fonts {
            FontSearch::None
        } else if self.font_dirs.is_empty() {
            FontSearch::System
        } else {
            FontSearch::Dirs(self.font_dirs.clone())
        }
    }
}

pub(super) fn report_err(e: ReportError) -> OpError {
    match e {
        ReportError::Store(s) => OpError::Store(s),
        other => OpError::Usage(other.to_string()),
    }
}

fn read_template(path: &Option<PathBuf>) -> Result<Option<String>, OpError> {
    match path {
        None => Ok(None),
        Some(p) => std::fs::read_to_string(p)
            .map(Some)
            .map_err(|e| OpError::Read {
                path: p.display().to_string(),
                reason: e.to_string(),
            }),
    }
}

fn orientation(portrait: bool) -> Option<Orientation> {
    portrait.then_some(Orientation::Portrait)
}

/// Runs one export command.
pub fn run(what: ExportWhat, out: &mut dyn Write) -> Result<(), OpError> {
    let (file, target, job) = match what {
        ExportWhat::Certificates {
            file,
            out: target,
            event,
            group,
            by,
            portrait,
            stock,
            offset,
            template,
            fonts,
            allow_missing_glyphs,
        } => {
            let opts = CertificateOptions {
                by: match by {
                    None => BatchBy::Serial,
                    Some(ByArg::School) => BatchBy::School,
                    Some(ByArg::Group) => BatchBy::Group,
                },
                orientation: orientation(portrait),
                stock,
                offset: offset.get(),
                template: read_template(&template)?,
            };
            let job = ExportJob {
                kind: ExportKind::Certificates(opts),
                event,
                group,
                font_search: fonts.search(),
                allow_missing_glyphs,
                ..ExportJob::default()
            };
            (file, target, job)
        }
        ExportWhat::Sheets {
            file,
            out: target,
            event,
            group,
            fonts,
        } => (
            file,
            target,
            ExportJob {
                kind: ExportKind::Sheets,
                event,
                group,
                font_search: fonts.search(),
                ..ExportJob::default()
            },
        ),
        ExportWhat::Awards {
            file,
            out: target,
            event,
            group,
            fonts,
        } => (
            file,
            target,
            ExportJob {
                kind: ExportKind::Awards,
                event,
                group,
                font_search: fonts.search(),
                ..ExportJob::default()
            },
        ),
        ExportWhat::JudgeSheets {
            file,
            out: target,
            blank,
            event,
            group,
            fonts,
        } => (
            file,
            target,
            ExportJob {
                kind: ExportKind::JudgeSheets { blank },
                event,
                group,
                font_search: fonts.search(),
                ..ExportJob::default()
            },
        ),
        ExportWhat::Xlsx {
            file,
            out: target,
            format,
        } => (
            file,
            target,
            ExportJob::new(match format {
                TableFormat::Xlsx => ExportKind::Xlsx,
                TableFormat::Csv => ExportKind::Csv,
            }),
        ),
        ExportWhat::Csv { file, out: target } => (file, target, ExportJob::new(ExportKind::Csv)),
        ExportWhat::Calibration {
            file,
            out: target,
            portrait,
            offset,
            template,
        } => (
            file,
            target,
            ExportJob::new(ExportKind::Calibration(CertificateOptions {
                orientation: orientation(portrait),
                offset: offset.get(),
                template: read_template(&template)?,
                ..CertificateOptions::default()
            })),
        ),
        ExportWhat::Template {
            file,
            out: target,
            load,
        } => return template(&file, target.as_deref(), load.as_deref(), out),
    };
    let summary = report::export(&job, &file, &target, &|_, _| {}).map_err(report_err)?;
    print_summary(&summary, out)
}

fn print_summary(s: &ExportSummary, out: &mut dyn Write) -> Result<(), OpError> {
    let io = |e: std::io::Error| OpError::Usage(format!("无法输出 (cannot write output): {e}"));
    for w in &s.warnings {
        eprintln!("警告：{w}");
    }
    let what = if s.certificates > 0 {
        format!("{} 张证书，{} 页", s.certificates, s.pages)
    } else if s.pages > 0 {
        format!("{} 页", s.pages)
    } else {
        format!("{} 个文件", s.files.len())
    };
    let files: Vec<String> = s.files.iter().map(|f| f.display().to_string()).collect();
    writeln!(
        out,
        "已导出 {what}（{} KB）：{} (exported)",
        s.bytes.div_ceil(1024),
        files.join("、")
    )
    .map_err(io)?;
    Ok(())
}

fn template(
    file: &Path,
    target: Option<&Path>,
    load: Option<&Path>,
    out: &mut dyn Write,
) -> Result<(), OpError> {
    let io = |e: std::io::Error| OpError::Usage(format!("无法输出 (cannot write output): {e}"));
    if let Some(src) = load {
        let text = std::fs::read_to_string(src).map_err(|e| OpError::Read {
            path: src.display().to_string(),
            reason: e.to_string(),
        })?;
        let mut store = Store::open(file)?;
        crate::commands::execute(
            &mut store,
            &crate::commands::Session::organiser(),
            crate::commands::Command::SetCertificateTemplate(text),
        )?;
        writeln!(out, "已保存证书模板 (certificate template saved)").map_err(io)?;
        return Ok(());
    }
    if let Some(target) = target {
        let store = Store::open_with(file, Access::ReadOnly)?;
        let text = report::certificate_template(&store).map_err(report_err)?;
        report::write::write_atomic(target, text.as_bytes()).map_err(report_err)?;
        writeln!(
            out,
            "已写出证书模板 {} (template written)",
            target.display()
        )
        .map_err(io)?;
    }
    Ok(())
}
