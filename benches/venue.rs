//! Submit-to-receipt latency on the venue network (issue 11), on loopback only: 90 judges
//! (threads) each submit every ~0.5 s (jittered) for 12 rounds, each submit posting the judge's
//! cumulative packet (10 more sheets each time) to the master serving a 2,000-contestant file.
//! Target: median < 20 ms, p99 < 100 ms. Run: `cargo bench --bench venue`.

use std::time::{Duration, Instant};

use scoredesk::commands::{self, Command, Session};
use scoredesk::net::{client, server};
use scoredesk::sync::packet::{self, Body, PacketSheet};
use scoredesk::{demo, sync, template};

fn main() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("master.sqlite");
    let setup = template::load("second").expect("template");
    let data = demo::generate(&setup, 2000, 11);
    let hash = scoredesk::pin::hash("1234").expect("hash");
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
        &Session::organiser(),
        Command::Draw {
            event: None,
            seed: Some(5),
            redraw: None,
        },
    )
    .expect("draw");
    let competition = commands::kits::competition_id(&mut store, "organiser").expect("id");
    // Each judge's sheets, and a key as a kit export makes it.
    let mut judges: Vec<(String, Vec<u8>, Vec<PacketSheet>)> = Vec::new();
    for j in &data.judges {
        let sheets: Vec<PacketSheet> = data
            .sheets
            .iter()
            .filter(|s| s.judge == j.id)
            .map(|s| PacketSheet {
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
            })
            .collect();
        if sheets.is_empty() {
            continue;
        }
        let key = sync::random_hex(32).expect("key");
        let (key, _) = store
            .issue_kit(&j.id, &key, false, "organiser")
            .expect("key");
        judges.push((j.id.clone(), sync::unhex(&key).expect("hex"), sheets));
    }
    // Up to 90 judges (the demo has 85 on panels; the first five post from a second station).
    let mut stations = Vec::new();
    for i in 0..90 {
        let (id, key, sheets) = judges[i % judges.len()].clone();
        stations.push((id, key, sheets, format!("station-{i}")));
    }
    let server = server::start(store, "127.0.0.1", 0).expect("serve");
    let master = format!("127.0.0.1:{}", server.addr().port());
    let handles: Vec<_> = stations
        .into_iter()
        .enumerate()
        .map(|(i, (judge, key, sheets, device))| {
            let master = master.clone();
            let competition = competition.clone();
            std::thread::spawn(move || {
                let mut times = Vec::new();
                let mut jitter = i as u64 * 7919;
                for round in 1..=12_u64 {
                    jitter = jitter
                        .wrapping_mul(6364136223846793005)
                        .wrapping_add(1442695040888963407);
                    std::thread::sleep(Duration::from_millis(250 + (jitter >> 33) % 500));
                    let n = (round as usize * 10).min(sheets.len());
                    let body = Body {
                        format: packet::FORMAT.into(),
                        competition: competition.clone(),
                        kit_version: 1,
                        judge: judge.clone(),
                        device: device.clone(),
                        seq: round,
                        time: "2026-12-02T10:00:00+08:00".into(),
                        sheets: sheets[..n].to_vec(),
                    };
                    let bytes = packet::encode(body, &key).expect("encode");
                    let hash = sync::sha256_hex(&bytes);
                    let t = Instant::now();
                    client::send(&master, &bytes, &hash).expect("receipt");
                    times.push(t.elapsed().as_secs_f64() * 1e3);
                }
                times
            })
        })
        .collect();
    let mut all: Vec<f64> = handles
        .into_iter()
        .flat_map(|h| h.join().expect("judge"))
        .collect();
    all.sort_by(f64::total_cmp);
    let pct = |p: f64| all[((all.len() as f64 * p) as usize).min(all.len() - 1)];
    println!(
        "{} submits from 90 concurrent stations: submit-to-receipt median {:.1} ms, p90 {:.1} ms, p99 {:.1} ms, max {:.1} ms",
        all.len(),
        pct(0.5),
        pct(0.9),
        pct(0.99),
        all.last().copied().unwrap_or(0.0)
    );
    server.stop();
}
