//! 成绩导入: score sheets from CSV or XLSX (totals, or one column per rubric criterion), checked
//! against the events, contestants, judges, panels, entries, recusal and existing sheets.

use std::collections::{HashMap, HashSet};

use super::table::{self, Column, ascii_digits, header_key};
use super::{ImportError, RowError, finish};
use crate::model::{Contestant, DecimalError, Event, Fixed, Judge};
use crate::scoring::eligibility;

const EVENT: usize = 0;
const CONTESTANT: usize = 1;
const JUDGE: usize = 2;
const SCORE: usize = 3;

/// The key columns of a score file, in the order of the constants above. Any other column named
/// after a criterion of an event (optionally followed by "(15分)") holds that criterion's score.
pub(crate) const COLUMNS: &[Column] = &[
    Column {
        name: "项目",
        aliases: &["event", "项目名称", "项目代码"],
        required: true,
    },
    Column {
        name: "选手编号",
        aliases: &["contestant", "编号", "选手"],
        required: true,
    },
    Column {
        name: "评委编号",
        aliases: &["judge", "评委"],
        required: true,
    },
    Column {
        name: "分数",
        aliases: &["score", "总分", "total"],
        required: false,
    },
];

/// What a score file is checked against.
pub struct ScoreContext<'a> {
    pub events: &'a [Event],
    pub contestants: &'a [Contestant],
    pub judges: &'a [Judge],
    /// (event code, contestant id) pairs entered; empty means every contestant enters every event.
    pub entries: &'a HashSet<(String, String)>,
    /// (event code, contestant id, judge id) of the sheets already in the competition.
    pub existing_sheets: &'a HashSet<(String, String, String)>,
}

/// One valid row of a score file: one judge's sheet for one contestant in one event.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ScoreRow {
    /// The spreadsheet's row number.
    pub row: usize,
    /// Event code (the file may name the event by code or by name).
    pub event: String,
    pub contestant: String,
    pub judge: String,
    /// The event's criteria in rubric order, all filled; empty if the file gave only a total.
    pub criteria: Vec<Option<Fixed>>,
    /// The criteria's sum, or the total given.
    pub total: Fixed,
}

/// A column whose header names a criterion (of some event).
struct CriterionColumn<'h> {
    index: usize,
    key: String,
    header: &'h str,
}

