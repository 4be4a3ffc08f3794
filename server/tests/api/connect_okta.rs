//! Connecting Okta for Token Vault: the groups question stops at "not
//! connected", the connect routes run Auth0's Connected Accounts flow against
//! the sandbox, the same question then answers, and disconnecting brings the
//! notice back.

use reqwest::{Client, StatusCode};
use serde_json::Value;

use crate::helpers::{ADMIN, TestApp, browser, location, spawn_app};
use crate::helpers::{GROUPS_QUESTION as QUESTION, ask};

const NEWCOMER: (&str, &str) = ("newcomer@example.com", "newcomer-demo");

async fn connected(app: &TestApp, client: &Client) -> bool {
    let response = app.server_fn(client, "okta_connection", &[]).await;
    assert_eq!(response.status(), StatusCode::OK);
    response.json::<Value>().await.unwrap().as_bool().unwrap()
}

/// A same-origin form post to one of Custodian's routes.
async fn post(app: &TestApp, client: &Client, path: &str, return_to: &str) -> reqwest::Response {
    client
        .post(app.url(path))
        .header("origin", &app.base_url)
        .form(&[("return_to", return_to)])
        .send()
        .await
        .unwrap()
}

/// Starts the flow and answers the sandbox's consent page; returns the
/// callback URL Auth0 sends the browser back to (not yet visited).
async fn consent(app: &TestApp, client: &Client, return_to: &str, button: &str) -> String {
    let start = post(app, client, "/connect/okta", return_to).await;
    assert_eq!(start.status(), StatusCode::SEE_OTHER);
    let connect_page = location(&start);
    assert!(
        connect_page.starts_with(&format!("{}/connect?ticket=", app.sandbox_url)),
        "{connect_page}"
    );
    let html = client
        .get(&connect_page)
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let marker = "name=\"ticket\" value=\"";
    let at = html.find(marker).expect("a consent form") + marker.len();
    let ticket = &html[at..at + html[at..].find('"').unwrap()];
    let answer = client
        .post(format!("{}/connect/{button}", app.sandbox_url))
        .form(&[("ticket", ticket)])
        .send()
        .await
        .unwrap();
    assert_eq!(answer.status(), StatusCode::SEE_OTHER);
    let callback = location(&answer);
    assert!(callback.starts_with(&app.url("/callback?")), "{callback}");
    callback
}

#[tokio::test]
async fn connecting_okta_lets_the_question_answer_and_disconnecting_stops_it_again() {
    let app = spawn_app().await;
    let client = app.sign_in(NEWCOMER).await;
    assert!(!connected(&app, &client).await);

    let turn = ask(&app, &client, None, QUESTION).await;
    let notices = turn.notices();
    assert_eq!(notices.len(), 1, "{:?}", turn.events);
    assert!(notices[0].starts_with("Okta not connected:"), "{notices:?}");
    assert!(!turn.reply().contains("Engineering"));
    let page = format!("/c/{}", turn.conversation_id);

    let callback = consent(&app, &client, &page, "allow").await;
    let back = client.get(&callback).send().await.unwrap();
    assert_eq!(back.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&back), format!("{page}?okta=connected"));
    assert!(connected(&app, &client).await);
    // The callback is single-use.
    let replay = client.get(&callback).send().await.unwrap();
    assert_eq!(replay.status(), StatusCode::BAD_REQUEST);

    let turn = ask(&app, &client, Some(&turn.conversation_id), QUESTION).await;
    assert!(turn.reply().contains("Engineering"), "{:?}", turn.events);
    assert!(turn.notices().is_empty());

    let out = post(&app, &client, "/connect/okta/disconnect", &page).await;
    assert_eq!(out.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&out), page);
    assert!(!connected(&app, &client).await);
    let turn = ask(&app, &client, Some(&turn.conversation_id), QUESTION).await;
    assert!(
        turn.notices()[0].starts_with("Okta not connected:"),
        "{:?}",
        turn.events
    );
}

#[tokio::test]
async fn refused_consent_cross_site_posts_and_other_sessions_connect_nothing() {
    let app = spawn_app().await;
    let client = app.sign_in(NEWCOMER).await;

    // A form posted from another site starts nothing.
    let cross = client
        .post(app.url("/connect/okta"))
        .header("origin", "https://evil.example")
        .form(&[("return_to", "/")])
        .send()
        .await
        .unwrap();
    assert_eq!(cross.status(), StatusCode::FORBIDDEN);

    // Signed out: a page that says so.
    let signed_out = post(&app, &browser(), "/connect/okta", "/").await;
    assert_eq!(signed_out.status(), StatusCode::UNAUTHORIZED);

    let callback = consent(&app, &client, "/", "deny").await;
    let ended = client.get(&callback).send().await.unwrap();
    assert_eq!(ended.status(), StatusCode::UNAUTHORIZED);
    assert!(ended.text().await.unwrap().contains("cancelled or refused"));

    // A return that another signed-in browser opens is refused, and used up.
    let callback = consent(&app, &client, "/", "allow").await;
    let other = app.sign_in(ADMIN).await;
    let refused = other.get(&callback).send().await.unwrap();
    assert_eq!(refused.status(), StatusCode::BAD_REQUEST);
    assert!(refused.text().await.unwrap().contains("another sign-in"));
    assert!(!connected(&app, &client).await);
    let used = client.get(&callback).send().await.unwrap();
    assert_eq!(used.status(), StatusCode::BAD_REQUEST);
    assert!(!connected(&app, &client).await);
}
