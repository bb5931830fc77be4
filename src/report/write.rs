//! Writing output files safely: into a temporary file in the same folder, flushed to disk, then
//! renamed over the target — so a failure (read-only folder, full disk) never leaves a
//! half-written file behind.

use std::fs::File;
use std::io::Write;
use std::path::{Path, PathBuf};

use super::ReportError;

/// The error for a failed write of `path`, in words a user can act on.
pub fn classify(path: &Path, e: &std::io::Error) -> ReportError {
    use std::io::ErrorKind;
    let path = path.to_path_buf();
    match e.kind() {
        ErrorKind::PermissionDenied | ErrorKind::ReadOnlyFilesystem => {
            ReportError::ReadOnly { path }
        }
        ErrorKind::StorageFull | ErrorKind::QuotaExceeded | ErrorKind::FileTooLarge => {
            ReportError::DiskFull { path }
        }
        ErrorKind::NotFound | ErrorKind::NotADirectory => ReportError::NoFolder {
            path: path.parent().map(Path::to_path_buf).unwrap_or_default(),
        },
        ErrorKind::IsADirectory => ReportError::Write {
            path,
            reason: "这是一个文件夹 (it is a folder)".into(),
        },
        _ => ReportError::Write {
            path,
            reason: e.to_string(),
        },
    }
}

fn temp_path(target: &Path) -> PathBuf {
    let name = target
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "output".into());
    let tmp = format!(".{name}.{}.partial", std::process::id());
    match target.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.join(tmp),
        _ => PathBuf::from(tmp),
    }
}

/// Writes `bytes` to `path` atomically.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<(), ReportError> {
    write_atomic_with(path, |f| f.write_all(bytes))
}

/// Writes `path` atomically with `fill` writing the contents; on any failure the temporary
/// file is removed and `path` is left as it was.
pub fn write_atomic_with(
    path: &Path,
    fill: impl FnOnce(&mut File) -> std::io::Result<()>,
) -> Result<(), ReportError> {
    if path.is_dir() {
        return Err(ReportError::Write {
            path: path.to_path_buf(),
            reason: "这是一个文件夹，请给出文件名 (it is a folder; give a file name)".into(),
        });
    }
    let tmp = temp_path(path);
    let result = (|| -> std::io::Result<()> {
        let mut f = File::create(&tmp)?;
        fill(&mut f)?;
        f.flush()?;
        f.sync_all()?;
        drop(f);
        std::fs::rename(&tmp, path)?;
        crate::durable::sync_parent(path)
    })();
    match result {
        Ok(()) => Ok(()),
        Err(e) => {
            let _ = std::fs::remove_file(&tmp);
            Err(classify(path, &e))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn failure_mid_write_leaves_no_file() {
        let dir = tempfile::tempdir().expect("dir");
        let target = dir.path().join("out.pdf");
        let e = write_atomic_with(&target, |f| {
            f.write_all(b"%PDF-1.7 half")?;
            Err(std::io::Error::new(
                std::io::ErrorKind::StorageFull,
                "simulated full disk",
            ))
        })
        .expect_err("fails");
        assert!(matches!(e, ReportError::DiskFull { .. }), "{e}");
        assert!(e.to_string().contains("磁盘空间不足"), "{e}");
        assert!(!target.exists());
        let left: Vec<_> = std::fs::read_dir(dir.path()).expect("list").collect();
        assert!(left.is_empty(), "temporary file left behind");
    }

    #[test]
    fn failure_keeps_the_old_file() {
        let dir = tempfile::tempdir().expect("dir");
        let target = dir.path().join("out.pdf");
        std::fs::write(&target, b"old").expect("write");
        let _ = write_atomic_with(&target, |_| Err(std::io::Error::other("boom")));
        assert_eq!(std::fs::read(&target).expect("read"), b"old");
        write_atomic(&target, b"new").expect("write");
        assert_eq!(std::fs::read(&target).expect("read"), b"new");
    }

    #[test]
    fn missing_folder_is_explained() {
        let dir = tempfile::tempdir().expect("dir");
        let target = dir.path().join("no-such-folder").join("out.pdf");
        let e = write_atomic(&target, b"x").expect_err("fails");
        assert!(matches!(e, ReportError::NoFolder { .. }), "{e}");
        assert!(!target.exists());
    }
}
