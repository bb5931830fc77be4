//! A file as a table: format detection (CSV or Excel), cell cleanup, locating the header row and
//! mapping the columns an import needs.

use super::xlsx::{self, Workbook};
use super::{ImportError, ImportReport, RowError, csv};

/// How many non-empty rows from the top are searched for the header (a title row may sit above).
pub(super) const HEADER_SEARCH_ROWS: usize = 10;

/// A table read from CSV or XLSX: header row located, rows with spreadsheet row numbers (the
/// header is its own row number; the first data row comes after it).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Table {
    /// 1-based row number of the header row.
    pub header_row: usize,
    /// The header's cells, cleaned.
    pub header: Vec<String>,
    /// Rows below the header, cleaned; completely empty rows are left out (numbers are kept).
    pub rows: Vec<TableRow>,
}

/// One non-empty row of a file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TableRow {
    /// The spreadsheet's 1-based row number (for CSV: the record number, header = 1).
    pub row: usize,
    /// Cells with surrounding spaces removed; a CSV row may have fewer cells than the header.
    pub cells: Vec<String>,
}

impl TableRow {
    /// The cell in column `index`, or `""` past the end of a short row.
    pub fn cell(&self, index: usize) -> &str {
        self.cells.get(index).map_or("", String::as_str)
    }
}

/// Reads a file and locates the first of the top rows that has every required column of
/// `columns`; returns the table and, per column of `columns`, its index in the header.
pub(crate) fn read_with(
    bytes: &[u8],
    file_name: &str,
    columns: &[Column],
) -> Result<(Table, Vec<Option<usize>>), ImportError> {
    let rows = read_rows(bytes, file_name)?;
    let top = rows.iter().take(HEADER_SEARCH_ROWS);
    if let Some(i) = top
        .clone()
        .position(|r| missing(columns, &r.cells).is_empty())
    {
        let table = split_at_header(rows, i);
        let indices = columns.iter().map(|c| c.find(&table.header)).collect();
        return Ok((table, indices));
    }
    // Name what the closest row lacks (or everything, if no row has any required column).
    let closest = top
        .map(|r| missing(columns, &r.cells))
        .min_by_key(Vec::len)
        .unwrap_or_else(|| {
            columns
                .iter()
                .filter(|c| c.required)
                .map(|c| c.name)
                .collect()
        });
    Err(ImportError::NoHeader(format!(
        "找不到表头，缺少列：{} (no header row with the required columns in the first 10 rows; \
         missing: {})",
        closest.join("、"),
        closest.join(", ")
    )))
}

pub(super) fn split_at_header(mut rows: Vec<TableRow>, index: usize) -> Table {
    let data = rows.split_off(index + 1);
    let header = rows.pop().unwrap_or(TableRow {
        row: 1,
        cells: Vec::new(),
    });
    Table {
        header_row: header.row,
        header: header.cells,
        rows: data,
    }
}

/// All non-empty rows of a file, cleaned and numbered.
pub(super) fn read_rows(bytes: &[u8], file_name: &str) -> Result<Vec<TableRow>, ImportError> {
    let raw: Vec<(usize, Vec<String>)> = match detect(bytes, file_name) {
        Format::Csv => {
            let text = csv::decode(bytes)?;
            let records = csv::parse(&text).map_err(|e| {
                ImportError::Rows(ImportReport {
                    errors: vec![RowError::new(
                        e.row,
                        "引号未闭合 (a quoted field is never closed)",
                    )],
                    warnings: Vec::new(),
                })
            })?;
            records
                .into_iter()
                .enumerate()
                .map(|(i, cells)| (i + 1, cells))
                .collect()
        }
        Format::Excel(kind) => xlsx::read(bytes, kind)?,
    };
    Ok(raw
        .into_iter()
        .map(|(row, cells)| TableRow {
            row,
            cells: cells.iter().map(|c| clean(c).to_string()).collect(),
        })
        .filter(|r| r.cells.iter().any(|c| !c.is_empty()))
        .collect())
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Format {
    Csv,
    Excel(Workbook),
}

/// The content decides (a zip is XLSX, an OLE compound file is XLS), then the extension;
/// anything else is read as CSV.
fn detect(bytes: &[u8], file_name: &str) -> Format {
    if bytes.starts_with(b"PK\x03\x04") {
        return Format::Excel(Workbook::Xlsx);
    }
    if bytes.starts_with(b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1") {
        return Format::Excel(Workbook::Xls);
    }
    let ext = file_name
        .rsplit_once('.')
        .map(|(_, e)| e.to_ascii_lowercase())
        .unwrap_or_default();
    match ext.as_str() {
        "xlsx" | "xlsm" => Format::Excel(Workbook::Xlsx),
        "xls" => Format::Excel(Workbook::Xls),
        _ => Format::Csv,
    }
}

/// Trims ASCII whitespace, the ideographic space U+3000, NBSP and a stray BOM at both ends;
/// nothing inside the text changes.
pub(crate) fn clean(s: &str) -> &str {
    s.trim_matches(|c: char| {
        c.is_ascii_whitespace() || matches!(c, '\u{3000}' | '\u{A0}' | '\u{FEFF}')
    })
}

/// For 编号, phone and score cells: full-width digits ０-９ and '－' '＋' become ASCII.
pub(crate) fn ascii_digits(s: &str) -> String {
    // Full-width ASCII (Ｘ０００１, as Chinese input methods type it) as ASCII, so Ｘ0001 and
    // X0001 are the same id.
    s.chars()
        .map(|c| match c {
            '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFF01 + 0x21).unwrap_or(c),
            other => other,
        })
        .collect()
}

/// Why a text cell is refused: too long, or holding control or bidi-override characters.
pub(crate) fn text_problem(label: &str, value: &str, max_chars: usize) -> Option<String> {
    let n = value.chars().count();
    if n > max_chars {
        return Some(format!(
            "{label} is {n} characters long (at most {max_chars})"
        ));
    }
    let bad = value.chars().find(|c| {
        c.is_control() || matches!(*c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{200E}' | '\u{200F}')
    });
    bad.map(|c| {
        format!(
            "{label} contains the invisible character U+{:04X}",
            c as u32
        )
    })
}

/// A header as compared: no spaces anywhere ("姓  名"), no leading '*' (required-field marks),
/// ASCII parentheses as full-width ones, ASCII letters lower-case.
pub(crate) fn header_key(s: &str) -> String {
    clean(s)
        .trim_start_matches(['*', '＊'])
        .chars()
        .filter(|c| !c.is_whitespace())
        .map(|c| match c {
            '(' => '（',
            ')' => '）',
            c => c.to_ascii_lowercase(),
        })
        .collect()
}

/// A column an import understands: its Chinese name and the headers accepted for it.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Column {
    /// Shown in messages.
    pub name: &'static str,
    /// Accepted headers (compared with [`header_key`]); the name itself is always accepted.
    pub aliases: &'static [&'static str],
    pub required: bool,
}

