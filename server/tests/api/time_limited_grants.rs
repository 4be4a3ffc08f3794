//! Time-limited grants as FGA keeps them: a conditional tuple that allows
//! until its `valid_until`, judged against the `current_time` every query
//! sends, and that can be revoked early. The chat follows at once.

use chrono::{Duration, Utc};
use custodian_core::fga::{Decision, FgaClient, Permission};
use custodian_core::outbound::CallCounter;
use test_support::users::HELPDESK;

use crate::helpers::{ask, spawn_app};

const RESET: Permission = Permission::ResetPassword;

#[tokio::test]
async fn a_grant_allows_until_its_time_and_ends_when_revoked() {
    let app = spawn_app().await;
    let fga = FgaClient::new(&app.settings.fga, CallCounter::default());
    let helpdesk = HELPDESK.0;
    assert_eq!(fga.check(helpdesk, RESET).await, Decision::Denied);

    fga.grant_until(helpdesk, RESET, Utc::now() + Duration::hours(1))
        .await
        .unwrap();
    assert_eq!(fga.check(helpdesk, RESET).await, Decision::Allowed);
    let client = app.sign_in(HELPDESK).await;
    let turn = ask(
        &app,
        &client,
        None,
        "Reset the password for bob@example.com",
    )
    .await;
    assert!(turn.notices().is_empty(), "{:?}", turn.events);
    assert_eq!(
        turn.of("step_up").len(),
        1,
        "the push went out: {:?}",
        turn.events
    );

    fga.revoke_grant(helpdesk, RESET).await.unwrap();
    assert_eq!(fga.check(helpdesk, RESET).await, Decision::Denied);
}

#[tokio::test]
async fn a_grant_whose_time_has_passed_allows_nothing() {
    let app = spawn_app().await;
    let fga = FgaClient::new(&app.settings.fga, CallCounter::default());
    fga.grant_until(HELPDESK.0, RESET, Utc::now() - Duration::seconds(1))
        .await
        .unwrap();
    assert_eq!(fga.check(HELPDESK.0, RESET).await, Decision::Denied);
    // Written all the same: the store holds it until it is revoked.
    fga.revoke_grant(HELPDESK.0, RESET).await.unwrap();
}
