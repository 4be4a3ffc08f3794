//! Custodian's own pieces pointed at a sandbox: settings, signed-in
//! sessions, and the action context the sandbox agent calls.

use std::sync::Arc;
use std::time::Duration;

use aws_config::{BehaviorVersion, Region, SdkConfig};
use aws_sdk_bedrockagentruntime::config::{Credentials, SharedCredentialsProvider};
use custodian_core::auth0::{ApprovalDetails, PasswordReset, VerifiedLogin};
use custodian_core::bedrock_agent::AgentClient;
use custodian_core::chat_turn::AgentEvent;
use custodian_core::session::{SessionTokens, Sessions};
use custodian_core::settings::Settings;
use custodian_core::store::{SessionRecord, SessionUser};
use lambdas::ActionContext;
use sandbox::{RunningSandbox, SandboxConfig};
use secrecy::SecretString;
use serde_json::{Value, json};

use crate::support::*;

/// Settings naming the sandbox at `base` for every outside service, with
/// the store and sealing key in `data_dir`.
pub fn settings(base: &str, data_dir: &std::path::Path) -> Settings {
    let doc = json!({
        "app": { "baseUrl": "http://localhost:3000", "dataDir": data_dir },
        "auth0": {
            "domain": base, "clientId": CLIENT_ID, "clientSecret": CLIENT_SECRET,
            "connectionName": CONNECTION, "audience": sandbox::DEFAULT_API_AUDIENCE,
        },
        "fga": {
            "clientId": FGA_CLIENT_ID, "clientSecret": FGA_CLIENT_SECRET,
            "storeId": FGA_STORE_ID, "modelId": FGA_MODEL_ID,
            "apiUrl": format!("{base}/fga"), "tokenUrl": format!("{base}/fga/oauth/token"),
            "audience": FGA_AUDIENCE,
        },
        "okta": { "domain": format!("{base}/okta") },
        "bedrock": {
            "agentId": AGENT_ID, "agentAliasId": AGENT_ALIAS_ID,
            "endpoint": format!("{base}/bedrock"),
        },
        "store": { "kind": "embedded" },
    });
    let path = data_dir.join("custodian.json");
    std::fs::write(&path, doc.to_string()).unwrap();
    Settings::load_from(&path, std::iter::empty()).unwrap()
}

/// What a reset of bob's password asks the phone to show.
pub fn details() -> ApprovalDetails {
    ApprovalDetails::password_reset(&PasswordReset {
        target: "bob@example.com",
        requester: "admin@example.com",
        binding_code: "K7F-2QX",
    })
    .unwrap()
}

/// An AWS SDK config with static test credentials: the SDK always signs.
pub fn sdk_config() -> SdkConfig {
    SdkConfig::builder()
        .behavior_version(BehaviorVersion::latest())
        .http_client(custodian_core::aws_http::https_client())
        .region(Region::new("us-east-1"))
        .credentials_provider(SharedCredentialsProvider::new(Credentials::new(
            "AKIDSANDBOXTEST",
            "sandbox-test-secret",
            None,
            None,
            "sandbox-tests",
        )))
        .build()
}

/// A sandbox whose agent calls the real handlers, and the Custodian side
/// that talks to it.
pub struct ActionSandbox {
    pub sandbox: RunningSandbox,
    pub settings: Settings,
    pub sessions: Sessions,
    pub actions: Arc<ActionContext>,
    _data_dir: tempfile::TempDir,
}

impl ActionSandbox {
    pub async fn start() -> Self {
        Self::start_with(config(Duration::from_millis(1))).await
    }

    /// The listener is bound first so the settings can name the sandbox
    /// before it serves; then it is spawned with the actions.
    pub async fn start_with(config: SandboxConfig) -> Self {
        let (listener, base) = test_support::sandbox::free_listener().await;
        let data_dir = tempfile::tempdir().unwrap();
        let settings = settings(&base, data_dir.path());
        let backend = custodian_core::startup::Backend::open(&settings, &sdk_config())
            .await
            .unwrap();
        let sessions = backend.sessions.clone();
        let actions = Arc::new(ActionContext::new(&settings, &backend));
        let config = SandboxConfig {
            actions: Some(actions.clone()),
            ..config
        };
        let sandbox = sandbox::spawn(listener, None, config).await.unwrap();
        Self {
            sandbox,
            settings,
            sessions,
            actions,
            _data_dir: data_dir,
        }
    }

