//! The award list for public notice (公示名单).

use super::super::ReportError;
use super::super::certificate::{Award, OVERALL_NAME};
use super::super::data::ReportData;
use super::super::layout::{Align, Column, Orientation, ReportBuilder, Section, Table};
use super::*;
use crate::model::papers::or_blank;

/// The award list for public notice (获奖名单公示) in the form a notice board expects: a
/// preamble (which competition, which lists, the notice period, whom to contact and the
/// supervision phone), one list per event and then the overall, each by group and tier, lists
/// running on below each other rather than one page each, and the 落款 with its date. What the
/// organiser has not set prints as a blank line to fill in by hand.
pub fn awards_document(
    data: &ReportData,
    builder: &mut ReportBuilder<'_>,
    awards: &[Award],
) -> Result<(), ReportError> {
    builder.set_orientation(Orientation::Portrait);
    if awards.is_empty() {
        return Err(ReportError::Empty("没有获奖名单 (no awards yet)".into()));
    }
    let p = &data.papers;
    let c = &data.setup.competition;
    let issuer = if !p.issuer.trim().is_empty() {
        p.issuer.trim().to_string()
    } else if !c.organiser.trim().is_empty() {
        c.organiser.trim().to_string()
    } else {
        "________________".to_string()
    };
    let date_blank = "______年____月____日";
    let lists = if awards.iter().any(|a| a.event_code.is_none()) {
        "单项奖和综合奖"
    } else {
        "单项奖"
    };
    builder.text_page(
        "获奖名单公示",
        &[
            format!(
                "{}评审工作已经结束。经评委评审、裁判长审核，现将{lists}获奖名单予以公示（共 {} 人次）。",
                c.title,
                awards.len()
            ),
            format!(
                "公示期：{} 至 {}。公示期内如有异议，请以书面形式向{issuer}反映，并写明真实姓名和联系方式。",
                or_blank(&p.notice_from, date_blank),
                or_blank(&p.notice_to, date_blank),
            ),
            format!(
                "联系人及电话：{}；监督电话：{}。",
                or_blank(&p.contact, "__________________"),
                or_blank(&p.supervision_phone, "__________________"),
            ),
        ],
        11.0,
    );
    let mut start = 0;
    while start < awards.len() {
        let order = awards[start].event_order;
        let end = awards[start..]
            .iter()
            .position(|a| a.event_order != order)
            .map_or(awards.len(), |p| start + p);
        let mut part: Vec<&Award> = awards[start..end].iter().collect();
        // Within each group: by tier (一等奖, 二等奖 …), then rank.
        part.sort_by_key(|a| (a.group_order, tier_place(data, &a.award), a.rank));
        let name = &part[0].event_name;
        let title = if part[0].event_code.is_none() {
            format!("{OVERALL_NAME}奖")
        } else {
            format!("{name} 单项奖")
        };
        let columns = vec![
            Column::new("序号", Align::Center).min(9.0),
            Column::new("组别", Align::Center),
            Column::new("等次", Align::Center).min(14.0),
            Column::new("姓名", Align::Center).flex().min(16.0),
            Column::new("性别", Align::Center).min(9.0),
            Column::new("单位", Align::Left).flex().min(30.0),
        ];
        let rows = part
            .iter()
            .enumerate()
            .map(|(i, a)| {
                vec![
                    (i + 1).to_string().into(),
                    a.group.clone().into(),
                    a.award.clone().into(),
                    a.contestant.name.clone().into(),
                    a.contestant.gender.as_str().into(),
                    a.contestant.school.clone().into(),
                ]
            })
            .collect();
        builder.section_run_on(&Section {
            title,
            info: vec![format!("共 {} 人", part.len())],
            table: Table {
                columns,
                rows,
                size: BODY,
                row_height: ROW,
            },
            after: Vec::new(),
            bookmark: Some(name.clone()),
        });
        start = end;
    }
    builder.closing(&[issuer, or_blank(&p.issued, date_blank)], 12.0);
    Ok(())
}

/// How many results (event entries and overall entries) are still provisional (待定).
pub fn pending_results(data: &ReportData) -> usize {
    data.results.provisional_count()
}

/// A tier's place in the award rules (一等奖 first); unknown names after.
fn tier_place(data: &ReportData, tier: &str) -> usize {
    data.setup
        .awards
        .tiers
        .iter()
        .position(|t| t.name == tier)
        .unwrap_or(usize::MAX)
}
