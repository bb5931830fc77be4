//! The competition, its events (项目) with their rubrics, and the ranking and award rules.
//!
//! These types are also the TOML template format (see `template.rs`), so field names are the
//! template's keys.

use serde::{Deserialize, Serialize};

use super::decimal::Fixed;

/// A whole competition setup: what a template describes and what a competition file holds.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CompetitionSetup {
    pub competition: Competition,
    pub events: Vec<Event>,
    #[serde(default)]
    pub awards: Awards,
    #[serde(default)]
    pub ranking: Ranking,
}

/// 比赛: title, edition (届), organiser (主办单位), dates, venue.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Competition {
    pub title: String,
    #[serde(default)]
    pub edition: String,
    #[serde(default)]
    pub organiser: String,
    #[serde(default)]
    pub dates: String,
    #[serde(default)]
    pub venue: String,
    /// Decimal places of the overall (综合) total.
    #[serde(default = "default_decimals")]
    pub decimals: u32,
}

fn default_decimals() -> u32 {
    2
}

fn default_weight() -> Fixed {
    Fixed::from_int(1)
}

fn default_step() -> Fixed {
    Fixed::parse("0.1").unwrap_or(Fixed::from_raw(1_000))
}

/// How an event is judged.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum EventKind {
    /// A panel judges a performance (课堂教学, 说课 …).
    Live,
    /// A panel judges a product made on site or submitted (教学设计, 课件 …).
    Artifact,
    /// A written test with one score and no panel (业务能力测试).
    Objective,
}

impl EventKind {
    pub fn as_str(self) -> &'static str {
        match self {
            EventKind::Live => "live",
            EventKind::Artifact => "artifact",
            EventKind::Objective => "objective",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "live" => Some(EventKind::Live),
            "artifact" => Some(EventKind::Artifact),
            "objective" => Some(EventKind::Objective),
            _ => None,
        }
    }
}

/// How the kept scores of a panel become the panel result.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Aggregate {
    /// 平均分 of the kept scores.
    Mean,
    /// Sum of the kept scores (as in diving).
    Sum,
}

impl Aggregate {
    pub fn as_str(self) -> &'static str {
        match self {
            Aggregate::Mean => "mean",
            Aggregate::Sum => "sum",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "mean" => Some(Aggregate::Mean),
            "sum" => Some(Aggregate::Sum),
            _ => None,
        }
    }
}

/// One rubric line (评分项): its name and maximum points.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Criterion {
    pub name: String,
    pub max: Fixed,
}

/// A fixed deduction the head judge may apply (扣分项), e.g. 超时 −2.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PenaltyItem {
    pub name: String,
    pub points: Fixed,
}

/// 项目: one event of the competition with its rubric and scoring rule.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Event {
    /// Unique short code, e.g. "E05".
    pub code: String,
    pub name: String,
    pub kind: EventKind,
    /// Panel size (评委人数); 1 for objective events.
    pub judges: u32,
    /// Drop this many highest and this many lowest scores (去掉最高分和最低分).
    pub trim: u32,
    pub aggregate: Aggregate,
    /// Decimal places of the event score (保留两位小数).
    #[serde(default = "default_decimals")]
    pub decimals: u32,
    /// Smallest increment a judge may enter.
    #[serde(default = "default_step")]
    pub step: Fixed,
    /// Weight in the overall total.
    #[serde(default = "default_weight")]
    pub weight: Fixed,
    pub criteria: Vec<Criterion>,
    /// Time limit in minutes (informational).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub minutes: Option<u32>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub penalties: Vec<PenaltyItem>,
    /// Blind judging (盲评): judges see the anonymous code, not the name.
    #[serde(default)]
    pub blind: bool,
}

impl Event {
    /// Full marks: the sum of the criteria maxima.
    pub fn full_marks(&self) -> Fixed {
        self.criteria.iter().map(|c| c.max).sum()
    }
}

/// How award places are counted.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum AwardBasis {
    /// Each tier is a share of the ranked contestants of a group.
    #[default]
    Ratio,
    /// Each tier is a fixed number of places per group.
    Count,
}

/// How a fractional number of places is made whole.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum AwardRounding {
    Floor,
    /// Half-up.
    #[default]
    Round,
    Ceil,
}

/// 等次: one award tier.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AwardTier {
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ratio: Option<Fixed>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub count: Option<u32>,
}

/// Award rules, applied per group to the overall table and to each event (单项奖).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Awards {
    #[serde(default)]
    pub basis: AwardBasis,
    #[serde(default)]
    pub rounding: AwardRounding,
    pub tiers: Vec<AwardTier>,
    /// No award below this score (on the table's own scale).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min_score: Option<Fixed>,
}

impl Default for Awards {
    fn default() -> Self {
        let tier = |name: &str, raw: i64| AwardTier {
            name: name.to_string(),
            ratio: Some(Fixed::from_raw(raw)),
            count: None,
        };
        Awards {
            basis: AwardBasis::Ratio,
            rounding: AwardRounding::Round,
            tiers: vec![
                tier("一等奖", 1_000),
                tier("二等奖", 2_000),
                tier("三等奖", 3_000),
            ],
            min_score: None,
        }
    }
}

/// One step of the tie-break chain.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum TieBreak {
    /// The unrounded value (mean before rounding).
    Unrounded,
    /// The score of a designated key event, e.g. `event:E05`.
    Event(String),
}

impl TieBreak {
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "unrounded" => Some(TieBreak::Unrounded),
            _ => s
                .strip_prefix("event:")
                .filter(|code| !code.is_empty())
                .map(|code| TieBreak::Event(code.to_string())),
        }
    }

    pub fn as_string(&self) -> String {
        match self {
            TieBreak::Unrounded => "unrounded".to_string(),
            TieBreak::Event(code) => format!("event:{code}"),
        }
    }
}

impl Serialize for TieBreak {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.as_string())
    }
}

impl<'de> Deserialize<'de> for TieBreak {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        TieBreak::parse(&s).ok_or_else(|| {
            serde::de::Error::custom(format!(
                "unknown tie-break step `{s}` (expected \"unrounded\" or \"event:CODE\")"
            ))
        })
    }
}

/// Ranking rules: the tie-break chain after the rounded score; what is still tied shares a rank.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Ranking {
    pub tiebreak: Vec<TieBreak>,
}

impl Default for Ranking {
    fn default() -> Self {
        Ranking {
            tiebreak: vec![TieBreak::Unrounded],
        }
    }
}
