//! Score sheets (评分表): one judge × one contestant × one event; penalties and absences.

use serde::{Deserialize, Serialize};

use super::decimal::Fixed;

/// Where a sheet is in its life.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum SheetStatus {
    /// 草稿: being entered, not counted.
    Draft,
    /// 已提交: locked and counted.
    Submitted,
    /// 已确认: double-entry confirmed, counted.
    Confirmed,
    /// 作废: not counted.
    Voided,
}

impl SheetStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            SheetStatus::Draft => "draft",
            SheetStatus::Submitted => "submitted",
            SheetStatus::Confirmed => "confirmed",
            SheetStatus::Voided => "voided",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "draft" => Some(SheetStatus::Draft),
            "submitted" => Some(SheetStatus::Submitted),
            "confirmed" => Some(SheetStatus::Confirmed),
            "voided" => Some(SheetStatus::Voided),
            _ => None,
        }
    }

    /// Whether the sheet's total counts towards results.
    pub fn counts(self) -> bool {
        matches!(self, SheetStatus::Submitted | SheetStatus::Confirmed)
    }
}

/// `entered_by` of a sheet that came from a station's score packet: this prefix and the
/// station's device id.
pub const FROM_PACKET: &str = "packet:";

/// One judge's sheet for one contestant in one event.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Sheet {
    pub event: String,
    pub contestant: String,
    pub judge: String,
    /// One entry per rubric criterion, in rubric order; `None` is blank (not zero).
    /// Empty when only the total was recorded (e.g. imported totals).
    pub criteria: Vec<Option<Fixed>>,
    pub total: Fixed,
    pub status: SheetStatus,
    /// Who entered it (a judge id, a recorder, or "organiser").
    pub entered_by: String,
    /// When, as RFC 3339 text.
    pub entered_at: String,
}

/// 扣分: a deduction entered once by the head judge, applied after the panel result.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Penalty {
    pub event: String,
    pub contestant: String,
    /// Positive number of points deducted.
    pub points: Fixed,
    pub reason: String,
}

/// 人工决定等次: the organiser's decision on one entry's award, typically where a tie crosses
/// an award boundary (需人工决定). It replaces the computed tier while the entry is ranked.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AwardDecision {
    /// The event's code, or [`OVERALL`] for the overall (综合) table.
    pub event: String,
    pub contestant: String,
    /// The decided tier's name; `None`: no award.
    pub tier: Option<String>,
    pub reason: String,
}

/// The event code an [`AwardDecision`] uses for the overall (综合) table.
pub const OVERALL: &str = "ZH";

/// A judge recorded absent for an event (all contestants), or for one contestant.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Absence {
    pub event: String,
    pub judge: String,
    /// `None`: absent for the whole event.
    pub contestant: Option<String>,
    pub reason: String,
}
