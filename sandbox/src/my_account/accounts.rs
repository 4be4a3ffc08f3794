//! Which users have connected which external accounts: the record behind
//! Token Vault. Auth0 keeps these in the user profile's `connected_accounts`
//! ("Connected Accounts for Token Vault"); an exchange for a connection
//! works only while the user has an account connected there.

use std::collections::HashMap;
use std::sync::{Mutex, PoisonError};

use chrono::{DateTime, SecondsFormat, Utc};
use serde::Serialize;

use crate::auth0::users::{DemoUser, demo_users};
use crate::shared::secrets::random_token;

/// One connected account, in the My Account API's shape
/// (`GET /me/v1/connected-accounts/accounts` items, as read by
/// auth0-server-python's `ConnectedAccount` and nextjs-auth0's
/// `listConnectedAccounts`: id, connection, access_type, scopes,
/// created_at, expires_at).
#[derive(Clone, Debug, Serialize)]
pub struct ConnectedAccount {
    pub id: String,
    pub connection: String,
    pub access_type: &'static str,
    pub scopes: Vec<String>,
    pub created_at: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub expires_at: Option<String>,
}

#[derive(Default)]
pub struct ConnectedAccounts {
    /// By Auth0 user id.
    by_user: Mutex<HashMap<String, Vec<ConnectedAccount>>>,
}

impl ConnectedAccounts {
    /// The demo users marked connected have their Okta account connected
    /// at `connection` from the start, so the existing demos work as before.
    pub fn seeded(connection: &str, scopes: &[&str]) -> Self {
        let accounts = Self::default();
        for user in demo_users().iter().filter(|u| u.okta_connected) {
            accounts.connect(
                user,
                connection,
                scopes.iter().map(|s| (*s).to_owned()).collect(),
            );
        }
        accounts
    }

    /// Connects (or reconnects) the user's account at `connection`.
    pub fn connect(
        &self,
        user: &DemoUser,
        connection: &str,
        scopes: Vec<String>,
    ) -> ConnectedAccount {
        let account = ConnectedAccount {
            // Auth0's ids look like `cac_abc123` (nextjs-auth0's fixtures).
            id: format!("cac_{}", &random_token()[..16]),
            connection: connection.to_owned(),
            access_type: "offline",
            scopes,
            created_at: now(),
            expires_at: None,
        };
        let mut by_user = self.lock();
        let list = by_user.entry(user.sub.to_owned()).or_default();
        list.retain(|a| a.connection != connection);
        list.push(account.clone());
        account
    }

    /// The user's accounts, optionally at one connection only.
    pub fn list(&self, user: &DemoUser, connection: Option<&str>) -> Vec<ConnectedAccount> {
        self.lock()
            .get(user.sub)
            .into_iter()
            .flatten()
            .filter(|a| connection.is_none_or(|c| a.connection == c))
            .cloned()
            .collect()
    }

    /// Removes one of the user's accounts; `None` when they have no such id.
    pub fn delete(&self, user: &DemoUser, id: &str) -> Option<ConnectedAccount> {
        let mut by_user = self.lock();
        let list = by_user.get_mut(user.sub)?;
        let at = list.iter().position(|a| a.id == id)?;
        Some(list.remove(at))
    }

    pub fn is_connected(&self, user: &DemoUser, connection: &str) -> bool {
        !self.list(user, Some(connection)).is_empty()
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<String, Vec<ConnectedAccount>>> {
        self.by_user.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

fn now() -> String {
    let now: DateTime<Utc> = Utc::now();
    now.to_rfc3339_opts(SecondsFormat::Millis, true)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn demo_users_start_as_marked_and_accounts_come_and_go() {
        let accounts = ConnectedAccounts::seeded("Okta-OIDC", &["okta.groups.read"]);
        let users = demo_users();
        let newcomer = users.iter().find(|u| !u.okta_connected).unwrap();
        assert!(accounts.is_connected(&users[0], "Okta-OIDC"));
        assert!(!accounts.is_connected(&users[0], "google-oauth2"));
        assert!(!accounts.is_connected(newcomer, "Okta-OIDC"));

        let account = accounts.connect(newcomer, "Okta-OIDC", vec!["openid".into()]);
        assert!(account.id.starts_with("cac_"));
        assert_eq!(accounts.list(newcomer, None).len(), 1);
        assert!(
            accounts.delete(&users[0], &account.id).is_none(),
            "not theirs"
        );
        assert!(accounts.delete(newcomer, &account.id).is_some());
        assert!(!accounts.is_connected(newcomer, "Okta-OIDC"));
    }
}
