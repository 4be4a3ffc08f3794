//! The `authorization_code` grant with PKCE (RFC 6749 §4.1.3, RFC 7636 §4.6).

use super::TokenForm;
use super::error::OAuthError;
use super::response::{Grant, TokenResponse, issue};
use crate::auth0::Auth0;
use crate::auth0::pkce;
use crate::auth0::store::{REFRESH_TOKEN_TTL, RefreshGrant};

pub async fn exchange(auth0: &Auth0, form: &TokenForm) -> Result<TokenResponse, OAuthError> {
    let code = form
        .code
        .as_deref()
        .ok_or_else(|| OAuthError::invalid_request("code is required."))?;
    // Taking the code burns it whatever happens next: codes are single-use.
    let grant = auth0
        .store
        .codes
        .take(code)
        .ok_or_else(|| OAuthError::invalid_grant("Invalid authorization code"))?;
    let login = &grant.login;
    if login.client_id != auth0.config.client_id {
        return Err(OAuthError::invalid_grant(
            "The code was issued to another client.",
        ));
    }
    if form.redirect_uri.as_deref() != Some(login.redirect_uri.as_str()) {
        return Err(OAuthError::invalid_grant(
            "redirect_uri does not match the authorization request.",
        ));
    }
    let verifier = form.code_verifier.as_deref().unwrap_or_default();
    if !pkce::verify(verifier, &login.code_challenge) {
        return Err(OAuthError::invalid_grant("Failed to verify code verifier"));
    }
    let mut tokens = issue(
        auth0,
        Grant {
            user: grant.user,
            scope: &login.scope,
            nonce: login.nonce.as_deref(),
            auth_time: grant.auth_time,
            id_token_fault: auth0.faults.take_id_token(),
            audience: None,
        },
    )
    .await?;
    if login
        .scope
        .split_whitespace()
        .any(|s| s == "offline_access")
    {
        let refresh = RefreshGrant {
            client_id: login.client_id.clone(),
            user: grant.user,
            scope: login.scope.clone(),
            auth_time: grant.auth_time,
        };
        tokens.refresh_token = Some(
            auth0
                .store
                .refresh_tokens
                .insert(refresh, REFRESH_TOKEN_TTL),
        );
    }
    tracing::info!(sub = grant.user.sub, "authorization code exchanged");
    Ok(tokens)
}
