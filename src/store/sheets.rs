//! Score sheets, penalties and absences; the snapshot the scoring engine reads.

use std::collections::HashMap;

use rusqlite::{Connection, OptionalExtension, params};

use super::{Result, Store, StoreError, audit};
use crate::clock;
use crate::model::{Absence, AwardDecision, Fixed, Penalty, Sheet, SheetStatus};

/// Identifies a sheet: (event code, contestant id, judge id).
pub type SheetKey = (String, String, String);

impl Store {
    /// Inserts many new sheets in one transaction (imports, the demo). Fails whole on a duplicate.
    pub fn insert_sheets(&mut self, sheets: &[Sheet], actor: &str, action: &str) -> Result<usize> {
        self.require_write()?;
        let tx = self
            .conn
            .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        {
            let mut ins = tx.prepare(
                "INSERT INTO sheet (event_code, contestant_id, judge_id, total_e4, status, entered_by, entered_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
            )?;
            let mut score = tx.prepare(
                "INSERT INTO sheet_score (sheet_id, position, value_e4) VALUES (?1, ?2, ?3)",
            )?;
            for s in sheets {
                ins.execute(params![
                    s.event,
                    s.contestant,
                    s.judge,
                    s.total.raw(),
                    s.status.as_str(),
                    s.entered_by,
                    s.entered_at
                ])
                .map_err(|e| duplicate_or(e, s))?;
                let id = tx.last_insert_rowid();
                for (pos, v) in s.criteria.iter().enumerate() {
                    if let Some(v) = v {
                        score.execute(params![id, pos as i64, v.raw()])?;
                    }
                }
            }
        }
        audit::append(&tx, actor, action, &format!("{} sheets", sheets.len()))?;
        tx.commit()?;
        Ok(sheets.len())
    }

    /// Saves a judge's sheet as draft or submitted. A submitted or confirmed sheet is locked:
    /// changing it needs [`Store::correct_sheet`].
    pub fn save_sheet(&mut self, sheet: &Sheet, actor: &str) -> Result<()> {
        self.require_write()?;
        if !matches!(sheet.status, SheetStatus::Draft | SheetStatus::Submitted) {
            return Err(StoreError::Rule(
                "只能保存草稿或提交 (only drafts can be saved or submitted)".into(),
            ));
        }
        let tx = self
            .conn
            .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        let existing = sheet_row(&tx, &sheet.event, &sheet.contestant, &sheet.judge)?;
        let id = match existing {
            Some((id, status)) => {
                if status != SheetStatus::Draft {
                    return Err(StoreError::Rule(
                        "该评分表已提交并锁定，修改需要裁判长或管理员更正 (the sheet is submitted and locked; a correction needs the head judge or organiser)".into(),
                    ));
                }
                tx.execute(
                    "UPDATE sheet SET total_e4 = ?2, status = ?3, entered_by = ?4, entered_at = ?5 WHERE id = ?1",
                    params![id, sheet.total.raw(), sheet.status.as_str(), sheet.entered_by, sheet.entered_at],
                )?;
                tx.execute("DELETE FROM sheet_score WHERE sheet_id = ?1", [id])?;
                id
            }
            None => {
                tx.execute(
                    "INSERT INTO sheet (event_code, contestant_id, judge_id, total_e4, status, entered_by, entered_at)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
                    params![
                        sheet.event,
                        sheet.contestant,
                        sheet.judge,
                        sheet.total.raw(),
                        sheet.status.as_str(),
                        sheet.entered_by,
                        sheet.entered_at
                    ],
                )?;
                tx.last_insert_rowid()
            }
        };
        for (pos, v) in sheet.criteria.iter().enumerate() {
            if let Some(v) = v {
                tx.execute(
                    "INSERT INTO sheet_score (sheet_id, position, value_e4) VALUES (?1, ?2, ?3)",
                    params![id, pos as i64, v.raw()],
                )?;
            }
        }
        if sheet.status == SheetStatus::Submitted {
            audit::append(
                &tx,
                actor,
                "submit-sheet",
                &format!(
                    "{}/{}/{} total {} [{}]",
                    sheet.event,
                    sheet.contestant,
                    sheet.judge,
                    sheet.total,
                    criteria_text(&sheet.criteria)
                ),
            )?;
        }
        tx.commit()?;
        Ok(())
    }

