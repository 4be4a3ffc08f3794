//! The AgentCore harness stand-in driven by Custodian's own harness client
//! (the real `aws-sdk-bedrockagentcore` underneath): streaming, inline
//! function round trips, refusals, exceptions, and what reaches the harness.

use custodian_core::actions::{Actor, get_user_groups, groups_target};
use custodian_core::harness::{
    HarnessClient, HarnessError, HarnessEvent, HarnessReply, StopReason, ToolCall, ToolResult,
};
use custodian_core::settings::HarnessSettings;
use custodian_core::store::SessionRecord;
use sandbox::harness::{HarnessFault, SANDBOX_HARNESS_ARN};
use serde_json::{Value, json};

use crate::custodian::*;
use crate::support::*;

const QUESTION: &str = "What are the Okta groups for user bob@example.com?";

fn harness_client(base: &str, harness_arn: &str) -> HarnessClient {
    let settings = HarnessSettings {
        harness_arn: harness_arn.to_owned(),
        region: None,
        qualifier: None,
        endpoint: Some(format!("{base}/agentcore").parse().unwrap()),
    };
    HarnessClient::new(&sdk_config(), &settings)
}

fn conversation() -> String {
    uuid::Uuid::new_v4().to_string()
}

/// Every event of one reply, up to the end of its stream.
async fn collect(reply: &mut HarnessReply) -> Result<Vec<HarnessEvent>, HarnessError> {
    let mut events = Vec::new();
    while let Some(event) = reply.next().await? {
        events.push(event);
    }
    Ok(events)
}

fn text_of(events: &[HarnessEvent]) -> String {
    events
        .iter()
        .filter_map(|e| match e {
            HarnessEvent::Text(text) => Some(text.as_str()),
            _ => None,
        })
        .collect()
}

fn only_call(events: &[HarnessEvent]) -> ToolCall {
    let calls: Vec<&ToolCall> = events
        .iter()
        .filter_map(|e| match e {
            HarnessEvent::ToolUse(call) => Some(call),
            _ => None,
        })
        .collect();
    assert_eq!(calls.len(), 1, "{events:?}");
    calls[0].clone()
}

async fn add_fault(base: &str, fault: &HarnessFault) {
    let response = http()
        .post(format!("{base}/__sandbox/harness/faults"))
        .json(fault)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 204);
}

async fn recorded_requests(base: &str) -> Vec<Value> {
    let response = http()
        .get(format!("{base}/__sandbox/harness/requests"))
        .send()
        .await
        .unwrap();
    response.json().await.unwrap()
}

/// Runs the real groups action for the call, acting for `session`, as the
/// BFF does with the harness on its own side of the boundary.
async fn run_groups_action(
    stack: &ActionSandbox,
    call: &ToolCall,
    session: &SessionRecord,
) -> String {
    let target = groups_target(call.argument("user_email")).unwrap();
    let actor = Actor::by_session_id(&stack.actions.sessions, &session.id)
        .await
        .unwrap();
    get_user_groups(&stack.actions, &actor, target).await.body
}

#[test]
fn local_settings_name_the_sandbox_harness() {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../config/local.json");
    let settings =
        custodian_core::settings::Settings::load_from(&path, std::iter::empty()).unwrap();
    assert_eq!(settings.harness.unwrap().harness_arn, SANDBOX_HARNESS_ARN);
}

#[tokio::test]
async fn plain_replies_stream_in_pieces() {
    let sandbox = start().await;
    let client = harness_client(&sandbox.base_url, SANDBOX_HARNESS_ARN);
    let mut reply = client
        .send_text(&conversation(), "What can you do?")
        .await
        .unwrap();
    let events = collect(&mut reply).await.unwrap();
    let pieces = events
        .iter()
        .filter(|e| matches!(e, HarnessEvent::Text(_)))
        .count();
    assert!(pieces > 5, "one piece per few words: {events:?}");
    let text = text_of(&events);
    assert!(text.contains("not a language model"), "{text}");
    assert!(
        text.contains("Hello — ") && text.contains("et voilà."),
        "{text}"
    );
    assert_eq!(
        events.last(),
        Some(&HarnessEvent::Stop(StopReason::EndTurn))
    );
}

