//! 选手名单: contestants from CSV or XLSX, every row checked before any is accepted.

use std::collections::HashSet;

use super::table::{self, Column, ascii_digits};
use super::{ImportError, RowError, finish};
use crate::model::{Contestant, Gender, Stage};

const ID: usize = 0;
const NAME: usize = 1;
const GENDER: usize = 2;
const STAGE: usize = 3;
const SUBJECT: usize = 4;
const SCHOOL: usize = 5;
const COUNTY: usize = 6;
const PHONE: usize = 7;

/// The roster's columns, in the order of the constants above.
pub(crate) const COLUMNS: &[Column] = &[
    Column {
        name: "编号",
        aliases: &["id", "no", "选手编号"],
        required: true,
    },
    Column {
        name: "姓名",
        aliases: &["name"],
        required: true,
    },
    Column {
        name: "性别",
        aliases: &["gender", "sex"],
        required: true,
    },
    Column {
        name: "学段",
        aliases: &["stage"],
        required: true,
    },
    Column {
        name: "学科",
        aliases: &["subject"],
        required: true,
    },
    Column {
        name: "工作单位",
        aliases: &["school", "unit", "单位"],
        required: true,
    },
    Column {
        name: "县（市、区）",
        aliases: &["county", "县区", "县市区"],
        required: false,
    },
    Column {
        name: "联系电话",
        aliases: &["phone", "电话", "手机", "手机号", "手机号码"],
        required: false,
    },
];

/// Reads a roster. All rows are checked; if any is bad nothing is returned but
/// [`ImportError::Rows`] with every problem. `existing_ids` are 编号 already in the competition.
/// The second value holds warnings (ignored columns, names with inner spaces).
pub fn parse_contestants(
    bytes: &[u8],
    file_name: &str,
    existing_ids: &HashSet<String>,
) -> Result<(Vec<Contestant>, Vec<RowError>), ImportError> {
    let (table, idx) = table::read_with(bytes, file_name, COLUMNS)?;
    let mut warnings = table::unused_columns(&table, &idx, &[]);
    let mut errors = Vec::new();
    let mut seen: HashSet<String> = HashSet::new();
    let mut contestants = Vec::with_capacity(table.rows.len());

    for row in &table.rows {
        if table::lacks_required(row, COLUMNS, &idx) {
            errors.push(RowError::new(row.row, "missing columns"));
            continue;
        }
        let cell = |col: usize| idx[col].map_or("", |i| row.cell(i));
        let before = errors.len();
        let mut err = |reason: String| errors.push(RowError::new(row.row, reason));

        let id = ascii_digits(cell(ID));
        if id.is_empty() {
            err("empty 编号".to_string());
        } else if existing_ids.contains(&id) || !seen.insert(id.clone()) {
            err(format!("duplicate 编号 {id}"));
        }
        for (label, value, max) in [
            ("编号", id.as_str(), 32),
            ("姓名", cell(NAME), 64),
            ("工作单位", cell(SCHOOL), 128),
            ("学科", cell(SUBJECT), 32),
            ("县（市、区）", cell(COUNTY), 64),
        ] {
            if let Some(problem) = table::text_problem(label, value, max) {
                err(problem);
            }
        }
        let name = cell(NAME);
        if name.is_empty() {
            err("empty 姓名".to_string());
        } else if name.chars().any(char::is_whitespace) {
            warnings.push(RowError::new(
                row.row,
                format!("姓名 {name} contains a space (kept as is)"),
            ));
        }
        let gender = Gender::parse(cell(GENDER));
        if gender.is_none() {
            err(unknown_or_empty("性别", cell(GENDER)));
        }
        let stage = Stage::parse(&cell(STAGE).to_ascii_lowercase());
        if stage.is_none() {
            err(unknown_or_empty("学段", cell(STAGE)));
        }
        for (col, label) in [(SUBJECT, "学科"), (SCHOOL, "工作单位")] {
            if cell(col).is_empty() {
                err(format!("empty {label}"));
            }
        }
        let phone = ascii_digits(cell(PHONE));
        if !phone.is_empty() && !valid_phone(&phone) {
            err(format!("invalid 联系电话 {}", cell(PHONE)));
        }

        if let (true, Some(gender), Some(stage)) = (errors.len() == before, gender, stage) {
            contestants.push(Contestant {
                id,
                name: name.to_string(),
                gender,
                stage,
                subject: cell(SUBJECT).to_string(),
                school: cell(SCHOOL).to_string(),
                county: cell(COUNTY).to_string(),
                phone,
            });
        }
    }
    finish(contestants, errors, warnings)
}

