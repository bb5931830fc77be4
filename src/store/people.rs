//! Contestants, judges, panels and entries (who enters which event, in which draw order).

use std::collections::{HashMap, HashSet};

use rusqlite::{Connection, OptionalExtension, params};

use super::{Result, Store, StoreError, audit};
use crate::clock;
use crate::model::{Contestant, Gender, Judge, Stage};

/// A judge's seat on one event's panel.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PanelAssignment {
    pub event: String,
    pub judge: String,
}

/// One contestant's entry in one event, with the draw.
/// One event's draw as recorded: (event code, seed, (contestant, order, anonymous code) each).
pub type DrawRecord = (String, u64, Vec<(String, u32, String)>);

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Entry {
    pub event: String,
    pub contestant: String,
    pub draw_order: Option<u32>,
    pub anon_code: Option<String>,
}

impl Store {
    /// Adds contestants (already validated) and enters each in every event; one transaction.
    pub fn add_contestants(&mut self, list: &[Contestant], actor: &str) -> Result<usize> {
        self.require_write()?;
        let tx = self
            .conn
            .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        let start: i64 = tx.query_row(
            "SELECT COALESCE(MAX(position), 0) FROM contestant",
            [],
            |r| r.get(0),
        )?;
        let codes: Vec<String> = {
            let mut stmt = tx.prepare("SELECT code FROM event ORDER BY position")?;
            stmt.query_map([], |r| r.get(0))?
                .collect::<std::result::Result<_, _>>()?
        };
        {
            let mut enter = tx.prepare(
                "INSERT OR IGNORE INTO entry (event_code, contestant_id) VALUES (?1, ?2)",
            )?;
            for (i, c) in list.iter().enumerate() {
                insert_contestant(&tx, c, start + 1 + i as i64)?;
                for code in &codes {
                    enter.execute(params![code, c.id])?;
                }
            }
        }
        audit::append(
            &tx,
            actor,
            "import-contestants",
            &format!("{} contestants", list.len()),
        )?;
        tx.commit()?;
        Ok(list.len())
    }

    /// Adds one contestant entering `events` (codes), in one transaction.
    pub fn add_contestant(&mut self, c: &Contestant, events: &[String], actor: &str) -> Result<()> {
        self.require_write()?;
        let tx = self
            .conn
            .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        let position: i64 = tx.query_row(
            "SELECT COALESCE(MAX(position), 0) + 1 FROM contestant",
            [],
            |r| r.get(0),
        )?;
        insert_contestant(&tx, c, position)?;
        for code in events {
            tx.execute(
                "INSERT INTO entry (event_code, contestant_id) VALUES (?1, ?2)",
                params![code, c.id],
            )
            .map_err(|_| StoreError::Rule(format!("没有项目 {code} (no such event)")))?;
        }
        audit::append(
            &tx,
            actor,
            "add-contestant",
            &format!(
                "{} {} [{}]",
                c.id,
                serde_json::to_string(c).unwrap_or_default(),
                events.join(" ")
            ),
        )?;
        tx.commit()?;
        Ok(())
    }

    /// The events a contestant enters (报名项目) become exactly `events` (codes). Entries kept
    /// keep their draw; an event left is refused while the contestant has a sheet in it that
    /// is not a draft.
    pub fn set_entries(&mut self, contestant: &str, events: &[String], actor: &str) -> Result<()> {
        self.require_write()?;
        let tx = self
            .conn
            .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        contestant_by_id(&tx, contestant)?.ok_or_else(|| {
            StoreError::Rule(format!("没有选手 {contestant} (no such contestant)"))
        })?;
        let current: Vec<String> = {
            let mut stmt = tx.prepare("SELECT event_code FROM entry WHERE contestant_id = ?1")?;
            stmt.query_map([contestant], |r| r.get(0))?
                .collect::<std::result::Result<_, _>>()?
        };
        for code in current.iter().filter(|c| !events.contains(c)) {
            let scored: i64 = tx.query_row(
                "SELECT COUNT(*) FROM sheet WHERE event_code = ?1 AND contestant_id = ?2 AND status <> 'draft'",
                params![code, contestant],
                |r| r.get(0),
            )?;
            if scored > 0 {
                return Err(StoreError::Rule(format!(
                    "选手 {contestant} 在 {code} 已有 {scored} 张评分表，不能取消该项目 (scored in this event)"
                )));
            }
            tx.execute(
                "DELETE FROM sheet_score WHERE sheet_id IN (SELECT id FROM sheet WHERE event_code = ?1 AND contestant_id = ?2)",
                params![code, contestant],
            )?;
            tx.execute(
                "DELETE FROM sheet WHERE event_code = ?1 AND contestant_id = ?2",
                params![code, contestant],
            )?;
            tx.execute(
                "DELETE FROM entry WHERE event_code = ?1 AND contestant_id = ?2",
                params![code, contestant],
            )?;
        }
        for code in events.iter().filter(|c| !current.contains(c)) {
            tx.execute(
                "INSERT INTO entry (event_code, contestant_id) VALUES (?1, ?2)",
                params![code, contestant],
            )
            .map_err(|_| StoreError::Rule(format!("没有项目 {code} (no such event)")))?;
        }
        audit::append(
            &tx,
            actor,
            "set-entries",
            &format!("{contestant}: {}", events.join(" ")),
        )?;
        tx.commit()?;
        Ok(())
    }

