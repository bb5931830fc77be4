//! Scoring engine and loading speed on a generated competition of 2,000 contestants × 13 events
//! × 7 judges (≈ 170,000 sheets). Run: `cargo bench --bench results`.
//!
//! Targets (issue 3): all event and overall results < 50 ms; `scoredesk results FILE --overall
//! --format json` (load + compute + print) < 1 s. Also times a 2,000-row XLSX roster import.

use std::time::Instant;

use scoredesk::store::{Access, Store};
use scoredesk::{commands, scoring};

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}

fn main() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("big.sqlite");
    let t = Instant::now();
    drop(commands::build_demo(&path, 2000, 11).expect("demo"));
    println!(
        "built a 2,000-contestant demo in {:.1} s",
        t.elapsed().as_secs_f64()
    );

    let store = Store::open_with(&path, Access::ReadOnly).expect("open");
    let t = Instant::now();
    let input = store.scoring_input().expect("load");
    println!(
        "load (setup, people, {} sheets): {:.0} ms",
        input.sheets.len(),
        t.elapsed().as_secs_f64() * 1e3
    );

    let runs: Vec<f64> = (0..15)
        .map(|_| {
            let t = Instant::now();
            let r = scoring::compute(&input);
            std::hint::black_box(&r);
            t.elapsed().as_secs_f64() * 1e3
        })
        .collect();
    println!(
        "compute all 13 event tables + overall: median {:.1} ms (min {:.1}, max {:.1}) over {} runs",
        median(runs.clone()),
        runs.iter().copied().fold(f64::MAX, f64::min),
        runs.iter().copied().fold(0.0, f64::max),
        runs.len()
    );
    drop(store);

    // The whole command, as a user runs it.
    let exe = env!("CARGO_BIN_EXE_scoredesk");
    let runs: Vec<f64> = (0..5)
        .map(|_| {
            let t = Instant::now();
            let out = std::process::Command::new(exe)
                .args([
                    "results",
                    path.to_str().expect("utf-8"),
                    "--overall",
                    "--format",
                    "json",
                ])
                .output()
                .expect("runs");
            assert!(out.status.success());
            std::hint::black_box(out.stdout.len());
            t.elapsed().as_secs_f64() * 1e3
        })
        .collect();
    println!(
        "`scoredesk results FILE --overall --format json`: median {:.0} ms over {} runs",
        median(runs),
        5
    );

    // A 2,000-row XLSX roster (title row above the header, like the sample).
    let xlsx = dir.path().join("roster.xlsx");
    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet();
    sheet
        .write_string(0, 0, "吕梁市第二届中小学教师教学技能大赛 选手名单")
        .expect("write");
    for (c, h) in [
        "编号",
        "姓名",
        "性别",
        "学段",
        "学科",
        "工作单位",
        "县（市、区）",
        "联系电话",
    ]
    .iter()
    .enumerate()
    {
        sheet.write_string(1, c as u16, *h).expect("write");
    }
    for i in 0..2000u32 {
        let r = i + 2;
        let row = [
            format!("XL{:05}", i + 1),
            format!("欧阳{}", ["晓堃", "䶮", "明睿", "喆"][i as usize % 4]),
            ["男", "女"][i as usize % 2].to_string(),
            ["小学", "初中"][i as usize % 2].to_string(),
            ["语文", "数学", "英语"][i as usize % 3].to_string(),
            format!("吕梁市第{}中学", i % 40 + 1),
            "离石区".to_string(),
            format!("139{:08}", i),
        ];
        for (c, v) in row.iter().enumerate() {
            sheet.write_string(r, c as u16, v).expect("write");
        }
    }
    book.save(&xlsx).expect("save");
    let runs: Vec<f64> = (0..3)
        .map(|k| {
            let p = dir.path().join(format!("import{k}.sqlite"));
            let mut store = commands::new_competition(&p, "second", None, "888888").expect("new");
            let t = Instant::now();
            let outcome = commands::execute(
                &mut store,
                &commands::Session::organiser(),
                commands::Command::ImportContestants(xlsx.clone()),
            )
            .expect("import");
            let commands::Outcome::Imported { count: n, .. } = outcome else {
                panic!("not an import: {outcome:?}");
            };
            assert_eq!(n, 2000);
            t.elapsed().as_secs_f64() * 1e3
        })
        .collect();
    println!(
        "import a 2,000-row XLSX roster (read, validate, write, enter 13 events): median {:.0} ms",
        median(runs)
    );
}
