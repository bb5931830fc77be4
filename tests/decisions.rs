//! Decisions on results (issue 13): removing a recorded penalty or absence needs a reason and
//! the right to correct the event, and is audited with what was removed; the organiser's award
//! decision (人工决定等次) replaces the computed tier, is marked, audited and can be withdrawn.

mod common;

use std::path::Path;

use common::{s, scoredesk, stderr, stdout};

use scoredesk::commands::{self, Command, CommandError, Session};
use scoredesk::model::{Absence, Fixed, Penalty};
use scoredesk::store::Store;

fn demo(dir: &Path) -> Store {
    let path = dir.join("比赛.sqlite");
    drop(commands::build_demo(&path, 30, 3).expect("demo"));
    Store::open(&path).expect("open")
}

fn penalty(store: &mut Store, contestant: &str) {
    commands::execute(
        store,
        &Session::organiser(),
        Command::AddPenalty {
            penalty: Penalty {
                event: "E05".into(),
                contestant: contestant.into(),
                points: Fixed::from_int(2),
                reason: "超时".into(),
            },
            again: false,
        },
    )
    .expect("penalty recorded");
}

#[test]
fn a_penalty_is_removed_only_with_a_reason_and_the_right_to_correct() {
    let dir = tempfile::tempdir().expect("dir");
    let mut store = demo(dir.path());
    let c = store.contestants().expect("contestants")[0].id.clone();
    let before = store.penalties().expect("read").len();
    penalty(&mut store, &c);
    let (id, p) = store
        .penalties_with_ids()
        .expect("read")
        .pop()
        .expect("the new one is last");
    assert_eq!(p.contestant, c);

    // No reason: refused, nothing changed.
    let err = commands::execute(
        &mut store,
        &Session::organiser(),
        Command::RemovePenalty {
            id,
            reason: "  ".into(),
        },
    )
    .expect_err("a reason is needed");
    assert!(matches!(err, CommandError::Invalid(_)), "{err:?}");
    assert_eq!(store.penalties().expect("read").len(), before + 1);

    // A judge who is not head judge of E05: refused.
    let judge = store
        .judges()
        .expect("judges")
        .into_iter()
        .next()
        .expect("a judge");
    let err = commands::execute(
        &mut store,
        &Session::for_judge(&judge, false),
        Command::RemovePenalty {
            id,
            reason: "录错了".into(),
        },
    )
    .expect_err("a panel judge may not remove a penalty");
    assert!(matches!(err, CommandError::Forbidden(_)), "{err:?}");
    assert_eq!(store.penalties().expect("read").len(), before + 1);

    // An id that does not exist: refused.
    let err = commands::execute(
        &mut store,
        &Session::organiser(),
        Command::RemovePenalty {
            id: id + 1000,
            reason: "录错了".into(),
        },
    )
    .expect_err("no such penalty");
    assert!(matches!(err, CommandError::Invalid(_)), "{err:?}");

    // The organiser with a reason: removed and audited with what it was.
    commands::execute(
        &mut store,
        &Session::organiser(),
        Command::RemovePenalty {
            id,
            reason: "录错了".into(),
        },
    )
    .expect("removed");
    assert_eq!(store.penalties().expect("read").len(), before);
    let last = store
        .audit_entries()
        .expect("audit")
        .pop()
        .expect("an entry");
    assert_eq!(last.action, "remove-penalty");
    assert!(last.detail.contains("超时") && last.detail.contains("录错了"));
    assert_eq!(store.audit_verify().expect("verify"), None);
}

#[test]
fn an_absence_is_removed_with_a_reason_and_audited() {
    let dir = tempfile::tempdir().expect("dir");
    let mut store = demo(dir.path());
    let judge = store
        .judges()
        .expect("judges")
        .into_iter()
        .find(|j| j.events.iter().any(|e| e == "E05"))
        .expect("a panel judge of E05")
        .id;
    commands::execute(
        &mut store,
        &Session::organiser(),
        Command::RecordAbsence {
            absence: Absence {
                event: "E05".into(),
                judge: judge.clone(),
                contestant: None,
                reason: "生病".into(),
            },
            again: false,
        },
    )
    .expect("absence recorded");
    let before = store.absences().expect("read").len() - 1;
    let (id, a) = store
        .absences_with_ids()
        .expect("read")
        .pop()
        .expect("the new one is last");
    assert_eq!(a.judge, judge);
    commands::execute(
        &mut store,
        &Session::organiser(),
        Command::RemoveAbsence {
            id,
            reason: "已到场".into(),
        },
    )
    .expect("removed");
    assert_eq!(store.absences().expect("read").len(), before);
    let last = store
        .audit_entries()
        .expect("audit")
        .pop()
        .expect("an entry");
    assert_eq!(last.action, "remove-absence");
    assert!(last.detail.contains(&judge) && last.detail.contains("已到场"));
}

