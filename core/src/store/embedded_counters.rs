//! The embedded store's window counters and slots. Each operation is one
//! immediate transaction: SQLite lets one writer in at a time across every
//! process sharing the file, so reading the row and writing it back cannot
//! interleave with another hit.

use rusqlite::{Connection, OptionalExtension, TransactionBehavior, params};

use super::embedded::unavailable;
use super::{LimitDecision, SlotClaim, SlotDecision, StoreResult, WindowHit};

pub(super) fn hit(conn: &mut Connection, hit: &WindowHit) -> StoreResult<LimitDecision> {
    if let Some(refused) = LimitDecision::for_zero_limit(hit) {
        return Ok(refused);
    }
    let (key, limit, now) = (&hit.key, hit.limit, hit.now);
    let tx = conn
        .transaction_with_behavior(TransactionBehavior::Immediate)
        .map_err(unavailable)?;
    let open: Option<(u32, i64)> = tx
        .query_row(
            "SELECT count, ttl FROM limit_windows WHERE key = ?1 AND ttl > ?2",
            params![key, now],
            |row| Ok((row.get(0)?, row.get(1)?)),
        )
        .optional()
        .map_err(unavailable)?;
    let decision = match open {
        Some((count, ends)) if count >= limit => LimitDecision::Refused { retry_at: ends },
        Some((count, _)) => {
            tx.execute(
                "UPDATE limit_windows SET count = count + 1 WHERE key = ?1",
                params![key],
            )
            .map_err(unavailable)?;
            LimitDecision::Allowed { count: count + 1 }
        }
        None => {
            tx.execute(
                "INSERT INTO limit_windows (key, count, ttl) VALUES (?1, 1, ?2)
                 ON CONFLICT (key) DO UPDATE SET count = 1, ttl = excluded.ttl",
                params![key, hit.window_ends()],
            )
            .map_err(unavailable)?;
            LimitDecision::Allowed { count: 1 }
        }
    };
    tx.commit().map_err(unavailable)?;
    Ok(decision)
}

pub(super) fn claim(conn: &mut Connection, claim: &SlotClaim) -> StoreResult<SlotDecision> {
    let (key, now) = (&claim.key, claim.now);
    let tx = conn
        .transaction_with_behavior(TransactionBehavior::Immediate)
        .map_err(unavailable)?;
    let held: Vec<(u32, i64)> = {
        let mut statement = tx
            .prepare("SELECT slot, ttl FROM limit_slots WHERE key = ?1 AND ttl > ?2")
            .map_err(unavailable)?;
        let rows = statement
            .query_map(params![key, now], |row| Ok((row.get(0)?, row.get(1)?)))
            .map_err(unavailable)?;
        rows.collect::<Result<_, _>>().map_err(unavailable)?
    };
    let free = (0..claim.slots).find(|slot| held.iter().all(|(taken, _)| taken != slot));
    let Some(slot) = free else {
        let frees_at = held.iter().map(|&(_, ttl)| ttl).min().unwrap_or(now);
        return Ok(SlotDecision::Full { frees_at });
    };
    tx.execute(
        "INSERT INTO limit_slots (key, slot, holder, ttl) VALUES (?1, ?2, ?3, ?4)
         ON CONFLICT (key, slot) DO UPDATE SET holder = excluded.holder, ttl = excluded.ttl",
        params![key, slot, claim.holder, claim.expires_at],
    )
    .map_err(unavailable)?;
    tx.commit().map_err(unavailable)?;
    Ok(SlotDecision::Claimed)
}

pub(super) fn release(conn: &Connection, key: &str, holder: &str) -> StoreResult<()> {
    conn.execute(
        "DELETE FROM limit_slots WHERE key = ?1 AND holder = ?2",
        params![key, holder],
    )
    .map_err(unavailable)?;
    Ok(())
}
