//! Builds the application state from settings, once per process.

use std::sync::Arc;

use anyhow::Context;
use app::ssr::AppState;
use custodian_core::agent::AgentClient;
use custodian_core::auth0::{CibaClient, OidcLogin, TokenVault, logout_url};
use custodian_core::http::CallCounter;
use custodian_core::okta::OktaClient;
use custodian_core::settings::{AgentHost, Settings};
use custodian_core::startup::Backend;
use custodian_core::step_up::StepUpPoller;
use leptos::config::LeptosOptions;

/// Leptos' own options come from the `LEPTOS_*` environment the build
/// exported (site root, output name, address).
pub fn leptos_options() -> anyhow::Result<LeptosOptions> {
    Ok(leptos::config::get_configuration(None)
        .context("reading the LEPTOS_* environment")?
        .leptos_options)
}

/// Everything the handlers share. `sdk_config` is the AWS configuration
/// loaded once by the caller (from the Lambda environment in AWS).
pub async fn build_state(
    settings: Settings,
    leptos_options: LeptosOptions,
    sdk_config: &aws_config::SdkConfig,
) -> anyhow::Result<AppState> {
    let Backend {
        store,
        sealer,
        sessions,
    } = Backend::open(&settings, sdk_config).await?;
    let callback = crate::routes::public_url(&settings, "/callback")?;
    let login = Arc::new(OidcLogin::new(&settings.auth0, &callback)?);
    let logout_url =
        logout_url(&settings.auth0, &crate::routes::public_url(&settings, "/")?)?.to_string();
    if settings.agent_host == AgentHost::AgentcoreHarness {
        anyhow::bail!(
            "agentHost: \"agentcore-harness\" is configured, but this BFF does not run the \
             harness's tool calls yet; use \"bedrock-agent\" (infra/README.md, Choosing the agent host)"
        );
    }
    let bedrock = settings
        .bedrock
        .as_ref()
        .context("bedrock: missing; the BFF needs bedrock.agentId and bedrock.agentAliasId")?;
    let agent = AgentClient::new(sdk_config, bedrock);
    let calls = CallCounter::default();
    let step_ups = Arc::new(StepUpPoller::new(
        store.clone(),
        sealer.clone(),
        sessions.clone(),
        Arc::new(CibaClient::new(&settings.auth0, calls.clone())),
        login.clone(),
        Arc::new(TokenVault::new(&settings.auth0, calls.clone())),
        Arc::new(OktaClient::new(&settings.okta.domain, calls)),
        settings.okta.reset_sends_email,
    ));
    Ok(AppState {
        leptos_options,
        settings: Arc::new(settings),
        store,
        sessions,
        sealer,
        login,
        agent,
        step_ups,
        logout_url,
    })
}
