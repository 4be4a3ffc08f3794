//! Chat streaming: how long the agent's first chunk takes to reach the
//! browser through the BFF. The sandbox agent notes when it handed its
//! first chunk to the response stream; the client notes when the chunk
//! event arrived. Both clocks are this machine's, so the difference is
//! the BFF's forwarding plus two loopback hops.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use anyhow::{Context, Result, bail, ensure};
use reqwest::{Client, Url};
use serde_json::Value;

use super::login;
use super::sandbox_admin::agent_invocations;
use super::stats::{millis, percentile};
use crate::services::Ports;

/// Turns timed: under the demo user's per-minute turn limit.
const RUNS: usize = 15;
const TARGET: Duration = Duration::from_millis(5);
/// A user no other bench chats as, so the turn limit is this bench's own.
const USER: (&str, &str) = ("user@example.com", "user-demo");

pub async fn report(ports: Ports) -> Result<()> {
    let base = Url::parse(&ports.bff_url())?;
    let sandbox = ports.sandbox_url();
    let client = login::signed_in_client(&base, USER.0, USER.1).await?;
    let mut delays = Vec::with_capacity(RUNS);
    for run in 0..RUNS {
        delays.push(first_chunk_delay(&client, &base, &sandbox, run).await?);
    }
    delays.sort_unstable();
    println!(
        "\nChat: the agent's first chunk → its event at the browser ({RUNS} turns, sandbox agent, release BFF)"
    );
    println!(
        "  p50 {}  max {}   (target < {})",
        millis(percentile(&delays, 50)),
        millis(delays[delays.len() - 1]),
        millis(TARGET)
    );
    Ok(())
}

/// Sends one message and returns how long its first reply chunk took from
/// the agent's send to the browser's read.
async fn first_chunk_delay(
    client: &Client,
    base: &Url,
    sandbox: &str,
    run: usize,
) -> Result<Duration> {
    let text = format!("Hello from the streaming bench, turn {run}");
    let mut response = client
        .post(base.join("/api/send_message")?)
        .header("Origin", base.origin().ascii_serialization())
        .form(&[("text", text.as_str())])
        .send()
        .await
        .context("POST send_message")?
        .error_for_status()?;
    let mut body = String::new();
    let arrived = loop {
        let Some(bytes) = response.chunk().await? else {
            bail!("the reply ended before its first chunk: {body}");
        };
        let now = SystemTime::now();
        body.push_str(&String::from_utf8_lossy(&bytes));
        if body.lines().any(is_chunk_event) {
            break now;
        }
    };
    // The turn finishes and is stored before the next one starts.
    while response.chunk().await?.is_some() {}
    let sent = first_chunk_sent(client, sandbox, &text).await?;
    arrived
        .duration_since(sent)
        .context("the chunk arrived before the agent sent it: the clocks disagree")
}

/// A reply chunk: `{"chunk":{"text":…}}`, as the chat streams its events.
fn is_chunk_event(line: &str) -> bool {
    serde_json::from_str::<Value>(line).is_ok_and(|event| event.get("chunk").is_some())
}

/// When the sandbox agent sent the first chunk of the turn asked `text`.
async fn first_chunk_sent(client: &Client, sandbox: &str, text: &str) -> Result<SystemTime> {
    let invocations = agent_invocations(client, sandbox).await?;
    let invocation = invocations
        .iter()
        .rev()
        .find(|i| i["inputText"].as_str().is_some_and(|t| t.contains(text)))
        .with_context(|| format!("the sandbox agent has no turn asking {text:?}"))?;
    let micros = invocation["firstChunkSentAtMicros"]
        .as_u64()
        .context("the sandbox agent sent no chunk")?;
    ensure!(micros > 0, "the sandbox agent's clock reads zero");
    Ok(UNIX_EPOCH + Duration::from_micros(micros))
}
