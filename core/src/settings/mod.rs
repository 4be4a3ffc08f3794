//! Typed, layered settings. The JSON file named by `CUSTODIAN_CONFIG`
//! (default `config/local.json`; in AWS the seed's `config/environment.json`)
//! is read first, then `CUSTODIAN__SECTION__FIELD` environment variables
//! override single fields. Every outside service's base URL is a setting, so
//! the same code talks to the real services and to the local sandbox.
//! A bad value stops start-up with the field's path in the message.

mod agent_host;
mod alarms;
mod audit;
mod dual_control;
mod elevation;
mod env;
mod error;
mod fields;
mod limits;

use std::path::{Path, PathBuf};

use figment::Figment;
use figment::providers::{Format, Json};
use secrecy::SecretString;
use serde::Deserialize;
use url::Url;

pub use agent_host::{AgentHost, HarnessSettings, check_harness_arn};
pub use alarms::AlarmSettings;
pub use audit::AuditSettings;
pub use dual_control::DualControlSettings;
pub use elevation::{ElevationSettings, MAX_ELEVATION, duration_label};
pub use error::SettingsError;
pub use limits::LimitSettings;

/// Names the settings file; relative paths are taken from the working directory.
pub const CONFIG_ENV: &str = "CUSTODIAN_CONFIG";
pub const DEFAULT_CONFIG_PATH: &str = "config/local.json";

const EMBEDDED_STORE_FILE: &str = "custodian.sqlite3";
const SEALING_KEY_FILE: &str = "sealing.key";

#[derive(Clone, Debug, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Settings {
    #[serde(default)]
    pub app: AppSettings,
    pub auth0: Auth0Settings,
    pub fga: FgaSettings,
    pub okta: OktaSettings,
    /// Only the BFF talks to the agent; the action-group Lambdas run
    /// without this section (the agent they serve names itself).
    #[serde(default)]
    pub bedrock: Option<BedrockSettings>,
    /// Which service runs the agent; Bedrock Agents Classic unless set.
    #[serde(default)]
    pub agent_host: AgentHost,
    /// The AgentCore harness, required when `agentHost` is
    /// `agentcore-harness`.
    #[serde(default)]
    pub harness: Option<HarnessSettings>,
    #[serde(default)]
    pub store: StoreSettings,
    #[serde(default)]
    pub sealing: SealingSettings,
    /// How much one user or client address may ask for in a while.
    #[serde(default)]
    pub limits: LimitSettings,
    /// How long the stored audit log keeps its entries.
    #[serde(default)]
    pub audit: AuditSettings,
    /// How long a denied user may ask an approver to grant access for.
    #[serde(default)]
    pub elevation: ElevationSettings,
    /// Which accounts need two administrators to approve a reset.
    #[serde(default)]
    pub dual_control: DualControlSettings,
    /// Where the AWS stack's alarms notify (read by the CDK app).
    #[serde(default)]
    pub alarms: Option<AlarmSettings>,
}

#[derive(Clone, Debug, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct AppSettings {
    /// The public URL of the BFF, with any path prefix (an API stage).
    #[serde(default = "default_base_url", deserialize_with = "fields::http_url")]
    pub base_url: Url,
    #[serde(
        default = "default_data_dir",
        deserialize_with = "fields::required_path"
    )]
    pub data_dir: PathBuf,
    #[serde(
        default = "default_idle_minutes",
        deserialize_with = "fields::positive"
    )]
    pub session_idle_minutes: u32,
    #[serde(
        default = "default_absolute_hours",
        deserialize_with = "fields::positive"
    )]
    pub session_absolute_hours: u32,
    /// A chat turn's whole budget: past it the agent's reply is cut off,
    /// what it said so far is kept and the user is told.
    #[serde(
        default = "default_turn_deadline_seconds",
        deserialize_with = "fields::turn_deadline"
    )]
    pub turn_deadline_seconds: u32,
}

