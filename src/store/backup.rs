//! Copies of an open competition file made with SQLite's online backup, which never disturb the
//! file itself and never replace anything at the destination.

use std::path::{Path, PathBuf};

use rusqlite::Connection;

use super::{Result, StoreError};
use crate::durable;

/// Files SQLite keeps beside a database: a copy placed where one of these lingers would read it.
const SIDE_FILES: [&str; 3] = ["-wal", "-shm", "-journal"];

fn with_suffix(path: &Path, suffix: &str) -> PathBuf {
    let mut s = path.as_os_str().to_owned();
    s.push(suffix);
    PathBuf::from(s)
}

/// Whether anything (a file, a folder, a dangling link) is at `path`.
fn occupied(path: &Path) -> bool {
    std::fs::symlink_metadata(path).is_ok()
}

/// The temporary file the copy is built in, beside `dest` (same folder, so the final step is a
/// rename, not a copy across file systems).
fn partial_path(dest: &Path) -> PathBuf {
    let name = dest
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "backup".into());
    let tmp = format!(".{name}.{}.partial", std::process::id());
    match dest.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.join(tmp),
        _ => PathBuf::from(tmp),
    }
}

/// Refuses a destination that exists, has SQLite side files, or is the source itself.
fn check_destination(source: &Path, dest: &Path) -> Result<()> {
    let same = match (source.canonicalize(), dest.canonicalize()) {
        (Ok(a), Ok(b)) => a == b,
        _ => false,
    };
    if same {
        return Err(StoreError::BackupOntoSource(dest.to_path_buf()));
    }
    if occupied(dest) || SIDE_FILES.iter().any(|s| occupied(&with_suffix(dest, s))) {
        return Err(StoreError::BackupTargetExists(dest.to_path_buf()));
    }
    Ok(())
}

/// Copies the database behind `conn` (whose file is `source`) to the new file `dest`.
pub(super) fn copy_to(conn: &Connection, source: &Path, dest: &Path) -> Result<()> {
    check_destination(source, dest)?;
    let tmp = partial_path(dest);
    let result = build(conn, &tmp).and_then(|()| {
        durable::place_new(&tmp, dest).map_err(|e| {
            if e.kind() == std::io::ErrorKind::AlreadyExists {
                StoreError::BackupTargetExists(dest.to_path_buf())
            } else {
                StoreError::from(e)
            }
        })
    });
    if result.is_err() {
        for path in
            std::iter::once(tmp.clone()).chain(SIDE_FILES.iter().map(|s| with_suffix(&tmp, s)))
        {
            let _ = std::fs::remove_file(path);
        }
    }
    result
}

/// Writes the copy into `tmp` and syncs it to disk.
fn build(conn: &Connection, tmp: &Path) -> Result<()> {
    if occupied(tmp) {
        std::fs::remove_file(tmp)?;
    }
    {
        let mut out = Connection::open(tmp)?;
        let backup = rusqlite::backup::Backup::new(conn, &mut out)?;
        backup.run_to_completion(256, std::time::Duration::from_millis(0), None)?;
    }
    std::fs::File::open(tmp)?.sync_all()?;
    Ok(())
}
