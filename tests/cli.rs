//! The command-line contract: what automation relies on (outputs, exit codes, all-or-nothing
//! imports with `row N: reason` lines).

mod common;

use common::{s, sample, scoredesk, stderr, stdout};
use serde_json::Value;

fn json(out: &std::process::Output) -> Value {
    assert!(out.status.success(), "command failed: {}", stderr(out));
    serde_json::from_str(&stdout(out)).expect("valid JSON on stdout")
}

fn new_file(dir: &tempfile::TempDir, name: &str, template: &str) -> std::path::PathBuf {
    let path = dir.path().join(name);
    let out = scoredesk(&["new", s(&path), "--template", template]);
    assert!(out.status.success(), "{}", stderr(&out));
    path
}

#[test]
fn new_and_events_json() {
    let dir = tempfile::tempdir().expect("dir");
    let path = new_file(&dir, "c.sqlite", "second");
    let v = json(&scoredesk(&["events", s(&path), "--format", "json"]));
    let events = v["events"].as_array().expect("events array");
    assert_eq!(events.len(), 13);
    let e5 = events.iter().find(|e| e["code"] == "E05").expect("E05");
    assert_eq!(e5["name"], "课堂教学");
    assert_eq!(e5["kind"], "live");
    assert_eq!(e5["judges"], 7);
    assert_eq!(e5["trim"], 1);
    assert_eq!(e5["aggregate"], "mean");
    assert_eq!(e5["decimals"], 2);
    assert_eq!(e5["step"].to_string(), "0.1");
    assert_eq!(e5["weight"].to_string(), "1");
    assert_eq!(e5["criteria"][0]["name"], "教学目标");
    assert_eq!(e5["criteria"][0]["max"].to_string(), "10");
    let names: Vec<&str> = events.iter().filter_map(|e| e["name"].as_str()).collect();
    assert!(names.contains(&"即兴写作") && names.contains(&"AI助教"));

    let first = new_file(&dir, "f.sqlite", "first");
    let v = json(&scoredesk(&["events", s(&first), "--format", "json"]));
    assert_eq!(v["events"].as_array().map(Vec::len), Some(8));
}

