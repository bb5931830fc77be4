//! The award list for public notice (公示名单).

use super::super::ReportError;
use super::super::certificate::{Award, OVERALL_NAME};
use super::super::data::ReportData;
use super::super::layout::{Align, Column, Orientation, ReportBuilder, Section, Table};
use super::*;

/// The award list for public notice: one section per event (then the overall), rows by group
/// and rank.
pub fn awards_document(
    data: &ReportData,
    builder: &mut ReportBuilder<'_>,
    awards: &[Award],
) -> Result<(), ReportError> {
    builder.set_orientation(Orientation::Portrait);
    if awards.is_empty() {
        return Err(ReportError::Empty("没有获奖名单 (no awards yet)".into()));
    }
    let mut start = 0;
    while start < awards.len() {
        let order = awards[start].event_order;
        let end = awards[start..]
            .iter()
            .position(|a| a.event_order != order)
            .map_or(awards.len(), |p| start + p);
        let part = &awards[start..end];
        let name = &part[0].event_name;
        let title = if part[0].event_code.is_none() {
            format!("{OVERALL_NAME}奖获奖名单（公示）")
        } else {
            format!("{name} 单项奖获奖名单（公示）")
        };
        let columns = vec![
            Column::new("序号", Align::Center).min(9.0),
            Column::new("编号", Align::Center),
            Column::new("姓名", Align::Center).flex().min(16.0),
            Column::new("性别", Align::Center).min(9.0),
            Column::new("学段学科", Align::Center),
            Column::new("单位", Align::Left).flex().min(30.0),
            Column::new("获奖等次", Align::Center).min(14.0),
        ];
        let rows = part
            .iter()
            .enumerate()
            .map(|(i, a)| {
                vec![
                    (i + 1).to_string().into(),
                    a.contestant.id.clone().into(),
                    a.contestant.name.clone().into(),
                    a.contestant.gender.as_str().into(),
                    a.group.clone().into(),
                    a.contestant.school.clone().into(),
                    a.award.clone().into(),
                ]
            })
            .collect();
        builder.section(&Section {
            title,
            info: vec![format!(
                "共 {} 人。公示期内如有异议，请向{}反映。",
                part.len(),
                if data.setup.competition.organiser.is_empty() {
                    "主办单位".to_string()
                } else {
                    data.setup.competition.organiser.clone()
                }
            )],
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
    Ok(())
}
