//! The competition and its events: writing a template's setup, reading it back.

use rusqlite::{Connection, OptionalExtension, params};

use super::{Result, Store, StoreError, audit};
use crate::clock;
use crate::model::{
    Aggregate, Competition, CompetitionSetup, Criterion, Event, EventKind, Fixed, PenaltyItem,
};

impl Store {
    /// Writes a whole setup into a new file (competition row, events, rubrics).
    pub fn init_setup(&mut self, setup: &CompetitionSetup, actor: &str) -> Result<()> {
        self.require_write()?;
        let tx = self
            .conn
            .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        let exists: Option<i64> = tx
            .query_row("SELECT id FROM competition", [], |r| r.get(0))
            .optional()?;
        if exists.is_some() {
            return Err(StoreError::Rule(
                "比赛已设置，不能再次初始化 (the competition is already set up)".into(),
            ));
        }
        let c = &setup.competition;
        tx.execute(
            "INSERT INTO competition (id, title, edition, organiser, dates, venue, decimals, awards_json, ranking_json, created_at)
             VALUES (1, ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
            params![
                c.title,
                c.edition,
                c.organiser,
                c.dates,
                c.venue,
                c.decimals,
                serde_json::to_string(&setup.awards).map_err(|e| StoreError::Rule(e.to_string()))?,
                serde_json::to_string(&setup.ranking).map_err(|e| StoreError::Rule(e.to_string()))?,
                clock::now_rfc3339(),
            ],
        )?;
        for (i, e) in setup.events.iter().enumerate() {
            insert_event(&tx, i, e)?;
        }
        audit::append(
            &tx,
            actor,
            "create-competition",
            &format!("{} ({} events)", c.title, setup.events.len()),
        )?;
        tx.commit()?;
        Ok(())
    }

    /// Replaces one event's rules and rubric (same code). Refused once sheets exist for it
    /// unless `force` (the caller has shown the user a warning).
    pub fn update_event(&mut self, event: &Event, force: bool, actor: &str) -> Result<()> {
        self.require_write()?;
        let tx = self
            .conn
            .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        let position: Option<i64> = tx
            .query_row(
                "SELECT position FROM event WHERE code = ?1",
                [&event.code],
                |r| r.get(0),
            )
            .optional()?;
        let Some(position) = position else {
            return Err(StoreError::Rule(format!(
                "没有项目 {} (no such event)",
                event.code
            )));
        };
        let sheets: i64 = tx.query_row(
            "SELECT COUNT(*) FROM sheet WHERE event_code = ?1",
            [&event.code],
            |r| r.get(0),
        )?;
        if sheets > 0 && !force {
            return Err(StoreError::Rule(format!(
                "项目「{}」已有 {sheets} 张评分表，修改评分规则会改变已有成绩 (scoring has started for this event)",
                event.name
            )));
        }
        tx.execute("DELETE FROM criterion WHERE event_code = ?1", [&event.code])?;
        tx.execute(
            "DELETE FROM penalty_item WHERE event_code = ?1",
            [&event.code],
        )?;
        tx.execute(
            "UPDATE event SET name = ?2, kind = ?3, panel_size = ?4, trim = ?5, aggregate = ?6, decimals = ?7,
             step_e4 = ?8, weight_e4 = ?9, minutes = ?10, blind = ?11 WHERE code = ?1",
            params![
                event.code,
                event.name,
                event.kind.as_str(),
                event.judges,
                event.trim,
                event.aggregate.as_str(),
                event.decimals,
                event.step.raw(),
                event.weight.raw(),
                event.minutes,
                event.blind,
            ],
        )?;
        insert_rubric(&tx, event)?;
        audit::append(
            &tx,
            actor,
            "update-event",
            &serde_json::to_string(event).unwrap_or_default(),
        )?;
        let _ = position;
        tx.commit()?;
        Ok(())
    }

    /// Replaces the competition's details and its tie-break chain, in one transaction.
    pub fn update_competition(
        &mut self,
        c: &crate::model::Competition,
        ranking: &crate::model::Ranking,
        actor: &str,
    ) -> Result<()> {
        self.require_write()?;
        let r = serde_json::to_string(ranking).map_err(|e| StoreError::Rule(e.to_string()))?;
        let tx = self
            .conn
            .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        tx.execute(
            "UPDATE competition SET title = ?1, edition = ?2, organiser = ?3, dates = ?4, venue = ?5, decimals = ?6, ranking_json = ?7 WHERE id = 1",
            rusqlite::params![c.title, c.edition, c.organiser, c.dates, c.venue, c.decimals, r],
        )?;
        audit::append(
            &tx,
            actor,
            "update-competition",
            &format!("{} {}", serde_json::to_string(c).unwrap_or_default(), r),
        )?;
        tx.commit()?;
        Ok(())
    }

    /// Replaces the award and ranking rules.
    pub fn update_rules(
        &mut self,
        awards: &crate::model::Awards,
        ranking: &crate::model::Ranking,
        actor: &str,
    ) -> Result<()> {
        self.require_write()?;
        let a = serde_json::to_string(awards).map_err(|e| StoreError::Rule(e.to_string()))?;
        let r = serde_json::to_string(ranking).map_err(|e| StoreError::Rule(e.to_string()))?;
        let tx = self
            .conn
            .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        tx.execute(
            "UPDATE competition SET awards_json = ?1, ranking_json = ?2 WHERE id = 1",
            [&a, &r],
        )?;
        audit::append(&tx, actor, "update-rules", &format!("{a} {r}"))?;
        tx.commit()?;
        Ok(())
    }

    /// The whole setup as stored.
    pub fn setup(&self) -> Result<CompetitionSetup> {
        let row = self
            .conn
            .query_row(
                "SELECT title, edition, organiser, dates, venue, decimals, awards_json, ranking_json FROM competition WHERE id = 1",
                [],
                |r| {
                    Ok((
                        Competition {
                            title: r.get(0)?,
                            edition: r.get(1)?,
                            organiser: r.get(2)?,
                            dates: r.get(3)?,
                            venue: r.get(4)?,
                            decimals: r.get(5)?,
                        },
                        r.get::<_, String>(6)?,
                        r.get::<_, String>(7)?,
                    ))
                },
            )
            .optional()?;
        let Some((competition, awards_json, ranking_json)) = row else {
            return Err(StoreError::Rule(
                "文件中还没有比赛设置 (the file has no competition yet)".into(),
            ));
        };
        let bad = |what: &str, e: serde_json::Error| StoreError::Corrupt {
            path: self.path.clone(),
            detail: format!("{what}: {e}"),
        };
        Ok(CompetitionSetup {
            competition,
            events: self.events()?,
            awards: serde_json::from_str(&awards_json).map_err(|e| bad("awards", e))?,
            ranking: serde_json::from_str(&ranking_json).map_err(|e| bad("ranking", e))?,
        })
    }

    /// Events in their template order, with rubrics.
    pub fn events(&self) -> Result<Vec<Event>> {
        let mut stmt = self.conn.prepare(
            "SELECT code, name, kind, panel_size, trim, aggregate, decimals, step_e4, weight_e4, minutes, blind
             FROM event ORDER BY position",
        )?;
        let mut events = stmt
            .query_map([], |r| {
                let kind: String = r.get(2)?;
                let aggregate: String = r.get(5)?;
                Ok(Event {
                    code: r.get(0)?,
                    name: r.get(1)?,
                    kind: EventKind::parse(&kind).unwrap_or(EventKind::Live),
                    judges: r.get(3)?,
                    trim: r.get(4)?,
                    aggregate: Aggregate::parse(&aggregate).unwrap_or(Aggregate::Mean),
                    decimals: r.get(6)?,
                    step: Fixed::from_raw(r.get(7)?),
                    weight: Fixed::from_raw(r.get(8)?),
                    criteria: Vec::new(),
                    minutes: r.get(9)?,
                    penalties: Vec::new(),
                    blind: r.get(10)?,
                })
            })?
            .collect::<std::result::Result<Vec<_>, _>>()?;
        let mut crit = self.conn.prepare(
            "SELECT name, max_e4 FROM criterion WHERE event_code = ?1 ORDER BY position",
        )?;
        let mut pens = self.conn.prepare(
            "SELECT name, points_e4 FROM penalty_item WHERE event_code = ?1 ORDER BY position",
        )?;
        for e in &mut events {
            e.criteria = crit
                .query_map([&e.code], |r| {
                    Ok(Criterion {
                        name: r.get(0)?,
                        max: Fixed::from_raw(r.get(1)?),
                    })
                })?
                .collect::<std::result::Result<_, _>>()?;
            e.penalties = pens
                .query_map([&e.code], |r| {
                    Ok(PenaltyItem {
                        name: r.get(0)?,
                        points: Fixed::from_raw(r.get(1)?),
                    })
                })?
                .collect::<std::result::Result<_, _>>()?;
        }
        Ok(events)
    }

    /// Finds an event by code or by name.
    pub fn find_event(&self, code_or_name: &str) -> Result<Event> {
        let wanted = code_or_name.trim();
        self.events()?
            .into_iter()
            .find(|e| e.code == wanted || e.name == wanted)
            .ok_or_else(|| {
                StoreError::Rule(format!(
                    "没有这个项目：{wanted}（请用项目代码如 E05 或项目名称）(no such event)"
                ))
            })
    }
}

fn insert_event(tx: &Connection, position: usize, e: &Event) -> Result<()> {
    tx.execute(
        "INSERT INTO event (code, position, name, kind, panel_size, trim, aggregate, decimals, step_e4, weight_e4, minutes, blind)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)",
        params![
            e.code,
            position as i64,
            e.name,
            e.kind.as_str(),
            e.judges,
            e.trim,
            e.aggregate.as_str(),
            e.decimals,
            e.step.raw(),
            e.weight.raw(),
            e.minutes,
            e.blind,
        ],
    )?;
    insert_rubric(tx, e)
}

fn insert_rubric(tx: &Connection, e: &Event) -> Result<()> {
    for (j, c) in e.criteria.iter().enumerate() {
        tx.execute(
            "INSERT INTO criterion (event_code, position, name, max_e4) VALUES (?1, ?2, ?3, ?4)",
            params![e.code, j as i64, c.name, c.max.raw()],
        )?;
    }
    for (j, p) in e.penalties.iter().enumerate() {
        tx.execute(
            "INSERT INTO penalty_item (event_code, position, name, points_e4) VALUES (?1, ?2, ?3, ?4)",
            params![e.code, j as i64, p.name, p.points.raw()],
        )?;
    }
    Ok(())
}
