//! The client-credentials grant (RFC 6749 §4.4), for the Management API:
//! the authenticated client gets a JWT for `https://{domain}/api/v2/` with
//! the scopes of its client grant (Auth0, "Client Credentials Flow" and "Get
//! Management API Access Tokens for Production",
//! https://auth0.com/docs/secure/tokens/access-tokens/management-api-access-tokens/get-management-api-access-tokens-for-production).
//!
//! The sandbox application's one client grant is on the Management API with
//! `read:users`. The refusals are Auth0's 403 `access_denied` answers: no
//! audience ("Non-global clients are not allowed access to APIv1"), an API
//! without a client grant ("… You need to create a \"client-grant\"
//! associated to this API."), an unknown one ("Service not found: …"), and
//! scopes beyond the grant ("Client has not been granted scopes: …").

use axum::Json;
use axum::http::header;
use axum::response::{IntoResponse, Response};
use serde::Serialize;

use super::TokenForm;
use super::error::OAuthError;
use crate::auth0::management::{GRANTED_SCOPES, TOKEN_LIFETIME_SECS, access_token};
use crate::auth0::{Auth0, audience};

pub const GRANT_TYPE: &str = "client_credentials";

/// No ID token and no refresh token: there is no user.
#[derive(Serialize)]
pub struct ClientTokenResponse {
    access_token: String,
    scope: String,
    expires_in: i64,
    token_type: &'static str,
}

impl IntoResponse for ClientTokenResponse {
    fn into_response(self) -> Response {
        (
            [
                (header::CACHE_CONTROL, "no-store"),
                (header::PRAGMA, "no-cache"),
            ],
            Json(self),
        )
            .into_response()
    }
}

/// A Management API token for the (already authenticated) client.
pub fn exchange(auth0: &Auth0, form: &TokenForm) -> Result<ClientTokenResponse, OAuthError> {
    let client_id = &auth0.config.client_id;
    check_audience(auth0, form.audience.as_deref())?;
    let scope = granted_scope(form.scope.as_deref())?;
    let access_token = access_token::mint(auth0, client_id, &scope).map_err(|err| {
        tracing::error!(error = %err, "minting the Management API token failed");
        OAuthError::server_error()
    })?;
    Ok(ClientTokenResponse {
        access_token,
        scope,
        expires_in: TOKEN_LIFETIME_SECS,
        token_type: "Bearer",
    })
}

/// Only the Management API has a client grant for this client.
fn check_audience(auth0: &Auth0, requested: Option<&str>) -> Result<(), OAuthError> {
    if requested == Some(auth0.management_audience().as_str()) {
        return Ok(());
    }
    match audience::resolve(&auth0.config, requested) {
        Ok(None) => Err(OAuthError::access_denied(
            "Non-global clients are not allowed access to APIv1",
        )),
        Ok(Some(api)) => Err(OAuthError::access_denied(format!(
            "Client \"{}\" is not authorized to access resource server \"{}\". \
             You need to create a \"client-grant\" associated to this API.",
            auth0.config.client_id, api.identifier
        ))),
        Err(not_found) => Err(OAuthError::access_denied(not_found.description())),
    }
}

/// The requested scopes, or the whole grant when none are named; naming
/// one outside the grant refuses the request.
fn granted_scope(requested: Option<&str>) -> Result<String, OAuthError> {
    let requested: Vec<&str> = requested.unwrap_or_default().split_whitespace().collect();
    let refused: Vec<&str> = requested
        .iter()
        .filter(|scope| !GRANTED_SCOPES.contains(scope))
        .copied()
        .collect();
    if !refused.is_empty() {
        return Err(OAuthError::access_denied(format!(
            "Client has not been granted scopes: {}",
            refused.join(", ")
        )));
    }
    let granted: Vec<&str> = GRANTED_SCOPES
        .iter()
        .filter(|scope| requested.is_empty() || requested.contains(scope))
        .copied()
        .collect();
    Ok(granted.join(" "))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn no_scope_asks_for_the_whole_grant() {
        assert_eq!(granted_scope(None).unwrap(), "read:users");
        assert_eq!(granted_scope(Some(" ")).unwrap(), "read:users");
        assert_eq!(granted_scope(Some("read:users")).unwrap(), "read:users");
    }

    #[test]
    fn scopes_beyond_the_grant_are_refused_by_name() {
        let err = granted_scope(Some("read:users update:users delete:users")).unwrap_err();
        assert_eq!(err.error(), "access_denied");
        let wanted = "Client has not been granted scopes: update:users, delete:users";
        assert!(format!("{err:?}").contains(wanted), "{err:?}");
    }
}
