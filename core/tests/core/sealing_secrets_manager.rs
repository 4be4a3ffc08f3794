//! The sealing key from Secrets Manager, against moto: loading, rotation,
//! and every way the secret can be wrong (named, never shown).

use aws_sdk_secretsmanager::primitives::Blob;
use custodian_core::sealing::secrets_manager::{load_sealer, new_secret_value, sealer_from_secret};
use custodian_core::sealing::{Sealer, SealingError};
use secrecy::{ExposeSecret, SecretString};
use test_support::moto;

fn key_json(current: &SecretString, previous: &[&SecretString]) -> String {
    serde_json::json!({
        "key": current.expose_secret(),
        "previousKeys": previous.iter().map(|k| k.expose_secret()).collect::<Vec<_>>(),
    })
    .to_string()
}

/// The operator's rotation step: a new value for the secret.
async fn put_keys(client: &aws_sdk_secretsmanager::Client, name: &str, value: String) {
    client
        .put_secret_value()
        .secret_id(name)
        .secret_string(value)
        .send()
        .await
        .unwrap();
}

/// The error names the secret and says `expected`, and shows none of `hidden`.
fn assert_named(err: &SealingError, secret_id: &str, expected: &str, hidden: &[&str]) {
    let text = err.to_string();
    assert!(matches!(err, SealingError::Secret { .. }), "{text}");
    assert!(text.contains(secret_id), "{text}");
    assert!(text.contains(expected), "{text}");
    for hidden in hidden {
        assert!(!text.contains(hidden), "{text}");
        assert!(!format!("{err:?}").contains(hidden), "{err:?}");
    }
}

#[tokio::test]
async fn loads_the_key_the_secret_holds() {
    let key = Sealer::generate_key();
    let (client, name) = moto::moto()
        .new_secret(Some(&format!("{{\"key\": \"{}\"}}", key.expose_secret())))
        .await;
    let sealer = load_sealer(&client, &name).await.unwrap();
    let direct = Sealer::from_keys(&key, &[]).unwrap();
    assert_eq!(direct.unseal(&sealer.seal(b"tokens")).unwrap(), b"tokens");
    assert!(!format!("{sealer:?}").contains(key.expose_secret()));
}

#[tokio::test]
async fn rotation_keeps_old_records_readable_and_seals_with_the_new_key() {
    let old_key = Sealer::generate_key();
    let (client, name) = moto::moto()
        .new_secret(Some(&key_json(&old_key, &[])))
        .await;
    let before = load_sealer(&client, &name).await.unwrap();
    let old_record = before.seal(b"sealed before rotation");

    // The operator's rotation: a new current key, the old one kept.
    let new_key = Sealer::generate_key();
    put_keys(&client, &name, key_json(&new_key, &[&old_key])).await;
    let after = load_sealer(&client, &name).await.unwrap();
    assert_eq!(
        after.unseal(&old_record).unwrap(),
        b"sealed before rotation"
    );
    let new_record = after.seal(b"sealed after rotation");
    let new_only = Sealer::from_keys(&new_key, &[]).unwrap();
    assert_eq!(
        new_only.unseal(&new_record).unwrap(),
        b"sealed after rotation"
    );
    assert!(before.unseal(&new_record).is_err());
}

#[tokio::test]
async fn an_instance_older_than_the_rotation_reads_the_keys_again_once() {
    let old_key = Sealer::generate_key();
    let (client, name) = moto::moto()
        .new_secret(Some(&key_json(&old_key, &[])))
        .await;
    let older_instance = load_sealer(&client, &name).await.unwrap();

    let new_key = Sealer::generate_key();
    put_keys(&client, &name, key_json(&new_key, &[&old_key])).await;
    let newer_instance = load_sealer(&client, &name).await.unwrap();
    let record = newer_instance.seal(b"sealed after rotation");

    assert!(older_instance.unseal(&record).is_err(), "not known yet");
    assert!(
        older_instance.reload_keys().await,
        "the secret is read again"
    );
    assert_eq!(
        older_instance.unseal(&record).unwrap(),
        b"sealed after rotation"
    );
    assert!(
        !older_instance.reload_keys().await,
        "a second reload right after is not made"
    );
    let plain = Sealer::from_keys(&old_key, &[]).unwrap();
    assert!(
        !plain.reload_keys().await,
        "a key file's sealer has nowhere to reload from"
    );
}

