//! Hand-computed panel results: trimming, mean and sum, penalties, missing, recused and
//! absent judges, objective events, half-up rounding on exact values.

use super::*;
use crate::model::{Absence, Rational};
use crate::scoring::{Decider, JudgeScore, Pending};

fn dropped(entry: &EventEntry) -> Vec<&str> {
    entry
        .scores
        .iter()
        .filter(|s| s.dropped)
        .map(|s| s.judge.as_str())
        .collect()
}

#[test]
fn five_judges_trim_one_mean() {
    let mut fx = Fixture::new(vec![event("E1", 5, 1, Aggregate::Mean, "100")]);
    fx.judges(5, &["E1"]).contestant("A", &["E1"]);
    fx.scores("E1", "A", &["85", "90", "88", "92", "80"]);
    let results = fx.compute();
    let a = entry(&results, "E1", "A");
    // 80 and 92 dropped; (85 + 88 + 90) / 3 = 87.666…
    assert_eq!(dropped(a), vec!["J4", "J5"]);
    assert_eq!(a.trim_applied, 1);
    assert_eq!(a.panel, Some(Rational::new(263, 3)));
    assert_eq!(a.unrounded, Some(Rational::new(263, 3)));
    assert_eq!(a.final_score, Some(f("87.67")));
    assert!(!a.provisional);
    assert!(a.missing.is_empty());
    assert_eq!(a.rank, Some(1));
    assert_eq!(a.decided_by, Decider::Score);
    assert_eq!(
        a.scores.first(),
        Some(&JudgeScore {
            judge: "J1".into(),
            score: f("85"),
            dropped: false
        })
    );
    assert_eq!(results.events[0].full_marks, f("100"));
}

#[test]
fn seven_judges_trim_one_and_trim_two() {
    let scores = ["9.0", "8.5", "8.0", "9.5", "7.0", "8.5", "9.0"];
    let mut fx = Fixture::new(vec![
        event("T1", 7, 1, Aggregate::Mean, "10"),
        event("T2", 7, 2, Aggregate::Mean, "10"),
    ]);
    fx.judges(7, &["T1", "T2"]).contestant("A", &["T1", "T2"]);
    fx.scores("T1", "A", &scores).scores("T2", "A", &scores);
    let results = fx.compute();

    // Trim 1: drop 7.0 (J5) and 9.5 (J4); (8.0 + 8.5 + 8.5 + 9.0 + 9.0) / 5 = 8.6
    let t1 = entry(&results, "T1", "A");
    assert_eq!(t1.trim_applied, 1);
    assert_eq!(dropped(t1), vec!["J4", "J5"]);
    assert_eq!(t1.panel, Some(Rational::from(f("8.6"))));
    assert_eq!(t1.final_score, Some(f("8.60")));

    // Trim 2: sorted by (score, judge): J5 7.0, J3 8.0, J2 8.5, J6 8.5, J1 9.0, J7 9.0, J4 9.5
    // → drop J5, J3 (lowest) and J7, J4 (highest); (8.5 + 8.5 + 9.0) / 3 = 8.666…
    let t2 = entry(&results, "T2", "A");
    assert_eq!(t2.trim_applied, 2);
    assert_eq!(dropped(t2), vec!["J3", "J4", "J5", "J7"]);
    assert_eq!(t2.panel, Some(Rational::new(26, 3)));
    assert_eq!(t2.final_score, Some(f("8.67")));
}

#[test]
fn sum_aggregate() {
    let mut fx = Fixture::new(vec![event("E1", 5, 1, Aggregate::Sum, "10")]);
    fx.judges(5, &["E1"]).contestant("A", &["E1"]);
    fx.scores("E1", "A", &["8", "7.5", "9", "6", "8.5"]);
    let results = fx.compute();
    let a = entry(&results, "E1", "A");
    // drop 6 and 9; 8 + 7.5 + 8.5 = 24
    assert_eq!(a.final_score, Some(f("24")));
    assert_eq!(dropped(a), vec!["J3", "J4"]);
    // A full panel of 5 keeps 3 sheets of 10 points each.
    assert_eq!(results.events[0].full_marks, f("30"));
}

