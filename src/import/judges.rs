//! 评委名单: judges and the event panels they sit on, every row checked before any is accepted.

use std::collections::HashSet;

use super::table::{self, Column, ascii_digits};
use super::{ImportError, RowError, finish};
use crate::model::{Event, Judge};

const ID: usize = 0;
const NAME: usize = 1;
const SCHOOL: usize = 2;
const COUNTY: usize = 3;
const EVENTS: usize = 4;

/// The judge list's columns, in the order of the constants above.
pub(crate) const COLUMNS: &[Column] = &[
    Column {
        name: "评委编号",
        aliases: &["id", "judge", "编号"],
        required: true,
    },
    Column {
        name: "姓名",
        aliases: &["name"],
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
        name: "评审项目",
        aliases: &["events", "event"],
        required: false,
    },
];

/// Separators between events in one 评审项目 cell.
const EVENT_SEPARATORS: [char; 7] = ['、', ';', '；', ',', '，', '/', '／'];

/// Reads a judge list. 评审项目 may name several events (by code or name) separated by
/// 、 ; ； , ， /; it may be empty (not yet on a panel). All rows are checked; if any is bad
/// nothing is returned but [`ImportError::Rows`]. The second value holds warnings.
pub fn parse_judges(
    bytes: &[u8],
    file_name: &str,
    events: &[Event],
    existing_ids: &HashSet<String>,
) -> Result<(Vec<Judge>, Vec<RowError>), ImportError> {
    let (table, idx) = table::read_with(bytes, file_name, COLUMNS)?;
    let mut warnings = table::unused_columns(&table, &idx, &[]);
    let mut errors = Vec::new();
    let mut seen: HashSet<String> = HashSet::new();
    let mut judges = Vec::with_capacity(table.rows.len());

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
            err("empty 评委编号".to_string());
        } else if existing_ids.contains(&id) || !seen.insert(id.clone()) {
            err(format!("duplicate 评委编号 {id}"));
        }
        if cell(NAME).is_empty() {
            err("empty 姓名".to_string());
        }
        for (label, value, max) in [
            ("评委编号", id.as_str(), 32),
            ("姓名", cell(NAME), 64),
            ("工作单位", cell(SCHOOL), 128),
        ] {
            if let Some(problem) = table::text_problem(label, value, max) {
                err(problem);
            }
        }
        let mut codes: Vec<String> = Vec::new();
        for wanted in cell(EVENTS)
            .split(EVENT_SEPARATORS)
            .map(table::clean)
            .filter(|s| !s.is_empty())
        {
            match events.iter().find(|e| e.code == wanted || e.name == wanted) {
                Some(event) if codes.contains(&event.code) => {}
                Some(event) => codes.push(event.code.clone()),
                None => err(format!("unknown 评审项目 {wanted}")),
            }
        }
        if errors.len() == before {
            if cell(SCHOOL).is_empty() {
                warnings.push(RowError::new(
                    row.row,
                    "empty 工作单位: recusal (回避) cannot be checked for this judge",
                ));
            }
            judges.push(Judge {
                id,
                name: cell(NAME).to_string(),
                school: cell(SCHOOL).to_string(),
                county: cell(COUNTY).to_string(),
                events: codes,
            });
        }
    }
    finish(judges, errors, warnings)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::import::ImportReport;
    use crate::import::test_support::{sample, second_edition};

    fn rows_error(r: Result<(Vec<Judge>, Vec<RowError>), ImportError>) -> ImportReport {
        match r {
            Err(ImportError::Rows(report)) => report,
            other => panic!("expected Rows, got {other:?}"),
        }
    }

    #[test]
    fn sample_judges_sit_on_one_panel_each() {
        let events = second_edition();
        let (judges, warnings) = parse_judges(
            &sample("judges.csv"),
            "judges.csv",
            &events,
            &HashSet::new(),
        )
        .expect("judges.csv imports");
        assert!(warnings.is_empty(), "{warnings:?}");
        assert_eq!(judges.len(), 91);
        assert!(judges.iter().all(|j| j.events.len() == 1));
        for event in &events {
            let panel = judges.iter().filter(|j| j.events[0] == event.code).count();
            assert_eq!(panel, 7, "panel of {}", event.name);
        }
        let first = &judges[0];
        assert_eq!(
            (
                first.id.as_str(),
                first.name.as_str(),
                first.school.as_str()
            ),
            ("PW001", "上官薇勇", "离石育才学校")
        );
        assert_eq!(first.county, "离石区");
        assert_eq!(first.events, ["E01"]);
    }

    #[test]
    fn unknown_event_is_reported_with_its_row() {
        // The reports are compared in English (`row N: reason`).
        crate::i18n::set_message_lang(crate::i18n::Lang::En);
        let events = second_edition();
        let text = String::from_utf8(sample("judges.csv")).expect("utf-8");
        let changed = text.replacen(
            "PW002,梁影伊,临第三中学,临县,课堂教学设计",
            "PW002,梁影伊,临第三中学,临县,课堂教学设计、书法",
            1,
        );
        assert_ne!(changed, text);
        let report = rows_error(parse_judges(
            changed.as_bytes(),
            "j.csv",
            &events,
            &HashSet::new(),
        ));
        assert_eq!(report.to_string(), "row 3: unknown 评审项目 书法");
    }

    #[test]
    fn several_events_codes_empty_panel_and_duplicates() {
        // The reports are compared in English (`row N: reason`).
        crate::i18n::set_message_lang(crate::i18n::Lang::En);
        let events = second_edition();
        let csv = "评委编号,姓名,工作单位,评审项目\n\
                   PW１,甲,一中,E05、说课；课堂教学 / E05\n\
                   PW2,乙,,\n";
        let (judges, warnings) =
            parse_judges(csv.as_bytes(), "j.csv", &events, &HashSet::new()).expect("ok");
        assert_eq!(judges[0].id, "PW1");
        assert_eq!(judges[0].events, ["E05", "E06"]);
        assert!(judges[1].events.is_empty());
        assert_eq!(warnings.len(), 1);
        assert_eq!(warnings[0].row, 3);

        let csv = "评委编号,姓名,工作单位\nPW1,甲,一中\nPW1,乙,二中\nPW9,丙,三中\n,,\n,丁\n";
        let existing: HashSet<String> = ["PW9".to_string()].into();
        let report = rows_error(parse_judges(csv.as_bytes(), "j.csv", &events, &existing));
        assert_eq!(
            report.to_string(),
            "row 3: duplicate 评委编号 PW1\nrow 4: duplicate 评委编号 PW9\nrow 6: missing columns"
        );
    }
}
