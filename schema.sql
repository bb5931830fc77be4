-- ScoreDesk competition file, schema version 5 (PRAGMA user_version = 5).
-- The one schema: a new file runs this whole script; older files are migrated step by step
-- (src/store/migrate.rs). All scores are exact: INTEGER ten-thousandths (column suffix _e4).

CREATE TABLE meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
) STRICT;

-- One row: the competition and its rules as a template TOML (events are also in tables below).
CREATE TABLE competition (
    id          INTEGER PRIMARY KEY CHECK (id = 1),
    title       TEXT NOT NULL,
    edition     TEXT NOT NULL DEFAULT '',
    organiser   TEXT NOT NULL DEFAULT '',
    dates       TEXT NOT NULL DEFAULT '',
    venue       TEXT NOT NULL DEFAULT '',
    decimals    INTEGER NOT NULL DEFAULT 2,
    awards_json  TEXT NOT NULL,
    ranking_json TEXT NOT NULL,
    created_at  TEXT NOT NULL
) STRICT;

CREATE TABLE event (
    code        TEXT PRIMARY KEY,
    position    INTEGER NOT NULL,
    name        TEXT NOT NULL UNIQUE,
    kind        TEXT NOT NULL CHECK (kind IN ('live', 'artifact', 'objective')),
    panel_size  INTEGER NOT NULL CHECK (panel_size >= 1),
    trim        INTEGER NOT NULL CHECK (trim >= 0),
    aggregate   TEXT NOT NULL CHECK (aggregate IN ('mean', 'sum')),
    decimals    INTEGER NOT NULL,
    step_e4     INTEGER NOT NULL CHECK (step_e4 > 0),
    weight_e4   INTEGER NOT NULL CHECK (weight_e4 >= 0),
    minutes     INTEGER,
    blind       INTEGER NOT NULL DEFAULT 0
) STRICT;

CREATE TABLE criterion (
    event_code  TEXT NOT NULL REFERENCES event(code) ON DELETE CASCADE,
    position    INTEGER NOT NULL,
    name        TEXT NOT NULL,
    max_e4      INTEGER NOT NULL CHECK (max_e4 > 0),
    PRIMARY KEY (event_code, position)
) STRICT;

CREATE TABLE penalty_item (
    event_code  TEXT NOT NULL REFERENCES event(code) ON DELETE CASCADE,
    position    INTEGER NOT NULL,
    name        TEXT NOT NULL,
    points_e4   INTEGER NOT NULL,
    PRIMARY KEY (event_code, position)
) STRICT;

CREATE TABLE contestant (
    id          TEXT PRIMARY KEY,
    name        TEXT NOT NULL,
    gender      TEXT NOT NULL CHECK (gender IN ('男', '女')),
    stage       TEXT NOT NULL,
    subject     TEXT NOT NULL,
    school      TEXT NOT NULL,
    county      TEXT NOT NULL DEFAULT '',
    phone       TEXT NOT NULL DEFAULT '',
    position    INTEGER NOT NULL
) STRICT;

-- Which contestant enters which event, with the draw (抽签) order and anonymous code.
CREATE TABLE entry (
    event_code    TEXT NOT NULL REFERENCES event(code) ON DELETE CASCADE,
    contestant_id TEXT NOT NULL REFERENCES contestant(id) ON DELETE CASCADE,
    draw_order    INTEGER,
    anon_code     TEXT,
    PRIMARY KEY (event_code, contestant_id)
) STRICT;

CREATE TABLE draw (
    event_code  TEXT PRIMARY KEY REFERENCES event(code) ON DELETE CASCADE,
    seed        INTEGER NOT NULL,
    drawn_at    TEXT NOT NULL
) STRICT;

CREATE TABLE judge (
    id          TEXT PRIMARY KEY,
    name        TEXT NOT NULL,
    school      TEXT NOT NULL DEFAULT '',
    county      TEXT NOT NULL DEFAULT '',
    pin_hash    TEXT,
    head        INTEGER NOT NULL DEFAULT 0,
    position    INTEGER NOT NULL
) STRICT;

-- Panel membership: judge sits on the event's panel.
CREATE TABLE panel (
    event_code  TEXT NOT NULL REFERENCES event(code) ON DELETE CASCADE,
    judge_id    TEXT NOT NULL REFERENCES judge(id) ON DELETE CASCADE,
    PRIMARY KEY (event_code, judge_id)
) STRICT;

-- One judge × one contestant × one event.
CREATE TABLE sheet (
    id            INTEGER PRIMARY KEY,
    event_code    TEXT NOT NULL REFERENCES event(code),
    contestant_id TEXT NOT NULL REFERENCES contestant(id),
    judge_id      TEXT NOT NULL,
    total_e4      INTEGER NOT NULL,
    status        TEXT NOT NULL CHECK (status IN ('draft', 'submitted', 'confirmed', 'voided')),
    entered_by    TEXT NOT NULL,
    entered_at    TEXT NOT NULL,
    UNIQUE (event_code, contestant_id, judge_id)
) STRICT;
CREATE INDEX sheet_by_judge ON sheet (judge_id, event_code);

