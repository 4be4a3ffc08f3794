//! Builds the application state from settings, once per process.

use std::sync::Arc;

use anyhow::Context;
use app::ssr::AppState;
use custodian_core::agent::AgentClient;
use custodian_core::auth0::OidcLogin;
use custodian_core::sealing::Sealer;
use custodian_core::session::{SessionLifetimes, Sessions};
use custodian_core::settings::{Settings, StoreSettings};
use custodian_core::store::{EmbeddedStore, Store};
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
    let store: Arc<dyn Store> = match &settings.store {
        StoreSettings::Embedded { path } => {
            let path = path.clone().context("store.path is not set")?;
            Arc::new(
                EmbeddedStore::open(&path)
                    .with_context(|| format!("opening the store at {}", path.display()))?,
            )
        }
        StoreSettings::Dynamodb { .. } => {
            anyhow::bail!("store.kind \"dynamodb\" is not available in this build yet")
        }
    };
    let key_file = match (&settings.sealing.key_file, &settings.sealing.secret_id) {
        (Some(path), _) => path.clone(),
        (None, Some(_)) => anyhow::bail!(
            "sealing.secretId (Secrets Manager) is not available in this build yet"
        ),
        (None, None) => anyhow::bail!("sealing.keyFile is not set"),
    };
    let sealer = Arc::new(
        Sealer::load_or_create_key_file(&key_file)
            .with_context(|| format!("loading the sealing key {}", key_file.display()))?,
    );
    let sessions = Sessions::new(
        store.clone(),
        sealer.clone(),
        SessionLifetimes {
            idle_seconds: i64::from(settings.app.session_idle_minutes) * 60,
            absolute_seconds: i64::from(settings.app.session_absolute_hours) * 3600,
        },
    );
    let callback = crate::routes::public_url(&settings, "/callback")?;
    let login = Arc::new(OidcLogin::new(&settings.auth0, &callback)?);
    let agent = AgentClient::new(sdk_config, &settings.bedrock);
    Ok(AppState {
        leptos_options,
        settings: Arc::new(settings),
        store,
        sessions,
        sealer,
        login,
        agent,
    })
}
