//! What a command can answer instead of doing its job — typed, so that callers decide by the
//! variant (never by searching the message text) and tell the user once.

use crate::import::ImportError;
use crate::store::StoreError;
use crate::template::TemplateError;

/// A change that looks like a repeat (a double click) or would overwrite work already done:
/// the caller asks the user, then sends the command again with its confirmation flag set
/// (`again` / `force`; the CLI's `--again`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Confirm {
    /// The same penalty (event, contestant, reason) is already recorded: record it again?
    SamePenalty {
        event: String,
        contestant: String,
        reason: String,
        points: String,
    },
    /// The same absence (event, judge, contestant) is already recorded.
    SameAbsence {
        event: String,
        judge: String,
        contestant: Option<String>,
    },
    /// The event already has score sheets; changing its rules changes existing results.
    RulesOfScoredEvent { event: String, sheets: usize },
    /// Re-drawing events that already have score sheets changes every code: a typed
    /// confirmation and a reason are needed.
    Redraw { events: Vec<String>, sheets: usize },
}

impl std::fmt::Display for Confirm {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Confirm::SamePenalty {
                event,
                contestant,
                reason,
                points,
            } => write!(
                f,
                "{event}/{contestant} 已有同样的扣分（{reason} -{points}），确认要再扣一次吗？(the same penalty is already recorded)"
            ),
            Confirm::SameAbsence {
                event,
                judge,
                contestant,
            } => write!(
                f,
                "{event} 已记录评委 {judge} 缺席{}，确认要再记录一次吗？(this absence is already recorded)",
                contestant
                    .as_deref()
                    .map(|c| format!("（选手 {c}）"))
                    .unwrap_or_default()
            ),
            Confirm::Redraw { events, sheets } => write!(
                f,
                "{} 已有 {sheets} 张评分表，重新抽签会改变所有抽签编码，需要输入确认和原因 (re-drawing after scoring needs a confirmation and a reason)",
                events.join("、")
            ),
            Confirm::RulesOfScoredEvent { event, sheets } => write!(
                f,
                "项目「{event}」已有 {sheets} 张评分表，修改评分规则会改变已有成绩 (scoring has started for this event)"
            ),
        }
    }
}

/// Why a command was refused or failed.
#[derive(Debug, thiserror::Error)]
pub enum CommandError {
    /// The actor's role may not do this.
    #[error("{0}")]
    Forbidden(String),
    /// The command's data breaks a rule (a score over the maximum, an empty reason …).
    #[error("{0}")]
    Invalid(String),
    /// Not done: it needs the user's confirmation first.
    #[error("{0}")]
    NeedsConfirmation(Confirm),
    /// A score packet refused whole (altered, another judge's key, another competition, a
    /// sheet its kit did not hold …): nothing was changed.
    #[error("{0}")]
    Rejected(String),
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(transparent)]
    Template(#[from] TemplateError),
    #[error("{0}")]
    Import(#[from] ImportError),
    #[error("无法读取 {path} (cannot read the file): {reason}")]
    Read { path: String, reason: String },
    /// A command-line argument or similar usage problem.
    #[error("{0}")]
    Usage(String),
    /// The reader of our output went away (e.g. `| head`): not an error for the user.
    #[error("output closed")]
    OutputClosed,
}

impl CommandError {
    /// An output error, quiet when the reader has gone away.
    pub fn output(e: std::io::Error) -> Self {
        if e.kind() == std::io::ErrorKind::BrokenPipe {
            CommandError::OutputClosed
        } else {
            CommandError::Usage(format!("无法输出 (cannot write output): {e}"))
        }
    }
}

pub type CommandResult<T> = Result<T, CommandError>;
