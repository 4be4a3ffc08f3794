//! `GET /userinfo` (OpenID Connect Core §5.3) for a sandbox access token.

use std::sync::Arc;

use axum::Json;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde_json::json;

use super::Auth0;

pub async fn userinfo(State(auth0): State<Arc<Auth0>>, headers: HeaderMap) -> Response {
    let grant = bearer_token(&headers).and_then(|token| auth0.store.access_tokens.get(token));
    match grant {
        Some(grant) => (
            [(header::CACHE_CONTROL, "no-store")],
            Json(json!({
                "sub": grant.user.sub,
                "email": grant.user.email,
                "name": grant.user.name,
            })),
        )
            .into_response(),
        None => (
            StatusCode::UNAUTHORIZED,
            [(header::WWW_AUTHENTICATE, "Bearer error=\"invalid_token\"")],
            Json(json!({ "error": "invalid_token", "error_description": "Invalid or expired access token." })),
        )
            .into_response(),
    }
}

/// The token of an `Authorization: Bearer …` header.
pub(super) fn bearer_token(headers: &HeaderMap) -> Option<&str> {
    let value = headers.get(header::AUTHORIZATION)?.to_str().ok()?;
    let (scheme, token) = value.split_once(' ')?;
    scheme.eq_ignore_ascii_case("bearer").then(|| token.trim())
}
