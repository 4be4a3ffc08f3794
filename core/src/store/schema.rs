//! The embedded store's tables. Every record kind has a `ttl` column (Unix
//! seconds, like DynamoDB's TTL attribute) so housekeeping is one query per
//! table; a NULL `ttl` means the record is kept.

use rusqlite::{Connection, TransactionBehavior};

use super::embedded::unavailable;
use super::{StoreError, StoreResult};

/// Bumped with every change below; a file from a newer build is refused
/// rather than misread.
const VERSION: i64 = 7;

const SCHEMA: &str = "
CREATE TABLE IF NOT EXISTS sessions (
    id     TEXT PRIMARY KEY NOT NULL,
    record TEXT NOT NULL,    -- SessionRecord as JSON; its tokens are sealed
    ttl    INTEGER NOT NULL  -- the earlier of idle and absolute expiry
) STRICT;
CREATE INDEX IF NOT EXISTS sessions_ttl ON sessions (ttl);

CREATE TABLE IF NOT EXISTS login_attempts (
    id     TEXT PRIMARY KEY NOT NULL,
    sealed TEXT NOT NULL,
    ttl    INTEGER NOT NULL
) STRICT;
CREATE INDEX IF NOT EXISTS login_attempts_ttl ON login_attempts (ttl);

CREATE TABLE IF NOT EXISTS conversations (
    id         TEXT PRIMARY KEY NOT NULL,
    owner      TEXT NOT NULL,
    title      TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    ttl        INTEGER
) STRICT;
CREATE INDEX IF NOT EXISTS conversations_owner ON conversations (owner, updated_at);

-- Messages have their own rows so that an append is one insert.
CREATE TABLE IF NOT EXISTS messages (
    seq             INTEGER PRIMARY KEY,
    conversation_id TEXT NOT NULL REFERENCES conversations (id) ON DELETE CASCADE,
    role            TEXT NOT NULL,
    text            TEXT NOT NULL,
    at              INTEGER NOT NULL
) STRICT;
CREATE INDEX IF NOT EXISTS messages_conversation ON messages (conversation_id, seq);

-- Version 2. Step-ups are kept as long as their conversation (NULL ttl).
-- conversation_id is not a foreign key: as in DynamoDB, the conversation
-- need not exist yet.
CREATE TABLE IF NOT EXISTS step_ups (
    id              TEXT PRIMARY KEY NOT NULL,
    owner           TEXT NOT NULL,
    conversation_id TEXT NOT NULL,
    created_at      INTEGER NOT NULL,
    version         INTEGER NOT NULL,  -- the conditional update's guard
    record          TEXT NOT NULL,     -- StepUpRecord as JSON; its secrets are sealed;
                                       -- fields added later read with defaults
    ttl             INTEGER
) STRICT;
CREATE INDEX IF NOT EXISTS step_ups_conversation
    ON step_ups (owner, conversation_id, created_at, id);

-- Version 3. Rate limits: one row per open window and one per held slot.
-- Keys are digests built by crate::limits, never a raw address or token.
CREATE TABLE IF NOT EXISTS limit_windows (
    key   TEXT PRIMARY KEY NOT NULL,
    count INTEGER NOT NULL,
    ttl   INTEGER NOT NULL  -- when the window ends
) STRICT;
CREATE INDEX IF NOT EXISTS limit_windows_ttl ON limit_windows (ttl);

CREATE TABLE IF NOT EXISTS limit_slots (
    key    TEXT NOT NULL,
    slot   INTEGER NOT NULL,
    holder TEXT NOT NULL,
    ttl    INTEGER NOT NULL,  -- when the slot frees if not given back
    PRIMARY KEY (key, slot)
) STRICT;
CREATE INDEX IF NOT EXISTS limit_slots_ttl ON limit_slots (ttl);

-- Version 4. The sidebar's pages walk this index (keyset pagination).
CREATE INDEX IF NOT EXISTS conversations_listing
    ON conversations (owner, updated_at, created_at, id);

-- Version 5. Open chat turns: a row exists while the turn is open.
CREATE TABLE IF NOT EXISTS turns (
    id     TEXT PRIMARY KEY NOT NULL,
    record TEXT NOT NULL,    -- TurnRecord as JSON
    ttl    INTEGER NOT NULL  -- the turn's deadline
) STRICT;
CREATE INDEX IF NOT EXISTS turns_ttl ON turns (ttl);

-- Version 6. A user's sessions, for the list of where they are signed in.
CREATE INDEX IF NOT EXISTS sessions_owner
    ON sessions (json_extract(record, '$.user.sub'));

-- Version 7. The audit log, read newest first; kept until its ttl.
CREATE TABLE IF NOT EXISTS audit_entries (
    id      TEXT PRIMARY KEY NOT NULL,
    at_ms   INTEGER NOT NULL,
    action  TEXT NOT NULL,
    actor   TEXT NOT NULL,
    target  TEXT NOT NULL,
    outcome TEXT NOT NULL,
    ttl     INTEGER NOT NULL  -- the entry's time plus the retention
) STRICT;
CREATE INDEX IF NOT EXISTS audit_entries_time ON audit_entries (at_ms, id);
CREATE INDEX IF NOT EXISTS audit_entries_ttl ON audit_entries (ttl);
";

/// Creates the tables if needed. Safe to run from several processes at once:
/// the immediate transaction makes them take turns.
pub(super) fn migrate(conn: &mut Connection) -> StoreResult<()> {
    let tx = conn
        .transaction_with_behavior(TransactionBehavior::Immediate)
        .map_err(unavailable)?;
    let found: i64 = tx
        .query_row("PRAGMA user_version", [], |row| row.get(0))
        .map_err(unavailable)?;
    if found > VERSION {
        return Err(StoreError::Unavailable(format!(
            "the store file has schema version {found}, newer than this build's {VERSION}"
        )));
    }
    tx.execute_batch(SCHEMA).map_err(unavailable)?;
    tx.pragma_update(None, "user_version", VERSION)
        .map_err(unavailable)?;
    tx.commit().map_err(unavailable)
}
