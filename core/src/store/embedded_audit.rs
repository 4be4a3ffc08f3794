//! The embedded store's audit log: one row per entry, read newest first by
//! keyset pagination on (`at_ms`, `id`), with every filter in the query so
//! a page is full whenever enough entries match.

use rusqlite::{Connection, params};

use super::embedded::{inserting, unavailable};
use super::{AuditCursor, AuditEntry, AuditPage, AuditQuery, StoreResult};

pub(super) fn append(conn: &Connection, entry: &AuditEntry) -> StoreResult<()> {
    conn.execute(
        "INSERT INTO audit_entries (id, at_ms, action, actor, target, outcome, ttl)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
        params![
            entry.id,
            entry.at_ms,
            entry.action,
            entry.actor,
            entry.target,
            entry.outcome,
            entry.expires_at
        ],
    )
    .map_err(|error| inserting(error, "an audit entry with this id exists"))?;
    Ok(())
}

pub(super) fn page(conn: &Connection, query: &AuditQuery) -> StoreResult<AuditPage> {
    let (filter, before, size) = (&query.filter, query.before.as_ref(), query.page_size());
    let mut statement = conn
        .prepare_cached(
            "SELECT id, at_ms, action, actor, target, outcome, ttl FROM audit_entries
             WHERE ttl > ?1
               AND (?2 IS NULL OR (at_ms, id) < (?2, ?3))
               AND (?4 IS NULL OR actor = ?4)
               AND (?5 IS NULL OR target = ?5)
               AND (?6 IS NULL OR action = ?6 OR substr(action, 1, length(?6) + 1) = ?6 || '.')
               AND (?7 IS NULL OR outcome = ?7)
               AND (?8 IS NULL OR at_ms >= ?8)
               AND (?9 IS NULL OR at_ms < ?9)
             ORDER BY at_ms DESC, id DESC
             LIMIT ?10",
        )
        .map_err(unavailable)?;
    let rows = statement
        .query_map(
            params![
                query.now,
                before.map(|c| c.at_ms),
                before.map(|c| c.id.as_str()),
                filter.actor,
                filter.target,
                filter.action,
                filter.outcome,
                filter.from_ms,
                filter.until_ms,
                // One beyond the page tells whether another follows.
                size as i64 + 1
            ],
            |row| {
                Ok(AuditEntry {
                    id: row.get(0)?,
                    at_ms: row.get(1)?,
                    action: row.get(2)?,
                    actor: row.get(3)?,
                    target: row.get(4)?,
                    outcome: row.get(5)?,
                    expires_at: row.get(6)?,
                })
            },
        )
        .map_err(unavailable)?;
    let mut entries = rows.collect::<Result<Vec<_>, _>>().map_err(unavailable)?;
    let more = entries.len() > size;
    entries.truncate(size);
    Ok(AuditPage {
        next: entries.last().filter(|_| more).map(AuditCursor::before),
        entries,
    })
}
