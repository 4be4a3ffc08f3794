//! `cargo xtask test`: the whole suite as a list of named steps, run in
//! order; the first failure stops the run and names the step.

use std::process::Command;
use std::time::{Duration, Instant};

use anyhow::{Context, Result};

use custodian_core::settings::AgentHost;

use crate::services::{Logs, Ports, Stack, scratch_data_dir};
use crate::site::{self, Binaries};
use crate::workspace::Workspace;
use crate::{process, tools};

type Step = (&'static str, fn(&Workspace) -> Result<()>);

/// Adding a check is adding a line here.
const STEPS: &[Step] = &[
    ("install tools", install_tools),
    ("rustfmt", fmt),
    ("type-check browser tests", typecheck_end2end),
    ("clippy (host)", clippy_host),
    ("clippy (wasm)", clippy_wasm),
    ("Auth0-shaped provider (node --test)", provider_tests),
    ("FGA model tests (OpenFGA's fga CLI)", fga_model_tests),
    ("unit and integration tests", unit_tests),
    ("build site and services", build),
    ("SDK conformance (Auth0, FGA)", sdk_conformance),
    ("SDK conformance (Okta)", okta_conformance),
    ("infra (CDK tests and synth)", infra),
    (
        "Lambda binaries under cargo-lambda's emulator",
        lambda_emulator,
    ),
    (
        "browser tests (Playwright, Bedrock Agents Classic)",
        end2end_classic,
    ),
    (
        "browser tests (Playwright, AgentCore harness, agent specs)",
        end2end_harness,
    ),
];

/// Dedicated ports, so the suite runs next to a `cargo xtask run`.
const PORTS: Ports = Ports {
    bff: 3200,
    sandbox: 3201,
};
/// The server's debug build is plenty for browser tests and builds faster.
const PROFILE: &str = "dev";

pub fn run(ws: &Workspace, only: Option<&str>) -> Result<()> {
    let steps: Vec<&Step> = STEPS
        .iter()
        .filter(|(name, _)| only.is_none_or(|text| name.contains(text)))
        .collect();
    if steps.is_empty() {
        anyhow::bail!("no step's name contains {only:?}");
    }
    let mut done: Vec<(&str, Duration)> = Vec::new();
    for (index, (name, step)) in steps.iter().enumerate() {
        eprintln!("\n==> [{}/{}] {name}", index + 1, steps.len());
        let started = Instant::now();
        step(ws).with_context(|| format!("step `{name}` failed"))?;
        done.push((name, started.elapsed()));
    }
    eprintln!("\nAll {} steps passed:", steps.len());
    for (name, took) in done {
        eprintln!("  {name:<30} {:>6.1}s", took.as_secs_f64());
    }
    Ok(())
}

fn install_tools(ws: &Workspace) -> Result<()> {
    tools::ensure_site_tools(ws)?;
    tools::ensure_moto()?;
    tools::ensure_conformance_packages(ws)?;
    tools::ensure_cargo_lambda()?;
    tools::ensure_fga_cli()?;
    tools::ensure_browser_tools(ws)
}

fn fmt(ws: &Workspace) -> Result<()> {
    process::run(site::cargo(ws).args(["fmt", "--all", "--check"]))
}

fn typecheck_end2end(ws: &Workspace) -> Result<()> {
    process::run(Command::new("npx").arg("tsc").current_dir(ws.end2end()))
}

/// Host crates; `frontend` is linted on its own target below (its
/// `hydrate` features must not meet the server's `ssr` ones).
fn clippy_host(ws: &Workspace) -> Result<()> {
    process::run(site::cargo(ws).args([
        "clippy",
        "--workspace",
        "--exclude",
        "frontend",
        "--all-targets",
        "--",
        "-D",
        "warnings",
    ]))
}

fn clippy_wasm(ws: &Workspace) -> Result<()> {
    process::run(site::cargo(ws).args([
        "clippy",
        "-p",
        "frontend",
        "--target",
        "wasm32-unknown-unknown",
        "--",
        "-D",
        "warnings",
    ]))
}

/// The oidc-provider tenant the integration tests check the Auth0 clients
/// against answers as Auth0 documents.
fn provider_tests(ws: &Workspace) -> Result<()> {
    process::run(
        Command::new("npm")
            .args(["test", "--silent"])
            .current_dir(ws.path("conformance/provider")),
    )
}

/// The model and its tests under OpenFGA's own evaluator; the sandbox's
/// evaluator runs the same file in the unit tests, so the two agree.
fn fga_model_tests(ws: &Workspace) -> Result<()> {
    let fga = tools::ensure_fga_cli()?;
    process::run(
        Command::new(fga)
            .args(["model", "test", "--tests", "tests.fga.yaml"])
            .current_dir(ws.path("config/fga")),
    )
}

fn unit_tests(ws: &Workspace) -> Result<()> {
    if process::probe(process::cargo().get_program(), &["nextest", "--version"]).is_some() {
        process::run(site::cargo(ws).args([
            "nextest",
            "run",
            "--workspace",
            "--exclude",
            "frontend",
        ]))?;
        // nextest does not run doctests.
        process::run(site::cargo(ws).args([
            "test",
            "--doc",
            "--workspace",
            "--exclude",
            "frontend",
        ]))
    } else {
        process::run(site::cargo(ws).args(["test", "--workspace", "--exclude", "frontend"]))
    }
}

fn build(ws: &Workspace) -> Result<()> {
    site::build_site(ws)?;
    services().build(ws)
}

/// The debug binaries the later steps run: one cargo call, so features
/// unify the same way each time and a second call is a no-op.
fn services() -> Binaries<'static> {
    Binaries {
        profile: PROFILE,
        packages: &["server", "sandbox", "lambdas"],
    }
}

