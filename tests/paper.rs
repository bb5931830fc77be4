//! Paper fallback: two recorders (记分员) enter a judge's paper sheet blind on the master; it
//! counts only when two different recorders agree; a disagreement is listed and decided by the
//! organiser or head judge with a reason; nobody confirms their own entry.

mod common;

use common::{s, scoredesk, stderr, stdout};
use scoredesk::store::{Access, Store};

fn ok(args: &[&str]) -> String {
    let out = scoredesk(args);
    assert!(out.status.success(), "{args:?}: {}", stderr(&out));
    stdout(&out)
}

fn pin_of(text: &str) -> String {
    text.lines()
        .find_map(|l| l.rsplit_once("PIN ").map(|(_, p)| p.trim().to_string()))
        .expect("a PIN")
}

#[test]
fn double_entry_counts_only_when_two_recorders_agree() {
    let dir = tempfile::tempdir().expect("dir");
    let (path, _) = common::master_from_samples(dir.path(), "m.sqlite");
    let p1 = pin_of(&ok(&[
        "recorder",
        s(&path),
        "--id",
        "JL01",
        "--name",
        "张记",
        "--event",
        "E05",
    ]));
    let p2 = pin_of(&ok(&[
        "recorder",
        s(&path),
        "--id",
        "JL02",
        "--name",
        "李记",
        "--event",
        "E05",
    ]));
    // PW029's paper sheets for two contestants (not from PW029's school).
    let store = Store::open_with(&path, Access::ReadOnly).expect("open");
    let school = store
        .judges()
        .expect("judges")
        .into_iter()
        .find(|j| j.id == "PW029")
        .expect("PW029")
        .school;
    let ids: Vec<String> = store
        .contestants()
        .expect("contestants")
        .into_iter()
        .filter(|c| c.school != school)
        .take(2)
        .map(|c| c.id)
        .collect();
    drop(store);
    let header = "项目,选手编号,评委编号,教学目标,教学内容,教学过程,方法与策略,教师素养\n";
    let rows = |second: &str| {
        format!(
            "{header}E05,{},PW029,8,12,20,25,16\nE05,{},PW029,{second},12,20,25,16\n",
            ids[0], ids[1]
        )
    };
    let a = dir.path().join("a.csv");
    let b = dir.path().join("b.csv");
    std::fs::write(&a, rows("9")).expect("write");
    std::fs::write(&b, rows("7")).expect("write");
    let sheet = |c: &str| {
        Store::open_with(&path, Access::ReadOnly)
            .expect("open")
            .sheet("E05", c, "PW029")
            .expect("read")
    };

    // The first recorder alone: nothing counts yet; entering again is not a confirmation.
    assert!(ok(&["paper", s(&path), "--recorder", "JL01", "--pin", &p1, s(&a)]).contains("等待"));
    assert!(ok(&["paper", s(&path), "--recorder", "JL01", "--pin", &p1, s(&a)]).contains("等待"));
    assert!(
        sheet(&ids[0]).is_none(),
        "one recorder's entries never count"
    );
    // A wrong PIN is refused.
    assert!(
        !scoredesk(&[
            "paper",
            s(&path),
            "--recorder",
            "JL02",
            "--pin",
            "000000",
            s(&b)
        ])
        .status
        .success()
    );

    // The second recorder: the first sheet agrees and counts; the second disagrees.
    let out = ok(&["paper", s(&path), "--recorder", "JL02", "--pin", &p2, s(&b)]);
    assert!(out.contains("已计入") && out.contains("不一致"), "{out}");
    let counted = sheet(&ids[0]).expect("counted");
    assert!(counted.status.counts());
    assert_eq!(counted.total.to_string(), "81");
    assert!(counted.entered_by.contains("JL01") && counted.entered_by.contains("JL02"));
    assert!(sheet(&ids[1]).is_none(), "a disagreement does not count");

    // Listed, then decided with a reason.
    let listed = ok(&["paper", s(&path)]);
    assert_eq!(listed.lines().count(), 2, "{listed}");
    let entry = listed
        .lines()
        .find(|l| l.contains("JL02"))
        .and_then(|l| l.split('\t').next())
        .expect("entry id")
        .to_string();
    assert!(
        !scoredesk(&["paper", s(&path), "--resolve", &entry, "--reason", " "])
            .status
            .success()
    );
    ok(&[
        "paper",
        s(&path),
        "--resolve",
        &entry,
        "--reason",
        "核对纸质原件",
    ]);
    let decided = sheet(&ids[1]).expect("decided");
    assert_eq!(decided.total.to_string(), "80");
    assert!(
        ok(&["paper", s(&path)]).trim().is_empty(),
        "nothing left to decide"
    );
    let audit = ok(&["audit", s(&path)]);
    assert!(audit.contains("resolve-paper") && audit.contains("核对纸质原件"));
}