#[tokio::test]
async fn a_groups_question_pauses_for_the_function_and_continues_with_its_result() {
    let stack = ActionSandbox::start().await;
    let admin = stack.session_for("admin@example.com", "admin-demo").await;
    let client = harness_client(stack.base(), SANDBOX_HARNESS_ARN);
    let conversation = conversation();

    let mut reply = client.send_text(&conversation, QUESTION).await.unwrap();
    let events = collect(&mut reply).await.unwrap();
    assert_eq!(
        events.last(),
        Some(&HarnessEvent::Stop(StopReason::ToolUse))
    );
    let call = only_call(&events);
    assert_eq!(call.name(), "get_user_groups");
    assert_eq!(call.argument("user_email"), Some("bob@example.com"));
    assert_eq!(
        call.input().len(),
        1,
        "the target user only, never an actor"
    );

    let result = run_groups_action(&stack, &call, &admin).await;
    assert!(result.contains("Engineering"), "{result}");
    let mut reply = client
        .send_call_result(&conversation, &call, &ToolResult::success(result.clone()))
        .await
        .unwrap();
    let events = collect(&mut reply).await.unwrap();
    let text = text_of(&events);
    assert!(
        text.contains("Engineering") && text.contains("VPN Users"),
        "{text}"
    );
    assert_eq!(
        events.last(),
        Some(&HarnessEvent::Stop(StopReason::EndTurn))
    );

    // What reached the harness: the user's words, the functions, the call
    // and its result, in the conversation's session; nothing about who
    // is signed in.
    let requests = recorded_requests(stack.base()).await;
    assert_eq!(requests.len(), 2);
    for request in &requests {
        let all = request.to_string();
        assert!(
            !all.contains(&admin.id),
            "the session's id reached the harness"
        );
        assert!(
            !all.contains("admin@example.com"),
            "the actor reached the harness"
        );
        let headers = request["headers"].as_object().unwrap();
        assert_eq!(
            headers["x-amzn-bedrock-agentcore-runtime-session-id"],
            conversation.as_str()
        );
        assert!(!headers.contains_key("x-amzn-bedrock-agentcore-runtime-user-id"));
        assert!(!headers.contains_key("baggage"));
        let mut keys: Vec<&String> = request["body"].as_object().unwrap().keys().collect();
        keys.sort();
        assert_eq!(keys, ["allowedTools", "messages", "tools"]);
        assert_eq!(
            request["body"]["allowedTools"],
            json!(["get_user_groups", "authenticate_user"])
        );
    }
    let resume = &requests[1]["body"]["messages"];
    assert_eq!(resume[0]["role"], "assistant");
    assert_eq!(
        resume[0]["content"][0]["toolUse"]["toolUseId"],
        call.tool_use_id()
    );
    assert_eq!(resume[1]["role"], "user");
    assert_eq!(resume[1]["content"][0]["toolResult"]["status"], "success");
    assert_eq!(
        resume[1]["content"][0]["toolResult"]["content"][0]["text"],
        result.as_str()
    );
}

#[tokio::test]
async fn the_password_reset_is_an_inline_function_and_failures_are_said_plainly() {
    let sandbox = start().await;
    let client = harness_client(&sandbox.base_url, SANDBOX_HARNESS_ARN);
    let conversation = conversation();
    let mut reply = client
        .send_text(&conversation, "Reset the password for bob@example.com")
        .await
        .unwrap();
    let call = only_call(&collect(&mut reply).await.unwrap());
    assert_eq!(call.name(), "authenticate_user");
    assert_eq!(call.argument("user_id"), Some("bob@example.com"));

    let denial = "Permission denied: you may not reset passwords.";
    let mut reply = client
        .send_call_result(&conversation, &call, &ToolResult::error(denial))
        .await
        .unwrap();
    let text = text_of(&collect(&mut reply).await.unwrap());
    assert_eq!(text, format!("That didn't work: {denial}"));
}

#[tokio::test]
async fn unknown_functions_and_malformed_input_are_refused() {
    let sandbox = start().await;
    let client = harness_client(&sandbox.base_url, SANDBOX_HARNESS_ARN);
    let cases = [
        (
            "delete_user",
            "{\"user_email\":\"bob@example.com\"}",
            "a function Custodian does not have (\"delete_user\")",
        ),
        (
            "get_user_groups",
            "{\"user_email\":",
            "its input is not valid JSON",
        ),
        (
            "get_user_groups",
            "{}",
            "the required parameter \"user_email\" is missing",
        ),
        (
            "get_user_groups",
            "{\"user_email\":\"bob@example.com\",\"actor\":\"admin@example.com\"}",
            "it has no parameter named \"actor\"",
        ),
    ];
    for (name, input, expected) in cases {
        let fault = HarnessFault::ToolUse {
            name: name.into(),
            input: input.into(),
        };
        add_fault(&sandbox.base_url, &fault).await;
        let conversation = conversation();
        let mut reply = client
            .send_text(&conversation, "What can you do?")
            .await
            .unwrap();
        let events = collect(&mut reply).await.unwrap();
        assert!(
            !events.iter().any(|e| matches!(e, HarnessEvent::ToolUse(_))),
            "{events:?}"
        );
        let refusal = events
            .iter()
            .find_map(|e| match e {
                HarnessEvent::ToolRefused(r) => Some(r.clone()),
                _ => None,
            })
            .unwrap_or_else(|| panic!("{name} {input}: not refused: {events:?}"));
        assert!(refusal.reason().contains(expected), "{}", refusal.reason());

        // The harness hears why, and the turn ends with that said.
        let mut reply = client.send_refusal(&conversation, &refusal).await.unwrap();
        let text = text_of(&collect(&mut reply).await.unwrap());
        assert_eq!(text, format!("That didn't work: {}", refusal.reason()));
    }
}

