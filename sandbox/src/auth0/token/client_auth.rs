//! Client authentication at the token endpoint: `client_secret_basic` or `client_secret_post`.

use axum::http::{HeaderMap, header};
use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use percent_encoding::percent_decode_str;

use super::error::OAuthError;
use crate::config::SandboxConfig;
use crate::shared::secrets::constant_time_eq;

/// Succeeds when exactly one method presents the configured client's credentials.
pub fn authenticate(
    config: &SandboxConfig,
    headers: &HeaderMap,
    form_client_id: Option<&str>,
    form_client_secret: Option<&str>,
) -> Result<(), OAuthError> {
    let (client_id, secret) = match (basic_credentials(headers)?, form_client_secret) {
        (Some(_), Some(_)) => {
            return Err(OAuthError::invalid_request(
                "Use only one client authentication method.",
            ));
        }
        (Some((id, secret)), None) => {
            // The form may repeat the client id, but must not contradict it.
            if form_client_id.is_some_and(|form_id| form_id != id) {
                return Err(OAuthError::invalid_client());
            }
            (id, secret)
        }
        (None, Some(secret)) => (
            form_client_id
                .ok_or_else(OAuthError::invalid_client)?
                .to_owned(),
            secret.to_owned(),
        ),
        (None, None) => return Err(OAuthError::invalid_client()),
    };
    let id_ok = client_id == config.client_id;
    let secret_ok = constant_time_eq(secret.as_bytes(), config.client_secret.as_bytes());
    if id_ok && secret_ok {
        Ok(())
    } else {
        tracing::info!("client authentication failed");
        Err(OAuthError::invalid_client())
    }
}

/// Decodes `Authorization: Basic base64(urlencode(id):urlencode(secret))` (RFC 6749 §2.3.1).
fn basic_credentials(headers: &HeaderMap) -> Result<Option<(String, String)>, OAuthError> {
    let Some(value) = headers.get(header::AUTHORIZATION) else {
        return Ok(None);
    };
    let value = value.to_str().map_err(|_| OAuthError::invalid_client())?;
    let Some((scheme, encoded)) = value.split_once(' ') else {
        return Err(OAuthError::invalid_client());
    };
    if !scheme.eq_ignore_ascii_case("basic") {
        return Err(OAuthError::invalid_client());
    }
    let decoded = STANDARD
        .decode(encoded.trim())
        .ok()
        .and_then(|bytes| String::from_utf8(bytes).ok())
        .ok_or_else(OAuthError::invalid_client)?;
    let (id, secret) = decoded
        .split_once(':')
        .ok_or_else(OAuthError::invalid_client)?;
    Ok(Some((form_decode(id)?, form_decode(secret)?)))
}

fn form_decode(part: &str) -> Result<String, OAuthError> {
    percent_decode_str(&part.replace('+', " "))
        .decode_utf8()
        .map(|s| s.into_owned())
        .map_err(|_| OAuthError::invalid_client())
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    fn config() -> SandboxConfig {
        SandboxConfig {
            client_id: "client".into(),
            client_secret: "s3cret/+=".into(),
            ..SandboxConfig::default()
        }
    }

    fn basic(id: &str, secret: &str) -> HeaderMap {
        let value = format!("Basic {}", STANDARD.encode(format!("{id}:{secret}")));
        let mut headers = HeaderMap::new();
        headers.insert(
            header::AUTHORIZATION,
            HeaderValue::from_str(&value).unwrap(),
        );
        headers
    }

    #[test]
    fn accepts_url_encoded_basic_credentials() {
        let headers = basic("client", "s3cret%2F%2B%3D");
        assert!(authenticate(&config(), &headers, None, None).is_ok());
        assert!(authenticate(&config(), &headers, Some("other"), None).is_err());
    }

    #[test]
    fn accepts_post_credentials() {
        let config = config();
        let headers = HeaderMap::new();
        assert!(authenticate(&config, &headers, Some("client"), Some("s3cret/+=")).is_ok());
        assert!(authenticate(&config, &headers, Some("client"), Some("wrong")).is_err());
        assert!(authenticate(&config, &headers, None, Some("s3cret/+=")).is_err());
        assert!(authenticate(&config, &headers, Some("client"), None).is_err());
    }

    #[test]
    fn refuses_two_methods_at_once() {
        let headers = basic("client", "s3cret%2F%2B%3D");
        let err = authenticate(&config(), &headers, None, Some("s3cret/+=")).unwrap_err();
        assert_eq!(err.error(), "invalid_request");
    }
}
