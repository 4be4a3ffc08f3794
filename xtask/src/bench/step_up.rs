//! The step-up card's timing, measured as the browser sees it: a client
//! that asks `step_up_status` exactly when the previous answer's
//! `check_again_ms` says (as the card does), while the sandbox "phone"
//! approves at varying moments; and the server's work per status call.

use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail, ensure};
use reqwest::{Client, Url};
use serde_json::Value;

use super::login;
use super::sandbox_admin;
use super::stats::{millis, percentile};
use crate::services::Ports;

/// Approvals timed; each lands at another point of the poll interval.
const RUNS: usize = 6;
/// Status calls timed while no poll of Auth0 is due.
const QUIET_CALLS: usize = 200;
/// What the card is allowed on top of one poll interval.
const TARGET_SLACK: Duration = Duration::from_secs(1);
/// Bounds each run's wait; far above any interval the sandbox gives.
const RUN_DEADLINE: Duration = Duration::from_secs(60);
const ASK: &str = "Reset the password for bob@example.com";

struct Bff {
    client: Client,
    base: Url,
    origin: String,
}

impl Bff {
    async fn server_fn(&self, name: &str, form: &[(&str, &str)]) -> Result<String> {
        let response = self
            .client
            .post(self.base.join(&format!("/api/{name}"))?)
            .header("Origin", &self.origin)
            .form(form)
            .send()
            .await
            .with_context(|| format!("POST {name}"))?;
        let status = response.status();
        let body = response.text().await?;
        ensure!(status.is_success(), "{name}: HTTP {status}: {body}");
        Ok(body)
    }

    /// Asks for a reset; returns the card the turn sent.
    /// Asks for a reset; the new card, its id and its code.
    async fn new_card(&self) -> Result<(Value, String, String)> {
        let body = self.server_fn("send_message", &[("text", ASK)]).await?;
        let card = body
            .lines()
            .filter_map(|line| serde_json::from_str::<Value>(line).ok())
            .find_map(|event| card_of(&event))
            .with_context(|| format!("the reset turn sent no approval card: {body}"))?;
        let field = |name: &str| {
            card[name]
                .as_str()
                .map(str::to_owned)
                .with_context(|| format!("card without {name}"))
        };
        let (id, code) = (field("id")?, field("code")?);
        Ok((card, id, code))
    }

    async fn status(&self, id: &str) -> Result<Value> {
        let body = self.server_fn("step_up_status", &[("id", id)]).await?;
        serde_json::from_str(&body).with_context(|| format!("step_up_status: {body}"))
    }
}

struct Sandbox {
    client: Client,
    base: String,
}

impl Sandbox {
    /// The CIBA request showing `code`, as the sandbox admin API lists it.
    async fn request(&self, code: &str) -> Result<Value> {
        let all = sandbox_admin::get(&self.client, &self.base, "ciba/requests").await?;
        all.as_array()
            .and_then(|all| {
                all.iter().find(|r| {
                    r["binding_message"]
                        .as_str()
                        .is_some_and(|m| m.ends_with(code))
                })
            })
            .cloned()
            .with_context(|| format!("no CIBA request with code {code}"))
    }

    async fn polls(&self, code: &str) -> Result<usize> {
        Ok(self.request(code).await?["polls"]
            .as_array()
            .map_or(0, Vec::len))
    }

    async fn answer(&self, handle: &str, decision: &str) -> Result<()> {
        self.client
            .post(format!(
                "{}/__sandbox/ciba/requests/{handle}/{decision}",
                self.base
            ))
            .send()
            .await?
            .error_for_status()
            .with_context(|| format!("{decision} on the sandbox"))?;
        Ok(())
    }
}

/// One approval: from the sandbox's answer to the status call that shows
/// the card done, and how often the client and the server asked.
struct Run {
    shown_after: Duration,
    interval: Duration,
    status_calls: usize,
    auth0_polls: usize,
}

