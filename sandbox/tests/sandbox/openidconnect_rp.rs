//! A real relying party (the `openidconnect` crate) against the sandbox IdP:
//! discovery, code exchange with PKCE, ID token verification, refresh, userinfo.

use openidconnect::core::{CoreAuthenticationFlow, CoreClient, CoreProviderMetadata};
use openidconnect::{
    AuthorizationCode, ClientId, ClientSecret, CsrfToken, IssuerUrl, Nonce, OAuth2TokenResponse,
    PkceCodeChallenge, RedirectUrl, Scope, TokenResponse,
};

use crate::support::*;

#[tokio::test]
async fn the_openidconnect_crate_signs_in_against_the_sandbox() {
    let sandbox = start().await;
    let base = &sandbox.base_url;
    let rp_http = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();

    let issuer = IssuerUrl::new(format!("{base}/")).unwrap();
    let metadata = CoreProviderMetadata::discover_async(issuer, &rp_http)
        .await
        .expect("discovery");
    let client = CoreClient::from_provider_metadata(
        metadata,
        ClientId::new(CLIENT_ID.into()),
        Some(ClientSecret::new(CLIENT_SECRET.into())),
    )
    .set_redirect_uri(RedirectUrl::new(REDIRECT_URI.into()).unwrap());

    let (challenge, verifier) = PkceCodeChallenge::new_random_sha256();
    let (authorize_url, csrf, nonce) = client
        .authorize_url(
            CoreAuthenticationFlow::AuthorizationCode,
            CsrfToken::new_random,
            Nonce::new_random,
        )
        .add_scope(Scope::new("profile".into()))
        .add_scope(Scope::new("email".into()))
        .add_scope(Scope::new("offline_access".into()))
        .add_extra_param("connection", CONNECTION)
        .set_pkce_challenge(challenge)
        .url();

    // The browser's part: the login page and the redirect back.
    let browser = http();
    let (request_id, _) = open_login(&browser, authorize_url.as_str(), None).await;
    let response = submit_login(
        &browser,
        base,
        &request_id,
        "helpdesk@example.com",
        "helpdesk-demo",
    )
    .await;
    let (code, state) = callback_params(&response);
    assert_eq!(&state, csrf.secret());

    let tokens = client
        .exchange_code(AuthorizationCode::new(code))
        .unwrap()
        .set_pkce_verifier(verifier)
        .request_async(&rp_http)
        .await
        .expect("code exchange");
    let id_token = tokens.id_token().expect("an ID token");
    let claims = id_token
        .claims(&client.id_token_verifier(), &nonce)
        .expect("the ID token verifies");
    assert_eq!(claims.subject().as_str(), "oidc|Okta-OIDC|00uhelp0002");
    assert_eq!(claims.email().unwrap().as_str(), "helpdesk@example.com");
    assert_eq!(claims.email_verified(), Some(true));

    let userinfo: openidconnect::core::CoreUserInfoClaims = client
        .user_info(
            tokens.access_token().clone(),
            Some(claims.subject().clone()),
        )
        .unwrap()
        .request_async(&rp_http)
        .await
        .expect("userinfo");
    assert_eq!(userinfo.email().unwrap().as_str(), "helpdesk@example.com");

    let refresh_token = tokens.refresh_token().expect("a refresh token");
    let refreshed = client
        .exchange_refresh_token(refresh_token)
        .unwrap()
        .request_async(&rp_http)
        .await
        .expect("refresh");
    let refreshed_claims = refreshed
        .id_token()
        .expect("a refreshed ID token")
        .claims(&client.id_token_verifier(), |_: Option<&Nonce>| Ok(()))
        .expect("the refreshed ID token verifies");
    assert_eq!(refreshed_claims.subject(), claims.subject());
}
