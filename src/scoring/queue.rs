//! A judge's queue (评分队列): the event's contestants in draw order, each with its draw code,
//! the judge's sheet status, and whether the judge must recuse (by `eligibility`). Pure: the
//! scoring screen draws it.

use std::collections::HashMap;

use crate::model::{Contestant, Event, Judge, SheetStatus};

use super::eligibility;

/// One contestant in the judge's queue.
#[derive(Clone, Debug, PartialEq)]
pub struct QueueItem {
    pub contestant: String,
    /// Anonymous code (or 编号 before the draw).
    pub code: String,
    pub name: String,
    pub status: Option<SheetStatus>,
    pub recused: bool,
}

/// The queue of `judge` (if known) for `event`: `entries` are the event's (contestant id,
/// draw code) in draw order; `statuses` the judge's sheet status per contestant.
pub fn build(
    event: Option<&Event>,
    judge: Option<&Judge>,
    entries: &[(&str, Option<&str>)],
    contestants: &HashMap<&str, &Contestant>,
    statuses: &HashMap<String, SheetStatus>,
) -> Vec<QueueItem> {
    entries
        .iter()
        .filter_map(|&(id, code)| {
            let c = contestants.get(id)?;
            Some(QueueItem {
                contestant: c.id.clone(),
                code: code.map_or_else(|| c.id.clone(), str::to_string),
                name: c.name.clone(),
                status: statuses.get(&c.id).copied(),
                recused: match (event, judge) {
                    (Some(ev), Some(j)) => eligibility::recuses(ev, j, c),
                    _ => false,
                },
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Aggregate, Stage};
    use crate::scoring::tests::{contestant, event, judge};

    #[test]
    fn the_queue_follows_the_draw_and_marks_recusal_and_status() {
        let e = event("E1", 3, 0, Aggregate::Mean, "100");
        let a = contestant("A", Stage::Primary, "语文", "一中");
        let b = contestant("B", Stage::Primary, "语文", "二中");
        let j = judge("J1", "二中", &["E1"]);
        let people: HashMap<&str, &Contestant> = [("A", &a), ("B", &b)].into_iter().collect();
        let statuses: HashMap<String, SheetStatus> = [("A".to_string(), SheetStatus::Submitted)]
            .into_iter()
            .collect();
        let q = build(
            Some(&e),
            Some(&j),
            &[("B", Some("E1-001")), ("A", Some("E1-002"))],
            &people,
            &statuses,
        );
        assert_eq!(q.len(), 2);
        assert_eq!((q[0].code.as_str(), q[0].recused), ("E1-001", true));
        assert_eq!(q[1].status, Some(SheetStatus::Submitted));
        assert!(!q[1].recused);
    }
}
