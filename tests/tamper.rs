//! A file nobody can quietly damage (issue 15 §2): edits made with plain SQL behind the app's
//! back — a score, a sheet deleted, inserted or voided, a penalty removed, a school changed, a
//! judge taken off a panel, audit entries deleted, the chain recomputed — are found by `check`,
//! which names the table, row and field; results, exports and the window warn.

mod common;

use std::path::{Path, PathBuf};

use common::{s, scoredesk, stderr, stdout};
use rusqlite::Connection;
use scoredesk::commands::{self, Command, Session};
use scoredesk::model::{Fixed, Penalty};
use scoredesk::store::Store;
use scoredesk::store::check::{Against, DifferenceKind};

fn demo(dir: &Path) -> PathBuf {
    let path = dir.join("比赛.sqlite");
    let mut store = commands::build_demo(&path, 40, 5).expect("demo");
    commands::execute(
        &mut store,
        &Session::organiser(),
        Command::AddPenalty {
            penalty: Penalty {
                event: "E01".into(),
                contestant: "JS20250001".into(),
                points: Fixed::from_int(2),
                reason: "超时".into(),
            },
            again: false,
        },
    )
    .expect("penalty");
    drop(store);
    path
}

/// Edits the file as `sqlite3` would (no ScoreDesk connection, none of its temporary triggers).
fn edit(path: &Path, sql: &str) {
    let conn = Connection::open(path).expect("open with plain SQLite");
    conn.execute_batch(sql).expect("edit");
}

fn report(path: &Path) -> scoredesk::store::check::Report {
    Store::open_with(path, scoredesk::store::Access::ReadOnly)
        .expect("open")
        .check(None)
        .expect("check runs")
}

#[test]
fn an_untouched_file_passes_and_so_does_one_changed_through_the_app() {
    let dir = tempfile::tempdir().expect("dir");
    let path = demo(dir.path());
    let r = report(&path);
    assert!(r.ok(), "{r:?}");
    // A correction through the command layer is recorded, not a difference.
    let mut store = Store::open(&path).expect("open");
    let id = store.penalties_with_ids().expect("penalties")[0].0;
    commands::execute(
        &mut store,
        &Session::organiser(),
        Command::RemovePenalty {
            id,
            reason: "误记".into(),
        },
    )
    .expect("removed with a reason");
    drop(store);
    let r = report(&path);
    assert!(r.ok(), "{r:?}");
}

#[test]
fn each_edit_behind_the_apps_back_is_named() {
    let dir = tempfile::tempdir().expect("dir");
    let base = demo(dir.path());
    let cases: &[(&str, &str, &str, &str)] = &[
        (
            "score and total changed",
            "UPDATE sheet SET total_e4 = total_e4 + 10000 WHERE id = 5;
             UPDATE sheet_score SET value_e4 = value_e4 + 10000 WHERE sheet_id = 5 AND position = 0;",
            "sheet",
            "total_e4",
        ),
        (
            "sheet deleted",
            "DELETE FROM sheet_score WHERE sheet_id = 7; DELETE FROM sheet WHERE id = 7;",
            "sheet",
            "removed",
        ),
        (
            "sheet inserted from a judge who does not exist",
            "INSERT INTO sheet (event_code, contestant_id, judge_id, total_e4, status, entered_by, entered_at)
             SELECT event_code, contestant_id, 'PW999', total_e4, 'submitted', 'PW999', entered_at FROM sheet WHERE id = 9;",
            "sheet",
            "added",
        ),
        (
            "sheet voided",
            "UPDATE sheet SET status = 'voided' WHERE id = 11;",
            "sheet",
            "status",
        ),
        (
            "penalty removed",
            "DELETE FROM penalty;",
            "penalty",
            "removed",
        ),
        (
            "school changed to force recusal",
            "UPDATE contestant SET school = '汾阳第一中学' WHERE id = 'JS20250003';",
            "contestant",
            "school",
        ),
        (
            "judge removed from a panel",
            "DELETE FROM panel WHERE event_code = 'E01' AND judge_id = 'PW004';",
            "panel",
            "removed",
        ),
    ];
    for (name, sql, table, what) in cases {
        let path = dir.path().join(format!("{name}.sqlite"));
        std::fs::copy(&base, &path).expect("copy");
        edit(&path, sql);
        let r = report(&path);
        assert!(!r.ok(), "{name}: check passed");
        assert!(
            r.chain_break.is_none(),
            "{name}: the chain itself was not touched"
        );
        let d = r
            .differences
            .iter()
            .find(|d| d.table == *table)
            .unwrap_or_else(|| panic!("{name}: no difference in {table}: {r:?}"));
        match (&d.kind, *what) {
            (DifferenceKind::Removed, "removed") | (DifferenceKind::Added, "added") => {}
            (DifferenceKind::Changed(fields), field) => assert!(
                fields.iter().any(|(f, _, _)| f == field),
                "{name}: {fields:?}"
            ),
            (kind, _) => panic!("{name}: {kind:?}"),
        }
        // The command line says it and exits non-zero, naming the table.
        let out = scoredesk(&["check", s(&path)]);
        assert!(!out.status.success(), "{name}");
        assert!(
            stdout(&out).contains(&format!("表 {table}")),
            "{name}: {}",
            stdout(&out)
        );
        // Results and exports warn.
        let out = scoredesk(&["results", s(&path), "--event", "E01"]);
        assert!(out.status.success(), "{name}: {}", stderr(&out));
        assert!(
            stderr(&out).contains("警告"),
            "{name}: results did not warn"
        );
    }
}

