//! The agent runtime driven by the real `aws-sdk-bedrockagentruntime` client.

use std::time::{Duration, Instant};

use aws_sdk_bedrockagentruntime::config::retry::RetryConfig;
use aws_sdk_bedrockagentruntime::config::{BehaviorVersion, Credentials, Region};
use aws_sdk_bedrockagentruntime::error::{ProvideErrorMetadata, SdkError};
use aws_sdk_bedrockagentruntime::operation::invoke_agent::{InvokeAgentError, InvokeAgentOutput};
use aws_sdk_bedrockagentruntime::types::error::ResponseStreamError;
use aws_sdk_bedrockagentruntime::types::{ResponseStream, SessionState, StreamingConfigurations};
use aws_sdk_bedrockagentruntime::{Client, Config};
use serde_json::{Value, json};

use crate::support::*;

fn agent_client(base: &str) -> Client {
    Client::from_conf(agent_config(base).build())
}

/// One attempt per call, so each armed HTTP error is seen exactly once.
fn agent_client_without_retries(base: &str) -> Client {
    Client::from_conf(
        agent_config(base)
            .retry_config(RetryConfig::disabled())
            .build(),
    )
}

fn agent_config(base: &str) -> aws_sdk_bedrockagentruntime::config::Builder {
    Config::builder()
        .behavior_version(BehaviorVersion::latest())
        .http_client(custodian_core::aws_http::https_client())
        .region(Region::new("us-east-1"))
        .credentials_provider(Credentials::new(
            "AKIDSANDBOXTEST",
            "sandbox-test-secret",
            None,
            None,
            "sandbox-tests",
        ))
        .endpoint_url(format!("{base}/bedrock"))
}

type InvokeResult = Result<
    InvokeAgentOutput,
    SdkError<InvokeAgentError, aws_sdk_bedrockagentruntime::config::http::HttpResponse>,
>;

async fn invoke(client: &Client, agent_id: &str, session_id: &str, stream: bool) -> InvokeResult {
    client
        .invoke_agent()
        .agent_id(agent_id)
        .agent_alias_id(AGENT_ALIAS_ID)
        .session_id(session_id)
        .input_text("What can you do?")
        .enable_trace(true)
        .session_state(
            SessionState::builder()
                .session_attributes("session_ref", "sref-123")
                .prompt_session_attributes("today", "Tuesday")
                .build(),
        )
        .streaming_configurations(
            StreamingConfigurations::builder()
                .stream_final_response(stream)
                .build(),
        )
        .send()
        .await
}

#[derive(Default)]
struct Turn {
    /// Each chunk's text and when it arrived.
    chunks: Vec<(Instant, String)>,
    rationales: Vec<String>,
}

impl Turn {
    fn text(&self) -> String {
        self.chunks.iter().map(|(_, text)| text.as_str()).collect()
    }
}

/// Reads the event stream to its end; `recv` has no timeout of its own.
async fn read_turn(
    output: &mut InvokeAgentOutput,
) -> Result<Turn, SdkError<ResponseStreamError, aws_smithy_types::event_stream::RawMessage>> {
    let mut turn = Turn::default();
    loop {
        let event = tokio::time::timeout(Duration::from_secs(10), output.completion.recv())
            .await
            .expect("the stream stalled")?;
        match event {
            None => return Ok(turn),
            Some(ResponseStream::Chunk(part)) => {
                let bytes = part.bytes().expect("chunk bytes").as_ref().to_vec();
                let text = String::from_utf8(bytes).expect("every chunk is whole UTF-8");
                turn.chunks.push((Instant::now(), text));
            }
            Some(ResponseStream::Trace(part)) => {
                let rationale = part
                    .trace()
                    .and_then(|t| t.as_orchestration_trace().ok())
                    .and_then(|o| o.as_rationale().ok())
                    .and_then(|r| r.text())
                    .expect("a rationale trace");
                turn.rationales.push(rationale.to_owned());
            }
            Some(_) => panic!("unexpected event type"),
        }
    }
}

