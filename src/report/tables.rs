//! The result tables as plain rows, written as one XLSX workbook (numbers as numbers) or as CSV
//! files (UTF-8 with BOM, one per table).
//!
//! Tables: one per event (every group, the judges' scores, dropped ones struck through in XLSX
//! and bracketed in CSV), the overall table, and the award list (公示名单).

use rust_xlsxwriter::{Color as XlsxColor, Format, FormatAlign, Workbook, XlsxError};

use super::text::csv;
use crate::model::Fixed;

use super::ReportError;
use super::certificate::Award;
use super::data::ReportData;
use super::result_table::{Kind, Mark, event_table, judge_ids};

/// A cell of an exported table.
#[derive(Clone, Debug, PartialEq)]
pub enum Value {
    Text(String),
    /// An exact number and the decimals it is shown with.
    Number(Fixed, u32),
    /// A judge's score that was dropped by trimming.
    Dropped(Fixed, u32),
    Empty,
}

impl Value {
    /// The CSV text: a number as a plain number (a dropped score too — "(93.50)" would be read
    /// as −93.5 by spreadsheets; [`csv_files`] marks dropped scores in a column of their own).
    pub fn text(&self) -> String {
        match self {
            Value::Text(t) => t.clone(),
            Value::Number(f, d) | Value::Dropped(f, d) => f.format(*d),
            Value::Empty => String::new(),
        }
    }
}

/// A result-table cell as an exported value (numbers stay numbers).
fn value(c: &super::result_table::Cell) -> Value {
    match (c.number, c.mark) {
        (Some((n, d)), Mark::Dropped) => Value::Dropped(n, d),
        (Some((n, d)), _) => Value::Number(n, d),
        (None, _) => text(c.text.clone()),
    }
}

fn text(s: impl Into<String>) -> Value {
    let s = s.into();
    if s.is_empty() {
        Value::Empty
    } else {
        Value::Text(s)
    }
}

/// A named table.
#[derive(Clone, Debug, PartialEq)]
pub struct PlainTable {
    /// Sheet name / file name, e.g. "E05 课堂教学".
    pub name: String,
    pub header: Vec<String>,
    pub rows: Vec<Vec<Value>>,
}

/// Every table: one per event, the overall table, the award list.
pub fn all_tables(data: &ReportData, awards: &[Award]) -> Vec<PlainTable> {
    let mut out = Vec::new();
    for er in &data.results.events {
        let Some(ev) = data.setup.events.iter().find(|e| e.code == er.code) else {
            continue;
        };
        let panel: Vec<String> = data
            .panel(&er.code)
            .into_iter()
            .map(|j| j.id.clone())
            .collect();
        let judges = judge_ids(&panel, er);
        let entries: Vec<&crate::scoring::EventEntry> =
            er.groups.iter().flat_map(|g| g.entries.iter()).collect();
        let table = event_table(ev, er, &judges, &entries, crate::i18n::Lang::Zh).select(&[
            Kind::Group,
            Kind::Rank,
            Kind::Id,
            Kind::Name,
            Kind::School,
            Kind::Judge(String::new()),
            Kind::Panel,
            Kind::Penalty,
            Kind::Final,
            Kind::Award,
            Kind::Note,
        ]);
        let header: Vec<String> = table
            .columns
            .iter()
            .map(|c| match &c.kind {
                Kind::Judge(j) => {
                    let name = data
                        .judges
                        .iter()
                        .find(|x| x.id == *j)
                        .map(|x| x.name.as_str())
                        .unwrap_or("");
                    format!("{j} {name}").trim().to_string()
                }
                _ => c.title.clone(),
            })
            .collect();
        let rows: Vec<Vec<Value>> = table
            .rows
            .iter()
            .map(|r| r.cells.iter().map(value).collect())
            .collect();
        out.push(PlainTable {
            name: format!("{} {}", er.code, er.name),
            header,
            rows,
        });
    }

    let d = data.results.overall.decimals;
    let entries: Vec<&crate::scoring::OverallEntry> = data
        .results
        .overall
        .groups
        .iter()
        .flat_map(|g| g.entries.iter())
        .collect();
    let table =
        super::result_table::overall_table(&data.setup.events, d, &entries, crate::i18n::Lang::Zh);
    let table = table.select(
        &[
            vec![Kind::Group, Kind::Rank, Kind::Id, Kind::Name, Kind::School],
            data.setup
                .events
                .iter()
                .map(|e| Kind::EventScore(e.code.clone()))
                .collect(),
            vec![Kind::Total, Kind::Award, Kind::Note],
        ]
        .concat(),
    );
    let header: Vec<String> = table.columns.iter().map(|c| c.title.clone()).collect();
    let rows: Vec<Vec<Value>> = table
        .rows
        .iter()
        .map(|r| r.cells.iter().map(value).collect())
        .collect();
    out.push(PlainTable {
        name: "综合成绩".into(),
        header,
        rows,
    });

    let header = [
        "项目",
        "序号",
        "编号",
        "姓名",
        "性别",
        "学段学科",
        "单位",
        "获奖等次",
        "证书编号",
    ]
    .map(String::from)
    .to_vec();
    let mut rows = Vec::new();
    let mut n = 0;
    let mut last = usize::MAX;
    for a in awards {
        if a.event_order != last {
            n = 0;
            last = a.event_order;
        }
        n += 1;
        rows.push(vec![
            text(&a.event_name),
            Value::Number(Fixed::from_int(n), 0),
            text(&a.contestant.id),
            text(&a.contestant.name),
            text(a.contestant.gender.as_str()),
            text(&a.group),
            text(&a.contestant.school),
            text(&a.award),
            text(&a.serial),
        ]);
    }
    out.push(PlainTable {
        name: "公示名单".into(),
        header,
        rows,
    });
    out
}

