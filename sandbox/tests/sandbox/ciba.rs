//! CIBA on the sandbox IdP through the real `core` client: `/bc-authorize`
//! validation, poll spacing, approval, denial, expiry and outages.

use std::time::Duration;

use custodian_core::auth0::{CibaClient, CibaError, CibaPoll, OidcLogin};
use custodian_core::outbound::CallCounter;
use secrecy::{ExposeSecret, SecretString};
use serde_json::{Value, json};

use crate::custodian::*;
use crate::support::*;

struct Ciba {
    sandbox: sandbox::RunningSandbox,
    client: CibaClient,
    login: OidcLogin,
    _dir: tempfile::TempDir,
}

impl Ciba {
    async fn start() -> Self {
        let sandbox = start().await;
        let dir = tempfile::tempdir().unwrap();
        let settings = settings(&sandbox.base_url, dir.path());
        let callback = url::Url::parse(REDIRECT_URI).unwrap();
        Self {
            client: CibaClient::new(&settings.auth0, CallCounter::default()),
            login: OidcLogin::new(&settings.auth0, &callback).unwrap(),
            sandbox,
            _dir: dir,
        }
    }

    fn base(&self) -> &str {
        &self.sandbox.base_url
    }

    async fn requests(&self) -> Vec<Value> {
        let list = get_json(&format!("{}/__sandbox/ciba/requests", self.base())).await;
        list.as_array().unwrap().clone()
    }

    /// The only request's admin handle.
    async fn handle(&self) -> String {
        let requests = self.requests().await;
        assert_eq!(requests.len(), 1);
        requests[0]["handle"].as_str().unwrap().to_owned()
    }

    async fn admin(&self, handle: &str, decision: &str, body: Option<Value>) -> reqwest::Response {
        let mut request = http().post(format!(
            "{}/__sandbox/ciba/requests/{handle}/{decision}",
            self.base()
        ));
        if let Some(body) = body {
            request = request.json(&body);
        }
        request.send().await.unwrap()
    }
}

/// Fields to replace, and the status and error code they must get.
type Refusal<'a> = (&'a [(&'a str, &'a str)], u16, &'a str);

#[tokio::test]
async fn bc_authorize_validates_every_field() {
    let ciba = Ciba::start().await;
    let base = ciba.base();

    let (status, body) = bc_authorize(base, &[]).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["expires_in"], 120);
    assert_eq!(body["interval"], 1);
    let auth_req_id = body["auth_req_id"].as_str().unwrap();

    let requests = ciba.requests().await;
    assert_eq!(requests.len(), 1);
    let request = &requests[0];
    assert_ne!(
        request["handle"], auth_req_id,
        "the handle is not the secret"
    );
    assert!(!request.to_string().contains(auth_req_id));
    assert_eq!(request["sub"], ADMIN_SUB);
    assert_eq!(request["binding_message"], BINDING_MESSAGE);
    assert_eq!(request["state"], "pending");
    assert_eq!(request["polls"], json!([]));
    let lifetime =
        request["expires_at"].as_i64().unwrap() - request["created_at"].as_i64().unwrap();
    assert_eq!(lifetime, 120_000);

    let other_issuer =
        json!({ "format": "iss_sub", "iss": "https://tenant.auth0.com/", "sub": ADMIN_SUB })
            .to_string();
    let unknown_user =
        json!({ "format": "iss_sub", "iss": format!("{base}/"), "sub": "auth0|nobody" })
            .to_string();
    let refusals: [Refusal; 11] = [
        (&[("scope", "profile")], 400, "invalid_scope"),
        (
            &[("binding_message", "Reset bob@example.com")],
            400,
            "invalid_binding_message",
        ),
        (
            &[("binding_message", &"a".repeat(65))],
            400,
            "invalid_binding_message",
        ),
        (&[("binding_message", "")], 400, "invalid_binding_message"),
        (
            &[("login_hint", "admin@example.com")],
            400,
            "invalid_request",
        ),
        (&[("login_hint", &other_issuer)], 400, "invalid_request"),
        (&[("login_hint", &unknown_user)], 400, "unknown_user_id"),
        (&[("requested_expiry", "0")], 400, "invalid_request"),
        (&[("requested_expiry", "301")], 400, "invalid_request"),
        (&[("requested_expiry", "soon")], 400, "invalid_request"),
        (&[("client_secret", "wrong")], 401, "invalid_client"),
    ];
    for (overrides, status, error) in refusals {
        let (got, body) = bc_authorize(base, overrides).await;
        assert_eq!(
            (got, body["error"].as_str()),
            (status, Some(error)),
            "{overrides:?}"
        );
    }
    assert_eq!(ciba.requests().await.len(), 1, "refusals start nothing");

    // The production client refuses a bad message before sending it.
    assert!(matches!(
        ciba.client
            .start(ADMIN_SUB, "Reset bob@example.com", 60, &details())
            .await,
        Err(CibaError::InvalidBindingMessage(_))
    ));
}

