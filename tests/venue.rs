//! The venue network on 127.0.0.1 only: simulated judges (threads) post their packets to
//! `scoredesk serve` concurrently, each twice, while the server is killed and restarted; the
//! master ends equal to a direct import, every client holds a receipt for its packet. Abuse
//! (malformed, oversized, forged, unknown judge, a client that never finishes its body) is
//! refused and the server keeps answering. Every loop is bounded.

mod common;

use std::io::{BufRead, BufReader, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command as Process, Stdio};
use std::time::{Duration, Instant};

use common::{s, scoredesk, stderr, stdout};
use scoredesk::commands::packets::build_packet;
use scoredesk::net::client::{SendError, send};
use scoredesk::store::{Access, Store};

fn ok(args: &[&str]) -> String {
    let out = scoredesk(args);
    assert!(out.status.success(), "{args:?}: {}", stderr(&out));
    stdout(&out)
}

/// `scoredesk serve FILE` on 127.0.0.1 (port 0: any free port, else the one given); returns the
/// child and its port once it listens.
fn serve(file: &Path, port: u16) -> (Child, u16) {
    let mut child = Process::new(env!("CARGO_BIN_EXE_scoredesk"))
        .args([
            "serve",
            s(file),
            "--bind",
            "127.0.0.1",
            "--port",
            &port.to_string(),
            "--for",
            "300",
        ])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("serve starts");
    let mut line = String::new();
    let stdout = child.stdout.take().expect("stdout");
    BufReader::new(stdout)
        .read_line(&mut line)
        .expect("first line");
    let port = line
        .trim()
        .rsplit(':')
        .next()
        .and_then(|p| p.parse().ok())
        .unwrap_or_else(|| panic!("no port in {line:?}"));
    (child, port)
}

/// Every sheet the results count, and the audit-free content of the file.
fn results(path: &Path) -> String {
    ok(&["results", s(path), "--event", "E05", "--format", "json"])
}

/// Kits for E05's panel, each judge's rows submitted into their kit; the rows also imported into
/// `twin`. Returns (kit, judge) pairs.
fn stations(
    dir: &Path,
    master: &Path,
    twin: &Path,
    pins: &std::collections::BTreeMap<String, String>,
) -> Vec<(PathBuf, String)> {
    let kits = dir.join("kits");
    std::fs::create_dir_all(&kits).expect("mkdir");
    ok(&["kit", s(master), "--event", "E05", "--out", s(&kits)]);
    assert!(scoredesk(&["backup", s(master), s(twin)]).status.success());
    let mut out = Vec::new();
    let mut all =
        String::from("项目,选手编号,评委编号,教学目标,教学内容,教学过程,方法与策略,教师素养\n");
    for entry in std::fs::read_dir(&kits).expect("list") {
        let kit = entry.expect("entry").path();
        let store = Store::open_with(&kit, Access::ReadOnly).expect("kit");
        let judge = store.judges().expect("judges")[0].id.clone();
        let mut rows =
            String::from("项目,选手编号,评委编号,教学目标,教学内容,教学过程,方法与策略,教师素养\n");
        for (i, e) in store.entries().expect("entries").iter().take(8).enumerate() {
            let line = format!(
                "E05,{},{judge},{},{},{},{},{}\n",
                e.contestant,
                5 + i % 5,
                10,
                20,
                25,
                15
            );
            rows.push_str(&line);
            all.push_str(&line);
        }
        drop(store);
        let csv = dir.join(format!("{judge}.csv"));
        std::fs::write(&csv, rows).expect("write");
        ok(&["submit", s(&kit), "--pin", &pins[&judge], s(&csv)]);
        out.push((kit, judge));
    }
    let csv = dir.join("all.csv");
    std::fs::write(&csv, all).expect("write");
    ok(&["import", "scores", s(twin), s(&csv)]);
    out
}

/// Posts until a receipt for these bytes comes back (bounded: 30 s).
fn deliver(port: u16, bytes: &[u8], hash: &str) -> String {
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        match send(&format!("127.0.0.1:{port}"), bytes, hash) {
            Ok(r) => return r.hash,
            Err(SendError::Refused(e)) => panic!("refused: {e}"),
            Err(e) => {
                assert!(Instant::now() < deadline, "not delivered in time: {e}");
                std::thread::sleep(Duration::from_millis(50));
            }
        }
    }
}

