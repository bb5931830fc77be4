//! The full check of a competition file (`scoredesk check`), and the organiser's seals.
//!
//! What it proves: the audit chain links and hashes hold; each entry's recorded changes are
//! the ones its hash covers; replaying those changes from the start gives, entry by entry, the
//! digest each entry recorded, and at the end exactly the rows the tables hold now (any row
//! that differs is named: table, row, field, recorded and found values); SQLite's integrity
//! and foreign keys hold; the tables and triggers are the ones `schema.sql` describes. With the
//! organiser's PIN it also checks the seals (an HMAC over an entry's hash, keyed from the PIN):
//! a chain recomputed without the PIN does not match them.
//!
//! What it does not prove: that nothing happened after the last seal (entries after it are
//! only as good as the unkeyed chain — someone with the file and `sqlite3` could rewrite them
//! consistently), nor anything about a copy of the file made elsewhere. The judges' signed
//! packets (kits) are independent evidence of what each judge sent.

use std::collections::{BTreeMap, BTreeSet};

use hmac::{Hmac, Mac};
use rusqlite::{Connection, OptionalExtension, params};
use sha2::Sha256;

use super::digest::{self, Sum};
use super::error::Result;
use super::{Store, StoreError, audit, migrate};
use crate::clock;

/// The meta key of the seal key's salt.
pub const SEAL_SALT: &str = "seal_salt";

/// A row of the scoring state that is not what the audit log recorded.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Difference {
    /// The table (sheet, penalty, panel, contestant, …).
    pub table: String,
    /// The row's key (a JSON array of its key columns).
    pub key: String,
    /// What the row is, in words (e.g. the sheet's event/contestant/judge).
    pub what: String,
    pub kind: DifferenceKind,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum DifferenceKind {
    /// In the tables, never recorded (inserted behind the app's back).
    Added,
    /// Recorded, missing from the tables (deleted).
    Removed,
    /// Fields that differ: (field, recorded, found).
    Changed(Vec<(String, String, String)>),
}

/// The organiser's seals.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Seals {
    pub count: usize,
    /// The newest sealed entry.
    pub last_sealed: Option<i64>,
    /// Entries after the newest seal.
    pub unsealed_after: usize,
    /// With a PIN: the first seal that does not match (None: all match, or not checked).
    pub mismatch: Option<i64>,
    /// Whether the seals were checked with a PIN.
    pub verified: bool,
    /// A seal names an entry the log no longer has: its end was cut off (found without a PIN).
    pub beyond_end: bool,
}

/// Everything `check` found.
#[derive(Clone, Debug, Default)]
pub struct Report {
    pub integrity: String,
    pub entries: usize,
    pub head: String,
    /// The first entry whose link, hash or recorded changes do not hold.
    pub chain_break: Option<i64>,
    /// The first entry whose recorded changes do not follow from the ones before, or whose
    /// recorded digest does not match the replay.
    pub replay_break: Option<(i64, String)>,
    /// The tables against the replayed log.
    pub differences: Vec<Difference>,
    /// Rows of `state_row` (the app's record of the state) that differ from the replay.
    pub record_differences: usize,
    pub foreign_keys: Vec<String>,
    pub schema: Vec<String>,
    pub seals: Seals,
}

impl Report {
    /// Whether nothing is wrong.
    pub fn ok(&self) -> bool {
        self.integrity == "ok"
            && self.chain_break.is_none()
            && self.replay_break.is_none()
            && self.differences.is_empty()
            && self.record_differences == 0
            && self.foreign_keys.is_empty()
            && self.schema.is_empty()
            && self.seals.mismatch.is_none()
            && !self.seals.beyond_end
    }
}

fn describe(table: &str, row: &str) -> String {
    let v: Vec<serde_json::Value> = serde_json::from_str(row).unwrap_or_default();
    let s = |i: usize| {
        v.get(i)
            .map(|x| match x {
                serde_json::Value::String(s) => s.clone(),
                other => other.to_string(),
            })
            .unwrap_or_default()
    };
    match table {
        "sheet" => format!("{}/{}/{}", s(0), s(1), s(2)),
        "penalty" => format!("{}/{}", s(0), s(1)),
        "absence" => format!("{}/{}", s(0), s(1)),
        "contestant" | "judge" => s(0),
        _ => String::new(),
    }
}

