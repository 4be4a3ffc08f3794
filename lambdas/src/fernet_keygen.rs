//! The `fernet-keygen` custom resource (behind CDK's `cr.Provider`): gives
//! the sealing-key secret a fresh Fernet key when it has none, and never
//! replaces one. Replacing a key would make every sealed record unreadable,
//! so a value that is there but unusable fails the deployment for a person
//! to look at instead.
//!
//! The key never appears in the response, a log line or an error.

use aws_sdk_secretsmanager::Client;
use aws_sdk_secretsmanager::error::DisplayErrorContext;
use custodian_core::sealing::SealingError;
use custodian_core::sealing::secrets_manager::{new_secret_value, read_secret, sealer_from_secret};
use secrecy::ExposeSecret;
use serde::{Deserialize, Serialize};

/// The parts of the CloudFormation event this resource reads; the rest
/// (ResponseURL, StackId, …) is the provider framework's business.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct CustomResourceEvent {
    pub request_type: RequestType,
    pub resource_properties: KeyProperties,
    /// Absent on Create.
    #[serde(default)]
    pub physical_resource_id: Option<String>,
}

#[derive(Clone, Copy, Debug, Deserialize, PartialEq, Eq)]
pub enum RequestType {
    Create,
    Update,
    Delete,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct KeyProperties {
    /// The secret's name or ARN.
    pub secret_id: String,
}

/// What the provider framework reports to CloudFormation.
#[derive(Debug, Serialize, PartialEq, Eq)]
#[serde(rename_all = "PascalCase")]
pub struct CustomResourceResponse {
    pub physical_resource_id: String,
    pub data: KeyData,
}

#[derive(Debug, Serialize, PartialEq, Eq)]
#[serde(rename_all = "PascalCase")]
pub struct KeyData {
    /// Whether this request put a new key (false: one was already there).
    pub key_created: bool,
}

#[derive(Debug, thiserror::Error)]
pub enum KeygenError {
    #[error(
        "{0}. The value is kept (a key is never replaced): put a valid \
         {{\"key\": \"<fernet key>\"}} or an empty value, then deploy again"
    )]
    Unusable(SealingError),
    #[error("{0}")]
    Read(SealingError),
    #[error("sealing key secret {secret_id}: cannot be written: {detail}")]
    Write { secret_id: String, detail: String },
}

pub async fn handle(
    client: &Client,
    event: CustomResourceEvent,
) -> Result<CustomResourceResponse, KeygenError> {
    let secret_id = event.resource_properties.secret_id;
    let (physical_resource_id, key_created) = match event.request_type {
        // The secret belongs to the stack; deleting it is its business.
        RequestType::Delete => (event.physical_resource_id.unwrap_or(secret_id), false),
        RequestType::Create | RequestType::Update => {
            let created = ensure_key(client, &secret_id).await?;
            tracing::info!(secret_id = %secret_id, key_created = created, "sealing key in place");
            // The secret is the resource: a new SecretId is a replacement.
            (secret_id, created)
        }
    };
    Ok(CustomResourceResponse {
        physical_resource_id,
        data: KeyData { key_created },
    })
}

/// Puts a new key unless the secret already holds a usable one; returns
/// whether it did. A secret with no value (as CloudFormation creates it)
/// or an empty one gets a key; any other value must be a valid key.
pub async fn ensure_key(client: &Client, secret_id: &str) -> Result<bool, KeygenError> {
    if let Some(value) = read_secret(client, secret_id)
        .await
        .map_err(KeygenError::Read)?
        .filter(|value| !value.expose_secret().trim().is_empty())
    {
        sealer_from_secret(secret_id, &value).map_err(KeygenError::Unusable)?;
        return Ok(false);
    }
    client
        .put_secret_value()
        .secret_id(secret_id)
        .secret_string(new_secret_value().expose_secret())
        .send()
        .await
        .map_err(|error| KeygenError::Write {
            secret_id: secret_id.to_owned(),
            detail: DisplayErrorContext(&error).to_string(),
        })?;
    Ok(true)
}
