//! Why a harness reply failed, in words fit for the user. Each error the
//! InvokeHarness API defines (HTTP errors and exception events in the
//! stream) has its own message; the service's own message is logged by
//! kind only, since it may quote the request.

use aws_sdk_bedrockagentcore::error::{ProvideErrorMetadata, SdkError};
use aws_sdk_bedrockagentcore::operation::invoke_harness::InvokeHarnessError;
use aws_sdk_bedrockagentcore::types::error::InvokeHarnessStreamOutputError;

#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum HarnessError {
    /// The service could not be reached.
    #[error("The assistant is unavailable, try again.")]
    Unavailable,
    /// `InternalServerException`.
    #[error("The assistant had an internal error, try again.")]
    Internal,
    /// `ThrottlingException`.
    #[error("The assistant is busy right now (rate limited), try again in a moment.")]
    Throttled,
    /// `ServiceQuotaExceededException`.
    #[error("The assistant's service quota is used up; ask an operator to raise it.")]
    QuotaExceeded,
    /// `AccessDeniedException`.
    #[error(
        "Custodian is not allowed to call the assistant; ask an operator to check its permissions."
    )]
    AccessDenied,
    /// `ResourceNotFoundException`.
    #[error("The assistant's harness was not found; ask an operator to check harness.harnessArn.")]
    NotFound,
    /// `ValidationException`.
    #[error("The assistant service refused the request as invalid.")]
    Invalid,
    /// `RuntimeClientError`.
    #[error("The assistant's runtime failed while answering, try again.")]
    RuntimeFailed,
    /// No event within the wait limit.
    #[error("The assistant took too long to answer, try again.")]
    TimedOut,
    /// The conversation id does not fit `runtimeSessionId`.
    #[error("This conversation cannot be continued with the assistant; start a new one.")]
    BadConversation,
    /// The model kept asking for functions past the per-message limit.
    #[error(
        "The assistant asked for too many actions for one message, so Custodian stopped it; ask again more simply."
    )]
    TooManyActions,
    /// Anything else the service answered.
    #[error("The assistant could not answer that, try again.")]
    Failed,
}

impl HarnessError {
    /// For an InvokeHarness call that failed before the stream began.
    pub(super) fn from_call<R>(error: &SdkError<InvokeHarnessError, R>) -> Self {
        let mapped = match error {
            SdkError::DispatchFailure(_) | SdkError::TimeoutError(_) => HarnessError::Unavailable,
            SdkError::ServiceError(service) => from_operation(service.err()),
            _ => HarnessError::Failed,
        };
        tracing::warn!(code = error.code().unwrap_or("none"), kind = ?mapped, "InvokeHarness failed");
        mapped
    }

    /// For an exception event (or a broken frame) inside the stream.
    pub(super) fn from_stream<R>(error: &SdkError<InvokeHarnessStreamOutputError, R>) -> Self {
        let mapped = match error.as_service_error() {
            Some(InvokeHarnessStreamOutputError::InternalServerException(_)) => {
                HarnessError::Internal
            }
            Some(InvokeHarnessStreamOutputError::ValidationException(_)) => HarnessError::Invalid,
            Some(InvokeHarnessStreamOutputError::RuntimeClientError(_)) => {
                HarnessError::RuntimeFailed
            }
            Some(other) => by_code(other.code()),
            None => HarnessError::Unavailable,
        };
        tracing::warn!(kind = ?mapped, "harness stream failed");
        mapped
    }
}

fn from_operation(error: &InvokeHarnessError) -> HarnessError {
    match error {
        InvokeHarnessError::AccessDeniedException(_) => HarnessError::AccessDenied,
        InvokeHarnessError::InternalServerException(_) => HarnessError::Internal,
        InvokeHarnessError::ResourceNotFoundException(_) => HarnessError::NotFound,
        InvokeHarnessError::RuntimeClientError(_) => HarnessError::RuntimeFailed,
        InvokeHarnessError::ServiceQuotaExceededException(_) => HarnessError::QuotaExceeded,
        InvokeHarnessError::ThrottlingException(_) => HarnessError::Throttled,
        InvokeHarnessError::ValidationException(_) => HarnessError::Invalid,
        other => by_code(other.code()),
    }
}

/// Exception kinds newer than this SDK arrive as generic errors with a code.
fn by_code(code: Option<&str>) -> HarnessError {
    let Some(code) = code.map(str::to_ascii_lowercase) else {
        return HarnessError::Failed;
    };
    if code.starts_with("throttling") {
        HarnessError::Throttled
    } else if code.starts_with("servicequotaexceeded") {
        HarnessError::QuotaExceeded
    } else if code.starts_with("accessdenied") {
        HarnessError::AccessDenied
    } else if code.starts_with("internalserver") {
        HarnessError::Internal
    } else {
        HarnessError::Failed
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_kind_has_its_own_message() {
        let all = [
            HarnessError::Unavailable,
            HarnessError::Internal,
            HarnessError::Throttled,
            HarnessError::QuotaExceeded,
            HarnessError::AccessDenied,
            HarnessError::NotFound,
            HarnessError::Invalid,
            HarnessError::RuntimeFailed,
            HarnessError::TimedOut,
            HarnessError::BadConversation,
            HarnessError::Failed,
        ];
        let messages: std::collections::BTreeSet<String> =
            all.iter().map(ToString::to_string).collect();
        assert_eq!(messages.len(), all.len());
    }

    #[test]
    fn unknown_codes_fall_back_by_name() {
        assert_eq!(
            by_code(Some("throttlingException")),
            HarnessError::Throttled
        );
        assert_eq!(
            by_code(Some("ServiceQuotaExceededException")),
            HarnessError::QuotaExceeded
        );
        assert_eq!(by_code(Some("somethingNew")), HarnessError::Failed);
        assert_eq!(by_code(None), HarnessError::Failed);
    }
}