#[test]
fn deleting_the_last_audit_entries_after_dropping_the_trigger_is_found() {
    let dir = tempfile::tempdir().expect("dir");
    let path = demo(dir.path());
    let last: i64 = Connection::open(&path)
        .expect("open")
        .query_row("SELECT max(seq) FROM audit", [], |r| r.get(0))
        .expect("seq");
    edit(
        &path,
        &format!(
            "DROP TRIGGER audit_no_delete; DELETE FROM audit WHERE seq > {};",
            last - 2
        ),
    );
    let r = report(&path);
    assert!(!r.ok());
    // The penalty recorded by a removed entry is now unexplained, and the schema lacks a trigger.
    assert!(r.differences.iter().any(|d| d.table == "penalty"), "{r:?}");
    assert!(
        r.schema.iter().any(|s| s.contains("audit_no_delete")),
        "{r:?}"
    );
}

/// The attacker's tool: recomputes every entry's hash after changing one entry's detail, with
/// the formula from the source (plain SHA-256, no key).
fn recompute_chain(path: &Path, seq: i64) {
    use sha2::{Digest, Sha256};
    let conn = Connection::open(path).expect("open");
    conn.execute_batch("DROP TRIGGER audit_no_update;")
        .expect("drop trigger");
    conn.execute(
        "UPDATE audit SET detail = detail || ' (改)' WHERE seq = ?1",
        [seq],
    )
    .expect("edit entry");
    let rows: Vec<(i64, String, String, String, String, String, String)> = {
        let mut stmt = conn
            .prepare(
                "SELECT seq, at, actor, action, detail, changes, state FROM audit ORDER BY seq",
            )
            .expect("prepare");
        stmt.query_map([], |r| {
            Ok((
                r.get(0)?,
                r.get(1)?,
                r.get(2)?,
                r.get(3)?,
                r.get(4)?,
                r.get(5)?,
                r.get(6)?,
            ))
        })
        .expect("query")
        .collect::<Result<_, _>>()
        .expect("rows")
    };
    let mut prev = "0".repeat(64);
    for (seq, at, actor, action, detail, changes, state) in rows {
        let mut h = Sha256::new();
        let seq_text = seq.to_string();
        let mut parts = vec![prev.as_str(), &seq_text, &at, &actor, &action, &detail];
        if !state.is_empty() {
            parts.push(&changes);
            parts.push(&state);
        }
        for p in parts {
            h.update((p.len() as u64).to_le_bytes());
            h.update(p.as_bytes());
        }
        let hash: String = h.finalize().iter().map(|b| format!("{b:02x}")).collect();
        conn.execute(
            "UPDATE audit SET prev_hash = ?2, hash = ?3 WHERE seq = ?1",
            rusqlite::params![seq, prev, hash],
        )
        .expect("rewrite");
        prev = hash;
    }
    conn.execute_batch(
        "CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit
         BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;",
    )
    .expect("trigger back");
}

#[test]
fn a_recomputed_chain_does_not_match_the_organisers_seal() {
    let dir = tempfile::tempdir().expect("dir");
    let path = demo(dir.path());
    let out = scoredesk(&["seal", s(&path), "--pin", commands::DEMO_ORGANISER_PIN]);
    assert!(out.status.success(), "{}", stderr(&out));
    let out = scoredesk(&["seal", s(&path), "--pin", "000000"]);
    assert!(!out.status.success(), "a wrong PIN seals nothing");
    let sealed = report(&path);
    assert!(sealed.ok(), "{sealed:?}");
    assert_eq!(sealed.seals.count, 1);
    assert_eq!(sealed.seals.unsealed_after, 0);

    recompute_chain(&path, 3);
    // Without the PIN the rewritten chain links up — the limit the README states …
    let without = report(&path);
    assert!(without.chain_break.is_none(), "{without:?}");
    // … with the organiser's PIN the seal gives it away.
    let with = Store::open_with(&path, scoredesk::store::Access::ReadOnly)
        .expect("open")
        .check(Some(commands::DEMO_ORGANISER_PIN))
        .expect("check");
    assert!(with.seals.verified);
    assert!(with.seals.mismatch.is_some(), "{with:?}");
    assert!(!with.ok());
    let out = scoredesk(&["check", s(&path), "--pin", commands::DEMO_ORGANISER_PIN]);
    assert!(!out.status.success());
    assert!(stdout(&out).contains("封记不符"), "{}", stdout(&out));
}

