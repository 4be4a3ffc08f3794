//! The Token Vault exchange through the real `core` client, and its errors.

use custodian_core::auth0::{TokenVault, TokenVaultError};
use custodian_core::outbound::CallCounter;
use secrecy::SecretString;
use serde_json::{Value, json};

use crate::custodian::*;
use crate::support::*;

const GRANT: &str =
    "urn:auth0:params:oauth:grant-type:token-exchange:federated-connection-access-token";
const REFRESH_TYPE: &str = "urn:ietf:params:oauth:token-type:refresh_token";
const FEDERATED_TYPE: &str = "http://auth0.com/oauth/token-type/federated-connection-access-token";

fn vault(base: &str, dir: &tempfile::TempDir) -> TokenVault {
    TokenVault::new(&settings(base, dir.path()).auth0, CallCounter::default())
}

async fn refresh_token(base: &str) -> SecretString {
    let tokens = tokens_for(base, "admin@example.com", "admin-demo").await;
    SecretString::from(tokens["refresh_token"].as_str().unwrap().to_owned())
}

async fn exchanges(base: &str) -> u64 {
    get_json(&format!("{base}/__sandbox/token-vault/exchanges")).await["count"]
        .as_u64()
        .unwrap()
}

/// A raw exchange request with `subject_token`, `connection` overridable.
async fn raw_exchange(base: &str, subject_token: &str, connection: &str) -> (u16, Value) {
    token_request(
        base,
        CLIENT_SECRET,
        &[
            ("grant_type", GRANT),
            ("subject_token_type", REFRESH_TYPE),
            ("subject_token", subject_token),
            ("requested_token_type", FEDERATED_TYPE),
            ("connection", connection),
        ],
    )
    .await
}

#[tokio::test]
async fn exchanges_a_refresh_token_for_an_okta_token() {
    let sandbox = start().await;
    let base = &sandbox.base_url;
    let dir = tempfile::tempdir().unwrap();
    let vault = vault(base, &dir);
    let refresh = refresh_token(base).await;

    let token = vault.okta_token("session-1", Some(&refresh)).await.unwrap();
    let again = vault.okta_token("session-1", Some(&refresh)).await.unwrap();
    use secrecy::ExposeSecret;
    assert_eq!(token.expose_secret(), again.expose_secret(), "cached");
    assert_eq!(exchanges(base).await, 1);

    let (status, body) = raw_exchange(base, refresh.expose_secret(), CONNECTION).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["issued_token_type"], FEDERATED_TYPE);
    assert_eq!(body["token_type"], "Bearer");
    assert_eq!(body["expires_in"], 600);
    assert!(body["scope"].as_str().unwrap().contains("okta.groups.read"));
    assert!(body["access_token"].is_string());
}

#[tokio::test]
async fn refusals_and_outages_are_told_apart() {
    let sandbox = start().await;
    let base = &sandbox.base_url;
    let dir = tempfile::tempdir().unwrap();
    let vault = vault(base, &dir);
    let refresh = refresh_token(base).await;

    arm(base, "token-vault", json!({ "fault": "refuse" })).await;
    // Auth0's code for a refresh token it will not exchange.
    assert_eq!(
        vault.okta_token("s", Some(&refresh)).await.err(),
        Some(TokenVaultError::Refused("invalid_grant".into()))
    );
    arm(base, "token-vault", json!({ "fault": "down", "times": 2 })).await;
    for _ in 0..2 {
        assert_eq!(
            vault.okta_token("s", Some(&refresh)).await.err(),
            Some(TokenVaultError::Unreachable)
        );
    }
    assert!(
        vault.okta_token("s", Some(&refresh)).await.is_ok(),
        "faults end"
    );
}

#[tokio::test]
async fn only_live_refresh_tokens_of_this_client_and_connection_are_exchanged() {
    let sandbox = start().await;
    let base = &sandbox.base_url;
    let dir = tempfile::tempdir().unwrap();
    let vault = vault(base, &dir);

    let tokens = tokens_for(base, "admin@example.com", "admin-demo").await;
    let access_token = SecretString::from(tokens["access_token"].as_str().unwrap().to_owned());
    assert_eq!(
        vault.okta_token("s", Some(&access_token)).await.err(),
        Some(TokenVaultError::Refused("invalid_grant".into())),
        "an access token is not a refresh token"
    );
    let forged = SecretString::from("not-a-refresh-token-from-this-idp".to_owned());
    assert_eq!(
        vault.okta_token("s", Some(&forged)).await.err(),
        Some(TokenVaultError::Refused("invalid_grant".into()))
    );

    let refresh = tokens["refresh_token"].as_str().unwrap();
    let (status, body) = raw_exchange(base, refresh, "google-oauth2").await;
    assert_eq!(status, 401, "{body}");
    let (status, body) = token_request(
        base,
        CLIENT_SECRET,
        &[
            ("grant_type", GRANT),
            (
                "subject_token_type",
                "urn:ietf:params:oauth:token-type:access_token",
            ),
            ("subject_token", refresh),
            ("requested_token_type", FEDERATED_TYPE),
            ("connection", CONNECTION),
        ],
    )
    .await;
    assert_eq!(
        (status, body["error"].as_str()),
        (400, Some("invalid_request"))
    );
    let (status, _) = token_request(
        base,
        "wrong secret",
        &[("grant_type", GRANT), ("subject_token", refresh)],
    )
    .await;
    assert_eq!(status, 401, "client authentication comes first");
}
