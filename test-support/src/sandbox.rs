//! A sandbox on a free loopback port, and its test admin API
//! (`/__sandbox/...`: faults, counters, recorded requests).

use std::time::Duration;

use custodian_core::settings::Settings;
use reqwest::Response;
use sandbox::{ApiConfig, DEFAULT_API_AUDIENCE, FgaConfig, RunningSandbox, SandboxConfig};
use secrecy::ExposeSecret;
use serde_json::Value;
use tokio::net::TcpListener;

use crate::http::http;

/// A listener on a free loopback port and the URL it answers on; bind
/// first when the settings must name the sandbox before it serves.
pub async fn free_listener() -> (TcpListener, String) {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    (listener, url)
}

/// A sandbox serving `config` on a free loopback port.
pub async fn spawn(config: SandboxConfig) -> RunningSandbox {
    let (listener, _) = free_listener().await;
    sandbox::spawn(listener, None, config).await.unwrap()
}

/// The sandbox side of `settings`: its Auth0 client, connection and API
/// (`auth0.audience`), its FGA client and store, and a one-second CIBA
/// interval.
pub fn config_for(settings: &Settings) -> SandboxConfig {
    let fga = &settings.fga;
    SandboxConfig {
        client_id: settings.auth0.client_id.clone(),
        client_secret: settings.auth0.client_secret.expose_secret().to_owned(),
        connection_name: settings.auth0.connection_name.clone(),
        fga: FgaConfig {
            client_id: fga.client_id.clone(),
            client_secret: fga.client_secret.expose_secret().to_owned(),
            store_id: fga.store_id.clone(),
            model_id: fga.model_id.clone(),
            audience: fga.audience.clone(),
        },
        api: ApiConfig::custodian(
            settings
                .auth0
                .audience
                .as_deref()
                .unwrap_or(DEFAULT_API_AUDIENCE),
        ),
        ciba_interval: Duration::from_secs(1),
        ..SandboxConfig::default()
    }
}

/// Arms a fault (`service` as in `/__sandbox/faults/{service}`).
pub async fn arm(base: &str, service: &str, fault: Value) {
    let response = admin_post(base, &format!("faults/{service}"), Some(fault.clone())).await;
    assert_eq!(response.status(), 200, "arming {service} fault {fault}");
}

/// `GET /__sandbox/{path}` as JSON.
pub async fn admin_get(base: &str, path: &str) -> Value {
    let response = http()
        .get(format!("{base}/__sandbox/{path}"))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200, "GET {path}");
    response.json().await.unwrap()
}

/// `POST /__sandbox/{path}` with an optional JSON body; the response.
pub async fn admin_post(base: &str, path: &str, body: Option<Value>) -> Response {
    let mut request = http().post(format!("{base}/__sandbox/{path}"));
    if let Some(body) = body {
        request = request.json(&body);
    }
    request.send().await.unwrap()
}

/// A token for the sandbox's FGA API, from its client-credentials endpoint.
pub async fn fga_token(base: &str, client_id: &str, client_secret: &str, audience: &str) -> String {
    let response = http()
        .post(format!("{base}/fga/oauth/token"))
        .json(&serde_json::json!({
            "grant_type": "client_credentials",
            "client_id": client_id,
            "client_secret": client_secret,
            "audience": audience,
        }))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200, "an FGA token");
    let body: Value = response.json().await.unwrap();
    body["access_token"]
        .as_str()
        .expect("an FGA token")
        .to_owned()
}