/// Reads a score file. All rows are checked; if any is bad nothing is returned but
/// [`ImportError::Rows`] with every problem.
pub fn parse_scores(
    bytes: &[u8],
    file_name: &str,
    ctx: &ScoreContext,
) -> Result<Vec<ScoreRow>, ImportError> {
    let (table, idx) = table::read_with(bytes, file_name, COLUMNS)?;
    let criterion_names: HashSet<String> = ctx
        .events
        .iter()
        .flat_map(|e| e.criteria.iter().map(|c| header_key(&c.name)))
        .collect();
    let criterion_columns: Vec<CriterionColumn> = table
        .header
        .iter()
        .enumerate()
        .filter(|(i, _)| !idx.contains(&Some(*i)))
        .map(|(index, header)| {
            let exact = header_key(header);
            let key = if criterion_names.contains(&exact) {
                exact
            } else {
                criterion_key(header)
            };
            CriterionColumn { index, key, header }
        })
        .filter(|c| criterion_names.contains(&c.key))
        .collect();
    if idx[SCORE].is_none() && criterion_columns.is_empty() {
        return Err(ImportError::NoHeader(
            "找不到分数列：需要“分数”列或各评分项列 (no score column: add 分数 or one column per \
             criterion)"
                .to_string(),
        ));
    }

    let events: HashMap<&str, &Event> = ctx
        .events
        .iter()
        .flat_map(|e| [(e.code.as_str(), e), (e.name.as_str(), e)])
        .collect();
    let contestants: HashMap<&str, &Contestant> =
        ctx.contestants.iter().map(|c| (c.id.as_str(), c)).collect();
    let judges: HashMap<&str, &Judge> = ctx.judges.iter().map(|j| (j.id.as_str(), j)).collect();

    let mut errors = Vec::new();
    let mut seen: HashSet<(String, String, String)> = HashSet::new();
    let mut rows = Vec::with_capacity(table.rows.len());

    for row in &table.rows {
        if table::lacks_required(row, COLUMNS, &idx) {
            errors.push(RowError::new(row.row, "missing columns"));
            continue;
        }
        let cell = |col: usize| idx[col].map_or("", |i| row.cell(i));
        let before = errors.len();
        let mut err = |reason: String| errors.push(RowError::new(row.row, reason));

        let event_text = cell(EVENT);
        let event = events.get(event_text).copied();
        match event {
            None if event_text.is_empty() => err("empty event".to_string()),
            None => err(format!("unknown event {event_text}")),
            Some(_) => {}
        }
        let contestant_id = ascii_digits(cell(CONTESTANT));
        let contestant = contestants.get(contestant_id.as_str()).copied();
        match contestant {
            None if contestant_id.is_empty() => err("empty contestant".to_string()),
            None => err(format!("unknown contestant {contestant_id}")),
            Some(_) => {}
        }
        let judge_id = ascii_digits(cell(JUDGE));
        let judge = judges.get(judge_id.as_str()).copied();
        match judge {
            None if judge_id.is_empty() => err("empty judge".to_string()),
            None => err(format!("unknown judge {judge_id}")),
            Some(_) => {}
        }

        if let (Some(e), Some(j)) = (event, judge)
            && !eligibility::on_panel(e, j)
        {
            err(format!(
                "judge {judge_id} is not on the panel of {}",
                e.code
            ));
        }
        if let (Some(e), Some(_)) = (event, contestant)
            && !ctx.entries.is_empty()
            && !ctx
                .entries
                .contains(&(e.code.clone(), contestant_id.clone()))
        {
            err(format!(
                "contestant {contestant_id} does not enter {}",
                e.code
            ));
        }
        if let (Some(e), Some(c), Some(j)) = (event, contestant, judge)
            && eligibility::on_panel(e, j)
            && eligibility::recuses(e, j, c)
        {
            err(format!(
                "recusal: judge {judge_id} and contestant {contestant_id} are both from {}",
                c.school
            ));
        }

        let mut scored = None;
        if let Some(e) = event {
            match score_row(e, row, &criterion_columns, idx[SCORE]) {
                Ok(s) => scored = Some(s),
                Err(reasons) => reasons.into_iter().for_each(&mut err),
            }
            if contestant.is_some() && judge.is_some() {
                let key = (e.code.clone(), contestant_id.clone(), judge_id.clone());
                if ctx.existing_sheets.contains(&key) || !seen.insert(key) {
                    err(format!(
                        "duplicate sheet {}/{contestant_id}/{judge_id}",
                        e.code
                    ));
                }
            }
        }

        if let (true, Some(e), Some((criteria, total))) = (errors.len() == before, event, scored) {
            rows.push(ScoreRow {
                row: row.row,
                event: e.code.clone(),
                contestant: contestant_id,
                judge: judge_id,
                criteria,
                total,
            });
        }
    }
    finish(rows, errors, Vec::new()).map(|(rows, _)| rows)
}

/// A criterion header as compared: [`header_key`] without a trailing "（15分）".
fn criterion_key(header: &str) -> String {
    let key = header_key(header);
    match key.rfind('（') {
        Some(open) if open > 0 && key.ends_with('）') => key[..open].to_string(),
        _ => key,
    }
}

/// The criteria and total of one row for `event`, or every problem with them.
fn score_row(
    event: &Event,
    row: &table::TableRow,
    columns: &[CriterionColumn],
    score_column: Option<usize>,
) -> Result<(Vec<Option<Fixed>>, Fixed), Vec<String>> {
    let mut problems = Vec::new();
    let keys: Vec<String> = event.criteria.iter().map(|c| header_key(&c.name)).collect();
    for column in columns {
        if !keys.contains(&column.key) && !row.cell(column.index).is_empty() {
            problems.push(format!(
                "{} is not a criterion of {}",
                column.header, event.code
            ));
        }
    }
    let cells: Vec<Option<&str>> = keys
        .iter()
        .map(|k| {
            columns
                .iter()
                .find(|c| &c.key == k)
                .map(|c| row.cell(c.index))
        })
        .collect();
    let score_text = score_column.map_or("", |i| row.cell(i));

    if !cells.iter().flatten().any(|s| !s.is_empty()) {
        // Only a total.
        let total = if score_column.is_none() {
            Err(format!(
                "no score: the file has no 分数 column and no criteria of {}",
                event.code
            ))
        } else if score_text.is_empty() {
            Err("blank score".to_string())
        } else {
            check("score", score_text, event.full_marks(), event.step)
        };
        return match total {
            Ok(total) if problems.is_empty() => Ok((Vec::new(), total)),
            Ok(_) => Err(problems),
            Err(reason) => {
                problems.push(reason);
                Err(problems)
            }
        };
    }

    let mut values = Vec::with_capacity(cells.len());
    for (criterion, cell) in event.criteria.iter().zip(&cells) {
        match *cell {
            None => problems.push(format!("no column for criterion {}", criterion.name)),
            Some("") => problems.push(format!("blank criterion {}", criterion.name)),
            Some(text) => match check(&criterion.name, text, criterion.max, event.step) {
                Ok(v) => values.push(Some(v)),
                Err(reason) => problems.push(reason),
            },
        }
    }
    if !problems.is_empty() {
        return Err(problems);
    }
    let sum: Fixed = values.iter().flatten().copied().sum();
    if !score_text.is_empty() {
        match Fixed::parse(score_text) {
            Ok(given) if given == sum => {}
            Ok(_) => problems.push(format!(
                "score {score_text} does not equal the criteria sum {sum}"
            )),
            Err(_) => problems.push(format!("score {score_text} is not a number")),
        }
    }
    if problems.is_empty() {
        Ok((values, sum))
    } else {
        Err(problems)
    }
}

