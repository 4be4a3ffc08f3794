//! The `fernet-keygen` custom resource against moto, driven by the events
//! CloudFormation sends through `cr.Provider` (tests/fixtures/fernet_keygen).

use aws_sdk_secretsmanager::Client;
use custodian_core::sealing::Sealer;
use custodian_core::sealing::secrets_manager::sealer_from_secret;
use lambdas::fernet_keygen::{CustomResourceEvent, KeygenError, RequestType, handle};
use secrecy::{ExposeSecret, SecretString};
use serde_json::Value;
use test_support::moto;

use crate::support::fixture;

const FIXTURE_SECRET: &str =
    "arn:aws:secretsmanager:us-east-1:123456789012:secret:token-encryption-key-AbCdEf";

/// `tests/fixtures/fernet_keygen/{name}.json`, as CloudFormation sends it.
fn keygen_fixture(name: &str) -> Value {
    fixture(&format!("fernet_keygen/{name}.json"))
}

/// The fixture, aimed at `secret_id` (as the stack would for its secret).
fn event(name: &str, secret_id: &str) -> CustomResourceEvent {
    let mut event = keygen_fixture(name);
    event["ResourceProperties"]["SecretId"] = secret_id.into();
    if event.get("PhysicalResourceId").is_some() {
        event["PhysicalResourceId"] = secret_id.into();
    }
    serde_json::from_value(event).unwrap()
}

async fn current_value(client: &Client, secret_id: &str) -> Option<String> {
    match client.get_secret_value().secret_id(secret_id).send().await {
        Ok(output) => output.secret_string,
        Err(_) => None,
    }
}

async fn version_count(client: &Client, secret_id: &str) -> usize {
    client
        .list_secret_version_ids()
        .secret_id(secret_id)
        .send()
        .await
        .unwrap()
        .versions()
        .len()
}

fn valid_value() -> String {
    serde_json::json!({ "key": Sealer::generate_key().expose_secret() }).to_string()
}

#[test]
fn fixtures_read_as_events() {
    for (name, request_type) in [
        ("create", RequestType::Create),
        ("update", RequestType::Update),
        ("delete", RequestType::Delete),
    ] {
        let event: CustomResourceEvent = serde_json::from_value(keygen_fixture(name)).unwrap();
        assert_eq!(event.request_type, request_type);
        assert_eq!(event.resource_properties.secret_id, FIXTURE_SECRET);
        let expected = (request_type != RequestType::Create).then_some(FIXTURE_SECRET);
        assert_eq!(event.physical_resource_id.as_deref(), expected);
    }
}

#[tokio::test]
async fn create_fills_a_new_secret_without_reporting_the_key() {
    let (client, name) = moto::moto().new_secret(None).await;
    let response = handle(&client, event("create", &name)).await.unwrap();

    assert_eq!(response.physical_resource_id, name);
    assert!(response.data.key_created);
    let value = current_value(&client, &name).await.unwrap();
    sealer_from_secret(&name, &SecretString::from(value.clone())).unwrap();
    let key: Value = serde_json::from_str(&value).unwrap();
    let key = key["key"].as_str().unwrap();
    let reported = serde_json::to_string(&response).unwrap();
    assert!(!reported.contains(key), "{reported}");
    assert_eq!(
        serde_json::from_str::<Value>(&reported).unwrap(),
        serde_json::json!({ "PhysicalResourceId": name, "Data": { "KeyCreated": true } })
    );
}

#[tokio::test]
async fn an_empty_value_gets_a_key() {
    let (client, name) = moto::moto().new_secret(Some("  ")).await;
    let response = handle(&client, event("create", &name)).await.unwrap();
    assert!(response.data.key_created);
    let value = current_value(&client, &name).await.unwrap();
    sealer_from_secret(&name, &SecretString::from(value)).unwrap();
}

#[tokio::test]
async fn an_existing_key_is_never_replaced() {
    let existing = valid_value();
    let (client, name) = moto::moto().new_secret(Some(&existing)).await;
    for request in ["create", "update"] {
        let response = handle(&client, event(request, &name)).await.unwrap();
        assert!(!response.data.key_created, "{request}");
        assert_eq!(response.physical_resource_id, name);
    }
    assert_eq!(current_value(&client, &name).await.unwrap(), existing);
    assert_eq!(version_count(&client, &name).await, 1);
}

#[tokio::test]
async fn a_rotated_value_is_kept() {
    let current = Sealer::generate_key();
    let previous = Sealer::generate_key();
    let rotated = serde_json::json!({
        "key": current.expose_secret(),
        "previousKeys": [previous.expose_secret()],
    })
    .to_string();
    let (client, name) = moto::moto().new_secret(Some(&rotated)).await;
    let response = handle(&client, event("update", &name)).await.unwrap();
    assert!(!response.data.key_created);
    assert_eq!(current_value(&client, &name).await.unwrap(), rotated);
}

#[tokio::test]
async fn a_malformed_value_fails_and_is_left_alone() {
    for malformed in [
        "{\"key\": \"hunter2-not-a-fernet-key\"}",
        "{\"key\": \"hunter2",
        "hunter2",
    ] {
        let (client, name) = moto::moto().new_secret(Some(malformed)).await;
        let err = handle(&client, event("update", &name)).await.unwrap_err();
        let text = err.to_string();
        assert!(matches!(err, KeygenError::Unusable(_)), "{text}");
        assert!(text.contains(&name), "{text}");
        assert!(text.contains("never replaced"), "{text}");
        assert!(!text.contains("hunter2"), "{text}");
        assert!(!format!("{err:?}").contains("hunter2"));
        assert_eq!(current_value(&client, &name).await.unwrap(), malformed);
        assert_eq!(version_count(&client, &name).await, 1);
    }
}

#[tokio::test]
async fn a_missing_secret_fails_naming_it() {
    let client = moto::moto().secrets_manager().await;
    let err = handle(&client, event("create", "custodian-no-such-secret"))
        .await
        .unwrap_err();
    let text = err.to_string();
    assert!(matches!(err, KeygenError::Write { .. }), "{text}");
    assert!(text.contains("custodian-no-such-secret"), "{text}");
}

#[tokio::test]
async fn delete_changes_nothing() {
    let existing = valid_value();
    let (client, name) = moto::moto().new_secret(Some(&existing)).await;
    let response = handle(&client, event("delete", &name)).await.unwrap();
    assert_eq!(response.physical_resource_id, name);
    assert!(!response.data.key_created);
    assert_eq!(current_value(&client, &name).await.unwrap(), existing);

    // Also when the secret is already gone (a rollback after a failed create).
    let response = handle(&client, event("delete", "custodian-no-such-secret"))
        .await
        .unwrap();
    assert_eq!(response.physical_resource_id, "custodian-no-such-secret");
}
