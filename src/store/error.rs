//! What can go wrong with a competition file, in words a user can act on.

use std::path::PathBuf;

/// A store failure. Each message says what happened and what to do.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("找不到文件 {0} (file not found)")]
    NotFound(PathBuf),
    #[error("文件已存在：{0}，请换一个文件名 (the file already exists; choose another name)")]
    AlreadyExists(PathBuf),
    #[error(
        "备份目标 {0} 已存在（或旁边有它的 -wal/-shm 文件），备份从不覆盖已有文件，请换一个新文件名 (the backup target exists; a backup never overwrites, choose a new name)"
    )]
    BackupTargetExists(PathBuf),
    #[error("备份目标就是比赛文件本身：{0} (the backup target is the competition file itself)")]
    BackupOntoSource(PathBuf),
    #[error("{0} 不是 ScoreDesk 比赛文件 (not a ScoreDesk competition file)")]
    NotScoreDesk(PathBuf),
    #[error(
        "{path} 已损坏，无法使用：{detail}。请从自动备份恢复 (the file is corrupt; restore it from a backup)"
    )]
    Corrupt { path: PathBuf, detail: String },
    #[error(
        "{path} 由更新版本的 ScoreDesk 创建（文件版本 {found}，本程序支持到 {supported}），请升级 ScoreDesk (the file comes from a newer ScoreDesk; upgrade)"
    )]
    TooNew {
        path: PathBuf,
        found: i64,
        supported: i64,
    },
    #[error(
        "{path} 已在另一个 ScoreDesk 窗口中打开{holder}，请先关闭那个窗口 (the file is already open in another ScoreDesk window)"
    )]
    AlreadyOpen { path: PathBuf, holder: String },
    #[error(
        "无法写入 {path} 所在的文件夹（只读或没有权限）。请把文件复制到可写的位置，例如桌面 (the folder is read-only; copy the file somewhere writable)"
    )]
    ReadOnly { path: PathBuf },
    #[error(
        "{path} 是只读文件（文件属性中设了“只读”），不能在上面记分。请取消只读属性，或复制一份再打开 (the file itself is read-only)"
    )]
    ReadOnlyFile { path: PathBuf },
    #[error("磁盘空间不足，未保存任何更改 (the disk is full; nothing was changed)")]
    DiskFull,
    #[error(
        "写入磁盘失败，未保存这次更改：磁盘可能已满，或 U 盘、网络盘已断开。请腾出空间或把文件复制到本机硬盘 (writing to the disk failed: it may be full or unplugged)"
    )]
    WriteFailed,
    #[error(
        "比赛文件{}正被另一个程序占用（例如 DB Browser、WPS、杀毒软件或网盘同步），请关闭那个程序后再试 (another program holds the file)",
        path.as_ref().map(|p| format!(" {} ", p.display())).unwrap_or_default()
    )]
    Busy { path: Option<PathBuf> },
    #[error("{0}")]
    Rule(String),
    #[error("数据库错误 (database error): {0}")]
    Sqlite(String),
    #[error("文件读写错误 (file error): {0}")]
    Io(String),
}

impl From<rusqlite::Error> for StoreError {
    fn from(e: rusqlite::Error) -> Self {
        use rusqlite::ffi::ErrorCode;
        if let rusqlite::Error::SqliteFailure(f, _) = &e {
            match f.code {
                ErrorCode::DiskFull => return StoreError::DiskFull,
                // SQLite says "disk I/O error" when a write, sync or the shared-memory file
                // fails — near a full disk that is what happens.
                ErrorCode::SystemIoFailure => return StoreError::WriteFailed,
                ErrorCode::DatabaseBusy | ErrorCode::DatabaseLocked => {
                    return StoreError::Busy { path: None };
                }
                ErrorCode::ReadOnly | ErrorCode::CannotOpen | ErrorCode::PermissionDenied => {
                    return StoreError::Io(e.to_string());
                }
                _ => {}
            }
        }
        StoreError::Sqlite(e.to_string())
    }
}

impl From<std::io::Error> for StoreError {
    fn from(e: std::io::Error) -> Self {
        StoreError::Io(e.to_string())
    }
}

impl StoreError {
    /// Names the file in an error that does not know it yet (a busy database).
    pub fn at(self, path: &std::path::Path) -> StoreError {
        match self {
            StoreError::Busy { path: None } => StoreError::Busy {
                path: Some(path.to_path_buf()),
            },
            other => other,
        }
    }
}

pub type Result<T> = std::result::Result<T, StoreError>;

#[cfg(test)]
mod tests {
    use super::*;
    use rusqlite::ffi;

    fn sqlite(code: i32) -> StoreError {
        StoreError::from(rusqlite::Error::SqliteFailure(ffi::Error::new(code), None))
    }

    #[test]
    fn disk_and_busy_errors_say_what_happened() {
        assert!(matches!(sqlite(ffi::SQLITE_FULL), StoreError::DiskFull));
        for code in [
            ffi::SQLITE_IOERR_WRITE,
            ffi::SQLITE_IOERR_FSYNC,
            ffi::SQLITE_IOERR_SHMSIZE,
        ] {
            let e = sqlite(code);
            assert!(matches!(e, StoreError::WriteFailed), "{e}");
            assert!(e.to_string().contains("磁盘可能已满"), "{e}");
            assert!(!e.to_string().contains("disk I/O error"), "{e}");
        }
        let busy = sqlite(ffi::SQLITE_BUSY).at(std::path::Path::new("比赛.sqlite"));
        assert!(busy.to_string().contains("比赛.sqlite"), "{busy}");
        assert!(!busy.to_string().contains("database is locked"), "{busy}");
    }
}
