//! Starting a sandbox and walking the browser's part of the login.

use std::time::Duration;

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use reqwest::header::{LOCATION, SET_COOKIE};
use sandbox::{FgaConfig, RunningSandbox, SandboxConfig};
use serde_json::{Value, json};
use sha2::{Digest, Sha256};
pub use test_support::http::http;
pub use test_support::login_page::{hidden_value, submit as submit_login};
pub use test_support::users::{ADMIN_SUB, HELPDESK_SUB};
use url::Url;

pub const CLIENT_ID: &str = "custodian-test-client";
/// Characters that must be form-encoded in HTTP Basic client authentication.
pub const CLIENT_SECRET: &str = "test secret+/=&:";
pub const CONNECTION: &str = "Okta-OIDC";
pub const REDIRECT_URI: &str = "http://localhost:3000/callback";
pub const APP_URL: &str = "http://localhost:3000/";
pub const AGENT_ID: &str = "SANDBOXAGT";
pub const AGENT_ALIAS_ID: &str = "SANDBOXALS";
pub const SCOPE: &str = "openid profile email offline_access";
pub const FGA_CLIENT_ID: &str = "custodian-test-fga";
pub const FGA_CLIENT_SECRET: &str = "fga test secret";
pub const FGA_STORE_ID: &str = "01JDTESTSTRE00000000000000";
pub const FGA_MODEL_ID: &str = "01JDTESTMDE000000000000000";
pub const FGA_AUDIENCE: &str = "https://fga.test/";
pub const CIBA_INTERVAL: Duration = Duration::from_secs(1);
/// The binding message of the raw `/bc-authorize` below.
pub const BINDING_MESSAGE: &str = "Custodian password reset, code K7F-2QX";

pub fn config(chunk_delay: Duration) -> SandboxConfig {
    SandboxConfig {
        client_id: CLIENT_ID.into(),
        client_secret: CLIENT_SECRET.into(),
        connection_name: CONNECTION.into(),
        redirect_uris: vec![REDIRECT_URI.into()],
        logout_urls: vec![APP_URL.into()],
        agent_id: AGENT_ID.into(),
        agent_alias_id: AGENT_ALIAS_ID.into(),
        chunk_delay,
        fga: FgaConfig {
            client_id: FGA_CLIENT_ID.into(),
            client_secret: FGA_CLIENT_SECRET.into(),
            store_id: FGA_STORE_ID.into(),
            model_id: FGA_MODEL_ID.into(),
            audience: FGA_AUDIENCE.into(),
        },
        ciba_interval: CIBA_INTERVAL,
        ..SandboxConfig::default()
    }
}

pub async fn start() -> RunningSandbox {
    start_with(config(Duration::from_millis(2))).await
}

pub async fn start_with(config: SandboxConfig) -> RunningSandbox {
    test_support::sandbox::spawn(config).await
}

pub struct Pkce {
    pub verifier: String,
    pub challenge: String,
}

impl Pkce {
    pub fn new() -> Self {
        let verifier = format!("{}-verifier", uuid::Uuid::new_v4().simple());
        let verifier = format!("{verifier}{verifier}");
        let challenge = URL_SAFE_NO_PAD.encode(Sha256::digest(verifier.as_bytes()));
        Self {
            verifier,
            challenge,
        }
    }
}

/// The `/authorize` URL the BFF would send the browser to.
pub fn authorize_url(base: &str, scope: &str, nonce: &str, challenge: &str) -> String {
    let mut url = Url::parse(&format!("{base}/authorize")).unwrap();
    url.query_pairs_mut()
        .append_pair("response_type", "code")
        .append_pair("client_id", CLIENT_ID)
        .append_pair("redirect_uri", REDIRECT_URI)
        .append_pair("scope", scope)
        .append_pair("state", "state-123")
        .append_pair("nonce", nonce)
        .append_pair("code_challenge", challenge)
        .append_pair("code_challenge_method", "S256")
        .append_pair("connection", CONNECTION);
    url.into()
}

/// Opens the login page and returns its pending request id.
pub async fn open_login(
    http: &reqwest::Client,
    url: &str,
    cookie: Option<&str>,
) -> (String, String) {
    let mut request = http.get(url);
    if let Some(cookie) = cookie {
        request = request.header("cookie", cookie);
    }
    let response = request.send().await.unwrap();
    assert_eq!(response.status(), 200);
    let html = response.text().await.unwrap();
    (hidden_value(&html, "request_id"), html)
}

/// The code and state from a redirect to the client's callback.
pub fn callback_params(response: &reqwest::Response) -> (String, String) {
    assert_eq!(
        response.status(),
        302,
        "expected a redirect to the callback"
    );
    let location = response.headers()[LOCATION].to_str().unwrap();
    assert!(location.starts_with(REDIRECT_URI), "{location}");
    let url = Url::parse(location).unwrap();
    let param = |name: &str| {
        url.query_pairs()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.into_owned())
            .unwrap()
    };
    (param("code"), param("state"))
}

