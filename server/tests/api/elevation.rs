//! Just-in-time access: a denied helpdesk user asks the permission's
//! approver for an hour; the approver's own phone gets the request; an
//! approval writes a grant that FGA honours until it lapses, a refusal or
//! the wrong approver grants nothing, and the requester can end it early.

use custodian_core::fga::{Decision, FgaClient, Permission};
use custodian_core::outbound::CallCounter;
use reqwest::{Client, StatusCode};
use serde_json::Value;
use test_support::users::{ADMIN_SUB, HELPDESK, HELPDESK_SUB};

use crate::helpers::{ADMIN, TestApp, ask, location, spawn_app};
use crate::step_up::{answer, conversation, is_final, only_request, status_until};

const RESET: Permission = Permission::ResetPassword;
const ASK: &str = "Reset the password for bob@example.com";

async fn post_form(app: &TestApp, client: &Client, path: &str, form: &[(&str, &str)]) -> String {
    let response = client
        .post(app.url(path))
        .header("sec-fetch-site", "same-origin")
        .form(form)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::SEE_OTHER, "{path}");
    location(&response)
}

/// Helpdesk is denied a reset and asks for `seconds` of access from the
/// denial's conversation; the card that request added.
async fn denied_then_request(app: &TestApp, client: &Client, seconds: &str) -> (String, Value) {
    let turn = ask(app, client, None, ASK).await;
    let notices = turn.notices();
    assert!(
        notices
            .iter()
            .any(|n| n.contains("Ask admin@example.com or second.admin@example.com")),
        "the denial names the approver: {notices:?}"
    );
    let id = turn.conversation_id.clone();
    let to = post_form(
        app,
        client,
        "/access/request",
        &[
            ("conversation_id", &id),
            ("relation", "reset_password"),
            ("seconds", seconds),
        ],
    )
    .await;
    assert_eq!(to, format!("/c/{id}"));
    let card = cards(app, client, &id).await.pop().expect("a request card");
    (id, card)
}

async fn cards(app: &TestApp, client: &Client, conversation_id: &str) -> Vec<Value> {
    conversation(app, client, conversation_id)
        .await
        .into_iter()
        .filter(|m| m["role"] == "stepup")
        .map(|m| m["step_up"].clone())
        .collect()
}

fn fga(app: &TestApp) -> FgaClient {
    FgaClient::new(&app.settings.fga, CallCounter::default())
}

#[tokio::test]
async fn an_approved_hour_lets_helpdesk_reset_until_it_is_ended() {
    let app = spawn_app().await;
    let client = app.sign_in(HELPDESK).await;
    let (conversation_id, card) = denied_then_request(&app, &client, "3600").await;
    assert_eq!(card["state"], "pending");
    assert_eq!(card["access"]["approver"], "admin@example.com");
    assert_eq!(card["access"]["access"], "reset passwords for 1 hour");

    // The push goes to the approver's phone, not the requester's.
    let request = only_request(&app).await;
    assert_eq!(request["sub"], ADMIN_SUB);
    let message = request["binding_message"].as_str().unwrap();
    assert!(message.contains("access request"), "{message}");
    assert!(
        message.contains(card["code"].as_str().unwrap()),
        "{message}"
    );
    assert_eq!(fga(&app).check(HELPDESK.0, RESET).await, Decision::Denied);

    answer(&app, "approve", None).await;
    let id = card["id"].as_str().unwrap();
    let done = status_until(&app, &client, id, is_final).await;
    assert_eq!(done["state"], "completed", "{done}");
    let outcome = done["outcome"].as_str().unwrap();
    assert!(
        outcome.contains("admin@example.com approved your request"),
        "{outcome}"
    );
    assert!(done["access"]["active_until"].is_string(), "{done}");
    assert_eq!(fga(&app).check(HELPDESK.0, RESET).await, Decision::Allowed);

    // The reset now proceeds, with the requester's own approval.
    let turn = ask(&app, &client, Some(&conversation_id), ASK).await;
    assert!(turn.notices().is_empty(), "{:?}", turn.events);
    assert_eq!(turn.of("step_up").len(), 1, "{:?}", turn.events);

    // Ended early: FGA denies at once and the card says it is over.
    let to = post_form(
        &app,
        &client,
        "/access/drop",
        &[("conversation_id", &conversation_id), ("id", id)],
    )
    .await;
    assert_eq!(to, format!("/c/{conversation_id}"));
    assert_eq!(fga(&app).check(HELPDESK.0, RESET).await, Decision::Denied);
    let card = cards(&app, &client, &conversation_id).await.remove(0);
    assert_eq!(card["access"]["active_until"], Value::Null, "{card}");
    let messages = conversation(&app, &client, &conversation_id).await;
    assert!(
        messages
            .iter()
            .any(|m| m["text"] == "You ended your access to reset passwords early."),
        "{messages:?}"
    );

    // The auditor finds the request, its approval and the grant.
    let admin = app.sign_in(ADMIN).await;
    let query = done["audit_query"].as_str().unwrap();
    let trail = app.page(&admin, &format!("/audit?{query}")).await;
    for action in [
        "elevation.requested",
        "elevation.approved",
        "elevation.granted",
        "elevation.dropped",
    ] {
        assert!(
            trail.contains(&format!("<td>{action}</td>")),
            "{action}: {trail}"
        );
    }
}

