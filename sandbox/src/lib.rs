//! Local, wire-compatible stand-ins for the services Custodian talks to, so
//! it runs and is tested end to end without a cloud account.
//!
//! One port serves everything: the Auth0 stand-in at the root (issuer
//! `{public_url}/`, with Token Vault), the Okta API under `/okta`, the
//! Auth0 FGA (OpenFGA) API under `/fga`, the Bedrock agent runtime under
//! `/bedrock`, the AgentCore harness under `/agentcore`, and the test admin
//! API under `/__sandbox`. Each service is a folder with its own router
//! (`auth0` with Token Vault, `okta`, `fga`, `bedrock_agent`, `harness`,
//! `faults`); `intent_router` is the stand-in "model" both agent stand-ins
//! answer with, `cli` the command line, `web` the HTTP helpers they share
//! and `shared` the rest.

mod auth0;
mod bedrock_agent;
pub mod cli;
pub mod config;
pub mod faults;
mod fga;
pub mod harness;
mod intent_router;
mod my_account;
mod okta;
mod server;
mod shared;
mod state;
mod web;

use axum::Router;

pub use auth0::users::{DemoUser, demo_users};
pub use bedrock_agent::AgentException;
pub use config::{
    ACCESS_GRANT_DETAILS_TYPE, ApiConfig, DEFAULT_API_AUDIENCE, DEFAULT_CHUNK_DELAY,
    DEFAULT_CIBA_INTERVAL, DEFAULT_FGA_AUDIENCE, DEFAULT_TOKEN_VAULT_LIFETIME, FgaConfig,
    PASSWORD_RESET_DETAILS_TYPE, SandboxConfig, public_url_from_custodian_config,
};
pub use server::{RunningSandbox, spawn};
pub use state::SandboxState;

/// All services of the sandbox on one router.
pub fn router(state: SandboxState) -> Router {
    Router::new()
        .merge(my_account::router(state.auth0.clone()))
        .merge(auth0::router(state.auth0))
        .merge(bedrock_agent::router(state.bedrock_agent))
        .merge(harness::router(state.harness))
        .merge(okta::router(state.okta))
        .merge(fga::router(state.fga))
        .merge(auth0::token_vault::router(state.vault))
        .merge(faults::router(state.faults))
        .layer(axum::middleware::from_fn(web::request_log::log_request))
}
