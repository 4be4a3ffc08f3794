//! Local, wire-compatible stand-ins for the services Custodian talks to, so
//! it runs and is tested end to end without a cloud account.
//!
//! One port serves everything: the Auth0 stand-in at the root (issuer
//! `{public_url}/`), the Bedrock agent runtime under `/bedrock`, and the
//! test admin API under `/__sandbox`. Each service is its own module with
//! its own router; later stand-ins (Okta, FGA, CIBA) join the same way.

mod agent_runtime;
pub mod cli;
pub mod config;
pub mod faults;
mod idp;
mod request_log;
mod secrets;
mod server;
mod state;
mod ttl_map;

use axum::Router;

pub use config::{DEFAULT_CHUNK_DELAY, SandboxConfig, public_url_from_custodian_config};
pub use idp::users::{DemoUser, demo_users};
pub use server::{RunningSandbox, spawn};
pub use state::SandboxState;

/// All services of the sandbox on one router.
pub fn router(state: SandboxState) -> Router {
    Router::new()
        .merge(idp::router(state.idp))
        .merge(agent_runtime::router(state.agent_runtime))
        .merge(faults::router(state.faults))
        .layer(axum::middleware::from_fn(request_log::log_request))
}
