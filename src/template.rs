//! Competition templates: TOML files describing a competition's events, rubrics and rules.
//!
//! Two are built in (`second` = 第二届, 13 events; `first` = 第一届, 8 events) and embedded in
//! the binary; any other template is a path to a TOML file in the same format. A template is
//! refused with a message naming the key and the line when it is malformed or inconsistent.

use std::collections::HashSet;
use std::path::Path;

use crate::model::{AwardBasis, CompetitionSetup, EventKind, Fixed};

/// The built-in second-edition template (13 events).
pub const SECOND: &str = include_str!("../assets/templates/second.toml");
/// The built-in first-edition template (8 events).
pub const FIRST: &str = include_str!("../assets/templates/first.toml");

/// Why a template was refused.
#[derive(Debug, thiserror::Error)]
pub enum TemplateError {
    #[error("无法读取模板文件 {path} (cannot read the template): {reason}")]
    Unreadable { path: String, reason: String },
    #[error("模板格式错误 (invalid template): {0}")]
    Syntax(String),
    #[error("模板错误 (invalid template), line {line}, key `{key}`: {message}")]
    Invalid {
        line: usize,
        key: String,
        message: String,
    },
}

impl TemplateError {
    /// The message for a form in the window: what is wrong with which setting, without the
    /// template file's line number (nobody edited a file there).
    pub fn for_form(&self) -> String {
        match self {
            TemplateError::Invalid { message, .. } => message.clone(),
            other => other.to_string(),
        }
    }
}

/// Loads `second`, `first`, or a path to a TOML file.
pub fn load(name_or_path: &str) -> Result<CompetitionSetup, TemplateError> {
    match name_or_path {
        "second" => parse(SECOND),
        "first" => parse(FIRST),
        path => {
            let text = std::fs::read_to_string(Path::new(path)).map_err(|e| {
                TemplateError::Unreadable {
                    path: path.to_string(),
                    reason: e.to_string(),
                }
            })?;
            parse(&text)
        }
    }
}

/// Parses and validates a template text.
pub fn parse(text: &str) -> Result<CompetitionSetup, TemplateError> {
    let setup: CompetitionSetup = toml::from_str(text)
        .map_err(|e| TemplateError::Syntax(e.to_string().trim().to_string()))?;
    validate(&setup, text)?;
    Ok(setup)
}

/// Serialises a setup back to template TOML (used to store and export a competition's setup).
pub fn to_toml(setup: &CompetitionSetup) -> String {
    toml::to_string_pretty(setup).unwrap_or_default()
}