    pub fn base(&self) -> &str {
        &self.sandbox.base_url
    }

    /// Signs `email` in at the sandbox IdP and stores a Custodian session
    /// for them, as the BFF's callback does.
    pub async fn session_for(&self, email: &str, password: &str) -> SessionRecord {
        let tokens = tokens_for(self.base(), email, password).await;
        let (_, claims, _) = jwt_parts(tokens["id_token"].as_str().unwrap());
        let user = SessionUser {
            sub: claims["sub"].as_str().unwrap().to_owned(),
            email: claims["email"].as_str().unwrap().to_owned(),
            name: claims["name"].as_str().unwrap().to_owned(),
        };
        let secret = |name: &str| SecretString::from(tokens[name].as_str().unwrap().to_owned());
        let session = self
            .sessions
            .create(
                VerifiedLogin {
                    user,
                    issuer: format!("{}/", self.base()),
                    scopes: SCOPE.split(' ').map(str::to_owned).collect(),
                    tokens: SessionTokens {
                        access_token: secret("access_token"),
                        refresh_token: Some(secret("refresh_token")),
                        id_token: secret("id_token"),
                    },
                    access_token_expires_at: chrono::Utc::now().timestamp() + 3600,
                },
                "Firefox on Linux".into(),
            )
            .await
            .unwrap();
        session.record
    }

    pub fn agent(&self) -> AgentClient {
        AgentClient::new(&sdk_config(), self.settings.bedrock.as_ref().unwrap())
    }

    /// Asks the agent once, as the BFF does: in a turn opened for
    /// `session`, closed once the reply is collected.
    pub async fn ask(&self, session: &SessionRecord, question: &str) -> Reply {
        let conversation = format!("conv-{}", uuid::Uuid::new_v4().simple());
        let turns = &self.actions.turns;
        let turn = turns.open(session, &conversation).await.unwrap();
        let mut reply = self
            .agent()
            .invoke(&conversation, question, turn.capability())
            .await
            .unwrap();
        let mut collected = Reply::default();
        while let Some(event) = reply.next().await.unwrap() {
            match event {
                AgentEvent::Text(text) => collected.text.push_str(&text),
                AgentEvent::Status(status) => collected.statuses.push(status),
                AgentEvent::Denied(notice) => collected.denials.push(notice),
                AgentEvent::ActionFinished => collected.actions_finished += 1,
                AgentEvent::Notice(notice) => panic!("a Classic reply has no notice: {notice}"),
            }
        }
        turns.close(turn).await.unwrap();
        collected
    }
}

#[derive(Debug, Default)]
pub struct Reply {
    pub text: String,
    pub statuses: Vec<String>,
    pub denials: Vec<String>,
    /// Action-group calls the agent reported as answered.
    pub actions_finished: usize,
}

/// The token response of a full code-flow sign-in.
pub async fn tokens_for(base: &str, email: &str, password: &str) -> Value {
    let login = login(base, email, password, SCOPE).await;
    let (status, tokens) = exchange(base, &login).await;
    assert_eq!(status, 200, "{tokens}");
    tokens
}

/// A token for the sandbox FGA API, from its client-credentials endpoint.
pub async fn fga_token(base: &str) -> String {
    test_support::sandbox::fga_token(base, FGA_CLIENT_ID, FGA_CLIENT_SECRET, FGA_AUDIENCE).await
}

/// `POST /fga/stores/{store}/{op}` with a fresh token.
pub async fn fga_api(base: &str, op: &str, body: Value) -> (u16, Value) {
    let token = fga_token(base).await;
    let response = http()
        .post(format!("{base}/fga/stores/{FGA_STORE_ID}/{op}"))
        .bearer_auth(token)
        .json(&body)
        .send()
        .await
        .unwrap();
    let status = response.status().as_u16();
    (status, response.json().await.unwrap_or(Value::Null))
}

pub use test_support::sandbox::arm;
