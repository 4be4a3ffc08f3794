//! Custodian's settings as `config/local.json` gives them, with every
//! outside service at a sandbox and the store in a test's own folder.

use std::path::Path;

use custodian_core::settings::Settings;

/// `CUSTODIAN__…` overrides on top of `config/local.json`.
pub struct LocalSettings {
    vars: Vec<(String, String)>,
}

impl LocalSettings {
    /// Auth0, Okta, FGA, Bedrock and the AgentCore harness at the sandbox at `sandbox_url`, fresh
    /// client secrets, and the store and sealing key in `data_dir`.
    pub fn at(sandbox_url: &str, data_dir: &Path, client_id: &str) -> Self {
        let settings = Self { vars: Vec::new() };
        settings
            .set("APP__DATA_DIR", data_dir.display().to_string())
            .set("AUTH0__DOMAIN", sandbox_url)
            .set("AUTH0__CLIENT_ID", client_id)
            .set(
                "AUTH0__CLIENT_SECRET",
                custodian_core::ids::random_token(24),
            )
            .set("BEDROCK__ENDPOINT", format!("{sandbox_url}/bedrock"))
            .set("HARNESS__ENDPOINT", format!("{sandbox_url}/agentcore"))
            .set("OKTA__DOMAIN", format!("{sandbox_url}/okta"))
            .set("FGA__API_URL", format!("{sandbox_url}/fga"))
            .set("FGA__TOKEN_URL", format!("{sandbox_url}/fga/oauth/token"))
            .set("FGA__AUDIENCE", format!("{sandbox_url}/fga/"))
            .set("FGA__CLIENT_SECRET", custodian_core::ids::random_token(24))
    }

    /// Sets `CUSTODIAN__{key}`, replacing an earlier value.
    pub fn set(mut self, key: &str, value: impl Into<String>) -> Self {
        let key = format!("CUSTODIAN__{key}");
        self.vars.retain(|(k, _)| *k != key);
        self.vars.push((key, value.into()));
        self
    }

    pub fn load(self) -> Settings {
        Settings::load_from(&crate::repo_root().join("config/local.json"), self.vars).unwrap()
    }
}