    /// Deletes a contestant who has no score: refused while any sheet (other than a draft),
    /// penalty or award decision names them. The reason goes into the audit log.
    pub fn delete_contestant(&mut self, id: &str, reason: &str, actor: &str) -> Result<()> {
        self.require_write()?;
        let tx = self
            .conn
            .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        let before = contestant_by_id(&tx, id)?
            .ok_or_else(|| StoreError::Rule(format!("没有选手 {id} (no such contestant)")))?;
        let count = |sql: &str| -> Result<i64> { Ok(tx.query_row(sql, [id], |r| r.get(0))?) };
        let sheets =
            count("SELECT COUNT(*) FROM sheet WHERE contestant_id = ?1 AND status <> 'draft'")?;
        let penalties = count("SELECT COUNT(*) FROM penalty WHERE contestant_id = ?1")?;
        let decisions = count("SELECT COUNT(*) FROM award_decision WHERE contestant_id = ?1")?;
        if sheets + penalties + decisions > 0 {
            return Err(StoreError::Rule(format!(
                "选手 {id} 已有 {sheets} 张评分表、{penalties} 条扣分、{decisions} 个等次决定，不能删除 (the contestant has scores)"
            )));
        }
        tx.execute(
            "DELETE FROM sheet_score WHERE sheet_id IN (SELECT id FROM sheet WHERE contestant_id = ?1)",
            [id],
        )?;
        for sql in [
            "DELETE FROM sheet WHERE contestant_id = ?1",
            "DELETE FROM absence WHERE contestant_id = ?1",
            "DELETE FROM entry WHERE contestant_id = ?1",
            "DELETE FROM contestant WHERE id = ?1",
        ] {
            tx.execute(sql, [id])?;
        }
        audit::append(
            &tx,
            actor,
            "delete-contestant",
            &format!(
                "{id}: {} ({reason})",
                serde_json::to_string(&before).unwrap_or_default()
            ),
        )?;
        tx.commit()?;
        Ok(())
    }

    /// Replaces one contestant's details (same 编号).
    pub fn update_contestant(&mut self, c: &Contestant, actor: &str) -> Result<()> {
        self.require_write()?;
        let tx = self
            .conn
            .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        let before = contestant_by_id(&tx, &c.id)?
            .ok_or_else(|| StoreError::Rule(format!("没有选手 {} (no such contestant)", c.id)))?;
        tx.execute(
            "UPDATE contestant SET name = ?2, gender = ?3, stage = ?4, subject = ?5, school = ?6, county = ?7, phone = ?8 WHERE id = ?1",
            params![c.id, c.name, c.gender.as_str(), c.stage.as_str(), c.subject, c.school, c.county, c.phone],
        )?;
        audit::append(
            &tx,
            actor,
            "update-contestant",
            &format!(
                "{}: {} → {}",
                c.id,
                serde_json::to_string(&before).unwrap_or_default(),
                serde_json::to_string(c).unwrap_or_default()
            ),
        )?;
        tx.commit()?;
        Ok(())
    }

    /// All contestants in import order.
    pub fn contestants(&self) -> Result<Vec<Contestant>> {
        let mut stmt = self.conn.prepare(
            "SELECT id, name, gender, stage, subject, school, county, phone FROM contestant ORDER BY position",
        )?;
        let rows = stmt.query_map([], row_to_contestant)?;
        Ok(rows.collect::<std::result::Result<_, _>>()?)
    }

    /// One contestant by 编号.
    pub fn contestant(&self, id: &str) -> Result<Option<Contestant>> {
        contestant_by_id(&self.conn, id)
    }

