//! Dual control: resetting the password of a member of a privileged Okta
//! group (`IT Admins` in the local settings) needs the requester's own
//! approval and a second administrator's. Nothing runs until both are in;
//! either refusal ends it; only the named administrator's answer counts.

use serde_json::Value;
use test_support::users::{ADMIN_SUB, SECOND_ADMIN_SUB};

use crate::helpers::{ADMIN, TestApp, spawn_app};
use crate::step_up::{
    answer_request, ask_reset, ask_reset_with, is_final, resets, status, status_until,
};

const PRIVILEGED: &str = "Reset the password for ops.admin@example.com";

/// The sandbox's pending CIBA request for the user `sub`.
async fn request_for(app: &TestApp, sub: &str) -> Value {
    let requests = app.sandbox_get("ciba/requests").await;
    requests
        .as_array()
        .unwrap()
        .iter()
        .find(|request| request["sub"] == sub)
        .unwrap_or_else(|| panic!("no request for {sub}: {requests}"))
        .clone()
}

/// Answers `sub`'s request on the "phone", as `by` when given.
async fn answer_for(app: &TestApp, sub: &str, decision: &str, by: Option<&str>) {
    let request = request_for(app, sub).await;
    answer_request(app, &request, decision, by).await;
}

async fn ops_resets(app: &TestApp) -> usize {
    resets(app)
        .await
        .iter()
        .filter(|reset| reset["login"] == "ops.admin@example.com")
        .count()
}

#[tokio::test]
async fn a_privileged_reset_waits_for_both_administrators() {
    let app = spawn_app().await;
    let client = app.sign_in(ADMIN).await;
    let reset = ask_reset_with(&app, &client, PRIVILEGED).await;
    let second = &reset.card["second"];
    assert_eq!(second["approver"], "second.admin@example.com");
    assert_eq!(second["approved"], false);
    assert_ne!(second["code"], reset.card["code"]);
    let reply: String = reset
        .events
        .iter()
        .filter(|e| e["type"] == "chunk")
        .map(|e| e["text"].as_str().unwrap())
        .collect();
    assert!(
        reply.contains("second.admin@example.com must also approve"),
        "{reply}"
    );

    // Each phone shows its own code.
    let theirs = request_for(&app, SECOND_ADMIN_SUB).await;
    let code = second["code"].as_str().unwrap();
    assert!(theirs["binding_message"].as_str().unwrap().contains(code));

    answer_for(&app, ADMIN_SUB, "approve", None).await;
    let halfway = status_until(&app, &client, reset.id(), |v| v["own_approved"] == true).await;
    assert_eq!(halfway["state"], "pending", "{halfway}");
    assert_eq!(ops_resets(&app).await, 0, "nothing runs on one approval");

    answer_for(&app, SECOND_ADMIN_SUB, "approve", None).await;
    let done = status_until(&app, &client, reset.id(), is_final).await;
    assert_eq!(done["state"], "completed", "{done}");
    assert_eq!(done["second"]["approved"], true);
    assert_eq!(ops_resets(&app).await, 1);
}

#[tokio::test]
async fn the_second_administrator_may_answer_first() {
    let app = spawn_app().await;
    let client = app.sign_in(ADMIN).await;
    let reset = ask_reset_with(&app, &client, PRIVILEGED).await;
    answer_for(&app, SECOND_ADMIN_SUB, "approve", None).await;
    let halfway = status_until(&app, &client, reset.id(), |v| {
        v["second"]["approved"] == true
    })
    .await;
    assert_eq!(halfway["state"], "pending", "{halfway}");
    assert_eq!(ops_resets(&app).await, 0);

    answer_for(&app, ADMIN_SUB, "approve", None).await;
    let done = status_until(&app, &client, reset.id(), is_final).await;
    assert_eq!(done["state"], "completed", "{done}");
    assert_eq!(ops_resets(&app).await, 1);
}

#[tokio::test]
async fn a_refusal_by_the_second_administrator_ends_it() {
    let app = spawn_app().await;
    let client = app.sign_in(ADMIN).await;
    let reset = ask_reset_with(&app, &client, PRIVILEGED).await;
    answer_for(&app, ADMIN_SUB, "approve", None).await;
    answer_for(&app, SECOND_ADMIN_SUB, "deny", None).await;
    let done = status_until(&app, &client, reset.id(), is_final).await;
    assert_eq!(done["state"], "denied", "{done}");
    assert_eq!(
        done["outcome"],
        "second.admin@example.com denied the second approval, so the password of \
         ops.admin@example.com was not reset."
    );
    assert_eq!(ops_resets(&app).await, 0);
}

#[tokio::test]
async fn a_refusal_by_the_requester_ends_it_whatever_the_second_says() {
    let app = spawn_app().await;
    let client = app.sign_in(ADMIN).await;
    let reset = ask_reset_with(&app, &client, PRIVILEGED).await;
    answer_for(&app, SECOND_ADMIN_SUB, "approve", None).await;
    answer_for(&app, ADMIN_SUB, "deny", None).await;
    let done = status_until(&app, &client, reset.id(), is_final).await;
    assert_eq!(done["state"], "denied", "{done}");
    assert_eq!(ops_resets(&app).await, 0);
}

#[tokio::test]
async fn the_second_approval_counts_only_from_the_second_administrator() {
    let app = spawn_app().await;
    let client = app.sign_in(ADMIN).await;
    let reset = ask_reset_with(&app, &client, PRIVILEGED).await;
    answer_for(&app, ADMIN_SUB, "approve", None).await;
    // The requester answering the other administrator's request.
    answer_for(&app, SECOND_ADMIN_SUB, "approve", Some(ADMIN_SUB)).await;
    let done = status_until(&app, &client, reset.id(), is_final).await;
    assert_eq!(done["state"], "failed", "{done}");
    assert!(
        done["outcome"]
            .as_str()
            .unwrap()
            .contains("different account"),
        "{done}"
    );
    assert_eq!(ops_resets(&app).await, 0);
}

#[tokio::test]
async fn an_ordinary_account_needs_one_approval() {
    let app = spawn_app().await;
    let client = app.sign_in(ADMIN).await;
    let reset = ask_reset(&app, &client).await;
    assert_eq!(reset.card["second"], Value::Null);
    let view = status(&app, &client, reset.id()).await;
    assert_eq!(view["own_approved"], false);
}
