//! Okta-shaped errors: `{errorCode, errorSummary, errorLink, errorId, errorCauses}`.

use axum::Json;
use axum::http::{HeaderName, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde_json::json;

use crate::secrets::random_token;

pub struct OktaError {
    status: StatusCode,
    code: &'static str,
    summary: &'static str,
    /// Epoch seconds for `X-Rate-Limit-Reset` on a 429.
    rate_limit_reset: Option<i64>,
}

impl OktaError {
    fn new(status: StatusCode, code: &'static str, summary: &'static str) -> Self {
        Self {
            status,
            code,
            summary,
            rate_limit_reset: None,
        }
    }

    pub fn not_found() -> Self {
        Self::new(
            StatusCode::NOT_FOUND,
            "E0000007",
            "Not found: Resource not found",
        )
    }

    pub fn invalid_token() -> Self {
        Self::new(
            StatusCode::UNAUTHORIZED,
            "E0000011",
            "Invalid token provided",
        )
    }

    pub fn rate_limited(reset_at: i64) -> Self {
        Self {
            rate_limit_reset: Some(reset_at),
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

    pub fn invalid_argument() -> Self {
        Self::new(
            StatusCode::BAD_REQUEST,
            "E0000001",
            "Api validation failed: sendEmail must be true or false",
        )
    }
}

impl IntoResponse for OktaError {
    fn into_response(self) -> Response {
        let body = json!({
            "errorCode": self.code,
            "errorSummary": self.summary,
            "errorLink": self.code,
            "errorId": format!("sandbox{}", &random_token()[..12]),
            "errorCauses": [],
        });
        let mut response = (self.status, Json(body)).into_response();
        let headers = response.headers_mut();
        if self.status == StatusCode::UNAUTHORIZED {
            headers.insert(
                header::WWW_AUTHENTICATE,
                HeaderValue::from_static("Bearer error=\"invalid_token\""),
            );
        }
        if let Some(reset) = self.rate_limit_reset {
            let number = |n: i64| HeaderValue::from_str(&n.to_string()).expect("digits");
            headers.insert(HeaderName::from_static("x-rate-limit-limit"), number(600));
            headers.insert(HeaderName::from_static("x-rate-limit-remaining"), number(0));
            headers.insert(HeaderName::from_static("x-rate-limit-reset"), number(reset));
        }
        response
    }
}
