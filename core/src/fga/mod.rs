//! Auth0 FGA (OpenFGA API): may this user do this? Anything but a clear
//! "allowed" from the service is a denial.

mod approvers;
mod grants;

use std::time::Duration;

use secrecy::{ExposeSecret, SecretString};
use serde::Deserialize;
use serde::de::DeserializeOwned;
use serde_json::{Value, json};

use crate::outbound::CallCounter;
use crate::settings::FgaSettings;
use crate::token_cache::TokenCache;

pub use approvers::APPROVER;
pub use grants::{ActiveGrant, GrantError, Granted, NOT_EXPIRED};

const TIMEOUT: Duration = Duration::from_secs(3);

/// What the text of every permission denial starts with, so the chat can
/// show denials distinctly wherever they come from.
pub use custodian_model::DENIAL_MARKER;

/// The permissions Custodian asks about, as FGA relations on objects.
/// Stored by their relation's name.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, Deserialize)]
pub enum Permission {
    #[serde(rename = "read_okta")]
    ReadOktaGroups,
    #[serde(rename = "reset_password")]
    ResetPassword,
    /// Reading the audit log.
    #[serde(rename = "auditor")]
    ReadAuditLog,
}

impl Permission {
    /// The permissions an approver may grant for a while: the Okta ones.
    /// Reading the audit log is never granted on request.
    pub fn grantable(relation: &str) -> Option<Permission> {
        [Permission::ReadOktaGroups, Permission::ResetPassword]
            .into_iter()
            .find(|permission| permission.relation() == relation)
    }

    /// What the permission lets its holder do, for sentences such as
    /// "access to … for 1 hour".
    pub fn activity(self) -> &'static str {
        match self {
            Permission::ReadOktaGroups => "read Okta groups",
            Permission::ResetPassword => "reset passwords",
            Permission::ReadAuditLog => "read the audit log",
        }
    }

    pub fn relation(self) -> &'static str {
        match self {
            Permission::ReadOktaGroups => "read_okta",
            Permission::ResetPassword => "reset_password",
            Permission::ReadAuditLog => "auditor",
        }
    }

    pub fn object(self) -> &'static str {
        match self {
            Permission::ReadOktaGroups => "okta:groups",
            Permission::ResetPassword => "okta:password",
            Permission::ReadAuditLog => "audit_log:custodian",
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

/// Why a check got no clear answer, for the log (never shown with tokens:
/// FGA's error codes are a fixed vocabulary).
#[derive(Debug, PartialEq, Eq)]
enum Problem {
    Unreachable,
    /// The token service refused the client credentials or audience.
    CredentialsRefused,
    /// 401/403 from the API: the token was not accepted.
    TokenRefused,
    /// 429: FGA's rate limit, with its `Retry-After` when given.
    RateLimited {
        retry_after_secs: Option<u64>,
    },
    /// 400/404/422 with OpenFGA's error code, e.g. `validation_error`,
    /// `authorization_model_not_found`, `store_id_not_found`.
    Refused {
        status: u16,
        code: String,
    },
    Unreadable,
}

impl std::fmt::Display for Problem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Problem::Unreachable => write!(f, "FGA is unreachable or unavailable"),
            Problem::CredentialsRefused => {
                write!(f, "the FGA token service refused Custodian's credentials")
            }
            Problem::TokenRefused => write!(f, "FGA refused Custodian's access token"),
            Problem::RateLimited {
                retry_after_secs: Some(secs),
            } => write!(f, "FGA is rate limiting Custodian (retry after {secs} s)"),
            Problem::RateLimited { .. } => write!(f, "FGA is rate limiting Custodian"),
            Problem::Refused { status, code } => {
                write!(f, "FGA refused the request ({status} {code})")
            }
            Problem::Unreadable => write!(f, "FGA sent an unreadable reply"),
        }
    }
}

/// A `Retry-After` this short is waited out once; a longer one is reported.
const MAX_HONOURED_RETRY_AFTER: Duration = Duration::from_secs(1);

impl FgaClient {
    pub fn new(settings: &FgaSettings, calls: CallCounter) -> Self {
        Self {
            http: crate::outbound::client(TIMEOUT),
            settings: settings.clone(),
            tokens: TokenCache::default(),
            calls,
        }
    }

