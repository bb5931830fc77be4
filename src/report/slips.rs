//! PIN slips (评委 PIN 条): one row per judge with id, name, panels and the new PIN, to print,
//! cut along the lines and hand out. The PINs exist only in this printout (the file keeps hashes).

use std::path::Path;

use super::layout::{Align, Column, Furniture, Orientation, ReportBuilder, Section, Table};
use super::{Document, FontSearch, Fonts, ReportError, pdf, write};
use crate::clock;

/// One slip: judge id, name, panels (event names), PIN.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Slip {
    pub judge: String,
    pub name: String,
    pub panels: String,
    pub pin: String,
}

/// Lays out the slips (A4 portrait, large type, one judge per row).
pub fn slips_document(title: &str, audit_head: &str, slips: &[Slip], fonts: &Fonts) -> Document {
    let furniture = Furniture {
        title: title.to_string(),
        generated: clock::beijing_minutes(clock::now_unix()),
        audit_head: audit_head.to_string(),
    };
    let mut builder = ReportBuilder::new(fonts, furniture, Orientation::Portrait);
    builder.section(&Section {
        title: "评委登录 PIN 条（沿横线剪开，分发给各位评委）".into(),
        info: vec!["PIN 只打印这一次；文件中只保存加密哈希。遗失请由管理员重置。".into()],
        table: Table {
            columns: vec![
                Column::new("评委编号", Align::Center).min(22.0),
                Column::new("姓名", Align::Center).min(30.0),
                Column::new("评审项目", Align::Left).flex(),
                Column::new("PIN", Align::Center).min(30.0),
            ],
            rows: slips
                .iter()
                .map(|s| {
                    vec![
                        s.judge.clone().into(),
                        s.name.clone().into(),
                        s.panels.clone().into(),
                        s.pin.clone().into(),
                    ]
                })
                .collect(),
            size: 13.0,
            row_height: 16.0,
        },
        after: Vec::new(),
        bookmark: None,
    });
    let (pages, outline) = builder.finish();
    Document {
        title: format!("{title} 评委 PIN 条"),
        pages,
        images: Vec::new(),
        outline,
    }
}

/// Writes the slips as a PDF at `out` (atomically).
pub fn write_slips(
    title: &str,
    audit_head: &str,
    slips: &[Slip],
    out: &Path,
) -> Result<usize, ReportError> {
    let texts: Vec<&str> = slips
        .iter()
        .flat_map(|s| [s.judge.as_str(), s.name.as_str(), s.panels.as_str(), s.pin.as_str()])
        .chain([title, "评委登录 PIN 条（沿横线剪开，分发给各位评委）PIN 只打印这一次；文件中只保存加密哈希。遗失请由管理员重置。评委编号姓名评审项目"])
        .collect();
    let fonts = Fonts::for_texts(texts, &FontSearch::default())?;
    let doc = slips_document(title, audit_head, slips, &fonts);
    let bytes = pdf::write(&doc, &fonts, &|_, _| {})?;
    write::write_atomic(out, &bytes)?;
    Ok(doc.pages.len())
}
