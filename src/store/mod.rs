//! The competition file: one SQLite database per competition. The only code that speaks SQL.
//!
//! Opening sets WAL and `synchronous=FULL`, turns foreign keys on, checks the file is a
//! ScoreDesk file of a version this program understands, migrates older files, runs a quick
//! integrity check, and takes an exclusive lock (a `FILE.lock` beside it) so two ScoreDesk
//! windows never write the same file. Every change is one transaction.

pub mod audit;
mod backup;
pub mod check;
pub mod digest;
mod error;
pub mod migrate;
mod paper;
mod people;
mod phone;
mod setup;
mod sheets;
mod sync;

use std::fs::{File, OpenOptions};
use std::io::Write;
use std::path::{Path, PathBuf};

use rusqlite::{Connection, OpenFlags};

pub use backup::{backups_folder, list_backups, prune_backups, start_rolling_backup};
pub use error::{Result, StoreError};
pub use paper::PaperEntry;
pub use people::{DrawRecord, Entry, PanelAssignment};
pub use sheets::SheetKey;
pub use sync::{Conflict, KitData, MergeWrite, PacketRecord};

/// How a file is opened.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Access {
    /// Reads and writes; holds the exclusive lock.
    ReadWrite,
    /// Reads only; no lock (several readers may look while one window writes).
    ReadOnly,
}

/// An open competition file.
pub struct Store {
    conn: Connection,
    path: PathBuf,
    access: Access,
    /// Held for as long as the store is open (released on drop). The lock file itself stays:
    /// deleting it could let two processes lock two different files of the same name.
    _lock: Option<File>,
}

impl std::fmt::Debug for Store {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Store")
            .field("path", &self.path)
            .field("access", &self.access)
            .finish()
    }
}

fn lock_path(path: &Path) -> PathBuf {
    let mut s = path.as_os_str().to_owned();
    s.push(".lock");
    PathBuf::from(s)
}

fn is_permission_error(e: &std::io::Error) -> bool {
    matches!(
        e.kind(),
        std::io::ErrorKind::PermissionDenied | std::io::ErrorKind::ReadOnlyFilesystem
    )
}

/// Takes the exclusive writer lock beside `path`.
fn take_lock(path: &Path) -> Result<File> {
    let lock = lock_path(path);
    let file = OpenOptions::new()
        .read(true)
        .write(true)
        .create(true)
        .truncate(false)
        .open(&lock)
        .map_err(|e| {
            if is_permission_error(&e) {
                StoreError::ReadOnly {
                    path: path.to_path_buf(),
                }
            } else {
                StoreError::Io(format!("{}: {e}", lock.display()))
            }
        })?;
    match file.try_lock() {
        Ok(()) => {
            let mut f = &file;
            let _ = f.set_len(0);
            let _ = write!(f, "{}", std::process::id());
            Ok(file)
        }
        Err(std::fs::TryLockError::WouldBlock) => {
            let holder = std::fs::read_to_string(&lock)
                .ok()
                .map(|pid| pid.trim().to_string())
                .filter(|pid| !pid.is_empty())
                .map(|pid| format!("（进程 {pid}）"))
                .unwrap_or_default();
            Err(StoreError::AlreadyOpen {
                path: path.to_path_buf(),
                holder,
            })
        }
        Err(std::fs::TryLockError::Error(e)) => Err(StoreError::Io(e.to_string())),
    }
}

/// Checks, read-only and changing nothing, that `path` is a ScoreDesk file of a version this
/// program can open.
fn identify(path: &Path) -> Result<()> {
    let conn = Connection::open_with_flags(
        path,
        OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )
    .map_err(|e| classify_open_error(path, e))?;
    let app_id: i64 = conn
        .pragma_query_value(None, "application_id", |r| r.get(0))
        .map_err(|e| classify_open_error(path, e))?;
    if app_id != migrate::APPLICATION_ID {
        return Err(StoreError::NotScoreDesk(path.to_path_buf()));
    }
    Ok(())
}

