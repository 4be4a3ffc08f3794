//! Step-ups whose approving request was cut off (the BFF's timeout, a
//! dropped connection, a crash), and a permission revoked while the push
//! waited: each reaches a final state through the card's ordinary polls,
//! and Okta resets at most once, also when Okta answers a reset too late
//! to know whether it happened. (Auth0 trouble while polling is in
//! `step_up`.)
//!
//! A cut-off request is simulated by writing the record as that request
//! would have left it in the store, then letting the card poll.

use custodian_core::store::{StepUpRecord, StepUpState};
use custodian_core::time::{now_unix, now_unix_ms};
use reqwest::Client;
use serde_json::{Value, json};
use test_support::users::ADMIN_SUB;

use crate::helpers::{ADMIN, TestApp, captured_logs, spawn_app};
use crate::step_up::{
    Reset, answer, ask_reset, assert_notice_in_conversation, conversation, is_final, only_request,
    resets, status, status_until,
};

/// How a cut-off request left a record.
type LeftAs = fn(&mut StepUpRecord);

/// Far beyond any bound on a reset or an approval's use.
const AN_HOUR_MS: i64 = 3_600_000;

/// Stores the step-up as `change` leaves it, over its current version, as
/// the request that was cut off last wrote it.
async fn leave_as(app: &TestApp, reset: &Reset, change: impl FnOnce(&mut StepUpRecord)) {
    let store = app.store().await;
    let record = store
        .get_step_up(ADMIN_SUB, reset.id())
        .await
        .unwrap()
        .unwrap();
    let mut left = record.clone();
    change(&mut left);
    assert!(store.update_step_up(&left, record.version).await.unwrap());
}

/// The approval as the approving request records it before the reset.
fn approved(record: &mut StepUpRecord) {
    record.state = StepUpState::Approved;
    record.sealed_auth_req_id = String::new();
    record.approved_at_ms = Some(now_unix_ms());
}

/// What a request that claimed the reset did before it was cut off: the
/// Okta reset itself, with the approver's own token from Token Vault.
async fn reset_as_the_cut_off_request(app: &TestApp, reset: &Reset) {
    let clients = test_support::custodian::action_context(&app.settings).await;
    let record = clients
        .sessions
        .store()
        .get_step_up(ADMIN_SUB, reset.id())
        .await
        .unwrap()
        .unwrap();
    let session = clients
        .sessions
        .by_id(&record.session_id)
        .await
        .unwrap()
        .unwrap();
    let tokens = clients.sessions.unseal_tokens(&session).unwrap();
    let (okta, target) = (&clients.okta, record.target.as_str());
    clients
        .vault
        .with_okta_token(
            &session.id,
            tokens.refresh_token.as_ref(),
            |token| async move { okta.reset_password(&token, target, false).await },
        )
        .await
        .unwrap();
}

/// A signed-in administrator's reset request, approved on the phone but
/// not yet collected: what every cut-off case starts from.
async fn approved_on_the_phone() -> (TestApp, Client, Reset) {
    let app = spawn_app().await;
    let client = app.sign_in(ADMIN).await;
    let reset = ask_reset(&app, &client).await;
    answer(&app, "approve", None).await;
    (app, client, reset)
}

fn outcome(view: &Value) -> &str {
    view["outcome"].as_str().unwrap_or_else(|| panic!("{view}"))
}

#[tokio::test]
async fn a_reset_cut_off_after_the_approval_is_run_by_the_next_poll() {
    let (app, client, reset) = approved_on_the_phone().await;
    leave_as(&app, &reset, approved).await;
    assert!(resets(&app).await.is_empty());

    let done = status_until(&app, &client, reset.id(), is_final).await;
    assert_eq!(done["state"], "completed", "{done}");
    assert!(outcome(&done).contains("was reset"), "{done}");
    assert_eq!(done["has_reset_link"], true);
    let done_resets = resets(&app).await;
    assert_eq!(done_resets.len(), 1, "{done_resets:?}");
    assert_eq!(done_resets[0]["login"], "bob@example.com");

    // Later polls change nothing and never ask Auth0 about an approval.
    assert_eq!(
        status(&app, &client, reset.id()).await["state"],
        "completed"
    );
    assert_eq!(resets(&app).await.len(), 1);
    assert_eq!(only_request(&app).await["polls"], json!([]));
    let messages = conversation(&app, &client, &reset.conversation_id).await;
    assert!(
        messages.iter().any(|m| m["text"] == outcome(&done)),
        "{messages:?}"
    );
}

