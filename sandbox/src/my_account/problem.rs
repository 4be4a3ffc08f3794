//! The My Account API's error bodies: `{type, title, detail, status}` plus
//! `validation_errors` for a bad payload, as Auth0's SDKs read them
//! (nextjs-auth0 `buildConnectAccountErrorResponse`, auth0-server-python
//! `MyAccountApiError`). The two `type` URIs below appear in nextjs-auth0's
//! fixtures; the others are inferred and use `about:blank` (RFC 9457).

use axum::Json;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde_json::{Value, json};

#[derive(Debug)]
pub struct Problem {
    status: StatusCode,
    kind: &'static str,
    title: &'static str,
    detail: String,
    validation_errors: Option<Value>,
}

impl Problem {
    /// A payload field is missing or malformed.
    pub fn validation(field: &str, detail: &str) -> Self {
        Self {
            status: StatusCode::BAD_REQUEST,
            kind: "https://auth0.com/api-errors/A0E-400-0003",
            title: "Validation Error",
            detail: "Invalid request payload input".into(),
            validation_errors: Some(json!([{ "pointer": format!("/{field}"), "detail": detail }])),
        }
    }

    /// An unknown or used connect session or code.
    pub fn invalid_session() -> Self {
        Self {
            status: StatusCode::NOT_FOUND,
            kind: "https://auth0.com/api-errors/A0E-404-0001",
            title: "Not Found",
            detail: "Invalid or expired session".into(),
            validation_errors: None,
        }
    }

    pub fn not_found(detail: &str) -> Self {
        Self::plain(StatusCode::NOT_FOUND, "Not Found", detail)
    }

    pub fn unauthorized() -> Self {
        Self::plain(
            StatusCode::UNAUTHORIZED,
            "Unauthorized",
            "Invalid or expired access token for the My Account API.",
        )
    }

    pub fn insufficient_scope(scope: &str) -> Self {
        Self::plain(
            StatusCode::FORBIDDEN,
            "Forbidden",
            &format!("The access token lacks the {scope} scope."),
        )
    }

    pub fn bad_request(detail: &str) -> Self {
        Self::plain(StatusCode::BAD_REQUEST, "Bad Request", detail)
    }

    fn plain(status: StatusCode, title: &'static str, detail: &str) -> Self {
        Self {
            status,
            kind: "about:blank",
            title,
            detail: detail.to_owned(),
            validation_errors: None,
        }
    }
}

impl IntoResponse for Problem {
    fn into_response(self) -> Response {
        let mut body = json!({
            "type": self.kind,
            "title": self.title,
            "detail": self.detail,
            "status": self.status.as_u16(),
        });
        if let Some(errors) = self.validation_errors {
            body["validation_errors"] = errors;
        }
        (
            self.status,
            [
                (header::CONTENT_TYPE, "application/problem+json"),
                (header::CACHE_CONTROL, "no-store"),
            ],
            Json(body),
        )
            .into_response()
    }
}