impl Column {
    pub(crate) fn matches(&self, header: &str) -> bool {
        let key = header_key(header);
        !key.is_empty()
            && (key == header_key(self.name) || self.aliases.iter().any(|a| header_key(a) == key))
    }

    /// Index of the first header cell naming this column.
    pub(crate) fn find(&self, header: &[String]) -> Option<usize> {
        header.iter().position(|h| self.matches(h))
    }
}

/// Names of the required columns that `header` lacks.
pub(super) fn missing(columns: &[Column], header: &[String]) -> Vec<&'static str> {
    columns
        .iter()
        .filter(|c| c.required && c.find(header).is_none())
        .map(|c| c.name)
        .collect()
}

/// Warnings for header cells no column of the import uses (they are ignored).
pub(crate) fn unused_columns(
    table: &Table,
    indices: &[Option<usize>],
    also_used: &[usize],
) -> Vec<RowError> {
    table
        .header
        .iter()
        .enumerate()
        .filter(|(i, h)| !h.is_empty() && !indices.contains(&Some(*i)) && !also_used.contains(i))
        .map(|(_, h)| RowError::new(table.header_row, format!("column {h} is ignored")))
        .collect()
}

/// Whether a row is too short to hold every required column (a CSV row cut short).
pub(crate) fn lacks_required(
    row: &TableRow,
    columns: &[Column],
    indices: &[Option<usize>],
) -> bool {
    columns
        .iter()
        .zip(indices)
        .any(|(c, i)| c.required && i.is_some_and(|i| i >= row.cells.len()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cleanup_trims_only_the_ends() {
        assert_eq!(clean("  吴苑　"), "吴苑");
        assert_eq!(clean("\u{A0}阿依古丽·买买提\t"), "阿依古丽·买买提");
        assert_eq!(clean("王 芳"), "王 芳");
        assert_eq!(ascii_digits("１３８－００"), "138-00");
        assert_eq!(header_key(" 县(市、区) "), header_key("县（市、区）"));
        assert_eq!(header_key("姓　　名"), "姓名");
        assert_eq!(header_key("*Name"), "name");
    }

    #[test]
    fn format_by_content_then_extension() {
        assert_eq!(
            detect(b"PK\x03\x04rest", "a.csv"),
            Format::Excel(Workbook::Xlsx)
        );
        assert_eq!(detect(b"a,b", "A.XLSX"), Format::Excel(Workbook::Xlsx));
        assert_eq!(detect(b"a,b", "roster.xls"), Format::Excel(Workbook::Xls));
        assert_eq!(detect(b"a,b", "roster.csv"), Format::Csv);
        assert_eq!(detect(b"a,b", "roster"), Format::Csv);
    }

    #[test]
    fn header_below_a_title_and_numbers_kept() {
        let csv =
            "吕梁市第二届名单\n\n编号,姓名,性别,学段,学科,工作单位\n\nJS1,王芳,女,小学,语文,一中\n";
        let t = super::super::read_table(csv.as_bytes(), "r.csv").expect("table");
        assert_eq!(t.header_row, 3);
        assert_eq!(t.rows.len(), 1);
        assert_eq!(t.rows[0].row, 5);
        assert_eq!(t.rows[0].cell(1), "王芳");
        assert_eq!(t.rows[0].cell(20), "");
    }

    #[test]
    fn no_header_names_the_missing_columns() {
        let csv = "编号,姓名,性别,学科\nJS1,王芳,女,语文\n";
        match read_with(csv.as_bytes(), "r.csv", super::super::contestants::COLUMNS) {
            Err(ImportError::NoHeader(msg)) => {
                assert!(msg.contains("学段") && msg.contains("工作单位"), "{msg}");
                assert!(!msg.contains("姓名"), "{msg}");
            }
            other => panic!("expected NoHeader, got {other:?}"),
        }
        assert!(matches!(
            super::super::read_table(b"a,b\n1,2\n", "x.csv"),
            Err(ImportError::NoHeader(_))
        ));
    }

    #[test]
    fn unclosed_quote_is_a_row_error() {
        match super::super::read_table(b"a,b\n1,\"2\n", "x.csv") {
            Err(ImportError::Rows(report)) => assert_eq!(report.errors[0].row, 2),
            other => panic!("expected Rows, got {other:?}"),
        }
    }
}
