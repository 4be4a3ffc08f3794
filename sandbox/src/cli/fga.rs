//! `sandbox fga list|add|delete`: the FGA store's tuples from a terminal,
//! through the same OpenFGA API (`/read`, `/write`) and client credentials
//! Custodian uses.

use std::path::PathBuf;
use std::time::Duration;

use anyhow::{Context, bail};
use serde_json::{Value, json};

use crate::config::{FgaConfig, SandboxConfig};

use super::DEFAULT_CONFIG;

/// Where `sandbox` serves unless told otherwise.
pub const DEFAULT_SANDBOX_URL: &str = "http://localhost:3001";

#[derive(Debug, PartialEq, Eq, clap::Subcommand)]
pub enum FgaAction {
    /// Print every tuple, one a line: USER RELATION OBJECT [(condition NAME)].
    List,
    /// Write a tuple.
    Add(Tuple),
    /// Delete a tuple.
    Delete(Tuple),
}

#[derive(Debug, PartialEq, Eq, clap::Args)]
pub struct Tuple {
    /// e.g. user:admin@example.com
    pub user: String,
    /// e.g. read_okta
    pub relation: String,
    /// e.g. okta:groups
    pub object: String,
}

/// `sandbox fga list|add|delete`; the flags may come before or after the
/// action.
#[derive(Debug, PartialEq, Eq, clap::Args)]
#[command(after_help = "Example: sandbox fga delete user:admin@example.com read_okta okta:groups")]
pub struct FgaArgs {
    #[command(subcommand)]
    pub action: FgaAction,
    /// The running sandbox.
    #[arg(long, value_name = "URL", default_value = DEFAULT_SANDBOX_URL, global = true)]
    pub url: String,
    /// Custodian's config JSON, for the `fga` client credentials and ids.
    #[arg(long, value_name = "PATH", default_value = DEFAULT_CONFIG, global = true)]
    pub config: PathBuf,
}

pub async fn run(args: FgaArgs) -> anyhow::Result<()> {
    let config = SandboxConfig::from_custodian_config(&args.config)?.fga;
    let api = format!("{}/fga", args.url.trim_end_matches('/'));
    let http = reqwest::Client::builder()
        .timeout(Duration::from_secs(10))
        .build()?;
    let token = token(&http, &api, &config).await?;
    let store = Store {
        http,
        url: format!("{api}/stores/{}", config.store_id),
        token,
        model_id: config.model_id,
    };
    match args.action {
        FgaAction::List => store.list().await,
        FgaAction::Add(tuple) => {
            store.write("writes", &tuple).await?;
            println!("added {} {} {}", tuple.user, tuple.relation, tuple.object);
            Ok(())
        }
        FgaAction::Delete(tuple) => {
            store.write("deletes", &tuple).await?;
            println!("deleted {} {} {}", tuple.user, tuple.relation, tuple.object);
            Ok(())
        }
    }
}

/// A token from the FGA stand-in's client-credentials endpoint.
async fn token(http: &reqwest::Client, api: &str, fga: &FgaConfig) -> anyhow::Result<String> {
    let token: Value = send(http.post(format!("{api}/oauth/token")).json(&json!({
        "grant_type": "client_credentials",
        "client_id": fga.client_id,
        "client_secret": fga.client_secret,
        "audience": fga.audience,
    })))
    .await
    .context("getting an FGA token")?;
    token["access_token"]
        .as_str()
        .map(str::to_owned)
        .context("the FGA token response has no access_token")
}

/// The configured store, through the OpenFGA API.
struct Store {
    http: reqwest::Client,
    url: String,
    token: String,
    model_id: String,
}

impl Store {
    /// Prints every tuple, reading pages until the continuation token
    /// comes back empty.
    async fn list(&self) -> anyhow::Result<()> {
        let mut continuation_token = String::new();
        loop {
            let body: Value = send(
                self.http
                    .post(format!("{}/read", self.url))
                    .bearer_auth(&self.token)
                    .json(&json!({ "continuation_token": continuation_token })),
            )
            .await?;
            for tuple in body["tuples"].as_array().into_iter().flatten() {
                let key = &tuple["key"];
                // A conditional tuple grants only while its condition holds.
                let condition = key["condition"]["name"]
                    .as_str()
                    .map(|name| format!("\t(condition {name})"))
                    .unwrap_or_default();
                println!(
                    "{}\t{}\t{}{condition}",
                    key["user"].as_str().unwrap_or_default(),
                    key["relation"].as_str().unwrap_or_default(),
                    key["object"].as_str().unwrap_or_default()
                );
            }
            continuation_token = body["continuation_token"]
                .as_str()
                .unwrap_or_default()
                .to_owned();
            if continuation_token.is_empty() {
                return Ok(());
            }
        }
    }

    /// `/write` with the tuple under `field` (`writes` or `deletes`).
    async fn write(&self, field: &str, tuple: &Tuple) -> anyhow::Result<()> {
        let body = json!({
            field: { "tuple_keys": [{
                "user": tuple.user, "relation": tuple.relation, "object": tuple.object,
            }]},
            "authorization_model_id": self.model_id,
        });
        send(
            self.http
                .post(format!("{}/write", self.url))
                .bearer_auth(&self.token)
                .json(&body),
        )
        .await?;
        Ok(())
    }
}

/// Sends and reads the JSON answer; a refusal names FGA's reason.
async fn send(request: reqwest::RequestBuilder) -> anyhow::Result<Value> {
    let response = request.send().await.context("the sandbox is unreachable")?;
    let status = response.status();
    let body: Value = response.json().await.unwrap_or(Value::Null);
    if !status.is_success() {
        let reason = body["message"]
            .as_str()
            .or(body["error_description"].as_str())
            .unwrap_or("no reason given");
        bail!("FGA refused ({status}): {reason}");
    }
    Ok(body)
}
