//! Token Vault: a refresh token this IdP issued is exchanged for the user's
//! access token at the federated connection (Okta), once the user has
//! connected their account there through the My Account API's Connected
//! Accounts flow (Auth0's token-exchange reference: "the user's external
//! account connected through the Connected Accounts flow").

use axum::Json;
use axum::http::header;
use axum::response::{IntoResponse, Response};
use serde::Serialize;

use super::TokenForm;
use super::error::OAuthError;
use crate::auth0::Auth0;
use crate::auth0::OKTA_SCOPES;
use crate::faults::TokenVaultFault;

pub const GRANT_TYPE: &str =
    "urn:auth0:params:oauth:grant-type:token-exchange:federated-connection-access-token";
const SUBJECT_TOKEN_TYPE: &str = "urn:ietf:params:oauth:token-type:refresh_token";
const REQUESTED_TOKEN_TYPE: &str =
    "http://auth0.com/oauth/token-type/federated-connection-access-token";

#[derive(Serialize)]
pub struct VaultResponse {
    access_token: String,
    issued_token_type: &'static str,
    token_type: &'static str,
    expires_in: u64,
    scope: String,
}

impl IntoResponse for VaultResponse {
    fn into_response(self) -> Response {
        ([(header::CACHE_CONTROL, "no-store")], Json(self)).into_response()
    }
}

pub fn exchange(auth0: &Auth0, form: &TokenForm) -> Result<VaultResponse, OAuthError> {
    auth0.vault.record_exchange();
    match auth0.faults.take_token_vault() {
        Some(TokenVaultFault::Down) => return Err(OAuthError::temporarily_unavailable()),
        Some(TokenVaultFault::Refuse) => {
            return Err(OAuthError::invalid_grant(
                "Unknown or invalid refresh token.",
            ));
        }
        None => {}
    }
    if form.subject_token_type.as_deref() != Some(SUBJECT_TOKEN_TYPE) {
        return Err(OAuthError::invalid_request(format!(
            "subject_token_type must be {SUBJECT_TOKEN_TYPE}."
        )));
    }
    if form.requested_token_type.as_deref() != Some(REQUESTED_TOKEN_TYPE) {
        return Err(OAuthError::invalid_request(format!(
            "requested_token_type must be {REQUESTED_TOKEN_TYPE}."
        )));
    }
    let connection = form
        .connection
        .as_deref()
        .ok_or_else(|| OAuthError::invalid_request("connection is required."))?;
    let subject_token = form
        .subject_token
        .as_deref()
        .ok_or_else(|| OAuthError::invalid_request("subject_token is required."))?;
    let grant = auth0
        .store
        .refresh_tokens
        .get(subject_token)
        .filter(|grant| grant.client_id == auth0.config.client_id)
        .ok_or_else(|| OAuthError::invalid_grant("Unknown or invalid refresh token."))?;
    // Auth0 answers 401 when it holds no tokenset for the user at the
    // connection: another connection, or an account not (or no longer)
    // connected.
    if connection != auth0.config.connection_name
        || !auth0.vault.accounts.is_connected(grant.user, connection)
    {
        return Err(OAuthError::no_federated_token());
    }
    let lifetime = auth0.config.token_vault_lifetime;
    let access_token = auth0.vault.mint(grant.user, lifetime);
    tracing::info!(sub = grant.user.sub, "federated connection token issued");
    Ok(VaultResponse {
        access_token,
        issued_token_type: REQUESTED_TOKEN_TYPE,
        token_type: "Bearer",
        expires_in: lifetime.as_secs(),
        scope: OKTA_SCOPES.join(" "),
    })
}
