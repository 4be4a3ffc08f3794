//! Stopping the server (what SIGTERM does to the binary) drains it: a chat
//! reply streaming at that moment reaches the browser whole and is stored
//! whole, and no new connection is taken.

use std::time::Duration;

use custodian_core::store::Role;
use serde_json::Value;
use test_support::users::ADMIN_SUB;

use crate::helpers::{ADMIN, Options, browser, chat_event, spawn_app_with};

/// Complete NDJSON lines of what has arrived so far, as events.
fn events_in(body: &str) -> Vec<Value> {
    let complete = &body[..body.rfind('\n').map_or(0, |end| end + 1)];
    complete
        .lines()
        .filter(|line| !line.is_empty())
        .map(chat_event)
        .collect()
}

#[tokio::test]
async fn stopping_drains_a_streaming_reply_and_stores_it_whole() {
    let mut app = spawn_app_with(Options {
        chunk_delay: Some(Duration::from_millis(40)),
        ..Options::default()
    })
    .await;
    let client = app.sign_in(ADMIN).await;
    let mut response = app
        .server_fn(&client, "send_message", &[("text", "hello")])
        .await;
    let mut body = String::new();
    while !events_in(&body).iter().any(|e| e["type"] == "chunk") {
        let piece = response
            .chunk()
            .await
            .unwrap()
            .expect("the reply is streaming");
        body.push_str(std::str::from_utf8(&piece).unwrap());
    }

    let drained = app.stop();
    while let Some(piece) = response.chunk().await.unwrap() {
        body.push_str(std::str::from_utf8(&piece).unwrap());
    }
    drained.await;

    let events = events_in(&body);
    assert_eq!(events.last().unwrap()["type"], "done", "{events:?}");
    let reply: String = events
        .iter()
        .filter(|e| e["type"] == "chunk")
        .map(|e| e["text"].as_str().unwrap())
        .collect();
    let id = events[0]["conversation_id"].as_str().unwrap();
    let stored = app
        .store()
        .await
        .get_conversation(ADMIN_SUB, id)
        .await
        .unwrap()
        .expect("the conversation is stored");
    let last = stored.messages.last().unwrap();
    assert_eq!(
        (last.role.clone(), last.text.as_str()),
        (Role::Assistant, reply.as_str())
    );
    assert!(
        browser().get(app.url("/healthz")).send().await.is_err(),
        "a stopped server takes no new connection"
    );
}
