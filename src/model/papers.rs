//! What the organiser sets for the papers handed out (纸质文件设置): the names in the sign-off
//! block under result sheets (记分员、裁判长、监督员), the public notice's period, contacts and
//! 落款, and the order of the groups. Kept in the file (meta `papers`, TOML); every field is
//! optional — an empty one prints a blank line to fill in by hand.

use serde::{Deserialize, Serialize};

/// The meta key the settings are stored under.
pub const PAPERS_META_KEY: &str = "papers";

/// The order of groups (组别) on every table.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum GroupOrder {
    /// As the groups first appear in the roster.
    #[default]
    Roster,
    /// 学段 (小学, 初中, 高中 …), then the customary order of subjects (语文、数学、英语 …).
    Customary,
}

impl GroupOrder {
    pub fn parse(s: &str) -> Option<GroupOrder> {
        match s.trim() {
            "roster" | "名单顺序" => Some(GroupOrder::Roster),
            "customary" | "学段学科" => Some(GroupOrder::Customary),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            GroupOrder::Roster => "roster",
            GroupOrder::Customary => "customary",
        }
    }
}

/// The settings. Field names are the TOML keys.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Papers {
    /// 记分员 (sign-off block).
    pub recorder: String,
    /// 裁判长.
    pub head_judge: String,
    /// 监督员.
    pub supervisor: String,
    /// 公示期 from and to, e.g. "2025年11月17日".
    pub notice_from: String,
    pub notice_to: String,
    /// 联系人及电话.
    pub contact: String,
    /// 监督电话.
    pub supervision_phone: String,
    /// 落款 (the issuing body; empty: the competition's organiser).
    pub issuer: String,
    /// 落款日期 (empty: the certificate date).
    pub issued: String,
    pub group_order: GroupOrder,
}

/// The longest text a field takes (characters).
pub const FIELD_MAX: usize = 64;

impl Papers {
    /// Reads the stored TOML (absent: the defaults).
    pub fn from_meta(text: Option<&str>) -> Result<Papers, String> {
        match text {
            None => Ok(Papers::default()),
            Some(t) => toml::from_str(t).map_err(|e| format!("纸质文件设置有误：{}", e.message())),
        }
    }

    pub fn to_toml(&self) -> String {
        toml::to_string(self).unwrap_or_default()
    }

    /// Checks every field (length, no control characters); the message names the field.
    pub fn validate(&self) -> Result<(), String> {
        for (name, value) in self.fields() {
            if value.chars().count() > FIELD_MAX {
                return Err(format!("{name}太长（最多 {FIELD_MAX} 个字）"));
            }
            if value.chars().any(char::is_control) {
                return Err(format!("{name}含有控制字符"));
            }
        }
        Ok(())
    }

