//! Reads from the sandbox's admin API (`/__sandbox/…`): what reached its
//! stand-ins and how often they were called.

use anyhow::{Context, Result, bail};
use reqwest::Client;
use serde_json::Value;

/// The JSON the sandbox at `sandbox` answers for `/__sandbox/{path}`.
pub async fn get(client: &Client, sandbox: &str, path: &str) -> Result<Value> {
    client
        .get(format!("{sandbox}/__sandbox/{path}"))
        .send()
        .await?
        .error_for_status()?
        .json()
        .await
        .with_context(|| format!("reading /__sandbox/{path}"))
}

/// Every InvokeAgent call the sandbox recorded, oldest first.
pub async fn agent_invocations(client: &Client, sandbox: &str) -> Result<Vec<Value>> {
    match get(client, sandbox, "agent/invocations").await? {
        Value::Array(all) => Ok(all),
        other => bail!("the sandbox listed its agent invocations as {other}"),
    }
}