    /// Corrects a submitted sheet (head judge or organiser), keeping the old values in the audit log.
    pub fn correct_sheet(&mut self, sheet: &Sheet, reason: &str, actor: &str) -> Result<()> {
        self.require_write()?;
        if reason.trim().is_empty() {
            return Err(StoreError::Rule(
                "更正必须填写原因 (a correction needs a reason)".into(),
            ));
        }
        let tx = self
            .conn
            .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        let Some(old) = load_sheet(&tx, &sheet.event, &sheet.contestant, &sheet.judge)? else {
            return Err(StoreError::Rule("没有这张评分表 (no such sheet)".into()));
        };
        let id = sheet_row(&tx, &sheet.event, &sheet.contestant, &sheet.judge)?
            .map(|(id, _)| id)
            .ok_or_else(|| StoreError::Rule("没有这张评分表 (no such sheet)".into()))?;
        tx.execute(
            "UPDATE sheet SET total_e4 = ?2, status = ?3, entered_by = ?4, entered_at = ?5 WHERE id = ?1",
            params![id, sheet.total.raw(), old.status.as_str(), sheet.entered_by, sheet.entered_at],
        )?;
        tx.execute("DELETE FROM sheet_score WHERE sheet_id = ?1", [id])?;
        for (pos, v) in sheet.criteria.iter().enumerate() {
            if let Some(v) = v {
                tx.execute(
                    "INSERT INTO sheet_score (sheet_id, position, value_e4) VALUES (?1, ?2, ?3)",
                    params![id, pos as i64, v.raw()],
                )?;
            }
        }
        audit::append(
            &tx,
            actor,
            "correct-sheet",
            &format!(
                "{}/{}/{}: {} [{}] -> {} [{}]; reason: {}",
                sheet.event,
                sheet.contestant,
                sheet.judge,
                old.total,
                criteria_text(&old.criteria),
                sheet.total,
                criteria_text(&sheet.criteria),
                reason.trim()
            ),
        )?;
        tx.commit()?;
        Ok(())
    }

    /// One sheet with its criterion scores.
    pub fn sheet(&self, event: &str, contestant: &str, judge: &str) -> Result<Option<Sheet>> {
        load_sheet(&self.conn, event, contestant, judge)
    }

    /// All sheets; criterion scores only when `with_criteria` (results need totals only).
    pub fn sheets(&self, with_criteria: bool) -> Result<Vec<Sheet>> {
        self.sheets_where(None, with_criteria)
    }

    /// The sheets of one event (without criterion scores): what the progress matrix of one
    /// event reads — a thirteenth of the venue's sheets.
    pub fn event_sheets(&self, event: &str) -> Result<Vec<Sheet>> {
        self.sheets_where(Some(event), false)
    }

    fn sheets_where(&self, event: Option<&str>, with_criteria: bool) -> Result<Vec<Sheet>> {
        let mut criteria: HashMap<i64, Vec<Option<Fixed>>> = HashMap::new();
        if with_criteria {
            let mut stmt = self
                .conn
                .prepare("SELECT sheet_id, position, value_e4 FROM sheet_score")?;
            let mut rows = stmt.query([])?;
            while let Some(r) = rows.next()? {
                let id: i64 = r.get(0)?;
                let pos: usize = r.get::<_, i64>(1)? as usize;
                let v = Fixed::from_raw(r.get(2)?);
                let list = criteria.entry(id).or_default();
                if list.len() <= pos {
                    list.resize(pos + 1, None);
                }
                list[pos] = Some(v);
            }
        }
        const COLUMNS: &str = "SELECT id, event_code, contestant_id, judge_id, total_e4, status, entered_by, entered_at FROM sheet";
        let mut stmt;
        let mut rows = match event {
            // The (event, contestant, judge) key's index finds one event's sheets.
            Some(e) => {
                stmt = self
                    .conn
                    .prepare(&format!("{COLUMNS} WHERE event_code = ?1 ORDER BY id"))?;
                stmt.query([e])?
            }
            None => {
                stmt = self.conn.prepare(&format!("{COLUMNS} ORDER BY id"))?;
                stmt.query([])?
            }
        };
        let mut out = Vec::new();
        while let Some(r) = rows.next()? {
            let id: i64 = r.get(0)?;
            let status: String = r.get(5)?;
            out.push(Sheet {
                event: r.get(1)?,
                contestant: r.get(2)?,
                judge: r.get(3)?,
                criteria: criteria.remove(&id).unwrap_or_default(),
                total: Fixed::from_raw(r.get(4)?),
                status: SheetStatus::parse(&status).unwrap_or(SheetStatus::Draft),
                entered_by: r.get(6)?,
                entered_at: r.get(7)?,
            });
        }
        Ok(out)
    }

