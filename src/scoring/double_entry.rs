//! Double entry of paper sheets (SPEC §5): two recorders type the same judge's paper sheet
//! blind; it counts only when entries from at least two different recorders agree. One
//! recorder's entries never confirm each other (nobody confirms their own entry).

use crate::model::Fixed;

/// One recorder's entry of a paper sheet.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PaperValues<'a> {
    pub recorder: &'a str,
    pub criteria: &'a [Option<Fixed>],
    pub total: Fixed,
}

/// What the entries of one sheet decide.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Decision {
    /// Fewer than two recorders have entered it.
    Waiting,
    /// Two or more recorders entered the same values: the sheet counts with these values.
    Agreed {
        criteria: Vec<Option<Fixed>>,
        total: Fixed,
        recorders: Vec<String>,
    },
    /// Two or more recorders disagree: listed for the head judge.
    Disagree,
}

/// Decides a sheet from its entries (one per recorder; later entries of the same recorder
/// replace earlier ones before this is asked).
pub fn decide(entries: &[PaperValues<'_>]) -> Decision {
    let mut recorders: Vec<&str> = entries.iter().map(|e| e.recorder).collect();
    recorders.sort_unstable();
    recorders.dedup();
    if recorders.len() < 2 {
        return Decision::Waiting;
    }
    let Some(first) = entries.first() else {
        return Decision::Waiting;
    };
    if entries
        .iter()
        .all(|e| e.total == first.total && e.criteria == first.criteria)
    {
        Decision::Agreed {
            criteria: first.criteria.to_vec(),
            total: first.total,
            recorders: recorders.into_iter().map(str::to_string).collect(),
        }
    } else {
        Decision::Disagree
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn two_different_recorders_must_agree() {
        let a = [Some(Fixed::from_int(8))];
        let b = [Some(Fixed::from_int(9))];
        let e = |r, c: &'static [Option<Fixed>]| PaperValues {
            recorder: r,
            criteria: c,
            total: c[0].unwrap_or(Fixed::ZERO),
        };
        let a: &'static [Option<Fixed>] = Box::leak(Box::new(a));
        let b: &'static [Option<Fixed>] = Box::leak(Box::new(b));
        assert_eq!(decide(&[e("R1", a)]), Decision::Waiting);
        assert_eq!(
            decide(&[e("R1", a), e("R1", a)]),
            Decision::Waiting,
            "not one's own"
        );
        assert!(matches!(
            decide(&[e("R1", a), e("R2", a)]),
            Decision::Agreed { .. }
        ));
        assert_eq!(decide(&[e("R1", a), e("R2", b)]), Decision::Disagree);
    }
}
