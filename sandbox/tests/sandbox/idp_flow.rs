//! The authorization-code flow with PKCE, refresh and userinfo, over raw HTTP.
//! Refusals carry Auth0's statuses: `invalid_grant` is a 403.

use serde_json::Value;

use crate::support::*;

#[tokio::test]
async fn discovery_and_jwks_describe_the_sandbox() {
    let sandbox = start().await;
    let base = &sandbox.base_url;
    let doc = get_json(&format!("{base}/.well-known/openid-configuration")).await;
    let iss = format!("{base}/");
    assert_eq!(doc["issuer"], iss);
    assert_eq!(doc["authorization_endpoint"], format!("{iss}authorize"));
    assert_eq!(doc["token_endpoint"], format!("{iss}oauth/token"));
    assert_eq!(doc["userinfo_endpoint"], format!("{iss}userinfo"));
    assert_eq!(doc["jwks_uri"], format!("{iss}.well-known/jwks.json"));
    assert_eq!(doc["end_session_endpoint"], format!("{iss}v2/logout"));
    assert_eq!(doc["response_types_supported"], serde_json::json!(["code"]));
    assert_eq!(
        doc["subject_types_supported"],
        serde_json::json!(["public"])
    );
    // What an Auth0 tenant's discovery document lists; Custodian accepts
    // only the algorithms its settings allow.
    assert_eq!(
        doc["id_token_signing_alg_values_supported"],
        serde_json::json!(["HS256", "RS256", "PS256"])
    );
    assert_eq!(
        doc["code_challenge_methods_supported"],
        serde_json::json!(["S256"])
    );
    assert_eq!(
        doc["token_endpoint_auth_methods_supported"],
        serde_json::json!(["client_secret_basic", "client_secret_post"])
    );

    let jwks = get_json(&format!("{base}/.well-known/jwks.json")).await;
    let key = &jwks["keys"][0];
    assert_eq!(key["kty"], "RSA");
    assert_eq!(key["use"], "sig");
    assert!(key["kid"].as_str().is_some_and(|kid| !kid.is_empty()));
    // A 2048-bit modulus is 256 bytes: 342 base64url characters.
    assert_eq!(key["n"].as_str().unwrap().len(), 342);
}

#[tokio::test]
async fn code_flow_issues_tokens_and_codes_are_single_use() {
    let sandbox = start().await;
    let base = &sandbox.base_url;
    let login = admin_login(base).await;

    let (status, tokens) = exchange(base, &login).await;
    assert_eq!(status, 200, "{tokens}");
    assert_eq!(tokens["token_type"], "Bearer");
    assert_eq!(tokens["expires_in"], 3600);
    assert_eq!(tokens["scope"], SCOPE);
    assert!(
        tokens["refresh_token"].is_string(),
        "offline_access was asked for"
    );

    let (header, claims, signature) = jwt_parts(tokens["id_token"].as_str().unwrap());
    let jwks = get_json(&format!("{base}/.well-known/jwks.json")).await;
    assert_eq!(header["alg"], "RS256");
    assert_eq!(header["kid"], jwks["keys"][0]["kid"]);
    assert!(!signature.is_empty());
    assert_eq!(claims["iss"], format!("{base}/"));
    assert_eq!(audience(&claims), [CLIENT_ID]);
    assert_eq!(claims["sub"], "oidc|Okta-OIDC|00uadmin0001");
    assert_eq!(claims["email"], "admin@example.com");
    assert_eq!(claims["email_verified"], true);
    assert_eq!(claims["name"], "Alex Admin");
    assert_eq!(claims["nonce"], login.nonce);
    let iat = claims["iat"].as_i64().unwrap();
    assert_eq!(claims["exp"].as_i64().unwrap() - iat, 3600);
    assert!(claims["auth_time"].as_i64().unwrap() <= iat);
    // Auth0's profile claims ("User Profile Structure"): `updated_at` is an
    // ISO-8601 string with milliseconds, `aud` a single string.
    assert!(claims["aud"].is_string(), "{claims}");
    let updated_at = claims["updated_at"]
        .as_str()
        .expect("updated_at as a string");
    assert!(
        chrono::DateTime::parse_from_rfc3339(updated_at).is_ok() && updated_at.ends_with('Z'),
        "{updated_at}"
    );
    assert_eq!(updated_at.len(), "2026-11-30T10:08:02.554Z".len());
    assert_eq!(claims["nickname"], "admin");
    assert!(
        claims["picture"]
            .as_str()
            .is_some_and(|p| p.starts_with("https://"))
    );
    assert!(claims["sid"].as_str().is_some_and(|s| !s.is_empty()));
    assert!(claims.get("azp").is_none());

    let (status, again) = exchange(base, &login).await;
    assert_eq!(
        (status, again["error"].as_str()),
        (403, Some("invalid_grant"))
    );

    let access_token = tokens["access_token"].as_str().unwrap();
    let userinfo = http()
        .get(format!("{base}/userinfo"))
        .bearer_auth(access_token)
        .send()
        .await
        .unwrap();
    assert_eq!(userinfo.status(), 200);
    let userinfo: Value = userinfo.json().await.unwrap();
    assert_eq!(userinfo["sub"], "oidc|Okta-OIDC|00uadmin0001");
    assert_eq!(userinfo["email"], "admin@example.com");
    assert_eq!(userinfo["name"], "Alex Admin");

    let anonymous = http().get(format!("{base}/userinfo")).send().await.unwrap();
    assert_eq!(anonymous.status(), 401);
    let forged = http()
        .get(format!("{base}/userinfo"))
        .bearer_auth("not-a-token")
        .send()
        .await
        .unwrap();
    assert_eq!(forged.status(), 401);
}

