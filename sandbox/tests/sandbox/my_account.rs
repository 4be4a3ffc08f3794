//! The My Account API's Connected Accounts endpoints and the connect page,
//! through the real `core` client and raw requests, and Token Vault's
//! answer before, while and after an account is connected.

use custodian_core::auth0::{MyAccount, MyAccountError, TokenVault, TokenVaultError};
use custodian_core::okta::{OktaClient, OktaError};
use custodian_core::outbound::CallCounter;
use reqwest::header::{AUTHORIZATION, LOCATION};
use secrecy::{ExposeSecret, SecretString};
use serde_json::{Value, json};
use url::Url;

use crate::custodian::*;
use crate::support::*;

const NEWCOMER: (&str, &str) = ("newcomer@example.com", "newcomer-demo");

struct Clients {
    my_account: MyAccount,
    vault: TokenVault,
    okta: OktaClient,
    _dir: tempfile::TempDir,
}

fn clients(base: &str) -> Clients {
    let dir = tempfile::tempdir().unwrap();
    let settings = settings(base, dir.path());
    Clients {
        my_account: MyAccount::new(&settings.auth0, CallCounter::default()),
        vault: TokenVault::new(&settings.auth0, CallCounter::default()),
        okta: OktaClient::new(&settings.okta.domain, CallCounter::default()),
        _dir: dir,
    }
}

async fn refresh_token(base: &str, (email, password): (&str, &str)) -> SecretString {
    let tokens = tokens_for(base, email, password).await;
    SecretString::from(tokens["refresh_token"].as_str().unwrap().to_owned())
}

