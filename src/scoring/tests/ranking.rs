//! Ranking within a group: competition ranking, the tie-break chain, shared ranks.

use super::*;
use crate::model::TieBreak;
use crate::scoring::Decider;

/// Three judges, no trimming: each contestant's mean is the mean of the three given marks.
fn fixture(rows: &[(&str, [&str; 3])]) -> Fixture {
    let mut fx = Fixture::new(vec![
        event("E1", 3, 1, Aggregate::Mean, "100"),
        event("E2", 3, 1, Aggregate::Mean, "100"),
    ]);
    fx.judges(3, &["E1", "E2"]);
    for (id, marks) in rows {
        fx.contestant(id, &["E1"]);
        fx.scores("E1", id, marks);
    }
    fx
}

fn ranks(results: &Results, event: &str) -> Vec<(String, Option<u32>, Decider)> {
    results
        .events
        .iter()
        .filter(|e| e.code == event)
        .flat_map(|e| &e.groups)
        .flat_map(|g| &g.entries)
        .map(|e| (e.contestant.clone(), e.rank, e.decided_by.clone()))
        .collect()
}

fn row(id: &str, rank: Option<u32>, decider: Decider) -> (String, Option<u32>, Decider) {
    (id.to_string(), rank, decider)
}

#[test]
fn competition_ranking_1_2_2_4() {
    let fx = fixture(&[
        ("D", ["80", "80", "80"]),
        ("C", ["85", "85", "85"]),
        ("A", ["90", "90", "90"]),
        ("B", ["85", "85", "85"]),
    ]);
    let results = fx.compute();
    assert_eq!(
        ranks(&results, "E1"),
        vec![
            row("A", Some(1), Decider::Score),
            row("B", Some(2), Decider::Shared),
            row("C", Some(2), Decider::Shared),
            row("D", Some(4), Decider::Score),
        ]
    );
}

#[test]
fn tie_on_the_rounded_score_broken_by_the_unrounded_mean() {
    // B: 255.01 / 3 = 85.00333… and C: 85 — both 85.00 after rounding.
    let fx = fixture(&[
        ("A", ["90", "90", "90"]),
        ("B", ["85", "85", "85.01"]),
        ("C", ["85", "85", "85"]),
        ("D", ["80", "80", "80"]),
    ]);
    let results = fx.compute();
    assert_eq!(entry(&results, "E1", "B").final_score, Some(f("85")));
    assert_eq!(entry(&results, "E1", "C").final_score, Some(f("85")));
    assert_eq!(
        ranks(&results, "E1"),
        vec![
            row("A", Some(1), Decider::Score),
            row("B", Some(2), Decider::TieBreak(TieBreak::Unrounded)),
            row("C", Some(3), Decider::TieBreak(TieBreak::Unrounded)),
            row("D", Some(4), Decider::Score),
        ]
    );
}

#[test]
fn tie_broken_by_a_key_event_after_the_unrounded_mean() {
    let mut fx = fixture(&[
        ("A", ["85", "85", "85"]),
        ("B", ["85", "85", "85"]),
        ("C", ["85", "85", "85"]),
        ("D", ["85", "85", "85"]),
        ("E", ["70", "70", "70"]),
    ]);
    fx.input.setup.ranking.tiebreak = vec![TieBreak::Unrounded, TieBreak::Event("E2".into())];
    // Key event E2: B 80, A 70, C 70; D did not enter E2 (lowest).
    for (id, mark) in [("A", "70"), ("B", "80"), ("C", "70")] {
        fx.input.entries.push(("E2".into(), id.into()));
        fx.scores("E2", id, &[mark, mark, mark]);
    }
    let results = fx.compute();
    let key = Decider::TieBreak(TieBreak::Event("E2".into()));
    assert_eq!(
        ranks(&results, "E1"),
        vec![
            row("B", Some(1), key.clone()),
            row("A", Some(2), Decider::Shared),
            row("C", Some(2), Decider::Shared),
            row("D", Some(4), key),
            row("E", Some(5), Decider::Score),
        ]
    );
}

#[test]
fn provisional_key_event_score_counts_as_missing() {
    let mut fx = fixture(&[("A", ["85", "85", "85"]), ("B", ["85", "85", "85"])]);
    fx.input.setup.ranking.tiebreak = vec![TieBreak::Event("E2".into())];
    fx.input.entries.push(("E2".into(), "A".into()));
    fx.input.entries.push(("E2".into(), "B".into()));
    fx.scores("E2", "A", &["90", "90", "-"]); // provisional
    fx.scores("E2", "B", &["60", "60", "60"]);
    let results = fx.compute();
    let key = Decider::TieBreak(TieBreak::Event("E2".into()));
    assert_eq!(
        ranks(&results, "E1"),
        vec![row("B", Some(1), key.clone()), row("A", Some(2), key)]
    );
}

#[test]
fn shared_ranks_when_the_whole_chain_is_equal() {
    let mut fx = fixture(&[
        ("A", ["88", "88", "88"]),
        ("B", ["88", "88", "88"]),
        ("C", ["88", "88", "88"]),
    ]);
    fx.input.setup.ranking.tiebreak = vec![TieBreak::Unrounded, TieBreak::Event("E2".into())];
    let results = fx.compute();
    assert_eq!(
        ranks(&results, "E1"),
        vec![
            row("A", Some(1), Decider::Shared),
            row("B", Some(1), Decider::Shared),
            row("C", Some(1), Decider::Shared),
        ]
    );
}

#[test]
fn provisional_entries_come_last_unranked() {
    let fx = fixture(&[
        ("A", ["70", "70", "70"]),
        ("Z", ["99", "99", "-"]),
        ("B", ["60", "60", "60"]),
        ("Y", ["-", "-", "-"]),
    ]);
    let results = fx.compute();
    assert_eq!(
        ranks(&results, "E1"),
        vec![
            row("A", Some(1), Decider::Score),
            row("B", Some(2), Decider::Score),
            row("Y", None, Decider::Unranked),
            row("Z", None, Decider::Unranked),
        ]
    );
}

#[test]
fn each_group_is_ranked_on_its_own() {
    let mut fx = fixture(&[("A", ["70", "70", "70"]), ("B", ["60", "60", "60"])]);
    fx.add(contestant("M", Stage::Junior, "数学", "x"), &["E1"]);
    fx.scores("E1", "M", &["50", "50", "50"]);
    let results = fx.compute();
    assert_eq!(entry(&results, "E1", "M").rank, Some(1));
    assert_eq!(entry(&results, "E1", "B").rank, Some(2));
    let groups = &results.events[0].groups;
    assert_eq!(groups.len(), 2);
    assert_eq!(order(&groups[0].entries, |e| &e.contestant), vec!["A", "B"]);
}
