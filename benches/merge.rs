//! The venue's packets merged into the master (issue 10): 85 judges' cumulative packets for
//! 2,000 contestants × 13 events × 7-judge panels (≈ 163,000 sheets) into a master that has
//! none yet, then the same packets again (all already merged). Also one submit through the
//! command layer on that venue-size file (issue 15: < 5 ms median).
//! Run: `cargo bench --bench merge` (`-- --contestants N` for another size).

use std::collections::BTreeMap;
use std::time::Instant;

use scoredesk::commands::{self, Command, Session};
use scoredesk::store::Store;
use scoredesk::sync::packet::{self, Body, PacketSheet};
use scoredesk::{demo, sync, template};

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}

fn main() {
    let n: usize = std::env::args()
        .skip_while(|a| a != "--contestants")
        .nth(1)
        .and_then(|v| v.parse().ok())
        .unwrap_or(2000);
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("master.sqlite");
    let setup = template::load("second").expect("template");
    let data = demo::generate(&setup, n, 11);
    let hash = scoredesk::pin::hash("1234").expect("hash");
    let organiser = Session::organiser();
    {
        let mut store = commands::new_competition(&path, "second", None, "123456").expect("master");
        store
            .add_contestants(&data.contestants, "organiser")
            .expect("contestants");
        let hashes: Vec<(String, String)> = data
            .judges
            .iter()
            .map(|j| (j.id.clone(), hash.clone()))
            .collect();
        store
            .add_judges(&data.judges, &hashes, "organiser")
            .expect("judges");
        commands::execute(
            &mut store,
            &organiser,
            Command::Draw {
                event: None,
                seed: Some(5),
                redraw: None,
            },
        )
        .expect("draw");
    }
    // Keys as kit exports make them (the kit files themselves are not needed here).
    let mut store = Store::open(&path).expect("open");
    let competition = commands::kits::competition_id(&mut store, "organiser").expect("id");
    let mut by_judge: BTreeMap<String, Vec<PacketSheet>> = BTreeMap::new();
    for s in &data.sheets {
        by_judge
            .entry(s.judge.clone())
            .or_default()
            .push(PacketSheet {
                event: s.event.clone(),
                contestant: s.contestant.clone(),
                status: "submitted".into(),
                revision: 1,
                criteria: s
                    .criteria
                    .iter()
                    .map(|c| c.map(|v| v.to_string()))
                    .collect(),
                total: s.total.to_string(),
                entered_at: s.entered_at.clone(),
            });
    }
    let mut packets = Vec::new();
    for (judge, sheets) in by_judge {
        let key = sync::random_hex(32).expect("key");
        let (key, _) = store
            .issue_kit(&judge, &key, false, "organiser")
            .expect("key");
        let body = Body {
            format: packet::FORMAT.into(),
            competition: competition.clone(),
            kit_version: 1,
            judge,
            device: "bench".into(),
            seq: 1,
            time: "2026-12-02T10:00:00+08:00".into(),
            sheets,
        };
        packets.push(packet::encode(body, &sync::unhex(&key).expect("hex")).expect("encode"));
    }
    let sheets: usize = data.sheets.len();
    let bytes: usize = packets.iter().map(Vec::len).sum();
    println!(
        "{} packets, {sheets} sheets, {:.1} MB in all",
        packets.len(),
        bytes as f64 / 1e6
    );

    let merge_all = |store: &mut Store| -> (f64, Vec<f64>) {
        let mut each = Vec::new();
        let t = Instant::now();
        for p in &packets {
            let t1 = Instant::now();
            commands::execute(store, &organiser, Command::MergePacket(p.clone())).expect("merge");
            each.push(t1.elapsed().as_secs_f64() * 1e3);
        }
        (t.elapsed().as_secs_f64(), each)
    };
    let (total, each) = merge_all(&mut store);
    println!(
        "merge of every packet into an empty master: {total:.2} s ({:.0} ms median per packet, max {:.0})",
        median(each.clone()),
        each.iter().copied().fold(0.0, f64::max)
    );
    let (again, _) = merge_all(&mut store);
    println!("the same packets again (nothing changes): {again:.2} s");

    // One submit through the command layer on the venue-size file.
    let judge = data
        .judges
        .iter()
        .find(|j| j.events.iter().any(|e| e == "E05"))
        .expect("E05 judge");
    let who = Session::for_judge(judge, false);
    let _ = &who;
    let e05 = setup.events.iter().find(|e| e.code == "E05").expect("E05");
    let mut times = Vec::new();
    // Contestants who join late: the judge submits each one's sheet (a real submit: the sheet
    // locked, its audit entry with the changed row and the new state digest, the checkpoint)
    // on the full file.
    let late: Vec<_> = (1..=200)
        .map(|i| {
            let mut c = data.contestants[0].clone();
            c.id = format!("LATE{i:04}");
            c.school = "迟到学校".into();
            c
        })
        .collect();
    store
        .add_contestants(&late, "organiser")
        .expect("late contestants");
    {
        for (i, c) in late.iter().enumerate() {
            let v = scoredesk::model::Fixed::from_int(i as i64 % 10);
            let criteria = e05.criteria.iter().map(|_| Some(v)).collect();
            let t = Instant::now();
            commands::execute(
                &mut store,
                &who,
                Command::SaveSheet {
                    event: "E05".into(),
                    contestant: c.id.clone(),
                    judge: judge.id.clone(),
                    criteria,
                    submit: true,
                },
            )
            .expect("submit");
            times.push(t.elapsed().as_secs_f64() * 1e3);
        }
        println!(
            "one sheet submitted through the command layer (digest included): median {:.2} ms (p90 {:.2}) over {} submits",
            median(times.clone()),
            {
                let mut v = times.clone();
                v.sort_by(f64::total_cmp);
                v[v.len() * 9 / 10]
            },
            times.len()
        );
    }
    // The digest comparisons on the venue-size file.
    let t = Instant::now();
    let tampered = store.fast_digest_check().expect("fast check");
    println!(
        "fast digest comparison (results, exports, window): {:.2} s ({})",
        t.elapsed().as_secs_f64(),
        if tampered.is_none() {
            "matches"
        } else {
            "DIFFERS"
        }
    );
    let t = Instant::now();
    let report = store.check(None).expect("check");
    println!(
        "full check (chain, replay, tables, schema): {:.2} s ({} entries, {})",
        t.elapsed().as_secs_f64(),
        report.entries,
        if report.ok() { "ok" } else { "FAILED" }
    );
}
