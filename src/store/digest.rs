//! The digest of the scoring state (成绩状态摘要), kept with the audit chain.
//!
//! The scoring state is every row that can change a result: submitted sheets with their
//! scores, penalties, absences, panels, contestants (school, group), judges (school), entries,
//! the events and their criteria, the competition's rules and the award decisions. Each such
//! row has a canonical text ([`PARTS`]); the state digest is the multiset hash of those rows
//! (the sum, modulo 2^256, of SHA-256 over each row), so one changed row updates it in
//! constant time.
//!
//! The app itself keeps it current, not triggers stored in the file (an edit with `sqlite3`
//! would fire those too): each writing connection installs *temporary* triggers that only
//! note which rows a transaction touched (`temp.touched`). When the transaction appends its
//! audit entry ([`super::audit::append`]), the touched rows are read back, compared with the
//! last recorded state (`state_row`), and every difference is written to `audit_change` with
//! its old and new values; the new digest goes into the entry, whose hash covers it. So the
//! audit log records what changed, with values, and the chain's head covers the scores.
//!
//! `check` replays `audit_change` from the start and compares the result with the tables,
//! naming the table, row and field that disagree ([`verify`]); results, exports and the window
//! run the cheaper [`fast_check`] (recompute the digest from the tables, compare with the
//! chain's last entry).

use std::collections::BTreeMap;

use rusqlite::{Connection, OptionalExtension, params};
use sha2::{Digest, Sha256};

use super::error::Result;

/// One kind of row in the scoring state.
pub struct Part {
    /// The name used in `state_row` and `audit_change` (the table's name).
    pub name: &'static str,
    /// The primary key columns.
    pub key: &'static [&'static str],
    /// The fields, as (name, SQL expression over the table).
    pub fields: &'static [(&'static str, &'static str)],
    /// Which rows count (drafts do not).
    pub filter: &'static str,
    /// Other tables whose updates and deletions touch a row of this part: (table, the column
    /// holding the part's key). Their inserts are not watched: the store writes a sheet's
    /// scores only together with the sheet row itself or after deleting its old scores (both
    /// watched), and a venue's merge inserts about a million score rows.
    pub also: &'static [(&'static str, &'static str)],
}

/// Every part of the scoring state.
pub const PARTS: &[Part] = &[
    Part {
        name: "sheet",
        key: &["id"],
        fields: &[
            ("event_code", "event_code"),
            ("contestant_id", "contestant_id"),
            ("judge_id", "judge_id"),
            ("status", "status"),
            ("total_e4", "total_e4"),
            (
                "scores",
                "(SELECT group_concat(position || ':' || value_e4, ' ' ORDER BY position) FROM sheet_score WHERE sheet_id = sheet.id)",
            ),
        ],
        filter: "status <> 'draft'",
        also: &[("sheet_score", "sheet_id")],
    },
    Part {
        name: "penalty",
        key: &["id"],
        fields: &[
            ("event_code", "event_code"),
            ("contestant_id", "contestant_id"),
            ("points_e4", "points_e4"),
            ("reason", "reason"),
        ],
        filter: "1",
        also: &[],
    },
    Part {
        name: "absence",
        key: &["id"],
        fields: &[
            ("event_code", "event_code"),
            ("judge_id", "judge_id"),
            ("contestant_id", "contestant_id"),
            ("reason", "reason"),
        ],
        filter: "1",
        also: &[],
    },
    Part {
        name: "panel",
        key: &["event_code", "judge_id"],
        fields: &[],
        filter: "1",
        also: &[],
    },
    Part {
        name: "contestant",
        key: &["id"],
        fields: &[
            ("name", "name"),
            ("gender", "gender"),
            ("stage", "stage"),
            ("subject", "subject"),
            ("school", "school"),
            ("county", "county"),
        ],
        filter: "1",
        also: &[],
    },
    Part {
        name: "judge",
        key: &["id"],
        fields: &[
            ("name", "name"),
            ("school", "school"),
            ("county", "county"),
            ("head", "head"),
        ],
        filter: "1",
        also: &[],
    },
    Part {
        name: "entry",
        key: &["event_code", "contestant_id"],
        fields: &[("draw_order", "draw_order"), ("anon_code", "anon_code")],
        filter: "1",
        also: &[],
    },
    Part {
        name: "event",
        key: &["code"],
        fields: &[
            ("name", "name"),
            ("kind", "kind"),
            ("panel_size", "panel_size"),
            ("trim", "trim"),
            ("aggregate", "aggregate"),
            ("decimals", "decimals"),
            ("step_e4", "step_e4"),
            ("weight_e4", "weight_e4"),
            ("minutes", "minutes"),
            ("blind", "blind"),
        ],
        filter: "1",
        also: &[],
    },
    Part {
        name: "criterion",
        key: &["event_code", "position"],
        fields: &[("name", "name"), ("max_e4", "max_e4")],
        filter: "1",
        also: &[],
    },
    Part {
        name: "penalty_item",
        key: &["event_code", "position"],
        fields: &[("name", "name"), ("points_e4", "points_e4")],
        filter: "1",
        also: &[],
    },
    Part {
        name: "competition",
        key: &["id"],
        fields: &[
            ("title", "title"),
            ("edition", "edition"),
            ("organiser", "organiser"),
            ("dates", "dates"),
            ("venue", "venue"),
            ("decimals", "decimals"),
            ("awards_json", "awards_json"),
            ("ranking_json", "ranking_json"),
        ],
        filter: "1",
        also: &[],
    },
    Part {
        name: "award_decision",
        key: &["event_code", "contestant_id"],
        fields: &[("tier", "tier"), ("reason", "reason")],
        filter: "1",
        also: &[],
    },
];

