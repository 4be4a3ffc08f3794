//! Custodian's CIBA and Token Vault clients against the certified provider
//! shaped like Auth0 (see `certified_provider`).

use custodian_core::auth0::{
    ApprovalDetails, CibaClient, CibaPoll, CibaRequest, PasswordReset, TokenVault, TokenVaultError,
    binding_code, binding_message,
};
use custodian_core::outbound::CallCounter;
use reqwest::StatusCode;
use secrecy::{ExposeSecret, SecretString};
use serde_json::json;

use crate::certified_provider::{ADMIN_EMAIL, ADMIN_SUB, CIBA_INTERVAL, CertifiedProvider};
use crate::helpers::{TestApp, browser, session_cookie};

/// What a reset asks the phone to show; oidc-provider has no RAR and
/// ignores it.
fn details() -> ApprovalDetails {
    ApprovalDetails::password_reset(&PasswordReset {
        target: "bob@example.com",
        requester: ADMIN_EMAIL,
        binding_code: "K7F-2QX",
    })
    .unwrap()
}

/// One poll. oidc-provider does not answer `slow_down` to early polls (Auth0
/// does; the sandbox checks Custodian's pacing), so the test need not wait.
async fn poll(ciba: &CibaClient, request: &CibaRequest) -> CibaPoll {
    ciba.poll(&request.auth_req_id).await
}

#[tokio::test]
async fn a_ciba_request_is_approved_on_the_phone_and_its_id_token_verified() {
    let provider = CertifiedProvider::start().await;
    let app = provider.spawn_app().await;
    let ciba = CibaClient::new(&app.settings.auth0, CallCounter::default());
    let message = binding_message(&binding_code()).unwrap();
    let request = ciba
        .start(ADMIN_SUB, &message, 300, &details())
        .await
        .expect("started");
    assert!(request.expires_in > 0 && request.expires_in <= 300);
    assert_eq!(
        request.interval, CIBA_INTERVAL as i64,
        "Auth0 announces an interval"
    );
    assert!(matches!(poll(&ciba, &request).await, CibaPoll::Pending));

    let pending = provider.control("ciba", None).await;
    assert_eq!(pending[0]["binding_message"], message.as_str());
    assert_eq!(pending[0]["sub"], ADMIN_SUB);
    provider
        .control("ciba/approve", Some(json!({ "binding_message": message })))
        .await;
    let CibaPoll::Approved { id_token } = poll(&ciba, &request).await else {
        panic!("the approved request did not yield tokens");
    };
    let login = app.relying_party();
    let sub = login
        .verify_ciba_id_token(&id_token)
        .await
        .expect("a valid ID token");
    assert_eq!(sub, ADMIN_SUB);
    // A used request is gone.
    assert!(matches!(
        ciba.poll(&request.auth_req_id).await,
        CibaPoll::Invalid
    ));
}

#[tokio::test]
async fn a_denied_ciba_request_reads_as_denied_and_bad_hints_are_refused() {
    let provider = CertifiedProvider::start().await;
    let app = provider.spawn_app().await;
    let ciba = CibaClient::new(&app.settings.auth0, CallCounter::default());
    let message = binding_message(&binding_code()).unwrap();
    let request = ciba
        .start(ADMIN_SUB, &message, 300, &details())
        .await
        .expect("started");
    provider
        .control("ciba/deny", Some(json!({ "binding_message": message })))
        .await;
    assert!(matches!(poll(&ciba, &request).await, CibaPoll::Denied));
    let unknown = ciba
        .start("oidc|Okta-OIDC|nobody", &message, 300, &details())
        .await;
    assert!(unknown.is_err(), "an unknown user is refused");
}

/// The refresh token of a session signed in through the provider.
async fn signed_in_refresh_token(provider: &CertifiedProvider, app: &TestApp) -> SecretString {
    let response = provider.sign_in(app, &browser(), ADMIN_EMAIL).await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let cookie = session_cookie(&response).expect("a session");
    let tokens = app.tokens_of_cookie(&cookie).await;
    assert_eq!(tokens.len(), 3, "offline_access gave a refresh token");
    SecretString::from(tokens[2].clone())
}

#[tokio::test]
async fn token_vault_exchanges_the_sessions_refresh_token_for_the_connection() {
    let provider = CertifiedProvider::start().await;
    let app = provider.spawn_app().await;
    let refresh_token = signed_in_refresh_token(&provider, &app).await;

    let vault = TokenVault::new(&app.settings.auth0, CallCounter::default());
    let token = vault
        .okta_token("a-session", Some(&refresh_token))
        .await
        .expect("a federated access token");
    assert!(!token.expose_secret().is_empty());

    // A connection the user has no tokens for: Auth0's 401.
    let mut other = app.settings.auth0.clone();
    other.connection_name = "google-oauth2".into();
    let refused = TokenVault::new(&other, CallCounter::default())
        .okta_token("a-session", Some(&refresh_token))
        .await;
    assert_eq!(refused.unwrap_err(), TokenVaultError::NotConnected);
}

#[tokio::test]
async fn a_ciba_id_token_from_a_clock_running_ahead_is_refused() {
    let provider = CertifiedProvider::start().await;
    let app = provider.spawn_app().await;
    let ciba = CibaClient::new(&app.settings.auth0, CallCounter::default());
    let message = binding_message(&binding_code()).unwrap();
    let request = ciba
        .start(ADMIN_SUB, &message, 300, &details())
        .await
        .expect("started");
    provider.behave(json!({ "futureIat": true })).await;
    provider
        .control("ciba/approve", Some(json!({ "binding_message": message })))
        .await;
    let CibaPoll::Approved { id_token } = poll(&ciba, &request).await else {
        panic!("the approved request did not yield tokens");
    };
    let login = app.relying_party();
    let refused = login.verify_ciba_id_token(&id_token).await.unwrap_err();
    assert!(
        refused.to_string().contains("issued in the future"),
        "{refused}"
    );
}
