//! The Okta stand-in through the real `core` client: only Token Vault
//! tokens, Okta's errors, rate limits and recorded resets.

use std::time::Duration;

use custodian_core::http::CallCounter;
use custodian_core::okta::{OktaClient, OktaError};
use secrecy::{ExposeSecret, SecretString};
use serde_json::{Value, json};

use crate::custodian::*;
use crate::support::*;

const GRANT: &str =
    "urn:auth0:params:oauth:grant-type:token-exchange:federated-connection-access-token";

/// An Okta access token from the sandbox's Token Vault, for the admin.
async fn okta_token(base: &str) -> SecretString {
    let tokens = tokens_for(base, "admin@example.com", "admin-demo").await;
    let (status, body) = token_request(
        base,
        CLIENT_SECRET,
        &[
            ("grant_type", GRANT),
            (
                "subject_token_type",
                "urn:ietf:params:oauth:token-type:refresh_token",
            ),
            ("subject_token", tokens["refresh_token"].as_str().unwrap()),
            (
                "requested_token_type",
                "http://auth0.com/oauth/token-type/federated-connection-access-token",
            ),
            ("connection", CONNECTION),
        ],
    )
    .await;
    assert_eq!(status, 200, "{body}");
    SecretString::from(body["access_token"].as_str().unwrap().to_owned())
}

fn client(base: &str) -> OktaClient {
    OktaClient::new(
        &url::Url::parse(&format!("{base}/okta")).unwrap(),
        CallCounter::default(),
    )
}

async fn okta_get(base: &str, path: &str, token: &str) -> (u16, Value) {
    let response = http()
        .get(format!("{base}/okta/api/v1/{path}"))
        .header("authorization", token)
        .send()
        .await
        .unwrap();
    (response.status().as_u16(), response.json().await.unwrap())
}

#[tokio::test]
async fn lists_groups_and_says_who_does_not_exist() {
    let sandbox = start().await;
    let base = &sandbox.base_url;
    let token = okta_token(base).await;
    let okta = client(base);

    assert_eq!(
        okta.user_groups(&token, "bob@example.com").await.unwrap(),
        ["Engineering", "VPN Users", "Everyone"]
    );
    assert_eq!(
        okta.user_groups(&token, "alice@example.com").await.unwrap(),
        ["Finance", "Everyone"]
    );
    assert_eq!(
        okta.user_groups(&token, "nobody@example.com").await,
        Err(OktaError::NoSuchUser("nobody@example.com".into()))
    );

    let bearer = format!("Bearer {}", token.expose_secret());
    let (status, user) = okta_get(base, "users/bob@example.com", &bearer).await;
    assert_eq!(status, 200);
    assert_eq!(user["id"], "00ub0b1");
    assert_eq!(user["status"], "ACTIVE");
    assert_eq!(
        user["profile"],
        json!({"login": "bob@example.com", "email": "bob@example.com",
               "firstName": "Bob", "lastName": "Builder"})
    );
    let (status, groups) = okta_get(base, "users/00ub0b1/groups", &bearer).await;
    assert_eq!(status, 200);
    assert_eq!(groups[0]["type"], "OKTA_GROUP");
    assert_eq!(groups[0]["profile"]["name"], "Engineering");
    assert!(groups[0]["profile"]["description"].is_string());
    let (status, error) = okta_get(base, "users/nobody@example.com", &bearer).await;
    assert_eq!(status, 404);
    assert_eq!(error["errorCode"], "E0000007");
    assert!(error["errorSummary"].is_string());
}

#[tokio::test]
async fn refuses_every_token_but_live_token_vault_ones() {
    let sandbox = start_with(sandbox::SandboxConfig {
        token_vault_lifetime: Duration::ZERO,
        ..config(Duration::from_millis(1))
    })
    .await;
    let base = &sandbox.base_url;
    let okta = client(base);

    let expired = okta_token(base).await;
    assert_eq!(
        okta.user_groups(&expired, "bob@example.com").await,
        Err(OktaError::Unauthorized)
    );
    let tokens = tokens_for(base, "admin@example.com", "admin-demo").await;
    let idp_token = SecretString::from(tokens["access_token"].as_str().unwrap().to_owned());
    assert_eq!(
        okta.user_groups(&idp_token, "bob@example.com").await,
        Err(OktaError::Unauthorized),
        "the IdP's own access token is not an Okta token"
    );
    for header in ["SSWS some-api-key", "Bearer forged", ""] {
        let (status, error) = okta_get(base, "users/bob@example.com", header).await;
        assert_eq!(status, 401, "{header:?}");
        assert_eq!(error["errorCode"], "E0000011");
    }
}