#[tokio::test]
async fn early_polls_slow_down_and_grow_the_interval() {
    let ciba = Ciba::start().await;
    let request = ciba
        .client
        .start(ADMIN_SUB, BINDING_MESSAGE, 120, &details())
        .await
        .unwrap();
    assert_eq!(request.interval, 1);

    assert!(matches!(
        ciba.client.poll(&request.auth_req_id).await,
        CibaPoll::Pending
    ));
    // A client that waits the interval is answered normally.
    tokio::time::sleep(Duration::from_secs(request.interval as u64)).await;
    assert!(matches!(
        ciba.client.poll(&request.auth_req_id).await,
        CibaPoll::Pending
    ));
    // One that does not is told to slow down, and the interval grows by 5 s.
    assert!(matches!(
        ciba.client.poll(&request.auth_req_id).await,
        CibaPoll::SlowDown
    ));

    let requests = ciba.requests().await;
    let polls: Vec<i64> = serde_json::from_value(requests[0]["polls"].clone()).unwrap();
    assert_eq!(polls.len(), 3);
    assert!(polls[1] - polls[0] >= 1000, "{polls:?}");
    assert!(polls[2] - polls[1] < 1000, "{polls:?}");
    assert_eq!(requests[0]["interval"], 6);
}

#[tokio::test]
async fn an_approval_yields_a_valid_id_token_once() {
    let ciba = Ciba::start().await;
    let request = ciba
        .client
        .start(ADMIN_SUB, BINDING_MESSAGE, 120, &details())
        .await
        .unwrap();
    let handle = ciba.handle().await;

    let approved = ciba.admin(&handle, "approve", None).await;
    assert_eq!(approved.status(), 200);
    assert_eq!(ciba.admin(&handle, "deny", None).await.status(), 409);
    assert_eq!(
        ciba.admin("no-such-handle", "deny", None).await.status(),
        404
    );

    let CibaPoll::Approved { id_token } = ciba.client.poll(&request.auth_req_id).await else {
        panic!("expected an approval");
    };
    let (header, claims, _) = jwt_parts(id_token.expose_secret());
    assert_eq!(header["alg"], "RS256");
    assert_eq!(claims["iss"], format!("{}/", ciba.base()));
    assert_eq!(audience(&claims), [CLIENT_ID]);
    assert_eq!(claims["sub"], ADMIN_SUB);
    assert!(claims.get("nonce").is_none());
    assert!(claims["exp"].as_i64().unwrap() > claims["iat"].as_i64().unwrap());
    assert_eq!(
        ciba.login.verify_ciba_id_token(&id_token).await.unwrap(),
        ADMIN_SUB
    );

    tokio::time::sleep(Duration::from_secs(request.interval as u64)).await;
    assert!(
        matches!(
            ciba.client.poll(&request.auth_req_id).await,
            CibaPoll::Invalid
        ),
        "tokens are issued once"
    );
}

#[tokio::test]
async fn an_approval_by_someone_else_names_them() {
    let ciba = Ciba::start().await;
    let request = ciba
        .client
        .start(ADMIN_SUB, BINDING_MESSAGE, 120, &details())
        .await
        .unwrap();
    let handle = ciba.handle().await;
    let bogus = ciba
        .admin(&handle, "approve", Some(json!({ "sub": "auth0|nobody" })))
        .await;
    assert_eq!(bogus.status(), 400);
    let approved = ciba
        .admin(&handle, "approve", Some(json!({ "sub": HELPDESK_SUB })))
        .await;
    assert_eq!(approved.status(), 200);
    let CibaPoll::Approved { id_token } = ciba.client.poll(&request.auth_req_id).await else {
        panic!("expected an approval");
    };
    assert_eq!(
        ciba.login.verify_ciba_id_token(&id_token).await.unwrap(),
        HELPDESK_SUB
    );
}

