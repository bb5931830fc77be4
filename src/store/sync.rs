//! The tables of several devices: judges' packet keys and kit versions, the packets merged,
//! and the conflicts a merge found; and writing a judge kit's contents into a new file.

use rusqlite::{OptionalExtension, params};

use super::sheets::{criteria_text, load_sheet, sheet_row};
use super::{Result, Store, StoreError, audit};
use crate::clock;
use crate::model::{Contestant, Fixed, Judge, Sheet, SheetStatus};

/// A merged packet as recorded on the master.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PacketRecord {
    pub hash: String,
    pub judge: String,
    pub device: String,
    pub seq: u64,
    pub sent_at: String,
    pub received_at: String,
    pub sheets: usize,
    pub added: usize,
    pub confirmed: usize,
    pub conflicts: usize,
}

/// A packet sheet that differs from the master's.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Conflict {
    pub id: i64,
    pub event: String,
    pub contestant: String,
    pub judge: String,
    pub packet_hash: String,
    /// The packet's values.
    pub criteria: Vec<Option<Fixed>>,
    pub total: Fixed,
    /// `open`, `kept` (the master's value stays) or `taken` (the packet's value replaced it).
    pub status: String,
    pub reason: String,
}

/// What a merge writes, decided beforehand by the command layer.
#[derive(Clone, Debug, Default)]
pub struct MergeWrite {
    /// New sheets (or sheets replacing a master draft).
    pub add: Vec<Sheet>,
    /// Master sheets whose values the packet repeats: marked confirmed.
    pub confirm: Vec<(String, String, String)>,
    /// Packet sheets that differ from the master's.
    pub conflicts: Vec<Sheet>,
}

/// The contents of a judge kit.
#[derive(Clone, Debug, Default)]
pub struct KitData {
    pub judge: Option<Judge>,
    pub pin_hash: Option<String>,
    pub head: bool,
    pub contestants: Vec<Contestant>,
    /// (event, contestant, draw order, anonymous code).
    pub entries: Vec<(String, String, Option<u32>, Option<String>)>,
    /// (event, seed) of each drawn event.
    pub draws: Vec<(String, u64)>,
    pub meta: Vec<(String, String)>,
}

