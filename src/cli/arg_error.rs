//! Argument errors in the user's language: clap's messages are English, so the common kinds
//! are said again in Chinese (the command-line default), naming the argument and value.

use clap::error::{ContextKind, ContextValue, ErrorKind};

fn context(e: &clap::Error, kind: ContextKind) -> String {
    match e.get(kind) {
        Some(ContextValue::String(s)) => s.clone(),
        Some(ContextValue::Strings(v)) => v.join("、"),
        Some(ContextValue::StyledStr(s)) => s.to_string(),
        Some(ContextValue::StyledStrs(v)) => v
            .iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>()
            .join("、"),
        Some(ContextValue::Number(n)) => n.to_string(),
        _ => String::new(),
    }
}

/// The message for an argument error (not for `--help` / `--version`, which are not errors).
pub fn message(e: &clap::Error) -> String {
    let arg = context(e, ContextKind::InvalidArg);
    let value = context(e, ContextKind::InvalidValue);
    let what = match e.kind() {
        ErrorKind::UnknownArgument => format!("不认识的参数 {arg}"),
        ErrorKind::InvalidSubcommand => format!(
            "没有 {} 这个命令",
            context(e, ContextKind::InvalidSubcommand)
        ),
        ErrorKind::MissingRequiredArgument => format!("缺少必需的参数 {arg}"),
        ErrorKind::MissingSubcommand | ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand => {
            "缺少命令".to_string()
        }
        ErrorKind::InvalidValue => {
            let valid = context(e, ContextKind::ValidValue);
            if valid.is_empty() {
                format!("参数 {arg} 的值“{value}”无效")
            } else {
                format!("参数 {arg} 的值“{value}”无效，可选：{valid}")
            }
        }
        ErrorKind::ValueValidation => format!("参数 {arg} 的值“{value}”无效"),
        ErrorKind::ArgumentConflict => format!(
            "参数 {arg} 不能与 {} 同时使用",
            context(e, ContextKind::PriorArg)
        ),
        ErrorKind::TooManyValues | ErrorKind::WrongNumberOfValues => {
            format!("参数 {arg} 的值个数不对")
        }
        ErrorKind::NoEquals => format!("参数 {arg} 需要写成 {arg}=值"),
        _ => "命令行参数有误".to_string(),
    };
    let usage = context(e, ContextKind::Usage);
    let usage = usage.trim();
    if usage.is_empty() {
        format!("{what}。用法见 scoredesk --help")
    } else {
        format!(
            "{what}。\n{}\n用法见 scoredesk --help",
            usage.replace("Usage:", "用法:")
        )
    }
}

#[cfg(test)]
mod tests {
    use clap::Parser;

    use super::*;
    use crate::cli::Cli;

    fn error(args: &[&str]) -> String {
        let e = Cli::try_parse_from(args).expect_err("an argument error");
        message(&e)
    }

    #[test]
    fn argument_errors_are_said_in_chinese_naming_the_argument() {
        let m = error(&["scoredesk", "export", "csv", "f.sqlite", "extra"]);
        assert!(m.contains("不认识的参数") && m.contains("extra"), "{m}");
        let m = error(&["scoredesk", "check"]);
        assert!(m.contains("缺少必需的参数"), "{m}");
        let m = error(&["scoredesk", "nosuch"]);
        assert!(m.contains("nosuch"), "{m}");
        let m = error(&[
            "scoredesk",
            "explain",
            "f",
            "--contestant",
            "x",
            "--lang",
            "fr",
        ]);
        assert!(m.contains("fr") && m.contains("可选"), "{m}");
        assert!(!m.contains("error:") && !m.contains("unexpected"), "{m}");
    }
}
