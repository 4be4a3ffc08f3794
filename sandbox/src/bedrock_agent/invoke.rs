//! `POST /bedrock/agents/{agentId}/agentAliases/{agentAliasId}/sessions/{sessionId}/text`

use std::sync::Arc;

use axum::body::{Body, Bytes};
use axum::extract::rejection::PathRejection;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use tokio::sync::mpsc;

use super::AgentRuntime;
use super::action::TurnContext;
use super::error::AwsError;
use super::exceptions::AgentException;
use super::invocations::Invocation;
use super::reply;
use super::request::{InvokeAgentRequest, validate_session_id};
use super::trace::SessionIds;
use super::writer::{Delivery, EventWriter};
use crate::faults::AgentFault;
use crate::intent_router::intent;
use crate::web::event_stream_frames::frame_stream;

/// Frames buffered ahead of a slow reader before the writer waits.
const FRAME_BUFFER: usize = 16;

pub async fn invoke_agent(
    State(runtime): State<Arc<AgentRuntime>>,
    path: Result<Path<(String, String, String)>, PathRejection>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, AwsError> {
    if !crate::web::sigv4::is_signed(&headers) {
        return Err(AwsError::access_denied(
            "Missing SigV4 Authorization header.",
        ));
    }
    let Path((agent_id, agent_alias_id, session_id)) =
        path.map_err(|err| AwsError::validation(err.body_text()))?;
    let config = &runtime.config;
    if agent_id != config.agent_id || agent_alias_id != config.agent_alias_id {
        return Err(AwsError::not_found(format!(
            "Agent {agent_id} with alias {agent_alias_id} does not exist."
        )));
    }
    validate_session_id(&session_id)?;
    let request = InvokeAgentRequest::parse(&body)?;
    let fault = runtime.faults.take_agent();
    if let Some(AgentFault::HttpError { exception }) = fault {
        return Err(AwsError::from((
            exception,
            exception.default_message(&agent_id),
        )));
    }
    tracing::info!(
        session_id,
        input_chars = request.input_text().chars().count(),
        "InvokeAgent"
    );
    let invocation = runtime.invocations.record(Invocation {
        session_id: session_id.clone(),
        input_text: request.input_text().to_owned(),
        session_attributes: request.session_state.session_attributes.clone(),
        prompt_session_attributes: request.session_state.prompt_session_attributes.clone(),
        stream_final_response: request.streaming_configurations.stream_final_response,
        enable_trace: request.enable_trace,
        first_chunk_sent_at_micros: None,
    });

    let (frames, receiver) = mpsc::channel(FRAME_BUFFER);
    let turn = TurnContext {
        agent_id: agent_id.clone(),
        agent_alias_id: agent_alias_id.clone(),
        session_id: session_id.clone(),
        input_text: request.input_text().to_owned(),
        session_attributes: request.session_state.session_attributes.clone(),
        prompt_session_attributes: request.session_state.prompt_session_attributes.clone(),
    };
    let ids = SessionIds {
        agent_id,
        agent_alias_id,
        session_id: session_id.clone(),
    };
    let delivery = Delivery {
        enable_trace: request.enable_trace,
        stream_final_response: request.streaming_configurations.stream_final_response,
        chunk_delay: config.chunk_delay,
    };
    let mut writer = EventWriter::new(frames, ids, delivery);
    let log = Arc::clone(&runtime);
    writer.on_first_chunk(move || log.invocations.first_chunk_sent(invocation));
    arm_stream_fault(&mut writer, fault, &turn.agent_id);
    let intent = intent::classify(request.input_text());
    let actions = config.actions.clone();
    // The turn runs on its own task and the body streams what it writes, so
    // the client sees every frame as soon as it is produced.
    tokio::spawn(async move {
        let outcome = async {
            reply::respond(intent, &turn, actions.as_ref(), &mut writer).await?;
            writer.finish().await
        };
        if let Err(err) = outcome.await {
            tracing::info!(error = %err, "agent turn ended early");
        }
    });
    Ok(event_stream_response(session_id, receiver))
}

/// Faults that end the stream with an exception frame or stall it.
fn arm_stream_fault(writer: &mut EventWriter, fault: Option<AgentFault>, agent_id: &str) {
    let (exception, after_frames) = match fault {
        Some(AgentFault::Throttle) => (AgentException::ThrottlingException, 0),
        Some(AgentFault::StreamException {
            exception,
            after_frames,
        }) => (exception, after_frames),
        Some(AgentFault::Stall { after_frames }) => return writer.stall_after(after_frames),
        Some(AgentFault::HttpError { .. }) | None => return,
    };
    writer.cut_after(after_frames, exception, exception.default_message(agent_id));
}

fn event_stream_response(session_id: String, receiver: mpsc::Receiver<Bytes>) -> Response {
    (
        StatusCode::OK,
        [
            (
                header::CONTENT_TYPE,
                "application/vnd.amazon.eventstream".to_owned(),
            ),
            (
                header::HeaderName::from_static("x-amz-bedrock-agent-session-id"),
                session_id,
            ),
            (
                header::HeaderName::from_static("x-amzn-bedrock-agent-content-type"),
                "application/json".to_owned(),
            ),
            (
                header::HeaderName::from_static("x-amzn-requestid"),
                uuid::Uuid::new_v4().to_string(),
            ),
        ],
        Body::from_stream(frame_stream(receiver)),
    )
        .into_response()
}
