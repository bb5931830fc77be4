//! The built-in demo competition: a realistic second-edition competition with scores.
//!
//! A few hundred contestants with Chinese names (rare characters, compound surnames and a
//! minority name with a middle dot among them) across 小学/初中 groups, 7-judge panels for
//! each of the 13 events, every sheet filled with plausible scores that respect recusal (回避),
//! a drawn order for every event, and a couple of over-time penalties.

use std::collections::HashSet;

use crate::clock;
use crate::draw;
use crate::model::{
    CompetitionSetup, Contestant, EventKind, Fixed, Gender, Judge, Penalty, Sheet, SheetStatus,
    Stage,
};
use crate::rng::SplitMix64;

/// Surnames, including compound ones.
const SURNAMES: &[&str] = &[
    "王", "李", "张", "刘", "陈", "杨", "赵", "黄", "周", "吴", "徐", "孙", "胡", "朱", "高", "林",
    "何", "郭", "马", "罗", "梁", "宋", "郑", "谢", "韩", "唐", "冯", "于", "董", "萧", "程", "曹",
    "袁", "邓", "许", "傅", "沈", "曾", "彭", "吕", "苏", "卢", "蒋", "蔡", "贾", "丁", "魏", "薛",
    "叶", "阎", "任", "田", "温", "白", "武", "乔", "霍", "闫", "欧阳", "上官", "司马", "皇甫",
    "令狐",
];

/// Characters for given names, including rare ones (堃, 喆, 䶮, 𬭎).
const GIVEN: &[&str] = &[
    "伟", "芳", "娜", "敏", "静", "丽", "强", "磊", "军", "洋", "勇", "艳", "杰", "娟", "涛", "明",
    "超", "秀", "霞", "平", "刚", "桂", "英", "华", "玉", "萍", "红", "鹏", "辉", "宇", "欣", "悦",
    "晨", "琳", "雪", "婷", "佳", "怡", "文", "博", "嘉", "思", "雨", "梓", "涵", "睿", "晓", "慧",
    "堃", "喆", "琦", "瑶", "璐", "昊", "彤", "蕊", "凡", "菊", "苑", "枫", "倩", "贞", "环", "寒",
];

/// Names that must survive every step unchanged; the demo always contains them.
pub const SPECIAL_NAMES: &[&str] = &[
    "金𬭎",
    "王䶮",
    "阿依古丽·买买提",
    "欧阳晓堃",
    "李喆",
    "诸葛明睿",
];

/// Schools (工作单位) with their county (县（市、区）).
const SCHOOLS: &[(&str, &str)] = &[
    ("吕梁市第一中学", "离石区"),
    ("离石区城内小学", "离石区"),
    ("离石育才学校", "离石区"),
    ("孝义市第三中学", "孝义市"),
    ("孝义明德学校", "孝义市"),
    ("孝义市崇文小学", "孝义市"),
    ("汾阳第一中学", "汾阳市"),
    ("汾阳市英雄街小学", "汾阳市"),
    ("文水县实验小学", "文水县"),
    ("文水县第二中学", "文水县"),
    ("交城县第二中学", "交城县"),
    ("交城县天宁小学", "交城县"),
    ("兴县城关小学", "兴县"),
    ("兴县友兰中学", "兴县"),
    ("临县第三中学", "临县"),
    ("临县城庄小学", "临县"),
    ("柳林县实验中学", "柳林县"),
    ("柳林县第一小学", "柳林县"),
    ("石楼县城关小学", "石楼县"),
    ("岚县第一中学", "岚县"),
    ("方山明德学校", "方山县"),
    ("中阳县第一小学", "中阳县"),
    ("交口县第二中学", "交口县"),
    ("吕梁市育才学校", "离石区"),
];

const PRIMARY_SUBJECTS: &[&str] = &["语文", "数学", "英语", "科学"];
const JUNIOR_SUBJECTS: &[&str] = &["语文", "数学", "英语", "物理"];

/// What the demo generator made.
#[derive(Clone, Debug)]
pub struct Demo {
    pub contestants: Vec<Contestant>,
    pub judges: Vec<Judge>,
    pub sheets: Vec<Sheet>,
    pub penalties: Vec<Penalty>,
    /// Per event: the draw seed and the drawn places.
    pub draws: Vec<(String, u64, Vec<draw::DrawnPlace>)>,
}

fn name(rng: &mut SplitMix64, used: &mut HashSet<String>) -> String {
    loop {
        let surname = rng.pick(SURNAMES).copied().unwrap_or("王");
        let len = if rng.below(3) == 0 { 1 } else { 2 };
        let mut n = surname.to_string();
        for _ in 0..len {
            n.push_str(rng.pick(GIVEN).copied().unwrap_or("明"));
        }
        if used.insert(n.clone()) {
            return n;
        }
    }
}