/// A sheet or file name without the characters Excel and file systems refuse, ≤ 31 characters.
pub fn safe_name(name: &str) -> String {
    let cleaned: String = name
        .chars()
        .map(|c| {
            if "[]:*?/\\<>|\"".contains(c) || c.is_control() {
                '_'
            } else {
                c
            }
        })
        .collect();
    let cleaned = cleaned.trim().trim_matches('\'').to_string();
    cleaned.chars().take(31).collect()
}

fn xlsx_err(e: XlsxError) -> ReportError {
    ReportError::Xlsx(e.to_string())
}

/// The workbook bytes.
pub fn xlsx(tables: &[PlainTable]) -> Result<Vec<u8>, ReportError> {
    let mut wb = Workbook::new();
    let header_fmt = Format::new()
        .set_bold()
        .set_background_color(XlsxColor::RGB(0xE4E4E4))
        .set_align(FormatAlign::Center);
    let mut used: Vec<String> = Vec::new();
    for t in tables {
        let ws = wb.add_worksheet();
        let mut name = safe_name(&t.name);
        let mut k = 2;
        while used.contains(&name) {
            name = format!(
                "{}{k}",
                safe_name(&t.name).chars().take(29).collect::<String>()
            );
            k += 1;
        }
        used.push(name.clone());
        ws.set_name(&name).map_err(xlsx_err)?;
        for (c, h) in t.header.iter().enumerate() {
            ws.write_string_with_format(0, c as u16, h, &header_fmt)
                .map_err(xlsx_err)?;
        }
        for (r, row) in t.rows.iter().enumerate() {
            let r = r as u32 + 1;
            for (c, v) in row.iter().enumerate() {
                let c = c as u16;
                match v {
                    Value::Text(s) => {
                        ws.write_string(r, c, s).map_err(xlsx_err)?;
                    }
                    Value::Number(f, d) => {
                        ws.write_number_with_format(r, c, f.to_f64(), &number_format(*d, false))
                            .map_err(xlsx_err)?;
                    }
                    Value::Dropped(f, d) => {
                        ws.write_number_with_format(r, c, f.to_f64(), &number_format(*d, true))
                            .map_err(xlsx_err)?;
                    }
                    Value::Empty => {}
                }
            }
        }
        ws.set_freeze_panes(1, 0).map_err(xlsx_err)?;
        // Widths that count a Chinese character as two Latin ones (Excel's autofit and
        // rust_xlsxwriter's count characters, which clips 单位 to "吕梁市第一小").
        for (c, w) in column_widths(t).into_iter().enumerate() {
            ws.set_column_width(c as u16, w).map_err(xlsx_err)?;
        }
        let last_col = t.header.len().saturating_sub(1) as u16;
        ws.autofilter(0, 0, t.rows.len() as u32, last_col)
            .map_err(xlsx_err)?;
        // Printed as it should be: A4 landscape, one page wide, the header on every page.
        ws.set_paper_size(9);
        ws.set_landscape();
        ws.set_print_fit_to_pages(1, 0);
        ws.set_repeat_rows(0, 0).map_err(xlsx_err)?;
    }
    wb.save_to_buffer().map_err(xlsx_err)
}

