//! In AWS the client secrets live in a Secrets Manager secret, not in the
//! Lambda environment: `CUSTODIAN_CREDENTIALS_SECRET` names it, and its JSON
//! `{"auth0": {"clientSecret": …}, "fga": {"clientSecret": …}}` fills those
//! two settings (between the settings file and the environment).

use secrecy::{ExposeSecret, SecretString};
use serde::Deserialize;

use crate::sealing::secrets_manager::read_secret;
use crate::startup::StartupError;

/// The variable that names the credentials secret.
pub const CREDENTIALS_SECRET_ENV: &str = "CUSTODIAN_CREDENTIALS_SECRET";

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Credentials {
    auth0: ClientSecret,
    fga: ClientSecret,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
struct ClientSecret {
    client_secret: String,
}

/// The settings overrides the secret provides, as environment-style pairs.
pub async fn from_secret(
    client: &aws_sdk_secretsmanager::Client,
    secret_id: &str,
) -> Result<Vec<(String, String)>, StartupError> {
    let value = read_secret(client, secret_id)
        .await
        .map_err(|error| StartupError::new(error.to_string()))?
        .ok_or_else(|| {
            StartupError::new(format!(
                "the credentials secret {secret_id} has no value yet; put the client secrets in it (see infra/README.md)"
            ))
        })?;
    parse(secret_id, &value)
}

fn parse(secret_id: &str, value: &SecretString) -> Result<Vec<(String, String)>, StartupError> {
    // serde's message names the missing or unknown field, never a value.
    let credentials: Credentials =
        serde_json::from_str(value.expose_secret()).map_err(|error| {
            let problem = error.to_string();
            let problem = problem.split(" at line").next().unwrap_or_default();
            StartupError::new(format!(
                "the credentials secret {secret_id} is not valid: {problem}"
            ))
        })?;
    let mut pairs = Vec::new();
    for (name, secret) in [
        (
            "CUSTODIAN__AUTH0__CLIENT_SECRET",
            credentials.auth0.client_secret,
        ),
        (
            "CUSTODIAN__FGA__CLIENT_SECRET",
            credentials.fga.client_secret,
        ),
    ] {
        if secret.trim().is_empty() {
            return Err(StartupError::new(format!(
                "the credentials secret {secret_id} has an empty client secret"
            )));
        }
        pairs.push((name.to_owned(), secret));
    }
    Ok(pairs)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_client_secrets_become_settings() {
        let value = SecretString::from(
            r#"{"auth0":{"clientSecret":"a-secret"},"fga":{"clientSecret":"f-secret"}}"#,
        );
        let pairs = parse("creds", &value).unwrap();
        assert_eq!(
            pairs[0],
            ("CUSTODIAN__AUTH0__CLIENT_SECRET".into(), "a-secret".into())
        );
        assert_eq!(
            pairs[1],
            ("CUSTODIAN__FGA__CLIENT_SECRET".into(), "f-secret".into())
        );
    }

    #[test]
    fn malformed_secrets_are_named_without_their_values() {
        for bad in [
            r#"{"auth0":{"clientSecret":"a-secret"}}"#,
            r#"{"auth0":{"clientSecret":"a-secret"},"fga":{"clientSecret":""}}"#,
            r#"{"auth0":{"clientSecret":"a-secret","extra":1},"fga":{"clientSecret":"x"}}"#,
            "not json a-secret",
        ] {
            let error = parse("creds", &SecretString::from(bad))
                .unwrap_err()
                .to_string();
            assert!(error.contains("creds"), "{error}");
            assert!(!error.contains("a-secret"), "{error}");
        }
    }
}
