//! Removing a recorded penalty or absence (issue 13): it needs a reason and the right to
//! correct the event, it is audited with what was removed, and the result follows.

use std::path::Path;

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