    /// Adds judges (already validated) and their panel seats; one transaction.
    pub fn add_judges(
        &mut self,
        list: &[Judge],
        pin_hashes: &[(String, String)],
        actor: &str,
    ) -> Result<usize> {
        self.require_write()?;
        let tx = self
            .conn
            .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        let start: i64 = tx.query_row("SELECT COALESCE(MAX(position), 0) FROM judge", [], |r| {
            r.get(0)
        })?;
        {
            let mut insert = tx.prepare(
                "INSERT INTO judge (id, name, school, county, position) VALUES (?1, ?2, ?3, ?4, ?5)",
            )?;
            let mut seat =
                tx.prepare("INSERT OR IGNORE INTO panel (event_code, judge_id) VALUES (?1, ?2)")?;
            for (i, j) in list.iter().enumerate() {
                insert
                    .execute(params![
                        j.id,
                        j.name,
                        j.school,
                        j.county,
                        start + 1 + i as i64
                    ])
                    .map_err(|e| match e {
                        rusqlite::Error::SqliteFailure(f, _)
                            if f.code == rusqlite::ffi::ErrorCode::ConstraintViolation =>
                        {
                            StoreError::Rule(format!(
                                "评委编号 {} 已存在 (duplicate judge id)",
                                j.id
                            ))
                        }
                        other => other.into(),
                    })?;
                for code in &j.events {
                    seat.execute(params![code, j.id])?;
                }
            }
            let mut pin = tx.prepare("UPDATE judge SET pin_hash = ?2 WHERE id = ?1")?;
            for (judge, hash) in pin_hashes {
                if pin.execute([judge, hash])? == 0 {
                    return Err(StoreError::Rule(format!(
                        "没有评委 {judge} (no such judge)"
                    )));
                }
            }
        }
        audit::append(
            &tx,
            actor,
            "import-judges",
            &format!("{} judges, {} PINs", list.len(), pin_hashes.len()),
        )?;
        tx.commit()?;
        Ok(list.len())
    }

    /// All judges in import order, each with the events whose panel they sit on.
    pub fn judges(&self) -> Result<Vec<Judge>> {
        let mut seats: HashMap<String, Vec<String>> = HashMap::new();
        {
            let mut stmt = self.conn.prepare(
                "SELECT p.judge_id, p.event_code FROM panel p JOIN event e ON e.code = p.event_code ORDER BY e.position",
            )?;
            let mut rows = stmt.query([])?;
            while let Some(r) = rows.next()? {
                seats.entry(r.get(0)?).or_default().push(r.get(1)?);
            }
        }
        let mut stmt = self
            .conn
            .prepare("SELECT id, name, school, county FROM judge ORDER BY position")?;
        let rows = stmt.query_map([], |r| {
            Ok(Judge {
                id: r.get(0)?,
                name: r.get(1)?,
                school: r.get(2)?,
                county: r.get(3)?,
                events: Vec::new(),
            })
        })?;
        let mut judges: Vec<Judge> = rows.collect::<std::result::Result<_, _>>()?;
        for j in &mut judges {
            j.events = seats.remove(&j.id).unwrap_or_default();
        }
        Ok(judges)
    }

    /// Sets exactly which judges sit on an event's panel.
    pub fn set_panel(&mut self, event: &str, judge_ids: &[String], actor: &str) -> Result<()> {
        self.require_write()?;
        let tx = self
            .conn
            .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        tx.execute("DELETE FROM panel WHERE event_code = ?1", [event])?;
        for j in judge_ids {
            tx.execute(
                "INSERT INTO panel (event_code, judge_id) VALUES (?1, ?2)",
                params![event, j],
            )?;
        }
        audit::append(
            &tx,
            actor,
            "set-panel",
            &format!("{event}: {}", judge_ids.join(",")),
        )?;
        tx.commit()?;
        Ok(())
    }

    /// Stores many judges' PIN hashes in one transaction.
    pub fn set_pin_hashes(&mut self, hashes: &[(String, String)], actor: &str) -> Result<()> {
        self.require_write()?;
        let tx = self
            .conn
            .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        for (judge, hash) in hashes {
            let n = tx.execute(
                "UPDATE judge SET pin_hash = ?2 WHERE id = ?1",
                [judge, hash],
            )?;
            if n == 0 {
                return Err(StoreError::Rule(format!(
                    "没有评委 {judge} (no such judge)"
                )));
            }
        }
        audit::append(&tx, actor, "set-pins", &format!("{} judges", hashes.len()))?;
        tx.commit()?;
        Ok(())
    }

    /// A judge's PIN hash, if one was set.
    pub fn judge_pin_hash(&self, judge: &str) -> Result<Option<String>> {
        Ok(self
            .conn
            .query_row("SELECT pin_hash FROM judge WHERE id = ?1", [judge], |r| {
                r.get::<_, Option<String>>(0)
            })
            .optional()?
            .flatten())
    }

    /// Marks a judge as head judge (评委组长) or not.
    pub fn set_head_judge(&mut self, judge: &str, head: bool, actor: &str) -> Result<()> {
        self.require_write()?;
        let tx = self
            .conn
            .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        tx.execute(
            "UPDATE judge SET head = ?2 WHERE id = ?1",
            params![judge, head],
        )?;
        audit::append(&tx, actor, "set-head-judge", &format!("{judge}: {head}"))?;
        tx.commit()?;
        Ok(())
    }

