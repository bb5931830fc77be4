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

/// A master competition from the samples (240 contestants, 91 judges on 13 panels), organiser
/// PIN 123456; returns its path and each judge's PIN as printed by `import judges`.
pub fn master_from_samples(
    dir: &Path,
    name: &str,
) -> (PathBuf, std::collections::BTreeMap<String, String>) {
    let path = dir.join(name);
    let out = scoredesk(&["new", s(&path), "--organiser-pin", "123456"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let out = scoredesk(&[
        "import",
        "contestants",
        s(&path),
        s(&sample("roster.utf8.csv")),
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    let out = scoredesk(&["import", "judges", s(&path), s(&sample("judges.csv"))]);
    assert!(out.status.success(), "{}", stderr(&out));
    let pins = stdout(&out)
        .lines()
        .filter_map(|l| {
            let mut parts = l.split('\t');
            let id = parts.next()?;
            let pin = parts.nth(1)?.strip_prefix("PIN ")?;
            Some((id.to_string(), pin.to_string()))
        })
        .collect();
    (path, pins)
}

/// A judge who has not scored joins the E05 panel: every E05 result becomes provisional (待定).
pub fn add_late_judge(file: &Path) {
    scoredesk::store::Store::open(file)
        .expect("open")
        .add_judges(
            &[scoredesk::model::Judge {
                id: "PW999".into(),
                name: "迟到评委".into(),
                school: "吕梁市教育局".into(),
                county: "离石区".into(),
                events: vec!["E05".into()],
            }],
            &[],
            "organiser",
        )
        .expect("judge");
}
