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
    if format == Workbook::Xlsx {
        check_inflated_size(bytes)?;
    }
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

/// The most a workbook's parts may inflate to, all together. A roster of 2,000 rows is a few
/// MB inflated; a small file that inflates to hundreds of MB (a "zip bomb") is refused before
/// anything is read into memory.
pub(crate) const MAX_INFLATED: u64 = 64 * 1024 * 1024;

/// Inflates every part of the workbook into nothing, counting the bytes (not trusting the
/// sizes the archive declares), and stops at [`MAX_INFLATED`]. An archive the zip reader cannot
/// open is left to calamine, which says what is wrong with it.
fn check_inflated_size(bytes: &[u8]) -> Result<(), ImportError> {
    let Ok(mut archive) = zip::ZipArchive::new(Cursor::new(bytes)) else {
        return Ok(());
    };
    let too_big = || {
        ImportError::Unreadable(format!(
            "这个工作簿解压后超过 {} MB，不像是名单，未导入 (the workbook inflates to more than {} MB; not imported)",
            MAX_INFLATED / (1024 * 1024),
            MAX_INFLATED / (1024 * 1024)
        ))
    };
    let mut total = 0u64;
    for i in 0..archive.len() {
        let Ok(mut part) = archive.by_index(i) else {
            return Ok(());
        };
        let left = MAX_INFLATED - total;
        if part.size() > left {
            return Err(too_big());
        }
        let n = std::io::copy(&mut (&mut part).take(left + 1), &mut std::io::sink()).unwrap_or(0);
        total += n;
        if total > MAX_INFLATED {
            return Err(too_big());
        }
    }
    Ok(())
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
    fn a_workbook_that_inflates_past_the_cap_is_refused_before_reading() {
        use std::io::Write;
        let mut bytes = Vec::new();
        {
            let mut w = zip::ZipWriter::new(Cursor::new(&mut bytes));
            let opts = zip::write::SimpleFileOptions::default()
                .compression_method(zip::CompressionMethod::Deflated);
            w.start_file("xl/worksheets/sheet1.xml", opts)
                .expect("part");
            let zeros = vec![b' '; 1024 * 1024];
            for _ in 0..(MAX_INFLATED / (1024 * 1024) + 2) {
                w.write_all(&zeros).expect("write");
            }
            w.finish().expect("finish");
        }
        assert!(
            bytes.len() < 1024 * 1024,
            "a small file: {} bytes",
            bytes.len()
        );
        match read(&bytes, Workbook::Xlsx) {
            Err(ImportError::Unreadable(msg)) => assert!(msg.contains("MB"), "{msg}"),
            other => panic!("{other:?}"),
        }
    }

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
