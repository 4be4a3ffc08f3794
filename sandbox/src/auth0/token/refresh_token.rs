//! The `refresh_token` grant (RFC 6749 §6). Refresh tokens are not rotated:
//! the response carries none, as Auth0's does with rotation off (which
//! Token Vault requires).
//!
//! With `audience` set to the My Account API (`{issuer}me/`) the refresh
//! token yields a token for that API, as a Multi-Resource Refresh Token does
//! (Auth0 "Configure and implement Multi-Resource Refresh Token"; the
//! auth0-server-python and nextjs-auth0 SDKs ask for the connected-accounts
//! scopes this way). The sandbox's refresh-token policy allows exactly
//! the connected-accounts scopes there.

use super::TokenForm;
use super::error::OAuthError;
use super::response::{Grant, TokenResponse, issue};
use crate::auth0::Auth0;
use crate::my_account::MY_ACCOUNT_SCOPES;

pub async fn exchange(auth0: &Auth0, form: &TokenForm) -> Result<TokenResponse, OAuthError> {
    let token = form
        .refresh_token
        .as_deref()
        .ok_or_else(|| OAuthError::invalid_request("refresh_token is required."))?;
    let grant = auth0
        .store
        .refresh_tokens
        .get(token)
        .filter(|grant| grant.client_id == auth0.config.client_id)
        .ok_or_else(|| OAuthError::invalid_grant("Unknown or invalid refresh token."))?;
    let my_account = auth0.my_account_audience();
    let audience = form.audience.as_deref().filter(|a| *a == my_account);
    // A refresh may narrow the allowed scope, never widen it.
    let allowed: Vec<&str> = match audience {
        Some(_) => MY_ACCOUNT_SCOPES.to_vec(),
        None => grant.scope.split_whitespace().collect(),
    };
    let scope = match form.scope.as_deref() {
        Some(requested) => {
            if !requested.split_whitespace().all(|s| allowed.contains(&s)) {
                return Err(OAuthError::invalid_scope(
                    "The requested scope exceeds the original grant.",
                ));
            }
            requested.to_owned()
        }
        None => allowed.join(" "),
    };
    issue(
        auth0,
        Grant {
            user: grant.user,
            scope: &scope,
            nonce: None,
            auth_time: grant.auth_time,
            id_token_fault: None,
            audience,
        },
    )
    .await
}
