//! CSV: decoding (UTF-8 with or without BOM, GBK/GB18030 as Chinese Excel writes it, UTF-16
//! with a BOM as Excel's "Unicode text" writes it) and records read with the `csv` crate.
//!
//! Quoted fields with separators, doubled quotes and line breaks inside them, CRLF / LF / CR
//! line ends and a missing or present final line end are the crate's. Here: the separator (a
//! comma, or a tab when the first line with either has a tab and no comma), empty lines kept as
//! rows so row numbers match the spreadsheet, and a quote never closed reported with its row.

use super::ImportError;

const UNREADABLE: &str = "无法识别文件编码，请另存为 UTF-8 或 GBK 的 CSV (cannot detect the encoding; save as CSV UTF-8 or GBK)";

/// Decodes the bytes of a CSV file to text.
pub(crate) fn decode(bytes: &[u8]) -> Result<String, ImportError> {
    if let Some(rest) = bytes.strip_prefix(b"\xEF\xBB\xBF") {
        return std::str::from_utf8(rest)
            .map(str::to_string)
            .map_err(|_| ImportError::Unreadable(UNREADABLE.to_string()));
    }
    for (bom, encoding) in [
        (&b"\xFF\xFE"[..], encoding_rs::UTF_16LE),
        (&b"\xFE\xFF"[..], encoding_rs::UTF_16BE),
    ] {
        if let Some(rest) = bytes.strip_prefix(bom) {
            let (text, had_errors) = encoding.decode_without_bom_handling(rest);
            if had_errors {
                return Err(ImportError::Unreadable(UNREADABLE.to_string()));
            }
            return Ok(text.into_owned());
        }
    }
    if let Ok(text) = std::str::from_utf8(bytes) {
        return Ok(text.to_string());
    }
    let (text, had_errors) = encoding_rs::GB18030.decode_without_bom_handling(bytes);
    if had_errors {
        return Err(ImportError::Unreadable(UNREADABLE.to_string()));
    }
    if let Some(row) = misdecoded_row(&text) {
        return Err(ImportError::Unreadable(format!(
            "第 {row} 行的文字解码后不像中文姓名和单位，这个文件看起来是繁体 Big5 或日文 Shift-JIS 编码。请在 Excel/WPS 中另存为“CSV UTF-8”后再导入 (this looks like Big5/Shift-JIS; save it as UTF-8)"
        )));
    }
    Ok(text.into_owned())
}

/// Big5 and Shift-JIS bytes also decode as GB18030, into the wrong characters (陳國華 →
/// 朝瓣地). What gives them away: Big5's common characters land in GBK's user-defined areas
/// (private-use code points), and Shift-JIS kana and kanji in GBK's rare-character areas
/// (outside GB2312, which holds nearly every character of real names and units). Returns the
/// first row (1-based) that shows it: a private-use character, or — when more than a fifth of
/// the file's Chinese characters come from those rare areas — the first row holding one.
/// Rare but real characters written as four GB18030 bytes (𬭎 䶮 𱍐) do not count.
fn misdecoded_row(text: &str) -> Option<usize> {
    let mut cjk = 0usize;
    let mut rare = 0usize;
    let mut first_rare = None;
    for (i, line) in text.lines().enumerate() {
        for c in line.chars() {
            if ('\u{E000}'..='\u{F8FF}').contains(&c) {
                return Some(i + 1);
            }
            if !('\u{3400}'..='\u{9FFF}').contains(&c) {
                continue;
            }
            let mut buf = [0u8; 4];
            let (bytes, _, _) = encoding_rs::GB18030.encode(c.encode_utf8(&mut buf));
            if let [lead, trail] = bytes[..] {
                cjk += 1;
                let gb2312 = (0xB0..=0xF7).contains(&lead) && trail >= 0xA1;
                if !gb2312 {
                    rare += 1;
                    first_rare.get_or_insert(i + 1);
                }
            }
        }
    }
    if cjk >= 4 && rare * 5 > cjk {
        first_rare
    } else {
        None
    }
}

/// A quoted field that is never closed; `row` is the record it starts in (1-based).
#[derive(Debug, PartialEq, Eq)]
pub(crate) struct UnclosedQuote {
    pub row: usize,
}

