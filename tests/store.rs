//! The competition file: round trips on a real temporary file, migration from version 1, and a
//! clear error (never a panic) for each way opening can fail.

mod common;

use std::io::{Seek, SeekFrom, Write};

use rusqlite::Connection;
use scoredesk::commands;
use scoredesk::model::{Fixed, Sheet, SheetStatus};
use scoredesk::store::{Access, Store, StoreError, migrate};

fn temp() -> tempfile::TempDir {
    tempfile::tempdir().expect("temp dir")
}

#[test]
fn round_trip_on_a_temporary_file() {
    let dir = temp();
    let path = dir.path().join("比赛.sqlite");
    let setup = scoredesk::template::load("second").expect("template");
    {
        let store = commands::build_demo(&path, 40, 7).expect("demo");
        assert_eq!(
            store.setup().expect("setup"),
            setup_with_demo_fields(&setup)
        );
    }
    // Reopen: everything is still there, exactly.
    let store = Store::open(&path).expect("reopen");
    assert_eq!(
        store.schema_version().expect("version"),
        migrate::SCHEMA_VERSION
    );
    let contestants = store.contestants().expect("contestants");
    assert_eq!(contestants.len(), 40);
    for special in scoredesk::demo::SPECIAL_NAMES {
        assert!(
            contestants.iter().any(|c| c.name == *special),
            "{special} did not survive storage"
        );
    }
    let judges = store.judges().expect("judges");
    assert_eq!(
        judges.len(),
        12 * 7 + 1,
        "7 judges per panel event, 1 recorder for E08"
    );
    let sheets = store.sheets(true).expect("sheets");
    assert!(!sheets.is_empty());
    for s in &sheets {
        assert!(s.status == SheetStatus::Submitted);
        let sum: Fixed = s.criteria.iter().flatten().copied().sum();
        assert_eq!(sum, s.total, "criterion scores add up to the stored total");
        let judge = judges
            .iter()
            .find(|j| j.id == s.judge)
            .expect("judge exists");
        let c = contestants
            .iter()
            .find(|c| c.id == s.contestant)
            .expect("contestant exists");
        assert!(
            !judge.must_recuse(c),
            "demo respects recusal: {} scored {}",
            judge.id,
            c.id
        );
    }
    assert_eq!(store.integrity_check().expect("check"), "ok");
    assert_eq!(store.audit_verify().expect("verify"), None);
}

fn setup_with_demo_fields(
    setup: &scoredesk::model::CompetitionSetup,
) -> scoredesk::model::CompetitionSetup {
    let mut s = setup.clone();
    s.competition.dates = "2025年11月15日—16日".into();
    s.competition.venue = "吕梁市教育局教研室".into();
    s
}

#[test]
fn a_submitted_sheet_is_locked_and_a_correction_is_audited() {
    let dir = temp();
    let path = dir.path().join("c.sqlite");
    let mut store = commands::build_demo(&path, 5, 1).expect("demo");
    let original = store.sheets(true).expect("sheets").remove(0);
    let mut changed = original.clone();
    changed.total = original.total - Fixed::parse("0.5").expect("decimal");
    changed.status = SheetStatus::Submitted;
    let err = store.save_sheet(&changed, "PW001").expect_err("locked");
    assert!(err.to_string().contains("锁定"), "{err}");
    assert!(
        matches!(
            store.correct_sheet(&changed, "  ", "organiser"),
            Err(StoreError::Rule(m)) if m.contains("原因")
        ),
        "a reason is required"
    );
    store
        .correct_sheet(&changed, "评委誊写错误", "organiser")
        .expect("correction");
    let now = store
        .sheet(&changed.event, &changed.contestant, &changed.judge)
        .expect("read")
        .expect("exists");
    assert_eq!(now.total, changed.total);
    let audit = store.audit_entries().expect("audit");
    let last = audit.last().expect("entry");
    assert_eq!(last.action, "correct-sheet");
    assert!(
        last.detail.contains(&original.total.to_string()),
        "old value kept: {}",
        last.detail
    );
    assert!(last.detail.contains("评委誊写错误"));
    assert_eq!(store.audit_verify().expect("verify"), None);
}

