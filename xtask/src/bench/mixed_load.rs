//! Many users at once: 10,000 requests from 64 connections mixing the
//! signed-in page, the sidebar's `list_conversations` and an approval
//! card's `step_up_status`, on the release build. Reports throughput,
//! p50/p99 per kind, every failed request (there must be none: nothing in
//! this mix meets a designed limit) and the BFF's resident memory before
//! and after, which must stay bounded.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use anyhow::{Context, Result, ensure};
use reqwest::{Client, RequestBuilder, Url};
use serde_json::Value;

use super::login;
use super::stats::{millis, percentile, rss_breakdown};
use crate::services::Ports;

const REQUESTS: usize = 10_000;
const CONNECTIONS: usize = 64;
const KINDS: [&str; 3] = ["GET / (signed in)", "list_conversations", "step_up_status"];

/// One request's kind (its index in `KINDS`), time and whether it failed.
type Sample = (usize, Duration, bool);

pub async fn report(ports: Ports, bff_pid: u32) -> Result<()> {
    let base = Url::parse(&ports.bff_url())?;
    let client = Client::builder()
        .cookie_store(true)
        .pool_max_idle_per_host(CONNECTIONS)
        .build()
        .context("building the HTTP client")?;
    login::sign_in(&client, &base, "admin@example.com", "admin-demo").await?;
    let step_up_id = new_step_up(&client, &base).await?;
    let requests = Arc::new(Requests {
        client,
        origin: base.origin().ascii_serialization(),
        list_conversations: base.join("/api/list_conversations")?,
        step_up_status: base.join("/api/step_up_status")?,
        page: base,
        step_up_id,
    });

    let rss_before = rss_breakdown(bff_pid)?;
    let started = Instant::now();
    let samples = run(requests).await?;
    let elapsed = started.elapsed();
    let rss_after = rss_breakdown(bff_pid)?;

    let failed = samples.iter().filter(|(_, _, failed)| *failed).count();
    println!(
        "\nMixed load ({REQUESTS} requests, {CONNECTIONS} connections, page / list_conversations / step_up_status in turn, release build)"
    );
    println!(
        "  throughput {:.0} req/s   errors {failed} (must be 0)",
        samples.len() as f64 / elapsed.as_secs_f64()
    );
    println!("  {:<22} {:>10} {:>10}", "request", "p50", "p99");
    for (kind, name) in KINDS.iter().enumerate() {
        let mut took: Vec<Duration> = samples
            .iter()
            .filter(|(k, _, _)| *k == kind)
            .map(|(_, took, _)| *took)
            .collect();
        took.sort_unstable();
        println!(
            "  {name:<22} {:>10} {:>10}",
            millis(percentile(&took, 50)),
            millis(percentile(&took, 99))
        );
    }
    println!("  BFF resident memory before {rss_before}");
    println!("  BFF resident memory after  {rss_after}");
    ensure!(failed == 0, "{failed} requests of the mixed load failed");
    Ok(())
}

/// The three requests, their URLs worked out once so the load measures
/// the BFF rather than the client.
struct Requests {
    client: Client,
    origin: String,
    page: Url,
    list_conversations: Url,
    step_up_status: Url,
    step_up_id: String,
}

impl Requests {
    fn build(&self, kind: usize) -> RequestBuilder {
        match kind {
            0 => self.client.get(self.page.clone()),
            1 => self.server_fn(&self.list_conversations, &[]),
            _ => self.server_fn(&self.step_up_status, &[("id", self.step_up_id.as_str())]),
        }
    }

    fn server_fn(&self, url: &Url, form: &[(&str, &str)]) -> RequestBuilder {
        self.client
            .post(url.clone())
            .header("Origin", &self.origin)
            .form(form)
    }
}

async fn run(requests: Arc<Requests>) -> Result<Vec<Sample>> {
    let next = Arc::new(AtomicUsize::new(0));
    let workers: Vec<_> = (0..CONNECTIONS)
        .map(|_| {
            let (requests, next) = (Arc::clone(&requests), Arc::clone(&next));
            tokio::spawn(async move {
                let mut samples = Vec::new();
                loop {
                    let index = next.fetch_add(1, Ordering::Relaxed);
                    if index >= REQUESTS {
                        return anyhow::Ok(samples);
                    }
                    let kind = index % KINDS.len();
                    let sent = Instant::now();
                    let ok = succeeds(requests.build(kind)).await;
                    samples.push((kind, sent.elapsed(), !ok));
                }
            })
        })
        .collect();
    let mut samples = Vec::with_capacity(REQUESTS);
    for worker in workers {
        samples.extend(worker.await??);
    }
    Ok(samples)
}

/// A success is a 2xx with its whole body read (pages stream).
async fn succeeds(request: RequestBuilder) -> bool {
    match request.send().await {
        Ok(response) => {
            let status = response.status();
            response.bytes().await.is_ok() && status.is_success()
        }
        Err(_) => false,
    }
}

/// Asks for a reset, which leaves an approval card to ask about.
pub(super) async fn new_step_up(client: &Client, base: &Url) -> Result<String> {
    let body = client
        .post(base.join("/api/send_message")?)
        .header("Origin", base.origin().ascii_serialization())
        .form(&[("text", "Reset the password for bob@example.com")])
        .send()
        .await?
        .text()
        .await?;
    body.lines()
        .filter_map(|line| serde_json::from_str::<Value>(line).ok())
        .find_map(|event| {
            event["step_up"]["step_up"]["id"]
                .as_str()
                .map(str::to_owned)
        })
        .with_context(|| format!("the reset turn sent no approval card: {body}"))
}
