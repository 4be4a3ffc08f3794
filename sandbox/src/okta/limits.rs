//! Okta's rate limiting as its headers report it (Okta, "Rate limits" and
//! "Rate limit best practices"): every response carries
//! `X-Rate-Limit-Limit` (the ceiling), `X-Rate-Limit-Remaining` (left in the
//! window) and `X-Rate-Limit-Reset` (UTC epoch seconds when the window
//! resets); past the ceiling the answer is 429 E0000047. Every response
//! also carries an `X-Okta-Request-Id` (the SDK logs it when it backs off).

use std::sync::{Arc, Mutex, PoisonError};

use axum::extract::{Request, State};
use axum::http::{HeaderMap, HeaderName, HeaderValue};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use chrono::Utc;

use super::Okta;
use super::error::OktaError;
use crate::shared::secrets::random_token;

/// Requests per window: Okta's per-minute limit for `/api/v1/users*` in a
/// default org.
pub const LIMIT: u32 = 600;
const WINDOW_SECONDS: i64 = 60;

const LIMIT_HEADER: HeaderName = HeaderName::from_static("x-rate-limit-limit");
const REMAINING_HEADER: HeaderName = HeaderName::from_static("x-rate-limit-remaining");
const RESET_HEADER: HeaderName = HeaderName::from_static("x-rate-limit-reset");
const REQUEST_ID_HEADER: HeaderName = HeaderName::from_static("x-okta-request-id");

/// What one response reports about its window.
#[derive(Clone, Copy, Debug)]
pub struct RateLimit {
    pub limit: u32,
    pub remaining: u32,
    /// UTC epoch seconds.
    pub reset: i64,
}

/// A fixed window that opens with the first request after the last one
/// closed.
#[derive(Default)]
pub struct Window(Mutex<Option<(i64, u32)>>);

impl Window {
    /// Counts one request; `Err` when the window has no room left.
    fn take(&self, now: i64) -> Result<RateLimit, RateLimit> {
        let mut slot = self.0.lock().unwrap_or_else(PoisonError::into_inner);
        let (reset, used) = match *slot {
            Some((reset, used)) if now < reset => (reset, used),
            _ => (now + WINDOW_SECONDS, 0),
        };
        let limit = |remaining| RateLimit {
            limit: LIMIT,
            remaining,
            reset,
        };
        if used >= LIMIT {
            return Err(limit(0));
        }
        *slot = Some((reset, used + 1));
        Ok(limit(LIMIT - used - 1))
    }
}

pub async fn rate_limit(State(okta): State<Arc<Okta>>, request: Request, next: Next) -> Response {
    let mut response = match okta.window.take(Utc::now().timestamp()) {
        Ok(limit) => {
            let mut response = next.run(request).await;
            // A 429 from an armed fault already reports its own window.
            if !response.headers().contains_key(RESET_HEADER) {
                set_rate_limit_headers(response.headers_mut(), limit);
            }
            response
        }
        Err(limit) => {
            tracing::info!("Okta rate limit reached");
            OktaError::rate_limited(limit).into_response()
        }
    };
    let id = HeaderValue::from_str(&random_token()[..20]).expect("URL-safe base64");
    response.headers_mut().insert(REQUEST_ID_HEADER, id);
    response
}

pub fn set_rate_limit_headers(headers: &mut HeaderMap, limit: RateLimit) {
    let number = |n: i64| HeaderValue::from_str(&n.to_string()).expect("digits");
    headers.insert(LIMIT_HEADER, number(limit.limit.into()));
    headers.insert(REMAINING_HEADER, number(limit.remaining.into()));
    headers.insert(RESET_HEADER, number(limit.reset));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_window_counts_down_refuses_when_spent_and_reopens() {
        let window = Window::default();
        let first = window.take(1_000).unwrap();
        assert_eq!((first.remaining, first.reset), (LIMIT - 1, 1_060));
        for _ in 1..LIMIT {
            window.take(1_030).unwrap();
        }
        let refused = window.take(1_059).unwrap_err();
        assert_eq!((refused.remaining, refused.reset), (0, 1_060));
        let next = window.take(1_060).unwrap();
        assert_eq!((next.remaining, next.reset), (LIMIT - 1, 1_120));
    }
}