    /// Records a penalty (扣分) for a contestant in an event.
    pub fn add_penalty(&mut self, p: &Penalty, actor: &str) -> Result<()> {
        self.require_write()?;
        if p.points <= Fixed::ZERO {
            return Err(StoreError::Rule(
                "扣分必须大于 0 (penalty must be positive)".into(),
            ));
        }
        if p.reason.trim().is_empty() {
            return Err(StoreError::Rule(
                "扣分必须填写原因 (a penalty needs a reason)".into(),
            ));
        }
        let tx = self
            .conn
            .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        tx.execute(
            "INSERT INTO penalty (event_code, contestant_id, points_e4, reason, entered_by, entered_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            params![p.event, p.contestant, p.points.raw(), p.reason, actor, clock::now_rfc3339()],
        )?;
        audit::append(
            &tx,
            actor,
            "penalty",
            &format!("{}/{}: -{} ({})", p.event, p.contestant, p.points, p.reason),
        )?;
        tx.commit()?;
        Ok(())
    }

    /// All penalties.
    pub fn penalties(&self) -> Result<Vec<Penalty>> {
        let mut stmt = self.conn.prepare(
            "SELECT event_code, contestant_id, points_e4, reason FROM penalty ORDER BY id",
        )?;
        let rows = stmt.query_map([], |r| {
            Ok(Penalty {
                event: r.get(0)?,
                contestant: r.get(1)?,
                points: Fixed::from_raw(r.get(2)?),
                reason: r.get(3)?,
            })
        })?;
        Ok(rows.collect::<std::result::Result<_, _>>()?)
    }

    /// The penalties with their row ids (for removing one), in entry order.
    pub fn penalties_with_ids(&self) -> Result<Vec<(i64, Penalty)>> {
        let mut stmt = self.conn.prepare(
            "SELECT id, event_code, contestant_id, points_e4, reason FROM penalty ORDER BY id",
        )?;
        let rows = stmt.query_map([], |r| {
            Ok((
                r.get(0)?,
                Penalty {
                    event: r.get(1)?,
                    contestant: r.get(2)?,
                    points: Fixed::from_raw(r.get(3)?),
                    reason: r.get(4)?,
                },
            ))
        })?;
        Ok(rows.collect::<std::result::Result<_, _>>()?)
    }

    /// The absences with their row ids (for removing one), in entry order.
    pub fn absences_with_ids(&self) -> Result<Vec<(i64, Absence)>> {
        let mut stmt = self.conn.prepare(
            "SELECT id, event_code, judge_id, contestant_id, reason FROM absence ORDER BY id",
        )?;
        let rows = stmt.query_map([], |r| {
            Ok((
                r.get(0)?,
                Absence {
                    event: r.get(1)?,
                    judge: r.get(2)?,
                    contestant: r.get(3)?,
                    reason: r.get(4)?,
                },
            ))
        })?;
        Ok(rows.collect::<std::result::Result<_, _>>()?)
    }

