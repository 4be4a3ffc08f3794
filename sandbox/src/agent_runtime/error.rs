//! AWS-shaped errors: the type in `x-amzn-errortype`, `{"message"}` in the body.

use axum::Json;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde_json::json;

#[derive(Debug)]
pub struct AwsError {
    status: StatusCode,
    error_type: &'static str,
    message: String,
}

impl AwsError {
    pub fn validation(message: impl Into<String>) -> Self {
        Self {
            status: StatusCode::BAD_REQUEST,
            error_type: "ValidationException",
            message: message.into(),
        }
    }

    pub fn not_found(message: impl Into<String>) -> Self {
        Self {
            status: StatusCode::NOT_FOUND,
            error_type: "ResourceNotFoundException",
            message: message.into(),
        }
    }

    pub fn access_denied(message: impl Into<String>) -> Self {
        Self {
            status: StatusCode::FORBIDDEN,
            error_type: "AccessDeniedException",
            message: message.into(),
        }
    }
}

impl IntoResponse for AwsError {
    fn into_response(self) -> Response {
        // The message may quote the request body, so only the type is logged.
        tracing::info!(error_type = self.error_type, "InvokeAgent refused");
        (
            self.status,
            [
                ("x-amzn-errortype", self.error_type.to_owned()),
                ("x-amzn-requestid", uuid::Uuid::new_v4().to_string()),
            ],
            Json(json!({ "message": self.message })),
        )
            .into_response()
    }
}