fn lambda_emulator(ws: &Workspace) -> Result<()> {
    crate::lambda_emulator::run(ws, services())
}

fn sdk_conformance(ws: &Workspace) -> Result<()> {
    crate::sdk_conformance::run(ws, PROFILE)
}

fn okta_conformance(ws: &Workspace) -> Result<()> {
    crate::okta_conformance::run(ws, PROFILE)
}

fn infra(ws: &Workspace) -> Result<()> {
    crate::infra::check(ws)
}

/// The post-deploy smoke check, run against the local stack with a
/// session signed in through the sandbox's login form.
fn smoke_against(bff: &str) -> Result<()> {
    let runtime = tokio::runtime::Runtime::new()?;
    runtime.block_on(async {
        let url = reqwest::Url::parse(bff)?;
        let jar = std::sync::Arc::new(reqwest::cookie::Jar::default());
        let browser = reqwest::Client::builder()
            .cookie_provider(jar.clone())
            .build()?;
        crate::bench::sign_in(&browser, &url, "admin@example.com", "admin-demo").await?;
        let cookie = reqwest::cookie::CookieStore::cookies(&*jar, &url)
            .context("signing in left no cookie")?
            .to_str()?
            .to_owned();
        crate::smoke::check(&crate::smoke::Smoke {
            url,
            cookie: Some(cookie),
            question: "What are the Okta groups for user bob@example.com?".into(),
        })
        .await
    })
}

/// Playwright against a fresh stack: new data directory, logs in files.
/// The whole browser suite, then the smoke check, with the Classic agent.
fn end2end_classic(ws: &Workspace) -> Result<()> {
    end2end(ws, AgentHost::BedrockAgent, true, &[])
}

/// The specs in which the agent host's part shows: the reply's stream and
/// its failures, the reply to a form posted before the page is live, every
/// tool round trip (groups, a reset with its approval, a second approver,
/// access requests, the Okta connection) and Markdown replies. The others
/// (accessibility, audit log, signed-in sessions, conversation edits) only
/// need some reply, and the Classic run checks them; running them twice
/// would add minutes to every run for no path the harness takes.
const HARNESS_SPECS: &[&str] = &[
    "tests/chat.spec.ts",
    "tests/before_live.spec.ts",
    "tests/groups.spec.ts",
    "tests/step_up.spec.ts",
    "tests/dual_control.spec.ts",
    "tests/elevation.spec.ts",
    "tests/connect_okta.spec.ts",
    "tests/reading.spec.ts",
];

/// The browser specs that touch the agent host, again with the AgentCore
/// harness: the same pages, the same assertions.
fn end2end_harness(ws: &Workspace) -> Result<()> {
    end2end(ws, AgentHost::AgentcoreHarness, false, HARNESS_SPECS)
}

/// The browser suite offers a grant short enough to watch it lapse.
const SHORT_ELEVATION: (&str, &str) = ("CUSTODIAN__ELEVATION__DURATIONS", "1h, 20s");

/// `specs` empty runs every spec.
fn end2end(ws: &Workspace, agent_host: AgentHost, smoke: bool, specs: &[&str]) -> Result<()> {
    let data_dir = scratch_data_dir("e2e")?;
    let mut running = Stack {
        ws,
        ports: PORTS,
        data_dir: data_dir.path(),
        work_dir: ws.state_dir("test"),
        bff_profile: PROFILE,
        sandbox_profile: PROFILE,
        logs: Logs::Files,
        agent_host,
        bff_env: &[SHORT_ELEVATION],
        bff_wrapper: &[],
    }
    .start()?;
    let outcome = process::run(
        Command::new("npx")
            .args(["playwright", "test"])
            .args(specs)
            .current_dir(ws.end2end())
            .env("CUSTODIAN_URL", PORTS.bff_url())
            .env("SANDBOX_URL", PORTS.sandbox_url()),
    )
    .and_then(|()| {
        if smoke {
            smoke_against(&PORTS.bff_url())
        } else {
            Ok(())
        }
    })
    .and_then(|()| running.ensure_alive());
    if outcome.is_err() {
        eprintln!("{}", running.log_tails(40));
    }
    running.stop();
    outcome
}

#[cfg(test)]
mod tests {
    use super::HARNESS_SPECS;
    use crate::workspace::Workspace;

    /// Playwright runs no test for a filter that matches no file, so a
    /// renamed spec would silently leave the harness run.
    #[test]
    fn every_harness_spec_is_a_file() {
        let end2end = Workspace::locate().unwrap().end2end();
        for spec in HARNESS_SPECS {
            assert!(end2end.join(spec).is_file(), "{spec} is not in end2end/");
        }
    }
}
