//! Test helpers: the shared sample files and the 13 second-edition events.

use crate::model::{Aggregate, Criterion, Event, EventKind, Fixed};

/// An event's name, kind and rubric (criterion name, maximum).
type Rubric = (&'static str, EventKind, &'static [(&'static str, i64)]);

/// The bytes of `tests/fixtures/samples/{name}`; fails with the path when it is missing.
pub(crate) fn sample(name: &str) -> Vec<u8> {
    let path = format!(
        "{}/tests/fixtures/samples/{name}",
        env!("CARGO_MANIFEST_DIR")
    );
    match std::fs::read(&path) {
        Ok(bytes) => bytes,
        Err(e) => panic!("sample file {path} is missing or unreadable: {e}"),
    }
}

pub(crate) fn fixed(s: &str) -> Fixed {
    match Fixed::parse(s) {
        Ok(f) => f,
        Err(e) => panic!("bad decimal in a test: {e}"),
    }
}

/// The 13 events of the second edition (E01–E13), rubrics as in SPEC §4, step 0.5.
pub(crate) fn second_edition() -> Vec<Event> {
    use EventKind::{Artifact, Live, Objective};
    let table: [Rubric; 13] = [
        (
            "课堂教学设计",
            Artifact,
            &[
                ("教学目标", 15),
                ("教材与学情分析", 15),
                ("教学过程设计", 45),
                ("评价设计", 10),
                ("文档规范", 10),
                ("设计创新", 5),
            ],
        ),
        (
            "课件制作",
            Artifact,
            &[
                ("教学内容", 30),
                ("教学设计", 25),
                ("技术性", 25),
                ("艺术性", 20),
            ],
        ),
        (
            "普通话即兴演讲",
            Live,
            &[
                ("思想内容", 40),
                ("语言表达", 30),
                ("形象风度", 20),
                ("综合印象", 10),
            ],
        ),
        (
            "硬笔书写与简笔画",
            Artifact,
            &[
                ("书写规范", 18),
                ("结构", 18),
                ("字形", 12),
                ("整体效果", 12),
                ("简笔画构图", 15),
                ("简笔画造型", 15),
                ("线条与整洁", 10),
            ],
        ),
        (
            "课堂教学",
            Live,
            &[
                ("教学目标", 10),
                ("教学内容", 15),
                ("教学过程", 25),
                ("方法与策略", 30),
                ("教师素养", 20),
            ],
        ),
        (
            "说课",
            Live,
            &[
                ("说教材", 15),
                ("说教法学法", 30),
                ("说教学程序", 35),
                ("教学基本功", 20),
            ],
        ),
        (
            "评课",
            Live,
            &[
                ("评价准确", 30),
                ("课标依据", 20),
                ("改进建议", 25),
                ("语言表达", 15),
                ("时间把控", 10),
            ],
        ),
        ("业务能力测试", Objective, &[("成绩", 100)]),
        (
            "功夫板书",
            Artifact,
            &[
                ("字法", 20),
                ("笔法", 20),
                ("章法", 20),
                ("规范", 20),
                ("笔顺", 10),
                ("效果", 10),
            ],
        ),
        (
            "AI助教",
            Live,
            &[
                ("应用场景", 25),
                ("教学融合", 30),
                ("工具使用", 20),
                ("伦理与规范", 15),
                ("实际效果", 10),
            ],
        ),
        (
            "作业设计",
            Artifact,
            &[
                ("目标一致", 25),
                ("分层与个性化", 25),
                ("科学规范", 20),
                ("创新性", 15),
                ("减负增效", 15),
            ],
        ),
        (
            "现场答辩",
            Live,
            &[("理解与完整", 40), ("语言与逻辑", 40), ("仪态", 20)],
        ),
        (
            "即兴写作",
            Artifact,
            &[("立意", 30), ("内容", 30), ("结构", 20), ("语言", 20)],
        ),
    ];
    table
        .iter()
        .enumerate()
        .map(|(i, (name, kind, criteria))| Event {
            code: format!("E{:02}", i + 1),
            name: name.to_string(),
            kind: *kind,
            judges: if *kind == Objective { 1 } else { 7 },
            trim: if *kind == Objective { 0 } else { 1 },
            aggregate: Aggregate::Mean,
            decimals: 2,
            step: fixed("0.5"),
            weight: Fixed::from_int(1),
            criteria: criteria
                .iter()
                .map(|(n, max)| Criterion {
                    name: n.to_string(),
                    max: Fixed::from_int(*max),
                })
                .collect(),
            minutes: None,
            penalties: Vec::new(),
            blind: false,
        })
        .collect()
}