#[derive(Clone, Debug, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Auth0Settings {
    /// The tenant; normalised with a trailing slash, which makes it the issuer.
    #[serde(deserialize_with = "fields::domain")]
    pub domain: Url,
    #[serde(deserialize_with = "fields::required_string")]
    pub client_id: String,
    #[serde(deserialize_with = "fields::required_secret")]
    pub client_secret: SecretString,
    #[serde(deserialize_with = "fields::required_string")]
    pub connection_name: String,
    /// An API: requested at sign-in, and named on every approval request so
    /// it can carry `authorization_details`, whose type Auth0 checks against
    /// the ones registered on this API. Without it the phone shows only
    /// the binding message.
    #[serde(default, deserialize_with = "fields::optional_string")]
    pub audience: Option<String>,
    #[serde(
        default = "default_ciba_expiry",
        deserialize_with = "fields::ciba_expiry"
    )]
    pub ciba_expiry_seconds: u32,
    /// The JWS algorithms an ID token may be signed with, whatever the
    /// discovery document advertises (Auth0 signs with RS256 by default).
    #[serde(
        default = "default_id_token_algorithms",
        deserialize_with = "fields::signing_algorithms"
    )]
    pub id_token_algorithms: Vec<String>,
    /// Refuse sign-ins whose ID token does not say the email address was
    /// verified: FGA subjects are email addresses.
    #[serde(default = "default_true")]
    pub require_verified_email: bool,
    /// Where an approver without an enrolled Guardian device enrols: the
    /// tenant's MFA enrolment page or the organisation's page that hands out
    /// Auth0 enrolment tickets. Shown when a step-up cannot reach a phone.
    #[serde(default, deserialize_with = "fields::enrolment_url")]
    pub guardian_enrollment_url: Option<Url>,
    /// The tenant's canonical domain (`{tenant}.{region}.auth0.com`), for
    /// the Management API when `domain` is a custom domain: the Management
    /// API's audience is always the canonical one. Unset: `domain`.
    #[serde(default, deserialize_with = "fields::optional_domain")]
    pub management_domain: Option<Url>,
}

#[derive(Clone, Debug, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct FgaSettings {
    #[serde(deserialize_with = "fields::required_string")]
    pub client_id: String,
    #[serde(deserialize_with = "fields::required_secret")]
    pub client_secret: SecretString,
    #[serde(deserialize_with = "fields::required_string")]
    pub store_id: String,
    #[serde(deserialize_with = "fields::required_string")]
    pub model_id: String,
    #[serde(default = "default_fga_api_url", deserialize_with = "fields::http_url")]
    pub api_url: Url,
    #[serde(
        default = "default_fga_token_url",
        deserialize_with = "fields::http_url"
    )]
    pub token_url: Url,
    #[serde(
        default = "default_fga_audience",
        deserialize_with = "fields::required_string"
    )]
    pub audience: String,
}

#[derive(Clone, Debug, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct OktaSettings {
    /// Bare host or full URL, normalised like `auth0.domain`.
    #[serde(deserialize_with = "fields::domain")]
    pub domain: Url,
    /// Whether Okta emails the reset link to the user (`true`), or returns
    /// a one-time link that Custodian shows to the approving administrator.
    #[serde(default = "default_true")]
    pub reset_sends_email: bool,
}

fn default_true() -> bool {
    true
}

#[derive(Clone, Debug, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct BedrockSettings {
    #[serde(
        default = "default_region",
        deserialize_with = "fields::required_string"
    )]
    pub region: String,
    #[serde(deserialize_with = "fields::required_string")]
    pub agent_id: String,
    #[serde(deserialize_with = "fields::required_string")]
    pub agent_alias_id: String,
    /// `None` means the real regional endpoint.
    #[serde(default, deserialize_with = "fields::optional_http_url")]
    pub endpoint: Option<Url>,
}