/// Opens the connect page at `url` and answers it; returns the redirect.
async fn answer_consent(url: &Url, button: &str) -> Url {
    let page = http().get(url.clone()).send().await.unwrap();
    assert_eq!(page.status(), 200);
    let html = page.text().await.unwrap();
    assert!(
        html.contains("Nia Newcomer") && html.contains("okta.groups.read"),
        "{html}"
    );
    let ticket = hidden_value(&html, "ticket");
    let answer = http()
        .post(url.join(&format!("/connect/{button}")).unwrap())
        .form(&[("ticket", ticket.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(answer.status(), 303);
    Url::parse(answer.headers()[LOCATION].to_str().unwrap()).unwrap()
}

fn param(url: &Url, name: &str) -> Option<String> {
    url.query_pairs()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.into_owned())
}

#[tokio::test]
async fn token_vault_exchanges_only_while_the_okta_account_is_connected() {
    let sandbox = start().await;
    let base = &sandbox.base_url;
    let c = clients(base);
    let refresh = refresh_token(base, NEWCOMER).await;
    let redirect = Url::parse(REDIRECT_URI).unwrap();

    assert_eq!(
        c.vault.okta_token("before", Some(&refresh)).await.err(),
        Some(TokenVaultError::NotConnected)
    );
    let token = c.my_account.access_token(Some(&refresh)).await.unwrap();
    assert!(c.my_account.accounts(&token).await.unwrap().is_empty());

    let started = c.my_account.start(&token, &redirect).await.unwrap();
    assert_eq!(started.url.path(), "/connect");
    assert!(param(&started.url, "ticket").is_some());
    let back = answer_consent(&started.url, "allow").await;
    assert!(back.as_str().starts_with(REDIRECT_URI), "{back}");
    assert_eq!(
        param(&back, "state").as_deref(),
        Some(started.state.expose_secret())
    );
    let code = param(&back, "connect_code").expect("a connect code");
    let account = c
        .my_account
        .complete(
            &token,
            &started.auth_session,
            &code,
            &redirect,
            &started.pkce_verifier,
        )
        .await
        .unwrap();
    assert_eq!(account.connection, CONNECTION);
    assert!(account.id.starts_with("cac_"));
    assert!(account.scopes.iter().any(|s| s == "okta.groups.read"));
    assert_eq!(c.my_account.accounts(&token).await.unwrap(), vec![account]);

    let okta_token = c.vault.okta_token("while", Some(&refresh)).await.unwrap();
    assert!(
        c.okta
            .user_groups(&okta_token, "bob@example.com")
            .await
            .is_ok()
    );

    assert_eq!(c.my_account.disconnect(&token).await.unwrap(), 1);
    assert!(c.my_account.accounts(&token).await.unwrap().is_empty());
    assert_eq!(
        c.vault.okta_token("after", Some(&refresh)).await.err(),
        Some(TokenVaultError::NotConnected)
    );
    assert_eq!(
        c.okta
            .user_groups(&okta_token, "bob@example.com")
            .await
            .err(),
        Some(OktaError::Unauthorized),
        "tokens minted while connected end with the connection"
    );
}

#[tokio::test]
async fn demo_users_start_connected_and_a_denied_consent_connects_nothing() {
    let sandbox = start().await;
    let base = &sandbox.base_url;
    let c = clients(base);
    let admin = refresh_token(base, ("admin@example.com", "admin-demo")).await;
    let token = c.my_account.access_token(Some(&admin)).await.unwrap();
    assert_eq!(c.my_account.accounts(&token).await.unwrap().len(), 1);

    let refresh = refresh_token(base, NEWCOMER).await;
    let token = c.my_account.access_token(Some(&refresh)).await.unwrap();
    let started = c
        .my_account
        .start(&token, &Url::parse(REDIRECT_URI).unwrap())
        .await
        .unwrap();
    let back = answer_consent(&started.url, "deny").await;
    assert_eq!(param(&back, "error").as_deref(), Some("access_denied"));
    assert_eq!(
        param(&back, "state").as_deref(),
        Some(started.state.expose_secret())
    );
    assert_eq!(param(&back, "connect_code"), None);
    // The ticket was used up by the answer.
    let again = http().get(started.url.clone()).send().await.unwrap();
    assert_eq!(again.status(), 400);
    assert!(c.my_account.accounts(&token).await.unwrap().is_empty());
}

/// A raw My Account call with an optional bearer token and JSON body.
async fn call(
    method: reqwest::Method,
    url: &str,
    token: Option<&str>,
    body: Option<Value>,
) -> (u16, Value) {
    let mut request = http().request(method, url);
    if let Some(token) = token {
        request = request.header(AUTHORIZATION, format!("Bearer {token}"));
    }
    if let Some(body) = body {
        request = request.json(&body);
    }
    let response = request.send().await.unwrap();
    let status = response.status().as_u16();
    (status, response.json().await.unwrap_or(Value::Null))
}

#[tokio::test]
async fn refusals_come_as_problem_details() {
    let sandbox = start().await;
    let base = &sandbox.base_url;
    let connect = format!("{base}/me/v1/connected-accounts/connect");
    let complete = format!("{base}/me/v1/connected-accounts/complete");
    let tokens = tokens_for(base, NEWCOMER.0, NEWCOMER.1).await;
    let refresh = tokens["refresh_token"].as_str().unwrap();
    let me = format!("{base}/me/");

    let (status, body) = call(reqwest::Method::POST, &connect, None, Some(json!({}))).await;
    assert_eq!(
        (status, body["status"].as_u64()),
        (401, Some(401)),
        "{body}"
    );
    let sign_in_token = tokens["access_token"].as_str().unwrap();
    let (status, _) = call(
        reqwest::Method::POST,
        &connect,
        Some(sign_in_token),
        Some(json!({})),
    )
    .await;
    assert_eq!(status, 401, "a sign-in token is not for the My Account API");

    // Only the policy's scopes, and each call needs its own.
    let form = |scope: &'static str| {
        [
            ("grant_type", "refresh_token"),
            ("refresh_token", refresh),
            ("audience", me.as_str()),
            ("scope", scope),
        ]
    };
    let (status, body) = token_request(
        base,
        CLIENT_SECRET,
        &form("openid read:me:connected_accounts"),
    )
    .await;
    assert_eq!(
        (status, body["error"].as_str()),
        (400, Some("invalid_scope")),
        "{body}"
    );
    let (status, body) =
        token_request(base, CLIENT_SECRET, &form("read:me:connected_accounts")).await;
    assert_eq!(status, 200, "{body}");
    let read_only = body["access_token"].as_str().unwrap().to_owned();
    let (status, body) = call(
        reqwest::Method::POST,
        &connect,
        Some(&read_only),
        Some(json!({})),
    )
    .await;
    assert_eq!(
        (status, body["title"].as_str()),
        (403, Some("Forbidden")),
        "{body}"
    );

    let (_, body) = token_request(base, CLIENT_SECRET, &form("create:me:connected_accounts")).await;
    let token = body["access_token"].as_str().unwrap().to_owned();
    let (status, body) = call(
        reqwest::Method::POST,
        &connect,
        Some(&token),
        Some(json!({ "redirect_uri": REDIRECT_URI })),
    )
    .await;
    assert_eq!(status, 400);
    assert_eq!(body["type"], "https://auth0.com/api-errors/A0E-400-0003");
    assert_eq!(body["validation_errors"][0]["pointer"], "/connection");

    let pkce = Pkce::new();
    let request = json!({
        "connection": CONNECTION, "redirect_uri": REDIRECT_URI, "state": "s1",
        "code_challenge": pkce.challenge, "code_challenge_method": "S256",
    });
    let (status, started) =
        call(reqwest::Method::POST, &connect, Some(&token), Some(request)).await;
    assert_eq!(status, 201, "{started}");
    assert_eq!(started["expires_in"], 300);
    assert_eq!(started["connect_uri"], format!("{base}/connect"));
    let finish = json!({
        "auth_session": started["auth_session"], "connect_code": "made-up",
        "redirect_uri": REDIRECT_URI, "code_verifier": pkce.verifier,
    });
    let (status, body) = call(
        reqwest::Method::POST,
        &complete,
        Some(&token),
        Some(finish.clone()),
    )
    .await;
    assert_eq!(
        (status, body["detail"].as_str()),
        (404, Some("Invalid or expired session"))
    );
    let (status, _) = call(reqwest::Method::POST, &complete, Some(&token), Some(finish)).await;
    assert_eq!(
        status, 404,
        "a session is used once, even by a failed attempt"
    );

    let gone = format!("{base}/me/v1/connected-accounts/accounts/cac_nothing");
    let (_, body) = token_request(base, CLIENT_SECRET, &form("delete:me:connected_accounts")).await;
    let delete_token = body["access_token"].as_str().unwrap();
    let (status, _) = call(reqwest::Method::DELETE, &gone, Some(delete_token), None).await;
    assert_eq!(status, 404);
    let c = clients(base);
    let token = SecretString::from(token);
    assert_eq!(
        c.my_account.accounts(&token).await.err(),
        Some(MyAccountError::Refused {
            status: 403,
            title: "Forbidden".into()
        })
    );
}
