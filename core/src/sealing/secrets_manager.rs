//! The AWS sealing key: a Secrets Manager secret holding
//! `{"key": "<fernet key>", "previousKeys": ["<older key>", …]}`, read once
//! per cold start, and again when a record needs a key this instance has
//! never seen (see [`super::reload`]). Rotating means moving `key` into
//! `previousKeys` and putting a new `key`: records sealed earlier still
//! open, new ones use the new key, so nobody is logged out.
//!
//! Errors name the secret and the field at fault, never a value.

use aws_sdk_secretsmanager::Client;
use aws_sdk_secretsmanager::error::DisplayErrorContext;
use secrecy::{ExposeSecret, SecretString};
use serde_json::Value;

use super::reload::KeyReload;
use super::{Sealer, SealingError, parse_key};

pub const KEY_FIELD: &str = "key";
pub const PREVIOUS_KEYS_FIELD: &str = "previousKeys";

/// Reads the secret and builds the sealer. A missing secret, a secret with
/// no value yet and a malformed value are all errors: sealing fails closed.
pub async fn load_sealer(client: &Client, secret_id: &str) -> Result<Sealer, SealingError> {
    match read_secret(client, secret_id).await? {
        Some(value) => Ok(sealer_from_secret(secret_id, &value)?
            .reloading_from(KeyReload::new(client.clone(), secret_id.to_owned()))),
        None => Err(secret_error(
            secret_id,
            "was not found or holds no value yet (deploying the stack creates the key)",
        )),
    }
}

/// The secret's current value; `None` when the secret, or a current version
/// of it, does not exist.
pub async fn read_secret(
    client: &Client,
    secret_id: &str,
) -> Result<Option<SecretString>, SealingError> {
    let output = match client.get_secret_value().secret_id(secret_id).send().await {
        Ok(output) => output,
        Err(error)
            if error
                .as_service_error()
                .is_some_and(|e| e.is_resource_not_found_exception()) =>
        {
            return Ok(None);
        }
        // The SDK's errors describe the request, never the secret's value.
        Err(error) => {
            return Err(secret_error(
                secret_id,
                &format!("cannot be read: {}", DisplayErrorContext(&error)),
            ));
        }
    };
    match output.secret_string {
        Some(text) => Ok(Some(SecretString::from(text))),
        None => Err(secret_error(
            secret_id,
            "holds a binary value; it must be JSON text",
        )),
    }
}

/// Validates a secret value and builds the sealer from its keys.
pub fn sealer_from_secret(secret_id: &str, value: &SecretString) -> Result<Sealer, SealingError> {
    let fail = |problem: &str| secret_error(secret_id, problem);
    // serde_json's messages can quote the input; use our own.
    let json: Value = serde_json::from_str(value.expose_secret()).map_err(|_| {
        fail(&format!(
            "is not JSON; expected {{\"{KEY_FIELD}\": \"<fernet key>\"}}"
        ))
    })?;
    let Value::Object(fields) = json else {
        return Err(fail(&format!(
            "is not a JSON object; expected {{\"{KEY_FIELD}\": \"<fernet key>\"}}"
        )));
    };

    let current = match fields.get(KEY_FIELD) {
        Some(Value::String(key)) => checked_key(key, KEY_FIELD).map_err(|p| fail(&p))?,
        Some(_) => return Err(fail(&format!("field `{KEY_FIELD}` is not a string"))),
        None => return Err(fail(&format!("field `{KEY_FIELD}` is missing"))),
    };
    let previous = match fields.get(PREVIOUS_KEYS_FIELD) {
        None | Some(Value::Null) => Vec::new(),
        Some(Value::Array(keys)) => keys
            .iter()
            .enumerate()
            .map(|(i, key)| {
                let field = format!("{PREVIOUS_KEYS_FIELD}[{i}]");
                match key {
                    Value::String(key) => checked_key(key, &field),
                    _ => Err(format!("field `{field}` is not a string")),
                }
            })
            .collect::<Result<Vec<_>, _>>()
            .map_err(|p| fail(&p))?,
        Some(_) => {
            return Err(fail(&format!(
                "field `{PREVIOUS_KEYS_FIELD}` is not a list of keys"
            )));
        }
    };
    Sealer::from_keys(&current, &previous).map_err(|e| fail(&e.to_string()))
}

/// A value for a new secret: one freshly generated key, no previous ones.
pub fn new_secret_value() -> SecretString {
    let key = Sealer::generate_key();
    let json = serde_json::json!({ KEY_FIELD: key.expose_secret() });
    SecretString::from(json.to_string())
}

fn checked_key(key: &str, field: &str) -> Result<SecretString, String> {
    let key = SecretString::from(key.to_owned());
    match parse_key(&key) {
        Some(_) => Ok(key),
        None => Err(format!(
            "field `{field}` is not a Fernet key (url-safe base64 of 32 bytes)"
        )),
    }
}

fn secret_error(secret_id: &str, problem: &str) -> SealingError {
    SealingError::Secret {
        secret_id: secret_id.to_owned(),
        problem: problem.to_owned(),
    }
}
