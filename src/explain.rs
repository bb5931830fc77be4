//! "Explain this rank": a contestant's scores, dropped marks, mean, penalty, rounding, rank and
//! the tie-break step, in plain Chinese or English. Pure: results in, lines of text out.

use crate::i18n::Lang;
use crate::model::{Aggregate, CompetitionSetup, Rational, TieBreak};
use crate::scoring::{Decider, EventEntry, OverallEntry, Pending, Results, Unranked};

/// Why an event entry is provisional, in one language, e.g. "PW031 未提交；PW032 未提交"
/// or "笔试两次录入不一致：88 / 86". Empty when it is final.
pub fn pending_text(pending: &[Pending], lang: Lang) -> String {
    let zh = lang == Lang::Zh;
    let parts: Vec<String> = pending
        .iter()
        .map(|p| match (p, zh) {
            (Pending::NotSubmitted(j), true) => format!("{j} 未提交"),
            (Pending::NotSubmitted(j), false) => format!("{j} has not submitted"),
            (Pending::SheetsDisagree(j), true) => format!("{j} 的评分表前后不一致"),
            (Pending::SheetsDisagree(j), false) => format!("{j}'s sheets disagree"),
            (Pending::SeatsUnfilled { entered, seats }, true) => {
                format!("笔试成绩需录入 {seats} 次，已录入 {entered} 次")
            }
            (Pending::SeatsUnfilled { entered, seats }, false) => {
                format!("the written score needs {seats} entries; {entered} so far")
            }
            (Pending::EntriesDisagree(values), _) => {
                let list: Vec<String> = values.iter().map(ToString::to_string).collect();
                if zh {
                    format!("笔试{}次录入不一致：{}", values.len(), list.join(" / "))
                } else {
                    format!("the written score's entries disagree: {}", list.join(" / "))
                }
            }
            (Pending::NoScore, true) => "暂无可计入的评分".into(),
            (Pending::NoScore, false) => "no score that counts yet".into(),
        })
        .collect();
    parts.join(if zh { "；" } else { "; " })
}

/// Why an overall entry has no total, in one language, e.g. "缺 E05 课堂教学 成绩".
/// Empty when it has one.
pub fn unranked_text(unranked: &[Unranked], lang: Lang) -> String {
    let zh = lang == Lang::Zh;
    let parts: Vec<String> = unranked
        .iter()
        .map(|u| match (u, zh) {
            (Unranked::NoEvents, true) => "未报名任何项目".into(),
            (Unranked::NoEvents, false) => "enters no event".into(),
            (Unranked::NoScore(list), true) => format!("缺 {} 成绩", list.join("、")),
            (Unranked::NoScore(list), false) => format!("no score in {}", list.join(", ")),
            (Unranked::Pending(list), true) => format!("{} 成绩待定", list.join("、")),
            (Unranked::Pending(list), false) => {
                format!("provisional in {}", list.join(", "))
            }
            (Unranked::ZeroFullMarks(list), true) => {
                format!("{} 满分为 0，无法折算", list.join("、"))
            }
            (Unranked::ZeroFullMarks(list), false) => {
                format!("full marks of {} is 0", list.join(", "))
            }
            (Unranked::ZeroWeights, true) => "项目权重之和不大于 0".into(),
            (Unranked::ZeroWeights, false) => "the weights add up to 0".into(),
        })
        .collect();
    parts.join(if zh { "；" } else { "; " })
}

fn decider_text(d: &Decider, setup: &CompetitionSetup, lang: Lang) -> String {
    let event_name = |code: &str| {
        setup
            .events
            .iter()
            .find(|e| e.code == code)
            .map_or(code.to_string(), |e| format!("{code} {}", e.name))
    };
    match (d, lang) {
        (Decider::Score, Lang::Zh) => "名次由得分直接决定".into(),
        (Decider::Score, Lang::En) => "the rank follows from the score alone".into(),
        (Decider::TieBreak(TieBreak::Unrounded), Lang::Zh) => {
            "与相邻选手得分相同，按未四舍五入的分数区分".into()
        }
        (Decider::TieBreak(TieBreak::Unrounded), Lang::En) => {
            "tied on the rounded score with a neighbour; separated by the unrounded score".into()
        }
        (Decider::TieBreak(TieBreak::Event(code)), Lang::Zh) => {
            format!(
                "与相邻选手得分相同，按关键项目「{}」的得分区分",
                event_name(code)
            )
        }
        (Decider::TieBreak(TieBreak::Event(code)), Lang::En) => format!(
            "tied on the rounded score with a neighbour; separated by the key event {}",
            event_name(code)
        ),
        (Decider::Shared, Lang::Zh) => "所有并列规则用尽仍相同，名次并列".into(),
        (Decider::Shared, Lang::En) => "still tied after every tie-break step: shared rank".into(),
        (Decider::Unranked, Lang::Zh) => "暂不排名".into(),
        (Decider::Unranked, Lang::En) => "not ranked".into(),
    }
}

