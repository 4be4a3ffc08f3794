//! Cold start: from spawning the BFF to its first answered request.
//!
//! - Locally: a second BFF on the stack's settings, until `GET /healthz`
//!   answers 200.
//! - On Lambda: under cargo-lambda's Runtime API emulator, with the sealing
//!   key read from Secrets Manager (moto here) as in AWS, until the first
//!   Function URL request (the signed-out page) has come back through
//!   `InvokeWithResponseStream`. That is Lambda's init duration plus one
//!   invoke; the emulator holds the request until the runtime asks for it.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use anyhow::{Context, Result};
use serde_json::json;

use crate::lambda_emulator::checks::{self, Endpoints};
use crate::lambda_emulator::{self, free_port, moto};
use crate::services::{Logs, Running, Stack};
use crate::tools;

const RUNS: usize = 5;
const LOCAL_TARGET_MS: f64 = 30.0;
/// Polling finer than this would measure the poller.
const POLL: Duration = Duration::from_micros(250);
const SECRET_ID: &str = "custodian/bench-sealing-key";

/// `stack` describes the running bench stack (its settings file is
/// `settings`); the processes started here join `running`.
pub fn report(stack: &Stack<'_>, settings: &Path, running: &mut Running) -> Result<()> {
    println!("\nCold start (spawn to the first answered request, {RUNS} starts each)");
    let local = (0..RUNS)
        .map(|_| local_start(stack, settings, running))
        .collect::<Result<Vec<_>>>()?;
    print_row("local, GET /healthz", &local, Some(LOCAL_TARGET_MS));
    let lambda = lambda_starts(stack, settings, running)?;
    print_row("Lambda emulator, key from Secrets Manager", &lambda, None);
    Ok(())
}

fn local_start(stack: &Stack<'_>, settings: &Path, running: &mut Running) -> Result<Duration> {
    let port = free_port()?;
    let bff = stack.bff_command(settings, port);
    let started = Instant::now();
    running.spawn("cold-start", bff, &Logs::Files, &stack.work_dir)?;
    running.wait_for_health_every(port, POLL)?;
    let elapsed = started.elapsed();
    running.stop_newest()?;
    Ok(elapsed)
}

/// moto with the sealing key, the emulator, then one BFF after another.
fn lambda_starts(
    stack: &Stack<'_>,
    settings: &Path,
    running: &mut Running,
) -> Result<Vec<Duration>> {
    tools::ensure_moto()?;
    let cargo_lambda = tools::ensure_cargo_lambda()?;
    let work_dir = &stack.work_dir;
    let moto_port = free_port()?;
    running.spawn("moto", moto::command(moto_port), &Logs::Files, work_dir)?;
    running.wait_for_port(moto_port)?;
    let moto_url = format!("http://127.0.0.1:{moto_port}");
    let runtime = tokio::runtime::Runtime::new()?;
    runtime.block_on(put_sealing_key(&moto_url))?;
    let lambda_settings = with_secret_sealing(settings, work_dir)?;

    let emulator_port = free_port()?;
    let emulator = lambda_emulator::emulator(&cargo_lambda, emulator_port, &stack.ws.root);
    running.spawn("emulator", emulator, &Logs::Files, work_dir)?;
    running.wait_for_port(emulator_port)?;
    let endpoints = Endpoints::new(emulator_port, stack.ports.sandbox, moto_url.clone());
    let runtime_api = format!("http://127.0.0.1:{emulator_port}/.rt");
    let http = checks::client()?;
    let mut starts = Vec::new();
    for _ in 0..RUNS {
        let bff = lambda_emulator::bff_function(
            stack,
            stack.bff_profile,
            &runtime_api,
            &lambda_settings,
            &moto_url,
        );
        let started = Instant::now();
        running.spawn("cold-start-lambda", bff, &Logs::Files, work_dir)?;
        runtime
            .block_on(checks::bff_page_streams(&stack.ws.root, &endpoints, &http))
            .context("the first page through InvokeWithResponseStream")?;
        starts.push(started.elapsed());
        running.stop_newest()?;
    }
    // The emulator, then moto: the loads that follow run without them.
    running.stop_newest()?;
    running.stop_newest()?;
    Ok(starts)
}

/// The secret the BFF reads its sealing key from, as the stack's
/// `fernet-keygen` custom resource leaves it.
async fn put_sealing_key(moto_url: &str) -> Result<()> {
    let sdk_config = custodian_core::aws_http::config_loader()
        .region(aws_config::Region::new("us-east-1"))
        .endpoint_url(moto_url)
        // moto checks no signature, but the SDK always signs.
        .credentials_provider(aws_sdk_secretsmanager::config::Credentials::new(
            "bench", "bench", None, None, "bench",
        ))
        .load()
        .await;
    let client = aws_sdk_secretsmanager::Client::new(&sdk_config);
    let key = custodian_core::sealing::Sealer::generate_key();
    let value = json!({ "key": secrecy::ExposeSecret::expose_secret(&key) });
    client
        .create_secret()
        .name(SECRET_ID)
        .secret_string(value.to_string())
        .send()
        .await
        .context("creating the sealing key secret in moto")?;
    Ok(())
}

/// The stack's settings with the sealing key in Secrets Manager instead
/// of a local file.
fn with_secret_sealing(settings: &Path, work_dir: &Path) -> Result<PathBuf> {
    let mut value = lambda_emulator::read_json(settings)?;
    value["sealing"] = json!({ "secretId": SECRET_ID });
    let path = work_dir.join("cold-start-lambda.json");
    std::fs::write(&path, serde_json::to_vec_pretty(&value)?)
        .with_context(|| format!("writing {}", path.display()))?;
    Ok(path)
}

fn print_row(what: &str, starts: &[Duration], target_ms: Option<f64>) {
    let mut ms: Vec<f64> = starts.iter().map(|d| d.as_secs_f64() * 1e3).collect();
    ms.sort_by(f64::total_cmp);
    let median = ms[ms.len() / 2];
    let max = ms[ms.len() - 1];
    let mark = |ms: f64, target: f64| if ms <= target { "✔" } else { "✘" };
    let verdict = match target_ms {
        Some(target) => format!(
            "  (target ≤ {target} ms: median {}, slowest {})",
            mark(median, target),
            mark(max, target)
        ),
        None => String::new(),
    };
    println!(
        "  {what:<44} median {median:>7.1} ms   min {:>7.1}   max {max:>7.1}{verdict}",
        ms[0]
    );
}