/// How wide text shows in a spreadsheet cell, in Excel's character units: East Asian wide
/// characters (汉字, full-width forms) count two.
pub fn display_width(text: &str) -> usize {
    text.chars()
        .map(|c| {
            let u = c as u32;
            let wide = (0x1100..=0x115F).contains(&u)
                || (0x2E80..=0xA4CF).contains(&u)
                || (0xAC00..=0xD7A3).contains(&u)
                || (0xF900..=0xFAFF).contains(&u)
                || (0xFE30..=0xFE4F).contains(&u)
                || (0xFF00..=0xFF60).contains(&u)
                || (0xFFE0..=0xFFE6).contains(&u)
                || (0x20000..=0x3FFFD).contains(&u);
            if wide { 2 } else { 1 }
        })
        .sum()
}

/// Each column's width: its widest cell (header included, with room for the filter button),
/// plus padding, at most 60.
fn column_widths(t: &PlainTable) -> Vec<f64> {
    t.header
        .iter()
        .enumerate()
        .map(|(c, h)| {
            let cells = t.rows.iter().filter_map(|r| r.get(c)).map(|v| match v {
                Value::Text(s) => display_width(s),
                Value::Number(f, d) | Value::Dropped(f, d) => f.format(*d).len(),
                Value::Empty => 0,
            });
            let widest = cells.fold(display_width(h) + 3, usize::max);
            (widest + 2).min(60) as f64
        })
        .collect()
}

fn number_format(decimals: u32, dropped: bool) -> Format {
    let pattern = if decimals == 0 {
        "0".to_string()
    } else {
        format!("0.{}", "0".repeat(decimals as usize))
    };
    let f = Format::new().set_num_format(pattern);
    if dropped {
        f.set_font_strikethrough()
            .set_font_color(XlsxColor::RGB(0x808080))
    } else {
        f
    }
}

/// The CSV column that marks dropped scores (by their columns' titles).
pub const DROPPED_COLUMN: &str = "去掉的评分";

/// The titles of the columns whose value was dropped, e.g. "PW031 PW035".
pub fn dropped_titles(header: &[String], dropped: impl Iterator<Item = bool>) -> String {
    header
        .iter()
        .zip(dropped)
        .filter(|(_, d)| *d)
        .map(|(h, _)| h.as_str())
        .collect::<Vec<_>>()
        .join(" ")
}

/// One CSV text per table: (file name, contents).
pub fn csv_files(tables: &[PlainTable]) -> Vec<(String, String)> {
    let mut used: Vec<String> = Vec::new();
    tables
        .iter()
        .map(|t| {
            let mut name = safe_name(&t.name);
            let base = name.clone();
            let mut k = 2;
            while used.contains(&name) {
                name = format!("{base}-{k}");
                k += 1;
            }
            used.push(name.clone());
            let mut header: Vec<&str> = t.header.iter().map(String::as_str).collect();
            let mut rows: Vec<Vec<String>> = t
                .rows
                .iter()
                .map(|r| r.iter().map(Value::text).collect())
                .collect();
            // Dropped scores: a column naming whose scores were dropped (the scores themselves
            // stay plain numbers).
            if t.rows
                .iter()
                .flatten()
                .any(|v| matches!(v, Value::Dropped(..)))
            {
                header.push(DROPPED_COLUMN);
                for (row, values) in rows.iter_mut().zip(&t.rows) {
                    row.push(dropped_titles(
                        &t.header,
                        values.iter().map(|v| matches!(v, Value::Dropped(..))),
                    ));
                }
            }
            (format!("{name}.csv"), csv(&header, &rows))
        })
        .collect()
}