impl Store {
    /// The judge's packet key (hex) and the kit version last exported.
    pub fn judge_key(&self, judge: &str) -> Result<Option<(String, u32)>> {
        Ok(self
            .conn
            .query_row(
                "SELECT key_hex, kit_version FROM judge_key WHERE judge_id = ?1",
                [judge],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()?)
    }

    /// Records a kit export: keeps the judge's key (or stores `new_key` as the first, or as a
    /// replacement when `revoke`) and bumps the kit version; returns (key, version). Audited.
    pub fn issue_kit(
        &mut self,
        judge: &str,
        new_key: &str,
        revoke: bool,
        actor: &str,
    ) -> Result<(String, u32)> {
        self.require_write()?;
        let tx = self
            .conn
            .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        let existing: Option<(String, u32)> = tx
            .query_row(
                "SELECT key_hex, kit_version FROM judge_key WHERE judge_id = ?1",
                [judge],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()?;
        let (key, version) = match existing {
            Some((key, v)) if !revoke => (key, v + 1),
            Some((_, v)) => (new_key.to_string(), v + 1),
            None => (new_key.to_string(), 1),
        };
        tx.execute(
            "INSERT INTO judge_key (judge_id, key_hex, kit_version, created_at) VALUES (?1, ?2, ?3, ?4)
             ON CONFLICT(judge_id) DO UPDATE SET key_hex = excluded.key_hex, kit_version = excluded.kit_version",
            params![judge, key, version, clock::now_rfc3339()],
        )?;
        audit::append(
            &tx,
            actor,
            "export-kit",
            &format!(
                "{judge}: kit version {version}{}",
                if revoke {
                    ", key revoked and replaced"
                } else {
                    ""
                }
            ),
        )?;
        tx.commit()?;
        Ok((key, version))
    }

    /// Whether a packet with this hash was merged already.
    pub fn packet_seen(&self, hash: &str) -> Result<Option<PacketRecord>> {
        Ok(self
            .conn
            .query_row(
                "SELECT hash, judge_id, device, seq, sent_at, received_at, sheets, added, confirmed, conflicts
                 FROM packet WHERE hash = ?1",
                [hash],
                packet_row,
            )
            .optional()?)
    }

    /// The highest sequence number merged from this judge's station.
    pub fn last_packet_seq(&self, judge: &str, device: &str) -> Result<Option<u64>> {
        let seq: Option<i64> = self.conn.query_row(
            "SELECT MAX(seq) FROM packet WHERE judge_id = ?1 AND device = ?2",
            [judge, device],
            |r| r.get(0),
        )?;
        Ok(seq.and_then(|s| u64::try_from(s).ok()))
    }

    /// Every merged packet, newest first.
    pub fn packets(&self) -> Result<Vec<PacketRecord>> {
        let mut stmt = self.conn.prepare(
            "SELECT hash, judge_id, device, seq, sent_at, received_at, sheets, added, confirmed, conflicts
             FROM packet ORDER BY received_at DESC, seq DESC",
        )?;
        let rows = stmt.query_map([], packet_row)?;
        Ok(rows.collect::<std::result::Result<_, _>>()?)
    }

    /// Merges one packet: its sheets, conflicts and record, and one audit entry — one
    /// transaction.
    pub fn merge_packet(
        &mut self,
        record: &PacketRecord,
        write: &MergeWrite,
        actor: &str,
    ) -> Result<()> {
        self.require_write()?;
        let tx = self
            .conn
            .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        let mut insert_score = tx.prepare_cached(
            "INSERT INTO sheet_score (sheet_id, position, value_e4) VALUES (?1, ?2, ?3)",
        )?;
        let mut insert_sheet = tx.prepare_cached(
            "INSERT INTO sheet (event_code, contestant_id, judge_id, total_e4, status, entered_by, entered_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
        )?;
        for s in &write.add {
            let id = match sheet_row(&tx, &s.event, &s.contestant, &s.judge)? {
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
                        "{}/{}/{} 已有提交的评分表 (a submitted sheet exists)",
                        s.event, s.contestant, s.judge
                    )));
                }
                None => insert_sheet.insert(params![
                    s.event,
                    s.contestant,
                    s.judge,
                    s.total.raw(),
                    s.status.as_str(),
                    s.entered_by,
                    s.entered_at
                ])?,
            };
            for (pos, v) in s.criteria.iter().enumerate() {
                if let Some(v) = v {
                    insert_score.execute(params![id, pos as i64, v.raw()])?;
                }
            }
        }
        drop(insert_score);
        drop(insert_sheet);
        for (event, contestant, judge) in &write.confirm {
            tx.execute(
                "UPDATE sheet SET status = 'confirmed' WHERE event_code = ?1 AND contestant_id = ?2 AND judge_id = ?3 AND status = 'submitted'",
                [event, contestant, judge],
            )?;
        }
        for s in &write.conflicts {
            let criteria = serde_json::to_string(
                &s.criteria
                    .iter()
                    .map(|c| c.map(|v| v.to_string()))
                    .collect::<Vec<_>>(),
            )
            .map_err(|e| StoreError::Rule(e.to_string()))?;
            // The same difference from an earlier packet stays one open conflict.
            let open: Option<i64> = tx
                .query_row(
                    "SELECT id FROM conflict WHERE event_code = ?1 AND contestant_id = ?2 AND judge_id = ?3
                     AND status = 'open' AND total_e4 = ?4 AND criteria_json = ?5",
                    params![s.event, s.contestant, s.judge, s.total.raw(), criteria],
                    |r| r.get(0),
                )
                .optional()?;
            if open.is_none() {
                tx.execute(
                    "INSERT INTO conflict (event_code, contestant_id, judge_id, packet_hash, criteria_json, total_e4, status)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, 'open')",
                    params![s.event, s.contestant, s.judge, record.hash, criteria, s.total.raw()],
                )?;
            }
        }
        tx.execute(
            "INSERT INTO packet (hash, judge_id, device, seq, sent_at, received_at, sheets, added, confirmed, conflicts)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
            params![
                record.hash,
                record.judge,
                record.device,
                i64::try_from(record.seq).unwrap_or(i64::MAX),
                record.sent_at,
                record.received_at,
                record.sheets as i64,
                record.added as i64,
                record.confirmed as i64,
                record.conflicts as i64
            ],
        )?;
        let keys = |list: &mut dyn Iterator<Item = String>| list.collect::<Vec<_>>().join(", ");
        audit::append(
            &tx,
            actor,
            "merge-packet",
            &format!(
                "packet {} from station {} of {} (seq {}): added [{}]; confirmed [{}]; conflicts [{}]",
                record.hash,
                record.device,
                record.judge,
                record.seq,
                keys(&mut write.add.iter().map(|s| format!(
                    "{}/{} {} [{}]",
                    s.event,
                    s.contestant,
                    s.total,
                    criteria_text(&s.criteria)
                ))),
                keys(&mut write.confirm.iter().map(|(e, c, _)| format!("{e}/{c}"))),
                keys(
                    &mut write
                        .conflicts
                        .iter()
                        .map(|s| format!("{}/{} {}", s.event, s.contestant, s.total))
                ),
            ),
        )?;
        tx.commit()?;
        Ok(())
    }

    /// Conflicts, open ones first.
    pub fn conflicts(&self, open_only: bool) -> Result<Vec<Conflict>> {
        let mut stmt = self.conn.prepare(
            "SELECT id, event_code, contestant_id, judge_id, packet_hash, criteria_json, total_e4, status, reason
             FROM conflict WHERE (?1 = 0 OR status = 'open') ORDER BY status != 'open', id",
        )?;
        let rows = stmt.query_map([i64::from(open_only)], |r| {
            let json: String = r.get(5)?;
            Ok((
                Conflict {
                    id: r.get(0)?,
                    event: r.get(1)?,
                    contestant: r.get(2)?,
                    judge: r.get(3)?,
                    packet_hash: r.get(4)?,
                    criteria: Vec::new(),
                    total: Fixed::from_raw(r.get(6)?),
                    status: r.get(7)?,
                    reason: r.get(8)?,
                },
                json,
            ))
        })?;
        let mut out = Vec::new();
        for row in rows {
            let (mut c, json) = row?;
            let texts: Vec<Option<String>> =
                serde_json::from_str(&json).map_err(|e| StoreError::Rule(e.to_string()))?;
            c.criteria = texts
                .into_iter()
                .map(|t| t.and_then(|t| Fixed::parse(&t).ok()))
                .collect();
            out.push(c);
        }
        Ok(out)
    }

    /// Resolves an open conflict: `take` the packet's values (a correction of the master's
    /// sheet, old values kept in the audit log) or keep the master's. One transaction.
    pub fn resolve_conflict(
        &mut self,
        id: i64,
        take: bool,
        reason: &str,
        actor: &str,
    ) -> Result<()> {
        self.require_write()?;
        let conflict = self
            .conflicts(true)?
            .into_iter()
            .find(|c| c.id == id)
            .ok_or_else(|| {
                StoreError::Rule(format!("没有待处理的冲突 {id} (no such open conflict)"))
            })?;
        let tx = self
            .conn
            .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        let old = load_sheet(&tx, &conflict.event, &conflict.contestant, &conflict.judge)?;
        if take {
            let sheet_id = sheet_row(&tx, &conflict.event, &conflict.contestant, &conflict.judge)?
                .map(|(id, _)| id)
                .ok_or_else(|| StoreError::Rule("没有这张评分表 (no such sheet)".into()))?;
            tx.execute(
                "UPDATE sheet SET total_e4 = ?2, status = 'submitted', entered_by = ?3, entered_at = ?4 WHERE id = ?1",
                params![sheet_id, conflict.total.raw(), format!("packet:{}", conflict.packet_hash.get(..12).unwrap_or("")), clock::now_rfc3339()],
            )?;
            tx.execute("DELETE FROM sheet_score WHERE sheet_id = ?1", [sheet_id])?;
            for (pos, v) in conflict.criteria.iter().enumerate() {
                if let Some(v) = v {
                    tx.execute(
                        "INSERT INTO sheet_score (sheet_id, position, value_e4) VALUES (?1, ?2, ?3)",
                        params![sheet_id, pos as i64, v.raw()],
                    )?;
                }
            }
        }
        tx.execute(
            "UPDATE conflict SET status = ?2, reason = ?3, resolved_by = ?4, resolved_at = ?5 WHERE id = ?1",
            params![id, if take { "taken" } else { "kept" }, reason, actor, clock::now_rfc3339()],
        )?;
        audit::append(
            &tx,
            actor,
            "resolve-conflict",
            &format!(
                "{}/{}/{}: {} master {} [{}], packet {} [{}]; reason: {reason}",
                conflict.event,
                conflict.contestant,
                conflict.judge,
                if take {
                    "took the packet's value over"
                } else {
                    "kept"
                },
                old.as_ref()
                    .map_or("-".to_string(), |s| s.total.to_string()),
                old.as_ref()
                    .map_or(String::new(), |s| criteria_text(&s.criteria)),
                conflict.total,
                criteria_text(&conflict.criteria),
            ),
        )?;
        tx.commit()?;
        Ok(())
    }

    /// A judge's sheets (all events), with criteria: two queries, whatever their number.
    pub fn sheets_of_judge(&self, judge: &str) -> Result<Vec<Sheet>> {
        let mut criteria: std::collections::HashMap<i64, Vec<Option<Fixed>>> =
            std::collections::HashMap::new();
        {
            let mut stmt = self.conn.prepare_cached(
                "SELECT s.sheet_id, s.position, s.value_e4 FROM sheet_score s
                 JOIN sheet h ON h.id = s.sheet_id WHERE h.judge_id = ?1",
            )?;
            let mut rows = stmt.query([judge])?;
            while let Some(r) = rows.next()? {
                let id: i64 = r.get(0)?;
                let pos = usize::try_from(r.get::<_, i64>(1)?).unwrap_or(0);
                let list = criteria.entry(id).or_default();
                if list.len() <= pos {
                    list.resize(pos + 1, None);
                }
                if let Some(slot) = list.get_mut(pos) {
                    *slot = Some(Fixed::from_raw(r.get(2)?));
                }
            }
        }
        let sizes: std::collections::HashMap<String, usize> = {
            let mut stmt = self
                .conn
                .prepare_cached("SELECT event_code, COUNT(*) FROM criterion GROUP BY event_code")?;
            stmt.query_map([], |r| {
                Ok((
                    r.get::<_, String>(0)?,
                    usize::try_from(r.get::<_, i64>(1)?).unwrap_or(0),
                ))
            })?
            .collect::<std::result::Result<_, _>>()?
        };
        let mut stmt = self.conn.prepare_cached(
            "SELECT id, event_code, contestant_id, total_e4, status, entered_by, entered_at
             FROM sheet WHERE judge_id = ?1 ORDER BY id",
        )?;
        let mut rows = stmt.query([judge])?;
        let mut out = Vec::new();
        while let Some(r) = rows.next()? {
            let id: i64 = r.get(0)?;
            let event: String = r.get(1)?;
            let status: String = r.get(4)?;
            let mut c = criteria.remove(&id).unwrap_or_default();
            let n = sizes.get(&event).copied().unwrap_or(0);
            if c.len() < n {
                c.resize(n, None);
            }
            out.push(Sheet {
                event,
                contestant: r.get(2)?,
                judge: judge.to_string(),
                criteria: c,
                total: Fixed::from_raw(r.get(3)?),
                status: SheetStatus::parse(&status).unwrap_or(SheetStatus::Draft),
                entered_by: r.get(5)?,
                entered_at: r.get(6)?,
            });
        }
        Ok(out)
    }

    /// The contestants entered in `event`.
    pub fn entrants(&self, event: &str) -> Result<std::collections::HashSet<String>> {
        let mut stmt = self
            .conn
            .prepare_cached("SELECT contestant_id FROM entry WHERE event_code = ?1")?;
        let rows = stmt.query_map([event], |r| r.get(0))?;
        Ok(rows.collect::<std::result::Result<_, _>>()?)
    }

    /// Writes a judge kit's contents into this new file (after [`Store::init_setup`]): the
    /// contestants with only the entries given, the draws, the one judge with their PIN hash
    /// and panels, and the kit's meta values. One transaction; the audit entry names no
    /// contestant.
    pub fn fill_kit(&mut self, kit: &KitData, actor: &str) -> Result<()> {
        self.require_write()?;
        let tx = self
            .conn
            .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        {
            let mut insert = tx.prepare(
                "INSERT INTO contestant (id, name, gender, stage, subject, school, county, phone, position)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
            )?;
            for (i, c) in kit.contestants.iter().enumerate() {
                insert.execute(params![
                    c.id,
                    c.name,
                    c.gender.as_str(),
                    c.stage.as_str(),
                    c.subject,
                    c.school,
                    c.county,
                    c.phone,
                    i as i64 + 1
                ])?;
            }
            let mut enter = tx.prepare(
                "INSERT INTO entry (event_code, contestant_id, draw_order, anon_code) VALUES (?1, ?2, ?3, ?4)",
            )?;
            for (event, contestant, order, code) in &kit.entries {
                enter.execute(params![event, contestant, order, code])?;
            }
            let mut draw =
                tx.prepare("INSERT INTO draw (event_code, seed, drawn_at) VALUES (?1, ?2, ?3)")?;
            for (event, seed) in &kit.draws {
                draw.execute(params![event, *seed as i64, clock::now_rfc3339()])?;
            }
        }
        if let Some(j) = &kit.judge {
            tx.execute(
                "INSERT INTO judge (id, name, school, county, pin_hash, head, position) VALUES (?1, ?2, ?3, ?4, ?5, ?6, 1)",
                params![j.id, j.name, j.school, j.county, kit.pin_hash, i64::from(kit.head)],
            )?;
            for code in &j.events {
                tx.execute(
                    "INSERT INTO panel (event_code, judge_id) VALUES (?1, ?2)",
                    [code, &j.id],
                )?;
            }
        }
        for (k, v) in &kit.meta {
            tx.execute(
                "INSERT INTO meta (key, value) VALUES (?1, ?2) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                [k, v],
            )?;
        }
        audit::append(
            &tx,
            actor,
            "kit",
            &format!(
                "judge kit for {}: {} contestants, {} entries",
                kit.judge.as_ref().map_or("", |j| j.id.as_str()),
                kit.contestants.len(),
                kit.entries.len()
            ),
        )?;
        tx.commit()?;
        Ok(())
    }
}

fn packet_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<PacketRecord> {
    let n = |i: usize| -> rusqlite::Result<usize> {
        let v: i64 = r.get(i)?;
        Ok(usize::try_from(v).unwrap_or(0))
    };
    let seq: i64 = r.get(3)?;
    Ok(PacketRecord {
        hash: r.get(0)?,
        judge: r.get(1)?,
        device: r.get(2)?,
        seq: u64::try_from(seq).unwrap_or(0),
        sent_at: r.get(4)?,
        received_at: r.get(5)?,
        sheets: n(6)?,
        added: n(7)?,
        confirmed: n(8)?,
        conflicts: n(9)?,
    })
}
