//! Everything a printout needs, read from the competition file in one go.

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

use crate::model::{CompetitionSetup, Contestant, Event, Judge, Sheet};
use crate::scoring::{self, EventResults, GroupTable, Results};
use crate::store::{Entry, Store};

use super::ReportError;
use super::layout::Furniture;

/// The key under which the certificate template (TOML) is kept in the competition file.
pub const TEMPLATE_META_KEY: &str = "certificate_template";

/// What the printouts are made from.
#[derive(Clone, Debug)]
pub struct ReportData {
    pub setup: CompetitionSetup,
    pub results: Results,
    pub contestants: Vec<Contestant>,
    pub judges: Vec<Judge>,
    /// Entries with draw order and anonymous codes, in event order then draw order.
    pub entries: Vec<Entry>,
    /// Sheets with criterion scores (loaded only for judge sheets).
    pub sheets: Vec<Sheet>,
    pub draw_seeds: BTreeMap<String, u64>,
    pub audit_head: String,
    /// The organiser's settings for papers (sign-off names, the public notice).
    pub papers: crate::model::Papers,
    /// Recorded penalties (扣分), whose reasons the result sheets print.
    pub penalties: Vec<crate::model::Penalty>,
    /// The year the file was created (from the first audit entry).
    pub created_year: Option<i32>,
    /// When the last score was submitted (RFC 3339): the certificate date when the
    /// competition's dates are not set.
    pub last_submitted: Option<String>,
    /// The certificate template stored in the file, if any.
    pub template: Option<String>,
    /// The competition file's folder (relative image paths are resolved against it).
    pub base_dir: PathBuf,
    contestant_index: HashMap<String, usize>,
    /// (event, contestant, judge) → the counted sheet in `sheets` (judge sheets look up every
    /// row: 4,773 pages at venue size took 97 s scanning the list).
    counted_index: HashMap<(String, String, String), usize>,
}

impl ReportData {
    /// Loads from an open store; `with_sheets` also loads every sheet's criterion scores.
    pub fn load(store: &Store, with_sheets: bool) -> Result<ReportData, ReportError> {
        let input = store.scoring_input()?;
        let results = scoring::compute(&input);
        let entries = store.entries()?;
        let mut draw_seeds = BTreeMap::new();
        for e in &input.setup.events {
            if let Some(s) = store.draw_seed(&e.code)? {
                draw_seeds.insert(e.code.clone(), s);
            }
        }
        let created_year = store
            .first_audit_at()?
            .and_then(|at| at.get(..4)?.parse().ok());
        let sheets = if with_sheets {
            store.sheets(true)?
        } else {
            Vec::new()
        };
        let base_dir = store
            .path()
            .parent()
            .map(Path::to_path_buf)
            .unwrap_or_default();
        let mut counted_index = HashMap::new();
        for (i, s) in sheets.iter().enumerate().filter(|(_, s)| s.status.counts()) {
            counted_index
                .entry((s.event.clone(), s.contestant.clone(), s.judge.clone()))
                .or_insert(i);
        }
        let contestant_index = input
            .contestants
            .iter()
            .enumerate()
            .map(|(i, c)| (c.id.clone(), i))
            .collect();
        Ok(ReportData {
            audit_head: store.audit_head()?,
            papers: store.papers()?,
            penalties: input.penalties.clone(),
            template: store.meta(TEMPLATE_META_KEY)?,
            setup: input.setup,
            results,
            contestants: input.contestants,
            judges: input.judges,
            entries,
            sheets,
            draw_seeds,
            created_year,
            last_submitted: store.last_submitted_at()?,
            base_dir,
            contestant_index,
            counted_index,
        })
    }

    /// The reasons of the penalties recorded for a contestant in an event ("超时" …).
    pub fn penalty_reasons(&self, event: &str, contestant: &str) -> Vec<&str> {
        self.penalties
            .iter()
            .filter(|p| p.event == event && p.contestant == contestant)
            .map(|p| p.reason.as_str())
            .collect()
    }

    /// The counted (submitted or confirmed) sheet of `judge` for `contestant` in `event`
    /// (loaded only `with_sheets`).
    pub fn counted_sheet(&self, event: &str, contestant: &str, judge: &str) -> Option<&Sheet> {
        let key = (event.to_string(), contestant.to_string(), judge.to_string());
        self.counted_index
            .get(&key)
            .and_then(|i| self.sheets.get(*i))
    }

    pub fn contestant(&self, id: &str) -> Option<&Contestant> {
        self.contestant_index
            .get(id)
            .and_then(|i| self.contestants.get(*i))
    }

    pub fn furniture(&self, now_unix: i64) -> Furniture {
        Furniture {
            title: self.setup.competition.title.clone(),
            generated: crate::clock::beijing_minutes(now_unix),
            audit_head: self.audit_head.clone(),
        }
    }

    /// An event by code or name (trimmed).
    pub fn find_event(&self, code_or_name: &str) -> Option<&Event> {
        let w = code_or_name.trim();
        self.setup
            .events
            .iter()
            .find(|e| e.code.eq_ignore_ascii_case(w) || e.name == w)
    }

    /// The judges on an event's panel, by id.
    pub fn panel(&self, event: &str) -> Vec<&Judge> {
        let mut p: Vec<&Judge> = self
            .judges
            .iter()
            .filter(|j| j.events.iter().any(|e| e == event))
            .collect();
        p.sort_by(|a, b| a.id.cmp(&b.id));
        p
    }

    /// The event's results.
    pub fn event_results(&self, code: &str) -> Option<&EventResults> {
        self.results.events.iter().find(|e| e.code == code)
    }

    /// Every group name, in results order (stage, then subject).
    pub fn group_order(&self) -> Vec<String> {
        let mut seen: Vec<String> = Vec::new();
        let push = |g: &str, seen: &mut Vec<String>| {
            if !seen.iter().any(|s| s == g) {
                seen.push(g.to_string());
            }
        };
        for g in &self.results.overall.groups {
            push(&g.group, &mut seen);
        }
        for e in &self.results.events {
            for g in &e.groups {
                push(&g.group, &mut seen);
            }
        }
        seen
    }
}

/// Keeps only the group `wanted` (when given); an unknown group is an error naming the known ones.
pub fn pick_groups<'a, E>(
    groups: &'a [GroupTable<E>],
    wanted: Option<&str>,
    all_groups: &[String],
) -> Result<Vec<&'a GroupTable<E>>, ReportError> {
    match wanted.map(str::trim) {
        None | Some("") => Ok(groups.iter().collect()),
        Some(w) => {
            if !all_groups.iter().any(|g| g == w) {
                return Err(ReportError::Usage(format!(
                    "没有组别「{w}」；现有组别：{} (no such group)",
                    all_groups.join("、")
                )));
            }
            Ok(groups.iter().filter(|g| g.group == w).collect())
        }
    }
}
