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
