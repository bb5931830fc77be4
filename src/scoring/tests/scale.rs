//! A full-size competition: 2,000 contestants × 13 events × 7 judges. The target is under
//! 50 ms in a release build (measured by `benches/results.rs`); this test checks the results
//! (the same on one thread or several) and prints the time; in a release build it
//! fails only on a gross slowdown (so a busy machine does not make it flaky).

use std::time::Instant;

use super::*;

#[test]
fn two_thousand_contestants_thirteen_events_seven_judges() {
    let codes: Vec<String> = (1..=13).map(|i| format!("E{i:02}")).collect();
    let events = codes
        .iter()
        .map(|code| event(code, 7, 1, Aggregate::Mean, "100"))
        .collect();
    let mut fx = Fixture::new(events);
    let code_refs: Vec<&str> = codes.iter().map(String::as_str).collect();
    fx.judges(7, &code_refs);
    let subjects = ["语文", "数学", "英语", "物理"];
    let stages = [Stage::Primary, Stage::Junior, Stage::Senior];
    let mut state: u64 = 0x2545_F491_4F6C_DD1D;
    for i in 0..2_000_usize {
        let id = format!("C{i:04}");
        let c = contestant(
            &id,
            stages[i % stages.len()],
            subjects[i / 3 % subjects.len()],
            &format!("学校{}", i % 97),
        );
        fx.add(c, &code_refs);
        for code in &codes {
            for j in 1..=7 {
                state ^= state << 13;
                state ^= state >> 7;
                state ^= state << 17;
                let raw = 600_000 + i64::try_from(state % 4_000).unwrap_or(0) * 100;
                let mut s = sheet(code, &id, &format!("J{j}"), "0");
                s.total = Fixed::from_raw(raw);
                fx.input.sheets.push(s);
            }
        }
    }
    assert_eq!(fx.input.sheets.len(), 182_000);

    // The first run also pays for fresh memory pages; later runs reuse freed memory.
    let start = Instant::now();
    let results = fx.compute();
    let cold = start.elapsed();
    drop(results);
    let start = Instant::now();
    let results = fx.compute();
    let elapsed = start.elapsed();
    eprintln!("compute: {cold:?} cold, {elapsed:?} warm, for 182,000 sheets");

    assert_eq!(results.events.len(), 13);
    assert_eq!(results.overall.groups.len(), 12);
    let ranked = results
        .overall
        .groups
        .iter()
        .flat_map(|g| &g.entries)
        .filter(|e| e.rank.is_some())
        .count();
    assert_eq!(ranked, 2_000);
    for table in &results.events {
        let entries: usize = table.groups.iter().map(|g| g.entries.len()).sum();
        assert_eq!(entries, 2_000);
        assert!(
            table
                .groups
                .iter()
                .flat_map(|g| &g.entries)
                .all(|e| e.trim_applied == 1 && !e.provisional)
        );
    }
    assert_eq!(
        crate::scoring::compute_with(&fx.input, false),
        results,
        "one thread or several, the results are the same"
    );
    if !cfg!(debug_assertions) {
        assert!(
            elapsed.as_millis() < 250,
            "compute took {elapsed:?}; the target is 50 ms"
        );
    }
}
