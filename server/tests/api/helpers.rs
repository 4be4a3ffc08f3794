//! Spawns a BFF and a sandbox on random loopback ports, and drives them the
//! way a browser would.

use std::sync::Arc;
use std::time::Duration;

use custodian_core::sealing::Sealer;
use custodian_core::session::{SessionTokens, Sessions};
use custodian_core::settings::Settings;
use custodian_core::startup::Backend;
use custodian_core::store::{EmbeddedStore, SessionRecord, Store};
use reqwest::{Client, Response, StatusCode};
use sandbox::{RunningSandbox, SandboxConfig};
use secrecy::ExposeSecret;
use tempfile::TempDir;
use test_support::faulty_store::FaultyStore;
pub use test_support::http::{browser, location};
use test_support::settings::LocalSettings;
pub use test_support::users::ADMIN;
use test_support::{login_page, logs};

pub const GROUPS_QUESTION: &str = "What are the Okta groups for user bob@example.com?";

/// Every log line any test's BFF or sandbox writes, for the secrets checks.
pub fn captured_logs() -> String {
    logs::captured()
}

pub struct TestApp {
    pub base_url: String,
    pub sandbox_url: String,
    pub client_secret: String,
    pub data_dir: TempDir,
    /// The settings the BFF and its actions were started with.
    pub settings: Settings,
    /// Kept for its lifetime: dropping it stops the sandbox.
    _sandbox: RunningSandbox,
    /// The same application, for driving it without a network (as the
    /// Lambda runtime does).
    pub router: axum::Router,
    /// The app's own store handle: `fail("get_session")` and the app
    /// meets an unavailable store from then on.
    pub store_faults: Arc<FaultyStore>,
    server: tokio::task::JoinHandle<()>,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
}

impl Drop for TestApp {
    fn drop(&mut self) {
        self.server.abort();
    }
}

