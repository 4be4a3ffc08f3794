//! Wall-clock time as the store and sessions count it.

use std::time::{SystemTime, UNIX_EPOCH};

/// Seconds since the Unix epoch. Expiry fields everywhere are in this unit,
/// the same as DynamoDB's TTL attribute.
/// Milliseconds since the Unix epoch, for what must be spaced finer than a
/// second (CIBA polls).
pub fn now_unix_ms() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |elapsed| {
            i64::try_from(elapsed.as_millis()).unwrap_or(i64::MAX)
        })
}

pub fn now_unix() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |elapsed| {
            i64::try_from(elapsed.as_secs()).unwrap_or(i64::MAX)
        })
}