#[tokio::test]
async fn denial_expiry_and_unknown_requests_are_final() {
    let ciba = Ciba::start().await;
    let denied = ciba
        .client
        .start(ADMIN_SUB, BINDING_MESSAGE, 120, &details())
        .await
        .unwrap();
    let handle = ciba.handle().await;
    assert_eq!(ciba.admin(&handle, "deny", None).await.status(), 200);
    assert!(matches!(
        ciba.client.poll(&denied.auth_req_id).await,
        CibaPoll::Denied
    ));

    let forged = SecretString::from("forged-auth-req-id".to_owned());
    assert!(matches!(ciba.client.poll(&forged).await, CibaPoll::Invalid));

    let short = ciba
        .client
        .start(ADMIN_SUB, BINDING_MESSAGE, 1, &details())
        .await
        .unwrap();
    assert_eq!(short.expires_in, 1);
    // Waiting out the expiry the request asked for.
    tokio::time::sleep(Duration::from_secs(1)).await;
    assert!(matches!(
        ciba.client.poll(&short.auth_req_id).await,
        CibaPoll::Expired
    ));
    let states: Vec<Value> = ciba
        .requests()
        .await
        .iter()
        .map(|r| r["state"].clone())
        .collect();
    assert_eq!(states, [json!("denied"), json!("expired")]);
}

#[tokio::test]
async fn the_admin_api_expires_a_pending_request_now() {
    let ciba = Ciba::start().await;
    let request = ciba
        .client
        .start(ADMIN_SUB, BINDING_MESSAGE, 120, &details())
        .await
        .unwrap();
    let handle = ciba.handle().await;
    assert_eq!(
        ciba.admin("no-such-handle", "expire", None).await.status(),
        404
    );
    assert_eq!(ciba.admin(&handle, "expire", None).await.status(), 200);
    assert_eq!(ciba.requests().await[0]["state"], "expired");
    assert!(matches!(
        ciba.client.poll(&request.auth_req_id).await,
        CibaPoll::Expired
    ));
    assert_eq!(ciba.admin(&handle, "expire", None).await.status(), 409);
    assert_eq!(ciba.admin(&handle, "approve", None).await.status(), 409);
}

#[tokio::test]
async fn an_outage_keeps_the_request_alive() {
    let ciba = Ciba::start().await;
    let request = ciba
        .client
        .start(ADMIN_SUB, BINDING_MESSAGE, 120, &details())
        .await
        .unwrap();
    arm(ciba.base(), "ciba", json!({ "fault": "down", "times": 1 })).await;
    assert!(matches!(
        ciba.client.poll(&request.auth_req_id).await,
        CibaPoll::Unreachable
    ));
    assert!(matches!(
        ciba.client.poll(&request.auth_req_id).await,
        CibaPoll::Pending
    ));
}

#[tokio::test]
async fn a_rate_limit_is_no_verdict_and_says_when_to_come_back() {
    let ciba = Ciba::start().await;
    let request = ciba
        .client
        .start(ADMIN_SUB, BINDING_MESSAGE, 120, &details())
        .await
        .unwrap();
    arm(
        ciba.base(),
        "ciba",
        json!({ "fault": "rate_limit", "reset_in_seconds": 30 }),
    )
    .await;
    let CibaPoll::RateLimited {
        retry_after_seconds: Some(wait),
    } = ciba.client.poll(&request.auth_req_id).await
    else {
        panic!("a 429 too_many_requests is Auth0's rate limit");
    };
    // From X-RateLimit-Reset, whole seconds on both clocks.
    assert!((29..=31).contains(&wait), "{wait}");
    assert!(matches!(
        ciba.client.poll(&request.auth_req_id).await,
        CibaPoll::Pending
    ));
}
