//! Restoring a competition file from a backup: refused while the file is open elsewhere; the
//! backup is checked (integrity and audit chain, and that it is an earlier state of this very
//! file) before anything changes; the current file is kept as a backup first; the backup is
//! copied into place under the file's lock; and the user is told what is lost — the audit
//! entries after the backup's time.

use std::path::{Path, PathBuf};

use super::error::{CommandError, CommandResult};
use crate::store::audit::AuditEntry;
use crate::store::{Access, Store, backups_folder};

/// What a restore would lose (or lost): the current file's audit entries after the backup.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RestorePlan {
    pub backup: PathBuf,
    /// The backup's last audit entry (its time), if any.
    pub backup_time: Option<String>,
    /// Entries of the current file that the backup does not have.
    pub lost: Vec<AuditEntry>,
}

impl RestorePlan {
    /// One line for the user: how many changes are lost, from when to when.
    pub fn summary(&self) -> String {
        match (self.lost.first(), self.lost.last()) {
            (Some(first), Some(last)) => format!(
                "恢复后将失去备份之后的 {} 条记录（{} 至 {}）(entries after the backup are lost)",
                self.lost.len(),
                first.at,
                last.at
            ),
            _ => "备份与当前文件一致，不会失去任何记录 (nothing is lost)".into(),
        }
    }
}

/// Checks `backup` against the competition file `file` without changing anything.
pub fn plan(file: &Path, backup: &Path) -> CommandResult<RestorePlan> {
    let b = Store::open_with(backup, Access::ReadOnly)?;
    let integrity = b.integrity_check()?;
    if integrity != "ok" {
        return Err(CommandError::Invalid(format!(
            "备份文件已损坏，不能恢复 (the backup is damaged): {integrity}"
        )));
    }
    if let Some(seq) = b.audit_verify()? {
        return Err(CommandError::Invalid(format!(
            "备份文件的审计日志第 {seq} 条被改动过，不能恢复 (the backup's audit log was altered)"
        )));
    }
    let theirs = b.audit_entries()?;
    drop(b);
    let current = Store::open_with(file, Access::ReadOnly)?;
    let ours = current.audit_entries()?;
    // The backup must be an earlier state of this file: its chain a prefix of ours.
    let prefix =
        theirs.len() <= ours.len() && theirs.iter().zip(&ours).all(|(a, b)| a.hash == b.hash);
    if !prefix {
        return Err(CommandError::Invalid(
            "这个备份不是本比赛文件的早期版本（审计记录不一致），不能用来恢复 (the backup is not an earlier state of this file)"
                .into(),
        ));
    }
    Ok(RestorePlan {
        backup: backup.to_path_buf(),
        backup_time: theirs.last().map(|e| e.at.clone()),
        lost: ours.into_iter().skip(theirs.len()).collect(),
    })
}

/// Restores `file` from `backup`: checks, keeps the current file as a backup, puts the copy in
/// place under the file's lock, and records the restore in the audit log.
pub fn restore(file: &Path, backup: &Path, actor: &str) -> CommandResult<RestorePlan> {
    // Refused while another window (or process) has the file open for writing.
    let current = Store::open(file)?;
    let plan = plan(file, backup)?;
    // Keep the current state first.
    let folder = backups_folder(file);
    std::fs::create_dir_all(&folder).map_err(|e| CommandError::Store(e.into()))?;
    let keep = folder.join(format!(
        "{}-before-restore.sqlite",
        crate::clock::local_stamp()
    ));
    current.backup_to(&keep)?;
    // A checked copy of the backup beside the file, then swapped in under the lock.
    let name = file
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let staged = file.with_file_name(format!(".{name}.{}.restoring", std::process::id()));
    let _ = std::fs::remove_file(&staged);
    Store::open_with(backup, Access::ReadOnly)?.backup_to(&staged)?;
    let lock = current.close_keeping_lock()?;
    let swapped = std::fs::rename(&staged, file).and_then(|()| crate::durable::sync_parent(file));
    if let Err(e) = swapped {
        let _ = std::fs::remove_file(&staged);
        return Err(CommandError::Store(e.into()));
    }
    drop(lock);
    let mut restored = Store::open(file)?;
    restored.note(
        "restore",
        &format!(
            "restored from {} (kept the previous state as {}); {} later entries lost",
            backup.display(),
            keep.display(),
            plan.lost.len()
        ),
        actor,
    )?;
    Ok(plan)
}