/// Checks what serde cannot: consistent panel sizes, rubrics, codes, award tiers.
pub fn validate(setup: &CompetitionSetup, text: &str) -> Result<(), TemplateError> {
    let invalid = |event: Option<usize>, key: &str, message: String| TemplateError::Invalid {
        line: key_line(text, event, key),
        key: key.to_string(),
        message,
    };
    if setup.competition.title.trim().is_empty() {
        return Err(invalid(
            None,
            "title",
            "比赛名称不能为空 (the title is empty)".into(),
        ));
    }
    if setup.competition.decimals > 4 {
        return Err(invalid(
            None,
            "decimals",
            "最多 4 位小数 (at most 4 decimals)".into(),
        ));
    }
    if setup.events.is_empty() {
        return Err(invalid(
            None,
            "events",
            "至少需要一个项目 (no events)".into(),
        ));
    }
    let mut codes = HashSet::new();
    let mut names = HashSet::new();
    for (i, event) in setup.events.iter().enumerate() {
        let at = Some(i);
        if event.code.trim().is_empty() {
            return Err(invalid(at, "code", "项目代码不能为空 (empty code)".into()));
        }
        if !codes.insert(event.code.as_str()) {
            return Err(invalid(
                at,
                "code",
                format!("项目代码重复 (duplicate code): {}", event.code),
            ));
        }
        if !names.insert(event.name.as_str()) {
            return Err(invalid(
                at,
                "name",
                format!("项目名称重复 (duplicate name): {}", event.name),
            ));
        }
        if event.judges == 0 {
            return Err(invalid(
                at,
                "judges",
                "评委人数至少为 1 (panel size must be ≥ 1)".into(),
            ));
        }
        if 2 * event.trim >= event.judges && event.trim > 0 {
            return Err(invalid(
                at,
                "trim",
                format!(
                    "{} 名评委去掉 {} 个最高分和 {} 个最低分后没有剩余 (trim {} too large for a panel of {})",
                    event.judges, event.trim, event.trim, event.trim, event.judges
                ),
            ));
        }
        if event.kind == EventKind::Objective && event.trim > 0 {
            return Err(invalid(
                at,
                "trim",
                "客观题项目不去分 (objective events are not trimmed)".into(),
            ));
        }
        if event.decimals > 4 {
            return Err(invalid(
                at,
                "decimals",
                "最多 4 位小数 (at most 4 decimals)".into(),
            ));
        }
        if event.step <= Fixed::ZERO {
            return Err(invalid(
                at,
                "step",
                "步长必须大于 0 (step must be positive)".into(),
            ));
        }
        if event.weight.is_negative() {
            return Err(invalid(
                at,
                "weight",
                "权重不能为负 (weight must not be negative)".into(),
            ));
        }
        if event.criteria.is_empty() {
            return Err(invalid(
                at,
                "criteria",
                "评分项不能为空 (no criteria)".into(),
            ));
        }
        let mut criterion_names = HashSet::new();
        for c in &event.criteria {
            if c.max <= Fixed::ZERO {
                return Err(invalid(
                    at,
                    "criteria",
                    format!(
                        "评分项「{}」的满分必须大于 0 (max must be positive)",
                        c.name
                    ),
                ));
            }
            if !c.max.is_multiple_of(event.step) {
                return Err(invalid(
                    at,
                    "criteria",
                    format!(
                        "评分项「{}」的满分 {} 不是步长 {} 的整数倍 (max is off the step)",
                        c.name, c.max, event.step
                    ),
                ));
            }
            if !criterion_names.insert(c.name.as_str()) {
                return Err(invalid(
                    at,
                    "criteria",
                    format!("评分项重复 (duplicate criterion): {}", c.name),
                ));
            }
        }
        if event.full_marks() <= Fixed::ZERO {
            return Err(invalid(
                at,
                "criteria",
                "评分项满分之和必须大于 0 (criteria must sum to something positive)".into(),
            ));
        }
        for p in &event.penalties {
            if p.points <= Fixed::ZERO {
                return Err(invalid(
                    at,
                    "penalties",
                    format!(
                        "扣分项「{}」的分值必须大于 0 (penalty points must be positive)",
                        p.name
                    ),
                ));
            }
        }
    }
    let awards = &setup.awards;
    let mut ratio_sum = Fixed::ZERO;
    for tier in &awards.tiers {
        match (awards.basis, tier.ratio, tier.count) {
            (AwardBasis::Ratio, Some(r), None) => {
                if r.is_negative() {
                    return Err(invalid(
                        None,
                        "tiers",
                        "比例不能为负 (negative ratio)".into(),
                    ));
                }
                ratio_sum = ratio_sum + r;
            }
            (AwardBasis::Count, None, Some(_)) => {}
            (AwardBasis::Ratio, _, _) => {
                return Err(invalid(
                    None,
                    "tiers",
                    format!(
                        "等次「{}」需要 ratio 而不是 count (basis = \"ratio\")",
                        tier.name
                    ),
                ));
            }
            (AwardBasis::Count, _, _) => {
                return Err(invalid(
                    None,
                    "tiers",
                    format!(
                        "等次「{}」需要 count 而不是 ratio (basis = \"count\")",
                        tier.name
                    ),
                ));
            }
        }
    }
    if ratio_sum > Fixed::from_int(1) {
        return Err(invalid(
            None,
            "tiers",
            format!("获奖比例之和 {ratio_sum} 超过 1 (ratios sum to more than 1)"),
        ));
    }
    for step in &setup.ranking.tiebreak {
        if let crate::model::TieBreak::Event(code) = step
            && !codes.contains(code.as_str())
        {
            return Err(invalid(
                None,
                "tiebreak",
                format!("并列排序引用了不存在的项目 (unknown event in tie-break): {code}"),
            ));
        }
    }
    Ok(())
}

