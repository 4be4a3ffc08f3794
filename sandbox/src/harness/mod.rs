//! The Amazon Bedrock AgentCore harness stand-in (InvokeHarness), under
//! `/agentcore`.
//!
//! It speaks InvokeHarness's REST path, JSON request and AWS event-stream
//! response (AgentCore API reference, "InvokeHarness"; shapes as
//! `aws-sdk-bedrockagentcore` 1.83 (de)serializes them), so the real SDK
//! talks to it unchanged. The "model" is the deterministic intent router of
//! the InvokeAgent stand-in: for a groups question or a password reset it
//! calls the caller's inline function, pauses, and answers from the result
//! the caller sends back in the same session.

mod agent_faults;
mod error;
mod faults;
mod frames;
mod invoke;
mod log;
mod sessions;
mod turn;
mod wire;
mod writer;

use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::routing::{get, post};

pub use faults::HarnessFault;

use crate::faults::Faults;

/// The harness the sandbox hosts; `config/local.json` names it.
pub const SANDBOX_HARNESS_ARN: &str =
    "arn:aws:bedrock-agentcore:us-east-1:000000000000:harness/custodian_sandbox-SANDBOX001";

pub struct HarnessStandIn {
    harness_arn: String,
    chunk_delay: Duration,
    sessions: sessions::Sessions,
    requests: log::RequestLog,
    faults: faults::FaultQueue,
    /// The faults armed for "the agent", whichever host serves it.
    agent_faults: Arc<Faults>,
}

impl HarnessStandIn {
    pub fn new(chunk_delay: Duration, agent_faults: Arc<Faults>) -> Self {
        Self {
            harness_arn: SANDBOX_HARNESS_ARN.to_owned(),
            chunk_delay,
            sessions: sessions::Sessions::default(),
            requests: log::RequestLog::default(),
            faults: faults::FaultQueue::default(),
            agent_faults,
        }
    }
}

pub fn router(harness: Arc<HarnessStandIn>) -> Router {
    Router::new()
        .route("/agentcore/harnesses/invoke", post(invoke::invoke_harness))
        .route("/__sandbox/harness/requests", get(log::list))
        .route("/__sandbox/harness/faults", post(faults::add))
        .with_state(harness)
}
