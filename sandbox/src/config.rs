//! What the sandbox needs to know about the one client it serves.
//!
//! Locally the sandbox reads the very file the BFF reads, so the two can
//! never disagree about client credentials, redirect URIs or agent ids.

use std::fmt;
use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use anyhow::{Context, anyhow};
use serde_json::Value;

use crate::shared::secrets::random_token;

/// Pacing between streamed answer chunks, roughly what a model streams at.
pub const DEFAULT_CHUNK_DELAY: Duration = Duration::from_millis(40);
/// How long a Token Vault (federated connection) access token lives.
pub const DEFAULT_TOKEN_VAULT_LIFETIME: Duration = Duration::from_secs(600);
/// The CIBA polling interval `/bc-authorize` announces (Auth0's default).
pub const DEFAULT_CIBA_INTERVAL: Duration = Duration::from_secs(5);
/// Auth0 FGA's audience, used when the config names none.
pub const DEFAULT_FGA_AUDIENCE: &str = "https://api.us1.fga.dev/";
/// The tenant's API identifier when Custodian's config names no
/// `auth0.audience` (`config/local.json` names this one).
pub const DEFAULT_API_AUDIENCE: &str = "https://custodian.example/api";
/// The `authorization_details` type registered on that API, as the deploy
/// steps register Custodian's (infra/README.md, 4.4).
pub const PASSWORD_RESET_DETAILS_TYPE: &str =
    "urn:auth0:schemas:authorization-details:v1:password-reset";
/// The type of an approver's grant of time-limited access, registered
/// beside it.
pub const ACCESS_GRANT_DETAILS_TYPE: &str =
    "urn:auth0:schemas:authorization-details:v1:access-grant";

#[derive(Clone)]
pub struct SandboxConfig {
    pub client_id: String,
    /// Compared in constant time and never logged (see the `Debug` impl).
    pub client_secret: String,
    /// The federated connection; the login button reads "Continue with {connection_name}".
    pub connection_name: String,
    /// Exact-match allow list for `/authorize`'s `redirect_uri`.
    pub redirect_uris: Vec<String>,
    /// Allow list for `/v2/logout`'s `returnTo`.
    pub logout_urls: Vec<String>,
    pub agent_id: String,
    pub agent_alias_id: String,
    /// Pause between streamed chunks (emulates a model streaming).
    pub chunk_delay: Duration,
    /// The FGA client and store Custodian is configured with.
    pub fga: FgaConfig,
    /// The tenant's one API (resource server): the only `audience` it knows.
    pub api: ApiConfig,
    /// Lifetime of the Okta access tokens the Token Vault exchange mints.
    pub token_vault_lifetime: Duration,
    /// The CIBA polling interval, in whole seconds (at least one).
    pub ciba_interval: Duration,
    /// Whether discovery advertises CIBA, as a tenant with the feature does.
    /// Off stands for a tenant without CIBA (a plan without it).
    pub ciba_advertised: bool,
    /// The action-group handlers the sandbox agent calls in-process; `None`
    /// makes the agent say that actions are not configured.
    pub actions: Option<Arc<lambdas::ActionContext>>,
}

/// The `fga` section of Custodian's config, as the FGA stand-in needs it.
#[derive(Clone)]
pub struct FgaConfig {
    pub client_id: String,
    /// Compared in constant time and never logged.
    pub client_secret: String,
    pub store_id: String,
    pub model_id: String,
    /// The audience the client-credentials token request must name.
    pub audience: String,
}

/// An API registered on the tenant, with the `authorization_details` types
/// registered on it ("Configure Rich Authorization Requests (RAR)").
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ApiConfig {
    pub identifier: String,
    pub authorization_details_types: Vec<String>,
}

impl ApiConfig {
    /// The API `identifier`, with Custodian's two types registered.
    pub fn custodian(identifier: &str) -> Self {
        Self {
            identifier: identifier.to_owned(),
            authorization_details_types: vec![
                PASSWORD_RESET_DETAILS_TYPE.to_owned(),
                ACCESS_GRANT_DETAILS_TYPE.to_owned(),
            ],
        }
    }
}

