//! Award tiers through `compute`: cumulative boundaries, ties across a boundary, minimum
//! score, provisional entries.

use super::*;
use crate::model::{AwardBasis, AwardRounding, AwardTier};
use crate::scoring::Pending;

/// One event with a single judge (no trimming), so each mark is the final score.
fn fixture(marks: &[&str]) -> Fixture {
    let mut fx = Fixture::new(vec![event("E1", 1, 0, Aggregate::Mean, "100")]);
    fx.judges(1, &["E1"]);
    for (i, mark) in marks.iter().enumerate() {
        let id = format!("C{:02}", i + 1);
        fx.contestant(&id, &["E1"]);
        fx.scores("E1", &id, &[mark]);
    }
    fx
}

/// The award of each entry in table order (`-` for none), with `*` for a tie flag.
fn awards(results: &Results) -> Vec<String> {
    results.events[0].groups[0]
        .entries
        .iter()
        .map(|e| {
            let flag = if e.tie_flag { "*" } else { "" };
            format!("{}{flag}", e.award.as_deref().unwrap_or("-"))
        })
        .collect()
}

fn count(results: &Results, award: &str) -> usize {
    awards(results).iter().filter(|a| *a == award).count()
}

fn distinct_marks(n: usize) -> Vec<String> {
    (0..n).map(|i| format!("{}", 90 - i)).collect()
}

#[test]
fn forty_five_ranked_get_5_9_13() {
    let marks = distinct_marks(45);
    let marks: Vec<&str> = marks.iter().map(String::as_str).collect();
    let results = fixture(&marks).compute();
    assert_eq!(count(&results, "一等奖"), 5);
    assert_eq!(count(&results, "二等奖"), 9);
    assert_eq!(count(&results, "三等奖"), 13);
    assert_eq!(count(&results, "-"), 18);
    assert_eq!(
        entry(&results, "E1", "C05").award.as_deref(),
        Some("一等奖")
    );
    assert_eq!(
        entry(&results, "E1", "C06").award.as_deref(),
        Some("二等奖")
    );
    assert_eq!(
        entry(&results, "E1", "C27").award.as_deref(),
        Some("三等奖")
    );
    assert_eq!(entry(&results, "E1", "C28").award, None);
}

#[test]
fn floor_and_ceil_rounding_of_places() {
    let marks = distinct_marks(45);
    let marks: Vec<&str> = marks.iter().map(String::as_str).collect();
    let mut fx = fixture(&marks);
    fx.input.setup.awards.rounding = AwardRounding::Floor;
    let results = fx.compute();
    // floor: 4, 13, 27 → 4, 9, 14
    assert_eq!(count(&results, "一等奖"), 4);
    assert_eq!(count(&results, "二等奖"), 9);
    assert_eq!(count(&results, "三等奖"), 14);
    fx.input.setup.awards.rounding = AwardRounding::Ceil;
    let results = fx.compute();
    // ceil: 5, 14, 27
    assert_eq!(count(&results, "一等奖"), 5);
    assert_eq!(count(&results, "二等奖"), 9);
    assert_eq!(count(&results, "三等奖"), 13);
}

#[test]
fn count_basis() {
    let marks = distinct_marks(6);
    let marks: Vec<&str> = marks.iter().map(String::as_str).collect();
    let mut fx = fixture(&marks);
    fx.input.setup.awards.basis = AwardBasis::Count;
    fx.input.setup.awards.tiers = [("一等奖", 1), ("二等奖", 2), ("三等奖", 5)]
        .into_iter()
        .map(|(name, count)| AwardTier {
            name: name.into(),
            ratio: None,
            count: Some(count),
        })
        .collect();
    let results = fx.compute();
    // 1, 3, then capped at 6 places.
    assert_eq!(
        awards(&results),
        vec!["一等奖", "二等奖", "二等奖", "三等奖", "三等奖", "三等奖"]
    );
}

#[test]
fn a_tie_across_a_boundary_gets_the_better_tier_and_is_flagged() {
    // N = 10, 10/20/30 %, round → boundaries 1, 3, 6.
    // Ranks: 1, 2, 2, 2, 5, 6, 7, 7, 9, 10.
    let results = fixture(&["100", "95", "95", "95", "90", "85", "80", "80", "70", "60"]).compute();
    assert_eq!(
        awards(&results),
        vec![
            "一等奖",
            "二等奖*",
            "二等奖*",
            "二等奖*",
            "三等奖",
            "三等奖",
            "-",
            "-",
            "-",
            "-"
        ]
    );
    let ranks: Vec<Option<u32>> = results.events[0].groups[0]
        .entries
        .iter()
        .map(|e| e.rank)
        .collect();
    let expected = [1, 2, 2, 2, 5, 6, 7, 7, 9, 10].map(Some);
    assert_eq!(ranks, expected);
}