fn unknown_or_empty(label: &str, value: &str) -> String {
    if value.is_empty() {
        format!("empty {label}")
    } else {
        format!("unknown {label} {value}")
    }
}

/// 7–15 digits, an optional leading '+', '-' and spaces as separators.
fn valid_phone(phone: &str) -> bool {
    let body = phone.strip_prefix('+').unwrap_or(phone);
    let digits: String = body.chars().filter(|c| !matches!(c, '-' | ' ')).collect();
    (7..=15).contains(&digits.len()) && digits.chars().all(|c| c.is_ascii_digit())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::import::test_support::sample;

    fn none() -> HashSet<String> {
        HashSet::new()
    }

    /// (编号, 姓名) of every data row as read, before validation.
    fn people(file: &str) -> Vec<(String, String)> {
        let t = super::super::read_table(&sample(file), file).expect("sample reads");
        let id = COLUMNS[ID].find(&t.header).expect("编号 column");
        let name = COLUMNS[NAME].find(&t.header).expect("姓名 column");
        t.rows
            .iter()
            .map(|r| (r.cell(id).to_string(), r.cell(name).to_string()))
            .collect()
    }

    /// The samples have nine contestants whose 学段 is 特殊教育 (special education), which
    /// `Stage` does not have yet: until it does, those rows — and only those — are refused.
    /// Returns the contestants when the whole file imports, or the refused row numbers.
    fn import_sample(file: &str) -> Result<Vec<Contestant>, Vec<usize>> {
        match parse_contestants(&sample(file), file, &none()) {
            Ok((list, warnings)) => {
                assert!(warnings.is_empty(), "{file}: {warnings:?}");
                Ok(list)
            }
            Err(ImportError::Rows(report)) if Stage::parse("特殊教育").is_none() => {
                assert!(
                    report
                        .errors
                        .iter()
                        .all(|e| e.reason == "unknown 学段 特殊教育"),
                    "{file}: {report}"
                );
                Err(report.errors.iter().map(|e| e.row).collect())
            }
            Err(e) => panic!("{file} should import: {e}"),
        }
    }

    /// roster.utf8.csv without its 特殊教育 rows: always valid.
    fn utf8_without_special() -> Vec<Contestant> {
        let text = String::from_utf8(sample("roster.utf8.csv")).expect("utf-8");
        let kept: Vec<&str> = text.lines().filter(|l| !l.contains("特殊教育")).collect();
        match parse_contestants(kept.join("\n").as_bytes(), "u.csv", &none()) {
            Ok((list, _)) => list,
            Err(e) => panic!("filtered roster should import: {e}"),
        }
    }

    #[test]
    fn utf8_roster_with_bom() {
        let rows = people("roster.utf8.csv");
        assert_eq!(rows.len(), 240);
        let names: HashSet<&str> = rows.iter().map(|(_, n)| n.as_str()).collect();
        for name in [
            "金𬭎",
            "吕敏𬌗",
            "沈丽𬭎",
            "何枝䶮",
            "阿依古丽·买买提",
            "古丽娜尔·艾力",
        ] {
            assert!(names.contains(name), "{name} missing");
        }
        assert_eq!(rows[0], ("JS20250001".to_string(), "金𬭎".to_string()));
        assert_eq!(rows[239].0, "JS20250240");

        let list = utf8_without_special();
        assert_eq!(list.len(), 231);
        let first = &list[0];
        assert_eq!(
            (first.id.as_str(), first.name.as_str()),
            ("JS20250001", "金𬭎")
        );
        assert_eq!((first.gender, first.stage), (Gender::Male, Stage::Primary));
        assert_eq!(
            (
                first.subject.as_str(),
                first.school.as_str(),
                first.county.as_str()
            ),
            ("语文", "汾阳第一中学", "汾阳市")
        );
        assert_eq!(first.phone, "13092285142");
        assert!(list.iter().any(|c| c.name == "阿依古丽·买买提"));

        match import_sample("roster.utf8.csv") {
            Ok(all) => {
                assert_eq!(all.len(), 240);
                assert!(list.iter().all(|c| all.contains(c)));
            }
            Err(refused) => {
                assert_eq!(refused, [21, 34, 72, 105, 125, 170, 172, 233, 236]);
            }
        }
    }

    #[test]
    fn xlsx_roster_with_title_row_equals_the_utf8_one() {
        assert_eq!(people("roster.xlsx"), people("roster.utf8.csv"));
        // The header is row 2 (below the title): the first data row is spreadsheet row 3.
        let t = super::super::read_table(&sample("roster.xlsx"), "roster.xlsx").expect("table");
        assert_eq!(t.header_row, 2);
        assert_eq!(t.rows[0].row, 3);
        match (
            import_sample("roster.xlsx"),
            import_sample("roster.utf8.csv"),
        ) {
            (Ok(xlsx), Ok(csv)) => assert_eq!(xlsx, csv),
            (Err(xlsx), Err(csv)) => {
                let shifted: Vec<usize> = csv.iter().map(|r| r + 1).collect();
                assert_eq!(xlsx, shifted);
            }
            other => panic!("formats disagree: {other:?}"),
        }
    }

    #[test]
    fn gbk_roster_decodes_and_matches_the_utf8_rows_it_has() {
        let utf8 = people("roster.utf8.csv");
        let gbk = people("roster.gbk.csv");
        // The GBK sample lacks the four contestants whose names need characters beyond GBK
        // (outside the BMP); every other row is identical, 䶮 and the middle dot included.
        assert_eq!(gbk.len(), 236);
        let mut lacking: Vec<&str> = utf8
            .iter()
            .filter(|p| !gbk.contains(p))
            .map(|(_, n)| n.as_str())
            .collect();
        lacking.sort_unstable();
        assert_eq!(lacking, ["傅敏𬌗", "吕敏𬌗", "沈丽𬭎", "金𬭎"]);
        let common: Vec<(String, String)> =
            utf8.iter().filter(|p| gbk.contains(p)).cloned().collect();
        assert_eq!(gbk, common);
        assert!(gbk.iter().any(|(_, n)| n == "何枝䶮"));
        assert!(gbk.iter().any(|(_, n)| n == "阿依古丽·买买提"));
        let set = |v: &[(String, String)]| v.iter().cloned().collect::<HashSet<_>>();
        assert!(set(&gbk).is_subset(&set(&people("roster.xlsx"))));
        match import_sample("roster.gbk.csv") {
            Ok(list) => assert_eq!(list.len(), 236),
            Err(refused) => assert_eq!(refused.len(), 9),
        }
    }

    #[test]
    fn bad_roster_reports_exactly_the_expected_rows() {
        // The reports are compared in English (`row N: reason`).
        crate::i18n::set_message_lang(crate::i18n::Lang::En);
        let expect = String::from_utf8(sample("roster.bad.expect")).expect("utf-8 expect file");
        let wanted: Vec<String> = expect
            .lines()
            .filter(|l| !l.is_empty() && !l.contains("not an error"))
            .map(str::to_string)
            .collect();
        match parse_contestants(&sample("roster.bad.csv"), "roster.bad.csv", &none()) {
            Err(ImportError::Rows(report)) => {
                let got: Vec<String> = report.errors.iter().map(|e| e.to_string()).collect();
                assert_eq!(got, wanted);
                assert_eq!(report.to_string(), wanted.join("\n"));
                assert!(report.errors.iter().all(|e| e.row != 7 && e.row != 9));
            }
            other => panic!("expected Rows, got {other:?}"),
        }
    }

    #[test]
    fn bad_roster_good_rows_are_cleaned() {
        // Keep the header and rows 7 and 9 (and the other good rows) of roster.bad.csv.
        let text = String::from_utf8(sample("roster.bad.csv")).expect("utf-8");
        let kept: Vec<&str> = text
            .lines()
            .enumerate()
            .filter(|(i, _)| ![2, 3, 4, 5, 7].contains(i))
            .map(|(_, l)| l)
            .collect();
        let (list, warnings) =
            parse_contestants(kept.join("\n").as_bytes(), "good.csv", &none()).expect("good copy");
        assert!(warnings.is_empty(), "{warnings:?}");
        let wu = list.iter().find(|c| c.id == "JS20250006").expect("row 7");
        assert_eq!(wu.name, "吴苑");
        let tang = list.iter().find(|c| c.id == "JS20250008").expect("row 9");
        assert_eq!(tang.phone, "13800138000");
    }

    #[test]
    fn existing_ids_and_all_problems_of_a_row() {
        // The reports are compared in English (`row N: reason`).
        crate::i18n::set_message_lang(crate::i18n::Lang::En);
        let csv = "编号,姓名,性别,学段,学科,工作单位,联系电话\n\
                   JS１,王芳,女,小学,语文,一中,\n\
                   ,,x,大学,,,12ab\n\
                   JS9,李四,男,高中,数学,二中,+86 138-0013-8000\n\
                   JS10,赵五,男,高中,数学,二中,123\n";
        let existing: HashSet<String> = ["JS9".to_string()].into();
        match parse_contestants(csv.as_bytes(), "x.csv", &existing) {
            Err(ImportError::Rows(report)) => {
                let got: Vec<String> = report.errors.iter().map(|e| e.to_string()).collect();
                assert_eq!(
                    got,
                    [
                        "row 3: empty 编号",
                        "row 3: empty 姓名",
                        "row 3: unknown 性别 x",
                        "row 3: unknown 学段 大学",
                        "row 3: empty 学科",
                        "row 3: empty 工作单位",
                        "row 3: invalid 联系电话 12ab",
                        "row 4: duplicate 编号 JS9",
                        "row 5: invalid 联系电话 123",
                    ]
                );
            }
            other => panic!("expected Rows, got {other:?}"),
        }
    }

    #[test]
    fn english_headers_number_ids_and_warnings() {
        // The reports are compared in English (`row N: reason`).
        crate::i18n::set_message_lang(crate::i18n::Lang::En);
        let csv = "ID,Name,Sex,Stage,Subject,School,备注\n\
                   １２,王 芳,F,Primary,语文,一中,x\n";
        let (list, warnings) = parse_contestants(csv.as_bytes(), "x.csv", &none()).expect("ok");
        assert_eq!(list[0].id, "12");
        assert_eq!(list[0].name, "王 芳");
        assert_eq!(list[0].stage, Stage::Primary);
        let w: Vec<String> = warnings.iter().map(|w| w.to_string()).collect();
        assert_eq!(
            w,
            [
                "row 1: column 备注 is ignored",
                "row 2: 姓名 王 芳 contains a space (kept as is)"
            ]
        );
    }

    #[test]
    fn two_thousand_row_xlsx() {
        let mut book = rust_xlsxwriter::Workbook::new();
        let sheet = book.add_worksheet();
        let write = |sheet: &mut rust_xlsxwriter::Worksheet, r: u32, c: u16, s: &str| {
            sheet.write_string(r, c, s).map(|_| ()).expect("write cell");
        };
        write(sheet, 0, 0, "吕梁市第二届中小学教师教学技能大赛参赛名单");
        for (c, h) in [
            "编号",
            "姓名",
            "性别",
            "学段",
            "学科",
            "工作单位",
            "县（市、区）",
            "联系电话",
        ]
        .iter()
        .enumerate()
        {
            write(sheet, 1, c as u16, h);
        }
        for i in 0..2000u32 {
            let r = i + 2;
            // 编号 and phone stored as numbers, as Excel users often do.
            sheet
                .write_number(r, 0, f64::from(20250001 + i))
                .expect("id");
            write(
                sheet,
                r,
                1,
                if i % 2 == 0 {
                    "欧阳𬭎"
                } else {
                    "阿依古丽·买买提"
                },
            );
            write(sheet, r, 2, if i % 3 == 0 { "男" } else { "女" });
            write(sheet, r, 3, ["小学", "初中", "高中"][(i % 3) as usize]);
            write(sheet, r, 4, "数学");
            write(sheet, r, 5, &format!("第{}中学", i % 40));
            write(sheet, r, 6, "离石区");
            sheet
                .write_number(r, 7, 13800000000.0 + f64::from(i))
                .expect("phone");
        }
        let bytes = book.save_to_buffer().expect("xlsx bytes");
        let (list, warnings) = parse_contestants(&bytes, "big.xlsx", &none()).expect("imports");
        assert!(warnings.is_empty(), "{warnings:?}");
        assert_eq!(list.len(), 2000);
        assert_eq!(list[0].id, "20250001");
        assert_eq!(list[0].phone, "13800000000");
        assert_eq!(list[0].name, "欧阳𬭎");
        assert_eq!(list[1999].id, "20252000");
        assert_eq!(list[1999].name, "阿依古丽·买买提");
    }
}