/// The digest of an empty state.
pub const EMPTY: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// A multiset hash: the sum of row hashes modulo 2^256 (little-endian limbs).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Sum([u64; 4]);

impl Sum {
    fn add_limbs(&mut self, other: [u64; 4]) {
        let mut carry = false;
        for (a, b) in self.0.iter_mut().zip(other) {
            let (s1, c1) = a.overflowing_add(b);
            let (s2, c2) = s1.overflowing_add(u64::from(carry));
            *a = s2;
            carry = c1 || c2;
        }
    }

    /// Adds a row.
    pub fn add(&mut self, part: &str, key: &str, row: &str) {
        self.add_limbs(row_hash(part, key, row));
    }

    /// Removes a row (adds its two's complement).
    pub fn remove(&mut self, part: &str, key: &str, row: &str) {
        let h = row_hash(part, key, row);
        let mut neg = [0u64; 4];
        for (n, x) in neg.iter_mut().zip(h) {
            *n = !x;
        }
        self.add_limbs(neg);
        self.add_limbs([1, 0, 0, 0]);
    }

    /// Hex, most significant limb first.
    pub fn hex(&self) -> String {
        self.0.iter().rev().map(|l| format!("{l:016x}")).collect()
    }

    /// Parses [`Sum::hex`].
    pub fn parse(hex: &str) -> Option<Sum> {
        if hex.len() != 64 || !hex.is_ascii() {
            return None;
        }
        let mut limbs = [0u64; 4];
        for (i, limb) in limbs.iter_mut().enumerate() {
            let from = (3 - i) * 16;
            *limb = u64::from_str_radix(&hex[from..from + 16], 16).ok()?;
        }
        Some(Sum(limbs))
    }
}

fn row_hash(part: &str, key: &str, row: &str) -> [u64; 4] {
    let mut h = Sha256::new();
    for s in [part, key, row] {
        h.update((s.len() as u64).to_le_bytes());
        h.update(s.as_bytes());
    }
    let d = h.finalize();
    let mut limbs = [0u64; 4];
    for (i, limb) in limbs.iter_mut().enumerate() {
        let mut b = [0u8; 8];
        b.copy_from_slice(&d[i * 8..i * 8 + 8]);
        *limb = u64::from_le_bytes(b);
    }
    limbs
}

fn key_sql(part: &Part, prefix: &str) -> String {
    let cols: Vec<String> = part.key.iter().map(|k| format!("{prefix}{k}")).collect();
    format!("json_array({})", cols.join(", "))
}

fn row_sql(part: &Part) -> String {
    if part.fields.is_empty() {
        return "'[]'".into();
    }
    let exprs: Vec<&str> = part.fields.iter().map(|(_, e)| *e).collect();
    format!("json_array({})", exprs.join(", "))
}

/// The SQL that lists every counted row of a part: (key, row).
fn all_rows_sql(part: &Part) -> String {
    format!(
        "SELECT {}, {} FROM {} WHERE {}",
        key_sql(part, ""),
        row_sql(part),
        part.name,
        part.filter
    )
}

/// The SQL that reads, for every touched key of a part: (key, the row now or NULL, the row as
/// last recorded or NULL) — one query per part, however many rows a transaction touched.
fn touched_rows_sql(part: &Part) -> String {
    let conds: Vec<String> = part
        .key
        .iter()
        .enumerate()
        .map(|(i, k)| format!("{}.{k} = json_extract(t.key, '$[{i}]')", part.name))
        .collect();
    format!(
        "SELECT t.key, CASE WHEN {table}.{k0} IS NULL THEN NULL ELSE {row} END, s.row
         FROM temp.touched t
         LEFT JOIN {table} ON {conds} AND {filter}
         LEFT JOIN state_row s ON s.part = t.part AND s.key = t.key
         WHERE t.part = ?1",
        table = part.name,
        k0 = part.key[0],
        row = row_sql(part),
        conds = conds.join(" AND "),
        filter = part.filter,
    )
}

