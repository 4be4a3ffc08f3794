//! OpenFGA-shaped errors: `{"code", "message"}` with OpenFGA's codes and
//! HTTP statuses (its `ErrorCode`, `AuthErrorCode`, `NotFoundErrorCode` and
//! `InternalErrorCode` enums, https://openfga.dev/api/service).

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use axum::Json;
use axum::http::{HeaderName, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde_json::json;

use super::validate::ID_PATTERN;

/// The request rate the sandbox claims in `X-RateLimit-Limit` on a 429.
const ADVERTISED_LIMIT: &str = "100";

#[derive(Debug)]
pub struct FgaError {
    status: StatusCode,
    code: &'static str,
    message: String,
    /// For a 429: how long until the client may call again.
    retry_after: Option<Duration>,
}

impl FgaError {
    fn new(status: StatusCode, code: &'static str, message: impl Into<String>) -> Self {
        Self {
            status,
            code,
            message: message.into(),
            retry_after: None,
        }
    }

    /// A store or model id that is not a ULID, in OpenFGA's wording.
    pub fn pattern_mismatch(request: &str, field: &str) -> Self {
        Self::validation(format!(
            "invalid {request}.{field}: value does not match regex pattern \"{ID_PATTERN}\""
        ))
    }

    pub fn page_size_invalid(request: &str) -> Self {
        Self::new(
            StatusCode::BAD_REQUEST,
            "page_size_invalid",
            format!("invalid {request}.PageSize: value must be inside range 1 to 100"),
        )
    }

    pub fn invalid_continuation_token() -> Self {
        Self::new(
            StatusCode::BAD_REQUEST,
            "invalid_continuation_token",
            "Invalid continuation token",
        )
    }

    /// Auth0 FGA's rate limit: 429 with `Retry-After` (which the OpenFGA
    /// SDKs honour before retrying) and Auth0's `X-RateLimit-*` headers.
    /// OpenFGA has no dedicated code for it; gRPC's `ResourceExhausted`,
    /// which its gateway maps to 429, encodes as `resource_exhausted`.
    pub fn rate_limited(retry_after: Duration) -> Self {
        Self {
            retry_after: Some(retry_after),
            ..Self::new(
                StatusCode::TOO_MANY_REQUESTS,
                "resource_exhausted",
                "rate limit exceeded",
            )
        }
    }

    pub fn validation(message: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, "validation_error", message)
    }

    pub fn write_failed(message: impl Into<String>) -> Self {
        Self::new(
            StatusCode::BAD_REQUEST,
            "write_failed_due_to_invalid_input",
            message,
        )
    }

    pub fn type_not_found(object_type: &str) -> Self {
        Self::new(
            StatusCode::BAD_REQUEST,
            "type_not_found",
            format!("type '{object_type}' not found"),
        )
    }

    pub fn relation_not_found(object_type: &str, relation: &str) -> Self {
        Self::new(
            StatusCode::BAD_REQUEST,
            "relation_not_found",
            format!("relation '{object_type}#{relation}' not found"),
        )
    }

    pub fn model_not_found(model_id: &str) -> Self {
        Self::new(
            StatusCode::BAD_REQUEST,
            "authorization_model_not_found",
            format!("Authorization Model '{model_id}' not found"),
        )
    }

    pub fn store_not_found() -> Self {
        Self::new(
            StatusCode::NOT_FOUND,
            "store_id_not_found",
            "store_id not found",
        )
    }

    pub fn too_complex() -> Self {
        Self::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "resolution_too_complex",
            "Authorization Model resolution required too many rewrite rules to be resolved.",
        )
    }

    pub fn bearer_token_missing() -> Self {
        Self::new(
            StatusCode::UNAUTHORIZED,
            "bearer_token_missing",
            "missing bearer token",
        )
    }

    pub fn invalid_bearer_token() -> Self {
        Self::new(
            StatusCode::UNAUTHORIZED,
            "auth_failed_invalid_bearer_token",
            "invalid bearer token",
        )
    }

    pub fn unavailable() -> Self {
        Self::new(
            StatusCode::SERVICE_UNAVAILABLE,
            "unavailable",
            "the FGA service is unavailable",
        )
    }
}

impl IntoResponse for FgaError {
    fn into_response(self) -> Response {
        let mut response = (
            self.status,
            Json(json!({ "code": self.code, "message": self.message })),
        )
            .into_response();
        if let Some(wait) = self.retry_after {
            let reset = SystemTime::now()
                .duration_since(UNIX_EPOCH)
                .unwrap_or_default()
                + wait;
            let headers = response.headers_mut();
            let mut set = |name: HeaderName, value: String| {
                if let Ok(value) = HeaderValue::from_str(&value) {
                    headers.insert(name, value);
                }
            };
            set(header::RETRY_AFTER, wait.as_secs().to_string());
            set(
                HeaderName::from_static("x-ratelimit-limit"),
                ADVERTISED_LIMIT.into(),
            );
            set(HeaderName::from_static("x-ratelimit-remaining"), "0".into());
            set(
                HeaderName::from_static("x-ratelimit-reset"),
                reset.as_secs().to_string(),
            );
        }
        response
    }
}