#[test]
fn drafts_are_saved_and_can_change_until_submitted() {
    let dir = temp();
    let path = dir.path().join("d.sqlite");
    let mut store = commands::new_competition(&path, "second", None, "888888").expect("new");
    let list = scoredesk::demo::generate(&store.setup().expect("setup"), 3, 3);
    store
        .add_contestants(&list.contestants, "organiser")
        .expect("contestants");
    store
        .add_judges(&list.judges, &[], "organiser")
        .expect("judges");
    let mut sheet = Sheet {
        event: "E05".into(),
        contestant: list.contestants[0].id.clone(),
        judge: "PW001".into(),
        criteria: vec![Some(Fixed::from_int(8)), None, None, None, None],
        total: Fixed::from_int(8),
        status: SheetStatus::Draft,
        entered_by: "PW001".into(),
        entered_at: scoredesk::clock::now_rfc3339(),
    };
    store.save_sheet(&sheet, "PW001").expect("draft");
    sheet.criteria[1] = Some(Fixed::from_int(10));
    store.save_sheet(&sheet, "PW001").expect("draft again");
    drop(store);
    let store = Store::open(&path).expect("reopen");
    let back = store
        .sheet("E05", &sheet.contestant, "PW001")
        .expect("read")
        .expect("draft survives a restart");
    assert_eq!(back.criteria[1], Some(Fixed::from_int(10)));
    assert_eq!(back.criteria[2], None, "a blank stays blank, not zero");
    assert_eq!(back.status, SheetStatus::Draft);
}

#[test]
fn migrates_a_version_1_file() {
    let dir = temp();
    let path = dir.path().join("old.sqlite");
    {
        let conn = Connection::open(&path).expect("open");
        conn.execute_batch(include_str!("fixtures/schema_v1.sql"))
            .expect("v1 schema");
        conn.pragma_update(None, "application_id", migrate::APPLICATION_ID)
            .expect("app id");
        conn.pragma_update(None, "user_version", 1)
            .expect("version");
        conn.execute_batch(
            "INSERT INTO competition (id, title, awards_json, ranking_json, created_at)
             VALUES (1, '吕梁市首届中小学教师教学技能大赛', '{\"tiers\":[]}', '{\"tiebreak\":[\"unrounded\"]}', '2024-06-01T08:00:00Z');
             INSERT INTO judge (id, name, school, county, position) VALUES ('PW001', '欧阳𬭎', '汾阳第一中学', '汾阳市', 1);",
        )
        .expect("v1 data");
    }
    let store = Store::open(&path).expect("migrates");
    assert_eq!(store.schema_version().expect("version"), 5);
    let judges = store.judges().expect("judges");
    assert_eq!(judges[0].name, "欧阳𬭎", "data survives the migration");
    assert!(store.absences().expect("absence table exists").is_empty());
    assert!(store.head_judges().expect("head column exists").is_empty());
    let audit = store.audit_entries().expect("audit");
    assert!(
        audit
            .iter()
            .any(|e| e.action == "migrate" && e.detail.contains("1 -> 2"))
    );
    assert!(
        audit
            .iter()
            .any(|e| e.action == "migrate" && e.detail.contains("2 -> 3"))
    );
    assert!(
        audit
            .iter()
            .any(|e| e.action == "migrate" && e.detail.contains("3 -> 4"))
    );
    assert!(
        audit
            .iter()
            .any(|e| e.action == "migrate" && e.detail.contains("4 -> 5"))
    );
    // The migration records the file's first state digest (its baseline), and the full check
    // (chain, replay, tables, schema) passes on the migrated file.
    let report = store.check(None).expect("check");
    assert!(report.ok(), "{report:?}");
    assert!(report.differences.is_empty());
    assert!(
        store
            .award_decisions()
            .expect("award_decision table exists")
            .is_empty()
    );
    // The migrated file has exactly the tables, indexes and triggers of a new one.
    let objects = |p: &std::path::Path| {
        let conn = Connection::open(p).expect("open");
        let mut stmt = conn
            .prepare("SELECT type, name FROM sqlite_master WHERE name NOT LIKE 'sqlite_%' ORDER BY type, name")
            .expect("prepare");
        stmt.query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?)))
            .expect("query")
            .collect::<Result<Vec<_>, _>>()
            .expect("rows")
    };
    let fresh = dir.path().join("fresh.sqlite");
    drop(Store::create(&fresh).expect("fresh"));
    assert_eq!(objects(&path), objects(&fresh));
    assert_eq!(
        store.setup().expect("setup").competition.title,
        "吕梁市首届中小学教师教学技能大赛"
    );
}

#[test]
fn a_text_file_is_not_a_competition_file() {
    let dir = temp();
    let path = dir.path().join("notes.sqlite");
    std::fs::write(&path, "编号,姓名\n".repeat(200)).expect("write");
    let err = Store::open(&path).expect_err("refused");
    assert!(matches!(err, StoreError::NotScoreDesk(_)), "{err:?}");
    assert!(err.to_string().contains("不是 ScoreDesk 比赛文件"), "{err}");
    // An empty file is not silently turned into a new database.
    let empty = dir.path().join("empty.sqlite");
    std::fs::write(&empty, b"").expect("write");
    assert!(matches!(
        Store::open(&empty),
        Err(StoreError::NotScoreDesk(_))
    ));
    assert_eq!(std::fs::metadata(&empty).expect("meta").len(), 0);
}

