//! The Management API's error bodies: `{statusCode, error, message}` plus
//! an `errorCode` for most failures, as Auth0 answers them, e.g.
//! `{"statusCode":403,"error":"Forbidden","message":"Insufficient scope,
//! expected any of: read:users","errorCode":"insufficient_scope"}`
//! (Auth0 support, "Management API Token from API Explorer Tab does not
//! Contain Expected Scopes"). A rejected token is
//! `{"statusCode":401,"error":"Unauthorized","message":"Invalid token",
//! "attributes":{"error":"Invalid token"}}` (as quoted in Auth0 Community,
//! "Management API return 401 Unauthorized").

use axum::Json;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use chrono::Utc;
use serde_json::json;

#[derive(Debug)]
pub struct ManagementError {
    status: StatusCode,
    message: String,
    error_code: Option<&'static str>,
    /// Unix seconds for `X-RateLimit-Reset` on a rate-limited answer.
    rate_limit_reset: Option<i64>,
}

impl ManagementError {
    fn new(status: StatusCode, message: impl Into<String>, code: Option<&'static str>) -> Self {
        Self {
            status,
            message: message.into(),
            error_code: code,
            rate_limit_reset: None,
        }
    }

    /// No bearer token, or one that is not a live Management API token of
    /// this tenant (bad signature, other issuer or audience, expired).
    pub fn invalid_token() -> Self {
        Self::new(StatusCode::UNAUTHORIZED, "Invalid token", None)
    }

    pub fn insufficient_scope(scope: &str) -> Self {
        Self::new(
            StatusCode::FORBIDDEN,
            format!("Insufficient scope, expected any of: {scope}"),
            Some("insufficient_scope"),
        )
    }

    /// A query string that fails the endpoint's schema; `detail` in Auth0's
    /// "'<problem>' on property <name> (<description>)." form.
    pub fn invalid_query(detail: &str) -> Self {
        Self::new(
            StatusCode::BAD_REQUEST,
            format!("Query validation error: {detail}"),
            Some("invalid_query_string"),
        )
    }

    /// The Management API's rate limit, its window resetting
    /// `reset_in_seconds` from now ("Management API Endpoint Rate Limits":
    /// a 429 with `X-RateLimit-Limit`, `-Remaining` and `-Reset`).
    pub fn too_many_requests(reset_in_seconds: i64) -> Self {
        let reset = Utc::now().timestamp().saturating_add(reset_in_seconds);
        Self {
            rate_limit_reset: Some(reset),
            ..Self::new(
                StatusCode::TOO_MANY_REQUESTS,
                "Global limit has been reached",
                Some("too_many_requests"),
            )
        }
    }

    pub fn unavailable() -> Self {
        Self::new(
            StatusCode::SERVICE_UNAVAILABLE,
            "The service is temporarily unavailable.",
            None,
        )
    }

    pub fn status(&self) -> StatusCode {
        self.status
    }
}

impl IntoResponse for ManagementError {
    fn into_response(self) -> Response {
        let mut body = json!({
            "statusCode": self.status.as_u16(),
            "error": self.status.canonical_reason().unwrap_or("Error"),
            "message": self.message,
        });
        if let Some(code) = self.error_code {
            body["errorCode"] = code.into();
        }
        if self.status == StatusCode::UNAUTHORIZED {
            body["attributes"] = json!({ "error": self.message });
        }
        let mut response = (self.status, Json(body)).into_response();
        let headers = response.headers_mut();
        if self.status == StatusCode::UNAUTHORIZED {
            // RFC 6750 §3: a 401 names the scheme the API wants.
            let challenge = format!("Bearer error=\"{}\"", self.message);
            if let Ok(value) = HeaderValue::from_str(&challenge) {
                headers.insert(header::WWW_AUTHENTICATE, value);
            }
        }
        if let Some(reset) = self.rate_limit_reset {
            headers.insert("x-ratelimit-limit", HeaderValue::from(50));
            headers.insert("x-ratelimit-remaining", HeaderValue::from(0));
            headers.insert("x-ratelimit-reset", HeaderValue::from(reset));
        }
        response
    }
}
