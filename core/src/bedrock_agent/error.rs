//! What each way an InvokeAgent call can fail means for the person chatting.
//!
//! InvokeAgent defines ten exceptions (`InvokeAgentError` before the stream,
//! the same ten as `ResponseStreamError` inside it). Each becomes its own
//! message: what happened and what the user can do, never the service's own
//! message (it names ARNs, agents and request ids).

use aws_sdk_bedrockagentruntime::operation::invoke_agent::InvokeAgentError;
use aws_sdk_bedrockagentruntime::types::error::ResponseStreamError;

/// Why a reply failed, in words fit for the user.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum AgentError {
    #[error("The assistant is unavailable, try again.")]
    Unavailable,
    #[error("The assistant is busy right now (rate limited), try again in a moment.")]
    Throttled,
    #[error(
        "The assistant has used up its quota for now. Try again later; if this keeps happening, ask an operator to raise the quota."
    )]
    QuotaExceeded,
    #[error(
        "Custodian is not allowed to call the assistant; ask an operator to check its permissions."
    )]
    AccessDenied,
    #[error("A service the assistant relies on did not answer properly. Try again in a moment.")]
    BadGateway,
    #[error(
        "One of the assistant's tools failed, so it could not finish. Try again; if it keeps failing, ask an operator to check the assistant's tools."
    )]
    DependencyFailed,
    #[error("The assistant ran into an internal error. Try again.")]
    Internal,
    #[error("The assistant's model is still starting up. Try again in a minute.")]
    ModelNotReady,
    #[error(
        "The assistant is not set up correctly (it could not be found); ask an operator to check Custodian's configuration."
    )]
    NotFound,
    #[error("The assistant could not accept that message. Try rephrasing it or making it shorter.")]
    Rejected,
    #[error(
        "The assistant is still working on another message in this conversation. Wait for it to finish, then try again."
    )]
    Conflict,
    #[error("The assistant took too long to answer, try again.")]
    TimedOut,
    #[error("The assistant could not answer that, try again.")]
    Failed,
}

impl From<&InvokeAgentError> for AgentError {
    /// The HTTP error InvokeAgent answered with before any stream.
    fn from(error: &InvokeAgentError) -> Self {
        match error {
            InvokeAgentError::AccessDeniedException(_) => Self::AccessDenied,
            InvokeAgentError::BadGatewayException(_) => Self::BadGateway,
            InvokeAgentError::ConflictException(_) => Self::Conflict,
            InvokeAgentError::DependencyFailedException(_) => Self::DependencyFailed,
            InvokeAgentError::InternalServerException(_) => Self::Internal,
            InvokeAgentError::ModelNotReadyException(_) => Self::ModelNotReady,
            InvokeAgentError::ResourceNotFoundException(_) => Self::NotFound,
            InvokeAgentError::ServiceQuotaExceededException(_) => Self::QuotaExceeded,
            InvokeAgentError::ThrottlingException(_) => Self::Throttled,
            InvokeAgentError::ValidationException(_) => Self::Rejected,
            _ => Self::Failed,
        }
    }
}

impl From<&ResponseStreamError> for AgentError {
    /// An exception event that ended the stream.
    fn from(error: &ResponseStreamError) -> Self {
        match error {
            ResponseStreamError::AccessDeniedException(_) => Self::AccessDenied,
            ResponseStreamError::BadGatewayException(_) => Self::BadGateway,
            ResponseStreamError::ConflictException(_) => Self::Conflict,
            ResponseStreamError::DependencyFailedException(_) => Self::DependencyFailed,
            ResponseStreamError::InternalServerException(_) => Self::Internal,
            ResponseStreamError::ModelNotReadyException(_) => Self::ModelNotReady,
            ResponseStreamError::ResourceNotFoundException(_) => Self::NotFound,
            ResponseStreamError::ServiceQuotaExceededException(_) => Self::QuotaExceeded,
            ResponseStreamError::ThrottlingException(_) => Self::Throttled,
            ResponseStreamError::ValidationException(_) => Self::Rejected,
            _ => Self::Failed,
        }
    }
}

#[cfg(test)]
mod tests {
    use std::collections::HashSet;

    use aws_sdk_bedrockagentruntime::types::error::{
        AccessDeniedException, BadGatewayException, ConflictException, DependencyFailedException,
        InternalServerException, ModelNotReadyException, ResourceNotFoundException,
        ServiceQuotaExceededException, ThrottlingException, ValidationException,
    };

    use super::*;

    fn every_stream_error() -> Vec<ResponseStreamError> {
        vec![
            ResponseStreamError::AccessDeniedException(AccessDeniedException::builder().build()),
            ResponseStreamError::BadGatewayException(BadGatewayException::builder().build()),
            ResponseStreamError::ConflictException(ConflictException::builder().build()),
            ResponseStreamError::DependencyFailedException(
                DependencyFailedException::builder().build(),
            ),
            ResponseStreamError::InternalServerException(
                InternalServerException::builder().build(),
            ),
            ResponseStreamError::ModelNotReadyException(ModelNotReadyException::builder().build()),
            ResponseStreamError::ResourceNotFoundException(
                ResourceNotFoundException::builder().build(),
            ),
            ResponseStreamError::ServiceQuotaExceededException(
                ServiceQuotaExceededException::builder().build(),
            ),
            ResponseStreamError::ThrottlingException(ThrottlingException::builder().build()),
            ResponseStreamError::ValidationException(ValidationException::builder().build()),
        ]
    }

    #[test]
    fn each_exception_has_its_own_message() {
        let messages: HashSet<String> = every_stream_error()
            .iter()
            .map(|error| AgentError::from(error).to_string())
            .collect();
        assert_eq!(messages.len(), 10, "{messages:#?}");
        assert!(!messages.contains(&AgentError::Failed.to_string()));
    }
}
