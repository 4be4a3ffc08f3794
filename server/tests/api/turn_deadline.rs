//! A reply the agent stops sending halfway (a stalled stream that never
//! ends) is cut off at the turn's deadline: the user is told, and what the
//! agent said so far is kept with the reason after it.

use serde_json::{Value, json};

use crate::helpers::{ADMIN, Options, TestApp, chat_events, spawn_app_with};

const DEADLINE_SECONDS: u32 = 2;

async fn app_for(agent_host: &'static str) -> TestApp {
    spawn_app_with(Options {
        agent_host: Some(agent_host),
        settings: vec![("APP__TURN_DEADLINE_SECONDS", DEADLINE_SECONDS.to_string())],
        ..Options::default()
    })
    .await
}

/// Sends "hello" with the agent armed to stall after `after_frames`
/// frames; returns the chat's events and the stored (role, text) pairs.
async fn stalled_turn(app: &TestApp, after_frames: usize) -> (Vec<Value>, Vec<(String, String)>) {
    let client = app.sign_in(ADMIN).await;
    app.arm(
        "agent",
        json!({ "fault": "stall", "after_frames": after_frames }),
    )
    .await;
    let response = app
        .server_fn(&client, "send_message", &[("text", "hello")])
        .await;
    let events = chat_events(response).await;
    let id = events[0]["conversation_id"].as_str().unwrap();
    let stored = app.stored_messages(&client, id).await;
    (events, stored)
}

fn said_so_far(events: &[Value]) -> String {
    events
        .iter()
        .filter(|e| e["type"] == "chunk")
        .map(|e| e["text"].as_str().unwrap())
        .collect()
}

#[tokio::test]
async fn a_classic_reply_that_stalls_is_cut_off_and_what_was_said_is_kept() {
    let app = app_for("bedrock-agent").await;
    // The greeting's rationale and first chunk arrive, then nothing.
    let (events, stored) = stalled_turn(&app, 2).await;
    let partial = said_so_far(&events);
    assert!(
        !partial.is_empty(),
        "part of the reply came first: {events:?}"
    );
    let last = events.last().unwrap();
    assert_eq!(last["type"], "error", "{events:?}");
    let message = last["message"].as_str().unwrap();
    assert!(message.contains("took too long"), "{message}");
    assert_eq!(
        stored,
        [
            ("user".to_owned(), "hello".to_owned()),
            ("assistant".to_owned(), partial),
            ("notice".to_owned(), message.to_owned()),
        ]
    );
}

#[tokio::test]
async fn a_harness_stream_that_stays_quiet_is_cut_off_with_a_notice() {
    let app = app_for("agentcore-harness").await;
    let (events, stored) = stalled_turn(&app, 0).await;
    assert!(said_so_far(&events).is_empty(), "{events:?}");
    let message = events.last().unwrap()["message"].as_str().unwrap();
    assert!(message.contains("took too long"), "{message}");
    assert_eq!(
        stored,
        [
            ("user".to_owned(), "hello".to_owned()),
            ("notice".to_owned(), message.to_owned()),
        ]
    );
}
