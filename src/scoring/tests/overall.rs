//! The overall (综合) table: normalisation to 100, weights, unranked contestants.

use super::*;
use crate::model::{Rational, TieBreak};
use crate::scoring::{Decider, Unranked};

/// E1: mean, 100 points, weight 1. E2: mean, 50 points, weight 2. E3: sum of 3 judges of
/// 10 points (full marks 30), weight 1. Three judges on every panel, no trimming.
fn fixture() -> Fixture {
    let mut e2 = event("E2", 3, 1, Aggregate::Mean, "50");
    e2.weight = f("2");
    let mut fx = Fixture::new(vec![
        event("E1", 3, 1, Aggregate::Mean, "100"),
        e2,
        event("E3", 3, 1, Aggregate::Sum, "10"),
    ]);
    fx.judges(3, &["E1", "E2", "E3"]);
    fx
}

fn same(mark: &str) -> [&str; 3] {
    [mark, mark, mark]
}

#[test]
fn totals_are_normalised_to_100_and_weighted() {
    let mut fx = fixture();
    let all = ["E1", "E2", "E3"];
    fx.contestant("A", &all).contestant("B", &all);
    // A: 85.5 → 85.5; 35 of 50 → 70 (weight 2); 9 + 9 + 9 = 27 of 30 → 90.
    // (85.5 + 2 × 70 + 90) / 4 = 315.5 / 4 = 78.875 → 78.88
    fx.scores("E1", "A", &same("85.5"))
        .scores("E2", "A", &same("35"))
        .scores("E3", "A", &same("9"));
    // B: 70; 45 → 90; 5 × 3 = 15 → 50. (70 + 180 + 50) / 4 = 75
    fx.scores("E1", "B", &same("70"))
        .scores("E2", "B", &same("45"))
        .scores("E3", "B", &same("5"));
    let results = fx.compute();
    assert_eq!(results.overall.decimals, 2);

    let a = overall(&results, "A");
    assert_eq!(a.unrounded, Some(Rational::new(631, 8)));
    assert_eq!(a.total, Some(f("78.88")));
    assert_eq!(a.rank, Some(1));
    assert_eq!(a.decided_by, Decider::Score);
    assert!(a.unranked.is_empty());
    assert!(!a.provisional);
    assert_eq!(a.events.get("E2"), Some(&Some(f("35"))));
    assert_eq!(a.events.get("E3"), Some(&Some(f("27"))));

    let b = overall(&results, "B");
    assert_eq!(b.total, Some(f("75")));
    assert_eq!(b.rank, Some(2));
}

#[test]
fn only_the_events_entered_count() {
    let mut fx = fixture();
    fx.contestant("A", &["E1", "E3"]);
    fx.scores("E1", "A", &same("80"))
        .scores("E3", "A", &same("10"));
    let results = fx.compute();
    let a = overall(&results, "A");
    // (80 + 100) / 2
    assert_eq!(a.total, Some(f("90")));
    assert_eq!(a.events.len(), 2);
    assert_eq!(a.rank, Some(1));
}

#[test]
fn missing_or_provisional_events_leave_the_contestant_unranked_with_the_reason() {
    let mut fx = fixture();
    let all = ["E1", "E2", "E3"];
    fx.contestant("A", &all)
        .contestant("B", &all)
        .contestant("C", &all);
    fx.add(contestant("D", Stage::Primary, "语文", "x"), &[]);
    for id in ["A", "B", "C"] {
        fx.scores("E1", id, &same("80"));
        fx.scores("E3", id, &same("8"));
    }
    fx.scores("E2", "A", &same("40"));
    // B has no E2 score at all; C's E2 is missing one judge.
    fx.scores("E2", "C", &["40", "40", "-"]);
    let results = fx.compute();

    let a = overall(&results, "A");
    assert_eq!(a.rank, Some(1));

    let b = overall(&results, "B");
    assert_eq!(b.rank, None);
    assert_eq!(b.total, None);
    assert_eq!(b.unrounded, None);
    assert_eq!(b.decided_by, Decider::Unranked);
    assert_eq!(b.events.get("E2"), Some(&None));
    assert_eq!(b.unranked, [Unranked::NoScore(vec!["E2 项目E2".into()])]);
    assert!(b.provisional);

    let c = overall(&results, "C");
    assert_eq!(c.rank, None);
    assert_eq!(c.total, None);
    assert!(c.provisional);
    assert_eq!(c.unranked, [Unranked::Pending(vec!["E2 项目E2".into()])]);
    assert_eq!(c.events.get("E2"), Some(&Some(f("40"))));

    let d = overall(&results, "D");
    assert_eq!(d.rank, None);
    assert_eq!(d.unranked, [Unranked::NoEvents]);

    let table = &results.overall.groups[0].entries;
    assert_eq!(order(table, |e| &e.contestant), vec!["A", "B", "C", "D"]);
}

#[test]
fn overall_ties_use_the_unrounded_total_then_the_key_event() {
    let mut fx = fixture();
    fx.input.setup.ranking.tiebreak = vec![TieBreak::Unrounded, TieBreak::Event("E2".into())];
    for id in ["A", "B", "C"] {
        fx.contestant(id, &["E1", "E2"]);
    }
    // A: (80 + 2 × 80) / 3 = 80; B: (90 + 2 × 75) / 3 = 80; C: (79.99 + 2 × 80) / 3 = 79.9966…
    fx.scores("E1", "A", &same("80"))
        .scores("E2", "A", &same("40"));
    fx.scores("E1", "B", &same("90"))
        .scores("E2", "B", &same("37.5"));
    fx.scores("E1", "C", &same("79.99"))
        .scores("E2", "C", &same("40"));
    let results = fx.compute();
    let table = &results.overall.groups[0].entries;
    assert!(table.iter().all(|e| e.total == Some(f("80"))));
    // A and B are equal on the unrounded total; E2: A 40 > B 37.5.
    assert_eq!(order(table, |e| &e.contestant), vec!["A", "B", "C"]);
    let key = Decider::TieBreak(TieBreak::Event("E2".into()));
    assert_eq!(overall(&results, "A").decided_by, key);
    assert_eq!(overall(&results, "B").decided_by, key);
    assert_eq!(
        overall(&results, "C").decided_by,
        Decider::TieBreak(TieBreak::Unrounded)
    );
    let ranks: Vec<Option<u32>> = table.iter().map(|e| e.rank).collect();
    assert_eq!(ranks, vec![Some(1), Some(2), Some(3)]);
}

#[test]
fn overall_awards_per_group() {
    let mut fx = fixture();
    for i in 1..=10 {
        let id = format!("C{i:02}");
        fx.contestant(&id, &["E1"]);
        let mark = format!("{}", 100 - i);
        fx.scores("E1", &id, &[&mark, &mark, &mark]);
    }
    let results = fx.compute();
    let awards: Vec<Option<&str>> = results.overall.groups[0]
        .entries
        .iter()
        .map(|e| e.award.as_deref())
        .collect();
    let (one, two, three) = (Some("一等奖"), Some("二等奖"), Some("三等奖"));
    assert_eq!(
        awards,
        vec![one, two, two, three, three, three, None, None, None, None]
    );
}
