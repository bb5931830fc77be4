//! Making a new competition file — from a template, or the demo — built completely in a
//! temporary file beside the target and put in place only when complete, so a kill, a full
//! disk or a bad template leaves nothing behind (no half-made file, no lock, no PIN-less file).

use std::path::{Path, PathBuf};

use super::error::{CommandError, CommandResult};
use super::pins;
use super::rules::draw_order;
use super::{DEMO_FLAG, DEMO_JUDGE_PIN, DEMO_ORGANISER_PIN, ORGANISER, ORGANISER_PIN};
use crate::model::CompetitionSetup;
use crate::store::{DrawRecord, Store, StoreError};
use crate::{demo, durable, pin, template};

/// The temporary file a new competition is built in (same folder, hidden name).
fn building_path(path: &Path) -> PathBuf {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "competition".into());
    let tmp = format!(".{name}.{}.building", std::process::id());
    match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.join(tmp),
        _ => PathBuf::from(tmp),
    }
}

fn with_suffix(path: &Path, suffix: &str) -> PathBuf {
    let mut s = path.as_os_str().to_owned();
    s.push(suffix);
    PathBuf::from(s)
}

/// Removes a temporary database and everything SQLite and the lock left beside it.
fn remove_building(tmp: &Path) {
    for suffix in ["", "-wal", "-shm", "-journal", ".lock"] {
        let _ = std::fs::remove_file(with_suffix(tmp, suffix));
    }
}

/// Builds a new file at `path` with `fill`, atomically (nothing is left beside it: no lock,
/// no WAL). Open it afterwards to use it.
pub(super) fn build_new(
    path: &Path,
    fill: impl FnOnce(&mut Store) -> CommandResult<()>,
) -> CommandResult<()> {
    if std::fs::symlink_metadata(path).is_ok() {
        return Err(StoreError::AlreadyExists(path.to_path_buf()).into());
    }
    let tmp = building_path(path);
    remove_building(&tmp);
    let built = (|| -> CommandResult<()> {
        let mut store = Store::create(&tmp).map_err(|e| match e {
            // Name the user's file, not our temporary one.
            StoreError::ReadOnly { .. } => StoreError::ReadOnly {
                path: path.to_path_buf(),
            },
            other => other,
        })?;
        fill(&mut store)?;
        store.checkpoint_full()?;
        drop(store);
        durable::place_new(&tmp, path).map_err(|e| {
            if e.kind() == std::io::ErrorKind::AlreadyExists {
                CommandError::Store(StoreError::AlreadyExists(path.to_path_buf()))
            } else {
                CommandError::Store(StoreError::from(e))
            }
        })
    })();
    remove_building(&tmp);
    built
}

/// Creates a competition file from a template (`second`, `first` or a TOML path), with the
/// organiser's PIN (at least six digits) set.
pub fn new_competition(
    path: &Path,
    template_name: &str,
    title: Option<&str>,
    organiser_pin: &str,
) -> CommandResult<Store> {
    let mut setup = template::load(template_name)?;
    if let Some(t) = title.map(str::trim).filter(|t| !t.is_empty()) {
        setup.competition.title = t.to_string();
    }
    let hash = pins::organiser_pin_hash(organiser_pin)?;
    create_with_setup(path, &setup, &hash)
}

/// Creates a competition file holding `setup`, with this organiser PIN hash.
pub fn create_with_setup(
    path: &Path,
    setup: &CompetitionSetup,
    organiser_pin_hash: &str,
) -> CommandResult<Store> {
    build_new(path, |store| {
        store.init_setup(setup, ORGANISER)?;
        store.set_meta(ORGANISER_PIN, organiser_pin_hash, ORGANISER)?;
        Ok(())
    })?;
    Ok(Store::open(path)?)
}

/// Builds the demo competition in a new file: the second-edition template, `contestants`
/// contestants, drawn, scored, with the documented PINs.
pub fn build_demo(path: &Path, contestants: usize, seed: u64) -> CommandResult<Store> {
    if contestants == 0 {
        return Err(CommandError::Usage(
            "演示比赛至少需要 1 名选手 (--contestants must be at least 1)".into(),
        ));
    }
    let mut setup = template::load("second")?;
    setup.competition.dates = "2025年11月15日—16日".into();
    setup.competition.venue = "吕梁市教育局教研室".into();
    let data = demo::generate(&setup, contestants, seed);
    let organiser = pins::organiser_pin_hash(DEMO_ORGANISER_PIN)?;
    // One hash shared by every demo judge: the demo PIN is public anyway.
    let judge_hash = pin::hash(DEMO_JUDGE_PIN).map_err(CommandError::Invalid)?;
    build_new(path, |store| {
        store.init_setup(&setup, ORGANISER)?;
        store.set_meta(ORGANISER_PIN, &organiser, ORGANISER)?;
        store.add_contestants(&data.contestants, ORGANISER)?;
        let hashes: Vec<(String, String)> = data
            .judges
            .iter()
            .map(|j| (j.id.clone(), judge_hash.clone()))
            .collect();
        store.add_judges(&data.judges, &hashes, ORGANISER)?;
        let draws: Vec<DrawRecord> = data
            .draws
            .iter()
            .map(|(event, seed, places)| (event.clone(), *seed, draw_order(places)))
            .collect();
        store.record_draws(&draws, None, ORGANISER)?;
        store.insert_sheets(&data.sheets, ORGANISER, "demo-scores")?;
        for p in &data.penalties {
            store.add_penalty(p, ORGANISER)?;
        }
        // The first judge of 课堂教学 is the demo's head judge.
        if let Some(head) = data
            .judges
            .iter()
            .find(|j| j.events.iter().any(|e| e == "E05"))
        {
            store.set_head_judge(&head.id, true, ORGANISER)?;
        }
        store.set_meta(DEMO_FLAG, "1", ORGANISER)?;
        Ok(())
    })?;
    Ok(Store::open(path)?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_failed_new_leaves_nothing_behind() {
        let dir = tempfile::tempdir().expect("dir");
        let path = dir.path().join("c.sqlite");
        // A PIN that breaks the rule: refused before anything is written.
        let e = new_competition(&path, "second", None, "12").expect_err("short PIN");
        assert!(matches!(e, CommandError::Invalid(_)), "{e}");
        // A template that does not exist.
        let e = new_competition(&path, "no-such-template", None, "123456").expect_err("template");
        assert!(matches!(e, CommandError::Template(_)), "{e}");
        let left: Vec<_> = std::fs::read_dir(dir.path()).expect("list").collect();
        assert!(left.is_empty(), "{left:?}");
        // A good one leaves exactly the file (and its lock while open).
        let store = new_competition(&path, "second", None, "123456").expect("new");
        assert!(store.meta(ORGANISER_PIN).expect("meta").is_some());
        drop(store);
        let mut names: Vec<String> = std::fs::read_dir(dir.path())
            .expect("list")
            .filter_map(|e| e.ok())
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        assert_eq!(names, ["c.sqlite", "c.sqlite.lock"]);
        // Never over an existing file.
        let e = new_competition(&path, "second", None, "123456").expect_err("exists");
        assert!(
            matches!(e, CommandError::Store(StoreError::AlreadyExists(_))),
            "{e}"
        );
    }
}
