//! Long work off the UI thread: exports and previews run in a background thread that reports
//! progress; the window keeps drawing and polls for the result.

use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::thread::JoinHandle;

use crate::report::{self, Document, ExportJob, ExportSummary};

/// A running background task producing `T`.
pub struct Task<T> {
    handle: Option<JoinHandle<Result<T, String>>>,
    done: Arc<AtomicUsize>,
    total: Arc<AtomicUsize>,
    /// What it is, for the status line.
    pub label: String,
}

impl<T: Send + 'static> Task<T> {
    fn spawn(
        label: String,
        work: impl FnOnce(&(dyn Fn(usize, usize) + Sync)) -> Result<T, String> + Send + 'static,
    ) -> Self {
        let done = Arc::new(AtomicUsize::new(0));
        let total = Arc::new(AtomicUsize::new(0));
        let (d, t) = (done.clone(), total.clone());
        let handle = std::thread::spawn(move || {
            let progress = move |n: usize, of: usize| {
                d.store(n, Ordering::Relaxed);
                t.store(of, Ordering::Relaxed);
            };
            work(&progress)
        });
        Task {
            handle: Some(handle),
            done,
            total,
            label,
        }
    }

    /// Fraction done (0 when unknown).
    pub fn progress(&self) -> f32 {
        let total = self.total.load(Ordering::Relaxed);
        if total == 0 {
            0.0
        } else {
            self.done.load(Ordering::Relaxed) as f32 / total as f32
        }
    }

    /// The result once finished (taken once), else `None`.
    pub fn poll(&mut self) -> Option<Result<T, String>> {
        if self.handle.as_ref().is_some_and(|h| h.is_finished()) {
            let h = self.handle.take()?;
            Some(
                h.join().unwrap_or_else(|_| {
                    Err("后台任务意外中止 (the background task crashed)".into())
                }),
            )
        } else {
            None
        }
    }
}

/// Starts an export of `job` from the competition file into `out`.
pub fn start_export(job: ExportJob, store_path: PathBuf, out: PathBuf) -> Task<ExportSummary> {
    let label = out.display().to_string();
    Task::spawn(label, move |progress| {
        report::export(&job, &store_path, &out, progress).map_err(|e| e.to_string())
    })
}

/// Starts laying out the first page of `job` for the preview.
pub fn start_preview(job: ExportJob, store_path: PathBuf) -> Task<Option<Document>> {
    Task::spawn(String::new(), move |_| {
        report::preview_first_page(&job, &store_path).map_err(|e| e.to_string())
    })
}

/// Compares the file's tables with what its audit log recorded (the fast digest check), with a
/// read-only connection of its own: `true` when they differ.
pub fn start_tamper_check(store_path: PathBuf) -> Task<bool> {
    Task::spawn(String::new(), move |_| {
        crate::store::Store::open_with(&store_path, crate::store::Access::ReadOnly)
            .and_then(|s| s.fast_digest_check())
            .map(|found| found.is_some())
            .map_err(|e| e.to_string())
    })
}

/// Per event: (code and name, submitted, expected) over all groups, as `viewer` may see them —
/// the progress overview. Reads every sheet of the venue (a few tenths of a second at venue
/// size), so it runs here, with a read-only connection of its own, not on the window's thread.
pub fn start_progress_totals(
    store_path: PathBuf,
    events: Vec<crate::model::Event>,
    viewer: Option<String>,
) -> Task<Vec<(String, usize, usize)>> {
    Task::spawn(String::new(), move |_| {
        let store = crate::store::Store::open_with(&store_path, crate::store::Access::ReadOnly)
            .map_err(|e| e.to_string())?;
        let read = || -> crate::store::Result<_> {
            Ok((
                store.contestants()?,
                store.entries()?,
                store.judges()?,
                store.sheets(false)?,
                store.absences()?,
            ))
        };
        let (contestants, entries, judges, sheets, absences) = read().map_err(|e| e.to_string())?;
        let by_id: std::collections::HashMap<&str, &crate::model::Contestant> =
            contestants.iter().map(|c| (c.id.as_str(), c)).collect();
        Ok(events
            .iter()
            .map(|ev| {
                let rows: Vec<(&crate::model::Contestant, String)> = entries
                    .iter()
                    .filter(|e| e.event == ev.code)
                    .filter_map(|entry| {
                        let c = by_id.get(entry.contestant.as_str())?;
                        Some((*c, entry.anon_code.clone().unwrap_or_else(|| c.id.clone())))
                    })
                    .collect();
                let m = crate::scoring::progress::build_for(
                    ev,
                    &judges,
                    &rows,
                    &sheets,
                    &absences,
                    viewer.as_deref(),
                );
                (format!("{} {}", ev.code, ev.name), m.submitted, m.expected)
            })
            .collect())
    })
}

pub use crate::commands::pins::NewPins;

/// Makes new PINs for `judges` (id, name) and hashes them on every core (Argon2 is slow on
/// purpose); the result pairs the slips to hand out with the hashes to store.
pub fn start_pin_hashing(judges: Vec<(String, String)>) -> Task<NewPins> {
    Task::spawn(String::new(), move |progress| {
        crate::commands::pins::make_pins(&judges, &progress).map_err(|e| e.to_string())
    })
}

/// Builds the demo competition at `path` (as `scoredesk demo` does) and returns the path.
pub fn start_demo(path: PathBuf) -> Task<PathBuf> {
    Task::spawn(String::new(), move |_| {
        crate::commands::build_demo(&path, 300, 2025)
            .map(|_| path)
            .map_err(|e| e.to_string())
    })
}