#[test]
fn another_sqlite_database_is_not_a_competition_file() {
    let dir = temp();
    let path = dir.path().join("other.db");
    let conn = Connection::open(&path).expect("open");
    conn.execute_batch("CREATE TABLE t(x); INSERT INTO t VALUES (1);")
        .expect("create");
    drop(conn);
    // A bit over the 512-byte minimum, so the check reaches the database itself.
    let conn = Connection::open(&path).expect("open");
    conn.execute_batch("INSERT INTO t SELECT randomblob(600);")
        .expect("grow");
    drop(conn);
    let before = std::fs::read(&path).expect("read");
    assert!(matches!(
        Store::open(&path),
        Err(StoreError::NotScoreDesk(_))
    ));
    // Refused without touching it: no lock file, no switch to WAL, the same bytes.
    assert_eq!(std::fs::read(&path).expect("read"), before);
    let mut lock = path.as_os_str().to_owned();
    lock.push(".lock");
    assert!(
        !std::path::Path::new(&lock).exists(),
        "no lock left beside someone else's file"
    );
    let mut wal = path.as_os_str().to_owned();
    wal.push("-wal");
    assert!(!std::path::Path::new(&wal).exists());
    let mode: String = Connection::open(&path)
        .expect("open")
        .query_row("PRAGMA journal_mode", [], |r| r.get(0))
        .expect("mode");
    assert_eq!(mode, "delete", "still in its own journal mode");
}

#[test]
fn a_corrupt_file_is_reported_not_panicked_on() {
    let dir = temp();
    let path = dir.path().join("corrupt.sqlite");
    drop(commands::build_demo(&path, 30, 2).expect("demo"));
    // Checkpointed and closed; now scribble over pages in the middle (keeping the header).
    let len = std::fs::metadata(&path).expect("meta").len();
    let mut f = std::fs::OpenOptions::new()
        .write(true)
        .open(&path)
        .expect("open");
    for offset in (8192..len.saturating_sub(4096)).step_by(16_384) {
        f.seek(SeekFrom::Start(offset)).expect("seek");
        f.write_all(&[0xA5; 1024]).expect("scribble");
    }
    drop(f);
    let err = Store::open(&path).expect_err("refused");
    assert!(matches!(err, StoreError::Corrupt { .. }), "{err:?}");
    assert!(
        err.to_string().contains("备份"),
        "tells the user what to do: {err}"
    );
}

#[test]
fn a_file_from_a_newer_scoredesk_is_refused() {
    let dir = temp();
    let path = dir.path().join("new.sqlite");
    drop(commands::new_competition(&path, "first", None, "888888").expect("new"));
    let conn = Connection::open(&path).expect("open");
    conn.pragma_update(None, "user_version", 99).expect("bump");
    drop(conn);
    match Store::open(&path) {
        Err(StoreError::TooNew {
            found, supported, ..
        }) => {
            assert_eq!(found, 99);
            assert_eq!(supported, migrate::SCHEMA_VERSION);
        }
        other => panic!("expected TooNew, got {other:?}"),
    }
}

#[test]
fn a_file_open_in_another_window_is_refused_for_writing() {
    let dir = temp();
    let path = dir.path().join("busy.sqlite");
    let first = commands::new_competition(&path, "first", None, "888888").expect("new");
    let err = Store::open(&path).expect_err("second writer refused");
    assert!(matches!(err, StoreError::AlreadyOpen { .. }), "{err:?}");
    assert!(
        err.to_string().contains(&std::process::id().to_string()),
        "names the holder: {err}"
    );
    // Reading alongside is fine.
    let reader = Store::open_with(&path, Access::ReadOnly).expect("reader");
    assert_eq!(reader.events().expect("events").len(), 8);
    drop(first);
    Store::open(&path).expect("free again once the first window closes");
}

#[test]
fn another_process_holding_the_file_is_refused() {
    let dir = temp();
    let path = dir.path().join("held.sqlite");
    let _held = commands::new_competition(&path, "first", None, "888888").expect("new");
    let out = common::scoredesk(&["draw", common::s(&path), "--all", "--seed", "1"]);
    assert!(!out.status.success());
    assert!(
        common::stderr(&out).contains("已在另一个 ScoreDesk 窗口中打开"),
        "{}",
        common::stderr(&out)
    );
}

#[test]
fn a_read_only_file_or_folder_is_a_clear_error() {
    let dir = temp();
    let path = dir.path().join("ro.sqlite");
    drop(commands::new_competition(&path, "first", None, "888888").expect("new"));
    let mut perms = std::fs::metadata(&path).expect("meta").permissions();
    perms.set_readonly(true);
    std::fs::set_permissions(&path, perms).expect("chmod");
    let err = Store::open(&path).expect_err("refused");
    // A read-only file is not called a read-only folder.
    assert!(matches!(err, StoreError::ReadOnlyFile { .. }), "{err:?}");
    assert!(err.to_string().contains("只读文件"), "{err}");
    assert!(!err.to_string().contains("文件夹"), "{err}");
    // A folder nobody can write to (root included): /proc.
    let err =
        Store::create(std::path::Path::new("/proc/scoredesk-test.sqlite")).expect_err("refused");
    assert!(matches!(err, StoreError::ReadOnly { .. }), "{err:?}");
}

