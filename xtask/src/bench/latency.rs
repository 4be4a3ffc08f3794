//! Latency and throughput of the BFF for a signed-in user.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};
use reqwest::{Client, RequestBuilder, Url};

use super::login;
use crate::services::Ports;

const REQUESTS: usize = 2_000;
const WARM_UP: usize = 50;
/// Small on purpose: the machine has few cores and runs both services too.
const CONCURRENCY: usize = 4;
/// The server function behind the sidebar.
const LIST_CONVERSATIONS: &str = "/api/list_conversations";

struct Stats {
    name: &'static str,
    p50: Duration,
    p99: Duration,
    per_second: f64,
}

pub async fn report(ports: Ports) -> Result<()> {
    let bff = Url::parse(&ports.bff_url())?;
    let client = Client::builder()
        .cookie_store(true)
        .build()
        .context("building the HTTP client")?;
    login::sign_in(&client, &bff, "admin@example.com", "admin-demo").await?;

    let page = {
        let (client, url) = (client.clone(), bff.clone());
        move || client.get(url.clone())
    };
    let server_fn = {
        let (client, url) = (client.clone(), bff.join(LIST_CONVERSATIONS)?);
        let origin = bff.origin().ascii_serialization();
        move || {
            client
                .post(url.clone())
                .header("Origin", &origin)
                .header("Content-Type", "application/x-www-form-urlencoded")
        }
    };
    let results = [
        measure("GET / (signed in)", page).await?,
        measure("POST list_conversations", server_fn).await?,
    ];

    println!("\nBFF latency ({REQUESTS} requests each, {CONCURRENCY} at a time, release build)");
    println!(
        "  {:<26} {:>10} {:>10} {:>10}",
        "request", "p50", "p99", "req/s"
    );
    for s in results {
        println!(
            "  {:<26} {:>10} {:>10} {:>10.0}",
            s.name,
            millis(s.p50),
            millis(s.p99),
            s.per_second
        );
    }
    Ok(())
}

/// Sends `REQUESTS` requests from `CONCURRENCY` workers after a short
/// warm-up; any failed request makes the measurement invalid.
async fn measure<F>(name: &'static str, request: F) -> Result<Stats>
where
    F: Fn() -> RequestBuilder + Send + Sync + 'static,
{
    let request = Arc::new(request);
    for _ in 0..WARM_UP {
        send(request())
            .await
            .with_context(|| format!("{name} (warm-up)"))?;
    }
    let next = Arc::new(AtomicUsize::new(0));
    let started = Instant::now();
    let workers: Vec<_> = (0..CONCURRENCY)
        .map(|_| {
            let (request, next) = (Arc::clone(&request), Arc::clone(&next));
            tokio::spawn(async move {
                let mut took = Vec::new();
                while next.fetch_add(1, Ordering::Relaxed) < REQUESTS {
                    let sent = Instant::now();
                    send(request()).await?;
                    took.push(sent.elapsed());
                }
                anyhow::Ok(took)
            })
        })
        .collect();
    let mut took = Vec::with_capacity(REQUESTS);
    for worker in workers {
        took.extend(worker.await?.with_context(|| name.to_owned())?);
    }
    let elapsed = started.elapsed();
    took.sort_unstable();
    Ok(Stats {
        name,
        p50: percentile(&took, 50),
        p99: percentile(&took, 99),
        per_second: took.len() as f64 / elapsed.as_secs_f64(),
    })
}

async fn send(request: RequestBuilder) -> Result<()> {
    let response = request.send().await?;
    let status = response.status();
    // Read the whole body: streaming pages are only done at the end.
    let body = response.bytes().await?;
    if !status.is_success() {
        bail!(
            "HTTP {status}: {}",
            String::from_utf8_lossy(&body[..body.len().min(200)])
        );
    }
    Ok(())
}

/// Nearest-rank percentile of sorted samples.
pub(super) fn percentile(sorted: &[Duration], p: usize) -> Duration {
    let rank = (sorted.len() * p).div_ceil(100).max(1);
    sorted[rank - 1]
}

pub(super) fn millis(d: Duration) -> String {
    format!("{:.2} ms", d.as_secs_f64() * 1000.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nearest_rank_percentiles() {
        let samples: Vec<_> = (1..=100).map(Duration::from_millis).collect();
        assert_eq!(percentile(&samples, 50), Duration::from_millis(50));
        assert_eq!(percentile(&samples, 99), Duration::from_millis(99));
        assert_eq!(percentile(&samples[..1], 99), Duration::from_millis(1));
    }
}
