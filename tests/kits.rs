//! Judge kits and signed score packets, through the binary: kit → submit → packet → merge
//! equals `import scores` of the same rows; repeats and any order change nothing; every
//! tamper is refused whole with the master unchanged; a blind event's kit holds no name.

mod common;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use common::{s, scoredesk, stderr, stdout};
use rusqlite::Connection;
use scoredesk::commands::{self, Command, Outcome, Session};
use scoredesk::store::{Access, Store};

fn master(dir: &Path, name: &str) -> (PathBuf, BTreeMap<String, String>) {
    common::master_from_samples(dir, name)
}

fn ok(args: &[&str]) -> String {
    let out = scoredesk(args);
    assert!(out.status.success(), "{args:?}: {}", stderr(&out));
    stdout(&out)
}

/// The only file in `dir` with this extension.
fn only_file(dir: &Path, ext: &str) -> PathBuf {
    let found: Vec<PathBuf> = std::fs::read_dir(dir)
        .expect("list")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == ext))
        .collect();
    assert_eq!(found.len(), 1, "{found:?}");
    found[0].clone()
}

/// E05 score rows (five criteria) for `judge` and the kit's contestants, one per line.
fn e05_rows(kit: &Path, judge: &str, take: usize) -> String {
    let store = Store::open_with(kit, Access::ReadOnly).expect("kit");
    let mut entries: Vec<_> = store
        .entries()
        .expect("entries")
        .into_iter()
        .filter(|e| e.event == "E05")
        .collect();
    entries.sort_by_key(|e| e.draw_order);
    let mut csv =
        String::from("项目,选手编号,评委编号,教学目标,教学内容,教学过程,方法与策略,教师素养\n");
    for (i, e) in entries.iter().take(take).enumerate() {
        let x = (i % 5) as u32;
        csv.push_str(&format!(
            "E05,{},{judge},{},{}.5,{},{},{}\n",
            e.contestant,
            6 + x,
            10 + x,
            18 + x,
            22 + x,
            15 + (i % 3) as u32
        ));
    }
    csv
}

/// Everything the results depend on, and the audit head: equal before and after means the
/// master did not change.
fn fingerprint(path: &Path) -> String {
    let conn = Connection::open(path).expect("open");
    let mut text = String::new();
    for table in [
        "sheet",
        "sheet_score",
        "penalty",
        "absence",
        "panel",
        "entry",
        "contestant",
        "judge",
        "meta",
        "packet",
        "conflict",
        "audit",
    ] {
        let mut stmt = conn
            .prepare(&format!("SELECT * FROM {table} ORDER BY 1, 2"))
            .expect("prepare");
        let n = stmt.column_count();
        let rows = stmt
            .query_map([], |r| {
                let mut row = Vec::new();
                for i in 0..n {
                    let v: rusqlite::types::Value = r.get(i)?;
                    row.push(format!("{v:?}"));
                }
                Ok(row.join("|"))
            })
            .expect("rows");
        for r in rows {
            text.push_str(&r.expect("row"));
            text.push('\n');
        }
    }
    scoredesk::sync::sha256_hex(text.as_bytes())
}

fn results(path: &Path, event: &str) -> serde_json::Value {
    serde_json::from_str(&ok(&[
        "results",
        s(path),
        "--event",
        event,
        "--format",
        "json",
    ]))
    .expect("json")
}

