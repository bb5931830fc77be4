//! Excel workbooks (XLSX, and old XLS) through calamine: the first worksheet's cells as text,
//! numbered by the spreadsheet's own 1-based rows.

use std::fmt;
use std::io::{Cursor, Read, Seek};

use calamine::{Data, Range, Reader, Xls, Xlsx};

use super::ImportError;

/// Which workbook format the bytes are.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Workbook {
    Xlsx,
    Xls,
}

/// The first worksheet as `(row number, cells)`, cells converted to text (not yet trimmed).
pub(crate) fn read(
    bytes: &[u8],
    format: Workbook,
) -> Result<Vec<(usize, Vec<String>)>, ImportError> {
    let cursor = Cursor::new(bytes);
    let range = match format {
        Workbook::Xlsx => first_sheet::<_, Xlsx<_>>(calamine::open_workbook_from_rs(cursor))?,
        Workbook::Xls => first_sheet::<_, Xls<_>>(calamine::open_workbook_from_rs(cursor))?,
    };
    let Some((first_row, _)) = range.start() else {
        return Ok(Vec::new());
    };
    let first_row = first_row as usize;
    Ok(range
        .rows()
        .enumerate()
        .map(|(i, cells)| (first_row + i + 1, cells.iter().map(cell_text).collect()))
        .collect())
}

fn first_sheet<RS, R>(opened: Result<R, R::Error>) -> Result<Range<Data>, ImportError>
where
    RS: Read + Seek,
    R: Reader<RS>,
    R::Error: fmt::Display,
{
    let unreadable = |e: &dyn fmt::Display| {
        ImportError::Unreadable(format!(
            "无法读取 Excel 文件，请用 Excel 另存为 .xlsx 后重试 (cannot read the Excel file: {e}; save it again as .xlsx)"
        ))
    };
    let mut book = opened.map_err(|e| unreadable(&e))?;
    match book.worksheet_range_at(0) {
        Some(Ok(range)) => Ok(range),
        Some(Err(e)) => Err(unreadable(&e)),
        None => Err(ImportError::Unreadable(
            "工作簿中没有工作表 (the workbook has no worksheet)".to_string(),
        )),
    }
}

/// A cell as the user sees it: whole numbers without ".0" (a 编号 or phone stored as a number),
/// other numbers to Excel's 15 significant digits (so 85.30000000000001 from a formula is 85.3).
pub(crate) fn cell_text(cell: &Data) -> String {
    match cell {
        Data::Empty => String::new(),
        Data::String(s) => s.clone(),
        Data::Int(i) => i.to_string(),
        Data::Float(f) => float_text(*f),
        Data::Bool(b) => if *b { "TRUE" } else { "FALSE" }.to_string(),
        Data::DateTime(d) => float_text(d.as_f64()),
        Data::DateTimeIso(s) | Data::DurationIso(s) => s.clone(),
        Data::Error(e) => e.to_string(),
    }
}

fn float_text(f: f64) -> String {
    if !f.is_finite() {
        return f.to_string();
    }
    if f.fract() == 0.0 && f.abs() < 1e15 {
        return format!("{}", f as i64);
    }
    let magnitude = if f == 0.0 {
        0
    } else {
        f.abs().log10().floor() as i32
    };
    let decimals = (14 - magnitude).clamp(0, 30) as usize;
    let text = format!("{f:.decimals$}");
    if text.contains('.') {
        text.trim_end_matches('0').trim_end_matches('.').to_string()
    } else {
        text
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_read_as_people_see_them() {
        assert_eq!(cell_text(&Data::Float(13800138000.0)), "13800138000");
        assert_eq!(cell_text(&Data::Float(20250001.0)), "20250001");
        assert_eq!(cell_text(&Data::Int(7)), "7");
        assert_eq!(cell_text(&Data::Float(85.5)), "85.5");
        assert_eq!(cell_text(&Data::Float(85.3 + 1e-14)), "85.3");
        assert_eq!(cell_text(&Data::Float(0.1 + 0.2)), "0.3");
        assert_eq!(cell_text(&Data::Float(-2.0)), "-2");
        assert_eq!(cell_text(&Data::Float(0.0)), "0");
        assert_eq!(cell_text(&Data::Empty), "");
        assert_eq!(cell_text(&Data::String("金𬭎".into())), "金𬭎");
    }

    #[test]
    fn garbage_is_unreadable_not_a_panic() {
        let r = read(b"PK\x03\x04 not really a zip", Workbook::Xlsx);
        assert!(matches!(r, Err(ImportError::Unreadable(_))), "{r:?}");
        let r = read(b"\xD0\xCF\x11\xE0 nope", Workbook::Xls);
        assert!(matches!(r, Err(ImportError::Unreadable(_))), "{r:?}");
    }
}
