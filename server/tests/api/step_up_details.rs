//! What a password reset asks the administrator's phone to show: the Rich
//! Authorization Request details on the CIBA request, as the sandbox's
//! Auth0 received them, and the reset without them when no API audience
//! is configured.

use serde_json::{Value, json};

use crate::helpers::{ADMIN, Options, spawn_app, spawn_app_with};
use crate::step_up::{answer, ask_reset, is_final, only_request, status, status_until};

fn shown(order: u8, name: &str, value: &str) -> Value {
    json!({ "display": true, "name": name, "display_order": order, "value": value })
}

#[tokio::test]
async fn a_reset_request_reaches_auth0_with_what_the_phone_must_show() {
    let app = spawn_app().await;
    let client = app.sign_in(ADMIN).await;
    let reset = ask_reset(&app, &client).await;
    let code = status(&app, &client, reset.id()).await["code"]
        .as_str()
        .unwrap()
        .to_owned();

    let request = only_request(&app).await;
    assert_eq!(
        request["authorization_details"],
        json!([{
            "type": "urn:auth0:schemas:authorization-details:v1:password-reset",
            "instruction": "Approve resetting the Okta password of bob@example.com, requested by admin@example.com in Custodian.",
            "properties": {
                "action": shown(1, "Action:", "Reset Okta password"),
                "target": shown(2, "User:", "bob@example.com"),
                "requester": shown(3, "Requested by:", "admin@example.com"),
                "binding_code": shown(4, "Code:", &code),
            },
        }]),
        "{request}"
    );
    // Nothing secret rides along: only these words and the public code.
    let sent = request["authorization_details"].to_string();
    assert!(!sent.contains(&app.client_secret));

    answer(&app, "approve", None).await;
    let done = status_until(&app, &client, reset.id(), is_final).await;
    assert_eq!(done["state"], "completed", "{done}");
}

#[tokio::test]
async fn without_an_api_audience_the_request_carries_only_its_binding_message() {
    let app = spawn_app_with(Options {
        settings: vec![("AUTH0__AUDIENCE", String::new())],
        ..Options::default()
    })
    .await;
    assert_eq!(app.settings.auth0.audience, None);
    let client = app.sign_in(ADMIN).await;
    let reset = ask_reset(&app, &client).await;

    let request = only_request(&app).await;
    assert_eq!(request["authorization_details"], Value::Null, "{request}");
    answer(&app, "approve", None).await;
    let done = status_until(&app, &client, reset.id(), is_final).await;
    assert_eq!(done["state"], "completed", "{done}");
}