/// Options a test may change before the app starts.
#[derive(Default)]
pub struct Options {
    pub agent_endpoint_override: Option<String>,
    /// The public URL the app believes it has (say, an API Gateway stage).
    pub public_url: Option<String>,
    /// `auth0.cibaExpirySeconds`: how long a step-up push may wait.
    pub ciba_expiry_seconds: Option<u32>,
    /// `auth0.domain`, when Auth0 is not the sandbox's (another provider).
    pub auth0_domain: Option<String>,
    /// `agentHost`, when not the default (Bedrock Agents Classic).
    pub agent_host: Option<&'static str>,
    /// The sandbox agent's pause between frames, for a reply that is
    /// still streaming when the test acts.
    pub chunk_delay: Option<Duration>,
    /// Any other `CUSTODIAN__{key}` overrides, say `LIMITS__SIGN_INS_PER_MINUTE`.
    pub settings: Vec<(&'static str, String)>,
}

pub async fn spawn_app() -> TestApp {
    spawn_app_with(Options::default()).await
}

pub async fn spawn_app_with(options: Options) -> TestApp {
    // Boxed: starting both services is a large future to hold on a stack.
    Box::pin(start(options)).await
}

async fn start(options: Options) -> TestApp {
    logs::capture();
    let (bff_listener, base_url) = test_support::sandbox::free_listener().await;
    // The sandbox's address is needed in the settings, and the settings in
    // the sandbox (its agent runs the real action groups): bind first.
    let (sandbox_listener, sandbox_url) = test_support::sandbox::free_listener().await;
    let data_dir = tempfile::tempdir().unwrap();
    let settings = local_settings(&options, &base_url, &sandbox_url, &data_dir).load();
    let actions = test_support::custodian::action_context(&settings).await;

    let config = SandboxConfig {
        redirect_uris: vec![format!("{base_url}/callback")],
        logout_urls: vec![format!("{base_url}/")],
        chunk_delay: options.chunk_delay.unwrap_or(Duration::from_millis(2)),
        actions: Some(actions),
        ..test_support::sandbox::config_for(&settings)
    };
    let sandbox = sandbox::spawn(sandbox_listener, None, config)
        .await
        .unwrap();

    let site = data_dir.path().join("site");
    std::fs::create_dir_all(site.join("pkg")).unwrap();
    let leptos_options = leptos::config::LeptosOptions::builder()
        .output_name("custodian")
        .site_root(site.display().to_string())
        .site_pkg_dir("pkg")
        .build();
    let sdk_config = test_support::custodian::sdk_config().await;
    let backend = Backend::open(&settings, &sdk_config).await.unwrap();
    let store = FaultyStore::new(backend.store.clone());
    let state = server::build_state_on(
        backend.on_store(store.clone()),
        settings.clone(),
        leptos_options,
        &sdk_config,
    )
    .unwrap();
    let router = server::app(state);
    let app = router.clone();
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    // The listener is served the way the binary serves it, so stopping a
    // test's app drains it as SIGTERM drains the process.
    let server = tokio::spawn(async move {
        let stop = async {
            let _ = stopped.await;
        };
        server::serve(bff_listener, app, stop).await.unwrap();
    });

    TestApp {
        client_secret: settings.auth0.client_secret.expose_secret().to_owned(),
        base_url,
        sandbox_url,
        data_dir,
        settings,
        _sandbox: sandbox,
        router,
        server,
        store_faults: store,
        stop: Some(stop),
    }
}

/// The settings the app starts with: `config/local.json` with every
/// outside service at the sandbox, changed as `options` asks.
fn local_settings(
    options: &Options,
    base_url: &str,
    sandbox_url: &str,
    data_dir: &TempDir,
) -> LocalSettings {
    let mut local = LocalSettings::at(sandbox_url, data_dir.path(), "custodian-test").set(
        "APP__BASE_URL",
        options.public_url.as_deref().unwrap_or(base_url),
    );
    if let Some(endpoint) = &options.agent_endpoint_override {
        local = local.set("BEDROCK__ENDPOINT", endpoint.as_str());
    }
    if let Some(domain) = &options.auth0_domain {
        local = local.set("AUTH0__DOMAIN", domain.as_str());
    }
    if let Some(host) = options.agent_host {
        local = local.set("AGENT_HOST", host);
    }
    if let Some(seconds) = options.ciba_expiry_seconds {
        local = local.set("AUTH0__CIBA_EXPIRY_SECONDS", seconds.to_string());
    }
    for (key, value) in &options.settings {
        local = local.set(key, value.as_str());
    }
    local
}

impl TestApp {
    /// Tells the server to stop as SIGTERM does; it resolves once every
    /// request in flight has ended.
    pub fn stop(&mut self) -> impl Future<Output = ()> + use<> {
        let _ = self.stop.take().expect("stopped once").send(());
        let server = std::mem::replace(&mut self.server, tokio::spawn(async {}));
        async move { server.await.expect("the server drained cleanly") }
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base_url)
    }

    /// Runs /login up to the identity provider's redirect back, returning
    /// the callback URL (code and state) without visiting it.
    pub async fn authorize(&self, client: &Client, user: (&str, &str)) -> String {
        let response = client.get(self.url("/login")).send().await.unwrap();
        assert_eq!(response.status(), StatusCode::SEE_OTHER);
        let authorize = location(&response);
        assert!(authorize.starts_with(&self.sandbox_url), "{authorize}");
        let response = login_page::sign_in(client, &self.sandbox_url, &authorize, user).await;
        location(&response)
    }

    /// A full sign-in; returns the client holding the session cookie.
    pub async fn sign_in(&self, user: (&str, &str)) -> Client {
        self.sign_in_with_cookie(user).await.0
    }

    /// A full sign-in; returns the client and the session cookie's value.
    pub async fn sign_in_with_cookie(&self, user: (&str, &str)) -> (Client, String) {
        self.sign_in_on(browser(), user).await
    }

    /// A full sign-in in `client` (say, one that names itself with a
    /// `User-Agent`); returns it and the session cookie's value.
    pub async fn sign_in_on(&self, client: Client, user: (&str, &str)) -> (Client, String) {
        let callback = self.authorize(&client, user).await;
        let response = client.get(&callback).send().await.unwrap();
        assert_eq!(response.status(), StatusCode::SEE_OTHER);
        let cookie = session_cookie(&response).expect("a session cookie");
        (client, cookie_value(&cookie).to_owned())
    }

