//! What the sandbox needs to know about the one client it serves.
//!
//! Locally the sandbox reads the very file the BFF reads, so the two can
//! never disagree about client credentials, redirect URIs or agent ids.

use std::fmt;
use std::path::Path;
use std::time::Duration;

use anyhow::{Context, anyhow};
use serde_json::Value;

/// Pacing between streamed answer chunks, roughly what a model streams at.
pub const DEFAULT_CHUNK_DELAY: Duration = Duration::from_millis(40);

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
            .finish()
    }
}

impl SandboxConfig {
    /// Reads Custodian's own config JSON: `auth0.clientId`, `auth0.clientSecret`,
    /// `auth0.connectionName`, `app.baseUrl`, `bedrock.agentId`, `bedrock.agentAliasId`.
    ///
    /// The redirect URI is `{baseUrl}/callback`; logout may return to `baseUrl`
    /// with or without its trailing slash.
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
        let pointer = format!("/{}", dotted.replace('.', "/"));
        match self.doc.pointer(&pointer) {
            Some(Value::String(s)) if !s.trim().is_empty() => Ok(s.clone()),
            Some(Value::String(_)) => Err(anyhow!(
                "{}: field `{dotted}` is empty",
                self.path.display()
            )),
            Some(_) => Err(anyhow!(
                "{}: field `{dotted}` must be a string",
                self.path.display()
            )),
            None => Err(anyhow!("{}: missing field `{dotted}`", self.path.display())),
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
        "bedrock": {"agentId": "AGENT", "agentAliasId": "ALIAS"}
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
        assert!(!format!("{config:?}").contains("s3cret"));
        assert_eq!(
            public_url_from_custodian_config(&path).unwrap(),
            "http://localhost:3001"
        );
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
