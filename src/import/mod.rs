//! Roster and score imports (CSV in UTF-8/GBK, XLSX), validated whole before anything is written.
//!
//! Every import reads the file into a [`Table`] (header located, rows numbered as the
//! spreadsheet numbers them), then checks **every** row and either returns everything or, if any
//! row is bad, [`ImportError::Rows`] listing each problem as `row N: reason` — nothing is
//! half-imported.
//!
//! - [`parse_contestants`] — 选手名单 (编号, 姓名, 性别, 学段, 学科, 工作单位, 县（市、区）, 联系电话)
//! - [`parse_judges`] — 评委名单 (评委编号, 姓名, 工作单位, 县（市、区）, 评审项目)
//! - [`parse_scores`] — 成绩 (项目, 选手编号, 评委编号, 分数 and/or one column per criterion)

mod contestants;
mod csv;
mod judges;
pub mod reasons;
mod scores;
mod table;
#[cfg(test)]
mod test_support;
mod xlsx;

use std::fmt;

pub use contestants::parse_contestants;
pub use judges::parse_judges;
pub use scores::{ScoreContext, ScoreRow, parse_scores};
pub use table::{Table, TableRow};
pub(crate) use table::{ascii_digits, text_problem};

/// One problem with one row of an imported file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RowError {
    /// The spreadsheet's 1-based row number (the header row has its own number).
    pub row: usize,
    pub reason: String,
}

impl RowError {
    pub(crate) fn new(row: usize, reason: impl Into<String>) -> Self {
        RowError {
            row,
            reason: reason.into(),
        }
    }
}

/// "第 3 行：编号重复：JS20250001" or "row 3: duplicate 编号 JS20250001", in the language set for
/// this thread ([`crate::i18n::set_message_lang`]).
impl fmt::Display for RowError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match crate::i18n::message_lang() {
            crate::i18n::Lang::Zh => write!(f, "第 {} 行：{}", self.row, reasons::zh(&self.reason)),
            crate::i18n::Lang::En => write!(f, "row {}: {}", self.row, self.reason),
        }
    }
}

/// Every bad row of a refused import, and the warnings found on the way.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ImportReport {
    /// In row order; a row with several problems has several entries.
    pub errors: Vec<RowError>,
    pub warnings: Vec<RowError>,
}

impl fmt::Display for ImportReport {
    /// One line per error, `row N: reason`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, e) in self.errors.iter().enumerate() {
            if i > 0 {
                writeln!(f)?;
            }
            write!(f, "{e}")?;
        }
        Ok(())
    }
}

/// Why an import was refused. Nothing has been imported when this is returned.
#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    /// The file cannot be read or decoded at all; the message says what and what to do.
    #[error("{0}")]
    Unreadable(String),
    /// One or more rows are bad.
    #[error("{n} 处错误，未导入任何数据 ({n} errors; nothing was imported):\n{0}", n = .0.errors.len())]
    Rows(ImportReport),
    /// No header row with the required columns; the message names the missing columns.
    #[error("{0}")]
    NoHeader(String),
}

/// Ends a validation pass: `Ok` with the warnings when there are no errors, otherwise
/// [`ImportError::Rows`] with everything found.
pub(crate) fn finish<T>(
    value: T,
    mut errors: Vec<RowError>,
    warnings: Vec<RowError>,
) -> Result<(T, Vec<RowError>), ImportError> {
    if errors.is_empty() {
        Ok((value, warnings))
    } else {
        // Stable: the problems of one row keep the order they were found in.
        errors.sort_by_key(|e| e.row);
        Err(ImportError::Rows(ImportReport { errors, warnings }))
    }
}

/// Reads a file and locates the header of a roster, a judge list or a score file (the first of
/// the top rows that has all the required columns of one of them).
pub fn read_table(bytes: &[u8], file_name: &str) -> Result<Table, ImportError> {
    let rows = table::read_rows(bytes, file_name)?;
    let kinds: [&[table::Column]; 3] = [contestants::COLUMNS, judges::COLUMNS, scores::COLUMNS];
    let found = rows.iter().take(table::HEADER_SEARCH_ROWS).position(|r| {
        kinds
            .iter()
            .any(|cols| table::missing(cols, &r.cells).is_empty())
    });
    match found {
        Some(i) => Ok(table::split_at_header(rows, i)),
        None => Err(ImportError::NoHeader(
            "前 10 行中找不到表头 (no header row in the first 10 rows): expected the columns of a \
             roster (编号, 姓名, 性别, 学段, 学科, 工作单位), a judge list (评委编号, 姓名, 工作单位) \
             or a score file (项目, 选手编号, 评委编号)"
                .to_string(),
        )),
    }
}
