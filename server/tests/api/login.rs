//! Sign-in: the happy path and every way a callback can be bad.

use reqwest::StatusCode;

use crate::helpers::{ADMIN, browser, session_cookie, spawn_app};

#[tokio::test]
async fn signing_in_creates_a_session_with_a_locked_down_cookie() {
    let app = spawn_app().await;
    let client = browser();
    let callback = app.authorize(&client, ADMIN).await;
    let response = client.get(&callback).send().await.unwrap();
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    assert_eq!(response.headers()["location"], "/");
    let cookie = session_cookie(&response).expect("a session cookie");
    for attribute in ["HttpOnly", "SameSite=Lax", "Path=/"] {
        assert!(cookie.contains(attribute), "{cookie}");
    }
    let value = crate::helpers::cookie_value(&cookie);
    assert!(value.len() >= 22, "at least 128 bits of id");

    let page = app.page(&client, "/").await;
    assert!(
        page.contains("Alex Admin"),
        "the chat greets the user by name"
    );
    assert!(
        !page.contains("href=\"/login\""),
        "no sign-in link when signed in"
    );
}

#[tokio::test]
async fn the_return_path_survives_sign_in_but_only_on_this_site() {
    let app = spawn_app().await;
    for (asked, expected) in [
        ("/c/abc", "/c/abc"),
        ("//evil.example/x", "/"),
        ("https://evil.example", "/"),
    ] {
        let client = browser();
        let response = client
            .get(app.url("/login"))
            .query(&[("return_to", asked)])
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), StatusCode::SEE_OTHER);
        let callback = finish_authorize(&app, &client, &crate::helpers::location(&response)).await;
        let response = client.get(&callback).send().await.unwrap();
        assert_eq!(response.headers()["location"], expected, "{asked}");
    }
}

async fn finish_authorize(
    app: &crate::helpers::TestApp,
    client: &reqwest::Client,
    authorize: &str,
) -> String {
    let response =
        test_support::login_page::sign_in(client, &app.sandbox_url, authorize, ADMIN).await;
    crate::helpers::location(&response)
}

fn with_query(url: &str, name: &str, value: &str) -> String {
    let mut url = url::Url::parse(url).unwrap();
    let pairs: Vec<(String, String)> = url
        .query_pairs()
        .map(|(k, v)| {
            let v = if k == name {
                value.to_owned()
            } else {
                v.into_owned()
            };
            (k.into_owned(), v)
        })
        .collect();
    url.query_pairs_mut().clear().extend_pairs(pairs);
    url.to_string()
}

fn query_value(url: &str, name: &str) -> String {
    url::Url::parse(url)
        .unwrap()
        .query_pairs()
        .find(|(k, _)| k == name)
        .unwrap()
        .1
        .into_owned()
}

async fn assert_refused(response: reqwest::Response, status: StatusCode, says: &str) {
    assert_eq!(response.status(), status);
    assert!(
        session_cookie(&response).is_none(),
        "no session after a refused sign-in"
    );
    let page = response.text().await.unwrap();
    assert!(page.contains("Sign-in failed"), "{page}");
    assert!(page.contains(says), "expected {says:?} in {page}");
}

#[tokio::test]
async fn a_wrong_state_is_refused() {
    let app = spawn_app().await;
    let client = browser();
    let callback = app.authorize(&client, ADMIN).await;
    let response = client
        .get(with_query(&callback, "state", "forged"))
        .send()
        .await
        .unwrap();
    assert_refused(
        response,
        StatusCode::BAD_REQUEST,
        "does not belong to this browser",
    )
    .await;
}

#[tokio::test]
async fn a_replayed_state_is_refused_even_with_its_cookie() {
    let app = spawn_app().await;
    let client = browser();
    let callback = app.authorize(&client, ADMIN).await;
    assert_eq!(
        client.get(&callback).send().await.unwrap().status(),
        StatusCode::SEE_OTHER
    );

    // An attacker who captured both the URL and the login cookie.
    let state = query_value(&callback, "state");
    let replay = browser()
        .get(&callback)
        .header("cookie", format!("custodian_login={state}"))
        .send()
        .await
        .unwrap();
    assert_refused(replay, StatusCode::BAD_REQUEST, "already used").await;
}

