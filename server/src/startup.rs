//! Builds the application state from settings, once per process.

use std::sync::Arc;

use anyhow::Context;
use app::ssr::{AppState, Services};
use custodian_core::actions::ActionContext;
use custodian_core::auth0::{MyAccount, OidcLogin, PendingAttempts, logout_url};
use custodian_core::bedrock_agent::AgentClient;
use custodian_core::chat_turn::{Agent, ClassicHost, HarnessHost};
use custodian_core::harness::HarnessClient;
use custodian_core::limits::Limits;
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
    let backend = Backend::open(&settings, sdk_config).await?;
    build_state_on(backend, settings, leptos_options, sdk_config)
}

/// The state on a backend already opened (tests hand in a store handle
/// that can fail on demand).
pub fn build_state_on(
    backend: Backend,
    settings: Settings,
    leptos_options: LeptosOptions,
    sdk_config: &aws_config::SdkConfig,
) -> anyhow::Result<AppState> {
    let clients = Arc::new(ActionContext::new(&settings, &backend));
    let Backend {
        store,
        sealer,
        sessions,
        audit,
    } = backend;
    let callback = crate::routes::public_url(&settings, "/callback")?;
    let login = Arc::new(OidcLogin::new(&settings.auth0, &callback)?);
    let logout_url =
        logout_url(&settings.auth0, &crate::routes::public_url(&settings, "/")?)?.to_string();
    let my_account = Arc::new(MyAccount::new(&settings.auth0, clients.calls.clone()));
    let agent = agent(&settings, sdk_config, &clients)?;
    let step_ups = Arc::new(StepUpPoller::new(
        clients.clone(),
        login.clone(),
        settings.okta.reset_sends_email,
    ));
    let attempts = PendingAttempts::new(store.clone(), sealer.clone());
    Ok(AppState::new(Services {
        leptos_options,
        limits: Limits::new(&settings.limits, audit.clone()),
        audit,
        settings: Arc::new(settings),
        store,
        sessions,
        sealer,
        login,
        attempts,
        my_account,
        agent,
        step_ups,
        actions: clients,
        logout_url,
    }))
}

/// The agent host the settings chose. With the harness, its inline
/// functions run here with the same clients the step-ups use.
fn agent(
    settings: &Settings,
    sdk_config: &aws_config::SdkConfig,
    clients: &Arc<ActionContext>,
) -> anyhow::Result<Agent> {
    Ok(match settings.agent_host {
        AgentHost::BedrockAgent => {
            let bedrock = settings.bedrock.as_ref().context(
                "bedrock: missing; agentHost \"bedrock-agent\" needs bedrock.agentId and bedrock.agentAliasId",
            )?;
            Agent::Classic(ClassicHost {
                client: AgentClient::new(sdk_config, bedrock),
                turns: clients.turns.clone(),
            })
        }
        AgentHost::AgentcoreHarness => {
            let harness = settings.harness.as_ref().context(
                "harness: missing; agentHost \"agentcore-harness\" needs harness.harnessArn",
            )?;
            Agent::Harness(HarnessHost {
                client: HarnessClient::new(sdk_config, harness),
                actions: clients.clone(),
            })
        }
    })
}
