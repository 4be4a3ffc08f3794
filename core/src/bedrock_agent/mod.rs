//! The Bedrock agent runtime client: InvokeAgent with a streamed final
//! response and traces, turned into a small stream of chat events.
//!
//! The same code talks to Amazon Bedrock and to the local sandbox; only the
//! endpoint in settings differs.

use std::collections::HashMap;
use std::time::Duration;

use aws_sdk_bedrockagentruntime::Client;
use aws_sdk_bedrockagentruntime::error::{ProvideErrorMetadata, SdkError};
use aws_sdk_bedrockagentruntime::primitives::event_stream::EventReceiver;
use aws_sdk_bedrockagentruntime::types::error::ResponseStreamError;
use aws_sdk_bedrockagentruntime::types::{
    OrchestrationTrace, ResponseStream, SessionState, StreamingConfigurations, Trace,
};

use crate::chat_turn::{AgentEvent, tool_label};
use crate::settings::BedrockSettings;
use crate::turn_capability::TurnCapability;

mod error;
pub use error::AgentError;

/// The one session attribute: the turn's capability, by which the action
/// groups learn whom they act for during this turn (never a token, never
/// the session's id in the clear).
pub const CAPABILITY_ATTRIBUTE: &str = "custodian_turn_capability";

/// How long one wait for the next event may take before the reply is given
/// up. `recv()` has no timeout of its own.
const EVENT_TIMEOUT: Duration = Duration::from_secs(90);

#[derive(Clone)]
pub struct AgentClient {
    client: Client,
    agent_id: String,
    agent_alias_id: String,
}

impl AgentClient {
    /// Builds the client from an AWS SDK config loaded once at start-up.
    pub fn new(sdk_config: &aws_config::SdkConfig, settings: &BedrockSettings) -> Self {
        let mut config = aws_sdk_bedrockagentruntime::config::Builder::from(sdk_config)
            .region(aws_sdk_bedrockagentruntime::config::Region::new(
                settings.region.clone(),
            ))
            .timeout_config(crate::aws_timeouts::agent());
        if let Some(endpoint) = &settings.endpoint {
            config = config.endpoint_url(endpoint.as_str().trim_end_matches('/'));
        }
        Self {
            client: Client::from_conf(config.build()),
            agent_id: settings.agent_id.clone(),
            agent_alias_id: settings.agent_alias_id.clone(),
        }
    }

    /// Sends one user message. `conversation_id` is the agent session id, so
    /// the agent keeps the conversation's context; `capability` is the
    /// turn's, which the agent hands to every action-group call.
    pub async fn invoke(
        &self,
        conversation_id: &str,
        input: &str,
        capability: &TurnCapability,
    ) -> Result<AgentReply, AgentError> {
        let attributes = HashMap::from([(
            CAPABILITY_ATTRIBUTE.to_owned(),
            capability.expose().to_owned(),
        )]);
        let output = self
            .client
            .invoke_agent()
            .agent_id(&self.agent_id)
            .agent_alias_id(&self.agent_alias_id)
            .session_id(conversation_id)
            .input_text(input)
            .enable_trace(true)
            .session_state(
                SessionState::builder()
                    .set_session_attributes(Some(attributes))
                    .build(),
            )
            .streaming_configurations(
                StreamingConfigurations::builder()
                    .stream_final_response(true)
                    .build(),
            )
            .send()
            .await
            .map_err(|error| {
                let mapped = match &error {
                    SdkError::ServiceError(context) => AgentError::from(context.err()),
                    SdkError::DispatchFailure(_) | SdkError::TimeoutError(_) => {
                        AgentError::Unavailable
                    }
                    _ => AgentError::Failed,
                };
                tracing::warn!(code = error.code().unwrap_or("none"), kind = ?mapped, "InvokeAgent failed");
                mapped
            })?;
        Ok(AgentReply {
            events: output.completion,
            pending: Default::default(),
        })
    }
}

/// The events of one reply, in order.
pub struct AgentReply {
    events: EventReceiver<ResponseStream, ResponseStreamError>,
    /// Events decoded from one stream event but not handed out yet.
    pending: std::collections::VecDeque<AgentEvent>,
}

impl AgentReply {
    /// The next event worth showing, or `None` once the reply is complete.
    pub async fn next(&mut self) -> Result<Option<AgentEvent>, AgentError> {
        loop {
            if let Some(event) = self.pending.pop_front() {
                return Ok(Some(event));
            }
            let received = tokio::time::timeout(EVENT_TIMEOUT, self.events.recv())
                .await
                .map_err(|_| AgentError::TimedOut)?;
            let event = match received {
                Ok(Some(event)) => event,
                Ok(None) => return Ok(None),
                Err(error) => {
                    let mapped = match error.as_service_error() {
                        Some(service_error) => AgentError::from(service_error),
                        None => AgentError::Unavailable,
                    };
                    tracing::warn!(kind = ?mapped, "agent stream failed");
                    return Err(mapped);
                }
            };
            self.pending.extend(to_events(event));
        }
    }
}

fn to_events(event: ResponseStream) -> Vec<AgentEvent> {
    match event {
        ResponseStream::Chunk(part) => part
            .bytes()
            .map(|bytes| String::from_utf8_lossy(bytes.as_ref()).into_owned())
            .filter(|text| !text.is_empty())
            .map(AgentEvent::Text)
            .into_iter()
            .collect(),
        ResponseStream::Trace(part) => match part.trace() {
            Some(Trace::OrchestrationTrace(trace)) => trace_events(trace),
            _ => Vec::new(),
        },
        _ => Vec::new(),
    }
}

/// A denial or a status label; an action's observation also says the
/// action has finished.
fn trace_events(trace: &OrchestrationTrace) -> Vec<AgentEvent> {
    let shown = denial_in(trace)
        .map(AgentEvent::Denied)
        .or_else(|| status_for(trace).map(AgentEvent::Status));
    let finished = matches!(trace, OrchestrationTrace::Observation(o)
        if o.action_group_invocation_output().is_some())
    .then_some(AgentEvent::ActionFinished);
    shown.into_iter().chain(finished).collect()
}

/// Trace steps become short, human status labels. The rationale text itself
/// is model output about the request and is not shown.
fn status_for(trace: &OrchestrationTrace) -> Option<String> {
    match trace {
        OrchestrationTrace::Rationale(_) => Some("Thinking…".to_owned()),
        OrchestrationTrace::InvocationInput(input) => {
            let function = input.action_group_invocation_input()?.function()?;
            Some(tool_label(function).to_owned())
        }
        OrchestrationTrace::Observation(_) => Some("Reading the result…".to_owned()),
        _ => None,
    }
}

/// An action's answer that is a notice of its own (a permission denial, a
/// missing Guardian enrolment, Okta not connected, a limit reached), verbatim: it is
/// Custodian's own text, not model output.
fn denial_in(trace: &OrchestrationTrace) -> Option<String> {
    let OrchestrationTrace::Observation(observation) = trace else {
        return None;
    };
    let text = observation.action_group_invocation_output()?.text()?;
    crate::actions::is_notice_text(text).then(|| text.to_owned())
}
