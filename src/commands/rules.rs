//! The competition's rules: an event's rubric and scoring rule, the award rules, the
//! certificate template, and the draw (抽签) — each validated like the TOML templates before
//! one transaction writes it.

use super::error::{CommandError, CommandResult, Confirm};
use crate::draw::{self, DrawnPlace};
use crate::model::{Awards, Event};
use crate::report;
use crate::store::{DrawRecord, Store};
use crate::template;

/// One event's rules and rubric replaced; once it has sheets the change needs `force`.
pub(super) fn update_event(
    store: &mut Store,
    event: &Event,
    force: bool,
    actor: &str,
) -> CommandResult<()> {
    let mut setup = store.setup()?;
    match setup.events.iter_mut().find(|e| e.code == event.code) {
        Some(slot) => *slot = event.clone(),
        None => {
            return Err(CommandError::Invalid(format!(
                "没有项目 {} (no such event)",
                event.code
            )));
        }
    }
    template::validate(&setup, "").map_err(|e| CommandError::Invalid(e.for_form()))?;
    let sheets = store.event_sheet_count(&event.code)?;
    if sheets > 0 && !force {
        return Err(CommandError::NeedsConfirmation(
            Confirm::RulesOfScoredEvent {
                event: event.name.clone(),
                sheets,
            },
        ));
    }
    store.update_event(event, true, actor)?;
    Ok(())
}

/// The award rules replaced, after the same checks as a template's.
pub(super) fn update_awards(store: &mut Store, awards: &Awards, actor: &str) -> CommandResult<()> {
    let mut setup = store.setup()?;
    setup.awards = awards.clone();
    template::validate(&setup, "").map_err(|e| CommandError::Invalid(e.for_form()))?;
    store.update_rules(&setup.awards, &setup.ranking, actor)?;
    Ok(())
}

/// The competition's details (title, edition, organiser, dates, venue) and the tie-break
/// chain replaced, after the same checks as a template's.
pub(super) fn update_competition(
    store: &mut Store,
    competition: &crate::model::Competition,
    ranking: &crate::model::Ranking,
    actor: &str,
) -> CommandResult<()> {
    let mut setup = store.setup()?;
    if competition.title.trim().is_empty() {
        return Err(CommandError::Invalid(
            "比赛名称不能为空 (empty title)".into(),
        ));
    }
    for (label, value) in [
        ("比赛名称", &competition.title),
        ("届次", &competition.edition),
        ("主办单位", &competition.organiser),
        ("比赛日期", &competition.dates),
        ("比赛地点", &competition.venue),
    ] {
        if let Some(problem) = crate::import::text_problem(label, value, 128) {
            return Err(CommandError::Invalid(problem));
        }
    }
    setup.competition = competition.clone();
    setup.ranking = ranking.clone();
    template::validate(&setup, "").map_err(|e| CommandError::Invalid(e.for_form()))?;
    store.update_competition(&setup.competition, &setup.ranking, actor)?;
    Ok(())
}

/// The certificate template (TOML) stored in the file, after checking that it parses.
pub(super) fn set_certificate_template(
    store: &mut Store,
    toml: &str,
    actor: &str,
) -> CommandResult<()> {
    report::check_certificate_template(toml).map_err(|e| CommandError::Invalid(e.to_string()))?;
    store.set_meta(report::TEMPLATE_META_KEY, toml, actor)?;
    Ok(())
}

/// A drawn order as the store records it: (contestant, order, anonymous code).
pub(super) fn draw_order(places: &[DrawnPlace]) -> Vec<(String, u32, String)> {
    places
        .iter()
        .map(|p| (p.contestant.clone(), p.order, p.code.clone()))
        .collect()
}

/// One event's draw as made: (event code, seed, places).
pub type Drawn = (String, u64, Vec<DrawnPlace>);

/// Draws one event (or all) with `seed` (or a fresh one); every event in one transaction,
/// with the same seed recorded on each.
pub(super) fn draw(
    store: &mut Store,
    event: Option<&str>,
    seed: Option<u64>,
    redraw: Option<&str>,
    actor: &str,
) -> CommandResult<Vec<Drawn>> {
    let events = match event {
        Some(e) => vec![store.find_event(e)?],
        None => store.events()?,
    };
    // Once an event has sheets, a re-draw needs a reason (and the window a typed confirmation).
    let mut scored = Vec::new();
    let mut sheets = 0;
    for e in &events {
        let n = store.event_sheet_count(&e.code)?;
        if n > 0 && store.draw_seed(&e.code)?.is_some() {
            scored.push(e.code.clone());
            sheets += n;
        }
    }
    let reason = redraw.map(str::trim).filter(|r| !r.is_empty());
    if !scored.is_empty() && reason.is_none() {
        return Err(CommandError::NeedsConfirmation(Confirm::Redraw {
            events: scored,
            sheets,
        }));
    }
    let entries = store.entries()?;
    let seed = seed.unwrap_or_else(draw::fresh_seed);
    let drawn: Vec<Drawn> = events
        .into_iter()
        .map(|e| {
            let ids: Vec<String> = entries
                .iter()
                .filter(|en| en.event == e.code)
                .map(|en| en.contestant.clone())
                .collect();
            let places = draw::draw(&e.code, &ids, seed);
            (e.code, seed, places)
        })
        .collect();
    let records: Vec<DrawRecord> = drawn
        .iter()
        .map(|(code, seed, places)| (code.clone(), *seed, draw_order(places)))
        .collect();
    store.record_draws(&records, reason.filter(|_| !scored.is_empty()), actor)?;
    Ok(drawn)
}
