//! The plain data of a competition: events and rubrics, contestants, judges, score sheets.
//!
//! No I/O and no UI here; everything else in ScoreDesk depends on these types.

pub mod competition;
pub mod decimal;
pub mod papers;
pub mod people;
pub mod sheet;

pub use competition::{
    Aggregate, AwardBasis, AwardRounding, AwardTier, Awards, Competition, CompetitionSetup,
    Criterion, Event, EventKind, PenaltyItem, Ranking, TieBreak,
};
pub use decimal::{DecimalError, Fixed, Rational};
pub use papers::{GroupOrder, PAPERS_META_KEY, Papers};
pub use people::{Contestant, Gender, Judge, Recorder, Stage};
pub use sheet::{Absence, AwardDecision, FROM_PACKET, OVERALL, Penalty, Sheet, SheetStatus};
