//! Whatever arrives, both handlers answer with a response Bedrock accepts:
//! a failure naming the group and function, and nothing done.

use lambdas::Handler;
use serde_json::{Value, json};

use crate::support::*;

const GROUPS_EVENT: &str = "okta_operations_get_user_groups.json";

/// `(fixture or shape, expected words in the body)` for the groups handler,
/// each in an open turn of `signed`.
async fn bad_events(stack: &Stack, signed: &Signed) -> Vec<(&'static str, Value, &'static str)> {
    let mut numeric_value = stack.event_for(GROUPS_EVENT, signed).await;
    numeric_value["parameters"][0]["value"] = json!(42);
    let mut attributes_not_an_object = stack.event_for(GROUPS_EVENT, signed).await;
    attributes_not_an_object["sessionAttributes"] = json!(["custodian_turn_capability"]);
    let mut other_group = stack.event_for(GROUPS_EVENT, signed).await;
    other_group["actionGroup"] = json!("UserAdministration");
    vec![
        (
            "parameters as an object",
            stack
                .event_for("okta_operations_malformed_parameters.json", signed)
                .await,
            "malformed",
        ),
        (
            "truncated after actionGroup",
            fixture("okta_operations_truncated.json"),
            "malformed",
        ),
        (
            "message version 2.0",
            stack
                .event_for("okta_operations_wrong_version.json", signed)
                .await,
            "unsupported message version",
        ),
        (
            "function delete_user",
            stack
                .event_for("okta_operations_wrong_function.json", signed)
                .await,
            "does not handle that function",
        ),
        (
            "another action group",
            other_group,
            "does not handle that function",
        ),
        ("a number as a value", numeric_value, "malformed"),
        (
            "session attributes as a list",
            attributes_not_an_object,
            "malformed",
        ),
    ]
}

#[tokio::test]
async fn malformed_groups_events_get_a_valid_failure_and_nothing_is_called() {
    let stack = Stack::start().await;
    let admin = stack.sign_in(ADMIN).await;
    for (what, event, expected) in bad_events(&stack, &admin).await {
        // The handler itself, whatever group the event names.
        let group = event["actionGroup"]
            .as_str()
            .unwrap_or("OktaOperations")
            .to_owned();
        let function = event["function"]
            .as_str()
            .unwrap_or("get_user_groups")
            .to_owned();
        let response = Handler::OktaOperations.handle(&stack.actions, event).await;
        let (state, body) = read_response(&response, &group, &function);
        assert_eq!(state.as_deref(), Some("FAILURE"), "{what}: {body}");
        assert!(body.contains(expected), "{what}: {body}");
        assert!(body.contains("nothing was done"), "{what}: {body}");
    }
    assert_eq!(stack.calls(), 0, "nothing was asked of anyone");
}

#[tokio::test]
async fn events_that_are_not_objects_still_get_a_valid_failure() {
    let stack = Stack::start().await;
    let shapes = [
        json!(null),
        json!([]),
        json!("OktaOperations.get_user_groups"),
        json!(42),
        json!({}),
        json!({ "actionGroup": 7, "function": ["get_user_groups"] }),
    ];
    for handler in [Handler::OktaOperations, Handler::CibaAuthentication] {
        let (group, function) = match handler {
            Handler::OktaOperations => ("OktaOperations", "get_user_groups"),
            Handler::CibaAuthentication => ("CIBAAuthentication", "authenticate_user"),
        };
        for shape in &shapes {
            let response = handler.handle(&stack.actions, shape.clone()).await;
            let (state, body) = read_response(&response, group, function);
            assert_eq!(state.as_deref(), Some("FAILURE"), "{shape}: {body}");
        }
    }
    assert_eq!(stack.calls(), 0);
}

#[tokio::test]
async fn malformed_reset_events_send_no_push() {
    let stack = Stack::start().await;
    let admin = stack.sign_in(ADMIN).await;
    let good = stack
        .event_for("ciba_authentication_authenticate_user.json", &admin)
        .await;
    let mut wrong_version = good.clone();
    wrong_version["messageVersion"] = json!("0.9");
    let mut wrong_function = good.clone();
    wrong_function["function"] = json!("reset_everything");
    let mut truncated = good.clone();
    for field in ["function", "parameters", "sessionAttributes"] {
        truncated.as_object_mut().unwrap().remove(field);
    }
    let mut parameters_text = good.clone();
    parameters_text["parameters"] = json!("user_id=bob@example.com");
    for event in [wrong_version, wrong_function, truncated, parameters_text] {
        let group = event["actionGroup"].as_str().unwrap().to_owned();
        let function = event["function"]
            .as_str()
            .unwrap_or("authenticate_user")
            .to_owned();
        let response = Handler::CibaAuthentication
            .handle(&stack.actions, event)
            .await;
        let (state, body) = read_response(&response, &group, &function);
        assert_eq!(state.as_deref(), Some("FAILURE"), "{body}");
    }
    assert_eq!(stack.calls(), 0);
    assert!(stack.ciba_requests().await.is_empty());
}
