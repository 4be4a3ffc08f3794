//! Auth0 Token Vault: the signed-in administrator's own Okta access token,
//! exchanged from their refresh token, cached per session until shortly
//! before it expires and exchanged afresh after that.

use std::time::Duration;

use secrecy::{ExposeSecret, SecretString};
use serde::Deserialize;

use crate::okta::OktaError;
use crate::outbound::CallCounter;
use crate::settings::Auth0Settings;
use crate::token_cache::TokenCache;

const TIMEOUT: Duration = Duration::from_secs(5);
const GRANT_TYPE: &str =
    "urn:auth0:params:oauth:grant-type:token-exchange:federated-connection-access-token";
const SUBJECT_TOKEN_TYPE: &str = "urn:ietf:params:oauth:token-type:refresh_token";
const REQUESTED_TOKEN_TYPE: &str =
    "http://auth0.com/oauth/token-type/federated-connection-access-token";

/// How an action's answer starts when the administrator's Okta account is
/// not connected: the chat shows such an answer as a notice that offers to
/// connect it.
pub const NOT_CONNECTED_MARKER: &str = "Okta not connected:";

/// What an action answers when Token Vault says the administrator's Okta
/// account is not connected; `did_not` says what was not done.
pub fn not_connected_text(did_not: &str) -> String {
    format!(
        "{NOT_CONNECTED_MARKER} Custodian {did_not}, because your Okta account is not connected \
         to Custodian yet. Connect your Okta account and the request runs again."
    )
}

/// Auth0's answer (401) when Token Vault holds no tokenset for the user at
/// the connection: their account was never connected through the My
/// Account API's Connected Accounts flow, or was disconnected.
const NOT_CONNECTED_CODE: &str = "federated_connection_refresh_token_not_found";

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum TokenVaultError {
    #[error("your session has no refresh token; sign out and sign in again")]
    NoRefreshToken,
    #[error("your Okta account is not connected to Custodian yet")]
    NotConnected,
    #[error("Auth0 Token Vault is unreachable right now")]
    Unreachable,
    #[error(
        "Auth0 Token Vault refused to issue an Okta token for your account ({0}); sign out and sign in again"
    )]
    Refused(String),
}

pub struct TokenVault {
    http: reqwest::Client,
    token_url: url::Url,
    client_id: String,
    client_secret: SecretString,
    connection: String,
    cache: TokenCache,
    calls: CallCounter,
}

#[derive(Deserialize)]
struct ExchangeResponse {
    access_token: String,
    expires_in: Option<i64>,
}

#[derive(Deserialize)]
struct ErrorResponse {
    error: String,
}

impl TokenVault {
    pub fn new(settings: &Auth0Settings, calls: CallCounter) -> Self {
        Self {
            http: crate::outbound::client(TIMEOUT),
            token_url: settings
                .issuer()
                .join("oauth/token")
                .expect("the issuer is a base URL"),
            client_id: settings.client_id.clone(),
            client_secret: settings.client_secret.clone(),
            connection: settings.connection_name.clone(),
            cache: TokenCache::default(),
            calls,
        }
    }

    /// The Okta access token for the session `session_id`.
    pub async fn okta_token(
        &self,
        session_id: &str,
        refresh_token: Option<&SecretString>,
    ) -> Result<SecretString, TokenVaultError> {
        if let Some(token) = self.cache.get(session_id) {
            return Ok(token);
        }
        let refresh_token = refresh_token.ok_or(TokenVaultError::NoRefreshToken)?;
        self.calls.record();
        let response = self
            .http
            .post(self.token_url.clone())
            .form(&[
                ("grant_type", GRANT_TYPE),
                ("client_id", &self.client_id),
                ("client_secret", self.client_secret.expose_secret()),
                ("subject_token_type", SUBJECT_TOKEN_TYPE),
                ("subject_token", refresh_token.expose_secret()),
                ("requested_token_type", REQUESTED_TOKEN_TYPE),
                ("connection", &self.connection),
            ])
            .send()
            .await
            .map_err(|_| TokenVaultError::Unreachable)?;
        if response.status().is_server_error() {
            return Err(TokenVaultError::Unreachable);
        }
        if !response.status().is_success() {
            let code = response
                .json::<ErrorResponse>()
                .await
                .map(|e| e.error)
                .unwrap_or_else(|_| "no reason given".into());
            // The error code is a fixed vocabulary (invalid_grant, …), safe
            // to show; the description may quote tokens and is dropped.
            let code: String = code
                .chars()
                .filter(|c| c.is_ascii_alphanumeric() || *c == '_')
                .take(64)
                .collect();
            if code == NOT_CONNECTED_CODE {
                return Err(TokenVaultError::NotConnected);
            }
            return Err(TokenVaultError::Refused(code));
        }
        let body: ExchangeResponse = response
            .json()
            .await
            .map_err(|_| TokenVaultError::Unreachable)?;
        let token = SecretString::from(body.access_token);
        self.cache
            .put(session_id, token.clone(), body.expires_in.unwrap_or(300));
        Ok(token)
    }

    /// Drops a token Okta refused, so the next call exchanges afresh.
    pub fn forget(&self, session_id: &str) {
        self.cache.forget(session_id);
    }

    /// Runs an Okta call with the session's token; a token Okta refuses
    /// (it may have been revoked) is exchanged afresh, once.
    pub async fn with_okta_token<T, F, Fut>(
        &self,
        session_id: &str,
        refresh_token: Option<&SecretString>,
        call: F,
    ) -> Result<T, OktaError>
    where
        F: Fn(SecretString) -> Fut,
        Fut: Future<Output = Result<T, OktaError>>,
    {
        let token = self.okta_token_for_call(session_id, refresh_token).await?;
        match call(token).await {
            Err(OktaError::Unauthorized) => {
                self.forget(session_id);
                let token = self.okta_token_for_call(session_id, refresh_token).await?;
                call(token).await
            }
            other => other,
        }
    }

    async fn okta_token_for_call(
        &self,
        session_id: &str,
        refresh_token: Option<&SecretString>,
    ) -> Result<SecretString, OktaError> {
        self.okta_token(session_id, refresh_token)
            .await
            .map_err(|error| {
                tracing::warn!(error = %error, "Token Vault exchange failed");
                match error {
                    TokenVaultError::NotConnected => OktaError::NotConnected,
                    other => OktaError::TokenUnavailable(other.to_string()),
                }
            })
    }
}