    /// The body of `GET {path}` on the app.
    /// Signs out as the page's form does (same origin).
    pub async fn sign_out(&self, client: &Client) -> Response {
        client
            .post(self.url("/logout"))
            .header("origin", &self.base_url)
            .send()
            .await
            .unwrap()
    }

    pub async fn page(&self, client: &Client, path: &str) -> String {
        let response = client.get(self.url(path)).send().await.unwrap();
        response.text().await.unwrap()
    }

    /// Calls a server function the way the browser does.
    pub async fn server_fn(&self, client: &Client, name: &str, form: &[(&str, &str)]) -> Response {
        client
            .post(self.url(&format!("/api/{name}")))
            .header("origin", &self.base_url)
            .form(form)
            .send()
            .await
            .unwrap()
    }

    /// The first page of the user's conversations, as the sidebar lists them.
    pub async fn conversations(&self, client: &Client) -> Vec<serde_json::Value> {
        let list: serde_json::Value = self
            .server_fn(client, "list_conversations", &[])
            .await
            .json()
            .await
            .unwrap();
        list["conversations"].as_array().unwrap().clone()
    }

    /// A conversation's stored messages as (role, text).
    pub async fn stored_messages(&self, client: &Client, id: &str) -> Vec<(String, String)> {
        let conversation: serde_json::Value = self
            .server_fn(client, "load_conversation", &[("id", id)])
            .await
            .json()
            .await
            .unwrap();
        conversation["messages"]
            .as_array()
            .unwrap()
            .iter()
            .map(|m| {
                let field = |name: &str| m[name].as_str().unwrap().to_owned();
                (field("role"), field("text"))
            })
            .collect()
    }

    pub async fn store(&self) -> Arc<dyn Store> {
        Arc::new(EmbeddedStore::open(&self.data_dir.path().join("custodian.sqlite3")).unwrap())
    }

    pub fn sealer(&self) -> Arc<Sealer> {
        Arc::new(
            Sealer::load_or_create_key_file(&self.data_dir.path().join("sealing.key")).unwrap(),
        )
    }

    /// The tokens of the session a `Set-Cookie` value names.
    pub async fn tokens_of_cookie(&self, set_cookie: &str) -> Vec<String> {
        let record = self
            .store()
            .await
            .get_session(
                &custodian_core::ids::store_key(cookie_value(set_cookie)),
                custodian_core::time::now_unix(),
            )
            .await
            .unwrap()
            .expect("a stored session");
        self.tokens_of(&record).await
    }

    /// The relying party as the BFF builds it, for calling its CIBA
    /// ID-token check directly.
    pub fn relying_party(&self) -> custodian_core::auth0::OidcLogin {
        let callback = url::Url::parse(&self.url("/callback")).unwrap();
        custodian_core::auth0::OidcLogin::new(&self.settings.auth0, &callback).unwrap()
    }

    /// The tokens of every session in the store, to hunt for leaks.
    pub async fn tokens_of(&self, record: &SessionRecord) -> Vec<String> {
        let sessions = Sessions::new(
            self.store().await,
            self.sealer(),
            custodian_core::session::SessionLifetimes {
                idle_seconds: 60,
                absolute_seconds: 60,
            },
        );
        let SessionTokens {
            access_token,
            refresh_token,
            id_token,
        } = sessions.unseal_tokens(record).unwrap();
        let mut tokens = vec![
            access_token.expose_secret().to_owned(),
            id_token.expose_secret().to_owned(),
        ];
        tokens.extend(refresh_token.map(|t| t.expose_secret().to_owned()));
        tokens
    }

    /// `GET /__sandbox/{path}` as JSON.
    pub async fn sandbox_get(&self, path: &str) -> serde_json::Value {
        test_support::sandbox::admin_get(&self.sandbox_url, path).await
    }

    /// `POST /__sandbox/{path}` with an optional JSON body; the response.
    pub async fn sandbox_post(&self, path: &str, body: Option<serde_json::Value>) -> Response {
        test_support::sandbox::admin_post(&self.sandbox_url, path, body).await
    }

    /// Arms a sandbox fault (`service` as in `/__sandbox/faults/{service}`).
    pub async fn arm(&self, service: &str, fault: serde_json::Value) {
        test_support::sandbox::arm(&self.sandbox_url, service, fault).await;
    }

