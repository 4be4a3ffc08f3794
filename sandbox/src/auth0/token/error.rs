//! Auth0-shaped OAuth errors: `{"error", "error_description"}`, with the
//! statuses Auth0 answers (https://auth0.com/docs/api/authentication):
//! `invalid_grant` is a 403 ("Unknown or invalid refresh token.", a used
//! code), a hasty CIBA poll a 429 `slow_down` with `Retry-After`, a failed
//! client authentication a 401.

use axum::Json;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde_json::json;

#[derive(Debug)]
pub struct OAuthError {
    status: StatusCode,
    error: &'static str,
    description: String,
    /// Seconds for a `Retry-After` header.
    retry_after: Option<i64>,
    /// Unix seconds for Auth0's `X-RateLimit-Reset` (with `-Limit` and
    /// `-Remaining`), on a rate-limited answer.
    rate_limit_reset: Option<i64>,
}

impl OAuthError {
    fn new(status: StatusCode, error: &'static str, description: impl Into<String>) -> Self {
        Self {
            status,
            error,
            description: description.into(),
            retry_after: None,
            rate_limit_reset: None,
        }
    }

    pub fn invalid_request(description: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, "invalid_request", description)
    }

    pub fn invalid_client() -> Self {
        Self::new(
            StatusCode::UNAUTHORIZED,
            "invalid_client",
            "Client authentication failed.",
        )
    }

    pub fn invalid_grant(description: impl Into<String>) -> Self {
        Self::new(StatusCode::FORBIDDEN, "invalid_grant", description)
    }

    /// A CIBA poll before the interval passed; `wait_seconds` is the new
    /// interval (Auth0's "Back-Channel Login flow - Status Check").
    pub fn slow_down(wait_seconds: i64) -> Self {
        Self {
            retry_after: Some(wait_seconds),
            ..Self::new(
                StatusCode::TOO_MANY_REQUESTS,
                "slow_down",
                format!(
                    "You are polling faster than allowed. Try again in {wait_seconds} seconds."
                ),
            )
        }
    }

    /// Auth0's Authentication API rate limit: a 429 `too_many_requests`
    /// whose window resets `reset_in_seconds` from now, told in Auth0's
    /// `X-RateLimit-*` headers (no `Retry-After`).
    pub fn too_many_requests(reset_in_seconds: i64) -> Self {
        Self {
            rate_limit_reset: Some(
                chrono::Utc::now()
                    .timestamp()
                    .saturating_add(reset_in_seconds),
            ),
            ..Self::new(
                StatusCode::TOO_MANY_REQUESTS,
                "too_many_requests",
                "Global limit has been reached",
            )
        }
    }

    /// An `audience` that names no API of the tenant: Auth0 answers
    /// `access_denied` "Service not found: …" with a 403. Client-credentials
    /// requests the client grant does not allow get the same error.
    pub fn access_denied(description: impl Into<String>) -> Self {
        Self::new(StatusCode::FORBIDDEN, "access_denied", description)
    }

    pub fn invalid_scope(description: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, "invalid_scope", description)
    }

    pub fn unsupported_grant_type() -> Self {
        Self::new(
            StatusCode::BAD_REQUEST,
            "unsupported_grant_type",
            "This grant type is not supported by the sandbox.",
        )
    }

    /// Any other 400 error code, e.g. CIBA's `authorization_pending`.
    pub fn bad_request(error: &'static str, description: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, error, description)
    }

    /// Token Vault has no federated token for the user and connection: a
    /// 401 with this code and wording (as Auth0 answers it, quoted in
    /// integrations' fixtures and error handling for Token Vault).
    pub fn no_federated_token() -> Self {
        Self::new(
            StatusCode::UNAUTHORIZED,
            "federated_connection_refresh_token_not_found",
            "Federated connection Refresh Token not found.",
        )
    }

    pub fn temporarily_unavailable() -> Self {
        Self::new(
            StatusCode::SERVICE_UNAVAILABLE,
            "temporarily_unavailable",
            "The service is temporarily unavailable.",
        )
    }

    pub fn server_error() -> Self {
        Self::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "server_error",
            "The sandbox failed to issue tokens.",
        )
    }

    pub fn error(&self) -> &'static str {
        self.error
    }
}

impl IntoResponse for OAuthError {
    fn into_response(self) -> Response {
        let body = Json(json!({ "error": self.error, "error_description": self.description }));
        let mut response =
            (self.status, [(header::CACHE_CONTROL, "no-store")], body).into_response();
        if let Some(seconds) = self.retry_after {
            response
                .headers_mut()
                .insert(header::RETRY_AFTER, header::HeaderValue::from(seconds));
        }
        if let Some(reset) = self.rate_limit_reset {
            let headers = response.headers_mut();
            headers.insert("x-ratelimit-limit", header::HeaderValue::from(30));
            headers.insert("x-ratelimit-remaining", header::HeaderValue::from(0));
            headers.insert("x-ratelimit-reset", header::HeaderValue::from(reset));
        }
        if self.status == StatusCode::UNAUTHORIZED {
            // RFC 6749 §5.2: a 401 names the authentication scheme to use.
            response.headers_mut().insert(
                header::WWW_AUTHENTICATE,
                header::HeaderValue::from_static("Basic realm=\"sandbox\""),
            );
        }
        response
    }
}
