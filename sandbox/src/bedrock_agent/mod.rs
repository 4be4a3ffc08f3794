//! The Amazon Bedrock agent runtime stand-in (InvokeAgent), under `/bedrock`.
//!
//! It speaks InvokeAgent's AWS event-stream wire format, so the real
//! `aws-sdk-bedrockagentruntime` client talks to it unchanged; the "agent"
//! is a deterministic intent router.

mod action;
mod error;
mod event_stream;
mod exceptions;
mod invocations;
mod invoke;
mod reply;
mod request;
mod trace;
mod writer;

use std::sync::Arc;

use axum::Router;
use axum::routing::{get, post};

use crate::config::SandboxConfig;
use crate::faults::Faults;
pub use exceptions::AgentException;
use invocations::InvocationLog;

pub struct AgentRuntime {
    config: Arc<SandboxConfig>,
    faults: Arc<Faults>,
    invocations: InvocationLog,
}

impl AgentRuntime {
    pub fn new(config: Arc<SandboxConfig>, faults: Arc<Faults>) -> Self {
        Self {
            config,
            faults,
            invocations: InvocationLog::default(),
        }
    }
}

pub fn router(runtime: Arc<AgentRuntime>) -> Router {
    Router::new()
        .route(
            "/bedrock/agents/{agent_id}/agentAliases/{agent_alias_id}/sessions/{session_id}/text",
            post(invoke::invoke_agent),
        )
        .route("/__sandbox/agent/invocations", get(invocations::list))
        .with_state(runtime)
}
