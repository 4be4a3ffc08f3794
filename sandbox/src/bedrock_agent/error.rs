//! AWS-shaped errors: the type in `x-amzn-errortype`, `{"message"}` in the body.

use axum::Json;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde_json::json;

use super::exceptions::AgentException;

#[derive(Debug)]
pub struct AwsError {
    status: StatusCode,
    error_type: &'static str,
    /// `{"message"}` and the shape's other members.
    body: serde_json::Value,
}

impl AwsError {
    pub fn validation(message: impl Into<String>) -> Self {
        Self {
            status: StatusCode::BAD_REQUEST,
            error_type: "ValidationException",
            body: json!({ "message": message.into() }),
        }
    }

    pub fn not_found(message: impl Into<String>) -> Self {
        Self {
            status: StatusCode::NOT_FOUND,
            error_type: "ResourceNotFoundException",
            body: json!({ "message": message.into() }),
        }
    }

    pub fn access_denied(message: impl Into<String>) -> Self {
        Self {
            status: StatusCode::FORBIDDEN,
            error_type: "AccessDeniedException",
            body: json!({ "message": message.into() }),
        }
    }
}

impl From<(AgentException, String)> for AwsError {
    /// Any exception InvokeAgent defines, as its HTTP error response.
    fn from((exception, message): (AgentException, String)) -> Self {
        Self {
            status: exception.status(),
            error_type: exception.error_type(),
            body: exception.payload(&message),
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
            Json(self.body),
        )
            .into_response()
    }
}