/// A score entered for `label` (a criterion name or "score"): a number, not negative, at most
/// `max`, a multiple of `step`.
fn check(label: &str, text: &str, max: Fixed, step: Fixed) -> Result<Fixed, String> {
    let value = match Fixed::parse(text) {
        Ok(v) => v,
        Err(DecimalError::NotANumber(_)) => return Err(format!("{label} {text} is not a number")),
        Err(DecimalError::TooPrecise(_)) => {
            return Err(format!(
                "{label} {text} is not a multiple of the step {step}"
            ));
        }
        Err(DecimalError::TooLarge(_)) => {
            return Err(format!("{label} {text} is over the maximum {max}"));
        }
    };
    if value.is_negative() {
        Err(format!("{label} {text} is negative"))
    } else if value > max {
        Err(format!("{label} {text} is over the maximum {max}"))
    } else if !value.is_multiple_of(step) {
        Err(format!(
            "{label} {text} is not a multiple of the step {step}"
        ))
    } else {
        Ok(value)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::import::test_support::{fixed, second_edition};
    use crate::model::{Gender, Stage};

    struct World {
        events: Vec<Event>,
        contestants: Vec<Contestant>,
        judges: Vec<Judge>,
        entries: HashSet<(String, String)>,
        existing: HashSet<(String, String, String)>,
    }

    fn contestant(id: &str, school: &str) -> Contestant {
        Contestant {
            id: id.to_string(),
            name: format!("选手{id}"),
            gender: Gender::Female,
            stage: Stage::Junior,
            subject: "数学".to_string(),
            school: school.to_string(),
            county: "离石区".to_string(),
            phone: String::new(),
        }
    }

    fn judge(id: &str, school: &str, events: &[&str]) -> Judge {
        Judge {
            id: id.to_string(),
            name: format!("评委{id}"),
            school: school.to_string(),
            county: String::new(),
            events: events.iter().map(|e| e.to_string()).collect(),
        }
    }

    fn world() -> World {
        World {
            events: second_edition(),
            contestants: vec![
                contestant("JS001", "一中"),
                contestant("JS002", "二中"),
                contestant("JS003", "三中"),
                contestant("JS004", "四中"),
                contestant("JS005", "五中"),
                contestant("JS006", "六中"),
            ],
            judges: vec![
                judge("PW01", "八中", &["E05", "E06"]),
                judge("PW02", "二中", &["E05"]),
                judge("PW03", "九中", &["E06"]),
            ],
            entries: HashSet::new(),
            existing: HashSet::new(),
        }
    }

    impl World {
        fn parse(&self, csv: &str) -> Result<Vec<ScoreRow>, ImportError> {
            let ctx = ScoreContext {
                events: &self.events,
                contestants: &self.contestants,
                judges: &self.judges,
                entries: &self.entries,
                existing_sheets: &self.existing,
            };
            parse_scores(csv.as_bytes(), "scores.csv", &ctx)
        }

        fn errors(&self, csv: &str) -> Vec<String> {
            match self.parse(csv) {
                Err(ImportError::Rows(report)) => {
                    report.errors.iter().map(|e| e.to_string()).collect()
                }
                other => panic!("expected Rows, got {other:?}"),
            }
        }
    }

    const TOTALS: &str = "项目,选手编号,评委编号,分数\n";
    /// The criteria of E05 课堂教学: 教学目标 10, 教学内容 15, 教学过程 25, 方法与策略 30, 教师素养 20.
    const E05_CRITERIA: &str =
        "项目,选手编号,评委编号,教学目标,教学内容,教学过程,方法与策略,教师素养,总分\n";

    #[test]
    fn totals_by_code_or_name() {
        let w = world();
        let rows = w
            .parse(&format!(
                "{TOTALS}E05,JS001,PW01,85.5\n课堂教学,JS003,PW01,９０\n说课,JS001,PW03,100\n"
            ))
            .expect("valid totals");
        assert_eq!(rows.len(), 3);
        assert_eq!(
            rows[0],
            ScoreRow {
                row: 2,
                event: "E05".into(),
                contestant: "JS001".into(),
                judge: "PW01".into(),
                criteria: Vec::new(),
                total: fixed("85.5"),
            }
        );
        assert_eq!(
            (rows[1].event.as_str(), rows[1].total),
            ("E05", fixed("90"))
        );
        assert_eq!((rows[2].event.as_str(), rows[2].row), ("E06", 4));
    }

    #[test]
    fn criteria_columns_sum_to_the_total() {
        let w = world();
        let csv = format!(
            "{E05_CRITERIA}E05,JS001,PW01,8,12.5,20,25,19,84.5\nE05,JS003,PW01,10,15,25,30,20,\n\
             E06,JS001,PW03,,,,,,77\n"
        );
        let rows = w.parse(&csv).expect("valid criteria");
        assert_eq!(rows[0].total, fixed("84.5"));
        assert_eq!(
            rows[0].criteria,
            ["8", "12.5", "20", "25", "19"].map(|s| Some(fixed(s)))
        );
        assert_eq!(rows[1].total, fixed("100"));
        // E06 has no criteria columns here: blank E05 columns are ignored, the total counts.
        assert!(rows[2].criteria.is_empty());
        assert_eq!(rows[2].total, fixed("77"));
    }

    #[test]
    fn criterion_headers_may_carry_their_maximum() {
        let w = world();
        let csv = "项目,选手编号,评委编号,教学目标（10分）,教学内容(15分),教学过程,方法与策略,教师素养\n\
                   E05,JS001,PW01,10,15,25,30,20\n";
        let rows = w.parse(csv).expect("valid");
        assert_eq!(rows[0].total, fixed("100"));
    }

    #[test]
    fn criteria_errors() {
        // The reports are compared in English (`row N: reason`).
        crate::i18n::set_message_lang(crate::i18n::Lang::En);
        let w = world();
        let csv = format!(
            "{E05_CRITERIA}E05,JS001,PW01,8,,20,25,19,\n\
             E05,JS003,PW01,8,12,20,25,19.5,85\n\
             E05,JS001,PW02x,11,12,20,25,19,\n"
        );
        let got = w.errors(&csv);
        assert_eq!(
            got,
            [
                "row 2: blank criterion 教学内容",
                "row 3: score 85 does not equal the criteria sum 84.5",
                "row 4: unknown judge PW02x",
                "row 4: 教学目标 11 is over the maximum 10",
            ]
        );
        // A criterion of another event, filled in: an error; missing criterion columns too.
        let csv = "项目,选手编号,评委编号,教学目标,说教材\nE05,JS001,PW01,8,10\n";
        assert_eq!(
            w.errors(csv),
            [
                "row 2: 说教材 is not a criterion of E05",
                "row 2: no column for criterion 教学内容",
                "row 2: no column for criterion 教学过程",
                "row 2: no column for criterion 方法与策略",
                "row 2: no column for criterion 教师素养",
            ]
        );
    }

    #[test]
    fn each_row_error() {
        // The reports are compared in English (`row N: reason`).
        crate::i18n::set_message_lang(crate::i18n::Lang::En);
        let mut w = world();
        w.entries = ["JS001", "JS002", "JS004", "JS005", "JS006"]
            .iter()
            .map(|c| ("E05".to_string(), c.to_string()))
            .chain([("E06".to_string(), "JS001".to_string())])
            .collect();
        w.existing = [("E06".to_string(), "JS001".to_string(), "PW03".to_string())].into();
        let csv = format!(
            "{TOTALS}\
             E99,JS001,PW01,80\n\
             E05,JS999,PW01,80\n\
             E05,JS001,PW99,80\n\
             E05,JS001,PW03,80\n\
             E05,JS003,PW01,80\n\
             E05,JS002,PW02,80\n\
             E05,JS004,PW01,abc\n\
             E05,JS005,PW01,-1\n\
             E05,JS006,PW01,105\n\
             E05,JS004,PW02,8.3\n\
             E05,JS001,PW01,80\n\
             E05,JS001,PW01,81\n\
             E06,JS001,PW03,81\n\
             E05,JS005,PW02,\n\
             ,,,\n\
             E05,JS002\n\
             ,JS002,PW01,1\n"
        );
        assert_eq!(
            w.errors(&csv),
            [
                "row 2: unknown event E99",
                "row 3: unknown contestant JS999",
                "row 4: unknown judge PW99",
                "row 5: judge PW03 is not on the panel of E05",
                "row 6: contestant JS003 does not enter E05",
                "row 7: recusal: judge PW02 and contestant JS002 are both from 二中",
                "row 8: score abc is not a number",
                "row 9: score -1 is negative",
                "row 10: score 105 is over the maximum 100",
                "row 11: score 8.3 is not a multiple of the step 0.5",
                "row 13: duplicate sheet E05/JS001/PW01",
                "row 14: duplicate sheet E06/JS001/PW03",
                "row 15: blank score",
                "row 17: missing columns",
                "row 18: empty event",
            ]
        );
    }

    #[test]
    fn objective_events_take_their_recorders_without_recusal() {
        // The reports are compared in English (`row N: reason`).
        crate::i18n::set_message_lang(crate::i18n::Lang::En);
        let mut w = world();
        // PW04 records the written test and comes from JS001's school: no recusal on paper.
        w.judges.push(judge("PW04", "一中", &["E08"]));
        let rows = w
            .parse(&format!(
                "{TOTALS}业务能力测试,JS001,PW04,92.5
"
            ))
            .expect("objective");
        assert_eq!(
            (rows[0].event.as_str(), rows[0].total),
            ("E08", fixed("92.5"))
        );
        // A judge who is not one of its recorders is refused like any off-panel sheet.
        assert_eq!(
            w.errors(&format!(
                "{TOTALS}E08,JS001,PW03,92.5
"
            )),
            ["row 2: judge PW03 is not on the panel of E08"]
        );
        assert_eq!(
            w.errors(&format!(
                "{TOTALS}E08,JS001,PW404,92.5
"
            )),
            ["row 2: unknown judge PW404"]
        );
    }

    #[test]
    fn xlsx_scores_stored_as_numbers() {
        let w = world();
        let mut book = rust_xlsxwriter::Workbook::new();
        let sheet = book.add_worksheet();
        let header = [
            "项目",
            "选手编号",
            "评委编号",
            "教学目标",
            "教学内容",
            "教学过程",
            "方法与策略",
            "教师素养",
        ];
        for (c, h) in header.iter().enumerate() {
            sheet.write_string(0, c as u16, *h).expect("header");
        }
        for (c, v) in ["E05", "JS001", "PW01"].iter().enumerate() {
            sheet.write_string(1, c as u16, *v).expect("key");
        }
        for (c, v) in [8.5, 12.0, 20.5, 25.0, 19.0].iter().enumerate() {
            sheet.write_number(1, (c + 3) as u16, *v).expect("score");
        }
        let bytes = book.save_to_buffer().expect("xlsx");
        let ctx = ScoreContext {
            events: &w.events,
            contestants: &w.contestants,
            judges: &w.judges,
            entries: &w.entries,
            existing_sheets: &w.existing,
        };
        let rows = parse_scores(&bytes, "scores.xlsx", &ctx).expect("valid");
        assert_eq!(rows[0].total, fixed("85"));
        assert_eq!(rows[0].criteria[0], Some(fixed("8.5")));
    }

    #[test]
    fn no_score_column_at_all_is_a_header_problem() {
        let w = world();
        assert!(matches!(
            w.parse("项目,选手编号,评委编号,备注\nE05,JS001,PW01,x\n"),
            Err(ImportError::NoHeader(_))
        ));
        assert!(matches!(
            w.parse("项目,评委编号,分数\nE05,PW01,80\n"),
            Err(ImportError::NoHeader(m)) if m.contains("选手编号")
        ));
    }
}
