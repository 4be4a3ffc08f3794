//! The Management API's user search by email and the client-credentials
//! tokens that call it, over HTTP as Auth0 documents the wire
//! (https://auth0.com/docs/api/management/v2/users-by-email/get-users-by-email).

use serde_json::{Value, json};

use crate::custodian::arm;
use crate::support::*;

/// `https://{domain}/api/v2/`: the tenant's URL, `/api/v2/`, trailing slash.
fn management_audience(base: &str) -> String {
    format!("{base}/api/v2/")
}

async fn client_credentials(base: &str, extra: &[(&str, &str)]) -> (u16, Value) {
    let mut form = vec![("grant_type", "client_credentials")];
    form.extend_from_slice(extra);
    token_request(base, CLIENT_SECRET, &form).await
}

/// A Management API token with the whole grant.
async fn management_token(base: &str) -> String {
    let audience = management_audience(base);
    let (status, body) = client_credentials(base, &[("audience", &audience)]).await;
    assert_eq!(status, 200, "{body}");
    body["access_token"].as_str().unwrap().to_owned()
}

/// `GET /api/v2/users-by-email` with this query and bearer token.
async fn users_by_email(base: &str, query: &[(&str, &str)], token: Option<&str>) -> (u16, Value) {
    let mut request = http()
        .get(format!("{base}/api/v2/users-by-email"))
        .query(query);
    if let Some(token) = token {
        request = request.bearer_auth(token);
    }
    let response = request.send().await.unwrap();
    let status = response.status().as_u16();
    (status, response.json().await.unwrap())
}

fn invalid_token() -> Value {
    json!({
        "statusCode": 401, "error": "Unauthorized", "message": "Invalid token",
        "attributes": { "error": "Invalid token" },
    })
}

#[tokio::test]
async fn client_credentials_give_a_signed_management_token() {
    let sandbox = start().await;
    let base = &sandbox.base_url;
    let audience = management_audience(base);
    let (status, body) = client_credentials(base, &[("audience", &audience)]).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["token_type"], "Bearer");
    assert_eq!(body["scope"], "read:users");
    assert_eq!(body["expires_in"], 86_400);
    assert!(body.get("id_token").is_none() && body.get("refresh_token").is_none());

    let (header, claims, _) = jwt_parts(body["access_token"].as_str().unwrap());
    let jwks = get_json(&format!("{base}/.well-known/jwks.json")).await;
    assert_eq!(header["alg"], "RS256");
    assert_eq!(header["kid"], jwks["keys"][0]["kid"]);
    assert_eq!(claims["iss"], format!("{base}/"));
    assert_eq!(claims["aud"], audience);
    assert_eq!(claims["sub"], format!("{CLIENT_ID}@clients"));
    assert_eq!(claims["azp"], CLIENT_ID);
    assert_eq!(claims["gty"], "client-credentials");
    assert_eq!(claims["scope"], "read:users");
    let lifetime = claims["exp"].as_i64().unwrap() - claims["iat"].as_i64().unwrap();
    assert_eq!(lifetime, 86_400);
}

#[tokio::test]
async fn client_credentials_also_come_as_json_with_the_secret_in_the_body() {
    let sandbox = start().await;
    let base = &sandbox.base_url;
    let response = http()
        .post(format!("{base}/oauth/token"))
        .json(&json!({
            "grant_type": "client_credentials", "client_id": CLIENT_ID,
            "client_secret": CLIENT_SECRET, "audience": management_audience(base),
            "scope": "read:users",
        }))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["scope"], "read:users");

    let (status, body) = token_request(
        base,
        "wrong secret",
        &[
            ("grant_type", "client_credentials"),
            ("audience", &management_audience(base)),
        ],
    )
    .await;
    assert_eq!((status, &body["error"]), (401, &json!("invalid_client")));
}

#[tokio::test]
async fn client_credentials_are_refused_beyond_the_client_grant() {
    let sandbox = start().await;
    let base = &sandbox.base_url;
    let audience = management_audience(base);
    let refusals = [
        (
            vec![
                ("audience", audience.as_str()),
                ("scope", "read:users update:users"),
            ],
            "Client has not been granted scopes: update:users".to_owned(),
        ),
        (
            vec![("audience", "https://other.example/api/v2/")],
            "Service not found: https://other.example/api/v2/".to_owned(),
        ),
        (
            vec![("audience", sandbox::DEFAULT_API_AUDIENCE)],
            format!(
                "Client \"{CLIENT_ID}\" is not authorized to access resource server \"{}\". \
                 You need to create a \"client-grant\" associated to this API.",
                sandbox::DEFAULT_API_AUDIENCE
            ),
        ),
        (
            vec![],
            "Non-global clients are not allowed access to APIv1".to_owned(),
        ),
    ];
    for (extra, description) in refusals {
        let (status, body) = client_credentials(base, &extra).await;
        assert_eq!(status, 403, "{extra:?}: {body}");
        assert_eq!(
            body,
            json!({ "error": "access_denied", "error_description": description })
        );
    }
}