#[tokio::test]
async fn every_exception_has_its_own_message() {
    let sandbox = start().await;
    let client = harness_client(&sandbox.base_url, SANDBOX_HARNESS_ARN);
    let stream_exceptions = [
        ("internalServerException", HarnessError::Internal),
        ("validationException", HarnessError::Invalid),
        ("runtimeClientError", HarnessError::RuntimeFailed),
    ];
    let mut messages = std::collections::BTreeSet::new();
    for (exception_type, expected) in stream_exceptions {
        let fault = HarnessFault::Exception {
            exception_type: exception_type.into(),
        };
        add_fault(&sandbox.base_url, &fault).await;
        let mut reply = client
            .send_text(&conversation(), "What can you do?")
            .await
            .unwrap();
        let error = collect(&mut reply).await.unwrap_err();
        assert_eq!(error, expected, "{exception_type}");
        messages.insert(error.to_string());
    }

    // HTTP errors before the stream: an unknown harness, a result for a
    // call the session is not waiting for.
    let other = "arn:aws:bedrock-agentcore:us-east-1:000000000000:harness/elsewhere-0123456789";
    let error = harness_client(&sandbox.base_url, other)
        .send_text(&conversation(), "hi")
        .await
        .err()
        .unwrap();
    assert_eq!(error, HarnessError::NotFound);
    messages.insert(error.to_string());
    let unsolicited = client
        .send_tool_result(
            &conversation(),
            "tooluse_x",
            "get_user_groups",
            &json!({}),
            &ToolResult::success("x"),
        )
        .await
        .err()
        .unwrap();
    assert_eq!(unsolicited, HarnessError::Invalid);

    // A conversation id the API would refuse never leaves Custodian.
    let before = recorded_requests(&sandbox.base_url).await.len();
    let error = client
        .send_text("not a session id!", "hi")
        .await
        .err()
        .unwrap();
    assert_eq!(error, HarnessError::BadConversation);
    assert_eq!(recorded_requests(&sandbox.base_url).await.len(), before);
    messages.insert(error.to_string());
    assert_eq!(messages.len(), 5, "{messages:?}");
}

/// "The agent" is armed the same way whichever host serves it: the harness
/// answers each armed agent fault with its own HTTP error, one per request
/// (so per SDK attempt), and answers normally once they are used up.
#[tokio::test]
async fn shared_agent_faults_become_the_harness_http_errors() {
    let sandbox = start().await;
    let base = &sandbox.base_url;
    let client = harness_client(base, SANDBOX_HARNESS_ARN);
    let cases = [
        ("throttlingException", HarnessError::Throttled),
        ("accessDeniedException", HarnessError::AccessDenied),
        ("serviceQuotaExceededException", HarnessError::QuotaExceeded),
        ("dependencyFailedException", HarnessError::Internal),
    ];
    for (exception, expected) in cases {
        let armed = http()
            .post(format!("{base}/__sandbox/faults/agent"))
            // Enough for every attempt the SDK's standard retries make.
            .json(&json!({ "fault": "http_error", "exception": exception, "times": 3 }))
            .send()
            .await
            .unwrap();
        assert!(armed.status().is_success(), "{exception}");
        let error = client
            .send_text(&conversation(), "What can you do?")
            .await
            .err()
            .unwrap_or_else(|| panic!("{exception} was not raised"));
        assert_eq!(error, expected, "{exception}");
    }
    let mut reply = client
        .send_text(&conversation(), "What can you do?")
        .await
        .unwrap();
    assert!(!text_of(&collect(&mut reply).await.unwrap()).is_empty());
}