#[test]
fn penalties_are_summed_subtracted_and_clamped_at_zero() {
    let mut fx = Fixture::new(vec![event("E1", 5, 1, Aggregate::Mean, "100")]);
    fx.judges(5, &["E1"])
        .contestant("A", &["E1"])
        .contestant("B", &["E1"]);
    fx.scores("E1", "A", &["90", "91", "89", "90", "90"])
        .penalty("E1", "A", "2")
        .penalty("E1", "A", "0.5");
    fx.scores("E1", "B", &["1", "1", "1", "1", "1"])
        .penalty("E1", "B", "2");
    let results = fx.compute();
    let a = entry(&results, "E1", "A");
    assert_eq!(a.panel, Some(Rational::from_int(90)));
    assert_eq!(a.penalty, f("2.5"));
    assert_eq!(a.unrounded, Some(Rational::from(f("87.5"))));
    assert_eq!(a.final_score, Some(f("87.5")));
    let b = entry(&results, "E1", "B");
    assert_eq!(b.penalty, f("2"));
    assert_eq!(b.unrounded, Some(Rational::from_int(0)));
    assert_eq!(b.final_score, Some(Fixed::ZERO));
}

#[test]
fn a_missing_judge_makes_the_result_provisional() {
    let mut fx = Fixture::new(vec![event("E1", 5, 1, Aggregate::Mean, "100")]);
    fx.judges(5, &["E1"]).contestant("A", &["E1"]);
    fx.scores("E1", "A", &["85", "90", "88", "92", "-"]);
    // A draft and a voided sheet from J5 do not count.
    let mut draft = sheet("E1", "A", "J5", "99");
    draft.status = SheetStatus::Draft;
    let mut voided = sheet("E1", "A", "J5", "10");
    voided.status = SheetStatus::Voided;
    fx.input.sheets.extend([draft, voided]);
    let results = fx.compute();
    let a = entry(&results, "E1", "A");
    assert_eq!(a.missing, vec!["J5"]);
    assert!(a.provisional);
    // Four scores: no trimming; (85 + 90 + 88 + 92) / 4 = 88.75, shown but not ranked.
    assert_eq!(a.trim_applied, 0);
    assert_eq!(a.final_score, Some(f("88.75")));
    assert_eq!(a.rank, None);
    assert_eq!(a.decided_by, Decider::Unranked);
    assert_eq!(a.award, None);
}

#[test]
fn no_sheets_at_all_gives_no_score() {
    let mut fx = Fixture::new(vec![event("E1", 5, 1, Aggregate::Mean, "100")]);
    fx.judges(5, &["E1"]).contestant("A", &["E1"]);
    let results = fx.compute();
    let a = entry(&results, "E1", "A");
    assert_eq!(a.missing.len(), 5);
    assert!(a.provisional);
    assert_eq!(a.panel, None);
    assert_eq!(a.final_score, None);
}

#[test]
fn a_recused_judge_is_excluded_and_trimming_adapts() {
    let mut fx = Fixture::new(vec![
        event("E1", 5, 1, Aggregate::Mean, "100"),
        event("E2", 7, 2, Aggregate::Mean, "100"),
    ]);
    fx.judges(7, &["E1", "E2"]);
    // J2 works at the contestant's school: 回避.
    let c = contestant("A", Stage::Junior, "数学", "评委单位2");
    fx.add(c, &["E1", "E2"]);
    fx.scores("E1", "A", &["85", "99", "88", "92", "80"]);
    fx.scores("E2", "A", &["85", "-", "88", "92", "80", "86", "90"]);
    // Only J1…J5 sit on E1: drop J6, J7 from E1's panel.
    for j in fx.input.judges.iter_mut().skip(5) {
        j.events = vec!["E2".into()];
    }
    let results = fx.compute();

    let e1 = entry(&results, "E1", "A");
    assert_eq!(e1.recused, vec!["J2"]);
    assert!(
        e1.scores.iter().all(|s| s.judge != "J2"),
        "J2's sheet is ignored"
    );
    assert!(e1.missing.is_empty());
    assert!(!e1.provisional);
    // Four scores left: no trimming. (85 + 88 + 92 + 80) / 4 = 86.25
    assert_eq!(e1.trim_applied, 0);
    assert_eq!(e1.final_score, Some(f("86.25")));

    // E2: seven judges, trim 2, one recused → six scores, trim 1:
    // 80, 85, 86, 88, 90, 92 → (85 + 86 + 88 + 90) / 4 = 87.25
    let e2 = entry(&results, "E2", "A");
    assert_eq!(e2.recused, vec!["J2"]);
    assert_eq!(e2.trim_applied, 1);
    assert_eq!(e2.final_score, Some(f("87.25")));
    assert_eq!(e2.rank, Some(1));
}