#[tokio::test]
async fn armed_faults_reach_the_client() {
    let sandbox = start().await;
    let base = &sandbox.base_url;
    let token = okta_token(base).await;
    let okta = client(base);
    // Warm the login → id cache so each call below is one request.
    okta.user_groups(&token, "bob@example.com").await.unwrap();

    arm(base, "okta", json!({ "fault": "unauthorized" })).await;
    assert_eq!(
        okta.user_groups(&token, "bob@example.com").await,
        Err(OktaError::Unauthorized)
    );
    arm(base, "okta", json!({ "fault": "down" })).await;
    assert_eq!(
        okta.user_groups(&token, "bob@example.com").await,
        Err(OktaError::Unavailable)
    );
    // A reset within the client's backoff bound is waited out.
    arm(
        base,
        "okta",
        json!({ "fault": "rate_limit", "reset_in_seconds": 1, "times": 1 }),
    )
    .await;
    assert_eq!(
        okta.user_groups(&token, "bob@example.com").await.unwrap(),
        ["Engineering", "VPN Users", "Everyone"]
    );
    // A later one is reported with its wait.
    arm(
        base,
        "okta",
        json!({ "fault": "rate_limit", "reset_in_seconds": 30, "times": 1 }),
    )
    .await;
    match okta.user_groups(&token, "bob@example.com").await {
        Err(OktaError::RateLimited(wait)) => assert!((28..=30).contains(&wait), "{wait}"),
        other => panic!("expected a rate limit, got {other:?}"),
    }
    assert!(okta.user_groups(&token, "bob@example.com").await.is_ok());
}

#[tokio::test]
async fn rate_limits_carry_okta_headers() {
    let sandbox = start().await;
    let base = &sandbox.base_url;
    arm(
        base,
        "okta",
        json!({ "fault": "rate_limit", "reset_in_seconds": 5 }),
    )
    .await;
    let response = http()
        .get(format!("{base}/okta/api/v1/users/bob@example.com"))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 429);
    let reset: i64 = response.headers()["x-rate-limit-reset"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    let now = chrono::Utc::now().timestamp();
    assert!((now + 3..=now + 5).contains(&reset), "{reset} vs {now}");
    assert_eq!(response.headers()["x-rate-limit-remaining"], "0");
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["errorCode"], "E0000047");
}

#[tokio::test]
async fn password_resets_are_recorded() {
    let sandbox = start().await;
    let base = &sandbox.base_url;
    let token = okta_token(base).await;
    let okta = client(base);

    let link = okta
        .reset_password(&token, "bob@example.com", false)
        .await
        .unwrap()
        .expect("a reset link when no email is sent");
    assert!(
        link.expose_secret()
            .starts_with(&format!("{base}/okta/reset/"))
    );
    assert!(
        okta.reset_password(&token, "alice@example.com", true)
            .await
            .unwrap()
            .is_none()
    );
    assert_eq!(
        okta.reset_password(&token, "nobody@example.com", true)
            .await
            .err(),
        Some(OktaError::NoSuchUser("nobody@example.com".into()))
    );

    let resets = get_json(&format!("{base}/__sandbox/okta/resets")).await;
    let resets = resets.as_array().unwrap();
    assert_eq!(resets.len(), 2);
    assert_eq!(resets[0]["login"], "bob@example.com");
    assert_eq!(resets[0]["sendEmail"], false);
    assert_eq!(resets[1]["login"], "alice@example.com");
    assert_eq!(resets[1]["sendEmail"], true);
    assert!(chrono::DateTime::parse_from_rfc3339(resets[0]["at"].as_str().unwrap()).is_ok());

    let page = http().get(link.expose_secret()).send().await.unwrap();
    assert_eq!(page.status(), 200);
    assert!(page.text().await.unwrap().contains("bob@example.com"));
    let unknown = http()
        .get(format!("{base}/okta/reset/forged"))
        .send()
        .await
        .unwrap();
    assert_eq!(unknown.status(), 404);
}