#[tokio::test]
async fn streams_the_greeting_through_the_real_sdk() {
    let delay = Duration::from_millis(25);
    let sandbox = start_with(config(delay)).await;
    let client = agent_client(&sandbox.base_url);

    let mut output = invoke(&client, AGENT_ID, "session-1", true).await.unwrap();
    assert_eq!(output.session_id(), "session-1");
    assert_eq!(output.content_type(), "application/json");
    let turn = read_turn(&mut output).await.unwrap();

    assert!(turn.chunks.len() >= 4, "{} chunks", turn.chunks.len());
    assert_eq!(turn.rationales.len(), 1);
    assert!(turn.rationales[0].starts_with("Routing the request"));
    let text = turn.text();
    assert!(text.contains("not a language model"), "{text}");
    assert!(text.contains("Hello — I'm Custodian's local sandbox agent."));
    assert!(text.contains('…') && text.contains("voilà") && text.contains('•'));

    // Paced frames arriving spread out prove the body is not buffered.
    let first = turn.chunks.first().unwrap().0;
    let last = turn.chunks.last().unwrap().0;
    let paced = delay * (turn.chunks.len() as u32 - 1);
    assert!(
        last - first >= paced / 2,
        "{:?} < {:?}",
        last - first,
        paced / 2
    );
}

#[tokio::test]
async fn without_stream_final_response_the_answer_is_one_chunk() {
    let sandbox = start().await;
    let client = agent_client(&sandbox.base_url);
    let mut output = invoke(&client, AGENT_ID, "session-2", false).await.unwrap();
    let turn = read_turn(&mut output).await.unwrap();
    assert_eq!(turn.chunks.len(), 1);
    assert!(turn.text().contains("not a language model"));
}

#[tokio::test]
async fn the_throttle_fault_answers_with_a_throttling_exception_once() {
    let sandbox = start().await;
    let base = &sandbox.base_url;
    test_support::sandbox::arm(base, "agent", json!({ "fault": "throttle" })).await;

    let client = agent_client(base);
    let mut output = invoke(&client, AGENT_ID, "session-3", true).await.unwrap();
    let err = read_turn(&mut output)
        .await
        .err()
        .expect("a throttling error");
    assert!(err.into_service_error().is_throttling_exception());

    let mut output = invoke(&client, AGENT_ID, "session-3", true).await.unwrap();
    assert!(
        read_turn(&mut output).await.is_ok(),
        "the fault is one-shot"
    );
}

#[tokio::test]
async fn an_unknown_agent_is_resource_not_found() {
    let sandbox = start().await;
    let client = agent_client(&sandbox.base_url);
    let err = invoke(&client, "NOSUCHAGENT", "session-4", true)
        .await
        .expect_err("an unknown agent");
    assert!(err.into_service_error().is_resource_not_found_exception());
}

#[tokio::test]
async fn invocations_record_what_reached_the_agent() {
    let sandbox = start().await;
    let base = &sandbox.base_url;
    let client = agent_client(base);
    let before = unix_micros();
    let mut output = invoke(&client, AGENT_ID, "session-5", true).await.unwrap();
    read_turn(&mut output).await.unwrap();
    let after = unix_micros();

    let mut invocations = get_json(&format!("{base}/__sandbox/agent/invocations")).await;
    let sent = invocations[0]
        .as_object_mut()
        .and_then(|invocation| invocation.remove("firstChunkSentAtMicros"))
        .and_then(|at| at.as_u64())
        .expect("when the first chunk was sent");
    assert!(
        (before..=after).contains(&sent),
        "the first chunk was sent during the turn"
    );
    assert_eq!(
        invocations,
        json!([{
            "sessionId": "session-5",
            "inputText": "What can you do?",
            "sessionAttributes": { "session_ref": "sref-123" },
            "promptSessionAttributes": { "today": "Tuesday" },
            "streamFinalResponse": true,
            "enableTrace": true,
        }])
    );
}

fn unix_micros() -> u64 {
    let since = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap();
    u64::try_from(since.as_micros()).unwrap()
}

#[tokio::test]
async fn unsigned_and_malformed_requests_get_aws_errors() {
    let sandbox = start().await;
    let url = format!(
        "{}/bedrock/agents/{AGENT_ID}/agentAliases/{AGENT_ALIAS_ID}/sessions/s-1/text",
        sandbox.base_url
    );
    let unsigned = http()
        .post(&url)
        .json(&json!({ "inputText": "hi" }))
        .send()
        .await
        .unwrap();
    assert_eq!(unsigned.status(), 403);

    let malformed = http()
        .post(&url)
        .header("authorization", "AWS4-HMAC-SHA256 Credential=test")
        .body("{not json")
        .send()
        .await
        .unwrap();
    assert_eq!(malformed.status(), 400);
    assert_eq!(
        malformed.headers()["x-amzn-errortype"],
        "ValidationException"
    );
    let body: Value = malformed.json().await.unwrap();
    assert!(body["message"].is_string());
}

