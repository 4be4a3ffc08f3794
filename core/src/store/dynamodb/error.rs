//! DynamoDB failures as store errors. Messages name the operation and the
//! service's error code, never an item's contents.

use std::error::Error;
use std::fmt::Debug;

use aws_sdk_dynamodb::error::{BuildError, DisplayErrorContext, ProvideErrorMetadata, SdkError};
use aws_sdk_dynamodb::operation::transact_write_items::TransactWriteItemsError;

use super::MAX_ATTEMPTS;
use crate::store::StoreError;

/// Error codes DynamoDB uses when it sheds load; the SDK retries them.
const THROTTLING_CODES: &[&str] = &[
    "ProvisionedThroughputExceededException",
    "ThrottlingException",
    "RequestLimitExceeded",
];
/// The same, as reasons inside a cancelled transaction.
const THROTTLING_REASONS: &[&str] = &["ProvisionedThroughputExceeded", "ThrottlingError"];

pub(super) fn unavailable<E, R>(operation: &str, error: SdkError<E, R>) -> StoreError
where
    E: ProvideErrorMetadata + Error + 'static,
    R: Debug + 'static,
{
    if error
        .code()
        .is_some_and(|code| THROTTLING_CODES.contains(&code))
    {
        return throttled();
    }
    StoreError::Unavailable(format!(
        "DynamoDB {operation} failed: {}",
        DisplayErrorContext(&error)
    ))
}

pub(super) fn throttled() -> StoreError {
    StoreError::Unavailable(format!(
        "DynamoDB is throttling requests (still after {MAX_ATTEMPTS} attempts with backoff); \
         try again in a moment"
    ))
}

pub(super) fn is_condition_failed<E, R>(error: &SdkError<E, R>) -> bool
where
    E: ProvideErrorMetadata,
{
    error.code() == Some("ConditionalCheckFailedException")
}

/// Why a transaction was cancelled, one reason code per item in request
/// order; `None` when it failed for another reason.
pub(super) fn cancellation_reasons<R>(
    error: &SdkError<TransactWriteItemsError, R>,
) -> Option<Vec<String>> {
    match error.as_service_error()? {
        TransactWriteItemsError::TransactionCanceledException(cancelled) => Some(
            cancelled
                .cancellation_reasons()
                .iter()
                .map(|r| r.code().unwrap_or("None").to_owned())
                .collect(),
        ),
        _ => None,
    }
}

pub(super) fn any_throttled(reasons: &[String]) -> bool {
    reasons
        .iter()
        .any(|r| THROTTLING_REASONS.contains(&r.as_str()))
}

/// A request the code itself assembles lacks a required part: a bug.
pub(super) fn malformed_request(error: BuildError) -> StoreError {
    StoreError::Unavailable(format!("a DynamoDB request could not be built: {error}"))
}
