//! Who is acting, and what each role may do: checked by the command layer before any write,
//! so a judge cannot write another judge's sheet even if a screen showed the button by mistake.

use crate::model::{Contestant, Event, Judge};
use crate::scoring::eligibility::{self, Refusal};

/// A role at the venue.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Role {
    /// 管理员: sets up, imports, draws, corrects, prints.
    Organiser,
    /// 裁判长 / 评委组长: a judge who also watches progress, applies penalties, corrects sheets
    /// of the events on their panel.
    HeadJudge,
    /// 评委: scores their own sheets on the panels they sit on.
    Judge,
    /// 记分员: types judges' paper sheets (double entry) for the events assigned.
    Recorder,
}

/// The logged-in person.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Session {
    pub role: Role,
    /// The judge's id (for judges and head judges).
    pub judge: Option<String>,
    /// The recorder's id (for recorders).
    pub recorder: Option<String>,
    /// Display name.
    pub name: String,
    /// Event codes whose panel the judge sits on (empty for the organiser = all).
    pub events: Vec<String>,
}

impl Session {
    pub fn organiser() -> Self {
        Session {
            role: Role::Organiser,
            judge: None,
            recorder: None,
            name: "管理员".into(),
            events: Vec::new(),
        }
    }

    pub fn for_judge(judge: &Judge, head: bool) -> Self {
        Session {
            role: if head { Role::HeadJudge } else { Role::Judge },
            judge: Some(judge.id.clone()),
            recorder: None,
            name: judge.name.clone(),
            events: judge.events.clone(),
        }
    }

    /// A recorder (记分员) on the events assigned.
    pub fn for_recorder(recorder: &crate::model::Recorder) -> Self {
        Session {
            role: Role::Recorder,
            judge: None,
            recorder: Some(recorder.id.clone()),
            name: recorder.name.clone(),
            events: recorder.events.clone(),
        }
    }

    /// The actor name written to the audit log.
    pub fn actor(&self) -> String {
        match (&self.judge, &self.recorder) {
            (Some(id), _) | (None, Some(id)) => id.clone(),
            (None, None) => "organiser".into(),
        }
    }

    /// Whether this person may see the event (its queue, progress and results).
    pub fn sees_event(&self, code: &str) -> bool {
        self.role == Role::Organiser || self.events.iter().any(|e| e == code)
    }

    /// Whether this person may write `judge`'s sheet for `contestant` in `event`; the reason if not.
    pub fn may_write_sheet(
        &self,
        event: &Event,
        judge: &Judge,
        contestant: &Contestant,
    ) -> Result<(), String> {
        match eligibility::may_score(event, judge, contestant) {
            Ok(()) => {}
            Err(Refusal::NotOnPanel) => {
                return Err(format!(
                    "评委 {} 不在「{}」评审组 (judge {} is not on the panel of {})",
                    judge.id, event.name, judge.id, event.code
                ));
            }
            Err(Refusal::Recused) => {
                return Err(format!(
                    "回避：评委 {} 与选手 {} 同属 {}，不能评分 (recusal: same school)",
                    judge.name, contestant.id, contestant.school
                ));
            }
        }
        match self.role {
            Role::Recorder => Err(
                "记分员只能做双人录入，不能直接提交评分表 (a recorder enters paper sheets by double entry)"
                    .into(),
            ),
            Role::Judge | Role::HeadJudge => {
                if self.judge.as_deref() != Some(judge.id.as_str()) {
                    return Err(
                        "评委只能填写自己的评分表 (a judge can write only their own sheets)".into(),
                    );
                }
                Ok(())
            }
            Role::Organiser => Ok(()),
        }
    }

    /// Whether this person may correct a submitted sheet of `event`.
    pub fn may_correct(&self, event: &str) -> Result<(), String> {
        match self.role {
            Role::Organiser => Ok(()),
            Role::HeadJudge if self.sees_event(event) => Ok(()),
            _ => Err(
                "更正已提交的评分表需要裁判长或管理员 (a correction needs the head judge or organiser)"
                    .into(),
            ),
        }
    }

    /// Organiser-only operations (setup, imports, draw, PINs).
    pub fn require_organiser(&self) -> Result<(), String> {
        if self.role == Role::Organiser {
            Ok(())
        } else {
            Err("只有管理员可以进行此操作 (only the organiser can do this)".into())
        }
    }
}