#[test]
fn create_never_overwrites() {
    let dir = temp();
    let path = dir.path().join("x.sqlite");
    std::fs::write(&path, b"precious").expect("write");
    assert!(matches!(
        Store::create(&path),
        Err(StoreError::AlreadyExists(_))
    ));
    assert_eq!(std::fs::read(&path).expect("read"), b"precious");
}

#[test]
fn the_audit_log_is_append_only_and_tamper_evident() {
    let dir = temp();
    let path = dir.path().join("a.sqlite");
    drop(commands::build_demo(&path, 5, 1).expect("demo"));
    let conn = Connection::open(&path).expect("open");
    assert!(
        conn.execute("DELETE FROM audit", []).is_err(),
        "delete refused"
    );
    assert!(
        conn.execute("UPDATE audit SET detail = 'x'", []).is_err(),
        "update refused"
    );
    // Someone bypassing the triggers is still caught by the hash chain.
    conn.execute_batch(
        "DROP TRIGGER audit_no_update; UPDATE audit SET detail = 'forged' WHERE seq = 2;",
    )
    .expect("tamper");
    drop(conn);
    let store = Store::open(&path).expect("open");
    assert_eq!(store.audit_verify().expect("verify"), Some(2));
}

#[test]
fn backup_copies_a_usable_file() {
    let dir = temp();
    let path = dir.path().join("live.sqlite");
    let store = commands::build_demo(&path, 10, 1).expect("demo");
    let copy = dir.path().join("backup.sqlite");
    store.backup_to(&copy).expect("backup");
    drop(store);
    let b = Store::open(&copy).expect("backup opens");
    assert_eq!(b.contestants().expect("contestants").len(), 10);
    assert_eq!(b.integrity_check().expect("check"), "ok");
}

#[test]
fn after_a_checkpoint_a_copy_of_the_file_alone_is_complete() {
    let dir = temp();
    let path = dir.path().join("live.sqlite");
    let mut store = commands::new_competition(&path, "first", None, "888888").expect("new");
    let data = scoredesk::demo::generate(&store.setup().expect("setup"), 3, 4);
    store
        .add_contestants(&data.contestants, "organiser")
        .expect("contestants");
    store.checkpoint().expect("checkpoint");
    // Copy only the .sqlite (as someone with a USB stick would), while the store is still open.
    let copy = dir.path().join("copy.sqlite");
    std::fs::copy(&path, &copy).expect("copy");
    let reopened = Store::open(&copy).expect("copy opens");
    assert_eq!(reopened.contestants().expect("contestants").len(), 3);
}

#[test]
fn another_program_holding_the_file_is_named_not_database_is_locked() {
    let dir = temp();
    let path = dir.path().join("比赛.sqlite");
    drop(commands::build_demo(&path, 5, 1).expect("demo"));
    let mut store = Store::open(&path).expect("open");
    // Another program (e.g. DB Browser) holds a write transaction on the file.
    let other = Connection::open(&path).expect("other program");
    other
        .execute_batch("BEGIN IMMEDIATE")
        .expect("holds the file");
    let err = commands::execute(
        &mut store,
        &commands::Session::organiser(),
        commands::Command::AddPenalty {
            penalty: scoredesk::model::Penalty {
                event: "E01".into(),
                contestant: "JS20250001".into(),
                points: Fixed::from_int(1),
                reason: "超时".into(),
            },
            again: false,
        },
    )
    .expect_err("busy");
    let text = err.to_string();
    assert!(
        text.contains("比赛.sqlite") && text.contains("另一个程序"),
        "{text}"
    );
    assert!(!text.contains("database is locked"), "{text}");
    other.execute_batch("ROLLBACK").expect("released");
}

#[test]
fn one_events_sheets_are_the_events_share_of_all_sheets() {
    let dir = temp();
    let path = dir.path().join("demo.sqlite");
    let store = scoredesk::commands::build_demo(&path, 20, 5).expect("demo");
    let all = store.sheets(false).expect("all");
    let e01 = store.event_sheets("E01").expect("E01");
    assert!(!e01.is_empty() && e01.len() < all.len());
    let expected: Vec<_> = all.iter().filter(|s| s.event == "E01").cloned().collect();
    assert_eq!(e01, expected, "same sheets, same order");
    assert!(store.event_sheets("E99").expect("none").is_empty());
}
