//! CSV: decoding (UTF-8 with or without BOM, GBK/GB18030 as Chinese Excel writes it, UTF-16
//! with a BOM as Excel's "Unicode text" writes it) and an RFC 4180 parser.
//!
//! The parser handles quoted fields with separators, doubled quotes and line breaks inside
//! them, CRLF / LF / CR line ends and a missing or present final line end. The separator is a
//! comma, or a tab when the first line with either has a tab and no comma.

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
    Ok(text.into_owned())
}

/// A quoted field that is never closed; `row` is the record it starts in (1-based).
#[derive(Debug, PartialEq, Eq)]
pub(crate) struct UnclosedQuote {
    pub row: usize,
}

/// Splits CSV text into records of fields (not trimmed). Record `i` is spreadsheet row `i + 1`;
/// an empty line is a record with one empty field, a final line end adds no record.
pub(crate) fn parse(text: &str) -> Result<Vec<Vec<String>>, UnclosedQuote> {
    // The first line with a separator decides (a title line above the header may have none).
    let first_line = text
        .split(['\n', '\r'])
        .find(|l| l.contains([',', '\t']))
        .unwrap_or("");
    let separator = if first_line.contains('\t') && !first_line.contains(',') {
        '\t'
    } else {
        ','
    };

    let mut records: Vec<Vec<String>> = Vec::new();
    let mut record: Vec<String> = Vec::new();
    let mut field = String::new();
    let mut in_quotes = false;
    let mut at_field_start = true;
    // Whether anything of the current record has been read (so "" alone is still a record).
    let mut record_open = false;
    let mut chars = text.chars().peekable();

    while let Some(c) = chars.next() {
        record_open = true;
        if in_quotes {
            if c == '"' {
                if chars.peek() == Some(&'"') {
                    chars.next();
                    field.push('"');
                } else {
                    in_quotes = false;
                }
            } else {
                field.push(c);
            }
            continue;
        }
        match c {
            '"' if at_field_start => {
                in_quotes = true;
                at_field_start = false;
            }
            c if c == separator => {
                record.push(std::mem::take(&mut field));
                at_field_start = true;
            }
            '\r' | '\n' => {
                if c == '\r' && chars.peek() == Some(&'\n') {
                    chars.next();
                }
                record.push(std::mem::take(&mut field));
                records.push(std::mem::take(&mut record));
                at_field_start = true;
                record_open = false;
            }
            other => {
                // A quote inside an unquoted field, or text after a closing quote, is kept as is.
                field.push(other);
                at_field_start = false;
            }
        }
    }
    if in_quotes {
        return Err(UnclosedQuote {
            row: records.len() + 1,
        });
    }
    if record_open {
        record.push(field);
        records.push(record);
    }
    Ok(records)
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