#[test]
fn absences_are_not_missing() {
    let mut fx = Fixture::new(vec![event("E1", 5, 1, Aggregate::Mean, "100")]);
    fx.judges(5, &["E1"])
        .contestant("A", &["E1"])
        .contestant("B", &["E1"]);
    // J5 is absent for the whole event; J4 only for contestant A.
    fx.input.absences.push(Absence {
        event: "E1".into(),
        judge: "J5".into(),
        contestant: None,
        reason: "病假".into(),
    });
    fx.input.absences.push(Absence {
        event: "E1".into(),
        judge: "J4".into(),
        contestant: Some("A".into()),
        reason: "临时离场".into(),
    });
    fx.scores("E1", "A", &["85", "90", "88", "-", "-"]);
    fx.scores("E1", "B", &["85", "90", "88", "-", "-"]);
    let results = fx.compute();
    let a = entry(&results, "E1", "A");
    assert_eq!(a.absent, vec!["J4", "J5"]);
    assert!(a.missing.is_empty());
    assert!(!a.provisional);
    assert_eq!(a.final_score, Some(f("87.67")));
    let b = entry(&results, "E1", "B");
    assert_eq!(b.absent, vec!["J5"]);
    assert_eq!(b.missing, vec!["J4"]);
    assert!(b.provisional);
}

#[test]
fn exact_half_rounds_up() {
    // Six judges, trim 1: drop 7.00 and 9.50; (8.16 + 8.16 + 8.17 + 8.17) / 4 = 8.165 exactly.
    // As a binary float 8.165 is 8.16499…, which would wrongly round to 8.16.
    let mut fx = Fixture::new(vec![event("E1", 6, 1, Aggregate::Mean, "10")]);
    fx.judges(6, &["E1"]).contestant("A", &["E1"]);
    fx.scores("E1", "A", &["8.16", "7.00", "8.17", "9.50", "8.16", "8.17"]);
    let results = fx.compute();
    let a = entry(&results, "E1", "A");
    assert_eq!(a.unrounded, Some(Rational::from(f("8.165"))));
    assert_eq!(a.final_score, Some(f("8.17")));
}

#[test]
fn sheets_from_outside_the_panel_do_not_count() {
    let mut fx = Fixture::new(vec![event("E1", 3, 1, Aggregate::Mean, "100")]);
    fx.judges(3, &["E1"]).contestant("A", &["E1"]);
    fx.scores("E1", "A", &["80", "90", "85"]);
    // J9 is not on the panel: its sheet is ignored (the import and the commands refuse it).
    fx.input.sheets.push(sheet("E1", "A", "J9", "70"));
    let results = fx.compute();
    let a = entry(&results, "E1", "A");
    assert_eq!(a.scores.len(), 3);
    assert!(a.scores.iter().all(|s| s.judge != "J9"));
    assert_eq!(a.final_score, Some(f("85")));
    assert!(!a.provisional && a.pending.is_empty());
}

#[test]
fn disagreeing_sheets_of_one_judge_stay_missing() {
    let mut fx = Fixture::new(vec![event("E1", 3, 1, Aggregate::Mean, "100")]);
    fx.judges(3, &["E1"]).contestant("A", &["E1"]);
    fx.scores("E1", "A", &["80", "90", "85"]);
    fx.input.sheets.push(sheet("E1", "A", "J2", "90")); // the same again: fine
    let results = fx.compute();
    assert!(!entry(&results, "E1", "A").provisional);
    fx.input.sheets.push(sheet("E1", "A", "J2", "95")); // a different value: conflict
    let results = fx.compute();
    let a = entry(&results, "E1", "A");
    assert_eq!(a.missing, vec!["J2"]);
    assert!(a.provisional);
    assert_eq!(a.final_score, Some(f("82.5")));
}

/// An objective event with `seats` seats whose panel is the recorders R1, R2 and R3; R1 comes
/// from every contestant's school (no recusal on a written test).
fn objective_fixture(seats: u32) -> Fixture {
    let mut objective = event("E8", seats, 0, Aggregate::Mean, "100");
    objective.kind = EventKind::Objective;
    let mut fx = Fixture::new(vec![objective]);
    for id in ["A", "B", "C", "D"] {
        let c = contestant(id, Stage::Primary, "语文", "一中");
        fx.add(c, &["E8"]);
    }
    for (id, school) in [("R1", "一中"), ("R2", "二中"), ("R3", "三中")] {
        fx.input.judges.push(judge(id, school, &["E8"]));
    }
    fx
}

