//! Everything the sandbox's services share, built once at start.

use std::sync::Arc;

use anyhow::{Context, bail};
use url::Url;

use crate::auth0::Auth0;
use crate::auth0::token_vault::VaultTokens;
use crate::bedrock_agent::AgentRuntime;
use crate::config::SandboxConfig;
use crate::faults::Faults;
use crate::fga::Fga;
use crate::harness::HarnessStandIn;
use crate::okta::Okta;

#[derive(Clone)]
pub struct SandboxState {
    pub(crate) auth0: Arc<Auth0>,
    pub(crate) bedrock_agent: Arc<AgentRuntime>,
    pub(crate) harness: Arc<HarnessStandIn>,
    pub(crate) okta: Arc<Okta>,
    pub(crate) fga: Arc<Fga>,
    pub(crate) vault: Arc<VaultTokens>,
    pub(crate) faults: Arc<Faults>,
}

impl SandboxState {
    /// `public_url` is the sandbox's root as the BFF and browser reach it.
    ///
    /// Generates the IdP's RSA key: CPU-heavy, so async callers should run it
    /// on a blocking thread (as [`crate::spawn`] does).
    pub fn new(config: SandboxConfig, public_url: &str) -> anyhow::Result<Self> {
        let public_url = normalize_public_url(public_url)?;
        let config = Arc::new(config);
        let faults = Arc::new(Faults::default());
        let vault = Arc::new(VaultTokens::new(
            &config.connection_name,
            crate::auth0::OKTA_SCOPES,
        ));
        Ok(Self {
            auth0: Arc::new(Auth0::new(
                config.clone(),
                &public_url,
                faults.clone(),
                vault.clone(),
            )?),
            bedrock_agent: Arc::new(AgentRuntime::new(config.clone(), faults.clone())),
            harness: Arc::new(HarnessStandIn::new(config.chunk_delay, faults.clone())),
            okta: Arc::new(Okta::new(&public_url, vault.clone(), faults.clone())),
            fga: Arc::new(Fga::new(config, faults.clone())),
            vault,
            faults,
        })
    }
}

/// `scheme://host[:port]` with no trailing slash; the services live at its root.
pub fn normalize_public_url(public_url: &str) -> anyhow::Result<String> {
    let url = Url::parse(public_url)
        .with_context(|| format!("the public URL {public_url:?} is not a URL"))?;
    if !matches!(url.scheme(), "http" | "https") {
        bail!("the public URL {public_url:?} must be http or https");
    }
    if url.path() != "/" || url.query().is_some() || url.fragment().is_some() {
        bail!("the public URL {public_url:?} must have no path, query or fragment");
    }
    Ok(url.as_str().trim_end_matches('/').to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalizes_public_urls() {
        assert_eq!(
            normalize_public_url("http://localhost:3001/").unwrap(),
            "http://localhost:3001"
        );
        assert_eq!(
            normalize_public_url("https://Tenant.auth0.com").unwrap(),
            "https://tenant.auth0.com"
        );
        assert!(normalize_public_url("localhost:3001").is_err());
        assert!(normalize_public_url("http://localhost:3001/auth").is_err());
    }
}