#[tokio::test]
async fn no_refresh_token_without_offline_access() {
    let sandbox = start().await;
    let base = &sandbox.base_url;
    let login = login(base, "user@example.com", "user-demo", "openid email").await;
    let (status, tokens) = exchange(base, &login).await;
    assert_eq!(status, 200);
    assert_eq!(tokens["scope"], "openid email");
    assert!(tokens.get("refresh_token").is_none());
}

#[tokio::test]
async fn a_wrong_verifier_is_refused_and_burns_the_code() {
    let sandbox = start().await;
    let base = &sandbox.base_url;
    let login = admin_login(base).await;
    let wrong = Pkce::new();
    let form = [
        ("grant_type", "authorization_code"),
        ("code", login.code.as_str()),
        ("redirect_uri", REDIRECT_URI),
        ("code_verifier", wrong.verifier.as_str()),
    ];
    let (status, body) = token_request(base, CLIENT_SECRET, &form).await;
    assert_eq!(
        (status, body["error"].as_str()),
        (403, Some("invalid_grant"))
    );

    let (status, body) = exchange(base, &login).await;
    assert_eq!(
        (status, body["error"].as_str()),
        (403, Some("invalid_grant"))
    );
}

#[tokio::test]
async fn a_missing_verifier_is_refused() {
    let sandbox = start().await;
    let base = &sandbox.base_url;
    let login = admin_login(base).await;
    let form = [
        ("grant_type", "authorization_code"),
        ("code", login.code.as_str()),
        ("redirect_uri", REDIRECT_URI),
    ];
    let (status, body) = token_request(base, CLIENT_SECRET, &form).await;
    assert_eq!(
        (status, body["error"].as_str()),
        (403, Some("invalid_grant"))
    );
}

#[tokio::test]
async fn a_wrong_redirect_uri_is_refused_at_the_token_endpoint() {
    let sandbox = start().await;
    let base = &sandbox.base_url;
    let login = admin_login(base).await;
    let form = [
        ("grant_type", "authorization_code"),
        ("code", login.code.as_str()),
        ("redirect_uri", "http://localhost:3000/other"),
        ("code_verifier", login.pkce.verifier.as_str()),
    ];
    let (status, body) = token_request(base, CLIENT_SECRET, &form).await;
    assert_eq!(
        (status, body["error"].as_str()),
        (403, Some("invalid_grant"))
    );
}

#[tokio::test]
async fn a_wrong_client_secret_is_refused_by_either_method() {
    let sandbox = start().await;
    let base = &sandbox.base_url;
    let login = admin_login(base).await;
    let grant = [
        ("grant_type", "authorization_code"),
        ("code", login.code.as_str()),
        ("redirect_uri", REDIRECT_URI),
        ("code_verifier", login.pkce.verifier.as_str()),
    ];
    let (status, body) = token_request(base, "wrong", &grant).await;
    assert_eq!(
        (status, body["error"].as_str()),
        (401, Some("invalid_client"))
    );

    let with_post_auth = |secret| {
        let mut form = grant.to_vec();
        form.extend([("client_id", CLIENT_ID), ("client_secret", secret)]);
        form
    };
    let (status, body) = post_token_form(base, &with_post_auth("wrong")).await;
    assert_eq!(
        (status, body["error"].as_str()),
        (401, Some("invalid_client"))
    );

    // Client authentication comes first, so the code survived the attempts
    // above and `client_secret_post` with the right secret redeems it.
    let (status, body) = post_token_form(base, &with_post_auth(CLIENT_SECRET)).await;
    assert_eq!(status, 200, "{body}");
}