    /// Removes a penalty, with a reason; the audit log keeps what it was. One transaction.
    pub fn remove_penalty(&mut self, id: i64, reason: &str, actor: &str) -> Result<Penalty> {
        self.require_write()?;
        let p = self
            .penalties_with_ids()?
            .into_iter()
            .find(|(i, _)| *i == id)
            .map(|(_, p)| p)
            .ok_or_else(|| StoreError::Rule(format!("没有扣分记录 {id} (no such penalty)")))?;
        let tx = self
            .conn
            .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        tx.execute("DELETE FROM penalty WHERE id = ?1", [id])?;
        audit::append(
            &tx,
            actor,
            "remove-penalty",
            &format!(
                "{}/{}: -{} ({}); reason for removing: {reason}",
                p.event, p.contestant, p.points, p.reason
            ),
        )?;
        tx.commit()?;
        Ok(p)
    }

    /// Removes an absence, with a reason; the audit log keeps what it was. One transaction.
    pub fn remove_absence(&mut self, id: i64, reason: &str, actor: &str) -> Result<Absence> {
        self.require_write()?;
        let a = self
            .absences_with_ids()?
            .into_iter()
            .find(|(i, _)| *i == id)
            .map(|(_, a)| a)
            .ok_or_else(|| StoreError::Rule(format!("没有缺席记录 {id} (no such absence)")))?;
        let tx = self
            .conn
            .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        tx.execute("DELETE FROM absence WHERE id = ?1", [id])?;
        audit::append(
            &tx,
            actor,
            "remove-absence",
            &format!(
                "{}/{}{} ({}); reason for removing: {reason}",
                a.event,
                a.judge,
                a.contestant
                    .as_deref()
                    .map(|c| format!("/{c}"))
                    .unwrap_or_default(),
                a.reason
            ),
        )?;
        tx.commit()?;
        Ok(a)
    }

    /// Records a judge absent for an event (or one contestant).
    pub fn add_absence(&mut self, a: &Absence, actor: &str) -> Result<()> {
        self.require_write()?;
        let tx = self
            .conn
            .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        tx.execute(
            "INSERT INTO absence (event_code, judge_id, contestant_id, reason, entered_by, entered_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            params![a.event, a.judge, a.contestant, a.reason, actor, clock::now_rfc3339()],
        )?;
        audit::append(
            &tx,
            actor,
            "absence",
            &format!(
                "{}/{}/{}: {}",
                a.event,
                a.judge,
                a.contestant.as_deref().unwrap_or("*"),
                a.reason
            ),
        )?;
        tx.commit()?;
        Ok(())
    }

    /// All absences.
    pub fn absences(&self) -> Result<Vec<Absence>> {
        let mut stmt = self.conn.prepare(
            "SELECT event_code, judge_id, contestant_id, reason FROM absence ORDER BY id",
        )?;
        let rows = stmt.query_map([], |r| {
            Ok(Absence {
                event: r.get(0)?,
                judge: r.get(1)?,
                contestant: r.get(2)?,
                reason: r.get(3)?,
            })
        })?;
        Ok(rows.collect::<std::result::Result<_, _>>()?)
    }

    /// When the last counted sheet (submitted or confirmed) was entered (RFC 3339).
    pub fn last_submitted_at(&self) -> Result<Option<String>> {
        Ok(self.conn.query_row(
            "SELECT max(entered_at) FROM sheet WHERE status IN ('submitted', 'confirmed')",
            [],
            |r| r.get(0),
        )?)
    }

    /// The organiser's award decisions (人工决定等次).
    pub fn award_decisions(&self) -> Result<Vec<AwardDecision>> {
        let mut stmt = self.conn.prepare(
            "SELECT event_code, contestant_id, tier, reason FROM award_decision
             ORDER BY event_code, contestant_id",
        )?;
        let rows = stmt.query_map([], |r| {
            Ok(AwardDecision {
                event: r.get(0)?,
                contestant: r.get(1)?,
                tier: r.get(2)?,
                reason: r.get(3)?,
            })
        })?;
        Ok(rows.collect::<std::result::Result<_, _>>()?)
    }

