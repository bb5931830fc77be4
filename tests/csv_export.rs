//! CSV exports read back as a spreadsheet would (issue 14.2): scores are plain numbers, and
//! which were dropped by trimming is a column of its own.

mod common;

use common::{s, scoredesk, stderr, stdout};
use scoredesk::commands;
use scoredesk::store::Store;

/// Reads a CSV file as a spreadsheet would (BOM dropped, quoted fields), header first.
fn read_csv(text: &str) -> Vec<Vec<String>> {
    let text = text.trim_start_matches('\u{feff}');
    csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes())
        .records()
        .map(|r| r.expect("record").iter().map(str::to_string).collect())
        .collect()
}

/// Issue 14.2: a dropped score in a CSV is a plain number (a bracketed "(93.50)" reads as −93.5
/// in Excel, WPS and LibreOffice); which scores were dropped is its own column.
#[test]
fn csv_scores_are_plain_numbers_and_dropped_ones_are_named_in_a_column() {
    let dir = tempfile::tempdir().expect("dir");
    let path = dir.path().join("比赛.sqlite");
    drop(commands::build_demo(&path, 30, 3).expect("demo"));
    let results = scoredesk::scoring::compute(
        &Store::open(&path)
            .expect("open")
            .scoring_input()
            .expect("input"),
    );
    let e05 = results
        .events
        .iter()
        .find(|e| e.code == "E05")
        .expect("E05");
    let out = scoredesk(&["results", s(&path), "--event", "E05", "--format", "csv"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let from_results = read_csv(&stdout(&out));
    let folder = dir.path().join("csv");
    let out = scoredesk(&["export", "csv", s(&path), "--out", s(&folder)]);
    assert!(out.status.success(), "{}", stderr(&out));
    let file = std::fs::read_dir(&folder)
        .expect("folder")
        .map(|e| e.expect("entry").path())
        .find(|p| {
            p.file_name()
                .is_some_and(|n| n.to_string_lossy().starts_with("E05"))
        })
        .expect("the E05 table");
    let from_export = read_csv(&std::fs::read_to_string(&file).expect("read"));
    for table in [from_results, from_export] {
        let header = &table[0];
        let dropped_col = header
            .iter()
            .position(|h| h == "去掉的评分")
            .expect("a dropped-scores column");
        let id_col = header.iter().position(|h| h == "编号").expect("编号");
        let mut checked = 0;
        for row in &table[1..] {
            let Some(entry) = e05
                .groups
                .iter()
                .flat_map(|g| &g.entries)
                .find(|e| row.get(id_col) == Some(&e.contestant))
            else {
                continue;
            };
            for sc in &entry.scores {
                let col = header
                    .iter()
                    .position(|h| h.contains(&sc.judge))
                    .unwrap_or_else(|| panic!("a column for {}", sc.judge));
                let cell = &row[col];
                let value: f64 = cell
                    .parse()
                    .unwrap_or_else(|_| panic!("{cell:?} is not a plain number"));
                assert!(value >= 0.0, "{cell} reads as negative");
                assert_eq!(cell, &sc.score.format(2));
                assert_eq!(
                    row[dropped_col].split(' ').any(|j| j.contains(&sc.judge)),
                    sc.dropped,
                    "{}: {} dropped = {}",
                    entry.contestant,
                    sc.judge,
                    sc.dropped
                );
            }
            checked += 1;
        }
        assert!(checked > 0, "rows were compared");
    }
}