#[tokio::test]
async fn users_are_found_by_their_exact_email() {
    let sandbox = start().await;
    let base = &sandbox.base_url;
    let token = management_token(base).await;

    let (status, users) =
        users_by_email(base, &[("email", "admin@example.com")], Some(&token)).await;
    assert_eq!(status, 200, "{users}");
    assert_eq!(
        users,
        json!([{
            "user_id": ADMIN_SUB,
            "email": "admin@example.com",
            "email_verified": true,
            "name": "Alex Admin",
            "nickname": "admin",
            "identities": [{
                "connection": CONNECTION, "provider": "oidc",
                "user_id": "00uadmin0001", "isSocial": false,
            }],
            "created_at": "2026-01-05T09:00:00.000Z",
            "updated_at": "2026-01-05T09:00:00.000Z",
        }])
    );

    // Auth0 documents this search as exact and case-sensitive.
    for email in ["nobody@example.com", "Admin@Example.com", "admin@example"] {
        let (status, users) = users_by_email(base, &[("email", email)], Some(&token)).await;
        assert_eq!((status, users), (200, json!([])), "{email}");
    }

    // After a key rotation the previous key stays published, so a token it
    // signed is still accepted.
    let rotated = http()
        .post(format!("{base}/__sandbox/keys/rotate"))
        .send()
        .await
        .unwrap();
    assert_eq!(rotated.status(), 200);
    let query = [("email", "helpdesk@example.com")];
    let (status, users) = users_by_email(base, &query, Some(&token)).await;
    assert_eq!(status, 200, "{users}");
    assert_eq!(users[0]["user_id"], HELPDESK_SUB);
}

#[tokio::test]
async fn the_search_wants_a_live_management_token_with_read_users() {
    let sandbox = start().await;
    let base = &sandbox.base_url;
    let query = [("email", "admin@example.com")];

    let (status, body) = users_by_email(base, &query, None).await;
    assert_eq!((status, body), (401, invalid_token()));

    // A signed token of this tenant, but for the application (an ID
    // token), and an opaque access token for the tenant's own API.
    let login = admin_login(base).await;
    let (status, tokens) = exchange(base, &login).await;
    assert_eq!(status, 200, "{tokens}");
    for token in [&tokens["id_token"], &tokens["access_token"]] {
        let (status, body) = users_by_email(base, &query, token.as_str()).await;
        assert_eq!((status, body), (401, invalid_token()));
    }

    // A management token whose payload was altered no longer verifies.
    let token = management_token(base).await;
    let mut parts: Vec<&str> = token.split('.').collect();
    let (_, mut forged, _) = jwt_parts(&token);
    forged["scope"] = json!("read:users update:users");
    let payload = base64_url(&forged);
    parts[1] = &payload;
    let (status, body) = users_by_email(base, &query, Some(&parts.join("."))).await;
    assert_eq!((status, body), (401, invalid_token()));
}

fn base64_url(value: &Value) -> String {
    use base64::Engine;
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(serde_json::to_vec(value).unwrap())
}

#[tokio::test]
async fn a_missing_email_fails_query_validation() {
    let sandbox = start().await;
    let base = &sandbox.base_url;
    let token = management_token(base).await;
    let description = "Email address to search for (case-sensitive).";
    for (query, problem) in [
        (vec![], "Missing required property: email"),
        (
            vec![("email", "")],
            "String is too short (0 chars), minimum 1",
        ),
    ] {
        let (status, body) = users_by_email(base, &query, Some(&token)).await;
        assert_eq!(status, 400, "{body}");
        assert_eq!(
            body,
            json!({
                "statusCode": 400, "error": "Bad Request",
                "message": format!("Query validation error: '{problem}' on property email ({description})."),
                "errorCode": "invalid_query_string",
            })
        );
    }
}

#[tokio::test]
async fn armed_faults_reach_the_search() {
    let sandbox = start().await;
    let base = &sandbox.base_url;
    let token = management_token(base).await;
    let query = [("email", "admin@example.com")];

    arm(
        base,
        "management",
        json!({ "fault": "rate_limit", "reset_in_seconds": 2 }),
    )
    .await;
    let response = http()
        .get(format!("{base}/api/v2/users-by-email"))
        .query(&query)
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 429);
    let reset: i64 = response.headers()["x-ratelimit-reset"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!(reset >= chrono::Utc::now().timestamp(), "{reset}");
    assert_eq!(response.headers()["x-ratelimit-remaining"], "0");
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["errorCode"], "too_many_requests");

    arm(base, "management", json!({ "fault": "down" })).await;
    let (status, body) = users_by_email(base, &query, Some(&token)).await;
    assert_eq!((status, &body["statusCode"]), (503, &json!(503)));

    let (status, users) = users_by_email(base, &query, Some(&token)).await;
    assert_eq!(
        (status, users.as_array().map(Vec::len)),
        (200, Some(1)),
        "faults end"
    );
}
