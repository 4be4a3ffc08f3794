//! The Okta management API subset Custodian uses: find a user, list their
//! groups (every page), reset their password. Calls carry the
//! administrator's own federated access token, never a shared API key.

mod backoff;
mod error;
mod paging;

use std::time::Duration;

use moka::sync::Cache;
use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};
use reqwest::Response;
use secrecy::{ExposeSecret, SecretString};
use serde::Deserialize;
use url::Url;

pub use error::OktaError;
use error::{ErrorBody, classify};

use crate::outbound::CallCounter;

const TIMEOUT: Duration = Duration::from_secs(5);
/// A rate-limit reset this close is waited for; a later one is reported.
const MAX_BACKOFF_SECONDS: i64 = 2;
const MAX_ATTEMPTS: u32 = 3;
/// Okta's largest page for a user's groups (and its default).
const PAGE_SIZE: usize = 200;
/// Pages read before giving up: 10 000 groups at Okta's page size.
const MAX_PAGES: usize = 50;
/// What `encodeURIComponent` leaves alone, as Okta's SDK encodes a login
/// in a path: `bob+it@example.com` goes as `bob%2Bit%40example.com`.
const PATH_SEGMENT: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'_')
    .remove(b'.')
    .remove(b'!')
    .remove(b'~')
    .remove(b'*')
    .remove(b'\'')
    .remove(b'(')
    .remove(b')');

const USER_ID_ENTRIES: u64 = 10_000;
const USER_ID_AGE: Duration = Duration::from_secs(3600);

pub struct OktaClient {
    http: reqwest::Client,
    base: Url,
    /// Logins map to immutable user ids; caching them saves a call per
    /// lookup. Bounded in size, and aged so that a login given to a new
    /// user (the old one deleted) is looked up again.
    user_ids: Cache<String, String>,
    calls: CallCounter,
}

#[derive(Deserialize)]
struct User {
    id: String,
    #[serde(default)]
    status: Option<String>,
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
            http: crate::outbound::client(TIMEOUT),
            base: base.clone(),
            user_ids: Cache::builder()
                .max_capacity(USER_ID_ENTRIES)
                .time_to_live(USER_ID_AGE)
                .build(),
            calls,
        }
    }

    fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base.as_str().trim_end_matches('/'))
    }

    /// Whether a link Okta handed out points back into the same API, so
    /// that the token is never sent anywhere else.
    fn is_ours(&self, link: &str) -> bool {
        let prefix = self.url("/api/v1/");
        Url::parse(link).is_ok_and(|url| url.as_str().starts_with(&prefix))
    }

    /// The names of all the groups `login` belongs to, following Okta's
    /// `Link: rel="next"` pages to the end.
    pub async fn user_groups(
        &self,
        token: &SecretString,
        login: &str,
    ) -> Result<Vec<String>, OktaError> {
        let id = self.user_id(token, login).await?;
        let path = format!("/api/v1/users/{}/groups?limit={PAGE_SIZE}", encode(&id));
        let mut next = Some(self.url(&path));
        let mut names = Vec::new();
        for _ in 0..MAX_PAGES {
            let Some(page) = next.take() else {
                return Ok(names);
            };
            let response = self.send(token, login, |http| http.get(&page)).await?;
            next = paging::next_link(response.headers());
            if next.as_deref().is_some_and(|link| !self.is_ours(link)) {
                tracing::warn!("Okta's next-page link leaves the configured Okta API");
                return Err(OktaError::Unreadable);
            }
            let groups: Vec<Group> = response.json().await.map_err(|_| OktaError::Unreadable)?;
            names.extend(groups.into_iter().map(|g| g.profile.name));
        }
        match next {
            None => Ok(names),
            Some(_) => Err(OktaError::TooManyGroups(login.to_owned(), names.len())),
        }
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
        let path = format!(
            "/api/v1/users/{}/lifecycle/reset_password?sendEmail={send_email}",
            encode(&id)
        );
        let response = match self
            .send(token, login, |http| http.post(self.url(&path)))
            .await
        {
            Err(OktaError::NotAllowedInStatus { login, .. }) => {
                let status = self.user(token, &login).await.ok().and_then(|u| u.status);
                return Err(OktaError::NotAllowedInStatus { login, status });
            }
            other => other?,
        };
        let ticket: ResetTicket = response.json().await.map_err(|_| OktaError::Unreadable)?;
        Ok(ticket.reset_password_url.map(SecretString::from))
    }

    async fn user_id(&self, token: &SecretString, login: &str) -> Result<String, OktaError> {
        if let Some(id) = self.user_ids.get(login) {
            return Ok(id);
        }
        let user = self.user(token, login).await?;
        self.user_ids.insert(login.to_owned(), user.id.clone());
        Ok(user.id)
    }

    async fn user(&self, token: &SecretString, login: &str) -> Result<User, OktaError> {
        let url = self.url(&format!("/api/v1/users/{}", encode(login)));
        let response = self.send(token, login, |http| http.get(&url)).await?;
        response.json().await.map_err(|_| OktaError::Unreadable)
    }

    /// Sends with the token, waiting out a short rate limit a bounded
    /// number of times; other refusals become readable errors.
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
                .map_err(|error| {
                    // Not connected means not sent; anything later may
                    // have reached Okta.
                    if error.is_connect() {
                        OktaError::Unavailable
                    } else {
                        OktaError::NoAnswer
                    }
                })?;
            let status = response.status();
            if status.is_success() {
                return Ok(response);
            }
            if status != reqwest::StatusCode::TOO_MANY_REQUESTS {
                let body: ErrorBody = response.json().await.unwrap_or_default();
                return Err(classify(status, &body, login, token.expose_secret()));
            }
            let wait = backoff::reset_in(response.headers());
            if wait > MAX_BACKOFF_SECONDS || attempt >= MAX_ATTEMPTS {
                return Err(OktaError::RateLimited(wait.max(1)));
            }
            // One second more than the reset, as Okta's SDKs wait: the
            // reset is in whole seconds and the clocks differ below that.
            tokio::time::sleep(Duration::from_secs(wait.max(0) as u64 + 1)).await;
        }
    }
}

fn encode(segment: &str) -> String {
    utf8_percent_encode(segment, PATH_SEGMENT).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn logins_are_encoded_as_the_sdk_encodes_them() {
        assert_eq!(encode("bob+it@example.com"), "bob%2Bit%40example.com");
        assert_eq!(encode("../admin"), "..%2Fadmin");
        assert_eq!(encode("a b"), "a%20b");
    }

    #[test]
    fn only_links_into_the_same_api_are_followed() {
        let base = Url::parse("https://acme.okta.com/").unwrap();
        let client = OktaClient::new(&base, CallCounter::default());
        assert!(client.is_ours("https://acme.okta.com/api/v1/users/1/groups?after=x"));
        assert!(!client.is_ours("https://evil.example/api/v1/users/1/groups"));
        assert!(!client.is_ours("https://acme.okta.com.evil.example/api/v1/x"));
        assert!(!client.is_ours("not a url"));
    }
}