/// Splits CSV text into records of fields (not trimmed), with the `csv` crate. Record `i` is
/// spreadsheet row `i + 1`: an empty line is a record with one empty field (the reader skips
/// them; they are put back so row numbers match what the user sees in Excel/WPS).
pub(crate) fn parse(text: &str) -> Result<Vec<Vec<String>>, UnclosedQuote> {
    // The first line with a separator decides (a title line above the header may have none).
    let first_line = text
        .split(['\n', '\r'])
        .find(|l| l.contains([',', '\t']))
        .unwrap_or("");
    let separator = if first_line.contains('\t') && !first_line.contains(',') {
        b'\t'
    } else {
        b','
    };
    let mut reader = ::csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(separator)
        .from_reader(text.as_bytes());
    let mut records: Vec<Vec<String>> = Vec::new();
    let mut record = ::csv::StringRecord::new();
    // Where the last record ended, and where it started.
    let mut end = 0usize;
    let mut last_start = 0usize;
    loop {
        match reader.read_record(&mut record) {
            Ok(true) => {}
            Ok(false) => break,
            Err(_) => {
                return Err(UnclosedQuote {
                    row: records.len() + 1,
                });
            }
        }
        // The reader counts the empty lines it skipped as the start of the record after them.
        let start = record
            .position()
            .and_then(|p| usize::try_from(p.byte()).ok())
            .unwrap_or(end);
        let rest = text.get(start..).unwrap_or("");
        let mut skipped = &rest[..rest.len() - rest.trim_start_matches(['\n', '\r']).len()];
        // The "\n" of the last record's CRLF is not an empty line.
        if start > 0 && text.as_bytes().get(start - 1) == Some(&b'\r') {
            skipped = skipped.strip_prefix('\n').unwrap_or(skipped);
        }
        for _ in 0..line_ends(skipped) {
            records.push(vec![String::new()]);
        }
        records.push(record.iter().map(str::to_string).collect());
        last_start = start;
        end = usize::try_from(reader.position().byte()).unwrap_or(text.len());
    }
    // A quoted field never closed runs to the end of the file: the last record then ends the
    // file with a line break inside its last field and no closing quote.
    if let Some(last) = records.last()
        && end >= text.len()
        && last.last().is_some_and(|f| f.contains(['\n', '\r']))
        && !text
            .get(last_start..)
            .unwrap_or("")
            .trim_end_matches(['\n', '\r'])
            .ends_with('"')
    {
        return Err(UnclosedQuote { row: records.len() });
    }
    Ok(records)
}