#[tokio::test]
async fn the_requester_cannot_approve_their_own_request() {
    let app = spawn_app().await;
    let client = app.sign_in(HELPDESK).await;
    let (_, card) = denied_then_request(&app, &client, "3600").await;
    // The phone's answer comes back naming the requester.
    answer(&app, "approve", Some(HELPDESK_SUB)).await;
    let done = status_until(&app, &client, card["id"].as_str().unwrap(), is_final).await;
    assert_eq!(done["state"], "failed", "{done}");
    let outcome = done["outcome"].as_str().unwrap();
    assert!(outcome.contains("different account"), "{outcome}");
    assert_eq!(fga(&app).check(HELPDESK.0, RESET).await, Decision::Denied);
}

#[tokio::test]
async fn a_denied_request_grants_nothing() {
    let app = spawn_app().await;
    let client = app.sign_in(HELPDESK).await;
    let (_, card) = denied_then_request(&app, &client, "3600").await;
    answer(&app, "deny", None).await;
    let done = status_until(&app, &client, card["id"].as_str().unwrap(), is_final).await;
    assert_eq!(done["state"], "denied", "{done}");
    assert_eq!(
        done["outcome"],
        "admin@example.com denied your request, so no access was granted."
    );
    assert_eq!(fga(&app).check(HELPDESK.0, RESET).await, Decision::Denied);
}

#[tokio::test]
async fn requests_outside_the_offer_are_refused_in_the_conversation() {
    let app = spawn_app().await;
    let client = app.sign_in(HELPDESK).await;
    let turn = ask(&app, &client, None, ASK).await;
    let id = turn.conversation_id;
    for (relation, seconds, told) in [
        ("auditor", "3600", "cannot be requested"),
        ("reset_password", "86400", "duration is not offered"),
        ("read_okta", "3600", "You already may read Okta groups"),
    ] {
        post_form(
            &app,
            &client,
            "/access/request",
            &[
                ("conversation_id", &id),
                ("relation", relation),
                ("seconds", seconds),
            ],
        )
        .await;
        let messages = conversation(&app, &client, &id).await;
        let last = messages.last().unwrap();
        assert_eq!(last["role"], "notice", "{messages:?}");
        assert!(last["text"].as_str().unwrap().contains(told), "{last}");
    }
    assert!(
        app.sandbox_get("ciba/requests")
            .await
            .as_array()
            .unwrap()
            .is_empty(),
        "no push went out"
    );
    // Someone else's conversation is not a place to ask from.
    let other = app.sign_in(ADMIN).await;
    let response = other
        .post(app.url("/access/request"))
        .header("sec-fetch-site", "same-origin")
        .form(&[
            ("conversation_id", id.as_str()),
            ("relation", "reset_password"),
            ("seconds", "3600"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn an_unreachable_management_api_sends_nothing_and_says_so() {
    let app = spawn_app().await;
    let client = app.sign_in(HELPDESK).await;
    let turn = ask(&app, &client, None, ASK).await;
    let id = turn.conversation_id;
    app.arm("management", serde_json::json!({ "fault": "down" }))
        .await;
    post_form(
        &app,
        &client,
        "/access/request",
        &[
            ("conversation_id", &id),
            ("relation", "reset_password"),
            ("seconds", "3600"),
        ],
    )
    .await;
    let messages = conversation(&app, &client, &id).await;
    let last = messages.last().unwrap();
    assert_eq!(
        last["text"],
        "Custodian could not look up admin@example.com in Auth0 (Auth0's Management API could \
         not be reached), so no request was sent. Try again shortly."
    );
    assert!(cards(&app, &client, &id).await.is_empty());
    assert!(
        app.sandbox_get("ciba/requests")
            .await
            .as_array()
            .unwrap()
            .is_empty()
    );
}

#[tokio::test]
async fn the_session_panel_lists_temporary_access_and_ends_it() {
    let app = spawn_app().await;
    let client = app.sign_in(HELPDESK).await;
    let listed = |response: reqwest::Response| async move {
        assert!(response.status().is_success(), "{}", response.status());
        response.json::<Vec<Value>>().await.unwrap()
    };
    let none = listed(app.server_fn(&client, "temporary_access", &[]).await).await;
    assert!(none.is_empty(), "{none:?}");

    let (conversation_id, card) = denied_then_request(&app, &client, "3600").await;
    answer(&app, "approve", None).await;
    status_until(&app, &client, card["id"].as_str().unwrap(), is_final).await;
    let held = listed(app.server_fn(&client, "temporary_access", &[]).await).await;
    assert_eq!(held.len(), 1, "{held:?}");
    assert_eq!(held[0]["relation"], "reset_password");
    assert_eq!(held[0]["activity"], "reset passwords");
    assert!(
        held[0]["until"].as_str().unwrap().ends_with("UTC"),
        "{held:?}"
    );

    let to = post_form(
        &app,
        &client,
        "/access/end",
        &[
            ("relation", "reset_password"),
            ("conversation_id", &conversation_id),
        ],
    )
    .await;
    assert_eq!(to, format!("/c/{conversation_id}"));
    assert_eq!(fga(&app).check(HELPDESK.0, RESET).await, Decision::Denied);
    let none = listed(app.server_fn(&client, "temporary_access", &[]).await).await;
    assert!(none.is_empty(), "{none:?}");
    // The card's own "End access now" then finds it ended, and says so.
    post_form(
        &app,
        &client,
        "/access/drop",
        &[
            ("conversation_id", &conversation_id),
            ("id", card["id"].as_str().unwrap()),
        ],
    )
    .await;
    let card = cards(&app, &client, &conversation_id).await.remove(0);
    assert_eq!(card["access"]["active_until"], Value::Null, "{card}");
}
