//! Rich Authorization Requests on `/bc-authorize` ("User Authorization with
//! CIBA"): the details Custodian's client sends, Auth0's limits and
//! registered types enforced, the details listed for tests, shown on the
//! Guardian page and returned with the tokens.

use custodian_core::auth0::{CibaClient, CibaPoll};
use custodian_core::outbound::CallCounter;
use serde_json::{Value, json};

use crate::custodian::*;
use crate::support::*;

const TYPE: &str = "urn:auth0:schemas:authorization-details:v1:password-reset";

fn guardian_entry(target: &str) -> Value {
    json!({
        "type": TYPE,
        "instruction": format!("Approve resetting the Okta password of {target}."),
        "properties": {
            "requester": { "display": true, "name": "Requested by:", "display_order": 2, "value": "admin@example.com" },
            "target": { "display": true, "name": "User:", "display_order": 1, "value": target },
            "internal": { "display": false, "value": "hidden-value" },
        },
    })
}

/// Extra form fields, and the status and error code they must get.
type Refusal<'a> = (Vec<(&'a str, &'a str)>, u16, &'a str);

async fn requests(base: &str) -> Vec<Value> {
    let list = get_json(&format!("{base}/__sandbox/ciba/requests")).await;
    list.as_array().unwrap().clone()
}

#[tokio::test]
async fn details_are_kept_listed_and_returned_with_the_tokens() {
    let sandbox = start().await;
    let base = &sandbox.base_url;
    let details = json!([guardian_entry("bob@example.com")]);
    let text = details.to_string();
    let (status, body) = bc_authorize(
        base,
        &[
            ("audience", sandbox::DEFAULT_API_AUDIENCE),
            ("authorization_details", &text),
        ],
    )
    .await;
    assert_eq!(status, 200, "{body}");
    let auth_req_id = body["auth_req_id"].as_str().unwrap().to_owned();
    let listed = requests(base).await;
    assert_eq!(listed[0]["authorization_details"], details);

    let handle = listed[0]["handle"].as_str().unwrap();
    let approve = format!("{base}/__sandbox/ciba/requests/{handle}/approve");
    assert_eq!(http().post(approve).send().await.unwrap().status(), 200);
    let (status, tokens) = post_token_form(
        base,
        &[
            ("grant_type", "urn:openid:params:grant-type:ciba"),
            ("auth_req_id", &auth_req_id),
            ("client_id", CLIENT_ID),
            ("client_secret", CLIENT_SECRET),
        ],
    )
    .await;
    assert_eq!(status, 200, "{tokens}");
    assert_eq!(tokens["authorization_details"], details);
    assert!(tokens["id_token"].is_string());
}

#[tokio::test]
async fn requests_without_details_are_unchanged() {
    let sandbox = start().await;
    let base = &sandbox.base_url;
    let (status, body) = bc_authorize(base, &[("audience", "")]).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(
        requests(base).await[0]["authorization_details"],
        Value::Null
    );
}

#[tokio::test]
async fn bad_details_and_unknown_audiences_are_refused() {
    let sandbox = start().await;
    let base = &sandbox.base_url;
    let api = sandbox::DEFAULT_API_AUDIENCE;
    let good = json!([guardian_entry("bob@example.com")]).to_string();
    let unregistered = json!([{ "type": "money_transfer", "amount": 5 }]).to_string();
    let two = json!([
        guardian_entry("a@example.com"),
        guardian_entry("b@example.com")
    ])
    .to_string();
    let too_long = json!([guardian_entry(&format!("{}@example.com", "b".repeat(250)))]).to_string();
    let mut unordered = guardian_entry("bob@example.com");
    unordered["properties"]["target"]
        .as_object_mut()
        .unwrap()
        .remove("display_order");
    let unordered = json!([unordered]).to_string();
    let refusals: [Refusal; 8] = [
        (
            vec![("authorization_details", &good)],
            400,
            "invalid_authorization_details",
        ),
        (
            vec![
                ("audience", "https://other.example/api"),
                ("authorization_details", &good),
            ],
            403,
            "access_denied",
        ),
        (
            vec![("audience", "https://other.example/api")],
            403,
            "access_denied",
        ),
        (
            vec![("audience", api), ("authorization_details", &unregistered)],
            400,
            "invalid_authorization_details",
        ),
        (
            vec![("audience", api), ("authorization_details", &two)],
            400,
            "invalid_authorization_details",
        ),
        (
            vec![("audience", api), ("authorization_details", &too_long)],
            400,
            "invalid_authorization_details",
        ),
        (
            vec![("audience", api), ("authorization_details", &unordered)],
            400,
            "invalid_authorization_details",
        ),
        (
            vec![("audience", api), ("authorization_details", "[{\"type\":")],
            400,
            "invalid_authorization_details",
        ),
    ];
    for (extra, status, error) in refusals {
        let (got, body) = bc_authorize(base, &extra).await;
        assert_eq!(
            (got, body["error"].as_str()),
            (status, Some(error)),
            "{extra:?}"
        );
        assert!(body["error_description"].is_string());
    }
    assert!(requests(base).await.is_empty(), "refusals start nothing");
}

#[tokio::test]
async fn custodians_client_sends_its_details_with_the_configured_audience() {
    let sandbox = start().await;
    let base = &sandbox.base_url;
    let dir = tempfile::tempdir().unwrap();
    let settings = settings(base, dir.path());
    let client = CibaClient::new(&settings.auth0, CallCounter::default());
    let sent = details();
    let request = client
        .start(ADMIN_SUB, BINDING_MESSAGE, 120, &sent)
        .await
        .unwrap();
    let listed = requests(base).await;
    let expected: Value = serde_json::from_str(sent.as_str()).unwrap();
    assert_eq!(listed[0]["authorization_details"], expected);
    assert_eq!(
        listed[0]["authorization_details"][0]["properties"]["target"]["value"],
        "bob@example.com"
    );
    assert!(matches!(
        client.poll(&request.auth_req_id).await,
        CibaPoll::Pending
    ));
}
