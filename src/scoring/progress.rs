//! The progress matrix (评分进度): one event's contestants × its panel judges — what is
//! submitted, drafted, missing, recused, absent or no longer needed — with scores far from the
//! panel's median and each judge's mean deviation (lenient / harsh). Pure: which cell is which
//! comes from [`eligibility::assess`]; the screen only draws the answer.

use std::collections::HashMap;

use crate::model::{Absence, Contestant, Event, EventKind, Fixed, Judge, Rational, Sheet};

use super::eligibility::{self, Attendance};

/// One cell of the matrix.
#[derive(Clone, Debug, PartialEq)]
pub enum Cell {
    /// A counted sheet's total; `outlier` when it is far from the panel's median;
    /// `from_packet` when it came from a station's packet (USB or network), not the desk.
    Submitted {
        score: Fixed,
        outlier: bool,
        from_packet: bool,
    },
    /// A draft exists; nothing counts yet.
    Draft,
    /// Expected and not submitted (or the judge's own sheets disagree).
    Missing,
    /// 回避: the judge must not score this contestant.
    Recused,
    /// Recorded absent.
    Absent,
    /// Not needed: an objective event whose seats are filled by other recorders.
    NotNeeded,
    /// Submitted, but the score is hidden from the viewing judge until they have submitted
    /// this contestant themselves.
    Hidden,
}

/// One contestant's row.
#[derive(Clone, Debug, PartialEq)]
pub struct Row {
    pub contestant: String,
    /// The draw code (anonymous code), or the contestant id before the draw.
    pub code: String,
    pub name: String,
    /// One per panel judge, in the order of [`Matrix::judges`].
    pub cells: Vec<Cell>,
}

/// The matrix for one event (and whichever contestants the caller chose, e.g. one group).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Matrix {
    /// Panel judge ids, sorted.
    pub judges: Vec<String>,
    pub rows: Vec<Row>,
    /// Per judge: mean (score − panel median) over their counted sheets, if any.
    pub deviation: Vec<Option<Rational>>,
    /// Counted sheets (for an objective event: filled seats).
    pub submitted: usize,
    /// Sheets the results wait for: counted plus missing (objective: seats).
    pub expected: usize,
}

/// The median of `scores` (sorted in place), exactly.
fn median(scores: &mut [Fixed]) -> Option<Rational> {
    scores.sort();
    let n = scores.len();
    match n {
        0 => None,
        _ if n % 2 == 1 => scores.get(n / 2).map(|&s| Rational::from(s)),
        _ => match (scores.get(n / 2 - 1), scores.get(n / 2)) {
            (Some(&a), Some(&b)) => {
                Some((Rational::from(a) + Rational::from(b)) / Rational::from_int(2))
            }
            _ => None,
        },
    }
}

/// Builds the matrix of `event` for `rows` (contestant and draw code, in display order).
/// `judges` may hold everyone (only the event's panel is used); `sheets` and `absences` may
/// hold other events' too.
pub fn build(
    event: &Event,
    judges: &[Judge],
    rows: &[(&Contestant, String)],
    sheets: &[Sheet],
    absences: &[Absence],
) -> Matrix {
    build_for(event, judges, rows, sheets, absences, None)
}