-- Criterion scores of a sheet; a missing row is a blank (not a zero).
CREATE TABLE sheet_score (
    sheet_id    INTEGER NOT NULL REFERENCES sheet(id) ON DELETE CASCADE,
    position    INTEGER NOT NULL,
    value_e4    INTEGER NOT NULL,
    PRIMARY KEY (sheet_id, position)
) STRICT;

-- 扣分, entered once by the head judge.
CREATE TABLE penalty (
    id            INTEGER PRIMARY KEY,
    event_code    TEXT NOT NULL REFERENCES event(code),
    contestant_id TEXT NOT NULL REFERENCES contestant(id),
    points_e4     INTEGER NOT NULL CHECK (points_e4 > 0),
    reason        TEXT NOT NULL,
    entered_by    TEXT NOT NULL,
    entered_at    TEXT NOT NULL
) STRICT;

-- A judge recorded absent (for a whole event, or one contestant). Added in version 2.
CREATE TABLE absence (
    id            INTEGER PRIMARY KEY,
    event_code    TEXT NOT NULL REFERENCES event(code),
    judge_id      TEXT NOT NULL,
    contestant_id TEXT,
    reason        TEXT NOT NULL,
    entered_by    TEXT NOT NULL,
    entered_at    TEXT NOT NULL
) STRICT;

-- Append-only, hash-chained audit log: hash = sha256(prev_hash || seq || at || actor || action ||
-- detail || changes || state). `changes` hashes the entry's rows in audit_change, `state` is the
-- digest of the scoring state after the entry (src/store/digest.rs); both empty on entries
-- written before version 5, whose hash covers the first six fields only.
CREATE TABLE audit (
    seq         INTEGER PRIMARY KEY,
    at          TEXT NOT NULL,
    actor       TEXT NOT NULL,
    action      TEXT NOT NULL,
    detail      TEXT NOT NULL,
    prev_hash   TEXT NOT NULL,
    hash        TEXT NOT NULL,
    changes     TEXT NOT NULL DEFAULT '',
    state       TEXT NOT NULL DEFAULT ''
) STRICT;
CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit
BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit
BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;

-- Version 5: what each audit entry changed in the scoring state, with the old and new values
-- (canonical rows, JSON arrays; NULL old = added, NULL new = removed).
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

-- The scoring state as last recorded in the audit log (one canonical row per row of state), so
-- an entry can record each changed row's old value.
CREATE TABLE state_row (
    part  TEXT NOT NULL,
    key   TEXT NOT NULL,
    row   TEXT NOT NULL,
    PRIMARY KEY (part, key)
) WITHOUT ROWID, STRICT;

-- The organiser's seals (封记): HMAC-SHA256, keyed with a secret derived from the organiser's PIN
-- (Argon2id, salt in meta 'seal_salt'), over the hash of entry `seq`. A chain recomputed by
-- someone without the PIN no longer matches the seals.
CREATE TABLE audit_seal (
    seq   INTEGER PRIMARY KEY,
    at    TEXT NOT NULL,
    mac   TEXT NOT NULL
) STRICT;

-- Version 3: several devices (SPEC §6). Each judge's secret packet key (256 bits from the
-- operating system), the kit version last exported, and whether the key was revoked.
CREATE TABLE judge_key (
    judge_id    TEXT PRIMARY KEY REFERENCES judge(id),
    key_hex     TEXT NOT NULL,
    kit_version INTEGER NOT NULL DEFAULT 0,
    created_at  TEXT NOT NULL
) STRICT;

-- Every score packet merged on the master (the same packet again changes nothing).
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

-- A packet's submitted sheet that differs from the master's: never overwritten silently; the
-- head judge or organiser keeps the master's value or takes the packet's, with a reason.
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
) STRICT;

-- Paper fallback (SPEC §5, §6): recorders (记分员) type judges' paper sheets on the master; a
-- second recorder enters the same sheet blind; it counts only when both agree.
CREATE TABLE recorder (
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

-- Judges on phones (SPEC §6 B): a per-judge secret token in the join QR code (revocable), and
-- the sessions opened with it and the judge's PIN.
CREATE TABLE judge_token (
    judge_id    TEXT PRIMARY KEY REFERENCES judge(id),
    token       TEXT NOT NULL UNIQUE,
    created_at  TEXT NOT NULL
) STRICT;
CREATE TABLE phone_session (
    id          TEXT PRIMARY KEY,
    judge_id    TEXT NOT NULL,
    created_at  TEXT NOT NULL
) STRICT;

-- The organiser's decision on one entry's award (人工决定等次), e.g. where a tie crosses an
-- award boundary. event_code 'ZH' is the overall table; tier NULL is "no award". Added in
-- version 4.
CREATE TABLE award_decision (
    event_code    TEXT NOT NULL,
    contestant_id TEXT NOT NULL REFERENCES contestant(id),
    tier          TEXT,
    reason        TEXT NOT NULL,
    decided_by    TEXT NOT NULL,
    decided_at    TEXT NOT NULL,
    PRIMARY KEY (event_code, contestant_id)
) STRICT;
