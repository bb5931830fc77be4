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

/// Writes the copy into `tmp` and syncs it to disk. All pages are copied in one step, inside
/// one read transaction: the copy is one consistent state of the file even while another
/// connection writes.
fn build(conn: &Connection, tmp: &Path) -> Result<()> {
    if occupied(tmp) {
        std::fs::remove_file(tmp)?;
    }
    {
        let mut out = Connection::open(tmp)?;
        let backup = rusqlite::backup::Backup::new(conn, &mut out)?;
        loop {
            match backup.step(-1)? {
                rusqlite::backup::StepResult::Done => break,
                rusqlite::backup::StepResult::More => {}
                _ => std::thread::sleep(std::time::Duration::from_millis(20)),
            }
        }
    }
    std::fs::File::open(tmp)?.sync_all()?;
    Ok(())
}

/// The folder of a file's automatic backups: `FILE.backups/` beside it.
pub fn backups_folder(file: &Path) -> PathBuf {
    with_suffix(file, ".backups")
}

/// How many of the newest automatic backups are always kept (older ones: one per hour).
pub const KEEP_NEWEST: usize = 20;

/// A new automatic backup's path: `FILE.backups/YYYYMMDD-HHMMSS-REASON.sqlite` (local time).
fn rolling_path(file: &Path, reason: &str) -> Result<PathBuf> {
    let folder = backups_folder(file);
    std::fs::create_dir_all(&folder)?;
    let stamp = crate::clock::local_stamp();
    let reason: String = reason
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || *c == '-')
        .collect();
    let mut n = 0;
    loop {
        let name = if n == 0 {
            format!("{stamp}-{reason}.sqlite")
        } else {
            format!("{stamp}-{reason}-{n}.sqlite")
        };
        let path = folder.join(name);
        if !occupied(&path) {
            return Ok(path);
        }
        n += 1;
    }
}

/// The automatic backups of `file`, oldest first (by their time-stamped names).
pub fn list_backups(file: &Path) -> Result<Vec<PathBuf>> {
    let folder = backups_folder(file);
    if !folder.is_dir() {
        return Ok(Vec::new());
    }
    let mut found: Vec<PathBuf> = std::fs::read_dir(&folder)?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| {
            p.extension().is_some_and(|x| x == "sqlite")
                && !p
                    .file_name()
                    .is_some_and(|n| n.to_string_lossy().starts_with('.'))
        })
        .collect();
    found.sort();
    Ok(found)
}

/// Keeps the newest [`KEEP_NEWEST`] backups and, of the older ones, the newest of each hour.
pub fn prune_backups(file: &Path) -> Result<usize> {
    let all = list_backups(file)?;
    let older = all.len().saturating_sub(KEEP_NEWEST);
    let mut removed = 0;
    let hour = |p: &Path| -> String {
        p.file_name()
            .map(|n| n.to_string_lossy().chars().take(11).collect())
            .unwrap_or_default()
    };
    for (i, p) in all.iter().enumerate().take(older) {
        // Kept when it is the last of its hour among the older ones.
        let next_same_hour = all
            .get(i + 1)
            .is_some_and(|n| i + 1 < older && hour(n) == hour(p));
        if next_same_hour {
            std::fs::remove_file(p)?;
            removed += 1;
        }
    }
    Ok(removed)
}

/// Starts an automatic backup of the competition file `file` into `FILE.backups/`, on its own
/// thread with its own read-only connection; returns once the copy's snapshot is taken, so
/// changes made afterwards (the risky operation it guards) are not in it. The thread's result
/// is the backup's path; older backups are pruned afterwards.
pub fn start_rolling_backup(
    file: &Path,
    reason: &str,
) -> Result<std::thread::JoinHandle<Result<PathBuf>>> {
    let dest = rolling_path(file, reason)?;
    let source = file.to_path_buf();
    let (ready, snapshot) = std::sync::mpsc::channel::<Result<()>>();
    let handle = std::thread::spawn(move || -> Result<PathBuf> {
        let opened = (|| -> Result<Connection> {
            let conn = Connection::open_with_flags(
                &source,
                rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY
                    | rusqlite::OpenFlags::SQLITE_OPEN_NO_MUTEX,
            )?;
            conn.busy_timeout(std::time::Duration::from_secs(5))?;
            // Take the snapshot now: a read transaction that the copy then reads from.
            conn.execute_batch("BEGIN")?;
            conn.query_row("SELECT COUNT(*) FROM sqlite_master", [], |r| {
                r.get::<_, i64>(0)
            })?;
            Ok(conn)
        })();
        let conn = match opened {
            Ok(c) => {
                let _ = ready.send(Ok(()));
                c
            }
            Err(e) => {
                let text = e.to_string();
                let _ = ready.send(Err(StoreError::Io(text.clone())));
                return Err(StoreError::Io(text));
            }
        };
        copy_to(&conn, &source, &dest)?;
        drop(conn);
        prune_backups(&source)?;
        Ok(dest)
    });
    match snapshot.recv() {
        Ok(Ok(())) => Ok(handle),
        Ok(Err(e)) => Err(e),
        Err(_) => Err(StoreError::Io(
            "备份线程意外结束 (the backup thread stopped)".into(),
        )),
    }
}
