//! The test admin API for CIBA requests: list them with their poll times
//! and `authorization_details`, approve or deny one without a browser.
//!
//! - `GET /__sandbox/ciba/requests`
//! - `POST /__sandbox/ciba/requests/{handle}/approve` with an optional
//!   `{"sub": "<another demo user's sub>"}`: the ID token then names that
//!   user, as when someone else approves
//! - `POST /__sandbox/ciba/requests/{handle}/deny`
//! - `POST /__sandbox/ciba/requests/{handle}/expire`: the request's expiry
//!   passes now, so a test sees `expired_token` without waiting it out

use std::sync::Arc;

use axum::Json;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use serde_json::json;

use super::{CibaView, DecideError, Decision};
use crate::auth0::Auth0;
use crate::auth0::users::by_sub;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ApproveBody {
    sub: String,
}

pub async fn list(State(auth0): State<Arc<Auth0>>) -> Json<Vec<CibaView>> {
    Json(auth0.store.ciba.all())
}

pub async fn approve(
    State(auth0): State<Arc<Auth0>>,
    Path(handle): Path<String>,
    body: Bytes,
) -> Response {
    let approver = if body.iter().all(u8::is_ascii_whitespace) {
        None
    } else {
        let Ok(ApproveBody { sub }) = serde_json::from_slice(&body) else {
            return refused(StatusCode::BAD_REQUEST, "expected {\"sub\": \"...\"}");
        };
        match by_sub(&sub) {
            Some(user) => Some(user),
            None => return refused(StatusCode::BAD_REQUEST, "sub is not a demo user's"),
        }
    };
    decide(&auth0, &handle, Decision::Approve, approver)
}

pub async fn deny(State(auth0): State<Arc<Auth0>>, Path(handle): Path<String>) -> Response {
    decide(&auth0, &handle, Decision::Deny, None)
}

pub async fn expire(State(auth0): State<Arc<Auth0>>, Path(handle): Path<String>) -> Response {
    match auth0.store.ciba.expire(&handle) {
        Ok(()) => {
            tracing::info!("CIBA request expired through the admin API");
            Json(json!({ "state": "expired" })).into_response()
        }
        Err(DecideError::NotFound) => refused(StatusCode::NOT_FOUND, "no such request"),
        Err(DecideError::NotPending) => {
            refused(StatusCode::CONFLICT, "the request is no longer pending")
        }
    }
}

fn decide(
    auth0: &Auth0,
    handle: &str,
    decision: Decision,
    approver: Option<&'static crate::auth0::users::DemoUser>,
) -> Response {
    match auth0.store.ciba.decide(handle, decision, None, approver) {
        Ok(()) => {
            tracing::info!(?decision, "CIBA request answered through the admin API");
            Json(json!({ "state": state_name(decision) })).into_response()
        }
        Err(DecideError::NotFound) => refused(StatusCode::NOT_FOUND, "no such request"),
        Err(DecideError::NotPending) => {
            refused(StatusCode::CONFLICT, "the request is no longer pending")
        }
    }
}

pub fn state_name(decision: Decision) -> &'static str {
    match decision {
        Decision::Approve => "approved",
        Decision::Deny => "denied",
    }
}

fn refused(status: StatusCode, reason: &str) -> Response {
    (status, Json(json!({ "error": reason }))).into_response()
}
