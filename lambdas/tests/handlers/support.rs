//! A sandbox on a random loopback port, an `ActionContext` built from
//! settings that point at it (as a Lambda builds its own), and real sessions
//! made by signing demo users in through the sandbox's code flow.

use std::path::Path;
use std::sync::Arc;

use custodian_core::auth0::OidcLogin;
use custodian_core::bedrock_agent::CAPABILITY_ATTRIBUTE;
use custodian_core::settings::Settings;
use custodian_core::store::SessionRecord;
use custodian_core::turn_capability::OpenTurn;
use lambdas::{ActionContext, Handler};
use sandbox::{RunningSandbox, SandboxConfig};
use secrecy::ExposeSecret;
use serde_json::{Value, json};
use tempfile::TempDir;
pub use test_support::http::http;
use test_support::settings::LocalSettings;
pub use test_support::users::{ADMIN, ADMIN_SUB, HELPDESK, USER};
use test_support::{login_page, logs};

/// Where the sandbox sends the browser back; never visited by these tests.
const CALLBACK: &str = "http://localhost:3000/callback";
const CLIENT_ID: &str = "custodian-handler-tests";

/// Every log line this test binary writes (handlers and sandbox alike).
pub fn captured_logs() -> String {
    logs::captured()
}

/// A signed-in demo user: their Custodian session, and the tokens it holds
/// (kept to prove none of them leaks).
pub struct Signed {
    pub session: SessionRecord,
    pub sub: String,
    pub tokens: Vec<String>,
}

pub struct Stack {
    pub settings: Settings,
    pub actions: Arc<ActionContext>,
    pub base: String,
    /// The secrets the stack was configured with, to hunt for leaks.
    pub secrets: Vec<String>,
    _sandbox: RunningSandbox,
    _data_dir: TempDir,
}

impl Stack {
    pub async fn start() -> Stack {
        Stack::start_with(&[]).await
    }

    /// `env` adds `CUSTODIAN__{key}` overrides to the settings.
    pub async fn start_with(env: &[(&str, &str)]) -> Stack {
        logs::capture();
        let (listener, base) = test_support::sandbox::free_listener().await;
        let data_dir = tempfile::tempdir().unwrap();
        let mut local = LocalSettings::at(&base, data_dir.path(), CLIENT_ID);
        for (key, value) in env {
            local = local.set(key, *value);
        }
        let settings = local.load();
        let actions = test_support::custodian::action_context(&settings).await;
        let config = SandboxConfig {
            redirect_uris: vec![CALLBACK.into()],
            ..test_support::sandbox::config_for(&settings)
        };
        let sandbox = sandbox::spawn(listener, None, config).await.unwrap();
        let secrets = vec![
            settings.auth0.client_secret.expose_secret().to_owned(),
            settings.fga.client_secret.expose_secret().to_owned(),
        ];
        Stack {
            settings,
            actions,
            base,
            secrets,
            _sandbox: sandbox,
            _data_dir: data_dir,
        }
    }

    /// Signs `user` in through the sandbox's code flow with the BFF's own
    /// relying party (PKCE, state, nonce, ID-token validation), then
    /// stores a Custodian session as the BFF's callback does.
    pub async fn sign_in(&self, user: (&str, &str)) -> Signed {
        let login =
            OidcLogin::new(&self.settings.auth0, &url::Url::parse(CALLBACK).unwrap()).unwrap();
        let attempt = login.authorization_request().await.unwrap();
        let response = login_page::sign_in(&http(), &self.base, attempt.url.as_str(), user).await;
        let back = url::Url::parse(
            response.headers()["location"]
                .to_str()
                .expect("a redirect to the callback"),
        )
        .unwrap();
        let param = |name: &str| {
            back.query_pairs()
                .find(|(k, _)| k == name)
                .map(|(_, v)| v.into_owned())
                .unwrap_or_else(|| panic!("no {name} in {back}"))
        };
        assert_eq!(param("state"), attempt.state.expose_secret());
        let verified = login
            .finish(&param("code"), &attempt.nonce, &attempt.pkce_verifier)
            .await
            .unwrap();
        let mut tokens = vec![
            verified.tokens.access_token.expose_secret().to_owned(),
            verified.tokens.id_token.expose_secret().to_owned(),
        ];
        tokens.extend(
            verified
                .tokens
                .refresh_token
                .as_ref()
                .map(|t| t.expose_secret().to_owned()),
        );
        assert_eq!(tokens.len(), 3, "access, ID and refresh tokens");
        let session = self
            .actions
            .sessions
            .create(verified, "Firefox on Linux".into())
            .await
            .unwrap();
        Signed {
            sub: session.record.user.sub.clone(),
            session: session.record,
            tokens,
        }
    }