/// `name=value` of a cookie the response sets, ready for a `Cookie` header.
pub fn cookie_pair(response: &reqwest::Response, name: &str) -> Option<String> {
    set_cookie(response, name).map(|header| header.split(';').next().unwrap().to_owned())
}

pub fn set_cookie(response: &reqwest::Response, name: &str) -> Option<String> {
    response
        .headers()
        .get_all(SET_COOKIE)
        .iter()
        .map(|v| v.to_str().unwrap().to_owned())
        .find(|v| v.starts_with(&format!("{name}=")))
}

/// A finished login: what the BFF holds when its callback runs.
pub struct Login {
    pub code: String,
    pub pkce: Pkce,
    pub nonce: String,
}

pub async fn login(base: &str, email: &str, password: &str, scope: &str) -> Login {
    let http = http();
    let pkce = Pkce::new();
    let nonce = format!("nonce-{}", uuid::Uuid::new_v4());
    let url = authorize_url(base, scope, &nonce, &pkce.challenge);
    let (request_id, _) = open_login(&http, &url, None).await;
    let response = submit_login(&http, base, &request_id, email, password).await;
    let (code, state) = callback_params(&response);
    assert_eq!(state, "state-123");
    Login { code, pkce, nonce }
}

pub async fn admin_login(base: &str) -> Login {
    let (email, password) = test_support::users::ADMIN;
    login(base, email, password, SCOPE).await
}

/// `client_secret_basic` as RFC 6749 §2.3.1 wants it: form-encoded, then base64.
pub fn basic_auth(id: &str, secret: &str) -> String {
    let encode = |s: &str| url::form_urlencoded::byte_serialize(s.as_bytes()).collect::<String>();
    let pair = format!("{}:{}", encode(id), encode(secret));
    format!(
        "Basic {}",
        base64::engine::general_purpose::STANDARD.encode(pair)
    )
}

/// Posts a token request authenticated with `client_secret_basic`.
pub async fn token_request(base: &str, secret: &str, form: &[(&str, &str)]) -> (u16, Value) {
    let request = http()
        .post(format!("{base}/oauth/token"))
        .header("authorization", basic_auth(CLIENT_ID, secret))
        .form(form);
    status_and_json(request).await
}

/// Posts a token request with no `Authorization` header.
pub async fn post_token_form(base: &str, form: &[(&str, &str)]) -> (u16, Value) {
    status_and_json(http().post(format!("{base}/oauth/token")).form(form)).await
}

async fn status_and_json(request: reqwest::RequestBuilder) -> (u16, Value) {
    let response = request.send().await.unwrap();
    let status = response.status().as_u16();
    (status, response.json().await.unwrap())
}

pub async fn exchange(base: &str, login: &Login) -> (u16, Value) {
    token_request(
        base,
        CLIENT_SECRET,
        &[
            ("grant_type", "authorization_code"),
            ("code", &login.code),
            ("redirect_uri", REDIRECT_URI),
            ("code_verifier", &login.pkce.verifier),
        ],
    )
    .await
}

/// The decoded header and payload of a compact JWT, and its raw signature part.
pub fn jwt_parts(token: &str) -> (Value, Value, String) {
    let parts: Vec<&str> = token.split('.').collect();
    assert_eq!(parts.len(), 3, "a compact JWS has three parts");
    let decode = |part: &str| -> Value {
        serde_json::from_slice(&URL_SAFE_NO_PAD.decode(part).unwrap()).unwrap()
    };
    (decode(parts[0]), decode(parts[1]), parts[2].to_owned())
}

pub async fn get_json(url: &str) -> Value {
    let response = http().get(url).send().await.unwrap();
    assert_eq!(response.status(), 200, "GET {url}");
    response.json().await.unwrap()
}

/// The `aud` claim as a list: OpenID Connect allows a string or an array.
pub fn audience(claims: &Value) -> Vec<String> {
    match &claims["aud"] {
        Value::String(aud) => vec![aud.clone()],
        Value::Array(auds) => auds
            .iter()
            .map(|aud| aud.as_str().unwrap().to_owned())
            .collect(),
        other => panic!("aud must be a string or an array, not {other}"),
    }
}

/// A raw `/bc-authorize` for the admin with the valid fields, some
/// replaced and others added.
pub async fn bc_authorize(base: &str, overrides: &[(&str, &str)]) -> (u16, Value) {
    let hint =
        json!({ "format": "iss_sub", "iss": format!("{base}/"), "sub": ADMIN_SUB }).to_string();
    let mut form = vec![
        ("client_id", CLIENT_ID.to_owned()),
        ("client_secret", CLIENT_SECRET.to_owned()),
        ("scope", "openid".to_owned()),
        ("login_hint", hint),
        ("binding_message", BINDING_MESSAGE.to_owned()),
        ("requested_expiry", "120".to_owned()),
    ];
    for (name, value) in overrides {
        form.retain(|(n, _)| n != name);
        form.push((name, (*value).to_owned()));
    }
    let response = http()
        .post(format!("{base}/bc-authorize"))
        .form(&form)
        .send()
        .await
        .unwrap();
    let status = response.status().as_u16();
    (status, response.json().await.unwrap())
}