#[test]
fn kit_submit_packet_merge_equals_import_and_repeats_change_nothing() {
    let dir = tempfile::tempdir().expect("dir");
    let (path, pins) = master(dir.path(), "master.sqlite");
    let kits = dir.path().join("kits");
    let usb = dir.path().join("usb");
    std::fs::create_dir_all(&kits).expect("mkdir");
    std::fs::create_dir_all(&usb).expect("mkdir");

    // One kit, named for handing out, in draw order (the event is drawn by the export).
    ok(&["kit", s(&path), "--judge", "PW029", "--out", s(&kits)]);
    let kit = only_file(&kits, "sdkit");
    let name = kit
        .file_name()
        .expect("name")
        .to_string_lossy()
        .into_owned();
    assert_eq!(name, "E05-课堂教学-PW029-蒋黛燕.sdkit");
    let master_store = Store::open_with(&path, Access::ReadOnly).expect("master");
    assert!(
        master_store.draw_seed("E05").expect("seed").is_some(),
        "drawn on export"
    );
    drop(master_store);

    // The kit holds one judge (PIN hash, key) and only the contestants PW029 may score.
    let k = Store::open_with(&kit, Access::ReadOnly).expect("kit opens as a ScoreDesk file");
    assert_eq!(k.judges().expect("judges").len(), 1);
    assert!(
        k.entries()
            .expect("entries")
            .iter()
            .all(|e| e.event == "E05" && e.anon_code.is_some())
    );
    assert!(k.meta(commands::ORGANISER_PIN).expect("meta").is_none());
    drop(k);

    // A twin of the master gets the same rows by `import scores`.
    let twin = dir.path().join("twin.sqlite");
    ok(&["backup", s(&path), s(&twin)]);
    let rows = e05_rows(&kit, "PW029", 12);
    let csv = dir.path().join("pw029.csv");
    std::fs::write(&csv, &rows).expect("write");
    ok(&["import", "scores", s(&twin), s(&csv)]);

    // The station: submit with the PIN (a wrong PIN is refused), write the packet, merge it.
    let wrong = scoredesk(&["submit", s(&kit), "--pin", "000000", s(&csv)]);
    assert!(!wrong.status.success());
    let pin = &pins["PW029"];
    assert!(ok(&["submit", s(&kit), "--pin", pin, s(&csv)]).contains("12"));
    // Submitted sheets are locked: the same rows again are refused.
    assert!(
        !scoredesk(&["submit", s(&kit), "--pin", pin, s(&csv)])
            .status
            .success()
    );
    ok(&["packet", s(&kit), "--out", s(&usb)]);
    let packet = only_file(&usb, "sdpkt");
    let merged = ok(&["merge", s(&path), s(&usb)]);
    assert!(merged.contains("新增 12"), "{merged}");
    assert_eq!(
        results(&path, "E05"),
        results(&twin, "E05"),
        "merge = import"
    );

    // The same packet again, and the folder again: nothing changes (not even the audit log).
    let before = fingerprint(&path);
    let again = ok(&["merge", s(&path), s(&packet), s(&usb)]);
    assert!(again.contains("已导入过"), "{again}");
    assert_eq!(fingerprint(&path), before);

    // An older packet after a newer one changes nothing either: packet 2 (never merged) after
    // packet 3.
    let header = "项目,选手编号,评委编号,教学目标,教学内容,教学过程,方法与策略,教师素养\n";
    let more = e05_rows(&kit, "PW029", 14);
    let extra: Vec<&str> = more.lines().skip(13).collect();
    let csv2 = dir.path().join("more.csv");
    std::fs::write(&csv2, format!("{header}{}\n", extra[0])).expect("write");
    ok(&["submit", s(&kit), "--pin", pin, s(&csv2)]);
    let held = dir.path().join("held");
    std::fs::create_dir_all(&held).expect("mkdir");
    ok(&["packet", s(&kit), "--out", s(&held)]);
    std::fs::write(&csv2, format!("{header}{}\n", extra[1])).expect("write");
    ok(&["submit", s(&kit), "--pin", pin, s(&csv2)]);
    std::fs::remove_file(&packet).expect("rm");
    ok(&["packet", s(&kit), "--out", s(&usb)]);
    let merged = ok(&["merge", s(&path), s(&usb)]);
    assert!(
        merged.contains("新增 2"),
        "only the new sheets are added: {merged}"
    );
    let before = fingerprint(&path);
    let replay = ok(&["merge", s(&path), s(&held)]);
    assert!(replay.contains("已有更新的成绩包"), "{replay}");
    assert_eq!(fingerprint(&path), before);

    // The master shows per judge what arrived.
    let listing = ok(&["packets", s(&path)]);
    assert!(
        listing.contains("PW029") && listing.contains("seq 3"),
        "{listing}"
    );
}

