//! What every Okta API request passes first: armed faults, then the token.

use std::sync::Arc;

use axum::extract::{Request, State};
use axum::http::{HeaderMap, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use chrono::Utc;

use super::Okta;
use super::error::OktaError;
use super::limits::{LIMIT, RateLimit};
use crate::auth0::token_vault::VaultGrant;
use crate::faults::{OKTA_SLOW_DELAY, OktaFault};

pub async fn guard(State(okta): State<Arc<Okta>>, mut request: Request, next: Next) -> Response {
    let slow = match okta.faults.take_okta(request.uri().path()) {
        Some(OktaFault::RateLimit { reset_in_seconds }) => {
            let limit = RateLimit {
                limit: LIMIT,
                remaining: 0,
                reset: Utc::now().timestamp() + reset_in_seconds as i64,
            };
            return OktaError::rate_limited(limit).into_response();
        }
        Some(OktaFault::Unauthorized) => return OktaError::invalid_token().into_response(),
        Some(OktaFault::Down) => return OktaError::unavailable().into_response(),
        Some(OktaFault::SlowReset) => true,
        None => false,
    };
    // Only live tokens from the Token Vault exchange; API keys (`SSWS`),
    // the IdP's own access tokens and expired tokens are all refused.
    let Some(grant) = bearer_token(request.headers()).and_then(|t| okta.vault.get(t)) else {
        tracing::info!("Okta request with an invalid token");
        return OktaError::invalid_token().into_response();
    };
    request.extensions_mut().insert(grant);
    let response = next.run(request).await;
    if slow {
        tracing::info!("answering a password reset late, as armed");
        tokio::time::sleep(OKTA_SLOW_DELAY).await;
    }
    response
}

/// The administrator on whose behalf a request is made.
pub type Caller = axum::Extension<VaultGrant>;

fn bearer_token(headers: &HeaderMap) -> Option<&str> {
    let value = headers.get(header::AUTHORIZATION)?.to_str().ok()?;
    let (scheme, token) = value.split_once(' ')?;
    scheme.eq_ignore_ascii_case("bearer").then(|| token.trim())
}