    /// Writes and deletes tuples through the sandbox's FGA API, with a
    /// token from its client-credentials endpoint and the app's FGA client.
    pub async fn fga_write(&self, body: serde_json::Value) {
        let fga = &self.settings.fga;
        let token = test_support::sandbox::fga_token(
            &self.sandbox_url,
            &fga.client_id,
            fga.client_secret.expose_secret(),
            &fga.audience,
        )
        .await;
        let response = browser()
            .post(format!(
                "{}/fga/stores/{}/write",
                self.sandbox_url, fga.store_id
            ))
            .bearer_auth(token)
            .json(&body)
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), StatusCode::OK, "FGA write {body}");
    }

    /// Asks the sandbox IdP to spoil the next ID token.
    pub async fn inject_id_token_fault(&self, fault: &str) {
        self.arm("id-token", serde_json::json!({ "fault": fault }))
            .await;
    }
}

/// The value of the session cookie a response set, if any.
/// The session id in a `Set-Cookie` value.
/// The nonce a response's Content-Security-Policy lets inline scripts run with.
pub fn csp_nonce(headers: &reqwest::header::HeaderMap) -> String {
    let csp = headers["content-security-policy"].to_str().unwrap();
    csp.split("'nonce-")
        .nth(1)
        .and_then(|rest| rest.split('\'').next())
        .unwrap()
        .to_owned()
}

pub fn cookie_value(set_cookie: &str) -> &str {
    set_cookie["custodian_session=".len()..]
        .split(';')
        .next()
        .unwrap()
}

pub fn session_cookie(response: &Response) -> Option<String> {
    response
        .headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|v| v.starts_with("custodian_session="))
        .map(str::to_owned)
}

/// Reads an NDJSON chat reply into its events.
pub async fn chat_events(response: Response) -> Vec<serde_json::Value> {
    let body = response.text().await.unwrap();
    body.lines()
        .filter(|line| !line.is_empty())
        .map(chat_event)
        .collect()
}

/// One NDJSON line as `{"type": <event>, ...its fields}`: the wire form is
/// serde's externally tagged enum (`"done"`, `{"chunk": {"text": …}}`).
pub fn chat_event(line: &str) -> serde_json::Value {
    match serde_json::from_str::<serde_json::Value>(line).unwrap() {
        serde_json::Value::String(kind) => serde_json::json!({ "type": kind }),
        serde_json::Value::Object(tagged) if tagged.len() == 1 => {
            let (kind, fields) = tagged.into_iter().next().unwrap();
            let mut event = match fields {
                serde_json::Value::Object(fields) => fields,
                other => panic!("unexpected event fields {other}"),
            };
            event.insert("type".into(), kind.into());
            serde_json::Value::Object(event)
        }
        other => panic!("unexpected event {other}"),
    }
}

/// One chat turn's events, read in full.
pub struct Turn {
    pub conversation_id: String,
    pub events: Vec<serde_json::Value>,
}

impl Turn {
    pub fn of(&self, kind: &str) -> Vec<&serde_json::Value> {
        self.events.iter().filter(|e| e["type"] == kind).collect()
    }

    pub fn reply(&self) -> String {
        self.of("chunk")
            .iter()
            .map(|e| e["text"].as_str().unwrap())
            .collect()
    }

    pub fn notices(&self) -> Vec<String> {
        self.of("notice")
            .iter()
            .map(|e| e["text"].as_str().unwrap().to_owned())
            .collect()
    }
}

/// Sends one message as `client` and reads the whole turn.
pub async fn ask(app: &TestApp, client: &Client, conversation: Option<&str>, text: &str) -> Turn {
    let mut form = vec![("text", text)];
    if let Some(id) = conversation {
        form.push(("conversation_id", id));
    }
    let response = app.server_fn(client, "send_message", &form).await;
    assert!(response.status().is_success(), "{}", response.status());
    let events = chat_events(response).await;
    assert_eq!(events.last().unwrap()["type"], "done", "{events:?}");
    Turn {
        conversation_id: events[0]["conversation_id"].as_str().unwrap().to_owned(),
        events,
    }
}