impl Default for ApiConfig {
    fn default() -> Self {
        Self::custodian(DEFAULT_API_AUDIENCE)
    }
}

impl fmt::Debug for SandboxConfig {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SandboxConfig")
            .field("client_id", &self.client_id)
            .field("client_secret", &"[redacted]")
            .field("connection_name", &self.connection_name)
            .field("redirect_uris", &self.redirect_uris)
            .field("logout_urls", &self.logout_urls)
            .field("agent_id", &self.agent_id)
            .field("agent_alias_id", &self.agent_alias_id)
            .field("chunk_delay", &self.chunk_delay)
            .field("fga", &self.fga)
            .field("api", &self.api)
            .field("token_vault_lifetime", &self.token_vault_lifetime)
            .field("ciba_interval", &self.ciba_interval)
            .field("ciba_advertised", &self.ciba_advertised)
            .field(
                "actions",
                &self.actions.as_ref().map(|_| "[action context]"),
            )
            .finish()
    }
}

impl fmt::Debug for FgaConfig {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("FgaConfig")
            .field("client_id", &self.client_id)
            .field("client_secret", &"[redacted]")
            .field("store_id", &self.store_id)
            .field("model_id", &self.model_id)
            .field("audience", &self.audience)
            .finish()
    }
}

/// A self-contained config for tests: fresh random secrets, no redirect
/// URIs and no actions. Override what a test needs with struct update
/// syntax (`SandboxConfig { client_id: .., ..SandboxConfig::default() }`).
impl Default for SandboxConfig {
    fn default() -> Self {
        Self {
            client_id: "sandbox-client".into(),
            client_secret: random_token(),
            connection_name: "Okta-OIDC".into(),
            redirect_uris: Vec::new(),
            logout_urls: Vec::new(),
            agent_id: "SANDBOXAGT".into(),
            agent_alias_id: "TSTALIASID".into(),
            chunk_delay: DEFAULT_CHUNK_DELAY,
            fga: FgaConfig::default(),
            api: ApiConfig::default(),
            token_vault_lifetime: DEFAULT_TOKEN_VAULT_LIFETIME,
            ciba_interval: DEFAULT_CIBA_INTERVAL,
            ciba_advertised: true,
            actions: None,
        }
    }
}

impl Default for FgaConfig {
    fn default() -> Self {
        Self {
            client_id: "sandbox-fga-client".into(),
            client_secret: random_token(),
            store_id: "01JDSANDBXSTRE000000000000".into(),
            model_id: "01JDSANDBXMDE0000000000000".into(),
            audience: DEFAULT_FGA_AUDIENCE.into(),
        }
    }
}

