//! Throughput and latency of the BFF's busiest requests under wrk, beside
//! the machine's limit: a plain axum server answering with the very bytes
//! of the signed-in page, measured in the same run. Then the BFF's resident
//! memory after all that load.

use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use anyhow::{Context, Result, ensure};
use reqwest::cookie::{CookieStore, Jar};
use reqwest::{Client, Url};

use super::stats::{millis, rss_breakdown};
use super::wrk::{self, Load, Report};
use super::{login, mixed_load};
use crate::services::Ports;

const RUN: Duration = Duration::from_secs(10);
const LIMIT: &str = "limit: same bytes, plain axum";

/// Targets the numbers are read against (printed, never asserted).
const PAGE_TARGET_PER_SECOND: f64 = 28_000.0;
const PAGE_P50_TARGET: Duration = Duration::from_micros(300);
const PAGE_P99_TARGET: Duration = Duration::from_millis(2);
const RSS_TARGET_MIB: f64 = 15.0;

/// One row of the table.
struct Row {
    name: &'static str,
    connections: u32,
    report: Report,
}

/// A signed-in browser's part of the load: its cookie, an approval card to
/// ask about, and the page as the BFF renders it (the limit serves it).
pub struct SignedIn {
    cookie: String,
    step_up_form: String,
    pub page: Vec<u8>,
}

impl SignedIn {
    pub async fn new(ports: Ports) -> Result<Self> {
        let bff = Url::parse(&ports.bff_url())?;
        let jar = Arc::new(Jar::default());
        let client = Client::builder()
            .cookie_provider(Arc::clone(&jar))
            .build()
            .context("building the HTTP client")?;
        login::sign_in(&client, &bff, "admin@example.com", "admin-demo").await?;
        let cookie = jar
            .cookies(&bff)
            .context("signing in set no cookie")?
            .to_str()?
            .to_owned();
        let step_up_form = format!("id={}", mixed_load::new_step_up(&client, &bff).await?);
        let page = client.get(bff).send().await?.bytes().await?.to_vec();
        ensure!(
            String::from_utf8_lossy(&page).contains("Sign out"),
            "the page fetched for the limit is not the signed-in page"
        );
        Ok(Self {
            cookie,
            step_up_form,
            page,
        })
    }
}

/// Loads each request with wrk, the limit (`limit_url`) beside the page.
pub fn report(
    ports: Ports,
    browser: &SignedIn,
    limit_url: &str,
    bff_pid: u32,
    scratch: &Path,
) -> Result<()> {
    crate::tools::ensure_wrk()?;
    let memory_before = rss_breakdown(bff_pid)?;
    let bff = Url::parse(&ports.bff_url())?;
    let origin = bff.origin().ascii_serialization();
    let signed_in: [(&str, &str); 2] = [("Cookie", &browser.cookie), ("Origin", &origin)];
    let url = |path: &str| bff.join(path).map(String::from);
    let loads: [(&'static str, u32, String, Option<&str>); 8] = [
        (LIMIT, 1, limit_url.to_owned(), None),
        ("GET / (signed in)", 1, url("/")?, None),
        (LIMIT, 8, limit_url.to_owned(), None),
        ("GET / (signed in)", 8, url("/")?, None),
        ("GET /login", 8, url("/login")?, None),
        (
            "POST list_conversations",
            8,
            url("/api/list_conversations")?,
            Some(""),
        ),
        (
            "POST step_up_status",
            8,
            url("/api/step_up_status")?,
            Some(&browser.step_up_form),
        ),
        ("GET /healthz", 8, url("/healthz")?, None),
    ];
    let mut rows = Vec::with_capacity(loads.len());
    for (name, connections, url, form) in loads {
        let load = Load {
            url: &url,
            connections,
            duration: RUN,
            headers: &signed_in,
            form,
        };
        rows.push(Row {
            name,
            connections,
            report: wrk::run(&load, scratch)?,
        });
    }
    let memory = rss_breakdown(bff_pid)?;

    print_table(&rows);
    println!("  BFF resident memory before load {memory_before}");
    println!("  BFF resident memory after load  {memory} (target ≤ {RSS_TARGET_MIB} MiB)");
    let failed: u64 = rows.iter().map(|row| row.report.errors).sum();
    ensure!(failed == 0, "{failed} requests under wrk failed");
    Ok(())
}

fn print_table(rows: &[Row]) {
    println!(
        "\nThroughput (wrk, 1 thread, {} s per row, release BFF on the embedded store; \
         the limit is measured in the same run)",
        RUN.as_secs()
    );
    println!(
        "  {:<30} {:>5} {:>10} {:>10} {:>10} {:>9}",
        "request", "conns", "req/s", "p50", "p99", "of limit"
    );
    for row in rows {
        let limit = rows
            .iter()
            .find(|r| r.name == LIMIT && r.connections == row.connections)
            .map_or(f64::NAN, |r| r.report.per_second);
        println!(
            "  {:<30} {:>5} {:>10.0} {:>10} {:>10} {:>8.1}%",
            row.name,
            row.connections,
            row.report.per_second,
            millis(row.report.p50),
            millis(row.report.p99),
            100.0 * row.report.per_second / limit
        );
    }
    println!(
        "  targets: signed-in page ≥ {PAGE_TARGET_PER_SECOND:.0} req/s at 8 connections; \
         at 1 connection p50 ≤ {} and p99 ≤ {}; /healthz ≥ 50% of the limit",
        millis(PAGE_P50_TARGET),
        millis(PAGE_P99_TARGET)
    );
}
