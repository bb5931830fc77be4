//! Schema versions and the migrations between them.
//!
//! `schema.sql` is the whole current schema; a new file runs it and records
//! [`SCHEMA_VERSION`] in `PRAGMA user_version`. A file with an older version is brought up to
//! date by the steps below, each in the same transaction as the version bump.

use rusqlite::Connection;

use super::error::Result;

/// The current schema, embedded.
pub const SCHEMA_SQL: &str = include_str!("../../schema.sql");

/// The version `schema.sql` describes.
pub const SCHEMA_VERSION: i64 = 5;

/// Marks a SQLite file as a ScoreDesk competition file ("SCDK").
pub const APPLICATION_ID: i64 = 0x5343_444B;

/// Migration steps: `(from_version, sql)` brings a file from `from_version` to `from_version + 1`.
const STEPS: &[(i64, &str)] = &[
    (
        1,
        "CREATE TABLE absence (
        id            INTEGER PRIMARY KEY,
        event_code    TEXT NOT NULL REFERENCES event(code),
        judge_id      TEXT NOT NULL,
        contestant_id TEXT,
        reason        TEXT NOT NULL,
        entered_by    TEXT NOT NULL,
        entered_at    TEXT NOT NULL
    ) STRICT;
    ALTER TABLE judge ADD COLUMN head INTEGER NOT NULL DEFAULT 0;",
    ),
    (
        2,
        "CREATE TABLE judge_key (
        judge_id    TEXT PRIMARY KEY REFERENCES judge(id),
        key_hex     TEXT NOT NULL,
        kit_version INTEGER NOT NULL DEFAULT 0,
        created_at  TEXT NOT NULL
    ) STRICT;
    CREATE TABLE packet (
        hash        TEXT PRIMARY KEY,
        judge_id    TEXT NOT NULL,
        device      TEXT NOT NULL,
        seq         INTEGER NOT NULL,
        sent_at     TEXT NOT NULL,
        received_at TEXT NOT NULL,
        sheets      INTEGER NOT NULL,
        added       INTEGER NOT NULL,
        confirmed   INTEGER NOT NULL,
        conflicts   INTEGER NOT NULL
    ) STRICT;
    CREATE INDEX packet_by_judge ON packet (judge_id, device, seq);
    CREATE TABLE conflict (
        id            INTEGER PRIMARY KEY,
        event_code    TEXT NOT NULL,
        contestant_id TEXT NOT NULL,
        judge_id      TEXT NOT NULL,
        packet_hash   TEXT NOT NULL,
        criteria_json TEXT NOT NULL,
        total_e4      INTEGER NOT NULL,
        status        TEXT NOT NULL CHECK (status IN ('open', 'kept', 'taken')),
        reason        TEXT NOT NULL DEFAULT '',
        resolved_by   TEXT NOT NULL DEFAULT '',
        resolved_at   TEXT NOT NULL DEFAULT ''
    ) STRICT;CREATE TABLE recorder (
    id          TEXT PRIMARY KEY,
    name        TEXT NOT NULL,
    pin_hash    TEXT,
    position    INTEGER NOT NULL
) STRICT;
CREATE TABLE recorder_panel (
    event_code  TEXT NOT NULL REFERENCES event(code) ON DELETE CASCADE,
    recorder_id TEXT NOT NULL REFERENCES recorder(id) ON DELETE CASCADE,
    PRIMARY KEY (event_code, recorder_id)
) STRICT;
CREATE TABLE paper_entry (
    id            INTEGER PRIMARY KEY,
    event_code    TEXT NOT NULL,
    contestant_id TEXT NOT NULL,
    judge_id      TEXT NOT NULL,
    recorder_id   TEXT NOT NULL,
    criteria_json TEXT NOT NULL,
    total_e4      INTEGER NOT NULL,
    entered_at    TEXT NOT NULL,
    UNIQUE (event_code, contestant_id, judge_id, recorder_id)
) STRICT;
CREATE TABLE judge_token (
    judge_id    TEXT PRIMARY KEY REFERENCES judge(id),
    token       TEXT NOT NULL UNIQUE,
    created_at  TEXT NOT NULL
) STRICT;
CREATE TABLE phone_session (
    id          TEXT PRIMARY KEY,
    judge_id    TEXT NOT NULL,
    created_at  TEXT NOT NULL
) STRICT;",
    ),
    (
        3,
        "CREATE TABLE award_decision (
        event_code    TEXT NOT NULL,
        contestant_id TEXT NOT NULL REFERENCES contestant(id),
        tier          TEXT,
        reason        TEXT NOT NULL,
        decided_by    TEXT NOT NULL,
        decided_at    TEXT NOT NULL,
        PRIMARY KEY (event_code, contestant_id)
    ) STRICT;",
    ),
    (
        4,
        "ALTER TABLE audit ADD COLUMN changes TEXT NOT NULL DEFAULT '';
    ALTER TABLE audit ADD COLUMN state TEXT NOT NULL DEFAULT '';
    CREATE TABLE audit_change (
        seq   INTEGER NOT NULL,
        n     INTEGER NOT NULL,
        part  TEXT NOT NULL,
        key   TEXT NOT NULL,
        old   TEXT,
        new   TEXT,
        PRIMARY KEY (seq, n)
    ) STRICT;
    CREATE TRIGGER audit_change_no_update BEFORE UPDATE ON audit_change
    BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
    CREATE TRIGGER audit_change_no_delete BEFORE DELETE ON audit_change
    BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
    CREATE TABLE state_row (
        part  TEXT NOT NULL,
        key   TEXT NOT NULL,
        row   TEXT NOT NULL,
        PRIMARY KEY (part, key)
    ) WITHOUT ROWID, STRICT;
    CREATE TABLE audit_seal (
        seq   INTEGER PRIMARY KEY,
        at    TEXT NOT NULL,
        mac   TEXT NOT NULL
    ) STRICT;",
    ),
];

/// Creates the current schema in an empty database.
pub fn create(conn: &mut Connection) -> Result<()> {
    let tx = conn.transaction()?;
    tx.execute_batch(SCHEMA_SQL)?;
    tx.pragma_update(None, "application_id", APPLICATION_ID)?;
    tx.pragma_update(None, "user_version", SCHEMA_VERSION)?;
    tx.commit()?;
    Ok(())
}

/// Brings a file at `from` up to [`SCHEMA_VERSION`]; returns the steps applied.
pub fn upgrade(conn: &mut Connection, from: i64) -> Result<usize> {
    let mut applied = 0;
    for &(version, sql) in STEPS {
        if version < from {
            continue;
        }
        let tx = conn.transaction()?;
        tx.execute_batch(sql)?;
        tx.pragma_update(None, "user_version", version + 1)?;
        if version == 4 {
            // The file's first state digest: every row of the scoring state is recorded with
            // this migration's audit entry (its baseline).
            super::digest::install_touched(&tx)?;
            super::digest::touch_all(&tx)?;
        }
        super::audit::append(
            &tx,
            "system",
            "migrate",
            &format!("schema {} -> {}", version, version + 1),
        )?;
        tx.commit()?;
        applied += 1;
    }
    Ok(applied)
}