/// The SDK's name for a stream exception, by the variant it parsed.
fn stream_exception_name(error: &ResponseStreamError) -> &'static str {
    match error {
        ResponseStreamError::AccessDeniedException(_) => "accessDeniedException",
        ResponseStreamError::BadGatewayException(_) => "badGatewayException",
        ResponseStreamError::ConflictException(_) => "conflictException",
        ResponseStreamError::DependencyFailedException(_) => "dependencyFailedException",
        ResponseStreamError::InternalServerException(_) => "internalServerException",
        ResponseStreamError::ModelNotReadyException(_) => "modelNotReadyException",
        ResponseStreamError::ResourceNotFoundException(_) => "resourceNotFoundException",
        ResponseStreamError::ServiceQuotaExceededException(_) => "serviceQuotaExceededException",
        ResponseStreamError::ThrottlingException(_) => "throttlingException",
        ResponseStreamError::ValidationException(_) => "validationException",
        _ => "unhandled",
    }
}

/// The SDK's name for an HTTP error, by the variant it parsed.
fn http_exception_name(error: &InvokeAgentError) -> &'static str {
    match error {
        InvokeAgentError::AccessDeniedException(_) => "AccessDeniedException",
        InvokeAgentError::BadGatewayException(_) => "BadGatewayException",
        InvokeAgentError::ConflictException(_) => "ConflictException",
        InvokeAgentError::DependencyFailedException(_) => "DependencyFailedException",
        InvokeAgentError::InternalServerException(_) => "InternalServerException",
        InvokeAgentError::ModelNotReadyException(_) => "ModelNotReadyException",
        InvokeAgentError::ResourceNotFoundException(_) => "ResourceNotFoundException",
        InvokeAgentError::ServiceQuotaExceededException(_) => "ServiceQuotaExceededException",
        InvokeAgentError::ThrottlingException(_) => "ThrottlingException",
        InvokeAgentError::ValidationException(_) => "ValidationException",
        _ => "unhandled",
    }
}

#[tokio::test]
async fn every_stream_exception_arrives_mid_stream_as_its_own_sdk_variant() {
    let sandbox = start().await;
    let base = &sandbox.base_url;
    let client = agent_client(base);
    for exception in sandbox::AgentException::ALL {
        let name = exception.event_type();
        test_support::sandbox::arm(
            base,
            "agent",
            json!({ "fault": "stream_exception", "exception": name, "after_frames": 2 }),
        )
        .await;

        let mut output = invoke(&client, AGENT_ID, "session-x", true).await.unwrap();
        // The two frames before the exception are the rationale and a chunk.
        let first = output.completion.recv().await.unwrap();
        assert!(matches!(first, Some(ResponseStream::Trace(_))), "{name}");
        let second = output.completion.recv().await.unwrap();
        assert!(matches!(second, Some(ResponseStream::Chunk(_))), "{name}");
        let error = output.completion.recv().await.expect_err(&name);
        let service_error = error.into_service_error();
        assert_eq!(stream_exception_name(&service_error), name);
        assert!(
            service_error.message().is_some_and(|m| !m.is_empty()),
            "{name} has a message"
        );
    }
}

#[tokio::test]
async fn every_exception_is_an_http_error_with_the_modelled_status() {
    let sandbox = start().await;
    let base = &sandbox.base_url;
    let client = agent_client_without_retries(base);
    for exception in sandbox::AgentException::ALL {
        let name = exception.error_type();
        test_support::sandbox::arm(
            base,
            "agent",
            json!({ "fault": "http_error", "exception": exception }),
        )
        .await;

        let error = invoke(&client, AGENT_ID, "session-h", true)
            .await
            .expect_err(name);
        let status = error.raw_response().map(|r| r.status().as_u16());
        assert_eq!(status, Some(exception.status().as_u16()), "{name}");
        assert_eq!(http_exception_name(&error.into_service_error()), name);
    }
    let mut output = invoke(&client, AGENT_ID, "session-h", true).await.unwrap();
    assert!(
        read_turn(&mut output).await.is_ok(),
        "each fault fired once"
    );
}