/// Creates `temp.touched` (any connection that may write). Needs no table of the file.
pub fn install_touched(conn: &Connection) -> rusqlite::Result<()> {
    conn.execute_batch(
        "CREATE TEMP TABLE IF NOT EXISTS touched (part TEXT NOT NULL, key TEXT NOT NULL, PRIMARY KEY (part, key)) WITHOUT ROWID;",
    )
}

/// Installs the temporary triggers that note touched rows (on a file with the current schema).
pub fn install_triggers(conn: &Connection) -> rusqlite::Result<()> {
    let mut sql = String::new();
    for part in PARTS {
        let mut tables = vec![(
            part.name,
            key_sql(part, "NEW."),
            key_sql(part, "OLD."),
            true,
        )];
        for (table, col) in part.also {
            tables.push((
                table,
                format!("json_array(NEW.{col})"),
                format!("json_array(OLD.{col})"),
                false,
            ));
        }
        for (table, new_key, old_key, on_insert) in tables {
            for (op, keys) in [
                ("INSERT", vec![new_key.as_str()]),
                ("UPDATE", vec![old_key.as_str(), new_key.as_str()]),
                ("DELETE", vec![old_key.as_str()]),
            ] {
                if op == "INSERT" && !on_insert {
                    continue;
                }
                let inserts: String = keys
                    .iter()
                    .map(|k| {
                        format!(
                            "INSERT OR IGNORE INTO temp.touched VALUES ('{}', {k});",
                            part.name
                        )
                    })
                    .collect();
                sql.push_str(&format!(
                    "CREATE TEMP TRIGGER IF NOT EXISTS touch_{table}_{op} AFTER {op} ON main.{table} BEGIN {inserts} END;\n",
                    op = op.to_lowercase()
                ));
            }
        }
    }
    conn.execute_batch(&sql)
}

/// Whether the file has the digest's tables (schema version 5 and later).
pub fn present(conn: &Connection) -> Result<bool> {
    Ok(conn
        .query_row(
            "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'state_row'",
            [],
            |_| Ok(()),
        )
        .optional()?
        .is_some())
}

/// Marks every row of the state as touched (the baseline when a file first gets a digest).
pub fn touch_all(conn: &Connection) -> Result<()> {
    for part in PARTS {
        conn.execute(
            &format!(
                "INSERT OR IGNORE INTO temp.touched SELECT '{}', {} FROM {} WHERE {}",
                part.name,
                key_sql(part, ""),
                part.name,
                part.filter
            ),
            [],
        )?;
    }
    Ok(())
}

/// One changed row: `old` None is an insert, `new` None a removal.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Change {
    pub part: String,
    pub key: String,
    pub old: Option<String>,
    pub new: Option<String>,
}

