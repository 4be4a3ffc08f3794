//! `POST /agentcore/harnesses/invoke?harnessArn=…[&qualifier=…]` with the
//! session in `X-Amzn-Bedrock-AgentCore-Runtime-Session-Id`.

use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

use axum::body::{Body, Bytes};
use axum::extract::{OriginalUri, Query, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use tokio::sync::mpsc;

use super::HarnessStandIn;
use super::agent_faults::{HarnessFault, harness_fault};
use super::error::AwsError;
use super::log::RecordedRequest;
use super::sessions::PausedCall;
use super::turn::{self, Plan};
use super::wire::{Ask, InvokeHarnessRequest};
use super::writer::TurnWriter;
use crate::web::event_stream_frames::frame_stream;

const SESSION_HEADER: &str = "x-amzn-bedrock-agentcore-runtime-session-id";
/// `runtimeSessionId`: 1 to 100 characters.
const MAX_SESSION_ID: usize = 100;
/// Frames buffered ahead of a slow reader before the writer waits.
const FRAME_BUFFER: usize = 16;

pub async fn invoke_harness(
    State(harness): State<Arc<HarnessStandIn>>,
    OriginalUri(uri): OriginalUri,
    Query(query): Query<HashMap<String, String>>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, AwsError> {
    harness.requests.record(record(&uri, &headers, &body));
    if !crate::web::sigv4::is_signed(&headers) {
        return Err(AwsError::access_denied(
            "Missing SigV4 Authorization header.",
        ));
    }
    let stalled = match harness.agent_faults.take_agent().map(harness_fault) {
        Some(HarnessFault::Error(error)) => return Err(error),
        Some(HarnessFault::Stall) => true,
        None => false,
    };
    let arn = query
        .get("harnessArn")
        .ok_or_else(|| AwsError::validation("harnessArn is required."))?;
    if *arn != harness.harness_arn {
        return Err(AwsError::not_found("The harness does not exist."));
    }
    let session_id = session_id(&headers)?;
    let request = InvokeHarnessRequest::parse(&body)?;
    let ask = request.ask()?;
    let input_words = match &ask {
        Ask::Text(text) => {
            harness.sessions.discard(&session_id);
            text.split_whitespace().count()
        }
        Ask::ToolResult { tool_use, text, .. } => {
            harness
                .sessions
                .resume(&session_id, &tool_use.tool_use_id, &tool_use.name)
                .map_err(AwsError::validation)?;
            text.split_whitespace().count()
        }
    };
    tracing::info!(input_words, "InvokeHarness");
    let plan = turn::plan(&request, &ask, harness.faults.take());
    if let Plan::Call {
        tool_use_id, name, ..
    } = &plan
    {
        let paused = PausedCall {
            tool_use_id: tool_use_id.clone(),
            name: name.clone(),
        };
        harness.sessions.pause(&session_id, paused);
    }
    let (frames, receiver) = mpsc::channel(FRAME_BUFFER);
    if stalled {
        // Kept open, and quiet, until the client leaves.
        tokio::spawn(async move { frames.closed().await });
    } else {
        let mut writer = TurnWriter::new(frames, harness.chunk_delay);
        // The turn runs on its own task and the body streams what it writes.
        tokio::spawn(async move {
            if let Err(err) = turn::play(plan, input_words, &mut writer).await {
                tracing::info!(error = %err, "harness turn ended early");
            }
        });
    }
    Ok((
        StatusCode::OK,
        [
            (
                header::CONTENT_TYPE,
                "application/vnd.amazon.eventstream".to_owned(),
            ),
            (
                header::HeaderName::from_static("x-amzn-requestid"),
                uuid::Uuid::new_v4().to_string(),
            ),
        ],
        Body::from_stream(frame_stream(receiver)),
    )
        .into_response())
}

/// `[a-zA-Z0-9][a-zA-Z0-9-_]*`, 1 to 100 characters.
fn session_id(headers: &HeaderMap) -> Result<String, AwsError> {
    let id = headers
        .get(SESSION_HEADER)
        .and_then(|v| v.to_str().ok())
        .ok_or_else(|| AwsError::validation("runtimeSessionId is required."))?;
    let mut chars = id.chars();
    let valid = chars.next().is_some_and(|c| c.is_ascii_alphanumeric())
        && id.len() <= MAX_SESSION_ID
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
    if !valid {
        return Err(AwsError::validation(
            "runtimeSessionId does not match [a-zA-Z0-9][a-zA-Z0-9-_]{0,99}.",
        ));
    }
    Ok(id.to_owned())
}

fn record(uri: &axum::http::Uri, headers: &HeaderMap, body: &Bytes) -> RecordedRequest {
    let headers: BTreeMap<String, String> = headers
        .iter()
        .map(|(name, value)| {
            (
                name.as_str().to_owned(),
                String::from_utf8_lossy(value.as_bytes()).into_owned(),
            )
        })
        .collect();
    let body = serde_json::from_slice(body)
        .unwrap_or_else(|_| serde_json::Value::String(String::from_utf8_lossy(body).into_owned()));
    RecordedRequest {
        path_and_query: uri
            .path_and_query()
            .map(ToString::to_string)
            .unwrap_or_default(),
        headers,
        body,
    }
}