#[tokio::test]
async fn the_refresh_grant_issues_new_tokens() {
    let sandbox = start().await;
    let base = &sandbox.base_url;
    let login = admin_login(base).await;
    let (_, tokens) = exchange(base, &login).await;
    let refresh_token = tokens["refresh_token"].as_str().unwrap();
    let refresh = [
        ("grant_type", "refresh_token"),
        ("refresh_token", refresh_token),
    ];

    for _ in 0..2 {
        let (status, refreshed) = token_request(base, CLIENT_SECRET, &refresh).await;
        assert_eq!(status, 200, "{refreshed}");
        assert_ne!(refreshed["access_token"], tokens["access_token"]);
        assert_eq!(refreshed["scope"], SCOPE);
        let (_, claims, _) = jwt_parts(refreshed["id_token"].as_str().unwrap());
        assert_eq!(claims["sub"], "oidc|Okta-OIDC|00uadmin0001");
        assert!(claims.get("nonce").is_none());
    }

    let widened = [
        ("grant_type", "refresh_token"),
        ("refresh_token", refresh_token),
        ("scope", "openid admin:everything"),
    ];
    let (status, body) = token_request(base, CLIENT_SECRET, &widened).await;
    assert_eq!(
        (status, body["error"].as_str()),
        (400, Some("invalid_scope"))
    );

    let bogus = [("grant_type", "refresh_token"), ("refresh_token", "bogus")];
    let (status, body) = token_request(base, CLIENT_SECRET, &bogus).await;
    assert_eq!(
        (status, body["error"].as_str()),
        (403, Some("invalid_grant"))
    );

    let (status, body) = token_request(base, "wrong", &refresh).await;
    assert_eq!(
        (status, body["error"].as_str()),
        (401, Some("invalid_client"))
    );
}

#[tokio::test]
async fn other_grant_types_are_unsupported() {
    let sandbox = start().await;
    // The resource owner password grant: Custodian never asks for passwords.
    let form = [("grant_type", "password")];
    let (status, body) = token_request(&sandbox.base_url, CLIENT_SECRET, &form).await;
    assert_eq!(status, 400);
    assert_eq!(body["error"], "unsupported_grant_type");
    assert!(body["error_description"].is_string());
}

#[tokio::test]
async fn the_tenant_api_may_be_named_at_sign_in() {
    let sandbox = start().await;
    let base = &sandbox.base_url;
    let mut url =
        url::Url::parse(&authorize_url(base, SCOPE, "n", &Pkce::new().challenge)).unwrap();
    url.query_pairs_mut()
        .append_pair("audience", sandbox::DEFAULT_API_AUDIENCE);
    let (request_id, _) = open_login(&http(), url.as_str(), None).await;
    assert!(!request_id.is_empty());
}

#[tokio::test]
async fn bad_authorize_requests_get_an_error_page_never_a_redirect() {
    let sandbox = start().await;
    let base = &sandbox.base_url;
    let challenge = Pkce::new().challenge;
    let good = authorize_url(base, SCOPE, "n", &challenge);
    let cases = [
        ("client_id", Some("someone-else")),
        ("redirect_uri", Some("https://evil.example.com/callback")),
        ("code_challenge_method", Some("plain")),
        ("code_challenge_method", None),
        ("code_challenge", None),
        ("response_type", Some("token")),
        ("scope", Some("profile")),
        ("connection", Some("Other-Connection")),
        ("audience", Some("https://other.example/api")),
    ];
    for (name, value) in cases {
        let mut url = url::Url::parse(&good).unwrap();
        let pairs: Vec<(String, String)> = url
            .query_pairs()
            .filter(|(k, _)| k != name)
            .map(|(k, v)| (k.into_owned(), v.into_owned()))
            .collect();
        {
            let mut query = url.query_pairs_mut();
            query.clear().extend_pairs(&pairs);
            if let Some(value) = value {
                query.append_pair(name, value);
            }
        }
        let response = http().get(url.as_str()).send().await.unwrap();
        assert_eq!(response.status(), 400, "{name}={value:?}");
        assert!(response.headers().get("location").is_none());
        let html = response.text().await.unwrap();
        assert!(html.contains("Sign-in request rejected"), "{name}");
    }
}