    /// Ids of the head judges.
    pub fn head_judges(&self) -> Result<HashSet<String>> {
        let mut stmt = self.conn.prepare("SELECT id FROM judge WHERE head = 1")?;
        let rows = stmt.query_map([], |r| r.get(0))?;
        Ok(rows.collect::<std::result::Result<_, _>>()?)
    }

    /// All entries (event × contestant) with draw order and anonymous code.
    pub fn entries(&self) -> Result<Vec<Entry>> {
        let mut stmt = self.conn.prepare(
            "SELECT en.event_code, en.contestant_id, en.draw_order, en.anon_code
             FROM entry en JOIN event e ON e.code = en.event_code JOIN contestant c ON c.id = en.contestant_id
             ORDER BY e.position, COALESCE(en.draw_order, 1000000000), c.position",
        )?;
        let rows = stmt.query_map([], |r| {
            Ok(Entry {
                event: r.get(0)?,
                contestant: r.get(1)?,
                draw_order: r.get(2)?,
                anon_code: r.get(3)?,
            })
        })?;
        Ok(rows.collect::<std::result::Result<_, _>>()?)
    }

    /// Records draws — per event the seed and, per contestant, the order and anonymous code —
    /// all in one transaction (so `draw --all` is all or nothing), one audit entry per event.
    pub fn record_draws(
        &mut self,
        draws: &[DrawRecord],
        redraw_reason: Option<&str>,
        actor: &str,
    ) -> Result<()> {
        self.require_write()?;
        let tx = self
            .conn
            .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        for (event, seed, order) in draws {
            tx.execute(
                "INSERT INTO draw (event_code, seed, drawn_at) VALUES (?1, ?2, ?3)
                 ON CONFLICT(event_code) DO UPDATE SET seed = excluded.seed, drawn_at = excluded.drawn_at",
                params![event, *seed as i64, clock::now_rfc3339()],
            )?;
            {
                let mut upd = tx.prepare(
                    "UPDATE entry SET draw_order = ?3, anon_code = ?4 WHERE event_code = ?1 AND contestant_id = ?2",
                )?;
                for (contestant, n, code) in order {
                    upd.execute(params![event, contestant, n, code])?;
                }
            }
            audit::append(
                &tx,
                actor,
                if redraw_reason.is_some() {
                    "redraw"
                } else {
                    "draw"
                },
                &match redraw_reason {
                    Some(r) => {
                        format!("{event}: seed {seed}, {} entries; reason: {r}", order.len())
                    }
                    None => format!("{event}: seed {seed}, {} entries", order.len()),
                },
            )?;
        }
        tx.commit()?;
        Ok(())
    }

    /// The recorded draw seed of an event.
    pub fn draw_seed(&self, event: &str) -> Result<Option<u64>> {
        Ok(self
            .conn
            .query_row(
                "SELECT seed FROM draw WHERE event_code = ?1",
                [event],
                |r| r.get::<_, i64>(0),
            )
            .optional()?
            .map(|s| s as u64))
    }
}

fn row_to_contestant(r: &rusqlite::Row<'_>) -> rusqlite::Result<Contestant> {
    let gender: String = r.get(2)?;
    let stage: String = r.get(3)?;
    Ok(Contestant {
        id: r.get(0)?,
        name: r.get(1)?,
        gender: Gender::parse(&gender).unwrap_or(Gender::Female),
        stage: Stage::parse(&stage).unwrap_or(Stage::Primary),
        subject: r.get(4)?,
        school: r.get(5)?,
        county: r.get(6)?,
        phone: r.get(7)?,
    })
}

fn contestant_by_id(conn: &rusqlite::Connection, id: &str) -> Result<Option<Contestant>> {
    Ok(conn
        .query_row(
            "SELECT id, name, gender, stage, subject, school, county, phone FROM contestant WHERE id = ?1",
            [id],
            row_to_contestant,
        )
        .optional()?)
}

/// Inserts one contestant row; a taken 编号 is a rule error naming it.
fn insert_contestant(conn: &Connection, c: &Contestant, position: i64) -> Result<()> {
    conn.prepare_cached(
        "INSERT INTO contestant (id, name, gender, stage, subject, school, county, phone, position)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
    )?
    .execute(params![
        c.id,
        c.name,
        c.gender.as_str(),
        c.stage.as_str(),
        c.subject,
        c.school,
        c.county,
        c.phone,
        position
    ])
    .map_err(|e| match e {
        rusqlite::Error::SqliteFailure(f, _)
            if f.code == rusqlite::ffi::ErrorCode::ConstraintViolation =>
        {
            StoreError::Rule(format!(
                "选手编号 {} 已存在 (duplicate contestant id)",
                c.id
            ))
        }
        other => other.into(),
    })?;
    Ok(())
}
