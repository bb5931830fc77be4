//! The append-only, hash-chained audit log (审计日志).
//!
//! Each entry's hash is SHA-256 over the previous hash and the entry's fields, so changing or
//! removing any past entry breaks every later hash; printed pages carry the chain's head.

use rusqlite::{Connection, OptionalExtension, params};
use sha2::{Digest, Sha256};

use super::digest;
use super::error::Result;
use crate::clock;

/// The hash before the first entry.
pub const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// One audit entry.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct AuditEntry {
    pub seq: i64,
    pub at: String,
    pub actor: String,
    pub action: String,
    pub detail: String,
    pub hash: String,
}

/// An entry's hash. Entries written before the state digest (schema 4 and earlier) have empty
/// `changes` and `state` and hash the first six fields only.
#[allow(clippy::too_many_arguments)]
fn entry_hash(
    prev: &str,
    seq: i64,
    at: &str,
    actor: &str,
    action: &str,
    detail: &str,
    changes: &str,
    state: &str,
) -> String {
    let mut h = Sha256::new();
    let seq = seq.to_string();
    let mut parts = vec![prev, &seq, at, actor, action, detail];
    if !state.is_empty() {
        parts.push(changes);
        parts.push(state);
    }
    for part in parts {
        h.update((part.len() as u64).to_le_bytes());
        h.update(part.as_bytes());
    }
    h.finalize().iter().map(|b| format!("{b:02x}")).collect()
}

/// Appends an entry inside the caller's transaction. On a file with the state digest, the
/// rows the transaction touched are recorded with the entry (old and new values) and the
/// entry carries the new digest ([`digest::settle`]).
pub fn append(conn: &Connection, actor: &str, action: &str, detail: &str) -> Result<String> {
    let last: Option<(i64, String)> = conn
        .query_row(
            "SELECT seq, hash FROM audit ORDER BY seq DESC LIMIT 1",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()?;
    let (seq, prev) = match last {
        Some((s, h)) => (s + 1, h),
        None => (1, GENESIS.to_string()),
    };
    let at = clock::now_rfc3339();
    if !digest::present(conn)? {
        let hash = entry_hash(&prev, seq, &at, actor, action, detail, "", "");
        conn.execute(
            "INSERT INTO audit (seq, at, actor, action, detail, prev_hash, hash) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
            params![seq, at, actor, action, detail, prev, hash],
        )?;
        return Ok(hash);
    }
    let prev_state = digest::recorded_digest(conn)?.unwrap_or_else(|| digest::EMPTY.to_string());
    let (changes, state) = digest::settle(conn, seq, &prev_state)?;
    let hash = entry_hash(&prev, seq, &at, actor, action, detail, &changes, &state);
    conn.execute(
        "INSERT INTO audit (seq, at, actor, action, detail, prev_hash, hash, changes, state) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
        params![seq, at, actor, action, detail, prev, hash, changes, state],
    )?;
    Ok(hash)
}

/// The newest hash (the chain's head), or [`GENESIS`] for an empty log.
pub fn head(conn: &Connection) -> Result<String> {
    Ok(conn
        .query_row(
            "SELECT hash FROM audit ORDER BY seq DESC LIMIT 1",
            [],
            |r| r.get(0),
        )
        .optional()?
        .unwrap_or_else(|| GENESIS.to_string()))
}

/// When the first entry was written (the file's creation), if any.
pub fn first_at(conn: &Connection) -> Result<Option<String>> {
    Ok(conn
        .query_row("SELECT at FROM audit ORDER BY seq LIMIT 1", [], |r| {
            r.get(0)
        })
        .optional()?)
}

/// All entries, oldest first.
pub fn entries(conn: &Connection) -> Result<Vec<AuditEntry>> {
    let mut stmt =
        conn.prepare("SELECT seq, at, actor, action, detail, hash FROM audit ORDER BY seq")?;
    let rows = stmt.query_map([], |r| {
        Ok(AuditEntry {
            seq: r.get(0)?,
            at: r.get(1)?,
            actor: r.get(2)?,
            action: r.get(3)?,
            detail: r.get(4)?,
            hash: r.get(5)?,
        })
    })?;
    Ok(rows.collect::<std::result::Result<_, _>>()?)
}

/// Recomputes the chain; returns the sequence number of the first broken entry, if any.
/// (The full check, which also replays the recorded changes, is [`super::check`].)
pub fn verify(conn: &Connection) -> Result<Option<i64>> {
    let mut broken = None;
    walk(conn, |e, changes| {
        if !e.intact || e.changes_hash_recomputed(changes) {
            broken = Some(e.seq);
            return false;
        }
        true
    })?;
    Ok(broken)
}

/// One entry as stored, with whether its hash and link hold.
pub(crate) struct StoredEntry {
    pub seq: i64,
    pub hash: String,
    pub changes: String,
    pub state: String,
    /// The link to the previous entry and the entry's own hash (over its stored fields) hold.
    pub intact: bool,
}

impl StoredEntry {
    /// Whether the entry's recorded changes no longer hash to what the entry says (true: broken).
    pub fn changes_hash_recomputed(&self, changes: &[digest::Change]) -> bool {
        !self.state.is_empty() && digest::changes_hash(changes) != self.changes
    }
}

/// Walks the log oldest first, giving each entry with its recorded changes; stops when `f`
/// returns false.
pub(crate) fn walk(
    conn: &Connection,
    mut f: impl FnMut(&StoredEntry, &[digest::Change]) -> bool,
) -> Result<()> {
    let with_changes = digest::present(conn)?;
    let mut stmt = conn.prepare(if with_changes {
        "SELECT seq, at, actor, action, detail, prev_hash, hash, changes, state FROM audit ORDER BY seq"
    } else {
        "SELECT seq, at, actor, action, detail, prev_hash, hash, '', '' FROM audit ORDER BY seq"
    })?;
    let mut changes_of = if with_changes {
        Some(
            conn.prepare("SELECT part, key, old, new FROM audit_change WHERE seq = ?1 ORDER BY n")?,
        )
    } else {
        None
    };
    let mut rows = stmt.query([])?;
    let mut prev = GENESIS.to_string();
    while let Some(r) = rows.next()? {
        let seq: i64 = r.get(0)?;
        let at: String = r.get(1)?;
        let actor: String = r.get(2)?;
        let action: String = r.get(3)?;
        let detail: String = r.get(4)?;
        let prev_hash: String = r.get(5)?;
        let hash: String = r.get(6)?;
        let changes: String = r.get(7)?;
        let state: String = r.get(8)?;
        let intact = prev_hash == prev
            && entry_hash(&prev, seq, &at, &actor, &action, &detail, &changes, &state) == hash;
        let recorded: Vec<digest::Change> = match changes_of.as_mut() {
            Some(stmt) => stmt
                .query_map([seq], |r| {
                    Ok(digest::Change {
                        part: r.get(0)?,
                        key: r.get(1)?,
                        old: r.get(2)?,
                        new: r.get(3)?,
                    })
                })?
                .collect::<std::result::Result<_, _>>()?,
            None => Vec::new(),
        };
        let entry = StoredEntry {
            seq,
            hash: hash.clone(),
            changes,
            state,
            intact,
        };
        if !f(&entry, &recorded) {
            break;
        }
        prev = hash;
    }
    Ok(())
}