impl SandboxConfig {
    /// Reads Custodian's own config JSON: `auth0.clientId`, `auth0.clientSecret`,
    /// `auth0.connectionName`, `app.baseUrl`, `bedrock.agentId`,
    /// `bedrock.agentAliasId` and the `fga` section (`clientId`,
    /// `clientSecret`, `storeId`, `modelId`, optional `audience`) and the
    /// optional `auth0.audience`, the tenant's API.
    ///
    /// The redirect URI is `{baseUrl}/callback`; logout may return to `baseUrl`
    /// with or without its trailing slash. Actions are left unset: the
    /// caller builds them (see [`crate::cli::actions`]).
    pub fn from_custodian_config(path: &Path) -> anyhow::Result<Self> {
        let doc = CustodianConfig::read(path)?;
        let base_url = doc.string("app.baseUrl")?;
        let base_url = base_url.trim_end_matches('/');
        Ok(Self {
            client_id: doc.string("auth0.clientId")?,
            client_secret: doc.string("auth0.clientSecret")?,
            connection_name: doc.string("auth0.connectionName")?,
            redirect_uris: vec![format!("{base_url}/callback")],
            logout_urls: vec![base_url.to_owned(), format!("{base_url}/")],
            agent_id: doc.string("bedrock.agentId")?,
            agent_alias_id: doc.string("bedrock.agentAliasId")?,
            chunk_delay: DEFAULT_CHUNK_DELAY,
            fga: FgaConfig {
                client_id: doc.string("fga.clientId")?,
                client_secret: doc.string("fga.clientSecret")?,
                store_id: doc.string("fga.storeId")?,
                model_id: doc.string("fga.modelId")?,
                audience: doc
                    .optional_string("fga.audience")?
                    .unwrap_or_else(|| DEFAULT_FGA_AUDIENCE.into()),
            },
            api: ApiConfig::custodian(
                &doc.optional_string("auth0.audience")?
                    .unwrap_or_else(|| DEFAULT_API_AUDIENCE.into()),
            ),
            token_vault_lifetime: DEFAULT_TOKEN_VAULT_LIFETIME,
            ciba_interval: DEFAULT_CIBA_INTERVAL,
            ciba_advertised: true,
            actions: None,
        })
    }
}

/// The sandbox's public URL as Custodian sees it: `auth0.domain` from its config.
///
/// Auth0 domains are usually bare hosts (`tenant.auth0.com`, meaning https);
/// a local config names the sandbox with its scheme (`http://localhost:3001`).
pub fn public_url_from_custodian_config(path: &Path) -> anyhow::Result<String> {
    let domain = CustodianConfig::read(path)?.string("auth0.domain")?;
    let domain = domain.trim_end_matches('/');
    if domain.starts_with("http://") || domain.starts_with("https://") {
        Ok(domain.to_owned())
    } else {
        Ok(format!("https://{domain}"))
    }
}

/// The parsed JSON document, remembered with its path for error messages.
struct CustodianConfig<'a> {
    path: &'a Path,
    doc: Value,
}

impl<'a> CustodianConfig<'a> {
    fn read(path: &'a Path) -> anyhow::Result<Self> {
        let text = std::fs::read_to_string(path)
            .with_context(|| format!("cannot read Custodian config {}", path.display()))?;
        let doc = serde_json::from_str(&text)
            .with_context(|| format!("{} is not valid JSON", path.display()))?;
        Ok(Self { path, doc })
    }

    /// A required, non-empty string at a dotted path such as `auth0.clientId`.
    fn string(&self, dotted: &str) -> anyhow::Result<String> {
        self.optional_string(dotted)?
            .ok_or_else(|| anyhow!("{}: missing field `{dotted}`", self.path.display()))
    }

