//! What one user keeps, through the real router against the sandbox:
//! conversations per user and messages per conversation are capped (set
//! low here through the settings), and the sidebar's listing comes a
//! bounded page at a time.

use reqwest::Client;
use serde_json::Value;
use test_support::users::ADMIN_SUB;

use crate::helpers::{
    ADMIN, GROUPS_QUESTION, Options, TestApp, ask, captured_logs, spawn_app_with,
};
use crate::limits::with_limits;

/// A `send_message` that must be refused: its `Invalid` message.
async fn refused(app: &TestApp, client: &Client, form: &[(&str, &str)]) -> String {
    let response = app.server_fn(client, "send_message", form).await;
    assert!(!response.status().is_success(), "{}", response.status());
    let body: Value = response.json().await.unwrap();
    body["Invalid"]
        .as_str()
        .expect("an Invalid error")
        .to_owned()
}

async fn invocations(app: &TestApp) -> String {
    app.sandbox_get("agent/invocations").await.to_string()
}

async fn stored_ids(app: &TestApp) -> Vec<String> {
    let page = custodian_core::store::ConversationPage::first(1000);
    let list = app.store().await.list_conversations(ADMIN_SUB, &page).await;
    list.unwrap()
        .conversations
        .into_iter()
        .map(|c| c.id)
        .collect()
}

#[tokio::test]
async fn a_conversation_past_the_cap_is_refused_and_nothing_is_stored() {
    let app = spawn_app_with(with_limits(&[("LIMITS__CONVERSATIONS_PER_USER", "2")])).await;
    let client = app.sign_in(ADMIN).await;
    let first = ask(&app, &client, None, GROUPS_QUESTION).await;
    ask(&app, &client, None, GROUPS_QUESTION).await;
    let before = (invocations(&app).await, stored_ids(&app).await);

    let message = refused(&app, &client, &[("text", "A third conversation")]).await;
    assert_eq!(
        message,
        "Limit reached: You have 2 conversations, the most Custodian keeps for one person, \
         so this one was not started. Continue one of your existing conversations instead."
    );
    assert_eq!((invocations(&app).await, stored_ids(&app).await), before);
    assert!(captured_logs().contains("conversation.capped"));
    // An existing one still takes new turns.
    ask(&app, &client, Some(&first.conversation_id), GROUPS_QUESTION).await;
}

#[tokio::test]
async fn a_turn_in_a_full_conversation_is_refused() {
    let app = spawn_app_with(with_limits(&[("LIMITS__MESSAGES_PER_CONVERSATION", "2")])).await;
    let client = app.sign_in(ADMIN).await;
    let full = ask(&app, &client, None, GROUPS_QUESTION).await;
    let id = full.conversation_id.as_str();
    let stored = || async { app.store().await.get_conversation(ADMIN_SUB, id).await };
    let before = (invocations(&app).await, stored().await.unwrap());

    let form = [
        ("text", "And for alice@example.com?"),
        ("conversation_id", id),
    ];
    let message = refused(&app, &client, &form).await;
    assert!(
        message.starts_with("Limit reached: This conversation has "),
        "{message}"
    );
    assert!(
        message.ends_with("Start a new conversation to continue."),
        "{message}"
    );
    assert_eq!((invocations(&app).await, stored().await.unwrap()), before);
    assert!(captured_logs().contains("conversation.full"));
}

#[tokio::test]
async fn pages_of_the_listing_hold_every_conversation_once() {
    let app = spawn_app_with(Options::default()).await;
    let client = app.sign_in(ADMIN).await;
    for _ in 0..5 {
        ask(&app, &client, None, GROUPS_QUESTION).await;
    }
    let mut seen = Vec::new();
    let mut after = String::new();
    loop {
        let page: Value = app
            .server_fn(
                &client,
                "list_conversations",
                &[("limit", "2"), ("after", &after)],
            )
            .await
            .json()
            .await
            .unwrap();
        let ids = page["conversations"].as_array().unwrap();
        assert!(ids.len() <= 2, "{page}");
        seen.extend(ids.iter().map(|c| c["id"].as_str().unwrap().to_owned()));
        match page["next"].as_str() {
            Some(next) => after = next.to_owned(),
            None => break,
        }
    }
    assert_eq!(seen, stored_ids(&app).await);
    assert_eq!(seen.len(), 5);
}

#[tokio::test]
async fn an_oversize_or_malformed_page_request_is_refused_by_name() {
    let app = spawn_app_with(Options::default()).await;
    let client = app.sign_in(ADMIN).await;
    for limit in ["1000", "0", "ten", "-1"] {
        let response = app
            .server_fn(&client, "list_conversations", &[("limit", limit)])
            .await;
        assert!(!response.status().is_success(), "{limit}");
        let body: Value = response.json().await.unwrap();
        assert_eq!(
            body["Invalid"],
            "`limit` must be a whole number from 1 to 100 (conversations per page).",
            "{limit}"
        );
    }
    let response = app
        .server_fn(&client, "list_conversations", &[("after", "not-a-cursor")])
        .await;
    let body: Value = response.json().await.unwrap();
    assert!(body["Invalid"].as_str().is_some(), "{body}");
}
