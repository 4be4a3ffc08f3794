//! Renaming and deleting conversations through the server functions.

use reqwest::StatusCode;
use test_support::users::HELPDESK;

use crate::helpers::{ADMIN, ask, spawn_app};
use crate::step_up::{answer, ask_reset, resets};

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
    assert!(
        response
            .text()
            .await
            .unwrap()
            .contains("Give the conversation a title.")
    );

    let other = app.sign_in(HELPDESK).await;
    let response = app
        .server_fn(
            &other,
            "rename_conversation",
            &[("id", id), ("title", "mine")],
        )
        .await;
    assert!(response.text().await.unwrap().contains("NotFound"));
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
    assert!(response.text().await.unwrap().contains("NotFound"));
    assert_eq!(app.conversations(&client).await.len(), 1);

    let response = app
        .server_fn(&client, "delete_conversation", &[("id", &id)])
        .await;
    assert_eq!(response.status(), StatusCode::OK);
    assert!(app.conversations(&client).await.is_empty());
    let response = app
        .server_fn(&client, "load_conversation", &[("id", &id)])
        .await;
    assert!(response.text().await.unwrap().contains("NotFound"));

    // An approval given on the phone afterwards changes nothing.
    answer(&app, "approve", None).await;
    let response = app
        .server_fn(&client, "step_up_status", &[("id", reset.id())])
        .await;
    assert!(response.text().await.unwrap().contains("NotFound"));
    assert!(resets(&app).await.is_empty());

    let response = app
        .server_fn(&client, "delete_conversation", &[("id", &id)])
        .await;
    assert!(response.text().await.unwrap().contains("NotFound"));
}
