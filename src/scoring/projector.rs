//! What the projector shows (现场亮分) for one event: the contestant now being scored — the one
//! whose panel last received a sheet — with "已收到 5/7" while the panel is incomplete, or, once
//! complete, each judge's score with the dropped ones marked, the final score and the rank so
//! far; and a rolling list of the latest final results. Individual scores never appear before
//! the panel is complete; a blind event shows codes only. Pure: results in, a view out.

use std::collections::HashMap;

use crate::model::Fixed;

use super::results::{EventEntry, EventResults};

/// The contestant on the screen.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Current {
    /// The panel is still scoring: how many sheets are in, of how many expected.
    Scoring {
        code: String,
        name: Option<String>,
        received: usize,
        expected: usize,
    },
    /// The panel is complete.
    Final {
        code: String,
        name: Option<String>,
        /// (judge, score, dropped), in judge order.
        scores: Vec<(String, Fixed, bool)>,
        final_score: Option<Fixed>,
        rank: Option<u32>,
        group: String,
    },
}

/// One line of the rolling 最新成绩 list.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Latest {
    pub code: String,
    pub name: Option<String>,
    pub final_score: Fixed,
    pub rank: Option<u32>,
}

/// The whole projector view of one event.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct View {
    pub event: String,
    pub decimals: u32,
    pub current: Option<Current>,
    pub latest: Vec<Latest>,
}

/// Builds the view: `recent` lists contestant ids by their panel's latest sheet, newest first;
/// `codes` maps contestant id → draw code; names are shown only when `blind` is false.
pub fn build(
    results: &EventResults,
    recent: &[String],
    codes: &HashMap<String, String>,
    blind: bool,
    latest_count: usize,
) -> View {
    let entries: HashMap<&str, &EventEntry> = results
        .groups
        .iter()
        .flat_map(|g| g.entries.iter())
        .map(|e| (e.contestant.as_str(), e))
        .collect();
    let code = |id: &str| codes.get(id).cloned().unwrap_or_else(|| id.to_string());
    let name = |e: &EventEntry| (!blind).then(|| e.name.clone());
    let current = recent
        .first()
        .and_then(|id| entries.get(id.as_str()))
        .map(|e| {
            if e.provisional || e.final_score.is_none() {
                Current::Scoring {
                    code: code(&e.contestant),
                    name: name(e),
                    received: e.scores.len(),
                    expected: e.scores.len() + e.missing.len(),
                }
            } else {
                Current::Final {
                    code: code(&e.contestant),
                    name: name(e),
                    scores: e
                        .scores
                        .iter()
                        .map(|s| (s.judge.clone(), s.score, s.dropped))
                        .collect(),
                    final_score: e.final_score,
                    rank: e.rank,
                    group: e.group.clone(),
                }
            }
        });
    let latest = recent
        .iter()
        .filter_map(|id| entries.get(id.as_str()))
        .filter(|e| !e.provisional)
        .filter_map(|e| {
            e.final_score.map(|f| Latest {
                code: code(&e.contestant),
                name: name(e),
                final_score: f,
                rank: e.rank,
            })
        })
        .take(latest_count)
        .collect();
    View {
        event: format!("{} {}", results.code, results.name),
        decimals: results.decimals,
        current,
        latest,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Aggregate;
    use crate::scoring::tests::{Fixture, event};

    fn view(fx: &Fixture, recent: &[&str], blind: bool) -> View {
        let results = fx.compute();
        let recent: Vec<String> = recent.iter().map(|s| s.to_string()).collect();
        let codes: HashMap<String, String> = [("A".to_string(), "E1-001".to_string())]
            .into_iter()
            .collect();
        build(&results.events[0], &recent, &codes, blind, 5)
    }

    #[test]
    fn scores_appear_only_when_the_panel_is_complete() {
        let mut fx = Fixture::new(vec![event("E1", 5, 1, Aggregate::Mean, "10")]);
        fx.judges(5, &["E1"]).contestant("A", &["E1"]);
        fx.scores("E1", "A", &["8", "9", "7", "-", "-"]);
        let v = view(&fx, &["A"], false);
        assert_eq!(
            v.current,
            Some(Current::Scoring {
                code: "E1-001".into(),
                name: Some("选手A".into()),
                received: 3,
                expected: 5
            })
        );
        assert!(v.latest.is_empty());
        fx.scores("E1", "A", &["-", "-", "-", "8.5", "9.5"]);
        let v = view(&fx, &["A"], true);
        match v.current {
            Some(Current::Final {
                name,
                scores,
                final_score,
                ..
            }) => {
                assert_eq!(name, None, "blind: code only");
                assert_eq!(scores.len(), 5);
                assert_eq!(scores.iter().filter(|s| s.2).count(), 2, "two dropped");
                assert_eq!(final_score, Some(Fixed::parse("8.5").expect("d")));
            }
            other => panic!("{other:?}"),
        }
        assert_eq!(v.latest.len(), 1);
    }
}