#[test]
fn objective_events_take_the_single_agreed_score() {
    let mut fx = objective_fixture(1);
    fx.input.sheets.push(sheet("E8", "A", "R1", "88.5"));
    // Two entries that agree.
    fx.input.sheets.push(sheet("E8", "B", "R1", "76"));
    let mut second = sheet("E8", "B", "R2", "76");
    second.status = SheetStatus::Confirmed;
    fx.input.sheets.push(second);
    // Two entries that disagree.
    fx.input.sheets.push(sheet("E8", "C", "R1", "66"));
    fx.input.sheets.push(sheet("E8", "C", "R2", "69"));
    // An entry from someone who is not one of the event's recorders does not count.
    fx.input.sheets.push(sheet("E8", "D", "J7", "99"));
    let results = fx.compute();

    let a = entry(&results, "E8", "A");
    assert_eq!(a.final_score, Some(f("88.5")));
    assert!(!a.provisional && a.missing.is_empty() && a.recused.is_empty());
    assert_eq!(a.trim_applied, 0);
    assert_eq!(a.rank, Some(1));
    let b = entry(&results, "E8", "B");
    assert_eq!(b.final_score, Some(f("76")));
    assert_eq!(b.scores.len(), 2);
    assert_eq!(b.rank, Some(2));
    let c = entry(&results, "E8", "C");
    assert!(c.provisional);
    assert_eq!(c.final_score, None);
    assert_eq!(c.scores.len(), 2);
    assert_eq!(
        c.pending,
        [Pending::EntriesDisagree(vec![f("66"), f("69")])]
    );
    let d = entry(&results, "E8", "D");
    assert!(d.provisional && d.missing.is_empty());
    assert_eq!(d.final_score, None);
    assert_eq!(
        d.pending,
        [Pending::SeatsUnfilled {
            entered: 0,
            seats: 1
        }]
    );
}

#[test]
fn double_entry_needs_both_seats() {
    let mut fx = objective_fixture(2);
    fx.input.sheets.push(sheet("E8", "A", "R1", "88"));
    fx.input.sheets.push(sheet("E8", "B", "R1", "76"));
    fx.input.sheets.push(sheet("E8", "B", "R3", "76"));
    let results = fx.compute();
    let a = entry(&results, "E8", "A");
    assert!(a.provisional, "one entry of two is not final");
    assert_eq!(a.rank, None);
    assert_eq!(
        a.pending,
        [Pending::SeatsUnfilled {
            entered: 1,
            seats: 2
        }]
    );
    let b = entry(&results, "E8", "B");
    assert!(
        !b.provisional,
        "R2 entered nothing and is not missing once both seats are filled"
    );
    assert_eq!(b.final_score, Some(f("76")));
    assert_eq!(b.rank, Some(1));
}

#[test]
fn a_short_sum_panel_is_scaled_to_the_full_panel() {
    // Five judges, drop 1 and 1, sum the middle 3: full marks 3 × 10 = 30. With four scores
    // nothing is trimmed and the four are summed, then scaled by 3/4.
    let mut fx = Fixture::new(vec![event("E1", 5, 1, Aggregate::Sum, "10")]);
    fx.judges(5, &["E1"]).contestant("A", &["E1"]);
    fx.scores("E1", "A", &["9", "8", "8.5", "8.5"]);
    let results = fx.compute();
    let a = entry(&results, "E1", "A");
    assert_eq!(a.trim_applied, 0);
    assert_eq!(a.panel, Some(Rational::new(34 * 3, 4)));
    assert_eq!(a.final_score, Some(f("25.5")));
    assert!(a.provisional, "J5 has not submitted");
    assert_eq!(a.pending, [Pending::NotSubmitted("J5".into())]);
    // The full panel is not scaled: 9 + 8.5 + 8.5 after dropping 9.5 and 8.
    fx.scores("E1", "A", &["9", "8", "8.5", "8.5", "9.5"]);
    let results = fx.compute();
    let a = entry(&results, "E1", "A");
    assert_eq!(a.final_score, Some(f("26")));
    assert!(a.final_score <= Some(f("30")));
}

#[test]
fn event_tables_hold_only_entrants_grouped_by_stage_then_subject() {
    let mut fx = Fixture::new(vec![event("E1", 3, 0, Aggregate::Mean, "100")]);
    fx.judges(3, &["E1"]);
    fx.add(contestant("C1", Stage::Junior, "数学", "x"), &["E1"]);
    fx.add(contestant("C2", Stage::Primary, "语文", "x"), &["E1"]);
    fx.add(contestant("C3", Stage::Primary, "数学", "x"), &["E1"]);
    fx.add(contestant("C4", Stage::Primary, "数学", "x"), &[]);
    let results = fx.compute();
    let groups: Vec<&str> = results.events[0]
        .groups
        .iter()
        .map(|g| g.group.as_str())
        .collect();
    assert_eq!(groups, vec!["小学数学", "小学语文", "初中数学"]);
    assert_eq!(
        results.events[0].groups[0].entries.len(),
        1,
        "C4 did not enter"
    );
}
