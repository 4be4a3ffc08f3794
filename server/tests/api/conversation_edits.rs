//! Renaming and deleting conversations through the server functions.

use reqwest::StatusCode;
use test_support::users::HELPDESK;

use crate::helpers::{ADMIN, ask, spawn_app};
use crate::step_up::{answer, ask_reset, resets};

/// Whether the answer's body says `words` (an error's message or kind).
async fn says(response: reqwest::Response, words: &str) -> bool {
    response.text().await.unwrap().contains(words)
}

#[tokio::test]
async fn a_conversation_is_renamed_by_its_owner_only() {
    let app = spawn_app().await;
    let client = app.sign_in(ADMIN).await;
    let turn = ask(&app, &client, None, "hello").await;
    let id = turn.conversation_id.as_str();

    let response = app
        .server_fn(
            &client,
            "rename_conversation",
            &[("id", id), ("title", "  Okta audit ")],
        )
        .await;
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(response.json::<String>().await.unwrap(), "Okta audit");
    assert_eq!(app.conversations(&client).await[0]["title"], "Okta audit");

    let response = app
        .server_fn(
            &client,
            "rename_conversation",
            &[("id", id), ("title", "   ")],
        )
        .await;
    assert!(says(response, "Give the conversation a title.").await);

    let other = app.sign_in(HELPDESK).await;
    let response = app
        .server_fn(
            &other,
            "rename_conversation",
            &[("id", id), ("title", "mine")],
        )
        .await;
    assert!(says(response, "NotFound").await);
    assert_eq!(app.conversations(&client).await[0]["title"], "Okta audit");
}

#[tokio::test]
async fn deleting_a_conversation_cancels_its_waiting_approval_and_removes_everything() {
    let app = spawn_app().await;
    let client = app.sign_in(ADMIN).await;
    let reset = ask_reset(&app, &client).await;
    let id = reset.conversation_id.clone();

    let other = app.sign_in(HELPDESK).await;
    let response = app
        .server_fn(&other, "delete_conversation", &[("id", &id)])
        .await;
    assert!(says(response, "NotFound").await);
    assert_eq!(app.conversations(&client).await.len(), 1);

    let response = app
        .server_fn(&client, "delete_conversation", &[("id", &id)])
        .await;
    assert_eq!(response.status(), StatusCode::OK);
    assert!(app.conversations(&client).await.is_empty());
    let response = app
        .server_fn(&client, "load_conversation", &[("id", &id)])
        .await;
    assert!(says(response, "NotFound").await);

    // An approval given on the phone afterwards changes nothing.
    answer(&app, "approve", None).await;
    let response = app
        .server_fn(&client, "step_up_status", &[("id", reset.id())])
        .await;
    assert!(says(response, "NotFound").await);
    assert!(resets(&app).await.is_empty());

    let response = app
        .server_fn(&client, "delete_conversation", &[("id", &id)])
        .await;
    assert!(says(response, "NotFound").await);
}

#[tokio::test]
async fn conversations_are_searched_by_title_and_text_for_their_owner_only() {
    let app = spawn_app().await;
    let client = app.sign_in(ADMIN).await;
    let greeting = ask(&app, &client, None, "hello").await;
    let notes = ask(&app, &client, None, "Repeat after me: Okta audit notes").await;
    let search = |client: &reqwest::Client, query: &str| {
        let (client, query) = (client.clone(), query.to_owned());
        let app = &app;
        async move {
            let response = app
                .server_fn(&client, "search_conversations", &[("query", &query)])
                .await;
            let body: serde_json::Value = response.json().await.unwrap();
            body["conversations"]
                .as_array()
                .map(|list| {
                    list.iter()
                        .map(|c| c["id"].as_str().unwrap().to_owned())
                        .collect::<Vec<_>>()
                })
                .unwrap_or_default()
        }
    };
    // In a reply's text, and in a title, whatever the case.
    assert_eq!(
        search(&client, "LANGUAGE model").await,
        [greeting.conversation_id.as_str()]
    );
    assert_eq!(
        search(&client, "okta AUDIT").await,
        [notes.conversation_id.as_str()]
    );
    assert!(search(&client, "nowhere to be found").await.is_empty());

    let response = app
        .server_fn(&client, "search_conversations", &[("query", "   ")])
        .await;
    assert!(says(response, "Type something to search for.").await);

    let other = app.sign_in(HELPDESK).await;
    assert!(search(&other, "okta").await.is_empty());
}
