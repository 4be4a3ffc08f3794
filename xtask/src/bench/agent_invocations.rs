//! What reached the sandbox agent, as its admin API lists it.

use anyhow::{Result, bail};
use reqwest::Client;
use serde_json::Value;

/// Every InvokeAgent call the sandbox at `sandbox` recorded, oldest first.
pub async fn agent_invocations(client: &Client, sandbox: &str) -> Result<Vec<Value>> {
    let all: Value = client
        .get(format!("{sandbox}/__sandbox/agent/invocations"))
        .send()
        .await?
        .error_for_status()?
        .json()
        .await?;
    match all {
        Value::Array(all) => Ok(all),
        other => bail!("the sandbox listed its agent invocations as {other}"),
    }
}
