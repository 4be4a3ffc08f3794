//! Each armed fault breaks exactly the next ID token, in exactly its way.

use openidconnect::core::{CoreIdToken, CoreIdTokenVerifier, CoreJsonWebKeySet};
use openidconnect::{ClientId, ClientSecret, IssuerUrl, Nonce};
use serde_json::{Value, json};

use crate::support::*;

async fn arm(base: &str, fault: &str) -> reqwest::Response {
    http()
        .post(format!("{base}/__sandbox/faults/id-token"))
        .json(&json!({ "fault": fault }))
        .send()
        .await
        .unwrap()
}

/// Logs in and returns the raw ID token and the nonce it should carry.
async fn next_id_token(base: &str) -> (String, String) {
    let login = admin_login(base).await;
    let (status, tokens) = exchange(base, &login).await;
    assert_eq!(status, 200, "{tokens}");
    (tokens["id_token"].as_str().unwrap().to_owned(), login.nonce)
}

/// Whether a real relying party accepts the token.
async fn verifies(base: &str, id_token: &str, nonce: &str) -> bool {
    let jwks: CoreJsonWebKeySet =
        serde_json::from_value(get_json(&format!("{base}/.well-known/jwks.json")).await).unwrap();
    let verifier = CoreIdTokenVerifier::new_confidential_client(
        ClientId::new(CLIENT_ID.into()),
        ClientSecret::new(CLIENT_SECRET.into()),
        IssuerUrl::new(format!("{base}/")).unwrap(),
        jwks,
    );
    let Ok(token) = id_token.parse::<CoreIdToken>() else {
        return false;
    };
    token.claims(&verifier, &Nonce::new(nonce.into())).is_ok()
}

const FAULTS: [&str; 6] = [
    "wrong_issuer",
    "wrong_audience",
    "wrong_nonce",
    "bad_signature",
    "alg_none",
    "expired",
];

/// Asserts that a token carries `fault`'s defect (and is otherwise a normal token).
fn assert_defect(fault: &str, id_token: &str, nonce: &str, base: &str, kid: &Value) {
    let (header, claims, signature) = jwt_parts(id_token);
    let now = chrono::Utc::now().timestamp();
    match fault {
        "wrong_issuer" => assert_ne!(claims["iss"], format!("{base}/")),
        "wrong_audience" => assert_ne!(audience(&claims), [CLIENT_ID]),
        "wrong_nonce" => {
            assert!(claims["nonce"].is_string());
            assert_ne!(claims["nonce"], nonce);
        }
        "bad_signature" => {
            assert_eq!(header["alg"], "RS256");
            assert_eq!(&header["kid"], kid, "the impostor claims the published kid");
            assert!(!signature.is_empty());
        }
        "alg_none" => {
            assert_eq!(header["alg"], "none");
            assert_eq!(signature, "");
        }
        "expired" => assert!(claims["exp"].as_i64().unwrap() < now),
        other => panic!("no check for {other}"),
    }
    if fault != "wrong_issuer" {
        assert_eq!(claims["iss"], format!("{base}/"), "{fault}");
    }
    if fault != "wrong_audience" {
        assert_eq!(audience(&claims), [CLIENT_ID], "{fault}");
    }
}

#[tokio::test]
async fn each_fault_breaks_exactly_the_next_id_token() {
    let sandbox = start().await;
    let base = &sandbox.base_url;
    let jwks = get_json(&format!("{base}/.well-known/jwks.json")).await;
    let kid = &jwks["keys"][0]["kid"];

    let (clean, nonce) = next_id_token(base).await;
    assert!(
        verifies(base, &clean, &nonce).await,
        "an unfaulted token verifies"
    );

    for fault in FAULTS {
        let response = arm(base, fault).await;
        assert_eq!(response.status(), 200, "{fault}");
        let (faulty, nonce) = next_id_token(base).await;
        assert_defect(fault, &faulty, &nonce, base, kid);
        assert!(
            !verifies(base, &faulty, &nonce).await,
            "{fault} must be rejected"
        );

        let (next, nonce) = next_id_token(base).await;
        assert!(verifies(base, &next, &nonce).await, "{fault} is one-shot");
    }
}

#[tokio::test]
async fn unknown_faults_are_refused() {
    let sandbox = start().await;
    let response = arm(&sandbox.base_url, "melted").await;
    assert_eq!(response.status(), 400);
    let body: Value = response.json().await.unwrap();
    assert!(
        body["error"].as_str().unwrap().contains("wrong_issuer"),
        "{body}"
    );
}