fn exact(r: Rational) -> String {
    // Up to 4 places shows the exact mean in practice (means of ≤ 7 scores at step 0.01).
    let four = r.format(4);
    let trimmed = four.trim_end_matches('0').trim_end_matches('.');
    if Rational::from(r.round_to(4)) == r {
        trimmed.to_string()
    } else {
        format!("{four}…")
    }
}

/// Lines explaining one event entry.
pub fn event_lines(
    entry: &EventEntry,
    event_code: &str,
    setup: &CompetitionSetup,
    lang: Lang,
) -> Vec<String> {
    let Some(event) = setup.events.iter().find(|e| e.code == event_code) else {
        return Vec::new();
    };
    let zh = lang == Lang::Zh;
    let mut lines = Vec::new();
    lines.push(if zh {
        format!("【{} {}】组别：{}", event.code, event.name, entry.group)
    } else {
        format!("[{} {}] group: {}", event.code, event.name, entry.group)
    });
    let scores: Vec<String> = entry
        .scores
        .iter()
        .map(|s| {
            if s.dropped {
                if zh {
                    format!("{} {}（去掉）", s.judge, s.score)
                } else {
                    format!("{} {} (dropped)", s.judge, s.score)
                }
            } else {
                format!("{} {}", s.judge, s.score)
            }
        })
        .collect();
    lines.push(if zh {
        format!(
            "评委打分：{}",
            if scores.is_empty() {
                "无".into()
            } else {
                scores.join("，")
            }
        )
    } else {
        format!(
            "judges' scores: {}",
            if scores.is_empty() {
                "none".into()
            } else {
                scores.join(", ")
            }
        )
    });
    if !entry.recused.is_empty() {
        lines.push(if zh {
            format!("回避（同单位，不评分）：{}", entry.recused.join("，"))
        } else {
            format!(
                "recused (same school, do not score): {}",
                entry.recused.join(", ")
            )
        });
    }
    if !entry.absent.is_empty() {
        lines.push(if zh {
            format!("缺席评委：{}", entry.absent.join("，"))
        } else {
            format!("absent judges: {}", entry.absent.join(", "))
        });
    }
    if !entry.pending.is_empty() {
        let why = pending_text(&entry.pending, lang);
        lines.push(if zh {
            format!("成绩待定：{why}")
        } else {
            format!("provisional: {why}")
        });
    }
    let kept = entry.scores.iter().filter(|s| !s.dropped).count();
    let t = entry.trim_applied;
    lines.push(match (zh, t) {
        (true, 0) => format!("不去分，{kept} 个分数全部计入"),
        (true, t) => format!("去掉 {t} 个最高分和 {t} 个最低分，保留 {kept} 个分数"),
        (false, 0) => format!("no trimming; all {kept} scores kept"),
        (false, t) => format!("dropped the {t} highest and {t} lowest; {kept} scores kept"),
    });
    if let Some(panel) = entry.panel {
        let what = match (event.aggregate, zh) {
            (Aggregate::Mean, true) => "平均分",
            (Aggregate::Sum, true) => "总和",
            (Aggregate::Mean, false) => "mean",
            (Aggregate::Sum, false) => "sum",
        };
        lines.push(format!("{what} = {}", exact(panel)));
    }
    if !entry.penalty.is_zero() {
        lines.push(if zh {
            format!("扣分：-{}", entry.penalty)
        } else {
            format!("penalty: -{}", entry.penalty)
        });
    }
    if let (Some(u), Some(f)) = (entry.unrounded, entry.final_score) {
        lines.push(if zh {
            format!(
                "{} 四舍五入保留 {} 位小数 = 最后得分 {}",
                exact(u),
                event.decimals,
                f.format(event.decimals)
            )
        } else {
            format!(
                "{} rounded half-up to {} decimals = final score {}",
                exact(u),
                event.decimals,
                f.format(event.decimals)
            )
        });
    }
    lines.push(match (entry.rank, zh) {
        (Some(r), true) => format!(
            "组内名次：第 {r} 名；{}",
            decider_text(&entry.decided_by, setup, lang)
        ),
        (Some(r), false) => format!(
            "rank in group: {r}; {}",
            decider_text(&entry.decided_by, setup, lang)
        ),
        (None, true) => format!("暂不排名：{}", pending_text(&entry.pending, lang)),
        (None, false) => format!("not ranked: {}", pending_text(&entry.pending, lang)),
    });
    lines.push(match (&entry.award, zh) {
        (Some(a), true) => format!("奖项：{a}"),
        (Some(a), false) => format!("award: {a}"),
        (None, true) => "奖项：无".into(),
        (None, false) => "award: none".into(),
    });
    if entry.tie_flag {
        lines.push(if zh {
            "注意：并列跨越获奖等次分界，需人工决定".into()
        } else {
            "note: a tie crosses an award boundary and needs a human decision".into()
        });
    }
    if let Some(reason) = &entry.award_decision {
        lines.push(if zh {
            format!("等次由组委会人工决定：{reason}")
        } else {
            format!("award decided by the organiser: {reason}")
        });
    }
    lines
}