#[test]
fn tampered_foreign_and_replayed_packets_are_refused_whole() {
    let dir = tempfile::tempdir().expect("dir");
    let (path, pins) = master(dir.path(), "master.sqlite");
    let kits = dir.path().join("kits");
    let usb = dir.path().join("usb");
    std::fs::create_dir_all(&kits).expect("mkdir");
    std::fs::create_dir_all(&usb).expect("mkdir");
    ok(&["kit", s(&path), "--event", "E05", "--out", s(&kits)]);
    let kit29 = kits.join("E05-课堂教学-PW029-蒋黛燕.sdkit");
    let kit30 = kits.join("E05-课堂教学-PW030-魏婉寒.sdkit");
    assert!(kit29.exists() && kit30.exists());
    let csv = dir.path().join("pw029.csv");
    std::fs::write(&csv, e05_rows(&kit29, "PW029", 5)).expect("write");
    ok(&["submit", s(&kit29), "--pin", &pins["PW029"], s(&csv)]);
    ok(&["packet", s(&kit29), "--out", s(&usb)]);
    let good = std::fs::read(only_file(&usb, "sdpkt")).expect("read");
    let text = String::from_utf8(good.clone()).expect("utf8");

    let before = fingerprint(&path);
    let refused = |bytes: &[u8], what: &str, needle: &str| {
        let f = dir.path().join(format!("{what}.sdpkt"));
        std::fs::write(&f, bytes).expect("write");
        let out = scoredesk(&["merge", s(&path), s(&f)]);
        assert!(!out.status.success(), "{what} was accepted");
        assert!(stderr(&out).contains(needle), "{what}: {}", stderr(&out));
        assert_eq!(fingerprint(&path), before, "{what} changed the master");
    };
    // A score changed (the first criterion "6" → "9").
    let score = text.replacen("\"criteria\":[\"6\"", "\"criteria\":[\"9\"", 1);
    assert_ne!(score, text);
    refused(score.as_bytes(), "score", "签名不符");
    // The header: another judge named.
    refused(
        text.replacen("PW029", "PW030", 1).as_bytes(),
        "header",
        "签名不符",
    );
    // The signature itself.
    let sig_at = text.find("hmac_sha256\":\"").expect("sig") + 14;
    let mut sig = good.clone();
    sig[sig_at] = if sig[sig_at] == b'0' { b'1' } else { b'0' };
    refused(&sig, "signature", "签名不符");
    // Signed with another judge's key (PW030's kit key over PW029's sheets).
    let key30 = Store::open_with(&kit30, Access::ReadOnly)
        .expect("kit30")
        .meta(commands::kits::PACKET_KEY)
        .expect("meta")
        .expect("key");
    let parsed = scoredesk::sync::packet::parse(&good).expect("parse");
    let forged = scoredesk::sync::packet::encode(
        parsed.body.clone(),
        &scoredesk::sync::unhex(&key30).expect("hex"),
    )
    .expect("encode");
    refused(&forged, "swapped-key", "签名不符");
    // Not a packet at all, and an empty file.
    refused(b"{\"packet\": 1}", "malformed", "不是有效的");
    refused(b"", "empty", "不是有效的");

    // Another competition's kit: same judge id, same rows, another master.
    let other = dir.path().join("other");
    std::fs::create_dir_all(&other).expect("mkdir");
    let (path2, pins2) = master(&other, "other.sqlite");
    let kits2 = other.join("kits");
    let usb2 = other.join("usb");
    std::fs::create_dir_all(&kits2).expect("mkdir");
    std::fs::create_dir_all(&usb2).expect("mkdir");
    ok(&["kit", s(&path2), "--judge", "PW029", "--out", s(&kits2)]);
    let kit_other = only_file(&kits2, "sdkit");
    let csv2 = other.join("rows.csv");
    std::fs::write(&csv2, e05_rows(&kit_other, "PW029", 3)).expect("write");
    ok(&["submit", s(&kit_other), "--pin", &pins2["PW029"], s(&csv2)]);
    ok(&["packet", s(&kit_other), "--out", s(&usb2)]);
    let foreign = std::fs::read(only_file(&usb2, "sdpkt")).expect("read");
    refused(&foreign, "other-competition", "另一场比赛");

    // The good packet still merges afterwards (the refusals left nothing half-done), and a
    // folder with a good and a bad packet merges the good one and exits non-zero.
    std::fs::write(usb.join("zz-bad.sdpkt"), score.as_bytes()).expect("write");
    let out = scoredesk(&["merge", s(&path), s(&usb)]);
    assert!(!out.status.success());
    assert!(stdout(&out).contains("新增 5"), "{}", stdout(&out));
    assert!(stderr(&out).contains("zz-bad.sdpkt"), "{}", stderr(&out));
}

