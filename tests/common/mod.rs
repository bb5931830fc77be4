//! Shared helpers for the integration tests: temporary folders, sample paths, the binary.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// A sample roster from `tests/fixtures/samples/` (copies of the realistic rosters).
pub fn sample(name: &str) -> PathBuf {
    let p = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/samples")
        .join(name);
    assert!(p.exists(), "sample file missing: {}", p.display());
    p
}

/// Runs the `scoredesk` binary with `args`.
pub fn scoredesk(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_scoredesk"))
        .args(args)
        .output()
        .expect("the scoredesk binary runs")
}

pub fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

pub fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// `path` as a `&str` (test paths are UTF-8).
pub fn s(path: &Path) -> &str {
    path.to_str().expect("utf-8 path")
}
