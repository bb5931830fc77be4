//! External check: the Paris 2024 men's 10 m platform final. Seven judges, drop the two
//! highest and two lowest, sum the middle three, times the difficulty — all 72 published
//! round scores must come out exactly.

use super::*;
use crate::model::Rational;

struct Dive {
    row: usize,
    marks: Vec<String>,
    difficulty: Fixed,
    round_score: Fixed,
}

fn read_dives() -> Vec<Dive> {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/reference/divingParis.csv"
    );
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| {
        panic!("the diving reference {path} is required for this test and could not be read: {e}")
    });
    let mut lines = text.lines();
    let header: Vec<&str> = lines.next().expect("a header row").split(',').collect();
    let column = |name: &str| {
        header
            .iter()
            .position(|h| h.trim() == name)
            .unwrap_or_else(|| panic!("column {name} missing in {path}"))
    };
    let judges: Vec<usize> = (1..=7).map(|i| column(&format!("Judge{i}"))).collect();
    let (difficulty, round_score) = (column("Difficulty"), column("Round_Score"));
    lines
        .filter(|line| !line.trim().is_empty())
        .enumerate()
        .map(|(i, line)| {
            let cells: Vec<&str> = line.split(',').map(str::trim).collect();
            let cell = |c: usize| {
                *cells
                    .get(c)
                    .unwrap_or_else(|| panic!("row {} is short: {line}", i + 2))
            };
            Dive {
                row: i + 2,
                marks: judges.iter().map(|&c| cell(c).to_string()).collect(),
                difficulty: f(cell(difficulty)),
                round_score: f(cell(round_score)),
            }
        })
        .collect()
}

#[test]
fn paris_2024_platform_final_reproduces_every_round_score() {
    let dives = read_dives();
    assert_eq!(dives.len(), 72, "12 divers × 6 rounds");

    let mut fx = Fixture::new(vec![event("DIVE", 7, 2, Aggregate::Sum, "10")]);
    fx.judges(7, &["DIVE"]);
    for dive in &dives {
        let id = format!("R{:02}", dive.row);
        fx.contestant(&id, &["DIVE"]);
        let marks: Vec<&str> = dive.marks.iter().map(String::as_str).collect();
        fx.scores("DIVE", &id, &marks);
    }
    let results = fx.compute();

    for dive in &dives {
        let e = entry(&results, "DIVE", &format!("R{:02}", dive.row));
        assert_eq!(e.trim_applied, 2);
        assert_eq!(e.scores.iter().filter(|s| s.dropped).count(), 4);
        let sum = e.final_score.expect("a complete panel has a score");
        let round = Rational::from(sum) * Rational::from(dive.difficulty);
        assert_eq!(
            round,
            Rational::from(dive.round_score),
            "row {}: marks {:?}, sum {sum} × {} ≠ {}",
            dive.row,
            dive.marks,
            dive.difficulty,
            dive.round_score
        );
    }
}