#[test]
fn a_differing_sheet_is_a_conflict_resolved_with_a_reason() {
    let dir = tempfile::tempdir().expect("dir");
    let (path, pins) = master(dir.path(), "master.sqlite");
    let kits = dir.path().join("kits");
    let usb = dir.path().join("usb");
    std::fs::create_dir_all(&kits).expect("mkdir");
    std::fs::create_dir_all(&usb).expect("mkdir");
    ok(&["kit", s(&path), "--judge", "PW029", "--out", s(&kits)]);
    let kit = only_file(&kits, "sdkit");
    let rows = e05_rows(&kit, "PW029", 3);
    let csv = dir.path().join("rows.csv");
    std::fs::write(&csv, &rows).expect("write");
    ok(&["submit", s(&kit), "--pin", &pins["PW029"], s(&csv)]);
    ok(&["packet", s(&kit), "--out", s(&usb)]);
    // Meanwhile the organiser typed the paper copy: the first row equal, the second different.
    let lines: Vec<&str> = rows.lines().collect();
    let mut fields: Vec<String> = lines[2].split(',').map(str::to_string).collect();
    let packet_value = fields[4].clone();
    fields[4] = "12.5".into();
    let differing = fields.join(",");
    assert_ne!(differing, lines[2]);
    let paper = dir.path().join("paper.csv");
    std::fs::write(
        &paper,
        format!("{}\n{}\n{}\n", lines[0], lines[1], differing),
    )
    .expect("write");
    ok(&["import", "scores", s(&path), s(&paper)]);

    let merged = ok(&["merge", s(&path), s(&usb)]);
    assert!(
        merged.contains("新增 1") && merged.contains("确认 1") && merged.contains("冲突 1"),
        "{merged}"
    );
    let conflicts = ok(&["conflicts", s(&path)]);
    assert!(conflicts.contains("open"), "{conflicts}");
    let id: i64 = conflicts
        .split('\t')
        .next()
        .and_then(|t| t.trim().parse().ok())
        .expect("conflict id");
    let contestant = lines[2].split(',').nth(1).expect("contestant").to_string();
    let store = Store::open_with(&path, Access::ReadOnly).expect("open");
    let kept = store
        .sheet("E05", &contestant, "PW029")
        .expect("read")
        .expect("sheet");
    assert_eq!(
        kept.criteria[1].map(|v| v.to_string()).as_deref(),
        Some("12.5"),
        "never overwritten silently"
    );
    drop(store);
    // A reason is required; then the packet's value is taken, and the audit log says so.
    assert!(
        !scoredesk(&[
            "conflicts",
            s(&path),
            "--resolve",
            &id.to_string(),
            "--take",
            "--reason",
            " "
        ])
        .status
        .success()
    );
    ok(&[
        "conflicts",
        s(&path),
        "--resolve",
        &id.to_string(),
        "--take",
        "--reason",
        "评委确认纸质誊写错误",
    ]);
    let store = Store::open_with(&path, Access::ReadOnly).expect("open");
    let taken = store
        .sheet("E05", &contestant, "PW029")
        .expect("read")
        .expect("sheet");
    assert_eq!(taken.criteria[1].map(|v| v.to_string()), Some(packet_value));
    assert!(store.conflicts(true).expect("conflicts").is_empty());
    assert!(
        store
            .audit_entries()
            .expect("audit")
            .iter()
            .any(|e| e.action == "resolve-conflict" && e.detail.contains("评委确认纸质誊写错误"))
    );
}

#[test]
fn a_blind_events_kit_holds_no_name_and_no_school() {
    let dir = tempfile::tempdir().expect("dir");
    let (path, _) = master(dir.path(), "master.sqlite");
    {
        let mut store = Store::open(&path).expect("open");
        let mut e05 = store.find_event("E05").expect("E05");
        e05.blind = true;
        commands::execute(
            &mut store,
            &Session::organiser(),
            Command::UpdateEvent {
                event: e05,
                force: false,
            },
        )
        .expect("blind");
    }
    let kits = dir.path().join("kits");
    std::fs::create_dir_all(&kits).expect("mkdir");
    ok(&["kit", s(&path), "--judge", "PW029", "--out", s(&kits)]);
    let kit = only_file(&kits, "sdkit");
    // One file to hand out: nothing beside it (no -wal, no -shm, no lock left by the export).
    assert_eq!(std::fs::read_dir(&kits).expect("list").count(), 1);
    let bytes = std::fs::read(&kit).expect("read");
    let store = Store::open_with(&path, Access::ReadOnly).expect("open");
    let in_kit: Vec<String> = Store::open_with(&kit, Access::ReadOnly)
        .expect("kit")
        .contestants()
        .expect("contestants")
        .into_iter()
        .map(|c| c.id)
        .collect();
    assert!(in_kit.len() > 10);
    let contains = |needle: &str| bytes.windows(needle.len()).any(|w| w == needle.as_bytes());
    for c in store.contestants().expect("contestants") {
        assert!(!contains(&c.name), "name {} in the blind kit", c.name);
        if c.school.chars().count() > 2 {
            assert!(!contains(&c.school), "school {} in the blind kit", c.school);
        }
    }
    // Other judges' hashes and keys are not in it.
    let k = Store::open_with(&kit, Access::ReadOnly).expect("kit");
    assert_eq!(k.judges().expect("judges").len(), 1);
    let _ = Outcome::Done;
}

mod any_order {
    use super::*;
    use proptest::prelude::*;
    use std::sync::OnceLock;

