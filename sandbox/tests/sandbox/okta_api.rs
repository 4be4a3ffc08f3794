//! The Okta stand-in through the real `core` client: only Token Vault
//! tokens, Okta's errors, rate limits and recorded resets.

use std::time::Duration;

use custodian_core::okta::{OktaClient, OktaError};
use custodian_core::outbound::CallCounter;
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
    let response = okta_raw(base, reqwest::Method::GET, path, token).await;
    (response.status().as_u16(), response.json().await.unwrap())
}

async fn okta_raw(
    base: &str,
    method: reqwest::Method,
    path: &str,
    token: &str,
) -> reqwest::Response {
    http()
        .request(method, format!("{base}/okta/api/v1/{path}"))
        .header("authorization", token)
        .send()
        .await
        .unwrap()
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
               "firstName": "Bob", "lastName": "Builder",
               "mobilePhone": null, "secondEmail": null})
    );
    let (status, groups) = okta_get(base, "users/00ub0b1/groups", &bearer).await;
    assert_eq!(status, 200);
    assert_eq!(groups[0]["type"], "OKTA_GROUP");
    assert_eq!(groups[0]["profile"]["name"], "Engineering");
    assert!(groups[0]["profile"]["description"].is_string());
    let (status, error) = okta_get(base, "users/nobody@example.com", &bearer).await;
    assert_eq!(status, 404);
    assert_eq!(error["errorCode"], "E0000007");
    assert_eq!(
        error["errorSummary"],
        "Not found: Resource not found: nobody@example.com (User)"
    );
    assert_eq!(error["errorLink"], "E0000007");
    assert_eq!(error["errorCauses"], json!([]));
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

/// The `Link` headers of a response, as `(target, rel)`.
fn links(response: &reqwest::Response) -> Vec<(String, String)> {
    response
        .headers()
        .get_all("link")
        .iter()
        .map(|value| {
            let value = value.to_str().unwrap();
            let (target, rel) = value.split_once(">; rel=").unwrap();
            (
                target.trim_start_matches('<').to_owned(),
                rel.trim_matches('"').to_owned(),
            )
        })
        .collect()
}

#[tokio::test]
async fn logins_with_a_plus_resolve_encoded_or_not() {
    let sandbox = start().await;
    let base = &sandbox.base_url;
    let token = okta_token(base).await;
    let bearer = format!("Bearer {}", token.expose_secret());

    for path in ["users/bob%2Bit%40example.com", "users/bob+it@example.com"] {
        let (status, user) = okta_get(base, path, &bearer).await;
        assert_eq!(status, 200, "{path}");
        assert_eq!(user["id"], "00ub0b2it", "a + in a path is a plus: {path}");
        assert_eq!(user["profile"]["login"], "bob+it@example.com");
    }
    assert_eq!(
        client(base)
            .user_groups(&token, "bob+it@example.com")
            .await
            .unwrap(),
        ["VPN Users", "Everyone"]
    );
    // `bob it@…` is another login, not the same one.
    let (status, _) = okta_get(base, "users/bob%20it%40example.com", &bearer).await;
    assert_eq!(status, 404);

    let (_, user) = okta_get(base, "users/00ub0b2it", &bearer).await;
    for field in [
        "created",
        "activated",
        "statusChanged",
        "lastLogin",
        "lastUpdated",
        "passwordChanged",
    ] {
        let text = user[field]
            .as_str()
            .unwrap_or_else(|| panic!("{field}: {user}"));
        assert!(
            chrono::DateTime::parse_from_rfc3339(text).is_ok(),
            "{field}"
        );
    }
    assert_eq!(
        user["credentials"]["provider"],
        json!({"type": "OKTA", "name": "OKTA"})
    );
    assert!(user["type"]["id"].is_string());
    let reset = &user["_links"]["resetPassword"];
    assert_eq!(reset["hints"], json!({"allow": ["POST"]}));
    assert_eq!(
        reset["href"],
        format!("{base}/okta/api/v1/users/00ub0b2it/lifecycle/reset_password")
    );
}

#[tokio::test]
async fn groups_come_in_pages_that_link_to_the_next() {
    let sandbox = start().await;
    let base = &sandbox.base_url;
    let token = okta_token(base).await;
    let bearer = format!("Bearer {}", token.expose_secret());
    let groups = format!("{base}/okta/api/v1/users/00ugr4ce/groups");

    // Okta's default (and largest) page is 200.
    let first = okta_raw(base, reqwest::Method::GET, "users/00ugr4ce/groups", &bearer).await;
    assert_eq!(first.status(), 200);
    let first_links = links(&first);
    let first_page: Vec<Value> = first.json().await.unwrap();
    assert_eq!(first_page.len(), 200);
    let last_id = first_page[199]["id"].as_str().unwrap();
    assert_eq!(
        first_links,
        [
            (format!("{groups}?limit=200"), "self".to_owned()),
            (
                format!("{groups}?after={last_id}&limit=200"),
                "next".to_owned()
            ),
        ]
    );
    let next = http()
        .get(&first_links[1].0)
        .header("authorization", &bearer)
        .send()
        .await
        .unwrap();
    assert_eq!(links(&next).len(), 1, "the last page links only to itself");
    let second_page: Vec<Value> = next.json().await.unwrap();
    assert_eq!(second_page.len(), 50);

    // A larger limit is capped; smaller pages chain until the end.
    let (_, capped) = okta_get(base, "users/00ugr4ce/groups?limit=1000", &bearer).await;
    assert_eq!(capped.as_array().unwrap().len(), 200);
    let mut url = Some(format!("{groups}?limit=100"));
    let mut pages = Vec::new();
    while let Some(page) = url.take() {
        let response = http()
            .get(&page)
            .header("authorization", &bearer)
            .send()
            .await
            .unwrap();
        url = links(&response)
            .into_iter()
            .find(|(_, rel)| rel == "next")
            .map(|(t, _)| t);
        pages.push(response.json::<Vec<Value>>().await.unwrap().len());
    }
    assert_eq!(pages, [100, 100, 50]);

    for query in ["limit=0", "limit=ten", "after=00gnotmine"] {
        let (status, error) =
            okta_get(base, &format!("users/00ugr4ce/groups?{query}"), &bearer).await;
        assert_eq!(status, 400, "{query}");
        assert_eq!(error["errorCode"], "E0000001", "{query}");
        assert!(
            error["errorCauses"][0]["errorSummary"].is_string(),
            "{query}: {error}"
        );
    }

    // The client reads every page.
    let names = client(base)
        .user_groups(&token, "grace@example.com")
        .await
        .unwrap();
    assert_eq!(names.len(), 250);
    assert_eq!(names[0], "Everyone");
    assert_eq!(names[249], "Project 249");
    let mut distinct = names;
    distinct.sort_unstable();
    distinct.dedup();
    assert_eq!(distinct.len(), 250);
}