/// Compares two states (recorded, found).
pub fn compare(
    recorded: &BTreeMap<(String, String), String>,
    found: &BTreeMap<(String, String), String>,
) -> Vec<Difference> {
    let keys: BTreeSet<&(String, String)> = recorded.keys().chain(found.keys()).collect();
    keys.into_iter()
        .filter_map(|k| {
            let (table, key) = k;
            let kind = match (recorded.get(k), found.get(k)) {
                (Some(a), Some(b)) if a == b => return None,
                (Some(a), Some(b)) => {
                    DifferenceKind::Changed(digest::differing_fields(table, a, b))
                }
                (Some(_), None) => DifferenceKind::Removed,
                (None, Some(_)) => DifferenceKind::Added,
                (None, None) => return None,
            };
            let row = found
                .get(k)
                .or(recorded.get(k))
                .map(String::as_str)
                .unwrap_or("");
            Some(Difference {
                table: table.clone(),
                key: key.clone(),
                what: describe(table, row),
                kind,
            })
        })
        .collect()
}

fn hmac_hex(key: &[u8; 32], hash: &str) -> String {
    let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(key).expect("HMAC takes any key length");
    mac.update(hash.as_bytes());
    mac.finalize()
        .into_bytes()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

fn schema_differences(conn: &Connection) -> Result<Vec<String>> {
    let reference = Connection::open_in_memory()?;
    reference.execute_batch(migrate::SCHEMA_SQL)?;
    let objects = |c: &Connection| -> Result<BTreeSet<(String, String)>> {
        let mut stmt = c.prepare(
            "SELECT type, name FROM sqlite_master WHERE type IN ('table', 'trigger', 'index') AND name NOT LIKE 'sqlite_%'",
        )?;
        let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?;
        Ok(rows.collect::<std::result::Result<_, _>>()?)
    };
    let columns = |c: &Connection, table: &str| -> Result<BTreeSet<(String, String, i64, i64)>> {
        let mut stmt =
            c.prepare("SELECT name, type, \"notnull\", pk FROM pragma_table_info(?1)")?;
        let rows = stmt.query_map([table], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?))
        })?;
        Ok(rows.collect::<std::result::Result<_, _>>()?)
    };
    let want = objects(&reference)?;
    let have = objects(conn)?;
    let mut out = Vec::new();
    for (kind, name) in want.difference(&have) {
        out.push(format!("缺少 {kind} {name} (missing)"));
    }
    for (kind, name) in have.difference(&want) {
        out.push(format!("多出 {kind} {name} (not in schema.sql)"));
    }
    for (kind, name) in want.intersection(&have) {
        if kind == "table" && columns(&reference, name)? != columns(conn, name)? {
            out.push(format!("表 {name} 的列与 schema.sql 不同 (columns differ)"));
        }
    }
    Ok(out)
}