    /// Like [`Self::string`], but a missing field is `None`.
    fn optional_string(&self, dotted: &str) -> anyhow::Result<Option<String>> {
        let pointer = format!("/{}", dotted.replace('.', "/"));
        match self.doc.pointer(&pointer) {
            Some(Value::String(s)) if !s.trim().is_empty() => Ok(Some(s.clone())),
            Some(Value::String(_)) => Err(anyhow!(
                "{}: field `{dotted}` is empty",
                self.path.display()
            )),
            Some(_) => Err(anyhow!(
                "{}: field `{dotted}` must be a string",
                self.path.display()
            )),
            None => Ok(None),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn write(json: &str) -> (tempdir::Dir, std::path::PathBuf) {
        let dir = tempdir::Dir::new();
        let path = dir.0.join("config.json");
        std::fs::write(&path, json).unwrap();
        (dir, path)
    }

    /// A throwaway directory removed on drop, so tests need no extra crate.
    mod tempdir {
        pub struct Dir(pub std::path::PathBuf);
        impl Dir {
            pub fn new() -> Self {
                let path =
                    std::env::temp_dir().join(format!("sandbox-config-{}", uuid::Uuid::new_v4()));
                std::fs::create_dir_all(&path).unwrap();
                Self(path)
            }
        }
        impl Drop for Dir {
            fn drop(&mut self) {
                let _ = std::fs::remove_dir_all(&self.0);
            }
        }
    }

    const FULL: &str = r#"{
        "auth0": {"domain": "http://localhost:3001/", "clientId": "cid", "clientSecret": "s3cret",
                  "connectionName": "Okta-OIDC"},
        "app": {"baseUrl": "http://localhost:3000/"},
        "bedrock": {"agentId": "AGENT", "agentAliasId": "ALIAS"},
        "fga": {"clientId": "fga-cid", "clientSecret": "fga-s3cret", "storeId": "STORE",
                "modelId": "MODEL", "apiUrl": "http://localhost:3001/fga"}
    }"#;

    #[test]
    fn reads_the_custodian_config() {
        let (_dir, path) = write(FULL);
        let config = SandboxConfig::from_custodian_config(&path).unwrap();
        assert_eq!(config.client_id, "cid");
        assert_eq!(config.client_secret, "s3cret");
        assert_eq!(config.connection_name, "Okta-OIDC");
        assert_eq!(config.redirect_uris, ["http://localhost:3000/callback"]);
        assert_eq!(
            config.logout_urls,
            ["http://localhost:3000", "http://localhost:3000/"]
        );
        assert_eq!(config.agent_id, "AGENT");
        assert_eq!(config.agent_alias_id, "ALIAS");
        assert_eq!(config.chunk_delay, DEFAULT_CHUNK_DELAY);
        assert_eq!(config.fga.client_id, "fga-cid");
        assert_eq!(config.fga.client_secret, "fga-s3cret");
        assert_eq!(config.fga.store_id, "STORE");
        assert_eq!(config.fga.model_id, "MODEL");
        assert_eq!(config.fga.audience, DEFAULT_FGA_AUDIENCE);
        assert_eq!(config.api, ApiConfig::default());
        assert_eq!(config.token_vault_lifetime, DEFAULT_TOKEN_VAULT_LIFETIME);
        assert_eq!(config.ciba_interval, DEFAULT_CIBA_INTERVAL);
        assert!(config.actions.is_none());
        let debug = format!("{config:?}");
        assert!(!debug.contains("s3cret"), "{debug}");
        assert_eq!(
            public_url_from_custodian_config(&path).unwrap(),
            "http://localhost:3001"
        );
    }

    #[test]
    fn the_api_is_the_one_custodian_names() {
        let named = FULL.replace(
            "\"connectionName\": \"Okta-OIDC\"",
            "\"connectionName\": \"Okta-OIDC\", \"audience\": \"urn:my-api\"",
        );
        let (_dir, path) = write(&named);
        let config = SandboxConfig::from_custodian_config(&path).unwrap();
        assert_eq!(config.api.identifier, "urn:my-api");
        assert_eq!(
            config.api.authorization_details_types,
            [PASSWORD_RESET_DETAILS_TYPE, ACCESS_GRANT_DETAILS_TYPE]
        );
    }

    #[test]
    fn defaults_have_their_own_random_secrets() {
        let (a, b) = (SandboxConfig::default(), SandboxConfig::default());
        assert_ne!(a.client_secret, b.client_secret);
        assert_ne!(a.fga.client_secret, b.fga.client_secret);
        assert!(!format!("{a:?}").contains(&a.fga.client_secret));
    }

    #[test]
    fn names_the_missing_field() {
        let (_dir, path) = write(r#"{"auth0": {"clientId": "cid"}}"#);
        let err = SandboxConfig::from_custodian_config(&path).unwrap_err();
        assert!(err.to_string().contains("`app.baseUrl`"), "{err}");
    }

    #[test]
    fn bare_auth0_domains_mean_https() {
        let (_dir, path) = write(r#"{"auth0": {"domain": "tenant.auth0.com"}}"#);
        assert_eq!(
            public_url_from_custodian_config(&path).unwrap(),
            "https://tenant.auth0.com"
        );
    }
}
