//! The Chinese of an import row's reason. Reasons are written in English (with the Chinese
//! column names the files use, e.g. "duplicate 编号 JS20250001"); [`zh`] says the same in
//! Chinese ("编号重复：JS20250001"), so a row-by-row report is in one language at a time.

/// The English words for what a score row names, in Chinese.
fn noun(word: &str) -> &str {
    match word {
        "event" => "项目",
        "contestant" => "选手",
        "judge" => "评委",
        "score" => "分数",
        other => other,
    }
}

/// Splits "X rest" at the first space.
fn head(text: &str) -> (&str, &str) {
    text.split_once(' ').unwrap_or((text, ""))
}

/// The reason in Chinese; one not known here is kept as it is.
pub fn zh(en: &str) -> String {
    match en {
        "missing columns" => return "缺少必需的列".into(),
        "blank score" => return "分数为空".into(),
        "empty 工作单位: recusal (回避) cannot be checked for this judge" => {
            return "工作单位为空：无法检查该评委的回避".into();
        }
        _ => {}
    }
    if let Some(rest) = en.strip_prefix("empty ") {
        return format!("{}为空", noun(rest));
    }
    if let Some(rest) = en.strip_prefix("duplicate sheet ") {
        return format!("评分表重复：{rest}");
    }
    if let Some(rest) = en.strip_prefix("duplicate ") {
        let (what, value) = head(rest);
        return format!("{}重复：{value}", noun(what));
    }
    if let Some(rest) = en.strip_prefix("unknown ") {
        let (what, value) = head(rest);
        return format!("未知的{}：{value}", noun(what));
    }
    if let Some(rest) = en.strip_prefix("recusal: judge ")
        && let Some((judge, rest)) = rest.split_once(" and contestant ")
        && let Some((contestant, school)) = rest.split_once(" are both from ")
    {
        return format!("回避：评委 {judge} 与选手 {contestant} 同属 {school}");
    }
    if let Some(rest) = en.strip_prefix("judge ")
        && let Some((judge, event)) = rest.split_once(" is not on the panel of ")
    {
        return format!("评委 {judge} 不在 {event} 的评审组中");
    }
    if let Some(rest) = en.strip_prefix("contestant ")
        && let Some((contestant, event)) = rest.split_once(" does not enter ")
    {
        return format!("选手 {contestant} 没有报名 {event}");
    }
    if let Some(event) =
        en.strip_prefix("no score: the file has no 分数 column and no criteria of ")
    {
        return format!("没有分数：文件中既没有“分数”列，也没有 {event} 的评分项");
    }
    if let Some(name) = en.strip_prefix("no column for criterion ") {
        return format!("没有评分项 {name} 的列");
    }
    if let Some(name) = en.strip_prefix("blank criterion ") {
        return format!("评分项 {name} 为空");
    }
    if let Some(rest) = en.strip_prefix("invalid ") {
        let (what, value) = head(rest);
        return format!("{what}无效：{value}");
    }
    if let Some(rest) = en.strip_prefix("column ")
        && let Some(name) = rest.strip_suffix(" is ignored")
    {
        return format!("列 {name} 未使用");
    }
    if let Some(rest) = en.strip_prefix("score ")
        && let Some((given, sum)) = rest.split_once(" does not equal the criteria sum ")
    {
        return format!("分数 {given} 与各评分项之和 {sum} 不符");
    }
    if let Some(text) = en.strip_suffix(" contains a space (kept as is)") {
        return format!("{text} 中有空格（按原样保留）");
    }
    if let Some((subject, rest)) = en.split_once(" is not a criterion of ") {
        return format!("{subject} 不是 {rest} 的评分项");
    }
    if let Some(subject) = en.strip_suffix(" is not a number") {
        let (label, value) = head(subject);
        return format!("{} {value} 不是数字", noun(label));
    }
    if let Some((subject, step)) = en.split_once(" is not a multiple of the step ") {
        let (label, value) = head(subject);
        return format!("{} {value} 不是步长 {step} 的整数倍", noun(label));
    }
    if let Some((subject, max)) = en.split_once(" is over the maximum ") {
        let (label, value) = head(subject);
        return format!("{} {value} 超过满分 {max}", noun(label));
    }
    if let Some(subject) = en.strip_suffix(" is negative") {
        let (label, value) = head(subject);
        return format!("{} {value} 为负数", noun(label));
    }
    if let Some((label, rest)) = en.split_once(" is ")
        && let Some((n, max)) = rest.split_once(" characters long (at most ")
    {
        return format!(
            "{label} 长 {n} 个字（最多 {} 个）",
            max.trim_end_matches(')')
        );
    }
    if let Some((label, code)) = en.split_once(" contains the invisible character ") {
        return format!("{label} 含有不可见字符 {code}");
    }
    en.to_string()
}

#[cfg(test)]
mod tests {
    use super::zh;

    #[test]
    fn the_reasons_read_in_chinese() {
        for (en, expected) in [
            ("duplicate 编号 JS20250001", "编号重复：JS20250001"),
            ("empty 姓名", "姓名为空"),
            ("unknown 学段 大学", "未知的学段：大学"),
            ("unknown event E99", "未知的项目：E99"),
            ("missing columns", "缺少必需的列"),
            (
                "教学目标 11 is over the maximum 10",
                "教学目标 11 超过满分 10",
            ),
            ("score abc is not a number", "分数 abc 不是数字"),
            (
                "姓名 is 70 characters long (at most 64)",
                "姓名 长 70 个字（最多 64 个）",
            ),
            (
                "姓名 contains the invisible character U+202E",
                "姓名 含有不可见字符 U+202E",
            ),
            (
                "judge PW001 is not on the panel of E05",
                "评委 PW001 不在 E05 的评审组中",
            ),
            ("column 备注 is ignored", "列 备注 未使用"),
        ] {
            assert_eq!(zh(en), expected);
        }
        // Unknown: kept as is.
        assert_eq!(zh("something new"), "something new");
    }
}
