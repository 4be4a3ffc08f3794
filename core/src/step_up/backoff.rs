//! When to ask Auth0 again after a poll that got no answer (a rate limit,
//! an outage): never sooner than the interval, twice as late after each
//! failure in a row, as late as Auth0's `Retry-After` asks, but in time for
//! one last poll before the request expires.

use super::{POLL_MARGIN_MS, next_poll_after};

/// The longest the growing wait gets; the request's own expiry bounds the
/// whole step-up anyway.
const MAX_BACKOFF_MS: i64 = 60_000;
/// Doublings before the cap is surely reached (2^6 × 1 s > 60 s).
const MAX_DOUBLINGS: u32 = 6;

/// When the next poll may go out after the `failed_polls`th failure in a
/// row at `now_ms`. `retry_after_seconds` is Auth0's own wait, if it gave
/// one; `expires_at` is the request's expiry, in Unix seconds.
pub fn next_poll_after_trouble(
    now_ms: i64,
    interval_seconds: i64,
    failed_polls: u32,
    retry_after_seconds: Option<i64>,
    expires_at: i64,
) -> i64 {
    let interval_ms = interval_seconds * 1000;
    let grown = (interval_ms << failed_polls.min(MAX_DOUBLINGS))
        .min(MAX_BACKOFF_MS)
        .max(interval_ms);
    let wait = grown.max(retry_after_seconds.unwrap_or(0) * 1000);
    let backed_off = now_ms + wait + POLL_MARGIN_MS;
    // An approval given while we wait is only collected before expiry.
    let last_chance = expires_at * 1000 - interval_ms;
    backed_off.min(last_chance.max(next_poll_after(now_ms, interval_seconds)))
}

#[cfg(test)]
mod tests {
    use super::*;

    const NOW_MS: i64 = 1_700_000_000_000;
    const FAR: i64 = NOW_MS / 1000 + 3600;

    fn wait(failed_polls: u32, retry_after: Option<i64>, expires_at: i64) -> i64 {
        next_poll_after_trouble(NOW_MS, 2, failed_polls, retry_after, expires_at) - NOW_MS
    }

    #[test]
    fn each_failure_in_a_row_doubles_the_wait_up_to_a_minute() {
        let waits: Vec<i64> = (1..=7).map(|n| wait(n, None, FAR)).collect();
        let m = POLL_MARGIN_MS;
        assert_eq!(
            waits,
            [
                4_000 + m,
                8_000 + m,
                16_000 + m,
                32_000 + m,
                60_000 + m,
                60_000 + m,
                60_000 + m
            ]
        );
        assert_eq!(wait(u32::MAX, None, FAR), 60_000 + m);
    }

    #[test]
    fn auth0s_retry_after_wins_when_longer() {
        assert_eq!(wait(1, Some(30), FAR), 30_000 + POLL_MARGIN_MS);
        assert_eq!(wait(1, Some(1), FAR), 4_000 + POLL_MARGIN_MS);
    }

    #[test]
    fn the_last_poll_comes_before_expiry_but_never_before_the_interval() {
        let expires_at = NOW_MS / 1000 + 10;
        assert_eq!(wait(5, Some(120), expires_at), 8_000);
        let imminent = NOW_MS / 1000 + 1;
        assert_eq!(wait(5, None, imminent), 2_000 + POLL_MARGIN_MS);
    }
}
