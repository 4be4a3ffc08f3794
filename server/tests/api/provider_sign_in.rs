//! Sign-in, refusal and sign-out against the certified provider shaped
//! like Auth0 (see `certified_provider`).

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use reqwest::{Client, StatusCode};
use serde_json::{Value, json};

use crate::certified_provider::{ADMIN_EMAIL, CertifiedProvider};
use crate::helpers::{TestApp, browser, location, session_cookie};

/// Part `index` (0 header, 1 claims) of the ID token the session behind
/// the `Set-Cookie` value `cookie` holds.
async fn stored_id_token_part(app: &TestApp, cookie: &str, index: usize) -> Value {
    let tokens = app.tokens_of_cookie(cookie).await;
    let part = tokens[1].split('.').nth(index).expect("a JWT");
    serde_json::from_slice(&URL_SAFE_NO_PAD.decode(part).unwrap()).unwrap()
}

/// Signs in and expects the chat, greeting the admin by name.
async fn assert_signs_in(provider: &CertifiedProvider, app: &TestApp) -> (Client, String) {
    let client = browser();
    let response = provider.sign_in(app, &client, ADMIN_EMAIL).await;
    let status = response.status();
    let cookie = session_cookie(&response);
    let body = response.text().await.unwrap();
    assert_eq!(status, StatusCode::SEE_OTHER, "{body}");
    let cookie = cookie.expect("a session cookie");
    let page = app.page(&client, "/").await;
    assert!(page.contains("Alex Admin"), "the chat greets the user");
    assert!(!page.contains("href=\"/login\""), "signed in");
    (client, cookie)
}

#[tokio::test]
async fn auth0_shaped_claims_including_a_string_updated_at_sign_in() {
    let provider = CertifiedProvider::start().await;
    let app = provider.spawn_app().await;
    let (_, cookie) = assert_signs_in(&provider, &app).await;

    // What the BFF accepted is what Auth0 sends.
    let claims = stored_id_token_part(&app, &cookie, 1).await;
    assert_eq!(claims["updated_at"], "2026-11-30T10:08:02.554Z");
    assert!(claims["aud"].is_string(), "{claims}");
    for claim in ["name", "nickname", "picture", "sid"] {
        assert!(claims[claim].is_string(), "{claim} in {claims}");
    }
    assert_eq!(claims["email_verified"], true);
    assert_eq!(claims["iss"], provider.issuer.as_str());
}

#[tokio::test]
async fn id_tokens_a_real_provider_could_send_wrongly_are_refused() {
    let provider = CertifiedProvider::start().await;
    let app = provider.spawn_app().await;
    for (behaviour, says) in [
        (json!({ "futureIat": true }), "issued in the future"),
        (json!({ "staleIat": true }), "issued too long ago"),
        (
            json!({ "foreignAzp": true }),
            "issued to another application",
        ),
        (
            json!({ "idTokenAlg": "ES256" }),
            "signed with an algorithm Custodian does not accept",
        ),
        (
            json!({ "unverifiedEmail": true }),
            "has not verified this account",
        ),
    ] {
        provider.behave(behaviour.clone()).await;
        let client = browser();
        let response = provider.sign_in(&app, &client, ADMIN_EMAIL).await;
        assert_eq!(response.status(), StatusCode::UNAUTHORIZED, "{behaviour}");
        assert!(
            session_cookie(&response).is_none(),
            "{behaviour}: no session"
        );
        let page = response.text().await.unwrap();
        assert!(page.contains("Sign-in failed"), "{behaviour}: {page}");
        assert!(
            page.contains(says),
            "{behaviour}: expected {says:?} in {page}"
        );
        assert!(
            app.page(&client, "/").await.contains("href=\"/login\""),
            "{behaviour}: still signed out"
        );
        provider
            .behave(json!({
                "futureIat": false, "staleIat": false, "foreignAzp": false,
                "idTokenAlg": "RS256", "unverifiedEmail": false,
            }))
            .await;
    }
    // The same BFF still accepts a good token afterwards.
    assert_signs_in(&provider, &app).await;
}

#[tokio::test]
async fn a_connection_the_application_does_not_have_ends_with_the_providers_refusal() {
    let provider = CertifiedProvider::start().await;
    let app = provider.spawn_app().await;
    provider
        .register_with_connection(&app, "another-connection")
        .await;
    let client = browser();
    let response = provider.sign_in(&app, &client, ADMIN_EMAIL).await;
    assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
    assert!(session_cookie(&response).is_none());
    let page = response.text().await.unwrap();
    assert!(
        page.contains("cancelled or refused by the identity provider"),
        "{page}"
    );
}

#[tokio::test]
async fn a_signing_key_rotation_needs_no_restart() {
    let provider = CertifiedProvider::start().await;
    let app = provider.spawn_app().await;
    let (_, before) = assert_signs_in(&provider, &app).await;
    let rotated = provider.control("rotate-keys", Some(json!({}))).await;
    let (_, after) = assert_signs_in(&provider, &app).await;

    // The second ID token really was signed with the new key.
    let old = stored_id_token_part(&app, &before, 0).await["kid"].clone();
    let new = stored_id_token_part(&app, &after, 0).await["kid"].clone();
    assert_ne!(old, new);
    assert_eq!(new, rotated["kid"]);
}

#[tokio::test]
async fn signing_out_ends_the_provider_session_and_returns_to_custodian() {
    let provider = CertifiedProvider::start().await;
    let app = provider.spawn_app().await;
    let (client, _) = assert_signs_in(&provider, &app).await;
    // The provider remembers the user: no form the second time.
    let (again, forms) = provider
        .sign_in_counting_forms(&app, &client, ADMIN_EMAIL)
        .await;
    assert_eq!((again.status(), forms), (StatusCode::SEE_OTHER, 0));

    let response = app.sign_out(&client).await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let logout = location(&response);
    assert!(logout.starts_with(&provider.url("/v2/logout")), "{logout}");

    // Auth0's /v2/logout redirects only to an allowed `returnTo` of the
    // named client: it does here.
    let response = client.get(&logout).send().await.unwrap();
    assert!(response.status().is_redirection(), "{}", response.status());
    assert_eq!(location(&response), app.url("/"));
    assert!(app.page(&client, "/").await.contains("href=\"/login\""));

    // The provider's session ended too: signing in asks who you are again.
    let (again, forms) = provider
        .sign_in_counting_forms(&app, &client, ADMIN_EMAIL)
        .await;
    assert_eq!((again.status(), forms), (StatusCode::SEE_OTHER, 1));
}
