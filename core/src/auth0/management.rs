//! The one Management API v2 call Custodian makes: finding an approver's
//! Auth0 user id from the email FGA names them by, since a CIBA request
//! names its approver by user id (`login_hint` `iss_sub`).
//!
//! The token comes from the client credentials grant for the audience
//! `https://{tenant}/api/v2/`, always the tenant's canonical domain
//! (`auth0.managementDomain` when `auth0.domain` is a custom domain); the
//! application needs the `read:users` scope granted on the Management API
//! (infra/README.md).
//! <https://auth0.com/docs/secure/tokens/access-tokens/management-api-access-tokens/get-management-api-access-tokens-for-production>
//! <https://auth0.com/docs/api/management/v2/users-by-email/get-users-by-email>

use std::time::Duration;

use secrecy::{ExposeSecret, SecretString};
use serde::Deserialize;

use crate::outbound::CallCounter;
use crate::settings::Auth0Settings;
use crate::token_cache::TokenCache;

const TIMEOUT: Duration = Duration::from_secs(3);
/// The one scope the lookup needs.
pub const READ_USERS: &str = "read:users";
const TOKEN_KEY: &str = "management";

/// Why a user could not be looked up; the text is for the person asking
/// and for the log, and names no token.
#[derive(Debug, PartialEq, Eq, thiserror::Error)]
pub enum ManagementError {
    #[error("Auth0's Management API could not be reached")]
    Unreachable,
    #[error("Auth0 refused Custodian's Management API credentials ({0})")]
    Refused(String),
    #[error("Auth0's Management API is rate limiting Custodian")]
    RateLimited,
    #[error("Auth0's Management API sent an unreadable reply")]
    Unreadable,
}

/// An Auth0 user as the lookup returns it (only what Custodian reads).
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
pub struct Auth0User {
    pub user_id: String,
    pub email: Option<String>,
}

#[derive(Deserialize)]
struct TokenResponse {
    access_token: String,
    expires_in: i64,
}

/// Auth0's error bodies: OAuth's at `/oauth/token`, the Management API's
/// `{statusCode, error, message, errorCode}` at `/api/v2`.
#[derive(Deserialize)]
struct ErrorBody {
    error: Option<String>,
    #[serde(rename = "errorCode")]
    error_code: Option<String>,
}

pub struct ManagementApi {
    http: reqwest::Client,
    settings: Auth0Settings,
    tokens: TokenCache,
    calls: CallCounter,
}

impl ManagementApi {
    pub fn new(settings: &Auth0Settings, calls: CallCounter) -> Self {
        Self {
            http: crate::outbound::client(TIMEOUT),
            settings: settings.clone(),
            tokens: TokenCache::default(),
            calls,
        }
    }

    /// The Management API's identifier: the tenant's URL with `/api/v2/`.
    pub fn audience(&self) -> String {
        management_audience(&self.settings)
    }

    /// The Auth0 user id of the user with `email`, if there is exactly one
    /// such user: with several (one per connection), which of them may
    /// approve cannot be told, so none is chosen.
    pub async fn user_id_by_email(&self, email: &str) -> Result<Option<String>, ManagementError> {
        let users = self.users_by_email(email).await?;
        Ok(match users.as_slice() {
            [one] => Some(one.user_id.clone()),
            _ => None,
        })
    }

    async fn users_by_email(&self, email: &str) -> Result<Vec<Auth0User>, ManagementError> {
        let token = self.token().await?;
        let url = self.endpoint("api/v2/users-by-email");
        self.calls.record();
        let response = self
            .http
            .get(url)
            .query(&[("email", email)])
            .bearer_auth(token.expose_secret())
            .send()
            .await
            .map_err(|_| ManagementError::Unreachable)?;
        if response.status() == reqwest::StatusCode::UNAUTHORIZED {
            // A token revoked or rotated early: the next lookup gets another.
            self.tokens.forget(TOKEN_KEY);
        }
        let response = checked(response).await?;
        response
            .json()
            .await
            .map_err(|_| ManagementError::Unreadable)
    }

    async fn token(&self) -> Result<SecretString, ManagementError> {
        if let Some(token) = self.tokens.get(TOKEN_KEY) {
            return Ok(token);
        }
        let audience = self.audience();
        let form = [
            ("grant_type", "client_credentials"),
            ("client_id", self.settings.client_id.as_str()),
            ("client_secret", self.settings.client_secret.expose_secret()),
            ("audience", audience.as_str()),
        ];
        self.calls.record();
        let response = self
            .http
            .post(self.endpoint("oauth/token"))
            .form(&form)
            .send()
            .await
            .map_err(|_| ManagementError::Unreachable)?;
        let body: TokenResponse = checked(response)
            .await?
            .json()
            .await
            .map_err(|_| ManagementError::Unreadable)?;
        let token = SecretString::from(body.access_token);
        self.tokens.put(TOKEN_KEY, token.clone(), body.expires_in);
        Ok(token)
    }

    fn endpoint(&self, path: &str) -> url::Url {
        self.settings
            .management_base()
            .join(path)
            .expect("the domain is a base URL")
    }
}

/// `https://{tenant}/api/v2/`, on the canonical domain.
pub fn management_audience(settings: &Auth0Settings) -> String {
    settings
        .management_base()
        .join("api/v2/")
        .expect("the domain is a base URL")
        .to_string()
}

/// The response when it succeeded; otherwise what went wrong, by status
/// and Auth0's error code.
async fn checked(response: reqwest::Response) -> Result<reqwest::Response, ManagementError> {
    let status = response.status();
    if status.is_success() {
        return Ok(response);
    }
    if status == reqwest::StatusCode::TOO_MANY_REQUESTS {
        return Err(ManagementError::RateLimited);
    }
    if status.is_server_error() {
        return Err(ManagementError::Unreachable);
    }
    let body: Option<ErrorBody> = response.json().await.ok();
    let code = body
        .and_then(|body| body.error_code.or(body.error))
        .filter(|code| is_error_code(code))
        .unwrap_or_else(|| status.as_u16().to_string());
    Err(ManagementError::Refused(code))
}

/// Error codes are a short fixed vocabulary (`access_denied`,
/// `insufficient_scope`, …); anything else is not repeated.
fn is_error_code(code: &str) -> bool {
    code.len() <= 40
        && code
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == ' ')
}

#[cfg(test)]
mod tests {
    use super::is_error_code;

    #[test]
    fn only_short_plain_codes_are_repeated() {
        assert!(is_error_code("insufficient_scope"));
        assert!(is_error_code("Unauthorized"));
        assert!(!is_error_code("eyJhbGciOiJSUzI1NiJ9.eyJzdWIi.abc"));
        assert!(!is_error_code(&"x".repeat(41)));
    }
}