/// [`build`] as judge `viewer` may see it: until the viewer has submitted a contestant, the
/// other judges' scores of that row are hidden, and in a blind event the name too.
pub fn build_for(
    event: &Event,
    judges: &[Judge],
    rows: &[(&Contestant, String)],
    sheets: &[Sheet],
    absences: &[Absence],
    viewer: Option<&str>,
) -> Matrix {
    let mut panel: Vec<&Judge> = judges
        .iter()
        .filter(|j| eligibility::on_panel(event, j))
        .collect();
    panel.sort_by(|a, b| a.id.cmp(&b.id));
    panel.dedup_by(|a, b| a.id == b.id);
    let ids: Vec<&str> = panel.iter().map(|j| j.id.as_str()).collect();
    let by_id: HashMap<&str, &Judge> = panel.iter().map(|j| (j.id.as_str(), *j)).collect();

    let mut per_contestant: HashMap<&str, Vec<&Sheet>> = HashMap::new();
    for sh in sheets.iter().filter(|sh| sh.event == event.code) {
        per_contestant
            .entry(sh.contestant.as_str())
            .or_default()
            .push(sh);
    }
    let absent = |judge: &str, contestant: &str| {
        absences.iter().any(|a| {
            a.event == event.code
                && a.judge == judge
                && a.contestant.as_deref().is_none_or(|c| c == contestant)
        })
    };
    // An outlier is more than a tenth of the full marks away from the panel's median.
    let threshold = Rational::from(event.full_marks()) / Rational::from_int(10);
    let objective = event.kind == EventKind::Objective;

    let mut matrix = Matrix {
        judges: ids.iter().map(|id| id.to_string()).collect(),
        ..Matrix::default()
    };
    let mut deviations: Vec<Vec<Rational>> = vec![Vec::new(); ids.len()];
    let mut attendance: Attendance<&str> = Attendance::default();
    for (c, code) in rows {
        let theirs: &[&Sheet] = per_contestant.get(c.id.as_str()).map_or(&[], Vec::as_slice);
        let mut counted: Vec<(&str, Fixed)> = theirs
            .iter()
            .filter(|sh| sh.status.counts())
            .map(|sh| (sh.judge.as_str(), sh.total))
            .collect();
        counted.sort_unstable();
        eligibility::assess(
            event,
            &ids,
            &counted,
            |j| {
                by_id
                    .get(j)
                    .is_some_and(|judge| eligibility::recuses(event, judge, c))
            },
            |j| absent(j, &c.id),
            &mut attendance,
        );
        let a = &attendance;
        let mut scores: Vec<Fixed> = a.counted.iter().map(|s| s.1).collect();
        let mid = median(&mut scores);
        let done = a.is_final();
        if objective {
            let seats = eligibility::seats(event);
            matrix.expected += seats;
            matrix.submitted += a.counted.len().min(seats);
        } else {
            matrix.expected += a.counted.len() + a.missing.len() + a.disagreeing.len();
            matrix.submitted += a.counted.len();
        }
        let mut cells = Vec::with_capacity(ids.len());
        for (ji, &j) in ids.iter().enumerate() {
            let own = a.counted.iter().find(|s| s.0 == j).map(|s| s.1);
            let draft = theirs
                .iter()
                .any(|sh| sh.judge == j && sh.status == crate::model::SheetStatus::Draft);
            let cell = if a.recused.contains(&j) {
                Cell::Recused
            } else if let Some(score) = own {
                let diff = mid.map(|m| Rational::from(score) - m);
                if let (Some(d), Some(list)) = (diff, deviations.get_mut(ji)) {
                    list.push(d);
                }
                let outlier =
                    diff.is_some_and(|d| d > threshold || d < Rational::from_int(0) - threshold);
                let from_packet = theirs.iter().any(|sh| {
                    sh.judge == j && sh.entered_by.starts_with(crate::model::FROM_PACKET)
                });
                Cell::Submitted {
                    score,
                    outlier,
                    from_packet,
                }
            } else if a.absent.contains(&j) {
                Cell::Absent
            } else if draft {
                Cell::Draft
            } else if objective && done {
                Cell::NotNeeded
            } else {
                Cell::Missing
            };
            cells.push(cell);
        }
        // A judge who still has to score this contestant sees no other score, and in a blind
        // event not the name either.
        let sealed = viewer.is_some_and(|v| {
            ids.contains(&v) && !a.counted.iter().any(|s| s.0 == v) && !a.recused.contains(&v)
        });
        if sealed {
            for (cell, &j) in cells.iter_mut().zip(&ids) {
                if Some(j) != viewer && matches!(cell, Cell::Submitted { .. }) {
                    *cell = Cell::Hidden;
                }
            }
        }
        matrix.rows.push(Row {
            contestant: c.id.clone(),
            code: code.clone(),
            name: if sealed && event.blind {
                String::new()
            } else {
                c.name.clone()
            },
            cells,
        });
    }
    matrix.deviation = deviations
        .into_iter()
        .map(|d| {
            (!d.is_empty()).then(|| {
                let n = i64::try_from(d.len()).unwrap_or(i64::MAX);
                d.into_iter().fold(Rational::from_int(0), |a, b| a + b) / Rational::from_int(n)
            })
        })
        .collect();
    matrix
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{SheetStatus, Stage};
    use crate::scoring::tests::{contestant, event, judge};

    fn sheet(event: &str, c: &str, j: &str, total: i64, status: SheetStatus) -> Sheet {
        Sheet {
            event: event.into(),
            contestant: c.into(),
            judge: j.into(),
            criteria: Vec::new(),
            total: Fixed::from_int(total),
            status,
            entered_by: j.into(),
            entered_at: String::new(),
        }
    }

    #[test]
    fn cells_follow_the_eligibility_rules() {
        let e = event("E1", 3, 0, crate::model::Aggregate::Mean, "100");
        let a = contestant("A", Stage::Primary, "语文", "一中");
        let judges = vec![
            judge("J1", "一中", &["E1"]),
            judge("J2", "二中", &["E1"]),
            judge("J3", "三中", &["E1"]),
            judge("J9", "九中", &["E2"]),
        ];
        let sheets = vec![
            sheet("E1", "A", "J2", 80, SheetStatus::Submitted),
            sheet("E1", "A", "J3", 70, SheetStatus::Draft),
        ];
        let m = build(&e, &judges, &[(&a, "001".into())], &sheets, &[]);
        assert_eq!(m.judges, ["J1", "J2", "J3"]);
        assert_eq!(
            m.rows[0].cells,
            [
                Cell::Recused,
                Cell::Submitted {
                    score: Fixed::from_int(80),
                    outlier: false,
                    from_packet: false
                },
                Cell::Draft
            ]
        );
        assert_eq!((m.submitted, m.expected), (1, 2));
    }

    #[test]
    fn a_judge_who_has_not_scored_sees_no_other_score_and_no_blind_name() {
        let mut e = event("E1", 3, 0, crate::model::Aggregate::Mean, "100");
        e.blind = true;
        let a = contestant("A", Stage::Primary, "语文", "一中");
        let judges = vec![
            judge("J1", "二中", &["E1"]),
            judge("J2", "三中", &["E1"]),
            judge("J3", "四中", &["E1"]),
        ];
        let mut sheets = vec![sheet("E1", "A", "J2", 80, SheetStatus::Submitted)];
        let m = build_for(
            &e,
            &judges,
            &[(&a, "E1-001".into())],
            &sheets,
            &[],
            Some("J1"),
        );
        assert_eq!(m.rows[0].cells[1], Cell::Hidden);
        assert_eq!(m.rows[0].name, "", "blind: no name before J1 scores");
        sheets.push(sheet("E1", "A", "J1", 82, SheetStatus::Submitted));
        let m = build_for(
            &e,
            &judges,
            &[(&a, "E1-001".into())],
            &sheets,
            &[],
            Some("J1"),
        );
        assert!(
            matches!(m.rows[0].cells[1], Cell::Submitted { .. }),
            "after scoring: shown"
        );
        // The organiser (no viewer) sees everything.
        let m = build(&e, &judges, &[(&a, "E1-001".into())], &sheets[..1], &[]);
        assert!(matches!(m.rows[0].cells[1], Cell::Submitted { .. }));
    }

    #[test]
    fn an_objective_event_needs_its_seats_only() {
        let mut e = event("E8", 1, 0, crate::model::Aggregate::Mean, "100");
        e.kind = EventKind::Objective;
        let a = contestant("A", Stage::Primary, "语文", "一中");
        let judges = vec![
            judge("R1", "一中", &["E8"]),
            judge("R2", "二中", &["E8"]),
            judge("R3", "三中", &["E8"]),
        ];
        let sheets = vec![sheet("E8", "A", "R1", 88, SheetStatus::Submitted)];
        let m = build(&e, &judges, &[(&a, "A".into())], &sheets, &[]);
        assert_eq!(
            m.rows[0].cells,
            [
                Cell::Submitted {
                    score: Fixed::from_int(88),
                    outlier: false,
                    from_packet: false
                },
                Cell::NotNeeded,
                Cell::NotNeeded
            ]
        );
        assert_eq!((m.submitted, m.expected), (1, 1));
    }
}
