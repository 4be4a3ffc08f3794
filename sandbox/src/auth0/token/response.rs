//! The successful token response and the tokens in it.

use axum::Json;
use axum::http::header;
use axum::response::{IntoResponse, Response};
use chrono::{DateTime, Utc};
use serde::Serialize;
use serde_json::Value;

use super::error::OAuthError;
use crate::auth0::Auth0;
use crate::auth0::id_token::{self, IdTokenSubject, TOKEN_LIFETIME_SECS};
use crate::auth0::store::{ACCESS_TOKEN_TTL, AccessGrant};
use crate::auth0::users::DemoUser;
use crate::faults::IdTokenFault;

#[derive(Serialize)]
pub struct TokenResponse {
    access_token: String,
    id_token: String,
    token_type: &'static str,
    expires_in: i64,
    scope: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub refresh_token: Option<String>,
    /// What an approved Rich Authorization Request granted, as requested.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub authorization_details: Option<Value>,
}

impl IntoResponse for TokenResponse {
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

/// What the issued tokens describe.
pub struct Grant<'a> {
    pub user: &'static DemoUser,
    pub scope: &'a str,
    pub nonce: Option<&'a str>,
    pub auth_time: DateTime<Utc>,
    pub id_token_fault: Option<IdTokenFault>,
    /// An API audience (a multi-resource refresh); `None` for sign-in.
    pub audience: Option<&'a str>,
}

/// A fresh opaque access token (remembered for `/userinfo`) and an ID token.
pub async fn issue(auth0: &Auth0, grant: Grant<'_>) -> Result<TokenResponse, OAuthError> {
    let subject = IdTokenSubject {
        issuer: &auth0.issuer,
        client_id: &auth0.config.client_id,
        user: grant.user,
        nonce: grant.nonce,
        auth_time: grant.auth_time,
    };
    let id_token = id_token::mint(&auth0.keys, subject, grant.id_token_fault)
        .await
        .map_err(|err| {
            tracing::error!(error = %err, "minting the ID token failed");
            OAuthError::server_error()
        })?;
    let access_token = auth0.store.access_tokens.insert(
        AccessGrant {
            user: grant.user,
            audience: grant.audience.map(str::to_owned),
            scope: grant.scope.to_owned(),
        },
        ACCESS_TOKEN_TTL,
    );
    Ok(TokenResponse {
        access_token,
        id_token,
        token_type: "Bearer",
        expires_in: TOKEN_LIFETIME_SECS,
        scope: grant.scope.to_owned(),
        refresh_token: None,
        authorization_details: None,
    })
}