    /// A master (closed, as a file to copy) and six packets: for three judges, a first packet
    /// with some sheets and a second with more (cumulative); one paper sheet on the master
    /// differs from a packet (a conflict).
    struct World {
        _dir: tempfile::TempDir,
        master: PathBuf,
        packets: Vec<Vec<u8>>,
    }

    fn world() -> &'static World {
        static WORLD: OnceLock<World> = OnceLock::new();
        WORLD.get_or_init(|| {
            let dir = tempfile::tempdir().expect("dir");
            let (path, pins) = master(dir.path(), "master.sqlite");
            let kits = dir.path().join("kits");
            std::fs::create_dir_all(&kits).expect("mkdir");
            ok(&["kit", s(&path), "--event", "E05", "--out", s(&kits)]);
            let mut packets = Vec::new();
            let mut paper = None;
            for judge in ["PW029", "PW030", "PW031"] {
                let kit = std::fs::read_dir(&kits)
                    .expect("list")
                    .filter_map(|e| e.ok().map(|e| e.path()))
                    .find(|p| p.to_string_lossy().contains(judge))
                    .expect("kit");
                let rows = e05_rows(&kit, judge, 6);
                let lines: Vec<&str> = rows.lines().collect();
                for (n, part) in [(1, &lines[1..4]), (2, &lines[4..7])] {
                    let csv = dir.path().join(format!("{judge}-{n}.csv"));
                    std::fs::write(&csv, format!("{}\n{}\n", lines[0], part.join("\n")))
                        .expect("write");
                    ok(&["submit", s(&kit), "--pin", &pins[judge], s(&csv)]);
                    let out = dir.path().join(format!("{judge}-{n}"));
                    std::fs::create_dir_all(&out).expect("mkdir");
                    ok(&["packet", s(&kit), "--out", s(&out)]);
                    packets.push(std::fs::read(only_file(&out, "sdpkt")).expect("read"));
                }
                if judge == "PW030" {
                    let mut fields: Vec<String> = lines[2].split(',').map(str::to_string).collect();
                    fields[3] = "1".into();
                    paper = Some(format!("{}\n{}\n", lines[0], fields.join(",")));
                }
            }
            let csv = dir.path().join("paper.csv");
            std::fs::write(&csv, paper.expect("paper")).expect("write");
            ok(&["import", "scores", s(&path), s(&csv)]);
            World {
                _dir: dir,
                master: path,
                packets,
            }
        })
    }

    /// The scoring state after merging `order` (indexes into the packets) into a copy.
    fn merged(order: &[usize]) -> (Vec<String>, Vec<String>) {
        let w = world();
        let dir = tempfile::tempdir().expect("dir");
        let copy = dir.path().join("copy.sqlite");
        std::fs::copy(&w.master, &copy).expect("copy");
        let mut store = Store::open(&copy).expect("open");
        for &i in order {
            let outcome = commands::execute(
                &mut store,
                &Session::organiser(),
                Command::MergePacket(w.packets[i].clone()),
            )
            .expect("merges");
            assert!(matches!(outcome, Outcome::Merged(_)));
        }
        let mut sheets: Vec<String> = store
            .sheets(true)
            .expect("sheets")
            .into_iter()
            .map(|s| {
                format!(
                    "{}/{}/{} {} {:?} {} {:?}",
                    s.event, s.contestant, s.judge, s.total, s.status, s.entered_by, s.criteria
                )
            })
            .collect();
        sheets.sort();
        let mut conflicts: Vec<String> = store
            .conflicts(false)
            .expect("conflicts")
            .into_iter()
            .map(|c| {
                format!(
                    "{}/{}/{} {} {}",
                    c.event, c.contestant, c.judge, c.total, c.status
                )
            })
            .collect();
        conflicts.sort();
        (sheets, conflicts)
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(24))]

        #[test]
        fn any_order_and_any_repetition_give_the_same_master(
            order in Just((0..6).collect::<Vec<usize>>()).prop_shuffle(),
            repeats in prop::collection::vec(0_usize..6, 0..6),
        ) {
            static REFERENCE: OnceLock<(Vec<String>, Vec<String>)> = OnceLock::new();
            let reference = REFERENCE.get_or_init(|| merged(&[0, 1, 2, 3, 4, 5]));
            prop_assert_eq!(reference.0.len(), 18 + 1 - 1, "18 sheets (one of them the paper one)");
            prop_assert_eq!(reference.1.len(), 1, "one conflict");
            let mut all = order.clone();
            all.extend(repeats);
            let got = merged(&all);
            prop_assert_eq!(&got, reference);
        }
    }
}