#[test]
fn new_with_title_and_custom_template() {
    let dir = tempfile::tempdir().expect("dir");
    let toml = dir.path().join("mine.toml");
    std::fs::write(
        &toml,
        r#"[competition]
title = "校内赛"
[[events]]
code = "K1"
name = "说课"
kind = "live"
judges = 5
trim = 1
aggregate = "mean"
criteria = [ { name = "内容", max = 60 }, { name = "表达", max = 40 } ]
"#,
    )
    .expect("write");
    let path = dir.path().join("k.sqlite");
    let out = scoredesk(&[
        "new",
        s(&path),
        "--template",
        s(&toml),
        "--title",
        "某某区赛",
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    let v = json(&scoredesk(&["events", s(&path), "--format", "json"]));
    assert_eq!(v["events"][0]["judges"], 5);
    assert!(stdout(&out).contains("某某区赛"));
}

#[test]
fn an_invalid_template_names_key_and_line() {
    let dir = tempfile::tempdir().expect("dir");
    let toml = dir.path().join("bad.toml");
    std::fs::write(
        &toml,
        "[competition]\ntitle = \"x\"\n[[events]]\ncode = \"A\"\nname = \"a\"\nkind = \"live\"\njudges = 3\ntrim = 2\naggregate = \"mean\"\ncriteria = [ { name = \"c\", max = 10 } ]\n",
    )
    .expect("write");
    let path = dir.path().join("b.sqlite");
    let out = scoredesk(&["new", s(&path), "--template", s(&toml)]);
    assert!(!out.status.success());
    let err = stderr(&out);
    assert!(err.contains("line 8") && err.contains("`trim`"), "{err}");
    assert!(!path.exists(), "no half-made file is left behind");

    std::fs::write(&toml, "[competition]\ntitle = \"x\"\ncolour = \"red\"\n").expect("write");
    let out = scoredesk(&["new", s(&path), "--template", s(&toml)]);
    let err = stderr(&out);
    assert!(!out.status.success());
    assert!(err.contains("colour") && err.contains("line 3"), "{err}");
}

#[test]
fn imports_all_three_roster_formats_with_names_intact() {
    let dir = tempfile::tempdir().expect("dir");
    let mut lists = Vec::new();
    for (i, name) in ["roster.utf8.csv", "roster.gbk.csv", "roster.xlsx"]
        .iter()
        .enumerate()
    {
        let path = new_file(&dir, &format!("r{i}.sqlite"), "second");
        let out = scoredesk(&["import", "contestants", s(&path), s(&sample(name))]);
        assert!(out.status.success(), "{name}: {}", stderr(&out));
        let v = json(&scoredesk(&["contestants", s(&path), "--format", "json"]));
        let list = v["contestants"].as_array().expect("array").clone();
        lists.push(list);
    }
    // Every name of the UTF-8 file, read independently, is stored exactly.
    let text = std::fs::read_to_string(sample("roster.utf8.csv")).expect("read");
    let expected: Vec<(String, String)> = text
        .trim_start_matches('\u{feff}')
        .lines()
        .skip(1)
        .filter(|l| !l.trim().is_empty())
        .map(|l| {
            let cells: Vec<&str> = l.split(',').collect();
            (cells[0].to_string(), cells[1].to_string())
        })
        .collect();
    let got: Vec<(String, String)> = lists[0]
        .iter()
        .map(|c| {
            (
                c["id"].as_str().unwrap_or("").to_string(),
                c["name"].as_str().unwrap_or("").to_string(),
            )
        })
        .collect();
    assert_eq!(got, expected);
    assert!(got.iter().any(|(_, n)| n == "金𬭎"));
    // GBK and XLSX hold the same people: their names must be exactly those of the UTF-8 file
    // wherever the ids coincide.
    for list in &lists[1..] {
        assert!(!list.is_empty());
        for c in list {
            let id = c["id"].as_str().unwrap_or("");
            if let Some((_, n)) = expected.iter().find(|(i, _)| i == id) {
                assert_eq!(c["name"].as_str(), Some(n.as_str()), "{id}");
            }
        }
    }
}

#[test]
fn a_faulty_roster_is_refused_whole_with_every_bad_row() {
    let dir = tempfile::tempdir().expect("dir");
    let path = new_file(&dir, "bad.sqlite", "second");
    let out = scoredesk(&[
        "--lang",
        "en",
        "import",
        "contestants",
        s(&path),
        s(&sample("roster.bad.csv")),
    ]);
    assert!(!out.status.success(), "must fail");
    let err = stderr(&out);
    // The same rows in Chinese by default (one language at a time).
    let zh = stderr(&scoredesk(&[
        "import",
        "contestants",
        s(&path),
        s(&sample("roster.bad.csv")),
    ]));
    assert!(zh.contains("第 3 行：编号重复：JS20250001"), "{zh}");
    assert!(!zh.contains("row 3"), "{zh}");
    let expect = std::fs::read_to_string(sample("roster.bad.expect")).expect("expect file");
    for line in expect.lines().filter(|l| !l.trim().is_empty()) {
        let row = line.split(':').next().unwrap_or_default();
        if line.contains("not an error") {
            assert!(
                !err.lines().any(|l| l.starts_with(&format!("{row}:"))),
                "{row} must not be reported:\n{err}"
            );
        } else {
            assert!(err.contains(line), "missing `{line}` in:\n{err}");
        }
    }
    let v = json(&scoredesk(&["contestants", s(&path), "--format", "json"]));
    assert_eq!(
        v["contestants"].as_array().map(Vec::len),
        Some(0),
        "nothing half-imported"
    );
}

#[test]
fn imports_judges_onto_panels() {
    let dir = tempfile::tempdir().expect("dir");
    let path = new_file(&dir, "j.sqlite", "second");
    let out = scoredesk(&[
        "--lang",
        "en",
        "import",
        "judges",
        s(&path),
        s(&sample("judges.csv")),
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    let v = json(&scoredesk(&["judges", s(&path), "--format", "json"]));
    let judges = v["judges"].as_array().expect("array");
    assert_eq!(judges.len(), 91);
    let on_e05 = judges
        .iter()
        .filter(|j| {
            j["events"]
                .as_array()
                .is_some_and(|e| e.iter().any(|c| c == "E05"))
        })
        .count();
    assert_eq!(on_e05, 7);
    assert_eq!(judges[0]["name"], "上官薇勇");
    // The same file again: every id is now a duplicate, nothing changes.
    let again = scoredesk(&[
        "--lang",
        "en",
        "import",
        "judges",
        s(&path),
        s(&sample("judges.csv")),
    ]);
    assert!(!again.status.success());
    assert!(
        stderr(&again).contains("row 2: duplicate 评委编号 PW001"),
        "{}",
        stderr(&again)
    );
}

#[test]
fn listings_in_table_and_csv() {
    let dir = tempfile::tempdir().expect("dir");
    let path = new_file(&dir, "t.sqlite", "second");
    let out = scoredesk(&[
        "import",
        "contestants",
        s(&path),
        s(&sample("roster.utf8.csv")),
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    let table = stdout(&scoredesk(&["contestants", s(&path)]));
    assert!(table.lines().next().is_some_and(|h| h.starts_with("编号")));
    assert!(table.contains("金𬭎"));
    let csv = stdout(&scoredesk(&["contestants", s(&path), "--format", "csv"]));
    assert!(csv.starts_with('\u{feff}'), "BOM for Excel");
    assert!(csv.contains("JS20250001,金𬭎,男,小学,语文"));
}

#[test]
fn demo_builds_a_complete_competition() {
    let dir = tempfile::tempdir().expect("dir");
    let path = dir.path().join("demo.sqlite");
    let out = scoredesk(&["demo", s(&path), "--contestants", "60", "--seed", "5"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let v = json(&scoredesk(&["contestants", s(&path), "--format", "json"]));
    let list = v["contestants"].as_array().expect("array");
    assert_eq!(list.len(), 60);
    let stages: std::collections::HashSet<&str> =
        list.iter().filter_map(|c| c["stage"].as_str()).collect();
    assert!(stages.contains("小学") && stages.contains("初中"));
    let check = scoredesk(&["check", s(&path)]);
    assert!(check.status.success(), "{}", stderr(&check));
    assert!(stdout(&check).contains("integrity_check: ok"));
    // Same seed, same demo.
    let path2 = dir.path().join("demo2.sqlite");
    assert!(
        scoredesk(&["demo", s(&path2), "--contestants", "60", "--seed", "5"])
            .status
            .success()
    );
    let v2 = json(&scoredesk(&["contestants", s(&path2), "--format", "json"]));
    assert_eq!(v, v2);
}

#[test]
fn errors_go_to_stderr_with_a_non_zero_exit() {
    let dir = tempfile::tempdir().expect("dir");
    let missing = dir.path().join("nope.sqlite");
    let out = scoredesk(&["events", s(&missing)]);
    assert!(!out.status.success());
    assert!(stdout(&out).is_empty());
    assert!(stderr(&out).contains("找不到文件"), "{}", stderr(&out));
    let notes = dir.path().join("notes.txt");
    std::fs::write(&notes, "hello ".repeat(200)).expect("write");
    let out = scoredesk(&["contestants", s(&notes)]);
    assert!(!out.status.success());
    assert!(stderr(&out).contains("不是 ScoreDesk 比赛文件"));
}

/// A competition with the sample roster and judges.
fn with_samples(dir: &tempfile::TempDir) -> std::path::PathBuf {
    let path = new_file(dir, "s.sqlite", "second");
    for (what, file) in [("contestants", "roster.utf8.csv"), ("judges", "judges.csv")] {
        let out = scoredesk(&["import", what, s(&path), s(&sample(file))]);
        assert!(out.status.success(), "{what}: {}", stderr(&out));
    }
    path
}

#[test]
fn importing_judges_prints_each_pin_once() {
    let dir = tempfile::tempdir().expect("dir");
    let path = new_file(&dir, "p.sqlite", "second");
    let out = scoredesk(&["import", "judges", s(&path), s(&sample("judges.csv"))]);
    assert!(out.status.success(), "{}", stderr(&out));
    let text = stdout(&out);
    let pins: Vec<&str> = text.lines().filter(|l| l.contains("\tPIN ")).collect();
    assert_eq!(pins.len(), 91);
    assert!(pins[0].starts_with("PW001\t上官薇勇\tPIN "));
    let store = scoredesk::store::Store::open(&path).expect("open");
    let hash = store
        .judge_pin_hash("PW001")
        .expect("read")
        .expect("hash stored");
    assert!(hash.starts_with("$argon2id$"), "only a hash is stored");
    let pin = pins[0].rsplit(' ').next().expect("pin");
    assert!(scoredesk::pin::verify(pin, &hash));
}

#[test]
fn score_import_reports_every_bad_row_and_imports_nothing() {
    let dir = tempfile::tempdir().expect("dir");
    let path = with_samples(&dir);
    let csv = dir.path().join("scores.csv");
    std::fs::write(
        &csv,
        "项目,选手编号,评委编号,分数\n\
         课堂教学设计,JS20250001,PW002,88.5\n\
         E99,JS20250001,PW002,80\n\
         E01,JS99999999,PW002,80\n\
         E01,JS20250001,PW999,80\n\
         E01,JS20250001,PW008,80\n\
         E01,JS20250211,PW001,80\n\
         E01,JS20250003,PW002,101\n\
         E01,JS20250003,PW003,88.3\n\
         E01,JS20250003,PW004,abc\n\
         E01,JS20250001,PW002,90\n",
    )
    .expect("write");
    let out = scoredesk(&["--lang", "en", "import", "scores", s(&path), s(&csv)]);
    assert!(!out.status.success());
    let err = stderr(&out);
    for (row, needle) in [
        (3, "E99"),
        (4, "JS99999999"),
        (5, "PW999"),
        (6, "panel"),
        (7, "recusal"),
        (8, "maximum"),
        (9, "step"),
        (10, "abc"),
        (11, "duplicate"),
    ] {
        let line = err
            .lines()
            .find(|l| l.starts_with(&format!("row {row}:")))
            .unwrap_or_else(|| panic!("row {row} not reported:\n{err}"));
        assert!(
            line.contains(needle),
            "row {row} should mention {needle}: {line}"
        );
    }
    assert!(
        !err.lines().any(|l| l.starts_with("row 2:")),
        "row 2 is fine:\n{err}"
    );
    let store = scoredesk::store::Store::open(&path).expect("open");
    assert!(
        store.sheets(false).expect("sheets").is_empty(),
        "nothing imported"
    );
}

#[test]
fn imported_scores_give_results_and_explanations() {
    let dir = tempfile::tempdir().expect("dir");
    let path = with_samples(&dir);
    // Seven judges of E05 score two 小学语文 contestants; the 5-judge-trimmed means are exact.
    let mut csv =
        String::from("event,contestant,judge,教学目标,教学内容,教学过程,方法与策略,教师素养\n");
    let a = [
        (8, 12, 20, 25, 16),
        (9, 12, 20, 25, 16),
        (8, 13, 20, 25, 16),
        (8, 12, 21, 25, 16),
        (8, 12, 20, 26, 16),
        (8, 12, 20, 25, 17),
        (7, 12, 20, 25, 16),
    ];
    for (i, (x1, x2, x3, x4, x5)) in a.iter().enumerate() {
        let judge = format!("PW{:03}", 29 + i);
        csv.push_str(&format!(
            "E05,JS20250001,{judge},{x1},{x2},{x3},{x4},{x5}\n"
        ));
        csv.push_str(&format!("E05,JS20250002,{judge},9,14,24,28,19\n"));
    }
    let file = dir.path().join("e05.csv");
    std::fs::write(&file, csv).expect("write");
    let out = scoredesk(&["import", "scores", s(&path), s(&file)]);
    assert!(out.status.success(), "{}", stderr(&out));
    let v = json(&scoredesk(&[
        "results",
        s(&path),
        "--event",
        "E05",
        "--group",
        "小学语文",
        "--format",
        "json",
    ]));
    let entries = v["groups"][0]["entries"].as_array().expect("entries");
    let find = |id: &str| {
        entries
            .iter()
            .find(|e| e["contestant"] == id)
            .expect("entry")
            .clone()
    };
    let first = find("JS20250002");
    assert_eq!(first["final"].to_string(), "94.00");
    assert_eq!(first["rank"], 1);
    let second = find("JS20250001");
    // totals 81, 82, 82, 82, 82, 82, 80 → drop 82 and 80 → (81+82+82+82+82)/5 = 81.80
    assert_eq!(second["final"].to_string(), "81.80");
    assert_eq!(
        second["scores"]
            .as_array()
            .map(|s| s.iter().filter(|x| x["dropped"] == true).count()),
        Some(2)
    );
    let text = stdout(&scoredesk(&[
        "explain",
        s(&path),
        "--contestant",
        "JS20250001",
        "--event",
        "E05",
    ]));
    assert!(text.contains("金𬭎"), "{text}");
    assert!(text.contains("去掉 1 个最高分和 1 个最低分"), "{text}");
    assert!(text.contains("81.8"), "{text}");
    let en = stdout(&scoredesk(&[
        "explain",
        s(&path),
        "--contestant",
        "JS20250001",
        "--event",
        "E05",
        "--lang",
        "en",
    ]));
    assert!(en.contains("dropped the 1 highest and 1 lowest"), "{en}");
}

#[test]
fn pin_slips_are_printable() {
    let dir = tempfile::tempdir().expect("dir");
    let path = with_samples(&dir);
    let pdf = dir.path().join("slips.pdf");
    let out = scoredesk(&[
        "pins",
        s(&path),
        "--judge",
        "PW001",
        "--judge",
        "PW030",
        "--slips",
        s(&pdf),
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    let pins: Vec<String> = stdout(&out)
        .lines()
        .filter(|l| l.contains("\tPIN "))
        .filter_map(|l| l.rsplit(' ').next().map(str::to_string))
        .collect();
    assert_eq!(pins.len(), 2);
    let text = std::process::Command::new("pdftotext")
        .args([s(&pdf), "-"])
        .output()
        .expect("pdftotext (poppler-utils) is installed");
    let text = String::from_utf8_lossy(&text.stdout);
    assert!(
        text.contains("上官薇勇") && text.contains("课堂教学设计"),
        "{text}"
    );
    for p in &pins {
        assert!(text.contains(p.as_str()), "PIN {p} printed");
    }
}

#[test]
fn penalties_and_absences_change_results() {
    let dir = tempfile::tempdir().expect("dir");
    let path = with_samples(&dir);
    // Six of E05's seven judges score JS20250001; PW035 has not.
    let mut csv = String::from("项目,选手编号,评委编号,分数\n");
    for (i, score) in ["80", "81", "82", "83", "84", "85"].iter().enumerate() {
        csv.push_str(&format!("E05,JS20250001,PW{:03},{score}\n", 29 + i));
    }
    let file = dir.path().join("six.csv");
    std::fs::write(&file, csv).expect("write");
    assert!(
        scoredesk(&["import", "scores", s(&path), s(&file)])
            .status
            .success()
    );
    let entry = |path: &std::path::Path| {
        let v = json(&scoredesk(&[
            "results",
            s(path),
            "--event",
            "E05",
            "--group",
            "小学语文",
            "--format",
            "json",
        ]));
        v["groups"][0]["entries"]
            .as_array()
            .and_then(|e| e.iter().find(|x| x["contestant"] == "JS20250001").cloned())
            .expect("entry")
    };
    let e = entry(&path);
    assert_eq!(
        e["provisional"], true,
        "a missing sheet keeps the result provisional"
    );
    assert_eq!(e["rank"], serde_json::Value::Null);

    let out = scoredesk(&[
        "absent",
        s(&path),
        "--event",
        "E05",
        "--judge",
        "PW035",
        "--reason",
        "病假",
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    let e = entry(&path);
    assert_eq!(e["provisional"], false);
    // 6 scores, trim 1: (81+82+83+84)/4 = 82.50
    assert_eq!(e["final"].to_string(), "82.50");

    let out = scoredesk(&[
        "penalty",
        s(&path),
        "--event",
        "E05",
        "--contestant",
        "JS20250001",
        "--points",
        "2",
        "--reason",
        "超时",
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    let e = entry(&path);
    assert_eq!(e["penalty"].to_string(), "2.00");
    assert_eq!(e["final"].to_string(), "80.50");

    let bad = scoredesk(&[
        "penalty",
        s(&path),
        "--event",
        "E05",
        "--contestant",
        "NOPE",
        "--points",
        "2",
        "--reason",
        "x",
    ]);
    assert!(!bad.status.success());
    assert!(stderr(&bad).contains("NOPE"));
    let bad = scoredesk(&[
        "absent",
        s(&path),
        "--event",
        "E05",
        "--judge",
        "PW001",
        "--reason",
        "x",
    ]);
    assert!(!bad.status.success(), "PW001 is not on E05's panel");

    // The same penalty again (a double click, a repeated script line) is refused without
    // --again; nothing changes. With --again it is recorded.
    let again = |extra: &[&str]| {
        let mut args = vec![
            "penalty",
            s(&path),
            "--event",
            "E05",
            "--contestant",
            "JS20250001",
            "--points",
            "2",
            "--reason",
            "超时",
        ];
        args.extend_from_slice(extra);
        scoredesk(&args)
    };
    let out = again(&[]);
    assert!(!out.status.success());
    assert!(stderr(&out).contains("--again"), "{}", stderr(&out));
    assert_eq!(entry(&path)["penalty"].to_string(), "2.00");
    let out = again(&["--again"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(entry(&path)["penalty"].to_string(), "4.00");
    // The same absence again, likewise.
    let out = scoredesk(&[
        "absent",
        s(&path),
        "--event",
        "E05",
        "--judge",
        "PW035",
        "--reason",
        "病假",
    ]);
    assert!(!out.status.success());
    assert!(stderr(&out).contains("--again"), "{}", stderr(&out));
}

/// A small competition from the built-in template: two contestants from 一中 and 二中, and
/// the judges given as `id,school,event` lines.
fn small_competition(dir: &tempfile::TempDir, judges: &[(&str, &str, &str)]) -> std::path::PathBuf {
    let path = new_file(dir, "small.sqlite", "second");
    let roster = dir.path().join("roster.csv");
    std::fs::write(
        &roster,
        "编号,姓名,性别,学段,学科,工作单位,县（市、区）,联系电话\n\
         JS001,王一,女,小学,语文,一中,离石区,13000000001\n\
         JS002,李二,男,小学,语文,二中,离石区,13000000002\n",
    )
    .expect("roster");
    let out = scoredesk(&["import", "contestants", s(&path), s(&roster)]);
    assert!(out.status.success(), "{}", stderr(&out));
    let mut csv = String::from("评委编号,姓名,工作单位,县（市、区）,评审项目\n");
    for (id, school, event) in judges {
        csv.push_str(&format!("{id},评委{id},{school},离石区,{event}\n"));
    }
    let file = dir.path().join("judges.csv");
    std::fs::write(&file, csv).expect("judges");
    let out = scoredesk(&["import", "judges", s(&path), s(&file)]);
    assert!(out.status.success(), "{}", stderr(&out));
    path
}

fn entry_json(path: &std::path::Path, event: &str, contestant: &str) -> Value {
    let v = json(&scoredesk(&[
        "results",
        s(path),
        "--event",
        event,
        "--format",
        "json",
    ]));
    v["groups"]
        .as_array()
        .expect("groups")
        .iter()
        .flat_map(|g| g["entries"].as_array().expect("entries").iter())
        .find(|e| e["contestant"] == contestant)
        .expect("entry")
        .clone()
}

#[test]
fn a_written_test_has_no_recusal_and_counts_its_seats() {
    let dir = tempfile::tempdir().expect("dir");
    // One seat (the template's 业务能力测试 has judges = 1); the only recorder comes from JS001's
    // school — on paper there is no recusal.
    let path = small_competition(
        &dir,
        &[("PW01", "一中", "业务能力测试"), ("PW02", "三中", "说课")],
    );
    let csv = dir.path().join("e08.csv");
    std::fs::write(&csv, "项目,选手编号,评委编号,分数\nE08,JS001,PW01,88\n").expect("write");
    let out = scoredesk(&["--lang", "en", "import", "scores", s(&path), s(&csv)]);
    assert!(
        out.status.success(),
        "no recusal on a written test: {}",
        stderr(&out)
    );
    let e = entry_json(&path, "E08", "JS001");
    assert_eq!(e["final"].to_string(), "88.00");
    assert_eq!(e["provisional"], false);
    assert_eq!(e["rank"], 1);
    assert_eq!(e["reason"], Value::Null);

    // Someone who is not one of its recorders is refused like any off-panel sheet.
    std::fs::write(&csv, "项目,选手编号,评委编号,分数\nE08,JS002,PW02,70\n").expect("write");
    let out = scoredesk(&["--lang", "en", "import", "scores", s(&path), s(&csv)]);
    assert!(!out.status.success());
    assert!(
        stderr(&out).contains("row 2: judge PW02 is not on the panel of E08"),
        "{}",
        stderr(&out)
    );
    let e = entry_json(&path, "E08", "JS002");
    assert_eq!(e["provisional"], true);
    assert_eq!(e["reason"], "笔试成绩需录入 1 次，已录入 0 次");
}

#[test]
fn every_provisional_entry_says_why() {
    let dir = tempfile::tempdir().expect("dir");
    let path = small_competition(
        &dir,
        &[
            ("PW01", "三中", "说课"),
            ("PW02", "四中", "说课"),
            ("PW03", "五中", "说课"),
        ],
    );
    let csv = dir.path().join("e06.csv");
    std::fs::write(
        &csv,
        "项目,选手编号,评委编号,分数\nE06,JS001,PW01,88\nE06,JS001,PW03,86\n",
    )
    .expect("write");
    let out = scoredesk(&["import", "scores", s(&path), s(&csv)]);
    assert!(out.status.success(), "{}", stderr(&out));
    let e = entry_json(&path, "E06", "JS001");
    assert_eq!(e["provisional"], true);
    assert_eq!(e["reason"], "PW02 未提交");
    let text = stdout(&scoredesk(&[
        "explain",
        s(&path),
        "--contestant",
        "JS001",
        "--event",
        "E06",
    ]));
    assert!(text.contains("成绩待定：PW02 未提交"), "{text}");
    assert!(text.contains("暂不排名：PW02 未提交"), "{text}");
    let en = stdout(&scoredesk(&[
        "explain",
        s(&path),
        "--contestant",
        "JS001",
        "--event",
        "E06",
        "--lang",
        "en",
    ]));
    assert!(en.contains("not ranked: PW02 has not submitted"), "{en}");
    assert!(!en.contains("未提交"), "one language at a time: {en}");

    let v = json(&scoredesk(&[
        "results",
        s(&path),
        "--overall",
        "--format",
        "json",
    ]));
    let overall = v["groups"][0]["entries"]
        .as_array()
        .expect("entries")
        .iter()
        .find(|e| e["contestant"] == "JS001")
        .expect("JS001")
        .clone();
    let reason = overall["reason"].as_str().expect("a reason");
    assert!(reason.contains("E06 说课 成绩待定"), "{reason}");
    assert!(reason.contains("缺 E01 课堂教学设计"), "{reason}");
}

#[test]
fn backup_never_overwrites_anything() {
    let dir = tempfile::tempdir().expect("dir");
    let live = new_file(&dir, "live.sqlite", "first");
    let base = new_file(&dir, "base.sqlite", "second");
    let before = std::fs::read(&live).expect("read");

    // The arguments the wrong way round: the live file must survive.
    let out = scoredesk(&["backup", s(&base), s(&live)]);
    assert!(!out.status.success());
    assert!(stderr(&out).contains("已存在"), "{}", stderr(&out));
    assert_eq!(
        std::fs::read(&live).expect("read"),
        before,
        "the live file is untouched"
    );

    // An unrelated file.
    let notes = dir.path().join("notes.txt");
    std::fs::write(&notes, "会议记录").expect("write");
    let out = scoredesk(&["backup", s(&base), s(&notes)]);
    assert!(!out.status.success());
    assert_eq!(std::fs::read_to_string(&notes).expect("read"), "会议记录");

    // A name whose -wal is lying around (a stale WAL would be read into the copy).
    let stale = dir.path().join("stale.sqlite");
    std::fs::write(dir.path().join("stale.sqlite-wal"), b"junk").expect("write");
    let out = scoredesk(&["backup", s(&base), s(&stale)]);
    assert!(!out.status.success());
    assert!(!stale.exists());

    // Onto itself.
    let out = scoredesk(&["backup", s(&base), s(&base)]);
    assert!(!out.status.success());

    // A new name works, and the copy opens as the same competition.
    let copy = dir.path().join("copy.sqlite");
    let out = scoredesk(&["backup", s(&base), s(&copy)]);
    assert!(out.status.success(), "{}", stderr(&out));
    let v = json(&scoredesk(&["events", s(&copy), "--format", "json"]));
    assert_eq!(v["events"].as_array().map(Vec::len), Some(13));

    // Into a folder that does not exist: an error and nothing left behind.
    let out = scoredesk(&[
        "backup",
        s(&base),
        s(&dir.path().join("no/such/dir/b.sqlite")),
    ]);
    assert!(!out.status.success());
    let stray: Vec<String> = std::fs::read_dir(dir.path())
        .expect("list")
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains("partial"))
        .collect();
    assert!(stray.is_empty(), "{stray:?}");
}

#[test]
fn the_panel_column_says_trimmed_only_when_something_was_dropped() {
    let dir = tempfile::tempdir().expect("dir");
    let path = small_competition(
        &dir,
        &[
            ("PW01", "三中", "说课"),
            ("PW02", "四中", "说课"),
            ("PW03", "五中", "说课"),
        ],
    );
    let csv = dir.path().join("e06.csv");
    std::fs::write(
        &csv,
        "项目,选手编号,评委编号,分数\nE06,JS001,PW01,88\nE06,JS001,PW02,86\nE06,JS001,PW03,80\n",
    )
    .expect("write");
    assert!(
        scoredesk(&["import", "scores", s(&path), s(&csv)])
            .status
            .success()
    );
    // Three judges with trim 1 keep all three: nothing dropped, so a plain mean.
    let table = stdout(&scoredesk(&["results", s(&path), "--event", "E06"]));
    let header = table.lines().next().unwrap_or_default();
    assert!(header.contains("平均分"), "{header}");
    assert!(!header.contains("去掉最高最低后"), "{header}");
    assert!(!table.contains("(8"), "no score is marked dropped: {table}");
}

#[test]
fn bad_roster_input_is_refused_with_the_row() {
    let dir = tempfile::tempdir().expect("dir");
    let path = new_file(&dir, "bad.sqlite", "second");
    let head = "编号,姓名,性别,学段,学科,工作单位,县（市、区）,联系电话\n";
    let long = "长".repeat(65);
    let csv = dir.path().join("r.csv");
    std::fs::write(
        &csv,
        format!(
            "{head}X0001,王一,女,小学,语文,一中,离石区,\n\
             Ｘ0001,王二,女,小学,语文,一中,离石区,\n\
             X0003,{long},女,小学,语文,一中,离石区,\n\
             X0004,李\u{202E}四,男,小学,语文,一中,离石区,\n"
        ),
    )
    .expect("write");
    let out = scoredesk(&["--lang", "en", "import", "contestants", s(&path), s(&csv)]);
    assert!(!out.status.success());
    let err = stderr(&out);
    assert!(
        err.contains("row 3: duplicate 编号 X0001"),
        "full-width id is the same id: {err}"
    );
    assert!(err.contains("row 4: 姓名 is 65 characters long"), "{err}");
    assert!(
        err.contains("row 5: 姓名 contains the invisible character U+202E"),
        "{err}"
    );
    let v = json(&scoredesk(&["contestants", s(&path), "--format", "json"]));
    assert_eq!(
        v.as_array().map(Vec::len).unwrap_or(0),
        0,
        "nothing imported: {v}"
    );

    // A header with no rows: "nothing to import", and no audit entry.
    let before = stdout(&scoredesk(&["audit", s(&path)])).lines().count();
    std::fs::write(&csv, head).expect("write");
    let out = scoredesk(&["import", "contestants", s(&path), s(&csv)]);
    assert!(!out.status.success());
    // One language at a time: Chinese by default, English with --lang en.
    assert!(stderr(&out).contains("没有可导入的行"), "{}", stderr(&out));
    assert!(
        !stderr(&out).contains("nothing to import"),
        "{}",
        stderr(&out)
    );
    let out = scoredesk(&["--lang", "en", "import", "contestants", s(&path), s(&csv)]);
    assert!(!out.status.success());
    assert!(
        stderr(&out).to_lowercase().contains("nothing to import") && !stderr(&out).contains("没有"),
        "{}",
        stderr(&out)
    );
    assert_eq!(
        stdout(&scoredesk(&["audit", s(&path)])).lines().count(),
        before
    );
}

#[test]
fn re_drawing_after_scoring_needs_a_reason() {
    let dir = tempfile::tempdir().expect("dir");
    let path = small_competition(
        &dir,
        &[
            ("PW01", "三中", "说课"),
            ("PW02", "四中", "说课"),
            ("PW03", "五中", "说课"),
        ],
    );
    // Before any sheet: one step, as often as wanted.
    assert!(
        scoredesk(&["draw", s(&path), "--event", "E06", "--seed", "1"])
            .status
            .success()
    );
    assert!(
        scoredesk(&["draw", s(&path), "--event", "E06", "--seed", "2"])
            .status
            .success()
    );
    let csv = dir.path().join("e06.csv");
    std::fs::write(&csv, "项目,选手编号,评委编号,分数\nE06,JS001,PW01,88\n").expect("write");
    assert!(
        scoredesk(&["import", "scores", s(&path), s(&csv)])
            .status
            .success()
    );
    let codes = || stdout(&scoredesk(&["contestants", s(&path), "--format", "csv"]));
    let before = codes();
    let out = scoredesk(&["draw", s(&path), "--event", "E06", "--seed", "3"]);
    assert!(
        !out.status.success(),
        "a re-draw after scoring is refused without a reason"
    );
    assert!(
        stderr(&out).contains("--redraw --reason"),
        "{}",
        stderr(&out)
    );
    let out = scoredesk(&["draw", s(&path), "--all", "--seed", "3"]);
    assert!(!out.status.success(), "--all too");
    assert_eq!(codes(), before);
    let out = scoredesk(&[
        "draw",
        s(&path),
        "--event",
        "E06",
        "--seed",
        "3",
        "--redraw",
        "--reason",
        "抽签现场重抽",
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    let audit = stdout(&scoredesk(&["audit", s(&path)]));
    assert!(
        audit.contains("redraw") && audit.contains("抽签现场重抽"),
        "{audit}"
    );
}

#[test]
fn listings_and_json_keep_the_competitions_own_text_whatever_the_language() {
    let dir = tempfile::tempdir().expect("dir");
    let path = dir.path().join("比赛.sqlite");
    let out = scoredesk(&["demo", s(&path), "--contestants", "20"]);
    assert!(out.status.success(), "{}", stderr(&out));
    // A school whose name holds English in brackets (it is data, not a translation).
    let conn = rusqlite::Connection::open(&path).expect("sqlite");
    let id: String = conn
        .query_row(
            "SELECT id FROM contestant ORDER BY position LIMIT 1",
            [],
            |r| r.get(0),
        )
        .expect("id");
    drop(conn);
    let mut store = scoredesk::store::Store::open(&path).expect("open");
    let mut c = store
        .contestants()
        .expect("contestants")
        .into_iter()
        .find(|c| c.id == id)
        .expect("contestant");
    c.school = "吕梁国际学校 (Branch Campus)".into();
    scoredesk::commands::execute(
        &mut store,
        &scoredesk::commands::Session::organiser(),
        scoredesk::commands::Command::UpdateContestant(c),
    )
    .expect("renamed");
    drop(store);
    for lang in ["zh", "en"] {
        let out = scoredesk(&["contestants", s(&path), "--format", "json", "--lang", lang]);
        assert!(out.status.success(), "{}", stderr(&out));
        assert!(
            stdout(&out).contains("吕梁国际学校 (Branch Campus)"),
            "{lang}: {}",
            stdout(&out)
        );
        let out = scoredesk(&["results", s(&path), "--event", "E01", "--lang", lang]);
        assert!(stdout(&out).contains("(Branch Campus)"), "{lang}");
    }
}
