//! Okta's error object (Okta API "Error response"; the SDK's `ModelError`
//! and `OktaApiError` read the same fields): `{errorCode, errorSummary,
//! errorLink, errorId, errorCauses: [{errorSummary}]}`. Okta sets
//! `errorLink` to the code and gives each error a fresh `errorId`.

use axum::Json;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde_json::json;

use super::limits::{RateLimit, set_rate_limit_headers};
use crate::shared::secrets::random_token;

pub struct OktaError {
    status: StatusCode,
    code: &'static str,
    summary: String,
    causes: Vec<String>,
    /// The window a 429 reports in its `X-Rate-Limit-*` headers.
    rate_limit: Option<RateLimit>,
}

impl OktaError {
    fn new(status: StatusCode, code: &'static str, summary: impl Into<String>) -> Self {
        Self {
            status,
            code,
            summary: summary.into(),
            causes: Vec::new(),
            rate_limit: None,
        }
    }

    /// E0000007, as Okta words it for a user: `Not found: Resource not
    /// found: <idOrLogin> (User)`.
    pub fn user_not_found(id_or_login: &str) -> Self {
        Self::new(
            StatusCode::NOT_FOUND,
            "E0000007",
            format!("Not found: Resource not found: {id_or_login} (User)"),
        )
    }

    pub fn invalid_token() -> Self {
        Self::new(
            StatusCode::UNAUTHORIZED,
            "E0000011",
            "Invalid token provided",
        )
    }

    /// E0000047 with the exhausted window's headers (Okta, "Rate limits").
    pub fn rate_limited(limit: RateLimit) -> Self {
        Self {
            rate_limit: Some(limit),
            ..Self::new(
                StatusCode::TOO_MANY_REQUESTS,
                "E0000047",
                "API call exceeded rate limit due to too many requests.",
            )
        }
    }

    pub fn unavailable() -> Self {
        Self::new(
            StatusCode::SERVICE_UNAVAILABLE,
            "E0000009",
            "Internal Server Error: the service is unavailable",
        )
    }

    /// E0000001 with one cause per rejected parameter.
    pub fn validation(cause: impl Into<String>) -> Self {
        Self {
            causes: vec![cause.into()],
            ..Self::new(
                StatusCode::BAD_REQUEST,
                "E0000001",
                "Api validation failed: parameters",
            )
        }
    }

    /// E0000038: a lifecycle operation the user's status does not allow
    /// (e.g. a password reset of a suspended or deactivated user).
    pub fn not_allowed_in_status() -> Self {
        Self::new(
            StatusCode::FORBIDDEN,
            "E0000038",
            "This operation is not allowed in the user's current status.",
        )
    }
}

impl IntoResponse for OktaError {
    fn into_response(self) -> Response {
        let causes: Vec<_> = self
            .causes
            .iter()
            .map(|summary| json!({ "errorSummary": summary }))
            .collect();
        let body = json!({
            "errorCode": self.code,
            "errorSummary": self.summary,
            "errorLink": self.code,
            "errorId": format!("oae{}", &random_token()[..22]),
            "errorCauses": causes,
        });
        let mut response = (self.status, Json(body)).into_response();
        let headers = response.headers_mut();
        if self.status == StatusCode::UNAUTHORIZED {
            headers.insert(
                header::WWW_AUTHENTICATE,
                HeaderValue::from_static("Bearer error=\"invalid_token\""),
            );
        }
        if let Some(limit) = self.rate_limit {
            set_rate_limit_headers(headers, limit);
        }
        response
    }
}
