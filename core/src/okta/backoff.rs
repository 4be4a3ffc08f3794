//! How long Okta asks a client to wait after a 429: until
//! `X-Rate-Limit-Reset` (UTC epoch seconds), measured against the
//! response's own `Date` so that a skewed local clock does not matter —
//! the way Okta's SDKs compute it (okta-sdk-nodejs `getRetryDelayMs`).

use reqwest::header::{DATE, HeaderMap};

use crate::time::now_unix;

/// When Okta gives no reset time, assume its one-minute window.
pub const UNKNOWN_RESET_SECONDS: i64 = 60;

/// Seconds from the response until the rate-limit window resets.
pub fn reset_in(headers: &HeaderMap) -> i64 {
    let Some(reset) = header_text(headers, "x-rate-limit-reset")
        // Duplicated headers arrive comma-joined; the SDK refuses those too.
        .filter(|value| !value.contains(','))
        .and_then(|value| value.trim().parse::<i64>().ok())
    else {
        return UNKNOWN_RESET_SECONDS;
    };
    let now = header_text(headers, DATE.as_str())
        .and_then(|date| chrono::DateTime::parse_from_rfc2822(date).ok())
        .map(|date| date.timestamp())
        .unwrap_or_else(now_unix);
    reset - now
}

fn header_text<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers.get(name).and_then(|value| value.to_str().ok())
}

#[cfg(test)]
mod tests {
    use super::*;
    use reqwest::header::HeaderValue;

    #[test]
    fn waits_are_measured_against_the_servers_date() {
        let mut headers = HeaderMap::new();
        headers.insert(
            DATE,
            HeaderValue::from_static("Mon, 30 Nov 2026 12:00:00 GMT"),
        );
        headers.insert("x-rate-limit-reset", HeaderValue::from_static("1796040005"));
        assert_eq!(reset_in(&headers), 5);
        headers.insert(
            "x-rate-limit-reset",
            HeaderValue::from_static("1796040005, 1796040005"),
        );
        assert_eq!(reset_in(&headers), UNKNOWN_RESET_SECONDS);
        assert_eq!(reset_in(&HeaderMap::new()), UNKNOWN_RESET_SECONDS);
    }
}