#[test]
fn stations_post_concurrently_through_a_restart_and_the_master_equals_an_import() {
    let dir = tempfile::tempdir().expect("dir");
    let (master, pins) = common::master_from_samples(dir.path(), "master.sqlite");
    let twin = dir.path().join("twin.sqlite");
    let stations = stations(dir.path(), &master, &twin, &pins);
    assert_eq!(stations.len(), 7);
    let (mut server, port) = serve(&master, 0);

    let handles: Vec<_> = stations
        .into_iter()
        .map(|(kit, judge)| {
            std::thread::spawn(move || {
                let mut store = Store::open(&kit).expect("kit");
                let packet = build_packet(&mut store).expect("packet");
                // Each packet twice, as a client that lost the first answer would.
                let first = deliver(port, &packet.bytes, &packet.hash);
                std::thread::sleep(Duration::from_millis(150));
                let second = deliver(port, &packet.bytes, &packet.hash);
                assert_eq!(first, packet.hash);
                assert_eq!(second, packet.hash, "the same receipt for the same packet");
                judge
            })
        })
        .collect();
    // Kill the server mid-run and start it again on the same port; clients retry.
    std::thread::sleep(Duration::from_millis(100));
    server.kill().expect("kill");
    let _ = server.wait();
    std::thread::sleep(Duration::from_millis(300));
    let (mut server, again) = serve(&master, port);
    assert_eq!(again, port);
    for h in handles {
        h.join().expect("a judge thread");
    }
    server.kill().expect("kill");
    let _ = server.wait();
    assert_eq!(results(&master), results(&twin), "nothing lost or doubled");
    let store = Store::open_with(&master, Access::ReadOnly).expect("open");
    assert_eq!(store.integrity_check().expect("check"), "ok");
    assert_eq!(store.audit_verify().expect("verify"), None);
}

fn post_raw(port: u16, body: &[u8]) -> u16 {
    match ureq::post(&format!("http://127.0.0.1:{port}/packets")).send_bytes(body) {
        Ok(r) => r.status(),
        Err(ureq::Error::Status(code, _)) => code,
        Err(e) => panic!("transport: {e}"),
    }
}

fn get_root(port: u16) -> u16 {
    ureq::get(&format!("http://127.0.0.1:{port}/"))
        .timeout(Duration::from_secs(5))
        .call()
        .map(|r| r.status())
        .unwrap_or_else(|e| panic!("GET /: {e}"))
}

#[test]
fn abuse_is_refused_and_the_server_keeps_answering() {
    let dir = tempfile::tempdir().expect("dir");
    let (master, pins) = common::master_from_samples(dir.path(), "master.sqlite");
    let twin = dir.path().join("twin.sqlite");
    let stations = stations(dir.path(), &master, &twin, &pins);
    let (kit, _) = stations[0].clone();
    let packet = build_packet(&mut Store::open(&kit).expect("kit")).expect("packet");
    let before = results(&master);
    let (mut server, port) = serve(&master, 0);
    assert_eq!(get_root(port), 200);

    // A client that never finishes its body holds only its own request.
    let mut slow = TcpStream::connect(("127.0.0.1", port)).expect("connect");
    slow.write_all(
        b"POST /packets HTTP/1.1\r\nHost: venue.test\r\nContent-Length: 100000\r\n\r\n{\"packet\"",
    )
    .expect("partial");

    assert_eq!(post_raw(port, b"{not json"), 422);
    assert_eq!(post_raw(port, &vec![b'x'; 10 * 1024 * 1024]), 413);
    let text = String::from_utf8(packet.bytes.clone()).expect("utf8");
    assert_eq!(
        post_raw(port, text.replacen("\"10\"", "\"9\"", 1).as_bytes()),
        422,
        "altered"
    );
    // An unknown judge: the same body claiming PW999 (the signature cannot match either).
    assert_eq!(
        post_raw(
            port,
            text.replacen("\"judge\":\"PW0", "\"judge\":\"PW9", 1)
                .as_bytes()
        ),
        422
    );
    assert_eq!(
        get_root(port),
        200,
        "still answering with the slow client connected"
    );
    assert_eq!(results(&master), before, "nothing changed");

    // And a good packet still goes in.
    let receipt =
        send(&format!("127.0.0.1:{port}"), &packet.bytes, &packet.hash).expect("good packet");
    assert_eq!(receipt.hash, packet.hash);
    assert_eq!(receipt.added, 8);
    drop(slow);
    server.kill().expect("kill");
    let _ = server.wait();
    assert_ne!(results(&master), before);
}