/// Lines explaining an overall entry.
pub fn overall_lines(
    entry: &OverallEntry,
    setup: &CompetitionSetup,
    decimals: u32,
    lang: Lang,
) -> Vec<String> {
    let zh = lang == Lang::Zh;
    let mut lines = vec![if zh {
        format!("【综合】组别：{}", entry.group)
    } else {
        format!("[overall] group: {}", entry.group)
    }];
    for e in &setup.events {
        let Some(score) = entry.events.get(&e.code) else {
            continue;
        };
        let full = e.full_marks();
        let text = match score {
            Some(s) => {
                let normalised =
                    Rational::from(*s) * Rational::from_int(100) / Rational::from(full);
                format!(
                    "{} × 100 / {} = {}",
                    s.format(e.decimals),
                    full,
                    exact(normalised)
                )
            }
            None => {
                if zh {
                    "无成绩".into()
                } else {
                    "no score".into()
                }
            }
        };
        lines.push(if zh {
            format!("  {} {}：{}（权重 {}）", e.code, e.name, text, e.weight)
        } else {
            format!("  {} {}: {} (weight {})", e.code, e.name, text, e.weight)
        });
    }
    match (entry.unrounded, entry.total) {
        (Some(u), Some(t)) => lines.push(if zh {
            format!(
                "加权平均 = {}，保留 {decimals} 位小数 = 综合成绩 {}",
                exact(u),
                t.format(decimals)
            )
        } else {
            format!(
                "weighted mean = {}, rounded to {decimals} decimals = total {}",
                exact(u),
                t.format(decimals)
            )
        }),
        _ => {
            let why = unranked_text(&entry.unranked, lang);
            lines.push(match (why.is_empty(), zh) {
                (false, true) => format!("不参加综合排名：{why}"),
                (false, false) => format!("not ranked overall: {why}"),
                (true, true) => "不参加综合排名".into(),
                (true, false) => "not ranked overall".into(),
            });
        }
    }
    if let Some(r) = entry.rank {
        lines.push(if zh {
            format!(
                "综合名次：第 {r} 名；{}",
                decider_text(&entry.decided_by, setup, lang)
            )
        } else {
            format!(
                "overall rank: {r}; {}",
                decider_text(&entry.decided_by, setup, lang)
            )
        });
    }
    lines.push(match (&entry.award, zh) {
        (Some(a), true) => format!("综合奖项：{a}"),
        (Some(a), false) => format!("overall award: {a}"),
        (None, true) => "综合奖项：无".into(),
        (None, false) => "overall award: none".into(),
    });
    if entry.tie_flag {
        lines.push(if zh {
            "注意：并列跨越获奖等次分界，需人工决定".into()
        } else {
            "note: a tie crosses an award boundary and needs a human decision".into()
        });
    }
    if let Some(reason) = &entry.award_decision {
        lines.push(if zh {
            format!("等次由组委会人工决定：{reason}")
        } else {
            format!("award decided by the organiser: {reason}")
        });
    }
    lines
}

/// Finds a contestant's entries in `results`: (event code, entry) pairs and the overall entry.
pub fn find<'a>(
    results: &'a Results,
    contestant: &str,
) -> (Vec<(&'a str, &'a EventEntry)>, Option<&'a OverallEntry>) {
    let events = results
        .events
        .iter()
        .flat_map(|e| {
            e.groups
                .iter()
                .flat_map(|g| g.entries.iter())
                .filter(|en| en.contestant == contestant)
                .map(move |en| (e.code.as_str(), en))
        })
        .collect();
    let overall = results
        .overall
        .groups
        .iter()
        .flat_map(|g| g.entries.iter())
        .find(|en| en.contestant == contestant);
    (events, overall)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Fixed;

    #[test]
    fn reasons_in_one_language_at_a_time() {
        let p = [
            Pending::NotSubmitted("PW031".into()),
            Pending::NotSubmitted("PW032".into()),
        ];
        assert_eq!(pending_text(&p, Lang::Zh), "PW031 未提交；PW032 未提交");
        assert_eq!(
            pending_text(&p, Lang::En),
            "PW031 has not submitted; PW032 has not submitted"
        );
        let d = [Pending::EntriesDisagree(vec![
            Fixed::from_int(88),
            Fixed::from_int(86),
        ])];
        assert_eq!(pending_text(&d, Lang::Zh), "笔试2次录入不一致：88 / 86");
        let s = [Pending::SeatsUnfilled {
            entered: 1,
            seats: 2,
        }];
        assert_eq!(
            pending_text(&s, Lang::Zh),
            "笔试成绩需录入 2 次，已录入 1 次"
        );
        let u = [Unranked::NoScore(vec!["E05 课堂教学".into()])];
        assert_eq!(unranked_text(&u, Lang::Zh), "缺 E05 课堂教学 成绩");
        assert_eq!(unranked_text(&u, Lang::En), "no score in E05 课堂教学");
        assert_eq!(unranked_text(&[], Lang::Zh), "");
    }
}
