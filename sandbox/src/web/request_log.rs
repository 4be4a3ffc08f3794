//! One JSON log line per request, without the query string: it carries
//! authorization codes, state and nonces. Paths that are secrets themselves
//! (password reset links) are cut short.

use std::time::Instant;

use axum::extract::Request;
use axum::middleware::Next;
use axum::response::Response;

pub async fn log_request(request: Request, next: Next) -> Response {
    let method = request.method().clone();
    let path = loggable_path(request.uri().path());
    let started = Instant::now();
    let response = next.run(request).await;
    tracing::info!(
        %method,
        path,
        status = response.status().as_u16(),
        elapsed_ms = started.elapsed().as_millis() as u64,
        "request"
    );
    response
}

/// Path prefixes whose remainder is a bearer secret.
const SECRET_PATHS: &[&str] = &["/okta/reset/"];

fn loggable_path(path: &str) -> String {
    match SECRET_PATHS.iter().find(|prefix| path.starts_with(*prefix)) {
        Some(prefix) => format!("{prefix}[redacted]"),
        None => path.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reset_links_are_not_logged() {
        assert_eq!(loggable_path("/okta/reset/abc"), "/okta/reset/[redacted]");
        assert_eq!(loggable_path("/authorize"), "/authorize");
    }
}