    /// (label, value) of the text fields, in form order.
    pub fn fields(&self) -> [(&'static str, &str); 9] {
        [
            ("记分员", &self.recorder),
            ("裁判长", &self.head_judge),
            ("监督员", &self.supervisor),
            ("公示期起", &self.notice_from),
            ("公示期止", &self.notice_to),
            ("联系人及电话", &self.contact),
            ("监督电话", &self.supervision_phone),
            ("落款单位", &self.issuer),
            ("落款日期", &self.issued),
        ]
    }

    /// The field with this label, to change it.
    pub fn field_mut(&mut self, label: &str) -> Option<&mut String> {
        Some(match label {
            "记分员" | "recorder" => &mut self.recorder,
            "裁判长" | "head_judge" => &mut self.head_judge,
            "监督员" | "supervisor" => &mut self.supervisor,
            "公示期起" | "notice_from" => &mut self.notice_from,
            "公示期止" | "notice_to" => &mut self.notice_to,
            "联系人及电话" | "contact" => &mut self.contact,
            "监督电话" | "supervision_phone" => &mut self.supervision_phone,
            "落款单位" | "issuer" => &mut self.issuer,
            "落款日期" | "issued" => &mut self.issued,
            _ => return None,
        })
    }
}

/// The customary order of subjects (学科) within a 学段, as education bureaus list them;
/// subjects not listed come after, in the roster's order.
pub const CUSTOMARY_SUBJECTS: &[&str] = &[
    "语文",
    "数学",
    "英语",
    "物理",
    "化学",
    "生物",
    "道德与法治",
    "思想政治",
    "政治",
    "历史",
    "地理",
    "科学",
    "音乐",
    "体育",
    "体育与健康",
    "美术",
    "艺术",
    "信息技术",
    "信息科技",
    "通用技术",
    "劳动",
    "综合实践",
    "心理健康",
    "书法",
    "特殊教育",
];

/// The subject's place in [`CUSTOMARY_SUBJECTS`] (unlisted: after all of them).
pub fn customary_rank(subject: &str) -> usize {
    CUSTOMARY_SUBJECTS
        .iter()
        .position(|s| *s == subject)
        .unwrap_or(CUSTOMARY_SUBJECTS.len())
}

/// The groups (组别) of `contestants` (given in roster order) in the chosen order.
pub fn ordered_groups(contestants: &[super::Contestant], order: GroupOrder) -> Vec<String> {
    let mut seen = std::collections::HashSet::new();
    let mut first: Vec<(super::Stage, &str, String)> = Vec::new();
    for c in contestants {
        let g = c.group();
        if seen.insert(g.clone()) {
            first.push((c.stage, c.subject.as_str(), g));
        }
    }
    if order == GroupOrder::Customary {
        // Stable: unlisted subjects keep the roster's order.
        first.sort_by_key(|(stage, subject, _)| (*stage, customary_rank(subject)));
    }
    first.into_iter().map(|(_, _, g)| g).collect()
}

/// A name or a blank line to sign on.
pub fn or_blank(value: &str, blank: &str) -> String {
    if value.trim().is_empty() {
        blank.to_string()
    } else {
        value.trim().to_string()
    }
}

/// The sign-off block under an event's or group's result table: 记分员、裁判长、监督员 with
/// their names (or lines to sign on), and 日期.
pub fn sign_off_lines(p: &Papers) -> Vec<String> {
    const LINE: &str = "____________";
    vec![format!(
        "记分员：{}　　裁判长：{}　　监督员：{}　　日期：______年____月____日",
        or_blank(&p.recorder, LINE),
        or_blank(&p.head_judge, LINE),
        or_blank(&p.supervisor, LINE),
    )]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn groups_in_roster_order_or_customary_order() {
        use super::super::{Contestant, Gender, Stage};
        let c = |stage, subject: &str| Contestant {
            id: format!("{subject}{stage:?}"),
            name: "x".into(),
            gender: Gender::Female,
            stage,
            subject: subject.into(),
            school: String::new(),
            county: String::new(),
            phone: String::new(),
        };
        let roster = vec![
            c(Stage::Junior, "数学"),
            c(Stage::Primary, "英语"),
            c(Stage::Primary, "语文"),
            c(Stage::Junior, "数学"),
            c(Stage::Primary, "数学"),
        ];
        assert_eq!(
            ordered_groups(&roster, GroupOrder::Roster),
            vec!["初中数学", "小学英语", "小学语文", "小学数学"]
        );
        assert_eq!(
            ordered_groups(&roster, GroupOrder::Customary),
            vec!["小学语文", "小学数学", "小学英语", "初中数学"]
        );
    }

    #[test]
    fn settings_round_trip_and_blank_fields_print_lines() {
        let mut p = Papers::default();
        assert_eq!(Papers::from_meta(None), Ok(Papers::default()));
        *p.field_mut("裁判长").expect("field") = "张伟".into();
        p.group_order = GroupOrder::Customary;
        let back = Papers::from_meta(Some(&p.to_toml())).expect("parses");
        assert_eq!(back, p);
        let lines = sign_off_lines(&p);
        assert!(lines[0].contains("裁判长：张伟"));
        assert!(lines[0].contains("记分员：____"));
        p.contact = "x".repeat(FIELD_MAX + 1);
        assert!(p.validate().expect_err("too long").contains("联系人及电话"));
    }
}