pub async fn report(ports: Ports) -> Result<()> {
    let base = Url::parse(&ports.bff_url())?;
    let client = login::signed_in_client(&base, "admin@example.com", "admin-demo").await?;
    let bff = Bff {
        origin: base.origin().ascii_serialization(),
        client: client.clone(),
        base,
    };
    let sandbox = Sandbox {
        client,
        base: ports.sandbox_url(),
    };

    let mut runs = Vec::with_capacity(RUNS);
    for index in 0..RUNS {
        runs.push(approval_run(&bff, &sandbox, index).await?);
    }
    let quiet = quiet_calls(&bff, &sandbox).await?;

    let mut shown: Vec<Duration> = runs.iter().map(|r| r.shown_after).collect();
    shown.sort_unstable();
    let interval = runs.iter().map(|r| r.interval).max().unwrap_or_default();
    let status_calls: usize = runs.iter().map(|r| r.status_calls).sum();
    let auth0_polls: usize = runs.iter().map(|r| r.auth0_polls).sum();

    println!(
        "\nStep-up card: approval on the sandbox → card shows it (a client following \
         check_again_ms like the card; {RUNS} runs, approvals spread over the interval)"
    );
    println!(
        "  min / median / max        {} / {} / {}   (target ≤ interval {} s + {} s = {} s)",
        millis(shown[0]),
        millis(shown[shown.len() / 2]),
        millis(shown[shown.len() - 1]),
        interval.as_secs(),
        TARGET_SLACK.as_secs(),
        (interval + TARGET_SLACK).as_secs()
    );
    println!(
        "  Auth0 token polls per step_up_status call {:.2}   ({auth0_polls} polls for {status_calls} calls, sandbox count; each call came when a poll was due)",
        auth0_polls as f64 / status_calls.max(1) as f64
    );
    println!(
        "  step_up_status with no Auth0 poll due ({QUIET_CALLS} calls, localhost round trip, \
         release BFF): p50 {}  p99 {}",
        millis(percentile(&quiet, 50)),
        millis(percentile(&quiet, 99))
    );
    Ok(())
}

async fn approval_run(bff: &Bff, sandbox: &Sandbox, index: usize) -> Result<Run> {
    let (card, id, code) = bff.new_card().await?;
    let request = sandbox.request(&code).await?;
    let handle = request["handle"]
        .as_str()
        .context("request without handle")?;
    let interval = Duration::from_secs(request["interval"].as_u64().unwrap_or(1));
    // Approve somewhere else in the poll cycle each run.
    let approve_at = Instant::now() + interval + interval.mul_f64(index as f64 / RUNS as f64);

    let started = Instant::now();
    let mut next_check = Instant::now() + Duration::from_millis(check_again_ms(&card)?);
    let mut approved_at = None;
    let mut status_calls = 0;
    loop {
        if started.elapsed() > RUN_DEADLINE {
            bail!("the card of run {index} never completed");
        }
        // The phone answers when its moment comes, between the card's calls.
        if approved_at.is_none() && approve_at <= next_check {
            tokio::time::sleep_until(approve_at.into()).await;
            approved_at = Some(Instant::now());
            sandbox.answer(handle, "approve").await?;
        }
        tokio::time::sleep_until(next_check.into()).await;
        let view = bff.status(&id).await?;
        status_calls += 1;
        match view["state"].as_str() {
            Some("completed") => {
                let approved_at = approved_at.context("completed before the approval")?;
                return Ok(Run {
                    shown_after: approved_at.elapsed(),
                    interval,
                    status_calls,
                    auth0_polls: sandbox.polls(&code).await?,
                });
            }
            Some("pending" | "approved") => {}
            other => bail!("run {index} ended {other:?}: {view}"),
        }
        next_check = Instant::now() + Duration::from_millis(check_again_ms(&view)?);
    }
}

/// Times status calls made right after the server polled Auth0, while its
/// next poll is not yet due; the sandbox's poll count proves none polled.
async fn quiet_calls(bff: &Bff, sandbox: &Sandbox) -> Result<Vec<Duration>> {
    let (_, id, code) = bff.new_card().await?;
    let mut took = Vec::with_capacity(QUIET_CALLS);
    while took.len() < QUIET_CALLS {
        // Wait for the poll slot as the card would, and let that call poll.
        let view = bff.status(&id).await?;
        tokio::time::sleep(Duration::from_millis(check_again_ms(&view)?)).await;
        bff.status(&id).await?;
        let polls = sandbox.polls(&code).await?;
        // Stay well inside the interval the server now waits.
        let window = Instant::now() + Duration::from_millis(500);
        let mut batch = Vec::new();
        while Instant::now() < window && took.len() + batch.len() < QUIET_CALLS {
            let sent = Instant::now();
            bff.status(&id).await?;
            batch.push(sent.elapsed());
        }
        if sandbox.polls(&code).await? == polls {
            took.extend(batch);
        }
    }
    let handle = sandbox.request(&code).await?["handle"]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    sandbox.answer(&handle, "deny").await?;
    took.sort_unstable();
    Ok(took)
}

/// The card a chat event carries: `{"step_up": {"step_up": {...}}}`
/// (externally tagged), or `{"type": "step_up", "step_up": {...}}`.
fn card_of(event: &Value) -> Option<Value> {
    let inner = event.get("step_up")?;
    match inner.get("step_up") {
        Some(card) if card.is_object() => Some(card.clone()),
        _ if event["type"] == "step_up" => Some(inner.clone()),
        _ => None,
    }
}

fn check_again_ms(view: &Value) -> Result<u64> {
    view["check_again_ms"]
        .as_u64()
        .with_context(|| format!("no check_again_ms in {view}"))
}
