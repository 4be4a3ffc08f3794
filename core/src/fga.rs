//! Auth0 FGA (OpenFGA API): may this user do this? Anything but a clear
//! "allowed" from the service is a denial.

use std::time::Duration;

use secrecy::{ExposeSecret, SecretString};
use serde::Deserialize;
use serde_json::json;

use crate::http::CallCounter;
use crate::settings::FgaSettings;
use crate::token_cache::TokenCache;

const TIMEOUT: Duration = Duration::from_secs(3);

/// What the text of every permission denial starts with, so the chat can
/// show denials distinctly wherever they come from.
pub const DENIAL_MARKER: &str = "Permission denied:";

/// The permissions Custodian asks about, as FGA relations on objects.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Permission {
    ReadOktaGroups,
    ResetPassword,
}

impl Permission {
    pub fn relation(self) -> &'static str {
        match self {
            Permission::ReadOktaGroups => "read_okta",
            Permission::ResetPassword => "reset_password",
        }
    }

    pub fn object(self) -> &'static str {
        match self {
            Permission::ReadOktaGroups => "okta:groups",
            Permission::ResetPassword => "okta:password",
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Decision {
    Allowed,
    Denied,
    /// FGA did not answer clearly (down, slow, odd reply): treated as a
    /// denial, but the user is told why.
    Unavailable,
}

pub struct FgaClient {
    http: reqwest::Client,
    settings: FgaSettings,
    tokens: TokenCache,
    calls: CallCounter,
}

#[derive(Deserialize)]
struct TokenResponse {
    access_token: String,
    expires_in: Option<i64>,
}

#[derive(Deserialize)]
struct CheckResponse {
    allowed: bool,
}

impl FgaClient {
    pub fn new(settings: &FgaSettings, calls: CallCounter) -> Self {
        Self {
            http: crate::http::client(TIMEOUT),
            settings: settings.clone(),
            tokens: TokenCache::default(),
            calls,
        }
    }

    /// Asks whether `user:<email>` has `permission`, with the pinned model.
    pub async fn check(&self, email: &str, permission: Permission) -> Decision {
        match self.try_check(email, permission).await {
            Ok(true) => Decision::Allowed,
            Ok(false) => Decision::Denied,
            Err(problem) => {
                tracing::warn!(
                    problem,
                    relation = permission.relation(),
                    "FGA check failed; denying"
                );
                Decision::Unavailable
            }
        }
    }

    async fn try_check(&self, email: &str, permission: Permission) -> Result<bool, &'static str> {
        let token = self.token().await?;
        let url = format!(
            "{}/stores/{}/check",
            self.settings.api_url.as_str().trim_end_matches('/'),
            self.settings.store_id
        );
        self.calls.record();
        let response = self
            .http
            .post(url)
            .bearer_auth(token.expose_secret())
            .json(&json!({
                "tuple_key": {
                    "user": format!("user:{email}"),
                    "relation": permission.relation(),
                    "object": permission.object(),
                },
                "authorization_model_id": self.settings.model_id,
            }))
            .send()
            .await
            .map_err(|_| "FGA is unreachable")?;
        if response.status() == reqwest::StatusCode::UNAUTHORIZED {
            self.tokens.forget("fga");
        }
        if !response.status().is_success() {
            return Err("FGA refused the check");
        }
        let body: CheckResponse = response
            .json()
            .await
            .map_err(|_| "FGA sent an unreadable reply")?;
        Ok(body.allowed)
    }

    async fn token(&self) -> Result<SecretString, &'static str> {
        if let Some(token) = self.tokens.get("fga") {
            return Ok(token);
        }
        self.calls.record();
        let response = self
            .http
            .post(self.settings.token_url.clone())
            .json(&json!({
                "grant_type": "client_credentials",
                "client_id": self.settings.client_id,
                "client_secret": self.settings.client_secret.expose_secret(),
                "audience": self.settings.audience,
            }))
            .send()
            .await
            .map_err(|_| "the FGA token service is unreachable")?;
        if !response.status().is_success() {
            return Err("the FGA token service refused Custodian's credentials");
        }
        let body: TokenResponse = response
            .json()
            .await
            .map_err(|_| "the FGA token service sent an unreadable reply")?;
        let token = SecretString::from(body.access_token);
        self.tokens
            .put("fga", token.clone(), body.expires_in.unwrap_or(300));
        Ok(token)
    }
}