/// The 1-based line of `key` inside the `event`-th `[[events]]` block (or anywhere, for `None`).
fn key_line(text: &str, event: Option<usize>, key: &str) -> usize {
    let lines: Vec<&str> = text.lines().collect();
    let (start, end) = match event {
        None => (0, lines.len()),
        Some(index) => {
            let headers: Vec<usize> = lines
                .iter()
                .enumerate()
                .filter(|(_, l)| l.trim() == "[[events]]")
                .map(|(i, _)| i)
                .collect();
            match headers.get(index) {
                Some(&s) => {
                    let e = lines
                        .iter()
                        .enumerate()
                        .skip(s + 1)
                        .find(|(_, l)| l.trim_start().starts_with('['))
                        .map_or(lines.len(), |(i, _)| i);
                    (s, e)
                }
                None => (0, lines.len()),
            }
        }
    };
    let is_key = |l: &str| {
        let t = l.trim_start();
        t.strip_prefix(key)
            .is_some_and(|rest| rest.trim_start().starts_with('='))
    };
    lines[start..end]
        .iter()
        .position(|l| is_key(l))
        .map_or(start + 1, |p| start + p + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn built_ins_parse() {
        let second = load("second").expect("second parses");
        assert_eq!(second.events.len(), 13);
        assert!(
            second
                .events
                .iter()
                .all(|e| e.full_marks() == Fixed::from_int(100))
        );
        let names: Vec<&str> = second.events.iter().map(|e| e.name.as_str()).collect();
        for n in [
            "功夫板书",
            "AI助教",
            "作业设计",
            "现场答辩",
            "即兴写作",
            "课堂教学设计",
        ] {
            assert!(names.contains(&n), "{n} missing");
        }
        let first = load("first").expect("first parses");
        assert_eq!(first.events.len(), 8);
        assert_eq!(first.events[7].name, "业务能力测试");
        assert_eq!(first.events[7].kind, EventKind::Objective);
    }

    #[test]
    fn ratios_are_exact() {
        let s = load("second").expect("parses");
        assert_eq!(s.awards.tiers[0].ratio, Some(Fixed::from_raw(1_000)));
        assert_eq!(s.awards.tiers[1].ratio, Some(Fixed::from_raw(2_000)));
    }

    #[test]
    fn round_trips_through_toml() {
        let s = load("second").expect("parses");
        let again = parse(&to_toml(&s)).expect("re-parses");
        assert_eq!(s, again);
    }

    fn with(replace: &str, by: &str) -> String {
        assert!(
            SECOND.contains(replace),
            "fixture text not found: {replace}"
        );
        SECOND.replacen(replace, by, 1)
    }

    #[test]
    fn unknown_key_is_named_with_its_line() {
        let text = with("judges = 7\ntrim = 1", "judges = 7\ntrimm = 1");
        let err = parse(&text).expect_err("refused").to_string();
        assert!(err.contains("trimm"), "{err}");
        assert!(err.contains("line"), "{err}");
    }

    #[test]
    fn trim_too_large_is_refused_with_line() {
        let text = with("judges = 7\ntrim = 1", "judges = 7\ntrim = 4");
        let err = parse(&text).expect_err("refused");
        let expected_line = text
            .lines()
            .position(|l| l == "trim = 4")
            .map(|p| p + 1)
            .expect("line");
        match err {
            TemplateError::Invalid { line, key, .. } => {
                assert_eq!(key, "trim");
                assert_eq!(line, expected_line);
            }
            other => panic!("unexpected {other}"),
        }
    }

    #[test]
    fn duplicate_codes_are_refused() {
        let text = with("code = \"E02\"", "code = \"E01\"");
        let err = parse(&text).expect_err("refused").to_string();
        assert!(err.contains("duplicate code"), "{err}");
        assert!(err.contains("`code`"), "{err}");
    }

    #[test]
    fn criteria_must_sum_to_something_positive() {
        let text = with(
            "criteria = [ { name = \"教学内容\", max = 30 }, { name = \"教学设计\", max = 25 }, { name = \"技术性\", max = 25 }, { name = \"艺术性\", max = 20 } ]",
            "criteria = []",
        );
        let err = parse(&text).expect_err("refused").to_string();
        assert!(err.contains("criteria"), "{err}");
        let text = with(
            "{ name = \"设计创新\", max = 5 }",
            "{ name = \"设计创新\", max = -5 }",
        );
        assert!(matches!(
            parse(&text),
            Err(TemplateError::Invalid { .. } | TemplateError::Syntax(_))
        ));
    }

    #[test]
    fn unknown_tiebreak_event_is_refused() {
        let text = with(
            "tiebreak = [\"unrounded\"]",
            "tiebreak = [\"unrounded\", \"event:E99\"]",
        );
        let err = parse(&text).expect_err("refused").to_string();
        assert!(err.contains("E99"), "{err}");
    }

    #[test]
    fn missing_file_is_a_clear_error() {
        let err = load("/nonexistent/x.toml")
            .expect_err("refused")
            .to_string();
        assert!(err.contains("/nonexistent/x.toml"), "{err}");
    }
}
