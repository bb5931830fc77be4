//! Contestants (选手) and judges (评委).

use serde::{Deserialize, Serialize};

/// 学段: the school stage a contestant teaches.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum Stage {
    /// 幼儿园
    Kindergarten,
    /// 小学
    Primary,
    /// 初中
    Junior,
    /// 高中
    Senior,
    /// 中职
    Vocational,
    /// 特殊教育
    Special,
}

impl Stage {
    pub const ALL: [Stage; 6] = [
        Stage::Kindergarten,
        Stage::Primary,
        Stage::Junior,
        Stage::Senior,
        Stage::Vocational,
        Stage::Special,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Stage::Kindergarten => "幼儿园",
            Stage::Primary => "小学",
            Stage::Junior => "初中",
            Stage::Senior => "高中",
            Stage::Vocational => "中职",
            Stage::Special => "特殊教育",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "幼儿园" | "学前" | "kindergarten" => Some(Stage::Kindergarten),
            "小学" | "primary" => Some(Stage::Primary),
            "初中" | "junior" => Some(Stage::Junior),
            "高中" | "senior" => Some(Stage::Senior),
            "中职" | "vocational" => Some(Stage::Vocational),
            "特殊教育" | "特教" | "special" => Some(Stage::Special),
            _ => None,
        }
    }
}

/// 性别
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Gender {
    Male,
    Female,
}

impl Gender {
    pub fn as_str(self) -> &'static str {
        match self {
            Gender::Male => "男",
            Gender::Female => "女",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "男" | "M" | "m" | "male" | "Male" => Some(Gender::Male),
            "女" | "F" | "f" | "female" | "Female" => Some(Gender::Female),
            _ => None,
        }
    }
}

/// 选手: one contestant, identified by 编号.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Contestant {
    /// 编号
    pub id: String,
    /// 姓名, stored exactly (rare characters, 欧阳, 阿依古丽·买买提).
    pub name: String,
    pub gender: Gender,
    pub stage: Stage,
    /// 学科
    pub subject: String,
    /// 工作单位
    pub school: String,
    /// 县（市、区）
    pub county: String,
    /// 联系电话
    pub phone: String,
}

impl Contestant {
    /// 组别: 学段 × 学科, e.g. 初中数学 (特殊教育 with subject 特殊教育 is just 特殊教育).
    pub fn group(&self) -> String {
        let stage = self.stage.as_str();
        if self.subject.starts_with(stage) {
            self.subject.clone()
        } else {
            format!("{stage}{}", self.subject)
        }
    }
}

/// 评委: one judge and the events whose panels they sit on.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Judge {
    /// 评委编号
    pub id: String,
    pub name: String,
    /// 工作单位 — a judge never scores a contestant of the same 工作单位 (回避).
    pub school: String,
    pub county: String,
    /// Codes of the events whose panel this judge sits on (评审项目).
    pub events: Vec<String>,
}

impl Judge {
    /// 回避: whether this judge must not score `contestant`.
    pub fn must_recuse(&self, contestant: &Contestant) -> bool {
        !self.school.is_empty() && self.school == contestant.school
    }
}

/// 记分员: types judges' paper sheets on the master (double entry) for the events assigned.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Recorder {
    pub id: String,
    pub name: String,
    /// Codes of the events whose paper sheets this recorder enters.
    pub events: Vec<String>,
}