/// The two steps infra/README.md gives: the new key first accepted, then
/// current. Instances started before, between and after the steps open
/// each other's records.
#[tokio::test]
async fn the_two_step_rotation_leaves_every_instance_able_to_open_every_record() {
    let (old_key, new_key) = (Sealer::generate_key(), Sealer::generate_key());
    let (client, name) = moto::moto()
        .new_secret(Some(&key_json(&old_key, &[])))
        .await;
    let before = load_sealer(&client, &name).await.unwrap();
    put_keys(&client, &name, key_json(&old_key, &[&new_key])).await;
    let between = load_sealer(&client, &name).await.unwrap();
    put_keys(&client, &name, key_json(&new_key, &[&old_key])).await;
    let after = load_sealer(&client, &name).await.unwrap();

    let instances = [&before, &between, &after];
    for sealer in instances {
        let record = sealer.seal(b"a session");
        for reader in instances {
            if reader.unseal(&record).is_err() {
                assert!(reader.reload_keys().await);
            }
            assert_eq!(reader.unseal(&record).unwrap(), b"a session");
        }
    }
    let new_only = Sealer::from_keys(&new_key, &[]).unwrap();
    assert!(
        new_only.unseal(&after.seal(b"x")).is_ok(),
        "step 2 seals with the new key"
    );
    assert!(
        new_only.unseal(&between.seal(b"x")).is_err(),
        "step 1 does not"
    );
}

#[tokio::test]
async fn a_missing_secret_is_a_clear_error() {
    let client = moto::moto().secrets_manager().await;
    let err = load_sealer(&client, "no-such-secret").await.unwrap_err();
    assert_named(&err, "no-such-secret", "not found", &[]);
}

#[tokio::test]
async fn a_secret_without_a_value_is_a_clear_error() {
    let (client, name) = moto::moto().new_secret(None).await;
    let err = load_sealer(&client, &name).await.unwrap_err();
    assert_named(&err, &name, "holds no value yet", &[]);
}

#[tokio::test]
async fn malformed_json_is_named_not_shown() {
    let (client, name) = moto::moto().new_secret(Some("{\"key\": \"hunter2")).await;
    let err = load_sealer(&client, &name).await.unwrap_err();
    assert_named(&err, &name, "is not JSON", &["hunter2"]);
}

#[tokio::test]
async fn a_wrong_format_key_is_named_not_shown() {
    let (client, name) = moto::moto()
        .new_secret(Some("{\"key\": \"hunter2-not-a-fernet-key\"}"))
        .await;
    let err = load_sealer(&client, &name).await.unwrap_err();
    assert_named(&err, &name, "field `key` is not a Fernet key", &["hunter2"]);
}

#[tokio::test]
async fn a_binary_secret_is_refused() {
    let client = moto::moto().secrets_manager().await;
    let name = format!("binary-{}", uuid::Uuid::new_v4().simple());
    client
        .create_secret()
        .name(&name)
        .secret_binary(Blob::new(b"hunter2".to_vec()))
        .send()
        .await
        .unwrap();
    let err = load_sealer(&client, &name).await.unwrap_err();
    assert_named(&err, &name, "binary", &["hunter2"]);
}

/// The remaining shapes need no server: the same parser reads every value.
#[test]
fn every_wrong_shape_names_its_field() {
    let good = Sealer::generate_key();
    let good = good.expose_secret();
    let cases = [
        ("\"hunter2\"".to_owned(), "is not a JSON object"),
        ("{}".to_owned(), "field `key` is missing"),
        (
            "{\"previousKeys\": [\"hunter2\"]}".to_owned(),
            "field `key` is missing",
        ),
        ("{\"key\": 12345}".to_owned(), "field `key` is not a string"),
        (
            format!("{{\"key\": \"{good}\", \"previousKeys\": \"hunter2\"}}"),
            "field `previousKeys` is not a list of keys",
        ),
        (
            format!("{{\"key\": \"{good}\", \"previousKeys\": [\"{good}\", \"hunter2\"]}}"),
            "field `previousKeys[1]` is not a Fernet key",
        ),
        (
            format!("{{\"key\": \"{good}\", \"previousKeys\": [7]}}"),
            "field `previousKeys[0]` is not a string",
        ),
    ];
    for (value, expected) in cases {
        let err =
            sealer_from_secret("token-encryption-key", &SecretString::from(value)).unwrap_err();
        assert_named(&err, "token-encryption-key", expected, &["hunter2", good]);
    }
}

#[test]
fn extra_fields_and_null_previous_keys_are_accepted() {
    let key = Sealer::generate_key();
    let value = format!(
        "{{\"key\": \"{}\", \"previousKeys\": null, \"rotatedAt\": \"2026-01-01\"}}",
        key.expose_secret()
    );
    sealer_from_secret("token-encryption-key", &SecretString::from(value)).unwrap();
}

#[test]
fn a_new_secret_value_holds_one_valid_key() {
    let value = new_secret_value();
    let json: serde_json::Value = serde_json::from_str(value.expose_secret()).unwrap();
    let key = json["key"].as_str().unwrap();
    assert_eq!(json.as_object().unwrap().len(), 1);
    Sealer::from_keys(&SecretString::from(key.to_owned()), &[]).unwrap();
    assert_ne!(
        new_secret_value().expose_secret(),
        value.expose_secret(),
        "each value is fresh"
    );
}
