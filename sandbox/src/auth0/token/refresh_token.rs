//! The `refresh_token` grant (RFC 6749 §6). Refresh tokens are not rotated:
//! the response carries none, as Auth0's does with rotation off (which
//! Token Vault requires).

use super::TokenForm;
use super::error::OAuthError;
use super::response::{Grant, TokenResponse, issue};
use crate::auth0::Idp;

pub async fn exchange(idp: &Idp, form: &TokenForm) -> Result<TokenResponse, OAuthError> {
    let token = form
        .refresh_token
        .as_deref()
        .ok_or_else(|| OAuthError::invalid_request("refresh_token is required."))?;
    let grant = idp
        .store
        .refresh_tokens
        .get(token)
        .filter(|grant| grant.client_id == idp.config.client_id)
        .ok_or_else(|| OAuthError::invalid_grant("Unknown or invalid refresh token."))?;
    // A refresh may narrow the original scope, never widen it.
    let scope = match form.scope.as_deref() {
        Some(requested) => {
            let granted: Vec<&str> = grant.scope.split_whitespace().collect();
            if !requested.split_whitespace().all(|s| granted.contains(&s)) {
                return Err(OAuthError::invalid_scope(
                    "The requested scope exceeds the original grant.",
                ));
            }
            requested
        }
        None => &grant.scope,
    };
    issue(
        idp,
        Grant {
            user: grant.user,
            scope,
            nonce: None,
            auth_time: grant.auth_time,
            id_token_fault: None,
        },
    )
    .await
}
