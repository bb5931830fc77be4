//! Backups and restore (issue 15): automatic backups are consistent snapshots taken before a
//! risky change and pruned to 20 plus one per hour; restore checks the backup, keeps the current
//! state, says what is lost, and is refused while the file is open elsewhere.

mod common;

use std::path::Path;

use common::{s, scoredesk, stderr, stdout};
use scoredesk::commands;
use scoredesk::store::{
    Access, Store, backups_folder, list_backups, prune_backups, start_rolling_backup,
};

fn demo(dir: &Path) -> std::path::PathBuf {
    let path = dir.join("比赛.sqlite");
    drop(commands::build_demo(&path, 30, 3).expect("demo"));
    path
}

fn penalties(path: &Path) -> usize {
    Store::open_with(path, Access::ReadOnly)
        .expect("open")
        .penalties()
        .expect("penalties")
        .len()
}

fn add_penalty(path: &Path, contestant: &str) {
    let out = scoredesk(&[
        "penalty",
        s(path),
        "--event",
        "E05",
        "--contestant",
        contestant,
        "--points",
        "1",
        "--reason",
        "测试",
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
}

fn a_contestant(path: &Path) -> String {
    Store::open_with(path, Access::ReadOnly)
        .expect("open")
        .contestants()
        .expect("contestants")[0]
        .id
        .clone()
}

#[test]
fn an_automatic_backup_is_the_state_before_the_change_it_guards() {
    let dir = tempfile::tempdir().expect("dir");
    let path = demo(dir.path());
    let before = penalties(&path);
    let mut store = Store::open(&path).expect("open");
    let handle = start_rolling_backup(&path, "before-test").expect("started");
    // The change happens while the copy is still being written.
    let c = store.contestants().expect("contestants")[0].id.clone();
    commands::execute(
        &mut store,
        &commands::Session::organiser(),
        commands::Command::AddPenalty {
            penalty: scoredesk::model::Penalty {
                event: "E05".into(),
                contestant: c,
                points: scoredesk::model::Fixed::from_int(1),
                reason: "测试".into(),
            },
            again: false,
        },
    )
    .expect("penalty");
    let backup = handle.join().expect("thread").expect("backup");
    assert!(backup.starts_with(backups_folder(&path)));
    assert!(backup.to_string_lossy().contains("before-test"));
    let copy = Store::open_with(&backup, Access::ReadOnly).expect("the backup opens");
    assert_eq!(copy.integrity_check().expect("check"), "ok");
    assert_eq!(copy.audit_verify().expect("verify"), None);
    assert_eq!(
        copy.penalties().expect("p").len(),
        before,
        "the snapshot predates the change"
    );
    assert_eq!(store.penalties().expect("p").len(), before + 1);
}

#[test]
fn backups_are_pruned_to_twenty_plus_one_per_hour() {
    let dir = tempfile::tempdir().expect("dir");
    let path = dir.path().join("c.sqlite");
    let folder = backups_folder(&path);
    std::fs::create_dir_all(&folder).expect("mkdir");
    // 40 backups: hours 08..11, ten in each.
    for h in 8..12 {
        for m in 0..10 {
            std::fs::write(
                folder.join(format!("20261202-{h:02}{m:02}00-auto.sqlite")),
                b"x",
            )
            .expect("write");
        }
    }
    let removed = prune_backups(&path).expect("prune");
    let left = list_backups(&path).expect("list");
    // The newest 20 (hours 10 and 11) stay; of the older 20 (hours 08 and 09) one per hour.
    assert_eq!(left.len(), 22, "{left:?}");
    assert_eq!(removed, 18);
    let names: Vec<String> = left
        .iter()
        .map(|p| p.file_name().expect("name").to_string_lossy().into_owned())
        .collect();
    assert!(
        names.contains(&"20261202-080900-auto.sqlite".to_string()),
        "{names:?}"
    );
    assert!(
        names.contains(&"20261202-090900-auto.sqlite".to_string()),
        "{names:?}"
    );
    assert!(!names.contains(&"20261202-080000-auto.sqlite".to_string()));
}

#[test]
fn restore_keeps_the_current_state_and_says_what_is_lost() {
    let dir = tempfile::tempdir().expect("dir");
    let path = demo(dir.path());
    let backup = dir.path().join("上午.sqlite");
    assert!(
        scoredesk(&["backup", s(&path), s(&backup)])
            .status
            .success()
    );
    let before = penalties(&path);
    let c = a_contestant(&path);
    add_penalty(&path, &c);
    assert_eq!(penalties(&path), before + 1);

    // Refused while the file is open for writing elsewhere.
    {
        let _held = Store::open(&path).expect("held");
        let out = scoredesk(&["restore", s(&path), "--from", s(&backup)]);
        assert!(!out.status.success());
        assert!(stderr(&out).contains("已在另一个"), "{}", stderr(&out));
        assert_eq!(penalties(&path), before + 1, "nothing changed");
    }

    let out = scoredesk(&["restore", s(&path), "--from", s(&backup)]);
    assert!(out.status.success(), "{}", stderr(&out));
    let text = stdout(&out);
    assert!(text.contains("失去备份之后的 1 条记录"), "{text}");
    assert!(text.contains("penalty"), "the lost entry is listed: {text}");
    assert_eq!(penalties(&path), before, "the backup's state is back");
    let store = Store::open_with(&path, Access::ReadOnly).expect("open");
    assert_eq!(store.integrity_check().expect("check"), "ok");
    assert_eq!(store.audit_verify().expect("verify"), None);
    assert!(
        store
            .audit_entries()
            .expect("audit")
            .iter()
            .any(|e| e.action == "restore")
    );
    drop(store);
    // The state before the restore was kept.
    let kept = list_backups(&path).expect("list");
    let before_restore = kept
        .iter()
        .find(|p| p.to_string_lossy().contains("before-restore"))
        .expect("kept");
    assert_eq!(penalties(before_restore), before + 1);
}

#[test]
fn a_damaged_or_foreign_backup_is_refused_and_nothing_changes() {
    let dir = tempfile::tempdir().expect("dir");
    let path = demo(dir.path());
    let head = Store::open_with(&path, Access::ReadOnly)
        .expect("open")
        .audit_head()
        .expect("head");
    // Another competition's file.
    let other = dir.path().join("other.sqlite");
    drop(commands::new_competition(&other, "first", None, "123456").expect("other"));
    let out = scoredesk(&["restore", s(&path), "--from", s(&other)]);
    assert!(!out.status.success());
    assert!(
        stderr(&out).contains("不是本比赛文件的早期版本"),
        "{}",
        stderr(&out)
    );
    // A damaged file.
    let bad = dir.path().join("bad.sqlite");
    std::fs::write(&bad, vec![7_u8; 8192]).expect("write");
    assert!(
        !scoredesk(&["restore", s(&path), "--from", s(&bad)])
            .status
            .success()
    );
    let after = Store::open_with(&path, Access::ReadOnly)
        .expect("open")
        .audit_head()
        .expect("head");
    assert_eq!(head, after);
}