#[test]
fn a_tie_inside_a_tier_is_not_flagged() {
    // Boundaries 1, 3, 6; ranks 1, 2, 2, 4, 4, 6, …: no tie crosses a boundary.
    let results = fixture(&["100", "95", "95", "90", "90", "85", "80", "79", "78", "77"]).compute();
    assert_eq!(
        awards(&results),
        vec![
            "一等奖",
            "二等奖",
            "二等奖",
            "三等奖",
            "三等奖",
            "三等奖",
            "-",
            "-",
            "-",
            "-"
        ]
    );
}

#[test]
fn minimum_score_withholds_awards_without_changing_the_places() {
    let mut fx = fixture(&["100", "95", "94", "93", "90", "85", "80", "79", "70", "60"]);
    fx.input.setup.awards.min_score = Some(f("88"));
    let results = fx.compute();
    assert_eq!(
        awards(&results),
        vec![
            "一等奖",
            "二等奖",
            "二等奖",
            "三等奖",
            "三等奖",
            "-",
            "-",
            "-",
            "-",
            "-"
        ]
    );
}

#[test]
fn provisional_entries_get_no_award_and_are_not_counted() {
    let marks = distinct_marks(10);
    let marks: Vec<&str> = marks.iter().map(String::as_str).collect();
    let mut fx = fixture(&marks);
    // An eleventh contestant with a sheet from a judge outside the panel (which does not
    // count); the panel judge J1 has not scored yet, so the result is provisional.
    fx.contestant("C99", &["E1"]);
    fx.input.sheets.push(sheet("E1", "C99", "J9", "100"));
    let results = fx.compute();
    let c99 = entry(&results, "E1", "C99");
    assert!(c99.provisional);
    assert_eq!(c99.missing, vec!["J1"]);
    assert_eq!(c99.pending, [Pending::NotSubmitted("J1".into())]);
    assert_eq!(c99.final_score, None);
    assert_eq!(c99.rank, None);
    assert_eq!(c99.award, None);
    // N = 10 → boundaries 1, 3, 6, whatever C99 scores.
    assert_eq!(count(&results, "一等奖"), 1);
    assert_eq!(count(&results, "二等奖"), 2);
    assert_eq!(count(&results, "三等奖"), 3);
}

#[test]
fn an_award_decision_replaces_the_tier_and_clears_the_flag_only_while_ranked() {
    // Ranks 1, 2, 2, 2 …: the three at rank 2 straddle the 二等奖 boundary (3).
    let marks = ["100", "95", "95", "95", "90", "85", "80", "80", "70", "60"];
    let mut fx = fixture(&marks);
    fx.input.award_decisions.push(crate::model::AwardDecision {
        event: "E1".into(),
        contestant: "C04".into(),
        tier: Some("三等奖".into()),
        reason: "组委会讨论决定".into(),
    });
    // A decision on another table (the overall) does not touch the event table.
    fx.input.award_decisions.push(crate::model::AwardDecision {
        event: crate::model::OVERALL.into(),
        contestant: "C02".into(),
        tier: None,
        reason: "综合另议".into(),
    });
    let results = fx.compute();
    let c04 = entry(&results, "E1", "C04");
    assert_eq!(c04.award.as_deref(), Some("三等奖"));
    assert!(!c04.tie_flag, "decided: no longer flagged");
    assert_eq!(c04.award_decision.as_deref(), Some("组委会讨论决定"));
    let c02 = entry(&results, "E1", "C02");
    assert_eq!(c02.award.as_deref(), Some("二等奖"));
    assert!(c02.tie_flag && c02.award_decision.is_none());
    let overall_c02 = results
        .overall
        .groups
        .iter()
        .flat_map(|g| &g.entries)
        .find(|e| e.contestant == "C02")
        .expect("overall entry");
    assert_eq!(
        overall_c02.award, None,
        "the overall decision applies there"
    );
    assert_eq!(overall_c02.award_decision.as_deref(), Some("综合另议"));

    // The sheet is re-opened (no score): not ranked, so the decision waits.
    fx.input
        .sheets
        .retain(|s| !(s.contestant == "C04" && s.event == "E1"));
    let results = fx.compute();
    let c04 = entry(&results, "E1", "C04");
    assert_eq!(c04.rank, None);
    assert_eq!(c04.award, None);
    assert_eq!(c04.award_decision, None);
}
