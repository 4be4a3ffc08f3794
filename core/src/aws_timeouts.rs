//! Timeouts for every AWS SDK call. The SDK sets none by default, so a hung
//! DynamoDB, Secrets Manager or agent call would hold its request until the
//! server's own timeout or the Lambda's end. An attempt that times out is
//! retried like any transient failure, within the operation's budget.

use std::time::Duration;

use aws_config::SdkConfig;
use aws_config::timeout::TimeoutConfig;

/// Reaching an AWS endpoint takes milliseconds; longer means unreachable.
const CONNECT: Duration = Duration::from_secs(3);

/// The SDK configuration every process loads once at start: the default
/// credential and region chain, with the store's and secrets' timeouts.
pub async fn sdk_config() -> SdkConfig {
    crate::aws_http::config_loader()
        .timeout_config(store_and_secrets())
        .load()
        .await
}

/// DynamoDB and Secrets Manager answer in milliseconds; the whole call stays
/// under the BFF's 25-second request timeout, retries included.
pub fn store_and_secrets() -> TimeoutConfig {
    TimeoutConfig::builder()
        .connect_timeout(CONNECT)
        .operation_attempt_timeout(Duration::from_secs(5))
        .operation_timeout(Duration::from_secs(15))
        .build()
}

/// The agent hosts answer with a stream: these bound the wait for its
/// start (the stream itself is bounded by each event's wait and the turn's
/// deadline).
pub fn agent() -> TimeoutConfig {
    TimeoutConfig::builder()
        .connect_timeout(CONNECT)
        .operation_attempt_timeout(Duration::from_secs(30))
        .operation_timeout(Duration::from_secs(60))
        .build()
}