/// How many line ends (CRLF, LF or CR) `gap` holds: the empty lines before a record.
fn line_ends(gap: &str) -> usize {
    gap.replace("\r\n", "\n").matches(['\n', '\r']).count()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(text: &str) -> Vec<Vec<String>> {
        parse(text).expect("valid CSV")
    }

    fn rec(fields: &[&str]) -> Vec<String> {
        fields.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn plain_records_with_and_without_final_newline() {
        assert_eq!(p("a,b\nc,d\n"), vec![rec(&["a", "b"]), rec(&["c", "d"])]);
        assert_eq!(p("a,b\nc,d"), vec![rec(&["a", "b"]), rec(&["c", "d"])]);
        assert_eq!(p(""), Vec::<Vec<String>>::new());
        assert_eq!(p("a,,\n"), vec![rec(&["a", "", ""])]);
    }

    #[test]
    fn crlf_and_lone_cr_end_lines() {
        assert_eq!(
            p("a,b\r\nc,d\r\n"),
            vec![rec(&["a", "b"]), rec(&["c", "d"])]
        );
        assert_eq!(p("a\rb\r"), vec![rec(&["a"]), rec(&["b"])]);
    }

    #[test]
    fn empty_lines_keep_their_row_numbers() {
        let r = p("h\n\nx\n");
        assert_eq!(r, vec![rec(&["h"]), rec(&[""]), rec(&["x"])]);
        let r = p("h\r\n\r\n\r\nx\r\n");
        assert_eq!(r, vec![rec(&["h"]), rec(&[""]), rec(&[""]), rec(&["x"])]);
        let r = p("\nh,\"a\nb\"\n\nx");
        assert_eq!(
            r,
            vec![rec(&[""]), rec(&["h", "a\nb"]), rec(&[""]), rec(&["x"])]
        );
    }

    #[test]
    fn quoted_fields() {
        assert_eq!(
            p("\"a,b\",\"say \"\"hi\"\"\",c\n"),
            vec![rec(&["a,b", "say \"hi\"", "c"])]
        );
        assert_eq!(p("\"\"\n"), vec![rec(&[""])]);
        assert_eq!(p("\"\""), vec![rec(&[""])]);
        assert_eq!(p("x,\"\""), vec![rec(&["x", ""])]);
    }

    #[test]
    fn newlines_inside_quotes_stay_in_one_record() {
        let r = p("id,note\r\n1,\"line one\r\nline two\"\r\n2,x\r\n");
        assert_eq!(
            r,
            vec![
                rec(&["id", "note"]),
                rec(&["1", "line one\r\nline two"]),
                rec(&["2", "x"])
            ]
        );
    }

    #[test]
    fn stray_quotes_are_literal() {
        assert_eq!(p("a\"b,c\n"), vec![rec(&["a\"b", "c"])]);
        assert_eq!(p("\"a\"b,c\n"), vec![rec(&["ab", "c"])]);
        assert_eq!(p(" \"a\",c\n"), vec![rec(&[" \"a\"", "c"])]);
    }

    #[test]
    fn unclosed_quote_names_its_row() {
        assert_eq!(parse("a\nb\n\"c,d\n"), Err(UnclosedQuote { row: 3 }));
    }

    #[test]
    fn tab_separated_only_without_commas_in_the_first_line() {
        assert_eq!(
            p("a\tb\nc,d\te\n"),
            vec![rec(&["a", "b"]), rec(&["c,d", "e"])]
        );
        assert_eq!(p("a,b\tc\n"), vec![rec(&["a", "b\tc"])]);
        assert_eq!(p("名单\na\tb\n"), vec![rec(&["名单"]), rec(&["a", "b"])]);
    }

    #[test]
    fn decodes_utf8_bom_gbk_and_utf16() {
        assert_eq!(decode(b"\xEF\xBB\xBFa,b").ok().as_deref(), Some("a,b"));
        assert_eq!(decode("姓名".as_bytes()).ok().as_deref(), Some("姓名"));
        // 姓名 in GBK
        assert_eq!(decode(b"\xD0\xD5\xC3\xFB").ok().as_deref(), Some("姓名"));
        // 𬭎 in GB18030 (four bytes)
        let (gb, _, _) = encoding_rs::GB18030.encode("金𬭎");
        assert_eq!(decode(&gb).ok().as_deref(), Some("金𬭎"));
        assert_eq!(decode(b"\xFF\xFEa\0b\0").ok().as_deref(), Some("ab"));
        // Rare but real characters stay accepted.
        let (gb, _, _) = encoding_rs::GB18030.encode("编号,姓名\n1,王𬭎\n2,李䶮\n3,欧阳𱍐\n");
        assert!(decode(&gb).is_ok());
        // Big5 and Shift-JIS are refused with the row, not imported as wrong characters.
        for (encoding, text) in [
            (
                encoding_rs::BIG5,
                "編號,姓名,單位\n1,陳國華,臺北市立第一中學\n",
            ),
            (encoding_rs::BIG5, "編號,姓名\n1,陳國華\n2,張偉\n"),
            (
                encoding_rs::SHIFT_JIS,
                "番号,氏名,学校\n1,山田太郎,東京都立第一高等学校\n",
            ),
            (encoding_rs::SHIFT_JIS, "ばんごう,なまえ\n1,やまだ たろう\n"),
        ] {
            let (bytes, _, _) = encoding.encode(text);
            match decode(&bytes) {
                Err(ImportError::Unreadable(msg)) => {
                    assert!(msg.contains("Big5") && msg.contains("第 "), "{msg}")
                }
                other => panic!("{} {text}: {other:?}", encoding.name()),
            }
        }
        // Bytes that are neither UTF-8 nor GB18030.
        match decode(b"\x81\x20\x81") {
            Err(ImportError::Unreadable(msg)) => {
                assert!(msg.contains("UTF-8") && msg.contains("GBK"), "{msg}")
            }
            other => panic!("expected Unreadable, got {other:?}"),
        }
        // A BOM followed by bytes that are not UTF-8.
        assert!(matches!(
            decode(b"\xEF\xBB\xBF\xD0\xD5"),
            Err(ImportError::Unreadable(_))
        ));
    }
}