    /// Opens a turn of `signed` in `conversation`, as the BFF does before
    /// it asks the agent.
    pub async fn open_turn(&self, signed: &Signed, conversation: &str) -> OpenTurn {
        self.actions
            .turns
            .open(&signed.session, conversation)
            .await
            .unwrap()
    }

    /// A fixture as Bedrock sends it during an open turn of `signed` in
    /// the fixture's conversation (its `sessionId`).
    pub async fn event_for(&self, name: &str, signed: &Signed) -> Value {
        let event = fixture(name);
        let conversation = event["sessionId"].as_str().unwrap().to_owned();
        let turn = self.open_turn(signed, &conversation).await;
        with_capability(event, turn.capability().expose())
    }

    /// Runs the handler for the event's action group (as the Lambda bin
    /// does, falling back to `fallback` when the event names none we know).
    pub async fn invoke(&self, fallback: Handler, event: Value) -> Value {
        let handler = event["actionGroup"]
            .as_str()
            .and_then(Handler::for_action_group)
            .unwrap_or(fallback);
        handler.handle(&self.actions, event).await
    }

    pub fn calls(&self) -> u64 {
        self.actions.calls.total()
    }

    /// Arms a fault through the sandbox's admin API.
    pub async fn arm(&self, service: &str, fault: Value) {
        test_support::sandbox::arm(&self.base, service, fault).await;
    }

    pub async fn admin_get(&self, path: &str) -> Value {
        test_support::sandbox::admin_get(&self.base, path).await
    }

    /// Token Vault exchanges the sandbox has answered.
    pub async fn exchanges(&self) -> u64 {
        self.admin_get("token-vault/exchanges").await["count"]
            .as_u64()
            .unwrap()
    }

    /// FGA checks the sandbox has received.
    pub async fn fga_checks(&self) -> u64 {
        self.admin_get("fga/checks").await["count"]
            .as_u64()
            .unwrap()
    }

    pub async fn ciba_requests(&self) -> Vec<Value> {
        self.admin_get("ciba/requests")
            .await
            .as_array()
            .unwrap()
            .clone()
    }
}

/// A fixture from `lambdas/tests/fixtures`, as Bedrock would send it.
pub fn fixture(name: &str) -> Value {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name);
    let text = std::fs::read_to_string(&path)
        .unwrap_or_else(|error| panic!("reading {}: {error}", path.display()));
    serde_json::from_str(&text).unwrap_or_else(|error| panic!("parsing {name}: {error}"))
}

/// The event carrying `sealed` as its capability.
pub fn with_capability(mut event: Value, sealed: &str) -> Value {
    event["sessionAttributes"][CAPABILITY_ATTRIBUTE] = json!(sealed);
    event
}

/// Replaces the one parameter's value.
pub fn with_parameter(mut event: Value, value: &str) -> Value {
    event["parameters"][0]["value"] = json!(value);
    event
}

/// The function response's `(responseState, body)`, after checking the
/// shape Bedrock requires: message version, the group and function named,
/// a text body.
pub fn read_response(response: &Value, group: &str, function: &str) -> (Option<String>, String) {
    assert_eq!(response["messageVersion"], "1.0", "{response}");
    let keys: Vec<&String> = response.as_object().unwrap().keys().collect();
    assert_eq!(keys, ["messageVersion", "response"], "{response}");
    let inner = &response["response"];
    assert_eq!(inner["actionGroup"], group, "{response}");
    assert_eq!(inner["function"], function, "{response}");
    let function_response = &inner["functionResponse"];
    let state = function_response
        .get("responseState")
        .map(|s| s.as_str().expect("responseState is a string").to_owned());
    assert!(
        state
            .as_deref()
            .is_none_or(|s| s == "FAILURE" || s == "REPROMPT"),
        "{response}"
    );
    let body = function_response["responseBody"]["TEXT"]["body"]
        .as_str()
        .unwrap_or_else(|| panic!("no text body: {response}"));
    assert!(!body.trim().is_empty(), "{response}");
    (state, body.to_owned())
}

/// Fails when `text` holds any of `secrets`, or anything shaped like a
/// bearer token (a long run of base64url characters, as every token the
/// sandbox mints is).
pub fn assert_no_secret(text: &str, secrets: &[String], what: &str) {
    for secret in secrets {
        assert!(secret.len() >= 16, "too short to hunt for");
        assert!(
            !text.contains(secret.as_str()),
            "a secret leaked into {what}"
        );
    }
    let longest_run = text
        .split(|c: char| !(c.is_ascii_alphanumeric() || c == '-' || c == '_'))
        .map(str::len)
        .max()
        .unwrap_or(0);
    assert!(longest_run < 40, "{what} holds a token-like string: {text}");
}
