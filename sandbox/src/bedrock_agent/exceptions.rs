//! The exceptions InvokeAgent defines, as the service sends them.
//!
//! The set, the names and the status codes are AWS's service model for
//! `bedrock-agent-runtime` 2023-07-26 (the `errors` of InvokeAgent and the
//! error members of the `ResponseStream` union; botocore ships the model as
//! `data/bedrock-agent-runtime/2023-07-26/service-2.json`), and
//! `aws-sdk-bedrockagentruntime`'s `InvokeAgentError` / `ResponseStreamError`
//! have one variant for each. Before the stream an exception is an HTTP error
//! (`x-amzn-errortype: <Name>`, body `{"message": ...}`); inside it, an
//! `exception` frame whose `:exception-type` is the union member's name.

use axum::http::StatusCode;
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
pub enum AgentException {
    AccessDeniedException,
    BadGatewayException,
    ConflictException,
    DependencyFailedException,
    InternalServerException,
    ModelNotReadyException,
    ResourceNotFoundException,
    ServiceQuotaExceededException,
    ThrottlingException,
    ValidationException,
}

impl AgentException {
    pub const ALL: [AgentException; 10] = [
        Self::AccessDeniedException,
        Self::BadGatewayException,
        Self::ConflictException,
        Self::DependencyFailedException,
        Self::InternalServerException,
        Self::ModelNotReadyException,
        Self::ResourceNotFoundException,
        Self::ServiceQuotaExceededException,
        Self::ThrottlingException,
        Self::ValidationException,
    ];

    /// The shape name: `x-amzn-errortype` of the HTTP error.
    pub fn error_type(self) -> &'static str {
        match self {
            Self::AccessDeniedException => "AccessDeniedException",
            Self::BadGatewayException => "BadGatewayException",
            Self::ConflictException => "ConflictException",
            Self::DependencyFailedException => "DependencyFailedException",
            Self::InternalServerException => "InternalServerException",
            Self::ModelNotReadyException => "ModelNotReadyException",
            Self::ResourceNotFoundException => "ResourceNotFoundException",
            Self::ServiceQuotaExceededException => "ServiceQuotaExceededException",
            Self::ThrottlingException => "ThrottlingException",
            Self::ValidationException => "ValidationException",
        }
    }

    /// The `ResponseStream` member name: `:exception-type` of the frame.
    pub fn event_type(self) -> String {
        let name = self.error_type();
        name[..1].to_ascii_lowercase() + &name[1..]
    }

    /// `smithy.api#httpError` of each shape in the service model.
    pub fn status(self) -> StatusCode {
        match self {
            Self::AccessDeniedException => StatusCode::FORBIDDEN,
            Self::BadGatewayException => StatusCode::BAD_GATEWAY,
            Self::ConflictException => StatusCode::CONFLICT,
            Self::DependencyFailedException | Self::ModelNotReadyException => {
                StatusCode::FAILED_DEPENDENCY
            }
            Self::InternalServerException => StatusCode::INTERNAL_SERVER_ERROR,
            Self::ResourceNotFoundException => StatusCode::NOT_FOUND,
            Self::ServiceQuotaExceededException | Self::ValidationException => {
                StatusCode::BAD_REQUEST
            }
            Self::ThrottlingException => StatusCode::TOO_MANY_REQUESTS,
        }
    }

    /// A message in the service's style. It names the agent, as Bedrock's
    /// own messages name ARNs: clients must not pass it on to users.
    pub fn default_message(self, agent_id: &str) -> String {
        match self {
            Self::AccessDeniedException => format!(
                "User is not authorized to perform: bedrock:InvokeAgent on resource: agent {agent_id}"
            ),
            Self::BadGatewayException => {
                format!("Agent {agent_id}: the dependency returned an invalid response.")
            }
            Self::ConflictException => {
                format!("Agent {agent_id}: a request for this session is already in progress.")
            }
            Self::DependencyFailedException => {
                format!("Agent {agent_id}: the Lambda function of an action group failed.")
            }
            Self::InternalServerException => "Internal server error".to_owned(),
            Self::ModelNotReadyException => {
                format!("Agent {agent_id}: the model is not ready to serve inference requests.")
            }
            Self::ResourceNotFoundException => format!("Agent {agent_id} was not found."),
            Self::ServiceQuotaExceededException => {
                format!("Agent {agent_id}: the service quota for this account was exceeded.")
            }
            Self::ThrottlingException => "Rate exceeded".to_owned(),
            Self::ValidationException => {
                format!("Agent {agent_id}: 1 validation error detected on the request.")
            }
        }
    }

    /// The JSON body: `message` plus the members the model gives the shape
    /// (`resourceName` for the dependency exceptions).
    pub fn payload(self, message: &str) -> Value {
        match self {
            Self::BadGatewayException | Self::DependencyFailedException => {
                json!({ "message": message, "resourceName": "Lambda" })
            }
            _ => json!({ "message": message }),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_match_the_wire_in_both_spellings() {
        for exception in AgentException::ALL {
            let serde_name = serde_json::to_value(exception).unwrap();
            assert_eq!(serde_name, exception.event_type().as_str());
            assert!(exception.event_type().ends_with("Exception"));
            assert!(
                exception
                    .error_type()
                    .starts_with(|c: char| c.is_uppercase())
            );
        }
        assert_eq!(
            AgentException::ServiceQuotaExceededException.event_type(),
            "serviceQuotaExceededException"
        );
    }
}