    /// Records (or replaces) the award decision for one entry; audited. One transaction.
    pub fn decide_award(&mut self, d: &AwardDecision, actor: &str) -> Result<()> {
        self.require_write()?;
        let tx = self
            .conn
            .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        tx.execute(
            "INSERT INTO award_decision
               (event_code, contestant_id, tier, reason, decided_by, decided_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6)
             ON CONFLICT (event_code, contestant_id) DO UPDATE SET
               tier = excluded.tier, reason = excluded.reason,
               decided_by = excluded.decided_by, decided_at = excluded.decided_at",
            rusqlite::params![
                d.event,
                d.contestant,
                d.tier,
                d.reason,
                actor,
                crate::clock::now_rfc3339()
            ],
        )?;
        audit::append(
            &tx,
            actor,
            "award-decision",
            &format!(
                "{}/{}: {}; reason: {}",
                d.event,
                d.contestant,
                d.tier.as_deref().unwrap_or("—"),
                d.reason
            ),
        )?;
        tx.commit()?;
        Ok(())
    }

    /// Withdraws the award decision for one entry (the computed tier applies again); audited.
    pub fn undecide_award(&mut self, event: &str, contestant: &str, actor: &str) -> Result<bool> {
        self.require_write()?;
        let tx = self
            .conn
            .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        let n = tx.execute(
            "DELETE FROM award_decision WHERE event_code = ?1 AND contestant_id = ?2",
            [event, contestant],
        )?;
        if n > 0 {
            audit::append(
                &tx,
                actor,
                "award-decision-withdrawn",
                &format!("{event}/{contestant}"),
            )?;
        }
        tx.commit()?;
        Ok(n > 0)
    }

    /// The organiser's settings for papers (纸质文件设置); the defaults when never set.
    pub fn papers(&self) -> Result<crate::model::Papers> {
        crate::model::Papers::from_meta(self.meta(crate::model::PAPERS_META_KEY)?.as_deref())
            .map_err(StoreError::Rule)
    }

    /// Everything the scoring engine needs, in one read transaction.
    pub fn scoring_input(&self) -> Result<crate::scoring::ScoringInput> {
        let tx = self.conn.unchecked_transaction()?;
        let contestants = self.contestants()?;
        let group_order =
            crate::model::papers::ordered_groups(&contestants, self.papers()?.group_order);
        let input = crate::scoring::ScoringInput {
            setup: self.setup()?,
            contestants,
            group_order,
            judges: self.judges()?,
            entries: self
                .entries()?
                .into_iter()
                .map(|e| (e.event, e.contestant))
                .collect(),
            sheets: self.sheets(false)?,
            penalties: self.penalties()?,
            absences: self.absences()?,
            award_decisions: self.award_decisions()?,
        };
        tx.finish()?;
        Ok(input)
    }

    /// The status of each of `judge`'s sheets in `event`, by contestant.
    pub fn sheet_statuses(&self, event: &str, judge: &str) -> Result<HashMap<String, SheetStatus>> {
        let mut stmt = self.conn.prepare(
            "SELECT contestant_id, status FROM sheet WHERE event_code = ?1 AND judge_id = ?2",
        )?;
        let mut rows = stmt.query([event, judge])?;
        let mut out = HashMap::new();
        while let Some(r) = rows.next()? {
            let s: String = r.get(1)?;
            out.insert(
                r.get(0)?,
                SheetStatus::parse(&s).unwrap_or(SheetStatus::Draft),
            );
        }
        Ok(out)
    }