    /// Asks whether `user:<email>` has `permission` now, with the pinned
    /// model.
    pub async fn check(&self, email: &str, permission: Permission) -> Decision {
        let body = json!({
            "tuple_key": {
                "user": format!("user:{email}"),
                "relation": permission.relation(),
                "object": permission.object(),
            },
            "authorization_model_id": self.settings.model_id,
            "context": Self::context(),
        });
        match self
            .call::<CheckResponse>("check", &body)
            .await
            .map(|r| r.allowed)
        {
            Ok(true) => Decision::Allowed,
            Ok(false) => Decision::Denied,
            Err(problem) => {
                tracing::warn!(
                    problem = %problem,
                    relation = permission.relation(),
                    "FGA check failed; denying"
                );
                Decision::Unavailable
            }
        }
    }

    /// One API call, with one more try after a refused token (with a
    /// fresh one) or a short rate-limit wait; anything else is final.
    async fn call<T: DeserializeOwned>(&self, endpoint: &str, body: &Value) -> Result<T, Problem> {
        match self.try_call(endpoint, body).await {
            Err(Problem::TokenRefused) => {}
            Err(Problem::RateLimited {
                retry_after_secs: Some(secs),
            }) if Duration::from_secs(secs) <= MAX_HONOURED_RETRY_AFTER => {
                tokio::time::sleep(Duration::from_secs(secs)).await;
            }
            answer => return answer,
        }
        self.try_call(endpoint, body).await
    }

    async fn try_call<T: DeserializeOwned>(
        &self,
        endpoint: &str,
        body: &Value,
    ) -> Result<T, Problem> {
        let token = self.token().await?;
        let url = format!(
            "{}/stores/{}/{endpoint}",
            self.settings.api_url.as_str().trim_end_matches('/'),
            self.settings.store_id
        );
        self.calls.record();
        let response = self
            .http
            .post(url)
            .bearer_auth(token.expose_secret())
            .json(body)
            .send()
            .await
            .map_err(|_| Problem::Unreachable)?;
        if response.status().is_success() {
            return response.json().await.map_err(|_| Problem::Unreadable);
        }
        Err(self.problem(response).await)
    }

    /// The context every query sends: conditions on time-limited grants
    /// compare their `valid_until` with `current_time`, which only the
    /// caller knows.
    fn context() -> Value {
        let now = chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
        json!({ "current_time": now })
    }

    /// Classifies a refusal by OpenFGA's status and error code.
    async fn problem(&self, response: reqwest::Response) -> Problem {
        let status = response.status();
        match status.as_u16() {
            401 | 403 => {
                self.tokens.forget("fga");
                Problem::TokenRefused
            }
            429 => Problem::RateLimited {
                retry_after_secs: response
                    .headers()
                    .get(reqwest::header::RETRY_AFTER)
                    .and_then(|v| v.to_str().ok())
                    .and_then(|v| v.trim().parse().ok()),
            },
            code @ (400 | 404 | 409 | 422) => Problem::Refused {
                status: code,
                code: error_code(response).await,
            },
            _ => Problem::Unreachable,
        }
    }

    async fn token(&self) -> Result<SecretString, Problem> {
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
            .map_err(|_| Problem::Unreachable)?;
        if response.status().is_server_error() {
            return Err(Problem::Unreachable);
        }
        if !response.status().is_success() {
            return Err(Problem::CredentialsRefused);
        }
        let body: TokenResponse = response.json().await.map_err(|_| Problem::Unreadable)?;
        let token = SecretString::from(body.access_token);
        self.tokens
            .put("fga", token.clone(), body.expires_in.unwrap_or(300));
        Ok(token)
    }
}

#[derive(Deserialize)]
struct ErrorBody {
    code: String,
}

/// OpenFGA's error `code`, kept to its vocabulary's characters.
async fn error_code(response: reqwest::Response) -> String {
    let code = response
        .json::<ErrorBody>()
        .await
        .map_or_else(|_| "no code given".to_owned(), |e| e.code);
    code.chars()
        .filter(|c| c.is_ascii_alphanumeric() || *c == '_' || *c == ' ')
        .take(64)
        .collect()
}
