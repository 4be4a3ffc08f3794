//! Everything a request needs, built once at start-up by the server.

use std::sync::Arc;

use axum::extract::FromRef;
use custodian_core::actions::ActionContext;
use custodian_core::audit::AuditLog;
use custodian_core::auth0::{MyAccount, OidcLogin, PendingAttempts};
use custodian_core::chat_turn::Agent;
use custodian_core::limits::Limits;
use custodian_core::sealing::Sealer;
use custodian_core::session::Sessions;
use custodian_core::settings::Settings;
use custodian_core::step_up::StepUpPoller;
use custodian_core::store::Store;
use leptos::config::LeptosOptions;
use leptos::prelude::*;

use crate::api::AppError;

/// Cloned into every request (its context, its middleware, Leptos' own
/// handler), so it is one shared pointer: a clone is a reference count.
#[derive(Clone)]
pub struct AppState(Arc<Services>);

impl AppState {
    pub fn new(services: Services) -> Self {
        Self(Arc::new(services))
    }
}

impl std::ops::Deref for AppState {
    type Target = Services;

    fn deref(&self) -> &Services {
        &self.0
    }
}

/// The clients, settings and stores a request may use.
pub struct Services {
    pub leptos_options: LeptosOptions,
    pub settings: Arc<Settings>,
    pub store: Arc<dyn Store>,
    pub sessions: Sessions,
    pub sealer: Arc<Sealer>,
    pub login: Arc<OidcLogin>,
    /// Redirect flows in flight (sign-in): sealed, stored, taken once.
    pub attempts: PendingAttempts,
    /// Connecting the user's Okta account for Token Vault.
    pub my_account: Arc<MyAccount>,
    /// Classic agent or AgentCore harness, as `agentHost` chose.
    pub agent: Agent,
    pub step_ups: Arc<StepUpPoller>,
    /// The clients the actions share (FGA among them), as the step-ups use
    /// them.
    pub actions: Arc<ActionContext>,
    /// Where decisions are recorded, and the Audit page reads them.
    pub audit: AuditLog,
    /// Sign-ins per client address and chat turns per user.
    pub limits: Limits,
    /// Auth0's `/v2/logout` with `client_id` and `returnTo`, built at start-up.
    pub logout_url: String,
}

impl FromRef<AppState> for LeptosOptions {
    fn from_ref(state: &AppState) -> Self {
        state.leptos_options.clone()
    }
}

/// The state the server provided to this request's reactive context.
pub fn state() -> Result<AppState, AppError> {
    use_context::<AppState>().ok_or_else(|| {
        tracing::error!("AppState missing from the request context");
        AppError::Internal
    })
}

/// What every page render and server function gets in its context.
pub fn provide_request_context(state: &AppState) {
    provide_context(state.clone());
    provide_context(crate::base_path::BasePath(
        state.settings.app.path_prefix().to_owned(),
    ));
}