#[test]
fn truncating_the_log_past_a_seal_is_found_without_the_pin() {
    let dir = tempfile::tempdir().expect("dir");
    let path = demo(dir.path());
    let out = scoredesk(&["seal", s(&path), "--pin", commands::DEMO_ORGANISER_PIN]);
    assert!(out.status.success(), "{}", stderr(&out));
    edit(
        &path,
        "DROP TRIGGER audit_no_delete; DELETE FROM audit WHERE seq = (SELECT max(seq) FROM audit);
         CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit
         BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;",
    );
    let r = report(&path);
    assert!(r.seals.beyond_end, "{r:?}");
    assert!(!r.ok());
}

#[test]
fn check_against_a_printed_head_says_whether_the_file_changed_since() {
    let dir = tempfile::tempdir().expect("dir");
    let path = demo(dir.path());
    let printed = Store::open(&path)
        .expect("open")
        .audit_head()
        .expect("head");
    let printed = &printed[..16];
    let out = scoredesk(&["check", s(&path), "--against", printed]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stdout(&out).contains("未改动"));

    let mut store = Store::open(&path).expect("open");
    commands::execute(
        &mut store,
        &Session::organiser(),
        Command::AddPenalty {
            penalty: Penalty {
                event: "E02".into(),
                contestant: "JS20250002".into(),
                points: Fixed::from_int(1),
                reason: "超时".into(),
            },
            again: false,
        },
    )
    .expect("penalty");
    assert!(matches!(
        store.against(printed).expect("against"),
        Against::Since { ref later, .. } if later.len() == 1
    ));
    drop(store);
    let out = scoredesk(&["check", s(&path), "--against", printed]);
    assert!(!out.status.success());
    assert!(stdout(&out).contains("penalty"), "{}", stdout(&out));
    let out = scoredesk(&["check", s(&path), "--against", "0123456789abcdef"]);
    assert!(!out.status.success());
    assert!(stderr(&out).contains("没有这个链头"), "{}", stderr(&out));

    // A score changed with plain SQL after printing: the head is still the newest entry, but
    // the tables no longer match it.
    let head = Store::open(&path)
        .expect("open")
        .audit_head()
        .expect("head");
    edit(
        &path,
        "UPDATE sheet SET total_e4 = total_e4 + 10000 WHERE id = 5;",
    );
    let out = scoredesk(&["check", s(&path), "--against", &head[..16]]);
    assert!(!out.status.success());
    assert!(stderr(&out).contains("不一致"), "{}", stderr(&out));
}

#[test]
fn a_dangling_reference_fails_the_foreign_key_check() {
    let dir = tempfile::tempdir().expect("dir");
    let path = demo(dir.path());
    edit(
        &path,
        "PRAGMA foreign_keys = OFF; INSERT INTO sheet_score (sheet_id, position, value_e4) VALUES (999999, 0, 10000);",
    );
    let r = report(&path);
    assert!(!r.foreign_keys.is_empty(), "{r:?}");
    assert!(!r.ok());
}

#[test]
fn exports_warn_on_a_changed_file() {
    let dir = tempfile::tempdir().expect("dir");
    let path = demo(dir.path());
    edit(
        &path,
        "UPDATE sheet SET total_e4 = total_e4 + 10000 WHERE id = 5;",
    );
    let out_dir = dir.path().join("csv");
    let out = scoredesk(&["export", "csv", s(&path), "--out", s(&out_dir)]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stderr(&out).contains("警告"), "{}", stderr(&out));
}

#[test]
fn an_import_records_its_rows_with_their_values() {
    let dir = tempfile::tempdir().expect("dir");
    let path = demo(dir.path());
    let store = Store::open_with(&path, scoredesk::store::Access::ReadOnly).expect("open");
    let entries = store.audit_entries().expect("entries");
    let import = entries
        .iter()
        .find(|e| e.detail.ends_with(" sheets"))
        .expect("the demo's sheet import");
    let n: usize = import
        .detail
        .trim_end_matches(" sheets")
        .parse()
        .expect("count");
    let changes = store.audit_changes(import.seq).expect("changes");
    let sheets: Vec<_> = changes.iter().filter(|c| c.part == "sheet").collect();
    assert_eq!(sheets.len(), n, "one recorded row per imported sheet");
    assert!(sheets.iter().all(|c| c.old.is_none()));
    // Each row carries the scores: event, contestant, judge, status, total and criteria.
    let row = sheets[0].new.as_deref().expect("new row");
    assert!(row.contains("submitted") && row.contains(':'), "{row}");
    let out = scoredesk(&["audit", s(&path), "--changes"]);
    assert!(out.status.success());
    assert!(stdout(&out).contains("sheet ["), "{}", &stdout(&out)[..500]);
}