#[derive(Clone, Debug, Deserialize, PartialEq, Eq)]
#[serde(tag = "kind", rename_all = "camelCase", deny_unknown_fields)]
pub enum StoreSettings {
    /// A SQLite file shared by every local process. `path` is always set
    /// after loading (default `{dataDir}/custodian.sqlite3`).
    #[serde(rename_all = "camelCase")]
    Embedded {
        #[serde(default, deserialize_with = "fields::optional_path")]
        path: Option<PathBuf>,
    },
    #[serde(rename_all = "camelCase")]
    Dynamodb {
        #[serde(
            default = "default_table",
            deserialize_with = "fields::required_string"
        )]
        table: String,
        /// Conversations and their messages (listed by owner); see
        /// infra/README.md, "Data model".
        #[serde(
            default = "default_conversations_table",
            deserialize_with = "fields::required_string"
        )]
        conversations_table: String,
        /// `None` means the real regional endpoint.
        #[serde(default, deserialize_with = "fields::optional_http_url")]
        endpoint: Option<Url>,
    },
}

/// Where the Fernet key comes from. After loading exactly one of the two is
/// set: `secretId` if given, otherwise `keyFile` (default `{dataDir}/sealing.key`).
#[derive(Clone, Debug, Default, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct SealingSettings {
    #[serde(default, deserialize_with = "fields::optional_path")]
    pub key_file: Option<PathBuf>,
    /// A Secrets Manager secret holding `{"key": "<fernet key>"}`.
    #[serde(default, deserialize_with = "fields::optional_string")]
    pub secret_id: Option<String>,
}

impl Settings {
    /// The file named by `CUSTODIAN_CONFIG` (default `config/local.json`),
    /// then environment variables `CUSTODIAN__SECTION__FIELD`.
    pub fn load() -> Result<Settings, SettingsError> {
        Self::load_with(Vec::new())
    }

    /// Like [`Settings::load`], with `overrides` (environment-style pairs)
    /// between the file and the real environment, which still wins.
    pub fn load_with(overrides: Vec<(String, String)>) -> Result<Settings, SettingsError> {
        let path = std::env::var_os(CONFIG_ENV)
            .filter(|p| !p.is_empty())
            .map_or_else(|| PathBuf::from(DEFAULT_CONFIG_PATH), PathBuf::from);
        // Variables that are not Unicode cannot be ours; skip them rather than panic.
        let vars = std::env::vars_os()
            .filter_map(|(k, v)| Some((k.into_string().ok()?, v.into_string().ok()?)));
        Self::load_layered(&path, overrides, vars)
    }

    /// Same as [`Settings::load`] with an explicit file and variables:
    /// `CUSTODIAN__AUTH0__CLIENT_SECRET` sets `auth0.clientSecret`.
    pub fn load_from(
        path: &Path,
        env: impl IntoIterator<Item = (String, String)>,
    ) -> Result<Settings, SettingsError> {
        Self::load_layered(path, Vec::new(), env)
    }

    fn load_layered(
        path: &Path,
        overrides: Vec<(String, String)>,
        env: impl IntoIterator<Item = (String, String)>,
    ) -> Result<Settings, SettingsError> {
        // figment treats a missing file as empty; a typo in the path must not
        // silently fall back to defaults.
        if let Err(error) = std::fs::metadata(path) {
            return Err(SettingsError::new(
                path.display().to_string(),
                "",
                format!(
                    "cannot read the settings file ({error}); set {CONFIG_ENV} to choose another"
                ),
            ));
        }
        let figment = Figment::new()
            .merge(Json::file_exact(path))
            .merge(env::EnvLayer::new(overrides))
            .merge(env::EnvLayer::new(env));
        // Lossy: environment values are strings, and "30" must fill a number.
        let mut settings: Settings = figment
            .extract_lossy()
            .map_err(|error| SettingsError::from_figment(error, path))?;
        settings.fill_derived_defaults(path)?;
        settings.check_agent_host(path)?;
        Ok(settings)
    }