/// Builds the demo data for `setup` (the second-edition template) with `n` contestants.
pub fn generate(setup: &CompetitionSetup, n: usize, seed: u64) -> Demo {
    let mut rng = SplitMix64::new(seed);
    let mut used = HashSet::new();
    let now = clock::now_unix();
    let at = clock::rfc3339(now);

    let mut contestants = Vec::with_capacity(n);
    for i in 0..n {
        let stage = if i % 2 == 0 {
            Stage::Primary
        } else {
            Stage::Junior
        };
        let subjects = if stage == Stage::Primary {
            PRIMARY_SUBJECTS
        } else {
            JUNIOR_SUBJECTS
        };
        let subject = subjects[(i / 2) % subjects.len()];
        // Primary teachers work in 小学 or 9-year 学校; junior teachers in 中学 or 学校.
        let fitting: Vec<&(&str, &str)> = SCHOOLS
            .iter()
            .filter(|(s, _)| match stage {
                Stage::Primary => !s.ends_with("中学"),
                _ => !s.ends_with("小学"),
            })
            .collect();
        let &(school, county) = fitting[rng.below(fitting.len() as u64) as usize];
        let name = match SPECIAL_NAMES.get(i) {
            Some(special) => {
                used.insert(special.to_string());
                special.to_string()
            }
            None => name(&mut rng, &mut used),
        };
        contestants.push(Contestant {
            id: format!("JS2025{:04}", i + 1),
            name,
            gender: if rng.below(10) < 7 {
                Gender::Female
            } else {
                Gender::Male
            },
            stage,
            subject: subject.to_string(),
            school: school.to_string(),
            county: county.to_string(),
            phone: format!("13{:09}", rng.below(1_000_000_000)),
        });
    }

    let mut judges = Vec::new();
    for event in &setup.events {
        let size = if event.kind == EventKind::Objective {
            1
        } else {
            event.judges as usize
        };
        for _ in 0..size {
            let (school, county) = if event.kind == EventKind::Objective {
                ("吕梁市教育局", "离石区")
            } else {
                SCHOOLS[rng.below(SCHOOLS.len() as u64) as usize]
            };
            judges.push(Judge {
                id: format!("PW{:03}", judges.len() + 1),
                name: name(&mut rng, &mut used),
                school: school.to_string(),
                county: county.to_string(),
                events: vec![event.code.clone()],
            });
        }
    }

    // Latent ability per contestant, a bias per judge: scores that look like a real panel.
    let ability: Vec<f64> = contestants.iter().map(|_| rng.normal()).collect();
    let bias: Vec<f64> = judges.iter().map(|_| rng.normal() * 0.3).collect();
    let mut sheets = Vec::new();
    for event in &setup.events {
        let panel: Vec<(usize, &Judge)> = judges
            .iter()
            .enumerate()
            .filter(|(_, j)| j.events.contains(&event.code))
            .collect();
        let form: Vec<f64> = contestants.iter().map(|_| rng.normal() * 0.5).collect();
        for (ci, c) in contestants.iter().enumerate() {
            for &(ji, judge) in &panel {
                if judge.must_recuse(c) {
                    continue;
                }
                let mut criteria = Vec::with_capacity(event.criteria.len());
                for criterion in &event.criteria {
                    let level = 0.80
                        + 0.06 * ability[ci]
                        + 0.03 * form[ci]
                        + 0.025 * bias[ji]
                        + 0.03 * rng.normal();
                    let level = level.clamp(0.45, 1.0);
                    let max_steps = criterion.max.raw() / event.step.raw();
                    let steps = ((max_steps as f64) * level).round() as i64;
                    let steps = steps.clamp(0, max_steps);
                    criteria.push(Some(Fixed::from_raw(steps * event.step.raw())));
                }
                let total = criteria.iter().flatten().copied().sum();
                sheets.push(Sheet {
                    event: event.code.clone(),
                    contestant: c.id.clone(),
                    judge: judge.id.clone(),
                    criteria,
                    total,
                    status: SheetStatus::Submitted,
                    entered_by: judge.id.clone(),
                    entered_at: at.clone(),
                });
            }
        }
    }

    let mut penalties = Vec::new();
    for event in setup.events.iter().filter(|e| !e.penalties.is_empty()) {
        if let (Some(item), Some(c)) = (event.penalties.first(), rng.pick(&contestants)) {
            penalties.push(Penalty {
                event: event.code.clone(),
                contestant: c.id.clone(),
                points: item.points,
                reason: format!("{}（超过 {} 分钟）", item.name, event.minutes.unwrap_or(0)),
            });
        }
    }

    let ids: Vec<String> = contestants.iter().map(|c| c.id.clone()).collect();
    let draws = setup
        .events
        .iter()
        .map(|e| {
            let s = rng.below(1_000_000);
            (e.code.clone(), s, draw::draw(&e.code, &ids, s))
        })
        .collect();

    Demo {
        contestants,
        judges,
        sheets,
        penalties,
        draws,
    }
}
