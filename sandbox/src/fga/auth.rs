//! The client-credentials token endpoint (`POST /fga/oauth/token`, as
//! `auth.fga.dev` serves it) and the gate every API request passes: armed
//! faults first, then the bearer token.

use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::time::Duration;

use axum::Json;
use axum::body::Bytes;
use axum::extract::{Request, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use serde_json::json;

use super::Fga;
use super::error::FgaError;
use crate::faults::{FGA_SLOW_DELAY, FgaFault};
use crate::shared::secrets::constant_time_eq;
use crate::web::form_or_json;

/// How long an FGA API token lives.
pub const TOKEN_LIFETIME: Duration = Duration::from_secs(3600);

#[derive(Deserialize)]
struct TokenRequest {
    grant_type: Option<String>,
    client_id: Option<String>,
    client_secret: Option<String>,
    audience: Option<String>,
}

/// Accepts a JSON or a form-encoded body, like Auth0 does.
pub async fn token(State(fga): State<Arc<Fga>>, headers: HeaderMap, body: Bytes) -> Response {
    let Some(request) = form_or_json::parse::<TokenRequest>(&headers, &body) else {
        return token_error(
            StatusCode::BAD_REQUEST,
            "invalid_request",
            "Malformed request body.",
        );
    };
    if request.grant_type.as_deref() != Some("client_credentials") {
        return token_error(
            StatusCode::BAD_REQUEST,
            "unsupported_grant_type",
            "Only client_credentials is supported.",
        );
    }
    let config = &fga.config.fga;
    let id_ok = request.client_id.as_deref() == Some(config.client_id.as_str());
    let secret_ok = constant_time_eq(
        request.client_secret.unwrap_or_default().as_bytes(),
        config.client_secret.as_bytes(),
    );
    if !(id_ok && secret_ok) {
        tracing::info!("FGA client authentication failed");
        return token_error(StatusCode::UNAUTHORIZED, "access_denied", "Unauthorized");
    }
    if request.audience.as_deref() != Some(config.audience.as_str()) {
        return token_error(
            StatusCode::FORBIDDEN,
            "access_denied",
            "Service not enabled within domain: the audience is not this FGA API.",
        );
    }
    let access_token = fga.tokens.insert((), TOKEN_LIFETIME);
    (
        [(header::CACHE_CONTROL, "no-store")],
        Json(json!({
            "access_token": access_token,
            "expires_in": TOKEN_LIFETIME.as_secs(),
            "token_type": "Bearer",
        })),
    )
        .into_response()
}

fn token_error(status: StatusCode, error: &str, description: &str) -> Response {
    (
        status,
        Json(json!({ "error": error, "error_description": description })),
    )
        .into_response()
}

/// Counts checks, applies armed faults, then requires a live token.
pub async fn guard(State(fga): State<Arc<Fga>>, request: Request, next: Next) -> Response {
    if request.uri().path().ends_with("/check") {
        fga.checks.fetch_add(1, Ordering::Relaxed);
    }
    match fga.faults.take_fga() {
        Some(FgaFault::Down) => return FgaError::unavailable().into_response(),
        Some(FgaFault::Garbage) => {
            return (
                StatusCode::OK,
                [(header::CONTENT_TYPE, "text/html")],
                "<html><body>upstream proxy error</body></html>",
            )
                .into_response();
        }
        Some(FgaFault::Slow) => tokio::time::sleep(FGA_SLOW_DELAY).await,
        Some(FgaFault::RateLimit {
            retry_after_seconds,
        }) => {
            return FgaError::rate_limited(Duration::from_secs(retry_after_seconds))
                .into_response();
        }
        None => {}
    }
    let token = request
        .headers()
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split_once(' '))
        .filter(|(scheme, _)| scheme.eq_ignore_ascii_case("bearer"))
        .map(|(_, token)| token.trim().to_owned());
    match token {
        None => FgaError::bearer_token_missing().into_response(),
        Some(token) if fga.tokens.get(&token).is_none() => {
            FgaError::invalid_bearer_token().into_response()
        }
        Some(_) => next.run(request).await,
    }
}