/// Runs the full check. `pin`: the organiser's PIN, to check the seals.
pub fn run(conn: &Connection, pin: Option<&str>) -> Result<Report> {
    let mut report = Report {
        integrity: conn.query_row("PRAGMA integrity_check", [], |r| r.get(0))?,
        ..Report::default()
    };
    report.head = audit::head(conn)?;

    // Replay the log.
    let mut state: BTreeMap<(String, String), String> = BTreeMap::new();
    let mut sum = Sum::default();
    let mut seen_digest = false;
    let mut hashes: BTreeMap<i64, String> = BTreeMap::new();
    audit::walk(conn, |e, changes| {
        report.entries += 1;
        hashes.insert(e.seq, e.hash.clone());
        if report.chain_break.is_none() && (!e.intact || e.changes_hash_recomputed(changes)) {
            report.chain_break = Some(e.seq);
        }
        if report.replay_break.is_some() {
            return true;
        }
        if e.state.is_empty() {
            if seen_digest {
                report.replay_break = Some((
                    e.seq,
                    "此条目没有记录成绩状态 (entry without a state digest)".into(),
                ));
            }
            return true;
        }
        seen_digest = true;
        for c in changes {
            let k = (c.part.clone(), c.key.clone());
            if state.get(&k) != c.old.as_ref() {
                report.replay_break = Some((
                    e.seq,
                    format!(
                        "{} {} 的原值与之前的记录不符 (recorded old value does not follow)",
                        c.part, c.key
                    ),
                ));
                return true;
            }
            if let Some(o) = &c.old {
                sum.remove(&c.part, &c.key, o);
            }
            match &c.new {
                Some(n) => {
                    sum.add(&c.part, &c.key, n);
                    state.insert(k, n.clone());
                }
                None => {
                    state.remove(&k);
                }
            }
        }
        if sum.hex() != e.state {
            report.replay_break = Some((
                e.seq,
                "记录的成绩状态摘要与重放结果不符 (recorded digest does not match the replay)"
                    .into(),
            ));
        }
        true
    })?;

    if digest::present(conn)? {
        let found = digest::table_state(conn)?;
        report.differences = compare(&state, &found);
        let mut record: BTreeMap<(String, String), String> = BTreeMap::new();
        let mut stmt = conn.prepare("SELECT part, key, row FROM state_row")?;
        let mut rows = stmt.query([])?;
        while let Some(r) = rows.next()? {
            record.insert((r.get(0)?, r.get(1)?), r.get(2)?);
        }
        report.record_differences = compare(&state, &record).len();
    }

    let mut stmt = conn.prepare("SELECT \"table\", rowid, parent FROM pragma_foreign_key_check")?;
    let mut rows = stmt.query([])?;
    while let Some(r) = rows.next()? {
        let table: String = r.get(0)?;
        let rowid: Option<i64> = r.get(1)?;
        let parent: String = r.get(2)?;
        report.foreign_keys.push(format!(
            "{table} 第 {} 行引用的 {parent} 不存在 (row refers to a missing {parent})",
            rowid.unwrap_or_default()
        ));
    }
    report.schema = schema_differences(conn)?;

    // Seals.
    if digest::present(conn)? {
        let mut stmt = conn.prepare("SELECT seq, mac FROM audit_seal ORDER BY seq")?;
        let seals: Vec<(i64, String)> = stmt
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
            .collect::<std::result::Result<_, _>>()?;
        report.seals.count = seals.len();
        report.seals.last_sealed = seals.last().map(|s| s.0);
        let last_seq = hashes.keys().next_back().copied().unwrap_or(0);
        report.seals.beyond_end = report.seals.last_sealed.is_some_and(|s| s > last_seq);
        let after = report.seals.last_sealed.unwrap_or(0);
        report.seals.unsealed_after = hashes.keys().filter(|&&seq| seq > after).count();
        if let Some(pin) = pin {
            let key = seal_key(conn, pin)?;
            report.seals.verified = true;
            report.seals.mismatch = seals
                .iter()
                .find(|(seq, mac)| hashes.get(seq).map(|h| hmac_hex(&key, h)).as_ref() != Some(mac))
                .map(|s| s.0);
        }
    }
    Ok(report)
}

fn seal_key(conn: &Connection, pin: &str) -> Result<[u8; 32]> {
    let salt: Option<String> = conn
        .query_row("SELECT value FROM meta WHERE key = ?1", [SEAL_SALT], |r| {
            r.get(0)
        })
        .optional()?;
    let Some(salt) = salt else {
        return Err(StoreError::Rule(
            "文件中还没有组织者封记 (no seal has been made on this file)".into(),
        ));
    };
    crate::pin::seal_key(pin, salt.as_bytes()).map_err(StoreError::Rule)
}

/// Where a printed head stands in this file's history.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Against {
    /// The printed head is the file's newest entry: nothing was recorded since.
    Current { seq: i64 },
    /// The printed head is entry `seq`; these entries came after it: (seq, action, detail).
    Since {
        seq: i64,
        later: Vec<(i64, String, String)>,
    },
    /// No entry of this file has that head (another file, or the history was rewritten).
    Unknown,
}