/// Reads the touched rows, records what changed in `audit_change` under `seq` and in
/// `state_row`, empties `temp.touched`, and returns the changes' hash and the new digest.
pub fn settle(conn: &Connection, seq: i64, prev_state: &str) -> Result<(String, String)> {
    let mut sum = Sum::parse(prev_state).unwrap_or_default();
    let mut changes = Vec::new();
    for part in PARTS {
        let mut stmt = conn.prepare_cached(&touched_rows_sql(part))?;
        let mut rows = stmt.query([part.name])?;
        while let Some(r) = rows.next()? {
            let key: String = r.get(0)?;
            let new: Option<String> = r.get(1)?;
            let old: Option<String> = r.get(2)?;
            if new == old {
                continue;
            }
            if let Some(o) = &old {
                sum.remove(part.name, &key, o);
            }
            if let Some(n) = &new {
                sum.add(part.name, &key, n);
            }
            changes.push(Change {
                part: part.name.to_string(),
                key,
                old,
                new,
            });
        }
    }
    conn.execute("DELETE FROM temp.touched", [])?;
    {
        let mut ins = conn.prepare_cached(
            "INSERT INTO audit_change (seq, n, part, key, old, new) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        )?;
        let mut put = conn.prepare_cached(
            "INSERT INTO state_row (part, key, row) VALUES (?1, ?2, ?3) ON CONFLICT (part, key) DO UPDATE SET row = excluded.row",
        )?;
        let mut del = conn.prepare_cached("DELETE FROM state_row WHERE part = ?1 AND key = ?2")?;
        for (n, c) in changes.iter().enumerate() {
            ins.execute(params![seq, n as i64, c.part, c.key, c.old, c.new])?;
            match &c.new {
                Some(row) => put.execute(params![c.part, c.key, row])?,
                None => del.execute(params![c.part, c.key])?,
            };
        }
    }
    Ok((changes_hash(&changes), sum.hex()))
}

/// The hash over an entry's changes, in order (covered by the entry's hash).
pub fn changes_hash(changes: &[Change]) -> String {
    let mut h = Sha256::new();
    for c in changes {
        for s in [
            Some(c.part.as_str()),
            Some(c.key.as_str()),
            c.old.as_deref(),
            c.new.as_deref(),
        ] {
            match s {
                Some(s) => {
                    h.update([1u8]);
                    h.update((s.len() as u64).to_le_bytes());
                    h.update(s.as_bytes());
                }
                None => h.update([0u8]),
            }
        }
    }
    h.finalize().iter().map(|b| format!("{b:02x}")).collect()
}

/// The state as the tables hold it now: (part, key) → row.
pub fn table_state(conn: &Connection) -> Result<BTreeMap<(String, String), String>> {
    let mut state = BTreeMap::new();
    for part in PARTS {
        let mut stmt = conn.prepare(&all_rows_sql(part))?;
        let mut rows = stmt.query([])?;
        while let Some(r) = rows.next()? {
            state.insert((part.name.to_string(), r.get(0)?), r.get(1)?);
        }
    }
    Ok(state)
}

/// The digest of the tables as they are now.
pub fn table_digest(conn: &Connection) -> Result<String> {
    let mut sum = Sum::default();
    for part in PARTS {
        let mut stmt = conn.prepare(&all_rows_sql(part))?;
        let mut rows = stmt.query([])?;
        while let Some(r) = rows.next()? {
            let key: String = r.get(0)?;
            let row: String = r.get(1)?;
            sum.add(part.name, &key, &row);
        }
    }
    Ok(sum.hex())
}

/// The digest recorded by the chain's last entry (None: the file has no digest yet).
pub fn recorded_digest(conn: &Connection) -> Result<Option<String>> {
    if !present(conn)? {
        return Ok(None);
    }
    Ok(conn
        .query_row(
            "SELECT state FROM audit WHERE state <> '' ORDER BY seq DESC LIMIT 1",
            [],
            |r| r.get(0),
        )
        .optional()?)
}

/// The cheap comparison for results, exports and the window: `None` when the tables match the
/// chain's recorded digest (or the file predates digests), else a description.
pub fn fast_check(conn: &Connection) -> Result<Option<String>> {
    let Some(recorded) = recorded_digest(conn)? else {
        return Ok(None);
    };
    let now = table_digest(conn)?;
    if now == recorded {
        Ok(None)
    } else {
        Ok(Some(format!(
            "recorded {} / tables {}",
            &recorded[..16],
            &now[..16]
        )))
    }
}

/// Names a field of a part's row by its position.
pub fn field_name(part: &str, index: usize) -> &'static str {
    PARTS
        .iter()
        .find(|p| p.name == part)
        .and_then(|p| p.fields.get(index))
        .map(|(n, _)| *n)
        .unwrap_or("?")
}

/// The fields in which two canonical rows differ: (field, old, new).
pub fn differing_fields(part: &str, old: &str, new: &str) -> Vec<(String, String, String)> {
    let a: Vec<serde_json::Value> = serde_json::from_str(old).unwrap_or_default();
    let b: Vec<serde_json::Value> = serde_json::from_str(new).unwrap_or_default();
    let n = a.len().max(b.len());
    (0..n)
        .filter_map(|i| {
            let x = a.get(i).cloned().unwrap_or(serde_json::Value::Null);
            let y = b.get(i).cloned().unwrap_or(serde_json::Value::Null);
            (x != y).then(|| (field_name(part, i).to_string(), show(&x), show(&y)))
        })
        .collect()
}

fn show(v: &serde_json::Value) -> String {
    match v {
        serde_json::Value::String(s) => s.clone(),
        serde_json::Value::Null => "(空)".into(),
        other => other.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_multiset_sum_is_order_free_and_removal_undoes_addition() {
        let mut a = Sum::default();
        a.add("sheet", "[1]", "x");
        a.add("sheet", "[2]", "y");
        let mut b = Sum::default();
        b.add("sheet", "[2]", "y");
        b.add("sheet", "[1]", "x");
        assert_eq!(a, b);
        b.remove("sheet", "[2]", "y");
        let mut c = Sum::default();
        c.add("sheet", "[1]", "x");
        assert_eq!(b, c);
        c.remove("sheet", "[1]", "x");
        assert_eq!(c.hex(), EMPTY);
        assert_eq!(Sum::parse(&a.hex()), Some(a));
    }

    #[test]
    fn a_changed_field_is_named() {
        let d = differing_fields(
            "sheet",
            r#"["E01","C1","PW1","submitted",900000,"0:1"]"#,
            r#"["E01","C1","PW1","submitted",910000,"0:1"]"#,
        );
        assert_eq!(
            d,
            vec![(
                "total_e4".to_string(),
                "900000".to_string(),
                "910000".to_string()
            )]
        );
    }
}
