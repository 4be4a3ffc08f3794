//! The Okta management API subset Custodian uses: find a user, list their
//! groups, reset their password. Calls carry the administrator's own
//! federated access token, never a shared API key.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::Duration;

use reqwest::{Response, StatusCode};
use secrecy::{ExposeSecret, SecretString};
use serde::Deserialize;
use url::Url;

use crate::http::CallCounter;
use crate::time::now_unix;

const TIMEOUT: Duration = Duration::from_secs(5);
/// A rate-limit reset this close is waited for; a later one is reported.
const MAX_BACKOFF_SECONDS: i64 = 2;
const MAX_ATTEMPTS: u32 = 3;

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum OktaError {
    #[error("Okta has no user {0}")]
    NoSuchUser(String),
    #[error("Okta did not accept your access token")]
    Unauthorized,
    #[error("Okta refused: your Okta account lacks the permission for this")]
    Forbidden,
    #[error("Okta is rate-limiting, try again in {0} s")]
    RateLimited(i64),
    #[error("Okta is unreachable right now")]
    Unavailable,
    /// No usable Okta token could be had from Token Vault.
    #[error("{0}")]
    TokenUnavailable(String),
}

pub struct OktaClient {
    http: reqwest::Client,
    base: Url,
    /// Logins map to immutable user ids; caching them saves a call per
    /// lookup.
    user_ids: Mutex<HashMap<String, String>>,
    calls: CallCounter,
}

#[derive(Deserialize)]
struct User {
    id: String,
}

#[derive(Deserialize)]
struct Group {
    profile: GroupProfile,
}

#[derive(Deserialize)]
struct GroupProfile {
    name: String,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct ResetTicket {
    reset_password_url: Option<String>,
}

impl OktaClient {
    pub fn new(base: &Url, calls: CallCounter) -> Self {
        Self {
            http: crate::http::client(TIMEOUT),
            base: base.clone(),
            user_ids: Mutex::new(HashMap::new()),
            calls,
        }
    }

    fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base.as_str().trim_end_matches('/'))
    }

    /// The names of the groups `login` belongs to.
    pub async fn user_groups(
        &self,
        token: &SecretString,
        login: &str,
    ) -> Result<Vec<String>, OktaError> {
        let id = self.user_id(token, login).await?;
        let response = self
            .send(token, login, |http| {
                http.get(self.url(&format!("/api/v1/users/{}/groups", encode(&id))))
            })
            .await?;
        let groups: Vec<Group> = response.json().await.map_err(|_| OktaError::Unavailable)?;
        Ok(groups.into_iter().map(|g| g.profile.name).collect())
    }

    /// Starts a password reset. With `send_email` false, Okta returns a
    /// one-time reset link instead of mailing it.
    pub async fn reset_password(
        &self,
        token: &SecretString,
        login: &str,
        send_email: bool,
    ) -> Result<Option<SecretString>, OktaError> {
        let id = self.user_id(token, login).await?;
        let response = self
            .send(token, login, |http| {
                http.post(self.url(&format!(
                    "/api/v1/users/{}/lifecycle/reset_password?sendEmail={send_email}",
                    encode(&id)
                )))
            })
            .await?;
        let ticket: ResetTicket = response.json().await.unwrap_or(ResetTicket {
            reset_password_url: None,
        });
        Ok(ticket.reset_password_url.map(SecretString::from))
    }

    async fn user_id(&self, token: &SecretString, login: &str) -> Result<String, OktaError> {
        if let Some(id) = self.cached_id(login) {
            return Ok(id);
        }
        let response = self
            .send(token, login, |http| {
                http.get(self.url(&format!("/api/v1/users/{}", encode(login))))
            })
            .await?;
        let user: User = response.json().await.map_err(|_| OktaError::Unavailable)?;
        self.user_ids
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .insert(login.to_owned(), user.id.clone());
        Ok(user.id)
    }

    fn cached_id(&self, login: &str) -> Option<String> {
        self.user_ids
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .get(login)
            .cloned()
    }

    /// Sends with the token, waiting out a short rate limit (Okta says when
    /// it resets in `X-Rate-Limit-Reset`) a bounded number of times.
    async fn send(
        &self,
        token: &SecretString,
        login: &str,
        request: impl Fn(&reqwest::Client) -> reqwest::RequestBuilder,
    ) -> Result<Response, OktaError> {
        let mut attempt = 0;
        loop {
            attempt += 1;
            self.calls.record();
            let response = request(&self.http)
                .bearer_auth(token.expose_secret())
                .header("accept", "application/json")
                .send()
                .await
                .map_err(|_| OktaError::Unavailable)?;
            match response.status() {
                status if status.is_success() => return Ok(response),
                StatusCode::NOT_FOUND => return Err(OktaError::NoSuchUser(login.to_owned())),
                StatusCode::UNAUTHORIZED => return Err(OktaError::Unauthorized),
                StatusCode::FORBIDDEN => return Err(OktaError::Forbidden),
                StatusCode::TOO_MANY_REQUESTS => {
                    let wait = reset_in(&response);
                    if wait > MAX_BACKOFF_SECONDS || attempt >= MAX_ATTEMPTS {
                        return Err(OktaError::RateLimited(wait.max(1)));
                    }
                    tokio::time::sleep(Duration::from_secs(wait.max(0) as u64)).await;
                }
                _ => return Err(OktaError::Unavailable),
            }
        }
    }
}

/// Seconds until Okta's rate-limit window resets (header in epoch seconds).
fn reset_in(response: &Response) -> i64 {
    response
        .headers()
        .get("x-rate-limit-reset")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<i64>().ok())
        .map(|reset| reset - now_unix())
        .unwrap_or(MAX_BACKOFF_SECONDS + 1)
}

fn encode(segment: &str) -> String {
    url::form_urlencoded::byte_serialize(segment.as_bytes()).collect()
}