/// The results JSON of `event` ("综合" for the overall table), every group's entries.
fn entries(path: &Path, event: Option<&str>) -> Vec<serde_json::Value> {
    let mut args = vec!["results", s(path), "--format", "json"];
    match event {
        Some(e) => args.extend(["--event", e]),
        None => args.push("--overall"),
    }
    let out = scoredesk(&args);
    assert!(out.status.success(), "{}", stderr(&out));
    let v: serde_json::Value = serde_json::from_str(&stdout(&out)).expect("json");
    v["groups"]
        .as_array()
        .expect("groups")
        .iter()
        .flat_map(|g| g["entries"].as_array().cloned().unwrap_or_default())
        .collect()
}

#[test]
fn the_organiser_decides_an_award_on_the_command_line() {
    let dir = tempfile::tempdir().expect("dir");
    let path = dir.path().join("比赛.sqlite");
    drop(commands::build_demo(&path, 30, 3).expect("demo"));
    let first = entries(&path, Some("E05"))
        .into_iter()
        .find(|e| e["rank"] == 1)
        .expect("a first place");
    let c = first["contestant"].as_str().expect("id").to_string();
    assert_ne!(first["award"], "三等奖");
    let decide = |tier: &str, reason: &str| {
        scoredesk(&[
            "award",
            s(&path),
            "--event",
            "E05",
            "--contestant",
            &c,
            "--tier",
            tier,
            "--reason",
            reason,
        ])
    };
    // An unknown tier and an empty reason are refused.
    assert!(!decide("特等奖", "x").status.success());
    assert!(!decide("三等奖", " ").status.success());
    let out = decide("三等奖", "组委会讨论决定");
    assert!(out.status.success(), "{}", stderr(&out));
    let e = entries(&path, Some("E05"))
        .into_iter()
        .find(|e| e["contestant"] == c.as_str())
        .expect("entry");
    assert_eq!(e["award"], "三等奖", "the JSON shows the decided tier");
    assert_eq!(e["award_decision"], "组委会讨论决定");
    assert_eq!(e["tie_flag"], false);
    // Marked on the printed table's notes (the CSV uses the same result table).
    let out = scoredesk(&["results", s(&path), "--event", "E05", "--format", "csv"]);
    assert!(stdout(&out).contains("等次人工决定"), "{}", stdout(&out));
    let audit = stdout(&scoredesk(&["audit", s(&path)]));
    assert!(audit.contains("award-decision") && audit.contains("组委会讨论决定"));

    // The overall table: `--event 综合`, no award.
    let out = scoredesk(&[
        "award",
        s(&path),
        "--event",
        "综合",
        "--contestant",
        &c,
        "--tier",
        "无",
        "--reason",
        "综合另议",
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    let o = entries(&path, None)
        .into_iter()
        .find(|e| e["contestant"] == c.as_str())
        .expect("overall entry");
    if o["rank"].is_null() {
        assert_eq!(
            o["award_decision"],
            serde_json::Value::Null,
            "waits until ranked"
        );
    } else {
        assert_eq!(o["award"], serde_json::Value::Null);
        assert_eq!(o["award_decision"], "综合另议");
    }

    // Withdrawn: the computed tier again.
    let out = scoredesk(&[
        "award",
        s(&path),
        "--event",
        "E05",
        "--contestant",
        &c,
        "--withdraw",
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    let e = entries(&path, Some("E05"))
        .into_iter()
        .find(|e| e["contestant"] == c.as_str())
        .expect("entry");
    assert_eq!(e["award"], first["award"]);
    assert_eq!(e["award_decision"], serde_json::Value::Null);
}