/// Whether the folder holding `path` accepts new files (WAL needs `-wal` and `-shm` beside it).
fn folder_writable(path: &Path) -> bool {
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let probe = dir.join(format!(".scoredesk-probe-{}", std::process::id()));
    match File::create(&probe) {
        Ok(_) => {
            let _ = std::fs::remove_file(&probe);
            true
        }
        Err(_) => false,
    }
}

fn classify_open_error(path: &Path, e: rusqlite::Error) -> StoreError {
    use rusqlite::ffi::ErrorCode;
    match &e {
        rusqlite::Error::SqliteFailure(f, _) => match f.code {
            ErrorCode::NotADatabase => StoreError::NotScoreDesk(path.to_path_buf()),
            ErrorCode::DatabaseCorrupt => StoreError::Corrupt {
                path: path.to_path_buf(),
                detail: e.to_string(),
            },
            ErrorCode::ReadOnly | ErrorCode::CannotOpen | ErrorCode::PermissionDenied => {
                StoreError::ReadOnly {
                    path: path.to_path_buf(),
                }
            }
            ErrorCode::DatabaseBusy | ErrorCode::DatabaseLocked => StoreError::Busy {
                path: Some(path.to_path_buf()),
            },
            _ => StoreError::from(e),
        },
        _ => StoreError::from(e),
    }
}

fn configure(conn: &Connection, access: Access) -> rusqlite::Result<()> {
    conn.busy_timeout(std::time::Duration::from_secs(3))?;
    if access == Access::ReadWrite {
        conn.pragma_update(None, "journal_mode", "WAL")?;
    }
    conn.pragma_update(None, "synchronous", "FULL")?;
    conn.pragma_update(None, "foreign_keys", "ON")?;
    Ok(())
}

/// Prepares a writing connection to keep the state digest: the temporary triggers that note
/// which rows each transaction touches (see [`digest`]).
fn arm(conn: &Connection) -> Result<()> {
    digest::install_touched(conn)?;
    digest::install_triggers(conn)?;
    Ok(())
}

impl Store {
    /// Creates a new, empty competition file (schema only). Refuses to overwrite.
    pub fn create(path: &Path) -> Result<Store> {
        if path.exists() {
            return Err(StoreError::AlreadyExists(path.to_path_buf()));
        }
        if !folder_writable(path) {
            return Err(StoreError::ReadOnly {
                path: path.to_path_buf(),
            });
        }
        let lock = take_lock(path)?;
        let mut conn = Connection::open(path).map_err(|e| classify_open_error(path, e))?;
        configure(&conn, Access::ReadWrite).map_err(|e| classify_open_error(path, e))?;
        if let Err(e) = migrate::create(&mut conn).and_then(|()| arm(&conn)) {
            drop(conn);
            let _ = std::fs::remove_file(path);
            return Err(e);
        }
        Ok(Store {
            conn,
            path: path.to_path_buf(),
            access: Access::ReadWrite,
            _lock: Some(lock),
        })
    }

    /// Opens an existing competition file for reading and writing.
    pub fn open(path: &Path) -> Result<Store> {
        Store::open_with(path, Access::ReadWrite)
    }

    /// A second writing connection to a file this process already holds open for writing
    /// (its lock is held by `holder`): the venue server's merger thread writes beside the
    /// window. SQLite serialises the two writers; the lock still keeps other processes out.
    pub fn second_writer(holder: &Store) -> Result<Store> {
        holder.require_write()?;
        let path = holder.path.clone();
        let conn = Connection::open_with_flags(
            &path,
            OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )
        .map_err(|e| classify_open_error(&path, e))?;
        configure(&conn, Access::ReadWrite).map_err(|e| classify_open_error(&path, e))?;
        conn.busy_timeout(std::time::Duration::from_secs(10))?;
        arm(&conn)?;
        Ok(Store {
            conn,
            path,
            access: Access::ReadWrite,
            _lock: None,
        })
    }

