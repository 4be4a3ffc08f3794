//! The composer as a plain form, as a page that is not live yet sends it.

use reqwest::StatusCode;

use test_support::users::HELPDESK;

use crate::helpers::{ADMIN, TestApp, browser, location, spawn_app};

const GREETING_REPLY: &str = "not a language model";

async fn post_form(
    app: &TestApp,
    client: &reqwest::Client,
    form: &[(&str, &str)],
) -> reqwest::Response {
    client
        .post(app.url("/messages"))
        .header("sec-fetch-site", "same-origin")
        .form(form)
        .send()
        .await
        .unwrap()
}

#[tokio::test]
async fn a_posted_message_is_answered_and_the_browser_sent_to_its_conversation() {
    let app = spawn_app().await;
    let client = app.sign_in(ADMIN).await;
    let response = post_form(
        &app,
        &client,
        &[("text", " hello "), ("conversation_id", "")],
    )
    .await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let to = location(&response);
    let id = to
        .strip_prefix("/c/")
        .expect("a conversation address")
        .to_owned();

    let stored = app.stored_messages(&client, &id).await;
    assert_eq!(stored[0], ("user".into(), "hello".into()));
    assert!(stored[1].1.contains(GREETING_REPLY), "{stored:?}");
    // The page it is sent to shows the reply.
    assert!(app.page(&client, &to).await.contains(GREETING_REPLY));

    // The next message continues it; a suggestion button's message wins
    // over the (empty) text box.
    let response = post_form(
        &app,
        &client,
        &[
            ("suggestion", "and again"),
            ("text", ""),
            ("conversation_id", &id),
        ],
    )
    .await;
    assert_eq!(location(&response), to);
    let stored = app.stored_messages(&client, &id).await;
    assert_eq!(stored.len(), 4);
    assert_eq!(stored[2], ("user".into(), "and again".into()));
}

#[tokio::test]
async fn an_empty_message_gets_a_page_that_says_why_and_stores_nothing() {
    let app = spawn_app().await;
    let client = app.sign_in(ADMIN).await;
    let response = post_form(&app, &client, &[("text", "   ")]).await;
    assert_eq!(response.status(), StatusCode::BAD_REQUEST);
    let page = response.text().await.unwrap();
    assert!(page.contains("Your message was not sent"), "{page}");
    assert!(page.contains("Type a message first."), "{page}");
    assert!(app.conversations(&client).await.is_empty());
}

#[tokio::test]
async fn someone_elses_conversation_cannot_be_continued() {
    let app = spawn_app().await;
    let client = app.sign_in(ADMIN).await;
    let response = post_form(&app, &client, &[("text", "mine")]).await;
    let id = location(&response).trim_start_matches("/c/").to_owned();

    let other = app.sign_in(HELPDESK).await;
    let response = post_form(
        &app,
        &other,
        &[("text", "sneaky"), ("conversation_id", &id)],
    )
    .await;
    assert_eq!(response.status(), StatusCode::NOT_FOUND);
    assert_eq!(app.stored_messages(&client, &id).await.len(), 2);
}

#[tokio::test]
async fn signed_out_or_cross_site_posts_send_nothing() {
    let app = spawn_app().await;
    let response = post_form(&app, &browser(), &[("text", "hello")]).await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&response), "/");

    let client = app.sign_in(ADMIN).await;
    let response = client
        .post(app.url("/messages"))
        .header("sec-fetch-site", "cross-site")
        .form(&[("text", "hello")])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::FORBIDDEN);
    assert!(app.conversations(&client).await.is_empty());
}
