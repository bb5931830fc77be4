//! Checking entered scores against the rubric: not negative, not over the maximum, on the
//! event's step; and a sheet's total, where a blank is not a zero.

use crate::model::{Event, Fixed};

/// Why an entered score cannot be accepted. `item` names the criterion (or 总分 for the total).
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum ScoreError {
    #[error("{item}: {value} 是负数，分数不能小于 0 (negative, a score cannot be below 0)")]
    Negative { item: String, value: Fixed },
    #[error("{item}: {value} 超过该项满分 {max} (over the maximum {max})")]
    OverMax {
        item: String,
        value: Fixed,
        max: Fixed,
    },
    #[error("{item}: {value} 不是 {step} 的整数倍 (off the step {step})")]
    OffStep {
        item: String,
        value: Fixed,
        step: Fixed,
    },
    #[error("{item}: 有空白项，空白不等于 0 分 (blank criterion: a blank is not a zero)")]
    Blank { item: String },
    #[error(
        "评分项不存在：第 {number} 项，本项目共 {count} 项 (no criterion {number}: the rubric has {count})"
    )]
    NoSuchCriterion { number: usize, count: usize },
    #[error(
        "评分项数量不符：应为 {expected} 项，实为 {found} 项 (wrong number of criteria: expected {expected}, got {found})"
    )]
    WrongCount { expected: usize, found: usize },
}

/// The label used for the sheet total in messages.
const TOTAL: &str = "总分";

/// Checks one entered value: `criterion` is the rubric index (0-based), `None` for the sheet
/// total, whose maximum is the full marks. Every value must be a multiple of the event's step.
pub fn validate_score(
    event: &Event,
    criterion: Option<usize>,
    value: Fixed,
) -> Result<(), ScoreError> {
    let (item, max) = match criterion {
        None => (TOTAL.to_string(), event.full_marks()),
        Some(i) => {
            let c = event.criteria.get(i).ok_or(ScoreError::NoSuchCriterion {
                number: i + 1,
                count: event.criteria.len(),
            })?;
            (c.name.clone(), c.max)
        }
    };
    if value.is_negative() {
        return Err(ScoreError::Negative { item, value });
    }
    if value > max {
        return Err(ScoreError::OverMax { item, value, max });
    }
    if !value.is_multiple_of(event.step) {
        return Err(ScoreError::OffStep {
            item,
            value,
            step: event.step,
        });
    }
    Ok(())
}

/// The total of a sheet's criterion scores, each validated. A blank (`None`) is an error, never
/// a zero; the number of values must match the rubric.
pub fn sheet_total(event: &Event, criteria: &[Option<Fixed>]) -> Result<Fixed, ScoreError> {
    if criteria.len() != event.criteria.len() {
        return Err(ScoreError::WrongCount {
            expected: event.criteria.len(),
            found: criteria.len(),
        });
    }
    let mut total = Fixed::ZERO;
    for (i, (value, criterion)) in criteria.iter().zip(&event.criteria).enumerate() {
        let value = value.ok_or_else(|| ScoreError::Blank {
            item: criterion.name.clone(),
        })?;
        validate_score(event, Some(i), value)?;
        total = total + value;
    }
    Ok(total)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Aggregate, Criterion, EventKind};

    fn f(s: &str) -> Fixed {
        Fixed::parse(s).expect("valid decimal")
    }

    fn event(step: &str) -> Event {
        Event {
            code: "E03".into(),
            name: "普通话即兴演讲".into(),
            kind: EventKind::Live,
            judges: 5,
            trim: 1,
            aggregate: Aggregate::Mean,
            decimals: 2,
            step: f(step),
            weight: f("1"),
            criteria: vec![
                Criterion {
                    name: "思想内容".into(),
                    max: f("40"),
                },
                Criterion {
                    name: "语言表达".into(),
                    max: f("30"),
                },
            ],
            minutes: Some(3),
            penalties: Vec::new(),
            blind: false,
        }
    }

    #[test]
    fn accepts_values_in_range_on_the_step() {
        let e = event("0.5");
        assert_eq!(validate_score(&e, Some(0), f("0")), Ok(()));
        assert_eq!(validate_score(&e, Some(0), f("40")), Ok(()));
        assert_eq!(validate_score(&e, Some(1), f("29.5")), Ok(()));
        assert_eq!(validate_score(&e, None, f("70")), Ok(()));
    }

    #[test]
    fn rejects_negative_over_max_and_off_step_with_reasons() {
        let e = event("0.5");
        let err = validate_score(&e, Some(0), f("8.3")).expect_err("off step");
        assert_eq!(
            err,
            ScoreError::OffStep {
                item: "思想内容".into(),
                value: f("8.3"),
                step: f("0.5")
            }
        );
        assert!(
            err.to_string()
                .contains("8.3 不是 0.5 的整数倍 (off the step 0.5)")
        );

        let err = validate_score(&e, Some(1), f("30.5")).expect_err("over max");
        assert!(matches!(err, ScoreError::OverMax { max, .. } if max == f("30")));
        assert!(err.to_string().contains("语言表达"));
        assert!(err.to_string().contains("over the maximum 30"));

        let err = validate_score(&e, Some(0), f("-1")).expect_err("negative");
        assert!(matches!(err, ScoreError::Negative { .. }));
        assert!(err.to_string().contains("negative"));

        let err = validate_score(&e, None, f("70.5")).expect_err("total over full marks");
        assert!(matches!(err, ScoreError::OverMax { max, .. } if max == f("70")));

        assert!(matches!(
            validate_score(&e, Some(2), f("1")),
            Err(ScoreError::NoSuchCriterion {
                number: 3,
                count: 2
            })
        ));
    }

    #[test]
    fn finer_steps() {
        let e = event("0.1");
        assert_eq!(validate_score(&e, Some(0), f("8.3")), Ok(()));
        assert!(matches!(
            validate_score(&e, Some(0), f("8.35")),
            Err(ScoreError::OffStep { .. })
        ));
        let e = event("0.01");
        assert_eq!(validate_score(&e, Some(0), f("8.35")), Ok(()));
    }

    #[test]
    fn sheet_total_sums_and_refuses_blanks() {
        let e = event("0.5");
        assert_eq!(
            sheet_total(&e, &[Some(f("35.5")), Some(f("27"))]),
            Ok(f("62.5"))
        );
        let err = sheet_total(&e, &[Some(f("35.5")), None]).expect_err("blank");
        assert_eq!(
            err,
            ScoreError::Blank {
                item: "语言表达".into()
            }
        );
        assert!(err.to_string().contains("有空白项"));
        assert!(matches!(
            sheet_total(&e, &[Some(f("1"))]),
            Err(ScoreError::WrongCount {
                expected: 2,
                found: 1
            })
        ));
        assert!(matches!(
            sheet_total(&e, &[Some(f("41")), Some(f("1"))]),
            Err(ScoreError::OverMax { .. })
        ));
        // Zero is a real score, not a blank.
        assert_eq!(sheet_total(&e, &[Some(f("0")), Some(f("0"))]), Ok(f("0")));
    }
}