#[tokio::test]
async fn a_reset_cut_off_before_its_outcome_was_stored_ends_unknown_and_is_not_repeated() {
    let (app, client, reset) = approved_on_the_phone().await;
    leave_as(&app, &reset, |record| {
        approved(record);
        record.reset_started_at_ms = Some(now_unix_ms());
    })
    .await;
    reset_as_the_cut_off_request(&app, &reset).await;
    assert_eq!(resets(&app).await.len(), 1);

    // A fresh claim may be another request resetting right now: wait.
    let waiting = status(&app, &client, reset.id()).await;
    assert_eq!(waiting["state"], "approved", "{waiting}");
    assert!(waiting["check_again_ms"].as_u64().unwrap() >= 1000);

    // Long after, nobody is resetting any more: settle, never reset again.
    leave_as(&app, &reset, |record| {
        record.reset_started_at_ms = Some(now_unix_ms() - AN_HOUR_MS);
    })
    .await;
    let done = status_until(&app, &client, reset.id(), is_final).await;
    assert_eq!(done["state"], "failed", "{done}");
    let text = outcome(&done);
    assert!(text.starts_with("The outcome is unknown"), "{text}");
    assert!(text.contains("bob@example.com"), "{text}");
    assert!(text.contains("Okta Admin Console"), "{text}");
    assert!(text.contains("System Log"), "{text}");
    assert_eq!(done["has_reset_link"], false);
    assert_eq!(resets(&app).await.len(), 1, "Okta reset exactly once");
    assert_eq!(status(&app, &client, reset.id()).await["state"], "failed");
    assert_eq!(resets(&app).await.len(), 1);
    assert_notice_in_conversation(&app, &client, &reset, text).await;
}

/// Okta carries out the reset but answers after Custodian's Okta timeout,
/// so the approving request cannot know whether it happened: the card says
/// so and how to check, and Okta is never asked a second time.
#[tokio::test]
async fn a_reset_okta_answers_too_late_ends_unknown_and_is_not_repeated() {
    let app = spawn_app().await;
    let client = app.sign_in(ADMIN).await;
    let reset = ask_reset(&app, &client).await;
    app.arm("okta", json!({ "fault": "slow_reset" })).await;
    answer(&app, "approve", None).await;

    let done = status_until(&app, &client, reset.id(), is_final).await;
    assert_eq!(done["state"], "failed", "{done}");
    let text = outcome(&done);
    assert!(text.starts_with("The outcome is unknown"), "{text}");
    assert!(text.contains("Okta Admin Console"), "{text}");
    assert_eq!(done["has_reset_link"], false);
    assert_eq!(resets(&app).await.len(), 1, "Okta got the one reset");
    assert_eq!(status(&app, &client, reset.id()).await["state"], "failed");
    assert_eq!(resets(&app).await.len(), 1, "and never a second");
    assert_notice_in_conversation(&app, &client, &reset, text).await;
}

/// Approved records never get a second reset: one from before claims
/// were kept (its reset ran unrecorded), or one approved long ago and
/// never acted on.
#[tokio::test]
async fn stale_approvals_reset_nothing() {
    let cases: [(&str, LeftAs); 2] = [
        ("The outcome is unknown", |record| {
            approved(record);
            record.approved_at_ms = None;
            record.expires_at = now_unix() - 3600;
        }),
        ("not acted on in time", |record| {
            approved(record);
            record.approved_at_ms = Some(now_unix_ms() - AN_HOUR_MS);
        }),
    ];
    for (says, stale) in cases {
        // A fresh stack each: the sandbox phone holds one request at a time.
        let (app, client, reset) = approved_on_the_phone().await;
        leave_as(&app, &reset, stale).await;
        let done = status_until(&app, &client, reset.id(), is_final).await;
        assert_eq!(done["state"], "failed", "{done}");
        assert!(outcome(&done).contains(says), "{done}");
        assert!(resets(&app).await.is_empty(), "{says}");
    }
}

#[tokio::test]
async fn a_permission_revoked_while_the_push_waited_resets_nothing() {
    let app = spawn_app().await;
    let client = app.sign_in(ADMIN).await;
    let reset = ask_reset(&app, &client).await;
    app.fga_write(json!({ "deletes": { "tuple_keys": [{
        "user": "user:admin@example.com",
        "relation": "reset_password",
        "object": "okta:password",
    }]}}))
    .await;
    answer(&app, "approve", None).await;

    let done = status_until(&app, &client, reset.id(), is_final).await;
    assert_eq!(done["state"], "failed", "{done}");
    let text = outcome(&done);
    assert!(text.starts_with("Permission denied:"), "{text}");
    assert!(text.contains("reset_password"), "{text}");
    assert!(
        text.contains("did not reset the password of bob@example.com"),
        "{text}"
    );
    assert!(resets(&app).await.is_empty());
    assert_notice_in_conversation(&app, &client, &reset, text).await;
    assert!(
        captured_logs().contains("permission-revoked"),
        "the refusal was audited"
    );
}
