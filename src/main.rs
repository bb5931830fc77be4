//! `scoredesk`: with no arguments, the GUI; otherwise a headless command (see `scoredesk --help`).

use std::process::ExitCode;

use clap::Parser;

use scoredesk::cli::{self, Cli};

fn main() -> ExitCode {
    scoredesk::ui::mark_process_start();
    // `scoredesk FILE` (a double-clicked .sdkit or competition file): the window, FILE opened.
    let mut raw = std::env::args_os().skip(1);
    if let (Some(first), None) = (raw.next(), raw.next()) {
        let path = std::path::PathBuf::from(&first);
        if path.is_file() {
            return gui(Some(path));
        }
    }
    let args = match Cli::try_parse() {
        Ok(args) => args,
        Err(e) if e.use_stderr() => {
            eprintln!("错误：{}", cli::arg_error::message(&e));
            return ExitCode::from(2);
        }
        // --help and --version print and succeed.
        Err(e) => e.exit(),
    };
    let lang = args.lang;
    scoredesk::i18n::set_message_lang(lang.lang());
    let command = match args.command {
        None => return gui(None),
        Some(cli::Command::Gui { file }) => return gui(file),
        Some(c) => c,
    };
    let stdout = std::io::stdout();
    // Messages in one language at a time: `--lang zh` (default) or `--lang en`. Listings,
    // tables and JSON hold the competition's own data (a school "… (Branch Campus)") and are
    // written untouched.
    let data = matches!(
        command,
        cli::Command::Events { .. }
            | cli::Command::Contestants { .. }
            | cli::Command::Judges { .. }
            | cli::Command::Results(_)
            | cli::Command::Explain { .. }
            | cli::Command::Check { .. }
            | cli::Command::Audit { .. }
            | cli::Command::Decisions { .. }
            | cli::Command::Conflicts { .. }
            | cli::Command::Packets { .. }
            | cli::Command::Tokens { .. }
            | cli::Command::Paper { .. }
            | cli::Command::Papers { .. }
    );
    let result = if data {
        let mut out = stdout.lock();
        cli::run_in(command, lang, &mut out)
    } else {
        let mut out = cli::OneLanguage::new(stdout.lock(), lang.lang());
        let r = cli::run_in(command, lang, &mut out);
        let _ = std::io::Write::flush(&mut out);
        r
    };
    match result {
        Ok(()) | Err(scoredesk::commands::CommandError::OutputClosed) => ExitCode::SUCCESS,
        Err(e) => {
            // Line by line: an import's error lists one bad row per line.
            let text = e
                .to_string()
                .lines()
                .map(|l| scoredesk::i18n::one_language_line(l, lang.lang()))
                .collect::<Vec<_>>()
                .join("\n");
            match lang {
                cli::LangArg::Zh => eprintln!("错误：{text}"),
                cli::LangArg::En => eprintln!("error: {text}"),
            }
            ExitCode::FAILURE
        }
    }
}

/// Opens the window; a start-up failure (no display, no OpenGL) is explained, not panicked on.
fn gui(file: Option<std::path::PathBuf>) -> ExitCode {
    match scoredesk::ui::run(file) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            let text = format!(
                "无法打开 ScoreDesk 窗口 (cannot open the window): {e}\n\n\
                 请确认在图形桌面中运行，并且显卡驱动支持 OpenGL 2 以上。\n\
                 (Run it in a desktop session with OpenGL 2+.)\n\n\
                 命令行功能仍可使用 (the command line still works): scoredesk --help"
            );
            eprintln!("错误 (error): {text}");
            // A plain native message box: it needs no OpenGL (absent on a server: then stderr only).
            let _ = rfd::MessageDialog::new()
                .set_level(rfd::MessageLevel::Error)
                .set_title("ScoreDesk")
                .set_description(&text)
                .set_buttons(rfd::MessageButtons::Ok)
                .show();
            ExitCode::FAILURE
        }
    }
}
