//! Recorders (记分员) and their double entry of paper sheets.

use rusqlite::{OptionalExtension, params};

use super::sheets::{criteria_text, sheet_row};
use super::{Result, Store, StoreError, audit};
use crate::model::{Fixed, Recorder, Sheet, SheetStatus};

/// One recorder's entry of a judge's paper sheet.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PaperEntry {
    pub id: i64,
    pub event: String,
    pub contestant: String,
    pub judge: String,
    pub recorder: String,
    pub criteria: Vec<Option<Fixed>>,
    pub total: Fixed,
    pub entered_at: String,
}

fn criteria_json(c: &[Option<Fixed>]) -> Result<String> {
    serde_json::to_string(
        &c.iter()
            .map(|v| v.map(|x| x.to_string()))
            .collect::<Vec<_>>(),
    )
    .map_err(|e| StoreError::Rule(e.to_string()))
}

impl Store {
    /// Adds a recorder with a PIN hash, on these events' paper sheets. One transaction.
    pub fn add_recorder(&mut self, r: &Recorder, pin_hash: &str, actor: &str) -> Result<()> {
        self.require_write()?;
        let tx = self
            .conn
            .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        let n: i64 = tx.query_row("SELECT COUNT(*) FROM recorder", [], |row| row.get(0))?;
        tx.execute(
            "INSERT INTO recorder (id, name, pin_hash, position) VALUES (?1, ?2, ?3, ?4)",
            params![r.id, r.name, pin_hash, n + 1],
        )
        .map_err(|e| match e {
            rusqlite::Error::SqliteFailure(f, _)
                if f.code == rusqlite::ffi::ErrorCode::ConstraintViolation =>
            {
                StoreError::Rule(format!(
                    "记分员编号 {} 已存在 (duplicate recorder id)",
                    r.id
                ))
            }
            other => other.into(),
        })?;
        for code in &r.events {
            tx.execute(
                "INSERT INTO recorder_panel (event_code, recorder_id) VALUES (?1, ?2)",
                [code, &r.id],
            )?;
        }
        audit::append(
            &tx,
            actor,
            "add-recorder",
            &format!("{} {} ({})", r.id, r.name, r.events.join(", ")),
        )?;
        tx.commit()?;
        Ok(())
    }

    /// All recorders with their events.
    pub fn recorders(&self) -> Result<Vec<Recorder>> {
        let mut stmt = self
            .conn
            .prepare("SELECT id, name FROM recorder ORDER BY position")?;
        let rows: Vec<(String, String)> = stmt
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
            .collect::<std::result::Result<_, _>>()?;
        let mut out = Vec::new();
        for (id, name) in rows {
            let mut ev = self.conn.prepare_cached(
                "SELECT p.event_code FROM recorder_panel p JOIN event e ON e.code = p.event_code
                 WHERE p.recorder_id = ?1 ORDER BY e.position",
            )?;
            let events = ev
                .query_map([&id], |r| r.get(0))?
                .collect::<std::result::Result<_, _>>()?;
            out.push(Recorder { id, name, events });
        }
        Ok(out)
    }

    /// A recorder's PIN hash.
    pub fn recorder_pin_hash(&self, id: &str) -> Result<Option<String>> {
        Ok(self
            .conn
            .query_row("SELECT pin_hash FROM recorder WHERE id = ?1", [id], |r| {
                r.get::<_, Option<String>>(0)
            })
            .optional()?
            .flatten())
    }

    /// Paper entries, all or of one sheet (event, contestant, judge).
    pub fn paper_entries(&self, sheet: Option<(&str, &str, &str)>) -> Result<Vec<PaperEntry>> {
        let (e, c, j) = sheet.unwrap_or(("", "", ""));
        let mut stmt = self.conn.prepare_cached(
            "SELECT id, event_code, contestant_id, judge_id, recorder_id, criteria_json, total_e4, entered_at
             FROM paper_entry WHERE (?1 = '' OR (event_code = ?1 AND contestant_id = ?2 AND judge_id = ?3))
             ORDER BY event_code, contestant_id, judge_id, id",
        )?;
        let rows = stmt.query_map([e, c, j], |r| {
            let json: String = r.get(5)?;
            Ok((
                PaperEntry {
                    id: r.get(0)?,
                    event: r.get(1)?,
                    contestant: r.get(2)?,
                    judge: r.get(3)?,
                    recorder: r.get(4)?,
                    criteria: Vec::new(),
                    total: Fixed::from_raw(r.get(6)?),
                    entered_at: r.get(7)?,
                },
                json,
            ))
        })?;
        let mut out = Vec::new();
        for row in rows {
            let (mut entry, json) = row?;
            let texts: Vec<Option<String>> =
                serde_json::from_str(&json).map_err(|e| StoreError::Rule(e.to_string()))?;
            entry.criteria = texts
                .into_iter()
                .map(|t| t.and_then(|t| Fixed::parse(&t).ok()))
                .collect();
            out.push(entry);
        }
        Ok(out)
    }