impl Store {
    /// The rows an audit entry changed, with their old and new values (none before version 5).
    pub fn audit_changes(&self, seq: i64) -> Result<Vec<digest::Change>> {
        if !digest::present(&self.conn)? {
            return Ok(Vec::new());
        }
        let mut stmt = self.conn.prepare_cached(
            "SELECT part, key, old, new FROM audit_change WHERE seq = ?1 ORDER BY n",
        )?;
        let rows = stmt.query_map([seq], |r| {
            Ok(digest::Change {
                part: r.get(0)?,
                key: r.get(1)?,
                old: r.get(2)?,
                new: r.get(3)?,
            })
        })?;
        Ok(rows.collect::<std::result::Result<_, _>>()?)
    }

    /// The full check (see the module's documentation).
    pub fn check(&self, pin: Option<&str>) -> Result<Report> {
        run(&self.conn, pin)
    }

    /// The cheap digest comparison run by results, exports and the window: `Some(description)`
    /// when the tables no longer match what the audit log recorded.
    pub fn fast_digest_check(&self) -> Result<Option<String>> {
        digest::fast_check(&self.conn)
    }

    /// Finds a printed head (its first 8 or more hex digits) in the log.
    pub fn against(&self, printed: &str) -> Result<Against> {
        let printed = printed.trim().to_ascii_lowercase();
        if printed.len() < 8 || !printed.chars().all(|c| c.is_ascii_hexdigit()) {
            return Err(StoreError::Rule(
                "请给出页面上打印的审计链头（至少 8 位十六进制数字）(give the printed head, at least 8 hex digits)".into(),
            ));
        }
        let found: Option<i64> = self
            .conn
            .query_row(
                "SELECT seq FROM audit WHERE substr(hash, 1, ?2) = ?1 ORDER BY seq LIMIT 1",
                params![printed, printed.len() as i64],
                |r| r.get(0),
            )
            .optional()?;
        let Some(seq) = found else {
            return Ok(Against::Unknown);
        };
        let mut stmt = self
            .conn
            .prepare("SELECT seq, action, detail FROM audit WHERE seq > ?1 ORDER BY seq")?;
        let later: Vec<(i64, String, String)> = stmt
            .query_map([seq], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?
            .collect::<std::result::Result<_, _>>()?;
        Ok(if later.is_empty() {
            Against::Current { seq }
        } else {
            Against::Since { seq, later }
        })
    }

    /// The seal key for this file and `pin` (creating the file's salt on first use). Slow
    /// (Argon2id): derive once per login, not per write.
    pub fn seal_key(&mut self, pin: &str) -> Result<[u8; 32]> {
        self.require_write()?;
        if self.meta(SEAL_SALT)?.is_none() {
            let salt: String = crate::pin::salt()
                .iter()
                .map(|b| format!("{b:02x}"))
                .collect();
            self.conn.execute(
                "INSERT OR IGNORE INTO meta (key, value) VALUES (?1, ?2)",
                [SEAL_SALT, &salt],
            )?;
        }
        seal_key(&self.conn, pin)
    }

    /// Seals the chain's newest entry with the organiser's key (nothing when already sealed).
    /// Returns the sealed entry.
    pub fn seal(&mut self, key: &[u8; 32]) -> Result<Option<i64>> {
        self.require_write()?;
        let last: Option<(i64, String)> = self
            .conn
            .query_row(
                "SELECT seq, hash FROM audit ORDER BY seq DESC LIMIT 1",
                [],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()?;
        let Some((seq, hash)) = last else {
            return Ok(None);
        };
        self.conn.execute(
            "INSERT OR IGNORE INTO audit_seal (seq, at, mac) VALUES (?1, ?2, ?3)",
            params![seq, clock::now_rfc3339(), hmac_hex(key, &hash)],
        )?;
        Ok(Some(seq))
    }
}
