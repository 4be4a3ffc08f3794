//! Signing in, failing to sign in and signing out each leave an audit
//! event: who, through which connection, and how it ended.

use serde_json::Value;

use crate::helpers::{ADMIN, browser, captured_logs, spawn_app};

/// The audit events captured so far whose actor or outcome is `needle`.
fn audit_events(needle: &str) -> Vec<Value> {
    captured_logs()
        .lines()
        .filter_map(|line| serde_json::from_str::<Value>(line).ok())
        .filter(|line| line["target"] == "audit")
        .map(|line| line["fields"].clone())
        .filter(|fields| fields["actor"] == needle || fields["outcome"] == needle)
        .collect()
}

#[tokio::test]
async fn sign_in_and_sign_out_are_audit_events_naming_the_user_and_connection() {
    let app = spawn_app().await;
    let client = app.sign_in(ADMIN).await;
    let response = app.sign_out(&client).await;
    assert!(response.status().is_redirection());

    let events = audit_events(ADMIN.0);
    let kinds: Vec<(&str, &str, &str)> = events
        .iter()
        .map(|e| {
            (
                e["event"].as_str().unwrap(),
                e["subject"].as_str().unwrap(),
                e["outcome"].as_str().unwrap(),
            )
        })
        .collect();
    let connection = app.settings.auth0.connection_name.as_str();
    assert!(
        kinds.contains(&("auth.sign_in", connection, "signed-in")),
        "{kinds:?}"
    );
    assert!(
        kinds.contains(&("auth.sign_out", "custodian", "signed-out")),
        "{kinds:?}"
    );
}

#[tokio::test]
async fn a_failed_sign_in_is_an_audit_event_with_its_reason() {
    let app = spawn_app().await;
    // A callback this browser never started: no login cookie, no attempt.
    let response = browser()
        .get(app.url("/callback?code=forged&state=forged"))
        .send()
        .await
        .unwrap();
    assert!(response.status().is_client_error());
    let events = audit_events("incomplete-callback");
    assert!(
        events
            .iter()
            .any(|e| e["event"] == "auth.sign_in" && e["actor"] == "unknown"),
        "{events:?}"
    );
    assert!(
        !captured_logs().contains("forged\""),
        "the callback's values stay out of the log"
    );
}
