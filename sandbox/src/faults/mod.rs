//! Fault injection, so tests can prove clients cope with bad answers.
//!
//! A test arms a fault through the admin API; the next matching response
//! (or the next `times` ones) carries it, then the fault disarms itself.
//!
//! - `POST /__sandbox/faults/id-token` `{"fault": "wrong_issuer"}` (one-shot)
//! - `POST /__sandbox/faults/agent` `{"fault": "throttle"}`,
//!   `{"fault": "stream_exception", "exception": "dependencyFailedException", "after_frames": 2}`
//!   or `{"fault": "http_error", "exception": "throttlingException", "times": 3}`
//! - `POST /__sandbox/faults/okta` `{"fault": "rate_limit", "reset_in_seconds": 2, "times": 1}`
//! - `POST /__sandbox/faults/token-vault` `{"fault": "refuse", "times": 1}`
//! - `POST /__sandbox/faults/fga` `{"fault": "slow", "times": 1}` or
//!   `{"fault": "rate_limit", "retry_after_seconds": 1}`
//! - `POST /__sandbox/faults/ciba` `{"fault": "down", "times": 1}`,
//!   `{"fault": "rate_limit", "reset_in_seconds": 1, "times": 2}` or
//!   `{"fault": "invalid_request"}` (CIBA polls)
//! - `POST /__sandbox/faults/management` `{"fault": "rate_limit", "reset_in_seconds": 1}`
//!   or `{"fault": "down"}` (Management API requests)
//!
//! `times` defaults to 1.

mod kinds;
mod slot;

use std::sync::Arc;
use std::time::Duration;

use axum::extract::State;
use axum::extract::rejection::JsonRejection;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use axum::{Json, Router};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use serde_json::json;

pub use kinds::{
    AgentFault, CibaFault, FgaFault, IdTokenFault, ManagementFault, OktaFault, TokenVaultFault,
};
use slot::{Counted, OneShot};

/// How late a `slow_reset` Okta answer comes: past the client's 5 s timeout.
pub const OKTA_SLOW_DELAY: Duration = Duration::from_secs(7);

/// How late a `slow` FGA answer comes: well past the client's 3 s timeout.
pub const FGA_SLOW_DELAY: Duration = Duration::from_secs(10);

/// Armed faults, shared by the services that honour them.
#[derive(Default)]
pub struct Faults {
    id_token: OneShot<IdTokenFault>,
    agent: Counted<AgentFault>,
    okta: Counted<OktaFault>,
    token_vault: Counted<TokenVaultFault>,
    fga: Counted<FgaFault>,
    ciba: Counted<CibaFault>,
    management: Counted<ManagementFault>,
}

impl Faults {
    pub fn take_id_token(&self) -> Option<IdTokenFault> {
        self.id_token.take()
    }

    pub fn take_agent(&self) -> Option<AgentFault> {
        self.agent.take()
    }

    /// The Okta fault for a request to `path`: a slow reset waits for a
    /// reset, every other fault takes the next request.
    pub fn take_okta(&self, path: &str) -> Option<OktaFault> {
        let is_reset = path.ends_with("/lifecycle/reset_password");
        self.okta
            .take_if(|fault| is_reset || *fault != OktaFault::SlowReset)
    }

    pub fn take_token_vault(&self) -> Option<TokenVaultFault> {
        self.token_vault.take()
    }

    pub fn take_fga(&self) -> Option<FgaFault> {
        self.fga.take()
    }

    pub fn take_ciba(&self) -> Option<CibaFault> {
        self.ciba.take()
    }

    pub fn take_management(&self) -> Option<ManagementFault> {
        self.management.take()
    }
}

pub fn router(faults: Arc<Faults>) -> Router {
    let arm = Router::new()
        .route("/id-token", post(arm_id_token))
        .route("/agent", post(arm_agent))
        .route("/okta", post(arm_okta))
        .route("/token-vault", post(arm_token_vault))
        .route("/fga", post(arm_fga))
        .route("/ciba", post(arm_ciba))
        .route("/management", post(arm_management));
    Router::new()
        .nest("/__sandbox/faults", arm)
        .with_state(faults)
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ArmOnce<F> {
    fault: F,
}

/// A tagged fault (`{"fault": ..., its fields}`) and how often it fires.
#[derive(Deserialize)]
struct ArmCounted<F> {
    #[serde(flatten)]
    fault: F,
    #[serde(default = "once")]
    times: u32,
}

fn once() -> u32 {
    1
}

async fn arm_id_token(
    State(faults): State<Arc<Faults>>,
    body: Result<Json<ArmOnce<IdTokenFault>>, JsonRejection>,
) -> Response {
    arm_once(&faults.id_token, body)
}

async fn arm_agent(
    State(faults): State<Arc<Faults>>,
    body: Result<Json<ArmCounted<AgentFault>>, JsonRejection>,
) -> Response {
    arm_counted(&faults.agent, body)
}

async fn arm_okta(
    State(faults): State<Arc<Faults>>,
    body: Result<Json<ArmCounted<OktaFault>>, JsonRejection>,
) -> Response {
    arm_counted(&faults.okta, body)
}

async fn arm_token_vault(
    State(faults): State<Arc<Faults>>,
    body: Result<Json<ArmCounted<TokenVaultFault>>, JsonRejection>,
) -> Response {
    arm_counted(&faults.token_vault, body)
}

async fn arm_fga(
    State(faults): State<Arc<Faults>>,
    body: Result<Json<ArmCounted<FgaFault>>, JsonRejection>,
) -> Response {
    arm_counted(&faults.fga, body)
}

async fn arm_ciba(
    State(faults): State<Arc<Faults>>,
    body: Result<Json<ArmCounted<CibaFault>>, JsonRejection>,
) -> Response {
    arm_counted(&faults.ciba, body)
}

async fn arm_management(
    State(faults): State<Arc<Faults>>,
    body: Result<Json<ArmCounted<ManagementFault>>, JsonRejection>,
) -> Response {
    arm_counted(&faults.management, body)
}

fn arm_once<F: DeserializeOwned + Serialize + Copy + std::fmt::Debug>(
    slot: &OneShot<F>,
    body: Result<Json<ArmOnce<F>>, JsonRejection>,
) -> Response {
    match body {
        Ok(Json(ArmOnce { fault })) => {
            slot.arm(fault);
            tracing::info!(?fault, "fault armed for the next response");
            Json(json!({ "armed": fault })).into_response()
        }
        Err(rejection) => refused(rejection.body_text()),
    }
}

fn arm_counted<F: DeserializeOwned + Serialize + Copy + std::fmt::Debug>(
    slot: &Counted<F>,
    body: Result<Json<ArmCounted<F>>, JsonRejection>,
) -> Response {
    match body {
        Ok(Json(ArmCounted { times: 0, .. })) => refused("times must be at least 1".into()),
        Ok(Json(ArmCounted { fault, times })) => {
            slot.arm(fault, times);
            tracing::info!(?fault, times, "fault armed");
            Json(json!({ "armed": fault, "times": times })).into_response()
        }
        Err(rejection) => refused(rejection.body_text()),
    }
}

/// The rejection text names the unknown variant and the accepted ones.
fn refused(reason: String) -> Response {
    (StatusCode::BAD_REQUEST, Json(json!({ "error": reason }))).into_response()
}
