//! One-shot fault injection, so tests can prove clients reject bad answers.
//!
//! A test arms a fault through the admin API; the next matching response
//! carries it and the fault disarms itself.

use std::sync::{Arc, Mutex, PoisonError};

use axum::extract::State;
use axum::extract::rejection::JsonRejection;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use axum::{Json, Router};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use serde_json::json;

/// Defects the next ID token from the authorization-code grant can carry.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum IdTokenFault {
    WrongIssuer,
    WrongAudience,
    WrongNonce,
    /// Signed by a different key that claims the published `kid`.
    BadSignature,
    /// Header `alg` is `none` and the signature is empty.
    AlgNone,
    /// `exp` lies in the past.
    Expired,
}

/// Failures the next InvokeAgent call can answer with.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum AgentFault {
    /// The stream's first and only frame is a `throttlingException`.
    Throttle,
}

/// Armed faults, shared by the services that honour them.
#[derive(Default)]
pub struct Faults {
    id_token: OneShot<IdTokenFault>,
    agent: OneShot<AgentFault>,
}

impl Faults {
    pub fn take_id_token(&self) -> Option<IdTokenFault> {
        self.id_token.take()
    }

    pub fn take_agent(&self) -> Option<AgentFault> {
        self.agent.take()
    }
}

struct OneShot<T>(Mutex<Option<T>>);

impl<T> Default for OneShot<T> {
    fn default() -> Self {
        Self(Mutex::new(None))
    }
}

impl<T> OneShot<T> {
    fn arm(&self, value: T) {
        *self.0.lock().unwrap_or_else(PoisonError::into_inner) = Some(value);
    }

    fn take(&self) -> Option<T> {
        self.0.lock().unwrap_or_else(PoisonError::into_inner).take()
    }
}

/// The admin API: `POST /__sandbox/faults/{id-token,agent}` with `{"fault": ...}`.
pub fn router(faults: Arc<Faults>) -> Router {
    Router::new()
        .route("/__sandbox/faults/id-token", post(arm_id_token))
        .route("/__sandbox/faults/agent", post(arm_agent))
        .with_state(faults)
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ArmRequest<F> {
    fault: F,
}

async fn arm_id_token(
    State(faults): State<Arc<Faults>>,
    body: Result<Json<ArmRequest<IdTokenFault>>, JsonRejection>,
) -> Response {
    arm(&faults.id_token, body)
}

async fn arm_agent(
    State(faults): State<Arc<Faults>>,
    body: Result<Json<ArmRequest<AgentFault>>, JsonRejection>,
) -> Response {
    arm(&faults.agent, body)
}

fn arm<F: DeserializeOwned + Serialize + Copy + std::fmt::Debug>(
    slot: &OneShot<F>,
    body: Result<Json<ArmRequest<F>>, JsonRejection>,
) -> Response {
    match body {
        Ok(Json(ArmRequest { fault })) => {
            slot.arm(fault);
            tracing::info!(?fault, "fault armed for the next response");
            Json(json!({ "armed": fault })).into_response()
        }
        // The rejection text names the unknown variant and the accepted ones.
        Err(rejection) => (
            StatusCode::BAD_REQUEST,
            Json(json!({ "error": rejection.body_text() })),
        )
            .into_response(),
    }
}
