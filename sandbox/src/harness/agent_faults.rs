//! The sandbox's shared agent faults (`POST /__sandbox/faults/agent`), as
//! the harness answers them, so a test arms "the agent" the same way
//! whichever host the BFF uses.
//!
//! InvokeHarness defines throttling and the other request errors as HTTP
//! errors only (its stream union carries internalServerException,
//! validationException and runtimeClientError), so every armed agent fault
//! becomes the HTTP error InvokeHarness has for it; Classic-only kinds
//! become its InternalServerException. Each SDK retry is a new request and
//! takes one more armed fault. The SDK tells the errors apart by
//! `x-amzn-errortype`; the statuses are the usual restJson1 ones (the
//! InvokeHarness reference we could read names the errors, not their
//! statuses), so only throttling's 429 and the 5xx matter to its retries.
//! A stall is the one fault that is not an error: the stream opens and
//! stays quiet.

use axum::http::StatusCode;

use super::error::AwsError;
use crate::bedrock_agent::AgentException;
use crate::faults::AgentFault;

/// How the harness answers an armed agent fault.
pub enum HarnessFault {
    Error(AwsError),
    /// An open stream that sends nothing.
    Stall,
}

pub fn harness_fault(fault: AgentFault) -> HarnessFault {
    let exception = match fault {
        AgentFault::Stall { .. } => return HarnessFault::Stall,
        AgentFault::Throttle => AgentException::ThrottlingException,
        AgentFault::HttpError { exception } | AgentFault::StreamException { exception, .. } => {
            exception
        }
    };
    HarnessFault::Error(as_http_error(exception))
}

/// The error response InvokeHarness has for an exception.
fn as_http_error(exception: AgentException) -> AwsError {
    let (status, error_type) = match exception {
        AgentException::ThrottlingException => {
            (StatusCode::TOO_MANY_REQUESTS, "ThrottlingException")
        }
        AgentException::AccessDeniedException => (StatusCode::FORBIDDEN, "AccessDeniedException"),
        AgentException::ResourceNotFoundException => {
            (StatusCode::NOT_FOUND, "ResourceNotFoundException")
        }
        AgentException::ServiceQuotaExceededException => (
            StatusCode::PAYMENT_REQUIRED,
            "ServiceQuotaExceededException",
        ),
        AgentException::ValidationException => (StatusCode::BAD_REQUEST, "ValidationException"),
        _ => (StatusCode::INTERNAL_SERVER_ERROR, "InternalServerException"),
    };
    AwsError::new(
        status,
        error_type,
        "The sandbox was told to fail this agent call.",
    )
}