    /// Stores a recorder's entry (replacing that recorder's earlier one for the same sheet) and,
    /// when the entries now agree, the sheet itself — one transaction, one audit entry.
    pub fn enter_paper(
        &mut self,
        entry: &PaperEntry,
        agreed: Option<&Sheet>,
        actor: &str,
    ) -> Result<()> {
        self.require_write()?;
        let tx = self
            .conn
            .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        tx.execute(
            "DELETE FROM paper_entry WHERE event_code = ?1 AND contestant_id = ?2 AND judge_id = ?3 AND recorder_id = ?4",
            [&entry.event, &entry.contestant, &entry.judge, &entry.recorder],
        )?;
        tx.execute(
            "INSERT INTO paper_entry (event_code, contestant_id, judge_id, recorder_id, criteria_json, total_e4, entered_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
            params![
                entry.event,
                entry.contestant,
                entry.judge,
                entry.recorder,
                criteria_json(&entry.criteria)?,
                entry.total.raw(),
                entry.entered_at
            ],
        )?;
        if let Some(s) = agreed {
            write_sheet(&tx, s)?;
        }
        audit::append(
            &tx,
            actor,
            "paper-entry",
            &format!(
                "{}/{}/{} by {}: {} [{}]{}",
                entry.event,
                entry.contestant,
                entry.judge,
                entry.recorder,
                entry.total,
                criteria_text(&entry.criteria),
                if agreed.is_some() {
                    "; agreed: the sheet counts"
                } else {
                    ""
                }
            ),
        )?;
        tx.commit()?;
        Ok(())
    }

    /// A disagreement decided by the head judge or organiser: `sheet` (one entry's values)
    /// counts. One transaction, audited with the reason.
    pub fn resolve_paper(&mut self, sheet: &Sheet, reason: &str, actor: &str) -> Result<()> {
        self.require_write()?;
        let tx = self
            .conn
            .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        write_sheet(&tx, sheet)?;
        audit::append(
            &tx,
            actor,
            "resolve-paper",
            &format!(
                "{}/{}/{}: {} [{}]; reason: {reason}",
                sheet.event,
                sheet.contestant,
                sheet.judge,
                sheet.total,
                criteria_text(&sheet.criteria)
            ),
        )?;
        tx.commit()?;
        Ok(())
    }
}

/// Inserts a counted sheet (or fills a draft of it); refuses when one is already counted.
fn write_sheet(tx: &rusqlite::Connection, s: &Sheet) -> Result<()> {
    let id = match sheet_row(tx, &s.event, &s.contestant, &s.judge)? {
        Some((id, SheetStatus::Draft)) => {
            tx.execute(
                "UPDATE sheet SET total_e4 = ?2, status = ?3, entered_by = ?4, entered_at = ?5 WHERE id = ?1",
                params![id, s.total.raw(), s.status.as_str(), s.entered_by, s.entered_at],
            )?;
            tx.execute("DELETE FROM sheet_score WHERE sheet_id = ?1", [id])?;
            id
        }
        Some(_) => {
            return Err(StoreError::Rule(format!(
                "{}/{}/{} 已有计入的评分表 (a counted sheet exists)",
                s.event, s.contestant, s.judge
            )));
        }
        None => {
            tx.execute(
                "INSERT INTO sheet (event_code, contestant_id, judge_id, total_e4, status, entered_by, entered_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
                params![s.event, s.contestant, s.judge, s.total.raw(), s.status.as_str(), s.entered_by, s.entered_at],
            )?;
            tx.last_insert_rowid()
        }
    };
    for (pos, v) in s.criteria.iter().enumerate() {
        if let Some(v) = v {
            tx.execute(
                "INSERT INTO sheet_score (sheet_id, position, value_e4) VALUES (?1, ?2, ?3)",
                params![id, pos as i64, v.raw()],
            )?;
        }
    }
    Ok(())
}