#[test]
fn the_judge_page_references_no_outside_address() {
    let page = scoredesk::net::server::PAGE;
    for needle in [
        "http://", "https://", "//cdn", "src=", "@import", "url(", "<link",
    ] {
        assert!(!page.contains(needle), "the page refers to {needle}");
    }
    assert!(page.contains("lang=\"zh-CN\""));
    assert!(
        page.contains("localStorage"),
        "unsent sheets are kept in the browser"
    );
}

#[test]
fn the_judge_page_is_served_and_cached_for_the_day() {
    let dir = tempfile::tempdir().expect("dir");
    let path = dir.path().join("m.sqlite");
    drop(scoredesk::commands::new_competition(&path, "second", None, "123456").expect("new"));
    let (mut server, port) = serve(&path, 0);
    let r = ureq::get(&format!("http://127.0.0.1:{port}/"))
        .call()
        .expect("GET /");
    assert_eq!(r.status(), 200);
    assert!(
        r.header("Cache-Control")
            .is_some_and(|c| c.contains("max-age"))
    );
    assert!(r.into_string().expect("body").contains("评委登录"));
    // A wrong token is refused with a clear message.
    let resp = ureq::post(&format!("http://127.0.0.1:{port}/api/login"))
        .send_string(r#"{"token":"nope","pin":"123456"}"#);
    match resp {
        Err(ureq::Error::Status(401, r)) => {
            assert!(r.into_string().expect("body").contains("二维码已失效"))
        }
        other => panic!("{other:?}"),
    }
    server.kill().expect("kill");
    let _ = server.wait();
}

#[test]
fn a_phone_sheet_is_signed_by_the_master_and_merged_once() {
    let dir = tempfile::tempdir().expect("dir");
    let (master, pins) = common::master_from_samples(dir.path(), "m.sqlite");
    ok(&["draw", s(&master), "--event", "E05", "--seed", "3"]);
    let line = ok(&["tokens", s(&master), "--judge", "PW029"]);
    let token = line.trim().rsplit("t=").next().expect("token").to_string();
    let (mut server, port) = serve(&master, 0);
    let base = format!("http://127.0.0.1:{port}");
    let login = ureq::post(&format!("{base}/api/login"))
        .send_string(&format!(
            r#"{{"token":"{token}","pin":"{}"}}"#,
            pins["PW029"]
        ))
        .expect("login")
        .into_string()
        .expect("body");
    let session = serde_json::from_str::<serde_json::Value>(&login).expect("json")["session"]
        .as_str()
        .expect("session")
        .to_string();
    let queue: serde_json::Value = serde_json::from_str(
        &ureq::get(&format!("{base}/api/queue"))
            .set("X-Session", &session)
            .call()
            .expect("queue")
            .into_string()
            .expect("body"),
    )
    .expect("json");
    let first = queue["events"][0]["queue"][0]["contestant"]
        .as_str()
        .expect("a contestant")
        .to_string();
    let sheet = format!(
        r#"{{"id":"abc-1","event":"E05","contestant":"{first}","criteria":["8","12","20","25","16"],"entered_at":"2026-12-02T10:00:00Z"}}"#
    );
    let post = || {
        ureq::post(&format!("{base}/api/sheets"))
            .set("X-Session", &session)
            .send_string(&sheet)
            .expect("sheet")
            .into_string()
            .expect("body")
    };
    let a: serde_json::Value = serde_json::from_str(&post()).expect("receipt");
    let b: serde_json::Value = serde_json::from_str(&post()).expect("receipt");
    assert_eq!(a, b, "the same receipt for the same sheet");
    assert_eq!(a["added"], 1);
    // Without a session: refused.
    let anon = ureq::post(&format!("{base}/api/sheets")).send_string(&sheet);
    assert!(matches!(anon, Err(ureq::Error::Status(401, _))));
    server.kill().expect("kill");
    let _ = server.wait();
    let store = Store::open_with(&master, Access::ReadOnly).expect("open");
    let merged = store
        .sheet("E05", &first, "PW029")
        .expect("read")
        .expect("merged");
    assert_eq!(merged.total.to_string(), "81");
    assert!(merged.entered_by.starts_with("packet:phone:"));
}
