//! Every exception InvokeAgent defines, sent by the sandbox agent runtime and
//! parsed by the real SDK client in core, reaches the user as its own
//! readable message, and no turn is stored half-done.

use std::collections::HashSet;

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::{ADMIN, TestApp, chat_events, spawn_app};

/// The `ResponseStream` exception members (and, capitalised, the error
/// shapes) of InvokeAgent in `aws-sdk-bedrockagentruntime`.
const EXCEPTIONS: [&str; 10] = [
    "accessDeniedException",
    "badGatewayException",
    "conflictException",
    "dependencyFailedException",
    "internalServerException",
    "modelNotReadyException",
    "resourceNotFoundException",
    "serviceQuotaExceededException",
    "throttlingException",
    "validationException",
];

/// A message fit for the user: no service wording, ids or agent names.
fn assert_readable(app: &TestApp, exception: &str, message: &str) {
    assert!(message.ends_with('.'), "{exception}: {message}");
    let bedrock = app
        .settings
        .bedrock
        .as_ref()
        .expect("an agent is configured");
    for internal in [
        "Exception",
        "arn:",
        "Agent ",
        bedrock.agent_id.as_str(),
        bedrock.agent_alias_id.as_str(),
    ] {
        assert!(!message.contains(internal), "{exception}: {message}");
    }
}

fn assert_all_differ(messages: &[String]) {
    let distinct: HashSet<&String> = messages.iter().collect();
    assert_eq!(distinct.len(), EXCEPTIONS.len(), "{messages:#?}");
}

#[tokio::test]
async fn each_exception_before_the_stream_is_its_own_message_and_stores_nothing() {
    let app = spawn_app().await;
    let client = app.sign_in(ADMIN).await;
    let mut messages = Vec::new();
    for exception in EXCEPTIONS {
        // The SDK retries 429, 500 and 502: every attempt gets the error.
        let fault = json!({ "fault": "http_error", "exception": exception, "times": 5 });
        app.arm("agent", fault).await;
        let response = app
            .server_fn(&client, "send_message", &[("text", "hello")])
            .await;
        assert_eq!(response.status(), StatusCode::INTERNAL_SERVER_ERROR);
        let body: Value = response.json().await.unwrap();
        let message = body["Unavailable"].as_str().expect("a message").to_owned();
        assert_readable(&app, exception, &message);
        assert!(
            app.conversations(&client).await.is_empty(),
            "{exception}: no conversation is started"
        );
        messages.push(message);
    }
    assert_all_differ(&messages);
}

#[tokio::test]
async fn each_exception_mid_stream_is_its_own_message_and_no_half_reply_is_kept() {
    let app = spawn_app().await;
    let client = app.sign_in(ADMIN).await;
    let mut messages = Vec::new();
    for exception in EXCEPTIONS {
        // The greeting's rationale and first chunk arrive, then the exception.
        let fault =
            json!({ "fault": "stream_exception", "exception": exception, "after_frames": 2 });
        app.arm("agent", fault).await;
        let response = app
            .server_fn(&client, "send_message", &[("text", "hello")])
            .await;
        assert_eq!(response.status(), StatusCode::OK);
        let events = chat_events(response).await;
        assert!(
            events.iter().any(|e| e["type"] == "chunk"),
            "{exception}: part of the reply came first: {events:?}"
        );
        let last = events.last().unwrap();
        assert_eq!(last["type"], "error", "{exception}: {events:?}");
        let message = last["message"].as_str().unwrap().to_owned();
        assert_readable(&app, exception, &message);

        let id = events[0]["conversation_id"].as_str().unwrap();
        let stored = app.stored_messages(&client, id).await;
        assert_eq!(
            stored,
            [
                ("user".to_owned(), "hello".to_owned()),
                ("notice".to_owned(), message.clone())
            ],
            "{exception}: the broken-off reply is not kept, the reason is"
        );
        messages.push(message);
    }
    assert_all_differ(&messages);
}
