//! The open competition file and what the screens read from it: the tables, the session, the
//! results (computed once per change), and — per file — the judge station's state, the
//! automatic backups, the venue server and the station's sender.

use std::collections::HashSet;
use std::path::{Path, PathBuf};

use super::{AppError, DEMO_FLAG, Session};
use crate::commands;
use crate::model::{CompetitionSetup, Contestant, Event, Judge};
use crate::scoring::{self, Results};
use crate::store::{Entry, Store, StoreError};

/// A judge station: a judge kit is open (SPEC §6). Only that judge logs in, only the scoring
/// screen is shown, and every submit writes the judge's packet into `packet_dir`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Station {
    pub judge: String,
    /// Where packets go (a USB stick): set by the judge, else the kit's own folder.
    pub packet_dir: PathBuf,
    /// The last packet written: (file, sequence number, submitted sheets in it).
    pub last: Option<(PathBuf, u64, usize)>,
    /// Why the last packet could not be written (shown until one is written).
    pub error: Option<String>,
}

/// How often an open file is backed up automatically.
pub const BACKUP_EVERY: std::time::Duration = std::time::Duration::from_secs(10 * 60);

/// The automatic backups of the open file: made by a thread with its own connection (never on
/// the UI thread) into `FILE.backups/`, keeping the newest 20 and one per hour before them.
#[derive(Default)]
pub struct Backups {
    /// When the last one was started (the first is due 10 minutes after opening).
    pub started: Option<std::time::Instant>,
    pub(super) running: Vec<std::thread::JoinHandle<Result<PathBuf, StoreError>>>,
    /// The last one finished, or why it failed.
    pub last: Option<Result<PathBuf, String>>,
}

impl Backups {
    /// Whether a backup is being written.
    pub fn busy(&self) -> bool {
        !self.running.is_empty()
    }
}

/// An open competition file and what the screens read from it.
pub struct Workspace {
    pub store: Store,
    pub setup: CompetitionSetup,
    pub contestants: Vec<Contestant>,
    pub judges: Vec<Judge>,
    pub entries: Vec<Entry>,
    pub head_judges: HashSet<String>,
    pub session: Option<Session>,
    /// Set when the file is a judge kit.
    pub station: Option<Station>,
    /// Automatic backups of this file (every 10 minutes and before risky operations).
    pub backups: Backups,
    /// Station mode on the venue network: sends each new packet to the master.
    pub sender: Option<crate::net::client::Sender>,
    /// The master serving the venue network (开启现场网络), and how many merges it has done.
    pub server: Option<crate::net::server::Server>,
    pub(super) seen_merges: u64,
    /// Computed on demand and dropped after every change.
    pub(super) results: Option<Results>,
    /// Bumped after every change, so screens know to re-read.
    pub generation: u64,
    /// The tables no longer match what the audit log recorded (checked when the file opens,
    /// on another thread): the window shows a warning until it is closed.
    pub tampered: bool,
    /// That check, while it runs.
    tamper_check: Option<super::task::Task<bool>>,
    /// The organiser's seal key while the organiser is logged in (sealed at login, logout and
    /// close).
    pub(super) seal_key: Option<[u8; 32]>,
}

impl Workspace {
    pub(super) fn load(store: Store) -> Result<Workspace, AppError> {
        let mut ws = Workspace {
            setup: store.setup()?,
            contestants: Vec::new(),
            judges: Vec::new(),
            entries: Vec::new(),
            head_judges: HashSet::new(),
            station: None,
            backups: Backups::default(),
            sender: None,
            server: None,
            seen_merges: 0,
            store,
            session: None,
            results: None,
            generation: 0,
            tampered: false,
            tamper_check: None,
            seal_key: None,
        };
        ws.tamper_check = Some(super::task::start_tamper_check(
            ws.store.path().to_path_buf(),
        ));
        if commands::kits::is_kit(&ws.store)
            && let Some(judge) = commands::kits::kit_judge(&ws.store)?
        {
            let kit_folder = ws
                .store
                .path()
                .parent()
                .map(Path::to_path_buf)
                .unwrap_or_default();
            let packet_dir = ws
                .store
                .meta(commands::packets::PACKET_DIR)?
                .map(PathBuf::from)
                .unwrap_or(kit_folder);
            ws.station = Some(Station {
                judge,
                packet_dir,
                last: None,
                error: None,
            });
            if let Some(master) = ws.store.meta(commands::kits::MASTER_ADDRESS)?
                && !master.trim().is_empty()
            {
                ws.sender = Some(crate::net::client::Sender::start(master));
            }
        }
        ws.reload()?;
        Ok(ws)
    }

    /// Takes the result of the tamper check when it has finished: `Some(Err)` for a failed read
    /// (to be told), `None` while it runs or once it was taken.
    pub fn poll_tamper_check(&mut self) -> Option<Result<(), String>> {
        let result = self.tamper_check.as_mut()?.poll()?;
        self.tamper_check = None;
        match result {
            Ok(found) => {
                self.tampered = found;
                Some(Ok(()))
            }
            Err(e) => Some(Err(e)),
        }
    }

    /// Whether the tamper check is still running (the window repaints until it is done).
    pub fn tamper_check_running(&self) -> bool {
        self.tamper_check.is_some()
    }

    /// Seals the audit chain's newest entry when the organiser's key is held (封记).
    pub(super) fn seal_now(&mut self) -> Result<(), AppError> {
        if let Some(key) = self.seal_key {
            commands::seal(&mut self.store, &key)?;
        }
        Ok(())
    }

    /// Re-reads the tables after a change (and checkpoints the file).
    pub fn reload(&mut self) -> Result<(), AppError> {
        self.store.checkpoint()?;
        self.setup = self.store.setup()?;
        self.contestants = self.store.contestants()?;
        self.judges = self.store.judges()?;
        self.entries = self.store.entries()?;
        self.head_judges = self.store.head_judges()?;
        self.results = None;
        self.generation += 1;
        Ok(())
    }

    /// All results, computed once per change.
    pub fn results(&mut self) -> Result<&Results, AppError> {
        if self.results.is_none() {
            let input = self.store.scoring_input()?;
            self.results = Some(scoring::compute(&input));
        }
        self.results
            .as_ref()
            .ok_or_else(|| AppError::Invalid("results unavailable".into()))
    }

    pub fn event(&self, code: &str) -> Option<&Event> {
        self.setup.events.iter().find(|e| e.code == code)
    }

    pub fn contestant(&self, id: &str) -> Option<&Contestant> {
        self.contestants.iter().find(|c| c.id == id)
    }

    pub fn judge(&self, id: &str) -> Option<&Judge> {
        self.judges.iter().find(|j| j.id == id)
    }

    /// Whether this is the built-in demo (its PINs are shown on the login screen).
    pub fn is_demo(&self) -> bool {
        self.store.meta(DEMO_FLAG).ok().flatten().is_some()
    }

    /// The file's name for the title bar.
    pub fn file_name(&self) -> String {
        self.store
            .path()
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default()
    }
}
