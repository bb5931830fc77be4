//! `scoredesk`: with no arguments, the GUI; otherwise a headless command (see `scoredesk --help`).

use std::process::ExitCode;

use clap::Parser;
use scoredesk::cli::{self, Cli};

fn main() -> ExitCode {
    let args = Cli::parse();
    let Some(command) = args.command else {
        eprintln!("scoredesk: the GUI is not built yet; see `scoredesk --help` for the commands");
        return ExitCode::from(2);
    };
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    match cli::run(command, &mut out) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("错误 (error): {e}");
            ExitCode::FAILURE
        }
    }
}
