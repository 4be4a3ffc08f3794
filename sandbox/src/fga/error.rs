//! OpenFGA-shaped errors: `{"code", "message"}`.

use axum::Json;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde_json::json;

#[derive(Debug)]
pub struct FgaError {
    status: StatusCode,
    code: &'static str,
    message: String,
}

impl FgaError {
    fn new(status: StatusCode, code: &'static str, message: impl Into<String>) -> Self {
        Self {
            status,
            code,
            message: message.into(),
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

    pub fn unauthenticated() -> Self {
        Self::new(
            StatusCode::UNAUTHORIZED,
            "unauthenticated",
            "unauthenticated",
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
        (
            self.status,
            Json(json!({ "code": self.code, "message": self.message })),
        )
            .into_response()
    }
}