#[tokio::test]
async fn a_replayed_code_is_refused() {
    let app = spawn_app().await;
    let client = browser();
    let first = app.authorize(&client, ADMIN).await;
    assert_eq!(
        client.get(&first).send().await.unwrap().status(),
        StatusCode::SEE_OTHER
    );

    // A fresh attempt in the same browser, answered with the old code.
    let second = app.authorize(&client, ADMIN).await;
    let replay = with_query(&second, "code", &query_value(&first, "code"));
    let response = client.get(&replay).send().await.unwrap();
    assert_refused(response, StatusCode::UNAUTHORIZED, "refused the sign-in").await;
}

#[tokio::test]
async fn id_tokens_failing_validation_are_refused() {
    let app = spawn_app().await;
    for (fault, says) in [
        ("wrong_issuer", "unexpected issuer"),
        ("wrong_audience", "another application"),
        ("wrong_nonce", "another sign-in attempt"),
        ("bad_signature", "signature is invalid"),
        ("alg_none", "refused the sign-in"),
        ("expired", "expired"),
        ("future_issue_time", "issued in the future"),
        ("stale_issue_time", "issued too long ago"),
        ("foreign_authorized_party", "issued to another application"),
        ("unlisted_algorithm", "algorithm Custodian does not accept"),
        ("unverified_email", "has not verified this account"),
    ] {
        app.inject_id_token_fault(fault).await;
        let client = browser();
        let callback = app.authorize(&client, ADMIN).await;
        let response = client.get(&callback).send().await.unwrap();
        assert_eq!(response.status(), StatusCode::UNAUTHORIZED, "{fault}");
        assert!(session_cookie(&response).is_none(), "{fault}: no session");
        let page = response.text().await.unwrap();
        assert!(page.contains(says), "{fault}: expected {says:?} in {page}");
        let home = app.page(&client, "/").await;
        assert!(
            home.contains("href=\"/login\""),
            "{fault}: still signed out"
        );
    }
}

#[tokio::test]
async fn a_cancelled_sign_in_is_explained() {
    let app = spawn_app().await;
    let response = browser()
        .get(app.url("/callback?error=access_denied&error_description=nope"))
        .send()
        .await
        .unwrap();
    assert_refused(response, StatusCode::UNAUTHORIZED, "cancelled or refused").await;
}

/// A token response Custodian cannot parse is Custodian's failure, and the
/// page says so instead of blaming the provider.
#[tokio::test]
async fn an_unreadable_token_response_is_reported_as_ours() {
    let app = spawn_app().await;
    app.inject_id_token_fault("malformed_claim").await;
    let client = browser();
    let callback = app.authorize(&client, ADMIN).await;
    let response = client.get(&callback).send().await.unwrap();
    assert_eq!(response.status(), StatusCode::BAD_GATEWAY);
    assert!(session_cookie(&response).is_none());
    let page = response.text().await.unwrap();
    assert!(page.contains("fault in Custodian"), "{page}");
    assert!(!page.contains("refused"), "{page}");
}

/// Auth0 rotates signing keys without notice to relying parties: a token
/// signed with a key published after start-up still signs in.
#[tokio::test]
async fn a_signing_key_rotation_needs_no_restart() {
    let app = spawn_app().await;
    let first = browser();
    let callback = app.authorize(&first, ADMIN).await;
    let response = first.get(&callback).send().await.unwrap();
    assert!(
        session_cookie(&response).is_some(),
        "signed in before rotation"
    );

    let rotated = reqwest::Client::new()
        .post(format!("{}/__sandbox/keys/rotate", app.sandbox_url))
        .send()
        .await
        .unwrap();
    assert!(rotated.status().is_success());

    let second = browser();
    let callback = app.authorize(&second, ADMIN).await;
    let response = second.get(&callback).send().await.unwrap();
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    assert!(
        session_cookie(&response).is_some(),
        "signed in after rotation"
    );
}