    /// The contestants of `event` by their panel's latest counted sheet, newest first (what the
    /// projector follows).
    pub fn recent_contestants(&self, event: &str, limit: usize) -> Result<Vec<String>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT contestant_id, MAX(id) AS last FROM sheet
             WHERE event_code = ?1 AND status IN ('submitted', 'confirmed')
             GROUP BY contestant_id ORDER BY last DESC LIMIT ?2",
        )?;
        let rows = stmt.query_map(params![event, limit as i64], |r| r.get(0))?;
        Ok(rows.collect::<std::result::Result<_, _>>()?)
    }

    /// Number of sheets (any status) of one event.
    pub fn event_sheet_count(&self, event: &str) -> Result<usize> {
        let n: i64 = self.conn.query_row(
            "SELECT COUNT(*) FROM sheet WHERE event_code = ?1",
            [event],
            |r| r.get(0),
        )?;
        Ok(usize::try_from(n).unwrap_or(0))
    }

    /// Number of sheets by status.
    pub fn sheet_counts(&self) -> Result<HashMap<SheetStatus, usize>> {
        let mut stmt = self
            .conn
            .prepare("SELECT status, COUNT(*) FROM sheet GROUP BY status")?;
        let mut rows = stmt.query([])?;
        let mut out = HashMap::new();
        while let Some(r) = rows.next()? {
            let s: String = r.get(0)?;
            let n: i64 = r.get(1)?;
            if let Some(status) = SheetStatus::parse(&s) {
                out.insert(status, n as usize);
            }
        }
        Ok(out)
    }
}

fn duplicate_or(e: rusqlite::Error, s: &Sheet) -> StoreError {
    match e {
        rusqlite::Error::SqliteFailure(f, _)
            if f.code == rusqlite::ffi::ErrorCode::ConstraintViolation =>
        {
            StoreError::Rule(format!(
                "评分表重复或引用了不存在的项目/选手 (duplicate sheet or unknown event/contestant): {}/{}/{}",
                s.event, s.contestant, s.judge
            ))
        }
        other => other.into(),
    }
}

pub(super) fn criteria_text(c: &[Option<Fixed>]) -> String {
    c.iter()
        .map(|v| v.map_or_else(|| "-".to_string(), |v| v.to_string()))
        .collect::<Vec<_>>()
        .join(", ")
}

pub(super) fn sheet_row(
    conn: &Connection,
    event: &str,
    contestant: &str,
    judge: &str,
) -> Result<Option<(i64, SheetStatus)>> {
    let row: Option<(i64, String)> = conn
        .prepare_cached(
            "SELECT id, status FROM sheet WHERE event_code = ?1 AND contestant_id = ?2 AND judge_id = ?3",
        )?
        .query_row(
            [event, contestant, judge],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()?;
    Ok(row.map(|(id, s)| (id, SheetStatus::parse(&s).unwrap_or(SheetStatus::Draft))))
}

pub(super) fn load_sheet(
    conn: &Connection,
    event: &str,
    contestant: &str,
    judge: &str,
) -> Result<Option<Sheet>> {
    let row = conn
        .prepare_cached(
            "SELECT id, total_e4, status, entered_by, entered_at FROM sheet WHERE event_code = ?1 AND contestant_id = ?2 AND judge_id = ?3",
        )?
        .query_row(
            [event, contestant, judge],
            |r| {
                Ok((
                    r.get::<_, i64>(0)?,
                    r.get::<_, i64>(1)?,
                    r.get::<_, String>(2)?,
                    r.get::<_, String>(3)?,
                    r.get::<_, String>(4)?,
                ))
            },
        )
        .optional()?;
    let Some((id, total, status, by, at)) = row else {
        return Ok(None);
    };
    let n: i64 = conn.query_row(
        "SELECT COUNT(*) FROM criterion WHERE event_code = ?1",
        [event],
        |r| r.get(0),
    )?;
    let mut criteria = vec![None; n as usize];
    let mut stmt =
        conn.prepare("SELECT position, value_e4 FROM sheet_score WHERE sheet_id = ?1")?;
    let mut rows = stmt.query([id])?;
    while let Some(r) = rows.next()? {
        let pos = r.get::<_, i64>(0)? as usize;
        if pos >= criteria.len() {
            criteria.resize(pos + 1, None);
        }
        criteria[pos] = Some(Fixed::from_raw(r.get(1)?));
    }
    Ok(Some(Sheet {
        event: event.to_string(),
        contestant: contestant.to_string(),
        judge: judge.to_string(),
        criteria,
        total: Fixed::from_raw(total),
        status: SheetStatus::parse(&status).unwrap_or(SheetStatus::Draft),
        entered_by: by,
        entered_at: at,
    }))
}
