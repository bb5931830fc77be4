//! Languages. Simplified Chinese is the default; English is switchable at run time.
//! The GUI's strings live in `ui/strings.rs`; explanations in `explain.rs` follow this choice.

/// A user-interface language.
#[derive(
    Clone, Copy, Debug, Default, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize,
)]
pub enum Lang {
    /// 简体中文
    #[default]
    Zh,
    En,
}

thread_local! {
    static MESSAGE_LANG: std::cell::Cell<Lang> = const { std::cell::Cell::new(Lang::Zh) };
}

/// Sets the language the lower layers' row-by-row messages are written in on this thread (the
/// window's choice on its thread, `--lang` on the command line's).
pub fn set_message_lang(lang: Lang) {
    MESSAGE_LANG.with(|l| l.set(lang));
}

/// A line of a row-by-row report ("row 3: …" / "第 3 行：…"): already written in the language
/// set for the thread, never to be split as "中文 (English)" (its reasons may hold brackets).
pub fn is_row_report(line: &str) -> bool {
    let digits = |rest: &str| rest.starts_with(|c: char| c.is_ascii_digit());
    line.strip_prefix("row ").is_some_and(digits) || line.strip_prefix("第 ").is_some_and(digits)
}

/// [`one_language`] for a line that may be a row report (kept as it is).
pub fn one_language_line(line: &str, lang: Lang) -> String {
    if is_row_report(line) {
        line.to_string()
    } else {
        one_language(line, lang)
    }
}

/// The language set by [`set_message_lang`] for this thread (Chinese by default).
pub fn message_lang() -> Lang {
    MESSAGE_LANG.with(|l| l.get())
}

/// An audit entry's action in the chosen language (the log stores stable English keys).
pub fn audit_action(action: &str, lang: Lang) -> String {
    if lang == Lang::En {
        return action.to_string();
    }
    match action {
        "create-competition" => "创建比赛",
        "migrate" => "升级文件格式",
        "import-contestants" => "导入选手",
        "add-contestant" => "添加选手",
        "update-contestant" => "修改选手",
        "delete-contestant" => "删除选手",
        "set-entries" => "修改参赛项目",
        "import-judges" => "导入评委",
        "set-panel" => "设置评审组",
        "set-pins" => "设置 PIN",
        "set-head-judge" => "设置裁判长",
        "set-meta" => "修改设置",
        "update-event" => "修改项目规则",
        "update-rules" => "修改获奖规则",
        "update-competition" => "修改比赛信息",
        "draw" => "抽签",
        "redraw" => "重新抽签",
        "submit-sheet" => "提交评分",
        "correct-sheet" => "更正评分",
        "import-scores" => "导入成绩",
        "demo-scores" => "演示成绩",
        "penalty" => "扣分",
        "remove-penalty" => "撤销扣分",
        "absence" => "记录缺席",
        "remove-absence" => "撤销缺席",
        "award-decision" => "人工决定等次",
        "award-decision-withdrawn" => "撤回等次决定",
        "export-kit" | "kit" => "导出评分包",
        "merge-packet" => "导入成绩包",
        "resolve-conflict" => "处理冲突",
        "add-recorder" => "添加记分员",
        "paper-entry" => "录入纸质评分",
        "resolve-paper" => "裁定纸质评分",
        "join-tokens" => "扫码链接",
        "restore" => "从备份恢复",
        other => other,
    }
    .to_string()
}

/// One language of a message written "中文 (English)" — the form the lower layers use, so that
/// a message is complete in either language: Chinese keeps the text outside the bracketed
/// English parts; English keeps the bracketed parts, the paths, ids and numbers the Chinese
/// names, and what follows the last part (a detail such as an operating-system reason). A
/// message without such parts is as is.
pub fn one_language(message: &str, lang: Lang) -> String {
    // (start of " (", end after ")", the English inside) for each bracketed English part.
    let mut parts: Vec<(usize, usize, &str)> = Vec::new();
    let mut from = 0;
    while let Some(at) = message[from..].find(" (").map(|i| from + i) {
        let inner_start = at + 2;
        let Some(close) = message[inner_start..].find(')').map(|i| inner_start + i) else {
            break;
        };
        let inner = &message[inner_start..close];
        let english = inner.chars().any(|c| c.is_ascii_alphabetic())
            && !inner
                .chars()
                .any(|c| ('\u{4E00}'..='\u{9FFF}').contains(&c));
        if english && inner.contains(' ') {
            parts.push((at, close + 1, inner));
        }
        from = close + 1;
    }
    if parts.is_empty() {
        return message.to_string();
    }
    match lang {
        Lang::Zh => {
            let mut out = String::new();
            let mut last = 0;
            for (start, end, _) in &parts {
                out.push_str(&message[last..*start]);
                last = *end;
            }
            out.push_str(&message[last..]);
            out
        }
        Lang::En => {
            let mut out: Vec<&str> = parts.iter().map(|(_, _, e)| *e).collect();
            // What the Chinese names that reads the same in English: paths, ids, numbers.
            let names: Vec<&str> = message[..parts[0].0]
                .split_whitespace()
                .filter(|t| t.contains(['/', '\\']) || t.chars().any(|c| c.is_ascii_digit()))
                .collect();
            let names = names.join(" ");
            if !names.is_empty() {
                out.push(&names);
            }
            let tail = message[parts[parts.len() - 1].1..].trim();
            if !tail.is_empty() {
                out.push(tail.trim_start_matches([':', '：']).trim());
            }
            let mut text = out.join(": ");
            if let Some(first) = text.get(..1) {
                text = first.to_uppercase() + &text[1..];
            }
            text
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_language_at_a_time() {
        let m = "撤销必须填写原因 (removing needs a reason)";
        assert_eq!(one_language(m, Lang::Zh), "撤销必须填写原因");
        assert_eq!(one_language(m, Lang::En), "Removing needs a reason");
        let m = "无法读取 /x/名单.csv (cannot read the file): No such file";
        assert_eq!(
            one_language(m, Lang::Zh),
            "无法读取 /x/名单.csv: No such file"
        );
        assert_eq!(
            one_language(m, Lang::En),
            "Cannot read the file: /x/名单.csv: No such file"
        );
        assert_eq!(
            one_language("没有选手 JS001 (no such contestant)", Lang::En),
            "No such contestant: JS001"
        );
        // Brackets that are not an English translation stay.
        let m = "已导出 3 页 (E05)";
        assert_eq!(one_language(m, Lang::Zh), m);
        assert_eq!(one_language("plain", Lang::En), "plain");
    }
}