    /// Opens an existing competition file.
    pub fn open_with(path: &Path, access: Access) -> Result<Store> {
        if !path.exists() {
            return Err(StoreError::NotFound(path.to_path_buf()));
        }
        if path.is_dir() {
            return Err(StoreError::NotScoreDesk(path.to_path_buf()));
        }
        // An empty or tiny file would be silently turned into a new database by SQLite.
        if std::fs::metadata(path)?.len() < 512 {
            return Err(StoreError::NotScoreDesk(path.to_path_buf()));
        }
        // Identify the file before changing anything about it (no lock file, no WAL switch on
        // someone else's SQLite database).
        if access == Access::ReadWrite {
            identify(path)?;
        }
        let lock = match access {
            Access::ReadWrite => {
                let readonly_file = std::fs::metadata(path)
                    .map(|m| m.permissions().readonly())
                    .unwrap_or(false);
                if readonly_file {
                    return Err(StoreError::ReadOnlyFile {
                        path: path.to_path_buf(),
                    });
                }
                if !folder_writable(path) {
                    return Err(StoreError::ReadOnly {
                        path: path.to_path_buf(),
                    });
                }
                Some(take_lock(path)?)
            }
            Access::ReadOnly => None,
        };
        // An empty or tiny file would be silently turned into a new database by SQLite.
        let len = std::fs::metadata(path)?.len();
        if len < 512 {
            return Err(StoreError::NotScoreDesk(path.to_path_buf()));
        }
        let flags = match access {
            Access::ReadWrite => {
                OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX
            }
            Access::ReadOnly => OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        };
        let mut conn =
            Connection::open_with_flags(path, flags).map_err(|e| classify_open_error(path, e))?;
        configure(&conn, access).map_err(|e| classify_open_error(path, e))?;
        let app_id: i64 = conn
            .pragma_query_value(None, "application_id", |r| r.get(0))
            .map_err(|e| classify_open_error(path, e))?;
        if app_id != migrate::APPLICATION_ID {
            return Err(StoreError::NotScoreDesk(path.to_path_buf()));
        }
        let version: i64 = conn
            .pragma_query_value(None, "user_version", |r| r.get(0))
            .map_err(|e| classify_open_error(path, e))?;
        if version > migrate::SCHEMA_VERSION {
            return Err(StoreError::TooNew {
                path: path.to_path_buf(),
                found: version,
                supported: migrate::SCHEMA_VERSION,
            });
        }
        // A writer checks the file before changing it; a reader (results, exports) does not
        // need to — a damaged page is an error when it is read, and `check` runs the full one.
        let check: String = if access == Access::ReadWrite {
            conn.query_row("PRAGMA quick_check(1)", [], |r| r.get(0))
                .map_err(|e| classify_open_error(path, e))?
        } else {
            "ok".to_string()
        };
        if check != "ok" {
            return Err(StoreError::Corrupt {
                path: path.to_path_buf(),
                detail: check,
            });
        }
        if version < migrate::SCHEMA_VERSION {
            if access == Access::ReadOnly {
                return Err(StoreError::Rule(format!(
                    "{} 需要升级到新版本格式，请以可写方式打开一次 (the file needs an upgrade; open it with write access once)",
                    path.display()
                )));
            }
            migrate::upgrade(&mut conn, version)?;
        }
        if access == Access::ReadWrite {
            arm(&conn)?;
        }
        Ok(Store {
            conn,
            path: path.to_path_buf(),
            access,
            _lock: lock,
        })
    }

    /// The file this store reads and writes.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The schema version recorded in the file.
    pub fn schema_version(&self) -> Result<i64> {
        Ok(self
            .conn
            .pragma_query_value(None, "user_version", |r| r.get(0))?)
    }

