//! AWS-shaped errors (restJson1): the type in `x-amzn-errortype`,
//! `{"message"}` in the body, the status the API reference gives each.

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
    pub fn new(status: StatusCode, error_type: &'static str, message: impl Into<String>) -> Self {
        Self {
            status,
            error_type,
            message: message.into(),
        }
    }

    pub fn validation(message: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, "ValidationException", message)
    }

    pub fn not_found(message: impl Into<String>) -> Self {
        Self::new(StatusCode::NOT_FOUND, "ResourceNotFoundException", message)
    }

    pub fn access_denied(message: impl Into<String>) -> Self {
        Self::new(StatusCode::FORBIDDEN, "AccessDeniedException", message)
    }
}

impl IntoResponse for AwsError {
    fn into_response(self) -> Response {
        // The message may quote the request, so only the type is logged.
        tracing::info!(error_type = self.error_type, "InvokeHarness refused");
        let mut body = json!({ "message": self.message });
        if self.error_type == "ValidationException" {
            body["reason"] = "FieldValidationFailed".into();
        }
        (
            self.status,
            [
                ("x-amzn-errortype", self.error_type.to_owned()),
                ("x-amzn-requestid", uuid::Uuid::new_v4().to_string()),
            ],
            Json(body),
        )
            .into_response()
    }
}