    /// Defaults that depend on other fields.
    fn fill_derived_defaults(&mut self, path: &Path) -> Result<(), SettingsError> {
        let data_dir = &self.app.data_dir;
        if let StoreSettings::Embedded {
            path: store_path @ None,
        } = &mut self.store
        {
            *store_path = Some(data_dir.join(EMBEDDED_STORE_FILE));
        }
        match (&self.sealing.key_file, &self.sealing.secret_id) {
            (Some(_), Some(_)) => {
                return Err(SettingsError::new(
                    path.display().to_string(),
                    "sealing",
                    "set keyFile or secretId, not both",
                ));
            }
            (None, None) => self.sealing.key_file = Some(data_dir.join(SEALING_KEY_FILE)),
            _ => {}
        }
        Ok(())
    }
}

impl Settings {
    /// The chosen agent host's own section must be there; the other host's
    /// section may stay (switching back is then one variable).
    fn check_agent_host(&self, path: &Path) -> Result<(), SettingsError> {
        if self.agent_host == AgentHost::AgentcoreHarness && self.harness.is_none() {
            return Err(SettingsError::new(
                path.display().to_string(),
                "harness",
                "missing; agentHost \"agentcore-harness\" needs harness.harnessArn",
            ));
        }
        Ok(())
    }
}

impl AppSettings {
    pub fn is_https(&self) -> bool {
        self.base_url.scheme() == "https"
    }

    /// The base URL's path without a trailing slash: `""` or e.g. `"/prod"`.
    pub fn path_prefix(&self) -> &str {
        self.base_url.path().trim_end_matches('/')
    }

    pub fn turn_deadline(&self) -> std::time::Duration {
        std::time::Duration::from_secs(u64::from(self.turn_deadline_seconds))
    }

    /// `scheme://host[:port]`, as browsers send it in `Origin`.
    pub fn origin(&self) -> String {
        self.base_url.origin().ascii_serialization()
    }
}

impl Default for AppSettings {
    fn default() -> Self {
        Self {
            base_url: default_base_url(),
            data_dir: default_data_dir(),
            session_idle_minutes: default_idle_minutes(),
            session_absolute_hours: default_absolute_hours(),
            turn_deadline_seconds: default_turn_deadline_seconds(),
        }
    }
}

impl Auth0Settings {
    /// The OIDC issuer: the domain with its trailing slash.
    pub fn issuer(&self) -> &Url {
        &self.domain
    }

    /// Where the Management API and its token are asked for.
    pub fn management_base(&self) -> &Url {
        self.management_domain.as_ref().unwrap_or(&self.domain)
    }
}

impl Default for StoreSettings {
    fn default() -> Self {
        Self::Embedded { path: None }
    }
}

fn default_base_url() -> Url {
    Url::parse("http://localhost:3000").expect("a valid literal URL")
}

fn default_data_dir() -> PathBuf {
    PathBuf::from("data")
}

fn default_idle_minutes() -> u32 {
    30
}

fn default_absolute_hours() -> u32 {
    12
}

fn default_turn_deadline_seconds() -> u32 {
    120
}

fn default_id_token_algorithms() -> Vec<String> {
    vec!["RS256".to_owned()]
}

fn default_ciba_expiry() -> u32 {
    300
}

fn default_fga_api_url() -> Url {
    Url::parse("https://api.us1.fga.dev").expect("a valid literal URL")
}

fn default_fga_token_url() -> Url {
    Url::parse("https://auth.fga.dev/oauth/token").expect("a valid literal URL")
}

fn default_fga_audience() -> String {
    "https://api.us1.fga.dev/".to_owned()
}

fn default_region() -> String {
    "us-east-1".to_owned()
}

fn default_table() -> String {
    "bedrock-sessions".to_owned()
}

fn default_conversations_table() -> String {
    "custodian-conversations".to_owned()
}