    /// `PRAGMA integrity_check` — "ok" for a sound file.
    pub fn integrity_check(&self) -> Result<String> {
        Ok(self
            .conn
            .query_row("PRAGMA integrity_check", [], |r| r.get(0))?)
    }

    /// The head of the audit chain (printed on every page).
    pub fn audit_head(&self) -> Result<String> {
        audit::head(&self.conn)
    }

    /// When the audit log's first entry was written (the file's creation).
    pub fn first_audit_at(&self) -> Result<Option<String>> {
        audit::first_at(&self.conn)
    }

    /// The whole audit log, oldest first.
    pub fn audit_entries(&self) -> Result<Vec<audit::AuditEntry>> {
        audit::entries(&self.conn)
    }

    /// `None` when the audit chain is intact, else the first entry that does not match.
    pub fn audit_verify(&self) -> Result<Option<i64>> {
        audit::verify(&self.conn)
    }

    /// Copies the whole file to `dest` with SQLite's online backup (safe while open elsewhere).
    /// Never overwrites: `dest` must not exist, nor `-wal`/`-shm`/`-journal` files beside it
    /// (a stale WAL would be read into the copy). The copy is built in a `.partial` file beside
    /// `dest`, synced, then put in place and the folder synced; on any failure the `.partial`
    /// is removed and nothing else is touched.
    pub fn backup_to(&self, dest: &Path) -> Result<()> {
        backup::copy_to(&self.conn, &self.path, dest)
    }

    /// Closes the file but keeps its writer lock (returned; released when dropped): for
    /// replacing the file itself (a restore) with no other window able to open it meanwhile.
    pub fn close_keeping_lock(self) -> Result<Option<File>> {
        let Store { conn, _lock, .. } = self;
        conn.close().map_err(|(_, e)| StoreError::from(e))?;
        Ok(_lock)
    }

    /// Appends an audit entry that records an event about the file itself (a restore).
    pub fn note(&mut self, action: &str, detail: &str, actor: &str) -> Result<()> {
        self.require_write()?;
        let tx = self
            .conn
            .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        audit::append(&tx, actor, action, detail)?;
        tx.commit()?;
        Ok(())
    }

    /// Moves committed changes from the WAL into the main file (passive: never blocks readers),
    /// so a copy of the `.sqlite` file alone, taken while the window is open, is up to date.
    pub fn checkpoint(&self) -> Result<()> {
        if self.access == Access::ReadWrite {
            self.conn
                .query_row("PRAGMA wal_checkpoint(PASSIVE)", [], |_| Ok(()))?;
        }
        Ok(())
    }

    /// Moves everything from the WAL into the main file and empties the WAL (used before a
    /// finished new file is put in place).
    pub fn checkpoint_full(&self) -> Result<()> {
        if self.access == Access::ReadWrite {
            self.conn
                .query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(()))?;
        }
        Ok(())
    }

    /// A meta value.
    pub fn meta(&self, key: &str) -> Result<Option<String>> {
        use rusqlite::OptionalExtension;
        Ok(self
            .conn
            .query_row("SELECT value FROM meta WHERE key = ?1", [key], |r| r.get(0))
            .optional()?)
    }

    /// Sets a meta value (one transaction, audited).
    pub fn set_meta(&mut self, key: &str, value: &str, actor: &str) -> Result<()> {
        let tx = self
            .conn
            .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        tx.execute(
            "INSERT INTO meta (key, value) VALUES (?1, ?2) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
            [key, value],
        )?;
        audit::append(&tx, actor, "set-meta", key)?;
        tx.commit()?;
        Ok(())
    }

    fn require_write(&self) -> Result<()> {
        match self.access {
            Access::ReadWrite => Ok(()),
            Access::ReadOnly => Err(StoreError::Rule(
                "文件以只读方式打开，不能修改 (opened read-only)".into(),
            )),
        }
    }
}