#[tokio::test]
async fn every_answer_reports_the_rate_limit_window() {
    let sandbox = start().await;
    let base = &sandbox.base_url;
    let token = okta_token(base).await;
    let bearer = format!("Bearer {}", token.expose_secret());
    let number = |response: &reqwest::Response, name: &str| -> i64 {
        response.headers()[name].to_str().unwrap().parse().unwrap()
    };

    let mut seen = Vec::new();
    for (path, auth, expected) in [
        ("users/bob@example.com", bearer.as_str(), 200),
        ("users/nobody@example.com", bearer.as_str(), 404),
        ("users/bob@example.com", "SSWS an-api-key", 401),
    ] {
        let response = okta_raw(base, reqwest::Method::GET, path, auth).await;
        assert_eq!(response.status(), expected);
        assert_eq!(number(&response, "x-rate-limit-limit"), 600);
        assert!(response.headers()["x-okta-request-id"].len() >= 16);
        seen.push((
            number(&response, "x-rate-limit-remaining"),
            number(&response, "x-rate-limit-reset"),
        ));
    }
    let now = chrono::Utc::now().timestamp();
    for pair in seen.windows(2) {
        let ((before, reset_before), (after, reset_after)) = (pair[0], pair[1]);
        // Each request spends one, unless a new window opened in between.
        assert!(
            after == before - 1 || reset_after > reset_before,
            "{seen:?}"
        );
    }
    assert!(
        seen.iter()
            .all(|(_, reset)| (now..=now + 60).contains(reset)),
        "{seen:?}"
    );
}

#[tokio::test]
async fn suspended_and_deactivated_users_cannot_be_reset() {
    let sandbox = start().await;
    let base = &sandbox.base_url;
    let token = okta_token(base).await;
    let bearer = format!("Bearer {}", token.expose_secret());
    let okta = client(base);

    for (login, id, status, words) in [
        (
            "sam@example.com",
            "00us4m",
            "SUSPENDED",
            "the account is suspended",
        ),
        (
            "dana@example.com",
            "00ud4n4",
            "DEPROVISIONED",
            "the account is deactivated",
        ),
    ] {
        let (_, user) = okta_get(base, &format!("users/{login}"), &bearer).await;
        assert_eq!(user["status"], status);
        assert!(user["_links"].get("resetPassword").is_none(), "{user}");
        let path = format!("users/{id}/lifecycle/reset_password?sendEmail=false");
        let response = okta_raw(base, reqwest::Method::POST, &path, &bearer).await;
        assert_eq!(response.status(), 403, "{login}");
        let error: Value = response.json().await.unwrap();
        assert_eq!(error["errorCode"], "E0000038");
        assert_eq!(
            error["errorSummary"],
            "This operation is not allowed in the user's current status."
        );
        let refused = okta.reset_password(&token, login, false).await.unwrap_err();
        assert_eq!(
            refused,
            OktaError::NotAllowedInStatus {
                login: login.into(),
                status: Some(status.into())
            }
        );
        assert!(refused.to_string().contains(words), "{refused}");
        // Their groups are still readable.
        assert!(okta.user_groups(&token, login).await.is_ok());
    }
    let resets = get_json(&format!("{base}/__sandbox/okta/resets")).await;
    assert_eq!(resets, json!([]), "nothing was reset");

    // A reset moves the user to RECOVERY, where another reset is allowed.
    okta.reset_password(&token, "bob@example.com", true)
        .await
        .unwrap();
    let (_, bob) = okta_get(base, "users/bob@example.com", &bearer).await;
    assert_eq!(bob["status"], "RECOVERY");
    assert!(bob["_links"]["resetPassword"].is_object());
    assert!(
        okta.reset_password(&token, "bob@example.com", false)
            .await
            .unwrap()
            .is_some()
    );

    let path = "users/00ub0b1/lifecycle/reset_password?sendEmail=maybe";
    let response = okta_raw(base, reqwest::Method::POST, path, &bearer).await;
    assert_eq!(response.status(), 400);
    let error: Value = response.json().await.unwrap();
    assert_eq!(error["errorCode"], "E0000001");
    assert!(
        error["errorCauses"][0]["errorSummary"]
            .as_str()
            .unwrap()
            .contains("sendEmail")
    );
    assert_eq!(
        okta.reset_password(&token, "bob@example.com", true)
            .await
            .map(|_| ()),
        Ok(()),
    );
}
